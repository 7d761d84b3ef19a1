//! Any bytes behind a ZIP signature as a workbook: calamine plus canvass's own checks must
//! return an error or a table, never panic, hang or blow up memory.
#![no_main]
use canvass::ingest::{read_export_bytes, ReadOptions};
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let mut bytes = b"PK\x03\x04".to_vec();
    bytes.extend_from_slice(data);
    let _ = read_export_bytes(Path::new("fuzz.xlsx"), bytes, &ReadOptions::default());
});
