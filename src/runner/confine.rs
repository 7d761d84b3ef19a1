//! Where canvass may write, and what it may believe of paths written by someone else.
//!
//! A manifest is a file people receive from others, and an output folder may hold what another
//! user planted there: a path read from either is refused unless it stays where it belongs, and
//! no file is written through a symbolic link or over a device, FIFO or socket.

use crate::config::pipeline::LoadedPipeline;
use crate::error::{Error, Result};
use std::fs::File;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// The suffix of every temporary file canvass writes; the next run into a folder removes any it
/// finds there (left by a run that was killed).
pub const TEMP_SUFFIX: &str = ".canvass-tmp";

/// Refuses to replace `path` unless nothing is there yet or it is a regular file: renaming onto
/// a symbolic link would replace the link the user made, and a device or FIFO is not a file.
pub fn replaceable(path: &Path) -> Result<()> {
    let meta = match std::fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::io(path, e)),
    };
    let kind = meta.file_type();
    if kind.is_file() {
        return Ok(());
    }
    let what = if kind.is_symlink() {
        "is a symbolic link: canvass does not write through links nor replace them"
    } else if kind.is_dir() {
        "is a folder, not a file"
    } else {
        "is not a regular file (a device, FIFO or socket): canvass does not replace it"
    };
    Err(Error::input(path, what.to_string())
        .hint("canvass replaces only regular files: remove or rename it, or write to another name"))
}

/// Creates a new temporary file in `dir` for `dest`'s bytes, exclusively (`O_EXCL`: never
/// opening what is already there, a planted symbolic link included). Its name starts with a dot
/// and ends with [`TEMP_SUFFIX`].
pub fn create_temp(dir: &Path, dest: &Path) -> std::io::Result<(File, PathBuf)> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let stem = dest
        .file_name()
        .map_or_else(|| "out".into(), |n| n.to_string_lossy().into_owned());
    loop {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let tmp = dir.join(format!(".{stem}.{}-{n}{TEMP_SUFFIX}", std::process::id()));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
        {
            Ok(f) => return Ok((f, tmp)),
            // Left by an earlier process with the same id: take the next name.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
}

/// Removes every temporary file (or link named as one) directly in `dir`: a killed run's
/// leftovers. Never follows a link.
pub fn remove_temps(dir: &Path) -> Result<()> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::io(dir, e)),
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let is_temp = name.to_string_lossy().ends_with(TEMP_SUFFIX);
        let kind = entry.file_type().map_err(|e| Error::io(&entry.path(), e))?;
        if is_temp && (kind.is_file() || kind.is_symlink()) {
            std::fs::remove_file(entry.path()).map_err(|e| Error::io(&entry.path(), e))?;
        }
    }
    Ok(())
}

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
/// export (or survey, review, dictionary) with a report's file of the same name.
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
    let mut inputs: Vec<(String, PathBuf)> = vec![("survey".into(), lp.survey_path.clone())];
    for (i, w) in lp.config.waves.iter().enumerate() {
        inputs.push((format!("waves[{i}].export"), lp.export_path(w)));
        if let Some(d) = lp.dictionary_path(w) {
            inputs.push((format!("waves[{i}].dictionary"), d));
        }
    }
    if let Some(r) = lp.review_path() {
        inputs.push(("themes.review".into(), r));
    }
    if let Some(t) = &lp.templates {
        inputs.push(("templates".into(), t.clone()));
    }
    for (key, file) in inputs {
        if let Some(folder) = inside(&file) {
            return Err(Error::config(
                &lp.path,
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

    #[test]
    fn temporary_files_are_new_and_a_planted_link_is_neither_followed_nor_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        std::fs::write(&victim, b"keep").unwrap();
        let link = dir.path().join("link");
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(&victim, &link).unwrap();
            assert!(replaceable(&link).is_err());
        }
        let (_, tmp) = create_temp(dir.path(), Path::new("summary.html")).unwrap();
        assert!(tmp.to_string_lossy().ends_with(TEMP_SUFFIX));
        remove_temps(dir.path()).unwrap();
        assert!(!tmp.exists());
        assert_eq!(std::fs::read(&victim).unwrap(), b"keep");
    }
}
