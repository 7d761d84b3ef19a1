//! The clean stage of a pipeline wave: a survey's export read and cleaned by the survey's
//! rules, keeping of each counted response only the columns later stages read. The runner and
//! the `score` command both call it, so a wave is read one way.

use super::stream::CleanStream;
use super::{CleanOutcome, CleanTable, RulesAt};
use crate::config::Survey;
use crate::error::Result;
use crate::ingest::ReadOptions;
use crate::model::{find_column, Column, Response, Row};
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

/// Reads and cleans a wave's export. Fails, with the setting that would keep them, when no
/// response is kept (`rules` says where the cleaning settings came from).
pub fn for_wave(
    export: &Path,
    read: &ReadOptions,
    survey: &Survey,
    rules: RulesAt,
) -> Result<CleanWave> {
    let (survey, stream) = CleanStream::for_survey(export, read, survey)?;
    collect(export, survey, stream, rules)
}

/// The second half of `for_wave`, for a caller that opened the stream itself (to check a flag
/// against the export's columns first): streams the export through clean, keeping of each
/// counted response only the columns later stages read (items, the open questions, segments,
/// the weight), so memory follows the survey, not the width of the export.
pub fn collect(
    export: &Path,
    survey: Survey,
    mut stream: CleanStream,
    rules: RulesAt,
) -> Result<CleanWave> {
    let keep = kept_columns(&survey, stream.columns());
    // Each row that passes the rules is projected to those columns where it was parsed; the
    // kept ones are collected in file order.
    let mut kept = Vec::new();
    stream.screen_all(
        Vec::new,
        |rows, r| {
            rows.push(Response {
                row: r.line(),
                key: crate::ingest::key_hex(r.key()),
                values: keep.iter().map(|&i| r.scrubbed(i)).collect(),
            });
            Ok(())
        },
        |chunks| {
            for chunk in chunks {
                let rows = chunk.rows.into_iter().zip(chunk.kept);
                kept.extend(rows.filter(|(_, k)| *k).map(|(r, _)| r));
            }
            Ok(())
        },
    )?;
    let outcome = stream.finish()?;
    let (survey, outcome) = finish(export, survey, outcome, rules)?;
    Ok(CleanWave {
        survey,
        table: outcome.with_responses(kept),
    })
}

/// The columns later stages read (items, the open questions, segments, the weight), by index
/// into `columns`, in export order: what a wave keeps of each response.
pub fn kept_columns(survey: &Survey, columns: &[Column]) -> Vec<usize> {
    let wanted = survey
        .items
        .iter()
        .map(|i| i.column())
        .chain(survey.text.iter().map(|t| t.column()))
        .chain(survey.segments.iter().map(|s| s.column()))
        .chain(survey.respondent.weight.as_deref());
    let mut keep: Vec<usize> = wanted.filter_map(|w| find_column(columns, w)).collect();
    keep.sort_unstable();
    keep.dedup();
    keep
}

/// Ends a wave's clean stage on a stream read to its end by another consumer (the run's single
/// pass): fails as `for_wave` does when nothing was kept, and keeps only `kept_columns`.
pub fn finish(
    export: &Path,
    survey: Survey,
    outcome: CleanOutcome,
    rules: RulesAt,
) -> Result<(Survey, CleanOutcome)> {
    outcome.accounting.require_kept(export, rules)?;
    let keep = kept_columns(&survey, &outcome.columns);
    let columns = keep.iter().map(|&i| outcome.columns[i].clone()).collect();
    Ok((survey, CleanOutcome { columns, ..outcome }))
}
