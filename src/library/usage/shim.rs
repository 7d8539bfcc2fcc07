//! TEMPORARY stand-in for `crate::library::{category, manifest}` (being written on branch
//! `manifest`). Same signatures; minimal behaviour. Deleted after `git merge manifest`.

use std::collections::HashMap;
use std::path::Path;

use crate::library::category::Category;
use crate::library::{Error, ManifestFormat, Result};

/// Stand-in for `category::is_metadata_file`.
pub fn is_metadata_file(name: &str) -> bool {
    matches!(
        name,
        "Manifest.db"
            | "Manifest.db-wal"
            | "Manifest.db-shm"
            | "Manifest.mbdb"
            | "Manifest.mbdx"
            | "Info.plist"
            | "Manifest.plist"
            | "Status.plist"
    )
}

/// Stand-in for `category::classify`.
pub fn classify(domain: &str, _relative_path: &str) -> (Category, Option<String>) {
    for prefix in ["AppDomainGroup-", "AppDomainPlugin-", "AppDomain-"] {
        if let Some(bundle) = domain.strip_prefix(prefix) {
            return (Category::Apps, Some(bundle.to_string()));
        }
    }
    if domain == "CameraRollDomain" {
        return (Category::Photos, None);
    }
    (Category::System, None)
}

/// Stand-in for `manifest::FileClass`.
#[derive(Debug, Clone, Copy)]
pub struct FileClass {
    /// Category.
    pub category: Category,
    /// Index into `app_bundles`.
    pub app: Option<u32>,
}

/// Stand-in for `manifest::ManifestIndex`.
#[derive(Debug, Default)]
pub struct ManifestIndex {
    rows: HashMap<[u8; 20], FileClass>,
    apps: Vec<String>,
}

impl ManifestIndex {
    /// Loads `Manifest.db` (Mbdb is not supported by the stand-in).
    pub fn load(version_dir: &Path, format: ManifestFormat) -> Result<Self> {
        let path = version_dir.join("Manifest.db");
        if format != ManifestFormat::Db {
            return Err(Error::invalid(
                version_dir,
                "stand-in reads Manifest.db only",
            ));
        }
        let sql = |source| Error::Sqlite {
            path: path.clone(),
            source,
        };
        let conn = rusqlite::Connection::open_with_flags(
            &path,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
        )
        .map_err(sql)?;
        let mut stmt = conn
            .prepare("SELECT fileID, domain, relativePath FROM Files WHERE +flags = 1")
            .map_err(sql)?;
        let mut rows = stmt.query([]).map_err(sql)?;
        let mut index = ManifestIndex::default();
        let mut app_ids: HashMap<String, u32> = HashMap::new();
        while let Some(row) = rows.next().map_err(sql)? {
            let id: String = row.get(0).map_err(sql)?;
            let domain: String = row.get(1).map_err(sql)?;
            let rel: String = row.get(2).map_err(sql)?;
            let Some(key) = parse_file_id(id.as_bytes()) else {
                continue;
            };
            let (category, bundle) = classify(&domain, &rel);
            let app = bundle.map(|b| {
                let next = index.apps.len() as u32;
                *app_ids.entry(b.clone()).or_insert_with(|| {
                    index.apps.push(b);
                    next
                })
            });
            index.rows.insert(key, FileClass { category, app });
        }
        Ok(index)
    }

    /// The class of a fileID.
    pub fn get(&self, id: &[u8; 20]) -> Option<FileClass> {
        self.rows.get(id).copied()
    }

    /// Bundle ids, indexed by `FileClass::app`.
    pub fn app_bundles(&self) -> &[String] {
        &self.apps
    }
}

/// Stand-in for `manifest::parse_file_id`: 40 lowercase hex digits.
pub fn parse_file_id(name: &[u8]) -> Option<[u8; 20]> {
    if name.len() != 40 {
        return None;
    }
    let mut out = [0u8; 20];
    hex::decode_to_slice(name, &mut out).ok()?;
    Some(out)
}
