//! Helpers for integration tests: run the built binary, make scratch pipelines.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `canvass` with arguments and returns its output.
pub fn canvass(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_canvass"))
        .args(args)
        .output()
        .expect("the canvass binary runs")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The example's respondent-id secret copied beside a pipeline at `pipeline`, as its
/// `<stem>.secret`, so that its ids are the published reports'.
pub fn copy_example_secret(pipeline: &Path) {
    std::fs::copy(
        repo().join("pipelines/aspire-pilot.secret"),
        pipeline.with_extension("secret"),
    )
    .unwrap();
}

/// A copy of the example pipeline (with its secret) that writes into `dir/out` and reads the
/// shipped survey and exports by absolute path.
pub fn example_pipeline(dir: &Path) -> PathBuf {
    let example = repo().join("surveys/aspire-pilot");
    let text = std::fs::read_to_string(repo().join("pipelines/aspire-pilot.toml"))
        .unwrap()
        .replace("../surveys/aspire-pilot", &example.display().to_string())
        .replace(
            "../reports/aspire-pilot",
            &dir.join("out").display().to_string(),
        );
    let p = dir.join("pipeline.toml");
    std::fs::write(&p, text).unwrap();
    copy_example_secret(&p);
    p
}

/// Every file below a folder, sorted, with its bytes.
pub fn files_below(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let bytes = std::fs::read(&p).unwrap();
                out.push((p.strip_prefix(dir).unwrap().to_path_buf(), bytes));
            }
        }
    }
    out.sort();
    out
}

/// As `files_below`, without the stage cache (`.canvass/`): the deliverables only. The cache's
/// keys name the pipeline's folder, so they differ between scratch folders as manifests do.
pub fn outputs_below(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    files_below(dir)
        .into_iter()
        .filter(|(p, _)| !p.components().any(|c| c.as_os_str() == ".canvass"))
        .collect()
}

/// Parses a CSV file into header and rows.
pub fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_path(path)
        .unwrap();
    let header = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r
        .records()
        .map(|x| x.unwrap().iter().map(String::from).collect())
        .collect();
    (header, rows)
}

pub fn row_by<'a>(rows: &'a [Vec<String>], col: usize, value: &str) -> &'a Vec<String> {
    rows.iter()
        .find(|r| r[col] == value)
        .unwrap_or_else(|| panic!("no row with {value}"))
}

pub fn close(actual: &str, expected: f64, tolerance: f64) {
    let a: f64 = actual
        .parse()
        .unwrap_or_else(|_| panic!("`{actual}` is not a number"));
    assert!(
        (a - expected).abs() <= tolerance,
        "{a} differs from {expected} by more than {tolerance}"
    );
}
