//! Cutting delimited text into chunks of whole records, on a thread of its own.
//!
//! The scan follows the csv crate's quoting rules (a `"` opens a quoted field only at the start
//! of a field; `""` inside one is an escaped quote), so every chunk parses on its own, and it
//! hashes every byte it reads for the manifest.

use crate::error::{Error, Result};
use memchr::{memchr, memchr2_iter, memchr3};
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::{Path, PathBuf};

/// Records per chunk, at most.
pub const CHUNK_ROWS: usize = 4096;
/// A chunk is cut at the first record end past this many bytes, if it has not `CHUNK_ROWS`
/// records by then (long open answers make chunks that would be large).
pub(crate) const CHUNK_BYTES: usize = 512 << 10;
/// Chunks parsed in parallel per batch.
pub(crate) const BATCH_CHUNKS: usize = 16;
/// What the splitter reads at a time: the part of a read past a chunk's end is copied to the
/// next chunk's buffer, so reads are small next to chunks.
pub(crate) const READ_BLOCK: usize = 64 << 10;

/// Whole records, and the line the first starts on.
pub(crate) struct Chunk {
    pub first_line: usize,
    pub bytes: Vec<u8>,
}

/// Line ends in `bytes`: `\n`, `\r\n` and a lone `\r` (old Mac files) each end one line, so
/// that row numbers (and the respondent keys made of them) are right whichever a file uses.
pub(crate) fn newlines(bytes: &[u8]) -> usize {
    line_ends(bytes, 0, bytes.len())
}

/// Line ends in `bytes[start..end]`, a `\r` at its end counted only when the byte after it (in
/// `bytes`) is not the `\n` of a `\r\n`, which whoever reads on counts.
pub(crate) fn line_ends(bytes: &[u8], start: usize, end: usize) -> usize {
    memchr2_iter(b'\n', b'\r', &bytes[start..end])
        .filter(|&i| bytes[start + i] == b'\n' || bytes.get(start + i + 1) != Some(&b'\n'))
        .count()
}

/// The splitter on its own thread, a few chunks ahead of the parsers, so reading, scanning and
/// hashing the file overlap with parsing it.
pub(crate) struct ChunkFeed {
    chunks: std::sync::mpsc::Receiver<Result<Chunk>>,
    /// Parsed chunks' buffers, back to the splitter for the chunks to come: a fresh buffer
    /// costs a page fault (and the kernel zeroing the page) every 4 KiB.
    spent: std::sync::mpsc::Sender<Vec<u8>>,
    /// Set when the checksum is wanted; a stream dropped early stops its reader instead.
    finishing: std::sync::Arc<std::sync::atomic::AtomicBool>,
    /// The reader thread; it ends with the file's SHA-256.
    reader: std::thread::JoinHandle<Result<String>>,
}

impl ChunkFeed {
    pub(crate) fn start(mut splitter: Splitter) -> ChunkFeed {
        let (sender, receiver) = std::sync::mpsc::sync_channel(BATCH_CHUNKS);
        let (spent, reusable) = std::sync::mpsc::channel();
        splitter.reusable = Some(reusable);
        let finishing: std::sync::Arc<std::sync::atomic::AtomicBool> = Default::default();
        let finish = finishing.clone();
        let reader = std::thread::spawn(move || {
            let mut consumed = 0u64;
            loop {
                match splitter.next_chunk() {
                    // When nobody wants more chunks, the rest is only hashed, if asked for.
                    Ok(Some(chunk)) => {
                        if let Some(counter) = &splitter.bytes_read {
                            consumed += chunk.bytes.len() as u64;
                            // The furthest any read of the file has got: a stage that reads
                            // the head first and then the whole file counts it once.
                            counter.fetch_max(consumed, std::sync::atomic::Ordering::Relaxed);
                        }
                        if sender.send(Ok(chunk)).is_err() {
                            if !finish.load(std::sync::atomic::Ordering::SeqCst) {
                                return Ok(String::new());
                            }
                            break;
                        }
                    }
                    Ok(None) => break,
                    Err(e) => {
                        let _ = sender.send(Err(e));
                        return Ok(String::new());
                    }
                }
            }
            splitter.digest()
        });
        ChunkFeed {
            chunks: receiver,
            spent,
            finishing,
            reader,
        }
    }

    pub(crate) fn next_chunk(&mut self) -> Result<Option<Chunk>> {
        // The reader hangs up after the last chunk.
        self.chunks.recv().ok().transpose()
    }

    /// Hands a parsed chunk's buffer back for reuse.
    pub(crate) fn recycle(&self, chunk: Chunk) {
        // The splitter may have finished; then the buffer is simply dropped.
        let _ = self.spent.send(chunk.bytes);
    }

    /// Stops taking chunks and waits for the reader's checksum of the whole file.
    pub(crate) fn digest(self, path: &Path) -> Result<String> {
        self.finishing
            .store(true, std::sync::atomic::Ordering::SeqCst);
        drop(self.chunks);
        self.reader.join().unwrap_or_else(|_| {
            Err(Error::input(
                path,
                "could not be read to the end (the reader thread failed)",
            ))
        })
    }
}

/// Cuts delimited text into chunks of whole records, hashing every byte it reads.
pub(crate) struct Splitter {
    reader: Box<dyn Read + Send>,
    /// Bytes handed out in chunks so far, for a progress display (`ReadOptions::bytes_read`).
    pub(crate) bytes_read: Option<std::sync::Arc<std::sync::atomic::AtomicU64>>,
    /// `None` when no checksum was asked for.
    hasher: Option<Sha256>,
    path: PathBuf,
    delimiter: u8,
    /// Unconsumed bytes; `buf[..pos]` has been scanned.
    buf: Vec<u8>,
    pos: usize,
    quoted: bool,
    /// Line where the open quoted field started.
    quote_line: usize,
    /// Line at `buf[0]` and at `buf[pos]`.
    chunk_line: usize,
    line: usize,
    /// Record ends in `buf[..pos]`.
    ends: usize,
    /// Where the record being scanned starts in `buf`, and its line.
    record_start: usize,
    record_line: usize,
    /// The longest record accepted (`limits::RECORD_BYTES`).
    max_record: usize,
    eof: bool,
    /// Buffers of chunks already parsed, when running as a `ChunkFeed`.
    reusable: Option<std::sync::mpsc::Receiver<Vec<u8>>>,
}

impl Splitter {
    pub(crate) fn new(
        reader: Box<dyn Read + Send>,
        hasher: Option<Sha256>,
        head: Vec<u8>,
        start: usize,
        delimiter: u8,
        path: &Path,
        max_record: usize,
    ) -> Splitter {
        let mut buf = head;
        buf.drain(..start);
        Splitter {
            reader,
            bytes_read: None,
            hasher,
            path: path.to_path_buf(),
            delimiter,
            buf,
            pos: 0,
            quoted: false,
            quote_line: 1,
            chunk_line: 1,
            line: 1,
            ends: 0,
            record_start: 0,
            record_line: 1,
            max_record,
            eof: false,
            reusable: None,
        }
    }

    /// The SHA-256 of the whole input, reading (not parsing) whatever is left; empty when no
    /// checksum was asked for.
    fn digest(&mut self) -> Result<String> {
        if self.hasher.is_none() {
            return Ok(String::new());
        }
        while !self.eof {
            self.buf.clear();
            self.pos = 0;
            self.fill()?;
        }
        Ok(self
            .hasher
            .take()
            .map_or_else(String::new, |h| super::hex(&h.finalize())))
    }

    pub(crate) fn next_chunk(&mut self) -> Result<Option<Chunk>> {
        loop {
            if self.scan() {
                return Ok(Some(self.cut(self.pos)));
            }
            if self.eof {
                if self.quoted {
                    return Err(Error::input(
                        &self.path,
                        "has a quoted field that is never closed",
                    )
                    .at_row(self.quote_line)
                    .hint("the file is probably truncated or was edited by hand; re-export it"));
                }
                if self.buf.is_empty() {
                    return Ok(None);
                }
                return Ok(Some(self.cut(self.buf.len())));
            }
            self.check_record_length()?;
            self.fill()?;
        }
    }

    /// Refuses a record longer than `max_record` before reading more of it: a file of one
    /// endless line (or an unclosed quote) would otherwise grow the buffer until memory runs out.
    fn check_record_length(&self) -> Result<()> {
        if self.buf.len() - self.record_start <= self.max_record {
            return Ok(());
        }
        let limit = self.max_record as u64;
        let what = if self.quoted {
            "a quoted field that does not close"
        } else {
            "no line end"
        };
        Err(Error::input(
            &self.path,
            format!("has a record of more than {limit} bytes ({what}), the limit for one record"),
        )
        .at_row(self.record_line)
        .hint(super::limits::RECORD_BYTES.hint(limit)))
    }

    fn fill(&mut self) -> Result<()> {
        let old = self.buf.len();
        // Into spare capacity: `read_to_end` does not zero what the read overwrites.
        let n = (&mut self.reader)
            .take(READ_BLOCK as u64)
            .read_to_end(&mut self.buf)
            .map_err(|e| Error::io(&self.path, e))?;
        if let Some(hasher) = &mut self.hasher {
            hasher.update(&self.buf[old..]);
        }
        self.eof = n == 0;
        Ok(())
    }

    fn cut(&mut self, end: usize) -> Chunk {
        // The chunk keeps the buffer; what was read past its end starts a new one, with room
        // for a whole chunk and a read, so that filling it never reallocates (and copies).
        let room = CHUNK_BYTES.max(end) + 2 * READ_BLOCK;
        let recycled = self.reusable.as_ref().and_then(|r| r.try_recv().ok());
        let mut rest = match recycled {
            Some(mut buffer) if buffer.capacity() >= room => {
                buffer.clear();
                buffer
            }
            _ => Vec::with_capacity(room),
        };
        rest.extend_from_slice(&self.buf[end..]);
        let mut bytes = std::mem::replace(&mut self.buf, rest);
        bytes.truncate(end);
        let first_line = self.chunk_line;
        self.pos -= end.min(self.pos);
        self.record_start -= end.min(self.record_start);
        self.chunk_line = self.line;
        self.ends = 0;
        Chunk { first_line, bytes }
    }

    /// Scans on from `pos`; true when `CHUNK_ROWS` records, or `CHUNK_BYTES`, end at `pos`.
    fn scan(&mut self) -> bool {
        let buf = &self.buf;
        let (mut pos, mut line) = (self.pos, self.line);
        let done = loop {
            if pos >= buf.len() {
                break false;
            }
            if self.quoted {
                let Some(i) = memchr(b'"', &buf[pos..]) else {
                    // A `\r` last may be the first half of a `\r\n`: it is looked at again
                    // with the next read.
                    let end = buf.len() - usize::from(!self.eof && buf.ends_with(b"\r"));
                    line += line_ends(buf, pos, end);
                    pos = end;
                    break false;
                };
                let q = pos + i;
                line += line_ends(buf, pos, q);
                match buf.get(q + 1) {
                    Some(b'"') => pos = q + 2,
                    Some(_) => {
                        self.quoted = false;
                        pos = q + 1;
                    }
                    None if self.eof => {
                        self.quoted = false;
                        pos = q + 1;
                    }
                    // Whether this quote closes the field depends on the next byte: read more.
                    None => {
                        pos = q;
                        break false;
                    }
                }
            } else {
                let Some(i) = memchr3(b'"', b'\n', b'\r', &buf[pos..]) else {
                    pos = buf.len();
                    continue;
                };
                let p = pos + i;
                if buf[p] == b'"' {
                    pos = p + 1;
                    if p == 0 || matches!(buf[p - 1], b'\n' | b'\r') || buf[p - 1] == self.delimiter
                    {
                        self.quoted = true;
                        self.quote_line = line;
                    }
                    continue;
                }
                if buf[p] == b'\r' {
                    match buf.get(p + 1) {
                        // The `\n` ends the line.
                        Some(b'\n') => {
                            pos = p + 1;
                            continue;
                        }
                        None if !self.eof => {
                            pos = p;
                            break false;
                        }
                        _ => {}
                    }
                }
                pos = p + 1;
                line += 1;
                self.ends += 1;
                self.record_start = pos;
                self.record_line = line;
                if self.ends == CHUNK_ROWS || pos >= CHUNK_BYTES {
                    break true;
                }
            }
        };
        self.pos = pos;
        self.line = line;
        done
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hands out one byte per read, so that every `\r` is at some point the buffer's last byte.
    struct ByteByByte(std::collections::VecDeque<u8>);

    impl Read for ByteByByte {
        fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
            match (self.0.pop_front(), out.first_mut()) {
                (Some(b), Some(slot)) => {
                    *slot = b;
                    Ok(1)
                }
                _ => Ok(0),
            }
        }
    }

    fn splitter(text: &[u8], max_record: usize) -> Splitter {
        let reader = Box::new(ByteByByte(text.iter().copied().collect()));
        Splitter::new(
            reader,
            None,
            Vec::new(),
            0,
            b',',
            Path::new("x.csv"),
            max_record,
        )
    }

    /// By hand: `\r\n`, `\r` and `\n` end lines 1 to 3; inside the quotes, `\r\n` and `\r` end
    /// lines 4 and 5; the `\r` after them ends line 6, and `z` is on line 7.
    #[test]
    fn every_line_end_counts_once_wherever_a_read_stops() {
        let text = b"a\r\nb\rc\n\"x\r\ny\r\"\rz";
        let mut s = splitter(text, 1 << 20);
        let mut bytes = Vec::new();
        while let Some(chunk) = s.next_chunk().unwrap() {
            bytes.extend(chunk.bytes);
        }
        assert_eq!(bytes, text);
        assert_eq!(s.line, 7);
        assert_eq!(newlines(text), 6);
        assert_eq!(
            line_ends(b"a\r\n", 0, 2),
            0,
            "the `\\n` after the slice counts instead"
        );
    }

    #[test]
    fn a_record_without_an_end_stops_at_the_limit() {
        let mut text = b"q1,q2\r1,2\r".to_vec();
        text.extend(std::iter::repeat_n(b'x', 4 * READ_BLOCK));
        let mut s = splitter(&text, 1000);
        let e = loop {
            match s.next_chunk() {
                Err(e) => break e.to_string(),
                Ok(None) => panic!("an endless record passed a limit of 1,000 bytes"),
                Ok(Some(_)) => {}
            }
        };
        assert!(
            e.contains("more than 1000 bytes") && e.contains("row 3"),
            "{e}"
        );
        assert!(e.contains("CANVASS_MAX_RECORD_BYTES"), "{e}");
        // Stopped at the first read past the limit, not at the end of the input.
        assert!(
            s.buf.len() <= 1000 + READ_BLOCK,
            "read on to {} bytes",
            s.buf.len()
        );
    }
}
