//! Helpers for integration tests: run the built binary, make scratch pipelines.

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
    example_pipeline_reading(dir, &repo().join("surveys/aspire-pilot"))
}

/// As `example_pipeline`, reading the survey folder `example` (a copy a test may change).
pub fn example_pipeline_reading(dir: &Path, example: &Path) -> PathBuf {
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

/// The rows of themes.csv or comments.csv that are the survey's first open question's (they
/// come first; a row names its question in `question`).
pub fn read_first_question_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let (header, mut rows) = read_csv(path);
    if let Some(q) = header.iter().position(|h| h == "question") {
        let first = rows.first().map(|r| r[q].clone());
        rows.retain(|r| Some(&r[q]) == first.as_ref());
    }
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

/// Every output below `dir` as text to search: compressed files unpacked (each part of a .docx,
/// .xlsx or .qdpx), Parquet files read row by row (each value in its text form), the rest as
/// they are. Searching the compressed bytes would find nothing, whatever leaked.
pub fn output_texts(dir: &Path) -> Vec<(PathBuf, String)> {
    outputs_below(dir)
        .into_iter()
        .map(|(path, bytes)| {
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
            let text = match ext {
                "docx" | "xlsx" | "qdpx" => unzipped_text(&bytes),
                "parquet" => parquet_text(&dir.join(&path)),
                _ => String::from_utf8_lossy(&bytes).into_owned(),
            };
            (path, text)
        })
        .collect()
}

/// Every entry of a zip archive, decompressed, one after another.
pub fn unzipped_text(bytes: &[u8]) -> String {
    assert!(bytes.starts_with(b"PK"), "not a zip archive");
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut text = String::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let mut part = Vec::new();
        entry.read_to_end(&mut part).unwrap();
        // A nested archive (a .qdpx holds its sources) is unpacked too.
        if part.starts_with(b"PK\x03\x04") {
            text.push_str(&unzipped_text(&part));
        } else {
            text.push_str(&String::from_utf8_lossy(&part));
        }
        text.push('\n');
    }
    text
}

/// Every value of every row of a Parquet file, one per line.
pub fn parquet_text(path: &Path) -> String {
    use parquet::file::reader::{FileReader, SerializedFileReader};
    let reader = SerializedFileReader::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut text = String::new();
    for row in reader.get_row_iter(None).unwrap() {
        for (name, field) in row.unwrap().get_column_iter() {
            text.push_str(&format!("{name}={field}\n"));
        }
    }
    text
}

/// The values an export's respondent ids could be plain hashes of, as ingest reads them
/// (trimmed, lower-cased): every non-blank value of its identifying columns (the tool's response
/// id among them) and the `row N` of every line, which ids of rows without a key once hashed.
pub fn key_values(export: &Path, dictionary: Option<&Path>) -> Vec<String> {
    use canvass::ingest::{read_export, roles, ReadOptions};
    use canvass::model::ColumnRole;
    let read = ReadOptions::new(None, dictionary.map(Path::to_path_buf));
    let raw = read_export(export, &read).unwrap();
    let format = raw.source.format;
    let key = roles::default_key(format, &raw.columns);
    let columns: Vec<usize> = (0..raw.columns.len())
        .filter(|&i| {
            Some(i) == key
                || roles::column_role(format, &raw.columns[i], &[], &[]) == ColumnRole::Identifier
        })
        .collect();
    let mut values: Vec<String> = raw
        .rows
        .iter()
        .flat_map(|r| columns.iter().map(|&i| r.cells[i].trim().to_lowercase()))
        .filter(|v| !v.is_empty())
        .collect();
    let last = raw.rows.iter().map(|r| r.line).max().unwrap_or(0);
    values.extend((1..=last).map(|line| format!("row {line}")));
    values.sort();
    values.dedup();
    values
}

/// Fails naming the file when an output holds 8 or more leading hex digits of the SHA-256,
/// SHA-1 or MD5 of any of `values`: anyone holding the values could compute them and so
/// re-identify the respondent. Each run of hex digits is compared from its start (on up to 16
/// digits, an id's length), and every 16 digits within a longer run, so that chance agreement
/// of unrelated hex (other files' SHA-256 in a manifest) stays below one in ten million.
pub fn assert_no_plain_hash(values: &[String], outputs: &[(PathBuf, String)]) {
    use md5::Md5;
    use sha1::Sha1;
    use sha2::{Digest, Sha256};
    use std::collections::HashMap;
    let hex = |d: &[u8]| d.iter().map(|b| format!("{b:02x}")).collect::<String>();
    // By length 8..=16: the prefixes of that length, each with its value.
    let mut prefixes: HashMap<usize, HashMap<String, &str>> = HashMap::new();
    for v in values {
        let b = v.as_bytes();
        for digest in [
            hex(&Sha256::digest(b)),
            hex(&Sha1::digest(b)),
            hex(&Md5::digest(b)),
        ] {
            for len in 8..=16 {
                prefixes
                    .entry(len)
                    .or_default()
                    .insert(digest[..len].to_string(), v.as_str());
            }
        }
    }
    for (path, text) in outputs {
        let lower = text.to_ascii_lowercase();
        for run in lower
            .split(|c: char| !c.is_ascii_hexdigit())
            .filter(|r| r.len() >= 8)
        {
            let k = run.len().min(16);
            let mut found = prefixes[&k].get(&run[..k]).copied();
            if run.len() > 16 {
                found = found.or_else(|| {
                    (0..=run.len() - 16).find_map(|i| prefixes[&16].get(&run[i..i + 16]).copied())
                });
            }
            if let Some(value) = found {
                panic!(
                    "{} holds `{run}`, a plain hash of the key value `{value}`",
                    path.display()
                );
            }
        }
    }
}

/// Runs a one-wave pipeline on a copy of tests/fixtures/questions/staff.csv with `survey`
/// (suppression at 3, the smallest allowed) in a fresh folder, which is returned; the wave's
/// files are in `out/w1`.
pub fn run_staff_with(survey: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        repo().join("tests/fixtures/questions/staff.csv"),
        dir.path().join("staff.csv"),
    )
    .unwrap();
    std::fs::write(dir.path().join("survey.toml"), survey).unwrap();
    std::fs::write(
        dir.path().join("pipeline.toml"),
        "name = 'staff'\nsurvey = 'survey.toml'\noutput = 'out'\nsuppress_below = 3\n\
         [[waves]]\nname = 'w1'\nexport = 'staff.csv'\n",
    )
    .unwrap();
    let o = canvass(&["run", dir.path().join("pipeline.toml").to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    dir
}

/// As a new user does: `canvass init EXPORT` into `dir`/survey.toml, a one-wave pipeline over
/// the export, and `canvass run` on it with no edit, which must succeed. Returns the draft; the
/// wave's files are in `dir`/out/w1.
pub fn draft_and_run(export: &Path, dir: &Path) -> String {
    let init = canvass(&["init", export.to_str().unwrap()]);
    assert_eq!(init.status.code(), Some(0), "{}", stderr(&init));
    let draft = stdout(&init);
    std::fs::write(dir.join("survey.toml"), &draft).unwrap();
    let quoted = toml::Value::String(export.display().to_string()).to_string();
    std::fs::write(
        dir.join("pipeline.toml"),
        format!("name = \"p\"\nsurvey = \"survey.toml\"\noutput = \"out\"\n[[waves]]\nname = \"w1\"\nexport = {quoted}\n"),
    )
    .unwrap();
    let run = canvass(&[
        "run",
        dir.join("pipeline.toml").to_str().unwrap(),
        "--quiet",
    ]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    draft
}

/// The example's three waves, run once for the whole test binary into a scratch folder that
/// lives as long as the process: its `out` folder. Tests that only read the outputs share it
/// (read-only: a test that edits an output or re-runs makes its own with `example_pipeline`).
pub fn example_outputs() -> &'static Path {
    static OUT: std::sync::OnceLock<(tempfile::TempDir, PathBuf)> = std::sync::OnceLock::new();
    &OUT.get_or_init(run_example).1
}

/// A fresh run of the example's three waves in a scratch folder: the folder and its `out`.
pub fn run_example() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let pipeline = example_pipeline(dir.path());
    let o = canvass(&["run", pipeline.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = dir.path().join("out");
    (dir, out)
}
