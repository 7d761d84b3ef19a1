//! One run at a time per output folder: a second run into the same folder waits for the first
//! (and says so) rather than renaming files from under it.

use super::confine;
use crate::config::pipeline::LoadedPipeline;
use crate::error::{Error, Result};
use std::fs::{File, TryLockError};
use std::path::{Path, PathBuf};

/// The lock's file, below the output folder's cache folder (not a deliverable).
pub const LOCK_FILE: &str = ".canvass/lock";

/// The output folder held for this process until dropped (the operating system releases an
/// advisory lock when its holder ends, killed or not, so nothing is left to clean up).
pub struct OutputLock {
    _file: File,
}

/// Readies `root` for a run that writes: its output folders must not hold an input, no other
/// run may be writing it, and what a killed run left is completed or removed first.
pub fn claim_output(lp: &LoadedPipeline, root: &Path) -> Result<OutputLock> {
    confine::inputs_outside_outputs(lp, root)?;
    let lock = OutputLock::take(root)?;
    for wave in &lp.config.waves {
        super::publish::recover(&root.join(&wave.name))?;
    }
    Ok(lock)
}

impl OutputLock {
    /// Takes the lock of `root`, waiting while another run holds it.
    pub fn take(root: &Path) -> Result<OutputLock> {
        let path = root.join(LOCK_FILE);
        let folder = path.parent().unwrap_or(root);
        std::fs::create_dir_all(folder).map_err(|e| Error::io(folder, e))?;
        crate::error::replaceable(&path)?;
        let file = open_no_follow(&path).map_err(|e| Error::io(&path, e))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                eprintln!(
                    "waiting: another canvass run is writing {}; this run starts when it ends",
                    root.display()
                );
                file.lock().map_err(|e| Error::io(&path, e))?;
            }
            Err(TryLockError::Error(e)) => return Err(Error::io(&path, e)),
        }
        Ok(OutputLock { _file: file })
    }
}

/// Opens (or creates) the lock file without following a link planted in its place.
fn open_no_follow(path: &PathBuf) -> std::io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW);
    }
    options.open(path)
}
