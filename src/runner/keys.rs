//! Every stage's cache key for a wave, computed before anything runs from the inputs' hashes and
//! the configuration alone, so that `--dry-run` is exact.

use super::*;

/// The key of every stage of a wave: computable before anything runs, from the inputs' hashes
/// and the configuration alone, so that `--dry-run` is exact.
pub(super) struct WaveKeys {
    pub(super) clean: StageKey,
    /// The export's size and time when it was hashed for the keys: the reader, which does not
    /// hash it again, checks them after reading it.
    pub(super) export_stat: cache::FileStat,
    pub(super) score: StageKey,
    pub(super) themes: StageKey,
    /// From the second wave on.
    pub(super) compare: Option<StageKey>,
    pub(super) report: StageKey,
}

impl WaveKeys {
    pub(super) fn get(&self, stage: Stage) -> Option<&StageKey> {
        match stage {
            Stage::Clean => Some(&self.clean),
            Stage::Score => Some(&self.score),
            Stage::Themes => Some(&self.themes),
            Stage::Compare => self.compare.as_ref(),
            Stage::Report => Some(&self.report),
        }
    }
}

pub(super) fn wave_keys(
    lp: &LoadedPipeline,
    wave: &Wave,
    directory: &Path,
    earlier: &[(&Wave, &WaveKeys)],
    (templates_sha, secret_fingerprint): (&str, &str),
    hashes: &mut cache::FileHashes,
) -> Result<WaveKeys> {
    let previous = earlier.last().copied();
    let (clean, export_stat) = clean_key(lp, wave, secret_fingerprint, hashes)?;
    let score = StageKey::new().upstream("clean", &clean).config(
        "pipeline settings",
        &(
            lp.limits.confidence.get(),
            lp.limits.suppress_below.get(),
            score::reliability::MissingMethod::default(),
            lp.limits.adjustment,
        ),
    );
    let themes = themes_key(lp, &clean, hashes)?;
    let compare = previous.map(|(w, k)| {
        StageKey::new()
            .upstream("score", &score)
            .upstream("previous wave's score", &k.score)
            .config(
                "pipeline settings",
                &(
                    lp.limits.confidence.get(),
                    lp.limits.adjustment,
                    lp.limits.suppress_below.get(),
                    w.label(),
                    wave.label(),
                ),
            )
    });
    let mut report = StageKey::new()
        .upstream("clean", &clean)
        .upstream("score", &score)
        .upstream("themes", &themes);
    if let (Some(c), Some((_, k))) = (&compare, previous) {
        report = report
            .upstream("compare", c)
            .upstream("previous wave's clean", &k.clean);
    }
    let report = report_key(lp, wave, directory, earlier, templates_sha, report)?;
    Ok(WaveKeys {
        clean,
        export_stat,
        score,
        themes,
        compare,
        report,
    })
}

/// The clean stage's key, and the export's size and time when it was hashed for it. The
/// respondent ids (in exclusions, comments and the panel) depend on the secret and, when they
/// are per wave, on the wave's name: another secret re-runs every stage.
pub(super) fn clean_key(
    lp: &LoadedPipeline,
    wave: &Wave,
    secret_fingerprint: &str,
    hashes: &mut cache::FileHashes,
) -> Result<(StageKey, cache::FileStat)> {
    let (export_sha, stat) = hashes.sha256_at(&wave.export, &lp.export_path(wave))?;
    let mut clean = StageKey::new().file("export", &export_sha);
    if let Some(d) = lp.dictionary_path(wave) {
        let sha = hashes.sha256(wave.dictionary.as_deref().unwrap_or_default(), &d)?;
        clean = clean.file("dictionary", &sha);
    }
    let clean = clean
        .config("survey settings", &survey_parts::for_clean(&lp.survey))
        .config("sheet", &wave.sheet)
        .config("respondent-id secret", &(secret_fingerprint, &wave.name));
    Ok((clean, stat))
}

pub(super) fn themes_key(
    lp: &LoadedPipeline,
    clean: &StageKey,
    hashes: &mut cache::FileHashes,
) -> Result<StageKey> {
    let mut themes = StageKey::new().upstream("clean", clean);
    // The reviewer's corrections and the hand-coded sample learned from.
    if let Some(r) = lp.review_path() {
        let name = lp.config.themes.review.clone().unwrap_or_default();
        themes = themes.file("review", &hashes.sha256(&name, &r)?);
    }
    if let Some((q, path)) = lp
        .survey
        .text
        .first()
        .and_then(|q| coded_path(lp, q).map(|p| (q, p)))
    {
        let name = q.coded.clone().unwrap_or_default();
        themes = themes.file("coded sample", &hashes.sha256(&name, &path)?);
    }
    Ok(themes
        .config(
            "survey's text and codebook",
            &survey_parts::for_themes(&lp.survey),
        )
        .config(
            "pipeline settings",
            &(
                lp.limits.k,
                lp.limits.quotes.get(),
                lp.limits.seed,
                lp.limits.suppress_below.get(),
            ),
        ))
}

/// Completes the report's key (`report` holds this wave's own stages) with the earlier waves
/// the trend reads and everything the manifest records.
pub(super) fn report_key(
    lp: &LoadedPipeline,
    wave: &Wave,
    directory: &Path,
    earlier: &[(&Wave, &WaveKeys)],
    templates_sha: &str,
    mut report: StageKey,
) -> Result<StageKey> {
    // From the third wave on the report has a trend over every earlier wave.
    let trend = earlier.len() + 1 >= score::trend::MIN_WAVES;
    // The trend reads every earlier wave's score, and the manifest lists every earlier export.
    let upstream: &[(&Wave, &WaveKeys)] = if trend {
        earlier
    } else {
        &earlier[earlier.len().saturating_sub(1)..]
    };
    if trend {
        for (w, k) in upstream {
            report = report
                .upstream(&format!("{}'s score", w.name), &k.score)
                .upstream(&format!("{}'s clean", w.name), &k.clean);
        }
    }
    // Everything the manifest records but the outputs and the accounting (the clean key's).
    let pipeline = hash_file(&lp.path, directory)?;
    let survey = hash_file(&lp.survey_path, directory)?;
    let review = lp
        .review_path()
        .map(|p| hash_file(&p, directory))
        .transpose()?;
    let coded = lp
        .survey
        .text
        .first()
        .and_then(|q| coded_path(lp, q))
        .map(|p| hash_file(&p, directory))
        .transpose()?;
    let inputs: Vec<(String, String)> = upstream
        .iter()
        .map(|(w, _)| *w)
        .chain([wave])
        .map(|w| {
            (
                relative(&lp.export_path(w), directory),
                lp.dictionary_path(w)
                    .map(|d| relative(&d, directory))
                    .unwrap_or_default(),
            )
        })
        .collect();
    Ok(report.file("templates", templates_sha).config(
        "pipeline, survey file or settings",
        &(
            &wave.name,
            wave.label(),
            pipeline,
            survey,
            review,
            coded,
            inputs,
            Settings::of(lp),
        ),
    ))
}
