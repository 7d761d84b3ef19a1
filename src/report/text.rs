//! Numbers and sentences as an evaluator writes them.

/// A percentage for prose: whole numbers, never "100" unless everyone and never "0" unless
/// no one (98.6 per cent of a group that is not unanimous reads "99", not "100"). It takes the
/// figure the tables show, so that a sentence and its table row cannot disagree.
pub fn prose_pct(pct: f64) -> String {
    let r = pct.round();
    if r >= 100.0 && pct < 100.0 {
        return "99".into();
    }
    if r <= 0.0 && pct > 0.0 {
        return "less than 1".into();
    }
    format!("{r:.0}")
}

/// What an item's figures show when nobody answered it, in sentences and tables alike.
pub const NO_ANSWERS: &str = "no answers";

/// A figure with fixed decimals, or an en dash when absent.
pub fn fixed(v: Option<f64>, decimals: usize) -> String {
    match v {
        Some(x) if x.is_finite() => {
            let s = format!("{x:.decimals$}");
            // "-0.0" reads as a sign error to a reader.
            if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.') {
                s[1..].to_string()
            } else {
                s
            }
        }
        _ => "–".into(),
    }
}

/// A signed change: "+12", "−3", "0".
pub fn signed(v: Option<f64>, decimals: usize) -> String {
    match v {
        Some(x) if x.is_finite() => {
            let s = fixed(Some(x.abs()), decimals);
            if s.chars().all(|c| c == '0' || c == '.') {
                s
            } else if x > 0.0 {
                format!("+{s}")
            } else {
                format!("−{s}")
            }
        }
        _ => "–".into(),
    }
}

/// "3 previews, 2 unfinished responses and 1 duplicate".
pub fn list_sentence(parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

// In model, so that themes (below report) can write the same sentences.
pub use crate::model::plural;

/// `s` in at most `width` characters: cut in the middle with "…" when longer, since both ends
/// of an id tell items apart (`satisfaction_overall_2024` and `…_2025`).
pub fn ellipsise_middle(s: &str, width: usize) -> String {
    let n = s.chars().count();
    if n <= width || width < 3 {
        return s.to_string();
    }
    let tail = (width - 1) / 2;
    let head = width - 1 - tail;
    let start: String = s.chars().take(head).collect();
    let end: String = s.chars().skip(n - tail).collect();
    format!("{start}…{end}")
}

/// A share as a table shows it: "2 of 5" where fewer than `threshold` answered (never a
/// percentage of a handful), else the percentage to one decimal. The one rule for the items,
/// choice and change tables.
pub fn share_cell(count: u64, n: u64, pct: Option<f64>, threshold: u64) -> String {
    if n < threshold {
        format!("{count} of {n}")
    } else {
        fixed(pct, 1)
    }
}

/// A count with thousands separated by commas, as the summaries write large numbers: 660,000.
pub(super) fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_percentages_round_honestly() {
        let pct = |count: u32, n: u32| prose_pct(100.0 * f64::from(count) / f64::from(n));
        assert_eq!(pct(66, 66), "100");
        assert_eq!(pct(65, 66), "98");
        assert_eq!(pct(63, 66), "95");
        assert_eq!(pct(199, 200), "99");
        assert_eq!(pct(1, 300), "less than 1");
        assert_eq!(pct(0, 10), "0");
    }

    #[test]
    fn long_ids_keep_both_ends() {
        assert_eq!(ellipsise_middle("q1_1", 8), "q1_1");
        assert_eq!(
            ellipsise_middle("satisfaction_overall_2024", 12),
            "satisf…_2024"
        );
        assert_eq!(
            ellipsise_middle("satisfaction_overall_2024", 12)
                .chars()
                .count(),
            12
        );
    }

    #[test]
    fn fixed_and_signed() {
        assert_eq!(fixed(Some(-0.0001), 2), "0.00");
        assert_eq!(signed(Some(12.34), 1), "+12.3");
        assert_eq!(signed(Some(-3.0), 0), "−3");
        assert_eq!(signed(Some(0.01), 0), "0");
        assert_eq!(
            list_sentence(&["a".into(), "b".into(), "c".into()]),
            "a, b and c"
        );
    }
}
