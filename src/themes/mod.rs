//! Themes: free-text comments → labelled themes with counts, redacted quotes, and each
//! comment's assignment.
//!
//! Text is tokenised and stemmed (`tokenize`), weighted and reduced (`vectorize`: sparse TF-IDF
//! then LSA), clustered (`cluster`: k-means, k fixed or chosen by silhouette), named
//! (`label`), and every text that leaves the stage is redacted (`redact`). English comments
//! are also given a sentiment score and tone (`sentiment`, on `vader`), read in the light of
//! the question asked.

pub mod assignments;
pub mod cluster;
pub mod codebook;
mod discover;
pub mod evaluate;
pub mod label;
pub mod learn;
pub mod linear;
pub mod quote;
pub mod redact;
pub mod review;
pub mod segments;
pub mod sentiment;
mod spool;
pub mod texts;
pub mod tokenize;
pub mod vader;
pub mod vectorize;
mod wave;
pub mod write_in;

use crate::config::ThemeCount;
use crate::error::{DataOf, Error, Result};
pub use assignments::Assignments;
use cluster::{Clusterer, KMeansSettings};
use discover::{discovered_themes, tfidf_params, ASSIGN_CHUNK};
pub use discover::{FittedOn, FIT_SAMPLE};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
pub use wave::{
    for_wave, for_wave_owned, Coded, CommentReader, Finished, QuestionThemes, ReadComment,
    WaveComments, WaveSettings, WaveThemes,
};

/// The fewest comments grouped into themes: two themes of two comments each. Fewer are
/// listed as they are, since a "theme" of one comment says nothing a quote does not.
pub const MIN_COMMENTS_TO_GROUP: usize = 2 * MIN_COMMENTS_PER_THEME;

/// The comments a discovered theme needs on average: a fixed k above comments / this is capped.
pub const MIN_COMMENTS_PER_THEME: usize = 2;

/// One free-text answer and who gave it (hashed key).
#[derive(Debug, Clone, PartialEq)]
pub struct Comment {
    /// The respondent's hashed key (never an identifier), the `id` of comments.csv.
    pub respondent: String,
    /// The answer as written; redacted only when quoted or listed.
    pub text: String,
}

/// Validated settings of the themes stage.
#[derive(Debug, Clone, PartialEq)]
pub struct ThemeParams {
    /// How many themes to find: a number, or chosen by silhouette.
    pub k: ThemeCount,
    /// Seed of k-means restarts and random projections: the same seed gives the same themes.
    pub seed: u64,
    /// Stemming language (rust-stemmers' names: english, german …).
    pub language: String,
    /// Example quotes per theme (1–10).
    pub quotes: usize,
    /// LSA dimensions.
    pub dims: usize,
    /// A word counts only if it occurs in at least this many comments (2 by default).
    pub min_df: usize,
    /// Names and words to redact from every quote.
    pub redact: Vec<String>,
    /// Themes defined up front; matching comments are coded to them and not clustered.
    pub codebook: Vec<codebook::CodebookEntry>,
    /// Respondents in the wave (the denominator of "share of respondents").
    pub respondents: usize,
    /// The open question's wording: it sets how answers' sentiment is read (`sentiment`).
    pub question: String,
    /// A sample coded by hand: its coding is learned and given to the other comments (`learn`).
    pub coded: Option<learn::CodedSample>,
    /// Learned codings less probable than this are listed for review.
    pub review_below: f64,
}

impl ThemeParams {
    /// The defaults a pipeline that sets nothing gets (automatic k, seed 42, English, 3 quotes, 100
    /// LSA dimensions, words in at least 2 comments), for a wave of `respondents` respondents.
    pub fn new(respondents: usize) -> ThemeParams {
        ThemeParams {
            k: ThemeCount::Auto,
            seed: 42,
            language: "english".into(),
            quotes: 3,
            dims: 100,
            min_df: 2,
            redact: Vec::new(),
            codebook: Vec::new(),
            respondents,
            question: String::new(),
            coded: None,
            review_below: learn::DEFAULT_REVIEW_BELOW,
        }
    }
}

/// One theme: a row of themes.csv and an entry of themes.json's `themes`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Theme {
    /// 1-based: codebook themes first, in codebook order, then discovered ones, largest first.
    pub id: usize,
    /// "codebook" (defined in the survey), "discovered" (found by clustering) or "reviewed"
    /// (split off by a reviewer).
    pub kind: String,
    /// The label reports show: the codebook theme's name, or a discovered theme's distinctive
    /// terms.
    pub label: String,
    /// A name for the theme that does not depend on its number, for review files
    /// (`review::handles`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub handle: String,
    /// Most distinctive terms, as written.
    pub keywords: Vec<String>,
    /// Comments in the theme.
    pub size: usize,
    /// Percent of substantive comments.
    pub pct_comments: f64,
    /// Percent of all respondents in the wave.
    pub pct_respondents: f64,
    /// Redacted comments nearest the theme's centre, distinct.
    pub quotes: Vec<String>,
    /// How many of the theme's comments are positive, neutral and negative, when sentiment was
    /// computed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tones: Option<ToneCounts>,
}

/// Comments by tone.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ToneCounts {
    /// Comments with a positive tone.
    pub positive: usize,
    /// Comments with a neutral tone.
    pub neutral: usize,
    /// Comments with a negative tone.
    pub negative: usize,
}

impl ToneCounts {
    pub(crate) fn add(&mut self, tone: sentiment::Tone) {
        match tone {
            sentiment::Tone::Positive => self.positive += 1,
            sentiment::Tone::Neutral => self.neutral += 1,
            sentiment::Tone::Negative => self.negative += 1,
        }
    }

    /// Comments counted (those with a tone).
    pub fn total(&self) -> usize {
        self.positive + self.neutral + self.negative
    }
}

/// What happened to a comment: the `status` column of comments.csv (kebab-case).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CommentStatus {
    /// Coded to one or more codebook themes.
    Coded,
    /// Assigned to a theme.
    Themed,
    /// "n/a", "nothing", "-": counted, not clustered.
    NonSubstantive,
    /// No word that occurs in at least `min_df` comments, so nothing to cluster on.
    Unthemed,
    /// Coded by the model learned from a coded sample (`learn`).
    Learned,
    /// Coded by hand in the coded sample.
    HandCoded,
}

impl CommentStatus {
    /// The comment belongs to a theme (codebook, learned, hand-coded or discovered).
    pub fn is_theme_member(self) -> bool {
        !matches!(
            self,
            CommentStatus::NonSubstantive | CommentStatus::Unthemed
        )
    }
}

/// One comment and its themes: a row of comments.csv and an entry of themes.json's `assignments`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assignment {
    /// The respondent's hashed key (the `id` column), never an identifier.
    pub respondent: String,
    /// The first theme (the only one unless several codebook themes matched); a `u32`, as a
    /// national survey holds millions of assignments.
    pub theme: Option<u32>,
    /// Every theme, for comments coded to several codebook themes.
    pub themes: Vec<usize>,
    /// The theme label(s), `; `-separated; "(unthemed)" or "(no substantive answer)" when none.
    /// Shared: a theme's comments hold its one label, not a copy each.
    pub label: Arc<str>,
    /// What happened to the comment.
    pub status: CommentStatus,
    /// The comment, redacted.
    pub text: String,
    /// Survey-adjusted sentiment, -1 (most negative) to 1 (most positive), when computed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sentiment: Option<f64>,
    /// Positive, neutral or negative, from `sentiment`; absent when sentiment was not computed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tone: Option<sentiment::Tone>,
    /// For learned coding: the probability of the comment's most likely learned theme (1 when
    /// coded by hand).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f64>,
    /// Learned coding under the review threshold: a person should check it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub review: bool,
}

/// The themes artefact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThemeReport {
    /// Respondents in the wave (the denominator of `pct_respondents`).
    pub respondents: usize,
    /// Non-blank answers.
    pub comments: usize,
    /// Answers such as "n/a", "nothing", "-": counted, not themed.
    pub non_substantive: usize,
    /// Comments coded to codebook themes.
    pub coded: usize,
    /// Comments assigned to a discovered theme.
    pub themed: usize,
    /// Comments with no word in enough comments to be grouped.
    pub unthemed: usize,
    /// Discovered themes (clusters) found; codebook themes are not counted.
    pub k: usize,
    /// "fixed" or "silhouette".
    pub k_method: String,
    /// Mean silhouette for every k tried, when k was chosen automatically.
    pub silhouettes: Vec<(usize, f64)>,
    /// The number of themes asked for (the fixed k, or the one silhouette chose) when it is not
    /// `k`: capped to what the comments allow (`k_allowed`), or with clusters k-means left empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub k_requested: Option<usize>,
    /// The most themes the comments allow (`MIN_COMMENTS_PER_THEME` each), when a fixed k
    /// asked for more.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub k_allowed: Option<usize>,
    /// Set when the comments left to group were too few to cluster: they are all `unthemed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub too_few: Option<TooFew>,
    /// Set when the themes were fitted on a seeded sample of the comments to group (more than
    /// `FIT_SAMPLE` of them), every comment then assigned to its nearest theme.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fitted_on: Option<FittedOn>,
    /// The seed the clustering used.
    pub seed: u64,
    /// How the question's wording set the reading of sentiment, when sentiment was computed
    /// (English comments only: the lexicon is English).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sentiment_direction: Option<sentiment::Direction>,
    /// Codebook themes first, then discovered ones, largest first (as `id` numbers them).
    pub themes: Vec<Theme>,
    /// Comments per theme by segment, suppressed like the score breakdowns (filled by the runner).
    #[serde(default)]
    pub segments: Vec<segments::ThemeBreakdown>,
    /// Every comment with its themes, in the export's order.
    pub assignments: Assignments,
    /// Learned coding from a coded sample, with its cross-validated agreement, when one was given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub learned: Option<learn::LearnedSummary>,
    /// What a reviewer's corrections changed, when the pipeline names a review file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<review::ReviewOutcome>,
}

impl ThemeReport {
    /// The report without its assignments (the stage cache keeps those apart, row by row):
    /// every other field, so that a field added to the report is cached too.
    pub fn without_assignments(&self) -> ThemeReport {
        let ThemeReport {
            respondents,
            comments,
            non_substantive,
            coded,
            themed,
            unthemed,
            k,
            k_method,
            silhouettes,
            k_requested,
            k_allowed,
            too_few,
            fitted_on,
            seed,
            sentiment_direction,
            themes,
            segments,
            assignments: _,
            learned,
            review,
        } = self;
        ThemeReport {
            respondents: *respondents,
            comments: *comments,
            non_substantive: *non_substantive,
            coded: *coded,
            themed: *themed,
            unthemed: *unthemed,
            k: *k,
            k_method: k_method.clone(),
            silhouettes: silhouettes.clone(),
            k_requested: *k_requested,
            k_allowed: *k_allowed,
            too_few: *too_few,
            fitted_on: *fitted_on,
            seed: *seed,
            sentiment_direction: *sentiment_direction,
            themes: themes.clone(),
            segments: segments.clone(),
            assignments: Assignments::default(),
            learned: learned.clone(),
            review: review.clone(),
        }
    }

    /// The themes largest first (codebook and learned ones too), ties in id order: the order a
    /// reader expects in every format (summaries, themes.csv, the workbook).
    pub fn by_size(&self) -> Vec<&Theme> {
        let mut themes: Vec<&Theme> = self.themes.iter().collect();
        themes.sort_by_key(|th| std::cmp::Reverse(th.size));
        themes
    }

    /// A row's label: the theme's own, or the comment's placeholder ("(unthemed)") when in none.
    pub fn row_label<'a>(&'a self, a: &'a Assignment, theme: Option<usize>) -> &'a str {
        match theme {
            Some(id) if a.themes.len() > 1 => self
                .themes
                .iter()
                .find(|t| t.id == id)
                .map_or(&*a.label, |t| t.label.as_str()),
            _ => &a.label,
        }
    }
}

/// Why comments were not grouped into themes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TooFew {
    /// Comments left to group: substantive, and coded to no codebook theme.
    pub comments: usize,
    /// Of those, the ones sharing a word with another (the only ones clustering can place).
    pub sharing_words: usize,
    /// The fewest that are grouped (`MIN_COMMENTS_TO_GROUP`).
    pub minimum: usize,
}

/// Themes a wave's comments. Blank answers are not comments and are skipped.
pub fn themes(comments: &[Comment], params: &ThemeParams) -> Result<ThemeReport> {
    themes_owned(comments.to_vec(), params)
}

/// [`themes`], taking the comments: their keys and texts become the assignments' instead of
/// being copied (a national survey's first question held both, a sixth of the run's peak).
pub fn themes_owned(comments: Vec<Comment>, params: &ThemeParams) -> Result<ThemeReport> {
    themes_fitted_on(comments, params, FIT_SAMPLE)
}

/// `themes_owned`, fitting on a sample of at most `fit_sample` comments (tests use a small one).
fn themes_fitted_on(
    mut comments: Vec<Comment>,
    params: &ThemeParams,
    fit_sample: usize,
) -> Result<ThemeReport> {
    let trace = Trace::start();
    let tokenizer =
        tokenize::Tokenizer::new(&params.language).ok_or_else(|| no_stemmer(&params.language))?;
    let redactor = redact::Redactor::new(&params.redact).map_err(|e| {
        Error::data(
            DataOf::Comments,
            format!("the survey's [privacy] redact[{}]: {e}", e.index),
        )
        .hint("remove the entry, or write the name as it appears in comments")
    })?;
    comments.retain(|c| !c.text.trim().is_empty());
    let owned = comments;
    let comments: Vec<&Comment> = owned.iter().collect();
    // Sentiment is read from the original text (redaction only removes names and numbers).
    let direction = (params.language == "english")
        .then(|| sentiment::Direction::from_question(&params.question));
    let mut texts = texts::Texts::analyse(comments, &redactor, direction);
    if params
        .coded
        .as_ref()
        .is_some_and(|s| coders_theme_non_answers(s, &texts.comments))
    {
        texts.all_substantive();
    }
    trace.lap("analysed the distinct texts");
    let docs: Vec<u32> = (0..texts.comments.len() as u32)
        .filter(|&i| texts.of(i as usize).substantive)
        .collect();
    let stage = Stage {
        texts,
        docs,
        params,
        tokenizer: &tokenizer,
        fit_sample,
    };
    // Theme indices (0-based into `themes`) of each substantive comment.
    let (mut themes, mut themes_of) = codebook_coding(&stage);
    let (learned_codes, learned_summary) = match &params.coded {
        Some(sample) => {
            let (codes, summary) = learned_themes(&stage, sample, &mut themes, &mut themes_of)?;
            trace.lap("learned");
            (codes, Some(summary))
        }
        // No sample: no doc has a learned code, and none is stored for each.
        None => (Vec::new(), None),
    };
    let coded_themes = themes.len();
    let discovered = discovered_themes(&stage, &mut themes, &mut themes_of, &trace)?;
    let themes_of = ThemesOf::new(themes_of);
    let Stage { texts, docs, .. } = stage;
    let analysis = texts.into_analysis();
    let commented = analysis.of.len();
    let (mut assignments, redacted) = assign(
        (&analysis, &docs),
        &themes,
        (&themes_of, coded_themes),
        &learned_codes,
        direction,
    );
    drop((analysis, docs, themes_of));
    // Each assignment takes its comment's key and, unless redaction changed it, its text.
    (assignments.par_iter_mut().zip(redacted).zip(owned)).for_each(|((a, redacted), c)| {
        a.respondent = c.respondent;
        if !redacted {
            a.text = trimmed(c.text);
        }
    });
    if direction.is_some() {
        count_tones(&assignments, &mut themes);
    }
    trace.lap("assigned");
    let count = |s: CommentStatus| assignments.iter().filter(|a| a.status == s).count();
    let mut report = ThemeReport {
        respondents: params.respondents,
        comments: commented,
        non_substantive: count(CommentStatus::NonSubstantive),
        coded: count(CommentStatus::Coded),
        themed: count(CommentStatus::Themed),
        unthemed: count(CommentStatus::Unthemed),
        k: discovered.k_used,
        k_method: match params.k {
            ThemeCount::Auto => "silhouette",
            ThemeCount::Fixed(_) => "fixed",
        }
        .to_string(),
        silhouettes: discovered.silhouettes,
        k_requested: discovered.k_requested,
        k_allowed: discovered.k_allowed,
        too_few: discovered.too_few,
        fitted_on: discovered.fitted_on,
        seed: params.seed,
        sentiment_direction: direction,
        themes,
        segments: Vec::new(),
        assignments: assignments.into(),
        learned: learned_summary,
        review: None,
    };
    review::handles(&mut report);
    Ok(report)
}

/// Whether the coders gave a theme to an answer the rules call a non-answer: then, for this
/// question, no answer is set aside as non-substantive (the sample says what counts).
fn coders_theme_non_answers(sample: &learn::CodedSample, comments: &[&Comment]) -> bool {
    let wave: rustc_hash::FxHashMap<&str, &str> = comments
        .iter()
        .map(|c| (c.respondent.as_str(), c.text.as_str()))
        .collect();
    sample.codes.iter().any(|(id, codes)| {
        let text = sample.texts.get(id).map(String::as_str);
        let text = text.or_else(|| wave.get(id.as_str()).copied());
        !codes.is_empty() && text.is_some_and(tokenize::is_non_substantive)
    })
}

/// The language has no stemmer (the configuration checks this first, so only a library caller
/// sees it).
fn no_stemmer(language: &str) -> Error {
    Error::data(
        DataOf::Comments,
        format!("no stemmer for language `{language}`"),
    )
    .hint(format!("use one of: {}", tokenize::LANGUAGES))
}

/// Timings (and peak memory, where the system reports it) on standard error when the
/// environment sets `CANVASS_TRACE`, to see where a large wave's time goes.
struct Trace(Option<std::time::Instant>);

impl Trace {
    fn start() -> Trace {
        Trace(std::env::var_os("CANVASS_TRACE").map(|_| std::time::Instant::now()))
    }

    fn on(&self) -> bool {
        self.0.is_some()
    }

    /// The size of the matrix clustering starts from.
    fn matrix(&self, x: &vectorize::SparseRows) {
        if self.on() {
            eprintln!(
                "themes: {} comments x {} terms, {} non-zeros",
                x.nrows(),
                x.ncols,
                x.values.len()
            );
        }
    }

    fn lap(&self, what: &str) {
        if let Some(clock) = self.0 {
            // VmHWM: the process's peak resident memory so far (Linux only; blank elsewhere).
            let peak = std::fs::read_to_string("/proc/self/status")
                .ok()
                .and_then(|s| {
                    s.lines()
                        .find(|l| l.starts_with("VmHWM:"))
                        .map(|l| l[6..].trim().to_string())
                })
                .unwrap_or_default();
            eprintln!(
                "themes: {what} at {:.3}s ({:.2} CPU s), peak {peak}",
                clock.elapsed().as_secs_f64(),
                cpu_seconds()
            );
        }
    }
}

/// The process's CPU time so far (user and system, every thread), for the trace: unlike the
/// wall clock, it does not depend on what else the machine runs.
#[cfg(unix)]
fn cpu_seconds() -> f64 {
    // SAFETY: getrusage only writes the struct it is given, which is zeroed and owned here.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    };
    let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

#[cfg(not(unix))]
fn cpu_seconds() -> f64 {
    0.0
}

/// A wave's comments as the steps of `themes` share them.
struct Stage<'a> {
    /// The non-blank comments (`texts.comments`) and their distinct texts.
    texts: texts::Texts<'a>,
    /// The substantive comments ("docs"), as indices into the comments (a `u32` each: a
    /// national survey has millions).
    docs: Vec<u32>,
    params: &'a ThemeParams,
    tokenizer: &'a tokenize::Tokenizer,
    /// The most comments the themes are fitted on (`FIT_SAMPLE`).
    fit_sample: usize,
}

impl Stage<'_> {
    /// The distinct text of doc `d`.
    fn text_id(&self, d: usize) -> usize {
        self.texts.of[self.docs[d] as usize] as usize
    }

    /// The comment of doc `d`.
    fn doc(&self, d: usize) -> &Comment {
        self.texts.comments[self.docs[d] as usize]
    }

    /// Percent of substantive comments and of respondents.
    fn share(&self, size: usize) -> (f64, f64) {
        (
            100.0 * size as f64 / self.docs.len().max(1) as f64,
            100.0 * size as f64 / self.params.respondents.max(1) as f64,
        )
    }

    /// Distinct redacted quotes from candidate docs, best first.
    fn quotes(&self, candidates: impl Iterator<Item = usize>) -> Vec<String> {
        quote::choose(
            candidates.map(|d| self.texts.redacted(self.text_id(d)).to_string()),
            self.params.quotes,
        )
    }

    /// TF-IDF rows of docs `to_cluster`, document frequencies counted over them alone.
    fn tfidf(&self, to_cluster: &[usize]) -> (vectorize::Vocabulary, vectorize::SparseRows) {
        // The terms of the distinct texts these docs use, numbered in order of first use.
        const UNSEEN: u32 = u32::MAX;
        let mut local = vec![UNSEEN; self.texts.distinct.len()];
        let mut used: Vec<usize> = Vec::new();
        let rows: Vec<u32> = to_cluster
            .iter()
            .map(|&d| {
                let t = self.text_id(d);
                if local[t] == UNSEEN {
                    local[t] = used.len() as u32;
                    used.push(t);
                }
                local[t]
            })
            .collect();
        drop(local);
        let terms: Vec<Vec<tokenize::Term>> = used
            .par_iter()
            .map(|&t| self.texts.terms(t, self.tokenizer))
            .collect();
        vectorize::tfidf_shared(&terms, &rows, tfidf_params(self.params))
    }

    /// Docs outside the fitting sample, each with its nearest fitted centroid and closeness to
    /// it (None when it has no vocabulary term). Each distinct text is placed once, in chunks
    /// of fixed size whose rows are independent, so the result does not depend on the thread
    /// count and memory on the chunk, not the wave.
    fn assign_outside(
        &self,
        docs: &[usize],
        weigher: &vectorize::Weigher,
        projection: &vectorize::Projection,
        centroids: &ndarray::Array2<f64>,
    ) -> Vec<Option<(usize, f64)>> {
        const UNSEEN: u32 = u32::MAX;
        let mut slot = vec![UNSEEN; self.texts.distinct.len()];
        let mut distinct: Vec<usize> = Vec::new();
        for &d in docs {
            let t = self.text_id(d);
            if slot[t] == UNSEEN {
                slot[t] = distinct.len() as u32;
                distinct.push(t);
            }
        }
        let placed: Vec<Option<(usize, f64)>> = distinct
            .par_chunks(ASSIGN_CHUNK)
            .flat_map_iter(|chunk| {
                let texts = chunk.iter().map(|&t| self.texts.to_tokenise(t));
                let x = weigher.rows_of_texts(texts, self.tokenizer);
                let y = projection.project(&x);
                let labels = cluster::nearest_centroids(&y, centroids);
                (0..chunk.len())
                    .map(|r| {
                        (x.indptr[r + 1] > x.indptr[r]).then(|| {
                            let c = labels[r];
                            (c, y.row(r).dot(&centroids.row(c)))
                        })
                    })
                    .collect::<Vec<_>>()
            })
            .collect();
        docs.iter()
            .map(|&d| placed[slot[self.text_id(d)] as usize])
            .collect()
    }

    fn theme(&self, id: usize, kind: &str, label: String, keywords: Vec<String>) -> Theme {
        Theme {
            id,
            kind: kind.into(),
            label,
            handle: String::new(),
            keywords,
            size: 0,
            pct_comments: 0.0,
            pct_respondents: 0.0,
            quotes: Vec::new(),
            tones: None,
        }
    }

    /// Sets a theme's size, shares and quotes from its members, best quotes first.
    fn fill(&self, theme: &mut Theme, size: usize, quote_order: impl Iterator<Item = usize>) {
        theme.size = size;
        (theme.pct_comments, theme.pct_respondents) = self.share(size);
        theme.quotes = self.quotes(quote_order);
    }
}

/// The survey's codebook themes, in codebook order, and the codebook themes of each doc.
fn codebook_coding(stage: &Stage) -> (Vec<Theme>, Vec<Vec<usize>>) {
    let book = codebook::Codebook::new(&stage.params.codebook, stage.tokenizer);
    let by_text: Vec<(Vec<usize>, usize)> = match stage.params.codebook.is_empty() {
        // No codebook: nothing to match, and no text need be tokenised for it.
        true => vec![(Vec::new(), 0); stage.texts.distinct.len()],
        false => (0..stage.texts.distinct.len())
            .into_par_iter()
            .map(|t| book.matches_text(stage.texts.to_tokenise(t), stage.tokenizer))
            .collect(),
    };
    let matches: Vec<&(Vec<usize>, usize)> = (0..stage.docs.len())
        .map(|d| &by_text[stage.text_id(d)])
        .collect();
    let themes = codebook_themes(stage, &matches);
    let themes_of = matches.iter().map(|m| m.0.clone()).collect();
    (themes, themes_of)
}

/// The survey's codebook themes, in codebook order.
fn codebook_themes(stage: &Stage, matches: &[&(Vec<usize>, usize)]) -> Vec<Theme> {
    let mut themes = Vec::new();
    for (c, entry) in stage.params.codebook.iter().enumerate() {
        let mut members: Vec<usize> = (0..matches.len())
            .filter(|&d| matches[d].0.contains(&c))
            .collect();
        let size = members.len();
        // Quotes: the comments matching most phrases, then the shortest, then in file order.
        members.sort_by_key(|&d| (std::cmp::Reverse(matches[d].1), stage.doc(d).text.len(), d));
        let mut theme = stage.theme(
            c + 1,
            "codebook",
            entry.theme.clone(),
            entry.phrases.clone(),
        );
        stage.fill(&mut theme, size, members.into_iter());
        themes.push(theme);
    }
    themes
}

/// Learned coding, of the comments no codebook phrase matched (the codebook is the team's
/// explicit rule); its themes follow the codebook's. Returns each doc's learned code.
fn learned_themes(
    stage: &Stage,
    sample: &learn::CodedSample,
    themes: &mut Vec<Theme>,
    themes_of: &mut [Vec<usize>],
) -> Result<(Vec<Option<learn::DocCode>>, learn::LearnedSummary)> {
    let params = stage.params;
    let open: Vec<usize> = (0..stage.docs.len())
        .filter(|&d| themes_of[d].is_empty())
        .collect();
    let ids: Vec<&str> = open
        .iter()
        .map(|&d| stage.doc(d).respondent.as_str())
        .collect();
    let texts: Vec<&str> = open.iter().map(|&d| stage.doc(d).text.as_str()).collect();
    let every_word = tokenize::Tokenizer::new(&params.language)
        .ok_or_else(|| no_stemmer(&params.language))?
        .keeping_stop_words();
    let learned = learn::learn(
        sample,
        &ids,
        &texts,
        &every_word,
        params.seed,
        params.review_below,
    )?;
    let mut codes: Vec<Option<learn::DocCode>> = vec![None; stage.docs.len()];
    for (j, code) in learned.codes.into_iter().enumerate() {
        codes[open[j]] = code;
    }
    for (t, name) in learned.themes.iter().enumerate() {
        let mut members: Vec<usize> = (0..stage.docs.len())
            .filter(|&d| codes[d].as_ref().is_some_and(|c| c.themes.contains(&t)))
            .collect();
        // A codebook carried from an earlier wave (`canvass codebook`) names the themes the
        // coded sample names: one theme, the codebook's, holds both codings.
        let same = (params.codebook.iter()).position(|entry| entry.names_theme(name));
        let at = same.unwrap_or(themes.len());
        for &d in &members {
            themes_of[d].push(at);
        }
        let size = members.len();
        // Quotes: the most confident, then the shortest, then in file order.
        let conf = |d: usize| codes[d].as_ref().map_or(0.0, |c| c.confidence);
        members.sort_by(|&a, &b| {
            conf(b)
                .total_cmp(&conf(a))
                .then(stage.doc(a).text.len().cmp(&stage.doc(b).text.len()))
                .then(a.cmp(&b))
        });
        if let Some(at) = same {
            let codebook_quotes = std::mem::take(&mut themes[at].quotes);
            let learned_quotes = stage.quotes(members.into_iter());
            let size = themes[at].size + size;
            stage.fill(&mut themes[at], size, std::iter::empty());
            let candidates = codebook_quotes.into_iter().chain(learned_quotes);
            themes[at].quotes = quote::choose(candidates, params.quotes);
            continue;
        }
        let keywords = learned.keywords[t].clone();
        let mut theme = stage.theme(at + 1, "learned", name.clone(), keywords);
        stage.fill(&mut theme, size, members.into_iter());
        themes.push(theme);
    }
    Ok((codes, learned.summary))
}

/// Each comment's assignment but its key, in file order, with its sentiment when `direction`
/// is given, and whether its text was redacted: only then does it hold its text. `themes_of`
/// holds each doc's themes, of which those below `coded_themes` are codebook or learned ones;
/// `learned_codes` each doc's learned code (empty without a coded sample).
fn assign(
    (analysis, docs): (&texts::Analysis, &[u32]),
    themes: &[Theme],
    (themes_of, coded_themes): (&ThemesOf, usize),
    learned_codes: &[Option<learn::DocCode>],
    direction: Option<sentiment::Direction>,
) -> (Vec<Assignment>, Vec<bool>) {
    // `docs` is in comment order: a comment's doc is found by searching it.
    let doc_of = |i: usize| docs.binary_search(&(i as u32)).ok();
    let none: &[u32] = &[];
    let themes_ref: &[Theme] = themes;
    // Each label made once; a comment's assignment shares it.
    let labels: Vec<Arc<str>> = themes.iter().map(|t| t.label.as_str().into()).collect();
    let (no_answer, unthemed): (Arc<str>, Arc<str>) =
        ("(no substantive answer)".into(), "(unthemed)".into());
    (0..analysis.of.len())
        .into_par_iter()
        .map(|i| {
            let ids: &[u32] = doc_of(i).map_or(none, |d| themes_of.of(d));
            let learned = doc_of(i).and_then(|d| learned_codes.get(d)?.as_ref());
            let t = analysis.of[i] as usize;
            let text = &analysis.distinct[t];
            let (status, label) = match (text.substantive, ids.first()) {
                (false, _) => (CommentStatus::NonSubstantive, no_answer.clone()),
                (true, Some(&t)) if (t as usize) < coded_themes => (
                    match learned {
                        Some(c) if c.hand => CommentStatus::HandCoded,
                        Some(_) => CommentStatus::Learned,
                        None => CommentStatus::Coded,
                    },
                    match ids {
                        [t] => labels[*t as usize].clone(),
                        _ => (ids.iter())
                            .map(|&t| themes_ref[t as usize].label.as_str())
                            .collect::<Vec<_>>()
                            .join("; ")
                            .into(),
                    },
                ),
                (true, Some(&t)) => (CommentStatus::Themed, labels[t as usize].clone()),
                (true, None) => (CommentStatus::Unthemed, unthemed.clone()),
            };
            let sentiment = text.sentiment.filter(|_| direction.is_some());
            let redacted = analysis.redacted_copy(t);
            let was_redacted = redacted.is_some();
            let assignment = Assignment {
                respondent: String::new(),
                theme: ids.first().map(|t| t + 1),
                themes: ids.iter().map(|&t| t as usize + 1).collect(),
                label,
                status,
                text: redacted.unwrap_or_default(),
                sentiment,
                tone: sentiment.map(sentiment::Tone::of),
                confidence: learned.map(|c| c.confidence),
                review: learned.is_some_and(|c| c.review),
            };
            (assignment, was_redacted)
        })
        .unzip()
}

/// The text without the white space around it, in its own allocation.
fn trimmed(mut text: String) -> String {
    text.truncate(text.trim_end().len());
    let start = text.len() - text.trim_start().len();
    text.drain(..start);
    text
}

/// Each doc's themes end to end: as a `Vec` each they were an allocation per comment, held
/// while the assignments were made.
struct ThemesOf {
    /// Doc `d`'s themes are `ids[starts[d]..starts[d + 1]]` (`u32`s: one of each per doc is
    /// held beside every assignment).
    starts: Vec<u32>,
    ids: Vec<u32>,
}

impl ThemesOf {
    fn new(of: Vec<Vec<usize>>) -> ThemesOf {
        let mut starts = Vec::with_capacity(of.len() + 1);
        starts.push(0);
        let mut ids = Vec::new();
        for themes in of {
            ids.extend(themes.into_iter().map(|t| t as u32));
            starts.push(ids.len() as u32);
        }
        ThemesOf { starts, ids }
    }

    fn of(&self, d: usize) -> &[u32] {
        &self.ids[self.starts[d] as usize..self.starts[d + 1] as usize]
    }
}

/// Counts each theme's comments by tone.
fn count_tones(assignments: &[Assignment], themes: &mut [Theme]) {
    let mut counts = vec![ToneCounts::default(); themes.len()];
    for a in assignments {
        let Some(tone) = a.tone else { continue };
        for &t in &a.themes {
            // Theme ids are 1-based positions in `themes`.
            if let Some(c) = counts.get_mut(t.wrapping_sub(1)) {
                c.add(tone);
            }
        }
    }
    for (theme, c) in themes.iter_mut().zip(counts) {
        theme.tones = Some(c);
    }
}

/// Comments of respondents `r0`, `r1` … with these texts, for the themes tests.
#[cfg(test)]
pub(crate) fn test_comments(texts: &[&str]) -> Vec<Comment> {
    texts
        .iter()
        .enumerate()
        .map(|(i, t)| Comment {
            respondent: format!("r{i}"),
            text: t.to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::discover::{fit_sample, outside_sample};
    use super::*;

    fn comments(texts: &[&str]) -> Vec<Comment> {
        test_comments(texts)
    }

    #[test]
    fn separates_two_obvious_themes_and_redacts_quotes() {
        let c = comments(&[
            "Staff morale is much better",
            "Morale among staff has improved",
            "Better staff morale, contact me on 07700 900123",
            "staff morale higher than before",
            "Marking is more consistent",
            "Our marking policy is consistent now",
            "marking feedback more consistent",
            "consistent marking across classes",
            "n/a",
            "",
        ]);
        let mut p = ThemeParams::new(10);
        p.k = ThemeCount::Fixed(2);
        p.min_df = 2;
        let r = themes(&c, &p).unwrap();
        assert_eq!((r.comments, r.non_substantive, r.themed), (9, 1, 8));
        let labels: Vec<&str> = r.themes.iter().map(|t| t.label.as_str()).collect();
        assert!(labels.iter().any(|l| l.contains("morale")), "{labels:?}");
        assert!(
            labels
                .iter()
                .any(|l| l.contains("marking") || l.contains("consistent")),
            "{labels:?}"
        );
        let morale_theme = r.assignments[0].theme;
        assert!(r.assignments[..4].iter().all(|a| a.theme == morale_theme));
        assert!(r.assignments[4..8].iter().all(|a| a.theme != morale_theme));
        let all_text: String = r
            .themes
            .iter()
            .flat_map(|t| t.quotes.clone())
            .chain(r.assignments.iter().map(|a| a.text.clone()))
            .collect();
        assert!(!all_text.contains("07700"), "{all_text}");
    }

    /// 300 comments in two themes worded variously, the larger one (morale) second in file
    /// order, and one comment whose words no other comment uses.
    fn two_varied_themes() -> Vec<Comment> {
        let morale = [
            "staff morale",
            "morale among staff",
            "team morale",
            "morale of the staff",
        ];
        let marking = ["marking policy", "consistent marking", "marking feedback"];
        let mut texts: Vec<String> = Vec::new();
        for i in 0..300 {
            texts.push(match i % 5 {
                0 | 3 => format!("{} is better, week {i}", marking[i % 3]),
                _ => format!("{} improved, week {i}", morale[i % 4]),
            });
        }
        texts.push("zebra xylophone quokka".into());
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        test_comments(&refs)
    }

    fn fixed_k(comments: usize, k: usize) -> ThemeParams {
        let mut p = ThemeParams::new(comments);
        p.k = ThemeCount::Fixed(k);
        p
    }

    #[test]
    fn comments_outside_the_fitting_sample_are_assigned_to_the_fitted_themes() {
        let c = two_varied_themes();
        let p = fixed_k(c.len(), 2);
        let r = themes_fitted_on(c.clone(), &p, 40).unwrap();
        // Every comment with a word the sample's vocabulary knows is themed, not only the 40.
        assert_eq!((r.themed, r.unthemed), (300, 1), "{:?}", r.themes);
        let morale = r.assignments[1].theme;
        let marking = r.assignments[0].theme;
        assert_ne!(morale, marking);
        for (i, a) in r.assignments[..300].iter().enumerate() {
            let want = if matches!(i % 5, 0 | 3) {
                marking
            } else {
                morale
            };
            assert_eq!(a.theme, want, "comment {i}: {}", c[i].text);
        }
        // Numbered by size over every comment: morale (180) is theme 1, marking (120) theme 2.
        assert_eq!(morale, Some(1));
        let sizes: Vec<usize> = r.themes.iter().map(|t| t.size).collect();
        assert_eq!(sizes, [180, 120]);
        assert!(
            r.themes[0].keywords.contains(&"morale".to_string()),
            "{:?}",
            r.themes[0]
        );
        assert_eq!(r.assignments[300].status, CommentStatus::Unthemed);
    }

    #[test]
    fn a_sampled_fit_is_the_same_at_any_thread_count_and_on_every_run() {
        let c = two_varied_themes();
        let p = fixed_k(c.len(), 3);
        let on = |threads: usize| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| themes_fitted_on(c.clone(), &p, 50).unwrap())
        };
        let one = on(1);
        assert_eq!(one, on(2));
        assert_eq!(one, on(2));
    }

    #[test]
    fn given_comments_are_trimmed_redacted_and_blank_ones_skipped() {
        let mut c = two_varied_themes();
        c[3].text = format!("  {}\n", c[3].text);
        c[7].text = "Ask Ann Smith on 07700 900123 about marking load".into();
        c[9].text = " \t".into();
        c[11].text = "n/a".into();
        let mut p = fixed_k(c.len(), 2);
        p.redact = vec!["Ann Smith".into()];
        p.question = "What would you change?".into();
        // The public lending call is the giving one on a copy.
        let lent = themes(&c, &p).unwrap();
        let given = themes_owned(c.clone(), &p).unwrap();
        assert_eq!(lent, given);
        // Blank answers are skipped; texts are trimmed; a redacted text is the redacted copy.
        assert_eq!(lent.comments, c.len() - 1);
        assert_eq!(given.assignments[3].text, c[3].text.trim());
        assert!(
            !given.assignments[7].text.contains("Ann")
                && !given.assignments[7].text.contains("07700")
        );
        assert_eq!(given.assignments[9].respondent, c[10].respondent);
    }

    #[test]
    fn a_sample_as_large_as_the_comments_changes_nothing() {
        let c = two_varied_themes();
        let p = fixed_k(c.len(), 2);
        assert_eq!(
            themes(&c, &p).unwrap(),
            themes_fitted_on(c.clone(), &p, c.len()).unwrap()
        );
        assert_ne!(
            themes_fitted_on(c.clone(), &p, 40).unwrap().themes,
            themes(&c, &p).unwrap().themes,
            "quotes and key words come from the sample"
        );
    }

    #[test]
    fn the_fitting_sample_is_seeded_distinct_and_in_order() {
        let a = fit_sample(1000, 100, 7);
        assert_eq!(a.len(), 100);
        assert!(a.windows(2).all(|w| w[0] < w[1]) && a[99] < 1000);
        assert_eq!(a, fit_sample(1000, 100, 7));
        assert_ne!(a, fit_sample(1000, 100, 8));
        // Spread over the file, not its start.
        assert!(a.iter().filter(|&&j| j >= 500).count() > 30, "{a:?}");
        assert_eq!(fit_sample(5, 100, 7), [0, 1, 2, 3, 4]);
        assert_eq!(outside_sample(6, &[1, 4]), [0, 2, 3, 5]);
    }
}
