//! The example's wave comparisons as an evaluator signs them: one family of tests per
//! comparison, the summary's sentences, the table, changes.csv and comparison.json agreeing on
//! every significance claim; paired tests on the respondents matched by the declared key.
//!
//! Reference numbers: tests/reference/aspire_panel.R (R 4.x, base stats), run from the
//! repository root with `Rscript tests/reference/aspire_panel.R`. It reads the three raw
//! exports, excludes previews and unfinished responses, matches respondents across waves by
//! their lower-cased e-mail address (the survey's `[respondent] key`, first submission kept),
//! and prints `binom.test` (McNemar's exact test) on each item's discordant pairs and
//! `wilcox.test(paired = TRUE, exact = FALSE, correct = TRUE)` on each scale's paired scores.

use crate::common::*;
use std::path::Path;

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// The p-value as the summary's prose gives it.
fn p_words(p: f64) -> String {
    if p < 0.001 {
        "below 0.001".into()
    } else {
        format!("{p:.3}")
    }
}

/// One comparison as a summary reports it: its artefact (comparison.json, or trends.json's
/// `since_first`), its CSV, how its sentences open and its table's heading.
struct Reported<'a> {
    comparison: &'a serde_json::Value,
    csv: &'a str,
    since: &'a str,
    heading: &'a str,
}

/// Every "significant" claim of a wave's summary about one comparison (sentences, count, bold
/// rows) is an adjusted p below alpha of the same family in its CSV and JSON, and every such p
/// is claimed.
fn check_claims(wave: &Path, r: Reported) {
    let md = std::fs::read_to_string(wave.join("summary.md")).unwrap();
    let c = r.comparison;
    let (h, rows) = read_csv(&wave.join(r.csv));
    let col = |name: &str| h.iter().position(|c| c == name).unwrap();
    let family = &c["family"];
    let alpha = family["alpha"].as_f64().unwrap();
    let size = family["size"].as_u64().unwrap() as usize;
    assert_eq!(size, rows.len(), "one family: every item and scale");
    let summary = &md[..md.find("\n## Items").unwrap()];
    let mut significant = 0;
    for row in &rows {
        let json_row = c[if row[col("kind")] == "item" {
            "items"
        } else {
            "scales"
        }]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == row[col("id")] || x["name"] == row[col("id")])
        .unwrap();
        let p = json_row["p_test_adjusted"].as_f64().unwrap();
        assert_eq!(row[col("family_size")], size.to_string());
        close(&row[col("p_test_adjusted")], p, 1e-6);
        let claimed = p < alpha;
        assert_eq!(row[col("significant")], claimed.to_string(), "{row:?}");
        assert_eq!(json_row["significant"], claimed, "{json_row}");
        // The sentence names the change by its statement (items) or its name (scales).
        let opening = match json_row["statement"].as_str() {
            Some(s) => format!("{}he share agreeing that {s} ", r.since),
            None => format!("{}he mean {} score ", r.since, row[col("id")]),
        };
        // (A trend sentence, "… went from … across the waves", is about all waves, not this change.)
        let sentence = (summary.lines()).find(|l| {
            l.starts_with(&opening) && (l.contains(" rose from ") || l.contains(" fell from "))
        });
        match sentence {
            Some(s) => {
                assert!(claimed, "claimed but p = {p}: {s}");
                assert!(s.contains(&format!("adjusted p {}", p_words(p))), "{s}");
            }
            None => assert!(!claimed, "p = {p} below {alpha} but not claimed: {opening}"),
        }
        significant += claimed as usize;
    }
    let before = c["before"].as_str().unwrap();
    let count = if significant == 0 {
        format!("None of the {size} changes since {before} is statistically significant, tested as one family of {size} with Holm adjustment")
    } else {
        format!("{significant} of the {size} changes since {before} are statistically significant, tested as one family of {size} with Holm adjustment")
    };
    assert!(summary.contains(&count), "{count}\n{summary}");
    // The table: bold rows are the significant ones, and its note says so only when there are.
    let table = &md[md.find(r.heading).unwrap()..];
    let table = &table[..table[3..].find("\n## ").map_or(table.len(), |e| e + 3)];
    assert_eq!(table.matches("| **").count(), significant, "{table}");
    assert_eq!(table.contains("Rows in bold"), significant > 0, "{table}");
    // No row's interval excludes zero for a change its test does not find significant, unless
    // marked and explained.
    let flagged = rows.iter().any(|row| {
        let (lo, hi) = (
            row[col("simultaneous_ci_low")].parse::<f64>().unwrap(),
            row[col("simultaneous_ci_high")].parse::<f64>().unwrap(),
        );
        (lo > 0.0 || hi < 0.0) && row[col("significant")] == "false"
    });
    assert_eq!(table.contains(" † |"), flagged, "{table}");
    assert_eq!(table.contains("† The interval excludes zero"), flagged);
}

/// The change since the previous wave, as `wave` reports it.
fn since_previous(wave: &Path) {
    let c = json(&wave.join("comparison.json"));
    let heading = format!("## Change since {}\n", c["before"].as_str().unwrap());
    let r = Reported {
        comparison: &c,
        csv: "changes.csv",
        since: "T",
        heading: &heading,
    };
    check_claims(wave, r);
}

#[test]
fn every_significance_claim_is_an_adjusted_p_in_the_same_family() {
    let out = example_outputs();
    since_previous(&out.join("wave-2"));
    since_previous(&out.join("wave-3"));
    // From the third wave, the change since the first wave, tested the same way.
    let trends = json(&out.join("wave-3/trends.json"));
    let r = Reported {
        comparison: &trends["since_first"],
        csv: "changes_since_first.csv",
        since: "Since Autumn 2025, t",
        heading: "## Change since Autumn 2025 (the first wave)",
    };
    check_claims(&out.join("wave-3"), r);
    let md = std::fs::read_to_string(out.join("wave-2/summary.md")).unwrap();
    // One figure per change: the whole waves' (55 → 87), never the matched respondents' too.
    assert!(md.contains("rose from 55 to 87 per cent (+33 points); of the 66 who answered it in both waves, 26 started agreeing and 5 stopped (McNemar’s exact test, adjusted p 0.003)."), "{md}");
    assert!(!md.contains("from 55 to 86"), "{md}");
    // The table names questions by their words; ids stay in changes.csv.
    assert!(md.contains("| **The time the programme needed was manageable alongside my other duties** | 54.5 | 87.1 | +32.6 | McNemar exact, 66 matched |"), "{md}");
    assert!(!md.contains("| **time** |"));
}

/// A paired result from comparison.json and R's figure for it.
fn assert_paired(c: &serde_json::Value, id: &str, (n, stopped, started, p): (u64, u64, u64, f64)) {
    let i = c["panel"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == id)
        .unwrap();
    assert_eq!(
        (
            i["matched"].as_u64(),
            i["stopped_agreeing"].as_u64(),
            i["started_agreeing"].as_u64()
        ),
        (Some(n), Some(stopped), Some(started)),
        "{id}"
    );
    let exact = i["p_exact"].as_f64().unwrap();
    assert!((exact - p).abs() < 1e-9, "{id}: {exact} vs R {p}");
    // The comparison decides the item by that same test.
    let row = c["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == id)
        .unwrap();
    assert_eq!(row["test"], "mcnemar-exact");
    assert_eq!(row["matched"].as_u64(), Some(n));
    assert!((row["p_test"].as_f64().unwrap() - p).abs() < 1e-9);
}

fn assert_wilcoxon(c: &serde_json::Value, name: &str, n: u64, p: f64) {
    let s = c["panel"]["scales"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == name)
        .unwrap();
    assert_eq!(s["matched"].as_u64(), Some(n), "{name}");
    let got = s["p_wilcoxon"].as_f64().unwrap();
    assert!((got - p).abs() < 1e-9, "{name}: {got} vs R {p}");
    let row = c["scales"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == name)
        .unwrap();
    assert_eq!(row["test"], "wilcoxon-signed-rank");
    assert!((row["p_test"].as_f64().unwrap() - p).abs() < 1e-9);
}

#[test]
fn paired_tests_equal_r_on_the_matched_respondents() {
    let out = example_outputs();
    // R (tests/reference/aspire_panel.R), "w1-w2" lines: binom.test(stopped, stopped + started).
    let c = json(&out.join("wave-2/comparison.json"));
    assert_eq!(c["panel"]["matched_respondents"], 66);
    assert_paired(&c, "time", (66, 5, 26, 0.000_192_195_177_078_248));
    assert_paired(&c, "lead_involve", (65, 8, 23, 0.010_673_840_530_216_7));
    assert_paired(&c, "data_targets", (65, 9, 25, 0.009_041_185_490_787_04));
    assert_paired(&c, "data_teaching", (65, 12, 23, 0.089_531_078_934_669_7));
    assert_paired(&c, "supported", (66, 1, 0, 1.0));
    // wilcox.test on the paired differences rounded to 1e-9 (see the R script: a difference of
    // thirds computed two ways must tie; unrounded, R gives 0.00187082911801985 for Leadership).
    assert_wilcoxon(
        &c,
        "Leadership for improvement",
        66,
        0.001_957_756_015_253_32,
    );
    assert_wilcoxon(&c, "Use of data", 66, 0.001_848_974_766_933_27);
    // "w2-w3" lines.
    let c = json(&out.join("wave-3/comparison.json"));
    assert_eq!(c["panel"]["matched_respondents"], 44);
    assert_paired(&c, "prioritise", (44, 5, 1, 0.218_75));
    assert_paired(&c, "time", (44, 11, 6, 0.332_305_908_203_125));
    assert_paired(&c, "lead_involve", (43, 3, 7, 0.343_75));
    assert_paired(&c, "data_targets", (44, 10, 4, 0.179_565_429_687_5));
    assert_wilcoxon(&c, "Leadership for improvement", 44, 0.626_960_306_505_612);
    assert_wilcoxon(&c, "Use of data", 44, 0.217_120_710_583_957);
}

#[test]
fn wave_three_tests_the_change_since_the_first_wave_and_each_trend() {
    let out = example_outputs();
    let trends = json(&out.join("wave-3/trends.json"));
    // R (tests/reference/aspire_panel.R), "w1-w3" lines: the 44 who answered both.
    let first = &trends["since_first"];
    assert_eq!(first["before"], "Autumn 2025");
    assert_eq!(first["panel"]["matched_respondents"], 44);
    assert_paired(
        first,
        "lead_involve",
        (43, 3, 19, 0.000_855_445_861_816_406),
    );
    assert_paired(first, "time", (44, 5, 14, 0.063_568_115_234_375));
    assert_wilcoxon(
        first,
        "Leadership for improvement",
        44,
        0.002_572_127_100_826_64,
    );
    assert_wilcoxon(first, "Use of data", 44, 0.027_488_877_625_897_9);
    // "trend" lines: prop.trend.test over the three waves' counts, lm(score ~ wave).
    let series = |kind: &str, id: &str| {
        trends[kind]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == id)
            .unwrap()["test"]
            .clone()
    };
    let expected = [
        (
            "items",
            "supported",
            2.071_163_900_309_64,
            0.150_106_928_162_047,
        ),
        (
            "items",
            "prioritise",
            3.186_816_619_806_32,
            0.074_234_441_774_915_8,
        ),
        (
            "items",
            "new_approaches",
            2.936_181_726_075_38,
            0.086_615_257_947_307_7,
        ),
        (
            "scales",
            "Leadership for improvement",
            3.205_558_276_709_74,
            0.001_569_295_439_413_76,
        ),
        (
            "scales",
            "Use of data",
            2.435_574_034_271_2,
            0.015_744_470_274_497_2,
        ),
    ];
    for (kind, id, statistic, p) in expected {
        let t = series(kind, id);
        let (got_statistic, got_p) = (
            t["statistic"].as_f64().unwrap(),
            t["p_value"].as_f64().unwrap(),
        );
        assert!(
            (got_statistic - statistic).abs() < 1e-9,
            "{id}: {got_statistic} vs R {statistic}"
        );
        assert!((got_p - p).abs() < 1e-9, "{id}: {got_p} vs R {p}");
    }
    // R: lm slope 0.193813131313132 for Leadership, a rising trend; Holm over the 5 trend tests.
    let lead = series("scales", "Leadership for improvement");
    assert!((lead["slope"].as_f64().unwrap() - 0.193_813_131_313_132).abs() < 1e-9);
    assert!((lead["p_adjusted"].as_f64().unwrap() - 5.0 * 0.001_569_295_439_413_76).abs() < 1e-9);
    let md = std::fs::read_to_string(out.join("wave-3/summary.md")).unwrap();
    for sentence in [
        "Agreement that the initial phase was professionally supported went from 100 to 99 to 97 per cent across the waves, −1.5 points a wave on average: a falling trend that is not statistically significant (Cochran–Armitage test for trend, adjusted p 0.223).",
        "The mean Leadership for improvement score went from 3.59 to 3.96 to 3.98 across the waves, +0.19 a wave on average: a rising trend, statistically significant (linear regression on the wave, adjusted p 0.008).",
    ] {
        assert!(md.contains(sentence), "{sentence}\n{md}");
    }
    // Every headline item and scale has its trend sentence.
    assert_eq!(md.matches(" across the waves, ").count(), 5, "{md}");
    // Returning (answered wave 2 too) and new respondents: R's "w3" lines.
    assert!(md.contains("| The early analysis helped us prioritise actions to support change | 39 of 44 (88.6) | 22 of 22 (100.0) |"), "{md}");
    assert!(
        md.contains(
            "| Leaders use evidence to decide what to change | 34 of 44 (77.3) | 13 of 21 (61.9) |"
        ),
        "{md}"
    );
}

/// Every section's boilerplate applies to what it stands beside, and every share states its base.
#[test]
fn notes_apply_where_they_stand_and_shares_state_their_base() {
    let out = example_outputs();
    for wave in ["wave-1", "wave-2", "wave-3"] {
        let md = std::fs::read_to_string(out.join(wave).join("summary.md")).unwrap();
        // The suppression note stands only above a breakdown that hides a figure.
        for section in md.split("\n## By ").skip(1) {
            let section = &section[..section.find("\n## ").unwrap_or(section.len())];
            let hides = section
                .lines()
                .any(|l| l.starts_with('|') && l.contains("| · |"));
            assert_eq!(
                section.contains("are suppressed (·)"),
                hides,
                "{wave}: {section}"
            );
        }
        // A theme's share names its base: "3 of 36 comments (8%)".
        for heading in md
            .lines()
            .filter(|l| l.starts_with("### ") && l.contains(" — "))
        {
            let after = heading.split(" — ").nth(1).unwrap();
            if after.contains("comment") {
                assert!(after.contains(" of "), "{wave}: {heading}");
            }
        }
        // Tables name questions by their words: no `id % agree` column headers.
        assert!(!md.contains("supported % agree"), "{wave}");
    }
    let md = std::fs::read_to_string(out.join("wave-2/summary.md")).unwrap();
    // 38 comments, 2 saying nothing substantive: shares are of 36.
    assert!(md.contains(". Workload — 3 of 36 comments (8%)"), "{md}");
    assert!(
        md.contains("## By region\n\nEvery item is broken down in segments.csv.\n"),
        "{md}"
    );
    assert!(
        md.contains("| Region | n | The initial phase was professionally supported (% agree) |")
    );
}

/// A survey of choice questions only: the second wave's summary says that nothing is
/// compared and why, instead of "none of the 0 changes" under a table of headers alone (a
/// newcomer following the README's fifth step met that).
#[test]
fn waves_without_rating_items_say_nothing_is_compared_and_why() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut export = String::from("Respondent,Role,Region\n");
    for i in 0..40 {
        let role = ["Teacher", "Leader", "Support"][i % 3];
        let region = ["North", "South"][i % 2];
        export.push_str(&format!("{i},{role},{region}\n"));
    }
    std::fs::write(d.join("export.csv"), &export).unwrap();
    std::fs::write(d.join("export-2.csv"), &export).unwrap();
    let in_folder = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_canvass"))
            .args(args)
            .current_dir(d)
            .output()
            .unwrap()
    };
    let o = in_folder(&["init", "export.csv", "--out", "surveys/roles"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let pipeline = d.join("pipelines/roles.toml");
    let mut text = std::fs::read_to_string(&pipeline).unwrap();
    text.push_str("\n[[waves]]\nname = \"wave-2\"\nexport = \"../export-2.csv\"\n");
    std::fs::write(&pipeline, text).unwrap();
    let o = in_folder(&["run", "pipelines/roles.toml", "--quiet"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let wave = d.join("reports/roles/wave-2");
    let md = std::fs::read_to_string(wave.join("summary.md")).unwrap();
    let said =
        "No rating item or scale was asked in both wave-1 and wave-2, so nothing is compared";
    assert!(md.contains(said), "{md}");
    assert!(!md.contains("of the 0 changes"), "{md}");
    let section = &md[md.find("## Change since wave-1").expect("the section")..];
    assert!(
        !section.contains("| Question |"),
        "no empty table: {section}"
    );
    let html = std::fs::read_to_string(wave.join("summary.html")).unwrap();
    assert!(html.contains(said));
    let docx = unzipped_text(&std::fs::read(wave.join("summary.docx")).unwrap());
    assert!(docx.contains(said));
}
