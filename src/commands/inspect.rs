//! `canvass inspect EXPORT [--json]`: which tool wrote an export, its encoding, header rows and
//! rows, and every column with its inferred kind and the reason, before a survey file exists.

use crate::error::Result;
use crate::infer::{self, ColumnInfo};
use crate::ingest::{read_export, redcap, RawExport, ReadOptions};
use serde::Serialize;
use std::path::Path;

#[derive(Serialize)]
struct Inspection {
    file: String,
    format: String,
    encoding: String,
    delimiter: Option<String>,
    header_rows: usize,
    rows: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    sheet: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    sheets: Vec<String>,
    columns: Vec<ColumnInfo>,
    /// That a REDCap export was read without the data dictionary that flags its identifiers.
    #[serde(skip_serializing_if = "Option::is_none")]
    dictionary_note: Option<String>,
    /// Which columns were renamed because their header repeated an earlier column's.
    #[serde(skip_serializing_if = "Option::is_none")]
    repeated_names: Option<String>,
    /// That the file's spelt-out blanks (R's `NA`) are read as blanks.
    #[serde(skip_serializing_if = "Option::is_none")]
    missing_note: Option<String>,
}

/// Prints what `export` is (tool, encoding, header rows, rows) and every column with its inferred
/// kind and why; `json` prints the same as JSON for scripts. A REDCap data dictionary is listed
/// field by field instead.
pub fn run(export: &Path, read: &ReadOptions, json: bool) -> Result<()> {
    let raw = read_export(export, read)?;
    if redcap::is_dictionary(&raw.columns) {
        return dictionary(export, &redcap::from_export(export, &raw)?, json);
    }
    let mut inspection = inspect(&raw);
    inspection.dictionary_note = redcap::without_dictionary_note(&raw, read);
    if json {
        super::print_json(&inspection);
    } else {
        print_text(&inspection);
    }
    Ok(())
}

/// A column as the learned kind model sees it: its kind by the rules and its features.
#[derive(Serialize)]
struct Featured {
    name: String,
    rule: &'static str,
    matrix: Option<String>,
    features: Vec<f32>,
}

/// Prints each column's kind by the rules and the features the learned kind model reads, with
/// the features' names: the training data of `benches/kinds_model.py`.
pub fn features(export: &Path, read: &ReadOptions) -> Result<()> {
    let raw = read_export(export, read)?;
    let (infos, features) = infer::with_features(&raw);
    let columns: Vec<Featured> = infos
        .into_iter()
        .zip(features)
        .map(|(info, features)| Featured {
            name: info.name,
            rule: info.kind.name(),
            matrix: info.matrix,
            features,
        })
        .collect();
    super::print_json(&serde_json::json!({
        "names": infer::features::NAMES,
        "columns": columns,
    }));
    Ok(())
}

/// What `inspect` reports of an export: its source and every column with its kind.
fn inspect(raw: &RawExport) -> Inspection {
    Inspection {
        file: raw.source.file.clone(),
        format: raw.source.format.name().to_string(),
        encoding: raw.source.encoding.clone(),
        delimiter: raw.source.delimiter.map(|d| {
            if d == '\t' {
                "tab".to_string()
            } else {
                d.to_string()
            }
        }),
        header_rows: raw.source.header_rows,
        rows: raw.rows.len(),
        sheet: raw.source.sheet.clone(),
        sheets: raw.source.sheets.clone(),
        columns: infer::columns(raw),
        repeated_names: crate::ingest::repeated_names_note(&raw.columns),
        dictionary_note: None,
        missing_note: crate::ingest::missing_note(&raw.source),
    }
}

/// The inspection for a person: the source, the sheet, then two lines per column.
fn print_text(inspection: &Inspection) {
    say!("{}", inspection.file);
    say!(
        "  {} export, {}{}, {} header row(s), {} data rows, {} columns",
        inspection.format,
        inspection.encoding,
        inspection
            .delimiter
            .as_ref()
            .map(|d| format!(", delimiter {d}"))
            .unwrap_or_default(),
        inspection.header_rows,
        inspection.rows,
        inspection.columns.len()
    );
    print_sheets(inspection);
    for note in [
        &inspection.repeated_names,
        &inspection.dictionary_note,
        &inspection.missing_note,
    ]
    .into_iter()
    .flatten()
    {
        say!("  note: {note}");
    }
    print_columns(inspection);
}

fn print_sheets(inspection: &Inspection) {
    if let Some(sheet) = &inspection.sheet {
        let others: Vec<&str> = inspection
            .sheets
            .iter()
            .filter(|s| *s != sheet)
            .map(String::as_str)
            .collect();
        if others.is_empty() {
            say!("  sheet `{sheet}`");
        } else {
            // Repeat groups (KoboToolbox) and other tables live on their own sheets.
            say!(
                "  sheet `{sheet}`; this workbook also has: {} (read one with --sheet NAME)",
                others.join(", ")
            );
        }
    }
}

fn print_columns(inspection: &Inspection) {
    let questions = Questions::new(inspection.columns.iter().map(|c| c.question.as_str()));
    for c in &inspection.columns {
        let kind = c.kind.name();
        // A name cut to fit (SurveyMonkey's are the question itself) is shown whole enough, by
        // its distinguishing end, as the question.
        let cut = c.name.chars().count() > NAME_WIDTH;
        let question = if (c.question != c.name || cut) && !c.question.is_empty() {
            format!("  “{}”", shorten_question(&c.question, &questions, 60))
        } else {
            String::new()
        };
        let scale = c
            .scale
            .as_ref()
            .map(|s| format!(" [{s}]"))
            .unwrap_or_default();
        say!(
            "  {:<28} {:<13}{scale} {:>5} answered{question}",
            shorten(&c.name, NAME_WIDTH),
            kind,
            c.answered
        );
        // Why, so a wrong kind can be told from a right one at a glance.
        say!("  {:<28}   {}", "", c.reason);
    }
}

/// Characters of a column's name shown.
const NAME_WIDTH: usize = 28;

/// Characters kept from the start of a question whose end is shown.
const MIN_HEAD: usize = 20;

/// A question text in at most `max` characters. The rows of a matrix question share its text
/// and differ at the end ("…vegetables-Squash", "…vegetables-Zucchini"), so a text that shares
/// most of itself with other columns keeps the part after what they share, and loses the
/// middle instead of the end.
fn shorten_question(text: &str, all: &Questions, max: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= max {
        return text.to_string();
    }
    let Some(stem) = all.shared_stem(text) else {
        return shorten(text, max);
    };
    // The tail starts at the separator that ends the shared part: "-Zucchini", "[Other]".
    let start = chars[..stem]
        .iter()
        .rposition(|c| matches!(c, ' ' | '-' | '–' | '[' | '(' | ':' | '/' | '_'))
        .unwrap_or(stem);
    let tail: String = chars[start..].iter().collect();
    // A long tail (a row label, then a column label) loses its middle too.
    let tail = crate::report::text::ellipsise_middle(&tail, max - 1 - MIN_HEAD);
    let head: String = chars[..max - 1 - tail.chars().count()].iter().collect();
    format!("{}…{tail}", head.trim_end())
}

/// Every column's question text, sorted, to find what a text shares with the others without
/// comparing it with each of them (50,000 columns of long questions took minutes so).
struct Questions<'a> {
    sorted: Vec<&'a str>,
}

impl<'a> Questions<'a> {
    fn new(texts: impl Iterator<Item = &'a str>) -> Self {
        let mut sorted: Vec<&str> = texts.collect();
        sorted.sort_unstable();
        Questions { sorted }
    }

    /// How many characters `text` shares with the other texts that share more than half of it
    /// (the rows of its matrix, say): the shortest such common start, so that what tells the
    /// rows apart (a row label, then a column label) is all after it. `None` when no text shares
    /// so much. The texts that share more than half of `text` are those that start with its
    /// first half and one character more: a run of the sorted texts around `text`, whose ends
    /// share the least with it.
    fn shared_stem(&self, text: &str) -> Option<usize> {
        let half = text.chars().count() / 2;
        let prefix_end = text
            .char_indices()
            .nth(half + 1)
            .map_or(text.len(), |(i, _)| i);
        let prefix = &text[..prefix_end];
        let sorted = &self.sorted;
        let from = sorted.partition_point(|t| *t < prefix);
        let to = from + sorted[from..].partition_point(|t| t.starts_with(prefix));
        let same_from = from + sorted[from..to].partition_point(|t| *t < text);
        let same_to = same_from + sorted[same_from..to].partition_point(|t| *t == text);
        let shared = |other: &str| {
            text.chars()
                .zip(other.chars())
                .take_while(|(a, b)| a == b)
                .count()
        };
        let below = (from < same_from).then(|| shared(sorted[from]));
        let above = (same_to < to).then(|| shared(sorted[to - 1]));
        below.into_iter().chain(above).min()
    }
}

fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(max - 1).collect::<String>())
    }
}

/// A REDCap data dictionary, recognised: its fields, their types and options, and the fields
/// the project flags as identifiers (dropped at ingest when the dictionary is given).
fn dictionary(path: &Path, d: &redcap::Dictionary, json: bool) -> Result<()> {
    if json {
        #[derive(Serialize)]
        struct DictionaryInspection<'a> {
            file: String,
            format: &'static str,
            kind: &'static str,
            fields: &'a [redcap::Field],
        }
        super::print_json(&DictionaryInspection {
            file: path.display().to_string(),
            format: "redcap",
            kind: "data-dictionary",
            fields: &d.fields,
        });
        return Ok(());
    }
    let identifiers = d.identifiers();
    say!("{}", path.display());
    say!(
        "  REDCap data dictionary, {} fields; flagged as identifiers: {}",
        d.fields.len(),
        if identifiers.is_empty() {
            "none".to_string()
        } else {
            identifiers.join(", ")
        }
    );
    say!("  use it with an export: --dictionary {}", path.display());
    for f in &d.fields {
        say!(
            "  {:<28} {:<10} {:>2} options{}  “{}”",
            shorten(&f.name, 28),
            f.field_type,
            f.choices.len(),
            if f.identifier { "  identifier" } else { "" },
            shorten(&f.label, 60)
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matrix_rows_keep_what_tells_them_apart() {
        let veg = "Indicate how you feel about the following vegetables-";
        let rows: Vec<String> = ["Squash", "Cucumbers", "Zucchini", "Green beans"]
            .iter()
            .map(|r| format!("{veg}{r}"))
            .collect();
        let mut all: Vec<&str> = rows.iter().map(String::as_str).collect();
        all.push("Indicate how you feel about squash");
        let questions = Questions::new(all.iter().copied());
        let shown: Vec<String> = all
            .iter()
            .map(|q| shorten_question(q, &questions, 60))
            .collect();
        assert_eq!(
            shown[2],
            "Indicate how you feel about the following vegetabl…-Zucchini"
        );
        assert_eq!(shown[0], rows[0], "short enough to show whole");
        assert!(shown.iter().all(|s| s.chars().count() <= 60));
        // Row and column labels both differ: both are kept.
        let stem =
            "Please select when you participated in the following activities during your lifetime-";
        let grid: Vec<String> = ["ate baby food", "considered deeply the meaning of life"]
            .iter()
            .flat_map(|r| ["1st Year", "2nd Year"].map(|c| format!("{stem}{r}-{c}")))
            .collect();
        let all: Vec<&str> = grid.iter().map(String::as_str).collect();
        let questions = Questions::new(all.iter().copied());
        let shown: Vec<String> = all
            .iter()
            .map(|q| shorten_question(q, &questions, 60))
            .collect();
        assert!(
            shown[1].ends_with("…-ate baby food-2nd Year"),
            "{}",
            shown[1]
        );
        let distinct: std::collections::BTreeSet<&String> = shown.iter().collect();
        assert_eq!(distinct.len(), 4, "{shown:#?}");
        // A long text like no other is cut at its end, as before.
        let other =
            "What is your citizenship? Should you have multiple citizenships, please name all";
        let alone = Questions::new([other].into_iter());
        assert!(shorten_question(other, &alone, 60).ends_with("citizens…"));
    }
}
