//! The runner: executes a pipeline wave by wave (ingest → clean → score → themes → compare →
//! report), writes each wave's files atomically, and records a manifest from which `verify`
//! can re-run the wave and check every output byte for byte.

use crate::clean::{self, Accounting};
use crate::config::pipeline::LoadedPipeline;
use crate::config::{Pipeline, Survey, Wave};
use crate::error::{read_file, write_file, Error, Result};
use crate::ingest::{hex, ReadOptions};
use crate::model::{ColumnRole, Row};
use crate::report::{self, ReportInput, Templates};
use crate::score::compare::{compare, WaveComparison};
use crate::score::{self, ScoreOptions, ScoreReport};
use crate::stats::hypothesis::Adjustment;
use crate::themes::{self, Comment, ThemeParams, ThemeReport};
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
/// `keep_tests` keeps the responses the survey tool marks as tests, whatever the survey says.
pub fn run(
    pipeline_path: &Path,
    output: Option<&Path>,
    keep_tests: bool,
    progress: &mut dyn Write,
) -> Result<Vec<WaveResult>> {
    let mut lp = Pipeline::load(pipeline_path)?;
    lp.survey.clean.keep_test_responses |= keep_tests;
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
        let result = run_wave(
            &lp,
            wave,
            results.last(),
            &directory,
            &templates,
            wave_review,
        )?;
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
    previous: Option<&WaveResult>,
    directory: &Path,
    templates: &Templates,
    review: Option<&themes::review::WaveReview>,
) -> Result<WaveResult> {
    let export = lp.export_path(wave);
    let (expanded, clean) = read_wave(lp, wave, &export)?;
    clean
        .accounting
        .require_kept(&export, clean::RulesAt::Survey(&lp.survey_path))?;
    let survey = &expanded;
    let source = clean.source.clone();
    let options = ScoreOptions {
        confidence: lp.config.confidence,
        suppress_below: lp.config.suppress_below,
        missing: Default::default(),
        weight: survey.respondent.weight.clone(),
    };
    let score = score::score(&clean, survey, &options)?;
    let themes = theme_wave(lp, &clean, &export, review)?;
    let agreement = score::panel::agreement(&clean, survey)?;
    let comparison = previous.map(|p| {
        let mut c = compare(
            &p.score,
            &score,
            (&p.label, wave.label()),
            lp.config.confidence,
            lp.config.adjustment,
        );
        c.panel = score::panel::compare_panel(
            &p.agreement,
            &agreement,
            lp.config.suppress_below,
            lp.config.confidence,
            lp.config.adjustment,
        );
        c
    });
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
    // The comparison makes the previous wave's export an input of this wave's report too.
    let mut inputs: Vec<InputRecord> = previous
        .and_then(|p| {
            let w = lp.config.waves.iter().find(|w| w.name == p.export.wave)?;
            Some(record(
                w,
                &p.export.sha256,
                &p.export.format,
                &p.export.encoding,
            ))
        })
        .transpose()?
        .into_iter()
        .collect();
    inputs.push(this.clone());
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
        clean: &clean,
        score: &score,
        themes: themes.as_ref().map(|(q, t)| (q.as_str(), t)),
        comparison: comparison.as_ref(),
        provenance: &provenance(&survey_hash, &inputs, lp.config.seed),
        options: lp.config.report,
    };
    let mut files = report::render(&input, templates).map_err(|e| match e {
        report::RenderError::Template(e) => Error::config(&lp.path, "templates", e)
            .hint("fix the template, or remove `templates` to use the built-in ones"),
        report::RenderError::Workbook(e) => Error::Io {
            path: directory.join("tables.xlsx"),
            source: std::io::Error::other(e),
        },
    })?;
    files.push(("score.json".into(), to_json(&score)));
    if let Some((_, t)) = &themes {
        files.push(("themes.json".into(), to_json(t)));
    }
    if let Some(c) = &comparison {
        files.push(("comparison.json".into(), to_json(c)));
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
        settings: Settings {
            seed: lp.config.seed,
            confidence: lp.config.confidence,
            suppress_below: lp.config.suppress_below,
            themes_k: lp.config.themes.k,
            quotes: lp.config.themes.quotes,
            missing_method: options.missing,
            adjustment: lp.config.adjustment,
            keep_test_responses: lp.survey.clean.keep_test_responses,
            report: lp.config.report,
        },
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
        accounting: clean.accounting,
        score,
        themes: themes.map(|(_, t)| t),
        comparison,
        export: this,
        agreement,
    })
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

/// Streams a wave's export through ingest and clean, keeping of each counted response only the
/// columns later stages read (items, the open question, segments, the weight), so memory
/// follows the survey, not the width of the export. Returns the survey with its matrix
/// questions expanded against the export's columns.
fn read_wave(
    lp: &LoadedPipeline,
    wave: &Wave,
    export: &Path,
) -> Result<(Survey, clean::CleanTable)> {
    let read = ReadOptions::new(wave.sheet.clone(), lp.dictionary_path(wave));
    let (survey, mut stream) = clean::CleanStream::for_survey(export, &read, &lp.survey)?;
    let wanted: Vec<&str> = survey
        .items
        .iter()
        .map(|i| i.column())
        .chain(survey.text.iter().map(|t| t.column()))
        .chain(survey.segments.iter().map(|s| s.column()))
        .chain(survey.respondent.weight.as_deref())
        .collect();
    let mut keep: Vec<usize> = wanted
        .iter()
        .filter_map(|w| crate::model::find_column(stream.columns(), w))
        .collect();
    keep.sort_unstable();
    keep.dedup();
    // Each row that passes the rules is projected to those columns where it was parsed; the
    // kept ones are collected in file order.
    let mut kept = Vec::new();
    stream.screen_all(
        Vec::new,
        |rows, r| {
            rows.push(crate::model::Response {
                row: r.line(),
                key: crate::ingest::key_hex(r.key()),
                values: keep.iter().map(|&i| r.scrubbed(i)).collect(),
            });
            Ok(())
        },
        |chunks| {
            for chunk in chunks {
                let rows = chunk.rows.into_iter().zip(chunk.kept);
                kept.extend(rows.filter(|(_, k)| *k).map(|(r, _)| r));
            }
            Ok(())
        },
    )?;
    let outcome = stream.finish()?;
    let projected = keep.iter().map(|&i| outcome.columns[i].clone()).collect();
    Ok((
        survey,
        clean::CleanOutcome {
            columns: projected,
            ..outcome
        }
        .with_responses(kept),
    ))
}

/// Themes the survey's first free-text question, if it has one.
fn theme_wave(
    lp: &LoadedPipeline,
    clean: &clean::CleanTable,
    export: &Path,
    review: Option<&themes::review::WaveReview>,
) -> Result<Option<(String, ThemeReport)>> {
    let survey: &Survey = &lp.survey;
    let Some(question) = survey.text.first() else {
        return Ok(None);
    };
    let col = crate::model::find_column(&clean.columns, question.column())
        .filter(|&c| clean.columns[c].role == ColumnRole::Answer)
        .ok_or_else(|| {
            Error::input(
                export,
                format!(
                    "has no column `{}` for the free-text question `{}`",
                    question.column(),
                    question.id
                ),
            )
            .hint("fix `text[0].column` in the survey file; `canvass inspect` lists the columns")
        })?;
    let comments: Vec<Comment> = clean
        .responses
        .iter()
        .map(|r| Comment {
            respondent: r.key.clone(),
            text: r.values[col].to_string(),
        })
        .collect();
    let params = ThemeParams {
        k: lp.config.themes.k,
        seed: lp.config.seed,
        language: survey.language.clone(),
        quotes: lp.config.themes.quotes,
        redact: survey.privacy.redact.clone(),
        codebook: survey.codebook.clone(),
        question: question.text.clone(),
        ..ThemeParams::new(clean.responses.len())
    };
    let mut report = themes::themes(&comments, &params)
        .map_err(|e| Error::input(export, format!("theming `{}` failed: {e}", question.id)))?;
    // A reviewer's corrections come before the breakdowns, which count the reviewed themes.
    if let Some(r) = review {
        report.review = Some(themes::review::apply(&mut report, r, params.quotes));
    }
    let mut names = Vec::new();
    let mut groups = Vec::new();
    for seg in &survey.segments {
        if let Some(c) = crate::model::find_column(&clean.columns, seg.column()) {
            names.push(seg.name.clone());
            groups.push(
                clean
                    .responses
                    .iter()
                    .map(|r| {
                        let v = r.values[c].trim();
                        (
                            r.key.clone(),
                            if v.is_empty() {
                                "(not answered)".to_string()
                            } else {
                                v.to_string()
                            },
                        )
                    })
                    .collect(),
            );
        }
    }
    report.segments =
        themes::segments::breakdown(&report, &names, &groups, lp.config.suppress_below);
    Ok(Some((question.text.clone(), report)))
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
