//! The Parquet tables (`run --parquet`, `[output] parquet = true`) of the shipped example, read
//! back with the parquet crate: their figures are those of items.csv, choices.csv, numbers.csv,
//! scales.csv, themes.csv, comments.csv and score.json (which the example's other tests check against R), the
//! respondent table adds up to the same counts and means, no identifying value reaches them,
//! and `verify` checks them byte for byte.

use crate::common::*;
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::Field;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn run(args: &[&str], threads: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let pipeline = example_pipeline(dir.path());
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_canvass"))
        .arg("run")
        .arg(&pipeline)
        .args(args)
        .env("RAYON_NUM_THREADS", threads)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let out = dir.path().join("out");
    (dir, out)
}

/// Column names and rows of a Parquet file.
fn read(path: &Path) -> (Vec<String>, Vec<Vec<Field>>) {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let reader = SerializedFileReader::new(file).unwrap();
    let names = reader
        .metadata()
        .file_metadata()
        .schema_descr()
        .root_schema()
        .get_fields()
        .iter()
        .map(|f| f.name().to_string())
        .collect();
    let rows = reader
        .get_row_iter(None)
        .unwrap()
        .map(|r| {
            r.unwrap()
                .get_column_iter()
                .map(|(_, f)| f.clone())
                .collect()
        })
        .collect();
    (names, rows)
}

fn part(out: &Path, table: &str, wave: &str) -> PathBuf {
    out.join(format!("parquet/{table}/wave={wave}/part-0.parquet"))
}

/// A Parquet cell agrees with its CSV cell: the same text or count, a figure that rounds to
/// the CSV's decimals, null where the CSV is empty.
fn agrees(field: &Field, csv: &str) -> bool {
    match field {
        Field::Null => csv.is_empty(),
        Field::Str(s) => s == csv,
        Field::Long(n) => n.to_string() == csv,
        Field::Double(v) => {
            let decimals = csv.split_once('.').map_or(0, |(_, d)| d.len()) as i32;
            csv.parse::<f64>()
                .is_ok_and(|c| (v - c).abs() <= 0.5 * 10f64.powi(-decimals) + 1e-12)
        }
        _ => false,
    }
}

#[test]
fn tables_hold_the_csv_figures_at_full_precision() {
    let (_d, out) = run(&["--parquet"], "2");
    for wave in ["wave-1", "wave-2"] {
        for table in [
            "items",
            "choices",
            "numbers",
            "scales",
            "segments",
            "crosstabs",
            "themes",
        ] {
            // The themes table holds every open question's themes, as themes.csv does.
            let (csv_header, csv_rows) = read_csv(&out.join(format!("{wave}/{table}.csv")));
            let (names, rows) = read(&part(&out, table, wave));
            assert_eq!(names, csv_header, "{wave} {table}");
            assert_eq!(rows.len(), csv_rows.len(), "{wave} {table}");
            for (r, (row, csv_row)) in rows.iter().zip(&csv_rows).enumerate() {
                for (c, (f, v)) in row.iter().zip(csv_row).enumerate() {
                    assert!(
                        agrees(f, v),
                        "{wave} {table} row {r} `{}`: {f:?} vs {v}",
                        names[c]
                    );
                }
            }
        }
        // Full precision: the figures of score.json exactly, not the CSV's four decimals.
        let score: serde_json::Value =
            serde_json::from_slice(&std::fs::read(out.join(format!("{wave}/score.json"))).unwrap())
                .unwrap();
        let (names, rows) = read(&part(&out, "items", wave));
        let at = |n: &str| names.iter().position(|x| x == n).unwrap();
        for (row, item) in rows.iter().zip(score["items"].as_array().unwrap()) {
            assert_eq!(
                row[at("id")],
                Field::Str(item["id"].as_str().unwrap().into())
            );
            for key in ["pct_agree", "ci_low", "ci_high", "mean", "sd"] {
                // serde_json (without `float_roundtrip`) may read the last bit of a decimal
                // differently; the CSV's four decimals are 1e-4 apart, this is 1e-12.
                let Field::Double(v) = row[at(key)] else {
                    panic!("{key} is a DOUBLE")
                };
                let json = item[key].as_f64().unwrap();
                assert!(
                    (v - json).abs() <= 1e-12 * json.abs().max(1.0),
                    "{key}: {v} vs {json}"
                );
            }
        }
    }
}

#[test]
fn respondent_table_adds_up_to_the_reported_figures() {
    let (_d, out) = run(&["--parquet"], "2");
    for (wave, kept) in [("wave-1", 66), ("wave-2", 70)] {
        let (names, rows) = read(&part(&out, "respondents", wave));
        let at = |n: &str| names.iter().position(|x| x == n).unwrap();
        // One row per kept response (the published 66 respondents of wave 1).
        assert_eq!(rows.len(), kept);
        let score: serde_json::Value =
            serde_json::from_slice(&std::fs::read(out.join(format!("{wave}/score.json"))).unwrap())
                .unwrap();
        // Each item's codes counted per option are score.json's option counts (by code).
        for item in score["items"].as_array().unwrap() {
            let c = at(item["id"].as_str().unwrap());
            for option in item["options"].as_array().unwrap() {
                let code = option["code"].as_f64().unwrap() as i32;
                let n = rows.iter().filter(|r| r[c] == Field::Int(code)).count();
                assert_eq!(
                    n as u64,
                    option["count"].as_u64().unwrap(),
                    "{wave} {}",
                    item["id"]
                );
            }
        }
        // Each scale's scores: their number and mean are score.json's n and mean.
        for scale in score["scales"].as_array().unwrap() {
            let c = at(scale["name"].as_str().unwrap());
            let scores: Vec<f64> = rows
                .iter()
                .filter_map(|r| match r[c] {
                    Field::Double(v) => Some(v),
                    _ => None,
                })
                .collect();
            assert_eq!(scores.len() as u64, scale["n"].as_u64().unwrap());
            let mean = scores.iter().sum::<f64>() / scores.len() as f64;
            // score counts scale scores at a resolution of 1e-9 (SCORE_RESOLUTION), so the
            // means agree to that.
            let reported = scale["mean"].as_f64().unwrap();
            assert!((mean - reported).abs() < 1e-9, "{mean} vs {reported}");
        }
        // Themes and sentiment are comments.csv's, by respondent key; no comment, no themes.
        let themes: serde_json::Value = serde_json::from_slice(
            &std::fs::read(out.join(format!("{wave}/themes.json"))).unwrap(),
        )
        .unwrap();
        let by_key: BTreeMap<&str, &serde_json::Value> = themes["assignments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| (a["respondent"].as_str().unwrap(), a))
            .collect();
        let mut with_comment = 0;
        for row in &rows {
            let Field::Str(key) = &row[at("respondent")] else {
                panic!("respondent is text")
            };
            match by_key.get(key.as_str()) {
                None => {
                    assert_eq!(row[at("themes")], Field::Null);
                    assert_eq!(row[at("sentiment")], Field::Null);
                }
                Some(a) => {
                    with_comment += 1;
                    let ids: Vec<String> = a["themes"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|t| t.to_string())
                        .collect();
                    assert_eq!(
                        row[at("themes")].to_string(),
                        format!("[{}]", ids.join(", "))
                    );
                    let s = a["sentiment"].as_f64().map_or(Field::Null, Field::Double);
                    assert_eq!(row[at("sentiment")], s);
                }
            }
        }
        assert_eq!(
            with_comment,
            by_key.len(),
            "every comment's respondent has a row"
        );
        // Segment groups are those the segments table reports.
        let (_, segs) = read_csv(&out.join(format!("{wave}/segments.csv")));
        for row in &rows {
            let Field::Str(region) = &row[at("Region")] else {
                panic!("Region is text")
            };
            assert!(segs.iter().any(|s| s[0] == "Region" && &s[1] == region));
        }
    }
}

#[test]
fn no_identifying_column_or_value_reaches_the_tables() {
    let (_d, out) = run(&["--parquet"], "2");
    let identifying = [
        "ResponseId",
        "RecipientEmail",
        "RecipientLastName",
        "RecipientFirstName",
        "IPAddress",
        "LocationLatitude",
        "LocationLongitude",
        "ExternalReference",
    ];
    let mut secrets: Vec<String> = Vec::new();
    for wave in ["wave-1", "wave-2"] {
        let path = repo().join(format!("surveys/aspire-pilot/exports/{wave}.csv"));
        let mut r = csv::Reader::from_path(&path).unwrap();
        let h: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
        let cols: Vec<usize> = identifying
            .iter()
            .map(|c| h.iter().position(|x| x == c).unwrap())
            .collect();
        for rec in r.records().skip(2) {
            let rec = rec.unwrap();
            secrets.extend(
                cols.iter()
                    .map(|&c| rec[c].to_string())
                    .filter(|s| s.len() >= 4),
            );
        }
    }
    assert!(secrets.len() > 500, "the identifying values were found");
    // Phone numbers and an address written inside comments: the comment text is not written.
    secrets.extend(
        [
            "07700 900461",
            "0117 496 0781",
            "j.hartley@oakfield-primary.sch.uk",
        ]
        .map(String::from),
    );
    let mut read_values = 0;
    for table in ["respondents", "items", "scales", "segments", "themes"] {
        for wave in ["wave-1", "wave-2"] {
            let (names, rows) = read(&part(&out, table, wave));
            for n in &names {
                assert!(!identifying.contains(&n.as_str()), "{table} has column {n}");
            }
            for f in rows.iter().flatten() {
                let text = f.to_string();
                read_values += 1;
                for s in &secrets {
                    assert!(!text.contains(s.as_str()), "{table} {wave} holds `{s}`");
                }
            }
        }
    }
    assert!(read_values > 1000);
    let (names, _) = read(&part(&out, "respondents", "wave-1"));
    assert_eq!(
        names,
        [
            "respondent",
            "Region",
            "Role",
            "School",
            "supported",
            "prioritise",
            "new_approaches",
            "time",
            "lead_vision",
            "lead_involve",
            "lead_imposed",
            "lead_evidence",
            "data_confident",
            "data_targets",
            "data_hard",
            "data_teaching",
            "Leadership for improvement",
            "Use of data",
            "themes",
            "sentiment",
        ]
    );
}

#[test]
fn config_and_flag_write_the_same_bytes_at_any_thread_count_and_verify_checks_them() {
    let (_a, flag) = run(&["--parquet"], "1");
    // `[output] parquet = true` in place of the flag.
    let dir = tempfile::tempdir().unwrap();
    let pipeline = example_pipeline(dir.path());
    let text = std::fs::read_to_string(&pipeline).unwrap();
    let out = dir.path().join("out");
    // The folder moves into the table (a table comes after the top-level keys: at the end).
    let text = text.replace(&format!("output = \"{}\"\n", out.display()), "");
    let table = format!("[output]\nfolder = \"{}\"\nparquet = true\n", out.display());
    std::fs::write(&pipeline, format!("{text}\n{table}")).unwrap();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_canvass"))
        .args(["run", pipeline.to_str().unwrap()])
        .env("RAYON_NUM_THREADS", "2")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let parquet = |root: &Path| files_below(&root.join("parquet"));
    let (a, b) = (parquet(&flag), parquet(&out));
    assert_eq!(
        a.len(),
        24,
        "eight tables (respondents, items, choices, numbers, scales, segments, crosstabs, themes) × three waves"
    );
    assert_eq!(
        a, b,
        "same bytes from the flag at 1 thread and the config at 2"
    );

    let manifest = out.join("wave-2/manifest.json");
    let m: serde_json::Value = serde_json::from_slice(&std::fs::read(&manifest).unwrap()).unwrap();
    assert_eq!(m["settings"]["parquet"], true);
    let recorded: Vec<&str> = m["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|o| o["path"].as_str())
        .filter(|p| p.ends_with(".parquet"))
        .collect();
    // respondents, items, choices, numbers, scales, segments, crosstabs, themes.
    assert_eq!(recorded.len(), 8);
    assert!(recorded.contains(&"../parquet/respondents/wave=wave-2/part-0.parquet"));
    let o = canvass(&["verify", manifest.to_str().unwrap()]);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o)
        .contains("re-run reproduces ../parquet/items/wave=wave-2/part-0.parquet byte for byte"));
    // An edited table is caught.
    let items = part(&out, "items", "wave-2");
    let mut bytes = std::fs::read(&items).unwrap();
    let at = bytes.len() / 2;
    bytes[at] ^= 1;
    std::fs::write(&items, bytes).unwrap();
    let o = canvass(&["verify", manifest.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stdout(&o).contains(
        "FAIL output ../parquet/items/wave=wave-2/part-0.parquet has the recorded SHA-256"
    ));
}

#[test]
fn without_parquet_nothing_is_written_and_the_manifest_is_as_before() {
    let (_d, out) = run(&[], "2");
    assert!(!out.join("parquet").exists());
    let m = std::fs::read_to_string(out.join("wave-1/manifest.json")).unwrap();
    // (This checkout's folder may be named after the branch: search for the key and files.)
    assert!(!m.contains("\"parquet\"") && !m.contains(".parquet"), "{m}");
}

#[test]
fn a_misspelt_output_key_is_refused_with_its_name() {
    let dir = tempfile::tempdir().unwrap();
    let pipeline = example_pipeline(dir.path());
    let text = std::fs::read_to_string(&pipeline).unwrap();
    let out = dir.path().join("out");
    let text = text.replace(&format!("output = \"{}\"\n", out.display()), "");
    std::fs::write(
        &pipeline,
        format!("{text}\n[output]\nfolder = \"out\"\nparqet = true\n"),
    )
    .unwrap();
    let o = canvass(&["run", pipeline.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("parqet"), "{}", stderr(&o));
    assert!(stderr(&o).contains("parquet"), "{}", stderr(&o));
}
