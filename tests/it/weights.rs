//! Raking (`[weights]`, `[[weights.rake]]`): the example's wave 1 raked to two margins gives R
//! survey's `rake()` weights and `svymean` percentages; a weight column raked further gives
//! rake() on the weighted design; effective sample sizes are Kish's; and margins that cannot be
//! met are refused with the key, margin and group named.

use crate::common::*;
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::Field;
use std::path::{Path, PathBuf};

/// The `[weights]` block surveys/aspire-pilot/README.md documents (between its markers).
fn documented_block() -> String {
    let readme = std::fs::read_to_string(repo().join("surveys/aspire-pilot/README.md")).unwrap();
    let start = readme
        .find("<!-- raked block")
        .expect("the README's raked block");
    let end = readme.find("<!-- end of raked block -->").unwrap();
    let block = &readme[start..end];
    let toml = block.split("```toml\n").nth(1).unwrap();
    toml.split("```").next().unwrap().to_string()
}

/// The example pipeline reading the example survey with the README's `[weights]` block.
fn raked_example(dir: &Path) -> PathBuf {
    let example = repo().join("surveys/aspire-pilot");
    let survey = std::fs::read_to_string(example.join("survey.toml"))
        .unwrap()
        .replace(
            "coded = \"coded/",
            &format!("coded = \"{}/coded/", example.display()),
        );
    let raked = dir.join("survey.toml");
    std::fs::write(&raked, format!("{survey}\n{}", documented_block())).unwrap();
    let pipeline = example_pipeline(dir);
    let text = std::fs::read_to_string(&pipeline).unwrap().replace(
        &example.join("survey.toml").display().to_string(),
        &raked.display().to_string(),
    );
    std::fs::write(&pipeline, text).unwrap();
    pipeline
}

/// Column names and rows of a Parquet file.
fn read_parquet(path: &Path) -> (Vec<String>, Vec<Vec<Field>>) {
    let reader = SerializedFileReader::new(std::fs::File::open(path).unwrap()).unwrap();
    let schema = reader
        .metadata()
        .file_metadata()
        .schema_descr()
        .root_schema();
    let names = schema
        .get_fields()
        .iter()
        .map(|f| f.name().to_string())
        .collect();
    let rows = reader
        .get_row_iter(None)
        .unwrap()
        .map(|r| {
            r.unwrap()
                .get_column_iter()
                .map(|(_, f)| f.clone())
                .collect()
        })
        .collect();
    (names, rows)
}

// R 4.1.1, survey 4.x: `Rscript tests/reference/raking.R` (rake() from equal weights to the
// README block's Role counts and Region shares, maxit 1000, epsilon 1e-13; weights / mean).
const R_WEIGHTS: [f64; 66] = [
    0.5302295649,
    0.8063783758,
    1.8331205829,
    0.5302295649,
    0.8063783758,
    1.8331205829,
    0.5302295649,
    0.8063783758,
    1.8331205829,
    0.5302295649,
    0.9338649430,
    2.1229327323,
    0.6140576400,
    0.9338649430,
    2.1229327323,
    0.6140576400,
    0.9338649430,
    2.1229327323,
    0.6140576400,
    0.9338649430,
    1.3647846083,
    0.3947635283,
    0.6003602852,
    1.3647846083,
    0.3947635283,
    0.6003602852,
    1.3647846083,
    0.3947635283,
    0.6003602852,
    1.3647846083,
    1.8331205829,
    0.8063783758,
    0.9204176925,
    0.5302295649,
    1.8331205829,
    0.8063783758,
    0.9204176925,
    0.5302295649,
    1.8331205829,
    0.8063783758,
    1.0659336135,
    0.6140576400,
    2.1229327323,
    0.9338649430,
    1.0659336135,
    0.6140576400,
    2.1229327323,
    0.9338649430,
    1.0659336135,
    0.6140576400,
    1.3647846083,
    0.6003602852,
    0.6852641947,
    0.3947635283,
    1.3647846083,
    0.6003602852,
    0.6852641947,
    0.3947635283,
    1.3647846083,
    0.6003602852,
    0.9204176925,
    0.5302295649,
    1.8331205829,
    0.8063783758,
    0.9204176925,
    0.5302295649,
];

// The same script: svymean(~I(x %in% agree)) on the raked design, subset to the item's
// substantive answers, × 100; and (Σw)² / Σw² over those answers.
const R_ITEMS: [(&str, f64, f64); 12] = [
    ("supported", 100.0000000000, 51.8144792780),
    ("prioritise", 98.7782145821, 51.8144792780),
    ("new_approaches", 95.9069809863, 51.8144792780),
    ("time", 52.6055245477, 51.8144792780),
    ("lead_vision", 56.1623203363, 51.8144792780),
    ("lead_involve", 49.9595507811, 50.8414684167),
    ("lead_imposed", 7.8784605938, 51.8144792780),
    ("lead_evidence", 57.1869118481, 51.0839321418),
    ("data_confident", 56.4701292103, 51.0153377444),
    ("data_targets", 56.0193975555, 51.1563677750),
    ("data_hard", 5.6010211894, 51.2840707470),
    ("data_teaching", 62.2939987943, 50.8196998390),
];

#[test]
fn raked_example_weights_and_figures_equal_r_rake_and_svymean() {
    let dir = tempfile::tempdir().unwrap();
    let pipeline = raked_example(dir.path());
    let o = canvass(&[
        "run",
        pipeline.to_str().unwrap(),
        "--wave",
        "wave-1",
        "--parquet",
        "--quiet",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = dir.path().join("out");
    // Each respondent's weight (file order) is R's, to 1e-6.
    let table = out.join("parquet/respondents/wave=wave-1/part-0.parquet");
    let (names, rows) = read_parquet(&table);
    let at = |n: &str| names.iter().position(|x| x == n).unwrap();
    let weights: Vec<f64> = rows
        .iter()
        .map(|r| match r[at("weight")] {
            Field::Double(w) => w,
            ref other => panic!("weight {other:?}"),
        })
        .collect();
    assert_eq!(weights.len(), R_WEIGHTS.len());
    for (i, (w, r)) in weights.iter().zip(R_WEIGHTS).enumerate() {
        assert!((w - r).abs() < 1e-6, "respondent {i}: {w} vs R {r}");
    }
    // Each item's weighted % agree is svymean's, and its n_effective Kish's over its answers,
    // both R's and by hand from the Parquet weights and codes (4 and 5 agree; 1 to 5 answered).
    let score: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("wave-1/score.json")).unwrap()).unwrap();
    for (id, agree, n_eff) in R_ITEMS {
        let item = score["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == id)
            .unwrap();
        let f = |k: &str| item[k].as_f64().unwrap();
        assert!(
            (f("pct_agree") - agree).abs() < 1e-6,
            "{id}: {}",
            f("pct_agree")
        );
        assert!((f("n_effective") - n_eff).abs() < 1e-6, "{id}");
        let answered: Vec<(f64, bool)> = rows
            .iter()
            .zip(&weights)
            .filter_map(|(r, &w)| match r[at(id)] {
                Field::Int(code) if (1..=5).contains(&code) => Some((w, code >= 4)),
                _ => None,
            })
            .collect();
        let sum: f64 = answered.iter().map(|a| a.0).sum();
        let squares: f64 = answered.iter().map(|a| a.0 * a.0).sum();
        assert!(
            (f("n_effective") - sum * sum / squares).abs() < 1e-9,
            "{id}"
        );
        let agreeing: f64 = answered.iter().filter(|a| a.1).map(|a| a.0).sum();
        assert!(
            (f("pct_agree") - 100.0 * agreeing / sum).abs() < 1e-9,
            "{id}"
        );
    }
    // Choice questions are weighted too: Role was raked to, so its shares are the targets;
    // the sessions' shares are svymean's and their Wilson intervals use Kish's n (R, the same
    // script's last lines).
    let choice = |id: &str| {
        let all = score["choices"].as_array().unwrap();
        all.iter().find(|c| c["id"] == id).unwrap().clone()
    };
    let role = choice("role");
    for (option, target) in [
        ("Headteacher", 15.0),
        ("Senior leader", 12.5),
        ("Teacher", 50.0),
    ] {
        let o = role["options"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["option"] == option);
        assert!(
            (o.unwrap()["pct"].as_f64().unwrap() - target).abs() < 1e-6,
            "{option}"
        );
    }
    assert_eq!(role["nets"][0]["pct"].as_f64().unwrap().round(), 50.0);
    let sessions = choice("sessions");
    assert!((sessions["n_effective"].as_f64().unwrap() - 51.814_479_278_0).abs() < 1e-6);
    for (i, (pct, low, high)) in [
        (86.2510260372, 74.3621986343, 93.1356498102),
        (67.2905572678, 53.7139540809, 78.4803185110),
        (48.2208033989, 35.2153751948, 61.4718373986),
    ]
    .into_iter()
    .enumerate()
    {
        let o = &sessions["options"][i];
        let f = |k: &str| o[k].as_f64().unwrap();
        assert!((f("pct") - pct).abs() < 1e-6, "{o}");
        assert!(
            (f("ci_low") - low).abs() < 1e-6 && (f("ci_high") - high).abs() < 1e-6,
            "{o}"
        );
    }
    // Scale scores: svymean of each respondent's score on the raked design, the weighted SD with
    // reliability weights, Kish's n (R, the same script).
    for (i, (mean, sd)) in [(3.5945350396, 0.6817188524), (3.7288978485, 0.7389448235)]
        .into_iter()
        .enumerate()
    {
        let scale = &score["scales"][i];
        let f = |k: &str| scale[k].as_f64().unwrap();
        assert!(
            (f("mean") - mean).abs() < 1e-6 && (f("sd") - sd).abs() < 1e-6,
            "{scale}"
        );
        assert!((f("n_effective") - 51.814_479_278_0).abs() < 1e-6);
    }
    let (header, _) = read_csv(&out.join("wave-1/scales.csv"));
    assert_eq!(header[3..5], ["n", "n_effective"]);
    let (header, _) = read_csv(&out.join("wave-1/choices.csv"));
    assert_eq!(header[6..8], ["n", "n_effective"]);
    // items.csv shows n_effective beside n.
    let (header, items) = read_csv(&out.join("wave-1/items.csv"));
    assert_eq!(header[4..6], ["n", "n_effective"]);
    close(&row_by(&items, 0, "lead_involve")[5], 50.8414684167, 1e-4);
    // weights.csv: every group's weighted share is its target; the sample's is as counted.
    let (header, margins) = read_csv(&out.join("wave-1/weights.csv"));
    assert_eq!(
        header,
        [
            "margin",
            "group",
            "sample_n",
            "sample_pct",
            "target_pct",
            "weighted_pct",
            "suppressed",
            "suppressed_reason"
        ]
    );
    assert_eq!(margins.len(), 7);
    for m in margins.iter().filter(|m| m[6] == "false") {
        assert_eq!(m[4], m[5], "{m:?}");
    }
    // A raking group is a group of people like a segment's: fewer than suppress_below (the
    // example’s 9 senior leaders) shows neither count nor share, and the groups hidden are the
    // ones segments.csv hides for the same column, so neither file works out the other's.
    let senior = row_by(&margins, 1, "Senior leader");
    assert_eq!(
        senior[2..8],
        ["", "", "12.5000", "", "true", "fewer than 10"]
    );
    let mut by_weights: Vec<&str> = margins
        .iter()
        .filter(|m| m[0] == "Role" && m[6] == "true")
        .map(|m| m[1].as_str())
        .collect();
    by_weights.sort();
    assert_eq!(by_weights, ["Headteacher", "Senior leader"]);
    // segments.csv hides a whole group by hiding every one of its rows.
    let (_, segments) = read_csv(&out.join("wave-1/segments.csv"));
    let role_rows = || segments.iter().filter(|r| r[0] == "Role");
    let mut by_segment: Vec<&str> = role_rows()
        .map(|r| r[1].as_str())
        .filter(|g| role_rows().all(|r| r[1] != *g || r[4] == "true"))
        .collect();
    by_segment.dedup();
    assert_eq!(by_weights, by_segment);
    let score_json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("wave-1/score.json")).unwrap()).unwrap();
    let role = &score_json["weighting"]["margins"][0]["groups"];
    let seniors = role
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["group"] == "Senior leader");
    assert_eq!(
        seniors.unwrap()["sample_n"],
        serde_json::Value::Null,
        "{role}"
    );
    let teachers = row_by(&margins, 1, "Teacher");
    assert_eq!(
        (teachers[2].as_str(), teachers[4].as_str()),
        ("19", "50.0000")
    );
    // weights_summary.csv: Kish's design effect of the weights (R: 1.2737752250).
    let (_, summary) = read_csv(&out.join("wave-1/weights_summary.csv"));
    close(
        &row_by(&summary, 0, "design_effect")[1],
        1.273_775_225_0,
        1e-4,
    );
    close(
        &row_by(&summary, 0, "n_effective")[1],
        51.814_479_278_0,
        1e-4,
    );
    assert_eq!(row_by(&summary, 0, "converged")[1], "yes");
    // The summary says how the figures are weighted; the workbook has the sheets.
    let md = std::fs::read_to_string(out.join("wave-1/summary.md")).unwrap();
    assert!(md.contains("## Weights"), "{md}");
    assert!(md.contains("raked to its Role and Region"), "{md}");
    let html = std::fs::read_to_string(out.join("wave-1/summary.html")).unwrap();
    assert!(html.contains("<h2>Weights</h2>"));
    let docx = unzipped_text(&std::fs::read(out.join("wave-1/summary.docx")).unwrap());
    assert!(docx.contains("design effect is 1.27"));
    let xlsx = unzipped_text(&std::fs::read(out.join("wave-1/tables.xlsx")).unwrap());
    assert!(
        xlsx.contains("name=\"weights_summary\""),
        "no weights sheet"
    );
}

fn score(export: &Path, survey: &Path) -> std::process::Output {
    canvass(&[
        "score",
        export.to_str().unwrap(),
        "--survey",
        survey.to_str().unwrap(),
        "--json",
    ])
}

/// The weighted fixture's survey with `[weights]` settings added.
fn weighted_survey(dir: &Path, weights: &str) -> PathBuf {
    let base = std::fs::read_to_string(repo().join("tests/fixtures/weighted/survey.toml")).unwrap();
    let p = dir.join("survey.toml");
    std::fs::write(&p, format!("{base}\n{weights}")).unwrap();
    p
}

#[test]
fn a_weight_column_alone_is_reported_with_kish_figures_by_hand() {
    let export = repo().join("tests/fixtures/weighted/export.csv");
    let text = std::fs::read_to_string(&export).unwrap();
    let w: Vec<f64> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(2).unwrap().parse().unwrap())
        .collect();
    let (sum, squares) = (w.iter().sum::<f64>(), w.iter().map(|x| x * x).sum::<f64>());
    let mean = sum / w.len() as f64;
    let survey = repo().join("tests/fixtures/weighted/survey.toml");
    let o = score(&export, &survey);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let r = &v["weighting"];
    let f = |k: &str| r[k].as_f64().unwrap();
    assert_eq!(r["margins"].as_array().map(Vec::len), Some(0));
    assert_eq!(
        (r["respondents"].as_u64(), r["iterations"].as_u64()),
        (Some(60), Some(0))
    );
    assert!((f("n_effective") - sum * sum / squares).abs() < 1e-9);
    assert!((f("design_effect") - 60.0 * squares / (sum * sum)).abs() < 1e-9);
    let max = w.iter().copied().fold(0.0, f64::max);
    assert!((f("max_weight") - max / mean).abs() < 1e-9);
}

#[test]
fn a_weight_column_raked_further_equals_rake_on_the_weighted_design() {
    // R, tests/reference/raking.R (second part): rake() of svydesign(weights = ~wt) to region
    // shares 0.3, 0.3, 0.4: svymean % agree on q1 = 61.8392825167, Kish n = 45.0846031851.
    let dir = tempfile::tempdir().unwrap();
    let survey = weighted_survey(
        dir.path(),
        "[[weights.rake]]\ncolumn = \"region\"\ntargets = { North = 0.3, South = 0.3, West = 0.4 }\n",
    );
    let o = score(&repo().join("tests/fixtures/weighted/export.csv"), &survey);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let item = &v["items"][0];
    assert!((item["pct_agree"].as_f64().unwrap() - 61.839_282_516_7).abs() < 1e-6);
    assert!((item["n_effective"].as_f64().unwrap() - 45.084_603_185_1).abs() < 1e-6);
    assert_eq!(item["n"], 56);
    let w = &v["weighting"];
    assert_eq!(w["margins"][0]["groups"][0]["group"], "North");
    assert!(
        (w["margins"][0]["groups"][2]["weighted_pct"]
            .as_f64()
            .unwrap()
            - 40.0)
            .abs()
            < 1e-9
    );
}

/// Runs `canvass score` on a small export with the given `[weights]` settings; the exit code and
/// the message.
fn refusal(export: &str, weights: &str) -> (Option<i32>, String) {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("export.csv");
    std::fs::write(&data, export).unwrap();
    let o = score(&data, &weighted_survey(dir.path(), weights));
    (o.status.code(), stderr(&o))
}

const SMALL: &str = "id,region,role,wt,q1\n1,North,Head,1,Agree\n2,North,Teacher,1,Disagree\n3,South,Teacher,1,Agree\n4,South,Head,1,Agree\n5,North,Teacher,1,Agree\n";

#[test]
fn margins_that_cannot_be_met_are_refused_naming_key_margin_and_group() {
    // A target group nobody in the data belongs to.
    let (code, e) = refusal(
        SMALL,
        "[[weights.rake]]\ncolumn = \"region\"\ntargets = { North = 0.4, South = 0.4, East = 0.2 }\n",
    );
    assert_eq!(code, Some(1), "{e}");
    assert!(e.contains("weights.rake[0].targets.East"), "{e}");
    assert!(
        e.contains("no kept respondent") && e.contains("`region`"),
        "{e}"
    );
    assert!(e.contains("hint:") && e.contains("North, South"), "{e}");
    // A data group with no target.
    let (code, e) = refusal(
        SMALL,
        "[[weights.rake]]\ncolumn = \"region\"\ntargets = { North = 1.0 }\n",
    );
    assert_eq!(code, Some(1), "{e}");
    assert!(e.contains("weights.rake[0].targets"), "{e}");
    assert!(
        e.contains("2 kept respondents have `South` in `region`, which has no target"),
        "{e}"
    );
    assert!(e.contains("add `\"South\" = <share or count>`"), "{e}");
    // Shares that do not sum to 1.
    let (code, e) = refusal(
        SMALL,
        "[[weights.rake]]\ncolumn = \"region\"\ntargets = { North = 0.5, South = 0.6 }\n",
    );
    assert_eq!(code, Some(1), "{e}");
    assert!(
        e.contains("weights.rake[0].targets") && e.contains("sum to 1.1"),
        "{e}"
    );
    // Blank answers in a raking column: counted, never dropped.
    let blank = SMALL.replace("3,South", "3,");
    let (code, e) = refusal(
        &blank,
        "[[weights.rake]]\ncolumn = \"region\"\ntargets = { North = 0.5, South = 0.5 }\n",
    );
    assert_eq!(code, Some(1), "{e}");
    assert!(
        e.contains("1 kept respondent has no answer in `region`"),
        "{e}"
    );
    assert!(e.contains("\"(not answered)\" = <share>"), "{e}");
    // A column that identifies people is never raked to (its values would name groups in
    // weights.csv) unless the margin says `allow_identifying = true`.
    let emails = "id,region,email,wt,q1\n1,North,ann@example.org,1,Agree\n2,South,bo@example.org,1,Agree\n3,South,cy@example.org,1,Agree\n";
    let (code, e) = refusal(
        emails,
        "[[weights.rake]]\ncolumn = \"email\"\ntargets = { \"ann@example.org\" = 0.5, \"bo@example.org\" = 0.25, \"cy@example.org\" = 0.25 }\n",
    );
    assert_eq!(code, Some(1), "{e}");
    assert!(
        e.contains("named by `weights.rake[0]`") && e.contains("identifies people"),
        "{e}"
    );
    // Margins that cannot both be met: every Head is in the North and every Teacher in the South,
    // so Head's 50 % and North's 20 % contradict each other; raking never converges.
    let split = "id,region,role,wt,q1\n1,North,Head,1,Agree\n2,North,Head,1,Agree\n3,South,Teacher,1,Agree\n4,South,Teacher,1,Agree\n";
    let (code, e) = refusal(
        split,
        "[weights]\nmax_iterations = 50\n[[weights.rake]]\ncolumn = \"region\"\ntargets = { North = 0.2, South = 0.8 }\n[[weights.rake]]\ncolumn = \"role\"\ntargets = { Head = 0.5, Teacher = 0.5 }\n",
    );
    assert_eq!(code, Some(1), "{e}");
    assert!(e.contains("did not converge in 50 cycles"), "{e}");
    // North and South are equally far from their targets; either is named.
    assert!(
        e.contains("weights.rake[0].targets.") && e.contains("`region` = `"),
        "{e}"
    );
}

#[test]
fn a_cap_trims_the_largest_weights_and_rakes_again() {
    // Unequal targets give the South respondents weights well above the mean; a cap of 1.5
    // keeps every weight within 1.5 × the mean.
    let dir = tempfile::tempdir().unwrap();
    let survey = weighted_survey(
        dir.path(),
        "[weights]\ncap = 1.5\n[[weights.rake]]\ncolumn = \"region\"\ntargets = { North = 0.2, South = 0.5, West = 0.3 }\n",
    );
    let o = score(&repo().join("tests/fixtures/weighted/export.csv"), &survey);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let w = &v["weighting"];
    assert!(w["max_weight"].as_f64().unwrap() <= 1.5 + 1e-9, "{w}");
    assert_eq!(w["cap"], 1.5);
    for g in w["margins"][0]["groups"].as_array().unwrap() {
        let (target, weighted) = (
            g["target_pct"].as_f64().unwrap(),
            g["weighted_pct"].as_f64().unwrap(),
        );
        assert!((target - weighted).abs() < 1e-6, "{g}");
    }
}
