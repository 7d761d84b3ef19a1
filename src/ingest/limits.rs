//! Limits on what an export may make canvass allocate, each raised by an environment variable.
//!
//! A file says how large it is (a workbook's dimension, an ODS row repeated a million times, a
//! line that never ends), and a hostile or damaged file says so falsely: reading it as it says
//! would take gigabytes from a few kilobytes. Real survey exports are far below every default.

use crate::error::{Error, Result};

/// Cells in the sheet read from a workbook (rows × columns of its used range, empty cells
/// included, as the spreadsheet reader allocates them).
pub const SHEET_CELLS: Limit = Limit {
    variable: "CANVASS_MAX_SHEET_CELLS",
    default: 20_000_000,
    what: "cells in one sheet",
};

/// Bytes of one record (a line, or a quoted field's several lines) of delimited text.
pub const RECORD_BYTES: Limit = Limit {
    variable: "CANVASS_MAX_RECORD_BYTES",
    default: 64 << 20,
    what: "bytes in one record (line) of delimited text",
};

/// A limit, its default, and the environment variable that raises it.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    /// The environment variable that sets it.
    pub variable: &'static str,
    /// The limit when the variable is not set.
    pub default: u64,
    /// What is counted, for messages.
    pub what: &'static str,
}

impl Limit {
    /// The limit in force: the environment variable's value, or the default. A value that is
    /// not a positive whole number is an error, not silently the default.
    pub fn value(&self) -> Result<u64> {
        let Some(set) = std::env::var_os(self.variable) else {
            return Ok(self.default);
        };
        let text = set.to_string_lossy();
        let digits: String = text.chars().filter(|c| *c != '_').collect();
        match digits.trim().parse::<u64>() {
            Ok(n) if n > 0 => Ok(n),
            _ => Err(Error::argument(
                self.variable,
                format!("`{text}` is not a positive whole number of {}", self.what),
            )
            .hint(format!(
                "set it to a number such as {} (the default), or unset it",
                self.default
            ))),
        }
    }

    /// What to tell a user whose file passed this limit: the limit and how to raise it.
    pub fn hint(&self, limit: u64) -> String {
        format!(
            "canvass reads at most {limit} {} (a survey export is far below it); if the file \
             really is this large, raise the limit with the environment variable {}, e.g. \
             {}={}",
            self.what,
            self.variable,
            self.variable,
            limit.saturating_mul(4)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hint_names_the_variable_and_a_larger_value() {
        let h = SHEET_CELLS.hint(10);
        assert!(h.contains("CANVASS_MAX_SHEET_CELLS=40"), "{h}");
        assert!(h.contains("at most 10 cells in one sheet"), "{h}");
    }
}
