//! summary.docx: the summary as a Word document, written part by part with the `zip` crate.
//!
//! Its words and figures are the variables the HTML and Markdown templates receive (the
//! report's context, read here as the typed value the templates get it from: a renamed field
//! does not compile, rather than silently emptying a paragraph), laid out as summary.html lays
//! them out, so the document cannot say what the HTML does not. The charts are PNG images of the HTML's charts (`chart_png`).
//!
//! docx-rs was not used: it stamps the current time into the package and pulls in the `image`
//! crate; the few parts a document needs (content types, relationships, styles, the body) are
//! short, and written here every byte is fixed: zip entries are dated 1980-01-01 and the
//! document properties carry no date at all.

use super::changes::ChangesSection;
use super::docx_xml::{self as xml, Body};
use super::themes::{LearnedSection, ThemeRow, ThemesSection};
use super::{Context, ItemRow, Notes, ScaleRow};
use crate::error::{Error, Result};
use std::io::Write;
use std::path::Path;
use zip::write::SimpleFileOptions;

/// A chart image: what it shows (a response scale's name, or a question's text, for its
/// alternative text), the choice or number question it belongs to, and the PNG.
pub struct Image {
    pub scale: String,
    /// `choice:<id>` or `number:<id>` for a question's chart; `None` for the items' charts.
    pub question: Option<String>,
    pub png: Vec<u8>,
}

/// The image of a question's chart, with its number in the document.
fn question_image<'a>(images: &'a [Image], key: &str) -> Option<(usize, &'a Image)> {
    images
        .iter()
        .enumerate()
        .find(|(_, i)| i.question.as_deref() == Some(key))
        .map(|(k, i)| (k + 1, i))
}

/// The document's bytes, from the report's context (the templates' variables) and the charts.
/// `file` is where it will be written, named in an error.
pub(super) fn document(file: &Path, ctx: &Context, images: &[Image]) -> Result<Vec<u8>> {
    let failed = |what: String| Error::render(file, "the Word document", what);
    let body = body(ctx, images);
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    let mut part = |name: &str, bytes: &[u8]| -> Result<()> {
        w.start_file(name, options)
            .and_then(|()| w.write_all(bytes).map_err(Into::into))
            .map_err(|e| failed(format!("cannot write its part {name}: {e}")))
    };
    part("[Content_Types].xml", xml::CONTENT_TYPES.as_bytes())?;
    part("_rels/.rels", xml::PACKAGE_RELS.as_bytes())?;
    part("docProps/core.xml", xml::core(&ctx.title).as_bytes())?;
    part("docProps/app.xml", xml::app(&ctx.tool).as_bytes())?;
    part("word/styles.xml", xml::STYLES.as_bytes())?;
    part(
        "word/_rels/document.xml.rels",
        xml::document_rels(images.len()).as_bytes(),
    )?;
    part("word/document.xml", body.as_bytes())?;
    for (k, image) in images.iter().enumerate() {
        part(&format!("word/media/chart{}.png", k + 1), &image.png)?;
    }
    w.finish()
        .map(std::io::Cursor::into_inner)
        .map_err(|e| failed(format!("cannot finish the archive: {e}")))
}

/// The body, section by section as summary.html.j2 has them.
fn body(ctx: &Context, images: &[Image]) -> String {
    let mut w = BodyWriter {
        ctx,
        images,
        b: Body::default(),
        notes: &ctx.notes,
    };
    w.summary();
    w.items();
    w.choices();
    w.numbers();
    w.rankings();
    w.scales();
    w.segments();
    if let Some(d) = &ctx.differences {
        w.b.heading(1, "Differences between groups", false);
        for s in &d.sentences {
            w.b.para(s);
        }
        w.b.muted(&d.note);
    }
    if let Some(weights) = &ctx.weights {
        w.b.heading(1, "Weights", false);
        w.b.para(&weights.text);
    }
    if let Some(t) = &ctx.themes {
        w.themes(t, "What respondents said");
    }
    for t in &ctx.more_themes {
        let heading = format!("What respondents said: “{}”", t.question);
        w.themes(t, &heading);
    }
    if let Some(c) = &ctx.changes {
        let heading = format!("Change since {}", c.before);
        w.changes(c, &heading);
    }
    if let Some(t) = &ctx.trends {
        w.trends(t);
    }
    if let Some(c) = &ctx.since_first {
        let heading = format!("Change since {} (the first wave)", c.before);
        w.changes(c, &heading);
    }
    w.about();
    w.b.finish()
}

/// The body being written, with the context every section reads.
struct BodyWriter<'a> {
    ctx: &'a Context,
    /// The charts as PNG, numbered in this order in the document.
    images: &'a [Image],
    b: Body,
    notes: &'a Notes,
}

impl BodyWriter<'_> {
    fn ci_header(&self) -> String {
        format!("{}% CI", self.ctx.confidence)
    }

    /// The title block and the Summary section.
    fn summary(&mut self) {
        let (ctx, b) = (self.ctx, &mut self.b);
        b.title(&ctx.title);
        b.muted(&format!(
            "{} · {} · produced by {}",
            ctx.wave, ctx.kept_phrase, ctx.tool
        ));

        b.heading(1, "Summary", false);
        b.lead(&ctx.opening);
        for s in &ctx.headlines {
            b.lead(s);
        }
        let changes = [&ctx.changes, &ctx.since_first].into_iter().flatten();
        let trends = ctx.trends.iter().map(|t| &t.sentences);
        for sentences in changes.map(|c| &c.sentences).chain(trends) {
            for s in sentences {
                b.para(s);
            }
        }
        if let Some(t) = ctx.themes.as_ref().filter(|t| !t.most_common.is_empty()) {
            b.para(&format!(
                "Asked “{}”, {}. {}.",
                t.question, t.commenters, t.most_common
            ));
        }
    }

    fn items(&mut self) {
        let (ctx, images) = (self.ctx, self.images);
        if ctx.items.is_empty() {
            if ctx.choices.is_empty() && ctx.numbers.is_empty() {
                self.b.heading(1, "Items", true);
                self.b.para("The survey definition has no rating (Likert) items, so there are no agreement figures.");
            }
            return;
        }
        self.b.heading(1, "Items", true);
        self.b.muted(&self.notes.items);
        for (k, image) in images.iter().enumerate() {
            if image.question.is_some() {
                continue;
            }
            let alt = format!(
                "Diverging bar chart of the items answered on the scale {}: disagreement left of zero, agreement right. The table below gives every figure.",
                image.scale
            );
            self.b.image(k + 1, &image.png, &alt);
        }
        let ci = self.ci_header();
        let rows: Vec<Vec<xml::CellText>> = ctx.items.iter().map(item_row).collect();
        self.b
            .table(&["Item", "n", "% agree", &ci, "Mean"], &rows, &[]);
    }

    /// Each choice question: its sentence and base, then a table of its options (nets last).
    fn choices(&mut self) {
        let choices = &self.ctx.choices;
        if choices.is_empty() {
            return;
        }
        self.b.heading(1, "Choices", true);
        self.b.muted("Each option’s share of the respondents who answered the question, with its Wilson confidence interval. In a “tick all that apply” question the shares add up to more than 100.");
        let ci = self.ci_header();
        for c in choices {
            self.b.heading(2, &c.text, false);
            self.b.para(&c.sentence);
            if let Some((k, image)) = question_image(self.images, &format!("choice:{}", c.id)) {
                let alt = format!("Bar chart of the options of “{}”, most chosen first. The table below gives every figure.", image.scale);
                self.b.image(k, &image.png, &alt);
            }
            self.b.muted(&format!("{} · {} · {}", c.id, c.kind, c.base));
            let rows: Vec<Vec<xml::CellText>> = c
                .rows
                .iter()
                .map(|r| {
                    let option = if r.net {
                        format!("{} (any of these)", r.option)
                    } else {
                        r.option.clone()
                    };
                    vec![
                        option.into(),
                        r.count.to_string().into(),
                        r.pct.as_str().into(),
                        r.ci.as_str().into(),
                    ]
                })
                .collect();
            self.b.table(&["Option", "n", "%", &ci], &rows, &[]);
        }
    }

    /// The number questions: a sentence each, then one table.
    fn numbers(&mut self) {
        let numbers = &self.ctx.numbers;
        if numbers.is_empty() {
            return;
        }
        self.b.heading(1, "Numbers", true);
        for q in numbers {
            self.b.para(&q.sentence);
            if let Some((k, image)) = question_image(self.images, &format!("number:{}", q.id)) {
                let alt = format!(
                    "Histogram of the answers to “{}”. The table below gives every figure.",
                    image.scale
                );
                self.b.image(k, &image.png, &alt);
            }
        }
        let rows: Vec<Vec<xml::CellText>> = numbers
            .iter()
            .map(|q| {
                [
                    &q.text,
                    &q.n.to_string(),
                    &q.mean,
                    &q.sd,
                    &q.min,
                    &q.q1,
                    &q.median,
                    &q.q3,
                    &q.max,
                ]
                .iter()
                .map(|v| v.as_str().into())
                .collect()
            })
            .collect();
        self.b.table(
            &[
                "Question", "n", "Mean", "SD", "Min", "Q1", "Median", "Q3", "Max",
            ],
            &rows,
            &[],
        );
    }

    /// The ranking questions: a sentence and a table each.
    fn rankings(&mut self) {
        let rankings = &self.ctx.rankings;
        if rankings.is_empty() {
            return;
        }
        self.b.heading(1, "Rankings", true);
        for r in rankings {
            self.b.heading(2, &r.text, false);
            self.b.para(&r.sentence);
            let rows: Vec<Vec<xml::CellText>> = r
                .rows
                .iter()
                .map(|o| {
                    [
                        &o.option,
                        &o.n.to_string(),
                        &o.mean_rank,
                        &o.first.to_string(),
                        &o.pct_first,
                    ]
                    .iter()
                    .map(|v| v.as_str().into())
                    .collect()
                })
                .collect();
            self.b.table(
                &["Ranked", "n", "Mean rank", "Ranked first", "% first"],
                &rows,
                &[],
            );
        }
    }

    fn scales(&mut self) {
        let scales = &self.ctx.scales;
        if scales.is_empty() {
            return;
        }
        self.b.heading(1, "Scales", true);
        self.b.muted(&self.notes.scales);
        let ci = self.ci_header();
        let rows: Vec<Vec<xml::CellText>> = scales.iter().map(scale_row).collect();
        self.b.table(
            &[
                "Scale",
                "n",
                "Mean",
                "SD",
                "Alpha",
                &ci,
                "Std. alpha",
                "Mean r",
            ],
            &rows,
            &[],
        );
    }

    fn segments(&mut self) {
        for seg in &self.ctx.segments {
            self.b.heading(1, &seg.heading, false);
            if seg.all_suppressed {
                self.b.para(&seg.all_suppressed_sentence);
                continue;
            }
            if seg.any_hidden {
                self.b.muted(&self.notes.segments);
            } else {
                self.b.muted("Every item is broken down in segments.csv.");
            }
            let mut header = vec![seg.name.as_str(), "n"];
            header.extend(seg.columns.iter().map(String::as_str));
            let rows: Vec<Vec<xml::CellText>> = seg
                .rows
                .iter()
                .map(|r| {
                    let mut row = vec![r.group.as_str().into(), r.n.as_str().into()];
                    row.extend(cells(&r.cells));
                    row
                })
                .collect();
            self.b.table(&header, &rows, &[]);
            if !seg.legend.is_empty() {
                self.b.muted(&seg.legend);
            }
        }
    }

    /// "What respondents said": the method, any learned coding, then each theme.
    fn themes(&mut self, t: &ThemesSection, heading: &str) {
        let b = &mut self.b;
        b.heading(1, heading, true);
        let mut intro = format!("“{}”: {}. {}.", t.question, t.counts_detailed, t.method);
        if !t.listed.is_empty() {
            intro.push_str(" Names and contact details are removed from them.");
        } else if !t.themes.is_empty() {
            intro.push_str(" Quotes are the comments nearest each theme’s centre, with names and contact details removed.");
        }
        if !t.tone_method.is_empty() {
            intro.push_str(&format!(" {}.", t.tone_method));
        }
        b.para(&intro);
        if let Some(l) = &t.learned {
            self.learned(l);
        }
        for q in &t.listed {
            self.b.quote(q);
        }
        for th in &t.themes {
            self.theme(th);
        }
    }

    /// The learned coding's method, its agreement with the hand-coded sample, and what to review.
    fn learned(&mut self, l: &LearnedSection) {
        let b = &mut self.b;
        b.para(&format!("{}.", l.method));
        b.para(&format!("{}.", l.agreement));
        let rows: Vec<Vec<xml::CellText>> = l
            .themes
            .iter()
            .map(|r| {
                [
                    &r.theme,
                    &r.in_sample.to_string(),
                    &r.precision,
                    &r.recall,
                    &r.f1,
                    &r.kappa,
                ]
                .iter()
                .map(|v| v.as_str().into())
                .collect()
            })
            .collect();
        b.table(
            &["Theme", "Coded by hand", "Precision", "Recall", "F1", "κ"],
            &rows,
            &[],
        );
        if !l.review.is_empty() {
            b.para(&format!("{}:", l.review_heading));
            for r in &l.review {
                b.quote(&format!("{} ({}): {}", r.label, r.confidence, r.text));
            }
        }
    }

    fn theme(&mut self, th: &ThemeRow) {
        let b = &mut self.b;
        let kind = if th.codebook {
            " · codebook theme"
        } else if th.learned {
            " · learned theme"
        } else {
            ""
        };
        b.heading(
            2,
            &format!(
                "{}. {} — {} ({}%){kind}",
                th.rank, th.label, th.size_phrase, th.pct_comments,
            ),
            false,
        );
        let mut words = format!(
            "{}: {}",
            if th.codebook { "Phrases" } else { "Key words" },
            th.keywords
        );
        if !th.tone.is_empty() {
            words.push_str(&format!(". Tone: {}", th.tone));
        }
        b.muted(&words);
        for q in &th.quotes {
            b.quote(q);
        }
    }

    /// "Change since …": items then scales, the significant changes in bold.
    fn changes(&mut self, c: &ChangesSection, heading: &str) {
        let (before, after) = (c.before.as_str(), c.after.as_str());
        self.b.heading(1, heading, true);
        if c.rows.is_empty() && c.scale_rows.is_empty() {
            // The note says why nothing is compared: no table of headers alone.
            self.b.muted(&c.note);
            return;
        }
        let mut bold = Vec::new();
        let mut rows: Vec<Vec<xml::CellText>> = Vec::new();
        for r in c.rows.iter().chain(&c.scale_rows) {
            if r.significant {
                bold.push(rows.len());
            }
            rows.push(
                [
                    &r.label,
                    &r.before,
                    &r.after,
                    &r.change,
                    &r.test,
                    &r.ci,
                    &r.p_adjusted,
                ]
                .iter()
                .map(|v| v.as_str().into())
                .collect(),
            );
        }
        self.b.table(
            &[
                "Question",
                before,
                after,
                "Change",
                "Test",
                &c.ci_header,
                "Adjusted p",
            ],
            &rows,
            &bold,
        );
        self.b.muted(&c.note);
        if !c.returning_rows.is_empty() {
            self.b.heading(2, "Returning and new respondents", false);
            self.b.muted(&format!(
                "Agreement among this wave’s respondents who answered {before} too (returning) and those who did not (new); a group of fewer than {} shows no figure.",
                self.ctx.suppress_below
            ));
            let rows: Vec<Vec<xml::CellText>> = c
                .returning_rows
                .iter()
                .map(|r| {
                    [&r.label, &r.returning, &r.new]
                        .iter()
                        .map(|v| v.as_str().into())
                        .collect()
                })
                .collect();
            self.b.table(&["Question", "Returning", "New"], &rows, &[]);
        }
    }

    fn trends(&mut self, t: &super::trends::TrendsSection) {
        let b = &mut self.b;
        b.heading(1, &format!("Trends over {}", t.waves_phrase), true);
        b.para(&format!(
            "The headline items’ percent agreeing and each scale’s mean score in every wave, {}, with {}% confidence intervals. A wave where fewer than {} answered is suppressed and shows no figure.",
            t.span,
            self.ctx.confidence,
            self.ctx.suppress_below
        ));
        let mut header = vec!["Item or scale"];
        header.extend(t.waves.iter().map(String::as_str));
        let rows: Vec<Vec<xml::CellText>> = t
            .rows
            .iter()
            .map(|r| {
                let mut row: Vec<xml::CellText> =
                    vec![format!("{} ({}, {})", r.text, r.id, r.measure).into()];
                row.extend(cells(&r.cells));
                row
            })
            .collect();
        b.table(&header, &rows, &[]);
        b.muted(&t.note);
    }

    /// "About these figures": the source, the exclusions and how to reproduce the figures.
    fn about(&mut self) {
        let ctx = self.ctx;
        self.b.heading(1, "About these figures", false);
        if !ctx.segments.is_empty() {
            self.b.muted(&self.notes.disclosure);
        }
        if let Some(d) = &ctx.differences {
            self.b.muted(&d.note);
        }
        self.b.muted(&format!(
            "Source: {} ({} export, SHA-256 {}). {} read, {} analysed. {} Every excluded row is listed with its reason in exclusions.csv; manifest.json records the inputs, settings and outputs so the figures can be reproduced with canvass verify.",
            ctx.source_file,
            ctx.source_format,
            ctx.source_sha256,
            ctx.rows_read,
            ctx.kept,
            ctx.excluded_sentence,
        ));
    }
}

/// A row's cells, already formatted as the templates print them.
fn cells(cells: &[String]) -> impl Iterator<Item = xml::CellText> + '_ {
    cells.iter().map(|c| c.as_str().into())
}

/// An item's row: its text with its id and missing counts as a note, then its figures.
fn item_row(i: &ItemRow) -> Vec<xml::CellText> {
    let mut note = i.id.clone();
    if i.missing != 0 {
        note.push_str(&format!(" · {} missing", i.missing));
    }
    if i.non_substantive != 0 {
        note.push_str(&format!(" · {} don’t know / N/A", i.non_substantive));
    }
    vec![
        xml::CellText::with_note(&i.text, &note),
        i.n.to_string().into(),
        i.pct_agree.as_str().into(),
        i.ci.as_str().into(),
        i.mean.as_str().into(),
    ]
}

fn scale_row(s: &ScaleRow) -> Vec<xml::CellText> {
    let mut row = vec![xml::CellText::with_note(&s.name, &s.items)];
    row.push(s.n.to_string().into());
    for v in [
        &s.mean,
        &s.sd,
        &s.alpha,
        &s.alpha_ci,
        &s.alpha_std,
        &s.average_r,
    ] {
        row.push(v.as_str().into());
    }
    row
}
