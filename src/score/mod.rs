//! Score: Likert items, multi-item scales and segment breakdowns from a clean table.
//!
//! One pass over the responses in fixed-size chunks (in parallel with rayon); each chunk fills a
//! `Tally` of mergeable accumulators, and the tallies are merged in chunk order. Chunk
//! boundaries do not depend on the thread count, so results are identical at any thread count,
//! and memory for the statistics does not grow with the number of respondents.

mod by_respondent;
mod coded;
pub mod compare;
pub mod crosstabs;
mod disclosure;
pub mod likert;
pub mod panel;
pub mod questions;
pub mod rake;
pub mod reliability;
mod resolved;
pub mod respondents;
pub mod segments;
mod stream;
mod tally;
pub mod trend;

use resolved::ResolvedScale;
use stream::ScoreStream;
use tally::{GroupTally, Scorer, Tally, SCORE_RESOLUTION};

use crate::clean::{CleanStream, CleanTable, Screened};
use crate::config::{ResponseScale, Survey};
use crate::error::{Error, Result};
use crate::model::{Column, ItemSource, Unresolved};
use crate::suppression::Reason;
use likert::ItemSummary;
use rayon::prelude::*;
use reliability::{MissingMethod, Reliability};
use respondents::Respondents;
use segments::{GroupItem, GroupScale, GroupSummary, SegmentBreakdown};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// Rows per accumulation chunk. Fixed, so that sums are added in the same order at any thread count.
const CHUNK: usize = 4096;

/// How to score a wave: confidence, suppression, missing-data method and weights. Built from the
/// pipeline and survey; the defaults are those of a pipeline that sets nothing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoreOptions {
    /// Confidence level of every interval, in [0.5, 1); 0.95 by default.
    pub confidence: f64,
    /// Groups with fewer respondents than this are suppressed in segment tables (at least 3).
    pub suppress_below: usize,
    /// How scale reliability treats incomplete rows (pairwise by default).
    pub missing: MissingMethod,
    /// Column of survey weights: the items', choices' and scales' percentages, means and
    /// intervals become weighted (reliability is computed unweighted, as psych does); raking
    /// (`[weights]`) starts from them.
    pub weight: Option<String>,
    /// How the crosstabs' p-values are adjusted across the wave (the pipeline's `adjustment`).
    #[serde(default)]
    pub adjustment: crate::stats::hypothesis::Adjustment,
    /// The survey file, which raking refusals name (the export when unknown).
    #[serde(skip)]
    pub survey_file: Option<std::path::PathBuf>,
}

impl Default for ScoreOptions {
    fn default() -> Self {
        ScoreOptions {
            confidence: 0.95,
            suppress_below: 10,
            missing: MissingMethod::Pairwise,
            weight: None,
            adjustment: Default::default(),
            survey_file: None,
        }
    }
}

/// One item's figures: a row of items.csv and an entry of score.json's `items`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemScore {
    /// The item's id from the survey file.
    pub id: String,
    /// The question text from the survey file.
    pub text: String,
    /// How the statement reads after "N per cent said …".
    pub statement: String,
    /// The export column read (after matrix expansion).
    pub column: String,
    /// The `name` of its response scale.
    pub response_scale: String,
    /// The figures (flattened into this object in score.json).
    #[serde(flatten)]
    pub summary: ItemSummary,
}

/// One row of a scale's score distribution.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoreFrequency {
    /// A scale score (mean of a respondent's keyed answers, in the scale's codes).
    pub score: f64,
    /// Respondents with that score.
    pub count: u64,
}

/// One multi-item scale's figures: rows of scales.csv and an entry of score.json's `scales`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScaleScore {
    /// The scale's name from the survey file.
    pub name: String,
    /// Respondents with a scale score (at least `min_items` items answered).
    pub n: u64,
    /// The fewest answered items that gave a respondent a score.
    pub min_items: usize,
    /// How incomplete rows entered the reliability figures (`pairwise` or `listwise`).
    pub missing_method: MissingMethod,
    /// Mean of respondents' scale scores; `null` when nobody has one.
    pub mean: Option<f64>,
    /// Sample standard deviation (n − 1) of respondents' scale scores; `null` with fewer than two.
    /// Weighted surveys: the weighted mean and SD (as items': reliability weights).
    pub sd: Option<f64>,
    /// Kish's effective n of the respondents with a score, when the survey is weighted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub n_effective: Option<f64>,
    /// Cronbach's alpha and the item statistics (flattened into this object in score.json).
    #[serde(flatten)]
    pub reliability: Reliability,
    /// Frequency table of respondents' scale scores (for comparisons between waves).
    pub distribution: Vec<ScoreFrequency>,
}

/// An answer that matched no option, counted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Unrecognised {
    /// The item's id.
    pub item: String,
    /// The export column it was read from.
    pub column: String,
    /// The answer as written in the export.
    pub label: String,
    /// Cells with that text.
    pub count: u64,
    /// The first export row (1-based) holding it, so the user can look.
    pub first_row: usize,
}

/// The score artefact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoreReport {
    /// Responses scored (the clean stage's kept count).
    pub respondents: usize,
    /// Confidence level of every interval (0.95 by default).
    pub confidence: f64,
    /// The suppression threshold segments used.
    pub suppress_below: usize,
    /// Every item, in the survey's order.
    pub items: Vec<ItemScore>,
    /// Every scale, in the survey's order.
    pub scales: Vec<ScaleScore>,
    /// Per segment, every item and scale by group.
    pub segments: Vec<SegmentBreakdown>,
    /// Answers that matched no option, per item and text; empty when every answer was recognised.
    pub unrecognised: Vec<Unrecognised>,
    /// Every choice and check-all question, in the survey's order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<questions::ChoiceScore>,
    /// Every number question, in the survey's order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub numbers: Vec<questions::NumberScore>,
    /// Every ranking question, in the survey's order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rankings: Vec<questions::RankingScore>,
    /// Every question by every segment, with the tests of the groups' differences.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub crosstabs: Vec<crosstabs::Crosstab>,
    /// How the crosstabs' p-values were adjusted across the wave.
    #[serde(default)]
    pub adjustment: crate::stats::hypothesis::Adjustment,
    /// The weights' report, when the survey is weighted (a weight column, or raking).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weighting: Option<rake::Weighting>,
}

/// Scores the items, scales and segments of a clean table.
pub fn score(table: &CleanTable, survey: &Survey, options: &ScoreOptions) -> Result<ScoreReport> {
    let scorer = Scorer::new(
        &table.columns,
        table.source.format,
        Path::new(&table.source.file),
        survey,
        options,
    )?;
    let mut running = ScoreStream::new(&scorer);
    let chunks = table
        .responses
        .par_chunks(crate::ingest::CHUNK_ROWS)
        .map(|rows| {
            let mut chunk = scorer.chunk();
            for r in rows {
                scorer.code(&mut chunk, r);
            }
            Screened {
                rows: chunk,
                kept: vec![true; rows.len()],
            }
        })
        .collect();
    running.push(chunks)?;
    Ok(running.finish()?.report)
}

/// Scores a clean stream as it is read: the export is never held in memory, and each response
/// is coded where the reader parsed it, so only a few bytes per response travel on. One batch
/// is tallied while the next is read.
pub fn score_stream(
    stream: &mut CleanStream,
    file: &Path,
    survey: &Survey,
    options: &ScoreOptions,
) -> Result<ScoreReport> {
    let scorer = Scorer::new(stream.columns(), stream.format(), file, survey, options)?;
    let mut running = ScoreStream::new(&scorer);
    stream.screen_all(
        || scorer.chunk(),
        |chunk, r| {
            scorer.code(chunk, r);
            Ok(())
        },
        |chunks| running.push(chunks),
    )?;
    Ok(running.finish()?.report)
}

/// What a pass sharing the score stage's read does with each counted response (see
/// [`score_stream_with`]).
pub struct Side<I, P, C> {
    /// Makes a chunk's `A`.
    pub init: I,
    /// Takes what it needs of one response into its chunk's `A` (in the reader's parallel
    /// pass).
    pub project: P,
    /// Receives each chunk's `A` with its kept flags, in file order.
    pub consume: C,
}

/// Scores a clean stream as `score_stream` does and, in the same pass, hands each counted
/// response to `side`: the run reads an export once for every stage, and what the other stages
/// keep of a response is theirs to choose. With `keep_respondents`, each kept respondent's
/// codes and scores are kept too, for the Parquet respondents table (whose keys the caller,
/// which sees every response, fills in).
pub fn score_stream_with<A: Send>(
    stream: &mut CleanStream,
    file: &Path,
    survey: &Survey,
    options: &ScoreOptions,
    keep_respondents: bool,
    side: Side<
        impl Fn() -> A + Sync,
        impl Fn(&mut A, &crate::ingest::RowView) -> Result<()> + Sync,
        impl FnMut(A, &[bool]) -> Result<()> + Send,
    >,
) -> Result<(ScoreReport, Option<Respondents>)> {
    let Side {
        init,
        project,
        mut consume,
    } = side;
    let scorer = Scorer::new(stream.columns(), stream.format(), file, survey, options)?;
    let mut running = ScoreStream::new(&scorer);
    let mut respondents = keep_respondents.then(|| Respondents::new(&scorer));
    stream.screen_all(
        || (scorer.chunk(), init()),
        |(chunk, side), r| {
            scorer.code(chunk, r);
            project(side, r)
        },
        |chunks| {
            let mut coded = Vec::with_capacity(chunks.len());
            for Screened {
                rows: (chunk, side),
                kept,
            } in chunks
            {
                consume(side, &kept)?;
                if let Some(all) = respondents.as_mut() {
                    all.push_kept(&scorer, &chunk, &kept);
                }
                coded.push(Screened { rows: chunk, kept });
            }
            running.push(coded)
        },
    )?;
    let scored = running.finish()?;
    if let Some(r) = respondents.as_mut() {
        r.fold_groups(&scored.segment_foldings);
    }
    if let (Some(r), Some(w)) = (respondents.as_mut(), scored.weights) {
        r.weights = Some(w);
    }
    Ok((scored.report, respondents))
}

fn build_report(
    respondents: usize,
    survey: &Survey,
    options: &ScoreOptions,
    scales: &[&ResponseScale],
    resolved: &[ResolvedScale],
    tally: Tally,
    group_names: Vec<Vec<String>>,
) -> ScoreReport {
    let report = Reporter {
        survey,
        options,
        scales,
    };
    let items = survey
        .items
        .iter()
        .enumerate()
        .map(|(i, item)| ItemScore {
            id: item.id.clone(),
            text: item.text.clone(),
            statement: item.statement.clone().unwrap_or_else(|| item.text.clone()),
            column: item.source_name(),
            response_scale: item.scale.clone(),
            summary: likert::summarise(scales[i], &tally.items[i], options.confidence),
        })
        .collect();
    let scale_scores = survey
        .scales
        .iter()
        .zip(resolved)
        .zip(&tally.scales)
        .map(|((s, rs), st)| report.scale_score(s, rs, st))
        .collect();
    let segments = survey
        .segments
        .iter()
        .zip(tally.groups)
        .zip(group_names)
        .map(|((seg, groups), names)| {
            let groups = names.into_iter().zip(groups).collect();
            report.breakdown(seg, groups)
        })
        .collect();
    let unrecognised = tally
        .unknown
        .into_iter()
        .map(|(answer, seen)| Unrecognised {
            item: survey.items[answer.item].id.clone(),
            column: answer.column,
            label: answer.label,
            count: seen.count,
            first_row: seen.first_row,
        })
        .collect();
    ScoreReport {
        respondents,
        confidence: options.confidence,
        suppress_below: options.suppress_below,
        items,
        scales: scale_scores,
        segments,
        unrecognised,
        choices: Vec::new(),
        numbers: Vec::new(),
        rankings: Vec::new(),
        crosstabs: Vec::new(),
        adjustment: options.adjustment,
        weighting: None,
    }
}

/// A weighted scale's (mean, SD, Kish's n) from Σw and Σw² per score (at `SCORE_RESOLUTION`),
/// with the reliability-weight variance items use; `None` when unweighted or nobody scored.
fn weighted_moments(
    sums: &rustc_hash::FxHashMap<i64, [f64; 2]>,
) -> Option<(f64, Option<f64>, f64)> {
    let mut table: Vec<(f64, f64, f64)> = sums
        .iter()
        .map(|(&k, &[w, w2])| (k as f64 / SCORE_RESOLUTION, w, w2))
        .collect();
    // Summed in score order, so the figures do not depend on the hash map's order.
    table.sort_by(|a, b| a.0.total_cmp(&b.0));
    let total: f64 = table.iter().map(|r| r.1).sum();
    let squares: f64 = table.iter().map(|r| r.2).sum();
    if total <= 0.0 {
        return None;
    }
    let mean = table.iter().map(|r| r.0 * r.1).sum::<f64>() / total;
    let ss: f64 = table.iter().map(|r| r.1 * (r.0 - mean).powi(2)).sum();
    let denominator = total - squares / total;
    let sd = (denominator > 0.0).then(|| (ss / denominator).sqrt());
    Some((mean, sd, total * total / squares))
}

/// What every part of a score report is summarised against.
struct Reporter<'a> {
    survey: &'a Survey,
    options: &'a ScoreOptions,

    /// Each item's response scale.
    scales: &'a [&'a ResponseScale],
}

impl Reporter<'_> {
    fn scale_score(
        &self,
        s: &crate::config::Scale,
        rs: &ResolvedScale,
        st: &tally::ScaleTally,
    ) -> ScaleScore {
        let (survey, options) = (self.survey, self.options);
        let ids: Vec<(String, bool)> = rs
            .items
            .iter()
            .map(|&(i, rev)| (survey.items[i].id.clone(), rev))
            .collect();
        let mut table: Vec<(i64, u64)> = st.scores.iter().map(|(&k, &n)| (k, n)).collect();
        table.sort_unstable();
        let values: Vec<f64> = table
            .iter()
            .map(|&(k, _)| k as f64 / SCORE_RESOLUTION)
            .collect();
        let freq: Vec<u64> = table.iter().map(|&(_, n)| n).collect();
        let (mean, sd) = likert::moments(&values, &freq);
        let weighted = weighted_moments(&st.weighted);
        let (mean, sd) = weighted.map_or((mean, sd), |w| (Some(w.0), w.1));
        ScaleScore {
            n_effective: weighted.map(|w| w.2),
            name: s.name.clone(),
            n: freq.iter().sum(),
            min_items: rs.min_items,
            missing_method: options.missing,
            mean,
            sd,
            reliability: reliability::reliability(&st.moments, &ids, options.confidence),
            distribution: values
                .iter()
                .zip(&freq)
                .map(|(&score, &count)| ScoreFrequency { score, count })
                .collect(),
        }
    }

    fn breakdown(
        &self,
        seg: &crate::config::Segment,
        groups: BTreeMap<String, GroupTally>,
    ) -> SegmentBreakdown {
        let survey = self.survey;
        let groups: Vec<(String, GroupTally)> = groups.into_iter().collect();
        let threshold = self.options.suppress_below;
        let tallies: Vec<&GroupTally> = groups.iter().map(|(_, g)| g).collect();
        let whole =
            disclosure::whole_groups(&tallies.iter().map(|g| g.n).collect::<Vec<_>>(), threshold);
        // Item and scale cells are protected per column too: a group can be large while few of
        // its members answered one question.
        let item_hidden: Vec<Vec<Option<Reason>>> = (0..survey.items.len())
            .map(|i| {
                let column = disclosure::item_of(self.scales[i], &tallies, i);
                disclosure::hidden(&column, &whole, threshold)
            })
            .collect();
        let scale_hidden: Vec<Vec<Option<Reason>>> = (0..survey.scales.len())
            .map(|s| disclosure::hidden(&disclosure::scale_of(&tallies, s), &whole, threshold))
            .collect();
        SegmentBreakdown {
            name: seg.name.clone(),
            column: seg.column().to_string(),
            groups: groups
                .iter()
                .enumerate()
                .map(|(gi, (value, g))| GroupSummary {
                    value: value.clone(),
                    suppressed: whole[gi].is_some(),
                    reason: whole[gi],
                    n: whole[gi].is_none().then_some(g.n),
                    items: self.group_items(g, |i| item_hidden[i][gi]),
                    scales: self.group_scales(g, |s| scale_hidden[s][gi]),
                })
                .collect(),
        }
    }

    /// One group's item cells; `hidden(i)` says whether item `i`'s cell is suppressed.
    fn group_items(
        &self,
        g: &GroupTally,
        hidden: impl Fn(usize) -> Option<Reason>,
    ) -> Vec<GroupItem> {
        self.survey
            .items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let reason = hidden(i);
                let hidden = reason.is_some();
                let s = likert::summarise(self.scales[i], &g.items[i], self.options.confidence);
                GroupItem {
                    id: item.id.clone(),
                    suppressed: hidden,
                    reason,
                    n: (!hidden).then_some(s.n),
                    n_effective: s.n_effective.filter(|_| !hidden),
                    pct_agree: if hidden { None } else { s.pct_agree },
                    mean: if hidden { None } else { s.mean },
                }
            })
            .collect()
    }

    /// One group's scale cells; `hidden(s)` says whether scale `s`'s cell is suppressed.
    fn group_scales(
        &self,
        g: &GroupTally,
        hidden: impl Fn(usize) -> Option<Reason>,
    ) -> Vec<GroupScale> {
        self.survey
            .scales
            .iter()
            .enumerate()
            .map(|(s, scale)| {
                let reason = hidden(s);
                let hidden = reason.is_some();
                // Unweighted, every weight is 1: the weighted mean is then the plain one, to the bit.
                let tally::ScaleSum {
                    n,
                    weight,
                    weighted_sum,
                    ..
                } = g.scales[s];
                let mean = weighted_sum / weight;
                GroupScale {
                    name: scale.name.clone(),
                    suppressed: hidden,
                    reason,
                    n: (!hidden).then_some(n),
                    mean: (!hidden && n > 0).then_some(mean),
                }
            })
            .collect()
    }
}

/// Every question by every segment from the tallied groups (`names`: each segment's group
/// values by number; `answers`: each source's values by number).
fn crosstabs_of(
    scorer: &Scorer,
    groups: &[Vec<GroupTally>],
    names: &[Vec<String>],
    answers: &[Vec<String>],
    (choices, foldings): (&[questions::ChoiceScore], &[questions::Folding]),
) -> Vec<crosstabs::Crosstab> {
    crosstabs::crosstabs(&crosstabs::Inputs {
        survey: scorer.survey,
        options: scorer.options,
        weighted: scorer.weighted(),
        scales: &scorer.scales,
        sources: &scorer.sources,
        columns: &scorer.columns,
        groups,
        names,
        answers,
        choices,
        foldings,
    })
}

/// Finds each item's column (or option columns) by id, ImportId or exact question text.
pub(crate) fn item_columns(
    columns: &[Column],
    survey: &Survey,
    file: &Path,
) -> Result<Vec<ItemSource>> {
    let index = crate::model::ColumnIndex::of(columns);
    survey
        .items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let key = match (item.option_columns.is_empty(), item.column.is_some()) {
                (false, _) => "option_columns",
                (true, true) => "column",
                (true, false) => "id",
            };
            ItemSource::of(columns, &index, &item.read_columns()).map_err(|unresolved| match unresolved {
                Unresolved::Missing(wanted) => Error::input(
                    file,
                    format!("has no column for item `{}` (looked for `{wanted}` as column id, ImportId and question text)", item.id),
                )
                .hint(format!("fix `items[{i}].{key}` in the survey file; `canvass inspect` lists the columns")),
                Unresolved::Twice(wanted) => Error::input(
                    file,
                    format!("has one column named twice among item `{}`'s option columns (`{wanted}` names a column listed before it), so every respondent who chose it would count as choosing two options", item.id),
                )
                .hint(format!("list each option's column once in `items[{i}].option_columns`")),
            })
        })
        .collect()
}

/// Unrecognised answers stop the run unless the item's response scale says to treat them as missing.
fn check_unrecognised(
    file: &Path,
    survey: &Survey,
    scales: &[&ResponseScale],
    tally: &Tally,
) -> Result<()> {
    let fatal: Vec<String> = tally
        .unknown
        .iter()
        .filter(|(answer, _)| !scales[answer.item].unknown_as_missing)
        .map(|(answer, seen)| {
            format!(
                "item `{}`: `{}` × {} (first at row {})",
                survey.items[answer.item].id, answer.label, seen.count, seen.first_row
            )
        })
        .collect();
    let first = tally
        .unknown
        .iter()
        .find(|(answer, _)| !scales[answer.item].unknown_as_missing);
    let Some((first, seen)) = first else {
        return Ok(());
    };
    Err(Error::input(
        file,
        format!("has answers that match no option of their response scale:\n    {}", fatal.join("\n    ")),
    )
    .at_row(seen.first_row)
    .at_column(first.column.clone())
    .hint("add the label to the scale's `labels` or `non_substantive`, or set `unknown_as_missing = true` on the response scale to count them as missing"))
}

/// A scale score with the given (score, count) distribution, for the tests of the stages that
/// read scale scores (compare, trend): mean and SD from `likert::moments`, no reliability.
#[cfg(test)]
pub(crate) fn scale_for_tests(name: &str, freq: &[(f64, u64)]) -> ScaleScore {
    let values: Vec<f64> = freq.iter().map(|f| f.0).collect();
    let counts: Vec<u64> = freq.iter().map(|f| f.1).collect();
    let (mean, sd) = likert::moments(&values, &counts);
    ScaleScore {
        name: name.into(),
        n_effective: None,
        n: counts.iter().sum(),
        min_items: 1,
        missing_method: Default::default(),
        mean,
        sd,
        reliability: reliability::Reliability {
            alpha: None,
            alpha_std: None,
            alpha_ci_low: None,
            alpha_ci_high: None,
            average_r: None,
            items: vec![],
        },
        distribution: freq
            .iter()
            .map(|&(score, count)| ScoreFrequency { score, count })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clean::{clean, CleanOptions};
    use crate::config::survey::KeepDuplicate;
    use crate::ingest::{ingest, ReadOptions, ResponseOptions};

    /// 10,000 rows over several chunks and batches: previews, unfinished and duplicate
    /// respondents, blanks and a reverse-keyed scale.
    fn export(dir: &tempfile::TempDir) -> std::path::PathBuf {
        let mut text = String::from("Status,Finished,ResponseId,Email,Q1,Q2,Q3,Region\n");
        for r in 0..10_000u32 {
            let status = if r % 301 == 0 { 1 } else { 0 };
            let finished = u32::from(r % 97 != 0);
            let id = if r % 53 == 0 { r / 2 } else { r };
            let answer = |i: u32| match (r * 7 + i * 13) % 11 {
                0 => String::new(),
                v => (v % 5 + 1).to_string(),
            };
            text.push_str(&format!(
                "{status},{finished},R_{id},p{id}@example.org,{},{},{},{}\n",
                answer(1),
                answer(2),
                answer(3),
                ["North", "South", "East"][(r % 3) as usize]
            ));
        }
        let path = dir.path().join("big.csv");
        std::fs::write(&path, text).unwrap();
        path
    }

    fn survey(keep: KeepDuplicate) -> Survey {
        let text = r#"
title = "t"
[respondent]
key = "ResponseId"
[[response_scales]]
name = "agree5"
labels = ["Strongly disagree", "Disagree", "Neither", "Agree", "Strongly agree"]
[[items]]
id = "Q1"
text = "one"
scale = "agree5"
[[items]]
id = "Q2"
text = "two"
scale = "agree5"
[[items]]
id = "Q3"
text = "three"
scale = "agree5"
[[scales]]
name = "s"
items = ["Q1", "Q2", "Q3-"]
[[segments]]
name = "Region"
"#;
        let mut s: Survey = toml::from_str(text).unwrap();
        s.respondent.duplicates = keep;
        s.validate(Path::new("t.toml")).unwrap();
        s
    }

    /// Also with a key budget of 64 respondents, far below the export's: the streamed clean
    /// then finds duplicates through temporary files, and must decide exactly the same.
    #[test]
    fn streamed_and_in_memory_scores_are_identical() {
        let dir = tempfile::tempdir().unwrap();
        let path = export(&dir);
        let cases = [KeepDuplicate::KeepFirst, KeepDuplicate::KeepLast]
            .into_iter()
            .flat_map(|keep| [(keep, None), (keep, Some(64))]);
        for (keep, budget) in cases {
            let survey = survey(keep);
            let responses = ResponseOptions {
                key_column: survey.respondent.key.clone(),
                ..Default::default()
            };
            let clean_options = CleanOptions {
                max_keys_in_memory: budget,
                ..CleanOptions::for_survey(&survey)
            };
            let options = ScoreOptions::default();
            let table = ingest(&path, &ReadOptions::default(), &responses).unwrap();
            let in_memory = clean(table, &clean_options);
            let expected = score(&in_memory, &survey, &options).unwrap();

            let mut stream =
                CleanStream::open(&path, &ReadOptions::default(), &responses, &clean_options)
                    .unwrap();
            let streamed = score_stream(&mut stream, &path, &survey, &options).unwrap();
            let outcome = stream.finish().unwrap();

            assert!(
                in_memory.accounting.kept > 2 * CHUNK,
                "spans several blocks"
            );
            assert!(
                in_memory.accounting.excluded.len() >= 3
                    && in_memory.accounting.excluded[&crate::clean::Reason::Duplicate] > 0,
                "{:?}",
                in_memory.accounting
            );
            assert_eq!(outcome.accounting, in_memory.accounting, "{keep:?}");
            assert_eq!(outcome.exclusions, in_memory.exclusions, "{keep:?}");
            assert_eq!(outcome.source, in_memory.source);
            assert_eq!(streamed, expected, "{keep:?}");
        }
    }
}
