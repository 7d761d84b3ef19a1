//! Text exports: UTF-16 decoding, delimiter sniffing and CSV parsing of whole records with their
//! line numbers.

use crate::error::{Error, Result};
use std::path::Path;

/// Decodes a file that starts with a UTF-16 byte-order mark (Excel's and Qualtrics' "Unicode
/// text"); `None` for any other file. UTF-8 and Windows-1252 are decided chunk by chunk as the
/// file streams (see `stream.rs`): UTF-16 cannot be cut on byte values, so it is decoded whole.
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
    Ok(None)
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
            '\n' if !in_quotes => return &text[..i],
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
    fn sniffs_delimiters_outside_quotes() {
        let p = Path::new("x.csv");
        assert_eq!(sniff_delimiter("a;b;c\n1;2;3", p), b';');
        assert_eq!(sniff_delimiter("\"a,b\"\tc\td", p), b'\t');
        assert_eq!(sniff_delimiter("a,b\n", p), b',');
    }
}
