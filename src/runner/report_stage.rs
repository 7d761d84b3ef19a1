//! The report stage as the runner runs it: the report's inputs gathered from the stages before
//! it, its files staged and published with the manifest, and the Parquet tables.

use super::*;

/// What the report stage reads.
pub(super) struct ReportStage<'a> {
    /// Recorded in the manifest (never the secret).
    pub(super) secret_fingerprint: Option<String>,
    pub(super) lp: &'a LoadedPipeline,
    pub(super) wave: &'a Wave,
    pub(super) directory: &'a Path,
    pub(super) templates: &'a Templates,
    pub(super) clean: &'a CleanWave,
    /// Each kept respondent's codes and scores, when the Parquet tables are written.
    pub(super) respondents: Option<&'a Respondents>,
    pub(super) score: &'a ScoreReport,
    /// Each respondent's agreement and scale scores, for the change since the first wave.
    pub(super) agreement: &'a score::panel::Agreement,
    pub(super) themes: Option<&'a WaveThemes>,
    pub(super) comparison: Option<&'a WaveComparison>,
    /// Every earlier wave's result, in order.
    pub(super) earlier: &'a [&'a WaveResult],
    pub(super) this: &'a InputRecord,
    /// What the manifest records of the inputs (the report's key hashed them).
    pub(super) recorded: &'a manifest::Recorded,
}

pub(super) fn write_report(c: &ReportStage) -> Result<()> {
    let (lp, wave, directory) = (c.lp, c.wave, c.directory);
    let survey = &c.clean.survey;
    let trend = wave_trend(lp, survey, c.earlier, wave, c.score).map(|mut t| {
        t.since_first = since_first(lp, c.earlier, wave, c.score, c.agreement);
        t
    });
    let read_as: Vec<manifest::ReadAs> = c
        .earlier
        .iter()
        .map(|r| &r.export)
        .chain([c.this])
        .map(|e| manifest::ReadAs {
            wave: &e.wave,
            format: &e.format,
            encoding: &e.encoding,
            missing: e.missing.as_deref(),
        })
        .collect();
    let inputs = manifest::input_records(c.recorded, &read_as)?;
    let input = ReportInput {
        survey,
        wave_name: &wave.name,
        wave_label: wave.label(),
        clean: &c.clean.table,
        score: c.score,
        themes: c.themes.map(|t| (t.question.as_str(), &t.report)),
        open: open_questions(survey, c.themes),
        comparison: c.comparison,
        trend: trend.as_ref(),
        provenance: &provenance(&c.recorded.survey, &inputs, lp.limits.seed),
        options: lp.config.report,
    };
    let mut staging = publish::Staging::new(directory)?;
    // The workbook, the longest file to make, is built beside the others.
    let tables = report::wave_tables(&input);
    let (book, written) = rayon::join(
        || report::workbook(&input, &tables, directory),
        || -> Result<()> {
            report::render(&input, &tables, c.templates, directory, &mut staging)?;
            staging.put_json("score.json", c.score)?;
            if let Some(t) = c.themes {
                staging.put_json("themes.json", &t.report)?;
            }
            if let Some(cmp) = c.comparison {
                staging.put_json("comparison.json", cmp)?;
            }
            if let Some(t) = &trend {
                staging.put_json("trends.json", t)?;
            }
            if lp.config.output.parquet {
                stage_parquet(c, &mut staging)?;
            }
            Ok(())
        },
    );
    written?;
    staging.put("tables.xlsx", &book?)?;
    read_back_whole(c)?;
    let outputs = staging
        .hashes()
        .map(|(name, sha256)| FileHash {
            path: name.to_string(),
            sha256: sha256.to_string(),
        })
        .collect();
    let manifest = Manifest::new(
        c.recorded,
        inputs,
        c.clean.table.accounting.clone(),
        outputs,
        c.secret_fingerprint.clone(),
    );
    staging.put_json("manifest.json", &manifest)?;
    staging.commit()
}

/// Fails when a question's comments, read back from the stage cache as the report was made,
/// stopped short: a table would otherwise be published without its last rows.
fn read_back_whole(c: &ReportStage) -> Result<()> {
    let Some(t) = c.themes else {
        return Ok(());
    };
    match t.reports().find_map(|r| r.assignments.failure()) {
        None => Ok(()),
        Some(why) => Err(Error::input(
            &cache::dir(c.directory),
            format!("the comments' themes could not be read back from the stage cache: {why}"),
        )
        .hint("delete the folder's .canvass cache and run again")),
    }
}

/// Every open question themed, as the report names them: the first with the survey's id and
/// column for it, then the further ones.
pub(super) fn open_questions<'a>(
    survey: &'a crate::config::Survey,
    themes: Option<&'a WaveThemes>,
) -> Vec<report::OpenQuestion<'a>> {
    let (Some(t), Some(q)) = (themes, survey_parts::lead_question(survey)) else {
        return Vec::new();
    };
    let first = report::OpenQuestion {
        id: &q.id,
        column: q.column(),
        text: &t.question,
        report: &t.report,
    };
    let further = t.further.iter().map(|f| report::OpenQuestion {
        id: &f.id,
        column: &f.column,
        text: &f.question,
        report: &f.report,
    });
    std::iter::once(first).chain(further).collect()
}

/// Stages the Parquet tables, which need every respondent's row.
pub(super) fn stage_parquet(c: &ReportStage, staging: &mut publish::Staging) -> Result<()> {
    let directory = c.directory;
    let Some(respondents) = c.respondents else {
        return Err(internal(
            directory,
            "the Parquet tables are written without the respondents' codes",
        ));
    };
    let open = open_questions(&c.clean.survey, c.themes);
    let input = report::parquet::ParquetInput {
        survey: &c.clean.survey,
        wave_name: &c.wave.name,
        score: c.score,
        themes: c.themes.map(|t| &t.report),
        open: &open,
        respondents,
    };
    let tables = report::parquet::files(&input)
        .map_err(|e| Error::render(&directory.join("../parquet"), "the Parquet tables", e))?;
    // Below the output folder, beside the waves' folders; the manifest lists them
    // relative to this wave's folder, as every path in it.
    for (path, bytes) in tables {
        staging.put(&format!("../{path}"), &bytes)?;
    }
    Ok(())
}

/// The trend over the earlier waves and this one (from the third wave on): the survey's
/// headline items and every scale.
pub(super) fn wave_trend(
    lp: &LoadedPipeline,
    survey: &crate::config::Survey,
    earlier: &[&WaveResult],
    wave: &Wave,
    score: &ScoreReport,
) -> Option<score::trend::Trend> {
    use score::trend::WaveScores;
    let waves: Vec<WaveScores> = earlier
        .iter()
        .map(|r| WaveScores {
            name: &r.name,
            label: &r.label,
            score: &r.score,
        })
        .chain([WaveScores {
            name: &wave.name,
            label: wave.label(),
            score,
        }])
        .collect();
    score::trend::trend(
        &waves,
        &score::trend::headline_ids(survey, score),
        lp.limits.confidence.get(),
        lp.limits.suppress_below.get(),
        lp.limits.adjustment,
    )
}

/// The change since the first wave (from the third wave on), tested as the change since the
/// previous wave is: one family, paired on the respondents both waves share by the declared key.
pub(super) fn since_first(
    lp: &LoadedPipeline,
    earlier: &[&WaveResult],
    wave: &Wave,
    score: &ScoreReport,
    agreement: &score::panel::Agreement,
) -> Option<WaveComparison> {
    let first = earlier.first().filter(|_| earlier.len() >= 2)?;
    let panel = score::panel::compare_panel(
        &first.agreement,
        agreement,
        lp.limits.suppress_below.get(),
        lp.limits.confidence.get(),
        lp.limits.adjustment,
    );
    Some(compare(
        &first.score,
        score,
        (&first.label, wave.label()),
        lp.limits.confidence.get(),
        lp.limits.adjustment,
        panel,
    ))
}

/// The survey and exports the manifest records, for the report's workbook. By file name, not
/// path, and without the pipeline file: both depend on where the report is written (the
/// pipeline names the output folder), which would change the workbook though no figure did;
/// the manifest has them.
pub(super) fn provenance(
    survey: &FileHash,
    inputs: &[InputRecord],
    seed: u64,
) -> report::Provenance {
    let file = |role: String, path: &str, sha256: &str| report::HashedFile {
        role,
        name: path.rsplit('/').next().unwrap_or(path).to_string(),
        sha256: sha256.to_string(),
    };
    let mut files = vec![file("survey".into(), &survey.path, &survey.sha256)];
    for i in inputs {
        files.push(file(format!("export, {}", i.wave), &i.path, &i.sha256));
        if let Some(d) = &i.dictionary {
            files.push(file(format!("dictionary, {}", i.wave), &d.path, &d.sha256));
        }
    }
    report::Provenance { seed, files }
}
