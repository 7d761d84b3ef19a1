//! A compact binary form for rows the stage cache writes and reads back many times (a national
//! survey's comments with their themes: a million rows, read back for comments.csv, the
//! workbook and themes.json). Parsing them back from JSON was a sixth of the report's CPU time;
//! this form is read back without parsing text, and holds every value exactly (a float is
//! its bits, so a NaN reads back as itself).
//!
//! A file of rows is a sequence of frames: a row's length (`u32`, little-endian) and its bytes.
//! The cache is not a deliverable (nothing outside canvass reads it) and its key names the build,
//! so the form can change with any release.

use std::io::{self, Read, Write};

/// A row that writes itself as bytes and reads itself back from them.
pub trait Record: Sized + Sync {
    /// Appends the row's bytes to `out`.
    fn encode(&self, out: &mut Encoder);
    /// The row read back from its bytes; `None` when they are not a row's.
    fn decode(bytes: &mut Decoder) -> Option<Self>;
}

/// The bytes of rows being written.
#[derive(Debug, Default)]
pub struct Encoder {
    bytes: Vec<u8>,
}

impl Encoder {
    /// Appends `row` as one frame.
    pub fn frame<R: Record>(&mut self, row: &R) {
        let at = self.bytes.len();
        self.bytes.extend_from_slice(&[0; 4]);
        row.encode(self);
        // A row over 4 GiB cannot come from a comment an export holds; its frame says 0 and
        // the reader then fails on it rather than misreading what follows.
        let len = u32::try_from(self.bytes.len() - at - 4).unwrap_or(0);
        self.bytes[at..at + 4].copy_from_slice(&len.to_le_bytes());
    }

    /// One byte (a flag or a variant).
    pub fn u8(&mut self, v: u8) {
        self.bytes.push(v);
    }

    /// A `u32`, little-endian.
    pub fn u32(&mut self, v: u32) {
        self.bytes.extend_from_slice(&v.to_le_bytes());
    }

    /// A `u64`, little-endian.
    pub fn u64(&mut self, v: u64) {
        self.bytes.extend_from_slice(&v.to_le_bytes());
    }

    /// A length-prefixed string.
    pub fn str(&mut self, s: &str) {
        self.u64(s.len() as u64);
        self.bytes.extend_from_slice(s.as_bytes());
    }

    /// An optional float, exactly (its bits).
    pub fn f64_opt(&mut self, v: Option<f64>) {
        match v {
            None => self.u8(0),
            Some(v) => {
                self.u8(1);
                self.u64(v.to_bits());
            }
        }
    }

    /// The bytes written so far, taken (the encoder is empty after).
    pub fn take(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.bytes)
    }
}

/// A row's bytes being read, front to back.
pub struct Decoder<'a> {
    bytes: &'a [u8],
}

impl<'a> Decoder<'a> {
    /// A row's bytes, from the first.
    pub fn new(bytes: &'a [u8]) -> Decoder<'a> {
        Decoder { bytes }
    }

    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, rest) = self.bytes.split_at_checked(n)?;
        self.bytes = rest;
        Some(head)
    }

    /// One byte; `None` past the row's end (so for the readers below).
    pub fn u8(&mut self) -> Option<u8> {
        self.take(1).map(|b| b[0])
    }

    /// A `u32`, little-endian.
    pub fn u32(&mut self) -> Option<u32> {
        self.take(4)?.try_into().ok().map(u32::from_le_bytes)
    }

    /// A `u64`, little-endian.
    pub fn u64(&mut self) -> Option<u64> {
        self.take(8)?.try_into().ok().map(u64::from_le_bytes)
    }

    /// A length-prefixed string; `None` when it runs past the row or is not UTF-8.
    pub fn str(&mut self) -> Option<&'a str> {
        let len = usize::try_from(self.u64()?).ok()?;
        std::str::from_utf8(self.take(len)?).ok()
    }

    /// An optional float, as [`Encoder::f64_opt`] wrote it.
    pub fn f64_opt(&mut self) -> Option<Option<f64>> {
        match self.u8()? {
            0 => Some(None),
            1 => Some(Some(f64::from_bits(self.u64()?))),
            _ => None,
        }
    }

    /// Whether every byte was read: a row with bytes left over is not the row it claims.
    pub fn is_done(&self) -> bool {
        self.bytes.is_empty()
    }
}

/// Rows read one frame at a time from a reader, each frame's bytes reused.
pub struct Frames<R> {
    reader: R,
    frame: Vec<u8>,
}

/// Why a frame could not be read.
#[derive(Debug)]
pub enum FrameError {
    /// The file could not be read.
    Io(io::Error),
    /// The file ends inside a frame, or a frame is not a row's bytes.
    Corrupt,
}

impl std::fmt::Display for FrameError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FrameError::Io(e) => e.fmt(f),
            FrameError::Corrupt => f.write_str("a row is cut short or is not a row"),
        }
    }
}

impl<R: Read> Frames<R> {
    /// Frames from the reader's next byte.
    pub fn new(reader: R) -> Frames<R> {
        Frames {
            reader,
            frame: Vec::new(),
        }
    }

    /// The next row; `None` at the end of the file.
    pub fn next_row<T: Record>(&mut self) -> Option<Result<T, FrameError>> {
        let mut len = [0u8; 4];
        match read_full(&mut self.reader, &mut len) {
            Ok(0) => return None,
            Ok(4) => {}
            Ok(_) => return Some(Err(FrameError::Corrupt)),
            Err(e) => return Some(Err(FrameError::Io(e))),
        }
        let len = u32::from_le_bytes(len) as u64;
        self.frame.clear();
        // Grown as bytes arrive, never to a size the file merely claims.
        match (&mut self.reader).take(len).read_to_end(&mut self.frame) {
            Ok(n) if n as u64 == len => {}
            Ok(_) => return Some(Err(FrameError::Corrupt)),
            Err(e) => return Some(Err(FrameError::Io(e))),
        }
        let mut d = Decoder::new(&self.frame);
        Some(match T::decode(&mut d) {
            Some(row) if d.is_done() => Ok(row),
            _ => Err(FrameError::Corrupt),
        })
    }
}

/// Reads until `buf` is full or the reader ends: how many bytes were read.
fn read_full(reader: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match reader.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// Writes `rows` as frames, encoding them in parallel a block at a time (a national survey's
/// comments are a million rows) and writing the blocks in order.
pub fn write_all<T: Record>(rows: &[T], w: &mut dyn Write) -> io::Result<()> {
    use rayon::prelude::*;
    const BLOCK: usize = 16_384;
    for block in rows.chunks(BLOCK) {
        let parts: Vec<Vec<u8>> = block
            .par_chunks(BLOCK.div_ceil(rayon::current_num_threads().max(1)))
            .map(|part| {
                let mut e = Encoder::default();
                for row in part {
                    e.frame(row);
                }
                e.take()
            })
            .collect();
        for bytes in parts {
            w.write_all(&bytes)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq)]
    struct Pair(Option<f64>, String);

    impl Record for Pair {
        fn encode(&self, out: &mut Encoder) {
            out.f64_opt(self.0);
            out.str(&self.1);
        }
        fn decode(d: &mut Decoder) -> Option<Pair> {
            Some(Pair(d.f64_opt()?, d.str()?.to_string()))
        }
    }

    fn rows() -> Vec<Pair> {
        vec![
            Pair(Some(-0.0), "é\n\"ü\"".into()),
            Pair(None, String::new()),
            Pair(Some(f64::NAN), "nan".into()),
            Pair(Some(f64::NEG_INFINITY), "x".repeat(70_000)),
        ]
    }

    fn read(bytes: &[u8]) -> Vec<Result<Pair, FrameError>> {
        let mut frames = Frames::new(bytes);
        std::iter::from_fn(|| frames.next_row::<Pair>()).collect()
    }

    #[test]
    fn rows_read_back_exactly_every_float_included() {
        let mut bytes = Vec::new();
        write_all(&rows(), &mut bytes).unwrap();
        let back: Vec<Pair> = read(&bytes).into_iter().map(Result::unwrap).collect();
        assert_eq!(back.len(), 4);
        for (a, b) in back.iter().zip(rows()) {
            assert_eq!(a.0.map(f64::to_bits), b.0.map(f64::to_bits));
            assert_eq!(a.1, b.1);
        }
        assert!(read(&[]).is_empty());
    }

    #[test]
    fn a_file_cut_short_or_altered_is_corrupt_not_a_panic() {
        let mut bytes = Vec::new();
        write_all(&rows()[..2], &mut bytes).unwrap();
        for cut in 1..bytes.len() {
            let got = read(&bytes[..cut]);
            // Only the cuts at a frame's end read back whole; every other ends with an error.
            let whole = got.iter().all(Result::is_ok);
            let first_frame = 4 + u32::from_le_bytes(bytes[..4].try_into().unwrap()) as usize;
            assert_eq!(whole, cut == first_frame, "cut at {cut}");
        }
        // A frame that claims 4 GiB is read as far as the bytes go, and is corrupt.
        let mut claims = u32::MAX.to_le_bytes().to_vec();
        claims.extend_from_slice(b"short");
        assert!(matches!(read(&claims)[..], [Err(FrameError::Corrupt)]));
        // Bytes left over in a frame, and a flag that is neither 0 nor 1.
        let mut extra = Encoder::default();
        extra.frame(&Pair(None, "a".into()));
        let mut extra = extra.take();
        extra[0] += 1;
        extra.push(0);
        assert!(matches!(read(&extra)[..], [Err(FrameError::Corrupt)]));
        let mut flag = Encoder::default();
        flag.frame(&Pair(None, "a".into()));
        let mut flag = flag.take();
        flag[4] = 7;
        assert!(matches!(read(&flag)[..], [Err(FrameError::Corrupt)]));
    }
}
