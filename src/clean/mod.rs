//! Clean: decide which responses count. Every row read is either kept or excluded with a reason,
//! and the accounting `read = kept + excluded` is part of the artefact, so it can be checked.

mod keys;
pub mod spill;
mod stream;
mod wave;

use keys::KeyTable;

pub use stream::{CleanStream, Screened, GUARD_SAMPLE_ROWS};
pub use wave::{finish, CleanWave};

use crate::config::survey::{CleanRules, KeepDuplicate};
use crate::ingest::detect::norm;
use crate::model::{
    trim_cell, Column, ColumnRole, ItemSource, Response, ResponseTable, Row, SourceInfo,
};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Why a response was excluded: the `reason` column of exclusions.csv and the keys of the
/// manifest's `excluded` counts (kebab-case, e.g. `straight-liner`), in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reason {
    /// The survey author's preview.
    Preview,
    /// Generated or marked test response.
    Test,
    /// Flagged as spam or a bot by the tool.
    Spam,
    /// Not finished, or progress below the threshold.
    Unfinished,
    /// No answer to any question.
    Empty,
    /// Finished faster than the survey's minimum plausible duration (opt-in).
    Speeder,
    /// The same answer to every item of the survey (opt-in).
    StraightLiner,
    /// A row of a REDCap repeating instrument (`redcap_repeat_instrument` filled): another
    /// form's record for a respondent already read, not a second response to the survey.
    RepeatInstance,
    /// The same respondent key as a response that was kept.
    Duplicate,
}

impl Reason {
    /// A response the survey tool marks as its author's test or preview, which
    /// `keep_test_responses` keeps.
    pub fn is_tool_test(self) -> bool {
        matches!(self, Reason::Preview | Reason::Test)
    }

    /// The reason as exclusions.csv and the manifest spell it (`preview`, `straight-liner` …).
    pub fn name(self) -> &'static str {
        match self {
            Reason::Preview => "preview",
            Reason::Test => "test",
            Reason::Spam => "spam",
            Reason::Unfinished => "unfinished",
            Reason::Empty => "empty",
            Reason::Speeder => "speeder",
            Reason::StraightLiner => "straight-liner",
            Reason::RepeatInstance => "repeat-instance",
            Reason::Duplicate => "duplicate",
        }
    }
}

/// One excluded response: a row of exclusions.csv. Holds no identifier, only the hashed key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Exclusion {
    /// Line or row number in the export.
    pub row: usize,
    /// Hashed respondent key.
    pub respondent: String,
    /// The rule that excluded it.
    pub reason: Reason,
    /// The evidence, e.g. `Status = Survey Preview` or `Progress = 40 < 100`.
    pub detail: String,
}

/// `read = kept + Σ excluded`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Accounting {
    /// Data rows read from the export (header rows aside).
    pub read: usize,
    /// Responses kept for analysis.
    pub kept: usize,
    /// Excluded responses per reason; reasons with none are absent.
    pub excluded: BTreeMap<Reason, usize>,
    /// Of the kept responses, those the survey tool marks as tests or previews, kept because
    /// `keep_test_responses` asked for them (absent when none was).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub kept_flagged: BTreeMap<Reason, usize>,
}

impl Accounting {
    /// Whether `read = kept + Σ excluded` holds, as it must (tests and `verify` check it).
    pub fn balances(&self) -> bool {
        self.read == self.kept + self.excluded.values().sum::<usize>()
    }

    /// Stops a stage that needs responses when the export kept none, saying how many were
    /// excluded for what and which setting (`rules`) would keep them.
    pub fn require_kept(
        &self,
        export: &std::path::Path,
        rules: RulesAt,
    ) -> crate::error::Result<()> {
        match self.nothing_kept() {
            None => Ok(()),
            Some(what) => {
                Err(crate::error::Error::input(export, what).hint(self.nothing_kept_hint(rules)))
            }
        }
    }

    /// "all 15 responses were excluded: 15 test", when no response was kept.
    pub fn nothing_kept(&self) -> Option<String> {
        if self.kept > 0 {
            return None;
        }
        if self.read == 0 {
            return Some("has no responses, only its header".into());
        }
        let reasons: Vec<String> = self
            .excluded
            .iter()
            .map(|(reason, n)| format!("{n} {}", reason.name()))
            .collect();
        let all = match self.read {
            1 => "the only response was excluded".to_string(),
            n => format!("all {n} responses were excluded"),
        };
        Some(format!("{all}: {}", reasons.join(", ")))
    }

    /// What would keep responses that were all excluded: the setting for each reason that has
    /// one, where `rules` says the command takes its settings from.
    pub fn nothing_kept_hint(&self, rules: RulesAt) -> String {
        if self.read == 0 {
            return "download the responses again: this file holds the header rows and no response"
                .into();
        }
        let mut hints: Vec<String> = Vec::new();
        for &reason in self.excluded.keys() {
            if let Some(hint) = keep_hint(reason, rules) {
                if !hints.contains(&hint) {
                    hints.push(hint);
                }
            }
        }
        if hints.is_empty() {
            "every row was excluded by the survey tool's own flags or the survey's rules; check the export with `canvass inspect`".into()
        } else {
            hints.join("; ")
        }
    }
}

/// Where a command takes the cleaning settings from, for the hint of `require_kept`. Every
/// command that cleans also takes `--keep-tests`.
#[derive(Debug, Clone, Copy)]
pub enum RulesAt<'a> {
    /// The [clean] table of this survey file.
    Survey(&'a std::path::Path),
    /// The [clean] table of a survey file the command could be given with `--survey`.
    SurveyOption,
    /// The default rules: only `--keep-tests` changes them.
    Defaults,
}

/// The setting that would keep responses excluded for `reason`, if any.
fn keep_hint(reason: Reason, rules: RulesAt) -> Option<String> {
    let setting = |what: &str| match rules {
        RulesAt::Survey(p) => Some(format!("{what} under [clean] in {}", p.display())),
        RulesAt::SurveyOption => Some(format!("{what} under [clean] in a survey file (--survey)")),
        RulesAt::Defaults => None,
    };
    let for_tests = "to analyse a pilot's test and preview responses";
    Some(match reason {
        Reason::Preview | Reason::Test => {
            match setting("set `keep_test_responses = true`") {
                Some(s) => format!("{for_tests}, {s} or pass --keep-tests"),
                None => format!("{for_tests}, pass --keep-tests"),
            }
        }
        Reason::Unfinished => format!(
            "to count unfinished responses, {}",
            setting("set `require_finished = false` or lower `min_progress`")?
        ),
        Reason::Speeder => format!(
            "to keep fast responses, {}",
            setting("lower or remove `min_duration_seconds`")?
        ),
        Reason::StraightLiner => format!(
            "to keep straight-lined responses, {}",
            setting("remove `exclude_straight_liners`")?
        ),
        Reason::Empty => "empty responses answered nothing: check that this is the export with the answers (`canvass inspect` lists its columns)".into(),
        Reason::Spam | Reason::Duplicate | Reason::RepeatInstance => return None,
    })
}

/// The clean artefact: the responses that count, and an account of those that do not.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CleanTable {
    /// The export the wave was read from.
    pub source: SourceInfo,
    /// The kept columns (metadata and answers; identifiers were dropped at ingest).
    pub columns: Vec<Column>,
    /// The kept responses, in the export's order.
    pub responses: Vec<Response>,
    /// Every excluded response, in the export's order.
    pub exclusions: Vec<Exclusion>,
    /// The row accounting (`read = kept + Σ excluded`).
    pub accounting: Accounting,
}

/// How to clean an export: the survey's `[clean]` rules and duplicate policy, and the memory bound
/// for duplicate keys. Build it with [`CleanOptions::for_survey`].
#[derive(Debug, Clone, Default)]
pub struct CleanOptions {
    /// The survey's `[clean]` rules.
    pub rules: CleanRules,
    /// Which response to keep when a respondent key repeats.
    pub duplicates: KeepDuplicate,
    /// The most respondent keys held in memory for duplicates (`None`: `MAX_KEYS_IN_MEMORY`);
    /// an export expected to have more is checked through temporary files (`spill`).
    pub max_keys_in_memory: Option<usize>,
    /// The survey's item columns (each item's, `Item::read_columns`), for the straight-lining
    /// rule.
    pub item_columns: Vec<Vec<String>>,
}

impl CleanOptions {
    /// The cleaning rules a survey definition asks for.
    pub fn for_survey(survey: &crate::config::Survey) -> CleanOptions {
        CleanOptions {
            rules: survey.clean.clone(),
            duplicates: survey.respondent.duplicates,
            item_columns: survey
                .items
                .iter()
                .map(|i| i.read_columns().into_iter().map(str::to_string).collect())
                .collect(),
            max_keys_in_memory: None,
        }
    }
}

/// Cleans a table in memory: the rules of `Cleaner`, then duplicates in file order.
pub fn clean(table: ResponseTable, options: &CleanOptions) -> CleanTable {
    let cleaner = Cleaner::new(&table.columns, options);
    let verdicts: Vec<Verdict> = table
        .responses
        .par_iter()
        .map(|r| cleaner.verdict(r))
        .collect();
    let mut dedup = match options.duplicates {
        KeepDuplicate::KeepFirst => Deduplicator::keep_first(),
        KeepDuplicate::KeepLast => {
            let mut dedup = Deduplicator::keep_last();
            let candidates = table.responses.iter().zip(&verdicts);
            for (r, _) in candidates.filter(|(_, v)| v.0.is_none()) {
                dedup.note_candidate(Deduplicator::key_of(r), r.row);
            }
            dedup
        }
    };
    let mut ledger = Ledger::default();
    let mut kept = Vec::with_capacity(table.responses.len());
    for (r, verdict) in table.responses.into_iter().zip(verdicts) {
        if ledger.decide(r.row, Deduplicator::key_of(&r), verdict, &mut dedup) {
            kept.push(r);
        }
    }
    ledger
        .finish(table.source, table.columns)
        .with_responses(kept)
}

/// Why a response does not count (`None` when it does), and the test flag it was kept despite.
pub type Verdict = (Option<(Reason, String)>, Option<Reason>);

/// The per-row rules (tool flags, empty responses, the opt-in quality rules), resolved against
/// the columns once. Rows are independent, so they can be assessed in parallel.
pub struct Cleaner {
    columns: Vec<Column>,
    flags: Flags,
    rules: CleanRules,
    items: Vec<ItemSource>,
    answers: Vec<usize>,
}

impl Cleaner {
    /// Resolves the rules against an export's columns once: finds the tool's status, progress,
    /// finished and duration columns and the item columns the straight-lining rule reads.
    pub fn new(columns: &[Column], options: &CleanOptions) -> Cleaner {
        let find = |names: &[&str]| {
            columns.iter().position(|c| {
                c.role == ColumnRole::Metadata && names.contains(&norm(&c.name).as_str())
            })
        };
        // The lookup scoring uses, once per item: a survey of a wide export has many.
        let index = crate::model::ColumnIndex::of(columns);
        Cleaner {
            flags: Flags {
                status: find(&["status", "responsetype"]),
                channel: find(&["distributionchannel"]),
                finished: find(&["finished"]),
                progress: find(&["progress"]),
                submitted: find(&[
                    "submitdate",
                    "submitdateutc",
                    "datesubmitted",
                    "completiontime",
                ]),
                duration: find(&["durationinseconds", "duration", "totaltime"]),
                repeat: find(&["redcaprepeatinstrument"]),
                instance: find(&["redcaprepeatinstance"]),
            },
            items: options
                .item_columns
                .iter()
                // The lookup scoring uses: an item may be named by ImportId or question text.
                .filter_map(|names| {
                    let names: Vec<&str> = names.iter().map(String::as_str).collect();
                    ItemSource::of(columns, &index, &names).ok()
                })
                .collect(),
            answers: (0..columns.len())
                .filter(|&i| columns[i].role == ColumnRole::Answer)
                .collect(),
            rules: options.rules.clone(),
            columns: columns.to_vec(),
        }
    }

    /// `assess` and, for a response that counts, `waived`.
    pub fn verdict(&self, r: &impl Row) -> Verdict {
        let exclusion = self.assess(r);
        let waived = match exclusion {
            None => self.waived(r),
            Some(_) => None,
        };
        (exclusion, waived)
    }

    /// Why a response does not count, duplicates aside; `None` when it does.
    pub fn assess(&self, r: &impl Row) -> Option<(Reason, String)> {
        if let Some(e) = self.flags.exclusion(&self.columns, r, &self.rules) {
            return Some(e);
        }
        if self
            .answers
            .iter()
            .all(|&i| trim_cell(r.value(i)).is_empty())
        {
            return Some((Reason::Empty, "no question answered".into()));
        }
        quality_exclusion(
            &self.columns,
            r,
            &self.rules,
            self.flags.duration,
            &self.items,
        )
    }

    /// For a response that `assess` let through, the test or preview flag it was kept despite
    /// (`keep_test_responses`), so that the accounting can say how many such were kept.
    pub fn waived(&self, r: &impl Row) -> Option<Reason> {
        if !self.rules.keep_test_responses {
            return None;
        }
        self.flags
            .tool_flag(&self.columns, r, false)
            .map(|(reason, _)| reason)
            .filter(|reason| reason.is_tool_test())
    }
}

/// Finds duplicate respondents in file order, remembering one 64-bit key and row per respondent
/// (or, past the memory budget, walking a list of duplicates found beforehand).
pub enum Deduplicator {
    /// Each key's first row, as checked.
    KeepFirst(KeyTable),
    /// Each key's last row among the responses that passed the other rules (all noted before
    /// the first check).
    KeepLast(KeyTable),
    /// Found beforehand (`SpilledKeys`): the duplicate rows in file order, with the kept row,
    /// and how far the checks have come.
    Listed(Vec<spill::Duplicate>, usize),
}

/// The most respondent keys held in memory by default (a 64 MiB table). An export expected to
/// have more has its duplicates found through temporary files, so memory stays bounded.
pub const MAX_KEYS_IN_MEMORY: usize = 1 << 21;

impl Deduplicator {
    /// Keeps each respondent's first response, checking keys as rows arrive (one pass).
    pub fn keep_first() -> Deduplicator {
        Deduplicator::KeepFirst(KeyTable::default())
    }

    /// Keeps each respondent's last response: every response that passes the other rules must
    /// be noted (`note_candidate`, in file order) before the first `check`.
    pub fn keep_last() -> Deduplicator {
        Deduplicator::KeepLast(KeyTable::default())
    }

    /// Checks against duplicates found beforehand (`SpilledKeys::duplicates`), in file order.
    pub fn listed(duplicates: Vec<spill::Duplicate>) -> Deduplicator {
        Deduplicator::Listed(duplicates, 0)
    }

    /// Makes room for about `respondents` keys (an estimate, so capped).
    pub fn reserve(&mut self, respondents: usize) {
        if let Deduplicator::KeepFirst(table) | Deduplicator::KeepLast(table) = self {
            table.reserve(respondents.min(MAX_KEYS_IN_MEMORY));
        }
    }

    /// Notes a response that passed the other rules (keep-last only; ignored otherwise).
    pub fn note_candidate(&mut self, key: u64, row: usize) {
        if let Deduplicator::KeepLast(table) = self {
            table.insert(key, row);
        }
    }

    /// The 64-bit key duplicates are found by.
    pub fn key_of(r: &Response) -> u64 {
        key_bits(&r.key)
    }

    /// Brings the table slots of keys about to be checked into cache (see `KeyTable::warm`).
    pub fn warm(&self, keys: impl Iterator<Item = u64>) {
        if let Deduplicator::KeepFirst(table) | Deduplicator::KeepLast(table) = self {
            table.warm(keys);
        }
    }

    /// The evidence when the response at `row` with `key` duplicates a response that is kept;
    /// `None` to keep it.
    pub fn check(&mut self, key: u64, row: usize) -> Option<String> {
        let kept = match self {
            Deduplicator::KeepFirst(table) => table.get_or_insert(key, row),
            Deduplicator::KeepLast(table) => table.get(key).filter(|&last| last != row),
            Deduplicator::Listed(duplicates, next) => {
                // Rows are checked in file order, and the list is in file order.
                while duplicates.get(*next).is_some_and(|d| d.0 < row) {
                    *next += 1;
                }
                duplicates.get(*next).filter(|d| d.0 == row).map(|d| d.1)
            }
        };
        kept.map(|kept| format!("same respondent as row {kept}"))
    }
}

/// Respondent keys are 16 hex digits (an HMAC-SHA-256 prefix): kept as the number they spell.
fn key_bits(key: &str) -> u64 {
    u64::from_str_radix(key, 16).unwrap_or_else(|_| {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        key.hash(&mut h);
        h.finish()
    })
}

/// Records every decision, so that `read = kept + excluded` can be shown.
#[derive(Debug, Default)]
pub struct Ledger {
    read: usize,
    kept: usize,
    exclusions: Vec<Exclusion>,
    kept_flagged: BTreeMap<Reason, usize>,
}

impl Ledger {
    /// Records the verdict on the response at `row` with respondent `key` (in file order);
    /// true if it is kept. `waived` is the tool's test flag it passed despite (`Cleaner::waived`).
    pub fn decide(
        &mut self,
        row: usize,
        key: u64,
        (verdict, waived): (Option<(Reason, String)>, Option<Reason>),
        dedup: &mut Deduplicator,
    ) -> bool {
        self.read += 1;
        let verdict = verdict.or_else(|| dedup.check(key, row).map(|d| (Reason::Duplicate, d)));
        match verdict {
            Some((reason, detail)) => {
                self.exclusions.push(Exclusion {
                    row,
                    respondent: crate::ingest::key_hex(key),
                    reason,
                    detail,
                });
                false
            }
            None => {
                self.kept += 1;
                if let Some(reason) = waived {
                    *self.kept_flagged.entry(reason).or_insert(0) += 1;
                }
                true
            }
        }
    }

    /// Sorts the exclusions by row and counts them per reason: the wave's outcome, without the kept
    /// responses.
    pub fn finish(mut self, source: SourceInfo, columns: Vec<Column>) -> CleanOutcome {
        self.exclusions.sort_by_key(|e| e.row);
        let mut excluded = BTreeMap::new();
        for e in &self.exclusions {
            *excluded.entry(e.reason).or_insert(0) += 1;
        }
        CleanOutcome {
            source,
            columns,
            exclusions: self.exclusions,
            accounting: Accounting {
                read: self.read,
                kept: self.kept,
                excluded,
                kept_flagged: self.kept_flagged,
            },
        }
    }
}

/// What cleaning decided, without the kept responses themselves (a stream hands those on).
#[derive(Debug, Clone, PartialEq)]
pub struct CleanOutcome {
    /// The export the wave was read from.
    pub source: SourceInfo,
    /// The kept columns.
    pub columns: Vec<Column>,
    /// Every excluded response, in the export's order.
    pub exclusions: Vec<Exclusion>,
    /// The row accounting.
    pub accounting: Accounting,
}

impl CleanOutcome {
    /// `Accounting::require_kept`, first naming the cause when the export has no question
    /// column at all (a form of bookkeeping columns alone): then every response is "empty"
    /// whatever its people answered, and no cleaning setting would keep one.
    pub fn require_kept(
        &self,
        export: &std::path::Path,
        rules: RulesAt,
    ) -> crate::error::Result<()> {
        let questions = self
            .columns
            .iter()
            .filter(|c| c.role == ColumnRole::Answer)
            .count();
        if self.accounting.kept == 0 && self.accounting.read > 0 && questions == 0 {
            return Err(crate::error::Error::input(
                export,
                format!(
                    "has no question column (the {} columns with answers are each the survey tool's bookkeeping or an identifier), so none of its {} responses answers anything",
                    self.columns.len(),
                    self.accounting.read
                ),
            )
            .hint("check that this is the export with the answers (`canvass inspect` lists its columns and why each is not a question); a column canvass misread can be given its kind in the survey file"));
        }
        self.accounting.require_kept(export, rules)
    }

    /// The clean artefact: this outcome with the kept responses a stream handed on.
    pub fn with_responses(self, responses: Vec<Response>) -> CleanTable {
        CleanTable {
            source: self.source,
            columns: self.columns,
            responses,
            exclusions: self.exclusions,
            accounting: self.accounting,
        }
    }
}

/// The opt-in data-quality rules: speeding and straight-lining.
fn quality_exclusion(
    columns: &[Column],
    r: &impl Row,
    rules: &CleanRules,
    duration: Option<usize>,
    items: &[ItemSource],
) -> Option<(Reason, String)> {
    if let (Some(min), Some(d)) = (rules.min_duration_seconds, duration) {
        if let Ok(secs) = r.value(d).trim().parse::<f64>() {
            if secs < min {
                return Some((
                    Reason::Speeder,
                    format!("{} = {secs} < {min}", columns[d].name),
                ));
            }
        }
    }
    if rules.exclude_straight_liners && items.len() >= 5 {
        let answers: Vec<&str> = items
            .iter()
            .map(|i| i.value(r).trim())
            .filter(|v| !v.is_empty())
            .collect();
        if answers.len() == items.len()
            && answers.iter().all(|a| a.eq_ignore_ascii_case(answers[0]))
        {
            return Some((
                Reason::StraightLiner,
                format!("`{}` to all {} items", answers[0], items.len()),
            ));
        }
    }
    None
}

/// A progress value (`100`, `40%`, `62.5`) as a number; whole numbers without the float parser.
fn percent(v: &str) -> Option<f64> {
    let v = v.trim_end_matches('%');
    if (1..=9).contains(&v.len()) && v.bytes().all(|b| b.is_ascii_digit()) {
        return Some(v.bytes().fold(0u32, |n, b| n * 10 + u32::from(b - b'0')) as f64);
    }
    v.parse::<f64>().ok()
}

/// A flag's value compared as `norm` does, without allocating for the usual `0` and `1`.
fn flag(v: &str) -> std::borrow::Cow<'_, str> {
    if v.bytes()
        .all(|b| b.is_ascii_digit() || b.is_ascii_lowercase())
    {
        std::borrow::Cow::Borrowed(v)
    } else {
        std::borrow::Cow::Owned(norm(v))
    }
}

struct Flags {
    status: Option<usize>,
    channel: Option<usize>,
    finished: Option<usize>,
    progress: Option<usize>,
    submitted: Option<usize>,
    duration: Option<usize>,
    repeat: Option<usize>,
    instance: Option<usize>,
}

impl Flags {
    fn exclusion(
        &self,
        columns: &[Column],
        r: &impl Row,
        rules: &CleanRules,
    ) -> Option<(Reason, String)> {
        let value = |i: Option<usize>| i.map(|i| (columns[i].name.as_str(), trim_cell(r.value(i))));
        if let Some(flagged) = self.tool_flag(columns, r, rules.keep_test_responses) {
            return Some(flagged);
        }
        // Before the duplicate check, which would call these rows the same respondent again.
        if let Some((name, form)) = value(self.repeat).filter(|(_, v)| !v.is_empty()) {
            let instance = value(self.instance)
                .map(|(_, n)| format!(", instance {n}"))
                .unwrap_or_default();
            return Some((
                Reason::RepeatInstance,
                format!("{name} = {form}{instance}: a repeating form's row, not a second response"),
            ));
        }
        if rules.require_finished {
            if let Some((name, v)) = value(self.finished) {
                if matches!(flag(v).as_ref(), "0" | "false" | "no") {
                    return Some((Reason::Unfinished, format!("{name} = {v}")));
                }
            }
            if let Some((name, v)) = value(self.submitted) {
                if v.is_empty() {
                    return Some((Reason::Unfinished, format!("{name} is blank")));
                }
            }
        }
        if let Some((name, v)) = value(self.progress) {
            if let Some(p) = percent(v) {
                if p < rules.min_progress {
                    return Some((
                        Reason::Unfinished,
                        format!("{name} = {v} < {}", rules.min_progress),
                    ));
                }
            }
        }
        None
    }

    /// What the survey tool itself says of the response (preview, test, spam): its status
    /// column first, then its distribution channel. Tests and previews are passed over when
    /// `waive_tests`, so that a pilot's test responses can be kept.
    fn tool_flag(
        &self,
        columns: &[Column],
        r: &impl Row,
        waive_tests: bool,
    ) -> Option<(Reason, String)> {
        let value = |i: Option<usize>| i.map(|i| (columns[i].name.as_str(), trim_cell(r.value(i))));
        let counts = |reason: &Reason| !(waive_tests && reason.is_tool_test());
        if let Some((name, v)) = value(self.status) {
            // Qualtrics writes the code (1, 2, 8) or the text, depending on the export option.
            let reason = match flag(v).as_ref() {
                "1" | "surveypreview" | "preview" => Some(Reason::Preview),
                "2" | "surveytest" | "test" => Some(Reason::Test),
                "8" | "spam" => Some(Reason::Spam),
                _ => None,
            };
            if let Some(reason) = reason.filter(counts) {
                return Some((reason, format!("{name} = {v}")));
            }
        }
        let (name, v) = value(self.channel)?;
        let reason = match flag(v).as_ref() {
            "preview" => Some(Reason::Preview),
            "test" => Some(Reason::Test),
            _ => None,
        };
        reason
            .filter(counts)
            .map(|reason| (reason, format!("{name} = {v}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Format;

    fn table(rows: &[(&str, &str, &str, &str, &str)]) -> ResponseTable {
        let col = |n: &str, role| Column {
            name: n.into(),
            question: n.into(),
            import_id: None,
            role,
        };
        ResponseTable {
            source: SourceInfo {
                file: "t.csv".into(),
                sha256: String::new(),
                format: Format::Qualtrics,
                encoding: "utf-8".into(),
                delimiter: Some(','),
                header_rows: 3,
                sheet: None,
                sheets: Vec::new(),
                missing: None,
            },
            columns: vec![
                col("Status", ColumnRole::Metadata),
                col("Progress", ColumnRole::Metadata),
                col("Finished", ColumnRole::Metadata),
                col("Q1", ColumnRole::Answer),
            ],
            dropped_identifiers: vec![],
            responses: rows
                .iter()
                .enumerate()
                .map(|(i, (key, s, p, f, q))| Response {
                    row: i + 4,
                    key: key.to_string(),
                    values: [s, p, f, q].into_iter().collect(),
                })
                .collect(),
        }
    }

    #[test]
    fn every_row_is_kept_or_excluded_with_a_reason() {
        let t = table(&[
            ("a", "IP Address", "100", "True", "Agree"),
            ("b", "Survey Preview", "100", "True", "Agree"),
            ("c", "0", "40", "False", "Agree"),
            ("a", "0", "100", "1", "Disagree"),
            ("d", "0", "100", "1", ""),
            ("e", "8", "100", "1", "Agree"),
        ]);
        let c = clean(t, &CleanOptions::default());
        assert!(c.accounting.balances());
        assert_eq!(c.accounting.kept, 1);
        let reasons: Vec<(usize, Reason)> =
            c.exclusions.iter().map(|e| (e.row, e.reason)).collect();
        assert_eq!(
            reasons,
            [
                (5, Reason::Preview),
                (6, Reason::Unfinished),
                (7, Reason::Duplicate),
                (8, Reason::Empty),
                (9, Reason::Spam)
            ]
        );
        assert_eq!(c.exclusions[2].detail, "same respondent as row 4");
    }

    #[test]
    fn kept_test_responses_still_meet_the_other_rules_and_are_counted() {
        let t = table(&[
            ("a", "Survey Preview", "100", "True", "Agree"),
            ("b", "2", "40", "False", "Agree"),
            ("c", "8", "100", "1", "Agree"),
            ("d", "0", "100", "1", "Agree"),
        ]);
        let mut opts = CleanOptions::default();
        assert_eq!(
            clean(t.clone(), &opts).accounting.nothing_kept(),
            None,
            "row d counts"
        );
        opts.rules.keep_test_responses = true;
        let c = clean(t, &opts);
        let reasons: Vec<Reason> = c.exclusions.iter().map(|e| e.reason).collect();
        assert_eq!(reasons, [Reason::Unfinished, Reason::Spam]);
        assert_eq!(c.accounting.kept, 2);
        assert_eq!(
            c.accounting.kept_flagged,
            BTreeMap::from([(Reason::Preview, 1)])
        );
        assert!(c.accounting.balances());
    }

    #[test]
    fn nothing_kept_names_the_counts_by_reason_and_the_setting() {
        let t = table(&[
            ("a", "2", "100", "True", "Agree"),
            ("b", "Survey Test", "100", "True", "Agree"),
            ("c", "0", "40", "False", "Agree"),
        ]);
        let a = clean(t, &CleanOptions::default()).accounting;
        assert_eq!(
            a.nothing_kept().as_deref(),
            Some("all 3 responses were excluded: 2 test, 1 unfinished")
        );
        let hint = a.nothing_kept_hint(RulesAt::Survey(std::path::Path::new("s.toml")));
        assert!(
            hint.contains(
                "set `keep_test_responses = true` under [clean] in s.toml or pass --keep-tests"
            ) && hint.contains("`require_finished = false`"),
            "{hint}"
        );
    }

    #[test]
    fn speeders_and_straight_liners_are_excluded_when_asked() {
        let mut t = table(&[
            ("a", "0", "100", "1", "Agree"),
            ("b", "0", "100", "1", "Agree"),
        ]);
        for (i, c) in ["Q2", "Q3", "Q4", "Q5"].iter().enumerate() {
            t.columns.push(Column {
                name: c.to_string(),
                question: c.to_string(),
                import_id: None,
                role: ColumnRole::Answer,
            });
            t.responses[0].values.push("Agree");
            t.responses[1]
                .values
                .push(if i == 2 { "Disagree" } else { "Agree" });
        }
        t.columns.push(Column {
            name: "Duration (in seconds)".into(),
            question: String::new(),
            import_id: None,
            role: ColumnRole::Metadata,
        });
        t.responses[0].values.push("400");
        t.responses[1].values.push("35");
        let mut opts = CleanOptions {
            item_columns: ["Q1", "Q2", "Q3", "Q4", "Q5"]
                .map(|c| vec![c.to_string()])
                .to_vec(),
            ..Default::default()
        };
        assert_eq!(
            clean(t.clone(), &opts).accounting.kept,
            2,
            "rules are opt-in"
        );
        opts.rules.exclude_straight_liners = true;
        opts.rules.min_duration_seconds = Some(60.0);
        let c = clean(t, &opts);
        let reasons: Vec<(Reason, &str)> = c
            .exclusions
            .iter()
            .map(|e| (e.reason, e.detail.as_str()))
            .collect();
        assert_eq!(
            reasons,
            [
                (Reason::StraightLiner, "`Agree` to all 5 items"),
                (Reason::Speeder, "Duration (in seconds) = 35 < 60")
            ]
        );
    }

    #[test]
    fn straight_lining_finds_items_named_by_import_id_or_question() {
        // Five items (the rule's minimum) named as a survey file may name them: Q1 by name,
        // Q2 and Q4 by ImportId, Q3 and Q5 by question text, as scoring finds them. a answers
        // Agree to all five, b varies. The exact-name lookup found only Q1, so a was kept.
        let mut t = table(&[
            ("a", "0", "100", "1", "Agree"),
            ("b", "0", "100", "1", "Agree"),
        ]);
        for (name, question, import_id, b) in [
            ("Q2", "Q2", Some("QID2"), "Agree"),
            ("Q3", "Staff are supported", None, "Disagree"),
            ("Q4", "Q4", Some("QID4"), "Agree"),
            ("Q5", "Training helped", None, "Agree"),
        ] {
            t.columns.push(Column {
                name: name.into(),
                question: question.into(),
                import_id: import_id.map(String::from),
                role: ColumnRole::Answer,
            });
            t.responses[0].values.push("Agree");
            t.responses[1].values.push(b);
        }
        let mut opts = CleanOptions {
            item_columns: [
                "Q1",
                "QID2",
                "Staff are supported",
                "QID4",
                "Training helped",
            ]
            .map(|c| vec![c.to_string()])
            .to_vec(),
            ..Default::default()
        };
        opts.rules.exclude_straight_liners = true;
        let c = clean(t, &opts);
        // `table` puts respondent a on row 4.
        let excluded: Vec<(usize, Reason, &str)> = c
            .exclusions
            .iter()
            .map(|e| (e.row, e.reason, e.detail.as_str()))
            .collect();
        assert_eq!(
            excluded,
            [(4, Reason::StraightLiner, "`Agree` to all 5 items")]
        );
    }

    #[test]
    fn keep_last_keeps_the_later_duplicate() {
        let t = table(&[
            ("a", "0", "100", "1", "Agree"),
            ("a", "0", "100", "1", "Disagree"),
        ]);
        let opts = CleanOptions {
            duplicates: KeepDuplicate::KeepLast,
            ..Default::default()
        };
        let c = clean(t, &opts);
        assert_eq!(&c.responses[0].values[3], "Disagree");
        assert_eq!(c.exclusions[0].row, 4);
    }
}
