//! The themes section of a summary: what was written, how it was grouped and, when it could
//! not be, why. Every count is worded for its number ("1 comment", "3 comments").

use super::text::{fixed, list_sentence, plural, thousands};
use crate::themes::learn::LearnedSummary;
use crate::themes::sentiment::Direction;
use crate::themes::{write_in, CommentStatus, ThemeReport, ToneCounts, TooFew};
use serde::Serialize;

/// The most comments a summary lists when they were too few to group (comments.csv has all).
const MAX_LISTED: usize = 20;

#[derive(Debug, Serialize)]
pub(super) struct ThemesSection {
    pub(super) question: String,
    pub(super) comments: usize,
    pub(super) non_substantive: usize,
    pub(super) coded: usize,
    pub(super) themed: usize,
    pub(super) unthemed: usize,
    /// "38 comments, of which 2 said nothing substantive".
    pub(super) counts: String,
    /// `counts` with the comments that shared no words, when some did not.
    pub(super) counts_detailed: String,
    /// "38 respondents wrote a comment".
    pub(super) commenters: String,
    /// "The most common themes were A (12), B (9)", of the themes with comments; empty if none.
    pub(super) most_common: String,
    /// How the themes were found, or why there are none (no final full stop).
    pub(super) method: String,
    pub(super) themes: Vec<ThemeRow>,
    /// How tone was read ("Tone is … ."), empty when sentiment was not computed.
    pub(super) tone_method: String,
    /// The comments, redacted, when they were too few to group.
    pub(super) listed: Vec<String>,
    /// Learned coding and its stated agreement, when a coded sample was given.
    pub(super) learned: Option<LearnedSection>,
}

#[derive(Debug, Serialize)]
pub(super) struct LearnedSection {
    /// What was learned from what, and how much was coded (no final full stop).
    pub(super) method: String,
    /// "Automatic coding agreed with the evaluators' coding of 240 comments on 81 % of them …".
    pub(super) agreement: String,
    pub(super) themes: Vec<AgreementRow>,
    /// The comments to review (redacted), at most `MAX_LISTED`.
    pub(super) review: Vec<ReviewRow>,
    /// "3 comments need review" or "the first 20 of 31 comments to review; comments.csv marks all".
    pub(super) review_heading: String,
}

#[derive(Debug, Serialize)]
pub(super) struct AgreementRow {
    pub(super) theme: String,
    pub(super) in_sample: usize,
    pub(super) precision: String,
    pub(super) recall: String,
    pub(super) f1: String,
    pub(super) kappa: String,
}

#[derive(Debug, Serialize)]
pub(super) struct ReviewRow {
    pub(super) label: String,
    pub(super) confidence: String,
    pub(super) text: String,
}

#[derive(Debug, Serialize)]
pub(super) struct ThemeRow {
    /// The theme's number in themes.csv and comments.csv.
    pub(super) id: usize,
    /// Its place in the summary's list, largest first.
    pub(super) rank: usize,
    pub(super) codebook: bool,
    pub(super) learned: bool,
    pub(super) label: String,
    pub(super) size: usize,
    /// "1 comment", "3 comments".
    pub(super) size_phrase: String,
    pub(super) pct_comments: String,
    pub(super) keywords: String,
    pub(super) quotes: Vec<String>,
    /// "mostly positive (12 of 15)"; empty when sentiment was not computed.
    pub(super) tone: String,
}

pub(super) fn section(question: &str, t: &ThemeReport) -> ThemesSection {
    ThemesSection {
        question: question.to_string(),
        comments: t.comments,
        non_substantive: t.non_substantive,
        coded: t.coded,
        themed: t.themed,
        unthemed: t.unthemed,
        counts: counts(t, false),
        counts_detailed: counts(t, true),
        commenters: plural(
            t.comments as u64,
            "respondent wrote a comment",
            "respondents wrote a comment",
        ),
        most_common: most_common(t),
        method: with_review(method(t), t),
        themes: by_size(t)
            .into_iter()
            .enumerate()
            .map(|(at, th)| theme_row(th, at + 1, t.comments.saturating_sub(t.non_substantive)))
            .collect(),
        // Tone is shown per theme, so it needs saying only when a theme has comments.
        tone_method: match t.themes.iter().all(|th| th.size == 0) {
            true => String::new(),
            false => tone_method(t.sentiment_direction),
        },
        listed: listed(t),
        learned: t.learned.as_ref().map(|l| learned_section(l, t)),
    }
}

/// Learned coding in plain words, with its cross-validated agreement (`themes::learn`).
fn learned_section(l: &LearnedSummary, t: &ThemeReport) -> LearnedSection {
    let cv = &l.cross_validation;
    let agreement = format!(
        "In {}-fold cross-validation (each comment coded by a model that had not seen it), \
         automatic coding agreed with the evaluators’ coding of {} on {} % of them (exactly the \
         same set of themes), Cohen’s κ {} (the mean over themes of κ on whether each theme applies)",
        cv.folds,
        plural(cv.comments as u64, "comment", "comments"),
        fixed(Some(100.0 * cv.exact_share), 0),
        fixed(cv.kappa, 2),
    );
    let (review, review_heading) = to_review(l, t);
    LearnedSection {
        method: learned_method(l),
        agreement,
        themes: cv
            .themes
            .iter()
            .map(|a| AgreementRow {
                theme: a.theme.clone(),
                in_sample: a.in_a,
                precision: fixed(a.precision, 2),
                recall: fixed(a.recall, 2),
                f1: fixed(a.f1, 2),
                kappa: fixed(a.kappa, 2),
            })
            .collect(),
        review,
        review_heading,
    }
}

/// How the coding was learned and what became of the comments it could not code with confidence.
fn learned_method(l: &LearnedSummary) -> String {
    let mut method = format!(
        "The evaluators coded {} by hand ({}); canvass learned their coding (a linear support \
         vector machine per theme on the comments’ word stems) and coded {} of this wave",
        plural(l.trained_on as u64, "comment", "comments"),
        l.sample,
        plural(l.learned as u64, "other comment", "other comments"),
    );
    if l.hand_coded > 0 {
        method += &format!(
            "; {} in the sample keep the evaluators’ codes",
            plural(l.hand_coded as u64, "comment", "comments")
        );
    }
    method += &format!(
        ". {} under {} confidence (the model’s probability for the comment’s most likely theme) {} listed for review",
        plural(l.needs_review as u64, "comment", "comments"),
        fixed(Some(l.review_below), 2),
        if l.needs_review == 1 { "is" } else { "are" },
    );
    // The floor is the sample's choice (`learn::choose_floor`), so the reader is told it.
    if l.no_fit_below == 0.0 {
        method += "; the coders gave every comment they coded a theme, so every comment was given its most likely learned theme (no “fits none” floor)";
    } else {
        method += &format!(
            "; the cross-validation on the sample set the “fits none” floor at {}: {} fitted no learned theme and {} grouped with the rest",
            fixed(Some(l.no_fit_below), 2),
            plural(l.no_fit as u64, "comment", "comments"),
            if l.no_fit == 1 { "was" } else { "were" },
        );
    }
    if l.unknown_ids > 0 {
        method += &format!(
            "; {} of the sample {} not used (no text in the file and no comment of this wave with that id)",
            plural(l.unknown_ids as u64, "id", "ids"),
            if l.unknown_ids == 1 { "was" } else { "were" },
        );
    }
    method
}

/// The first comments listed for review, and the heading that says how many there are.
fn to_review(l: &LearnedSummary, t: &ThemeReport) -> (Vec<ReviewRow>, String) {
    // The least confident first: those are the ones a person should check before the rest.
    let mut review: Vec<crate::themes::Assignment> = (t.assignments.stream())
        .filter(|a| a.review)
        .map(std::borrow::Cow::into_owned)
        .collect();
    review.sort_by(|a, b| {
        a.confidence
            .unwrap_or(1.0)
            .total_cmp(&b.confidence.unwrap_or(1.0))
    });
    let review: Vec<ReviewRow> = review
        .into_iter()
        .take(MAX_LISTED)
        .map(|a| ReviewRow {
            confidence: fixed(a.confidence, 2),
            label: a.label.to_string(),
            text: a.text,
        })
        .collect();
    let review_heading = match l.needs_review {
        0 => String::new(),
        n if n > MAX_LISTED => format!(
            "The first {MAX_LISTED} of {n} comments to review (comments.csv marks all of them)"
        ),
        n => format!("Comments to review ({n}; comments.csv marks them too)"),
    };
    (review, review_heading)
}

/// A theme's row, `rank` in the list; `base` the substantive comments its share is of
/// ("3 of 36 comments").
fn theme_row(th: &crate::themes::Theme, rank: usize, base: usize) -> ThemeRow {
    ThemeRow {
        id: th.id,
        rank,
        codebook: th.kind == "codebook",
        learned: th.kind == "learned",
        label: shown_label(&th.label),
        size: th.size,
        size_phrase: format!(
            "{} of {}",
            th.size,
            plural(base as u64, "comment", "comments")
        ),
        pct_comments: fixed(Some(th.pct_comments), 0),
        keywords: th.keywords.join(", "),
        quotes: th.quotes.clone(),
        tone: th.tones.map(tone_phrase).unwrap_or_default(),
    }
}

/// A theme's tone in plain words: "all positive (3 of 3)", "mostly negative (9 of 15)" or
/// "mixed (5 positive, 4 neutral, 6 negative)"; empty for a theme with no comments.
fn tone_phrase(c: ToneCounts) -> String {
    let total = c.total();
    let largest = [
        (c.positive, "positive"),
        (c.negative, "negative"),
        (c.neutral, "neutral"),
    ]
    .into_iter()
    .max_by_key(|&(n, _)| n);
    match largest {
        _ if total == 0 => String::new(),
        Some((n, tone)) if n == total => format!("all {tone} ({n} of {total})"),
        Some((n, tone)) if 2 * n > total => format!("mostly {tone} ({n} of {total})"),
        _ => format!(
            "mixed ({} positive, {} neutral, {} negative)",
            c.positive, c.neutral, c.negative
        ),
    }
}

/// How each comment's tone was read, for the summary; that it was not, when the survey is in a
/// language with no sentiment lexicon (themes reads tone only in English: VADER's lexicon).
fn tone_method(direction: Option<Direction>) -> String {
    let reading = match direction {
        None => return "Tone was not scored: canvass's only sentiment lexicon (VADER) is English, and this survey's language is not".into(),
        Some(Direction::Improve) => {
            "; as the question asks what could be better, “nothing” counts as positive and a suggestion as neutral"
        }
        Some(Direction::WentWell) => {
            "; as the question asks what went well, “nothing” counts as negative"
        }
        Some(Direction::Open) => "",
    };
    format!("Each comment’s tone (positive, neutral or negative) is scored with the VADER sentiment lexicon{reading}")
}

/// The themes largest first, as every format lists them (`ThemeReport::by_size`).
fn by_size(t: &ThemeReport) -> Vec<&crate::themes::Theme> {
    t.by_size()
}

/// A theme's label as the summaries show it: with a capital, as a reviewer's or the codebook's
/// labels are written, so that coders' "staff morale" and a reviewer's "Workload" read alike
/// (themes.csv keeps the label as given).
fn shown_label(label: &str) -> String {
    let mut chars = label.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// "The most common themes were “A” (12 comments, 22 %), “B” (9 comments, 17 %)" (the first
/// five with comments, largest first, labels quoted so a comma inside one does not read as two
/// themes), or "The only theme was “A” (12 comments, 100 %)".
fn most_common(t: &ThemeReport) -> String {
    let named: Vec<String> = by_size(t)
        .into_iter()
        .filter(|th| th.size > 0)
        .take(5)
        .map(|th| {
            format!(
                "“{}” ({}, {} %)",
                shown_label(&th.label),
                plural(th.size as u64, "comment", "comments"),
                fixed(Some(th.pct_comments), 0)
            )
        })
        .collect();
    match named.as_slice() {
        [] => String::new(),
        [one] => format!("The only theme was {one}"),
        _ => format!("The most common themes were {}", named.join(", ")),
    }
}

/// "38 comments, of which 2 said nothing substantive"; `detailed` adds the comments that shared
/// no word with another (when clustering ran: otherwise none was compared).
fn counts(t: &ThemeReport, detailed: bool) -> String {
    if t.comments == 0 {
        return "no comments".into();
    }
    let mut of_which = Vec::new();
    if t.non_substantive > 0 {
        of_which.push(format!("{} said nothing substantive", t.non_substantive));
    }
    if detailed && t.too_few.is_none() && t.unthemed > 0 {
        of_which.push(format!("{} shared no words with others", t.unthemed));
    }
    let all = plural(t.comments as u64, "comment", "comments");
    if of_which.is_empty() {
        all
    } else {
        format!("{all}, of which {}", list_sentence(&of_which))
    }
}

/// How the themes were found, or why there are none (no final full stop).
pub fn method(t: &ThemeReport) -> String {
    let left = t.themed + t.unthemed;
    if t.comments == 0 {
        return "There was nothing to group into themes".into();
    }
    if let Some(few) = &t.too_few {
        return too_few(few, t);
    }
    let learned = t.learned.as_ref().map_or(0, |l| l.learned + l.hand_coded);
    if left == 0 && learned > 0 {
        return "Every substantive comment was coded to a codebook or learned theme, so none was left to group into further themes".into();
    }
    if left == 0 {
        return if t.coded > 0 {
            "Every substantive comment was coded to the survey's codebook, so none was left to group into further themes".into()
        } else {
            "None said anything substantive, so there was nothing to group into themes".into()
        };
    }
    let mut how = match t.k_method.as_str() {
        "silhouette" => chosen_by_silhouette(t),
        _ => match k_note(t) {
            Some(note) => note,
            None => format!("{}, as configured", plural(t.k as u64, "theme", "themes")),
        },
    };
    if let Some(f) = t.fitted_on {
        how.push_str(&format!(
            " (found in a seeded sample of {} of the {} comments to group, every comment then given its nearest theme)",
            thousands(f.sample),
            thousands(f.of)
        ));
    }
    if learned > 0 {
        return format!(
            "{how}, from the {} that no codebook or learned theme fitted",
            plural(left as u64, "comment", "comments"),
        );
    }
    if t.coded == 0 {
        return how;
    }
    format!(
        "{how}, from the {} that matched no codebook theme; {} coded to the survey's codebook",
        plural(left as u64, "comment", "comments"),
        plural(t.coded as u64, "comment was", "comments were"),
    )
}

/// The method, followed by what reviewers changed ("…; 3 themes renamed, 2 merged by
/// reviewers"), and the edits that no longer applied, so a reader knows the themes were edited.
fn with_review(method: String, t: &ThemeReport) -> String {
    match t.review.as_ref().map(|r| r.sentence()) {
        Some(s) if !s.is_empty() => format!("{method}; {s}"),
        _ => method,
    }
}

/// "Only 3 comments were written: too few to group into themes; they are listed below".
fn too_few(few: &TooFew, t: &ThemeReport) -> String {
    let n = few.comments as u64;
    let withheld = withheld_write_ins(t);
    let listed = if withheld > 0 {
        not_quoted(withheld, few.comments)
    } else if few.comments <= MAX_LISTED {
        if n == 1 {
            "it is listed below".to_string()
        } else {
            "they are listed below".to_string()
        }
    } else {
        format!("the first {MAX_LISTED} are listed below and comments.csv has all of them")
    };
    if few.comments >= few.minimum {
        let sharing = match few.sharing_words {
            0 => "none shares a word with another".to_string(),
            1 => "only 1 shares a word with another".to_string(),
            m => format!("only {m} share a word with another"),
        };
        return format!(
            "Of the {} left to group, {sharing}: too few to group into themes; {listed}",
            plural(n, "comment", "comments")
        );
    }
    let only = if t.coded > 0 {
        plural(n, "comment matched", "comments matched") + " no codebook theme"
    } else if t.non_substantive > 0 {
        plural(n, "comment said", "comments said") + " something substantive"
    } else {
        plural(n, "comment was", "comments were") + " written"
    };
    format!("Only {only}: too few to group into themes; {listed}")
}

/// "5 themes, chosen by silhouette among 2 to 8", and why there are fewer than silhouette
/// chose when k-means left some empty.
fn chosen_by_silhouette(t: &ThemeReport) -> String {
    let tried: Vec<usize> = t.silhouettes.iter().map(|(k, _)| *k).collect();
    let themes = plural(t.k as u64, "theme", "themes");
    let comments = plural(t.themed as u64, "comment", "comments");
    let candidates = match tried.as_slice() {
        [] => return format!("{themes}, chosen automatically"),
        [_] => format!("the only number to try with {comments}"),
        _ => format!("among {}", number_range(&tried)),
    };
    match t.k_requested {
        Some(chosen) if chosen > t.k => format!(
            "{themes}: silhouette chose {chosen} ({candidates}), but k-means left {} of them empty",
            chosen - t.k
        ),
        _ if tried.len() == 1 => format!("{themes} ({candidates})"),
        _ => format!("{themes}, chosen by silhouette {candidates}"),
    }
}

/// "2 to 8" for a run of numbers, "2 and 3", or "2, 4 and 7".
fn number_range(ks: &[usize]) -> String {
    let run = ks.windows(2).all(|w| w[1] == w[0] + 1);
    match ks {
        [first, .., last] if run && ks.len() > 2 => format!("{first} to {last}"),
        _ => list_sentence(&ks.iter().map(|k| k.to_string()).collect::<Vec<_>>()),
    }
}

/// Why a fixed number of themes was not met: "k = 100000 was asked for; 16 used because 33
/// comments allow at most 16 themes of two or more comments each". `None` when it was met.
pub fn k_note(t: &ThemeReport) -> Option<String> {
    if t.k_method == "silhouette" {
        return None;
    }
    let asked = t.k_requested?;
    let mut note = format!("k = {asked} was asked for");
    let used = match t.k_allowed {
        Some(allowed) => {
            note += &format!(
                "; {allowed} used because {} allow at most {} of {} or more comments each",
                plural(t.themed as u64, "comment", "comments"),
                plural(allowed as u64, "theme", "themes"),
                crate::themes::MIN_COMMENTS_PER_THEME
            );
            allowed
        }
        None => asked,
    };
    if t.k < used {
        note += &format!(
            "; k-means left {} of them empty, so there {} {}",
            used - t.k,
            if t.k == 1 { "is" } else { "are" },
            plural(t.k as u64, "theme", "themes")
        );
    }
    Some(note)
}

/// Write-ins too few respondents gave to publish (`themes::write_in`).
fn withheld_write_ins(t: &ThemeReport) -> usize {
    (t.assignments.stream())
        .filter(|a| write_in::is_withheld(&a.text))
        .count()
}

/// "none is quoted: each answer written in was given by too few respondents to show", or the
/// part listed when some were given by enough.
fn not_quoted(withheld: usize, comments: usize) -> String {
    let reason = "given by fewer respondents than a group must have to be shown";
    if withheld == comments {
        let each = if comments == 1 { "it was" } else { "each was" };
        format!("none is quoted: {each} {reason}")
    } else {
        format!(
            "{} not quoted: {reason}; the others are listed below",
            plural(withheld as u64, "answer is", "answers are")
        )
    }
}

/// The comments, redacted, when they were too few to group (never a withheld write-in).
fn listed(t: &ThemeReport) -> Vec<String> {
    if t.too_few.is_none() {
        return Vec::new();
    }
    (t.assignments.stream())
        .filter(|a| a.status == CommentStatus::Unthemed && !write_in::is_withheld(&a.text))
        .take(MAX_LISTED)
        .map(|a| a.into_owned().text)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(k_method: &str, k: usize, tried: &[usize]) -> ThemeReport {
        ThemeReport {
            respondents: 40,
            comments: 33,
            non_substantive: 0,
            coded: 0,
            themed: 33,
            unthemed: 0,
            k,
            k_method: k_method.into(),
            silhouettes: tried.iter().map(|&k| (k, 0.1)).collect(),
            k_requested: None,
            k_allowed: None,
            too_few: None,
            fitted_on: None,
            seed: 42,
            sentiment_direction: None,
            themes: Vec::new(),
            segments: Vec::new(),
            assignments: Default::default(),
            learned: None,
            review: None,
        }
    }

    /// A large wave's themes are found in a sample, and the methods say so with its size.
    #[test]
    fn the_fitting_sample_is_stated_in_the_methods() {
        let mut r = report("fixed", 6, &[]);
        assert!(!method(&r).contains("sample"), "{}", method(&r));
        r.fitted_on = Some(crate::themes::FittedOn {
            sample: 50_000,
            of: 660_123,
        });
        assert!(
            method(&r).contains("found in a seeded sample of 50,000 of the 660,123 comments to group, every comment then given its nearest theme"),
            "{}",
            method(&r)
        );
    }

    #[test]
    fn tone_reads_as_plain_words() {
        let c = |positive, neutral, negative| ToneCounts {
            positive,
            neutral,
            negative,
        };
        assert_eq!(tone_phrase(c(12, 2, 1)), "mostly positive (12 of 15)");
        assert_eq!(tone_phrase(c(0, 0, 3)), "all negative (3 of 3)");
        assert_eq!(
            tone_phrase(c(5, 4, 6)),
            "mixed (5 positive, 4 neutral, 6 negative)"
        );
        assert_eq!(tone_phrase(c(0, 0, 0)), "");
        assert!(tone_method(None).starts_with("Tone was not scored"));
    }

    #[test]
    fn automatic_choice_reads_correctly_for_any_candidate_list() {
        let cases: [(&[usize], usize, &str); 4] = [
            (
                &[2, 3, 4, 5, 6, 7, 8],
                5,
                "5 themes, chosen by silhouette among 2 to 8",
            ),
            (&[2, 3], 2, "2 themes, chosen by silhouette among 2 and 3"),
            (
                &[2],
                2,
                "2 themes (the only number to try with 33 comments)",
            ),
            (
                &[2, 4, 7],
                4,
                "4 themes, chosen by silhouette among 2, 4 and 7",
            ),
        ];
        for (tried, k, expected) in cases {
            assert_eq!(method(&report("silhouette", k, tried)), expected);
        }
        let mut r = report("silhouette", 1, &[2]);
        r.k_requested = Some(2);
        assert_eq!(
            method(&r),
            "1 theme: silhouette chose 2 (the only number to try with 33 comments), but k-means left 1 of them empty"
        );
    }

    #[test]
    fn a_capped_k_says_what_was_asked_and_why_less_was_used() {
        let mut r = report("fixed", 16, &[]);
        r.k_requested = Some(100_000);
        r.k_allowed = Some(16);
        assert_eq!(
            method(&r),
            "k = 100000 was asked for; 16 used because 33 comments allow at most 16 themes of 2 or more comments each"
        );
        r.k = 1;
        assert!(method(&r).ends_with("k-means left 15 of them empty, so there is 1 theme"));
        assert_eq!(method(&report("fixed", 1, &[])), "1 theme, as configured");
    }

    #[test]
    fn too_few_comments_are_listed_with_the_reason() {
        let mut r = report("silhouette", 0, &[]);
        r.comments = 3;
        r.themed = 0;
        r.unthemed = 3;
        r.too_few = Some(TooFew {
            comments: 3,
            sharing_words: 3,
            minimum: 4,
        });
        assert_eq!(
            method(&r),
            "Only 3 comments were written: too few to group into themes; they are listed below"
        );
        assert_eq!(counts(&r, true), "3 comments");
        r.comments = 1;
        r.unthemed = 1;
        r.too_few = Some(TooFew {
            comments: 1,
            sharing_words: 0,
            minimum: 4,
        });
        assert_eq!(
            method(&r),
            "Only 1 comment was written: too few to group into themes; it is listed below"
        );
        r.too_few = Some(TooFew {
            comments: 9,
            sharing_words: 1,
            minimum: 4,
        });
        assert_eq!(
            method(&r),
            "Of the 9 comments left to group, only 1 shares a word with another: too few to group into themes; they are listed below"
        );
    }
}
