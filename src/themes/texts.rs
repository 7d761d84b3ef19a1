//! Each distinct comment text analysed once: whether it says anything, its terms, its redacted
//! form and its sentiment. Surveys repeat answers word for word ("n/a", "More staff", "Nothing",
//! and the stock phrases of large exports), and every step here is a function of the text
//! alone, so a repeated answer costs one hash lookup instead of tokenising, redacting and
//! scoring it again. Results are the same as analysing every comment on its own.

use super::redact::Redactor;
use super::sentiment;
use super::tokenize::{self, Term, Tokenizer};
use super::Comment;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

/// What the stage needs to know of one distinct text.
#[derive(Debug, Clone, PartialEq)]
pub struct Analysed {
    /// Not a non-answer ("n/a", "nothing").
    pub substantive: bool,
    /// Unigram and bigram terms (empty for a non-answer).
    pub terms: Vec<Term>,
    /// The trimmed text, redacted: what any output shows of it.
    pub redacted: String,
    /// Survey-adjusted sentiment, when a direction was given.
    pub sentiment: Option<f64>,
}

impl AsRef<[Term]> for Analysed {
    fn as_ref(&self) -> &[Term] {
        &self.terms
    }
}

/// The distinct texts of the comments and, for each comment, which one it is.
pub struct Texts {
    /// Each distinct text, analysed once, in order of first appearance.
    pub distinct: Vec<Analysed>,
    /// Per comment: an index into `distinct`.
    pub of: Vec<u32>,
}

impl Texts {
    /// Analyses the comments' distinct texts in parallel (each independently, so the result does
    /// not depend on the thread count).
    pub fn analyse(
        comments: &[&Comment],
        tokenizer: &Tokenizer,
        redactor: &Redactor,
        direction: Option<sentiment::Direction>,
    ) -> Texts {
        let mut index: FxHashMap<&str, u32> = FxHashMap::default();
        let mut unique: Vec<&str> = Vec::new();
        let of = comments
            .iter()
            .map(|c| {
                *index.entry(c.text.as_str()).or_insert_with(|| {
                    unique.push(&c.text);
                    (unique.len() - 1) as u32
                })
            })
            .collect();
        drop(index);
        let distinct = unique
            .par_iter()
            .map(|text| {
                let substantive = !tokenize::is_non_substantive(text);
                Analysed {
                    substantive,
                    terms: if substantive {
                        tokenizer.terms(text)
                    } else {
                        Vec::new()
                    },
                    redacted: redactor.redact(text.trim()),
                    sentiment: direction.map(|d| sentiment::score(text, d)),
                }
            })
            .collect();
        Texts { distinct, of }
    }

    /// Counts every comment as substantive: when the coders gave a theme to an answer the
    /// rules call a non-answer ("Nothing." to "what could we improve?" is praise), their
    /// reading of the question overrides the rules.
    pub fn all_substantive(&mut self, comments: &[&Comment], tokenizer: &Tokenizer) {
        for (i, c) in comments.iter().enumerate() {
            let a = &mut self.distinct[self.of[i] as usize];
            if !a.substantive {
                a.substantive = true;
                a.terms = tokenizer.terms(&c.text);
            }
        }
    }

    /// The analysis of comment `i`.
    pub fn of(&self, i: usize) -> &Analysed {
        &self.distinct[self.of[i] as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_texts_are_analysed_once_and_shared() {
        let c = crate::themes::test_comments(&[
            "More staff",
            "n/a",
            "More staff",
            "Call Ann on 07700 900123",
        ]);
        let refs: Vec<&Comment> = c.iter().collect();
        let tokenizer = Tokenizer::new("english").unwrap();
        let redactor = Redactor::new(&["Ann".to_string()]).unwrap();
        let t = Texts::analyse(&refs, &tokenizer, &redactor, None);
        assert_eq!(t.of, [0, 1, 0, 2]);
        assert_eq!(t.distinct.len(), 3);
        assert!(t.of(0).substantive && !t.of(1).substantive);
        assert!(t.of(1).terms.is_empty());
        // Each comment's analysis is the one the comment would get on its own.
        for (i, comment) in c.iter().enumerate() {
            assert_eq!(t.of(i).redacted, redactor.redact(comment.text.trim()));
            assert_eq!(
                t.of(i).substantive,
                !tokenize::is_non_substantive(&comment.text)
            );
        }
        assert!(!t.of(3).redacted.contains("07700") && !t.of(3).redacted.contains("Ann"));
        assert_eq!(t.of(0).sentiment, None);
        let d = sentiment::Direction::Open;
        let with = Texts::analyse(&refs, &tokenizer, &redactor, Some(d));
        assert_eq!(
            with.of(2).sentiment,
            Some(sentiment::score("More staff", d))
        );
    }
}
