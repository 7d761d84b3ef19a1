//! The stage cache: each stage's artefact kept with the key of its inputs in the wave folder's
//! `.canvass/`, so that a re-run reuses every stage whose inputs did not change.
//!
//! The folder is not a deliverable: no manifest lists it, and deleting it is always safe (the
//! next run recomputes everything). A stage's entry is two kinds of file: `<stage>.json` holds the
//! key, its parts (so `--dry-run` can say which input changed) and the SHA-256 of each artefact
//! file `<stage>.<name>.json` (`<stage>.<name>.rows` for rows, in [`crate::codec`]'s form).
//! The entry is written after its artefacts and checks them when read, so a run killed between
//! the two leaves an entry that is simply not reused.

use crate::codec::{self, Record};
use crate::error::{replaceable, write_file, Error, Result};
use crate::ingest::hex;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// A cache file whose JSON cannot be made (strings and numbers only: never expected).
fn unwritable(path: &Path, e: serde_json::Error) -> Error {
    Error::input(
        path,
        format!("canvass could not write this cache file: {e}"),
    )
    .hint("delete the folder's .canvass cache and run again; please report this")
}

/// The cache folder of a wave folder.
pub const DIR: &str = ".canvass";

pub fn dir(wave_dir: &Path) -> PathBuf {
    wave_dir.join(DIR)
}

/// The inputs of a stage, each reduced to a SHA-256, in a fixed order. The key is the SHA-256
/// of them all. An extra input file of a stage is one more `.file(…)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageKey {
    pub parts: Vec<(String, String)>,
}

impl StageKey {
    /// A key that starts with the build of canvass: a new version, or a rebuilt binary, may
    /// compute differently, so it reuses nothing.
    pub fn new() -> StageKey {
        StageKey {
            parts: vec![("canvass version".into(), build_id().to_string())],
        }
    }

    /// An input already reduced to a SHA-256 (a file's).
    pub fn file(mut self, name: &str, sha256: &str) -> StageKey {
        self.parts.push((name.to_string(), sha256.to_string()));
        self
    }

    /// The key of a stage's inputs, `inputs` a struct: each field is a part, named as the field
    /// is serialised (what `--dry-run` says changed), its value hashed canonically. An error
    /// says why `inputs` cannot be serialised.
    pub fn of<T: Serialize>(inputs: &T) -> std::result::Result<StageKey, String> {
        let value = serde_json::to_value(inputs).map_err(|e| e.to_string())?;
        let serde_json::Value::Object(fields) = value else {
            return Err(format!("a stage's inputs are not a struct: {value}"));
        };
        fields
            .into_iter()
            .try_fold(StageKey::new(), |key, (name, value)| {
                let bytes = canonical_json(&value).map_err(|e| format!("{name}: {e}"))?;
                Ok(key.file(&name, &hex(&Sha256::digest(bytes))))
            })
    }

    pub fn digest(&self) -> String {
        let mut h = Sha256::new();
        for (name, sha) in &self.parts {
            h.update(name.as_bytes());
            h.update([0]);
            h.update(sha.as_bytes());
            h.update([b'\n']);
        }
        hex(&h.finalize())
    }

    /// Why `self` differs from a stored key: the first input that changed, as the user
    /// would say it ("export changed").
    pub fn why_changed(&self, stored: &StageKey) -> String {
        for (name, sha) in &self.parts {
            match stored.parts.iter().find(|(n, _)| n == name) {
                Some((_, old)) if old == sha => {}
                Some(_) => return format!("{name} changed"),
                None => return format!("{name} is new"),
            }
        }
        match stored
            .parts
            .iter()
            .find(|(n, _)| !self.parts.iter().any(|(m, _)| m == n))
        {
            Some((name, _)) => format!("{name} removed"),
            None => "inputs changed".into(),
        }
    }
}

impl Default for StageKey {
    fn default() -> Self {
        StageKey::new()
    }
}

/// The version, and the running executable's size and modification time where they can be read
/// (a developer's rebuild changes what a stage computes without changing the version, and
/// writes a new file). Not its SHA-256: hashing a 50 MB test build on every run was a sixteenth
/// of the test suite's CPU time. The id only keys the stage cache; no output records it.
fn build_id() -> &'static str {
    static ID: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    ID.get_or_init(|| {
        let version = env!("CARGO_PKG_VERSION");
        let built = std::env::current_exe()
            .and_then(std::fs::metadata)
            .and_then(|m| Ok((m.len(), m.modified()?)));
        match built {
            Ok((len, modified)) => {
                let since = modified
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap_or_default();
                format!("{version} {len} {}", since.as_nanos())
            }
            Err(_) => version.to_string(),
        }
    })
}

/// JSON with every object's keys sorted, so that a key does not depend on field order.
pub fn canonical_json<T: Serialize>(value: &T) -> serde_json::Result<Vec<u8>> {
    fn sort(v: serde_json::Value) -> serde_json::Value {
        match v {
            serde_json::Value::Object(map) => {
                let sorted: BTreeMap<String, serde_json::Value> =
                    map.into_iter().map(|(k, v)| (k, sort(v))).collect();
                serde_json::Value::Object(sorted.into_iter().collect())
            }
            serde_json::Value::Array(a) => {
                serde_json::Value::Array(a.into_iter().map(sort).collect())
            }
            other => other,
        }
    }
    let value = serde_json::to_value(value).map(sort)?;
    serde_json::to_vec(&value)
}

pub fn sha256_of_file(path: &Path) -> std::io::Result<String> {
    let mut f = std::fs::File::open(path)?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(hex(&h.finalize()))
}

/// A stage's entry as stored.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Entry {
    key: String,
    parts: Vec<(String, String)>,
    /// Artefact name → SHA-256 of its file.
    artefacts: BTreeMap<String, String>,
}

/// What the cache holds for a stage.
pub enum Stored {
    /// No entry: never run here, or the cache was deleted.
    Missing,
    /// An entry that cannot be read (another version's, or damaged): as if missing.
    Unreadable(String),
    Found(StageKey),
}

impl Stored {
    /// `None` when `key` is the stored one; otherwise why the stage must run.
    pub fn reason(&self, key: &StageKey) -> Option<String> {
        match self {
            Stored::Missing => Some("no cache".into()),
            Stored::Unreadable(why) => Some(format!("cache unreadable: {why}")),
            Stored::Found(k) if k.digest() == key.digest() => None,
            Stored::Found(k) => Some(key.why_changed(k)),
        }
    }
}

fn entry_path(wave_dir: &Path, stage: &str) -> PathBuf {
    dir(wave_dir).join(format!("{stage}.json"))
}

fn artefact_path(wave_dir: &Path, stage: &str, name: &str, form: Form) -> PathBuf {
    let ext = match form {
        Form::Json => "json",
        Form::Rows => "rows",
    };
    dir(wave_dir).join(format!("{stage}.{name}.{ext}"))
}

/// What an artefact's file holds: one JSON value, or rows in [`crate::codec`]'s form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    Json,
    Rows,
}

/// A stage's cache entry; `None` when there is none. An error names the entry's file.
fn read_entry(wave_dir: &Path, stage: &str) -> Result<Option<Entry>> {
    let path = entry_path(wave_dir, stage);
    match std::fs::read(&path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::io(&path, e)),
        Ok(bytes) => serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|e| stale(&path, format!("is not a cache entry of this version: {e}"))),
    }
}

/// A cache file that cannot be reused. No hint: the message becomes the reason a stage runs
/// again (one line of the plan), and running it again is all there is to do.
fn stale(path: &Path, message: impl Into<String>) -> Error {
    Error::input(path, message)
}

/// The stored key of a stage.
pub fn stored(wave_dir: &Path, stage: &str) -> Stored {
    match read_entry(wave_dir, stage) {
        Ok(None) => Stored::Missing,
        Err(e) => Stored::Unreadable(e.to_string()),
        Ok(Some(e)) => {
            let key = StageKey { parts: e.parts };
            if key.digest() == e.key {
                Stored::Found(key)
            } else {
                Stored::Unreadable("its key does not match its inputs".into())
            }
        }
    }
}

/// Reads one artefact of a stage whose stored key is `key`. Fails (to be treated as a cache
/// miss) when the entry is another key's or the file is not the one the entry recorded.
pub fn load<T: DeserializeOwned>(
    wave_dir: &Path,
    stage: &str,
    name: &str,
    key: &StageKey,
) -> Result<T> {
    let (path, want) = recorded(wave_dir, stage, name, key, Form::Json)?;
    let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
    if hex(&Sha256::digest(&bytes)) != want {
        return Err(stale(&path, "changed since it was written"));
    }
    serde_json::from_slice(&bytes).map_err(|e| stale(&path, format!("does not read back: {e}")))
}

/// The file of a stage's artefact written by [`Artefact::rows`] ([`crate::codec`]'s frames), for
/// a reader that reads it again row by row each time it needs the rows. With `check`, the file
/// is first read once to compare it with the SHA-256 the entry recorded (a file this run has
/// just stored needs no check). Fails as [`load`] does.
pub fn rows_file(
    wave_dir: &Path,
    stage: &str,
    name: &str,
    key: &StageKey,
    check: bool,
) -> Result<PathBuf> {
    let (path, want) = recorded(wave_dir, stage, name, key, Form::Rows)?;
    if check && sha256_of_file(&path).map_err(|e| Error::io(&path, e))? != want {
        return Err(stale(&path, "changed since it was written"));
    }
    Ok(path)
}

/// Where a stage's artefact `name` is and the SHA-256 its cache entry recorded for it, when the
/// entry is `key`'s; a miss otherwise.
fn recorded(
    wave_dir: &Path,
    stage: &str,
    name: &str,
    key: &StageKey,
    form: Form,
) -> Result<(PathBuf, String)> {
    let entry_file = entry_path(wave_dir, stage);
    let entry = read_entry(wave_dir, stage)?.ok_or_else(|| stale(&entry_file, "no cache"))?;
    if entry.key != key.digest() {
        return Err(stale(&entry_file, "cached for other inputs"));
    }
    let want = entry
        .artefacts
        .get(name)
        .ok_or_else(|| stale(&entry_file, format!("artefact `{name}` not recorded")))?;
    Ok((artefact_path(wave_dir, stage, name, form), want.clone()))
}

/// Bytes passing through, hashed on the way.
pub(super) struct Hashing<T> {
    pub(super) inner: T,
    pub(super) sha: Sha256,
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

/// An artefact ready to store: its JSON, checked to read back as the same value.
pub struct Artefact<'a> {
    name: String,
    form: Form,
    body: Body<'a>,
}

/// What an artefact's file holds: bytes made already, or JSON written straight to the file
/// (`Ok(false)`: a row did not survive JSON, so the stage is not cached).
enum Body<'a> {
    Bytes(Vec<u8>),
    Streamed(Box<Fill<'a>>),
    /// Already in its file (by [`write_rows`]), with this SHA-256.
    Written(String),
}

type Fill<'a> = dyn FnOnce(&mut dyn Write) -> std::io::Result<bool> + 'a;

impl<'a> Artefact<'a> {
    /// `None` when the value does not survive JSON (a NaN, say): then the stage is not cached
    /// and simply runs again next time, rather than being reused as something else.
    pub fn new<T: Serialize + DeserializeOwned + PartialEq>(
        name: &str,
        value: &T,
    ) -> Option<Artefact<'a>> {
        let bytes = serde_json::to_vec(value).ok()?;
        // Read back and compared as a value (not re-written and compared as bytes, which costs
        // a second serialisation of a national survey's comments); a NaN is unequal to itself,
        // so a value holding one is simply not cached.
        let back: T = serde_json::from_slice(&bytes).ok()?;
        (&back == value).then(|| Artefact {
            name: name.to_string(),
            form: Form::Json,
            body: Body::Bytes(bytes),
        })
    }

    /// A value that writes its own JSON when stored, straight to its file, with nothing read
    /// back to check it: for a value JSON holds exactly and that encodes itself faster than
    /// serde does on one thread (a million respondents' agreement, `Agreement::write_json`).
    pub fn written_by(
        name: &str,
        write: impl FnOnce(&mut dyn Write) -> std::io::Result<()> + 'a,
    ) -> Artefact<'a> {
        Artefact {
            name: name.to_string(),
            form: Form::Json,
            body: Body::Streamed(Box::new(move |w| write(w).map(|()| true))),
        }
    }

    /// `rows` written to its file when stored, in [`crate::codec`]'s form: a wave's comments
    /// are never held as one buffer, and are read back one row at a time from [`rows_file`].
    pub fn rows<T: Record>(name: &str, rows: &'a [T]) -> Artefact<'a> {
        Artefact {
            name: name.to_string(),
            form: Form::Rows,
            body: Body::Streamed(Box::new(move |w| codec::write_all(rows, w).map(|()| true))),
        }
    }
}

impl Artefact<'_> {
    /// An artefact its stage wrote to its file already ([`write_rows`]), recorded with the
    /// SHA-256 that returned.
    pub fn written(name: &str, sha256: String) -> Artefact<'static> {
        Artefact {
            name: name.to_string(),
            form: Form::Rows,
            body: Body::Written(sha256),
        }
    }
}

/// Writes `rows` to the file of a stage's artefact `name` now, as [`Artefact::rows`] does when
/// stored, before the stage is over (so that they need not be held until then): the file and
/// its SHA-256, which [`Artefact::written`] then records.
pub fn write_rows<T: Record>(
    wave_dir: &Path,
    stage: &str,
    name: &str,
    rows: &[T],
) -> Result<(PathBuf, String)> {
    let path = artefact_path(wave_dir, stage, name, Form::Rows);
    let fill: Box<Fill> = Box::new(|w| codec::write_all(rows, w).map(|()| true));
    let sha = write_streamed(&path, fill)?;
    // Rows always survive their form: only a JSON artefact's fill says it could not be made.
    let sha = sha.ok_or_else(|| Error::input(&path, "could not be written"))?;
    Ok((path, sha))
}

/// Writes a streamed artefact to `path` (atomically, as `write_file`) and returns its
/// SHA-256; `None`, leaving nothing, when a row did not survive JSON.
fn write_streamed(path: &Path, fill: Box<Fill>) -> Result<Option<String>> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    replaceable(path)?;
    let (file, tmp) = crate::files::create_temp(dir, path).map_err(|e| Error::io(path, e))?;
    // Hashed below the buffer, so the hash takes large blocks (see `Staging::write`).
    let mut w = std::io::BufWriter::with_capacity(
        1 << 20,
        Hashing {
            inner: file,
            sha: Sha256::new(),
        },
    );
    let written = fill(&mut w).and_then(|kept| w.flush().map(|()| kept));
    let sha = hex(&w.get_ref().sha.clone().finalize());
    drop(w);
    match written {
        Ok(true) => match std::fs::rename(&tmp, path) {
            Ok(()) => Ok(Some(sha)),
            Err(e) => {
                let _ = std::fs::remove_file(&tmp);
                Err(Error::io(path, e))
            }
        },
        Ok(false) => {
            let _ = std::fs::remove_file(&tmp);
            Ok(None)
        }
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(Error::io(path, e))
        }
    }
}

/// Stores a stage's artefacts, then its entry (each file atomically). `None` artefacts (that
/// do not survive JSON) leave the stage uncached: its old entry is removed.
pub fn store(
    wave_dir: &Path,
    stage: &str,
    key: &StageKey,
    artefacts: Vec<Option<Artefact>>,
) -> Result<()> {
    let entry_file = entry_path(wave_dir, stage);
    let Some(artefacts) = artefacts.into_iter().collect::<Option<Vec<_>>>() else {
        return forget(wave_dir, stage);
    };
    let mut recorded = BTreeMap::new();
    for a in artefacts {
        let path = artefact_path(wave_dir, stage, &a.name, a.form);
        let sha256 = match a.body {
            Body::Bytes(bytes) => {
                write_file(&path, &bytes)?;
                hex(&Sha256::digest(&bytes))
            }
            Body::Streamed(fill) => match write_streamed(&path, fill)? {
                Some(sha256) => sha256,
                None => return forget(wave_dir, stage),
            },
            Body::Written(sha256) => sha256,
        };
        recorded.insert(a.name, sha256);
    }
    let entry = Entry {
        key: key.digest(),
        parts: key.parts.clone(),
        artefacts: recorded,
    };
    let mut bytes = serde_json::to_vec_pretty(&entry).map_err(|e| unwritable(&entry_file, e))?;
    bytes.push(b'\n');
    write_file(&entry_file, &bytes)
}

/// Removes a stage's entry, so that the next run runs the stage.
pub fn forget(wave_dir: &Path, stage: &str) -> Result<()> {
    let entry_file = entry_path(wave_dir, stage);
    match std::fs::remove_file(&entry_file) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::io(&entry_file, e)),
        _ => Ok(()),
    }
}

/// The SHA-256 of input files, remembered with their size and modification time in
/// `.canvass/inputs.json`, so that a re-run on an unchanged export does not read it at all.
/// A file whose size or time changed is hashed again.
pub struct FileHashes {
    path: PathBuf,
    known: BTreeMap<String, Stat>,
    changed: bool,
}

/// A file's size and modification time: what says it has not changed since it was hashed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileStat {
    size: u64,
    modified_ns: u128,
}

impl FileStat {
    /// `file`'s size and time now.
    pub fn of(file: &Path) -> Result<FileStat> {
        let meta = std::fs::metadata(file).map_err(|e| Error::io(file, e))?;
        let modified_ns = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        Ok(FileStat {
            size: meta.len(),
            modified_ns,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Stat {
    size: u64,
    modified_ns: u128,
    sha256: String,
}

impl FileHashes {
    pub fn open(wave_dir: &Path) -> FileHashes {
        let path = dir(wave_dir).join("inputs.json");
        let known = std::fs::read(&path)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();
        FileHashes {
            path,
            known,
            changed: false,
        }
    }

    /// `file`'s SHA-256; `name` is how the cache calls it (the path as the pipeline gives it).
    pub fn sha256(&mut self, name: &str, file: &Path) -> Result<String> {
        self.sha256_at(name, file).map(|(sha256, _)| sha256)
    }

    /// As [`FileHashes::sha256`], with the size and time the hash is of: a reader that does
    /// not hash the file again checks them after reading it.
    pub fn sha256_at(&mut self, name: &str, file: &Path) -> Result<(String, FileStat)> {
        let stat = FileStat::of(file)?;
        if let Some(s) = self.known.get(name) {
            if s.size == stat.size && s.modified_ns == stat.modified_ns && stat.modified_ns != 0 {
                return Ok((s.sha256.clone(), stat));
            }
        }
        let sha256 = sha256_of_file(file).map_err(|e| Error::io(file, e))?;
        self.known.insert(
            name.to_string(),
            Stat {
                size: stat.size,
                modified_ns: stat.modified_ns,
                sha256: sha256.clone(),
            },
        );
        self.changed = true;
        Ok((sha256, stat))
    }

    pub fn save(&self) -> Result<()> {
        if !self.changed {
            return Ok(());
        }
        let mut bytes =
            serde_json::to_vec_pretty(&self.known).map_err(|e| unwritable(&self.path, e))?;
        bytes.push(b'\n');
        write_file(&self.path, &bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_json_sorts_keys_at_every_depth() {
        let v = serde_json::json!({"b": 1, "a": {"d": [ {"z": 1, "y": 2} ], "c": 3}});
        assert_eq!(
            String::from_utf8(canonical_json(&v).unwrap()).unwrap(),
            r#"{"a":{"c":3,"d":[{"y":2,"z":1}]},"b":1}"#
        );
    }

    #[test]
    fn a_changed_part_is_named() {
        let a = StageKey::new().file("export", "aa").file("settings", "1");
        let b = StageKey::new().file("export", "bb").file("settings", "1");
        assert_ne!(a.digest(), b.digest());
        assert_eq!(b.why_changed(&a), "export changed");
        let c = a.clone().file("review", "cc");
        assert_eq!(c.why_changed(&a), "review is new");
        assert_eq!(a.why_changed(&c), "review removed");
        assert_eq!(Stored::Found(a.clone()).reason(&a), None);
        assert_eq!(Stored::Missing.reason(&a).as_deref(), Some("no cache"));
    }

    #[test]
    fn artefacts_round_trip_and_are_checked() {
        let dir = tempfile::tempdir().unwrap();
        let key = StageKey::new().file("export", "aa");
        store(
            dir.path(),
            "score",
            &key,
            vec![Artefact::new("report", &vec![1.5f64, 0.1, 1e-300])],
        )
        .unwrap();
        assert!(matches!(stored(dir.path(), "score"), Stored::Found(k) if k == key));
        let v: Vec<f64> = load(dir.path(), "score", "report", &key).unwrap();
        assert_eq!(v, vec![1.5, 0.1, 1e-300]);
        // Another key's artefact is not handed out.
        let other = StageKey::new().file("export", "bb");
        assert!(load::<Vec<f64>>(dir.path(), "score", "report", &other).is_err());
        // An artefact edited behind the cache's back is not either.
        std::fs::write(dir.path().join(".canvass/score.report.json"), b"[2.5]").unwrap();
        assert!(load::<Vec<f64>>(dir.path(), "score", "report", &key).is_err());
    }

    #[test]
    fn a_value_that_does_not_survive_json_is_not_cached() {
        assert!(Artefact::new("x", &f64::NAN).is_none());
        let dir = tempfile::tempdir().unwrap();
        let key = StageKey::new();
        store(dir.path(), "s", &key, vec![Artefact::new("x", &1.0f64)]).unwrap();
        store(dir.path(), "s", &key, vec![Artefact::new("x", &f64::NAN)]).unwrap();
        assert!(matches!(stored(dir.path(), "s"), Stored::Missing));
    }

    impl Record for (f64, String) {
        fn encode(&self, out: &mut codec::Encoder) {
            out.f64_opt(Some(self.0));
            out.str(&self.1);
        }
        fn decode(d: &mut codec::Decoder) -> Option<(f64, String)> {
            Some((d.f64_opt()??, d.str()?.to_string()))
        }
    }

    #[test]
    fn rows_written_one_by_one_read_back_and_are_checked() {
        let dir = tempfile::tempdir().unwrap();
        let key = StageKey::new().file("export", "aa");
        let rows = vec![(1.5f64, "a".to_string()), (0.1, "b\n\"c".to_string())];
        let none: Vec<(f64, String)> = Vec::new();
        let artefacts = vec![
            Some(Artefact::rows("rows", &rows)),
            Some(Artefact::rows("none", &none)),
            Some(Artefact::written_by("exact", |w| {
                serde_json::to_writer(w, &rows).map_err(std::io::Error::other)
            })),
        ];
        store(dir.path(), "themes", &key, artefacts).unwrap();
        let read = |name: &str| -> Vec<(f64, String)> {
            let file = rows_file(dir.path(), "themes", name, &key, true).unwrap();
            let mut frames = codec::Frames::new(std::fs::File::open(file).unwrap());
            std::iter::from_fn(|| frames.next_row().map(Result::unwrap)).collect()
        };
        // Read back a row at a time.
        assert_eq!(read("rows"), rows);
        assert_eq!(read("none"), none);
        let back: Vec<(f64, String)> = load(dir.path(), "themes", "exact", &key).unwrap();
        assert_eq!(back, rows);
        assert!(rows_file(dir.path(), "themes", "rows", &StageKey::new(), false).is_err());
        // An edit is caught by the hash, past what the reader reads too.
        let file = dir.path().join(".canvass/themes.rows.rows");
        let bytes = std::fs::read(&file).unwrap();
        let mut flipped = bytes.clone();
        flipped[5] ^= 1;
        for edited in [flipped, [bytes.as_slice(), b" "].concat()] {
            std::fs::write(&file, edited).unwrap();
            assert!(rows_file(dir.path(), "themes", "rows", &key, true).is_err());
            assert!(rows_file(dir.path(), "themes", "rows", &key, false).is_ok());
        }
        // Rows written before the stage is stored are recorded as they are.
        let (file, sha) = write_rows(dir.path(), "early", "rows", &rows).unwrap();
        store(
            dir.path(),
            "early",
            &key,
            vec![Some(Artefact::written("rows", sha))],
        )
        .unwrap();
        assert_eq!(
            rows_file(dir.path(), "early", "rows", &key, true).unwrap(),
            file
        );
        // A float that is not finite is a row like any other (JSON could not hold it).
        let nan = vec![(f64::NAN, "b".to_string())];
        store(
            dir.path(),
            "t",
            &key,
            vec![Some(Artefact::rows("rows", &nan))],
        )
        .unwrap();
        assert!(matches!(stored(dir.path(), "t"), Stored::Found(_)));
        let file = rows_file(dir.path(), "t", "rows", &key, true).unwrap();
        let mut frames = codec::Frames::new(std::fs::File::open(file).unwrap());
        let back: (f64, String) = frames.next_row().unwrap().unwrap();
        assert!(back.0.is_nan());
    }
}
