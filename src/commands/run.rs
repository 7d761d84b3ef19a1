//! `canvass run`: the pipeline's waves, stage by stage, from the cache where nothing changed.

use crate::error::Result;
use crate::progress::{Progress, Silent};
use crate::runner::{RunOptions, Stage};
use std::path::{Path, PathBuf};

/// `canvass run`: the command-line arguments.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The pipeline file (e.g. pipelines/aspire-pilot.toml).
    pub pipeline: PathBuf,
    /// Keep the responses the survey tool marks as tests or previews (a pilot's), as
    /// `keep_test_responses = true` under the survey's `[clean]` does.
    #[arg(long)]
    pub keep_tests: bool,
    /// Also write each wave's tables as Parquet under `<output>/parquet/<table>/wave=<name>/`
    /// (for DuckDB, Polars, Spark), as `[output] parquet = true` in the pipeline does.
    #[arg(long)]
    pub parquet: bool,
    /// Run this wave only (by name); the wave before it comes from the cache, for the
    /// comparison.
    #[arg(long, value_name = "WAVE")]
    pub wave: Option<String>,
    /// Run this stage and every later one, whatever the cache holds.
    #[arg(long, value_name = "STAGE", value_enum)]
    pub from: Option<Stage>,
    /// Run this stage alone, from the cached artefacts of the stages before it.
    #[arg(long, value_name = "STAGE", value_enum, conflicts_with = "from")]
    pub only: Option<Stage>,
    /// List, per wave and stage, what would run and why (or that it would be reused); write
    /// nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Print nothing but errors (no progress, no per-stage lines).
    #[arg(long, short)]
    pub quiet: bool,
}

/// Runs the pipeline as the flags ask (every wave, or `--wave`, `--from`, `--only`, `--dry-run`),
/// printing progress to standard error unless `--quiet`.
pub fn run(args: Args) -> Result<()> {
    let options = RunOptions {
        keep_tests: args.keep_tests,
        parquet: args.parquet,
        wave: args.wave,
        from: args.from,
        only: args.only,
        dry_run: args.dry_run,
        no_cache: false,
        existing_secret_only: false,
    };
    let progress: Box<dyn Progress> = if args.quiet {
        Box::new(Silent)
    } else {
        super::progress::on_stderr()
    };
    let outcome = crate::runner::run(&args.pipeline, None, &options, progress.as_ref())?;
    if args.dry_run {
        for p in &outcome.plan {
            println!("{} {}: {}", p.wave, p.stage.name(), p.action.describe());
        }
        return Ok(());
    }
    if !args.quiet {
        if let Some(last) = outcome.waves.last() {
            let summary =
                crate::runner::relative(&last.directory.join("summary.html"), Path::new("."));
            eprintln!("summary: {summary}");
        }
    }
    Ok(())
}
