use crate::error::{Error, Result};
use crate::ingest::{read_export, ReadOptions};
use std::path::Path;

pub fn run(export: &Path, read: &ReadOptions, title: &str) -> Result<()> {
    let raw = read_export(export, read)?;
    let survey = crate::infer::draft_survey(&raw, title);
    let body = toml::to_string_pretty(&survey)
        .map_err(|e| Error::input(export, format!("cannot write a draft survey: {e}")))?;
    println!(
        "# Draft survey definition inferred by canvass {} from {} ({} export).\n\
         # Check every item and scale; add multi-item [[scales]] (a trailing `-` marks a reverse-keyed item),\n\
         # `statement` texts for the summary's sentences, and `respondent.key` to detect duplicates.\n",
        env!("CARGO_PKG_VERSION"),
        export.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default(),
        raw.source.format.name()
    );
    print!("{body}");
    Ok(())
}
