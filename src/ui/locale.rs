//! Whether the terminal can show box-drawing and block characters: not when the locale's
//! character set is not UTF-8 (`LC_ALL`, else `LC_CTYPE`, else `LANG`, the first one set wins,
//! as in the C library) or when `TERM=dumb`. Then the dashboard draws with ASCII, as with
//! `--ascii`. [`wants_ascii`] is pure; [`TermEnv::from_process`] reads the variables.

/// The environment variables that decide it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TermEnv {
    /// `LC_ALL`.
    pub lc_all: Option<String>,
    /// `LC_CTYPE`.
    pub lc_ctype: Option<String>,
    /// `LANG`.
    pub lang: Option<String>,
    /// `TERM`.
    pub term: Option<String>,
}

impl TermEnv {
    /// Reads this process's variables (an empty one counts as unset).
    pub fn from_process() -> Self {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        TermEnv {
            lc_all: var("LC_ALL"),
            lc_ctype: var("LC_CTYPE"),
            lang: var("LANG"),
            term: var("TERM"),
        }
    }

    /// The locale that sets the character set: the first non-empty of `LC_ALL`, `LC_CTYPE`,
    /// `LANG`.
    pub fn ctype(&self) -> Option<&str> {
        [&self.lc_all, &self.lc_ctype, &self.lang]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .find(|v| !v.is_empty())
    }
}

/// Whether `locale` (`en_US.UTF-8`, `de_DE.utf8@euro`, `C.UTF-8`) names UTF-8 as its character
/// set.
fn is_utf8(locale: &str) -> bool {
    let codeset = locale
        .split_once('.')
        .map_or("", |(_, rest)| rest.split('@').next().unwrap_or(""));
    let codeset = codeset.to_ascii_lowercase().replace(['-', '_'], "");
    codeset == "utf8"
}

/// Whether the dashboard should draw with ASCII only: `TERM=dumb`, or a locale whose character
/// set is not UTF-8 (`C`, `POSIX`, `en_US.ISO-8859-1`, `ja_JP.eucJP`). With no locale variable
/// set at all (Windows, some SSH sessions) the terminal is taken to be UTF-8: nothing says
/// otherwise and nearly every terminal is.
pub fn wants_ascii(env: &TermEnv) -> bool {
    if env.term.as_deref() == Some("dumb") {
        return true;
    }
    env.ctype().is_some_and(|locale| !is_utf8(locale))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(lc_all: &str, lc_ctype: &str, lang: &str, term: &str) -> TermEnv {
        let some = |s: &str| (!s.is_empty()).then(|| s.to_string());
        TermEnv {
            lc_all: some(lc_all),
            lc_ctype: some(lc_ctype),
            lang: some(lang),
            term: some(term),
        }
    }

    #[test]
    fn the_first_locale_variable_set_decides() {
        let cases = [
            // (LC_ALL, LC_CTYPE, LANG, TERM, ascii)
            ("", "", "en_US.UTF-8", "xterm-256color", false),
            ("", "", "de_DE.utf8", "xterm", false),
            ("", "", "de_DE.UTF-8@euro", "xterm", false),
            ("", "", "C.UTF-8", "xterm", false),
            ("", "", "", "xterm", false),
            ("", "", "C", "xterm", true),
            ("", "", "POSIX", "xterm", true),
            ("", "", "en_US.ISO-8859-1", "xterm", true),
            ("", "", "ja_JP.eucJP", "xterm", true),
            ("", "", "en_US", "xterm", true),
            ("C", "", "en_US.UTF-8", "xterm", true),
            ("", "C", "en_US.UTF-8", "xterm", true),
            ("en_US.UTF-8", "C", "C", "xterm", false),
            ("", "en_GB.UTF-8", "C", "xterm", false),
            ("", "", "en_US.UTF-8", "dumb", true),
            ("", "", "", "dumb", true),
        ];
        for (lc_all, lc_ctype, lang, term, ascii) in cases {
            let e = env(lc_all, lc_ctype, lang, term);
            assert_eq!(wants_ascii(&e), ascii, "{e:?}");
        }
    }
}
