//! Learned coding through the binary (`themes --coded`): exact on a separable set, the same
//! bytes at any thread count, and a bad coded sample refused or counted, never ignored.

use crate::common::*;
use std::path::Path;
use std::process::Command;

const PARKING: [&str; 6] = [
    "Parking was impossible, the car park was full",
    "No parking spaces near the entrance",
    "The car park is too small and parking costs too much",
    "Finding parking took half an hour",
    "Parking charges at the car park are too high",
    "Car park full again, parking is a nightmare",
];
const NURSES: [&str; 6] = [
    "The nurses were kind and caring",
    "Caring nurses who explained everything",
    "Kind nurses, lovely caring staff on the ward",
    "The nurses on the ward were very kind",
    "Nurses were caring and kind to my mother",
    "Really kind nurses and caring staff",
];

/// An export of 24 comments (ids c1…c24: parking on odd ids, nurses on even ids) and a coded
/// sample of the first 12.
fn setup(dir: &Path) -> (String, String) {
    let mut export = String::from("ref,comment\n");
    let mut coded = String::from("id,theme\n");
    for i in 0..24 {
        let (theme, text) = match i % 2 {
            0 => ("parking", PARKING[(i / 2) % 6]),
            _ => ("nurses", NURSES[(i / 2) % 6]),
        };
        export += &format!("c{},\"{text}\"\n", i + 1);
        if i < 12 {
            coded += &format!("c{},{theme}\n", i + 1);
        }
    }
    let e = dir.join("export.csv");
    let c = dir.join("coded.csv");
    std::fs::write(&e, export).unwrap();
    std::fs::write(&c, coded).unwrap();
    (e.display().to_string(), c.display().to_string())
}

fn themes(export: &str, coded: &str, out: &Path, threads: &str) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_canvass"))
        .args([
            "themes", export, "--text", "comment", "--id", "ref", "--coded", coded,
        ])
        .arg("--assignments")
        .arg(out)
        .env("RAYON_NUM_THREADS", threads)
        .output()
        .unwrap()
}

#[test]
fn separable_set_is_coded_exactly_at_any_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let (export, coded) = setup(dir.path());
    let (one, two) = (dir.path().join("one.csv"), dir.path().join("two.csv"));
    let o = themes(&export, &coded, &one, "1");
    assert!(o.status.success(), "{}", stderr(&o));
    // Hand calculation: every held-out comment repeats the words of its theme only, so the
    // cross-validated coding is the sample's: 12 of 12 exact.
    assert!(
        stdout(&o).contains(
            "learned coding from 12 coded comments: 5-fold cross-validation agreed on 100 %"
        ),
        "{}",
        stdout(&o)
    );
    let (h, rows) = read_csv(&one);
    let col = |n: &str| h.iter().position(|c| c == n).unwrap();
    assert_eq!(rows.len(), 24);
    for r in &rows {
        let i: usize = r[col("id")][1..].parse().unwrap();
        let want = if i % 2 == 1 { "parking" } else { "nurses" };
        assert_eq!(r[col("label")], want, "{r:?}");
        let status = if i <= 12 { "hand-coded" } else { "learned" };
        assert_eq!(r[col("status")], status, "{r:?}");
        assert_eq!(r[col("review")], "", "{r:?}");
    }
    let o2 = themes(&export, &coded, &two, "2");
    assert!(o2.status.success(), "{}", stderr(&o2));
    assert_eq!(std::fs::read(&one).unwrap(), std::fs::read(&two).unwrap());
    assert_eq!(stdout(&o), stdout(&o2));
}

fn refused(coded_text: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let (export, coded) = setup(dir.path());
    std::fs::write(&coded, coded_text).unwrap();
    let o = themes(&export, &coded, &dir.path().join("a.csv"), "1");
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let e = stderr(&o);
    assert!(e.contains("coded.csv"), "names the file: {e}");
    e
}

#[test]
fn a_bad_coded_sample_is_refused_with_what_to_do() {
    let e = refused("ref,theme\nc1,parking\n");
    assert!(
        e.contains("has no `id` column") && e.contains("ref, theme"),
        "{e}"
    );
    let e = refused("id,theme\n");
    assert!(e.contains("has no coded comments"), "{e}");
    let e = refused("id,theme\nc1,parking\n,nurses\n");
    assert!(e.contains("row 3") && e.contains("no comment id"), "{e}");
    // No id shared with the export: an error naming the sample's column and --id's, not
    // "0 themed" followed by themes learned from nothing.
    let unknown: String = (1..=12).map(|i| format!("x{i},parking\n")).collect();
    let e = refused(&format!("id,theme\n{unknown}"));
    assert!(
        e.contains("none of the 12 ids in its `id` column is the `ref` of one of the 24 comments"),
        "{e}"
    );
}

#[test]
fn unknown_ids_are_counted_in_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let (export, coded) = setup(dir.path());
    let mut text = std::fs::read_to_string(&coded).unwrap();
    text += "x1,parking\nx2,nurses\n";
    std::fs::write(&coded, text).unwrap();
    let o = themes(&export, &coded, &dir.path().join("a.csv"), "1");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("warning: 2 ids of") && stderr(&o).contains("were not used"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_comment_in_two_themes_has_a_row_per_theme_and_agree_reads_the_file_as_written() {
    let dir = tempfile::tempdir().unwrap();
    let (export, coded) = setup(dir.path());
    // c2 coded by hand to both themes: the README's one row per (comment, theme).
    let mut text = std::fs::read_to_string(&coded).unwrap();
    text += "c2,parking\n";
    std::fs::write(&coded, text).unwrap();
    let out = dir.path().join("a.csv");
    let o = themes(&export, &coded, &out, "1");
    assert!(o.status.success(), "{}", stderr(&o));
    let (h, rows) = read_csv(&out);
    let col = |n: &str| h.iter().position(|c| c == n).unwrap();
    let ids: std::collections::BTreeSet<&str> =
        rows.iter().map(|r| r[col("id")].as_str()).collect();
    assert_eq!(ids.len(), 24);
    assert!(rows.len() > 24, "a row per (comment, theme)");
    let c2: Vec<(&str, &str)> = rows
        .iter()
        .filter(|r| r[col("id")] == "c2")
        .map(|r| (r[col("theme")].as_str(), r[col("label")].as_str()))
        .collect();
    assert_eq!(c2.len(), 2, "{c2:?}");
    assert!(c2.iter().all(|(t, _)| t.parse::<usize>().is_ok()), "{c2:?}");
    let mut labels: Vec<&str> = c2.iter().map(|(_, l)| *l).collect();
    labels.sort();
    assert_eq!(labels, ["nurses", "parking"]);
    // The file with itself: every comment the same set of themes, kappa 1.
    let o = canvass(&[
        "agree",
        out.to_str().unwrap(),
        out.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let r: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!((r["n"].as_u64(), r["exact"].as_u64()), (Some(24), Some(24)));
    assert_eq!(r["kappa"].as_f64(), Some(1.0));
    // Against the people's coding, labels are matched without --theme, and the column is named.
    let o = canvass(&["agree", &coded, out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let said = stdout(&o);
    assert!(
        said.contains("themes compared: the first file's `theme` column with the second's `label`"),
        "{said}"
    );
    assert!(said.contains("the same set of themes: 12 of 12"), "{said}");
}

#[test]
fn the_coders_sample_overrides_the_non_answer_rule_and_sets_the_floor() {
    let dir = tempfile::tempdir().unwrap();
    let (export, coded) = setup(dir.path());
    // "Nothing." to "what could we improve?" is praise, and these coders coded it as a theme.
    let mut rows = std::fs::read_to_string(&export).unwrap();
    let mut sample = std::fs::read_to_string(&coded).unwrap();
    for i in 25..=30 {
        rows += &format!("c{i},Nothing.\n");
        if i <= 27 {
            sample += &format!("c{i},nothing to improve\n");
        }
    }
    std::fs::write(&export, rows).unwrap();
    std::fs::write(&coded, sample).unwrap();
    let out = dir.path().join("a.csv");
    let o = themes(&export, &coded, &out, "1");
    assert!(o.status.success(), "{}", stderr(&o));
    let (h, rows) = read_csv(&out);
    let col = |n: &str| h.iter().position(|c| c == n).unwrap();
    for r in rows.iter().filter(|r| r[col("text")] == "Nothing.") {
        let i: usize = r[col("id")][1..].parse().unwrap();
        let status = if i <= 27 { "hand-coded" } else { "learned" };
        assert_eq!(
            (r[col("status")].as_str(), r[col("label")].as_str()),
            (status, "nothing to improve"),
            "{r:?}"
        );
    }
    // Every sample comment has a theme: no "fits none" floor, and the JSON says so.
    let o = Command::new(env!("CARGO_BIN_EXE_canvass"))
        .args(["themes", &export, "--text", "comment", "--id", "ref"])
        .args(["--coded", &coded, "--json"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let r: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        r["learned"]["no_fit_below"].as_f64(),
        Some(0.0),
        "{}",
        r["learned"]
    );
    assert_eq!(r["learned"]["no_fit"].as_u64(), Some(0));
    assert_eq!(r["non_substantive"].as_u64(), Some(0));
}
