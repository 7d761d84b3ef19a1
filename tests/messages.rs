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

/// 1. Excel's "Unicode text" without its byte-order mark (as `iconv -t UTF-16LE` writes it) is
/// read as UTF-16, not refused as binary.
#[test]
fn utf16_without_a_byte_order_mark_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(wave1()).unwrap();
    let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
    for (name, bytes, encoding) in [("le.csv", le, "utf-16le"), ("be.txt", be, "utf-16be")] {
        let p = scratch(dir.path(), name, &bytes);
        let o = canvass(&["inspect", p.to_str().unwrap(), "--json"]);
        assert!(o.status.success(), "{name}: {}", stderr(&o));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(v["encoding"], encoding);
        assert_eq!(v["format"], "qualtrics");
        assert_eq!(v["rows"], 72);
    }
}

/// 2. Random bytes are not "a file mixing encodings": they are not text at all.
#[test]
fn random_bytes_are_not_a_text_export() {
    let dir = tempfile::tempdir().unwrap();
    // A fixed pseudo-random sequence (xorshift), with and without NUL bytes.
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let random: Vec<u8> = (0..4000)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect();
    let no_nul: Vec<u8> = random.iter().copied().filter(|&b| b != 0).collect();
    for (name, bytes) in [("random.csv", random), ("random-no-nul.csv", no_nul)] {
        let p = scratch(dir.path(), name, &bytes);
        let err = fails(&["inspect", p.to_str().unwrap()], 1);
        assert_says(
            &err,
            &[
                name,
                "is not a text export",
                "binary",
                "expected CSV or TSV text in UTF-8, UTF-16 or Windows-1252",
            ],
        );
        assert!(!err.contains("mixes encodings"), "{err}");
    }
}

fn example_survey() -> String {
    std::fs::read_to_string(repo().join("surveys/aspire-pilot/survey.toml")).unwrap()
}

/// 3. An export given where a pipeline or a survey definition belongs.
#[test]
fn an_export_given_as_a_pipeline_or_survey_is_named_as_such() {
    let err = fails(&["run", &wave1()], 1);
    assert_says(
        &err,
        &[
            "looks like a survey export",
            "not a pipeline file",
            "pipelines/aspire-pilot.toml",
            "canvass inspect",
            "canvass init",
        ],
    );
    assert!(!err.contains("line 1"), "{err}");
    // Whatever its name.
    let dir = tempfile::tempdir().unwrap();
    let renamed = scratch(
        dir.path(),
        "pipeline.toml",
        &std::fs::read(wave1()).unwrap(),
    );
    let err = fails(&["run", renamed.to_str().unwrap()], 1);
    assert_says(&err, &["looks like a survey export", "not a pipeline file"]);
    let err = fails(&["score", &wave1(), "--survey", &wave1()], 1);
    assert_says(&err, &["not a survey definition", "canvass init"]);
}

/// 4. A misspelt key is named by its path, with its line and the key it probably meant.
#[test]
fn a_misspelt_key_is_named_by_its_path_with_a_suggestion() {
    let dir = tempfile::tempdir().unwrap();
    // The second item's `statement`, on line 43 of the example survey.
    let text = example_survey();
    let second = text.match_indices("statement =").nth(1).unwrap().0;
    let typo = format!("{}statment{}", &text[..second], &text[second + 9..]);
    let survey = scratch(dir.path(), "survey.toml", typo.as_bytes());
    let err = fails(
        &["score", &wave1(), "--survey", survey.to_str().unwrap()],
        1,
    );
    assert_says(
        &err,
        &[
            "config key `items[1].statment` (line 43)",
            "did you mean `statement`?",
            "text, statement, scale",
        ],
    );
    let clean = text.replace("[clean]\n", "[clean]\nkeep_tests = true\n");
    let survey = scratch(dir.path(), "survey.toml", clean.as_bytes());
    let err = fails(
        &["score", &wave1(), "--survey", survey.to_str().unwrap()],
        1,
    );
    assert_says(
        &err,
        &["config key `clean.keep_tests` (line 18)", "min_progress"],
    );
    // And in a pipeline.
    let p = example_pipeline(dir.path());
    let text = std::fs::read_to_string(&p).unwrap();
    std::fs::write(&p, text.replace("quotes = 3", "qoutes = 3")).unwrap();
    let err = fails(&["run", p.to_str().unwrap()], 1);
    assert_says(
        &err,
        &[
            "config key `themes.qoutes` (line 20)",
            "did you mean `quotes`?",
        ],
    );
}

/// 5. An oversized cell is in a column with a name.
#[test]
fn an_oversized_cell_names_its_column() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = b"id,rating,comment\n1,Agree,fine\n2,Agree,".to_vec();
    text.resize(text.len() + (4 << 20), b'x');
    text.extend(b"\n3,Disagree,short\n");
    let p = scratch(dir.path(), "big.csv", &text);
    let err = fails(&["inspect", p.to_str().unwrap()], 1);
    assert_says(
        &err,
        &["big.csv: row 3, column `comment`: has a cell of 4 MB"],
    );
    assert!(!err.contains("#3"), "{err}");
}
