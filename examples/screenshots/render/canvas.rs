//! An RGBA pixel canvas with the few operations the rasterizer needs: fill a rectangle, blend a
//! colour in with a coverage value, all clipped to a rectangle (the cell being drawn).

use super::theme::Rgb;

/// A rectangle in pixels: `x`, `y` of the top-left corner, `w`, `h`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PxRect {
    pub x: i32,
    pub y: i32,
    pub w: i32,
    pub h: i32,
}

/// An RGBA image, 8 bits per channel, rows top to bottom; alpha is always 255.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Image {
    pub width: u32,
    pub height: u32,
    /// `width * height * 4` bytes.
    pub data: Vec<u8>,
}

impl Image {
    /// A `width`×`height` image filled with `color`.
    pub fn new(width: u32, height: u32, color: Rgb) -> Self {
        let mut data = Vec::with_capacity(width as usize * height as usize * 4);
        for _ in 0..width as usize * height as usize {
            data.extend_from_slice(&[color.0, color.1, color.2, 255]);
        }
        Self {
            width,
            height,
            data,
        }
    }

    /// The colour of pixel (`x`, `y`); panics when out of bounds (tests only ask inside).
    pub fn pixel(&self, x: u32, y: u32) -> Rgb {
        let i = (y as usize * self.width as usize + x as usize) * 4;
        Rgb(self.data[i], self.data[i + 1], self.data[i + 2])
    }

    fn index(&self, x: i32, y: i32) -> Option<usize> {
        if x < 0 || y < 0 || x >= self.width as i32 || y >= self.height as i32 {
            return None;
        }
        Some((y as usize * self.width as usize + x as usize) * 4)
    }

    /// Blend `color` into pixel (`x`, `y`) with `coverage` in 0..=1, if inside `clip`.
    pub fn blend(&mut self, clip: PxRect, x: i32, y: i32, color: Rgb, coverage: f32) {
        if coverage <= 0.0 || !clip.contains(x, y) {
            return;
        }
        let Some(i) = self.index(x, y) else { return };
        let a = coverage.min(1.0);
        let mix = |old: u8, new: u8| -> u8 {
            (f32::from(old) + (f32::from(new) - f32::from(old)) * a).round() as u8
        };
        self.data[i] = mix(self.data[i], color.0);
        self.data[i + 1] = mix(self.data[i + 1], color.1);
        self.data[i + 2] = mix(self.data[i + 2], color.2);
    }

    /// Fill `rect` (clipped to `clip`) with `color` at `coverage` (1.0 = opaque).
    pub fn fill(&mut self, clip: PxRect, rect: PxRect, color: Rgb, coverage: f32) {
        for y in rect.y..rect.y + rect.h {
            for x in rect.x..rect.x + rect.w {
                self.blend(clip, x, y, color, coverage);
            }
        }
    }
}

impl PxRect {
    /// Whether pixel (`x`, `y`) is inside.
    pub fn contains(&self, x: i32, y: i32) -> bool {
        x >= self.x && y >= self.y && x < self.x + self.w && y < self.y + self.h
    }

    /// The rectangle from `x0..x1`, `y0..y1` relative to this one's origin.
    pub fn sub(&self, x0: i32, x1: i32, y0: i32, y1: i32) -> PxRect {
        PxRect {
            x: self.x + x0,
            y: self.y + y0,
            w: (x1 - x0).max(0),
            h: (y1 - y0).max(0),
        }
    }
}
