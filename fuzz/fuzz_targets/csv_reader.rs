//! Any bytes as a text export: decoding, delimiter sniffing, CSV parsing, tool detection,
//! identifier handling, cleaning and column inference must return, never panic or hang.
#![no_main]
use canvass::clean::{clean, CleanOptions};
use canvass::ingest::{into_responses, read_export_bytes, ReadOptions, ResponseOptions};
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let path = Path::new("fuzz.csv");
    if let Ok(raw) = read_export_bytes(path, data.to_vec(), &ReadOptions::default()) {
        let _ = canvass::infer::columns(&raw);
        if let Ok(table) = into_responses(path, raw, &ResponseOptions::default()) {
            let c = clean(table, &CleanOptions::default());
            assert!(c.accounting.balances());
        }
    }
});
