//! Answers on a response scale: recognising labels and codes, counting them, and the item
//! statistics that follow from the counts.

use crate::config::ResponseScale;
use crate::model::{label_key, Format};
use crate::stats::intervals::wilson;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

/// What one answer cell means on its response scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coded {
    /// Left blank.
    Missing,
    /// Option `i` (0 = lowest).
    Option(usize),
    /// Non-substantive answer `i` (Don't know, N/A …).
    NonSubstantive(usize),
    /// Matches nothing on the scale.
    Unknown,
    /// The tool's mark for a question that was not shown (LimeSurvey's `N/A`, skipped by a
    /// condition), which is not the same as shown and left blank.
    NotShown,
}

/// Lengths of cells looked up in `AnswerMatcher::by_length`; longer ones are compared with
/// every label.
const BY_LENGTH: usize = 64;
/// In `AnswerMatcher::by_length`: several labels have this length (or the index does not fit).
const SEVERAL: u8 = u8::MAX;

/// Recognises the answers of one response scale by label or by code.
#[derive(Debug, Clone)]
pub struct AnswerMatcher {
    /// Labels exactly as configured (trimmed), each once: the common case. A scale has a
    /// handful of labels of mostly different lengths, so comparing lengths and then at most
    /// one or two labels' bytes beats hashing every cell (a fifth of `canvass score` on a
    /// choice-text export went to hashing and probing).
    exact: Vec<(Box<str>, Coded)>,
    /// By a cell's length (below `BY_LENGTH`): which label of `exact` alone has it (its
    /// index + 1), none (0) or several (`SEVERAL`).
    by_length: [u8; BY_LENGTH],
    by_label: FxHashMap<String, Coded>,
    codes: Vec<f64>,
    /// What the answers `0` … `99` mean, worked out once: numeric exports are all such cells.
    small_numbers: Vec<Coded>,
}

impl AnswerMatcher {
    /// Matches `scale`'s answers as `format`'s tool writes them (LimeSurvey marks a question
    /// that was not shown as `N/A`, unless the scale itself lists that label).
    pub fn new(scale: &ResponseScale, format: Format) -> AnswerMatcher {
        let mut by_label = FxHashMap::default();
        let mut exact = FxHashMap::default();
        for (i, l) in scale.non_substantive.iter().enumerate() {
            by_label.insert(label_key(l), Coded::NonSubstantive(i));
            exact.insert(l.trim().to_string(), Coded::NonSubstantive(i));
        }
        for (i, l) in scale.labels.iter().enumerate() {
            by_label.insert(label_key(l), Coded::Option(i));
            exact.insert(l.trim().to_string(), Coded::Option(i));
        }
        if let Some(marker) = format.not_shown_marker() {
            exact.entry(marker.to_string()).or_insert(Coded::NotShown);
        }
        // Labels are unique keys of the map, so the list matches a cell exactly as the map did.
        let mut exact: Vec<(Box<str>, Coded)> =
            exact.into_iter().map(|(l, c)| (l.into(), c)).collect();
        exact.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut by_length = [0u8; BY_LENGTH];
        for (i, (label, _)) in exact.iter().enumerate() {
            if let Some(slot) = by_length.get_mut(label.len()) {
                *slot = match *slot {
                    0 => u8::try_from(i + 1).unwrap_or(SEVERAL),
                    _ => SEVERAL,
                };
            }
        }
        let mut matcher = AnswerMatcher {
            exact,
            by_length,
            by_label,
            codes: (0..scale.labels.len()).map(|i| scale.code(i)).collect(),
            small_numbers: Vec::new(),
        };
        matcher.small_numbers = (0..100).map(|n| matcher.code(&n.to_string())).collect();
        matcher
    }

    /// What `answer` means on the scale: an option by label (exact, then ignoring case and
    /// punctuation) or by numeric code, a non-substantive answer, the tool's not-shown mark, blank
    /// ([`Coded::Missing`]) or [`Coded::Unknown`].
    #[inline]
    pub fn code(&self, answer: &str) -> Coded {
        // Numeric exports: a bare digit or nothing, before any trimming.
        match answer.as_bytes() {
            [] => Coded::Missing,
            [d @ b'0'..=b'9'] if !self.small_numbers.is_empty() => {
                self.small_numbers[usize::from(d - b'0')]
            }
            _ => self.code_text(answer),
        }
    }

    /// The label `answer` is exactly, if any: found by its length, so that a cell is compared
    /// with at most one label as a rule.
    #[inline]
    fn exact_label(&self, answer: &str) -> Option<Coded> {
        let same = |(l, _): &&(Box<str>, Coded)| l.as_bytes() == answer.as_bytes();
        match self.by_length.get(answer.len()).copied().unwrap_or(SEVERAL) {
            0 => None,
            SEVERAL => self.exact.iter().find(same).map(|&(_, c)| c),
            k => self
                .exact
                .get(usize::from(k) - 1)
                .filter(same)
                .map(|&(_, c)| c),
        }
    }

    fn code_text(&self, answer: &str) -> Coded {
        let answer = crate::model::trim_cell(answer);
        match answer.as_bytes() {
            [] => return Coded::Missing,
            [d @ b'0'..=b'9'] if !self.small_numbers.is_empty() => {
                return self.small_numbers[usize::from(d - b'0')];
            }
            [t @ b'1'..=b'9', d @ b'0'..=b'9'] if !self.small_numbers.is_empty() => {
                return self.small_numbers[usize::from(t - b'0') * 10 + usize::from(d - b'0')];
            }
            _ => {}
        }
        if let Some(c) = self.exact_label(answer) {
            return c;
        }
        if answer.len() <= 4 {
            if let Ok(v) = answer.parse::<f64>() {
                if let Some(i) = self.codes.iter().position(|&c| c == v) {
                    return Coded::Option(i);
                }
            }
        }
        if let Some(c) = self.by_label.get(&label_key(answer)) {
            return *c;
        }
        if let Ok(v) = answer.parse::<f64>() {
            if let Some(i) = self.codes.iter().position(|&c| c == v) {
                return Coded::Option(i);
            }
        }
        Coded::Unknown
    }
}

/// Mergeable counts for one item: partial counts from chunks of rows add up exactly.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemCounts {
    /// Answers per option, lowest option first.
    pub options: Vec<u64>,
    /// Answers per non-substantive label ("Don't know" …), in the scale's order.
    pub non_substantive: Vec<u64>,
    /// Blank cells.
    pub missing: u64,
    /// Answers that matched nothing on the scale: an error, or missing when the scale sets
    /// `unknown_as_missing`.
    pub unknown: u64,
    /// Cells with the tool's not-shown mark (not counted as missing).
    pub not_shown: u64,
    /// With survey weights: the sum of weights per option, and of squared weights over all
    /// substantive answers (for Kish's effective sample size).
    pub weights: Option<Vec<f64>>,
    /// With survey weights: the sum of squared weights over substantive answers (0 unweighted).
    pub weight_sq: f64,
}

impl ItemCounts {
    /// Zero counts for `scale`, unweighted.
    pub fn new(scale: &ResponseScale) -> ItemCounts {
        ItemCounts {
            options: vec![0; scale.labels.len()],
            non_substantive: vec![0; scale.non_substantive.len()],
            missing: 0,
            unknown: 0,
            not_shown: 0,
            weights: None,
            weight_sq: 0.0,
        }
    }

    /// Zero counts for `scale` with weight sums, for an item scored with survey weights.
    pub fn new_weighted(scale: &ResponseScale) -> ItemCounts {
        ItemCounts {
            weights: Some(vec![0.0; scale.labels.len()]),
            ..ItemCounts::new(scale)
        }
    }

    /// Counts an answer with its survey weight (ignored when the counts are unweighted).
    pub fn add_weighted(&mut self, c: Coded, w: f64) {
        self.add(c);
        if let (Coded::Option(i), Some(ws)) = (c, self.weights.as_mut()) {
            ws[i] += w;
            self.weight_sq += w * w;
        }
    }

    /// Counts one answer (unweighted).
    pub fn add(&mut self, c: Coded) {
        self.add_many(c, 1);
    }

    /// Counts `n` equal answers (unweighted).
    pub fn add_many(&mut self, c: Coded, n: u64) {
        match c {
            Coded::Missing => self.missing += n,
            Coded::Option(i) => self.options[i] += n,
            Coded::NonSubstantive(i) => self.non_substantive[i] += n,
            Coded::Unknown => self.unknown += n,
            Coded::NotShown => self.not_shown += n,
        }
    }

    /// Adds another chunk's counts to these: merging is exact, so the result does not depend on how
    /// rows were split across threads.
    pub fn merge(&mut self, other: &ItemCounts) {
        for (a, b) in self.options.iter_mut().zip(&other.options) {
            *a += b;
        }
        for (a, b) in self.non_substantive.iter_mut().zip(&other.non_substantive) {
            *a += b;
        }
        self.missing += other.missing;
        self.not_shown += other.not_shown;
        self.unknown += other.unknown;
        if let (Some(a), Some(b)) = (self.weights.as_mut(), other.weights.as_ref()) {
            for (x, y) in a.iter_mut().zip(b) {
                *x += y;
            }
        }
        self.weight_sq += other.weight_sq;
    }

    /// Substantive answers: the denominator of every percentage.
    pub fn n(&self) -> u64 {
        self.options.iter().sum()
    }
}

/// One option's share of the substantive answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OptionShare {
    /// The option's label from the survey file.
    pub label: String,
    /// Its numeric code (the scale's `codes`, else its position from 1).
    pub code: f64,
    /// Respondents who chose it (unweighted).
    pub count: u64,
    /// Per cent of substantive answers (0–100; weighted when the survey has weights); `null` when
    /// nobody answered.
    pub pct: Option<f64>,
    /// Lower bound of its Wilson interval, per cent; `null` when nobody answered.
    pub ci_low: Option<f64>,
    /// Upper bound of its Wilson interval, per cent; `null` when nobody answered.
    pub ci_high: Option<f64>,
}

/// A count of a non-substantive answer (not part of any percentage).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LabelCount {
    /// The non-substantive label from the survey file ("Don't know").
    pub label: String,
    /// Respondents who gave it.
    pub count: u64,
}

/// Summary statistics of one item. Percentages are 0–100 of substantive answers; `None` (JSON
/// `null`) where nobody answered.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ItemSummary {
    /// Substantive answers: the denominator of every percentage.
    pub n: u64,
    /// Blank answers.
    pub missing: u64,
    /// Respondents to whom the question was not shown (LimeSurvey's `N/A`); not in `missing`.
    pub not_shown: u64,
    /// Non-substantive answers ("Don't know" …), in no percentage.
    pub non_substantive: u64,
    /// Answers that matched no option and were treated as missing by the survey's choice.
    pub unrecognised: u64,
    /// Count per option label, lowest option first (a JSON object in that order).
    pub counts: OrderedCounts,
    /// Per option: count, per cent and Wilson interval, lowest option first.
    pub options: Vec<OptionShare>,
    /// Per non-substantive label, its count.
    pub non_substantive_counts: Vec<LabelCount>,
    /// Per cent choosing one of the top `agree_top` options (0–100).
    pub pct_agree: Option<f64>,
    /// Lower bound of `pct_agree`'s Wilson interval at the report's confidence, per cent.
    pub ci_low: Option<f64>,
    /// Upper bound of `pct_agree`'s Wilson interval, per cent.
    pub ci_high: Option<f64>,
    /// Per cent choosing an option between the agreeing and disagreeing ends.
    pub pct_neutral: Option<f64>,
    /// Per cent choosing one of the bottom `agree_top` options.
    pub pct_disagree: Option<f64>,
    /// Percent agreeing minus percent disagreeing.
    pub net_agree: Option<f64>,
    /// Respondents agreeing (the numerator of `pct_agree`, unweighted).
    pub agree_count: u64,
    /// Kish's effective sample size, (Σw)² / Σw², when survey weights are used; the
    /// percentages, means and intervals are then weighted and the intervals use it.
    pub n_effective: Option<f64>,
    /// Mean of the options' codes over substantive answers.
    pub mean: Option<f64>,
    /// Sample standard deviation (n − 1) of the codes; `null` with fewer than two answers.
    pub sd: Option<f64>,
    /// Median code (the mean of the two middle codes when n is even, as R's `median`).
    pub median: Option<f64>,
}

/// Label → count, serialised as a JSON object that keeps the scale's order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OrderedCounts(pub Vec<(String, u64)>);

impl Serialize for OrderedCounts {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

impl<'de> Deserialize<'de> for OrderedCounts {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = OrderedCounts;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a map of label to count")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut a: A,
            ) -> Result<OrderedCounts, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = a.next_entry()? {
                    out.push((k, v));
                }
                Ok(OrderedCounts(out))
            }
        }
        d.deserialize_map(V)
    }
}

fn pct(x: u64, n: u64) -> Option<f64> {
    (n > 0).then(|| 100.0 * x as f64 / n as f64)
}

/// Turns counts into the summary. Agreement is the top `agree_top` options, disagreement the
/// bottom `agree_top`, neutral whatever lies between.
pub fn summarise(scale: &ResponseScale, counts: &ItemCounts, confidence: f64) -> ItemSummary {
    let n = counts.n();
    let k = scale.labels.len();
    let top = scale.agree_top.min(k);
    let agree: u64 = counts.options[k - top..].iter().sum();
    let disagree: u64 = counts.options[..top.min(k - top)].iter().sum();
    let neutral = n - agree - disagree;
    let ci = wilson(agree as f64, n as f64, confidence);
    let codes: Vec<f64> = (0..k).map(|i| scale.code(i)).collect();
    let (mean, sd) = moments(&codes, &counts.options);
    let options = (0..k)
        .map(|i| {
            let c = counts.options[i];
            let w = wilson(c as f64, n as f64, confidence);
            OptionShare {
                label: scale.labels[i].clone(),
                code: codes[i],
                count: c,
                pct: pct(c, n),
                ci_low: w.map(|w| 100.0 * w.low),
                ci_high: w.map(|w| 100.0 * w.high),
            }
        })
        .collect();
    ItemSummary {
        n,
        missing: counts.missing + counts.unknown,
        not_shown: counts.not_shown,
        non_substantive: counts.non_substantive.iter().sum(),
        unrecognised: counts.unknown,
        counts: OrderedCounts(
            scale
                .labels
                .iter()
                .cloned()
                .zip(counts.options.iter().copied())
                .collect(),
        ),
        options,
        non_substantive_counts: scale
            .non_substantive
            .iter()
            .zip(&counts.non_substantive)
            .map(|(l, &c)| LabelCount {
                label: l.clone(),
                count: c,
            })
            .collect(),
        pct_agree: pct(agree, n),
        ci_low: ci.map(|c| 100.0 * c.low),
        ci_high: ci.map(|c| 100.0 * c.high),
        pct_neutral: pct(neutral, n),
        pct_disagree: pct(disagree, n),
        net_agree: pct(agree, n).zip(pct(disagree, n)).map(|(a, d)| a - d),
        agree_count: agree,
        n_effective: None,
        mean,
        sd,
        median: median(&codes, &counts.options),
    }
    .weighted(scale, counts, confidence)
}

impl ItemSummary {
    /// Replaces the shares, means and intervals by their weighted versions when the counts carry
    /// weights. Counts stay unweighted: they are what was observed.
    fn weighted(
        mut self,
        scale: &ResponseScale,
        counts: &ItemCounts,
        confidence: f64,
    ) -> ItemSummary {
        let Some(ws) = &counts.weights else {
            return self;
        };
        let total: f64 = ws.iter().sum();
        if total <= 0.0 {
            return self;
        }
        let k = ws.len();
        let top = scale.agree_top.min(k);
        let n_eff = total * total / counts.weight_sq;
        let share = |range: std::ops::Range<usize>| ws[range].iter().sum::<f64>() / total;
        let (agree, disagree) = (share(k - top..k), share(0..top.min(k - top)));
        let interval = |p: f64| wilson(p * n_eff, n_eff, confidence);
        let ci = interval(agree);
        self.pct_agree = Some(100.0 * agree);
        self.ci_low = ci.map(|c| 100.0 * c.low);
        self.ci_high = ci.map(|c| 100.0 * c.high);
        self.pct_disagree = Some(100.0 * disagree);
        self.pct_neutral = Some(100.0 * (1.0 - agree - disagree));
        self.net_agree = Some(100.0 * (agree - disagree));
        for (o, w) in self.options.iter_mut().zip(ws) {
            let p = w / total;
            let c = interval(p);
            o.pct = Some(100.0 * p);
            o.ci_low = c.map(|c| 100.0 * c.low);
            o.ci_high = c.map(|c| 100.0 * c.high);
        }
        let codes: Vec<f64> = (0..k).map(|i| scale.code(i)).collect();
        let mean = codes.iter().zip(ws).map(|(x, w)| x * w).sum::<f64>() / total;
        // Reliability-weight variance: Σw(x − m)² / (Σw − Σw²/Σw); equals the n − 1 formula
        // when every weight is 1.
        let ss: f64 = codes
            .iter()
            .zip(ws)
            .map(|(x, w)| w * (x - mean).powi(2))
            .sum();
        let denom = total - counts.weight_sq / total;
        self.mean = Some(mean);
        self.sd = (denom > 0.0).then(|| (ss / denom).sqrt());
        self.median = weighted_median(&codes, ws);
        self.n_effective = Some(n_eff);
        self
    }
}

/// Mean and sample standard deviation (n − 1) of values given as a frequency table.
pub fn moments(values: &[f64], freq: &[u64]) -> (Option<f64>, Option<f64>) {
    let n: u64 = freq.iter().sum();
    if n == 0 {
        return (None, None);
    }
    let mean = values
        .iter()
        .zip(freq)
        .map(|(v, &f)| v * f as f64)
        .sum::<f64>()
        / n as f64;
    let sd = (n > 1).then(|| {
        let ss: f64 = values
            .iter()
            .zip(freq)
            .map(|(v, &f)| f as f64 * (v - mean).powi(2))
            .sum();
        (ss / (n - 1) as f64).sqrt()
    });
    (Some(mean), sd)
}

/// Median of weighted answers over increasing values, by the same rule as `median`: where the
/// weight below a value is exactly half the total, the mean of it and the next value answered
/// (so equal weights give R's median of the unweighted answers).
pub fn weighted_median(values: &[f64], weights: &[f64]) -> Option<f64> {
    let total: f64 = weights.iter().sum();
    if total <= 0.0 {
        return None;
    }
    let half = total / 2.0;
    let mut below = 0.0;
    for (i, (x, w)) in values.iter().zip(weights).enumerate() {
        below += w;
        // Sums of weights are inexact: "exactly half" within rounding of the total.
        if *w > 0.0 && (below - half).abs() <= 1e-12 * total {
            let next = values[i + 1..]
                .iter()
                .zip(&weights[i + 1..])
                .find(|(_, w)| **w > 0.0)
                .map(|(v, _)| *v);
            return Some(next.map_or(*x, |n| (x + n) / 2.0));
        }
        if below > half {
            return Some(*x);
        }
    }
    values.last().copied()
}

/// Median of a frequency table over increasing values (the mean of the two middle values when
/// n is even, as R's `median`).
pub fn median(values: &[f64], freq: &[u64]) -> Option<f64> {
    let n: u64 = freq.iter().sum();
    if n == 0 {
        return None;
    }
    let nth = |k: u64| {
        let mut seen = 0;
        for (v, &f) in values.iter().zip(freq) {
            seen += f;
            if seen > k {
                return *v;
            }
        }
        values[values.len() - 1]
    };
    Some(if n % 2 == 1 {
        nth(n / 2)
    } else {
        (nth(n / 2 - 1) + nth(n / 2)) / 2.0
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The ASCII path of `label_key` agrees with the general one on every ASCII character
    /// (expected: the `char` methods' own answers).
    #[test]
    fn label_key_ascii_path_matches_unicode_rules() {
        let all: String = (0u8..128).map(char::from).collect();
        let general: String = all
            .chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect();
        assert_eq!(label_key(&all), general);
        assert_eq!(label_key("Don't Know"), "dontknow");
        assert_eq!(label_key("Ünter-Agree"), "ünteragree");
    }

    /// The five-point agreement scale with "Don't know" beside it, for tests here and in
    /// the report's charts.
    pub(crate) fn agree5() -> ResponseScale {
        ResponseScale {
            name: "agree5".into(),
            labels: [
                "Strongly disagree",
                "Disagree",
                "Neither agree nor disagree",
                "Agree",
                "Strongly agree",
            ]
            .map(String::from)
            .to_vec(),
            codes: vec![],
            agree_top: 2,
            non_substantive: vec!["Don't know".into()],
            unknown_as_missing: false,
        }
    }

    #[test]
    fn matches_labels_loosely_and_codes_exactly() {
        let m = AnswerMatcher::new(&agree5(), Format::Generic);
        assert_eq!(m.code(" strongly AGREE "), Coded::Option(4));
        assert_eq!(m.code("5"), Coded::Option(4));
        assert_eq!(m.code("Don’t know"), Coded::NonSubstantive(0));
        assert_eq!(m.code(""), Coded::Missing);
        assert_eq!(m.code("6"), Coded::Unknown);
        assert_eq!(m.code("Maybe"), Coded::Unknown);
        // `N/A` means "not shown" only where the tool says so, and not when the scale lists it.
        assert_eq!(m.code("N/A"), Coded::Unknown);
        let lime = AnswerMatcher::new(&agree5(), Format::Limesurvey);
        assert_eq!(lime.code("N/A"), Coded::NotShown);
        let mut listed = agree5();
        listed.non_substantive.push("N/A".into());
        let listed = AnswerMatcher::new(&listed, Format::Limesurvey);
        assert_eq!(listed.code("N/A"), Coded::NonSubstantive(1));
    }

    /// Labels of one length are told apart, and a label longer than the length table is
    /// still matched exactly (expected: each label's own position on the scale).
    #[test]
    fn exact_labels_of_equal_and_long_lengths() {
        let long = "Agree, and strongly so, in every respect that the question asks about";
        let mut scale = agree5();
        scale.labels = ["Poor", "Fair", "Good", "Very good", long]
            .map(String::from)
            .to_vec();
        let m = AnswerMatcher::new(&scale, Format::Generic);
        assert_eq!(m.code("Poor"), Coded::Option(0));
        assert_eq!(m.code("Fair"), Coded::Option(1));
        assert_eq!(m.code("Good"), Coded::Option(2));
        assert_eq!(m.code("Very good"), Coded::Option(3));
        assert_eq!(m.code(long), Coded::Option(4));
        assert_eq!(m.code("Bad!"), Coded::Unknown);
    }

    #[test]
    fn summary_by_hand() {
        // Counts 1, 0, 2, 3, 4 over codes 1..5 (n = 10), plus 1 don't know and 2 blanks.
        let scale = agree5();
        let mut c = ItemCounts::new(&scale);
        for (i, n) in [1, 0, 2, 3, 4].into_iter().enumerate() {
            for _ in 0..n {
                c.add(Coded::Option(i));
            }
        }
        c.add(Coded::NonSubstantive(0));
        c.add(Coded::Missing);
        c.add(Coded::Missing);
        let s = summarise(&scale, &c, 0.95);
        assert_eq!((s.n, s.missing, s.non_substantive), (10, 2, 1));
        assert_eq!(s.pct_agree, Some(70.0));
        assert_eq!(s.pct_disagree, Some(10.0));
        assert_eq!(s.pct_neutral, Some(20.0));
        assert_eq!(s.net_agree, Some(60.0));
        // mean = (1 + 6 + 12 + 20) / 10 = 3.9; R: sd(c(1,3,3,4,4,4,5,5,5,5)) = 1.286683938
        assert!((s.mean.unwrap() - 3.9).abs() < 1e-12);
        assert!((s.sd.unwrap() - 1.286_683_938).abs() < 1e-9);
        assert_eq!(s.median, Some(4.0));
        // R: prop.test(7, 10, correct = FALSE)$conf.int = 0.3967781 0.8922087
        assert!((s.ci_low.unwrap() - 39.677_81).abs() < 1e-4);
        assert!((s.ci_high.unwrap() - 89.220_87).abs() < 1e-4);
        let json = serde_json::to_string(&s.counts).unwrap();
        assert!(
            json.starts_with("{\"Strongly disagree\":1,\"Disagree\":0"),
            "{json}"
        );
    }

    #[test]
    fn merged_counts_equal_counts_of_the_whole() {
        let scale = agree5();
        let (mut a, mut b, mut all) = (
            ItemCounts::new(&scale),
            ItemCounts::new(&scale),
            ItemCounts::new(&scale),
        );
        for (i, c) in [
            Coded::Option(1),
            Coded::Missing,
            Coded::Option(4),
            Coded::Unknown,
        ]
        .into_iter()
        .enumerate()
        {
            if i % 2 == 0 {
                a.add(c)
            } else {
                b.add(c)
            }
            all.add(c);
        }
        a.merge(&b);
        assert_eq!(a, all);
    }

    #[test]
    fn even_median_averages_the_middle_pair() {
        assert_eq!(median(&[1.0, 2.0, 3.0], &[1, 1, 0]), Some(1.5));
        // Weights of 1 give the same; R: median(c(1, 2)) = 1.5, median(c(1, 1, 3)) = 1.
        assert_eq!(
            weighted_median(&[1.0, 2.0, 3.0], &[1.0, 1.0, 0.0]),
            Some(1.5)
        );
        assert_eq!(
            weighted_median(&[1.0, 2.0, 3.0], &[2.0, 0.0, 1.0]),
            Some(1.0)
        );
        assert_eq!(
            weighted_median(&[1.0, 2.0, 3.0], &[1.0, 0.0, 1.0]),
            Some(2.0)
        );
    }
}
