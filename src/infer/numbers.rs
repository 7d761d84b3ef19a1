//! Answers that are all whole numbers: a checkbox, a rating when the question says so (in
//! any language canvass reads) or states its ends, a tool's option codes, or a quantity.

use super::*;

/// Words that say a number is a rating: "on a scale of 1 to 10", "how satisfied", "rate", in
/// English and in the languages whose scales canvass reads (Spanish "en una escala del 1 al 5",
/// "¿qué tan probable…?", French "notez", "dans quelle mesure", German "bewerten Sie",
/// "wie zufrieden", Portuguese "avalie", Italian "valuti", Dutch "in hoeverre"): a survey in
/// another language asks for ratings as often, and without them its 1–5 answers were counts.
pub(super) fn rating_words() -> &'static Regex {
    // expect: a literal pattern, compiled the first time any test runs it; it cannot fail at run time.
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(concat!(
            r"(?i)\b(rate|rating|scale|agree|disagree|satisf\w*|likely|how\s+(much|well|often|likely|satisfied|important|useful|helpful|confident|good|easy|difficult|aligned|clear|comfortable|familiar|prepared|supported|valued)|how\s+(do\s+)?you\s+feel|feel\s+about|score|stars?|extent",
            // Spanish and Portuguese.
            r"|escala|califi\w*|valor[aá]\w*|punt[uú]a\w*|eval[uú]e|evaluar[ií]a|avali(e|ar|aria|a)|probabilidad|probable|prov[aá]vel|qu[eé]\s+tan|qu[aã]o|en\s+qu[eé]\s+medida|em\s+que\s+medida|de\s+acuerdo|de\s+acordo|importancia|import[aâ]ncia",
            // French.
            r"|[ée]chelle|not(ez|er)|[ée]valuez|[ée]valuer(iez)?|probabilit[ée]|dans\s+quelle\s+mesure|[àa]\s+quel\s+point|d['’]accord",
            // German.
            r"|skala|bewert\w*|beurteil\w*|zufrieden\w*|wahrscheinlich\w*|inwieweit|wie\s+(sehr|gut|oft|wichtig)|zustimm\w*|stimme\s+zu",
            // Italian.
            r"|su\s+una\s+scala|scala\s+da\s+\d|valuti|valutare|soddisf\w*|probabilit[àa]|in\s+che\s+misura|d['’]accordo",
            // Dutch.
            r"|schaal|beoordeel\w*|tevreden\w*|waarschijnlijk\w*|in\s+hoeverre|hoe\s+(vaak|belangrijk|goed)|het\s+eens",
            // Russian: "оцените" (rate), "по шкале", "насколько", "довольны", "вероятность".
            r"|оцен\w*|шкал\w*|насколько|доволь\w*|удовлетвор\w*|вероятн\w*|согласн\w*",
            r")\b"
        ))
            .expect("static regex")
    })
}

/// Whole numbers: a checkbox, a rating when the question says so, otherwise a quantity.
pub(super) fn decide_numeric(
    info: &mut ColumnInfo,
    format: Format,
    column: &RawColumn,
    p: &Profile,
    values: &[&str],
) {
    let text = format!("{} {}", column.name.replace('_', " "), column.question);
    let worded = rating_words().is_match(&text);
    if let Some((anchors, (lo, hi))) = anchors(&text).zip(anchored_range(values)) {
        numeric_scale(info, p, (lo, hi), &BTreeSet::new());
        info.set(
            Kind::Likert,
            format!("whole numbers {lo}–{hi} between the ends the question names ({anchors})"),
        );
    } else if let Some((lo, hi)) = numbered_options(&column.choices) {
        numeric_scale(info, p, (lo, hi), &BTreeSet::new());
        info.codes = (lo..=hi).map(|v| v as f64).collect();
        info.set(
            Kind::Likert,
            format!("the tool's answer options are the numbers {lo}–{hi}, in order"),
        );
    } else if !column.choices.is_empty() && !column.name.contains("___") {
        info.group_sizes = p.sizes();
        info.set(
            Kind::SingleChoice,
            "codes of the answer options the tool defines (its data dictionary names each)",
        );
    } else if is_checkbox(format, &column.name, &p.unique) {
        info.set(Kind::MultiSelect, "a checkbox option: ticked 1, or 0/1");
    } else if let Some((lo, hi, negative)) = rating_range(values, true)
        .or_else(|| within_stated_ends(&text, values))
        .or_else(|| unanswered_bottom(values).filter(|_| !names_quantity(&text)))
        .filter(|_| worded)
    {
        let (lo, hi) = rating_ends(&text, lo, hi);
        numeric_scale(info, p, (lo, hi), &negative);
        info.set(
            Kind::Likert,
            format!("whole numbers {lo}–{hi} and the question asks for a rating"),
        );
    } else if names_quantity(&text) {
        info.set(
            Kind::Numeric,
            "every answer is a number and the header names a quantity (a percentage, count or total)",
        );
    } else if p.unique.iter().all(|v| *v == "0" || *v == "1") {
        info.set(Kind::SingleChoice, "yes/no coded 1 and 0");
    } else if is_choice_code(format, column, p) {
        info.group_sizes = p.sizes();
        info.set(
            Kind::SingleChoice,
            "Qualtrics writes a choice question's answer as its option's code: a few whole numbers, repeated",
        );
    } else if column.closed {
        info.group_sizes = p.sizes();
        info.set(
            Kind::SingleChoice,
            "the tool's header marks a closed question (\"Response\"): the numbers are its options",
        );
    } else if is_redcap_code(format, column, p, values) {
        info.group_sizes = p.sizes();
        info.set(
            Kind::SingleChoice,
            "REDCap's raw export writes a radio or dropdown answer as its option's code: a few small whole numbers",
        );
    } else if let Some((lo, hi, negative)) =
        // A quantity's header was decided above ("how many", "how long").
        rating_range(values, false).filter(|_| writes_labels(format))
    {
        numeric_scale(info, p, (lo, hi), &negative);
        info.set(
            Kind::Likert,
            format!("whole numbers {lo}–{hi} from a tool that writes a choice as its label, never a code: a linear scale's points"),
        );
    } else if rating_range(values, true).is_some() {
        // Nominal codes (SurveyCTO's `animal` 1–6) look just like a rating; without words that
        // say "rate" a mean of them would be meaningless.
        info.set(
            Kind::Numeric,
            "whole numbers on a short range, but nothing says they are a rating (codes of categories?): not scored",
        );
    } else {
        info.set(Kind::Numeric, "every answer is a number");
    }
}

/// The ends of a rating scale whose answers reached `lo`..`hi`: those the question states (see
/// `stated_ends`) when the answers lie between them, else 0–10 for a likelihood asked from 0
/// (the 11-point scale of "How likely are you to recommend …", Net Promoter's, which
/// SurveyMonkey, Qualtrics and Google Forms templates use) even when nobody answered 10, else
/// the answers' own.
pub(super) fn rating_ends(text: &str, lo: i64, hi: i64) -> (i64, i64) {
    // expect: a literal pattern, compiled the first time any test runs it; it cannot fail at run time.
    static RE: OnceLock<Regex> = OnceLock::new();
    let likelihood = RE.get_or_init(|| {
        Regex::new(r"(?i)\b(likely|likelihood|recommend|probab\w*|prov[aá]vel|wahrscheinlich\w*|waarschijnlijk\w*|recomend\w*|recommand\w*|empfehl\w*|weiterempfehl\w*|raccomand\w*|aanbevel\w*|aanraden)\b")
            .expect("static regex")
    });
    if let Some((a, b)) = stated_ends(text).filter(|&(a, b)| a <= lo && hi <= b) {
        return (a, b);
    }
    if lo == 0 && (6..10).contains(&hi) && likelihood.is_match(text) {
        return (0, 10);
    }
    (lo, hi)
}

/// The ends a question states for its rating: "on a scale of 0 to 10", "(1-7)", "0 = not at
/// all likely … 10 = extremely likely"; from 0 or 1, to at most 10.
pub(super) fn stated_ends(text: &str) -> Option<(i64, i64)> {
    // expect: a literal pattern, compiled the first time any test runs it; it cannot fail at run time.
    static RE: OnceLock<Regex> = OnceLock::new();
    let stated = RE.get_or_init(|| {
        Regex::new(r"(?i)(?:\b(?:scale|rate|rating|escala|[ée]chelle|skala|scala|schaal)\b\D{0,20}?|\()\b([01])\s*(?:-|–|to|al?|à|bis|tot)\s*(\d{1,2})\b|\b([01])\s*=[^=]{1,60}?\b(\d{1,2})\s*=")
            .expect("static regex")
    });
    let c = stated.captures(text)?;
    let number = |i: usize, j: usize| {
        c.get(i)
            .or_else(|| c.get(j))
            .and_then(|m| m.as_str().parse::<i64>().ok())
    };
    let (a, b) = (number(1, 3)?, number(2, 4)?);
    (a < b && b <= 10).then_some((a, b))
}

/// Whole-number answers (at least two different) between the ends the question states: a
/// rating even where nobody chose the bottom ("on a scale of 1 to 7", answered 2–6).
pub(super) fn within_stated_ends(text: &str, values: &[&str]) -> Option<(i64, i64, BTreeSet<i64>)> {
    let (a, b) = stated_ends(text)?;
    let mut seen = BTreeSet::new();
    for v in values {
        let f: f64 = v.parse().ok()?;
        if f.fract() != 0.0 || f < a as f64 || f > b as f64 {
            return None;
        }
        seen.insert(f as i64);
    }
    (seen.len() >= 2).then(|| {
        (
            *seen.first().unwrap_or(&a),
            *seen.last().unwrap_or(&b),
            BTreeSet::new(),
        )
    })
}

/// The two ends a question names for its numbers: LimeSurvey's slider and semantic-differential
/// rows write them into the header as `[Alcohol:|absolutely not|absolutely]`.
pub(super) fn anchors(text: &str) -> Option<String> {
    // expect: a literal pattern, compiled the first time any test runs it; it cannot fail at run time.
    static RE: OnceLock<Regex> = OnceLock::new();
    let re =
        RE.get_or_init(|| Regex::new(r"\|([^|\]\[]+)\|([^|\]\[]+)\]\s*$").expect("static regex"));
    let c = re.captures(text)?;
    Some(format!("{} … {}", c[1].trim(), c[2].trim()))
}

/// Whole numbers from 0 to 10 (at least one answered): the points between two named ends.
pub(super) fn anchored_range(values: &[&str]) -> Option<(i64, i64)> {
    let mut seen = BTreeSet::new();
    for v in values {
        let f: f64 = v.parse().ok()?;
        if f.fract() != 0.0 || !(0.0..=10.0).contains(&f) {
            return None;
        }
        seen.insert(f as i64);
    }
    let (&lo, &hi) = (seen.first()?, seen.last()?);
    Some((lo.min(1), hi))
}

/// The lowest and highest of answer options that are the numbers themselves in order (REDCap's
/// `0, 0 | 1, 1 | … | 5, 5`): a rating on those numbers.
pub(super) fn numbered_options(choices: &[(String, String)]) -> Option<(i64, i64)> {
    if choices.len() < 3 || choices.len() > 11 {
        return None;
    }
    let mut numbers = Vec::with_capacity(choices.len());
    for (code, label) in choices {
        let n: i64 = label.trim().parse().ok()?;
        if code.trim().parse::<i64>().ok()? != n {
            return None;
        }
        numbers.push(n);
    }
    // `checked_add`: a REDCap dictionary may number an option i64::MAX.
    let consecutive = numbers
        .windows(2)
        .all(|w| w[0].checked_add(1) == Some(w[1]));
    (consecutive && numbers[0] <= 1).then(|| (numbers[0], numbers[numbers.len() - 1]))
}

/// A Qualtrics answer column (its ImportId a question's, not a text entry's) holding a few whole
/// numbers: Qualtrics exports "numeric values", the code of the option chosen (recode values may
/// be anything: 142, 231 …). A number typed in a text box has a `TEXT` ImportId.
pub(super) fn is_choice_code(format: Format, column: &RawColumn, p: &Profile) -> bool {
    let question_id = column
        .import_id
        .as_deref()
        .is_some_and(|id| id.starts_with("QID") && !id.to_ascii_uppercase().contains("TEXT"));
    let whole = p.unique.iter().all(|v| {
        v.parse::<f64>()
            .is_ok_and(|f| f.fract() == 0.0 && f.abs() < 1e6)
    });
    // A slider's positions differ from one respondent to the next; option codes recur.
    let spread = p.distinct == p.answered && p.answered >= 4;
    let few = p.distinct <= 12 && !spread && (p.answered < 20 || p.repeated_share() >= 0.5);
    format == Format::Qualtrics && question_id && whole && few
}

/// Words of a header that names an amount: "dasmt_lymph_pct", "Percent of time", "Number of
/// children", "total_visits". A column of such numbers is numeric even when the few answers
/// seen are 0 and 1.
pub(super) fn names_quantity(text: &str) -> bool {
    // expect: a literal pattern, compiled the first time any test runs it; it cannot fail at run time.
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)(\b(pct|percent(age)?|count|total|amount|number\s+of|how\s+many|how\s+much|how\s+long|how\s+old|age|cu[aá]nt[oa]s|wie\s+viele|quant[oa]s|quant[ie]|hoeveel)\b|%)")
            .expect("static regex")
    })
    .is_match(text)
}

/// Most different codes a REDCap radio or dropdown answered without its dictionary shows.
const MAX_REDCAP_CODES: usize = 10;

/// A REDCap column of option codes: REDCap's raw export writes a radio, dropdown or yes/no
/// answer as its code (1, 2, 3 … unless the designer chose others), a number typed into a text
/// field as itself. Codes are small whole numbers that start at 0 or 1 or recur across
/// records; measurements spread. Only without the data dictionary: with it, a field has its
/// label as question and its options when it has any, so one without options is typed.
pub(super) fn is_redcap_code(
    format: Format,
    column: &RawColumn,
    p: &Profile,
    values: &[&str],
) -> bool {
    let no_dictionary = column.question.is_empty() || column.question == column.name;
    if format != Format::Redcap || !no_dictionary || p.distinct > MAX_REDCAP_CODES {
        return false;
    }
    let mut codes = BTreeSet::new();
    for v in values {
        match v.parse::<u8>() {
            Ok(n) if n <= 20 && (n == 0 || !v.starts_with('0')) => codes.insert(n),
            _ => return false,
        };
    }
    let from_first = codes.first().is_some_and(|&lo| lo <= 1) && codes.len() >= 2;
    from_first || (p.answered >= 2 && p.repeated_share() >= 0.5)
}

/// Whole-number answers on a short range from 0 or 1 (at most eleven points; at least three
/// seen, or two when the question says it is a rating): a rating. Negative codes beside them
/// are "not applicable" recodes.
/// A rating on the whole numbers `lo`–`hi`, with the negative codes that mean no answer.
fn numeric_scale(
    info: &mut ColumnInfo,
    p: &Profile,
    (lo, hi): (i64, i64),
    negative: &BTreeSet<i64>,
) {
    info.scale = Some(format!("numeric-{lo}-{hi}"));
    info.labels = (lo..=hi).map(|v| v.to_string()).collect();
    info.not_applicable = negative.iter().map(|v| v.to_string()).collect();
    info.group_sizes = p.sizes();
}

/// Tools that write a choice question's answer as its label, so that a column of a few small
/// whole numbers is a rating (Google Forms' linear scale, Microsoft Forms' rating, Typeform's
/// opinion scale) or a number typed, never an option's code.
fn writes_labels(format: Format) -> bool {
    matches!(
        format,
        Format::GoogleForms | Format::MicrosoftForms | Format::Typeform
    )
}

/// A rating nobody answered at its lowest points ("noter … combien vous donneriez-vous ?": 3 to
/// 10; "Como você avalia …": 3 to 5): at least three whole numbers from 2 to 10, on a scale taken
/// to start at 1. Small groups of satisfied respondents leave the bottom of a scale empty.
fn unanswered_bottom(values: &[&str]) -> Option<(i64, i64, BTreeSet<i64>)> {
    let mut seen = BTreeSet::new();
    for v in values {
        let f: f64 = v.parse().ok()?;
        if f.fract() != 0.0 || !(2.0..=10.0).contains(&f) {
            return None;
        }
        seen.insert(f as i64);
    }
    (seen.len() >= 3).then(|| (1, *seen.last().unwrap_or(&10), BTreeSet::new()))
}

pub(super) fn rating_range(values: &[&str], worded: bool) -> Option<(i64, i64, BTreeSet<i64>)> {
    let mut seen = BTreeSet::new();
    let mut negative = BTreeSet::new();
    for v in values {
        // Spreadsheets store whole numbers as `4.0`.
        let f: f64 = v.parse().ok()?;
        if f.fract() != 0.0 || f.abs() > 1e6 {
            return None;
        }
        let n = f as i64;
        if n < 0 {
            negative.insert(n);
        } else {
            seen.insert(n);
        }
    }
    let (&lo, &hi) = (seen.first()?, seen.last()?);
    let least = if worded { 2 } else { 3 };
    let plausible = lo <= 1 && hi <= 10 && seen.len() >= least && negative.len() <= 3;
    plausible.then_some((lo, hi, negative))
}

/// Codes forms give the answers "other", "don't know" and "refused" (`888`, `99`, `-77`;
/// household surveys' 96 "other", 97 "refused", 98 "don't know"): beside 1, 2, 3 they do not
/// make a column a quantity.
const SPECIAL_CODES: [i64; 19] = [
    77, 88, 96, 97, 98, 99, 777, 888, 996, 997, 998, 999, -77, -88, -96, -97, -98, -99, -999,
];

/// Most different codes a numbered choice question shows.
const MAX_CHOICE_CODES: usize = 12;

/// ODK, KoboToolbox and SurveyCTO export a choice as its name (the "XML values" of the
/// form), and forms often name choices by number. Where the export shows that (a check-all
/// question's option columns named `Q26/1`, `Q26/888`), a column of a few small whole numbers
/// starting at 0 or 1, under a name that says nothing of what it asks (see `opaque`), is a
/// single choice's codes, not a quantity typed: the form's choices are numbered. Headers that
/// name a quantity ("how many", "total", `hh_size`) stay numbers. Runs after the learned
/// model, which reads one column at a time and has no feature for this export-wide evidence.
pub(super) fn settle_numbered_choices(
    infos: &mut [ColumnInfo],
    profiles: &[Profile],
    raw: &RawExport,
) {
    let numbered = infos.iter().find(|info| {
        info.kind == Kind::MultiSelect
            && info
                .name
                .rsplit_once('/')
                .is_some_and(|(q, choice)| !q.is_empty() && choice.parse::<i64>().is_ok())
    });
    let example = numbered.map(|info| info.name.clone());
    // XLSForm's "or other" writes what was typed after "Other" in `question_other`: the
    // question beside such a box is a choice, when its numbers are codes (see `small_codes`).
    let other_boxes: BTreeSet<&str> = (infos.iter().zip(profiles))
        .filter(|(_, p)| p.answered > 0)
        .filter_map(|(info, _)| super::options::other_box_of(&info.name))
        .collect();
    let mut choices = Vec::new();
    for (i, ((info, p), column)) in infos.iter().zip(profiles).zip(&raw.columns).enumerate() {
        let text = format!("{} {}", column.name.replace('_', " "), column.question);
        if info.kind != Kind::Numeric || names_quantity(&text) {
            continue;
        }
        let reason = if other_boxes.contains(info.name.as_str()) && small_codes(p) {
            format!("whole numbers with a box `{}_other` beside them for the \"Other\" answer: a choice's numbered options", info.name)
        } else if let Some(example) = example
            .as_deref()
            .filter(|_| numbered_codes(p) && opaque(&info.name))
        {
            format!("the export writes choices by name and the form numbers them (`{example}`): a few small whole numbers, repeated")
        } else {
            continue;
        };
        choices.push((i, reason));
    }
    for (i, reason) in choices {
        let info = &mut infos[i];
        info.group_sizes = profiles[i].sizes();
        info.scale = None;
        info.labels.clear();
        info.set(Kind::SingleChoice, reason);
    }
}

/// Most different codes a choice question with an "Other" box shows (a list of districts).
const MAX_LISTED_CODES: usize = 40;

/// Codes of a list of options: at most `MAX_LISTED_CODES` whole numbers, each below 100 or a
/// special code. An amount typed beside an "other income" box spreads wider.
fn small_codes(p: &Profile) -> bool {
    p.unique.len() <= MAX_LISTED_CODES
        && p.unique.iter().all(|v| {
            v.trim()
                .parse::<i64>()
                .is_ok_and(|n| (0..100).contains(&n) || SPECIAL_CODES.contains(&n))
        })
}

/// A question's name that says nothing of what it asks (`Q10`, `q4b`, `B11_1`): no run of
/// four letters or more. A form names a count it asks for (`hh_size`, `rooms`, `cows`,
/// `num_children`), and small whole numbers under such a name are that count, not codes.
fn opaque(name: &str) -> bool {
    let own = name.rsplit('/').next().unwrap_or(name);
    own.split(|c: char| !c.is_alphabetic())
        .all(|run| run.chars().count() < 4)
}

/// Answers that read as numbered choices: whole numbers, at most `MAX_CHOICE_CODES` of them,
/// the lowest 0 or 1, the rest small (up to 20) or a special code, most given more than once.
fn numbered_codes(p: &Profile) -> bool {
    let mut codes = BTreeSet::new();
    for v in &p.unique {
        match v.trim().parse::<i64>() {
            Ok(n) if (0..=20).contains(&n) || SPECIAL_CODES.contains(&n) => codes.insert(n),
            _ => return false,
        };
    }
    let ordinary: Vec<i64> = codes
        .iter()
        .copied()
        .filter(|n| (0..=20).contains(n))
        .collect();
    ordinary.first().is_some_and(|&lo| lo <= 1)
        && ordinary.len() >= 2
        && codes.len() <= MAX_CHOICE_CODES
        && p.repeated_share() >= 0.5
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rating_spans_the_ends_its_question_states_or_a_likelihoods_eleven_points() {
        let nps = "How likely are you to recommend us to a friend or colleague?";
        assert_eq!(rating_ends(nps, 0, 9), (0, 10));
        assert_eq!(
            rating_ends("On a scale of 1 to 7, how satisfied are you?", 2, 6),
            (1, 7)
        );
        assert_eq!(rating_ends("Rate the course (0-10)", 1, 8), (0, 10));
        assert_eq!(
            rating_ends("Rate it: 1 = very poor, 5 = excellent", 1, 4),
            (1, 5)
        );
        // Answers beyond the stated ends: the statement is about something else.
        assert_eq!(rating_ends("On a scale of 1 to 5", 1, 7), (1, 7));
        assert_eq!(rating_ends("How satisfied are you?", 1, 4), (1, 4));
    }

    #[test]
    fn ratings_are_asked_for_in_the_languages_whose_scales_canvass_reads() {
        // Questions of batch 3's Spanish Google Form (r-community-survey) and their like in
        // the other languages; each states its ends the way its language does.
        let asked = [
            (
                "Por favor calificá cuánto disfrutas usando R en una escala del 1 al 5",
                (1, 5),
            ),
            ("Sur une échelle de 1 à 10, êtes-vous satisfait ?", (1, 10)),
            (
                "Wie zufrieden sind Sie auf einer Skala von 1 bis 7?",
                (1, 7),
            ),
            ("Avalie numa escala de 0 a 10", (0, 10)),
            ("Valuti su una scala da 1 a 5", (1, 5)),
            (
                "Geef een cijfer op een schaal van 1 tot 10: hoe tevreden bent u?",
                (1, 10),
            ),
        ];
        for (text, ends) in asked {
            assert!(rating_words().is_match(text), "{text}");
            assert_eq!(stated_ends(text), Some(ends), "{text}");
        }
        // A Typeform opinion scale asks how far, without "rate" (batch 16's community survey).
        assert!(rating_words().is_match("How aligned are you with this mission/vision?"));
        assert_eq!(
            rating_ends("¿Qué tan probable es que recomiendes R a un colega?", 0, 9),
            (0, 10)
        );
        // Counts stay counts in any language.
        for text in [
            "¿Cuántos hijos tiene?",
            "Nombre d'enfants",
            "Anzahl der Kinder",
            "How many years have you used Scala?",
            "Importo in valuta locale",
            "How many evaluations did you run?",
            "Número de evaluaciones",
            "How many days a week do you feel tired?",
            "How many people do you trust to lend you money?",
        ] {
            assert!(!rating_words().is_match(text), "{text}");
        }
    }

    #[test]
    fn numbers_are_ratings_only_when_something_says_so() {
        assert!(rating_range(&["1", "2", "3", "4", "6"], false).is_some());
        assert!(rating_range(&["1", "5"], false).is_none());
        assert!(
            rating_range(&["1", "5"], true).is_some(),
            "a linear-scale item answered twice"
        );
        assert!(rating_range(&["1", "34"], true).is_none());
    }

    #[test]
    fn options_numbered_up_to_the_largest_integer_are_not_a_scale_and_do_not_overflow() {
        let max = i64::MAX.to_string();
        let choices: Vec<(String, String)> = [&max, &max, &max]
            .iter()
            .map(|n| (n.to_string(), n.to_string()))
            .collect();
        assert_eq!(numbered_options(&choices), None);
        let scale: Vec<(String, String)> =
            (1..=5).map(|n| (n.to_string(), n.to_string())).collect();
        assert_eq!(numbered_options(&scale), Some((1, 5)));
    }

    /// A rating whose lowest points nobody chose (batch 3's French Typeform and Portuguese Google
    /// Forms exports): 1 to the highest answer when the question asks for a rating, never for
    /// a quantity or unworded numbers.
    #[test]
    fn a_rating_nobody_answered_at_the_bottom_starts_at_one() {
        assert_eq!(
            unanswered_bottom(&["3", "10", "8", "5"]).map(|r| (r.0, r.1)),
            Some((1, 10))
        );
        assert_eq!(
            unanswered_bottom(&["5", "4", "3"]).map(|r| (r.0, r.1)),
            Some((1, 5))
        );
        // Two values are a choice; 11 or a fraction is not a point of a short scale.
        assert!(unanswered_bottom(&["4", "5"]).is_none());
        assert!(unanswered_bottom(&["3", "4", "11"]).is_none());
        assert!(unanswered_bottom(&["3", "4", "4.5"]).is_none());
    }
}
