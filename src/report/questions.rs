//! Choice, check-all and number questions in the summaries: a sentence for each headline
//! question, a table per question, and sorted horizontal bars (choices) or a histogram
//! (numbers) as inline SVG that reads at 360 px.

use super::text::{fixed, prose_pct, share_cell};
use crate::config::ChoiceKind;
use crate::model::plural;
use crate::score::questions::{ChoiceScore, NumberScore, OptionShare, RankingScore};
use serde::Serialize;

/// A choice or check-all question as the summaries show it.
#[derive(Debug, Serialize)]
pub(super) struct ChoiceSection {
    pub(super) id: String,
    pub(super) text: String,
    /// "single choice" or "tick all that apply".
    pub(super) kind: String,
    /// "Of the 836 who answered, 33 per cent chose …".
    pub(super) sentence: String,
    /// The base, as a phrase ("836 answered; 12 did not").
    pub(super) base: String,
    pub(super) rows: Vec<OptionRow>,
    /// Sorted horizontal bars, inline SVG (print with `|safe`).
    pub(super) chart: String,
}

#[derive(Debug, Serialize)]
pub(super) struct OptionRow {
    pub(super) option: String,
    pub(super) count: u64,
    pub(super) pct: String,
    pub(super) ci: String,
    pub(super) net: bool,
}

/// A number question as the summaries show it.
#[derive(Debug, Serialize)]
pub(super) struct NumberRow {
    pub(super) id: String,
    pub(super) text: String,
    pub(super) n: u64,
    pub(super) missing: u64,
    pub(super) not_numbers: u64,
    pub(super) mean: String,
    pub(super) sd: String,
    pub(super) min: String,
    pub(super) q1: String,
    pub(super) median: String,
    pub(super) q3: String,
    pub(super) max: String,
    /// "Of the 60 who answered, the median was 4 (half between 2 and 6); the mean 4.3."
    pub(super) sentence: String,
    /// The histogram, inline SVG (print with `|safe`).
    pub(super) chart: String,
}

/// The question's kind as a reader says it.
fn kind_phrase(kind: ChoiceKind) -> &'static str {
    match kind {
        ChoiceKind::SingleChoice => "single choice",
        ChoiceKind::MultiSelect => "tick all that apply",
    }
}

/// The choice question's section.
pub(super) fn choice_section(
    c: &ChoiceScore,
    written_in: Option<usize>,
    threshold: u64,
) -> ChoiceSection {
    // Fewer answered than the threshold: counts only, as the sentence says, and no bars.
    let few = c.n < threshold;
    let rows = c
        .options
        .iter()
        .map(|o| (o, false))
        .chain(c.nets.iter().map(|o| (o, true)))
        .map(|(o, net)| OptionRow {
            option: o.option.clone(),
            count: o.count,
            pct: share_cell(o.count, c.n, o.pct, threshold),
            ci: if few {
                String::new()
            } else {
                format!("{}–{}", fixed(o.ci_low, 1), fixed(o.ci_high, 1))
            },
            net,
        })
        .collect();
    let mut base = format!("{} answered", c.n);
    if c.missing > 0 {
        base.push_str(&format!("; {} did not", c.missing));
    }
    if let Some(per) = c.answers_per_respondent {
        base.push_str(&format!("; {per:.1} options ticked per respondent"));
    }
    if let Some(w) = &c.written_in {
        base.push_str(&format!(
            "; {} an answer of their own, counted under “{}”: not one of the options and given by fewer than {threshold} respondents, so not shown",
            plural(w.respondents, "respondent wrote", "respondents wrote"),
            w.option
        ));
    }
    if let Some(n) = written_in.filter(|&n| n > 0) {
        base.push_str(&format!(
            "; {} in the “Other” box, themed under “What respondents said”",
            plural(n as u64, "answer written", "answers written")
        ));
    }
    ChoiceSection {
        id: c.id.clone(),
        text: c.text.clone(),
        kind: kind_phrase(c.kind).to_string(),
        sentence: choice_sentence(c, threshold),
        base,
        rows,
        chart: if few { String::new() } else { bars(c) },
    }
}

/// "Asked “Which role …?”, of the 836 who answered, 33 per cent chose Teacher and 20 per cent
/// Teaching assistant." The two most chosen options, in the order chosen.
pub(super) fn choice_sentence(c: &ChoiceScore, threshold: u64) -> String {
    if c.n == 0 {
        return format!("Nobody answered “{}”.", c.text);
    }
    let top = most_chosen(c);
    if top.is_empty() {
        return format!(
            "Asked “{}”, every one of the {} who answered wrote an answer of their own, which is not shown.",
            c.text.trim_end_matches(['.', ' ']),
            plural(c.n, "respondent", "respondents"),
        );
    }
    if c.n < threshold {
        return few_answered_choice_sentence(c, &top, threshold);
    }
    let verb = match c.kind {
        ChoiceKind::SingleChoice => "chose",
        ChoiceKind::MultiSelect => "ticked",
    };
    let quoted = |o: &&crate::score::questions::OptionShare| format!("“{}”", o.option);
    let pct = |o: &&crate::score::questions::OptionShare| prose_pct(o.pct.unwrap_or(0.0));
    // Options tied at the top are named together: naming two of three equals would mislead.
    let tied = top.iter().take_while(|o| o.count == top[0].count).count();
    let clauses: Vec<String> = if tied > 1 {
        let names: Vec<String> = top[..tied].iter().map(quoted).collect();
        vec![format!(
            "{} per cent each {verb} {}",
            pct(&top[0]),
            super::text::list_sentence(&names)
        )]
    } else {
        top.iter()
            .take(2)
            .enumerate()
            .map(|(i, o)| match i {
                0 => format!("{} per cent {verb} {}", pct(o), quoted(o)),
                _ => format!("{} per cent {}", pct(o), quoted(o)),
            })
            .collect()
    };
    format!(
        "Asked “{}”, of the {} who answered, {}.",
        c.text.trim_end_matches(['.', ' ']),
        plural(c.n, "respondent", "respondents"),
        clauses.join(" and ")
    )
}

/// The options chosen, most chosen first: never the row counting write-ins, which nobody chose
/// (the table's note says how many wrote one).
fn most_chosen(c: &ChoiceScore) -> Vec<&OptionShare> {
    let written_in = c.written_in.as_ref().map(|w| w.option.as_str());
    let mut top: Vec<_> = (c.options.iter())
        .filter(|o| o.count > 0 && Some(o.option.as_str()) != written_in)
        .collect();
    top.sort_by_key(|o| std::cmp::Reverse(o.count));
    top
}

/// "Asked “…”, only 3 respondents answered, too few for a percentage (fewer than 10): 2 chose
/// “Teacher” and 1 “Head”."
fn few_answered_choice_sentence(c: &ChoiceScore, top: &[&OptionShare], threshold: u64) -> String {
    let verb = match c.kind {
        ChoiceKind::SingleChoice => "chose",
        ChoiceKind::MultiSelect => "ticked",
    };
    let clauses: Vec<String> = (top.iter().take(2).enumerate())
        .map(|(i, o)| match i {
            0 => format!("{} {verb} “{}”", o.count, o.option),
            _ => format!("{} “{}”", o.count, o.option),
        })
        .collect();
    format!(
        "Asked “{}”, only {}, too few for a percentage (fewer than {threshold}): {}.",
        c.text.trim_end_matches(['.', ' ']),
        plural(c.n, "respondent answered", "respondents answered"),
        clauses.join(" and ")
    )
}

/// The number question's row.
pub(super) fn number_row(q: &NumberScore) -> NumberRow {
    NumberRow {
        id: q.id.clone(),
        text: q.text.clone(),
        n: q.n,
        missing: q.missing,
        not_numbers: q.not_numbers,
        mean: fixed(q.mean, 2),
        sd: fixed(q.sd, 2),
        min: short(q.min),
        q1: short(q.q1),
        median: short(q.median),
        q3: short(q.q3),
        max: short(q.max),
        sentence: number_sentence(q),
        chart: histogram(q),
    }
}

/// A figure without needless decimals: 4, 4.5, 4.33.
fn short(v: Option<f64>) -> String {
    match v {
        Some(x) if x.fract() == 0.0 && x.abs() < 1e15 => format!("{x:.0}"),
        Some(x) => {
            let s = format!("{x:.2}");
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        }
        None => "–".into(),
    }
}

/// "Asked “How many hours …?”, the 60 respondents who answered gave a median of 4 (half
/// between 2 and 6) and a mean of 4.33."
pub(super) fn number_sentence(q: &NumberScore) -> String {
    if q.n == 0 {
        return format!("Nobody answered “{}” with a number.", q.text);
    }
    format!(
        "Asked “{}”, the {} who answered gave a median of {} (half between {} and {}) and a mean of {}.",
        q.text.trim_end_matches(['.', ' ']),
        plural(q.n, "respondent", "respondents"),
        short(q.median),
        short(q.q1),
        short(q.q3),
        short(q.mean.map(|m| (m * 100.0).round() / 100.0)),
    )
}

/// A ranking question as the summaries show it.
#[derive(Debug, Serialize)]
pub(super) struct RankingSection {
    pub(super) id: String,
    pub(super) text: String,
    /// "Of the 60 who ranked, 45 per cent put “Reading” first; its mean rank was 1.8."
    pub(super) sentence: String,
    /// The base, as a phrase ("60 ranked; 6 did not").
    pub(super) base: String,
    pub(super) rows: Vec<RankedRow>,
}

#[derive(Debug, Serialize)]
pub(super) struct RankedRow {
    pub(super) option: String,
    pub(super) n: u64,
    pub(super) mean_rank: String,
    pub(super) first: u64,
    pub(super) pct_first: String,
}

/// The ranking question's section: its ranked things in the survey's order.
pub(super) fn ranking_section(r: &RankingScore) -> RankingSection {
    let mut base = format!("{} ranked", r.n);
    if r.missing > 0 {
        base.push_str(&format!("; {} did not", r.missing));
    }
    RankingSection {
        id: r.id.clone(),
        text: r.text.clone(),
        sentence: ranking_sentence(r),
        base,
        rows: r
            .options
            .iter()
            .map(|o| RankedRow {
                option: o.option.clone(),
                n: o.n,
                mean_rank: fixed(o.mean_rank, 2),
                first: o.first,
                pct_first: fixed(o.pct_first, 1),
            })
            .collect(),
    }
}

/// "Asked “Rank these …”, of the 60 respondents who ranked, 45 per cent put “Reading” first
/// (mean rank 1.8)." The thing with the best (lowest) mean rank.
pub(super) fn ranking_sentence(r: &RankingScore) -> String {
    let best = r
        .options
        .iter()
        .filter_map(|o| o.mean_rank.map(|m| (m, o)))
        .min_by(|a, b| a.0.total_cmp(&b.0));
    match best {
        Some((mean, o)) if r.n > 0 => format!(
            "Asked “{}”, of the {} who ranked, {} per cent put “{}” first; its mean rank was {}, the best of {}.",
            r.text.trim_end_matches(['.', ' ']),
            plural(r.n, "respondent", "respondents"),
            prose_pct(o.pct_first.unwrap_or(0.0)),
            o.option,
            short(Some((mean * 100.0).round() / 100.0)),
            r.options.len(),
        ),
        _ => format!("Nobody ranked “{}”.", r.text),
    }
}

/// Every choice question's bars and number question's histogram, as
/// (`choice:<id>` or `number:<id>`, the question's text, the SVG), for the Word report's images.
pub(super) fn charts(score: &crate::score::ScoreReport) -> Vec<(String, String, String)> {
    let choices = score
        .choices
        .iter()
        .filter(|c| c.n >= score.suppress_below as u64)
        .map(|c| (format!("choice:{}", c.id), c.text.clone(), bars(c)));
    let numbers = score
        .numbers
        .iter()
        .map(|q| (format!("number:{}", q.id), q.text.clone(), histogram(q)))
        .filter(|(_, _, svg)| !svg.is_empty());
    choices.chain(numbers).collect()
}

/// An SVG that scales to the page (`width="100%"`) at its drawing's own size, as an image
/// renderer needs it.
pub(super) fn sized(svg: &str) -> String {
    let size = svg
        .split_once("viewBox=\"0 0 ")
        .and_then(|(_, rest)| rest.split_once('"'))
        .and_then(|(wh, _)| wh.split_once(' '));
    match size {
        Some((w, h)) => svg.replacen(
            "width=\"100%\"",
            &format!("width=\"{w}\" height=\"{h}\""),
            1,
        ),
        None => svg.to_string(),
    }
}

/// Escapes text for SVG (XML).
fn esc(s: &str) -> String {
    crate::xml::escape(s, crate::xml::Breaks::Spaces)
}

/// Width of the charts' drawing, in their own units (they scale to the page).
const WIDTH: f64 = 320.0;
/// Height of one option: its label on a line, its bar beneath.
const ROW: f64 = 34.0;

/// The options as horizontal bars, most chosen first (nets apart, after a gap), each labelled
/// above its bar and its share written beside it, so they read on a phone.
fn bars(c: &ChoiceScore) -> String {
    let mut shown: Vec<_> = c.options.iter().collect();
    shown.sort_by_key(|o| std::cmp::Reverse(o.count));
    let height = ROW * shown.len() as f64 + 4.0;
    let mut svg = format!(
        "<svg class=\"bars\" viewBox=\"0 0 {WIDTH} {height}\" width=\"100%\" role=\"img\" aria-label=\"{}\">",
        esc(&c.text)
    );
    let span = WIDTH - 56.0;
    for (i, o) in shown.iter().enumerate() {
        let y = ROW * i as f64;
        let pct = o.pct.unwrap_or(0.0);
        let w = (span * pct / 100.0).max(if o.count > 0 { 1.0 } else { 0.0 });
        svg.push_str(&format!(
            "<g><title>{}: {} ({} per cent)</title><text x=\"0\" y=\"{:.1}\" font-size=\"12\">{}</text><rect x=\"0\" y=\"{:.1}\" width=\"{w:.1}\" height=\"14\" fill=\"#2166ac\"/><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\">{}%</text></g>",
            esc(&o.option),
            o.count,
            fixed(o.pct, 1),
            y + 12.0,
            esc(&o.option),
            y + 16.0,
            w + 4.0,
            y + 27.0,
            fixed(o.pct, 0),
        ));
    }
    svg.push_str("</svg>");
    svg
}

/// The histogram: a bar per value (whole numbers over a short range) or per class.
fn histogram(q: &NumberScore) -> String {
    let bins = &q.histogram;
    if bins.is_empty() {
        return String::new();
    }
    let height = 120.0;
    let top = bins.iter().map(|b| b.count).max().unwrap_or(1).max(1) as f64;
    let slot = WIDTH / bins.len() as f64;
    let mut svg = format!(
        "<svg class=\"histogram\" viewBox=\"0 0 {WIDTH} {}\" width=\"100%\" role=\"img\" aria-label=\"{}\">",
        height + 16.0,
        esc(&q.text)
    );
    for (i, b) in bins.iter().enumerate() {
        let h = (height - 14.0) * b.count as f64 / top;
        let x = slot * i as f64;
        let label = if b.low == b.high {
            short(Some(b.low))
        } else {
            format!("{}–{}", short(Some(b.low)), short(Some(b.high)))
        };
        svg.push_str(&format!(
            "<g><title>{label}: {}</title><rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{h:.1}\" fill=\"#2166ac\"/></g>",
            b.count,
            x + 1.0,
            height - h,
            (slot - 2.0).max(1.0),
        ));
    }
    let (first, last) = (&bins[0], &bins[bins.len() - 1]);
    svg.push_str(&format!(
        "<text x=\"0\" y=\"{:.1}\" font-size=\"11\">{}</text><text x=\"{WIDTH}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"end\">{}</text></svg>",
        height + 13.0,
        short(Some(first.low)),
        height + 13.0,
        short(Some(last.high)),
    ));
    svg
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::questions::OptionShare;

    fn option(label: &str, count: u64, n: u64) -> OptionShare {
        OptionShare {
            option: label.into(),
            column: "Q5".into(),
            count,
            pct: Some(100.0 * count as f64 / n as f64),
            ci_low: None,
            ci_high: None,
        }
    }

    #[test]
    fn the_sentence_names_the_two_most_chosen_options() {
        let c = ChoiceScore {
            id: "role".into(),
            text: "Which role are you in?".into(),
            kind: ChoiceKind::SingleChoice,
            n: 836,
            n_effective: None,
            missing: 3,
            answers_per_respondent: None,
            options: vec![
                option("Head", 100, 836),
                option("Teacher", 276, 836),
                option("TA", 167, 836),
            ],
            nets: Vec::new(),
            written_in: None,
            headline: true,
        };
        assert_eq!(
            choice_sentence(&c, 10),
            "Asked “Which role are you in?”, of the 836 respondents who answered, 33 per cent chose “Teacher” and 20 per cent “TA”."
        );
        let svg = bars(&c);
        let tied = ChoiceScore {
            options: vec![
                option("Head", 19, 66),
                option("Middle", 19, 66),
                option("Teacher", 19, 66),
                option("TA", 9, 66),
            ],
            ..c.clone()
        };
        assert_eq!(
            choice_sentence(&tied, 10),
            "Asked “Which role are you in?”, of the 836 respondents who answered, 29 per cent each chose “Head”, “Middle” and “Teacher”."
        );
        assert!(
            svg.starts_with("<svg") && svg.matches("<rect").count() == 3,
            "{svg}"
        );
        // Fewer than the threshold answered: counts, never a percentage of a handful.
        let few = ChoiceScore {
            n: 3,
            options: vec![option("Head", 1, 3), option("Teacher", 2, 3)],
            ..c.clone()
        };
        assert_eq!(
            choice_sentence(&few, 10),
            "Asked “Which role are you in?”, only 3 respondents answered, too few for a percentage (fewer than 10): 2 chose “Teacher” and 1 “Head”."
        );
        // … and the table and the chart agree with the sentence: counts, no shares, no bars.
        let section = choice_section(&few, None, 10);
        let shown: Vec<(&str, &str)> = section
            .rows
            .iter()
            .map(|r| (r.pct.as_str(), r.ci.as_str()))
            .collect();
        assert_eq!(shown, [("1 of 3", ""), ("2 of 3", "")]);
        assert!(section.chart.is_empty());
        assert!(!choice_section(&c, None, 10).chart.is_empty());
    }
}
