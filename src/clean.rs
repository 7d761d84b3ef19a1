//! Clean: decide which responses count. Every row read is either kept or excluded with a reason,
//! and the accounting `read = kept + excluded` is part of the artefact, so it can be checked.

use crate::config::survey::{CleanRules, KeepDuplicate};
use crate::ingest::detect::norm;
use crate::model::{Column, ColumnRole, Response, ResponseTable, SourceInfo};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reason {
    /// The survey author's preview.
    Preview,
    /// Generated or marked test response.
    Test,
    /// Flagged as spam or a bot by the tool.
    Spam,
    /// Not finished, or progress below the threshold.
    Unfinished,
    /// No answer to any question.
    Empty,
    /// Finished faster than the survey's minimum plausible duration (opt-in).
    Speeder,
    /// The same answer to every item of the survey (opt-in).
    StraightLiner,
    /// The same respondent key as a response that was kept.
    Duplicate,
}

impl Reason {
    pub fn name(self) -> &'static str {
        match self {
            Reason::Preview => "preview",
            Reason::Test => "test",
            Reason::Spam => "spam",
            Reason::Unfinished => "unfinished",
            Reason::Empty => "empty",
            Reason::Speeder => "speeder",
            Reason::StraightLiner => "straight-liner",
            Reason::Duplicate => "duplicate",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Exclusion {
    /// Line or row number in the export.
    pub row: usize,
    /// Hashed respondent key.
    pub respondent: String,
    pub reason: Reason,
    /// The evidence, e.g. `Status = Survey Preview` or `Progress = 40 < 100`.
    pub detail: String,
}

/// `read = kept + Σ excluded`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Accounting {
    pub read: usize,
    pub kept: usize,
    pub excluded: BTreeMap<Reason, usize>,
}

impl Accounting {
    pub fn balances(&self) -> bool {
        self.read == self.kept + self.excluded.values().sum::<usize>()
    }
}

/// The clean artefact: the responses that count, and an account of those that do not.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CleanTable {
    pub source: SourceInfo,
    pub columns: Vec<Column>,
    pub responses: Vec<Response>,
    pub exclusions: Vec<Exclusion>,
    pub accounting: Accounting,
}

#[derive(Debug, Clone, Default)]
pub struct CleanOptions {
    pub rules: CleanRules,
    pub duplicates: KeepDuplicate,
    /// The survey's item columns, for the straight-lining rule.
    pub item_columns: Vec<String>,
}

impl CleanOptions {
    /// The cleaning rules a survey definition asks for.
    pub fn for_survey(survey: &crate::config::Survey) -> CleanOptions {
        CleanOptions {
            rules: survey.clean.clone(),
            duplicates: survey.respondent.duplicates,
            item_columns: survey
                .items
                .iter()
                .map(|i| i.column().to_string())
                .collect(),
        }
    }
}

pub fn clean(table: ResponseTable, options: &CleanOptions) -> CleanTable {
    let find = |names: &[&str]| {
        table
            .columns
            .iter()
            .position(|c| c.role == ColumnRole::Metadata && names.contains(&norm(&c.name).as_str()))
    };
    let flags = Flags {
        status: find(&["status", "responsetype"]),
        channel: find(&["distributionchannel"]),
        finished: find(&["finished"]),
        progress: find(&["progress"]),
        submitted: find(&["submitdate", "datesubmitted", "completiontime"]),
        duration: find(&["durationinseconds", "duration", "totaltime"]),
    };
    let items: Vec<usize> = options
        .item_columns
        .iter()
        .filter_map(|name| table.columns.iter().position(|c| &c.name == name))
        .collect();
    let answers: Vec<usize> = (0..table.columns.len())
        .filter(|&i| table.columns[i].role == ColumnRole::Answer)
        .collect();
    let read = table.responses.len();
    let mut exclusions = Vec::new();
    let mut candidates = Vec::with_capacity(read);
    for r in table.responses {
        match flags.exclusion(&table.columns, &r, &options.rules) {
            Some((reason, detail)) => exclusions.push(excluded(&r, reason, detail)),
            None if answers.iter().all(|&i| r.values[i].trim().is_empty()) => {
                exclusions.push(excluded(&r, Reason::Empty, "no question answered".into()))
            }
            None => {
                match quality_exclusion(&table.columns, &r, &options.rules, flags.duration, &items)
                {
                    Some((reason, detail)) => exclusions.push(excluded(&r, reason, detail)),
                    None => candidates.push(r),
                }
            }
        }
    }
    let responses = drop_duplicates(candidates, options.duplicates, &mut exclusions);
    exclusions.sort_by_key(|e| e.row);
    let mut excluded_counts = BTreeMap::new();
    for e in &exclusions {
        *excluded_counts.entry(e.reason).or_insert(0) += 1;
    }
    CleanTable {
        accounting: Accounting {
            read,
            kept: responses.len(),
            excluded: excluded_counts,
        },
        source: table.source,
        columns: table.columns,
        responses,
        exclusions,
    }
}

fn excluded(r: &Response, reason: Reason, detail: String) -> Exclusion {
    Exclusion {
        row: r.row,
        respondent: r.key.clone(),
        reason,
        detail,
    }
}

/// Keeps the first (or last) response per respondent key, in file order.
fn drop_duplicates(
    rows: Vec<Response>,
    keep: KeepDuplicate,
    exclusions: &mut Vec<Exclusion>,
) -> Vec<Response> {
    let mut chosen: HashMap<&str, usize> = HashMap::new();
    for (i, r) in rows.iter().enumerate() {
        match keep {
            KeepDuplicate::KeepFirst => {
                chosen.entry(&r.key).or_insert(i);
            }
            KeepDuplicate::KeepLast => {
                chosen.insert(&r.key, i);
            }
        }
    }
    let keep_index: Vec<bool> = (0..rows.len())
        .map(|i| chosen[rows[i].key.as_str()] == i)
        .collect();
    let kept_row: HashMap<String, usize> = rows
        .iter()
        .enumerate()
        .filter(|(i, _)| keep_index[*i])
        .map(|(_, r)| (r.key.clone(), r.row))
        .collect();
    let mut out = Vec::with_capacity(rows.len());
    for (i, r) in rows.into_iter().enumerate() {
        if keep_index[i] {
            out.push(r);
        } else {
            let detail = format!("same respondent as row {}", kept_row[&r.key]);
            exclusions.push(excluded(&r, Reason::Duplicate, detail));
        }
    }
    out
}

/// The opt-in data-quality rules: speeding and straight-lining.
fn quality_exclusion(
    columns: &[Column],
    r: &Response,
    rules: &CleanRules,
    duration: Option<usize>,
    items: &[usize],
) -> Option<(Reason, String)> {
    if let (Some(min), Some(d)) = (rules.min_duration_seconds, duration) {
        if let Ok(secs) = r.values[d].trim().parse::<f64>() {
            if secs < min {
                return Some((
                    Reason::Speeder,
                    format!("{} = {secs} < {min}", columns[d].name),
                ));
            }
        }
    }
    if rules.exclude_straight_liners && items.len() >= 5 {
        let answers: Vec<&str> = items
            .iter()
            .map(|&i| r.values[i].trim())
            .filter(|v| !v.is_empty())
            .collect();
        if answers.len() == items.len()
            && answers.iter().all(|a| a.eq_ignore_ascii_case(answers[0]))
        {
            return Some((
                Reason::StraightLiner,
                format!("`{}` to all {} items", answers[0], items.len()),
            ));
        }
    }
    None
}

struct Flags {
    status: Option<usize>,
    channel: Option<usize>,
    finished: Option<usize>,
    progress: Option<usize>,
    submitted: Option<usize>,
    duration: Option<usize>,
}

impl Flags {
    fn exclusion(
        &self,
        columns: &[Column],
        r: &Response,
        rules: &CleanRules,
    ) -> Option<(Reason, String)> {
        let value = |i: Option<usize>| i.map(|i| (columns[i].name.as_str(), r.values[i].trim()));
        if let Some((name, v)) = value(self.status) {
            // Qualtrics writes the code (1, 2, 8) or the text, depending on the export option.
            let reason = match norm(v).as_str() {
                "1" | "surveypreview" | "preview" => Some(Reason::Preview),
                "2" | "surveytest" | "test" => Some(Reason::Test),
                "8" | "spam" => Some(Reason::Spam),
                _ => None,
            };
            if let Some(reason) = reason {
                return Some((reason, format!("{name} = {v}")));
            }
        }
        if let Some((name, v)) = value(self.channel) {
            match norm(v).as_str() {
                "preview" => return Some((Reason::Preview, format!("{name} = {v}"))),
                "test" => return Some((Reason::Test, format!("{name} = {v}"))),
                _ => {}
            }
        }
        if rules.require_finished {
            if let Some((name, v)) = value(self.finished) {
                if matches!(norm(v).as_str(), "0" | "false" | "no") {
                    return Some((Reason::Unfinished, format!("{name} = {v}")));
                }
            }
            if let Some((name, v)) = value(self.submitted) {
                if v.is_empty() {
                    return Some((Reason::Unfinished, format!("{name} is blank")));
                }
            }
        }
        if let Some((name, v)) = value(self.progress) {
            if let Ok(p) = v.trim_end_matches('%').parse::<f64>() {
                if p < rules.min_progress {
                    return Some((
                        Reason::Unfinished,
                        format!("{name} = {v} < {}", rules.min_progress),
                    ));
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Format;

    fn table(rows: &[(&str, &str, &str, &str, &str)]) -> ResponseTable {
        let col = |n: &str, role| Column {
            name: n.into(),
            question: n.into(),
            import_id: None,
            role,
        };
        ResponseTable {
            source: SourceInfo {
                file: "t.csv".into(),
                sha256: String::new(),
                format: Format::Qualtrics,
                encoding: "utf-8".into(),
                delimiter: Some(','),
                header_rows: 3,
            },
            columns: vec![
                col("Status", ColumnRole::Metadata),
                col("Progress", ColumnRole::Metadata),
                col("Finished", ColumnRole::Metadata),
                col("Q1", ColumnRole::Answer),
            ],
            dropped_identifiers: vec![],
            responses: rows
                .iter()
                .enumerate()
                .map(|(i, (key, s, p, f, q))| Response {
                    row: i + 4,
                    key: key.to_string(),
                    values: [s, p, f, q].into_iter().collect(),
                })
                .collect(),
        }
    }

    #[test]
    fn every_row_is_kept_or_excluded_with_a_reason() {
        let t = table(&[
            ("a", "IP Address", "100", "True", "Agree"),
            ("b", "Survey Preview", "100", "True", "Agree"),
            ("c", "0", "40", "False", "Agree"),
            ("a", "0", "100", "1", "Disagree"),
            ("d", "0", "100", "1", ""),
            ("e", "8", "100", "1", "Agree"),
        ]);
        let c = clean(t, &CleanOptions::default());
        assert!(c.accounting.balances());
        assert_eq!(c.accounting.kept, 1);
        let reasons: Vec<(usize, Reason)> =
            c.exclusions.iter().map(|e| (e.row, e.reason)).collect();
        assert_eq!(
            reasons,
            [
                (5, Reason::Preview),
                (6, Reason::Unfinished),
                (7, Reason::Duplicate),
                (8, Reason::Empty),
                (9, Reason::Spam)
            ]
        );
        assert_eq!(c.exclusions[2].detail, "same respondent as row 4");
    }

    #[test]
    fn speeders_and_straight_liners_are_excluded_when_asked() {
        let mut t = table(&[
            ("a", "0", "100", "1", "Agree"),
            ("b", "0", "100", "1", "Agree"),
        ]);
        for (i, c) in ["Q2", "Q3", "Q4", "Q5"].iter().enumerate() {
            t.columns.push(Column {
                name: c.to_string(),
                question: c.to_string(),
                import_id: None,
                role: ColumnRole::Answer,
            });
            t.responses[0].values.push("Agree");
            t.responses[1]
                .values
                .push(if i == 2 { "Disagree" } else { "Agree" });
        }
        t.columns.push(Column {
            name: "Duration (in seconds)".into(),
            question: String::new(),
            import_id: None,
            role: ColumnRole::Metadata,
        });
        t.responses[0].values.push("400");
        t.responses[1].values.push("35");
        let mut opts = CleanOptions {
            item_columns: ["Q1", "Q2", "Q3", "Q4", "Q5"].map(String::from).to_vec(),
            ..Default::default()
        };
        assert_eq!(
            clean(t.clone(), &opts).accounting.kept,
            2,
            "rules are opt-in"
        );
        opts.rules.exclude_straight_liners = true;
        opts.rules.min_duration_seconds = Some(60.0);
        let c = clean(t, &opts);
        let reasons: Vec<(Reason, &str)> = c
            .exclusions
            .iter()
            .map(|e| (e.reason, e.detail.as_str()))
            .collect();
        assert_eq!(
            reasons,
            [
                (Reason::StraightLiner, "`Agree` to all 5 items"),
                (Reason::Speeder, "Duration (in seconds) = 35 < 60")
            ]
        );
    }

    #[test]
    fn keep_last_keeps_the_later_duplicate() {
        let t = table(&[
            ("a", "0", "100", "1", "Agree"),
            ("a", "0", "100", "1", "Disagree"),
        ]);
        let opts = CleanOptions {
            duplicates: KeepDuplicate::KeepLast,
            ..Default::default()
        };
        let c = clean(t, &opts);
        assert_eq!(&c.responses[0].values[3], "Disagree");
        assert_eq!(c.exclusions[0].row, 4);
    }
}
