//! What a run does with each stage of a wave: run it (and why), reuse its cached artefact, or
//! leave it (`--only`). Decided from the stage keys alone, before anything runs, so that
//! `--dry-run` lists exactly what a run would do.

use super::cache::{StageKey, Stored};
use crate::error::{Error, Result};

/// The stages of a wave, in the order they run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, clap::ValueEnum)]
pub enum Stage {
    /// Ingest and clean: the export read, exclusions and accounting.
    #[value(alias = "ingest")]
    Clean,
    /// Score the items and scales (score.json, items.csv, scales.csv, segments.csv).
    Score,
    /// Theme the open comments (themes.json, themes.csv, comments.csv).
    Themes,
    /// The change since the previous wave (from the second wave on).
    Compare,
    /// The summaries, tables, artefact files and manifest.
    Report,
}

impl Stage {
    /// Every stage, in the order they run (`--from` runs a stage and every later one here).
    pub const ALL: [Stage; 5] = [
        Stage::Clean,
        Stage::Score,
        Stage::Themes,
        Stage::Compare,
        Stage::Report,
    ];

    /// The stage's name on the command line (`--from score`), in `--dry-run` lines and in the
    /// cache.
    pub fn name(self) -> &'static str {
        match self {
            Stage::Clean => "clean",
            Stage::Score => "score",
            Stage::Themes => "themes",
            Stage::Compare => "compare",
            Stage::Report => "report",
        }
    }
}

/// How `canvass run` was asked to run.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// Keep the responses the survey tool marks as tests (`--keep-tests`).
    pub keep_tests: bool,
    /// Write the Parquet tables whatever the pipeline's `[output]` says (`--parquet`).
    pub parquet: bool,
    /// Run this wave only; earlier waves' artefacts come from the cache (`--wave`).
    pub wave: Option<String>,
    /// Run this stage and every later one whatever the cache holds (`--from`).
    pub from: Option<Stage>,
    /// Run this stage alone, from cached inputs (`--only`).
    pub only: Option<Stage>,
    /// Say what would run and why; write nothing (`--dry-run`).
    pub dry_run: bool,
    /// Ignore the cache and write none (for `verify`, which runs into a scratch folder).
    pub no_cache: bool,
    /// Use the pipeline's respondent-id secret only if it exists; never create one (`verify`).
    pub existing_secret_only: bool,
}

/// What happens to one stage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Run it; the reason, as `--dry-run` prints it ("no cache", "forced by --from score", "export
    /// changed"…).
    Run(String),
    /// Reuse the cached artefact: nothing it depends on changed.
    Reuse,
    /// Not run and not reusable, left as it is (`--only` another stage): the reason it is stale.
    Leave(String),
}

impl Action {
    /// Whether the stage runs (rather than being reused or left).
    pub fn runs(&self) -> bool {
        matches!(self, Action::Run(_))
    }

    /// As `--dry-run` prints it.
    pub fn describe(&self) -> String {
        match self {
            Action::Run(why) => format!("run ({why})"),
            Action::Reuse => "reuse (unchanged)".into(),
            Action::Leave(why) => format!("stale ({why}), not run"),
        }
    }
}

/// Decides one stage of a wave from its key and what the cache holds.
pub fn decide(
    wave: &str,
    stage: Stage,
    key: &StageKey,
    stored: &Stored,
    options: &RunOptions,
) -> Result<Action> {
    if options.no_cache {
        return Ok(Action::Run("no cache".into()));
    }
    if let Some(from) = options.from {
        if stage >= from {
            return Ok(Action::Run(format!("forced by --from {}", from.name())));
        }
    }
    if let Some(only) = options.only {
        if stage == only {
            return Ok(Action::Run(format!("forced by --only {}", only.name())));
        }
    }
    let Some(why) = stored.reason(key) else {
        return Ok(Action::Reuse);
    };
    match options.only {
        // A later stage than the one asked for is left stale: it is not what was asked.
        Some(only) if stage > only => Ok(Action::Leave(why)),
        // An earlier one is the asked stage's input: it cannot be run from a stale one.
        Some(only) => Err(Error::argument(
            "--only",
            format!(
                "{wave} {} has no cached artefact for the current inputs ({why}), and --only {} \
                 runs from cached inputs",
                stage.name(),
                only.name()
            ),
        )
        .hint(format!(
            "run without --only (or with --from {}) first",
            stage.name()
        ))),
        None => Ok(Action::Run(why)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts() -> RunOptions {
        RunOptions::default()
    }

    #[test]
    fn unchanged_is_reused_and_changed_runs_with_its_reason() {
        let key = StageKey::new().file("export", "a");
        let old = StageKey::new().file("export", "b");
        let s = Stage::Score;
        assert_eq!(
            decide("w", s, &key, &Stored::Found(key.clone()), &opts()).unwrap(),
            Action::Reuse
        );
        assert_eq!(
            decide("w", s, &key, &Stored::Found(old), &opts()).unwrap(),
            Action::Run("export changed".into())
        );
        assert_eq!(
            decide("w", s, &key, &Stored::Missing, &opts()).unwrap(),
            Action::Run("no cache".into())
        );
    }

    #[test]
    fn from_forces_that_stage_and_later_ones() {
        let key = StageKey::new();
        let stored = Stored::Found(key.clone());
        let o = RunOptions {
            from: Some(Stage::Themes),
            ..opts()
        };
        assert_eq!(
            decide("w", Stage::Score, &key, &stored, &o).unwrap(),
            Action::Reuse
        );
        for s in [Stage::Themes, Stage::Compare, Stage::Report] {
            assert_eq!(
                decide("w", s, &key, &stored, &o).unwrap(),
                Action::Run("forced by --from themes".into())
            );
        }
    }

    #[test]
    fn only_runs_one_stage_and_refuses_stale_inputs() {
        let key = StageKey::new().file("export", "a");
        let stale = Stored::Found(StageKey::new().file("export", "b"));
        let o = RunOptions {
            only: Some(Stage::Themes),
            ..opts()
        };
        let e = decide("wave-1", Stage::Clean, &key, &stale, &o)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("wave-1 clean") && e.contains("export changed"),
            "{e}"
        );
        assert_eq!(
            decide("w", Stage::Report, &key, &stale, &o).unwrap(),
            Action::Leave("export changed".into())
        );
        assert!(decide("w", Stage::Themes, &key, &stale, &o).unwrap().runs());
    }
}
