//! Comments as varied as real ones, so that the themes stage is measured on what users' exports
//! cost: sentences put together from word banks (thousands of different sentences, a vocabulary
//! of several hundred words), lengths from a one-word "n/a" to a paragraph, misspellings, and
//! the codebook's phrases in about half of them so that themes have something to find.

use super::{capitalise, Rng};

/// Short answers real open questions get ("n/a", "Nothing"): some substantive, most not.
const SHORT: &[&str] = &[
    "n/a",
    "N/A",
    "Nothing.",
    "nothing really",
    "No comment",
    "None",
    "Not sure",
    "See above.",
    "All good",
    "-",
    "Too early to tell",
    "Good",
    "More time",
    "Less paperwork",
];

/// Who or what a sentence is about.
const SUBJECTS: &[&str] = &[
    "the staff",
    "our team",
    "the senior leaders",
    "the teaching assistants",
    "the new teachers",
    "the pupils",
    "parents",
    "the governors",
    "my department",
    "the coaching",
    "the training",
    "the programme",
    "the data analysis",
    "target setting",
    "lesson planning",
    "the marking policy",
    "communication",
    "the online module",
    "the cluster meetings",
    "the workshops",
    "our planning",
    "the timetable",
    "the school improvement plan",
    "the feedback from coaches",
    "staff morale",
    "the workload",
];

/// What happened to it (for "what has changed") …
const CHANGES: &[&str] = &[
    "has improved a lot",
    "is much more focused",
    "feels more organised",
    "has become more collaborative",
    "got noticeably better",
    "is clearer than before",
    "has not really changed",
    "is more consistent across classes",
    "takes more time than it used to",
    "became harder to manage",
    "seems more joined up",
    "is discussed at every meeting now",
    "is taken more seriously",
    "has slipped since the autumn",
    "is finally making sense",
];

/// … and what should happen to it (for "what should change").
const WISHES: &[&str] = &[
    "should be simpler",
    "needs more time",
    "could be better organised",
    "would work better after school",
    "needs clearer deadlines",
    "should include everyone",
    "must be shared earlier",
    "could be shorter",
    "needs more support from leaders",
    "should be less rushed",
    "would benefit from more examples",
    "needs to be followed up",
    "should start earlier in the year",
    "could use fewer forms",
];

/// How a sentence may end.
const TAILS: &[&str] = &[
    "",
    "",
    "",
    " this year",
    " since the launch",
    " in my view",
    " for most of us",
    " in key stage 2",
    " compared with last term",
    " which is a relief",
    " but it is early days",
    " and people have noticed",
    " although not everywhere",
    " thanks to the coaches",
];

/// How a sentence may begin.
const OPENERS: &[&str] = &[
    "",
    "",
    "",
    "",
    "I think ",
    "To be honest ",
    "Overall ",
    "In our school ",
    "For me ",
    "Generally ",
    "Sadly ",
    "So far ",
    "Personally I feel ",
    "As a teacher I find ",
    "From what I see ",
];

/// Sentences that carry a codebook phrase.
const THEMED: &[&str] = &[
    "We keep running into {} every week",
    "The {} is still the biggest problem for us",
    "Less {} would make a real difference",
    "We have noticed more {} this term",
    "Something has to be done about {}",
    "Honestly {} gets in the way of everything else",
    "I worry about {} for the rest of the year",
    "There is a lot of talk about {}",
    "{} came up again at the staff meeting",
];

/// A comment to open question `question` (0 is "what has changed"; the others "what should
/// change"), using the codebook's `phrases` in about half of the comments.
pub(super) fn comment(question: usize, phrases: &[String], rng: &mut Rng) -> String {
    if rng.unit() < 0.08 {
        return SHORT[rng.below(SHORT.len())].to_string();
    }
    let predicates = if question == 0 { CHANGES } else { WISHES };
    // One to eight sentences, most of them one or two: real comments' lengths are skewed.
    let mut n = 1;
    while n < 8 && rng.unit() < 0.42 {
        n += 1;
    }
    let themed_at = (!phrases.is_empty() && rng.unit() < 0.5).then(|| rng.below(n));
    let mut sentences = Vec::with_capacity(n);
    for i in 0..n {
        let sentence = if themed_at == Some(i) {
            let phrase = &phrases[rng.below(phrases.len())];
            format!(
                "{}{}{}",
                OPENERS[rng.below(OPENERS.len())],
                THEMED[rng.below(THEMED.len())].replace("{}", phrase),
                TAILS[rng.below(TAILS.len())]
            )
        } else {
            format!(
                "{}{} {}{}",
                OPENERS[rng.below(OPENERS.len())],
                SUBJECTS[rng.below(SUBJECTS.len())],
                predicates[rng.below(predicates.len())],
                TAILS[rng.below(TAILS.len())]
            )
        };
        let end = if rng.unit() < 0.1 { "!" } else { "." };
        sentences.push(format!("{}{end}", capitalise(&misspelt(&sentence, rng))));
    }
    let text = sentences.join(" ");
    // Some people write without capitals or full stops.
    if rng.unit() < 0.1 {
        text.to_lowercase().replace('.', "")
    } else {
        text
    }
}

/// `sentence` with about one word in forty mistyped: two letters swapped, one dropped or one
/// doubled, as people type.
fn misspelt(sentence: &str, rng: &mut Rng) -> String {
    let words: Vec<String> = sentence
        .split(' ')
        .map(|w| {
            let chars: Vec<char> = w.chars().collect();
            if chars.len() < 4 || rng.unit() >= 0.025 {
                return w.to_string();
            }
            let at = 1 + rng.below(chars.len() - 2);
            let mut c = chars.clone();
            match rng.below(3) {
                0 => c.swap(at, at + 1),
                1 => {
                    c.remove(at);
                }
                _ => c.insert(at, chars[at]),
            }
            c.into_iter().collect()
        })
        .collect();
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn comments_vary_in_words_and_length_and_carry_the_codebook() {
        let mut rng = Rng::new(7, 1, 0);
        let phrases = vec!["workload".to_string(), "staff morale".to_string()];
        let comments: Vec<String> = (0..2000).map(|_| comment(0, &phrases, &mut rng)).collect();
        let distinct: BTreeSet<&String> = comments.iter().collect();
        assert!(distinct.len() > 1700, "{} distinct", distinct.len());
        let words: BTreeSet<String> = comments
            .iter()
            .flat_map(|c| c.split_whitespace().map(|w| w.to_lowercase()))
            .collect();
        assert!(words.len() > 300, "{} words", words.len());
        let lengths: Vec<usize> = comments
            .iter()
            .map(|c| c.split_whitespace().count())
            .collect();
        assert!(lengths.iter().any(|&l| l <= 2) && lengths.iter().any(|&l| l >= 40));
        let themed = comments
            .iter()
            .filter(|c| c.to_lowercase().contains("workload"))
            .count();
        assert!(themed > 200, "{themed}");
    }
}
