use crate::error::Result;
use crate::infer::{self, ColumnInfo};
use crate::ingest::{read_export, redcap, ReadOptions};
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
}

pub fn run(export: &Path, read: &ReadOptions, json: bool) -> Result<()> {
    let raw = read_export(export, read)?;
    if redcap::is_dictionary(&raw.columns) {
        return dictionary(export, &redcap::from_export(export, &raw)?, json);
    }
    let inspection = Inspection {
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
        columns: infer::columns(&raw),
    };
    if json {
        super::print_json(&inspection);
        return Ok(());
    }
    println!("{}", inspection.file);
    println!(
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
    if let Some(sheet) = &inspection.sheet {
        let others: Vec<&str> = inspection
            .sheets
            .iter()
            .filter(|s| *s != sheet)
            .map(String::as_str)
            .collect();
        if others.is_empty() {
            println!("  sheet `{sheet}`");
        } else {
            // Repeat groups (KoboToolbox) and other tables live on their own sheets.
            println!(
                "  sheet `{sheet}`; this workbook also has: {} (read one with --sheet NAME)",
                others.join(", ")
            );
        }
    }
    for c in &inspection.columns {
        let kind = serde_json::to_value(&c.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        let question = if c.question != c.name && !c.question.is_empty() {
            format!("  “{}”", shorten(&c.question, 60))
        } else {
            String::new()
        };
        let scale = c
            .scale
            .as_ref()
            .map(|s| format!(" [{s}]"))
            .unwrap_or_default();
        println!(
            "  {:<28} {:<13}{scale} {:>5} answered{question}",
            shorten(&c.name, 28),
            kind,
            c.answered
        );
    }
    Ok(())
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
    println!("{}", path.display());
    println!(
        "  REDCap data dictionary, {} fields; flagged as identifiers: {}",
        d.fields.len(),
        if identifiers.is_empty() {
            "none".to_string()
        } else {
            identifiers.join(", ")
        }
    );
    println!("  use it with an export: --dictionary {}", path.display());
    for f in &d.fields {
        println!(
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
