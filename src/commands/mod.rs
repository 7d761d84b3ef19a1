//! One module per command: each parses nothing (clap did), calls the library, and prints.

/// `println!` for text that carries what a file says (column names, comments, labels): its
/// control characters shown escaped ([`terminal_text`]).
macro_rules! say {
    ($($arg:tt)*) => {
        println!("{}", $crate::commands::terminal_text(&format!($($arg)*)))
    };
}

pub mod agree;
pub mod codebook;
pub mod init;
pub mod inspect;
mod progress;
pub mod qda;
pub mod review;
pub mod run;
pub mod score;
pub mod synth;
pub mod themes;
pub mod verify;

use crate::error::{Error, Result};
use crate::ingest::ReadOptions;
use std::path::{Path, PathBuf};

/// Text for a terminal: a control character (an escape sequence in a column's name would
/// recolour, retitle or rewrite the terminal) is shown as its escape (`\u{1b}`); line ends and
/// tabs are kept.
pub fn terminal_text(s: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| c.is_control() && c != '\n' && c != '\t';
    if !s.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(s);
    }
    s.chars()
        .map(|c| {
            if unsafe_char(c) {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect::<String>()
        .into()
}

/// Writes a command's text output to `--output`, or to standard output when none is given.
pub(crate) fn print_or_write(output: Option<&Path>, text: &str) -> Result<()> {
    match output {
        Some(path) => crate::error::write_file(path, text.as_bytes()),
        None => {
            print!("{text}");
            Ok(())
        }
    }
}

/// How to read an export named on the command line; `--sheet` is refused for a file that has
/// no sheets rather than ignored.
pub(crate) fn read_options(
    export: &Path,
    sheet: Option<String>,
    dictionary: Option<PathBuf>,
) -> Result<ReadOptions> {
    if sheet.is_some() {
        if let Some(kind) = crate::ingest::sheets::not_a_workbook(export)? {
            return Err(Error::argument(
                "--sheet",
                format!(
                    "applies to workbooks (XLSX, XLS, ODS); {} is {kind}",
                    export.display()
                ),
            )
            .hint("leave --sheet out: the whole file is one table"));
        }
    }
    Ok(ReadOptions::new(sheet, dictionary))
}

/// Prints JSON to standard output.
pub(crate) fn print_json<T: serde::Serialize>(value: &T) {
    match serde_json::to_string_pretty(value) {
        Ok(s) => println!("{s}"),
        Err(e) => eprintln!("error: cannot serialise output: {e}"),
    }
}
