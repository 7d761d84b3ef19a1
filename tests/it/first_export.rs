//! A user's own export, the first time: every column gets the kind a person reading the file
//! would give it, identifying columns never reach an output, and the draft `init` writes runs
//! unedited.
//!
//! Expected kinds: tests/fixtures/expected-kinds.json, written by hand from the files
//! themselves (header rows, question texts, values, the tools' survey structure files and
//! SOURCES.md; its `how_judged` says how), never from canvass's output. The permissively
//! licensed exports are copied to tests/fixtures/exports; the GPL and unlicensed ones are read
//! from ../shared when it is there (skipped otherwise, and said so; under `CI` with ../shared
//! present every file must be found).

use crate::common::*;
use canvass::infer::{self, Kind};
use canvass::ingest::{read_export, ReadOptions};
use std::collections::BTreeMap;
use std::path::PathBuf;

struct Fixture {
    file: String,
    path: PathBuf,
    dictionary: Option<PathBuf>,
    kinds: BTreeMap<String, String>,
}

fn locate(relative: &str) -> Option<PathBuf> {
    [
        repo().join("tests/fixtures/exports"),
        repo().join("../shared/fixtures/exports"),
    ]
    .into_iter()
    .map(|d| d.join(relative))
    .find(|p| p.exists())
}

/// The fixtures present here, with their hand-labelled kinds.
fn fixtures() -> Vec<Fixture> {
    let text = std::fs::read_to_string(repo().join("tests/fixtures/expected-kinds.json")).unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut out = Vec::new();
    let mut missing = Vec::new();
    for (file, spec) in json["files"].as_object().unwrap() {
        let Some(path) = locate(file) else {
            missing.push(file.clone());
            continue;
        };
        let dictionary = spec["read_with"]["dictionary"]
            .as_str()
            .map(|d| locate(d).expect("the dictionary sits beside its export"));
        let kinds = spec["kinds"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
            .collect();
        out.push(Fixture {
            file: file.clone(),
            path,
            dictionary,
            kinds,
        });
    }
    if !missing.is_empty() {
        let shared = repo().join("../shared/fixtures/exports").exists();
        assert!(
            !(shared && std::env::var_os("CI").is_some()),
            "../shared is here but these fixtures are not: {missing:?}"
        );
        eprintln!("skipped (not in tests/fixtures, no ../shared): {missing:?}");
    }
    out
}

fn read(f: &Fixture) -> canvass::ingest::RawExport {
    read_export(&f.path, &ReadOptions::new(None, f.dictionary.clone()))
        .unwrap_or_else(|e| panic!("{}: {e}", f.file))
}

#[test]
fn column_kinds_agree_with_a_reader_and_every_identifier_is_caught() {
    let mut total = 0;
    let mut right = 0;
    let mut wrong = Vec::new();
    let mut identifiers_missed = Vec::new();
    for f in fixtures() {
        let got: BTreeMap<String, Kind> = infer::columns(&read(&f))
            .into_iter()
            .map(|c| (c.name, c.kind))
            .collect();
        for (column, expected) in &f.kinds {
            let kind = got
                .get(column)
                .unwrap_or_else(|| panic!("{}: no column `{column}`", f.file));
            total += 1;
            if kind.name() == expected {
                right += 1;
            } else {
                wrong.push(format!(
                    "{} `{column}`: {} not {expected}",
                    f.file,
                    kind.name()
                ));
                if expected == "identifier" {
                    identifiers_missed.push(format!("{} `{column}`", f.file));
                }
            }
        }
    }
    assert!(total > 300, "too few columns judged ({total})");
    let accuracy = right as f64 / total as f64;
    eprintln!(
        "column kinds: {right} of {total} ({:.1} %)",
        100.0 * accuracy
    );
    assert!(
        identifiers_missed.is_empty(),
        "identifiers missed: {identifiers_missed:#?}"
    );
    assert!(
        accuracy >= 0.95,
        "accuracy {accuracy:.3}; wrong: {wrong:#?}"
    );
}

/// The values of a fixture's identifying columns that could be recognised in an output: not
/// blank, not tiny numbers and not words any report uses.
fn identifying_values(f: &Fixture) -> Vec<String> {
    let raw = read(f);
    let columns: Vec<usize> = raw
        .columns
        .iter()
        .enumerate()
        .filter(|(_, c)| f.kinds.get(&c.name).map(String::as_str) == Some("identifier"))
        .map(|(i, _)| i)
        .collect();
    let mut values: Vec<String> = raw
        .rows
        .iter()
        .flat_map(|r| columns.iter().map(|&i| r.cells[i].trim().to_string()))
        .filter(|v| v.chars().count() >= 4 && v.chars().any(|c| c.is_alphanumeric()))
        .filter(|v| !(v.len() <= 4 && v.parse::<f64>().is_ok()))
        .filter(|v| !["true", "false", "anonymous", "(web)"].contains(&v.to_lowercase().as_str()))
        .collect();
    values.sort();
    values.dedup();
    values
}

/// Writes `init`'s draft and a one-wave pipeline for a fixture into `dir`, and runs it.
fn init_and_run(f: &Fixture, dir: &std::path::Path) -> std::process::Output {
    let export = f.path.to_str().unwrap();
    let mut args = vec!["init", export];
    let dictionary = f.dictionary.as_ref().map(|d| d.display().to_string());
    if let Some(d) = &dictionary {
        args.extend(["--dictionary", d.as_str()]);
    }
    let init = canvass(&args);
    assert_eq!(init.status.code(), Some(0), "{}: {}", f.file, stderr(&init));
    std::fs::write(dir.join("survey.toml"), &init.stdout).unwrap();
    let quoted = |p: &str| toml::Value::String(p.to_string()).to_string();
    let mut pipeline = format!(
        "name = \"first\"\nsurvey = \"survey.toml\"\noutput = \"out\"\n\n[[waves]]\nname = \"wave-1\"\nexport = {}\n",
        quoted(export)
    );
    if let Some(d) = &dictionary {
        pipeline.push_str(&format!("dictionary = {}\n", quoted(d)));
    }
    std::fs::write(dir.join("pipeline.toml"), pipeline).unwrap();
    let run = |extra: &[&str]| {
        let pipeline = dir.join("pipeline.toml");
        let mut args = vec!["run", pipeline.to_str().unwrap(), "--quiet"];
        args.extend(extra);
        canvass(&args)
    };
    let draft = String::from_utf8_lossy(&init.stdout).into_owned();
    // A pilot's export, all tool-marked tests: the draft never keeps them (the user must), so
    // the run stops with the counts and the setting; kept on purpose, it runs.
    if draft.contains("# keep_test_responses = true") {
        assert!(!draft.contains("\nkeep_test_responses"), "{}", f.file);
        let stopped = run(&[]);
        assert_eq!(stopped.status.code(), Some(1), "{}", f.file);
        let err = stderr(&stopped);
        assert!(
            err.contains("responses were excluded") && err.contains("keep_test_responses = true"),
            "{}: {err}",
            f.file
        );
        // Kept as the draft's note says: its two lines uncommented.
        assert!(
            draft.contains("the two lines `[clean]` and `keep_test_responses = true`"),
            "{}",
            f.file
        );
        let kept = draft.replace(
            "\n# [clean]\n# keep_test_responses = true\n",
            "\n[clean]\nkeep_test_responses = true\n",
        );
        assert_ne!(kept, draft, "{}", f.file);
        std::fs::write(dir.join("survey.toml"), kept).unwrap();
        return run(&[]);
    }
    run(&[])
}

#[test]
fn init_drafts_run_unedited_and_no_identifying_value_reaches_any_output() {
    let (mut checked, mut searched, mut tests_kept, mut hashed) = (0, 0, 0, 0);
    for f in fixtures() {
        let dir = tempfile::tempdir().unwrap();
        let run = init_and_run(&f, dir.path());
        assert_eq!(run.status.code(), Some(0), "{}: {}", f.file, stderr(&run));
        // Unpacked: the Word report and the workbook are zip archives.
        let outputs = output_texts(&dir.path().join("out"));
        let summary = outputs
            .iter()
            .find(|(p, _)| p.ends_with("summary.md"))
            .map(|(_, t)| t.clone())
            .unwrap_or_else(|| panic!("{}: no summary.md", f.file));
        for untrue in ["– per cent", "among .", " 1 themes", " 1 groups"] {
            assert!(
                !summary.contains(untrue),
                "{}: summary says `{untrue}`",
                f.file
            );
        }
        let mut written =
            String::from_utf8_lossy(&std::fs::read(dir.path().join("survey.toml")).unwrap())
                .into_owned();
        // A pilot's export, all tool-marked tests, kept on purpose (`init_and_run`): the
        // summary says they were kept.
        if written.contains("\nkeep_test_responses = true") {
            assert!(summary.contains("kept on purpose"), "{}", f.file);
            tests_kept += 1;
        }
        for (_, text) in &outputs {
            written.push_str(text);
        }
        // No id is a plain hash of a key value (a response id, an e-mail, a row number).
        let keys = key_values(&f.path, f.dictionary.as_deref());
        hashed += keys.len();
        assert_no_plain_hash(&keys, &outputs);
        let values = identifying_values(&f);
        searched += values.len();
        for value in values {
            assert!(
                !written.contains(&value),
                "{}: an identifying value `{value}` reached an output",
                f.file
            );
        }
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} fixtures ran");
    // QualtricsTools' exports are all Qualtrics test responses (Status 2).
    assert!(
        tests_kept >= 1,
        "no test-only export was drafted with the setting to keep its tests"
    );
    // Not a search for nothing: the copied fixtures alone hold dozens of identifying values
    // (ids, IPs, e-mails, coordinates).
    assert!(
        searched >= 40,
        "only {searched} identifying values searched for"
    );
    assert!(hashed >= 100, "only {hashed} key values hashed");
}

#[test]
fn drafts_use_the_datas_labels_a_few_reportable_segments_and_appendable_blocks() {
    // N2 (SOURCES.md): 12 responses, hundreds of single-choice columns; its satisfaction
    // matrix C1 writes the middle option "Neither/nor" and leaves some options unused by some
    // rows; "Does not apply" and "I don’t want to answer this question" are not opinions.
    let Some(path) = locate("limesurvey/N2_dummy_data_codeandtext.csv") else {
        return;
    };
    let raw = read_export(&path, &ReadOptions::default()).unwrap();
    let draft = infer::draft::draft(&raw, "N2");
    let survey = &draft.survey;
    // With 12 respondents no grouping has groups of 10: no segment at all; every single-choice
    // question is still reported, as a choice question.
    assert!(survey.segments.is_empty(), "{:?}", survey.segments);
    assert!(!draft.left_out.iter().any(|l| l.kind == Kind::SingleChoice));
    assert!(survey
        .choices
        .iter()
        .any(|c| c.kind == canvass::config::ChoiceKind::SingleChoice));
    let c1 = survey
        .items
        .iter()
        .filter(|i| i.column().starts_with("C1[SQ"))
        .collect::<Vec<_>>();
    assert!(
        c1.len() >= 20,
        "every row of the matrix is an item ({})",
        c1.len()
    );
    let scale = survey.response_scale(&c1[0].scale).unwrap();
    assert_eq!(
        scale.labels,
        [
            "Very dissatisfied",
            "Dissatisfied",
            "Neither/nor",
            "Satisfied",
            "Very satisfied"
        ]
    );
    assert!(
        c1.iter().all(|i| i.scale == c1[0].scale),
        "one scale for the matrix"
    );
    assert!(scale.non_substantive.iter().any(|n| n == "Does not apply"));
    assert!(c1[0]
        .statement
        .as_deref()
        .unwrap()
        .starts_with("“Satisfied” or “Very satisfied” to"));
    assert!(survey.items.iter().all(|i| i.id.len() <= 16), "short ids");

    // The draft as written parses back, and a block appended to it is accepted.
    let toml =
        canvass::commands::init::render(&draft, "N2.csv", "limesurvey", raw.rows.len()).unwrap();
    assert!(
        !toml.contains("segments = []"),
        "arrays of tables in [[…]] form"
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("survey.toml");
    std::fs::write(&file, format!("{toml}\n[[segments]]\nname = \"A2\"\n")).unwrap();
    let back = canvass::config::Survey::load(&file).unwrap();
    assert_eq!(back.segments.len(), 1);
    assert_eq!(back.items.len(), survey.items.len());
}

#[test]
fn a_survey_that_names_an_identifying_column_is_refused_unless_it_says_it_knows() {
    // A Google Forms layout whose second question asks for a name (as in SOURCES.md's
    // "Tell me your name!"), with an e-mail column under an innocent heading.
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("form.csv");
    std::fs::write(
        &export,
        "Timestamp,Tell me your name!,Contact,The course was useful\n\
         2024/01/02 10:00:00 am GMT,Ann Lee,ann@example.org,Agree\n\
         2024/01/02 10:05:00 am GMT,Bo Chan,bo@example.org,Strongly agree\n\
         2024/01/02 10:09:00 am GMT,Cy Diaz,cy@example.org,Disagree\n",
    )
    .unwrap();
    let survey = |extra: &str| {
        let path = dir.path().join("survey.toml");
        std::fs::write(
            &path,
            format!(
                "title = \"t\"\n[[response_scales]]\nname = \"agree5\"\nlabels = [\"Strongly disagree\", \"Disagree\", \"Neither agree nor disagree\", \"Agree\", \"Strongly agree\"]\n\
                 [[items]]\nid = \"useful\"\ncolumn = \"The course was useful\"\ntext = \"The course was useful\"\nscale = \"agree5\"\n{extra}"
            ),
        )
        .unwrap();
        path.display().to_string()
    };
    let export = export.display().to_string();
    for (extra, key, why) in [
        (
            "[[segments]]\nname = \"Tell me your name!\"\n",
            "segments[0]",
            "asks for a name",
        ),
        (
            "[[segments]]\nname = \"Contact\"\n",
            "segments[0]",
            "answers are e-mail addresses",
        ),
        (
            "[[text]]\nid = \"who\"\ncolumn = \"Tell me your name!\"\ntext = \"Name\"\n",
            "text[0]",
            "asks for a name",
        ),
    ] {
        let o = canvass(&["score", &export, "--survey", &survey(extra)]);
        assert_eq!(o.status.code(), Some(1), "{extra}");
        let e = stderr(&o);
        assert!(
            e.contains(key) && e.contains(why) && e.contains("allow_identifying"),
            "{e}"
        );
    }
    let allowed = survey("[[segments]]\nname = \"Tell me your name!\"\nallow_identifying = true\n");
    let o = canvass(&["score", &export, "--survey", &allowed, "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // Without the override the inferred survey never groups by the name.
    let o = canvass(&["score", &export, "--json", "--suppress-below", "3"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stdout(&o).contains("Ann Lee") && !stdout(&o).contains("example.org"));
}

#[test]
fn nominal_codes_are_not_scored_as_an_agreement_scale() {
    // SOURCES.md: SurveyCTO's select_one `animal` is a numeric code (1..4, labels only in the
    // form definition). Before, `canvass score` reported "animal … 28.6 % agree, mean 3.71":
    // now its codes' distribution, with no agreement and no mean.
    let path = locate("surveycto/stata-scto_sctomedia_testdata_2_WIDE.csv").unwrap();
    let o = canvass(&["score", path.to_str().unwrap(), "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let scored: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        scored["items"].as_array().map(Vec::len),
        Some(0),
        "{scored}"
    );
    assert!(scored.get("numbers").is_none(), "{scored}");
    assert_eq!(scored["choices"][0]["id"], "animal", "{scored}");
    let o = canvass(&["inspect", path.to_str().unwrap(), "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let animal = json["columns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "animal")
        .unwrap();
    assert_eq!(animal["kind"], "numeric");
    assert!(animal["reason"]
        .as_str()
        .unwrap()
        .contains("nothing says they are a rating"));
}

/// LimeSurvey's N2 export has fourteen columns of typed answers (counted with Python's csv
/// module: A14, E2, F5a2 and L1 have two different answers each, the text boxes B12 … D6 only
/// "test data", A5[other] and B6b[other] one "other" answer each). The draft lists every one,
/// those with the most different answers first (of equals, in the export's order, "other"
/// boxes last), and the run themes each: comments.csv and themes.csv name each row's question
/// and column, and the summary has a section per question. The rules alone took the ten text
/// boxes answered "test data" for choices; the learned kind model reads them as the text
/// boxes they are (the labels of tests/fixtures/expected-kinds.json say so too).
#[test]
fn every_open_question_is_drafted_and_themed() {
    let export = repo().join("tests/fixtures/exports/limesurvey/N2_dummy_data_codeonly.csv");
    let init = canvass(&["init", export.to_str().unwrap()]);
    assert_eq!(init.status.code(), Some(0), "{}", stderr(&init));
    let draft = String::from_utf8(init.stdout).unwrap();
    let survey: toml::Value = toml::from_str(&draft).unwrap();
    let columns: Vec<&str> = survey["text"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["column"].as_str().unwrap())
        .collect();
    let typed = [
        "A14",
        "E2",
        "F5a2",
        "L1",
        "B12",
        "C6b",
        "C11",
        "E9",
        "H10",
        "I7",
        "F6",
        "D6",
        "A5[other]",
        "B6b[other]",
    ];
    assert_eq!(columns, typed, "{draft}");

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("survey.toml"), &draft).unwrap();
    let quoted = toml::Value::String(export.display().to_string()).to_string();
    std::fs::write(
        dir.path().join("pipeline.toml"),
        format!("name = \"n2\"\nsurvey = \"survey.toml\"\noutput = \"out\"\n[[waves]]\nname = \"w1\"\nexport = {quoted}\n"),
    )
    .unwrap();
    let run = canvass(&[
        "run",
        dir.path().join("pipeline.toml").to_str().unwrap(),
        "--quiet",
    ]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    assert!(!stderr(&run).contains("not analysed"), "{}", stderr(&run));
    let wave = dir.path().join("out/w1");
    let (header, rows) = read_csv(&wave.join("comments.csv"));
    let column = header.iter().position(|h| h == "column").unwrap();
    let mut themed: Vec<&str> = rows.iter().map(|r| r[column].as_str()).collect();
    themed.dedup();
    assert_eq!(themed, typed);
    let (header, _) = read_csv(&wave.join("themes.csv"));
    assert_eq!(header[header.len() - 2..], ["question", "column"]);
    let summary = std::fs::read_to_string(wave.join("summary.md")).unwrap();
    assert_eq!(
        summary.matches("## What respondents said").count(),
        typed.len(),
        "{summary}"
    );
}
