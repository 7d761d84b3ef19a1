//! Every question in the report: choice, check-all (joined in a cell and spread over a column per
//! option) and number questions reach choices.csv, numbers.csv, the summaries and the workbook
//! through `canvass run`, with figures counted by hand from tests/fixtures/questions/staff.csv
//! (see its README); and `init` drafts them from real exports so that they run unedited.

use crate::common::*;
use std::path::Path;

const SURVEY: &str = r#"
title = "Staff survey"

[[choices]]
id = "role"
column = "Role"
text = "Which role are you in?"
# Two chose Headteacher, fewer than the pipeline's suppress_below of 3: listed, so an option.
options = ["Teacher", "Headteacher", "Teaching assistant", "Other (please specify)"]
headline = true
nets = { "Any leader" = ["Headteacher"] }

[[choices]]
id = "sessions"
column = "Sessions attended"
text = "Which sessions did you attend?"
kind = "multi-select"
options = ["Maths", "Reading", "Science"]

[[choices]]
id = "sessions_spread"
columns = ["Maths session", "Reading session", "Science session"]
options = ["Maths", "Reading", "Science"]
text = "Which sessions did you attend? (a column each)"
kind = "multi-select"

[[numbers]]
id = "hours"
column = "Hours per week"
text = "How many hours a week?"

[[text]]
id = "change"
column = "What should change?"
text = "What should change?"
"#;

/// Runs the staff export with `SURVEY` into a fresh folder and returns it.
fn run_staff() -> tempfile::TempDir {
    run_staff_with(SURVEY)
}

fn rows_of<'a>(rows: &'a [Vec<String>], id: &str) -> Vec<&'a Vec<String>> {
    rows.iter().filter(|r| r[0] == id).collect()
}

#[test]
fn choice_and_check_all_questions_reach_choices_csv_with_hand_counted_figures() {
    let dir = run_staff();
    let (header, rows) = read_csv(&dir.path().join("out/w1/choices.csv"));
    assert_eq!(
        header,
        [
            "id", "text", "kind", "column", "option", "count", "n", "pct", "ci_low", "ci_high",
            "net"
        ]
    );
    // Role: 9 answered (row 7 blank). Most chosen first, ties by label, "Other …" last.
    let role: Vec<(&str, &str, &str)> = rows_of(&rows, "role")
        .iter()
        .map(|r| (r[4].as_str(), r[5].as_str(), r[6].as_str()))
        .collect();
    assert_eq!(
        role,
        [
            ("Teacher", "4", "9"),
            ("Headteacher", "2", "9"),
            ("Teaching assistant", "2", "9"),
            ("Other (please specify)", "1", "9"),
            ("Any leader", "2", "9"),
        ]
    );
    let teacher = row_by(&rows, 4, "Teacher");
    // 4/9; Wilson 95 % interval from its formula in Python (statistics.NormalDist for z):
    // 0.188779, 0.733349 (prop.test(4, 9, correct = FALSE) in R gives the same).
    close(&teacher[7], 44.4444, 1e-4);
    close(&teacher[8], 18.8779, 1e-3);
    close(&teacher[9], 73.3349, 1e-3);
    assert_eq!(row_by(&rows, 4, "Any leader")[10], "yes");
    // Joined in one cell: Maths 6, Reading 5, Science 3 of the 9 who ticked any.
    let joined: Vec<(&str, &str)> = rows_of(&rows, "sessions")
        .iter()
        .map(|r| (r[4].as_str(), r[5].as_str()))
        .collect();
    assert_eq!(joined, [("Maths", "6"), ("Reading", "5"), ("Science", "3")]);
    // Spread over columns: Maths 5, Reading 5, Science 3 of 9, each row naming its column.
    let spread: Vec<(&str, &str, &str, &str)> = rows_of(&rows, "sessions_spread")
        .iter()
        .map(|r| (r[3].as_str(), r[4].as_str(), r[5].as_str(), r[6].as_str()))
        .collect();
    assert_eq!(
        spread,
        [
            ("Maths session", "Maths", "5", "9"),
            ("Reading session", "Reading", "5", "9"),
            ("Science session", "Science", "3", "9"),
        ]
    );
}

#[test]
fn number_questions_reach_numbers_csv_equal_to_a_hand_calculation() {
    let dir = run_staff();
    let (header, rows) = read_csv(&dir.path().join("out/w1/numbers.csv"));
    assert_eq!(
        header[..12],
        [
            "id", "text", "column", "n", "missing", "mean", "sd", "min", "q1", "median", "q3",
            "max"
        ]
    );
    let h = row_by(&rows, 0, "hours");
    // 4, 2, 6, 3.5, 1250 (typed "1,250"), 0, 5, 8: n 8, one blank, "not sure" not a number.
    assert_eq!(
        (h[3].as_str(), h[4].as_str(), h[12].as_str()),
        ("8", "1", "1")
    );
    // Python statistics.mean/stdev and quantiles(method='inclusive') (= R type 7).
    close(&h[5], 159.8125, 1e-4);
    close(&h[6], 440.508954, 1e-3);
    close(&h[7], 0.0, 0.0);
    close(&h[8], 3.125, 1e-9);
    close(&h[9], 4.5, 1e-9);
    close(&h[10], 6.5, 1e-9);
    close(&h[11], 1250.0, 0.0);
}

#[test]
fn a_survey_without_rating_items_gets_a_full_summary_in_every_format() {
    let dir = run_staff();
    let w = dir.path().join("out/w1");
    let md = std::fs::read_to_string(w.join("summary.md")).unwrap();
    assert!(
        md.contains("Asked “Which role are you in?”, of the 9 respondents who answered, 44 per cent chose “Teacher”"),
        "{md}"
    );
    assert!(
        md.contains("## Choices") && md.contains("## Numbers"),
        "{md}"
    );
    assert!(!md.contains("no rating (Likert) items"), "{md}");
    let html = std::fs::read_to_string(w.join("summary.html")).unwrap();
    assert!(html.contains("<svg class=\"bars\"") && html.contains("<svg class=\"histogram\""));
    let docx = unzip_text(&w.join("summary.docx"), "word/document.xml");
    assert!(
        docx.contains("Which sessions did you attend?") && docx.contains("How many hours a week?")
    );
    let sheets = unzip_text(&w.join("tables.xlsx"), "xl/workbook.xml");
    assert!(
        sheets.contains("name=\"choices\"") && sheets.contains("name=\"numbers\""),
        "{sheets}"
    );
}

fn unzip_text(file: &Path, member: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(file).unwrap()).unwrap();
    let mut text = String::new();
    std::io::Read::read_to_string(&mut zip.by_name(member).unwrap(), &mut text).unwrap();
    text
}

/// REDCap writes a check-all question as a column per option (`check_one___1` …): `init`
/// drafts one multi-select question per stem, labelled by the option codes, and it runs.
#[test]
fn init_drafts_spread_check_all_questions_by_their_stem() {
    let Some(export) = [
        repo().join("tests/fixtures/exports/redcap/REDCapR_checkboxes-1_data.csv"),
        repo().join("../shared/fixtures/exports/redcap/REDCapR_checkboxes-1_data.csv"),
    ]
    .into_iter()
    .find(|p| p.exists()) else {
        eprintln!("skipped: the REDCapR checkboxes export is not here");
        return;
    };
    let o = canvass(&["init", export.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let draft = stdout(&o);
    assert!(
        draft.contains(r#"columns = ["check_two___a", "check_two___b", "check_two___c", "check_two___d", "check_two___e"]"#)
            && draft.contains(r#"options = ["a", "b", "c", "d", "e"]"#),
        "{draft}"
    );
}

/// A questionnaire that asks the same question twice (or a tool that repeats a grid's header)
/// is read, not refused: the second column is `Q5 (2)`, and both reach the report.
#[test]
fn a_repeated_column_name_is_told_apart_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("twice.csv");
    let mut csv = String::from("Q5,Q5,Q5 (2)\n");
    for i in 0..12 {
        csv.push_str(&format!(
            "{},{},x{}\n",
            ["Yes", "No"][i % 2],
            ["A", "B", "C"][i % 3],
            i % 2
        ));
    }
    std::fs::write(&export, csv).unwrap();
    let o = canvass(&["inspect", export.to_str().unwrap(), "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let names: Vec<&str> = json["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Q5", "Q5 (3)", "Q5 (2)"]);
    let o = canvass(&["score", export.to_str().unwrap(), "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let scored: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let columns: Vec<&str> = scored["choices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["options"][0]["column"].as_str().unwrap())
        .collect();
    assert_eq!(columns, ["Q5", "Q5 (3)", "Q5 (2)"], "{scored}");
    // Told once, by inspect and by init (on standard error and in the draft): which name repeats.
    let note = "`Q5 (3)` (again `Q5`)";
    assert!(
        json["repeated_names"].as_str().unwrap().contains(note),
        "{json}"
    );
    let o = canvass(&["init", export.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stderr(&o).matches(note).count(), 1, "{}", stderr(&o));
    let draft = stdout(&o);
    assert_eq!(draft.matches(note).count(), 1, "{draft}");
    std::fs::write(dir.path().join("survey.toml"), &draft).unwrap();
    std::fs::write(
        dir.path().join("p.toml"),
        "name = \"t\"\nsurvey = \"survey.toml\"\noutput = \"out\"\n[[waves]]\nname = \"w1\"\nexport = \"twice.csv\"\n",
    )
    .unwrap();
    let p = dir.path().join("p.toml");
    let o = canvass(&["run", p.to_str().unwrap(), "--quiet"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let choices = std::fs::read_to_string(dir.path().join("out/w1/choices.csv")).unwrap();
    assert!(
        choices.contains("Q5 (3)") && choices.contains("Q5 (2)"),
        "{choices}"
    );
}

/// A Spanish community survey (made here: Spanish scale wordings and comments): `init` drafts
/// `language = "spanish"`, its agreement and experience scales are scored as items, theme key
/// words and labels leave out Spanish stop words, and the summary says tone was not scored
/// (there is no Spanish sentiment lexicon; English VADER would read nothing in Spanish).
#[test]
fn a_spanish_survey_is_scored_themed_in_spanish_and_its_tone_not_guessed() {
    let agree = [
        "Totalmente de acuerdo",
        "De acuerdo",
        "Ni de acuerdo ni en desacuerdo",
        "En desacuerdo",
        "Totalmente en desacuerdo",
    ];
    let level = ["Sin experiencia", "Inicial", "Intermedio", "Experto"];
    let comments = [
        "Los horarios de la biblioteca son muy cortos para los que trabajan",
        "Que abran los sábados por la mañana y por la tarde",
        "Más libros para los niños y para los jóvenes del barrio",
        "El personal es muy amable con todos los vecinos",
        "Las computadoras son viejas y la conexión a internet es lenta",
        "Todo está bien, pero falta un lugar para estudiar en grupo",
        "Los talleres de lectura para niños son lo mejor de todo",
        "La calefacción no funciona en invierno y hace mucho frío",
        "Necesitamos más computadoras y una conexión a internet más rápida",
        "El horario de la tarde es muy corto para los estudiantes",
    ];
    let mut csv = String::from(
        "Marca temporal,¿Está de acuerdo? [La biblioteca es útil],¿Está de acuerdo? [El horario es adecuado],Nivel de experiencia con computadoras,¿Qué cambiaría de la biblioteca?\n",
    );
    for i in 0..40 {
        csv.push_str(&format!(
            "2025-03-{:02} 10:{:02}:00,{},{},{},\"{} ({})\"\n",
            1 + i % 28,
            i,
            agree[i % 5],
            agree[(i * 3) % 5],
            level[i % 4],
            comments[i % 10],
            ["sí", "gracias", "nada más", "por favor"][i / 10]
        ));
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("encuesta.csv"), csv).unwrap();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_canvass"))
        .args(["init", "encuesta.csv", "--out", "surveys/encuesta"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let survey = std::fs::read_to_string(dir.path().join("surveys/encuesta/survey.toml")).unwrap();
    assert!(survey.contains("language = \"spanish\""), "{survey}");
    let o = canvass(&[
        "run",
        dir.path().join("pipelines/encuesta.toml").to_str().unwrap(),
        "--quiet",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let wave = dir.path().join("reports/encuesta/wave-1");
    let items = std::fs::read_to_string(wave.join("items.csv")).unwrap();
    for column in [
        "¿Está de acuerdo? [La biblioteca es útil]",
        "Nivel de experiencia con computadoras",
    ] {
        assert!(items.contains(column), "{column} not scored:\n{items}");
    }
    let (header, rows) = read_csv(&wave.join("themes.csv"));
    let keywords = header.iter().position(|h| h == "keywords").unwrap();
    let label = header.iter().position(|h| h == "label").unwrap();
    for row in &rows {
        for word in row[keywords]
            .split(&[';', ' '][..])
            .chain(row[label].split(' '))
        {
            let word = word.trim().to_lowercase();
            assert!(
                !["las", "los", "para", "todo", "que", "del", "por", "con", "muy"]
                    .contains(&word.as_str()),
                "a Spanish stop word `{word}` in {row:?}"
            );
        }
    }
    let summary = std::fs::read_to_string(wave.join("summary.md")).unwrap();
    assert!(summary.contains("Tone was not scored"), "{summary}");
}

/// A grid's rows are one question in the summary's lead: LimeSurvey's 20-row satisfaction grid
/// is stated once, by its question, with the range of its rows' shares as items.csv gives them,
/// not as three headline findings taken from its first three rows.
#[test]
fn a_grid_leads_the_summary_once_with_the_range_of_its_rows() {
    let (dir, _) = init_and_run_n2();
    let w = dir.path().join("out/w1");
    let md = std::fs::read_to_string(w.join("summary.md")).unwrap();
    let lead = md.split("## Items").next().unwrap();
    let stem = "If you think about your own situation as a doctoral researcher, how satisfied are you with the following aspects?";
    assert_eq!(lead.matches(stem).count(), 1, "{lead}");
    // The range, read from items.csv: the rows whose text begins with the stem.
    let (header, rows) = read_csv(&w.join("items.csv"));
    let (text, pct) = (
        header.iter().position(|h| h == "text").unwrap(),
        header.iter().position(|h| h == "pct_agree").unwrap(),
    );
    let shares: Vec<f64> = rows
        .iter()
        .filter(|r| r[text].starts_with(stem))
        .filter_map(|r| r[pct].parse().ok())
        .collect();
    assert_eq!(shares.len(), 20);
    let lo = shares.iter().cloned().fold(f64::INFINITY, f64::min).round();
    let hi = shares.iter().cloned().fold(0.0, f64::max).round();
    assert!(
        lead.contains(&format!(
            "Across the 20 rows of “{stem}”, between {lo} and {hi} per cent said"
        )),
        "{lead}"
    );
}

/// LimeSurvey's N2 export (code and text) drafted by `init` and run unedited: the draft and the
/// run's folder.
fn init_and_run_n2() -> (tempfile::TempDir, String) {
    let export = repo().join("tests/fixtures/exports/limesurvey/N2_dummy_data_codeandtext.csv");
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(&export, dir.path().join("n2.csv")).unwrap();
    let o = canvass(&["init", dir.path().join("n2.csv").to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let draft = stdout(&o);
    std::fs::write(dir.path().join("survey.toml"), &draft).unwrap();
    let pipeline = dir.path().join("p.toml");
    std::fs::write(
        &pipeline,
        // Five respondents: a threshold of 3 lets the grid's shares be stated.
        "name = \"n2\"\nsurvey = \"survey.toml\"\noutput = \"out\"\nsuppress_below = 3\n[[waves]]\nname = \"w1\"\nexport = \"n2.csv\"\n",
    )
    .unwrap();
    let o = canvass(&["run", pipeline.to_str().unwrap(), "--quiet"]);
    assert!(o.status.success(), "{}", stderr(&o));
    (dir, draft)
}

/// LimeSurvey's `A5[other]` is the "Other" box of single choice `A5`: `init` ties it
/// (`other_of`), it is themed as an open question (comments.csv names its column), and the
/// choice's table says how many wrote one (1 in the export: its only non-blank `A5[other]`).
#[test]
fn an_other_box_is_tied_to_its_choice_and_themed() {
    let (dir, draft) = init_and_run_n2();
    assert!(
        draft.contains("column = \"A5[other]\"\ntext = \"Which gender do you identify most with? [Other]\"\nother_of = \"a5\""),
        "{draft}"
    );
    let w = dir.path().join("out/w1");
    let (header, rows) = read_csv(&w.join("comments.csv"));
    let column = header.iter().position(|h| h == "column").unwrap();
    let text = header.iter().position(|h| h == "text").unwrap();
    let box_rows: Vec<&Vec<String>> = rows.iter().filter(|r| r[column] == "A5[other]").collect();
    assert_eq!(box_rows.len(), 1);
    let md = std::fs::read_to_string(w.join("summary.md")).unwrap();
    assert!(
        md.contains("a5 · single choice · 5 answered; 1 answer written in the “Other” box"),
        "{md}"
    );
    // The one write-in ("Genderqueer", fewer than suppress_below = 3 gave it) identifies its
    // writer: no output quotes it, comments.csv says it is withheld, the summary why.
    assert_eq!(box_rows[0][text], "(written in by fewer than 3: not shown)");
    for (path, content) in output_texts(&w) {
        assert!(!content.contains("Genderqueer"), "{}", path.display());
    }
    assert!(
        md.contains("Only 1 comment was written: too few to group into themes; none is quoted: it was given by fewer respondents than a group must have to be shown"),
        "{md}"
    );
    // A box tied to no choice question is refused, naming the key.
    let survey = dir.path().join("survey.toml");
    std::fs::write(
        &survey,
        draft.replace("other_of = \"a5\"", "other_of = \"nope\""),
    )
    .unwrap();
    let o = canvass(&[
        "run",
        dir.path().join("p.toml").to_str().unwrap(),
        "--quiet",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("other_of") && stderr(&o).contains("`nope`"),
        "{}",
        stderr(&o)
    );
}

/// The README's five steps on the example's own raw export: Qualtrics joins a check-all
/// answer's choices with a bare ",", and the draft declares no separator, so the options must
/// still be counted one by one (a newcomer found "Launch conference,Data workshop" counted as
/// an option of its own).
#[test]
fn a_bare_comma_joined_check_all_is_counted_option_by_option_without_a_separator() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let export = repo().join("surveys/aspire-pilot/exports/wave-1.csv");
    std::fs::copy(&export, d.join("export.csv")).unwrap();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_canvass"))
        .args(["init", "export.csv", "--out", "surveys/my-survey"])
        .current_dir(d)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let draft = std::fs::read_to_string(d.join("surveys/my-survey/survey.toml")).unwrap();
    assert!(draft.contains("column = \"Q5\""), "{draft}");
    let o = canvass(&[
        "run",
        d.join("pipelines/my-survey.toml").to_str().unwrap(),
        "--quiet",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let (h, rows) = read_csv(&d.join("reports/my-survey/wave-1/choices.csv"));
    let at = |name: &str| h.iter().position(|c| c == name).unwrap();
    let q5: Vec<&Vec<String>> = rows.iter().filter(|r| r[at("column")] == "Q5").collect();
    assert!(
        q5.iter().all(|r| !r[at("option")].contains(',')),
        "options counted one by one: {q5:?}"
    );
    // The sessions wave 1's answers name (the sixth, "Online module", came in wave 2), each a
    // row, and nothing else.
    let mut options: Vec<&str> = q5.iter().map(|r| r[at("option")].as_str()).collect();
    options.sort_unstable();
    assert_eq!(
        options,
        [
            "Cluster network meeting",
            "Coaching sessions",
            "Data workshop",
            "Launch conference",
            "Leadership seminar"
        ]
    );
}

/// A scale whose labels carry their numbers ("0 - Pas du tout", "1" … "10 - Totalement", as
/// cpesr's LimeSurvey barometer writes it) is drafted with those numbers as its codes, so the
/// mean in items.csv is on the 0–10 scale respondents saw. Expected by hand: codes 0×4, 1×2,
/// 2×3, 5×6, 9×3, 10×2 over 20 answers = (0+2+6+30+27+20)/20 = 4.25; "Ne connais pas" is set
/// aside, not scored.
#[test]
fn numbered_labels_are_scored_on_their_own_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("barometre.csv");
    let answers = [
        ("0 - Pas du tout", 4),
        ("1", 2),
        ("2", 3),
        ("5", 6),
        ("9", 3),
        ("10 - Totalement", 2),
        ("Ne connais pas", 3),
    ];
    let mut csv = String::from("id,confiance.Etat.\n");
    let mut id = 0;
    for (answer, n) in answers {
        for _ in 0..n {
            id += 1;
            csv.push_str(&format!("{id},{answer}\n"));
        }
    }
    // The middle points nobody chose still belong to the scale.
    std::fs::write(&export, csv).unwrap();
    let out = dir.path().join("project");
    let pipeline = out.join("pipelines/b.toml");
    let o = canvass(&[
        "init",
        export.to_str().unwrap(),
        "--out",
        out.join("surveys/b").to_str().unwrap(),
        "--pipeline",
        pipeline.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = canvass(&["run", pipeline.to_str().unwrap(), "--quiet"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let items = std::fs::read_dir(out.join("reports/b"))
        .unwrap()
        .map(|e| e.unwrap().path().join("items.csv"))
        .find(|p| p.exists())
        .expect("items.csv");
    let (header, rows) = read_csv(&items);
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let row = row_by(&rows, col("column"), "confiance.Etat.");
    assert_eq!(row[col("n")], "20");
    assert_eq!(row[col("non_substantive")], "3");
    close(&row[col("mean")], 4.25, 1e-9);
}
