//! `canvass verify MANIFEST`: checks that a wave's inputs are unchanged and that re-running it
//! reproduces every output byte for byte.

use crate::error::{Error, Result};
use std::path::Path;

/// Checks the manifest's inputs against their recorded SHA-256 and re-runs the wave into a scratch
/// folder to compare every output byte for byte; prints one line per check. Fails (exit 1) naming
/// the manifest when any check fails.
pub fn run(manifest: &Path) -> Result<()> {
    let v = crate::runner::verify(manifest)?;
    for (check, ok) in &v.checks {
        println!("{} {check}", if *ok { "ok  " } else { "FAIL" });
    }
    if v.ok() {
        println!("verified: {} checks passed", v.checks.len());
        Ok(())
    } else {
        let failed = v.checks.iter().filter(|(_, ok)| !ok).count();
        let secret = v
            .checks
            .iter()
            .any(|(check, ok)| !ok && check.contains("respondent-id secret"));
        let hint = if secret {
            "the respondent ids are keyed by the run's secret: get its file from whoever ran the pipeline (never sent with the reports)"
        } else {
            "an input changed since the run, or the outputs were edited; re-run the pipeline to regenerate them"
        };
        Err(Error::input(
            manifest,
            format!("{failed} of {} checks failed", v.checks.len()),
        )
        .hint(hint))
    }
}
