//! Quality of learned coding (not a test: figures, not verdicts), beside scikit-learn's TF-IDF +
//! LinearSVC on the same splits (benches/sklearn_coding.py). This scores the classifier's best
//! guess, for tuning; what a user receives — the assignments file `canvass themes --coded` writes,
//! single- and multi-label, five seeds — is scored by benches/learn_written.py.
//!
//!   cargo bench --bench learn_quality -- FILE.csv [SEED]
//!
//! FILE has columns id,text,label (one label per comment). For each training share (10, 20 and
//! 50 %), a stratified split: within each label, comments are ranked by splitmix64(id ^ seed) and
//! the first round(share · n) train; the rest are coded and scored. The Python peer computes the
//! same split. canvass codes each held-out comment with its most probable theme (the data have
//! one label per comment and every comment has one), using the features and model of
//! `themes::learn`. Reports macro-F1, micro-F1 and accuracy, and the time of one learned-coding
//! run (`learn::learn`: features, 5-fold cross-validation and the final model) on 10,000 comments
//! with 2,000 of them coded.

use canvass::themes::learn::{self, CodedSample};
use canvass::themes::linear::OneVsRest;
use canvass::themes::tokenize::Tokenizer;
use canvass::themes::vectorize::{tfidf, TfidfParams};
use std::collections::BTreeMap;
use std::time::Instant;

fn splitmix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

struct Data {
    ids: Vec<u64>,
    texts: Vec<String>,
    labels: Vec<usize>,
    names: Vec<String>,
}

fn load(path: &str) -> Data {
    let mut r = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    let mut rows = Vec::new();
    for rec in r.records() {
        let rec = rec.expect("valid CSV");
        rows.push((
            rec[0].parse::<u64>().expect("numeric id"),
            rec[1].to_string(),
            rec[2].to_string(),
        ));
        index.insert(rec[2].to_string(), 0);
    }
    for (i, v) in index.values_mut().enumerate() {
        *v = i;
    }
    Data {
        ids: rows.iter().map(|r| r.0).collect(),
        labels: rows.iter().map(|r| index[&r.2]).collect(),
        texts: rows.into_iter().map(|r| r.1).collect(),
        names: index.into_keys().collect(),
    }
}

/// Rows that train: within each label, the first round(share · n) by splitmix64(id ^ seed).
fn split(d: &Data, share: f64, seed: u64) -> Vec<bool> {
    let mut by_label: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, &l) in d.labels.iter().enumerate() {
        by_label.entry(l).or_default().push(i);
    }
    let mut train = vec![false; d.ids.len()];
    for rows in by_label.values_mut() {
        rows.sort_by_key(|&i| (splitmix64(d.ids[i] ^ seed), d.ids[i]));
        let n = (share * rows.len() as f64).round() as usize;
        for &i in &rows[..n] {
            train[i] = true;
        }
    }
    train
}

/// (macro-F1, micro-F1, accuracy); macro-F1 over the labels present in truth or prediction,
/// as scikit-learn's `f1_score(average="macro")`.
fn scores(truth: &[usize], pred: &[usize], classes: usize) -> (f64, f64, f64) {
    let (mut tp, mut fp, mut fnn) = (vec![0.0; classes], vec![0.0; classes], vec![0.0; classes]);
    for (&t, &p) in truth.iter().zip(pred) {
        if t == p {
            tp[t] += 1.0;
        } else {
            fp[p] += 1.0;
            fnn[t] += 1.0;
        }
    }
    let present: Vec<usize> = (0..classes)
        .filter(|&c| tp[c] + fp[c] + fnn[c] > 0.0)
        .collect();
    let f1 = |c: usize| {
        let d = 2.0 * tp[c] + fp[c] + fnn[c];
        if d > 0.0 {
            2.0 * tp[c] / d
        } else {
            0.0
        }
    };
    let macro_f1 = present.iter().map(|&c| f1(c)).sum::<f64>() / present.len() as f64;
    let accuracy = tp.iter().sum::<f64>() / truth.len() as f64;
    // One label per comment: micro-F1 equals accuracy.
    (macro_f1, accuracy, accuracy)
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let path = args.first().expect("FILE.csv");
    let seed: u64 = args.get(1).map_or(0, |s| s.parse().expect("seed"));
    let d = load(path);
    let tok = Tokenizer::new("english")
        .expect("english")
        .keeping_stop_words();
    let terms: Vec<_> = d.texts.iter().map(|t| tok.terms(t)).collect();
    // Document frequencies over every comment, as learned coding counts them.
    let (_, x) = tfidf(
        &terms,
        TfidfParams {
            min_df: learn::MIN_DF,
            sublinear_tf: true,
        },
    );
    println!(
        "{} comments, {} labels, seed {seed}",
        d.texts.len(),
        d.names.len()
    );
    println!("share  train  macro-F1  micro-F1  accuracy");
    for share in [0.1, 0.2, 0.5] {
        let train = split(&d, share, seed);
        let rows: Vec<usize> = (0..d.ids.len()).filter(|&i| train[i]).collect();
        let labels: Vec<Vec<usize>> = rows.iter().map(|&i| vec![d.labels[i]]).collect();
        let model = OneVsRest::train(&x, &rows, &labels, d.names.len(), &learn::svm_params(seed));
        let test: Vec<usize> = (0..d.ids.len()).filter(|&i| !train[i]).collect();
        let pred: Vec<usize> = test
            .iter()
            .map(|&i| {
                let s = model.scores(&x, i);
                (0..s.len())
                    .reduce(|a, b| if s[b] > s[a] { b } else { a })
                    .unwrap_or(0)
            })
            .collect();
        let truth: Vec<usize> = test.iter().map(|&i| d.labels[i]).collect();
        let (ma, mi, acc) = scores(&truth, &pred, d.names.len());
        println!(
            "{:>4.0} % {:>6} {:>9.3} {:>9.3} {:>9.3}",
            100.0 * share,
            rows.len(),
            ma,
            mi,
            acc
        );
    }
    // One run of learned coding as the themes stage does it, on 10,000 comments, 2,000 coded.
    let n = d.texts.len().min(10_000);
    let train = split(&d, 0.2, seed);
    let mut sample = CodedSample {
        source: path.clone(),
        ..CodedSample::default()
    };
    for i in (0..n).filter(|&i| train[i]) {
        let id = d.ids[i].to_string();
        sample
            .codes
            .insert(id.clone(), [d.names[d.labels[i]].clone()].into());
    }
    let ids: Vec<String> = d.ids[..n].iter().map(u64::to_string).collect();
    let id_refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    let texts: Vec<&str> = d.texts[..n].iter().map(String::as_str).collect();
    let clock = Instant::now();
    let l = learn::learn(&sample, &id_refs, &texts, &tok, seed, 0.5).expect("learn");
    println!(
        "learned coding of {n} comments ({} coded by hand, 5-fold cross-validation included): {:.2} s on {} threads; cross-validated exact agreement {:.3}, mean kappa {:.3}",
        l.summary.trained_on,
        clock.elapsed().as_secs_f64(),
        rayon::current_num_threads(),
        l.summary.cross_validation.exact_share,
        l.summary.cross_validation.kappa.unwrap_or(f64::NAN)
    );
}
