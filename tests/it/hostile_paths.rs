//! Issue 26, paths and runs: what a hostile or careless user does with manifests, output
//! folders, links, devices, concurrent and killed runs, and the smaller holes found with them.
//! Each test plants the hostile state by hand and checks that nothing outside the output folder
//! is touched and that the outputs stay whole.

use crate::common::{canvass, outputs_below, repo, stderr, stdout};
use std::path::{Path, PathBuf};

/// A one-wave project in `dir`: the example's survey, coded sample and first export beside a
/// pipeline that writes into `output`.
fn project(dir: &Path, output: &str) -> PathBuf {
    std::fs::create_dir_all(dir.join("exports")).unwrap();
    std::fs::create_dir_all(dir.join("coded")).unwrap();
    let copy = |from: &str, to: &str| {
        std::fs::copy(repo().join(from), dir.join(to)).unwrap();
    };
    copy("surveys/aspire-pilot/survey.toml", "survey.toml");
    copy("surveys/aspire-pilot/coded/wave-1.csv", "coded/wave-1.csv");
    copy(
        "surveys/aspire-pilot/exports/wave-1.csv",
        "exports/wave-1.csv",
    );
    pipeline(dir, output, "exports/wave-1.csv", "")
}

/// Writes `dir/pipeline.toml` with one wave `wave-1` reading `export`; `extra` goes before the
/// wave.
fn pipeline(dir: &Path, output: &str, export: &str, extra: &str) -> PathBuf {
    let p = dir.join("pipeline.toml");
    std::fs::write(
        &p,
        format!(
            "name = \"hostile\"\nsurvey = \"survey.toml\"\noutput = \"{output}\"\n{extra}\n\
             [[waves]]\nname = \"wave-1\"\nexport = \"{export}\"\n"
        ),
    )
    .unwrap();
    p
}

fn run(pipeline: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["run", pipeline.to_str().unwrap(), "--quiet"];
    args.extend_from_slice(extra);
    canvass(&args)
}

fn run_ok(pipeline: &Path, extra: &[&str]) {
    let o = run(pipeline, extra);
    assert!(o.status.success(), "{}", stderr(&o));
}

/// Every name ending in `.canvass-tmp` below `dir`, links included.
fn temps_below(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let kind = e.file_type().unwrap();
            if kind.is_dir() {
                stack.push(e.path());
            } else if e.file_name().to_string_lossy().ends_with(".canvass-tmp") {
                found.push(e.path());
            }
        }
    }
    found
}

fn verify(manifest: &Path) -> std::process::Output {
    canvass(&["verify", manifest.to_str().unwrap()])
}

/// The example's committed first-wave manifest, edited by `edit`, written into `dir/wave-1`.
fn edited_manifest(dir: &Path, edit: impl FnOnce(&mut serde_json::Value)) -> PathBuf {
    let text =
        std::fs::read_to_string(repo().join("reports/aspire-pilot/wave-1/manifest.json")).unwrap();
    let mut m: serde_json::Value = serde_json::from_str(&text).unwrap();
    edit(&mut m);
    let folder = dir.join("wave-1");
    std::fs::create_dir_all(&folder).unwrap();
    let path = folder.join("manifest.json");
    std::fs::write(&path, serde_json::to_vec_pretty(&m).unwrap()).unwrap();
    path
}

#[test]
fn verify_refuses_a_manifest_whose_wave_leaves_its_folder_and_removes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let p = project(d, "out");
    run_ok(&p, &[]);
    let victim = d.join("victim");
    std::fs::create_dir_all(&victim).unwrap();
    std::fs::write(victim.join("keep.txt"), b"mine").unwrap();
    let tmp = d.join("tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    let manifest = d.join("out/wave-1/manifest.json");
    let verify_in_tmp = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_canvass"))
            .args(["verify", manifest.to_str().unwrap()])
            .env("TMPDIR", &tmp)
            .output()
            .unwrap()
    };
    // verify re-runs in a folder of its own, and removes it.
    let o = verify_in_tmp();
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    assert_eq!(std::fs::read_dir(&tmp).unwrap().count(), 0);
    // Every check but the re-run holds; the old scratch folder, `$TMPDIR/canvass-verify-PID-`
    // joined with this wave, was `victim`, removed after the re-run.
    let text = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(
        &manifest,
        text.replacen("\"wave\": \"wave-1\"", "\"wave\": \"/../../victim\"", 1),
    )
    .unwrap();
    let o = verify_in_tmp();
    assert!(victim.join("keep.txt").exists(), "verify removed victim/");
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stderr(&o).contains("`wave` `/../../victim` is not a wave's folder name"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn verify_refuses_outputs_outside_the_wave_folder_rather_than_vouching_for_them() {
    let dir = tempfile::tempdir().unwrap();
    let outside = dir.path().join("outside.txt");
    std::fs::write(&outside, b"not written by canvass\n").unwrap();
    // SHA-256 of the bytes above, so that the old verify found it "unchanged" and "reproduced".
    let sha = "719888699a0cea558cf2f4cad8281d4d27dca19e0e6960d8b18817c9d2dde101";
    for path in [outside.display().to_string(), "../outside.txt".to_string()] {
        let manifest = edited_manifest(dir.path(), |m| {
            m["outputs"] = serde_json::json!([{ "path": path, "sha256": sha }]);
        });
        let o = verify(&manifest);
        assert_eq!(o.status.code(), Some(1), "{path}: {}", stdout(&o));
        assert!(!stdout(&o).contains("reproduces"), "{path}: {}", stdout(&o));
        assert!(
            stderr(&o).contains(&format!(
                "lists the output {path}, which is not in the wave's folder"
            )),
            "{}",
            stderr(&o)
        );
    }
    // An input may walk up to the project, but not start at the root.
    let manifest = edited_manifest(dir.path(), |m| {
        m["survey"]["path"] = "/etc/hostname".into();
    });
    let o = verify(&manifest);
    assert!(
        stderr(&o).contains("names the input /etc/hostname"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_run_refuses_an_output_folder_that_holds_its_export() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    project(d, "out");
    // The raw export sits where wave-1's items.csv would be written.
    std::fs::create_dir_all(d.join("data/wave-1")).unwrap();
    let export = d.join("data/wave-1/items.csv");
    std::fs::copy(d.join("exports/wave-1.csv"), &export).unwrap();
    let before = std::fs::read(&export).unwrap();
    let p = pipeline(d, "data", "data/wave-1/items.csv", "");
    let o = run(&p, &[]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("config key `waves[0].export`")
            && err.contains("items.csv is inside")
            && err.contains("would replace it"),
        "{err}"
    );
    assert_eq!(std::fs::read(&export).unwrap(), before);
    // Beside the output folder's waves (not in one) an export is fine.
    pipeline(d, "data", "exports/wave-1.csv", "");
}

#[cfg(unix)]
#[test]
fn written_files_never_go_through_a_link_nor_over_a_device() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let victim = d.join("victim.txt");
    std::fs::write(&victim, b"mine\n").unwrap();
    let wave = repo().join("reports/aspire-pilot/wave-1");
    // `-o` onto a link: refused, the link and its target as they were.
    let link = d.join("review.toml");
    symlink(&victim, &link).unwrap();
    for command in ["review", "codebook"] {
        let o = canvass(&[
            command,
            wave.to_str().unwrap(),
            "-o",
            link.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(1), "{command}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("is a symbolic link"),
            "{command}: {}",
            stderr(&o)
        );
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(std::fs::read(&victim).unwrap(), b"mine\n");
    }
    // `-o` onto a FIFO (a special file, as a device node is): refused, still a FIFO.
    let fifo = d.join("fifo");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if made.is_ok_and(|s| s.success()) {
        let o = canvass(&[
            "review",
            wave.to_str().unwrap(),
            "-o",
            fifo.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(1));
        assert!(
            stderr(&o).contains("is not a regular file"),
            "{}",
            stderr(&o)
        );
        use std::os::unix::fs::FileTypeExt;
        assert!(std::fs::symlink_metadata(&fifo)
            .unwrap()
            .file_type()
            .is_fifo());
    }
    assert!(temps_below(d).is_empty(), "{:?}", temps_below(d));
}

#[cfg(unix)]
#[test]
fn a_run_neither_follows_a_planted_temporary_link_nor_replaces_a_linked_output() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let p = project(d, "out");
    run_ok(&p, &[]);
    let wave = d.join("out/wave-1");
    let victim = d.join("victim.txt");
    std::fs::write(&victim, b"mine\n").unwrap();
    // The temporary names earlier versions used, planted as links to the victim.
    for name in ["summary.html.canvass-tmp", "manifest.json.canvass-tmp"] {
        symlink(&victim, wave.join(name)).unwrap();
    }
    run_ok(&p, &["--from", "report"]);
    assert_eq!(std::fs::read(&victim).unwrap(), b"mine\n");
    assert!(temps_below(d).is_empty(), "{:?}", temps_below(d));
    assert!(std::fs::symlink_metadata(wave.join("summary.html"))
        .unwrap()
        .file_type()
        .is_file());
    // An output replaced by a link: the run stops rather than replace the user's link.
    std::fs::remove_file(wave.join("summary.md")).unwrap();
    symlink(&victim, wave.join("summary.md")).unwrap();
    let o = run(&p, &["--from", "report"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("is a symbolic link"), "{}", stderr(&o));
    assert_eq!(std::fs::read(&victim).unwrap(), b"mine\n");
    assert!(temps_below(d).is_empty(), "{:?}", temps_below(d));
}

#[test]
fn a_second_run_into_the_same_folder_waits_for_the_first_and_says_so() {
    use std::io::{BufRead, Read};
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let p = project(d, "out");
    // The test holds the folder's lock, as a first run would.
    std::fs::create_dir_all(d.join("out/.canvass")).unwrap();
    let lock = std::fs::File::create(d.join("out/.canvass/lock")).unwrap();
    lock.lock().unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_canvass"))
        .args(["run", p.to_str().unwrap(), "--quiet"])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut first = String::new();
    err.read_line(&mut first).unwrap();
    assert!(
        first.contains("waiting: another canvass run is writing"),
        "{first}"
    );
    // Nothing is written while the first run holds the folder.
    assert!(!d.join("out/wave-1/manifest.json").exists());
    lock.unlock().unwrap();
    let mut rest = String::new();
    err.read_to_string(&mut rest).unwrap();
    assert!(child.wait().unwrap().success(), "{rest}");
    assert!(d.join("out/wave-1/manifest.json").exists());
}

/// The state a run killed during its final renames leaves: a journal of the renames of
/// `files` (name in the wave's folder, new bytes; the manifest last), the first of them made,
/// the others' temporary files waiting; and the temporary file of a run killed before its
/// journal.
fn killed_during_the_renames(wave: &Path, files: &[(String, Vec<u8>)]) {
    let mut renames = Vec::new();
    for (i, (name, bytes)) in files.iter().enumerate() {
        let tmp = format!(".{name}.1-{i}.canvass-tmp");
        std::fs::write(wave.join(&tmp), bytes).unwrap();
        renames.push(serde_json::json!([tmp, name]));
    }
    std::fs::write(
        wave.join(".canvass-publish.json"),
        serde_json::to_vec(&serde_json::json!({ "renames": renames })).unwrap(),
    )
    .unwrap();
    let (first, _) = &files[0];
    std::fs::rename(
        wave.join(format!(".{first}.1-0.canvass-tmp")),
        wave.join(first),
    )
    .unwrap();
    std::fs::write(wave.join(".items.csv.2-0.canvass-tmp"), b"half a fi").unwrap();
}

/// Every output a wave's manifest lists, then the manifest, with their bytes.
fn published(wave: &Path) -> Vec<(String, Vec<u8>)> {
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(wave.join("manifest.json")).unwrap()).unwrap();
    let mut names: Vec<String> = manifest["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["path"].as_str().unwrap().to_string())
        .collect();
    names.push("manifest.json".into());
    names
        .into_iter()
        .map(|n| {
            let bytes = std::fs::read(wave.join(&n)).unwrap();
            (n, bytes)
        })
        .collect()
}

#[test]
fn a_run_killed_during_its_renames_is_completed_by_the_next_run() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    project(d, "out");
    std::fs::create_dir_all(d.join("templates")).unwrap();
    for t in ["summary.html.j2", "summary.md.j2"] {
        std::fs::copy(
            repo().join("reports/templates").join(t),
            d.join("templates").join(t),
        )
        .unwrap();
    }
    let p = pipeline(
        d,
        "out",
        "exports/wave-1.csv",
        "templates = \"templates\"\n",
    );
    let wave = d.join("out/wave-1");
    // The outputs of a run with an edited template: what the killed run was putting in place.
    let template = d.join("templates/summary.md.j2");
    let original = std::fs::read_to_string(&template).unwrap();
    std::fs::write(&template, format!("{original}\nEdited.\n")).unwrap();
    run_ok(&p, &[]);
    let edited = published(&wave);
    // Then a whole run with the original template: its report's cache entry is the last one.
    std::fs::write(&template, &original).unwrap();
    run_ok(&p, &[]);
    let before = outputs_below(&d.join("out"));
    killed_during_the_renames(&wave, &edited);
    // Until a run completes it, verify says the folder was left mid-publish.
    let o = verify(&wave.join("manifest.json"));
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("stopped while it replaced the outputs"),
        "{}",
        stderr(&o)
    );
    // The next run completes the publish before anything else (whole outputs, no temporary
    // file), and runs the report again: the cache's entry is not that of the outputs in place.
    run_ok(&p, &[]);
    assert!(temps_below(d).is_empty(), "{:?}", temps_below(d));
    assert!(!wave.join(".canvass-publish.json").exists());
    let after = outputs_below(&d.join("out"));
    assert!(
        after == before,
        "the outputs are not the current template's"
    );
    let o = verify(&wave.join("manifest.json"));
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
}

#[test]
fn a_review_file_with_a_wave_twice_or_a_theme_renamed_twice_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    project(d, "out");
    let p = pipeline(
        d,
        "out",
        "exports/wave-1.csv",
        "[themes]\nreview = \"review.toml\"\n",
    );
    let review = d.join("review.toml");
    std::fs::write(
        &review,
        "[[wave]]\nname = \"wave-1\"\nwithhold = [\"a\"]\n[[wave]]\nname = \"wave-1\"\n",
    )
    .unwrap();
    let o = run(&p, &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("config key `wave[1].name`")
            && stderr(&o).contains("second [[wave]] block"),
        "{}",
        stderr(&o)
    );
    std::fs::write(
        &review,
        "[[wave]]\nname = \"wave-1\"\n[[wave.rename]]\ntheme = \"t\"\nlabel = \"A\"\n\
         [[wave.rename]]\ntheme = \"t\"\nlabel = \"B\"\n",
    )
    .unwrap();
    let o = run(&p, &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("wave[0].rename[1].theme") && stderr(&o).contains("renamed twice"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn summary_md_has_no_live_link_and_a_runaway_template_is_stopped() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let p = project(d, "out");
    let survey = std::fs::read_to_string(d.join("survey.toml"))
        .unwrap()
        .replace(
            "title = \"ASPIRE pilot: staff survey\"",
            "title = \"Staff [survey](javascript:alert(1))\"",
        );
    std::fs::write(d.join("survey.toml"), survey).unwrap();
    run_ok(&p, &[]);
    let md = std::fs::read_to_string(d.join("out/wave-1/summary.md")).unwrap();
    assert!(
        md.contains("# Staff [survey\\](javascript:alert(1))"),
        "{}",
        &md[..200]
    );
    // Templates whose loop would run 10^10 times.
    std::fs::create_dir_all(d.join("templates")).unwrap();
    std::fs::write(d.join("templates/summary.html.j2"), "{{ title }}\n").unwrap();
    std::fs::write(
        d.join("templates/summary.md.j2"),
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}\n",
    )
    .unwrap();
    let p = pipeline(
        d,
        "out",
        "exports/wave-1.csv",
        "templates = \"templates\"\n",
    );
    let o = run(&p, &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("config key `templates`")
            && stderr(&o).contains("takes more than 50000000 steps"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn agree_reads_one_zero_columns_written_as_pandas_writes_them() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.csv");
    let b = dir.path().join("b.csv");
    std::fs::write(&a, "id,staff,food\n1,1.0,0.0\n2,1.0,1.0\n3,0.0,1.0\n").unwrap();
    std::fs::write(&b, "id,theme\n1,staff\n2,staff\n2,food\n3,food\n").unwrap();
    let o = canvass(&["agree", a.to_str().unwrap(), b.to_str().unwrap(), "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let r: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!((r["n"].as_u64(), r["exact"].as_u64()), (Some(3), Some(3)));
}

#[test]
fn escape_sequences_in_a_file_reach_the_terminal_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("e.csv");
    let mut text = String::from("id,\u{1b}]0;owned\u{7}comment\n");
    for i in 0..40 {
        text.push_str(&format!(
            "{i},staff morale is \u{1b}[2Jbetter than before number {}\n",
            i % 5
        ));
    }
    std::fs::write(&export, text).unwrap();
    let o = canvass(&["inspect", export.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!o.stdout.contains(&0x1b), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("\\u{1b}]0;owned\\u{7}comment"),
        "{}",
        stdout(&o)
    );
    let o = canvass(&[
        "themes",
        export.to_str().unwrap(),
        "--text",
        "\u{1b}]0;owned\u{7}comment",
        "--k",
        "2",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!o.stdout.contains(&0x1b), "{}", stdout(&o));
    assert!(stdout(&o).contains("\\u{1b}[2J"), "{}", stdout(&o));
}

#[test]
fn qda_import_guards_formula_like_cells() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let qdpx = dir.path().join("p.qdpx");
    let project = r#"<?xml version="1.0" encoding="utf-8"?>
<Project name="p"><CodeBook><Codes><Code guid="c1" name="=HYPERLINK(&quot;http://x&quot;)" isCodable="true"/></Codes></CodeBook>
<Sources><TextSource guid="s1" name="s"><PlainTextSelection guid="p1" name="@SUM(A1)" startPosition="0" endPosition="1"><Coding guid="g1"><CodeRef targetGUID="c1"/></Coding></PlainTextSelection></TextSource></Sources></Project>
"#;
    let mut z = zip::ZipWriter::new(std::fs::File::create(&qdpx).unwrap());
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    z.start_file("project.qde", stored).unwrap();
    z.write_all(project.as_bytes()).unwrap();
    z.finish().unwrap();
    let o = canvass(&["qda", "import", qdpx.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let csv = stdout(&o);
    assert!(
        csv.contains("'@SUM(A1),\"'=HYPERLINK(\"\"http://x\"\")\""),
        "{csv}"
    );
}
