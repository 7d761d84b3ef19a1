//! LimeSurvey equation questions: the survey computes them from other answers with its
//! ExpressionScript (`{(country.NAOK=='nl00')}`, `{if(age.NAOK == 1, 'm', 's')}`,
//! `{IntGetHelpSeq.gseq}`), and an export whose header row holds question texts shows the
//! expression itself. Nobody was asked them: a flag (a comparison, a condition) reads as a
//! yes/no choice the survey made, a value it looked up or joined (a group's drawn position,
//! a joined code) is the tool's bookkeeping. Neither is an option of a check-all question, however
//! alike their texts start.

/// What an equation column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Equation {
    /// A condition the survey evaluated: `==`, `>`, `||`, `!`, `if(…)`.
    Flag,
    /// A value the survey looked up, summed or joined: its own bookkeeping.
    Value,
}

/// The equation a column's header shows, when its whole text is one `{…}` expression.
pub fn equation(name: &str, question: &str) -> Option<Equation> {
    [question, name].into_iter().find_map(expression).map(|e| {
        let lower = e.to_ascii_lowercase();
        let condition = ["==", "!=", "&gt;", "&lt;", ">", "<", "||", "&&", "&amp;"]
            .iter()
            .any(|op| lower.contains(op))
            || lower.starts_with('!')
            || lower.starts_with("(!")
            || lower.contains("if(");
        if condition {
            Equation::Flag
        } else {
            Equation::Value
        }
    })
}

/// The inside of `{…}` when the braces enclose the whole text (not "Age: {age}").
fn expression(text: &str) -> Option<&str> {
    let inner = text.trim().strip_prefix('{')?.strip_suffix('}')?;
    let mut depth = 0usize;
    for c in inner.chars() {
        match c {
            '{' => depth += 1,
            // A brace closing the outer one early: "{a} and {b}" is two expressions in a text.
            '}' => depth = depth.checked_sub(1)?,
            _ => {}
        }
    }
    let word = inner.chars().any(|c| c.is_ascii_alphabetic());
    (depth == 0 && word).then_some(inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_values_and_texts() {
        assert_eq!(
            equation("{(country.NAOK=='nl00')}", ""),
            Some(Equation::Flag)
        );
        assert_eq!(
            equation("", "{if(age.NAOK == 1, 'm', 's')}"),
            Some(Equation::Flag)
        );
        assert_eq!(
            equation("{((!a.NAOK) &amp;&amp; b.NAOK)}", ""),
            Some(Equation::Flag)
        );
        assert_eq!(equation("{IntGetHelpSeq.gseq}", ""), Some(Equation::Value));
        assert_eq!(equation("{join(a, b, c)}", ""), Some(Equation::Value));
        assert_eq!(equation("Age: {age.NAOK}", ""), None);
        assert_eq!(equation("{a} and {b}", ""), None);
        assert_eq!(equation("{1}", ""), None);
        assert_eq!(equation("How old are you?", ""), None);
    }
}
