//! Degenerate data tells the truth. The shipped example and variants of its first wave built
//! here (a tiny export with 3 comments, an item nobody answered, every row a test response) run
//! through the binary, and their summaries are checked against the tables written with them and
//! against wording that misreports: "–" standing for a number, "among .", "1 themes".
//!
//! The example passes every check before and after the change (it guards against regressions);
//! each check also runs on a variant that the code before the change (commit 8c32000) got
//! wrong, so each fails there, as was verified by running this file against that code: a wave
//! with no kept response exited 0 with "Of the 0 respondents who answered, – per cent said …";
//! an unanswered item's row read "| 0 | – | ––– | – |"; 3 comments read "0 themes, chosen by
//! silhouette among ." or were clustered into "2 themes, chosen by silhouette among 2" with a
//! "1 comments" theme; 1 comment read "1 respondents wrote a comment"; k = 100000 read
//! "33 themes, as configured"; `keep_test_responses` was an unknown key and `--keep-tests` an
//! unknown flag.

use crate::common::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

/// The example's first wave: 3 header rows, then the 72 responses (example_pipeline.rs:
/// `accounting.read` is 72).
fn wave_one() -> Vec<Vec<String>> {
    let path = repo().join("surveys/aspire-pilot/exports/wave-1.csv");
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(path)
        .unwrap();
    r.records()
        .map(|rec| rec.unwrap().iter().map(String::from).collect())
        .collect()
}

const HEADER_ROWS: usize = 3;

fn column(records: &[Vec<String>], name: &str) -> usize {
    records[0].iter().position(|c| c == name).unwrap()
}

fn survey_path() -> PathBuf {
    repo().join("surveys/aspire-pilot/survey.toml")
}

/// The example survey without its coded sample (written into `dir`): these cases are about
/// clustering, which learned coding would otherwise leave with little or nothing to group.
fn plain_survey(dir: &Path) -> PathBuf {
    let text = read(&survey_path());
    let plain: String = text
        .lines()
        .filter(|l| !l.starts_with("coded = ") && !l.starts_with("review_below = "))
        .map(|l| format!("{l}\n"))
        .collect();
    assert!(
        plain.len() < text.len(),
        "the example survey names its coded sample"
    );
    let path = dir.join("plain-survey.toml");
    std::fs::write(&path, plain).unwrap();
    path
}

/// Writes `records` as an export and a one-wave pipeline over `survey`; returns the pipeline.
fn one_wave(dir: &Path, records: &[Vec<String>], survey: &Path, k: &str) -> PathBuf {
    let export = dir.join("export.csv");
    let mut w = csv::Writer::from_path(&export).unwrap();
    for r in records {
        w.write_record(r).unwrap();
    }
    w.flush().unwrap();
    let pipeline = dir.join("pipeline.toml");
    let text = format!(
        "name = \"variant\"\nsurvey = {survey:?}\noutput = \"out\"\n\n[themes]\nk = {k}\n\n\
         [[waves]]\nname = \"wave-1\"\nexport = \"export.csv\"\n",
        survey = survey.display().to_string()
    );
    std::fs::write(&pipeline, text).unwrap();
    pipeline
}

/// A copy of the example pipeline with its `[themes] k` replaced, writing into `dir/out`.
fn example_with_k(dir: &Path, k: &str) -> PathBuf {
    let pipeline = example_pipeline(dir);
    let survey = survey_path().display().to_string();
    let text = std::fs::read_to_string(&pipeline)
        .unwrap()
        .replace(&survey, &plain_survey(dir).display().to_string());
    assert!(
        text.contains("\nk = 5\n"),
        "the example's k is where it was"
    );
    std::fs::write(
        &pipeline,
        text.replace("\nk = 5\n", &format!("\nk = {k}\n")),
    )
    .unwrap();
    pipeline
}

fn run(pipeline: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["run", pipeline.to_str().unwrap()];
    args.extend(extra);
    canvass(&args)
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&read(path)).unwrap()
}

// ---------------------------------------------------------------------------------------------
// The checks, each on one wave's output folder.

/// An item's row in items.csv.
struct ItemRow {
    n: u64,
    pct_agree: Option<f64>,
    ci: Option<(f64, f64)>,
}

fn items_csv(wave: &Path) -> BTreeMap<String, ItemRow> {
    let (h, rows) = read_csv(&wave.join("items.csv"));
    let col = |name: &str| h.iter().position(|c| c == name).unwrap();
    let number = |s: &str| (!s.is_empty()).then(|| s.parse::<f64>().unwrap());
    rows.iter()
        .map(|r| {
            let pct_agree = number(&r[col("pct_agree")]);
            let ci = number(&r[col("ci_low")]).zip(number(&r[col("ci_high")]));
            let n = r[col("n")].parse().unwrap();
            (r[col("id")].clone(), ItemRow { n, pct_agree, ci })
        })
        .collect()
}

/// Statement → item id, from score.json (items.csv has no statements).
fn statements(wave: &Path) -> BTreeMap<String, String> {
    json(&wave.join("score.json"))["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            let s = |k: &str| i[k].as_str().unwrap().to_string();
            (s("statement"), s("id"))
        })
        .collect()
}

/// A percentage in a sentence, rounded as the summary promises: whole numbers, never 100
/// unless everyone agreed and never 0 unless no one did.
fn in_words(pct: f64) -> String {
    match pct.round() {
        r if r >= 100.0 && pct < 100.0 => "99".into(),
        r if r <= 0.0 && pct > 0.0 => "less than 1".into(),
        r => format!("{r:.0}"),
    }
}

/// Every percentage in summary.md equals its item's row in items.csv: the items table (one
/// decimal and the Wilson interval), the headline sentences ("Of the N respondents who
/// answered, P per cent said …") and the change sentences (against `previous` wave's items.csv
/// too). Where items.csv has no figure (n = 0) the summary must say "no answers".
fn percentages_match_items_csv(wave: &Path, previous: Option<&Path>) {
    let md = read(&wave.join("summary.md"));
    let items = items_csv(wave);
    let ids = statements(wave);
    let mut table_rows = 0;
    for line in md
        .lines()
        .filter(|l| l.starts_with("| ") && l.contains("(`"))
    {
        let id = line.split("(`").nth(1).unwrap().split("`)").next().unwrap();
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        // The number questions' table (`hours`) has rows of its own, checked elsewhere.
        let Some(item) = items.get(id) else {
            continue;
        };
        assert_eq!(cells[2], item.n.to_string(), "{id}: n\n{line}");
        match (item.pct_agree, item.ci) {
            // Fewer than the suppression threshold (10): a count, never a percentage.
            (Some(p), Some(_)) if item.n < 10 => {
                let agreeing = (p / 100.0 * item.n as f64).round();
                assert_eq!(
                    cells[3],
                    format!("{agreeing} of {}", item.n),
                    "{id}\n{line}"
                );
                assert_eq!(cells[4], "", "{id}: no interval\n{line}");
            }
            (Some(p), Some((lo, hi))) => {
                assert_eq!(cells[3], format!("{p:.1}"), "{id}: % agree\n{line}");
                assert_eq!(cells[4], format!("{lo:.1}–{hi:.1}"), "{id}: CI\n{line}");
            }
            _ => assert_eq!(cells[3], "no answers", "{id}: n = {}\n{line}", item.n),
        }
        table_rows += 1;
    }
    assert_eq!(
        table_rows,
        items.len(),
        "every item has its row in the table"
    );

    let mut headline_items = 0;
    for line in md.lines() {
        let headline = line.strip_prefix("Of the ");
        if let Some(rest) = headline.filter(|r| r.contains(" who answered, ")) {
            let (n, body) = rest.split_once(" who answered, ").unwrap();
            let n = n.split(' ').next().unwrap();
            // "A; B; and C", or "A and B" for two clauses (B starts with its percentage).
            let mut clauses = Vec::new();
            for part in body.trim_end_matches('.').split("; ") {
                let part = part.trim_start_matches("and ");
                match part
                    .match_indices(" and ")
                    .find(|(at, _)| starts_with_percentage(&part[at + 5..]))
                {
                    Some((at, _)) => clauses.extend([&part[..at], &part[at + 5..]]),
                    None => clauses.push(part),
                }
            }
            for clause in clauses {
                let (pct, statement) = clause
                    .split_once(" per cent said ")
                    .unwrap_or_else(|| panic!("not a percentage: `{clause}`\n{line}"));
                let item = &items[&ids[statement]];
                assert_eq!(n, item.n.to_string(), "{statement}: n\n{line}");
                let expected = item.pct_agree.map(in_words);
                assert_eq!(Some(pct.to_string()), expected, "{statement}\n{line}");
                headline_items += 1;
            }
        } else if let Some(rest) = line.strip_prefix("Only ") {
            let (n, rest) = rest.split_once(" respondents answered whether ").unwrap();
            let (statement, _) = rest.split_once(", too few for a percentage").unwrap();
            assert_eq!(items[&ids[statement]].n.to_string(), n, "{line}");
            headline_items += 1;
        } else if let Some(rest) = line.strip_prefix("There were no answers on whether ") {
            for statement in rest.trim_end_matches('.').split(" or whether ") {
                assert_eq!(items[&ids[statement]].n, 0, "{statement}\n{line}");
                headline_items += 1;
            }
        }
    }
    // survey.toml marks three items `headline = true`: supported, prioritise, new_approaches.
    assert_eq!(
        headline_items, 3,
        "every headline item is in a sentence\n{md}"
    );

    if let Some(previous) = previous {
        let before = items_csv(previous);
        for line in md
            .lines()
            .filter(|l| l.starts_with("The share agreeing that "))
        {
            let rest = &line["The share agreeing that ".len()..];
            let (statement, figures) = rest
                .split_once(" rose from ")
                .or_else(|| rest.split_once(" fell from "))
                .unwrap();
            let (from, to) = figures
                .split_once(" per cent")
                .unwrap()
                .0
                .split_once(" to ")
                .unwrap();
            let id = &ids[statement];
            let whole = |p: Option<f64>| format!("{:.0}", p.unwrap());
            assert_eq!(from, whole(before[id].pct_agree), "{line}");
            assert_eq!(to, whole(items[id].pct_agree), "{line}");
        }
    }
}

/// The text of every paragraph and table cell of summary.html, tags removed.
fn html_text(wave: &Path) -> Vec<String> {
    let html = read(&wave.join("summary.html"));
    let mut out = Vec::new();
    for (open, close) in [("<p", "</p>"), ("<td", "</td>"), ("<h3", "</h3>")] {
        for piece in html.split(open).skip(1) {
            let Some((inner, _)) = piece.split_once(close) else {
                continue;
            };
            let inner = inner.split_once('>').map_or("", |(_, text)| text);
            let mut text = String::new();
            let mut in_tag = false;
            for c in inner.chars() {
                match c {
                    '<' => in_tag = true,
                    '>' => in_tag = false,
                    c if !in_tag => text.push(c),
                    _ => {}
                }
            }
            out.push(text);
        }
    }
    out
}

/// No sentence or cell of summary.md and summary.html says what is not so: "–" where a number
/// belongs (an en dash is only allowed between two figures, as in "94.5–100.0"), "among ." or
/// "among ," for a list of candidates, or a plural after 1 ("1 themes", "1 comments",
/// "1 respondents"…). Respondents' own words (quotes) are not checked.
fn wording_tells_the_truth(wave: &Path) {
    let md = read(&wave.join("summary.md"));
    let texts = md
        .lines()
        .filter(|l| !l.starts_with("> "))
        .map(String::from)
        .chain(html_text(wave));
    for text in texts {
        let chars: Vec<char> = text.chars().collect();
        for (i, &c) in chars.iter().enumerate() {
            if c == '–' {
                let digit = |j: Option<&char>| j.is_some_and(char::is_ascii_digit);
                assert!(
                    i > 0 && digit(chars.get(i - 1)) && digit(chars.get(i + 1)),
                    "`–` stands for a number in {}:\n{text}",
                    wave.display()
                );
            }
        }
        for wrong in ["among .", "among ,", "among ;"] {
            assert!(!text.contains(wrong), "`{wrong}` in:\n{text}");
        }
        for noun in [
            "themes",
            "comments",
            "respondents",
            "responses",
            "rows",
            "groups",
            "changes",
        ] {
            let one = format!("1 {noun}");
            for (at, _) in text.match_indices(&one) {
                // "11 comments" and "21 themes" are fine: only a lone 1 is singular.
                let before = text[..at].chars().next_back();
                assert!(
                    before.is_some_and(|b| b.is_ascii_digit()),
                    "`{one}` in {}:\n{text}",
                    wave.display()
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The example and the variants.

#[test]
fn the_example_tells_the_truth() {
    let dir = tempfile::tempdir().unwrap();
    let o = run(&example_pipeline(dir.path()), &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = dir.path().join("out");
    percentages_match_items_csv(&out.join("wave-1"), None);
    percentages_match_items_csv(&out.join("wave-2"), Some(&out.join("wave-1")));
    wording_tells_the_truth(&out.join("wave-1"));
    wording_tells_the_truth(&out.join("wave-2"));
}

/// Q1_1 (item `supported`, a headline item) answered by only 3 respondents, fewer than the
/// suppression threshold (10): the summary gives a count ("3 of the 3"), never a percentage of
/// three, in the headlines or the items table.
#[test]
fn an_item_three_answered_is_a_count_never_a_headline_percentage() {
    let mut records = wave_one();
    let q = column(&records, "Q1_1");
    let last = records.len() - 3;
    for r in &mut records[HEADER_ROWS..last] {
        r[q].clear();
    }
    let dir = tempfile::tempdir().unwrap();
    let o = run(
        &one_wave(dir.path(), &records, &plain_survey(dir.path()), "5"),
        &[],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let wave = dir.path().join("out/wave-1");
    assert_eq!(items_csv(&wave)["supported"].n, 3);
    percentages_match_items_csv(&wave, None);
    wording_tells_the_truth(&wave);
    let md = read(&wave.join("summary.md"));
    assert!(
        md.contains("Only 3 respondents answered whether the initial phase was professionally supported, too few for a percentage (fewer than 10): 3 of the 3 said so."),
        "{md}"
    );
    assert!(!md.contains("Of the 3 respondents who answered"), "{md}");
    assert!(
        md.contains(
            "| The initial phase was professionally supported (`supported`) | 3 | 3 of 3 |  |"
        ),
        "{md}"
    );
}

/// Q1_1 (item `supported`, a headline item) blanked in every row of wave 1: nobody answered it.
#[test]
fn an_item_nobody_answered_says_no_answers() {
    let mut records = wave_one();
    let q = column(&records, "Q1_1");
    for r in &mut records[HEADER_ROWS..] {
        r[q].clear();
    }
    let dir = tempfile::tempdir().unwrap();
    let o = run(
        &one_wave(dir.path(), &records, &plain_survey(dir.path()), "5"),
        &[],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let wave = dir.path().join("out/wave-1");
    assert_eq!(items_csv(&wave)["supported"].n, 0);
    percentages_match_items_csv(&wave, None);
    wording_tells_the_truth(&wave);
    let md = read(&wave.join("summary.md"));
    assert!(
        md.contains(
            "There were no answers on whether the initial phase was professionally supported."
        ),
        "{md}"
    );
}

/// The first 12 responses of wave 1 (2 of them previews, so 10 kept), with the open question
/// blanked but for the first kept responses, which say `texts`. None of the texts matches the
/// codebook's Workload phrases. Returns the folder and the wave's output.
fn with_comments(texts: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let mut records = wave_one();
    records.truncate(HEADER_ROWS + 12);
    let (q, status, finished) = (
        column(&records, "Q4"),
        column(&records, "Status"),
        column(&records, "Finished"),
    );
    let mut texts = texts.iter();
    for r in &mut records[HEADER_ROWS..] {
        let kept = r[status] == "IP Address" && r[finished] == "True";
        let text = if kept { texts.next() } else { None };
        r[q] = text.map_or_else(String::new, |t| t.to_string());
    }
    assert_eq!(texts.next(), None, "every comment was placed");
    let dir = tempfile::tempdir().unwrap();
    let o = run(
        &one_wave(dir.path(), &records, &plain_survey(dir.path()), "\"auto\""),
        &[],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let wave = dir.path().join("out/wave-1");
    percentages_match_items_csv(&wave, None);
    wording_tells_the_truth(&wave);
    (dir, wave)
}

/// Three comments sharing words (so that clustering could run) and one with a phone number that
/// must be redacted: listed, not grouped into themes of one or two comments.
#[test]
fn three_comments_are_listed_not_themed() {
    let (dir, wave) = with_comments(&[
        "The new reading scheme helps pupils read.",
        "Call me on 07700 900123 about the reading scheme for pupils.",
        "Pupils enjoy the reading scheme.",
    ]);
    let md = read(&wave.join("summary.md"));
    assert!(
        md.contains(
            "“What has changed in your school as a consequence?”: 3 comments. Only 3 comments \
             were written: too few to group into themes; they are listed below.\n\n\
             > The new reading scheme helps pupils read.\n\n\
             > Call me on [phone] about the reading scheme for pupils.\n\n\
             > Pupils enjoy the reading scheme.\n"
        ),
        "{md}"
    );
    let themes = json(&wave.join("themes.json"));
    assert_eq!(themes["k"], 0);
    assert_eq!(themes["too_few"]["comments"], 3);
    let (_, comments) = read_first_question_csv(&wave.join("comments.csv"));
    assert_eq!(comments.len(), 3);
    assert!(comments.iter().all(|c| c[3] == "unthemed"), "{comments:?}");
    for (path, bytes) in files_below(&dir.path().join("out")) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("07700"),
            "{} has the phone number",
            path.display()
        );
    }
}

/// One comment: singular everywhere ("1 comment", "1 respondent wrote a comment").
#[test]
fn one_comment_is_one_comment() {
    let (_dir, wave) = with_comments(&["Pupils enjoy the reading scheme."]);
    let md = read(&wave.join("summary.md"));
    assert!(
        md.contains(
            "“What has changed in your school as a consequence?”: 1 comment. Only 1 comment was \
             written: too few to group into themes; it is listed below."
        ),
        "{md}"
    );
}

/// Four identical comments: enough to cluster (`MIN_COMMENTS_TO_GROUP`), and the only candidate
/// is 2 themes (themes/mod.rs: 2 to a quarter of the comments), but identical comments fill
/// one; the summary says so rather than "1 themes, chosen by silhouette among 2".
#[test]
fn identical_comments_make_one_theme_and_say_why() {
    let (_dir, wave) = with_comments(&["Pupils enjoy the reading scheme."; 4]);
    let md = read(&wave.join("summary.md"));
    assert!(
        md.contains(
            "4 comments. 1 theme: silhouette chose 2 (the only number to try with 4 comments), \
             but k-means left 1 of them empty."
        ),
        "{md}"
    );
}

/// The comments left to cluster are those comments.csv marks `themed`; a theme needs two of
/// them on average (`MIN_COMMENTS_PER_THEME`), so k = 100000 is capped at half of them.
#[test]
fn a_fixed_k_too_large_is_capped_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let o = run(&example_with_k(dir.path(), "100000"), &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    for name in ["wave-1", "wave-2"] {
        let wave = dir.path().join("out").join(name);
        let (_, comments) = read_first_question_csv(&wave.join("comments.csv"));
        let placed = comments.iter().filter(|c| c[3] == "themed").count();
        let allowed = placed / 2;
        let note = format!(
            "k = 100000 was asked for; {allowed} used because {placed} comments allow at most \
             {allowed} themes of 2 or more comments each"
        );
        let md = read(&wave.join("summary.md"));
        assert!(md.contains(&note), "{note}\n{md}");
        assert!(
            stderr(&o).contains(&format!("{name}: {note}")),
            "{}",
            stderr(&o)
        );
        let themes = json(&wave.join("themes.json"));
        assert_eq!(themes["k_requested"], 100_000);
        assert_eq!(themes["k_allowed"], allowed);
        wording_tells_the_truth(&wave);
    }
}

/// With k = "auto", the candidates are 2 to a quarter of the comments clustered (at most 15;
/// themes/mod.rs); comments.csv says how many were clustered.
#[test]
fn an_automatic_k_names_its_candidates_as_a_range() {
    let dir = tempfile::tempdir().unwrap();
    let o = run(&example_with_k(dir.path(), "\"auto\""), &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    for name in ["wave-1", "wave-2"] {
        let wave = dir.path().join("out").join(name);
        let (_, comments) = read_first_question_csv(&wave.join("comments.csv"));
        let placed = comments.iter().filter(|c| c[3] == "themed").count();
        let most = (placed / 4).clamp(2, 15);
        assert!(most > 3, "a range, not a pair: {placed} comments");
        let themes = json(&wave.join("themes.json"));
        let k = themes["k"].as_u64().unwrap();
        let phrase = format!("{k} themes, chosen by silhouette among 2 to {most}");
        let md = read(&wave.join("summary.md"));
        assert!(md.contains(&phrase), "{phrase}\n{md}");
        wording_tells_the_truth(&wave);
    }
}

/// Every row of wave 1 marked a Qualtrics test response (`Status = Survey Test`): 72 read
/// (example_pipeline.rs), all excluded as tests.
fn all_tests() -> Vec<Vec<String>> {
    let mut records = wave_one();
    let status = column(&records, "Status");
    for r in &mut records[HEADER_ROWS..] {
        r[status] = "Survey Test".into();
    }
    records
}

#[test]
fn a_wave_of_test_responses_stops_with_the_counts_and_the_setting() {
    let dir = tempfile::tempdir().unwrap();
    let pipeline = one_wave(dir.path(), &all_tests(), &survey_path(), "5");
    let o = run(&pipeline, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    for part in [
        "export.csv: all 72 responses were excluded: 72 test",
        "hint: to analyse a pilot's test and preview responses, set `keep_test_responses = true` under [clean] in ",
        "surveys/aspire-pilot/survey.toml or pass --keep-tests",
    ] {
        assert!(err.contains(part), "`{part}` not in:\n{err}");
    }
    assert!(!dir.path().join("out/wave-1/summary.md").exists());

    // Kept on purpose: the 2 previews of the example are test responses here, so only its
    // 3 unfinished responses and 1 duplicate (example_pipeline.rs) are excluded: 72 − 4 = 68.
    let o = run(&pipeline, &["--keep-tests"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let wave = dir.path().join("out/wave-1");
    let manifest = json(&wave.join("manifest.json"));
    assert_eq!(manifest["settings"]["keep_test_responses"], true);
    let a = &manifest["accounting"];
    assert_eq!(
        (a["read"].as_u64(), a["kept"].as_u64()),
        (Some(72), Some(68))
    );
    assert_eq!(a["kept_flagged"]["test"], 68);
    let md = read(&wave.join("summary.md"));
    assert!(
        md.contains("68 test responses were kept on purpose (keep_test_responses)."),
        "{md}"
    );
    percentages_match_items_csv(&wave, None);
    wording_tells_the_truth(&wave);
    // `verify` re-runs with the setting the manifest records.
    let o = canvass(&["verify", wave.join("manifest.json").to_str().unwrap()]);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
}

/// The same, asked for in the survey file rather than on the command line.
#[test]
fn keep_test_responses_in_the_survey_keeps_them() {
    let dir = tempfile::tempdir().unwrap();
    let survey = read(&plain_survey(dir.path()))
        .replace("[clean]\n", "[clean]\nkeep_test_responses = true\n");
    let survey_file = dir.path().join("survey.toml");
    std::fs::write(&survey_file, survey).unwrap();
    let o = run(&one_wave(dir.path(), &all_tests(), &survey_file, "5"), &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let manifest = json(&dir.path().join("out/wave-1/manifest.json"));
    assert_eq!(manifest["accounting"]["kept"], 68);
}

/// SOURCES.md: "Status=2 on every row: these are Qualtrics-generated test responses"; 15 rows
/// (fixture_exports.rs).
#[test]
fn score_of_qualtrics_test_responses_stops_unless_kept() {
    let export = repo().join(
        "tests/fixtures/exports/qualtrics/QualtricsTools_No_Basis_for_Evaluation_Insights.csv",
    );
    let export = export.to_str().unwrap();
    let o = canvass(&["score", export]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let err = stderr(&o);
    assert!(
        err.contains("all 15 responses were excluded: 15 test") && err.contains("--keep-tests"),
        "{err}"
    );
    let o = canvass(&["score", export, "--keep-tests"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("15 responses analysed of 15 read"),
        "{}",
        stdout(&o)
    );
}

/// A KoboToolbox form whose export holds only the tool's bookkeeping (start, end, _id, _uuid,
/// _submission_time …; kobo-transfer's Inventory Form has nothing else): `init` drafts it, and
/// `run` and `score` stop naming the cause, not "3 empty" with a hint about previews.
#[test]
fn an_export_with_no_question_column_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("inventory.csv");
    std::fs::write(
        &export,
        "start,end,_id,_uuid,_submission_time,_status,__version__,_index\n\
         2024-03-14T13:50:01.000+01:00,2024-03-14T13:52:11.000+01:00,101,0a1b2c3d-1111-2222-3333-444455556666,2024-03-14T12:52:13,submitted_via_web,vAbc123,1\n\
         2024-03-14T13:53:01.000+01:00,2024-03-14T13:54:11.000+01:00,102,0a1b2c3d-1111-2222-3333-444455556667,2024-03-14T12:54:13,submitted_via_web,vAbc123,2\n\
         2024-03-14T13:55:01.000+01:00,2024-03-14T13:56:11.000+01:00,103,0a1b2c3d-1111-2222-3333-444455556668,2024-03-14T12:56:13,submitted_via_web,vAbc123,3\n",
    )
    .unwrap();
    // `init --out` writes pipelines/ where it runs, as a project's root.
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_canvass"))
        .args(["init", "inventory.csv", "--out", "proj"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let pipeline = dir.path().join("pipelines/proj.toml");
    let o = run(&pipeline, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let err = stderr(&o);
    assert!(
        err.contains("has no question column") && err.contains("none of its 3 responses"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    let o = canvass(&["score", export.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(
        stderr(&o).contains("has no question canvass can score"),
        "{}",
        stderr(&o)
    );
}

/// Whether a clause starts "N per cent said" ("less than 1 per cent said").
fn starts_with_percentage(clause: &str) -> bool {
    clause
        .split_once(" per cent said ")
        .is_some_and(|(pct, _)| !pct.contains(' ') || pct == "less than 1")
}
