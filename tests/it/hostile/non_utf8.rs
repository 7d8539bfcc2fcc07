//! Non-UTF-8 names (issue 11, item 3): a version folder whose name is not UTF-8 made `du
//! --json` panic and `verify --json` exit 4 with no report at all. Now every `--json` output
//! carries such a path as lossy text plus its raw bytes (`path_bytes`), and nothing else of
//! the output is lost.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::time::Duration;

use serde_json::Value;

use backtop::demo::damaged::healthy_spec;
use backtop::demo::write_backup;
use backtop::library::ManifestFormat;

use crate::support::cli::run_within;

const ODD: &[u8] = b"iPhone-caf\xe9";

#[test]
fn json_outputs_carry_a_non_utf8_folder_as_text_and_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("lib");
    let odd = root.join(OsStr::from_bytes(ODD));
    let spec = |n: &str| healthy_spec(&format!("{n:0>40}"), n, ManifestFormat::Db);
    write_backup(&odd, &spec("1")).unwrap();
    write_backup(&root.join("plain"), &spec("2")).unwrap();
    let r = root.to_str().unwrap();
    let mut raw = root.as_os_str().as_bytes().to_vec();
    raw.push(b'/');
    raw.extend_from_slice(ODD);
    for command in ["list", "du", "verify"] {
        let out = run_within(
            tmp.path(),
            &["--only", "--root", r, "--no-cache", command, "--json"],
            Duration::from_secs(60),
        );
        assert_eq!(
            out.status.code(),
            Some(0),
            "{command}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
        let text = doc.to_string();
        assert!(
            text.contains(&format!("{r}/iPhone-caf\u{FFFD}")),
            "{command}: {text}"
        );
        assert!(
            text.contains(&format!(
                "\"path_bytes\":{}",
                serde_json::to_string(&raw).unwrap()
            )),
            "{command}: {text}"
        );
        assert!(text.contains(&format!("{r}/plain")), "{command}: {text}");
        assert_eq!(text.matches("path_bytes").count(), 1, "{command}: {text}");
    }
}
