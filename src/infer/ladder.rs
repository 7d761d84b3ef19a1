//! Ordered answer labels recognised from their words, not from a fixed list: "Very confident",
//! "Rather not aware", "Partially disagree", "More than half the days". Survey tools let authors
//! write any scale, so a list of known scales misses most of them (SurveyMonkey's "Not at all …
//! Extremely confident", LimeSurvey's "Fully agree … Fully disagree"); the words that order them
//! are few. Each label gets a rung: a value (only the order matters) and, where it names one, the
//! quality it grades ("agree", "satisfied", "frequency"). A set of labels is a scale when every
//! substantive label has a rung, they grade one quality, and the rungs are distinct.

use crate::model::label_key;
use std::collections::BTreeSet;

/// One label's place on its scale.
#[derive(Debug, Clone, PartialEq)]
pub struct Rung {
    /// Position on the scale: only the order matters (higher grades more of the quality).
    pub value: f32,
    /// What is graded (`agree`, `satisfied`, `frequency` …); `None` for labels that fit any
    /// scale ("Neither/nor", "Very much", "Not at all").
    pub family: Option<String>,
}

/// Degree words and their weight. Longer phrases first: they are matched as prefixes.
const MODIFIERS: &[(&str, f32)] = &[
    ("not at all", -5.0),
    ("a great deal", 3.5),
    // Below "a bit" where a scale has both ("Not very impressive, A bit impressive, Quite …").
    ("not very", 0.5),
    ("not too", 0.5),
    ("a little", 1.0),
    ("a bit", 1.0),
    // Eurobarometer's "Tend to agree … Tend to disagree", between "totally" and nothing said.
    ("tend to", 1.2),
    ("very much", 3.0),
    ("absolutely", 4.0),
    ("completely", 4.0),
    ("extremely", 4.0),
    ("strongly", 4.0),
    ("totally", 4.0),
    ("fully", 4.0),
    ("highly", 3.0),
    ("very", 3.0),
    ("well", 3.0),
    ("moderately", 1.7),
    ("fairly", 1.7),
    ("rather", 1.7),
    ("quite", 1.7),
    ("mostly", 1.7),
    ("somewhat", 1.5),
    ("partially", 1.5),
    ("partly", 1.5),
    ("slightly", 1.0),
    ("little", 1.0),
    // "Not at all important, Less important, Neutral, Important, Very important" (an
    // Alchemer survey's grids): less than the quality, under the middle.
    ("less", -1.0),
];

/// Degree words of every language canvass reads (`MODIFIERS` and
/// `ladder_words::FOREIGN_MODIFIERS`), longest first, so that a phrase is matched before a
/// shorter one it starts with ("pas du tout" before "pas", "helemaal niet" before "helemaal").
fn modifiers() -> &'static [(&'static str, f32)] {
    static ALL: std::sync::OnceLock<Vec<(&'static str, f32)>> = std::sync::OnceLock::new();
    ALL.get_or_init(|| {
        let mut all: Vec<(&'static str, f32)> = MODIFIERS
            .iter()
            .chain(super::ladder_words::FOREIGN_MODIFIERS)
            .copied()
            .collect();
        all.sort_by_key(|(phrase, _)| std::cmp::Reverse(phrase.chars().count()));
        all
    })
}

/// Whole labels that are rungs of their own, by their `label_key`.
const WORDS: &[(&str, f32, &str)] = &[
    // Frequency.
    // "Never" ends every scale of how often, by frequency words or by period.
    ("never", -5.0, ""),
    ("almostnever", 0.5, "frequency"),
    ("rarely", 1.0, "frequency"),
    // Less rare than "rarely" where a scale has both (Never, Rarely, Infrequently, …).
    ("infrequently", 1.2, "frequency"),
    ("seldom", 1.0, "frequency"),
    ("occasionally", 1.5, "frequency"),
    ("nowandthen", 1.5, "frequency"),
    ("everynowandthen", 1.5, "frequency"),
    ("fromtimetotime", 1.5, "frequency"),
    ("hardlyever", 0.5, "frequency"),
    ("regularly", 2.8, "frequency"),
    ("constantly", 4.0, "frequency"),
    ("allthetime", 4.0, "frequency"),
    ("onceinawhile", 1.5, "frequency"),
    ("everyonceinawhile", 1.5, "frequency"),
    ("sometimes", 2.0, "frequency"),
    ("abouthalfthetime", 2.5, "frequency"),
    ("halfthetime", 2.5, "frequency"),
    ("mostofthetime", 3.2, "frequency"),
    ("often", 3.0, "frequency"),
    ("frequently", 3.0, "frequency"),
    ("usually", 3.5, "frequency"),
    ("veryoften", 3.5, "frequency"),
    ("almostalways", 3.7, "frequency"),
    // The American National Election Studies' "How often … trust …": "Never, Some of the
    // time, Most of the time, Just about always".
    ("justaboutalways", 3.7, "frequency"),
    ("nearlyalways", 3.7, "frequency"),
    ("nearlynever", 0.5, "frequency"),
    ("justaboutnever", 0.5, "frequency"),
    ("always", 4.0, "frequency"),
    // How often, by period.
    ("lessthanonceayear", 0.1, "period"),
    // Beside periods ("Daily, Weekly, Monthly, Rarely, Never"), rarer than every period and
    // count of times listed here, so that no two of a scale tie.
    ("rarely", 0.05, "period"),
    ("occasionally", 0.07, "period"),
    ("yearly", 0.2, "period"),
    ("onceayear", 0.2, "period"),
    ("sixmonthly", 0.3, "period"),
    ("twiceayear", 0.3, "period"),
    ("quarterly", 0.4, "period"),
    ("monthly", 0.5, "period"),
    ("oncepermonth", 0.5, "period"),
    ("onceamonth", 0.5, "period"),
    ("twicepermonth", 0.6, "period"),
    ("twiceamonth", 0.6, "period"),
    ("biweekly", 0.65, "period"),
    ("threetimespermonth", 0.7, "period"),
    ("weekly", 0.8, "period"),
    ("onceaweek", 0.8, "period"),
    ("everyweek", 0.8, "period"),
    ("everyweekend", 0.8, "period"),
    ("severaltimesaweek", 0.9, "period"),
    ("almostdaily", 0.95, "period"),
    ("daily", 1.0, "period"),
    ("hourly", 1.5, "period"),
    ("everyhour", 1.5, "period"),
    ("everyday", 1.0, "period"),
    // Symptom frequency (PHQ, GAD): "over the last two weeks …".
    ("severaldays", 1.0, "frequency"),
    ("morethanhalfthedays", 2.0, "frequency"),
    ("nearlyeveryday", 3.0, "frequency"),
    // Quality.
    ("verypoor", 0.0, "quality"),
    ("poor", 1.0, "quality"),
    ("fair", 2.0, "quality"),
    ("average", 2.0, "quality"),
    // "Poor, Fairly good, Good, Very good, Excellent" (self-rated health).
    ("fairlygood", 2.5, "quality"),
    // "Good" also sits on amount scales ("Minimal … Good … Extensive"): no family of its own.
    ("good", 3.0, ""),
    ("verygood", 3.5, "quality"),
    // "Okay, Good, Great" (a patient's or customer's exit interview).
    ("great", 3.7, "quality"),
    ("excellent", 4.0, "quality"),
    // Below "Very poor", as "Horrible, Bad, OK, Good, Excellent" and "Terrible, Poor, Average,
    // Good, Excellent" have it; "OK" is the middle such scales put where "Fair" would be.
    ("terrible", -4.0, "quality"),
    ("horrible", -4.0, "quality"),
    ("awful", -4.0, "quality"),
    ("ok", 2.0, "quality"),
    ("okay", 2.0, "quality"),
    // Amount.
    // Above "very important" on scales of importance ("Not important … Very important,
    // Critical").
    ("critical", 4.5, "important"),
    ("essential", 4.5, "important"),
    ("none", -5.0, "amount"),
    ("minimal", 0.5, "amount"),
    ("slight", 1.0, "amount"),
    ("notmuch", 0.8, "amount"),
    ("notverymuch", 0.8, "amount"),
    ("some", 1.5, "amount"),
    ("moderate", 2.0, "amount"),
    ("alot", 3.5, "amount"),
    // "Gained nothing … Gained the most" once the shared verb is set aside.
    ("nothing", -5.0, "amount"),
    ("themost", 4.5, "amount"),
    ("extensive", 4.0, "amount"),
    // How much of something: "How much of the material was relevant to you?"
    ("noneofit", -5.0, "amount"),
    ("alittleofit", 1.0, "amount"),
    ("someofit", 1.5, "amount"),
    ("halfofit", 2.0, "amount"),
    ("mostofit", 3.0, "amount"),
    ("allofit", 4.0, "amount"),
    // Extent.
    // The OECD's and Eurofound's "To little or no extent at all … To a very large extent".
    ("tonoextentatall", -1.0, "extent"),
    ("tonoextent", -1.0, "extent"),
    ("tolittleornoextent", 0.0, "extent"),
    ("tolittleornoextentatall", 0.0, "extent"),
    ("tolittleextent", 0.5, "extent"),
    ("toaverysmallextent", 0.5, "extent"),
    ("toasmallextent", 1.0, "extent"),
    ("toalittleextent", 1.0, "extent"),
    ("tosomeextent", 1.5, "extent"),
    ("toamoderateextent", 2.0, "extent"),
    ("toalargeextent", 3.0, "extent"),
    ("toagreatextent", 3.0, "extent"),
    ("toaverylargeextent", 4.0, "extent"),
    ("toaverygreatextent", 4.0, "extent"),
    // How fully yes, as humanitarian feedback surveys ask it ("Not at all, Not really, Mostly
    // yes, Yes completely").
    ("notreally", -2.0, ""),
    ("yescompletely", 4.0, "yes"),
    ("yesabsolutely", 4.0, "yes"),
    ("yesdefinitely", 4.0, "yes"),
    // The middle of any two-sided scale.
    ("neithernor", 0.0, ""),
    ("neutral", 0.0, ""),
    ("indifferent", 0.0, ""),
    ("undecided", 0.0, ""),
    ("neitheragreenordisagree", 0.0, "agree"),
    ("neithersatisfiednordissatisfied", 0.0, "satisfied"),
    ("neitherlikelynorunlikely", 0.0, "likely"),
    ("neithergoodnorbad", 0.0, "quality"),
    // How much of the time (the SF-36's and MHI's "None of the time … All of the time").
    ("noneofthetime", -5.0, "frequency"),
    ("alittleofthetime", 1.0, "frequency"),
    ("someofthetime", 2.0, "frequency"),
    ("agoodbitofthetime", 2.7, "frequency"),
    ("allofthetime", 4.0, "frequency"),
    // Likelihood as Qualtrics words it ("Definitely will … Might or might not … Definitely
    // will not").
    ("definitelywillnot", -4.0, "likely"),
    ("probablywillnot", -2.0, "likely"),
    ("mightormightnot", 0.0, "likely"),
    ("probablywill", 2.0, "likely"),
    ("definitelywill", 4.0, "likely"),
    ("definitelynot", -4.0, "likely"),
    ("probablynot", -2.0, "likely"),
    ("probablyyes", 2.0, "likely"),
    ("definitelyyes", 4.0, "likely"),
    // Impact: "No impact, Slight impact, Moderate impact, Significant impact".
    ("noimpact", -5.0, "impact"),
    ("noeffect", -5.0, "impact"),
    ("minimalimpact", 0.5, "impact"),
    ("slightimpact", 1.0, "impact"),
    ("smallimpact", 1.0, "impact"),
    ("minorimpact", 1.0, "impact"),
    ("littleimpact", 1.0, "impact"),
    ("someimpact", 1.5, "impact"),
    ("moderateimpact", 2.0, "impact"),
    ("significantimpact", 3.0, "impact"),
    ("largeimpact", 3.0, "impact"),
    ("majorimpact", 3.0, "impact"),
    ("bigimpact", 3.0, "impact"),
    ("strongimpact", 3.5, "impact"),
    ("verylargeimpact", 4.0, "impact"),
    // Severity: "Not a problem … Minor … Major … Critical", "None, Mild, Moderate, Severe".
    ("none", -5.0, "severity"),
    ("notaproblem", -5.0, "severity"),
    ("notaproblemforme", -5.0, "severity"),
    ("noproblem", -5.0, "severity"),
    ("trivial", 0.5, "severity"),
    ("mild", 1.0, "severity"),
    ("minor", 1.0, "severity"),
    ("minorproblem", 1.0, "severity"),
    ("moderate", 2.0, "severity"),
    ("moderateproblem", 2.0, "severity"),
    ("major", 3.0, "severity"),
    ("majorproblem", 3.0, "severity"),
    ("serious", 3.0, "severity"),
    ("seriousproblem", 3.0, "severity"),
    ("severe", 3.5, "severity"),
    ("severeproblem", 3.5, "severity"),
    ("verysevere", 4.0, "severity"),
    ("critical", 4.5, "severity"),
    // Change and comparison: "Much worse … About the same … Much better", "Much less … Much
    // more" (what an evaluation asks of before and after). The same is the middle of either.
    ("muchworse", -2.0, "change"),
    ("alotworse", -2.0, "change"),
    ("somewhatworse", -1.0, "change"),
    ("slightlyworse", -1.0, "change"),
    ("alittleworse", -1.0, "change"),
    ("worse", -1.0, "change"),
    ("aboutthesame", 0.0, ""),
    ("thesame", 0.0, ""),
    ("nochange", 0.0, ""),
    ("stayedthesame", 0.0, ""),
    ("better", 1.0, "change"),
    ("alittlebetter", 1.0, "change"),
    ("slightlybetter", 1.0, "change"),
    ("somewhatbetter", 1.0, "change"),
    ("alotbetter", 2.0, "change"),
    ("muchbetter", 2.0, "change"),
    ("muchless", -2.0, "more"),
    ("alotless", -2.0, "more"),
    ("somewhatless", -1.0, "more"),
    ("slightlyless", -1.0, "more"),
    ("alittleless", -1.0, "more"),
    ("less", -1.0, "more"),
    ("more", 1.0, "more"),
    ("alittlemore", 1.0, "more"),
    ("slightlymore", 1.0, "more"),
    ("somewhatmore", 1.0, "more"),
    ("alotmore", 2.0, "more"),
    ("muchmore", 2.0, "more"),
    // Quality against an average ("Excellent, Above average, Average, Below average, Poor").
    ("wellaboveaverage", 3.5, "quality"),
    ("aboveaverage", 2.5, "quality"),
    ("belowaverage", 1.5, "quality"),
    ("wellbelowaverage", 1.2, "quality"),
];

/// Words that are the two sides of one quality when a scale holds both ("Very easy … Very
/// difficult", "Extremely good … Extremely bad"): the second grades the first's opposite. Alone,
/// "Not difficult at all … Very difficult" grades difficulty from none upward.
const OPPOSITES: &[(&str, &str)] = &[
    ("easy", "difficult"),
    ("easy", "hard"),
    ("good", "bad"),
    ("fast", "slow"),
    ("strong", "weak"),
    ("high", "low"),
    ("better", "worse"),
    ("positive", "negative"),
    ("likely", "unlikely"),
];

/// Quality words a set of labels grades beyond `HEADS`, found in the set itself: the sides a
/// "Neither X nor Y" label names (Qualtrics' bipolar scales: "Extremely safe … Neither safe nor
/// unsafe … Extremely unsafe"), both words of an `OPPOSITES` pair, or the one word every label
/// grades (Qualtrics' unipolar "Not well at all, Slightly well … Extremely well").
#[derive(Debug, Default)]
struct Sides {
    /// (word, the quality it grades, whether it is the negative side).
    words: Vec<(String, String, bool)>,
}

impl Sides {
    fn of(labels: &[String]) -> Sides {
        let mut sides = Sides::default();
        let worded: Vec<Vec<String>> = labels.iter().map(|l| normalise_words(l)).collect();
        for words in &worded {
            if let [neither, x, nor, y] = words.as_slice() {
                if neither == "neither" && nor == "nor" {
                    sides.add(x, y);
                }
            }
        }
        let all: BTreeSet<&str> = worded.iter().flatten().map(String::as_str).collect();
        for (x, y) in OPPOSITES
            .iter()
            .chain(super::ladder_words::FOREIGN_OPPOSITES)
        {
            if all.contains(x) && all.contains(y) {
                sides.add(x, y);
            }
        }
        // A word and its negation by prefix, both in the set ("Very safe … Very unsafe",
        // "Acceptable … Unacceptable"): whatever the quality, the set grades it from one side to
        // the other, as "Neither safe nor unsafe" would say.
        for word in &all {
            for prefix in NEGATIVE_PREFIXES {
                let negated = format!("{prefix}{word}");
                if word.chars().count() >= 3
                    && all.contains(negated.as_str())
                    && sides.head(word).is_none()
                {
                    sides.add(word, &negated);
                }
            }
        }
        // The word every label grades ("Low priority … High priority … Top priority"), also
        // beside opposites among its degrees.
        if let Some(w) = common_last_word(&worded).filter(|w| sides.head(w).is_none()) {
            let family = listed_family(&w).unwrap_or_else(|| w.clone());
            sides.words.push((w, family, false));
        }
        sides
    }

    fn add(&mut self, positive: &str, negative: &str) {
        // A head already known keeps its own name, so "Neither satisfied nor dissatisfied"
        // grades "satisfied" as the known scale does.
        // "Good" grades what "Very good" and "Neither good nor bad" grade: quality.
        let family = match positive {
            "good" => "quality".to_string(),
            _ => head_of(positive, &Sides::default()).map_or(positive.to_string(), |(f, _)| f),
        };
        self.words
            .push((positive.to_string(), family.clone(), false));
        self.words.push((negative.to_string(), family, true));
    }

    /// Whether the set grades a quality other than "quality" from one side to its opposite.
    fn two_sided(&self) -> bool {
        self.words
            .iter()
            .any(|(_, family, negative)| *negative && family != "quality")
    }

    fn head(&self, word: &str) -> Option<(String, bool)> {
        self.words
            .iter()
            .find(|(w, _, _)| w == word)
            .map(|(_, family, negative)| (family.clone(), *negative))
    }
}

/// The quality a word grades where it is a listed label of its own ("zufrieden" grades
/// "satisfied"), so that "Eher nicht zufrieden", graded from its words, sits on one scale with
/// the listed "Sehr zufrieden".
fn listed_family(word: &str) -> Option<String> {
    listed(&label_key(word))
        .iter()
        .find(|(_, f)| !f.is_empty())
        .map(|(_, f)| f.to_string())
}

/// The listed rungs of a label's key (`label_key`), English's first, each in the order listed.
/// A table, not a search of the lists: every distinct answer of every column is looked up.
fn listed(key: &str) -> &'static [(f32, &'static str)] {
    static TABLE: std::sync::OnceLock<rustc_hash::FxHashMap<&str, Vec<(f32, &str)>>> =
        std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut table: rustc_hash::FxHashMap<&str, Vec<(f32, &str)>> = Default::default();
        for &(w, value, family) in WORDS.iter().chain(super::ladder_words::FOREIGN_WORDS) {
            table.entry(w).or_default().push((value, family));
        }
        table
    });
    table.get(key).map_or(&[], Vec::as_slice)
}

/// The word every label ends with (after a trailing "at all"), when there are at least three
/// labels and it is a word, not a number.
fn common_last_word(worded: &[Vec<String>]) -> Option<String> {
    if worded.len() < 3 {
        return None;
    }
    let last = |words: &Vec<String>| -> Option<String> {
        let n = words.len();
        let end = if words.ends_with(&["at".to_string(), "all".to_string()]) {
            n - 2
        } else {
            n
        };
        words[..end].last().cloned()
    };
    let first = last(&worded[0])?;
    let shared = worded
        .iter()
        .all(|w| last(w).as_deref() == Some(first.as_str()));
    (shared && first.chars().all(char::is_alphabetic)).then_some(first)
}

/// Words that grade the opposite of their root: "disagree" is the negative side of "agree".
const NEGATIVE_PREFIXES: &[&str] = &["dis", "un", "in", "im"];

/// Quality words a scale grades; a negated form (prefix or `not`) is its negative side.
const HEADS: &[&str] = &[
    "agree",
    "satisfied",
    "likely",
    "important",
    "confident",
    "aware",
    "prepared",
    "knowledgeable",
    "knowledgable",
    "useful",
    "helpful",
    "effective",
    "difficult",
    "challenging",
    "easy",
    "interested",
    "comfortable",
    "familiar",
    "concerned",
    "supported",
    "valuable",
    "relevant",
    "happy",
    "positive",
    "negative",
    "clear",
    "skilled",
    "competent",
    "engaged",
    "motivated",
    "informed",
    "appropriate",
    "adequate",
    "favorable",
    "favourable",
    "favorably",
    "favourably",
    "sufficient",
    "yes",
    // "Definitely true … Definitely false" (personality and attitude inventories).
    "true",
];

/// The rung of one label, if its words order it.
pub fn rung(label: &str) -> Option<Rung> {
    // A scale's label is a few words; inference asks of every distinct answer, comments
    // included, and a sentence of a comment is no rung however it opens.
    if label.split_whitespace().nth(MAX_RUNG_WORDS).is_some() {
        return None;
    }
    rung_in(label, None, &Sides::default())
}

/// The most words a label the ladder reads has ("Moderately characteristic or true of me",
/// "Between once a week and once a month", "Neither satisfied nor dissatisfied with it").
const MAX_RUNG_WORDS: usize = 16;

/// How much of anything a label says, from its rung or else from the degree it opens with:
/// "Moderately characteristic or true of me" says "moderately" of a statement the ladder does
/// not grade.
pub fn degree(label: &str) -> Option<f32> {
    if let Some(r) = rung(label) {
        return Some(r.value);
    }
    let text = normalise_words(label).join(" ");
    modifiers().iter().find_map(|(phrase, w)| {
        let tail = text.strip_prefix(phrase)?;
        (tail.is_empty() || tail.starts_with(' ')).then_some(*w)
    })
}

/// The rung of one label on a scale of `family` where the label has one there ("Ocasionalmente"
/// is a frequency and a period), else its first.
fn rung_in(label: &str, family: Option<&str>, sides: &Sides) -> Option<Rung> {
    let key = label_key(label);
    let words = normalise_words(label);
    // Between two opposites "Average" is the middle (Qualtrics' "Extremely fast … Average …
    // Extremely slow"), not a grade of quality.
    if super::ladder_words::MIDDLES.contains(&words.concat().as_str()) && sides.two_sided() {
        return Some(Rung {
            value: 0.0,
            family: None,
        });
    }
    let listed = listed(&key);
    let chosen = (listed.iter())
        .find(|(_, f)| family.is_some_and(|family| *f == family))
        .or_else(|| listed.first());
    if let Some((value, family)) = chosen {
        return Some(Rung {
            value: *value,
            family: (!family.is_empty()).then(|| family.to_string()),
        });
    }
    if let Some(value) = period_phrase(&words.join(" ")).or_else(|| foreign_period(&words)) {
        return Some(Rung {
            value,
            family: Some("period".into()),
        });
    }
    // "I don't use R any more", "I no longer use it": the bottom of a scale of how often.
    if [
        "idontuse",
        "idonotuse",
        "inolongeruse",
        "ihadnotbeenusing",
        "ihavenotbeenusing",
        "ihaventbeenusing",
    ]
    .iter()
    .any(|p| key.starts_with(p))
    {
        return Some(Rung {
            value: -5.0,
            family: None,
        });
    }
    // "Never or almost never", "Always, or almost always" (the OECD's and ESS's wording): the
    // end it names first.
    if let Some(at) = words.iter().position(|w| w == "or") {
        let hedged = words.get(at + 1).is_some_and(|w| {
            matches!(
                w.as_str(),
                "almost" | "nearly" | "practically" | "virtually"
            )
        });
        if hedged && at > 0 && words[at + 2..] == words[..at] {
            return rung_in(&words[..at].join(" "), family, sides);
        }
    }
    // German wraps the degree in its verb: "stimme eher nicht zu", "trifft voll zu" grade
    // agreement as "rather disagree", "fully agree" do.
    if let [verb, degree @ .., zu] = words.as_slice() {
        if matches!(verb.as_str(), "stimme" | "stimmen" | "trifft" | "treffen") && zu == "zu" {
            let mut graded_words = degree.to_vec();
            graded_words.push("agree".into());
            return graded(&graded_words, &Sides::default());
        }
    }
    if words.iter().any(|w| w == "neither") {
        // "Neither agree nor disagree", "Neither satisfied nor dissatisfied": the middle.
        return Some(Rung {
            value: 0.0,
            family: words.get(1).and_then(|w| head_of(w, sides)).map(|(h, _)| h),
        });
    }
    graded(&words, sides)
}

/// How often a phrase of periods says: "once a week" (as `weekly`), "more than once a day"
/// (above `daily`), "less than once a month", "between once a week and once a month" (between
/// the two), "two or three times a month", "several times a week".
fn period_phrase(text: &str) -> Option<f32> {
    // expect: a literal pattern, compiled the first time any test runs it; it cannot fail at run time.
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = RE.get_or_init(|| {
        let times = r"(?:once(?:\s+or\s+more)?|twice|\d+\+?\s+times|(?:two|three|four|a\s+few|a\s+couple\s+of|several|many|multiple)(?:\s+(?:or|to)\s+(?:three|four|five))?\s+times)";
        let period = r"(?:a|an|per|each|every)\s+(day|week|fortnight|month|quarter|year)";
        regex::Regex::new(&format!(
            r"^(?:(more\s+than|less\s+than|at\s+least|about|up\s+to)\s+)?{times}\s+{period}(?:\s+or\s+(?:less|more))?$|^between\s+{times}\s+{period}\s+and\s+{times}\s+{period}$"
        ))
        .expect("static regex")
    });
    // A count with no period ("A few times", "Once or twice") beside periods: fewer times
    // than the rarest period says, more the more times it counts.
    // "Every day", "Every few months", "Every other week": a period, or a few of them.
    if let Some(rest) = text.trim().strip_prefix("every ") {
        // Every other period is half as often; every few, rarer still.
        let (less, period) = match ["few ", "couple of ", "several "]
            .iter()
            .find_map(|w| rest.strip_prefix(w))
        {
            Some(p) => (0.12, p),
            None => match rest.strip_prefix("other ") {
                Some(p) => (0.06, p),
                None => (0.0, rest),
            },
        };
        let base = match period.trim_end_matches('s') {
            "day" => 1.0,
            "week" => 0.8,
            "fortnight" => 0.65,
            "month" => 0.5,
            "quarter" => 0.4,
            "year" => 0.2,
            _ => return None,
        };
        // Every few weeks is rarer than every week, more often than monthly.
        return Some(base - less);
    }
    let count = match text.trim() {
        "once" => Some(0.1),
        "once or twice" => Some(0.12),
        "a couple of times" => Some(0.13),
        "a few times" => Some(0.15),
        "several times" => Some(0.17),
        "many times" | "multiple times" => Some(0.18),
        _ => None,
    };
    if count.is_some() {
        return count;
    }
    // "Less often than monthly", "More often than once a week": just past the period named.
    for (lead, shift) in [
        ("less often than ", -0.05),
        ("more often than ", 0.05),
        ("less than ", -0.05),
        ("more than ", 0.05),
    ] {
        if let Some(rest) = text.trim().strip_prefix(lead) {
            let named = listed(&label_key(rest))
                .iter()
                .find(|(_, f)| *f == "period")
                .map(|(v, _)| *v)
                .or_else(|| period_phrase(rest))?;
            return Some(named + shift);
        }
    }
    let c = re.captures(text.trim())?;
    let value = |p: &str| match p {
        "day" => 1.0,
        "week" => 0.8,
        "fortnight" => 0.65,
        "month" => 0.5,
        "quarter" => 0.4,
        _ => 0.2,
    };
    if let (Some(a), Some(b)) = (c.get(3), c.get(4)) {
        return Some((value(a.as_str()) + value(b.as_str())) / 2.0);
    }
    let base = value(c.get(2)?.as_str());
    // More than once beats once; "twice a week" sits between weekly and more often.
    let more = if text.contains("once") { 0.0 } else { 0.02 };
    let shift = match c
        .get(1)
        .map(|m| m.as_str().split_whitespace().next().unwrap_or(""))
    {
        Some("more") | Some("at") => 0.05,
        Some("less") | Some("up") => -0.05,
        _ => 0.0,
    };
    // "Once a month or less" sits just below "once a month", "or more" just above.
    let or = if text.ends_with(" or less") {
        -0.03
    } else if text.ends_with(" or more") {
        0.03
    } else {
        0.0
    };
    Some(base + more + shift + or)
}

/// How often a phrase of periods says in the other languages canvass reads: "mehrmals
/// täglich", "plusieurs fois par semaine", "varias veces al mes", "una volta all'anno",
/// "meerdere keren per week" (a count of times, then a period or its adverb), and "seltener",
/// "moins souvent" (less often than any period listed), on the scale of `period_phrase`.
fn foreign_period(words: &[String]) -> Option<f32> {
    // expect: a literal pattern, compiled the first time any test runs it; it cannot fail at run time.
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = RE.get_or_init(|| {
        let several = r"(mehrmals|mehrere\s+mal[e]?|plusieurs\s+fois|varias\s+veces|v[aá]rias\s+vezes|pi[uù]\s+volte|meerdere\s+keren|meermaals)";
        let once = r"(einmal|ein\s+mal|une\s+fois|una\s+vez|uma\s+vez|una\s+volta|eens|[eé][eé]n\s+keer)";
        let by = r"(\s+(pro|par|al|a\s+la|por|ao|[aà]|alla|all|al|per|im|in\s+der|die|in|la|o))*";
        let period = r"\s+(tag|t[aä]glich|jour|d[ií]a|giorno|dag|woche|w[oö]chentlich|semaine|semana|settimana|week|monat|monatlich|mois|mes|m[eê]s|mese|maand|jahr|j[aä]hrlich|an|a[nñ]o|anno|jaar)";
        regex::Regex::new(&format!(r"^(?:{several}|{once}){by}{period}$|^(seltener|moins\s+souvent|plus\s+rarement|con\s+menos\s+frecuencia|menos\s+a\s+menudo|menos\s+frequentemente|con\s+minor\s+frequenza|meno\s+spesso|minder\s+vaak|less\s+often|less\s+frequently)$"))
            .expect("static regex")
    });
    let text = words.join(" ");
    let c = re.captures(&text)?;
    // Less often than any period listed, and than "once" with none.
    if c.get(6).is_some() {
        return Some(0.05);
    }
    let period = c.get(5)?.as_str();
    let base = match period.chars().next()? {
        't' | 'j' | 'd' | 'g' if !period.starts_with("ja") && !period.starts_with("jä") => 1.0,
        'w' | 's' => 0.8,
        'm' => 0.5,
        _ => 0.2,
    };
    // More than once a period sits just above once a period.
    Some(if c.get(1).is_some() {
        base + 0.05
    } else {
        base
    })
}

/// "very satisfied", "not aware at all", "rather not", "yes, to some extent".
fn graded(words: &[String], sides: &Sides) -> Option<Rung> {
    let mut rest: Vec<&str> = words.iter().map(String::as_str).collect();
    let mut negated = false;
    // "Not … at all" grades as "not at all".
    let at_all = rest.ends_with(&["at", "all"]);
    if at_all {
        rest.truncate(rest.len() - 2);
    }
    let mut weight = None;
    let text = rest.join(" ");
    for (phrase, w) in modifiers() {
        if let Some(tail) = text.strip_prefix(phrase) {
            if tail.is_empty() || tail.starts_with(' ') {
                weight = Some(*w);
                rest = tail.split_whitespace().collect();
                break;
            }
        }
    }
    // "Low priority", "Top priority", "Not a priority": a degree adjective before the word
    // graded, never alone ("High" alone is a side of "High … Low").
    if weight.is_none() {
        for (phrase, w) in super::ladder_words::ADJECTIVE_DEGREES {
            if let Some(tail) = text.strip_prefix(phrase).filter(|t| t.starts_with(' ')) {
                weight = Some(*w);
                rest = tail.split_whitespace().collect();
                break;
            }
        }
    }
    // "Moderately so", "Very much so": the degree alone, said of the statement asked about
    // (the State-Trait Anxiety Inventory's "Not at all … Very much so").
    if weight.is_some() && rest == ["so"] {
        rest.clear();
    }
    // "Yes, somewhat rude", "No, not rude at all": the words after the yes or no grade.
    // Only where a degree or "not" follows: "No impact" is the bottom of "Low … High impact"
    // by its "no", not a plain "impact".
    let graded_after = |after: &str| {
        after.starts_with("not ")
            || modifiers()
                .iter()
                .any(|(p, _)| after.strip_prefix(p).is_some_and(|t| t.starts_with(' ')))
    };
    if weight.is_none()
        && rest.len() > 1
        && (rest[0] == "yes" || rest[0] == "no")
        && graded_after(&rest[1..].join(" "))
    {
        let mut after: Vec<String> = rest[1..].iter().map(|w| w.to_string()).collect();
        if at_all {
            after.extend(["at".to_string(), "all".to_string()]);
        }
        if let Some(r) = graded(&after, sides) {
            return Some(r);
        }
    }
    // "Not", and its like before another word ("Pas satisfait", "Eher nicht zufrieden");
    // "No" alone is the answer no.
    if rest.first() == Some(&"not")
        || (rest.len() > 1 && super::ladder_words::NEGATIONS.contains(&rest[0]))
    {
        negated = true;
        rest.remove(0);
    }
    if at_all && negated {
        weight = Some(-5.0);
        negated = false;
    }
    // "Yes, to some extent": the extent grades the yes.
    if rest.len() > 1 && rest[0] == "yes" {
        let extent = rest[1..].concat();
        if let Some((_, v, _)) = WORDS.iter().find(|(w, _, _)| *w == extent) {
            return Some(Rung {
                value: *v,
                family: Some("yes".into()),
            });
        }
    }
    match rest.as_slice() {
        // A bare degree: "Very much", "Not at all", "Somewhat", "Rather not".
        [] => {
            let w = weight?;
            Some(Rung {
                value: if negated { -w } else { w },
                family: None,
            })
        }
        [head] => {
            let (family, negative) = head_of(head, sides)?;
            // A plain head ("Agree") sits between the mild and the strong degrees.
            let w = weight.unwrap_or(2.0);
            let negative = negative ^ negated;
            // "Not aware at all" is the bottom whatever the head's sign.
            let value = if w <= -5.0 {
                -5.0
            } else if negative {
                -w
            } else {
                w
            };
            // A bare head with no degree is a yes/no answer, not a rung ("Yes", "No", "Agree"
            // alone are rungs only beside graded labels; the caller asks for three rungs).
            Some(Rung {
                value,
                family: Some(family),
            })
        }
        _ => None,
    }
}

/// The quality a word grades and whether it is the negative form ("dissatisfied").
fn head_of(word: &str, sides: &Sides) -> Option<(String, bool)> {
    if let Some(side) = sides.head(word) {
        return Some(side);
    }
    if HEADS.contains(&word) {
        return Some((canonical(word), false));
    }
    if word == "no" {
        return Some(("yes".into(), true));
    }
    if word == "false" || word == "untrue" {
        return Some(("true".into(), true));
    }
    // "Useless" is the negative side of "useful", as "meaningless" is of "meaningful".
    if let Some(root) = word.strip_suffix("less") {
        let full = format!("{root}ful");
        if HEADS.contains(&full.as_str()) {
            return Some((canonical(&full), true));
        }
    }
    NEGATIVE_PREFIXES.iter().find_map(|p| {
        let root = word.strip_prefix(p)?;
        HEADS.contains(&root).then(|| (canonical(root), true))
    })
}

/// Whether two words are spellings of one graded word ("knowledgable", "knowledgeable").
pub fn same_head(a: &str, b: &str) -> bool {
    let (a, b) = (a.to_lowercase(), b.to_lowercase());
    HEADS.contains(&a.as_str()) && HEADS.contains(&b.as_str()) && canonical(&a) == canonical(&b)
}

fn canonical(word: &str) -> String {
    match word {
        "knowledgable" => "knowledgeable".into(),
        "favourable" | "favorably" | "favourably" => "favorable".into(),
        w => w.to_string(),
    }
}

/// Lower-case words, punctuation as spaces; "don’t" keeps its apostrophe out.
fn normalise_words(label: &str) -> Vec<String> {
    label
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_lowercase().next().unwrap_or(c)
            } else {
                ' '
            }
        })
        .collect::<String>()
        .split_whitespace()
        .map(str::to_string)
        .collect()
}

/// Labels ordered lowest first, when together they form one scale: every label has a rung,
/// the rungs grade one quality, are distinct, and number at least three (two are a yes/no).
pub fn order(labels: &[String]) -> Option<Vec<String>> {
    let mut rungs: Vec<(f32, &String)> = Vec::with_capacity(labels.len());
    // The family most labels grade decides a label listed under two.
    let sides = Sides::of(labels);
    let mut families: Vec<String> = labels
        .iter()
        .filter_map(|l| rung_in(l, None, &sides)?.family)
        .collect();
    families.sort();
    let common = families
        .chunk_by(|a, b| a == b)
        .max_by_key(|run| run.len())
        .map(|run| run[0].clone());
    let mut family: Option<String> = None;
    for label in labels {
        let r = rung_in(label, common.as_deref(), &sides)?;
        if let Some(f) = r.family {
            match &family {
                Some(seen) if *seen != f => return None,
                _ => family = Some(f),
            }
        }
        rungs.push((r.value, label));
    }
    rungs.sort_by(|a, b| a.0.total_cmp(&b.0));
    let distinct = rungs.windows(2).all(|w| w[0].0 != w[1].0);
    // Only "yes"/"no" with degrees is a scale; "Yes"/"No"/"Yes, but …" alone is a choice.
    let graded = labels.iter().any(|l| {
        let k = label_key(l);
        k != "yes" && k != "no"
    });
    (distinct && rungs.len() >= 3 && graded)
        .then(|| rungs.into_iter().map(|(_, l)| l.clone()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ordered(labels: &[&str]) -> Option<Vec<String>> {
        order(&labels.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn degree_words_of_other_languages_grade_the_adjective_the_labels_share() {
        // Batch 5's French Drupal Webform (enquete-vikidia) and Italian LimeSurvey arrays,
        // and their like in German, Spanish and Dutch, given the other way round.
        let cases: [&[&str]; 6] = [
            &[
                "Pas du tout accessibles",
                "Peu accessibles",
                "Moyennement accessibles",
                "Plutôt accessibles",
                "Très accessibles",
            ],
            &[
                "Très mauvaise",
                "Plutôt mauvaise",
                "Moyenne",
                "Plutôt bonne",
                "Très bonne",
            ],
            &[
                "Per nulla utile",
                "Poco utile",
                "Abbastanza utile",
                "Molto utile",
            ],
            &[
                "Überhaupt nicht zufrieden",
                "Eher nicht zufrieden",
                "Eher zufrieden",
                "Sehr zufrieden",
            ],
            &["Nada útil", "Poco útil", "Algo útil", "Muy útil"],
            &[
                "Not a priority",
                "Low priority",
                "Moderate priority",
                "High priority",
                "Top priority",
            ],
        ];
        for lowest_first in cases {
            orders_back(lowest_first);
        }
        // A label of its own is no scale, and a degree alone is no adjective.
        assert_eq!(ordered(&["Très", "Plutôt", "Moyenne"]), None);
        assert_eq!(ordered(&["Facebook", "Instagram", "Twitter"]), None);
    }

    #[test]
    fn how_often_by_period_in_other_languages() {
        // Batch 5's German SurveyMonkey export (Politisierung: "Ich nutze folgendes soziales
        // Online-Netzwerk"), and the same scale in French, Spanish and Dutch.
        let cases: [&[&str]; 4] = [
            &[
                "nie",
                "seltener",
                "monatlich",
                "wöchentlich",
                "täglich",
                "mehrmals täglich",
            ],
            &[
                "Jamais",
                "Moins souvent",
                "Une fois par mois",
                "Plusieurs fois par semaine",
                "Tous les jours",
            ],
            &[
                "Nunca",
                "Una vez al año",
                "Varias veces al mes",
                "Semanalmente",
                "Diariamente",
            ],
            &[
                "Nooit",
                "Eens per maand",
                "Meerdere keren per week",
                "Dagelijks",
            ],
        ];
        for lowest_first in cases {
            orders_back(lowest_first);
        }
        // Batch 5's Tampa Bay Qualtrics export: a count of times with no period is rarer
        // than the periods beside it.
        let tampa = [
            "Never",
            "A few times",
            "About once a month",
            "About once a week",
            "Multiple times per week",
        ];
        orders_back(&tampa);
        let agreement = [
            "stimme gar nicht zu",
            "stimme nicht zu",
            "stimme eher nicht zu",
            "stimme eher zu",
            "stimme zu",
            "stimme voll zu",
        ];
        orders_back(&agreement);
        // Batch 3's Jupyter and Carpentries SurveyMonkey exports.
        let jupyter = [
            "Never.",
            "Every few months.",
            "Monthly.",
            "Weekly.",
            "Daily.",
        ];
        orders_back(&jupyter);
        let carpentries = [
            "I had not been using tools like these.",
            "Less than once per year.",
            "Several times per year.",
            "Monthly.",
            "Weekly.",
            "Daily.",
        ];
        orders_back(&carpentries);
        // Batch 6's FiveThirtyEight SurveyMonkey polls (flying etiquette, comma survey) and
        // its Spack Google Form, and "No" before a plain word as the bottom of its scale.
        let cases: [&[&str]; 6] = [
            &[
                "Never",
                "Once a year or less",
                "Once a month or less",
                "A few times per month",
                "A few times per week",
                "Every day",
            ],
            &[
                "Never",
                "Once in a while",
                "About half the time",
                "Usually",
                "Always",
            ],
            &["Not at all", "Not much", "Some", "A lot"],
            &[
                "No, not rude at all",
                "Yes, somewhat rude",
                "Yes, very rude",
            ],
            &[
                "Not Important",
                "Slightly Important",
                "Somewhat important",
                "Very Important",
                "Critical",
            ],
            &["No impact", "Low impact", "Moderate impact", "High impact"],
        ];
        for lowest_first in cases {
            orders_back(lowest_first);
        }
        // "Peu" says less than "un peu"; every other day is more often than every few days.
        assert_eq!(
            ordered(&["Un peu utile", "Peu utile", "Très utile"]).as_deref(),
            Some(&to_strings(&["Peu utile", "Un peu utile", "Très utile"])[..])
        );
        assert_eq!(
            ordered(&["Every few days", "Every other day", "Every week", "Never"]).as_deref(),
            Some(&to_strings(&["Never", "Every week", "Every few days", "Every other day"])[..])
        );
        assert!(super::super::scales::is_non_substantive("-"));
        assert!(!super::super::scales::is_non_substantive("++"));
        assert!(super::super::scales::is_non_substantive(
            "Ich kenne dieses Netzwerk nicht"
        ));
        assert!(!super::super::scales::is_non_substantive(
            "Ich kenne es gut"
        ));
    }

    /// Asserts that `order` puts the labels, given the other way round, back lowest first.
    fn orders_back(lowest_first: &[&str]) {
        let mut shuffled = lowest_first.to_vec();
        shuffled.reverse();
        assert_eq!(
            ordered(&shuffled).as_deref(),
            Some(&to_strings(lowest_first)[..]),
            "{lowest_first:?}"
        );
    }

    fn to_strings(labels: &[&str]) -> Vec<String> {
        labels.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn orders_how_often_by_frequency_words_and_by_periods() {
        // "Regularly" between "Sometimes" and "Always"; "Rarely" beside periods is rarer than
        // any of them (the Microsoft Forms RSE survey's and the jupyter survey's wordings).
        assert_eq!(
            ordered(&["Rarely", "Never", "Regularly", "Always"]).unwrap(),
            ["Never", "Rarely", "Regularly", "Always"]
        );
        assert_eq!(
            ordered(&["Monthly", "Rarely", "Daily", "Never", "Weekly"]).unwrap(),
            ["Never", "Rarely", "Monthly", "Weekly", "Daily"]
        );
        // Contributors to software, some of whom commit every hour (batch 16's Alchemer survey).
        assert_eq!(
            ordered(&["Monthly", "Hourly", "Weekly", "Daily"]).unwrap(),
            ["Monthly", "Weekly", "Daily", "Hourly"]
        );
        assert_eq!(
            ordered(&[
                "Weekly.",
                "2+ times per week.",
                "A few times a month.",
                "Less than monthly.",
                "Monthly."
            ])
            .unwrap(),
            [
                "Less than monthly.",
                "Monthly.",
                "A few times a month.",
                "Weekly.",
                "2+ times per week."
            ]
        );
        assert_eq!(
            ordered(&["From time to time", "Hardly ever", "All the time"]).unwrap(),
            ["Hardly ever", "From time to time", "All the time"]
        );
    }

    #[test]
    fn orders_labels_by_their_words() {
        // "Less important" sits between "Not at all" and the middle (batch 16's Alchemer grids).
        for head in ["important", "challenging", "helpful"] {
            let cap = |s: &str| format!("{}{}", s[..1].to_uppercase(), &s[1..]);
            let scale = [
                format!("Not at all {head}"),
                format!("Less {head}"),
                "Neutral".to_string(),
                cap(head),
                format!("Very {head}"),
            ];
            let shuffled: Vec<&str> = [3, 0, 4, 2, 1].iter().map(|&i| scale[i].as_str()).collect();
            assert_eq!(ordered(&shuffled), Some(scale.to_vec()), "{head}");
        }
        // SurveyMonkey's confidence scale, given shuffled.
        assert_eq!(
            ordered(&[
                "Very confident",
                "Not at all confident",
                "Extremely confident",
                "Slightly confident",
                "Somewhat confident"
            ])
            .unwrap(),
            [
                "Not at all confident",
                "Slightly confident",
                "Somewhat confident",
                "Very confident",
                "Extremely confident"
            ]
        );
        // LimeSurvey N2's agreement and awareness scales.
        assert_eq!(
            ordered(&[
                "Partially agree",
                "Fully disagree",
                "Neither agree nor disagree",
                "Fully agree",
                "Partially disagree"
            ])
            .unwrap(),
            [
                "Fully disagree",
                "Partially disagree",
                "Neither agree nor disagree",
                "Partially agree",
                "Fully agree"
            ]
        );
        assert_eq!(
            ordered(&[
                "Fully aware",
                "Rather not aware",
                "Not aware at all",
                "Somewhat aware"
            ])
            .unwrap(),
            [
                "Not aware at all",
                "Rather not aware",
                "Somewhat aware",
                "Fully aware"
            ]
        );
        assert_eq!(
            ordered(&[
                "Very dissatisfied",
                "Neither/nor",
                "Satisfied",
                "Very satisfied",
                "Dissatisfied"
            ])
            .unwrap(),
            [
                "Very dissatisfied",
                "Dissatisfied",
                "Neither/nor",
                "Satisfied",
                "Very satisfied"
            ]
        );
        assert_eq!(
            ordered(&[
                "Not at all",
                "Rather not",
                "Indifferent",
                "Rather yes",
                "Very much"
            ])
            .unwrap(),
            [
                "Not at all",
                "Rather not",
                "Indifferent",
                "Rather yes",
                "Very much"
            ]
        );
        assert_eq!(
            ordered(&[
                "Nearly every day",
                "Not at all",
                "Several days",
                "More than half the days"
            ])
            .unwrap(),
            [
                "Not at all",
                "Several days",
                "More than half the days",
                "Nearly every day"
            ]
        );
        assert_eq!(
            ordered(&["Minimal", "Extensive", "Good", "Moderate", "Slight"]).unwrap(),
            ["Minimal", "Slight", "Moderate", "Good", "Extensive"]
        );
    }

    #[test]
    fn refuses_what_is_not_one_scale() {
        assert!(ordered(&["Yes", "No"]).is_none());
        assert!(ordered(&["Yes", "No", "Agree"]).is_none(), "two qualities");
        assert!(ordered(&["Very satisfied", "Very likely", "Unlikely"]).is_none());
        assert!(ordered(&["Woman", "Man", "Other"]).is_none());
        assert!(
            ordered(&["Very satisfied", "Satisfied"]).is_none(),
            "two rungs"
        );
        assert!(
            ordered(&[
                "Agree",
                "Neutral",
                "Disagree",
                "Strongly disagree",
                "Somewhat disagree",
                "Partially disagree"
            ])
            .is_none(),
            "two labels on one rung"
        );
    }
}
#[cfg(test)]
mod unseen_scales {
    /// Scales of batch 8's tuning exports, read as their authors wrote them (a patient exit
    /// interview's "Okay, Good, Great" and its "Not at all … Yes completely"; an Italian
    /// opinion from "Assolutamente negativa" to "Assolutamente positiva"), given here shuffled.
    #[test]
    fn scales_of_feedback_and_opinion_are_ordered_by_their_words() {
        let order = |shuffled: &[&str]| {
            let labels: Vec<String> = shuffled.iter().map(|s| s.to_string()).collect();
            super::order(&labels)
        };
        assert_eq!(
            order(&["Yes completely", "Not really", "Mostly yes", "Not at all"]).unwrap(),
            ["Not at all", "Not really", "Mostly yes", "Yes completely"]
        );
        assert_eq!(
            order(&["Great", "Okay", "Good"]).unwrap(),
            ["Okay", "Good", "Great"]
        );
        assert_eq!(
            order(&[
                "Neutrale",
                "Assolutamente positiva",
                "Parzialmente negativa",
                "Parzialmente positiva",
                "Assolutamente negativa",
            ])
            .unwrap(),
            [
                "Assolutamente negativa",
                "Parzialmente negativa",
                "Neutrale",
                "Parzialmente positiva",
                "Assolutamente positiva"
            ]
        );
    }
}
