//! Where a run may write, and what it may believe of paths written by someone else: a manifest
//! is a file people receive from others, and an output folder may hold what another user
//! planted there, so a path read from either is refused unless it stays where it belongs.
//! (Writing itself, never through a link nor over a device: `crate::files`.)

use super::Manifest;
use crate::config::pipeline::LoadedPipeline;
use crate::error::{Error, Result};
use std::path::{Component, Path, PathBuf};

/// Whether `path` is relative and only goes down (no `..`, no root, no drive).
pub fn goes_down_only(path: &str) -> bool {
    !path.is_empty()
        && Path::new(path)
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
}

/// Whether `path` is relative (no root, no drive): an input a manifest records relative to its
/// folder may walk up to the project, never start elsewhere.
pub fn is_relative(path: &str) -> bool {
    !path.is_empty()
        && Path::new(path)
            .components()
            .all(|c| !matches!(c, Component::RootDir | Component::Prefix(_)))
}

/// Whether `path` is where a run writes an output of a wave: a file of the wave's folder, or
/// one of the Parquet tables beside the waves' folders (`../parquet/…`).
pub fn is_output_path(path: &str) -> bool {
    match path.strip_prefix("../parquet/") {
        Some(table) => goes_down_only(table),
        None => goes_down_only(path),
    }
}

/// Refuses a run whose output folders hold one of its inputs: the run would replace the raw
/// export (or survey, review, dictionary, coded sample, template) with a report's file of the
/// same name.
pub fn inputs_outside_outputs(lp: &LoadedPipeline, root: &Path) -> Result<()> {
    let written: Vec<PathBuf> = lp
        .config
        .waves
        .iter()
        .map(|w| root.join(&w.name))
        .chain([root.join("parquet")])
        .filter_map(|d| d.canonicalize().ok())
        .collect();
    let inside = |file: &Path| -> Option<&PathBuf> {
        let file = file.canonicalize().ok()?;
        written.iter().find(|d| file.starts_with(d))
    };
    for (config, key, file) in inputs_of(lp) {
        if let Some(folder) = inside(&file) {
            return Err(Error::config(
                config,
                key,
                format!(
                    "{} is inside {}, a folder the run writes its outputs to: the run would \
                     replace it",
                    file.display(),
                    folder.display()
                ),
            )
            .hint("keep exports and survey files outside the output folder, or choose another `output`"));
        }
    }
    Ok(())
}

/// Every file or folder a run reads, with the configuration file and key that name it.
fn inputs_of(lp: &LoadedPipeline) -> Vec<(&Path, String, PathBuf)> {
    let pipeline = lp.path.as_path();
    let mut inputs = vec![(pipeline, "survey".to_string(), lp.survey_path.clone())];
    for (i, w) in lp.config.waves.iter().enumerate() {
        inputs.push((pipeline, format!("waves[{i}].export"), lp.export_path(w)));
        if let Some(d) = lp.dictionary_path(w) {
            inputs.push((pipeline, format!("waves[{i}].dictionary"), d));
        }
    }
    if let Some(r) = lp.review_path() {
        inputs.push((pipeline, "themes.review".into(), r));
    }
    if let Some(t) = &lp.templates {
        inputs.push((pipeline, "templates".into(), t.clone()));
    }
    // A coded sample is named by the survey file, relative to it.
    if let Some(coded) = lp.survey.text.first().and_then(|q| q.coded.as_ref()) {
        let survey_dir = lp.survey_path.parent().unwrap_or(Path::new("."));
        inputs.push((
            &lp.survey_path,
            "text[0].coded".into(),
            survey_dir.join(coded),
        ));
    }
    inputs
}

/// Refuses a manifest whose wave is not a folder name, or whose paths leave where they belong:
/// outputs in the wave's folder (or its Parquet tables), inputs relative to it.
pub fn manifest(manifest_path: &Path, m: &Manifest) -> Result<()> {
    let refuse = |what: String| {
        Error::input(manifest_path, what).hint(
            "canvass writes manifests with the wave's folder name and relative paths; this one \
             was edited or not written by canvass",
        )
    };
    if !crate::config::pipeline::is_folder_name(&m.wave) {
        return Err(refuse(format!(
            "`wave` `{}` is not a wave's folder name",
            m.wave
        )));
    }
    if let Some(out) = m.outputs.iter().find(|o| !is_output_path(&o.path)) {
        return Err(refuse(format!(
            "lists the output {}, which is not in the wave's folder",
            out.path
        )));
    }
    let inputs = [
        Some(&m.pipeline),
        Some(&m.survey),
        m.review.as_ref(),
        m.coded.as_ref(),
    ]
    .into_iter()
    .flatten()
    .chain(&m.templates)
    .map(|f| f.path.as_str())
    .chain(m.inputs.iter().map(|i| i.path.as_str()))
    .chain(
        m.inputs
            .iter()
            .filter_map(|i| i.dictionary.as_ref())
            .map(|d| d.path.as_str()),
    );
    for path in inputs {
        if !is_relative(path) {
            return Err(refuse(format!(
                "names the input {path}, which is not relative to the manifest's folder"
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_paths_stay_in_the_wave_folder_or_the_parquet_tables() {
        for ok in ["summary.html", "../parquet/items/wave=w/part-0.parquet"] {
            assert!(is_output_path(ok), "{ok}");
        }
        for bad in [
            "/etc/hostname",
            "../x",
            "a/../../x",
            "../parquet/../../x",
            "",
        ] {
            assert!(!is_output_path(bad), "{bad}");
        }
        assert!(is_relative("../../surveys/x.csv"));
        assert!(!is_relative("/etc/hostname"));
    }
}
