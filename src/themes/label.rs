//! Theme labels and quotes: each theme is named by its most distinctive terms (mean TF-IDF weight
//! inside the theme minus outside it), shown in their most frequent written form, and
//! illustrated by the distinct comments nearest its centroid.

use super::vectorize::{SparseRows, Vocabulary};
use ndarray::Array2;

/// The `top` most distinctive term indices of each cluster, bigrams first where they cover
/// their own words (so "staff morale" rather than "staff" and "morale"), of the terms that read
/// as key words (`reads_as_key_word`): the theme's key words and label are chosen from them.
pub fn distinctive_terms(
    x: &SparseRows,
    vocab: &Vocabulary,
    labels: &[Option<usize>],
    k: usize,
    top: usize,
) -> Vec<Vec<usize>> {
    let v = vocab.terms.len();
    let mut sums = vec![vec![0.0; v]; k];
    let mut sizes = vec![0usize; k];
    let mut total = vec![0.0; v];
    let mut n = 0usize;
    for (r, l) in labels.iter().enumerate() {
        let Some(c) = *l else { continue };
        sizes[c] += 1;
        n += 1;
        for (t, w) in x.row(r) {
            sums[c][t] += w;
            total[t] += w;
        }
    }
    (0..k)
        .map(|c| {
            let inside = sizes[c].max(1) as f64;
            let outside = (n - sizes[c]).max(1) as f64;
            let mut scored: Vec<(usize, f64)> = (0..v)
                .filter(|&t| sums[c][t] > 0.0)
                .map(|t| (t, sums[c][t] / inside - (total[t] - sums[c][t]) / outside))
                .filter(|&(t, s)| s > 0.0 && reads_as_key_word(&vocab.surfaces[t]))
                .collect();
            scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            let mut chosen: Vec<usize> = Vec::new();
            for (t, _) in scored {
                let term = &vocab.terms[t];
                // Skip a word already inside a chosen bigram, and a bigram whose words are both chosen.
                let covered = chosen.iter().any(|&o| {
                    let other = &vocab.terms[o];
                    if term.contains(' ') {
                        term.split(' ').all(|w| other.split(' ').any(|ow| ow == w))
                    } else {
                        other.split(' ').any(|w| w == term)
                    }
                });
                if !covered {
                    chosen.push(t);
                }
                if chosen.len() == top {
                    break;
                }
            }
            chosen
        })
        .collect()
}

/// A label as a person would write it: the leading bigram that contains the most distinctive
/// word ("staff morale", "target-setting", "improved marking"), or else the two most distinctive
/// words ("data / analysis").
pub fn label_from(terms: &[usize], vocab: &Vocabulary) -> String {
    let Some(&top) = terms.first() else {
        return "miscellaneous".to_string();
    };
    let top_key = &vocab.terms[top];
    if top_key.contains(' ') {
        return vocab.surfaces[top].clone();
    }
    let bigram = terms.iter().take(4).find(|&&t| {
        vocab.terms[t].split(' ').count() == 2 && vocab.terms[t].split(' ').any(|w| w == top_key)
    });
    match bigram {
        Some(&b) => vocab.surfaces[b].clone(),
        None => terms
            .iter()
            .take(2)
            .map(|&t| vocab.surfaces[t].as_str())
            .collect::<Vec<_>>()
            .join(" / "),
    }
}

/// Rows of cluster `c` ordered by closeness to its centroid (cosine on unit vectors).
pub fn nearest_to_centroid(
    y: &Array2<f64>,
    centroids: &Array2<f64>,
    rows: &[usize],
    c: usize,
) -> Vec<usize> {
    let centre = centroids.row(c);
    let mut scored: Vec<(usize, f64)> = rows.iter().map(|&r| (r, y.row(r).dot(&centre))).collect();
    scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    scored.into_iter().map(|(r, _)| r).collect()
}

/// Words no key word or label shows: profanity may stay in quotes (redacted as configured),
/// but a theme is not named by it.
const PROFANITY: [&str; 12] = [
    "fuck", "fucking", "fucked", "shit", "shite", "crap", "bollocks", "bastard", "idiot", "idiots",
    "cunt", "twat",
];

/// Whether a term's written form reads as a key word: no stop word at either end ("to",
/// "and shared", "analysis of"), no run-together fragment ("thatare"), no profanity.
pub fn reads_as_key_word(surface: &str) -> bool {
    let words: Vec<String> = surface
        .split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .collect();
    let (Some(first), Some(last)) = (words.first(), words.last()) else {
        return false;
    };
    let stop = |w: &str| super::tokenize::is_english_stop_word(w);
    // Two stop words run together, as a typo writes them: "thatare", "isnot".
    let fragment = |w: &str| {
        w.len() > 5
            && (2..w.len() - 1)
                .filter(|&i| w.is_char_boundary(i))
                .any(|i| stop(&w[..i]) && stop(&w[i..]))
    };
    !function_word(first)
        && !function_word(last)
        && !words
            .iter()
            .any(|w| PROFANITY.contains(&w.as_str()) || fragment(w) || placeholder(w))
}

/// Function words the stop list (scikit-learn's) lacks: no theme is named by them either.
const MORE_FUNCTION_WORDS: [&str; 4] = ["did", "does", "doing", "won't"];

/// A stop word, one of [`MORE_FUNCTION_WORDS`], or a contraction of one, with either apostrophe
/// ("couldn't", "don’t", "i'm", "we've"): the stop list holds few contractions, and comments
/// write them with a typographic apostrophe as often as not.
fn function_word(w: &str) -> bool {
    let w = w.replace('’', "'");
    let plain =
        |w: &str| super::tokenize::is_english_stop_word(w) || MORE_FUNCTION_WORDS.contains(&w);
    if plain(&w) {
        return true;
    }
    let Some((head, tail)) = w.split_once('\'') else {
        return false;
    };
    match tail {
        // "couldn't" → could, "don't" → do, "can't" → can.
        "t" => plain(head) || head.strip_suffix('n').is_some_and(plain),
        "s" | "m" | "re" | "ve" | "ll" | "d" => plain(head),
        _ => false,
    }
}

/// A letter typed over and over, as exports blank out names ("xxxx", "XXX"): a placeholder,
/// not a word.
fn placeholder(w: &str) -> bool {
    let mut chars = w.chars();
    chars
        .next()
        .is_some_and(|c| c.is_alphabetic() && w.chars().count() >= 3 && chars.all(|d| d == c))
}

#[cfg(test)]
mod tests {
    use super::reads_as_key_word;
    use crate::config::ThemeCount;
    use crate::themes::{test_comments, themes, ThemeParams};

    #[test]
    fn discovered_themes_are_named_by_words_that_read_as_key_words() {
        // "did", "couldn’t" and the profanity are the most distinctive words of their clusters.
        let texts = [
            "Did not answer",
            "did not answer the phone",
            "Did not answer at all",
            "did not answer again",
            "Couldn’t park, fucking idiots",
            "couldn’t park anywhere, idiots",
            "Couldn’t park at the clinic",
            "couldn’t park, idiots in charge",
        ];
        let mut p = ThemeParams::new(8);
        p.k = ThemeCount::Fixed(2);
        let r = themes(&test_comments(&texts), &p).unwrap();
        assert_eq!(r.themes.len(), 2, "{:?}", r.themes);
        for t in &r.themes {
            assert!(!t.keywords.is_empty(), "{t:?}");
            for k in &t.keywords {
                assert!(reads_as_key_word(k), "{k} in {:?}", t.keywords);
            }
            for word in t.label.split(" / ") {
                assert!(reads_as_key_word(word), "label {}", t.label);
            }
        }
    }

    #[test]
    fn stop_words_fragments_and_profanity_are_not_key_words() {
        for bad in [
            "to",
            "and shared",
            "analysis of",
            "thatare",
            "idiot",
            "fuck",
            "Fucking staff",
            "couldn’t",
            "don't like",
            "did",
            "xxxx",
        ] {
            assert!(!reads_as_key_word(bad), "{bad}");
        }
        for good in [
            "data",
            "staff morale",
            "target setting",
            "Parking",
            "café",
            "listened",
            "taxi",
        ] {
            assert!(reads_as_key_word(good), "{good}");
        }
    }
}
