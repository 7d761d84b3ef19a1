//! Answers that identify people by what they are, whatever the column is called: e-mail
//! addresses, IP addresses, map coordinates. A column where most answers are such values is an
//! identifier even when its name says nothing (a Kobo geopoint `Project_location`).

use regex::Regex;
use std::sync::OnceLock;

/// What most of a column's distinct answers are, when that identifies people.
pub fn identifying_values(unique: &[&str]) -> Option<&'static str> {
    if unique.is_empty() {
        return None;
    }
    static PATTERNS: OnceLock<Vec<(Regex, &'static str)>> = OnceLock::new();
    let patterns = PATTERNS.get_or_init(|| {
        [
            (r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$", "e-mail addresses"),
            (
                r"^\d{1,3}(\.\d{1,3}){3}$|^[0-9a-fA-F]{1,4}(:[0-9a-fA-F]{0,4}){4,7}$",
                "IP addresses",
            ),
            (r"^\(?\+?[\d\s().-]{9,}\d$", "phone numbers"),
            (
                r"(?i)^(uuid:)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$|^\{[0-9a-fA-F-]{36}\}$",
                "record keys (UUIDs: ODK instance ids, Kobo _uuid, ArcGIS GlobalID)",
            ),
            // IMEIs (15 digits), SIM serials (19–20) and phone numbers written without
            // separators: no count or amount in a survey runs to ten digits.
            (r"^\+?\d{10,20}$", "long digit strings (device, SIM or phone numbers)"),
        ]
        .into_iter()
        .filter_map(|(p, what)| Regex::new(p).ok().map(|r| (r, what)))
        .collect()
    });
    let share = |test: &dyn Fn(&str) -> bool, tenths: usize| {
        unique.iter().filter(|v| test(v)).count() * 10 >= unique.len() * tenths
    };
    if share(&is_coordinates, 8) {
        return Some("map coordinates");
    }
    if share(&is_trace, 8) {
        return Some("map traces or shapes (points joined by `;`: ODK's geotrace and geoshape)");
    }
    // An interviewer's, a reviewer's or a respondent's name, under any header: SurveyToGo's
    // `Srvyr`, a Kobo `enumerator`, a Forms "Nombre". Most distinct answers are names; one
    // name alone only when written whole (a given name and a surname).
    if share(&is_person_name, 6) && (unique.len() >= 2 || unique[0].split_whitespace().count() >= 2)
    {
        return Some("people's names (a common given name, then capitalised names)");
    }
    patterns
        .iter()
        .find(|(re, what)| {
            // A phone number is only told from a long number by its separators.
            let shaped = |v: &str| {
                re.is_match(v) && (*what != "phone numbers" || v.contains([' ', '-', '(', '+']))
            };
            // No quantity runs to ten digits, so half the answers that long is enough: the
            // rest of a phone-number column is often typed short or made up ("12345567").
            let tenths = if what.starts_with("long digit strings") {
                5
            } else {
                8
            };
            share(&shaped, tenths)
        })
        .map(|(_, what)| *what)
}

/// A person's name as forms and data entry write it: a common given name (`crate::given_names`)
/// first, in any case, then at most three capitalised words or name particles ("Juan Pérez",
/// "MARIA DE LA CRUZ", "Amina", "Jean-Luc Picard"). A sentence that starts with a name ("Maria
/// was very kind") is not one: its other words are not capitalised.
pub fn is_person_name(value: &str) -> bool {
    static GIVEN: OnceLock<rustc_hash::FxHashSet<String>> = OnceLock::new();
    let given = GIVEN.get_or_init(|| {
        (crate::given_names::ENGLISH.iter())
            .chain(crate::given_names::ELSEWHERE)
            .map(|n| n.to_lowercase())
            .collect()
    });
    const PARTICLES: &[&str] = &[
        "de", "del", "la", "las", "los", "da", "das", "do", "dos", "di", "van", "von", "der",
        "den", "ten", "ter", "y", "e", "bin", "binti", "al", "el", "le", "du", "des",
    ];
    let words: Vec<&str> = value.split_whitespace().collect();
    if words.is_empty() || words.len() > 4 || value.len() > 60 {
        return false;
    }
    let lettered = |w: &&str| {
        w.chars()
            .all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '’' | '.'))
    };
    // Places and bodies named after people ("Anne Frank School", "Thomas More Academy", "Mary
    // Seacole House") are groups, not people: their last word says what they are.
    const PLACES: &[&str] = &[
        "school",
        "academy",
        "college",
        "primary",
        "secondary",
        "infant",
        "infants",
        "junior",
        "nursery",
        "university",
        "institute",
        "house",
        "hall",
        "ward",
        "centre",
        "center",
        "hospital",
        "clinic",
        "surgery",
        "practice",
        "street",
        "road",
        "avenue",
        "lane",
        "park",
        "square",
        "church",
        "library",
        "trust",
        "foundation",
        "building",
        "campus",
        "station",
        "escuela",
        "colegio",
        "instituto",
        "liceo",
        "école",
        "lycée",
        "collège",
        "schule",
        "gymnasium",
        "scuola",
        "escola",
        "hospital",
        "hôpital",
        "krankenhaus",
        "ziekenhuis",
    ];
    let last = words[words.len() - 1].to_lowercase();
    if words.len() > 1 && PLACES.contains(&last.as_str()) {
        return false;
    }
    let first = words[0].split('-').next().unwrap_or(words[0]);
    words.iter().all(lettered)
        && given.contains(&first.to_lowercase())
        && words[1..].iter().all(|w| {
            PARTICLES.contains(&w.to_lowercase().as_str())
                || w.chars().next().is_some_and(char::is_uppercase)
        })
}

/// Codes that tell rows apart: at least ten answers, each different, each one token with a
/// digit in it. Letters mixed with digits ("MRN-00231", "A1023", a GUID) are a record's code
/// whatever the header says; bare numbers only under a header that says id, record or code
/// (a count or an amount is a number every row may differ in).
pub fn unique_codes(header: &str, unique: &[&str], answered: usize) -> Option<&'static str> {
    if answered < 3 || unique.len() != answered {
        return None;
    }
    let token = |v: &str| {
        (1..=64).contains(&v.len())
            && !v.contains(char::is_whitespace)
            && v.bytes().any(|b| b.is_ascii_digit())
    };
    if !unique.iter().all(|v| token(v)) {
        return None;
    }
    let lettered = unique
        .iter()
        .all(|v| v.bytes().any(|b| b.is_ascii_alphabetic()) && !v.contains(':'));
    static ID_WORD: OnceLock<Option<Regex>> = OnceLock::new();
    let id_word = ID_WORD
        .get_or_init(|| {
            Regex::new(r"(?i)(^|[^a-z])(id|ids|identifier|record|code|mrn|key|ref|reference|serial)([^a-z]|$)").ok()
        })
        .as_ref()
        .is_some_and(|re| re.is_match(header));
    // Ten rows before codes alone decide; a header that says id is evidence enough from three.
    (lettered && answered >= 10 || id_word)
        .then_some("codes, a different one on every row (ids or record numbers)")
}

/// Phone numbers without separators and household or case codes, called on again and again
/// (a phone survey's attempts, a household visited twice): most different, so not all, which
/// `unique_codes` asks. Numbers of seven to nine digits (ten with a trunk prefix 0) that are
/// seldom round (an amount in a small currency unit is, 1500000), or codes of two to six
/// letters then digits (`MOMA75`, `HH-0412`).
/// At least twenty answers, at least three in five of them different.
pub fn mostly_different_ids(
    header: &str,
    unique: &[&str],
    answered: usize,
) -> Option<&'static str> {
    if answered < 20 || unique.len() * 5 < answered * 3 || counts_or_money(header) {
        return None;
    }
    let share = |test: &dyn Fn(&str) -> bool| {
        unique.iter().filter(|v| test(v)).count() * 10 >= unique.len() * 9
    };
    let dialled = |v: &str| {
        let digits = v.bytes().all(|b| b.is_ascii_digit());
        let local = (7..=9).contains(&v.len()) && !v.starts_with('0');
        digits && (local || v.len() == 10 && v.starts_with('0')) && !compact_date(v)
    };
    let round = unique.iter().filter(|v| v.ends_with("00")).count();
    if share(&dialled) && round * 10 < unique.len() {
        return Some(
            "numbers of seven to ten digits, most of them different: phone numbers or ids",
        );
    }
    let coded = |v: &str| {
        let letters = v.bytes().take_while(u8::is_ascii_alphabetic).count();
        let rest = v[letters..].trim_start_matches(['-', '_', '/']);
        (2..=6).contains(&letters)
            && (2..=8).contains(&rest.len())
            && rest.bytes().all(|b| b.is_ascii_digit())
    };
    share(&coded)
        .then_some("codes of letters and digits, most of them different: household or case ids")
}

/// A header that names an amount, a count or a measure: its numbers are that, however many
/// digits they run to ("Monthly spending (Rp)", "Annual budget (USD)", "Steps walked"). The
/// quantities `settle_numbered_choices` keeps as numbers, and money.
fn counts_or_money(header: &str) -> bool {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    let money = RE.get_or_init(|| {
        Regex::new(r"(?i)\b(income|salary|wage|spend\w*|spent|expenditure|cost|price|budget|revenue|turnover|profit|paid|pay|value|fee|rent|loan|debt|savings?|money|steps|distance|weight|area|population|rp|idr|usd|eur|gbp|cop|mxn|inr|kes|ngn)\b|[$€£]").ok()
    });
    let words = header.replace('_', " ");
    super::numbers::names_quantity(&words) || money.as_ref().is_some_and(|re| re.is_match(&words))
}

/// A date written as eight digits, `YYYYMMDD` (20240315).
fn compact_date(v: &str) -> bool {
    let n = |r: std::ops::Range<usize>| v.get(r).and_then(|d| d.parse::<u32>().ok());
    v.len() == 8
        && matches!(n(0..4), Some(1900..=2100))
        && matches!(n(4..6), Some(1..=12))
        && matches!(n(6..8), Some(1..=31))
}

/// Whole numbers that rise on every row, as a column's answers come in file order: a tool's
/// record, submission or row numbers (Drupal Webform's "Serial" and "SID"), never answers to a
/// question, which nobody gives in ascending order. At least ten answers.
pub fn record_numbers<'a>(in_file_order: impl Iterator<Item = &'a str>) -> bool {
    let mut last: Option<i64> = None;
    let mut answered = 0;
    for cell in in_file_order.map(str::trim).filter(|c| !c.is_empty()) {
        match cell.parse::<i64>() {
            Ok(n) if last.is_none_or(|l| n > l) => last = Some(n),
            _ => return false,
        }
        answered += 1;
    }
    answered >= 10
}

/// Web addresses, nearly each a different one: a respondent's own page, profile or fundraising
/// link names them (SurveyMonkey's contact-information fields, a "your website" text box).
/// `said` is a column's answers other than "N/A" and the like, with how often each was given;
/// a link many respondents give alike ("google.com") is a choice, not a person.
pub fn web_addresses(said: &[(&str, usize)]) -> Option<&'static str> {
    static URL: OnceLock<Option<Regex>> = OnceLock::new();
    let url = URL
        .get_or_init(|| {
            Regex::new(r"(?i)^(https?://\S+|www\.\S+|[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}/\S*|[a-z0-9-]+(\.[a-z0-9-]+)*\.(com|org|net|edu|gov|io|me|info|biz|co|us|uk))$").ok()
        })
        .as_ref()?;
    let links: Vec<usize> = said
        .iter()
        // A link to a photo or recording uploaded with the response points at no one.
        .filter(|(v, _)| url.is_match(v.trim()) && !super::is_file_reference(v.trim()))
        .map(|(_, n)| *n)
        .collect();
    let distinct_enough = links.len() * 10 >= links.iter().sum::<usize>() * 8;
    let most = links.len() * 10 >= said.len() * 8;
    (links.len() >= 3 && most && distinct_enough).then_some(
        "web addresses, a different one from nearly every respondent (their own pages or profiles)",
    )
}

/// One part of a position in a column of its own (Survey123's `x`/`y`, a GPS question's
/// `_latitude`, a `lon` field): a coordinate's name over numbers in degrees with decimals.
pub fn coordinate_part(name: &str, unique: &[&str]) -> Option<&'static str> {
    static NAME: OnceLock<Option<Regex>> = OnceLock::new();
    let named = NAME
        .get_or_init(|| {
            Regex::new(r"(?i)^(.*[\s_./-])?(x|y|lat|lon|lng|long|latitude|longitude|easting|northing|coord(inate)?s?)[\s:?]*$").ok()
        })
        .as_ref()
        .is_some_and(|re| re.is_match(name.trim()));
    let degrees = |v: &str| {
        v.split_once('.').is_some_and(|(_, f)| f.len() >= 3)
            && v.parse::<f64>().is_ok_and(|d| d.abs() <= 180.0)
    };
    let most =
        !unique.is_empty() && unique.iter().filter(|v| degrees(v)).count() * 10 >= unique.len() * 8;
    (named && most).then_some("one part of map coordinates")
}

/// "-1.2921 36.8219" or "-1.2921 36.8219 1650 5" (a geopoint: latitude, longitude, altitude,
/// precision), or "51.5072, -0.1276": degrees with decimals, latitude within ±90.
fn is_coordinates(v: &str) -> bool {
    let parts: Vec<&str> = v.split([' ', ',']).filter(|p| !p.is_empty()).collect();
    if !(2..=4).contains(&parts.len()) {
        return false;
    }
    // Positions carry three decimals or more (about 100 m); "1.5 2.5" is two answers.
    let degrees = |p: &str, limit: f64| {
        p.split_once('.').is_some_and(|(_, f)| f.len() >= 3)
            && p.parse::<f64>().is_ok_and(|d| d.abs() <= limit)
    };
    degrees(parts[0], 90.0)
        && degrees(parts[1], 180.0)
        && parts[2..].iter().all(|p| p.parse::<f64>().is_ok())
}

/// ODK's geotrace and geoshape: geopoints joined by `;` (one after the last, too).
fn is_trace(v: &str) -> bool {
    let points: Vec<&str> = v
        .split(';')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    points.len() >= 2 && points.iter().all(|p| is_coordinates(p))
}

/// Answers nearly all different that are proper names (every word capitalised or in capitals:
/// "NEW HOPE NURSERY AND PRIMARY SCHOOL", "John Mark"), as a form records a person, a school
/// or a centre by name; comments are sentences, whose words after the first are mostly lower
/// case. At least twenty answers, most of them names, few repeated.
pub fn proper_names(said: &[(&str, usize)]) -> Option<&'static str> {
    let answered: usize = said.iter().map(|(_, n)| n).sum();
    let repeated: usize = said.iter().filter(|(_, n)| *n > 1).map(|(_, n)| n).sum();
    if answered < 20 || repeated * 5 > answered {
        return None;
    }
    let named = said.iter().filter(|(v, _)| is_proper_name(v)).count();
    (named * 10 >= said.len() * 8)
        .then_some("proper names, nearly all different (people, schools or places named)")
}

fn is_proper_name(v: &str) -> bool {
    let words: Vec<&str> = v.split_whitespace().collect();
    let capitalised = |w: &&str| {
        w.chars()
            .find(|c| c.is_alphanumeric())
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
    };
    let joining = |w: &&str| ["and", "of", "de", "la", "du", "da", "&"].contains(w);
    (1..=8).contains(&words.len())
        && words.iter().any(|w| w.chars().any(char::is_alphabetic))
        && words.iter().all(|w| capitalised(w) || joining(w))
        && !v.trim_end().ends_with(['?', '!'])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_the_answers_ten_digits_long_is_a_column_of_phone_numbers() {
        // Phone numbers stored as numbers (a leading 0 lost), beside short and made-up ones.
        let answers = [
            "81325512690",
            "83842462038",
            "83865622059",
            "12345567",
            "89909988",
            "830174",
            "82126318673",
        ];
        assert_eq!(
            identifying_values(&answers),
            Some("long digit strings (device, SIM or phone numbers)")
        );
        // Amounts are never ten digits long, however many there are.
        assert_eq!(
            identifying_values(&["12000", "45000", "100000", "2500"]),
            None
        );
    }

    #[test]
    fn whole_numbers_rising_on_every_row_are_record_numbers() {
        let serial: Vec<String> = (2..14).map(|i| i.to_string()).collect();
        assert!(record_numbers(serial.iter().map(String::as_str)));
        let sid = [
            "9212630", "9212638", "", "9212644", "9212651", "9212660", "9212663",
        ];
        let more = ["9212670", "9212688", "9212690", "9212701", "9212711"];
        assert!(record_numbers(sid.iter().chain(&more).copied()));
        // Answers: a repeat, a fall, a decimal, or too few rows to tell.
        let ages = [
            "34", "35", "35", "40", "41", "42", "50", "51", "60", "61", "62",
        ];
        assert!(!record_numbers(ages.iter().copied()));
        let mut falling = serial.clone();
        falling.swap(3, 4);
        assert!(!record_numbers(falling.iter().map(String::as_str)));
        let amounts = ["1", "2", "3", "4.5", "5", "6", "7", "8", "9", "10", "11"];
        assert!(!record_numbers(amounts.iter().copied()));
        assert!(!record_numbers(serial[..9].iter().map(String::as_str)));
    }

    #[test]
    fn names_of_people_are_identifying_answers_whatever_the_header() {
        // An interviewer column as survey tools' exports hold it, in the languages of the sets.
        let staff = [
            "Juan Pérez",
            "MARIA DE LA CRUZ",
            "Amina Yusuf",
            "José Luis García",
        ];
        assert!(staff.iter().all(|v| is_person_name(v)), "{staff:?}");
        assert_eq!(
            identifying_values(&staff),
            Some("people's names (a common given name, then capitalised names)")
        );
        // One interviewer for the whole wave, written whole.
        assert!(identifying_values(&["Kwame Mensah"]).is_some());
        // Schools and houses named after people are groups, not people.
        let schools = [
            "Anne Frank School",
            "Thomas More Academy",
            "Mary Seacole House",
            "John Henry Newman College",
        ];
        assert_eq!(identifying_values(&schools), None);
        // Sentences that start with a name, options that are not people, and a lone given
        // name (a choice of one option) are not.
        for v in [
            "Maria was very kind",
            "Very satisfied",
            "Rosa",
            "Dolores García 3",
        ] {
            assert!(!is_person_name(v), "{v}");
        }
        assert_eq!(identifying_values(&["Emma"]), None);
        let flowers = ["Rosa", "Margarita", "Violeta", "Azucena", "Tulipán"];
        assert_eq!(identifying_values(&flowers), None);
        let months = ["Enero", "Febrero", "Julio", "Agosto"];
        assert_eq!(identifying_values(&months), None);
    }

    #[test]
    fn phone_numbers_and_household_codes_called_on_twice_are_ids() {
        // Batch 17's phone survey: 7-digit numbers and codes like MOMA75, four in five
        // different (a household called again).
        let phones: Vec<String> = (0..40)
            .map(|i| (6_000_192 + 9_973 * i).to_string())
            .collect();
        let phones: Vec<&str> = phones.iter().map(String::as_str).collect();
        assert!(mostly_different_ids("Phone", &phones, 50).is_some());
        let codes: Vec<String> = (0..40).map(|i| format!("MOMA{}", 70 + i)).collect();
        let codes: Vec<&str> = codes.iter().map(String::as_str).collect();
        assert!(mostly_different_ids("q0_3", &codes, 50).is_some());
        // Amounts in a small currency unit are round; answers that repeat are a choice.
        let amounts: Vec<String> = (0..40)
            .map(|i| (1_000_000 + 50_000 * i).to_string())
            .collect();
        let amounts: Vec<&str> = amounts.iter().map(String::as_str).collect();
        assert!(mostly_different_ids("q7", &amounts, 50).is_none());
        assert!(mostly_different_ids("q0_2", &phones[..10], 50).is_none());
        // Exact amounts and counts under a header that says so (the review's rupiah, budgets
        // and steps), and dates written as eight digits.
        for header in [
            "Monthly spending on food (Rp)",
            "Annual budget (USD)",
            "Steps walked",
        ] {
            assert!(
                mostly_different_ids(header, &phones, 50).is_none(),
                "{header}"
            );
        }
        let dates: Vec<String> = (0..40)
            .map(|i| format!("2024{:02}{:02}", 1 + i % 12, 1 + i % 28))
            .collect();
        let dates: Vec<&str> = dates.iter().map(String::as_str).collect();
        assert!(mostly_different_ids("Date of visit", &dates, 50).is_none());
        let years: Vec<String> = (0..40).map(|i| (1950 + i).to_string()).collect();
        let years: Vec<&str> = years.iter().map(String::as_str).collect();
        assert!(mostly_different_ids("Year", &years, 50).is_none());
    }

    #[test]
    fn recognises_identifying_answers() {
        assert_eq!(
            identifying_values(&["-1.2864 36.8172 1650.0 5.0", "51.5072 -0.1276 0 0"]),
            Some("map coordinates")
        );
        assert_eq!(
            identifying_values(&["ann@example.org", "bo@example.org"]),
            Some("e-mail addresses")
        );
        assert_eq!(identifying_values(&["97.127.8.139"]), Some("IP addresses"));
        assert_eq!(
            identifying_values(&["+44 20 7946 0000", "(020) 7946-0001"]),
            Some("phone numbers")
        );
        assert_eq!(identifying_values(&["1234567", "3.5"]), None);
        assert_eq!(
            identifying_values(&["uuid:0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"]),
            Some("record keys (UUIDs: ODK instance ids, Kobo _uuid, ArcGIS GlobalID)")
        );
        assert!(identifying_values(&["356938035643809", "490154203237518"]).is_some());
        assert_eq!(
            coordinate_part("y", &["42.6029380003", "42.6148190004"]),
            Some("one part of map coordinates")
        );
        assert_eq!(coordinate_part("y", &["3", "4"]), None);
        assert!(coordinate_part("Q12_y", &["-114.477417"]).is_some());
        assert_eq!(coordinate_part("Battery Voltage", &["42.6029"]), None);
        assert_eq!(identifying_values(&["Apple", "Kiwi"]), None);
        assert_eq!(identifying_values(&["1.5 2.5"]), None);
        let links = [
            ("paypal.me/anc5b02", 1),
            ("https://secure.actblue.com/donate/keya", 1),
            ("www.edwardryderanc.com", 1),
            ("santi4dc.com", 1),
            ("TBD", 1),
        ];
        assert!(web_addresses(&links).is_some());
        // One site most respondents name is an option of a choice.
        assert_eq!(
            web_addresses(&[("google.com", 9), ("bing.com", 3), ("duckduckgo.com", 2)]),
            None
        );
        assert_eq!(
            web_addresses(&[("Headshot.jpg", 1), ("me.png", 1), ("cv.pdf", 1)]),
            None
        );
        let codes: Vec<String> = (0..12).map(|i| format!("MRN-{:05}", 231 + i)).collect();
        let codes: Vec<&str> = codes.iter().map(String::as_str).collect();
        assert!(unique_codes("Chart", &codes, 12).is_some());
        let numbers: Vec<String> = (0..12).map(|i| (40_512 + 7 * i).to_string()).collect();
        let numbers: Vec<&str> = numbers.iter().map(String::as_str).collect();
        assert!(unique_codes("participant_id", &numbers, 12).is_some());
        assert!(unique_codes("Household income", &numbers, 12).is_none());
        assert!(
            unique_codes("participant_id", &numbers[..11], 12).is_none(),
            "a repeat"
        );
    }
}
