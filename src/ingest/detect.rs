//! Which tool wrote an export, and how its header rows map to columns.
//! Detection reads only the header rows, so it is cheap and independent of the data.

use super::{Grid, RawColumn};
use crate::model::Format;
use regex::Regex;
use std::sync::OnceLock;

/// Normalises a header for comparison: lower case, letters and digits only.
pub fn norm(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric() || *c == '#')
        .flat_map(char::to_lowercase)
        .collect()
}

fn has(row: &[String], name: &str) -> bool {
    let n = norm(name);
    row.iter().any(|c| norm(c) == n)
}

fn import_id_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r#"ImportId['"]\s*:\s*['"]([^'"]+)['"]"#).expect("static regex"))
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
    } else if has(h, "Respondent ID") && has(h, "Collector ID") {
        Format::Surveymonkey
    } else if first_is("ID") && has(h, "Start time") && has(h, "Completion time") {
        Format::MicrosoftForms
    } else if first_is("Timestamp") {
        Format::GoogleForms
    } else if (has(h, "submitdate") && has(h, "lastpage"))
        || (has(h, "Response ID") && has(h, "Date submitted"))
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

/// The number of header rows and the columns they describe.
pub fn layout(format: Format, grid: &Grid) -> (usize, Vec<RawColumn>) {
    let row = |i: usize| grid.rows.get(i).map(|r| r.cells.as_slice()).unwrap_or(&[]);
    let width_of = |headers: usize| {
        grid.rows
            .iter()
            .take(headers)
            .map(|r| r.cells.len())
            .max()
            .unwrap_or(0)
    };
    let cell = |r: &[String], i: usize| r.get(i).map(|s| s.trim().to_string()).unwrap_or_default();
    match format {
        Format::Qualtrics if norm(&cell(row(0), 0)) == "v1" => {
            // Legacy layout: V1…V10 stand for metadata whose names are in row 2.
            let cols = (0..width_of(2))
                .map(|i| {
                    let (id, text) = (cell(row(0), i), cell(row(1), i));
                    let is_v = id.len() > 1
                        && id.starts_with('V')
                        && id[1..].chars().all(|c| c.is_ascii_digit());
                    RawColumn {
                        name: if is_v { text.clone() } else { id },
                        question: text,
                        import_id: None,
                        ..Default::default()
                    }
                })
                .collect();
            (2, cols)
        }
        Format::Qualtrics => {
            let has_import_row = row(2).iter().any(|c| import_id_re().is_match(c));
            let cols = (0..width_of(if has_import_row { 3 } else { 2 }))
                .map(|i| RawColumn {
                    name: cell(row(0), i),
                    question: cell(row(1), i),
                    import_id: if has_import_row {
                        import_id_re()
                            .captures(&cell(row(2), i))
                            .map(|c| c[1].to_string())
                    } else {
                        None
                    },
                    ..Default::default()
                })
                .collect();
            (if has_import_row { 3 } else { 2 }, cols)
        }
        Format::Surveymonkey => {
            // Row 1 names a matrix question once, in its first column; row 2 names each part.
            let mut question = String::new();
            let cols = (0..width_of(2))
                .map(|i| {
                    let q = cell(row(0), i);
                    if !q.is_empty() {
                        question = q;
                    }
                    let part = cell(row(1), i);
                    let plain = part.is_empty()
                        || part.eq_ignore_ascii_case("Response")
                        || part.eq_ignore_ascii_case("Open-Ended Response");
                    let name = if plain {
                        question.clone()
                    } else {
                        format!("{question} - {part}")
                    };
                    RawColumn {
                        name: name.clone(),
                        question: name,
                        import_id: None,
                        ..Default::default()
                    }
                })
                .collect();
            (2, cols)
        }
        Format::Limesurvey => {
            static CODE_AND_TEXT: OnceLock<Regex> = OnceLock::new();
            let re = CODE_AND_TEXT.get_or_init(|| {
                Regex::new(r"^([A-Za-z][A-Za-z0-9_]*(?:\[[^\]]*\])*)\. (.+)$")
                    .expect("static regex")
            });
            let cols = (0..width_of(1))
                .map(|i| {
                    let h = cell(row(0), i);
                    match re.captures(&h) {
                        Some(c) => RawColumn {
                            name: c[1].to_string(),
                            question: c[2].to_string(),
                            import_id: None,
                            ..Default::default()
                        },
                        None => RawColumn {
                            name: h.clone(),
                            question: h,
                            import_id: None,
                            ..Default::default()
                        },
                    }
                })
                .collect();
            (1, cols)
        }
        _ => {
            let cols = (0..width_of(1))
                .map(|i| {
                    let h = cell(row(0), i);
                    RawColumn {
                        name: h.clone(),
                        question: h,
                        import_id: None,
                        ..Default::default()
                    }
                })
                .collect();
            (1, cols)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(rows: &[&[&str]]) -> Grid {
        let mut g = Grid::default();
        for (i, r) in rows.iter().enumerate() {
            g.push(i + 1, r.iter().map(|s| s.to_string()).collect());
        }
        g
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
