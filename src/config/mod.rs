//! The two configuration files: the instrument (`survey.toml`) and the run (`pipelines/*.toml`).
//! Both are parsed strictly (unknown keys are errors, so a typo never silently changes a result)
//! and validated before any data is read.

pub mod pipeline;
pub mod survey;

pub use pipeline::{Pipeline, ThemeCount, Wave};
pub use survey::{Item, ResponseScale, Scale, ScaleItem, Segment, Survey, TextQuestion};

use crate::error::{Error, Result};
use std::path::Path;

/// Parses a TOML file into `T`, turning parser messages into config errors that name the file.
pub(crate) fn parse_toml<T: serde::de::DeserializeOwned>(path: &Path, text: &str) -> Result<T> {
    toml::from_str(text).map_err(|e| {
        let key = e
            .span()
            .map(|s| {
                let line = text[..s.start.min(text.len())].lines().count().max(1);
                format!("line {line}")
            })
            .unwrap_or_else(|| "(file)".to_string());
        Error::config(path, key, e.message().trim().to_string()).hint(
            "see the annotated example in surveys/aspire-pilot/ or pipelines/aspire-pilot.toml",
        )
    })
}
