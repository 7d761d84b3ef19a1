//! A further open question's comments, set aside while the export is read and the first
//! question is themed.
//!
//! The themes stage takes the open questions one at a time, but the export is read once, so
//! every question's comments are gathered together. Held as `Comment`s, a national survey's
//! second question's comments were a fifth of the run's peak memory while the first was
//! themed. A spool keeps them as compact records, in memory up to a budget and past it in an
//! anonymous temporary file, and gives them back as `Comment`s when their question's turn comes.

use super::Comment;
use crate::error::{DataOf, Error, Result};
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom, Write};

/// Bytes of records a spool keeps in memory before it writes them to its file.
const BUDGET: usize = 1 << 20;

/// Comments in the order pushed, as records: the respondent's key and the text, each
/// length-prefixed.
pub struct Spool {
    /// Records not yet written to `file`.
    memory: Vec<u8>,
    /// Records written so far, oldest first (created at the first write).
    file: Option<File>,
    /// Bytes in `file`.
    written: u64,
    /// Comments pushed.
    count: usize,
    budget: usize,
    /// The first write that failed: reported when the comments are read back.
    failed: Option<std::io::Error>,
}

impl Default for Spool {
    fn default() -> Spool {
        Spool::with_budget(BUDGET)
    }
}

impl std::fmt::Debug for Spool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Spool")
            .field("count", &self.count)
            .field("written", &self.written)
            .finish()
    }
}

impl Spool {
    /// A spool that writes to its file past `budget` bytes of records.
    pub fn with_budget(budget: usize) -> Spool {
        Spool {
            memory: Vec::new(),
            file: None,
            written: 0,
            count: 0,
            budget,
            failed: None,
        }
    }

    /// Comments pushed so far.
    pub fn len(&self) -> usize {
        self.count
    }

    /// Whether no comment was pushed.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Adds a comment at the end.
    pub fn push(&mut self, respondent: &str, text: &str) {
        for part in [respondent, text] {
            self.memory
                .extend_from_slice(&(part.len() as u64).to_le_bytes());
            self.memory.extend_from_slice(part.as_bytes());
        }
        self.count += 1;
        if self.memory.len() > self.budget && self.failed.is_none() {
            if let Err(e) = self.spill() {
                self.failed = Some(e);
            }
        }
    }

    /// Moves the records in memory to the end of the file.
    fn spill(&mut self) -> std::io::Result<()> {
        let file = match &mut self.file {
            Some(file) => file,
            None => self.file.insert(tempfile::tempfile()?),
        };
        file.seek(SeekFrom::Start(self.written))?;
        file.write_all(&self.memory)?;
        self.written += self.memory.len() as u64;
        self.memory.clear();
        Ok(())
    }

    /// Every comment, in the order pushed.
    pub fn comments(&self) -> Result<Vec<Comment>> {
        if let Some(e) = &self.failed {
            return Err(unreadable(e));
        }
        let mut comments = Vec::with_capacity(self.count);
        let mut stored = Vec::new();
        if let Some(file) = &self.file {
            let mut file = file.try_clone().map_err(|e| unreadable(&e))?;
            file.seek(SeekFrom::Start(0)).map_err(|e| unreadable(&e))?;
            let mut reader = BufReader::with_capacity(1 << 20, file).take(self.written);
            // Read in pieces so that the file's records are never all in memory twice.
            while (&mut reader)
                .take(8 << 20)
                .read_to_end(&mut stored)
                .map_err(|e| unreadable(&e))?
                > 0
            {
                let used = decode(&stored, &mut comments)?;
                stored.drain(..used);
            }
        }
        stored.extend_from_slice(&self.memory);
        let used = decode(&stored, &mut comments)?;
        if used != stored.len() || comments.len() != self.count {
            return Err(corrupt());
        }
        Ok(comments)
    }
}

/// Decodes the whole records at the start of `bytes` into `into`; the bytes they took.
fn decode(bytes: &[u8], into: &mut Vec<Comment>) -> Result<usize> {
    let mut at = 0;
    loop {
        let Some((respondent, after)) = field(bytes, at)? else {
            return Ok(at);
        };
        let Some((text, after)) = field(bytes, after)? else {
            return Ok(at);
        };
        into.push(Comment { respondent, text });
        at = after;
    }
}

/// The length-prefixed string at `at` and where the next field starts; None when the bytes
/// end before it does.
fn field(bytes: &[u8], at: usize) -> Result<Option<(String, usize)>> {
    let Some(prefix) = bytes.get(at..at + 8) else {
        return Ok(None);
    };
    let len = u64::from_le_bytes(prefix.try_into().map_err(|_| corrupt())?);
    let start = at + 8;
    let Some(end) = usize::try_from(len).ok().and_then(|n| start.checked_add(n)) else {
        return Err(corrupt());
    };
    let Some(text) = bytes.get(start..end) else {
        return Ok(None);
    };
    let text = String::from_utf8(text.to_vec()).map_err(|_| corrupt())?;
    Ok(Some((text, end)))
}

fn unreadable(e: &std::io::Error) -> Error {
    Error::data(
        DataOf::Comments,
        format!("the comments set aside in a temporary file could not be read back: {e}"),
    )
    .hint(format!(
        "free space in {} (or point TMPDIR elsewhere) and run again",
        std::env::temp_dir().display()
    ))
}

fn corrupt() -> Error {
    Error::data(
        DataOf::Comments,
        "the comments set aside in a temporary file did not read back as they were written",
    )
    .hint("run again; if it happens again, report it with the export's size")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pushed(budget: usize, texts: &[&str]) -> Spool {
        let mut spool = Spool::with_budget(budget);
        for (i, t) in texts.iter().enumerate() {
            spool.push(&format!("{i:016x}"), t);
        }
        spool
    }

    #[test]
    fn comments_come_back_as_pushed_from_memory_and_from_the_file() {
        let texts: Vec<String> = (0..500)
            .map(|i| match i % 4 {
                0 => String::new(),
                1 => format!("Mehr Personal, bitte — {i} ✓"),
                2 => "x".repeat(i * 7),
                _ => format!("line one\nline two {i}"),
            })
            .collect();
        let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
        let expected: Vec<Comment> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| Comment {
                respondent: format!("{i:016x}"),
                text: t.to_string(),
            })
            .collect();
        // All in memory; spilled every few records; spilled after every one.
        for budget in [usize::MAX, 1000, 0] {
            let spool = pushed(budget, &texts);
            assert_eq!(spool.len(), 500);
            assert_eq!(spool.file.is_some(), budget != usize::MAX);
            assert_eq!(spool.comments().unwrap(), expected, "budget {budget}");
            // Read again: the file is read from its start each time.
            assert_eq!(spool.comments().unwrap(), expected, "budget {budget}");
        }
        assert!(Spool::default().comments().unwrap().is_empty());
    }

    #[test]
    fn a_record_cut_short_or_not_utf8_is_an_error_not_a_panic() {
        let mut spool = pushed(usize::MAX, &["one", "two"]);
        spool.memory.truncate(spool.memory.len() - 1);
        assert!(spool.comments().is_err());
        let mut spool = pushed(usize::MAX, &["é"]);
        let last = spool.memory.len() - 1;
        spool.memory[last] = 0xff;
        assert!(spool.comments().is_err());
        let mut spool = pushed(usize::MAX, &["one"]);
        spool.memory[..8].copy_from_slice(&u64::MAX.to_le_bytes());
        assert!(spool.comments().is_err());
    }
}
