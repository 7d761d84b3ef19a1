//! Disclosure control in every breakdown (segments.csv, crosstabs.csv, the summaries' "By …"
//! tables): what is hidden cannot be worked out from what is shown, the least is hidden that
//! protects, and every hidden cell says why.

use crate::common::*;
use std::path::Path;

const LABELS: [&str; 5] = [
    "Strongly disagree",
    "Disagree",
    "Neither",
    "Agree",
    "Strongly agree",
];

const SURVEY: &str = r#"
title = "Disclosure"
[[response_scales]]
name = "agree5"
labels = ["Strongly disagree", "Disagree", "Neither", "Agree", "Strongly agree"]
[[items]]
id = "Q1"
text = "One"
scale = "agree5"
[[items]]
id = "Q2"
text = "Two"
scale = "agree5"
[[segments]]
name = "Region"
"#;

/// An export of `groups`: per region, each respondent's answers to Q1 and Q2 ("" for blank).
fn export(groups: &[(&str, Vec<(&str, &str)>)]) -> String {
    let mut text = String::from("Id,Region,Q1,Q2\n");
    let mut id = 0;
    for (region, answers) in groups {
        for (q1, q2) in answers {
            id += 1;
            text.push_str(&format!("{id},{region},{q1},{q2}\n"));
        }
    }
    text
}

/// `n` answers cycling through every option (a mixed group).
fn mixed(n: usize) -> Vec<(&'static str, &'static str)> {
    (0..n)
        .map(|i| (LABELS[i % 5], LABELS[(i + 2) % 5]))
        .collect()
}

/// `n` answers of `q1` (with a mixed Q2).
fn all(n: usize, q1: &'static str) -> Vec<(&'static str, &'static str)> {
    (0..n).map(|i| (q1, LABELS[i % 5])).collect()
}

/// Runs the export through `canvass run` into `dir/out/w1`.
fn run(dir: &Path, export_text: &str) -> std::path::PathBuf {
    std::fs::write(dir.join("export.csv"), export_text).unwrap();
    std::fs::write(dir.join("survey.toml"), SURVEY).unwrap();
    std::fs::write(
        dir.join("pipeline.toml"),
        "name = 'disclosure'\nsurvey = 'survey.toml'\noutput = 'out'\n\
         [[waves]]\nname = 'w1'\nexport = 'export.csv'\n",
    )
    .unwrap();
    let o = canvass(&["run", dir.join("pipeline.toml").to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    dir.join("out/w1")
}

/// segments.csv's row of `group` and `id`, by column name.
fn segment_row<'a>(
    rows: &'a [Vec<String>],
    header: &[String],
    group: &str,
    id: &str,
) -> impl Fn(&str) -> &'a str {
    let row = rows
        .iter()
        .find(|r| r[1] == group && r[3] == id)
        .unwrap_or_else(|| panic!("no row {group} {id}"));
    let header = header.to_vec();
    move |name: &str| row[header.iter().position(|h| h == name).unwrap()].as_str()
}

/// C (9) and D (12) are hidden and all agree with Q1; the total does not. Without more, the
/// overall figures minus the shown groups' would give C + D as 21 of 21 agreeing: each one's
/// answer. E (20) all agree too, so hiding it would not help; B (25, mixed) is the smallest
/// group that breaks the unanimity, and is hidden in Q1 alone, saying why. From items.csv and
/// the shown groups of segments.csv and crosstabs.csv, the hidden union is then mixed.
#[test]
fn an_all_agreeing_hidden_union_is_broken_and_no_hidden_answer_can_be_derived() {
    let dir = tempfile::tempdir().unwrap();
    let wave = run(
        dir.path(),
        &export(&[
            ("A", mixed(30)),
            ("B", mixed(25)),
            ("C", all(9, "Agree")),
            ("D", all(12, "Strongly agree")),
            ("E", all(20, "Agree")),
        ]),
    );
    let (header, rows) = read_csv(&wave.join("segments.csv"));
    let reason = |g: &str, id: &str| segment_row(&rows, &header, g, id)("suppressed_reason");
    assert_eq!(reason("C", "Q1"), "fewer than 10");
    assert_eq!(reason("D", "Q1"), "protects a smaller group");
    assert_eq!(
        reason("B", "Q1"),
        "would reveal the answers of hidden groups"
    );
    assert_eq!(reason("E", "Q1"), "");
    assert_eq!(reason("A", "Q1"), "");
    // B is mixed in Q2 too, but C + D are not unanimous there: B shows its figures.
    assert_eq!(reason("B", "Q2"), "");

    // The attack: the overall count agreeing (items.csv) minus the shown groups'.
    let (items_header, items) = read_csv(&wave.join("items.csv"));
    let col = |name: &str| items_header.iter().position(|h| h == name).unwrap();
    for (i, item) in items.iter().enumerate() {
        let id = item[col("id")].as_str();
        let count = |k: &str| item[col(k)].parse::<u64>().unwrap();
        let total_n = count("n");
        let total_agree = count("option_4_count") + count("option_5_count");
        let (mut shown_n, mut shown_agree) = (0u64, 0u64);
        for g in ["A", "B", "C", "D", "E"] {
            let r = segment_row(&rows, &header, g, id);
            if r("suppressed") == "false" {
                let n: u64 = r("n").parse().unwrap();
                let pct: f64 = r("pct_agree").parse().unwrap();
                shown_n += n;
                shown_agree += (pct * n as f64 / 100.0).round() as u64;
            }
        }
        let (union_n, union_agree) = (total_n - shown_n, total_agree - shown_agree);
        assert!(union_n >= 10, "item {i}: {union_n}");
        assert!(
            union_agree > 0 && union_agree < union_n,
            "{id}: the hidden groups' {union_agree} of {union_n} agreeing tells each one's answer"
        );
    }

    // crosstabs.csv hides the same cells, with the same reasons, and holds no figure for them.
    let (x_header, crosstabs) = read_csv(&wave.join("crosstabs.csv"));
    let at = |name: &str| x_header.iter().position(|h| h == name).unwrap();
    for r in &crosstabs {
        let s = segment_row(&rows, &header, &r[at("group")], &r[at("id")]);
        assert_eq!(r[at("suppressed")], s("suppressed"), "{r:?}");
        assert_eq!(r[at("suppressed_reason")], s("suppressed_reason"), "{r:?}");
        if r[at("suppressed")] == "true" {
            assert!(r[at("n")].is_empty() && r[at("value")].is_empty(), "{r:?}");
        }
    }

    // The summary's table marks each hidden figure with its reason and explains the marks.
    let md = std::fs::read_to_string(wave.join("summary.md")).unwrap();
    assert!(md.contains("| B | 25 | ·c |"), "{md}");
    assert!(md.contains("| C | ·a | ·a |"), "{md}");
    assert!(md.contains("| D | ·b | ·b |"), "{md}");
    assert!(
        md.contains("·c would reveal the answers of hidden groups"),
        "{md}"
    );
}

/// A column's small cell is protected by the groups already hidden as a whole: before, the
/// column hid the smallest group still shown (A, 40 people) to cover D's 8 answers to Q2.
/// And a lone small group takes the smallest group with it (B, 12), not a larger one.
#[test]
fn secondary_suppression_hides_the_smallest_group_that_protects() {
    let dir = tempfile::tempdir().unwrap();
    let mut d = mixed(30);
    for answers in d.iter_mut().skip(8) {
        answers.1 = "";
    }
    let wave = run(
        dir.path(),
        &export(&[
            ("A", mixed(40)),
            ("B", mixed(12)),
            ("C", mixed(5)),
            ("D", d),
            ("E", mixed(25)),
        ]),
    );
    let (header, rows) = read_csv(&wave.join("segments.csv"));
    let hidden = |id: &str| -> Vec<(String, String)> {
        rows.iter()
            .filter(|r| r[3] == id && r[4] == "true")
            .map(|r| {
                (
                    r[1].clone(),
                    segment_row(&rows, &header, &r[1], id)("suppressed_reason").to_string(),
                )
            })
            .collect()
    };
    let pair = |g: &str, why: &str| (g.to_string(), why.to_string());
    assert_eq!(
        hidden("Q1"),
        [
            pair("B", "protects a smaller group"),
            pair("C", "fewer than 10")
        ]
    );
    assert_eq!(
        hidden("Q2"),
        [
            pair("B", "protects a smaller group"),
            pair("C", "fewer than 10"),
            pair("D", "fewer than 10")
        ]
    );
    let (_, crosstabs) = read_csv(&wave.join("crosstabs.csv"));
    let a_q2 = crosstabs
        .iter()
        .find(|r| r[1] == "A" && r[3] == "Q2")
        .unwrap();
    assert_eq!(a_q2[8], "false", "{a_q2:?}");
    assert_eq!(a_q2[6], "40");
}

/// Nobody agrees with Q1, so % agree cannot reveal anything; but C and D (hidden) all strongly
/// disagree, and their mean, worked out from items.csv's and the shown groups' means, would be
/// 1: each one's answer. B (mixed) is hidden too, and the union's mean is no longer an end of
/// the scale.
#[test]
fn a_hidden_union_at_an_end_of_the_scale_is_broken_too() {
    let dir = tempfile::tempdir().unwrap();
    let disagreeing = |n: usize| -> Vec<(&'static str, &'static str)> {
        (0..n).map(|i| (LABELS[i % 3], LABELS[i % 5])).collect()
    };
    let wave = run(
        dir.path(),
        &export(&[
            ("A", disagreeing(30)),
            ("B", disagreeing(25)),
            ("C", all(9, "Strongly disagree")),
            ("D", all(12, "Strongly disagree")),
            ("E", all(20, "Strongly disagree")),
        ]),
    );
    let (header, rows) = read_csv(&wave.join("segments.csv"));
    let row = |g: &str| segment_row(&rows, &header, g, "Q1");
    assert_eq!(
        row("B")("suppressed_reason"),
        "would reveal the answers of hidden groups"
    );
    assert_eq!(row("E")("suppressed_reason"), "");
    let (items_header, items) = read_csv(&wave.join("items.csv"));
    let col = |name: &str| items_header.iter().position(|h| h == name).unwrap();
    let q1 = &items[0];
    let total_n: f64 = q1[col("n")].parse().unwrap();
    let mut union_sum = total_n * q1[col("mean")].parse::<f64>().unwrap();
    let mut union_n = total_n;
    for g in ["A", "B", "C", "D", "E"] {
        if row(g)("suppressed") == "false" {
            let n: f64 = row(g)("n").parse().unwrap();
            union_n -= n;
            union_sum -= n * row(g)("mean").parse::<f64>().unwrap();
        }
    }
    assert_eq!(union_n, 46.0);
    assert!(
        (union_sum / union_n - 1.0).abs() > 0.1,
        "{}",
        union_sum / union_n
    );
}
