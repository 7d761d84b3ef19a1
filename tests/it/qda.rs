//! REFI-QDA exchange on the shipped example: the exports validate against the published
//! schemas (tests/fixtures/refi-qda, checked with xmllint), their bytes are reproducible, and
//! export → import gives back the same codes and codings as themes.csv and comments.csv.

use crate::common::*;
use std::path::Path;

/// A scratch folder, and the wave-1 folder of the example's shared run (read only).
fn wave_one() -> (tempfile::TempDir, std::path::PathBuf) {
    (
        tempfile::tempdir().unwrap(),
        example_outputs().join("wave-1"),
    )
}

fn export(wave: &Path, out: &Path) -> Vec<u8> {
    let o = canvass(&["qda", wave.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    std::fs::read(out).unwrap()
}

fn project_qde(qdpx: &[u8]) -> String {
    use std::io::Read;
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(qdpx)).unwrap();
    let mut s = String::new();
    z.by_name("project.qde")
        .unwrap()
        .read_to_string(&mut s)
        .unwrap();
    s
}

/// xmllint, or None with the reason printed; under CI its absence is a failure.
fn xmllint() -> Option<()> {
    let here = std::process::Command::new("xmllint")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if here {
        return Some(());
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "xmllint is missing (Debian: apt-get install libxml2-utils; .ci/run installs it)"
    );
    eprintln!("skipped: xmllint not installed (apt-get install libxml2-utils)");
    None
}

fn validate(file: &Path, schema: &str) {
    let xsd = repo().join("tests/fixtures/refi-qda").join(schema);
    let o = std::process::Command::new("xmllint")
        .args(["--noout", "--schema"])
        .arg(&xsd)
        .arg(file)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "{} does not validate against {schema}: {}",
        file.display(),
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn exports_validate_against_the_refi_qda_schemas() {
    let Some(()) = xmllint() else { return };
    let (d, wave) = wave_one();
    let qdc = d.path().join("w.qdc");
    export(&wave, &qdc);
    validate(&qdc, "Codebook.xsd");
    let qde = d.path().join("project.qde");
    std::fs::write(&qde, project_qde(&export(&wave, &d.path().join("w.qdpx")))).unwrap();
    validate(&qde, "Project.xsd");
    // The check can fail: a code without its required guid does not validate.
    let broken = d.path().join("broken.qdc");
    let text = std::fs::read_to_string(&qdc).unwrap();
    std::fs::write(&broken, text.replacen(" guid=", " id=", 1)).unwrap();
    let o = std::process::Command::new("xmllint")
        .args(["--noout", "--schema"])
        .arg(repo().join("tests/fixtures/refi-qda/Codebook.xsd"))
        .arg(&broken)
        .output()
        .unwrap();
    assert!(!o.status.success());
}

#[test]
fn export_then_import_gives_the_same_codes_and_codings() {
    let (d, wave) = wave_one();
    let qdpx = d.path().join("w.qdpx");
    let bytes = export(&wave, &qdpx);
    // Reproducible: the same themes give the same bytes (GUIDs from hashes, zip time pinned).
    assert_eq!(bytes, export(&wave, &d.path().join("again.qdpx")));
    let xml = project_qde(&bytes);
    // No respondent key or contact detail: the example's e-mail addresses are @example.org.
    assert!(!xml.contains("@example"), "an address reached the project");
    let coded = d.path().join("coded.csv");
    let o = canvass(&[
        "qda",
        "import",
        qdpx.to_str().unwrap(),
        "-o",
        coded.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let (h, rows) = read_csv(&coded);
    assert_eq!(h, ["id", "theme"]);
    // comments.csv: every comment in a theme (codebook, learned, hand-coded or discovered),
    // with its theme's label; a comment in several themes ("a; b") is a coding for each.
    let (_, comments) = read_first_question_csv(&wave.join("comments.csv"));
    let expected: Vec<Vec<String>> = comments
        .iter()
        .filter(|c| c[3] != "non-substantive" && c[3] != "unthemed")
        .flat_map(|c| c[2].split("; ").map(|l| vec![c[0].clone(), l.to_string()]))
        .collect();
    assert_eq!(rows, expected);
    let ids: std::collections::BTreeSet<&String> = rows.iter().map(|r| &r[0]).collect();
    assert_eq!(ids.len(), 54, "57 comments less 3 not substantive");
    // The codebook: the labels of themes.csv, in the themes' order.
    let qdc = d.path().join("w.qdc");
    export(&wave, &qdc);
    let o = canvass(&["qda", "import", qdc.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let book = stdout(&o);
    // themes.csv lists themes largest first; the codebook keeps their numbers' order.
    let (th, mut themes) = read_first_question_csv(&wave.join("themes.csv"));
    themes.sort_by_key(|r| r[0].parse::<usize>().unwrap());
    let label = th.iter().position(|c| c == "label").unwrap();
    let imported: Vec<&str> = book
        .lines()
        .filter_map(|l| l.strip_prefix("theme = \""))
        .map(|l| l.trim_end_matches('"'))
        .collect();
    let labels: Vec<&str> = themes.iter().map(|r| r[label].as_str()).collect();
    assert_eq!(imported, labels);
    assert!(book.contains(
        "phrases = [\"workload\", \"paperwork\", \"time pressure\", \"extra meetings\"]"
    ));
}

#[test]
fn a_file_that_is_not_refi_qda_is_refused_with_a_reason() {
    let d = tempfile::tempdir().unwrap();
    let f = d.path().join("x.qdpx");
    std::fs::write(&f, "not a zip").unwrap();
    let o = canvass(&["qda", "import", f.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("is not a zip archive"),
        "{}",
        stderr(&o)
    );
}
