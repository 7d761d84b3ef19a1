//! What `manifest.json` records of a wave: the files read and written with their SHA-256, the
//! settings, and the row accounting. What it records of the inputs ([`Recorded`]) is part of the
//! report stage's inputs (`inputs::ReportInputs`), which its cache key hashes whole; `verify`
//! reads the manifest back and re-runs it.

pub mod verify;

use super::*;
use sha2::{Digest, Sha256};

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
    /// The text read as a blank cell, where the file spells blanks out (R's `NA`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub missing: Option<String>,
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
    /// The pipeline's own summary templates (`templates = "dir"`), each file with its SHA-256;
    /// absent with the built-in ones, so manifests without them read as before.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub templates: Vec<FileHash>,
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

/// What manifest.json records of a wave's inputs, and the report's key hashes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(super) struct Recorded {
    pub(super) wave: String,
    pub(super) wave_label: String,
    pub(super) pipeline: FileHash,
    pub(super) survey: FileHash,
    pub(super) review: Option<FileHash>,
    pub(super) coded: Option<FileHash>,
    /// The pipeline's template files, when it names its own (not `templates`: the report's
    /// key already has a part of that name, their contents).
    pub(super) template_files: Vec<FileHash>,
    /// Every export the report depends on: the previous wave's (compared) or every earlier
    /// wave's (trended), then this wave's.
    pub(super) exports: Vec<ExportInput>,
    pub(super) settings: Settings,
}

/// An export the report depends on, paths relative to the wave's folder.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(super) struct ExportInput {
    pub(super) wave: String,
    pub(super) path: String,
    pub(super) sha256: String,
    pub(super) dictionary: Option<FileHash>,
}

impl Manifest {
    /// The manifest of a wave's report: what its inputs record, the exports as read (`inputs`,
    /// from [`input_records`]), the accounting and the files written.
    pub(super) fn new(
        recorded: &Recorded,
        inputs: Vec<InputRecord>,
        accounting: Accounting,
        outputs: Vec<FileHash>,
        secret_fingerprint: Option<String>,
    ) -> Manifest {
        // Every field named: one added to `Recorded` does not compile until it is written here
        // (the exports are `inputs`, made from them by `input_records`).
        let Recorded {
            wave,
            wave_label,
            pipeline,
            survey,
            review,
            coded,
            template_files,
            exports: _,
            settings,
        } = recorded;
        Manifest {
            tool: "canvass".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            wave: wave.clone(),
            wave_label: wave_label.clone(),
            pipeline: pipeline.clone(),
            survey: survey.clone(),
            review: review.clone(),
            inputs,
            coded: coded.clone(),
            templates: template_files.clone(),
            settings: settings.clone(),
            accounting,
            outputs,
            secret_fingerprint: secret_fingerprint.unwrap_or_default(),
        }
    }
}

/// How a wave's export was read: the survey tool that wrote it and its text encoding.
pub(super) struct ReadAs<'a> {
    /// The wave whose export it is.
    pub(super) wave: &'a str,
    /// `qualtrics`, `generic` …
    pub(super) format: &'a str,
    /// `utf-8`, `windows-1252` …
    pub(super) encoding: &'a str,
    /// The text read as a blank cell (R's `NA`), if any.
    pub(super) missing: Option<&'a str>,
}

/// The exports the report's inputs record, each with how it was read (`read_as`, per wave).
pub(super) fn input_records(recorded: &Recorded, read_as: &[ReadAs]) -> Result<Vec<InputRecord>> {
    recorded
        .exports
        .iter()
        .map(|e| match read_as.iter().find(|r| r.wave == e.wave) {
            Some(r) => Ok(input_record(e, r)),
            None => Err(Error::input(
                Path::new(&e.path),
                "canvass could not order its stages: the report runs without this export's wave",
            )
            .hint("delete the folder's .canvass cache and run again; please report this")),
        })
        .collect()
}

/// An export as the manifest records it.
pub(super) fn input_record(e: &ExportInput, read_as: &ReadAs) -> InputRecord {
    InputRecord {
        wave: e.wave.clone(),
        path: e.path.clone(),
        sha256: e.sha256.clone(),
        format: read_as.format.to_string(),
        encoding: read_as.encoding.to_string(),
        missing: read_as.missing.map(str::to_string),
        dictionary: e.dictionary.clone(),
    }
}

/// A reused report stage's files are still the ones its manifest records.
pub(super) fn outputs_intact(dir: &Path) -> std::result::Result<(), String> {
    let bytes = std::fs::read(dir.join("manifest.json")).map_err(|e| e.to_string())?;
    let manifest: Manifest = serde_json::from_slice(&bytes).map_err(|e| e.to_string())?;
    for out in &manifest.outputs {
        if !confine::is_output_path(&out.path) {
            return Err(format!(
                "lists {}, which is not in the wave's folder",
                out.path
            ));
        }
        let ok =
            std::fs::read(dir.join(&out.path)).is_ok_and(|b| hex(&Sha256::digest(b)) == out.sha256);
        if !ok {
            return Err(format!("{} changed since it was written", out.path));
        }
    }
    Ok(())
}

/// A file as the manifest records it: its path relative to `base` and its SHA-256.
pub(super) fn hash_file(path: &Path, base: &Path) -> Result<FileHash> {
    Ok(FileHash {
        path: relative(path, base),
        sha256: hex(&Sha256::digest(read_file(path)?)),
    })
}

/// `target` relative to the folder `base`, with `/` separators, so manifests do not depend on
/// where the project is checked out.
pub fn relative(target: &Path, base: &Path) -> String {
    let abs = |p: &Path| {
        let p = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(p)
        };
        let mut out = PathBuf::new();
        for c in p.components() {
            match c {
                Component::ParentDir => {
                    out.pop();
                }
                Component::CurDir => {}
                other => out.push(other),
            }
        }
        out
    };
    let (t, b) = (abs(target), abs(base));
    let tc: Vec<_> = t.components().collect();
    let bc: Vec<_> = b.components().collect();
    let common = tc.iter().zip(&bc).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_string(); bc.len() - common];
    parts.extend(
        tc[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_walk_up_and_down() {
        assert_eq!(
            relative(Path::new("/a/b/c.csv"), Path::new("/a/d/e")),
            "../../b/c.csv"
        );
        assert_eq!(
            relative(Path::new("/a/b/../c.csv"), Path::new("/a")),
            "c.csv"
        );
    }
}
