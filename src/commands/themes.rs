use crate::clean::{clean, CleanOptions};
use crate::config::ThemeCount;
use crate::error::{write_file, Error, Result};
use crate::ingest::{self, ReadOptions, ResponseOptions};
use crate::model::ColumnRole;
use crate::report::text::plural;
use crate::themes::{themes, Comment, CommentStatus, ThemeParams};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// `canvass themes`: the command-line arguments.
#[derive(Debug, clap::Args)]
pub struct Args {
    pub export: PathBuf,
    /// The free-text column (id or question text).
    #[arg(long)]
    pub text: String,
    /// Column whose values identify each comment in the assignments file.
    #[arg(long)]
    pub id: Option<String>,
    /// Number of themes, or `auto` to choose by silhouette.
    #[arg(long, default_value = "auto")]
    pub k: String,
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Stemming language.
    #[arg(long, default_value = "english")]
    pub language: String,
    /// Example quotes per theme.
    #[arg(long, default_value_t = 3)]
    pub quotes: usize,
    /// Write each comment's theme to this CSV (columns id,theme,label,…).
    #[arg(long)]
    pub assignments: Option<PathBuf>,
    /// Keep the responses the survey tool marks as tests or previews (a pilot's).
    #[arg(long)]
    pub keep_tests: bool,
    #[arg(long)]
    pub sheet: Option<String>,
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: Args) -> Result<()> {
    let k = ThemeCount::parse(&args.k).ok_or_else(|| {
        Error::input(
            Path::new("--k"),
            format!("`{}` is not a number of themes", args.k),
        )
        .hint("use a whole number of at least 2, or auto")
    })?;
    if crate::themes::tokenize::stemmer_for(&args.language).is_none() {
        return Err(Error::input(
            Path::new("--language"),
            format!("no stemmer for `{}`", args.language),
        ));
    }
    if !(1..=10).contains(&args.quotes) {
        return Err(Error::input(
            Path::new("--quotes"),
            "must be between 1 and 10",
        ));
    }
    let raw = ingest::read_export(&args.export, &ReadOptions::new(args.sheet.clone(), None))?;
    // The id column is the user's own choice for linking assignments back; keep its values by row.
    let ids: HashMap<usize, String> = match &args.id {
        Some(col) => {
            let i = raw
                .columns
                .iter()
                .position(|c| &c.name == col || &c.question == col)
                .ok_or_else(|| {
                    Error::input(&args.export, format!("has no column `{col}`"))
                        .hint("`canvass inspect` lists the columns")
                })?;
            raw.rows
                .iter()
                .map(|r| (r.line, r.cells[i].clone()))
                .collect()
        }
        None => HashMap::new(),
    };
    let table = ingest::into_responses(&args.export, raw, &ResponseOptions::default())?;
    let mut options = CleanOptions::default();
    options.rules.keep_test_responses = args.keep_tests;
    let cleaned = clean(table, &options);
    cleaned
        .accounting
        .require_kept(&args.export, crate::clean::RulesAt::Defaults)?;
    let col = crate::model::find_column(&cleaned.columns, &args.text)
        .filter(|&c| cleaned.columns[c].role == ColumnRole::Answer)
        .ok_or_else(|| {
            Error::input(
                &args.export,
                format!("has no answer column `{}`", args.text),
            )
            .hint("`canvass inspect` lists the columns and their kinds")
        })?;
    let comments: Vec<Comment> = cleaned
        .responses
        .iter()
        .map(|r| Comment {
            respondent: ids
                .get(&r.row)
                .cloned()
                .unwrap_or_else(|| format!("row {}", r.row)),
            text: r.values[col].to_string(),
        })
        .collect();
    let params = ThemeParams {
        k,
        seed: args.seed,
        language: args.language.clone(),
        quotes: args.quotes,
        ..ThemeParams::new(cleaned.responses.len())
    };
    let mut report = themes(&comments, &params).map_err(|e| Error::input(&args.export, e))?;
    if let Some(note) = crate::report::themes_k_note(&report) {
        eprintln!("note: {note}");
    }
    if let Some(out) = &args.assignments {
        write_file(out, &crate::report::tables::comments_csv(&report))?;
    }
    if args.json {
        report.assignments.clear();
        super::print_json(&report);
        return Ok(());
    }
    println!(
        "{}: {} themed into {}, {} not substantive, {} unthemed",
        plural(report.comments as u64, "comment", "comments"),
        report.themed,
        plural(report.k as u64, "theme", "themes"),
        report.non_substantive,
        report.unthemed
    );
    if report.too_few.is_some() {
        println!("{}.", crate::report::themes_method(&report));
        let unthemed = report
            .assignments
            .iter()
            .filter(|a| a.status == CommentStatus::Unthemed);
        for a in unthemed {
            println!("    “{}”", a.text);
        }
    }
    for t in &report.themes {
        println!(
            "\n{:>2}. {} — {} ({:.0}%)",
            t.id,
            t.label,
            plural(t.size as u64, "comment", "comments"),
            t.pct_comments
        );
        println!("    key words: {}", t.keywords.join(", "));
        for q in &t.quotes {
            println!("    “{q}”");
        }
    }
    Ok(())
}
