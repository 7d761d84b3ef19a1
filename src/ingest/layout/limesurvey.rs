//! LimeSurvey: one header row of `CODE. Question text` (the "question code and text" export).

use super::{named, Header};
use crate::ingest::RawColumn;
use regex::Regex;
use std::sync::OnceLock;

pub(super) fn layout(h: &Header) -> (usize, Vec<RawColumn>) {
    // expect: a literal pattern, compiled the first time any test runs it; it cannot fail at run time.
    static CODE_AND_TEXT: OnceLock<Regex> = OnceLock::new();
    let re = CODE_AND_TEXT.get_or_init(|| {
        Regex::new(r"^([A-Za-z][A-Za-z0-9_]*(?:\[[^\]]*\])*)\. (.+)$").expect("static regex")
    });
    let cols = (0..h.width(1))
        .map(|i| {
            let header = h.cell(0, i);
            match re.captures(&header) {
                Some(c) => RawColumn {
                    name: c[1].to_string(),
                    question: c[2].to_string(),
                    import_id: None,
                    ..Default::default()
                },
                None => named(header),
            }
        })
        .collect();
    (1, cols)
}
