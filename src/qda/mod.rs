//! REFI-QDA exchange (the standard NVivo, ATLAS.ti, MAXQDA and QualCoder read): a wave's themes
//! as a codebook (`.qdc`) and its comments with their codings as a project (`.qdpx`: a zip of
//! `project.qde` and nothing else, the comments being held in the XML), and back (`import`).
//!
//! Every GUID is made from a SHA-256 of stable names (the theme's handle, the comment's id), so
//! the same themes give the same bytes; zip entries are dated 1980-01-01. The project holds one
//! text source for the question: the redacted comments one after the other, each a selection
//! named by its comment id and coded to its themes. Respondent keys and identifying columns are
//! not in themes.json, so they cannot reach the project.

pub mod import;

use crate::error::{Error, Result};
use crate::themes::{Theme, ThemeReport};
use sha2::{Digest, Sha256};
use std::fmt::Write as _;
use std::path::Path;

/// XML namespace of a REFI-QDA codebook (`.qdc`), as the standard's XSD declares it.
pub const CODEBOOK_NS: &str = "urn:QDA-XML:codebook:1.0";
/// XML namespace of a REFI-QDA project (`project.qde` inside a `.qdpx`).
pub const PROJECT_NS: &str = "urn:QDA-XML:project:1.0";

/// ColorBrewer Set2 and Dark2 (colourblind-safe qualitative), cycled.
const COLORS: [&str; 16] = [
    "#66C2A5", "#FC8D62", "#8DA0CB", "#E78AC3", "#A6D854", "#FFD92F", "#E5C494", "#B3B3B3",
    "#1B9E77", "#D95F02", "#7570B3", "#E7298A", "#66A61E", "#E6AB02", "#A6761D", "#666666",
];

/// The phrases that carry a theme forward: a codebook theme's own; for a discovered theme its
/// two-word key terms (a single common word such as "staff" would code far too much), or its
/// first term when it has none; for a theme a reviewer split off, its label. The codebook
/// command and the REFI-QDA codebook both write them.
pub fn phrases(th: &Theme) -> Vec<String> {
    if th.kind == "codebook" {
        return th.keywords.clone();
    }
    let two: Vec<String> = th
        .keywords
        .iter()
        .filter(|k| k.contains(' '))
        .cloned()
        .collect();
    if !two.is_empty() {
        return two;
    }
    match th.keywords.first() {
        Some(k) => vec![k.clone()],
        None => vec![th.label.to_lowercase()],
    }
}

/// A UUID-formatted GUID from SHA-256 of `kind` and `name` (version 8, RFC 9562 variant).
pub fn guid(kind: &str, name: &str) -> String {
    let h = Sha256::digest(format!("canvass\0{kind}\0{name}").as_bytes());
    let mut b = [0u8; 16];
    b.copy_from_slice(&h[..16]);
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

/// Text escaped for XML content and attributes (see [`crate::xml`]), its lines kept.
pub fn escape(s: &str) -> String {
    crate::xml::escape(s, crate::xml::Breaks::Kept)
}

/// The `<Codes>` element: one code per theme with comments, its key words as description.
fn codes(t: &ThemeReport, indent: &str) -> String {
    let mut s = format!("{indent}<Codes>\n");
    for (i, th) in t.themes.iter().enumerate() {
        let _ = write!(
            s,
            "{indent}  <Code guid=\"{}\" name=\"{}\" isCodable=\"true\" color=\"{}\">",
            guid("code", &th.handle),
            escape(&th.label),
            COLORS[i % COLORS.len()]
        );
        let phrases = phrases(th);
        let _ = writeln!(
            s,
            "\n{indent}    <Description>{}</Description>\n{indent}  </Code>",
            escape(&phrases.join("; "))
        );
    }
    let _ = writeln!(s, "{indent}</Codes>");
    s
}

/// The codebook file (`.qdc`).
pub fn codebook(t: &ThemeReport) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CodeBook xmlns=\"{CODEBOOK_NS}\" origin=\"canvass {}\">\n{}</CodeBook>\n",
        env!("CARGO_PKG_VERSION"),
        codes(t, "  ")
    )
}

/// `project.qde`: the codebook and one text source of the question's comments, each a
/// selection (character positions, end exclusive) coded to its themes.
pub fn project(name: &str, question: &str, t: &ThemeReport) -> String {
    let mut content = String::new();
    let mut selections = String::new();
    let mut pos = 0usize;
    for a in t.assignments.stream() {
        if !content.is_empty() {
            content.push_str("\n\n");
            pos += 2;
        }
        let len = a.text.chars().count();
        content.push_str(&a.text);
        if a.status.is_theme_member() {
            let _ = writeln!(
                selections,
                "      <PlainTextSelection guid=\"{}\" name=\"{}\" startPosition=\"{pos}\" endPosition=\"{}\">",
                guid("selection", &a.respondent),
                escape(&a.respondent),
                pos + len
            );
            for &th in &a.themes {
                let Some(theme) = t.themes.get(th - 1) else {
                    continue;
                };
                let _ = writeln!(
                    selections,
                    "        <Coding guid=\"{}\">\n          <CodeRef targetGUID=\"{}\"/>\n        </Coding>",
                    guid("coding", &format!("{}\0{}", a.respondent, theme.handle)),
                    guid("code", &theme.handle)
                );
            }
            let _ = writeln!(selections, "      </PlainTextSelection>");
        }
        pos += len;
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Project xmlns=\"{PROJECT_NS}\" name=\"{}\" origin=\"canvass {}\">\n  <CodeBook>\n{}  </CodeBook>\n  <Sources>\n    <TextSource guid=\"{}\" name=\"{}\">\n      <PlainTextContent>{}</PlainTextContent>\n{selections}    </TextSource>\n  </Sources>\n</Project>\n",
        escape(name),
        env!("CARGO_PKG_VERSION"),
        codes(t, "    "),
        guid("source", question),
        escape(question),
        escape(&content),
    )
}

/// The `.qdpx` archive: `project.qde`, stored, dated 1980-01-01 so the bytes do not change.
/// `out` is the file it is for, named in an error.
pub fn qdpx(out: &Path, project_xml: &str) -> Result<Vec<u8>> {
    use std::io::Write;
    let failed = |e: &dyn std::fmt::Display| {
        Error::io(
            out,
            std::io::Error::other(format!("cannot write its part project.qde: {e}")),
        )
    };
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .last_modified_time(zip::DateTime::default());
    w.start_file("project.qde", opts).map_err(|e| failed(&e))?;
    w.write_all(project_xml.as_bytes())
        .map_err(|e| failed(&e))?;
    Ok(w.finish().map_err(|e| failed(&e))?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guids_are_stable_uuid_v8_and_differ_by_name() {
        let g = guid("code", "staff-morale");
        assert_eq!(g, guid("code", "staff-morale"));
        assert_ne!(g, guid("code", "workload"));
        assert_eq!(g.len(), 36);
        assert_eq!(&g[14..15], "8");
        assert!(matches!(&g[19..20], "8" | "9" | "a" | "b"), "{g}");
    }

    #[test]
    fn escapes_markup_and_control_characters() {
        assert_eq!(
            escape("a<b & \"c\"\u{1}\n"),
            "a&lt;b &amp; &quot;c&quot;\u{FFFD}\n"
        );
    }
}
