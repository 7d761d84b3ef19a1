//! Text exports: UTF-16 decoding, delimiter sniffing and CSV parsing of whole records with their
//! line numbers.

use crate::error::{Error, Result};
use std::path::Path;

/// Decodes a UTF-16 file (Excel's and Qualtrics' "Unicode text"): one that starts with a
/// byte-order mark, or one without a mark whose NUL bytes fall where ASCII text in UTF-16 puts
/// them (`looks_like_utf16`). `None` for any other file, and for an unmarked file that does not
/// decode, which is then read (and refused) as binary. UTF-8 and Windows-1252 are decided chunk
/// by chunk as the file streams (see `stream.rs`): UTF-16 cannot be cut on byte values, so it
/// is decoded whole.
pub fn decode_utf16(path: &Path, bytes: &[u8]) -> Result<Option<(String, &'static str)>> {
    for (bom, enc, name) in [
        (&b"\xFF\xFE"[..], encoding_rs::UTF_16LE, "utf-16le"),
        (&b"\xFE\xFF"[..], encoding_rs::UTF_16BE, "utf-16be"),
    ] {
        if let Some(rest) = bytes.strip_prefix(bom) {
            let (text, had_errors) = enc.decode_without_bom_handling(rest);
            if had_errors {
                return Err(Error::input(
                    path,
                    format!("is marked {name} but holds bytes that are not valid {name}"),
                )
                .hint("re-export the file from the survey tool"));
            }
            return Ok(Some((text.into_owned(), name)));
        }
    }
    let Some((enc, name)) = looks_like_utf16(bytes) else {
        return Ok(None);
    };
    let (text, had_errors) = enc.decode_without_bom_handling(bytes);
    Ok((!had_errors).then(|| (text.into_owned(), name)))
}

/// UTF-16 without a byte-order mark, little- or big-endian: in text that is mostly ASCII (as
/// survey exports are, whatever their language's share of other letters), every other byte
/// is NUL, and the bytes between are not.
pub fn looks_like_utf16(bytes: &[u8]) -> Option<(&'static encoding_rs::Encoding, &'static str)> {
    let sample = &bytes[..bytes.len().min(64 << 10) & !1];
    let units = sample.len() / 2;
    if units < 2 {
        return None;
    }
    let nul_at = |parity: usize| {
        sample
            .iter()
            .skip(parity)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let (even, odd) = (nul_at(0), nul_at(1));
    // At least 70 % of units are ASCII or Latin-1 (high byte NUL); at most 5 % are NUL
    // characters, which text does not hold.
    let mostly = |n: usize| n * 10 >= units * 7;
    let rare = |n: usize| n * 20 <= units;
    if mostly(odd) && rare(even) {
        Some((encoding_rs::UTF_16LE, "utf-16le"))
    } else if mostly(even) && rare(odd) {
        Some((encoding_rs::UTF_16BE, "utf-16be"))
    } else {
        None
    }
}

/// Picks the delimiter that splits the first line into the most fields, outside quotes.
pub fn sniff_delimiter(text: &str, path: &Path) -> u8 {
    let first_line = first_record(text);
    let count = |d: char| {
        let mut in_quotes = false;
        let mut n = 0;
        for c in first_line.chars() {
            match c {
                '"' => in_quotes = !in_quotes,
                c if c == d && !in_quotes => n += 1,
                _ => {}
            }
        }
        n
    };
    let tsv_name = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("tsv") || e.eq_ignore_ascii_case("tab"));
    let (tabs, commas, semis) = (count('\t'), count(','), count(';'));
    if tabs > 0 && (tsv_name || tabs >= commas) {
        b'\t'
    } else if semis > commas {
        b';'
    } else {
        b','
    }
}

/// The first record, allowing quoted newlines.
fn first_record(text: &str) -> &str {
    let mut in_quotes = false;
    for (i, c) in text.char_indices() {
        match c {
            '"' => in_quotes = !in_quotes,
            '\n' | '\r' if !in_quotes => return &text[..i],
            _ => {}
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_utf16_only() {
        let p = Path::new("x.csv");
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("a\tb".encode_utf16().flat_map(|u| u.to_le_bytes()))
            .collect();
        let (text, encoding) = decode_utf16(p, &utf16).unwrap().unwrap();
        assert_eq!((text.as_str(), encoding), ("a\tb", "utf-16le"));
        assert!(decode_utf16(p, b"\xEF\xBB\xBFa,b").unwrap().is_none());
    }

    #[test]
    fn decodes_utf16_without_a_byte_order_mark() {
        let p = Path::new("x.csv");
        let text = "Q1,Q2\nStimme zu,Café\n";
        let le: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
        assert_eq!(
            decode_utf16(p, &le).unwrap(),
            Some((text.to_string(), "utf-16le"))
        );
        assert_eq!(
            decode_utf16(p, &be).unwrap(),
            Some((text.to_string(), "utf-16be"))
        );
        // NULs everywhere, or nowhere in particular: not UTF-16.
        assert!(looks_like_utf16(&[0; 64]).is_none());
        assert!(looks_like_utf16(b"a,b\n1,2\n").is_none());
        // A lone surrogate does not decode: the file is then read, and refused, as binary.
        let mut broken = le.clone();
        broken.extend([0x00, 0xD8, b'a', 0]);
        assert_eq!(decode_utf16(p, &broken).unwrap(), None);
    }

    #[test]
    fn sniffs_delimiters_outside_quotes() {
        let p = Path::new("x.csv");
        assert_eq!(sniff_delimiter("a;b;c\n1;2;3", p), b';');
        assert_eq!(sniff_delimiter("\"a,b\"\tc\td", p), b'\t');
        assert_eq!(sniff_delimiter("a,b\n", p), b',');
    }
}
