//! `canvass themes EXPORT --text COL`: the themes of one free-text column of one export,
//! without a pipeline; `--json` for scripts.

use crate::clean::{self, RulesAt};
use crate::config::survey::CleanRules;
use crate::config::{Survey, TextQuestion, ThemeCount};
use crate::error::{write_file, Error, Result};
use crate::infer::Kind;
use crate::ingest::{self, RawColumn, RawExport};
use crate::report::text::plural;
use crate::themes::learn::CodedSample;
use crate::themes::{Comment, CommentReader, CommentStatus, ThemeReport};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// `canvass themes`: the command-line arguments.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The export as the survey tool wrote it (CSV, TSV, XLSX, XLS, ODS or JSON).
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
    /// Seed of the random starts (the same seed gives the same themes).
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Stemming language.
    #[arg(long, default_value = "english")]
    pub language: String,
    /// Example quotes per theme.
    #[arg(long, default_value_t = 3)]
    pub quotes: usize,
    /// Write each comment's theme to this CSV (columns id,theme,label,…), in an existing folder.
    #[arg(long)]
    pub assignments: Option<PathBuf>,
    /// A sample coded by hand, to learn from and code the other comments the same way: `id,theme`
    /// rows (several per comment allowed) or `id` and a 0/1 column per theme, the ids being
    /// values of the `--id` column; an optional `text` column gives comments not in this export.
    #[arg(long, requires = "id")]
    pub coded: Option<PathBuf>,
    /// With --coded: learned codings less probable than this are marked for review.
    #[arg(long, default_value_t = crate::themes::learn::DEFAULT_REVIEW_BELOW)]
    pub review_below: f64,
    /// Keep the responses the survey tool marks as tests or previews (a pilot's).
    #[arg(long)]
    pub keep_tests: bool,
    /// Sheet to read, for workbook exports (the first when absent).
    #[arg(long)]
    pub sheet: Option<String>,
    /// REDCap data dictionary of the export: question labels, options, identifier flags.
    #[arg(long)]
    pub dictionary: Option<PathBuf>,
    /// Machine-readable output: the themes with their key words and quotes.
    #[arg(long)]
    pub json: bool,
}

/// Themes one column of free text of one export and prints the themes, or JSON with `--json`.
pub fn run(args: Args) -> Result<()> {
    let k = check_options(&args)?;
    let coded = args
        .coded
        .as_ref()
        .map(|p| super::agree::read_sample(p, "id"))
        .transpose()?;
    let read = super::read_options(&args.export, args.sheet.clone(), args.dictionary.clone())?;
    let (ids, question) = read_head(&args, &read)?;
    let survey = one_question_survey(&args, question);
    // Respondent ids only link a comment to its row here: they are printed as the --id
    // column's value or the row (`Commenters::name_assignments`), never as a hash.
    let keyed = ingest::Pseudonyms::standalone(&args.export);
    let (survey, mut stream) =
        clean::CleanStream::for_survey(&args.export, &read, &survey, &keyed)?;
    let Some(reader) = CommentReader::new(stream.columns(), &survey, &args.export)? else {
        return Ok(());
    };
    let gathered = reader.gather_stream(&mut stream)?;
    let (survey, _) = clean::finish(&args.export, survey, stream.finish()?, RulesAt::Defaults)?;
    let settings = crate::themes::WaveSettings {
        k,
        quotes: args.quotes,
        seed: args.seed,
        // No segments: nothing is broken down.
        suppress_below: 0,
        review_below: args.review_below,
    };
    let commenters = Commenters {
        ids: &ids,
        rows: &gathered.rows,
        comments: gathered.comments.comments()?,
    };
    let coded = match (coded, &args.coded) {
        (Some(sample), Some(path)) => Some(commenters.coded(sample, path, &args)?),
        _ => None,
    };
    let Some(themed) =
        crate::themes::for_wave(&gathered, &survey, &settings, coded, None, &args.export)?
    else {
        return Ok(());
    };
    let mut report = themed.report;
    commenters.name_assignments(&mut report);
    // With --json, stdout is the JSON alone (the summary is in its `learned`).
    if let Some(l) = report.learned.as_ref().filter(|_| !args.json) {
        print_learned(l, &args);
    }
    if let Some(note) = crate::report::themes_k_note(&report) {
        eprintln!("note: {note}");
    }
    if let Some(out) = &args.assignments {
        write_file(out, &crate::report::tables::assignments_csv(&report))?;
    }
    if args.json {
        report.assignments.clear();
        super::print_json(&report);
        return Ok(());
    }
    print_themes(&report);
    Ok(())
}

/// Checks `--text` against the export, and reads the `--id` column's value by row (the user's
/// own choice for linking assignments back) and the question's wording. The column's kind is
/// judged from the export's head, as `score` infers an instrument; only --id needs every row
/// (its value per row), so only then is the whole export read here.
fn read_head(args: &Args, read: &ingest::ReadOptions) -> Result<(HashMap<usize, String>, String)> {
    let raw = match &args.id {
        Some(_) => ingest::read_export(&args.export, read)?,
        None => ingest::read_export_sample(&args.export, read, super::score::INFER_FROM_ROWS)?,
    };
    check_text_column(&args.export, &raw, &args.text)?;
    let ids: HashMap<usize, String> = match &args.id {
        Some(col) => {
            let i = find_raw(&raw.columns, col).ok_or_else(|| {
                Error::argument(
                    "--id",
                    format!("{} has no column `{col}`", args.export.display()),
                )
                .hint(format!(
                    "`canvass inspect {}` lists the columns",
                    args.export.display()
                ))
            })?;
            raw.rows
                .iter()
                .map(|r| (r.line, r.cells[i].clone()))
                .collect()
        }
        None => HashMap::new(),
    };
    // The question's wording sets how sentiment is read: the export's, or the name given.
    let question = find_raw(&raw.columns, &args.text)
        .map(|i| question_of(&raw.columns[i].question, &args.text))
        .unwrap_or_else(|| args.text.clone());
    Ok((ids, question))
}

/// A survey of this one question, through the same clean and themes stages as `canvass run`.
fn one_question_survey(args: &Args, question: String) -> Survey {
    Survey {
        title: "ad hoc".into(),
        language: args.language.clone(),
        respondent: Default::default(),
        clean: CleanRules {
            keep_test_responses: args.keep_tests,
            ..Default::default()
        },
        response_scales: Vec::new(),
        items: Vec::new(),
        scales: Vec::new(),
        segments: Vec::new(),
        choices: Vec::new(),
        numbers: Vec::new(),
        rankings: Vec::new(),
        text: vec![TextQuestion {
            id: args.text.clone(),
            column: None,
            text: question,
            allow_identifying: false,
            coded: None,
            review_below: None,
            other_of: None,
        }],
        codebook: Vec::new(),
        privacy: Default::default(),
        weights: Default::default(),
    }
}

/// The gathered comments with each one's `--id` value by export row: the user names comments
/// by those values (or rows), the themes stage by hashed respondent keys.
struct Commenters<'a> {
    ids: &'a HashMap<usize, String>,
    /// Each comment's export row, in `comments`' order.
    rows: &'a [usize],
    comments: Vec<Comment>,
}

impl Commenters<'_> {
    /// The hand-coded sample with its ids turned into the stage's respondent keys; an error
    /// when none of its ids is a comment's and it lacks texts, since nothing then ties the
    /// coding to the export.
    fn coded(&self, sample: CodedSample, path: &Path, args: &Args) -> Result<crate::themes::Coded> {
        let key_of: HashMap<&String, &String> = self
            .rows
            .iter()
            .zip(&self.comments)
            .filter_map(|(row, c)| Some((self.ids.get(row)?, &c.respondent)))
            .collect();
        // A sample that gives every comment's text (another wave's) needs no shared id.
        let all_texts = sample.codes.keys().all(|id| sample.texts.contains_key(id));
        if !all_texts && !sample.codes.keys().any(|id| key_of.contains_key(id)) {
            return Err(no_shared_ids(&sample, key_of.len(), path, args));
        }
        let rekey = |id: String| key_of.get(&id).map_or(id, |k| (*k).clone());
        Ok(crate::themes::Coded {
            sample: CodedSample {
                codes: sample
                    .codes
                    .into_iter()
                    .map(|(i, c)| (rekey(i), c))
                    .collect(),
                texts: sample
                    .texts
                    .into_iter()
                    .map(|(i, t)| (rekey(i), t))
                    .collect(),
                source: sample.source,
            },
            path: path.to_path_buf(),
        })
    }

    /// Comments are named by the --id column's value, or their row, not by the hashed key.
    fn name_assignments(&self, report: &mut ThemeReport) {
        let names: HashMap<&str, String> = self
            .rows
            .iter()
            .zip(&self.comments)
            .map(|(&row, c)| {
                let name = self
                    .ids
                    .get(&row)
                    .cloned()
                    .unwrap_or_else(|| format!("row {row}"));
                (c.respondent.as_str(), name)
            })
            .collect();
        for a in report.assignments.iter_mut() {
            if let Some(name) = names.get(a.respondent.as_str()) {
                a.respondent = name.clone();
            }
        }
    }
}

/// The error for a coded sample none of whose ids is a comment's `--id` value: both columns
/// named, so the user sees which one to change (no value is shown: ids may identify people).
fn no_shared_ids(sample: &CodedSample, comments: usize, path: &Path, args: &Args) -> Error {
    let id_column = args.id.as_deref().unwrap_or("id");
    Error::input(
        path,
        format!(
            "none of the {} ids in its `id` column is the `{id_column}` of one of the {} comments in {}",
            sample.codes.len(),
            comments,
            args.export.display(),
        ),
    )
    .at_column("id")
    .hint(format!(
        "give --id the export's column whose values the sample's `id` column holds (now `{id_column}`), or recode the sample with those values"
    ))
}

/// How the learned coding agreed with the sample, and a warning for sample ids not found.
fn print_learned(l: &crate::themes::learn::LearnedSummary, args: &Args) {
    let cv = &l.cross_validation;
    say!(
        "learned coding from {} coded comments: {}-fold cross-validation agreed on {:.0} % (same set of themes), mean kappa {}; {} coded, {} to review, {} fitted no learned theme (floor {}, chosen by the cross-validation)",
        l.trained_on,
        cv.folds,
        100.0 * cv.exact_share,
        crate::report::text::fixed(cv.kappa, 2),
        l.learned,
        l.needs_review,
        l.no_fit,
        crate::report::text::fixed(Some(l.no_fit_below), 2)
    );
    if l.unknown_ids > 0 {
        eprintln!(
            "warning: {} ids of {} are not in this export's `{}` column and the file gives no text for them: they were not used",
            l.unknown_ids,
            l.sample,
            args.id.as_deref().unwrap_or("id")
        );
    }
}

/// The counts, then each theme with its key words and quotes.
fn print_themes(report: &ThemeReport) {
    // Comments coded to codebook or learned themes are counted first: a learned coding can
    // leave nothing to discover, and "0 themed" alone would read as nothing done.
    let coded = report
        .assignments
        .iter()
        .filter(|a| a.status.is_theme_member() && a.status != CommentStatus::Themed)
        .count();
    let coded = match coded {
        0 => String::new(),
        n => format!(
            "{n} coded to {}, ",
            plural((report.themes.len() - report.k) as u64, "theme", "themes")
        ),
    };
    say!(
        "{}: {coded}{} themed into {}, {} not substantive, {} unthemed",
        plural(report.comments as u64, "comment", "comments"),
        report.themed,
        plural(report.k as u64, "theme", "themes"),
        report.non_substantive,
        report.unthemed
    );
    if report.too_few.is_some() {
        say!("{}.", crate::report::themes_method(report));
        let unthemed = report
            .assignments
            .iter()
            .filter(|a| a.status == CommentStatus::Unthemed);
        for a in unthemed {
            say!("    “{}”", a.text);
        }
    }
    for t in &report.themes {
        say!(
            "\n{:>2}. {} — {} ({:.0}%)",
            t.id,
            t.label,
            plural(t.size as u64, "comment", "comments"),
            t.pct_comments
        );
        say!("    key words: {}", t.keywords.join(", "));
        for q in &t.quotes {
            say!("    “{q}”");
        }
    }
}

/// The question's wording, which sets how sentiment is read: the export's question text, or
/// the name given to `--text` when the export has none.
fn question_of(question: &str, text_arg: &str) -> String {
    if question.trim().is_empty() {
        text_arg.to_string()
    } else {
        question.to_string()
    }
}

/// The options that need no file, checked before anything is read; the number of themes.
fn check_options(args: &Args) -> Result<ThemeCount> {
    let k = ThemeCount::parse(&args.k).ok_or_else(|| {
        Error::argument("--k", format!("`{}` is not a number of themes", args.k))
            .hint("use a whole number of at least 2, or auto")
    })?;
    use crate::config::limits::{language, Quotes, ReviewBelow};
    language(&args.language).map_err(|b| b.at_option("--language"))?;
    ReviewBelow::new(args.review_below).map_err(|b| b.at_option("--review-below"))?;
    Quotes::new(args.quotes).map_err(|b| b.at_option("--quotes"))?;
    if let Some(out) = &args.assignments {
        check_folder_exists(out)?;
    }
    Ok(k)
}

/// The assignments go into a folder the user made: a mistyped path is refused, not created.
fn check_folder_exists(out: &Path) -> Result<()> {
    let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) else {
        return Ok(());
    };
    if dir.is_dir() {
        return Ok(());
    }
    Err(Error::argument(
        "--assignments",
        format!("folder `{}` does not exist", dir.display()),
    )
    .hint(format!(
        "create it first (mkdir -p {}), or name a file in an existing folder",
        dir.display()
    )))
}

/// A column as `model::find_column` finds one: by name, ImportId, question text, or name in
/// any case.
fn find_raw(columns: &[RawColumn], wanted: &str) -> Option<usize> {
    let by = |f: &dyn Fn(&RawColumn) -> bool| columns.iter().position(f);
    by(&|c| c.name == wanted)
        .or_else(|| by(&|c| c.import_id.as_deref() == Some(wanted)))
        .or_else(|| by(&|c| c.question == wanted))
        .or_else(|| by(&|c| c.name.eq_ignore_ascii_case(wanted)))
}

/// `--text` must name a column of comments: a column of scale answers, numbers or dates has
/// nothing to theme (and clustering it would still "find" themes), so it is refused; short
/// answers that repeat (a single-choice question) are themed with a warning.
fn check_text_column(export: &Path, raw: &RawExport, wanted: &str) -> Result<()> {
    let Some(i) = find_raw(&raw.columns, wanted) else {
        let names = raw.columns.iter().map(|c| c.name.as_str());
        let near = crate::suggest::close_matches(wanted, names);
        let hint = match near.is_empty() {
            true => free_text_hint(export, raw),
            false => format!("did you mean {}?", crate::suggest::or_list(&near)),
        };
        return Err(Error::argument(
            "--text",
            format!("{} has no column `{wanted}`", export.display()),
        )
        .hint(hint));
    };
    let Some(info) = crate::infer::column(raw, i) else {
        return Ok(());
    };
    let holds = match info.kind {
        Kind::FreeText => return Ok(()),
        Kind::SingleChoice => {
            eprintln!(
                "warning: column `{}` looks like a single-choice question ({} different answers \
                 among {}), not free text: themes of short repeated answers say little",
                info.name, info.distinct, info.answered
            );
            return Ok(());
        }
        Kind::Likert => format!(
            "answers on a response scale ({}), not comments",
            info.labels.join(" / ")
        ),
        Kind::Numeric => "numbers, not comments".to_string(),
        Kind::Date => "dates, not comments".to_string(),
        Kind::MultiSelect => "the options of a multi-select question, not comments".to_string(),
        Kind::Identifier => format!(
            "identifying values ({}), which are never themed",
            info.reason
        ),
        Kind::Metadata => "the survey tool's own data about each response, not answers".to_string(),
        Kind::Empty => "no answers".to_string(),
    };
    Err(Error::argument(
        "--text",
        format!(
            "column `{}` of {} holds {holds}",
            info.name,
            export.display()
        ),
    )
    .hint(free_text_hint(export, raw)))
}

/// The columns `inspect` finds to hold free text, to suggest for `--text`.
fn free_text_hint(export: &Path, raw: &RawExport) -> String {
    let free: Vec<String> = crate::infer::columns(raw)
        .into_iter()
        .filter(|c| c.kind == Kind::FreeText)
        .map(|c| c.name)
        .collect();
    let inspect = format!("`canvass inspect {}`", export.display());
    if free.is_empty() {
        format!("{inspect} finds no free-text column in this export; it lists every column with its kind")
    } else {
        let names: Vec<&str> = free.iter().map(String::as_str).collect();
        format!(
            "free-text columns, as {inspect} finds them: {}",
            crate::suggest::or_list(&names)
        )
    }
}
