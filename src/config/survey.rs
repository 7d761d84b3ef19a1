//! The survey instrument: response scales, items, multi-item scales, segments and free-text
//! questions. Written by hand or drafted by `canvass init`.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::path::Path;

/// A survey file (`surveys/*/survey.toml`) as written: what the questions are, how they are scored,
/// grouped and cleaned, and what stays private. [`Survey::load`] reads and validates it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Survey {
    /// The survey's title, as reports show it.
    pub title: String,
    /// Stemming language for free text (rust-stemmers' names: english, german, french …).
    #[serde(default = "default_language")]
    pub language: String,
    /// How respondents are recognised across rows and waves (`[respondent]`).
    #[serde(default)]
    pub respondent: Respondent,
    /// Which responses are excluded, and why (`[clean]`).
    #[serde(default)]
    pub clean: CleanRules,
    /// The answer scales items use (`[[response_scales]]`); names are unique.
    #[serde(default)]
    pub response_scales: Vec<ResponseScale>,
    /// The closed questions to score (`[[items]]`), in the order reports list them.
    #[serde(default)]
    pub items: Vec<Item>,
    /// Multi-item scales (`[[scales]]`): a score per respondent, with reliability.
    #[serde(default)]
    pub scales: Vec<Scale>,
    /// Columns to break results down by (`[[segments]]`).
    #[serde(default)]
    pub segments: Vec<Segment>,
    /// Choice and check-all questions (`[[choices]]`): each option's share.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<super::questions::Choice>,
    /// Questions answered with a number (`[[numbers]]`): mean, quartiles, histogram.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub numbers: Vec<super::questions::Number>,
    /// Ranking questions (`[[rankings]]`): each ranked thing's mean rank and % ranked first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rankings: Vec<super::questions::Ranking>,
    /// Open questions to theme (`[[text]]`).
    #[serde(default)]
    pub text: Vec<TextQuestion>,
    /// Themes defined up front (deductive coding of the open question).
    #[serde(default)]
    pub codebook: Vec<CodebookEntry>,
    /// What is redacted and suppressed (`[privacy]`).
    #[serde(default)]
    pub privacy: Privacy,
    /// Raking to population margins (`[weights]`).
    #[serde(default, skip_serializing_if = "super::weights::Weights::is_empty")]
    pub weights: super::weights::Weights,
}

/// A codebook theme as the survey file defines it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodebookEntry {
    /// The theme's label, as reports show it.
    pub theme: String,
    /// Words or phrases; a comment matches a phrase when it contains all its (stemmed) words.
    pub phrases: Vec<String>,
    /// Comments a reviewer placed in the theme (`canvass codebook` writes them), for learned
    /// coding to train on; phrase matching does not read them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<CodebookExample>,
}

impl CodebookEntry {
    /// Whether `name` names this theme: the same words, whatever their case and spacing
    /// ("Staff morale" and "staff  morale"), as a coded sample or another entry may spell it.
    pub fn names_theme(&self, name: &str) -> bool {
        let words = |s: &str| {
            s.split_whitespace()
                .map(str::to_lowercase)
                .collect::<Vec<_>>()
        };
        words(&self.theme) == words(name)
    }
}

/// A comment of a reviewed theme: its id in the wave's comments.csv and its redacted text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodebookExample {
    /// The comment's id as in comments.csv (the hashed respondent key and question).
    pub id: String,
    /// The comment as the reviewer saw it (already redacted).
    pub text: String,
}

fn default_language() -> String {
    "english".into()
}

/// How respondents are recognised across rows and waves.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Respondent {
    /// Column whose value identifies a respondent (e.g. `RecipientEmail`). It is hashed at
    /// ingest and never stored; duplicates and panel matching use the hash.
    pub key: Option<String>,
    /// Which response to keep when a key repeats.
    #[serde(default)]
    pub duplicates: KeepDuplicate,
    /// Column of survey weights (post-stratification or design weights).
    pub weight: Option<String>,
}

/// Which response to keep when the respondent key repeats (`[respondent] duplicates`). The others
/// are excluded with reason `duplicate`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum KeepDuplicate {
    /// Keep the first response in the export's order (the default).
    #[default]
    KeepFirst,
    /// Keep the last one, e.g. when a respondent may resubmit to correct an answer.
    KeepLast,
}

/// Rules for excluding responses, beyond the tool's own preview/test/spam flags.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CleanRules {
    /// Responses whose progress (percent) is below this are unfinished.
    #[serde(default = "default_min_progress")]
    pub min_progress: f64,
    /// Exclude responses the tool marks as not finished.
    #[serde(default = "yes")]
    pub require_finished: bool,
    /// Exclude responses completed in fewer seconds than this (the tool's duration column).
    #[serde(default)]
    pub min_duration_seconds: Option<f64>,
    /// Exclude responses giving the same answer to every item (five items or more).
    #[serde(default)]
    pub exclude_straight_liners: bool,
    /// Keep the responses the survey tool marks as tests or previews (a pilot answered through
    /// the tool's preview or test mode). They still pass every other rule, and the manifest
    /// records that they were kept.
    #[serde(default)]
    pub keep_test_responses: bool,
}

fn default_min_progress() -> f64 {
    100.0
}
fn yes() -> bool {
    true
}

impl Default for CleanRules {
    fn default() -> Self {
        CleanRules {
            min_progress: default_min_progress(),
            require_finished: true,
            min_duration_seconds: None,
            exclude_straight_liners: false,
            keep_test_responses: false,
        }
    }
}

/// Options a response scale may have: scoring codes each answer in one byte.
pub const MAX_OPTIONS: usize = 127;
/// Non-substantive answers a response scale may list (the rest of the byte).
pub const MAX_NON_SUBSTANTIVE: usize = 64;

/// An ordered set of answer options, e.g. a five-point agreement scale.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResponseScale {
    /// The name items refer to in their `scale` key.
    pub name: String,
    /// Option labels from the lowest to the highest.
    pub labels: Vec<String>,
    /// The numeric code of each label; defaults to 1, 2, … n.
    #[serde(default)]
    pub codes: Vec<f64>,
    /// How many top options count as agreeing (top-k box).
    #[serde(default = "default_top")]
    pub agree_top: usize,
    /// Answers that are not opinions (Don't know, N/A): counted, never scored as disagreement.
    #[serde(default)]
    pub non_substantive: Vec<String>,
    /// Treat unrecognised answers as missing (they are still counted and reported) instead of
    /// stopping the run.
    #[serde(default)]
    pub unknown_as_missing: bool,
}

fn default_top() -> usize {
    2
}

impl ResponseScale {
    /// How many top options count as agreeing when nobody said: the top one of three points or
    /// fewer, two of four or five, three of six or more (so "4–6" of 1–6, "8–10" of 1–10). The
    /// one rule for drafted labelled scales, numeric ratings and `score --scale` alike.
    pub fn default_agree_top(points: usize) -> usize {
        match points {
            0..=3 => 1,
            4 | 5 => 2,
            _ => 3,
        }
    }

    /// Which field is over the limits that let scoring code an answer in one byte
    /// (`MAX_OPTIONS`, `MAX_NON_SUBSTANTIVE`), and by how much.
    pub fn beyond_byte_codes(&self) -> Option<(&'static str, String)> {
        if self.labels.len() > MAX_OPTIONS {
            return Some((
                "labels",
                format!(
                    "has {} options; a response scale has at most {MAX_OPTIONS}",
                    self.labels.len()
                ),
            ));
        }
        (self.non_substantive.len() > MAX_NON_SUBSTANTIVE).then(|| {
            (
                "non_substantive",
                format!(
                    "has {} answers; at most {MAX_NON_SUBSTANTIVE} are allowed",
                    self.non_substantive.len()
                ),
            )
        })
    }

    /// The numeric code of the option at 0-based `index`: its entry in `codes`, else `index + 1`.
    pub fn code(&self, index: usize) -> f64 {
        self.codes.get(index).copied().unwrap_or((index + 1) as f64)
    }
}

/// One closed question, scored on a response scale.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// The item's id: its name in every output (items.csv `id`, score.json) and in scales' `items`.
    pub id: String,
    /// The export column: its id, Qualtrics ImportId or exact question text. Defaults to `id`.
    pub column: Option<String>,
    /// A matrix (grid) question instead of one column: a pattern with one `*` over column ids
    /// or ImportIds (`Q3_*`). Each matching column becomes an item `<id>_<part>`, where `<part>`
    /// is what `*` matched, with the column's question text; a scale may list the matrix's id
    /// for all of its parts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub columns: Option<String>,
    /// A rating question written one column per option, as SurveyMonkey's expanded download
    /// writes every closed question: the columns, in the order the options were shown. The
    /// answer is what the one filled column holds (the option's label); a respondent who filled
    /// two is counted as not answering. Instead of `column`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub option_columns: Vec<String>,
    /// The statement as respondents saw it.
    pub text: String,
    /// The statement as it reads after "N per cent said …"; defaults to `text`.
    pub statement: Option<String>,
    /// The `name` of the response scale its answers come from.
    pub scale: String,
    /// Lead the summary with this item (when no item is marked, the first three lead).
    #[serde(default)]
    pub headline: bool,
    /// Analyse the column although it looks identifying (see `Segment::allow_identifying`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub allow_identifying: bool,
}

impl Item {
    /// The export column to read: `column`, else the id. An item written one column per
    /// option reads `option_columns` instead (`read_columns`).
    pub fn column(&self) -> &str {
        self.column.as_deref().unwrap_or(&self.id)
    }

    /// The export columns the item reads: `option_columns`, else its one `column`.
    pub fn read_columns(&self) -> Vec<&str> {
        if self.option_columns.is_empty() {
            vec![self.column()]
        } else {
            self.option_columns.iter().map(String::as_str).collect()
        }
    }

    /// Where the item was read from, as items.csv names it: its column, or its option columns
    /// joined by ` | `.
    pub fn source_name(&self) -> String {
        self.read_columns().join(" | ")
    }
}

/// A multi-item construct whose score is the mean of its items.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scale {
    /// The scale's name: its id in scales.csv and score.json.
    pub name: String,
    /// Item ids; a trailing `-` marks a reverse-keyed item.
    pub items: Vec<String>,
    /// A respondent gets a scale score when they answered at least this many of its items
    /// (defaults to half the items, rounded up).
    pub min_items: Option<usize>,
}

/// A survey's references as indices (`Survey::resolve`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedSurvey {
    /// Per item, the index of its response scale in `response_scales`.
    pub item_scales: Vec<usize>,
    /// Per scale, its members as `(item index, reversed)`, in the order the scale lists them.
    pub scale_members: Vec<Vec<(usize, bool)>>,
}

/// An item of a scale with its keying.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScaleItem {
    /// The item's id.
    pub id: String,
    /// Whether the item is reverse-keyed (listed as `ID-`): its codes are mirrored before scoring.
    pub reversed: bool,
}

impl ScaleItem {
    /// Parses `ITEM` or `ITEM-`.
    pub fn parse(spec: &str) -> ScaleItem {
        let spec = spec.trim();
        match spec.strip_suffix('-') {
            Some(id) => ScaleItem {
                id: id.trim().to_string(),
                reversed: true,
            },
            None => ScaleItem {
                id: spec.to_string(),
                reversed: false,
            },
        }
    }
}

impl Scale {
    /// The scale's items with their keying, as listed (before matrix expansion, a matrix id).
    pub fn parsed_items(&self) -> Vec<ScaleItem> {
        self.items.iter().map(|s| ScaleItem::parse(s)).collect()
    }

    /// The fewest answered items that give a respondent a score: `min_items`, else half the items
    /// rounded up, never below 1.
    pub fn min_items(&self) -> usize {
        self.min_items
            .unwrap_or(self.items.len().div_ceil(2))
            .max(1)
    }
}

/// A column to break results down by (region, role, school …).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Segment {
    /// The segment's name: its id in segments.csv and the column read when `column` is absent.
    pub name: String,
    /// The export column to group by (id, ImportId or question text); defaults to `name`.
    pub column: Option<String>,
    /// Group by the column although its question asks for personal details (a name, an
    /// address …): canvass refuses such a segment unless a researcher says they know.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub allow_identifying: bool,
}

impl Segment {
    /// The export column to read: `column`, else the name.
    pub fn column(&self) -> &str {
        self.column.as_deref().unwrap_or(&self.name)
    }
}

/// An open question whose answers are themed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TextQuestion {
    /// The question's id: the `question` of comments.csv and themes.json.
    pub id: String,
    /// The export column holding the comments (id, ImportId or question text); defaults to `id`.
    pub column: Option<String>,
    /// The question as asked, shown above its themes.
    pub text: String,
    /// Theme the column although it looks identifying (see `Segment::allow_identifying`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub allow_identifying: bool,
    /// A sample of comments coded by hand (CSV: `id,theme` rows or `id` and a 0/1 column per
    /// theme; ids as in comments.csv; an optional `text` column), relative to the survey file:
    /// its coding is learned and given to the other comments (`themes::learn`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coded: Option<String>,
    /// Learned codings less probable than this are listed for review (default 0.5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_below: Option<f64>,
    /// The `[[choices]]` id whose "Other (please specify)" option this box belongs to: its
    /// comments are themed as any open question's, and the choice's table says how many wrote one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other_of: Option<String>,
}

impl TextQuestion {
    /// The export column to read: `column`, else the id.
    pub fn column(&self) -> &str {
        self.column.as_deref().unwrap_or(&self.id)
    }
}

/// Extra privacy settings.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Privacy {
    /// Names and other words that must be replaced by `[name]` in every quote
    /// (staff names, school names that would identify a respondent).
    #[serde(default)]
    pub redact: Vec<String>,
    /// Extra columns to treat as identifiers and drop at ingest.
    #[serde(default)]
    pub identifier_columns: Vec<String>,
}

/// What `*` matched when `name` fits `pattern` (one `*`).
fn glob_part<'a>(pattern: &str, name: &'a str) -> Option<&'a str> {
    let (prefix, suffix) = pattern.split_once('*')?;
    (name.len() >= prefix.len() + suffix.len())
        .then(|| name.strip_prefix(prefix)?.strip_suffix(suffix))
        .flatten()
}

// Here rather than beside the struct in ingest: ingest reads exports without knowing surveys,
// and config already uses ingest's file sniffing, so the import goes one way only.
impl crate::ingest::ResponseOptions {
    /// The respondent key and identifier columns a survey definition names; respondent ids
    /// made by `ids` (the project's secret in a run).
    pub fn for_survey(survey: &Survey, ids: &crate::ingest::Pseudonyms) -> Self {
        Self {
            key_column: survey.respondent.key.clone(),
            identifier_columns: survey.privacy.identifier_columns.clone(),
            allowed_identifying: survey.allowed_identifying(),
            ids: ids.clone(),
        }
    }
}

impl Survey {
    /// Every column the survey analyses, one by one: its config key (`items[2]`), the column
    /// as written, and whether the entry says `allow_identifying = true`. Matrix items
    /// (`columns = "Q3_*"`) name patterns, not columns, and are left out.
    pub fn analysed_columns(&self) -> Vec<(String, &str, bool)> {
        let items = self
            .items
            .iter()
            .enumerate()
            .filter(|(_, i)| i.columns.is_none())
            .flat_map(|(n, i)| {
                i.read_columns()
                    .into_iter()
                    .map(move |col| (format!("items[{n}]"), col, i.allow_identifying))
            });
        let segments = self
            .segments
            .iter()
            .enumerate()
            .map(|(n, s)| (format!("segments[{n}]"), s.column(), s.allow_identifying));
        let text = self
            .text
            .iter()
            .enumerate()
            .map(|(n, t)| (format!("text[{n}]"), t.column(), t.allow_identifying));
        let choices = self.choices.iter().enumerate().flat_map(|(n, c)| {
            c.read_columns()
                .into_iter()
                .map(move |col| (format!("choices[{n}]"), col, c.allow_identifying))
        });
        let numbers = self
            .numbers
            .iter()
            .enumerate()
            .map(|(n, q)| (format!("numbers[{n}]"), q.column(), q.allow_identifying));
        // A margin's groups are named in weights.csv; one naming a segment reads its column.
        let margins = self.weights.rake.iter().enumerate().map(|(n, m)| {
            let segment = self.segments.iter().find(|s| s.name == m.column);
            let column = segment.map_or(m.column.as_str(), |s| s.column());
            (format!("weights.rake[{n}]"), column, m.allow_identifying)
        });
        items
            .chain(segments)
            .chain(text)
            .chain(choices)
            .chain(numbers)
            .chain(margins)
            .collect()
    }

    /// Columns named with `allow_identifying = true`: kept at ingest whatever they ask.
    pub fn allowed_identifying(&self) -> Vec<String> {
        self.analysed_columns()
            .into_iter()
            .filter(|(_, _, allowed)| *allowed)
            .map(|(_, column, _)| column.to_string())
            .collect()
    }

    /// The survey with each matrix item (`columns = "Q3_*"`) replaced by one item per matching
    /// export column, and scales that list the matrix listing its parts.
    pub fn expand_matrices(&self, file: &Path, columns: &[crate::model::Column]) -> Result<Survey> {
        if self.items.iter().all(|i| i.columns.is_none()) {
            return Ok(self.clone());
        }
        let mut parts: std::collections::BTreeMap<&str, Vec<String>> = Default::default();
        let mut items = Vec::new();
        for (i, item) in self.items.iter().enumerate() {
            let Some(pattern) = &item.columns else {
                items.push(item.clone());
                continue;
            };
            let before = items.len();
            for c in columns {
                let part = glob_part(pattern, &c.name)
                    .or_else(|| c.import_id.as_deref().and_then(|id| glob_part(pattern, id)));
                let Some(part) = part else { continue };
                let id = format!("{}_{part}", item.id);
                parts.entry(item.id.as_str()).or_default().push(id.clone());
                items.push(Item {
                    id,
                    column: Some(c.name.clone()),
                    columns: None,
                    option_columns: Vec::new(),
                    text: if c.question.is_empty() || c.question == c.name {
                        format!("{} – {part}", item.text)
                    } else {
                        c.question.clone()
                    },
                    statement: None,
                    scale: item.scale.clone(),
                    headline: item.headline,
                    allow_identifying: item.allow_identifying,
                });
            }
            if items.len() == before {
                return Err(Error::input(
                    file,
                    format!(
                        "has no column matching `{pattern}` for matrix item `{}`",
                        item.id
                    ),
                )
                .hint(format!(
                    "fix `items[{i}].columns`; `canvass inspect` lists the columns"
                )));
            }
        }
        let mut survey = Survey {
            items,
            ..self.clone()
        };
        for scale in &mut survey.scales {
            scale.items = scale
                .parsed_items()
                .into_iter()
                .flat_map(|si| {
                    // A matrix's parts inherit its keying; other items stay as they were.
                    let mark = if si.reversed { "-" } else { "" };
                    let ids = parts.get(si.id.as_str()).cloned();
                    ids.unwrap_or_else(|| vec![si.id])
                        .into_iter()
                        .map(move |id| format!("{id}{mark}"))
                })
                .collect();
        }
        // The parts are new items: their ids, and the scales listing them, are checked again.
        survey.validate(file)?;
        Ok(survey)
    }

    /// Reads a survey file and validates it (see [`Survey::validate`]); errors name the key and,
    /// where the parser knows it, the line.
    pub fn load(path: &Path) -> Result<Survey> {
        let survey: Survey = super::read_toml(path, super::ConfigFile::Survey)?;
        survey.validate(path)?;
        Ok(survey)
    }

    /// The survey's cross-references resolved to indices, once: each item's response scale and
    /// each scale's members as `(item index, reversed)`, so that no later stage re-parses
    /// `"Q3-"` strings or trusts a name to resolve. `validate` checks the same references with
    /// messages for the survey's author; this is the check a survey built in code, or expanded
    /// against an export, also passes through, so that scoring never panics on a bad reference.
    pub fn resolve(&self, path: &Path) -> Result<ResolvedSurvey> {
        let item_scales = self
            .items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                self.response_scales
                    .iter()
                    .position(|s| s.name == item.scale)
                    .ok_or_else(|| {
                        Error::config(
                            path,
                            format!("items[{i}].scale"),
                            format!("names no response scale `{}`", item.scale),
                        )
                        .hint("name one of the [[response_scales]] tables")
                    })
            })
            .collect::<Result<Vec<usize>>>()?;
        let scale_members = self
            .scales
            .iter()
            .enumerate()
            .map(|(j, scale)| {
                let members = scale
                    .parsed_items()
                    .iter()
                    .map(|si| {
                        let i = self.items.iter().position(|it| it.id == si.id);
                        i.map(|i| (i, si.reversed)).ok_or_else(|| {
                            Error::config(
                                path,
                                format!("scales[{j}].items"),
                                format!("names no item `{}`", si.id),
                            )
                            .hint("list the ids of [[items]], a trailing `-` for reverse keying")
                        })
                    })
                    .collect::<Result<Vec<(usize, bool)>>>()?;
                if members.is_empty() {
                    return Err(Error::config(
                        path,
                        format!("scales[{j}].items"),
                        "lists no item",
                    ));
                }
                Ok(members)
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(ResolvedSurvey {
            item_scales,
            scale_members,
        })
    }

    /// The item with id `id`, if the survey has one.
    pub fn item(&self, id: &str) -> Option<&Item> {
        self.items.iter().find(|i| i.id == id)
    }

    /// The response scale named `name`, if the survey has one.
    pub fn response_scale(&self, name: &str) -> Option<&ResponseScale> {
        self.response_scales.iter().find(|s| s.name == name)
    }

    /// Checks every cross-reference so later stages can rely on them.
    pub fn validate(&self, path: &Path) -> Result<()> {
        self.validate_response_scales(path)?;
        self.validate_items(path)?;
        self.validate_scales(path)?;
        self.weights.validate(path)?;
        let mut taken: BTreeSet<String> = self.items.iter().map(|i| i.id.clone()).collect();
        super::questions::validate(
            path,
            &self.choices,
            &self.numbers,
            &self.rankings,
            &mut taken,
        )?;
        for (i, t) in self.text.iter().enumerate() {
            let Some(choice) = &t.other_of else { continue };
            if !self.choices.iter().any(|c| &c.id == choice) {
                return Err(Error::config(
                    path,
                    format!("text[{i}].other_of"),
                    format!("`{choice}` is not the id of a `[[choices]]` question"),
                )
                .hint("name the choice question whose \"Other\" option this box belongs to, or remove the key"));
            }
        }
        for (i, entry) in self.codebook.iter().enumerate() {
            if entry.theme.trim().is_empty() || entry.phrases.iter().all(|p| p.trim().is_empty()) {
                return Err(Error::config(
                    path,
                    format!("codebook[{i}]"),
                    "needs a `theme` name and at least one phrase",
                ));
            }
            if let Some(first) = self.codebook[..i]
                .iter()
                .position(|e| e.names_theme(&entry.theme))
            {
                return Err(Error::config(
                    path,
                    format!("codebook[{i}].theme"),
                    format!(
                        "`{}` is codebook[{first}]'s theme `{}` again (names are compared ignoring case and spacing)",
                        entry.theme, self.codebook[first].theme
                    ),
                )
                .hint("`canvass codebook` writes a whole codebook: replace the survey's [[codebook]] entries with its output rather than adding it below them, or join the two entries' phrases in one"));
            }
        }
        // A name that can never match would leave it in every quote: refused, never skipped.
        // Redaction matches words (letters, digits, `_`), as `themes::redact` does.
        let wordless = |n: &String| !n.chars().any(|c| c.is_alphanumeric() || c == '_');
        if let Some((i, name)) = self
            .privacy
            .redact
            .iter()
            .enumerate()
            .find(|(_, n)| wordless(n))
        {
            return Err(Error::config(
                path,
                format!("privacy.redact[{i}]"),
                format!(
                    "`{name}` has no letter or digit, so it can never match a word of a comment"
                ),
            )
            .hint("remove the entry, or write the name as it appears in comments"));
        }
        // Empty: no stemming.
        if !self.language.is_empty() {
            super::limits::language(&self.language).map_err(|b| b.at_key(path, "language"))?;
        }
        // Checked whether or not the themes run: a file's mistake is said before any data is read.
        for (i, t) in self.text.iter().enumerate() {
            if let Some(p) = t.review_below {
                super::limits::ReviewBelow::new(p)
                    .map_err(|b| b.at_key(path, format!("text[{i}].review_below")))?;
            }
        }
        Ok(())
    }

    fn validate_response_scales(&self, path: &Path) -> Result<()> {
        let mut names = BTreeSet::new();
        for (i, rs) in self.response_scales.iter().enumerate() {
            let key = |k: &str| format!("response_scales[{i}].{k}");
            if !names.insert(rs.name.as_str()) {
                return Err(Error::config(
                    path,
                    key("name"),
                    format!("`{}` is defined twice", rs.name),
                ));
            }
            if rs.labels.len() < 2 {
                return Err(Error::config(
                    path,
                    key("labels"),
                    "needs at least two options",
                ));
            }
            if let Some((field, message)) = rs.beyond_byte_codes() {
                return Err(Error::config(path, key(field), message).hint(
                    "score a numeric answer with more values as a number, not as a response scale",
                ));
            }
            if !rs.codes.is_empty() && rs.codes.len() != rs.labels.len() {
                return Err(Error::config(
                    path,
                    key("codes"),
                    format!(
                        "has {} codes for {} labels",
                        rs.codes.len(),
                        rs.labels.len()
                    ),
                )
                .hint("give one code per label, or leave `codes` out for 1..n"));
            }
            if rs.agree_top == 0 || rs.agree_top >= rs.labels.len() {
                return Err(Error::config(
                    path,
                    key("agree_top"),
                    format!("must be between 1 and {}", rs.labels.len() - 1),
                ));
            }
        }
        Ok(())
    }

    fn validate_items(&self, path: &Path) -> Result<()> {
        let mut ids = BTreeSet::new();
        for (i, item) in self.items.iter().enumerate() {
            if !ids.insert(item.id.as_str()) {
                return Err(Error::config(
                    path,
                    format!("items[{i}].id"),
                    format!("`{}` is defined twice", item.id),
                ));
            }
            if self.response_scale(&item.scale).is_none() {
                return Err(Error::config(
                    path,
                    format!("items[{i}].scale"),
                    format!("no response scale named `{}`", item.scale),
                )
                .hint("define it under [[response_scales]]"));
            }
        }
        for (i, item) in self.items.iter().enumerate() {
            if !item.option_columns.is_empty()
                && (item.column.is_some()
                    || item.columns.is_some()
                    || item.option_columns.len() < 2)
            {
                return Err(Error::config(
                    path,
                    format!("items[{i}].option_columns"),
                    "must list two or more columns, one per option, and neither `column` nor `columns` may be set beside it",
                )
                .hint("e.g. option_columns = [\"Q5 - Never\", \"Q5 - Sometimes\", \"Q5 - Often\"]"));
            }
            if let Some(pattern) = &item.columns {
                if item.column.is_some() || pattern.matches('*').count() != 1 {
                    return Err(Error::config(
                        path,
                        format!("items[{i}].columns"),
                        format!("`{pattern}` must hold exactly one `*`, and `column` must not be set beside it"),
                    )
                    .hint("e.g. columns = \"Q3_*\" for the columns Q3_1, Q3_2 …"));
                }
            }
        }
        Ok(())
    }

    fn validate_scales(&self, path: &Path) -> Result<()> {
        for (i, scale) in self.scales.iter().enumerate() {
            let has_matrix = scale
                .parsed_items()
                .iter()
                .any(|si| self.item(&si.id).is_some_and(|it| it.columns.is_some()));
            if scale.items.len() < 2 && !has_matrix {
                return Err(Error::config(
                    path,
                    format!("scales[{i}].items"),
                    "a scale needs at least two items",
                ));
            }
            for si in scale.parsed_items() {
                if self.item(&si.id).is_none() {
                    return Err(Error::config(
                        path,
                        format!("scales[{i}].items"),
                        format!("no item with id `{}`", si.id),
                    ));
                }
            }
            if scale.min_items() > scale.items.len() {
                return Err(Error::config(
                    path,
                    format!("scales[{i}].min_items"),
                    "is more than the number of items",
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_to_redact_that_can_never_match_is_refused_by_its_key() {
        let survey: Survey =
            toml::from_str("title = 't'\n[privacy]\nredact = ['Mrs Okafor', '-- ']\n").unwrap();
        let e = survey
            .validate(Path::new("s.toml"))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("privacy.redact[1]") && e.contains("no letter or digit"),
            "{e}"
        );
    }

    #[test]
    fn matrix_items_expand_to_one_item_per_matching_column() {
        let text = r#"
title = "t"
[[response_scales]]
name = "three"
labels = ["Dislike", "Neutral", "Like"]
[[items]]
id = "veg"
columns = "Q3_*"
text = "How do you feel about"
scale = "three"
[[items]]
id = "q1"
text = "Overall"
scale = "three"
[[scales]]
name = "vegetables"
items = ["veg-"]
"#;
        let survey: Survey = toml::from_str(text).unwrap();
        survey.validate(Path::new("s.toml")).unwrap();
        let col = |name: &str, question: &str, import_id: Option<&str>| crate::model::Column {
            name: name.into(),
            question: question.into(),
            import_id: import_id.map(String::from),
            role: crate::model::ColumnRole::Answer,
        };
        let columns = [
            col("Q1", "Overall", None),
            col("Q3_1", "Indicate how you feel-Squash", None),
            col("Q3_2", "", None),
            col("V9", "Zucchini", Some("Q3_3")),
            col("Q30", "not part of the matrix", None),
        ];
        let e = survey
            .expand_matrices(Path::new("x.csv"), &columns)
            .unwrap();
        let ids: Vec<(&str, &str, &str)> = e
            .items
            .iter()
            .map(|i| (i.id.as_str(), i.column(), i.text.as_str()))
            .collect();
        assert_eq!(
            ids,
            [
                ("veg_1", "Q3_1", "Indicate how you feel-Squash"),
                ("veg_2", "Q3_2", "How do you feel about – 2"),
                ("veg_3", "V9", "Zucchini"),
                ("q1", "q1", "Overall")
            ]
        );
        assert_eq!(e.scales[0].items, ["veg_1-", "veg_2-", "veg_3-"]);
        assert_eq!(e.scales[0].min_items(), 2);
        let err = survey
            .expand_matrices(Path::new("x.csv"), &columns[..1])
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("no column matching `Q3_*`") && err.contains("items[0].columns"),
            "{err}"
        );
    }

    const MINIMAL: &str = r#"
title = "t"
[[response_scales]]
name = "agree"
labels = ["Disagree", "Neutral", "Agree"]
agree_top = 1
[[items]]
id = "a"
text = "A"
scale = "agree"
[[items]]
id = "b"
text = "B"
scale = "agree"
[[scales]]
name = "s"
items = ["a", "b-"]
"#;

    #[test]
    fn parses_and_validates_reverse_keyed_items() {
        let s: Survey = toml::from_str(MINIMAL).unwrap();
        s.validate(Path::new("s.toml")).unwrap();
        let items = s.scales[0].parsed_items();
        assert!(!items[0].reversed);
        assert!(items[1].reversed && items[1].id == "b");
        assert_eq!(s.scales[0].min_items(), 1);
    }

    #[test]
    fn unknown_scale_item_is_a_config_error_naming_the_key() {
        let text = MINIMAL.replace("\"b-\"", "\"c\"");
        let s: Survey = toml::from_str(&text).unwrap();
        let e = s.validate(Path::new("s.toml")).unwrap_err().to_string();
        assert!(e.contains("scales[0].items") && e.contains("`c`"), "{e}");
    }

    #[test]
    fn option_columns_need_two_columns_and_no_column_beside_them() {
        let spread = MINIMAL.replace(
            "id = \"b\"\n",
            "id = \"b\"\noption_columns = [\"B - No\", \"B - Yes\"]\n",
        );
        let s: Survey = toml::from_str(&spread).unwrap();
        s.validate(Path::new("s.toml")).unwrap();
        assert_eq!(s.items[1].read_columns(), ["B - No", "B - Yes"]);
        assert_eq!(s.items[1].source_name(), "B - No | B - Yes");
        for bad in [
            "option_columns = [\"B - No\"]\n",
            "option_columns = [\"B - No\", \"B - Yes\"]\ncolumn = \"B\"\n",
        ] {
            let text = MINIMAL.replace("id = \"b\"\n", &format!("id = \"b\"\n{bad}"));
            let s: Survey = toml::from_str(&text).unwrap();
            let e = s.validate(Path::new("s.toml")).unwrap_err().to_string();
            assert!(e.contains("items[1].option_columns"), "{e}");
        }
    }

    #[test]
    fn resolve_gives_indices_and_errors_where_validate_was_skipped() {
        let s: Survey = toml::from_str(MINIMAL).unwrap();
        let r = s.resolve(Path::new("s.toml")).unwrap();
        // MINIMAL: both items on response scale 0; scale `s` = a, then b reverse-keyed.
        assert_eq!(r.item_scales, [0, 0]);
        assert_eq!(r.scale_members, [vec![(0, false), (1, true)]]);
        // A survey built in code, never validated: an error naming the key, not a panic.
        let mut bad = s.clone();
        bad.items[1].scale = "nowhere".into();
        let e = bad.resolve(Path::new("s.toml")).unwrap_err().to_string();
        assert!(
            e.contains("items[1].scale") && e.contains("`nowhere`"),
            "{e}"
        );
        let mut bad = s;
        bad.scales[0].items = vec!["a".into(), "c-".into()];
        let e = bad.resolve(Path::new("s.toml")).unwrap_err().to_string();
        assert!(e.contains("scales[0].items") && e.contains("`c`"), "{e}");
    }

    #[test]
    fn matrix_parts_are_checked_again_after_expansion() {
        // The matrix `veg` expands to `veg_1`, which an item of its own already uses.
        let text = r#"
title = "t"
[[response_scales]]
name = "three"
labels = ["Dislike", "Neutral", "Like"]
[[items]]
id = "veg"
columns = "Q3_*"
text = "How do you feel about"
scale = "three"
[[items]]
id = "veg_1"
column = "Q1"
text = "Overall"
scale = "three"
"#;
        let survey: Survey = toml::from_str(text).unwrap();
        survey.validate(Path::new("s.toml")).unwrap();
        let columns = [crate::model::Column {
            name: "Q3_1".into(),
            question: String::new(),
            import_id: None,
            role: crate::model::ColumnRole::Answer,
        }];
        let e = survey
            .expand_matrices(Path::new("x.csv"), &columns)
            .unwrap_err()
            .to_string();
        assert!(e.contains("`veg_1` is defined twice"), "{e}");
    }

    #[test]
    fn typo_in_key_is_rejected() {
        let text = MINIMAL.replace("agree_top", "agree_tpo");
        let e = super::super::parse_toml::<Survey>(Path::new("s.toml"), &text).unwrap_err();
        assert!(e.to_string().contains("agree_tpo"), "{e}");
    }
}
