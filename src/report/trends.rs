//! The trends section of a summary (from the third wave on): a chart and a table row per
//! headline item and scale, one column per wave, and the table behind trends.csv.

use super::tables::{Cell, Kind, Rows, Table};
use super::text::{fixed, signed};
use super::trend_chart::{status_words, trend_chart, Measure};
use crate::score::trend::{PointStatus, Trend, TrendSeries};
use crate::score::ScoreReport;
use serde::Serialize;

#[derive(Debug, Serialize)]
pub(super) struct TrendsSection {
    /// "Autumn 2025 to Autumn 2027".
    pub(super) span: String,
    /// How many waves, in words for a sentence: "3 waves".
    pub(super) waves_phrase: String,
    /// Wave labels, oldest first: the table's columns.
    pub(super) waves: Vec<String>,
    /// One `<figure>` with an inline SVG per series, items first.
    pub(super) charts: Vec<String>,
    pub(super) rows: Vec<TrendRow>,
    /// One sentence per series on its direction across every wave, with its test for trend.
    pub(super) sentences: Vec<String>,
    /// What the trend tests are, under the table.
    pub(super) note: String,
}

#[derive(Debug, Serialize)]
pub(super) struct TrendRow {
    pub(super) id: String,
    pub(super) text: String,
    /// "% agree" or "mean".
    pub(super) measure: String,
    /// Per wave: "97.0 (89.6–99.2)", or why there is no figure ("suppressed").
    pub(super) cells: Vec<String>,
}

pub(super) fn section(t: &Trend, score: &ScoreReport) -> TrendsSection {
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
        sentences: series()
            .filter_map(|(s, m)| trend_sentence(s, m, score))
            .collect(),
        note: trend_note(t),
    }
}

/// "Agreement that … went from 100 to 99 to 97 per cent across the waves, −1.5 points a wave on
/// average: a falling trend that is not statistically significant (…)". None for a series
/// without a test (a wave not shown).
fn trend_sentence(s: &TrendSeries, measure: Measure, score: &ScoreReport) -> Option<String> {
    let test = s.test.as_ref()?;
    let (subject, values, unit, slope) = match measure {
        Measure::PercentAgree => {
            let statement = score
                .items
                .iter()
                .find(|i| i.id == s.id)
                .map_or(s.text.as_str(), |i| i.statement.as_str());
            let values: Vec<String> = s.points.iter().map(|p| fixed(p.value, 0)).collect();
            let slope = format!("{} points a wave", signed(Some(test.slope), 1));
            (
                format!("Agreement that {statement}"),
                values,
                " per cent",
                slope,
            )
        }
        Measure::Mean => {
            let values: Vec<String> = s.points.iter().map(|p| fixed(p.value, 2)).collect();
            let slope = format!("{} a wave", signed(Some(test.slope), 2));
            (format!("The mean {} score", s.text), values, "", slope)
        }
    };
    let direction = if test.slope > 0.0 {
        "rising"
    } else {
        "falling"
    };
    let verdict = if test.significant {
        format!("a {direction} trend, statistically significant")
    } else {
        format!("a {direction} trend that is not statistically significant")
    };
    let method = match test.method.as_str() {
        "cochran-armitage" => "Cochran–Armitage test for trend",
        _ => "linear regression on the wave",
    };
    let p = if test.p_adjusted < 0.001 {
        "below 0.001".to_string()
    } else {
        fixed(Some(test.p_adjusted), 3)
    };
    Some(format!(
        "{subject} went from {}{unit} across the waves, {slope} on average: {verdict} ({method}, adjusted p {p}).",
        values.join(" to "),
    ))
}

/// How the trends were tested, under the table.
fn trend_note(t: &Trend) -> String {
    let tested = (t.items.iter().chain(&t.scales))
        .filter(|s| s.test.is_some())
        .count();
    format!(
        "Each trend is tested across all waves, scored 1, 2, 3 …: percent agreeing by the Cochran–Armitage test, a scale's mean by the slope of a linear regression of respondents' scores on the wave. Each wave counts as its own sample (a person who answered several waves counts in each), and the {tested} tests are adjusted as one family by the {} method. A series with a suppressed wave is not tested.",
        super::changes::method_name(t.adjustment),
    )
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
