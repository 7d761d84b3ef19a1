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

/// Each kept respondent's key, agreement and scale scores, in file order, the rows end to end.
#[derive(Default)]
struct PanelRows {
    keys: Vec<u64>,
    agree: Vec<Option<bool>>,
    scores: Vec<Option<f64>>,
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
    // Without a declared key no wave is ever paired with this one (`compare_panel`), so the
    // per-respondent rows would be built for nothing.
    let paired = agreement.panel_key.is_some();
    let mut panel = PanelRows::default();
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
                    panel: paired.then(|| coder.row(r)),
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
                    if let Some((agree, scores)) = s.panel {
                        panel.keys.push(s.key);
                        panel.agree.extend(agree);
                        panel.scores.extend(scores);
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
    agreement.set_rows(panel.keys, panel.agree, panel.scores);
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
