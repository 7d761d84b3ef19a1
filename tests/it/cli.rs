//! The command line: exit codes, error messages that say what, where and what to do, and the
//! JSON and CSV keys that scripts rely on (../shared/DESIGN.md, "Contracts").

use crate::common::*;
use std::path::PathBuf;

fn wave1() -> String {
    repo()
        .join("surveys/aspire-pilot/exports/wave-1.csv")
        .display()
        .to_string()
}

fn survey() -> String {
    repo()
        .join("surveys/aspire-pilot/survey.toml")
        .display()
        .to_string()
}

/// `canvass score EXPORT --survey SURVEY [--json]`.
fn score(export: &std::path::Path, survey: &std::path::Path, json: bool) -> std::process::Output {
    let (export, survey) = (export.to_str().unwrap(), survey.to_str().unwrap());
    let mut args = vec!["score", export, "--survey", survey];
    if json {
        args.push("--json");
    }
    canvass(&args)
}

fn scratch(name: &str, bytes: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join(name);
    std::fs::write(&p, bytes).unwrap();
    (dir, p)
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(canvass(&[]).status.code(), Some(2));
    assert_eq!(canvass(&["score"]).status.code(), Some(2));
    assert_eq!(
        canvass(&["inspect", "x.csv", "--bogus"]).status.code(),
        Some(2)
    );
}

#[test]
fn bad_input_exits_1_naming_the_file_and_place() {
    let o = canvass(&["inspect", "no/such/export.csv"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("no/such/export.csv"), "{}", stderr(&o));

    let cases: &[(&str, &[u8], &[&str])] = &[
        ("empty.csv", b"", &["is empty"]),
        ("junk.csv", b"\x00\x01\x02binary\xff", &["NUL bytes"]),
        (
            "truncated.xlsx",
            b"PK\x03\x04\x14\x00\x00\x00junk",
            &["cannot be opened as a workbook"],
        ),
        (
            "quote.csv",
            b"a,b\n1,\"unclosed\n2,3\n",
            &["never closed", "row"],
        ),
        (
            "ragged.csv",
            b"a,b\n1,2\n3,4,5\n",
            &["row 3", "column `#3`"],
        ),
        (
            "mixed.csv",
            b"q\ncaf\xC3\xA9\ncaf\xE9\n",
            &["mixes encodings", "line 2", "line 3"],
        ),
    ];
    let mut big_cell = b"id,comment\n1,".to_vec();
    big_cell.resize(big_cell.len() + (50 << 20), b'x');
    big_cell.extend(b"\n2,short\n");
    let cases: Vec<(&str, &[u8], &[&str])> = cases
        .iter()
        .copied()
        .chain([(
            "big-cell.csv",
            big_cell.as_slice(),
            &["50 MB", "row 2, column `comment`"][..],
        )])
        .collect();
    for (name, bytes, expected) in cases {
        let (_d, p) = scratch(name, bytes);
        let o = canvass(&["inspect", p.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(1), "{name}: {}", stderr(&o));
        let err = stderr(&o);
        assert!(err.contains(name), "{name}: {err}");
        for e in expected {
            assert!(err.contains(e), "{name}: `{e}` not in {err}");
        }
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[test]
fn pipeline_errors_name_the_config_key() {
    let dir = tempfile::tempdir().unwrap();
    let p = example_pipeline(dir.path());
    let text = std::fs::read_to_string(&p).unwrap();
    for (from, to, expected) in [
        (
            "suppress_below = 10",
            "suppress_below = 2",
            "config key `suppress_below`",
        ),
        ("wave-2.csv", "wave-9.csv", "config key `waves[1].export`"),
        ("quotes = 3", "quotse = 3", "quotse"),
        (
            "adjustment = \"holm\"",
            "adjustment = \"bonferroni\"",
            "bonferroni",
        ),
    ] {
        assert!(text.contains(from), "the example pipeline has `{from}`");
        std::fs::write(&p, text.replace(from, to)).unwrap();
        let o = canvass(&["run", p.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(1), "{to}");
        assert!(stderr(&o).contains(expected), "{to}: {}", stderr(&o));
    }
}

#[test]
fn inspect_json_keys() {
    let o = canvass(&["inspect", &wave1(), "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["format"], "qualtrics");
    assert_eq!(v["encoding"], "utf-8");
    // 75 lines − 3 header rows.
    assert_eq!(v["rows"], 72);
    let cols = v["columns"].as_array().unwrap();
    let kind = |name: &str| {
        cols.iter().find(|c| c["name"] == name).unwrap()["kind"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(kind("RecipientEmail"), "identifier");
    assert_eq!(kind("Status"), "metadata");
    assert_eq!(kind("Q1_1"), "likert");
    assert_eq!(kind("Q4"), "free-text");
    assert_eq!(kind("Region"), "single-choice");
    let q = cols.iter().find(|c| c["name"] == "Q1_1").unwrap();
    assert_eq!(
        q["question"],
        "To what extent do you agree? - The initial phase was professionally supported"
    );
}

#[test]
fn score_json_keys_and_ad_hoc_reverse_keyed_scale() {
    let o = canvass(&["score", &wave1(), "--survey", &survey(), "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let item = &v["items"][0];
    for key in [
        "id",
        "n",
        "missing",
        "pct_agree",
        "ci_low",
        "ci_high",
        "mean",
        "sd",
        "median",
        "counts",
    ] {
        assert!(!item[key].is_null(), "items[].{key} missing");
    }
    assert_eq!(item["id"], "supported");
    assert_eq!(item["counts"]["Strongly agree"], 38);
    let scale = &v["scales"][0];
    for key in [
        "name",
        "n",
        "alpha",
        "alpha_std",
        "alpha_ci_low",
        "alpha_ci_high",
        "items",
    ] {
        assert!(!scale[key].is_null(), "scales[].{key} missing");
    }
    // The same scale ad hoc, by column names, without a survey file: the survey's respondent key
    // is unknown, so the duplicate submission stays in (67 respondents); alpha changes with it.
    let o = canvass(&[
        "score",
        &wave1(),
        "--scale",
        "lead=Q2_1,Q2_2,Q2_3-,Q2_4",
        "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["respondents"], 67);
    let s = &v["scales"][0];
    assert_eq!(s["name"], "lead");
    assert_eq!(s["items"][2]["reversed"], true);
    assert!(s["alpha"].as_f64().unwrap() > 0.7);
}

#[test]
fn unrecognised_answers_stop_the_run_with_item_label_and_count() {
    let text = "ResponseId,Q1\nR_1,Agree\nR_2,Maybe\nR_3,Maybe\nR_4,Strongly agree\n";
    let (dir, export) = scratch("e.csv", text.as_bytes());
    let survey = dir.path().join("s.toml");
    let def = "title='t'\n[[response_scales]]\nname='a'\nlabels=['Strongly disagree','Disagree','Agree','Strongly agree']\n[[items]]\nid='q1'\ncolumn='Q1'\ntext='Q'\nscale='a'\n";
    std::fs::write(&survey, def).unwrap();
    let o = score(&export, &survey, false);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("item `q1`: `Maybe` × 2 (first at row 3)"),
        "{err}"
    );
    assert!(err.contains("unknown_as_missing"), "{err}");
    // Told to, it counts them as missing and says so.
    std::fs::write(
        &survey,
        def.replace("[[items]]", "unknown_as_missing=true\n[[items]]"),
    )
    .unwrap();
    let o = score(&export, &survey, true);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["items"][0]["n"], 2);
    assert_eq!(v["items"][0]["unrecognised"], 2);
    assert_eq!(v["unrecognised"][0]["label"], "Maybe");
}

#[test]
fn themes_command_writes_assignments() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("a.csv");
    let o = canvass(&[
        "themes",
        &wave1(),
        "--text",
        "Q4",
        "--k",
        "6",
        "--assignments",
        out.to_str().unwrap(),
        "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["k"], 6);
    let (h, rows) = read_csv(&out);
    assert_eq!(&h[..3], ["id", "theme", "label"]);
    // 72 rows − 2 previews − 3 unfinished = 67; 58 of them have a comment. Without the survey
    // file there is no respondent key, so the duplicate submission's comment is among them.
    assert_eq!(rows.len(), 58);
    assert!(rows.iter().all(|r| r[0].starts_with("row ")));
    let o = canvass(&["themes", &wave1(), "--text", "Q4", "--k", "one"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("--k"));
}

#[test]
fn init_drafts_a_survey_that_loads() {
    let o = canvass(&["init", &wave1(), "--title", "Draft"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let (dir, _) = scratch("x", b"");
    let p = dir.path().join("survey.toml");
    std::fs::write(&p, o.stdout).unwrap();
    let s = canvass::config::Survey::load(&p).unwrap();
    assert_eq!(s.items.len(), 12);
    assert_eq!(s.response_scales[0].name, "agree5");
    assert!(s.segments.iter().any(|g| g.name == "Region"));
    assert_eq!(s.text[0].column.as_deref(), Some("Q4"));
}

#[test]
fn weighted_scores_agree_with_svymean() {
    // R, tests/reference/weighted.R on tests/fixtures/weighted/export.csv:
    //   svymean(~x) = 3.5494561523; svymean(~I(x >= 4)) = 61.3358259687 %;
    //   Kish n = 44.4082306976; Wilson at that n (by hand) = 46.6628936454 to 74.2037266290.
    let export = repo().join("tests/fixtures/weighted/export.csv");
    let survey = repo().join("tests/fixtures/weighted/survey.toml");
    let o = score(&export, &survey, true);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let it = &v["items"][0];
    let f = |k: &str| it[k].as_f64().unwrap();
    assert_eq!(it["n"], 56);
    assert!((f("mean") - 3.549_456_152_3).abs() < 1e-8);
    assert!((f("pct_agree") - 61.335_825_968_7).abs() < 1e-8);
    assert!((f("n_effective") - 44.408_230_697_6).abs() < 1e-8);
    assert!((f("ci_low") - 46.662_893_645_4).abs() < 1e-6);
    assert!((f("ci_high") - 74.203_726_629_0).abs() < 1e-6);
    // A bad weight stops the run and names the row.
    let (_d, bad) = scratch("w.csv", b"id,wt,q1\n1,1.5,Agree\n2,heavy,Agree\n");
    let o = score(&bad, &survey, false);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("row 3, column `wt`"), "{}", stderr(&o));
}

#[test]
fn matrix_question_expands_to_items_and_a_scale() {
    // A three-row grid question Q3_1..Q3_3 on a 1–3 scale. Hand calculation for Q3_2
    // (answers 3, 2, 3, 1): n = 4, agree (top box, 3) = 2 of 4 = 50 %, mean = 9 / 4 = 2.25.
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("grid.csv");
    std::fs::write(
        &export,
        "id,Q3_1,Q3_2,Q3_3\nr1,3,3,2\nr2,2,2,2\nr3,3,3,3\nr4,1,1,2\n",
    )
    .unwrap();
    let survey = dir.path().join("survey.toml");
    std::fs::write(
        &survey,
        r#"title = "grid"
[[response_scales]]
name = "three"
labels = ["1", "2", "3"]
codes = [1, 2, 3]
agree_top = 1
[[items]]
id = "veg"
columns = "Q3_*"
text = "Vegetable"
scale = "three"
[[scales]]
name = "vegetables"
items = ["veg"]
"#,
    )
    .unwrap();
    let o = score(&export, &survey, true);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let ids: Vec<&str> = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["veg_1", "veg_2", "veg_3"]);
    let q2 = &v["items"][1];
    assert_eq!(
        (q2["n"].as_u64(), q2["pct_agree"].as_f64()),
        (Some(4), Some(50.0))
    );
    assert_eq!(q2["mean"].as_f64(), Some(2.25));
    let scale = &v["scales"][0];
    assert_eq!(scale["name"], "vegetables");
    assert_eq!(scale["items"].as_array().unwrap().len(), 3);
}

/// SurveyMonkey's workbook export names each matrix row by its whole question; `inspect` cuts
/// names to fit, so it shows the row's own words (the end of the name) beside the cut name,
/// or eight rows would read alike.
#[test]
fn inspect_tells_matrix_rows_named_by_their_whole_question_apart() {
    let export =
        repo().join("tests/fixtures/exports/surveymonkey/blackstone_fake_sm_post_excel.xlsx");
    let out = canvass(&["inspect", export.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let shown = String::from_utf8_lossy(&out.stdout);
    for row in ["Identify a scientific problem", "ckground literature"] {
        assert!(shown.contains(row), "`{row}` not shown:\n{shown}");
    }
}

/// A command line's words as a shell splits them: at spaces, except inside double quotes.
fn shell_words(command: &str) -> Vec<String> {
    let (mut words, mut word, mut quoted) = (Vec::new(), String::new(), false);
    for c in command.chars() {
        match c {
            '"' => quoted = !quoted,
            c if c.is_whitespace() && !quoted => {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
            }
            c => word.push(c),
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// The README's "Your own survey in five steps", followed literally on an export saved as
/// `export.csv` (the example's wave 1; wave 2 as `export-2.csv`): every `canvass` command of the
/// steps in order, step 5's `[[waves]]` block appended to the pipeline as written, step 4 again,
/// then the quick looks. `agree` needs two codings and is tested in tests/it/agree.rs.
#[test]
fn init_out_writes_a_project_that_runs_unedited() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let section = &readme[readme.find("## Your own survey").unwrap()..];
    let section = &section[..section[3..].find("\n## ").unwrap() + 3];
    let steps: Vec<&str> = section
        .lines()
        .filter_map(|l| l.split_once(". `canvass "))
        .filter(|(n, _)| n.trim().parse::<u32>().is_ok())
        .map(|(_, rest)| rest.split('`').next().unwrap())
        .collect();
    let toml = &section[section.find("```toml\n").unwrap() + 8..];
    let toml: String = toml[..toml.find("```").unwrap()]
        .lines()
        .map(|l| l.trim_start().to_string() + "\n")
        .collect();
    let looks = &section[section.find("```sh\n").unwrap() + 6..];
    let looks = &looks[..looks.find("```").unwrap()];
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(wave1(), dir.path().join("export.csv")).unwrap();
    let wave2 = repo().join("surveys/aspire-pilot/exports/wave-2.csv");
    std::fs::copy(wave2, dir.path().join("export-2.csv")).unwrap();
    let run = |command: &str| {
        let words = shell_words(command);
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_canvass"))
            .args(&words)
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert!(o.status.success(), "`canvass {command}`: {}", stderr(&o));
    };
    for step in &steps {
        run(step);
    }
    assert_eq!(steps.len(), 3, "steps 1, 2 and 4 are commands: {steps:?}");
    let pipeline_path = dir.path().join("pipelines/my-survey.toml");
    let pipeline = std::fs::read_to_string(&pipeline_path).unwrap();
    assert!(
        pipeline.contains("export = \"../export.csv\""),
        "{pipeline}"
    );
    std::fs::write(&pipeline_path, pipeline + "\n" + &toml).unwrap();
    // The secret the first run wrote beside the pipeline is kept out of git (docs/privacy.md).
    assert!(dir.path().join("pipelines/my-survey.secret").exists());
    let ignored = std::fs::read_to_string(dir.path().join("pipelines/.gitignore")).unwrap();
    assert!(ignored.lines().any(|l| l == "*.secret"), "{ignored}");
    run(steps[2]);
    let summary = dir.path().join("reports/my-survey/wave-2/summary.md");
    let summary = std::fs::read_to_string(summary).unwrap();
    assert!(
        summary.contains("## Change since wave-1"),
        "wave 2 compares with wave 1"
    );
    assert!(
        summary.contains("Staff survey 2026"),
        "step 2's title names the survey"
    );
    let mut ran = Vec::new();
    for line in looks.lines() {
        let command = line.split(" # ").next().unwrap().trim();
        let command = command.strip_prefix("canvass ").expect(line);
        if command.starts_with("agree") {
            continue;
        }
        run(command);
        ran.push(command.split_whitespace().next().unwrap());
    }
    assert_eq!(ran, ["score", "themes", "--help"]);
    // A second init does not overwrite the project.
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_canvass"))
        .args(["init", "export.csv", "--out", "surveys/my-survey"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("already exists"), "{}", stderr(&o));
}
