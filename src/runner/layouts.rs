//! A wave whose export lacks a column the survey names, when another wave's export has it: most
//! often the same survey exported in another layout (Qualtrics' legacy layout for one wave, the
//! current one for another), which names columns differently. The survey file is then not
//! what to fix, so the error says which wave's export differs, in what, and what to do.

use super::*;
use crate::error::Location;
use crate::ingest::{read_export_sample, RawExport, ReadOptions};
use crate::model::Format;

/// `e` reworded when it is a column the survey names but wave `at`'s export lacks while an
/// other wave's export has it; `e` unchanged otherwise.
pub(super) fn explain(e: Error, lp: &LoadedPipeline, at: usize) -> Error {
    let Error::Input {
        file,
        location: Location {
            column: Some(column),
            ..
        },
        message,
        ..
    } = &e
    else {
        return e;
    };
    let wave = &lp.config.waves[at];
    if !message.starts_with("has no column") || !same_file(file, &lp.export_path(wave)) {
        return e;
    }
    let Some(this) = header(lp, wave) else {
        return e;
    };
    let reference = (lp.config.waves.iter().enumerate())
        .filter(|&(i, _)| i != at)
        .find_map(|(_, w)| Some((w, header(lp, w)?)).filter(|(_, h)| has(h, column)));
    let Some((other, theirs)) = reference else {
        return e;
    };
    let (this_layout, their_layout) = (layout(lp, wave, &this), layout(lp, other, &theirs));
    let same_text = counterpart(&this, &theirs, column)
        .map(|c| format!("; its column `{c}` has the same question text"))
        .unwrap_or_default();
    let (message, hint) = if this_layout == their_layout {
        (
            format!(
                "has no column `{column}`, which {}'s export ({}) has{same_text}",
                other.name,
                lp.export_path(other).display()
            ),
            format!(
                "check that wave {} was exported from the same survey with the same export settings as {}; if the questionnaire changed, give this wave a survey file of its own",
                wave.name, other.name
            ),
        )
    } else {
        (
            format!(
                "has no column `{column}`: this export is in {this_layout}, while {}'s export ({}), which has the column and which the survey file's column names follow, is in {their_layout}{same_text}",
                other.name,
                lp.export_path(other).display()
            ),
            format!(
                "export wave {} again in the layout of {}'s export (the tool's export settings), rather than editing the survey file, which is right for the other waves",
                wave.name, other.name
            ),
        )
    };
    Error::input(file, message)
        .at_column(column.clone())
        .hint(hint)
}

fn same_file(a: &Path, b: &Path) -> bool {
    a == b
        || a.canonicalize()
            .ok()
            .is_some_and(|a| b.canonicalize().ok() == Some(a))
}

/// The export's header (no data rows kept, no checksum made); `None` when it cannot be read.
fn header(lp: &LoadedPipeline, w: &Wave) -> Option<RawExport> {
    let options = ReadOptions {
        without_checksum: true,
        ..ReadOptions::new(w.sheet.clone(), lp.dictionary_path(w))
    };
    read_export_sample(&lp.export_path(w), &options, 0).ok()
}

fn has(raw: &RawExport, column: &str) -> bool {
    raw.columns.iter().any(|c| c.name == column)
}

/// The column of `this` with the question text `column` has in `theirs`, when exactly one has it.
fn counterpart<'a>(this: &'a RawExport, theirs: &RawExport, column: &str) -> Option<&'a str> {
    let text = &theirs.columns.iter().find(|c| c.name == column)?.question;
    let mut same = this
        .columns
        .iter()
        .filter(|c| !text.is_empty() && &c.question == text);
    match (same.next(), same.next()) {
        (Some(c), None) => Some(&c.name),
        _ => None,
    }
}

/// The export's layout in words: the tool, and for Qualtrics which of its three layouts.
fn layout(lp: &LoadedPipeline, w: &Wave, raw: &RawExport) -> String {
    let source = &raw.source;
    if source.format != Format::Qualtrics {
        return format!(
            "{}'s layout with {} header row{}",
            source.format.name(),
            source.header_rows,
            if source.header_rows == 1 { "" } else { "s" }
        );
    }
    if starts_with_v1(&lp.export_path(w)) {
        "Qualtrics' legacy layout (V1…V10 columns, two header rows)".into()
    } else if source.header_rows >= 3 {
        "Qualtrics' current layout (three header rows, the third of ImportIds)".into()
    } else {
        "Qualtrics' two-header-row layout (no ImportId row)".into()
    }
}

/// Whether a text export's first cell is Qualtrics' legacy `V1`.
fn starts_with_v1(path: &Path) -> bool {
    use std::io::Read;
    let mut start = [0u8; 8];
    let n = std::fs::File::open(path)
        .and_then(|mut f| f.read(&mut start))
        .unwrap_or(0);
    let text = String::from_utf8_lossy(&start[..n]);
    let text = text.trim_start_matches('\u{feff}').trim_start_matches('"');
    text.starts_with("V1,") || text.starts_with("V1\"") || text.starts_with("V1\t")
}
