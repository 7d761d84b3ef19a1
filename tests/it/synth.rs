//! `canvass synth`: each layout's export is recognised as its tool's, scores with the survey it
//! was written for, marks what the tool marks, and is the same bytes for the same seed.

use crate::common::*;
use std::path::{Path, PathBuf};

const LAYOUTS: [&str; 4] = ["qualtrics", "surveymonkey", "google-forms", "generic"];

fn survey() -> String {
    repo()
        .join("surveys/aspire-pilot/survey.toml")
        .display()
        .to_string()
}

/// `canvass synth` of the example survey: the export's bytes and the summary line.
fn synth(layout: &str, n: usize, seed: u64, extra: &[&str]) -> (Vec<u8>, String) {
    let (n, seed, survey) = (n.to_string(), seed.to_string(), survey());
    let mut args = vec![
        "synth",
        "--survey",
        &survey,
        "--responses",
        &n,
        "--seed",
        &seed,
        "--layout",
        layout,
    ];
    args.extend_from_slice(extra);
    let o = canvass(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    let summary = stderr(&o);
    (o.stdout, summary)
}

/// A number in the summary line, by the words after it.
fn figure(summary: &str, what: &str) -> usize {
    let at = summary
        .find(what)
        .unwrap_or_else(|| panic!("{what} in {summary}"));
    summary[..at]
        .split(|c: char| !c.is_ascii_digit())
        .rfind(|s| !s.is_empty())
        .unwrap()
        .parse()
        .unwrap()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

#[test]
fn every_layout_is_its_tools_export_and_scores_with_the_survey() {
    let dir = tempfile::tempdir().unwrap();
    for layout in LAYOUTS {
        let (bytes, summary) = synth(layout, 500, 11, &[]);
        let export = write(dir.path(), &format!("{layout}.csv"), &bytes);
        let export = export.to_str().unwrap();

        let o = canvass(&["inspect", export, "--json"]);
        assert!(o.status.success(), "{}", stderr(&o));
        let inspected: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(inspected["format"], layout, "{layout}");
        assert_eq!(inspected["rows"], 500, "{layout}");

        let o = canvass(&["score", export, "--survey", &survey(), "--json"]);
        assert!(o.status.success(), "{layout}: {}", stderr(&o));
        let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        let kept = figure(&summary, "expected to be kept");
        assert_eq!(report["respondents"], kept, "{layout}: {summary}");
        let items = report["items"].as_array().unwrap();
        assert_eq!(items.len(), 12, "{layout}");
        for item in items {
            // Blanks and "Don't know" take a few per cent; unfinished answers a few more.
            let n = item["n"].as_u64().unwrap() as f64;
            assert!(
                n <= kept as f64 && n >= 0.9 * kept as f64,
                "{layout}: {} n = {n} of {kept}",
                item["id"]
            );
        }
        // The model gives the example's scales a plausible reliability.
        for scale in report["scales"].as_array().unwrap() {
            let alpha = scale["alpha"].as_f64().unwrap();
            assert!((0.6..0.95).contains(&alpha), "{layout}: alpha {alpha}");
        }
    }
}

#[test]
fn qualtrics_marks_previews_tests_unfinished_and_duplicates_as_qualtrics_does() {
    let dir = tempfile::tempdir().unwrap();
    let (bytes, summary) = synth("qualtrics", 500, 11, &[]);
    let text = String::from_utf8(bytes.clone()).unwrap();
    assert!(text.starts_with("\u{feff}StartDate,EndDate,Status,IPAddress,Progress,Duration (in seconds),Finished,RecordedDate,ResponseId,RecipientLastName,RecipientFirstName,RecipientEmail,ExternalReference,LocationLatitude,LocationLongitude,DistributionChannel,UserLanguage,Q1_1,"));
    assert!(text.contains("{\"\"ImportId\"\":\"\"QID4_TEXT\"\"}"));
    // Answers are the options' labels, and names and addresses are plainly made up.
    assert!(text.contains(",Strongly agree,") && text.contains(",Neither agree nor disagree,"));
    assert!(text.contains("respondent1@example.org"));
    let export = write(dir.path(), "q.csv", &bytes);
    let o = canvass(&["score", export.to_str().unwrap(), "--survey", &survey()]);
    let out = stdout(&o);
    for (reason, word) in [
        ("preview", "previews"),
        ("test", "tests"),
        ("unfinished", "unfinished"),
        ("duplicate", "duplicates"),
    ] {
        let expected = figure(&summary, word);
        assert!(expected > 0, "{summary}");
        assert!(
            out.contains(&format!("excluded {expected} {reason}\n")),
            "{reason}: {summary}\n{out}"
        );
    }
}

#[test]
fn same_seed_same_bytes_and_another_seed_other_bytes() {
    for layout in LAYOUTS {
        let (a, _) = synth(layout, 300, 5, &[]);
        let (b, _) = synth(layout, 300, 5, &[]);
        let (c, _) = synth(layout, 300, 6, &[]);
        assert!(a == b, "{layout}: same seed, different bytes");
        assert!(a != c, "{layout}: another seed, same bytes");
    }
}

#[test]
fn the_share_of_comments_follows_text_share() {
    for (layout, share) in [("generic", "0.7"), ("google-forms", "0.3")] {
        let (bytes, _) = synth(layout, 500, 2, &["--text-share", share]);
        let mut reader = csv::ReaderBuilder::new().from_reader(bytes.as_slice());
        let at = reader
            .headers()
            .unwrap()
            .iter()
            .position(|h| h == "Q4")
            .unwrap();
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        let with = rows.iter().filter(|r| !r[at].trim().is_empty()).count();
        let got = 100.0 * with as f64 / rows.len() as f64;
        let wanted: f64 = 100.0 * share.parse::<f64>().unwrap();
        assert!(
            (got - wanted).abs() <= 5.0,
            "{layout}: {got}% for {wanted}%"
        );
        // Comments vary: many distinct texts, and the codebook's phrases among them.
        let distinct: std::collections::BTreeSet<&str> = rows.iter().map(|r| &r[at]).collect();
        assert!(distinct.len() > 50, "{}", distinct.len());
        assert!(rows
            .iter()
            .any(|r| r[at].to_lowercase().contains("workload")));
    }
}

#[test]
fn bad_surveys_and_options_are_refused_with_what_to_fix() {
    let o = canvass(&["synth", "--survey", &survey(), "--responses", "0"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("--responses"), "{}", stderr(&o));

    let dir = tempfile::tempdir().unwrap();
    let empty = write(dir.path(), "empty.toml", b"title = \"no items\"\n");
    let o = canvass(&[
        "synth",
        "--survey",
        empty.to_str().unwrap(),
        "--responses",
        "10",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(e.contains("empty.toml") && e.contains("items"), "{e}");

    let o = canvass(&[
        "synth",
        "--survey",
        &survey(),
        "--responses",
        "5",
        "--layout",
        "excel",
    ]);
    assert_eq!(o.status.code(), Some(2));
}

/// Choice, check-all, number and ranking questions are written as the survey defines them, and
/// from streams of their own: adding one leaves every other column's values as they were.
#[test]
fn further_questions_are_written_and_leave_the_other_columns_as_they_were() {
    let dir = tempfile::tempdir().unwrap();
    let base = std::fs::read_to_string(survey()).unwrap();
    let plain = write(dir.path(), "plain.toml", base.as_bytes());
    let more = format!(
        "{base}\n[[choices]]\nid = \"Q10\"\ntext = \"Resources used\"\nkind = \"multi-select\"\n\
         columns = [\"Q10_1\", \"Q10_2\"]\noptions = [\"Templates\", \"Videos\"]\n\n\
         [[rankings]]\nid = \"Q9\"\ntext = \"Rank these\"\ncolumns = [\"Q9_1\", \"Q9_2\", \"Q9_3\"]\n"
    );
    let more = write(dir.path(), "more.toml", more.as_bytes());
    let run = |survey: &Path| {
        let o = canvass(&[
            "synth",
            "--survey",
            survey.to_str().unwrap(),
            "--responses",
            "400",
            "--seed",
            "3",
            "--layout",
            "generic",
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        let mut reader = csv::ReaderBuilder::new().from_reader(o.stdout.as_slice());
        let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
        let rows: Vec<Vec<String>> = reader
            .records()
            .map(|r| r.unwrap().iter().map(String::from).collect())
            .collect();
        (header, rows)
    };
    let (h1, rows1) = run(&plain);
    let (h2, rows2) = run(&more);
    for (c, name) in h1.iter().enumerate() {
        let d = h2.iter().position(|x| x == name).unwrap();
        assert!(
            rows1.iter().zip(&rows2).all(|(a, b)| a[c] == b[d]),
            "{name} changed"
        );
    }
    let at = |name: &str| h2.iter().position(|x| x == name).unwrap();
    // The example's check-all question: its listed options joined by its separator (",").
    let sessions: Vec<&str> = rows2.iter().map(|r| r[at("Q5")].as_str()).collect();
    assert!(sessions.iter().any(|s| s.contains(",")));
    assert!(sessions
        .iter()
        .flat_map(|s| s.split(','))
        .filter(|o| !o.is_empty())
        .all(|o| [
            "Launch conference",
            "Data workshop",
            "Coaching sessions",
            "Leadership seminar",
            "Cluster network meeting",
            "Online module"
        ]
        .contains(&o)));
    // Hours: positive numbers; a ranking: the positions 1..3 once each, or all blank.
    assert!(rows2
        .iter()
        .map(|r| &r[at("Q6")])
        .filter(|v| !v.is_empty())
        .all(|v| v.parse::<f64>().is_ok_and(|x| x > 0.0)));
    for r in &rows2 {
        let mut ranks: Vec<&str> = ["Q9_1", "Q9_2", "Q9_3"]
            .iter()
            .map(|c| r[at(c)].as_str())
            .collect();
        ranks.sort();
        assert!(
            ranks == ["1", "2", "3"] || ranks == ["", "", ""],
            "{ranks:?}"
        );
        let ticked = r[at("Q10_1")].as_str();
        assert!(ticked.is_empty() || ticked == "Templates");
    }
    // The spread columns tick at a plausible rate, not never or always.
    let ticked = rows2.iter().filter(|r| !r[at("Q10_2")].is_empty()).count();
    assert!((20..380).contains(&ticked), "{ticked}");
}

/// A survey of choice questions only (what `init` drafts from an export without ratings) is
/// synthesised in every layout, unfinished responses included, and runs: `synth` once refused it
/// ("defines no items") and then overflowed cutting an unfinished response of no items.
#[test]
fn a_survey_without_rating_items_is_synthesised_in_every_layout_and_runs() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let survey = d.join("survey.toml");
    std::fs::write(
        &survey,
        "title = \"Roles\"\n\n[[segments]]\nname = \"Role\"\n\n[[choices]]\nid = \"role\"\n\
         text = \"Role\"\ncolumn = \"Role\"\n\n[[choices]]\nid = \"region\"\ntext = \"Region\"\n\
         column = \"Region\"\n",
    )
    .unwrap();
    for layout in ["qualtrics", "surveymonkey", "google-forms", "generic"] {
        let o = canvass(&[
            "synth",
            "--survey",
            survey.to_str().unwrap(),
            "--responses",
            "300",
            "--seed",
            "3",
            "--layout",
            layout,
        ]);
        assert!(o.status.success(), "{layout}: {}", stderr(&o));
        let export = d.join(format!("{layout}.csv"));
        std::fs::write(&export, &o.stdout).unwrap();
        let pipeline = d.join(format!("{layout}.toml"));
        std::fs::write(
            &pipeline,
            format!(
                "name = \"roles\"\nsurvey = \"survey.toml\"\noutput = \"out-{layout}\"\n\n\
                 [[waves]]\nname = \"wave-1\"\nexport = \"{layout}.csv\"\n"
            ),
        )
        .unwrap();
        let o = canvass(&["run", pipeline.to_str().unwrap(), "--quiet"]);
        assert!(o.status.success(), "{layout}: {}", stderr(&o));
        let (_, rows) = read_csv(&d.join(format!("out-{layout}/wave-1/choices.csv")));
        assert!(rows.len() >= 2, "{layout}: both questions tabled");
    }
}

#[test]
fn a_single_choice_spread_over_columns_is_synthesised_one_label_per_row_and_scores() {
    // A single choice spread over a column per option (as `init` drafts SurveyMonkey's
    // expanded download): each row fills exactly one of its columns, and the shares add up.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let survey = d.join("survey.toml");
    std::fs::write(
        &survey,
        "title = \"Spread\"\n\n[[choices]]\nid = \"gender\"\ntext = \"Gender\"\n\
         columns = [\"Gender - Male\", \"Gender - Female\"]\noptions = [\"Male\", \"Female\"]\n",
    )
    .unwrap();
    let s = survey.to_str().unwrap();
    let o = canvass(&[
        "synth",
        "--survey",
        s,
        "--responses",
        "200",
        "--layout",
        "generic",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let export = write(d, "export.csv", &o.stdout);
    let (header, rows) = read_csv(&export);
    let at: Vec<usize> = ["Gender - Male", "Gender - Female"]
        .iter()
        .map(|c| header.iter().position(|h| h == c).expect(c))
        .collect();
    for row in &rows {
        assert_eq!(row.len(), header.len());
        assert!(
            at.iter().filter(|&&i| !row[i].is_empty()).count() <= 1,
            "{row:?}"
        );
    }
    let o = canvass(&["score", export.to_str().unwrap(), "--survey", s, "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let score: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let pcts: f64 = score["choices"][0]["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["pct"].as_f64().unwrap())
        .sum();
    assert!((pcts - 100.0).abs() < 1e-6, "{pcts}");
}
