//! `canvass qda WAVE_DIR -o FILE.qdpx|FILE.qdc`: a wave's (reviewed) themes for qualitative
//! tools (REFI-QDA: NVivo, ATLAS.ti, MAXQDA, QualCoder); `canvass qda import FILE -o OUT`: a
//! `.qdc` back as `[[codebook]]` entries, a `.qdpx`'s codings as a coded sample (`id,theme`).

use super::review::{load_wave, quoted};
use crate::error::{read_file, write_file, Error, Result};
use crate::qda;
use std::path::{Path, PathBuf};

/// `canvass qda`: the command-line arguments (a wave folder and `--output`, or `import FILE`).
#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Args {
    /// `qda import FILE`: read a REFI-QDA file back instead of writing one.
    #[command(subcommand)]
    pub import: Option<Import>,
    /// A wave's folder, as `canvass run` wrote it.
    pub wave_dir: Option<PathBuf>,
    /// The file to write: a project (`.qdpx`: codebook and coded comments) or, ending in
    /// `.qdc`, the codebook alone.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

/// `canvass qda`'s one subcommand.
#[derive(Debug, clap::Subcommand)]
pub enum Import {
    /// Read a REFI-QDA file: a `.qdc` codebook (written as `[[codebook]]` entries) or a `.qdpx`
    /// project's codings (written as `id,theme` rows, a coded sample).
    Import {
        /// The `.qdc` codebook or `.qdpx` project to read.
        file: PathBuf,
        /// Write here instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
}

/// Writes the wave's themes as a REFI-QDA project or codebook (by the output's extension), or with
/// `import`, reads one back as codebook entries or a coded sample. Errors name the file and, for
/// XML, the byte where it is malformed.
pub fn run(args: Args) -> Result<()> {
    if let Some(Import::Import { file, output }) = args.import {
        return import(&file, output.as_deref());
    }
    let (Some(dir), Some(out)) = (args.wave_dir, args.output) else {
        return Err(Error::argument(
            "-o",
            "name a wave folder and the file to write",
        )
        .hint("canvass qda reports/my-survey/wave-1 -o wave-1.qdpx (or wave-1.qdc for the codebook alone)"));
    };
    let (wave, themes) = load_wave(&dir)?;
    let bytes = if has_extension(&out, "qdc") {
        qda::codebook(&themes).into_bytes()
    } else if has_extension(&out, "qdpx") {
        let question = themes_question(&dir).unwrap_or_else(|| "Comments".to_string());
        qda::qdpx(&out, &qda::project(&wave, &question, &themes))?
    } else {
        return Err(Error::argument(
            "-o",
            format!("{} ends in neither .qdpx nor .qdc", out.display()),
        )
        .hint("name the file `….qdpx` for a project or `….qdc` for a codebook"));
    };
    write_file(&out, &bytes)
}

/// The themed question's wording, from the wave's summary data (score.json does not hold it):
/// the first line of summary.md's themes section, if found.
fn themes_question(dir: &Path) -> Option<String> {
    let md = std::fs::read_to_string(dir.join("summary.md")).ok()?;
    let line = md.lines().find(|l| l.starts_with('“'))?;
    let end = line.find("”")?;
    Some(line['“'.len_utf8()..end].to_string())
}

fn has_extension(p: &Path, ext: &str) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case(ext))
}

fn import(file: &Path, output: Option<&Path>) -> Result<()> {
    let bytes = read_file(file)?;
    let text = if has_extension(file, "qdpx") {
        let xml = qda::import::project_xml(file, &bytes)?;
        let parsed = qda::import::parse(file, &xml)?;
        let mut w = csv::Writer::from_writer(Vec::new());
        let rows = parsed.coded(file)?;
        let io = |e: csv::Error| Error::io(file, std::io::Error::other(e));
        w.write_record(["id", "theme"]).map_err(io)?;
        // Theme names come from another tool's project: guarded as every CSV canvass writes.
        use crate::report::tables::csv_text;
        for (id, theme) in rows {
            w.write_record([csv_text(&id), csv_text(&theme)])
                .map_err(io)?;
        }
        w.into_inner()
            .map_err(|e| Error::io(file, std::io::Error::other(e.to_string())))?
    } else {
        let xml = String::from_utf8(bytes).map_err(|_| {
            Error::input(file, "is not UTF-8 text")
                .hint("pass a REFI-QDA codebook (.qdc) or project (.qdpx)")
        })?;
        let parsed = qda::import::parse(file, &xml)?;
        let mut s = format!(
            "# The codes of {} as [[codebook]] entries, written by `canvass qda import`.\n",
            file.display()
        );
        for c in &parsed.codes {
            // canvass writes a code's phrases as its description; other tools' descriptions are
            // prose, so a code without one is matched by its name.
            let phrases: Vec<String> = c
                .description
                .split(';')
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(quoted)
                .collect();
            let phrases = if phrases.is_empty() {
                vec![quoted(&c.name.to_lowercase())]
            } else {
                phrases
            };
            s.push_str(&format!(
                "\n[[codebook]]\ntheme = {}\nphrases = [{}]\n",
                quoted(&c.name),
                phrases.join(", ")
            ));
        }
        s.into_bytes()
    };
    match output {
        Some(p) => write_file(p, &text),
        None => {
            use std::io::Write;
            let _ = std::io::stdout().write_all(&text);
            Ok(())
        }
    }
}
