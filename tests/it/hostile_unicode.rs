//! Real exports rewritten so that every header and cell has a multi-byte character where
//! column-kind inference and ingest cut strings: first, second and last character, right
//! before and after separators and digits, and cells of a lone combining mark. `inspect` and
//! `init` must answer (exit 0) or refuse with a message (exit 1), never panic (exit 101): the
//! held-out batch's Qualtrics "Bachelor’s degree" panicked them slicing inside the ’.

use crate::common::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Characters of two, three and four bytes, a combining mark that belongs to no letter, and
/// capitals whose lower case is longer ("İ" 2 → 3 bytes, "Ⱥ" 2 → 3) or shorter ("ẞ" 3 → 2): an
/// index found in the lower-cased text is not one in the original.
const MARKS: [&str; 9] = ["’", "é", "😀", "\u{301}", "中", "ß", "İ", "Ⱥ", "ẞ"];

/// Where a character of `MARKS` goes: the code cuts at these.
const CUT_BEFORE_OR_AFTER: &str = ",;:|/=_-–[](){}.0123456789 ";

/// Real exports of each tool that writes CSV, and the REDCap dictionary that goes with one.
fn fixtures() -> Vec<(PathBuf, Option<PathBuf>)> {
    let at = |p: &str| repo().join("tests/fixtures").join(p);
    vec![
        (
            at("unseen/qualtrics/QualtricsTools_Better_Sample_Survey.csv"),
            None,
        ),
        (
            at("unseen/qualtrics/QualtricsTools_Single_Answer_MC_Questions_Insights.csv"),
            None,
        ),
        (at("exports/qualtrics/qualtRics_sample.csv"), None),
        (
            at("unseen/surveymonkey/blackstone_fake_sm_post_resaved.csv"),
            None,
        ),
        (
            at("unseen/google-forms/AutisticaCitizenScience_Form_Responses_1.csv"),
            None,
        ),
        (
            at("exports/limesurvey/N2_dummy_data_2021_codeonly_v2.csv"),
            None,
        ),
        (
            at("exports/redcap/REDCapR_checkboxes-1_data.csv"),
            Some(at("exports/redcap/REDCapR_checkboxes-1_dictionary.csv")),
        ),
        (
            at("unseen/redcap/REDCapR_blank-for-gray-status_data.csv"),
            Some(at(
                "unseen/redcap/REDCapR_blank-for-gray-status_dictionary.csv",
            )),
        ),
    ]
}

/// The ways a cell is rewritten; `n` picks the character, so each cell gets a different one
/// and the rewrite is the same on every run.
#[derive(Clone, Copy, Debug)]
enum Rewrite {
    First,
    Second,
    Last,
    AfterCuts,
    BeforeCuts,
    /// As `AfterCuts`, numbers too (the others leave numbers, so scales are still found).
    AfterCutsInNumbers,
    /// A lone combining mark in empty cells, a character in the middle of the rest.
    LoneMarkAndMiddle,
}

const REWRITES: [Rewrite; 7] = [
    Rewrite::First,
    Rewrite::Second,
    Rewrite::Last,
    Rewrite::AfterCuts,
    Rewrite::BeforeCuts,
    Rewrite::AfterCutsInNumbers,
    Rewrite::LoneMarkAndMiddle,
];

fn rewrite(s: &str, how: Rewrite, n: usize) -> String {
    let mark = |k: usize| MARKS[(n + k) % MARKS.len()];
    let number = s.trim().parse::<f64>().is_ok();
    // Qualtrics' ImportId row names its layout: kept, so the Qualtrics reader still runs.
    let layout_row = s.starts_with('{');
    if layout_row || (number && !matches!(how, Rewrite::AfterCutsInNumbers)) {
        return s.to_string();
    }
    if s.is_empty() {
        return match how {
            Rewrite::LoneMarkAndMiddle => "\u{301}".to_string(),
            _ => String::new(),
        };
    }
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let cut = CUT_BEFORE_OR_AFTER.contains(c);
        match how {
            Rewrite::First if i == 0 => out.push_str(mark(i)),
            Rewrite::Second if i == 1 => out.push_str(mark(i)),
            Rewrite::BeforeCuts if cut => out.push_str(mark(i)),
            Rewrite::LoneMarkAndMiddle if i == chars.len() / 2 => out.push_str(mark(i)),
            _ => {}
        }
        out.push(c);
        if cut && matches!(how, Rewrite::AfterCuts | Rewrite::AfterCutsInNumbers) {
            out.push_str(mark(i));
        }
    }
    if matches!(how, Rewrite::Last | Rewrite::Second) && chars.len() < 2 {
        out.push_str(mark(0));
    } else if matches!(how, Rewrite::Last) {
        out.push_str(mark(1));
    }
    out
}

/// `from` rewritten into `dir` under its own name. A REDCap dictionary keeps its header and
/// field types, which the reader needs to know it is one; its labels and choices are rewritten.
fn rewritten(from: &Path, dir: &Path, how: Rewrite, dictionary: bool) -> PathBuf {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_path(from)
        .expect("the fixture reads");
    let to = dir.join(from.file_name().expect("a file name"));
    let mut writer = csv::WriterBuilder::new()
        .flexible(true)
        .from_path(&to)
        .expect("the rewrite writes");
    for (r, record) in reader.records().enumerate() {
        let record = record.expect("the fixture is CSV");
        let cells: Vec<String> = record
            .iter()
            .enumerate()
            .map(|(c, cell)| {
                let kept = dictionary && (r == 0 || c == 3);
                // A field's name is rewritten alike in the data's header and the dictionary,
                // so the two still match.
                let name = if dictionary { c == 0 } else { r == 0 };
                if kept {
                    cell.to_string()
                } else {
                    rewrite(cell, how, if name { 0 } else { r * 31 + c })
                }
            })
            .collect();
        writer.write_record(&cells).expect("the rewrite writes");
    }
    writer.flush().expect("the rewrite writes");
    to
}

/// What a run that neither answered (exit 0) nor refused with a message (exit 1) printed.
fn failure(what: &str, how: Rewrite, o: &Output) -> Option<String> {
    let code = o.status.code();
    let answered = code == Some(0);
    let refused = code == Some(1) && !stderr(o).trim().is_empty();
    (!(answered || refused)).then(|| format!("{what} ({how:?}): exit {code:?}\n{}", stderr(o)))
}

/// `inspect --json` and `init` of the export, and, when `run`, the project `init --out` drafts
/// run from end to end: each that panicked or failed without a message. `ran` counts the runs
/// that answered, so that the test knows the rewrites still leave something to analyse.
fn failures(
    export: &Path,
    dictionary: Option<&Path>,
    how: Rewrite,
    run: bool,
    ran: &mut usize,
) -> Vec<String> {
    let dir = export.parent().expect("the export is in a directory");
    let canvass_in_dir = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_canvass"))
            .current_dir(dir)
            .args(args)
            .output()
            .expect("the canvass binary runs")
    };
    let export = export.to_str().expect("a UTF-8 path");
    let dictionary = dictionary.map(|d| d.to_str().expect("a UTF-8 path"));
    let about_export = |command: &[&'static str]| -> Vec<&str> {
        let mut args = command.to_vec();
        args.insert(1, export);
        if let Some(d) = dictionary {
            args.extend(["--dictionary", d]);
        }
        args
    };
    let mut steps = vec![
        about_export(&["inspect", "--json"]),
        about_export(&["init"]),
    ];
    if run {
        steps.push(about_export(&["init", "--out", "drafted"]));
        steps.push(vec![
            "run",
            "pipelines/drafted.toml",
            "--quiet",
            "--keep-tests",
        ]);
    }
    let mut found = Vec::new();
    for args in steps {
        let o = canvass_in_dir(&args);
        *ran += usize::from(args[0] == "run" && o.status.success());
        found.extend(failure(&format!("{} {export}", args.join(" ")), how, &o));
    }
    found
}

#[test]
fn multi_byte_characters_where_strings_are_cut_never_panic_inspect_init_or_run() {
    let (mut found, mut ran) = (Vec::new(), 0);
    for how in REWRITES {
        for (export, dictionary) in fixtures() {
            let dir = tempfile::tempdir().expect("a scratch directory");
            let data = rewritten(&export, dir.path(), how, false);
            let dictionary = dictionary.map(|d| rewritten(&d, dir.path(), how, true));
            // A whole run costs more: two rewrites (a character beside each letter, and
            // beside each separator and digit, numbers included) go on to `run`.
            let run = matches!(how, Rewrite::Second | Rewrite::AfterCutsInNumbers);
            found.extend(failures(&data, dictionary.as_deref(), how, run, &mut ran));
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
    assert!(
        ran >= fixtures().len(),
        "only {ran} runs of rewritten exports answered"
    );
}

#[test]
fn every_rewrite_puts_a_multi_byte_character_in_a_cell() {
    for how in REWRITES {
        for cell in ["Bachelor’s degree", "Yes, often (1-2)", "Q1_2"] {
            let out = rewrite(cell, how, 0);
            assert!(
                out.len() > out.chars().count(),
                "{how:?} left {cell:?} ASCII"
            );
        }
    }
}
