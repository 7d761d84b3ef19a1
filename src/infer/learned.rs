//! A learned second opinion on the rules' kinds. Gradient-boosted trees trained on hand-labelled
//! columns of real exports from many tools (`benches/kinds_model.py` writes `kinds_model.json`)
//! read what the rules decided and the column's features (`features.rs`), and where the model is
//! confident of another kind, and the draft can carry the change out, the column takes it. The
//! rules see one column's evidence through hand-written tests; the model weighs all of it at
//! once, as learned from exports the rules were not written for.
//!
//! A grid's rows are judged together (their probabilities averaged), as the rules judge them.
//! An identifier is never turned into anything else: a missed identifier is a privacy fault, a
//! needless one only a column left out.

use super::{features, ColumnInfo, Kind, Profile};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The model as `benches/kinds_model.py` writes it.
#[derive(Deserialize)]
struct Model {
    features: Vec<String>,
    classes: Vec<String>,
    threshold: f64,
    learning_rate: f64,
    init: Vec<f64>,
    /// `trees[round][class]`.
    trees: Vec<Vec<Tree>>,
    /// Feature vectors with scikit-learn's raw scores for them, to check this evaluation.
    #[serde(default)]
    #[cfg_attr(not(test), allow(dead_code))]
    checks: Vec<Check>,
}

/// One regression tree: node `i` sends `x[feature[i]] <= threshold[i]` left, else right; a
/// leaf (`left[i] < 0`) gives `value[i]`.
#[derive(Deserialize)]
struct Tree {
    feature: Vec<i64>,
    threshold: Vec<f64>,
    left: Vec<i64>,
    right: Vec<i64>,
    value: Vec<f64>,
}

#[derive(Deserialize)]
#[cfg_attr(not(test), allow(dead_code))]
struct Check {
    features: Vec<f32>,
    raw: Vec<f64>,
}

impl Tree {
    fn predict(&self, x: &[f32]) -> f64 {
        let mut node = 0usize;
        // A malformed tree ends at a leaf value of 0 rather than looping or panicking.
        for _ in 0..self.feature.len() {
            let left = self.left.get(node).copied().unwrap_or(-1);
            if left < 0 {
                break;
            }
            let feature = self.feature.get(node).copied().unwrap_or(0) as usize;
            let value = x.get(feature).copied().unwrap_or(0.0) as f64;
            let go_left = value <= self.threshold.get(node).copied().unwrap_or(0.0);
            let next = if go_left {
                left
            } else {
                self.right.get(node).copied().unwrap_or(-1)
            };
            if next < 0 {
                break;
            }
            node = next as usize;
        }
        self.value.get(node).copied().unwrap_or(0.0)
    }
}

impl Model {
    /// Raw scores per class, as scikit-learn's `decision_function`.
    fn raw(&self, x: &[f32]) -> Vec<f64> {
        let mut raw = self.init.clone();
        for round in &self.trees {
            for (k, tree) in round.iter().enumerate() {
                if let Some(r) = raw.get_mut(k) {
                    *r += self.learning_rate * tree.predict(x);
                }
            }
        }
        raw
    }

    /// Probability of each class (softmax of the raw scores).
    fn probabilities(&self, x: &[f32]) -> Vec<f64> {
        let raw = self.raw(x);
        let top = raw.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let exp: Vec<f64> = raw.iter().map(|r| (r - top).exp()).collect();
        let sum: f64 = exp.iter().sum();
        exp.iter().map(|e| e / sum).collect()
    }
}

fn model() -> Option<&'static Model> {
    static MODEL: OnceLock<Option<Model>> = OnceLock::new();
    MODEL
        .get_or_init(|| {
            let model: Model = serde_json::from_str(include_str!("kinds_model.json")).ok()?;
            // A model trained on other features than these is not used.
            let same = model
                .features
                .iter()
                .map(String::as_str)
                .eq(features::NAMES.iter().copied());
            (same && model.init.len() == model.classes.len()).then_some(model)
        })
        .as_ref()
}

/// Whether the draft can turn a column the rules gave `from` into `to` with what the column
/// holds. Mirrored by `ALLOWED` in `benches/kinds_model.py`.
pub(super) fn allowed(from: &Kind, to: &Kind) -> bool {
    use Kind::*;
    match from {
        Identifier | Empty => false,
        Metadata | Date => matches!(to, Identifier | Metadata),
        Likert => matches!(
            to,
            SingleChoice | FreeText | Identifier | Metadata | Numeric
        ),
        SingleChoice => matches!(to, FreeText | Identifier | Metadata | Numeric | Likert),
        MultiSelect => matches!(to, SingleChoice | FreeText | Identifier | Metadata),
        Numeric => matches!(to, SingleChoice | Identifier | Metadata | Likert | FreeText),
        FreeText => matches!(to, SingleChoice | Identifier | Metadata | Numeric),
    }
}

/// Takes the model's kind for each column where it is confident, the change is allowed and the
/// column's answers can carry it (numbers for a numeric column, whole numbers on a short range
/// for a rating).
pub(super) fn correct(infos: &mut [ColumnInfo], profiles: &[Profile], features: &[Vec<f32>]) {
    let Some(model) = model() else {
        return;
    };
    let mut probabilities: Vec<Vec<f64>> =
        features.iter().map(|x| model.probabilities(x)).collect();
    // A grid's rows share one judgement; its "Other" box, which the rules read apart (what
    // respondents typed beside the options chosen), keeps its own.
    let mut grids: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, info) in infos.iter().enumerate() {
        if let (Some(m), false) = (&info.matrix, super::grid::is_other_box(info)) {
            grids.entry(m.as_str()).or_default().push(i);
        }
    }
    for rows in grids.values().filter(|rows| rows.len() > 1) {
        let mut mean = vec![0.0; model.classes.len()];
        for &i in rows {
            for (m, p) in mean.iter_mut().zip(&probabilities[i]) {
                *m += p / rows.len() as f64;
            }
        }
        for &i in rows {
            probabilities[i] = mean.clone();
        }
    }
    for ((info, p), probability) in infos.iter_mut().zip(profiles).zip(&probabilities) {
        let Some((best, &confidence)) = probability
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(b.1).then(b.0.cmp(&a.0)))
        else {
            continue;
        };
        let Some(kind) = model.classes.get(best).and_then(|c| Kind::parse(c)) else {
            continue;
        };
        if kind == info.kind || confidence < model.threshold || !allowed(&info.kind, &kind) {
            continue;
        }
        change(info, p, kind, confidence);
    }
}

/// Turns `info` into a column of `kind`, if its answers can be one.
fn change(info: &mut ColumnInfo, p: &Profile, kind: Kind, confidence: f64) {
    let numbers: Option<Vec<f64>> = p.counts.keys().map(|v| v.parse::<f64>().ok()).collect();
    let scale = match kind {
        Kind::Numeric if numbers.is_none() => return,
        Kind::Likert => match numbers.as_deref().and_then(short_range) {
            Some(range) => Some(range),
            None => return,
        },
        _ => None,
    };
    let was = info.kind.name();
    info.scale = None;
    info.labels.clear();
    info.codes.clear();
    info.not_applicable.clear();
    info.group_sizes.clear();
    match kind {
        Kind::Identifier => info.distinct = 0,
        Kind::SingleChoice => info.group_sizes = p.sizes(),
        Kind::Likert => {
            if let Some((lo, hi)) = scale {
                info.scale = Some(format!("numeric-{lo}-{hi}"));
                info.labels = (lo..=hi).map(|v| v.to_string()).collect();
            }
            info.group_sizes = p.sizes();
        }
        _ => {}
    }
    let reason = format!(
        "{} (the learned model, {:.0} % sure, over the rules' {was}: {})",
        kind_reason(&kind),
        confidence * 100.0,
        info.reason
    );
    info.set(kind, reason);
}

/// Whole numbers from 0 or 1 up to at most 10 points: the ends of a rating.
fn short_range(numbers: &[f64]) -> Option<(i64, i64)> {
    if numbers.iter().any(|x| x.fract() != 0.0) {
        return None;
    }
    let lo = numbers.iter().copied().fold(f64::INFINITY, f64::min) as i64;
    let hi = numbers.iter().copied().fold(f64::NEG_INFINITY, f64::max) as i64;
    ((0..=1).contains(&lo) && hi - lo >= 2 && hi <= 10).then_some((lo, hi))
}

fn kind_reason(kind: &Kind) -> &'static str {
    match kind {
        Kind::Likert => "ratings on a numbered scale",
        Kind::SingleChoice => "one of a few options, repeated across respondents",
        Kind::MultiSelect => "several options per respondent",
        Kind::Numeric => "numbers typed",
        Kind::Date => "dates",
        Kind::FreeText => "answers typed in the respondent's own words",
        Kind::Identifier => "answers that identify a respondent",
        Kind::Metadata => "the tool's or the survey's own data, not an answer",
        Kind::Empty => "no answers",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The evaluation in Rust gives scikit-learn's own raw scores (saved with the model by
    /// benches/kinds_model.py for a spread of training columns), so the model canvass applies is
    /// the one that was trained and cross-validated.
    #[test]
    fn trees_score_as_scikit_learn_does() {
        let model = model().expect("the model matches the features");
        assert!(model.checks.len() >= 5);
        for check in &model.checks {
            let raw = model.raw(&check.features);
            for (got, want) in raw.iter().zip(&check.raw) {
                assert!((got - want).abs() < 1e-6, "{got} != {want}");
            }
        }
    }

    #[test]
    fn an_identifier_is_never_turned_into_anything_else() {
        for to in [
            Kind::Likert,
            Kind::SingleChoice,
            Kind::FreeText,
            Kind::Metadata,
            Kind::Numeric,
        ] {
            assert!(!allowed(&Kind::Identifier, &to));
        }
    }

    #[test]
    fn a_rating_needs_whole_numbers_on_a_short_range() {
        assert_eq!(short_range(&[1.0, 3.0, 5.0]), Some((1, 5)));
        assert_eq!(short_range(&[0.0, 10.0]), Some((0, 10)));
        assert_eq!(short_range(&[1.0, 2.5, 5.0]), None);
        assert_eq!(short_range(&[1.0, 12.0]), None);
        assert_eq!(short_range(&[3.0, 4.0]), None);
    }
}
