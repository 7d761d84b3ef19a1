//! Sentiment of survey answers: VADER (`vader`) read in the light of the question asked.
//!
//! VADER was made for posts that stand alone. A survey answer does not: "Nothing." to "What
//! could we improve?" means all is well, and "Better parking" to the same question asks for
//! something rather than praising it. The question's wording sets a direction
//! (`Direction::from_question`), and four rules adjust VADER's compound score:
//!
//! 1. An "all is well" answer ("Nothing", "None", "N/A", "Nothing to improve", "Can't think of
//!    anything") scores `NOTHING` when the question asks what to improve, `-NOTHING` when it
//!    asks what went well, and 0 otherwise: never negative because "nothing" and "no" are.
//! 2. Such an answer followed by more ("Nothing, staff were lovely") is scored on what
//!    follows, since VADER would negate "lovely" with the leading "nothing"; when what follows
//!    is neutral, rule 1 applies.
//! 3. To an improvement question, a suggestion ("More parking", "Better signs", "Could be
//!    quicker") is at most neutral: its positive words describe what is wanted, not what was had.
//! 4. To a what-went-well question, a neutral answer that names something ("The nurses")
//!    scores `NAMED_GOOD`: it names what went well.
//!
//! Scores stay in -1…1, larger = more positive; a tone is positive from 0.05 and negative from
//! -0.05, VADER's own thresholds. `tests/it/sentiment.rs` measures both scores against NHS coders.

use super::vader;
use regex::Regex;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// The score of an "all is well" answer to an improvement question (rule 1): as positive as
/// strong praise, where the NHS coders put "Nothing." (criticality 3). Chosen on the even ids
/// of the NHS comments only (tests/it/sentiment.rs): Spearman's rho there was 0.223, 0.284,
/// 0.352, 0.375 and 0.386 for 0.2, 0.5, 0.8, 0.9 and 0.97; 0.9 leaves room above it for
/// emphatic praise rather than chasing the edge.
pub const NOTHING: f64 = 0.9;

/// The score of a neutral answer naming something to a what-went-well question (rule 4).
pub const NAMED_GOOD: f64 = 0.3;

/// Tone thresholds on the compound score (VADER's).
pub const THRESHOLD: f64 = 0.05;

/// What the question asks for, as its wording says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Direction {
    /// "What could we improve?", "What was missing?": answers name problems or wishes.
    Improve,
    /// "What went well?", "What did you like most?": answers name good things.
    WentWell,
    /// Anything else ("What has changed?"), or a question asking both.
    Open,
}

impl Direction {
    /// The direction of a question's wording; `Open` when it asks both ways or neither.
    pub fn from_question(question: &str) -> Direction {
        let q = normalise(question);
        let improve = improve_question().is_match(&q);
        let well = went_well_question().is_match(&q);
        match (improve, well) {
            (true, false) => Direction::Improve,
            (false, true) => Direction::WentWell,
            _ => Direction::Open,
        }
    }
}

/// A comment's tone: the `tone` column of comments.csv.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Tone {
    /// Sentiment at or above +0.05 (VADER's threshold).
    Positive,
    /// Sentiment between −0.05 and +0.05.
    Neutral,
    /// Sentiment at or below −0.05.
    Negative,
}

impl Tone {
    /// The tone of a sentiment score in −1..=1, by VADER's ±0.05 thresholds.
    pub fn of(score: f64) -> Tone {
        if score >= THRESHOLD {
            Tone::Positive
        } else if score <= -THRESHOLD {
            Tone::Negative
        } else {
            Tone::Neutral
        }
    }

    /// The tone as comments.csv spells it.
    pub fn name(self) -> &'static str {
        match self {
            Tone::Positive => "positive",
            Tone::Neutral => "neutral",
            Tone::Negative => "negative",
        }
    }
}

/// The survey-adjusted score of an answer to a question of this direction, -1…1.
pub fn score(text: &str, direction: Direction) -> f64 {
    // Most comments open with a word no "all is well" answer opens with: they need neither
    // the normalised text nor the patterns, unless a suggestion is looked for.
    if direction != Direction::Improve && opens_otherwise(text) {
        return named_good(vader::compound(text), direction);
    }
    score_by_rules(text, direction)
}

/// Rule 4: a neutral answer to what went well names something good.
fn named_good(scored: f64, direction: Direction) -> f64 {
    match direction {
        Direction::WentWell if scored.abs() < THRESHOLD => NAMED_GOOD,
        _ => scored,
    }
}

/// `score` with every rule asked.
fn score_by_rules(text: &str, direction: Direction) -> f64 {
    let t = normalise(text);
    if t.is_empty() || all_is_well().is_match(&t) {
        return nothing_score(direction);
    }
    let scored = match after_all_is_well(text) {
        // Rule 2: score what follows the "nothing"; if that is neutral, the "nothing" speaks.
        Some(rest) => {
            let s = vader::compound(rest);
            if s.abs() < THRESHOLD {
                return nothing_score(direction);
            }
            s
        }
        None => vader::compound(text),
    };
    match direction {
        Direction::Improve if suggestion().is_match(&t) => scored.min(0.0),
        _ => named_good(scored, direction),
    }
}

/// The words an answer matching `all_is_well` can open with (its normalised first word).
const ALL_IS_WELL_OPENINGS: [&str; 15] = [
    "nothing",
    "none",
    "no",
    "nope",
    "nil",
    "n",
    "na",
    "not",
    "i",
    "can",
    "cannot",
    "could",
    "couldn",
    "all",
    "everything",
];

/// Whether an ASCII text's first word (as `normalise` reads it) is none of
/// `ALL_IS_WELL_OPENINGS`, so that neither it nor its opening clause says all is well. False
/// for other texts, which take the general path.
fn opens_otherwise(text: &str) -> bool {
    if !text.is_ascii() {
        return false;
    }
    let Some(first) = text
        .split(|c: char| !c.is_ascii_alphanumeric())
        .find(|w| !w.is_empty())
    else {
        return false;
    };
    !ALL_IS_WELL_OPENINGS
        .iter()
        .any(|w| w.eq_ignore_ascii_case(first))
}

/// Rule 1's score for the direction.
fn nothing_score(direction: Direction) -> f64 {
    match direction {
        Direction::Improve => NOTHING,
        Direction::WentWell => -NOTHING,
        Direction::Open => 0.0,
    }
}

/// What follows a leading "all is well" clause ("Nothing, staff were lovely" → "the staff
/// were lovely"), when the text starts with one and goes on.
fn after_all_is_well(text: &str) -> Option<&str> {
    let cut = text.find([',', '.', ';', ':', '!', '-', '–', '('])?;
    let (head, rest) = text.split_at(cut);
    let rest = rest.trim_start_matches(|c: char| !c.is_alphanumeric());
    (!rest.is_empty() && all_is_well().is_match(&normalise(head))).then_some(rest)
}

/// Lower case, letters and digits only, single spaces ("Can't think of anything!" →
/// "can t think of anything").
fn normalise(text: &str) -> String {
    // One pass and one string: every comment is normalised once or twice.
    let mut out = String::with_capacity(text.len());
    if text.is_ascii() {
        for word in text
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
        {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(word);
        }
        out.make_ascii_lowercase();
        return out;
    }
    let mut gap = false;
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            if gap && !out.is_empty() {
                out.push(' ');
            }
            out.push(c);
            gap = false;
        } else {
            gap = true;
        }
    }
    out
}

fn compile(pattern: &'static str, cell: &'static OnceLock<Regex>) -> &'static Regex {
    // The patterns are fixed in this file and covered by its tests, so they always compile.
    cell.get_or_init(|| Regex::new(pattern).unwrap_or_else(|e| panic!("{pattern}: {e}")))
}

/// A whole answer saying there is nothing to report (normalised text).
fn all_is_well() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    compile(
        r"^(?:(?:nothing|none|no|nope|nil|n a|na|not really|not a thing|no comments?|nothing at all)(?: (?:really|at all|whatsoever|else|much|thanks|thank you|as such|i can think of|that i can think of|comes to mind|springs to mind|to (?:improve|add|say|report|suggest|change|mention|comment)|could be (?:improved|better)|needs (?:improving|improvement|to change)|i would change))*|(?:i )?(?:can t|cannot|can not|could not|couldn t) think of any(?:thing|way)?(?: else)?(?: to (?:improve|add|change))?|no (?:improvements?|suggestions?|changes?|complaints?)(?: (?:needed|required|necessary|to make|at all))?|(?:all|everything) (?:good|fine|ok|okay))$",
        &RE,
    )
}

/// An answer asking for something: it starts with a wish ("more", "better", "should") or
/// says what could or should be.
fn suggestion() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    compile(
        r"^(?:more|better|longer|shorter|quicker|faster|less|fewer|bigger|larger|cheaper|easier|clearer|earlier|later|extra|increase|reduce|improve|improved|improvement|improvements|need|needs|should|could|would|maybe|perhaps|possibly|please|provide|offer|allow|have|having|make|add|give)\b|\b(?:could be|should be|would be|could have been|should have been|would have been|would like|would help|need to|needs to|need more|needs more)\b",
        &RE,
    )
}

/// A question asking what to improve or what was missing (normalised text).
fn improve_question() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    compile(
        r"\b(?:improve|improved|improvement|improvements|better|missing|lacking|change|least|dislike|disliked|worse|wrong|problem|problems|difficult|difficulties|frustrating|suggestions?)\b",
        &RE,
    )
}

/// A question asking what went well or was liked (normalised text).
fn went_well_question() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    compile(
        r"\b(?:went well|go well|did well|do well|done well|like most|liked most|like best|liked best|liked|enjoy|enjoyed|best|most useful|most helpful|most valuable|good|positive|strengths?|helped most)\b",
        &RE,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use Direction::*;

    #[test]
    fn normalising_keeps_letters_and_digits_with_single_spaces() {
        assert_eq!(
            normalise("Can't think of anything!"),
            "can t think of anything"
        );
        assert_eq!(normalise("  N/A  "), "n a");
        assert_eq!(normalise("ÉTÉ -- 2x, OK?"), "été 2x ok");
        assert_eq!(normalise("?!"), "");
        assert_eq!(normalise("Ünder -- THE 2x, ok?"), "ünder the 2x ok");
    }

    #[test]
    fn question_wording_sets_the_direction() {
        for q in [
            "What could we improve?",
            "Is there anything we could do better?",
            "What was missing?",
            "What would you change about the course?",
            "What did you like least?",
        ] {
            assert_eq!(Direction::from_question(q), Improve, "{q}");
        }
        for q in [
            "What went well?",
            "What did you like most about the day?",
            "What was the best part?",
        ] {
            assert_eq!(Direction::from_question(q), WentWell, "{q}");
        }
        for q in [
            "What has changed in your school as a consequence?",
            "Any other comments?",
            "What went well, and what could be improved?",
        ] {
            assert_eq!(Direction::from_question(q), Open, "{q}");
        }
    }

    /// The shortcut for answers opening with another word gives what the rules give, on the
    /// answers every test here scores and on answers opening with each listed word.
    #[test]
    fn answers_opening_otherwise_skip_only_rules_that_cannot_apply() {
        let mut texts = vec![
            "Nothing, the staff were lovely",
            "nothing at all",
            "No complaints",
            "Can't think of anything to improve",
            "I cannot think of anything",
            "All good",
            "Everything fine",
            "N/A",
            "None.",
            "Great staff, very kind",
            "- nothing",
            "The waiting time was awful",
            "Well, nothing really",
            "Couldn't think of any",
            "Nope!",
            "Not really",
            "NA",
            "Nil",
            "Lovely people. Nothing to add",
            "",
            "   ",
        ];
        texts.extend(ALL_IS_WELL_OPENINGS);
        for text in texts {
            for d in [Direction::Open, Direction::WentWell, Direction::Improve] {
                assert_eq!(score(text, d), score_by_rules(text, d), "{text:?} {d:?}");
            }
            // Whatever the rules call all well opens with a listed word.
            let t = normalise(text);
            if all_is_well().is_match(&t) {
                assert!(!opens_otherwise(text), "{text:?}");
            }
        }
    }

    #[test]
    fn nothing_to_improve_is_not_negative() {
        for a in [
            "Nothing.",
            "None",
            "N/A",
            "Nothing to improve",
            "Can't think of anything",
            "No improvements needed",
            "nothing really",
        ] {
            assert_eq!(Tone::of(score(a, Improve)), Tone::Positive, "{a}");
            assert_eq!(Tone::of(score(a, WentWell)), Tone::Negative, "{a}");
            assert_eq!(Tone::of(score(a, Open)), Tone::Neutral, "{a}");
        }
    }

    #[test]
    fn a_leading_nothing_does_not_negate_what_follows() {
        assert!(vader::compound("Nothing, staff were lovely") < 0.0);
        assert_eq!(
            Tone::of(score("Nothing, staff were lovely", Improve)),
            Tone::Positive
        );
        assert_eq!(
            Tone::of(score("No. But the parking was awful", Improve)),
            Tone::Negative
        );
        assert_eq!(
            Tone::of(score("Nothing - all fine, thanks", Open)),
            Tone::Positive
        );
    }

    #[test]
    fn suggestions_to_an_improvement_question_are_not_praise() {
        for a in [
            "More parking",
            "Longer opening hours",
            "Better signs to the clinic",
            "Could be quicker",
        ] {
            assert_eq!(Tone::of(score(a, Improve)), Tone::Neutral, "{a}");
        }
        assert!(vader::compound("Better signs to the clinic") > 0.0);
        assert_eq!(
            Tone::of(score("More parking, it is terrible", Improve)),
            Tone::Negative
        );
        // Praise stays praise, whatever was asked.
        assert_eq!(
            Tone::of(score("The staff were wonderful", Improve)),
            Tone::Positive
        );
    }

    #[test]
    fn a_neutral_answer_to_what_went_well_names_something_good() {
        assert_eq!(Tone::of(score("The nurses", WentWell)), Tone::Positive);
        assert_eq!(Tone::of(score("The nurses", Open)), Tone::Neutral);
        assert_eq!(
            Tone::of(score("Nothing, it was a shambles", WentWell)),
            Tone::Negative
        );
    }
}
