//! `canvass agree A.csv B.csv`: how two codings of the same comments agree.

use crate::agree::{compare, Agreement, Coding};
use crate::error::{Error, Result};
use crate::report::text::fixed;
use crate::themes::learn::CodedSample;
use std::path::{Path, PathBuf};

/// `canvass agree`: the command-line arguments.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The first coding (the reference for precision and recall): `id,theme` rows, several per
    /// comment allowed, or `id` and one 0/1 column per theme.
    pub a: PathBuf,
    /// The second coding, in either layout.
    pub b: PathBuf,
    /// The column that identifies each comment.
    #[arg(long, default_value = "id")]
    pub id: String,
    /// In `id,theme` files, the column that names the theme, where a file has it (e.g.
    /// `label` in canvass's assignments); otherwise `theme`, then `label`.
    #[arg(long)]
    pub theme: Option<String>,
    /// Machine-readable output (`kappa`, `alpha`, `agreement`, `themes[]`, `confusion`).
    #[arg(long)]
    pub json: bool,
}

/// Compares the two codings and prints the agreement (a table, or JSON with `--json`). Errors name
/// the coding file (and row) that cannot be read.
pub fn run(args: Args) -> Result<()> {
    let a = read_coding(&args.a, &args.id, args.theme.as_deref())?;
    let b = read_coding(&args.b, &args.id, args.theme.as_deref())?;
    let agreement = compare(&a, &b);
    if agreement.n == 0 {
        return Err(Error::input(
            &args.b,
            format!("shares no comment id with {}", args.a.display()),
        )
        .hint("both files must identify comments the same way (`--id COLUMN`)"));
    }
    if args.json {
        super::print_json(&agreement);
    } else {
        print_text(&args, &agreement);
    }
    Ok(())
}

fn print_text(args: &Args, r: &Agreement) {
    println!(
        "{} and {}: {} comments coded in both ({} only in the first, {} only in the second)",
        args.a.display(),
        args.b.display(),
        r.n,
        r.only_a,
        r.only_b
    );
    println!(
        "  of the {} comments each coding gives one theme, {} % get the same one: Cohen's kappa {}, Krippendorff's alpha {}",
        r.single,
        fixed(r.agreement.map(|a| 100.0 * a), 1),
        fixed(r.kappa, 3),
        fixed(r.alpha, 3)
    );
    println!("  the same set of themes: {} of {}", r.exact, r.n);
    println!(
        "\n{:<32} {:>5} {:>5} {:>5} {:>9} {:>7} {:>6} {:>6}",
        "theme", "in A", "in B", "both", "precision", "recall", "F1", "kappa"
    );
    for t in &r.themes {
        println!(
            "{:<32} {:>5} {:>5} {:>5} {:>9} {:>7} {:>6} {:>6}",
            short(&t.theme, 32),
            t.in_a,
            t.in_b,
            t.both,
            fixed(t.precision, 3),
            fixed(t.recall, 3),
            fixed(t.f1, 3),
            fixed(t.kappa, 3)
        );
    }
    let mut disagreements: Vec<&(String, String, usize)> =
        r.confusion.iter().filter(|(x, y, _)| x != y).collect();
    disagreements.sort_by(|p, q| q.2.cmp(&p.2).then_with(|| (&p.0, &p.1).cmp(&(&q.0, &q.1))));
    if !disagreements.is_empty() {
        println!("\nmost frequent disagreements (first → second):");
        for (x, y, n) in disagreements.iter().take(10) {
            println!("  {n:>5}  {x} → {y}");
        }
    }
}

fn short(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(max - 1).collect::<String>())
    }
}

/// A coding file: `id,theme` rows (several per comment; a blank theme codes the comment with
/// none; the theme column is `theme` if given and present, else `theme`, else `label`), or `id`
/// plus one column per theme marked `1`/`yes`/`true`/`x`.
pub fn read_coding(path: &Path, id: &str, theme: Option<&str>) -> Result<Coding> {
    read(path, id, theme).map(|(coding, _)| coding)
}

/// A coded sample for learned coding (`themes --coded`, a `[[text]]` question's `coded`): a
/// coding file as `read_coding` reads it, with the `id` column, and each comment's text from
/// a `text` column when it has one. A file with no coded comment is refused.
pub fn read_sample(path: &Path, id: &str) -> Result<CodedSample> {
    let (codes, texts) = read(path, id, None)?;
    if codes.is_empty() {
        return Err(Error::input(path, "has no coded comments").hint(
            "a coded sample has a row per coded comment: `id,theme` (several rows per comment \
             allowed), or `id` and a 0/1 column per theme",
        ));
    }
    Ok(CodedSample {
        source: path.display().to_string(),
        codes,
        texts,
    })
}

type Texts = std::collections::BTreeMap<String, String>;

fn read(path: &Path, id: &str, theme: Option<&str>) -> Result<(Coding, Texts)> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_path(path)
        .map_err(|e| Error::input(path, format!("cannot be read as CSV: {e}")))?;
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| Error::input(path, format!("has no header row: {e}")))?
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_string())
        .collect();
    let find = |name: &str| header.iter().position(|h| h.eq_ignore_ascii_case(name));
    let id_at = find(id).ok_or_else(|| {
        Error::input(
            path,
            format!("has no `{id}` column (its columns: {})", header.join(", ")),
        )
        .hint("name the column that identifies comments with --id")
    })?;
    let long = theme
        .and_then(&find)
        .or_else(|| find("theme"))
        .or_else(|| find("label"));
    let text_at = find("text");
    let mut texts = Texts::new();
    let mut coding = Coding::new();
    for (i, record) in reader.records().enumerate() {
        // Line 1 is the header.
        let record = record.map_err(|e| Error::input(path, format!("{e}")).at_row(i + 2))?;
        let key = record.get(id_at).unwrap_or_default().trim().to_string();
        if key.is_empty() {
            return Err(Error::input(path, "a row has no comment id")
                .at_row(i + 2)
                .at_column(header[id_at].clone()));
        }
        if let Some(t) = text_at
            .and_then(|t| record.get(t))
            .filter(|t| !t.trim().is_empty())
        {
            texts.entry(key.clone()).or_insert_with(|| t.to_string());
        }
        let themes = coding.entry(key).or_default();
        match long {
            Some(t) => {
                let value = record.get(t).unwrap_or_default().trim();
                if !value.is_empty() {
                    themes.insert(value.to_string());
                }
            }
            None => {
                for (c, cell) in record.iter().enumerate() {
                    let ticked = ["1", "yes", "true", "x", "y"]
                        .iter()
                        .any(|t| cell.trim().eq_ignore_ascii_case(t));
                    if c != id_at && Some(c) != text_at && ticked {
                        themes.insert(header[c].clone());
                    }
                }
            }
        }
    }
    Ok((coding, texts))
}
