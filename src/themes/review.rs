//! A reviewer's corrections to a wave's themes, kept in a plain-text file beside the survey
//! (`review.toml`, named by the pipeline's `[themes] review`) and applied at the themes stage
//! on every run, so that re-running never discards them.
//!
//! Comments are named by their id in comments.csv (the hashed respondent key: the themed
//! question is the survey's first free-text question, so the key names the comment, and it does
//! not move when rows are added or removed). Themes are named by a handle (`handles`) made from
//! what the theme is, not from its number: a codebook theme's label, a discovered theme's two
//! most distinctive terms. An edit whose comment or theme is no longer there is kept in the
//! outcome's `stale` list with the reason, for the run to report: never dropped silently.
//!
//! A theme's name holds across waves: a wave's renames and merges carry to every later wave of
//! the pipeline (`ReviewFile::for_wave`), so one theme can be followed from wave to wave, until a
//! later wave's `[[wave.undo]]` stops them (or its own rename or merge of those themes replaces
//! them). Edits of comments (move, split, withhold, pin, not substantive) are the wave's own.

use super::{quote, CommentStatus, ThemeReport, ToneCounts};
use serde::{Deserialize, Serialize};

/// The review file.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewFile {
    /// One entry per reviewed wave (`[[wave]]`), by the pipeline's wave name.
    #[serde(default)]
    pub wave: Vec<WaveReview>,
}

/// The corrections to one wave's themes. Applied in the order of the fields.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaveReview {
    /// The pipeline's wave name (`[[waves]] name`) the corrections apply to.
    pub name: String,
    /// Themes to relabel (`[[wave.rename]]`).
    #[serde(default)]
    pub rename: Vec<Rename>,
    /// Themes to merge into one (`[[wave.merge]]`).
    #[serde(default)]
    pub merge: Vec<Merge>,
    /// Comments to split off into a new theme (`[[wave.split]]`).
    #[serde(default)]
    pub split: Vec<Split>,
    /// Comments to move to another theme (`[[wave.move]]`).
    #[serde(default, rename = "move")]
    pub moves: Vec<Move>,
    /// Comments that say nothing substantive after all ("see above").
    #[serde(default)]
    pub not_substantive: Vec<String>,
    /// Comments never to be quoted (they still count in their theme).
    #[serde(default)]
    pub withhold: Vec<String>,
    /// Comments to quote first in their theme (`[[wave.pin]]`).
    #[serde(default)]
    pub pin: Vec<Pin>,
    /// Renames and merges of earlier waves that stop here (`[[wave.undo]]`).
    #[serde(default)]
    pub undo: Vec<Undo>,
    /// Undo edits that named no rename or merge carried from an earlier wave (set by
    /// [`ReviewFile::for_wave`]; reported as stale).
    #[serde(skip)]
    pub undo_stale: Vec<String>,
}

/// Stops a rename or merge carried from an earlier wave, from this wave on: exactly one of
/// `rename` (the theme's handle) or `merge` (the merged themes' handles, in any order).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Undo {
    /// The handle of the theme whose carried rename stops.
    pub rename: Option<String>,
    /// The handles of the themes whose carried merge stops.
    pub merge: Option<Vec<String>>,
}

impl Undo {
    fn describe(&self) -> String {
        match (&self.rename, &self.merge) {
            (Some(r), _) => format!("undo rename `{r}`"),
            (None, Some(m)) => format!("undo merge [{}]", m.join(", ")),
            (None, None) => "undo".into(),
        }
    }

    /// The undo as the review file writes it.
    fn toml(&self) -> Option<String> {
        match (&self.rename, &self.merge) {
            (Some(r), _) => Some(format!("[[wave.undo]]\nrename = {}", toml_str(r))),
            (None, Some(m)) => Some(format!("[[wave.undo]]\nmerge = {}", toml_list(m))),
            (None, None) => None,
        }
    }

    fn undoes_merge(&self, m: &Merge) -> bool {
        self.merge.as_ref().is_some_and(|u| same_set(u, &m.themes))
    }
}

fn same_set(a: &[String], b: &[String]) -> bool {
    let set = |v: &[String]| {
        v.iter()
            .cloned()
            .collect::<std::collections::BTreeSet<String>>()
    };
    set(a) == set(b)
}

impl ReviewFile {
    /// The corrections that apply to wave `name`, the waves of the pipeline being `order`: the
    /// wave's own block, after the renames and merges of earlier waves' blocks that still hold
    /// (not undone by a `[[wave.undo]]` since, nor replaced by a later rename of the same theme
    /// or merge of any of the same themes). `None` when there is nothing to apply.
    pub fn for_wave(&self, order: &[&str], name: &str) -> Option<WaveReview> {
        let block = |w: &str| self.wave.iter().find(|b| b.name == w);
        let mut renames: Vec<Rename> = Vec::new();
        let mut merges: Vec<Merge> = Vec::new();
        for &earlier in order.iter().take_while(|&&w| w != name) {
            if let Some(b) = block(earlier) {
                undo_carried(&b.undo, &mut renames, &mut merges);
                carry(b, Some(earlier), &mut renames, &mut merges);
            }
        }
        let own = block(name);
        if own.is_none() && renames.is_empty() && merges.is_empty() {
            return None;
        }
        let mut review = own.cloned().unwrap_or_else(|| WaveReview {
            name: name.to_string(),
            ..WaveReview::default()
        });
        review.undo_stale = undo_carried(&review.undo, &mut renames, &mut merges);
        carry(&review, None, &mut renames, &mut merges);
        review.rename = renames;
        review.merge = merges;
        Some(review)
    }
}

/// Drops the carried edits `undo` names; returns the undo edits that named none.
fn undo_carried(undo: &[Undo], renames: &mut Vec<Rename>, merges: &mut Vec<Merge>) -> Vec<String> {
    let mut stale = Vec::new();
    for u in undo {
        let before = renames.len() + merges.len();
        renames.retain(|r| u.rename.as_deref() != Some(r.theme.as_str()));
        merges.retain(|m| !u.undoes_merge(m));
        if renames.len() + merges.len() == before {
            stale.push(format!(
                "{}: no earlier wave's rename or merge of these themes is carried to this wave",
                u.describe()
            ));
        }
    }
    stale
}

/// Adds block `b`'s renames and merges to those carried, replacing the carried rename of the
/// same theme and any carried merge of one of the same themes; `from` is the earlier wave they
/// are carried from (`None`: the wave's own).
fn carry(b: &WaveReview, from: Option<&str>, renames: &mut Vec<Rename>, merges: &mut Vec<Merge>) {
    let from = from.map(str::to_string);
    for r in &b.rename {
        renames.retain(|c| c.theme != r.theme);
        renames.push(Rename {
            from: from.clone(),
            ..r.clone()
        });
    }
    for m in &b.merge {
        merges.retain(|c| !c.themes.iter().any(|t| m.themes.contains(t)));
        merges.push(Merge {
            from: from.clone(),
            ..m.clone()
        });
    }
}

/// A theme's new label.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rename {
    /// The theme's handle (see [`handles`]).
    pub theme: String,
    /// The label reports show from now on.
    pub label: String,
    /// The earlier wave this rename is carried from (`None`: the wave's own).
    #[serde(skip)]
    pub from: Option<String>,
}

/// The themes become the first one; `label` renames it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Merge {
    /// The handles of the themes to merge; the first keeps its place.
    pub themes: Vec<String>,
    /// The merged theme's label; the first theme's when absent.
    pub label: Option<String>,
    /// The earlier wave this merge is carried from (`None`: the wave's own).
    #[serde(skip)]
    pub from: Option<String>,
}

/// " (carried from wave-1)" for an edit carried from an earlier wave, else nothing.
fn carried_from(from: &Option<String>) -> String {
    from.as_ref()
        .map(|w| format!(" (carried from {w})"))
        .unwrap_or_default()
}

/// The comments leave their themes for a new theme.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Split {
    /// The new theme's label.
    pub label: String,
    /// The comment ids (as in comments.csv) that form it.
    pub comments: Vec<String>,
}

/// One comment moved to another theme.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Move {
    /// The comment's id, as in comments.csv.
    pub comment: String,
    /// The handle of the theme it moves to.
    pub theme: String,
}

/// A comment quoted first in its theme (still redacted, still subject to `withhold`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pin {
    /// The comment's id, as in comments.csv.
    pub comment: String,
}

/// What the review changed, for the artefact and the summary's methods.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReviewOutcome {
    /// Rename edits applied.
    pub renamed: usize,
    /// Merge edits applied.
    pub merged: usize,
    /// Split edits applied.
    pub split: usize,
    /// Comments moved.
    pub moved: usize,
    /// Comments marked not substantive.
    pub not_substantive: usize,
    /// Comments withheld from quotes.
    pub withheld: usize,
    /// Comments pinned.
    pub pinned: usize,
    /// Of the renames and merges applied, those carried from an earlier wave's review.
    #[serde(default)]
    pub carried: usize,
    /// Edits that no longer apply: which edit, and why.
    pub stale: Vec<String>,
    /// Every edit applied, as the review file writes it, so that `canvass review` can list them
    /// for a reviewer to keep or undo.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub applied: Vec<AppliedEdit>,
}

/// One edit applied to a wave's themes, in the review file's words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AppliedEdit {
    /// The edit as TOML: a `[[wave.…]]` table, or a `withhold`/`not_substantive` key of the
    /// wave's block (the ids it applied to).
    pub toml: String,
    /// The earlier wave's block it is carried from; `None` for the wave's own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub carried_from: Option<String>,
}

impl AppliedEdit {
    fn own(toml: String) -> AppliedEdit {
        AppliedEdit {
            toml,
            carried_from: None,
        }
    }

    /// A key of the wave's block (it must come before the block's tables), not a table.
    pub fn is_key(&self) -> bool {
        !self.toml.starts_with("[[")
    }

    /// The `[[wave.undo]]` that stops a carried rename or merge from this wave on.
    pub fn undo(&self) -> Option<String> {
        let value = |key: &str| {
            self.toml
                .lines()
                .find_map(|l| l.strip_prefix(key).map(str::to_string))
        };
        if self.toml.starts_with("[[wave.rename]]") {
            value("theme = ").map(|h| format!("[[wave.undo]]\nrename = {h}"))
        } else if self.toml.starts_with("[[wave.merge]]") {
            value("themes = ").map(|h| format!("[[wave.undo]]\nmerge = {h}"))
        } else {
            None
        }
    }
}

/// A TOML string literal.
fn toml_str(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// A TOML array of string literals.
fn toml_list<'a>(items: impl IntoIterator<Item = &'a String>) -> String {
    let items: Vec<String> = items.into_iter().map(|i| toml_str(i)).collect();
    format!("[{}]", items.join(", "))
}

impl ReviewOutcome {
    /// "3 themes renamed, 2 merged, 5 comments moved by reviewers"; empty when nothing changed.
    pub fn sentence(&self) -> String {
        use crate::model::plural;
        let mut parts = Vec::new();
        let mut add = |n: usize, one: &str, many: &str| {
            if n > 0 {
                parts.push(plural(n as u64, one, many));
            }
        };
        add(self.renamed, "theme renamed", "themes renamed");
        add(self.merged, "theme merged", "themes merged");
        add(self.split, "new theme split off", "new themes split off");
        add(self.moved, "comment moved", "comments moved");
        add(
            self.not_substantive,
            "comment marked not substantive",
            "comments marked not substantive",
        );
        add(
            self.withheld,
            "comment withheld from quotes",
            "comments withheld from quotes",
        );
        add(self.pinned, "quote pinned", "quotes pinned");
        let mut s = String::new();
        if !parts.is_empty() {
            s = format!("{} by reviewers", parts.join(", "));
        }
        if self.carried > 0 {
            s.push_str(&format!(
                " ({} carried from an earlier wave's review)",
                plural(self.carried as u64, "edit", "edits")
            ));
        }
        if !self.stale.is_empty() {
            if !s.is_empty() {
                s.push_str("; ");
            }
            s.push_str(&format!(
                "{} no longer applied: {}",
                crate::model::plural(self.stale.len() as u64, "review edit", "review edits"),
                self.stale.join("; ")
            ));
        }
        s
    }
}

/// Gives each theme its handle: a codebook or learned theme's label, a discovered theme's two most
/// distinctive terms, in lower case with `-` between words (`target-setting`), numbered
/// (`-2`) only when two themes would share one.
pub fn handles(report: &mut ThemeReport) {
    let mut seen: Vec<String> = Vec::new();
    for th in &mut report.themes {
        let base = match th.kind.as_str() {
            // Named by the team (a codebook, or the coded sample's theme names): stable as is.
            "codebook" | "learned" => slug(&th.label),
            _ => slug(
                &th.keywords
                    .iter()
                    .take(2)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
        };
        let base = if base.is_empty() {
            format!("theme-{}", th.id)
        } else {
            base
        };
        let mut handle = base.clone();
        let mut n = 2;
        while seen.contains(&handle) {
            handle = format!("{base}-{n}");
            n += 1;
        }
        seen.push(handle.clone());
        th.handle = handle;
    }
}

/// Lower case, words joined by `-`, each word's letters and digits only.
pub fn slug(s: &str) -> String {
    let mut out = String::new();
    for word in s
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push('-');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    // Unique words only ("target setting target" from overlapping keywords reads badly).
    let mut words: Vec<&str> = Vec::new();
    for w in out.split('-') {
        if !words.contains(&w) {
            words.push(w);
        }
    }
    words.join("-")
}

/// Applies one wave's corrections to its themes. Theme ids stay 1-based positions; sizes,
/// shares, tones, labels of comments and quotes are recomputed for the themes that changed.
/// `quotes` is how many quotes a theme shows.
pub fn apply(report: &mut ThemeReport, review: &WaveReview, quotes: usize) -> ReviewOutcome {
    let changed = vec![false; report.themes.len()];
    let mut edits = Edits {
        report,
        out: ReviewOutcome::default(),
        pinned: Vec::new(),
        withheld: Vec::new(),
        changed,
    };
    edits.out.stale.extend(review.undo_stale.iter().cloned());
    for u in &review.undo {
        let stale = (review.undo_stale.iter()).any(|s| s.starts_with(&u.describe()));
        if let (false, Some(toml)) = (stale, u.toml()) {
            edits.out.applied.push(AppliedEdit::own(toml));
        }
    }
    edits.rename(&review.rename);
    edits.merge(&review.merge);
    edits.split(&review.split);
    edits.moves(&review.moves);
    edits.not_substantive(&review.not_substantive);
    edits.withhold(&review.withhold);
    edits.pin(&review.pin);
    let Edits {
        report,
        out,
        pinned,
        withheld,
        changed,
    } = edits;
    recount(report, &changed, &pinned, &withheld, quotes);
    out
}

/// A review being applied: the report, what has been done so far, and what `recount` needs.
struct Edits<'a> {
    report: &'a mut ThemeReport,
    out: ReviewOutcome,
    /// Assignments (by position) whose comments are quoted first.
    pinned: Vec<usize>,
    /// Assignments (by position) whose comments are never quoted.
    withheld: Vec<usize>,
    /// Per theme (by position): its members or label changed, so its quotes are chosen again.
    changed: Vec<bool>,
}

fn why_comment(id: &str) -> String {
    format!("no comment `{id}` in this wave (the respondent's row or answer is gone)")
}

impl Edits<'_> {
    fn find_theme(&self, handle: &str) -> Option<usize> {
        self.report.themes.iter().position(|t| t.handle == handle)
    }

    fn find_comment(&self, id: &str) -> Option<usize> {
        self.report
            .assignments
            .iter()
            .position(|a| a.respondent == id)
    }

    fn why_theme(&self, handle: &str) -> String {
        let known: Vec<&str> = self
            .report
            .themes
            .iter()
            .map(|t| t.handle.as_str())
            .collect();
        match crate::suggest::close_matches(handle, known).first() {
            Some(near) => format!("no theme `{handle}` (did you mean `{near}`?)"),
            None => format!("no theme `{handle}` in this run's themes"),
        }
    }

    /// Marks the themes assignment `i` is in now as changed.
    fn mark_changed_by(&mut self, i: usize) {
        mark_changed(&mut self.changed, &self.report.assignments[i].themes);
    }

    fn rename(&mut self, renames: &[Rename]) {
        for r in renames {
            match self.find_theme(&r.theme) {
                Some(t) => {
                    self.report.themes[t].label = r.label.clone();
                    self.changed[t] = true;
                    self.out.renamed += 1;
                    self.out.carried += usize::from(r.from.is_some());
                    self.out.applied.push(AppliedEdit {
                        toml: format!(
                            "[[wave.rename]]\ntheme = {}\nlabel = {}",
                            toml_str(&r.theme),
                            toml_str(&r.label)
                        ),
                        carried_from: r.from.clone(),
                    });
                }
                None => {
                    let why = self.why_theme(&r.theme);
                    self.out.stale.push(format!(
                        "rename `{}`{}: {why}",
                        r.theme,
                        carried_from(&r.from)
                    ));
                }
            }
        }
    }

    fn merge(&mut self, merges: &[Merge]) {
        for m in merges {
            let found: Vec<Result<usize, String>> = m
                .themes
                .iter()
                .map(|h| self.find_theme(h).ok_or_else(|| self.why_theme(h)))
                .collect();
            let missing: Vec<String> = found.iter().filter_map(|f| f.clone().err()).collect();
            if !missing.is_empty() || m.themes.len() < 2 {
                let why = if missing.is_empty() {
                    "a merge needs two themes or more".to_string()
                } else {
                    missing.join(", ")
                };
                self.out.stale.push(format!(
                    "merge [{}]{}: {why}",
                    m.themes.join(", "),
                    carried_from(&m.from)
                ));
                continue;
            }
            let ids: Vec<usize> = found.into_iter().flatten().collect();
            self.merge_themes(&ids, m.label.as_ref());
            self.out.carried += usize::from(m.from.is_some());
            let label = m
                .label
                .as_ref()
                .map_or(String::new(), |l| format!("\nlabel = {}", toml_str(l)));
            self.out.applied.push(AppliedEdit {
                toml: format!("[[wave.merge]]\nthemes = {}{label}", toml_list(&m.themes)),
                carried_from: m.from.clone(),
            });
        }
    }

    /// Merges the themes at positions `ids` into the first of them.
    fn merge_themes(&mut self, ids: &[usize], label: Option<&String>) {
        let into = ids[0];
        if let Some(label) = label {
            self.report.themes[into].label = label.clone();
        }
        self.changed[into] = true;
        for &from in &ids[1..] {
            if from == into {
                continue;
            }
            for a in self.report.assignments.iter_mut() {
                for t in &mut a.themes {
                    if *t == from + 1 {
                        *t = into + 1;
                    }
                }
                dedup_keep_order(&mut a.themes);
            }
            self.out.merged += 1;
        }
        // Remove the merged-away themes, highest position first, renumbering the rest.
        let mut gone: Vec<usize> = ids[1..].iter().copied().filter(|&f| f != into).collect();
        gone.sort_unstable();
        gone.dedup();
        for &from in gone.iter().rev() {
            self.report.themes.remove(from);
            self.changed.remove(from);
            for a in self.report.assignments.iter_mut() {
                for t in &mut a.themes {
                    if *t > from + 1 {
                        *t -= 1;
                    }
                }
            }
        }
    }

    fn split(&mut self, splits: &[Split]) {
        for s in splits {
            let handle = slug(&s.label);
            let mut ids = Vec::new();
            for c in &s.comments {
                match self.find_comment(c) {
                    Some(i) => ids.push(i),
                    None => self
                        .out
                        .stale
                        .push(format!("split `{}`: {}", s.label, why_comment(c))),
                }
            }
            if ids.is_empty() {
                continue;
            }
            let applied: Vec<&String> = (ids.iter())
                .map(|&i| &self.report.assignments[i].respondent)
                .collect();
            self.out.applied.push(AppliedEdit::own(format!(
                "[[wave.split]]\nlabel = {}\ncomments = {}",
                toml_str(&s.label),
                toml_list(applied)
            )));
            let position = self.report.themes.len();
            let tones = self
                .report
                .themes
                .first()
                .and_then(|t| t.tones)
                .map(|_| ToneCounts::default());
            self.report.themes.push(super::Theme {
                id: position + 1,
                kind: "reviewed".into(),
                label: s.label.clone(),
                handle,
                keywords: Vec::new(),
                size: 0,
                pct_comments: 0.0,
                pct_respondents: 0.0,
                quotes: Vec::new(),
                tones,
            });
            self.changed.push(true);
            for i in ids {
                self.mark_changed_by(i);
                self.report.assignments[i].themes = vec![position + 1];
            }
            self.out.split += 1;
        }
    }

    fn moves(&mut self, moves: &[Move]) {
        for m in moves {
            let (Some(i), Some(t)) = (self.find_comment(&m.comment), self.find_theme(&m.theme))
            else {
                let why = match self.find_comment(&m.comment) {
                    None => why_comment(&m.comment),
                    Some(_) => self.why_theme(&m.theme),
                };
                self.out
                    .stale
                    .push(format!("move `{}` to `{}`: {why}", m.comment, m.theme));
                continue;
            };
            self.mark_changed_by(i);
            self.changed[t] = true;
            self.report.assignments[i].themes = vec![t + 1];
            self.out.moved += 1;
            self.out.applied.push(AppliedEdit::own(format!(
                "[[wave.move]]\ncomment = {}\ntheme = {}",
                toml_str(&m.comment),
                toml_str(&m.theme)
            )));
        }
    }

    fn not_substantive(&mut self, ids: &[String]) {
        self.each_comment("not_substantive", ids, |e, i| {
            e.mark_changed_by(i);
            e.report.assignments[i].themes.clear();
            e.report.assignments[i].status = CommentStatus::NonSubstantive;
            e.out.not_substantive += 1;
        });
    }

    fn withhold(&mut self, ids: &[String]) {
        self.each_comment("withhold", ids, |e, i| {
            e.withheld.push(i);
            e.mark_changed_by(i);
            e.out.withheld += 1;
        });
    }

    /// Applies `edit` to each comment of `ids`; an id that names no comment is a stale edit of
    /// the review's `what` list.
    fn each_comment(&mut self, what: &str, ids: &[String], mut edit: impl FnMut(&mut Self, usize)) {
        let mut applied = Vec::new();
        for id in ids {
            match self.find_comment(id) {
                Some(i) => {
                    edit(self, i);
                    applied.push(id);
                }
                None => self
                    .out
                    .stale
                    .push(format!("{what} `{id}`: {}", why_comment(id))),
            }
        }
        if !applied.is_empty() {
            let toml = format!("{what} = {}", toml_list(applied));
            self.out.applied.push(AppliedEdit::own(toml));
        }
    }

    fn pin(&mut self, pins: &[Pin]) {
        for p in pins {
            let stale = match self.find_comment(&p.comment) {
                Some(i) if self.report.assignments[i].themes.is_empty() => {
                    format!("pin `{}`: the comment is in no theme", p.comment)
                }
                Some(i) if self.withheld.contains(&i) => {
                    format!("pin `{}`: the comment is withheld from quotes", p.comment)
                }
                Some(i) => {
                    self.pinned.push(i);
                    self.mark_changed_by(i);
                    self.out.pinned += 1;
                    self.out.applied.push(AppliedEdit::own(format!(
                        "[[wave.pin]]\ncomment = {}",
                        toml_str(&p.comment)
                    )));
                    continue;
                }
                None => format!("pin `{}`: {}", p.comment, why_comment(&p.comment)),
            };
            self.out.stale.push(stale);
        }
    }
}

fn dedup_keep_order(v: &mut Vec<usize>) {
    let mut seen = Vec::new();
    v.retain(|x| {
        let new = !seen.contains(x);
        seen.push(*x);
        new
    });
}

fn mark_changed(changed: &mut [bool], themes: &[usize]) {
    for &t in themes {
        if let Some(c) = changed.get_mut(t.wrapping_sub(1)) {
            *c = true;
        }
    }
}

/// Recomputes everything that follows from the assignments: ids, sizes, shares, tones, each
/// comment's theme, label and status, the counts, and the quotes of changed themes.
fn recount(
    report: &mut ThemeReport,
    changed: &[bool],
    pinned: &[usize],
    withheld: &[usize],
    quotes: usize,
) {
    resize_themes(report);
    requote(report, changed, pinned, withheld, quotes);
    relabel_comments(report);
    let count = |s: CommentStatus| report.assignments.iter().filter(|a| a.status == s).count();
    report.non_substantive = count(CommentStatus::NonSubstantive);
    report.coded = count(CommentStatus::Coded);
    report.themed = count(CommentStatus::Themed);
    report.unthemed = count(CommentStatus::Unthemed);
}

/// Sets each comment's first theme, and each theme's id, size, shares and tones.
fn resize_themes(report: &mut ThemeReport) {
    let n = report.themes.len();
    let mut sizes = vec![0usize; n];
    let mut tones = vec![ToneCounts::default(); n];
    for a in report.assignments.iter_mut() {
        a.theme = a.themes.first().map(|&t| t as u32);
        for &t in &a.themes {
            if let Some(s) = sizes.get_mut(t - 1) {
                *s += 1;
            }
            if let (Some(c), Some(tone)) = (tones.get_mut(t - 1), a.tone) {
                c.add(tone);
            }
        }
    }
    let substantive = report
        .assignments
        .iter()
        .filter(|a| a.status != CommentStatus::NonSubstantive)
        .count();
    for (i, th) in report.themes.iter_mut().enumerate() {
        th.id = i + 1;
        th.size = sizes[i];
        th.pct_comments = 100.0 * sizes[i] as f64 / substantive.max(1) as f64;
        th.pct_respondents = 100.0 * sizes[i] as f64 / report.respondents.max(1) as f64;
        if th.tones.is_some() {
            th.tones = Some(tones[i]);
        }
    }
}

/// Chooses the quotes of the changed themes again.
fn requote(
    report: &mut ThemeReport,
    changed: &[bool],
    pinned: &[usize],
    withheld: &[usize],
    quotes: usize,
) {
    let withheld_text: Vec<String> = withheld
        .iter()
        .map(|&i| report.assignments[i].text.clone())
        .collect();
    for (t, th) in report.themes.iter_mut().enumerate() {
        if !changed.get(t).copied().unwrap_or(true) {
            continue;
        }
        let member = |a: &super::Assignment| a.themes.contains(&(t + 1));
        // Pinned first, then the stage's own choice where still a member, then the rest in
        // file order; never a withheld comment.
        let mut candidates: Vec<String> = pinned
            .iter()
            .filter(|&&i| member(&report.assignments[i]))
            .map(|&i| report.assignments[i].text.clone())
            .collect();
        let texts_in: Vec<&str> = report
            .assignments
            .iter()
            .filter(|a| member(a))
            .map(|a| a.text.as_str())
            .collect();
        candidates.extend(
            th.quotes
                .iter()
                .filter(|q| texts_in.contains(&q.as_str()))
                .cloned(),
        );
        candidates.extend(texts_in.iter().map(|s| s.to_string()));
        th.quotes = quote::choose(
            candidates
                .into_iter()
                .filter(|q| !withheld_text.contains(q)),
            quotes,
        );
    }
}

/// Sets each comment's status and label from the themes it is in now.
fn relabel_comments(report: &mut ThemeReport) {
    let labels: Vec<(String, String)> = report
        .themes
        .iter()
        .map(|t| (t.kind.clone(), t.label.clone()))
        .collect();
    for a in report.assignments.iter_mut() {
        if a.status == CommentStatus::NonSubstantive {
            a.themes.clear();
            a.theme = None;
            a.label = "(no substantive answer)".into();
            continue;
        }
        match a.themes.first() {
            None => {
                a.status = CommentStatus::Unthemed;
                a.label = "(unthemed)".into();
            }
            Some(&t) => {
                a.status = match (labels[t - 1].0.as_str(), a.status) {
                    // Learned into a codebook theme of the same name (themes::learned_themes).
                    ("codebook", s @ (CommentStatus::Learned | CommentStatus::HandCoded)) => s,
                    ("codebook", _) => CommentStatus::Coded,
                    // Coded by the model or in the sample, and still in a learned theme.
                    ("learned", s @ (CommentStatus::Learned | CommentStatus::HandCoded)) => s,
                    // A reviewer placed it there.
                    ("learned", _) => CommentStatus::HandCoded,
                    _ => CommentStatus::Themed,
                };
                a.label = a
                    .themes
                    .iter()
                    .map(|&t| labels[t - 1].1.as_str())
                    .collect::<Vec<_>>()
                    .join("; ")
                    .into();
            }
        }
    }
}

/// Reads a review file; its keys are checked like the rest of the configuration.
pub fn load(path: &std::path::Path) -> crate::error::Result<ReviewFile> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        crate::error::Error::input(path, format!("cannot read the review file: {e}"))
            .hint("fix `[themes] review` in the pipeline, or write one with `canvass review WAVE_DIR -o FILE`")
    })?;
    let review: ReviewFile = crate::config::parse_toml(path, &text)?;
    no_duplicates(path, &review)?;
    Ok(review)
}

/// A wave reviewed twice, or a theme renamed twice in a wave, has no single meaning: the
/// reviewer is told which, rather than one block or label silently winning.
fn no_duplicates(path: &std::path::Path, review: &ReviewFile) -> crate::error::Result<()> {
    use crate::error::Error;
    for (i, w) in review.wave.iter().enumerate() {
        if let Some(j) = review.wave[..i].iter().position(|p| p.name == w.name) {
            return Err(Error::config(
                path,
                format!("wave[{i}].name"),
                format!(
                    "wave `{}` has a second [[wave]] block (the first is wave[{j}])",
                    w.name
                ),
            )
            .hint("put all of a wave's corrections in one [[wave]] block"));
        }
        for (k, r) in w.rename.iter().enumerate() {
            if let Some(j) = w.rename[..k].iter().position(|p| p.theme == r.theme) {
                return Err(Error::config(
                    path,
                    format!("wave[{i}].rename[{k}].theme"),
                    format!(
                        "theme `{}` of wave `{}` is renamed twice (also rename[{j}])",
                        r.theme, w.name
                    ),
                )
                .hint("keep one rename per theme, with the label it should show"));
            }
        }
        for (k, u) in w.undo.iter().enumerate() {
            if u.rename.is_some() == u.merge.is_some() {
                return Err(Error::config(
                    path,
                    format!("wave[{i}].undo[{k}]"),
                    format!(
                        "an undo of wave `{}` names {}",
                        w.name,
                        if u.rename.is_some() {
                            "both a rename and a merge"
                        } else {
                            "neither a rename nor a merge"
                        }
                    ),
                )
                .hint("give one of `rename = \"THEME\"` or `merge = [\"THEME\", \"THEME\"]` per [[wave.undo]]"));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::ThemeCount;
    use crate::themes::{themes, ThemeParams};

    /// Two obvious themes of four comments each (morale, marking), one "n/a".
    fn report() -> ThemeReport {
        let texts = [
            "Staff morale is much better",
            "Morale among staff has improved",
            "Better staff morale this year",
            "staff morale higher than before",
            "Marking is more consistent",
            "Our marking policy is consistent now",
            "marking feedback more consistent",
            "consistent marking across classes",
            "n/a",
        ];
        let c = crate::themes::test_comments(&texts);
        let mut p = ThemeParams::new(10);
        p.k = ThemeCount::Fixed(2);
        themes(&c, &p).unwrap()
    }

    fn handle_of(r: &ThemeReport, word: &str) -> String {
        r.themes
            .iter()
            .find(|t| t.handle.contains(word))
            .map(|t| t.handle.clone())
            .unwrap_or_else(|| panic!("no handle with {word}: {:?}", r.themes))
    }

    #[test]
    fn slugs_are_lower_case_words_joined_once() {
        assert_eq!(slug("Target setting / target"), "target-setting");
        assert_eq!(slug("data / analysis"), "data-analysis");
        assert_eq!(slug(""), "");
    }

    #[test]
    fn edits_apply_and_counts_follow_them() {
        let mut r = report();
        let morale = handle_of(&r, "morale");
        let marking = handle_of(&r, "marking");
        let review = WaveReview {
            name: "w".into(),
            rename: vec![Rename {
                theme: morale.clone(),
                label: "Staff morale".into(),
                from: None,
            }],
            moves: vec![Move {
                comment: "r4".into(),
                theme: morale.clone(),
            }],
            not_substantive: vec!["r7".into()],
            withhold: vec!["r0".into()],
            ..Default::default()
        };
        let out = apply(&mut r, &review, 3);
        assert_eq!((out.renamed, out.moved, out.not_substantive), (1, 1, 1));
        assert!(out.stale.is_empty(), "{:?}", out.stale);
        let m = r.themes.iter().find(|t| t.handle == morale).unwrap();
        // 4 morale comments + the moved marking one; marking keeps 4 - 1 moved - 1 marked = 2.
        assert_eq!((m.label.as_str(), m.size), ("Staff morale", 5));
        let k = r.themes.iter().find(|t| t.handle == marking).unwrap();
        assert_eq!(k.size, 2);
        assert!(!m
            .quotes
            .contains(&"Staff morale is much better".to_string()));
        assert_eq!(&*r.assignments[4].label, "Staff morale");
        // "n/a" and r7 are not substantive: 2.
        assert_eq!((r.non_substantive, r.themed), (2, 7));
        assert_eq!(
            out.sentence(),
            "1 theme renamed, 1 comment moved, 1 comment marked not substantive, 1 comment withheld from quotes by reviewers"
        );
    }

    #[test]
    fn a_merge_renumbers_and_stale_edits_say_why() {
        let mut r = report();
        let morale = handle_of(&r, "morale");
        let marking = handle_of(&r, "marking");
        let review = WaveReview {
            name: "w".into(),
            merge: vec![Merge {
                themes: vec![marking.clone(), morale.clone()],
                label: Some("School life".into()),
                from: None,
            }],
            moves: vec![Move {
                comment: "gone".into(),
                theme: marking.clone(),
            }],
            rename: vec![Rename {
                theme: format!("{morale}x"),
                label: "x".into(),
                from: None,
            }],
            ..Default::default()
        };
        let out = apply(&mut r, &review, 3);
        assert_eq!(out.merged, 1);
        assert_eq!(r.themes.len(), 1);
        assert_eq!((r.themes[0].id, r.themes[0].size), (1, 8));
        assert!(r.assignments[..8].iter().all(|a| a.theme == Some(1)));
        assert_eq!(out.stale.len(), 2, "{:?}", out.stale);
        assert!(out.stale[0].contains(&format!("did you mean `{morale}`")));
        assert!(out.stale[1].starts_with("move `gone`"));
        assert!(out.sentence().contains("2 review edits no longer applied"));
    }

    fn parse(text: &str) -> ReviewFile {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("review.toml");
        std::fs::write(&path, text).unwrap();
        load(&path).unwrap()
    }

    const WAVES: [&str; 4] = ["w1", "w2", "w3", "w4"];

    fn carried(r: &ReviewFile, wave: &str) -> (Vec<String>, Vec<String>) {
        let w = r.for_wave(&WAVES, wave).unwrap_or_default();
        let renames = w
            .rename
            .iter()
            .map(|r| {
                format!(
                    "{}={}@{}",
                    r.theme,
                    r.label,
                    r.from.as_deref().unwrap_or("own")
                )
            })
            .collect();
        let merges = w
            .merge
            .iter()
            .map(|m| {
                format!(
                    "{}@{}",
                    m.themes.join("+"),
                    m.from.as_deref().unwrap_or("own")
                )
            })
            .collect();
        (renames, merges)
    }

    #[test]
    fn renames_and_merges_carry_to_later_waves_until_undone_or_replaced() {
        let r = parse(
            r#"
[[wave]]
name = "w1"
withhold = ["c1"]
[[wave.rename]]
theme = "morale"
label = "Staff morale"
[[wave.merge]]
themes = ["teaching", "marking"]
label = "Teaching and marking"

[[wave]]
name = "w2"
[[wave.rename]]
theme = "morale"
label = "Morale of staff"

[[wave]]
name = "w3"
[[wave.undo]]
merge = ["marking", "teaching"]
[[wave.undo]]
rename = "data"
"#,
        );
        // Wave 1's own edits; comment edits never carry.
        let (renames, merges) = carried(&r, "w1");
        assert_eq!(renames, ["morale=Staff morale@own"]);
        assert_eq!(merges, ["teaching+marking@own"]);
        assert!(r.for_wave(&WAVES, "w2").unwrap().withhold.is_empty());
        // Wave 2 renames again: its label replaces the carried one; the merge is carried.
        let (renames, merges) = carried(&r, "w2");
        assert_eq!(renames, ["morale=Morale of staff@own"]);
        assert_eq!(merges, ["teaching+marking@w1"]);
        // Wave 3 undoes the merge (named in any order), so wave 3 and wave 4 keep them apart,
        // while wave 2's rename carries on; its undo of a rename nobody made is stale.
        for wave in ["w3", "w4"] {
            let (renames, merges) = carried(&r, wave);
            assert_eq!(renames, ["morale=Morale of staff@w2"], "{wave}");
            assert!(merges.is_empty(), "{wave}: {merges:?}");
        }
        let w3 = r.for_wave(&WAVES, "w3").unwrap();
        assert_eq!(w3.undo_stale.len(), 1, "{:?}", w3.undo_stale);
        assert!(w3.undo_stale[0].starts_with("undo rename `data`"));
        assert!(r.for_wave(&WAVES, "w4").unwrap().undo_stale.is_empty());
        // No review at all before the first reviewed wave.
        assert_eq!(ReviewFile::default().for_wave(&WAVES, "w2"), None);
    }

    #[test]
    fn a_carried_merge_applies_and_says_where_it_came_from() {
        let mut r = report();
        let morale = handle_of(&r, "morale");
        let marking = handle_of(&r, "marking");
        let file = parse(&format!(
            "[[wave]]\nname = \"w1\"\n[[wave.merge]]\nthemes = [\"{marking}\", \"{morale}\"]\n\
             [[wave.rename]]\ntheme = \"gone\"\nlabel = \"G\"\n"
        ));
        let review = file.for_wave(&WAVES, "w3").unwrap();
        let out = apply(&mut r, &review, 3);
        assert_eq!((out.merged, out.carried, r.themes.len()), (1, 1, 1));
        assert_eq!(
            out.stale,
            ["rename `gone` (carried from w1): no theme `gone` in this run's themes"]
        );
        assert!(
            out.sentence().starts_with(
                "1 theme merged by reviewers (1 edit carried from an earlier wave's review)"
            ),
            "{}",
            out.sentence()
        );
    }

    #[test]
    fn an_undo_names_a_rename_or_a_merge() {
        for undo in ["", "rename = \"a\"\nmerge = [\"a\", \"b\"]\n"] {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("review.toml");
            let text = format!("[[wave]]\nname = \"w2\"\n[[wave.undo]]\n{undo}");
            std::fs::write(&path, text).unwrap();
            let e = load(&path).unwrap_err().to_string();
            assert!(e.contains("wave[0].undo[0]"), "{e}");
            assert!(e.contains("rename = \"THEME\""), "{e}");
        }
    }
}
