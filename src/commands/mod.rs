//! One module per command: each parses nothing (clap did), calls the library, and prints.

pub mod init;
pub mod inspect;
pub mod run;
pub mod score;
pub mod themes;
pub mod verify;

use crate::cli::Command;
use crate::error::Result;

pub fn dispatch(command: Command) -> Result<()> {
    match command {
        Command::Run {
            pipeline,
            keep_tests,
            quiet,
        } => run::run(&pipeline, keep_tests, quiet),
        Command::Inspect {
            export,
            sheet,
            dictionary,
            json,
        } => inspect::run(
            &export,
            &crate::ingest::ReadOptions::new(sheet, dictionary),
            json,
        ),
        Command::Init {
            export,
            sheet,
            dictionary,
            title,
        } => init::run(
            &export,
            &crate::ingest::ReadOptions::new(sheet, dictionary),
            &title,
        ),
        Command::Score(args) => score::run(args),
        Command::Themes(args) => themes::run(args),
        Command::Verify { manifest } => verify::run(&manifest),
    }
}

/// Prints JSON to standard output.
pub(crate) fn print_json<T: serde::Serialize>(value: &T) {
    match serde_json::to_string_pretty(value) {
        Ok(s) => println!("{s}"),
        Err(e) => eprintln!("error: cannot serialise output: {e}"),
    }
}
