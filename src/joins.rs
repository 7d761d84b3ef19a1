//! How a check-all answer's cell splits into the options it joins (Google Forms' ", ",
//! Qualtrics' ","), read the same way when kinds are inferred and when answers are counted.
//!
//! A separator can also be part of a label: "Public transport (train, bus, etc.)", "Central
//! Toronto, York or East York", "Motorized vehicles should not be allowed on the trail, but a
//! special provision should be made …". Two clues tell such a comma from a join. Brackets: a
//! separator inside them never joins. And recombination: a check-all question's options are
//! ticked in different company by different respondents, so a piece that is always followed by
//! the same piece, which is always preceded by it, is one label cut in two, not two options.

use rustc_hash::FxHashMap;

/// `v` cut at each `sep` that is not inside brackets: "Public transport (train, bus, etc.)" is
/// one option, its commas part of its label.
pub fn split_outside_brackets<'v>(v: &'v str, sep: &str) -> Vec<&'v str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0usize, 0usize);
    let mut i = 0;
    while i < v.len() {
        let rest = &v[i..];
        // A bare "," joins only where no space follows: ", " is a label's own comma, and so is
        // a comma grouping a number's thousands ("$40,000 - 80,000").
        let label_comma = sep == ","
            && rest.starts_with(',')
            && (rest.starts_with(", ") || thousands(v[..i].chars().next_back(), &rest[1..]));
        if depth == 0 && rest.starts_with(sep) && !label_comma {
            parts.push(&v[start..i]);
            i += sep.len();
            start = i;
            continue;
        }
        let c = rest.chars().next().unwrap_or(' ');
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += c.len_utf8();
    }
    parts.push(&v[start..]);
    parts
}

/// Whether a comma between `before` and `after` groups a number's thousands: a digit before
/// it, then three digits and no fourth.
fn thousands(before: Option<char>, after: &str) -> bool {
    let digits = after.bytes().take_while(u8::is_ascii_digit).count();
    before.is_some_and(|c| c.is_ascii_digit()) && digits == 3
}

/// A question's separator and the pieces its answers always give together: learned once per
/// question, owned, so that every table of the question splits an answer alike.
#[derive(Debug, Clone, PartialEq)]
pub struct Joins {
    sep: Box<str>,
    /// Each piece always followed by the same piece, which is always preceded by it: that
    /// piece.
    bonded: FxHashMap<Box<str>, Box<str>>,
}

/// Google Forms' separator, and nothing glued.
impl Default for Joins {
    fn default() -> Joins {
        Joins {
            sep: ", ".into(),
            bonded: FxHashMap::default(),
        }
    }
}

/// What is seen next to a piece: nothing yet, always the same piece (`None` at an end of the
/// answer), or different neighbours.
#[derive(Clone, Copy, PartialEq)]
enum Neighbour<'a> {
    Same(Option<&'a str>),
    Varied,
}

impl Joins {
    /// The joins of a question's distinct answers (each counted once, whoever gave it), with
    /// `listed` the options the survey lists (never glued to anything). Two pieces always given
    /// together are one label only where the second reads as the first's continuation (it
    /// opens in lower case or with a digit: "Very short distance, no other modes make sense"):
    /// a form's options open with a capital, and two of them a few respondents always ticked
    /// together ("Bus, Tube") stay two.
    pub fn learn<'a>(
        answers: impl IntoIterator<Item = &'a str>,
        sep: &str,
        listed: &[String],
    ) -> Joins {
        Joins::learn_with(answers, sep, listed, |_, _| false)
    }

    /// `learn`, gluing also the pairs `evident(first, second)` says are one label (inference,
    /// which knows how many respondents gave each answer: "Central Toronto, York or East York"
    /// from 1,634 of them and never apart is one label, whatever its case).
    pub fn learn_with<'a>(
        answers: impl IntoIterator<Item = &'a str>,
        sep: &str,
        listed: &[String],
        evident: impl Fn(&str, &str) -> bool,
    ) -> Joins {
        let mut next: FxHashMap<&str, Neighbour> = FxHashMap::default();
        let mut previous: FxHashMap<&str, Neighbour> = FxHashMap::default();
        let see = |seen: &mut FxHashMap<&'a str, Neighbour<'a>>, piece, by| {
            seen.entry(piece)
                .and_modify(|n| {
                    if *n != Neighbour::Same(by) {
                        *n = Neighbour::Varied;
                    }
                })
                .or_insert(Neighbour::Same(by));
        };
        for answer in answers {
            let pieces: Vec<&str> = split_outside_brackets(answer, sep)
                .into_iter()
                .map(str::trim)
                .collect();
            if pieces.len() < 2 {
                // An answer that is one piece is an option given alone: never half of a label.
                if let Some(&p) = pieces.first() {
                    see(&mut next, p, None);
                    see(&mut previous, p, None);
                }
                continue;
            }
            for (i, &p) in pieces.iter().enumerate() {
                see(&mut next, p, pieces.get(i + 1).copied());
                see(&mut previous, p, i.checked_sub(1).map(|j| pieces[j]));
            }
        }
        let bonded = next
            .iter()
            .filter_map(|(&p, n)| match n {
                Neighbour::Same(Some(q)) => Some((p, *q)),
                _ => None,
            })
            .filter(|(p, q)| previous.get(q) == Some(&Neighbour::Same(Some(p))))
            // A trailing separator ("Laptop;") leaves an empty piece, which is no label's half.
            .filter(|(p, q)| !p.is_empty() && !q.is_empty())
            .filter(|(p, q)| !listed.iter().any(|o| o == p || o == q))
            .filter(|(p, q)| continues(q) || evident(p, q))
            .map(|(p, q)| (p.into(), q.into()))
            .collect();
        Joins {
            sep: sep.into(),
            bonded,
        }
    }

    /// The separator.
    pub fn sep(&self) -> &str {
        &self.sep
    }

    /// The options an answer joins, trimmed, each a slice of the answer: pieces always given
    /// together stay one.
    pub fn parts<'v>(&self, answer: &'v str) -> Vec<&'v str> {
        let pieces = split_outside_brackets(answer, &self.sep);
        let mut parts = Vec::with_capacity(pieces.len());
        let mut start = 0;
        for (i, piece) in pieces.iter().enumerate() {
            let end = offset(answer, piece) + piece.len();
            let bonded = pieces.get(i + 1).is_some_and(|q| {
                (self.bonded.get(piece.trim())).is_some_and(|after| **after == *q.trim())
            });
            if !bonded {
                parts.push(answer[start..end].trim());
                start = (end + self.sep.len()).min(answer.len());
            }
        }
        parts
    }
}

/// Whether a piece reads as the rest of the label before it: it opens with a lower-case letter
/// or a digit ("no other modes make sense", "but a special provision …", "000").
pub(crate) fn continues(piece: &str) -> bool {
    piece
        .chars()
        .next()
        .is_some_and(|c| c.is_lowercase() || c.is_ascii_digit())
}

/// Where `piece`, a slice of `whole`, starts in it.
fn offset(whole: &str, piece: &str) -> usize {
    piece.as_ptr() as usize - whole.as_ptr() as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_label_cut_by_its_own_comma_stays_whole() {
        // By hand: "Very short distance" is always followed by "no other modes make sense",
        // which opens in lower case and is always preceded by it; "I enjoy it" is given alone
        // and beside others.
        let answers = [
            "Very short distance, no other modes make sense",
            "I enjoy it",
            "I enjoy it, Very short distance, no other modes make sense",
            "It's the quickest way, I enjoy it",
        ];
        let joins = Joins::learn(answers, ", ", &[]);
        assert_eq!(
            joins.parts("I enjoy it, Very short distance, no other modes make sense"),
            [
                "I enjoy it",
                "Very short distance, no other modes make sense"
            ]
        );
        assert_eq!(
            joins.parts("It's the quickest way, I enjoy it"),
            ["It's the quickest way", "I enjoy it"]
        );
    }

    /// Two options a few respondents always ticked together open with capitals, as a form's
    /// options do: they stay two (the review's "Bus, Tube", never apart in 12 answers).
    #[test]
    fn options_always_ticked_together_stay_apart() {
        let answers = [
            "Bus, Tube",
            "Bus, Tube, Walk",
            "Car, Bus, Tube",
            "Walk",
            "Car",
        ];
        let joins = Joins::learn(answers, ", ", &[]);
        assert_eq!(joins.parts("Bus, Tube, Walk"), ["Bus", "Tube", "Walk"]);
    }

    /// What inference knows besides the words (how many respondents gave a pair, never apart)
    /// can glue a pair whose second half opens with a capital; listed options never glue.
    #[test]
    fn evidence_glues_and_listed_options_do_not() {
        let answers = ["Central Toronto, York or East York", "Etobicoke"];
        let evident = |p: &str, _: &str| p == "Central Toronto";
        let joins = Joins::learn_with(answers, ", ", &[], evident);
        assert_eq!(
            joins.parts("Central Toronto, York or East York"),
            ["Central Toronto, York or East York"]
        );
        let listed = ["Very short distance".to_string()];
        let joins = Joins::learn(["Very short distance, no other modes"], ", ", &listed);
        assert_eq!(
            joins.parts("Very short distance, no other modes"),
            ["Very short distance", "no other modes"]
        );
    }

    #[test]
    fn a_trailing_separator_is_no_part_of_a_label() {
        let answers = ["Phone;Laptop;", "Laptop;", "Tablet;Laptop;"];
        let joins = Joins::learn(answers, ";", &[]);
        assert_eq!(joins.parts("Phone;Laptop;"), ["Phone", "Laptop", ""]);
    }

    #[test]
    fn options_in_varied_company_are_apart() {
        let answers = ["Bus, Tube", "Tube, Overground", "Bus, Overground", "Tube"];
        let joins = Joins::learn(answers, ", ", &[]);
        for a in answers {
            let pieces: Vec<&str> = a.split(", ").collect();
            assert_eq!(joins.parts(a), pieces);
        }
    }

    #[test]
    fn brackets_and_thousands_never_join() {
        let answers = ["$40,000 - 80,000,Student", "Student", "$40,000 - 80,000"];
        let joins = Joins::learn(answers, ",", &[]);
        assert_eq!(
            joins.parts("$40,000 - 80,000,Student"),
            ["$40,000 - 80,000", "Student"]
        );
        let joins = Joins::learn(["Public transport (train, bus), Walk", "Walk"], ", ", &[]);
        assert_eq!(
            joins.parts("Public transport (train, bus), Walk"),
            ["Public transport (train, bus)", "Walk"]
        );
    }

    #[test]
    fn a_join_seen_once_reads_as_one_label() {
        // Nothing shows "Yes" and "always" apart, and "always" continues in lower case: one
        // label with a comma.
        let joins = Joins::learn(["Yes, always", "No"], ", ", &[]);
        assert_eq!(joins.parts("Yes, always"), ["Yes, always"]);
    }

    #[test]
    fn empty_pieces_and_trailing_separators_do_not_panic() {
        let answers = [", ", "A, ", ", A", "", "A, , B"];
        let joins = Joins::learn(answers, ", ", &[]);
        for a in answers {
            let _ = joins.parts(a);
        }
        assert_eq!(joins.parts("A, , B").concat().len(), 2);
    }
}
