use crate::error::Result;
use std::path::Path;

pub fn run(pipeline: &Path, keep_tests: bool, parquet: bool, quiet: bool) -> Result<()> {
    let mut stderr = std::io::stderr();
    let mut sink = std::io::sink();
    let progress: &mut dyn std::io::Write = if quiet { &mut sink } else { &mut stderr };
    let results = crate::runner::run(pipeline, None, keep_tests, parquet, progress)?;
    if !quiet {
        if let Some(last) = results.last() {
            let summary = crate::runner::relative(
                &last.directory.join("summary.html"),
                std::path::Path::new("."),
            );
            eprintln!("summary: {summary}");
        }
    }
    Ok(())
}
