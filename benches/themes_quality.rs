//! Theme quality and speed, measured on real coded comments (not a test: figures, not verdicts).
//!
//!   cargo bench --bench themes_quality -- FILE.csv …        NMI, ARI, accuracy vs gold labels
//!   cargo bench --bench themes_quality -- --speed FILE.csv N   time and peak memory on N comments
//!
//! Files have columns id,text,label. The number of themes is the number of gold labels. canvass
//! sets empty answers ("Nothing", "n/a") aside instead of clustering them; for scoring, that
//! bucket counts as one of the k clusters, so k − 1 themes are requested when it is used.
//! Compare with benches/sklearn_themes.py on the same files.

use canvass::config::ThemeCount;
use canvass::themes::evaluate::agreement;
use canvass::themes::{themes, Comment, CommentStatus, ThemeParams};
use std::collections::BTreeMap;
use std::time::Instant;

mod common;
use common::peak_memory_mib;

fn load(path: &str) -> (Vec<String>, Vec<usize>) {
    let mut r = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut labels = BTreeMap::new();
    let (mut texts, mut gold) = (Vec::new(), Vec::new());
    for rec in r.records() {
        let rec = rec.expect("valid CSV");
        let n = labels.len();
        gold.push(*labels.entry(rec[2].to_string()).or_insert(n));
        texts.push(rec[1].to_string());
    }
    (texts, gold)
}

fn comments(texts: &[String]) -> Vec<Comment> {
    texts
        .iter()
        .enumerate()
        .map(|(i, t)| Comment {
            respondent: i.to_string(),
            text: t.clone(),
        })
        .collect()
}

/// Theme ids per input row (0 = set aside), requesting `k` clusters in all.
fn predict(texts: &[String], k: usize, seed: u64) -> Vec<usize> {
    let c = comments(texts);
    let set_aside = texts
        .iter()
        .any(|t| t.trim().is_empty() || canvass::themes::tokenize::is_non_substantive(t));
    let mut params = ThemeParams::new(texts.len());
    params.k = ThemeCount::Fixed(if set_aside { k - 1 } else { k });
    params.seed = seed;
    let report = themes(&c, &params).expect("themes");
    let mut out = vec![0; texts.len()];
    let non_blank: Vec<usize> = (0..texts.len())
        .filter(|&i| !texts[i].trim().is_empty())
        .collect();
    for (a, &i) in report.assignments.iter().zip(&non_blank) {
        out[i] = if a.status == CommentStatus::Themed {
            a.theme.map_or(0, |t| t as usize)
        } else {
            0
        };
    }
    out
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    if args.first().map(String::as_str) == Some("--speed") {
        let (texts, _) = load(&args[1]);
        let n: usize = args[2].parse().expect("N");
        let many: Vec<String> = texts.iter().cycle().take(n).cloned().collect();
        // Timed: the themes stage alone, as the scikit-learn script times its fit alone.
        let c = comments(&many);
        let mut params = ThemeParams::new(n);
        params.k = ThemeCount::Fixed(20);
        let t = Instant::now();
        themes(&c, &params).expect("themes");
        println!(
            "canvass themes on {n} comments: {:.2}s, peak memory {:.0} MiB, {} threads",
            t.elapsed().as_secs_f64(),
            peak_memory_mib(),
            rayon::current_num_threads()
        );
        return;
    }
    // Seeds 0..5 by default; CANVASS_SEEDS=N for a tighter estimate.
    let seeds: u64 = std::env::var("CANVASS_SEEDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    for path in &args {
        let (texts, gold) = load(path);
        let k = gold.iter().max().map_or(0, |m| m + 1);
        let mut rows = Vec::new();
        let mut seconds = Vec::new();
        for seed in 0..seeds {
            let t = Instant::now();
            let pred = predict(&texts, k, seed);
            seconds.push(t.elapsed().as_secs_f64());
            let a = agreement(&gold, &pred);
            rows.push([a.nmi * 100.0, a.ari * 100.0, a.accuracy * 100.0]);
        }
        let stat = |i: usize| {
            let v: Vec<f64> = rows.iter().map(|r| r[i]).collect();
            let m = v.iter().sum::<f64>() / v.len() as f64;
            let sd = (v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / v.len() as f64).sqrt();
            format!("{m:.1}±{sd:.1}")
        };
        println!(
            "{path}: n={} k={k} canvass NMI {} ARI {} ACC {} time {:.2}s",
            texts.len(),
            stat(0),
            stat(1),
            stat(2),
            seconds.iter().sum::<f64>() / seconds.len() as f64
        );
    }
}
