//! summary.docx: the summary as a Word document, written part by part with the `zip` crate.
//!
//! Its words and figures are the variables the HTML and Markdown templates receive (the
//! report's context, as JSON), laid out as summary.html lays them out, so the document cannot
//! say what the HTML does not. The charts are PNG images of the HTML's charts (`chart_png`).
//!
//! docx-rs was not used: it stamps the current time into the package and pulls in the `image`
//! crate; the few parts a document needs (content types, relationships, styles, the body) are
//! short, and written here every byte is fixed: zip entries are dated 1980-01-01 and the
//! document properties carry no date at all.

use super::docx_xml::{self as xml, Body};
use crate::error::{Error, Result};
use serde_json::Value;
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
pub fn document(file: &Path, ctx: &Value, images: &[Image]) -> Result<Vec<u8>> {
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
    part(
        "docProps/core.xml",
        xml::core(str_of(ctx, "title")).as_bytes(),
    )?;
    part("docProps/app.xml", xml::app(str_of(ctx, "tool")).as_bytes())?;
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

/// A text variable of the context, or "" where a template would print nothing.
fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

fn list<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// A variable as the templates print it: text as it is, numbers in full.
fn shown(v: &Value, key: &str) -> String {
    match v.get(key) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(b)) => b.to_string(),
        _ => String::new(),
    }
}

fn truthy(v: &Value, key: &str) -> bool {
    match v.get(key) {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_f64() != Some(0.0),
        Some(Value::String(s)) => !s.is_empty(),
        Some(Value::Array(a)) => !a.is_empty(),
        Some(Value::Object(_)) => true,
    }
}

/// The body, section by section as summary.html.j2 has them.
fn body(ctx: &Value, images: &[Image]) -> String {
    let mut w = BodyWriter {
        ctx,
        images,
        b: Body::default(),
        confidence: str_of(ctx, "confidence"),
        notes: ctx.get("notes").unwrap_or(&Value::Null),
    };
    let changes = ctx.get("changes").filter(|c| !c.is_null());
    let themes = ctx.get("themes").filter(|t| !t.is_null());
    w.summary(changes, themes);
    w.items();
    w.choices();
    w.numbers();
    w.rankings();
    w.scales();
    w.segments();
    if let Some(d) = ctx.get("differences").filter(|d| !d.is_null()) {
        w.differences(d);
    }
    if let Some(weights) = ctx.get("weights").filter(|w| !w.is_null()) {
        w.b.heading(1, "Weights", false);
        w.b.para(str_of(weights, "text"));
    }
    if let Some(t) = themes {
        w.themes(t, "What respondents said");
    }
    for t in list(ctx, "more_themes") {
        let heading = format!("What respondents said: “{}”", str_of(t, "question"));
        w.themes(t, &heading);
    }
    if let Some(c) = changes {
        let heading = format!("Change since {}", str_of(c, "before"));
        w.changes(c, &heading);
    }
    if let Some(t) = ctx.get("trends").filter(|t| !t.is_null()) {
        w.trends(t);
    }
    if let Some(c) = ctx.get("since_first").filter(|c| !c.is_null()) {
        let heading = format!("Change since {} (the first wave)", str_of(c, "before"));
        w.changes(c, &heading);
    }
    w.about();
    w.b.finish()
}

/// The body being written, with the context variables every section reads.
struct BodyWriter<'a> {
    ctx: &'a Value,
    /// The charts as PNG, numbered in this order in the document.
    images: &'a [Image],
    b: Body,
    confidence: &'a str,
    notes: &'a Value,
}

impl BodyWriter<'_> {
    fn ci_header(&self) -> String {
        format!("{}% CI", self.confidence)
    }

    /// The title block and the Summary section.
    fn summary(&mut self, changes: Option<&Value>, themes: Option<&Value>) {
        let (ctx, b) = (self.ctx, &mut self.b);
        b.title(str_of(ctx, "title"));
        b.muted(&format!(
            "{} · {} · produced by {}",
            str_of(ctx, "wave"),
            str_of(ctx, "kept_phrase"),
            str_of(ctx, "tool")
        ));

        b.heading(1, "Summary", false);
        b.lead(str_of(ctx, "opening"));
        for s in list(ctx, "headlines") {
            b.lead(s.as_str().unwrap_or(""));
        }
        let since_first = ctx.get("since_first").filter(|c| !c.is_null());
        let trends = ctx.get("trends").filter(|c| !c.is_null());
        for c in [changes, since_first, trends].into_iter().flatten() {
            for s in list(c, "sentences") {
                b.para(s.as_str().unwrap_or(""));
            }
        }
        if let Some(t) = themes.filter(|t| truthy(t, "most_common")) {
            b.para(&format!(
                "Asked “{}”, {}. {}.",
                str_of(t, "question"),
                str_of(t, "commenters"),
                str_of(t, "most_common")
            ));
        }
    }

    fn items(&mut self) {
        let images = self.images;
        let items = list(self.ctx, "items");
        if items.is_empty() {
            if list(self.ctx, "choices").is_empty() && list(self.ctx, "numbers").is_empty() {
                self.b.heading(1, "Items", true);
                self.b.para("The survey definition has no rating (Likert) items, so there are no agreement figures.");
            }
            return;
        }
        self.b.heading(1, "Items", true);
        self.b.muted(str_of(self.notes, "items"));
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
        let rows: Vec<Vec<xml::CellText>> = items.iter().map(item_row).collect();
        self.b
            .table(&["Item", "n", "% agree", &ci, "Mean"], &rows, &[]);
    }

    /// Each choice question: its sentence and base, then a table of its options (nets last).
    fn choices(&mut self) {
        let choices = list(self.ctx, "choices");
        if choices.is_empty() {
            return;
        }
        self.b.heading(1, "Choices", true);
        self.b.muted("Each option’s share of the respondents who answered the question, with its Wilson confidence interval. In a “tick all that apply” question the shares add up to more than 100.");
        let ci = self.ci_header();
        for c in choices {
            self.b.heading(2, str_of(c, "text"), false);
            self.b.para(str_of(c, "sentence"));
            if let Some((k, image)) =
                question_image(self.images, &format!("choice:{}", str_of(c, "id")))
            {
                let alt = format!("Bar chart of the options of “{}”, most chosen first. The table below gives every figure.", image.scale);
                self.b.image(k, &image.png, &alt);
            }
            self.b.muted(&format!(
                "{} · {} · {}",
                str_of(c, "id"),
                str_of(c, "kind"),
                str_of(c, "base")
            ));
            let rows: Vec<Vec<xml::CellText>> = list(c, "rows")
                .iter()
                .map(|r| {
                    let option = if truthy(r, "net") {
                        format!("{} (any of these)", shown(r, "option"))
                    } else {
                        shown(r, "option")
                    };
                    vec![
                        option.into(),
                        shown(r, "count").into(),
                        shown(r, "pct").into(),
                        shown(r, "ci").into(),
                    ]
                })
                .collect();
            self.b.table(&["Option", "n", "%", &ci], &rows, &[]);
        }
    }

    /// The number questions: a sentence each, then one table.
    fn numbers(&mut self) {
        let numbers = list(self.ctx, "numbers");
        if numbers.is_empty() {
            return;
        }
        self.b.heading(1, "Numbers", true);
        for q in numbers {
            self.b.para(str_of(q, "sentence"));
            if let Some((k, image)) =
                question_image(self.images, &format!("number:{}", str_of(q, "id")))
            {
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
                    "text", "n", "mean", "sd", "min", "q1", "median", "q3", "max",
                ]
                .iter()
                .map(|k| shown(q, k).into())
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
        let rankings = list(self.ctx, "rankings");
        if rankings.is_empty() {
            return;
        }
        self.b.heading(1, "Rankings", true);
        for r in rankings {
            self.b.heading(2, str_of(r, "text"), false);
            self.b.para(str_of(r, "sentence"));
            let rows: Vec<Vec<xml::CellText>> = list(r, "rows")
                .iter()
                .map(|o| {
                    ["option", "n", "mean_rank", "first", "pct_first"]
                        .iter()
                        .map(|k| shown(o, k).into())
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
        let scales = list(self.ctx, "scales");
        if scales.is_empty() {
            return;
        }
        self.b.heading(1, "Scales", true);
        self.b.muted(str_of(self.notes, "scales"));
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
        for seg in list(self.ctx, "segments") {
            let name = str_of(seg, "name");
            self.b.heading(1, str_of(seg, "heading"), false);
            if truthy(seg, "all_suppressed") {
                self.b.para(str_of(seg, "all_suppressed_sentence"));
                continue;
            }
            if truthy(seg, "any_hidden") {
                self.b.muted(str_of(self.notes, "segments"));
            } else {
                self.b.muted("Every item is broken down in segments.csv.");
            }
            let mut header = vec![name, "n"];
            header.extend(list(seg, "columns").iter().filter_map(Value::as_str));
            let rows: Vec<Vec<xml::CellText>> = list(seg, "rows")
                .iter()
                .map(|r| {
                    let mut row = vec![shown(r, "group").into(), shown(r, "n").into()];
                    row.extend(cells(r));
                    row
                })
                .collect();
            self.b.table(&header, &rows, &[]);
            let legend = str_of(seg, "legend");
            if !legend.is_empty() {
                self.b.muted(legend);
            }
        }
    }

    /// "Differences between groups": the sentences, then how they were tested.
    fn differences(&mut self, d: &Value) {
        self.b.heading(1, "Differences between groups", false);
        for s in list(d, "sentences").iter().filter_map(Value::as_str) {
            self.b.para(s);
        }
        self.b.muted(str_of(d, "note"));
    }

    /// "What respondents said": the method, any learned coding, then each theme.
    fn themes(&mut self, t: &Value, heading: &str) {
        let b = &mut self.b;
        b.heading(1, heading, true);
        let mut intro = format!(
            "“{}”: {}. {}.",
            str_of(t, "question"),
            str_of(t, "counts_detailed"),
            str_of(t, "method")
        );
        if truthy(t, "listed") {
            intro.push_str(" Names and contact details are removed from them.");
        } else if truthy(t, "themes") {
            intro.push_str(" Quotes are the comments nearest each theme’s centre, with names and contact details removed.");
        }
        if truthy(t, "tone_method") {
            intro.push_str(&format!(" {}.", str_of(t, "tone_method")));
        }
        b.para(&intro);
        if let Some(l) = t.get("learned").filter(|l| !l.is_null()) {
            self.learned(l);
        }
        for q in list(t, "listed") {
            self.b.quote(q.as_str().unwrap_or(""));
        }
        for th in list(t, "themes") {
            self.theme(th);
        }
    }

    /// The learned coding's method, its agreement with the hand-coded sample, and what to review.
    fn learned(&mut self, l: &Value) {
        let b = &mut self.b;
        b.para(&format!("{}.", str_of(l, "method")));
        b.para(&format!("{}.", str_of(l, "agreement")));
        let rows: Vec<Vec<xml::CellText>> = list(l, "themes")
            .iter()
            .map(|r| {
                ["theme", "in_sample", "precision", "recall", "f1", "kappa"]
                    .iter()
                    .map(|k| shown(r, k).into())
                    .collect()
            })
            .collect();
        b.table(
            &["Theme", "Coded by hand", "Precision", "Recall", "F1", "κ"],
            &rows,
            &[],
        );
        if truthy(l, "review") {
            b.para(&format!("{}:", str_of(l, "review_heading")));
            for r in list(l, "review") {
                b.quote(&format!(
                    "{} ({}): {}",
                    str_of(r, "label"),
                    shown(r, "confidence"),
                    str_of(r, "text")
                ));
            }
        }
    }

    fn theme(&mut self, th: &Value) {
        let b = &mut self.b;
        let codebook = truthy(th, "codebook");
        let kind = if codebook {
            " · codebook theme"
        } else if truthy(th, "learned") {
            " · learned theme"
        } else {
            ""
        };
        b.heading(
            2,
            &format!(
                "{}. {} — {} ({}%){kind}",
                shown(th, "rank"),
                str_of(th, "label"),
                str_of(th, "size_phrase"),
                str_of(th, "pct_comments"),
            ),
            false,
        );
        let mut words = format!(
            "{}: {}",
            if codebook { "Phrases" } else { "Key words" },
            str_of(th, "keywords")
        );
        if truthy(th, "tone") {
            words.push_str(&format!(". Tone: {}", str_of(th, "tone")));
        }
        b.muted(&words);
        for q in list(th, "quotes") {
            b.quote(q.as_str().unwrap_or(""));
        }
    }

    /// "Change since …": items then scales, the significant changes in bold.
    fn changes(&mut self, c: &Value, heading: &str) {
        let (before, after) = (str_of(c, "before"), str_of(c, "after"));
        self.b.heading(1, heading, true);
        let mut bold = Vec::new();
        let mut rows: Vec<Vec<xml::CellText>> = Vec::new();
        for key in ["rows", "scale_rows"] {
            for r in list(c, key) {
                if truthy(r, "significant") {
                    bold.push(rows.len());
                }
                let mut row = vec![str_of(r, "label").into()];
                for k in ["before", "after", "change", "test", "ci", "p_adjusted"] {
                    row.push(shown(r, k).into());
                }
                rows.push(row);
            }
        }
        let ci = str_of(c, "ci_header");
        self.b.table(
            &[
                "Question",
                before,
                after,
                "Change",
                "Test",
                ci,
                "Adjusted p",
            ],
            &rows,
            &bold,
        );
        self.b.muted(str_of(c, "note"));
        let returning = list(c, "returning_rows");
        if !returning.is_empty() {
            self.b.heading(2, "Returning and new respondents", false);
            self.b.muted(&format!(
                "Agreement among this wave’s respondents who answered {before} too (returning) and those who did not (new); a group of fewer than {} shows no figure.",
                shown(self.ctx, "suppress_below")
            ));
            let rows: Vec<Vec<xml::CellText>> = returning
                .iter()
                .map(|r| {
                    ["label", "returning", "new"]
                        .iter()
                        .map(|k| shown(r, k).into())
                        .collect()
                })
                .collect();
            self.b.table(&["Question", "Returning", "New"], &rows, &[]);
        }
    }

    fn trends(&mut self, t: &Value) {
        let b = &mut self.b;
        b.heading(
            1,
            &format!("Trends over {}", str_of(t, "waves_phrase")),
            true,
        );
        b.para(&format!(
            "The headline items’ percent agreeing and each scale’s mean score in every wave, {}, with {}% confidence intervals. A wave where fewer than {} answered is suppressed and shows no figure.",
            str_of(t, "span"),
            self.confidence,
            shown(self.ctx, "suppress_below")
        ));
        let waves: Vec<&str> = list(t, "waves")
            .iter()
            .map(|w| w.as_str().unwrap_or(""))
            .collect();
        let mut header = vec!["Item or scale"];
        header.extend(waves.iter().copied());
        let rows: Vec<Vec<xml::CellText>> = list(t, "rows")
            .iter()
            .map(|r| {
                let mut row: Vec<xml::CellText> = vec![format!(
                    "{} ({}, {})",
                    str_of(r, "text"),
                    str_of(r, "id"),
                    str_of(r, "measure")
                )
                .into()];
                row.extend(cells(r));
                row
            })
            .collect();
        b.table(&header, &rows, &[]);
        b.muted(str_of(t, "note"));
    }

    /// "About these figures": the source, the exclusions and how to reproduce the figures.
    fn about(&mut self) {
        let ctx = self.ctx;
        self.b.heading(1, "About these figures", false);
        if !list(ctx, "segments").is_empty() {
            self.b.muted(str_of(self.notes, "disclosure"));
        }
        if let Some(d) = ctx.get("differences").filter(|d| !d.is_null()) {
            self.b.muted(str_of(d, "note"));
        }
        self.b.muted(&format!(
            "Source: {} ({} export, SHA-256 {}). {} read, {} analysed. {} Every excluded row is listed with its reason in exclusions.csv; manifest.json records the inputs, settings and outputs so the figures can be reproduced with canvass verify.",
            str_of(ctx, "source_file"),
            str_of(ctx, "source_format"),
            str_of(ctx, "source_sha256"),
            str_of(ctx, "rows_read"),
            shown(ctx, "kept"),
            str_of(ctx, "excluded_sentence"),
        ));
    }
}

/// A row's `cells`, already formatted as the templates print them.
fn cells(r: &Value) -> impl Iterator<Item = xml::CellText> + '_ {
    list(r, "cells")
        .iter()
        .map(|c| c.as_str().unwrap_or("").into())
}

/// An item's row: its text with its id and missing counts as a note, then its figures.
fn item_row(i: &Value) -> Vec<xml::CellText> {
    let mut note = str_of(i, "id").to_string();
    if truthy(i, "missing") {
        note.push_str(&format!(" · {} missing", shown(i, "missing")));
    }
    if truthy(i, "non_substantive") {
        note.push_str(&format!(
            " · {} don’t know / N/A",
            shown(i, "non_substantive")
        ));
    }
    vec![
        xml::CellText::with_note(str_of(i, "text"), &note),
        shown(i, "n").into(),
        shown(i, "pct_agree").into(),
        shown(i, "ci").into(),
        shown(i, "mean").into(),
    ]
}

fn scale_row(s: &Value) -> Vec<xml::CellText> {
    let mut row = vec![xml::CellText::with_note(
        str_of(s, "name"),
        str_of(s, "items"),
    )];
    for key in [
        "n",
        "mean",
        "sd",
        "alpha",
        "alpha_ci",
        "alpha_std",
        "average_r",
    ] {
        row.push(shown(s, key).into());
    }
    row
}
