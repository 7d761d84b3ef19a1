//! Answers that join several options in one cell (Google Forms' `;`, Qualtrics' `,`): told
//! apart from labels and comments that merely contain a separator.

pub(super) use crate::joins::split_outside_brackets;
use crate::joins::Joins;
use crate::model::Format;
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::BTreeMap;

/// The most words an option of a check-all question joined in one cell has: a label, which
/// may be a short sentence.
pub(super) const MAX_OPTION_WORDS: usize = 12;
/// The same in a plain file, where nothing says the cell holds a form's options.
pub(super) const MAX_KEYWORD_OPTION_WORDS: usize = 6;
/// The most distinct options such a question has.
pub(super) const MAX_JOINED_OPTIONS: usize = 40;

/// Checkbox answers joined into one cell whose parts recur across respondents. Only the tools
/// that join options do it: Google Forms (`;` in its CSV, `, ` in Sheets), Microsoft Forms
/// (`;`), Qualtrics (`,`) and hand-made files; LimeSurvey and REDCap give each option a column, so a comma there
/// is part of a label ("Yes, to some extent").
pub(super) fn is_multi_select(
    format: Format,
    counts: &FxHashMap<&str, usize>,
    asks_for_all: bool,
) -> bool {
    let separators: &[&str] = match format {
        Format::GoogleForms | Format::Generic => &[";", ", "],
        // SurveyMonkey gives each option a column, except in the condensed layout its
        // connectors and "Responses" view write: "Subsidized; Rent-controlled".
        Format::MicrosoftForms | Format::Kobotoolbox | Format::Typeform | Format::Surveymonkey => {
            &[";"]
        }
        // Qualtrics' export with choice text joins a multiple-answer question's choices with
        // "," (no space) unless told to split them into columns; a label's own comma is
        // followed by a space ("Yes, to some extent").
        Format::Qualtrics => &[","],
        _ => return false,
    };
    // A form tool's cell joins options it offered; a plain file's cell may as well be short
    // comments that happen to recur ("more staff, better pay"), so only keyword-length parts.
    // A question that says "check all that apply" may offer options of a long sentence each
    // ("Otro sitio web interno o portal administrado por mi organización (por ejemplo,
    // Sharepoint)", 13 words).
    let max_words = match format {
        _ if asks_for_all => 2 * MAX_OPTION_WORDS,
        Format::Generic => MAX_KEYWORD_OPTION_WORDS,
        _ => MAX_OPTION_WORDS,
    };
    let answered: usize = counts.values().sum();
    for sep in separators
        .iter()
        .filter(|sep| !labels_with_commas(counts, sep))
    {
        let joins = joins_of(counts, sep);
        let joined: usize = counts
            .iter()
            .filter(|(v, _)| joins.parts(v).len() > 1)
            .map(|(_, n)| n)
            .sum();
        if joined == 0 {
            continue;
        }
        // Answers that join options also given alone are a check-all question's, however few
        // joined and however long its options (a bylaw's alternatives, a sentence each).
        let alone_joined = joins_answers_given_alone(format, counts, &joins);
        // Most respondents tick one option of some check-all questions ("I identify my
        // ethnicity as (select all that apply)"): there the question's words say so.
        if joined * 5 < answered && !asks_for_all && !alone_joined {
            continue;
        }
        let mut parts: BTreeMap<&str, usize> = BTreeMap::new();
        for (v, n) in counts {
            for p in joins.parts(v) {
                *parts.entry(p.trim_end_matches(';')).or_insert(0) += n;
            }
        }
        // Options are few and recur; the parts of commas in free text are many and each once.
        // An option may be a sentence ("I am a parent/ guardian of someone autistic"), so the
        // bound on its words is that of a label, not of a keyword.
        let recurring = parts.values().filter(|&&n| n > 1).count();
        let labels = alone_joined
            || parts
                .keys()
                .all(|p| p.split_whitespace().count() <= max_words);
        if recurring * 2 >= parts.len() && parts.len() <= MAX_JOINED_OPTIONS && labels {
            return true;
        }
        if offered_options_with_write_ins(&parts, max_words) {
            return true;
        }
    }
    false
}

/// Fewest respondents giving two pieces, always together and in one order, that make them one
/// label whatever their case ("Central Toronto, York or East York"): options ticked alike by
/// so many and never apart are implausible.
const TOGETHER_AS_ONE: usize = 20;

/// How a column's answers split at `sep`, pieces given together by `TOGETHER_AS_ONE` or more
/// respondents (or reading as one label, `Joins::learn`) kept as one.
fn joins_of<'a>(counts: &FxHashMap<&'a str, usize>, sep: &'a str) -> Joins {
    let mut given: FxHashMap<&str, usize> = FxHashMap::default();
    for (v, n) in counts {
        for piece in split_outside_brackets(v, sep) {
            *given.entry(piece.trim()).or_insert(0) += n;
        }
    }
    let evident = |first: &str, _: &str| given.get(first).is_some_and(|&n| n >= TOGETHER_AS_ONE);
    Joins::learn_with(counts.keys().copied(), sep, &[], evident)
}

/// Answers that join others given alone, at least three such and at least half the joined
/// answers ("White,Other" beside "White" and "Other", "Student,Retired" beside "Student" and
/// "Retired"): a check-all question most of whose respondents ticked one option. A form's
/// single choice cannot join two of its options; only a plain file's typed answers can ("3, 4"
/// on a rating, "Toronto, Ontario" beside "Toronto"), so the rule is for the tools that join,
/// and never for answers that are numbers or points of a scale. One or two such joins may be
/// what respondents typed in a single choice's "Other" box.
fn joins_answers_given_alone(
    format: Format,
    counts: &FxHashMap<&str, usize>,
    joins: &Joins,
) -> bool {
    if format == Format::Generic {
        return false;
    }
    let split: Vec<Vec<&str>> = counts.keys().map(|v| joins.parts(v)).collect();
    let alone = given_alone(&split);
    let numbers = alone.iter().all(|v| v.parse::<f64>().is_ok());
    let scale = || super::scales::recognise(&alone.iter().copied().collect()).is_some();
    if alone.is_empty() || numbers || scale() {
        return false;
    }
    let joined: Vec<bool> = split
        .iter()
        .filter(|parts| parts.len() > 1)
        .map(|parts| parts.iter().all(|p| alone.contains(p)))
        .collect();
    let of_alone = joined.iter().filter(|&&j| j).count();
    of_alone >= 3 && of_alone * 2 >= joined.len()
}

/// The answers given alone: those of one part, of answers split into parts.
fn given_alone<'a>(split: &[Vec<&'a str>]) -> FxHashSet<&'a str> {
    split
        .iter()
        .filter(|parts| parts.len() == 1)
        .map(|parts| parts[0])
        .collect()
}

/// Whether the separator is part of the labels rather than between options: no answer is one
/// option alone and no part is in two different answers ("Formar una familia, pues …" and
/// "Estar soltero, muy enfocado …": a single choice of two sentences), or every answer that
/// holds it opens with a yes or a no that the rest explains ("Sim, algumas horas por semana",
/// "Não, aprendi fora do horário").
fn labels_with_commas(counts: &FxHashMap<&str, usize>, sep: &str) -> bool {
    let split: Vec<Vec<&str>> = counts
        .keys()
        .filter(|v| !v.trim().is_empty())
        .map(|v| {
            split_outside_brackets(v, sep)
                .into_iter()
                .map(|p| p.trim().trim_end_matches(';'))
                .collect()
        })
        .collect();
    let joined: Vec<&Vec<&str>> = split.iter().filter(|parts| parts.len() > 1).collect();
    if joined.is_empty() {
        return false;
    }
    let alone_answers = given_alone(&split);
    let alone = !alone_answers.is_empty();
    let mut answers_with: BTreeMap<&str, usize> = BTreeMap::new();
    for parts in &split {
        let mut once: Vec<&str> = parts.clone();
        once.sort_unstable();
        once.dedup();
        for p in once {
            *answers_with.entry(p).or_insert(0) += 1;
        }
    }
    let shared = answers_with.values().any(|&n| n > 1);
    let explained = joined.iter().all(|parts| {
        matches!(
            crate::model::label_key(parts[0]).as_str(),
            "yes"
                | "no"
                | "sí"
                | "sì"
                | "si"
                | "sim"
                | "não"
                | "nao"
                | "oui"
                | "non"
                | "ja"
                | "nein"
                | "nee"
        )
    });
    // "Full-time, permanent", "Agree, strongly": the first part qualified by the rest, in lower
    // case as a label goes on (a form's options open with capitals), and no part ever given
    // alone as an answer of its own.
    let qualified = joined.iter().all(|parts| {
        parts[1..].iter().all(|p| crate::joins::continues(p))
            && parts.iter().all(|p| !alone_answers.contains(p))
    });
    (!alone && !shared) || explained || qualified
}

/// Share of the parts' occurrences that a check-all question's offered options make up when
/// its "Other" box adds write-ins (Google Forms joins what was typed with the ticked labels).
const OFFERED_SHARE: f64 = 0.9;

/// Parts of which a few, each given again and again, make up nearly all occurrences, the rest
/// given once or twice each: the options a form offered and respondents' own write-ins. Every
/// part given more than once is a label (at most `max_words` words); the offered options are
/// at most `MAX_JOINED_OPTIONS`.
fn offered_options_with_write_ins(parts: &BTreeMap<&str, usize>, max_words: usize) -> bool {
    let recurring_labels = parts
        .iter()
        .filter(|(_, n)| **n > 1)
        .all(|(p, _)| p.split_whitespace().count() <= max_words);
    if !recurring_labels {
        return false;
    }
    let mut counts: Vec<(usize, &str)> = parts.iter().map(|(p, n)| (*n, *p)).collect();
    counts.sort_unstable_by(|a, b| b.cmp(a));
    let total: usize = counts.iter().map(|(n, _)| n).sum();
    let mut covered = 0;
    for (k, (n, _)) in counts.iter().enumerate() {
        if k >= MAX_JOINED_OPTIONS || *n < 2 {
            return false;
        }
        covered += n;
        if covered as f64 >= OFFERED_SHARE * total as f64 {
            // Two options at least: one label and its write-ins are a single choice.
            return k >= 1;
        }
    }
    false
}

/// Words of a question that lets respondents tick several options: "(check all that apply)",
/// "Select all that apply", and the same in the languages forms are written in ("marca todas
/// las que correspondan", "marque todas", "cochez toutes", "alle zutreffenden").
pub(super) fn asks_for_all_that_apply(text: &str) -> bool {
    static RE: std::sync::OnceLock<Option<regex::Regex>> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        regex::Regex::new(concat!(
            r"(?i)\b((all|any)\s+that\s+apply|as\s+many\s+as\s+apply|(check|tick|select|choose|mark)\s+(all|as\s+many|one\s+or\s+more|any\s+of)\b|(select|choose|tick)\s+more\s+than\s+one|(can|may)\s+(select|choose|tick|check|respond|answer)\s+more\s+than\s+(one|once)|any\s+of\s+the\s+following|multiple\s+answers\s+(are\s+)?(possible|allowed)",
            r"|marc[ae]\s+tod[ao]s?|marque\s+tod[ao]s?|selecc?i?on[ae]\s+tod[ao]s?|varias\s+respuestas\s+posibles|v[aá]rias\s+respostas\s+poss[ií]veis",
            r"|cochez\s+tou(te)?s|plusieurs\s+r[ée]ponses\s+(sont\s+)?possibles",
            r"|alle\s+zutreffenden|mehrfachnennung(en)?|mehrere\s+antworten\s+(sind\s+)?m[öo]glich|meerdere\s+antwoorden|alles\s+wat\s+van\s+toepassing",
            r"|più\s+risposte|seleziona(re)?\s+tutt[ei])"
        ))
        .ok()
    })
    .as_ref()
    .is_some_and(|re| re.is_match(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_all_questions_say_so_in_the_languages_forms_are_written_in() {
        // Question texts of batch 3's Spanish and batch 5's Portuguese Google Forms, and their
        // like in the other languages.
        for text in [
            "Which tools do you use? (Check all that apply)",
            "Choose one or more races that you consider yourself to be:",
            "Which of these have you used? Select any that apply.",
            "¿Cómo comparte los resultados que crea en R? Marque todo lo que corresponda.",
            "Você possui certificações? (Marque todas que se aplicam)",
            "Quels réseaux utilisez-vous ? (plusieurs réponses possibles)",
            "Welche Geräte nutzen Sie? (Mehrfachnennung möglich)",
            "Quali strumenti usi? Seleziona tutte le opzioni pertinenti",
            "Welke apps gebruik je? Meerdere antwoorden mogelijk",
            // Round 13: a SurveyMonkey candidates' questionnaire, a Qualtrics quiz, a Google
            // Forms e-bike survey.
            "Check any of the below combinations of features that you would consider",
            "Which statement applies to you (you can respond more than once)?",
            "Do you support any of the following statements?",
        ] {
            assert!(asks_for_all_that_apply(text), "{text}");
        }
        for text in [
            "Which one do you use most?",
            "Select any one option",
            "¿Cuál prefieres?",
            "Toutes les réponses sont anonymes. Quel est votre âge ?",
            "De todos los que conoce, ¿cuál prefiere?",
            "Did you get more than one answer from the helpdesk?",
        ] {
            assert!(!asks_for_all_that_apply(text), "{text}");
        }
    }

    fn counts(answers: &[(&'static str, usize)]) -> FxHashMap<&'static str, usize> {
        answers.iter().copied().collect()
    }

    /// A single choice whose labels hold the form's separator is not a check-all question;
    /// a check-all question whose options recur in several answers still is. Cases from the
    /// tuning sets' Spanish and Portuguese Google Forms sheets.
    #[test]
    fn labels_with_commas_are_told_from_options_joined() {
        let sentences = counts(&[
            ("Formar una familia, pues me daría una motivación extra", 98),
            ("Estar soltero, muy enfocado en mis logros personales", 69),
        ]);
        assert!(labels_with_commas(&sentences, ", "));
        assert_eq!(
            split_outside_brackets("$40,000 - 80,000,Less than $40,000", ","),
            ["$40,000 - 80,000", "Less than $40,000"],
            "a number's thousands are not options"
        );
        assert_eq!(split_outside_brackets("1,2,3", ","), ["1", "2", "3"]);
        assert_eq!(
            split_outside_brackets("Master’s degree,PhD’s", ","),
            ["Master’s degree", "PhD’s"]
        );
        assert!(!is_multi_select(Format::GoogleForms, &sentences, false));
        let explained = counts(&[
            ("Sim, algumas horas por semana durante o expediente", 13),
            ("Não, aprendi durante a execução dos projetos", 9),
            ("Não, aprendi fora do horário de trabalho", 8),
        ]);
        assert!(!is_multi_select(Format::GoogleForms, &explained, false));
        let ticked = counts(&[
            ("R, Python", 30),
            ("R", 25),
            ("Python, SQL", 12),
            ("SQL", 4),
            ("R, SQL", 9),
        ]);
        assert!(!labels_with_commas(&ticked, ", "));
        assert!(is_multi_select(Format::GoogleForms, &ticked, false));
        // The review's single choices whose options qualify a word after a comma.
        let qualified = counts(&[
            ("Full-time, permanent", 20),
            ("Full-time, temporary", 12),
            ("Part-time, permanent", 9),
            ("Part-time, temporary", 7),
            ("Unemployed", 12),
        ]);
        assert!(labels_with_commas(&qualified, ", "));
        assert!(!is_multi_select(Format::GoogleForms, &qualified, false));
        let agreement = counts(&[
            ("Agree, strongly", 15),
            ("Agree, somewhat", 15),
            ("Disagree, somewhat", 15),
            ("Disagree, strongly", 15),
        ]);
        assert!(!is_multi_select(Format::GoogleForms, &agreement, false));
        // Lower-case options ticked alone as well are joined options.
        let lower = counts(&[("tube, bus", 10), ("bus", 8), ("tube", 6), ("walk, bus", 4)]);
        assert!(is_multi_select(Format::GoogleForms, &lower, false));
    }

    #[test]
    fn a_check_all_question_most_answered_with_one_option_is_told_by_its_joins() {
        // Batch 3's Qualtrics "Race" (counts as exported): 9 of 100 joined, each join of
        // options also given alone.
        let race = counts(&[
            ("White", 56),
            ("Black or African American", 13),
            ("Asian", 9),
            ("White,Other", 4),
            ("Native Hawaiian or Other Pacific Islander", 3),
            ("White,Black or African American", 3),
            ("Asian,Native Hawaiian or Other Pacific Islander", 2),
            ("Other", 1),
        ]);
        assert!(is_multi_select(Format::Qualtrics, &race, false));
        // One or two joins, or joins of parts never given alone, are not evidence enough.
        let once = counts(&[
            ("White", 56),
            ("Asian", 9),
            ("Other", 3),
            ("White,Asian", 1),
            ("Asian,Other", 1),
        ]);
        assert!(!is_multi_select(Format::Qualtrics, &once, false));
        let explained = counts(&[
            ("Yes", 40),
            ("No", 30),
            ("Yes, but rarely", 2),
            ("No, not yet", 2),
        ]);
        assert!(!is_multi_select(Format::Generic, &explained, false));
        // Respondents' own double answers, which a form would not have let them give (the
        // review's cases): points of a rating, and a place beside its province.
        let rating = counts(&[
            ("Strongly agree", 40),
            ("Agree", 80),
            ("Neutral", 50),
            ("Disagree", 20),
            ("Agree, Strongly agree", 2),
            ("Neutral, Agree", 2),
        ]);
        assert!(!is_multi_select(Format::GoogleForms, &rating, false));
        let points = counts(&[("3", 60), ("4", 70), ("5", 40), ("3,4", 2), ("4,5", 1)]);
        assert!(!is_multi_select(Format::Qualtrics, &points, false));
        let places = counts(&[
            ("Toronto", 60),
            ("Ontario", 20),
            ("Vancouver", 30),
            ("BC", 10),
            ("Toronto, Ontario", 3),
            ("Vancouver, BC", 2),
        ]);
        assert!(!is_multi_select(Format::Generic, &places, false));
    }
}
