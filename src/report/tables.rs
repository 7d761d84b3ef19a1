//! The tables of a wave as typed cells (a long table's made a row at a time as it is written),
//! written both as CSV and as sheets of tables.xlsx (`report/xlsx.rs`) from the same cells, so
//! the two cannot disagree. Column names are part of the contract with scripts; figures are
//! written with fixed decimals so files are byte-identical between runs.

use crate::clean::CleanTable;
use crate::score::compare::WaveComparison;
use crate::score::ScoreReport;
use crate::themes::ThemeReport;
use std::borrow::Cow;

mod theme_tables;
pub(crate) use theme_tables::*;

/// What a figure measures, which decides its number format in the workbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Per cent, 0–100 (as in the CSV and `score --json`).
    Percent,
    /// A mean, SD or median on the response scale.
    Mean,
    /// A coefficient: alpha, a correlation.
    Coefficient,
    /// A p-value.
    P,
}

/// One cell of a table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text: respondents' words, labels and names from the export or config, or canvass's own
    /// words. Always text, never a formula (see [`csv_text`]).
    Text(String),
    /// A count.
    Count(u64),
    /// A figure canvass computed, shown with `decimals` decimals.
    Number {
        /// The figure at full precision; the CSV rounds it to `decimals`, the workbook shows it so.
        value: f64,
        /// Decimals shown (the CSV's rounding).
        decimals: usize,
        /// What the figure is, for the workbook's number format.
        kind: Kind,
    },
    /// No figure: nobody answered, the cell is suppressed, or it does not apply.
    Empty,
}

impl Cell {
    /// The cell as the CSV writes it.
    pub fn csv(&self) -> String {
        match self {
            Cell::Text(s) => csv_text(s),
            Cell::Count(n) => n.to_string(),
            Cell::Number {
                value, decimals, ..
            } => format!("{value:.decimals$}"),
            Cell::Empty => String::new(),
        }
    }

    /// The figure as the CSV shows it (rounded to its decimals), so that a sheet and its CSV
    /// hold the same numbers; full precision is in score.json and the other artefacts.
    pub fn shown_value(&self) -> Option<f64> {
        match self {
            Cell::Count(n) => Some(*n as f64),
            Cell::Number { .. } => self.csv().parse().ok(),
            _ => None,
        }
    }
}

/// Characters that make a spreadsheet read a cell as a formula (or, tab and CR, hide one).
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Text for a CSV cell. Text that a spreadsheet would take for a formula (`=HYPERLINK(…)`,
/// `+1`, `@SUM(A1)`) gets a leading `'`, as OWASP recommends against CSV injection: comments,
/// labels and group names come from respondents and config. Figures are never text, so a
/// computed `-0.5` is not touched.
pub fn csv_text(s: &str) -> String {
    if s.starts_with(FORMULA_STARTS) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// A table: its file stem (`items` for items.csv and the `items` sheet), header and rows.
pub struct Table<'a> {
    /// The file stem and sheet name (`items` → items.csv and the `items` sheet).
    pub name: &'static str,
    /// Column names, as the CSV's first row.
    pub header: Vec<String>,
    /// Data rows, each as long as the header.
    pub rows: Rows<'a>,
}

/// A table's rows: built, or made one at a time as they are written, so that a national
/// survey's comments are never copied into cells all at once.
pub enum Rows<'a> {
    /// Rows held as cells.
    Built(Vec<Vec<Cell>>),
    /// `len` rows, row `i` made by `row(i)` each time it is read.
    Each {
        /// How many rows.
        len: usize,
        /// Makes a row from its index.
        row: Box<dyn Fn(usize) -> Vec<Cell> + Send + Sync + 'a>,
    },
    /// `len` rows made in order, from the first, each time they are read (a national survey's
    /// comments, read back one at a time from the file the stage cache keeps them in).
    Stream {
        /// How many rows.
        len: usize,
        /// Makes the rows, from the first.
        rows: Box<RowStream<'a>>,
    },
}

/// What makes a [`Rows::Stream`]'s rows.
pub type RowStream<'a> = dyn Fn() -> Box<dyn Iterator<Item = Vec<Cell>> + 'a> + Send + Sync + 'a;

impl Rows<'_> {
    /// How many rows.
    pub fn len(&self) -> usize {
        match self {
            Rows::Built(rows) => rows.len(),
            Rows::Each { len, .. } | Rows::Stream { len, .. } => *len,
        }
    }

    /// Whether there is no row.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The rows in order.
    pub fn iter(&self) -> impl Iterator<Item = Cow<'_, [Cell]>> {
        self.range(0..self.len())
    }

    /// Rows `range`, in order, made only when read (a long table's later sheets start there).
    pub fn range(
        &self,
        range: std::ops::Range<usize>,
    ) -> Box<dyn Iterator<Item = Cow<'_, [Cell]>> + '_> {
        match self {
            Rows::Built(rows) => Box::new(rows[range].iter().map(|r| Cow::Borrowed(&r[..]))),
            Rows::Each { row, .. } => Box::new(range.map(move |i| Cow::Owned(row(i)))),
            Rows::Stream { rows, .. } => {
                Box::new(rows().skip(range.start).take(range.len()).map(Cow::Owned))
            }
        }
    }

    /// Hands rows `range` to `each` in order, in batches, stopping at its first error. Rows
    /// made as they are read (a national survey's comments, parsed back from the stage cache)
    /// are made on a thread of their own, a few batches ahead of `each`: making and writing
    /// them then take two cores at once rather than one after the other.
    pub fn batches<E>(
        &self,
        range: std::ops::Range<usize>,
        mut each: impl FnMut(Vec<Vec<Cell>>) -> Result<(), E>,
    ) -> Result<(), E> {
        if let Rows::Built(rows) = self {
            return rows[range]
                .chunks(READ_AHEAD_BATCH)
                .try_for_each(|batch| each(batch.to_vec()));
        }
        if range.len() <= READ_AHEAD_BATCH {
            return each(self.range(range).map(Cow::into_owned).collect());
        }
        std::thread::scope(|s| {
            let (batches, made) = std::sync::mpsc::sync_channel(READ_AHEAD_BATCHES);
            s.spawn(move || {
                let mut batch = Vec::with_capacity(READ_AHEAD_BATCH);
                for row in self.range(range) {
                    batch.push(row.into_owned());
                    if batch.len() == READ_AHEAD_BATCH {
                        let full =
                            std::mem::replace(&mut batch, Vec::with_capacity(READ_AHEAD_BATCH));
                        // The writer stopped at an error: nothing more to make.
                        if batches.send(full).is_err() {
                            return;
                        }
                    }
                }
                if !batch.is_empty() {
                    let _ = batches.send(batch);
                }
            });
            // Returning early drops `made`, which stops the thread making rows.
            made.into_iter().try_for_each(each)
        })
    }

    /// Hands rows `range` to `write` one at a time, in order (made ahead as [`Rows::batches`]
    /// makes them), stopping at its first error.
    pub fn write_each<E>(
        &self,
        range: std::ops::Range<usize>,
        mut write: impl FnMut(&[Cell]) -> Result<(), E>,
    ) -> Result<(), E> {
        if let Rows::Built(rows) = self {
            return rows[range].iter().try_for_each(|r| write(r));
        }
        self.batches(range, |batch| batch.iter().try_for_each(|r| write(r)))
    }
}

/// Rows made ahead of their writer at a time, and how many such batches may wait: enough to
/// keep both threads busy, few enough that a national survey's comments are never all held.
const READ_AHEAD_BATCH: usize = 4096;
const READ_AHEAD_BATCHES: usize = 4;

impl<'a> Table<'a> {
    pub(crate) fn new(name: &'static str, header: &[&str], rows: Vec<Vec<Cell>>) -> Table<'a> {
        Table {
            name,
            header: header.iter().map(|h| h.to_string()).collect(),
            rows: Rows::Built(rows),
        }
    }

    /// A table of `len` rows made one at a time by `row` (see [`Rows::Each`]).
    fn each(
        name: &'static str,
        header: &[&str],
        len: usize,
        row: impl Fn(usize) -> Vec<Cell> + Send + Sync + 'a,
    ) -> Table<'a> {
        Table {
            name,
            header: header.iter().map(|h| h.to_string()).collect(),
            rows: Rows::Each {
                len,
                row: Box::new(row),
            },
        }
    }

    /// A table of `len` rows made in order by `rows` (see [`Rows::Stream`]).
    fn stream(
        name: &'static str,
        header: &[&str],
        len: usize,
        rows: impl Fn() -> Box<dyn Iterator<Item = Vec<Cell>> + 'a> + Send + Sync + 'a,
    ) -> Table<'a> {
        Table {
            name,
            header: header.iter().map(|h| h.to_string()).collect(),
            rows: Rows::Stream {
                len,
                rows: Box::new(rows),
            },
        }
    }

    /// The table as CSV bytes: header, then rows, text cells guarded against formula injection (see
    /// [`csv_text`]).
    pub fn csv(&self) -> Vec<u8> {
        let mut bytes = Vec::new();
        // Writing to memory cannot fail.
        let _ = self.write_csv(&mut bytes);
        bytes
    }

    /// Writes the table as CSV (see [`Table::csv`]) to `out`.
    pub fn write_csv(&self, out: impl std::io::Write) -> std::io::Result<()> {
        let mut w = csv::Writer::from_writer(out);
        w.write_record(&self.header)?;
        (self.rows).write_each(0..self.rows.len(), |r| {
            w.write_record(r.iter().map(Cell::csv))
        })?;
        w.flush()
    }
}

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

fn num(v: Option<f64>, decimals: usize, kind: Kind) -> Cell {
    match v {
        Some(value) if value.is_finite() => Cell::Number {
            value,
            decimals,
            kind,
        },
        _ => Cell::Empty,
    }
}

fn pct(v: Option<f64>) -> Cell {
    num(v, 4, Kind::Percent)
}

fn mean(v: Option<f64>) -> Cell {
    num(v, 4, Kind::Mean)
}

fn coef(v: Option<f64>) -> Cell {
    num(v, 4, Kind::Coefficient)
}

fn p(v: Option<f64>) -> Cell {
    num(v, 6, Kind::P)
}

fn count(n: Option<u64>) -> Cell {
    n.map_or(Cell::Empty, Cell::Count)
}

fn name_of(v: impl serde::Serialize) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// Every table of a wave, in the order of the workbook's sheets.
pub fn all<'a>(
    score: &'a ScoreReport,
    clean: &'a CleanTable,
    open: &'a [super::OpenQuestion<'a>],
    comparison: Option<&'a WaveComparison>,
) -> Vec<Table<'a>> {
    let themes = open.first().map(|q| q.report);
    let mut tables = vec![items(score), choices(score), numbers(score)];
    // Only a survey that asks a ranking question gets its table.
    if !score.rankings.is_empty() {
        tables.push(rankings(score));
    }
    tables.extend([scales(score), segments(score), crosstabs(score)]);
    if let Some(t) = themes {
        tables.extend([open_themes(open), open_comments(open), theme_segments(t)]);
        tables.extend(t.learned.as_ref().map(agreement));
    }
    tables.extend(comparison.map(changes));
    tables.push(exclusions(clean));
    tables
}

/// crosstabs.csv: a row per question × segment × group × option or measure, the omnibus test's
/// p on every row of its question × segment.
pub(crate) fn crosstabs(s: &ScoreReport) -> Table<'_> {
    let mut rows = Vec::new();
    for t in &s.crosstabs {
        for c in &t.cells {
            let value = match t.kind.as_str() {
                "scale" | "number" => mean(c.value),
                _ => pct(c.value),
            };
            rows.push(vec![
                text(&t.segment),
                text(&c.group),
                text(&t.kind),
                text(&t.id),
                text(&c.column),
                text(&c.option),
                count(c.n),
                value,
                text(c.suppressed.to_string()),
                p(t.p_value),
                p(t.p_adjusted),
                c.differs.map_or(Cell::Empty, |d| text(d.name())),
                reason(c.reason, s.suppress_below),
                c.differs
                    .map_or(Cell::Empty, |d| text(super::differences::marker(d))),
            ]);
        }
    }
    Table::new(
        "crosstabs",
        &[
            "segment",
            "group",
            "kind",
            "id",
            "column",
            "option",
            "n",
            "value",
            "suppressed",
            "p_value",
            "p_adjusted",
            "differs",
            "suppressed_reason",
            "marker",
        ],
        rows,
    )
}

/// Why a cell is hidden, in words ("fewer than 10"); empty when shown.
fn reason(r: Option<crate::suppression::Reason>, threshold: usize) -> Cell {
    r.map_or(Cell::Empty, |r| text(r.describe(threshold)))
}

/// items.csv: a row per item (n, missing, % agree with Wilson interval, mean, SD, median, count per
/// option).
pub fn items_csv(s: &ScoreReport) -> Vec<u8> {
    items(s).csv()
}

/// scales.csv: a row per scale, then per item of it (alpha, r.drop, alpha if deleted).
pub fn scales_csv(s: &ScoreReport) -> Vec<u8> {
    scales(s).csv()
}

/// One row per segment, group and item or scale; suppressed cells say so and carry no figures.
pub fn segments_csv(s: &ScoreReport) -> Vec<u8> {
    segments(s).csv()
}

/// changes.csv: the change since the previous wave per item (Newcombe interval) and scale (Welch
/// interval), with adjusted p-values.
pub fn changes_csv(c: &WaveComparison) -> Vec<u8> {
    changes(c).csv()
}

/// themes.csv: a row per theme (label, source, size, key words, quotes, tone shares).
pub fn themes_csv(t: &ThemeReport) -> Vec<u8> {
    themes_table(t).csv()
}

/// Comments per theme by segment; suppressed groups say so and carry no figures.
pub fn theme_segments_csv(t: &ThemeReport) -> Vec<u8> {
    theme_segments(t).csv()
}

/// Each comment's theme (comments.csv): `id,theme,label,status,text,sentiment,tone`, then
/// `confidence,review` when coding was learned from a coded sample.
pub fn comments_csv(t: &ThemeReport) -> Vec<u8> {
    comments(t).csv()
}

/// The assignments file of `canvass themes --assignments`. As its contract says: starts with
/// `id,theme,label`, then `sentiment` when sentiment was computed, then the rest.
pub fn assignments_csv(t: &ThemeReport) -> Vec<u8> {
    let table = comments(t);
    if t.sentiment_direction.is_none() {
        return table.csv();
    }
    // comments.csv's columns, `sentiment` moved up to the fourth.
    let order: Vec<usize> = [0, 1, 2, 5, 6, 3, 4]
        .into_iter()
        .chain(7..table.header.len())
        .collect();
    let headers: Vec<&str> = order.iter().map(|&c| table.header[c].as_str()).collect();
    let rows = move || -> Box<dyn Iterator<Item = Vec<Cell>> + '_> {
        let order = order.clone();
        Box::new(comment_rows(t).map(move |row| order.iter().map(|&c| row[c].clone()).collect()))
    };
    Table::stream("assignments", &headers, t.assignments.table_rows(), rows).csv()
}

/// exclusions.csv: a row per excluded response (line, hashed key, reason, evidence); never an
/// identifier.
pub fn exclusions_csv(c: &CleanTable) -> Vec<u8> {
    exclusions(c).csv()
}

/// choices.csv: a row per choice question and option (then its nets, marked `net`), each
/// option's count and share of those who answered with a Wilson interval.
pub(crate) fn choices(s: &ScoreReport) -> Table<'_> {
    let header = [
        "id", "text", "kind", "column", "option", "count", "n", "pct", "ci_low", "ci_high", "net",
    ];
    // Weighted waves show Kish's effective n beside the unweighted n.
    let weighted = s.weighting.is_some();
    let rows = s
        .choices
        .iter()
        .flat_map(|c| {
            let options = c.options.iter().map(move |o| (c, o, false));
            options.chain(c.nets.iter().map(move |o| (c, o, true)))
        })
        .map(|(c, o, net)| {
            let mut row = vec![
                text(&c.id),
                text(&c.text),
                text(c.kind.name()),
                text(&o.column),
                text(&o.option),
                Cell::Count(o.count),
                Cell::Count(c.n),
                pct(o.pct),
                pct(o.ci_low),
                pct(o.ci_high),
                text(if net { "yes" } else { "" }),
            ];
            if weighted {
                row.insert(7, mean(c.n_effective));
            }
            row
        })
        .collect();
    let mut header: Vec<&str> = header.to_vec();
    if weighted {
        header.insert(7, "n_effective");
    }
    Table::new("choices", &header, rows)
}

/// numbers.csv: a row per number question (n, missing, mean, SD, five-number summary), then
/// how many answers were not numbers.
pub(crate) fn numbers(s: &ScoreReport) -> Table<'_> {
    let header = [
        "id",
        "text",
        "column",
        "n",
        "missing",
        "mean",
        "sd",
        "min",
        "q1",
        "median",
        "q3",
        "max",
        "not_numbers",
    ];
    let figure = |v: Option<f64>| num(v, 4, Kind::Mean);
    let rows = s
        .numbers
        .iter()
        .map(|q| {
            vec![
                text(&q.id),
                text(&q.text),
                text(&q.column),
                Cell::Count(q.n),
                Cell::Count(q.missing),
                figure(q.mean),
                figure(q.sd),
                figure(q.min),
                figure(q.q1),
                figure(q.median),
                figure(q.q3),
                figure(q.max),
                Cell::Count(q.not_numbers),
            ]
        })
        .collect();
    Table::new("numbers", &header, rows)
}

/// rankings.csv: a row per ranking question and ranked thing: how many ranked it, its mean rank
/// and the share of the question's respondents who ranked it first.
pub(crate) fn rankings(s: &ScoreReport) -> Table<'_> {
    let header = [
        "id",
        "text",
        "column",
        "option",
        "n",
        "mean_rank",
        "first",
        "base",
        "pct_first",
    ];
    let rows = s
        .rankings
        .iter()
        .flat_map(|r| r.options.iter().map(move |o| (r, o)))
        .map(|(r, o)| {
            vec![
                text(&r.id),
                text(&r.text),
                text(&o.column),
                text(&o.option),
                Cell::Count(o.n),
                num(o.mean_rank, 4, Kind::Mean),
                Cell::Count(o.first),
                Cell::Count(r.n),
                pct(o.pct_first),
            ]
        })
        .collect();
    Table::new("rankings", &header, rows)
}

pub(crate) fn items(s: &ScoreReport) -> Table<'_> {
    let max_options = s
        .items
        .iter()
        .map(|i| i.summary.options.len())
        .max()
        .unwrap_or(0);
    let mut header: Vec<String> = [
        "id",
        "text",
        "column",
        "response_scale",
        "n",
        "missing",
        "non_substantive",
        "unrecognised",
        "pct_agree",
        "ci_low",
        "ci_high",
        "pct_neutral",
        "pct_disagree",
        "net_agree",
        "mean",
        "sd",
        "median",
    ]
    .map(String::from)
    .to_vec();
    // Weighted waves show Kish's effective n beside the unweighted n.
    let weighted = s.weighting.is_some();
    if weighted {
        header.insert(5, "n_effective".into());
    }
    for o in 1..=max_options {
        header.push(format!("option_{o}_label"));
        header.push(format!("option_{o}_count"));
    }
    let rows = s
        .items
        .iter()
        .map(|i| {
            let m = &i.summary;
            let mut row = vec![
                text(&i.id),
                text(&i.text),
                text(&i.column),
                text(&i.response_scale),
                Cell::Count(m.n),
                Cell::Count(m.missing),
                Cell::Count(m.non_substantive),
                Cell::Count(m.unrecognised),
                pct(m.pct_agree),
                pct(m.ci_low),
                pct(m.ci_high),
                pct(m.pct_neutral),
                pct(m.pct_disagree),
                pct(m.net_agree),
                mean(m.mean),
                mean(m.sd),
                mean(m.median),
            ];
            if weighted {
                row.insert(5, mean(m.n_effective));
            }
            for o in 0..max_options {
                match m.options.get(o) {
                    Some(opt) => row.extend([text(&opt.label), Cell::Count(opt.count)]),
                    None => row.extend([Cell::Empty, Cell::Empty]),
                }
            }
            row
        })
        .collect();
    Table {
        name: "items",
        header,
        rows: Rows::Built(rows),
    }
}

pub(crate) fn scales(s: &ScoreReport) -> Table<'_> {
    let mut rows = Vec::new();
    // Weighted waves show Kish's effective n beside the unweighted n (the scale's row: its mean
    // and SD are weighted; the items' rows and reliability are not).
    let weighted = s.weighting.is_some();
    for sc in &s.scales {
        let r = &sc.reliability;
        let method = name_of(sc.missing_method);
        let at = rows.len();
        rows.push(vec![
            text(&sc.name),
            Cell::Empty,
            Cell::Empty,
            Cell::Count(sc.n),
            mean(sc.mean),
            mean(sc.sd),
            coef(r.alpha),
            coef(r.alpha_std),
            coef(r.alpha_ci_low),
            coef(r.alpha_ci_high),
            coef(r.average_r),
            Cell::Empty,
            Cell::Empty,
            text(&method),
        ]);
        for it in &r.items {
            rows.push(vec![
                text(&sc.name),
                text(&it.id),
                text(it.reversed.to_string()),
                Cell::Count(it.n),
                mean(Some(it.mean)),
                mean(Some(it.sd)),
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                coef(it.r_drop),
                coef(it.alpha_if_deleted),
                text(&method),
            ]);
        }
        if weighted {
            rows[at].insert(4, mean(sc.n_effective));
            for row in &mut rows[at + 1..] {
                row.insert(4, Cell::Empty);
            }
        }
    }
    let mut header = vec![
        "name",
        "item",
        "reversed",
        "n",
        "mean",
        "sd",
        "alpha",
        "alpha_std",
        "alpha_ci_low",
        "alpha_ci_high",
        "average_r",
        "r_drop",
        "alpha_if_deleted",
        "missing_method",
    ];
    if weighted {
        header.insert(4, "n_effective");
    }
    Table::new("scales", &header, rows)
}

pub(crate) fn segments(s: &ScoreReport) -> Table<'_> {
    // Weighted waves show Kish's effective n beside the unweighted n.
    let weighted = s.weighting.is_some();
    let mut rows = Vec::new();
    for seg in &s.segments {
        for g in &seg.groups {
            for it in &g.items {
                let mut row = vec![
                    text(&seg.name),
                    text(&g.value),
                    text("item"),
                    text(&it.id),
                    text(it.suppressed.to_string()),
                    count(it.n),
                    pct(it.pct_agree),
                    mean(it.mean),
                    reason(it.reason, s.suppress_below),
                ];
                if weighted {
                    row.insert(6, mean(it.n_effective));
                }
                rows.push(row);
            }
            for sc in &g.scales {
                let mut row = vec![
                    text(&seg.name),
                    text(&g.value),
                    text("scale"),
                    text(&sc.name),
                    text(sc.suppressed.to_string()),
                    count(sc.n),
                    Cell::Empty,
                    mean(sc.mean),
                    reason(sc.reason, s.suppress_below),
                ];
                if weighted {
                    row.insert(6, Cell::Empty);
                }
                rows.push(row);
            }
        }
    }
    let mut header = vec![
        "segment",
        "group",
        "kind",
        "id",
        "suppressed",
        "n",
        "pct_agree",
        "mean",
        "suppressed_reason",
    ];
    if weighted {
        header.insert(6, "n_effective");
    }
    Table::new("segments", &header, rows)
}

fn changes(c: &WaveComparison) -> Table<'_> {
    changes_named(c, "changes")
}

/// A comparison's table under `name` (changes.csv, changes_since_first.csv).
pub fn changes_named<'a>(c: &'a WaveComparison, name: &'static str) -> Table<'a> {
    let family = c
        .family
        .clone()
        .unwrap_or(crate::score::compare::TestFamily {
            size: 0,
            adjustment: c.adjustment,
            alpha: 1.0 - c.confidence,
            simultaneous_confidence: c.confidence,
        });
    let items = c.items.iter().map(|i| {
        vec![
            text("item"),
            text(&i.id),
            Cell::Count(i.before_n),
            pct(i.before_pct_agree),
            Cell::Count(i.after_n),
            pct(i.after_pct_agree),
            pct(i.change),
            pct(i.ci_low),
            pct(i.ci_high),
            p(i.p_value),
            p(i.p_adjusted),
            p(i.p_mann_whitney),
            p(i.p_mann_whitney_adjusted),
            text(i.significant.to_string()),
            text(i.test.name()),
            i.matched.map_or(Cell::Empty, Cell::Count),
            p(i.p_test),
            p(i.p_test_adjusted),
            Cell::Count(family.size as u64),
            p(Some(family.simultaneous_confidence)),
            pct(i.simultaneous_ci_low),
            pct(i.simultaneous_ci_high),
        ]
    });
    let scales = c.scales.iter().map(|s| {
        vec![
            text("scale"),
            text(&s.name),
            Cell::Count(s.before_n),
            mean(s.before_mean),
            Cell::Count(s.after_n),
            mean(s.after_mean),
            mean(s.change),
            mean(s.ci_low),
            mean(s.ci_high),
            Cell::Empty,
            Cell::Empty,
            p(s.p_mann_whitney),
            p(s.p_adjusted),
            text(s.significant.to_string()),
            text(s.test.name()),
            s.matched.map_or(Cell::Empty, Cell::Count),
            p(s.p_test),
            p(s.p_test_adjusted),
            Cell::Count(family.size as u64),
            p(Some(family.simultaneous_confidence)),
            mean(s.simultaneous_ci_low),
            mean(s.simultaneous_ci_high),
        ]
    });
    Table::new(
        name,
        &[
            "kind",
            "id",
            "before_n",
            "before",
            "after_n",
            "after",
            "change",
            "ci_low",
            "ci_high",
            "p_value",
            "p_adjusted",
            "p_mann_whitney",
            "p_mann_whitney_adjusted",
            "significant",
            "test",
            "matched",
            "p_test",
            "p_test_adjusted",
            "family_size",
            "simultaneous_confidence",
            "simultaneous_ci_low",
            "simultaneous_ci_high",
        ],
        items.chain(scales).collect(),
    )
}

fn exclusions(c: &CleanTable) -> Table<'_> {
    let row = |i: usize| {
        let e = &c.exclusions[i];
        vec![
            Cell::Count(e.row as u64),
            text(&e.respondent),
            text(e.reason.name()),
            text(&e.detail),
        ]
    };
    Table::each(
        "exclusions",
        &["row", "respondent", "reason", "detail"],
        c.exclusions.len(),
        row,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_like_text_is_quoted_and_figures_are_not() {
        for s in [
            "=HYPERLINK(\"http://x\")",
            "+1",
            "@SUM(A1)",
            "-2+3",
            "\tx",
            "\rx",
        ] {
            assert_eq!(Cell::Text(s.into()).csv(), format!("'{s}"));
        }
        assert_eq!(Cell::Text("Staff (all)".into()).csv(), "Staff (all)");
        let figure = num(Some(-0.5), 4, Kind::Mean);
        assert_eq!(figure.csv(), "-0.5000");
        assert_eq!(figure.shown_value(), Some(-0.5));
        assert_eq!(pct(Some(98.484848)).shown_value(), Some(98.4848));
    }
}
