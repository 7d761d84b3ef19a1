//! Any text as a free-text answer: tokenising, stemming, bigrams and redaction must return,
//! never panic.
#![no_main]
use canvass::themes::redact::Redactor;
use canvass::themes::tokenize::{is_non_substantive, Tokenizer};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let t = Tokenizer::new("english").expect("english");
    let _ = t.terms(text);
    let _ = is_non_substantive(text);
    let r = Redactor::new(&["Mrs Patel".to_string()]).redact(text);
    let _ = t.terms(&r);
});
