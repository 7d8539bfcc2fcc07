//! `backtop move` killed with SIGKILL (what `kill -9` or a crash does) at seeded random moments
//! of a real run of the binary on the demo's iMazing root. After each kill exactly one whole
//! library is in place: the root is either the original folder, intact, or a link to a copy
//! that is whole (every byte, mode, mtime and hard link as before), and `list`/`du` show every
//! version exactly once with the figures from before. Running the same move again then
//! finishes it, and `--abort` rolls it back (except once the original's removal began: then
//! only finishing is possible, and the rerun does it).

use std::path::Path;
use std::time::Instant;

use super::move_root::{assert_same, demo, snapshot, Lib};

/// The kill moments, as fractions of an uninterrupted run, from a seeded generator: half
/// anywhere in it, half in its last part (verify, switch, removal of the original), a few
/// after its end.
fn moments(seed: u64, n: usize) -> Vec<f64> {
    let mut x = seed ^ 0x9E37_79B9_7F4A_7C15;
    (0..n)
        .map(|i| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let u = (x % 1000) as f64 / 1000.0;
            if i % 2 == 0 {
                u
            } else {
                0.6 + 0.45 * u
            }
        })
        .collect()
}

/// The phase the move's journal records, if there is one.
fn journal_phase(lib: &Lib) -> Option<String> {
    let note = lib.root.with_file_name(".backtop-move-Backups/move.json");
    let text = std::fs::read_to_string(note).ok()?;
    let v: serde_json::Value = serde_json::from_str(&text).ok()?;
    v["phase"].as_str().map(str::to_string)
}

/// Puts the pristine root back and removes everything a move made (the copy, the journal).
fn reset(lib: &Lib, pristine: &Path) {
    let meta = std::fs::symlink_metadata(&lib.root);
    match meta {
        Ok(m) if m.is_dir() => std::fs::remove_dir_all(&lib.root).unwrap(),
        Ok(_) => std::fs::remove_file(&lib.root).unwrap(),
        Err(_) => {}
    }
    let _ = std::fs::remove_dir_all(lib.dest.parent().unwrap());
    let parent = lib.root.parent().unwrap();
    for entry in std::fs::read_dir(parent).unwrap().flatten() {
        if entry
            .file_name()
            .to_string_lossy()
            .contains(".backtop-move-")
        {
            std::fs::remove_dir_all(entry.path()).unwrap();
        }
    }
    let ok = std::process::Command::new("cp")
        .arg("-a")
        .arg(pristine)
        .arg(&lib.root)
        .status()
        .unwrap()
        .success();
    assert!(ok, "cp -a back");
}

#[test]
fn a_move_killed_at_random_moments_leaves_one_whole_library_and_finishes_or_rolls_back() {
    let lib = demo();
    let (r, d) = (lib.root_str().to_string(), lib.dest_str().to_string());
    let before = snapshot(&lib.root);
    let figures = lib.figures();
    let pristine = lib.tmp.path().join("pristine");
    let ok = std::process::Command::new("cp")
        .arg("-a")
        .arg(&lib.root)
        .arg(&pristine)
        .status()
        .unwrap()
        .success();
    assert!(ok);

    // How long a whole move takes here, to spread the kills over it.
    let t = Instant::now();
    let (code, out, err) = lib.backtop(&["move", &r, "--to", &d, "--yes"], &[]);
    let whole = t.elapsed();
    assert_eq!(code, 0, "{out}{err}");
    reset(&lib, &pristine);

    let mut seen = Vec::new();
    for (i, at) in moments(17, 12).into_iter().enumerate() {
        let delay = whole.mul_f64(at);
        let mut child = lib
            .command(&["move", &r, "--to", &d, "--yes"], &[])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let _ = child.kill(); // SIGKILL
        let status = child.wait().unwrap();
        let phase = journal_phase(&lib);
        let what = format!(
            "kill {i} at {:.0} ms of {:.0} ms ({status}), journal phase {phase:?}",
            delay.as_secs_f64() * 1e3,
            whole.as_secs_f64() * 1e3
        );
        eprintln!("{what}");
        seen.push(phase.clone());

        // Exactly one whole library in place.
        let root = std::fs::symlink_metadata(&lib.root).unwrap_or_else(|e| panic!("{what}: {e}"));
        if root.is_dir() {
            assert_same(&before, &lib.root);
        } else {
            assert!(root.file_type().is_symlink(), "{what}");
            assert_eq!(std::fs::read_link(&lib.root).unwrap(), lib.dest, "{what}");
            assert_same(&before, &lib.dest);
        }
        assert_eq!(lib.figures(), figures, "{what}: every version once");

        // Then finish it (even kills, and any kill after the removal began) or roll it back.
        let finish = i % 2 == 0 || phase.as_deref() == Some("removing") || phase.is_none();
        if finish {
            let (code, out, err) = lib.backtop(&["move", &r, "--to", &d, "--yes"], &[]);
            let done = phase.is_none() && root.file_type().is_symlink();
            if done {
                // Killed after the move finished: the root is a link already.
                assert_eq!(code, 2, "{what}: {out}{err}");
                assert!(out.contains("is a symbolic link already"), "{what}: {out}");
            } else {
                assert_eq!(code, 0, "{what}: {out}{err}");
                if phase.is_some() {
                    assert!(
                        out.contains("resumes the interrupted move"),
                        "{what}: {out}"
                    );
                }
            }
            assert_eq!(std::fs::read_link(&lib.root).unwrap(), lib.dest, "{what}");
            assert_same(&before, &lib.dest);
        } else {
            let (code, out, err) = lib.backtop(&["move", &r, "--abort"], &[]);
            assert_eq!(code, 0, "{what}: {out}{err}");
            assert!(std::fs::symlink_metadata(&lib.root).unwrap().is_dir());
            assert_same(&before, &lib.root);
            assert!(!lib.dest.exists(), "{what}: the copy is removed");
        }
        assert_eq!(journal_phase(&lib), None, "{what}: the journal is gone");
        assert_eq!(lib.figures(), figures, "{what}");
        reset(&lib, &pristine);
    }
    eprintln!("journal phases at the kills: {seen:?}");
    // The kills are spread over the run, so they do not all land before the journal exists.
    assert!(seen.iter().any(Option::is_some), "{seen:?}");
}
