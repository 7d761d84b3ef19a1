//! Redaction of quotes: e-mail addresses, URLs, phone numbers (UK and international), UK
//! postcodes, street addresses, listed names and names as people write them (a title and a
//! surname, a common given name with or without a surname) are replaced by `[email]`, `[url]`,
//! `[phone]`, `[postcode]`, `[address]` and `[name]` before any text leaves the themes stage.

use crate::names::NameList;
pub use crate::names::UnmatchableName;
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
        given: Regex::new(&format!(r"\b(?:{})\b(?:\s+[A-Z][a-z'’-]+)?", crate::given_names::ENGLISH.join("|")))
            .expect("static regex"),
    })
}

/// Redacts one text. Built once per run with the survey's list of names to remove.
#[derive(Debug, Clone)]
pub struct Redactor {
    names: NameList,
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
        let given = crate::given_names::ENGLISH.iter().take(50);
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
