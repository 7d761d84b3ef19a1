//! `canvass agree A.csv B.csv`: how two codings of the same comments agree.

use crate::agree::{compare, Agreement};
use crate::error::{Error, Result};
use crate::report::text::fixed;
use std::path::PathBuf;

// Where `themes --coded` has always found it.
pub use crate::agree::read::{read_coding, read_sample};

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
    /// In `id,theme` files, the column that names the theme, where a file has it; otherwise
    /// `label` (canvass's comments.csv and assignments name themes there), then `theme`.
    #[arg(long)]
    pub theme: Option<String>,
    /// Machine-readable output (`kappa`, `alpha`, `agreement`, `themes[]`, `confusion`).
    #[arg(long)]
    pub json: bool,
}

/// Compares the two codings and prints the agreement (a table, or JSON with `--json`). Errors name
/// the coding file (and row) that cannot be read.
pub fn run(args: Args) -> Result<()> {
    let (a, column_a) = read_coding(&args.a, &args.id, args.theme.as_deref())?;
    let (b, column_b) = read_coding(&args.b, &args.id, args.theme.as_deref())?;
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
        print_text(&args, &agreement, [&column_a, &column_b]);
    }
    Ok(())
}

fn print_text(args: &Args, r: &Agreement, columns: [&str; 2]) {
    println!(
        "{} and {}: {} comments coded in both ({} only in the first, {} only in the second)",
        args.a.display(),
        args.b.display(),
        r.n,
        r.only_a,
        r.only_b
    );
    println!(
        "  themes compared: the first file's {} column with the second's {}",
        columns[0], columns[1]
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
