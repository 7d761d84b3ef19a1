//! One error type for the whole library. Every variant says *what* went wrong, *where*
//! (file, row, column or config key) and *what to do*, because the people who read these
//! messages are evaluators with an export in one hand and a deadline in the other.

use std::fmt;
use std::path::{Path, PathBuf};

/// The library's result: every fallible function returns [`Error`] unless it says otherwise.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Where in an input a problem was found. Rows and columns are 1-based, as a spreadsheet shows them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Location {
    /// 1-based row as a spreadsheet shows it (for a CSV, the line in the file); `None` when the
    /// problem is not one row's.
    pub row: Option<usize>,
    /// The column's id in the export's header (e.g. `Q1_2`); `None` when the problem is not one
    /// column's.
    pub column: Option<String>,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.row, &self.column) {
            (Some(r), Some(c)) => write!(f, "row {r}, column `{c}`"),
            (Some(r), None) => write!(f, "row {r}"),
            (None, Some(c)) => write!(f, "column `{c}`"),
            (None, None) => Ok(()),
        }
    }
}

/// Everything that can go wrong, in four kinds the binary reports the same way (exit code 1). The
/// `Display` text is the message the user sees: what, where, then `hint:` on its own line.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An export or other data file that cannot be used as it is.
    #[error("{}{}: {message}{}", file.display(), at(location), hint_line(hint))]
    Input {
        /// The file as the user named it (command line or pipeline file), so they can find it.
        file: PathBuf,
        /// The row and column within it, where known.
        location: Location,
        /// What is wrong, in the user's terms.
        message: String,
        /// What to do about it; empty when there is nothing to suggest (then no `hint:` line).
        hint: String,
    },
    /// A survey or pipeline file with a missing or invalid setting.
    #[error("{}: config key `{key}`{}: {message}{}", file.display(), on_line(*line), hint_line(hint))]
    Config {
        /// The survey or pipeline file.
        file: PathBuf,
        /// The dotted key at fault (e.g. `scales.engagement.items`), as the user would search for
        /// it.
        key: String,
        /// The line of the file, where the parser knows it.
        line: Option<usize>,
        /// What is wrong with the value.
        message: String,
        /// What to do about it; empty for no `hint:` line.
        hint: String,
    },
    /// A command-line option whose value cannot be used (`--confidence 2`), named as the
    /// option it is, not as a file.
    #[error("option {flag}: {message}{}", hint_line(hint))]
    Argument {
        /// The option as typed (`--confidence`).
        flag: String,
        /// Why its value cannot be used.
        message: String,
        /// What to do about it; empty for no `hint:` line.
        hint: String,
    },
    /// A problem found by a stage that works on values, not on files (the themes stage is
    /// given comments, not an export): the caller, which knows the file `of` names, turns it
    /// into an `Input` error with `Error::in_file`.
    #[error("{message}{}", hint_line(hint))]
    Data {
        /// Which input the values came from.
        of: DataOf,
        /// What is wrong with them.
        message: String,
        /// What to do about it; empty for no `hint:` line.
        hint: String,
    },
    /// An output canvass could not make from results it holds (a summary from its template, the
    /// Word document, the workbook, the Parquet tables): not the operating system's refusal.
    #[error("{}: could not make {what}: {message}{}", file.display(), hint_line(hint))]
    Render {
        /// The output that was being made.
        file: PathBuf,
        /// What it is ("the Word document", "the Parquet tables").
        what: String,
        /// Why it could not be made.
        message: String,
        /// What to do about it; empty for no `hint:` line.
        hint: String,
    },
    /// The operating system refused to read or write a file.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or directory the operation was on.
        path: PathBuf,
        /// The operating system's error (not found, permission denied…).
        #[source]
        source: std::io::Error,
    },
}

/// Which input a `Error::Data` problem is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataOf {
    /// The comments being themed (from the export).
    Comments,
    /// A sample of comments coded by hand, to learn from.
    CodedSample,
}

fn at(location: &Location) -> String {
    if location.row.is_none() && location.column.is_none() {
        String::new()
    } else {
        format!(": {location}")
    }
}

fn on_line(line: Option<usize>) -> String {
    line.map(|l| format!(" (line {l})")).unwrap_or_default()
}

fn hint_line(hint: &str) -> String {
    if hint.is_empty() {
        String::new()
    } else {
        format!("\n  hint: {hint}")
    }
}

impl Error {
    /// A problem with data file `file`, with no row or column yet; add them with [`Error::at_row`]
    /// and [`Error::at_column`].
    pub fn input(file: &Path, message: impl Into<String>) -> Self {
        Error::Input {
            file: file.to_path_buf(),
            location: Location::default(),
            message: message.into(),
            hint: String::new(),
        }
    }

    /// A problem with setting `key` of survey or pipeline file `file`; add [`Error::at_line`] where
    /// the parser knows it.
    pub fn config(file: &Path, key: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Config {
            file: file.to_path_buf(),
            key: key.into(),
            line: None,
            message: message.into(),
            hint: String::new(),
        }
    }

    /// The line of a config file the problem is on.
    pub fn at_line(mut self, n: usize) -> Self {
        if let Error::Config { line, .. } = &mut self {
            *line = Some(n);
        }
        self
    }

    /// A command-line option (`flag` as typed, e.g. `--by`) with an unusable value.
    pub fn argument(flag: &str, message: impl Into<String>) -> Self {
        Error::Argument {
            flag: flag.to_string(),
            message: message.into(),
            hint: String::new(),
        }
    }

    /// A problem in `of`, for the caller to place in its file (`in_file`).
    pub fn data(of: DataOf, message: impl Into<String>) -> Self {
        Error::Data {
            of,
            message: message.into(),
            hint: String::new(),
        }
    }

    /// The input a `Data` error is about, if it is one.
    pub fn data_of(&self) -> Option<DataOf> {
        match self {
            Error::Data { of, .. } => Some(*of),
            _ => None,
        }
    }

    /// A `Data` error placed in the file it came from (its message after `prefix`), as an
    /// `Input` error; any other error is returned as it is.
    pub fn in_file(self, file: &Path, prefix: &str) -> Self {
        match self {
            Error::Data { message, hint, .. } => Error::Input {
                file: file.to_path_buf(),
                location: Location::default(),
                message: format!("{prefix}{message}"),
                hint,
            },
            other => other,
        }
    }

    /// `what` (an output named `file`) could not be made, for the reason `message`; the hint
    /// asks for a report, as it is canvass's fault unless a [`Error::hint`] says otherwise.
    pub fn render(file: &Path, what: &str, message: impl std::fmt::Display) -> Self {
        Error::Render {
            file: file.to_path_buf(),
            what: what.to_string(),
            message: message.to_string(),
            hint: "please report this, with the pipeline and survey files if you can share them"
                .to_string(),
        }
    }

    /// An I/O failure on `path` (the path is what the user sees, so pass the one they named).
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        Error::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    /// Adds what the user should do next.
    pub fn hint(mut self, text: impl Into<String>) -> Self {
        match &mut self {
            Error::Input { hint, .. }
            | Error::Config { hint, .. }
            | Error::Argument { hint, .. }
            | Error::Data { hint, .. }
            | Error::Render { hint, .. } => *hint = text.into(),
            Error::Io { .. } => {}
        }
        self
    }

    /// The 1-based row of an [`Error::Input`]; other kinds are returned unchanged.
    pub fn at_row(mut self, r: usize) -> Self {
        if let Error::Input { location, .. } = &mut self {
            location.row = Some(r);
        }
        self
    }

    /// The column id of an [`Error::Input`]; other kinds are returned unchanged.
    pub fn at_column(mut self, c: impl Into<String>) -> Self {
        if let Error::Input { location, .. } = &mut self {
            location.column = Some(c.into());
        }
        self
    }
}

/// Reads a whole file, naming it in the error.
pub fn read_file(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| Error::io(path, e))
}

/// Refuses to replace `path` unless nothing is there yet or it is a regular file (see
/// [`crate::files::why_not_replaceable`]).
pub(crate) fn replaceable(path: &Path) -> Result<()> {
    match crate::files::why_not_replaceable(path) {
        Ok(None) => Ok(()),
        Ok(Some(why)) => Err(Error::input(path, why).hint(
            "canvass replaces only regular files: remove or rename it, or write to another name",
        )),
        Err(e) => Err(Error::io(path, e)),
    }
}

/// Writes a file atomically (a new temporary file beside it, then a rename) so a crash never
/// leaves half a report. Never writes through a symbolic link nor replaces one, a device or a
/// FIFO: the error says so.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    replaceable(path)?;
    let (mut file, tmp) = crate::files::create_temp(dir, path).map_err(|e| Error::io(path, e))?;
    let written = std::io::Write::write_all(&mut file, bytes);
    drop(file);
    let renamed = written.and_then(|()| std::fs::rename(&tmp, path));
    renamed.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::io(path, e)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_error_names_file_row_column_and_hint() {
        let e = Error::input(Path::new("w1.csv"), "answer `Maybe` is not an option")
            .at_row(12)
            .at_column("Q1_2")
            .hint("add it to the response scale");
        assert_eq!(
            e.to_string(),
            "w1.csv: row 12, column `Q1_2`: answer `Maybe` is not an option\n  hint: add it to the response scale"
        );
    }

    #[test]
    fn argument_error_names_the_option_not_a_file() {
        let e = Error::argument("--confidence", "must be between 0.5 and 1").hint("e.g. 0.95");
        assert_eq!(
            e.to_string(),
            "option --confidence: must be between 0.5 and 1\n  hint: e.g. 0.95"
        );
    }

    #[test]
    fn data_error_is_placed_in_its_file() {
        let e = Error::data(DataOf::CodedSample, "no comment is coded with a theme");
        assert_eq!(e.data_of(), Some(DataOf::CodedSample));
        assert_eq!(e.to_string(), "no comment is coded with a theme");
        let e = e.in_file(Path::new("coded.csv"), "").hint("code some");
        assert_eq!(
            e.to_string(),
            "coded.csv: no comment is coded with a theme\n  hint: code some"
        );
        let e = Error::data(DataOf::Comments, "k-means failed").hint("report it");
        assert_eq!(
            e.in_file(Path::new("w1.csv"), "theming `Q4` failed: ")
                .to_string(),
            "w1.csv: theming `Q4` failed: k-means failed\n  hint: report it"
        );
        let io = Error::io(Path::new("x"), std::io::Error::other("gone"));
        assert_eq!(io.data_of(), None);
        assert_eq!(io.in_file(Path::new("y"), "").to_string(), "x: gone");
    }

    #[test]
    fn a_render_failure_is_not_the_operating_systems() {
        let e = Error::render(
            Path::new("out/tables.xlsx"),
            "the workbook",
            "a sheet name repeats",
        );
        let said = e.to_string();
        assert!(said.starts_with("out/tables.xlsx: could not make the workbook: a sheet name repeats\n  hint: please report this"), "{said}");
    }

    #[test]
    fn config_error_names_key() {
        let e = Error::config(Path::new("p.toml"), "waves[0].export", "missing");
        assert_eq!(
            e.to_string(),
            "p.toml: config key `waves[0].export`: missing"
        );
        let e = Error::config(Path::new("s.toml"), "items[3].statment", "unknown key").at_line(28);
        assert_eq!(
            e.to_string(),
            "s.toml: config key `items[3].statment` (line 28): unknown key"
        );
    }
}
