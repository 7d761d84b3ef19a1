//! Answers written into a choice question's own column: Google Forms' "Other:" option writes
//! the respondent's words in place of the option (single choice) or among the ticked options
//! (checkboxes). They are counted under one "Other" row and their words reach no output.

use crate::common::*;
use std::path::{Path, PathBuf};

/// What the respondents of `write-ins/google-forms-other.csv` typed in the "Other:" boxes.
const TYPED: [&str; 5] = [
    "Jane Okafor",
    "Parent governor",
    "Hillside",
    "Tom Baptiste",
    "tom.baptiste@example.org",
];

const SURVEY: &str = r#"
title = "Write-ins"
[[response_scales]]
name = "useful"
labels = ["1", "2", "3", "4", "5"]
[[items]]
id = "useful"
column = "How useful was the programme overall?"
text = "How useful was the programme overall?"
scale = "useful"
[[segments]]
name = "Region"
column = "Which region is your school in?"
[[segments]]
name = "Role"
column = "Which role are you in?"
[[choices]]
id = "role"
column = "Which role are you in?"
text = "Which role are you in?"
[[choices]]
id = "sessions"
column = "Which programme sessions did you attend?"
text = "Which programme sessions did you attend?"
kind = "multi-select"
"#;

/// Runs `export` (a path below tests/fixtures) with `survey` through `canvass run --parquet`;
/// the wave's output folder.
fn run(dir: &Path, export: &str, survey: &str) -> PathBuf {
    let source = repo().join("tests/fixtures").join(export);
    std::fs::copy(source, dir.join("export.csv")).unwrap();
    std::fs::write(dir.join("survey.toml"), survey).unwrap();
    std::fs::write(
        dir.join("pipeline.toml"),
        "name = 'w'\nsurvey = 'survey.toml'\noutput = 'out'\n\
         [[waves]]\nname = 'w1'\nexport = 'export.csv'\n",
    )
    .unwrap();
    let pipeline = dir.join("pipeline.toml");
    let o = canvass(&["run", pipeline.to_str().unwrap(), "--parquet", "--quiet"]);
    assert!(o.status.success(), "{}", stderr(&o));
    dir.join("out/w1")
}

/// Every file below `out` that holds any of `typed` (the stage cache and the unpacked .docx,
/// .xlsx and Parquet files too).
fn holding(out: &Path, typed: &[&str]) -> Vec<String> {
    let cache = files_below(out)
        .into_iter()
        .map(|(p, bytes)| (p, String::from_utf8_lossy(&bytes).into_owned()));
    output_texts(out)
        .into_iter()
        .chain(cache)
        .filter(|(_, text)| {
            let text = text.to_lowercase();
            typed.iter().any(|t| text.contains(&t.to_lowercase()))
        })
        .map(|(p, _)| p.display().to_string())
        .collect()
}

/// choices.csv's (option, count, n) rows of question `id`.
fn choice_rows(wave: &Path, id: &str) -> Vec<(String, u64, u64)> {
    let (header, rows) = read_csv(&wave.join("choices.csv"));
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    rows.iter()
        .filter(|r| r[at("id")] == id && r[at("net")].is_empty())
        .map(|r| {
            let count = r[at("count")].parse().unwrap();
            (r[at("option")].clone(), count, r[at("n")].parse().unwrap())
        })
        .collect()
}

#[test]
fn google_forms_other_answers_are_counted_and_never_published() {
    let dir = tempfile::tempdir().unwrap();
    let wave = run(dir.path(), "write-ins/google-forms-other.csv", SURVEY);
    assert_eq!(
        holding(&dir.path().join("out"), &TYPED),
        Vec::<String>::new()
    );
    let role = choice_rows(&wave, "role");
    let labels: Vec<(&str, u64)> = role.iter().map(|(o, c, _)| (o.as_str(), *c)).collect();
    // Counted by hand in the fixture (Python's collections.Counter over its role column):
    // Teacher 16, Teaching assistant 10, Headteacher 10, Prefer not to say 2, and two typed
    // answers, "Parent governor (Jane Okafor)" and "Volunteer, Hillside Primary".
    assert_eq!(
        labels,
        [
            ("Teacher", 16),
            ("Headteacher", 10),
            ("Teaching assistant", 10),
            ("Prefer not to say", 2),
            ("Other (written in)", 2)
        ]
    );
    // A single choice: its rows add up to everyone who answered.
    assert_eq!(role.iter().map(|r| r.1).sum::<u64>(), role[0].2);
    let sessions = choice_rows(&wave, "sessions");
    let other = sessions.iter().find(|r| r.0 == "Other (written in)");
    assert_eq!(other.map(|r| r.1), Some(2), "{sessions:?}");
    assert_eq!(
        sessions.len(),
        4,
        "three options and the write-ins: {sessions:?}"
    );
    // The crosstab by region has the same rows, and each region's shares add up to 100.
    let (header, rows) = read_csv(&wave.join("crosstabs.csv"));
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    for region in ["North", "South"] {
        let cells: Vec<&Vec<String>> = rows
            .iter()
            .filter(|r| r[at("id")] == "role" && r[at("group")] == region)
            .collect();
        let options: Vec<&str> = cells.iter().map(|r| r[at("option")].as_str()).collect();
        let overall: Vec<&str> = role.iter().map(|r| r.0.as_str()).collect();
        assert_eq!(options, overall);
        let total: f64 = cells
            .iter()
            .map(|r| r[at("value")].parse::<f64>().unwrap())
            .sum();
        assert!((total - 100.0).abs() < 1e-6, "{region}: {total}");
    }
    let summary = std::fs::read_to_string(wave.join("summary.md")).unwrap();
    assert!(
        summary.contains(
            "2 respondents wrote an answer of their own, counted under “Other (written in)”"
        ),
        "{summary}"
    );
}

/// The survey's options decide, and its own "Other" option counts the write-ins.
#[test]
fn listed_options_and_the_surveys_other_wording_decide() {
    let dir = tempfile::tempdir().unwrap();
    let survey = SURVEY.replace(
        "text = \"Which role are you in?\"",
        "text = \"Which role are you in?\"\noptions = [\"Teacher\", \"Teaching assistant\", \"Headteacher\", \"Other:\"]",
    );
    let wave = run(dir.path(), "write-ins/google-forms-other.csv", &survey);
    assert_eq!(
        holding(&dir.path().join("out"), &TYPED),
        Vec::<String>::new()
    );
    let role = choice_rows(&wave, "role");
    let labels: Vec<(&str, u64)> = role.iter().map(|(o, c, _)| (o.as_str(), *c)).collect();
    assert_eq!(
        labels,
        [
            ("Teacher", 16),
            ("Teaching assistant", 10),
            ("Headteacher", 10),
            ("Other:", 2),
            ("Prefer not to say", 2)
        ]
    );
}

/// A real Google Forms download (rstudio/r-community-survey, Spanish, 2019): the checkbox
/// question's typed words ("Otro: fîsica", "Shiny apps in production", a write-in with commas
/// split into parts) are 31 respondents under one row; the 11 options stay.
#[test]
fn a_real_google_forms_checkbox_question_keeps_its_options_and_folds_the_typed_words() {
    let dir = tempfile::tempdir().unwrap();
    let survey = r#"
title = "R community"
[[choices]]
id = "uses"
column = "¿Para qué aplicaciones usas R más frecuentemente? (marca todas las que correspondan)"
text = "¿Para qué aplicaciones usas R?"
kind = "multi-select"
"#;
    let export =
        "unseen/google-forms/r-community-survey_2019_Spanish_R_Community_Survey_Responses.csv";
    let wave = run(dir.path(), export, survey);
    let typed = [
        "Shiny apps in production",
        "fîsica",
        "transcriptomica",
        "Análisis Supervivencia",
    ];
    assert_eq!(
        holding(&dir.path().join("out"), &typed),
        Vec::<String>::new()
    );
    let uses = choice_rows(&wave, "uses");
    assert_eq!(uses.len(), 12, "{uses:?}");
    assert_eq!(
        uses.last().map(|r| (r.0.as_str(), r.1)),
        Some(("Other (written in)", 31))
    );
    assert!(
        uses.iter().any(|r| r.0 == "Ensayos clínicos" && r.1 == 14),
        "{uses:?}"
    );
}

/// As a new user would: `init --out` drafts the project (the role question is both a choice
/// and a breakdown), `run` writes every output, Parquet too. A write-in names no option row, no
/// group of the breakdown (the two are merged into one "Other (written in)" group) and no
/// respondent's group in the Parquet respondents table.
#[test]
fn a_drafted_project_publishes_no_write_in_as_an_option_or_a_group() {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("google-forms-other.csv");
    let source = repo().join("tests/fixtures/write-ins/google-forms-other.csv");
    std::fs::copy(source, &export).unwrap();
    let project = dir.path().join("proj");
    // The pipeline beside the project, not below the working directory (the repository).
    let pipeline = dir.path().join("pipelines/proj.toml");
    let o = canvass(&[
        "init",
        export.to_str().unwrap(),
        "--out",
        project.to_str().unwrap(),
        "--pipeline",
        pipeline.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = canvass(&["run", pipeline.to_str().unwrap(), "--parquet", "--quiet"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = dir.path().join("reports");
    assert_eq!(holding(&out, &TYPED), Vec::<String>::new());
    let (header, rows) = read_csv(&out.join("proj/wave-1/segments.csv"));
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    let mut groups: Vec<&str> = rows
        .iter()
        .filter(|r| r[at("segment")] == "Role")
        .map(|r| r[at("group")].as_str())
        .collect();
    groups.dedup();
    assert_eq!(
        groups,
        [
            "Headteacher",
            "Other (written in)",
            "Prefer not to say",
            "Teacher",
            "Teaching assistant"
        ]
    );
}

/// `canvass init` drafts no option from the data of a joined answer, so a write-in is not
/// written into the survey file either.
#[test]
fn the_drafted_survey_holds_no_write_in() {
    let export = repo().join("tests/fixtures/write-ins/google-forms-other.csv");
    let o = canvass(&["init", export.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let draft = stdout(&o);
    for typed in TYPED {
        assert!(!draft.contains(typed), "{typed}: {draft}");
    }
}

/// Qualtrics gives an "Other" answer's words a column of its own (`…_TEXT`), so every value of
/// its choice column is an option: one few chose stays a row of its own, even where the survey
/// lists no options, and nothing is said to be written in.
#[test]
fn a_tool_that_writes_other_text_elsewhere_keeps_its_rare_options() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::copy(
        repo().join("surveys/aspire-pilot/exports/wave-1.csv"),
        d.join("export.csv"),
    )
    .unwrap();
    std::fs::write(
        d.join("survey.toml"),
        "title = 'Roles'\n\n[[choices]]\nid = 'role'\ncolumn = 'Role'\ntext = 'Which role are you in?'\n",
    )
    .unwrap();
    std::fs::write(
        d.join("pipeline.toml"),
        "name = 'w'\nsurvey = 'survey.toml'\noutput = 'out'\nsuppress_below = 10\n\
         [[waves]]\nname = 'w1'\nexport = 'export.csv'\n",
    )
    .unwrap();
    let o = canvass(&["run", d.join("pipeline.toml").to_str().unwrap(), "--quiet"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let rows = choice_rows(&d.join("out/w1"), "role");
    let options: Vec<&str> = rows.iter().map(|(o, _, _)| o.as_str()).collect();
    // The example's wave 1: 66 staff, of whom fewer than 10 are senior leaders.
    let (_, senior, _) = rows.iter().find(|(o, _, _)| o == "Senior leader").unwrap();
    assert!(*senior < 10, "{rows:?}");
    assert!(!options.contains(&"Other (written in)"), "{options:?}");
    let md = std::fs::read_to_string(d.join("out/w1/summary.md")).unwrap();
    assert!(!md.contains("wrote an answer of their own"), "{md}");
}

/// A question every respondent answered in their own words (a text box drafted as a choice, as
/// `init` did on a real Microsoft Forms export of three rows): the summary never says they
/// "chose" the write-ins' row, and says what happened instead.
#[test]
fn nobody_is_said_to_choose_the_written_in_row() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut export = String::from("Timestamp,What is your title?\n");
    for i in 0..12 {
        export.push_str(&format!(
            "2024/01/{:02} 10:00:00 AM GMT,Title number {i}\n",
            i + 1
        ));
    }
    std::fs::write(d.join("export.csv"), export).unwrap();
    std::fs::write(
        d.join("survey.toml"),
        "title = 'Titles'\n\n[[choices]]\nid = 'title'\ncolumn = 'What is your title?'\n\
         text = 'What is your title?'\n",
    )
    .unwrap();
    std::fs::write(
        d.join("pipeline.toml"),
        "name = 'w'\nsurvey = 'survey.toml'\noutput = 'out'\nsuppress_below = 10\n\
         [[waves]]\nname = 'w1'\nexport = 'export.csv'\n",
    )
    .unwrap();
    let o = canvass(&["run", d.join("pipeline.toml").to_str().unwrap(), "--quiet"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let md = std::fs::read_to_string(d.join("out/w1/summary.md")).unwrap();
    assert!(!md.contains("chose “Other (written in)”"), "{md}");
    assert!(
        md.contains("every one of the 12 respondents who answered wrote an answer of their own"),
        "{md}"
    );
    assert!(!md.contains("Title number"), "{md}");
}

/// A small Google Form (the shape of batch 5's Portuguese survey of 30 container engineers):
/// options few chose are still options — "Desenvolvedor" by 9 of 30 is below `suppress_below`
/// (10) but one in four of those who answered — and only the lone typed answer is folded.
#[test]
fn a_small_surveys_unpopular_options_are_not_taken_for_typed_words() {
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from("Carimbo de data/hora,Qual é seu cargo/função atual?\n");
    let roles = [
        ("DevOps Engineer", 15),
        ("Desenvolvedor", 9),
        ("SRE (Site Reliability Engineer)", 3),
        ("Arquiteto de Soluções", 2),
        ("Consultor na Empresa Exemplo Ltda", 1),
    ];
    let mut i = 0;
    for (role, n) in roles {
        for _ in 0..n {
            i += 1;
            csv += &format!("2025/10/{:02} 10:00:00,\"{role}\"\n", 1 + i % 28);
        }
    }
    std::fs::write(dir.path().join("export.csv"), csv).unwrap();
    let survey = "title = \"Containers\"\n[[choices]]\nid = \"role\"\n\
                  column = \"Qual é seu cargo/função atual?\"\ntext = \"Cargo\"\n";
    std::fs::write(dir.path().join("survey.toml"), survey).unwrap();
    std::fs::write(
        dir.path().join("pipeline.toml"),
        "name = 'w'\nsurvey = 'survey.toml'\noutput = 'out'\n[[waves]]\nname = 'w1'\nexport = 'export.csv'\n",
    )
    .unwrap();
    let o = canvass(&[
        "run",
        dir.path().join("pipeline.toml").to_str().unwrap(),
        "--quiet",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let wave = dir.path().join("out/w1");
    let role = choice_rows(&wave, "role");
    let labels: Vec<(&str, u64)> = role.iter().map(|(o, c, _)| (o.as_str(), *c)).collect();
    // The counts are the ones written above.
    assert_eq!(
        labels,
        [
            ("DevOps Engineer", 15),
            ("Desenvolvedor", 9),
            ("SRE (Site Reliability Engineer)", 3),
            ("Arquiteto de Soluções", 2),
            ("Other (written in)", 1)
        ]
    );
    assert_eq!(
        holding(&dir.path().join("out"), &["Empresa Exemplo"]),
        Vec::<String>::new()
    );
}
