//! Write-ins: words a respondent typed after "Other" that the tool wrote into a choice
//! question's own column, told from the question's options once per question (see `Folding`).

use super::{chosen, joins, Counted, Source, NOT_ANSWERED, WRITTEN_IN};
use crate::config::Choice;
use crate::joins::Joins;
use std::collections::BTreeSet;

/// Which answers of a choice question are write-ins: what a respondent typed in an "Other"
/// box that the tool wrote into the question's own column (Google Forms' "Other:" writes the
/// text in place of the option, and among a check-all answer's options; Microsoft Forms, and
/// exports re-saved from SurveyMonkey or Typeform, do the same). The tool writes an option's
/// label identically for everyone who chose it, so an option is a value many give; typed words
/// are nearly always one respondent's own. A value (a part of a joined check-all answer) is a
/// write-in when the survey does not list it in `options`, fewer than `suppress_below`
/// respondents and fewer than one in fifty of those who answered gave it (one respondent
/// always counts as few), and it is not a stock answer (an "Other …" option, "Prefer not to
/// say", "None", "Don't know", "N/A") or a short code (`3`). A question whose "Other" box is a column of
/// its own (`[[text]] other_of`) has none. Decided once per question on the whole sample, so
/// every table (overall, per group, weighted, a breakdown by the question) counts the same rows.
#[derive(Debug, Clone, Default, PartialEq)]
pub(in crate::score) struct Folding {
    pub(super) written_in: BTreeSet<String>,
    pub(super) label: String,
    /// How a check-all question's joined answers split into its options (see `Joins`),
    /// learned once from every answer.
    pub(super) joins: Joins,
}

/// A value fewer than one in this many respondents gave may be typed words (see `of_givers`).
const RARE_SHARE: u64 = 50;

/// Stock answers tools offer as options: never typed text, however few chose them.
const STOCK_ANSWERS: [&str; 12] = [
    "prefer not to say",
    "prefer not to answer",
    "rather not say",
    "none",
    "none of the above",
    "don't know",
    "do not know",
    "not sure",
    "n/a",
    "na",
    "not applicable",
    "no answer",
];

/// Whether a value is a tool's own "Other" option ("Other", "Other:", "Other (please
/// specify)"), not words a respondent typed after it ("Other: Jane Okafor").
pub(super) fn is_other_option(value: &str) -> bool {
    let lower = value.trim().to_lowercase();
    let Some(rest) = lower.strip_prefix("other") else {
        return false;
    };
    let rest = rest.trim();
    rest.is_empty()
        || rest == ":"
        || rest == "…"
        || rest == "..."
        || (rest.starts_with('(') && rest.ends_with(')') && rest.matches('(').count() == 1)
}

/// Whether a rare value could be typed words rather than an option the tool wrote.
fn may_be_typed(value: &str) -> bool {
    let v = value.trim();
    let lower = v.to_lowercase().replace('’', "'");
    let code = (1..=3).contains(&v.len()) && v.bytes().all(|b| b.is_ascii_digit());
    !(code || is_other_option(v) || STOCK_ANSWERS.contains(&lower.as_str()))
}

impl Folding {
    /// The write-ins of a choice question from every respondent's answer (`counted`), with
    /// `threshold` the survey's `suppress_below`. A question spread over a column per option
    /// has none: a column is ticked or not, whatever it holds.
    pub(in crate::score) fn of(
        choice: &Choice,
        source: &Source,
        counted: &Counted,
        threshold: usize,
    ) -> Folding {
        if matches!(source, Source::Ticks(_)) {
            return Folding::default();
        }
        let joins = joins(choice, counted);
        let none = Folding::default();
        let mut givers: std::collections::BTreeMap<&str, u64> = Default::default();
        let mut answered = 0;
        for (value, count) in counted.iter().filter(|(v, _)| !v.is_empty()) {
            answered += count;
            for part in chosen(choice, value, &joins, &[], &none) {
                *givers.entry(part).or_insert(0) += count;
            }
        }
        Folding {
            joins,
            ..Folding::of_givers(&givers, answered, &choice.options, threshold)
        }
    }

    /// A choice question that holds no write-ins: its answers split (see `Joins`) and nothing
    /// folded.
    pub(in crate::score) fn unfolded(
        choice: &Choice,
        source: &Source,
        counted: &Counted,
    ) -> Folding {
        match source {
            Source::Ticks(_) => Folding::default(),
            Source::Cell(_) => Folding {
                joins: joins(choice, counted),
                ..Folding::default()
            },
        }
    }

    /// The write-ins among a segment's groups (`groups`: each group's name and respondents),
    /// `listed` the options of the choice question reading the same column: a breakdown by the
    /// question names no write-in either.
    pub(in crate::score) fn of_groups<'g>(
        groups: impl Iterator<Item = (&'g str, u64)>,
        listed: &[String],
        threshold: usize,
    ) -> Folding {
        let mut givers: std::collections::BTreeMap<&str, u64> = Default::default();
        for (name, n) in groups.filter(|(name, _)| *name != NOT_ANSWERED) {
            *givers.entry(name).or_insert(0) += n;
        }
        let answered = givers.values().sum();
        Folding::of_givers(&givers, answered, listed, threshold)
    }

    /// The write-ins among answers `givers` (each with its respondents; `answered` in all).
    fn of_givers(
        givers: &std::collections::BTreeMap<&str, u64>,
        answered: u64,
        options: &[String],
        threshold: usize,
    ) -> Folding {
        // Rare is rare for the sample: fewer than `threshold` and fewer than one in fifty of
        // those who answered, and a lone answer always (two respondents rarely type the same
        // words). Under `threshold` alone, a small survey's unpopular options were folded away
        // as typed words ("Desenvolvedor", 9 of a Google Form's 30 answers).
        let threshold = threshold.min((answered / RARE_SHARE).max(2) as usize);
        let listed = |v: &str| options.iter().any(|o| o == v);
        let written_in: BTreeSet<String> = givers
            .iter()
            .filter(|&(v, &n)| !listed(v) && n < threshold as u64 && may_be_typed(v))
            .map(|(v, _)| v.to_string())
            .collect();
        // The survey's own "Other" option, else the most given "Other …" answer, counts them.
        let observed_other = givers
            .iter()
            .filter(|(v, _)| is_other_option(v) && !written_in.contains(**v))
            .max_by_key(|&(v, &n)| (n, std::cmp::Reverse(*v)))
            .map(|(v, _)| v.to_string());
        let label = options
            .iter()
            .find(|o| is_other_option(o))
            .cloned()
            .or(observed_other)
            .unwrap_or_else(|| WRITTEN_IN.to_string());
        Folding {
            written_in,
            label,
            joins: Joins::default(),
        }
    }

    /// The option an answer is counted under: itself, or the write-ins' row.
    pub(in crate::score) fn fold<'a>(&'a self, option: &'a str) -> &'a str {
        if self.written_in.contains(option) {
            &self.label
        } else {
            option
        }
    }

    /// Whether any of a respondent's options is a write-in.
    pub(super) fn holds_write_in(&self, options: &[&str]) -> bool {
        !self.written_in.is_empty() && options.iter().any(|o| self.written_in.contains(*o))
    }
}
