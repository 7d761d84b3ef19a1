//! Column kinds on exports canvass was not tuned on (issue #27): each mechanism that reads a
//! tool's general behaviour, tried on a committed export of tests/fixtures/unseen (labelled
//! blind in tests/fixtures/unseen-kinds.json) or on a few rows written here the way the tool
//! writes them (the tool's documentation is cited beside each).

use crate::common::*;
use canvass::infer::{self, ColumnInfo, Kind};
use canvass::ingest::{read_export, ReadOptions};
use std::path::{Path, PathBuf};

fn unseen(relative: &str) -> PathBuf {
    repo().join("tests/fixtures/unseen").join(relative)
}

/// Every column's inferred kind, in file order.
fn inferred(path: &Path, dictionary: Option<PathBuf>) -> Vec<ColumnInfo> {
    let raw = read_export(path, &ReadOptions::new(None, dictionary))
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    infer::columns(&raw)
}

fn kind_of<'a>(columns: &'a [ColumnInfo], name: &str) -> &'a ColumnInfo {
    columns
        .iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("no column {name:?}"))
}

/// The kinds of the columns whose question starts with `question` (a question's option
/// columns), in column order.
fn kinds_asking(columns: &[ColumnInfo], question: &str) -> Vec<Kind> {
    columns
        .iter()
        .filter(|c| c.question.starts_with(question))
        .map(|c| c.kind.clone())
        .collect()
}

fn assert_kind(columns: &[ColumnInfo], name: &str, kind: Kind) {
    let c = kind_of(columns, name);
    assert_eq!(c.kind, kind, "{name}: {}", c.reason);
}

/// A CSV written into a scratch folder.
fn written(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn limesurvey_equations_are_flags_or_bookkeeping_never_check_all_options() {
    // A LimeSurvey export with question texts as headers shows an equation question's
    // ExpressionScript: flags (comparisons) are choices the survey made, `.gseq` lookups and
    // joins its bookkeeping; two equations that start alike are not one question's options.
    let dir = tempfile::tempdir().unwrap();
    let path = written(
        dir.path(),
        "results.csv",
        "Response ID,{(country.NAOK=='nl00')},\"{if(age.NAOK == 1, 'm', 's')}\",{IntGetHelpSeq.gseq},\
         \"{(((sum(a.NAOK/2, 9)) - X.NAOK) &gt; 0)}\",\"{(((sum(a.NAOK/2, 9)) - Y.NAOK) &gt; 0)}\",How old are you?\n\
         1,1,m,8,,,4\n2,0,s,12,,,5\n3,1,s,8,,,4\n",
    );
    let columns = inferred(&path, None);
    assert_kind(&columns, "{(country.NAOK=='nl00')}", Kind::SingleChoice);
    assert_kind(
        &columns,
        "{if(age.NAOK == 1, 'm', 's')}",
        Kind::SingleChoice,
    );
    assert_kind(&columns, "{IntGetHelpSeq.gseq}", Kind::Metadata);
    for never_shown in [
        "{(((sum(a.NAOK/2, 9)) - X.NAOK) &gt; 0)}",
        "{(((sum(a.NAOK/2, 9)) - Y.NAOK) &gt; 0)}",
    ] {
        assert_kind(&columns, never_shown, Kind::Empty);
        assert_eq!(kind_of(&columns, never_shown).matrix, None);
    }
}

#[test]
fn qualtrics_codes_are_choices_option_columns_are_ticks_and_minus_99_is_no_answer() {
    // Qualtrics' "numeric values" export: a choice question holds its options' codes (recode
    // values such as 10–12 included), a multiple-answer question one column per option holding
    // the option's code when ticked and -99 when seen but not ticked, a slider a different
    // number from each respondent. QualtricsTools' sample surveys (tests/fixtures/unseen).
    let columns = inferred(
        &unseen("qualtrics/QualtricsTools_Single_Answer_MC_Questions_Insights.csv"),
        None,
    );
    assert_kind(&columns, "Q4", Kind::SingleChoice);
    assert_kind(&columns, "Q5", Kind::SingleChoice);
    let columns = inferred(
        &unseen("qualtrics/QualtricsTools_Better_Sample_Survey.csv"),
        None,
    );
    assert_kind(&columns, "q2_favorite", Kind::SingleChoice);
    for option in ["Q13_1_-1", "Q10#2_2_-1", "Q12#1_3_0"] {
        assert_kind(&columns, option, Kind::MultiSelect);
    }
    let columns = inferred(
        &unseen("qualtrics/QualtricsTools_Sample_Survey_Insights.csv"),
        None,
    );
    assert_kind(&columns, "Q5_1", Kind::Numeric);

    let dir = tempfile::tempdir().unwrap();
    let path = written(
        dir.path(),
        "fruit.csv",
        "ResponseId,Q1_1,Q1_2,Q1_3,Q2\n\
         Response ID,Which fruit do you eat? - Apple,Which fruit do you eat? - Pear,Which fruit do you eat? - Plum,Favourite fruit\n\
         {\"ImportId\":\"_recordId\"},{\"ImportId\":\"QID1_1\"},{\"ImportId\":\"QID1_2\"},{\"ImportId\":\"QID1_3\"},{\"ImportId\":\"QID2\"}\n\
         R_1,1,-99,-99,2\nR_2,-99,1,1,3\nR_3,1,1,-99,2\nR_4,-99,-99,1,1\n",
    );
    let columns = inferred(&path, None);
    for option in ["Q1_1", "Q1_2", "Q1_3"] {
        assert_kind(&columns, option, Kind::MultiSelect);
    }
    assert_kind(&columns, "Q2", Kind::SingleChoice);
    // The run counts ticks, never a mean of -99s.
    let o = canvass(&["score", path.to_str().unwrap(), "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stdout(&o).contains("-99"), "{}", stdout(&o));
    assert!(!stdout(&o).contains("-12.3"), "{}", stdout(&o));
}

#[test]
fn redcap_dictionary_options_decide_coded_columns() {
    // REDCap's data dictionary names each code of a radio or dropdown field: a race code is a
    // choice, a dependence level whose options are the numbers 0–5 a rating on them; the
    // event and data access group columns are REDCap's bookkeeping.
    let columns = inferred(
        &unseen("redcap/REDCapR_longitudinal_data.csv"),
        Some(unseen("redcap/REDCapR_longitudinal_dictionary.csv")),
    );
    assert_kind(&columns, "race", Kind::SingleChoice);
    assert_kind(&columns, "withdraw_reason", Kind::SingleChoice);
    assert_kind(&columns, "redcap_event_name", Kind::Metadata);
    let pmq2 = kind_of(&columns, "pmq2");
    assert_eq!(pmq2.kind, Kind::Likert, "{}", pmq2.reason);
    assert_eq!(pmq2.scale.as_deref(), Some("numeric-0-5"));
    // "0, not open | 1, undecided | 2, very open": one quality from "not" to "very".
    let pmq4 = kind_of(&columns, "pmq4");
    assert_eq!(pmq4.kind, Kind::Likert, "{}", pmq4.reason);
    assert_eq!(pmq4.codes, vec![0.0, 1.0, 2.0]);
}

#[test]
fn record_keys_devices_and_coordinates_are_identifiers_by_header_and_by_values() {
    // ODK/Kobo record keys (`uuid:…`), IMEIs, x/y positions and ODK Briefcase's
    // `meta-instanceID` under names that say nothing; Survey123's GlobalID, x, y and its
    // examiner (a person's name) in a committed export.
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("meta-instanceID,submission,device,x,y,deviceid,simserial,q1\n");
    for i in 0..12 {
        text.push_str(&format!(
            "uuid:0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c{i:02},{{6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e{i:02}}},35693803564{i:04},-114.47{i:04},42.60{i:04},ab{i:03},8901{i:015},Yes\n"
        ));
    }
    let path = written(dir.path(), "odk.csv", &text);
    let columns = inferred(&path, None);
    for id in [
        "meta-instanceID",
        "submission",
        "device",
        "x",
        "y",
        "deviceid",
        "simserial",
    ] {
        assert_kind(&columns, id, Kind::Identifier);
    }
    assert_kind(&columns, "q1", Kind::SingleChoice);

    let columns = inferred(
        &unseen("survey123/tabular-field-data-plugin_survey_123_sample.csv"),
        None,
    );
    for id in ["ObjectID", "GlobalID", "Examiner:", "Creator", "x", "y"] {
        assert_kind(&columns, id, Kind::Identifier);
    }
    assert_kind(&columns, "CreationDate", Kind::Metadata);
    // Never in an output: the run's files hold none of the keys or positions.
    let out = tempfile::tempdir().unwrap();
    let o = canvass(&["init", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    std::fs::write(out.path().join("survey.toml"), stdout(&o)).unwrap();
    std::fs::copy(&path, out.path().join("odk.csv")).unwrap();
    std::fs::write(
        out.path().join("p.toml"),
        "name = \"p\"\nsurvey = \"survey.toml\"\noutput = \"out\"\n[[waves]]\nname = \"w1\"\nexport = \"odk.csv\"\n",
    )
    .unwrap();
    let o = canvass(&[
        "run",
        out.path().join("p.toml").to_str().unwrap(),
        "--quiet",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    for (file, body) in output_texts(&out.path().join("out")) {
        for secret in ["0a1b2c3d", "6f1c2d3e", "3569380356", "42.60", "8901000"] {
            assert!(!body.contains(secret), "{secret} in {}", file.display());
        }
    }
}

#[test]
fn kobo_option_columns_beside_their_question_are_check_all() {
    // KoboToolbox and ODK write a select_multiple as the question's column (the options chosen,
    // joined by spaces) followed by one 0/1 column per option, `question/option` (or
    // `group.question.option` in kobocruncher's exports).
    let dir = tempfile::tempdir().unwrap();
    let path = written(
        dir.path(),
        "kobo.csv",
        "reason,reason/work,reason/safety,reason/family,profile.why,profile.why.school,profile.why.health,smoker\n\
         work safety,1,1,0,school,True,False,1\n\
         family,0,0,1,health,False,True,0\n\
         work,1,0,0,school health,True,True,1\n\
         safety family,0,1,1,health,False,True,0\n",
    );
    let columns = inferred(&path, None);
    for check_all in [
        "reason",
        "reason/work",
        "reason/safety",
        "reason/family",
        "profile.why",
        "profile.why.school",
        "profile.why.health",
    ] {
        assert_kind(&columns, check_all, Kind::MultiSelect);
    }
    // A yes/no question with no question column above it stays a choice.
    assert_kind(&columns, "smoker", Kind::SingleChoice);
}

#[test]
fn limesurvey_options_in_the_surveys_language_and_its_other_box() {
    // A LimeSurvey export in French (question texts as headers): a check-all question's options
    // answered Oui/Non/N/A are ticks, its "[Autre]" box is a text entry, and one option whose
    // label holds commas in brackets ("Transports publics (train, bus, etc.)") is one answer.
    let columns = inferred(&unseen("limesurvey/adg-2019_results-survey4914.xlsx"), None);
    for option in [
        "Vous êtes venu: [Seul]",
        "Vous êtes venu: [En famille]",
        "Quel(s) jour(s) avez-vous fait des visites? [Samedi]",
    ] {
        assert_kind(&columns, option, Kind::MultiSelect);
    }
    assert_kind(
        &columns,
        "Vous habitez dans quel pays? [Autre]",
        Kind::FreeText,
    );
    let transport = columns
        .iter()
        .find(|c| c.name.contains("moyen de transport"))
        .unwrap();
    assert_eq!(transport.kind, Kind::SingleChoice, "{}", transport.reason);
}

#[test]
fn slider_rows_read_between_their_named_ends_on_one_range() {
    // LimeSurvey writes a slider row's two ends into its header ("[Alcohol:|absolutely
    // not|absolutely]"): its numbers are a rating, and the grid's rows share one range.
    let dir = tempfile::tempdir().unwrap();
    let path = written(
        dir.path(),
        "slider.csv",
        "Response ID,Do you intend to use the following? [Alcohol:|absolutely not|absolutely],\
         Do you intend to use the following? [Cannabis:|absolutely not|absolutely]\n\
         1,2,4\n2,3,4\n3,2,5\n",
    );
    let columns = inferred(&path, None);
    let rows: Vec<&ColumnInfo> = columns.iter().skip(1).collect();
    for row in &rows {
        assert_eq!(row.kind, Kind::Likert, "{}: {}", row.name, row.reason);
    }
    assert_eq!(rows[0].scale, rows[1].scale, "one grid, one scale");
}

#[test]
fn a_true_false_scale_in_spanish_is_a_rating() {
    // A Google Forms grid of a Spanish personality inventory: "Totalmente verdadero … Totalmente
    // falso" with "No lo sé" beside it, not a choice.
    let dir = tempfile::tempdir().unwrap();
    let labels = [
        "Totalmente verdadero",
        "Un poco verdadero",
        "No lo sé",
        "Un poco falso",
        "Totalmente falso",
    ];
    let mut text = String::from("Marca temporal,Describe mejor tu forma de ser [Me gusta leer]\n");
    for (i, l) in labels.iter().cycle().take(15).enumerate() {
        text.push_str(&format!("9/08/2021 12:{:02}:00,{l}\n", i + 10));
    }
    let path = written(dir.path(), "respuestas.csv", &text);
    let columns = inferred(&path, None);
    assert_kind(&columns, "Marca temporal", Kind::Metadata);
    let item = &columns[1];
    assert_eq!(item.kind, Kind::Likert, "{}", item.reason);
    assert_eq!(item.labels.len(), 4, "{:?}", item.labels);
    assert_eq!(item.not_applicable, vec!["No lo sé".to_string()]);
}

#[test]
fn tool_bookkeeping_is_metadata_with_a_reason_not_a_number() {
    // Qualtrics' timing question (`Q1_First Click` … `Q1_Click Count`) and its `Q_` fields,
    // ODK Central's attachment, review and version columns, SurveyCTO's duration: the tool's
    // own counts, never questions; ODK Central's submitter and collector accounts are people.
    let dir = tempfile::tempdir().unwrap();
    let path = written(
        dir.path(),
        "timing.csv",
        "Q1_First Click,Q1_Last Click,Q1_Page Submit,Q1_Click Count,Q_RecaptchaScore,duration,\
         AttachmentsPresent,AttachmentsExpected,Edits,FormVersion,SubmitterName,username,q1\n\
         1.2,3.4,5.6,2,0.9,345,0,0,0,2024010101,Ann Lee,enum1,3\n\
         2.2,4.4,6.6,3,0.8,400,0,0,1,2024010101,Bo Ray,enum2,4\n\
         3.2,5.4,7.6,1,0.9,380,1,1,0,2024010101,Ann Lee,enum1,2\n",
    );
    let columns = inferred(&path, None);
    for own in [
        "Q1_First Click",
        "Q1_Last Click",
        "Q1_Page Submit",
        "Q1_Click Count",
        "Q_RecaptchaScore",
        "duration",
        "AttachmentsPresent",
        "AttachmentsExpected",
        "Edits",
        "FormVersion",
    ] {
        let c = kind_of(&columns, own);
        assert_eq!(c.kind, Kind::Metadata, "{own}: {}", c.reason);
        assert!(!c.reason.is_empty());
    }
    for who in ["SubmitterName", "username"] {
        assert_kind(&columns, who, Kind::Identifier);
    }
    assert_kind(&columns, "q1", Kind::Numeric);
}

#[test]
fn surveymonkey_check_all_columns_hold_their_options_label() {
    // SurveyMonkey writes a check-all question as one column per option under the question's
    // header, each holding its option's label when ticked and nothing otherwise; the "Other
    // (please specify)" column holds what was typed.
    let dir = tempfile::tempdir().unwrap();
    let path = written(
        dir.path(),
        "sm.csv",
        "Respondent ID,Collector ID,Start Date,End Date,IP Address,Email Address,First Name,Last Name,Custom Data 1,Which fruits do you eat?,,,How satisfied are you?\n\
         ,,,,,,,,,Apple,Pear,Other (please specify),Response\n\
         1114,431,6/20/24 14:45,6/20/24 14:45,1.2.3.4,,,,,Apple,,,Very satisfied\n\
         1115,431,6/20/24 14:45,6/20/24 14:45,1.2.3.5,,,,,Apple,Pear,kiwi,Satisfied\n\
         1116,431,6/20/24 14:45,6/20/24 14:45,1.2.3.6,,,,,,Pear,,Dissatisfied\n\
         1117,431,6/20/24 14:45,6/20/24 14:45,1.2.3.7,,,,,Apple,,,Very dissatisfied\n",
    );
    let columns = inferred(&path, None);
    let fruit: Vec<&ColumnInfo> = columns
        .iter()
        .filter(|c| c.matrix.as_deref() == Some("Which fruits do you eat?"))
        .collect();
    assert_eq!(fruit.len(), 3, "{columns:?}");
    assert_eq!(fruit[0].kind, Kind::MultiSelect, "{}", fruit[0].reason);
    assert_eq!(fruit[1].kind, Kind::MultiSelect, "{}", fruit[1].reason);
    assert_eq!(fruit[2].kind, Kind::FreeText, "{}", fruit[2].reason);
}

#[test]
fn a_grids_rows_are_decided_together_despite_a_stray_answer() {
    // Twelve rows of one agreement grid; one row holds a single "Sometimes" among a hundred
    // answers. The grid is one scale, and the stray answer is left unscored, not a reason to
    // read that row as a choice question.
    let dir = tempfile::tempdir().unwrap();
    let labels = ["Strongly disagree", "Disagree", "Agree", "Strongly agree"];
    let mut text = String::from("id");
    for r in 1..=12 {
        text.push_str(&format!(",How far do you agree? [Statement {r}]"));
    }
    text.push('\n');
    for row in 0..100 {
        text.push_str(&format!("{row}"));
        for r in 0..12 {
            let answer = if row == 7 && r == 3 {
                "Sometimes"
            } else {
                labels[(row + r) % 4]
            };
            text.push_str(&format!(",{answer}"));
        }
        text.push('\n');
    }
    let path = written(dir.path(), "grid.csv", &text);
    let columns = inferred(&path, None);
    let rows: Vec<&ColumnInfo> = columns.iter().skip(1).collect();
    for row in &rows {
        assert_eq!(row.kind, Kind::Likert, "{}: {}", row.name, row.reason);
        assert_eq!(row.scale, rows[0].scale);
    }
    assert!(rows[3].not_applicable.contains(&"Sometimes".to_string()));
}

#[test]
fn redcap_names_every_checkbox_option_so_a_column_of_ones_alone_is_a_coded_answer() {
    // REDCap's raw export writes a checkbox field as one `field___code` column per option
    // (0/1) and a yes/no, true/false or radio field as its code: a yes/no question every
    // respondent answered "Yes" (1) is a single choice, not a ticked option.
    let dir = tempfile::tempdir().unwrap();
    let path = written(
        dir.path(),
        "redcap.csv",
        "record_id,redcap_event_name,eligible,symptoms___1,symptoms___2,screening_complete\n\
         1,baseline_arm_1,1,1,0,2\n\
         2,baseline_arm_1,1,1,1,2\n\
         3,baseline_arm_1,1,0,1,2\n",
    );
    let columns = inferred(&path, None);
    assert_kind(&columns, "eligible", Kind::SingleChoice);
    assert_kind(&columns, "symptoms___1", Kind::MultiSelect);
    assert_kind(&columns, "symptoms___2", Kind::MultiSelect);
}

#[test]
fn web_addresses_and_zip_codes_identify_respondents() {
    // SurveyMonkey's contact-information fields and a REDCap `zipcode`-validated text field:
    // a respondent's own fundraising page or website names them even among many "N/A"s, and
    // a ZIP code (its leading zero kept, "08001") is part of an address, not a number.
    let dir = tempfile::tempdir().unwrap();
    let mut text =
        String::from("id,\"Fundraising link (if not, write N/A)\",text_zip,Favourite site\n");
    let links = [
        "https://secure.actblue.com/donate/keya",
        "N/A",
        "paypal.me/anc5b02",
        "n/a",
        "www.edwardryderanc.com",
        "santi4dc.com",
        "NA",
        "https://donorbox.org/justineforanc5b07",
    ];
    for (i, link) in links.iter().enumerate() {
        let site = ["google.com", "bing.com"][i % 2];
        text.push_str(&format!("{i},{link},0800{i},{site}\n"));
    }
    let path = written(dir.path(), "contacts.csv", &text);
    let columns = inferred(&path, None);
    assert_kind(
        &columns,
        "Fundraising link (if not, write N/A)",
        Kind::Identifier,
    );
    assert_kind(&columns, "text_zip", Kind::Identifier);
    // Two sites most respondents name alike are options, not people.
    assert_ne!(kind_of(&columns, "Favourite site").kind, Kind::Identifier);
}

#[test]
fn a_surveymonkey_ranking_with_not_ranked_answers_is_drafted_as_a_ranking() {
    // SurveyMonkey writes a ranking question as a column per ranked thing holding its position
    // (1..k), and "N/A" where the question offers it and a respondent left a thing out. Alone,
    // a column may read as codes or, when the question says "rate", as a rating; together the
    // positions never repeat within a response.
    let dir = tempfile::tempdir().unwrap();
    let question = "Please rank these benefits in the order in which you would rate them; select N/A for one you would not consider.";
    let mut text = format!(
        "Respondent ID,Collector ID,Start Date,End Date,IP Address,Email Address,First Name,Last Name,Custom Data 1,{question},,,\n\
         ,,,,,,,,,Parks,Bikeshare,Schools,Streets\n"
    );
    let orders = [
        ["1", "2", "3", "4"],
        ["2", "1", "4", "3"],
        ["1", "3", "2", "N/A"],
        ["4", "3", "2", "1"],
        ["3", "N/A", "1", "2"],
        ["1", "4", "2", "3"],
    ];
    for (i, order) in orders.iter().enumerate() {
        text.push_str(&format!(
            "11{i},431,6/20/24 14:45,6/20/24 14:46,1.2.3.{i},,,,,{}\n",
            order.join(",")
        ));
    }
    let path = written(dir.path(), "ranking.csv", &text);
    let raw = read_export(&path, &ReadOptions::new(None, None)).unwrap();
    let survey = infer::draft_survey(&raw, "t");
    assert_eq!(survey.rankings.len(), 1, "{:?}", survey.rankings);
    assert_eq!(survey.rankings[0].columns.len(), 4);
    assert_eq!(
        survey.rankings[0].options,
        vec!["Parks", "Bikeshare", "Schools", "Streets"]
    );
    assert!(survey.items.is_empty() && survey.choices.is_empty());
}

#[test]
fn redcap_codes_without_a_dictionary_are_choices_and_named_quantities_numbers() {
    // REDCap's raw export writes a radio or dropdown answer as its option's code (1, 2, 3 …)
    // and a number typed into a text field as itself: small codes from 1 are a choice, a
    // measurement spreads, and a header naming a percentage holds numbers even when the few
    // answers seen are 0 and 1.
    let dir = tempfile::tempdir().unwrap();
    let path = written(
        dir.path(),
        "redcap.csv",
        "record_id,redcap_event_name,bma_method,weight_kg,lymph_pct,exam_complete\n\
         1,baseline_arm_1,1,54,0,2\n\
         2,baseline_arm_1,3,79,1,2\n\
         3,baseline_arm_1,1,81,0,2\n\
         4,baseline_arm_1,2,90,0,2\n",
    );
    let columns = inferred(&path, None);
    assert_kind(&columns, "bma_method", Kind::SingleChoice);
    assert_kind(&columns, "weight_kg", Kind::Numeric);
    assert_kind(&columns, "lymph_pct", Kind::Numeric);
    // With the dictionary a field without options is typed: its small numbers are numbers.
    let dictionary = written(
        dir.path(),
        "dictionary.csv",
        "\"Variable / Field Name\",\"Form Name\",\"Field Type\",\"Field Label\",\"Choices, Calculations, OR Slider Labels\"\n\
         record_id,exam,text,Record ID,\n\
         bma_method,exam,text,Aspirations attempted,\n\
         weight_kg,exam,text,Weight (kg),\n\
         lymph_pct,exam,text,Lymphocytes (%),\n",
    );
    let columns = inferred(&path, Some(dictionary));
    assert_kind(&columns, "bma_method", Kind::Numeric);
}

#[test]
fn surveymonkey_numbers_under_response_are_options_under_open_ended_response_amounts() {
    // SurveyMonkey's second header row says "Response" under a multiple-choice or dropdown
    // question and "Open-Ended Response" under a text box: numbers in the first are the
    // options offered (a district's number), in the second what respondents typed.
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from(
        "Respondent ID,Collector ID,Start Date,End Date,IP Address,Email Address,First Name,Last Name,Custom Data 1,Select the district in which you are running:,Years lived here\n\
         ,,,,,,,,,Response,Open-Ended Response\n",
    );
    for (i, (district, years)) in [(2, 4), (6, 12), (5, 3), (1, 7), (2, 1), (8, 9)]
        .iter()
        .enumerate()
    {
        text.push_str(&format!(
            "11{i},431,6/20/24 14:45,6/20/24 14:46,1.2.3.{i},,,,,{district},{years}\n"
        ));
    }
    let path = written(dir.path(), "sm.csv", &text);
    let columns = inferred(&path, None);
    assert_kind(
        &columns,
        "Select the district in which you are running:",
        Kind::SingleChoice,
    );
    assert_kind(&columns, "Years lived here", Kind::Numeric);
}

#[test]
fn ease_quality_and_qualtrics_bipolar_scales_are_ratings() {
    // Two sides of one quality ("Very easy … Very difficult"), quality against an average, and
    // Qualtrics' library scales: bipolar ones whose middle names the two sides ("Neither safe
    // nor unsafe") and unipolar ones grading one word ("Not well at all … Extremely well").
    let dir = tempfile::tempdir().unwrap();
    let scales: [(&str, &[&str]); 5] = [
        (
            "How easy was it to sign up?",
            &[
                "Very easy",
                "Easy",
                "Neutral",
                "Difficult",
                "Very difficult",
            ],
        ),
        (
            "How was the course?",
            &[
                "Excellent",
                "Above average",
                "Average",
                "Below average",
                "Poor",
            ],
        ),
        (
            "How safe or unsafe do you feel on campus?",
            &[
                "Extremely safe",
                "Moderately safe",
                "Slightly safe",
                "Neither safe nor unsafe",
                "Slightly unsafe",
                "Moderately unsafe",
                "Extremely unsafe",
            ],
        ),
        (
            "How well maintained are the facilities?",
            &[
                "Extremely well",
                "Very well",
                "Moderately well",
                "Slightly well",
                "Not well at all",
            ],
        ),
        (
            "How good or bad is the food?",
            &[
                "Extremely good",
                "Moderately good",
                "Neither good nor bad",
                "Moderately bad",
                "Extremely bad",
            ],
        ),
    ];
    let mut text = String::from("id");
    for (q, _) in &scales {
        text.push_str(&format!(",{q}"));
    }
    text.push('\n');
    for row in 0..24 {
        text.push_str(&row.to_string());
        for (_, labels) in &scales {
            text.push_str(&format!(",{}", labels[(row * 3 + 1) % labels.len()]));
        }
        text.push('\n');
    }
    let path = written(dir.path(), "scales.csv", &text);
    let columns = inferred(&path, None);
    for (q, labels) in &scales {
        let c = kind_of(&columns, q);
        assert_eq!(c.kind, Kind::Likert, "{q}: {}", c.reason);
        // Lowest first: the labels above are written highest first.
        let mut expected: Vec<String> = labels.iter().map(|l| l.to_string()).collect();
        expected.reverse();
        assert_eq!(c.labels, expected, "{q}");
    }
}

#[test]
fn a_likelihood_to_recommend_is_drafted_on_eleven_points_when_nobody_answered_ten() {
    // Net Promoter's question (SurveyMonkey's and Qualtrics' NPS templates, a Google Forms
    // linear scale 0–10) asks from 0 to 10; a sample where nobody gave 10 is still on that
    // scale, and a promoter share needs its top.
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from(
        "Timestamp,How likely are you to recommend this course to a friend?,Rate the venue on a scale of 1 to 7\n",
    );
    for (i, (nps, venue)) in [
        (9, 5),
        (7, 6),
        (0, 4),
        (8, 2),
        (9, 5),
        (6, 3),
        (3, 6),
        (9, 4),
    ]
    .iter()
    .enumerate()
    {
        text.push_str(&format!("2024/03/0{} 10:00:00,{nps},{venue}\n", i + 1));
    }
    let path = written(dir.path(), "nps.csv", &text);
    let raw = read_export(&path, &ReadOptions::new(None, None)).unwrap();
    let survey = infer::draft_survey(&raw, "t");
    let scale_of = |column: &str| {
        let item = survey
            .items
            .iter()
            .find(|i| i.column.as_deref() == Some(column))
            .unwrap_or_else(|| panic!("no item for {column}: {:?}", survey.items));
        survey
            .response_scales
            .iter()
            .find(|s| s.name == item.scale)
            .unwrap()
            .labels
            .clone()
    };
    let eleven: Vec<String> = (0..=10).map(|n| n.to_string()).collect();
    assert_eq!(
        scale_of("How likely are you to recommend this course to a friend?"),
        eleven
    );
    let seven: Vec<String> = (1..=7).map(|n| n.to_string()).collect();
    assert_eq!(scale_of("Rate the venue on a scale of 1 to 7"), seven);
}

#[test]
fn qualtrics_choice_text_joins_answers_with_a_bare_comma_and_scripts_store_json() {
    // Qualtrics' export with choice text joins a multiple-answer question's choices with ","
    // (no space), while a label's own comma has a space after it ("Yes, to some extent");
    // a speed scale's "Average" is its middle; a hidden answer a survey's script fills with
    // JSON (a randomised assignment) is bookkeeping, not a comment.
    let dir = tempfile::tempdir().unwrap();
    let rows = [
        (
            "Ramen,Burgers",
            "Yes, to some extent",
            "Extremely fast",
            r#"{""v1"":{""group"":""A""}}"#,
        ),
        (
            "Salad",
            "Yes, to a great extent",
            "Average",
            r#"{""v1"":{""group"":""B""}}"#,
        ),
        (
            "Ramen,Curry",
            "No",
            "Moderately slow",
            r#"{""v1"":{""group"":""A""}}"#,
        ),
        (
            "Burgers",
            "Yes, to some extent",
            "Moderately fast",
            r#"{""v1"":{""group"":""B""}}"#,
        ),
        (
            "Ramen,Burgers,Pizza",
            "No",
            "Extremely slow",
            r#"{""v1"":{""group"":""B""}}"#,
        ),
        (
            "Pizza",
            "Yes, to a great extent",
            "Average",
            r#"{""v1"":{""group"":""A""}}"#,
        ),
    ];
    let mut text = String::from(
        "ResponseId,Q1,Q2,Q3,intro\n\
         Response ID,Which foods would you eat? Select all that apply.,Did it help?,How fast was the service?,Welcome\n\
         {\"ImportId\":\"_recordId\"},{\"ImportId\":\"QID1\"},{\"ImportId\":\"QID2\"},{\"ImportId\":\"QID3\"},{\"ImportId\":\"QID4_TEXT\"}\n",
    );
    for (i, (foods, helped, speed, state)) in rows.iter().enumerate() {
        text.push_str(&format!(
            "R_{i},\"{foods}\",\"{helped}\",{speed},\"{state}\"\n"
        ));
    }
    let path = written(dir.path(), "qualtrics.csv", &text);
    let columns = inferred(&path, None);
    assert_kind(&columns, "Q1", Kind::MultiSelect);
    assert_ne!(kind_of(&columns, "Q2").kind, Kind::MultiSelect);
    let speed = kind_of(&columns, "Q3");
    assert_eq!(speed.kind, Kind::Likert, "{}", speed.reason);
    assert_eq!(speed.labels[2], "Average");
    assert_kind(&columns, "intro", Kind::Metadata);
}

#[test]
fn one_label_columns_side_by_side_are_check_all_options_even_after_a_re_save() {
    // SurveyMonkey writes a check-all question one column per option, each holding the
    // option's label or nothing; a re-save in a spreadsheet drops its second header row, and
    // Excel names the blank headers `Column2` … (the Carpentries export) or a merge keeps the
    // question number and the option ("3. Python." holding "Python.", Jupyter's 2020 export).
    // Typeform heads each option's column with the label itself. Alone, each such column looks
    // like a question everyone who answered answered alike; side by side they are one question.
    let carpentries = inferred(
        &unseen("surveymonkey/carpentries-assessment_longterm_October2017_resaved.csv"),
        None,
    );
    for name in [
        "Field", "Column2", "Column9", "Column12", "Content", "Column14",
    ] {
        assert_kind(&carpentries, name, Kind::MultiSelect);
    }
    assert_kind(&carpentries, "Position", Kind::SingleChoice);
    let jupyter = inferred(
        &unseen("surveymonkey/jupyter-surveys_2020-12-jupyter-survey_all_responses.csv"),
        None,
    );
    for name in [
        "3. Python.",
        "3. R.",
        "11. Regression; predict a numeric output.",
        "14. They run just fine on my local machine.",
    ] {
        assert_kind(&jupyter, name, Kind::MultiSelect);
    }
    // Two questions side by side that each offer "None" stay two questions, and a column
    // holding several different answers is no option.
    let dir = tempfile::tempdir().unwrap();
    let path = written(
        dir.path(),
        "typeform.csv",
        "#,ANSSI,CNIL,Aucune,Rgpd,Green IT,Aucune.,Country\n\
         a1,ANSSI,CNIL,,Rgpd,,,France\n\
         a2,,CNIL,,,Green IT,,Belgique\n\
         a3,,,Aucune,Rgpd,Green IT,,France\n\
         a4,ANSSI,,,,,Aucune.,Suisse\n",
    );
    let typeform = inferred(&path, None);
    for name in ["ANSSI", "CNIL", "Aucune", "Rgpd", "Green IT", "Aucune."] {
        assert_kind(&typeform, name, Kind::MultiSelect);
    }
    assert_kind(&typeform, "Country", Kind::SingleChoice);
}

#[test]
fn surveycto_wide_option_columns_are_named_question_underscore_choice() {
    // SurveyCTO's wide export writes a select_multiple field as its choices joined by spaces
    // and one 0/1 column per choice named `field_choice`: a choice nobody picked (all 0) is an
    // option too, once the field's answers name one of its siblings. A column that merely
    // shares a prefix with another is not.
    let dir = tempfile::tempdir().unwrap();
    let path = written(
        dir.path(),
        "wide.csv",
        "income_sources,income_sources_coffee,income_sources_maize,income_sources_other,income,income_band\n\
         coffee,1,0,0,100,low\n\
         coffee maize,1,1,0,250,high\n\
         maize,0,1,0,120,low\n\
         coffee,1,0,0,90,low\n",
    );
    let columns = inferred(&path, None);
    for name in [
        "income_sources",
        "income_sources_coffee",
        "income_sources_maize",
        "income_sources_other",
    ] {
        assert_kind(&columns, name, Kind::MultiSelect);
    }
    assert_kind(&columns, "income_band", Kind::SingleChoice);
}

#[test]
fn places_named_traces_and_names_of_centres_are_identifiers() {
    // A Kobo or SurveyCTO form records where it was filled: the parish or village (a few
    // households each), the centre's physical address, the centre's name (often its owner's),
    // and ODK's geotrace/geoshape (geopoints joined by `;`). Each points at the people
    // answering; a comment box of sentences beside them stays free text.
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from(
        "Parish,VillageID,Physical Address of the Centre,ECD Centre,some_geotrace,Comments\n",
    );
    let parishes = ["KATENTE", "KAGOMA", "LUSIBA"];
    for i in 0..30 {
        // A village by its code (1204, 1205 …) points at it as its name does.
        text.push_str(&format!(
            "{},{},Plot {i} Lubona Ward,ST. MARY {i} NURSERY AND PRIMARY SCHOOL,\
             43.3149{i:02} -1.98697 71.8 10.0;43.3149{i:02} -1.98696 71.8 10.0;,\
             the children enjoyed the {i} new books very much\n",
            parishes[i % 3],
            1204 + i % 7,
        ));
    }
    let path = written(dir.path(), "centres.csv", &text);
    let columns = inferred(&path, None);
    for name in [
        "Parish",
        "VillageID",
        "Physical Address of the Centre",
        "ECD Centre",
        "some_geotrace",
    ] {
        assert_kind(&columns, name, Kind::Identifier);
    }
    assert_kind(&columns, "Comments", Kind::FreeText);
}

#[test]
fn labels_the_survey_numbered_are_a_scale_in_their_numbers_order() {
    // A nine-point agreement scale whose labels carry their own numbers ("1. Completely
    // disagree" … "9. Completely agree", as LimeSurvey's GridItemTools survey writes them) is
    // ordered by those numbers even where the words alone do not place every label; numbered
    // options that grade nothing ("1) Employed") stay a choice.
    let dir = tempfile::tempdir().unwrap();
    let labels = [
        "1. Completely disagree",
        "2. Greatly disagree",
        "3. Moderately disagree",
        "4. Slightly disagree",
        "5. Neither agree nor disagree",
        "6. Slightly agree",
        "7. Moderately agree",
        "8. Greatly agree",
        "9. Completely agree",
    ];
    let work = ["1) Employed", "2) Student", "3) Retired"];
    let mut text = String::from("Opinion,Work\n");
    for i in 0..27 {
        text.push_str(&format!("{},{}\n", labels[i % 9], work[i % 3]));
    }
    let columns = inferred(&written(dir.path(), "numbered.csv", &text), None);
    let opinion = kind_of(&columns, "Opinion");
    assert_eq!(opinion.kind, Kind::Likert, "{}", opinion.reason);
    assert_eq!(opinion.labels, labels);
    assert_kind(&columns, "Work", Kind::SingleChoice);
}

/// A Qualtrics CSV (three header rows: export tags, question texts, ImportIds) of one question
/// per item, as Qualtrics writes separate multiple-choice questions: `rows[i]` answers item i.
fn qualtrics_items(items: &[&str], rows: &[Vec<&str>]) -> String {
    let tags: Vec<String> = (1..=items.len()).map(|i| format!("Q{i}")).collect();
    let ids: Vec<String> = (1..=items.len())
        .map(|i| format!("\"{{\"\"ImportId\"\":\"\"QID{i}\"\"}}\""))
        .collect();
    let texts: Vec<String> = items
        .iter()
        .map(|t| format!("\"{}\"", t.replace('"', "\"\"")))
        .collect();
    let mut text = format!(
        "ResponseId,{}\nResponse ID,{}\n\"{{\"\"ImportId\"\":\"\"_recordId\"\"}}\",{}\n",
        tags.join(","),
        texts.join(","),
        ids.join(",")
    );
    for (r, row) in rows.iter().enumerate() {
        let cells: Vec<String> = row.iter().map(|c| format!("\"{c}\"")).collect();
        text.push_str(&format!("R_{r},{}\n", cells.join(",")));
    }
    text
}

#[test]
fn inventory_items_asked_one_question_each_share_their_numbered_scale() {
    // The State-Trait Anxiety Inventory's items as separate questions, labelled "1= Not at
    // all" … "4= Very much so": degrees without a quality ("Moderately so"), ordered by their
    // numbers and words together. "I feel calm." never got "1= Not at all" and "I feel upset."
    // never a 4: each alone shows part of the scale, the run of items shows all of it.
    let dir = tempfile::tempdir().unwrap();
    let (a, b, c, d) = (
        "1= Not at all",
        "2= Somewhat",
        "3= Moderately so",
        "4= Very much so",
    );
    let rows = vec![
        vec![c, a, b],
        vec![b, b, a],
        vec![d, c, a],
        vec![c, d, c],
        vec![b, a, a],
        vec![d, b, b],
    ];
    let items = ["I feel calm.", "I feel secure.", "I feel upset."];
    let path = written(dir.path(), "stai.csv", &qualtrics_items(&items, &rows));
    let columns = inferred(&path, None);
    for q in ["Q1", "Q2", "Q3"] {
        let item = kind_of(&columns, q);
        assert_eq!(item.kind, Kind::Likert, "{q}: {}", item.reason);
        assert_eq!(item.labels, [a, b, c, d], "{q}");
    }

    // A scale labelled at its ends and middle only writes its other points as bare numbers
    // ("1= Not at all characteristic of me", "2", "3= Moderately …", "4", "5= Extremely …");
    // a nine-point one writes its labels in brackets ("1 (strongly agree)"). Numbered options
    // that grade nothing, side by side, stay choices.
    let (lo, mid, hi) = (
        "1= Not at all characteristic of me",
        "3= Moderately characteristic of me",
        "5= Extremely characteristic of me",
    );
    let (agree, neither, disagree) = (
        "1 (strongly agree)",
        "5 (neither agree nor disagree)",
        "9 (strongly disagree)",
    );
    let (work, study, retired) = ("1) Employed", "2) Student", "3) Retired");
    let rows = vec![
        vec![lo, "2", agree, "2", work, study],
        vec!["2", mid, neither, "8", study, retired],
        vec![mid, "4", disagree, agree, retired, work],
        vec!["4", hi, "4", neither, work, work],
        vec![hi, lo, "2", disagree, study, retired],
    ];
    let items = [
        "I am uncomfortable in groups.",
        "I worry about being noticed.",
        "I try to appear nonprejudiced.",
        "I hide negative thoughts.",
        "Your work now",
        "Your work before",
    ];
    let path = written(dir.path(), "partly.csv", &qualtrics_items(&items, &rows));
    let columns = inferred(&path, None);
    for q in ["Q1", "Q2", "Q3", "Q4"] {
        assert_kind(&columns, q, Kind::Likert);
    }
    assert_eq!(kind_of(&columns, "Q1").labels, [lo, "2", mid, "4", hi]);
    // Agreement numbered from the top: lowest first by meaning, so that "agree" is counted.
    let agreement = &kind_of(&columns, "Q3").labels;
    assert_eq!(agreement.first().map(String::as_str), Some(disagree));
    assert_eq!(agreement.last().map(String::as_str), Some(agree));
    assert_kind(&columns, "Q5", Kind::SingleChoice);
    assert_kind(&columns, "Q6", Kind::SingleChoice);
}

#[test]
fn limesurvey_columns_in_the_surveys_language_are_bookkeeping_and_its_timings_never_contact_details(
) {
    // LimeSurvey writes its own columns in the survey's language when the export has full
    // headings ("Datum verstuurd", "Laatste pagina" … in a Dutch survey), and names a question's
    // timing after the question: "Vraag tijd: email" holds seconds, not an address.
    let dir = tempfile::tempdir().unwrap();
    let path = written(
        dir.path(),
        "results.csv",
        "Respons ID,Datum verstuurd,Laatste pagina,Begin taal,Startdatum,Datum laatste actie,Verwijzer-URL,\
         Wat vind je van oordopjes?,Totaaltijd,Groep tijd: intro,Vraag tijd: email,Vraag tijd: expertise\n\
         1,2016-06-01 10:00:00,2,nl,2016-06-01 09:50:00,2016-06-01 10:00:00,,Goed,600.2,30.1,12.5,\n\
         2,2016-06-02 11:00:00,3,nl,2016-06-02 10:40:00,2016-06-02 11:00:00,,Slecht,1200.7,41.9,8.2,\n\
         3,,1,nl,2016-06-03 08:00:00,2016-06-03 08:05:00,,,300.0,12.0,,\n",
    );
    let columns = inferred(&path, None);
    for meta in [
        "Datum verstuurd",
        "Laatste pagina",
        "Begin taal",
        "Startdatum",
        "Datum laatste actie",
        "Verwijzer-URL",
        "Totaaltijd",
        "Groep tijd: intro",
        "Vraag tijd: email",
        "Vraag tijd: expertise",
    ] {
        assert_kind(&columns, meta, Kind::Metadata);
    }
}

#[test]
fn limesurvey_bookkeeping_and_timings_are_read_in_its_other_translations() {
    // An Italian full-heading export (batch 5's results-survey963865.xlsx writes these
    // headings), and the timing headings of LimeSurvey's German, Spanish and French
    // translations: seconds and pages, never answers.
    let dir = tempfile::tempdir().unwrap();
    let path = written(
        dir.path(),
        "results.csv",
        "ID risposta,Data invio,Ultima pagina,Lingua iniziale,Seme,Data di inizio,Data dell'ultima azione,\
         Quanto è soddisfatto?,Tempo totale,Tempo per il gruppo di domande: Sezione 1,\
         Tempo per la domanda: S2A1o1,Fragenzeit: F1,Tiempo de pregunta: P1,Temps pour la question : Q1\n\
         1,2024-06-01 10:00:00,2,it,123,2024-06-01 09:50:00,2024-06-01 10:00:00,Molto,600.2,30.1,12.5,3.1,4.2,5.3\n\
         2,2024-06-02 11:00:00,3,it,456,2024-06-02 10:40:00,2024-06-02 11:00:00,Poco,1200.7,41.9,8.2,6.4,7.5,8.6\n\
         3,,1,it,789,2024-06-03 08:00:00,2024-06-03 08:05:00,,300.0,12.0,,1.0,2.0,3.0\n",
    );
    let columns = inferred(&path, None);
    for meta in [
        "Data invio",
        "Ultima pagina",
        "Lingua iniziale",
        "Seme",
        "Data di inizio",
        "Data dell'ultima azione",
        "Tempo totale",
        "Tempo per il gruppo di domande: Sezione 1",
        "Tempo per la domanda: S2A1o1",
        "Fragenzeit: F1",
        "Tiempo de pregunta: P1",
        "Temps pour la question : Q1",
    ] {
        assert_kind(&columns, meta, Kind::Metadata);
    }
}

#[test]
fn self_made_id_codes_participant_ids_and_a_grids_personal_rows_are_identifiers() {
    // A study links its surveys by a code participants make from facts only they know
    // (Qualtrics' form fields under "… create a unique ID code …"), and its staff type the
    // participant's id; a long question is still asked by its first sentence. A LimeSurvey
    // grid of personal details names each row in brackets: "[Naam]", "[Organisatie]".
    let dir = tempfile::tempdir().unwrap();
    let stem = "The following questions will allow us to create a unique ID code to match this survey to your in-person survey, without compromising your anonymity.\nPlease answer the questions below";
    let items = [
        format!("{stem} - FIRST TWO letters of your mother's middle name"),
        format!("{stem} - Your birth month in numbers"),
        "What is the participant's ID? (to find it, open the exam survey's responses, scroll down to the code questions and join all their answers into a 6-8 character code.)".to_string(),
        "How stressed are you now?".to_string(),
    ];
    let items: Vec<&str> = items.iter().map(String::as_str).collect();
    let codes = ["MA", "JO", "X", "LI", "AN", "KA"];
    let months = ["04", "11", "03", "07", "12", "01"];
    let ids = [
        "MA04RIBL", "JO11XXBR", "X03LABL", "LI07CAGR", "AN12RIHA", "KA01BUBR",
    ];
    let stress = ["Low", "High", "Low", "Medium", "High", "Low"];
    let rows: Vec<Vec<&str>> = (0..6)
        .map(|r| vec![codes[r], months[r], ids[r], stress[r]])
        .collect();
    let mut text = qualtrics_items(&items, &rows);
    text = text.replacen("QID1\"", "QID1_1_TEXT\"", 1);
    text = text.replacen("QID2\"", "QID1_2_TEXT\"", 1);
    text = text.replacen("QID3\"", "QID3_TEXT\"", 1);
    let columns = inferred(&written(dir.path(), "codes.csv", &text), None);
    for q in ["Q1", "Q2", "Q3"] {
        assert_kind(&columns, q, Kind::Identifier);
    }
    assert_kind(&columns, "Q4", Kind::SingleChoice);

    let details =
        "Geef eerst wat persoonlijke gegevens zodat we eventueel extra informatie kunnen vragen";
    let path = written(
        dir.path(),
        "lime.csv",
        &format!(
            "Respons ID,{details} [Naam],{details} [Organisatie],{details} [Functie/rol]\n\
             1,Marloes de Vries,Trimbos,wetenschappelijk medewerker\n\
             2,Kees Jansen,Jellinek,Projectmanager\n\
             3,Anna Bakker,Trimbos,Project medewerker\n"
        ),
    );
    let columns = inferred(&path, None);
    assert_kind(&columns, &format!("{details} [Naam]"), Kind::Identifier);
    assert_kind(
        &columns,
        &format!("{details} [Organisatie]"),
        Kind::Identifier,
    );
    assert_ne!(
        kind_of(&columns, &format!("{details} [Functie/rol]")).kind,
        Kind::Identifier
    );
}

#[test]
fn check_all_answers_joined_with_write_ins_are_multi_select() {
    // Google Forms joins a check-all question's ticked labels with ", " and puts what a
    // respondent typed in its "Other" box among them: a few offered labels make up nearly all
    // the parts, each write-in appears once.
    let dir = tempfile::tempdir().unwrap();
    let options = [
        "Statistical analysis",
        "Visualization",
        "Modeling",
        "Text processing",
        "Teaching",
    ];
    let write_ins = [
        "Genomics pipelines",
        "Sports betting",
        "My own thesis",
        "Music",
        "Poetry",
        "Bots",
    ];
    let mut text = String::from("Timestamp,What do you use R for? (check all that apply)\n");
    for r in 0..36 {
        let mut ticked = vec![options[r % 5], options[(r + 2) % 5]];
        if r < write_ins.len() {
            ticked.push(write_ins[r]);
        }
        text.push_str(&format!(
            "2019/12/{:02} 10:00:00,\"{}\"\n",
            r % 28 + 1,
            ticked.join(", ")
        ));
    }
    let columns = inferred(&written(dir.path(), "responses.csv", &text), None);
    assert_kind(
        &columns,
        "What do you use R for? (check all that apply)",
        Kind::MultiSelect,
    );

    // Most respondents tick one option of some check-all questions; the question says so.
    let origins = ["White", "Asian", "Hispanic/Latinx", "Black/African", "Arab"];
    let mut text = String::from(
        "Timestamp,I identify my ethnicity as (select all that apply):,Favourite origin story\n",
    );
    for r in 0..40 {
        let answer = match r {
            0 => "White, Hispanic/Latinx".to_string(),
            1 => "Asian, White".to_string(),
            _ => origins[r % 5].to_string(),
        };
        text.push_str(&format!(
            "2019/12/{:02} 10:00:00,\"{answer}\",\"{answer}\"\n",
            r % 28 + 1
        ));
    }
    let columns = inferred(&written(dir.path(), "ethnicity.csv", &text), None);
    assert_kind(
        &columns,
        "I identify my ethnicity as (select all that apply):",
        Kind::MultiSelect,
    );
    assert_kind(&columns, "Favourite origin story", Kind::SingleChoice);

    // In a plain file, a single choice whose labels hold a comma stays one: the parts that recur
    // must all be keyword-short, and one label here is a long sentence.
    let single = [
        "We work on the same project, but different parts.",
        "I am not collaborating.",
        "We work on different projects.",
        "We work on the same part of the same project together.",
    ];
    let mut text = String::from("id,How do you divide the work?\n");
    for r in 0..40 {
        let answer = if r < 18 { single[0] } else { single[r % 4] };
        text.push_str(&format!("{r},\"{answer}\"\n"));
    }
    let columns = inferred(&written(dir.path(), "plain.csv", &text), None);
    assert_kind(&columns, "How do you divide the work?", Kind::SingleChoice);
}

#[test]
fn frequency_labels_explained_after_a_dash_and_unfamiliar_answers_are_a_scale() {
    // "Never -- I don't use Shiny." … "Frequently -- I frequently use or build Shiny
    // applications": the words before the dash order the label; "I don't know what Shiny is."
    // is no opinion, as is "I don't know what tidyverse is" beside "Rarely … Usually".
    let dir = tempfile::tempdir().unwrap();
    let shiny = [
        "Never -- I don't use Shiny.",
        "Rarely -- I know how to use Shiny, but it's not part of my regular work",
        "Sometimes -- I use or build Shiny applications occasionally",
        "Frequently -- I frequently use or build Shiny applications",
        "I don't know what Shiny is.",
    ];
    let tidy = [
        "Usually",
        "Occasionally",
        "Rarely",
        "Never",
        "I don't know what tidyverse is",
    ];
    let mut text =
        String::from("Timestamp,How often do you use Shiny?,Do you use tidyverse packages?\n");
    for r in 0..25 {
        text.push_str(&format!(
            "2019/12/{:02} 10:00:00,\"{}\",\"{}\"\n",
            r + 1,
            shiny[r % 5],
            tidy[(r * 2) % 5]
        ));
    }
    let columns = inferred(&written(dir.path(), "responses.csv", &text), None);
    let used = kind_of(&columns, "How often do you use Shiny?");
    assert_eq!(used.kind, Kind::Likert, "{}", used.reason);
    assert_eq!(used.labels, shiny[..4]);
    assert_eq!(used.not_applicable, [shiny[4]]);
    let tidyverse = kind_of(&columns, "Do you use tidyverse packages?");
    assert_eq!(tidyverse.kind, Kind::Likert, "{}", tidyverse.reason);
    assert_eq!(
        tidyverse.labels,
        ["Never", "Rarely", "Occasionally", "Usually"]
    );
}

#[test]
fn a_qualtrics_file_uploads_record_is_bookkeeping() {
    // Qualtrics exports a file-upload question as four columns (`Q9_Id`, `Q9_Name`, `Q9_Size`,
    // `Q9_Type`, ImportIds `QID9_FILE_ID` …): the file's id, size and type are the tool's
    // record of the upload, not answers; the size is no quantity to summarise.
    let dir = tempfile::tempdir().unwrap();
    let path = written(
        dir.path(),
        "upload.csv",
        "ResponseId,Q9_Id,Q9_Name,Q9_Size,Q9_Type\n\
         Response ID,Sign here - Id,Sign here - Name,Sign here - Size,Sign here - Type\n\
         {\"ImportId\":\"_recordId\"},{\"ImportId\":\"QID9_FILE_ID\"},{\"ImportId\":\"QID9_FILE_NAME\"},{\"ImportId\":\"QID9_FILE_SIZE\"},{\"ImportId\":\"QID9_FILE_TYPE\"}\n\
         R_1,F_A0cUFsuN0zvlYcN,signature.png,8833,image/png\n\
         R_2,F_1MZenhYBle9jtWX,signature.png,10888,image/png\n\
         R_3,F_1InElw9bCpcnMJJ,signature.png,9293,image/png\n",
    );
    let columns = inferred(&path, None);
    for c in ["Q9_Id", "Q9_Size", "Q9_Type"] {
        assert_kind(&columns, c, Kind::Metadata);
    }
    assert_ne!(kind_of(&columns, "Q9_Name").kind, Kind::FreeText);
}

#[test]
fn a_log_a_script_wrote_into_a_text_box_is_not_a_comment() {
    // An implicit-association test embedded in a Qualtrics survey writes each block's trials
    // into a text-entry question ("24C892,31C690,…,END": stimulus, correct/error, latency):
    // no one typed it, and its "words" would make nonsense themes. A check-all answer's codes
    // (digits alone) and typed comments stay answers.
    let dir = tempfile::tempdir().unwrap();
    let logs = [
        "24C892,31C690,26C766,25X1066,21C612,24X1012,28C778,22C688,27C826,23C688,END",
        "29C1639,26C805,32C736,27C903,23C698,31C1035,21C647,24C723,25C715,30C688,END",
        "28X399,26C40,23X106,29C8,32X72,25X79,21X115,29X104,21X72,30C44,22X180,END",
    ];
    let ticked = [
        "1,2,3,4,5,6,7,8,9,10",
        "1,3,5,7,9,11,12,13,14,15",
        "2,4,6,8,10,11,12,13,14,15",
    ];
    let comments = [
        "Nervous at first, then fine",
        "The patient was quiet",
        "It went well overall",
    ];
    let rows: Vec<Vec<&str>> = (0..3)
        .map(|r| vec![logs[r], ticked[r], comments[r]])
        .collect();
    let items = [
        "Blacks or negative, Whites or positive",
        "Which did you use?",
        "How did it go?",
    ];
    let mut text = qualtrics_items(&items, &rows);
    text = text.replacen("QID1\"", "QID1_TEXT\"", 1);
    text = text.replacen("QID3\"", "QID3_TEXT\"", 1);
    let columns = inferred(&written(dir.path(), "iat.csv", &text), None);
    assert_kind(&columns, "Q1", Kind::Metadata);
    assert_ne!(kind_of(&columns, "Q2").kind, Kind::Metadata);
    assert_kind(&columns, "Q3", Kind::FreeText);
}

#[test]
fn how_often_in_periods_is_a_scale_in_their_order() {
    // "More than once a day", "Between once a day and once a week", "Less than once a month",
    // "I don't use R any more": how often, told by periods and their bounds, not by a word.
    let dir = tempfile::tempdir().unwrap();
    let often = [
        "I don't use R any more",
        "Less than once a month",
        "Between once a week and once a month",
        "Between once a day and once a week",
        "More than once a day",
    ];
    let mut text = String::from("Timestamp,How often do you use R today?\n");
    for r in 0..20 {
        text.push_str(&format!(
            "2019/12/{:02} 10:00:00,{}\n",
            r + 1,
            often[(r * 3) % 5]
        ));
    }
    let columns = inferred(&written(dir.path(), "often.csv", &text), None);
    let used = kind_of(&columns, "How often do you use R today?");
    assert_eq!(used.kind, Kind::Likert, "{}", used.reason);
    assert_eq!(used.labels, often);
}

#[test]
fn how_much_of_it_is_a_scale_of_amount() {
    // SurveyMonkey course evaluations ask "How much of this module's learning material was
    // relevant to you?": "Some of it" … "All of it" grade an amount.
    let dir = tempfile::tempdir().unwrap();
    let amounts = ["None of it", "Some of it", "Most of it", "All of it"];
    let mut text = String::from("id,How much of the material was relevant to you?\n");
    for r in 0..16 {
        text.push_str(&format!("{r},{}\n", amounts[(r * 3) % 4]));
    }
    let columns = inferred(&written(dir.path(), "much.csv", &text), None);
    let relevant = kind_of(&columns, "How much of the material was relevant to you?");
    assert_eq!(relevant.kind, Kind::Likert, "{}", relevant.reason);
    assert_eq!(relevant.labels, amounts);
}

/// A form builder's report (Drupal Webform's "raw data" download, blind batch 5): a title row
/// and a row of section headings above the column names. The names row was read as the
/// header's second row of a SurveyMonkey export and then as a respondent, and the account
/// columns under it were never seen as such. The rows below are made up, in that layout.
#[test]
fn a_title_and_section_headings_above_the_names_leave_the_names_to_name_the_columns() {
    let dir = tempfile::tempdir().unwrap();
    let mut title = [""; 12];
    title[0] = "Enquête sur la communauté";
    let mut sections = [""; 12];
    sections[0] = "Détails de la soumission";
    sections[6] = "Comment avez-vous entendu parler de nous ?";
    sections[9] = "Pourquoi contribuez-vous ?";
    let names = [
        "Séquentiel",
        "SID",
        "Adresse IP",
        "UID",
        "Nom d'utilisateur",
        "Êtes vous ...",
        "Par un ami",
        "Par la presse",
        "Autre",
        "Pour apprendre",
        "Pour aider",
        "Autre",
    ];
    let mut text = [title.join("\t"), sections.join("\t"), names.join("\t")].join("\n");
    for i in 0..30 {
        let who = if i % 3 == 0 { "Un homme" } else { "Une femme" };
        let user = if i % 4 == 0 {
            format!("lecteur{i}")
        } else {
            "Anonymous".into()
        };
        text += &format!(
            "\n{i}\t{}\t10.0.{i}.7\t{}\t{user}\t{who}\t{}\t\t\tOui\t\t",
            9_212_630 + i,
            i % 2,
            if i % 2 == 0 { "Oui" } else { "" },
        );
    }
    let path = written(dir.path(), "raw_data.tsv", &text);
    let raw = read_export(&path, &ReadOptions::new(None, None)).unwrap();
    assert_eq!(raw.source.format, canvass::model::Format::Generic);
    assert_eq!(raw.rows.len(), 30, "the names row is not a respondent");
    let columns = infer::columns(&raw);
    // The form's serial and submission numbers rise on every row: records, not answers.
    for who in [
        "Séquentiel",
        "SID",
        "Adresse IP",
        "UID",
        "Nom d'utilisateur",
    ] {
        assert_kind(&columns, who, Kind::Identifier);
    }
    assert_eq!(
        kind_of(&columns, "Par la presse").question,
        "Comment avez-vous entendu parler de nous ? - Par la presse"
    );
}

#[test]
fn surveytogo_chosen_in_order_columns_are_a_check_all_question_left_out_of_the_draft_with_why() {
    // SurveyToGo writes a multiple-answer question as `<name>_O1` … `_On`: the code of the
    // first option chosen, the second, …, -1 after the last (batch 5's PRICOVID export).
    // Counting each column as an option would report "_O1" as the most chosen, so the draft
    // leaves them out and says how to analyse them.
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("SbjNum,cosas_O1,cosas_O2,cosas_O3,hijos\n");
    let chosen = [
        "3,1,-1", "2,-1,-1", "1,2,4", "4,-1,-1", "2,3,-1", "1,-1,-1", "3,4,-1", "2,-1,-1",
    ];
    for (i, c) in chosen.iter().enumerate() {
        text.push_str(&format!("{},{c},{}\n", 1000 + i, i % 3));
    }
    let path = written(dir.path(), "export.csv", &text);
    let columns = inferred(&path, None);
    for name in ["cosas_O1", "cosas_O2", "cosas_O3"] {
        assert_kind(&columns, name, Kind::MultiSelect);
    }
    let raw = read_export(&path, &ReadOptions::new(None, None)).unwrap();
    let draft = infer::draft::draft(&raw, "t");
    assert!(draft
        .survey
        .choices
        .iter()
        .all(|c| !c.columns.iter().any(|n| n.starts_with("cosas"))));
    let left: Vec<&str> = draft
        .left_out
        .iter()
        .filter(|l| l.column.starts_with("cosas"))
        .map(|l| l.why.as_str())
        .collect();
    assert_eq!(left.len(), 3);
    assert!(left
        .iter()
        .all(|why| why.contains("join these into one column")));
}

#[test]
fn a_single_choice_spread_over_a_column_per_option_is_one_single_choice_question() {
    // SurveyMonkey's expanded download (batch 6's FiveThirtyEight region survey, 2,528
    // respondents) writes every closed question as a column per option holding the option's
    // label: nobody fills two of Gender's columns. Its "Please select all that apply" question
    // keeps its check-all columns.
    let path = unseen("surveymonkey/fivethirtyeight-data_region-survey_SOUTH.csv");
    let columns = inferred(&path, None);
    let kinds_of = |question: &str| kinds_asking(&columns, question);
    assert_eq!(
        kinds_of("Gender - "),
        [Kind::SingleChoice, Kind::SingleChoice]
    );
    // Its text box ("Open-Ended Response" under it) holds typed words that recur ("The
    // South"): free text, not a choice.
    assert_eq!(kinds_of("In your own words"), [Kind::FreeText]);
    let states = kinds_of("Which of the following states");
    assert!(
        states.len() > 10 && states.iter().all(|k| *k == Kind::MultiSelect),
        "{states:?}"
    );
    let raw = read_export(&path, &ReadOptions::new(None, None)).unwrap();
    let survey = infer::draft::draft(&raw, "t").survey;
    let gender = survey
        .choices
        .iter()
        .find(|c| c.text == "Gender")
        .expect("a Gender question");
    assert_eq!(gender.kind, canvass::config::ChoiceKind::SingleChoice);
    assert_eq!(gender.options, ["Male", "Female"]);
    assert_eq!(gender.columns, ["Gender - Male", "Gender - Female"]);
}

#[test]
fn a_quantity_typed_in_with_a_few_words_among_the_numbers_is_a_number() {
    // freeCodeCamp's 2016 New Coder survey (Typeform; batch 5) asked "About how many hours do
    // you spend learning each week?" in a text box: 15,004 answers, nearly all numbers, some
    // "40+" or "6 or more". Options coded as numbers take few values; ids never recur.
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from("Hours per week,Team,Record\n");
    let hours = [
        "10", "20", "5", "15", "30", "2", "4", "8", "40", "3", "6", "25", "12",
    ];
    for i in 0..200 {
        let h = match i {
            7 => "40+",
            50 => "6 or more",
            _ => hours[i % hours.len()],
        };
        csv.push_str(&format!("{h},{},{}\n", 1 + i % 3, 1000 + i));
    }
    let columns = inferred(&written(dir.path(), "coders.csv", &csv), None);
    let hours = kind_of(&columns, "Hours per week");
    assert_eq!(hours.kind, Kind::Numeric, "{}", hours.reason);
    assert!(hours.reason.contains("198 of 200"), "{}", hours.reason);
    assert_ne!(kind_of(&columns, "Team").kind, Kind::Numeric);
    // With a fifth of the answers in words it is not a number question.
    let worded = csv
        .replace("\n10,", "\nabout ten,")
        .replace("\n20,", "\ntwenty,");
    let columns = inferred(&written(dir.path(), "worded.csv", &worded), None);
    assert_ne!(kind_of(&columns, "Hours per week").kind, Kind::Numeric);
}

#[test]
fn a_google_forms_sheet_in_another_language_is_google_forms_and_its_linear_scales_ratings() {
    // Google Forms names its first column "Timestamp" in the form owner's language
    // ("Horodateur"); it writes a choice as its label, so a column of 1–5 with no words saying
    // "rate" is a linear scale (batch 7's French brainstorming survey rated each tool so), while a
    // count asked for in Portuguese ("Quantos irmãos você tem?") stays a number.
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from("Horodateur,Miro,Quantos irmãos você tem?\n");
    for i in 0..40 {
        csv.push_str(&format!(
            "2025/06/25 4:{:02}:36 PM UTC+3,{},{}\n",
            i,
            1 + (i * 7) % 5,
            i % 4
        ));
    }
    let path = written(dir.path(), "sondage.csv", &csv);
    let raw = read_export(&path, &ReadOptions::new(None, None)).unwrap();
    assert_eq!(raw.source.format, canvass::model::Format::GoogleForms);
    let columns = infer::columns(&raw);
    assert_kind(&columns, "Miro", Kind::Likert);
    assert_kind(&columns, "Quantos irmãos você tem?", Kind::Numeric);
}

/// REDCapR's test project writes each measure twice, once with a decimal point and once with a
/// decimal comma ("1,54", "52,3"), as a French or German locale writes numbers. The comma
/// columns are numbers (drafted `decimal_comma = true`), and the run's figures for them are the
/// point columns' to the digit: the same measurements, so the point columns are the reference.
/// The mean height by hand: (1.54 + 1.84 + 1.95 + 1.61) / 4 = 1.735.
#[test]
fn numbers_written_with_a_decimal_comma_are_read_as_the_same_numbers() {
    let export = unseen("redcap/REDCapR_decimal-comma-and-dot_data.csv");
    let columns = inferred(&export, None);
    for name in ["height_comma", "weight_comma"] {
        assert_kind(&columns, name, Kind::Numeric);
        assert!(kind_of(&columns, name).decimal_comma, "{name}");
    }
    assert!(!kind_of(&columns, "height_dot").decimal_comma);

    let dir = tempfile::tempdir().unwrap();
    let draft = draft_and_run(&export, dir.path());
    assert_eq!(draft.matches("decimal_comma = true").count(), 2, "{draft}");
    let (header, rows) = read_csv(&dir.path().join("out/w1/numbers.csv"));
    let figures = |id: &str| row_by(&rows, 0, id)[3..].to_vec();
    assert_eq!(figures("height_comma"), figures("height_dot"), "{header:?}");
    assert_eq!(figures("weight_comma"), figures("weight_dot"), "{header:?}");
    let mean = header.iter().position(|h| h == "mean").unwrap();
    close(&row_by(&rows, 0, "height_comma")[mean], 1.735, 1e-9);
}

/// Codes joined with a comma are a check-all answer, not decimals: "1,2" beside "1" and "2".
#[test]
fn codes_joined_with_a_comma_are_not_decimal_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let export = written(
        dir.path(),
        "export.csv",
        "id,Q1\n1,1\n2,2\n3,\"1,2\"\n4,1\n5,\"1,2\"\n6,2\n",
    );
    let columns = inferred(&export, None);
    assert!(!kind_of(&columns, "Q1").decimal_comma);
    assert_ne!(kind_of(&columns, "Q1").kind, Kind::Numeric);
}

/// Typeform writes a check-all question as a column per option, headed and filled with the
/// option's label, and does not write the question itself. The options are one question in the
/// draft and the report (each option on its own was a "question" everyone who answered it
/// ticked: 100 %), an option between them nobody ticked is reported at 0 %, and the base is
/// the respondents who ticked any. Hand count: 5 of 6 ticked something; Python 4 (80 %), R 3
/// (60 %), Julia 0.
#[test]
fn options_written_as_their_own_columns_are_one_check_all_question() {
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from("#,Python,Julia,R,Start Date (UTC),Submit Date (UTC),Network ID\n");
    for (i, (python, r)) in [(1, 1), (1, 0), (0, 1), (1, 0), (0, 0), (1, 1)]
        .iter()
        .enumerate()
    {
        let python = if *python == 1 { "Python" } else { "" };
        let r = if *r == 1 { "R" } else { "" };
        csv.push_str(&format!(
            "t{i},{python},,{r},2024-01-0{d} 10:00:00,2024-01-0{d} 10:05:00,n{i}\n",
            d = i + 1
        ));
    }
    let export = written(dir.path(), "export.csv", &csv);
    let draft = draft_and_run(&export, dir.path());
    let survey: toml::Value = toml::from_str(&draft).unwrap();
    let choices = survey["choices"].as_array().unwrap();
    assert_eq!(choices.len(), 1, "{draft}");
    assert_eq!(
        choices[0]["columns"].as_array().unwrap().len(),
        3,
        "{draft}"
    );
    let (header, rows) = read_csv(&dir.path().join("out/w1/choices.csv"));
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    let figures: Vec<(String, String, String)> = rows
        .iter()
        .map(|r| {
            (
                r[at("option")].clone(),
                r[at("count")].clone(),
                r[at("n")].clone(),
            )
        })
        .collect();
    let row = |o: &str, c: &str| (o.to_string(), c.to_string(), "5".to_string());
    // In the order the columns list them (the questionnaire's).
    assert_eq!(
        figures,
        [row("Python", "4"), row("Julia", "0"), row("R", "3")]
    );
}

/// A single choice spread over a column per option with fewer respondents than
/// SPREAD_SINGLE_MIN (30): sixteen, each option chosen by four, nobody filling two. Had the
/// question let them tick several at those rates, all sixteen ticking exactly one would happen
/// 0.617^16 = 0.04 % of the time (by hand: a quarter each). A check-all question beside it,
/// where a few ticked two, stays check-all; so does one of only six respondents.
#[test]
fn a_small_single_choice_spread_over_columns_is_told_by_how_evenly_it_was_chosen() {
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from(
        "Respondent ID,Collector ID,Start Date,End Date,Which team are you in?,,,,Which tools do you use?,,\n\
         ,,,,North,South,East,West,Excel,R,Python\n",
    );
    let teams = ["North", "South", "East", "West"];
    for i in 0..16 {
        let mut cells: Vec<String> = vec![
            format!("{}", 1000 + i),
            "431".into(),
            "6/20/24 13:28".into(),
            "6/20/24 13:29".into(),
        ];
        cells.extend((0..4).map(|t| {
            if t == i % 4 {
                teams[t].to_string()
            } else {
                String::new()
            }
        }));
        let tools: [&str; 3] = match i % 4 {
            0 => ["Excel", "R", ""],
            1 => ["", "R", ""],
            2 => ["Excel", "", "Python"],
            _ => ["", "", "Python"],
        };
        cells.extend(tools.iter().map(|t| t.to_string()));
        csv.push_str(&cells.join(","));
        csv.push('\n');
    }
    let columns = inferred(&written(dir.path(), "sm.csv", &csv), None);
    let kinds_of = |question: &str| kinds_asking(&columns, question);
    assert_eq!(
        kinds_of("Which team are you in?"),
        vec![Kind::SingleChoice; 4]
    );
    assert_eq!(
        kinds_of("Which tools do you use?"),
        vec![Kind::MultiSelect; 3]
    );
    // Six respondents, one option each: 0.617^6 = 5.5 %, not evidence enough.
    let few: String = csv.lines().take(2 + 6).map(|l| format!("{l}\n")).collect();
    let columns = inferred(&written(dir.path(), "few.csv", &few), None);
    let team = kinds_asking(&columns, "Which team are you in?");
    assert!(team.iter().all(|k| *k != Kind::SingleChoice), "{team:?}");
}

/// SurveyMonkey's expanded download writes a single choice as a column per option; an option
/// nobody chose between two chosen ones ("Non-binary" between "Male" and "Female") holds nothing
/// and keeps the question one single choice (a reviewer's case: it turned the question into a
/// check-all one). Codes joined by a comma where some code is never given alone are not decimal
/// numbers either.
#[test]
fn an_option_nobody_chose_keeps_a_single_choice_one_and_joined_codes_are_not_decimals() {
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from(
        "Respondent ID,Collector ID,Start Date,End Date,What is your gender?,,\n,,,,Male,Non-binary,Female\n",
    );
    for i in 0..60 {
        let (male, female) = if i % 2 == 0 {
            ("Male", "")
        } else {
            ("", "Female")
        };
        csv.push_str(&format!(
            "{},431,6/20/24 13:28,6/20/24 13:29,{male},,{female}\n",
            1000 + i
        ));
    }
    let export = written(dir.path(), "sm.csv", &csv);
    let columns = inferred(&export, None);
    let gender = kinds_asking(&columns, "What is your gender?");
    assert_eq!(gender.len(), 3);
    assert!(
        gender.iter().all(|k| *k == Kind::SingleChoice),
        "{gender:?}"
    );

    let mut csv = String::from("id,Pick up to two priorities (codes)\n");
    for (i, answer) in [
        "\"3,6\"", "4", "\"1,6\"", "2", "\"4,5\"", "1", "\"2,6\"", "3",
    ]
    .iter()
    .cycle()
    .take(40)
    .enumerate()
    {
        csv.push_str(&format!("{i},{answer}\n"));
    }
    let codes = written(dir.path(), "codes.csv", &csv);
    let columns = inferred(&codes, None);
    let c = kind_of(&columns, "Pick up to two priorities (codes)");
    assert!(!c.decimal_comma && c.kind != Kind::Numeric, "{c:?}");
}

#[test]
fn a_surveymonkey_rating_written_one_column_per_option_is_scored_as_an_item() {
    // SurveyMonkey's expanded download writes every closed question one column per option,
    // the chosen option's label in its column (help.surveymonkey.com, "Expanded vs condensed
    // export formats"). A rating question so written is one item on its scale: options in the
    // order shown that climb a scale ("Very unconfident … Very confident"), or a scale worded
    // only at its ends ("Very dissatisfied", 2, 3, 4, "Very satisfied"). Bands of a quantity
    // stay a choice.
    let header = "Respondent ID,Collector ID,Start Date,End Date,\
        How confident are you in the new system?,,,,,\
        How satisfied are you with the training?,,,,,\
        How many hours did training take?,,\n\
        ,,,,Very unconfident,Unconfident,Neutral,Confident,Very confident,\
        Very dissatisfied,2,3,4,Very satisfied,\
        Less than 10 hours,10-50 hours,More than 50 hours\n";
    // (confidence column filled, satisfaction column filled, hours column filled), by option
    // position; the sixth respondent skipped the confidence question.
    let patterns: [(&[usize], usize, usize); 6] = [
        (&[3], 3, 0),
        (&[4], 4, 1),
        (&[2], 2, 0),
        (&[1], 0, 2),
        (&[2], 3, 1),
        (&[], 4, 0),
    ];
    let confidence = [
        "Very unconfident",
        "Unconfident",
        "Neutral",
        "Confident",
        "Very confident",
    ];
    let satisfaction = ["Very dissatisfied", "2", "3", "4", "Very satisfied"];
    let hours = ["Less than 10 hours", "10-50 hours", "More than 50 hours"];
    let mut text = header.to_string();
    for copy in 0..3 {
        for (n, (confident, satisfied, hour)) in patterns.iter().enumerate() {
            let mut cells = vec![
                format!("{}", 1000 + copy * 10 + n),
                "42".into(),
                "01/02/2024 10:00:00 AM".into(),
                "01/02/2024 10:05:00 AM".into(),
            ];
            cells.extend((0..5).map(|o| match confident.contains(&o) {
                true => confidence[o].to_string(),
                false => String::new(),
            }));
            cells.extend((0..5).map(|o| match o == *satisfied {
                true => satisfaction[o].to_string(),
                false => String::new(),
            }));
            cells.extend((0..3).map(|o| match o == *hour {
                true => hours[o].to_string(),
                false => String::new(),
            }));
            text.push_str(&cells.join(","));
            text.push('\n');
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let path = written(dir.path(), "expanded.csv", &text);
    let columns = inferred(&path, None);
    for option in confidence.iter().chain(&satisfaction) {
        let c = columns
            .iter()
            .find(|c| c.name.ends_with(&format!(" - {option}")))
            .unwrap_or_else(|| panic!("no column for {option}"));
        assert_eq!(c.kind, Kind::Likert, "{}: {}", c.name, c.reason);
    }
    // Too few respondents to tell a single choice from a check-all question, but no scale.
    for option in hours {
        let c = kind_of(
            &columns,
            &format!("How many hours did training take? - {option}"),
        );
        assert_ne!(c.kind, Kind::Likert, "{}", c.reason);
    }
    let draft = draft_and_run(&path, dir.path());
    assert_eq!(draft.matches("option_columns = [").count(), 2, "{draft}");
    let (head, rows) = read_csv(&dir.path().join("out/w1/items.csv"));
    let at = |name: &str| head.iter().position(|h| h == name).unwrap();
    let item = |question: &str| {
        rows.iter()
            .find(|r| r[at("text")].starts_with(question))
            .unwrap_or_else(|| panic!("no item {question}: {rows:?}"))
    };
    // By hand: confidence answered by 5 of each 6, codes 4, 5, 3, 2, 3: mean 17/5 = 3.4,
    // two of five "Confident" or above.
    let confident = item("How confident");
    assert_eq!(confident[at("n")], "15");
    close(&confident[at("mean")], 3.4, 1e-9);
    close(&confident[at("pct_agree")], 40.0, 1e-9);
    assert!(confident[at("column")].contains(" | "), "{confident:?}");
    // Satisfaction: codes 4, 5, 3, 1, 4, 5: mean 22/6, four of six at 4 or 5.
    let satisfied = item("How satisfied");
    assert_eq!(satisfied[at("n")], "18");
    close(&satisfied[at("mean")], 22.0 / 6.0, 1e-4);
    close(&satisfied[at("pct_agree")], 400.0 / 6.0, 1e-3);
    let (_, choices) = read_csv(&dir.path().join("out/w1/choices.csv"));
    assert!(
        choices.iter().any(|r| r.iter().any(|c| c == "10-50 hours")),
        "{choices:?}"
    );
}

#[test]
fn a_file_written_by_r_reads_na_as_blank_and_its_mangled_timings_as_bookkeeping() {
    // R's write.csv quotes the header and every string, writes NA bare for every missing
    // value and leaves no cell empty; make.names turns LimeSurvey's "Vraag tijd: Q1" heading
    // into `Vraag.tijd..Q1` (R documentation, ?write.table and ?make.names). Batch 9's Dutch
    // LimeSurvey "R data file" is such a file.
    let r_export = |quote_na: bool| {
        let na = if quote_na { "\"NA\"" } else { "NA" };
        let mut text = String::from(
            "\"id\",\"submitdate\",\"lastpage\",\"startlanguage\",\"Q1\",\"Q2\",\"Vraag.tijd..Q1\",\"Groep.tijd..group\"\n",
        );
        let remarks = [
            "Meer tijd voor overleg",
            "Goed georganiseerd",
            "Te weinig uitleg vooraf",
            "Prima zo",
        ];
        for n in 1..=12 {
            // Rows 10 to 12 were never submitted: LimeSurvey leaves submitdate blank, R writes NA.
            let submitted = match n {
                10..=12 => na.to_string(),
                _ => format!("\"2018-01-0{} 10:00:00\"", n % 9 + 1),
            };
            let q1 = ["\"Ja\"", "\"Nee\"", na][n % 3];
            let q2 = match n % 2 {
                0 => format!("\"{}\"", remarks[n % 4]),
                _ => na.to_string(),
            };
            text.push_str(&format!(
                "{n},{submitted},2,\"nl\",{q1},{q2},{na},{}.5\n",
                n + 20
            ));
        }
        text
    };
    let dir = tempfile::tempdir().unwrap();
    // A tool that quotes its fields quotes an answer "NA" too: an answer, not R's blank.
    let quoted = inferred(&written(dir.path(), "quoted.csv", &r_export(true)), None);
    assert_eq!(kind_of(&quoted, "Q1").distinct, 3);
    let path = written(dir.path(), "survey_R_data_file.csv", &r_export(false));
    let columns = inferred(&path, None);
    // Q1 answered on the 8 rows where it is not NA, with two answers; Q2 on 6.
    let q1 = kind_of(&columns, "Q1");
    assert_eq!((q1.answered, q1.distinct), (8, 2), "{q1:?}");
    assert_eq!(kind_of(&columns, "Q2").answered, 6);
    assert_kind(&columns, "Vraag.tijd..Q1", Kind::Metadata);
    assert_kind(&columns, "Groep.tijd..group", Kind::Metadata);
    let inspect = canvass(&["inspect", path.to_str().unwrap()]);
    assert!(stdout(&inspect).contains("every cell `NA` is read as a blank"));
    // Unsubmitted rows are unfinished, as a blank submitdate says.
    draft_and_run(&path, dir.path());
    let (head, rows) = read_csv(&dir.path().join("out/w1/exclusions.csv"));
    let reason = head.iter().position(|h| h == "reason").unwrap();
    let unfinished = rows.iter().filter(|r| r[reason] == "unfinished").count();
    assert_eq!(unfinished, 3, "{rows:?}");
    // The manifest records how the export was read.
    let manifest = std::fs::read_to_string(dir.path().join("out/w1/manifest.json")).unwrap();
    assert!(manifest.contains("\"missing\": \"NA\""), "{manifest}");
}

#[test]
fn a_few_answers_none_repeated_to_a_question_asking_to_describe_are_comments() {
    // Batch 9's Qualtrics listening test: text boxes asking "How would you describe the
    // feeling of the sound?", which only two of the respondents filled, each with a word of
    // their own. Two boxes side by side holding one word each looked like check-all options.
    let mut text = String::from(
        "ResponseId,Finished,Q16_1,Q16_2,Q5\n\
         Response ID,Finished,Tag the sound in the text boxes. - How would you describe the feeling of the sound?,\
         Tag the sound in the text boxes. - How would you describe the character of the sound?,Which group are you in?\n\
         {\"ImportId\":\"_recordId\"},{\"ImportId\":\"finished\"},{\"ImportId\":\"QID145_1\"},{\"ImportId\":\"QID145_2\"},{\"ImportId\":\"QID5\"}\n",
    );
    for n in 0..40 {
        let (feeling, character) = match n {
            3 => ("peaceful", "bright"),
            17 => ("Happy", "Joyous"),
            _ => ("", ""),
        };
        let group = ["A", "B"][n % 2];
        text.push_str(&format!("R_{n:03},True,{feeling},{character},{group}\n"));
    }
    let dir = tempfile::tempdir().unwrap();
    let columns = inferred(&written(dir.path(), "listening.csv", &text), None);
    assert_kind(&columns, "Q16_1", Kind::FreeText);
    assert_kind(&columns, "Q16_2", Kind::FreeText);
    assert_kind(&columns, "Q5", Kind::SingleChoice);
}

#[test]
fn words_typed_after_other_and_job_titles_are_comments_not_identifiers() {
    // Typeform heads the box for an "Other" answer "Other" (repeated: "Other (2)"), and a
    // Drupal Webform export writes a check-all question as "X" per option, then "Autre" and
    // its "Veuillez préciser" box (batch 5's enquete-vikidia, batch 8's Typeform census). The
    // words typed there, or the job titles typed to "What was your previous role …?", are
    // short and all different, as ids are, but the headers ask for words.
    let mut text = String::from(
        "Participant,Maths,Science,Other,What was your previous role before joining the company?,Articles,Corrections,Autre,Veuillez préciser\n",
    );
    let roles = [
        "Process engineer",
        "Lab technician",
        "Sales manager",
        "Data analyst",
    ];
    for n in 0..30 {
        let tick = |on: bool, label: &str| if on { label.to_string() } else { String::new() };
        text.push_str(&format!(
            "P{n:03}x,{},{},Something else {n},{} {n},{},{},X,Précision numéro {n}\n",
            tick(n % 2 == 0, "Maths"),
            tick(n % 3 == 0, "Science"),
            roles[n % 4],
            tick(n % 2 == 1, "X"),
            tick(n % 5 == 0, "X"),
        ));
    }
    let dir = tempfile::tempdir().unwrap();
    let columns = inferred(&written(dir.path(), "typed.csv", &text), None);
    assert_kind(&columns, "Participant", Kind::Identifier);
    assert_kind(&columns, "Other", Kind::FreeText);
    assert_kind(
        &columns,
        "What was your previous role before joining the company?",
        Kind::FreeText,
    );
    assert_kind(&columns, "Veuillez préciser", Kind::FreeText);
}

#[test]
fn a_pilots_yes_and_no_to_a_question_asking_to_explain_stay_a_choice() {
    // The review of session 22's comment rule: two respondents of a pilot, one "Yes", one "No",
    // to "Did the trainer explain the material clearly?" are a choice, not comments.
    let text = "ResponseId,Did the trainer explain the material clearly?,Why?\n\
                R_1,Yes,Clear slides\n\
                R_2,No,Too fast for me\n";
    let dir = tempfile::tempdir().unwrap();
    let columns = inferred(&written(dir.path(), "pilot.csv", text), None);
    assert_kind(
        &columns,
        "Did the trainer explain the material clearly?",
        Kind::SingleChoice,
    );
    assert_kind(&columns, "Why?", Kind::FreeText);
}

#[test]
fn option_columns_holding_ticks_score_by_the_column_and_a_column_named_twice_is_refused() {
    // A re-export or a hand-made file may mark the chosen option's column with 1 (and the
    // others 0) instead of writing its label: the tick stands for its column's option.
    let mut text =
        String::from("id,How often? - Never,How often? - Sometimes,How often? - Often\n");
    // By hand: 6 Never (code 1), 3 Sometimes (2), 3 Often (3): n 12, mean 21/12 = 1.75.
    for n in 0..12 {
        let chosen = match n {
            0..=5 => 0,
            6..=8 => 1,
            _ => 2,
        };
        let cells: Vec<&str> = (0..3)
            .map(|o| if o == chosen { "1" } else { "0" })
            .collect();
        text.push_str(&format!("{n},{}\n", cells.join(",")));
    }
    let survey = |columns: &str| {
        format!(
            "title = \"t\"\n[[response_scales]]\nname = \"often\"\nlabels = [\"Never\", \"Sometimes\", \"Often\"]\nagree_top = 1\n\
             [[items]]\nid = \"often\"\noption_columns = [{columns}]\ntext = \"How often?\"\nscale = \"often\"\n"
        )
    };
    let dir = tempfile::tempdir().unwrap();
    let export = written(dir.path(), "ticks.csv", &text);
    let all = "\"How often? - Never\", \"How often? - Sometimes\", \"How often? - Often\"";
    let good = written(dir.path(), "good.toml", &survey(all));
    let out = canvass(&[
        "score",
        export.to_str().unwrap(),
        "--survey",
        good.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let item = &json["items"][0];
    assert_eq!(item["n"], 12, "{item}");
    assert!(
        (item["mean"].as_f64().unwrap() - 1.75).abs() < 1e-9,
        "{item}"
    );
    let twice = "\"How often? - Never\", \"how often? - never\", \"How often? - Often\"";
    let bad = written(dir.path(), "bad.toml", &survey(twice));
    let out = canvass(&[
        "score",
        export.to_str().unwrap(),
        "--survey",
        bad.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("named twice") && err.contains("items[0].option_columns"),
        "{err}"
    );
}

#[test]
fn a_rating_a_column_per_option_on_part_of_a_known_scale_is_scored_on_the_options_shown() {
    // "Poor, Fair, Good, Excellent" is four of a known quality scale's five points: written a
    // column per option (SurveyMonkey's expanded download), the question offered those four,
    // and they are its scale, Poor = 1 … Excellent = 4.
    let mut text = String::from(
        "Respondent ID,Collector ID,How would you rate the venue?,,,\n,,Poor,Fair,Good,Excellent\n",
    );
    let labels = ["Poor", "Fair", "Good", "Excellent"];
    // By hand: 10 × Good (3), 10 × Excellent (4), 5 × Fair (2), 5 × Poor (1): n 30,
    // mean (30 + 40 + 10 + 5) / 30 = 85 / 30; Good or Excellent 20 of 30.
    for n in 0..30 {
        let chosen = [2, 3, 1, 0, 2, 3][n % 6];
        let cells: Vec<&str> = (0..4)
            .map(|o| if o == chosen { labels[o] } else { "" })
            .collect();
        text.push_str(&format!("{},77,{}\n", 100 + n, cells.join(",")));
    }
    let dir = tempfile::tempdir().unwrap();
    let path = written(dir.path(), "venue.csv", &text);
    let draft = draft_and_run(&path, dir.path());
    assert!(
        draft.contains("labels = [\"Poor\", \"Fair\", \"Good\", \"Excellent\"]"),
        "{draft}"
    );
    let (head, rows) = read_csv(&dir.path().join("out/w1/items.csv"));
    let at = |name: &str| head.iter().position(|h| h == name).unwrap();
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0][at("n")], "30");
    close(&rows[0][at("mean")], 85.0 / 30.0, 1e-4);
    close(&rows[0][at("pct_agree")], 200.0 / 3.0, 1e-3);
}

#[test]
fn a_google_forms_ranking_grid_of_ordinals_is_a_ranking_with_its_other_row() {
    // Google Forms writes a ranking asked as a grid ("Please rank …", columns "1st", "2nd" …)
    // one column per row, "Question [Row]", each holding the ordinal chosen (batch 10's
    // COGS164 survey). Its "[Other]" row is a row like the rest.
    let rows = ["Family", "Work", "Travel", "Other"];
    let mut text = String::from("Timestamp");
    for row in rows {
        text.push_str(&format!(
            ",Why are you learning? (Please rank in order) [{row}]"
        ));
    }
    text.push('\n');
    // By hand: Family is 1st in 10 of 20 responses and 3rd in the other 10: mean rank 2.
    for n in 0..20 {
        let order = match n % 2 {
            0 => ["1st", "2nd", "3rd", "4th"],
            _ => ["3rd", "1st", "2nd", "4th"],
        };
        text.push_str(&format!(
            "2024/01/{:02} 10:00:00 AM GMT,{}\n",
            n % 28 + 1,
            order.join(",")
        ));
    }
    let dir = tempfile::tempdir().unwrap();
    let path = written(dir.path(), "ranking.csv", &text);
    let draft = draft_and_run(&path, dir.path());
    assert!(draft.contains("[[rankings]]"), "{draft}");
    let (head, rows) = read_csv(&dir.path().join("out/w1/rankings.csv"));
    let at = |name: &str| head.iter().position(|h| h == name).unwrap();
    let family = row_by(&rows, at("option"), "Family");
    close(&family[at("mean_rank")], 2.0, 1e-9);
    assert_eq!(family[at("first")], "10");
    assert!(rows.iter().any(|r| r[at("option")] == "Other"), "{rows:?}");
}

#[test]
fn a_scale_beside_a_few_answers_typed_after_other_is_a_rating() {
    // Google Forms writes what a respondent typed after "Other" into the question's own column:
    // batch 10's e-bike survey asked for self-rated health, "Poor … Excellent", and a few of
    // 2,248 typed their own ("Disabled"). The typed answers are left unscored.
    let labels = ["Poor", "Fairly good", "Good", "Very good", "Excellent"];
    let mut text =
        String::from("Timestamp,How would you describe your level of physical health?\n");
    for n in 0..400 {
        let answer = match n {
            7 => "Disabled".to_string(),
            90 => "Recovering from a knee operation".to_string(),
            _ => labels[n % 5].to_string(),
        };
        text.push_str(&format!(
            "2013/05/{:02} 10:00:00 AM EST,\"{answer}\"\n",
            n % 28 + 1
        ));
    }
    let dir = tempfile::tempdir().unwrap();
    let path = written(dir.path(), "health.csv", &text);
    let columns = inferred(&path, None);
    let health = kind_of(
        &columns,
        "How would you describe your level of physical health?",
    );
    assert_eq!(health.kind, Kind::Likert, "{}", health.reason);
    assert_eq!(health.labels, labels);
    draft_and_run(&path, dir.path());
    let (head, rows) = read_csv(&dir.path().join("out/w1/items.csv"));
    let at = |name: &str| head.iter().position(|h| h == name).unwrap();
    // 398 answers on the scale; the two typed ones are not scored.
    assert_eq!(rows[0][at("n")], "398", "{rows:?}");
}

/// Each option of the question reading export column `column` in the choices.csv that
/// `draft_and_run` wrote below `dir`: (option, count, n), in the file's order.
fn options_counted(dir: &Path, column: &str) -> Vec<(String, String, String)> {
    let (header, rows) = read_csv(&dir.join("out/w1/choices.csv"));
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (of, option, count, n) = (at("column"), at("option"), at("count"), at("n"));
    rows.iter()
        .filter(|r| r[of] == column)
        .map(|r| (r[option].clone(), r[count].clone(), r[n].clone()))
        .collect()
}

/// Google Forms rows as its CSV download writes them (Timestamp first, a check-all question's
/// ticks joined with ", " in the order the form lists its options), with the wordings of round
/// 13's exports: a safety scale named by a word and its negation, the American National
/// Election Studies' "Just about always", a numbered scale whose lowest point is "Not very …",
/// a single choice whose options hold commas, and a check-all question whose options are
/// sentences, one of them with a comma of its own.
fn google_forms_round_13(dir: &Path) -> PathBuf {
    let safe = [
        "Very safe",
        "Somewhat safe",
        "Somewhat unsafe",
        "Very unsafe",
    ];
    let trust = [
        "Never",
        "Some of the time",
        "Most of the time",
        "Just about always",
    ];
    let impressive = [
        "1 - Not very impressive",
        "2 - A bit impressive",
        "3 - Quite impressive",
        "4 - Very impressive",
        "5 - Extremely impressive",
    ];
    let district = [
        "Central Toronto, York or East York",
        "Etobicoke",
        "North York",
        "Scarborough",
    ];
    let ticked = [
        "E-bikes should require a license",
        "Most e-bikes are wider than a bicycle, of average width, E-bikes should require a license",
        "E-bikes are a green transportation option which should be encouraged by the city",
        "Most e-bikes are wider than a bicycle, of average width",
        "E-bikes should require a license, E-bikes are a green transportation option which should be encouraged by the city",
        "Most e-bikes are wider than a bicycle, of average width, Most e-bikes weigh more than a bicycle",
        "Most e-bikes weigh more than a bicycle",
        "Most e-bikes are wider than a bicycle, of average width, E-bikes are a green transportation option which should be encouraged by the city",
    ];
    let mut csv = String::from(
        "Timestamp,How safe do you feel when walking to work?,How often do you trust the police to do what is right?,How impressive are the scientists described?,What district do you live in?,Do you support any of the following statements?\n",
    );
    for i in 0..16 {
        csv.push_str(&format!(
            "2024/10/{:02} 10:00:00,{},{},{},\"{}\",\"{}\"\n",
            i + 1,
            safe[i % 4],
            trust[(i / 2) % 4],
            impressive[i % 5],
            district[(i * 3) % 4],
            ticked[i % ticked.len()],
        ));
    }
    written(dir, "responses.csv", &csv)
}

#[test]
fn scales_named_by_a_word_and_its_negation_or_by_approximate_frequency_are_ratings() {
    let dir = tempfile::tempdir().unwrap();
    let columns = inferred(&google_forms_round_13(dir.path()), None);
    for name in [
        "How safe do you feel when walking to work?",
        "How often do you trust the police to do what is right?",
        "How impressive are the scientists described?",
    ] {
        assert_kind(&columns, name, Kind::Likert);
    }
    let safety = kind_of(&columns, "How safe do you feel when walking to work?");
    assert_eq!(
        safety.labels,
        [
            "Very unsafe",
            "Somewhat unsafe",
            "Somewhat safe",
            "Very safe"
        ]
    );
    let trust = kind_of(
        &columns,
        "How often do you trust the police to do what is right?",
    );
    assert_eq!(trust.labels.last().unwrap(), "Just about always");
    let impressive = kind_of(&columns, "How impressive are the scientists described?");
    assert_eq!(impressive.labels[0], "1 - Not very impressive");
}

/// A comma inside an option ("Central Toronto, York or East York") is not a join: its two
/// pieces are never given apart, by 23 of 30 respondents. A check-all question's options recombine, so a joined answer
/// of options also given alone is a check-all answer, however long its options.
#[test]
fn commas_inside_options_are_told_from_joins_by_how_the_pieces_recombine() {
    let dir = tempfile::tempdir().unwrap();
    let columns = inferred(&google_forms_round_13(dir.path()), None);
    // Four of sixteen always giving "Central Toronto" and "York or East York" together may be
    // two options a few people ticked alike; twenty or more never apart are one label.
    let mut csv = String::from("Timestamp,What district do you live in?\n");
    let districts = [
        "Central Toronto, York or East York",
        "Central Toronto, York or East York",
        "Central Toronto, York or East York",
        "Etobicoke",
    ];
    for i in 0..30 {
        csv.push_str(&format!(
            "2024/10/{:02} 10:00:00,\"{}\"\n",
            i % 28 + 1,
            districts[i % 4]
        ));
    }
    let district = inferred(&written(dir.path(), "district.csv", &csv), None);
    assert_kind(
        &district,
        "What district do you live in?",
        Kind::SingleChoice,
    );
    assert_kind(
        &columns,
        "Do you support any of the following statements?",
        Kind::MultiSelect,
    );
}

/// The report counts a check-all option whose label holds a comma once, under its whole
/// label. Counted by hand from `google_forms_round_13`'s 16 rows (row i answers
/// `ticked[i % 8]`, so each of the 8 answers is given twice): "Most e-bikes are wider than a
/// bicycle, of average width" is in answers 1, 3, 5 and 7, so 8 of 16 respondents; "E-bikes
/// should require a license" in answers 0, 1 and 4: 6 of 16.
#[test]
fn a_check_all_option_with_a_comma_is_counted_whole() {
    let dir = tempfile::tempdir().unwrap();
    let export = google_forms_round_13(dir.path());
    draft_and_run(&export, dir.path());
    let options = options_counted(
        dir.path(),
        "Do you support any of the following statements?",
    );
    let counted = |label: &str| {
        options
            .iter()
            .find(|(option, _, _)| option == label)
            .map(|(_, count, n)| (count.clone(), n.clone()))
            .unwrap_or_else(|| panic!("no option {label:?} in {options:?}"))
    };
    assert_eq!(
        counted("Most e-bikes are wider than a bicycle, of average width"),
        ("8".to_string(), "16".to_string())
    );
    assert_eq!(
        counted("E-bikes should require a license"),
        ("6".to_string(), "16".to_string())
    );
    assert!(
        !options
            .iter()
            .any(|(option, _, _)| option == "of average width"),
        "{options:?}"
    );
}

/// SurveyMonkey's condensed layout (its "Response" second header row) joins a check-all
/// question's options with "; " in one column; "Check any" asks for several.
#[test]
fn surveymonkey_condensed_check_all_joined_with_semicolons() {
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from(
        "Respondent ID,Which do you consider affordable housing to be? (check all that apply),Check any of the below features you would support:\n,Response,Response\n",
    );
    let housing = [
        "Subsidized; Rent-controlled",
        "Subsidized",
        "Means-tested; Subsidized; Cheap",
        "Cheap",
        "Rent-controlled",
        "Means-tested; Rent-controlled",
    ];
    let features = [
        "District-owned housing built by a District agency; District-owned housing built by a private company",
        "District-owned housing built by a District agency",
        "District-owned housing built by a private company; Privately owned housing managed by a District agency",
        "Privately owned housing managed by a District agency",
    ];
    for i in 0..12 {
        csv.push_str(&format!(
            "{},{},{}\n",
            1000 + i,
            housing[i % housing.len()],
            features[i % features.len()]
        ));
    }
    let columns = inferred(&written(dir.path(), "condensed.csv", &csv), None);
    let kinds: Vec<Kind> = columns.iter().skip(1).map(|c| c.kind.clone()).collect();
    assert_eq!(kinds, [Kind::MultiSelect, Kind::MultiSelect], "{columns:?}");
}

/// Ona's CSV export as it writes a form with select-multiple questions split and the
/// question's own column left out (`group/question/option` holding True/False), photos as
/// links to their attachments, "n/a" for a question its relevance hid, an "Other" answer's
/// text box named `question_other`, and an enumerator's remarks in `comment_…`.
#[test]
fn ona_split_options_attachments_other_boxes_and_hidden_questions() {
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from(
        "g/level/primary,g/level/secondary,g/level/other,g/level_other,g/pupils,g/image_building,g/comment_condition,g/funder,g/funder_other,g/satisfied,_uuid,_submission_time\n",
    );
    let remarks = [
        "Structural damage",
        "Minor crack seen",
        "Site clear",
        "Tag missing",
    ];
    let funders = ["jica", "community", "other"];
    for i in 0..40 {
        let other = i % 5 == 0;
        let funder = funders[i % 3];
        csv.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},{},uuid-{i:04},2016-07-29T05:46:{:02}\n",
            if i % 2 == 0 { "True" } else { "False" },
            if i % 3 == 0 { "True" } else { "False" },
            if other { "True" } else { "False" },
            if other {
                ["Muster roll", "Day basis"][i % 2]
            } else {
                "n/a"
            },
            if i % 4 == 0 {
                "n/a".to_string()
            } else {
                (20 + i * 7 % 50).to_string()
            },
            if i % 6 == 0 {
                "n/a".to_string()
            } else {
                format!(
                    "http://classic.ona.io/api/v1/files/{}?filename=x/attachments/{}.jpg",
                    1000 + i,
                    1459761743440u64 + i as u64
                )
            },
            if i % 3 != 0 {
                format!("{} near block {}", remarks[i % 4], i)
            } else {
                remarks[i % 4].to_string()
            },
            funder,
            if funder == "other" {
                ["Room to read", "World bank"][i % 2]
            } else {
                "n/a"
            },
            if i % 4 == 0 {
                "n/a"
            } else if i % 4 == 1 {
                "no"
            } else {
                "yes"
            },
            i % 60,
        ));
    }
    let export = written(dir.path(), "Buildings_2016.csv", &csv);
    let columns = inferred(&export, None);
    for option in ["g/level/primary", "g/level/secondary", "g/level/other"] {
        assert_kind(&columns, option, Kind::MultiSelect);
    }
    assert_kind(&columns, "g/level_other", Kind::FreeText);
    assert_kind(&columns, "g/funder_other", Kind::FreeText);
    assert_kind(&columns, "g/pupils", Kind::Numeric);
    assert_kind(&columns, "g/image_building", Kind::Metadata);
    assert_kind(&columns, "g/comment_condition", Kind::FreeText);
    assert_kind(&columns, "g/funder", Kind::SingleChoice);
    // "n/a" marks the 10 rows (i % 4 == 0) never asked: the base is the 30 asked, of whom 10
    // said no (i % 4 == 1) and 20 yes.
    draft_and_run(&export, dir.path());
    let satisfied = options_counted(dir.path(), "g/satisfied");
    let satisfied: Vec<(&str, &str, &str)> = satisfied
        .iter()
        .map(|(o, c, n)| (o.as_str(), c.as_str(), n.as_str()))
        .collect();
    assert_eq!(satisfied, [("yes", "20", "30"), ("no", "10", "30")]);
    // A question that lists "n/a" among its options counts it, as a rating scale listing it
    // does: 10 of the 40.
    let survey = std::fs::read_to_string(dir.path().join("survey.toml")).unwrap();
    let listed = survey.replace(
        "column = \"g/satisfied\"",
        "column = \"g/satisfied\"\noptions = [\"yes\", \"no\", \"n/a\"]",
    );
    assert_ne!(listed, survey, "the draft reads g/satisfied as a choice");
    std::fs::write(dir.path().join("survey.toml"), listed).unwrap();
    let run = canvass(&[
        "run",
        dir.path().join("pipeline.toml").to_str().unwrap(),
        "--quiet",
    ]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let n_a = options_counted(dir.path(), "g/satisfied");
    assert!(
        n_a.contains(&("n/a".to_string(), "10".to_string(), "40".to_string())),
        "{n_a:?}"
    );
}

/// Batches 13 and 14 (session 25): rules taught by exports labelled blind, each general to the
/// tool that writes the layout.
#[test]
fn limesurvey_in_german_is_limesurvey_and_its_answer_codes_form_a_scale() {
    // LimeSurvey names its own columns in the survey's language ("Antwort ID", "Datum
    // Abgeschickt", "Letzte Seite", "Start-Sprache", "Zufallsgeneratorstartwert",
    // "Weiterleitungs-URL"), and an export of answer codes writes an array's answers as their
    // codes, A1 … A5 (LimeSurvey's defaults, in the order the scale lists them).
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from(
        "\"Antwort ID\",\"Datum Abgeschickt\",\"Letzte Seite\",\"Start-Sprache\",\"Zufallsgeneratorstartwert\",\"Weiterleitungs-URL\",\"Wie verständlich fanden Sie die Texte? [Text A]\",\"Wie verständlich fanden Sie die Texte? [Text B]\"\n",
    );
    for i in 0..30 {
        csv.push_str(&format!(
            "\"{}\",\"1980-01-01 00:00:00\",\"3\",\"de\",\"{}\",\"https://example.org/s/{}\",\"A{}\",\"A{}\"\n",
            i + 1,
            98765 + i * 7919,
            i,
            1 + i % 5,
            1 + (i * 3) % 5
        ));
    }
    let export = written(dir.path(), "results-survey951135.csv", &csv);
    let raw = read_export(&export, &ReadOptions::new(None, None)).unwrap();
    assert_eq!(raw.source.format, canvass::model::Format::Limesurvey);
    let columns = infer::columns(&raw);
    for name in [
        "Datum Abgeschickt",
        "Zufallsgeneratorstartwert",
        "Weiterleitungs-URL",
    ] {
        assert_kind(&columns, name, Kind::Metadata);
    }
    for row in ["Text A", "Text B"] {
        let name = format!("Wie verständlich fanden Sie die Texte? [{row}]");
        assert_kind(&columns, &name, Kind::Likert);
        assert_eq!(
            kind_of(&columns, &name).labels,
            ["A1", "A2", "A3", "A4", "A5"]
        );
    }
}

#[test]
fn a_follow_up_numbered_after_its_question_is_not_a_check_all_option() {
    // SurveyCTO's `question_choice` option columns are ticked on exactly the rows whose answer
    // names the choice. `Q36_1`, a yes/no asked after `Q36` (answers 1, 2, 3), is ticked on 4
    // rows where 12 answered 1: no option of Q36. An empty `Q15_1_other` is evidence of nothing.
    let dir = tempfile::tempdir().unwrap();
    // `Q40_1` is ticked on as many rows as `Q40`'s answers say 1 (12 of 24), but not the same
    // rows: a coincidence of counts, not an option. SurveyCTO names a negative code's column
    // `question__99`, ticked where the answer names -99.
    let mut csv = String::from(
        "Q36,Q36_1,Q15,Q15_1_other,Q40,Q40_1,fruit,fruit_apple,fruit_pear,fruit__99\n",
    );
    for i in 0..24 {
        let q36 = 1 + i % 2 + (i % 6 == 5) as usize;
        let fruit = ["apple", "pear", "apple pear", "-99"][i % 4];
        csv.push_str(&format!(
            "{q36},{},{},,{},{},{fruit},{},{},{}\n",
            (i % 6 == 0) as u8,
            1 + i % 2,
            1 + i % 2,
            u8::from(i < 12),
            fruit.contains("apple") as u8,
            fruit.contains("pear") as u8,
            u8::from(fruit == "-99"),
        ));
    }
    let columns = inferred(&written(dir.path(), "wide.csv", &csv), None);
    assert_ne!(kind_of(&columns, "Q36").kind, Kind::MultiSelect);
    assert_ne!(kind_of(&columns, "Q36_1").kind, Kind::MultiSelect);
    assert_ne!(kind_of(&columns, "Q15").kind, Kind::MultiSelect);
    assert_ne!(kind_of(&columns, "Q40").kind, Kind::MultiSelect);
    assert_kind(&columns, "Q15_1_other", Kind::Empty);
    for name in ["fruit", "fruit_apple", "fruit_pear", "fruit__99"] {
        assert_kind(&columns, name, Kind::MultiSelect);
    }
}

#[test]
fn an_export_of_numbered_choices_reads_small_codes_as_choices() {
    // KoboToolbox's "XML values" export writes each choice by its name; a form that numbers
    // its choices shows it in a check-all question's option columns (`Q26/1`, `Q26/888`).
    // There a column of codes 1–4 is a single choice, as is one of 0/1 with household
    // surveys' 97 "refused" and 98 "don't know" (batch 17's held-out form), a column with a
    // `_other` box beside it is one whatever its codes, and a header naming a quantity stays
    // a number.
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from(
        "_uuid,_submission_time,Q26,Q26/1,Q26/2,Q26/888,Q10,Q11,Q17,Q17_other,How many members in the household,hh_size,rooms,income,income_other\n",
    );
    for i in 0..40 {
        let q26 = ["1", "2", "1 2", "1"][i % 4];
        let q17 = [12, 13, 10, 14, 4, 9][i % 6];
        csv.push_str(&format!(
            "uuid-{i},2022-05-10T12:{:02}:00,{q26},{},{},0,{},{},{q17},{},{},{},{},{},{}\n",
            i % 60,
            q26.contains('1') as u8,
            q26.contains('2') as u8,
            [3, 4, 1, 2, 3, 3][i % 6],
            [0, 1, 0, 97, 0, 98, 1][i % 7],
            if i == 7 { "BAMS" } else { "" },
            1 + i % 4,
            1 + i % 7,
            1 + i % 4,
            500 * (1 + i % 9),
            if i == 3 { "pension" } else { "" },
        ));
    }
    let columns = inferred(&written(dir.path(), "kobo.csv", &csv), None);
    assert_kind(&columns, "Q26", Kind::MultiSelect);
    assert_kind(&columns, "Q10", Kind::SingleChoice);
    assert_kind(&columns, "Q11", Kind::SingleChoice);
    assert_kind(&columns, "Q17", Kind::SingleChoice);
    // A count the form names (the review's `hh_size`, `rooms`), and an amount beside an "other
    // income" box, are what they say: not codes.
    for name in [
        "How many members in the household",
        "hh_size",
        "rooms",
        "income",
    ] {
        assert_ne!(kind_of(&columns, name).kind, Kind::SingleChoice, "{name}");
    }
}

#[test]
fn eurobarometer_and_oecd_scales_are_ratings_in_their_order() {
    // "Tend to agree", "Never or almost never", "To little or no extent at all", and the
    // non-answer "Don't know/Cannot answer" (two joined by a bare "/").
    let dir = tempfile::tempdir().unwrap();
    let agree = [
        "Totally disagree",
        "Tend to disagree",
        "Tend to agree",
        "Totally agree",
    ];
    let often = [
        "Never or almost never",
        "Rarely",
        "Sometimes",
        "Most of the time",
        "Always or almost always",
    ];
    let extent = [
        "To little or no extent at all",
        "To some extent",
        "To a large extent",
        "To a very large extent",
    ];
    let mut csv = String::from("id,Trust,Often,Extent\n");
    for i in 0..40 {
        let dont_know = "Don't know/Cannot answer";
        csv.push_str(&format!(
            "{i},{},{},{}\n",
            if i % 9 == 0 { dont_know } else { agree[i % 4] },
            often[i % 5],
            if i % 7 == 0 { dont_know } else { extent[i % 4] },
        ));
    }
    let columns = inferred(&written(dir.path(), "eb.csv", &csv), None);
    for (name, labels) in [
        ("Trust", &agree[..]),
        ("Often", &often[..]),
        ("Extent", &extent[..]),
    ] {
        let c = kind_of(&columns, name);
        assert_eq!(c.kind, Kind::Likert, "{name}: {}", c.reason);
        assert_eq!(c.labels, labels, "{name}");
    }
    assert_eq!(
        kind_of(&columns, "Trust").not_applicable,
        ["Don't know/Cannot answer"]
    );
}

#[test]
fn limesurvey_option_comments_display_orders_and_things_named() {
    // LimeSurvey's "multiple choice with comments" writes `Q[SQ001]` (Yes/No) and beside it
    // `Q[SQ001comment]`, typed; Qualtrics records randomised orders (`Q5_DO`, `RO-BR-FL_76`)
    // as element ids joined by "|"; "Name of Bachelor's degree(s)" names a degree, not a
    // person.
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from(
        "id,submitdate,lastpage,DHRP07[SQ001],DHRP07[SQ001comment],DHRP07[SQ002],DHRP07[SQ002comment],Name of Bachelor's degree(s),Name of your project supervisor,THINGS_TO_DO\n",
    );
    let supervisors = ["Dr Alice Smith", "Prof Bo Chen", "Dr Carla Diaz"];
    let things = ["Walk", "Read", "Swim"];
    let degrees = [
        "Biology",
        "Physics",
        "Biology",
        "History",
        "Chemistry",
        "Physics",
    ];
    for i in 0..30 {
        let yes = |b: bool| if b { "Yes" } else { "No" };
        csv.push_str(&format!(
            "{i},2021-05-0{} 10:00:00,4,{},\"{}\",{},\"{}\",{},{},{}\n",
            1 + i % 9,
            yes(i % 3 == 0),
            if i % 3 == 0 {
                format!("shared via repository number {i}")
            } else {
                String::new()
            },
            yes(i % 2 == 0),
            if i % 4 == 0 {
                format!("by e-mail, around project {i}")
            } else {
                String::new()
            },
            degrees[i % 6],
            supervisors[i % 3],
            things[i % 3],
        ));
    }
    let columns = inferred(&written(dir.path(), "results-survey896447.csv", &csv), None);
    assert_kind(&columns, "DHRP07[SQ001]", Kind::MultiSelect);
    assert_kind(&columns, "DHRP07[SQ002]", Kind::MultiSelect);
    assert_kind(&columns, "DHRP07[SQ001comment]", Kind::FreeText);
    assert_ne!(
        kind_of(&columns, "Name of Bachelor's degree(s)").kind,
        Kind::Identifier
    );
    // A person named beside a thing is still a person (the review's case); outside Qualtrics
    // a name ending in `_DO` is a question.
    assert_kind(
        &columns,
        "Name of your project supervisor",
        Kind::Identifier,
    );
    assert_ne!(kind_of(&columns, "THINGS_TO_DO").kind, Kind::Metadata);

    let answers = [vec!["1"], vec!["2"], vec!["3"], vec!["2"]];
    let qualtrics = qualtrics_items(&["How was it?"], &answers);
    let mut lines: Vec<String> = qualtrics.lines().map(str::to_string).collect();
    let orders = ["Q1|Q2|Q3", "Q2|Q3|Q1", "Q3|Q1|Q2", "Q1|Q3|Q2"];
    lines[0].push_str(",Q5_DO,RO-BR-FL_76");
    lines[1].push_str(",Q5 - Display Order,Display Order: Block Randomizer FL_76");
    lines[2].push_str(
        ",\"{\"\"ImportId\"\":\"\"Q5_DO\"\"}\",\"{\"\"ImportId\"\":\"\"RO-BR-FL_76\"\"}\"",
    );
    for (line, order) in lines[3..].iter_mut().zip(orders) {
        line.push_str(&format!(",{order},FL_77|FL_78"));
    }
    let export = written(dir.path(), "qualtrics.csv", &(lines.join("\n") + "\n"));
    let columns = inferred(&export, None);
    assert_kind(&columns, "Q5_DO", Kind::Metadata);
    assert_kind(&columns, "RO-BR-FL_76", Kind::Metadata);
}

#[test]
fn an_amount_in_portuguese_agrees_with_what_it_counts() {
    // "Nenhuma, Pouca, Muita" (batch 15's Google Form): the degree words in the feminine, as
    // the noun they count is; Spanish "Ninguna, Poca, Mucha" alike.
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from("Carimbo de data/hora,Representatividade,Apoyo\n");
    let pt = ["Nenhuma", "Pouca", "Muita"];
    let es = ["Ninguna", "Poca", "Mucha"];
    for i in 0..30 {
        csv.push_str(&format!(
            "2025/05/07 2:{:02}:28 PM GMT-3,{},{}\n",
            i,
            pt[(i * 7) % 3],
            es[(i * 5) % 3]
        ));
    }
    let columns = inferred(&written(dir.path(), "respostas.csv", &csv), None);
    for (name, labels) in [("Representatividade", pt), ("Apoyo", es)] {
        let c = kind_of(&columns, name);
        assert_eq!(c.kind, Kind::Likert, "{name}: {}", c.reason);
        assert_eq!(c.labels, labels, "{name}");
    }
}

#[test]
fn a_section_of_unrelated_questions_sharing_codes_is_no_rating_grid() {
    // A KoboToolbox form (batch 17's held-out household survey) names a section's questions
    // `q0_0` … `q0_7`: yes/no codes 1-2, a community's code up to 33, a phone number, a
    // household's code, a call's outcome (mostly 1-4) and remarks. Answers off a 1-3 "scale"
    // are most of the section's, hundreds of them distinct: no grid, and the draft must still
    // run (a scale sets aside at most 64 answers).
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("start,end,q0_0,q0_1,q0_2,q0_3,q0_4,q0_5,q0_6,q0_7,_uuid,_index\n");
    for row in 0..400 {
        let remark = match row % 9 {
            0 => "No further comments".to_string(),
            1 => format!("Called back on day {}", row % 30),
            _ => String::new(),
        };
        let outcome = [1, 1, 1, 3, 3, 4, 2, 1, 1, 1, 3, 1, 1, 7, 1, 1, 12, 1, 1, 2][row % 20];
        text.push_str(&format!(
            "2021-05-01,2021-05-01,{},{},{},MOMA{},1,{outcome},{},{remark},uuid-{row},{row}\n",
            row % 2 + 1,
            row * 13 % 33 + 1,
            6_000_000 + row * 7_919 * 31 % 999_983,
            row * 37 % 500,
            row % 5 / 4 + 1,
        ));
    }
    let path = written(dir.path(), "kobo.csv", &text);
    let columns = inferred(&path, None);
    for column in ["q0_0", "q0_2", "q0_7"] {
        let info = kind_of(&columns, column);
        assert!(!info.reason.contains("matrix"), "{column}: {}", info.reason);
        assert_ne!(info.kind, Kind::Likert, "{column}: {}", info.reason);
    }
    let out = tempfile::tempdir().unwrap();
    draft_and_run(&path, out.path());
}

#[test]
fn items_of_one_scale_with_many_write_ins_between_them_still_run() {
    // Two satisfaction questions of 4,100 answers each, each with 40 rare write-ins of its own
    // (under 1 % of its answers): each is a rating with its strays set aside, and the draft
    // gives them scales a run accepts (at most 64 answers set aside in one).
    let dir = tempfile::tempdir().unwrap();
    let labels = [
        "Very dissatisfied",
        "Dissatisfied",
        "Satisfied",
        "Very satisfied",
    ];
    let mut text = String::from(
        "id,How satisfied are you with the food?,How satisfied are you with the rooms?\n",
    );
    for row in 0..4_100 {
        let answer = |q: usize| {
            if row % 100 == 7 && row / 100 < 40 {
                format!("typed answer {q}-{}", row / 100)
            } else {
                labels[(row + q) % 4].to_string()
            }
        };
        text.push_str(&format!("{row},{},{}\n", answer(0), answer(1)));
    }
    let path = written(dir.path(), "write-ins.csv", &text);
    let columns = inferred(&path, None);
    for info in columns.iter().skip(1) {
        assert_eq!(info.kind, Kind::Likert, "{}: {}", info.name, info.reason);
        assert_eq!(info.not_applicable.len(), 40, "{}", info.name);
    }
    let out = tempfile::tempdir().unwrap();
    draft_and_run(&path, out.path());
}

#[test]
fn alchemer_puts_the_option_before_the_question() {
    // Alchemer (SurveyGizmo) heads a check-all option `option:question` and a grid's row
    // `row:question` (batch 16's open-source contributors survey): the columns sharing the
    // question are one question, the options holding their label when ticked, the rows one
    // importance scale with "Less important" under the middle.
    let dir = tempfile::tempdir().unwrap();
    let why = "What motivates you to contribute (select all that apply)?";
    let grid = "When choosing a project, how important were the following?";
    let options = ["my hobby", "learn something new", "get paid"];
    let rows = ["Project goals", "Welcoming people", "Social media"];
    let scale = [
        "Not at all important",
        "Less important",
        "Neutral",
        "Important",
        "Very important",
    ];
    let mut text = String::from("Response ID,Country");
    for o in options {
        text.push_str(&format!(",{o}:{why}"));
    }
    for r in rows {
        text.push_str(&format!(",\"{r}:{grid}\""));
    }
    text.push('\n');
    for id in 0..60 {
        text.push_str(&format!(
            "{},{}",
            id + 7,
            ["Spain", "India", "Brazil"][id % 3]
        ));
        for (k, o) in options.iter().enumerate() {
            let ticked = (id + k) % 3 != 0;
            text.push_str(&format!(",{}", if ticked { *o } else { "" }));
        }
        for k in 0..rows.len() {
            text.push_str(&format!(",{}", scale[(id * (k + 1) + k) % 5]));
        }
        text.push('\n');
    }
    let path = written(dir.path(), "alchemer.csv", &text);
    let columns = inferred(&path, None);
    for o in options {
        let info = kind_of(&columns, &format!("{o}:{why}"));
        assert_eq!(info.kind, Kind::MultiSelect, "{o}: {}", info.reason);
    }
    for r in rows {
        let info = kind_of(&columns, &format!("{r}:{grid}"));
        assert_eq!(info.kind, Kind::Likert, "{r}: {}", info.reason);
        assert_eq!(info.labels, scale, "{r}");
        assert_eq!(info.matrix.as_deref(), Some(grid), "{r}");
    }
}

#[test]
fn numbered_options_joined_by_spaces_are_a_question_not_phone_numbers() {
    // KoboToolbox writes a check-all question's chosen options by name, joined by spaces, and
    // a column per option; with options numbered 1 … 60, "3 16 56 58" looks like a phone
    // number (batch 17's held-out household survey). The option columns say what it is.
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("start,crops");
    for o in 1..=60 {
        text.push_str(&format!(",crops/{o}"));
    }
    text.push_str(",_uuid,_submission_time\n");
    for row in 0..80usize {
        let chosen: Vec<usize> = (0..4 + row % 3)
            .map(|k| (row * 7 + k * 13) % 60 + 1)
            .collect();
        let mut chosen = chosen;
        chosen.sort_unstable();
        chosen.dedup();
        let joined: Vec<String> = chosen.iter().map(|c| c.to_string()).collect();
        text.push_str(&format!("2021-05-01,{}", joined.join(" ")));
        for o in 1..=60 {
            text.push_str(if chosen.contains(&o) { ",1" } else { ",0" });
        }
        text.push_str(&format!(",uuid-{row},2021-05-01\n"));
    }
    let path = written(dir.path(), "kobo.csv", &text);
    let columns = inferred(&path, None);
    let crops = kind_of(&columns, "crops");
    assert_eq!(crops.kind, Kind::MultiSelect, "{}", crops.reason);
    assert_kind(&columns, "crops/16", Kind::MultiSelect);
}

#[test]
fn a_lists_sparse_entries_are_identifiers_as_its_full_ones_are() {
    // A household's members by name, one column each (batch 17's held-out Kobo form, `p1` …
    // `p20`): the first columns are full of names; the last hold a name or two, which alone
    // read as a choice or a comment, and would put that person's name in the report.
    let dir = tempfile::tempdir().unwrap();
    let given = [
        "Sarah", "John", "Maria", "David", "Anna", "James", "Laura", "Peter", "Emma", "Paul",
        "Grace", "Mark", "Ruth", "Simon", "Alice", "Daniel", "Helen", "Joseph", "Rose", "Thomas",
    ];
    let mut text = String::from("_uuid,_submission_time,p1,p2,p3,p4,p5,p6,village_size\n");
    for row in 0..60usize {
        let member = |k: usize| given[(row * 3 + k * 7) % given.len()];
        let p5 = if row == 4 { "Rihanna" } else { "" };
        let p6 = if row == 9 { "Sarah" } else { "" };
        text.push_str(&format!(
            "uuid-{row},2021-05-01,{},{},{},{},{p5},{p6},{}\n",
            member(0),
            member(1),
            member(2),
            if row % 2 == 0 { member(3) } else { "" },
            100 + row % 7
        ));
    }
    let path = written(dir.path(), "roster.csv", &text);
    let columns = inferred(&path, None);
    for name in ["p1", "p4", "p5", "p6"] {
        assert_kind(&columns, name, Kind::Identifier);
    }
    assert_ne!(kind_of(&columns, "village_size").kind, Kind::Identifier);

    // A questionnaire numbered Q1 … whose first questions ask for a name, an e-mail and a phone
    // number: the optional questions after them, answered by a few fewer, by a third or by a
    // quarter (the review's case), are questions.
    let mut text = String::from("Q1,Q2,Q3,Q4,Q5,Q6\n");
    for row in 0..60usize {
        let name = given[row % given.len()];
        let rating = ["Good", "Poor", "Fair"][row % 3];
        let rating = if row % 9 == 4 { "" } else { rating };
        let optional = ["Satisfied", "Dissatisfied"][row % 2];
        let optional = if row % 3 == 0 { optional } else { "" };
        let comment = "The staff were kind and the rooms were clean";
        let comment = if row % 4 == 0 { comment } else { "" };
        text.push_str(&format!(
            "{name},{}{row}@example.org,+44 7700 900{row:03},{rating},{optional},{comment}\n",
            name.to_lowercase(),
        ));
    }
    let columns = inferred(&written(dir.path(), "numbered.csv", &text), None);
    for name in ["Q1", "Q2", "Q3"] {
        assert_kind(&columns, name, Kind::Identifier);
    }
    for name in ["Q4", "Q5", "Q6"] {
        assert_ne!(kind_of(&columns, name).kind, Kind::Identifier, "{name}");
    }
}
