//! Error messages for the mistakes people make most: each names the real cause, where it is
//! (file, row, column, config key or option) and what to do instead.

mod common;
use common::*;
use std::path::{Path, PathBuf};

fn wave1() -> String {
    repo()
        .join("surveys/aspire-pilot/exports/wave-1.csv")
        .display()
        .to_string()
}

fn fixture(path: &str) -> String {
    repo()
        .join("tests/fixtures/exports")
        .join(path)
        .display()
        .to_string()
}

fn scratch(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

/// Runs canvass, expects exit code `code`, and returns its standard error.
fn fails(args: &[&str], code: i32) -> String {
    let o = canvass(args);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(code), "{args:?}: {err}");
    assert!(!err.contains("panicked"), "{err}");
    err
}

fn assert_says(err: &str, expected: &[&str]) {
    for e in expected {
        assert!(err.contains(e), "`{e}` not in:\n{err}");
    }
}

#[test]
fn options_are_named_as_options_not_as_files() {
    let err = fails(&["score", &wave1(), "--confidence", "2"], 1);
    assert_says(&err, &["option --confidence: must be between 0.5 and 1"]);
    let err = fails(&["score", &wave1(), "--suppress-below", "2"], 1);
    assert_says(&err, &["option --suppress-below: must be at least 3"]);
    let err = fails(&["themes", &wave1(), "--text", "Q4", "--k", "one"], 1);
    assert_says(&err, &["option --k: `one` is not a number of themes"]);
}
