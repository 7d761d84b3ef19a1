//! Writing a wave's outputs so that a run stopped part-way leaves whole outputs: each file goes
//! to a new temporary file in the wave's folder as soon as it is made (so a national survey's
//! files are not all held in memory together) and is hashed as it is written. When every file
//! and the manifest are written, a journal listing the renames is put in place (itself by a
//! rename), then the files are renamed into place, the manifest last, and the journal removed.
//! A run killed before the journal leaves the previous outputs; one killed after it leaves a
//! journal the next run into the folder completes ([`recover`]) before anything else, so the
//! folder holds either every old file or every new one once a run starts.

use super::cache::Hashing;
use super::confine;
use crate::error::replaceable;
use crate::error::{Error, Result};
use crate::files::{self, TEMP_SUFFIX};
use crate::ingest::hex;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// The journal of a publish under way, in the wave's folder.
pub const JOURNAL: &str = ".canvass-publish.json";

/// The renames that make a wave's new outputs current: each temporary file's name in the wave's
/// folder and its destination relative to that folder, in the order they are made.
#[derive(Debug, Serialize, Deserialize)]
struct Journal {
    renames: Vec<(String, String)>,
}

/// One staged output.
struct Staged {
    /// Its path relative to the wave's folder, as the manifest lists it.
    name: String,
    sha256: String,
    /// The temporary file in the wave's folder.
    tmp: PathBuf,
}

/// Outputs written under temporary names, waiting to be renamed into place. Dropped without
/// `commit` (an error on the way), it removes them.
pub struct Staging {
    directory: PathBuf,
    staged: Vec<Staged>,
}

impl Staging {
    /// Stages into `directory` (a wave's folder; created if missing).
    pub fn new(directory: &Path) -> Result<Staging> {
        std::fs::create_dir_all(directory).map_err(|e| Error::io(directory, e))?;
        Ok(Staging {
            directory: directory.to_path_buf(),
            staged: Vec::new(),
        })
    }

    /// Writes one output, `name` relative to the wave's folder.
    pub fn put(&mut self, name: &str, bytes: &[u8]) -> Result<()> {
        self.write(name, |w| w.write_all(bytes))
    }

    /// Writes a value as indented JSON with a final newline, straight to its file.
    pub fn put_json<T: Serialize>(&mut self, name: &str, value: &T) -> Result<()> {
        self.write(name, |w| {
            serde_json::to_writer_pretty(&mut *w, value).map_err(std::io::Error::other)?;
            w.write_all(b"\n")
        })
    }

    /// Each staged file's path (relative to the wave's folder) and SHA-256, in order.
    pub fn hashes(&self) -> impl Iterator<Item = (&str, &str)> {
        self.staged
            .iter()
            .map(|s| (s.name.as_str(), s.sha256.as_str()))
    }

    /// Makes every staged file current, in the order staged: through the journal, so that a
    /// kill part-way is completed by the next run.
    pub fn commit(mut self) -> Result<()> {
        for s in &self.staged {
            replaceable(&self.directory.join(&s.name))?;
        }
        let journal = Journal {
            renames: self
                .staged
                .iter()
                .map(|s| (temp_name(&s.tmp), s.name.clone()))
                .collect(),
        };
        let mut bytes = serde_json::to_vec_pretty(&journal).map_err(std::io::Error::other);
        if let Ok(b) = &mut bytes {
            b.push(b'\n');
        }
        let bytes = bytes.map_err(|e| Error::io(&self.directory.join(JOURNAL), e))?;
        crate::error::write_file(&self.directory.join(JOURNAL), &bytes)?;
        // The journal now owns the temporary files: Drop must not remove them.
        self.staged.clear();
        complete(&self.directory, &journal)
    }

    fn write(
        &mut self,
        name: &str,
        fill: impl FnOnce(&mut BufWriter<Hashing<std::fs::File>>) -> std::io::Result<()>,
    ) -> Result<()> {
        if !confine::is_output_path(name) {
            return Err(Error::io(
                &self.directory.join(name),
                std::io::Error::other("an output's path leaves the wave's folder"),
            ));
        }
        let path = self.directory.join(name);
        // The Parquet tables are below the output folder, beside the waves' folders.
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        // Every temporary file is in the wave's folder, where the next run looks for leftovers.
        let (file, tmp) =
            files::create_temp(&self.directory, &path).map_err(|e| Error::io(&path, e))?;
        // Hashed below the buffer: the hash takes the buffer's large blocks, not each of a JSON
        // printer's small writes (a national survey's themes.json is millions of them).
        let mut w = BufWriter::with_capacity(
            1 << 20,
            Hashing {
                inner: file,
                sha: Sha256::new(),
            },
        );
        let written = fill(&mut w).and_then(|()| w.flush());
        match written {
            Ok(()) => {
                let sha = w.get_ref().sha.clone().finalize();
                self.staged.push(Staged {
                    name: name.to_string(),
                    sha256: hex(&sha),
                    tmp,
                });
                Ok(())
            }
            Err(e) => {
                drop(w);
                let _ = std::fs::remove_file(&tmp);
                Err(Error::io(&tmp, e))
            }
        }
    }
}

fn temp_name(tmp: &Path) -> String {
    tmp.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Makes the renames of a journal whose temporary files are still there, then removes the
/// journal. Renaming is idempotent in this order: a file already renamed has no temporary file.
fn complete(directory: &Path, journal: &Journal) -> Result<()> {
    for (tmp, name) in &journal.renames {
        let (tmp, dest) = (directory.join(tmp), directory.join(name));
        if std::fs::symlink_metadata(&tmp).is_err() {
            continue;
        }
        replaceable(&dest)?;
        std::fs::rename(&tmp, &dest).map_err(|e| Error::io(&dest, e))?;
    }
    let path = directory.join(JOURNAL);
    std::fs::remove_file(&path).map_err(|e| Error::io(&path, e))
}

/// Before a run writes into a wave's folder: completes the publish a killed run left (its
/// journal), then removes every temporary file left, so a run never starts on mixed outputs.
pub fn recover(directory: &Path) -> Result<()> {
    let path = directory.join(JOURNAL);
    match std::fs::symlink_metadata(&path) {
        Ok(m) if m.file_type().is_file() => {
            let journal = read_journal(&path)?;
            // The report's cache entry is the last whole run's, not the outputs' now in
            // place: the report runs again rather than be reused on the strength of it.
            super::cache::forget(directory, super::Stage::Report.name())?;
            complete(directory, &journal)?;
        }
        Ok(_) => replaceable(&path)?,
        Err(_) => {}
    }
    for dir in [directory.to_path_buf(), super::cache::dir(directory)] {
        files::remove_temps(&dir).map_err(|e| Error::io(&dir, e))?;
    }
    Ok(())
}

/// Refuses to read a wave's folder whose outputs a killed run left half replaced (`verify`).
pub fn not_mid_publish(directory: &Path) -> Result<()> {
    if std::fs::symlink_metadata(directory.join(JOURNAL)).is_ok() {
        return Err(Error::input(
            directory,
            "a run into this folder was stopped while it replaced the outputs",
        )
        .hint("run the pipeline again: it completes the interrupted run first"));
    }
    Ok(())
}

/// A journal, each of whose renames stays in the wave's folder (or the Parquet tables).
fn read_journal(path: &Path) -> Result<Journal> {
    let unusable = |why: String| {
        Error::input(
            path,
            format!("is not a publish journal canvass can complete: {why}"),
        )
        .hint("it records an interrupted run; delete it and run again to rewrite the wave's files")
    };
    let bytes = crate::error::read_file(path)?;
    let journal: Journal = serde_json::from_slice(&bytes).map_err(|e| unusable(e.to_string()))?;
    for (tmp, name) in &journal.renames {
        let temp_ok =
            tmp.ends_with(TEMP_SUFFIX) && confine::goes_down_only(tmp) && !tmp.contains('/');
        if !temp_ok || !confine::is_output_path(name) {
            return Err(unusable(format!("{tmp} → {name} leaves the wave's folder")));
        }
    }
    Ok(journal)
}

impl Drop for Staging {
    fn drop(&mut self) {
        for s in &self.staged {
            let _ = std::fs::remove_file(&s.tmp);
        }
    }
}

impl crate::report::Outputs for Staging {
    fn put(&mut self, name: &str, bytes: &[u8]) -> Result<()> {
        Staging::put(self, name, bytes)
    }

    fn stream(
        &mut self,
        name: &str,
        fill: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<()> {
        self.write(name, |w| fill(w))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_appear_only_on_commit_and_an_abandoned_staging_leaves_nothing() {
        let dir = std::env::temp_dir().join(format!("canvass-staging-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let mut s = Staging::new(&dir).unwrap();
        s.put("a.txt", b"abc").unwrap();
        s.put_json("b.json", &vec![1, 2]).unwrap();
        assert!(!dir.join("a.txt").exists());
        // SHA-256 of "abc", from FIPS 180-2's example.
        let hashes: Vec<_> = s
            .hashes()
            .map(|(n, h)| (n.to_string(), h.to_string()))
            .collect();
        assert_eq!(
            hashes[0],
            (
                "a.txt".to_string(),
                "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad".to_string()
            )
        );
        s.commit().unwrap();
        assert_eq!(std::fs::read(dir.join("a.txt")).unwrap(), b"abc");
        assert_eq!(
            std::fs::read_to_string(dir.join("b.json")).unwrap(),
            "[\n  1,\n  2\n]\n"
        );
        let mut abandoned = Staging::new(&dir).unwrap();
        abandoned.put("c.txt", b"x").unwrap();
        drop(abandoned);
        let left: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(left.len(), 2, "{left:?}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn recovery_completes_a_journal_rolled_part_way_and_removes_orphans() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        for name in ["a.txt", "b.txt", "manifest.json"] {
            std::fs::write(d.join(name), b"old").unwrap();
        }
        let mut s = Staging::new(d).unwrap();
        for name in ["a.txt", "b.txt", "manifest.json"] {
            s.put(name, b"new").unwrap();
        }
        let renames: Vec<(String, String)> = s
            .staged
            .iter()
            .map(|x| (temp_name(&x.tmp), x.name.clone()))
            .collect();
        // Killed after the journal and the first rename.
        crate::error::write_file(
            &d.join(JOURNAL),
            &serde_json::to_vec(&Journal {
                renames: renames.clone(),
            })
            .unwrap(),
        )
        .unwrap();
        std::fs::rename(d.join(&renames[0].0), d.join("a.txt")).unwrap();
        s.staged.clear();
        // And an orphan of a run killed before its journal.
        std::fs::write(d.join(".x.1-0.canvass-tmp"), b"half").unwrap();
        recover(d).unwrap();
        for name in ["a.txt", "b.txt", "manifest.json"] {
            assert_eq!(std::fs::read(d.join(name)).unwrap(), b"new", "{name}");
        }
        let mut left: Vec<String> = std::fs::read_dir(d)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, ["a.txt", "b.txt", "manifest.json"]);
    }

    #[test]
    fn a_journal_that_leaves_the_folder_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::write(
            d.join(JOURNAL),
            br#"{"renames": [[".a.1-0.canvass-tmp", "../../victim"]]}"#,
        )
        .unwrap();
        let e = recover(d).unwrap_err().to_string();
        assert!(e.contains("leaves the wave's folder"), "{e}");
    }
}
