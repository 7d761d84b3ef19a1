//! Header layouts: how many rows of an export are header, and the columns they describe. One
//! file per tool whose header differs from a single row of names; the other tools (Google and
//! Microsoft Forms, REDCap, KoboToolbox, SurveyCTO, Typeform, any CSV) write one (`generic`).

mod generic;
mod limesurvey;
mod microsoft_forms;
mod qualtrics;
mod surveymonkey;

use super::{Grid, RawColumn};
use crate::model::Format;

/// The number of header rows and the columns they describe, each column's question as plain
/// text (`plain_wording`).
pub fn layout(format: Format, grid: &Grid) -> (usize, Vec<RawColumn>) {
    let header = Header { grid };
    let (rows, mut columns) = match format {
        Format::Qualtrics => qualtrics::layout(&header),
        Format::Surveymonkey => surveymonkey::layout(&header),
        Format::Limesurvey => limesurvey::layout(&header),
        Format::MicrosoftForms => microsoft_forms::layout(&header),
        _ => generic::layout(&header),
    };
    for c in &mut columns {
        if let Some(plain) = plain_wording(&c.question) {
            c.question = plain;
        }
    }
    (rows, columns)
}

/// A question's wording without the HTML the survey tool wrote into it (SurveyMonkey and
/// Qualtrics keep the editor's `<br>`, `<b>`, `<span style=…>` and `&nbsp;`), which a report
/// would otherwise print as it is; `None` when it has none. A `<` not opening a tag ("< 5
/// years", "<5") is text.
fn plain_wording(question: &str) -> Option<String> {
    // expect: a literal pattern, compiled once; it cannot fail at run time.
    static TAG: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let tag = TAG.get_or_init(|| {
        regex::Regex::new(r"(?i)</?([a-z][a-z0-9]*)(\s[^<>]*)?/?>|&nbsp;").expect("literal pattern")
    });
    if !tag.is_match(question) {
        return None;
    }
    // A line or block break stands between words; an inline tag (`<b>`) within one.
    let text = tag.replace_all(question, |c: &regex::Captures| {
        let name = c.get(1).map(|m| m.as_str().to_ascii_lowercase());
        match name.as_deref() {
            None
            | Some("br" | "p" | "div" | "li" | "ul" | "ol" | "tr" | "td" | "h1" | "h2" | "h3") => {
                " "
            }
            Some(_) => "",
        }
    });
    let text = text
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"");
    Some(text.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// The first rows of an export, read as header cells.
struct Header<'g> {
    grid: &'g Grid,
}

impl Header<'_> {
    /// Row `r` (0-based), empty past the end.
    fn row(&self, r: usize) -> &[String] {
        self.grid
            .rows
            .get(r)
            .map(|r| r.cells.as_slice())
            .unwrap_or(&[])
    }

    /// The trimmed cell `i` of row `r`, empty when the row is short.
    fn cell(&self, r: usize, i: usize) -> String {
        self.row(r)
            .get(i)
            .map(|s| s.trim().to_string())
            .unwrap_or_default()
    }

    /// Columns: the widest of the first `headers` rows.
    fn width(&self, headers: usize) -> usize {
        self.grid
            .rows
            .iter()
            .take(headers)
            .map(|r| r.cells.len())
            .max()
            .unwrap_or(0)
    }
}

/// A column whose name is also its question text.
fn named(name: String) -> RawColumn {
    RawColumn {
        name: name.clone(),
        question: name,
        import_id: None,
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::plain_wording;

    #[test]
    fn a_questions_html_is_taken_out_and_its_text_kept() {
        // FiveThirtyEight's SurveyMonkey export of its steak survey writes the question so.
        let q = "Consider the following hypothetical situations: <br>In Lottery A, you have a 50% chance of success. <br><br>Assuming you have $10 to bet, would you play Lottery A or Lottery B?";
        assert_eq!(
            plain_wording(q).as_deref(),
            Some("Consider the following hypothetical situations: In Lottery A, you have a 50% chance of success. Assuming you have $10 to bet, would you play Lottery A or Lottery B?")
        );
        assert_eq!(
            plain_wording(
                "<span style=\"color:red\">How&nbsp;satisfied</span> are you with <b>R&amp;D</b>?"
            )
            .as_deref(),
            Some("How satisfied are you with R&D?")
        );
        // Text that only looks like markup is left as it is.
        for text in [
            "Under <5 years",
            "Age < 18 or > 65",
            "Do you agree?",
            "a <-> b",
        ] {
            assert_eq!(plain_wording(text), None, "{text}");
        }
    }
}
