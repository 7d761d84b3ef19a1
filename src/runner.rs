//! The runner: executes a pipeline wave by wave (ingest → clean → score → themes → compare →
//! report), writes each wave's files atomically, and records a manifest from which `verify`
//! can re-run the wave and check every output byte for byte.

use crate::clean::{self, Accounting};
use crate::config::pipeline::LoadedPipeline;
use crate::config::{Pipeline, Wave};
use crate::error::{read_file, write_file, Error, Result};
use crate::ingest::{hex, ReadOptions};
use crate::report::{self, ReportInput, Templates};
use crate::score::compare::{compare, WaveComparison};
use crate::score::{self, ScoreOptions, ScoreReport};
use crate::stats::hypothesis::Adjustment;
use crate::themes::{self, ThemeReport};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Component, Path, PathBuf};

/// A file and its SHA-256.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileHash {
    pub path: String,
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InputRecord {
    pub wave: String,
    pub path: String,
    pub sha256: String,
    pub format: String,
    pub encoding: String,
    /// The REDCap data dictionary read with the export, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dictionary: Option<FileHash>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    pub seed: u64,
    pub confidence: f64,
    pub suppress_below: usize,
    pub themes_k: crate::config::ThemeCount,
    pub quotes: usize,
    pub missing_method: score::reliability::MissingMethod,
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
    fn of(lp: &LoadedPipeline) -> Settings {
        Settings {
            seed: lp.config.seed,
            confidence: lp.config.confidence,
            suppress_below: lp.config.suppress_below,
            themes_k: lp.config.themes.k,
            quotes: lp.config.themes.quotes,
            // The runner scores with the default (pairwise).
            missing_method: score::reliability::MissingMethod::default(),
            adjustment: lp.config.adjustment,
            keep_test_responses: lp.survey.clean.keep_test_responses,
            report: lp.config.report,
            parquet: lp.config.output.parquet,
        }
    }
}

/// `manifest.json`: what was run, on what, with which settings, and what it produced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub tool: String,
    pub version: String,
    pub wave: String,
    pub wave_label: String,
    /// Paths are relative to the folder holding the manifest.
    pub pipeline: FileHash,
    pub survey: FileHash,
    /// The reviewer's corrections to the themes, when the pipeline names a review file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<FileHash>,
    pub inputs: Vec<InputRecord>,
    /// The coded sample learned from (a `[[text]]` question's `coded`), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coded: Option<FileHash>,
    pub settings: Settings,
    pub accounting: Accounting,
    pub outputs: Vec<FileHash>,
}

/// One wave's artefacts, kept in memory for the next wave's comparison.
pub struct WaveResult {
    pub name: String,
    pub label: String,
    pub directory: PathBuf,
    pub accounting: Accounting,
    pub score: ScoreReport,
    pub themes: Option<ThemeReport>,
    pub comparison: Option<WaveComparison>,
    pub export: InputRecord,
    /// Respondent-level agreement, for panel matching with the next wave (never written).
    pub agreement: score::panel::Agreement,
}

/// Runs every wave of a pipeline. `output` overrides the pipeline's output folder (for `verify`);
/// `keep_tests` keeps the responses the survey tool marks as tests, whatever the survey says;
/// `parquet` writes the Parquet tables, whatever the pipeline's `[output]` says.
pub fn run(
    pipeline_path: &Path,
    output: Option<&Path>,
    keep_tests: bool,
    parquet: bool,
    progress: &mut dyn Write,
) -> Result<Vec<WaveResult>> {
    let mut lp = Pipeline::load(pipeline_path)?;
    lp.survey.clean.keep_test_responses |= keep_tests;
    lp.config.output.parquet |= parquet;
    let root = output.map_or_else(|| lp.output.clone(), Path::to_path_buf);
    let templates = load_templates(&lp)?;
    let review = lp
        .review_path()
        .map(|p| themes::review::load(&p))
        .transpose()?;
    if let Some(r) = &review {
        for w in &r.wave {
            if !lp.config.waves.iter().any(|x| x.name == w.name) {
                eprintln!(
                    "warning: the review file's [[wave]] `{}` is not a wave of the pipeline; its edits were not applied",
                    w.name
                );
            }
        }
    }
    let mut results: Vec<WaveResult> = Vec::new();
    for wave in &lp.config.waves {
        let directory = root.join(&wave.name);
        let wave_review = review
            .as_ref()
            .and_then(|r| r.wave.iter().find(|w| w.name == wave.name));
        let result = run_wave(&lp, wave, &results, &directory, &templates, wave_review)?;
        // Edits that no longer apply are said on every run until the reviewer mends them.
        for stale in result
            .themes
            .as_ref()
            .and_then(|t| t.review.as_ref())
            .map_or(&[][..], |r| &r.stale[..])
        {
            eprintln!(
                "warning: {}: review edit no longer applies: {stale}",
                wave.name
            );
        }
        let a = &result.accounting;
        let excluded: Vec<String> = a
            .excluded
            .iter()
            .map(|(r, n)| format!("{n} {}", r.name()))
            .collect();
        let flagged: Vec<String> = a
            .kept_flagged
            .iter()
            .map(|(r, n)| format!("{n} {}", r.name()))
            .collect();
        let _ = writeln!(
            progress,
            "{}: read {} rows, kept {}{}{} → {}",
            wave.name,
            a.read,
            a.kept,
            if flagged.is_empty() {
                String::new()
            } else {
                format!(", {} of them (keep_test_responses)", flagged.join(", "))
            },
            if excluded.is_empty() {
                String::new()
            } else {
                format!(" (excluded {})", excluded.join(", "))
            },
            relative(&directory, Path::new("."))
        );
        if let Some(note) = result
            .themes
            .as_ref()
            .and_then(crate::report::themes_k_note)
        {
            let _ = writeln!(progress, "{}: {note}", wave.name);
        }
        if let Some(l) = result.themes.as_ref().and_then(|t| t.learned.as_ref()) {
            if l.unknown_ids > 0 {
                let _ = writeln!(
                    progress,
                    "{}: warning: {} ids of the coded sample {} are not comments of this wave and it gives no text for them: they were not used",
                    wave.name, l.unknown_ids, l.sample
                );
            }
        }
        results.push(result);
    }
    Ok(results)
}

fn load_templates(lp: &LoadedPipeline) -> Result<Templates> {
    match &lp.templates {
        None => Ok(Templates::default()),
        Some(dir) => {
            let read = |name: &str| -> Result<String> {
                let p = dir.join(name);
                String::from_utf8(read_file(&p)?).map_err(|_| {
                    Error::config(
                        &lp.path,
                        "templates",
                        format!("{} is not UTF-8", p.display()),
                    )
                })
            };
            Ok(Templates {
                html: read("summary.html.j2")?,
                markdown: read("summary.md.j2")?,
            })
        }
    }
}

fn run_wave(
    lp: &LoadedPipeline,
    wave: &Wave,
    earlier: &[WaveResult],
    directory: &Path,
    templates: &Templates,
    review: Option<&themes::review::WaveReview>,
) -> Result<WaveResult> {
    let export = lp.export_path(wave);
    let read = ReadOptions::new(wave.sheet.clone(), lp.dictionary_path(wave));
    let rules = clean::RulesAt::Survey(&lp.survey_path);
    let cleaned = clean::for_wave(&export, &read, &lp.survey, rules)?;
    let (survey, clean) = (&cleaned.survey, &cleaned.table);
    let source = clean.source.clone();
    let Analysis {
        score,
        themes,
        agreement,
        comparison,
    } = analyse(lp, wave, &cleaned, earlier.last(), review, &export)?;
    let trend = wave_trend(lp, survey, earlier, wave, &score);
    let (this, inputs) = input_records(lp, wave, earlier, trend.is_some(), &source, directory)?;
    // Hashed before the report, whose workbook lists them.
    let pipeline = hash_file(&lp.path, directory)?;
    let survey_hash = hash_file(&lp.survey_path, directory)?;
    let review_hash = lp
        .review_path()
        .map(|p| hash_file(&p, directory))
        .transpose()?;
    let input = ReportInput {
        survey,
        wave_name: &wave.name,
        wave_label: wave.label(),
        clean,
        score: &score,
        themes: themes.as_ref().map(|t| (t.question.as_str(), &t.report)),
        comparison: comparison.as_ref(),
        trend: trend.as_ref(),
        provenance: &provenance(&survey_hash, &inputs, lp.config.seed),
        options: lp.config.report,
    };
    let mut files = render(lp, &input, templates, directory)?;
    files.push(("score.json".into(), to_json(&score)));
    if let Some(t) = &themes {
        files.push(("themes.json".into(), to_json(&t.report)));
    }
    if let Some(c) = &comparison {
        files.push(("comparison.json".into(), to_json(c)));
    }
    if let Some(t) = &trend {
        files.push(("trends.json".into(), to_json(t)));
    }
    if lp.config.output.parquet {
        let respondents =
            score::respondents::respondents(clean, survey, &score_options(lp, survey))?;
        let input = report::parquet::ParquetInput {
            survey,
            wave_name: &wave.name,
            clean,
            score: &score,
            themes: themes.as_ref().map(|t| &t.report),
            respondents: &respondents,
        };
        let tables = report::parquet::files(&input).map_err(|e| Error::Io {
            path: directory.join("../parquet"),
            source: std::io::Error::other(e),
        })?;
        // Below the output folder, beside the waves' folders; the manifest lists them
        // relative to this wave's folder, as every path in it.
        files.extend(
            tables
                .into_iter()
                .map(|(path, bytes)| (format!("../{path}"), bytes)),
        );
    }
    for (name, bytes) in &files {
        write_file(&directory.join(name), bytes)?;
    }
    let manifest = Manifest {
        tool: "canvass".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        wave: wave.name.clone(),
        wave_label: wave.label().to_string(),
        pipeline,
        survey: survey_hash,
        review: review_hash,
        inputs,
        coded: lp
            .survey
            .text
            .first()
            .and_then(|q| coded_path(lp, q))
            .map(|p| hash_file(&p, directory))
            .transpose()?,
        settings: Settings::of(lp),
        accounting: clean.accounting.clone(),
        outputs: files
            .iter()
            .map(|(name, bytes)| FileHash {
                path: name.clone(),
                sha256: hex(&Sha256::digest(bytes)),
            })
            .collect(),
    };
    write_file(&directory.join("manifest.json"), &to_json(&manifest))?;
    Ok(WaveResult {
        name: wave.name.clone(),
        label: wave.label().to_string(),
        directory: directory.to_path_buf(),
        accounting: cleaned.table.accounting,
        score,
        themes: themes.map(|t| t.report),
        comparison,
        export: this,
        agreement,
    })
}

/// The analysis stages of a wave after clean, in order: score, themes, the panel's agreement,
/// and the comparison with the previous wave.
fn analyse(
    lp: &LoadedPipeline,
    wave: &Wave,
    cleaned: &clean::CleanWave,
    previous: Option<&WaveResult>,
    review: Option<&themes::review::WaveReview>,
    export: &Path,
) -> Result<Analysis> {
    let (survey, clean) = (&cleaned.survey, &cleaned.table);
    let score = score::score(clean, survey, &score_options(lp, survey))?;
    let question = survey.text.first();
    let theme_settings = themes::WaveSettings {
        k: lp.config.themes.k,
        quotes: lp.config.themes.quotes,
        seed: lp.config.seed,
        suppress_below: lp.config.suppress_below,
        review_below: question
            .and_then(|q| q.review_below)
            .unwrap_or(themes::learn::DEFAULT_REVIEW_BELOW),
    };
    let coded = match question {
        Some(q) => coded_sample(lp, q)?
            .zip(coded_path(lp, q))
            .map(|(sample, path)| themes::Coded { sample, path }),
        None => None,
    };
    let themes = themes::for_wave(cleaned, &theme_settings, coded, review, export)?;
    let agreement = score::panel::agreement(clean, survey)?;
    let comparison = previous.map(|p| {
        let panel = score::panel::compare_panel(
            &p.agreement,
            &agreement,
            lp.config.suppress_below,
            lp.config.confidence,
            lp.config.adjustment,
        );
        compare(
            &p.score,
            &score,
            (&p.label, wave.label()),
            lp.config.confidence,
            lp.config.adjustment,
            panel,
        )
    });
    Ok(Analysis {
        score,
        themes,
        agreement,
        comparison,
    })
}

/// How the runner scores a wave: the pipeline's confidence and suppression, pairwise deletion,
/// the survey's weight.
fn score_options(lp: &LoadedPipeline, survey: &crate::config::Survey) -> ScoreOptions {
    ScoreOptions {
        confidence: lp.config.confidence,
        suppress_below: lp.config.suppress_below,
        missing: Default::default(),
        weight: survey.respondent.weight.clone(),
    }
}

/// The artefacts of a wave's analysis stages.
struct Analysis {
    score: ScoreReport,
    themes: Option<themes::WaveThemes>,
    /// Kept for the next wave's panel comparison (never written).
    agreement: score::panel::Agreement,
    comparison: Option<WaveComparison>,
}

/// The exports a wave's outputs depend on, as the manifest records them: this wave's and, when
/// there is a comparison, the previous wave's (its export is an input of this wave's report
/// too), and with a trend every earlier wave's. Returns this wave's record and all of them.
fn input_records(
    lp: &LoadedPipeline,
    wave: &Wave,
    earlier: &[WaveResult],
    trend: bool,
    source: &crate::model::SourceInfo,
    directory: &Path,
) -> Result<(InputRecord, Vec<InputRecord>)> {
    let record = |w: &Wave, sha256: &str, format: &str, encoding: &str| -> Result<InputRecord> {
        Ok(InputRecord {
            wave: w.name.clone(),
            path: relative(&lp.export_path(w), directory),
            sha256: sha256.to_string(),
            format: format.to_string(),
            encoding: encoding.to_string(),
            dictionary: lp
                .dictionary_path(w)
                .map(|d| hash_file(&d, directory))
                .transpose()?,
        })
    };
    let this = record(wave, &source.sha256, source.format.name(), &source.encoding)?;
    // The comparison makes the previous wave's export an input of this wave's report too, and
    // the trend every earlier wave's.
    let upstream = if trend {
        earlier
    } else {
        &earlier[earlier.len().saturating_sub(1)..]
    };
    let mut inputs: Vec<InputRecord> = upstream
        .iter()
        .filter_map(|p| {
            let w = lp.config.waves.iter().find(|w| w.name == p.export.wave)?;
            Some(record(
                w,
                &p.export.sha256,
                &p.export.format,
                &p.export.encoding,
            ))
        })
        .collect::<Result<_>>()?;
    inputs.push(this.clone());
    Ok((this, inputs))
}

/// The report's files, with a template's error named as the pipeline's `templates` setting.
fn render(
    lp: &LoadedPipeline,
    input: &ReportInput,
    templates: &Templates,
    directory: &Path,
) -> Result<Vec<(String, Vec<u8>)>> {
    report::render(input, templates).map_err(|e| match e {
        report::RenderError::Template(e) => Error::config(&lp.path, "templates", e)
            .hint("fix the template, or remove `templates` to use the built-in ones"),
        report::RenderError::Workbook(e) => Error::Io {
            path: directory.join("tables.xlsx"),
            source: std::io::Error::other(e),
        },
        report::RenderError::Document(e) => Error::Io {
            path: directory.join("summary.docx"),
            source: std::io::Error::other(e),
        },
    })
}

/// The trend over the earlier waves and this one (from the third wave on): the survey's
/// headline items and every scale.
fn wave_trend(
    lp: &LoadedPipeline,
    survey: &crate::config::Survey,
    earlier: &[WaveResult],
    wave: &Wave,
    score: &ScoreReport,
) -> Option<score::trend::Trend> {
    use score::trend::WaveScores;
    let waves: Vec<WaveScores> = earlier
        .iter()
        .map(|r| WaveScores {
            name: &r.name,
            label: &r.label,
            score: &r.score,
        })
        .chain([WaveScores {
            name: &wave.name,
            label: wave.label(),
            score,
        }])
        .collect();
    score::trend::trend(
        &waves,
        &score::trend::headline_ids(survey, score),
        lp.config.confidence,
        lp.config.suppress_below,
    )
}

/// The survey and exports the manifest records, for the report's workbook. By file name, not
/// path, and without the pipeline file: both depend on where the report is written (the
/// pipeline names the output folder), which would change the workbook though no figure did;
/// the manifest has them.
fn provenance(survey: &FileHash, inputs: &[InputRecord], seed: u64) -> report::Provenance {
    let file = |role: String, path: &str, sha256: &str| report::HashedFile {
        role,
        name: path.rsplit('/').next().unwrap_or(path).to_string(),
        sha256: sha256.to_string(),
    };
    let mut files = vec![file("survey".into(), &survey.path, &survey.sha256)];
    for i in inputs {
        files.push(file(format!("export, {}", i.wave), &i.path, &i.sha256));
        if let Some(d) = &i.dictionary {
            files.push(file(format!("dictionary, {}", i.wave), &d.path, &d.sha256));
        }
    }
    report::Provenance { seed, files }
}

/// The coded sample a free-text question names (`coded`, relative to the survey file).
fn coded_path(lp: &LoadedPipeline, question: &crate::config::TextQuestion) -> Option<PathBuf> {
    let dir = lp.survey_path.parent().unwrap_or(Path::new("."));
    question.coded.as_ref().map(|c| dir.join(c))
}

fn coded_sample(
    lp: &LoadedPipeline,
    question: &crate::config::TextQuestion,
) -> Result<Option<themes::learn::CodedSample>> {
    if let Some(r) = question.review_below.filter(|r| !(0.0..=1.0).contains(r)) {
        return Err(Error::config(
            &lp.survey_path,
            "text[0].review_below",
            format!("must be a probability between 0 and 1 (got {r})"),
        )
        .hint(
            "0.5 lists for review the comments whose most likely theme is less likely than not",
        ));
    }
    // Named as the survey file names it, so that the summary does not depend on where canvass ran.
    let named = |mut s: themes::learn::CodedSample| {
        s.source = question.coded.clone().unwrap_or_default();
        s
    };
    coded_path(lp, question)
        .map(|p| crate::commands::agree::read_sample(&p, "id").map(named))
        .transpose()
}

fn to_json<T: Serialize>(value: &T) -> Vec<u8> {
    let mut v = serde_json::to_vec_pretty(value).unwrap_or_default();
    v.push(b'\n');
    v
}

fn hash_file(path: &Path, base: &Path) -> Result<FileHash> {
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

/// The outcome of `verify`: each check with whether it held.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verification {
    pub checks: Vec<(String, bool)>,
}

impl Verification {
    pub fn ok(&self) -> bool {
        self.checks.iter().all(|(_, ok)| *ok)
    }
}

/// Checks a manifest: the pipeline, survey and exports still hash as recorded, and re-running
/// the pipeline (into a scratch folder) reproduces every output byte for byte.
pub fn verify(manifest_path: &Path) -> Result<Verification> {
    let text = read_file(manifest_path)?;
    let manifest: Manifest = serde_json::from_slice(&text).map_err(|e| {
        Error::input(manifest_path, format!("is not a canvass manifest: {e}"))
            .hint("pass the manifest.json of a wave folder")
    })?;
    let dir = manifest_path.parent().unwrap_or(Path::new("."));
    let mut checks = Vec::new();
    let mut check_hash = |label: &str, f: &FileHash| {
        let ok = read_file(&dir.join(&f.path))
            .map(|b| hex(&Sha256::digest(b)) == f.sha256)
            .unwrap_or(false);
        checks.push((format!("{label} {} has the recorded SHA-256", f.path), ok));
    };
    check_hash("pipeline", &manifest.pipeline);
    check_hash("survey", &manifest.survey);
    if let Some(r) = &manifest.review {
        check_hash("review", r);
    }
    if let Some(c) = &manifest.coded {
        check_hash("coded sample", c);
    }
    for i in &manifest.inputs {
        check_hash(
            "export",
            &FileHash {
                path: i.path.clone(),
                sha256: i.sha256.clone(),
            },
        );
        if let Some(d) = &i.dictionary {
            check_hash("dictionary", d);
        }
    }
    for out in &manifest.outputs {
        check_hash("output", out);
    }
    if !checks.iter().all(|(_, ok)| *ok) {
        return Ok(Verification { checks });
    }
    let scratch = std::env::temp_dir().join(format!(
        "canvass-verify-{}-{}",
        std::process::id(),
        manifest.wave
    ));
    let results = run(
        &dir.join(&manifest.pipeline.path),
        Some(&scratch),
        manifest.settings.keep_test_responses,
        manifest.settings.parquet,
        &mut std::io::sink(),
    );
    let outcome = results.map(|_| ());
    for out in &manifest.outputs {
        let ok = outcome.is_ok()
            && read_file(&scratch.join(&manifest.wave).join(&out.path))
                .map(|b| hex(&Sha256::digest(b)) == out.sha256)
                .unwrap_or(false);
        checks.push((format!("re-run reproduces {} byte for byte", out.path), ok));
    }
    let _ = std::fs::remove_dir_all(&scratch);
    outcome?;
    Ok(Verification { checks })
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
