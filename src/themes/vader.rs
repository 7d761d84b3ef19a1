//! VADER sentiment (Hutto & Gilbert, ICWSM 2014), ported from the reference Python
//! implementation, vaderSentiment 3.3.2 (github.com/cjhutto/vaderSentiment, MIT, Copyright (c)
//! 2016 C.J. Hutto; the licence is in `vader/LICENSE.txt`). The lexicon,
//! `vader/vader_lexicon.txt`, is that repository's file at
//! 44fc044cd877310ee8278a0eadf34bcd50d41d06, unchanged (its words and valences are those
//! of the 3.3.2 release).
//!
//! The port keeps the reference's rules and their quirks (the "but" rule scales the first
//! equal value, a preceding "so"/"this" always boosts by 1.25 three words back), so that its
//! compound scores are the ones published studies report: `tests/it/sentiment.rs` checks it
//! against the Python package's scores on the NHS comments. Emoji are read as their names
//! ("😀" → "grinning face") from the same repository's `emoji_utf8_lexicon.txt`.

use rustc_hash::FxHashMap as HashMap;
use std::borrow::Cow;
use std::sync::OnceLock;

const B_INCR: f64 = 0.293;
const B_DECR: f64 = -0.293;
/// Added to the valence of a word in capitals among words that are not.
const C_INCR: f64 = 0.733;
/// A negated word's valence is multiplied by this.
const N_SCALAR: f64 = -0.74;

const NEGATE: &[&str] = &[
    "aint",
    "arent",
    "cannot",
    "cant",
    "couldnt",
    "darent",
    "didnt",
    "doesnt",
    "ain't",
    "aren't",
    "can't",
    "couldn't",
    "daren't",
    "didn't",
    "doesn't",
    "dont",
    "hadnt",
    "hasnt",
    "havent",
    "isnt",
    "mightnt",
    "mustnt",
    "neither",
    "don't",
    "hadn't",
    "hasn't",
    "haven't",
    "isn't",
    "mightn't",
    "mustn't",
    "neednt",
    "needn't",
    "never",
    "none",
    "nope",
    "nor",
    "not",
    "nothing",
    "nowhere",
    "oughtnt",
    "shant",
    "shouldnt",
    "uhuh",
    "wasnt",
    "werent",
    "oughtn't",
    "shan't",
    "shouldn't",
    "uh-uh",
    "wasn't",
    "weren't",
    "without",
    "wont",
    "wouldnt",
    "won't",
    "wouldn't",
    "rarely",
    "seldom",
    "despite",
];

const BOOSTERS_UP: &[&str] = &[
    "absolutely",
    "amazingly",
    "awfully",
    "completely",
    "considerable",
    "considerably",
    "decidedly",
    "deeply",
    "effing",
    "enormous",
    "enormously",
    "entirely",
    "especially",
    "exceptional",
    "exceptionally",
    "extreme",
    "extremely",
    "fabulously",
    "flipping",
    "flippin",
    "frackin",
    "fracking",
    "fricking",
    "frickin",
    "frigging",
    "friggin",
    "fully",
    "fuckin",
    "fucking",
    "fuggin",
    "fugging",
    "greatly",
    "hella",
    "highly",
    "hugely",
    "incredible",
    "incredibly",
    "intensely",
    "major",
    "majorly",
    "more",
    "most",
    "particularly",
    "purely",
    "quite",
    "really",
    "remarkably",
    "so",
    "substantially",
    "thoroughly",
    "total",
    "totally",
    "tremendous",
    "tremendously",
    "uber",
    "unbelievably",
    "unusually",
    "utter",
    "utterly",
    "very",
];

const BOOSTERS_DOWN: &[&str] = &[
    "almost",
    "barely",
    "hardly",
    "just enough",
    "kind of",
    "kinda",
    "kindof",
    "kind-of",
    "less",
    "little",
    "marginal",
    "marginally",
    "occasional",
    "occasionally",
    "partly",
    "scarce",
    "scarcely",
    "slight",
    "slightly",
    "somewhat",
    "sort of",
    "sorta",
    "sortof",
    "sort-of",
];

const SPECIAL_CASES: &[(&str, f64)] = &[
    ("the shit", 3.0),
    ("the bomb", 3.0),
    ("bad ass", 1.5),
    ("badass", 1.5),
    ("bus stop", 0.0),
    ("yeah right", -2.0),
    ("kiss of death", -1.5),
    ("to die for", 3.0),
    ("beating heart", 3.5),
];

/// Emoji (one character each, as the reference matches them) and their names, read once.
fn emoji() -> &'static HashMap<char, &'static str> {
    static EMOJI: OnceLock<HashMap<char, &'static str>> = OnceLock::new();
    EMOJI.get_or_init(|| {
        include_str!("vader/emoji_utf8_lexicon.txt")
            .lines()
            .filter_map(|line| {
                let (symbol, name) = line.split_once('\t')?;
                let mut chars = symbol.chars();
                let c = chars.next()?;
                chars.next().is_none().then_some((c, name.trim()))
            })
            .collect()
    })
}

/// The text with each emoji replaced by its name, set off by a space from a word before it.
fn emoji_as_words(text: &str) -> Cow<'_, str> {
    // Emoji are never ASCII: most answers need no copy and no look-up per character.
    if text.is_ascii() {
        return Cow::Borrowed(text);
    }
    let names = emoji();
    let mut out = String::with_capacity(text.len());
    let mut prev_space = true;
    for c in text.chars() {
        match names.get(&c) {
            Some(name) => {
                if !prev_space {
                    out.push(' ');
                }
                out.push_str(name);
                prev_space = false;
            }
            None => {
                out.push(c);
                prev_space = c == ' ';
            }
        }
    }
    Cow::Owned(out)
}

/// `(word, valence)` for every lexicon line, in the file's order (a word listed twice takes
/// its last valence where they are collected).
fn lexicon() -> impl Iterator<Item = (&'static str, f64)> {
    include_str!("vader/vader_lexicon.txt")
        .lines()
        .filter_map(|line| {
            let mut fields = line.split('\t');
            let word = fields.next()?;
            let valence = fields.next()?.trim().parse().ok()?;
            Some((word, valence))
        })
}

/// A lower-case word's lexicon valence and booster value, in one look-up: every word of every
/// distinct comment is asked both.
fn lexicon_and_booster(word: &str) -> (Option<f64>, Option<f64>) {
    type Both = HashMap<&'static str, (Option<f64>, Option<f64>)>;
    static BOTH: OnceLock<Both> = OnceLock::new();
    let both = BOTH.get_or_init(|| {
        let mut both: Both = HashMap::default();
        for (word, valence) in lexicon() {
            both.entry(word).or_default().0 = Some(valence);
        }
        // Down first, then up: a word in both lists (none is) keeps the reference's "up".
        let down = BOOSTERS_DOWN.iter().map(|b| (*b, B_DECR));
        for (word, boost) in down.chain(BOOSTERS_UP.iter().map(|b| (*b, B_INCR))) {
            both.entry(word).or_default().1 = Some(boost);
        }
        both
    });
    both.get(word).copied().unwrap_or((None, None))
}

/// Phrases of several words, each as its words, with a value: the idiom rules compare every
/// sentiment word's neighbours with them, so they are split once, not at each comparison.
type Phrases = Vec<(Vec<&'static str>, f64)>;

fn split_phrases(phrases: impl Iterator<Item = (&'static str, f64)>) -> Phrases {
    phrases.map(|(p, v)| (p.split(' ').collect(), v)).collect()
}

/// The value of the first of `phrases` made of these words.
fn phrase_value(phrases: &Phrases, words: &[&str]) -> Option<f64> {
    phrases
        .iter()
        .find(|(p, _)| p.as_slice() == words)
        .map(|&(_, v)| v)
}

/// The valence of a special phrase made of these words.
fn special_case(words: &[&str]) -> Option<f64> {
    static PHRASES: OnceLock<Phrases> = OnceLock::new();
    let phrases = PHRASES.get_or_init(|| split_phrases(SPECIAL_CASES.iter().copied()));
    phrase_value(phrases, words)
}

/// The booster value of a two- or three-word booster ("kind of") made of these words.
fn booster_phrase(words: &[&str]) -> Option<f64> {
    // Only the boosters of several words can be several words: the few looked at, not all.
    static PHRASES: OnceLock<Phrases> = OnceLock::new();
    let phrases = PHRASES.get_or_init(|| {
        let up = BOOSTERS_UP.iter().map(|b| (*b, B_INCR));
        let down = BOOSTERS_DOWN.iter().map(|b| (*b, B_DECR));
        split_phrases(up.chain(down).filter(|(b, _)| b.contains(' ')))
    });
    phrase_value(phrases, words)
}

/// The word in lower case, copied only when it has a capital or is not ASCII.
fn lower_case(word: &str) -> Cow<'_, str> {
    if word
        .bytes()
        .all(|b| b.is_ascii() && !b.is_ascii_uppercase())
    {
        Cow::Borrowed(word)
    } else {
        Cow::Owned(word.to_lowercase())
    }
}

/// Python's `str.isupper`: some cased character, and no lower-case one.
fn is_upper(word: &str) -> bool {
    // Every word of every comment is asked: ASCII's cases are its letters' bytes.
    if word.is_ascii() {
        let b = word.as_bytes();
        return b.iter().any(u8::is_ascii_uppercase) && !b.iter().any(u8::is_ascii_lowercase);
    }
    word.chars().any(|c| c.is_uppercase()) && !word.chars().any(|c| c.is_lowercase())
}

fn is_negation(word: &str) -> bool {
    NEGATE.contains(&word) || word.contains("n't")
}

/// The words of a text as VADER sees them: split on white space, leading and trailing ASCII
/// punctuation removed unless that leaves two characters or fewer (an emoticon such as ":)").
fn words(text: &str) -> Vec<&str> {
    // Every distinct comment is scored: ASCII's characters are its bytes, and its white space
    // is `split_ascii_whitespace`'s but for the vertical tab.
    if text.is_ascii() && !text.contains('\u{b}') {
        return text
            .split_ascii_whitespace()
            .map(|w| {
                let stripped = w.trim_matches(|c: char| c.is_ascii_punctuation());
                if stripped.len() <= 2 {
                    w
                } else {
                    stripped
                }
            })
            .collect();
    }
    text.split_whitespace()
        .map(|w| {
            let stripped = w.trim_matches(|c: char| c.is_ascii_punctuation());
            if stripped.chars().count() <= 2 {
                w
            } else {
                stripped
            }
        })
        .collect()
}

/// The words, as written and in lower case, with what the rules need to know about them.
struct Sentence<'a> {
    words: Vec<&'a str>,
    lower: Vec<Cow<'a, str>>,
    /// Each word's lexicon valence, looked up once.
    valences: Vec<Option<f64>>,
    /// Each word's booster value (`very`, `slightly`), looked up once.
    boosts: Vec<Option<f64>>,
    /// Some words, but not all, are in capitals: capitals then add emphasis.
    cap_differential: bool,
}

impl<'a> Sentence<'a> {
    fn new(text: &'a str) -> Sentence<'a> {
        let words = words(text);
        let n = words.len();
        let (mut lower, mut valences, mut boosts) = (
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
        );
        let mut caps = 0;
        for w in &words {
            let l = lower_case(w);
            let (valence, boost) = lexicon_and_booster(&l);
            valences.push(valence);
            boosts.push(boost);
            lower.push(l);
            caps += usize::from(is_upper(w));
        }
        let cap_differential = caps > 0 && caps < words.len();
        Sentence {
            words,
            lower,
            valences,
            boosts,
            cap_differential,
        }
    }

    fn in_lexicon(&self, i: usize) -> bool {
        self.valences[i].is_some()
    }
}

/// VADER's compound score of a text, from -1 (most negative) to 1 (most positive); 0 when no
/// word carries sentiment.
pub fn compound(text: &str) -> f64 {
    let text = emoji_as_words(text);
    let text = text.trim();
    let s = Sentence::new(text);
    let mut sentiments = Vec::with_capacity(s.words.len());
    for i in 0..s.words.len() {
        let skip = s.boosts[i].is_some()
            || (s.lower[i] == "kind" && s.lower.get(i + 1).is_some_and(|w| w == "of"));
        sentiments.push(if skip { 0.0 } else { valence(&s, i) });
    }
    but_check(&s.lower, &mut sentiments);
    if sentiments.is_empty() {
        return 0.0;
    }
    let mut sum: f64 = sentiments.iter().sum();
    let emphasis = punctuation_emphasis(text);
    if sum > 0.0 {
        sum += emphasis;
    } else if sum < 0.0 {
        sum -= emphasis;
    }
    normalize(sum)
}

/// The valence of word `i` after negation, boosters, capitals and idioms.
fn valence(s: &Sentence, i: usize) -> f64 {
    let Some(base) = s.valences[i] else {
        return 0.0;
    };
    let mut v = base;
    // "no" before a sentiment word is a negation, not itself negative.
    if s.lower[i] == "no" && i + 1 < s.words.len() && s.in_lexicon(i + 1) {
        v = 0.0;
    }
    let before = |k: usize| s.lower[i - k].as_ref();
    if (i > 0 && before(1) == "no")
        || (i > 1 && before(2) == "no")
        || (i > 2 && before(3) == "no" && matches!(before(1), "or" | "nor"))
    {
        v = base * N_SCALAR;
    }
    if is_upper(s.words[i]) && s.cap_differential {
        v += if v > 0.0 { C_INCR } else { -C_INCR };
    }
    for start in 0..3 {
        if i > start && !s.in_lexicon(i - start - 1) {
            let mut b = scalar_inc_dec(s, i - start - 1, v);
            if start == 1 {
                b *= 0.95;
            } else if start == 2 {
                b *= 0.9;
            }
            v = negation_check(v + b, &s.lower, start, i);
            if start == 2 {
                v = idioms_check(v, &s.lower, i);
            }
        }
    }
    least_check(v, s, i)
}

/// The change a booster word (`very`, `slightly`) makes to the valence of the word it precedes.
fn scalar_inc_dec(s: &Sentence, j: usize, valence: f64) -> f64 {
    let Some(mut scalar) = s.boosts[j] else {
        return 0.0;
    };
    if valence < 0.0 {
        scalar = -scalar;
    }
    if is_upper(s.words[j]) && s.cap_differential {
        scalar += if valence > 0.0 { C_INCR } else { -C_INCR };
    }
    scalar
}

fn negation_check(v: f64, w: &[Cow<str>], start: usize, i: usize) -> f64 {
    let at = |k: usize| w[i - k].as_ref();
    match start {
        0 if is_negation(at(1)) => v * N_SCALAR,
        1 if at(2) == "never" && matches!(at(1), "so" | "this") => v * 1.25,
        1 if at(2) == "without" && at(1) == "doubt" => v,
        1 if is_negation(at(2)) => v * N_SCALAR,
        // The reference's operator precedence: a preceding "so" or "this" boosts on its own.
        2 if (at(3) == "never" && matches!(at(2), "so" | "this"))
            || matches!(at(1), "so" | "this") =>
        {
            v * 1.25
        }
        2 if at(3) == "without" && (at(2) == "doubt" || at(1) == "doubt") => v,
        2 if is_negation(at(3)) => v * N_SCALAR,
        _ => v,
    }
}

/// Special phrases ("the bomb", "kiss of death") set the valence; two-word boosters ("kind of")
/// before the word add to it. Only reached three words in, as in the reference.
fn idioms_check(v: f64, w: &[Cow<str>], i: usize) -> f64 {
    let at = |k: usize| w[i - k].as_ref();
    let mut v = v;
    let sequences: [&[&str]; 5] = [
        &[at(1), at(0)],
        &[at(2), at(1), at(0)],
        &[at(2), at(1)],
        &[at(3), at(2), at(1)],
        &[at(3), at(2)],
    ];
    if let Some(x) = sequences.iter().find_map(|q| special_case(q)) {
        v = x;
    }
    if i + 1 < w.len() {
        if let Some(x) = special_case(&[at(0), &w[i + 1]]) {
            v = x;
        }
    }
    if i + 2 < w.len() {
        if let Some(x) = special_case(&[at(0), &w[i + 1], &w[i + 2]]) {
            v = x;
        }
    }
    for gram in [sequences[3], sequences[4], sequences[2]] {
        if let Some(b) = booster_phrase(gram) {
            v += b;
        }
    }
    v
}

/// "least" before a word negates it, except in "at least" and "very least".
fn least_check(v: f64, s: &Sentence, i: usize) -> f64 {
    let prev_is_least = i > 0 && !s.in_lexicon(i - 1) && s.lower[i - 1] == "least";
    if !prev_is_least {
        return v;
    }
    if i > 1 && matches!(s.lower[i - 2].as_ref(), "at" | "very") {
        v
    } else {
        v * N_SCALAR
    }
}

/// Words before the first "but" count half, words after it one and a half times. As in the
/// reference, each value scales the first equal value in the list (an equal earlier value is
/// scaled in its place); zeros are unaffected either way.
fn but_check(lower: &[Cow<str>], sentiments: &mut [f64]) {
    let Some(bi) = lower.iter().position(|w| w == "but") else {
        return;
    };
    for p in 0..sentiments.len() {
        let value = sentiments[p];
        let Some(si) = sentiments.iter().position(|&x| x == value) else {
            continue;
        };
        if si < bi {
            sentiments[si] = value * 0.5;
        } else if si > bi {
            sentiments[si] = value * 1.5;
        }
    }
}

/// Exclamation marks (up to four) and question marks (from two) add emphasis.
fn punctuation_emphasis(text: &str) -> f64 {
    let exclamations = text.matches('!').count().min(4) as f64 * 0.292;
    let questions = match text.matches('?').count() {
        0 | 1 => 0.0,
        n @ 2..=3 => n as f64 * 0.18,
        _ => 0.96,
    };
    exclamations + questions
}

/// Maps a sum of valences into (-1, 1), with 15 as VADER's expected largest sum.
fn normalize(score: f64) -> f64 {
    (score / (score * score + 15.0).sqrt()).clamp(-1.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_reference_on_its_rules() {
        // Scores from vaderSentiment 3.3.2's polarity_scores(...)["compound"].
        let cases = [
            ("Nothing.", 0.0),
            (
                "The staff were NOT very good, but the food was great!!",
                0.7523,
            ),
            ("The staff were kind and helpful", 0.7351),
            ("Parking was not good at all", -0.3412),
            ("Waiting times were slightly too long :(", -0.3892),
        ];
        for (text, expected) in cases {
            let got = compound(text);
            assert!((got - expected).abs() < 5e-5, "{text}: {got} vs {expected}");
        }
    }
}
