//! Inference from an export alone: each column's kind (Likert with its scale, single choice,
//! multi-select, numeric, date, free text, identifier, metadata), with the reason for it, and a
//! draft survey definition. Used by `inspect`, by `init`, and by `score` when no survey file is
//! given.
//!
//! Every kind is decided here, from all the evidence at once: the tool's own metadata (roles,
//! ImportIds, REDCap options), the question text (does it ask for a name, a rating?), the values
//! (distinct share, lengths, an ordered label set, numbers on a short range, dates, coordinates)
//! and the rows of a matrix together, which share one kind and one scale.

mod battery;
pub mod draft;
pub mod equation;
mod evidence;
pub mod features;
mod grid;
pub mod guard;
mod joined;
mod label_columns;
pub mod ladder;
mod ladder_words;
mod learned;
mod numbers;
mod option_first;
mod options;
mod other;
mod roster;
mod runs;
pub mod scales;

pub use draft::{draft_survey, Draft, LeftOut};
use grid::*;
use joined::*;
use numbers::*;

use crate::ingest::{roles, RawColumn, RawExport};
use crate::model::label_key;
use crate::model::{ColumnRole, Format};
use rayon::prelude::*;
use regex::Regex;
use rustc_hash::FxHashMap;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

/// What a column holds, as inferred from the export alone: the `kind` key of `inspect --json`
/// (kebab-case).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// Answers on one ordered scale (agree … disagree, satisfied …): scored as an item.
    Likert,
    /// One of a few unordered options per respondent: usable as a segment.
    SingleChoice,
    /// Several options per respondent (one column per option, or a separated list).
    MultiSelect,
    /// Numbers.
    Numeric,
    /// Dates or times.
    Date,
    /// Open answers: themed.
    FreeText,
    /// Names, e-mail addresses, phone numbers, ids, locations: never analysed.
    Identifier,
    /// The tool's own fields (status, progress, timings).
    Metadata,
    /// No answer in any row.
    Empty,
}

impl Kind {
    /// Every kind, in declaration order (the learned model's one-hot features follow it).
    pub const ALL: [Kind; 9] = [
        Kind::Likert,
        Kind::SingleChoice,
        Kind::MultiSelect,
        Kind::Numeric,
        Kind::Date,
        Kind::FreeText,
        Kind::Identifier,
        Kind::Metadata,
        Kind::Empty,
    ];

    /// The kind whose [`Kind::name`] is `name`; `None` for an unknown name.
    pub fn parse(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// The kind as `inspect` and `expected-kinds.json` spell it.
    pub fn name(&self) -> &'static str {
        match self {
            Kind::Likert => "likert",
            Kind::SingleChoice => "single-choice",
            Kind::MultiSelect => "multi-select",
            Kind::Numeric => "numeric",
            Kind::Date => "date",
            Kind::FreeText => "free-text",
            Kind::Identifier => "identifier",
            Kind::Metadata => "metadata",
            Kind::Empty => "empty",
        }
    }
}

/// One column of an export with its inferred kind: an entry of `inspect --json`'s `columns`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ColumnInfo {
    /// The column's id in the export's header.
    pub name: String,
    /// The question text from the tool's header rows or dictionary; empty when the export has none.
    pub question: String,
    /// What the column holds.
    pub kind: Kind,
    /// Why the column has its kind, in a few words ("labels on one ordered scale").
    pub reason: String,
    /// For Likert columns: the recognised scale and its labels, lowest first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scale: Option<String>,
    /// For Likert columns: the scale's labels as the data spell them, lowest first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub labels: Vec<String>,
    /// Codes of the scale's options, lowest first, where the tool defines them (a REDCap
    /// dictionary's `1, Strongly disagree | …`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub codes: Vec<f64>,
    /// Answers beside the scale that are not opinions: "Don't know", "Does not apply", and
    /// negative codes, which survey tools use for "not applicable" options (Qualtrics' recode
    /// values -1, -2 …); counted as non-substantive, not as low scores.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub not_applicable: Vec<String>,
    /// The matrix (grid) question the column is a row of, when it is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matrix: Option<String>,
    /// Non-blank answers.
    pub answered: usize,
    /// Distinct non-blank answers (not shown for identifiers).
    pub distinct: usize,
    /// How many respondents gave the most common answers, most common first (at most 20;
    /// not kept for identifiers and free text): what `init` needs to judge a grouping.
    #[serde(skip)]
    pub group_sizes: Vec<usize>,
    /// How the column's question is spread over several columns, where the draft must read
    /// them together other than as a check-all question's ticks.
    #[serde(skip)]
    pub spread: Option<Spread>,
    /// For numeric columns: the answers write decimals with a comma ("1,5").
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub decimal_comma: bool,
}

/// A question spread over several columns in a way of its own.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Spread {
    /// One of a single choice's options, a column each (SurveyMonkey's expanded download).
    OneOfOptions,
    /// A chosen option's code, the first chosen in `_O1`, the next in `_O2` … (SurveyToGo).
    ChosenInOrder,
}

impl ColumnInfo {
    /// The question text, or the column name where the export has none.
    pub fn label(&self) -> &str {
        if self.question.is_empty() {
            &self.name
        } else {
            &self.question
        }
    }

    fn new(column: &RawColumn, profile: &Profile) -> ColumnInfo {
        ColumnInfo {
            name: column.name.clone(),
            question: column.question.clone(),
            kind: Kind::Empty,
            reason: String::new(),
            scale: None,
            labels: Vec::new(),
            codes: Vec::new(),
            not_applicable: Vec::new(),
            matrix: None,
            answered: profile.answered,
            distinct: profile.distinct,
            group_sizes: Vec::new(),
            spread: None,
            decimal_comma: false,
        }
    }

    fn set(&mut self, kind: Kind, reason: impl Into<String>) {
        self.kind = kind;
        self.reason = reason.into();
    }

    /// A Likert column on `scale`: its name, labels, codes and non-answers, and why.
    fn rate(&mut self, scale: &scales::Recognised, reason: impl Into<String>) {
        self.set(Kind::Likert, reason);
        self.scale = Some(scale.name.clone());
        self.labels = scale.labels.clone();
        self.codes = scale.codes.clone();
        self.not_applicable = scale.non_substantive.clone();
    }
}

/// What a column's answers look like.
struct Profile<'a> {
    answered: usize,
    /// Distinct answers as written, in order.
    unique: BTreeSet<&'a str>,
    /// Distinct answers by `label_key` (case and punctuation aside).
    distinct: usize,
    counts: FxHashMap<&'a str, usize>,
    /// Answers of more than four words.
    long: usize,
}

impl<'a> Profile<'a> {
    /// The profile `decide` needs for a column of `role`, from its answers counted (see
    /// `count_columns`). The tool's identifying and bookkeeping columns are decided by their
    /// role alone, so of them only what `ColumnInfo` shows is worked out (how many answered;
    /// for bookkeeping, how many distinct): they are mostly unique values (ids, names, times),
    /// whose ordered set and word counts were most of inference's work.
    fn of(answered: usize, counts: FxHashMap<&'a str, usize>, role: ColumnRole) -> Profile<'a> {
        if role == ColumnRole::Identifier {
            return Profile {
                answered,
                unique: BTreeSet::new(),
                distinct: 0,
                counts,
                long: 0,
            };
        }
        // Only how many: hashed, not ordered (a comment column has thousands of keys).
        let distinct = counts
            .keys()
            .map(|v| label_key(v))
            .collect::<rustc_hash::FxHashSet<_>>()
            .len();
        if role == ColumnRole::Metadata {
            return Profile {
                answered,
                unique: BTreeSet::new(),
                distinct,
                counts,
                long: 0,
            };
        }
        // Tests that do not depend on how often a value occurs look at each value once (a
        // sample is tens of thousands of rows of a few distinct codes).
        let unique: BTreeSet<&str> = counts.keys().copied().collect();
        let long = counts
            .iter()
            .filter(|(v, _)| v.split_whitespace().nth(4).is_some())
            .map(|(_, n)| n)
            .sum();
        Profile {
            answered,
            unique,
            distinct,
            counts,
            long,
        }
    }

    /// Share of answers that some other respondent gave word for word: choices repeat,
    /// comments rarely do. "None", "N/A", "Nothing" are left out: a comment box where most
    /// people wrote "None" is still a comment box.
    fn repeated_share(&self) -> f64 {
        let said = self.counts.iter().filter(|(v, _)| !is_nothing(v));
        let (repeated, answered) = said.fold((0, 0), |(r, a), (_, &n)| {
            (if n > 1 { r + n } else { r }, a + n)
        });
        repeated as f64 / answered.max(1) as f64
    }

    /// Distinct answers other than "None", "N/A" and the like.
    fn distinct_said(&self) -> usize {
        self.counts.keys().filter(|v| !is_nothing(v)).count()
    }

    fn all_numbers(&self) -> bool {
        self.unique.iter().all(|v| v.parse::<f64>().is_ok())
    }

    /// Numbers written with a decimal comma ("1,54", "72,5"), as French, German, Spanish and
    /// most other European locales write them: every answer is digits with at most one comma,
    /// and some comma is not a thousands separator (its fraction is not three digits). Codes
    /// joined by a comma ("1,2" beside "1" and "2": a check-all question's) are not numbers:
    /// where half the answers with a comma join two answers given alone, or every one joins two
    /// small codes in the order tools write them ("3,6", "4,5"), the column is codes.
    fn decimal_commas(&self) -> bool {
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        let small = |s: &str| !s.starts_with('0') && s.parse::<u8>().is_ok_and(|n| n <= 20);
        let (mut decimal, mut commas, mut joined, mut in_order) = (false, 0, 0, 0);
        for v in &self.unique {
            let (whole, fraction) = v.split_once(',').unwrap_or((v, ""));
            if !digits(whole.strip_prefix('-').unwrap_or(whole)) {
                return false;
            }
            if v.contains(',') {
                if !digits(fraction) {
                    return false;
                }
                decimal |= fraction.len() != 3;
                commas += 1;
                joined +=
                    usize::from(self.unique.contains(whole) && self.unique.contains(fraction));
                let ascending = whole.parse::<u8>().ok() < fraction.parse::<u8>().ok();
                in_order += usize::from(small(whole) && small(fraction) && ascending);
            }
        }
        decimal && joined * 2 < commas && in_order < commas
    }

    /// A quantity typed into a text box: nine answers in ten or more are numbers, of at least
    /// ten different values that recur ("10", "20", "5" … beside "40+", "6 or more", "29v"),
    /// grouped by thousands or opening with a currency sign as `quantity::parse` reads them.
    /// Option codes take few values, and ids do not recur. The others are counted apart when
    /// the question is scored. `(numbers, answers)` when so.
    fn mostly_numbers(&self) -> Option<(usize, usize)> {
        let mut numbers = 0;
        let mut values = 0;
        for (v, n) in &self.counts {
            if crate::quantity::parse(v).is_some() {
                numbers += n;
                values += 1;
            }
        }
        // Amounts typed freely ("$3,000", "10,000") recur less than counts do, but round
        // figures come back again and again; an id never does.
        let top = (self.counts.iter())
            .filter(|(v, _)| crate::quantity::parse(v).is_some())
            .map(|(_, &n)| n)
            .max()
            .unwrap_or(0);
        let recur = self.counts.len() * 2 < self.answered
            || (self.counts.len() * 4 < self.answered * 3 && top >= 3);
        (numbers * 10 >= self.answered * 9 && values >= 10 && recur)
            .then_some((numbers, self.answered))
    }

    fn sizes(&self) -> Vec<usize> {
        let mut sizes: Vec<usize> = self.counts.values().copied().collect();
        sizes.sort_unstable_by(|a, b| b.cmp(a));
        sizes.truncate(20);
        sizes
    }
}

/// Columns counted together in one pass over a sample's rows.
const COLUMNS_PER_PASS: usize = 4;

/// For each of `columns` (indexes into `raw.columns`), how many rows answered it and, where
/// `counted(column)`, how often each trimmed non-blank answer occurs, inserted in row order.
/// A row's cells sit together in memory and a column's do not, so the rows are walked once per
/// few columns rather than once per column (walking one column missed the cache at every
/// row); the groups of columns go to the cores. Counts per column are as a walk down that
/// column alone would make them, whatever the thread count.
pub(crate) fn count_columns<'a>(
    raw: &'a RawExport,
    columns: &[usize],
    counted: impl Fn(usize) -> bool + Sync,
) -> Vec<(usize, FxHashMap<&'a str, usize>)> {
    // What the tool writes for a question it did not show is no answer (Ona's "n/a").
    let not_shown = raw.source.format.not_shown_marker().unwrap_or("");
    let groups: Vec<Vec<(usize, FxHashMap<&str, usize>)>> = columns
        .par_chunks(COLUMNS_PER_PASS)
        .map(|group| {
            let mut out = vec![(0, FxHashMap::default()); group.len()];
            for row in &raw.rows {
                for (&c, (answered, counts)) in group.iter().zip(out.iter_mut()) {
                    let v = crate::model::trim_cell(&row.cells[c]);
                    if v.is_empty() || v == not_shown {
                        continue;
                    }
                    *answered += 1;
                    if counted(c) {
                        *counts.entry(v).or_insert(0) += 1;
                    }
                }
            }
            out
        })
        .collect();
    groups.into_iter().flatten().collect()
}

fn date_re() -> &'static Regex {
    // expect: a literal pattern, compiled the first time any test runs it; it cannot fail at run time.
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"^(\d{4}[-/]\d{1,2}[-/]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})([ T,]+\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?\s*([ap]m)?\s*[A-Za-z]{0,5}Z?)?$|^\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(\s*[ap]m)?([+-]\d{2}:?\d{2}|Z)?$")
            .expect("static regex")
    })
}

/// Guesses every column's kind from its name, its question and its values.
pub fn columns(raw: &RawExport) -> Vec<ColumnInfo> {
    let (mut infos, profiles) = by_rules(raw);
    let features = features::features(raw, &infos, &profiles);
    learned::correct(&mut infos, &profiles, &features);
    // Evidence from the whole export that no feature of one column carries: the model would
    // take numbered choices back to numbers.
    numbers::settle_numbered_choices(&mut infos, &profiles, raw);
    // After the model, which read a list's sparse entries (a name or two each) as comments.
    roster::settle_rosters(&mut infos, &profiles);
    infos
}

/// Every column's kind as the rules decide it, with the features the learned model reads of it
/// (`features::NAMES`): what `inspect --features` prints to train the model again.
pub fn with_features(raw: &RawExport) -> (Vec<ColumnInfo>, Vec<Vec<f32>>) {
    let (infos, profiles) = by_rules(raw);
    let features = features::features(raw, &infos, &profiles);
    (infos, features)
}

/// Every column's kind by the rules, with the profiles of its answers.
fn by_rules(raw: &RawExport) -> (Vec<ColumnInfo>, Vec<Profile<'_>>) {
    // Columns are independent until matrices are compared: one per task.
    let roles: Vec<ColumnRole> = raw
        .columns
        .iter()
        .map(|c| roles::column_role(raw.source.format, c, &[], &[]))
        .collect();
    let all: Vec<usize> = (0..raw.columns.len()).collect();
    let counted = count_columns(raw, &all, |i| roles[i] != ColumnRole::Identifier);
    let profiles: Vec<Profile> = counted
        .into_par_iter()
        .zip(roles)
        .map(|((answered, counts), role)| Profile::of(answered, counts, role))
        .collect();
    let mut infos: Vec<ColumnInfo> = raw
        .columns
        .par_iter()
        .zip(profiles.par_iter())
        .map(|(c, p)| decide(raw.source.format, c, p))
        .collect();
    for (info, column) in infos.iter_mut().zip(&raw.columns) {
        info.matrix = matrix_of(column);
    }
    option_first::settle_option_first(&mut infos);
    settle_matrices(&mut infos, &profiles, raw.source.format);
    options::settle_option_columns(&mut infos, &profiles, &raw.rows);
    label_columns::settle_label_columns(&mut infos, &profiles);
    battery::settle_batteries(&mut infos, &profiles, raw.source.format);
    runs::settle_runs(&mut infos, &profiles);
    settle_single_spread(&mut infos, &profiles, raw);
    for (i, info) in infos.iter_mut().enumerate() {
        if info.kind == Kind::Numeric
            && evidence::record_numbers(raw.rows.iter().map(|r| r.cells[i].as_str()))
        {
            info.distinct = 0;
            info.set(
                Kind::Identifier,
                "whole numbers, a different one on every row and rising row by row: record or submission numbers",
            );
        }
    }
    (infos, profiles)
}

/// Column `i`'s kind, seen with its siblings (a matrix row reads as its matrix does).
pub fn column(raw: &RawExport, i: usize) -> Option<ColumnInfo> {
    columns(raw).into_iter().nth(i)
}

/// One column's kind from its own evidence.
fn decide(format: Format, column: &RawColumn, p: &Profile) -> ColumnInfo {
    let mut info = ColumnInfo::new(column, p);
    let values: Vec<&str> = p.unique.iter().copied().collect();
    match roles::column_role(format, column, &[], &[]) {
        ColumnRole::Identifier => {
            info.distinct = 0;
            let why = roles::asks_for_personal_details(&column.name, &column.question)
                .map(|what| format!("the question asks for {what}"))
                .unwrap_or_else(|| {
                    "the tool's identifying column (ids, contact details, location)".into()
                });
            info.set(Kind::Identifier, why);
            return info;
        }
        ColumnRole::Metadata => {
            info.set(Kind::Metadata, "the tool's own bookkeeping column");
            return info;
        }
        ColumnRole::Answer => {}
    }
    let computed = equation::equation(&column.name, &column.question);
    if computed == Some(equation::Equation::Value) {
        info.set(
            Kind::Metadata,
            "a value the survey computes (an equation: a drawn position, a joined code), not a question",
        );
        return info;
    }
    if p.answered == 0 {
        info.set(Kind::Empty, "no answers");
        return info;
    }
    if computed == Some(equation::Equation::Flag) {
        info.group_sizes = p.sizes();
        info.set(
            Kind::SingleChoice,
            "a condition the survey computes from other answers (an equation's flag), not a question",
        );
        return info;
    }
    let dates = values.iter().all(|v| date_re().is_match(v));
    if let Some(what) = evidence::identifying_values(&values).filter(|_| !dates) {
        info.distinct = 0;
        info.set(Kind::Identifier, format!("the answers are {what}"));
        return info;
    }
    let said: Vec<(&str, usize)> = p
        .counts
        .iter()
        .filter(|(v, _)| !is_nothing(v))
        .map(|(v, n)| (*v, *n))
        .collect();
    if let Some(what) = evidence::web_addresses(&said) {
        info.distinct = 0;
        info.set(Kind::Identifier, format!("the answers are {what}"));
        return info;
    }
    if let Some(what) = evidence::coordinate_part(&column.name, &values) {
        info.distinct = 0;
        info.set(Kind::Identifier, format!("the answers are {what}"));
        return info;
    }
    let header = format!("{} {}", column.name, column.question);
    let ids = evidence::unique_codes(&header, &values, p.answered)
        .or_else(|| evidence::mostly_different_ids(&header, &values, p.answered));
    if let Some(what) = ids.filter(|_| !dates) {
        info.distinct = 0;
        info.set(Kind::Identifier, format!("the answers are {what}"));
        return info;
    }
    if let Some((recognised, codes)) = scale_from_choices(&column.choices) {
        info.scale = Some(recognised.name);
        info.labels = recognised.labels;
        info.codes = codes;
        info.set(
            Kind::Likert,
            "the tool's answer options are an ordered scale",
        );
        return info;
    }
    // A text box a survey's script fills is no one's answer.
    if values.iter().all(|v| is_stored_object(v)) {
        info.set(
            Kind::Metadata,
            "data a script stored with the response (JSON objects), not an answer typed",
        );
        return info;
    }
    if values.iter().all(|v| is_machine_log(v)) {
        info.set(
            Kind::Metadata,
            "a log a script wrote into the answer (long runs of joined codes and timings), not an answer typed",
        );
        return info;
    }
    if is_text_entry(column) && !p.all_numbers() {
        info.set(Kind::FreeText, "the tool marks it as a text entry");
        return info;
    }
    if let Some(r) = scales::recognise(&p.unique) {
        let reason = format!(
            "answers are labels of one ordered scale ({} points)",
            r.labels.len()
        );
        info.rate(&r, reason);
        info.group_sizes = p.sizes();
        return info;
    }
    if let Some((r, strays)) = scale_beside_write_ins(p) {
        let reason = format!(
            "answers are labels of one ordered scale ({} points); rare answers off it left unscored: {}",
            r.labels.len(),
            some_of(&strays)
        );
        info.rate(&r, reason);
        info.not_applicable.extend(strays);
        info.group_sizes = p.sizes();
        return info;
    }
    // ODK's and Ona's exports write "n/a" where no file was taken.
    let mut given = values
        .iter()
        .filter(|v| !scales::is_non_substantive(v))
        .peekable();
    if given.peek().is_some() && given.all(|v| is_file_reference(v)) {
        info.set(Kind::Metadata, "paths of files uploaded with the response");
        return info;
    }
    if p.all_numbers() {
        decide_numeric(&mut info, format, column, p, &values);
        return info;
    }
    if p.decimal_commas() && !asks_for_all_that_apply(&header) {
        info.decimal_comma = true;
        info.set(
            Kind::Numeric,
            "every answer is a number written with a decimal comma (\"1,5\")",
        );
        return info;
    }
    if dates {
        info.set(Kind::Date, "every answer is a date or time");
        return info;
    }
    if let Some((numbers, answers)) = p.mostly_numbers() {
        info.set(
            Kind::Numeric,
            format!("{numbers} of {answers} answers are numbers, of many values (a quantity typed in; the rest are counted apart)"),
        );
        return info;
    }
    let asks_for_all = asks_for_all_that_apply(&header);
    if !column.open && is_multi_select(format, &p.counts, asks_for_all) {
        info.set(
            Kind::MultiSelect,
            "answers join several options with a separator",
        );
        return info;
    }
    decide_text(&mut info, p, column.open);
    info
}

/// An answer that says there is nothing to say.
fn is_nothing(v: &str) -> bool {
    // The longest of them has 15 letters: a longer answer (most comments) is not keyed.
    if v.chars().filter(|c| c.is_alphanumeric()).nth(15).is_some() {
        return false;
    }
    matches!(
        label_key(v).as_str(),
        "" | "none"
            | "no"
            | "na"
            | "nothing"
            | "nil"
            | "nope"
            | "nocomment"
            | "nocomments"
            | "notapplicable"
            | "nothingtoadd"
            | "nothingelse"
            | "noneatall"
            | "notreally"
            | "noothercomments"
            | "idk"
    )
}

/// A scale beside a few answers typed after "Other" (Google Forms writes them into the
/// question's own column): of a hundred answers or more, each of the rest given at most twice
/// and all of them under 1 %, while the others are one scale of three points or more ("Poor …
/// Excellent" beside "Disabled"). The typed answers are left unscored, as a grid's strays are.
fn scale_beside_write_ins(p: &Profile) -> Option<(scales::Recognised, Vec<String>)> {
    if p.answered < 100 {
        return None;
    }
    let (strays, common): (Vec<&str>, Vec<&str>) = p
        .unique
        .iter()
        .copied()
        .partition(|v| p.counts.get(v).copied().unwrap_or(0) <= 2);
    let stray_answers: usize = strays
        .iter()
        .map(|v| p.counts.get(v).copied().unwrap_or(0))
        .sum();
    if strays.is_empty() || stray_answers * 100 >= p.answered {
        return None;
    }
    let found = scales::recognise(&common.into_iter().collect())?;
    // The survey file holds at most so many answers set aside; a run would refuse more.
    let room = crate::config::survey::MAX_NON_SUBSTANTIVE;
    let fits = found.non_substantive.len() + strays.len() <= room;
    (found.labels.len() >= 3 && fits)
        .then(|| (found, strays.iter().map(|s| s.to_string()).collect()))
}

/// A few of `values` for a reason `inspect` prints on one line, and how many more there are:
/// the survey file lists them all.
fn some_of<S: AsRef<str>>(values: &[S]) -> String {
    const SHOWN: usize = 8;
    let shown: Vec<&str> = values.iter().take(SHOWN).map(AsRef::as_ref).collect();
    match values.len().saturating_sub(SHOWN) {
        0 => shown.join(", "),
        more => format!("{} and {more} more", shown.join(", ")),
    }
}

/// Words of a question that asks for a comment, in English and the languages whose scales
/// canvass reads ("comentarios", "précisez", "Anmerkungen", "suggerimenti", "opmerkingen").
fn asks_for_comment(text: &str) -> bool {
    // expect: a literal pattern, compiled the first time any test runs it; it cannot fail at run time.
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(concat!(
            r"(?i)\b(comments?|feedback|explain|describe|suggestions?|why|anything else|improve|tell us|in your own words|other \(please specify\)|please specify",
            r"|comentarios?|sugerencias?|observaciones|explique|describa|por\s+qu[eé]|especifique|con\s+sus\s+propias\s+palabras",
            r"|commentaires?|remarques|pr[ée]cisez|pourquoi|expliquez|d[ée]crivez|avec\s+vos\s+propres\s+mots",
            r"|anmerkungen|kommentare?|bemerkungen|anregungen|warum|beschreiben\s+sie|erl[äa]utern\s+sie|bitte\s+angeben",
            r"|commenti|suggerimenti|osservazioni|perch[ée]|specificare|descriva",
            r"|coment[áa]rios?|sugest[õo]es|observa[çc][õo]es|descreva|especifique",
            r"|opmerkingen|suggesties|toelichting|waarom|beschrijf|licht\s+toe)\b"
        ))
        .expect("static regex")
    })
    .is_match(text)
}

/// A box for what a respondent typed when no option fitted: "If other, please specify",
/// "Other (specify)", "specify_others", "Si otro, especifique", "Autre, précisez", "Altro
/// (specificare)", "Andere, bitte angeben". Its answers recur (the same clinic, "None") and are
/// still typed. The prompt opens the header: a question that only mentions it ("Which
/// department? (If other, please specify)", Google Forms' choice with its "Other" box in the
/// same column) is the choice.
fn asks_to_specify_other(text: &str) -> bool {
    // expect: a literal pattern, compiled the first time any test runs it; it cannot fail at run time.
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(concat!(
            r"(?i)\b(if|when)\s+(any\s+)?other\b|\bother\b.{0,30}\bspecify\b|\bspecify[\s_]+(the\s+)?others?\b",
            r"|\b(si|en\s+caso\s+de)\s+(otr[oa]s?|autre)\b|\b(otr[oa]s?|autres?|outr[oa]s?|altr[oi]|andere|anders)\b.{0,30}\b(especifi\w*|pr[ée]cise\w*|specifica\w*|bitte\s+angeben|namelijk)\b"
        ))
        .expect("static regex")
    })
    .find(text)
    .is_some_and(|m| text[..m.start()].chars().all(|c| !c.is_alphanumeric()))
}

/// Text answers: free entry, a choice, or free entry so varied and short it identifies people.
fn decide_text(info: &mut ColumnInfo, p: &Profile, text_box: bool) {
    let mostly_long = p.long * 3 > p.answered;
    if asks_to_specify_other(&info.name.replace('_', " ")) || asks_to_specify_other(&info.question)
    {
        info.set(
            Kind::FreeText,
            "the question asks what an \"Other\" answer was: typed, however often answers recur",
        );
        return;
    }
    // ODK and REDCap name columns in snake case within group paths ("…/comment_tag_colour").
    let name_words = info.name.replace(['_', '/'], " ");
    let comment_box = asks_for_comment(&format!("{name_words} {}", info.question));
    // A few answers, none given twice, to a question that asks for comments are comments:
    // too few to tell by their variety alone.
    // A yes or a no is no comment, however few gave it (a pilot's "Did the trainer explain …?").
    let yes_or_no = |v: &str| {
        let v = v.trim().to_lowercase();
        grid::TICKED.contains(&v.as_str()) || grid::UNTICKED.contains(&v.as_str())
    };
    let few_unrepeated = p.answered >= 1
        && p.counts.values().all(|&n| n == 1)
        && !p.counts.keys().any(|v| yes_or_no(v));
    if comment_box
        && (few_unrepeated || p.distinct_said() > 12.min(p.answered / 2).max(2))
        && p.repeated_share() < 0.5
    {
        info.set(
            Kind::FreeText,
            "the question asks for comments and the answers vary",
        );
        return;
    }
    let repeated = p.repeated_share() >= 0.5;
    let mostly_distinct = p.distinct * 10 >= p.answered * 8;
    let said: Vec<(&str, usize)> = p.counts.iter().map(|(v, n)| (*v, *n)).collect();
    if let Some(what) = evidence::proper_names(&said).filter(|_| mostly_distinct) {
        info.distinct = 0;
        info.set(Kind::Identifier, format!("the answers are {what}"));
        return;
    }
    if p.answered >= 20 && mostly_distinct && p.long * 5 < p.answered && !typed_in_words(info, p) {
        info.distinct = 0;
        info.set(
            Kind::Identifier,
            "short entries, nearly all different: names, ids or contact details rather than choices or comments",
        );
    } else if text_box {
        info.set(
            Kind::FreeText,
            "the tool's header marks a text box (\"Open-Ended Response\"): typed answers, however often they recur",
        );
    } else if repeated || (!mostly_long && p.distinct <= 12) {
        info.group_sizes = p.sizes();
        info.set(
            Kind::SingleChoice,
            "a few answers, repeated across respondents",
        );
    } else {
        info.set(Kind::FreeText, "answers in respondents' own words");
    }
}

/// Short, different answers that are words typed to a question, not names or ids: under an
/// "Other" option's own column (Typeform's "Other", the write-ins of a check-all question), or
/// answers of several words each to a question asked in words ("What was your previous role
/// …?": job titles). A name or an id is asked for by its header (`ingest::roles`) or looks like
/// one (`evidence::proper_names`), both decided before this.
fn typed_in_words(info: &ColumnInfo, p: &Profile) -> bool {
    let header = label_columns::without_occurrence(&info.name);
    if is_other_option(header) && header.split_whitespace().count() <= 3 {
        return true;
    }
    let question = info.label().trim();
    let asked = question.ends_with('?') && question.split_whitespace().count() >= 4;
    let worded = p
        .counts
        .keys()
        .filter(|v| v.trim().contains(' ') && v.chars().any(char::is_alphabetic))
        .count();
    asked && worded * 2 > p.counts.len()
}

/// A media file saved with a response (SurveyCTO's `media\dolphin-….jpg`, LimeSurvey's upload
/// JSON, Ona's and KoboToolbox's links to a photo's attachment).
fn is_file_reference(v: &str) -> bool {
    // expect: a literal pattern, compiled the first time any test runs it; it cannot fail at run time.
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r#"(?i)^(media[\\/]\S+|[^\n\\/]{0,120}\S\.(jpe?g|png|gif|heic|mp3|mp4|m4a|wav|amr|3gp|pdf|docx?|csv))$|^\[\{\s*"title"|^https?://\S+(\.(jpe?g|png|gif|heic|mp3|mp4|m4a|wav|amr|3gp|pdf|docx?|csv)|/attachments/\S+)$"#)
            .expect("static regex")
    });
    re.is_match(v)
}

/// A JSON object or list of objects, as a survey's script stores state in a hidden answer
/// (LimeSurvey's and Qualtrics' JavaScript writing a randomised assignment): no one types one.
fn is_stored_object(v: &str) -> bool {
    let v = v.trim();
    let object = v.starts_with('{') && v.ends_with('}');
    let list = v.starts_with("[{") && v.ends_with("}]");
    (object || list) && v.contains("\":")
}

/// Fewest parts of a script's log in one answer.
const MIN_LOG_PARTS: usize = 10;

/// A record a survey's script writes into a text box (an implicit-association test's trials:
/// "24C892,31C690,…,END"): many comma-joined tokens without spaces, most of them letters and
/// digits mixed. A check-all answer's option codes are digits alone; typed text has spaces.
fn is_machine_log(v: &str) -> bool {
    let v = v.trim();
    if v.contains(char::is_whitespace) {
        return false;
    }
    let parts: Vec<&str> = v.split(',').collect();
    let mixed = parts
        .iter()
        .filter(|p| {
            p.chars().any(|c| c.is_ascii_digit()) && p.chars().any(|c| c.is_ascii_alphabetic())
        })
        .count();
    parts.len() >= MIN_LOG_PARTS && mixed * 2 >= parts.len()
}

/// A text-entry column by the tool's marks: Qualtrics' `QID2_TEXT`, LimeSurvey's `[other]` and
/// `[comment]` fields.
fn is_text_entry(column: &RawColumn) -> bool {
    let name = column.name.to_lowercase();
    column
        .import_id
        .as_deref()
        .is_some_and(|id| id.ends_with("_TEXT") || id.ends_with("-TEXT"))
        || name.ends_with("_text")
        || is_other_box(&name)
        || name.ends_with("[comment]")
        || name.contains("[other].")
        || name.contains("[comment].")
}

/// An "Other" option, whose column holds what the respondent typed: "Other (please
/// specify)", "Autre", "Otro (especifique)".
fn is_other_option(option: &str) -> bool {
    let lower = option.to_lowercase();
    let first = lower
        .split(|c: char| !c.is_alphanumeric())
        .find(|w| !w.is_empty())
        .unwrap_or("");
    OTHER_WORDS.contains(&first)
        || [
            "specify",
            "bitte angeben",
            "précise",
            "preciser",
            "especifi",
            "specifica",
            "specificeer",
        ]
        .iter()
        .any(|w| lower.contains(w))
}

/// "Other" in the languages LimeSurvey and SurveyMonkey exports come in.
const OTHER_WORDS: &[&str] = &[
    "other",
    "autre",
    "autres",
    "otro",
    "otra",
    "otros",
    "otras",
    "andere",
    "sonstige",
    "sonstiges",
    "outro",
    "outra",
    "outros",
    "altro",
    "altri",
    "altra",
    "anders",
    "overig",
    "overige",
    "lainnya",
];

/// LimeSurvey's "Other" box of a question, `Q5[other]` or, with question texts as headers,
/// "Where do you live? [Other]" in the survey's language ("[Autre]", "[Otro]", "[Andere]").
fn is_other_box(lower_name: &str) -> bool {
    lower_name
        .trim_end()
        .strip_suffix(']')
        .and_then(|n| n.rsplit_once('['))
        .is_some_and(|(_, inside)| OTHER_WORDS.contains(&inside.trim()))
}

/// The matrix a column is a row of: LimeSurvey's `B11[SQ001]`, Qualtrics' `Q3_1`, a Google
/// Forms grid's `Question [Row]`, or SurveyMonkey's `Question - Row`.
fn matrix_of(column: &RawColumn) -> Option<String> {
    // expect: a literal pattern, compiled the first time any test runs it; it cannot fail at run time.
    static RES: OnceLock<[Regex; 3]> = OnceLock::new();
    let [lime, numbered, bracketed] = RES.get_or_init(|| {
        [
            Regex::new(r"^([A-Za-z][A-Za-z0-9]*)\[([A-Za-z0-9_]+)\]").expect("static regex"),
            Regex::new(r"^([A-Za-z][A-Za-z0-9_]*?)_(?:-?\d+|O\d+)$").expect("static regex"),
            Regex::new(r"^(.*?\S)\s*(\[[^\]]+\]\s*)+$").expect("static regex"),
        ]
    });
    if equation::equation(&column.name, &column.question).is_some()
        || is_other_box(&column.name.to_lowercase())
    {
        return None;
    }
    if let Some(question) = column.import_id.as_deref().and_then(qualtrics_question) {
        return Some(question);
    }
    if let Some(c) = lime.captures(&column.name) {
        let row = c[2].to_ascii_lowercase();
        return (row != "other" && row != "comment").then(|| c[1].to_string());
    }
    if let Some(c) = numbered.captures(&column.name) {
        return Some(c[1].to_string());
    }
    if let Some(c) = bracketed.captures(&column.name) {
        return Some(c[1].to_string());
    }
    column
        .question
        .rsplit_once(" - ")
        .map(|(stem, _)| stem.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// The question of a Qualtrics column whose ImportId names a part of it: `QID4` of `QID4-1-2`
/// and `QID4_1`, `QID6#2` of a side-by-side's `QID6#2-3` (each side its own grid). Not a text
/// entry's `QID4_TEXT`, not a question of one column.
fn qualtrics_question(import_id: &str) -> Option<String> {
    // expect: a literal pattern, compiled the first time any test runs it; it cannot fail at run time.
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| Regex::new(r"^(QID\d+(?:#\d+)?)[-_](.+)$").expect("static regex"));
    let c = re.captures(import_id)?;
    (!c[2].to_ascii_uppercase().contains("TEXT")).then(|| c[1].to_string())
}

/// One column per option, ticked as `1` (Qualtrics, SurveyMonkey) or `0`/`1` (REDCap's
/// `var___code` columns). REDCap names every checkbox option's column `var___code`, so there a
/// column of only 1s without it is a yes/no or radio field whose answers all happened to be
/// code 1 (REDCap's raw export writes codes, not labels).
fn is_checkbox(format: Format, name: &str, distinct: &BTreeSet<&str>) -> bool {
    let option_column = name.contains("___");
    if format == Format::Redcap && !option_column {
        return false;
    }
    let only_one = distinct.len() == 1 && distinct.contains("1");
    let zero_one = distinct.iter().all(|v| *v == "0" || *v == "1");
    only_one || (zero_one && option_column)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts<'a>(values: &[&'a str]) -> FxHashMap<&'a str, usize> {
        let mut c = FxHashMap::default();
        for v in values {
            *c.entry(*v).or_insert(0) += 1;
        }
        c
    }

    #[test]
    fn a_reason_lists_a_few_values_and_counts_the_rest() {
        let values: Vec<String> = (1..=12).map(|v| v.to_string()).collect();
        assert_eq!(some_of(&values[..3]), "1, 2, 3");
        assert_eq!(some_of(&values), "1, 2, 3, 4, 5, 6, 7, 8 and 4 more");
    }

    #[test]
    fn joined_answers_split_beside_any_character_without_slicing_inside_one() {
        // A Qualtrics choice text export: "Bachelor’s degree" puts a three-byte apostrophe right
        // after a letter the splitter steps over; it panicked slicing inside it.
        assert_eq!(
            split_outside_brackets("Master’s degree,Bachelor’s degree", ","),
            ["Master’s degree", "Bachelor’s degree"]
        );
        assert_eq!(
            split_outside_brackets("’s,é, à (x,y)", ","),
            ["’s", "é, à (x,y)"]
        );
    }

    #[test]
    fn dates_and_multi_select() {
        assert!(date_re().is_match("2023/11/13 4:20:37 pm CET"));
        assert!(date_re().is_match("6/20/24 13:28"));
        assert!(date_re().is_match("2024-03-14 09:51:14"));
        assert!(is_multi_select(
            Format::GoogleForms,
            &counts(&[
                "Sunday;Monday",
                "Monday",
                "Sunday;Tuesday",
                "Tuesday;Monday"
            ]),
            false
        ));
        assert!(!is_multi_select(
            Format::GoogleForms,
            &counts(&[
                "I liked it; it was fun",
                "Great course",
                "Too long; too hot"
            ]),
            false
        ));
        // Google Forms joins options with ", ", and an option may be a sentence of seven words
        // or more (AutisticaCitizenScience's form, tests/fixtures/unseen/google-forms).
        assert!(is_multi_select(
            Format::GoogleForms,
            &counts(&[
                "I am autistic",
                "I am autistic, I am a parent/ guardian of someone autistic",
                "I am a parent/ guardian of someone autistic",
                "I know someone who is autistic, I have another personal connection to autism",
                "I am autistic, I know someone who is autistic",
                "I have another personal connection to autism"
            ]),
            false
        ));
        // LimeSurvey labels hold commas; its multi-select questions have a column per option.
        assert!(!is_multi_select(
            Format::Limesurvey,
            &counts(&[
                "Yes, to some extent",
                "Yes, to a great extent",
                "No",
                "Yes, to some extent"
            ]),
            false
        ));
    }

    #[test]
    fn matrices_by_each_tools_naming() {
        let col = |name: &str, question: &str| RawColumn {
            name: name.into(),
            question: question.into(),
            import_id: None,
            ..Default::default()
        };
        assert_eq!(matrix_of(&col("B11[SQ001]", "")).as_deref(), Some("B11"));
        assert_eq!(matrix_of(&col("B7[other]", "")), None);
        assert_eq!(matrix_of(&col("Q5_1_-1", "")).as_deref(), Some("Q5_1"));
        assert_eq!(
            matrix_of(&col("Rate these [Lunch]", "Rate these [Lunch]")).as_deref(),
            Some("Rate these")
        );
        assert_eq!(
            matrix_of(&col("Please rate - Lunch", "Please rate - Lunch")).as_deref(),
            Some("Please rate")
        );
        assert_eq!(matrix_of(&col("animal", "")), None);
    }

    #[test]
    fn comments_are_asked_for_in_the_languages_surveys_are_written_in() {
        for text in [
            "Any other comments?",
            "¿Tiene algún comentario o sugerencia?",
            "Autre (précisez)",
            "Haben Sie weitere Anmerkungen?",
            "Suggerimenti per migliorare il servizio",
            "Comentários adicionais",
            "Heeft u nog opmerkingen?",
        ] {
            assert!(asks_for_comment(text), "{text}");
        }
        assert!(!asks_for_comment("¿Cuál es su edad?"));
    }
}
#[cfg(test)]
mod other_boxes {
    #[test]
    fn boxes_for_an_other_answer_are_told_by_their_words() {
        for text in [
            "If other, please specify.",
            "If other answer, please specify",
            "specify others",
            "Other (specify)",
            "Si otro, especifique",
            "Autre, précisez",
            "Altro (specificare)",
            "Andere, bitte angeben",
        ] {
            assert!(super::asks_to_specify_other(text), "{text}");
        }
        for text in [
            "Other comments",
            "If not easy, please specify why.",
            "Which other tools do you use?",
            "Which department do you work in? (If other, please specify)",
        ] {
            assert!(!super::asks_to_specify_other(text), "{text}");
        }
    }
}
