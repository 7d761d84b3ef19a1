//! Each distinct comment text analysed once: whether it says anything, its terms, its redacted
//! form and its sentiment. Surveys repeat answers word for word ("n/a", "More staff", "Nothing",
//! and the stock phrases of large exports), and every step here is a function of the text
//! alone, so a repeated answer costs one hash lookup instead of tokenising, redacting and
//! scoring it again. Results are the same as analysing every comment on its own.
//!
//! A text's terms are not kept: as strings they were most of a large wave's memory (about 2 KB
//! per comment), and each step that needs them (codebook matching, the fitting sample, the
//! assignment of the other comments) makes them from the text when it needs them.

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
    /// The trimmed text, redacted, when redaction changed it (most texts name nobody, and a
    /// copy of each would double the memory a large wave's texts take); see `Texts::redacted`.
    changed: Option<Box<str>>,
    /// Survey-adjusted sentiment, when a direction was given.
    pub sentiment: Option<f64>,
}

/// The distinct texts of the comments and, for each comment, which one it is.
pub struct Texts<'a> {
    /// Each distinct text, analysed once, in order of first appearance.
    pub distinct: Vec<Analysed>,
    /// The comments, in the order given.
    pub comments: Vec<&'a Comment>,
    /// Each distinct text's first comment, in `distinct`'s order (a comment's text, not a
    /// second pointer to it: a national survey has millions of distinct texts).
    first: Vec<u32>,
    /// Per comment: an index into `distinct`.
    pub of: Vec<u32>,
}

impl<'a> Texts<'a> {
    /// Analyses the comments' distinct texts in parallel (each independently, so the result does
    /// not depend on the thread count).
    pub fn analyse(
        comments: Vec<&'a Comment>,
        redactor: &Redactor,
        direction: Option<sentiment::Direction>,
    ) -> Texts<'a> {
        let mut index: FxHashMap<&str, u32> = FxHashMap::default();
        let mut first: Vec<u32> = Vec::new();
        let of = (comments.iter().enumerate())
            .map(|(i, c)| {
                *index.entry(c.text.as_str()).or_insert_with(|| {
                    first.push(i as u32);
                    (first.len() - 1) as u32
                })
            })
            .collect();
        drop(index);
        let distinct = first
            .par_iter()
            .map(|&i| {
                let text = comments[i as usize].text.as_str();
                let trimmed = text.trim();
                let redacted = redactor.redact(trimmed);
                Analysed {
                    substantive: !tokenize::is_non_substantive(text),
                    changed: (redacted != trimmed).then(|| redacted.into_boxed_str()),
                    sentiment: direction.map(|d| sentiment::score(text, d)),
                }
            })
            .collect();
        Texts {
            distinct,
            comments,
            first,
            of,
        }
    }

    /// Counts every comment as substantive: when the coders gave a theme to an answer the
    /// rules call a non-answer ("Nothing." to "what could we improve?" is praise), their
    /// reading of the question overrides the rules.
    pub fn all_substantive(&mut self) {
        for a in &mut self.distinct {
            a.substantive = true;
        }
    }

    /// Distinct text `t` as it is tokenised; `None` for a non-answer, which has no terms.
    pub fn to_tokenise(&self, t: usize) -> Option<&str> {
        self.distinct[t].substantive.then(|| self.raw(t))
    }

    /// Distinct text `t`'s unigram and bigram terms (none for a non-answer).
    pub fn terms(&self, t: usize, tokenizer: &Tokenizer) -> Vec<Term> {
        if self.distinct[t].substantive {
            tokenizer.terms(self.raw(t))
        } else {
            Vec::new()
        }
    }

    /// Distinct text `t`, trimmed and redacted: what any output shows of it.
    pub fn redacted(&self, t: usize) -> &str {
        self.distinct[t]
            .changed
            .as_deref()
            .unwrap_or_else(|| self.raw(t).trim())
    }

    /// Distinct text `t` as written.
    fn raw(&self, t: usize) -> &'a str {
        &self.comments[self.first[t] as usize].text
    }

    /// The analysis of comment `i`.
    pub fn of(&self, i: usize) -> &Analysed {
        &self.distinct[self.of[i] as usize]
    }

    /// What is left to read once every quote and term is made: each comment's analysis, without
    /// the comments (a pointer each, which would be held beside every assignment).
    pub fn into_analysis(self) -> Analysis {
        Analysis {
            distinct: self.distinct,
            of: self.of,
        }
    }
}

/// Each comment's analysis, the comments let go of (`Texts::into_analysis`).
pub struct Analysis {
    /// Each distinct text, analysed once.
    pub distinct: Vec<Analysed>,
    /// Per comment: an index into `distinct`.
    pub of: Vec<u32>,
}

impl Analysis {
    /// Distinct text `t` redacted, when redaction changed it.
    pub fn redacted_copy(&self, t: usize) -> Option<String> {
        self.distinct[t].changed.as_deref().map(str::to_string)
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
        let t = Texts::analyse(refs.clone(), &redactor, None);
        assert_eq!(t.of, [0, 1, 0, 2]);
        assert_eq!(t.distinct.len(), 3);
        assert!(t.of(0).substantive && !t.of(1).substantive);
        assert!(t.terms(t.of[1] as usize, &tokenizer).is_empty());
        assert_eq!(t.terms(0, &tokenizer), tokenizer.terms("More staff"));
        // Each comment's analysis is the one the comment would get on its own.
        for (i, comment) in c.iter().enumerate() {
            let redacted = t.redacted(t.of[i] as usize);
            assert_eq!(redacted, redactor.redact(comment.text.trim()));
            assert_eq!(
                t.of(i).substantive,
                !tokenize::is_non_substantive(&comment.text)
            );
        }
        assert!(!t.redacted(2).contains("07700") && !t.redacted(2).contains("Ann"));
        assert_eq!(
            t.distinct[0].changed, None,
            "an unchanged text is not copied"
        );
        assert_eq!(t.of(0).sentiment, None);
        let d = sentiment::Direction::Open;
        let with = Texts::analyse(refs, &redactor, Some(d));
        assert_eq!(
            with.of(2).sentiment,
            Some(sentiment::score("More staff", d))
        );
    }
}
