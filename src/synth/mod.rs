//! Synthetic exports: `canvass synth` writes what a survey tool would download for a survey
//! definition, with the tool's own header rows and metadata, so that a pipeline can be tested
//! before data arrive (and the benchmarks have a realistic input).
//!
//! Answers come from a latent-trait model: each respondent has a general score (plus an effect
//! of each segment group they are in), each multi-item scale a score correlated with it, and
//! each item's answer is its scale's score plus noise, cut into the response scale's options;
//! reverse-keyed items (`"item-"`) run the other way. Previews, tests, unfinished and duplicate
//! responses appear at realistic rates, marked as the tool marks them.
//!
//! Every row is drawn from its own generator, seeded from the seed and the row's number, and
//! every respondent's traits from theirs: the output is the same bytes for the same inputs,
//! rows can be recomputed (a duplicate re-uses an earlier respondent without remembering it),
//! and rows are written as they are drawn, so memory does not grow with the number of rows.

mod comments;
mod generic;
mod google_forms;
mod qualtrics;
mod questions;
mod surveymonkey;

use crate::config::survey::ResolvedSurvey;
use crate::config::Survey;
use crate::error::{Error, Result};
use crate::ingest::detect::norm;
use crate::model::{Column, ColumnRole};
use rand_xoshiro::rand_core::{RngCore, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use std::io::Write;
use std::path::Path;

/// Which tool's export to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Layout {
    /// Qualtrics CSV: 3 header rows (ids, question texts, ImportId JSON), 17 metadata columns.
    Qualtrics,
    /// SurveyMonkey CSV: 2 header rows (questions, "Response"), its metadata columns.
    Surveymonkey,
    /// Google Forms CSV: `Timestamp`, the e-mail address and one column per question.
    GoogleForms,
    /// A plain CSV with one header row: id, times, status, progress and the answers.
    Generic,
}

impl Layout {
    /// Whether the tool records previews and tests (marked as such) and unfinished responses.
    fn records(self) -> (bool, bool) {
        match self {
            Layout::Qualtrics | Layout::Generic => (true, true),
            // Partial responses, with no column that says so.
            Layout::Surveymonkey => (false, true),
            // Forms records submitted responses only.
            Layout::GoogleForms => (false, false),
        }
    }
}

/// What to write.
#[derive(Debug, Clone)]
pub struct Options {
    /// Which tool's header rows, metadata columns and markings to write.
    pub layout: Layout,
    /// Rows of responses (header rows aside), including previews, tests, unfinished and
    /// duplicate responses.
    pub responses: usize,
    /// Seed of every draw: the same seed, survey and options give the same bytes.
    pub seed: u64,
    /// Share of respondents (0–1) who answer the free-text question(s).
    pub text_share: f64,
}

/// Rates of the responses a survey's analysis must exclude.
const PREVIEW_RATE: f64 = 0.015;
const TEST_RATE: f64 = 0.01;
const UNFINISHED_RATE: f64 = 0.02;
const DUPLICATE_RATE: f64 = 0.015;
/// Answers left blank, and answers "Don't know" where the scale has such an option.
const BLANK_RATE: f64 = 0.01;
const NON_SUBSTANTIVE_RATE: f64 = 0.015;
/// Groups of a segment, and how far back a duplicate looks for its first response.
const GROUPS: usize = 5;
const DUPLICATE_WINDOW: usize = 200;
/// Rows over which the share of comments is exact.
const TEXT_BLOCK: usize = 20;
/// The first response's time: 2025-10-06 08:00:00, and the rows span two weeks.
const START: i64 = 1_759_737_600;
const SPAN_SECONDS: f64 = 14.0 * 86_400.0;

/// What a response is, as the tool would mark it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A finished response the tool marks nothing on; canvass should keep it.
    Complete,
    /// A preview the tool marks as such (Qualtrics, generic); canvass excludes it.
    Preview,
    /// A test response the tool marks as such (Qualtrics, generic); canvass excludes it.
    Test,
    /// A response abandoned part-way: later questions blank, progress below 100.
    Unfinished,
    /// A second response by an earlier respondent.
    Duplicate,
}

/// How many rows of each kind were written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    /// Data rows written (header rows aside).
    pub rows: usize,
    /// Rows marked as previews.
    pub previews: usize,
    /// Rows marked as tests.
    pub tests: usize,
    /// Rows left unfinished.
    pub unfinished: usize,
    /// Rows that repeat an earlier respondent.
    pub duplicates: usize,
    /// Rows with a comment in (the first) free-text question.
    pub comments: usize,
    /// The rows canvass is expected to keep: those the tool marks nothing on, less duplicates.
    pub expected_kept: usize,
}

/// One closed question as it is synthesised.
#[derive(Debug, Clone)]
pub(crate) struct PlanItem {
    pub column: String,
    pub text: String,
    labels: Vec<String>,
    non_substantive: Option<String>,
    /// Index of its scale's latent score (0: the general score, items in no scale).
    factor: usize,
    reversed: bool,
    /// Where answers centre, in latent units (positive: agreement).
    location: f64,
}

#[derive(Debug, Clone)]
pub(crate) struct PlanSegment {
    pub column: String,
    groups: Vec<String>,
    /// Cumulative shares of the groups.
    cumulative: Vec<f64>,
    /// Each group's shift of the general score.
    effects: Vec<f64>,
}

#[derive(Debug, Clone)]
pub(crate) struct PlanText {
    pub column: String,
    pub text: String,
}

/// The survey resolved into what each row draws from, and the tool's column names.
#[derive(Debug, Clone)]
pub struct Plan {
    pub(crate) items: Vec<PlanItem>,
    pub(crate) segments: Vec<PlanSegment>,
    pub(crate) texts: Vec<PlanText>,
    /// Choice, check-all and number questions, written after the items.
    pub(crate) questions: Vec<questions::PlanQuestion>,
    phrases: Vec<String>,
    /// Latent scores: the general one and one per multi-item scale.
    factors: usize,
    options: Options,
    /// The survey's respondent key, when it names one the layout does not write itself: the
    /// e-mail column is written under this name, so the survey finds its key.
    pub(crate) key: Option<String>,
    /// Whether duplicates repeat the tool's response id too (no respondent key: canvass keys
    /// respondents by the tool's id).
    pub(crate) duplicate_ids: bool,
}

/// One drawn row.
#[derive(Debug, Clone)]
pub struct Row {
    /// 0-based position of the row among the data rows.
    pub index: usize,
    /// The respondent: the row's own number, or an earlier row's for a duplicate.
    pub person: usize,
    /// What the row is (complete, preview, test, unfinished, duplicate).
    pub kind: Kind,
    /// Unix seconds, and seconds taken.
    pub start: i64,
    /// Seconds taken; cut short in proportion for an unfinished row.
    pub duration: i64,
    /// Percent of the survey completed: 100, or 1–99 for an unfinished row.
    pub progress: u32,
    /// Per item: `None` blank, or an index into the labels, then the non-substantive answer.
    answers: Vec<Option<usize>>,
    groups: Vec<usize>,
    comments: Vec<Option<String>>,
    /// The cells of the choice, check-all and number questions, in column order.
    further: Vec<String>,
}

impl Row {
    /// Unix seconds at which the response ended (`start + duration`).
    pub fn end(&self) -> i64 {
        self.start + self.duration
    }

    /// Whether the tool records the response as finished (every kind but unfinished).
    pub fn finished(&self) -> bool {
        self.kind != Kind::Unfinished
    }
}

/// A seeded generator with the few draws synthesis needs.
pub(crate) struct Rng(Xoshiro256PlusPlus);

impl Rng {
    /// The generator of stream `stream`, number `n`, for `seed`.
    fn new(seed: u64, stream: u64, n: u64) -> Rng {
        let mixed = splitmix(splitmix(seed) ^ splitmix(stream.wrapping_mul(0x9E37) ^ n));
        Rng(Xoshiro256PlusPlus::seed_from_u64(mixed))
    }

    fn unit(&mut self) -> f64 {
        (self.0.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn below(&mut self, n: usize) -> usize {
        (((self.0.next_u64() >> 32) * n as u64) >> 32) as usize
    }

    fn normal(&mut self) -> f64 {
        let u1 = 1.0 - self.unit();
        let u2 = self.unit();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }
}

fn splitmix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A hash of the seed and a number, for ids that must be recomputed from the row alone.
pub(crate) fn hash(seed: u64, n: u64) -> u64 {
    splitmix(splitmix(seed ^ 0x5EED) ^ n)
}

const STREAM_PLAN: u64 = 1;
const STREAM_PERSON: u64 = 2;
const STREAM_ROW: u64 = 3;

/// Loadings of a scale's score on the general score, and of an answer on its scale's score.
const GENERAL_LOADING: f64 = 0.6;
const ITEM_LOADING: f64 = 0.8;
const ITEM_NOISE: f64 = 0.6;

impl Plan {
    /// Resolves `survey` (read from `file`, named in errors) for `options`.
    pub fn new(survey: &Survey, file: &Path, options: Options) -> Result<Plan> {
        check(survey, file, &options)?;
        let survey = expand_matrices(survey, file)?;
        let mut rng = Rng::new(options.seed, STREAM_PLAN, 0);
        let refs = survey.resolve(file)?;
        let items = plan_items(&survey, &refs, &mut rng);
        let segments = plan_segments(&survey, &mut rng);
        let texts = survey
            .text
            .iter()
            .map(|t| PlanText {
                column: t.column().to_string(),
                text: t.text.clone(),
            })
            .collect();
        let phrases = survey
            .codebook
            .iter()
            .flat_map(|e| e.phrases.iter())
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty())
            .collect();
        let written: Vec<&str> = items
            .iter()
            .map(|i| i.column.as_str())
            .chain(segments.iter().map(|s| s.column.as_str()))
            .collect();
        let questions = questions::plan(&survey, &written, options.seed);
        let key = survey.respondent.key.clone();
        let duplicate_ids = key.is_none();
        let mut plan = Plan {
            items,
            segments,
            texts,
            questions,
            phrases,
            factors: survey.scales.len() + 1,
            key,
            duplicate_ids,
            options,
        };
        plan.drop_key_the_layout_writes();
        Ok(plan)
    }

    /// A key the layout writes itself (`RecipientEmail` in Qualtrics) needs no renaming.
    fn drop_key_the_layout_writes(&mut self) {
        let own = match self.options.layout {
            Layout::Qualtrics => qualtrics::METADATA.to_vec(),
            Layout::Surveymonkey => surveymonkey::METADATA.to_vec(),
            Layout::GoogleForms => vec!["Timestamp", google_forms::EMAIL],
            Layout::Generic => generic::METADATA.to_vec(),
        };
        let answers: Vec<&str> = self
            .items
            .iter()
            .map(|i| i.column.as_str())
            .chain(self.segments.iter().map(|s| s.column.as_str()))
            .chain(self.texts.iter().map(|t| t.column.as_str()))
            .chain(
                self.questions
                    .iter()
                    .flat_map(|q| q.columns.iter().map(String::as_str)),
            )
            .collect();
        if let Some(k) = &self.key {
            if own.iter().chain(&answers).any(|c| norm(c) == norm(k)) {
                self.key = None;
            }
        }
    }

    /// The options the plan was made with.
    pub fn options(&self) -> &Options {
        &self.options
    }

    /// The e-mail column's name: the survey's respondent key where the layout has no column
    /// of that name, else the tool's own.
    pub(crate) fn email_column<'a>(&'a self, own: &'a str) -> &'a str {
        self.key.as_deref().unwrap_or(own)
    }

    /// The kind of row `index` (its generator's first draw, so it can be recomputed).
    fn kind(&self, index: usize, rng: &mut Rng) -> Kind {
        let (flags, partials) = self.options.layout.records();
        let u = rng.unit();
        let mut edge = 0.0;
        let mut next = |rate: f64, on: bool| {
            if on {
                edge += rate;
            }
            on && u < edge
        };
        if next(PREVIEW_RATE, flags) {
            Kind::Preview
        } else if next(TEST_RATE, flags) {
            Kind::Test
        } else if next(UNFINISHED_RATE, partials) {
            Kind::Unfinished
        } else if next(DUPLICATE_RATE, index > 0) {
            Kind::Duplicate
        } else {
            Kind::Complete
        }
    }

    /// An earlier complete row whose respondent a duplicate at `index` answers again.
    fn first_response(&self, index: usize, rng: &mut Rng) -> Option<usize> {
        let back = 1 + rng.below(index.min(DUPLICATE_WINDOW));
        (0..20)
            .map(|step| index.checked_sub(back + step))
            .take_while(Option::is_some)
            .flatten()
            .find(|&j| {
                let mut r = Rng::new(self.options.seed, STREAM_ROW, j as u64);
                self.kind(j, &mut r) == Kind::Complete
            })
    }

    /// A respondent's latent scores and segment groups.
    fn person(&self, person: usize) -> (Vec<f64>, Vec<usize>) {
        let mut rng = Rng::new(self.options.seed, STREAM_PERSON, person as u64);
        let groups: Vec<usize> = self
            .segments
            .iter()
            .map(|s| {
                let u = rng.unit();
                s.cumulative
                    .iter()
                    .position(|&c| u < c)
                    .unwrap_or(GROUPS - 1)
            })
            .collect();
        let shift: f64 = self
            .segments
            .iter()
            .zip(&groups)
            .map(|(s, &g)| s.effects[g])
            .sum();
        let general = rng.normal() + shift;
        let unique = (1.0 - GENERAL_LOADING * GENERAL_LOADING).sqrt();
        let factors = std::iter::once(general)
            .chain((1..self.factors).map(|_| GENERAL_LOADING * general + unique * rng.normal()))
            .collect();
        (factors, groups)
    }

    /// One item's answer from a latent score: an index into its labels, or past them the
    /// non-substantive answer, or blank.
    fn answer(&self, item: &PlanItem, factors: &[f64], rng: &mut Rng) -> Option<usize> {
        let u = rng.unit();
        if u < BLANK_RATE {
            return None;
        }
        if item.non_substantive.is_some() && u < BLANK_RATE + NON_SUBSTANTIVE_RATE {
            return Some(item.labels.len());
        }
        let sign = if item.reversed { -1.0 } else { 1.0 };
        let z = sign * (item.location + ITEM_LOADING * factors[item.factor])
            + ITEM_NOISE * rng.normal();
        let k = item.labels.len();
        let mid = (k - 1) as f64 / 2.0;
        let step = (k - 1) as f64 / 4.0;
        Some((mid + z * step).round().clamp(0.0, (k - 1) as f64) as usize)
    }

    /// Draws row `index`.
    pub fn row(&self, index: usize) -> Row {
        let seed = self.options.seed;
        let mut rng = Rng::new(seed, STREAM_ROW, index as u64);
        let mut kind = self.kind(index, &mut rng);
        let mut person = index;
        if kind == Kind::Duplicate {
            match self.first_response(index, &mut rng) {
                Some(j) => person = j,
                None => kind = Kind::Complete,
            }
        }
        let (factors, groups) = self.person(person);
        let spacing = SPAN_SECONDS / self.options.responses as f64;
        let start = START + (index as f64 * spacing + rng.unit() * spacing) as i64;
        let minutes = (1.6 + 0.5 * rng.normal()).exp().clamp(1.0, 90.0);
        let mut duration = (minutes * 60.0) as i64;
        let mut answers: Vec<Option<usize>> = self
            .items
            .iter()
            .map(|item| self.answer(item, &factors, &mut rng))
            .collect();
        let mut progress = 100;
        let mut answered_all = true;
        if kind == Kind::Unfinished {
            // Stopped part-way: the first items answered, the rest (and the comments) blank; a
            // survey without items stops before its other questions.
            let n = answers.len();
            let cut = match n {
                0 => 0,
                _ => 1 + rng.below(n.max(2) - 1).min(n - 1),
            };
            for a in &mut answers[cut.min(n)..] {
                *a = None;
            }
            if let Some(first) = answers.first_mut() {
                first.get_or_insert(0);
            }
            progress = (100 * cut / (n + self.texts.len() + 1)).clamp(1, 99) as u32;
            duration = duration * progress as i64 / 100;
            answered_all = n > 0 && cut >= n;
        }
        let mut further = Vec::new();
        for q in &self.questions {
            let mut rng = Rng::new(seed, q.stream, index as u64);
            q.cells(answered_all, &mut rng, &mut further);
        }
        let comments = (0..self.texts.len())
            .map(|q| {
                let comment = self.comment(q, &mut rng);
                (answered_all && self.writes_comment(q, index)).then_some(comment)
            })
            .collect();
        Row {
            index,
            person,
            kind,
            start,
            duration,
            progress,
            answers,
            groups,
            comments,
            further,
        }
    }

    /// Whether row `index` answers open question `q`: in each block of `TEXT_BLOCK` rows, a
    /// random choice of as many rows as the share asks for (carried over from block to block),
    /// so the share is exact over the export and close to it in any part of it.
    fn writes_comment(&self, q: usize, index: usize) -> bool {
        let share = self.options.text_share * TEXT_BLOCK as f64;
        let (block, within) = (index / TEXT_BLOCK, index % TEXT_BLOCK);
        let quota = ((block + 1) as f64 * share).floor() - (block as f64 * share).floor();
        let stream = self.options.seed ^ splitmix(0x7E47 + q as u64);
        let key = |j: usize| hash(stream, (block * TEXT_BLOCK + j) as u64);
        let mine = (key(within), within);
        let rank = (0..TEXT_BLOCK).filter(|&j| (key(j), j) < mine).count();
        (rank as f64) < quota
    }

    /// A comment to open question `question` (see `comments`).
    fn comment(&self, question: usize, rng: &mut Rng) -> String {
        comments::comment(question, &self.phrases, rng)
    }

    /// Appends a row's answers as the labels respondents chose.
    pub(crate) fn answer_cells<'a>(&'a self, row: &Row, out: &mut Vec<&'a str>) {
        for (item, a) in self.items.iter().zip(&row.answers) {
            out.push(match a {
                None => "",
                Some(i) if *i < item.labels.len() => &item.labels[*i],
                Some(_) => item.non_substantive.as_deref().unwrap_or(""),
            });
        }
    }

    pub(crate) fn segment_cells<'a>(&'a self, row: &Row, out: &mut Vec<&'a str>) {
        for (s, &g) in self.segments.iter().zip(&row.groups) {
            out.push(&s.groups[g]);
        }
    }
}

/// Capitalises the first letter of a sentence.
fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Matrix items (`columns = "Q3_*"`) become three parts each, `Q3_1` … `Q3_3`.
fn expand_matrices(survey: &Survey, file: &Path) -> Result<Survey> {
    let columns: Vec<Column> = survey
        .items
        .iter()
        .filter_map(|i| i.columns.as_deref())
        .flat_map(|pattern| (1..=3).map(move |k| pattern.replacen('*', &k.to_string(), 1)))
        .map(|name| Column {
            question: String::new(),
            name,
            import_id: None,
            role: ColumnRole::Answer,
        })
        .collect();
    survey.expand_matrices(file, &columns)
}

/// An obviously fake e-mail address for a respondent.
pub(crate) fn email(person: usize) -> String {
    format!("respondent{}@example.org", person + 1)
}

/// An address from the documentation ranges (RFC 5737), never a real host.
pub(crate) fn ip_address(seed: u64, index: usize) -> String {
    let h = hash(seed, (index as u64) ^ 0x1F00_0000_0000);
    let net = ["192.0.2", "198.51.100", "203.0.113"][(h % 3) as usize];
    format!("{net}.{}", 1 + (h >> 8) % 254)
}

/// Civil date and time of Unix seconds (UTC): (year, month, day, hour, minute, second).
/// An hour of the day on a 12-hour clock: (1–12, "AM" or "PM").
pub(crate) fn clock12(h: u32) -> (u32, &'static str) {
    match h {
        0 => (12, "AM"),
        1..=11 => (h, "AM"),
        12 => (12, "PM"),
        _ => (h - 12, "PM"),
    }
}

pub(crate) fn civil(t: i64) -> (i64, u32, u32, u32, u32, u32) {
    let (days, secs) = (t.div_euclid(86_400), t.rem_euclid(86_400));
    // Howard Hinnant's days-to-civil.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (
        y,
        m,
        d,
        (secs / 3600) as u32,
        (secs % 3600 / 60) as u32,
        (secs % 60) as u32,
    )
}

/// Writes the export for `plan` to `out`, row by row; returns what it wrote.
pub fn write(plan: &Plan, out: impl Write) -> Result<Tally> {
    let stdout = Path::new("<standard output>");
    let fail = |e: csv::Error| match e.into_kind() {
        csv::ErrorKind::Io(e) => Error::io(stdout, e),
        other => Error::input(stdout, format!("cannot write the export: {other:?}")),
    };
    let layout = plan.options.layout;
    let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
    if layout == Layout::Qualtrics {
        // Qualtrics writes UTF-8 with a byte-order mark and CRLF line ends.
        out.write_all("\u{feff}".as_bytes())
            .map_err(|e| Error::io(stdout, e))?;
    }
    let mut w = csv::WriterBuilder::new()
        .terminator(if layout == Layout::Qualtrics {
            csv::Terminator::CRLF
        } else {
            csv::Terminator::Any(b'\n')
        })
        .from_writer(out);
    let headers = match layout {
        Layout::Qualtrics => qualtrics::header(plan),
        Layout::Surveymonkey => surveymonkey::header(plan),
        Layout::GoogleForms => google_forms::header(plan),
        Layout::Generic => generic::header(plan),
    };
    for h in &headers {
        w.write_record(h).map_err(fail)?;
    }
    let mut tally = Tally::default();
    let mut owned: Vec<String> = Vec::new();
    for index in 0..plan.options.responses {
        let row = plan.row(index);
        tally.rows += 1;
        match row.kind {
            Kind::Complete => tally.expected_kept += 1,
            Kind::Preview => tally.previews += 1,
            Kind::Test => tally.tests += 1,
            Kind::Unfinished => {
                tally.unfinished += 1;
                // A partial response the tool does not mark is kept.
                if !layout.records().0 {
                    tally.expected_kept += 1;
                }
            }
            Kind::Duplicate => tally.duplicates += 1,
        }
        if row.comments.first().is_some_and(Option::is_some) {
            tally.comments += 1;
        }
        owned.clear();
        match layout {
            Layout::Qualtrics => qualtrics::metadata(plan, &row, &mut owned),
            Layout::Surveymonkey => surveymonkey::metadata(plan, &row, &mut owned),
            Layout::GoogleForms => google_forms::metadata(plan, &row, &mut owned),
            Layout::Generic => generic::metadata(plan, &row, &mut owned),
        }
        let mut cells: Vec<&str> = owned.iter().map(String::as_str).collect();
        plan.answer_cells(&row, &mut cells);
        cells.extend(row.further.iter().map(String::as_str));
        // Qualtrics puts embedded data (the segments) after the questions; the others ask
        // them with the questions, before the open question.
        let comments = row.comments.iter().map(|c| c.as_deref().unwrap_or(""));
        if layout == Layout::Qualtrics {
            cells.extend(comments);
            plan.segment_cells(&row, &mut cells);
        } else {
            plan.segment_cells(&row, &mut cells);
            cells.extend(comments);
        }
        w.write_record(&cells).map_err(fail)?;
    }
    w.flush().map_err(|e| Error::io(stdout, e))?;
    Ok(tally)
}

/// The options and survey can make an export: at least one response, a share, some items.
fn check(survey: &Survey, file: &Path, options: &Options) -> Result<()> {
    if options.responses == 0 {
        return Err(Error::argument("--responses", "must be at least 1 (got 0)")
            .hint("e.g. --responses 500"));
    }
    if !(0.0..=1.0).contains(&options.text_share) {
        return Err(Error::argument(
            "--text-share",
            format!("must be between 0 and 1 (got {})", options.text_share),
        )
        .hint("e.g. --text-share 0.7 for 70 per cent"));
    }
    let questions = survey.items.len()
        + survey.choices.len()
        + survey.numbers.len()
        + survey.rankings.len()
        + survey.text.len();
    if questions == 0 {
        return Err(Error::config(
            file,
            "items",
            "the survey file defines no questions, so there are no answers to synthesise",
        )
        .hint("add one [[items]], [[choices]], [[numbers]], [[rankings]] or [[text]] table per question; surveys/aspire-pilot/survey.toml shows every setting"));
    }
    // The writers lay out one column per item, as every tool but SurveyMonkey's expanded
    // download does: an export that pretends otherwise would not be read back by the survey.
    if let Some(i) = survey
        .items
        .iter()
        .position(|i| !i.option_columns.is_empty())
    {
        return Err(Error::config(
            file,
            format!("items[{i}].option_columns"),
            "synth writes each item in a column of its own, not one column per option",
        )
        .hint(
            "to synthesise this survey, give the item one `column` in a copy of the survey file",
        ));
    }
    Ok(())
}

/// Each item's plan: its scale's labels, its factor (the first scale listing it, 1-based; 0 for
/// none), its keying and a random location.
fn plan_items(survey: &Survey, refs: &ResolvedSurvey, rng: &mut Rng) -> Vec<PlanItem> {
    let mut keyed = vec![(0, false); survey.items.len()];
    for (s, members) in refs.scale_members.iter().enumerate() {
        for &(i, reversed) in members {
            if keyed[i].0 == 0 {
                keyed[i] = (s + 1, reversed);
            }
        }
    }
    survey
        .items
        .iter()
        .zip(&refs.item_scales)
        .zip(&keyed)
        .map(|((item, &scale), &(factor, reversed))| {
            let scale = &survey.response_scales[scale];
            PlanItem {
                column: item.column().to_string(),
                text: item.text.clone(),
                labels: scale.labels.clone(),
                non_substantive: scale.non_substantive.first().cloned(),
                factor,
                reversed,
                location: 0.2 + 0.8 * rng.unit(),
            }
        })
        .collect()
}

/// Each segment's groups, their random sizes (cumulative shares) and effects.
fn plan_segments(survey: &Survey, rng: &mut Rng) -> Vec<PlanSegment> {
    survey
        .segments
        .iter()
        .map(|s| {
            let weights: Vec<f64> = (0..GROUPS).map(|_| 0.5 + rng.unit()).collect();
            let total: f64 = weights.iter().sum();
            let mut acc = 0.0;
            PlanSegment {
                column: s.column().to_string(),
                groups: (1..=GROUPS).map(|g| format!("{} {g}", s.name)).collect(),
                cumulative: weights
                    .iter()
                    .map(|w| {
                        acc += w / total;
                        acc
                    })
                    .collect(),
                effects: (0..GROUPS).map(|_| 0.25 * rng.normal()).collect(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn survey() -> Survey {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("surveys/aspire-pilot/survey.toml");
        Survey::load(&path).unwrap()
    }

    fn plan(layout: Layout, n: usize) -> Plan {
        let options = Options {
            layout,
            responses: n,
            seed: 7,
            text_share: 0.7,
        };
        Plan::new(&survey(), Path::new("survey.toml"), options).unwrap()
    }

    fn correlation(x: &[f64], y: &[f64]) -> f64 {
        let n = x.len() as f64;
        let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
        let sxy: f64 = x.iter().zip(y).map(|(a, b)| (a - mx) * (b - my)).sum();
        let sxx: f64 = x.iter().map(|a| (a - mx).powi(2)).sum();
        let syy: f64 = y.iter().map(|b| (b - my).powi(2)).sum();
        sxy / (sxx * syy).sqrt()
    }

    /// Codes of two items over the complete rows where both have a substantive answer.
    fn pairs(plan: &Plan, a: &str, b: &str) -> (Vec<f64>, Vec<f64>) {
        let ia = plan.items.iter().position(|i| i.column == a).unwrap();
        let ib = plan.items.iter().position(|i| i.column == b).unwrap();
        let (mut x, mut y) = (Vec::new(), Vec::new());
        for r in (0..2000).map(|i| plan.row(i)) {
            if let (Some(p), Some(q)) = (r.answers[ia], r.answers[ib]) {
                if p < 5 && q < 5 {
                    x.push(p as f64);
                    y.push(q as f64);
                }
            }
        }
        (x, y)
    }

    #[test]
    fn items_of_a_scale_correlate_and_reverse_keyed_items_run_the_other_way() {
        let plan = plan(Layout::Qualtrics, 2000);
        // lead_vision and lead_involve: same scale, both positively keyed.
        let (x, y) = pairs(&plan, "Q2_1", "Q2_2");
        let r = correlation(&x, &y);
        assert!(r > 0.3, "r = {r}");
        // lead_imposed is reverse-keyed in that scale.
        let (x, y) = pairs(&plan, "Q2_1", "Q2_3");
        let r = correlation(&x, &y);
        assert!(r < -0.3, "r = {r}");
        // Items of different scales correlate less than items of one scale.
        let (x, y) = pairs(&plan, "Q2_1", "Q3_1");
        let across = correlation(&x, &y);
        let (x, y) = pairs(&plan, "Q3_1", "Q3_2");
        assert!(across < correlation(&x, &y), "across {across}");
    }

    #[test]
    fn duplicates_repeat_an_earlier_complete_respondent_and_rows_recompute() {
        let plan = plan(Layout::Qualtrics, 5000);
        let dups: Vec<Row> = (0..5000)
            .map(|i| plan.row(i))
            .filter(|r| r.kind == Kind::Duplicate)
            .collect();
        assert!(dups.len() > 30, "{}", dups.len());
        for d in &dups {
            assert!(d.person < d.index);
            assert_eq!(plan.row(d.person).kind, Kind::Complete);
            assert_eq!(plan.row(d.person).groups, d.groups);
        }
        assert_eq!(format!("{:?}", plan.row(17)), format!("{:?}", plan.row(17)));
    }

    #[test]
    fn civil_dates() {
        assert_eq!(civil(START), (2025, 10, 6, 8, 0, 0));
        assert_eq!(civil(951_782_400), (2000, 2, 29, 0, 0, 0));
    }
}
