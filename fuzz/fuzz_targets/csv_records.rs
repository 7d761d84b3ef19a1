//! Differential: canvass's record parser (a byte loop for lines without quotes, csv-core for the
//! rest) must cut any UTF-8 text into exactly the records and fields the csv crate does
//! (flexible, no headers, blank records dropped), for comma, semicolon and tab.
#![no_main]
use canvass::ingest::record::parse_records;
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for delimiter in [b',', b';', b'\t'] {
        let mut ours = Vec::new();
        parse_records(Path::new("fuzz.csv"), data, 1, delimiter, |_, r| {
            ours.push(r.iter().map(str::to_string).collect::<Vec<_>>());
            Ok(())
        })
        .expect("UTF-8 text always parses");
        let theirs: Vec<Vec<String>> = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(text.as_bytes())
            .records()
            .map(|r| r.expect("UTF-8").iter().map(str::to_string).collect::<Vec<_>>())
            .filter(|r| !(r.len() == 1 && r[0].trim().is_empty()))
            .collect();
        assert_eq!(ours, theirs, "delimiter {}", delimiter as char);
    }
});
