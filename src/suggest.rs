//! "Did you mean …?": the names close to one that was not found, for messages.

/// The candidates close to `wanted` (a typo, a transposition, a missing or extra letter or
/// two, a different case, or one name inside the other), closest first.
pub fn close_matches<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Vec<&'a str> {
    let wanted = wanted.to_lowercase();
    let mut near: Vec<(usize, &str)> = candidates
        .into_iter()
        .filter_map(|c| {
            let lower = c.to_lowercase();
            let distance = strsim::damerau_levenshtein(&wanted, &lower);
            let long = |s: &str| s.chars().count() >= 3;
            let contains = long(&wanted)
                && long(&lower)
                && (lower.contains(&wanted) || wanted.contains(&lower));
            let close = distance <= 2.max(c.chars().count() / 3);
            (close || contains).then_some((distance, c))
        })
        .collect();
    near.sort_by_key(|&(d, _)| d);
    near.dedup_by_key(|(_, c)| *c);
    near.into_iter().map(|(_, c)| c).collect()
}

/// "`a`, `b` or `c`".
pub fn or_list(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_typos_case_and_containment() {
        let names = ["Region", "Role", "School", "LocalAuthority"];
        assert_eq!(close_matches("Regoin", names), ["Region"]);
        assert_eq!(close_matches("region", names), ["Region"]);
        assert_eq!(close_matches("Authority", names), ["LocalAuthority"]);
        assert!(close_matches("Postcode", names).is_empty());
        assert_eq!(or_list(&["a", "b", "c"]), "`a`, `b` or `c`");
    }
}
