//! Inference from an export alone: each column's kind (Likert with its scale, single choice,
//! multi-select, numeric, date, free text, identifier, metadata) and a draft survey definition.
//! Used by `inspect`, by `init`, and by `score` when no survey file is given.

use crate::config::survey::{Item, ResponseScale, Segment, Survey, TextQuestion};
use crate::ingest::{roles, RawExport};
use crate::model::ColumnRole;
use crate::score::likert::label_key;
use rayon::prelude::*;
use regex::Regex;
use rustc_hash::FxHashSet;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

/// Common response scales, lowest option first. Recognised in either order and from a subset
/// of their options (a column need not use every option).
const KNOWN_SCALES: &[(&str, &[&str])] = &[
    (
        "confidence5",
        &[
            "Not at all confident",
            "Slightly confident",
            "Somewhat confident",
            "Moderately confident",
            "Extremely confident",
        ],
    ),
    (
        "agree5",
        &[
            "Strongly disagree",
            "Disagree",
            "Neither agree nor disagree",
            "Agree",
            "Strongly agree",
        ],
    ),
    (
        "agree5_somewhat",
        &[
            "Strongly disagree",
            "Somewhat disagree",
            "Neither agree nor disagree",
            "Somewhat agree",
            "Strongly agree",
        ],
    ),
    (
        "agree7",
        &[
            "Strongly disagree",
            "Disagree",
            "Somewhat disagree",
            "Neither agree nor disagree",
            "Somewhat agree",
            "Agree",
            "Strongly agree",
        ],
    ),
    (
        "agree4",
        &["Strongly disagree", "Disagree", "Agree", "Strongly agree"],
    ),
    (
        "agree5_partially",
        &[
            "Fully disagree",
            "Partially disagree",
            "Neither/nor",
            "Partially agree",
            "Fully agree",
        ],
    ),
    (
        "frequency5",
        &["Never", "Rarely", "Sometimes", "Often", "Always"],
    ),
    (
        "satisfaction5",
        &[
            "Very dissatisfied",
            "Dissatisfied",
            "Neither satisfied nor dissatisfied",
            "Satisfied",
            "Very satisfied",
        ],
    ),
    (
        "quality5",
        &["Very poor", "Poor", "Fair", "Good", "Excellent"],
    ),
    (
        "quality5_very_good",
        &["Poor", "Fair", "Good", "Very good", "Excellent"],
    ),
    (
        "likelihood5",
        &[
            "Very unlikely",
            "Unlikely",
            "Neither likely nor unlikely",
            "Likely",
            "Very likely",
        ],
    ),
    (
        "importance5",
        &[
            "Not at all important",
            "Slightly important",
            "Moderately important",
            "Very important",
            "Extremely important",
        ],
    ),
    (
        "extent5",
        &[
            "Not at all",
            "To a small extent",
            "To some extent",
            "To a large extent",
            "To a very large extent",
        ],
    ),
];

/// Answers that are not opinions, recognised alongside any scale.
const NON_SUBSTANTIVE: &[&str] = &[
    "Don't know",
    "Not applicable",
    "N/A",
    "Prefer not to say",
    "Not sure",
    "I don't know",
];

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Likert,
    SingleChoice,
    MultiSelect,
    Numeric,
    Date,
    FreeText,
    Identifier,
    Metadata,
    Empty,
}

impl Kind {
    /// As `inspect` shows it.
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

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ColumnInfo {
    pub name: String,
    pub question: String,
    pub kind: Kind,
    /// For Likert columns: the recognised scale and its labels, lowest first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scale: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub labels: Vec<String>,
    /// Codes of the scale's options, lowest first, where the tool defines them (a REDCap
    /// dictionary's `1, Strongly disagree | …`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub codes: Vec<f64>,
    /// For numeric ratings: negative codes, which survey tools use for "not applicable"
    /// options (Qualtrics' recode values -1, -2 …); counted as non-substantive, not as low scores.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub not_applicable: Vec<String>,
    /// Non-blank answers.
    pub answered: usize,
    /// Distinct non-blank answers (not shown for identifiers).
    pub distinct: usize,
}

fn date_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"^(\d{4}[-/]\d{1,2}[-/]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})([ T,]+\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?\s*([ap]m)?\s*[A-Za-z]{0,5}Z?)?$")
            .expect("static regex")
    })
}

/// The first known scale (they are listed most common first) that covers every distinct answer
/// apart from non-substantive ones. A column that never used the middle option still reads as
/// the usual five-point scale, not a four-point one.
pub fn match_scale(distinct: &BTreeSet<String>) -> Option<(&'static str, &'static [&'static str])> {
    let ns: BTreeSet<String> = NON_SUBSTANTIVE.iter().map(|s| label_key(s)).collect();
    let answers: Vec<&String> = distinct.iter().filter(|d| !ns.contains(*d)).collect();
    if answers.len() < 2 {
        return None;
    }
    KNOWN_SCALES
        .iter()
        .filter(|(_, labels)| {
            let keys: BTreeSet<String> = labels.iter().map(|l| label_key(l)).collect();
            answers.iter().all(|a| keys.contains(*a))
        })
        .map(|(n, l)| (*n, *l))
        .next()
}

/// A known scale from the answer options a tool defines (REDCap's dictionary), with the code
/// of each of its labels.
fn scale_from_choices(
    choices: &[(String, String)],
) -> Option<(&'static str, &'static [&'static str], Vec<f64>)> {
    let keys: BTreeSet<String> = choices.iter().map(|(_, l)| label_key(l)).collect();
    let (name, labels) = match_scale(&keys)?;
    let codes = labels
        .iter()
        .map(|l| {
            let code = choices
                .iter()
                .find(|(_, cl)| label_key(cl) == label_key(l))?;
            code.0.parse::<f64>().ok()
        })
        .collect::<Option<Vec<f64>>>()?;
    Some((name, labels, codes))
}

impl ColumnInfo {
    /// The question text, or the column name where the export has none.
    fn label(&self) -> &str {
        if self.question.is_empty() {
            &self.name
        } else {
            &self.question
        }
    }
}

/// Guesses every column's kind from its name and values.
pub fn columns(raw: &RawExport) -> Vec<ColumnInfo> {
    // Columns are independent: one per task (a sample is tens of thousands of rows).
    (0..raw.columns.len())
        .into_par_iter()
        .map(|i| column(raw, i))
        .collect()
}

/// Guesses column `i`'s kind from its name and values.
pub fn column(raw: &RawExport, i: usize) -> ColumnInfo {
    let c = &raw.columns[i];
    let values: Vec<&str> = raw
        .rows
        .iter()
        .map(|r| r.cells[i].trim())
        .filter(|v| !v.is_empty())
        .collect();
    // Tests that do not depend on how often a value occurs look at each value once
    // (a sample is tens of thousands of rows of a few distinct codes).
    let unique: FxHashSet<&str> = values.iter().copied().collect();
    let distinct: BTreeSet<String> = unique.iter().map(|v| label_key(v)).collect();
    let role = roles::column_role(raw.source.format, c, &[]);
    let mut info = ColumnInfo {
        name: c.name.clone(),
        question: c.question.clone(),
        kind: Kind::Empty,
        scale: None,
        labels: Vec::new(),
        codes: Vec::new(),
        not_applicable: Vec::new(),
        answered: values.len(),
        distinct: distinct.len(),
    };
    info.kind = match role {
        ColumnRole::Identifier => {
            info.distinct = 0;
            Kind::Identifier
        }
        ColumnRole::Metadata => Kind::Metadata,
        ColumnRole::Answer if values.is_empty() => Kind::Empty,
        ColumnRole::Answer => answer_kind(c, &values, &unique, &distinct, &mut info),
    };
    info
}

/// The kind of an answer column with answers, recording a Likert column's scale in `info`.
fn answer_kind(
    c: &crate::ingest::RawColumn,
    values: &[&str],
    unique: &FxHashSet<&str>,
    distinct: &BTreeSet<String>,
    info: &mut ColumnInfo,
) -> Kind {
    if let Some((name, labels, codes)) = scale_from_choices(&c.choices) {
        info.scale = Some(name.to_string());
        info.labels = labels.iter().map(|s| s.to_string()).collect();
        info.codes = codes;
        Kind::Likert
    } else if let Some((name, labels)) = match_scale(distinct) {
        info.scale = Some(name.to_string());
        info.labels = labels.iter().map(|s| s.to_string()).collect();
        Kind::Likert
    } else if unique.iter().all(|v| v.parse::<f64>().is_ok()) {
        if is_checkbox(&c.name, distinct) {
            Kind::MultiSelect
        } else if let Some((lo, hi, negative)) = rating_range(unique) {
            info.scale = Some(format!("numeric-{lo}-{hi}"));
            info.labels = (lo..=hi).map(|v| v.to_string()).collect();
            info.not_applicable = negative.iter().map(|v| v.to_string()).collect();
            Kind::Likert
        } else {
            Kind::Numeric
        }
    } else if unique.iter().all(|v| date_re().is_match(v)) {
        Kind::Date
    } else if is_multi_select(values) {
        Kind::MultiSelect
    } else {
        let long = values
            .iter()
            .filter(|v| v.split_whitespace().count() > 4)
            .count();
        let repeated = distinct.len() * 2 <= values.len() || distinct.len() <= 12;
        if long * 3 > values.len() || !repeated {
            Kind::FreeText
        } else {
            Kind::SingleChoice
        }
    }
}

/// One column per option, ticked as `1` (Qualtrics, SurveyMonkey) or `0`/`1` (REDCap's
/// `var___code` columns).
fn is_checkbox(name: &str, distinct: &BTreeSet<String>) -> bool {
    let only_one = distinct.len() == 1 && distinct.contains("1");
    let zero_one = distinct.iter().all(|v| v == "0" || v == "1");
    only_one || (zero_one && name.contains("___"))
}

/// Whole-number answers on a short range from 0 or 1 (at least three points seen, at most
/// eleven): a rating. Negative codes beside them are "not applicable" recodes.
fn rating_range(values: &FxHashSet<&str>) -> Option<(i64, i64, BTreeSet<i64>)> {
    let mut seen = BTreeSet::new();
    let mut negative = BTreeSet::new();
    for v in values {
        let n: i64 = v.parse().ok()?;
        if n < 0 {
            negative.insert(n);
        } else {
            seen.insert(n);
        }
    }
    let (&lo, &hi) = (seen.first()?, seen.last()?);
    let plausible = lo <= 1 && hi <= 10 && seen.len() >= 3 && negative.len() <= 3;
    plausible.then_some((lo, hi, negative))
}

/// Checkbox answers joined by `;` or `, ` whose parts recur across respondents.
fn is_multi_select(values: &[&str]) -> bool {
    for sep in [";", ", "] {
        let joined = values.iter().filter(|v| v.contains(sep)).count();
        if joined * 5 < values.len() || joined == 0 {
            continue;
        }
        let mut parts: BTreeMap<&str, usize> = BTreeMap::new();
        for v in values {
            for p in v.split(sep) {
                *parts.entry(p.trim()).or_insert(0) += 1;
            }
        }
        let recurring = parts.values().filter(|&&n| n > 1).count();
        if recurring * 2 >= parts.len() && parts.keys().all(|p| p.split_whitespace().count() <= 6) {
            return true;
        }
    }
    false
}

/// A draft survey from an export: Likert items on recognised scales, segments from short
/// single-choice columns, free-text questions.
pub fn draft_survey(raw: &RawExport, title: &str) -> Survey {
    let infos = columns(raw);
    let mut used_scales: Vec<&'static str> = Vec::new();
    // Numeric ratings: range → the negative codes seen on it.
    let mut numeric_scales: BTreeMap<String, (Vec<String>, BTreeSet<String>)> = BTreeMap::new();
    // Known scales under other codes: name → (labels, codes).
    let mut coded_scales: BTreeMap<String, (Vec<String>, Vec<f64>)> = BTreeMap::new();
    let mut items = Vec::new();
    let mut segments = Vec::new();
    let mut text = Vec::new();
    let mut ids = BTreeSet::new();
    for info in &infos {
        let id = unique_id(&info.name, &mut ids);
        match info.kind {
            Kind::Likert => {
                let mut scale = info.scale.clone().unwrap_or_default();
                let default_codes: Vec<f64> = (1..=info.labels.len()).map(|c| c as f64).collect();
                if !info.codes.is_empty() && info.codes != default_codes {
                    // The tool's own codes differ from 1…n: a scale of their own.
                    let codes: Vec<String> = info.codes.iter().map(|c| c.to_string()).collect();
                    scale = format!("{scale}-codes-{}", codes.join("_"));
                    coded_scales
                        .entry(scale.clone())
                        .or_insert_with(|| (info.labels.clone(), info.codes.clone()));
                } else if scale.starts_with("numeric-") {
                    let entry = numeric_scales
                        .entry(scale.clone())
                        .or_insert_with(|| (info.labels.clone(), BTreeSet::new()));
                    entry.1.extend(info.not_applicable.iter().cloned());
                } else if !used_scales.contains(&scale.as_str()) {
                    if let Some((n, _)) = KNOWN_SCALES.iter().find(|(n, _)| *n == scale) {
                        used_scales.push(n);
                    }
                }
                items.push(Item {
                    id,
                    column: Some(info.name.clone()),
                    columns: None,
                    text: info.label().to_string(),
                    statement: None,
                    scale,
                    headline: false,
                });
            }
            Kind::SingleChoice if info.distinct <= 30 => segments.push(Segment {
                name: info.name.clone(),
                column: None,
            }),
            Kind::FreeText => text.push(TextQuestion {
                id,
                column: Some(info.name.clone()),
                text: info.label().to_string(),
            }),
            _ => {}
        }
    }
    // The tool's own "not shown" marker (LimeSurvey's `N/A`) is not an answer of any kind, so
    // it is not listed as a non-substantive one.
    let non_substantive: Vec<String> = NON_SUBSTANTIVE
        .iter()
        .filter(|&&s| Some(s) != raw.source.format.not_shown_marker())
        .map(|s| s.to_string())
        .collect();
    let mut response_scales: Vec<ResponseScale> = used_scales
        .iter()
        .filter_map(|name| KNOWN_SCALES.iter().find(|(n, _)| n == name))
        .map(|(name, labels)| ResponseScale {
            name: name.to_string(),
            labels: labels.iter().map(|s| s.to_string()).collect(),
            codes: Vec::new(),
            agree_top: if labels.len() >= 6 { 3 } else { 2 },
            non_substantive: non_substantive.clone(),
            unknown_as_missing: false,
        })
        .collect();
    for (name, (labels, codes)) in coded_scales {
        response_scales.push(ResponseScale {
            name,
            agree_top: if labels.len() >= 6 { 3 } else { 2 },
            labels,
            codes,
            non_substantive: non_substantive.clone(),
            unknown_as_missing: false,
        });
    }
    for (name, (labels, not_applicable)) in numeric_scales {
        response_scales.push(ResponseScale {
            name,
            codes: labels.iter().filter_map(|l| l.parse().ok()).collect(),
            // The top two of five or more points agree; the top one of a shorter scale.
            agree_top: if labels.len() >= 5 { 2 } else { 1 },
            labels,
            non_substantive: not_applicable.into_iter().collect(),
            unknown_as_missing: false,
        });
    }
    Survey {
        title: title.to_string(),
        language: "english".into(),
        respondent: Default::default(),
        clean: Default::default(),
        response_scales,
        items,
        scales: Vec::new(),
        segments,
        text,
        codebook: Vec::new(),
        privacy: Default::default(),
    }
}

/// A TOML-friendly id from a column name ("Q1_2", "How satisfied…" → "how_satisfied").
fn unique_id(name: &str, taken: &mut BTreeSet<String>) -> String {
    let mut base: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect::<String>()
        .split('_')
        .filter(|s| !s.is_empty())
        .take(6)
        .collect::<Vec<_>>()
        .join("_");
    if base.is_empty() {
        base = "column".into();
    }
    let mut id = base.clone();
    let mut n = 2;
    while !taken.insert(id.clone()) {
        id = format!("{base}_{n}");
        n += 1;
    }
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `inspect` prints `Kind::name`, and `inspect --json` the serde name: the same words.
    #[test]
    fn kind_names_are_the_json_names() {
        for k in [
            Kind::Likert,
            Kind::SingleChoice,
            Kind::MultiSelect,
            Kind::Numeric,
            Kind::Date,
            Kind::FreeText,
            Kind::Identifier,
            Kind::Metadata,
            Kind::Empty,
        ] {
            assert_eq!(serde_json::to_value(&k).unwrap(), k.name());
        }
    }

    fn set(values: &[&str]) -> BTreeSet<String> {
        values.iter().map(|v| label_key(v)).collect()
    }

    #[test]
    fn recognises_scales_from_a_subset_in_any_case() {
        let (name, _) =
            match_scale(&set(&["AGREE", "strongly agree", "Disagree", "Don't know"])).unwrap();
        assert_eq!(name, "agree5");
        let (name, _) = match_scale(&set(&["Somewhat agree", "Strongly agree"])).unwrap();
        assert_eq!(name, "agree5_somewhat");
        assert_eq!(
            match_scale(&set(&["Very satisfied", "Satisfied"]))
                .unwrap()
                .0,
            "satisfaction5"
        );
        assert!(match_scale(&set(&["Yes", "No"])).is_none());
    }

    #[test]
    fn dates_and_multi_select() {
        assert!(date_re().is_match("2023/11/13 4:20:37 pm CET"));
        assert!(date_re().is_match("6/20/24 13:28"));
        assert!(date_re().is_match("2024-03-14 09:51:14"));
        assert!(is_multi_select(&[
            "Sunday;Monday",
            "Monday",
            "Sunday;Tuesday",
            "Tuesday;Monday"
        ]));
        assert!(!is_multi_select(&[
            "I liked it; it was fun",
            "Great course",
            "Too long; too hot"
        ]));
    }

    #[test]
    fn ids_are_unique_and_tidy() {
        let mut t = BTreeSet::new();
        assert_eq!(unique_id("Q1 - Supported?", &mut t), "q1_supported");
        assert_eq!(unique_id("Q1 - supported", &mut t), "q1_supported_2");
    }
}
