//! Response scales recognised from a column's answers: the data's own labels, ordered by their
//! words (`ladder`), completed from a library of common scales only where the data leave
//! options out (a column that never used "Dissatisfied" is still a five-point scale).

use super::ladder;
use crate::model::label_key;
use std::collections::BTreeSet;

/// Common response scales, lowest option first: to complete a scale the data use only part of.
pub const KNOWN_SCALES: &[(&str, &[&str])] = &[
    (
        "agree5",
        &[
            "Strongly disagree",
            "Disagree",
            "Neither agree nor disagree",
            "Agree",
            "Strongly agree",
        ],
    ),
    (
        "agree5_somewhat",
        &[
            "Strongly disagree",
            "Somewhat disagree",
            "Neither agree nor disagree",
            "Somewhat agree",
            "Strongly agree",
        ],
    ),
    (
        "agree7",
        &[
            "Strongly disagree",
            "Disagree",
            "Somewhat disagree",
            "Neither agree nor disagree",
            "Somewhat agree",
            "Agree",
            "Strongly agree",
        ],
    ),
    (
        "agree4",
        &["Strongly disagree", "Disagree", "Agree", "Strongly agree"],
    ),
    // The humanitarian feedback scale (Ground Truth Solutions' and IASC's accountability
    // surveys), whose questions often draw answers from one end only.
    (
        "yes4_completely",
        &["Not at all", "Not really", "Mostly yes", "Yes completely"],
    ),
    (
        "agree5_partially",
        &[
            "Fully disagree",
            "Partially disagree",
            "Neither/nor",
            "Partially agree",
            "Fully agree",
        ],
    ),
    (
        "confidence5_very",
        &[
            "Not at all confident",
            "Slightly confident",
            "Somewhat confident",
            "Very confident",
            "Extremely confident",
        ],
    ),
    (
        "confidence5",
        &[
            "Not at all confident",
            "Slightly confident",
            "Somewhat confident",
            "Moderately confident",
            "Extremely confident",
        ],
    ),
    (
        "knowledge5",
        &[
            "Not at all knowledgeable",
            "A little knowledgeable",
            "Somewhat knowledgeable",
            "Very knowledgeable",
            "Extremely knowledgeable",
        ],
    ),
    (
        "ability5",
        &["Minimal", "Slight", "Moderate", "Good", "Extensive"],
    ),
    (
        "frequency5",
        &["Never", "Rarely", "Sometimes", "Often", "Always"],
    ),
    (
        "satisfaction5",
        &[
            "Very dissatisfied",
            "Dissatisfied",
            "Neither satisfied nor dissatisfied",
            "Satisfied",
            "Very satisfied",
        ],
    ),
    (
        "quality5",
        &["Very poor", "Poor", "Fair", "Good", "Excellent"],
    ),
    (
        "quality5_very_good",
        &["Poor", "Fair", "Good", "Very good", "Excellent"],
    ),
    (
        "likelihood5",
        &[
            "Very unlikely",
            "Unlikely",
            "Neither likely nor unlikely",
            "Likely",
            "Very likely",
        ],
    ),
    (
        "importance5",
        &[
            "Not at all important",
            "Slightly important",
            "Moderately important",
            "Very important",
            "Extremely important",
        ],
    ),
    (
        "extent5",
        &[
            "Not at all",
            "To a small extent",
            "To some extent",
            "To a large extent",
            "To a very large extent",
        ],
    ),
];

/// Answers that are not opinions, recognised alongside any scale (by `label_key`, so curly and
/// straight apostrophes, case and punctuation do not matter).
pub const NON_SUBSTANTIVE: &[&str] = &[
    "Don't know",
    "I don't know",
    "Do not know",
    "Not applicable",
    "Does not apply",
    "N/A",
    "NA",
    "Prefer not to say",
    "I prefer not to say",
    "Prefer not to answer",
    "No answer",
    "Refused",
    "I don't want to answer this question",
    "I do not want to answer",
    "Not sure",
    "No opinion",
    "Can't say",
    "Cannot say",
    "Can't answer",
    "Cannot answer",
    "Can't choose",
    "Cannot choose",
    "No basis for evaluation",
    "Not relevant",
    // The same in the languages whose scales `ladder_words` reads.
    "No lo sé",
    "No sé",
    "NS/NC",
    "No aplica",
    "Sin opinión",
    "Je ne sais pas",
    "Ne sais pas",
    "Sans opinion",
    "Non applicable",
    "Weiß nicht",
    "Weiss nicht",
    "Keine Angabe",
    "Não sei",
    "Não se aplica",
    "Non so",
    "Non applicabile",
    "Weet ik niet",
    "Weet niet",
    "Niet van toepassing",
];

/// Whether an answer is a "don't know" or "not applicable" rather than an opinion; a label
/// that says so in brackets counts too ("Unfamiliar (N/A)", "Never used (not applicable)").
pub fn is_non_substantive(label: &str) -> bool {
    let key = label_key(label);
    // A dash, dots or a question mark alone ("-", "--", "?") is no answer of the scale; other
    // marks ("+", "++", "★★★") may be its points.
    let mark = label.trim();
    if !mark.is_empty()
        && mark
            .chars()
            .all(|c| matches!(c, '-' | '–' | '—' | '?' | '.' | '…'))
    {
        return true;
    }
    if listed_non_answer(&key) {
        return true;
    }
    // "I don't know what tidyverse is.", "No sé qué es Shiny": unfamiliar with what is asked
    // about, no opinion of it.
    if [
        "idontknowwhat",
        "idonotknowwhat",
        "noséqué",
        "nosequé",
        "jenesaispascequ",
        "nãoseioque",
        "naoseioque",
    ]
    .iter()
    .any(|p| key.starts_with(p))
    {
        return true;
    }
    // "Ich kenne dieses Netzwerk nicht", "Je ne connais pas ce site": not knowing the thing
    // asked about, in the languages whose scales canvass reads.
    let unknown = [
        "idontknowthis",
        "idonotknowthis",
        "jeneconnaispas",
        "neconnaispas",
        "noconozco",
        "nãoconheço",
        "naoconheco",
        "nonconosco",
        "nonlaconosco",
        "nonloconosco",
    ];
    if unknown.iter().any(|p| key.starts_with(p))
        || (key.starts_with("ichkenne") && key.ends_with("nicht"))
        || (key.starts_with("ken") && key.ends_with("niet"))
    {
        return true;
    }
    // "N/A - skip, don't know.", "I don't know / NA", "Not applicable: I never used it": a
    // non-answer that explains itself.
    // "Don't know/Cannot answer" (Eurobarometer's) joins two non-answers with a bare "/".
    let explained = [" - ", " – ", " — ", " / ", ": ", "/"]
        .iter()
        .filter_map(|d| label.split_once(d))
        .any(|(head, _)| {
            let head = label_key(head);
            !head.is_empty() && listed_non_answer(&head)
        });
    if explained {
        return true;
    }
    let bracketed = label
        .trim_end()
        .strip_suffix(')')
        .and_then(|l| l.rsplit_once('('))
        .map(|(_, inside)| label_key(inside));
    bracketed.is_some_and(|inside| listed_non_answer(&inside))
}

/// Whether `key` (a `label_key`) is one of `NON_SUBSTANTIVE`'s.
fn listed_non_answer(key: &str) -> bool {
    NON_SUBSTANTIVE.iter().any(|n| label_key(n) == key)
}

/// A recognised scale: its name, labels lowest first (the data's spellings), and the
/// non-substantive answers seen beside it.
#[derive(Debug, Clone, PartialEq)]
pub struct Recognised {
    /// The scale's name: a known scale's (`agree5` …) or one made from its labels.
    pub name: String,
    /// The substantive labels as the data spell them, lowest first.
    pub labels: Vec<String>,
    /// Non-substantive answers seen beside them ("Don't know" …).
    pub non_substantive: Vec<String>,
    /// Each label's code when the labels carry their own numbers (`own_numbers`); empty for
    /// their positions, 1 … n.
    pub codes: Vec<f64>,
}

/// The scale a set of distinct answers (as written) is on, if it is one.
pub fn recognise(answers: &BTreeSet<&str>) -> Option<Recognised> {
    let (non_substantive, substantive): (Vec<&str>, Vec<&str>) =
        answers.iter().partition(|a| is_non_substantive(a));
    // One spelling per label: exports repeat a label in different cases rarely, but they do.
    let mut seen = BTreeSet::new();
    let substantive: Vec<String> = substantive
        .into_iter()
        .filter(|a| seen.insert(label_key(a)))
        .map(str::to_string)
        .collect();
    if substantive.len() < 2 {
        return None;
    }
    let (name, labels) = match complete(&substantive) {
        Some(found) => found,
        None => (
            "",
            ladder::order(&substantive)
                .or_else(|| numbered_order(&substantive))
                .or_else(|| order_by_heads(&substantive))
                .or_else(|| order_without_shared_end(&substantive))?,
        ),
    };
    let name = if name.is_empty() {
        scale_name(&labels)
    } else {
        name.to_string()
    };
    Some(Recognised {
        name,
        codes: own_numbers(&labels).unwrap_or_default(),
        labels,
        non_substantive: non_substantive.iter().map(|s| s.to_string()).collect(),
    })
}

/// Labels the survey numbered itself, "(0) Not a problem for me." … "(4) Critical.", in the
/// order of their numbers (reversed when the words fall as the numbers rise): three to eleven of them, numbered from 0 or 1 on whole numbers, no
/// number twice, and the words grade something. They do when one label, its number off, is a
/// rung of some scale, or when every worded label opens with a degree and the degrees climb
/// (or fall) with the numbers: "1= Not at all … 4= Very much so", "1= Not at all
/// characteristic of me … 5= Extremely characteristic of me". A scale labelled only at some
/// points writes the others as bare numbers ("1= Not at all …", "2", "3= Moderately …"); at
/// least two labels then carry words. A list of numbered options such as "1) Employed",
/// "2) Student" grades nothing.
fn numbered_order(labels: &[String]) -> Option<Vec<String>> {
    let mut numbered: Vec<(u32, Option<&str>, &String)> = labels
        .iter()
        .map(|l| numbered_point(l).map(|(n, rest)| (n, rest, l)))
        .collect::<Option<Vec<_>>>()?;
    numbered.sort_by_key(|(n, _, _)| *n);
    let worded: Vec<&str> = numbered.iter().filter_map(|(_, rest, _)| *rest).collect();
    let of_a_scale = worded
        .iter()
        .any(|rest| ladder::rung(rest).is_some_and(|r| r.family.is_some()));
    let graded = worded.len() >= 2 && (of_a_scale || degrees_follow_numbers(&worded));
    let bare_points = worded.len() < numbered.len();
    let distinct = numbered.windows(2).all(|w| w[0].0 < w[1].0);
    let (first, last) = (numbered.first()?.0, numbered.last()?.0);
    let fits = (3..=11).contains(&numbered.len()) && first <= 1 && last <= 10;
    // Bare numbers beside labels are points of the same scale only when both ends are named.
    let ends_named =
        !bare_points || (numbered[0].1.is_some() && numbered[numbered.len() - 1].1.is_some());
    // Points numbered in between two named ends ("0 - Rapide dégradation", "1" … "9", "10 -
    // Rapide amélioration"): a linear scale whose numbers order it, whatever the ends say.
    let linear = bare_points && numbered.len() >= 5 && worded.len() >= 2;
    if !((graded || linear) && distinct && fits && ends_named) {
        return None;
    }
    let mut ordered: Vec<String> = numbered.into_iter().map(|(_, _, l)| l.clone()).collect();
    // Lowest first by meaning: a survey that numbers "1 (strongly agree)" … "9 (strongly
    // disagree)" puts agreement at the top of the scale, where "agree" is counted.
    if words_fall(&worded) {
        ordered.reverse();
    }
    Some(ordered)
}

/// The numbers a scale's labels carry ("0 - Pas du tout", "1" … "10 - Totalement"), lowest
/// first, when every label has one and they rise with the scale: the survey's own codes, so a
/// mean is on the scale respondents saw (0–10), not on the labels' positions (1–11).
pub fn own_numbers(labels: &[String]) -> Option<Vec<f64>> {
    let numbers: Vec<f64> = labels
        .iter()
        .map(|l| numbered_point(l).map(|(n, _)| f64::from(n)))
        .collect::<Option<_>>()?;
    numbers.windows(2).all(|w| w[0] < w[1]).then_some(numbers)
}

/// Whether the first of labels in their numbers' order says more than the last.
fn words_fall(worded: &[&str]) -> bool {
    let (Some(first), Some(last)) = (worded.first(), worded.last()) else {
        return false;
    };
    matches!(
        (ladder::degree(first), ladder::degree(last)),
        (Some(a), Some(b)) if a > b
    )
}

/// Labels that explain themselves after a dash ("Rarely -- I know how to use Shiny, but it's
/// not part of my regular work", "Never -- I don't use Shiny."), in the order of the words
/// before it, when those alone form a scale.
fn order_by_heads(labels: &[String]) -> Option<Vec<String>> {
    // A short label with nothing to explain ("Never" before "Rarely (1-5 times)") is its own
    // head, as is a few words the ladder reads whole ("I don't use R Markdown" beside "Weekly
    // -- Between once a day and once a week"); a sentence ("Neither method was better than the
    // other for responding") is no rung.
    let heads: Vec<String> = labels
        .iter()
        .map(|l| match head_before_dash(l) {
            Some(head) => Some(head.to_string()),
            None => {
                let words = l.split_whitespace().count();
                (words <= 3 || (words <= 6 && ladder::rung(l).is_some())).then(|| l.to_string())
            }
        })
        .collect::<Option<_>>()?;
    if heads.iter().zip(labels).all(|(h, l)| h == l) {
        return None;
    }
    let ordered = ladder::order(&heads)?;
    ordered
        .iter()
        .map(|h| {
            let at = heads.iter().position(|x| x == h)?;
            Some(labels[at].clone())
        })
        .collect()
}

/// Labels that end alike ("Much more than I do", "About the same as I do", "Much less than I
/// do") or open alike ("Gained nothing" … "Gained the most"), in the order of what is left when
/// the shared words (and a comparison's "than" or "as" before them) are taken off, when that
/// forms a scale.
fn order_without_shared_end(labels: &[String]) -> Option<Vec<String>> {
    let words: Vec<Vec<&str>> = labels
        .iter()
        .map(|l| l.split_whitespace().collect())
        .collect();
    let shortest = words.iter().map(Vec::len).min()?;
    let alike =
        |part: &dyn Fn(&Vec<&str>) -> String| words.iter().all(|w| part(w) == part(&words[0]));
    let shared_end = (1..shortest)
        .take_while(|&n| alike(&|w| label_key(&w[w.len() - n..].join(" "))))
        .last()
        .unwrap_or(0);
    let shared_start = (1..shortest - shared_end)
        .take_while(|&n| alike(&|w| label_key(&w[..n].join(" "))))
        .last()
        .unwrap_or(0);
    if shared_end == 0 && shared_start == 0 {
        return None;
    }
    let heads: Vec<String> = words
        .iter()
        .map(|w| {
            let mut head = &w[shared_start..w.len() - shared_end];
            if let ([rest @ .., last], true) = (head, shared_end > 0) {
                if matches!(label_key(last).as_str(), "than" | "as" | "to") && !rest.is_empty() {
                    head = rest;
                }
            }
            head.join(" ")
        })
        .collect();
    let ordered = ladder::order(&heads)?;
    ordered
        .iter()
        .map(|h| Some(labels[heads.iter().position(|x| x == h)?].clone()))
        .collect()
}

/// A scale worded only at its ends, its other points bare numbers, as its options were shown
/// ("Very unconfident", "2", "3", "4", "Very confident": SurveyMonkey's rating with labelled
/// ends, one column per option): the numbers from 2 up without a gap between two ends that grade
/// one quality, one more than the other; lowest first. Only where the order shown is known: in
/// one column's answers, which end the numbers count from is not.
pub fn labelled_ends(shown: &[&str]) -> Option<Recognised> {
    let (non_substantive, shown): (Vec<&str>, Vec<&str>) =
        shown.iter().partition(|l| is_non_substantive(l));
    let [first, middle @ .., last] = shown.as_slice() else {
        return None;
    };
    let climbs = !middle.is_empty()
        && middle
            .iter()
            .enumerate()
            .all(|(i, n)| n.trim().parse::<usize>().ok() == Some(i + 2));
    let (low, high) = (ladder::rung(first)?, ladder::rung(last)?);
    if !climbs || low.family.is_none() || low.family != high.family || low.value == high.value {
        return None;
    }
    // Shown highest first ("Very confident", "2" … "Very unconfident"), the bare "2" would be
    // the second highest point, while an answer "2" reads as the scale's second lowest code:
    // left a choice rather than scored backwards.
    if low.value > high.value {
        return None;
    }
    let labels: Vec<String> = shown.iter().map(|l| l.to_string()).collect();
    Some(Recognised {
        name: scale_name(&labels),
        labels,
        non_substantive: non_substantive.iter().map(|s| s.to_string()).collect(),
        codes: Vec::new(),
    })
}

/// The words before a label's explaining dash (" -- ", " – ", " — ", " - "), comma ("Nunca,
/// no uso Shiny", "Rarely, when I must") or bracket ("Rarely (1-5 times per election)").
fn head_before_dash(label: &str) -> Option<&str> {
    let at = [" -- ", " – ", " — ", " - ", ", ", " ("]
        .iter()
        .filter_map(|d| label.find(d))
        .min()?;
    let head = label[..at].trim();
    (!head.is_empty()).then_some(head)
}

/// A numbered label's number and its words ("1 = Never", "No impact (0)"), or a bare whole
/// number ("2") with none.
fn numbered_point(label: &str) -> Option<(u32, Option<&str>)> {
    if let Some((n, rest)) = leading_number(label).or_else(|| trailing_number(label)) {
        return Some((n, Some(rest)));
    }
    let bare = label.trim();
    let short = !bare.is_empty() && bare.len() <= 2 && bare.bytes().all(|b| b.is_ascii_digit());
    short.then(|| bare.parse().ok().map(|n| (n, None)))?
}

/// Whether labels in their numbers' order each open with a degree ("Not at all", "Somewhat",
/// "Moderately", "Extremely" …) and the degrees rise, or fall, all the way.
fn degrees_follow_numbers(worded: &[&str]) -> bool {
    let degrees: Option<Vec<f32>> = worded.iter().map(|w| ladder::degree(w)).collect();
    let Some(degrees) = degrees else {
        return false;
    };
    let rising = degrees.windows(2).all(|w| w[0] < w[1]);
    let falling = degrees.windows(2).all(|w| w[0] > w[1]);
    rising || falling
}

/// Whether a label opens with its number ("(0) Not a problem for me.", "1 = Never").
pub fn numbered(label: &str) -> bool {
    leading_number(label).is_some()
}

/// `(0, "Not a problem for me.")` of "(0) Not a problem for me.", also "0 - …", "0. …", "0) …",
/// "0 = …", "0 (…)".
fn leading_number(label: &str) -> Option<(u32, &str)> {
    let label = label.trim_start();
    let inner = label.strip_prefix('(').unwrap_or(label);
    let digits = inner.chars().take_while(char::is_ascii_digit).count();
    if digits == 0 || digits > 2 {
        return None;
    }
    let n = inner[..digits].parse().ok()?;
    let after = inner[digits..].trim_start_matches(|c: char| c.is_whitespace());
    // "1 (strongly agree)": the label in brackets after its number.
    let bracketed = after
        .strip_prefix('(')
        .and_then(|a| a.strip_suffix(')'))
        .filter(|words| !words.contains(['(', ')']));
    let rest = if label.starts_with('(') {
        after.strip_prefix(')')?
    } else if let Some(words) = bracketed {
        words
    } else {
        after
            .strip_prefix(['.', ')', '-', '=', ':'])
            .filter(|r| r.starts_with(char::is_whitespace))?
    };
    let rest = rest.trim();
    rest.chars().any(char::is_alphabetic).then_some((n, rest))
}

/// `(0, "No impact")` of "No impact (0)": a label with its number after it, in brackets.
fn trailing_number(label: &str) -> Option<(u32, &str)> {
    let (words, number) = label.trim_end().strip_suffix(')')?.rsplit_once(" (")?;
    let short = (1..=2).contains(&number.len()) && number.bytes().all(|b| b.is_ascii_digit());
    let words = words.trim();
    (short && words.chars().any(char::is_alphabetic))
        .then(|| Some((number.parse().ok()?, words)))?
}

/// The first known scale every answer sits on (by rung, so "Neither/nor" takes the middle of
/// "Very dissatisfied … Very satisfied"), with the answers' own spellings in their places.
fn complete(answers: &[String]) -> Option<(&'static str, Vec<String>)> {
    let rungs: Vec<(ladder::Rung, &String)> = answers
        .iter()
        .map(|a| ladder::rung(a).map(|r| (r, a)))
        .collect::<Option<_>>()?;
    // "Not at all … Somewhat … Very much" grade nothing in particular: completing them from a
    // library scale would bring in another quality's words.
    if rungs.iter().all(|(r, _)| r.family.is_none()) {
        return None;
    }
    KNOWN_SCALES.iter().find_map(|(name, labels)| {
        // A library scale completes the data only where most of the data's labels are its
        // own: "Not at all … Nearly every day" must not gain frequency's "Always".
        let mut spelt: Vec<String> = labels.iter().map(|l| l.to_string()).collect();
        respell_heads(&mut spelt, answers);
        let own = answers
            .iter()
            .filter(|a| spelt.iter().any(|l| label_key(l) == label_key(a)))
            .count();
        if own * 2 < answers.len() {
            return None;
        }
        let known: Vec<ladder::Rung> = labels
            .iter()
            .map(|l| ladder::rung(l))
            .collect::<Option<_>>()?;
        let mut out: Vec<String> = labels.iter().map(|l| l.to_string()).collect();
        for (rung, answer) in &rungs {
            let at = known.iter().position(|k| {
                k.value == rung.value
                    && (k.family.is_none() || rung.family.is_none() || k.family == rung.family)
            })?;
            out[at] = answer.to_string();
        }
        respell_heads(&mut out, answers);
        // Two answers on one rung would both claim a place.
        let distinct: BTreeSet<String> = out.iter().map(|l| label_key(l)).collect();
        (distinct.len() == out.len()).then_some((*name, out))
    })
}

/// Options filled in from the library take the data's spelling of the graded word: a survey
/// that writes "Very knowledgable" gets "A little knowledgable", not the library's spelling.
fn respell_heads(labels: &mut [String], answers: &[String]) {
    let last = |l: &str| l.rsplit(' ').next().unwrap_or_default().to_string();
    for label in labels.iter_mut() {
        let word = last(label);
        let spelt = answers
            .iter()
            .map(|a| last(a))
            .find(|d| d.to_lowercase() != word.to_lowercase() && ladder::same_head(d, &word));
        if let Some(d) = spelt {
            let stem = &label[..label.len() - word.len()];
            *label = format!("{stem}{d}");
        }
    }
}

/// A short name for a scale found in the data: what it grades and how many points.
pub fn scale_name(labels: &[String]) -> String {
    let family = labels
        .iter()
        .filter_map(|l| ladder::rung(l)?.family)
        .next()
        .unwrap_or_else(|| "scale".into());
    format!("{family}{}", labels.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(answers: &[&str]) -> Option<Recognised> {
        recognise(&answers.iter().copied().collect())
    }

    /// SurveyMonkey's ratings as its expanded download spells their options (batch 8's
    /// electoral-bodies survey): ends worded and the points between bare numbers, options
    /// explained in brackets, and options numbered after their words. Expected orders and codes
    /// are the survey's own.
    #[test]
    fn scales_worded_at_their_ends_explained_or_numbered_after_are_ordered() {
        let ends = ["Very unconfident", "2", "3", "4", "Very Confident"];
        assert_eq!(labelled_ends(&ends).unwrap().labels, ends);
        // In one column's answers, which end the numbers climb from is not known.
        assert_eq!(found(&ends), None);
        let explained = found(&[
            "Sometimes (6-20 times per election)",
            "Never",
            "Very often (more than 50 times per election)",
            "Rarely (1-5 times per election)",
            "Often (21-50 times per election)",
        ])
        .unwrap();
        assert_eq!(explained.labels[0], "Never");
        assert_eq!(explained.labels[1], "Rarely (1-5 times per election)");
        assert_eq!(
            explained.labels[4],
            "Very often (more than 50 times per election)"
        );
        let numbered = found(&[
            "Moderate impact (2)",
            "No impact (0)",
            "Significant impact (3)",
            "Slight impact (1)",
            "Don't know",
        ])
        .unwrap();
        assert_eq!(numbered.labels[0], "No impact (0)");
        assert_eq!(numbered.labels[3], "Significant impact (3)");
        assert_eq!(numbered.codes, [0.0, 1.0, 2.0, 3.0]);
        assert_eq!(numbered.non_substantive, ["Don't know"]);
        // The R community survey (batch 4, Google Forms): periods explained after a dash,
        // beside a few words the ladder reads whole; a sentence is still no rung.
        let periods = found(&[
            "Weekly -- Between once a day and once a week",
            "Occasionally -- less than once a month",
            "Monthly -- between once a week and once a month",
            "Daily -- Once or more per day",
            "I don't use R Markdown",
        ])
        .unwrap();
        assert_eq!(periods.labels[0], "I don't use R Markdown");
        assert_eq!(periods.labels[1], "Occasionally -- less than once a month");
        assert_eq!(periods.labels[4], "Daily -- Once or more per day");
        assert!(found(&[
            "Yes, I was able to give better responses using the grid.",
            "No, I think I was able to give better responses using the traditional scale.",
            "Neither method was better than the other for responding.",
        ])
        .is_none());
        // Batch 10's language-learning survey: seven frequencies, "Infrequently" beside
        // "Rarely".
        let seven = found(&[
            "Often",
            "Never",
            "Very Often",
            "Infrequently",
            "Sometimes",
            "Rarely",
            "Occasionally",
        ])
        .unwrap();
        assert_eq!(
            seven.labels,
            [
                "Never",
                "Rarely",
                "Infrequently",
                "Occasionally",
                "Sometimes",
                "Often",
                "Very Often"
            ]
        );
        // Batch 8's KoboToolbox exit interviews: each question drew answers from one end of
        // the humanitarian feedback scale only, beside "No answer".
        let one_end = found(&["Yes completely", "Mostly yes", "No answer"]).unwrap();
        assert_eq!(
            one_end.labels,
            ["Not at all", "Not really", "Mostly yes", "Yes completely"]
        );
        assert_eq!(one_end.non_substantive, ["No answer"]);
        // Ends of two different qualities, a gap in the numbers, and bands of a quantity are
        // no scale.
        assert!(labelled_ends(&["Very unconfident", "2", "3", "Very satisfied"]).is_none());
        assert!(labelled_ends(&["Very unconfident", "2", "4", "Very confident"]).is_none());
        assert!(labelled_ends(&["Very confident", "2", "3", "Very unconfident"]).is_none());
        assert_eq!(
            found(&[
                "Less than 10 hours",
                "10-50 hours (most)",
                "More than 50 hours"
            ]),
            None
        );
    }

    /// Standard scales a reader orders at sight (quality, change, comparison, Qualtrics'
    /// likelihood, the SF-36's "of the time", severity grades, the Jupyter 2020 survey's
    /// numbered problems beside an explained non-answer), lowest first, the non-answers set
    /// aside. Expected orders are the scales' own, as the tools and instruments print them.
    #[test]
    fn standard_scales_of_likelihood_time_and_severity_are_ordered() {
        let cases: [(&[&str], &[&str], &[&str]); 8] = [
            (
                &["OK", "Excellent", "Bad", "Horrible", "Good"],
                &["Horrible", "Bad", "OK", "Good", "Excellent"],
                &[],
            ),
            (
                &[
                    "About the same",
                    "Much better",
                    "Somewhat worse",
                    "Much worse",
                    "Somewhat better",
                ],
                &[
                    "Much worse",
                    "Somewhat worse",
                    "About the same",
                    "Somewhat better",
                    "Much better",
                ],
                &[],
            ),
            (
                &[
                    "Much more",
                    "A little less",
                    "Much less",
                    "About the same",
                    "A little more",
                    "Don't know",
                ],
                &[
                    "Much less",
                    "A little less",
                    "About the same",
                    "A little more",
                    "Much more",
                ],
                &["Don't know"],
            ),
            (
                &[
                    "Probably will",
                    "Definitely will not",
                    "Might or might not",
                    "Definitely will",
                    "Probably will not",
                ],
                &[
                    "Definitely will not",
                    "Probably will not",
                    "Might or might not",
                    "Probably will",
                    "Definitely will",
                ],
                &[],
            ),
            (
                &[
                    "Some of the time",
                    "All of the time",
                    "None of the time",
                    "A little of the time",
                    "Most of the time",
                    "A good bit of the time",
                ],
                &[
                    "None of the time",
                    "A little of the time",
                    "Some of the time",
                    "A good bit of the time",
                    "Most of the time",
                    "All of the time",
                ],
                &[],
            ),
            (
                &[
                    "Major problem",
                    "Not a problem",
                    "Severe problem",
                    "Minor problem",
                    "Moderate problem",
                ],
                &[
                    "Not a problem",
                    "Minor problem",
                    "Moderate problem",
                    "Major problem",
                    "Severe problem",
                ],
                &[],
            ),
            (
                &["Severe", "None", "Moderate", "Mild", "Very severe"],
                &["None", "Mild", "Moderate", "Severe", "Very severe"],
                &[],
            ),
            (
                &[
                    "(3) Major.",
                    "(0) Not a problem for me.",
                    "N/A - skip, don't know.",
                    "(1)\u{a0}Trivial.",
                    "(4) Critical.",
                    "(2) Minor.",
                ],
                &[
                    "(0) Not a problem for me.",
                    "(1)\u{a0}Trivial.",
                    "(2) Minor.",
                    "(3) Major.",
                    "(4) Critical.",
                ],
                &["N/A - skip, don't know."],
            ),
        ];
        for (answers, labels, non_answers) in cases {
            let r = found(answers).unwrap_or_else(|| panic!("{answers:?}"));
            assert_eq!(r.labels, labels);
            assert_eq!(r.non_substantive, non_answers);
        }
        // A non-answer explains itself after a dash, a slash or a colon; an answer that only
        // starts like one does not.
        assert!(is_non_substantive("I don't know / NA"));
        assert!(is_non_substantive("Not applicable: I never used it"));
        assert!(!is_non_substantive("Nassau - the north shore"));
        assert!(!is_non_substantive("No - never"));
    }

    #[test]
    fn completes_a_known_scale_with_the_datas_own_labels() {
        // LimeSurvey N2 writes the middle of its satisfaction scale as "Neither/nor".
        let r = found(&[
            "Very satisfied",
            "Neither/nor",
            "Very dissatisfied",
            "Does not apply",
        ])
        .unwrap();
        assert_eq!(r.name, "satisfaction5");
        assert_eq!(
            r.labels,
            [
                "Very dissatisfied",
                "Dissatisfied",
                "Neither/nor",
                "Satisfied",
                "Very satisfied"
            ]
        );
        assert_eq!(r.non_substantive, ["Does not apply"]);
        let r = found(&["AGREE", "strongly agree", "Disagree", "Don't know"]).unwrap();
        assert_eq!(r.name, "agree5");
        assert_eq!(r.labels[3], "AGREE");
    }

    #[test]
    fn numbers_between_two_named_ends_are_a_linear_scale() {
        // Batch 5's French LimeSurvey barometer (cpesr): 0 to 10, the ends and the middle
        // named in words no ladder knows, "NA" beside them.
        let mut answers = vec![
            "0 - Rapide dégradation",
            "5 - Stable",
            "10 - Rapide amélioration",
            "NA",
        ];
        let bare = ["1", "2", "3", "4", "6", "7", "8", "9"];
        answers.extend(bare);
        let r = found(&answers).unwrap();
        assert_eq!(r.labels.len(), 11);
        assert_eq!(r.labels[0], "0 - Rapide dégradation");
        assert_eq!(r.labels[10], "10 - Rapide amélioration");
        assert_eq!(r.non_substantive, ["NA"]);
        // Scored on the numbers respondents saw, 0 to 10, not on positions 1 to 11.
        let own: Vec<f64> = (0..=10).map(f64::from).collect();
        assert_eq!(r.codes, own);
        // Numbers that fall as the words rise are the survey's order, not the scale's: the
        // positions score it, so that a higher code is always more.
        let falling = found(&[
            "1 (strongly agree)",
            "2 (agree)",
            "3 (neither agree nor disagree)",
            "4 (disagree)",
            "5 (strongly disagree)",
        ])
        .unwrap();
        assert_eq!(falling.labels[0], "5 (strongly disagree)");
        assert!(falling.codes.is_empty());
        // Words alone: positions.
        assert!(found(&["Agree", "Disagree", "Neutral"])
            .unwrap()
            .codes
            .is_empty());
        // Numbered options with nothing bare between them are a list, not a scale.
        assert!(found(&[
            "1) Employed",
            "2) Student",
            "3) Retired",
            "4) Other",
            "5) Unemployed"
        ])
        .is_none());
    }

    /// Labels that explain themselves after a comma, that end alike, or that rank a period
    /// against another; and non-answers that say the thing asked about is unknown. Expected
    /// orders read off the labels by hand (the batch 3 and 5 exports these shapes come from:
    /// the Spanish R community survey, Tampa Bay's community survey, cpesr's barometer).
    #[test]
    fn labels_that_explain_themselves_or_end_alike_are_ordered_by_what_differs() {
        let r = found(&[
            "A veces, uso o construyo aplicaciones ocasionalmente",
            "Nunca, no uso Shiny",
            "Con frecuencia, uso o construyo aplicaciones a menudo",
            "Raramente, sé cómo usarlo, pero no es parte de mi trabajo",
            "No sé qué es Shiny",
        ])
        .unwrap();
        let heads: Vec<&str> = r
            .labels
            .iter()
            .map(|l| l.split(',').next().unwrap())
            .collect();
        assert_eq!(heads, ["Nunca", "Raramente", "A veces", "Con frecuencia"]);
        assert_eq!(r.non_substantive, ["No sé qué es Shiny"]);
        let r = found(&[
            "About the same as I do",
            "Much less than I do",
            "A little more than I do",
            "Much more than I do",
            "A little less than I do",
        ])
        .unwrap();
        assert_eq!(
            r.labels,
            [
                "Much less than I do",
                "A little less than I do",
                "About the same as I do",
                "A little more than I do",
                "Much more than I do"
            ]
        );
        let r = found(&["Weekly", "Less often than monthly", "Daily", "Monthly"]).unwrap();
        assert_eq!(
            r.labels,
            ["Less often than monthly", "Monthly", "Weekly", "Daily"]
        );
        let mut answers = vec!["0 - Pas du tout", "10 - Totalement", "Ne connais pas"];
        answers.extend(["1", "2", "3", "4", "5", "6", "7", "8", "9"]);
        let r = found(&answers).unwrap();
        assert_eq!(r.labels.len(), 11);
        assert_eq!(r.non_substantive, ["Ne connais pas"]);
        // Labels that share only their last words and grade nothing stay unordered.
        assert!(found(&["Red like me", "Blue like me", "Green like me"]).is_none());
        // Labels that open alike (batch 7's Typeform community survey), and "useless" as the
        // other side of "useful".
        let r = found(&[
            "Gained some",
            "Gained the most",
            "Gained nothing",
            "Gained  a lot",
            "Gained a little",
        ])
        .unwrap();
        assert_eq!(
            r.labels,
            [
                "Gained nothing",
                "Gained a little",
                "Gained some",
                "Gained  a lot",
                "Gained the most"
            ]
        );
        let r = found(&[
            "Somewhat useful",
            "Neutral",
            "Very useful",
            "Somewhat useless",
            "Very useless",
        ])
        .unwrap();
        assert_eq!(
            r.labels,
            [
                "Very useless",
                "Somewhat useless",
                "Neutral",
                "Somewhat useful",
                "Very useful"
            ]
        );
        assert!(found(&["Go to school", "Go to work", "Go to sleep"]).is_none());
    }

    #[test]
    fn orders_scales_in_other_languages_by_their_words() {
        let lowest = |answers: &[&str]| found(answers).map(|r| r.labels[0].clone());
        let cases: &[(&[&str], &str)] = &[
            (
                &[
                    "De acuerdo",
                    "Totalmente en desacuerdo",
                    "Totalmente de acuerdo",
                    "En desacuerdo",
                    "Ni de acuerdo ni en desacuerdo",
                ],
                "Totalmente en desacuerdo",
            ),
            (
                &["Experto", "Inicial", "Sin experiencia", "Intermedio"],
                "Sin experiencia",
            ),
            (
                &["Semanal", "Diariamente", "Ocasionalmente", "Mensual"],
                "Ocasionalmente",
            ),
            (&["A veces", "Nunca", "Siempre", "Ocasionalmente"], "Nunca"),
            (
                &[
                    "Tout à fait d'accord",
                    "Plutôt d'accord",
                    "Pas du tout d'accord",
                ],
                "Pas du tout d'accord",
            ),
            (
                &[
                    "Stimme voll zu",
                    "Stimme eher zu",
                    "Stimme gar nicht zu",
                    "Teils/teils",
                ],
                "Stimme gar nicht zu",
            ),
            (
                &["Concordo totalmente", "Concordo", "Discordo totalmente"],
                "Discordo totalmente",
            ),
            (
                &["Molto soddisfatto", "Soddisfatto", "Per niente soddisfatto"],
                "Per niente soddisfatto",
            ),
            (
                &[
                    "Helemaal mee eens",
                    "Mee eens",
                    "Helemaal mee oneens",
                    "Neutraal",
                ],
                "Helemaal mee oneens",
            ),
        ];
        for (answers, first) in cases {
            assert_eq!(lowest(answers).as_deref(), Some(*first), "{answers:?}");
        }
        // In "Sometimes … Always", Ocasionalmente sits above Rara vez.
        let r = found(&["Rara vez", "Ocasionalmente", "A menudo", "Nunca"]).unwrap();
        assert_eq!(
            r.labels,
            ["Nunca", "Rara vez", "Ocasionalmente", "A menudo"]
        );
    }

    #[test]
    fn orders_scales_the_library_does_not_hold() {
        let r = found(&[
            "Fully aware",
            "Somewhat aware",
            "Rather not aware",
            "Not aware at all",
        ])
        .unwrap();
        assert_eq!(r.name, "aware4");
        assert_eq!(r.labels[0], "Not aware at all");
        assert!(found(&["Yes", "No", "I don’t know"]).is_none());
        // SurveyMonkey's favourability grid: "(N/A)" marks the answer that is no opinion.
        let r = found(&[
            "Very favorably",
            "Somewhat favorably",
            "Somewhat unfavorably",
            "Very unfavorably",
            "Unfamiliar (N/A)",
        ])
        .unwrap();
        assert_eq!(r.labels[0], "Very unfavorably");
        assert_eq!(r.labels[3], "Very favorably");
        assert_eq!(r.non_substantive, ["Unfamiliar (N/A)"]);
        assert!(found(&["Woman", "Man", "Other"]).is_none());
    }
}
