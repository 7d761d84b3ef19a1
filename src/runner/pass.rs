//! The run's one read of a wave's export. Clean decides which responses count; as each counted
//! response goes by, score codes its answers, the panel notes its agreement with each item and
//! themes keeps its comment and segment values — a few bytes to a comment per respondent, never
//! the response (and, for the Parquet tables, score keeps its codes) — so a national survey's run holds what its stages need, not its export.
//! Each piece is its stage's own (`score::score_stream_with`, `AgreementCoder`,
//! `CommentReader`); this file only lets them share the pass.

use crate::clean::{self, CleanStream, CleanWave, RulesAt};
use crate::config::Survey;
use crate::error::Result;
use crate::ingest::{key_hex, Pseudonyms, ReadOptions};
use crate::model::Row;
use crate::score::panel::{Agreement, AgreementCoder};
use crate::score::respondents::Respondents;
use crate::score::{self, ScoreOptions, ScoreReport};
use crate::themes::{CommentReader, ReadComment, WaveComments};
use rayon::slice::ParallelSliceMut;
use std::collections::BTreeMap;
use std::path::Path;

/// What one read of a wave gives the stages after it.
pub struct WavePass {
    /// The clean artefact: the survey as expanded against the export, the accounting and
    /// exclusions, and no responses.
    pub clean: CleanWave,
    /// The score artefact.
    pub score: ScoreReport,
    /// Each kept respondent's agreement with each item, for the next wave's panel comparison.
    pub agreement: Agreement,
    /// What the themes stage reads (None when the survey has no free-text question).
    pub comments: Option<WaveComments>,
    /// Each kept respondent's codes and scores, when the Parquet tables are written.
    pub respondents: Option<Respondents>,
}

/// What the pass keeps of one counted response until clean says whether it is a duplicate.
struct Seen {
    key: String,
    row: usize,
    agree: Vec<Option<bool>>,
    scores: Vec<Option<f64>>,
    read: Option<ReadComment>,
}

/// Reads and cleans `export` once, respondent ids made by `ids`, scoring it with the options
/// `options_for` gives for the survey as expanded against the export's columns; with
/// `keep_respondents`, keeping each respondent's codes for the Parquet tables.
pub fn read_wave(
    export: &Path,
    read: &ReadOptions,
    survey: &Survey,
    ids: &Pseudonyms,
    rules: RulesAt,
    options_for: impl Fn(&Survey) -> ScoreOptions,
    keep_respondents: bool,
) -> Result<WavePass> {
    let (survey, mut stream) = CleanStream::for_survey(export, read, survey, ids)?;
    let options = options_for(&survey);
    let coder = AgreementCoder::new(stream.columns(), stream.format(), export, &survey)?;
    let reader = CommentReader::new(stream.columns(), &survey, export)?;
    let mut agreement = coder.empty(stream.panel_key());
    let mut agreeing: Vec<(String, Vec<Option<bool>>)> = Vec::new();
    let mut scoring: Vec<(String, Vec<Option<f64>>)> = Vec::new();
    let mut comments = reader.as_ref().map(CommentReader::gathering);
    let (score, respondents) = score::score_stream_with(
        &mut stream,
        export,
        &survey,
        &options,
        keep_respondents,
        score::Side {
            init: Vec::new,
            project: |seen: &mut Vec<Seen>, r: &crate::ingest::RowView| {
                seen.push(Seen {
                    key: key_hex(r.key()),
                    row: r.line(),
                    agree: coder.row(r),
                    scores: coder.scale_row(r),
                    read: reader.as_ref().map(|c| c.read(r)),
                });
                Ok(())
            },
            consume: |seen: Vec<Seen>, kept: &[bool]| {
                for (s, _) in seen.into_iter().zip(kept).filter(|(_, &k)| k) {
                    if let (Some(all), Some(read)) = (comments.as_mut(), s.read) {
                        all.push(s.key.clone(), s.row, read);
                    }
                    scoring.push((s.key.clone(), s.scores));
                    agreeing.push((s.key, s.agree));
                }
                Ok(())
            },
        },
    )?;
    let mut respondents = respondents;
    if let Some(r) = respondents.as_mut() {
        // The kept responses in file order, as score kept their codes.
        r.keys = agreeing.iter().map(|(key, _)| key.clone()).collect();
        debug_assert_eq!(r.keys.len(), r.len());
    }
    agreement.by_respondent = by_key(agreeing);
    agreement.scale_scores = by_key(scoring);
    let outcome = stream.finish()?;
    let (survey, outcome) = clean::finish(export, survey, outcome, rules)?;
    Ok(WavePass {
        clean: CleanWave {
            survey,
            table: outcome.with_responses(Vec::new()),
        },
        score,
        agreement,
        comments,
        respondents,
    })
}

/// The rows as a map by key, built in bulk from sorted rows (a million inserts into the tree
/// cost more); a key seen twice keeps its last row, as inserting in file order would.
fn by_key<V: Send>(mut rows: Vec<(String, V)>) -> BTreeMap<String, V> {
    rows.reverse();
    // Stable: of equal keys, the last in file order now comes first and is the one kept.
    rows.par_sort_by(|a, b| a.0.cmp(&b.0));
    rows.dedup_by(|later, earlier| later.0 == earlier.0);
    rows.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_seen_twice_keeps_its_last_row_as_inserting_in_order_would() {
        let rows = vec![
            ("b".to_string(), 1),
            ("a".to_string(), 2),
            ("b".to_string(), 3),
            ("c".to_string(), 4),
            ("a".to_string(), 5),
        ];
        let mut inserted = BTreeMap::new();
        for (k, v) in rows.clone() {
            inserted.insert(k, v);
        }
        assert_eq!(by_key(rows), inserted);
    }
}
