//! Real exports written by survey tools (../shared/fixtures/exports, described in its
//! SOURCES.md): each is detected as the right tool and read with the right number of responses
//! and columns, and every row is accounted for after cleaning.
//!
//! Expected rows and columns: for CSV files, Python's csv module on the file (non-blank records
//! minus the tool's header rows; widest header row); for workbooks, the response counts stated
//! in SOURCES.md ("4 test responses", "3 test rows", "7 rows"). The LimeSurvey N2 files hold 12
//! responses by that count (SOURCES.md says 13; the 14th line is the trailing blank line).
//! Permissively licensed files are copied to tests/fixtures/exports/ (see its SOURCES.md); the
//! GPL and unlicensed ones are read from ../shared only when it is there.

use crate::common::*;
use canvass::clean::{clean, CleanOptions, CleanTable, Reason};
use canvass::infer::Kind;
use canvass::ingest::{ingest, read_export, ReadOptions, ResponseOptions};
use canvass::model::Format;
use canvass::score::{score, ScoreOptions};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// An export read and cleaned with the default options.
fn cleaned(path: &std::path::Path, read: &ReadOptions) -> CleanTable {
    clean(
        ingest(path, read, &ResponseOptions::default()).unwrap(),
        &CleanOptions::default(),
    )
}

fn locate(tool: &str, file: &str) -> Option<PathBuf> {
    [
        repo().join("tests/fixtures/exports"),
        repo().join("../shared/fixtures/exports"),
    ]
    .into_iter()
    .map(|d| d.join(tool).join(file))
    .find(|p| p.exists())
}

const CASES: &[(&str, &str, Format, usize, usize)] = &[
    (
        "qualtrics",
        "qualtRics_sample.csv",
        Format::Qualtrics,
        1,
        20,
    ),
    (
        "qualtrics",
        "qualtRics_sample_legacy.csv",
        Format::Qualtrics,
        1,
        16,
    ),
    (
        "qualtrics",
        "QualtricsTools_No_Basis_for_Evaluation_Insights.csv",
        Format::Qualtrics,
        15,
        49,
    ),
    (
        "qualtrics",
        "QualtricsTools_No_Basis_for_Evaluation_Legacy.csv",
        Format::Qualtrics,
        15,
        49,
    ),
    (
        "surveymonkey",
        "blackstone_fake_sm_post_excel.xlsx",
        Format::Surveymonkey,
        4,
        27,
    ),
    (
        "surveymonkey",
        "blackstone_fake_sm_pre_excel_resaved.csv",
        Format::Surveymonkey,
        4,
        27,
    ),
    (
        "limesurvey",
        "N2_dummy_data_codeonly.csv",
        Format::Limesurvey,
        12,
        559,
    ),
    (
        "limesurvey",
        "N2_dummy_data_codeandtext.csv",
        Format::Limesurvey,
        12,
        559,
    ),
    (
        "limesurvey",
        "N2_dummy_data_2021_codeonly_v2.csv",
        Format::Limesurvey,
        36,
        680,
    ),
    (
        "limesurvey",
        "limonaid_survey_998192_R_data_file.csv",
        Format::Limesurvey,
        7,
        71,
    ),
    ("redcap", "REDCapR_survey_data.csv", Format::Redcap, 2, 33),
    (
        "redcap",
        "REDCapR_checkboxes-1_data.csv",
        Format::Redcap,
        4,
        13,
    ),
    (
        "redcap",
        "REDCapR_survey_dictionary.csv",
        Format::Redcap,
        25,
        18,
    ),
    (
        "redcap",
        "REDCapR_checkboxes-1_dictionary.csv",
        Format::Redcap,
        4,
        18,
    ),
    (
        "surveycto",
        "stata-scto_sctomedia_testdata_1_WIDE.csv",
        Format::Surveycto,
        6,
        20,
    ),
    (
        "surveycto",
        "stata-scto_sctomedia_testdata_2_WIDE.csv",
        Format::Surveycto,
        7,
        14,
    ),
    (
        "google-forms",
        "kobo-transfer_Kobo_Test.csv",
        Format::GoogleForms,
        5,
        4,
    ),
    (
        "google-forms",
        "kobo-transfer_KoboTest_Responses_New.xlsx",
        Format::GoogleForms,
        3,
        9,
    ),
    (
        "microsoft-forms",
        "ms-forms-quiz-calculator_Category-1.xlsx",
        Format::MicrosoftForms,
        7,
        37,
    ),
    (
        "microsoft-forms",
        "msforms2doc_exampleformoutput.xlsx",
        Format::MicrosoftForms,
        3,
        9,
    ),
    (
        "kobotoolbox",
        "kobo-transfer_Kobo_Platform_Test_-_rank-groups.xlsx",
        Format::Kobotoolbox,
        7,
        23,
    ),
];

#[test]
fn every_export_is_detected_and_read_with_its_rows_and_columns() {
    let mut checked = 0;
    for &(tool, file, format, rows, columns) in CASES {
        let Some(path) = locate(tool, file) else {
            eprintln!("skipped {tool}/{file}: not copied (licence) and ../shared is absent");
            continue;
        };
        let raw =
            read_export(&path, &ReadOptions::default()).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(raw.source.format, format, "{file}");
        assert_eq!(
            (raw.rows.len(), raw.columns.len()),
            (rows, columns),
            "{file}: rows, columns"
        );
        let table = ingest(&path, &ReadOptions::default(), &ResponseOptions::default()).unwrap();
        let c = clean(table, &CleanOptions::default());
        assert!(c.accounting.balances(), "{file}: read ≠ kept + excluded");
        assert_eq!(c.accounting.read, rows, "{file}");
        checked += 1;
    }
    // The 15 copied files are always there.
    assert!(checked >= 15, "only {checked} fixtures found");
}

#[test]
fn qualtrics_generated_test_responses_are_excluded_as_tests() {
    // SOURCES.md: "Status=2 on every row: these are Qualtrics-generated test responses."
    let path = locate(
        "qualtrics",
        "QualtricsTools_No_Basis_for_Evaluation_Insights.csv",
    )
    .unwrap();
    let c = cleaned(&path, &ReadOptions::default());
    assert_eq!(c.accounting.kept, 0);
    assert_eq!(c.accounting.excluded.get(&Reason::Test), Some(&15));
}

#[test]
fn import_ids_in_either_quoting_are_read() {
    let path = locate(
        "qualtrics",
        "QualtricsTools_No_Basis_for_Evaluation_Insights.csv",
    )
    .unwrap();
    let raw = read_export(&path, &ReadOptions::default()).unwrap();
    // Row 3 holds Python-dict style ImportIds: {'ImportId': 'QID2-1'}.
    assert!(
        raw.columns
            .iter()
            .any(|c| c.import_id.as_deref() == Some("QID2-1")),
        "{:?}",
        raw.columns.iter().map(|c| &c.import_id).collect::<Vec<_>>()
    );
    let path = locate("qualtrics", "qualtRics_sample.csv").unwrap();
    let raw = read_export(&path, &ReadOptions::default()).unwrap();
    assert!(raw
        .columns
        .iter()
        .any(|c| c.import_id.as_deref() == Some("QID1")));
}

#[test]
fn qualtrics_not_applicable_recodes_are_not_low_scores() {
    // SOURCES.md: Likert values are numeric 1..3, and -1/-2 mean "No basis for evaluation" /
    // "never had it". Without a survey file, canvass infers a 1–3 rating with -1 and -2 as
    // non-substantive answers; the multi-select options (one column per option, 1/blank) are
    // not items. Expected counts from Python's csv module on the file:
    //   Q1:   3 → 7, 2 → 3, 1 → 3, -1 → 2
    //   Q4_1: 3 → 5, 2 → 2, 1 → 2, -1 → 4, -2 → 2
    // Every row is a Qualtrics test response (Status = 2), so cleaning keeps none unless asked
    // to keep a pilot's test responses, as here; they are then counted as kept tests.
    let path = locate(
        "qualtrics",
        "QualtricsTools_No_Basis_for_Evaluation_Insights.csv",
    )
    .unwrap();
    let raw = read_export(&path, &ReadOptions::default()).unwrap();
    let kinds: BTreeMap<String, Kind> = canvass::infer::columns(&raw)
        .into_iter()
        .map(|c| (c.name, c.kind))
        .collect();
    assert_eq!(kinds["Q2_1"], Kind::MultiSelect);
    assert_eq!(kinds["Q2_-1"], Kind::MultiSelect);
    assert_eq!(kinds["Q1"], Kind::Likert);
    let survey = canvass::infer::draft_survey(&raw, "no basis");
    let scale = survey
        .response_scale("numeric-1-3")
        .expect("inferred scale");
    assert_eq!(scale.non_substantive, ["-1", "-2"]);
    assert!(survey.items.iter().all(|i| !i.column().starts_with("Q2_")));

    let mut options = CleanOptions::default();
    options.rules.keep_test_responses = true;
    let table = ingest(&path, &ReadOptions::default(), &ResponseOptions::default()).unwrap();
    let as_read = clean(table, &options);
    assert_eq!((as_read.accounting.read, as_read.accounting.kept), (15, 15));
    assert_eq!(
        as_read.accounting.kept_flagged.get(&Reason::Test),
        Some(&15)
    );
    let report = score(&as_read, &survey, &ScoreOptions::default()).unwrap();
    let item = |id: &str| {
        &report
            .items
            .iter()
            .find(|i| i.column == id)
            .unwrap_or_else(|| panic!("no item for {id}"))
            .summary
    };
    let q1 = item("Q1");
    assert_eq!((q1.n, q1.non_substantive, q1.missing), (13, 2, 0));
    assert!(
        (q1.pct_agree.unwrap() - 700.0 / 13.0).abs() < 1e-9,
        "top box 7 of 13"
    );
    assert!(
        (q1.mean.unwrap() - 30.0 / 13.0).abs() < 1e-12,
        "(3·1 + 3·2 + 7·3) / 13"
    );
    let q4 = item("Q4_1");
    assert_eq!((q4.n, q4.non_substantive), (9, 6));
    assert!(
        (q4.mean.unwrap() - 21.0 / 9.0).abs() < 1e-12,
        "(2·1 + 2·2 + 5·3) / 9"
    );
}

#[test]
fn redcap_checkbox_columns_are_multi_select() {
    // SOURCES.md: checkbox columns check_one___1..4 and check_two___a..e, unanswered = all 0.
    let path = locate("redcap", "REDCapR_checkboxes-1_data.csv").unwrap();
    let raw = read_export(&path, &ReadOptions::default()).unwrap();
    let checkboxes: Vec<_> = canvass::infer::columns(&raw)
        .into_iter()
        .filter(|c| c.name.contains("___"))
        .collect();
    assert_eq!(checkboxes.len(), 9, "check_one___1..4 and check_two___a..e");
    for c in checkboxes {
        assert_eq!(c.kind, Kind::MultiSelect, "{}", c.name);
    }
}

#[test]
fn hand_made_exports_cover_utf16_typeform_ods_and_xls() {
    // tests/fixtures/exports/made/generate.py wrote these; the expected values are in it.
    let made = |f: &str| repo().join("tests/fixtures/exports/made").join(f);
    let read = |f: &str| read_export(&made(f), &ReadOptions::default()).unwrap();
    let cleaned = |f: &str| cleaned(&made(f), &ReadOptions::default());

    let q = read("qualtrics-unicode.tsv");
    assert_eq!(
        (
            q.source.format,
            q.source.encoding.as_str(),
            q.source.delimiter
        ),
        (Format::Qualtrics, "utf-16le", Some('\t'))
    );
    assert_eq!(
        (q.rows.len(), q.columns.len(), q.source.header_rows),
        (5, 10, 3)
    );
    assert_eq!(q.columns[8].import_id.as_deref(), Some("QID2"));
    assert!(q.rows[2].cells[9].contains("target‑setting – “really”"));
    let c = cleaned("qualtrics-unicode.tsv");
    assert_eq!(c.accounting.kept, 3);
    assert_eq!(c.accounting.excluded.get(&Reason::Preview), Some(&1));
    assert_eq!(c.accounting.excluded.get(&Reason::Unfinished), Some(&1));
    assert_eq!(
        c.exclusions[1].row, 7,
        "the unfinished response: header lines 1–3, then the preview (4), R_a1, R_a2, R_a3 (7)"
    );

    let t = read("typeform.csv");
    assert_eq!(
        (t.source.format, t.rows.len(), t.columns.len()),
        (Format::Typeform, 3, 7)
    );
    let c = cleaned("typeform.csv");
    assert_eq!(
        c.accounting.kept, 2,
        "the response without a Submit Date is unfinished"
    );
    let kept: Vec<&str> = c.columns.iter().map(|c| c.name.as_str()).collect();
    assert!(
        !kept.contains(&"#") && !kept.contains(&"Network ID"),
        "{kept:?}"
    );

    let o = read("generic.ods");
    assert_eq!(
        (o.source.encoding.as_str(), o.rows.len(), o.columns.len()),
        ("ods", 4, 4)
    );
    assert_eq!(o.rows[1].cells[3], "5", "whole numbers without `.0`");

    let x = read("generic.xls");
    assert_eq!(
        (x.source.encoding.as_str(), x.rows.len(), x.columns.len()),
        ("xls", 4, 5)
    );
    assert_eq!(x.rows[0].cells[4], "2025-10-01", "date cells as ISO dates");
    assert_eq!(x.source.sheets, ["Responses", "Notes"]);
    let notes = read_export(
        &made("generic.xls"),
        &ReadOptions::new(Some("Notes".into()), None),
    );
    assert!(notes.is_ok(), "another sheet by name");
}

#[test]
fn kobo_repeat_groups_are_listed_and_each_sheet_is_readable() {
    // GPL fixture: only beside ../shared. Rows and columns per sheet from openpyxl on the file
    // (non-blank rows minus the header): main 5 × 18, topics_discussed 8 × 15,
    // participants 8 × 13, feedback 12 × 14.
    let Some(path) = locate(
        "kobotoolbox",
        "kobo-transfer_Meeting_Form_-_latest_version_-_False_-_2024-03-14-09-51-14.xlsx",
    ) else {
        eprintln!("skipped: ../shared is absent");
        return;
    };
    for (sheet, rows, columns) in [
        (None, 5, 18),
        (Some("topics_discussed"), 8, 15),
        (Some("participants"), 8, 13),
        (Some("feedback"), 12, 14),
    ] {
        let raw = read_export(&path, &ReadOptions::new(sheet.map(String::from), None)).unwrap();
        assert_eq!(raw.source.format, Format::Kobotoolbox, "{sheet:?}");
        assert_eq!(
            (raw.rows.len(), raw.columns.len()),
            (rows, columns),
            "{sheet:?}"
        );
        assert_eq!(raw.source.sheets.len(), 4);
        let kinds = canvass::infer::columns(&raw);
        // Repeat-group sheets link to their parent row; that link is metadata, not a rating.
        let parent = kinds.iter().find(|c| c.name == "_parent_index");
        match sheet {
            None => assert!(parent.is_none()),
            Some(_) => assert_eq!(parent.map(|c| &c.kind), Some(&Kind::Metadata), "{sheet:?}"),
        }
    }
}

#[test]
fn surveymonkey_resaved_by_excel_keeps_every_respondent_and_its_matrix() {
    // SOURCES.md: after Excel, `Respondent ID` reads 1.14628E+11 on all four rows (digits
    // lost). Those values cannot identify anyone, so no row may be dropped as a duplicate.
    // The confidence matrix (row 2 names each task) is read as items on SurveyMonkey's
    // five-point confidence scale. Answers to "Research relevant background literature" from
    // the file: Not at all, Somewhat, Not at all, Slightly → n = 4, nobody in the top two.
    let path = locate("surveymonkey", "blackstone_fake_sm_pre_excel_resaved.csv").unwrap();
    let c = cleaned(&path, &ReadOptions::default());
    assert_eq!(c.accounting.kept, 4, "{:?}", c.exclusions);
    let raw = read_export(&path, &ReadOptions::default()).unwrap();
    let survey = canvass::infer::draft_survey(&raw, "sm");
    let literature = survey
        .items
        .iter()
        .find(|i| {
            i.column()
                .ends_with(" - Research relevant background literature")
        })
        .expect("matrix part is an item");
    assert_eq!(literature.scale, "confidence5_very");
    let report = score(&c, &survey, &ScoreOptions::default()).unwrap();
    let s = &report
        .items
        .iter()
        .find(|i| i.id == literature.id)
        .unwrap()
        .summary;
    assert_eq!((s.n, s.agree_count), (4, 0));
    assert_eq!(s.mean, Some(1.75), "(1 + 3 + 1 + 2) / 4");
}

/// A SurveyMonkey export whose tool columns were deleted before a spreadsheet saved it again
/// (exports/made/surveymonkey_resaved.py): the second header row ("Response", a matrix's row
/// labels) is still a header, not a respondent, and the favourability grid is a rating scale
/// whose "Unfamiliar (N/A)" is no opinion. The file's 8 respondents answer the grid's first row
/// (the script's pattern) Very favorably, Somewhat favorably, Somewhat unfavorably, Very
/// unfavorably, Unfamiliar, Very favorably, Somewhat favorably, Somewhat unfavorably: n = 7
/// with an opinion, 4 favourable.
#[test]
fn surveymonkey_without_its_own_columns_is_still_read_as_surveymonkey() {
    let path = locate("made", "surveymonkey-resaved.csv").unwrap();
    let raw = read_export(&path, &ReadOptions::default()).unwrap();
    assert_eq!(raw.source.format, Format::Surveymonkey);
    assert_eq!((raw.source.header_rows, raw.rows.len()), (2, 8));
    assert!(
        raw.rows
            .iter()
            .all(|r| r.cells.iter().all(|c| c != "Response")),
        "the placeholder row is a header"
    );
    let survey = canvass::infer::draft_survey(&raw, "sm");
    let grid = survey
        .items
        .iter()
        .find(|i| i.column().ends_with(" - The graduate school"))
        .expect("the favourability grid's rows are items");
    let c = cleaned(&path, &ReadOptions::default());
    assert_eq!(c.accounting.kept, 8, "{:?}", c.exclusions);
    let report = score(&c, &survey, &ScoreOptions::default()).unwrap();
    let s = &report
        .items
        .iter()
        .find(|i| i.id == grid.id)
        .unwrap()
        .summary;
    assert_eq!((s.n, s.agree_count), (7, 4), "{s:?}");
}

/// A Microsoft Forms workbook in Spanish (exports/made/microsoft_forms_es.py): the tool's own
/// first five columns are told by their place and values, not by English names, so the e-mail
/// and name columns ("Correo electrónico", "Nombre") are identifiers, the times metadata, and
/// every question an answer; all 12 responses are kept.
#[test]
fn microsoft_forms_in_another_language_keeps_its_answers_and_drops_who_answered() {
    let path = locate("made", "microsoft-forms-es.xlsx").unwrap();
    let raw = read_export(&path, &ReadOptions::default()).unwrap();
    assert_eq!(raw.source.format, Format::MicrosoftForms);
    let kinds: Vec<(String, Kind)> = canvass::infer::columns(&raw)
        .into_iter()
        .map(|c| (c.name, c.kind))
        .collect();
    let kind = |name: &str| &kinds.iter().find(|(n, _)| n == name).unwrap().1;
    for tool in ["Id", "Correo electrónico", "Nombre"] {
        assert_eq!(kind(tool), &Kind::Identifier, "{tool}");
    }
    for time in ["Hora de inicio", "Hora de finalización"] {
        assert_eq!(kind(time), &Kind::Metadata, "{time}");
    }
    for (name, k) in &kinds[6..] {
        assert!(
            !matches!(k, Kind::Identifier | Kind::Metadata | Kind::Empty),
            "{name}: {k:?}"
        );
    }
    let c = cleaned(&path, &ReadOptions::default());
    assert_eq!(c.accounting.kept, 12, "{:?}", c.exclusions);
}

/// REDCap's repeating instruments (laid out as REDCapR's `repeating-instruments-sparse` test
/// project): each record's survey row, then one row per instance of a repeating form under the
/// same record id. Those rows are not duplicates: they are set apart with their own reason.
#[test]
fn redcap_repeating_instrument_rows_are_not_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("repeating.csv");
    let mut csv = String::from(
        "record_id,redcap_repeat_instrument,redcap_repeat_instance,sex,demographics_complete,bp_systolic,bp_complete\n",
    );
    for record in 1..=3 {
        csv.push_str(&format!("{record},,,{},2,,\n", record % 2));
        for instance in 1..=2 {
            csv.push_str(&format!("{record},bp,{instance},,,1{record}{instance},2\n"));
        }
    }
    std::fs::write(&path, csv).unwrap();
    let c = cleaned(&path, &ReadOptions::default());
    assert_eq!(c.accounting.read, 9);
    assert_eq!(c.accounting.kept, 3, "{:?}", c.exclusions);
    assert_eq!(c.accounting.excluded.get(&Reason::Duplicate), None);
    assert_eq!(c.accounting.excluded[&Reason::RepeatInstance], 6);
    assert!(
        c.exclusions[0]
            .detail
            .starts_with("redcap_repeat_instrument = bp, instance 1"),
        "{:?}",
        c.exclusions[0]
    );
}

#[test]
fn limesurvey_not_shown_is_neither_an_answer_nor_missing() {
    // SOURCES.md (N2 files): "`N/A` = question not shown (different from blank = not
    // answered)". A LimeSurvey-layout file with one Likert question answered by two
    // respondents, not shown to one (N/A) and left blank by one.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lime.csv");
    std::fs::write(
        &path,
        "\u{feff}\"id\",\"submitdate\",\"lastpage\",\"startlanguage\",\"seed\",\"A1\",\"A2\"\r\n\
         \"1\",\"2024-01-01 10:00:00\",\"2\",\"en\",\"11\",\"Fully agree\",\"Woman\"\r\n\
         \"2\",\"2024-01-01 10:05:00\",\"2\",\"en\",\"12\",\"N/A\",\"Woman\"\r\n\
         \"3\",\"2024-01-01 10:09:00\",\"2\",\"en\",\"13\",\"\",\"Woman\"\r\n\
         \"4\",\"2024-01-01 10:12:00\",\"2\",\"en\",\"14\",\"Partially disagree\",\"Woman\"\r\n\r\n",
    )
    .unwrap();
    let raw = read_export(&path, &ReadOptions::default()).unwrap();
    assert_eq!(raw.source.format, Format::Limesurvey);
    let survey = canvass::infer::draft_survey(&raw, "lime");
    let c = cleaned(&path, &ReadOptions::default());
    let s = &score(&c, &survey, &ScoreOptions::default()).unwrap().items[0].summary;
    assert_eq!(
        (s.n, s.not_shown, s.missing, s.non_substantive),
        (2, 1, 1, 0)
    );
    assert_eq!(s.pct_agree, Some(50.0));
}

#[test]
fn redcap_dictionary_labels_columns_and_drops_flagged_identifiers() {
    // From the dictionary (Python's csv module): 25 fields; `Identifier?` = y on email,
    // first_name, last_name, address, telephone_1; `consent` is a checkbox with option
    // "1, I consent"; the first field, participant_id, is the record id.
    let dir = repo().join("tests/fixtures/exports/redcap");
    let dictionary = dir.join("REDCapR_survey_dictionary.csv");
    let d = canvass::ingest::redcap::read_dictionary(&dictionary).unwrap();
    assert_eq!(d.fields.len(), 25);
    assert_eq!(
        d.identifiers(),
        ["email", "first_name", "last_name", "address", "telephone_1"]
    );
    let read = ReadOptions::new(None, Some(dictionary));
    let data = dir.join("REDCapR_survey_data.csv");
    let raw = read_export(&data, &read).unwrap();
    let question = |name: &str| {
        raw.columns
            .iter()
            .find(|c| c.name == name)
            .map(|c| c.question.clone())
            .unwrap()
    };
    assert_eq!(
        question("pmq1"),
        "On average, how many pills did you take each day last week?"
    );
    assert!(
        question("consent___1").ends_with(" – I consent"),
        "{}",
        question("consent___1")
    );
    let table = ingest(&data, &read, &ResponseOptions::default()).unwrap();
    for gone in [
        "participant_id",
        "email",
        "first_name",
        "telephone_1",
        "address",
    ] {
        assert!(
            table.dropped_identifiers.iter().any(|d| d == gone),
            "{gone}"
        );
        assert!(table.columns.iter().all(|c| c.name != gone), "{gone}");
    }

    // `inspect` recognises the dictionary itself.
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_canvass"))
        .args(["inspect", "--json"])
        .arg(dir.join("REDCapR_survey_dictionary.csv"))
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        (v["format"].as_str(), v["kind"].as_str()),
        (Some("redcap"), Some("data-dictionary"))
    );
    assert_eq!(v["fields"].as_array().map(Vec::len), Some(25));
}

#[test]
fn json_exports_from_kobo_and_qualtrics_are_read() {
    // tests/fixtures/exports/made/generate.py wrote these (the values are in it).
    let made = |f: &str| repo().join("tests/fixtures/exports/made").join(f);
    let kobo = read_export(&made("kobo-api.json"), &ReadOptions::default()).unwrap();
    assert_eq!(
        (kobo.source.format, kobo.source.encoding.as_str()),
        (Format::Kobotoolbox, "json")
    );
    assert_eq!((kobo.rows.len(), kobo.columns.len()), (3, 11));
    let column = |name: &str| kobo.columns.iter().position(|c| c.name == name).unwrap();
    assert_eq!(kobo.rows[0].cells[column("topics")], "data, marking");
    assert_eq!(kobo.rows[1].cells[column("school/region")], "South");
    let table = ingest(
        &made("kobo-api.json"),
        &ReadOptions::default(),
        &ResponseOptions::default(),
    )
    .unwrap();
    for gone in ["_uuid", "_id", "_geolocation"] {
        assert!(
            table.dropped_identifiers.iter().any(|d| d == gone),
            "{gone}"
        );
    }

    let c = cleaned(&made("qualtrics-api.json"), &ReadOptions::default());
    assert_eq!(c.source.format, Format::Qualtrics);
    assert_eq!(c.accounting.kept, 2);
    assert_eq!(c.exclusions[0].reason, Reason::Preview);
    assert_eq!(c.exclusions[0].row, 1, "responses are numbered from 1");
}

#[test]
fn redcap_dictionary_options_make_likert_items_with_their_codes() {
    // A REDCap radio field coded 0–4 and one coded 1–5, both on the agreement scale. Raw
    // exports hold the codes; the dictionary says what they mean. Hand count for `sat`
    // (codes 3, 4, 1, 3 → Agree, Strongly agree, Disagree, Agree): 3 of 4 agree = 75 %;
    // its mean is on the project's own codes: (3 + 4 + 1 + 3) / 4 = 2.75.
    let dir = tempfile::tempdir().unwrap();
    let dictionary = dir.path().join("dictionary.csv");
    std::fs::write(
        &dictionary,
        "\"Variable / Field Name\",\"Form Name\",\"Section Header\",\"Field Type\",\"Field Label\",\"Choices, Calculations, OR Slider Labels\",\"Field Note\",\"Text Validation Type OR Show Slider Number\",\"Text Validation Min\",\"Text Validation Max\",Identifier?\n\
         record_id,staff,,text,\"Record ID\",,,,,,\n\
         sat,staff,,radio,\"The <b>initial phase</b> was supported\",\"0, Strongly disagree | 1, Disagree | 2, Neither agree nor disagree | 3, Agree | 4, Strongly agree\",,,,,\n\
         q2,staff,,radio,\"The analysis helped\",\"1, Strongly disagree | 2, Disagree | 3, Neither agree nor disagree | 4, Agree | 5, Strongly agree\",,,,,\n",
    )
    .unwrap();
    let data = dir.path().join("data.csv");
    std::fs::write(
        &data,
        "record_id,sat,q2,staff_complete\n1,3,5,2\n2,4,4,2\n3,1,2,2\n4,3,4,2\n",
    )
    .unwrap();
    let read = ReadOptions::new(None, Some(dictionary));
    let raw = read_export(&data, &read).unwrap();
    let survey = canvass::infer::draft_survey(&raw, "redcap");
    let scale_of = |column: &str| {
        survey
            .items
            .iter()
            .find(|i| i.column() == column)
            .map(|i| i.scale.clone())
            .unwrap()
    };
    assert_eq!(scale_of("sat"), "agree5-codes-0_1_2_3_4");
    assert_eq!(scale_of("q2"), "agree5");
    assert_eq!(
        survey.items[0].text, "The initial phase was supported",
        "label without its HTML"
    );
    let c = cleaned(&data, &read);
    let report = score(&c, &survey, &ScoreOptions::default()).unwrap();
    let sat = &report.items[0].summary;
    assert_eq!(
        (sat.n, sat.pct_agree, sat.mean),
        (4, Some(75.0), Some(2.75))
    );
}
