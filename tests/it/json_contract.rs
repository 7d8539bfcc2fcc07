//! `docs/json.md` and the real `--json` output agree, both ways: each command runs on a demo
//! library, every field it prints is documented in that command's section, and every
//! documented field that is not *optional* is printed (inside arrays that are not empty).
//! Every document carries `"schema": 1`; errors in JSON mode are the documented error object.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::Duration;

use serde_json::Value;

use crate::support::cli::run_within;

const LIMIT: Duration = Duration::from_secs(120);

/// One documented field.
#[derive(Debug)]
struct Field {
    path: String,
    optional: bool,
    /// `like X`: the elements have X's fields.
    like: Option<String>,
}

/// The field tables of docs/json.md, by section title (`list`, `du`, …, `error`).
fn documented() -> BTreeMap<String, Vec<Field>> {
    let doc = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/json.md"))
        .expect("docs/json.md");
    let mut sections: BTreeMap<String, Vec<Field>> = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in doc.lines() {
        if let Some(title) = line.strip_prefix("## ") {
            current = if title.starts_with("The error document") {
                Some("error".into())
            } else {
                title
                    .strip_prefix("`backtop ")
                    .and_then(|t| t.split([' ', '`']).next())
                    .map(str::to_string)
            };
            continue;
        }
        let (Some(section), Some(row)) = (&current, line.strip_prefix("| `")) else {
            continue;
        };
        let mut cells = row.split(" | ");
        let path = cells.next().unwrap_or("").trim_end_matches('`').to_string();
        let kind = cells.next().unwrap_or("");
        let like = kind
            .strip_prefix("like `")
            .map(|x| x.trim_end_matches('`').to_string());
        sections.entry(section.clone()).or_default().push(Field {
            path,
            optional: kind.contains("optional"),
            like,
        });
    }
    sections
}

/// Every field path in `value` (`a[].b`), and `a[]` for each array that has elements.
fn paths(value: &Value) -> BTreeSet<String> {
    fn walk(v: &Value, at: &str, out: &mut BTreeSet<String>) {
        match v {
            Value::Object(map) => {
                for (k, x) in map {
                    let p = if at.is_empty() {
                        k.clone()
                    } else {
                        format!("{at}.{k}")
                    };
                    out.insert(p.clone());
                    walk(x, &p, out);
                }
            }
            Value::Array(items) if !items.is_empty() => {
                let p = format!("{at}[]");
                out.insert(p.clone());
                for x in items {
                    walk(x, &p, out);
                }
            }
            _ => {}
        }
    }
    let mut out = BTreeSet::new();
    walk(value, "", &mut out);
    out
}

/// `pattern` (with `*` for any one key) matches `path`.
fn matches(pattern: &str, path: &str) -> bool {
    let (a, b): (Vec<&str>, Vec<&str>) = (pattern.split('.').collect(), path.split('.').collect());
    a.len() == b.len()
        && a.iter().zip(&b).all(|(p, q)| {
            // `*` stands for one key; what follows it (`[]`) must follow the key too.
            *p == *q || p.strip_prefix('*') == Some(q.find('[').map_or("", |i| &q[i..]))
        })
}

/// Checks one document against its section; returns the complaints.
fn check(section: &str, fields: &[Field], doc: &Value) -> Vec<String> {
    let mut complaints = Vec::new();
    if doc["schema"] != backtop::commands::json::SCHEMA {
        complaints.push(format!("{section}: no \"schema\": 1 at the top"));
    }
    let printed = paths(doc);
    // An output path under an element documented `like X` is read as the same path under X.
    let alias = |p: &str| -> String {
        for f in fields {
            if let Some(x) = &f.like {
                if let Some(rest) = p.strip_prefix(f.path.as_str()) {
                    return format!("{x}{rest}");
                }
            }
        }
        p.to_string()
    };
    for p in &printed {
        // `a[]` (an array with elements) is documented by `a`'s row.
        let read = alias(p.strip_suffix("[]").unwrap_or(p));
        if !fields.iter().any(|f| matches(&f.path, &read)) {
            complaints.push(format!("{section}: `{p}` is printed but not documented"));
        }
    }
    for f in fields.iter().filter(|f| !f.optional && f.like.is_none()) {
        // Required where its parent is printed (an optional object's fields only with it,
        // an array's element fields only when it has elements).
        let arrays_present = f
            .path
            .match_indices('.')
            .all(|(i, _)| printed.contains(&f.path[..i]));
        let is_wild = f.path.contains('*');
        let present = printed.iter().any(|p| matches(&f.path, p));
        if arrays_present && !is_wild && !present {
            complaints.push(format!(
                "{section}: `{}` is documented but not printed",
                f.path
            ));
        }
    }
    complaints
}

fn json_of(home: &Path, args: &[&str]) -> Value {
    let out = run_within(home, args, LIMIT);
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "backtop {args:?} prints one JSON document ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

#[test]
fn the_documented_fields_and_the_output_agree() {
    let tmp = tempfile::tempdir().unwrap();
    let lib = tmp.path().join("lib");
    crate::support::cli::small_demo(&lib);
    let home = lib.to_str().unwrap();
    let base = ["--only", "--home", home, "--no-cache"];
    let run = |args: &[&str]| json_of(tmp.path(), &[&base[..], args].concat());

    let mut docs: Vec<(&str, Value)> = vec![
        ("list", run(&["list", "--json"])),
        ("du", run(&["du", "--json"])),
        ("roots", run(&["roots", "--json"])),
        ("verify", run(&["verify", "--json"])),
        (
            "prune",
            run(&["prune", "--keep", "1", "--dry-run", "--json"]),
        ),
    ];
    // An unencrypted version to look into and export from.
    let version = docs[0].1["devices"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|d| d["versions"].as_array().unwrap())
        .find(|v| v["encrypted"] == false && v["state"] == "complete")
        .and_then(|v| v["path"].as_str())
        .expect("an unencrypted complete version")
        .to_string();
    docs.push(("ls", run(&["ls", &version, "--json"])));
    docs.push((
        "ls",
        run(&["ls", &version, "HomeDomain", "--recursive", "--json"]),
    ));
    let dest = tmp.path().join("export");
    let dest = dest.to_str().unwrap();
    for extra in [&[][..], &[], &["--rename"]] {
        let args = [
            &["export", &version, "HomeDomain", "--to", dest, "--json"][..],
            extra,
        ]
        .concat();
        docs.push(("export", run(&args)));
    }
    let imazing = lib.join("Library/Application Support/iMazing/Backups");
    let imazing = imazing.to_str().unwrap();
    let far = tmp.path().join("far");
    let far = far.to_str().unwrap();
    docs.push((
        "move",
        run(&["move", imazing, "--to", far, "--dry-run", "--json"]),
    ));
    let inside = format!("{imazing}/inside");
    docs.push(("move", run(&["move", imazing, "--to", &inside, "--json"])));
    docs.push((
        "move",
        run(&[
            "move",
            imazing,
            "--to",
            far,
            "--yes",
            "--keep-source",
            "--json",
        ]),
    ));
    docs.push(("roots", run(&["roots", "--json"])));
    // Two versions of one device (the two newest complete ones), and an encrypted one.
    let versions = |device: &Value| -> Vec<String> {
        device["versions"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|v| v["state"] == "complete")
            .filter_map(|v| v["path"].as_str().map(str::to_string))
            .collect()
    };
    let devices = docs[0].1["devices"].as_array().unwrap().clone();
    let iphone = devices
        .iter()
        .map(versions)
        .find(|v| v.len() >= 2 && v.contains(&version))
        .expect("a device with two complete versions");
    let locked = devices
        .iter()
        .flat_map(|d| d["versions"].as_array().unwrap().clone())
        .find(|v| v["encrypted"] == true)
        .and_then(|v| v["path"].as_str().map(str::to_string))
        .expect("an encrypted version");
    docs.push((
        "diff",
        run(&["diff", &iphone[1], &iphone[0], "--files", "--json"]),
    ));
    docs.push(("diff", run(&["diff", &iphone[1], &iphone[0], "--json"])));
    docs.push(("diff", run(&["diff", &iphone[0], &locked, "--json"])));
    docs.push(("error", run(&["diff", &iphone[0], "/no/such", "--json"])));
    docs.push(("check", run(&["check", "--json"])));
    docs.push((
        "check",
        json_of(
            tmp.path(),
            &["--only", "--root", "/no/such", "check", "--json"],
        ),
    ));
    docs.push(("error", run(&["rm", &iphone[1], "--json"])));
    docs.push((
        "rm",
        run(&[
            "rm",
            &iphone[1],
            &iphone[1],
            "--yes",
            "--permanent",
            "--json",
        ]),
    ));
    docs.push(("rm", run(&["rm", &iphone[0], "--yes", "--json"])));
    docs.push(("error", run(&["prune", "--keep", "1", "--json"])));
    docs.push((
        "prune",
        run(&["prune", "--keep", "1", "--yes", "--permanent", "--json"]),
    ));
    docs.push(("error", run(&["verify", "/no/such/folder", "--json"])));
    docs.push((
        "error",
        json_of(tmp.path(), &["list", "--json", "--no-such-flag"]),
    ));

    let sections = documented();
    for name in [
        "list", "du", "roots", "verify", "prune", "rm", "ls", "export", "move", "diff", "check",
        "error",
    ] {
        assert!(
            sections.contains_key(name),
            "docs/json.md has a `{name}` section"
        );
    }
    let complaints: Vec<String> = docs
        .iter()
        .flat_map(|(name, doc)| check(name, &sections[*name], doc))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    assert!(complaints.is_empty(), "{}", complaints.join("\n"));
}

#[test]
fn the_checker_finds_an_undocumented_and_a_missing_field() {
    let fields = vec![
        Field {
            path: "schema".into(),
            optional: false,
            like: None,
        },
        Field {
            path: "a".into(),
            optional: false,
            like: None,
        },
        Field {
            path: "a[].b".into(),
            optional: false,
            like: None,
        },
        Field {
            path: "c.*".into(),
            optional: false,
            like: None,
        },
        Field {
            path: "c".into(),
            optional: false,
            like: None,
        },
    ];
    let ok = serde_json::json!({"schema": 1, "a": [{"b": 1}], "c": {"x": 1, "y": 2}});
    assert_eq!(check("t", &fields, &ok), Vec::<String>::new());
    let empty_array = serde_json::json!({"schema": 1, "a": [], "c": {}});
    assert_eq!(check("t", &fields, &empty_array), Vec::<String>::new());
    let bad = serde_json::json!({"schema": 1, "a": [{"z": 1}], "c": {}});
    assert_eq!(
        check("t", &fields, &bad),
        vec![
            "t: `a[].z` is printed but not documented".to_string(),
            "t: `a[].b` is documented but not printed".to_string(),
        ]
    );
    let no_schema = serde_json::json!({"a": [], "c": {}});
    assert_eq!(
        check("t", &fields[1..], &no_schema),
        vec!["t: no \"schema\": 1 at the top"]
    );
}
