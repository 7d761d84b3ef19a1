//! A survey definition may not analyse a column that identifies people: its values would
//! appear in reports as groups, answer labels or quotes. Checked against the export itself,
//! before anything is read for a stage.

use super::evidence;
use crate::config::Survey;
use crate::error::{Error, Result};
use crate::ingest::{roles, RawExport};
use crate::model::ColumnRole;
use rayon::prelude::*;
use std::path::Path;

/// Refuses the first item, segment or open question that names an identifying column, unless
/// it says `allow_identifying = true`. `sample` is the export's header and first rows.
pub fn refuse_identifying(export: &Path, survey: &Survey, sample: &RawExport) -> Result<()> {
    let analysed: Vec<_> = survey
        .analysed_columns()
        .into_iter()
        .filter(|&(_, _, allowed)| !allowed)
        .filter_map(|(key, wanted, _)| {
            let at = sample.columns.iter().position(|c| {
                c.name == wanted || c.import_id.as_deref() == Some(wanted) || c.question == wanted
            })?;
            Some((key, wanted, at))
        })
        .collect();
    // Every analysed column's sample is looked at (thirty items, say): in parallel, and the
    // first refusal in the survey's order is reported, as a loop would.
    let refused = analysed
        .par_iter()
        .map(|(key, wanted, at)| identifying(sample, *at).map(|why| (key, *wanted, why)))
        .find_first(Option::is_some)
        .flatten();
    let Some((key, wanted, why)) = refused else {
        return Ok(());
    };
    Err(Error::input(
        export,
        format!("column `{wanted}`, named by `{key}` in the survey file, identifies people: {why}"),
    )
    .hint(format!(
        "canvass never analyses names, contact details, ids or locations; remove `{key}` from the survey file, or add `allow_identifying = true` to it if you are sure its values may appear in reports"
    )))
}

/// Why the column named `wanted` (by name, ImportId or question text) identifies people, if
/// it is in the sample and does.
pub fn identifying_column(sample: &RawExport, wanted: &str) -> Option<String> {
    let at = sample.columns.iter().position(|c| {
        c.name == wanted || c.import_id.as_deref() == Some(wanted) || c.question == wanted
    })?;
    identifying(sample, at)
}

/// Why a column identifies people, if it does: the tool marks it, its question asks for
/// personal details, or its answers are e-mails, IP addresses, phone numbers or coordinates.
fn identifying(sample: &RawExport, at: usize) -> Option<String> {
    let column = &sample.columns[at];
    if let Some(what) = roles::asks_for_personal_details(&column.name, &column.question) {
        return Some(format!("its question asks for {what}"));
    }
    if roles::column_role(sample.source.format, column, &[], &[]) == ColumnRole::Identifier {
        return Some(
            "it is the tool's identifying column (an id, contact detail or location)".into(),
        );
    }
    // Distinct values first, then sorted: a column of a few labels over thousands of rows
    // sorts a few strings, not thousands (this runs for every analysed column).
    let distinct: rustc_hash::FxHashSet<&str> = sample
        .rows
        .iter()
        .map(|r| crate::model::trim_cell(&r.cells[at]))
        .filter(|v| !v.is_empty())
        .collect();
    let mut values: Vec<&str> = distinct.into_iter().collect();
    values.sort_unstable();
    evidence::identifying_values(&values).map(|what| format!("its answers are {what}"))
}
