//! `canvass score EXPORT [--survey FILE]`: one export's items, scales and breakdowns, without a
//! pipeline (the survey inferred from the export when none is given); `--json` for scripts.

use crate::clean::{Accounting, CleanStream, RulesAt};
use crate::config::survey::{Scale, Segment};
use crate::config::Survey;
use crate::error::{Error, Result};
use crate::ingest::{self, RawExport, ReadOptions};
use crate::model::{Column, ColumnRole};
use crate::report::text::{ellipsise_middle, fixed};
use crate::score::reliability::MissingMethod;
use crate::score::segments::SegmentBreakdown;
use crate::score::{self, ScoreOptions, ScoreReport};
use std::path::{Path, PathBuf};

/// Without a survey file, the instrument is inferred from the header and this many rows:
/// enough to see every option of a scale and how varied a column's answers are. 50,000 rows
/// made inference half of `canvass score` on a 200k-row Qualtrics export (0.73 s → 0.46 s,
/// 178 → 97 MB with 10,000; same kinds).
pub(super) const INFER_FROM_ROWS: usize = 10_000;
/// Width of the first column of the text tables (item ids, scale names).
const NAME_WIDTH: usize = 24;
/// Groups side by side in a printed breakdown, and the width of each.
const GROUPS_PER_BLOCK: usize = 5;
const GROUP_WIDTH: usize = 10;

/// `canvass score`: the command-line arguments.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The export as the survey tool wrote it (CSV, TSV, XLSX, XLS, ODS or JSON).
    pub export: PathBuf,
    /// Survey definition; inferred from the export when absent.
    #[arg(long)]
    pub survey: Option<PathBuf>,
    /// Ad hoc scale: NAME=ITEM,ITEM-,… (a trailing `-` marks a reverse-keyed item). Repeatable.
    #[arg(long = "scale", value_name = "NAME=ITEMS")]
    pub scales: Vec<String>,
    /// Break results down by this column (shown as a table of % agree per group). Repeatable.
    #[arg(long = "by", value_name = "COLUMN")]
    pub by: Vec<String>,
    /// Groups smaller than this are suppressed (at least 3).
    #[arg(long, default_value_t = 10)]
    pub suppress_below: usize,
    /// Confidence level of intervals.
    #[arg(long, default_value_t = 0.95)]
    pub confidence: f64,
    /// Compute scale covariances from complete rows only (default: pairwise).
    #[arg(long)]
    pub listwise: bool,
    /// Column of survey weights: weighted percentages, means, and intervals on Kish's
    /// effective sample size.
    #[arg(long)]
    pub weight: Option<String>,
    /// Keep the responses the survey tool marks as tests or previews (a pilot's), as
    /// `keep_test_responses = true` under the survey's `[clean]` does.
    #[arg(long)]
    pub keep_tests: bool,
    /// Sheet to read, for workbook exports (the first when absent).
    #[arg(long)]
    pub sheet: Option<String>,
    /// REDCap data dictionary of the export: question labels, options, identifier flags.
    #[arg(long)]
    pub dictionary: Option<PathBuf>,
    /// Machine-readable output: every figure at full precision (`items[]`, `scales[]`,
    /// `segments[]`).
    #[arg(long)]
    pub json: bool,
}

/// Scores one export (with its survey file, or one inferred from it) and prints the items, scales
/// and breakdowns, or JSON with `--json`. Flags with unusable values are reported as the flag.
pub fn run(args: Args) -> Result<()> {
    check_options(&args)?;
    // The score table shows no checksum; hashing the file would be a tenth of the work.
    let read = ReadOptions {
        without_checksum: true,
        ..super::read_options(&args.export, args.sheet.clone(), args.dictionary.clone())?
    };
    // The head of the export, read once: to infer the instrument when there is no survey file,
    // and to check that neither the survey nor --by names an identifying column.
    let rows = match args.survey {
        Some(_) => crate::clean::GUARD_SAMPLE_ROWS,
        None => INFER_FROM_ROWS,
    };
    let sample = ingest::read_export_sample(&args.export, &read, rows)?;
    let survey = survey_with_flags(&args, &sample)?;
    check_by_identifiers(&args.export, &sample, &args.by)?;
    let (survey, mut stream) = CleanStream::for_survey_sampled(
        &args.export,
        &read,
        &survey,
        &sample,
        // Prints no respondent id: ids only find duplicates.
        &ingest::Pseudonyms::standalone(&args.export),
    )?;
    drop(sample);
    check_by_columns(&args.export, &args.by, &survey, &stream)?;
    // The score stage streamed: rows are tallied as they are cleaned and never held, so memory
    // does not grow with respondents (`canvass run` keeps the projected rows for the themes
    // stage; this command has none).
    let report = score::score_stream(
        &mut stream,
        &args.export,
        &survey,
        &score_options(&args, &survey),
    )?;
    let cleaned = stream.finish()?;
    let a = &cleaned.accounting;
    let rules = match &args.survey {
        Some(p) => RulesAt::Survey(p),
        None => RulesAt::SurveyOption,
    };
    cleaned.require_kept(&args.export, rules)?;
    if args.json {
        super::print_json(&report);
        return Ok(());
    }
    print_text(&args, &report, a);
    Ok(())
}

/// The survey to score: the survey file's, or one inferred from the export, with the scales
/// of `--scale` and the breakdowns of `--by` added, validated.
fn survey_with_flags(args: &Args, sample: &RawExport) -> Result<Survey> {
    let mut survey = load_survey(args, sample)?;
    survey.clean.keep_test_responses |= args.keep_tests;
    for spec in &args.scales {
        survey.scales.push(parse_scale(spec, &survey)?);
    }
    for column in &args.by {
        // A column the survey already breaks down by is not broken down twice.
        if !survey
            .segments
            .iter()
            .any(|s| s.column() == column || s.name == *column)
        {
            survey.segments.push(Segment {
                name: column.clone(),
                column: None,
                allow_identifying: false,
            });
        }
    }
    // `--scale` is checked as it is parsed; what is left to fail is the survey itself, from
    // its file or, without one, as inferred from the export.
    survey.validate(args.survey.as_deref().unwrap_or(&args.export))?;
    Ok(survey)
}

fn score_options(args: &Args, survey: &Survey) -> ScoreOptions {
    ScoreOptions {
        confidence: args.confidence,
        suppress_below: args.suppress_below,
        missing: if args.listwise {
            MissingMethod::Listwise
        } else {
            MissingMethod::Pairwise
        },
        weight: args
            .weight
            .clone()
            .or_else(|| survey.respondent.weight.clone()),
        adjustment: Default::default(),
        survey_file: args.survey.clone(),
    }
}

/// The row accounting, the tables, each `--by` breakdown and any unrecognised answers.
fn print_text(args: &Args, report: &ScoreReport, a: &Accounting) {
    println!("{} responses analysed of {} read", a.kept, a.read);
    for (reason, n) in &a.excluded {
        println!("  excluded {n} {}", reason.name());
    }
    for (reason, n) in &a.kept_flagged {
        println!(
            "  kept {n} {} (--keep-tests or keep_test_responses)",
            reason.name()
        );
    }
    print_tables(report, args.confidence);
    for column in &args.by {
        let shown = report
            .segments
            .iter()
            .find(|s| s.column == *column || s.name == *column);
        if let Some(breakdown) = shown {
            print_breakdown(breakdown, report);
        }
    }
    for u in &report.unrecognised {
        println!(
            "note: item {} has {} unrecognised answer(s) `{}`, counted as missing",
            u.item, u.count, u.label
        );
    }
}

fn check_options(args: &Args) -> Result<()> {
    use crate::config::limits::{Confidence, SuppressBelow};
    SuppressBelow::new(args.suppress_below).map_err(|b| b.at_option("--suppress-below"))?;
    Confidence::new(args.confidence).map_err(|b| b.at_option("--confidence"))?;
    Ok(())
}

/// The survey file, or one inferred from the export; either way with items to score.
fn load_survey(args: &Args, sample: &RawExport) -> Result<Survey> {
    let Some(path) = &args.survey else {
        let mut survey = crate::infer::draft_survey(sample, "ad hoc");
        add_named_ratings(&mut survey, &args.scales, sample);
        if nothing_to_score(&survey) {
            return Err(Error::input(
                &args.export,
                "has no question canvass can score: no column was recognised as a rating item, \
                 a choice or a number (`canvass inspect` shows each column's kind and why)",
            )
            .hint(format!(
                "write a survey definition with its response scales and items (`canvass init {} > \
                 survey.toml` drafts one to edit) and pass it with --survey",
                args.export.display()
            )));
        }
        return Ok(survey);
    };
    let mut survey = Survey::load(path)?;
    add_named_ratings(&mut survey, &args.scales, sample);
    if nothing_to_score(&survey) {
        return Err(Error::config(
            path,
            "items",
            "the survey file defines no Likert items, choices or numbers, so there is nothing to score",
        )
        .hint(format!(
            "add a [[response_scales]] table (name, labels) and one [[items]] table per question \
             (id, column, text, scale), or `columns = \"Q3_*\"` for a matrix; `canvass init {}` \
             drafts them from the export, and surveys/aspire-pilot/survey.toml shows every setting",
            args.export.display()
        )));
    }
    Ok(survey)
}

/// Whether a survey has no question `score` reports.
fn nothing_to_score(survey: &Survey) -> bool {
    survey.items.is_empty()
        && survey.choices.is_empty()
        && survey.numbers.is_empty()
        && survey.rankings.is_empty()
}

/// Most points a numeric rating a researcher names may have (0–10 is the widest in use).
const MAX_RATING_POINTS: i64 = 11;

/// Columns a `--scale` names that are not yet items become rating items on the whole numbers
/// observed in the export's head (`A1` answered 1–6 → a six-point scale): the researcher said
/// they are items, so they are scored whatever their names or the inference made of them.
fn add_named_ratings(survey: &mut Survey, specs: &[String], sample: &RawExport) {
    let named = specs
        .iter()
        .filter_map(|s| s.split_once('=').map(|(_, items)| items))
        .flat_map(|items| items.split(','))
        .map(|p| crate::config::ScaleItem::parse(p).id)
        .filter(|id| !id.is_empty());
    for column in named {
        if survey
            .items
            .iter()
            .any(|i| i.id == column || i.read_columns().contains(&column.as_str()))
        {
            continue;
        }
        let Some(at) = sample.columns.iter().position(|c| c.name == column) else {
            continue;
        };
        let Some((lo, hi)) = observed_range(sample, at) else {
            continue;
        };
        let name = format!("numeric-{lo}-{hi}");
        if survey.response_scale(&name).is_none() {
            survey.response_scales.push(crate::config::ResponseScale {
                name: name.clone(),
                labels: (lo..=hi).map(|v| v.to_string()).collect(),
                codes: (lo..=hi).map(|v| v as f64).collect(),
                agree_top: crate::config::ResponseScale::default_agree_top((hi - lo + 1) as usize),
                non_substantive: Vec::new(),
                unknown_as_missing: false,
            });
        }
        // The item takes over the column from whatever else the draft made of it.
        survey
            .choices
            .retain(|c| c.column.as_deref() != Some(column.as_str()));
        survey.numbers.retain(|n| n.column() != column);
        survey.items.push(crate::config::Item {
            id: column.clone(),
            column: Some(column.clone()),
            columns: None,
            option_columns: Vec::new(),
            text: match sample.columns[at].question.as_str() {
                "" => column.clone(),
                q => q.to_string(),
            },
            statement: None,
            scale: name,
            headline: false,
            allow_identifying: false,
        });
    }
}

/// The lowest and highest whole number in a column's sampled answers, when every answer is a
/// whole number and there are 2 to `MAX_RATING_POINTS` points between them.
fn observed_range(sample: &RawExport, at: usize) -> Option<(i64, i64)> {
    let mut range: Option<(i64, i64)> = None;
    for row in &sample.rows {
        let v = row.cells.get(at).map_or("", |c| c.trim());
        if v.is_empty() || v.eq_ignore_ascii_case("na") {
            continue;
        }
        let x = v.parse::<f64>().ok().filter(|x| x.fract() == 0.0)? as i64;
        range = Some(range.map_or((x, x), |(lo, hi)| (lo.min(x), hi.max(x))));
    }
    range.filter(|(lo, hi)| hi > lo && hi - lo < MAX_RATING_POINTS)
}

/// A `--by` column may not identify people: groups by name or e-mail would show them.
fn check_by_identifiers(export: &Path, sample: &RawExport, by: &[String]) -> Result<()> {
    for wanted in by {
        if let Some(why) = crate::infer::guard::identifying_column(sample, wanted) {
            return Err(Error::argument(
                "--by",
                format!("`{wanted}` is an identifier column of {}: {why}", export.display()),
            )
            .hint("groups by name, e-mail or id would identify respondents; break down by a column such as region or role"));
        }
    }
    Ok(())
}

/// Each `--by` column must be one of the export's (kept) columns; the message names the flag
/// and the columns it could have meant.
fn check_by_columns(
    export: &Path,
    by: &[String],
    survey: &Survey,
    stream: &CleanStream,
) -> Result<()> {
    let columns = stream.columns();
    for wanted in by {
        if crate::model::find_column(columns, wanted).is_some() {
            continue;
        }
        if stream.dropped_identifiers().iter().any(|d| d == wanted) {
            return Err(Error::argument(
                "--by",
                format!(
                    "`{wanted}` is an identifier column of {}, dropped when it is read",
                    export.display()
                ),
            )
            .hint("groups by name, e-mail or id would identify respondents; break down by a column such as region or role"));
        }
        return Err(Error::argument(
            "--by",
            format!("{} has no column `{wanted}`", export.display()),
        )
        .hint(by_hint(export, wanted, columns, survey)));
    }
    Ok(())
}

fn by_hint(export: &Path, wanted: &str, columns: &[Column], survey: &Survey) -> String {
    let inspect = format!("`canvass inspect {}` lists every column", export.display());
    let names = columns.iter().map(|c| c.name.as_str());
    let near = crate::suggest::close_matches(wanted, names);
    if !near.is_empty() {
        return format!("did you mean {}? {inspect}", crate::suggest::or_list(&near));
    }
    // Answers that are not scored items: the groups, and any other question.
    let groups: Vec<&str> = columns
        .iter()
        .filter(|c| c.role == ColumnRole::Answer)
        .filter(|c| !(survey.items.iter()).any(|i| i.read_columns().contains(&c.name.as_str())))
        .map(|c| c.name.as_str())
        .take(12)
        .collect();
    if groups.is_empty() {
        inspect
    } else {
        format!(
            "columns it could break down by: {}; {inspect}",
            groups.join(", ")
        )
    }
}

/// The items and scales tables.
fn print_tables(report: &ScoreReport, confidence: f64) {
    let ci_header = format!("{}% CI", (confidence * 100.0).round());
    if !report.items.is_empty() {
        print_items(report, &ci_header);
    }
    print_scales(report, &ci_header);
    print_choices(report, &ci_header);
    print_numbers(report);
    print_rankings(report);
}

/// Each ranking question: its base, then each ranked thing's mean rank and % ranked first.
fn print_rankings(report: &ScoreReport) {
    for r in &report.rankings {
        println!(
            "\n{} (ranking, n = {}, not answered {}; mean rank, % ranked first)",
            r.id, r.n, r.missing
        );
        for o in &r.options {
            println!(
                "  {:<NAME_WIDTH$} {:>5} {:>7} {:>7}%",
                ellipsise_middle(&o.option, NAME_WIDTH),
                o.n,
                fixed(o.mean_rank, 2),
                fixed(o.pct_first, 1),
            );
        }
    }
}

/// Each choice question: its base, then each option's count and share.
fn print_choices(report: &ScoreReport, ci_header: &str) {
    for c in &report.choices {
        println!(
            "\n{} ({}, n = {}, not answered {}; {ci_header} in the last column)",
            c.id,
            c.kind.name(),
            c.n,
            c.missing
        );
        for o in c.options.iter().chain(&c.nets) {
            println!(
                "  {:<NAME_WIDTH$} {:>5} {:>7}% {:>15}",
                ellipsise_middle(&o.option, NAME_WIDTH),
                o.count,
                fixed(o.pct, 1),
                format!("{}–{}", fixed(o.ci_low, 1), fixed(o.ci_high, 1)),
            );
        }
    }
}

/// The number questions, a row each.
fn print_numbers(report: &ScoreReport) {
    if report.numbers.is_empty() {
        return;
    }
    println!(
        "\n{:<NAME_WIDTH$} {:>5} {:>7} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9}",
        "number", "n", "missing", "mean", "sd", "min", "q1", "median", "q3", "max"
    );
    for q in &report.numbers {
        println!(
            "{:<NAME_WIDTH$} {:>5} {:>7} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9}",
            ellipsise_middle(&q.id, NAME_WIDTH),
            q.n,
            q.missing,
            fixed(q.mean, 2),
            fixed(q.sd, 2),
            fixed(q.min, 2),
            fixed(q.q1, 2),
            fixed(q.median, 2),
            fixed(q.q3, 2),
            fixed(q.max, 2)
        );
    }
}

fn print_items(report: &ScoreReport, ci_header: &str) {
    println!(
        "\n{:<NAME_WIDTH$} {:>5} {:>8} {:>15} {:>6} {:>6}",
        "item", "n", "% agree", ci_header, "mean", "sd"
    );
    for i in &report.items {
        let m = &i.summary;
        println!(
            "{:<NAME_WIDTH$} {:>5} {:>8} {:>15} {:>6} {:>6}",
            ellipsise_middle(&i.id, NAME_WIDTH),
            m.n,
            fixed(m.pct_agree, 1),
            format!("{}–{}", fixed(m.ci_low, 1), fixed(m.ci_high, 1)),
            fixed(m.mean, 2),
            fixed(m.sd, 2)
        );
    }
}

fn print_scales(report: &ScoreReport, ci_header: &str) {
    if report.scales.is_empty() {
        return;
    }
    println!(
        "\n{:<NAME_WIDTH$} {:>5} {:>7} {:>13} {:>9}",
        "scale", "n", "alpha", ci_header, "std alpha"
    );
    for s in &report.scales {
        let r = &s.reliability;
        println!(
            "{:<NAME_WIDTH$} {:>5} {:>7} {:>13} {:>9}",
            ellipsise_middle(&s.name, NAME_WIDTH),
            s.n,
            fixed(r.alpha, 3),
            format!("{}–{}", fixed(r.alpha_ci_low, 3), fixed(r.alpha_ci_high, 3)),
            fixed(r.alpha_std, 3)
        );
    }
}

/// One breakdown as tables of groups side by side: respondents, % agree per item and the mean
/// of each scale. Suppressed cells show `*`, cells nobody answered `–`.
fn print_breakdown(breakdown: &SegmentBreakdown, report: &ScoreReport) {
    println!(
        "\nby {} (% agree; * fewer than {} respondents, suppressed)",
        breakdown.name, report.suppress_below
    );
    for block in breakdown.groups.chunks(GROUPS_PER_BLOCK) {
        let row = |label: &str, cells: Vec<String>| {
            let cells: String = cells
                .iter()
                .map(|c| format!(" {c:>GROUP_WIDTH$}"))
                .collect();
            println!(
                "{:<NAME_WIDTH$}{cells}",
                ellipsise_middle(label, NAME_WIDTH)
            );
        };
        let names = block
            .iter()
            .map(|g| ellipsise_middle(&g.value, GROUP_WIDTH))
            .collect();
        row("", names);
        let n = block
            .iter()
            .map(|g| cell(g.suppressed, g.n.map(|n| n as f64), 0))
            .collect();
        row("respondents", n);
        for (i, item) in report.items.iter().enumerate() {
            let cells = block
                .iter()
                .map(|g| cell(g.items[i].suppressed, g.items[i].pct_agree, 1))
                .collect();
            row(&item.id, cells);
        }
        for (s, scale) in report.scales.iter().enumerate() {
            let cells = block
                .iter()
                .map(|g| cell(g.scales[s].suppressed, g.scales[s].mean, 2))
                .collect();
            row(&format!("mean {}", scale.name), cells);
        }
    }
}

fn cell(suppressed: bool, value: Option<f64>, decimals: usize) -> String {
    if suppressed {
        "*".to_string()
    } else {
        fixed(value, decimals)
    }
}

/// `NAME=ITEM,ITEM-,…`; items are matched by id or by column name.
fn parse_scale(spec: &str, survey: &Survey) -> Result<Scale> {
    let bad = |msg: &str| {
        Error::argument("--scale", format!("`{spec}`: {msg}"))
            .hint("write NAME=ITEM,ITEM-,… with item ids or column names")
    };
    let (name, items) = spec.split_once('=').ok_or_else(|| bad("has no `=`"))?;
    let mut out = Vec::new();
    for part in items.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let si = crate::config::ScaleItem::parse(part);
        let item = survey
            .items
            .iter()
            .find(|i| i.id == si.id || i.column() == si.id)
            .ok_or_else(|| bad(&format!("no Likert item `{}`", si.id)))?;
        out.push(if si.reversed {
            format!("{}-", item.id)
        } else {
            item.id.clone()
        });
    }
    if name.trim().is_empty() || out.len() < 2 {
        return Err(bad("needs a name and at least two items"));
    }
    Ok(Scale {
        name: name.trim().to_string(),
        items: out,
        min_items: None,
    })
}
