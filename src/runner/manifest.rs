//! What `manifest.json` records of a wave: the files read and written with their SHA-256, the
//! settings, and the row accounting; `verify` reads it back.

use super::*;

/// A file and its SHA-256.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileHash {
    /// The file's path relative to the folder holding the manifest (outputs: their name in it).
    pub path: String,
    /// SHA-256 of the file's bytes, lower-case hex; `verify` checks it.
    pub sha256: String,
}

/// An export a wave read: an entry of manifest.json's `inputs`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InputRecord {
    /// The wave the export belongs to.
    pub wave: String,
    /// The export's path relative to the manifest's folder.
    pub path: String,
    /// SHA-256 of the export's bytes, lower-case hex.
    pub sha256: String,
    /// The survey tool that wrote it (`qualtrics`, `generic` …).
    pub format: String,
    /// How its text was decoded (`utf-8`, `utf-8-bom`, `windows-1252` …; `xlsx` … for workbooks).
    pub encoding: String,
    /// The REDCap data dictionary read with the export, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dictionary: Option<FileHash>,
}

/// The settings a wave ran with: manifest.json's `settings`, so a reader can tell how the figures
/// were made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// The pipeline's seed (k-means restarts, random projections).
    pub seed: u64,
    /// Confidence level of every interval.
    pub confidence: f64,
    /// Groups smaller than this were suppressed.
    pub suppress_below: usize,
    /// Number of themes asked for (`"auto"` or a number).
    pub themes_k: crate::config::ThemeCount,
    /// Example quotes per theme.
    pub quotes: usize,
    /// How reliability treated incomplete rows (the runner uses `pairwise`).
    pub missing_method: score::reliability::MissingMethod,
    /// How p-values were adjusted across items (`holm` or `benjamini-hochberg`).
    pub adjustment: Adjustment,
    /// Responses the survey tool marks as tests or previews were kept (the survey's
    /// `keep_test_responses`, or `run --keep-tests`); `accounting.kept_flagged` counts them.
    #[serde(default)]
    pub keep_test_responses: bool,
    /// How the summary's charts were drawn (the pipeline's `[report]`).
    #[serde(default)]
    pub report: crate::config::ReportOptions,
    /// Parquet tables were written (`[output] parquet`, or `run --parquet`); absent when not,
    /// so manifests without them read as before.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub parquet: bool,
}

impl Settings {
    /// The settings a pipeline runs its waves with.
    pub(super) fn of(lp: &LoadedPipeline) -> Settings {
        Settings {
            seed: lp.limits.seed,
            confidence: lp.limits.confidence.get(),
            suppress_below: lp.limits.suppress_below.get(),
            themes_k: lp.limits.k,
            quotes: lp.limits.quotes.get(),
            // The runner scores with the default (pairwise).
            missing_method: score::reliability::MissingMethod::default(),
            adjustment: lp.limits.adjustment,
            keep_test_responses: lp.survey.clean.keep_test_responses,
            report: lp.config.report,
            parquet: lp.config.output.parquet,
        }
    }
}

/// `manifest.json`: what was run, on what, with which settings, and what it produced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// Always `canvass`.
    pub tool: String,
    /// canvass's version (Cargo's package version) that wrote the files.
    pub version: String,
    /// The wave's short name.
    pub wave: String,
    /// The wave's label.
    pub wave_label: String,
    /// Paths are relative to the folder holding the manifest.
    pub pipeline: FileHash,
    /// The survey file, relative to the manifest's folder, with its SHA-256.
    pub survey: FileHash,
    /// The reviewer's corrections to the themes, when the pipeline names a review file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<FileHash>,
    /// Every export the wave's figures depend on: those of earlier waves it is compared or trended
    /// with, then its own (last).
    pub inputs: Vec<InputRecord>,
    /// The coded sample learned from (a `[[text]]` question's `coded`), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coded: Option<FileHash>,
    /// The settings the wave ran with.
    pub settings: Settings,
    /// Rows read, kept and excluded per reason (`read = kept + Σ excluded`).
    pub accounting: Accounting,
    /// Every file written for the wave, by name, with its SHA-256; `verify` checks each and re-runs
    /// to compare.
    pub outputs: Vec<FileHash>,
    /// The fingerprint of the secret that keyed the respondent ids (`secret::Secret::fingerprint`),
    /// never the secret: `verify` tells by it a missing or different secret from changed outputs.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub secret_fingerprint: String,
}
