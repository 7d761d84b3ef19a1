//! Which tool wrote an export, and how its header rows map to columns.
//! Detection reads only the header rows, so it is cheap and independent of the data.

use super::Grid;
use crate::model::Format;

/// Normalises a header for comparison: lower case, letters and digits only.
pub fn norm(s: &str) -> String {
    if s.is_ascii() {
        // Status and channel cells are normalised for every row: one allocation, no decoding
        // (for ASCII, `is_alphanumeric` and `to_lowercase` are their ASCII forms).
        let mut out = String::with_capacity(s.len());
        out.extend(
            s.bytes()
                .filter(|b| b.is_ascii_alphanumeric() || *b == b'#')
                .map(|b| char::from(b.to_ascii_lowercase())),
        );
        return out;
    }
    s.chars()
        .filter(|c| c.is_alphanumeric() || *c == '#')
        .flat_map(char::to_lowercase)
        .collect()
}

fn has(row: &[String], name: &str) -> bool {
    let n = norm(name);
    row.iter().any(|c| norm(c) == n)
}

/// Google Forms' first column, "Timestamp", as its response sheets name it in the language of
/// the form owner's account ("Marca temporal", "Horodateur", "Zeitstempel" …): a French form's
/// export was read as a generic file, and its linear scales as codes.
fn is_forms_timestamp(cell: &str) -> bool {
    const NAMES: &[&str] = &[
        "Timestamp",
        "Marca temporal",
        "Horodateur",
        "Zeitstempel",
        "Carimbo de data/hora",
        "Informazioni cronologiche",
        "Tijdstempel",
        "Stempel waktu",
        "Sygnatura czasowa",
        "Zaman damgası",
        "Časová značka",
        "Tidstämpel",
        "Tidsstempel",
        "Aikaleima",
        "Отметка времени",
        "タイムスタンプ",
        "时间戳",
        "時間戳記",
        "타임스탬프",
    ];
    NAMES.iter().any(|n| norm(cell) == norm(n))
}

/// SurveyMonkey's second header row without its own columns (an export opened and saved again
/// in a spreadsheet, or trimmed by hand): "Response" / "Open-Ended Response" placeholders under
/// single questions, or a matrix's row labels under the empty cells that follow its question.
/// A respondent's answers repeat down a column; these labels appear once, in the second row, so
/// a second row whose label cells recur in no data row below is a header, not a respondent.
fn resaved_surveymonkey(grid: &Grid) -> bool {
    let row = |r: usize| grid.rows.get(r).map(|r| r.cells.as_slice()).unwrap_or(&[]);
    let (first, second) = (row(0), row(1));
    fn cell(cells: &[String], i: usize) -> &str {
        cells.get(i).map(|c| c.trim()).unwrap_or_default()
    }
    let recurs_below = |i: usize, label: &str| {
        grid.rows
            .iter()
            .skip(2)
            .any(|r| r.cells.get(i).is_some_and(|c| c.trim() == label))
    };
    // SurveyMonkey's first row names the tool's own columns and every question; one lone cell
    // there is a title over a table (a form builder's report), with section headings below.
    if first.iter().filter(|c| !c.trim().is_empty()).count() < 2 {
        return false;
    }
    let mut placeholders = 0;
    let mut matrix_labels = 0;
    let mut question_seen = false;
    for i in 0..second.len() {
        let (question, label) = (cell(first, i), cell(second, i));
        if !question.is_empty() {
            question_seen = true;
        }
        if label.is_empty() || recurs_below(i, label) {
            continue;
        }
        let placeholder = ["response", "openendedresponse"].contains(&norm(label).as_str());
        if placeholder && !question.is_empty() {
            placeholders += 1;
        } else if question.is_empty() && question_seen && !placeholder {
            matrix_labels += 1;
        }
    }
    // One placeholder with a matrix, or two of either: a lone odd cell is a respondent's.
    placeholders + matrix_labels >= 2 && (placeholders >= 1 || matrix_labels >= 3)
}

/// Microsoft Forms in any language, by what its first five columns hold: a response number
/// that rises row by row, two date-times (started, completed), then the respondent's e-mail
/// (addresses, or one word such as "anonymous" that the name column repeats) and name.
fn microsoft_forms_by_shape(grid: &Grid) -> bool {
    let data = &grid.rows.get(1..).unwrap_or_default();
    let column = |i: usize| {
        data.iter()
            .map(move |r| r.cells.get(i).map_or("", |c| c.trim()))
    };
    let header_width = grid.rows.first().map_or(0, |r| r.cells.len());
    if data.is_empty() || header_width < 6 {
        return false;
    }
    let numbers: Option<Vec<u64>> = column(0).map(|v| v.parse().ok()).collect();
    let rising = numbers.is_some_and(|n| n.windows(2).all(|w| w[0] < w[1]));
    let date_time = |v: &str| v.contains(':') && v.bytes().filter(u8::is_ascii_digit).count() >= 6;
    let times = column(1).chain(column(2)).all(date_time);
    // Every cell an address, blank, or the one word the tool writes for "not collected".
    let others: std::collections::BTreeSet<&str> = column(3)
        .filter(|v| !v.is_empty() && (!v.contains('@') || v.contains(' ')))
        .collect();
    // "anonymous" stands in the name column as well; an address beside a name otherwise.
    let said = column(3).any(|v| !v.is_empty());
    let contact = said
        && match others.iter().next() {
            None => true,
            Some(word) => others.len() == 1 && column(4).all(|v| v == *word || v.is_empty()),
        };
    rising && times && contact
}

/// LimeSurvey's own columns as its exports name them in the survey's language ("Antwort ID",
/// "Datum Abgeschickt", "Letzte Seite", "Start-Sprache"): the date submitted beside the last
/// page or the start language, in German, French, Spanish, Italian, Portuguese or Dutch.
fn limesurvey_translated(h: &[String]) -> bool {
    const SUBMITTED: [&str; 10] = [
        "datumabgeschickt",
        "datedesoumission",
        "datedenvoi",
        "fechadeenvío",
        "fechadeenvio",
        "datainvio",
        "datadesubmissão",
        "datadeenvio",
        "datumverstuurd",
        "datumingediend",
    ];
    const LAST_PAGE_OR_LANGUAGE: [&str; 12] = [
        "letzteseite",
        "dernièrepage",
        "últimapágina",
        "ultimapagina",
        "laatstepagina",
        "startsprache",
        "languededépart",
        "idiomainicial",
        "linguainiziale",
        "idiomadeinício",
        "línguainicial",
        "begintaal",
    ];
    let names: Vec<String> = h.iter().map(|c| norm(c)).collect();
    let any = |list: &[&str]| names.iter().any(|n| list.contains(&n.as_str()));
    any(&SUBMITTED) && any(&LAST_PAGE_OR_LANGUAGE)
}

/// Detects the tool from the first header row(s).
pub fn detect(grid: &Grid) -> Format {
    let Some(first) = grid.rows.first() else {
        return Format::Generic;
    };
    let h = &first.cells;
    let second = grid.rows.get(1).map(|r| r.cells.as_slice()).unwrap_or(&[]);
    let first_is = |name: &str| h.first().is_some_and(|c| norm(c) == norm(name));
    if (has(h, "ResponseId") && (has(h, "StartDate") || has(h, "Status")))
        || (first_is("V1") && has(second, "ResponseID"))
        || grid
            .rows
            .iter()
            .take(3)
            .any(|r| r.cells.iter().any(|c| c.contains("ImportId")))
    {
        Format::Qualtrics
    } else if (has(h, "Respondent ID") && has(h, "Collector ID")) || resaved_surveymonkey(grid) {
        Format::Surveymonkey
    } else if (first_is("ID") && has(h, "Start time") && has(h, "Completion time"))
        || microsoft_forms_by_shape(grid)
    {
        Format::MicrosoftForms
    } else if h.first().is_some_and(|c| is_forms_timestamp(c)) {
        Format::GoogleForms
    } else if (has(h, "submitdate") && has(h, "lastpage"))
        || (has(h, "Response ID") && has(h, "Date submitted"))
        || limesurvey_translated(h)
        // "Question code and question text" headings: `submitdate. Date submitted`.
        || (h.iter().any(|c| c.starts_with("submitdate. ")) && h.iter().any(|c| c.starts_with("lastpage. ")))
    {
        Format::Limesurvey
    } else if has(h, "_uuid")
        || has(h, "_submission_time")
        // A repeat group's sheet, linked to its parent rows.
        || (has(h, "_parent_table_name") && has(h, "_parent_index"))
    {
        Format::Kobotoolbox
    } else if has(h, "SubmissionDate") && (has(h, "KEY") || has(h, "instanceID")) {
        Format::Surveycto
    } else if first_is("#") && (has(h, "Network ID") || has(h, "Submit Date (UTC)")) {
        Format::Typeform
    } else if has(h, "redcap_survey_identifier")
        || has(h, "redcap_event_name")
        || has(h, "Variable / Field Name")
        || (has(h, "record_id") || h.iter().any(|c| c.ends_with("_complete")))
    {
        Format::Redcap
    } else {
        Format::Generic
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::layout::layout;

    /// `norm`'s ASCII path agrees with the general rule on every ASCII character (expected:
    /// the `char` methods' own answers).
    #[test]
    fn norm_ascii_path_matches_unicode_rules() {
        let all: String = (0u8..128).map(char::from).collect();
        let general: String = all
            .chars()
            .filter(|c| c.is_alphanumeric() || *c == '#')
            .flat_map(char::to_lowercase)
            .collect();
        assert_eq!(norm(&all), general);
        assert_eq!(norm("IP Address"), "ipaddress");
        assert_eq!(norm("Réponse #2"), "réponse#2");
    }

    fn grid(rows: &[&[&str]]) -> Grid {
        let mut g = Grid::default();
        for (i, r) in rows.iter().enumerate() {
            g.push(i + 1, r.iter().map(|s| s.to_string()).collect());
        }
        g
    }

    fn grid_of(rows: &[&Vec<String>]) -> Grid {
        let mut g = Grid::default();
        for (i, r) in rows.iter().enumerate() {
            g.push(i + 1, r.to_vec());
        }
        g
    }

    #[test]
    fn a_title_and_section_headings_above_the_names_are_not_the_names() {
        // 24 columns: a title in the first, two section headings, then the names.
        let row = |cells: &[(usize, &str)]| {
            let mut r = vec![String::new(); 24];
            for (i, c) in cells {
                r[*i] = c.to_string();
            }
            r
        };
        let title = row(&[(0, "Community survey")]);
        let sections = row(&[
            (0, "Submission details"),
            (5, "How did you hear of us?"),
            (12, "Why do you take part?"),
            (18, "How satisfied are you?"),
        ]);
        let names: Vec<String> = ["Serial", "SID", "Submitted", "IP address", "User name"]
            .iter()
            .map(|s| s.to_string())
            .chain((5..24).map(|i| format!("Option {i}")))
            .collect();
        let data: Vec<String> = (0..24).map(|i| format!("{}", i * 7)).collect();
        let g = grid_of(&[&title, &sections, &names, &data]);
        assert_eq!(detect(&g), Format::Generic);
        let (n, cols) = layout(Format::Generic, &g);
        assert_eq!(n, 3);
        assert_eq!(cols[3].name, "IP address");
        assert_eq!(cols[3].question, "Submission details - IP address");
        assert_eq!(cols[6].question, "How did you hear of us? - Option 6");
        // A first row of a few names is the names when the next row is data (numbers).
        let sparse = row(&[(0, "id")]);
        let g = grid_of(&[&sparse, &data, &data]);
        assert_eq!(layout(Format::Generic, &g).0, 1);
        // A narrow table keeps its first row as the names.
        let g = grid(&[&["Survey", "", ""], &["a", "b", "c"], &["1", "2", "3"]]);
        assert_eq!(layout(Format::Generic, &g).0, 1);
    }

    #[test]
    fn qualtrics_three_header_rows_with_import_ids() {
        let g = grid(&[
            &["StartDate", "Status", "ResponseId", "Q1_1"],
            &[
                "Start Date",
                "Response Type",
                "Response ID",
                "Supported - Agree?",
            ],
            &[
                "{\"ImportId\":\"startDate\"}",
                "{\"ImportId\":\"status\"}",
                "{\"ImportId\":\"_recordId\"}",
                "{'ImportId': 'QID1_1'}",
            ],
        ]);
        assert_eq!(detect(&g), Format::Qualtrics);
        let (n, cols) = layout(Format::Qualtrics, &g);
        assert_eq!(n, 3);
        assert_eq!(cols[3].import_id.as_deref(), Some("QID1_1"));
        assert_eq!(cols[3].question, "Supported - Agree?");
    }

    #[test]
    fn surveymonkey_matrix_questions_are_forward_filled() {
        let g = grid(&[
            &[
                "Respondent ID",
                "Collector ID",
                "How confident are you?",
                "",
            ],
            &["", "", "Planning", "Teaching"],
        ]);
        assert_eq!(detect(&g), Format::Surveymonkey);
        let (_, cols) = layout(Format::Surveymonkey, &g);
        assert_eq!(cols[3].name, "How confident are you? - Teaching");
    }

    #[test]
    fn surveymonkey_without_its_own_columns_by_its_second_header_row() {
        let resaved = grid(&[
            &["How old are you?", "Rate these", "", "Comments"],
            &["Response", "Lunch", "Staff", "Open-Ended Response"],
            &["30", "Good", "Poor", "fine"],
            &["41", "Poor", "Good", "ok"],
        ]);
        assert_eq!(detect(&resaved), Format::Surveymonkey);
        assert_eq!(layout(Format::Surveymonkey, &resaved).0, 2);
        // A respondent's answers recur below, and a header that names every column has no
        // matrix gaps: one header row.
        let generic = grid(&[
            &["Q1", "Q2", "", ""],
            &["Response", "Good", "Poor", "Good"],
            &["Response", "Good", "Poor", "Good"],
        ]);
        assert_eq!(detect(&generic), Format::Generic);
    }

    #[test]
    fn other_tools_by_their_metadata() {
        assert_eq!(detect(&grid(&[&["Timestamp", "Q"]])), Format::GoogleForms);
        assert_eq!(
            detect(&grid(&[&["ID", "Start time", "Completion time", "Email"]])),
            Format::MicrosoftForms
        );
        assert_eq!(
            detect(&grid(&[&["#", "Q", "Submit Date (UTC)", "Network ID"]])),
            Format::Typeform
        );
        assert_eq!(detect(&grid(&[&["a", "b"]])), Format::Generic);
    }
}
