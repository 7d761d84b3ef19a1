use crate::clean::{CleanStream, RulesAt};
use crate::config::survey::{Scale, Segment};
use crate::config::Survey;
use crate::error::{Error, Result};
use crate::ingest::{self, ReadOptions};
use crate::report::text::fixed;
use crate::score::reliability::MissingMethod;
use crate::score::{score_stream, ScoreOptions};
use std::path::{Path, PathBuf};

/// Without a survey file, the instrument is inferred from the header and this many rows.
const INFER_FROM_ROWS: usize = 50_000;

/// `canvass score`: the command-line arguments.
#[derive(Debug, clap::Args)]
pub struct Args {
    pub export: PathBuf,
    /// Survey definition; inferred from the export when absent.
    #[arg(long)]
    pub survey: Option<PathBuf>,
    /// Ad hoc scale: NAME=ITEM,ITEM-,… (a trailing `-` marks a reverse-keyed item). Repeatable.
    #[arg(long = "scale", value_name = "NAME=ITEMS")]
    pub scales: Vec<String>,
    /// Break results down by this column. Repeatable.
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
    /// `keep_test_responses = true` under the survey's [clean] does.
    #[arg(long)]
    pub keep_tests: bool,
    #[arg(long)]
    pub sheet: Option<String>,
    /// REDCap data dictionary of the export: question labels, options, identifier flags.
    #[arg(long)]
    pub dictionary: Option<PathBuf>,
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: Args) -> Result<()> {
    if args.suppress_below < 3 {
        return Err(
            Error::input(Path::new("--suppress-below"), "must be at least 3")
                .hint("small groups identify people; 10 is usual"),
        );
    }
    if !(0.5..1.0).contains(&args.confidence) {
        return Err(Error::input(
            Path::new("--confidence"),
            "must be between 0.5 and 1 (e.g. 0.95)",
        ));
    }
    // The score table shows no checksum; hashing the file would be a tenth of the work.
    let read = ReadOptions {
        without_checksum: true,
        ..ReadOptions::new(args.sheet.clone(), args.dictionary.clone())
    };
    let mut survey = match &args.survey {
        Some(p) => Survey::load(p)?,
        None => crate::infer::draft_survey(
            &ingest::read_export_sample(&args.export, &read, INFER_FROM_ROWS)?,
            "ad hoc",
        ),
    };
    if survey.items.is_empty() {
        return Err(
            Error::input(&args.export, "has no column recognised as a Likert item")
                .hint("pass --survey with a survey definition; `canvass init` drafts one"),
        );
    }
    survey.clean.keep_test_responses |= args.keep_tests;
    for spec in &args.scales {
        survey.scales.push(parse_scale(spec, &survey)?);
    }
    survey.segments.extend(args.by.iter().map(|c| Segment {
        name: c.clone(),
        column: None,
    }));
    let flag = Path::new("--scale");
    survey.validate(args.survey.as_deref().unwrap_or(flag))?;
    let (survey, mut stream) = CleanStream::for_survey(&args.export, &read, &survey)?;
    let report = score_stream(
        &mut stream,
        &args.export,
        &survey,
        &ScoreOptions {
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
        },
    )?;
    let cleaned = stream.finish()?;
    let a = &cleaned.accounting;
    let rules = match &args.survey {
        Some(p) => RulesAt::Survey(p),
        None => RulesAt::SurveyOption,
    };
    a.require_kept(&args.export, rules)?;
    if args.json {
        super::print_json(&report);
        return Ok(());
    }
    let ci_header = format!("{}% CI", (args.confidence * 100.0).round());
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
    println!(
        "\n{:<24} {:>5} {:>8} {:>15} {:>6} {:>6}",
        "item", "n", "% agree", ci_header, "mean", "sd"
    );
    for i in &report.items {
        let m = &i.summary;
        println!(
            "{:<24} {:>5} {:>8} {:>15} {:>6} {:>6}",
            i.id,
            m.n,
            fixed(m.pct_agree, 1),
            format!("{}–{}", fixed(m.ci_low, 1), fixed(m.ci_high, 1)),
            fixed(m.mean, 2),
            fixed(m.sd, 2)
        );
    }
    if !report.scales.is_empty() {
        println!(
            "\n{:<24} {:>5} {:>7} {:>13} {:>9}",
            "scale", "n", "alpha", ci_header, "std alpha"
        );
        for s in &report.scales {
            let r = &s.reliability;
            println!(
                "{:<24} {:>5} {:>7} {:>13} {:>9}",
                s.name,
                s.n,
                fixed(r.alpha, 3),
                format!("{}–{}", fixed(r.alpha_ci_low, 3), fixed(r.alpha_ci_high, 3)),
                fixed(r.alpha_std, 3)
            );
        }
    }
    for u in &report.unrecognised {
        println!(
            "note: item {} has {} unrecognised answer(s) `{}`, counted as missing",
            u.item, u.count, u.label
        );
    }
    Ok(())
}

/// `NAME=ITEM,ITEM-,…`; items are matched by id or by column name.
fn parse_scale(spec: &str, survey: &Survey) -> Result<Scale> {
    let bad = |msg: &str| {
        Error::input(Path::new("--scale"), format!("`{spec}`: {msg}"))
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
