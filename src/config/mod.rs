//! The two configuration files: the instrument (`survey.toml`) and the run (`pipelines/*.toml`).
//! Both are parsed strictly (unknown keys are errors, so a typo never silently changes a result)
//! and validated before any data is read.

pub mod language;
pub mod limits;
mod locate;
pub mod pipeline;
pub mod questions;
pub mod survey;
pub mod weights;

pub use pipeline::{
    ItemOrder, NeutralPlacement, Output, Pipeline, ReportOptions, ThemeCount, Wave,
};
pub use questions::{Choice, ChoiceKind, Number, Ranking};
pub use survey::{Item, ResponseScale, Scale, ScaleItem, Segment, Survey, TextQuestion};

use crate::error::{Error, Result};
use std::path::Path;

/// Which configuration file is read, for messages.
#[derive(Debug, Clone, Copy)]
pub(crate) enum ConfigFile {
    Pipeline,
    Survey,
}

impl ConfigFile {
    fn name(self) -> &'static str {
        match self {
            ConfigFile::Pipeline => "pipeline file",
            ConfigFile::Survey => "survey definition",
        }
    }

    /// What to do when an export was given instead.
    fn instead(self, path: &Path) -> String {
        let file = path.display();
        match self {
            ConfigFile::Pipeline => format!(
                "`canvass run` takes a pipeline TOML file (such as pipelines/aspire-pilot.toml) \
                 that names the survey and each wave's export; for this export alone use \
                 `canvass inspect {file}`, `canvass score {file}`, or draft its survey \
                 definition with `canvass init {file}`"
            ),
            ConfigFile::Survey => format!(
                "--survey and a pipeline's `survey` take a survey.toml; draft one from this \
                 export with `canvass init {file} > survey.toml`"
            ),
        }
    }
}

/// Reads and parses a TOML configuration file, refusing an export given in its place.
pub(crate) fn read_toml<T: serde::de::DeserializeOwned>(
    path: &Path,
    what: ConfigFile,
) -> Result<T> {
    let bytes = crate::error::read_file(path)?;
    let export = |kind: &str| {
        Error::input(
            path,
            format!("looks like a survey export ({kind}), not a {}", what.name()),
        )
        .hint(what.instead(path))
    };
    if let Some(kind) = export_kind(path, &bytes, false) {
        return Err(export(kind));
    }
    let text = String::from_utf8(bytes).map_err(|_| {
        Error::config(
            path,
            "(file)",
            format!("is not UTF-8 text, so it is not a {}", what.name()),
        )
        .hint("save the file as UTF-8")
    })?;
    parse_toml(path, &text).map_err(|e| match export_kind(path, text.as_bytes(), true) {
        Some(kind) => export(kind),
        None => e,
    })
}

/// What kind of export these bytes are, if they are one: a workbook or a file named as an
/// export is one whatever it holds; JSON and delimited text only once they fail to parse as
/// TOML (`failed`), since a TOML file can start like either.
fn export_kind(path: &Path, bytes: &[u8], failed: bool) -> Option<&'static str> {
    if crate::ingest::sheets::is_workbook(bytes) {
        return Some("a workbook");
    }
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    match ext.as_str() {
        "csv" | "tsv" | "tab" => return Some("delimited text"),
        "xlsx" | "xlsm" | "xlsb" | "xls" | "ods" => return Some("a workbook"),
        "json" => return Some("JSON"),
        _ => {}
    }
    if !failed {
        return None;
    }
    if crate::ingest::json::is_json(bytes) {
        return Some("JSON");
    }
    first_line_is_delimited(bytes).then_some("delimited text")
}

/// A header row of an export: several delimiters and no `=` (every TOML line that is not a
/// table header, a comment or part of a value has one).
fn first_line_is_delimited(bytes: &[u8]) -> bool {
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(64 << 10)]);
    let text = text.trim_start_matches('\u{feff}');
    let Some(line) = text.lines().find(|l| !l.trim().is_empty()) else {
        return false;
    };
    let delimiters = line.matches([',', '\t', ';']).count();
    delimiters >= 2 && !line.contains('=') && !line.trim_start().starts_with(['[', '#'])
}

/// Parses a TOML file into `T`, turning parser messages into config errors that name the key
/// by its path (`items[3].statment`), its line, and the keys that were expected there.
pub(crate) fn parse_toml<T: serde::de::DeserializeOwned>(path: &Path, text: &str) -> Result<T> {
    toml::from_str(text).map_err(|e| locate::config_error(path, text, &e))
}
