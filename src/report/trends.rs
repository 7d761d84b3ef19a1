//! The trends section of a summary (from the third wave on): a chart and a table row per
//! headline item and scale, one column per wave, and the table behind trends.csv.

use super::tables::{Cell, Kind, Rows, Table};
use super::text::fixed;
use super::trend_chart::{status_words, trend_chart, Measure};
use crate::score::trend::{PointStatus, Trend, TrendSeries};
use serde::Serialize;

#[derive(Debug, Serialize)]
pub(super) struct TrendsSection {
    /// "Autumn 2025 to Autumn 2027".
    span: String,
    /// How many waves, in words for a sentence: "3 waves".
    waves_phrase: String,
    /// Wave labels, oldest first: the table's columns.
    waves: Vec<String>,
    /// One `<figure>` with an inline SVG per series, items first.
    charts: Vec<String>,
    rows: Vec<TrendRow>,
}

#[derive(Debug, Serialize)]
struct TrendRow {
    id: String,
    text: String,
    /// "% agree" or "mean".
    measure: String,
    /// Per wave: "97.0 (89.6–99.2)", or why there is no figure ("suppressed").
    cells: Vec<String>,
}

pub(super) fn section(t: &Trend) -> TrendsSection {
    let confidence = format!("{}", (t.confidence * 100.0).round());
    let series = || {
        let items = t.items.iter().map(|s| (s, Measure::PercentAgree));
        items.chain(t.scales.iter().map(|s| (s, Measure::Mean)))
    };
    let first = t.waves.first().map_or("", |w| w.label.as_str());
    let last = t.waves.last().map_or("", |w| w.label.as_str());
    TrendsSection {
        span: format!("{first} to {last}"),
        waves_phrase: super::text::plural(t.waves.len() as u64, "wave", "waves"),
        waves: t.waves.iter().map(|w| w.label.clone()).collect(),
        charts: series()
            .map(|(s, m)| trend_chart(s, &t.waves, m, &confidence))
            .collect(),
        rows: series().map(|(s, m)| row(s, m)).collect(),
    }
}

fn row(s: &TrendSeries, measure: Measure) -> TrendRow {
    let d = match measure {
        Measure::PercentAgree => 1,
        Measure::Mean => 2,
    };
    TrendRow {
        id: s.id.clone(),
        text: s.text.clone(),
        measure: match measure {
            Measure::PercentAgree => "% agree".into(),
            Measure::Mean => "mean".into(),
        },
        cells: s
            .points
            .iter()
            .map(|p| match p.status {
                PointStatus::Shown => match (p.ci_low, p.ci_high) {
                    (Some(_), Some(_)) => format!(
                        "{} ({}–{})",
                        fixed(p.value, d),
                        fixed(p.ci_low, d),
                        fixed(p.ci_high, d)
                    ),
                    _ => fixed(p.value, d),
                },
                status => status_words(status).to_string(),
            })
            .collect(),
    }
}

/// trends.csv and the workbook's "trends" sheet: a row per series and wave (long form, so a
/// script can plot it as it is); a wave without a figure says why in `status` and holds none.
pub(super) fn table(t: &Trend) -> Table<'_> {
    let mut rows = Vec::new();
    let kinds = [
        ("item", &t.items, Kind::Percent),
        ("scale", &t.scales, Kind::Mean),
    ];
    for (kind, series, figure) in kinds {
        for s in series {
            for (p, w) in s.points.iter().zip(&t.waves) {
                let num = |v: Option<f64>| match v {
                    Some(value) if value.is_finite() => Cell::Number {
                        value,
                        decimals: 4,
                        kind: figure,
                    },
                    _ => Cell::Empty,
                };
                rows.push(vec![
                    Cell::Text(kind.into()),
                    Cell::Text(s.id.clone()),
                    Cell::Text(w.name.clone()),
                    Cell::Text(w.label.clone()),
                    Cell::Text(p.status.name().into()),
                    p.n.map_or(Cell::Empty, Cell::Count),
                    num(p.value),
                    num(p.ci_low),
                    num(p.ci_high),
                ]);
            }
        }
    }
    let header = [
        "kind",
        "id",
        "wave",
        "wave_label",
        "status",
        "n",
        "value",
        "ci_low",
        "ci_high",
    ];
    Table {
        name: "trends",
        header: header.iter().map(|h| h.to_string()).collect(),
        rows: Rows::Built(rows),
    }
}
