//! `canvass agree`: agreement between two codings, checked against independent references.
//!
//! First coding: the NHS coders' labels in tests/fixtures/text/nhs-fft-patient-feedback/data.csv
//! (one theme per comment). Second: tests/fixtures/agree/second_coding.csv, written by keyword
//! rules in make_second_coding.py (2,000 comments, some with two themes). Expected figures from
//! Python 3.11 on the same files: scikit-learn 1.x `cohen_kappa_score`, `precision_score`,
//! `recall_score`, `f1_score` (on each theme's presence), and `krippendorff.alpha(…,
//! level_of_measurement="nominal")` (PyPI package krippendorff), over the 1,817 comments the
//! second coding gives one theme.

use crate::common::*;

fn json(args: &[&str]) -> serde_json::Value {
    let o = canvass(args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    serde_json::from_slice(&o.stdout).unwrap()
}

#[test]
fn kappa_alpha_and_per_theme_figures_match_scikit_learn_and_krippendorff() {
    let a = repo().join("tests/fixtures/text/nhs-fft-patient-feedback/data.csv");
    let b = repo().join("tests/fixtures/agree/second_coding.csv");
    let r = json(&["agree", a.to_str().unwrap(), b.to_str().unwrap(), "--json"]);
    let near = |v: &serde_json::Value, expected: f64| {
        let x = v.as_f64().unwrap();
        assert!((x - expected).abs() < 1e-9, "{x} vs {expected}");
    };
    assert_eq!(r["n"], 2000);
    assert_eq!(r["single"], 1817);
    assert_eq!(r["only_a"], 8334);
    near(&r["agreement"], 0.38470005503577326);
    near(&r["kappa"], 0.3270675782620347);
    near(&r["alpha"], 0.2819242908733339);
    let theme = |name: &str| {
        r["themes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["theme"] == name)
            .unwrap()
            .clone()
    };
    let staff = theme("Staff");
    near(&staff["precision"], 0.6166666666666667);
    near(&staff["recall"], 0.7239130434782609);
    near(&staff["f1"], 0.666);
    near(&staff["kappa"], 0.5556146886641831);
    let nothing = theme("Couldn't be improved");
    near(&nothing["f1"], 0.7247058823529412);
    near(&nothing["kappa"], 0.693505459270281);
    assert_eq!(
        (nothing["in_a"].as_u64(), nothing["in_b"].as_u64()),
        (Some(256), Some(169))
    );
}

#[test]
fn wide_codings_and_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.csv");
    let b = dir.path().join("b.csv");
    // One 0/1 column per theme (as many coders keep them in a spreadsheet) against id,theme rows.
    std::fs::write(&a, "id,staff,food\n1,1,0\n2,1,1\n3,0,1\n").unwrap();
    std::fs::write(&b, "id,theme\n1,staff\n2,staff\n2,food\n3,staff\n").unwrap();
    let r = json(&["agree", a.to_str().unwrap(), b.to_str().unwrap(), "--json"]);
    // By hand: comments 1 and 2 have the same sets; the single-theme comments are 1 and 3
    // (staff/staff, food/staff): agreement 1 of 2.
    assert_eq!(
        (r["n"].as_u64(), r["exact"].as_u64(), r["single"].as_u64()),
        (Some(3), Some(2), Some(2))
    );
    assert_eq!(r["agreement"].as_f64(), Some(0.5));
    let other = dir.path().join("other.csv");
    std::fs::write(&other, "comment,theme\n9,staff\n").unwrap();
    let o = canvass(&["agree", a.to_str().unwrap(), other.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("no `id` column") && stderr(&o).contains("--id"),
        "{}",
        stderr(&o)
    );
    let o = canvass(&[
        "agree",
        a.to_str().unwrap(),
        other.to_str().unwrap(),
        "--id",
        "comment",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("no `comment` column") || stderr(&o).contains("shares no comment"),
        "{}",
        stderr(&o)
    );
}
