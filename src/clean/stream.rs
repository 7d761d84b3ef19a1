//! Ingest and clean as one stream, for exports too large to hold: the kept responses are
//! handed on batch by batch, while the exclusions and the accounting are recorded.

use super::{CleanOptions, CleanOutcome, Cleaner, Deduplicator, Ledger};
use crate::config::survey::KeepDuplicate;
use crate::config::Survey;
use crate::error::Result;
use crate::ingest::{ReadOptions, ResponseOptions, ResponseStream};
use crate::model::{Column, Response};
use rayon::prelude::*;
use std::path::Path;

/// Ingest and clean as one stream: the kept responses batch by batch, in file order, while the
/// exclusions and the accounting are recorded. Memory holds one batch, the exclusions and one
/// key per respondent (for duplicates), so it hardly grows with the size of the export.
pub struct CleanStream {
    stream: ResponseStream,
    cleaner: Cleaner,
    dedup: Deduplicator,
    ledger: Ledger,
}

impl CleanStream {
    pub fn open(
        path: &Path,
        read: &ReadOptions,
        responses: &ResponseOptions,
        options: &CleanOptions,
    ) -> Result<CleanStream> {
        Self::new(ResponseStream::open(path, read, responses)?, options)
    }

    /// A survey's export, cleaned by the survey's rules. Matrix questions are expanded against the
    /// export's columns first (the rules need the item columns), so the expanded survey is
    /// returned for the stages after.
    pub fn for_survey(
        path: &Path,
        read: &ReadOptions,
        survey: &Survey,
    ) -> Result<(Survey, CleanStream)> {
        let stream = ResponseStream::open(path, read, &ResponseOptions::for_survey(survey))?;
        let survey = survey.expand_matrices(path, &stream.columns)?;
        let clean = Self::new(stream, &CleanOptions::for_survey(&survey))?;
        Ok((survey, clean))
    }

    /// Cleans a stream already opened (say, to look at its columns first).
    pub fn new(mut stream: ResponseStream, options: &CleanOptions) -> Result<CleanStream> {
        let cleaner = Cleaner::new(&stream.columns, options);
        let dedup = match options.duplicates {
            KeepDuplicate::KeepFirst => Deduplicator::keep_first(),
            KeepDuplicate::KeepLast => {
                // Which response of a respondent is the last is known only at the end of the
                // file, so keep-last reads it twice: once for the keys, once for the answers.
                // Each row is reduced to its key and row number in the parallel pass.
                let mut dedup = Deduplicator::keep_last();
                let again = stream.reopen()?;
                while let Some(batch) = stream.next_batch_with(|r| {
                    cleaner
                        .assess(&r)
                        .is_none()
                        .then(|| (Deduplicator::key_of(&r), r.row))
                })? {
                    for (key, row) in batch.into_iter().flatten().flatten() {
                        dedup.note_candidate(key, row);
                    }
                }
                stream = again;
                dedup
            }
        };
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

    /// The next batch of responses with the verdict on each, in file order; `None` at the end.
    pub fn next_batch(&mut self) -> Result<Option<CleanBatch>> {
        let cleaner = &self.cleaner;
        let Some(chunks) = self.stream.next_batch_with(|r| {
            let verdict = cleaner.assess(&r);
            (r, verdict)
        })?
        else {
            return Ok(None);
        };
        let mut batch = CleanBatch {
            chunks: Vec::with_capacity(chunks.len()),
            kept: Vec::with_capacity(chunks.len()),
        };
        for chunk in chunks {
            let mut rows = Vec::with_capacity(chunk.len());
            let mut kept = Vec::with_capacity(chunk.len());
            for (r, verdict) in chunk {
                kept.push(self.ledger.decide(&r, verdict, &mut self.dedup));
                rows.push(r);
            }
            batch.chunks.push(rows);
            batch.kept.push(kept);
        }
        Ok(Some(batch))
    }

    /// Reads the rest of the export (for its checksum) and returns what was decided.
    pub fn finish(self) -> Result<CleanOutcome> {
        let columns = self.stream.columns.clone();
        let source = self.stream.finish()?;
        Ok(self.ledger.finish(source, columns))
    }
}

/// A batch of responses as read, and which of them count.
pub struct CleanBatch {
    pub chunks: Vec<Vec<Response>>,
    pub kept: Vec<Vec<bool>>,
}

impl CleanBatch {
    /// The kept responses, in file order.
    pub fn kept(&self) -> impl Iterator<Item = &Response> {
        self.chunks
            .iter()
            .zip(&self.kept)
            .flat_map(|(rows, kept)| rows.iter().zip(kept).filter(|(_, k)| **k).map(|(r, _)| r))
    }

    /// Frees the rows on all threads (a batch is tens of thousands of small allocations).
    pub fn discard(self) {
        self.chunks.into_par_iter().for_each(drop);
    }
}
