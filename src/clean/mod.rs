//! Clean: decide which responses count. Every row read is either kept or excluded with a reason,
//! and the accounting `read = kept + excluded` is part of the artefact, so it can be checked.

mod keys;
pub mod spill;
mod stream;

use keys::KeyTable;

pub use stream::{CleanStream, Screened};

use crate::config::survey::{CleanRules, KeepDuplicate};
use crate::ingest::detect::norm;
use crate::model::{trim_cell, Column, ColumnRole, Response, ResponseTable, Row, SourceInfo};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

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
    /// The same respondent key as a response that was kept.
    Duplicate,
}

impl Reason {
    pub fn name(self) -> &'static str {
        match self {
            Reason::Preview => "preview",
            Reason::Test => "test",
            Reason::Spam => "spam",
            Reason::Unfinished => "unfinished",
            Reason::Empty => "empty",
            Reason::Speeder => "speeder",
            Reason::StraightLiner => "straight-liner",
            Reason::Duplicate => "duplicate",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Exclusion {
    /// Line or row number in the export.
    pub row: usize,
    /// Hashed respondent key.
    pub respondent: String,
    pub reason: Reason,
    /// The evidence, e.g. `Status = Survey Preview` or `Progress = 40 < 100`.
    pub detail: String,
}

/// `read = kept + Σ excluded`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Accounting {
    pub read: usize,
    pub kept: usize,
    pub excluded: BTreeMap<Reason, usize>,
}

impl Accounting {
    pub fn balances(&self) -> bool {
        self.read == self.kept + self.excluded.values().sum::<usize>()
    }
}

/// The clean artefact: the responses that count, and an account of those that do not.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CleanTable {
    pub source: SourceInfo,
    pub columns: Vec<Column>,
    pub responses: Vec<Response>,
    pub exclusions: Vec<Exclusion>,
    pub accounting: Accounting,
}

#[derive(Debug, Clone, Default)]
pub struct CleanOptions {
    pub rules: CleanRules,
    pub duplicates: KeepDuplicate,
    /// The most respondent keys held in memory for duplicates (`None`: `MAX_KEYS_IN_MEMORY`);
    /// an export expected to have more is checked through temporary files (`spill`).
    pub max_keys_in_memory: Option<usize>,
    /// The survey's item columns, for the straight-lining rule.
    pub item_columns: Vec<String>,
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
                .map(|i| i.column().to_string())
                .collect(),
            max_keys_in_memory: None,
        }
    }
}

/// Cleans a table in memory: the rules of `Cleaner`, then duplicates in file order.
pub fn clean(table: ResponseTable, options: &CleanOptions) -> CleanTable {
    let cleaner = Cleaner::new(&table.columns, options);
    let verdicts: Vec<Option<(Reason, String)>> = table
        .responses
        .par_iter()
        .map(|r| cleaner.assess(r))
        .collect();
    let mut dedup = match options.duplicates {
        KeepDuplicate::KeepFirst => Deduplicator::keep_first(),
        KeepDuplicate::KeepLast => {
            let mut dedup = Deduplicator::keep_last();
            let candidates = table.responses.iter().zip(&verdicts);
            for (r, _) in candidates.filter(|(_, v)| v.is_none()) {
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

/// The per-row rules (tool flags, empty responses, the opt-in quality rules), resolved against
/// the columns once. Rows are independent, so they can be assessed in parallel.
pub struct Cleaner {
    columns: Vec<Column>,
    flags: Flags,
    rules: CleanRules,
    items: Vec<usize>,
    answers: Vec<usize>,
}

impl Cleaner {
    pub fn new(columns: &[Column], options: &CleanOptions) -> Cleaner {
        let find = |names: &[&str]| {
            columns.iter().position(|c| {
                c.role == ColumnRole::Metadata && names.contains(&norm(&c.name).as_str())
            })
        };
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
            },
            items: options
                .item_columns
                .iter()
                .filter_map(|name| columns.iter().position(|c| &c.name == name))
                .collect(),
            answers: (0..columns.len())
                .filter(|&i| columns[i].role == ColumnRole::Answer)
                .collect(),
            rules: options.rules.clone(),
            columns: columns.to_vec(),
        }
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

/// Respondent keys are 16 hex digits (a SHA-256 prefix): kept as the number they spell.
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
}

impl Ledger {
    /// Records the verdict on the response at `row` with respondent `key` (in file order);
    /// true if it is kept.
    pub fn decide(
        &mut self,
        row: usize,
        key: u64,
        verdict: Option<(Reason, String)>,
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
                true
            }
        }
    }

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
            },
        }
    }
}

/// What cleaning decided, without the kept responses themselves (a stream hands those on).
#[derive(Debug, Clone, PartialEq)]
pub struct CleanOutcome {
    pub source: SourceInfo,
    pub columns: Vec<Column>,
    pub exclusions: Vec<Exclusion>,
    pub accounting: Accounting,
}

impl CleanOutcome {
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
    items: &[usize],
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
            .map(|&i| r.value(i).trim())
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
}

impl Flags {
    fn exclusion(
        &self,
        columns: &[Column],
        r: &impl Row,
        rules: &CleanRules,
    ) -> Option<(Reason, String)> {
        let value = |i: Option<usize>| i.map(|i| (columns[i].name.as_str(), trim_cell(r.value(i))));
        if let Some((name, v)) = value(self.status) {
            // Qualtrics writes the code (1, 2, 8) or the text, depending on the export option.
            let reason = match flag(v).as_ref() {
                "1" | "surveypreview" | "preview" => Some(Reason::Preview),
                "2" | "surveytest" | "test" => Some(Reason::Test),
                "8" | "spam" => Some(Reason::Spam),
                _ => None,
            };
            if let Some(reason) = reason {
                return Some((reason, format!("{name} = {v}")));
            }
        }
        if let Some((name, v)) = value(self.channel) {
            match flag(v).as_ref() {
                "preview" => return Some((Reason::Preview, format!("{name} = {v}"))),
                "test" => return Some((Reason::Test, format!("{name} = {v}"))),
                _ => {}
            }
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
            item_columns: ["Q1", "Q2", "Q3", "Q4", "Q5"].map(String::from).to_vec(),
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
