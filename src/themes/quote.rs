//! Choosing a theme's quotes: distinct, near its centre, and short enough to read in a summary.
//!
//! The comment nearest a centroid is often the longest one, because a long comment touches many
//! of the theme's terms; a 1,500-character paragraph is not a quote a programme lead can read in a
//! summary. So among the nearest candidates, readable ones come first, and a long comment is shown
//! only when there are not enough short ones, as an excerpt cut at a sentence or word boundary
//! and marked with "…", as qualitative reports mark an elision.

/// Quotes longer than this many characters are shown as an excerpt.
pub const QUOTE_CHARS: usize = 240;

/// How many of the best candidates are considered: far enough down to find short comments,
/// near enough that they still represent the theme.
pub const CANDIDATES: usize = 50;

/// Up to `n` distinct quotes from `candidates` (already redacted, best first), in that order.
/// Candidates are read lazily, only until `CANDIDATES` distinct ones are found.
pub fn choose(candidates: impl Iterator<Item = String>, n: usize) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    let distinct: Vec<String> = candidates
        .filter(|t| {
            // The same words, however capitalised or punctuated, are one quote.
            let key: String = t
                .to_lowercase()
                .chars()
                .filter(|c| c.is_alphanumeric())
                .collect();
            seen.insert(key)
        })
        .take(CANDIDATES)
        .collect();
    let short = |t: &str| t.chars().count() <= QUOTE_CHARS;
    let shorts = distinct.iter().filter(|t| short(t)).count();
    let mut longs_wanted = n.saturating_sub(shorts);
    let mut chosen = Vec::new();
    for t in distinct {
        if chosen.len() == n {
            break;
        }
        if short(&t) {
            chosen.push(t);
        } else if longs_wanted > 0 {
            longs_wanted -= 1;
            chosen.push(excerpt(&t));
        }
    }
    chosen
}

/// The text cut to at most `QUOTE_CHARS` characters plus an ellipsis: after the last sentence
/// that ends in the second half of that length (" …"), or else at the last space in it ("…"),
/// or else at the limit.
pub fn excerpt(text: &str) -> String {
    if text.chars().count() <= QUOTE_CHARS {
        return text.to_string();
    }
    let limit = text
        .char_indices()
        .nth(QUOTE_CHARS)
        .map_or(text.len(), |(at, _)| at);
    let head = &text[..limit];
    let half = text
        .char_indices()
        .nth(QUOTE_CHARS / 2)
        .map_or(0, |(at, _)| at);
    let sentence_end = head
        .rmatch_indices(['.', '!', '?'])
        .map(|(at, _)| at + 1)
        .find(|&end| end >= half && head[end..].starts_with(char::is_whitespace));
    match sentence_end {
        // "… escort. …": the sentence is whole, what follows is left out.
        Some(end) => format!("{} …", &head[..end]),
        None => {
            // At the last space, unless that would leave less than half (one giant token).
            let cut = head
                .rfind(char::is_whitespace)
                .filter(|&at| at >= half)
                .unwrap_or(limit);
            format!("{}…", head[..cut].trim_end())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn long(sentence: &str) -> String {
        sentence.repeat(QUOTE_CHARS / sentence.len() + 2)
    }

    #[test]
    fn readable_quotes_come_before_a_long_nearest_comment() {
        let candidates = vec![
            long("The staff listened and explained everything. "),
            "Staff listened.".to_string(),
            "staff listened".to_string(), // the same quote, differently written
            "They explained everything.".to_string(),
        ];
        let q = choose(candidates.into_iter(), 2);
        assert_eq!(q, ["Staff listened.", "They explained everything."]);
    }

    #[test]
    fn long_comments_fill_in_as_excerpts_in_rank_order() {
        let candidates = vec![
            long("The staff listened and explained everything. "),
            "Staff listened.".to_string(),
        ];
        let q = choose(candidates.into_iter(), 2);
        assert_eq!(q.len(), 2);
        // The excerpt keeps its rank (first) and ends at a full sentence, marked as cut.
        assert!(q[0].ends_with("everything. …"), "{}", q[0]);
        assert!(q[0].chars().count() <= QUOTE_CHARS + 2);
        assert_eq!(q[1], "Staff listened.");
    }

    #[test]
    fn excerpts_cut_at_a_space_without_a_sentence_end_and_never_inside_a_character() {
        let text = "é ".repeat(QUOTE_CHARS);
        let e = excerpt(&text);
        assert!(e.ends_with("é…"), "{e}");
        assert!(e.chars().count() <= QUOTE_CHARS + 1);
        // A token such as "[email]" is never split: cuts fall on whitespace.
        let text = format!("{} [email] tail", "word ".repeat(47));
        assert!(!excerpt(&text).contains("[em…"));
        assert_eq!(excerpt("short"), "short");
        // One giant token after a short word is cut at the limit, not left as "Word…".
        let text = format!("Word {}", "x".repeat(2 * QUOTE_CHARS));
        assert_eq!(excerpt(&text).chars().count(), QUOTE_CHARS + 1);
    }
}
