//! `canvass codebook WAVE_DIR`: a wave's (reviewed) themes as `[[codebook]]` entries in the
//! survey's format, to paste into survey.toml so the next wave is coded with them. Each entry
//! carries the comments reviewers placed in it as `examples` (id and redacted text), for
//! learned coding to train on.

use super::review::{load_wave, members, quoted};
use crate::error::Result;
use crate::qda::phrases;
use crate::themes::ThemeReport;
use std::fmt::Write as _;
use std::path::PathBuf;

/// The most examples written per theme: enough to train on, few enough to read.
const MAX_EXAMPLES: usize = 50;

/// `canvass codebook`: the command-line arguments.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A wave's folder, as `canvass run` wrote it (holds themes.json and manifest.json).
    pub wave_dir: PathBuf,
    /// Write the codebook here instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

/// Writes the wave's themes as `[[codebook]]` entries to `--output` or standard output. Errors name
/// the wave folder's file that is missing or unreadable.
pub fn run(args: Args) -> Result<()> {
    let (wave, themes) = load_wave(&args.wave_dir)?;
    super::print_or_write(args.output.as_deref(), &codebook(&wave, &themes))
}

/// The `[[codebook]]` entries for wave `wave`'s themes, as TOML text with a comment heading each,
/// ready to paste into survey.toml.
pub fn codebook(wave: &str, t: &ThemeReport) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "# The themes of `{wave}` as a codebook, written by `canvass codebook`. Paste into the\n\
         # survey file (replacing its [[codebook]]) to code the next wave with them; check the\n\
         # phrases: a comment is coded to a theme when it contains all the words of a phrase.\n\
         # `examples` are the comments of this wave in the theme (id in comments.csv, redacted)."
    );
    for th in t.themes.iter().filter(|th| th.size > 0) {
        let list: Vec<String> = phrases(th).iter().map(|p| quoted(p)).collect();
        let _ = writeln!(
            s,
            "\n[[codebook]]\ntheme = {}\nphrases = [{}]",
            quoted(&th.label),
            list.join(", ")
        );
        for a in members(t, th.id)
            .filter(|a| a.status.is_theme_member())
            .take(MAX_EXAMPLES)
        {
            let _ = writeln!(
                s,
                "\n[[codebook.examples]]\nid = {}\ntext = {}",
                quoted(&a.respondent),
                quoted(&a.text)
            );
        }
    }
    s
}
