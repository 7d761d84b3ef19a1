//! The project's secret: 32 random bytes that key every published respondent id
//! (`ingest::Pseudonyms`), so that nobody holding the export's e-mail addresses can recompute
//! the ids without it.
//!
//! It lives in a file beside the pipeline (`<pipeline stem>.secret`, or where `[privacy]
//! secret_file` or `CANVASS_SECRET_FILE` says), created by the first `canvass run` and never
//! written to a report or the manifest: the manifest records a fingerprint only, by which
//! `verify` tells a missing or different secret from changed outputs. `verify` never creates one.

use crate::config::pipeline::LoadedPipeline;
use crate::error::{Error, Result};
use crate::ingest::hex;
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The environment variable naming the secret file; it overrides the pipeline's.
pub const ENV: &str = "CANVASS_SECRET_FILE";

/// Bytes of a secret: HMAC-SHA-256's own output size.
const LEN: usize = 32;

/// Prefixed to the secret for its fingerprint, so the fingerprint is no HMAC key or id.
const FINGERPRINT_DOMAIN: &[u8] = b"canvass secret fingerprint v1\0";

/// Where a run's secret is: the file, and what named it (for messages).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The secret file.
    pub path: PathBuf,
    /// What chose it: `CANVASS_SECRET_FILE`, the pipeline's `privacy.secret_file`, or the
    /// default beside the pipeline.
    pub named_by: NamedBy,
}

/// What chose the secret file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NamedBy {
    /// The `CANVASS_SECRET_FILE` environment variable.
    Environment,
    /// The pipeline's `[privacy] secret_file`.
    Pipeline,
    /// Nothing: `<pipeline stem>.secret` beside the pipeline.
    Default,
}

impl Location {
    /// The secret file of a pipeline: `CANVASS_SECRET_FILE`, else `[privacy] secret_file`
    /// (relative to the pipeline file), else `<pipeline stem>.secret` beside the pipeline.
    pub fn of(lp: &LoadedPipeline) -> Location {
        let base = tidy(lp.path.parent().unwrap_or(Path::new(".")));
        let base = base.as_path();
        if let Some(p) = std::env::var_os(ENV).filter(|p| !p.is_empty()) {
            return Location {
                path: PathBuf::from(p),
                named_by: NamedBy::Environment,
            };
        }
        if let Some(p) = &lp.config.privacy.secret_file {
            return Location {
                path: base.join(p),
                named_by: NamedBy::Pipeline,
            };
        }
        let stem = lp.path.file_stem().unwrap_or_default().to_string_lossy();
        Location {
            path: base.join(format!("{stem}.secret")),
            named_by: NamedBy::Default,
        }
    }

    /// How the file was chosen, for messages.
    fn named(&self) -> String {
        match self.named_by {
            NamedBy::Environment => format!("named by {ENV}"),
            NamedBy::Pipeline => "named by the pipeline's privacy.secret_file".into(),
            NamedBy::Default => "beside the pipeline".into(),
        }
    }
}

/// `path` with `dir/..` pairs taken out, as a person would write it (`verify` reaches the
/// pipeline through the wave's folder: `out/wave-2/../../p.toml`).
fn tidy(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir
                if matches!(out.components().next_back(), Some(Component::Normal(_))) =>
            {
                out.pop();
            }
            other => out.push(other),
        }
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

/// The secret's bytes, with where they were read. Its `Debug` never shows them.
#[derive(Clone)]
pub struct Secret {
    bytes: [u8; LEN],
    /// Where it was read from (or created).
    pub location: Location,
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.debug_struct("Secret")
            .field("location", &self.location)
            .field("fingerprint", &self.fingerprint())
            .finish_non_exhaustive()
    }
}

impl Secret {
    /// The key of every respondent id.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// What the manifest records: 16 hex digits of SHA-256 of a domain prefix and the secret,
    /// enough to tell two secrets apart and nothing about either.
    pub fn fingerprint(&self) -> String {
        fingerprint(&self.bytes)
    }
}

fn fingerprint(bytes: &[u8]) -> String {
    let digest = Sha256::new()
        .chain_update(FINGERPRINT_DOMAIN)
        .chain_update(bytes)
        .finalize();
    hex(&digest[..8])
}

/// The pipeline's secret, read; `None` when its file does not exist. Never creates one.
pub fn find(lp: &LoadedPipeline) -> Result<Option<Secret>> {
    read(Location::of(lp))
}

/// The pipeline's secret for a `--dry-run`, which creates nothing: `None` where the run would
/// create it, and the run's own refusal where it would refuse (a `CANVASS_SECRET_FILE` that names
/// no file), so that the plan never promises a run that would stop.
pub fn find_for_plan(lp: &LoadedPipeline) -> Result<Option<Secret>> {
    let location = Location::of(lp);
    match read(location.clone())? {
        None if location.named_by == NamedBy::Environment => Err(missing(&location)),
        found => Ok(found),
    }
}

/// The pipeline's secret: read, or created when its file does not exist yet and was not named
/// by `CANVASS_SECRET_FILE` (a secret received from someone else must be there already: a new
/// one would silently give other ids).
pub fn find_or_create(lp: &LoadedPipeline) -> Result<Secret> {
    let location = Location::of(lp);
    if let Some(s) = read(location.clone())? {
        return Ok(s);
    }
    if location.named_by == NamedBy::Environment {
        return Err(missing(&location));
    }
    create(location)
}

/// The error for a secret that should be there and is not.
pub fn missing(location: &Location) -> Error {
    Error::input(
        &location.path,
        format!(
            "the secret that keys the respondent ids is missing (expected here, {})",
            location.named()
        ),
    )
    .hint(format!(
        "ask whoever ran the pipeline for its secret file (never sent with the reports) and put it \
         there, or point {ENV} at it; without it the ids cannot be reproduced"
    ))
}

fn read(location: Location) -> Result<Option<Secret>> {
    let text = match std::fs::read(&location.path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(Error::Io {
                path: location.path,
                source: e,
            })
        }
    };
    let bad = || {
        Error::input(
            &location.path,
            format!(
                "is not a canvass secret ({}): it should hold {} hexadecimal digits",
                location.named(),
                2 * LEN
            ),
        )
        .hint("restore the file from where it is kept; if it is lost, delete it and run again: a new secret gives new respondent ids, the same figures")
    };
    let text = std::str::from_utf8(&text).map_err(|_| bad())?.trim();
    if text.len() != 2 * LEN || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(bad());
    }
    let mut bytes = [0u8; LEN];
    for (i, b) in bytes.iter_mut().enumerate() {
        *b = u8::from_str_radix(&text[2 * i..2 * i + 2], 16).map_err(|_| bad())?;
    }
    Ok(Some(Secret { bytes, location }))
}

/// A new secret from the operating system's random source, written where `location` says:
/// readable by its owner only, and never over a file that appeared meanwhile (a concurrent run's
/// secret is read instead).
fn create(location: Location) -> Result<Secret> {
    let mut bytes = [0u8; LEN];
    getrandom::fill(&mut bytes).map_err(|e| {
        Error::input(
            &location.path,
            format!("could not create the respondent-id secret: the operating system gave no random bytes ({e})"),
        )
    })?;
    let io = |e: std::io::Error| {
        Error::input(
            &location.path,
            format!("could not write the new respondent-id secret: {e}"),
        )
        .hint(format!(
            "make its folder writable, or name a writable place with the pipeline's \
             [privacy] secret_file or {ENV}"
        ))
    };
    let dir = match location.path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    // tempfile creates the file readable and writable by its owner only (0600).
    let mut file = tempfile::NamedTempFile::new_in(dir).map_err(io)?;
    writeln!(file, "{}", hex(&bytes))
        .and_then(|_| file.as_file().sync_all())
        .map_err(io)?;
    match file.persist_noclobber(&location.path) {
        Ok(_) => Ok(Secret { bytes, location }),
        Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => {
            read(location.clone())?.ok_or_else(|| missing(&location))
        }
        Err(e) => Err(io(e.error)),
    }
}

/// `verify`'s check of the pipeline's secret against the fingerprint its manifest recorded: the
/// sentence and whether it held. Reads the secret, never creates it.
pub fn check(pipeline: &Path, recorded: &str) -> Result<(String, bool)> {
    let lp = crate::config::Pipeline::load(pipeline)?;
    let location = Location::of(&lp);
    let found = find(&lp)?;
    Ok(match mismatch(recorded, found.as_ref(), &location) {
        Some(why) => (why, false),
        None => (
            format!(
                "respondent-id secret {} is the one the run used",
                location.path.display()
            ),
            true,
        ),
    })
}

/// The fingerprint of the secret a manifest recorded, checked against the pipeline's: `None`
/// when they match, else the sentence `verify` prints.
pub fn mismatch(recorded: &str, found: Option<&Secret>, location: &Location) -> Option<String> {
    match found {
        None => Some(format!(
            "respondent-id secret missing (expected at {}, {}; ask whoever ran the pipeline for it)",
            location.path.display(),
            location.named()
        )),
        Some(s) if s.fingerprint() != recorded => Some(format!(
            "wrong respondent-id secret: {} (fingerprint {}) is not the one the run used (fingerprint {recorded}); the ids would differ",
            location.path.display(),
            s.fingerprint()
        )),
        Some(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn location(dir: &Path) -> Location {
        Location {
            path: dir.join("p.secret"),
            named_by: NamedBy::Default,
        }
    }

    #[test]
    fn created_once_owner_only_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let made = create(location(dir.path())).unwrap();
        let text = std::fs::read_to_string(dir.path().join("p.secret")).unwrap();
        assert_eq!(text.trim().len(), 64);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join("p.secret"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let again = read(location(dir.path())).unwrap().unwrap();
        assert_eq!(again.bytes, made.bytes);
        // A second creation never overwrites: it reads the secret there.
        let second = create(location(dir.path())).unwrap();
        assert_eq!(second.bytes, made.bytes);
        assert_ne!(made.bytes, [0u8; LEN]);
    }

    #[test]
    fn paths_are_shown_tidy() {
        assert_eq!(tidy(Path::new("out/wave-2/../../p")), Path::new("p"));
        assert_eq!(tidy(Path::new("out/wave-2/../..")), Path::new("."));
        assert_eq!(tidy(Path::new("../a/./b")), Path::new("../a/b"));
        assert_eq!(tidy(Path::new("/x/../y")), Path::new("/y"));
    }

    #[test]
    fn a_malformed_secret_is_an_error_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("p.secret"), "not hex\n").unwrap();
        let e = read(location(dir.path())).unwrap_err().to_string();
        assert!(
            e.contains("p.secret") && e.contains("64 hexadecimal"),
            "{e}"
        );
    }

    #[test]
    fn fingerprints_tell_secrets_apart_and_show_neither() {
        let (a, b) = ([1u8; LEN], [2u8; LEN]);
        assert_ne!(fingerprint(&a), fingerprint(&b));
        assert_eq!(fingerprint(&a).len(), 16);
        assert!(!hex(&Sha256::digest(a)).starts_with(&fingerprint(&a)));
        let s = Secret {
            bytes: a,
            location: location(Path::new("x")),
        };
        assert!(!format!("{s:?}").contains(&hex(&a)[..8]));
        assert_eq!(mismatch(&s.fingerprint(), Some(&s), &s.location), None);
        let wrong = mismatch(&fingerprint(&b), Some(&s), &s.location).unwrap();
        assert!(wrong.contains("wrong respondent-id secret"), "{wrong}");
        let gone = mismatch(&fingerprint(&b), None, &s.location).unwrap();
        assert!(
            gone.contains("missing") && gone.contains("p.secret"),
            "{gone}"
        );
    }
}
