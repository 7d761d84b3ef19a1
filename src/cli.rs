//! Command-line definitions. Each subcommand maps to one module in `commands/`.

use clap::{Parser, Subcommand};
use std::path::PathBuf;

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
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a pipeline: every wave from raw export to summary, tables and manifest.
    Run {
        /// The pipeline file (e.g. pipelines/aspire-pilot.toml).
        pipeline: PathBuf,
        /// Print nothing but errors.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Show which tool wrote an export, its encoding, rows and every column with its kind.
    Inspect {
        export: PathBuf,
        /// Sheet name, for workbook exports.
        #[arg(long)]
        sheet: Option<String>,
        /// Machine-readable output.
        #[arg(long)]
        json: bool,
    },
    /// Print a draft survey definition (survey.toml) inferred from an export.
    Init {
        export: PathBuf,
        #[arg(long)]
        sheet: Option<String>,
        /// The survey's title.
        #[arg(long, default_value = "Untitled survey")]
        title: String,
    },
    /// Score Likert items and scales of one export.
    Score {
        export: PathBuf,
        /// Survey definition; inferred from the export when absent.
        #[arg(long)]
        survey: Option<PathBuf>,
        /// Ad hoc scale: NAME=ITEM,ITEM-,… (a trailing `-` marks a reverse-keyed item). Repeatable.
        #[arg(long = "scale", value_name = "NAME=ITEMS")]
        scales: Vec<String>,
        /// Break results down by this column. Repeatable.
        #[arg(long = "by", value_name = "COLUMN")]
        by: Vec<String>,
        /// Groups smaller than this are suppressed (at least 3).
        #[arg(long, default_value_t = 10)]
        suppress_below: usize,
        /// Confidence level of intervals.
        #[arg(long, default_value_t = 0.95)]
        confidence: f64,
        /// Compute scale covariances from complete rows only (default: pairwise).
        #[arg(long)]
        listwise: bool,
        /// Column of survey weights: weighted percentages, means, and intervals on Kish's
        /// effective sample size.
        #[arg(long)]
        weight: Option<String>,
        #[arg(long)]
        sheet: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Cluster the free-text answers of one column into labelled themes.
    Themes {
        export: PathBuf,
        /// The free-text column (id or question text).
        #[arg(long)]
        text: String,
        /// Column whose values identify each comment in the assignments file.
        #[arg(long)]
        id: Option<String>,
        /// Number of themes, or `auto` to choose by silhouette.
        #[arg(long, default_value = "auto")]
        k: String,
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Stemming language.
        #[arg(long, default_value = "english")]
        language: String,
        /// Example quotes per theme.
        #[arg(long, default_value_t = 3)]
        quotes: usize,
        /// Write each comment's theme to this CSV (columns id,theme,label,…).
        #[arg(long)]
        assignments: Option<PathBuf>,
        #[arg(long)]
        sheet: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Check a wave's manifest: inputs unchanged and a re-run reproduces every output.
    Verify { manifest: PathBuf },
}
