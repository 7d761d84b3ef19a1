//! Writing a wave's outputs so that a run stopped part-way leaves the previous outputs whole:
//! each file goes to a temporary name as soon as it is made (so a national survey's files are
//! not all held in memory together) and is hashed as it is written; only when every file and
//! the manifest are written are they renamed into place, the manifest last.

use crate::error::{Error, Result};
use crate::ingest::hex;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// Outputs written under temporary names, waiting to be renamed into place. Dropped without
/// `commit` (an error on the way), it removes them.
pub struct Staging {
    directory: PathBuf,
    /// Per file: its path relative to the wave's folder, SHA-256, temporary and final paths.
    staged: Vec<(String, String, PathBuf, PathBuf)>,
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
            .map(|(n, h, _, _)| (n.as_str(), h.as_str()))
    }

    /// Renames every staged file into place, in the order staged.
    pub fn commit(mut self) -> Result<()> {
        for (_, _, tmp, path) in std::mem::take(&mut self.staged) {
            std::fs::rename(&tmp, &path).map_err(|e| Error::io(&path, e))?;
        }
        Ok(())
    }

    fn write(
        &mut self,
        name: &str,
        fill: impl FnOnce(&mut Hashing<BufWriter<std::fs::File>>) -> std::io::Result<()>,
    ) -> Result<()> {
        let path = self.directory.join(name);
        // The Parquet tables are below the output folder, beside the waves' folders.
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        // `summary.html` and `summary.md` must not share a temporary name.
        let tmp = self.directory.join(format!("{name}.canvass-tmp"));
        let written = std::fs::File::create(&tmp).and_then(|file| {
            let mut w = Hashing {
                inner: BufWriter::with_capacity(1 << 20, file),
                sha: Sha256::new(),
            };
            fill(&mut w)?;
            w.inner.flush()?;
            Ok(hex(&w.sha.finalize()))
        });
        match written {
            Ok(sha256) => {
                self.staged.push((name.to_string(), sha256, tmp, path));
                Ok(())
            }
            Err(e) => {
                let _ = std::fs::remove_file(&tmp);
                Err(Error::io(&tmp, e))
            }
        }
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        for (_, _, tmp, _) in &self.staged {
            let _ = std::fs::remove_file(tmp);
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

/// A writer that hashes what passes through it.
struct Hashing<W> {
    inner: W,
    sha: Sha256,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.sha.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
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
}
