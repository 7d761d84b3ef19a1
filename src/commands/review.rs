//! `canvass review WAVE_DIR [-o FILE]`: a starting review file for a wave's themes — each theme
//! with its handle, label, size and first comments (redacted, with their ids), and a commented
//! example of every edit — to edit and name in the pipeline's `[themes] review`.

use crate::error::{read_file, Error, Result};
use crate::themes::review::AppliedEdit;
use crate::themes::{Assignment, CommentStatus, Theme, ThemeReport};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Comments listed under each theme.
const LISTED: usize = 8;

/// `canvass review`: the command-line arguments.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A wave's folder, as `canvass run` wrote it (holds themes.json and manifest.json).
    pub wave_dir: PathBuf,
    /// Write the file here instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

/// Writes a starting review file for the wave's themes to `--output` or standard output.
pub fn run(args: Args) -> Result<()> {
    // A review file is where reviewers' edits live: writing a fresh one over it would lose them.
    // (A link or a special file is refused by the writer, which says so.)
    let existing = |p: &&std::path::Path| std::fs::symlink_metadata(p).is_ok_and(|m| m.is_file());
    if let Some(out) = args.output.as_deref().filter(existing) {
        return Err(
            crate::error::Error::input(out, "already exists; review does not overwrite it (it may hold reviewers' edits)")
                .hint("write the starting file elsewhere (-o review-new.toml) and copy what you need, or delete the old one first"),
        );
    }
    let (wave, themes) = load_wave(&args.wave_dir)?;
    super::print_or_write(args.output.as_deref(), &starting_review(&wave, &themes))
}

/// The wave's name (from its manifest) and its themes artefact.
pub(crate) fn load_wave(dir: &Path) -> Result<(String, ThemeReport)> {
    let manifest_path = dir.join("manifest.json");
    let manifest: crate::runner::Manifest = serde_json::from_slice(&read_file(&manifest_path)?)
        .map_err(|e| {
            Error::input(&manifest_path, format!("is not a canvass manifest: {e}")).hint(
                "pass a wave folder written by `canvass run` (e.g. reports/aspire-pilot/wave-1)",
            )
        })?;
    let themes_path = dir.join("themes.json");
    if !themes_path.exists() {
        return Err(Error::input(
            dir,
            "has no themes.json: this wave's survey has no open question, so there are no themes to review, carry forward or export",
        )
        .hint("add a [[text]] question to the survey file (`canvass init` drafts one) and re-run the pipeline"));
    }
    let themes: ThemeReport = serde_json::from_slice(&read_file(&themes_path)?).map_err(|e| {
        Error::input(
            &themes_path,
            format!("is not a canvass themes artefact: {e}"),
        )
        .hint("re-run the pipeline with this version of canvass")
    })?;
    Ok((manifest.wave, themes))
}

/// A TOML string literal.
pub(crate) fn quoted(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// The comments of theme `id` (1-based), in file order.
pub(crate) fn members(t: &ThemeReport, id: usize) -> impl Iterator<Item = &Assignment> {
    t.assignments.iter().filter(move |a| a.themes.contains(&id))
}

/// A starting `review.toml` for wave `wave`'s themes: each theme's handle, label, size and first
/// comments (redacted, with ids), and a commented example of every edit.
pub fn starting_review(wave: &str, t: &ThemeReport) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "# Review of the themes of `{wave}`, written by `canvass review`. Name this file in the\n\
         # pipeline (`[themes] review = \"…\"`) and re-run: the edits are applied on every run.\n\
         # Themes are named by handle (from a codebook theme's label or a discovered theme's two\n\
         # most distinctive terms), comments by their id in comments.csv. An edit that no longer\n\
         # applies (its comment or theme is gone) is reported by the run, never dropped.\n"
    );
    if let Some(r) = &t.review {
        let done = r.sentence();
        if !done.is_empty() {
            let _ = writeln!(s, "# These themes already include a review: {done}.\n");
        }
    }
    let applied: &[AppliedEdit] = t.review.as_ref().map_or(&[], |r| &r.applied);
    let (own, carried): (Vec<&AppliedEdit>, Vec<&AppliedEdit>) =
        applied.iter().partition(|e| e.carried_from.is_none());
    let (own_keys, own_tables): (Vec<&AppliedEdit>, Vec<&AppliedEdit>) =
        own.into_iter().partition(|e| e.is_key());
    let _ = writeln!(s, "[[wave]]\nname = {}\n", quoted(wave));
    let _ = writeln!(
        s,
        "# Comments that say nothing substantive, and comments never to be quoted:"
    );
    for key in ["not_substantive", "withhold"] {
        match own_keys.iter().find(|e| e.toml.starts_with(key)) {
            Some(e) => {
                let _ = writeln!(s, "{}  # applied; remove ids to undo", e.toml);
            }
            None => {
                let _ = writeln!(s, "# {key} = [\"COMMENT-ID\"]");
            }
        }
    }
    let _ = writeln!(s);
    for th in &t.themes {
        theme_comment(&mut s, t, th);
    }
    applied_edits(&mut s, &own_tables, &carried);
    edit_examples(&mut s, t);
    s
}

/// The edits already applied to these themes: the wave's own as they are (this file keeps
/// them; delete one to undo it), and those carried from earlier waves' blocks as comments with
/// the `[[wave.undo]]` that stops each from this wave on.
fn applied_edits(s: &mut String, own: &[&AppliedEdit], carried: &[&AppliedEdit]) {
    if !own.is_empty() {
        let _ = writeln!(
            s,
            "# Edits already applied to these themes by the review file: kept as they are\n\
             # (delete an edit to undo it).\n"
        );
        for e in own {
            let _ = writeln!(s, "{}\n", e.toml);
        }
    }
    if carried.is_empty() {
        return;
    }
    let _ = writeln!(
        s,
        "# Edits carried from earlier waves' blocks of the review file: they apply to this\n\
         # wave without being written here. To stop one from this wave on, add its undo.\n"
    );
    for e in carried {
        let from = e.carried_from.as_deref().unwrap_or_default();
        let _ = writeln!(s, "# carried from {from}:\n{}", commented(&e.toml));
        if let Some(undo) = e.undo() {
            let _ = writeln!(s, "#   to stop it:\n{}", commented(&undo));
        }
        let _ = writeln!(s);
    }
}

/// Each line of `toml` behind "# ".
fn commented(toml: &str) -> String {
    toml.lines()
        .map(|l| format!("# {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A theme as comments: its handle, label, key words and first comments.
fn theme_comment(s: &mut String, t: &ThemeReport, th: &Theme) {
    let _ = writeln!(
        s,
        "# theme {} — {} ({}, {} comment{})",
        quoted(&th.handle),
        quoted(&th.label),
        th.kind,
        th.size,
        if th.size == 1 { "" } else { "s" }
    );
    if !th.keywords.is_empty() {
        let _ = writeln!(s, "#   key words: {}", th.keywords.join(", "));
    }
    for a in least_confident_first(members(t, th.id)).take(LISTED) {
        let confidence = match (a.status, a.confidence) {
            (CommentStatus::Learned, Some(c)) => format!("(learned, confidence {c:.2})  "),
            _ => String::new(),
        };
        let _ = writeln!(s, "#   {}  {confidence}{}", a.respondent, one_line(&a.text));
    }
    if th.size > LISTED {
        let _ = writeln!(s, "#   … and {} more in comments.csv", th.size - LISTED);
    }
    let _ = writeln!(s);
}

/// A theme's comments with its least confident learned codings first, so a reviewer checks
/// those before the rest; hand-coded and other comments follow in file order.
fn least_confident_first<'a>(
    members: impl Iterator<Item = &'a Assignment>,
) -> impl Iterator<Item = &'a Assignment> {
    let mut members: Vec<&Assignment> = members.collect();
    let learned = |a: &Assignment| match a.status {
        CommentStatus::Learned => a.confidence.unwrap_or(f64::INFINITY),
        _ => f64::INFINITY,
    };
    members.sort_by(|a, b| learned(a).total_cmp(&learned(b)));
    members.into_iter()
}

/// Each kind of edit, commented out, with the wave's own handles and a comment id filled in.
fn edit_examples(s: &mut String, t: &ThemeReport) {
    let handle = |i: usize| {
        t.themes
            .get(i)
            .map_or("THEME-HANDLE".to_string(), |th| th.handle.clone())
    };
    let comment = t
        .assignments
        .iter()
        .find(|a| a.theme.is_some())
        .map_or("COMMENT-ID".to_string(), |a| a.respondent.clone());
    let _ = writeln!(
        s,
        "# Edits (remove the leading # to use; each may be repeated):\n\
         #\n\
         # [[wave.rename]]\n\
         # theme = {h0}\n\
         # label = \"A better name\"\n\
         #\n\
         # [[wave.merge]]            # the themes become the first; label is optional\n\
         # themes = [{h0}, {h1}]\n\
         # label = \"The merged theme\"\n\
         #\n\
         # [[wave.split]]            # the comments leave their themes for a new one\n\
         # label = \"A new theme\"\n\
         # comments = [{c}]\n\
         #\n\
         # [[wave.move]]\n\
         # comment = {c}\n\
         # theme = {h1}\n\
         #\n\
         # [[wave.pin]]              # quoted first in its theme (still redacted)\n\
         # comment = {c}",
        h0 = quoted(&handle(0)),
        h1 = quoted(&handle(1)),
        c = quoted(&comment),
    );
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
