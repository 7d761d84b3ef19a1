//! The WordprocessingML of summary.docx: the package's fixed parts and a builder for the body
//! (headings, paragraphs, block quotes, tables, pictures). Every piece of text goes through
//! `text`, which escapes it and removes what XML 1.0 cannot hold.

use std::fmt::Write;

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

pub const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>"#;

pub const PACKAGE_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/></Relationships>"#;

/// Document properties: the title and author, and deliberately no created or modified date,
/// which would change the bytes on every run.
pub fn core(title: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>{}</dc:title><dc:creator>canvass</dc:creator></cp:coreProperties>"#,
        text(title)
    )
}

pub fn app(tool: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>{}</Application></Properties>"#,
        text(tool)
    )
}

/// The styles part first, then one image relationship per chart (`rIdChartN`).
pub fn document_rels(images: usize) -> String {
    let mut s = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>"#,
    );
    for k in 1..=images {
        let _ = write!(
            s,
            r#"<Relationship Id="rIdChart{k}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/chart{k}.png"/>"#
        );
    }
    s.push_str("</Relationships>");
    s
}

/// Styles Word and LibreOffice both know by id: Normal, Title, Heading1–3, Quote, and a
/// "Note" for the muted lines, a table style with borders and a repeated header row.
pub const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Calibri" w:hAnsi="Calibri" w:eastAsia="Calibri" w:cs="Calibri"/><w:sz w:val="22"/><w:szCs w:val="22"/><w:lang w:val="en-GB"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="264" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style><w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:spacing w:after="60"/></w:pPr><w:rPr><w:b/><w:sz w:val="40"/><w:szCs w:val="40"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="360" w:after="120"/><w:pBdr><w:bottom w:val="single" w:sz="4" w:space="1" w:color="DDDDDD"/></w:pBdr><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:sz w:val="30"/><w:szCs w:val="30"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="240" w:after="60"/><w:outlineLvl w:val="1"/></w:pPr><w:rPr><w:b/><w:sz w:val="24"/><w:szCs w:val="24"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Lead"><w:name w:val="Lead"/><w:basedOn w:val="Normal"/><w:qFormat/><w:rPr><w:sz w:val="24"/><w:szCs w:val="24"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Note"><w:name w:val="Note"/><w:basedOn w:val="Normal"/><w:qFormat/><w:rPr><w:color w:val="595959"/><w:sz w:val="19"/><w:szCs w:val="19"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Quote"><w:name w:val="Quote"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepLines/><w:pBdr><w:left w:val="single" w:sz="18" w:space="8" w:color="92C5DE"/></w:pBdr><w:ind w:left="567"/></w:pPr><w:rPr><w:color w:val="333333"/></w:rPr></w:style><w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style><w:style w:type="table" w:styleId="Figures"><w:name w:val="Figures"/><w:basedOn w:val="TableNormal"/><w:pPr><w:spacing w:after="0"/></w:pPr><w:rPr><w:sz w:val="19"/><w:szCs w:val="19"/></w:rPr><w:tblPr><w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="BFBFBF"/><w:bottom w:val="single" w:sz="4" w:space="0" w:color="BFBFBF"/><w:insideH w:val="single" w:sz="4" w:space="0" w:color="E5E5E5"/></w:tblBorders><w:tblCellMar><w:top w:w="40" w:type="dxa"/><w:left w:w="80" w:type="dxa"/><w:bottom w:w="40" w:type="dxa"/><w:right w:w="80" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style></w:styles>"#;

/// Escapes text for element content and attributes (see [`crate::xml`]); tabs and line
/// breaks become spaces, as in the HTML.
pub fn text(s: &str) -> String {
    crate::xml::escape(s, crate::xml::Breaks::Spaces)
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// A table cell's words: a line of text and, below it, an optional muted note (an item's id).
pub struct CellText {
    text: String,
    note: String,
}

impl CellText {
    pub fn with_note(text: &str, note: &str) -> CellText {
        CellText {
            text: text.to_string(),
            note: note.to_string(),
        }
    }
}

impl From<String> for CellText {
    fn from(text: String) -> CellText {
        CellText {
            text,
            note: String::new(),
        }
    }
}

impl From<&str> for CellText {
    fn from(text: &str) -> CellText {
        text.to_string().into()
    }
}

/// Width of the text on an A4 page with 2 cm margins, in twentieths of a point and in EMU.
const TEXT_TWIPS: u32 = 11906 - 2 * 1134;
const TEXT_EMU: u64 = TEXT_TWIPS as u64 * 635;

/// The body of word/document.xml, built paragraph by paragraph.
#[derive(Default)]
pub struct Body {
    xml: String,
}

impl Body {
    fn paragraph(&mut self, style: &str, extra_ppr: &str, runs: &str) {
        let _ = write!(
            self.xml,
            r#"<w:p><w:pPr><w:pStyle w:val="{style}"/>{extra_ppr}</w:pPr>{runs}</w:p>"#
        );
    }

    pub fn title(&mut self, s: &str) {
        self.paragraph("Title", "", &run(s, false));
    }

    /// A section heading; `new_page` starts a major section on a new page, as the HTML's
    /// print stylesheet does.
    pub fn heading(&mut self, level: u8, s: &str, new_page: bool) {
        let style = format!("Heading{level}");
        let ppr = if new_page { "<w:pageBreakBefore/>" } else { "" };
        self.paragraph(&style, ppr, &run(s, false));
    }

    pub fn lead(&mut self, s: &str) {
        self.paragraph("Lead", "", &run(s, false));
    }

    pub fn para(&mut self, s: &str) {
        self.paragraph("Normal", "", &run(s, false));
    }

    pub fn muted(&mut self, s: &str) {
        if !s.is_empty() {
            self.paragraph("Note", "", &run(s, false));
        }
    }

    /// A respondent's words, as a block quote.
    pub fn quote(&mut self, s: &str) {
        self.paragraph("Quote", "", &run(s, false));
    }

    /// A picture as wide as the text, its height in proportion (`k` numbers its relationship).
    pub fn image(&mut self, k: usize, png: &[u8], alt: &str) {
        let (w, h) = png_size(png).unwrap_or((4, 1));
        let cx = TEXT_EMU;
        let cy = TEXT_EMU * u64::from(h) / u64::from(w.max(1));
        let alt = text(alt);
        let _ = write!(
            self.xml,
            r#"<w:p><w:pPr><w:keepNext/></w:pPr><w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{cx}" cy="{cy}"/><wp:docPr id="{k}" name="Chart {k}" descr="{alt}"/><wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic><pic:nvPicPr><pic:cNvPr id="{k}" name="chart{k}.png" descr="{alt}"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed="rIdChart{k}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"#
        );
    }

    /// A table across the text width: a bold header row repeated on every page, the first
    /// column (labels) left-aligned and wider, the figures right-aligned; rows listed in
    /// `bold` in bold (significant changes).
    pub fn table(&mut self, header: &[&str], rows: &[Vec<CellText>], bold: &[usize]) {
        let columns = header.len().max(1) as u32;
        // The label column takes twice a figure column's share.
        let unit = TEXT_TWIPS / (columns + 1);
        let widths: Vec<u32> = (0..columns)
            .map(|c| {
                if c == 0 {
                    TEXT_TWIPS - unit * (columns - 1)
                } else {
                    unit
                }
            })
            .collect();
        let _ = write!(
            self.xml,
            r#"<w:tbl><w:tblPr><w:tblStyle w:val="Figures"/><w:tblW w:w="{TEXT_TWIPS}" w:type="dxa"/><w:tblLayout w:type="fixed"/><w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>"#
        );
        for w in &widths {
            let _ = write!(self.xml, r#"<w:gridCol w:w="{w}"/>"#);
        }
        self.xml.push_str("</w:tblGrid>");
        self.xml
            .push_str(r#"<w:tr><w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>"#);
        for (c, h) in header.iter().enumerate() {
            self.cell(widths[c], align(c), &CellText::from(*h), true);
        }
        self.xml.push_str("</w:tr>");
        for (r, row) in rows.iter().enumerate() {
            self.xml
                .push_str(r#"<w:tr><w:trPr><w:cantSplit/></w:trPr>"#);
            for (c, cell) in row.iter().enumerate() {
                let width = widths.get(c).copied().unwrap_or(unit);
                self.cell(width, align(c), cell, bold.contains(&r));
            }
            self.xml.push_str("</w:tr>");
        }
        // Word needs a paragraph between two tables, and the gap reads better anyway.
        self.xml.push_str("</w:tbl><w:p/>");
    }

    fn cell(&mut self, width: u32, align: Align, cell: &CellText, bold: bool) {
        let jc = match align {
            Align::Left => "",
            Align::Right => r#"<w:jc w:val="right"/>"#,
        };
        let _ = write!(
            self.xml,
            r#"<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr><w:p><w:pPr><w:spacing w:after="0"/>{jc}</w:pPr>{}</w:p>"#,
            run(&cell.text, bold)
        );
        if !cell.note.is_empty() {
            let _ = write!(
                self.xml,
                r#"<w:p><w:pPr><w:pStyle w:val="Note"/><w:spacing w:after="0"/>{jc}</w:pPr>{}</w:p>"#,
                run(&cell.note, false)
            );
        }
        self.xml.push_str("</w:tc>");
    }

    /// word/document.xml: the body and an A4 page with 2 cm margins.
    pub fn finish(self) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="{W}" xmlns:r="{R}" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><w:body>{}<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1134" w:header="567" w:footer="567" w:gutter="0"/></w:sectPr></w:body></w:document>"#,
            self.xml
        )
    }
}

fn align(column: usize) -> Align {
    if column == 0 {
        Align::Left
    } else {
        Align::Right
    }
}

/// A run of text (kept whole: `xml:space="preserve"` keeps its spaces).
fn run(s: &str, bold: bool) -> String {
    let rpr = if bold { "<w:rPr><w:b/></w:rPr>" } else { "" };
    format!(
        r#"<w:r>{rpr}<w:t xml:space="preserve">{}</w:t></w:r>"#,
        text(s)
    )
}

/// Width and height of a PNG, from its IHDR chunk.
fn png_size(png: &[u8]) -> Option<(u32, u32)> {
    let word = |at: usize| -> Option<u32> {
        Some(u32::from_be_bytes(png.get(at..at + 4)?.try_into().ok()?))
    };
    (png.get(12..16)? == b"IHDR").then_some(())?;
    Some((word(16)?, word(20)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_xml_safe() {
        assert_eq!(
            text("<script>alert(1)</script> & ]]> \"x\" 'y'"),
            "&lt;script&gt;alert(1)&lt;/script&gt; &amp; ]]&gt; &quot;x&quot; &apos;y&apos;"
        );
        assert_eq!(text("\ta\r\nb\u{7}c"), " a  b\u{FFFD}c");
        assert_eq!(text("مرحبا 👍"), "مرحبا 👍");
    }

    #[test]
    fn every_fixed_part_and_a_body_parse_as_xml() {
        let mut b = Body::default();
        b.title("T <&>");
        b.heading(1, "H", true);
        b.quote("=HYPERLINK(\"http://evil\",\"x\")");
        b.table(
            &["Item", "n"],
            &[vec![CellText::with_note("a & b", "q1"), "3".into()]],
            &[0],
        );
        let document = b.finish();
        for part in [
            CONTENT_TYPES.to_string(),
            PACKAGE_RELS.to_string(),
            STYLES.to_string(),
            core("A <title>"),
            app("canvass 0.1.0"),
            document_rels(2),
            document,
        ] {
            if let Err(e) = resvg::usvg::roxmltree::Document::parse(&part) {
                panic!("{e}: {part}");
            }
        }
    }

    #[test]
    fn png_size_reads_the_header() {
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        png.extend(640u32.to_be_bytes());
        png.extend(200u32.to_be_bytes());
        assert_eq!(png_size(&png), Some((640, 200)));
        assert_eq!(png_size(b"not a png"), None);
    }
}
