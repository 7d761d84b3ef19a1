//! Duplicates found in bounded memory, for exports with more respondents than the key table
//! may hold.
//!
//! Exact duplicate detection needs every respondent's key at hand, so the key table grows with
//! the export. Past a budget, the keys are written instead to anonymous temporary files, split
//! by their top bits so that every respondent's responses land in the same file, in file
//! order; each file is then checked on its own, in a table a fraction of the size. What comes
//! out is the list of duplicate rows, which the cleaning pass walks in file order. The
//! decisions are the ones the single table makes: the same keys, in the same order.

use super::keys::KeyTable;
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, Write};

/// Respondent keys and rows, spread over temporary files by key.
pub struct SpilledKeys {
    files: Vec<BufWriter<File>>,
    /// Top bits of the key that pick the file.
    bits: u32,
}

/// The most temporary files open at once (well within the usual limit of 1,024 descriptors).
const MAX_FILES: usize = 256;

/// A duplicate row and the row of the same respondent that is kept.
pub type Duplicate = (usize, usize);

impl SpilledKeys {
    /// Files enough that each holds about `keys_per_file` of `keys` expected keys, up to
    /// `MAX_FILES` (open at once; past 2²⁸ respondents each file's table is larger instead).
    pub fn new(keys: usize, keys_per_file: usize) -> std::io::Result<SpilledKeys> {
        let files = keys
            .div_ceil(keys_per_file.max(1))
            .next_power_of_two()
            .clamp(2, MAX_FILES);
        Ok(SpilledKeys {
            files: (0..files)
                .map(|_| tempfile::tempfile().map(BufWriter::new))
                .collect::<std::io::Result<_>>()?,
            bits: files.trailing_zeros(),
        })
    }

    /// Notes the response at `row` with `key` (in file order).
    pub fn push(&mut self, key: u64, row: usize) -> std::io::Result<()> {
        let file = &mut self.files[(key >> (64 - self.bits)) as usize];
        file.write_all(&key.to_le_bytes())?;
        file.write_all(&(row as u64).to_le_bytes())
    }

    /// Every duplicate row, in file order, with the row kept for its respondent: the first or,
    /// with `keep_last`, the last.
    pub fn duplicates(self, keep_last: bool) -> std::io::Result<Vec<Duplicate>> {
        let mut found = Vec::new();
        for file in self.files {
            let mut file = file.into_inner().map_err(|e| e.into_error())?;
            file.rewind()?;
            let mut pairs = Vec::new();
            let mut reader = BufReader::new(file);
            let mut pair = [0u8; 16];
            loop {
                match reader.read_exact(&mut pair) {
                    Ok(()) => {}
                    Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => break,
                    Err(e) => return Err(e),
                }
                // expect (twice): halves of a 16-byte array are 8 bytes each.
                let (key, row) = pair.split_at(8);
                let key = u64::from_le_bytes(key.try_into().expect("eight bytes"));
                let row = u64::from_le_bytes(row.try_into().expect("eight bytes")) as usize;
                pairs.push((key, row));
            }
            let mut table = KeyTable::default();
            table.reserve(pairs.len());
            if keep_last {
                for &(key, row) in &pairs {
                    table.insert(key, row);
                }
                found.extend(pairs.iter().filter_map(|&(key, row)| {
                    let last = table.get(key).filter(|&last| last != row)?;
                    Some((row, last))
                }));
            } else {
                found.extend(pairs.iter().filter_map(|&(key, row)| {
                    let first = table.get_or_insert(key, row)?;
                    Some((row, first))
                }));
            }
        }
        found.sort_unstable();
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// By hand: keys 7, 9, 7, 0 (the zero key, held apart by the table), 9, 0, 7 at rows 1–7.
    /// Keep-first: rows 3 and 7 repeat row 1, row 5 repeats row 2, row 6 repeats row 4.
    /// Keep-last: rows 1 and 3 give way to row 7, row 2 to row 5, row 4 to row 6.
    #[test]
    fn finds_what_one_table_finds_across_files() {
        let keys = [7u64 << 60, 9 << 60, 7 << 60, 0, 9 << 60, 0, 7 << 60];
        let spilled = |keep_last| {
            let mut s = SpilledKeys::new(8, 1).unwrap();
            assert!(s.files.len() >= 8);
            for (i, &key) in keys.iter().enumerate() {
                s.push(key, i + 1).unwrap();
            }
            s.duplicates(keep_last).unwrap()
        };
        assert_eq!(spilled(false), [(3, 1), (5, 2), (6, 4), (7, 1)]);
        assert_eq!(spilled(true), [(1, 7), (2, 5), (3, 7), (4, 6)]);
    }
}
