//! What each stage reads, as one typed value per stage, built from the validated configuration
//! and the input files' hashes before anything runs (so `--dry-run` is exact). A stage's cache
//! key is the whole value hashed field by field ([`StageKey::of`], each field a part named as
//! `--dry-run` says it), and the manifest is written from the report's value: a field added
//! to a stage's inputs is in its key, and one added to `manifest::Recorded` is in the manifest too,
//! without a second list to keep in step.

use super::manifest::{hash_file, relative, ExportInput, FileHash, Recorded, Settings};
use super::survey_parts::{self, lead_question, ForThemes};
use super::*;
use crate::config::limits::{Confidence, Quotes, SuppressBelow};
use crate::config::{Survey, ThemeCount};
use crate::score::reliability::MissingMethod;
use sha2::{Digest, Sha256};

/// What clean reads: the export and dictionary (their SHA-256), the survey but for
/// [`survey_parts::ThemesOnly`], the sheet, and what keys the respondent ids.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(super) struct CleanInputs {
    /// SHA-256 of the export's bytes.
    pub(super) export: String,
    /// SHA-256 of the REDCap data dictionary's bytes, if the wave names one.
    pub(super) dictionary: Option<String>,
    #[serde(rename = "survey settings")]
    pub(super) survey: Survey,
    pub(super) sheet: Option<String>,
    /// The secret's fingerprint and the wave's name: the ids depend on both.
    #[serde(rename = "respondent-id secret")]
    pub(super) secret: (String, String),
}

/// What score reads beyond the clean artefact.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(super) struct ScoreInputs {
    /// The clean stage's key.
    pub(super) clean: String,
    pub(super) confidence: Confidence,
    pub(super) suppress_below: SuppressBelow,
    /// The runner scores with the default (pairwise).
    pub(super) missing_method: MissingMethod,
    pub(super) adjustment: Adjustment,
}

impl ScoreInputs {
    /// How the wave is scored: these settings and the survey's weight (`survey`, as expanded
    /// against the export, is the clean stage's).
    pub(super) fn options(&self, survey: &Survey, survey_file: &Path) -> ScoreOptions {
        ScoreOptions {
            confidence: self.confidence.get(),
            suppress_below: self.suppress_below.get(),
            missing: self.missing_method,
            weight: survey.respondent.weight.clone(),
            adjustment: self.adjustment,
            survey_file: Some(survey_file.to_path_buf()),
        }
    }
}

/// What themes reads beyond the clean artefact.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(super) struct ThemesInputs {
    /// The clean stage's key.
    pub(super) clean: String,
    /// SHA-256 of the reviewer's corrections, if the pipeline names them.
    pub(super) review: Option<String>,
    /// SHA-256 of the hand-coded sample learned from, if the lead question names one.
    #[serde(rename = "coded sample")]
    pub(super) coded: Option<String>,
    #[serde(rename = "survey's text and codebook")]
    pub(super) survey: ForThemes,
    pub(super) k: ThemeCount,
    pub(super) quotes: Quotes,
    pub(super) seed: u64,
    pub(super) suppress_below: SuppressBelow,
}

impl ThemesInputs {
    /// The settings the themes of a wave are found with; the review threshold is the lead
    /// question's (checked with the survey).
    pub(super) fn settings(&self, survey: &Survey) -> themes::WaveSettings {
        themes::WaveSettings {
            k: self.k,
            quotes: self.quotes.get(),
            seed: self.seed,
            suppress_below: self.suppress_below.get(),
            review_below: lead_question(survey)
                .and_then(|q| q.review_below)
                .unwrap_or(themes::learn::DEFAULT_REVIEW_BELOW),
        }
    }
}

/// What compare reads: this wave's and the previous wave's scores, and how to test the change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(super) struct CompareInputs {
    /// This wave's score key.
    pub(super) score: String,
    #[serde(rename = "previous wave's score")]
    pub(super) previous: String,
    pub(super) confidence: Confidence,
    pub(super) adjustment: Adjustment,
    pub(super) suppress_below: SuppressBelow,
    /// The previous wave's label and this one's, as the comparison names them.
    pub(super) labels: (String, String),
}

/// What the report reads: the stages before it (their keys), the earlier waves its trend
/// reads, the templates, and everything the manifest records but the outputs and the
/// accounting.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(super) struct ReportInputs {
    pub(super) clean: String,
    pub(super) score: String,
    pub(super) themes: String,
    /// From the second wave on.
    pub(super) compare: Option<String>,
    #[serde(rename = "previous wave's clean")]
    pub(super) previous_clean: Option<String>,
    /// From the third wave on, each earlier wave's score and clean keys (`wave-1's score` …),
    /// for the trend.
    #[serde(flatten)]
    pub(super) trend: serde_json::Map<String, serde_json::Value>,
    /// SHA-256 of the templates.
    pub(super) templates: String,
    #[serde(flatten)]
    pub(super) recorded: Recorded,
}

/// Every stage's inputs for a wave.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct WaveInputs {
    pub(super) clean: CleanInputs,
    pub(super) score: ScoreInputs,
    pub(super) themes: ThemesInputs,
    /// From the second wave on.
    pub(super) compare: Option<CompareInputs>,
    pub(super) report: ReportInputs,
}

/// The keys of a wave's stages before its report, which the report reads.
pub(super) struct OwnKeys<'a> {
    pub(super) clean: &'a StageKey,
    pub(super) score: &'a StageKey,
    pub(super) themes: &'a StageKey,
    /// From the second wave on.
    pub(super) compare: Option<&'a StageKey>,
}

/// What the inputs of one wave are made from besides the pipeline.
pub(super) struct Making<'a> {
    pub(super) lp: &'a LoadedPipeline,
    pub(super) wave: &'a Wave,
    /// The wave's folder: the manifest's paths are relative to it.
    pub(super) directory: &'a Path,
    pub(super) templates_sha: &'a str,
    pub(super) secret_fingerprint: &'a str,
}

impl Making<'_> {
    pub(super) fn clean(
        &self,
        hashes: &mut cache::FileHashes,
    ) -> Result<(CleanInputs, cache::FileStat)> {
        let (lp, wave) = (self.lp, self.wave);
        let (export, stat) = hashes.sha256_at(&wave.export, &lp.export_path(wave))?;
        let dictionary = lp
            .dictionary_path(wave)
            .map(|d| hashes.sha256(wave.dictionary.as_deref().unwrap_or_default(), &d))
            .transpose()?;
        let inputs = CleanInputs {
            export,
            dictionary,
            survey: survey_parts::for_clean(&lp.survey),
            sheet: wave.sheet.clone(),
            secret: (self.secret_fingerprint.to_string(), wave.name.clone()),
        };
        Ok((inputs, stat))
    }

    pub(super) fn score(&self, clean: &StageKey) -> ScoreInputs {
        let l = &self.lp.limits;
        ScoreInputs {
            clean: clean.digest(),
            confidence: l.confidence,
            suppress_below: l.suppress_below,
            missing_method: MissingMethod::default(),
            adjustment: l.adjustment,
        }
    }

    pub(super) fn themes(
        &self,
        clean: &StageKey,
        hashes: &mut cache::FileHashes,
    ) -> Result<ThemesInputs> {
        let (lp, l) = (self.lp, &self.lp.limits);
        let review = lp
            .review_path()
            .map(|r| hashes.sha256(lp.config.themes.review.as_deref().unwrap_or_default(), &r))
            .transpose()?;
        let coded = lead_question(&lp.survey)
            .and_then(|q| coded_path(lp, q).map(|p| (q, p)))
            .map(|(q, p)| hashes.sha256(q.coded.as_deref().unwrap_or_default(), &p))
            .transpose()?;
        Ok(ThemesInputs {
            clean: clean.digest(),
            review,
            coded,
            survey: survey_parts::for_themes(&lp.survey),
            k: l.k,
            quotes: l.quotes,
            seed: l.seed,
            suppress_below: l.suppress_below,
        })
    }

    pub(super) fn compare(&self, score: &StageKey, previous: (&Wave, &WaveKeys)) -> CompareInputs {
        let l = &self.lp.limits;
        CompareInputs {
            score: score.digest(),
            previous: previous.1.score.digest(),
            confidence: l.confidence,
            adjustment: l.adjustment,
            suppress_below: l.suppress_below,
            labels: (
                previous.0.label().to_string(),
                self.wave.label().to_string(),
            ),
        }
    }

    /// The report's inputs, from this wave's own stages (`own`) and the earlier waves'.
    pub(super) fn report(
        &self,
        clean_inputs: &CleanInputs,
        own: OwnKeys,
        earlier: &[(&Wave, &WaveKeys)],
    ) -> Result<ReportInputs> {
        // From the third wave on the report has a trend over every earlier wave.
        let trend = earlier.len() + 1 >= score::trend::MIN_WAVES;
        // The trend reads every earlier wave's score, and the manifest lists every earlier export.
        let upstream = if trend {
            earlier
        } else {
            &earlier[earlier.len().saturating_sub(1)..]
        };
        let mut trended = serde_json::Map::new();
        for (w, k) in upstream.iter().filter(|_| trend) {
            trended.insert(format!("{}'s score", w.name), k.score.digest().into());
            trended.insert(format!("{}'s clean", w.name), k.clean.digest().into());
        }
        Ok(ReportInputs {
            clean: own.clean.digest(),
            score: own.score.digest(),
            themes: own.themes.digest(),
            previous_clean: own
                .compare
                .and(earlier.last())
                .map(|(_, k)| k.clean.digest()),
            compare: own.compare.map(StageKey::digest),
            trend: trended,
            templates: self.templates_sha.to_string(),
            recorded: self.recorded(clean_inputs, upstream)?,
        })
    }

    fn recorded(&self, clean: &CleanInputs, upstream: &[(&Wave, &WaveKeys)]) -> Result<Recorded> {
        let (lp, wave, dir) = (self.lp, self.wave, self.directory);
        let this = self.export_input(wave, clean)?;
        let mut exports: Vec<ExportInput> = upstream
            .iter()
            .map(|(w, k)| self.export_input(w, &k.inputs.clean))
            .collect::<Result<_>>()?;
        exports.push(this);
        Ok(Recorded {
            wave: wave.name.clone(),
            wave_label: wave.label().to_string(),
            pipeline: hash_file(&lp.path, dir)?,
            survey: hash_file(&lp.survey_path, dir)?,
            review: lp.review_path().map(|p| hash_file(&p, dir)).transpose()?,
            coded: lead_question(&lp.survey)
                .and_then(|q| coded_path(lp, q))
                .map(|p| hash_file(&p, dir))
                .transpose()?,
            template_files: template_files(lp)
                .iter()
                .map(|p| hash_file(p, dir))
                .collect::<Result<_>>()?,
            exports,
            settings: Settings::of(lp),
        })
    }

    fn export_input(&self, w: &Wave, clean: &CleanInputs) -> Result<ExportInput> {
        let (lp, dir) = (self.lp, self.directory);
        let dictionary = match (lp.dictionary_path(w), &clean.dictionary) {
            (Some(d), Some(sha)) => Some(FileHash {
                path: relative(&d, dir),
                sha256: sha.clone(),
            }),
            _ => None,
        };
        Ok(ExportInput {
            wave: w.name.clone(),
            path: relative(&lp.export_path(w), dir),
            sha256: clean.export.clone(),
            dictionary,
        })
    }
}

/// What the templates contribute to the report's inputs.
pub(super) fn templates_sha(templates: &Templates) -> String {
    let mut h = Sha256::new();
    h.update(templates.html.as_bytes());
    h.update([0]);
    h.update(templates.markdown.as_bytes());
    hex(&h.finalize())
}

/// The coded sample a free-text question names (`coded`, relative to the survey file).
pub(super) fn coded_path(
    lp: &LoadedPipeline,
    question: &crate::config::TextQuestion,
) -> Option<PathBuf> {
    let dir = lp.survey_path.parent().unwrap_or(Path::new("."));
    question.coded.as_ref().map(|c| dir.join(c))
}

/// The lead question's coded sample, read, and the file it is in.
pub(super) fn coded_sample(lp: &LoadedPipeline, survey: &Survey) -> Result<Option<themes::Coded>> {
    let Some(question) = lead_question(survey) else {
        return Ok(None);
    };
    let Some(path) = coded_path(lp, question) else {
        return Ok(None);
    };
    let mut sample = crate::agree::read::read_sample(&path, "id")?;
    // Named as the survey file names it, so that the summary does not depend on where canvass ran.
    sample.source = question.coded.clone().unwrap_or_default();
    Ok(Some(themes::Coded { sample, path }))
}
/// The template files the pipeline's `templates` folder holds for the run (none: built-in).
pub(super) fn template_files(lp: &LoadedPipeline) -> Vec<PathBuf> {
    lp.templates.as_ref().map_or(Vec::new(), |dir| {
        TEMPLATE_FILES.iter().map(|f| dir.join(f)).collect()
    })
}

/// The files a `templates` folder must hold.
const TEMPLATE_FILES: [&str; 2] = ["summary.html.j2", "summary.md.j2"];

/// The templates the pipeline names (`templates`), or the built-in ones.
pub(super) fn load_templates(lp: &LoadedPipeline) -> Result<Templates> {
    match &lp.templates {
        None => Ok(Templates::default()),
        Some(dir) => {
            let read = |name: &str| -> Result<String> {
                let p = dir.join(name);
                let bytes = read_file(&p).map_err(|e| {
                    let missing = !p.exists();
                    let e = Error::config(&lp.path, "templates", e.to_string());
                    if missing {
                        e.hint(format!(
                            "a `templates` folder holds both {}: copy the one missing from \
                             canvass's reports/templates/ (docs/templates.md)",
                            TEMPLATE_FILES.join(" and ")
                        ))
                    } else {
                        e
                    }
                })?;
                String::from_utf8(bytes).map_err(|_| {
                    Error::config(
                        &lp.path,
                        "templates",
                        format!("{} is not UTF-8", p.display()),
                    )
                })
            };
            let [html, markdown] = TEMPLATE_FILES;
            Ok(Templates {
                html: read(html)?,
                markdown: read(markdown)?,
                pipeline: Some(lp.path.clone()),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runner::manifest::{input_records, ReadAs};

    fn file(path: &str) -> FileHash {
        FileHash {
            path: path.into(),
            sha256: "aa".into(),
        }
    }

    fn report_inputs() -> ReportInputs {
        let recorded = Recorded {
            wave: "wave-1".into(),
            wave_label: "Autumn".into(),
            pipeline: file("../p.toml"),
            survey: file("../survey.toml"),
            review: None,
            coded: None,
            template_files: Vec::new(),
            exports: vec![ExportInput {
                wave: "wave-1".into(),
                path: "../w1.csv".into(),
                sha256: "bb".into(),
                dictionary: None,
            }],
            settings: Settings {
                seed: 42,
                confidence: 0.95,
                suppress_below: 10,
                themes_k: ThemeCount::Auto,
                quotes: 3,
                missing_method: MissingMethod::default(),
                adjustment: Adjustment::Holm,
                keep_test_responses: false,
                report: Default::default(),
                parquet: false,
            },
        };
        ReportInputs {
            clean: "c".into(),
            score: "s".into(),
            themes: "t".into(),
            compare: None,
            previous_clean: None,
            trend: serde_json::Map::new(),
            templates: "tt".into(),
            recorded,
        }
    }

    fn key(inputs: &ReportInputs) -> String {
        StageKey::of(inputs).unwrap().digest()
    }

    fn manifest(inputs: &ReportInputs) -> Manifest {
        let read_as = [ReadAs {
            wave: "wave-1",
            format: "qualtrics",
            encoding: "utf-8",
            missing: None,
        }];
        let exports = input_records(&inputs.recorded, &read_as).unwrap();
        Manifest::new(
            &inputs.recorded,
            exports,
            Accounting {
                read: 1,
                kept: 1,
                excluded: Default::default(),
                kept_flagged: Default::default(),
            },
            vec![],
            None,
        )
    }

    /// What the report's key hashes and what the manifest records are one value: a change to
    /// any recorded input changes both, so a report is never reused with a stale manifest.
    #[test]
    fn a_changed_recorded_input_changes_the_report_key_and_the_manifest() {
        let base = report_inputs();
        type Change = (&'static str, fn(&mut Recorded));
        let changes: [Change; 11] = [
            ("wave label", |r| r.wave_label = "Spring".into()),
            ("pipeline file", |r| r.pipeline.sha256 = "ff".into()),
            ("survey file", |r| r.survey.path = "../other.toml".into()),
            ("review file", |r| r.review = Some(file("../review.toml"))),
            ("coded sample", |r| r.coded = Some(file("../coded.csv"))),
            ("template file", |r| {
                r.template_files = vec![file("../templates/summary.md.j2")]
            }),
            ("export", |r| r.exports[0].sha256 = "ff".into()),
            ("export path", |r| r.exports[0].path = "../w1b.csv".into()),
            ("dictionary", |r| {
                r.exports[0].dictionary = Some(file("../dictionary.csv"))
            }),
            ("a setting", |r| r.settings.seed = 7),
            ("a report option", |r| r.settings.parquet = true),
        ];
        for (what, change) in changes {
            let mut changed = base.clone();
            change(&mut changed.recorded);
            assert_ne!(key(&base), key(&changed), "{what}: same key");
            assert_ne!(manifest(&base), manifest(&changed), "{what}: same manifest");
        }
        // The templates are in the key, not in the manifest (its outputs record what they made).
        let mut other_templates = base.clone();
        other_templates.templates = "other".into();
        assert_ne!(key(&base), key(&other_templates));
    }

    /// A stage's key is its whole inputs value: each field is a part named as `--dry-run` says
    /// it, so a field added to an inputs struct is in the key with no second list to update.
    #[test]
    fn every_field_of_a_stages_inputs_is_a_named_part_of_its_key() {
        let base = report_inputs();
        let parts = StageKey::of(&base).unwrap().parts;
        let names: Vec<&str> = parts.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "canvass version",
                "clean",
                "score",
                "themes",
                "compare",
                "previous wave's clean",
                "templates",
                "wave",
                "wave_label",
                "pipeline",
                "survey",
                "review",
                "coded",
                "template_files",
                "exports",
                "settings"
            ]
        );
        let mut trended = base.clone();
        trended.trend.insert("wave-0's score".into(), "old".into());
        let changed = StageKey::of(&trended).unwrap();
        assert_eq!(
            changed.why_changed(&StageKey::of(&base).unwrap()),
            "wave-0's score is new"
        );
    }
}
