//! `backtop move` through the real binary on the demo library's iMazing root (live backups
//! with hard-linked snapshots, sparse files): moved away and back with every file's bytes,
//! mode, mtime and hard-link count kept; `du` and `list` figures unchanged; the dry run's
//! exact plan; refusals; a stop after a phase then resume or `--abort`.

use std::collections::BTreeMap;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::AtomicBool;

use backtop::actions::relocate::tree::{compare, read_tree, Tree};
use serde_json::Value;

pub(crate) struct Lib {
    pub(crate) tmp: tempfile::TempDir,
    pub(crate) root: PathBuf,
    pub(crate) dest: PathBuf,
}

/// `backtop demo` into a temporary home (in RAM where Linux has it).
pub(crate) fn demo() -> Lib {
    let shm = Path::new("/dev/shm");
    let tmp = if shm.is_dir() {
        tempfile::tempdir_in(shm).unwrap()
    } else {
        tempfile::tempdir().unwrap()
    };
    let home = tmp.path().join("home");
    let (code, out, err) = run_in(&tmp, &["demo".as_ref(), home.as_os_str()], &[]);
    assert_eq!(code, 0, "{out}{err}");
    Lib {
        root: home.join("Library/Application Support/iMazing/Backups"),
        dest: tmp.path().join("Backup Drive/iMazing Backups"),
        tmp,
    }
}

/// Runs the binary with HOME and XDG folders inside the test's folder and no terminal.
fn run_in(
    tmp: &tempfile::TempDir,
    args: &[&std::ffi::OsStr],
    env: &[(&str, &str)],
) -> (i32, String, String) {
    let out = command_in(tmp, args, env).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The binary with `args`, HOME and XDG folders inside the test's folder, no terminal.
pub(crate) fn command_in(
    tmp: &tempfile::TempDir,
    args: &[&std::ffi::OsStr],
    env: &[(&str, &str)],
) -> Command {
    let env_dir = tmp.path().join("env");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_backtop"));
    cmd.args(args)
        .env("HOME", &env_dir)
        .env("XDG_CONFIG_HOME", env_dir.join("config"))
        .env("XDG_CACHE_HOME", env_dir.join("cache"))
        .env("XDG_DATA_HOME", env_dir.join("data"))
        .env_remove("BACKTOP_ROOTS")
        .env_remove("BACKTOP_FAULT_AFTER")
        .env_remove("BACKTOP_FREE_BYTES")
        .stdin(Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd
}

impl Lib {
    /// `backtop --only --root ROOT --no-cache ARGS...`.
    pub(crate) fn backtop(&self, args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
        let out = self.command(args, env).output().unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// The command [`Lib::backtop`] runs, to spawn.
    pub(crate) fn command(&self, args: &[&str], env: &[(&str, &str)]) -> Command {
        let mut all: Vec<&std::ffi::OsStr> = vec![
            "--only".as_ref(),
            "--root".as_ref(),
            self.root.as_os_str(),
            "--no-cache".as_ref(),
        ];
        all.extend(args.iter().map(|a| std::ffi::OsStr::new(*a)));
        command_in(&self.tmp, &all, env)
    }

    pub(crate) fn root_str(&self) -> &str {
        self.root.to_str().unwrap()
    }

    pub(crate) fn dest_str(&self) -> &str {
        self.dest.to_str().unwrap()
    }

    /// `list --json` and `du --json` with the far folder's paths written as the root's, and
    /// the volumes' free figures (which the copy itself changes) left out.
    pub(crate) fn figures(&self) -> (Value, Value) {
        let get = |cmd: &str| {
            let (code, out, err) = self.backtop(&[cmd, "--json"], &[]);
            assert_eq!(code, 0, "{err}");
            let text = out.replace(self.dest_str(), self.root_str());
            let mut v: Value = serde_json::from_str(&text).unwrap();
            if let Some(vols) = v.get_mut("volumes").and_then(Value::as_array_mut) {
                for vol in vols {
                    vol.as_object_mut().unwrap().remove("free");
                }
            }
            v
        };
        (get("list"), get("du"))
    }
}

/// What must not change: digests, sizes, modes, mtimes, links (the record) and every file's
/// hard-link count.
pub(crate) fn snapshot(top: &Path) -> (Tree, BTreeMap<PathBuf, u64>) {
    let tree = read_tree(top, true, &AtomicBool::new(false), &mut |_| {}).unwrap();
    let nlinks = walkdir::WalkDir::new(top)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(top).unwrap().to_path_buf();
            (rel, e.metadata().unwrap().nlink())
        })
        .collect();
    (tree, nlinks)
}

pub(crate) fn assert_same(before: &(Tree, BTreeMap<PathBuf, u64>), top: &Path) {
    let now = snapshot(top);
    let diff = compare(&before.0, &now.0, true);
    assert!(diff.is_empty(), "{:?}", diff.first);
    assert_eq!(before.1, now.1, "hard-link counts");
}

#[test]
fn a_root_with_imazing_snapshots_moves_away_and_back() {
    let lib = demo();
    let before = snapshot(&lib.root);
    assert!(
        before.1.values().any(|n| *n > 1),
        "the demo links snapshots to the live backup"
    );
    let figures = lib.figures();

    // The dry run prints the plan, exactly, and changes nothing.
    let (code, out, _) = lib.backtop(
        &["move", lib.root_str(), "--to", lib.dest_str(), "--dry-run"],
        &[("BACKTOP_FREE_BYTES", "25000000000")],
    );
    assert_eq!(code, 0);
    let (r, d) = (lib.root_str(), lib.dest_str());
    let expected = [
        format!("will move {r} (4 versions) to {d}:"),
        "  copy 2116 files, 884 folders, 0 links: 86.68 GB (5.14 MB on disk, hard links counted once and kept)".to_string(),
        "  free on the destination's volume: 25 GB".to_string(),
        "  verify: every file read back from the copy and compared by SHA-1".to_string(),
        format!("  then {r} becomes a link to {d}"),
        "  the original is removed only if you say so below".to_string(),
    ];
    assert_eq!(out.lines().collect::<Vec<_>>(), expected);
    assert!(!lib.dest.exists());
    assert!(std::fs::symlink_metadata(&lib.root).unwrap().is_dir());

    // Away.
    let (code, out, err) = lib.backtop(&["move", r, "--to", d, "--yes"], &[]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("the original was removed permanently"),
        "{out}"
    );
    assert_eq!(std::fs::read_link(&lib.root).unwrap(), lib.dest);
    assert_same(&before, &lib.dest);
    assert_eq!(lib.figures(), figures);

    // Back.
    let (code, out, err) = lib.backtop(&["move", "--back", r, "--yes"], &[]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains(&format!("moved back: {r} is a folder again")),
        "{out}"
    );
    assert!(std::fs::symlink_metadata(&lib.root).unwrap().is_dir());
    assert!(!lib.dest.exists());
    assert_same(&before, &lib.root);
    assert_eq!(lib.figures(), figures);
}

#[test]
fn refusals_change_nothing_and_say_why() {
    let lib = demo();
    let (r, d) = (lib.root_str(), lib.dest_str());
    let refused = |args: &[&str], env: &[(&str, &str)], words: &str| {
        let (code, out, err) = lib.backtop(args, env);
        assert_eq!(code, 2, "{args:?}: {out}{err}");
        assert!(out.contains(words), "{args:?}: {out}");
        assert!(std::fs::symlink_metadata(&lib.root).unwrap().is_dir());
        assert!(!lib.root.with_file_name(".backtop-move-Backups").exists());
    };
    refused(
        &["move", r, "--to", d, "--yes"],
        &[("BACKTOP_FREE_BYTES", "1000000")],
        "the copy needs 5.14 MB (space on disk, hard links counted once) and the destination's volume has 1 MB free",
    );
    let inside = format!("{r}/iMazing.Versions/elsewhere");
    refused(
        &["move", r, "--to", &inside, "--yes"],
        &[],
        "is inside the folder being moved",
    );
    std::fs::create_dir_all(&lib.dest).unwrap();
    std::fs::write(lib.dest.join("notes.txt"), b"mine").unwrap();
    refused(&["move", r, "--to", d, "--yes"], &[], "is not empty");
    std::fs::remove_dir_all(&lib.dest).unwrap();
    refused(
        &["move", r, "--to", d],
        &[],
        "not a terminal: refusing to move without --yes",
    );
    refused(
        &["--read-only", "move", r, "--to", d, "--yes"],
        &[],
        "read-only",
    );
    refused(
        &["move", "--back", r, "--yes"],
        &[],
        "is a folder, not a link",
    );
    // A backup being written into one of its versions (a fresh `Snapshot/` folder).
    let live = std::fs::read_dir(&lib.root)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.is_dir() && !p.ends_with("iMazing.Versions"))
        .unwrap();
    let mtime = std::fs::metadata(&live).unwrap().modified().unwrap();
    std::fs::create_dir(live.join("Snapshot")).unwrap();
    refused(
        &["move", r, "--to", d, "--yes"],
        &[],
        &format!("a backup is being written into {} now", live.display()),
    );
    std::fs::remove_dir(live.join("Snapshot")).unwrap();
    // Its old time back, so that its state is as before (the demo's may be unfinished).
    std::fs::File::open(&live)
        .unwrap()
        .set_modified(mtime)
        .unwrap();
    assert!(!lib.dest.exists());

    // In JSON mode a refusal is the error document, with the plan's reason beside it; and
    // JSON mode asks nothing, so it needs --yes.
    let json = |args: &[&str]| -> Value {
        let (code, out, err) = lib.backtop(args, &[]);
        assert_eq!(code, 2, "{args:?}: {out}{err}");
        assert!(err.contains("refused"), "{err}");
        serde_json::from_str(&out).unwrap()
    };
    let inside = format!("{r}/inside");
    let v = json(&["move", r, "--to", &inside, "--yes", "--json"]);
    assert_eq!(v["schema"], 1);
    assert_eq!(v["error"]["exit_code"], 2);
    assert_eq!(v["refused"]["kind"], "nested");
    assert_eq!(v["root"], r);
    let v = json(&["move", r, "--to", d, "--json"]);
    assert_eq!(v["error"]["exit_code"], 2);
    assert!(v["error"]["message"]
        .as_str()
        .unwrap()
        .contains("without --yes in JSON mode"));
    assert!(v.get("refused").is_none());
    assert!(!lib.dest.exists());
    assert!(!lib.root.with_file_name(".backtop-move-Backups").exists());
}

#[test]
fn a_move_stopped_after_a_phase_lists_every_version_and_resumes_or_rolls_back() {
    let lib = demo();
    let before = snapshot(&lib.root);
    let figures = lib.figures();
    let (r, d) = (lib.root_str(), lib.dest_str());

    let (code, out, _) = lib.backtop(
        &["move", r, "--to", d, "--yes"],
        &[("BACKTOP_FAULT_AFTER", "verify")],
    );
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("stopped after verify on purpose"), "{out}");
    assert_eq!(
        lib.figures(),
        figures,
        "every version listed once, as before"
    );
    let (code, out, err) = lib.backtop(&["move", r, "--to", d, "--yes"], &[]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("resumes the interrupted move (verify done)"),
        "{out}"
    );
    assert_eq!(std::fs::read_link(&lib.root).unwrap(), lib.dest);
    assert_same(&before, &lib.dest);
    let (_, roots, _) = lib.backtop(&["roots"], &[]);
    assert!(roots.contains(&format!("ok            {d}\n")), "{roots}");
    assert!(
        roots.contains(&format!(
            "moved here from {r} (a link to this folder now)\n"
        )),
        "{roots}"
    );
    // The drive goes away: the roots report says so.
    let away = lib.dest.with_file_name("unplugged");
    std::fs::rename(&lib.dest, &away).unwrap();
    // By the volume's identity (the note `move` left beside the link, its id beside DEST):
    // the volume named as it was mounted at the move.
    let (_, roots, _) = lib.backtop(&["roots"], &[]);
    let volume = backtop::library::mounts::current()
        .and_then(|m| {
            backtop::library::mounts::mount_point_of(&lib.dest, &m).map(Path::to_path_buf)
        })
        .unwrap_or_else(|| PathBuf::from("/"));
    assert!(
        roots.contains(&format!(
            "moved to {d} (volume {}): drive not connected",
            volume.display()
        )),
        "{roots}"
    );
    let (_, json, _) = lib.backtop(&["roots", "--json"], &[]);
    let json: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["moved"][0]["connected"], false, "{json}");
    assert_eq!(
        json["moved"][0]["volume"],
        volume.to_str().unwrap(),
        "{json}"
    );
    std::fs::rename(&away, &lib.dest).unwrap();

    // Back, stopped after the switch, then rolled back: the link to DEST again.
    let (code, out, _) = lib.backtop(
        &["move", "--back", r, "--yes"],
        &[("BACKTOP_FAULT_AFTER", "switch")],
    );
    assert_eq!(code, 1, "{out}");
    assert_eq!(lib.figures(), figures);
    let (code, out, err) = lib.backtop(&["move", "--back", r, "--abort"], &[]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("rolled back"), "{out}");
    assert_eq!(std::fs::read_link(&lib.root).unwrap(), lib.dest);
    assert_same(&before, &lib.dest);
    assert_eq!(lib.figures(), figures);
    assert!(!lib.root.with_file_name(".backtop-move-Backups").exists());
}
