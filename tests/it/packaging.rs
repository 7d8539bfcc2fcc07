//! The published package holds only what builds the binary: Cargo.toml's `include` list names
//! the sources and the documents beside them, and nothing the sources pull in at compile time
//! (`include_str!`, `include_bytes!`) lies outside it; and `cargo package --list` itself, run
//! offline, lists no screenshot, font, snapshot, test or example.

use std::path::Path;

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn the_include_list_is_the_sources_and_the_documents() {
    let text = std::fs::read_to_string(manifest_dir().join("Cargo.toml")).unwrap();
    let doc: toml::Table = toml::from_str(&text).unwrap();
    let include: Vec<&str> = doc["package"]["include"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(
        include,
        [
            "/src/**/*.rs",
            "/Cargo.toml",
            "/Cargo.lock",
            "/README.md",
            "/LICENSE",
            "/CHANGELOG.md"
        ]
    );
    for file in [
        "README.md",
        "LICENSE",
        "CHANGELOG.md",
        "src/main.rs",
        "src/lib.rs",
    ] {
        assert!(manifest_dir().join(file).is_file(), "{file}");
    }
}

#[test]
fn no_source_pulls_in_a_file_outside_src() {
    let mut stack = vec![manifest_dir().join("src")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for (i, line) in text.lines().enumerate() {
                let pulls = ["include_str!(", "include_bytes!("]
                    .iter()
                    .any(|m| line.contains(m) && !line.trim_start().starts_with("//"));
                assert!(
                    !pulls || !line.contains(".."),
                    "{}:{}: pulls in a file outside src/",
                    path.display(),
                    i + 1
                );
            }
        }
    }
}

#[test]
fn cargo_package_lists_no_screenshots_fonts_or_tests() {
    let out = std::process::Command::new(env!("CARGO"))
        .args(["package", "--list", "--allow-dirty", "--offline"])
        .current_dir(manifest_dir())
        .output()
        .unwrap();
    let list = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let files: Vec<&str> = list.lines().collect();
    assert!(
        files.contains(&"src/main.rs") && files.contains(&"LICENSE"),
        "{list}"
    );
    let unwanted = |f: &str| {
        ["screenshots/", "tests/", "examples/", "docs/"]
            .iter()
            .any(|d| f.starts_with(d))
            || f.ends_with(".png")
            || f.ends_with(".ttf")
    };
    let found: Vec<&str> = files.iter().copied().filter(|f| unwanted(f)).collect();
    assert!(found.is_empty(), "{found:?}");
}

/// The format facts live in docs/FORMAT.md; nothing in the repository points at notes a clone
/// does not have (FORMAT.md §6 cited the format notes of a folder beside the clone).
#[test]
fn no_document_or_source_cites_notes_outside_the_repository() {
    let mut stack = vec![
        manifest_dir().join("src"),
        manifest_dir().join("docs"),
        manifest_dir().join("tests"),
        manifest_dir().join("examples"),
    ];
    let mut files = vec![
        manifest_dir().join("README.md"),
        manifest_dir().join("CONTRIBUTING.md"),
    ];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs" || e == "md") {
                files.push(path);
            }
        }
    }
    // Spelled in two halves so that this file does not match itself.
    let outside = ["../shared", "/docs/", "backup-", "format.md"];
    let (shared, notes) = (
        format!("{}{}", outside[0], outside[1]),
        format!("{}{}", outside[2], outside[3]),
    );
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for (i, line) in text.lines().enumerate() {
            assert!(
                !line.contains(&shared) && !line.contains(&notes),
                "{}:{}: {line}",
                file.display(),
                i + 1
            );
        }
    }
}
