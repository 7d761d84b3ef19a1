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

/// What the pass keeps of one counted response until clean says whether it is a duplicate. The
/// key stays a number until a comment or the panel needs its text: a million respondents' keys
/// as strings were three allocations each.
struct Seen {
    key: u64,
    row: usize,
    /// The agreement and scale scores, when a later wave can be paired with this one.
    panel: Option<PanelRow>,
    read: Option<ReadComment>,
}

/// One respondent's agreement with each item and score on each scale.
type PanelRow = (Vec<Option<bool>>, Vec<Option<f64>>);

/// Each kept respondent's agreement and scale scores by key, in file order.
type PanelRows = Vec<(u64, PanelRow)>;

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
    // Without a declared key no wave is ever paired with this one (`compare_panel`), so the
    // per-respondent rows would be built for nothing.
    let paired = agreement.panel_key.is_some();
    let mut panel: PanelRows = Vec::new();
    let mut keys: Vec<u64> = Vec::new();
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
                    key: r.key(),
                    row: r.line(),
                    panel: paired.then(|| (coder.row(r), coder.scale_row(r))),
                    read: reader.as_ref().map(|c| c.read(r)),
                });
                Ok(())
            },
            consume: |seen: Vec<Seen>, kept: &[bool]| {
                for (s, _) in seen.into_iter().zip(kept).filter(|(_, &k)| k) {
                    if let (Some(all), Some(read)) = (comments.as_mut(), s.read) {
                        all.push(key_hex(s.key), s.row, read);
                    }
                    if keep_respondents {
                        keys.push(s.key);
                    }
                    if let Some(rows) = s.panel {
                        panel.push((s.key, rows));
                    }
                }
                Ok(())
            },
        },
    )?;
    let mut respondents = respondents;
    if let Some(r) = respondents.as_mut() {
        // The kept responses in file order, as score kept their codes.
        r.keys = keys.iter().map(|&key| key_hex(key)).collect();
        debug_assert_eq!(r.keys.len(), r.len());
    }
    drop(keys);
    (agreement.by_respondent, agreement.scale_scores) = by_key(panel);
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

/// The agreement and scale-score maps by hashed key, built in bulk from rows sorted by their
/// numeric key (a million inserts into the tree, or sorting by the key's text, cost seconds);
/// a key seen twice keeps its last row, as inserting in file order would.
fn by_key(mut rows: PanelRows) -> PanelMaps {
    rows.reverse();
    // Stable: of equal keys, the last in file order now comes first and is the one kept.
    rows.par_sort_by_key(|row| row.0);
    rows.dedup_by_key(|row| row.0);
    // `key_hex` is fixed-width hexadecimal, so the text keys are in the numbers' order and the
    // trees are built from sorted input.
    let mut agree = Vec::with_capacity(rows.len());
    let mut scores = Vec::with_capacity(rows.len());
    for (key, (a, s)) in rows {
        let text = key_hex(key);
        scores.push((text.clone(), s));
        agree.push((text, a));
    }
    (agree.into_iter().collect(), scores.into_iter().collect())
}

/// Each respondent's agreement, and scale scores, by hashed key.
type PanelMaps = (
    BTreeMap<String, Vec<Option<bool>>>,
    BTreeMap<String, Vec<Option<f64>>>,
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_seen_twice_keeps_its_last_row_as_inserting_in_order_would() {
        let row = |key: u64, n: u8| {
            (
                key,
                (vec![Some(n.is_multiple_of(2))], vec![Some(f64::from(n))]),
            )
        };
        let rows = vec![
            row(0xb0, 1),
            row(0x0a, 2),
            row(0xb0, 3),
            row(0xc000_0000_0000_0000, 4),
            row(0x0a, 5),
        ];
        let (mut agree, mut scores) = (BTreeMap::new(), BTreeMap::new());
        for (k, (a, s)) in rows.clone() {
            agree.insert(key_hex(k), a);
            scores.insert(key_hex(k), s);
        }
        assert_eq!(by_key(rows), (agree, scores));
    }
}
