//! Ranking questions (`[[rankings]]`: a column per ranked thing holding its position): each
//! thing's mean rank and % ranked first reach rankings.csv, the summaries and the workbook with
//! figures equal to a hand calculation; `init` drafts one from a family of columns whose values
//! are positions, and not from a battery of ratings that repeat.

use crate::common::*;
use std::path::Path;

/// Twelve responses; rows 4 and 11 ranked nothing, row 6 left Science unranked. The `sat_*`
/// columns are ratings on 1–3 that repeat within a response, so they are no ranking.
const EXPORT: &str = "\
id,rank_reading,rank_maths,rank_science,sat_1,sat_2,sat_3
1,1,2,3,2,2,3
2,2,1,3,3,3,3
3,1,3,2,1,2,2
4,,,,2,1,1
5,3,1,2,3,3,2
6,1,2,,1,1,1
7,1,3,2,2,3,3
8,2,3,1,3,2,2
9,1,2,3,2,2,1
10,2,1,3,1,1,2
11,,,,3,3,3
12,1,2,3,2,1,2
";

const SURVEY: &str = r#"
title = "Priorities"

[[rankings]]
id = "priorities"
text = "Rank the subjects by how much the programme helped (1 = most)"
columns = ["rank_reading", "rank_maths", "rank_science"]
options = ["Reading", "Maths", "Science"]
headline = true
"#;

fn run(dir: &Path) -> std::path::PathBuf {
    std::fs::write(dir.join("ranks.csv"), EXPORT).unwrap();
    std::fs::write(dir.join("survey.toml"), SURVEY).unwrap();
    std::fs::write(
        dir.join("pipeline.toml"),
        "name = 'ranks'\nsurvey = 'survey.toml'\noutput = 'out'\nsuppress_below = 3\n\
         [[waves]]\nname = 'w1'\nexport = 'ranks.csv'\n",
    )
    .unwrap();
    let o = canvass(&["run", dir.join("pipeline.toml").to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    dir.join("out/w1")
}

#[test]
fn mean_rank_and_share_ranked_first_equal_a_hand_calculation() {
    let dir = tempfile::tempdir().unwrap();
    let w = run(dir.path());
    let (header, rows) = read_csv(&w.join("rankings.csv"));
    assert_eq!(
        header,
        [
            "id",
            "text",
            "column",
            "option",
            "n",
            "mean_rank",
            "first",
            "base",
            "pct_first"
        ]
    );
    // By hand: 10 ranked something (rows 4 and 11 did not).
    // Reading 1,2,1,3,1,1,2,1,2,1: n 10, mean 15/10, first 6 → 60 %.
    // Maths 2,1,3,1,2,3,3,2,1,2: n 10, mean 20/10, first 3 → 30 %.
    // Science 3,3,2,2,2,1,3,3,3: n 9, mean 22/9, first 1 → 10 %.
    let expected = [
        ("Reading", "rank_reading", "10", 1.5, "6", 60.0),
        ("Maths", "rank_maths", "10", 2.0, "3", 30.0),
        ("Science", "rank_science", "9", 22.0 / 9.0, "1", 10.0),
    ];
    assert_eq!(rows.len(), 3);
    for (row, (option, column, n, mean, first, pct)) in rows.iter().zip(expected) {
        assert_eq!(
            (
                row[0].as_str(),
                row[2].as_str(),
                row[3].as_str(),
                row[4].as_str()
            ),
            ("priorities", column, option, n)
        );
        close(&row[5], mean, 1e-4);
        assert_eq!((row[6].as_str(), row[7].as_str()), (first, "10"));
        close(&row[8], pct, 1e-4);
    }
    let md = std::fs::read_to_string(w.join("summary.md")).unwrap();
    let sentence = "of the 10 respondents who ranked, 60 per cent put “Reading” first; its mean rank was 1.5, the best of 3.";
    assert!(md.contains("## Rankings") && md.contains(sentence), "{md}");
    let html = std::fs::read_to_string(w.join("summary.html")).unwrap();
    assert!(html.contains("Rankings</h2>") && html.contains(sentence));
    let sheets = unzip_text(&w.join("tables.xlsx"), "xl/workbook.xml");
    assert!(sheets.contains("name=\"rankings\""), "{sheets}");
    let docx = unzip_text(&w.join("summary.docx"), "word/document.xml");
    assert!(docx.contains("Mean rank"));
}

#[test]
fn a_survey_without_rankings_writes_no_rankings_table() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("survey.toml"),
        "title = \"Ratings\"\n[[numbers]]\nid = \"sat_1\"\ntext = \"Satisfaction\"\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("ranks.csv"), EXPORT).unwrap();
    std::fs::write(
        dir.path().join("pipeline.toml"),
        "name = 'r'\nsurvey = 'survey.toml'\noutput = 'out'\n[[waves]]\nname = 'w1'\nexport = 'ranks.csv'\n",
    )
    .unwrap();
    let o = canvass(&["run", dir.path().join("pipeline.toml").to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!dir.path().join("out/w1/rankings.csv").exists());
}

#[test]
fn init_drafts_a_ranking_from_columns_of_positions_and_not_from_repeating_ratings() {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("ranks.csv");
    std::fs::write(&export, EXPORT).unwrap();
    let o = canvass(&["init", export.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let draft = stdout(&o);
    assert!(
        draft.contains("[[rankings]]")
            && draft.contains(r#"columns = ["rank_reading", "rank_maths", "rank_science"]"#),
        "{draft}"
    );
    assert_eq!(draft.matches("[[rankings]]").count(), 1, "{draft}");
    // The draft runs as it is, and gives the hand-calculated figures.
    std::fs::write(dir.path().join("survey.toml"), &draft).unwrap();
    std::fs::write(
        dir.path().join("pipeline.toml"),
        "name = 'r'\nsurvey = 'survey.toml'\noutput = 'out'\n[[waves]]\nname = 'w1'\nexport = 'ranks.csv'\n",
    )
    .unwrap();
    let o = canvass(&["run", dir.path().join("pipeline.toml").to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let (_, rows) = read_csv(&dir.path().join("out/w1/rankings.csv"));
    close(&row_by(&rows, 2, "rank_science")[5], 22.0 / 9.0, 1e-4);
}

#[test]
fn a_ranking_of_one_column_is_refused_naming_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let survey = dir.path().join("survey.toml");
    std::fs::write(
        &survey,
        "title = \"x\"\n[[rankings]]\nid = \"r\"\ntext = \"Rank\"\ncolumns = [\"rank_reading\"]\n",
    )
    .unwrap();
    let export = dir.path().join("ranks.csv");
    std::fs::write(&export, EXPORT).unwrap();
    let o = canvass(&[
        "score",
        export.to_str().unwrap(),
        "--survey",
        survey.to_str().unwrap(),
    ]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("rankings[0].columns"), "{}", stderr(&o));
}

fn unzip_text(file: &Path, member: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(file).unwrap()).unwrap();
    let mut text = String::new();
    std::io::Read::read_to_string(&mut zip.by_name(member).unwrap(), &mut text).unwrap();
    text
}
