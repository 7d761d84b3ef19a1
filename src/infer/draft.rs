//! A draft survey definition from an export, that a newcomer can run unedited: Likert items
//! with a statement for the summary's sentences, response scales in the data's own words,
//! a handful of segments that can be reported without suppressing every group, the open
//! questions, and a list of every column left out and why.

use super::{columns, ColumnInfo, Kind};
use crate::config::survey::{Item, ResponseScale, Segment, Survey, TextQuestion};
use crate::config::{Choice, ChoiceKind, Number, Ranking};
use crate::ingest::RawExport;
use std::collections::{BTreeMap, BTreeSet};

/// Segments drafted at most: a summary with more breakdowns is not read.
const MAX_SEGMENTS: usize = 5;
/// Groups a segment may have at most.
const MAX_GROUPS: usize = 12;
/// The default suppression threshold (`score --suppress-below`, `[report] suppress_below`):
/// a segment is drafted only when most of its groups reach it.
const SUPPRESS_BELOW: usize = 10;
/// Words that name the groupings evaluators break results down by.
const GROUPING_WORDS: &[&str] = &[
    "region",
    "role",
    "school",
    "cluster",
    "site",
    "department",
    "team",
    "area",
    "district",
    "county",
    "country",
    "gender",
    "age",
    "grade",
    "year",
    "group",
    "unit",
    "service",
    "organisation",
    "organization",
    "sector",
    "position",
    "job",
    "ward",
    "trust",
    "phase",
];

/// A draft instrument and what was left out of it.
#[derive(Debug, Clone)]
pub struct Draft {
    /// The draft survey definition (`init` writes it as survey.toml for the researcher to edit).
    pub survey: Survey,
    /// Columns the draft does not use, each with its kind and why (listed as comments in the
    /// draft).
    pub left_out: Vec<LeftOut>,
    /// Rows of matrices on one scale, which may measure one construct: offered as commented
    /// `[[scales]]` blocks, since only the researcher knows whether they do.
    pub matrix_scales: Vec<(String, Vec<String>)>,
}

/// A column the draft does not use, with its kind and the reason.
#[derive(Debug, Clone, PartialEq)]
pub struct LeftOut {
    /// The column's id in the export.
    pub column: String,
    /// What the column was inferred to be.
    pub kind: Kind,
    /// Why it is not in the draft, in a few words.
    pub why: String,
}

/// A draft survey from an export (see `Draft`).
pub fn draft_survey(raw: &RawExport, title: &str) -> Survey {
    draft(raw, title).survey
}

/// The language of the questionnaire, from its question texts and the words of its answers
/// (open and choice questions, at most 5,000 cells); English when they do not say.
fn detected_language(raw: &RawExport, infos: &[ColumnInfo]) -> &'static str {
    let worded: Vec<usize> = (0..infos.len())
        .filter(|&i| {
            matches!(
                infos[i].kind,
                Kind::FreeText | Kind::SingleChoice | Kind::Likert
            )
        })
        .collect();
    let questions = raw.columns.iter().map(|c| c.question.as_str());
    let answers = raw
        .rows
        .iter()
        .flat_map(|r| worded.iter().map(move |&i| r.cells[i].as_str()))
        .take(5_000);
    crate::config::language::detect(questions.chain(answers)).unwrap_or("english")
}

/// The draft and the columns it leaves out.
pub fn draft(raw: &RawExport, title: &str) -> Draft {
    let infos = columns(raw);
    let not_shown = raw.source.format.not_shown_marker();
    let mut ids = Ids::default();
    let mut scales = ScaleSet::default();
    let mut items: Vec<Item> = Vec::new();
    let mut text = Vec::new();
    let mut left_out = Vec::new();
    let mut matrices: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let segment_columns = choose_segments(&infos);
    let mut choices: Vec<Choice> = Vec::new();
    let mut numbers: Vec<Number> = Vec::new();
    // A check-all question spread over a column per option: its choice's index, by matrix.
    let mut spread: BTreeMap<String, usize> = BTreeMap::new();
    // A rating question written one column per option: its item's index, by question.
    let mut spread_items: BTreeMap<String, usize> = BTreeMap::new();
    let ranked = ranking_families(raw, &infos);
    let mut rankings = Vec::new();
    for (at, info) in infos.iter().enumerate() {
        if let Some((stem, family)) = ranked.iter().find(|(_, f)| f.contains(&at)) {
            if family[0] == at {
                rankings.push(ranking(ids.item(info), stem, family, &infos));
            }
            continue;
        }
        let codes = match info.kind {
            Kind::Numeric => few_codes(raw, at),
            _ => None,
        };
        match info.kind {
            Kind::Likert if info.spread == Some(super::Spread::OneOfOptions) => {
                let family = option_family(info).unwrap_or_else(|| info.label().to_string());
                // SurveyMonkey writes a question with no rows as "Question? - - Option".
                let family = family.trim_end_matches(['-', ' ']).to_string();
                if let Some(&k) = spread_items.get(&family) {
                    items[k].option_columns.push(info.name.clone());
                    continue;
                }
                let scale = scales.add(info, not_shown);
                spread_items.insert(family.clone(), items.len());
                let row = family.rsplit_once(" - ").map_or(family.as_str(), |(_, row)| row);
                items.push(Item {
                    statement: Some(statement_of(row, scales.get(&scale))),
                    id: ids.item(info),
                    column: None,
                    columns: None,
                    option_columns: vec![info.name.clone()],
                    text: family,
                    scale,
                    headline: false,
                    allow_identifying: false,
                });
            }
            Kind::Likert => {
                let scale = scales.add(info, not_shown);
                let id = ids.item(info);
                if let Some(m) = &info.matrix {
                    matrices
                        .entry(format!("{m}\u{0}{scale}"))
                        .or_default()
                        .push(id.clone());
                }
                items.push(Item {
                    statement: Some(statement(info, scales.get(&scale))),
                    id,
                    column: Some(info.name.clone()),
                    columns: None,
                    option_columns: Vec::new(),
                    text: info.label().to_string(),
                    scale,
                    headline: false,
                    allow_identifying: false,
                });
            }
            Kind::FreeText => text.push((
                at,
                TextQuestion {
                    id: ids.item(info),
                    column: Some(info.name.clone()),
                    text: info.label().to_string(),
                    allow_identifying: false,
                    coded: None,
                    review_below: None,
                    other_of: None,
                },
            )),
            Kind::SingleChoice if info.spread == Some(super::Spread::OneOfOptions) => {
                spread_option(raw, at, info, ChoiceKind::SingleChoice, &mut ids, &mut spread, &mut choices);
            }
            Kind::SingleChoice => choices.push(Choice::of_column(
                ids.item(info),
                info,
                ChoiceKind::SingleChoice,
                Vec::new(),
            )),
            // Each column holds a chosen option's code, not a tick: counting the columns as
            // options would report "_O1" as the most chosen. Left out, and said so.
            Kind::MultiSelect if info.spread == Some(super::Spread::ChosenInOrder) => left_out.push(LeftOut {
                column: info.name.clone(),
                kind: info.kind.clone(),
                why: format!("{}; canvass counts a check-all question from one column per option or from one joined column, so join these into one column (codes separated by `;`) to analyse it", info.reason),
            }),
            Kind::MultiSelect if is_option_column(info) => {
                spread_option(raw, at, info, ChoiceKind::MultiSelect, &mut ids, &mut spread, &mut choices);
            }
            Kind::MultiSelect => choices.push(Choice::of_column(
                ids.item(info),
                info,
                ChoiceKind::MultiSelect,
                Vec::new(),
            )),
            // A few small whole numbers with nothing saying they are amounts are as likely codes
            // (SurveyCTO's select_one `animal`: 1–6): their distribution is right either way,
            // their mean only for amounts.
            Kind::Numeric if codes.is_some() => choices.push(Choice::of_column(
                ids.item(info),
                info,
                ChoiceKind::SingleChoice,
                codes.unwrap_or_default(),
            )),
            Kind::Numeric => numbers.push(Number {
                id: ids.item(info),
                text: info.label().to_string(),
                column: Some(info.name.clone()),
                headline: false,
                allow_identifying: false,
                decimal_comma: info.decimal_comma,
            }),
            _ => left_out.push(LeftOut {
                column: info.name.clone(),
                kind: info.kind.clone(),
                why: info.reason.clone(),
            }),
        }
    }
    for choice in choices.iter_mut().filter(|c| c.columns.len() > 1) {
        name_by_shared_stem(choice, &infos);
    }
    super::other::tie_other_boxes(
        &mut text,
        &choices,
        |at| infos[at].label().to_string(),
        |at| {
            let name = infos[at].name.as_str();
            choices.iter().position(|c| {
                c.column.as_deref() == Some(name) || c.columns.iter().any(|o| o == name)
            })
        },
    );
    // The first open question takes the codebook and the coded sample: a real question, the
    // one with the most different answers (in column order among equals), not an "Other" box.
    text.sort_by_key(|(at, t)| (t.other_of.is_some(), std::cmp::Reverse(infos[*at].distinct)));
    let text: Vec<TextQuestion> = text.into_iter().map(|(_, t)| t).collect();
    let segments = drafted_segments(&infos, &segment_columns);
    let matrix_scales = matrix_scales(matrices);
    Draft {
        survey: Survey {
            title: title.to_string(),
            language: detected_language(raw, &infos).into(),
            respondent: Default::default(),
            clean: Default::default(),
            response_scales: scales.into_scales(),
            items,
            scales: Vec::new(),
            segments,
            choices,
            numbers,
            rankings,
            text,
            codebook: Vec::new(),
            privacy: Default::default(),
            weights: Default::default(),
        },
        left_out,
        matrix_scales,
    }
}

/// A segment for each chosen column, in export order.
fn drafted_segments(infos: &[ColumnInfo], segment_columns: &BTreeSet<String>) -> Vec<Segment> {
    infos
        .iter()
        .filter(|i| segment_columns.contains(&i.name))
        .map(|i| {
            let name = segment_name(i);
            Segment {
                column: (name != i.name).then(|| i.name.clone()),
                name,
                allow_identifying: false,
            }
        })
        .collect()
}

/// Matrices (keyed by matrix and response scale, joined by NUL) with at least three items,
/// as (matrix name, item ids).
fn matrix_scales(matrices: BTreeMap<String, Vec<String>>) -> Vec<(String, Vec<String>)> {
    matrices
        .into_iter()
        .filter(|(_, ids)| ids.len() >= 3)
        .map(|(key, ids)| {
            (
                key.split('\u{0}').next().unwrap_or_default().to_string(),
                ids,
            )
        })
        .collect()
}

/// One option column of a question spread over a column per option: added to its question's
/// choice (by matrix), or the first of a new one.
fn spread_option(
    raw: &RawExport,
    at: usize,
    info: &ColumnInfo,
    kind: ChoiceKind,
    ids: &mut Ids,
    spread: &mut BTreeMap<String, usize>,
    choices: &mut Vec<Choice>,
) {
    let label = tick_label(raw, at, info);
    let family = option_family(info);
    match family.as_ref().and_then(|m| spread.get(m)) {
        Some(&c) => {
            choices[c].columns.push(info.name.clone());
            choices[c].options.push(label);
        }
        None => {
            if let Some(m) = &family {
                spread.insert(m.clone(), choices.len());
            }
            let mut choice = Choice::of_column(ids.item(info), info, kind, vec![label]);
            choice.text = family.unwrap_or(choice.text);
            choice.columns = vec![choice.column.take().unwrap_or_default()];
            choices.push(choice);
        }
    }
}

/// Whether a check-all column is one option's own column (ticked or not), rather than the
/// question's answers joined in one cell.
fn is_option_column(info: &ColumnInfo) -> bool {
    !info.reason.contains("separator")
}

impl Choice {
    /// A drafted question reading one column, as inference saw it.
    fn of_column(id: String, info: &ColumnInfo, kind: ChoiceKind, options: Vec<String>) -> Choice {
        Choice {
            id,
            text: info.label().to_string(),
            kind,
            column: Some(info.name.clone()),
            columns: Vec::new(),
            separator: None,
            options,
            nets: Default::default(),
            headline: false,
            allow_identifying: false,
        }
    }
}

/// Most different answers a column of codes has.
const MAX_CODES: usize = 10;

/// The column's answers, in numeric order, when they are at most `MAX_CODES` whole numbers
/// from 0 to 20.
fn few_codes(raw: &RawExport, at: usize) -> Option<Vec<String>> {
    let mut codes: BTreeSet<i64> = BTreeSet::new();
    for row in &raw.rows {
        let v = row.cells.get(at).map_or("", |c| c.trim());
        if v.is_empty() {
            continue;
        }
        let x: i64 = v.parse().ok().filter(|x| (0..=20).contains(x))?;
        codes.insert(x);
        if codes.len() > MAX_CODES {
            return None;
        }
    }
    (!codes.is_empty()).then(|| codes.iter().map(i64::to_string).collect())
}

/// Fewest things a drafted ranking orders: two columns of 1s and 2s are as likely a pair of
/// yes/no codes.
const MIN_RANKED: usize = 3;

/// The stem a family of columns shares: its matrix, the stem of an option's column, else the
/// name without a trailing number (`rank_1` → `rank`, `Q8_2` → `Q8`), else before its last `_`
/// (`rank_maths` → `rank`).
fn stem(info: &ColumnInfo) -> Option<String> {
    option_family(info).or_else(|| {
        let name = info.name.as_str();
        // A grid's "Other" row ("Why …? [Other]"), which has no matrix of its own.
        if let Some((question, _)) = name.strip_suffix(']').and_then(|n| n.rsplit_once(" [")) {
            return Some(question.trim().to_string()).filter(|q| !q.is_empty());
        }
        let trimmed = name.trim_end_matches(|c: char| c.is_ascii_digit());
        let stem = if trimmed.len() < name.len() {
            trimmed.trim_end_matches(['_', '.', '-', ' '])
        } else {
            name.rsplit_once('_').map_or("", |(stem, _)| stem)
        };
        (!stem.is_empty()).then(|| stem.to_string())
    })
}

/// Ranking questions: families of at least `MIN_RANKED` columns with a shared stem whose
/// values are positions 1..k (k columns) and never repeat within a response, as a ranking's are
/// (a battery of ratings repeats them), as (stem, columns). A column alone may read as numbers,
/// as a few codes of a single choice, or as a rating when its question's words say "scale";
/// a rating's column joins only when its question asks to rank (three rows of a three-point
/// scale may by chance hold three different answers in every response of a small sample).
fn ranking_families(raw: &RawExport, infos: &[ColumnInfo]) -> Vec<(String, Vec<usize>)> {
    let mut families: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (at, info) in infos.iter().enumerate() {
        let positions = match info.kind {
            Kind::Numeric | Kind::SingleChoice => true,
            // A ranked "Other" reads as its text box would ("… [Other]").
            Kind::Likert | Kind::FreeText => asks_to_rank(info),
            _ => false,
        };
        if positions {
            if let Some(s) = stem(info) {
                families.entry(s).or_default().push(at);
            }
        }
    }
    families
        .into_iter()
        // Positions are marked in a 64-bit set.
        .filter(|(_, family)| {
            (MIN_RANKED..64).contains(&family.len()) && are_positions(raw, family)
        })
        .collect()
}

/// Whether a column's question asks to put things in order ("Please rank them in the order in
/// which you would prioritize them").
fn asks_to_rank(info: &ColumnInfo) -> bool {
    static RE: std::sync::OnceLock<Option<regex::Regex>> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        regex::Regex::new(
            r"(?i)\b(rank|ranking|order of (preference|priority|importance)|in order)\b",
        )
        .ok()
    })
    .as_ref()
    .is_some_and(|re| re.is_match(&info.name) || re.is_match(&info.question))
}

/// The ranking question of `family`'s columns.
fn ranking(id: String, stem: &str, family: &[usize], infos: &[ColumnInfo]) -> Ranking {
    let first = &infos[family[0]];
    let text = first
        .label()
        .rsplit_once(" - ")
        .map_or(stem, |(question, _)| question)
        .to_string();
    let options = family
        .iter()
        .map(|&at| crate::model::option_label(&infos[at].question, &infos[at].name))
        .collect();
    Ranking {
        id,
        text,
        columns: family.iter().map(|&at| infos[at].name.clone()).collect(),
        options,
        headline: false,
    }
}

/// Whether every answer in `family`'s columns is a whole number from 1 to the number of
/// columns (or "N/A": not ranked), no response repeats one, and some response ranks two or more.
fn are_positions(raw: &RawExport, family: &[usize]) -> bool {
    let k = family.len() as u64;
    let mut ranked_two = false;
    for row in &raw.rows {
        let mut seen = 0u64;
        let mut count = 0;
        for &at in family {
            let v = row.cells.get(at).map_or("", |c| c.trim());
            // SurveyMonkey's ranking offers "N/A" beside the positions for a thing not ranked.
            if v.is_empty() || crate::model::label_key(v) == "na" {
                continue;
            }
            let place = v.parse::<u64>().ok().or_else(|| crate::model::ordinal(v));
            let Some(p) = place.filter(|p| (1..=k).contains(p)) else {
                return false;
            };
            if seen & (1 << p) != 0 {
                return false;
            }
            seen |= 1 << p;
            count += 1;
        }
        ranked_two |= count >= 2;
    }
    ranked_two
}

/// The question an option's own column belongs to: its matrix, else the stem before REDCap's
/// `___` (`check_one___2`) or Kobo's `/` (`sessions/maths`).
fn option_family(info: &ColumnInfo) -> Option<String> {
    info.matrix.clone().or_else(|| {
        let name = info.name.as_str();
        name.rsplit_once("___")
            .or_else(|| name.rsplit_once('/'))
            .map(|(stem, _)| stem.to_string())
            .filter(|stem| !stem.is_empty())
    })
}

/// A check-all question spread over a column per option, named where the tools put the words:
/// its columns' question texts share the question and end in the option ("Check all statements
/// you agree with-Squash are great", Qualtrics' legacy and Insights exports; "Which? - Maths").
/// Where the options fell back to column names (`Q2_1`), they become what follows the shared
/// stem, and a question text that is only the columns' stem (`Q2`) becomes the stem's words.
fn name_by_shared_stem(choice: &mut Choice, infos: &[ColumnInfo]) {
    let texts: Vec<&str> = choice
        .columns
        .iter()
        .filter_map(|c| infos.iter().find(|i| &i.name == c))
        .map(|i| i.question.as_str())
        .collect();
    let Some((stem, labels)) = shared_stem(&texts) else {
        return;
    };
    if choice
        .options
        .iter()
        .zip(&choice.columns)
        .all(|(o, c)| o == c)
    {
        choice.options = labels;
    }
    if choice
        .columns
        .iter()
        .any(|c| c.starts_with(choice.text.as_str()))
    {
        choice.text = stem;
    }
}

/// The words `texts` share before a separator (" - ", "-", ": ", " – ") and what follows it in
/// each, when every text has the stem and a distinct, non-empty rest.
fn shared_stem(texts: &[&str]) -> Option<(String, Vec<String>)> {
    let first = *texts.first()?;
    if texts.len() < 2 {
        return None;
    }
    let common = texts.iter().skip(1).fold(first.len(), |len, t| {
        first[..len]
            .char_indices()
            .zip(t.chars())
            .find(|((_, a), b)| a != b)
            .map_or(len.min(t.len()), |((i, _), _)| i)
    });
    let cut = first[..common].rfind(['-', ':', '–', '—'])?;
    let stem = first[..cut].trim().trim_end_matches(['-', ' ']).trim();
    let after = cut + first[cut..].chars().next()?.len_utf8();
    let rests: Vec<String> = texts
        .iter()
        .map(|t| t[after..].trim().to_string())
        .collect();
    let distinct: std::collections::BTreeSet<&String> = rests.iter().collect();
    let worded = stem.chars().filter(|c| c.is_alphabetic()).count() >= 3;
    (worded && distinct.len() == rests.len() && rests.iter().all(|r| !r.is_empty()))
        .then(|| (stem.to_string(), rests))
}

/// What an option's own column says when ticked, where it says a label ("Maths", as
/// SurveyMonkey and Qualtrics write a chosen option); else what follows the last " - " of its
/// question text; else its name.
fn tick_label(raw: &RawExport, at: usize, info: &ColumnInfo) -> String {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for row in &raw.rows {
        let v = row.cells.get(at).map_or("", |c| c.trim());
        if !v.is_empty() {
            *counts.entry(v).or_insert(0) += 1;
        }
    }
    let worded = counts
        .iter()
        .filter(|(v, _)| v.chars().any(char::is_alphabetic))
        .filter(|(v, _)| {
            ![
                "yes", "no", "true", "false", "selected", "checked", "x", "n/a", "na",
            ]
            .iter()
            .any(|t| v.eq_ignore_ascii_case(t))
        })
        .max_by_key(|(v, n)| (**n, std::cmp::Reverse(**v)));
    if let Some((v, _)) = worded {
        return v.to_string();
    }
    info.question
        .rsplit_once(" - ")
        .map(|(_, l)| l.trim())
        .or_else(|| info.name.rsplit_once("___").map(|(_, code)| code))
        .or_else(|| {
            // LimeSurvey's `A8[SQ001]`: the option's code.
            let (_, code) = info.name.strip_suffix(']')?.rsplit_once('[')?;
            Some(code)
        })
        .or_else(|| info.name.rsplit_once('/').map(|(_, option)| option))
        .filter(|l| !l.is_empty())
        // An option nobody ticked, named by its header (Typeform), without the occurrence a
        // repeated header was given ("Mining (4)").
        .map_or_else(
            || super::label_columns::without_occurrence(&info.name).to_string(),
            str::to_string,
        )
}

/// Single-choice columns worth breaking results down by: few groups, most of them large enough
/// to be shown, grouping words first ("Region", "Role"), at most `MAX_SEGMENTS`.
fn choose_segments(infos: &[ColumnInfo]) -> BTreeSet<String> {
    let mut candidates: Vec<(bool, usize, usize, &ColumnInfo)> = infos
        .iter()
        .enumerate()
        .filter(|(_, i)| i.kind == Kind::SingleChoice && i.matrix.is_none())
        .filter(|(_, i)| (2..=MAX_GROUPS).contains(&i.distinct))
        .filter(|(_, i)| {
            let large = i
                .group_sizes
                .iter()
                .filter(|&&n| n >= SUPPRESS_BELOW)
                .count();
            large * 2 >= i.distinct
        })
        .map(|(at, i)| {
            let words = i.label().to_lowercase();
            let grouping = GROUPING_WORDS.iter().any(|w| {
                words
                    .split(|c: char| !c.is_alphanumeric())
                    .any(|part| part == *w || part.strip_suffix('s') == Some(w))
            });
            (!grouping, i.distinct, at, i)
        })
        .collect();
    candidates.sort_by_key(|(not_grouping, groups, at, _)| (*not_grouping, *groups, *at));
    candidates
        .into_iter()
        .take(MAX_SEGMENTS)
        .map(|(_, _, _, i)| i.name.clone())
        .collect()
}

/// What a breakdown is called in the summary ("By region"): the grouping word of a question
/// ("Which region do you live in?" → "Region"), else the column's own name.
fn segment_name(info: &ColumnInfo) -> String {
    // "q15" names nothing a reader knows; "Region" does, whatever its question says.
    let coded = looks_like_code(&info.name)
        && info.name.chars().any(|c| c.is_ascii_digit())
        && info.label() != info.name;
    if info.name.split_whitespace().count() <= 2 && !coded {
        return info.name.clone();
    }
    let words = info.label().to_lowercase();
    let grouping = words
        .split(|c: char| !c.is_alphanumeric())
        .find(|part| GROUPING_WORDS.contains(part));
    match grouping {
        Some(w) => {
            let mut chars = w.chars();
            chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect())
                .unwrap_or_default()
        }
        None => shorten(info.label(), 40),
    }
}

/// "“Agree” or “Strongly agree” to “The initial phase was supported”": what the share counts,
/// true of any scale, for the summary's "N per cent said …". A matrix row is named by its row.
fn statement(info: &ColumnInfo, scale: Option<&ResponseScale>) -> String {
    statement_of(row_text(info), scale)
}

/// `statement` of a row's (or a question's) text.
fn statement_of(row: &str, scale: Option<&ResponseScale>) -> String {
    let top: Vec<String> = scale
        .map(|s| {
            s.labels
                .iter()
                .rev()
                .take(s.agree_top)
                .rev()
                .map(|l| format!("“{l}”"))
                .collect()
        })
        .unwrap_or_default();
    let row = without_coding_note(row);
    format!("{} to “{}”", join_or(&top), shorten(row, 90))
}

/// The part of a matrix row's text that tells it from its siblings.
fn row_text(info: &ColumnInfo) -> &str {
    let label = info.label();
    // A code-only export (LimeSurvey's `B11[SQ001]`) has no text to shorten: the code is all
    // that tells the row from `C1[SQ001]`.
    if info.matrix.is_some() && !looks_like_code(label) {
        if let Some((_, row)) = label.rsplit_once(" - ") {
            return row.trim();
        }
        if let Some(row) = label
            .strip_suffix(']')
            .and_then(|l| l.rsplit_once('['))
            .map(|(_, r)| r)
        {
            return row.trim();
        }
    }
    label.trim()
}

/// A question without the note on its coding at the end ("How satisfied … (1 = very
/// dissatisfied, 5 = very satisfied)"): the sentence names the answers already.
fn without_coding_note(text: &str) -> &str {
    match text.rfind(" (") {
        Some(at) if at >= 20 && text[at..].contains('=') => text[..at].trim_end(),
        _ => text,
    }
}

fn join_or(parts: &[String]) -> String {
    match parts {
        [] => "the top answer".into(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// At most `max` characters, cut at a word, marked "…".
fn shorten(s: &str, max: usize) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() <= max {
        return s;
    }
    let cut: String = s.chars().take(max).collect();
    let at = cut.rfind(' ').unwrap_or(cut.len());
    format!("{}…", cut[..at].trim_end_matches([',', ';', ':', ' ']))
}

/// The response scales the items use, one per distinct set of labels.
#[derive(Default)]
struct ScaleSet {
    scales: Vec<ResponseScale>,
}

impl ScaleSet {
    /// The name of the scale for a Likert column, added if new.
    fn add(&mut self, info: &ColumnInfo, not_shown: Option<&str>) -> String {
        let base = info.scale.clone().unwrap_or_else(|| "scale".into());
        let numeric = base.starts_with("numeric-");
        let default_codes: Vec<f64> = (1..=info.labels.len()).map(|c| c as f64).collect();
        let codes = if numeric {
            info.labels.iter().filter_map(|l| l.parse().ok()).collect()
        } else if info.codes.is_empty() || info.codes == default_codes {
            Vec::new()
        } else {
            info.codes.clone()
        };
        // The tool's own "not shown" marker (LimeSurvey's `N/A`) is not an answer of any kind.
        let non_substantive: Vec<String> = info
            .not_applicable
            .iter()
            .filter(|s| Some(s.as_str()) != not_shown)
            .cloned()
            .collect();
        // Columns of one scale share its entry while the answers each sets aside fit in it
        // together (a run refuses a scale with more); then the next column starts another.
        let fits = |s: &ResponseScale| {
            let more = non_substantive
                .iter()
                .filter(|n| !s.non_substantive.contains(n))
                .count();
            s.non_substantive.len() + more <= crate::config::survey::MAX_NON_SUBSTANTIVE
        };
        if let Some(same) = self
            .scales
            .iter_mut()
            .find(|s| s.labels == info.labels && s.codes == codes && fits(s))
        {
            for n in non_substantive {
                if !same.non_substantive.contains(&n) {
                    same.non_substantive.push(n);
                }
            }
            return same.name.clone();
        }
        let mut name = if codes.is_empty() || numeric {
            base.clone()
        } else {
            let list: Vec<String> = codes.iter().map(|c| c.to_string()).collect();
            format!("{base}-codes-{}", list.join("_"))
        };
        let mut n = 2;
        while self.scales.iter().any(|s| s.name == name) {
            name = format!("{base}_{n}");
            n += 1;
        }
        let points = info.labels.len();
        self.scales.push(ResponseScale {
            name: name.clone(),
            labels: info.labels.clone(),
            codes,
            agree_top: ResponseScale::default_agree_top(points),
            non_substantive,
            unknown_as_missing: false,
        });
        name
    }

    fn get(&self, name: &str) -> Option<&ResponseScale> {
        self.scales.iter().find(|s| s.name == name)
    }

    fn into_scales(self) -> Vec<ResponseScale> {
        self.scales
    }
}

/// Short, readable, unique ids: the tool's own question ids where it has them (`Q3_2` →
/// `q3_2`, `B11[SQ001]` → `b11_sq001`), else `q<question>_<row>` in column order.
#[derive(Default)]
struct Ids {
    taken: BTreeSet<String>,
    questions: Vec<String>,
    rows: BTreeMap<String, usize>,
}

impl Ids {
    fn item(&mut self, info: &ColumnInfo) -> String {
        let base = if looks_like_code(&info.name) {
            slug(&info.name)
        } else {
            let question = info.matrix.clone().unwrap_or_else(|| info.name.clone());
            let number = match self.questions.iter().position(|q| *q == question) {
                Some(at) => at + 1,
                None => {
                    self.questions.push(question.clone());
                    self.questions.len()
                }
            };
            if info.matrix.is_some() {
                let row = self.rows.entry(question).or_insert(0);
                *row += 1;
                format!("q{number}_{row}")
            } else {
                format!("q{number}")
            }
        };
        let mut id = base.clone();
        let mut n = 2;
        while !self.taken.insert(id.clone()) {
            id = format!("{base}_{n}");
            n += 1;
        }
        id
    }
}

/// A tool's question code rather than a question: short, no spaces.
fn looks_like_code(name: &str) -> bool {
    name.chars().count() <= 24 && !name.contains(char::is_whitespace) && !slug(name).is_empty()
}

/// A TOML-friendly id from a code ("Q1_2" → "q1_2", "B11[SQ001]" → "b11_sq001").
fn slug(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect::<String>()
        .split('_')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("_")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Qualtrics' legacy and Insights exports join question and option with "-", newer ones
    /// with " - ": either way the options are what follows the shared question.
    #[test]
    fn a_check_all_question_is_named_by_its_columns_shared_stem() {
        let texts = [
            "Check all statements you agree with-Squash are great",
            "Check all statements you agree with-Squash cause me anguish",
            "Check all statements you agree with-No basis for evaluation",
        ];
        let (stem, rests) = shared_stem(&texts).unwrap();
        assert_eq!(stem, "Check all statements you agree with");
        assert_eq!(
            rests,
            [
                "Squash are great",
                "Squash cause me anguish",
                "No basis for evaluation"
            ]
        );
        let spaced = ["Which sessions? - Maths", "Which sessions? - Music"];
        assert_eq!(shared_stem(&spaced).unwrap().1, ["Maths", "Music"]);
        // Nothing shared before a separator: no stem.
        assert_eq!(shared_stem(&["Age", "Role"]), None);
        assert_eq!(shared_stem(&["Q-1", "Q-2"]), None);
    }

    #[test]
    fn ids_are_short_unique_and_tidy() {
        assert_eq!(slug("B11[SQ001]"), "b11_sq001");
        assert_eq!(slug("Q5_1_-1"), "q5_1_1");
        assert!(looks_like_code("What_about_time"));
        assert!(!looks_like_code("Please rate your level of confidence"));
    }

    #[test]
    fn shortening_cuts_at_a_word() {
        assert_eq!(shorten("one two three", 20), "one two three");
        assert_eq!(shorten("one two three four", 10), "one two…");
    }
}
