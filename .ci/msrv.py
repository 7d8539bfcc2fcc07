#!/usr/bin/env python3
"""Checks that Cargo.toml's rust-version is no lower than what the locked dependencies declare.

Only one toolchain is installed here, so this cannot build with the declared version itself;
it reads each locked package's own `rust-version` (cargo metadata) and fails when one needs a
newer Rust than backtop says. backtop's own code needs 1.89 (std::fs::File::try_lock), which
is why the declared version may be above the dependencies' maximum, never below it.
"""
import json
import subprocess
import sys


def version(text):
    parts = [int(part) for part in text.split(".")]
    return tuple(parts + [0] * (3 - len(parts)))


meta = json.loads(
    subprocess.check_output(
        ["cargo", "metadata", "--format-version", "1", "--locked"]
    )
)
root = next(p for p in meta["packages"] if p["name"] == "backtop")
declared = version(root["rust_version"])
needs = sorted(
    ((version(p["rust_version"]), f'{p["name"]} {p["version"]}')
     for p in meta["packages"] if p.get("rust_version") and p["name"] != "backtop"),
    reverse=True,
)
highest, who = needs[0]
print(f"rust-version {root['rust_version']}; the highest a dependency declares: "
      f"{'.'.join(map(str, highest))} ({who})")
if highest > declared:
    sys.exit(f"error: {who} needs Rust {'.'.join(map(str, highest))}, above rust-version")
