//! Learned coding: the team codes a sample of comments by hand, canvass learns their coding and
//! codes the rest the same way, and says how far to trust it.
//!
//! Features are canvass's own stemmed unigrams and bigrams (`tokenize`) weighted by TF-IDF
//! (`vectorize`); the model's document frequencies are counted over the sample and the comments
//! to code together (no label is used for that, and the comments are all at hand). Each theme
//! gets a linear SVM (`linear`, one-vs-rest, so a comment can have several themes). Stratified
//! 5-fold cross-validation on the sample, with document frequencies of the sample alone, gives
//! held-out decision values: Platt scaling turns them into probabilities, and comparing the
//! held-out coding with the team's (`agree`) gives the agreement the summary states — a property
//! of the sample, the same in every wave it codes. A comment is coded to every theme whose
//! probability reaches the theme's threshold (½, or for a theme the sample codes 20 times or more,
//! the one its held-out coding reads best at), or to its most probable one; under `review_below`
//! it is listed for review, and under a floor the cross-validation chooses (none when the coders
//! gave every comment they saw a theme) no learned theme fits it and it is left to the
//! discovered themes.

use super::linear::{OneVsRest, Platt, SvmParams};
use super::tokenize::{Term, Tokenizer};
use super::vectorize;
use crate::agree::{self, Coding, ThemeAgreement};
use crate::error::{DataOf, Error, Result};
use rand_xoshiro::rand_core::{RngCore, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Folds of the cross-validation.
pub const FOLDS: usize = 5;
/// The fewest coded comments learned from: two per fold.
pub const MIN_SAMPLE: usize = 2 * FOLDS;
/// The floors tried: below the chosen one, no learned theme fits a comment. The
/// cross-validation picks the one whose held-out coding matches the sample's most often.
pub const NO_FIT_FLOORS: [f64; 8] = [0.0, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5];
/// The default review threshold: the most likely theme is less likely than not.
pub const DEFAULT_REVIEW_BELOW: f64 = 0.5;

/// Terms in fewer comments than this (sample and comments to code together) are dropped.
pub const MIN_DF: usize = 2;

/// The solver's settings: C = 0.5 with balanced class weights, chosen on NHS patient comments
/// (benches/learn_quality.rs: macro-F1 at a 20 % training share 0.490 with C = 1, 0.514 with
/// C = 0.5 and `MIN_DF` 2; C = 1, unbalanced, like LinearSVC's defaults: 0.459).
pub fn svm_params(seed: u64) -> SvmParams {
    SvmParams {
        c: 0.5,
        balanced: true,
        seed,
        ..SvmParams::default()
    }
}

// In agree, beside `Coding`, so that reading a sample (agree::read) needs nothing from themes.
pub use crate::agree::CodedSample;

/// What learned coding did, for the summary and `themes.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LearnedSummary {
    /// The sample file, as named to the user.
    pub sample: String,
    /// Comments in the sample file.
    pub sample_comments: usize,
    /// Of those, the ones learned from (with a text, in the file or in this wave).
    pub trained_on: usize,
    /// Sample ids with no text in the file and no comment in this wave: not used.
    pub unknown_ids: usize,
    /// This wave's comments coded by hand in the sample (their codes are kept as they are).
    pub hand_coded: usize,
    /// This wave's comments coded by the model, of which `needs_review` are under
    /// `review_below`; `no_fit` fitted no learned theme and were left to clustering.
    pub learned: usize,
    /// Of `learned`, those whose confidence is under `review_below` (comments.csv `review` = true).
    pub needs_review: usize,
    /// Comments no learned theme fitted (probability under `no_fit_below`): left to clustering.
    pub no_fit: usize,
    /// Learned codings less probable than this are listed for review.
    pub review_below: f64,
    /// Under this probability no learned theme fits: chosen by the cross-validation among
    /// [`NO_FIT_FLOORS`], 0 when the coders gave every sample comment a theme.
    pub no_fit_below: f64,
    /// Seed of the cross-validation folds and the classifier.
    pub seed: u64,
    /// The learned themes, most frequent in the sample first.
    pub themes: Vec<String>,
    /// Held-out agreement of the model with the sample's coding.
    pub cross_validation: CrossValidation,
}

/// Held-out agreement of the automatic coding with the sample's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CrossValidation {
    /// Folds the sample was split into.
    pub folds: usize,
    /// Sample comments compared (each coded by a model that did not see it).
    pub comments: usize,
    /// Comments given exactly the sample's set of themes.
    pub exact: usize,
    /// `exact / comments`, 0–1.
    pub exact_share: f64,
    /// The mean over themes of Cohen's kappa on whether the theme applies.
    pub kappa: Option<f64>,
    /// Per theme, the automatic coding (second) against the sample (first).
    pub themes: Vec<ThemeAgreement>,
}

/// One comment's learned coding.
#[derive(Debug, Clone, PartialEq)]
pub struct DocCode {
    /// Indices into `Learned::themes`.
    pub themes: Vec<usize>,
    /// Probability of the most likely theme (1 for a hand-coded comment).
    pub confidence: f64,
    /// Under `review_below`: listed for a person to check.
    pub review: bool,
    /// Coded by hand in the sample, not by the model.
    pub hand: bool,
}

/// What learning produced: the summary for themes.json, the learned themes and the coding of each
/// comment.
pub struct Learned {
    /// What learning did, for the summary and themes.json's `learned`.
    pub summary: LearnedSummary,
    /// The learned themes, most frequent in the sample first; [`DocCode::themes`] indexes them.
    pub themes: Vec<String>,
    /// Key words of each theme: its largest weights, as written.
    pub keywords: Vec<Vec<String>>,
    /// Per comment to code; `None` when no learned theme fits.
    pub codes: Vec<Option<DocCode>>,
}

/// Learns the sample's coding and codes the comments (`ids`, `texts`). The tokenizer should
/// keep stop words (`Tokenizer::keeping_stop_words`).
pub fn learn(
    sample: &CodedSample,
    ids: &[&str],
    texts: &[&str],
    tokenizer: &Tokenizer,
    seed: u64,
    review_below: f64,
) -> Result<Learned> {
    let training = Training::match_sample(sample, ids, texts);
    training.check_size(sample)?;
    let names = theme_names(sample, &training.train)?;
    let index: BTreeMap<&str, usize> = names.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let labels: Vec<Vec<usize>> = training
        .train
        .iter()
        .map(|(_, _, codes)| codes.iter().map(|c| index[c.as_str()]).collect())
        .collect();
    // The comments to code: every one not coded by hand.
    let to_code: Vec<usize> = (0..ids.len())
        .filter(|d| !training.hand.contains_key(d))
        .collect();
    let n = training.train.len();
    let svm = svm_params(seed);
    // The cross-validation sees the sample alone, so the agreement stated for a sample (and the
    // calibration and floor it gives) is the same in every wave it codes.
    let (_, sample_x) = training.vectorize(&[], texts, tokenizer);
    let (platt, thresholds, floor, cross_validation) =
        calibrate(&sample_x, &labels, &names, &svm, review_below);
    let (vocab, x) = training.vectorize(&to_code, texts, tokenizer);
    let decide = |scores: &[f64]| decide(scores, &platt, &thresholds, review_below, floor);

    let all: Vec<usize> = (0..n).collect();
    let model = OneVsRest::train(&x, &all, &labels, names.len(), &svm);
    let learned: Vec<Option<DocCode>> = (0..to_code.len())
        .into_par_iter()
        .map(|j| decide(&model.scores(&x, n + j)))
        .collect();
    let mut codes: Vec<Option<DocCode>> = vec![None; ids.len()];
    for (j, &d) in to_code.iter().enumerate() {
        codes[d] = learned[j].clone();
    }
    training.hand_codes(&index, &mut codes);
    let keywords = model.weights.iter().map(|w| top_terms(w, &vocab)).collect();
    let count = |f: &dyn Fn(&DocCode) -> bool| {
        to_code
            .iter()
            .filter(|&&d| codes[d].as_ref().is_some_and(f))
            .count()
    };
    let themes: Vec<String> = names.iter().map(|s| s.to_string()).collect();
    let summary = LearnedSummary {
        sample: sample.source.clone(),
        sample_comments: sample.codes.len(),
        trained_on: n,
        unknown_ids: training.unknown,
        hand_coded: training.hand.len(),
        learned: count(&|_| true),
        needs_review: count(&|c| c.review),
        no_fit: to_code.iter().filter(|&&d| codes[d].is_none()).count(),
        review_below,
        no_fit_below: floor,
        seed,
        themes: themes.clone(),
        cross_validation,
    };
    Ok(Learned {
        summary,
        themes,
        keywords,
        codes,
    })
}

/// The coded sample matched against the wave's comments.
struct Training<'a> {
    /// Training comments: (id, text, codes), in id order.
    train: Vec<(&'a str, &'a str, &'a BTreeSet<String>)>,
    /// The wave's comments (by position) coded by hand, with their codes.
    hand: BTreeMap<usize, &'a BTreeSet<String>>,
    /// Sample ids that are no comment of this wave and come with no text.
    unknown: usize,
}

impl<'a> Training<'a> {
    fn match_sample(sample: &'a CodedSample, ids: &[&str], texts: &[&'a str]) -> Training<'a> {
        let mut by_id: BTreeMap<&str, usize> = BTreeMap::new();
        for (d, id) in ids.iter().enumerate() {
            by_id.entry(id).or_insert(d);
        }
        let mut train: Vec<(&str, &str, &BTreeSet<String>)> = Vec::new();
        let mut hand: BTreeMap<usize, &BTreeSet<String>> = BTreeMap::new();
        let mut unknown = 0;
        for (id, codes) in &sample.codes {
            let wave = by_id.get(id.as_str()).copied();
            match (sample.texts.get(id), wave) {
                (Some(t), w) => {
                    train.push((id, t, codes));
                    if let Some(d) = w.filter(|&d| texts[d].trim() == t.trim()) {
                        hand.insert(d, codes);
                    }
                }
                (None, Some(d)) => {
                    train.push((id, texts[d], codes));
                    hand.insert(d, codes);
                }
                (None, None) => unknown += 1,
            }
        }
        Training {
            train,
            hand,
            unknown,
        }
    }

    /// TF-IDF rows of the training comments, then of the comments to code (`to_code`), with
    /// document frequencies counted over both.
    fn vectorize(
        &self,
        to_code: &[usize],
        texts: &[&str],
        tokenizer: &Tokenizer,
    ) -> (vectorize::Vocabulary, vectorize::SparseRows) {
        let mut all_terms: Vec<Vec<Term>> = self
            .train
            .par_iter()
            .map(|t| tokenizer.terms(t.1))
            .collect();
        all_terms.extend(
            to_code
                .par_iter()
                .map(|&d| tokenizer.terms(texts[d]))
                .collect::<Vec<_>>(),
        );
        vectorize::tfidf(
            &all_terms,
            vectorize::TfidfParams {
                min_df: MIN_DF,
                sublinear_tf: true,
            },
        )
    }

    /// Gives the comments coded by hand their sample codes, replacing any learned ones.
    fn hand_codes(&self, index: &BTreeMap<&str, usize>, codes: &mut [Option<DocCode>]) {
        for (&d, c) in &self.hand {
            codes[d] = Some(DocCode {
                themes: c.iter().map(|t| index[t.as_str()]).collect(),
                confidence: 1.0,
                review: false,
                hand: true,
            });
        }
    }

    /// Fails when too few sample comments can be learned from for the cross-validation.
    fn check_size(&self, sample: &CodedSample) -> Result<()> {
        if self.train.len() >= MIN_SAMPLE {
            return Ok(());
        }
        let why = match self.unknown {
            0 => String::new(),
            n => format!(
                " ({n} of its ids are not comments of this wave and it gives no `text` for them)"
            ),
        };
        Err(Error::data(
            DataOf::CodedSample,
            format!(
            "coded sample {}: {} coded comments can be learned from{why}; learned coding needs at \
             least {MIN_SAMPLE} (two per fold of the {FOLDS}-fold cross-validation) — code more \
             comments, use the ids canvass writes in comments.csv, or add a `text` column",
            sample.source,
            self.train.len()
        ),
        ))
    }
}

/// The sample's themes, most frequent first (then by name); an error when it codes none.
fn theme_names<'a>(
    sample: &CodedSample,
    train: &[(&str, &str, &'a BTreeSet<String>)],
) -> Result<Vec<&'a str>> {
    let mut frequency: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, _, codes) in train {
        for c in codes.iter() {
            *frequency.entry(c).or_insert(0) += 1;
        }
    }
    if frequency.is_empty() {
        return Err(Error::data(
            DataOf::CodedSample,
            format!(
                "coded sample {}: no comment is coded with a theme — give each coded comment its theme",
                sample.source
            ),
        ));
    }
    let mut names: Vec<&str> = frequency.keys().copied().collect();
    names.sort_by_key(|n| (std::cmp::Reverse(frequency[n]), *n));
    Ok(names)
}

/// Platt scaling fitted to the sample's out-of-fold decision values, and how the held-out
/// coding it gives agrees with the sample's at the "fits none" floor the held-out coding
/// chooses.
fn calibrate(
    x: &vectorize::SparseRows,
    labels: &[Vec<usize>],
    names: &[&str],
    svm: &SvmParams,
    review_below: f64,
) -> (Platt, Vec<f64>, f64, CrossValidation) {
    let n = labels.len();
    let (oof, folds) = cross_validate(x, labels, names.len(), svm);
    let pairs = oof.iter().zip(labels).flat_map(|(scores, l)| {
        scores
            .iter()
            .enumerate()
            .map(move |(t, &f)| (f, l.contains(&t)))
    });
    let (f, y): (Vec<f64>, Vec<bool>) = pairs.unzip();
    let platt = Platt::fit(&f, &y);
    let thresholds = theme_thresholds(&oof, labels, names.len(), &platt);
    let sample_coding: Coding = (0..n)
        .map(|i| (i.to_string(), named(&labels[i], names)))
        .collect();
    let held_out = |floor: f64| -> Coding {
        (0..n)
            .map(|i| {
                let code = decide(&oof[i], &platt, &thresholds, review_below, floor);
                (
                    i.to_string(),
                    named(&code.map_or(vec![], |c| c.themes), names),
                )
            })
            .collect()
    };
    let floor = choose_floor(labels, |floor| {
        let coding = held_out(floor);
        (0..n)
            .filter(|i| coding[&i.to_string()] == sample_coding[&i.to_string()])
            .count()
    });
    let cv = agreement(&sample_coding, &held_out(floor), folds);
    (platt, thresholds, floor, cv)
}

/// Themes the sample codes at least this often get a probability threshold of their own.
pub const OWN_THRESHOLD_MIN: usize = 20;
/// The thresholds tried for a theme of its own.
const THRESHOLDS: [f64; 9] = [0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6];

/// The probability from which each theme is coded: ½, or for a theme the sample codes
/// [`OWN_THRESHOLD_MIN`] times or more, the one of [`THRESHOLDS`] under which the held-out coding
/// of that theme has the best F1 (the nearest to ½ on a tie): a rare theme's probabilities
/// seldom reach ½, a common one's often do when it is not meant.
fn theme_thresholds(
    oof: &[Vec<f64>],
    labels: &[Vec<usize>],
    classes: usize,
    platt: &Platt,
) -> Vec<f64> {
    (0..classes)
        .map(|t| {
            let truth: Vec<bool> = labels.iter().map(|l| l.contains(&t)).collect();
            if truth.iter().filter(|&&y| y).count() < OWN_THRESHOLD_MIN {
                return 0.5;
            }
            let p: Vec<f64> = oof.iter().map(|s| platt.probability(s[t])).collect();
            let f1 = |th: f64| {
                let (mut tp, mut fp, mut fnn) = (0.0_f64, 0.0_f64, 0.0_f64);
                for (&pi, &yi) in p.iter().zip(&truth) {
                    match (pi >= th, yi) {
                        (true, true) => tp += 1.0,
                        (true, false) => fp += 1.0,
                        (false, true) => fnn += 1.0,
                        _ => {}
                    }
                }
                2.0 * tp / (2.0 * tp + fp + fnn).max(1.0)
            };
            let mut order = THRESHOLDS;
            order.sort_by(|a, b| {
                (a - 0.5)
                    .abs()
                    .total_cmp(&(b - 0.5).abs())
                    .then(a.total_cmp(b))
            });
            let mut best = (f1(0.5), 0.5);
            for th in order {
                let score = f1(th);
                if score > best.0 {
                    best = (score, th);
                }
            }
            best.1
        })
        .collect()
}

/// The "fits none" floor: none when the coders gave every comment they saw a theme (their
/// coding says every comment fits one), else the floor of [`NO_FIT_FLOORS`] under which the
/// held-out coding matches the sample's most often (`exact(floor)`), the lowest on a tie.
fn choose_floor(labels: &[Vec<usize>], exact: impl Fn(f64) -> usize) -> f64 {
    if labels.iter().all(|l| !l.is_empty()) {
        return 0.0;
    }
    let mut best = (0, NO_FIT_FLOORS[0]);
    for floor in NO_FIT_FLOORS {
        let matched = exact(floor);
        if matched > best.0 {
            best = (matched, floor);
        }
    }
    best.1
}

/// A theme's key words: its six largest positive weights that read as key words
/// (`label::reads_as_key_word`: the model weighs stop words, a reader should not see them), as
/// written.
fn top_terms(w: &[f64], vocab: &vectorize::Vocabulary) -> Vec<String> {
    let mut order: Vec<usize> = (0..vocab.terms.len())
        .filter(|&t| w[t] > 0.0 && super::label::reads_as_key_word(&vocab.surfaces[t]))
        .collect();
    order.sort_by(|&a, &b| w[b].total_cmp(&w[a]).then(a.cmp(&b)));
    order
        .into_iter()
        .take(6)
        .map(|t| vocab.surfaces[t].clone())
        .collect()
}

fn named(themes: &[usize], names: &[&str]) -> BTreeSet<String> {
    themes.iter().map(|&t| names[t].to_string()).collect()
}

/// The decision rule: every theme whose probability reaches its threshold (`thresholds`, ½ but
/// for common themes), else the most probable one; none when even that is under `floor`.
pub fn decide(
    scores: &[f64],
    platt: &Platt,
    thresholds: &[f64],
    review_below: f64,
    floor: f64,
) -> Option<DocCode> {
    let p: Vec<f64> = scores.iter().map(|&f| platt.probability(f)).collect();
    let top = (0..p.len()).reduce(|a, b| if p[b] > p[a] { b } else { a })?;
    if p[top] < floor {
        return None;
    }
    let mut themes: Vec<usize> = (0..p.len()).filter(|&t| p[t] >= thresholds[t]).collect();
    if themes.is_empty() {
        themes.push(top);
    }
    Some(DocCode {
        themes,
        confidence: p[top],
        review: p[top] < review_below,
        hand: false,
    })
}

/// Out-of-fold decision values of every sample comment for every theme, and the folds used.
fn cross_validate(
    x: &vectorize::SparseRows,
    labels: &[Vec<usize>],
    classes: usize,
    svm: &SvmParams,
) -> (Vec<Vec<f64>>, usize) {
    let fold = stratified_folds(labels, classes, FOLDS, svm.seed);
    let per_fold: Vec<Vec<(usize, Vec<f64>)>> = (0..FOLDS)
        .into_par_iter()
        .map(|k| {
            let rows: Vec<usize> = (0..labels.len()).filter(|&i| fold[i] != k).collect();
            let train_labels: Vec<Vec<usize>> = rows.iter().map(|&i| labels[i].clone()).collect();
            let model = OneVsRest::train(x, &rows, &train_labels, classes, svm);
            (0..labels.len())
                .filter(|&i| fold[i] == k)
                .map(|i| (i, model.scores(x, i)))
                .collect()
        })
        .collect();
    let mut oof = vec![Vec::new(); labels.len()];
    for (i, s) in per_fold.into_iter().flatten() {
        oof[i] = s;
    }
    (oof, FOLDS)
}

/// Assigns each comment a fold, stratified by its rarest theme (the comments without a theme
/// form a stratum of their own): each stratum is shuffled with the seed and dealt round the
/// folds, continuing where the last stratum stopped, so folds differ in size by one at most and
/// every theme is spread over them.
pub fn stratified_folds(labels: &[Vec<usize>], classes: usize, k: usize, seed: u64) -> Vec<usize> {
    let mut size = vec![0usize; classes];
    for l in labels {
        for &c in l {
            size[c] += 1;
        }
    }
    let mut strata: BTreeMap<Option<(usize, usize)>, Vec<usize>> = BTreeMap::new();
    for (i, l) in labels.iter().enumerate() {
        let rarest = l.iter().map(|&c| (size[c], c)).min();
        strata.entry(rarest).or_default().push(i);
    }
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut fold = vec![0; labels.len()];
    let mut next = 0;
    for members in strata.values_mut() {
        for i in (1..members.len()).rev() {
            let j = (rng.next_u64() % (i as u64 + 1)) as usize;
            members.swap(i, j);
        }
        for &m in members.iter() {
            fold[m] = next % k;
            next += 1;
        }
    }
    fold
}

/// How the held-out coding agrees with the sample's: exact match of the set of themes, and per
/// theme (`agree::compare`), with kappa averaged over the themes.
pub fn agreement(sample: &Coding, held_out: &Coding, folds: usize) -> CrossValidation {
    let r = agree::compare(sample, held_out);
    let kappas: Vec<f64> = r.themes.iter().filter_map(|t| t.kappa).collect();
    CrossValidation {
        folds,
        comments: r.n,
        exact: r.exact,
        exact_share: r.exact as f64 / r.n.max(1) as f64,
        kappa: (!kappas.is_empty()).then(|| kappas.iter().sum::<f64>() / kappas.len() as f64),
        themes: r.themes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn coding(rows: &[(&str, &[&str])]) -> Coding {
        rows.iter()
            .map(|(id, ts)| (id.to_string(), ts.iter().map(|t| t.to_string()).collect()))
            .collect()
    }

    #[test]
    fn agreement_by_hand() {
        // Ten comments, themes a and b. The held-out coding differs on 3 (a→b), 7 (b→a) and
        // 9 ({a,b}→{a}). By hand: exact 7 of 10.
        // Theme a: sample on 1,2,3,4,5,9 (6), held-out on 1,2,4,5,7,9 (6), both 5:
        //   precision = recall = F1 = 5/6; presence agrees on 8 of 10 (p_o 0.8), marginals
        //   6/10 each: p_e = 0.36 + 0.16 = 0.52, kappa = 0.28/0.48 = 0.583333….
        // Theme b: sample on 6,7,8,9,10 (5), held-out on 3,6,8,10 (4), both 3: precision 3/4,
        //   recall 3/5, F1 6/9; presence agrees on 7 of 10 (differs on 3, 7, 9): p_o 0.7,
        //   p_e = 0.5·0.4 + 0.5·0.6 = 0.5, kappa = 0.4. Mean kappa (0.583333 + 0.4)/2.
        let sample = coding(&[
            ("1", &["a"]),
            ("2", &["a"]),
            ("3", &["a"]),
            ("4", &["a"]),
            ("5", &["a"]),
            ("6", &["b"]),
            ("7", &["b"]),
            ("8", &["b"]),
            ("9", &["a", "b"]),
            ("10", &["b"]),
        ]);
        let held = coding(&[
            ("1", &["a"]),
            ("2", &["a"]),
            ("3", &["b"]),
            ("4", &["a"]),
            ("5", &["a"]),
            ("6", &["b"]),
            ("7", &["a"]),
            ("8", &["b"]),
            ("9", &["a"]),
            ("10", &["b"]),
        ]);
        let cv = agreement(&sample, &held, 5);
        assert_eq!((cv.comments, cv.exact), (10, 7));
        let a = &cv.themes[0];
        let b = &cv.themes[1];
        assert_eq!((a.in_a, a.in_b, a.both), (6, 6, 5));
        assert!((a.f1.unwrap() - 5.0 / 6.0).abs() < 1e-12);
        assert!((a.kappa.unwrap() - 0.28 / 0.48).abs() < 1e-12);
        assert_eq!((b.precision, b.recall), (Some(0.75), Some(0.6)));
        assert!((b.kappa.unwrap() - 0.4).abs() < 1e-12);
        assert!((cv.kappa.unwrap() - (0.28 / 0.48 + 0.4) / 2.0).abs() < 1e-12);
    }

    #[test]
    fn the_floor_is_the_samples_choice() {
        let every: Vec<Vec<usize>> = vec![vec![0], vec![1]];
        // Coders who coded every comment: no floor, whatever the held-out matches.
        assert_eq!(choose_floor(&every, |f| (f * 10.0) as usize), 0.0);
        let some_none: Vec<Vec<usize>> = vec![vec![0], vec![]];
        // Most matches at 0.3; the lowest of tied floors.
        assert_eq!(choose_floor(&some_none, |f| usize::from(f >= 0.3) + 1), 0.3);
        assert_eq!(choose_floor(&some_none, |_| 4), 0.0);
    }

    #[test]
    fn a_common_theme_gets_the_threshold_its_held_out_coding_reads_best_at() {
        // Platt with a = -1, b = 0 is the logistic function: decision value logit(p) gives p.
        let platt = Platt { a: -1.0, b: 0.0 };
        let logit = |p: f64| (p / (1.0 - p)).ln();
        // Theme 0: 30 comments of it at probability 0.4, 30 others at 0.1; theme 1 (5 comments)
        // at 0.3 — too few to choose a threshold of its own.
        let labels: Vec<Vec<usize>> = (0..60)
            .map(|i| match i {
                0..5 => vec![0, 1],
                5..30 => vec![0],
                _ => vec![],
            })
            .collect();
        let oof: Vec<Vec<f64>> = labels
            .iter()
            .map(|l| {
                let p0 = if l.contains(&0) { 0.4 } else { 0.1 };
                let p1 = if l.contains(&1) { 0.3 } else { 0.1 };
                vec![logit(p0), logit(p1)]
            })
            .collect();
        let th = theme_thresholds(&oof, &labels, 2, &platt);
        assert!((th[0] - 0.4).abs() < 1e-12, "{th:?}");
        assert_eq!(th[1], 0.5);
        // Coded to theme 0 at 0.4, though under ½; theme 1 not, at 0.3.
        let code = decide(&oof[0], &platt, &th, 0.5, 0.0).unwrap();
        assert_eq!(code.themes, [0]);
    }

    #[test]
    fn folds_are_stratified_and_seeded() {
        // 10 of theme 0, 5 of theme 1, 5 with none: each of 5 folds gets 2, 1 and 1.
        let labels: Vec<Vec<usize>> = (0..20)
            .map(|i| match i {
                0..10 => vec![0],
                10..15 => vec![1],
                _ => vec![],
            })
            .collect();
        let f = stratified_folds(&labels, 2, 5, 7);
        for k in 0..5 {
            let of = |r: std::ops::Range<usize>| r.filter(|&i| f[i] == k).count();
            assert_eq!((of(0..10), of(10..15), of(15..20)), (2, 1, 1), "fold {k}");
        }
        assert_eq!(f, stratified_folds(&labels, 2, 5, 7));
        assert_ne!(f, stratified_folds(&labels, 2, 5, 8));
    }
}
