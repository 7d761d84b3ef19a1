use crate::error::{Error, Result};
use std::path::Path;

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
        Err(Error::input(manifest, format!("{failed} of {} checks failed", v.checks.len()))
            .hint("an input changed since the run, or the outputs were edited; re-run the pipeline to regenerate them"))
    }
}
