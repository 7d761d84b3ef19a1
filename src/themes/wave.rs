//! The themes stage of a pipeline wave: the survey's first free-text question themed, with the
//! comments per theme broken down by the survey's segments.

use super::segments::{self, SegmentGroups};
use super::spool::Spool;
use super::{themes_owned, ThemeParams, ThemeReport};
use crate::clean::{CleanStream, CleanTable};
use crate::config::Survey;
use crate::config::ThemeCount;
use crate::error::{DataOf, Error, Result};
use crate::model::{find_column, Column, ColumnRole, Row};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// What the themes stage reads of the pipeline (the survey supplies the rest).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WaveSettings {
    /// How many themes to find.
    pub k: ThemeCount,
    /// Example quotes per theme.
    pub quotes: usize,
    /// Seed of the clustering.
    pub seed: u64,
    /// Groups with fewer comments than this are suppressed in the breakdown.
    pub suppress_below: usize,
    /// Learned codings less probable than this are listed for review.
    pub review_below: f64,
}

/// A sample coded by hand, to learn from, and the file it came from (named in errors).
#[derive(Debug, Clone)]
pub struct Coded {
    /// Each comment id's themes, as the sample file codes them.
    pub sample: super::learn::CodedSample,
    /// The sample file, for errors.
    pub path: PathBuf,
}

/// The themes artefact of a wave: the survey's first open question and its themes (with the
/// survey's codebook, coded sample and the reviewer's edits), then every further open question
/// themed on its own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WaveThemes {
    /// The question's wording, as the survey gives it.
    pub question: String,
    /// The themes, assignments and breakdowns (themes.json).
    pub report: ThemeReport,
    /// The survey's further open questions, in its order, each themed on its own.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub further: Vec<QuestionThemes>,
}

impl WaveThemes {
    /// Every question's report, the first question's first (the order of `further`).
    pub fn reports(&self) -> impl Iterator<Item = &ThemeReport> {
        std::iter::once(&self.report).chain(self.further.iter().map(|f| &f.report))
    }

    /// Every question's report, to fill in place, in the order of [`WaveThemes::reports`].
    pub fn reports_mut(&mut self) -> impl Iterator<Item = &mut ThemeReport> {
        std::iter::once(&mut self.report).chain(self.further.iter_mut().map(|f| &mut f.report))
    }

    /// The themes without the assignments of any question (cached apart, row by row).
    pub fn without_assignments(&self) -> WaveThemes {
        WaveThemes {
            question: self.question.clone(),
            report: self.report.without_assignments(),
            further: (self.further.iter())
                .map(|f| QuestionThemes {
                    id: f.id.clone(),
                    column: f.column.clone(),
                    question: f.question.clone(),
                    report: f.report.without_assignments(),
                })
                .collect(),
        }
    }
}

/// A further open question and its themes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuestionThemes {
    /// The question's id (`[[text]] id`).
    pub id: String,
    /// The export column its comments came from.
    pub column: String,
    /// The question's wording.
    pub question: String,
    /// Its themes and assignments.
    pub report: ThemeReport,
}

/// What the themes stage keeps of a wave's responses, gathered as the export is read: the
/// non-blank answers to the survey's first free-text question by hashed respondent key (and
/// export row), and every respondent's group in each segment.
#[derive(Debug, Default)]
pub struct WaveComments {
    /// Respondents kept by clean, commenting or not (the denominator of `pct_respondents`).
    pub respondents: usize,
    /// The non-blank answers, in file order, by hashed respondent key (identifying values of the
    /// respondent scrubbed; quotes are redacted later), set aside until the question is themed:
    /// as one string each, held from the first row read to the last, they were spread over
    /// the memory the rows in between used and let go of.
    pub comments: Spool,
    /// The export row of each comment, in `comments`' order.
    pub rows: Vec<usize>,
    /// Per survey segment the export has, its groups' sizes and each commenter's group.
    pub segments: Vec<SegmentGroups>,
    /// The non-blank answers to each further open question, in the survey's order, set aside
    /// until their question is themed.
    pub further: Vec<Spool>,
}

impl WaveComments {
    /// Adds one kept respondent, as `CommentReader::read` saw their row. A blank answer is no
    /// comment, so that the themes stage's comments are the ones gathered, in order.
    pub fn push(&mut self, key: String, row: usize, read: ReadComment) {
        self.respondents += 1;
        let said = |text: &Option<String>| text.as_ref().is_some_and(|t| !t.trim().is_empty());
        let commented = said(&read.comment);
        for (segment, value) in self.segments.iter_mut().zip(&read.groups) {
            segment.add(value, commented);
        }
        for (comments, text) in self.further.iter_mut().zip(read.further) {
            if let Some(text) = text.filter(|t| !t.trim().is_empty()) {
                comments.push(&key, &text);
            }
        }
        if let Some(text) = read.comment.filter(|_| commented) {
            self.comments.push(&key, &text);
            self.rows.push(row);
        }
    }
}

/// One row's answer to the question (None when blank) and its value of each segment.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadComment {
    /// The answer, scrubbed; None when blank.
    pub comment: Option<String>,
    /// The row's value of each segment, trimmed; `(not answered)` when blank.
    pub groups: Vec<String>,
    /// The answer to each further open question (None when blank).
    pub further: Vec<Option<String>>,
}

/// The question's and the segments' columns resolved against an export; reads them per row as
/// the export streams by (identifying values of the respondent already scrubbed).
#[derive(Debug, Clone)]
pub struct CommentReader {
    column: usize,
    segments: Vec<(String, usize)>,
    /// The further open questions' columns.
    further: Vec<usize>,
}

impl CommentReader {
    /// None when the survey has no free-text question. Fails, naming `export` and the survey
    /// key to fix, when the export has no such column.
    pub fn new(columns: &[Column], survey: &Survey, export: &Path) -> Result<Option<Self>> {
        if survey.text.is_empty() {
            return Ok(None);
        }
        let mut text_columns = survey
            .text
            .iter()
            .enumerate()
            .map(|(i, question)| {
                find_column(columns, question.column())
                    .filter(|&c| columns[c].role == ColumnRole::Answer)
                    .ok_or_else(|| {
                        Error::input(
                            export,
                            format!(
                                "has no column `{}` for the free-text question `{}`",
                                question.column(),
                                question.id
                            ),
                        )
                        .hint(format!(
                            "fix `text[{i}].column` in the survey file; `canvass inspect` lists the columns"
                        ))
                    })
            })
            .collect::<Result<Vec<usize>>>()?;
        let column = text_columns.remove(0);
        let segments = survey
            .segments
            .iter()
            .filter_map(|seg| Some((seg.name.clone(), find_column(columns, seg.column())?)))
            .collect();
        Ok(Some(CommentReader {
            column,
            segments,
            further: text_columns,
        }))
    }

    /// An empty gathering with this reader's segments.
    pub fn gathering(&self) -> WaveComments {
        WaveComments {
            segments: self
                .segments
                .iter()
                .map(|(name, _)| SegmentGroups::new(name))
                .collect(),
            further: self.further.iter().map(|_| Spool::default()).collect(),
            ..Default::default()
        }
    }

    /// What the stage keeps of one row.
    pub fn read(&self, r: &impl Row) -> ReadComment {
        let text = r.scrubbed(self.column);
        let comment = (!text.trim().is_empty()).then(|| text.into_owned());
        let groups = self
            .segments
            .iter()
            .map(|&(_, c)| {
                let v = r.scrubbed(c);
                let v = v.trim();
                if v.is_empty() {
                    "(not answered)".to_string()
                } else {
                    v.to_string()
                }
            })
            .collect();
        let further = self
            .further
            .iter()
            .map(|&c| {
                let text = r.scrubbed(c);
                (!text.trim().is_empty()).then(|| text.into_owned())
            })
            .collect();
        ReadComment {
            comment,
            groups,
            further,
        }
    }

    /// Gathers a clean stream as it is read, to its end (a caller that themes and scores nothing).
    pub fn gather_stream(&self, stream: &mut CleanStream) -> Result<WaveComments> {
        let mut all = self.gathering();
        stream.screen_all(
            Vec::new,
            |seen: &mut Vec<(String, usize, ReadComment)>, r| {
                seen.push((crate::ingest::key_hex(r.key()), r.line(), self.read(r)));
                Ok(())
            },
            |chunks| {
                for chunk in chunks {
                    for ((key, row, read), _) in
                        chunk.rows.into_iter().zip(chunk.kept).filter(|(_, k)| *k)
                    {
                        all.push(key, row, read);
                    }
                }
                Ok(())
            },
        )?;
        Ok(all)
    }

    /// Gathers a clean table in memory (a caller that does not stream).
    pub fn gather(&self, table: &CleanTable) -> WaveComments {
        let mut all = self.gathering();
        for r in &table.responses {
            all.push(r.key.clone(), r.row, self.read(r));
        }
        all
    }
}

/// Themes the survey's first free-text question, if it has one, coding its comments as `coded`
/// does where a sample is given and applying a reviewer's corrections. `export` is named in errors.
pub fn for_wave(
    gathered: &WaveComments,
    survey: &Survey,
    settings: &WaveSettings,
    coded: Option<Coded>,
    review: Option<&super::review::WaveReview>,
    export: &Path,
) -> Result<Option<WaveThemes>> {
    let asked = Asked {
        survey,
        settings,
        respondents: gathered.respondents,
        export,
    };
    let done: &mut Finished = &mut |_, _| {};
    let lead = asked.lead(&gathered.comments, &gathered.segments, coded, review, done)?;
    asked.with_further(lead, gathered.further.iter(), done)
}

/// Called with each open question's number (0 the first) and report as soon as its
/// assignments are final (reviewed, broken down by segment, rare write-ins withheld).
pub type Finished<'a> = dyn FnMut(usize, &mut ThemeReport) + 'a;

/// As [`for_wave`], letting go of each question's comments once it is themed: a national
/// survey's first question's comments are not held while the next is themed. `done` is
/// called with each question's report as soon as it is final (the runner sets its
/// assignments aside in the stage cache there, so that they are not held either).
pub fn for_wave_owned(
    gathered: WaveComments,
    survey: &Survey,
    settings: &WaveSettings,
    coded: Option<Coded>,
    review: Option<&super::review::WaveReview>,
    export: &Path,
    done: &mut Finished,
) -> Result<Option<WaveThemes>> {
    let asked = Asked {
        survey,
        settings,
        respondents: gathered.respondents,
        export,
    };
    let WaveComments {
        comments,
        segments,
        further,
        ..
    } = gathered;
    let lead = asked.lead(&comments, &segments, coded, review, done)?;
    drop((comments, segments));
    asked.with_further(lead, further.iter(), done)
}

/// What every open question of a wave is themed with.
struct Asked<'a> {
    survey: &'a Survey,
    settings: &'a WaveSettings,
    /// Respondents kept by clean (the denominator of `pct_respondents`).
    respondents: usize,
    export: &'a Path,
}

impl Asked<'_> {
    /// The wave's themes: the first question's (`None` without an open question) and then each
    /// further question's, themed from `comments`.
    fn with_further<'s>(
        &self,
        lead: Option<(String, ThemeReport)>,
        comments: impl Iterator<Item = &'s Spool>,
        done: &mut Finished,
    ) -> Result<Option<WaveThemes>> {
        let Some((question, report)) = lead else {
            return Ok(None);
        };
        Ok(Some(WaveThemes {
            question,
            report,
            further: self.further(comments, done)?,
        }))
    }

    /// The first open question's wording and themes, broken down by the segments; `None`
    /// when the survey has no open question.
    fn lead(
        &self,
        comments: &Spool,
        groups: &[SegmentGroups],
        coded: Option<Coded>,
        review: Option<&super::review::WaveReview>,
        done: &mut Finished,
    ) -> Result<Option<(String, ThemeReport)>> {
        let (survey, settings, export) = (self.survey, self.settings, self.export);
        let Some(question) = survey.text.first() else {
            return Ok(None);
        };
        let params = ThemeParams {
            codebook: survey.codebook.clone(),
            ..question_params(survey, settings, question, self.respondents)
        };
        let coded_path = coded.as_ref().map(|c| c.path.clone());
        let params = ThemeParams {
            coded: coded.map(|c| c.sample),
            ..params
        };
        let failed = |e: Error| e.in_file(export, &format!("theming `{}` failed: ", question.id));
        let comments = comments.comments().map_err(failed)?;
        let mut report = themes_owned(comments, &params).map_err(|e| match coded_path {
            Some(path) if e.data_of() == Some(DataOf::CodedSample) => e.in_file(&path, "").hint(
                "fix the file, or remove `coded` from the question's `[[text]]` entry in the survey file",
            ),
            _ => failed(e),
        })?;
        // A reviewer's corrections come before the breakdowns, which count the reviewed themes.
        if let Some(r) = review {
            report.review = Some(super::review::apply(&mut report, r, params.quotes));
        }
        if question.other_of.is_some() {
            super::write_in::withhold_rare(&mut report, settings.suppress_below);
        }
        report.segments = segments::breakdown(&report, groups, settings.suppress_below);
        done(0, &mut report);
        Ok(Some((question.text.clone(), report)))
    }

    /// Each further open question themed on its own: its own number of themes (as the
    /// pipeline asks), quotes, tone and redaction. The survey's codebook, coded sample and the
    /// reviewer's edits are the first question's.
    fn further<'s>(
        &self,
        comments: impl Iterator<Item = &'s Spool>,
        done: &mut Finished,
    ) -> Result<Vec<QuestionThemes>> {
        let (survey, settings) = (self.survey, self.settings);
        (survey.text.iter().skip(1).zip(comments).enumerate())
            .map(|(i, (question, comments))| {
                let params = question_params(survey, settings, question, self.respondents);
                let failed = |e: Error| {
                    e.in_file(self.export, &format!("theming `{}` failed: ", question.id))
                };
                // Read back only now, and let go of once themed.
                let comments = comments.comments().map_err(failed)?;
                let mut report = themes_owned(comments, &params).map_err(failed)?;
                if question.other_of.is_some() {
                    super::write_in::withhold_rare(&mut report, settings.suppress_below);
                }
                done(i + 1, &mut report);
                Ok(QuestionThemes {
                    id: question.id.clone(),
                    column: question.column().to_string(),
                    question: question.text.clone(),
                    report,
                })
            })
            .collect()
    }
}

/// How one open question is themed: the pipeline's settings, the survey's language and names to
/// redact, the question's wording.
fn question_params(
    survey: &Survey,
    settings: &WaveSettings,
    question: &crate::config::TextQuestion,
    respondents: usize,
) -> ThemeParams {
    ThemeParams {
        k: settings.k,
        seed: settings.seed,
        language: survey.language.clone(),
        quotes: settings.quotes,
        redact: survey.privacy.redact.clone(),
        question: question.text.clone(),
        review_below: settings.review_below,
        ..ThemeParams::new(respondents)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn themed_owning_the_comments_is_themed_as_borrowing_them() {
        let survey: Survey = toml::from_str(
            "title = 'T'\n[[segments]]\nname = 'Team'\ncolumn = 'team'\n\
             [[text]]\nid = 'q'\ncolumn = 'Q9'\ntext = 'What went well?'\n\
             [[text]]\nid = 'r'\ncolumn = 'Q10'\ntext = 'What would you change?'\n",
        )
        .unwrap();
        let mut gathered = WaveComments {
            segments: vec![SegmentGroups::new("Team")],
            further: vec![Spool::with_budget(100)],
            ..Default::default()
        };
        let words = [
            "workload heavy",
            "marking load",
            "great team",
            "team support",
        ];
        for i in 0..40 {
            let text = |q: &str| Some(format!("{q} {} {}", words[i % 4], words[(i / 4) % 4]));
            let read = ReadComment {
                comment: text("first"),
                groups: vec![["A", "B"][i % 2].to_string()],
                further: vec![(i % 3 != 0).then(|| text("second")).flatten()],
            };
            gathered.push(format!("{i:016x}"), i + 2, read);
        }
        let settings = WaveSettings {
            k: ThemeCount::Fixed(2),
            quotes: 2,
            seed: 42,
            suppress_below: 5,
            review_below: 0.5,
        };
        let export = Path::new("export.csv");
        let borrowed = for_wave(&gathered, &survey, &settings, None, None, export).unwrap();
        let mut finished = Vec::new();
        let done: &mut Finished = &mut |i, r| finished.push((i, r.assignments.len()));
        let owned = for_wave_owned(gathered, &survey, &settings, None, None, export, done).unwrap();
        let themed = owned.unwrap();
        assert_eq!(themed.further.len(), 1);
        assert!(!themed.report.segments.is_empty());
        assert_eq!(themed.further[0].report.assignments.len(), 26);
        assert_eq!(borrowed, Some(themed));
        // Each question is handed over once, in order, with its final assignments.
        assert_eq!(finished, vec![(0, 40), (1, 26)]);
    }
}
