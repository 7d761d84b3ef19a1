//! The theme review loop on the shipped example: the committed review file is applied on every
//! run, an edit that no longer applies is reported (not dropped), `canvass review` writes a file
//! that runs as it is, and `canvass codebook` writes a codebook the survey file accepts.

use crate::common::*;
use std::path::{Path, PathBuf};

/// The example pipeline reading a copy of the survey folder (so the export and review file can
/// be changed), writing into `dir/out`.
fn example_copy(dir: &Path) -> PathBuf {
    let src = repo().join("surveys/aspire-pilot");
    let copy = dir.join("survey");
    std::fs::create_dir_all(copy.join("exports")).unwrap();
    std::fs::create_dir_all(copy.join("coded")).unwrap();
    for f in ["survey.toml", "review.toml", "coded/wave-1.csv"] {
        std::fs::copy(src.join(f), copy.join(f)).unwrap();
    }
    for f in ["wave-1.csv", "wave-2.csv", "wave-3.csv"] {
        std::fs::copy(src.join("exports").join(f), copy.join("exports").join(f)).unwrap();
    }
    example_pipeline_reading(dir, &copy)
}

fn run(pipeline: &Path) -> std::process::Output {
    let o = canvass(&["run", pipeline.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    o
}

#[test]
fn the_example_review_renames_merges_moves_and_withholds() {
    let d = tempfile::tempdir().unwrap();
    let o = run(&example_copy(d.path()));
    assert!(!stderr(&o).contains("no longer applies"), "{}", stderr(&o));
    let out = d.path().join("out/wave-1");
    let (h, themes) = read_first_question_csv(&out.join("themes.csv"));
    let label = h.iter().position(|c| c == "label").unwrap();
    let labels: Vec<&str> = themes.iter().map(|r| r[label].as_str()).collect();
    // review.toml renames two themes and merges "teaching" with "marking and feedback": the
    // stage found 1 codebook theme + 5 learned from coded/wave-1.csv, so 5 remain.
    assert_eq!(labels.len(), 5, "{labels:?}");
    assert!(labels.contains(&"Understanding of data"), "{labels:?}");
    assert!(labels.contains(&"Staff morale"), "{labels:?}");
    assert!(
        labels.contains(&"Teaching, marking and feedback"),
        "{labels:?}"
    );
    let (_, comments) = read_first_question_csv(&out.join("comments.csv"));
    // The merged theme holds the 10 teaching and 8 marking comments (sizes in the unreviewed
    // themes.csv; no comment is in both), plus the one moved from target setting (10 → 9): 19.
    let size = h.iter().position(|c| c == "size").unwrap();
    let merged = row_by(&themes, label, "Teaching, marking and feedback");
    assert_eq!(merged[size], "19");
    assert_eq!(row_by(&themes, label, "target setting")[size], "9");
    let moved = row_by(&comments, 0, "84d7a9453c2ed8cc");
    assert_eq!(moved[2], "Teaching, marking and feedback");
    assert!(moved[4].starts_with("More ambitious targets"));
    // Withheld comments (they give contact details) are never quoted, but still counted.
    let themes_text = std::fs::read_to_string(out.join("themes.csv")).unwrap();
    for id in ["8d4c8d05531d5d7d", "c572dc2e3ed27d49"] {
        let c = row_by(&comments, 0, id);
        assert!(!c[2].is_empty());
        assert!(!themes_text.contains(&c[4]), "{} was quoted", c[4]);
    }
    // The pinned quote comes first in its theme.
    let data = row_by(&themes, label, "Understanding of data");
    let q1 = h.iter().position(|c| c == "quote_1").unwrap();
    assert!(data[q1].starts_with("Data analysis is no longer just the head's job"));
    let summary = std::fs::read_to_string(out.join("summary.md")).unwrap();
    assert!(
        summary.contains("2 themes renamed, 1 theme merged, 1 comment moved, 2 comments withheld from quotes, 1 quote pinned by reviewers"),
        "{summary}"
    );
    // The review file is an input of the manifest, and verify re-checks it.
    let manifest = std::fs::read_to_string(out.join("manifest.json")).unwrap();
    assert!(manifest.contains("\"review\""), "{manifest}");
    let v = canvass(&["verify", out.join("manifest.json").to_str().unwrap()]);
    assert!(v.status.success(), "{}", stdout(&v));
    assert!(stdout(&v).contains("review "), "{}", stdout(&v));
}

#[test]
fn a_comment_deleted_from_the_export_makes_the_run_report_its_edit() {
    let d = tempfile::tempdir().unwrap();
    let pipeline = example_copy(d.path());
    let export = d.path().join("survey/exports/wave-1.csv");
    let text = std::fs::read_to_string(&export).unwrap();
    // The row of the comment review.toml moves (84d7a9453c2ed8cc).
    let kept: Vec<&str> = text
        .split_inclusive('\n')
        .filter(|l| !l.contains("More ambitious targets, and children talk"))
        .collect();
    assert_eq!(kept.len() + 1, text.split_inclusive('\n').count());
    std::fs::write(&export, kept.concat()).unwrap();
    let o = run(&pipeline);
    let err = stderr(&o);
    assert!(
        err.contains("wave-1: review edit no longer applies: move `84d7a9453c2ed8cc` to `teaching`: no comment `84d7a9453c2ed8cc`"),
        "{err}"
    );
    let summary = std::fs::read_to_string(d.path().join("out/wave-1/summary.md")).unwrap();
    assert!(
        summary.contains("1 review edit no longer applied: move `84d7a9453c2ed8cc`"),
        "{summary}"
    );
    // The other edits still apply.
    assert!(summary.contains("Understanding of data"));
}

#[test]
fn an_unknown_key_in_the_review_file_is_refused_with_a_suggestion() {
    let d = tempfile::tempdir().unwrap();
    let pipeline = example_copy(d.path());
    let review = d.path().join("survey/review.toml");
    let text = std::fs::read_to_string(&review)
        .unwrap()
        .replace("withhold =", "witthold =");
    std::fs::write(&review, text).unwrap();
    let o = canvass(&["run", pipeline.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("review.toml"), "{err}");
    assert!(err.contains("did you mean `withhold`"), "{err}");
}

#[test]
fn the_starting_review_and_the_codebook_are_files_canvass_reads() {
    let d = tempfile::tempdir().unwrap();
    let pipeline = example_copy(d.path());
    std::fs::write(d.path().join("survey/review.toml"), "").unwrap();
    run(&pipeline);
    let wave = d.path().join("out/wave-1");
    // `review` lists every theme by handle and every edit as an example.
    let o = canvass(&["review", wave.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let start = stdout(&o);
    for want in [
        "name = \"wave-1\"",
        "# theme \"data-and-analysis\" — \"data and analysis\" (learned, 11 comments)",
        "#   512acec6143ee771  Improved target setting - targets are realistic",
        "# [[wave.rename]]",
        "# [[wave.merge]]",
        "# [[wave.split]]",
        "# [[wave.move]]",
        "# [[wave.pin]]",
        "# withhold = ",
        "# not_substantive = ",
    ] {
        assert!(start.contains(want), "no `{want}` in\n{start}");
    }
    // As written it changes nothing; uncommented edits apply.
    let edited = start
        .replace("# [[wave.rename]]", "[[wave.rename]]")
        .replace(
            "# theme = \"workload\"\n# label",
            "theme = \"workload\"\nlabel",
        );
    std::fs::write(d.path().join("survey/review.toml"), edited).unwrap();
    let o = run(&pipeline);
    assert!(!stderr(&o).contains("no longer applies"), "{}", stderr(&o));
    let summary = std::fs::read_to_string(wave.join("summary.md")).unwrap();
    assert!(summary.contains("A better name"), "{summary}");
    assert!(
        summary.contains("1 theme renamed by reviewers"),
        "{summary}"
    );
    // `codebook` writes [[codebook]] entries the survey file accepts: a survey with them runs.
    let o = canvass(&["codebook", wave.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let book = stdout(&o);
    assert!(book.contains("theme = \"A better name\""), "{book}");
    assert!(
        book.contains("[[codebook.examples]]\nid = \"73e2685056e36eba\""),
        "{book}"
    );
    let survey = d.path().join("survey/survey.toml");
    let text = std::fs::read_to_string(&survey).unwrap();
    let cut = text.find("[[codebook]]").unwrap();
    let privacy = text.find("[privacy]").unwrap();
    let next = format!("{}{book}\n{}", &text[..cut], &text[privacy..]);
    std::fs::write(&survey, next).unwrap();
    std::fs::write(d.path().join("survey/review.toml"), "").unwrap();
    run(&pipeline);
    let (_, comments) = read_first_question_csv(&wave.join("comments.csv"));
    // Every comment is now coded to the carried-forward themes or left for clustering; the
    // workload comments keep their (renamed) theme.
    let workload = row_by(&comments, 0, "73e2685056e36eba");
    assert_eq!(workload[2], "A better name");
    assert_eq!(workload[3], "coded");
    // The survey still learns from its coded sample, which names the same themes as the
    // carried codebook ("marking and feedback"): each is one theme, the codebook's, holding
    // the comments its phrases match and those learned from the sample.
    let (h, themes) = read_first_question_csv(&wave.join("themes.csv"));
    let (label, kind) = (
        h.iter().position(|c| c == "label").unwrap(),
        h.iter().position(|c| c == "kind").unwrap(),
    );
    let mut names: Vec<String> = themes
        .iter()
        .filter(|r| r[kind] != "discovered")
        .map(|r| r[label].to_lowercase())
        .collect();
    let all = names.len();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), all, "a theme twice: {themes:?}");
    assert!(themes.iter().all(|r| r[kind] != "learned"), "{themes:?}");
    // "marking and feedback": comments coded by hand in the sample join the codebook's theme.
    assert_eq!(
        row_by(&themes, label, "marking and feedback")[kind],
        "codebook"
    );
    let hand_coded = comments
        .iter()
        .filter(|c| c[2] == "marking and feedback" && c[3] == "hand-coded")
        .count();
    assert!(hand_coded > 0, "{comments:?}");
}

/// Two codebook entries for one theme (a codebook pasted below the survey's own instead of in
/// its place) are refused, naming the entry and what to do, rather than giving the theme twice.
#[test]
fn a_codebook_theme_given_twice_is_refused_with_what_to_do() {
    let d = tempfile::tempdir().unwrap();
    let pipeline = example_copy(d.path());
    let survey = d.path().join("survey/survey.toml");
    let text = std::fs::read_to_string(&survey).unwrap();
    let again = "[[codebook]]\ntheme = \"workload \"\nphrases = [\"too much work\"]\n\n[privacy]";
    std::fs::write(&survey, text.replacen("[privacy]", again, 1)).unwrap();
    let o = canvass(&["run", pipeline.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("codebook[1].theme"), "{err}");
    assert!(
        err.contains("codebook[0]'s theme `Workload` again"),
        "{err}"
    );
    assert!(
        err.contains("replace the survey's [[codebook]] entries"),
        "{err}"
    );
}

/// A wave without an open question has no themes: review, codebook and qda say so and what to
/// do, instead of a bare "file not found".
#[test]
fn a_wave_without_themes_is_refused_with_what_to_do() {
    let d = tempfile::tempdir().unwrap();
    let wave = d.path().join("wave-1");
    std::fs::create_dir_all(&wave).unwrap();
    std::fs::copy(
        repo().join("reports/aspire-pilot/wave-1/manifest.json"),
        wave.join("manifest.json"),
    )
    .unwrap();
    let qdpx = d.path().join("x.qdpx");
    for args in [
        vec!["review", wave.to_str().unwrap()],
        vec!["codebook", wave.to_str().unwrap()],
        vec!["qda", wave.to_str().unwrap(), "-o", qdpx.to_str().unwrap()],
    ] {
        let o = canvass(&args);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        let err = stderr(&o);
        assert!(err.contains("has no themes.json"), "{args:?}: {err}");
        assert!(err.contains("add a [[text]] question"), "{args:?}: {err}");
    }
}

#[test]
fn the_review_file_lists_the_least_confident_learned_codings_first() {
    let d = tempfile::tempdir().unwrap();
    run(&example_copy(d.path()));
    let wave = d.path().join("out/wave-1");
    let o = canvass(&["review", wave.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let file = stdout(&o);
    let mut learned_seen = 0;
    for theme in file.split("\n# theme ").skip(1) {
        let lines: Vec<&str> = theme
            .lines()
            .filter(|l| l.starts_with("#   ") && !l.starts_with("#   key words"))
            .collect();
        let confidence: Vec<Option<f64>> = lines
            .iter()
            .map(|l| {
                let at = l.find("confidence ")? + "confidence ".len();
                l[at..at + 4].parse().ok()
            })
            .collect();
        // Learned codings first, least confident first, then the rest.
        let learned: Vec<f64> = confidence.iter().map_while(|c| *c).collect();
        assert!(
            confidence[learned.len()..].iter().all(Option::is_none),
            "{confidence:?} {theme}"
        );
        assert!(learned.windows(2).all(|w| w[0] <= w[1]), "{theme}");
        learned_seen += learned.len();
    }
    assert!(learned_seen >= 2, "{file}");
}

/// `review -o` never writes over an existing file: it is where reviewers' edits live.
#[test]
fn review_does_not_overwrite_an_edited_review_file() {
    let d = tempfile::tempdir().unwrap();
    let edited = d.path().join("review.toml");
    std::fs::write(&edited, "[[wave]]\nname = \"wave-1\"\n").unwrap();
    let wave = example_outputs().join("wave-1");
    let o = canvass(&[
        "review",
        wave.to_str().unwrap(),
        "-o",
        edited.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("does not overwrite"), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(&edited).unwrap(),
        "[[wave]]\nname = \"wave-1\"\n"
    );
    let fresh = d.path().join("new.toml");
    let o = canvass(&[
        "review",
        wave.to_str().unwrap(),
        "-o",
        fresh.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(std::fs::read_to_string(&fresh)
        .unwrap()
        .contains("# theme "));
}

#[test]
fn a_reviewers_merge_and_renames_carry_to_later_waves_until_a_wave_undoes_them() {
    let d = tempfile::tempdir().unwrap();
    let pipeline = example_copy(d.path());
    let labels = |wave: &str| -> Vec<String> {
        let (h, rows) =
            read_first_question_csv(&d.path().join("out").join(wave).join("themes.csv"));
        let label = h.iter().position(|c| c == "label").unwrap();
        rows.iter().map(|r| r[label].clone()).collect()
    };
    let o = run(&pipeline);
    assert!(!stderr(&o).contains("no longer applies"), "{}", stderr(&o));
    // review.toml reviews wave 1 only; waves 2 and 3 carry its merge and renames.
    for wave in ["wave-2", "wave-3"] {
        let l = labels(wave);
        for reviewed in [
            "Teaching, marking and feedback",
            "Staff morale",
            "Understanding of data",
        ] {
            assert!(l.iter().any(|x| x == reviewed), "{wave}: {l:?}");
        }
        assert!(!l.iter().any(|x| x == "teaching"), "{wave}: {l:?}");
        let summary =
            std::fs::read_to_string(d.path().join("out").join(wave).join("summary.md")).unwrap();
        assert!(
            summary.contains(
                "1 theme merged by reviewers (3 edits carried from an earlier wave's review)"
            ),
            "{wave}"
        );
    }
    // Wave 3 undoes the merge (and, by mistake, a rename nobody made): wave 2 keeps it.
    let review = d.path().join("survey/review.toml");
    let mut text = std::fs::read_to_string(&review).unwrap();
    text.push_str(
        "\n[[wave]]\nname = \"wave-3\"\n[[wave.undo]]\nmerge = [\"marking-and-feedback\", \"teaching\"]\n\
         [[wave.undo]]\nrename = \"workload\"\n",
    );
    std::fs::write(&review, text).unwrap();
    let o = run(&pipeline);
    let (two, three) = (labels("wave-2"), labels("wave-3"));
    assert!(
        two.iter().any(|x| x == "Teaching, marking and feedback"),
        "{two:?}"
    );
    assert!(three.iter().any(|x| x == "teaching"), "{three:?}");
    assert!(
        three.iter().any(|x| x == "marking and feedback"),
        "{three:?}"
    );
    assert!(three.iter().any(|x| x == "Staff morale"), "{three:?}");
    assert!(
        stderr(&o).contains("wave-3: review edit no longer applies: undo rename `workload`: no earlier wave's rename or merge"),
        "{}",
        stderr(&o)
    );
}

/// `canvass review` on a reviewed wave lists the edits already applied: the wave's own as
/// edits (so the file, used as the review file, gives the same themes) and those carried from
/// an earlier wave as comments with the undo that stops each.
#[test]
fn the_starting_review_lists_applied_and_carried_edits() {
    let d = tempfile::tempdir().unwrap();
    let pipeline = example_copy(d.path());
    run(&pipeline);
    let out = d.path().join("out");
    let themes_before = std::fs::read(out.join("wave-1/themes.csv")).unwrap();
    let comments_before = std::fs::read(out.join("wave-1/comments.csv")).unwrap();
    let o = canvass(&["review", out.join("wave-1").to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let start = stdout(&o);
    for want in [
        "withhold = [\"8d4c8d05531d5d7d\", \"c572dc2e3ed27d49\"]",
        "\n[[wave.rename]]\ntheme = \"staff-morale\"\nlabel = \"Staff morale\"\n",
        "\n[[wave.merge]]\nthemes = [\"teaching\", \"marking-and-feedback\"]\nlabel = \"Teaching, marking and feedback\"\n",
        "\n[[wave.move]]\ncomment = \"84d7a9453c2ed8cc\"\ntheme = \"teaching\"\n",
        "\n[[wave.pin]]\ncomment = \"13950cc967ac20f6\"\n",
    ] {
        assert!(start.contains(want), "no `{want}` in\n{start}");
    }
    // Used as the review file, it keeps every edit: the same themes and comments.
    std::fs::write(d.path().join("survey/review.toml"), &start).unwrap();
    let o = run(&pipeline);
    assert!(!stderr(&o).contains("no longer applies"), "{}", stderr(&o));
    assert!(std::fs::read(out.join("wave-1/themes.csv")).unwrap() == themes_before);
    assert!(std::fs::read(out.join("wave-1/comments.csv")).unwrap() == comments_before);
    // Wave 2 has no block of its own: wave 1's renames and merge are carried to it.
    let o = canvass(&["review", out.join("wave-2").to_str().unwrap()]);
    let start = stdout(&o);
    assert!(
        start.contains("# carried from wave-1:\n# [[wave.rename]]\n# theme = \"staff-morale\"\n# label = \"Staff morale\"\n#   to stop it:\n# [[wave.undo]]\n# rename = \"staff-morale\"\n"),
        "{start}"
    );
    assert!(
        start.contains("# [[wave.undo]]\n# merge = [\"teaching\", \"marking-and-feedback\"]"),
        "{start}"
    );
}
