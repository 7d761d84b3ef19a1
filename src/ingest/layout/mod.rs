//! Header layouts: how many rows of an export are header, and the columns they describe. One
//! file per tool whose header differs from a single row of names; the other tools (Google and
//! Microsoft Forms, REDCap, KoboToolbox, SurveyCTO, Typeform, any CSV) write one (`generic`).

mod generic;
mod limesurvey;
mod microsoft_forms;
mod qualtrics;
mod surveymonkey;

use super::{Grid, RawColumn};
use crate::model::Format;

/// The number of header rows and the columns they describe.
pub fn layout(format: Format, grid: &Grid) -> (usize, Vec<RawColumn>) {
    let header = Header { grid };
    match format {
        Format::Qualtrics => qualtrics::layout(&header),
        Format::Surveymonkey => surveymonkey::layout(&header),
        Format::Limesurvey => limesurvey::layout(&header),
        Format::MicrosoftForms => microsoft_forms::layout(&header),
        _ => generic::layout(&header),
    }
}

/// The first rows of an export, read as header cells.
struct Header<'g> {
    grid: &'g Grid,
}

impl Header<'_> {
    /// Row `r` (0-based), empty past the end.
    fn row(&self, r: usize) -> &[String] {
        self.grid
            .rows
            .get(r)
            .map(|r| r.cells.as_slice())
            .unwrap_or(&[])
    }

    /// The trimmed cell `i` of row `r`, empty when the row is short.
    fn cell(&self, r: usize, i: usize) -> String {
        self.row(r)
            .get(i)
            .map(|s| s.trim().to_string())
            .unwrap_or_default()
    }

    /// Columns: the widest of the first `headers` rows.
    fn width(&self, headers: usize) -> usize {
        self.grid
            .rows
            .iter()
            .take(headers)
            .map(|r| r.cells.len())
            .max()
            .unwrap_or(0)
    }
}

/// A column whose name is also its question text.
fn named(name: String) -> RawColumn {
    RawColumn {
        name: name.clone(),
        question: name,
        import_id: None,
        ..Default::default()
    }
}
