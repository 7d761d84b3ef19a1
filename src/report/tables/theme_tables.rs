//! The open questions' tables: themes, comments (one row per comment and theme), themes by
//! segment and the learned coding's agreement.

use super::*;

pub(crate) fn themes_table(t: &ThemeReport) -> Table<'_> {
    Table::new(
        "themes",
        &[
            "theme",
            "label",
            "kind",
            "size",
            "pct_comments",
            "pct_respondents",
            "keywords",
            "quote_1",
            "quote_2",
            "quote_3",
            "pct_positive",
            "pct_neutral",
            "pct_negative",
        ],
        // Largest first, as the summaries list them; `theme` keeps each theme's number.
        t.by_size()
            .into_iter()
            .map(|th| {
                let mut row = vec![
                    Cell::Count(th.id as u64),
                    text(&th.label),
                    text(&th.kind),
                    Cell::Count(th.size as u64),
                    num(Some(th.pct_comments), 2, Kind::Percent),
                    num(Some(th.pct_respondents), 2, Kind::Percent),
                    text(th.keywords.join("; ")),
                ];
                for q in 0..3 {
                    row.push(text(th.quotes.get(q).cloned().unwrap_or_default()));
                }
                row.extend(tone_shares(th));
                row
            })
            .collect(),
    )
}

/// themes.csv of a wave: every open question's themes, each row ending with the question's id
/// and export column.
pub(crate) fn open_themes<'a>(open: &'a [crate::report::OpenQuestion<'a>]) -> Table<'a> {
    let mut rows = Vec::new();
    let mut header = Vec::new();
    for q in open {
        let t = themes_table(q.report);
        header.clone_from(&t.header);
        for r in t.rows.iter() {
            let mut row = r.into_owned();
            row.extend([text(q.id), text(q.column)]);
            rows.push(row);
        }
    }
    header.extend(["question".to_string(), "column".to_string()]);
    Table {
        name: "themes",
        header,
        rows: Rows::Built(rows),
    }
}

/// comments.csv of a wave: every open question's comments, each row ending with the question's
/// id and export column (the learned coding's columns are the first question's).
pub(super) fn open_comments<'a>(open: &'a [crate::report::OpenQuestion<'a>]) -> Table<'a> {
    let first = comments(open[0].report);
    let mut header: Vec<&str> = first.header.iter().map(String::as_str).collect();
    let width = header.len();
    header.extend(["question", "column"]);
    let len = open.iter().map(|q| q.report.assignments.table_rows()).sum();
    Table::stream("comments", &header, len, move || {
        Box::new(open.iter().flat_map(move |q| {
            comment_rows(q.report).map(move |mut row| {
                row.resize(width, Cell::Empty);
                row.extend([text(q.id), text(q.column)]);
                row
            })
        }))
    })
}

/// Per cent of a theme's comments that are positive, neutral and negative; empty when
/// sentiment was not computed or the theme has no comments.
pub(super) fn tone_shares(th: &crate::themes::Theme) -> [Cell; 3] {
    let share = |n: usize, total: usize| (total > 0).then(|| 100.0 * n as f64 / total as f64);
    match th.tones {
        Some(c) => [
            num(share(c.positive, c.total()), 2, Kind::Percent),
            num(share(c.neutral, c.total()), 2, Kind::Percent),
            num(share(c.negative, c.total()), 2, Kind::Percent),
        ],
        None => [Cell::Empty, Cell::Empty, Cell::Empty],
    }
}

pub(super) fn theme_segments(t: &ThemeReport) -> Table<'_> {
    let mut rows = Vec::new();
    for seg in &t.segments {
        for g in &seg.groups {
            for (th, comments) in t.themes.iter().zip(&g.comments) {
                rows.push(vec![
                    text(&seg.name),
                    text(&g.value),
                    text(g.suppressed.to_string()),
                    count(g.respondents),
                    Cell::Count(th.id as u64),
                    text(&th.label),
                    count(*comments),
                    reason(g.reason, seg.suppress_below),
                ]);
            }
        }
    }
    Table::new(
        "themes_by_segment",
        &[
            "segment",
            "group",
            "suppressed",
            "respondents",
            "theme",
            "label",
            "comments",
            "suppressed_reason",
        ],
        rows,
    )
}

/// Learned coding's cross-validated agreement per theme (agreement.csv): the automatic coding
/// against the coded sample's, each held-out comment coded by a model that did not see it.
pub(super) fn agreement(l: &crate::themes::learn::LearnedSummary) -> Table<'_> {
    let cv = &l.cross_validation;
    let mut rows: Vec<Vec<Cell>> = cv
        .themes
        .iter()
        .map(|t| {
            vec![
                text(&t.theme),
                Cell::Count(t.in_a as u64),
                Cell::Count(t.in_b as u64),
                Cell::Count(t.both as u64),
                num(t.precision, 3, Kind::Coefficient),
                num(t.recall, 3, Kind::Coefficient),
                num(t.f1, 3, Kind::Coefficient),
                num(t.kappa, 3, Kind::Coefficient),
            ]
        })
        .collect();
    rows.push(vec![
        text("(all themes: exact set; mean kappa)"),
        Cell::Count(cv.comments as u64),
        Cell::Count(cv.comments as u64),
        Cell::Count(cv.exact as u64),
        Cell::Empty,
        Cell::Empty,
        num(Some(cv.exact_share), 3, Kind::Coefficient),
        num(cv.kappa, 3, Kind::Coefficient),
    ]);
    Table::new(
        "agreement",
        &[
            "theme",
            "in_sample",
            "coded_automatically",
            "both",
            "precision",
            "recall",
            "f1",
            "kappa",
        ],
        rows,
    )
}

pub(super) fn comments(t: &ThemeReport) -> Table<'_> {
    let learned = t.learned.is_some();
    let mut header = vec![
        "id",
        "theme",
        "label",
        "status",
        "text",
        "sentiment",
        "tone",
    ];
    if learned {
        header.extend(["confidence", "review"]);
    }
    let len = t.assignments.table_rows();
    Table::stream("comments", &header, len, move || Box::new(comment_rows(t)))
}

/// The rows of comments.csv for a question, in the order of its comments (read one at a time
/// when the stage cache holds them): one per comment and theme it is in, one (theme empty)
/// for a comment in no theme, as documented.
pub(super) fn comment_rows(t: &ThemeReport) -> impl Iterator<Item = Vec<Cell>> + '_ {
    t.assignments.stream().flat_map(move |a| {
        let themes: Vec<Option<usize>> = match a.themes.is_empty() {
            true => vec![a.theme.map(|t| t as usize)],
            false => a.themes.iter().copied().map(Some).collect(),
        };
        let rows: Vec<Vec<Cell>> = themes
            .into_iter()
            .map(|theme| comment_row(t, &a, theme))
            .collect();
        rows
    })
}

/// A row of comments.csv: comment `a` in theme `theme`.
fn comment_row(t: &ThemeReport, a: &crate::themes::Assignment, theme: Option<usize>) -> Vec<Cell> {
    let mut row = vec![
        text(&a.respondent),
        theme.map_or(Cell::Empty, |id| Cell::Count(id as u64)),
        text(t.row_label(a, theme)),
        text(name_of(a.status)),
        text(&a.text),
        num(a.sentiment, 4, Kind::Coefficient),
        a.tone.map_or(Cell::Empty, |t| text(t.name())),
    ];
    if t.learned.is_some() {
        row.push(num(a.confidence, 3, Kind::Coefficient));
        row.push(text(if a.review { "needs review" } else { "" }));
    }
    row
}
