//! Spots the terminal queries a TUI may send at start-up (cursor position, device attributes),
//! so the harness can answer them like a real terminal instead of leaving the program waiting.

/// A query that needs an answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Query {
    /// `ESC [ 6 n`: report the cursor position.
    CursorPosition,
    /// `ESC [ c` or `ESC [ 0 c`: primary device attributes.
    DeviceAttributes,
}

/// A byte-at-a-time scanner for CSI sequences; keeps state across reads.
#[derive(Default)]
pub struct QueryScanner {
    /// Bytes of the CSI sequence in progress after `ESC [`, or `None` outside one.
    csi: Option<Vec<u8>>,
    after_esc: bool,
}

impl QueryScanner {
    /// Feeds one output byte; returns a query when this byte completes one.
    pub fn feed(&mut self, b: u8) -> Option<Query> {
        if let Some(params) = self.csi.as_mut() {
            if (0x40..=0x7e).contains(&b) {
                let params = self.csi.take().unwrap_or_default();
                return match (params.as_slice(), b) {
                    (b"6", b'n') => Some(Query::CursorPosition),
                    (b"" | b"0", b'c') => Some(Query::DeviceAttributes),
                    _ => None,
                };
            }
            params.push(b);
            if params.len() > 32 {
                self.csi = None;
            }
            return None;
        }
        if self.after_esc {
            self.after_esc = false;
            if b == b'[' {
                self.csi = Some(Vec::new());
                return None;
            }
        }
        self.after_esc = b == 0x1b;
        None
    }
}
