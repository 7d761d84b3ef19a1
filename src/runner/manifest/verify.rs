//! `canvass verify`: a manifest's inputs and outputs checked against their recorded hashes,
//! and the wave re-run in a folder of its own to compare every output byte for byte.

use super::*;
use sha2::{Digest, Sha256};

/// The outcome of `verify`: each check with whether it held.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verification {
    /// Each check as a sentence ("export ../x.csv has the recorded SHA-256", "re-run reproduces
    /// items.csv byte for byte") with whether it held, in the order made.
    pub checks: Vec<(String, bool)>,
}

impl Verification {
    /// Whether every check held (`verify` exits 1 otherwise).
    pub fn ok(&self) -> bool {
        self.checks.iter().all(|(_, ok)| *ok)
    }
}

/// Checks a manifest: the pipeline, survey and exports still hash as recorded, and re-running
/// the pipeline (into a scratch folder) reproduces every output byte for byte.
pub fn verify(manifest_path: &Path) -> Result<Verification> {
    let text = read_file(manifest_path)?;
    let manifest: Manifest = serde_json::from_slice(&text).map_err(|e| {
        Error::input(manifest_path, format!("is not a canvass manifest: {e}"))
            .hint("pass the manifest.json of a wave folder")
    })?;
    confine::manifest(manifest_path, &manifest)?;
    let dir = manifest_path.parent().unwrap_or(Path::new("."));
    publish::not_mid_publish(dir)?;
    let mut checks = Vec::new();
    let mut check_hash = |label: &str, f: &FileHash| {
        let ok = read_file(&dir.join(&f.path))
            .map(|b| hex(&Sha256::digest(b)) == f.sha256)
            .unwrap_or(false);
        checks.push((format!("{label} {} has the recorded SHA-256", f.path), ok));
    };
    check_hash("pipeline", &manifest.pipeline);
    check_hash("survey", &manifest.survey);
    if let Some(r) = &manifest.review {
        check_hash("review", r);
    }
    if let Some(c) = &manifest.coded {
        check_hash("coded sample", c);
    }
    for t in &manifest.templates {
        check_hash("template", t);
    }
    for i in &manifest.inputs {
        check_hash(
            "export",
            &FileHash {
                path: i.path.clone(),
                sha256: i.sha256.clone(),
            },
        );
        if let Some(d) = &i.dictionary {
            check_hash("dictionary", d);
        }
    }
    for out in &manifest.outputs {
        check_hash("output", out);
    }
    if !checks.iter().all(|(_, ok)| *ok) {
        return Ok(Verification { checks });
    }
    let pipeline_path = dir.join(&manifest.pipeline.path);
    if !manifest.secret_fingerprint.is_empty() {
        let (check, ok) = secret::check(&pipeline_path, &manifest.secret_fingerprint)?;
        checks.push((check, ok));
        if !ok {
            return Ok(Verification { checks });
        }
    }
    // A folder of its own, removed when dropped: nothing the manifest names is deleted.
    let scratch = tempfile::Builder::new()
        .prefix("canvass-verify-")
        .tempdir()
        .map_err(|e| Error::io(&std::env::temp_dir(), e))?;
    // Into a scratch folder, without the cache: every stage is computed afresh.
    let options = RunOptions {
        keep_tests: manifest.settings.keep_test_responses,
        parquet: manifest.settings.parquet,
        no_cache: true,
        existing_secret_only: true,
        ..RunOptions::default()
    };
    let results = run(
        &pipeline_path,
        Some(scratch.path()),
        &options,
        &crate::progress::Silent,
    );
    let outcome = results.map(|_| ());
    for out in &manifest.outputs {
        let ok = outcome.is_ok()
            && read_file(&scratch.path().join(&manifest.wave).join(&out.path))
                .map(|b| hex(&Sha256::digest(b)) == out.sha256)
                .unwrap_or(false);
        checks.push((format!("re-run reproduces {} byte for byte", out.path), ok));
    }
    outcome?;
    Ok(Verification { checks })
}
