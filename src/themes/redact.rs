//! Redaction of quotes: e-mail addresses, URLs, phone numbers (UK and international), UK
//! postcodes, street addresses, listed names and names as people write them (a title and a
//! surname, a common given name with or without a surname) are replaced by `[email]`, `[url]`,
//! `[phone]`, `[postcode]`, `[address]` and `[name]` before any text leaves the themes stage.

use regex::Regex;
use std::sync::OnceLock;

struct Patterns {
    email: Regex,
    url: Regex,
    phone: Regex,
    postcode: Regex,
    address: Regex,
    titled: Regex,
    given: Regex,
}

/// Common given names in the UK and US (ONS and SSA lists), without the ones that are also
/// everyday words ("Will", "May", "Grace", "Mark", "Bill", "Hope", "Joy", "Rose", "Faith").
const GIVEN_NAMES: &[&str] = &[
    "Aaron",
    "Abigail",
    "Adam",
    "Adrian",
    "Aidan",
    "Aisha",
    "Alan",
    "Alex",
    "Alexander",
    "Alice",
    "Alison",
    "Amanda",
    "Amelia",
    "Amy",
    "Andrew",
    "Angela",
    "Ann",
    "Anna",
    "Anne",
    "Anthony",
    "Ashley",
    "Barbara",
    "Ben",
    "Benjamin",
    "Beth",
    "Brian",
    "Carol",
    "Caroline",
    "Catherine",
    "Charlotte",
    "Chloe",
    "Chris",
    "Christine",
    "Christopher",
    "Claire",
    "Daniel",
    "David",
    "Deborah",
    "Dennis",
    "Diane",
    "Donna",
    "Dorothy",
    "Edward",
    "Elizabeth",
    "Ella",
    "Emily",
    "Emma",
    "Eric",
    "Ethan",
    "Fatima",
    "Freya",
    "Gary",
    "George",
    "Hannah",
    "Harry",
    "Helen",
    "Ian",
    "Isabella",
    "Isla",
    "Jack",
    "Jacob",
    "James",
    "Jane",
    "Janet",
    "Jason",
    "Jennifer",
    "Jessica",
    "Joan",
    "John",
    "Jonathan",
    "Joseph",
    "Joshua",
    "Julie",
    "Karen",
    "Kate",
    "Katherine",
    "Kelly",
    "Kevin",
    "Laura",
    "Lauren",
    "Linda",
    "Lisa",
    "Louise",
    "Lucy",
    "Margaret",
    "Maria",
    "Mary",
    "Matthew",
    "Megan",
    "Michael",
    "Michelle",
    "Mohammed",
    "Muhammad",
    "Nancy",
    "Nicola",
    "Nicholas",
    "Oliver",
    "Olivia",
    "Patricia",
    "Paul",
    "Peter",
    "Priya",
    "Rachel",
    "Rebecca",
    "Richard",
    "Robert",
    "Ryan",
    "Samantha",
    "Sandra",
    "Sarah",
    "Sharon",
    "Sophie",
    "Stephen",
    "Steven",
    "Susan",
    "Thomas",
    "Timothy",
    "Tom",
    "Victoria",
    "William",
    "Zoe",
];

fn patterns() -> &'static Patterns {
    // expect: a literal pattern, compiled the first time any test runs it; it cannot fail at run time.
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| Patterns {
        email: Regex::new(
            r"(?i)[a-z0-9._%+'-]+\s?(?:@|\(at\)|\[at\])\s?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}",
        )
        .expect("static regex"),
        url: Regex::new(r"(?i)\b(?:https?://|www\.)[^\s<>()]+[^\s<>().,;:!?]")
            .expect("static regex"),
        // A run of digits with the separators people type; kept only if it has 9–15 digits.
        phone: Regex::new(r"(?:\+|\b00)?\(?\d[\d ().-]{6,}\d\b").expect("static regex"),
        postcode: Regex::new(r"(?i)\b(?:gir ?0aa|[a-z]{1,2}\d[a-z\d]? ?\d[abd-hjlnp-uw-z]{2})\b")
            .expect("static regex"),
        address: Regex::new(r"\b\d{1,4}[a-zA-Z]?,?\s+(?:[A-Z][a-z]+\s+){1,3}(?:Street|St|Road|Rd|Avenue|Ave|Lane|Close|Drive|Way|Court|Place|Crescent|Terrace|Gardens|Grove|Square|Row|Hill|Mews|Walk|Boulevard|Parade)\b\.?")
            .expect("static regex"),
        // A title and a capitalised name: "Mrs Patel", "Dr. Ann Lee".
        titled: Regex::new(r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sister|Nurse)\.?\s+[A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+)?")
            .expect("static regex"),
        // A common given name as written (capitalised), and the capitalised surname after it.
        given: Regex::new(&format!(r"\b(?:{})\b(?:\s+[A-Z][a-z'’-]+)?", GIVEN_NAMES.join("|")))
            .expect("static regex"),
    })
}

/// Redacts one text. Built once per run with the survey's list of names to remove.
#[derive(Debug, Clone)]
pub struct Redactor {
    names: NameList,
}

/// A `[privacy] redact` entry that can never match a word: the entry's place in the list and
/// its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnmatchableName {
    /// 0-based place in the list (`redact[N]`).
    pub index: usize,
    /// The entry as written.
    pub entry: String,
}

impl std::fmt::Display for UnmatchableName {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(
            f,
            "`{}` has no letter or digit, so it can never match a word of a comment",
            self.entry
        )
    }
}

impl Redactor {
    /// A redactor that also removes `names` (the survey's `[privacy] redact` list), as whole words
    /// in any case, whitespace between their words matching any run of whitespace. Any number of
    /// names works (they are looked up word by word, not compiled into one pattern); an entry
    /// without a letter or digit is an error naming it, never silently skipped.
    pub fn new(names: &[String]) -> Result<Redactor, UnmatchableName> {
        Ok(Redactor {
            names: NameList::new(names)?,
        })
    }

    /// `text` with e-mail addresses, URLs, phone numbers, postcodes, street addresses and names
    /// replaced by `[email]`, `[url]`, `[phone]`, `[postcode]`, `[address]` and `[name]`.
    pub fn redact(&self, text: &str) -> String {
        let p = patterns();
        // Cheap pre-checks: most comments hold no digit, no `@` and no web address, and the
        // regexes need not run on them.
        let lower = text.to_ascii_lowercase();
        let has_digit = text.bytes().any(|b| b.is_ascii_digit());
        let maybe_url = lower.contains("www.") || lower.contains("://");
        let maybe_email = text.contains('@') || lower.contains("(at)") || lower.contains("[at]");
        let t = if maybe_url {
            p.url.replace_all(text, "[url]")
        } else {
            text.into()
        };
        let t = if maybe_email {
            p.email.replace_all(&t, "[email]").into_owned().into()
        } else {
            t
        };
        if !has_digit {
            return self.names_out(&t);
        }
        let t = p.phone.replace_all(&t, |c: &regex::Captures| {
            let digits = c[0].chars().filter(char::is_ascii_digit).count();
            if (9..=15).contains(&digits) {
                "[phone]".to_string()
            } else {
                c[0].to_string()
            }
        });
        let t = p.postcode.replace_all(&t, "[postcode]");
        let t = p.address.replace_all(&t, "[address]");
        self.names_out(&t)
    }

    /// Listed names, then names as people write them.
    fn names_out(&self, text: &str) -> String {
        let p = patterns();
        let t = self.names.replace(text);
        let t = p.titled.replace_all(&t, "[name]");
        // "Ask Sarah Thompson at …" loses both names.
        let t = p.given.replace_all(&t, "[name]");
        let mut out = t.into_owned();
        while out.contains("[name] [name]") {
            out = out.replace("[name] [name]", "[name]");
        }
        out
    }
}

/// Whether `c` is part of a word, as the regex class `\w` has it (letters, digits, `_`).
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// One listed name as its words (lower-cased) and what separates them.
#[derive(Debug, Clone)]
struct Name {
    words: Vec<String>,
    /// Between word i and i + 1: `None` for whitespace (any run of it matches), else the
    /// characters as written, whitespace runs in them collapsed to one space.
    gaps: Vec<Option<String>>,
}

/// The listed names by their first word, each list longest first (so "Ann Lee" is taken
/// whole before "Ann").
#[derive(Debug, Clone, Default)]
struct NameList {
    by_first_word: std::collections::HashMap<String, Vec<Name>>,
}

/// A text's words, as byte ranges, in order.
fn words(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (is_word_char(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, text.len()));
    }
    out
}

/// `s` lower-cased, borrowed when it already is.
fn lower(s: &str) -> std::borrow::Cow<'_, str> {
    if s.chars().any(char::is_uppercase) {
        s.to_lowercase().into()
    } else {
        s.into()
    }
}

/// What separates two words: `None` for whitespace only, else the characters with
/// whitespace runs collapsed to one space.
fn gap(s: &str) -> Option<String> {
    if s.chars().all(char::is_whitespace) {
        return None;
    }
    let mut out = String::with_capacity(s.len());
    for part in s.split_whitespace() {
        if !out.is_empty() || s.starts_with(char::is_whitespace) {
            out.push(' ');
        }
        out.push_str(part);
    }
    if s.ends_with(char::is_whitespace) {
        out.push(' ');
    }
    Some(out)
}

impl NameList {
    fn new(names: &[String]) -> Result<NameList, UnmatchableName> {
        let mut list = NameList::default();
        for (index, entry) in names.iter().enumerate() {
            let spans = words(entry);
            if spans.is_empty() {
                return Err(UnmatchableName {
                    index,
                    entry: entry.clone(),
                });
            }
            let name = Name {
                words: spans
                    .iter()
                    .map(|&(a, b)| lower(&entry[a..b]).into_owned())
                    .collect(),
                gaps: spans
                    .windows(2)
                    .map(|w| gap(&entry[w[0].1..w[1].0]))
                    .collect(),
            };
            list.by_first_word
                .entry(name.words[0].clone())
                .or_default()
                .push(name);
        }
        for names in list.by_first_word.values_mut() {
            names.sort_by_key(|n| std::cmp::Reverse(n.words.len()));
        }
        Ok(list)
    }

    /// `text` with every listed name replaced by `[name]`.
    fn replace<'a>(&self, text: &'a str) -> std::borrow::Cow<'a, str> {
        if self.by_first_word.is_empty() {
            return text.into();
        }
        let spans = words(text);
        let mut out = String::new();
        let mut copied = 0;
        let mut i = 0;
        while i < spans.len() {
            let (start, end) = spans[i];
            let found = self
                .by_first_word
                .get(lower(&text[start..end]).as_ref())
                .and_then(|names| names.iter().find(|n| self.matches(n, text, &spans[i..])));
            match found {
                Some(name) => {
                    let last = spans[i + name.words.len() - 1].1;
                    out.push_str(&text[copied..start]);
                    out.push_str("[name]");
                    copied = last;
                    i += name.words.len();
                }
                None => i += 1,
            }
        }
        if copied == 0 {
            return text.into();
        }
        out.push_str(&text[copied..]);
        out.into()
    }

    /// Whether `name` is spelt by the words at the start of `spans` (its first already is).
    fn matches(&self, name: &Name, text: &str, spans: &[(usize, usize)]) -> bool {
        spans.len() >= name.words.len()
            && (1..name.words.len()).all(|k| {
                let (prev_end, (start, end)) = (spans[k - 1].1, spans[k]);
                lower(&text[start..end]) == name.words[k].as_str()
                    && gap(&text[prev_end..start]) == name.gaps[k - 1]
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(text: &str) -> String {
        Redactor::new(&["Mrs Patel".into(), "Jo".into()])
            .unwrap()
            .redact(text)
    }

    #[test]
    fn emails_including_awkward_ones() {
        assert_eq!(r("mail j.o'neil+x@school.sch.uk."), "mail [email].");
        assert_eq!(r("(HEAD@Oakfield-Primary.org)"), "([email])");
        assert_eq!(
            r("write to jo at school dot org"),
            "write to [name] at school dot org"
        );
        assert_eq!(r("a.smith (at) kent.gov.uk"), "[email]");
    }

    #[test]
    fn phones_uk_and_international_but_not_years_or_counts() {
        assert_eq!(r("ring 07700 900123 now"), "ring [phone] now");
        assert_eq!(r("call +44 (0)20 7946 0958."), "call [phone].");
        assert_eq!(r("tel 0117-496-0123"), "tel [phone]");
        assert_eq!(r("+1 415 555 2671"), "[phone]");
        assert_eq!(
            r("from 2019 to 2023, 30 schools"),
            "from 2019 to 2023, 30 schools"
        );
        assert_eq!(r("in 2023-2024"), "in 2023-2024");
    }

    #[test]
    fn postcodes_urls_and_names() {
        assert_eq!(r("we are at BS1 4DJ"), "we are at [postcode]");
        assert_eq!(r("see https://example.org/x?y=1."), "see [url].");
        assert_eq!(
            r("thanks to mrs  patel and JO"),
            "thanks to [name] and [name]"
        );
        assert_eq!(r("joined in June"), "joined in June");
        assert_eq!(r("Year 6 2SATs"), "Year 6 2SATs");
    }

    #[test]
    fn names_and_addresses_as_people_write_them() {
        // The trial comment that reached a report before.
        assert_eq!(
            r("Ask Sarah Thompson at 12 Acacia Avenue, Leeds LS6 2AB, she knows my case"),
            "Ask [name] at [address], Leeds [postcode], she knows my case"
        );
        assert_eq!(r("Dr. Okafor was kind"), "[name] was kind");
        assert_eq!(r("thanks to Nurse Amy"), "thanks to [name]");
        assert_eq!(r("I will be back in May"), "I will be back in May");
        assert_eq!(
            r("More parking on Station Road"),
            "More parking on Station Road"
        );
    }

    /// Ten thousand names (given × surname, as a large employer's staff list is): as one
    /// case-insensitive alternation they passed the regex size limit (10 MiB compiled) and
    /// redaction silently switched off.
    #[test]
    fn thousands_of_listed_names_are_all_redacted() {
        let given = GIVEN_NAMES.iter().take(50);
        let names: Vec<String> = given
            .flat_map(|g| (0..200).map(move |s| format!("{g} Surname{s:03}x")))
            .collect();
        assert_eq!(names.len(), 10_000);
        let redactor = Redactor::new(&names).unwrap();
        let (first, last) = (&names[0], &names[9999]);
        let text = format!(
            "{} helped, and so did {}; {}'s class",
            first.to_uppercase(),
            last.replace(' ', "\n  "),
            &names[5000]
        );
        let out = redactor.redact(&text);
        assert_eq!(out, "[name] helped, and so did [name]; [name]'s class");
    }

    #[test]
    fn listed_names_match_whole_words_only_and_the_longest_first() {
        let redactor =
            Redactor::new(&["Okafor".into(), "Okafor Lee".into(), "Dr. Brennan".into()]).unwrap();
        assert_eq!(redactor.redact("Okaforville is far"), "Okaforville is far");
        assert_eq!(redactor.redact("ask okafor   lee."), "ask [name].");
        assert_eq!(redactor.redact("ask dr.  Brennan"), "ask [name]");
        // Without the entry's full stop, the title pattern still takes it.
        assert_eq!(redactor.redact("ask Dr Brennan"), "ask [name]");
        assert_eq!(redactor.redact("é Okafor_x"), "é Okafor_x");
    }

    #[test]
    fn an_entry_that_can_never_match_is_an_error_naming_it() {
        let e = Redactor::new(&["Ann".into(), " -- ".into()]).unwrap_err();
        assert_eq!(e.index, 1);
        assert!(
            e.to_string().contains("` -- ` has no letter or digit"),
            "{e}"
        );
        assert!(Redactor::new(&["".into()]).is_err());
        assert!(Redactor::new(&[]).is_ok());
    }
}
