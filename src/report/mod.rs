//! Report: the wave's artefacts → the files an evaluator hands on. It hands file names and
//! bytes to an [`Outputs`] as it makes them, and the runner writes them; it writes no file of
//! its own but the unnamed temporary file a long workbook sheet passes through.
//!
//! The summary's figures are formatted here (in Rust, once) and the templates only lay them out,
//! so a custom template cannot change a number and every output is byte-identical between runs.

mod changes;
pub mod chart_png;
pub mod charts;
mod differences;
mod docx;
mod docx_xml;
mod grids;
mod headlines;
pub mod parquet;
mod questions;
pub mod tables;
pub mod text;
mod themes;
pub mod trend_chart;
mod trends;
mod weights;
pub mod xlsx;

pub use themes::{k_note as themes_k_note, method as themes_method};

use crate::clean::CleanTable;
use crate::config::{ReportOptions, Survey};
use crate::error::{Error, Result};
use crate::score::compare::WaveComparison;
use crate::score::crosstabs::Direction;
use crate::score::panel::PanelComparison;
use crate::score::trend::Trend;
use crate::score::ScoreReport;
use crate::suppression::Reason;
use crate::themes::ThemeReport;
use changes::*;
use headlines::*;
use minijinja::Environment;
use serde::Serialize;
use std::path::{Path, PathBuf};
use text::{fixed, list_sentence, plural, prose_pct, share_cell, signed, NO_ANSWERS};

/// The built-in HTML summary template (`reports/templates/summary.html.j2`), used unless a pipeline
/// names a templates folder.
pub const HTML_TEMPLATE: &str = include_str!("../../reports/templates/summary.html.j2");
/// The built-in Markdown summary template (`reports/templates/summary.md.j2`).
pub const MARKDOWN_TEMPLATE: &str = include_str!("../../reports/templates/summary.md.j2");

/// Everything the report stage reads.
pub struct ReportInput<'a> {
    /// The survey, for item texts, scales and segment names.
    pub survey: &'a Survey,
    /// The wave's short name, as in its folder.
    pub wave_name: &'a str,
    /// The wave's label, as headings show it.
    pub wave_label: &'a str,
    /// The cleaned wave, for the row accounting and exclusions.csv.
    pub clean: &'a CleanTable,
    /// The wave's scores.
    pub score: &'a ScoreReport,
    /// The open question's id and its themes; `None` when the survey has no open question.
    pub themes: Option<(&'a str, &'a ThemeReport)>,
    /// Every open question themed, the first (`themes`) first.
    pub open: Vec<OpenQuestion<'a>>,
    /// The change since the previous wave; `None` for the first wave.
    pub comparison: Option<&'a WaveComparison>,
    /// Every wave so far, from the third wave on.
    pub trend: Option<&'a Trend>,
    /// What the runner knows of the run, for the workbook's "Read me" sheet.
    pub provenance: &'a Provenance,
    /// The pipeline's `[report]` options (how the item charts are drawn).
    pub options: ReportOptions,
}

/// An open question and its themes, as the report's tables and sections show it.
#[derive(Debug, Clone, Copy)]
pub struct OpenQuestion<'a> {
    /// The question's id (`[[text]] id`).
    pub id: &'a str,
    /// The export column its comments came from.
    pub column: &'a str,
    /// The question's wording.
    pub text: &'a str,
    /// Its themes and assignments.
    pub report: &'a ThemeReport,
}

/// The run's seed and the files it read with their SHA-256 (the manifest's, as the runner has
/// them before writing the outputs), so the workbook says what it was made from.
#[derive(Debug, Clone, Default)]
pub struct Provenance {
    /// The pipeline's seed, as the "Read me" sheet records it.
    pub seed: u64,
    /// The files the run read, each with its SHA-256.
    pub files: Vec<HashedFile>,
}

/// An input file: what it is ("survey", "export, wave-1"), its file name and its SHA-256.
#[derive(Debug, Clone)]
pub struct HashedFile {
    /// What the file is: "survey", "pipeline", "export, wave-1" ….
    pub role: String,
    /// Its file name (no folders, which may name people or machines).
    pub name: String,
    /// SHA-256 of its bytes, lower-case hex.
    pub sha256: String,
}

/// Templates to render; the built-in ones unless a pipeline names a folder.
pub struct Templates {
    /// The HTML summary's minijinja template source.
    pub html: String,
    /// The Markdown summary's minijinja template source.
    pub markdown: String,
    /// The pipeline file whose `templates` setting named them; `None` for the built-in ones.
    pub pipeline: Option<PathBuf>,
}

impl Default for Templates {
    fn default() -> Self {
        Templates {
            html: HTML_TEMPLATE.to_string(),
            markdown: MARKDOWN_TEMPLATE.to_string(),
            pipeline: None,
        }
    }
}

impl Templates {
    /// A template that does not parse or render, named as the setting that chose it.
    fn error(&self, message: String) -> Error {
        match &self.pipeline {
            Some(pipeline) => Error::config(pipeline, "templates", message)
                .hint("fix the template, or remove `templates` to use the built-in ones"),
            None => Error::render(Path::new("built-in template"), "the summary", message)
                .hint("this is a bug in canvass: please report it with the command you ran"),
        }
    }
}

#[derive(Debug, Serialize)]
struct Context {
    title: String,
    wave: String,
    wave_name: String,
    tool: String,
    source_file: String,
    source_format: String,
    source_sha256: String,
    read: usize,
    kept: usize,
    /// "66 responses", "1 response".
    kept_phrase: String,
    /// "72 rows", "1 row".
    rows_read: String,
    excluded_sentence: String,
    opening: String,
    headlines: Vec<String>,
    confidence: String,
    suppress_below: usize,
    legends: Vec<Legend>,
    /// One diverging bar chart (HTML with inline SVG) per response scale, in the survey's order.
    charts: Vec<Chart>,
    items: Vec<ItemRow>,
    scales: Vec<ScaleRow>,
    segments: Vec<SegmentTable>,
    /// The differences between groups that hold after adjustment (when there are segments).
    differences: Option<differences::DifferencesSection>,
    /// How the figures are weighted, when they are.
    weights: Option<weights::WeightsSection>,
    /// Every choice and check-all question, in the survey's order.
    choices: Vec<questions::ChoiceSection>,
    /// Every number question, in the survey's order.
    numbers: Vec<questions::NumberRow>,
    /// Every ranking question, in the survey's order.
    rankings: Vec<questions::RankingSection>,
    themes: Option<themes::ThemesSection>,
    /// The further open questions' themes, in the survey's order.
    more_themes: Vec<themes::ThemesSection>,
    changes: Option<ChangesSection>,
    /// From the third wave on: the change since the first wave, tested as `changes` is.
    since_first: Option<ChangesSection>,
    /// From the third wave on: each headline item and scale across every wave.
    trends: Option<trends::TrendsSection>,
    /// The fixed explanations beside the tables, shared by summary.html and summary.docx.
    notes: Notes,
}

/// Sentences that explain a section, the same in every format that has them.
#[derive(Debug, Serialize)]
struct Notes {
    items: String,
    scales: String,
    segments: String,
    /// How breakdowns keep hidden groups hidden ("About these figures").
    disclosure: String,
}

impl Notes {
    fn new(confidence: &str, suppress_below: usize) -> Notes {
        Notes {
            items: format!("Percent agreeing is the share of substantive answers in the top options of the scale, with a {confidence}% Wilson confidence interval. “Don’t know” and similar answers are counted separately and never as disagreement. In the charts, disagreement lies left of the zero line and agreement right of it; answers that are not opinions are drawn apart, as a share of all answers."),
            scales: "A scale score is the mean of a respondent’s answers to its items, with reverse-keyed items flipped. Cronbach’s alpha measures how consistently the items move together (0.7 or more is usually taken as acceptable); its interval is Feldt’s.".into(),
            segments: format!("Groups with fewer than {suppress_below} respondents, and any group whose figures could be worked out from the others, are hidden; a hidden figure’s mark (·a, ·b, ·c) says why. Every item is broken down in segments.csv."),
            disclosure: format!("Disclosure control: a group of fewer than {suppress_below} shows no figure, and then the fewest further groups needed are hidden too, smallest first, so that the hidden groups together hold at least {suppress_below} people and did not all give the same answer (nor all not give it): otherwise their answers could be worked out from the overall figures and the groups shown. Where everyone in the survey gave the same answer, the overall figure itself shows it and no breakdown can hide it. segments.csv, crosstabs.csv and themes_by_segment.csv give each hidden cell’s reason (suppressed_reason)."),
        }
    }
}

#[derive(Debug, Serialize)]
struct Legend {
    name: String,
    html: String,
}

#[derive(Debug, Serialize)]
struct Chart {
    scale: String,
    html: String,
}

#[derive(Debug, Serialize)]
struct ItemRow {
    id: String,
    text: String,
    n: u64,
    missing: u64,
    non_substantive: u64,
    pct_agree: String,
    ci: String,
    pct_disagree: String,
    mean: String,
    sd: String,
    median: String,
    chart: String,
}

#[derive(Debug, Serialize)]
struct ScaleRow {
    name: String,
    items: String,
    n: u64,
    mean: String,
    sd: String,
    alpha: String,
    alpha_ci: String,
    alpha_std: String,
    average_r: String,
    item_rows: Vec<ScaleItemRow>,
}

#[derive(Debug, Serialize)]
struct ScaleItemRow {
    id: String,
    reversed: bool,
    r_drop: String,
    alpha_if_deleted: String,
}

#[derive(Debug, Serialize)]
struct SegmentTable {
    name: String,
    /// "By region", or "By answers to “Would you like …”" when the name is a question.
    heading: String,
    columns: Vec<String>,
    rows: Vec<SegmentRow>,
    suppressed_groups: usize,
    all_suppressed: bool,
    /// Some figure of the table is hidden (·): only then does the note say why.
    any_hidden: bool,
    groups: usize,
    /// Why no figure is shown, when every group is suppressed.
    all_suppressed_sentence: String,
    /// The marks the table shows, in words.
    legend: String,
}

#[derive(Debug, Serialize)]
struct SegmentRow {
    group: String,
    n: String,
    cells: Vec<String>,
}

/// Where the report's files go, each as soon as it is made, so that a national survey's
/// files are not all held in memory together (the runner stages them; see `runner/publish.rs`).
pub trait Outputs {
    /// Writes the file `name` (relative to the wave's folder).
    fn put(&mut self, name: &str, bytes: &[u8]) -> Result<()>;
    /// Writes the file `name` by streaming into it.
    fn stream(
        &mut self,
        name: &str,
        fill: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> Result<()>;
}

/// Steps a template may take to render (minijinja's fuel): the built-in templates take a
/// small fraction of it on a national survey.
const TEMPLATE_FUEL: u64 = 50_000_000;

/// Renders the summaries and CSV tables of one wave, for the folder `directory` (named in
/// errors), into `out` in a fixed order. The workbook is made apart ([`workbook`]), so that it
/// can be built beside them.
pub fn render(
    input: &ReportInput,
    tables: &[tables::Table],
    templates: &Templates,
    directory: &Path,
    out: &mut dyn Outputs,
) -> Result<()> {
    let context = context(input);
    let mut env = Environment::new();
    // A template is a program: a loop that never ends in practice (`range` nested) is stopped
    // with a message rather than left to run.
    env.set_fuel(Some(TEMPLATE_FUEL));
    // The files end with a newline, as text files do (the templates' own last one is kept).
    env.set_keep_trailing_newline(true);
    // HTML is escaped by minijinja (the template's name ends in .html.j2); Markdown is not, and
    // a Markdown viewer would run a respondent's `<script>` as HTML: there every value is
    // written with `<`, `>` and `|` made inert.
    env.set_formatter(|out, state, value| match value.as_str() {
        Some(s) if state.name().ends_with(".md.j2") && !value.is_safe() => {
            out.write_str(&markdown_text(s))?;
            Ok(())
        }
        _ => minijinja::escape_formatter(out, state, value),
    });
    env.add_template("summary.html.j2", &templates.html)
        .map_err(|e| templates.error(format!("HTML template: {e}")))?;
    env.add_template("summary.md.j2", &templates.markdown)
        .map_err(|e| templates.error(format!("Markdown template: {e}")))?;
    let render = |name: &str| -> Result<Vec<u8>> {
        env.get_template(name)
            .and_then(|t| t.render(&context))
            .map(String::into_bytes)
            .map_err(|e| match e.kind() {
                minijinja::ErrorKind::OutOfFuel => templates.error(format!(
                    "template {name} takes more than {TEMPLATE_FUEL} steps to render; a loop in \
                     it is too long (nested `range`?)"
                )),
                _ => templates.error(format!("template {name}: {e}")),
            })
    };
    out.put("summary.html", &render("summary.html.j2")?)?;
    out.put("summary.md", &render("summary.md.j2")?)?;
    // The document reads the templates' variables, so it says what the HTML says.
    let docx_file = directory.join("summary.docx");
    let document = docx::document(&docx_file, &context, &chart_images(input, &docx_file)?)?;
    out.put("summary.docx", &document)?;
    // The CSV files in their established order; the workbook's sheets follow `tables::all`.
    for name in [
        "items",
        "choices",
        "numbers",
        "rankings",
        "scales",
        "segments",
        "crosstabs",
        "exclusions",
        "themes",
        "comments",
        "themes_by_segment",
        "agreement",
        "changes",
        "trends",
        "changes_since_first",
        "weights",
        "weights_summary",
    ] {
        if let Some(t) = tables.iter().find(|t| t.name == name) {
            out.stream(&format!("{name}.csv"), &mut |w| t.write_csv(w))?;
        }
    }
    Ok(())
}

/// tables.xlsx: the "Read me" sheet, then every table of the wave (see [`wave_tables`]) as a
/// sheet.
pub fn workbook(
    input: &ReportInput,
    tables: &[tables::Table],
    directory: &Path,
) -> Result<Vec<u8>> {
    xlsx::workbook(&read_me(input), tables, directory)
        .map_err(|e| Error::render(&directory.join("tables.xlsx"), "the workbook", e))
}

/// The wave's tables, in the order of the workbook's sheets: made once for the CSV files and
/// the workbook (a long table's rows are made as they are written).
pub fn wave_tables<'a>(input: &'a ReportInput<'a>) -> Vec<tables::Table<'a>> {
    let mut tables = tables::all(input.score, input.clean, &input.open, input.comparison);
    // The trends sheet goes after the changes, before the exclusions (the last sheet), and the
    // change since the first wave after it.
    if let Some(t) = input.trend {
        tables.insert(tables.len().saturating_sub(1), trends::table(t));
        if let Some(c) = t.since_first.as_ref() {
            let table = tables::changes_named(c, "changes_since_first");
            tables.insert(tables.len().saturating_sub(1), table);
        }
    }
    let at = tables.len().saturating_sub(1);
    tables.splice(at..at, weights::tables(input.score));
    tables
}

/// Text for Markdown: no HTML tag can start (`<` and `>` as entities, which a viewer shows as
/// the characters), no `|` ends a table cell early, and no link can form: a `]` that would
/// close a link's text (`[text](javascript:…)`, `[text][ref]`, a `[ref]: url` definition) is
/// escaped, shown as it is; a lone `[phone]` is left alone, with no definition to resolve to.
/// A line break in a value (a question text that runs over two lines, a comment's paragraphs)
/// is a space: in a table cell it would end the table, in a quote it would end the quote.
fn markdown_text(s: &str) -> String {
    s.replace("\r\n", " ")
        .replace(['\r', '\n'], " ")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('|', "\\|")
        .replace("](", "\\](")
        .replace("][", "\\][")
        .replace("]:", "\\]:")
}

/// The "Read me" sheet: what the workbook is of, the settings, and the inputs' SHA-256.
fn read_me(input: &ReportInput) -> Vec<xlsx::ReadMeRow> {
    use tables::{Cell, Kind};
    let row = |what: &str, value: Cell| xlsx::ReadMeRow {
        what: what.to_string(),
        value,
        sha256: String::new(),
    };
    let acc = &input.clean.accounting;
    let seed = input.provenance.seed;
    let mut rows = vec![
        row("survey title", Cell::Text(input.survey.title.clone())),
        row("wave", Cell::Text(input.wave_name.to_string())),
        row("wave label", Cell::Text(input.wave_label.to_string())),
        row("respondents read", Cell::Count(acc.read as u64)),
        row("respondents kept", Cell::Count(acc.kept as u64)),
        row(
            "confidence level",
            Cell::Number {
                value: input.score.confidence * 100.0,
                decimals: 1,
                kind: Kind::Percent,
            },
        ),
        row(
            "groups smaller than this are suppressed",
            Cell::Count(input.score.suppress_below as u64),
        ),
        // Above 2^53 a seed would lose digits as a spreadsheet number.
        row(
            "seed",
            if seed < (1 << 53) {
                Cell::Count(seed)
            } else {
                Cell::Text(seed.to_string())
            },
        ),
        row(
            "tool",
            Cell::Text(format!("canvass {}", env!("CARGO_PKG_VERSION"))),
        ),
        row(
            "figures",
            Cell::Text(
                "percentages are 0–100 and rounded as in the CSV files; full precision is in score.json"
                    .into(),
            ),
        ),
    ];
    if !input.score.segments.is_empty() {
        let threshold = input.score.suppress_below;
        rows.push(row(
            "hidden cells (suppressed_reason)",
            Cell::Text(crate::suppression::legend(threshold)),
        ));
        rows.push(row(
            "crosstabs marker",
            Cell::Text(differences::marker_legend()),
        ));
    }
    // Test and preview responses kept by the survey's settings change every figure: said here
    // too, as in the summary.
    rows.extend(kept_flagged_sentence(acc).map(|s| row("kept on purpose", Cell::Text(s))));
    rows.extend(input.provenance.files.iter().map(|f| xlsx::ReadMeRow {
        what: f.role.clone(),
        value: Cell::Text(f.name.clone()),
        sha256: f.sha256.clone(),
    }));
    rows
}

fn context(input: &ReportInput) -> Context {
    let score = input.score;
    let acc = &input.clean.accounting;
    let excluded_sentence = excluded_sentence(acc);
    let opening = format!(
        "This summary covers {} to {} ({}). The export held {}; {}",
        plural(acc.kept as u64, "response", "responses"),
        input.survey.title,
        input.wave_label,
        plural(acc.read as u64, "row", "rows"),
        lower_first(&excluded_sentence)
    );
    Context {
        title: input.survey.title.clone(),
        wave: input.wave_label.to_string(),
        wave_name: input.wave_name.to_string(),
        tool: format!("canvass {}", env!("CARGO_PKG_VERSION")),
        source_file: std::path::Path::new(&input.clean.source.file)
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default(),
        source_format: input.clean.source.format.name().to_string(),
        source_sha256: input.clean.source.sha256.clone(),
        read: acc.read,
        kept: acc.kept,
        kept_phrase: plural(acc.kept as u64, "response", "responses"),
        rows_read: plural(acc.read as u64, "row", "rows"),
        excluded_sentence,
        opening,
        headlines: headlines(input),
        confidence: format!("{}", (score.confidence * 100.0).round()),
        suppress_below: score.suppress_below,
        legends: legends(input),
        charts: item_charts(input),
        items: score.items.iter().map(|i| item_row(input, i)).collect(),
        scales: score.scales.iter().map(scale_row).collect(),
        segments: segment_tables(input),
        differences: differences::section(score),
        weights: weights::section(score, input.survey),
        choices: score
            .choices
            .iter()
            .map(|c| {
                questions::choice_section(c, written_in(input, &c.id), score.suppress_below as u64)
            })
            .collect(),
        numbers: score.numbers.iter().map(questions::number_row).collect(),
        rankings: score
            .rankings
            .iter()
            .map(questions::ranking_section)
            .collect(),
        themes: input
            .themes
            .map(|(question, t)| themes::section(question, t)),
        more_themes: input
            .open
            .iter()
            .skip(1)
            .map(|q| themes::section(q.text, q.report))
            .collect(),
        changes: input
            .comparison
            .map(|c| changes_section(c, score, Since::Previous)),
        since_first: input
            .trend
            .and_then(|t| t.since_first.as_ref())
            .map(|c| changes_section(c, score, Since::First)),
        trends: input.trend.map(|t| trends::section(t, score)),
        notes: Notes::new(
            &format!("{}", (score.confidence * 100.0).round()),
            score.suppress_below,
        ),
    }
}

/// What was excluded and why, as one or two sentences (the opening repeats it).
fn excluded_sentence(acc: &crate::clean::Accounting) -> String {
    let excluded: Vec<String> = acc
        .excluded
        .iter()
        .map(|(&reason, &n)| reason_phrase(reason, n as u64))
        .collect();
    let mut sentence = if excluded.is_empty() {
        "No response was excluded.".to_string()
    } else {
        format!(
            "{} {} excluded before analysis.",
            capitalise(&list_sentence(&excluded)),
            if acc.read - acc.kept == 1 {
                "was"
            } else {
                "were"
            }
        )
    };
    if let Some(kept) = kept_flagged_sentence(acc) {
        sentence = format!("{sentence} {kept}");
    }
    sentence
}

/// The legend of each response scale some item uses.
fn legends(input: &ReportInput) -> Vec<Legend> {
    input
        .survey
        .response_scales
        .iter()
        .filter(|rs| input.survey.items.iter().any(|i| i.scale == rs.name))
        .map(|rs| Legend {
            name: rs.name.clone(),
            html: charts::legend(rs),
        })
        .collect()
}

fn item_row(input: &ReportInput, i: &crate::score::ItemScore) -> ItemRow {
    let m = &i.summary;
    let row = ItemRow {
        id: i.id.clone(),
        text: i.text.clone(),
        n: m.n,
        missing: m.missing,
        non_substantive: m.non_substantive,
        pct_agree: fixed(m.pct_agree, 1),
        ci: format!("{}–{}", fixed(m.ci_low, 1), fixed(m.ci_high, 1)),
        pct_disagree: fixed(m.pct_disagree, 1),
        mean: fixed(m.mean, 2),
        sd: fixed(m.sd, 2),
        median: fixed(m.median, 1),
        chart: item_chart(input, i),
    };
    match m.pct_agree {
        // Fewer than the suppression threshold: a count, not a percentage of a handful.
        Some(_) if m.n < input.score.suppress_below as u64 => ItemRow {
            pct_agree: share_cell(
                m.agree_count,
                m.n,
                m.pct_agree,
                input.score.suppress_below as u64,
            ),
            ci: String::new(),
            pct_disagree: String::new(),
            ..row
        },
        Some(_) => row,
        // Nobody answered: "no answers", and no figure that could be read as one.
        None => ItemRow {
            pct_agree: NO_ANSWERS.into(),
            ci: String::new(),
            pct_disagree: String::new(),
            mean: String::new(),
            sd: String::new(),
            median: String::new(),
            chart: String::new(),
            ..row
        },
    }
}

fn scale_row(s: &crate::score::ScaleScore) -> ScaleRow {
    let r = &s.reliability;
    ScaleRow {
        name: s.name.clone(),
        items: r
            .items
            .iter()
            .map(|i| {
                if i.reversed {
                    format!("{} (reversed)", i.id)
                } else {
                    i.id.clone()
                }
            })
            .collect::<Vec<_>>()
            .join(", "),
        n: s.n,
        mean: if s.n == 0 {
            NO_ANSWERS.into()
        } else {
            fixed(s.mean, 2)
        },
        sd: fixed(s.sd, 2),
        alpha: fixed(r.alpha, 2),
        alpha_ci: format!("{}–{}", fixed(r.alpha_ci_low, 2), fixed(r.alpha_ci_high, 2)),
        alpha_std: fixed(r.alpha_std, 2),
        average_r: fixed(r.average_r, 2),
        item_rows: r
            .items
            .iter()
            .map(|i| ScaleItemRow {
                id: i.id.clone(),
                reversed: i.reversed,
                r_drop: fixed(i.r_drop, 2),
                alpha_if_deleted: fixed(i.alpha_if_deleted, 2),
            })
            .collect(),
    }
}

/// The summary shows the headline items and the scales by segment; segments.csv has all.
fn segment_tables(input: &ReportInput) -> Vec<SegmentTable> {
    let score = input.score;
    let lead = headline_items(input);
    score
        .segments
        .iter()
        .map(|seg| {
            let mut marks = Marks::default();
            let rows = seg
                .groups
                .iter()
                .map(|g| segment_row(score, &seg.name, g, &lead, &mut marks))
                .collect();
            SegmentTable {
                name: seg.name.clone(),
                heading: segment_heading(&seg.name),
                columns: lead
                    .iter()
                    .map(|&i| format!("{} (% agree)", score.items[i].text))
                    .chain(score.scales.iter().map(|s| format!("{} (mean)", s.name)))
                    .collect(),
                suppressed_groups: seg.groups.iter().filter(|g| g.suppressed).count(),
                all_suppressed: seg.groups.iter().all(|g| g.suppressed),
                groups: seg.groups.len(),
                all_suppressed_sentence: all_suppressed_sentence(
                    seg.groups.len(),
                    score.suppress_below,
                    &seg.name,
                ),
                rows,
                legend: marks.legend(score.suppress_below),
                any_hidden: false,
            }
        })
        .map(|mut t: SegmentTable| {
            t.any_hidden = (t.rows.iter())
                .any(|r| r.n.starts_with('·') || r.cells.iter().any(|c| c.starts_with('·')));
            t
        })
        .collect()
}

/// How many respondents typed their own answer in a choice question's "Other" box
/// (`[[text]] other_of`), when the box was themed.
fn written_in(input: &ReportInput, choice: &str) -> Option<usize> {
    let boxed = input
        .survey
        .text
        .iter()
        .find(|t| t.other_of.as_deref() == Some(choice))?;
    input
        .open
        .iter()
        .find(|q| q.id == boxed.id)
        .map(|q| q.report.comments)
}

/// A breakdown's heading: a grouping word reads "By region"; a question's words are quoted.
fn segment_heading(name: &str) -> String {
    if name.split_whitespace().count() <= 3 && !name.ends_with(['?', '…']) {
        format!("By {}", name.to_lowercase())
    } else {
        format!("By answers to “{name}”")
    }
}

/// The hidden cells' reasons and the difference markers a table shows, for its legend.
#[derive(Default)]
struct Marks {
    reasons: std::collections::BTreeSet<Reason>,
    differs: bool,
}

impl Marks {
    /// A hidden figure's mark ("·a"), noted for the legend.
    fn hidden(&mut self, reason: Reason) -> String {
        self.reasons.insert(reason);
        reason.mark().to_string()
    }

    /// A shown figure with ▲ or ▼ where the group differs from the others, noted for the
    /// legend.
    fn shown(&mut self, figure: String, differs: Option<Direction>) -> String {
        match differs {
            Some(d) => {
                self.differs = true;
                format!("{figure} {}", differences::marker(d))
            }
            None => figure,
        }
    }

    /// The table's legend: each mark it shows, in words.
    fn legend(&self, threshold: usize) -> String {
        let mut parts: Vec<String> = self
            .reasons
            .iter()
            .map(|r| format!("{} {}", r.mark(), r.describe(threshold)))
            .collect();
        if self.differs {
            parts.push(differences::marker_legend());
        }
        parts.join("; ")
    }
}

/// One group's row: its size and the headline items' and scales' figures; a hidden figure
/// is a mark saying why, a figure that differs from the other groups has ▲ or ▼.
fn segment_row(
    score: &ScoreReport,
    segment: &str,
    g: &crate::score::segments::GroupSummary,
    lead: &[usize],
    marks: &mut Marks,
) -> SegmentRow {
    let differs = |kind: &str, id: &str| differences::differs(score, segment, kind, id, &g.value);
    let mut cells = Vec::new();
    for c in lead.iter().map(|&i| &g.items[i]) {
        cells.push(match c.reason {
            Some(r) => marks.hidden(r),
            None if c.n == Some(0) => NO_ANSWERS.into(),
            None => marks.shown(fixed(c.pct_agree, 0), differs("item", &c.id)),
        });
    }
    for c in &g.scales {
        cells.push(match c.reason {
            Some(r) => marks.hidden(r),
            None => marks.shown(fixed(c.mean, 2), differs("scale", &c.name)),
        });
    }
    SegmentRow {
        group: g.value.clone(),
        // A mark, not "< 10": a group can be hidden only because the small one beside it
        // could otherwise be worked out.
        n: match g.reason {
            Some(r) => marks.hidden(r),
            None => g.n.map_or_else(String::new, |n| n.to_string()),
        },
        cells,
    }
}

/// The chart bars of the items answered on `rs`, in survey order (the HTML and the DOCX
/// draw the same ones).
fn scale_items<'a>(
    input: &ReportInput<'a>,
    rs: &crate::config::ResponseScale,
) -> Vec<charts::ChartItem<'a>> {
    input
        .score
        .items
        .iter()
        .filter(|i| i.response_scale == rs.name)
        .map(chart_item)
        .collect()
}

/// A diverging bar chart of the items of each response scale the survey uses.
fn item_charts(input: &ReportInput) -> Vec<Chart> {
    input
        .survey
        .response_scales
        .iter()
        .filter_map(|rs| {
            let items = scale_items(input, rs);
            (!items.is_empty()).then(|| Chart {
                scale: rs.name.clone(),
                html: charts::diverging_chart(rs, &items, &input.options),
            })
        })
        .collect()
}

/// The same charts as PNG images, for summary.docx.
fn chart_images(input: &ReportInput, document: &Path) -> Result<Vec<docx::Image>> {
    let mut images = Vec::new();
    for rs in &input.survey.response_scales {
        let items = scale_items(input, rs);
        if items.is_empty() {
            continue;
        }
        let svg = chart_png::chart_svg(rs, &items, &input.options);
        images.push(docx::Image {
            scale: rs.name.clone(),
            question: None,
            png: chart_png::png(document, &svg)?,
        });
    }
    for (question, text, svg) in questions::charts(input.score) {
        images.push(docx::Image {
            scale: text,
            question: Some(question),
            png: chart_png::png(document, &questions::sized(&svg))?,
        });
    }
    Ok(images)
}

/// One item's chart on its own, for templates that draw a chart per table row.
fn item_chart(input: &ReportInput, item: &crate::score::ItemScore) -> String {
    input
        .survey
        .response_scales
        .iter()
        .find(|rs| rs.name == item.response_scale)
        .map(|rs| charts::diverging_chart(rs, &[chart_item(item)], &input.options))
        .unwrap_or_default()
}

fn chart_item(i: &crate::score::ItemScore) -> charts::ChartItem<'_> {
    charts::ChartItem {
        id: &i.id,
        text: &i.text,
        summary: &i.summary,
    }
}

/// "a", "a or b", "a, b or c".
fn or_list(parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// "3 previews", "1 test response" …
fn reason_phrase(reason: crate::clean::Reason, n: u64) -> String {
    use crate::clean::Reason;
    match reason {
        Reason::Preview => plural(n, "preview", "previews"),
        Reason::Test => plural(n, "test response", "test responses"),
        Reason::Spam => plural(n, "response flagged as spam", "responses flagged as spam"),
        Reason::Unfinished => plural(n, "unfinished response", "unfinished responses"),
        Reason::Empty => plural(n, "empty response", "empty responses"),
        Reason::Duplicate => plural(n, "duplicate", "duplicates"),
        Reason::RepeatInstance => plural(
            n,
            "row of a repeating form (not a second response)",
            "rows of a repeating form (not second responses)",
        ),
        Reason::Speeder => plural(
            n,
            "response completed implausibly fast",
            "responses completed implausibly fast",
        ),
        Reason::StraightLiner => plural(n, "straight-lined response", "straight-lined responses"),
    }
}

/// "2 test responses were kept on purpose (keep_test_responses)." when some were.
fn kept_flagged_sentence(acc: &crate::clean::Accounting) -> Option<String> {
    if acc.kept_flagged.is_empty() {
        return None;
    }
    let kept: Vec<String> = acc
        .kept_flagged
        .iter()
        .map(|(&reason, &n)| reason_phrase(reason, n as u64))
        .collect();
    let n: usize = acc.kept_flagged.values().sum();
    Some(format!(
        "{} {} kept on purpose (keep_test_responses).",
        capitalise(&list_sentence(&kept)),
        if n == 1 { "was" } else { "were" }
    ))
}

/// Why a breakdown shows no figure when every group is suppressed.
fn all_suppressed_sentence(groups: usize, suppress_below: usize, name: &str) -> String {
    let by = name.to_lowercase();
    match groups {
        0 => format!("No respondent has a {by}, so no figures are shown by {by}."),
        1 => format!(
            "The only group has fewer than {suppress_below} respondents, so no figures are shown by {by}."
        ),
        n => format!(
            "All {n} groups have fewer than {suppress_below} respondents (or could be worked out from the others), so no figures are shown by {by}."
        ),
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::{markdown_text, segment_heading};

    /// A Qualtrics question text holds its intro and the question on two lines: in a Markdown
    /// table row the break would end the table (a real export, qualtrics_manipulate's Q1).
    #[test]
    fn a_line_break_in_a_value_is_a_space_in_markdown() {
        assert_eq!(
            markdown_text("Thank you.\nHow helpful is your advisor?\r\nA | B\r<b>"),
            "Thank you. How helpful is your advisor? A \\| B &lt;b&gt;"
        );
    }

    #[test]
    fn a_breakdown_named_by_a_question_is_quoted_not_lowercased() {
        assert_eq!(segment_heading("Region"), "By region");
        assert_eq!(
            segment_heading("Would you like to receive a newsletter?"),
            "By answers to “Would you like to receive a newsletter?”"
        );
    }
}
