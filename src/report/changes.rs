//! The change since the previous wave as the summaries say it: the sentences (independent
//! samples and, where the same people answered, the panel) and the table's rows.

use super::*;

#[derive(Debug, Serialize)]
pub(super) struct ChangesSection {
    pub(super) before: String,
    pub(super) after: String,
    pub(super) sentences: Vec<String>,
    pub(super) rows: Vec<ChangeRow>,
    pub(super) scale_rows: Vec<ChangeRow>,
}

#[derive(Debug, Serialize)]
pub(super) struct ChangeRow {
    pub(super) id: String,
    pub(super) before: String,
    pub(super) after: String,
    pub(super) change: String,
    pub(super) ci: String,
    pub(super) p_adjusted: String,
    pub(super) significant: bool,
}

pub(super) fn changes_section(c: &WaveComparison, confidence: f64) -> ChangesSection {
    let method = match c.adjustment {
        crate::stats::hypothesis::Adjustment::Holm => "Holm",
        crate::stats::hypothesis::Adjustment::BenjaminiHochberg => "Benjamini–Hochberg",
    };
    let level = format!("{}%", (confidence * 100.0).round());
    let mut sentences: Vec<String> = c
        .items
        .iter()
        .filter(|i| i.significant)
        .map(|i| {
            let direction = if i.change.unwrap_or(0.0) > 0.0 { "rose" } else { "fell" };
            format!(
                "The share agreeing that {} {direction} from {} to {} per cent ({} points; {level} CI {} to {}).",
                i.statement,
                fixed(i.before_pct_agree, 0),
                fixed(i.after_pct_agree, 0),
                signed(i.change, 0),
                signed(i.ci_low, 0),
                signed(i.ci_high, 0)
            )
        })
        .collect();
    sentences.extend(c.scales.iter().filter(|s| s.significant).map(|s| {
        format!(
            "The mean {} score changed from {} to {} ({}; {level} CI {} to {}).",
            s.name,
            fixed(s.before_mean, 2),
            fixed(s.after_mean, 2),
            signed(s.change, 2),
            signed(s.ci_low, 2),
            signed(s.ci_high, 2)
        )
    }));
    if let Some(panel) = c.panel.as_ref().filter(|p| p.matched_respondents > 0) {
        sentences.push(panel_sentence(c, panel, method));
    }
    sentences.push(significance_sentence(c, method));
    ChangesSection {
        before: c.before.clone(),
        after: c.after.clone(),
        sentences,
        rows: c.items.iter().map(item_change_row).collect(),
        scale_rows: c
            .scales
            .iter()
            .map(|s| ChangeRow {
                id: s.name.clone(),
                before: fixed(s.before_mean, 2),
                after: fixed(s.after_mean, 2),
                change: signed(s.change, 2),
                ci: format!("{} to {}", signed(s.ci_low, 2), signed(s.ci_high, 2)),
                p_adjusted: fixed(s.p_adjusted, 3),
                significant: s.significant,
            })
            .collect(),
    }
}

/// What the respondents who answered both waves show (McNemar), in one sentence.
pub(super) fn panel_sentence(c: &WaveComparison, panel: &PanelComparison, method: &str) -> String {
    let significant: Vec<String> = panel
        .items
        .iter()
        .filter(|i| i.significant)
        .filter_map(|i| {
            let statement = &c.items.iter().find(|x| x.id == i.id)?.statement;
            Some(format!(
                "the share agreeing that {statement} went from {} to {} per cent ({} stopped agreeing, {} started)",
                fixed(i.before_pct_agree, 0),
                fixed(i.after_pct_agree, 0),
                i.stopped_agreeing.unwrap_or(0),
                i.started_agreeing.unwrap_or(0)
            ))
        })
        .collect();
    let matched = plural(
        panel.matched_respondents,
        "respondent answered",
        "respondents answered",
    );
    // Which column matched them: the reader can judge whether it is one a person keeps.
    let key = &panel.key;
    if significant.is_empty() {
        format!(
            "{matched} both waves (matched by {key}); among them no item changed significantly (McNemar's test, {method}-adjusted)."
        )
    } else {
        format!(
            "{matched} both waves (matched by {key}); among them {} (McNemar's test, {method}-adjusted).",
            list_sentence(&significant)
        )
    }
}

/// How many of the changes are significant after adjustment, and what that means.
pub(super) fn significance_sentence(c: &WaveComparison, method: &str) -> String {
    let tested = c.items.len() + c.scales.len();
    let significant = c.items.iter().filter(|i| i.significant).count()
        + c.scales.iter().filter(|s| s.significant).count();
    if tested == 1 {
        format!(
            "The one change since {} {} statistically significant after {method} adjustment{}.",
            c.before,
            if significant == 1 { "is" } else { "is not" },
            if significant == 1 {
                ""
            } else {
                "; a difference of this size could arise by chance"
            }
        )
    } else if significant == 0 {
        format!(
            "None of the {tested} changes since {} is statistically significant after {method} adjustment; differences of this size could arise by chance.",
            c.before
        )
    } else {
        format!(
            "{} of {tested} changes since {} {} statistically significant after {method} adjustment for multiple comparisons; the others could arise by chance.",
            capitalise(&significant.to_string()),
            c.before,
            if significant == 1 { "is" } else { "are" }
        )
    }
}

/// A change in % agree; where a wave had no answers it says so and shows no change.
pub(super) fn item_change_row(i: &crate::score::compare::ItemChange) -> ChangeRow {
    let pct = |n: u64, p: Option<f64>| {
        if n == 0 {
            NO_ANSWERS.to_string()
        } else {
            fixed(p, 1)
        }
    };
    let unanswered = i.before_n == 0 || i.after_n == 0;
    ChangeRow {
        id: i.id.clone(),
        before: pct(i.before_n, i.before_pct_agree),
        after: pct(i.after_n, i.after_pct_agree),
        change: if unanswered {
            String::new()
        } else {
            signed(i.change, 1)
        },
        ci: if unanswered {
            String::new()
        } else {
            format!("{} to {}", signed(i.ci_low, 1), signed(i.ci_high, 1))
        },
        p_adjusted: if unanswered {
            String::new()
        } else {
            fixed(i.p_adjusted, 3)
        },
        significant: i.significant,
    }
}
