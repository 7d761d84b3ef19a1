//! Themes on real coded comments: quality against the gold labels and determinism across
//! thread counts.
//!
//! Quality floors: scikit-learn's documented recipe (benches/sklearn_themes.py: TF-IDF with
//! English stop words, sublinear tf, min_df 2, TruncatedSVD(100), Normalizer, KMeans n_init=10)
//! measured on these exact files, mean ± sd over seeds 0–4, on this project's 2-core machine:
//!   NHS FFT (k = 9):  NMI 11.0 ± 1.3, ARI 2.0 ± 2.3, ACC 28.3 ± 0.5
//!   StackOverflow (k = 20): NMI 72.3 ± 1.0, ARI 37.2 ± 2.3, ACC 72.0 ± 1.2
//! canvass must be at least as good; the floors below are those means minus their sd.

use crate::common::*;
use canvass::config::ThemeCount;
use canvass::themes::evaluate::agreement;
use canvass::themes::{themes, Comment, CommentStatus, ThemeParams};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn load(path: &Path) -> (Vec<String>, Vec<usize>) {
    let mut r = csv::Reader::from_path(path).unwrap();
    let mut labels = BTreeMap::new();
    let (mut texts, mut gold) = (Vec::new(), Vec::new());
    for rec in r.records() {
        let rec = rec.unwrap();
        let n = labels.len();
        gold.push(*labels.entry(rec[2].to_string()).or_insert(n));
        texts.push(rec[1].to_string());
    }
    (texts, gold)
}

/// Theme per row, 0 for comments set aside as not substantive (counted as one of the k clusters).
fn predict(texts: &[String], k: usize) -> Vec<usize> {
    let comments: Vec<Comment> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| Comment {
            respondent: i.to_string(),
            text: t.clone(),
        })
        .collect();
    let mut p = ThemeParams::new(texts.len());
    let set_aside = texts
        .iter()
        .any(|t| canvass::themes::tokenize::is_non_substantive(t));
    p.k = ThemeCount::Fixed(if set_aside { k - 1 } else { k });
    p.seed = 0;
    let r = themes(&comments, &p).unwrap();
    assert_eq!(
        r.assignments.len(),
        texts.len(),
        "no blank texts in these fixtures"
    );
    r.assignments
        .iter()
        .map(|a| {
            if a.status == CommentStatus::Themed {
                a.theme.unwrap() as usize
            } else {
                0
            }
        })
        .collect()
}

#[test]
fn nhs_comments_at_least_as_good_as_scikit_learn() {
    let (texts, gold) = load(&repo().join("tests/fixtures/text/nhs-fft-patient-feedback/data.csv"));
    assert_eq!(texts.len(), 10_334);
    let a = agreement(&gold, &predict(&texts, 9));
    eprintln!("{a:?}");
    assert!(a.nmi >= 0.097, "{a:?}");
    // scikit-learn's recipe reaches ARI −0.003 here, which chance also reaches (a random
    // assignment of 10,334 comments has ARI 0 ± about 0.001); canvass measured 0.063, so the
    // bound is one chance cannot pass.
    assert!(a.ari >= 0.03, "{a:?}");
    assert!(a.accuracy >= 0.278, "{a:?}");
}

#[test]
fn stackoverflow_titles_at_least_as_good_as_scikit_learn() {
    // No licence is stated for this set, so it is not copied: tested only beside ../shared.
    let path = repo().join("../shared/fixtures/text/stackoverflow-stc2/data.csv");
    if !path.exists() {
        eprintln!("skipped: {} not present", path.display());
        return;
    }
    let (texts, gold) = load(&path);
    let a = agreement(&gold, &predict(&texts, 20));
    assert!(a.nmi >= 0.713, "{a:?}");
    assert!(a.ari >= 0.349, "{a:?}");
    assert!(a.accuracy >= 0.708, "{a:?}");
}

/// The themes command gives byte-identical assignments with 1 and with 2 threads.
#[test]
fn same_seed_same_bytes_at_one_and_two_threads() {
    let dir = tempfile::tempdir().unwrap();
    let (texts, _) = load(&repo().join("tests/fixtures/text/nhs-fft-patient-feedback/data.csv"));
    let input = dir.path().join("comments.csv");
    let mut w = csv::Writer::from_path(&input).unwrap();
    w.write_record(["id", "text"]).unwrap();
    for (i, t) in texts.iter().take(3000).enumerate() {
        w.write_record([i.to_string().as_str(), t]).unwrap();
    }
    w.flush().unwrap();
    let run = |threads: &str| -> (Vec<u8>, Vec<u8>) {
        let out: PathBuf = dir.path().join(format!("a{threads}.csv"));
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_canvass"))
            .env("RAYON_NUM_THREADS", threads)
            .args([
                "themes",
                input.to_str().unwrap(),
                "--text",
                "text",
                "--id",
                "id",
                "--k",
                "auto",
                "--seed",
                "7",
                "--json",
            ])
            .arg("--assignments")
            .arg(&out)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        (o.stdout, std::fs::read(&out).unwrap())
    };
    let (json1, csv1) = run("1");
    let (json2, csv2) = run("2");
    assert!(csv1 == csv2, "assignments differ between 1 and 2 threads");
    assert!(json1 == json2, "themes differ between 1 and 2 threads");
    // The contract: `id,theme,label` first, then `sentiment` (English comments are scored).
    assert!(String::from_utf8_lossy(&csv1).starts_with("id,theme,label,sentiment,tone,"));
}

/// The positions in `text` of "1. A", "2. B" … for the labels in the order given, as the
/// summaries number and capitalise them; `None` where one is missing.
fn numbered_positions(text: &str, labels: &[String]) -> Vec<Option<usize>> {
    labels
        .iter()
        .enumerate()
        .map(|(at, label)| {
            let mut chars = label.chars();
            let shown: String = chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect())
                .unwrap_or_default();
            text.find(&format!("{}. {shown}", at + 1))
        })
        .collect()
}

#[test]
fn every_wave_of_the_example_lists_themes_largest_first_carries_the_merge_and_states_one_agreement()
{
    let dir = tempfile::tempdir().unwrap();
    let pipeline = example_pipeline(dir.path());
    let o = canvass(&["run", pipeline.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stderr(&o).contains("no longer applies"), "{}", stderr(&o));
    let out = dir.path().join("out");
    let agreement = std::fs::read(out.join("wave-1/agreement.csv")).unwrap();
    for wave in ["wave-1", "wave-2", "wave-3"] {
        let at = out.join(wave);
        // themes.csv lists the first question's themes largest first …
        let (h, themes) = read_first_question_csv(&at.join("themes.csv"));
        let (label, size) = (
            h.iter().position(|c| c == "label").unwrap(),
            h.iter().position(|c| c == "size").unwrap(),
        );
        let sizes: Vec<usize> = themes.iter().map(|r| r[size].parse().unwrap()).collect();
        assert!(sizes.windows(2).all(|w| w[0] >= w[1]), "{wave}: {sizes:?}");
        let labels: Vec<String> = themes.iter().map(|r| r[label].clone()).collect();
        // … and so do the Markdown, HTML and DOCX summaries, numbered in that order.
        let docx = unzipped_text(&std::fs::read(at.join("summary.docx")).unwrap());
        for (format, text) in [
            (
                "md",
                std::fs::read_to_string(at.join("summary.md")).unwrap(),
            ),
            (
                "html",
                std::fs::read_to_string(at.join("summary.html")).unwrap(),
            ),
            ("docx", docx),
        ] {
            let found = numbered_positions(&text, &labels);
            assert!(
                found.iter().all(Option::is_some),
                "{wave} {format}: {labels:?} {found:?}"
            );
            assert!(
                found.windows(2).all(|w| w[0] < w[1]),
                "{wave} {format}: {found:?}"
            );
        }
        // The reviewers' wave-1 merge and renames hold in every wave: one theme to follow.
        for reviewed in [
            "Teaching, marking and feedback",
            "Staff morale",
            "Understanding of data",
        ] {
            assert!(labels.iter().any(|l| l == reviewed), "{wave}: {labels:?}");
        }
        assert!(
            !labels
                .iter()
                .any(|l| l == "teaching" || l == "marking and feedback"),
            "{wave}: {labels:?}"
        );
        // The coded sample's agreement is the sample's, the same in every wave.
        assert_eq!(
            std::fs::read(at.join("agreement.csv")).unwrap(),
            agreement,
            "{wave}"
        );
        // `agree` reads the wave's comments.csv as written: with itself, κ 1.
        let comments = at.join("comments.csv");
        let comments = comments.to_str().unwrap();
        let o = canvass(&["agree", comments, comments, "--json"]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let r: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(r["kappa"].as_f64(), Some(1.0), "{wave}: {r}");
    }
}
