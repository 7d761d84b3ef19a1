//! Text for the XML files canvass writes (the Word report, the REFI-QDA codebook and project):
//! markup escaped, and the characters XML 1.0 cannot hold replaced, so that a stray control byte
//! in a comment shows as a mark instead of making a file Word or NVivo refuses.

/// What becomes of a tab or line break in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Breaks {
    /// Kept: a REFI-QDA source's plain text keeps its lines.
    Kept,
    /// A space: a Word run shows one line, as the HTML does.
    Spaces,
}

/// `s` escaped for XML element content and attributes.
pub fn escape(s: &str, breaks: Breaks) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // A parser would read a raw CR (of a CRLF) as part of a line break and drop it,
            // moving every position after it.
            '\r' if breaks == Breaks::Kept => out.push_str("&#13;"),
            '\t' | '\n' if breaks == Breaks::Kept => out.push(c),
            '\t' | '\n' | '\r' => out.push(' '),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_escaped_and_characters_xml_cannot_hold_are_marked() {
        let s = "a<b & \"c\" 'd'\u{1}\u{FFFF}\r\nnext";
        assert_eq!(
            escape(s, Breaks::Kept),
            "a&lt;b &amp; &quot;c&quot; &apos;d&apos;\u{FFFD}\u{FFFD}&#13;\nnext"
        );
        assert_eq!(
            escape(s, Breaks::Spaces),
            "a&lt;b &amp; &quot;c&quot; &apos;d&apos;\u{FFFD}\u{FFFD}  next"
        );
    }
}
