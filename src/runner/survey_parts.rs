//! The parts of the survey definition each stage reads, for its inputs. A change to the wording
//! of the open questions or to the codebook re-runs themes onward, not clean or score.
//!
//! What clean does not read is one type, [`ThemesOnly`]: taken out of the survey for the clean
//! stage's inputs and its cached artefact, and put back from the current survey when that
//! artefact is reused, so the two can never name different fields.

use crate::clean::CleanWave;
use crate::config::survey::CodebookEntry;
use crate::config::{Segment, Survey, TextQuestion};
use serde::Serialize;

/// The sections of a survey the clean stage does not read: the title, the stemming language,
/// the codebook, the names to redact, and each open question's wording, coded sample and review
/// threshold (their columns decide what is kept, and whether one is identifying; the rest does
/// not).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ThemesOnly {
    title: String,
    language: String,
    codebook: Vec<CodebookEntry>,
    redact: Vec<String>,
    wording: Vec<Wording>,
}

/// What of an open question clean does not read.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
struct Wording {
    text: String,
    coded: Option<String>,
    review_below: Option<f64>,
}

impl ThemesOnly {
    /// Moves these sections out of `survey`, leaving them empty.
    pub fn take(survey: &mut Survey) -> ThemesOnly {
        let wording = survey.text.iter_mut().map(Wording::take).collect();
        ThemesOnly {
            title: std::mem::take(&mut survey.title),
            language: std::mem::take(&mut survey.language),
            codebook: std::mem::take(&mut survey.codebook),
            redact: std::mem::take(&mut survey.privacy.redact),
            wording,
        }
    }

    /// Puts these sections into `survey` (whose open questions are those they were taken from).
    pub fn put_back(self, survey: &mut Survey) {
        survey.title = self.title;
        survey.language = self.language;
        survey.codebook = self.codebook;
        survey.privacy.redact = self.redact;
        for (q, w) in survey.text.iter_mut().zip(self.wording) {
            q.text = w.text;
            q.coded = w.coded;
            q.review_below = w.review_below;
        }
    }
}

impl Wording {
    fn take(q: &mut TextQuestion) -> Wording {
        Wording {
            text: std::mem::take(&mut q.text),
            coded: q.coded.take(),
            review_below: q.review_below.take(),
        }
    }
}

/// What ingest and clean read of the survey: all of it but [`ThemesOnly`].
pub fn for_clean(survey: &Survey) -> Survey {
    let mut s = survey.clone();
    ThemesOnly::take(&mut s);
    s
}

/// The clean artefact as cached: the report needs its accounting, exclusions and source, never
/// the responses, and no name to redact (names stay in the survey file).
pub fn for_cache(w: &CleanWave) -> CleanWave {
    let mut w = w.clone();
    ThemesOnly::take(&mut w.survey);
    w
}

/// A reused clean artefact with the sections clean does not read taken from the survey as it is
/// now.
pub fn current(mut w: CleanWave, survey: &Survey) -> CleanWave {
    ThemesOnly::take(&mut survey.clone()).put_back(&mut w.survey);
    w
}

/// What the themes stage reads of the survey beyond the clean artefact: the open questions, the
/// codebook, the language, the names to redact and the segments it breaks themes down by.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ForThemes {
    text: Vec<TextQuestion>,
    codebook: Vec<CodebookEntry>,
    language: String,
    redact: Vec<String>,
    segments: Vec<Segment>,
}

/// The survey's sections the themes stage reads.
pub fn for_themes(survey: &Survey) -> ForThemes {
    ForThemes {
        text: survey.text.clone(),
        codebook: survey.codebook.clone(),
        language: survey.language.clone(),
        redact: survey.privacy.redact.clone(),
        segments: survey.segments.clone(),
    }
}

/// The open question whose coded sample the themes stage learns from and whose review threshold
/// it uses: the survey's first (`themes::for_wave` themes every further one on its own). The
/// one place that policy is written: the themes stage's inputs, the manifest and the report read
/// it here.
pub fn lead_question(survey: &Survey) -> Option<&TextQuestion> {
    survey.text.first()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn survey(extra: &str) -> Survey {
        let text = format!(
            "title = 'T'\n[privacy]\nredact = ['Ann']\n[[text]]\nid = 'q'\ncolumn = 'Q9'\n\
             text = 'What went well?'\n{extra}"
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

    #[test]
    fn what_is_taken_out_for_clean_is_what_is_put_back() {
        let whole = survey("coded = 'c.csv'\nreview_below = 0.4");
        let mut part = whole.clone();
        let taken = ThemesOnly::take(&mut part);
        assert_eq!(part, for_clean(&whole));
        assert!(part.privacy.redact.is_empty() && part.text[0].coded.is_none());
        taken.put_back(&mut part);
        assert_eq!(part, whole);
    }
}
