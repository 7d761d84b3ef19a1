//! `canvass run` as cached stages: what re-runs after which change, byte-identical outputs
//! whether a stage was reused or recomputed, `--dry-run`, `--wave`, `--only`, `--from`, and a
//! run killed part-way. The expected stage lines follow from the stage inputs listed in
//! docs/staged-runs.md; "same bytes as a run without the cache" is checked by deleting
//! the cache (`.canvass/`) and running again.

use crate::common::{canvass, files_below, outputs_below, repo, stderr, stdout};
use std::path::{Path, PathBuf};

/// A scratch copy of the example: survey, exports and templates beside a pipeline that names
/// them, so that a test may edit any of them.
fn example() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir_all(d.join("exports")).unwrap();
    std::fs::create_dir_all(d.join("templates")).unwrap();
    std::fs::create_dir_all(d.join("coded")).unwrap();
    let copy = |from: &str, to: &str| {
        std::fs::copy(repo().join(from), d.join(to)).unwrap();
    };
    copy("surveys/aspire-pilot/survey.toml", "survey.toml");
    copy("surveys/aspire-pilot/coded/wave-1.csv", "coded/wave-1.csv");
    copy(
        "surveys/aspire-pilot/exports/wave-1.csv",
        "exports/wave-1.csv",
    );
    copy(
        "surveys/aspire-pilot/exports/wave-2.csv",
        "exports/wave-2.csv",
    );
    copy(
        "reports/templates/summary.html.j2",
        "templates/summary.html.j2",
    );
    copy("reports/templates/summary.md.j2", "templates/summary.md.j2");
    let pipeline = d.join("pipeline.toml");
    std::fs::write(
        &pipeline,
        "name = \"staged\"\nsurvey = \"survey.toml\"\noutput = \"out\"\ntemplates = \"templates\"\n\
         [[waves]]\nname = \"wave-1\"\nlabel = \"Autumn\"\nexport = \"exports/wave-1.csv\"\n\
         [[waves]]\nname = \"wave-2\"\nlabel = \"Spring\"\nexport = \"exports/wave-2.csv\"\n",
    )
    .unwrap();
    (dir, pipeline)
}

fn run(pipeline: &Path, extra: &[&str]) -> (String, String) {
    let mut args = vec!["run", pipeline.to_str().unwrap()];
    args.extend_from_slice(extra);
    let o = canvass(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    (stdout(&o), stderr(&o))
}

/// The deliverables of every wave (the cache left out), with their bytes.
fn outputs(pipeline: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    outputs_below(&pipeline.parent().unwrap().join("out"))
}

/// What each stage did, by its line on standard error: "reused" or the reason it ran.
fn did(err: &str, wave: &str, stage: &str) -> String {
    let prefix = format!("{wave} {stage}: ");
    let line = err
        .lines()
        .find(|l| l.starts_with(&prefix))
        .unwrap_or_else(|| panic!("no line for {wave} {stage} in:\n{err}"));
    let rest = &line[prefix.len()..];
    if rest == "unchanged, reused" {
        "reused".into()
    } else if rest.starts_with("unchanged, export re-read") {
        "re-read".into()
    } else {
        // "0.02 s (templates changed)": the reason, without the time.
        let why = rest.split_once('(').map_or(rest, |(_, w)| w);
        why.trim_end_matches(')').to_string()
    }
}

/// The outputs equal those of a run without the cache (deleting it is always safe).
fn same_as_without_cache(pipeline: &Path) {
    let incremental = outputs(pipeline);
    let out = pipeline.parent().unwrap().join("out");
    for wave in ["wave-1", "wave-2"] {
        std::fs::remove_dir_all(out.join(wave).join(".canvass")).unwrap();
    }
    let (_, err) = run(pipeline, &[]);
    assert_eq!(did(&err, "wave-1", "score"), "no cache", "{err}");
    let fresh = outputs(pipeline);
    assert_eq!(incremental.len(), fresh.len());
    for ((pa, a), (pb, b)) in incremental.iter().zip(&fresh) {
        assert_eq!(pa, pb);
        assert!(
            a == b,
            "{} differs from a run without the cache",
            pa.display()
        );
    }
}

#[test]
fn a_second_run_with_nothing_changed_reuses_every_stage_and_writes_the_same_bytes() {
    let (_d, pipeline) = example();
    let (_, first) = run(&pipeline, &[]);
    for stage in ["clean", "score", "themes", "report"] {
        assert_eq!(did(&first, "wave-1", stage), "no cache", "{first}");
    }
    let out = pipeline.parent().unwrap().join("out");
    let before = files_below(&out);
    let (_, second) = run(&pipeline, &[]);
    for wave in ["wave-1", "wave-2"] {
        for stage in ["clean", "score", "themes", "report"] {
            assert_eq!(did(&second, wave, stage), "reused", "{second}");
        }
    }
    assert_eq!(did(&second, "wave-2", "compare"), "reused");
    // The first wave has no comparison.
    assert!(!second.contains("wave-1 compare"), "{second}");
    // Every file, the cache's too, is as it was.
    assert!(files_below(&out) == before);
    // The manifest does not list the cache, and verify passes on reused outputs.
    let manifest = std::fs::read_to_string(out.join("wave-2/manifest.json")).unwrap();
    assert!(!manifest.contains(".canvass"));
    let o = canvass(&["verify", out.join("wave-2/manifest.json").to_str().unwrap()]);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    same_as_without_cache(&pipeline);
}

#[test]
fn changing_only_a_template_reruns_only_the_report() {
    let (d, pipeline) = example();
    run(&pipeline, &[]);
    let before = outputs(&pipeline);
    let template = d.path().join("templates/summary.md.j2");
    let mut text = std::fs::read_to_string(&template).unwrap();
    text.push_str("\nEdited by the team.\n");
    std::fs::write(&template, text).unwrap();
    let (_, err) = run(&pipeline, &[]);
    for wave in ["wave-1", "wave-2"] {
        for stage in ["clean", "score", "themes"] {
            assert_eq!(did(&err, wave, stage), "reused", "{err}");
        }
        assert_eq!(did(&err, wave, "report"), "templates changed", "{err}");
    }
    assert_eq!(did(&err, "wave-2", "compare"), "reused");
    let after = outputs(&pipeline);
    let changed: Vec<String> = before
        .iter()
        .zip(&after)
        .filter(|((_, a), (_, b))| a != b)
        .map(|((p, _), _)| p.display().to_string())
        .collect();
    // The Markdown summary, and the manifests that record its hash.
    assert_eq!(
        changed,
        [
            "wave-1/manifest.json",
            "wave-1/summary.md",
            "wave-2/manifest.json",
            "wave-2/summary.md"
        ]
    );
    same_as_without_cache(&pipeline);
}

#[test]
fn changing_the_codebook_or_the_question_reruns_themes_onward_but_not_score() {
    let (d, pipeline) = example();
    run(&pipeline, &[]);
    let survey = d.path().join("survey.toml");
    let text = std::fs::read_to_string(&survey).unwrap();
    let edited = text
        .replace(
            "phrases = [\"workload\", \"paperwork\", \"time pressure\", \"extra meetings\"]",
            "phrases = [\"workload\", \"paperwork\", \"time pressure\"]",
        )
        .replace(
            "text = \"What has changed in your school as a consequence?\"",
            "text = \"What has changed in your school since the programme began?\"",
        );
    assert_ne!(text, edited, "the codebook and question to edit are there");
    std::fs::write(&survey, edited).unwrap();
    let (_, err) = run(&pipeline, &[]);
    for wave in ["wave-1", "wave-2"] {
        // The export is read again for the comments, but clean's artefact is unchanged.
        assert_eq!(did(&err, wave, "clean"), "re-read", "{err}");
        assert_eq!(did(&err, wave, "score"), "reused", "{err}");
        assert_eq!(
            did(&err, wave, "themes"),
            "survey's text and codebook changed",
            "{err}"
        );
        assert_eq!(did(&err, wave, "report"), "themes changed", "{err}");
    }
    // The comparison is of scores: the previous wave's and this one's are unchanged.
    assert_eq!(did(&err, "wave-2", "compare"), "reused", "{err}");
    let md = std::fs::read_to_string(d.path().join("out/wave-1/summary.md")).unwrap();
    assert!(md.contains("since the programme began"), "{md}");
    same_as_without_cache(&pipeline);
}

#[test]
fn touching_the_exports_bytes_reruns_everything_that_depends_on_it() {
    let (d, pipeline) = example();
    run(&pipeline, &[]);
    let export = d.path().join("exports/wave-1.csv");
    let mut bytes = std::fs::read(&export).unwrap();
    bytes.extend_from_slice(b"\n");
    std::fs::write(&export, bytes).unwrap();
    let (_, err) = run(&pipeline, &[]);
    assert_eq!(did(&err, "wave-1", "clean"), "export changed", "{err}");
    for stage in ["score", "themes", "report"] {
        assert_eq!(did(&err, "wave-1", stage), "clean changed", "{err}");
    }
    // Wave 2's own stages are untouched; its comparison and report read wave 1's scores.
    for stage in ["clean", "score", "themes"] {
        assert_eq!(did(&err, "wave-2", stage), "reused", "{err}");
    }
    assert_eq!(
        did(&err, "wave-2", "compare"),
        "previous wave's score changed",
        "{err}"
    );
    assert_eq!(did(&err, "wave-2", "report"), "compare changed", "{err}");
    same_as_without_cache(&pipeline);
}

#[test]
fn dry_run_says_what_would_run_and_why_and_writes_nothing() {
    let (d, pipeline) = example();
    let (plan, _) = run(&pipeline, &["--dry-run"]);
    assert!(!d.path().join("out").exists(), "a dry run wrote {plan}");
    assert!(plan.contains("wave-1 clean: run (no cache)"), "{plan}");
    assert!(plan.contains("wave-2 compare: run (no cache)"), "{plan}");
    run(&pipeline, &[]);
    let template = d.path().join("templates/summary.html.j2");
    let text = std::fs::read_to_string(&template).unwrap();
    std::fs::write(&template, format!("{text}\n<!-- edited -->\n")).unwrap();
    let out = d.path().join("out");
    let before = files_below(&out);
    let (plan, _) = run(&pipeline, &["--dry-run"]);
    assert_eq!(
        plan.lines().collect::<Vec<_>>(),
        [
            "wave-1 clean: reuse (unchanged)",
            "wave-1 score: reuse (unchanged)",
            "wave-1 themes: reuse (unchanged)",
            "wave-1 report: run (templates changed)",
            "wave-2 clean: reuse (unchanged)",
            "wave-2 score: reuse (unchanged)",
            "wave-2 themes: reuse (unchanged)",
            "wave-2 compare: reuse (unchanged)",
            "wave-2 report: run (templates changed)",
        ]
    );
    let (plan, _) = run(
        &pipeline,
        &["--dry-run", "--from", "themes", "--wave", "wave-2"],
    );
    assert_eq!(
        plan.lines().collect::<Vec<_>>(),
        [
            "wave-1 clean: reuse (unchanged)",
            "wave-1 score: reuse (unchanged)",
            "wave-2 clean: reuse (unchanged)",
            "wave-2 score: reuse (unchanged)",
            "wave-2 themes: run (forced by --from themes)",
            "wave-2 compare: run (forced by --from themes)",
            "wave-2 report: run (forced by --from themes)",
        ]
    );
    assert!(files_below(&out) == before, "a dry run changed a file");
}

#[test]
fn wave_from_and_only_choose_what_runs() {
    let (d, pipeline) = example();
    // Wave 2 alone needs wave 1's scores, which no run has cached yet.
    let o = canvass(&["run", pipeline.to_str().unwrap(), "--wave", "wave-2"]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(
        e.contains("wave-1 clean has no cached artefact") && e.contains("--wave wave-1"),
        "{e}"
    );
    let o = canvass(&["run", pipeline.to_str().unwrap(), "--wave", "wave-9"]);
    assert!(
        stderr(&o).contains("its waves are wave-1, wave-2"),
        "{}",
        stderr(&o)
    );
    run(&pipeline, &["--wave", "wave-1"]);
    assert!(!d.path().join("out/wave-2").exists());
    let (_, err) = run(&pipeline, &["--wave", "wave-2"]);
    assert!(!err.contains("wave-1 themes"), "{err}");
    assert_eq!(did(&err, "wave-1", "score"), "reused", "{err}");
    assert_eq!(did(&err, "wave-2", "compare"), "no cache", "{err}");
    let (_, err) = run(&pipeline, &["--only", "themes"]);
    for wave in ["wave-1", "wave-2"] {
        assert_eq!(
            did(&err, wave, "themes"),
            "forced by --only themes",
            "{err}"
        );
        assert_eq!(did(&err, wave, "score"), "reused", "{err}");
        assert_eq!(did(&err, wave, "report"), "reused", "{err}");
    }
    let (_, err) = run(&pipeline, &["--from", "compare"]);
    assert_eq!(did(&err, "wave-2", "themes"), "reused", "{err}");
    assert_eq!(did(&err, "wave-2", "compare"), "forced by --from compare");
    assert_eq!(did(&err, "wave-1", "report"), "forced by --from compare");
    // --only runs from cached inputs: a changed export is refused, with what to do.
    let export = d.path().join("exports/wave-1.csv");
    let mut bytes = std::fs::read(&export).unwrap();
    bytes.extend_from_slice(b"\n");
    std::fs::write(&export, bytes).unwrap();
    let o = canvass(&["run", pipeline.to_str().unwrap(), "--only", "report"]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(
        e.contains("wave-1 clean has no cached artefact for the current inputs (export changed)")
            && e.contains("hint: run without --only"),
        "{e}"
    );
    // --from and --only together make no sense: a usage error.
    let o = canvass(&[
        "run",
        pipeline.to_str().unwrap(),
        "--only",
        "report",
        "--from",
        "score",
    ]);
    assert_eq!(o.status.code(), Some(2));
}

/// A run killed at any moment leaves the previous outputs whole (the manifest still verifies
/// them), and the next run completes. On a larger synthetic export (`canvass synth`), so that a
/// run takes long enough to be killed in each of its stages.
#[test]
fn a_killed_run_leaves_the_previous_outputs_whole() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Without the coded sample: its ids are the example's respondents, not the synthetic ones.
    let survey: String = std::fs::read_to_string(repo().join("surveys/aspire-pilot/survey.toml"))
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with("coded = ") && !l.starts_with("review_below = "))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(d.join("survey.toml"), survey).unwrap();
    let o = canvass(&[
        "synth",
        "--survey",
        d.join("survey.toml").to_str().unwrap(),
        "--responses",
        "2000",
        "--seed",
        "7",
        "--layout",
        "qualtrics",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    std::fs::write(d.join("big.csv"), &o.stdout).unwrap();
    let pipeline = d.join("pipeline.toml");
    std::fs::write(
        &pipeline,
        "name = \"big\"\nsurvey = \"survey.toml\"\noutput = \"out\"\n\
         [[waves]]\nname = \"wave-1\"\nexport = \"big.csv\"\n",
    )
    .unwrap();
    let started = std::time::Instant::now();
    run(&pipeline, &[]);
    let whole = started.elapsed();
    let before = outputs(&pipeline);
    assert!(before.len() >= 10);
    // Kill forced re-runs at moments spread over a whole run's length.
    let mut killed_while_running = 0;
    for step in 1..=4u32 {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_canvass"))
            .args([
                "run",
                pipeline.to_str().unwrap(),
                "--from",
                "clean",
                "--quiet",
            ])
            .spawn()
            .unwrap();
        std::thread::sleep(whole * step / 5);
        if child.try_wait().unwrap().is_none() {
            killed_while_running += 1;
        }
        let _ = child.kill();
        child.wait().unwrap();
        let now = outputs(&pipeline);
        let now: Vec<_> = now
            .into_iter()
            .filter(|(p, _)| !p.to_string_lossy().ends_with(".canvass-tmp"))
            .collect();
        assert_eq!(now.len(), before.len(), "after a kill at step {step}");
        for ((pa, a), (pb, b)) in before.iter().zip(&now) {
            assert_eq!(pa, pb);
            assert!(
                a == b,
                "{} changed by a killed run (step {step})",
                pa.display()
            );
        }
    }
    assert!(
        killed_while_running > 0,
        "no run was still running when killed: the test did not test"
    );
    let manifest = d.join("out/wave-1/manifest.json");
    let o = canvass(&["verify", manifest.to_str().unwrap()]);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    // The next run completes, and writes the same files.
    run(&pipeline, &[]);
    let after = outputs(&pipeline);
    let after: Vec<_> = after
        .into_iter()
        .filter(|(p, _)| !p.to_string_lossy().ends_with(".canvass-tmp"))
        .collect();
    assert!(after == before);
}

/// The example with its third wave and its review file: wave 3's report has a trend over
/// every earlier wave, and the themes read the review and the coded sample.
fn example_with_trend_and_review() -> (tempfile::TempDir, PathBuf) {
    let (dir, pipeline) = example();
    let d = dir.path();
    std::fs::copy(
        repo().join("surveys/aspire-pilot/exports/wave-3.csv"),
        d.join("exports/wave-3.csv"),
    )
    .unwrap();
    std::fs::copy(
        repo().join("surveys/aspire-pilot/review.toml"),
        d.join("review.toml"),
    )
    .unwrap();
    let mut text = std::fs::read_to_string(&pipeline).unwrap();
    text +=
        "[[waves]]\nname = \"wave-3\"\nlabel = \"Autumn again\"\nexport = \"exports/wave-3.csv\"\n\
             [themes]\nreview = \"review.toml\"\n";
    std::fs::write(&pipeline, text).unwrap();
    (dir, pipeline)
}

#[test]
fn the_trend_review_and_coded_sample_are_stage_inputs() {
    let (d, pipeline) = example_with_trend_and_review();
    run(&pipeline, &[]);
    let out = d.path().join("out");
    assert!(out.join("wave-3/trends.json").exists());
    assert!(!out.join("wave-2/trends.json").exists());
    let m = std::fs::read_to_string(out.join("wave-3/manifest.json")).unwrap();
    for i in [
        "wave-1.csv",
        "wave-2.csv",
        "wave-3.csv",
        "review.toml",
        "coded/wave-1.csv",
    ] {
        assert!(m.contains(i), "{i} in {m}");
    }

    // --wave wave-3 reads every earlier wave's scores from the cache, for the trend.
    let (_, err) = run(&pipeline, &["--wave", "wave-3", "--from", "report"]);
    for wave in ["wave-1", "wave-2"] {
        assert_eq!(did(&err, wave, "score"), "reused", "{err}");
        assert!(!err.contains(&format!("{wave} report")), "{err}");
    }
    assert_eq!(
        did(&err, "wave-3", "report"),
        "forced by --from report",
        "{err}"
    );
    same_as_without_cache(&pipeline);

    // Wave 1's scores change: wave 3's report re-runs for its trend, though its comparison
    // (with wave 2) is reused.
    let export = d.path().join("exports/wave-1.csv");
    let mut bytes = std::fs::read(&export).unwrap();
    bytes.extend_from_slice(b"\n");
    std::fs::write(&export, bytes).unwrap();
    let (_, err) = run(&pipeline, &[]);
    assert_eq!(did(&err, "wave-3", "compare"), "reused", "{err}");
    assert_eq!(
        did(&err, "wave-3", "report"),
        "wave-1's score changed",
        "{err}"
    );

    // The review file and the coded sample are the themes stage's inputs.
    let review = d.path().join("review.toml");
    let text = std::fs::read_to_string(&review).unwrap();
    std::fs::write(&review, format!("{text}\n# edited\n")).unwrap();
    let (_, err) = run(&pipeline, &[]);
    for wave in ["wave-1", "wave-2", "wave-3"] {
        assert_eq!(did(&err, wave, "score"), "reused", "{err}");
        assert_eq!(did(&err, wave, "themes"), "review changed", "{err}");
    }
    let coded = d.path().join("coded/wave-1.csv");
    let bytes = std::fs::read(&coded).unwrap();
    std::fs::write(&coded, [bytes, b"\n".to_vec()].concat()).unwrap();
    let (_, err) = run(&pipeline, &[]);
    assert_eq!(did(&err, "wave-1", "clean"), "re-read", "{err}");
    assert_eq!(
        did(&err, "wave-1", "themes"),
        "coded sample changed",
        "{err}"
    );
    same_as_without_cache(&pipeline);
}

/// A pipeline's own templates are inputs of its report like the survey file: the manifest
/// records each with its SHA-256, so `verify` names the one that changed.
#[test]
fn verify_names_a_changed_template() {
    let (d, pipeline) = example();
    run(&pipeline, &[]);
    let manifest_path = d.path().join("out/wave-1/manifest.json");
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&manifest_path).unwrap()).unwrap();
    let paths: Vec<&str> = manifest["templates"]
        .as_array()
        .expect("templates in the manifest")
        .iter()
        .map(|t| t["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        [
            "../../templates/summary.html.j2",
            "../../templates/summary.md.j2"
        ]
    );
    let verify = || canvass(&["verify", manifest_path.to_str().unwrap()]);
    let o = verify();
    assert!(o.status.success(), "{}", stdout(&o));
    let template = d.path().join("templates/summary.md.j2");
    let text = std::fs::read_to_string(&template).unwrap();
    std::fs::write(&template, format!("{text}\nEdited.\n")).unwrap();
    let o = verify();
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let report = stdout(&o);
    let line = report
        .lines()
        .find(|l| l.contains("template ../../templates/summary.md.j2 has the recorded SHA-256"));
    assert!(line.is_some_and(|l| l.contains("FAIL")), "{report}");
}

/// The respondents in a wave's cached panel rows (`score.agreement.json`).
fn panel_rows(pipeline: &Path, wave: &str) -> (usize, usize) {
    let path = pipeline
        .parent()
        .unwrap()
        .join(format!("out/{wave}/.canvass/score.agreement.json"));
    let a: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let len = |field: &str| a[field].as_object().map_or(0, |m| m.len());
    (len("by_respondent"), len("scale_scores"))
}

#[test]
fn per_respondent_panel_rows_are_kept_only_when_a_key_can_pair_the_waves() {
    let (_d, pipeline) = example();
    // A run of one wave lets go of its rows during the run (nothing in it pairs them), but
    // only once cached: a later run's next wave pairs with them.
    run(&pipeline, &["--wave", "wave-1"]);
    let (agree, scores) = panel_rows(&pipeline, "wave-1");
    assert!(agree > 50 && agree == scores, "{agree} {scores}");
    let (_, err) = run(&pipeline, &[]);
    assert_eq!(did(&err, "wave-1", "score"), "reused");
    let (agree, scores) = panel_rows(&pipeline, "wave-2");
    assert!(agree > 50 && agree == scores, "{agree} {scores}");
    let comparison = pipeline
        .parent()
        .unwrap()
        .join("out/wave-2/comparison.json");
    let comparison: serde_json::Value =
        serde_json::from_slice(&std::fs::read(comparison).unwrap()).unwrap();
    assert!(comparison["panel"]["matched_respondents"].as_u64() > Some(10));

    // Without a declared key no later wave is paired with this one: nothing per respondent.
    let survey = pipeline.parent().unwrap().join("survey.toml");
    let text = std::fs::read_to_string(&survey).unwrap();
    let unkeyed = text.replace("key = \"RecipientEmail\"\n", "");
    assert_ne!(text, unkeyed);
    std::fs::write(&survey, unkeyed).unwrap();
    run(&pipeline, &[]);
    assert_eq!(panel_rows(&pipeline, "wave-1"), (0, 0));
}
