//! Report: the wave's artefacts → the files an evaluator hands on. Pure: it returns file names
//! and bytes, and the runner writes them.
//!
//! The summary's figures are formatted here (in Rust, once) and the templates only lay them out,
//! so a custom template cannot change a number and every output is byte-identical between runs.

pub mod charts;
pub mod tables;
pub mod text;

use crate::clean::CleanTable;
use crate::config::Survey;
use crate::score::compare::WaveComparison;
use crate::score::ScoreReport;
use crate::themes::ThemeReport;
use minijinja::Environment;
use serde::Serialize;
use text::{fixed, list_sentence, plural, prose_pct, signed};

pub const HTML_TEMPLATE: &str = include_str!("../../reports/templates/summary.html.j2");
pub const MARKDOWN_TEMPLATE: &str = include_str!("../../reports/templates/summary.md.j2");

/// Everything the report stage reads.
pub struct ReportInput<'a> {
    pub survey: &'a Survey,
    pub wave_name: &'a str,
    pub wave_label: &'a str,
    pub clean: &'a CleanTable,
    pub score: &'a ScoreReport,
    pub themes: Option<(&'a str, &'a ThemeReport)>,
    pub comparison: Option<&'a WaveComparison>,
}

/// Templates to render; the built-in ones unless a pipeline names a folder.
pub struct Templates {
    pub html: String,
    pub markdown: String,
}

impl Default for Templates {
    fn default() -> Self {
        Templates {
            html: HTML_TEMPLATE.to_string(),
            markdown: MARKDOWN_TEMPLATE.to_string(),
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
    excluded_sentence: String,
    opening: String,
    headlines: Vec<String>,
    confidence: String,
    suppress_below: usize,
    legends: Vec<Legend>,
    items: Vec<ItemRow>,
    scales: Vec<ScaleRow>,
    segments: Vec<SegmentTable>,
    themes: Option<ThemesSection>,
    changes: Option<ChangesSection>,
}

#[derive(Debug, Serialize)]
struct Legend {
    name: String,
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
    columns: Vec<String>,
    rows: Vec<SegmentRow>,
    suppressed_groups: usize,
    all_suppressed: bool,
    groups: usize,
}

#[derive(Debug, Serialize)]
struct SegmentRow {
    group: String,
    n: String,
    cells: Vec<String>,
}

#[derive(Debug, Serialize)]
struct ThemesSection {
    question: String,
    comments: usize,
    non_substantive: usize,
    coded: usize,
    themed: usize,
    unthemed: usize,
    method: String,
    themes: Vec<ThemeRow>,
}

#[derive(Debug, Serialize)]
struct ThemeRow {
    id: usize,
    codebook: bool,
    label: String,
    size: usize,
    pct_comments: String,
    keywords: String,
    quotes: Vec<String>,
}

#[derive(Debug, Serialize)]
struct ChangesSection {
    before: String,
    after: String,
    sentences: Vec<String>,
    rows: Vec<ChangeRow>,
    scale_rows: Vec<ChangeRow>,
}

#[derive(Debug, Serialize)]
struct ChangeRow {
    id: String,
    before: String,
    after: String,
    change: String,
    ci: String,
    p_adjusted: String,
    significant: bool,
}

/// Renders the summaries and tables of one wave. Returns (file name, bytes) in a fixed order.
pub fn render(
    input: &ReportInput,
    templates: &Templates,
) -> Result<Vec<(String, Vec<u8>)>, String> {
    let context = context(input);
    let mut env = Environment::new();
    env.add_template("summary.html.j2", &templates.html)
        .map_err(|e| format!("HTML template: {e}"))?;
    env.add_template("summary.md.j2", &templates.markdown)
        .map_err(|e| format!("Markdown template: {e}"))?;
    let render = |name: &str| -> Result<Vec<u8>, String> {
        env.get_template(name)
            .and_then(|t| t.render(&context))
            .map(String::into_bytes)
            .map_err(|e| format!("template {name}: {e}"))
    };
    let mut files = vec![
        ("summary.html".to_string(), render("summary.html.j2")?),
        ("summary.md".to_string(), render("summary.md.j2")?),
        ("items.csv".to_string(), tables::items_csv(input.score)),
        ("scales.csv".to_string(), tables::scales_csv(input.score)),
        (
            "segments.csv".to_string(),
            tables::segments_csv(input.score),
        ),
        (
            "exclusions.csv".to_string(),
            tables::exclusions_csv(input.clean),
        ),
    ];
    if let Some((_, t)) = input.themes {
        files.push(("themes.csv".to_string(), tables::themes_csv(t)));
        files.push(("comments.csv".to_string(), tables::comments_csv(t)));
        files.push((
            "themes_by_segment.csv".to_string(),
            tables::theme_segments_csv(t),
        ));
    }
    if let Some(c) = input.comparison {
        files.push(("changes.csv".to_string(), tables::changes_csv(c)));
    }
    Ok(files)
}

fn context(input: &ReportInput) -> Context {
    let score = input.score;
    let lead = headline_items(input);
    let acc = &input.clean.accounting;
    let excluded: Vec<String> = acc
        .excluded
        .iter()
        .map(|(reason, &n)| {
            let n = n as u64;
            match reason {
                crate::clean::Reason::Preview => plural(n, "preview", "previews"),
                crate::clean::Reason::Test => plural(n, "test response", "test responses"),
                crate::clean::Reason::Spam => {
                    plural(n, "response flagged as spam", "responses flagged as spam")
                }
                crate::clean::Reason::Unfinished => {
                    plural(n, "unfinished response", "unfinished responses")
                }
                crate::clean::Reason::Empty => plural(n, "empty response", "empty responses"),
                crate::clean::Reason::Duplicate => plural(n, "duplicate", "duplicates"),
                crate::clean::Reason::Speeder => plural(
                    n,
                    "response completed implausibly fast",
                    "responses completed implausibly fast",
                ),
                crate::clean::Reason::StraightLiner => {
                    plural(n, "straight-lined response", "straight-lined responses")
                }
            }
        })
        .collect();
    let excluded_sentence = if excluded.is_empty() {
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
        excluded_sentence,
        opening,
        headlines: headlines(input),
        confidence: format!("{}", (score.confidence * 100.0).round()),
        suppress_below: score.suppress_below,
        legends: input
            .survey
            .response_scales
            .iter()
            .filter(|rs| input.survey.items.iter().any(|i| i.scale == rs.name))
            .map(|rs| Legend {
                name: rs.name.clone(),
                html: charts::legend(&rs.labels),
            })
            .collect(),
        items: score
            .items
            .iter()
            .map(|i| {
                let m = &i.summary;
                ItemRow {
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
                    chart: charts::stacked_bar(m),
                }
            })
            .collect(),
        scales: score
            .scales
            .iter()
            .map(|s| {
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
                    mean: fixed(s.mean, 2),
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
            })
            .collect(),
        // The summary shows the headline items and the scales by segment; segments.csv has all.
        segments: score
            .segments
            .iter()
            .map(|seg| SegmentTable {
                name: seg.name.clone(),
                columns: lead
                    .iter()
                    .map(|&i| format!("{} % agree", score.items[i].id))
                    .chain(score.scales.iter().map(|s| format!("{} mean", s.name)))
                    .collect(),
                suppressed_groups: seg.groups.iter().filter(|g| g.suppressed).count(),
                all_suppressed: seg.groups.iter().all(|g| g.suppressed),
                groups: seg.groups.len(),
                rows: seg
                    .groups
                    .iter()
                    .map(|g| SegmentRow {
                        group: g.value.clone(),
                        n: g.n.map_or_else(
                            || format!("< {}", score.suppress_below),
                            |n| n.to_string(),
                        ),
                        cells: lead
                            .iter()
                            .map(|&i| &g.items[i])
                            .map(|c| {
                                if c.suppressed {
                                    "·".into()
                                } else {
                                    fixed(c.pct_agree, 0)
                                }
                            })
                            .chain(g.scales.iter().map(|c| {
                                if c.suppressed {
                                    "·".into()
                                } else {
                                    fixed(c.mean, 2)
                                }
                            }))
                            .collect(),
                    })
                    .collect(),
            })
            .collect(),
        themes: input.themes.map(|(question, t)| ThemesSection {
            question: question.to_string(),
            comments: t.comments,
            non_substantive: t.non_substantive,
            coded: t.coded,
            themed: t.themed,
            unthemed: t.unthemed,
            method: match t.k_method.as_str() {
                "silhouette" => format!(
                    "{} themes, chosen by silhouette among {}",
                    t.k,
                    t.silhouettes
                        .iter()
                        .map(|(k, _)| k.to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                _ => format!("{} themes, as configured", t.k),
            } + &if t.coded > 0 {
                format!(
                    ", from the {} comments that matched no codebook theme; {} comments were coded to the survey's codebook",
                    t.themed + t.unthemed,
                    t.coded
                )
            } else {
                String::new()
            },
            themes: t
                .themes
                .iter()
                .map(|th| ThemeRow {
                    id: th.id,
                    codebook: th.kind == "codebook",
                    label: th.label.clone(),
                    size: th.size,
                    pct_comments: fixed(Some(th.pct_comments), 0),
                    keywords: th.keywords.join(", "),
                    quotes: th.quotes.clone(),
                })
                .collect(),
        }),
        changes: input
            .comparison
            .map(|c| changes_section(c, score.confidence)),
    }
}

/// The items marked `headline` in the survey, or the first three.
fn headline_items(input: &ReportInput) -> Vec<usize> {
    let marked: Vec<usize> = input
        .survey
        .items
        .iter()
        .enumerate()
        .filter(|(_, i)| i.headline)
        .map(|(i, _)| i)
        .collect();
    if marked.is_empty() {
        (0..input.score.items.len().min(3)).collect()
    } else {
        marked
    }
}

/// "Of the 66 respondents who answered, 100 per cent said …; 98 per cent said …".
fn headlines(input: &ReportInput) -> Vec<String> {
    let items = &input.score.items;
    let chosen = headline_items(input);
    let mut sentences = Vec::new();
    let mut i = 0;
    while i < chosen.len() {
        let n = items[chosen[i]].summary.n;
        let mut clauses = Vec::new();
        while i < chosen.len() && items[chosen[i]].summary.n == n {
            let it = &items[chosen[i]];
            clauses.push(format!(
                "{} per cent said {}",
                prose_pct(it.summary.agree_count, n),
                it.statement
            ));
            i += 1;
        }
        let body = match clauses.as_slice() {
            [one] => one.clone(),
            [init @ .., last] => format!("{}; and {last}", init.join("; ")),
            [] => continue,
        };
        sentences.push(format!("Of the {n} respondents who answered, {body}."));
    }
    sentences
}

fn changes_section(c: &WaveComparison, confidence: f64) -> ChangesSection {
    let method = match c.adjustment {
        crate::stats::hypothesis::Adjustment::Holm => "Holm",
        crate::stats::hypothesis::Adjustment::BenjaminiHochberg => "Benjamini–Hochberg",
    };
    let level = format!("{}%", (confidence * 100.0).round());
    let mut sentences: Vec<String> = c
        .items
        .iter()
        .filter(|i| i.significant)
        .map(|i| {
            let direction = if i.change.unwrap_or(0.0) > 0.0 { "rose" } else { "fell" };
            format!(
                "The share agreeing that {} {direction} from {} to {} per cent ({} points; {level} CI {} to {}).",
                i.statement,
                fixed(i.before_pct_agree, 0),
                fixed(i.after_pct_agree, 0),
                signed(i.change, 0),
                signed(i.ci_low, 0),
                signed(i.ci_high, 0)
            )
        })
        .collect();
    sentences.extend(c.scales.iter().filter(|s| s.significant).map(|s| {
        format!(
            "The mean {} score changed from {} to {} ({}; {level} CI {} to {}).",
            s.name,
            fixed(s.before_mean, 2),
            fixed(s.after_mean, 2),
            signed(s.change, 2),
            signed(s.ci_low, 2),
            signed(s.ci_high, 2)
        )
    }));
    if let Some(panel) = c.panel.as_ref().filter(|p| p.matched_respondents > 0) {
        let significant: Vec<String> = panel
            .items
            .iter()
            .filter(|i| i.significant)
            .filter_map(|i| {
                let statement = &c.items.iter().find(|x| x.id == i.id)?.statement;
                Some(format!(
                    "the share agreeing that {statement} went from {} to {} per cent ({} stopped agreeing, {} started)",
                    fixed(i.before_pct_agree, 0),
                    fixed(i.after_pct_agree, 0),
                    i.stopped_agreeing.unwrap_or(0),
                    i.started_agreeing.unwrap_or(0)
                ))
            })
            .collect();
        sentences.push(if significant.is_empty() {
            format!(
                "{} respondents answered both waves; among them no item changed significantly (McNemar's test, {method}-adjusted).",
                panel.matched_respondents
            )
        } else {
            format!(
                "{} respondents answered both waves; among them {} (McNemar's test, {method}-adjusted).",
                panel.matched_respondents,
                list_sentence(&significant)
            )
        });
    }
    let tested = c.items.len() + c.scales.len();
    let significant = c.items.iter().filter(|i| i.significant).count()
        + c.scales.iter().filter(|s| s.significant).count();
    sentences.push(if significant == 0 {
        format!(
            "None of the {tested} changes since {} is statistically significant after {method} adjustment; differences of this size could arise by chance.",
            c.before
        )
    } else {
        format!(
            "{} of {tested} changes since {} {} statistically significant after {method} adjustment for multiple comparisons; the others could arise by chance.",
            capitalise(&significant.to_string()),
            c.before,
            if significant == 1 { "is" } else { "are" }
        )
    });
    ChangesSection {
        before: c.before.clone(),
        after: c.after.clone(),
        sentences,
        rows: c
            .items
            .iter()
            .map(|i| ChangeRow {
                id: i.id.clone(),
                before: fixed(i.before_pct_agree, 1),
                after: fixed(i.after_pct_agree, 1),
                change: signed(i.change, 1),
                ci: format!("{} to {}", signed(i.ci_low, 1), signed(i.ci_high, 1)),
                p_adjusted: fixed(i.p_adjusted, 3),
                significant: i.significant,
            })
            .collect(),
        scale_rows: c
            .scales
            .iter()
            .map(|s| ChangeRow {
                id: s.name.clone(),
                before: fixed(s.before_mean, 2),
                after: fixed(s.after_mean, 2),
                change: signed(s.change, 2),
                ci: format!("{} to {}", signed(s.ci_low, 2), signed(s.ci_high, 2)),
                p_adjusted: fixed(s.p_adjusted, 3),
                significant: s.significant,
            })
            .collect(),
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
