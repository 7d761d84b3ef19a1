//! Error messages for the mistakes people make most: each names the real cause, where it is
//! (file, row, column, config key or option) and what to do instead.

use crate::common::*;
use std::path::{Path, PathBuf};

fn wave1() -> String {
    repo()
        .join("surveys/aspire-pilot/exports/wave-1.csv")
        .display()
        .to_string()
}

fn fixture(path: &str) -> String {
    repo()
        .join("tests/fixtures/exports")
        .join(path)
        .display()
        .to_string()
}

fn scratch(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

/// Runs canvass, expects exit code `code`, and returns its standard error.
fn fails(args: &[&str], code: i32) -> String {
    let o = canvass(args);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(code), "{args:?}: {err}");
    assert!(!err.contains("panicked"), "{err}");
    err
}

fn assert_says(err: &str, expected: &[&str]) {
    for e in expected {
        assert!(err.contains(e), "`{e}` not in:\n{err}");
    }
}

#[test]
fn options_are_named_as_options_not_as_files() {
    let err = fails(&["score", &wave1(), "--confidence", "2"], 1);
    assert_says(&err, &["option --confidence: must be between 0.5 and 1"]);
    let err = fails(&["score", &wave1(), "--suppress-below", "2"], 1);
    assert_says(&err, &["option --suppress-below: must be at least 3"]);
    let err = fails(&["themes", &wave1(), "--text", "Q4", "--k", "one"], 1);
    assert_says(&err, &["option --k: `one` is not a number of themes"]);
}

/// (1) Excel's "Unicode text" without its byte-order mark (as `iconv -t UTF-16LE` writes it) is
/// read as UTF-16, not refused as binary.
#[test]
fn utf16_without_a_byte_order_mark_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(wave1()).unwrap();
    let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
    for (name, bytes, encoding) in [("le.csv", le, "utf-16le"), ("be.txt", be, "utf-16be")] {
        let p = scratch(dir.path(), name, &bytes);
        let o = canvass(&["inspect", p.to_str().unwrap(), "--json"]);
        assert!(o.status.success(), "{name}: {}", stderr(&o));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(v["encoding"], encoding);
        assert_eq!(v["format"], "qualtrics");
        assert_eq!(v["rows"], 72);
    }
}

/// (2) Random bytes are not "a file mixing encodings": they are not text at all.
#[test]
fn random_bytes_are_not_a_text_export() {
    let dir = tempfile::tempdir().unwrap();
    // A fixed pseudo-random sequence (xorshift), with and without NUL bytes.
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let random: Vec<u8> = (0..4000)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect();
    let no_nul: Vec<u8> = random.iter().copied().filter(|&b| b != 0).collect();
    for (name, bytes) in [("random.csv", random), ("random-no-nul.csv", no_nul)] {
        let p = scratch(dir.path(), name, &bytes);
        let err = fails(&["inspect", p.to_str().unwrap()], 1);
        assert_says(
            &err,
            &[
                name,
                "is not a text export",
                "binary",
                "expected CSV or TSV text in UTF-8, UTF-16 or Windows-1252",
            ],
        );
        assert!(!err.contains("mixes encodings"), "{err}");
    }
}

fn example_survey() -> String {
    std::fs::read_to_string(repo().join("surveys/aspire-pilot/survey.toml")).unwrap()
}

/// (3) An export given where a pipeline or a survey definition belongs.
#[test]
fn an_export_given_as_a_pipeline_or_survey_is_named_as_such() {
    let err = fails(&["run", &wave1()], 1);
    assert_says(
        &err,
        &[
            "looks like a survey export",
            "not a pipeline file",
            "pipelines/aspire-pilot.toml",
            "canvass inspect",
            "canvass init",
        ],
    );
    assert!(!err.contains("line 1"), "{err}");
    // Whatever its name.
    let dir = tempfile::tempdir().unwrap();
    let renamed = scratch(
        dir.path(),
        "pipeline.toml",
        &std::fs::read(wave1()).unwrap(),
    );
    let err = fails(&["run", renamed.to_str().unwrap()], 1);
    assert_says(&err, &["looks like a survey export", "not a pipeline file"]);
    let err = fails(&["score", &wave1(), "--survey", &wave1()], 1);
    assert_says(&err, &["not a survey definition", "canvass init"]);
}

/// (4) A misspelt key is named by its path, with its line and the key it probably meant.
#[test]
fn a_misspelt_key_is_named_by_its_path_with_a_suggestion() {
    let dir = tempfile::tempdir().unwrap();
    // The second item's `statement`, on line 48 of the example survey.
    let text = example_survey();
    let second = text.match_indices("statement =").nth(1).unwrap().0;
    let typo = format!("{}statment{}", &text[..second], &text[second + 9..]);
    let survey = scratch(dir.path(), "survey.toml", typo.as_bytes());
    let err = fails(
        &["score", &wave1(), "--survey", survey.to_str().unwrap()],
        1,
    );
    assert_says(
        &err,
        &[
            "config key `items[1].statment` (line 48)",
            "did you mean `statement`?",
            "text, statement, scale",
        ],
    );
    let clean = text.replace("[clean]\n", "[clean]\nkeep_tests = true\n");
    let survey = scratch(dir.path(), "survey.toml", clean.as_bytes());
    let err = fails(
        &["score", &wave1(), "--survey", survey.to_str().unwrap()],
        1,
    );
    assert_says(
        &err,
        &["config key `clean.keep_tests` (line 18)", "min_progress"],
    );
    // And in a pipeline.
    let p = example_pipeline(dir.path());
    let text = std::fs::read_to_string(&p).unwrap();
    std::fs::write(&p, text.replace("quotes = 3", "qoutes = 3")).unwrap();
    let err = fails(&["run", p.to_str().unwrap()], 1);
    assert_says(
        &err,
        &[
            "config key `themes.qoutes` (line 20)",
            "did you mean `quotes`?",
        ],
    );
}

/// A key written at the end of the file belongs to the table above it: the hint says so and
/// names the header a key of another table needs (a newcomer uncommented only
/// `keep_test_responses` and was told only the keys of the last question).
#[test]
fn a_key_under_the_wrong_header_is_told_which_header_decides() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!("{}\nkeep_test_responses = true\n", example_survey());
    let survey = scratch(dir.path(), "survey.toml", text.as_bytes());
    let err = fails(
        &["score", &wave1(), "--survey", survey.to_str().unwrap()],
        1,
    );
    assert_says(
        &err,
        &[
            "unknown key `keep_test_responses`",
            "a key belongs to the last `[…]` or `[[…]]` header above it",
            "needs that table's header line above it",
        ],
    );
}

/// A `templates` folder missing one of its two files says which and where to copy it from.
#[test]
fn a_templates_folder_missing_a_file_says_which_to_copy() {
    let dir = tempfile::tempdir().unwrap();
    let p = example_pipeline(dir.path());
    let templates = dir.path().join("templates");
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::copy(
        repo().join("reports/templates/summary.md.j2"),
        templates.join("summary.md.j2"),
    )
    .unwrap();
    let text = std::fs::read_to_string(&p).unwrap();
    let with = format!("templates = {:?}\n{text}", templates.to_str().unwrap());
    std::fs::write(&p, with).unwrap();
    let err = fails(&["run", p.to_str().unwrap()], 1);
    assert_says(
        &err,
        &[
            "config key `templates`",
            "summary.html.j2",
            "copy the one missing from canvass's reports/templates/",
        ],
    );
}

/// (5) An oversized cell is in a column with a name.
#[test]
fn an_oversized_cell_names_its_column() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = b"id,rating,comment\n1,Agree,fine\n2,Agree,".to_vec();
    text.resize(text.len() + (4 << 20), b'x');
    text.extend(b"\n3,Disagree,short\n");
    let p = scratch(dir.path(), "big.csv", &text);
    let err = fails(&["inspect", p.to_str().unwrap()], 1);
    assert_says(
        &err,
        &["big.csv: row 3, column `comment`: has a cell of 4 MB"],
    );
    assert!(!err.contains("#3"), "{err}");
}

/// (6) A survey file without items is named as the problem, with what to add.
#[test]
fn a_survey_without_items_says_what_to_add() {
    let dir = tempfile::tempdir().unwrap();
    let draft = scratch(
        dir.path(),
        "draft.toml",
        b"title = \"Draft\"\n[[response_scales]]\nname = \"agree\"\nlabels = [\"Disagree\", \"Neutral\", \"Agree\"]\n",
    );
    let err = fails(&["score", &wave1(), "--survey", draft.to_str().unwrap()], 1);
    assert_says(
        &err,
        &[
            "draft.toml: config key `items`",
            "defines no Likert items",
            "[[items]]",
            "canvass init",
        ],
    );
    assert!(!err.contains("pass --survey"), "{err}");
}

/// (7) `--by` is a flag, not a survey file's segment; a misspelt column gets the near ones.
#[test]
fn an_unknown_by_column_names_the_flag_and_the_columns_it_could_mean() {
    let err = fails(&["score", &wave1(), "--by", "Regoin"], 1);
    assert_says(
        &err,
        &[
            "option --by",
            "has no column `Regoin`",
            "did you mean `Region`?",
        ],
    );
    assert!(!err.contains("segments["), "{err}");
    let err = fails(&["score", &wave1(), "--by", "Postcode"], 1);
    assert_says(&err, &["has no column `Postcode`", "Role, Region"]);
    let err = fails(&["score", &wave1(), "--by", "RecipientEmail"], 1);
    assert_says(&err, &["option --by", "identifier column"]);
}

/// The text output shows the breakdowns asked for, suppressed groups marked, columns aligned.
#[test]
fn score_text_shows_the_by_breakdowns() {
    let survey = repo().join("surveys/aspire-pilot/survey.toml");
    let o = canvass(&[
        "score",
        &wave1(),
        "--survey",
        survey.to_str().unwrap(),
        "--by",
        "Role",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert_says(
        &out,
        &["by Role (% agree; * fewer than 10 respondents, suppressed)"],
    );
    // 19 middle leaders and 19 teachers; headteachers and senior leaders (fewer than 10) are
    // suppressed, and so is the other small group with them.
    let respondents = out.lines().find(|l| l.starts_with("respondents")).unwrap();
    let cells: Vec<&str> = respondents.split_whitespace().skip(1).collect();
    assert_eq!(cells, ["*", "19", "*", "19"]);
    // Every row of a table is as wide as its header: long names are cut, not spilled.
    let table: Vec<&str> = out
        .lines()
        .skip_while(|l| !l.starts_with("scale "))
        .take_while(|l| !l.is_empty())
        .collect();
    let width = table[0].chars().count();
    assert!(
        table.iter().all(|l| l.chars().count() == width),
        "{table:#?}"
    );
    assert!(table.iter().any(|l| l.contains('…')), "{table:#?}");
}

/// (10) `--sheet` on a file without sheets is refused, not ignored.
#[test]
fn sheet_on_a_csv_is_refused() {
    for command in ["inspect", "init", "score"] {
        let err = fails(&[command, &wave1(), "--sheet", "Sheet1"], 1);
        assert_says(
            &err,
            &[
                "option --sheet: applies to workbooks",
                "is a CSV (delimited text) file",
            ],
        );
    }
    let err = fails(
        &["themes", &wave1(), "--text", "Q4", "--sheet", "Sheet1"],
        1,
    );
    assert_says(&err, &["option --sheet: applies to workbooks"]);
    let dir = tempfile::tempdir().unwrap();
    let p = example_pipeline(dir.path());
    let text = std::fs::read_to_string(&p).unwrap();
    std::fs::write(
        &p,
        text.replace("name = \"wave-1\"", "name = \"wave-1\"\nsheet = \"Sheet1\""),
    )
    .unwrap();
    let err = fails(&["run", p.to_str().unwrap()], 1);
    assert_says(
        &err,
        &["config key `waves[0].sheet`", "applies to workbooks"],
    );
}

/// (8) The dictionary of another REDCap project is refused, not applied to the wrong columns.
#[test]
fn a_dictionary_of_another_project_is_refused() {
    let data = fixture("redcap/REDCapR_survey_data.csv");
    let wrong = fixture("redcap/REDCapR_checkboxes-1_dictionary.csv");
    for command in ["inspect", "score"] {
        let err = fails(&[command, &data, "--dictionary", &wrong], 1);
        assert_says(
            &err,
            &[
                "REDCapR_checkboxes-1_dictionary.csv: does not describe the export",
                "32 of its 33 columns are not in this dictionary (`participant_id`",
                "the data dictionary of the project the export came from",
            ],
        );
    }
    // Its own dictionary is accepted, and marks `participant_id` as the identifier it is.
    let own = fixture("redcap/REDCapR_survey_dictionary.csv");
    let o = canvass(&["inspect", &data, "--dictionary", &own, "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["columns"][0]["name"], "participant_id");
    assert_eq!(v["columns"][0]["kind"], "identifier");
}

/// (9) The assignments file goes into a folder that exists; none is made.
#[test]
fn assignments_into_a_missing_folder_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("missing/dir/out.csv");
    let err = fails(
        &[
            "themes",
            &wave1(),
            "--text",
            "Q4",
            "--assignments",
            out.to_str().unwrap(),
        ],
        1,
    );
    let folder = dir.path().join("missing/dir");
    assert_says(
        &err,
        &[
            "option --assignments",
            &format!("folder `{}` does not exist", folder.display()),
        ],
    );
    assert!(!dir.path().join("missing").exists(), "a folder was created");
}

/// (11) A column of scale answers or numbers has nothing to theme.
#[test]
fn themes_of_a_column_that_is_not_free_text_are_refused() {
    let err = fails(&["themes", &wave1(), "--text", "Q1_1"], 1);
    assert_says(
        &err,
        &[
            "option --text: column `Q1_1`",
            "holds answers on a response scale",
            "not comments",
            "free-text columns",
            "`Q4`",
        ],
    );
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("id,minutes,comment\n");
    // Minutes as people give them, in no order (numbers rising on every row are record numbers).
    for i in 0..30 {
        text.push_str(&format!(
            "{i},{},\"The sessions on week {i} were useful but too long for us\"\n",
            (i * 37) % 90 + 15
        ));
    }
    let p = scratch(dir.path(), "numbers.csv", text.as_bytes());
    let err = fails(&["themes", p.to_str().unwrap(), "--text", "minutes"], 1);
    assert_says(
        &err,
        &[
            "column `minutes`",
            "holds numbers, not comments",
            "`comment`",
        ],
    );
    // A single-choice column is themed, with a warning.
    let o = canvass(&["themes", &wave1(), "--text", "Region", "--k", "2"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_says(
        &stderr(&o),
        &["warning: column `Region` looks like a single-choice question"],
    );
}

/// `themes` reads a REDCap export with its dictionary, as the other commands do: the comment
/// column is found by its label.
#[test]
fn themes_takes_a_dictionary() {
    let dir = tempfile::tempdir().unwrap();
    let dictionary = scratch(
        dir.path(),
        "dictionary.csv",
        "\"Variable / Field Name\",\"Form Name\",\"Section Header\",\"Field Type\",\"Field Label\",\"Choices, Calculations, OR Slider Labels\",Identifier?\n\
         record_id,feedback,,text,\"Record ID\",,\n\
         email,feedback,,text,\"E-mail\",,y\n\
         comments,feedback,,notes,\"What would you change?\",,\n"
            .as_bytes(),
    );
    let mut text = String::from("record_id,email,comments,feedback_complete\n");
    let comments = [
        "More time for planning with colleagues in school",
        "Shorter sessions and more time for planning",
        "Better food at the training venue please",
        "The venue food and coffee could be better",
    ];
    for i in 0..24 {
        text.push_str(&format!(
            "{i},p{i}@example.org,\"{}\",2\n",
            comments[i % comments.len()]
        ));
    }
    let export = scratch(dir.path(), "data.csv", text.as_bytes());
    let o = canvass(&[
        "themes",
        export.to_str().unwrap(),
        "--dictionary",
        dictionary.to_str().unwrap(),
        "--text",
        "What would you change?",
        "--k",
        "2",
        "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["k"], 2);
    assert_eq!(v["comments"], 24);
}

/// `inspect` keeps the end of a matrix row's text, where the rows differ.
#[test]
fn inspect_shows_what_tells_matrix_rows_apart() {
    let export = fixture("qualtrics/QualtricsTools_No_Basis_for_Evaluation_Insights.csv");
    let o = canvass(&["inspect", &export]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let question = |column: &str| {
        let line = out
            .lines()
            .find(|l| l.split_whitespace().next() == Some(column))
            .unwrap();
        line[line.find('“').unwrap()..].to_string()
    };
    assert!(
        question("Q3_3").ends_with("…-Zucchini”"),
        "{}",
        question("Q3_3")
    );
    let rows: std::collections::BTreeSet<String> =
        ["Q3_1", "Q3_2", "Q3_3", "Q3_4"].map(question).into();
    assert_eq!(rows.len(), 4, "{rows:#?}");
}

/// A survey's `review_below` is checked when the survey is read, by every command, not only when
/// the themes run: `score` (which themes nothing) refuses it, naming the key.
#[test]
fn review_below_is_checked_even_where_no_theme_is_found() {
    let dir = tempfile::tempdir().unwrap();
    let survey = std::fs::read_to_string(repo().join("surveys/aspire-pilot/survey.toml")).unwrap();
    let bad = survey.replacen("review_below = 0.5", "review_below = 1.5", 1);
    assert_ne!(bad, survey, "the example survey sets review_below");
    let p = scratch(dir.path(), "survey.toml", bad.as_bytes());
    let err = fails(&["score", &wave1(), "--survey", p.to_str().unwrap()], 1);
    assert_says(
        &err,
        &[
            "config key `text[0].review_below`",
            "must be a probability between 0 and 1 (got 1.5)",
            "hint:",
        ],
    );
}

/// A second wave exported in Qualtrics' legacy layout, the survey drafted from the first wave's
/// current-layout export: the error names the wave's export and both layouts, points at the
/// column with the same question text, and says to export again, not to edit the survey file.
#[test]
fn a_wave_exported_in_another_layout_is_named_not_the_survey_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for (from, to) in [
        (
            "QualtricsTools_No_Basis_for_Evaluation_Insights.csv",
            "w1.csv",
        ),
        (
            "QualtricsTools_No_Basis_for_Evaluation_Legacy.csv",
            "w2.csv",
        ),
    ] {
        std::fs::copy(fixture(&format!("qualtrics/{from}")), d.join(to)).unwrap();
    }
    let o = canvass(&["init", d.join("w1.csv").to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    std::fs::write(d.join("survey.toml"), stdout(&o)).unwrap();
    let pipeline = scratch(
        d,
        "p.toml",
        b"name = \"layouts\"\nsurvey = \"survey.toml\"\noutput = \"out\"\nsuppress_below = 3\n\
          [[waves]]\nname = \"w1\"\nexport = \"w1.csv\"\n[[waves]]\nname = \"w2\"\nexport = \"w2.csv\"\n",
    );
    let err = fails(
        &["run", pipeline.to_str().unwrap(), "--keep-tests", "--quiet"],
        1,
    );
    assert_says(
        &err,
        &[
            "w2.csv: column `Q2_-1`: has no column `Q2_-1`: this export is in Qualtrics' legacy layout",
            "while w1's export (",
            "is in Qualtrics' current layout",
            "its column `Q2_4` has the same question text",
            "hint: export wave w2 again in the layout of w1's export",
        ],
    );
    assert!(!err.contains("fix `choices"), "{err}");
}

/// REDCap flags identifying fields in the project's data dictionary, not in the export
/// (REDCapR's blank-for-gray-status example: `name_first`, `name_last`, `address`, `telephone`,
/// `email`, `dob` are flagged there): read without it, `inspect` and `init` say so and how to
/// give it; read with it, they do not.
#[test]
fn a_redcap_export_read_without_its_dictionary_says_where_identifiers_are_flagged() {
    let dir = repo().join("tests/fixtures/unseen/redcap");
    let export = dir.join("REDCapR_blank-for-gray-status_data.csv");
    let dictionary = dir.join("REDCapR_blank-for-gray-status_dictionary.csv");
    let export = export.to_str().unwrap();
    let o = canvass(&["inspect", export]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_says(
        &stdout(&o),
        &["read without its data dictionary", "--dictionary FILE"],
    );
    let o = canvass(&["init", export]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_says(&stderr(&o), &["read without its data dictionary"]);
    assert_says(
        &stdout(&o),
        &["# Note: this REDCap export was read without"],
    );
    let o = canvass(&[
        "inspect",
        export,
        "--dictionary",
        dictionary.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        !stdout(&o).contains("without its data dictionary"),
        "{}",
        stdout(&o)
    );
}
