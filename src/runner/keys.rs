//! Every stage's cache key for a wave, computed before anything runs from the stage's inputs
//! (`inputs`), so that `--dry-run` is exact.

use super::inputs::{Making, OwnKeys, WaveInputs};
use super::*;

/// The inputs and key of every stage of a wave.
pub(super) struct WaveKeys {
    /// What each stage reads; the keys below are these hashed.
    pub(super) inputs: WaveInputs,
    pub(super) clean: StageKey,
    /// The export's size and time when it was hashed for the keys: the reader, which does not
    /// hash it again, checks them after reading it.
    pub(super) export_stat: cache::FileStat,
    pub(super) score: StageKey,
    pub(super) themes: StageKey,
    /// From the second wave on.
    pub(super) compare: Option<StageKey>,
    pub(super) report: StageKey,
}

impl WaveKeys {
    pub(super) fn get(&self, stage: Stage) -> Option<&StageKey> {
        match stage {
            Stage::Clean => Some(&self.clean),
            Stage::Score => Some(&self.score),
            Stage::Themes => Some(&self.themes),
            Stage::Compare => self.compare.as_ref(),
            Stage::Report => Some(&self.report),
        }
    }
}

/// Each stage's inputs and key; `earlier` are the waves before this one, with theirs.
pub(super) fn wave_keys(
    making: &Making,
    earlier: &[(&Wave, &WaveKeys)],
    hashes: &mut cache::FileHashes,
) -> Result<WaveKeys> {
    let key = |inputs: &dyn hash::Hash| inputs.key(making.directory);
    let (clean_inputs, export_stat) = making.clean(hashes)?;
    let clean = key(&clean_inputs)?;
    let score_inputs = making.score(&clean);
    let score = key(&score_inputs)?;
    let themes_inputs = making.themes(&clean, hashes)?;
    let themes = key(&themes_inputs)?;
    let compare_inputs = earlier.last().map(|&p| making.compare(&score, p));
    let compare = compare_inputs.as_ref().map(|c| key(c)).transpose()?;
    let report_inputs = making.report(
        &clean_inputs,
        OwnKeys {
            clean: &clean,
            score: &score,
            themes: &themes,
            compare: compare.as_ref(),
        },
        earlier,
    )?;
    let report = key(&report_inputs)?;
    Ok(WaveKeys {
        inputs: WaveInputs {
            clean: clean_inputs,
            score: score_inputs,
            themes: themes_inputs,
            compare: compare_inputs,
            report: report_inputs,
        },
        clean,
        export_stat,
        score,
        themes,
        compare,
        report,
    })
}

mod hash {
    use super::*;

    /// Any stage's inputs, hashed whole into its key (a closure cannot be generic).
    pub(super) trait Hash {
        fn key(&self, directory: &Path) -> Result<StageKey>;
    }

    impl<T: Serialize> Hash for T {
        fn key(&self, directory: &Path) -> Result<StageKey> {
            StageKey::of(self).map_err(|why| {
                Error::input(
                    directory,
                    format!("canvass could not hash a stage's inputs: {why}"),
                )
                .hint("please report this, with the pipeline and survey files")
            })
        }
    }
}
