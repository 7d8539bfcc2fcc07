//! The config file through the real binary: found under `$XDG_CONFIG_HOME/backtop/`, its
//! unknown keys warned about with the file and line, its switches applied (`read_only`).

use std::path::Path;
use std::process::Output;

use backtop::demo::{write_backup, BackupSpec};

/// Runs the binary with a home and config folder of its own under `tmp`.
fn backtop(tmp: &Path, args: &[&str]) -> Output {
    crate::support::cli::run_within(tmp, args, std::time::Duration::from_secs(60))
}

fn write_config(tmp: &Path, text: &str) -> std::path::PathBuf {
    let dir = tmp.join("config/backtop");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("config.toml"), text).unwrap();
    dir.join("config.toml")
}

#[test]
fn a_misspelt_key_is_warned_with_its_line_and_roots_are_used() {
    let tmp = tempfile::tempdir().unwrap();
    let lib = tmp.path().join("lib");
    write_backup(
        &lib.join("00008110-001A2B3C4D5E6F70"),
        &BackupSpec::new("00008110-001A2B3C4D5E6F70", "Cy's iPhone", "iPhone15,2"),
    )
    .unwrap();
    let file = write_config(
        tmp.path(),
        &format!("roots = [\"{}\"]\nread_onyl = true\n", lib.display()),
    );
    let out = backtop(tmp.path(), &["list"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "backtop: {}:2: unknown key `read_onyl` ignored",
            file.display()
        )),
        "{stderr}"
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("Cy's iPhone"));
}

#[test]
fn read_only_in_the_config_refuses_rm_and_a_broken_file_stops_the_run() {
    let tmp = tempfile::tempdir().unwrap();
    let version = tmp.path().join("lib/00008110-001A2B3C4D5E6F70");
    write_backup(
        &version,
        &BackupSpec::new("00008110-001A2B3C4D5E6F70", "Cy's iPhone", "iPhone15,2"),
    )
    .unwrap();
    write_config(tmp.path(), "read_only = true\n");
    let root = tmp.path().join("lib").display().to_string();
    let v = version.display().to_string();
    let out = backtop(tmp.path(), &["rm", "--only", "--root", &root, &v, "--yes"]);
    let said =
        String::from_utf8_lossy(&out.stderr).into_owned() + &String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "refused: {said}");
    assert!(said.contains("read-only mode"), "{said}");
    assert!(version.join("Info.plist").is_file(), "nothing deleted");

    let file = write_config(tmp.path(), "read_only = \"yes\"\n");
    let out = backtop(tmp.path(), &["list", "--only", "--root", &root]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{stderr}");
    assert!(stderr.contains(&file.display().to_string()), "{stderr}");
}
