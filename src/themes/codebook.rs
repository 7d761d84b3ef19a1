//! Deductive coding: themes defined up front in the survey (a name and the phrases that signal
//! it). A comment is coded to every theme one of whose phrases it contains, after stemming, so
//! "marking" codes "marked" and "improved marking policy" alike. Evaluation teams use it to code
//! each wave with the same themes: write wave 1's themes into the codebook, and wave 2 is coded
//! with them, with anything new left for clustering.

use super::tokenize::{Term, Tokenizer};
use rustc_hash::FxHashSet;

// Defined with the survey that holds it, so that config/ does not import themes/.
pub use crate::config::survey::{CodebookEntry, CodebookExample};

/// Codebook phrases reduced to stem sets.
pub struct Codebook {
    themes: Vec<Vec<Vec<String>>>,
}

impl Codebook {
    /// Stems each entry's phrases with `tokenizer`, so a comment matches whatever inflection it
    /// uses.
    pub fn new(entries: &[CodebookEntry], tokenizer: &Tokenizer) -> Codebook {
        Codebook {
            themes: entries
                .iter()
                .map(|e| {
                    e.phrases
                        .iter()
                        .map(|p| unigrams(&tokenizer.terms(p)))
                        .filter(|stems| !stems.is_empty())
                        .collect()
                })
                .collect(),
        }
    }

    /// Codebook theme indices a comment matches, and how many phrases it matched in all.
    pub fn matches(&self, terms: &[Term]) -> (Vec<usize>, usize) {
        if self.themes.is_empty() {
            return (Vec::new(), 0);
        }
        let have: FxHashSet<&str> = terms
            .iter()
            .filter(|t| !t.key.contains(' '))
            .map(|t| t.key.as_str())
            .collect();
        self.matches_stems(&have)
    }

    /// As [`Codebook::matches`] on `text`'s terms, tokenising it as it goes (no string per
    /// term: the codebook reads every distinct comment of a national survey); `None` is a
    /// non-answer, which has no terms.
    pub fn matches_text(&self, text: Option<&str>, tokenizer: &Tokenizer) -> (Vec<usize>, usize) {
        if self.themes.is_empty() {
            return (Vec::new(), 0);
        }
        // The unigrams' stems end to end, and where each ends.
        let (mut stems, mut ends) = (String::new(), Vec::new());
        if let Some(text) = text {
            tokenizer.for_each_term(text, |key, _| {
                if !key.contains(' ') {
                    stems.push_str(key);
                    ends.push(stems.len());
                }
            });
        }
        let have: FxHashSet<&str> = (ends.iter().scan(0, |start, &end| {
            let stem = &stems[*start..end];
            *start = end;
            Some(stem)
        }))
        .collect();
        self.matches_stems(&have)
    }

    /// The themes one of whose phrases' stems are all in `have`, and the phrases matched.
    fn matches_stems(&self, have: &FxHashSet<&str>) -> (Vec<usize>, usize) {
        let mut themes = Vec::new();
        let mut hits = 0;
        for (i, phrases) in self.themes.iter().enumerate() {
            let n = phrases
                .iter()
                .filter(|p| p.iter().all(|s| have.contains(s.as_str())))
                .count();
            if n > 0 {
                themes.push(i);
                hits += n;
            }
        }
        (themes, hits)
    }
}

fn unigrams(terms: &[Term]) -> Vec<String> {
    terms
        .iter()
        .filter(|t| !t.key.contains(' '))
        .map(|t| t.key.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_match_after_stemming_and_are_multi_label() {
        let t = Tokenizer::new("english").unwrap();
        let book = Codebook::new(
            &[
                CodebookEntry {
                    theme: "Workload".into(),
                    phrases: vec!["workload".into(), "extra meetings".into()],
                    examples: Vec::new(),
                },
                CodebookEntry {
                    theme: "Marking".into(),
                    phrases: vec!["marking".into()],
                    examples: Vec::new(),
                },
            ],
            &t,
        );
        assert_eq!(
            book.matches(&t.terms("Meetings were extra long and marked work piled up")),
            (vec![0, 1], 2)
        );
        assert_eq!(book.matches(&t.terms("The workload is heavy")).0, vec![0]);
        for text in [
            "Meetings were extra long and marked work piled up",
            "More meetings",
            "-",
        ] {
            assert_eq!(
                book.matches_text(Some(text), &t),
                book.matches(&t.terms(text))
            );
        }
        assert_eq!(book.matches_text(None, &t), (Vec::new(), 0));
        assert!(
            book.matches(&t.terms("More meetings")).0.is_empty(),
            "a phrase needs all its words"
        );
    }
}
