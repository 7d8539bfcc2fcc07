//! The browser's jobs: opening a version (its tree and grouping, latest wins), previewing the
//! selected file (latest wins), and exporting (progress with bytes, files and elapsed time;
//! cancel stops at the next 8 MiB and removes the half-written file). An unlocked encrypted
//! version's files are decrypted with the keys from the [`Keyring`]: in memory for a preview,
//! into the destination for an export (nothing else decrypted touches the disk); a locked
//! one's are refused with the reason.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use super::checks::find;
use super::{Ctx, Keyring, Outcome, Progress, THROTTLE};
use crate::actions::export::{
    export_decrypting, flatten, select, Collision, ExportOptions, ExportSummary, NameRules,
    Selection, Source,
};
use crate::library::browse::{self, Browsed, Shared};
use crate::library::manifest::{content_path, NodeId};
use crate::library::unlock::Key;
use crate::library::Library;

/// Opens the version at `path` of `library` for the browser, with its keys from `keyring`
/// when it was unlocked.
pub fn open(path: PathBuf, library: &Library, keyring: &Keyring) -> Outcome {
    let browsed = match find(library, &path) {
        Some(version) => browse::load_with(version, keyring.unlocks().get(&path)),
        None => Browsed::Failed("this version is no longer in the library (rescan?)".into()),
    };
    Outcome::Browsed {
        version: path,
        browsed,
    }
}

/// What to preview: a file of an opened version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreviewRequest {
    /// The opened version.
    pub index: Shared,
    /// The file's node.
    pub node: NodeId,
}

/// Previews the file `request` names (decrypted in memory when its version is encrypted).
pub fn preview(ctx: &Ctx, request: &PreviewRequest, keyring: &Keyring) -> Outcome {
    let index = &request.index.0;
    let node = index.tree.node(request.node);
    let preview = match node.file_id() {
        Some(id) => {
            let path = content_path(&index.dir, index.format, &id);
            if index.encrypted {
                match file_key(keyring, index, &id) {
                    Ok(key) => {
                        browse::preview_decrypted(&path, &key, node.name(), ctx.cancel_flag())
                    }
                    Err(why) => browse::Preview::unavailable(why),
                }
            } else {
                browse::preview(&path, node.name(), ctx.cancel_flag())
            }
        }
        None => browse::Preview::unavailable("the manifest gives it no fileID"),
    };
    Outcome::Previewed {
        version: index.dir.clone(),
        node: request.node,
        preview,
    }
}

/// The key of the file `id` of an encrypted version, or why there is none.
fn file_key(keyring: &Keyring, index: &browse::Index, id: &[u8; 20]) -> Result<Key, String> {
    let keys = keyring.file_keys(&index.dir, index.format)?;
    keys.key(id)
        .map_err(|e| format!("it does not decrypt: {e}"))
}

/// What to export and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportRequest {
    /// The opened version.
    pub index: Shared,
    /// Which part of it.
    pub selection: Selection,
    /// Flatten into `DEST/<this>/…` instead of `DEST/<domain>/…`.
    pub flatten: Option<String>,
    /// The destination folder (created when missing).
    pub dest: PathBuf,
    /// When a name is taken.
    pub collision: Collision,
}

/// Where an export is, as the browser shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ExportProgress {
    /// Files and bytes done and in all.
    pub done: crate::actions::export::ExportProgress,
    /// Time since the export started.
    pub elapsed: Duration,
}

/// Selects and exports what `request` asks for (decrypting each file of an encrypted
/// version with its key from `keyring`), reporting progress at most every [`THROTTLE`].
pub fn export(ctx: &Ctx, request: &ExportRequest, keyring: &Keyring) -> Outcome {
    let index = &request.index.0;
    let keys = match index.encrypted {
        true => match keyring.file_keys(&index.dir, index.format) {
            Ok(keys) => Some(keys),
            Err(why) => return Outcome::Exported(Err(why)),
        },
        false => None,
    };
    let mut items = match select(&index.tree, &request.selection) {
        Ok(items) => items,
        Err(e) => return Outcome::Exported(Err(e.to_string())),
    };
    if let Some(folder) = &request.flatten {
        flatten(&mut items, folder);
    }
    let options = ExportOptions {
        collision: request.collision,
        rules: NameRules::host(),
    };
    let source = Source {
        dir: &index.dir,
        format: index.format,
    };
    let started = Instant::now();
    let mut last: Option<Instant> = None;
    let mut report = |p: &crate::actions::export::ExportProgress| {
        let finished = p.files_done == p.files_total;
        if finished || last.is_none_or(|t| t.elapsed() >= THROTTLE) {
            last = Some(Instant::now());
            ctx.progress(Progress::Export(ExportProgress {
                done: *p,
                elapsed: started.elapsed(),
            }));
        }
    };
    let summary: Result<ExportSummary, String> = export_decrypting(
        source,
        keys.as_deref(),
        &items,
        &request.dest,
        options,
        ctx.cancel_flag(),
        &mut report,
    )
    .map_err(|e| format!("cannot create {}: {e}", request.dest.display()));
    Outcome::Exported(summary.map(|s| (s, started.elapsed())))
}
