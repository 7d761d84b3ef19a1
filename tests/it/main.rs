//! The integration tests, one binary: linking one binary instead of thirty is most of what CI saves.
//! Each module is one command or concern; `common` holds the helpers they share.

mod agree;
mod bfi;
mod chromium;
mod cli;
#[allow(dead_code)]
mod common;
mod crosstabs;
mod degenerate;
mod disclosure;
mod docx;
mod example_pipeline;
mod first_export;
mod fixture_exports;
mod hostile_files;
mod hostile_input;
mod hostile_paths;
mod hostile_unicode;
mod import_circles;
mod learn;
mod messages;
mod parquet_output;
mod privacy;
mod qda;
mod questions;
mod rankings;
mod reference_scorer;
mod review;
mod sentiment;
mod staged_runs;
mod synth;
mod tables_xlsx;
mod themes;
mod unseen_kinds;
mod wave_comparisons;
mod weights;
mod write_ins;
