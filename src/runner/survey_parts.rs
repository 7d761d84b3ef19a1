//! The parts of the survey definition each stage reads, for its cache key. A change to the
//! wording of the open question or to the codebook re-runs themes onward, not clean or score.

use crate::config::Survey;
use serde_json::Value;

/// What ingest and clean read: everything but the title, the stemming language, the open
/// questions' wording, the codebook and the names to redact (the runner puts the current ones
/// into a reused clean artefact's survey).
pub fn for_clean(survey: &Survey) -> Value {
    let mut v = serde_json::to_value(survey).unwrap_or_default();
    if let Some(map) = v.as_object_mut() {
        for key in ["title", "language", "codebook"] {
            map.remove(key);
        }
        if let Some(p) = map.get_mut("privacy").and_then(Value::as_object_mut) {
            p.remove("redact");
        }
        // The open questions' columns decide what is kept (and whether one is identifying);
        // their wording does not.
        if let Some(text) = map.get_mut("text").and_then(Value::as_array_mut) {
            for q in text.iter_mut().filter_map(Value::as_object_mut) {
                // Nor do the learned coding's sample and review threshold (themes reads them).
                for key in ["text", "coded", "review_below"] {
                    q.remove(key);
                }
            }
        }
    }
    v
}

/// What the themes stage reads beyond the clean artefact: the open questions, the codebook,
/// the language, the names to redact and the segments it breaks themes down by.
pub fn for_themes(survey: &Survey) -> Value {
    serde_json::json!({
        "text": survey.text,
        "codebook": survey.codebook,
        "language": survey.language,
        "redact": survey.privacy.redact,
        "segments": survey.segments,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn survey(extra: &str) -> Survey {
        let text = format!(
            "title = 'T'\n[[text]]\nid = 'q'\ncolumn = 'Q9'\ntext = 'What went well?'\n{extra}"
        );
        toml::from_str(&text).unwrap()
    }

    #[test]
    fn wording_and_codebook_are_themes_inputs_not_clean_ones() {
        let a = survey("");
        let mut b = a.clone();
        b.text[0].text = "What went best?".into();
        b.title = "Another title".into();
        assert_eq!(for_clean(&a), for_clean(&b));
        assert_ne!(for_themes(&a), for_themes(&b));
        let mut c = a.clone();
        c.text[0].column = Some("Q10".into());
        assert_ne!(for_clean(&a), for_clean(&c));
    }
}
