//! The clean stage of a pipeline wave: what is left of the clean artefact once the run's single
//! pass (`runner/pass.rs`) or `canvass themes` has read the export through a `CleanStream`.

use super::{CleanOutcome, CleanTable, RulesAt};
use crate::config::Survey;
use crate::error::Result;
use crate::model::{Column, ColumnIndex};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The clean artefact of a wave: the survey with its matrix questions expanded against the
/// export's columns (what every later stage reads), and the kept responses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CleanWave {
    /// The survey with matrix questions expanded against this export's columns: what score and
    /// themes read.
    pub survey: Survey,
    /// The kept responses, exclusions and accounting.
    pub table: CleanTable,
}

/// The columns later stages read (items, the open questions, segments, the weight), by index
/// into `columns`, in export order: what a wave keeps of each response.
fn kept_columns(survey: &Survey, columns: &[Column]) -> Vec<usize> {
    let wanted = survey
        .items
        .iter()
        .flat_map(|i| i.read_columns())
        .chain(survey.text.iter().map(|t| t.column()))
        .chain(survey.segments.iter().map(|s| s.column()))
        .chain(survey.choices.iter().flat_map(|c| c.read_columns()))
        .chain(survey.numbers.iter().map(|n| n.column()))
        .chain(survey.respondent.weight.as_deref())
        .chain(
            survey
                .weights
                .rake
                .iter()
                .map(|m| rake_column(survey, &m.column)),
        );
    let index = ColumnIndex::of(columns);
    let mut keep: Vec<usize> = wanted.filter_map(|w| index.find(w)).collect();
    keep.sort_unstable();
    keep.dedup();
    keep
}

/// The column a raking margin reads: its segment's, when it names one.
fn rake_column<'s>(survey: &'s Survey, column: &'s str) -> &'s str {
    let segment = survey.segments.iter().find(|s| s.name == column);
    segment.map_or(column, |s| s.column())
}

/// Ends a wave's clean stage on a stream read to its end by another consumer (the run's single
/// pass): fails, with the setting that would keep them, when no response was kept (`rules` says
/// where the cleaning settings came from), and keeps only `kept_columns`.
pub fn finish(
    export: &Path,
    survey: Survey,
    outcome: CleanOutcome,
    rules: RulesAt,
) -> Result<(Survey, CleanOutcome)> {
    outcome.require_kept(export, rules)?;
    let keep = kept_columns(&survey, &outcome.columns);
    let columns = keep.iter().map(|&i| outcome.columns[i].clone()).collect();
    Ok((survey, CleanOutcome { columns, ..outcome }))
}
