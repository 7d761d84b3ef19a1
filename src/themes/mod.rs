//! Themes: free-text comments → labelled themes with counts, redacted quotes, and each
//! comment's assignment.
//!
//! Text is tokenised and stemmed (`tokenize`), weighted and reduced (`vectorize`: sparse TF-IDF
//! then LSA), clustered (`cluster`: linfa k-means, k fixed or chosen by silhouette), named
//! (`label`), and every text that leaves the stage is redacted (`redact`).

pub mod cluster;
pub mod evaluate;
pub mod label;
pub mod redact;
pub mod tokenize;
pub mod vectorize;

use crate::config::ThemeCount;
use cluster::{Clusterer, KMeansSettings};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// One free-text answer and who gave it (hashed key).
#[derive(Debug, Clone, PartialEq)]
pub struct Comment {
    pub respondent: String,
    pub text: String,
}

/// Validated settings of the themes stage.
#[derive(Debug, Clone, PartialEq)]
pub struct ThemeParams {
    pub k: ThemeCount,
    pub seed: u64,
    pub language: String,
    pub quotes: usize,
    /// LSA dimensions.
    pub dims: usize,
    pub min_df: usize,
    /// Names and words to redact from every quote.
    pub redact: Vec<String>,
    /// Respondents in the wave (the denominator of "share of respondents").
    pub respondents: usize,
}

impl ThemeParams {
    pub fn new(respondents: usize) -> ThemeParams {
        ThemeParams {
            k: ThemeCount::Auto,
            seed: 42,
            language: "english".into(),
            quotes: 3,
            dims: 100,
            min_df: 2,
            redact: Vec::new(),
            respondents,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Theme {
    /// 1-based, largest theme first.
    pub id: usize,
    pub label: String,
    /// Most distinctive terms, as written.
    pub keywords: Vec<String>,
    pub size: usize,
    /// Percent of substantive comments.
    pub pct_comments: f64,
    /// Percent of all respondents in the wave.
    pub pct_respondents: f64,
    /// Redacted comments nearest the theme's centre, distinct.
    pub quotes: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CommentStatus {
    /// Assigned to a theme.
    Themed,
    /// "n/a", "nothing", "-": counted, not clustered.
    NonSubstantive,
    /// No word that occurs in at least `min_df` comments, so nothing to cluster on.
    Unthemed,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assignment {
    pub respondent: String,
    pub theme: Option<usize>,
    pub label: String,
    pub status: CommentStatus,
    /// The comment, redacted.
    pub text: String,
}

/// The themes artefact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThemeReport {
    pub respondents: usize,
    /// Non-blank answers.
    pub comments: usize,
    pub non_substantive: usize,
    pub themed: usize,
    pub unthemed: usize,
    pub k: usize,
    /// "fixed" or "silhouette".
    pub k_method: String,
    /// Mean silhouette for every k tried, when k was chosen automatically.
    pub silhouettes: Vec<(usize, f64)>,
    pub seed: u64,
    pub themes: Vec<Theme>,
    pub assignments: Vec<Assignment>,
}

/// Themes a wave's comments. Blank answers are not comments and are skipped.
pub fn themes(comments: &[Comment], params: &ThemeParams) -> Result<ThemeReport, String> {
    let trace = std::env::var_os("CANVASS_TRACE").is_some();
    let clock = std::time::Instant::now();
    let lap = |what: &str| {
        if trace {
            eprintln!("themes: {what} at {:.3}s", clock.elapsed().as_secs_f64());
        }
    };
    let tokenizer = tokenize::Tokenizer::new(&params.language)
        .ok_or_else(|| format!("no stemmer for language `{}`", params.language))?;
    let redactor = redact::Redactor::new(&params.redact);
    let comments: Vec<&Comment> = comments
        .iter()
        .filter(|c| !c.text.trim().is_empty())
        .collect();
    let substantive: Vec<bool> = comments
        .iter()
        .map(|c| !tokenize::is_non_substantive(&c.text))
        .collect();
    let docs: Vec<usize> = (0..comments.len()).filter(|&i| substantive[i]).collect();
    let terms: Vec<Vec<tokenize::Term>> = docs
        .par_iter()
        .map(|&i| tokenizer.terms(&comments[i].text))
        .collect();
    lap("tokenised");
    let (vocab, x) = vectorize::tfidf(
        &terms,
        vectorize::TfidfParams {
            min_df: params.min_df,
            sublinear_tf: true,
        },
    );
    // Comments with no retained term cannot be placed; they are counted as unthemed.
    let placed: Vec<usize> = (0..docs.len())
        .filter(|&d| x.indptr[d + 1] > x.indptr[d])
        .collect();
    let mut cluster_of: Vec<Option<usize>> = vec![None; docs.len()];
    let mut themes = Vec::new();
    let mut silhouettes = Vec::new();
    let mut k_used = 0;
    let k_method = match params.k {
        ThemeCount::Auto => "silhouette",
        ThemeCount::Fixed(_) => "fixed",
    };
    if placed.len() >= 3 {
        let sub = select_rows(&x, &placed);
        lap("tf-idf");
        if trace {
            eprintln!(
                "themes: {} comments x {} terms, {} non-zeros",
                sub.nrows(),
                sub.ncols,
                sub.values.len()
            );
        }
        let y = vectorize::lsa(&sub, params.dims, params.seed);
        lap("lsa");
        let clusterer = KMeansSettings::new(params.seed);
        let clustering = match params.k {
            ThemeCount::Fixed(k) => clusterer.cluster(&y, k.min(placed.len()))?,
            ThemeCount::Auto => {
                let max_k = (placed.len() / 4).clamp(2, 15);
                let choice = cluster::choose_k(&y, 2..=max_k, &clusterer)?;
                silhouettes = choice.tried;
                choice.clustering
            }
        };
        lap("clustered");
        k_used = clustering.centroids.nrows();
        for (p, &d) in placed.iter().enumerate() {
            cluster_of[d] = Some(clustering.labels[p]);
        }
        let sub_labels: Vec<Option<usize>> = clustering.labels.iter().map(|&c| Some(c)).collect();
        let keywords = label::distinctive_terms(&sub, &vocab, &sub_labels, k_used, 6);
        let total_substantive = docs.len();
        for (c, terms) in keywords.iter().enumerate() {
            let members: Vec<usize> = (0..placed.len())
                .filter(|&p| clustering.labels[p] == c)
                .collect();
            let mut quotes = Vec::new();
            let mut seen = HashSet::new();
            for p in label::nearest_to_centroid(&y, &clustering.centroids, &members, c) {
                let text = redactor.redact(comments[docs[placed[p]]].text.trim());
                let key: String = text
                    .to_lowercase()
                    .chars()
                    .filter(|ch| ch.is_alphanumeric())
                    .collect();
                if seen.insert(key) {
                    quotes.push(text);
                }
                if quotes.len() == params.quotes {
                    break;
                }
            }
            themes.push(Theme {
                id: c + 1,
                label: label::label_from(terms, &vocab),
                keywords: keywords[c]
                    .iter()
                    .map(|&t| vocab.surfaces[t].clone())
                    .collect(),
                size: members.len(),
                pct_comments: 100.0 * members.len() as f64 / total_substantive.max(1) as f64,
                pct_respondents: 100.0 * members.len() as f64 / params.respondents.max(1) as f64,
                quotes,
            });
        }
    }
    let mut doc_of = vec![None; comments.len()];
    for (d, &i) in docs.iter().enumerate() {
        doc_of[i] = Some(d);
    }
    let assignments: Vec<Assignment> = comments
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let theme = doc_of[i].and_then(|d| cluster_of[d]);
            let (status, label) = match (substantive[i], theme) {
                (false, _) => (
                    CommentStatus::NonSubstantive,
                    "(no substantive answer)".to_string(),
                ),
                (true, Some(t)) => (CommentStatus::Themed, themes[t].label.clone()),
                (true, None) => (CommentStatus::Unthemed, "(unthemed)".to_string()),
            };
            Assignment {
                respondent: c.respondent.clone(),
                theme: theme.map(|t| t + 1),
                label,
                status,
                text: redactor.redact(c.text.trim()),
            }
        })
        .collect();
    let count = |s: CommentStatus| assignments.iter().filter(|a| a.status == s).count();
    Ok(ThemeReport {
        respondents: params.respondents,
        comments: comments.len(),
        non_substantive: count(CommentStatus::NonSubstantive),
        themed: count(CommentStatus::Themed),
        unthemed: count(CommentStatus::Unthemed),
        k: k_used,
        k_method: k_method.to_string(),
        silhouettes,
        seed: params.seed,
        themes,
        assignments,
    })
}

fn select_rows(x: &vectorize::SparseRows, rows: &[usize]) -> vectorize::SparseRows {
    let mut out = vectorize::SparseRows {
        indptr: vec![0],
        indices: Vec::new(),
        values: Vec::new(),
        ncols: x.ncols,
    };
    for &r in rows {
        for (c, v) in x.row(r) {
            out.indices.push(c as u32);
            out.values.push(v);
        }
        out.indptr.push(out.indices.len());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn comments(texts: &[&str]) -> Vec<Comment> {
        texts
            .iter()
            .enumerate()
            .map(|(i, t)| Comment {
                respondent: format!("r{i}"),
                text: t.to_string(),
            })
            .collect()
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
}
