//! A run configuration: which survey, which waves and files, the options, where reports go.
//! Paths are relative to the pipeline file, so a pipeline runs the same from any directory.

use super::limits;
use super::survey::Survey;
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// A pipeline file (`pipelines/*.toml`) as written: which survey, which waves, the options and
/// where the reports go. [`Pipeline::load`] reads and checks it and resolves its paths.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pipeline {
    /// The pipeline's name, recorded in every wave's manifest.
    pub name: String,
    /// The survey definition, relative to this file.
    pub survey: String,
    /// Output folder, relative to this file; each wave gets a sub-folder. Either
    /// `output = "…"`, or `[output]` with `folder = "…"` and the extra formats.
    #[serde(deserialize_with = "output_of", serialize_with = "output_to")]
    pub output: Output,
    /// Seed for everything random (k-means restarts, random projections).
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// Groups with fewer respondents than this are suppressed (never below 3).
    #[serde(default = "default_suppress")]
    pub suppress_below: usize,
    /// Confidence level of every interval.
    #[serde(default = "default_confidence")]
    pub confidence: f64,
    /// Adjustment of p-values across the items of a comparison: "holm" (family-wise error) or
    /// "benjamini-hochberg" (false discovery rate).
    #[serde(default)]
    pub adjustment: crate::stats::hypothesis::Adjustment,
    /// How the open comments are themed (`[themes]`).
    #[serde(default)]
    pub themes: ThemeOptions,
    /// How the summary draws its item charts (`[report]`).
    #[serde(default)]
    pub report: ReportOptions,
    /// Templates folder relative to this file; the built-in templates are used when absent.
    pub templates: Option<String>,
    /// Where the project's secret for respondent ids is kept (`[privacy]`).
    #[serde(default, skip_serializing_if = "PipelinePrivacy::is_default")]
    pub privacy: PipelinePrivacy,
    /// The waves in the order they were collected; each is compared with the one before it and
    /// trends run over all of them. At least one; names must be unique.
    pub waves: Vec<Wave>,
}

fn default_seed() -> u64 {
    42
}
fn default_suppress() -> usize {
    10
}
fn default_confidence() -> f64 {
    0.95
}

/// `[themes]` of a pipeline: how many themes, how many quotes, and the reviewer's corrections.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThemeOptions {
    /// Number of themes: a number, or "auto" to choose by silhouette.
    #[serde(default)]
    pub k: ThemeCount,
    /// How many example quotes each theme shows.
    #[serde(default = "default_quotes")]
    pub quotes: usize,
    /// A reviewer's corrections to the themes (`review.toml`), relative to this file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<String>,
}

fn default_quotes() -> usize {
    3
}

impl Default for ThemeOptions {
    fn default() -> Self {
        ThemeOptions {
            k: ThemeCount::Auto,
            quotes: default_quotes(),
            review: None,
        }
    }
}

/// `[privacy]` of a pipeline:
///
/// ```toml
/// [privacy]
/// secret_file = "../../keys/staff-survey.secret"   # default: <pipeline name>.secret beside it
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PipelinePrivacy {
    /// The file holding the secret that keys every respondent id (hex, created on the first run
    /// when missing), relative to the pipeline file; `<pipeline stem>.secret` beside the
    /// pipeline when absent. `CANVASS_SECRET_FILE` overrides it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_file: Option<String>,
}

impl PipelinePrivacy {
    fn is_default(&self) -> bool {
        self == &PipelinePrivacy::default()
    }
}

/// `[report]`: how the HTML summary draws the diverging bars of its items.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportOptions {
    /// Where the neutral middle of a scale goes: "apart" (its own panel beside the bars, so
    /// the zero line separates disagreement from agreement) or "split" (half on each side of
    /// zero, Heiberger and Robbins' centred layout).
    #[serde(default)]
    pub neutral: NeutralPlacement,
    /// Order of the items within each chart: "survey" (as the survey lists them) or
    /// "agreement" (highest % agree first).
    #[serde(default)]
    pub sort_items: ItemOrder,
}

/// `output = "../reports/x"`, or a table that adds formats to the usual files:
///
/// ```toml
/// [output]
/// folder = "../reports/x"
/// parquet = true   # Parquet tables under <folder>/parquet/<table>/wave=<name>/ (also `run --parquet`)
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Output {
    /// Output folder, relative to the pipeline file; each wave gets a sub-folder named after it.
    pub folder: String,
    /// Also write the tables as Parquet under `<folder>/parquet/` (off by default).
    #[serde(default)]
    pub parquet: bool,
}

impl Output {
    /// Reports in `folder` and no extra formats (what `output = "…"` means).
    pub fn folder(folder: &str) -> Output {
        Output {
            folder: folder.to_string(),
            parquet: false,
        }
    }
}

/// Accepts the plain string of earlier pipeline files as well as the table; strict about the
/// table's keys (its own `deny_unknown_fields` message names them).
fn output_of<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Output, D::Error> {
    struct Visit;
    impl<'de> serde::de::Visitor<'de> for Visit {
        type Value = Output;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str(
                "a folder (output = \"../reports/x\") or a table with `folder` and `parquet`",
            )
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<Output, E> {
            Ok(Output::folder(v))
        }
        fn visit_map<M: serde::de::MapAccess<'de>>(
            self,
            map: M,
        ) -> std::result::Result<Output, M::Error> {
            Output::deserialize(serde::de::value::MapAccessDeserializer::new(map))
        }
    }
    d.deserialize_any(Visit)
}

/// Written back as the plain string unless a format is on, as earlier versions wrote it.
fn output_to<S: serde::Serializer>(o: &Output, s: S) -> std::result::Result<S::Ok, S::Error> {
    if o.parquet {
        o.serialize(s)
    } else {
        s.serialize_str(&o.folder)
    }
}

/// `neutral = "apart" | "split"`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NeutralPlacement {
    /// The neutral option is drawn apart, between the disagreement and agreement bars (the
    /// default).
    #[default]
    Apart,
    /// Half the neutral answers are drawn on each side of zero, as some style guides prefer.
    Split,
}

/// `sort_items = "survey" | "agreement"`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ItemOrder {
    /// Items in the order the survey file lists them (the default).
    #[default]
    Survey,
    /// Items from the highest % agree down.
    Agreement,
}

/// `k = 6` or `k = "auto"`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ThemeCount {
    /// Choose the number of themes by silhouette (the default).
    #[default]
    Auto,
    /// This many themes (at least 2), fewer when there are too few comments for them: themes.json
    /// then records how many were allowed.
    Fixed(usize),
}

impl ThemeCount {
    /// `"auto"` (any case) or a whole number; `None` for anything else, so the caller can name the
    /// key in its error.
    pub fn parse(s: &str) -> Option<ThemeCount> {
        if s.eq_ignore_ascii_case("auto") {
            Some(ThemeCount::Auto)
        } else {
            s.parse().ok().filter(|&k| k >= 2).map(ThemeCount::Fixed)
        }
    }
}

impl Serialize for ThemeCount {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        match self {
            ThemeCount::Auto => s.serialize_str("auto"),
            ThemeCount::Fixed(k) => s.serialize_u64(*k as u64),
        }
    }
}

impl<'de> Deserialize<'de> for ThemeCount {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            N(u64),
            S(String),
        }
        let bad = || serde::de::Error::custom("expected a whole number of at least 2, or \"auto\"");
        match Raw::deserialize(d)? {
            Raw::N(n) if n >= 2 => Ok(ThemeCount::Fixed(n as usize)),
            Raw::N(_) => Err(bad()),
            Raw::S(s) => ThemeCount::parse(&s).ok_or_else(bad),
        }
    }
}

/// One survey wave: a name (also the output sub-folder) and its export.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Wave {
    /// The wave's short name: the sub-folder of its reports and the `wave` column of trends.
    /// Letters, digits, `-` and `_` only, unique in the pipeline.
    pub name: String,
    /// How the wave is called in reports ("Autumn 2025").
    pub label: Option<String>,
    /// The raw export, relative to the pipeline file.
    pub export: String,
    /// Sheet name for workbook exports (the first sheet when absent).
    pub sheet: Option<String>,
    /// REDCap data dictionary of the export (question labels, options, identifier flags),
    /// relative to the pipeline file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dictionary: Option<String>,
}

/// Whether `name` is usable as a wave's name, which is also its folder's: letters, digits, `-`
/// and `_` only (no `..`, no separator), not empty.
pub fn is_folder_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

impl Wave {
    /// The label reports show: `label`, or the name when there is none.
    pub fn label(&self) -> &str {
        self.label.as_deref().unwrap_or(&self.name)
    }
}

/// A pipeline with its paths resolved and its survey loaded.
#[derive(Debug, Clone)]
pub struct LoadedPipeline {
    /// The pipeline file as given.
    pub path: PathBuf,
    /// The pipeline as written.
    pub config: Pipeline,
    /// The survey file, resolved against the pipeline file's folder.
    pub survey_path: PathBuf,
    /// The survey, loaded and validated.
    pub survey: Survey,
    /// The output folder, resolved against the pipeline file's folder.
    pub output: PathBuf,
    /// The templates folder, resolved; `None` for the built-in templates.
    pub templates: Option<PathBuf>,
    /// The pipeline's limits, checked: what a run computes with (never `config`'s raw numbers).
    pub limits: Limits,
}

impl LoadedPipeline {
    /// The wave's export, resolved against the pipeline file's folder.
    pub fn export_path(&self, wave: &Wave) -> PathBuf {
        self.base().join(&wave.export)
    }

    /// The reviewer's corrections file (`[themes] review`), resolved; `None` when the pipeline
    /// names none.
    pub fn review_path(&self) -> Option<PathBuf> {
        self.config
            .themes
            .review
            .as_ref()
            .map(|r| self.base().join(r))
    }

    /// The wave's REDCap data dictionary, resolved; `None` when the wave names none.
    pub fn dictionary_path(&self, wave: &Wave) -> Option<PathBuf> {
        wave.dictionary.as_ref().map(|d| self.base().join(d))
    }

    fn base(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new("."))
    }
}

impl Pipeline {
    /// Reads a pipeline file, validates it, loads its survey and checks that every wave's export
    /// exists. Errors name the pipeline key (`waves[1].export`, `survey`) and that paths are
    /// relative to the pipeline file.
    pub fn load(path: &Path) -> Result<LoadedPipeline> {
        let config: Pipeline = super::read_toml(path, super::ConfigFile::Pipeline)?;
        let limits = config.validate(path)?;
        let base = path.parent().unwrap_or(Path::new(".")).to_path_buf();
        let survey_path = base.join(&config.survey);
        let survey = Survey::load(&survey_path).map_err(|e| match e {
            Error::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound => {
                Error::config(
                    path,
                    "survey",
                    format!("survey file {} does not exist", survey_path.display()),
                )
                .hint("paths in a pipeline are relative to the pipeline file")
            }
            other => other,
        })?;
        for (i, wave) in config.waves.iter().enumerate() {
            let export = base.join(&wave.export);
            match crate::ingest::stream::not_a_regular_file(&export) {
                Ok(None) => {}
                Ok(Some(what)) => {
                    return Err(Error::config(
                        path,
                        format!("waves[{i}].export"),
                        format!(
                            "export {} is {what}, not a file: canvass reads exports only from regular files",
                            export.display()
                        ),
                    )
                    .hint("name the export file itself; data from a pipe or device can be saved to a file first"));
                }
                Err(_) => {
                    return Err(Error::config(
                        path,
                        format!("waves[{i}].export"),
                        format!("export {} does not exist", export.display()),
                    )
                    .hint("paths in a pipeline are relative to the pipeline file"));
                }
            }
            if wave.sheet.is_some() {
                if let Some(kind) = crate::ingest::sheets::not_a_workbook(&export)? {
                    return Err(Error::config(
                        path,
                        format!("waves[{i}].sheet"),
                        format!(
                            "applies to workbooks (XLSX, XLS, ODS); export {} is {kind}",
                            export.display()
                        ),
                    )
                    .hint("remove `sheet` from this wave: the whole file is one table"));
                }
            }
        }
        Ok(LoadedPipeline {
            path: path.to_path_buf(),
            output: base.join(&config.output.folder),
            templates: config.templates.as_ref().map(|t| base.join(t)),
            survey_path,
            survey,
            config,
            limits,
        })
    }

    /// Checks the settings that need no other file: output folder, waves (present, names unique and
    /// usable as folder names), then the limits (`config::limits`), which it returns checked.
    /// Errors name the key at fault.
    pub fn validate(&self, path: &Path) -> Result<Limits> {
        if self.output.folder.trim().is_empty() {
            return Err(Error::config(path, "output.folder", "is empty")
                .hint("name the folder for the reports, e.g. \"../reports/my-survey\""));
        }
        if self.waves.is_empty() {
            return Err(Error::config(path, "waves", "no waves are listed")
                .hint("add a [[waves]] table with `name` and `export`"));
        }
        for (i, w) in self.waves.iter().enumerate() {
            if !is_folder_name(&w.name) {
                return Err(Error::config(
                    path,
                    format!("waves[{i}].name"),
                    format!("`{}` is not a usable folder name", w.name),
                )
                .hint("use letters, digits, `-` and `_`, e.g. \"wave-1\""));
            }
            if self.waves[..i].iter().any(|p| p.name == w.name) {
                return Err(Error::config(
                    path,
                    format!("waves[{i}].name"),
                    format!("`{}` is used twice", w.name),
                ));
            }
        }
        Limits::check(self, path)
    }
}

/// A pipeline's limits, checked: what the runner computes with. Made only by
/// [`Limits::check`], before any data is read.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Limits {
    /// Seed for everything random.
    pub seed: u64,
    /// Groups smaller than this are suppressed.
    pub suppress_below: limits::SuppressBelow,
    /// Confidence level of every interval.
    pub confidence: limits::Confidence,
    /// Adjustment of p-values across the items of a comparison.
    pub adjustment: crate::stats::hypothesis::Adjustment,
    /// Number of themes asked for.
    pub k: ThemeCount,
    /// Example quotes per theme.
    pub quotes: limits::Quotes,
}

impl Limits {
    /// The pipeline's limits, each checked; an error names the pipeline's key.
    pub fn check(pipeline: &Pipeline, path: &Path) -> Result<Limits> {
        Ok(Limits {
            seed: pipeline.seed,
            suppress_below: limits::SuppressBelow::new(pipeline.suppress_below)
                .map_err(|b| b.at_key(path, "suppress_below"))?,
            confidence: limits::Confidence::new(pipeline.confidence)
                .map_err(|b| b.at_key(path, "confidence"))?,
            adjustment: pipeline.adjustment,
            k: pipeline.themes.k,
            quotes: limits::Quotes::new(pipeline.themes.quotes)
                .map_err(|b| b.at_key(path, "themes.quotes"))?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn theme_count_accepts_number_or_auto() {
        #[derive(Deserialize)]
        struct T {
            k: ThemeCount,
        }
        assert_eq!(
            toml::from_str::<T>("k = 6").unwrap().k,
            ThemeCount::Fixed(6)
        );
        assert_eq!(
            toml::from_str::<T>("k = \"auto\"").unwrap().k,
            ThemeCount::Auto
        );
        assert!(toml::from_str::<T>("k = 1").is_err());
        assert!(toml::from_str::<T>("k = \"many\"").is_err());
    }

    #[test]
    fn adjustment_is_holm_unless_asked() {
        let base = "name='p'\nsurvey='s'\noutput='o'\n[[waves]]\nname='w1'\nexport='x.csv'";
        let p: Pipeline = toml::from_str(base).unwrap();
        assert_eq!(p.adjustment, crate::stats::hypothesis::Adjustment::Holm);
        let p: Pipeline =
            toml::from_str(&format!("adjustment='benjamini-hochberg'\n{base}")).unwrap();
        assert_eq!(
            p.adjustment,
            crate::stats::hypothesis::Adjustment::BenjaminiHochberg
        );
        assert!(toml::from_str::<Pipeline>(&format!("adjustment='bonferroni'\n{base}")).is_err());
    }

    #[test]
    fn output_is_a_folder_or_a_table_with_formats() {
        let waves = "[[waves]]\nname='w1'\nexport='x.csv'";
        let p: Pipeline =
            toml::from_str(&format!("name='p'\nsurvey='s'\noutput='o'\n{waves}")).unwrap();
        assert_eq!(p.output, Output::folder("o"));
        let p: Pipeline = toml::from_str(&format!(
            "name='p'\nsurvey='s'\n{waves}\n[output]\nfolder='o'\nparquet=true"
        ))
        .unwrap();
        assert_eq!(
            p.output,
            Output {
                folder: "o".into(),
                parquet: true
            }
        );
        // Strict, like every table of a pipeline: a misspelt key is an error, not ignored.
        let e = toml::from_str::<Pipeline>(&format!(
            "name='p'\nsurvey='s'\n{waves}\n[output]\nfolder='o'\nparqet=true"
        ))
        .unwrap_err()
        .to_string();
        assert!(e.contains("parqet"), "{e}");
        let e = toml::from_str::<Pipeline>(&format!(
            "name='p'\nsurvey='s'\n{waves}\n[output]\nparquet=true"
        ))
        .unwrap_err()
        .to_string();
        assert!(e.contains("folder"), "{e}");
    }

    #[test]
    fn rejects_low_suppression_threshold() {
        let p: Pipeline = toml::from_str(
            "name='p'\nsurvey='s'\noutput='o'\nsuppress_below=2\n[[waves]]\nname='w1'\nexport='x.csv'",
        )
        .unwrap();
        let e = p.validate(Path::new("p.toml")).unwrap_err().to_string();
        assert!(e.contains("suppress_below"), "{e}");
    }
}
