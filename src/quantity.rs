//! Numbers as people type them into a survey's text box, read the same way when a column's
//! kind is inferred and when its answers are scored.

/// A number as people type it: digits with an optional sign, decimal point and exponent, or
/// with thousands separated by commas ("1,250"); with `decimal_comma`, as a European locale
/// writes it ("1,5", "1.250,5"; "1.5" still reads as one and a half). `None` for anything else.
pub fn parse_written(v: &str, decimal_comma: bool) -> Option<f64> {
    let v = v.trim();
    if decimal_comma && v.contains(',') {
        let (whole, fraction) = v.split_once(',')?;
        let groups: Vec<&str> = whole.trim_start_matches(['-', '+']).split('.').collect();
        let grouped = !groups[0].is_empty()
            && (groups.len() == 1 || groups[0].len() <= 3)
            && groups[1..].iter().all(|g| g.len() == 3)
            && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit()))
            && !fraction.is_empty()
            && fraction.bytes().all(|b| b.is_ascii_digit());
        return grouped
            .then(|| {
                format!("{}.{fraction}", whole.replace('.', ""))
                    .parse::<f64>()
                    .ok()
            })
            .flatten()
            .filter(|x| x.is_finite());
    }
    parse(v)
}

/// A number as `parse_written` reads it without `decimal_comma`: thousands may be grouped by
/// commas, and an amount of money may open with its currency sign ("$200,000", "£1,250").
pub fn parse(v: &str) -> Option<f64> {
    let v = without_currency(v.trim());
    let plain = v.parse::<f64>().ok().filter(|x| x.is_finite());
    if plain.is_some() || !v.contains(',') {
        // "inf" and "NaN" parse, but nobody answers with them.
        return plain.filter(|_| v.bytes().any(|b| b.is_ascii_digit()));
    }
    let (whole, fraction) = v.split_once('.').unwrap_or((v, ""));
    let groups: Vec<&str> = whole.trim_start_matches(['-', '+']).split(',').collect();
    let grouped = groups[0].len() <= 3
        && !groups[0].is_empty()
        && groups[1..].iter().all(|g| g.len() == 3)
        && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit()))
        && fraction.bytes().all(|b| b.is_ascii_digit());
    grouped
        .then(|| v.replace(',', "").parse::<f64>().ok())
        .flatten()
}

/// An amount without the currency sign it opens or ends with ("$200,000", "1.250 €").
fn without_currency(v: &str) -> &str {
    const SIGNS: [char; 4] = ['$', '£', '€', '¥'];
    let v = v.strip_prefix(SIGNS).unwrap_or(v);
    v.strip_suffix(SIGNS).unwrap_or(v).trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_as_people_type_them() {
        assert_eq!(parse("1,250"), Some(1250.0));
        assert_eq!(parse(" -3.5 "), Some(-3.5));
        assert_eq!(parse("1,25"), None, "a decimal comma is not guessed");
        // Declared (`decimal_comma`): as a French or German locale writes numbers.
        assert_eq!(parse_written("1,25", true), Some(1.25));
        assert_eq!(parse_written("-1.250,5", true), Some(-1250.5));
        assert_eq!(parse_written("1.5", true), Some(1.5));
        assert_eq!(parse_written("72", true), Some(72.0));
        assert_eq!(parse_written("1,2,3", true), None);
        assert_eq!(parse_written("12.50,5", true), None, "not groups of three");
        assert_eq!(parse_written("1,", true), None);
        let huge = format!("{},5", "1".repeat(400));
        assert_eq!(parse_written(&huge, true), None, "beyond f64: not a number");
        assert_eq!(parse("inf"), None);
        assert_eq!(parse("three"), None);
        assert_eq!(parse("$200,000"), Some(200_000.0));
        assert_eq!(parse("£1,250.50"), Some(1250.5));
        assert_eq!(parse("$"), None, "a sign alone is no amount");
        assert_eq!(parse("$$5"), None);
    }
}
