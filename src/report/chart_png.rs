//! The item charts as PNG images, for summary.docx: the bars, headings and scales the HTML
//! draws (`charts::bar_shapes`, `charts::axis_texts`), put into one SVG with the legend and the
//! item labels as text, and rasterised with resvg.
//!
//! The text is set in one embedded font (a subset of DejaVu Sans, `font/`) and the system's
//! fonts are never loaded, so the PNG's bytes do not depend on the machine that made them.

use super::charts::{self, ChartItem, Layout, AXIS, NOT_AN_OPINION, ROW};
use crate::config::{ReportOptions, ResponseScale};
use crate::error::{Error, Result};
use resvg::{tiny_skia, usvg};
use std::fmt::Write;
use std::path::Path;

/// DejaVu Sans (Bitstream Vera licence; DejaVu changes public domain), cut to Latin, general
/// punctuation, arrows and geometric shapes: 90 KB instead of 740 KB.
const FONT: &[u8] = include_bytes!("font/DejaVuSans-subset.ttf");
const FAMILY: &str = "DejaVu Sans";

/// Width of the label column and the gap before the bars, in the chart's units.
const LABEL_WIDTH: f64 = 560.0;
const LABEL_GAP: f64 = 24.0;
/// Label text: size, line height, and characters per line. DejaVu Sans averages a little over
/// half an em per character, so 22 px text fits about 42 characters in the label column.
const LABEL_SIZE: f64 = 22.0;
const LINE: f64 = 26.0;
const LABEL_CHARS: usize = 42;
const PAD: f64 = 6.0;
/// Pixels per chart unit: a chart about 1,300 units wide becomes a 1,950-pixel image, sharp
/// when a 16 cm wide page is printed at 300 dpi.
const SCALE: f32 = 1.5;

/// The chart of one response scale's items as one self-contained SVG.
pub fn chart_svg(scale: &ResponseScale, items: &[ChartItem], options: &ReportOptions) -> String {
    let items = charts::ordered(items, options);
    let bars: Vec<Vec<charts::Segment>> = items
        .iter()
        .map(|i| charts::segments(scale, i.summary, options.neutral))
        .collect();
    let layout = Layout::of(&bars, scale, options.neutral);
    let bars_x = LABEL_WIDTH + LABEL_GAP;
    let width = bars_x + layout.width();
    let mut body = String::new();
    let mut y = legend(scale, width, &mut body);
    let _ = write!(
        body,
        r#"<g transform="translate({bars_x:.0} {y:.0})">{}</g>"#,
        charts::axis_texts(&layout, scale, true)
    );
    y += AXIS;
    for (item, bar) in items.iter().zip(&bars) {
        let lines = wrap(item.text, LABEL_CHARS);
        let height = (lines.len() as f64 * LINE).max(ROW) + 2.0 * PAD;
        // The label's lines centred on the row, as the HTML centres its label and bar.
        let first = y + (height - lines.len() as f64 * LINE) / 2.0 + LINE * 0.75;
        let _ = write!(
            body,
            r##"<text font-size="{LABEL_SIZE:.0}" fill="#1b1b1b">"##
        );
        for (k, line) in lines.iter().enumerate() {
            let _ = write!(
                body,
                r#"<tspan x="0" y="{:.1}">{}</tspan>"#,
                first + k as f64 * LINE,
                charts::escape(line)
            );
        }
        body.push_str("</text>");
        let bar_y = y + (height - ROW) / 2.0;
        if item.summary.pct_agree.is_some() {
            let _ = write!(
                body,
                r#"<g transform="translate({bars_x:.0} {bar_y:.1})">{}</g>"#,
                charts::bar_shapes(bar, &layout)
            );
        } else {
            let _ = write!(
                body,
                r##"<text x="{bars_x:.0}" y="{:.1}" font-size="{LABEL_SIZE:.0}" fill="#595959">{}</text>"##,
                bar_y + ROW * 0.75,
                super::text::NO_ANSWERS
            );
        }
        y += height;
    }
    let _ = write!(
        body,
        r#"<g transform="translate({bars_x:.0} {y:.0})">{}</g>"#,
        charts::axis_texts(&layout, scale, false)
    );
    y += AXIS + PAD;
    // Text defaults as the HTML's stylesheet sets them for the charts (24 px, #333).
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0}" height="{y:.0}" viewBox="0 0 {width:.0} {y:.0}"><rect width="100%" height="100%" fill="#ffffff"/><g font-family="{FAMILY}" font-size="24" fill="#333">{body}</g></svg>"##
    )
}

/// The legend (a swatch and the option's label, in lines as wide as the chart); returns the
/// height it takes.
fn legend(scale: &ResponseScale, width: f64, out: &mut String) -> f64 {
    let keys = charts::palette(scale.labels.len())
        .into_iter()
        .zip(&scale.labels)
        .chain(
            NOT_AN_OPINION
                .iter()
                .copied()
                .cycle()
                .zip(&scale.non_substantive),
        );
    let (size, swatch) = (20.0, 18.0);
    let (mut x, mut y) = (0.0, PAD);
    for (colour, label) in keys {
        let w = swatch + 8.0 + label.chars().count() as f64 * size * 0.6 + 28.0;
        if x > 0.0 && x + w > width {
            x = 0.0;
            y += LINE + 4.0;
        }
        let _ = write!(
            out,
            r##"<rect x="{x:.0}" y="{:.0}" width="{swatch:.0}" height="{swatch:.0}" fill="{colour}" stroke="#bbbbbb"/><text x="{:.0}" y="{:.0}" font-size="{size:.0}">{}</text>"##,
            y + 4.0,
            x + swatch + 8.0,
            y + 20.0,
            charts::escape(label)
        );
        x += w;
    }
    y + LINE + 12.0
}

/// Words in lines of at most `width` characters; a longer word is cut, so that no label runs
/// into the bars.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let mut word: Vec<char> = word.chars().collect();
        while word.len() > width {
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            lines.push(word.drain(..width).collect());
        }
        let word: String = word.into_iter().collect();
        let len = line.chars().count();
        if len > 0 && len + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// An SVG as PNG bytes, its text set in the embedded font only. `document` is the file the
/// image goes into, named in an error.
pub fn png(document: &Path, svg: &str) -> Result<Vec<u8>> {
    let failed = |what: String| {
        Error::io(
            document,
            std::io::Error::other(format!("cannot draw a chart image: {what}")),
        )
    };
    let mut options = usvg::Options {
        font_family: FAMILY.into(),
        ..usvg::Options::default()
    };
    // The default database is empty (system fonts are a feature left off): the embedded font is
    // the only one, for every generic family too.
    let db = options.fontdb_mut();
    db.load_font_data(FONT.to_vec());
    db.set_sans_serif_family(FAMILY);
    db.set_serif_family(FAMILY);
    db.set_monospace_family(FAMILY);
    let tree =
        usvg::Tree::from_str(svg, &options).map_err(|e| failed(format!("chart SVG: {e}")))?;
    let size = tree.size();
    let (w, h) = (
        (size.width() * SCALE).ceil() as u32,
        (size.height() * SCALE).ceil() as u32,
    );
    let mut pixmap =
        tiny_skia::Pixmap::new(w, h).ok_or_else(|| failed(format!("{w} × {h} pixels")))?;
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(SCALE, SCALE),
        &mut pixmap.as_mut(),
    );
    png_bytes(pixmap).map_err(|e| failed(format!("chart PNG: {e}")))
}

/// The pixmap as a PNG file, every row filtered with "Up". tiny-skia's own `encode_png` tries
/// all five filters on every row and keeps the best, which took most of a report's image time;
/// on these flat-coloured charts one filter makes files within a few per cent of its size
/// (the example's largest chart: 133 kB against 130 kB).
fn png_bytes(pixmap: tiny_skia::Pixmap) -> Result<Vec<u8>, png::EncodingError> {
    let (width, height) = (pixmap.width(), pixmap.height());
    let rgba = pixmap.take_demultiplied();
    let mut data = Vec::new();
    let mut encoder = png::Encoder::new(&mut data, width, height);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Balanced);
    encoder.set_filter(png::Filter::Up);
    encoder.write_header()?.write_image_data(&rgba)?;
    Ok(data)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::likert::tests::agree5;
    use crate::score::likert::{summarise, ItemCounts};

    fn summary() -> crate::score::likert::ItemSummary {
        let counts = ItemCounts {
            options: vec![1, 1, 2, 2, 4],
            non_substantive: vec![1],
            missing: 0,
            unknown: 0,
            not_shown: 0,
            weights: None,
            weight_sq: 0.0,
        };
        summarise(&agree5(), &counts, 0.95)
    }

    #[test]
    fn labels_wrap_at_words_and_long_words_are_cut() {
        assert_eq!(wrap("one two three", 7), ["one two", "three"]);
        assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(wrap("", 4), [""]);
        assert!(wrap(&"x".repeat(500), LABEL_CHARS)
            .iter()
            .all(|l| l.chars().count() <= LABEL_CHARS));
    }

    #[test]
    fn the_png_is_the_same_bytes_every_time_and_its_text_is_drawn() {
        let sum = summary();
        let item = ChartItem {
            id: "q",
            text: "Leaders <b>& staff</b> ]]> agree",
            summary: &sum,
        };
        let svg = chart_svg(&agree5(), &[item], &ReportOptions::default());
        // The HTML's bar shapes, as they are, and the label escaped.
        assert!(
            svg.contains("<title>Strongly agree: 4 (40.0%)</title>"),
            "{svg}"
        );
        assert!(svg.contains("Leaders &lt;b&gt;&amp; staff&lt;/b&gt; ]]&gt; agree"));
        let a = png(Path::new("summary.docx"), &svg).unwrap();
        let b = png(Path::new("summary.docx"), &svg).unwrap();
        assert!(a == b);
        assert_eq!(&a[..8], b"\x89PNG\r\n\x1a\n");
        // Without any text the image differs: the embedded font drew the words.
        let no_text = svg.replace("<text", "<desc").replace("</text>", "</desc>");
        assert!(
            png(Path::new("summary.docx"), &no_text).unwrap() != a,
            "no text was drawn"
        );
    }

    #[test]
    fn the_embedded_font_draws_the_charts_arrows() {
        let draw = |c: &str| {
            png(Path::new("summary.docx"), &format!(
                r#"<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><text x="5" y="30" font-size="30">{c}</text></svg>"#
            ))
            .unwrap()
        };
        // A missing glyph would be drawn as the same empty box for both arrows.
        let (left, right, blank) = (draw("◀"), draw("▶"), draw(""));
        assert!(left != right && left != blank && right != blank);
    }
}
