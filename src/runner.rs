//! The runner: executes a pipeline wave by wave (ingest → clean → score → themes → compare →
//! report), reusing every stage whose inputs did not change since the last run (`cache`,
//! decided by `plan`), writes each wave's files atomically, and records a manifest from which
//! `verify` can re-run the wave and check every output byte for byte.

mod cache;
mod confine;
mod inputs;
mod keys;
mod layouts;
mod lock;
mod manifest;
mod notes;
mod pass;
mod plan;
mod publish;
mod report_stage;
pub mod secret;
mod survey_parts;

pub use cache::DIR as CACHE_DIR;
use keys::*;
pub use manifest::verify::{verify, Verification};
pub use manifest::{relative, FileHash, InputRecord, Manifest, Settings};
use notes::*;
pub use plan::{Action, RunOptions, Stage};
use report_stage::*;

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
use crate::themes::{self, Assignments, ThemeReport, WaveComments, WaveThemes};
use cache::StageKey;
use serde::{Deserialize, Serialize};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

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
    let templates = inputs::load_templates(&lp)?;
    let templates_sha = inputs::templates_sha(&templates);
    let review = lp
        .review_path()
        .map(|p| themes::review::load(&p))
        .transpose()?;
    if let Some(r) = &review {
        warn_unknown_review_waves(&lp, r, progress);
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
        let making = inputs::Making {
            lp: &lp,
            wave,
            directory: &directory,
            templates_sha: &templates_sha,
            secret_fingerprint: &fingerprint,
        };
        let keys = wave_keys(&making, &earlier_keys, &mut hashes)?;
        // Earlier waves' renames and merges carry to this one (themes::review::ReviewFile::for_wave).
        let wave_names: Vec<&str> = lp.config.waves.iter().map(|w| w.name.as_str()).collect();
        let wave_review = review
            .as_ref()
            .and_then(|r| r.for_wave(&wave_names, &wave.name));
        let ctx = Ctx {
            lp: &lp,
            wave,
            index: i,
            target: target.and_then(|t| lp.config.waves.get(t)),
            directory: &directory,
            templates: &templates,
            review: wave_review.as_ref(),
            options,
            progress,
            secret: secret.as_ref(),
        };
        let earlier: Vec<&WaveResult> = done.iter().filter_map(|d| d.result.as_ref()).collect();
        let result = run_wave(&ctx, &keys, &earlier, feeder, &mut outcome.plan)
            .map_err(|e| layouts::explain(e, &lp, i))?;
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
        return secret::find_for_plan(lp);
    }
    secret::find_or_create(lp).map(Some)
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

impl Ctx<'_> {
    /// A later wave of this run pairs this wave's respondents (the next wave's comparison, the
    /// change since the first wave), or this wave's own comparison with the previous wave or
    /// report does (`earlier` waves before it).
    fn pairs_later(&self, earlier: usize) -> bool {
        let last = match self.target {
            Some(t) => t.name == self.wave.name,
            None => self.index + 1 == self.lp.config.waves.len(),
        };
        !last || earlier > 0
    }
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
    let Decided { actions, cached } = decide_stages(c, keys, feeder)?;
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
    let mut scored = w.score(fresh.score, cached.score)?;
    // When nothing in this run pairs its respondents (the last wave run, with none before
    // it), the score artefacts are stored now and the per-respondent panel rows let go before
    // themes runs: a national survey's are a quarter of a gigabyte that the cache keeps for a
    // later run's next wave.
    let stored_early = !c.pairs_later(earlier.len());
    if stored_early {
        w.store_score(&scored)?;
        if let Some(s) = scored.as_mut() {
            s.agreement.by_respondent.clear();
            s.agreement.scale_scores.clear();
        }
    }
    let store_score = || match stored_early {
        true => Ok(()),
        false => w.store_score(&scored),
    };
    let themed = match w.themes(fresh.comments, cached.themes) {
        Ok(t) => t,
        Err(e) => {
            // Score is cached whatever becomes of themes.
            let _ = store_score();
            return Err(e);
        }
    };
    // The themes are stored before the report, which then reads each question's comments
    // back from their file instead of holding them (`Themed::set_aside`).
    if let Err(e) = w.store_themes(&themed) {
        let _ = store_score();
        return Err(e);
    }
    let mut themed = themed;
    if let Some(key) = w.keys.get(Stage::Themes).filter(|_| !c.options.no_cache) {
        themed.set_aside(c.directory, key);
    }
    // The score artefacts are stored beside compare and the report, whatever becomes of
    // them: the report's workbook leaves a core free for it.
    let (stored, reported) = rayon::join(
        store_score,
        || -> Result<(Option<WaveComparison>, InputRecord)> {
            let compared = w.compare(earlier.last().copied(), &scored, cached.compare)?;
            let this = own_input(keys, &clean_wave, c.directory)?;
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
    Ok(scored.map(|Scored { report, agreement }| WaveResult {
        name: c.wave.name.clone(),
        label: c.wave.label().to_string(),
        directory: c.directory.to_path_buf(),
        accounting: clean_wave.table.accounting.clone(),
        score: report,
        themes: themed.into_themes().map(|t| t.report),
        comparison: compared,
        export: this,
        agreement,
    }))
}

/// This wave's export as the manifest records it, with how it was read.
fn own_input(keys: &WaveKeys, clean: &CleanWave, directory: &Path) -> Result<InputRecord> {
    let source = &clean.table.source;
    let read_as = manifest::ReadAs {
        wave: &keys.inputs.clean.secret.1,
        format: source.format.name(),
        encoding: &source.encoding,
        missing: source.missing.as_deref(),
    };
    match keys.inputs.report.recorded.exports.last() {
        Some(own) => Ok(manifest::input_record(own, &read_as)),
        None => Err(internal(directory, "the report's inputs list no export")),
    }
}

/// A wave's scores and, beside them, each respondent's agreement (for the panel).
struct Scored {
    report: ScoreReport,
    agreement: score::panel::Agreement,
}

/// What became of a wave's themes stage.
enum Themed {
    /// Not part of this run (a wave read only for a later wave's comparison and trend).
    NotRun,
    /// The survey has no open question.
    NoOpenQuestion,
    /// The themes of its open questions, and the SHA-256 of each question's assignments
    /// already in their cache file (`WaveRun::set_aside_now`).
    Themes(Box<WaveThemes>, Vec<Option<String>>),
}

impl Themed {
    /// The themes stage's artefact as cached: `null` when there is no open question.
    fn from_artefact(stored: Option<WaveThemes>) -> Themed {
        Themed::written(stored, Vec::new())
    }

    /// As `from_artefact`, with the SHA-256 of the assignments written already.
    fn written(stored: Option<WaveThemes>, written: Vec<Option<String>>) -> Themed {
        stored.map_or(Themed::NoOpenQuestion, |t| {
            Themed::Themes(Box::new(t), written)
        })
    }

    /// The themes without their assignments, then each question's assignments as its own
    /// artefact written row by row (`assignments-0` the first question's): a national survey's
    /// comments were a third of a gigabyte of JSON held whole and a second copy read back.
    fn artefacts(&self) -> Option<Vec<Option<cache::Artefact<'_>>>> {
        match self {
            Themed::NotRun => None,
            Themed::NoOpenQuestion => {
                Some(vec![cache::Artefact::new("themes", &None::<WaveThemes>)])
            }
            Themed::Themes(t, written) => {
                let summary = cache::Artefact::new("themes", &Some(t.without_assignments()));
                let rows = (t.reports().enumerate()).map(|(i, r)| {
                    Some(match written.get(i).cloned().flatten() {
                        Some(sha) => cache::Artefact::written(&assignments_name(i), sha),
                        None => cache::Artefact::rows(&assignments_name(i), &r.assignments),
                    })
                });
                Some(std::iter::once(summary).chain(rows).collect())
            }
        }
    }

    /// The cached artefacts read back: the themes, then each question's assignments.
    fn load(dir: &Path, key: &cache::StageKey) -> Result<Themed> {
        let mut stored: Option<WaveThemes> = cache::load(dir, "themes", "themes", key)?;
        if let Some(t) = stored.as_mut() {
            for (i, report) in t.reports_mut().enumerate() {
                let path = cache::rows_file(dir, "themes", &assignments_name(i), key, true)?;
                report.assignments = Assignments::in_file(&path).map_err(|e| {
                    Error::input(&path, format!("does not read back: {e}"))
                        .hint("delete the folder's .canvass cache and run again")
                })?;
            }
        }
        Ok(Themed::from_artefact(stored))
    }

    /// Once stored, each question's assignments are let go and read back from their file, one
    /// at a time, by each part of the report that needs them: a national survey's are a
    /// third of a gigabyte per open question. Assignments that were not stored (no cache, or a
    /// file that could not be written) stay in memory.
    fn set_aside(&mut self, dir: &Path, key: &cache::StageKey) {
        let Themed::Themes(t, _) = self else {
            return;
        };
        for (i, report) in t.reports_mut().enumerate() {
            // Just written by this run: read back row by row, no need to hash it first.
            if let Ok(path) = cache::rows_file(dir, "themes", &assignments_name(i), key, false) {
                report.assignments.set_aside(path);
            }
        }
    }

    fn themes(&self) -> Option<&WaveThemes> {
        match self {
            Themed::Themes(t, _) => Some(t.as_ref()),
            _ => None,
        }
    }

    fn into_themes(self) -> Option<WaveThemes> {
        match self {
            Themed::Themes(t, _) => Some(*t),
            _ => None,
        }
    }
}

/// The cache artefact of the `i`-th open question's assignments.
fn assignments_name(i: usize) -> String {
    format!("assignments-{i}")
}

/// What the pass over the export keeps for the themes stage.
struct ToTheme {
    /// The survey as expanded against the export.
    survey: crate::config::Survey,
    /// The comments of its open questions; `None` when it has none.
    comments: Option<WaveComments>,
}

/// Every stage of a wave with what is done with it, and the artefacts of those reused.
struct Decided {
    actions: Vec<(Stage, Action)>,
    cached: Cached,
}

/// The artefacts of the stages a wave reuses, loaded while deciding.
#[derive(Default)]
struct Cached {
    clean: Option<CleanWave>,
    score: Option<Scored>,
    themes: Option<Themed>,
    compare: Option<WaveComparison>,
}

/// What the pass over the export computed, for the stages that run.
#[derive(Default)]
struct Fresh {
    score: Option<Scored>,
    comments: Option<ToTheme>,
    /// Each kept respondent's codes and scores, when the Parquet tables are written.
    respondents: Option<Respondents>,
}

/// Decides every stage first; a reused stage's artefact is loaded now, and one that cannot be
/// read runs instead.
fn decide_stages(c: &Ctx, keys: &WaveKeys, feeder: bool) -> Result<Decided> {
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
    Ok(Decided { actions, cached })
}

/// Loads a reused stage's artefact into `cached` (the report's: checks its files).
fn load_reused(c: &Ctx, stage: Stage, key: &StageKey, cached: &mut Cached) -> Result<()> {
    let dir = c.directory;
    match stage {
        Stage::Clean => cache::load(dir, "clean", "wave", key)
            .map(|w| cached.clean = Some(survey_parts::current(w, &c.lp.survey))),
        Stage::Score => cache::load(dir, "score", "report", key).and_then(|report| {
            cache::load(dir, "score", "agreement", key)
                .map(|agreement| cached.score = Some(Scored { report, agreement }))
        }),
        Stage::Themes => Themed::load(dir, key).map(|t| cached.themes = Some(t)),
        Stage::Compare => {
            cache::load(dir, "compare", "comparison", key).map(|t| cached.compare = Some(t))
        }
        Stage::Report => manifest::outputs_intact(dir).map_err(|e| Error::input(dir, e)),
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
    scored: &'a Option<Scored>,
    themed: &'a Themed,
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
    fn store_score(&self, scored: &Option<Scored>) -> Result<()> {
        match (self.runs(Stage::Score), scored) {
            (true, Some(s)) => self.store(
                Stage::Score,
                vec![
                    cache::Artefact::new("report", &s.report),
                    Some(cache::Artefact::written_by("agreement", |w| {
                        s.agreement.write_json(w)
                    })),
                ],
            ),
            _ => Ok(()),
        }
    }

    /// Stores the themes artefact when the stage ran.
    fn store_themes(&self, themed: &Themed) -> Result<()> {
        match (self.runs(Stage::Themes), themed.artefacts()) {
            (true, Some(artefacts)) => self.store(Stage::Themes, artefacts),
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
            let export_sha256 = &self.keys.inputs.clean.export;
            let read = ReadOptions {
                bytes_read: Some(counter.clone()),
                without_checksum: true,
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
                    |s| self.keys.inputs.score.options(s, &lp.survey_path),
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
            read_once
                .clean
                .table
                .source
                .sha256
                .clone_from(export_sha256);
            let pass::WavePass {
                clean: cleaned,
                score,
                agreement,
                comments,
                respondents,
            } = read_once;
            fresh.respondents = respondents;
            if clean_action.runs() {
                let summary = survey_parts::for_cache(&cleaned);
                self.store(Stage::Clean, vec![cache::Artefact::new("wave", &summary)])?;
                self.say(Stage::Clean, &clean_action, started);
            } else {
                progress.line(&format!(
                    "{name} clean: unchanged, export re-read for the stages that run ({:.2} s)",
                    started.elapsed().as_secs_f64()
                ));
            }
            fresh.score = Some(Scored {
                report: score,
                agreement,
            });
            fresh.comments = Some(ToTheme {
                survey: cleaned.survey.clone(),
                comments,
            });
            clean_cached = Some(cleaned);
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
    fn score(&self, fresh: Option<Scored>, cached: Option<Scored>) -> Result<Option<Scored>> {
        Ok(match (self.action(Stage::Score), fresh) {
            (Some(Action::Run(why)), Some(scored)) => {
                // Computed in the pass; stored beside the report (`store_score`).
                self.c.progress.line(&format!(
                    "{} score: scored as the export was read ({why})",
                    self.c.wave.name
                ));
                Some(scored)
            }
            (Some(a), _) => {
                self.say(Stage::Score, &a, Instant::now());
                cached
            }
            (None, _) => None,
        })
    }

    fn themes(&self, fresh: Option<ToTheme>, cached: Option<Themed>) -> Result<Themed> {
        Ok(match (self.action(Stage::Themes), fresh) {
            (Some(a @ Action::Run(_)), Some(t)) => {
                let started = Instant::now();
                let mut written = Vec::new();
                let found = self.find_themes(&t.survey, t.comments, &mut |i, report| {
                    written.resize(i + 1, None);
                    written[i] = self.set_aside_now(i, report);
                })?;
                self.say(Stage::Themes, &a, started);
                Themed::written(found, written)
            }
            (Some(a), _) => {
                self.say(Stage::Themes, &a, Instant::now());
                cached.unwrap_or(Themed::NotRun)
            }
            (None, _) => Themed::NotRun,
        })
    }

    /// Writes question `i`'s final assignments to their cache file and lets go of them, so that
    /// the next question is themed without them in memory; their SHA-256, for the stage's
    /// entry. `None`, keeping them, without a cache or when the file cannot be written (storing
    /// the stage says why).
    fn set_aside_now(&self, i: usize, report: &mut ThemeReport) -> Option<String> {
        if self.c.options.no_cache {
            return None;
        }
        let name = assignments_name(i);
        let (path, sha) =
            cache::write_rows(self.c.directory, "themes", &name, &report.assignments).ok()?;
        report.assignments.set_aside(path);
        Some(sha)
    }

    fn find_themes(
        &self,
        survey: &crate::config::Survey,
        gathered: Option<WaveComments>,
        done: &mut themes::Finished,
    ) -> Result<Option<WaveThemes>> {
        let (lp, progress) = (self.c.lp, self.c.progress);
        let settings = self.keys.inputs.themes.settings(survey);
        let coded = inputs::coded_sample(lp, survey)?;
        progress.begin(&format!("{} themes", self.c.wave.name), None, Unit::Items);
        let gathered = gathered.unwrap_or_default();
        let export = lp.export_path(self.c.wave);
        let t = themes::for_wave_owned(
            gathered,
            survey,
            &settings,
            coded,
            self.c.review,
            &export,
            done,
        );
        progress.end();
        t
    }

    /// The change since the previous wave.
    fn compare(
        &self,
        previous: Option<&WaveResult>,
        scored: &Option<Scored>,
        cached: Option<WaveComparison>,
    ) -> Result<Option<WaveComparison>> {
        let lp = self.c.lp;
        Ok(match self.action(Stage::Compare) {
            Some(a @ Action::Run(_)) => {
                let started = Instant::now();
                let (
                    Some(p),
                    Some(Scored {
                        report: s,
                        agreement,
                    }),
                    Some(i),
                ) = (previous, scored, &self.keys.inputs.compare)
                else {
                    return Err(internal(
                        self.c.directory,
                        "compare runs without the scores it compares",
                    ));
                };
                warn_unpaired(lp, &p.name, self.c.wave, agreement, self.c.progress);
                let panel = score::panel::compare_panel(
                    &p.agreement,
                    agreement,
                    i.suppress_below.get(),
                    i.confidence.get(),
                    i.adjustment,
                );
                let comparison = compare(
                    &p.score,
                    s,
                    (&i.labels.0, &i.labels.1),
                    i.confidence.get(),
                    i.adjustment,
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
                let Some(Scored {
                    report: s,
                    agreement,
                }) = r.scored
                else {
                    return Err(internal(dir, "the report runs without scores"));
                };
                let (false, true) = (
                    matches!(r.themed, Themed::NotRun),
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
                    agreement,
                    themes: r.themed.themes(),
                    comparison: r.compared.as_ref(),
                    earlier: r.earlier,
                    this: r.this,
                    recorded: &self.keys.inputs.report.recorded,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn example_report() -> ThemeReport {
        let path =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("reports/aspire-pilot/wave-1/themes.json");
        serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
    }

    /// Nothing of the assignments is held, and themes.json is the same bytes read back.
    fn assert_set_aside_as_held(themed: &Themed, held: &[u8], comments: usize) {
        let t = themed.themes().unwrap();
        assert!(t.report.assignments.iter().next().is_none(), "still held");
        assert_eq!(t.report.assignments.len(), comments);
        assert_eq!(serde_json::to_vec_pretty(&t.report).unwrap(), held);
    }

    /// Once the themes are stored, the report reads each question's assignments back from
    /// their file instead of holding them, and a later run reads them from there too.
    #[test]
    fn stored_assignments_are_let_go_and_read_back_as_they_were() {
        let report = example_report();
        let (held, comments) = (
            serde_json::to_vec_pretty(&report).unwrap(),
            report.assignments.len(),
        );
        assert!(comments > 0);
        let wave = |report| WaveThemes {
            question: "What would you change?".into(),
            report,
            further: Vec::new(),
        };
        let dir = tempfile::tempdir().unwrap();
        let key = StageKey::new().file("export", "aa");
        let mut themed = Themed::from_artefact(Some(wave(report)));
        cache::store(dir.path(), "themes", &key, themed.artefacts().unwrap()).unwrap();
        themed.set_aside(dir.path(), &key);
        assert_set_aside_as_held(&themed, &held, comments);
        let cached = Themed::load(dir.path(), &key).unwrap();
        assert_set_aside_as_held(&cached, &held, comments);

        // Written as soon as the question was themed, then recorded when the stage is stored.
        let other = tempfile::tempdir().unwrap();
        let mut report = example_report();
        let name = assignments_name(0);
        let written = cache::write_rows(other.path(), "themes", &name, &report.assignments);
        let (path, sha) = written.unwrap();
        report.assignments.set_aside(path);
        let themed = Themed::written(Some(wave(report)), vec![Some(sha)]);
        cache::store(other.path(), "themes", &key, themed.artefacts().unwrap()).unwrap();
        assert_set_aside_as_held(&themed, &held, comments);
        let cached = Themed::load(other.path(), &key).unwrap();
        assert_set_aside_as_held(&cached, &held, comments);
    }
}
