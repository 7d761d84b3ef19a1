//! Scoring throughput on a large Qualtrics-layout export (not a test: figures, not verdicts).
//!
//!   cargo bench --bench score_throughput -- [RESPONDENTS]      (default 1,000,000)
//!
//! Writes target/bench/qualtrics-synth-N.csv once with `canvass synth`'s writer (the Qualtrics
//! layout: 3 header rows, its 17 metadata columns, 30 five-point items answered as the options'
//! labels, 3 scales of 10 items, a comment column answered by 70 per cent, previews, tests,
//! unfinished and duplicate responses), then times ingest → clean → score (streamed) and reports
//! MB/s and peak resident memory. Compare benches/pandas_score.py on the same file.

use canvass::clean::{CleanOptions, CleanStream};
use canvass::config::Survey;
use canvass::ingest::{ReadOptions, ResponseOptions};
use canvass::score::{score_stream, ScoreOptions};
use canvass::synth::{self, Layout, Plan};
use std::path::{Path, PathBuf};
use std::time::Instant;

mod common;
use common::peak_memory_mib;

const ITEMS: usize = 30;

fn write_export(path: &Path, survey: &Survey, n: usize) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let options = synth::Options {
        layout: Layout::Qualtrics,
        responses: n,
        seed: 1,
        text_share: 0.7,
    };
    let plan = Plan::new(survey, Path::new("bench"), options).unwrap();
    // Written under another name and renamed, so an interrupted run leaves no partial file.
    let partial = path.with_extension("partial");
    synth::write(&plan, std::fs::File::create(&partial).unwrap()).unwrap();
    std::fs::rename(&partial, path).unwrap();
}

fn survey() -> Survey {
    let mut text = String::from(
        "title = \"bench\"\n[respondent]\nkey = \"RecipientEmail\"\n[[response_scales]]\nname = \"agree5\"\nlabels = [\"Strongly disagree\", \"Disagree\", \"Neither agree nor disagree\", \"Agree\", \"Strongly agree\"]\n",
    );
    for i in 1..=ITEMS {
        let q = format!("Q{}_{}", (i - 1) / 10 + 1, (i - 1) % 10 + 1);
        text.push_str(&format!(
            "[[items]]\nid = \"{q}\"\ntext = \"Item {q}\"\nscale = \"agree5\"\n"
        ));
    }
    for s in 1..=3 {
        let items: Vec<String> = (1..=10).map(|i| format!("\"Q{s}_{i}\"")).collect();
        text.push_str(&format!(
            "[[scales]]\nname = \"scale{s}\"\nitems = [{}]\n",
            items.join(", ")
        ));
    }
    text.push_str(
        "[[text]]\nid = \"Q4\"\ntext = \"Anything else you would like to tell us?\"\n[[codebook]]\ntheme = \"Workload\"\nphrases = [\"workload\", \"paperwork\", \"time pressure\"]\n",
    );
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
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join(format!("target/bench/qualtrics-synth-{n}.csv"));
    let survey = survey();
    if !path.exists() {
        write_export(&path, &survey, n);
    }
    let bytes = std::fs::metadata(&path).unwrap().len() as f64;
    let t = Instant::now();
    let mut stream = CleanStream::open(
        &path,
        // As `canvass score` reads it: no checksum (pipelines add one, ≈ 7 % more CPU).
        &ReadOptions {
            without_checksum: true,
            ..ReadOptions::default()
        },
        &ResponseOptions::for_survey(&survey, &Default::default()),
        &CleanOptions::for_survey(&survey),
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
