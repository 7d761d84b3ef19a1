//! Command-line definitions. Each subcommand maps to one module in `commands/`.

use crate::commands;
use crate::error::Result;
use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// The whole command line, as clap parses it (`canvass <COMMAND> …`).
#[derive(Debug, Parser)]
#[command(
    name = "canvass",
    version,
    about = "Turn participant-feedback survey exports into evaluator-ready evidence",
    long_about = "canvass reads survey exports as the tools write them (Qualtrics, SurveyMonkey, Google Forms, \
Microsoft Forms, LimeSurvey, REDCap, KoboToolbox, SurveyCTO, Typeform, CSV/TSV, XLSX/XLS/ODS), excludes \
previews, unfinished and duplicate responses with a reason for each, scores Likert items and scales, themes \
free-text comments and writes reproducible summaries.\n\nExit codes: 0 success, 1 bad input or configuration, 2 usage error."
)]
pub struct Cli {
    /// The subcommand to run.
    #[command(subcommand)]
    pub command: Command,
}

/// Every subcommand, each handled by its module in `commands/`.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a pipeline: every wave from raw export to summary, tables and manifest, reusing
    /// each stage (clean, score, themes, compare, report) whose inputs did not change.
    Run(crate::commands::run::Args),
    /// Show which tool wrote an export, its encoding, rows and every column with its kind.
    Inspect {
        /// The export as the survey tool wrote it (CSV, TSV, XLSX, XLS, ODS or JSON), or a
        /// REDCap data dictionary.
        export: PathBuf,
        /// Sheet to read, for workbook exports (the first when absent).
        #[arg(long)]
        sheet: Option<String>,
        /// REDCap data dictionary of the export: question labels, options, identifier flags.
        #[arg(long)]
        dictionary: Option<PathBuf>,
        /// Machine-readable output.
        #[arg(long)]
        json: bool,
        /// Print, as JSON, each column's kind by the rules and the features the learned kind
        /// model reads (for training it again: benches/kinds_model.py).
        #[arg(long, hide = true)]
        features: bool,
    },
    /// Draft a survey definition (survey.toml) from an export: printed, or with --out a runnable project (survey and pipeline).
    Init {
        /// The export as the survey tool wrote it (CSV, TSV, XLSX, XLS, ODS or JSON).
        export: PathBuf,
        /// Sheet to read, for workbook exports (the first when absent).
        #[arg(long)]
        sheet: Option<String>,
        /// REDCap data dictionary of the export: question labels, options, identifier flags.
        #[arg(long)]
        dictionary: Option<PathBuf>,
        /// The survey's title (by default, the export's file name without the tool's additions).
        #[arg(long)]
        title: Option<String>,
        /// Write a runnable project instead of printing the draft: DIR/survey.toml, and a
        /// one-wave pipeline for this export (`--pipeline`), so that `canvass run` on it works.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// With --out: the pipeline file to write (default pipelines/<DIR's name>.toml).
        #[arg(long, value_name = "FILE", requires = "out")]
        pipeline: Option<PathBuf>,
    },
    /// Score Likert items and scales of one export.
    Score(crate::commands::score::Args),
    /// Cluster the free-text answers of one column into labelled themes.
    Themes(crate::commands::themes::Args),
    /// How two codings of the same comments agree (two people, or a person and canvass):
    /// Cohen's kappa, Krippendorff's alpha, per-theme precision, recall, F1 and kappa.
    Agree(crate::commands::agree::Args),
    /// Write a synthetic export for a survey definition (to test a pipeline before data
    /// arrive): the tool's header rows and metadata, answers as option labels, previews,
    /// unfinished and duplicate responses, comments. On standard output.
    Synth(crate::commands::synth::Args),
    /// Write a starting review file for a wave's themes: each theme's handle, label, size and
    /// comments (redacted, with their ids) and an example of every edit.
    Review(crate::commands::review::Args),
    /// Write a wave's (reviewed) themes as the survey's `[[codebook]]`, with their comments as
    /// examples, to code the next wave the same way.
    Codebook(crate::commands::codebook::Args),
    /// Exchange themes with qualitative tools (REFI-QDA: NVivo, ATLAS.ti, MAXQDA, QualCoder):
    /// `qda WAVE_DIR -o FILE.qdpx` (or `.qdc`), `qda import FILE`.
    Qda(crate::commands::qda::Args),
    /// Check a wave's manifest: inputs unchanged and a re-run reproduces every output.
    Verify {
        /// A wave's manifest.json, as `canvass run` wrote it.
        manifest: PathBuf,
    },
}

/// Runs a parsed command. Here, above `commands`, so that commands never import the CLI
/// that names them.
pub fn dispatch(command: Command) -> Result<()> {
    match command {
        Command::Run(args) => commands::run::run(args),
        Command::Inspect {
            export,
            sheet,
            dictionary,
            json,
            features,
        } => {
            let read = commands::read_options(&export, sheet, dictionary)?;
            if features {
                commands::inspect::features(&export, &read)
            } else {
                commands::inspect::run(&export, &read, json)
            }
        }
        Command::Init {
            export,
            sheet,
            dictionary,
            title,
            out,
            pipeline,
        } => {
            let read = commands::read_options(&export, sheet, dictionary)?;
            let title = title.unwrap_or_else(|| commands::init::title_from_file(&export));
            match out {
                Some(dir) => commands::init::write_project(&export, &read, &title, &dir, pipeline),
                None => commands::init::run(&export, &read, &title),
            }
        }
        Command::Score(args) => commands::score::run(args),
        Command::Themes(args) => commands::themes::run(args),
        Command::Verify { manifest } => commands::verify::run(&manifest),
        Command::Agree(args) => commands::agree::run(args),
        Command::Synth(args) => commands::synth::run(args),
        Command::Review(args) => commands::review::run(args),
        Command::Codebook(args) => commands::codebook::run(args),
        Command::Qda(args) => commands::qda::run(args),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    /// `canvass help <command>` explains every argument.
    #[test]
    fn every_argument_has_help() {
        let cli = Cli::command();
        for command in cli.get_subcommands() {
            for arg in command.get_arguments() {
                let id = arg.get_id().as_str();
                if id == "help" || id == "version" {
                    continue;
                }
                assert!(
                    arg.get_help().is_some(),
                    "`canvass {} {id}` has no help text",
                    command.get_name()
                );
            }
        }
    }
}
