//! `canvass init`: a commented draft survey.toml that runs unedited.

use crate::clean::CleanStream;
use crate::config::survey::{Item, ResponseScale, Segment, Survey, TextQuestion};
use crate::config::ChoiceKind;
use crate::error::{Error, Result};
use crate::infer::{self, Draft};
use crate::ingest::{read_export, Pseudonyms, ReadOptions};
use std::fmt::Write;
use std::path::{Path, PathBuf};

/// Prints a draft survey.toml for `export` titled `title` on standard output. Errors name the
/// export.
pub fn run(export: &Path, read: &ReadOptions, title: &str) -> Result<()> {
    print!("{}", draft_text(export, read, title)?);
    Ok(())
}

/// Writes a runnable project for `export`: `dir`/survey.toml (the draft) and a one-wave
/// pipeline (`pipeline`, by default pipelines/<dir's name>.toml) whose paths are relative to
/// it, reports going to reports/<dir's name> beside the pipelines folder. Refuses to overwrite
/// either file.
pub fn write_project(
    export: &Path,
    read: &ReadOptions,
    title: &str,
    dir: &Path,
    pipeline: Option<PathBuf>,
) -> Result<()> {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .filter(|n| crate::config::pipeline::is_folder_name(n))
        .ok_or_else(|| {
            Error::input(dir, "cannot name a project after this folder")
                .hint("give --out a folder whose name has only letters, digits, - and _ (surveys/my-survey)")
        })?;
    let pipeline = pipeline.unwrap_or_else(|| Path::new("pipelines").join(format!("{name}.toml")));
    let survey = dir.join("survey.toml");
    for file in [&survey, &pipeline] {
        if file.exists() {
            return Err(
                Error::input(file, "already exists; init does not overwrite it")
                    .hint("remove it, or give another --out (and --pipeline)"),
            );
        }
    }
    let text = draft_text(export, read, title)?;
    let base = pipeline.parent().unwrap_or(Path::new("."));
    let quoted = |p: &Path| toml::Value::String(crate::runner::relative(p, base)).to_string();
    let mut wave = format!(
        "[[waves]]\nname = \"wave-1\"\nexport = {}\n",
        quoted(export)
    );
    if let Some(sheet) = &read.sheet {
        wave.push_str(&format!("sheet = {}\n", toml::Value::String(sheet.clone())));
    }
    if let Some(d) = &read.dictionary {
        wave.push_str(&format!("dictionary = {}\n", quoted(d)));
    }
    let reports = base.join("..").join("reports").join(&name);
    let pipeline_text = format!(
        "# Written by `canvass init --out`: one wave, this export. Add a [[waves]] block for each\n# later export; `canvass run {}` runs them all.\nname = {}\nsurvey = {}\noutput = {}\n\n{wave}",
        pipeline.display(),
        toml::Value::String(name.clone()),
        quoted(&survey),
        quoted(&reports),
    );
    for (file, body) in [(&survey, &text), (&pipeline, &pipeline_text)] {
        if let Some(parent) = file.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        std::fs::write(file, body).map_err(|e| Error::io(file, e))?;
    }
    let ignore = ignore_secrets(base)?;
    eprintln!(
        "wrote {} and {}{}; run it with: canvass run {}",
        survey.display(),
        pipeline.display(),
        ignore.map_or(String::new(), |f| format!(
            " (and {}, which keeps the project's secret out of git)",
            f.display()
        )),
        pipeline.display()
    );
    Ok(())
}

/// The first `run` writes the project's secret beside the pipeline (`<name>.secret`), and a
/// secret committed with the reports lets anyone trace the ids: a `.gitignore` for it in the
/// pipelines folder, when that folder has none (an existing one is the user's, left alone).
fn ignore_secrets(base: &Path) -> Result<Option<PathBuf>> {
    let file = base.join(".gitignore");
    if file.exists() {
        return Ok(None);
    }
    let text = "# The project's secret keys the respondent ids the reports publish: never commit it.\n*.secret\n";
    std::fs::write(&file, text).map_err(|e| Error::io(&file, e))?;
    Ok(Some(file))
}

/// The draft survey.toml for `export`, with the notes a user must read first.
fn draft_text(export: &Path, read: &ReadOptions, title: &str) -> Result<String> {
    let raw = read_export(export, read)?;
    let draft = infer::draft::draft(&raw, title);
    // Keeping tests is the user's act: a draft that kept a pilot's previews would keep the real
    // export's previews too. The draft says so instead, and `run` stops with the counts.
    let tests_only = only_tests(export, read, &draft.survey)?;
    let file = export
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut text = render(&draft, &file, raw.source.format.name(), raw.rows.len())
        .map_err(|e| Error::input(export, format!("cannot write a draft survey: {e}")))?;
    if tests_only {
        eprintln!(
            "note: {}: the survey tool marks all {} responses as tests or previews; `run` leaves them out and stops. To analyse them, uncomment the two lines `[clean]` and `keep_test_responses = true` at the end of the draft (or pass --keep-tests to run)",
            export.display(),
            raw.rows.len()
        );
        text = with_note_above_title(
            &text,
            "the survey tool marks every response of this export as a test or preview, which\n# canvass leaves out, so `run` stops with nothing left. To analyse a pilot's previews, uncomment\n# the two lines `[clean]` and `keep_test_responses = true` at the end of this file; never for the\n# real responses",
        );
        text.push_str("\n# Uncomment to analyse the previews and tests (see the note at the top):\n# [clean]\n# keep_test_responses = true\n");
    }
    let notes = [
        crate::ingest::repeated_names_note(&raw.columns),
        crate::ingest::redcap::without_dictionary_note(&raw, read),
        crate::ingest::missing_note(&raw.source),
    ];
    for note in notes.into_iter().flatten() {
        eprintln!("note: {}: {note}", export.display());
        text = with_note_above_title(&text, &note);
    }
    Ok(text)
}

/// The draft with `note` as a comment above its `title` line (where its header ends).
fn with_note_above_title(text: &str, note: &str) -> String {
    match text.find("\ntitle = ") {
        Some(at) => format!("{}\n# Note: {note}.{}", &text[..at], &text[at..]),
        None => text.to_string(),
    }
}

/// Whether the survey tool marks every response of the export as a test or preview (a pilot's
/// export): the draft then says how to keep them, and never keeps them itself.
fn only_tests(export: &Path, read: &ReadOptions, survey: &Survey) -> Result<bool> {
    let (_, mut stream) =
        CleanStream::for_survey(export, read, survey, &Pseudonyms::standalone(export))?;
    stream.screen_all(|| (), |_, _| Ok(()), |_| Ok(()))?;
    let a = stream.finish()?.accounting;
    Ok(a.kept == 0 && a.read > 0 && a.excluded.keys().all(|r| r.is_tool_test()))
}

/// The draft as TOML, every block introduced by what it means and what to check.
pub fn render(
    draft: &Draft,
    file: &str,
    format: &str,
    rows: usize,
) -> std::result::Result<String, std::fmt::Error> {
    let s = &draft.survey;
    let mut out = String::new();
    header(&mut out, s, file, format, rows)?;
    scales_and_items(&mut out, s)?;
    matrix_scales(&mut out, draft)?;
    segments(&mut out, s)?;
    choices(&mut out, s)?;
    numbers(&mut out, s)?;
    rankings(&mut out, s)?;
    open_questions(&mut out, s)?;
    left_out(&mut out, draft)?;
    Ok(out)
}

/// A title from the export's file name as the tools write it: Google Forms' "Staff survey
/// (Responses) - Form responses 1.csv", Qualtrics' "Staff survey_6 December 2026_10.15.csv",
/// Microsoft Forms' "Staff survey(1-66).xlsx" all give "Staff survey".
pub fn title_from_file(export: &Path) -> String {
    let stem = export
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut title = stem.as_str();
    for cut in [" (Responses)", "_"] {
        // Qualtrics adds "_<date>_<time>": only a cut whose rest holds a digit.
        if let Some((before, after)) = title.split_once(cut) {
            if cut != "_" || after.chars().any(|c| c.is_ascii_digit()) && before.contains(' ') {
                title = before;
            }
        }
    }
    if let Some(open) = title.rfind('(') {
        let range = &title[open + 1..];
        if range.ends_with(')')
            && range[..range.len() - 1]
                .split('-')
                .all(|p| p.parse::<u32>().is_ok())
        {
            title = &title[..open];
        }
    }
    let title = title.trim();
    let title = if title.contains(' ') {
        title.to_string()
    } else {
        title.replace(['_', '-'], " ")
    };
    if title.trim().is_empty() {
        "Untitled survey".into()
    } else {
        title.trim().to_string()
    }
}

/// Where the draft came from, what to check, the title and the respondent key to fill in.
fn header(out: &mut String, s: &Survey, file: &str, format: &str, rows: usize) -> std::fmt::Result {
    writeln!(
        out,
        "# Draft survey definition, inferred by canvass {} from {file}",
        env!("CARGO_PKG_VERSION")
    )?;
    writeln!(out, "# ({format} export, {rows} data rows). It runs as it is; read it through before you report:")?;
    writeln!(out, "# check the `title` (the survey's name in every report, from the file's name: `init --title`),")?;
    writeln!(
        out,
        "# each item's scale and `statement` (the words after \"N per cent said\"), the segments,"
    )?;
    writeln!(out, "# and the columns left out at the end. `canvass inspect` shows each column's kind and why.")?;
    writeln!(out)?;
    writeln!(out, "title = {}", quote(&s.title))?;
    writeln!(out, "language = {}", quote(&s.language))?;
    writeln!(out)?;
    writeln!(
        out,
        "# Duplicates are found by the tool's response id, where it has one. Waves are paired (the same"
    )?;
    writeln!(
        out,
        "# person's answers compared) only on a column each person keeps across waves: their e-mail,"
    )?;
    writeln!(
        out,
        "# staff id or panel id. Never the tool's response id or a row number: those are numbered"
    )?;
    writeln!(
        out,
        "# afresh in every export, so they would pair strangers. The value is hashed with the project's"
    )?;
    writeln!(
        out,
        "# secret at ingest and never stored. Without a key, each wave is analysed as its own sample."
    )?;
    writeln!(out, "# [respondent]")?;
    writeln!(out, "# key = \"<that column>\"")?;
    writeln!(out)?;
    Ok(())
}

fn scales_and_items(out: &mut String, s: &Survey) -> std::fmt::Result {
    if !s.response_scales.is_empty() {
        writeln!(out, "# Response scales: each Likert item's options, lowest first, as the export spells them.")?;
        writeln!(out, "# `agree_top` options count as agreeing; `non_substantive` answers (don't know, does not")?;
        writeln!(out, "# apply) are counted but never scored.")?;
        for scale in &s.response_scales {
            response_scale(out, scale)?;
        }
        writeln!(out)?;
    }
    if s.items.is_empty() {
        writeln!(
            out,
            "# No column was recognised as a Likert item: add [[items]] blocks by hand (see the"
        )?;
        writeln!(out, "# annotated surveys/aspire-pilot/survey.toml), or leave the survey to its open questions.")?;
    } else {
        writeln!(
            out,
            "# Likert items. Mark the ones the summary should lead with `headline = true`."
        )?;
        for item in &s.items {
            item_block(out, item)?;
        }
    }
    writeln!(out)?;
    Ok(())
}

/// Matrix rows on one scale, offered (commented out) as a scale.
fn matrix_scales(out: &mut String, draft: &Draft) -> std::fmt::Result {
    if !draft.matrix_scales.is_empty() {
        writeln!(
            out,
            "# Matrix rows on one scale. If they measure one construct, uncomment to score it as a"
        )?;
        writeln!(out, "# scale (a trailing `-` marks a reverse-keyed item):")?;
        for (matrix, ids) in &draft.matrix_scales {
            writeln!(out, "# [[scales]]")?;
            writeln!(out, "# name = {}", quote(matrix))?;
            writeln!(out, "# items = {}", list(ids))?;
        }
        writeln!(out)?;
    }
    Ok(())
}

fn segments(out: &mut String, s: &Survey) -> std::fmt::Result {
    if s.segments.is_empty() {
        writeln!(out, "# No segment drafted: no single-choice question has a few groups that are mostly large")?;
        writeln!(out, "# enough to report. Add [[segments]] blocks (name = the column) to break results down.")?;
    } else {
        writeln!(out, "# Segments: results are broken down by each; groups under 10 respondents are suppressed.")?;
        for segment in &s.segments {
            segment_block(out, segment)?;
        }
    }
    writeln!(out)?;
    Ok(())
}

fn choices(out: &mut String, s: &Survey) -> std::fmt::Result {
    if s.choices.is_empty() {
        return Ok(());
    }
    writeln!(out, "# Choice and check-all questions: each option's share of those who answered. List `options`")?;
    writeln!(out, "# in the order the questionnaire showed them (otherwise most chosen first, \"Other\" last);")?;
    writeln!(
        out,
        "# `nets = {{ \"Any leader\" = [\"Headteacher\", \"Deputy\"] }}` adds combined rows."
    )?;
    for c in &s.choices {
        writeln!(out, "[[choices]]")?;
        writeln!(out, "id = {}", quote(&c.id))?;
        writeln!(out, "text = {}", quote(&c.text))?;
        if c.kind == ChoiceKind::MultiSelect {
            writeln!(out, "kind = \"multi-select\"")?;
        }
        if let Some(column) = &c.column {
            writeln!(out, "column = {}", quote(column))?;
        }
        if !c.columns.is_empty() {
            writeln!(out, "columns = {}", list(&c.columns))?;
            writeln!(out, "options = {}", list(&c.options))?;
        }
        writeln!(out)?;
    }
    Ok(())
}

fn numbers(out: &mut String, s: &Survey) -> std::fmt::Result {
    if s.numbers.is_empty() {
        return Ok(());
    }
    writeln!(
        out,
        "# Questions answered with a number: mean, quartiles and a histogram."
    )?;
    for n in &s.numbers {
        writeln!(out, "[[numbers]]")?;
        writeln!(out, "id = {}", quote(&n.id))?;
        writeln!(out, "text = {}", quote(&n.text))?;
        writeln!(out, "column = {}", quote(n.column()))?;
        if n.decimal_comma {
            writeln!(out, "# The answers write decimals with a comma (\"1,5\").")?;
            writeln!(out, "decimal_comma = true")?;
        }
        writeln!(out)?;
    }
    Ok(())
}

fn rankings(out: &mut String, s: &Survey) -> std::fmt::Result {
    if s.rankings.is_empty() {
        return Ok(());
    }
    writeln!(
        out,
        "# Ranking questions (a column per ranked thing, holding its position): mean rank and % ranked first."
    )?;
    for r in &s.rankings {
        writeln!(out, "[[rankings]]")?;
        writeln!(out, "id = {}", quote(&r.id))?;
        writeln!(out, "text = {}", quote(&r.text))?;
        writeln!(out, "columns = {}", list(&r.columns))?;
        if !r.options.is_empty() {
            writeln!(out, "options = {}", list(&r.options))?;
        }
        writeln!(out)?;
    }
    Ok(())
}

fn open_questions(out: &mut String, s: &Survey) -> std::fmt::Result {
    if s.text.is_empty() {
        return Ok(());
    }
    writeln!(
        out,
        "# Open questions: each one's comments are redacted and grouped into themes of its own."
    )?;
    if s.text.len() > 1 {
        writeln!(out, "# The first (the one with the most different answers) also takes the survey's codebook,")?;
        writeln!(out, "# a coded sample (`coded`) and the reviewers' edits.")?;
    }
    for t in &s.text {
        text_block(out, t)?;
    }
    writeln!(out)
}

fn left_out(out: &mut String, draft: &Draft) -> std::fmt::Result {
    if !draft.left_out.is_empty() {
        writeln!(out, "# Columns left out, and why:")?;
        for l in &draft.left_out {
            writeln!(
                out,
                "#   {} ({}): {}",
                shorten(&one_line(&l.column), 80),
                l.kind.name(),
                l.why
            )?;
        }
    }
    Ok(())
}

fn response_scale(out: &mut String, scale: &ResponseScale) -> std::fmt::Result {
    writeln!(out, "[[response_scales]]")?;
    writeln!(out, "name = {}", quote(&scale.name))?;
    writeln!(out, "labels = {}", list(&scale.labels))?;
    if !scale.codes.is_empty() {
        let codes: Vec<String> = scale.codes.iter().map(|c| c.to_string()).collect();
        writeln!(out, "codes = [{}]", codes.join(", "))?;
    }
    writeln!(out, "agree_top = {}", scale.agree_top)?;
    writeln!(out, "non_substantive = {}", list(&scale.non_substantive))?;
    writeln!(out)
}

fn item_block(out: &mut String, item: &Item) -> std::fmt::Result {
    writeln!(out, "[[items]]")?;
    writeln!(out, "id = {}", quote(&item.id))?;
    if item.option_columns.is_empty() {
        writeln!(out, "column = {}", quote(item.column()))?;
    } else {
        writeln!(out, "option_columns = {}", list(&item.option_columns))?;
    }
    writeln!(out, "text = {}", quote(&item.text))?;
    if let Some(statement) = &item.statement {
        writeln!(out, "statement = {}", quote(statement))?;
    }
    writeln!(out, "scale = {}", quote(&item.scale))?;
    writeln!(out)
}

fn segment_block(out: &mut String, segment: &Segment) -> std::fmt::Result {
    writeln!(out, "[[segments]]")?;
    writeln!(out, "name = {}", quote(&segment.name))?;
    if let Some(column) = &segment.column {
        writeln!(out, "column = {}", quote(column))?;
    }
    writeln!(out)
}

fn text_block(out: &mut String, t: &TextQuestion) -> std::fmt::Result {
    writeln!(out, "[[text]]")?;
    writeln!(out, "id = {}", quote(&t.id))?;
    writeln!(out, "column = {}", quote(t.column()))?;
    writeln!(out, "text = {}", quote(&t.text))?;
    if let Some(choice) = &t.other_of {
        writeln!(out, "other_of = {}", quote(choice))?;
    }
    writeln!(out)
}

/// A TOML string, escaped by the toml crate.
fn quote(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn list(values: &[String]) -> String {
    let quoted: Vec<String> = values.iter().map(|v| quote(v)).collect();
    format!("[{}]", quoted.join(", "))
}

/// At most `max` characters, marked "…" when cut.
fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(max - 1).collect::<String>())
    }
}

/// A column name inside a comment: one line.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_from_the_tools_file_names() {
        for (file, title) in [
            (
                "Staff survey (Responses) - Form responses 1.csv",
                "Staff survey",
            ),
            ("Staff survey_December 6, 2026_10.15.csv", "Staff survey"),
            ("Staff survey(1-66).xlsx", "Staff survey"),
            ("kobo-transfer_Kobo_Test.csv", "kobo transfer Kobo Test"),
            ("export.csv", "export"),
        ] {
            assert_eq!(title_from_file(Path::new(file)), title, "{file}");
        }
    }
}
