//! The CSV tables of a wave. Column names are part of the contract with scripts; figures are
//! written with fixed decimals so files are byte-identical between runs.

use crate::clean::CleanTable;
use crate::score::compare::WaveComparison;
use crate::score::ScoreReport;
use crate::themes::ThemeReport;

fn num(v: Option<f64>, decimals: usize) -> String {
    match v {
        Some(x) if x.is_finite() => format!("{x:.decimals$}"),
        _ => String::new(),
    }
}

fn csv_bytes(header: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    // Writing to memory cannot fail.
    let _ = w.write_record(header);
    for r in rows {
        let _ = w.write_record(&r);
    }
    w.into_inner().unwrap_or_default()
}

pub fn items_csv(s: &ScoreReport) -> Vec<u8> {
    let max_options = s
        .items
        .iter()
        .map(|i| i.summary.options.len())
        .max()
        .unwrap_or(0);
    let mut header: Vec<String> = [
        "id",
        "text",
        "column",
        "response_scale",
        "n",
        "missing",
        "non_substantive",
        "unrecognised",
        "pct_agree",
        "ci_low",
        "ci_high",
        "pct_neutral",
        "pct_disagree",
        "net_agree",
        "mean",
        "sd",
        "median",
    ]
    .map(String::from)
    .to_vec();
    for o in 1..=max_options {
        header.push(format!("option_{o}_label"));
        header.push(format!("option_{o}_count"));
    }
    let h: Vec<&str> = header.iter().map(String::as_str).collect();
    csv_bytes(
        &h,
        s.items.iter().map(|i| {
            let m = &i.summary;
            let mut row = vec![
                i.id.clone(),
                i.text.clone(),
                i.column.clone(),
                i.response_scale.clone(),
                m.n.to_string(),
                m.missing.to_string(),
                m.non_substantive.to_string(),
                m.unrecognised.to_string(),
                num(m.pct_agree, 4),
                num(m.ci_low, 4),
                num(m.ci_high, 4),
                num(m.pct_neutral, 4),
                num(m.pct_disagree, 4),
                num(m.net_agree, 4),
                num(m.mean, 4),
                num(m.sd, 4),
                num(m.median, 4),
            ];
            for o in 0..max_options {
                match m.options.get(o) {
                    Some(opt) => {
                        row.push(opt.label.clone());
                        row.push(opt.count.to_string());
                    }
                    None => row.extend([String::new(), String::new()]),
                }
            }
            row
        }),
    )
}

pub fn scales_csv(s: &ScoreReport) -> Vec<u8> {
    csv_bytes(
        &[
            "name",
            "item",
            "reversed",
            "n",
            "mean",
            "sd",
            "alpha",
            "alpha_std",
            "alpha_ci_low",
            "alpha_ci_high",
            "average_r",
            "r_drop",
            "alpha_if_deleted",
            "missing_method",
        ],
        s.scales.iter().flat_map(|sc| {
            let r = &sc.reliability;
            let method = serde_json::to_value(sc.missing_method)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            let total = vec![
                sc.name.clone(),
                String::new(),
                String::new(),
                sc.n.to_string(),
                num(sc.mean, 4),
                num(sc.sd, 4),
                num(r.alpha, 4),
                num(r.alpha_std, 4),
                num(r.alpha_ci_low, 4),
                num(r.alpha_ci_high, 4),
                num(r.average_r, 4),
                String::new(),
                String::new(),
                method.clone(),
            ];
            std::iter::once(total).chain(r.items.iter().map(move |it| {
                vec![
                    sc.name.clone(),
                    it.id.clone(),
                    it.reversed.to_string(),
                    it.n.to_string(),
                    num(Some(it.mean), 4),
                    num(Some(it.sd), 4),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    num(it.r_drop, 4),
                    num(it.alpha_if_deleted, 4),
                    method.clone(),
                ]
            }))
        }),
    )
}

/// One row per segment, group and item or scale; suppressed cells say so and carry no figures.
pub fn segments_csv(s: &ScoreReport) -> Vec<u8> {
    let mut rows = Vec::new();
    for seg in &s.segments {
        for g in &seg.groups {
            for it in &g.items {
                rows.push(vec![
                    seg.name.clone(),
                    g.value.clone(),
                    "item".into(),
                    it.id.clone(),
                    it.suppressed.to_string(),
                    it.n.map(|n| n.to_string()).unwrap_or_default(),
                    num(it.pct_agree, 4),
                    num(it.mean, 4),
                ]);
            }
            for sc in &g.scales {
                rows.push(vec![
                    seg.name.clone(),
                    g.value.clone(),
                    "scale".into(),
                    sc.name.clone(),
                    sc.suppressed.to_string(),
                    sc.n.map(|n| n.to_string()).unwrap_or_default(),
                    String::new(),
                    num(sc.mean, 4),
                ]);
            }
        }
    }
    csv_bytes(
        &[
            "segment",
            "group",
            "kind",
            "id",
            "suppressed",
            "n",
            "pct_agree",
            "mean",
        ],
        rows,
    )
}

pub fn changes_csv(c: &WaveComparison) -> Vec<u8> {
    let items = c.items.iter().map(|i| {
        vec![
            "item".into(),
            i.id.clone(),
            i.before_n.to_string(),
            num(i.before_pct_agree, 4),
            i.after_n.to_string(),
            num(i.after_pct_agree, 4),
            num(i.change, 4),
            num(i.ci_low, 4),
            num(i.ci_high, 4),
            num(i.p_value, 6),
            num(i.p_adjusted, 6),
            num(i.p_mann_whitney, 6),
            num(i.p_mann_whitney_adjusted, 6),
            i.significant.to_string(),
        ]
    });
    let scales = c.scales.iter().map(|s| {
        vec![
            "scale".into(),
            s.name.clone(),
            s.before_n.to_string(),
            num(s.before_mean, 4),
            s.after_n.to_string(),
            num(s.after_mean, 4),
            num(s.change, 4),
            num(s.ci_low, 4),
            num(s.ci_high, 4),
            String::new(),
            String::new(),
            num(s.p_mann_whitney, 6),
            num(s.p_adjusted, 6),
            s.significant.to_string(),
        ]
    });
    csv_bytes(
        &[
            "kind",
            "id",
            "before_n",
            "before",
            "after_n",
            "after",
            "change",
            "ci_low",
            "ci_high",
            "p_value",
            "p_adjusted",
            "p_mann_whitney",
            "p_mann_whitney_adjusted",
            "significant",
        ],
        items.chain(scales),
    )
}

pub fn themes_csv(t: &ThemeReport) -> Vec<u8> {
    csv_bytes(
        &[
            "theme",
            "label",
            "kind",
            "size",
            "pct_comments",
            "pct_respondents",
            "keywords",
            "quote_1",
            "quote_2",
            "quote_3",
        ],
        t.themes.iter().map(|th| {
            let mut row = vec![
                th.id.to_string(),
                th.label.clone(),
                th.kind.clone(),
                th.size.to_string(),
                num(Some(th.pct_comments), 2),
                num(Some(th.pct_respondents), 2),
                th.keywords.join("; "),
            ];
            for q in 0..3 {
                row.push(th.quotes.get(q).cloned().unwrap_or_default());
            }
            row
        }),
    )
}

/// Comments per theme by segment; suppressed groups say so and carry no figures.
pub fn theme_segments_csv(t: &ThemeReport) -> Vec<u8> {
    let mut rows = Vec::new();
    for seg in &t.segments {
        for g in &seg.groups {
            for (th, count) in t.themes.iter().zip(&g.comments) {
                rows.push(vec![
                    seg.name.clone(),
                    g.value.clone(),
                    g.suppressed.to_string(),
                    g.respondents.map(|n| n.to_string()).unwrap_or_default(),
                    th.id.to_string(),
                    th.label.clone(),
                    count.map(|n| n.to_string()).unwrap_or_default(),
                ]);
            }
        }
    }
    csv_bytes(
        &[
            "segment",
            "group",
            "suppressed",
            "respondents",
            "theme",
            "label",
            "comments",
        ],
        rows,
    )
}

/// Each comment's theme. Starts with `id,theme,label` (the contract of `canvass themes`).
pub fn comments_csv(t: &ThemeReport) -> Vec<u8> {
    csv_bytes(
        &["id", "theme", "label", "status", "text"],
        t.assignments.iter().map(|a| {
            vec![
                a.respondent.clone(),
                a.themes
                    .iter()
                    .map(|x| x.to_string())
                    .collect::<Vec<_>>()
                    .join(";"),
                a.label.clone(),
                serde_json::to_value(a.status)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default(),
                a.text.clone(),
            ]
        }),
    )
}

pub fn exclusions_csv(c: &CleanTable) -> Vec<u8> {
    csv_bytes(
        &["row", "respondent", "reason", "detail"],
        c.exclusions.iter().map(|e| {
            vec![
                e.row.to_string(),
                e.respondent.clone(),
                e.reason.name().to_string(),
                e.detail.clone(),
            ]
        }),
    )
}
