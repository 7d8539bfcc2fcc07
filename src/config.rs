//! The config file, `backtop/config.toml`: defaults for the global options, read once at start.
//!
//! ```toml
//! roots = ["/srv/backups", "~/iphone"]   # folders holding backups, added to the defaults
//! read_only = true                       # as --read-only
//! ascii = true                           # as --ascii
//! cache = false                          # as --no-cache
//! color = "never"                        # "auto" (default: colours unless NO_COLOR) or "never"
//! time = "utc"                           # dates in UTC; "local" (default): the system's zone,
//!                                        # each date with its own offset (dashboard and list)
//!
//! [alerts]                               # see `alerts` and docs/MONITORING.md
//! max_age = "14d"
//! duplicate = "off"                      # each kind: "warning", "critical" or "off"
//! ```
//!
//! A flag on the command line only ever adds to what the file says (`--read-only` with
//! `read_only = false` is read-only). A key backtop does not know is not an error but a
//! warning naming the file and line, so a misspelt key is noticed instead of silently ignored.
//!
//! Where the file is looked for, first found wins: `$XDG_CONFIG_HOME/backtop/config.toml`
//! (else `~/.config/backtop/config.toml`) on Linux **and macOS** (where command-line users put
//! it), then on macOS the platform folder `~/Library/Application Support/backtop/config.toml`;
//! on Windows `%APPDATA%\backtop\config.toml`. The search is [`candidates`], a pure function.

mod alerts;

use std::path::{Path, PathBuf};

use serde::Deserialize;

pub use alerts::ALERT_KEYS;

use crate::library::alerts::AlertSettings;

use crate::library::locate::sources::expand_tilde;
use crate::library::locate::Os;

/// The config file's name under the `backtop` config folder.
pub const CONFIG_FILE: &str = "config.toml";

/// Every key the file may hold, in the order the docs list them.
pub const KNOWN_KEYS: &[&str] = &[
    "roots",
    "read_only",
    "ascii",
    "cache",
    "color",
    "time",
    "alerts",
];

/// What the file sets; the defaults are what backtop does without a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Extra roots, `~` expanded.
    pub roots: Vec<PathBuf>,
    /// No destructive key or command.
    pub read_only: bool,
    /// ASCII borders and gauges.
    pub ascii: bool,
    /// Read and write the size cache.
    pub cache: bool,
    /// Use colours (still off when `NO_COLOR` is set).
    pub color: bool,
    /// Show dates in UTC (`time = "utc"`) instead of the system's time zone, in the dashboard
    /// and in `list`.
    pub utc: bool,
    /// The `[alerts]` table: maximum age and severities.
    pub alerts: AlertSettings,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            roots: Vec::new(),
            read_only: false,
            ascii: false,
            cache: true,
            color: true,
            utc: false,
            alerts: AlertSettings::default(),
        }
    }
}

/// A key the file holds that backtop does not know: said, never fatal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigWarning {
    /// The config file.
    pub file: PathBuf,
    /// 1-based line of the key, when it could be found.
    pub line: Option<usize>,
    /// The unknown key (`alerts.x` for one inside `[alerts]`).
    pub key: String,
    /// The keys known where it was found.
    pub known: &'static [&'static str],
}

impl std::fmt::Display for ConfigWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        write!(
            f,
            ": unknown key `{}` ignored (known keys: {})",
            self.key,
            self.known.join(", ")
        )
    }
}

/// Why the config file could not be used; running on without it would surprise (a
/// `read_only = true` silently dropped), so these stop the run.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file exists but could not be read.
    #[error("{}: {source}", file.display())]
    Unreadable {
        /// The config file.
        file: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// Not TOML, or a known key with the wrong type or value.
    #[error("{}: {message}", file.display())]
    Invalid {
        /// The config file.
        file: PathBuf,
        /// The parser's message (with its line).
        message: String,
    },
}

/// The config of this run: the file it came from (if any) and its unknown keys.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoadedConfig {
    /// The file read; `None` when there is none.
    pub file: Option<PathBuf>,
    /// What it sets.
    pub config: Config,
    /// Keys it holds that are not known.
    pub warnings: Vec<ConfigWarning>,
}

/// Where the OS keeps config files, as the search needs them.
#[derive(Debug, Clone, Default)]
pub struct ConfigDirs {
    /// The user's home.
    pub home: Option<PathBuf>,
    /// `$XDG_CONFIG_HOME`, when set and absolute.
    pub xdg_config_home: Option<PathBuf>,
    /// The platform's config folder (`dirs::config_dir`: `~/Library/Application Support`,
    /// `%APPDATA%`, or the XDG one on Linux).
    pub platform: Option<PathBuf>,
}

impl ConfigDirs {
    /// The folders of the running process.
    pub fn current() -> Self {
        ConfigDirs {
            home: dirs::home_dir(),
            xdg_config_home: std::env::var_os("XDG_CONFIG_HOME")
                .map(PathBuf::from)
                .filter(|p| p.is_absolute()),
            platform: dirs::config_dir(),
        }
    }
}

/// The places the config file is looked for on `os`, in order; the first that exists is used.
pub fn candidates(os: Os, dirs: &ConfigDirs) -> Vec<PathBuf> {
    let file = |dir: &Path| dir.join("backtop").join(CONFIG_FILE);
    let xdg = dirs
        .xdg_config_home
        .clone()
        .or_else(|| dirs.home.as_ref().map(|h| h.join(".config")));
    let mut out = Vec::new();
    match os {
        Os::Windows => out.extend(dirs.platform.as_deref().map(file)),
        Os::Linux | Os::MacOs => {
            out.extend(xdg.as_deref().map(file));
            out.extend(dirs.platform.as_deref().map(file));
        }
    }
    out.dedup();
    out
}

/// Reads the first of `candidates` that exists; none gives the defaults.
pub fn load(candidates: &[PathBuf], home: Option<&Path>) -> Result<LoadedConfig, ConfigError> {
    for file in candidates {
        let text = match std::fs::read_to_string(file) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(source) => {
                return Err(ConfigError::Unreadable {
                    file: file.clone(),
                    source,
                })
            }
        };
        return parse(&text, file, home);
    }
    Ok(LoadedConfig::default())
}

/// The keys as the file may write them (`color` as a word).
#[derive(Debug, Default, Deserialize)]
struct RawConfig {
    roots: Option<Vec<PathBuf>>,
    read_only: Option<bool>,
    ascii: Option<bool>,
    cache: Option<bool>,
    color: Option<ColorChoice>,
    time: Option<TimeChoice>,
    alerts: Option<alerts::RawAlerts>,
}

/// `time = "local" | "utc"`.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
enum TimeChoice {
    Local,
    Utc,
}

/// `color = "auto" | "never"`.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
enum ColorChoice {
    Auto,
    Never,
}

/// Parses the text of the config file `file`, expanding `~` in roots against `home`.
pub fn parse(text: &str, file: &Path, home: Option<&Path>) -> Result<LoadedConfig, ConfigError> {
    let invalid = |message: String| ConfigError::Invalid {
        file: file.to_path_buf(),
        message: message.trim_end().to_string(),
    };
    let table: toml::Table = toml::from_str(text).map_err(|e| invalid(toml_words(text, &e)))?;
    let raw: RawConfig = toml::from_str(text).map_err(|e| invalid(toml_words(text, &e)))?;
    let mut warnings: Vec<ConfigWarning> = table
        .keys()
        .filter(|k| !KNOWN_KEYS.contains(&k.as_str()))
        .map(|key| ConfigWarning {
            file: file.to_path_buf(),
            line: line_of(text, key),
            key: key.clone(),
            known: KNOWN_KEYS,
        })
        .collect();
    warnings.extend(
        alerts::unknown_keys(&table)
            .into_iter()
            .map(|key| ConfigWarning {
                file: file.to_path_buf(),
                line: alerts::line_in_alerts(text, &key).or_else(|| line_of(text, "alerts")),
                key: format!("alerts.{key}"),
                known: ALERT_KEYS,
            }),
    );
    let alerts = raw.alerts.unwrap_or_default().settings().map_err(invalid)?;
    let defaults = Config::default();
    let config = Config {
        roots: raw
            .roots
            .unwrap_or_default()
            .iter()
            .map(|p| expand_tilde(p, home))
            .collect(),
        read_only: raw.read_only.unwrap_or(defaults.read_only),
        ascii: raw.ascii.unwrap_or(defaults.ascii),
        cache: raw.cache.unwrap_or(defaults.cache),
        color: raw
            .color
            .map_or(defaults.color, |c| matches!(c, ColorChoice::Auto)),
        utc: raw
            .time
            .map_or(defaults.utc, |t| matches!(t, TimeChoice::Utc)),
        alerts,
    };
    Ok(LoadedConfig {
        file: Some(file.to_path_buf()),
        config,
        warnings,
    })
}

/// A TOML error in one line, `line L, column C: message`: toml's own text spans several lines
/// (the source line and a caret under it), which the terminal output would show as `�`s.
fn toml_words(text: &str, error: &toml::de::Error) -> String {
    let message = error.message().trim_end().replace('\n', "; ");
    let Some(at) = error.span().map(|span| span.start.min(text.len())) else {
        return message;
    };
    let before = text.get(..at).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    format!("line {line}, column {column}: {message}")
}

/// The 1-based line where top-level `key` is set (`key = …`, `"key" = …` or `[key…]`).
fn line_of(text: &str, key: &str) -> Option<usize> {
    let quoted = format!("\"{key}\"");
    let starts = |line: &str, name: &str| {
        line.strip_prefix(name)
            .is_some_and(|rest| rest.trim_start().starts_with(['=', '.', ']']))
    };
    text.lines()
        .position(|line| {
            let line = line.trim_start();
            let header = line.strip_prefix('[').map(|h| h.trim_start_matches('['));
            [Some(line), header]
                .into_iter()
                .flatten()
                .any(|l| starts(l, key) || starts(l.trim_start(), &quoted))
        })
        .map(|i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> LoadedConfig {
        parse(
            text,
            Path::new("/c/config.toml"),
            Some(Path::new("/home/cy")),
        )
        .unwrap()
    }

    #[test]
    fn every_key_and_the_defaults() {
        assert_eq!(parsed("").config, Config::default());
        let c = parsed(
            "roots = [\"~/ios\", \"/srv\"]\nread_only = true\nascii = true\ncache = false\n\
             color = \"never\"\ntime = \"utc\"\n",
        );
        assert_eq!(
            c.config,
            Config {
                roots: vec![PathBuf::from("/home/cy/ios"), PathBuf::from("/srv")],
                read_only: true,
                ascii: true,
                cache: false,
                color: false,
                utc: true,
                alerts: AlertSettings::default(),
            }
        );
        assert!(c.warnings.is_empty());
        assert!(parsed("color = \"auto\"").config.color);
        assert!(!parsed("time = \"local\"").config.utc);
    }

    #[test]
    fn unknown_keys_are_warned_with_file_and_line() {
        let c = parsed("# mine\nroots = []\n\nread_onyl = true\n[theme]\ndark = 1\n");
        let said: Vec<String> = c.warnings.iter().map(ToString::to_string).collect();
        assert_eq!(
            said,
            [
                "/c/config.toml:4: unknown key `read_onyl` ignored (known keys: roots, \
                 read_only, ascii, cache, color, time, alerts)",
                "/c/config.toml:5: unknown key `theme` ignored (known keys: roots, \
                 read_only, ascii, cache, color, time, alerts)",
            ]
        );
        assert!(!c.config.read_only, "a misspelt key sets nothing");
    }

    #[test]
    fn wrong_types_and_broken_toml_are_errors_naming_the_file() {
        for text in [
            "read_only = \"yes\"",
            "color = \"sometimes\"",
            "roots = [\"/a\"",
        ] {
            let err = parse(text, Path::new("/c/config.toml"), None).unwrap_err();
            assert!(err.to_string().starts_with("/c/config.toml: "), "{err}");
        }
    }

    #[test]
    fn a_toml_error_is_one_line_with_its_place() {
        for (text, said) in [
            (
                "roots = [\"/a\"",
                "/c/config.toml: line 1, column 14: unclosed array, expected `]`",
            ),
            (
                "ascii = true\nroots = \"x\"\n",
                "/c/config.toml: line 2, column 9: invalid type: string \"x\", expected a sequence",
            ),
        ] {
            let err = parse(text, Path::new("/c/config.toml"), None).unwrap_err();
            assert_eq!(err.to_string(), said);
        }
    }

    #[test]
    fn macos_reads_dot_config_first_then_application_support() {
        let dirs = ConfigDirs {
            home: Some("/Users/cy".into()),
            xdg_config_home: None,
            platform: Some("/Users/cy/Library/Application Support".into()),
        };
        assert_eq!(
            candidates(Os::MacOs, &dirs),
            [
                PathBuf::from("/Users/cy/.config/backtop/config.toml"),
                PathBuf::from("/Users/cy/Library/Application Support/backtop/config.toml"),
            ]
        );
        let linux = ConfigDirs {
            home: Some("/home/cy".into()),
            xdg_config_home: Some("/x".into()),
            platform: Some("/x".into()),
        };
        assert_eq!(
            candidates(Os::Linux, &linux),
            [PathBuf::from("/x/backtop/config.toml")]
        );
        let windows = ConfigDirs {
            home: Some(r"C:\Users\cy".into()),
            xdg_config_home: None,
            platform: Some(r"C:\Users\cy\AppData\Roaming".into()),
        };
        assert_eq!(
            candidates(Os::Windows, &windows),
            [Path::new(r"C:\Users\cy\AppData\Roaming")
                .join("backtop")
                .join(CONFIG_FILE)]
        );
    }

    #[test]
    fn the_first_existing_candidate_wins() {
        let tmp = tempfile::tempdir().unwrap();
        let (a, b) = (tmp.path().join("a.toml"), tmp.path().join("b.toml"));
        std::fs::write(&b, "ascii = true").unwrap();
        let got = load(&[a.clone(), b.clone()], None).unwrap();
        assert_eq!(got.file, Some(b.clone()));
        assert!(got.config.ascii);
        std::fs::write(&a, "").unwrap();
        assert_eq!(load(&[a.clone(), b], None).unwrap().file, Some(a));
        assert_eq!(load(&[], None).unwrap(), LoadedConfig::default());
    }
}
