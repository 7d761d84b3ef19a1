//! Text preparation: Unicode normalisation (NFKC) and case folding, words on Unicode word
//! boundaries, stop words, stemming with rust-stemmers, and bigrams of adjacent content words so
//! that "target setting" and "staff morale" survive as terms. Each term remembers the surface
//! form it was written in, so labels read "target-setting", not "target set".

// The language names live with the configuration that is checked against them.
pub use crate::config::language::{stemmer_for, LANGUAGES};
use rust_stemmers::Stemmer;
use rustc_hash::FxHashSet;
use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};
use unicode_segmentation::UnicodeSegmentation;

/// A term of a comment (a stem, or two stems joined by a space) and how it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// The stem (or two stems joined by a space): what comments are compared on.
    pub key: String,
    /// The term as the comment wrote it, for key words and labels.
    pub surface: String,
}

/// Whether `word` (lower case) is on English's stop word list.
pub fn is_english_stop_word(word: &str) -> bool {
    static STOP: std::sync::OnceLock<FxHashSet<&'static str>> = std::sync::OnceLock::new();
    STOP.get_or_init(|| {
        crate::config::language::stop_words(rust_stemmers::Algorithm::English)
            .map(|words| words.lines().collect())
            .unwrap_or_default()
    })
    .contains(word)
}

/// Splits comments into stemmed terms and bigrams, without stop words (English's list) unless asked
/// to keep them. Holds a per-thread stem cache, so build one per run.
pub struct Tokenizer {
    /// Which language's stems the per-thread cache holds.
    language: u8,
    stemmer: Stemmer,
    stop: FxHashSet<String>,
}

impl Tokenizer {
    /// A tokenizer for `language` (rust-stemmers' names: english, german …); `None` for a language
    /// with no stemmer, so the caller can name the config key.
    pub fn new(language: &str) -> Option<Tokenizer> {
        let algorithm = stemmer_for(language)?;
        let stop = crate::config::language::stop_words(algorithm)
            .map(|words| words.lines().map(str::to_string).collect())
            .unwrap_or_default();
        Some(Tokenizer {
            language: algorithm as u8,
            stemmer: Stemmer::create(algorithm),
            stop,
        })
    }

    /// Keeps stop words: a learned model weighs every word, and "nothing", "not" or "more"
    /// often decide a comment's code ("Nothing." is praise; "more staff" a request).
    pub fn keeping_stop_words(mut self) -> Tokenizer {
        self.stop.clear();
        self
    }

    /// Stems `word` into `out` through a per-thread cache: a survey's vocabulary is small next
    /// to its word count, and a cached stem is copied, not allocated.
    fn stem_into(&self, word: &str, out: &mut String) {
        type Cache = rustc_hash::FxHashMap<u8, rustc_hash::FxHashMap<String, String>>;
        thread_local! {
            static CACHE: std::cell::RefCell<Cache> = Default::default();
        }
        out.clear();
        CACHE.with(|c| {
            let mut c = c.borrow_mut();
            let words = c.entry(self.language).or_default();
            if let Some(s) = words.get(word) {
                out.push_str(s);
                return;
            }
            let s = self.stemmer.stem(word);
            out.push_str(&s);
            if words.len() < 200_000 {
                words.insert(word.to_string(), s.into_owned());
            }
        })
    }

    /// The unigram and bigram terms of a text, in order.
    pub fn terms(&self, text: &str) -> Vec<Term> {
        let mut out = Vec::new();
        self.for_each_term(text, |key, surface| {
            out.push(Term {
                key: key.to_string(),
                surface: surface.to_string(),
            })
        });
        out
    }

    /// Calls `each(key, surface)` for the unigram and bigram terms of a text, in the order
    /// [`Tokenizer::terms`] lists them, building no string per term: placing a national
    /// survey's comments needs only each term's key.
    pub fn for_each_term(&self, text: &str, mut each: impl FnMut(&str, &str)) {
        // Most comments are already in NFKC (all ASCII ones are); the quick check says so
        // without normalising.
        let normal: String = if text.is_ascii() {
            text.to_ascii_lowercase()
        } else if is_nfkc_quick(text.chars()) == IsNormalized::Yes {
            text.to_lowercase()
        } else {
            text.nfkc().collect::<String>().to_lowercase()
        };
        let (mut stem, mut previous_stem) = (String::new(), String::new());
        let (mut key, mut surface) = (String::new(), String::new());
        // The previous content word: where it ends in `normal`, and the word itself.
        let mut previous: Option<(usize, &str)> = None;
        for (at, w) in normal.unicode_word_indices() {
            let w = w.trim_matches('\'');
            let w = strip_all(strip_all(w, "'s"), "’s");
            if w.chars().count() < 2 || !w.chars().any(char::is_alphabetic) {
                continue;
            }
            if self.stop.contains(w) {
                previous = None;
                continue;
            }
            self.stem_into(w, &mut stem);
            each(&stem, w);
            if let Some((end, pw)) = previous {
                // Only words separated by spaces or a hyphen form a bigram, not across punctuation.
                let between = &normal[end..at];
                let sep = if between.trim() == "-" {
                    Some("-")
                } else if !between.is_empty() && between.trim().is_empty() {
                    Some(" ")
                } else {
                    None
                };
                if let Some(sep) = sep {
                    key.clear();
                    key.push_str(&previous_stem);
                    key.push(' ');
                    key.push_str(&stem);
                    surface.clear();
                    surface.push_str(pw);
                    surface.push_str(sep);
                    surface.push_str(w);
                    each(&key, &surface);
                }
            }
            // Where the (possibly trimmed) word really ends, so slicing stays on char boundaries.
            let end = w.as_ptr() as usize - normal.as_ptr() as usize + w.len();
            previous = Some((end, w));
            std::mem::swap(&mut stem, &mut previous_stem);
        }
    }
}

/// `w.trim_end_matches(suffix)` without building a substring searcher for every word.
fn strip_all<'a>(mut w: &'a str, suffix: &str) -> &'a str {
    while let Some(rest) = w.strip_suffix(suffix) {
        w = rest;
    }
    w
}

/// A text as non-answers are compared: NFKC, lower case, letters, digits and `/` only, single
/// spaces.
fn non_answer_form(text: &str) -> String {
    let t: String = text
        .nfkc()
        .collect::<String>()
        .to_lowercase()
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == ' ' || c == '/' {
                c
            } else {
                ' '
            }
        })
        .collect();
    t.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `non_answer_form` of an ASCII text (which NFKC leaves as it is), or `None` as soon as it is
/// longer than any non-answer: most comments are, and need not be copied whole.
fn ascii_non_answer_form(text: &str) -> Option<String> {
    let mut t = String::with_capacity(NON_ANSWER_BYTES + 2);
    for word in text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '/')) {
        if word.is_empty() {
            continue;
        }
        if !t.is_empty() {
            t.push(' ');
        }
        t.push_str(word);
        if t.len() > NON_ANSWER_BYTES {
            return None;
        }
    }
    t.make_ascii_lowercase();
    Some(t)
}

/// The longest non-answer below, in bytes ("nothing has changed").
const NON_ANSWER_BYTES: usize = 19;

/// Answers that say nothing ("n/a", "nothing", "-", "no comment"): counted, never clustered.
pub fn is_non_substantive(text: &str) -> bool {
    // The longest non-answer has 17 letters; normalisation can merge at most three letters into
    // one (Hangul jamo), so a text with many more is a real answer and needs no normalising.
    if text
        .chars()
        .filter(|c| c.is_alphanumeric())
        .nth(80)
        .is_some()
    {
        return false;
    }
    let t = if text.is_ascii() {
        match ascii_non_answer_form(text) {
            Some(t) => t,
            None => return false,
        }
    } else {
        non_answer_form(text)
    };
    const EMPTY: &[&str] = &[
        "",
        "n/a",
        "na",
        "n a",
        "none",
        "nothing",
        "no",
        "nil",
        "no comment",
        "no comments",
        "nothing to add",
        "nothing to say",
        "not applicable",
        "not sure",
        "dont know",
        "don t know",
        "no idea",
        "none really",
        "nothing really",
        "nothing yet",
        "nothing else",
        "none so far",
        "not yet",
        "no change",
        "no changes",
        "nothing has changed",
        "same",
        "idk",
        "x",
        "ok",
    ];
    debug_assert!(EMPTY.iter().all(|e| e.len() <= NON_ANSWER_BYTES));
    EMPTY.contains(&t.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_term_is_handed_over_in_order_with_its_bigram() {
        let t = Tokenizer::new("english").unwrap();
        let mut each = Vec::new();
        t.for_each_term(
            "Staff-room morale: the staff's morale, a target setting",
            |key, surface| each.push(format!("{key}/{surface}")),
        );
        assert_eq!(
            each,
            [
                "staff/staff",
                "room/room",
                "staff room/staff-room",
                "moral/morale",
                "room moral/room morale",
                "staff/staff",
                "moral/morale",
                "target/target",
                "set/setting",
                "target set/target setting",
            ]
        );
    }

    #[test]
    fn stems_and_bigrams_with_surface_forms() {
        let t = Tokenizer::new("english").unwrap();
        let terms = t.terms("Improved target-setting; staff morale is better.");
        let keys: Vec<&str> = terms.iter().map(|t| t.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "improv",
                "target",
                "improv target",
                "set",
                "target set",
                "staff",
                "moral",
                "staff moral",
                "better"
            ]
        );
        let bigram = terms.iter().find(|t| t.key == "target set").unwrap();
        assert_eq!(bigram.surface, "target-setting");
        // No bigram across the semicolon.
        assert!(!keys.contains(&"set staff"));
    }

    #[test]
    fn quotes_and_multibyte_words_never_split_a_character() {
        let t = Tokenizer::new("english").unwrap();
        for text in [
            "'café' ’résumé’ naïve's œuvre",
            "l’été 'écoles' “quoted” — dash",
            "'é'é 'x",
        ] {
            let _ = t.terms(text);
        }
        let keys: Vec<String> = t
            .terms("the school’s café")
            .into_iter()
            .map(|x| x.key)
            .collect();
        assert!(keys.contains(&"school".to_string()), "{keys:?}");
    }

    #[test]
    fn normalises_unicode_and_case() {
        let t = Tokenizer::new("english").unwrap();
        let a = t.terms("Ｍｏｒａｌｅ");
        assert_eq!(a[0].key, "moral");
    }

    #[test]
    fn the_ascii_form_of_a_non_answer_is_the_general_one() {
        for text in [
            "N/A",
            " n / a ",
            "Nothing -- has changed!!",
            "no_comment",
            "IDK.",
            "x",
            "",
            "Nothing has changed at all",
            "nothing   has\tchanged",
            "Don't know",
            "12/3",
        ] {
            let general = non_answer_form(text);
            match ascii_non_answer_form(text) {
                Some(t) => assert_eq!(t, general, "{text:?}"),
                None => assert!(general.len() > NON_ANSWER_BYTES, "{text:?}"),
            }
        }
    }

    #[test]
    fn recognises_non_answers() {
        for s in ["N/A", "n/a.", "Nothing", " - ", "No comment!", ""] {
            assert!(is_non_substantive(s), "{s}");
        }
        assert!(!is_non_substantive("Nothing has improved in marking"));
        // Length in punctuation is no answer either; length in letters is (the quick exit).
        assert!(is_non_substantive(&format!("N/A{}", " .".repeat(200))));
        assert!(!is_non_substantive(&"nothing ".repeat(20)));
    }

    #[test]
    fn stem_cache_keeps_languages_apart() {
        let en = Tokenizer::new("english").unwrap();
        let de = Tokenizer::new("german").unwrap();
        assert_eq!(en.terms("houses")[0].key, "hous");
        assert_eq!(de.terms("houses")[0].key, "hous");
        assert_eq!(en.terms("running")[0].key, "run");
        assert_eq!(de.terms("running")[0].key, "running");
    }

    #[test]
    fn every_supported_language_has_a_stemmer() {
        for l in ["english", "german", "french", "spanish"] {
            assert!(Tokenizer::new(l).is_some());
        }
        assert!(Tokenizer::new("klingon").is_none());
    }
}
