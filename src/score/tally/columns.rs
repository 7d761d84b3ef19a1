//! The export columns a survey's items, segments, raking margins and weight read, resolved
//! once before the pass, with an error naming what is missing.

use super::{encode, AnswerMatcher, ItemCoder, ScoreOptions};
use crate::config::Survey;
use crate::error::{Error, Result};
use crate::model::{Column, ItemSource};
use std::path::Path;

/// Refuses a response scale whose codes would not fit the one byte each coded answer gets.
///
/// A validated survey is within these limits; a survey built in code may not be.
pub(super) fn check_byte_codes(survey: &Survey, file: &Path) -> Result<()> {
    for (i, rs) in survey.response_scales.iter().enumerate() {
        if let Some((field, message)) = rs.beyond_byte_codes() {
            return Err(Error::config(
                file,
                format!("response_scales[{i}].{field}"),
                message,
            ));
        }
    }
    Ok(())
}

/// One coder per item: its column, its scale's matcher, and the codes of the bare digits
/// precomputed so the common case skips the matcher.
pub(super) fn item_coders(
    item_scales: &[usize],
    item_columns: Vec<ItemSource>,
    matchers: &[AnswerMatcher],
) -> Vec<ItemCoder> {
    item_scales
        .iter()
        .zip(item_columns)
        .map(|(&matcher, source)| {
            let m = &matchers[matcher];
            ItemCoder {
                source,
                matcher,
                digits: std::array::from_fn(|d| encode(m.code(&d.to_string()))),
            }
        })
        .collect()
}

/// The export column each raking margin reads: a segment's (by the segment's name), else the
/// column it names.
pub(super) fn margin_columns(
    columns: &[Column],
    survey: &Survey,
    file: &Path,
) -> Result<Vec<usize>> {
    survey
        .weights
        .rake
        .iter()
        .enumerate()
        .map(|(i, margin)| {
            let wanted = survey
                .segments
                .iter()
                .find(|s| s.name == margin.column)
                .map_or(margin.column.as_str(), |s| s.column());
            crate::model::find_column(columns, wanted).ok_or_else(|| {
                Error::input(
                    file,
                    format!("has no column `{wanted}` to rake to (weights.rake[{i}])"),
                )
                .hint(format!(
                    "fix `weights.rake[{i}].column` in the survey file: a segment's name or an export column; `canvass inspect` lists the columns"
                ))
            })
        })
        .collect()
}

/// The export column each segment reads, in the survey's segment order.
pub(super) fn segment_columns(
    columns: &[Column],
    survey: &Survey,
    file: &Path,
) -> Result<Vec<usize>> {
    survey
        .segments
        .iter()
        .enumerate()
        .map(|(i, seg)| {
            crate::model::find_column(columns, seg.column()).ok_or_else(|| {
                Error::input(
                    file,
                    format!(
                        "has no column `{}` for segment `{}`",
                        seg.column(),
                        seg.name
                    ),
                )
                .hint(format!("fix `segments[{i}].column` in the survey file"))
            })
        })
        .collect()
}

/// The column named by `--weight`, if one was given.
pub(super) fn weight_column(
    columns: &[Column],
    options: &ScoreOptions,
    file: &Path,
) -> Result<Option<usize>> {
    match &options.weight {
        None => Ok(None),
        Some(name) => columns
            .iter()
            .position(|c| &c.name == name)
            .map(Some)
            .ok_or_else(|| {
                Error::input(file, format!("has no weight column `{name}`"))
                    .hint("`canvass inspect` lists the columns")
            }),
    }
}
