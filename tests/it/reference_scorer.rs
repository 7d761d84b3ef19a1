//! The fast scorer against a plain one: random exports (seeded, so a failure repeats) are scored
//! by `canvass score --json` and by `Reference` below, which reads the CSV it wrote and works
//! each figure out per respondent in f64, the obvious way (the definitions: R's `median`, `sd`
//! with n − 1, `psych::alpha` on pairwise-complete covariances, reliability weights for the
//! weighted SD). Cases cover fractional codes, listwise and pairwise deletion, weights, segments,
//! unrecognised labels kept as missing, "don't know" answers, reverse-keyed items, and exports
//! longer than one accumulation block (4,096 rows).

use crate::common::*;
use std::collections::BTreeMap;

/// xorshift64*: a small seeded generator, so the exports are the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const AGREE: [&str; 5] = [
    "Strongly disagree",
    "Disagree",
    "Neither agree nor disagree",
    "Agree",
    "Strongly agree",
];
/// A scale with fractional codes: exercises scoring's float path.
const HALVES: [(&str, f64); 4] = [
    ("Low", 0.5),
    ("Lowish", 1.0),
    ("Highish", 1.5),
    ("High", 2.5),
];
const REGIONS: [&str; 3] = ["North", "South", "East"];

struct Export {
    csv: String,
    /// Per row: region, weight, and per item the answer as written.
    rows: Vec<(String, f64, Vec<String>)>,
}

/// Items q1–q4 on the agree scale, q5–q6 on the fractional one. A respondent's latent level
/// makes items correlate; some answers are blank, "Don't know" or an unknown "Maybe".
fn export(seed: u64, rows: usize) -> Export {
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut csv = String::from("id,region,w,q1,q2,q3,q4,q5,q6\n");
    let mut out = Vec::new();
    for r in 0..rows {
        let level = rng.below(5) as i64;
        let region = REGIONS[rng.below(3) as usize].to_string();
        let weight = [0.5, 1.0, 1.0, 2.0, 3.25][rng.below(5) as usize];
        let mut answers = Vec::new();
        for q in 0..6 {
            let roll = rng.below(100);
            let answer = if roll < 8 {
                String::new()
            } else if roll < 12 {
                "Don't know".into()
            } else if roll < 14 {
                "Maybe".into()
            } else {
                let noise = rng.below(3) as i64 - 1;
                if q < 4 {
                    // q3 is worded negatively: it runs against the level.
                    let v = if q == 2 { 4 - level } else { level };
                    AGREE[(v + noise).clamp(0, 4) as usize].to_string()
                } else {
                    HALVES[((level + noise).clamp(0, 4) as usize).min(3)]
                        .0
                        .to_string()
                }
            };
            answers.push(answer);
        }
        csv.push_str(&format!("{r},{region},{weight},{}\n", answers.join(",")));
        out.push((region, weight, answers));
    }
    Export { csv, rows: out }
}

const SURVEY: &str = r#"title = "reference"
[respondent]
key = "id"
[clean]
min_progress = 0
require_finished = false
[[response_scales]]
name = "agree5"
labels = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"]
non_substantive = ["Don't know"]
unknown_as_missing = true
[[response_scales]]
name = "halves"
labels = ["Low", "Lowish", "Highish", "High"]
codes = [0.5, 1.0, 1.5, 2.5]
agree_top = 2
non_substantive = ["Don't know"]
unknown_as_missing = true
[[items]]
id = "q1"
text = "one"
scale = "agree5"
[[items]]
id = "q2"
text = "two"
scale = "agree5"
[[items]]
id = "q3"
text = "three"
scale = "agree5"
[[items]]
id = "q4"
text = "four"
scale = "agree5"
[[items]]
id = "q5"
text = "five"
scale = "halves"
[[items]]
id = "q6"
text = "six"
scale = "halves"
[[scales]]
name = "s1"
items = ["q1", "q2", "q3-", "q4"]
min_items = 2
[[scales]]
name = "s2"
items = ["q5", "q6"]
min_items = 1
[[segments]]
name = "region"
"#;

/// An item's scale: its labels' codes and how many top options agree.
fn scale_of(item: usize) -> (Vec<(&'static str, f64)>, usize) {
    if item < 4 {
        (
            AGREE.iter().zip(1..).map(|(l, c)| (*l, c as f64)).collect(),
            2,
        )
    } else {
        (HALVES.to_vec(), 2)
    }
}

/// The code of an answer, if it is an option of the item's scale.
fn code(item: usize, answer: &str) -> Option<f64> {
    scale_of(item)
        .0
        .iter()
        .find(|(l, _)| *l == answer)
        .map(|(_, c)| *c)
}

/// R's `median` on values with weights (all 1 when unweighted): the middle value, or the mean of
/// the two middle ones when the weight below a value is exactly half the total.
fn weighted_median(mut xs: Vec<(f64, f64)>) -> Option<f64> {
    xs.sort_by(|a, b| a.0.total_cmp(&b.0));
    let total: f64 = xs.iter().map(|x| x.1).sum();
    let mut below = 0.0;
    for (i, (x, w)) in xs.iter().enumerate() {
        below += w;
        if (below - total / 2.0).abs() < 1e-9 * total {
            return Some((x + xs[i + 1].0) / 2.0);
        }
        if below > total / 2.0 {
            return Some(*x);
        }
    }
    None
}

struct ItemRef {
    n: u64,
    missing: u64,
    non_substantive: u64,
    pct_agree: f64,
    mean: f64,
    sd: f64,
    median: f64,
}

fn item_reference(e: &Export, item: usize, weighted: bool, region: Option<&str>) -> ItemRef {
    let (options, top) = scale_of(item);
    let agree_from = options[options.len() - top].1;
    let mut answered: Vec<(f64, f64)> = Vec::new();
    let (mut missing, mut ns) = (0, 0);
    for (r, w, answers) in &e.rows {
        if region.is_some_and(|g| g != r) {
            continue;
        }
        let w = if weighted { *w } else { 1.0 };
        match answers[item].as_str() {
            "Don't know" => ns += 1,
            a => match code(item, a) {
                Some(c) => answered.push((c, w)),
                None => missing += 1,
            },
        }
    }
    let total: f64 = answered.iter().map(|x| x.1).sum();
    let mean = answered.iter().map(|(x, w)| x * w).sum::<f64>() / total;
    let ss: f64 = answered.iter().map(|(x, w)| w * (x - mean).powi(2)).sum();
    let sq: f64 = answered.iter().map(|(_, w)| w * w).sum();
    ItemRef {
        n: answered.len() as u64,
        missing,
        non_substantive: ns,
        pct_agree: 100.0
            * answered
                .iter()
                .filter(|(x, _)| *x >= agree_from)
                .map(|x| x.1)
                .sum::<f64>()
            / total,
        mean,
        // Reliability weights: Σw(x − m)² / (Σw − Σw²/Σw), the n − 1 formula when w = 1.
        sd: (ss / (total - sq / total)).sqrt(),
        median: weighted_median(answered).unwrap(),
    }
}

/// Keyed values of a scale's items per respondent (None: not answered); `-` reverses.
fn keyed(e: &Export, items: &[(usize, bool)]) -> Vec<Vec<Option<f64>>> {
    e.rows
        .iter()
        .map(|(_, _, answers)| {
            items
                .iter()
                .map(|&(i, reversed)| {
                    let c = code(i, &answers[i])?;
                    let codes: Vec<f64> = scale_of(i).0.iter().map(|o| o.1).collect();
                    let (lo, hi) = (codes[0], codes[codes.len() - 1]);
                    Some(if reversed { lo + hi - c } else { c })
                })
                .collect()
        })
        .collect()
}

/// psych::alpha's raw alpha from pairwise-complete (or, listwise, complete-row) covariances.
fn alpha(values: &[Vec<Option<f64>>], listwise: bool) -> f64 {
    let k = values[0].len();
    let rows: Vec<&Vec<Option<f64>>> = values
        .iter()
        .filter(|r| !listwise || r.iter().all(Option::is_some))
        .collect();
    let mut c = vec![vec![0.0; k]; k];
    for i in 0..k {
        for j in 0..k {
            let pairs: Vec<(f64, f64)> = rows.iter().filter_map(|r| Some((r[i]?, r[j]?))).collect();
            let n = pairs.len() as f64;
            let (mi, mj) = (
                pairs.iter().map(|p| p.0).sum::<f64>() / n,
                pairs.iter().map(|p| p.1).sum::<f64>() / n,
            );
            c[i][j] = pairs.iter().map(|(x, y)| (x - mi) * (y - mj)).sum::<f64>() / (n - 1.0);
        }
    }
    let trace: f64 = (0..k).map(|i| c[i][i]).sum();
    let total: f64 = c.iter().flatten().sum();
    (1.0 - trace / total) * k as f64 / (k as f64 - 1.0)
}

/// Scale scores: the mean of the keyed items answered, when at least `min_items` are.
fn scale_scores(values: &[Vec<Option<f64>>], min_items: usize) -> Vec<f64> {
    values
        .iter()
        .filter_map(|r| {
            let answered: Vec<f64> = r.iter().flatten().copied().collect();
            (answered.len() >= min_items)
                .then(|| answered.iter().sum::<f64>() / answered.len() as f64)
        })
        .collect()
}

/// A scale's items (index, reversed) and its `min_items`.
type ScaleSpec = (Vec<(usize, bool)>, usize);

fn close(what: &str, got: &serde_json::Value, expected: f64) {
    let g = got
        .as_f64()
        .unwrap_or_else(|| panic!("{what}: {got} is not a number"));
    assert!(
        (g - expected).abs() <= 1e-9 * expected.abs().max(1.0),
        "{what}: canvass {g}, reference {expected}"
    );
}

/// `canvass score CSV --survey SURVEY --json EXTRA…`, parsed.
fn score_json(
    csv: &std::path::Path,
    survey: &std::path::Path,
    extra: &[&str],
) -> serde_json::Value {
    let mut args = vec![
        "score",
        csv.to_str().unwrap(),
        "--survey",
        survey.to_str().unwrap(),
        "--json",
    ];
    args.extend(extra);
    let o = canvass(&args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    serde_json::from_slice(&o.stdout).unwrap()
}

fn run(seed: u64, rows: usize, weighted: bool, listwise: bool) {
    let e = export(seed, rows);
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("export.csv");
    let survey = dir.path().join("survey.toml");
    std::fs::write(&csv, &e.csv).unwrap();
    std::fs::write(&survey, SURVEY).unwrap();
    let mut extra = vec!["--suppress-below", "3"];
    if weighted {
        extra.extend(["--weight", "w"]);
    }
    if listwise {
        extra.push("--listwise");
    }
    let report = score_json(&csv, &survey, &extra);
    let case = format!("seed {seed}, {rows} rows, weighted {weighted}, listwise {listwise}");
    for (i, item) in report["items"].as_array().unwrap().iter().enumerate() {
        let r = item_reference(&e, i, weighted, None);
        let what = |f: &str| format!("{case}: q{} {f}", i + 1);
        assert_eq!(item["n"].as_u64(), Some(r.n), "{}", what("n"));
        assert_eq!(
            item["missing"].as_u64(),
            Some(r.missing),
            "{}",
            what("missing")
        );
        assert_eq!(
            item["non_substantive"].as_u64(),
            Some(r.non_substantive),
            "{}",
            what("don't know")
        );
        close(&what("% agree"), &item["pct_agree"], r.pct_agree);
        close(&what("mean"), &item["mean"], r.mean);
        close(&what("sd"), &item["sd"], r.sd);
        close(&what("median"), &item["median"], r.median);
    }
    let scales: BTreeMap<&str, ScaleSpec> = [
        (
            "s1",
            (vec![(0, false), (1, false), (2, true), (3, false)], 2),
        ),
        ("s2", (vec![(4, false), (5, false)], 1)),
    ]
    .into_iter()
    .collect();
    for s in report["scales"].as_array().unwrap() {
        let (items, min_items) = &scales[s["name"].as_str().unwrap()];
        let values = keyed(&e, items);
        let what = |f: &str| format!("{case}: scale {} {f}", s["name"]);
        close(&what("alpha"), &s["alpha"], alpha(&values, listwise));
        if !weighted {
            let scores = scale_scores(&values, *min_items);
            let n = scores.len() as f64;
            let mean = scores.iter().sum::<f64>() / n;
            let sd = (scores.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
            assert_eq!(s["n"].as_u64(), Some(scores.len() as u64), "{}", what("n"));
            close(&what("mean"), &s["mean"], mean);
            close(&what("sd"), &s["sd"], sd);
        }
    }
    if !weighted {
        let breakdown = &report["segments"][0];
        for g in breakdown["groups"].as_array().unwrap() {
            let region = g["value"].as_str().unwrap();
            for (i, gi) in g["items"].as_array().unwrap().iter().enumerate() {
                let r = item_reference(&e, i, false, Some(region));
                let what = format!("{case}: {region} q{}", i + 1);
                assert_eq!(gi["n"].as_u64(), Some(r.n), "{what} n");
                close(&format!("{what} % agree"), &gi["pct_agree"], r.pct_agree);
                close(&format!("{what} mean"), &gi["mean"], r.mean);
            }
        }
    }
}

#[test]
fn fast_scoring_matches_the_reference_on_random_exports() {
    for seed in 1..=6 {
        let rows = [40, 101, 9_000][(seed % 3) as usize];
        run(seed, rows, seed % 2 == 0, seed % 4 == 1);
    }
}

#[test]
fn an_even_count_has_the_same_median_weighted_or_not() {
    // Two answers, "Disagree" (2) and "Agree" (4), each with weight 1: R's median is 3.
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("e.csv");
    std::fs::write(
        &csv,
        "id,region,w,q1,q2,q3,q4,q5,q6\n1,North,1,Disagree,,,,,\n2,North,1,Agree,,,,,\n",
    )
    .unwrap();
    let survey = dir.path().join("s.toml");
    std::fs::write(
        &survey,
        SURVEY.replace("[[segments]]\nname = \"region\"\n", ""),
    )
    .unwrap();
    for extra in [&[][..], &["--weight", "w"][..]] {
        let report = score_json(&csv, &survey, extra);
        assert_eq!(
            report["items"][0]["median"].as_f64(),
            Some(3.0),
            "{extra:?}"
        );
    }
}
