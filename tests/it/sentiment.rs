//! Sentiment against the NHS coders: 10,298 Friends and Family Test comments, each given a
//! criticality from -5 (most critical) to 5 (most positive) by NHS staff
//! (tests/fixtures/text/nhs-fft-patient-feedback/sentiment.csv). Both scales put positive
//! high, so a good score correlates positively.
//!
//! Spearman's rho, score vs criticality (printed by `cargo test --test sentiment -- --nocapture`):
//!   Python vaderSentiment 3.3.2 (tests/reference/vader_nhs.py): all 0.1072, even ids 0.1147,
//!   odd ids 0.0997 — the 0.107 of issue #15.
//!   canvass plain VADER (themes::vader): the same, score for score (checked below).
//!   canvass survey-adjusted (themes::sentiment, direction "improve": the FFT comments mostly
//!   answer what could be better): even ids 0.3749 (where `NOTHING` was chosen), odd ids
//!   0.3744 (held out). Measured by this file's test on canvass's own code.

use crate::common::repo;
use canvass::themes::sentiment::{score, Direction};
use canvass::themes::vader;

/// Measured with this code (even ids: where the rules were tuned; odd ids: held out).
const ADJUSTED_EVEN: f64 = 0.3749;
const ADJUSTED_ODD: f64 = 0.3744;

struct Row {
    id: u64,
    text: String,
    criticality: f64,
}

fn rows() -> Vec<Row> {
    let path = repo().join("tests/fixtures/text/nhs-fft-patient-feedback/sentiment.csv");
    let mut r = csv::Reader::from_path(&path).expect("sentiment.csv is readable");
    r.records()
        .map(|rec| {
            let rec = rec.expect("a well-formed row");
            Row {
                id: rec[0].parse().expect("a numeric id"),
                text: rec[1].to_string(),
                criticality: rec[2].parse().expect("a numeric criticality"),
            }
        })
        .collect()
}

/// Average ranks, ties sharing the mean of their positions.
fn ranks(v: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..v.len()).collect();
    order.sort_by(|&a, &b| v[a].total_cmp(&v[b]));
    let mut r = vec![0.0; v.len()];
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && v[order[j + 1]] == v[order[i]] {
            j += 1;
        }
        for &k in &order[i..=j] {
            r[k] = (i + j) as f64 / 2.0 + 1.0;
        }
        i = j + 1;
    }
    r
}

fn spearman(a: &[f64], b: &[f64]) -> f64 {
    let (ra, rb) = (ranks(a), ranks(b));
    let n = a.len() as f64;
    let (ma, mb) = (ra.iter().sum::<f64>() / n, rb.iter().sum::<f64>() / n);
    let mut num = 0.0;
    let (mut da, mut db) = (0.0, 0.0);
    for (x, y) in ra.iter().zip(&rb) {
        num += (x - ma) * (y - mb);
        da += (x - ma) * (x - ma);
        db += (y - mb) * (y - mb);
    }
    num / (da * db).sqrt()
}

/// Spearman's rho of `scorer` on the rows whose id has this parity.
fn rho(rows: &[Row], even: bool, scorer: &dyn Fn(&str) -> f64) -> f64 {
    let half: Vec<&Row> = rows.iter().filter(|r| (r.id % 2 == 0) == even).collect();
    let s: Vec<f64> = half.iter().map(|r| scorer(&r.text)).collect();
    let c: Vec<f64> = half.iter().map(|r| r.criticality).collect();
    spearman(&s, &c)
}

#[test]
fn plain_vader_matches_the_python_reference() {
    let path = repo().join("tests/fixtures/text/nhs-fft-patient-feedback/vader_reference.csv");
    let mut reference = csv::Reader::from_path(&path).expect("vader_reference.csv is readable");
    let rows = rows();
    let mut differ = Vec::new();
    for (row, rec) in rows.iter().zip(reference.records()) {
        let rec = rec.expect("a well-formed row");
        assert_eq!(rec[0].parse::<u64>().ok(), Some(row.id));
        let expected: f64 = rec[1].parse().expect("a number");
        // The reference rounds to 4 decimals.
        if (vader::compound(&row.text) - expected).abs() > 5.1e-5 {
            differ.push(row.id);
        }
    }
    assert!(
        differ.is_empty(),
        "{} differ: {:?}",
        differ.len(),
        &differ[..differ.len().min(20)]
    );
}

#[test]
fn survey_adjusted_beats_plain_vader_on_both_halves() {
    let rows = rows();
    let adjusted = |t: &str| score(t, Direction::Improve);
    for (name, even) in [("even ids (tuned)", true), ("odd ids (held out)", false)] {
        let plain = rho(&rows, even, &vader::compound);
        let adj = rho(&rows, even, &adjusted);
        println!("{name}: Spearman rho plain VADER {plain:.4}, survey-adjusted {adj:.4}");
        assert!(adj > plain + 0.1, "{name}: {adj} vs {plain}");
        let recorded = if even { ADJUSTED_EVEN } else { ADJUSTED_ODD };
        assert!(
            (adj - recorded).abs() < 1e-3,
            "{name}: {adj}, recorded {recorded}"
        );
    }
}
