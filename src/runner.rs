//! The runner: executes a pipeline wave by wave (ingest → clean → score → themes → compare →
//! report), reusing every stage whose inputs did not change since the last run (`cache`,
//! decided by `plan`), writes each wave's files atomically, and records a manifest from which
//! `verify` can re-run the wave and check every output byte for byte.

mod cache;
mod confine;
mod lock;
mod pass;
mod plan;
mod publish;
pub mod secret;
mod survey_parts;

pub use cache::DIR as CACHE_DIR;
pub use plan::{Action, RunOptions, Stage};

use crate::clean::{self, Accounting, CleanWave};
use crate::config::pipeline::LoadedPipeline;
use crate::config::{Pipeline, Wave};
use crate::error::{read_file, Error, Result};
use crate::ingest::{hex, Pseudonyms, ReadOptions};
use crate::progress::{Progress, Unit};
use crate::report::{self, ReportInput, Templates};
use crate::score::compare::{compare, WaveComparison};
use crate::score::respondents::Respondents;
use crate::score::{self, ScoreOptions, ScoreReport};
use crate::stats::hypothesis::Adjustment;
use crate::themes::{self, ThemeReport, WaveComments, WaveThemes};
use cache::StageKey;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

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

/// One wave's artefacts, kept in memory for the next wave's comparison.
pub struct WaveResult {
    /// The wave's short name.
    pub name: String,
    /// The wave's label.
    pub label: String,
    /// The folder its files were written to.
    pub directory: PathBuf,
    /// Rows read, kept and excluded.
    pub accounting: Accounting,
    /// The wave's scores.
    pub score: ScoreReport,
    /// The wave's themes; `None` when the survey has no open question.
    pub themes: Option<ThemeReport>,
    /// The change since the previous wave; `None` for the first wave.
    pub comparison: Option<WaveComparison>,
    /// The export the wave read, as the manifest records it.
    pub export: InputRecord,
    /// Respondent-level agreement, for panel matching with the next wave (never written to
    /// an output; cached beside the score stage's artefact).
    pub agreement: score::panel::Agreement,
}

/// One line of the plan: what a run does (or, with `--dry-run`, would do) with a stage.
#[derive(Debug, Clone, PartialEq)]
pub struct Planned {
    /// The wave's short name.
    pub wave: String,
    /// The stage.
    pub stage: Stage,
    /// What happens to it, and why.
    pub action: Action,
}

/// What a run did: the waves it has results for, and its plan.
#[derive(Default)]
pub struct RunOutcome {
    /// Per wave run (or reused), its artefacts, in pipeline order.
    pub waves: Vec<WaveResult>,
    /// Every stage of every wave with what was (or, with `--dry-run`, would be) done.
    pub plan: Vec<Planned>,
}

/// Runs the waves of a pipeline, reusing every stage whose inputs are unchanged since the last
/// run into the same folder. `output` overrides the pipeline's output folder (for `verify`).
pub fn run(
    pipeline_path: &Path,
    output: Option<&Path>,
    options: &RunOptions,
    progress: &dyn Progress,
) -> Result<RunOutcome> {
    let mut lp = Pipeline::load(pipeline_path)?;
    lp.survey.clean.keep_test_responses |= options.keep_tests;
    lp.config.output.parquet |= options.parquet;
    let root = output.map_or_else(|| lp.output.clone(), Path::to_path_buf);
    let secret = run_secret(&lp, options)?;
    let fingerprint = secret.as_ref().map_or_else(
        || "none yet: the first run creates it".to_string(),
        secret::Secret::fingerprint,
    );
    let templates = load_templates(&lp)?;
    let templates_sha = templates_sha(&templates);
    let review = lp
        .review_path()
        .map(|p| themes::review::load(&p))
        .transpose()?;
    if let Some(r) = &review {
        warn_unknown_review_waves(&lp, r);
    }
    let target = target_wave(&lp, options)?;
    let _lock = (!options.dry_run)
        .then(|| lock::claim_output(&lp, &root))
        .transpose()?;
    let mut outcome = RunOutcome::default();
    let mut done: Vec<Done> = Vec::new();
    for (i, wave) in lp.config.waves.iter().enumerate() {
        // With --wave, only that wave runs; every wave before it comes from the cache, for its
        // comparison (the previous wave) and its trend (every earlier wave).
        if target.is_some_and(|t| i > t) {
            break;
        }
        let feeder = target.is_some_and(|t| i < t);
        let directory = root.join(&wave.name);
        let mut hashes = cache::FileHashes::open(&directory);
        let earlier_keys: Vec<(&Wave, &WaveKeys)> =
            done.iter().map(|d| (d.wave, &d.keys)).collect();
        let keys = wave_keys(
            &lp,
            wave,
            &directory,
            &earlier_keys,
            (&templates_sha, &fingerprint),
            &mut hashes,
        )?;
        let ctx = Ctx {
            lp: &lp,
            wave,
            index: i,
            target: target.and_then(|t| lp.config.waves.get(t)),
            directory: &directory,
            templates: &templates,
            review: review
                .as_ref()
                .and_then(|r| r.wave.iter().find(|w| w.name == wave.name)),
            options,
            progress,
            secret: secret.as_ref(),
        };
        let earlier: Vec<&WaveResult> = done.iter().filter_map(|d| d.result.as_ref()).collect();
        let result = run_wave(&ctx, &keys, &earlier, feeder, &mut outcome.plan)?;
        if !options.dry_run && !options.no_cache {
            hashes.save()?;
        }
        if let (Some(r), false) = (&result, feeder) {
            report_wave_notes(wave, r, progress);
        }
        done.push(Done {
            wave,
            keys,
            result,
            feeder,
        });
    }
    outcome.waves = done
        .into_iter()
        .filter(|d| !d.feeder)
        .filter_map(|d| d.result)
        .collect();
    Ok(outcome)
}

/// The secret that keys the respondent ids: created on the first run, never by `verify`
/// (`existing_secret_only`) nor by `--dry-run` (then `None` when there is none yet).
fn run_secret(lp: &LoadedPipeline, options: &RunOptions) -> Result<Option<secret::Secret>> {
    if options.existing_secret_only {
        let found = secret::find(lp)?;
        return found
            .map(Some)
            .ok_or_else(|| secret::missing(&secret::Location::of(lp)));
    }
    if options.dry_run {
        return secret::find(lp);
    }
    secret::find_or_create(lp).map(Some)
}

/// What the templates contribute to the report's key.
fn templates_sha(templates: &Templates) -> String {
    let mut h = Sha256::new();
    h.update(templates.html.as_bytes());
    h.update([0]);
    h.update(templates.markdown.as_bytes());
    hex(&h.finalize())
}

fn warn_unknown_review_waves(lp: &LoadedPipeline, review: &themes::review::ReviewFile) {
    for w in &review.wave {
        if !lp.config.waves.iter().any(|x| x.name == w.name) {
            eprintln!(
                "warning: the review file's [[wave]] `{}` is not a wave of the pipeline; its edits were not applied",
                w.name
            );
        }
    }
}

/// The place in the pipeline of the wave `--wave` names, if any.
fn target_wave(lp: &LoadedPipeline, options: &RunOptions) -> Result<Option<usize>> {
    let Some(w) = &options.wave else {
        return Ok(None);
    };
    let position = lp.config.waves.iter().position(|x| &x.name == w);
    position.map(Some).ok_or_else(|| {
        let names: Vec<&str> = lp.config.waves.iter().map(|x| x.name.as_str()).collect();
        Error::argument("--wave", format!("the pipeline has no wave `{w}`"))
            .hint(format!("its waves are {}", names.join(", ")))
    })
}

/// The accounting and the warnings and notes of a wave that ran (or was reused).
fn report_wave_notes(wave: &Wave, r: &WaveResult, progress: &dyn Progress) {
    // Edits that no longer apply are said on every run until the reviewer mends them.
    for stale in r
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
    progress.line(&accounting_line(r));
    if let Some(note) = r.themes.as_ref().and_then(crate::report::themes_k_note) {
        progress.line(&format!("{}: {note}", wave.name));
    }
    if let Some(l) = r.themes.as_ref().and_then(|t| t.learned.as_ref()) {
        if l.unknown_ids > 0 {
            progress.line(&format!(
                "{}: warning: {} ids of the coded sample {} are not comments of this wave and it gives no text for them: they were not used",
                wave.name, l.unknown_ids, l.sample
            ));
        }
    }
}

/// "wave-1: read 70 rows, kept 66 (excluded 2 preview, …) → reports/…/wave-1"
fn accounting_line(r: &WaveResult) -> String {
    let a = &r.accounting;
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
    format!(
        "{}: read {} rows, kept {}{}{} → {}",
        r.name,
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
        relative(&r.directory, Path::new("."))
    )
}

/// A wave the loop has passed: its keys (the later waves' comparison and trend keys need its
/// score key) and its result, when it has one.
struct Done<'a> {
    wave: &'a Wave,
    keys: WaveKeys,
    result: Option<WaveResult>,
    /// Read from the cache for the comparison and trend of the wave `--wave` names.
    feeder: bool,
}

struct Ctx<'a> {
    lp: &'a LoadedPipeline,
    wave: &'a Wave,
    /// The wave's place in the pipeline (0 for the first).
    index: usize,
    /// The wave `--wave` names, if any.
    target: Option<&'a Wave>,
    directory: &'a Path,
    templates: &'a Templates,
    /// The reviewer's corrections to this wave's themes, if any.
    review: Option<&'a themes::review::WaveReview>,
    options: &'a RunOptions,
    progress: &'a dyn Progress,
    /// The key of the respondent ids; `None` only in a dry run before the first run.
    secret: Option<&'a secret::Secret>,
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
                pipeline: Some(lp.path.clone()),
            })
        }
    }
}

/// The key of every stage of a wave: computable before anything runs, from the inputs' hashes
/// and the configuration alone, so that `--dry-run` is exact.
struct WaveKeys {
    clean: StageKey,
    /// The export's size and time when it was hashed for the keys: the reader, which does not
    /// hash it again, checks them after reading it.
    export_stat: cache::FileStat,
    score: StageKey,
    themes: StageKey,
    /// From the second wave on.
    compare: Option<StageKey>,
    report: StageKey,
}

impl WaveKeys {
    fn get(&self, stage: Stage) -> Option<&StageKey> {
        match stage {
            Stage::Clean => Some(&self.clean),
            Stage::Score => Some(&self.score),
            Stage::Themes => Some(&self.themes),
            Stage::Compare => self.compare.as_ref(),
            Stage::Report => Some(&self.report),
        }
    }
}

fn wave_keys(
    lp: &LoadedPipeline,
    wave: &Wave,
    directory: &Path,
    earlier: &[(&Wave, &WaveKeys)],
    (templates_sha, secret_fingerprint): (&str, &str),
    hashes: &mut cache::FileHashes,
) -> Result<WaveKeys> {
    let previous = earlier.last().copied();
    let (clean, export_stat) = clean_key(lp, wave, secret_fingerprint, hashes)?;
    let score = StageKey::new().upstream("clean", &clean).config(
        "pipeline settings",
        &(
            lp.config.confidence,
            lp.config.suppress_below,
            score::reliability::MissingMethod::default(),
            lp.config.adjustment,
        ),
    );
    let themes = themes_key(lp, &clean, hashes)?;
    let compare = previous.map(|(w, k)| {
        StageKey::new()
            .upstream("score", &score)
            .upstream("previous wave's score", &k.score)
            .config(
                "pipeline settings",
                &(
                    lp.config.confidence,
                    lp.config.adjustment,
                    lp.config.suppress_below,
                    w.label(),
                    wave.label(),
                ),
            )
    });
    let mut report = StageKey::new()
        .upstream("clean", &clean)
        .upstream("score", &score)
        .upstream("themes", &themes);
    if let (Some(c), Some((_, k))) = (&compare, previous) {
        report = report
            .upstream("compare", c)
            .upstream("previous wave's clean", &k.clean);
    }
    let report = report_key(lp, wave, directory, earlier, templates_sha, report)?;
    Ok(WaveKeys {
        clean,
        export_stat,
        score,
        themes,
        compare,
        report,
    })
}

/// The clean stage's key, and the export's size and time when it was hashed for it. The
/// respondent ids (in exclusions, comments and the panel) depend on the secret and, when they
/// are per wave, on the wave's name: another secret re-runs every stage.
fn clean_key(
    lp: &LoadedPipeline,
    wave: &Wave,
    secret_fingerprint: &str,
    hashes: &mut cache::FileHashes,
) -> Result<(StageKey, cache::FileStat)> {
    let (export_sha, stat) = hashes.sha256_at(&wave.export, &lp.export_path(wave))?;
    let mut clean = StageKey::new().file("export", &export_sha);
    if let Some(d) = lp.dictionary_path(wave) {
        let sha = hashes.sha256(wave.dictionary.as_deref().unwrap_or_default(), &d)?;
        clean = clean.file("dictionary", &sha);
    }
    let clean = clean
        .config("survey settings", &survey_parts::for_clean(&lp.survey))
        .config("sheet", &wave.sheet)
        .config("respondent-id secret", &(secret_fingerprint, &wave.name));
    Ok((clean, stat))
}

fn themes_key(
    lp: &LoadedPipeline,
    clean: &StageKey,
    hashes: &mut cache::FileHashes,
) -> Result<StageKey> {
    let mut themes = StageKey::new().upstream("clean", clean);
    // The reviewer's corrections and the hand-coded sample learned from.
    if let Some(r) = lp.review_path() {
        let name = lp.config.themes.review.clone().unwrap_or_default();
        themes = themes.file("review", &hashes.sha256(&name, &r)?);
    }
    if let Some((q, path)) = lp
        .survey
        .text
        .first()
        .and_then(|q| coded_path(lp, q).map(|p| (q, p)))
    {
        let name = q.coded.clone().unwrap_or_default();
        themes = themes.file("coded sample", &hashes.sha256(&name, &path)?);
    }
    Ok(themes
        .config(
            "survey's text and codebook",
            &survey_parts::for_themes(&lp.survey),
        )
        .config(
            "pipeline settings",
            &(
                lp.config.themes.k,
                lp.config.themes.quotes,
                lp.config.seed,
                lp.config.suppress_below,
            ),
        ))
}

/// Completes the report's key (`report` holds this wave's own stages) with the earlier waves
/// the trend reads and everything the manifest records.
fn report_key(
    lp: &LoadedPipeline,
    wave: &Wave,
    directory: &Path,
    earlier: &[(&Wave, &WaveKeys)],
    templates_sha: &str,
    mut report: StageKey,
) -> Result<StageKey> {
    // From the third wave on the report has a trend over every earlier wave.
    let trend = earlier.len() + 1 >= score::trend::MIN_WAVES;
    // The trend reads every earlier wave's score, and the manifest lists every earlier export.
    let upstream: &[(&Wave, &WaveKeys)] = if trend {
        earlier
    } else {
        &earlier[earlier.len().saturating_sub(1)..]
    };
    if trend {
        for (w, k) in upstream {
            report = report
                .upstream(&format!("{}'s score", w.name), &k.score)
                .upstream(&format!("{}'s clean", w.name), &k.clean);
        }
    }
    // Everything the manifest records but the outputs and the accounting (the clean key's).
    let pipeline = hash_file(&lp.path, directory)?;
    let survey = hash_file(&lp.survey_path, directory)?;
    let review = lp
        .review_path()
        .map(|p| hash_file(&p, directory))
        .transpose()?;
    let coded = lp
        .survey
        .text
        .first()
        .and_then(|q| coded_path(lp, q))
        .map(|p| hash_file(&p, directory))
        .transpose()?;
    let inputs: Vec<(String, String)> = upstream
        .iter()
        .map(|(w, _)| *w)
        .chain([wave])
        .map(|w| {
            (
                relative(&lp.export_path(w), directory),
                lp.dictionary_path(w)
                    .map(|d| relative(&d, directory))
                    .unwrap_or_default(),
            )
        })
        .collect();
    Ok(report.file("templates", templates_sha).config(
        "pipeline, survey file or settings",
        &(
            &wave.name,
            wave.label(),
            pipeline,
            survey,
            review,
            coded,
            inputs,
            Settings::of(lp),
        ),
    ))
}

/// What a stage did, for standard error (its time only there: never in an output).
fn stage_line(wave: &str, stage: Stage, action: &Action, started: Instant) -> String {
    match action {
        Action::Reuse => format!("{wave} {}: unchanged, reused", stage.name()),
        Action::Run(why) => format!(
            "{wave} {}: {:.2} s ({why})",
            stage.name(),
            started.elapsed().as_secs_f64()
        ),
        Action::Leave(why) => format!("{wave} {}: stale ({why}), not run", stage.name()),
    }
}

fn run_wave(
    c: &Ctx,
    keys: &WaveKeys,
    earlier: &[&WaveResult],
    feeder: bool,
    plan: &mut Vec<Planned>,
) -> Result<Option<WaveResult>> {
    let (actions, cached) = decide_stages(c, keys, feeder)?;
    for (stage, action) in &actions {
        plan.push(Planned {
            wave: c.wave.name.clone(),
            stage: *stage,
            action: action.clone(),
        });
    }
    if c.options.dry_run {
        return Ok(None);
    }
    let w = WaveRun { c, keys, actions };
    let (clean_wave, fresh) = w.clean(cached.clean)?;
    let scored = w.score(fresh.score, cached.score)?;
    let themed = match w.themes(fresh.comments, cached.themes) {
        Ok(t) => t,
        Err(e) => {
            // Score is cached whatever becomes of themes.
            let _ = w.store_score(&scored);
            return Err(e);
        }
    };
    // The artefacts are stored beside compare and the report, whatever becomes of them:
    // serialising and checking them takes a national survey seconds, and the report's
    // workbook leaves a core free for it.
    let (stored, reported) = rayon::join(
        || w.store_score(&scored).and(w.store_themes(&themed)),
        || -> Result<(Option<WaveComparison>, InputRecord)> {
            let compared = w.compare(earlier.last().copied(), &scored, cached.compare)?;
            let source = &clean_wave.table.source;
            let this = input_record(
                c.lp,
                c.directory,
                c.wave,
                &source.sha256,
                source.format.name(),
                &source.encoding,
            )?;
            w.report(&Reported {
                clean: &clean_wave,
                respondents: fresh.respondents.as_ref(),
                scored: &scored,
                themed: &themed,
                compared: &compared,
                earlier,
                this: &this,
            })?;
            Ok((compared, this))
        },
    );
    let (compared, this) = reported?;
    stored?;
    Ok(scored.map(|(score, agreement)| WaveResult {
        name: c.wave.name.clone(),
        label: c.wave.label().to_string(),
        directory: c.directory.to_path_buf(),
        accounting: clean_wave.table.accounting.clone(),
        score,
        themes: themed.flatten().map(|t| t.report),
        comparison: compared,
        export: this,
        agreement,
    }))
}

/// The artefacts of the stages a wave reuses, loaded while deciding.
#[derive(Default)]
struct Cached {
    clean: Option<CleanWave>,
    score: Option<(ScoreReport, score::panel::Agreement)>,
    themes: Option<Option<WaveThemes>>,
    compare: Option<WaveComparison>,
}

/// What the pass over the export computed, for the stages that run.
#[derive(Default)]
struct Fresh {
    score: Option<(ScoreReport, score::panel::Agreement)>,
    comments: Option<(crate::config::Survey, Option<WaveComments>)>,
    /// Each kept respondent's codes and scores, when the Parquet tables are written.
    respondents: Option<Respondents>,
}

/// Decides every stage first; a reused stage's artefact is loaded now, and one that cannot be
/// read runs instead.
fn decide_stages(c: &Ctx, keys: &WaveKeys, feeder: bool) -> Result<(Vec<(Stage, Action)>, Cached)> {
    let stages: &[Stage] = if feeder {
        &[Stage::Clean, Stage::Score]
    } else {
        &Stage::ALL
    };
    let mut actions: Vec<(Stage, Action)> = Vec::new();
    let mut cached = Cached::default();
    for &stage in stages {
        let Some(key) = keys.get(stage) else { continue };
        let stored = if c.options.no_cache {
            cache::Stored::Missing
        } else {
            cache::stored(c.directory, stage.name())
        };
        let mut action = if feeder {
            match stored.reason(key) {
                None => Action::Reuse,
                Some(why) => return Err(not_cached_for_wave(c, stage, &why)),
            }
        } else {
            plan::decide(&c.wave.name, stage, key, &stored, c.options)?
        };
        if action == Action::Reuse {
            if let Err(why) = load_reused(c, stage, key, &mut cached) {
                let why = format!("cache unreadable: {why}");
                if feeder {
                    return Err(not_cached_for_wave(c, stage, &why));
                }
                action = Action::Run(why);
            }
        }
        actions.push((stage, action));
    }
    Ok((actions, cached))
}

/// Loads a reused stage's artefact into `cached` (the report's: checks its files).
fn load_reused(c: &Ctx, stage: Stage, key: &StageKey, cached: &mut Cached) -> Result<()> {
    let dir = c.directory;
    match stage {
        Stage::Clean => cache::load(dir, "clean", "wave", key)
            .map(|w| cached.clean = Some(current_survey(w, &c.lp.survey))),
        Stage::Score => cache::load(dir, "score", "report", key).and_then(|s| {
            cache::load(dir, "score", "agreement", key).map(|a| cached.score = Some((s, a)))
        }),
        Stage::Themes => cache::load(dir, "themes", "themes", key).map(|t| cached.themes = Some(t)),
        Stage::Compare => {
            cache::load(dir, "compare", "comparison", key).map(|t| cached.compare = Some(t))
        }
        Stage::Report => outputs_intact(dir).map_err(|e| Error::input(dir, e)),
    }
}

/// A wave whose stages are decided, running them in order.
struct WaveRun<'a> {
    c: &'a Ctx<'a>,
    keys: &'a WaveKeys,
    actions: Vec<(Stage, Action)>,
}

/// What the report stage needs of the stages before it.
struct Reported<'a> {
    clean: &'a CleanWave,
    respondents: Option<&'a Respondents>,
    scored: &'a Option<(ScoreReport, score::panel::Agreement)>,
    themed: &'a Option<Option<WaveThemes>>,
    compared: &'a Option<WaveComparison>,
    earlier: &'a [&'a WaveResult],
    this: &'a InputRecord,
}

impl WaveRun<'_> {
    fn action(&self, s: Stage) -> Option<Action> {
        self.actions
            .iter()
            .find(|(x, _)| *x == s)
            .map(|(_, a)| a.clone())
    }

    fn runs(&self, s: Stage) -> bool {
        self.action(s).is_some_and(|a| a.runs())
    }

    fn store(&self, stage: Stage, artefacts: Vec<Option<cache::Artefact>>) -> Result<()> {
        match (self.c.options.no_cache, self.keys.get(stage)) {
            (false, Some(key)) => cache::store(self.c.directory, stage.name(), key, artefacts),
            _ => Ok(()),
        }
    }

    /// Stores the score artefacts when the stage ran (in the pass).
    fn store_score(&self, scored: &Option<(ScoreReport, score::panel::Agreement)>) -> Result<()> {
        match (self.runs(Stage::Score), scored) {
            (true, Some((s, a))) => self.store(
                Stage::Score,
                vec![
                    cache::Artefact::new("report", s),
                    cache::Artefact::exact("agreement", a),
                ],
            ),
            _ => Ok(()),
        }
    }

    /// Stores the themes artefact when the stage ran.
    fn store_themes(&self, themed: &Option<Option<WaveThemes>>) -> Result<()> {
        match (self.runs(Stage::Themes), themed) {
            (true, Some(t)) => self.store(Stage::Themes, vec![cache::Artefact::new("themes", t)]),
            _ => Ok(()),
        }
    }

    /// Says on the progress line what was done with `stage`.
    fn say(&self, stage: Stage, action: &Action, started: Instant) {
        let line = stage_line(&self.c.wave.name, stage, action, started);
        self.c.progress.line(&line);
    }

    /// Ingest + clean: the export is read once, when a stage needs its responses; score and
    /// themes take what they need of each response as it goes by.
    fn clean(&self, cached: Option<CleanWave>) -> Result<(CleanWave, Fresh)> {
        let (lp, wave, progress) = (self.c.lp, self.c.wave, self.c.progress);
        let name = wave.name.as_str();
        let export = lp.export_path(wave);
        let mut fresh = Fresh::default();
        let mut clean_cached = cached;
        let clean_action = self.action(Stage::Clean).unwrap_or(Action::Reuse);
        // The Parquet tables hold a row per respondent: a report that writes them needs the
        // export read, for each respondent's codes.
        let parquet = lp.config.output.parquet && self.runs(Stage::Report);
        if self.runs(Stage::Clean) || self.runs(Stage::Score) || self.runs(Stage::Themes) || parquet
        {
            let started = Instant::now();
            let counter = Arc::new(AtomicU64::new(0));
            // The export was hashed for the stage's key a moment ago (or its size and time
            // matched the last hash): the reader need not hash it again.
            let export_sha256 = self.keys.clean.file_sha256("export").map(str::to_string);
            let read = ReadOptions {
                bytes_read: Some(counter.clone()),
                without_checksum: export_sha256.is_some(),
                ..ReadOptions::new(wave.sheet.clone(), lp.dictionary_path(wave))
            };
            let rules = clean::RulesAt::Survey(&lp.survey_path);
            let Some(secret) = self.c.secret else {
                return Err(internal(
                    self.c.directory,
                    "the export is read without a secret",
                ));
            };
            // Ids are the same in every wave only for a declared key a person keeps (the plan
            // of the export's rows decides): otherwise they are this wave's alone.
            let ids = Pseudonyms::new(secret.bytes(), name, true);
            let size = std::fs::metadata(&export).map(|m| m.len()).ok();
            progress.begin(&format!("{name} clean: reading"), size, Unit::Bytes);
            let read_once = with_bytes_shown(progress, &counter, || {
                pass::read_wave(
                    &export,
                    &read,
                    &lp.survey,
                    &ids,
                    rules,
                    |s| score_options(lp, s),
                    parquet,
                )
            });
            progress.end();
            let mut read_once = read_once?;
            // The manifest records the key's hash for the bytes read: so they must be the
            // bytes hashed.
            if cache::FileStat::of(&export)? != self.keys.export_stat {
                return Err(
                    Error::input(&export, "changed while canvass was reading it")
                        .hint("run again once the survey tool has finished writing the export"),
                );
            }
            if let Some(sha256) = &export_sha256 {
                read_once.clean.table.source.sha256.clone_from(sha256);
            }
            let pass::WavePass {
                clean: cleaned,
                score,
                agreement,
                comments,
                respondents,
            } = read_once;
            fresh.respondents = respondents;
            let summary = without_names(&cleaned);
            if clean_action.runs() {
                self.store(Stage::Clean, vec![cache::Artefact::new("wave", &summary)])?;
                self.say(Stage::Clean, &clean_action, started);
            } else {
                progress.line(&format!(
                    "{name} clean: unchanged, export re-read for the stages that run ({:.2} s)",
                    started.elapsed().as_secs_f64()
                ));
            }
            clean_cached = Some(summary);
            fresh.score = Some((score, agreement));
            fresh.comments = Some((cleaned.survey, comments));
        } else {
            self.say(Stage::Clean, &clean_action, Instant::now());
        }
        let Some(clean_wave) = clean_cached else {
            return Err(internal(
                self.c.directory,
                "the clean stage has no artefact",
            ));
        };
        Ok((clean_wave, fresh))
    }

    /// Score, with respondent-level agreement as its side artefact: computed in the pass.
    fn score(
        &self,
        fresh: Option<(ScoreReport, score::panel::Agreement)>,
        cached: Option<(ScoreReport, score::panel::Agreement)>,
    ) -> Result<Option<(ScoreReport, score::panel::Agreement)>> {
        Ok(match (self.action(Stage::Score), fresh) {
            (Some(Action::Run(why)), Some((s, a))) => {
                // Computed in the pass; stored beside the report (`store_score`).
                self.c.progress.line(&format!(
                    "{} score: scored as the export was read ({why})",
                    self.c.wave.name
                ));
                Some((s, a))
            }
            (Some(a), _) => {
                self.say(Stage::Score, &a, Instant::now());
                cached
            }
            (None, _) => None,
        })
    }

    fn themes(
        &self,
        fresh: Option<(crate::config::Survey, Option<WaveComments>)>,
        cached: Option<Option<WaveThemes>>,
    ) -> Result<Option<Option<WaveThemes>>> {
        Ok(match (self.action(Stage::Themes), &fresh) {
            (Some(a @ Action::Run(_)), Some((survey, gathered))) => {
                let started = Instant::now();
                let t = self.find_themes(survey, gathered.as_ref())?;
                self.say(Stage::Themes, &a, started);
                Some(t)
            }
            (Some(a), _) => {
                self.say(Stage::Themes, &a, Instant::now());
                cached
            }
            (None, _) => None,
        })
    }

    fn find_themes(
        &self,
        survey: &crate::config::Survey,
        gathered: Option<&WaveComments>,
    ) -> Result<Option<WaveThemes>> {
        let (lp, progress) = (self.c.lp, self.c.progress);
        let question = survey.text.first();
        let settings = themes::WaveSettings {
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
        progress.begin(&format!("{} themes", self.c.wave.name), None, Unit::Items);
        let none = WaveComments::default();
        let gathered = gathered.unwrap_or(&none);
        let export = lp.export_path(self.c.wave);
        let t = themes::for_wave(gathered, survey, &settings, coded, self.c.review, &export);
        progress.end();
        t
    }

    /// The change since the previous wave.
    fn compare(
        &self,
        previous: Option<&WaveResult>,
        scored: &Option<(ScoreReport, score::panel::Agreement)>,
        cached: Option<WaveComparison>,
    ) -> Result<Option<WaveComparison>> {
        let lp = self.c.lp;
        Ok(match self.action(Stage::Compare) {
            Some(a @ Action::Run(_)) => {
                let started = Instant::now();
                let (Some(p), Some((s, agreement))) = (previous, scored) else {
                    return Err(internal(
                        self.c.directory,
                        "compare runs without the scores it compares",
                    ));
                };
                warn_unpaired(lp, &p.name, self.c.wave, agreement);
                let panel = score::panel::compare_panel(
                    &p.agreement,
                    agreement,
                    lp.config.suppress_below,
                    lp.config.confidence,
                    lp.config.adjustment,
                );
                let comparison = compare(
                    &p.score,
                    s,
                    (&p.label, self.c.wave.label()),
                    lp.config.confidence,
                    lp.config.adjustment,
                    panel,
                );
                self.store(
                    Stage::Compare,
                    vec![cache::Artefact::new("comparison", &comparison)],
                )?;
                self.say(Stage::Compare, &a, started);
                Some(comparison)
            }
            Some(a) => {
                self.say(Stage::Compare, &a, Instant::now());
                cached
            }
            None => None,
        })
    }

    /// The report: summaries, tables, artefact files and the manifest.
    fn report(&self, r: &Reported) -> Result<()> {
        let (c, dir) = (self.c, self.c.directory);
        match self.action(Stage::Report) {
            Some(a @ Action::Run(_)) => {
                let started = Instant::now();
                let Some((s, _)) = r.scored else {
                    return Err(internal(dir, "the report runs without scores"));
                };
                let (Some(t), true) = (
                    r.themed,
                    self.keys.compare.is_none() || r.compared.is_some(),
                ) else {
                    return Err(internal(
                        dir,
                        "the report runs without themes or comparison",
                    ));
                };
                if r.earlier.len() != c.index {
                    return Err(internal(
                        dir,
                        "the report runs without every earlier wave's scores",
                    ));
                }
                let stage = ReportStage {
                    secret_fingerprint: c.secret.map(secret::Secret::fingerprint),
                    lp: c.lp,
                    wave: c.wave,
                    directory: dir,
                    templates: c.templates,
                    clean: r.clean,
                    respondents: r.respondents,
                    score: s,
                    themes: t.as_ref(),
                    comparison: r.compared.as_ref(),
                    earlier: r.earlier,
                    this: r.this,
                };
                c.progress
                    .begin(&format!("{} report", c.wave.name), None, Unit::Items);
                let written = write_report(&stage);
                c.progress.end();
                written?;
                self.store(Stage::Report, vec![])?;
                self.say(Stage::Report, &a, started);
            }
            Some(a) => self.say(Stage::Report, &a, Instant::now()),
            None => {}
        }
        Ok(())
    }
}

/// Runs `f` while a helper thread passes the bytes the reader thread counts on to `progress`
/// (the reader is the library's own thread; the display is the command's).
fn with_bytes_shown<T>(progress: &dyn Progress, counter: &AtomicU64, f: impl FnOnce() -> T) -> T {
    let (done, stop) = std::sync::mpsc::channel::<()>();
    std::thread::scope(|s| {
        s.spawn(move || {
            let mut shown = 0;
            loop {
                let finished = !matches!(
                    stop.recv_timeout(std::time::Duration::from_millis(100)),
                    Err(std::sync::mpsc::RecvTimeoutError::Timeout)
                );
                let now = counter.load(Ordering::Relaxed);
                progress.advance(now.saturating_sub(shown));
                shown = now;
                if finished {
                    break;
                }
            }
        });
        let out = f();
        drop(done);
        out
    })
}

/// A survey that declares a key which turns out to be the tool's per-export response id is told
/// why its waves are not paired (without a declared key, the `init` draft has said so).
fn warn_unpaired(
    lp: &LoadedPipeline,
    previous: &str,
    wave: &Wave,
    agreement: &score::panel::Agreement,
) {
    if let (Some(key), None) = (&lp.survey.respondent.key, &agreement.panel_key) {
        eprintln!(
            "warning: {} is not paired with {previous}: the survey's respondent key `{key}` is the \
             survey tool's own response id, numbered afresh in every export, so the same id in two \
             waves is not the same person; name a column each person keeps (e-mail, staff id, \
             panel id) as `[respondent] key` to pair waves",
            wave.name
        );
    }
}

/// A feeder wave of `--wave` must come from the cache.
fn not_cached_for_wave(c: &Ctx, stage: Stage, why: &str) -> Error {
    Error::argument(
        "--wave",
        format!(
            "{} {} has no cached artefact for the current inputs ({why}); the comparison and \
             trend of {} need it",
            c.wave.name,
            stage.name(),
            c.target.map_or("a later wave", |w| w.name.as_str())
        ),
    )
    .hint(format!(
        "run `canvass run {} --wave {}` first, or leave --wave out to run every wave",
        c.lp.path.display(),
        c.wave.name
    ))
}

fn internal(dir: &Path, what: &str) -> Error {
    Error::input(dir, format!("canvass could not order its stages: {what}"))
        .hint("delete the folder's .canvass cache and run again; please report this")
}

/// The clean artefact as cached: the report needs its accounting, exclusions and source, never
/// the responses.
fn without_names(w: &CleanWave) -> CleanWave {
    let mut w = w.clone();
    // Names to redact are names: they stay in the survey file (`current_survey` puts them back).
    w.survey.privacy.redact.clear();
    w
}

/// The cached clean artefact's survey with the sections the clean key leaves out (they do not
/// change what clean computes) taken from the survey as it is now.
fn current_survey(mut w: CleanWave, survey: &crate::config::Survey) -> CleanWave {
    w.survey.title = survey.title.clone();
    w.survey.language = survey.language.clone();
    w.survey.text = survey.text.clone();
    w.survey.codebook = survey.codebook.clone();
    w.survey.privacy.redact = survey.privacy.redact.clone();
    w
}

/// A reused report stage's files are still the ones its manifest records.
fn outputs_intact(dir: &Path) -> std::result::Result<(), String> {
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

/// What the report stage reads.
struct ReportStage<'a> {
    /// Recorded in the manifest (never the secret).
    secret_fingerprint: Option<String>,
    lp: &'a LoadedPipeline,
    wave: &'a Wave,
    directory: &'a Path,
    templates: &'a Templates,
    clean: &'a CleanWave,
    /// Each kept respondent's codes and scores, when the Parquet tables are written.
    respondents: Option<&'a Respondents>,
    score: &'a ScoreReport,
    themes: Option<&'a WaveThemes>,
    comparison: Option<&'a WaveComparison>,
    /// Every earlier wave's result, in order.
    earlier: &'a [&'a WaveResult],
    this: &'a InputRecord,
}

fn write_report(c: &ReportStage) -> Result<()> {
    let (lp, wave, directory) = (c.lp, c.wave, c.directory);
    let survey = &c.clean.survey;
    let trend = wave_trend(lp, survey, c.earlier, wave, c.score);
    let inputs = report_inputs(c, trend.is_some())?;
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
        clean: &c.clean.table,
        score: c.score,
        themes: c.themes.map(|t| (t.question.as_str(), &t.report)),
        open: open_questions(survey, c.themes),
        comparison: c.comparison,
        trend: trend.as_ref(),
        provenance: &provenance(&survey_hash, &inputs, lp.config.seed),
        options: lp.config.report,
    };
    let mut staging = publish::Staging::new(directory)?;
    // The workbook, the longest file to make, is built beside the others.
    let tables = report::wave_tables(&input);
    let (book, written) = rayon::join(
        || report::workbook(&input, &tables, directory),
        || -> Result<()> {
            report::render(&input, &tables, c.templates, directory, &mut staging)?;
            staging.put_json("score.json", c.score)?;
            if let Some(t) = c.themes {
                staging.put_json("themes.json", &t.report)?;
            }
            if let Some(cmp) = c.comparison {
                staging.put_json("comparison.json", cmp)?;
            }
            if let Some(t) = &trend {
                staging.put_json("trends.json", t)?;
            }
            if lp.config.output.parquet {
                stage_parquet(c, &mut staging)?;
            }
            Ok(())
        },
    );
    written?;
    staging.put("tables.xlsx", &book?)?;
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
        accounting: c.clean.table.accounting.clone(),
        outputs: staging
            .hashes()
            .map(|(name, sha256)| FileHash {
                path: name.to_string(),
                sha256: sha256.to_string(),
            })
            .collect(),
        secret_fingerprint: c.secret_fingerprint.clone().unwrap_or_default(),
    };
    staging.put_json("manifest.json", &manifest)?;
    staging.commit()
}

/// Every open question themed, as the report names them: the first with the survey's id and
/// column for it, then the further ones.
fn open_questions<'a>(
    survey: &'a crate::config::Survey,
    themes: Option<&'a WaveThemes>,
) -> Vec<report::OpenQuestion<'a>> {
    let (Some(t), Some(q)) = (themes, survey.text.first()) else {
        return Vec::new();
    };
    let first = report::OpenQuestion {
        id: &q.id,
        column: q.column(),
        text: &t.question,
        report: &t.report,
    };
    let further = t.further.iter().map(|f| report::OpenQuestion {
        id: &f.id,
        column: &f.column,
        text: &f.question,
        report: &f.report,
    });
    std::iter::once(first).chain(further).collect()
}

/// The exports the report depends on: the comparison makes the previous wave's export an input
/// of this wave's report too, and the trend every earlier wave's; this wave's comes last.
fn report_inputs(c: &ReportStage, trend: bool) -> Result<Vec<InputRecord>> {
    let upstream = if trend {
        c.earlier
    } else {
        &c.earlier[c.earlier.len().saturating_sub(1)..]
    };
    let mut inputs: Vec<InputRecord> = upstream
        .iter()
        .filter(|_| c.comparison.is_some() || trend)
        .filter_map(|p| {
            let w = c.lp.config.waves.iter().find(|w| w.name == p.export.wave)?;
            Some(input_record(
                c.lp,
                c.directory,
                w,
                &p.export.sha256,
                &p.export.format,
                &p.export.encoding,
            ))
        })
        .collect::<Result<_>>()?;
    inputs.push(c.this.clone());
    Ok(inputs)
}

/// Stages the Parquet tables, which need every respondent's row.
fn stage_parquet(c: &ReportStage, staging: &mut publish::Staging) -> Result<()> {
    let directory = c.directory;
    let Some(respondents) = c.respondents else {
        return Err(internal(
            directory,
            "the Parquet tables are written without the respondents' codes",
        ));
    };
    let open = open_questions(&c.clean.survey, c.themes);
    let input = report::parquet::ParquetInput {
        survey: &c.clean.survey,
        wave_name: &c.wave.name,
        score: c.score,
        themes: c.themes.map(|t| &t.report),
        open: &open,
        respondents,
    };
    let tables = report::parquet::files(&input).map_err(|e| Error::Io {
        path: directory.join("../parquet"),
        source: std::io::Error::other(e),
    })?;
    // Below the output folder, beside the waves' folders; the manifest lists them
    // relative to this wave's folder, as every path in it.
    for (path, bytes) in tables {
        staging.put(&format!("../{path}"), &bytes)?;
    }
    Ok(())
}

/// An export as the manifest records it, paths relative to the wave's folder `dir`.
fn input_record(
    lp: &LoadedPipeline,
    dir: &Path,
    w: &Wave,
    sha256: &str,
    format: &str,
    encoding: &str,
) -> Result<InputRecord> {
    Ok(InputRecord {
        wave: w.name.clone(),
        path: relative(&lp.export_path(w), dir),
        sha256: sha256.to_string(),
        format: format.to_string(),
        encoding: encoding.to_string(),
        dictionary: lp
            .dictionary_path(w)
            .map(|d| hash_file(&d, dir))
            .transpose()?,
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
        adjustment: lp.config.adjustment,
    }
}

/// The trend over the earlier waves and this one (from the third wave on): the survey's
/// headline items and every scale.
fn wave_trend(
    lp: &LoadedPipeline,
    survey: &crate::config::Survey,
    earlier: &[&WaveResult],
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
        .map(|p| crate::agree::read::read_sample(&p, "id").map(named))
        .transpose()
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
    /// Each check as a sentence ("export ../x.csv has the recorded SHA-256", "re-run reproduces
    /// items.csv byte for byte") with whether it held, in the order made.
    pub checks: Vec<(String, bool)>,
}

impl Verification {
    /// Whether every check held (`verify` exits 1 otherwise).
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
    confine::manifest(manifest_path, &manifest)?;
    let dir = manifest_path.parent().unwrap_or(Path::new("."));
    publish::not_mid_publish(dir)?;
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
    let pipeline_path = dir.join(&manifest.pipeline.path);
    if !manifest.secret_fingerprint.is_empty() {
        let (check, ok) = secret::check(&pipeline_path, &manifest.secret_fingerprint)?;
        checks.push((check, ok));
        if !ok {
            return Ok(Verification { checks });
        }
    }
    // A folder of its own, removed when dropped: nothing the manifest names is deleted.
    let scratch = tempfile::Builder::new()
        .prefix("canvass-verify-")
        .tempdir()
        .map_err(|e| Error::io(&std::env::temp_dir(), e))?;
    // Into a scratch folder, without the cache: every stage is computed afresh.
    let options = RunOptions {
        keep_tests: manifest.settings.keep_test_responses,
        parquet: manifest.settings.parquet,
        no_cache: true,
        existing_secret_only: true,
        ..RunOptions::default()
    };
    let results = run(
        &pipeline_path,
        Some(scratch.path()),
        &options,
        &crate::progress::Silent,
    );
    let outcome = results.map(|_| ());
    for out in &manifest.outputs {
        let ok = outcome.is_ok()
            && read_file(&scratch.path().join(&manifest.wave).join(&out.path))
                .map(|b| hex(&Sha256::digest(b)) == out.sha256)
                .unwrap_or(false);
        checks.push((format!("re-run reproduces {} byte for byte", out.path), ok));
    }
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
