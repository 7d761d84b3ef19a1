//! The figures the learned kind model reads of a column (`learned.rs`): what the rules decided,
//! and evidence that holds across tools: the shape of the answers (how many differ, how long,
//! numbers, dates, separators, rungs of a scale), the header's words and the columns beside it.
//! `inspect --features` prints them, so the model can be trained again from labelled exports
//! (`benches/kinds_model.py`); the order of `NAMES` is the model's contract.

use super::{date_re, is_nothing, ladder, scales, ColumnInfo, Kind, Profile};
use crate::ingest::RawExport;
use crate::model::{label_key, ALL_FORMATS};
use rayon::prelude::*;
use regex::Regex;
use std::collections::HashMap;
use std::sync::OnceLock;

/// Every feature's name, in the order `features` writes them.
pub const NAMES: &[&str] = &[
    "rule_likert",
    "rule_single_choice",
    "rule_multi_select",
    "rule_numeric",
    "rule_date",
    "rule_free_text",
    "rule_identifier",
    "rule_metadata",
    "rule_empty",
    "in_matrix",
    "matrix_columns",
    "scale_points",
    "has_question_text",
    "rows_log",
    "answered_share",
    "distinct_log",
    "distinct_share",
    "repeated_share",
    "long_share",
    "mean_chars_log",
    "max_chars_log",
    "mean_words",
    "numeric_share",
    "integer_share",
    "numeric_min",
    "numeric_max",
    "date_share",
    "comma_share",
    "semicolon_share",
    "newline_share",
    "value_is_header_tail",
    "two_values",
    "zero_one",
    "yes_no",
    "rung_share",
    "numbered_share",
    "nothing_share",
    "digit_char_share",
    "top_share",
    "header_words",
    "header_question_mark",
    "header_bracket",
    "header_code_like",
    "header_blank",
    "asks_person",
    "asks_id",
    "asks_time",
    "asks_amount",
    "asks_comment",
    "asks_rating",
    "asks_all_that_apply",
    "position",
    "same_values_as_neighbour",
    "same_stem_columns_log",
    "at_sign_share",
    "distinct_values_log_per_rows",
    "graded_share",
    "scale_sized",
    "neighbour_rule_likert",
    "neighbour_rule_choice",
    "numeric_span_log",
    "format_qualtrics",
    "format_surveymonkey",
    "format_google_forms",
    "format_microsoft_forms",
    "format_limesurvey",
    "format_redcap",
    "format_kobotoolbox",
    "format_surveycto",
    "format_typeform",
    "format_generic",
];

/// The features of every column, after the rules have decided (`infos` in the export's order).
pub(super) fn features(
    raw: &RawExport,
    infos: &[ColumnInfo],
    profiles: &[Profile],
) -> Vec<Vec<f32>> {
    let samples: Vec<Vec<(&str, usize)>> = profiles.par_iter().map(sample).collect();
    let keys: Vec<Vec<String>> = samples
        .par_iter()
        .map(|sample| {
            let mut k: Vec<String> = sample.iter().map(|(v, _)| label_key(v)).collect();
            k.sort_unstable();
            k.dedup();
            k
        })
        .collect();
    let stems: Vec<String> = raw.columns.iter().map(|c| stem(&header(c))).collect();
    // Counted once, not per column: a wide export has thousands of columns.
    let mut stem_counts: HashMap<&str, usize> = HashMap::new();
    for s in stems.iter().filter(|s| !s.is_empty()) {
        *stem_counts.entry(s.as_str()).or_default() += 1;
    }
    let mut grid_sizes: HashMap<&str, usize> = HashMap::new();
    for m in infos.iter().filter_map(|o| o.matrix.as_deref()) {
        *grid_sizes.entry(m).or_default() += 1;
    }
    let n = infos.len();
    // Each column's figures on their own (a wide export's answers are read on both cores);
    // the order of the result is the columns' whatever the thread count.
    (0..n)
        .into_par_iter()
        .map(|i| {
            let column = &raw.columns[i];
            let p = &profiles[i];
            let values = &samples[i];
            let info = &infos[i];
            let mut f = Vec::with_capacity(NAMES.len());
            for kind in Kind::ALL {
                f.push(flag(info.kind == kind));
            }
            let matrix = info.matrix.as_ref();
            f.push(flag(matrix.is_some()));
            let in_matrix = matrix.map_or(0, |m| grid_sizes[m.as_str()]);
            f.push(ln(in_matrix));
            f.push(info.labels.len() as f32);
            f.push(flag(!column.question.is_empty()));
            shape(&mut f, raw.rows.len(), p, values, &column.name);
            let text = header(column);
            header_features(&mut f, &text);
            f.push(i as f32 / n.max(1) as f32);
            let neighbour = |j: usize| !keys[i].is_empty() && keys[j] == keys[i];
            f.push(flag(
                (i > 0 && neighbour(i - 1)) || (i + 1 < n && neighbour(i + 1)),
            ));
            let same_stem = stem_counts.get(stems[i].as_str()).copied().unwrap_or(0);
            f.push(ln(same_stem));
            let at: usize = values
                .iter()
                .filter(|(v, _)| v.contains('@'))
                .map(|(_, c)| c)
                .sum();
            f.push(share(at, p.answered));
            f.push(ln(p.counts.len()) - ln(raw.rows.len()));
            let graded = values.iter().filter(|(v, _)| graded_word(v)).count();
            f.push(graded as f32 / values.len().max(1) as f32);
            f.push(flag((3..=11).contains(&p.counts.len())));
            let beside = |kind: Kind| {
                (i > 0 && infos[i - 1].kind == kind) || (i + 1 < n && infos[i + 1].kind == kind)
            };
            f.push(flag(beside(Kind::Likert)));
            f.push(flag(beside(Kind::SingleChoice)));
            let numbers = numbers(values);
            let span = numbers.iter().copied().fold(f64::NEG_INFINITY, f64::max)
                - numbers.iter().copied().fold(f64::INFINITY, f64::min);
            f.push(if numbers.is_empty() {
                0.0
            } else {
                (span + 1.0).ln() as f32
            });
            for format in ALL_FORMATS {
                f.push(flag(raw.source.format == format));
            }
            debug_assert_eq!(f.len(), NAMES.len());
            f
        })
        .collect()
}

/// Distinct answers a column's features are read from, with their counts: all of them up to
/// `SAMPLE`, else the first `SAMPLE` in sorted order, so that a comment column of a million
/// rows costs no more than a short one and the figures do not depend on a hash's order.
const SAMPLE: usize = 5000;

fn sample<'a>(p: &Profile<'a>) -> Vec<(&'a str, usize)> {
    let count = |v: &'a str| (v, p.counts.get(v).copied().unwrap_or(0));
    if !p.unique.is_empty() {
        return p.unique.iter().take(SAMPLE).map(|v| count(v)).collect();
    }
    let mut keys: Vec<&'a str> = p.counts.keys().copied().collect();
    if keys.len() > SAMPLE {
        keys.select_nth_unstable(SAMPLE);
        keys.truncate(SAMPLE);
    }
    keys.sort_unstable();
    keys.into_iter().map(count).collect()
}

fn numbers(values: &[(&str, usize)]) -> Vec<f64> {
    values
        .iter()
        .filter_map(|(v, _)| v.parse::<f64>().ok())
        .filter(|x| x.is_finite())
        .collect()
}

/// The answers' shape, from the sample of them and their counts.
fn shape(f: &mut Vec<f32>, rows: usize, p: &Profile, values: &[(&str, usize)], name: &str) {
    let answered = p.answered;
    f.push(ln(rows));
    f.push(share(answered, rows));
    f.push(ln(p.counts.len()));
    f.push(share(p.counts.len(), answered));
    f.push(p.repeated_share() as f32);
    f.push(share(p.long, answered));
    let counted: usize = values.iter().map(|(_, c)| c).sum();
    let weighted = |measure: &dyn Fn(&str) -> f32| -> f32 {
        if counted == 0 {
            return 0.0;
        }
        values
            .iter()
            .map(|&(v, c)| measure(v) * c as f32)
            .sum::<f32>()
            / counted as f32
    };
    let share_of = |test: &dyn Fn(&str) -> bool| weighted(&|v| flag(test(v)));
    f.push(weighted(&|v| ln(v.chars().count())));
    f.push(ln(values
        .iter()
        .map(|(v, _)| v.chars().count())
        .max()
        .unwrap_or(0)));
    f.push(weighted(&|v| v.split_whitespace().count().min(50) as f32));
    f.push(share_of(&|v| v.parse::<f64>().is_ok()));
    f.push(share_of(&|v| v.parse::<i64>().is_ok()));
    let numbers = numbers(values);
    let lo = numbers.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = numbers.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    f.push(if numbers.is_empty() {
        0.0
    } else {
        signed_ln(lo)
    });
    f.push(if numbers.is_empty() {
        0.0
    } else {
        signed_ln(hi)
    });
    f.push(share_of(&|v| date_re().is_match(v)));
    f.push(share_of(&|v| v.contains(',')));
    f.push(share_of(&|v| v.contains(';')));
    f.push(share_of(&|v| v.contains('\n')));
    let tail = label_key(
        name.rsplit(['-', '[', ':', '_', '('])
            .next()
            .unwrap_or(name),
    );
    f.push(share_of(&|v| !tail.is_empty() && label_key(v) == tail));
    f.push(flag(p.counts.len() <= 2));
    f.push(flag(
        !values.is_empty()
            && values
                .iter()
                .all(|(v, _)| matches!(*v, "0" | "1" | "0.0" | "1.0")),
    ));
    f.push(flag(
        !values.is_empty()
            && values.iter().all(|(v, _)| {
                matches!(
                    label_key(v).as_str(),
                    "yes" | "no" | "true" | "false" | "checked" | "unchecked" | "y" | "n"
                )
            }),
    ));
    let distinct = values.len().max(1) as f32;
    let rungs = values
        .iter()
        .filter(|(v, _)| ladder::rung(v).is_some())
        .count();
    f.push(rungs as f32 / distinct);
    let numbered = values.iter().filter(|(v, _)| scales::numbered(v)).count();
    f.push(numbered as f32 / distinct);
    f.push(share_of(&|v| is_nothing(v)));
    f.push(weighted(&|v| {
        let all = v.chars().count().max(1);
        v.chars().filter(char::is_ascii_digit).count() as f32 / all as f32
    }));
    let top = p.counts.values().copied().max().unwrap_or(0);
    f.push(share(top, answered));
}

/// The header's words: what it asks for.
fn header_features(f: &mut Vec<f32>, text: &str) {
    let lower = text.to_lowercase();
    f.push(lower.split_whitespace().count().min(60) as f32);
    f.push(flag(lower.contains('?') || lower.contains('¿')));
    f.push(flag(lower.contains('[')));
    f.push(flag(code_like().is_match(text.trim())));
    f.push(flag(text.trim().is_empty()));
    for re in asks() {
        f.push(flag(re.is_match(&lower)));
    }
}

fn code_like() -> &'static Regex {
    // expect: a literal pattern, compiled the first time it is used; it cannot fail at run time.
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"^[A-Za-z][A-Za-z0-9]*([_.\-\[#][A-Za-z0-9_\]#.\-]*)?$").expect("static regex")
    })
}

/// What a header asks for, in the order of `NAMES` (`asks_person` … `asks_all_that_apply`).
fn asks() -> &'static [Regex; 7] {
    // expect: literal patterns, compiled the first time they are used; they cannot fail at run time.
    static RES: OnceLock<[Regex; 7]> = OnceLock::new();
    RES.get_or_init(|| {
        [
            r"\b(name|e-?mail|phone|address|postcode|zip|nombre|nom|correo|telefono|teléfono)\b",
            r"(\bid\b|identifier|uuid|token|\bkey\b|record|\bcode\b|number\b|\bno\.)",
            r"\b(date|time|timestamp|submitted|started|ended|duration|fecha|hora|datum)\b",
            r"\b(how many|how much|number of|age|years?|percent|percentage|hours|minutes|cost|price|amount|salary|income|cuántos|cuantos)\b|%",
            r"\b(why|explain|describe|comments?|suggest\w*|other|specify|anything|improve|feedback|what|otro|otra|qué|que|pourquoi|autre)\b",
            r"\b(rate|rating|agree|disagree|satisf\w*|likely|likelihood|often|frequen\w*|important|importance|useful|quality|confiden\w*|extent|scale)\b",
            r"(select all|check all|all that apply|choose all|mark all|todas las que|toutes les)",
        ]
        .map(|p| Regex::new(p).expect("static regex"))
    })
}

/// Whether a label grades something: a degree, a frequency, a judgement of quality, size,
/// importance or change, in English or the languages whose scales canvass reads.
fn graded_word(label: &str) -> bool {
    // expect: a literal pattern, compiled the first time it is used; it cannot fail at run time.
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(concat!(
            r"(?i)\b(very|extremely|somewhat|slightly|moderately|fairly|quite|rather|completely|totally|strongly|a little|a lot|not at all|mostly|partly",
            r"|always|often|usually|sometimes|occasionally|rarely|seldom|never|daily|weekly|monthly|yearly",
            r"|excellent|good|fair|poor|bad|ok|okay|average|terrible|horrible|great|awful|better|worse|same",
            r"|major|minor|trivial|critical|significant|moderate|severe|mild|none|some|all|most|few|many|more|less",
            r"|important|essential|useful|relevant|irrelevant|necessary|valuable|helpful|confident|familiar|comfortable|easy|difficult|hard",
            r"|agree|disagree|satisfied|dissatisfied|likely|unlikely|increase|decrease|improve\w*|high|low|medium",
            r"|muy|poco|bastante|nada|algo|siempre|nunca|veces|bueno|buena|malo|mala|regular|excelente|acuerdo",
            r"|très|peu|assez|pas du tout|toujours|jamais|souvent|bon|bonne|mauvais|moyen|d'accord",
            r"|sehr|wenig|eher|gar nicht|immer|nie|oft|manchmal|gut|schlecht|mittel",
            r"|molto|poco|abbastanza|per niente|sempre|mai|spesso|buono|cattivo",
            r"|zeer|weinig|helemaal|altijd|nooit|vaak|soms|goed|slecht|muito|pouco|ruim|ótimo|péssimo)\b"
        ))
        .expect("static regex")
    })
    .is_match(label)
}

/// Name and question, as the header shows them.
fn header(column: &crate::ingest::RawColumn) -> String {
    if column.question.is_empty() {
        column.name.clone()
    } else {
        format!("{} {}", column.name, column.question)
    }
}

/// A header's first words, which a grid's rows or a question's options share.
fn stem(header: &str) -> String {
    header.chars().take(24).collect::<String>().to_lowercase()
}

fn flag(b: bool) -> f32 {
    if b {
        1.0
    } else {
        0.0
    }
}

fn ln(n: usize) -> f32 {
    (n as f32 + 1.0).ln()
}

fn signed_ln(x: f64) -> f32 {
    (x.signum() * (x.abs() + 1.0).ln()) as f32
}

fn share(part: usize, whole: usize) -> f32 {
    part as f32 / whole.max(1) as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The one-hot features are named after the kinds and formats, in the order `features`
    /// writes them (`Kind::ALL`, `ALL_FORMATS`): a reordered enum would feed the model the
    /// wrong columns silently.
    #[test]
    fn one_hot_names_follow_the_kinds_and_formats() {
        let snake = |s: &str| s.replace('-', "_");
        let kinds: Vec<String> = Kind::ALL
            .iter()
            .map(|k| format!("rule_{}", snake(k.name())))
            .collect();
        assert_eq!(
            NAMES[..kinds.len()],
            kinds.iter().map(String::as_str).collect::<Vec<_>>()[..]
        );
        let formats: Vec<String> = ALL_FORMATS
            .iter()
            .map(|f| format!("format_{}", snake(f.name())))
            .collect();
        assert_eq!(
            NAMES[NAMES.len() - formats.len()..],
            formats.iter().map(String::as_str).collect::<Vec<_>>()[..]
        );
    }
}
