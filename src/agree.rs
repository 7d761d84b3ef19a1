//! Agreement between two codings of the same comments: two people, or a person and canvass.
//! Cohen's kappa and Krippendorff's alpha (nominal) over the comments each coding gives one
//! theme, and per theme, whichever the number of themes per comment: how often both apply it
//! (precision, recall and F1 of the second coding against the first, and kappa on presence).
//! Evaluators state these beside automatic coding; the formulas follow Cohen (1960) and
//! Krippendorff (2011, "Computing Krippendorff's alpha-reliability").

pub mod read;

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// A coding: each comment's themes.
pub type Coding = BTreeMap<String, BTreeSet<String>>;

/// A coded sample: each comment's themes (none, one or several) and, when the file gives it,
/// its text (otherwise the comment of the wave with the same id is the text).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CodedSample {
    /// The file, as named to the user.
    pub source: String,
    /// Per comment id (as in comments.csv), the themes the sample gives it; an empty set means
    /// coded with none.
    pub codes: Coding,
    /// Per comment id, its text where the sample file has a `text` column.
    pub texts: BTreeMap<String, String>,
}

/// How two codings agree.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Agreement {
    /// Comments coded in both.
    pub n: usize,
    /// Comments coded only in the first, only in the second (not compared).
    pub only_a: usize,
    /// Comments coded only in the second coding.
    pub only_b: usize,
    /// Of the comments both code, those each gives exactly one theme: the nominal statistics
    /// below are over these.
    pub single: usize,
    /// Share of `single` comments given the same theme.
    pub agreement: Option<f64>,
    /// Cohen's kappa over `single` comments.
    pub kappa: Option<f64>,
    /// Krippendorff's alpha, nominal, two coders, over `single` comments.
    pub alpha: Option<f64>,
    /// Comments with exactly the same set of themes, of `n`.
    pub exact: usize,
    /// Per theme either coding uses on the shared comments, in name order: B against A on presence.
    pub themes: Vec<ThemeAgreement>,
    /// Over `single` comments: (theme in A, theme in B, comments).
    pub confusion: Vec<(String, String, usize)>,
}

/// One theme: coding B against coding A as the reference.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThemeAgreement {
    /// The theme's name as both codings spell it.
    pub theme: String,
    /// Comments A codes with it, B codes with it, and both.
    pub in_a: usize,
    /// Comments B codes with it (of the `n` coded in both).
    pub in_b: usize,
    /// Comments both A and B code with it.
    pub both: usize,
    /// `both / in_b`: of B's codings with the theme, the share A agrees with; `None` when B never
    /// uses it.
    pub precision: Option<f64>,
    /// `both / in_a`: of A's codings with the theme, the share B finds; `None` when A never uses
    /// it.
    pub recall: Option<f64>,
    /// `2·both / (in_a + in_b)`, the harmonic mean of precision and recall; `None` when neither
    /// coding uses the theme.
    pub f1: Option<f64>,
    /// Cohen's kappa of presence (coded with the theme or not) over the `n` comments.
    pub kappa: Option<f64>,
}

/// Compares two codings of the same comments.
pub fn compare(a: &Coding, b: &Coding) -> Agreement {
    let shared: Vec<&String> = a.keys().filter(|id| b.contains_key(*id)).collect();
    let pairs: Vec<(&String, &String)> = shared
        .iter()
        .filter_map(|id| Some((only(&a[*id])?, only(&b[*id])?)))
        .collect();
    let themes: BTreeSet<&String> = shared
        .iter()
        .flat_map(|id| a[*id].iter().chain(b[*id].iter()))
        .collect();
    let mut confusion: BTreeMap<(String, String), usize> = BTreeMap::new();
    for (x, y) in &pairs {
        *confusion.entry(((*x).clone(), (*y).clone())).or_insert(0) += 1;
    }
    Agreement {
        n: shared.len(),
        only_a: a.len() - shared.len(),
        only_b: b.len() - shared.len(),
        single: pairs.len(),
        agreement: share(pairs.iter().filter(|(x, y)| x == y).count(), pairs.len()),
        kappa: cohen_kappa(&pairs),
        alpha: krippendorff_alpha(&pairs),
        exact: shared.iter().filter(|id| a[**id] == b[**id]).count(),
        themes: themes
            .into_iter()
            .map(|t| theme_agreement(t, &shared, a, b))
            .collect(),
        confusion: confusion.into_iter().map(|((x, y), n)| (x, y, n)).collect(),
    }
}

/// The one theme of a comment given exactly one.
fn only(themes: &BTreeSet<String>) -> Option<&String> {
    (themes.len() == 1).then(|| themes.iter().next()).flatten()
}

fn share(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

fn theme_agreement(theme: &str, shared: &[&String], a: &Coding, b: &Coding) -> ThemeAgreement {
    let presence: Vec<(bool, bool)> = shared
        .iter()
        .map(|id| (a[*id].contains(theme), b[*id].contains(theme)))
        .collect();
    let in_a = presence.iter().filter(|p| p.0).count();
    let in_b = presence.iter().filter(|p| p.1).count();
    let both = presence.iter().filter(|p| p.0 && p.1).count();
    let precision = share(both, in_b);
    let recall = share(both, in_a);
    let f1 = share(2 * both, in_a + in_b);
    let as_labels: Vec<(bool, bool)> = presence;
    ThemeAgreement {
        theme: theme.to_string(),
        in_a,
        in_b,
        both,
        precision,
        recall,
        f1,
        kappa: cohen_kappa(&as_labels.iter().map(|(x, y)| (x, y)).collect::<Vec<_>>()),
    }
}

/// Cohen's kappa: (p_o − p_e) / (1 − p_e), p_e from each coder's own marginals. Undefined
/// (None) when both coders use one and the same category throughout (p_e = 1).
pub fn cohen_kappa<T: Ord>(pairs: &[(&T, &T)]) -> Option<f64> {
    let n = pairs.len() as f64;
    if pairs.is_empty() {
        return None;
    }
    let observed = pairs.iter().filter(|(x, y)| x == y).count() as f64 / n;
    let mut first: BTreeMap<&T, f64> = BTreeMap::new();
    let mut second: BTreeMap<&T, f64> = BTreeMap::new();
    for (x, y) in pairs {
        *first.entry(*x).or_insert(0.0) += 1.0;
        *second.entry(*y).or_insert(0.0) += 1.0;
    }
    let expected: f64 = first
        .iter()
        .map(|(c, na)| na * second.get(c).copied().unwrap_or(0.0))
        .sum::<f64>()
        / (n * n);
    (expected < 1.0).then(|| (observed - expected) / (1.0 - expected))
}

/// Krippendorff's alpha for nominal data, two coders, every unit coded by both:
/// 1 − (n − 1) · Σ_{c≠k} o_ck / Σ_{c≠k} n_c · n_k, where o is the coincidence matrix (each unit
/// adds both orders of its pair) and n = 2 × units. Undefined when one category is all there is.
pub fn krippendorff_alpha<T: Ord>(pairs: &[(&T, &T)]) -> Option<f64> {
    if pairs.is_empty() {
        return None;
    }
    let disagreeing = 2.0 * pairs.iter().filter(|(x, y)| x != y).count() as f64;
    let mut totals: BTreeMap<&T, f64> = BTreeMap::new();
    for (x, y) in pairs {
        *totals.entry(*x).or_insert(0.0) += 1.0;
        *totals.entry(*y).or_insert(0.0) += 1.0;
    }
    let n: f64 = totals.values().sum();
    let by_chance = n * n - totals.values().map(|c| c * c).sum::<f64>();
    (by_chance > 0.0).then(|| 1.0 - (n - 1.0) * disagreeing / by_chance)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs<'a>(xs: &'a [(&'a str, &'a str)]) -> Vec<(&'a &'a str, &'a &'a str)> {
        xs.iter().map(|(x, y)| (x, y)).collect()
    }

    #[test]
    fn kappa_and_alpha_by_hand() {
        // Cohen (1960)-style table by hand: 10 units, coders agree on 7.
        // A: a a a a a b b b b c   B: a a a a b b b c c c
        // p_o = 0.7; marginals A (5,4,1), B (4,3,3): p_e = (20 + 12 + 3)/100 = 0.35;
        // kappa = (0.7 − 0.35)/0.65 = 0.538461…
        let xs = [
            ("a", "a"),
            ("a", "a"),
            ("a", "a"),
            ("a", "a"),
            ("a", "b"),
            ("b", "b"),
            ("b", "b"),
            ("b", "c"),
            ("b", "c"),
            ("c", "c"),
        ];
        let k = cohen_kappa(&pairs(&xs)).unwrap();
        assert!((k - 0.35 / 0.65).abs() < 1e-12, "{k}");
        // Alpha: n = 20, category totals a 9, b 7, c 4; 3 disagreeing units → Σ o_ck = 6;
        // Σ n_c n_k (c≠k) = 400 − (81 + 49 + 16) = 254; alpha = 1 − 19·6/254 = 0.551181…
        let a = krippendorff_alpha(&pairs(&xs)).unwrap();
        assert!((a - (1.0 - 19.0 * 6.0 / 254.0)).abs() < 1e-12, "{a}");
        assert_eq!(cohen_kappa(&pairs(&[("a", "a"), ("a", "a")])), None);
    }

    #[test]
    fn multi_label_codings_compare_per_theme() {
        let coding = |rows: &[(&str, &[&str])]| -> Coding {
            rows.iter()
                .map(|(id, ts)| (id.to_string(), ts.iter().map(|t| t.to_string()).collect()))
                .collect()
        };
        let a = coding(&[
            ("1", &["staff"]),
            ("2", &["staff", "food"]),
            ("3", &["food"]),
            ("4", &["wait"]),
        ]);
        let b = coding(&[
            ("1", &["staff"]),
            ("2", &["staff"]),
            ("3", &["wait"]),
            ("5", &["food"]),
        ]);
        let r = compare(&a, &b);
        assert_eq!(
            (r.n, r.only_a, r.only_b, r.single, r.exact),
            (3, 1, 1, 2, 1)
        );
        let food = r.themes.iter().find(|t| t.theme == "food").unwrap();
        // A codes food on 2 and 3, B on neither: recall 0, precision undefined.
        assert_eq!(
            (food.in_a, food.in_b, food.both, food.precision, food.recall),
            (2, 0, 0, None, Some(0.0))
        );
        let staff = r.themes.iter().find(|t| t.theme == "staff").unwrap();
        assert_eq!(staff.f1, Some(1.0));
    }
}
