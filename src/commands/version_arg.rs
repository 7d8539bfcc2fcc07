//! The `VERSION` argument of `ls` and `export`: a version folder's path (as `list` prints it)
//! or `UDID@YYYY-MM-DD`, the one version of that device dated that day (UTC).

use std::path::Path;

use time::macros::format_description;
use time::{Date, OffsetDateTime, UtcOffset};

use crate::actions::guard::canonical_keep_last;
use crate::commands::roots::human_utc;
use crate::library::read_version::read_version;
use crate::library::{Library, Version, VersionKind};

/// Why a `VERSION` argument names no single version.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VersionArgError {
    /// Neither a folder nor `UDID@YYYY-MM-DD`.
    #[error("{0}: no such folder, and not UDID@YYYY-MM-DD")]
    NotFound(String),
    /// No version of that device on that day.
    #[error("{0}: no version of that device is dated that day (UTC)")]
    NoVersion(String),
    /// Several versions that day: the path tells them apart.
    #[error("{arg}: {count} versions that day; give one's path instead:{paths}")]
    Ambiguous {
        /// The argument.
        arg: String,
        /// How many.
        count: usize,
        /// Their paths and dates, one per line.
        paths: String,
    },
}

/// The version `arg` names among `library`'s; a folder that discovery did not find (not under
/// a root) is read as a backup on its own.
pub fn find_version(
    library: &Library,
    arg: &str,
    now: OffsetDateTime,
) -> Result<Version, VersionArgError> {
    let path = Path::new(arg);
    if path.is_dir() {
        let canonical = canonical_keep_last(path);
        let found = library
            .versions()
            .find(|v| canonical_keep_last(&v.path) == canonical);
        return Ok(match found {
            Some(v) => v.clone(),
            None => read_version(
                path,
                path.parent().unwrap_or(path),
                VersionKind::Archive,
                now,
            ),
        });
    }
    let Some((udid, day)) = split_udid_day(arg) else {
        return Err(VersionArgError::NotFound(arg.to_string()));
    };
    let matches: Vec<&Version> = library
        .versions()
        .filter(|v| {
            v.udid
                .as_deref()
                .is_some_and(|u| u.eq_ignore_ascii_case(udid))
        })
        .filter(|v| {
            v.date
                .is_some_and(|d| d.to_offset(UtcOffset::UTC).date() == day)
        })
        .collect();
    match matches.as_slice() {
        [] => Err(VersionArgError::NoVersion(arg.to_string())),
        [one] => Ok((*one).clone()),
        many => Err(VersionArgError::Ambiguous {
            arg: arg.to_string(),
            count: many.len(),
            paths: many
                .iter()
                .map(|v| {
                    let date = v.date.map(human_utc).unwrap_or_default();
                    format!("\n  {date}  {}", v.path.display())
                })
                .collect(),
        }),
    }
}

/// `UDID@YYYY-MM-DD` split into the UDID and the day.
fn split_udid_day(arg: &str) -> Option<(&str, Date)> {
    let (udid, day) = arg.rsplit_once('@')?;
    let day = Date::parse(day, format_description!("[year]-[month]-[day]")).ok()?;
    (!udid.is_empty()).then_some((udid, day))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn udid_at_day_splits() {
        let (udid, day) = split_udid_day("00008110-ABC@2024-06-01").unwrap();
        assert_eq!(
            (udid, day.to_string().as_str()),
            ("00008110-ABC", "2024-06-01")
        );
        assert_eq!(split_udid_day("x@2024-13-01"), None);
        assert_eq!(split_udid_day("@2024-06-01"), None);
        assert_eq!(split_udid_day("no-at-sign"), None);
    }
}
