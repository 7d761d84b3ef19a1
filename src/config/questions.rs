//! The survey's questions that are not on a rating scale: choice and check-all questions
//! (`[[choices]]`), numbers (`[[numbers]]`) and rankings (`[[rankings]]`). Likert items and open questions have their own
//! tables (`[[items]]`, `[[text]]`).

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Whether a choice question takes one answer or several.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChoiceKind {
    /// One option per respondent ("Which role are you in?").
    #[default]
    SingleChoice,
    /// Any number of options per respondent ("Which sessions did you attend? Tick all").
    MultiSelect,
}

impl ChoiceKind {
    /// The kind as choices.csv spells it.
    pub fn name(self) -> &'static str {
        match self {
            ChoiceKind::SingleChoice => "single-choice",
            ChoiceKind::MultiSelect => "multi-select",
        }
    }
}

/// A choice or check-all question (`[[choices]]`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    /// The question's id: its name in choices.csv and score.json.
    pub id: String,
    /// The question as respondents saw it.
    pub text: String,
    /// `single-choice` (the default) or `multi-select`.
    #[serde(default)]
    pub kind: ChoiceKind,
    /// The export column holding the answer (a check-all question's answers joined in one cell,
    /// as Google Forms and Microsoft Forms write them). Defaults to `id` when `columns` is absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// A check-all question spread over a column per option (Qualtrics, SurveyMonkey,
    /// LimeSurvey): the columns, in the order the options were shown. A column is ticked when it
    /// holds anything but a blank, `0`, `false`, `no` or `not selected`. A single-choice
    /// question may be spread too (SurveyMonkey's expanded download writes every closed
    /// question so): a respondent who filled two of its columns is counted as not answering it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub columns: Vec<String>,
    /// What joins the options of a check-all answer in one cell (default `;`, and `, ` for
    /// Google Forms' joined answers is tried when no `;` is present).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub separator: Option<String>,
    /// The options in the order the tool lists them; options answered but not listed follow,
    /// most chosen first, with "Other …" last. An unlisted answer fewer than `suppress_below`
    /// respondents gave is a write-in, counted under the "Other" option (`score::questions`'s
    /// `Folding`). With `columns`, one label per column.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
    /// Options reported together as well as apart (`nets = { "Any leader" = ["Headteacher",
    /// "Senior leader"] }`): the share of respondents who chose any of them.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub nets: BTreeMap<String, Vec<String>>,
    /// Lead the summary with a sentence about this question.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub headline: bool,
    /// Analyse the column although it looks identifying (see `Segment::allow_identifying`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub allow_identifying: bool,
}

impl Choice {
    /// The export columns the question reads: `columns`, else `column`, else the id.
    pub fn read_columns(&self) -> Vec<&str> {
        if self.columns.is_empty() {
            vec![self.column.as_deref().unwrap_or(&self.id)]
        } else {
            self.columns.iter().map(String::as_str).collect()
        }
    }

    /// Whether the question is spread over a column per option.
    pub fn spread(&self) -> bool {
        !self.columns.is_empty()
    }
}

/// A question answered with a number (`[[numbers]]`): hours, years, a count.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Number {
    /// The question's id: its name in numbers.csv and score.json.
    pub id: String,
    /// The question as respondents saw it.
    pub text: String,
    /// The export column; defaults to `id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// Lead the summary with a sentence about this question.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub headline: bool,
    /// Analyse the column although it looks identifying (see `Segment::allow_identifying`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub allow_identifying: bool,
    /// The answers write decimals with a comma ("1,5", "1.250,5"), as French, German, Spanish
    /// and most other European locales do; otherwise a comma separates thousands ("1,250").
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub decimal_comma: bool,
}

impl Number {
    /// The export column to read: `column`, else the id.
    pub fn column(&self) -> &str {
        self.column.as_deref().unwrap_or(&self.id)
    }
}

/// A ranking question (`[[rankings]]`): a column per ranked thing, each holding the position
/// the respondent gave it (1 = first), as Qualtrics, SurveyMonkey and KoboToolbox export them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ranking {
    /// The question's id: its name in rankings.csv and score.json.
    pub id: String,
    /// The question as respondents saw it.
    pub text: String,
    /// The export columns, one per ranked thing, in the order the tool lists them.
    pub columns: Vec<String>,
    /// One label per column; by default the part of the column's question text after the
    /// last " - " (Qualtrics, SurveyMonkey), else the column's name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
    /// Lead the summary with a sentence about this question.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub headline: bool,
}

/// Checks ids (unique among all questions of the survey, given as `taken`), `columns` against
/// `column`, option lists and nets. Errors name the key at fault.
pub fn validate(
    path: &Path,
    choices: &[Choice],
    numbers: &[Number],
    rankings: &[Ranking],
    taken: &mut BTreeSet<String>,
) -> Result<()> {
    for (i, c) in choices.iter().enumerate() {
        let key = |k: &str| format!("choices[{i}].{k}");
        if !taken.insert(c.id.clone()) {
            return Err(Error::config(
                path,
                key("id"),
                format!("`{}` is the id of another question", c.id),
            ));
        }
        if c.spread() && c.column.is_some() {
            return Err(Error::config(
                path,
                key("columns"),
                "set either `column` (one column) or `columns` (a column per option), not both",
            ));
        }
        if c.spread() && !c.options.is_empty() && c.options.len() != c.columns.len() {
            return Err(Error::config(
                path,
                key("options"),
                format!(
                    "has {} labels for {} columns",
                    c.options.len(),
                    c.columns.len()
                ),
            )
            .hint("give one label per column, in the same order, or leave `options` out"));
        }
        if c.separator
            .as_deref()
            .is_some_and(|s| s.trim().is_empty() && s != " ")
        {
            return Err(Error::config(path, key("separator"), "is empty"));
        }
        for (net, members) in &c.nets {
            if members.is_empty() {
                return Err(Error::config(
                    path,
                    key("nets"),
                    format!("net `{net}` lists no option"),
                ));
            }
        }
    }
    for (i, n) in numbers.iter().enumerate() {
        if !taken.insert(n.id.clone()) {
            return Err(Error::config(
                path,
                format!("numbers[{i}].id"),
                format!("`{}` is the id of another question", n.id),
            ));
        }
    }
    for (i, r) in rankings.iter().enumerate() {
        validate_ranking(path, i, r, taken)?;
    }
    Ok(())
}

fn validate_ranking(
    path: &Path,
    i: usize,
    r: &Ranking,
    taken: &mut BTreeSet<String>,
) -> Result<()> {
    let key = |k: &str| format!("rankings[{i}].{k}");
    if !taken.insert(r.id.clone()) {
        return Err(Error::config(
            path,
            key("id"),
            format!("`{}` is the id of another question", r.id),
        ));
    }
    if r.columns.len() < 2 {
        return Err(Error::config(
            path,
            key("columns"),
            format!(
                "lists {} column(s); a ranking orders at least two things",
                r.columns.len()
            ),
        )
        .hint(
            "list the column of each ranked thing, e.g. columns = [\"Q8_1\", \"Q8_2\", \"Q8_3\"]",
        ));
    }
    if !r.options.is_empty() && r.options.len() != r.columns.len() {
        return Err(Error::config(
            path,
            key("options"),
            format!(
                "has {} labels for {} columns",
                r.options.len(),
                r.columns.len()
            ),
        )
        .hint("give one label per column, in the same order, or leave `options` out"));
    }
    Ok(())
}
