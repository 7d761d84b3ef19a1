//! One module per command: each parses nothing (clap did), calls the library, and prints.

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

use crate::cli::Command;
use crate::error::{Error, Result};
use crate::ingest::ReadOptions;
use std::path::{Path, PathBuf};

/// Runs a parsed command. Every failure is returned as an [`Error`] for `main` to print and exit 1
/// on; nothing here exits.
pub fn dispatch(command: Command) -> Result<()> {
    match command {
        Command::Run(args) => run::run(args),
        Command::Inspect {
            export,
            sheet,
            dictionary,
            json,
        } => inspect::run(&export, &read_options(&export, sheet, dictionary)?, json),
        Command::Init {
            export,
            sheet,
            dictionary,
            title,
        } => init::run(&export, &read_options(&export, sheet, dictionary)?, &title),
        Command::Score(args) => score::run(args),
        Command::Themes(args) => themes::run(args),
        Command::Verify { manifest } => verify::run(&manifest),
        Command::Agree(args) => agree::run(args),
        Command::Synth(args) => synth::run(args),
        Command::Review(args) => review::run(args),
        Command::Codebook(args) => codebook::run(args),
        Command::Qda(args) => qda::run(args),
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
