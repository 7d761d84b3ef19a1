//! Respondents stay unlinkable (issue 25): published ids are keyed by the project's secret, made
//! once and kept beside the pipeline; waves are paired only on a declared key a person keeps;
//! `verify` says when the secret is missing or another; the standalone commands print no id.
//! (The scans of every output for identifiers and plain hashes of key values are in
//! example_pipeline.rs and first_export.rs.)

use crate::common::*;
use std::path::{Path, PathBuf};

/// A generic export of one agreement item: `people` respondents with e-mail addresses, in the
/// same order in every wave, agreeing in the first wave and (most) not in the second.
fn export(dir: &Path, name: &str, people: usize, agree: bool, id_from: usize) -> PathBuf {
    let mut csv = String::from("ResponseId,Email,Q1,Q2\n");
    for i in 0..people {
        let answer = if agree || i % 5 == 0 {
            "Agree"
        } else {
            "Disagree"
        };
        csv.push_str(&format!(
            "{},person{i}@school.org,{answer},Comment number {i} about the programme\n",
            id_from + i
        ));
    }
    let p = dir.join(name);
    std::fs::write(&p, csv).unwrap();
    p
}

/// A two-wave pipeline over generic exports, the survey keyed by `key` (or by nothing).
fn two_waves(dir: &Path, key: Option<&str>) -> PathBuf {
    export(dir, "w1.csv", 30, true, 1);
    export(dir, "w2.csv", 30, false, 1);
    let respondent = key.map_or(String::new(), |k| format!("[respondent]\nkey = \"{k}\"\n"));
    let survey = format!(
        "title = \"Two waves\"\n{respondent}\n[[response_scales]]\nname = \"agree\"\n\
         labels = [\"Disagree\", \"Agree\"]\nagree_top = 1\n\n[[items]]\nid = \"q1\"\ncolumn = \"Q1\"\n\
         text = \"It helped\"\nstatement = \"it helped\"\nscale = \"agree\"\n\n[[text]]\nid = \"q2\"\n\
         column = \"Q2\"\ntext = \"What changed?\"\n"
    );
    std::fs::write(dir.join("survey.toml"), survey).unwrap();
    let pipeline = "name = \"two\"\nsurvey = \"survey.toml\"\noutput = \"out\"\n\n\
         [[waves]]\nname = \"w1\"\nexport = \"w1.csv\"\n\n[[waves]]\nname = \"w2\"\nexport = \"w2.csv\"\n";
    let p = dir.join("two.toml");
    std::fs::write(&p, pipeline).unwrap();
    p
}

fn run(pipeline: &Path) -> std::process::Output {
    let o = canvass(&["run", pipeline.to_str().unwrap(), "-q"]);
    assert!(o.status.success(), "{}", stderr(&o));
    o
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The `id` column of a wave's comments.csv.
fn comment_ids(wave: &Path) -> Vec<String> {
    let (h, rows) = read_csv(&wave.join("comments.csv"));
    let id = h.iter().position(|c| c == "id").unwrap();
    rows.iter().map(|r| r[id].clone()).collect()
}

#[test]
fn waves_without_a_declared_key_are_never_paired() {
    let dir = tempfile::tempdir().unwrap();
    run(&two_waves(dir.path(), None));
    let out = dir.path().join("out");
    let summary = read(&out.join("w2/summary.md"));
    assert!(!summary.contains("both waves"), "{summary}");
    assert!(!read(&out.join("w2/comparison.json")).contains("\"panel\": {"));
    // Row 7 of one wave is not row 7 of the other: no id is shared.
    let (one, two) = (comment_ids(&out.join("w1")), comment_ids(&out.join("w2")));
    assert_eq!(one.len(), 30);
    assert!(one.iter().all(|id| !two.contains(id)));
}

#[test]
fn a_tools_response_id_declared_as_key_pairs_no_waves_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    // The same ResponseId values 1..30 in both waves: numbered per export, not per person.
    let pipeline = two_waves(dir.path(), Some("ResponseId"));
    let o = run(&pipeline);
    let summary = read(&dir.path().join("out/w2/summary.md"));
    assert!(!summary.contains("both waves"), "{summary}");
    // `--quiet` prints nothing but errors: the warning is said on the progress channel.
    assert!(!stderr(&o).contains("not paired"), "{}", stderr(&o));
    let o = canvass(&["run", pipeline.to_str().unwrap(), "--from", "compare"]);
    let err = stderr(&o);
    assert!(
        err.contains("warning: w2 is not paired with w1") && err.contains("`ResponseId`"),
        "{err}"
    );
}

#[test]
fn a_declared_key_pairs_the_waves_and_the_summary_names_it() {
    let dir = tempfile::tempdir().unwrap();
    run(&two_waves(dir.path(), Some("Email")));
    let out = dir.path().join("out");
    let summary = read(&out.join("w2/summary.md"));
    assert!(
        summary.contains("30 respondents answered both waves (matched by Email)"),
        "{summary}"
    );
    let comparison: serde_json::Value =
        serde_json::from_str(&read(&out.join("w2/comparison.json"))).unwrap();
    assert_eq!(comparison["panel"]["key"], "Email");
    assert_eq!(comparison["panel"]["matched_respondents"], 30);
    // The same person has the same id in both waves, and it is no plain hash of the address.
    let (one, two) = (comment_ids(&out.join("w1")), comment_ids(&out.join("w2")));
    assert_eq!(one, two);
    let keys = key_values(&dir.path().join("w1.csv"), None);
    assert_no_plain_hash(&keys, &output_texts(&out));
}

/// Without the test's own hashing of the old ids failing, the scans would prove nothing.
#[test]
fn the_hash_search_finds_a_plain_hash_where_there_is_one() {
    use sha2::Digest;
    let values = vec!["ann@school.org".to_string()];
    let old_id: String = sha2::Sha256::digest(b"ann@school.org")
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect();
    for text in [
        format!("id,theme\n{old_id},teaching\n"),
        format!("\"respondent\": \"{}\"", old_id.to_uppercase()),
        format!("x{}", &old_id[..10]),
    ] {
        let outputs = vec![(PathBuf::from("comments.csv"), text.clone())];
        let caught = std::panic::catch_unwind(|| assert_no_plain_hash(&values, &outputs));
        assert!(caught.is_err(), "not caught in {text}");
    }
    let clean = vec![(
        PathBuf::from("comments.csv"),
        "id\n0123456789abcdef\n".into(),
    )];
    assert_no_plain_hash(&values, &clean);
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn the_secret_is_made_once_owner_only_and_reused_and_another_changes_ids_not_figures() {
    let dir = tempfile::tempdir().unwrap();
    let pipeline = two_waves(dir.path(), Some("Email"));
    let secret = dir.path().join("two.secret");
    assert!(!secret.exists());
    run(&pipeline);
    let made = read(&secret);
    assert_eq!(made.trim().len(), 64, "{made}");
    #[cfg(unix)]
    assert_eq!(mode(&secret), 0o600);
    let out = dir.path().join("out");
    let (ids, items) = (
        comment_ids(&out.join("w1")),
        read(&out.join("w1/items.csv")),
    );
    // Never written to an output.
    for (path, text) in output_texts(&out) {
        assert!(
            !text.contains(made.trim()),
            "{} holds the secret",
            path.display()
        );
    }
    // Re-run from scratch: the same secret, the same bytes.
    std::fs::remove_dir_all(&out).unwrap();
    run(&pipeline);
    assert_eq!(read(&secret), made);
    assert_eq!(comment_ids(&out.join("w1")), ids);
    // Another secret: every stage re-runs; other ids, the same figures.
    std::fs::write(&secret, format!("{}\n", "ab".repeat(32))).unwrap();
    run(&pipeline);
    let other = comment_ids(&out.join("w1"));
    assert!(other.iter().all(|id| !ids.contains(id)), "{other:?}");
    assert_eq!(read(&out.join("w1/items.csv")), items);
    assert!(read(&out.join("w2/summary.md")).contains("30 respondents answered both waves"));
}

#[test]
fn the_secret_file_can_be_named_by_the_pipeline_or_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let pipeline = two_waves(dir.path(), Some("Email"));
    std::fs::create_dir(dir.path().join("keys")).unwrap();
    let text = read(&pipeline) + "\n[privacy]\nsecret_file = \"keys/project.secret\"\n";
    std::fs::write(&pipeline, text).unwrap();
    run(&pipeline);
    let named = dir.path().join("keys/project.secret");
    assert!(named.exists() && !dir.path().join("two.secret").exists());
    let ids = comment_ids(&dir.path().join("out/w1"));
    // The environment wins; a secret named there must exist (a new one would give new ids).
    let elsewhere = dir.path().join("received.secret");
    let env_run_with = |extra: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_canvass"))
            .args(["run", pipeline.to_str().unwrap(), "-q"])
            .args(extra)
            .env("CANVASS_SECRET_FILE", &elsewhere)
            .output()
            .unwrap()
    };
    let env_run = || env_run_with(&[]);
    // The run refuses, and so does its plan: --dry-run never promises a run that would stop.
    for o in [env_run(), env_run_with(&["--dry-run"])] {
        assert_eq!(o.status.code(), Some(1));
        let err = stderr(&o);
        assert!(
            err.contains("received.secret")
                && err.contains("missing")
                && err.contains("CANVASS_SECRET_FILE"),
            "{err}"
        );
    }
    assert!(!elsewhere.exists());
    std::fs::copy(&named, &elsewhere).unwrap();
    std::fs::write(&named, "ab".repeat(32)).unwrap();
    assert!(env_run().status.success());
    assert_eq!(comment_ids(&dir.path().join("out/w1")), ids);
}

#[test]
fn verify_says_plainly_when_the_secret_is_missing_or_another_and_never_makes_one() {
    let dir = tempfile::tempdir().unwrap();
    let pipeline = two_waves(dir.path(), Some("Email"));
    run(&pipeline);
    let manifest = dir.path().join("out/w2/manifest.json");
    let recorded = read(&manifest);
    let secret = dir.path().join("two.secret");
    assert!(
        !recorded.contains(read(&secret).trim()),
        "the manifest holds the secret"
    );
    assert!(recorded.contains("\"secret_fingerprint\""));
    let verify = || canvass(&["verify", manifest.to_str().unwrap()]);
    let o = verify();
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).contains("is the one the run used"),
        "{}",
        stdout(&o)
    );

    let original = read(&secret);
    std::fs::write(&secret, format!("{}\n", "cd".repeat(32))).unwrap();
    let o = verify();
    assert_eq!(o.status.code(), Some(1));
    let said = stdout(&o);
    assert!(said.contains("FAIL wrong respondent-id secret"), "{said}");
    assert!(!said.contains("re-run reproduces"), "{said}");

    std::fs::remove_file(&secret).unwrap();
    let o = verify();
    assert_eq!(o.status.code(), Some(1));
    let said = stdout(&o);
    assert!(
        said.contains("FAIL respondent-id secret missing (expected at")
            && said.contains("two.secret"),
        "{said}"
    );
    let line = said.lines().find(|l| l.starts_with("FAIL")).unwrap();
    assert!(!line.contains("/../"), "the path is shown tidy: {line}");
    assert!(
        stderr(&o).contains("keyed by the run's secret"),
        "{}",
        stderr(&o)
    );
    assert!(!secret.exists(), "verify made a secret");

    std::fs::write(&secret, original).unwrap();
    assert!(verify().status.success());
}

/// `canvass themes` names comments by the --id column's value or their row, never by a hash.
#[test]
fn standalone_themes_prints_no_hashed_id() {
    let dir = tempfile::tempdir().unwrap();
    let export = export(dir.path(), "e.csv", 30, true, 1);
    let assignments = dir.path().join("a.csv");
    let o = canvass(&[
        "themes",
        export.to_str().unwrap(),
        "--text",
        "Q2",
        "--k",
        "2",
        "--assignments",
        assignments.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let (_, rows) = read_csv(&assignments);
    assert_eq!(rows.len(), 30);
    assert!(rows.iter().all(|r| r[0].starts_with("row ")), "{rows:?}");
    let printed = stdout(&o) + &stderr(&o) + &read(&assignments);
    let hex16 = printed
        .split(|c: char| !c.is_ascii_hexdigit())
        .find(|run| run.len() >= 16);
    assert_eq!(hex16, None);
}

/// `canvass init`'s draft says how to name a key that pairs waves, and why not the tool's id.
#[test]
fn the_draft_says_how_to_name_a_key_that_pairs_waves() {
    let dir = tempfile::tempdir().unwrap();
    let export = export(dir.path(), "e.csv", 30, true, 1);
    let o = canvass(&["init", export.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let draft = stdout(&o);
    for said in [
        "only on a column each person keeps across waves",
        "Never the tool's response id or a row number",
        "# [respondent]\n# key = \"<that column>\"",
    ] {
        assert!(draft.contains(said), "`{said}` not in:\n{draft}");
    }
}
