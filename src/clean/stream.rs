//! Ingest and clean as one stream, for exports too large to hold: the kept responses are
//! handed on batch by batch, while the exclusions and the accounting are recorded.

use super::spill::SpilledKeys;
use super::{
    CleanOptions, CleanOutcome, Cleaner, Deduplicator, Ledger, Verdict, MAX_KEYS_IN_MEMORY,
};
use crate::config::survey::KeepDuplicate;
use crate::config::Survey;
use crate::error::{Error, Result};
use crate::ingest::{
    Pseudonyms, ReadOptions, ResponseOptions, ResponseStream, RowView, CHUNK_ROWS,
};
use crate::model::{Column, Row};
use std::path::Path;

/// Ingest and clean as one stream: the kept responses batch by batch, in file order, while the
/// exclusions and the accounting are recorded. Memory holds two batches (one parsed while the
/// other is consumed), the exclusions and one key per respondent (for duplicates), so it hardly
/// grows with the size of the export.
pub struct CleanStream {
    stream: ResponseStream,
    cleaner: Cleaner,
    dedup: Deduplicator,
    ledger: Ledger,
}

/// Rows read to check that a survey names no identifying column (values that are e-mails,
/// coordinates …): one chunk of the reader.
pub const GUARD_SAMPLE_ROWS: usize = 4096;

impl CleanStream {
    /// Opens an export and cleans it as it is read, by `options`' rules. Errors name the export
    /// (and row) that cannot be read.
    pub fn open(
        path: &Path,
        read: &ReadOptions,
        responses: &ResponseOptions,
        options: &CleanOptions,
    ) -> Result<CleanStream> {
        Self::new(ResponseStream::open(path, read, responses)?, options)
    }

    /// A survey's export, cleaned by the survey's rules (after `guard::refuse_identifying`). Matrix questions are expanded against the
    /// export's columns first (the rules need the item columns), so the expanded survey is
    /// returned for the stages after.
    pub fn for_survey(
        path: &Path,
        read: &ReadOptions,
        survey: &Survey,
        ids: &Pseudonyms,
    ) -> Result<(Survey, CleanStream)> {
        let sample = crate::ingest::read_export_sample(path, read, GUARD_SAMPLE_ROWS)?;
        Self::for_survey_sampled(path, read, survey, &sample, ids)
    }

    /// As `for_survey`, with the export's header and first rows already read (by a command
    /// that inferred the instrument from them), so the file's head is not read again.
    pub fn for_survey_sampled(
        path: &Path,
        read: &ReadOptions,
        survey: &Survey,
        sample: &crate::ingest::RawExport,
        ids: &Pseudonyms,
    ) -> Result<(Survey, CleanStream)> {
        // Before anything is read for a stage: the survey may not analyse identifying columns.
        crate::infer::guard::refuse_identifying(path, survey, sample)?;
        let stream = ResponseStream::open(path, read, &ResponseOptions::for_survey(survey, ids))?;
        let survey = survey.expand_matrices(path, &stream.columns)?;
        let clean = Self::new(stream, &CleanOptions::for_survey(&survey))?;
        Ok((survey, clean))
    }

    /// Cleans a stream already opened (say, to look at its columns first).
    pub fn new(mut stream: ResponseStream, options: &CleanOptions) -> Result<CleanStream> {
        let cleaner = Cleaner::new(&stream.columns, options);
        let keep_last = options.duplicates == KeepDuplicate::KeepLast;
        let budget = options.max_keys_in_memory.unwrap_or(MAX_KEYS_IN_MEMORY);
        let expected = stream.estimated_rows();
        let spill = expected > budget;
        let mut dedup = if keep_last {
            Deduplicator::keep_last()
        } else {
            Deduplicator::keep_first()
        };
        if !spill {
            dedup.reserve(expected);
        }
        if keep_last || spill {
            // Which response of a respondent is the last is known only at the end of the
            // file, and keys past the memory budget go to temporary files first: either way
            // the export is read twice, once for the keys, once for the answers.
            let again = stream.reopen()?;
            let temporary = |e: std::io::Error| {
                Error::input(
                    again.path(),
                    format!("has more respondents than fit in memory, and the temporary files for its keys failed: {e}"),
                )
                .hint("make room in the temporary directory (TMPDIR), or point TMPDIR elsewhere")
            };
            let mut spilled = match spill {
                true => Some(SpilledKeys::new(expected, budget / 2).map_err(temporary)?),
                false => None,
            };
            while let Some(chunks) = stream.next_batch_fold(Vec::new, |keys, r| {
                if cleaner.assess(r).is_none() {
                    keys.push((r.key(), r.line()));
                }
                Ok(())
            })? {
                for (key, row) in chunks.into_iter().flatten() {
                    match &mut spilled {
                        Some(s) => s.push(key, row).map_err(temporary)?,
                        None => dedup.note_candidate(key, row),
                    }
                }
            }
            if let Some(s) = spilled {
                dedup = Deduplicator::listed(s.duplicates(keep_last).map_err(temporary)?);
            }
            stream = again;
        }
        Ok(CleanStream {
            stream,
            cleaner,
            dedup,
            ledger: Ledger::default(),
        })
    }

    /// The tool that wrote the export.
    pub fn format(&self) -> crate::model::Format {
        self.stream.format()
    }

    /// The kept columns.
    pub fn columns(&self) -> &[Column] {
        &self.stream.columns
    }

    /// The columns dropped at ingest as identifiers.
    pub fn dropped_identifiers(&self) -> &[String] {
        &self.stream.dropped_identifiers
    }

    /// The key column that pairs respondents across waves (`RowPlan::panel_key`); `None`
    /// when ids are this wave's alone.
    pub fn panel_key(&self) -> Option<&str> {
        self.stream.panel_key()
    }

    /// Screens the whole stream, batch by batch and chunk by chunk in file order: the rows that
    /// pass the per-row rules are passed to `project` (in the parallel pass, in order, as they
    /// sit in the reader's buffer) and then checked for duplicates (in file order), which says
    /// which of them are kept; each batch then goes to `consume`. Every row read is recorded
    /// in the ledger either way. A consumer that needs a few bytes per response (scoring) keeps
    /// only those; nothing else is built per row. While a batch's duplicates are decided and
    /// `consume` runs (both sequential in part), the next batch is read and parsed, so neither
    /// core waits for the other.
    pub fn screen_all<A: Send>(
        &mut self,
        init: impl Fn() -> A + Sync,
        project: impl Fn(&mut A, &RowView) -> Result<()> + Sync,
        mut consume: impl FnMut(Vec<Screened<A>>) -> Result<()> + Send,
    ) -> Result<()> {
        let CleanStream {
            stream,
            cleaner,
            dedup,
            ledger,
        } = self;
        let mut next = parse_batch(stream, cleaner, &init, &project)?;
        while let Some(batch) = next.take() {
            let (parsed, consumed) = rayon::join(
                || parse_batch(stream, cleaner, &init, &project),
                || consume(decide(ledger, dedup, batch)),
            );
            consumed?;
            next = parsed?;
        }
        Ok(())
    }

    /// Reads the rest of the export (for its checksum) and returns what was decided.
    pub fn finish(self) -> Result<CleanOutcome> {
        let columns = self.stream.columns.clone();
        let source = self.stream.finish()?;
        Ok(self.ledger.finish(source, columns))
    }
}

/// A batch as parsed: per chunk, what `project` made of its candidates and every row's fate.
type Parsed<A> = Vec<(A, Vec<Fate>)>;

/// Reads and parses the next batch in parallel: the per-row rules, the respondent key and, for
/// the rows that pass, `project`.
fn parse_batch<A: Send>(
    stream: &mut ResponseStream,
    cleaner: &Cleaner,
    init: &(impl Fn() -> A + Sync),
    project: &(impl Fn(&mut A, &RowView) -> Result<()> + Sync),
) -> Result<Option<Parsed<A>>> {
    stream.next_batch_fold(
        || (init(), Vec::with_capacity(CHUNK_ROWS)),
        |(rows, fates): &mut (A, Vec<Fate>), r| {
            let verdict = cleaner.verdict(r);
            if verdict.0.is_none() {
                project(rows, r)?;
            }
            fates.push(Fate {
                line: r.line(),
                key: r.key(),
                verdict,
            });
            Ok(())
        },
    )
}

/// Records a parsed batch in the ledger, in file order, deciding duplicates.
fn decide<A>(ledger: &mut Ledger, dedup: &mut Deduplicator, batch: Parsed<A>) -> Vec<Screened<A>> {
    let mut out = Vec::with_capacity(batch.len());
    for (rows, fates) in batch {
        let mut kept = Vec::with_capacity(fates.len());
        let mut fates = fates.into_iter();
        while !fates.as_slice().is_empty() {
            // A few hundred keys' slots are touched at a time: few enough that their pages
            // stay in the TLB until the lookups come.
            let group = fates.as_slice().len().min(WARM_KEYS);
            let candidates = fates.as_slice()[..group].iter();
            dedup.warm(candidates.filter(|f| f.verdict.0.is_none()).map(|f| f.key));
            for Fate { line, key, verdict } in fates.by_ref().take(group) {
                let candidate = verdict.0.is_none();
                let keep = ledger.decide(line, key, verdict, dedup);
                if candidate {
                    kept.push(keep);
                }
            }
        }
        out.push(Screened { rows, kept });
    }
    out
}

/// Keys whose table slots are touched ahead of their lookups (see `KeyTable::warm`).
const WARM_KEYS: usize = 256;

/// What the parallel pass learns of a row for the ledger.
struct Fate {
    line: usize,
    key: u64,
    verdict: Verdict,
}

/// One chunk of a screened batch: what `project` made of the rows that passed the per-row
/// rules, and for each of those rows, in order, whether it was kept (false: a duplicate).
pub struct Screened<A> {
    /// What `project` made of the chunk's rows that passed the per-row rules (the caller's
    /// accumulator).
    pub rows: A,
    /// Per row passed to the projection, in order: `false` when it was a duplicate and is excluded.
    pub kept: Vec<bool>,
}
