//! tables.xlsx, read back with calamine: the example's workbook against the CSV files written
//! with it, and text from respondents that looks like a formula, which must stay text in the
//! workbook and be quoted in the CSV files.

use crate::common::*;
use calamine::{open_workbook, Data, DataType, Range, Reader, Xlsx};
use std::path::Path;

fn workbook(path: &Path) -> Xlsx<std::io::BufReader<std::fs::File>> {
    open_workbook(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn sheet(book: &mut Xlsx<std::io::BufReader<std::fs::File>>, name: &str) -> Range<Data> {
    book.worksheet_range(name)
        .unwrap_or_else(|e| panic!("sheet {name}: {e}"))
}

/// A cell as text, the way the CSV would hold it (numbers as written by canvass are compared
/// as numbers elsewhere).
fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn row_texts(range: &Range<Data>, row: usize) -> Vec<String> {
    let width = range.width();
    (0..width)
        .map(|c| range.get((row, c)).map_or_else(String::new, cell_text))
        .collect()
}

fn column_of(header: &[String], name: &str) -> usize {
    header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name}"))
}

#[test]
fn the_example_workbook_agrees_with_its_csv_files() {
    let wave = example_outputs().join("wave-2");
    let mut book = workbook(&wave.join("tables.xlsx"));

    // Wave 2 has a comparison (changes.csv), an open question (themes, comments) and learned
    // coding from the survey's coded sample (agreement).
    assert_eq!(
        book.sheet_names(),
        [
            "Read me",
            "items",
            "choices",
            "numbers",
            "scales",
            "segments",
            "crosstabs",
            "themes",
            "comments",
            "themes_by_segment",
            "agreement",
            "changes",
            "exclusions"
        ]
    );

    // Every table sheet has the CSV's header as its first row, and as many rows.
    for name in &book.sheet_names()[1..] {
        let (header, rows) = read_csv(&wave.join(format!("{name}.csv")));
        let range = sheet(&mut book, name);
        assert_eq!(row_texts(&range, 0), header, "{name}: header");
        assert_eq!(range.height(), rows.len() + 1, "{name}: rows");
    }

    // items: n and % agree are numbers equal to items.csv's, row for row. The CSV's figures are
    // the expected values (the figures themselves are checked against R in example_pipeline.rs).
    let (header, rows) = read_csv(&wave.join("items.csv"));
    let (n, pct) = (column_of(&header, "n"), column_of(&header, "pct_agree"));
    let items = sheet(&mut book, "items");
    for (r, row) in rows.iter().enumerate() {
        let at = |c: usize| items.get((r + 1, c)).unwrap();
        assert!(
            at(n).is_float() || at(n).is_int(),
            "n is a number: {:?}",
            at(n)
        );
        assert_eq!(
            at(n).as_f64(),
            Some(row[n].parse::<f64>().unwrap()),
            "{row:?}"
        );
        assert!(at(pct).is_float(), "% agree is a number: {:?}", at(pct));
        assert_eq!(
            at(pct).as_f64(),
            Some(row[pct].parse::<f64>().unwrap()),
            "{row:?}"
        );
        assert_eq!(cell_text(at(0)), row[0], "item id");
    }

    // segments: a suppressed row (School groups are all under 10, see example_pipeline.rs) reads
    // as in segments.csv: the flag "true" as text and no figure, never a number.
    let (header, rows) = read_csv(&wave.join("segments.csv"));
    let flag = column_of(&header, "suppressed");
    let r = rows
        .iter()
        .position(|r| r[flag] == "true")
        .expect("segments.csv has a suppressed cell");
    let segments = sheet(&mut book, "segments");
    assert_eq!(row_texts(&segments, r + 1), rows[r]);
    for c in [
        flag,
        column_of(&header, "n"),
        column_of(&header, "pct_agree"),
    ] {
        let cell = segments.get((r + 1, c)).unwrap();
        assert!(cell.is_string() || cell.is_empty(), "{cell:?}");
    }

    // Read me: the export's SHA-256 is the one manifest.json records.
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(wave.join("manifest.json")).unwrap()).unwrap();
    let export_sha = manifest["inputs"][1]["sha256"].as_str().unwrap();
    let read_me = sheet(&mut book, "Read me");
    assert_eq!(row_texts(&read_me, 0), ["what", "value", "sha256"]);
    let export_row = (0..read_me.height())
        .map(|r| row_texts(&read_me, r))
        .find(|r| r[0] == "export, wave-2")
        .expect("the export is listed");
    assert_eq!(export_row[1..], ["wave-2.csv", export_sha]);
    let kept = (0..read_me.height())
        .find(|&r| cell_text(read_me.get((r, 0)).unwrap()) == "respondents kept")
        .unwrap();
    // 70 kept in wave 2: example_pipeline.rs's accounting (74 read, 2 previews, 2 unfinished).
    assert_eq!(read_me.get((kept, 1)).unwrap().as_f64(), Some(70.0));
}

/// Comments and region names that a spreadsheet would run as formulas.
const HOSTILE: [&str; 4] = ["=HYPERLINK(\"http://x\")", "+1", "@SUM(A1)", "-2+3"];

#[test]
fn text_that_looks_like_a_formula_stays_text() {
    // The example's first wave, with four respondents' comments and the regions replaced.
    let path = repo().join("surveys/aspire-pilot/exports/wave-1.csv");
    let mut records: Vec<Vec<String>> = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(path)
        .unwrap()
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    let col = |name: &str| records[0].iter().position(|c| c == name).unwrap();
    let (q4, region, status) = (col("Q4"), col("Region"), col("Status"));
    let mut comments = HOSTILE.iter();
    for (k, r) in records[3..].iter_mut().enumerate() {
        // Respondents take the four names in turn, so each group has about 18 of the 72 and
        // is not suppressed (below 10): every name reaches segments.csv with its figures.
        r[region] = HOSTILE[k % HOSTILE.len()].to_string();
        if r[status] == "IP Address" && !r[q4].is_empty() {
            if let Some(c) = comments.next() {
                r[q4] = c.to_string();
            }
        }
    }
    assert_eq!(comments.next(), None, "every comment was placed");
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("export.csv");
    let mut w = csv::Writer::from_path(&export).unwrap();
    for r in &records {
        w.write_record(r).unwrap();
    }
    w.flush().unwrap();
    let pipeline = dir.path().join("pipeline.toml");
    std::fs::write(
        &pipeline,
        format!(
            "name = \"hostile\"\nsurvey = {:?}\noutput = \"out\"\n\n[[waves]]\nname = \"wave-1\"\nexport = \"export.csv\"\n",
            repo().join("surveys/aspire-pilot/survey.toml").display().to_string()
        ),
    )
    .unwrap();
    let o = canvass(&["run", pipeline.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let wave = dir.path().join("out/wave-1");

    // CSV: each such text is quoted with a leading ', and never appears bare.
    let (header, rows) = read_csv(&wave.join("comments.csv"));
    let text = column_of(&header, "text");
    let (sheader, srows) = read_csv(&wave.join("segments.csv"));
    let group = column_of(&sheader, "group");
    // Comments are compared by their start: the themes stage redacts the URL in the first one
    // (`=HYPERLINK("[url])`), which is still formula-like.
    let start = |h: &str| h.chars().take(5).collect::<String>();
    for h in HOSTILE {
        let quoted = format!("'{h}");
        assert!(
            rows.iter()
                .any(|r| r[text].starts_with(&format!("'{}", start(h)))),
            "comments.csv: {h}"
        );
        assert!(
            rows.iter().all(|r| !r[text].starts_with(&start(h))),
            "comments.csv: bare {h}"
        );
        assert!(
            srows.iter().any(|r| r[group] == quoted),
            "segments.csv: {h} in {:?}",
            srows
                .iter()
                .map(|r| &r[group])
                .collect::<std::collections::BTreeSet<_>>()
        );
        assert!(
            srows.iter().all(|r| r[group] != h),
            "segments.csv: bare {h}"
        );
    }
    // Figures canvass computed are not text and never quoted.
    assert!(srows
        .iter()
        .all(|r| !r[column_of(&sheader, "mean")].starts_with('\'')));

    // XLSX: the same texts as strings (unquoted: a string cell is never run), and no formula
    // anywhere in the workbook.
    let mut book = workbook(&wave.join("tables.xlsx"));
    for name in book.sheet_names() {
        let formulas = book.worksheet_formula(&name).unwrap();
        assert!(
            formulas.used_cells().all(|(_, _, f)| f.is_empty()),
            "{name} holds a formula"
        );
    }
    let strings = |range: &Range<Data>, c: usize| -> Vec<String> {
        (1..range.height())
            .filter_map(|r| range.get((r, c)))
            .filter_map(|d| d.get_string().map(str::to_string))
            .collect()
    };
    let comments = sheet(&mut book, "comments");
    let segments = sheet(&mut book, "segments");
    for h in HOSTILE {
        assert!(
            strings(&comments, text)
                .iter()
                .any(|s| s.starts_with(&start(h))),
            "comments: {h}"
        );
        assert!(
            strings(&segments, group).iter().any(|s| s == h),
            "segments: {h}"
        );
    }
}
