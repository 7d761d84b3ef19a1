//! Any text as a free-text answer: tokenising, stemming, bigrams, redaction and cutting a quote
//! to an excerpt must return, never panic.
#![no_main]
use canvass::themes::quote;
use canvass::themes::redact::Redactor;
use canvass::themes::tokenize::{is_non_substantive, Tokenizer};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let t = Tokenizer::new("english").expect("english");
    let _ = t.terms(text);
    let _ = is_non_substantive(text);
    let r = Redactor::new(&["Mrs Patel".to_string()]).redact(text);
    let _ = t.terms(&r);
    let e = quote::excerpt(&r);
    assert!(
        e.chars().count() <= quote::QUOTE_CHARS + 2,
        "excerpt too long"
    );
    let _ = quote::choose([r.clone(), text.to_string(), e].into_iter(), 2);
});
