//! Writing files without trusting what is already there: another user may have planted a
//! symbolic link or a FIFO where canvass writes. Only the standard library below this module,
//! so that `error` (whose `write_file` uses it) and the runner can both build on it.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// The suffix of every temporary file canvass writes; the next run into a wave's folder removes
/// any it finds there (left by a run that was killed).
pub const TEMP_SUFFIX: &str = ".canvass-tmp";

/// Why `path` must not be replaced, or `None` when nothing is there yet or it is a regular
/// file: renaming onto a symbolic link would replace the link the user made, and a device or
/// FIFO is not a file.
pub fn why_not_replaceable(path: &Path) -> std::io::Result<Option<&'static str>> {
    let meta = match std::fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    let kind = meta.file_type();
    Ok(if kind.is_file() {
        None
    } else if kind.is_symlink() {
        Some("is a symbolic link: canvass does not write through links nor replace them")
    } else if kind.is_dir() {
        Some("is a folder, not a file")
    } else {
        Some("is not a regular file (a device, FIFO or socket): canvass does not replace it")
    })
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
/// leftovers. Never follows a link; a missing `dir` has none.
pub fn remove_temps(dir: &Path) -> std::io::Result<()> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    for entry in entries {
        let entry = entry?;
        let is_temp = entry.file_name().to_string_lossy().ends_with(TEMP_SUFFIX);
        let kind = entry.file_type()?;
        if is_temp && (kind.is_file() || kind.is_symlink()) {
            std::fs::remove_file(entry.path())?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporary_files_are_new_and_a_planted_link_is_neither_followed_nor_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        std::fs::write(&victim, b"keep").unwrap();
        #[cfg(unix)]
        {
            let link = dir.path().join("link");
            std::os::unix::fs::symlink(&victim, &link).unwrap();
            assert!(why_not_replaceable(&link).unwrap().is_some());
            let planted = dir.path().join(format!("x{TEMP_SUFFIX}"));
            std::os::unix::fs::symlink(&victim, &planted).unwrap();
        }
        assert_eq!(why_not_replaceable(&victim).unwrap(), None);
        let (_, tmp) = create_temp(dir.path(), Path::new("summary.html")).unwrap();
        assert!(tmp.to_string_lossy().ends_with(TEMP_SUFFIX));
        remove_temps(dir.path()).unwrap();
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().collect();
        assert_eq!(left.len(), if cfg!(unix) { 2 } else { 1 });
        assert_eq!(std::fs::read(&victim).unwrap(), b"keep");
    }
}
