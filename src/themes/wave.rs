//! The themes stage of a pipeline wave: the survey's first free-text question themed, with the
//! comments per theme broken down by the survey's segments.

use super::{segments, themes, Comment, ThemeParams, ThemeReport};
use crate::clean::CleanWave;
use crate::config::ThemeCount;
use crate::error::{DataOf, Error, Result};
use crate::model::{find_column, ColumnRole};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// What the themes stage reads of the pipeline (the survey supplies the rest).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WaveSettings {
    pub k: ThemeCount,
    pub quotes: usize,
    pub seed: u64,
    /// Groups with fewer comments than this are suppressed in the breakdown.
    pub suppress_below: usize,
    /// Learned codings less probable than this are listed for review.
    pub review_below: f64,
}

/// A sample coded by hand, to learn from, and the file it came from (named in errors).
#[derive(Debug, Clone)]
pub struct Coded {
    pub sample: super::learn::CodedSample,
    pub path: PathBuf,
}

/// The themes artefact of a wave: the question themed and its themes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WaveThemes {
    /// The question's wording, as the survey gives it.
    pub question: String,
    pub report: ThemeReport,
}

/// Themes the survey's first free-text question, if it has one, coding its comments as `coded`
/// does where a sample is given and applying a reviewer's corrections. `export` is named in errors.
pub fn for_wave(
    wave: &CleanWave,
    settings: &WaveSettings,
    coded: Option<Coded>,
    review: Option<&super::review::WaveReview>,
    export: &Path,
) -> Result<Option<WaveThemes>> {
    let (survey, clean) = (&wave.survey, &wave.table);
    let Some(question) = survey.text.first() else {
        return Ok(None);
    };
    let col = find_column(&clean.columns, question.column())
        .filter(|&c| clean.columns[c].role == ColumnRole::Answer)
        .ok_or_else(|| {
            Error::input(
                export,
                format!(
                    "has no column `{}` for the free-text question `{}`",
                    question.column(),
                    question.id
                ),
            )
            .hint("fix `text[0].column` in the survey file; `canvass inspect` lists the columns")
        })?;
    let comments: Vec<Comment> = clean
        .responses
        .iter()
        .map(|r| Comment {
            respondent: r.key.clone(),
            text: r.values[col].to_string(),
        })
        .collect();
    let params = ThemeParams {
        k: settings.k,
        seed: settings.seed,
        language: survey.language.clone(),
        quotes: settings.quotes,
        redact: survey.privacy.redact.clone(),
        codebook: survey.codebook.clone(),
        question: question.text.clone(),
        review_below: settings.review_below,
        ..ThemeParams::new(clean.responses.len())
    };
    let coded_path = coded.as_ref().map(|c| c.path.clone());
    let params = ThemeParams {
        coded: coded.map(|c| c.sample),
        ..params
    };
    let mut report = themes(&comments, &params).map_err(|e| match coded_path {
        Some(path) if e.data_of() == Some(DataOf::CodedSample) => e.in_file(&path, "").hint(
            "fix the file, or remove `coded` from the question's `[[text]]` entry in the survey file",
        ),
        _ => e.in_file(export, &format!("theming `{}` failed: ", question.id)),
    })?;
    // A reviewer's corrections come before the breakdowns, which count the reviewed themes.
    if let Some(r) = review {
        report.review = Some(super::review::apply(&mut report, r, params.quotes));
    }
    let mut names = Vec::new();
    let mut groups = Vec::new();
    for seg in &survey.segments {
        if let Some(c) = find_column(&clean.columns, seg.column()) {
            names.push(seg.name.clone());
            groups.push(
                clean
                    .responses
                    .iter()
                    .map(|r| {
                        let v = r.values[c].trim();
                        (
                            r.key.clone(),
                            if v.is_empty() {
                                "(not answered)".to_string()
                            } else {
                                v.to_string()
                            },
                        )
                    })
                    .collect(),
            );
        }
    }
    report.segments = segments::breakdown(&report, &names, &groups, settings.suppress_below);
    Ok(Some(WaveThemes {
        question: question.text.clone(),
        report,
    }))
}
