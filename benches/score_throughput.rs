//! Scoring throughput on a large Qualtrics-layout export (not a test: figures, not verdicts).
//!
//!   cargo bench --bench score_throughput -- [RESPONDENTS]      (default 1,000,000)
//!
//! Writes target/bench/qualtrics-N.csv once (3 header rows, Qualtrics metadata columns, 30
//! five-point items exported as numeric values, 3 scales of 10 items), then times ingest →
//! clean → score (streamed) and reports MB/s and peak resident memory. Compare benches/pandas_score.py on
//! the same file.

use canvass::clean::{CleanOptions, CleanStream};
use canvass::config::Survey;
use canvass::ingest::{ReadOptions, ResponseOptions};
use canvass::score::{score_stream, ScoreOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

mod common;
use common::peak_memory_mib;

const ITEMS: usize = 30;

fn write_export(path: &Path, n: usize) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let mut w = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let items: Vec<String> = (1..=ITEMS)
        .map(|i| format!("Q{}_{}", (i - 1) / 10 + 1, (i - 1) % 10 + 1))
        .collect();
    writeln!(
        w,
        "StartDate,EndDate,Status,Progress,Finished,ResponseId,{}",
        items.join(",")
    )
    .unwrap();
    writeln!(
        w,
        "Start Date,End Date,Response Type,Progress,Finished,Response ID,{}",
        items
            .iter()
            .map(|i| format!("Item {i}"))
            .collect::<Vec<_>>()
            .join(",")
    )
    .unwrap();
    let ids: Vec<String> = [
        "startDate",
        "endDate",
        "status",
        "progress",
        "finished",
        "_recordId",
    ]
    .iter()
    .map(|s| s.to_string())
    .chain(items.iter().map(|i| format!("QID{}", &i[1..])))
    .map(|id| format!("\"{{\"\"ImportId\"\"{}\"\"{id}\"\"}}\"", ":"))
    .collect();
    writeln!(w, "{}", ids.join(",")).unwrap();
    // A small xorshift generator: respondent trait plus noise, so scales have real reliability.
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for r in 0..n {
        let status = if r % 500 == 0 { 1 } else { 0 };
        let finished = if r % 97 == 0 { 0 } else { 1 };
        write!(
            w,
            "2025-10-06 09:00:00,2025-10-06 09:10:00,{status},{},{finished},R_{r:012x}",
            if finished == 1 { 100 } else { 40 }
        )
        .unwrap();
        let traits: Vec<i64> = (0..3).map(|_| (next() % 5) as i64 - 2).collect();
        for i in 0..ITEMS {
            let noise = (next() % 3) as i64 - 1;
            let v = (3 + traits[i / 10] + noise).clamp(1, 5);
            if next() % 50 == 0 {
                write!(w, ",").unwrap();
            } else {
                write!(w, ",{v}").unwrap();
            }
        }
        writeln!(w).unwrap();
    }
}

fn survey() -> Survey {
    let mut text = String::from(
        "title = \"bench\"\n[[response_scales]]\nname = \"agree5\"\nlabels = [\"Strongly disagree\", \"Disagree\", \"Neither agree nor disagree\", \"Agree\", \"Strongly agree\"]\n",
    );
    for i in 1..=ITEMS {
        let q = format!("Q{}_{}", (i - 1) / 10 + 1, (i - 1) % 10 + 1);
        text.push_str(&format!(
            "[[items]]\nid = \"{q}\"\ntext = \"{q}\"\nscale = \"agree5\"\n"
        ));
    }
    for s in 1..=3 {
        let items: Vec<String> = (1..=10).map(|i| format!("\"Q{s}_{i}\"")).collect();
        text.push_str(&format!(
            "[[scales]]\nname = \"scale{s}\"\nitems = [{}]\n",
            items.join(", ")
        ));
    }
    let s: Survey = toml::from_str(&text).unwrap();
    s.validate(Path::new("bench")).unwrap();
    s
}

fn main() {
    let n: usize = std::env::args()
        .skip(1)
        .find(|a| a != "--bench")
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("target/bench/qualtrics-{n}.csv"));
    if !path.exists() {
        write_export(&path, n);
    }
    let bytes = std::fs::metadata(&path).unwrap().len() as f64;
    let survey = survey();
    let t = Instant::now();
    let mut stream = CleanStream::open(
        &path,
        // As `canvass score` reads it: no checksum (pipelines add one, ≈ 7 % more CPU).
        &ReadOptions {
            without_checksum: true,
            ..ReadOptions::default()
        },
        &ResponseOptions::default(),
        &CleanOptions::default(),
    )
    .unwrap();
    let report = score_stream(&mut stream, &path, &survey, &ScoreOptions::default()).unwrap();
    let cleaned = stream.finish().unwrap();
    let total = t.elapsed().as_secs_f64();
    println!(
        "{} ({:.0} MB): {} kept of {}; ingest, clean and score in {:.2}s = {:.0} MB/s; alpha {:.3}; peak memory {:.0} MiB",
        path.display(),
        bytes / 1e6,
        cleaned.accounting.kept,
        cleaned.accounting.read,
        total,
        bytes / 1e6 / total,
        report.scales[0].reliability.alpha.unwrap_or(f64::NAN),
        peak_memory_mib()
    );
}
