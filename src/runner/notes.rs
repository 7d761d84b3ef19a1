//! What a run says on standard error besides its progress: each wave's row accounting, its
//! warnings and notes, and review blocks or keys that cannot apply.

use super::*;

pub(super) fn warn_unknown_review_waves(
    lp: &LoadedPipeline,
    review: &themes::review::ReviewFile,
    progress: &dyn Progress,
) {
    for w in &review.wave {
        if !lp.config.waves.iter().any(|x| x.name == w.name) {
            progress.warn(&format!(
                "the review file's [[wave]] `{}` is not a wave of the pipeline; its edits were not applied",
                w.name
            ));
        }
    }
}

/// The accounting and the warnings and notes of a wave that ran (or was reused).
pub(super) fn report_wave_notes(wave: &Wave, r: &WaveResult, progress: &dyn Progress) {
    // Edits that no longer apply are said on every run until the reviewer mends them.
    for stale in r
        .themes
        .as_ref()
        .and_then(|t| t.review.as_ref())
        .map_or(&[][..], |r| &r.stale[..])
    {
        progress.warn(&format!(
            "{}: review edit no longer applies: {stale}",
            wave.name
        ));
    }
    progress.line(&accounting_line(r));
    if let Some(note) = r.themes.as_ref().and_then(crate::report::themes_k_note) {
        progress.line(&format!("{}: {note}", wave.name));
    }
    if let Some(l) = r.themes.as_ref().and_then(|t| t.learned.as_ref()) {
        if l.unknown_ids > 0 {
            progress.warn(&format!(
                "{}: {} ids of the coded sample {} are not comments of this wave and it gives no text for them: they were not used",
                wave.name, l.unknown_ids, l.sample
            ));
        }
    }
}

/// "wave-1: read 70 rows, kept 66 (excluded 2 preview, …) → reports/…/wave-1"
pub(super) fn accounting_line(r: &WaveResult) -> String {
    let a = &r.accounting;
    let excluded: Vec<String> = a
        .excluded
        .iter()
        .map(|(r, n)| format!("{n} {}", r.name()))
        .collect();
    let flagged: Vec<String> = a
        .kept_flagged
        .iter()
        .map(|(r, n)| format!("{n} {}", r.name()))
        .collect();
    format!(
        "{}: read {} rows, kept {}{}{} → {}",
        r.name,
        a.read,
        a.kept,
        if flagged.is_empty() {
            String::new()
        } else {
            format!(", {} of them (keep_test_responses)", flagged.join(", "))
        },
        if excluded.is_empty() {
            String::new()
        } else {
            format!(" (excluded {})", excluded.join(", "))
        },
        relative(&r.directory, Path::new("."))
    )
}

/// A survey that declares a key which turns out to be the tool's per-export response id is told
/// why its waves are not paired (without a declared key, the `init` draft has said so).
pub(super) fn warn_unpaired(
    lp: &LoadedPipeline,
    previous: &str,
    wave: &Wave,
    agreement: &score::panel::Agreement,
    progress: &dyn Progress,
) {
    if let (Some(key), None) = (&lp.survey.respondent.key, &agreement.panel_key) {
        progress.warn(&format!(
            "{} is not paired with {previous}: the survey's respondent key `{key}` is the \
             survey tool's own response id, numbered afresh in every export, so the same id in two \
             waves is not the same person; name a column each person keeps (e-mail, staff id, \
             panel id) as `[respondent] key` to pair waves",
            wave.name
        ));
    }
}
