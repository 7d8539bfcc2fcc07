//! What a command could not look at, said the same way by `list`, `du` and `verify`: folders
//! in a root that could not be read, and roots that need attention (unreadable, blocked by
//! privacy, unplugged, or named and missing). Before, `du` and `verify` said nothing of
//! them: a permission-denied version simply did not appear (issue 11).

use jiff::tz::TimeZone;
use serde_json::{json, Value};

use crate::commands::roots::{self, printable};
use crate::library::{access, Library, RootReport, RootStatus};

/// "Folders that could not be read:" with each folder and its reason, when there are any.
pub fn folders_block(
    library: &Library,
    human_path: impl Fn(&std::path::Path) -> String,
) -> Option<String> {
    if library.unreadable.is_empty() {
        return None;
    }
    let mut block = String::from("Folders that could not be read:\n");
    for item in &library.unreadable {
        block.push_str(&format!("  {}\n", human_path(&item.path)));
        block.push_str(&format!("      {}\n", printable(&item.reason)));
    }
    Some(block)
}

/// The roots that deserve a word (as in `backtop roots`), after a blank line; empty when all
/// is well. Times in UTC (`verify`'s); [`roots_block_in`] takes the zone.
pub fn roots_block(library: &Library) -> String {
    roots_block_in(library, &TimeZone::UTC)
}

/// [`roots_block`] with times in `tz` (`list`, `du`: [`crate::ui::local_time::stamp`]).
pub fn roots_block_in(library: &Library, tz: &TimeZone) -> String {
    let worth: Vec<RootReport> = library
        .roots
        .iter()
        .filter(|r| access::needs_attention(r))
        .cloned()
        .collect();
    if worth.is_empty() {
        return String::new();
    }
    format!("\n{}", roots::render_roots_report(&worth, tz))
}

/// `[{"path", "origin", "status"}]`: every root looked in and whether it could be read
/// (`status` as in `backtop roots --json`).
pub fn roots_json(library: &Library) -> Vec<Value> {
    library
        .roots
        .iter()
        .map(|r| {
            let status = serde_json::to_value(&r.status)
                .ok()
                .and_then(|v| v.get("status").cloned())
                .unwrap_or(Value::Null);
            let mut obj = json!({"origin": &r.root.origin, "status": status});
            crate::commands::json::put_path(&mut obj, "path", &r.root.path);
            obj
        })
        .collect()
}

/// `[{"path", "reason"}]`: the folders that could not be read.
pub fn folders_json(library: &Library) -> Value {
    serde_json::to_value(&library.unreadable).unwrap_or_else(|_| json!([]))
}

/// Something that should have been looked at could not be: a folder, or a root that exists
/// but could not be read (permission, privacy, another error). A missing or unplugged root is
/// not counted: there is nothing there to check.
pub fn anything_unread(library: &Library) -> bool {
    !library.unreadable.is_empty()
        || library.roots.iter().any(|r| {
            matches!(
                r.status,
                RootStatus::PermissionDenied { .. }
                    | RootStatus::PrivacyBlocked { .. }
                    | RootStatus::Error { .. }
            )
        })
}
