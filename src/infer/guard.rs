//! A survey definition may not analyse a column that identifies people: its values would
//! appear in reports as groups, answer labels or quotes. Checked against the export itself,
//! before anything is read for a stage.

use super::evidence;
use crate::config::Survey;
use crate::error::{Error, Result};
use crate::ingest::{roles, RawExport};
use crate::model::ColumnRole;
use std::path::Path;

/// Refuses the first item, segment or open question that names an identifying column, unless
/// it says `allow_identifying = true`. `sample` is the export's header and first rows.
pub fn refuse_identifying(export: &Path, survey: &Survey, sample: &RawExport) -> Result<()> {
    let index = crate::model::ColumnIndex::new(
        (sample.columns.iter())
            .map(|c| (c.name.as_str(), c.import_id.as_deref(), c.question.as_str())),
    );
    let analysed: Vec<_> = survey
        .analysed_columns()
        .into_iter()
        .filter(|&(_, _, allowed)| !allowed)
        .filter_map(|(key, wanted, _)| {
            let at = index.first_named(wanted)?;
            Some((key, wanted, at))
        })
        .collect();
    // Every analysed column's sample is looked at (thirty items, say): their values are
    // gathered in one walk over the rows, and the first refusal in the survey's order is
    // reported, as a loop would.
    let at: Vec<usize> = analysed.iter().map(|&(_, _, at)| at).collect();
    let values = super::count_columns(sample, &at, |_| true);
    let refused = analysed
        .iter()
        .zip(values)
        .find_map(|((key, wanted, at), (_, values))| {
            let why = identifying_by_role(sample, *at)
                .or_else(|| identifying_values(sample, *at, values.into_keys().collect()))?;
            Some((key, *wanted, why))
        });
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
    identifying_by_role(sample, at).or_else(|| {
        // Distinct values first, then sorted: a column of a few labels over thousands of
        // rows sorts a few strings, not thousands.
        let distinct: rustc_hash::FxHashSet<&str> = sample
            .rows
            .iter()
            .map(|r| crate::model::trim_cell(&r.cells[at]))
            .filter(|v| !v.is_empty())
            .collect();
        identifying_values(sample, at, distinct.into_iter().collect())
    })
}

/// Why the values (distinct, in any order) of column `at` identify people, if they do.
fn identifying_values(sample: &RawExport, at: usize, mut values: Vec<&str>) -> Option<String> {
    // A check-all question's own column of numbered options ("3 16 56") is no phone
    // number, as inference reads it.
    let name = &sample.columns[at].name;
    let names = sample.columns.iter().map(|c| c.name.as_str());
    if super::options::joins_its_options(name, &values, names) {
        return None;
    }
    values.sort_unstable();
    evidence::identifying_values(&values).map(|what| format!("its answers are {what}"))
}

/// Why a column identifies people by what it is, if it does: the tool marks it, or its
/// question asks for personal details.
fn identifying_by_role(sample: &RawExport, at: usize) -> Option<String> {
    let column = &sample.columns[at];
    if let Some(what) = roles::asks_for_personal_details(&column.name, &column.question) {
        return Some(format!("its question asks for {what}"));
    }
    if roles::column_role(sample.source.format, column, &[], &[]) == ColumnRole::Identifier {
        return Some(
            "it is the tool's identifying column (an id, contact detail or location)".into(),
        );
    }
    None
}
