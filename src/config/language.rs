//! The languages a survey's `language` may name: those rust-stemmers can stem. Here rather than
//! in themes/ so that checking a survey does not reach into the themes layer (which reads the
//! checked survey).

use rust_stemmers::Algorithm;

/// The language names `stemmer_for` knows, for messages.
pub const LANGUAGES: &str = "english, german, french, spanish, italian, dutch, portuguese, swedish, norwegian, danish, finnish, russian, hungarian, romanian, turkish, arabic, greek, tamil";

/// rust-stemmers' algorithm for a language name.
pub fn stemmer_for(language: &str) -> Option<Algorithm> {
    Some(match language.to_ascii_lowercase().as_str() {
        "english" | "en" => Algorithm::English,
        "german" | "de" => Algorithm::German,
        "french" | "fr" => Algorithm::French,
        "spanish" | "es" => Algorithm::Spanish,
        "italian" | "it" => Algorithm::Italian,
        "dutch" | "nl" => Algorithm::Dutch,
        "portuguese" | "pt" => Algorithm::Portuguese,
        "swedish" | "sv" => Algorithm::Swedish,
        "norwegian" | "no" => Algorithm::Norwegian,
        "danish" | "da" => Algorithm::Danish,
        "finnish" | "fi" => Algorithm::Finnish,
        "russian" | "ru" => Algorithm::Russian,
        "hungarian" | "hu" => Algorithm::Hungarian,
        "romanian" | "ro" => Algorithm::Romanian,
        "turkish" | "tr" => Algorithm::Turkish,
        "arabic" | "ar" => Algorithm::Arabic,
        "greek" | "el" => Algorithm::Greek,
        "tamil" | "ta" => Algorithm::Tamil,
        _ => return None,
    })
}

/// Stop words (function words) of the languages canvass has a list for, one a line: what themes
/// leave out of key words and labels, and what `detect` counts.
pub fn stop_words(algorithm: Algorithm) -> Option<&'static str> {
    Some(match algorithm {
        Algorithm::English => include_str!("../themes/stopwords_en.txt"),
        Algorithm::Spanish => include_str!("../themes/stopwords_es.txt"),
        Algorithm::French => include_str!("../themes/stopwords_fr.txt"),
        Algorithm::German => include_str!("../themes/stopwords_de.txt"),
        Algorithm::Portuguese => include_str!("../themes/stopwords_pt.txt"),
        Algorithm::Italian => include_str!("../themes/stopwords_it.txt"),
        Algorithm::Dutch => include_str!("../themes/stopwords_nl.txt"),
        _ => return None,
    })
}

/// The languages `detect` tells apart, by their `language` name.
const DETECTED: &[(&str, Algorithm)] = &[
    ("english", Algorithm::English),
    ("spanish", Algorithm::Spanish),
    ("french", Algorithm::French),
    ("german", Algorithm::German),
    ("portuguese", Algorithm::Portuguese),
    ("italian", Algorithm::Italian),
    ("dutch", Algorithm::Dutch),
];

/// The language most of `texts` (question labels, answers, comments) are written in, by how
/// many of their words are that language's function words and no other's; `None` when too few
/// words say (fewer than 4 such words, or no clear lead over the next language).
pub fn detect<'a>(texts: impl IntoIterator<Item = &'a str>) -> Option<&'static str> {
    use std::collections::{HashMap, HashSet};
    let lists: Vec<(&str, HashSet<&str>)> = DETECTED
        .iter()
        .filter_map(|(name, a)| Some((*name, stop_words(*a)?.lines().collect())))
        .collect();
    // A word that is a function word of two languages ("a", "de", "en") tells nothing.
    let mut owners: HashMap<&str, usize> = HashMap::new();
    for (_, words) in &lists {
        for w in words {
            *owners.entry(w).or_insert(0) += 1;
        }
    }
    let mut hits = vec![0usize; lists.len()];
    for text in texts {
        for word in text
            .split(|c: char| !c.is_alphabetic() && c != '\'')
            .filter(|w| !w.is_empty())
        {
            let word = word.to_lowercase();
            if owners.get(word.as_str()) != Some(&1) {
                continue;
            }
            if let Some(i) = lists.iter().position(|(_, l)| l.contains(word.as_str())) {
                hits[i] += 1;
            }
        }
    }
    let mut ranked: Vec<(usize, &str)> = hits
        .iter()
        .zip(&lists)
        .map(|(n, (name, _))| (*n, *name))
        .collect();
    ranked.sort_by_key(|r| std::cmp::Reverse(r.0));
    let (best, name) = ranked[0];
    let second = ranked.get(1).map_or(0, |r| r.0);
    (best >= 4 && best >= 2 * second).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_the_language_of_labels_and_comments() {
        let spanish = [
            "¿Con qué frecuencia usa la biblioteca?",
            "Más libros para los niños y que abran los sábados",
            "Todo está bien, pero falta espacio",
        ];
        assert_eq!(detect(spanish), Some("spanish"));
        let english = [
            "How often do you use the library?",
            "More books for the children and open on Saturdays",
            "It is fine but there is not enough space",
        ];
        assert_eq!(detect(english), Some("english"));
        let french = [
            "Êtes-vous satisfait de votre visite?",
            "Nous avons pu voir tout le château avec les enfants",
            "Très bien, mais il y a peu de places",
        ];
        assert_eq!(detect(french), Some("french"));
        let german = [
            "Wie zufrieden sind Sie mit dem Angebot?",
            "Ich habe nicht viel Zeit, aber die Kurse sind sehr gut",
            "Es gibt keine Parkplätze und das ist ein Problem",
        ];
        assert_eq!(detect(german), Some("german"));
        assert_eq!(detect(["Q1", "Yes", "No"]), None);
        for (_, a) in DETECTED {
            assert!(stop_words(*a).is_some());
        }
    }
}
