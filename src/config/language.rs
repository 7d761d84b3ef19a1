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
