//! Panel matching: when two waves share respondents (the same keyed id of the survey's declared
//! `[respondent] key`, a column a person keeps across waves), the change among those who
//! answered both is tested pairwise with McNemar's test, which is more sensitive than comparing
//! two independent samples. Waves are never paired without a declared key: the tool's response
//! ids and row numbers start afresh in every export, and ids are then made per wave
//! (`ingest::Pseudonyms`). Respondent-level agreement is kept in memory only; what is written is
//! aggregated and suppressed like every breakdown.

pub use super::by_respondent::{kept_order, parse_key, ByRespondent};
use super::coded::NON_SUBSTANTIVE;
use super::likert::{AnswerMatcher, Coded};
use super::resolved::ResolvedScale;
use crate::clean::CleanTable;
use crate::config::Survey;
use crate::error::Result;
use crate::model::{Column, Format, ItemSource, Row};
use crate::stats::hypothesis::{fill_adjusted, Adjustment};
use crate::stats::paired::{mcnemar_asymptotic_p, mcnemar_exact_p, wilcoxon_signed_rank_p};
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::Path;

/// Each respondent's agreement with each item (None: no substantive answer), by hashed key.
/// Cached by the runner beside the score stage's artefact, so that the next wave's comparison
/// needs no re-read of this wave's export.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Agreement {
    /// The item ids, in the order of each respondent's answers.
    pub items: Vec<String>,
    /// Per hashed respondent key, per item: `Some(true)` agrees, `Some(false)` answered without
    /// agreeing, `None` no substantive answer. Never written to a report.
    #[serde(with = "compact")]
    pub by_respondent: ByRespondent<Option<bool>>,
    /// The declared key column whose ids are the same in every wave, so that this wave can be
    /// paired with another keyed by the same column; `None` when the wave's ids are its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub panel_key: Option<String>,
    /// The scale names, in the order of each respondent's scores.
    #[serde(default)]
    pub scales: Vec<String>,
    /// Per hashed respondent key, per scale: the scale score (`None`: too few items answered),
    /// for the paired test of the scales. Never written to a report.
    #[serde(default, with = "scores")]
    pub scale_scores: ByRespondent<Option<f64>>,
}

impl Agreement {
    /// Sets every respondent's rows from rows in file order: `keys[i]`'s agreement with each
    /// item in `agree`, its score on each scale in `scores`, end to end. A key seen twice keeps
    /// its last rows, as inserting into a map in file order would.
    pub fn set_rows(&mut self, keys: Vec<u64>, agree: Vec<Option<bool>>, scores: Vec<Option<f64>>) {
        let width = |values: usize, declared: usize| match keys.len() {
            0 => declared,
            n => values / n,
        };
        let (items, scales) = (
            width(agree.len(), self.items.len()),
            width(scores.len(), self.scales.len()),
        );
        // Both tables keep the same rows: their order is found once.
        let order = kept_order(&keys);
        self.scale_scores = ByRespondent::in_order(scales, &keys, &order, &scores);
        self.by_respondent = ByRespondent::in_order(items, &keys, &order, &agree);
    }

    /// The agreement as JSON: the bytes `serde_json::to_writer` writes, with the respondents'
    /// rows encoded in parallel (a national survey has a million of them, and the score stage's
    /// cache waited seconds on one thread for them).
    pub fn write_json(&self, w: &mut dyn Write) -> std::io::Result<()> {
        w.write_all(b"{\"items\":")?;
        serde_json::to_writer(&mut *w, &self.items)?;
        w.write_all(b",\"by_respondent\":")?;
        (self.by_respondent).write_json(w, |bytes, row| {
            serde_json::to_writer(bytes, &compact::Coded(row))
        })?;
        if let Some(key) = &self.panel_key {
            w.write_all(b",\"panel_key\":")?;
            serde_json::to_writer(&mut *w, key)?;
        }
        w.write_all(b",\"scales\":")?;
        serde_json::to_writer(&mut *w, &self.scales)?;
        w.write_all(b",\"scale_scores\":")?;
        (self.scale_scores).write_json(w, |bytes, scores| serde_json::to_writer(bytes, scores))?;
        w.write_all(b"}")
    }
}

/// A respondent's answers as one string, a character per item (`y` agrees, `n` does not, `-`
/// no substantive answer): a million respondents' agreement stays a file of tens of megabytes.
mod compact {
    use super::ByRespondent;
    use serde::{Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(
        rows: &ByRespondent<Option<bool>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        rows.serialize_with(s, text)
    }

    /// One respondent's row as its string.
    pub(super) struct Coded<'a>(pub(super) &'a [Option<bool>]);

    impl Serialize for Coded<'_> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.serialize_str(&text(self.0))
        }
    }

    fn text(row: &[Option<bool>]) -> String {
        row.iter()
            .map(|a| match a {
                Some(true) => 'y',
                Some(false) => 'n',
                None => '-',
            })
            .collect()
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<ByRespondent<Option<bool>>, D::Error> {
        ByRespondent::deserialize_with(d, |row: String| {
            row.chars()
                .map(|c| match c {
                    'y' => Ok(Some(true)),
                    'n' => Ok(Some(false)),
                    '-' => Ok(None),
                    other => Err(format!("unexpected `{other}`")),
                })
                .collect()
        })
    }
}

/// Each respondent's scale scores as a list of numbers and nulls.
mod scores {
    use super::ByRespondent;
    use serde::{Deserializer, Serializer};

    pub fn serialize<S: Serializer>(
        rows: &ByRespondent<Option<f64>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        rows.serialize_with(s, <[Option<f64>]>::to_vec)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<ByRespondent<Option<f64>>, D::Error> {
        ByRespondent::deserialize_with(d, |row: Vec<Option<f64>>| Ok(row))
    }
}

/// Each kept respondent's agreement with each item, keyed by hashed respondent key; `panel_key`
/// the key column the table's ids pair waves by (`ResponseStream::panel_key`), if any. Errors
/// name the survey key whose column the export lacks.
pub fn agreement(
    table: &CleanTable,
    survey: &Survey,
    panel_key: Option<&str>,
) -> Result<Agreement> {
    let file = Path::new(&table.source.file);
    let coder = AgreementCoder::new(&table.columns, table.source.format, file, survey)?;
    let mut agreement = coder.empty(panel_key);
    let mut keys = Vec::with_capacity(table.responses.len());
    let (mut agree, mut scores) = (Vec::new(), Vec::new());
    for r in &table.responses {
        let key = parse_key(&r.key).ok_or_else(|| {
            crate::error::Error::input(
                file,
                format!("respondent key `{}` is not a hashed key", r.key),
            )
            .hint("this is a fault in canvass: report it with the export's layout")
        })?;
        keys.push(key);
        let (a, s) = coder.row(r);
        agree.extend(a);
        scores.extend(s);
    }
    agreement.set_rows(keys, agree, scores);
    Ok(agreement)
}

/// Codes one response's agreement with each item: built once per export, used per row as the
/// export is read (the run keeps these few bytes per respondent, not the responses).
pub struct AgreementCoder {
    items: Vec<String>,
    columns: Vec<ItemSource>,
    matchers: Vec<AnswerMatcher>,
    /// Per item, the lowest option index that counts as agreeing.
    agree_from: Vec<usize>,
    /// The survey's scales resolved to item indices, as score scores them.
    scales: Vec<(String, ResolvedScale)>,
}

impl AgreementCoder {
    /// Resolves the survey's items against the export's columns (`file` is named in errors).
    pub fn new(columns: &[Column], format: Format, file: &Path, survey: &Survey) -> Result<Self> {
        let item_columns = super::item_columns(columns, survey, file)?;
        let resolved = survey.resolve(file)?;
        let scales: Vec<_> = (resolved.item_scales.iter())
            .map(|&s| &survey.response_scales[s])
            .collect();
        let resolved_scales = (survey.scales.iter())
            .zip(resolved.scale_members)
            .map(|(s, items)| {
                (
                    s.name.clone(),
                    ResolvedScale::new(items, s.min_items(), &scales),
                )
            })
            .collect();
        Ok(AgreementCoder {
            scales: resolved_scales,
            items: survey.items.iter().map(|i| i.id.clone()).collect(),
            columns: item_columns,
            matchers: scales
                .iter()
                .map(|s| AnswerMatcher::new(s, format))
                .collect(),
            agree_from: scales
                .iter()
                .map(|s| s.labels.len() - s.agree_top)
                .collect(),
        })
    }

    /// An agreement with no respondents yet, its ids paired across waves by `panel_key`.
    pub fn empty(&self, panel_key: Option<&str>) -> Agreement {
        Agreement {
            items: self.items.clone(),
            by_respondent: ByRespondent::default(),
            panel_key: panel_key.map(str::to_string),
            scales: self.scales.iter().map(|(name, _)| name.clone()).collect(),
            scale_scores: ByRespondent::default(),
        }
    }

    /// One response's agreement with each item (None: no substantive answer) and score on each
    /// scale, as score counts it (the mean of the keyed answers when at least the scale's
    /// `min_items` were answered), each answer coded once.
    pub fn row(&self, r: &impl Row) -> (Vec<Option<bool>>, Vec<Option<f64>>) {
        let coded: Vec<Option<usize>> = (self.columns.iter().zip(&self.matchers))
            .map(|(c, matcher)| match matcher.code(c.value(r)) {
                Coded::Option(o) => Some(o),
                _ => None,
            })
            .collect();
        let agree = (coded.iter().zip(&self.agree_from))
            .map(|(o, &from)| o.map(|o| o >= from))
            .collect();
        let codes: Vec<u8> = (coded.iter())
            .map(|o| {
                o.and_then(|o| u8::try_from(o).ok())
                    .unwrap_or(NON_SUBSTANTIVE)
            })
            .collect();
        let mut shifted = Vec::new();
        let scores = (self.scales.iter())
            .map(|(_, rs)| {
                shifted.resize(rs.items.len(), 0.0);
                let (answered, total) = rs.gather(&codes, &mut shifted);
                (answered >= rs.min_items && answered > 0).then(|| total / answered as f64)
            })
            .collect();
        (agree, scores)
    }
}

/// One item among respondents who answered both waves: an entry of comparison.json's `panel.items`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PanelChange {
    /// The item's id.
    pub id: String,
    /// Respondents who answered the item in both waves.
    pub matched: u64,
    /// Per cent of the matched respondents agreeing in the previous wave; `null` when suppressed.
    pub before_pct_agree: Option<f64>,
    /// Per cent agreeing in this wave; `null` when suppressed.
    pub after_pct_agree: Option<f64>,
    /// Agreed before and not after; did not agree before and did after.
    pub stopped_agreeing: Option<u64>,
    /// See `stopped_agreeing`; `null` when suppressed.
    pub started_agreeing: Option<u64>,
    /// McNemar's test with continuity correction (asymptotic), as R's `mcnemar.test`.
    pub p_value: Option<f64>,
    /// `p_value` adjusted across the panel's items only by the pipeline's `adjustment` (a
    /// researcher's figure: the comparison's decision is `ItemChange::p_test_adjusted`).
    pub p_adjusted: Option<f64>,
    /// `p_adjusted` is below 1 − confidence.
    pub significant: bool,
    /// Fewer matched respondents than the suppression threshold: no figures.
    pub suppressed: bool,
    /// McNemar's exact test (the binomial test of the discordant pairs, as R's
    /// `binom.test(stopped, stopped + started)`): the test the comparison uses.
    #[serde(default)]
    pub p_exact: Option<f64>,
    /// This wave's respondents who answered the previous wave too (returning): agreeing, of
    /// how many answered; `null` when fewer than the suppression threshold answered.
    #[serde(default)]
    pub returning: Option<Share>,
    /// This wave's respondents who did not answer the previous wave (new).
    #[serde(default)]
    pub new: Option<Share>,
}

/// How many agree of how many answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Share {
    /// Respondents agreeing.
    pub agree: u64,
    /// Respondents with a substantive answer.
    pub n: u64,
}

/// One scale among respondents with a score in both waves: an entry of `panel.scales`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PanelScaleChange {
    /// The scale's name.
    pub name: String,
    /// Respondents with a score in both waves (0 when suppressed).
    pub matched: u64,
    /// The matched respondents' mean score in the previous wave; `null` when suppressed.
    pub before_mean: Option<f64>,
    /// Their mean score in this wave.
    pub after_mean: Option<f64>,
    /// Wilcoxon's signed-rank test on their paired scores (normal approximation with tie and
    /// continuity correction, as R's `wilcox.test(after, before, paired = TRUE, exact = FALSE)`).
    pub p_wilcoxon: Option<f64>,
    /// Fewer matched respondents than the suppression threshold: no figures.
    pub suppressed: bool,
}

/// The paired comparison: comparison.json's `panel`, present when the waves share respondents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PanelComparison {
    /// The survey's `[respondent] key` column the waves were matched by.
    #[serde(default)]
    pub key: String,
    /// Respondents (by hashed key) kept in both waves.
    pub matched_respondents: u64,
    /// Per item asked in both waves.
    pub items: Vec<PanelChange>,
    /// Per scale scored in both waves.
    #[serde(default)]
    pub scales: Vec<PanelScaleChange>,
    /// This wave's respondents who did not answer the previous wave (0 when suppressed).
    #[serde(default)]
    pub new_respondents: u64,
}

type Pair<'a, T> = (&'a [Option<T>], &'a [Option<T>]);

/// The paired comparison, or `None` when the waves share no respondent, or are not keyed by
/// the same declared key column (then their ids never coincide but by chance, and are not
/// compared at all).
pub fn compare_panel(
    before: &Agreement,
    after: &Agreement,
    threshold: usize,
    confidence: f64,
    adjustment: Adjustment,
) -> Option<PanelComparison> {
    let key = after
        .panel_key
        .as_ref()
        .filter(|k| before.panel_key.as_ref() == Some(*k))?;
    let shared: Vec<Pair<bool>> = after
        .by_respondent
        .iter()
        .filter_map(|(k, a)| before.by_respondent.get(k).map(|b| (b, a)))
        .collect();
    if shared.is_empty() {
        return None;
    }
    let newcomers: Vec<&[Option<bool>]> = (after.by_respondent.iter())
        .filter(|&(k, _)| before.by_respondent.get(k).is_none())
        .map(|(_, a)| a)
        .collect();
    let mut items: Vec<PanelChange> = (after.items.iter().enumerate())
        .filter_map(|(ia, id)| {
            let ib = before.items.iter().position(|x| x == id)?;
            Some(panel_item(id, &shared, &newcomers, (ib, ia), threshold))
        })
        .collect();
    fill_adjusted(
        &mut items,
        |c| c.p_value,
        |c, p| c.p_adjusted = Some(p),
        adjustment,
    );
    for c in &mut items {
        c.significant = c.p_adjusted.is_some_and(|p| p < 1.0 - confidence);
    }
    let hide = |n: usize| if n < threshold { 0 } else { n as u64 };
    Some(PanelComparison {
        key: key.clone(),
        matched_respondents: hide(shared.len()),
        items,
        scales: panel_scales(before, after, threshold),
        new_respondents: hide(newcomers.len()),
    })
}

/// One item among the matched respondents (`at`: its index in the previous wave and in this).
fn panel_item(
    id: &str,
    shared: &[Pair<bool>],
    newcomers: &[&[Option<bool>]],
    (ib, ia): (usize, usize),
    threshold: usize,
) -> PanelChange {
    let (mut n, mut was, mut now, mut stopped, mut started) = (0u64, 0u64, 0u64, 0u64, 0u64);
    for (b, a) in shared {
        if let (Some(x), Some(y)) = (b[ib], a[ia]) {
            n += 1;
            was += x as u64;
            now += y as u64;
            stopped += (x && !y) as u64;
            started += (!x && y) as u64;
        }
    }
    let share = |answers: &mut dyn Iterator<Item = bool>| {
        let (agree, n) = answers.fold((0, 0), |(a, n), y| (a + y as u64, n + 1));
        (n >= threshold as u64).then_some(Share { agree, n })
    };
    let hide = (n as usize) < threshold;
    let pct = |c: u64| (!hide && n > 0).then(|| 100.0 * c as f64 / n as f64);
    PanelChange {
        id: id.to_string(),
        matched: if hide { 0 } else { n },
        before_pct_agree: pct(was),
        after_pct_agree: pct(now),
        stopped_agreeing: (!hide).then_some(stopped),
        started_agreeing: (!hide).then_some(started),
        p_value: (!hide).then(|| mcnemar_asymptotic_p(stopped, started)),
        p_adjusted: None,
        significant: false,
        suppressed: hide,
        p_exact: (!hide).then(|| mcnemar_exact_p(stopped, started)),
        returning: share(&mut shared.iter().filter_map(|(_, a)| a[ia])),
        new: share(&mut newcomers.iter().filter_map(|a| a[ia])),
    }
}

/// The scales both waves scored, among respondents with a score in both.
fn panel_scales(before: &Agreement, after: &Agreement, threshold: usize) -> Vec<PanelScaleChange> {
    let shared: Vec<Pair<f64>> = (after.scale_scores.iter())
        .filter_map(|(k, a)| before.scale_scores.get(k).map(|b| (b, a)))
        .collect();
    (after.scales.iter().enumerate())
        .filter_map(|(ia, name)| {
            let ib = before.scales.iter().position(|x| x == name)?;
            let pairs: Vec<(f64, f64)> = (shared.iter())
                .filter_map(|(b, a)| {
                    b.get(ib)
                        .copied()
                        .flatten()
                        .zip(a.get(ia).copied().flatten())
                })
                .collect();
            let hide = pairs.len() < threshold;
            let n = pairs.len() as f64;
            let mean =
                |f: fn(&(f64, f64)) -> f64| (!hide).then(|| pairs.iter().map(f).sum::<f64>() / n);
            let differences: Vec<f64> = pairs.iter().map(|(b, a)| a - b).collect();
            Some(PanelScaleChange {
                name: name.clone(),
                matched: if hide { 0 } else { pairs.len() as u64 },
                before_mean: mean(|p| p.0),
                after_mean: mean(|p| p.1),
                p_wilcoxon: if hide {
                    None
                } else {
                    Some(wilcoxon_signed_rank_p(&differences).unwrap_or(1.0))
                },
                suppressed: hide,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn written_json_is_what_serde_writes() {
        for panel_key in [None, Some("email \"quoted\"".to_string())] {
            let n = 20_000u64; // more than one block of rows
            let keys: Vec<u64> = (0..n).collect();
            let mut agreement = Agreement {
                items: vec!["q1".into(), "q\u{e9}2".into()],
                by_respondent: ByRespondent::default(),
                panel_key: panel_key.clone(),
                scales: vec!["morale".into()],
                scale_scores: ByRespondent::default(),
            };
            let agree = |i: u64| [Some(i.is_multiple_of(2)), None];
            let score = |i: u64| (!i.is_multiple_of(3)).then_some(i as f64 / 7.0);
            agreement.set_rows(
                keys.clone(),
                keys.iter().flat_map(|&i| agree(i)).collect(),
                keys.iter().map(|&i| score(i)).collect(),
            );
            let mut written = Vec::new();
            agreement.write_json(&mut written).unwrap();
            assert_eq!(written, serde_json::to_vec(&agreement).unwrap());
            let back: Agreement = serde_json::from_slice(&written).unwrap();
            assert_eq!(back, agreement);
            // The JSON of the maps this replaced, so that earlier runs' caches still read.
            #[derive(Serialize)]
            struct Before {
                items: Vec<String>,
                by_respondent: BTreeMap<String, String>,
                #[serde(skip_serializing_if = "Option::is_none")]
                panel_key: Option<String>,
                scales: Vec<String>,
                scale_scores: BTreeMap<String, Vec<Option<f64>>>,
            }
            let before = Before {
                items: agreement.items.clone(),
                by_respondent: (keys.iter())
                    .map(|&i| {
                        (
                            format!("{i:016x}"),
                            if i % 2 == 0 { "y-" } else { "n-" }.into(),
                        )
                    })
                    .collect(),
                panel_key,
                scales: agreement.scales.clone(),
                scale_scores: (keys.iter())
                    .map(|&i| (format!("{i:016x}"), vec![score(i)]))
                    .collect(),
            };
            assert_eq!(written, serde_json::to_vec(&before).unwrap());
        }
        let empty = Agreement {
            items: Vec::new(),
            by_respondent: ByRespondent::default(),
            panel_key: None,
            scales: Vec::new(),
            scale_scores: ByRespondent::default(),
        };
        let mut written = Vec::new();
        empty.write_json(&mut written).unwrap();
        assert_eq!(written, serde_json::to_vec(&empty).unwrap());
    }

    #[test]
    fn mcnemar_matches_r() {
        // R: mcnemar.test(matrix(c(10, 2, 9, 9), 2))$p.value = 0.07044042927 (b = 2, c = 9)
        let (mut keys, mut before, mut after) = (Vec::new(), Vec::new(), Vec::new());
        let pairs = [
            (true, true, 10),
            (true, false, 2),
            (false, true, 9),
            (false, false, 9),
        ];
        let mut k = 0;
        for (x, y, n) in pairs {
            for _ in 0..n {
                keys.push(k);
                before.push(Some(x));
                after.push(Some(y));
                k += 1;
            }
        }
        let rows = |answers: &Vec<Option<bool>>| {
            ByRespondent::from_file_order(1, keys.clone(), answers.clone())
        };
        let (before, after) = (rows(&before), rows(&after));
        let a = |m| Agreement {
            items: vec!["q".into()],
            by_respondent: m,
            panel_key: Some("email".into()),
            scales: vec![],
            scale_scores: ByRespondent::default(),
        };
        let p = compare_panel(
            &a(before.clone()),
            &a(after.clone()),
            10,
            0.95,
            Adjustment::Holm,
        )
        .unwrap();
        assert_eq!(p.matched_respondents, 30);
        assert_eq!(p.key, "email");
        // The same ids without a declared key, or keyed by different columns, are not paired.
        let keyed = |m, k: Option<&str>| Agreement {
            panel_key: k.map(str::to_string),
            ..a(m)
        };
        for (b, c) in [
            (None, None),
            (Some("email"), None),
            (Some("email"), Some("staff_id")),
        ] {
            let (x, y) = (keyed(before.clone(), b), keyed(after.clone(), c));
            assert_eq!(
                compare_panel(&x, &y, 10, 0.95, Adjustment::Holm),
                None,
                "{b:?} {c:?}"
            );
        }
        let item = &p.items[0];
        assert_eq!(
            (item.stopped_agreeing, item.started_agreeing),
            (Some(2), Some(9))
        );
        assert!(
            (item.p_value.unwrap() - 0.070_440_429_27).abs() < 1e-10,
            "{item:?}"
        );
    }
}
