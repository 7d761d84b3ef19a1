//! Names found in text as people write them: whole words in any case, whitespace between a
//! name's words matching any run of it, the longest listed name first. Quotes are redacted of the
//! survey's listed names with it (`themes::redact`), and each row's answers of the respondent's own
//! name and e-mail (`ingest::roles::scrub_own_identifiers`).

/// A `[privacy] redact` entry that can never match a word: the entry's place in the list and
/// its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnmatchableName {
    /// 0-based place in the list (`redact[N]`).
    pub index: usize,
    /// The entry as written.
    pub entry: String,
}

impl std::fmt::Display for UnmatchableName {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(
            f,
            "`{}` has no letter or digit, so it can never match a word of a comment",
            self.entry
        )
    }
}

/// Whether `c` is part of a word, as the regex class `\w` has it (letters, digits, `_`).
pub(crate) fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// One listed name as its words (lower-cased) and what separates them.
#[derive(Debug, Clone)]
struct Name {
    words: Vec<String>,
    /// Between word i and i + 1: `None` for whitespace (any run of it matches), else the
    /// characters as written, whitespace runs in them collapsed to one space.
    gaps: Vec<Option<String>>,
}

/// The listed names by their first word, each list longest first (so "Ann Lee" is taken
/// whole before "Ann").
#[derive(Debug, Clone, Default)]
pub(crate) struct NameList {
    by_first_word: std::collections::HashMap<String, Vec<Name>>,
}

/// A text's words, as byte ranges, in order.
fn words(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (is_word_char(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, text.len()));
    }
    out
}

/// `s` lower-cased, borrowed when it already is.
fn lower(s: &str) -> std::borrow::Cow<'_, str> {
    if s.chars().any(char::is_uppercase) {
        s.to_lowercase().into()
    } else {
        s.into()
    }
}

/// What separates two words: `None` for whitespace only, else the characters with
/// whitespace runs collapsed to one space.
fn gap(s: &str) -> Option<String> {
    if s.chars().all(char::is_whitespace) {
        return None;
    }
    let mut out = String::with_capacity(s.len());
    for part in s.split_whitespace() {
        if !out.is_empty() || s.starts_with(char::is_whitespace) {
            out.push(' ');
        }
        out.push_str(part);
    }
    if s.ends_with(char::is_whitespace) {
        out.push(' ');
    }
    Some(out)
}

impl NameList {
    pub(crate) fn new(names: &[String]) -> Result<NameList, UnmatchableName> {
        let mut list = NameList::default();
        for (index, entry) in names.iter().enumerate() {
            let spans = words(entry);
            if spans.is_empty() {
                return Err(UnmatchableName {
                    index,
                    entry: entry.clone(),
                });
            }
            let name = Name {
                words: spans
                    .iter()
                    .map(|&(a, b)| lower(&entry[a..b]).into_owned())
                    .collect(),
                gaps: spans
                    .windows(2)
                    .map(|w| gap(&entry[w[0].1..w[1].0]))
                    .collect(),
            };
            list.by_first_word
                .entry(name.words[0].clone())
                .or_default()
                .push(name);
        }
        for names in list.by_first_word.values_mut() {
            names.sort_by_key(|n| std::cmp::Reverse(n.words.len()));
        }
        Ok(list)
    }

    /// `text` with every listed name replaced by `[name]`.
    pub(crate) fn replace<'a>(&self, text: &'a str) -> std::borrow::Cow<'a, str> {
        if self.by_first_word.is_empty() {
            return text.into();
        }
        let spans = words(text);
        let mut out = String::new();
        let mut copied = 0;
        let mut i = 0;
        while i < spans.len() {
            let (start, end) = spans[i];
            let found = self
                .by_first_word
                .get(lower(&text[start..end]).as_ref())
                .and_then(|names| names.iter().find(|n| self.matches(n, text, &spans[i..])));
            match found {
                Some(name) => {
                    let last = spans[i + name.words.len() - 1].1;
                    out.push_str(&text[copied..start]);
                    out.push_str("[name]");
                    copied = last;
                    i += name.words.len();
                }
                None => i += 1,
            }
        }
        if copied == 0 {
            return text.into();
        }
        out.push_str(&text[copied..]);
        out.into()
    }

    /// Whether `name` is spelt by the words at the start of `spans` (its first already is).
    fn matches(&self, name: &Name, text: &str, spans: &[(usize, usize)]) -> bool {
        spans.len() >= name.words.len()
            && (1..name.words.len()).all(|k| {
                let (prev_end, (start, end)) = (spans[k - 1].1, spans[k]);
                lower(&text[start..end]) == name.words[k].as_str()
                    && gap(&text[prev_end..start]) == name.gaps[k - 1]
            })
    }
}
