//! Answers written in a choice question's "Other" box (`[[text]] other_of`). A write-in is
//! an answer few people give in their own words ("Genderqueer", the name of a small school),
//! so one given by fewer than `suppress_below` respondents identifies them as a small group
//! would: it is never published verbatim, in a quote, a listed comment or comments.csv. One
//! given by enough respondents is in effect an option the form lacked, and is shown.

use super::ThemeReport;
use std::collections::{HashMap, HashSet};

/// The text published in place of a write-in too few respondents gave.
pub fn withheld_text(threshold: usize) -> String {
    format!("(written in by fewer than {threshold}: not shown)")
}

/// Whether a published text is a withheld write-in's placeholder.
pub fn is_withheld(text: &str) -> bool {
    text.starts_with("(written in by fewer than ") && text.ends_with(": not shown)")
}

/// The same words, however capitalised or punctuated, are one answer (as quotes are told apart).
fn answer_key(text: &str) -> String {
    text.to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// Replaces every write-in fewer than `threshold` respondents gave by `withheld_text` and keeps
/// only the quotes of answers enough respondents gave (an excerpt is nobody's whole answer, so
/// it is dropped too).
pub fn withhold_rare(report: &mut ThemeReport, threshold: usize) {
    let mut givers: HashMap<String, HashSet<&str>> = HashMap::new();
    for a in report.assignments.iter() {
        givers
            .entry(answer_key(&a.text))
            .or_default()
            .insert(&a.respondent);
    }
    let common: HashSet<String> = givers
        .into_iter()
        .filter(|(_, who)| who.len() >= threshold)
        .map(|(key, _)| key)
        .collect();
    let shown = |text: &str| common.contains(&answer_key(text));
    let placeholder = withheld_text(threshold);
    for a in report.assignments.iter_mut() {
        if !shown(&a.text) {
            a.text.clone_from(&placeholder);
        }
    }
    for th in &mut report.themes {
        th.quotes.retain(|q| shown(q));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::themes::{themes, Comment, ThemeParams};

    fn report(answers: &[(&str, &str)]) -> ThemeReport {
        let comments: Vec<Comment> = answers
            .iter()
            .map(|(who, text)| Comment {
                respondent: who.to_string(),
                text: text.to_string(),
            })
            .collect();
        themes(&comments, &ThemeParams::new(answers.len())).unwrap()
    }

    #[test]
    fn a_lone_write_in_is_withheld_and_a_common_one_kept() {
        let mut answers: Vec<(String, &str)> = (0..3)
            .map(|i| (format!("r{i}"), "Supply teacher"))
            .collect();
        answers.push(("r9".into(), "Genderqueer"));
        // The same respondent twice is still one giver.
        answers.push(("r8".into(), "Volunteer at Hillside"));
        answers.push(("r8".into(), "volunteer at hillside!"));
        let pairs: Vec<(&str, &str)> = answers.iter().map(|(w, t)| (w.as_str(), *t)).collect();
        let mut r = report(&pairs);
        withhold_rare(&mut r, 3);
        let texts: Vec<&str> = r.assignments.iter().map(|a| a.text.as_str()).collect();
        assert_eq!(texts.iter().filter(|t| **t == "Supply teacher").count(), 3);
        assert_eq!(
            texts.iter().filter(|t| is_withheld(t)).count(),
            3,
            "{texts:?}"
        );
        assert!(!texts
            .iter()
            .any(|t| t.contains("Genderqueer") || t.contains("illside")));
        assert_eq!(withheld_text(3), "(written in by fewer than 3: not shown)");
        for th in &r.themes {
            assert!(
                th.quotes.iter().all(|q| q == "Supply teacher"),
                "{:?}",
                th.quotes
            );
        }
    }
}
