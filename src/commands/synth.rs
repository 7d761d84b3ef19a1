//! `canvass synth`: a synthetic export for a survey definition, on standard output.

use crate::config::Survey;
use crate::error::Result;
use crate::synth::{self, Layout, Options, Plan};
use std::path::PathBuf;

/// `canvass synth`: the command-line arguments.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The survey definition (survey.toml) whose items, scales, segments and open questions
    /// the export answers.
    #[arg(long)]
    pub survey: PathBuf,
    /// Rows of responses to write (previews, tests, unfinished and duplicate responses
    /// included, at 1–2 per cent each where the tool records them).
    #[arg(long)]
    pub responses: usize,
    /// Seed of the random draws: the same survey, options and seed give the same bytes.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Which tool's export to write: its header rows, metadata columns and markings.
    #[arg(long, value_enum, default_value = "qualtrics")]
    pub layout: Layout,
    /// Share of respondents (0–1) who answer the open question(s).
    #[arg(long, default_value_t = 0.7)]
    pub text_share: f64,
    /// Print nothing on standard error (by default, a line says what was written).
    #[arg(long, short)]
    pub quiet: bool,
}

/// Writes a synthetic export for the survey to standard output, and what it holds to standard error
/// unless `--quiet`.
pub fn run(args: Args) -> Result<()> {
    let survey = Survey::load(&args.survey)?;
    let plan = Plan::new(
        &survey,
        &args.survey,
        Options {
            layout: args.layout,
            responses: args.responses,
            seed: args.seed,
            text_share: args.text_share,
        },
    )?;
    let tally = synth::write(&plan, std::io::stdout().lock())?;
    if !args.quiet {
        eprintln!(
            "synth: {} rows ({} previews, {} tests, {} unfinished, {} duplicates; {} with a comment); {} expected to be kept",
            tally.rows,
            tally.previews,
            tally.tests,
            tally.unfinished,
            tally.duplicates,
            tally.comments,
            tally.expected_kept
        );
    }
    Ok(())
}
