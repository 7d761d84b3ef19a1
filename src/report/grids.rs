//! Which rating items are rows of one grid (matrix) question, so that the summary states a
//! grid once, by its question and its rows' own words, instead of leading with its first
//! three rows as if they were three questions.

use crate::score::ItemScore;

/// Separators tools put between a grid's question and a row's text: SurveyMonkey and
/// Qualtrics write "Question - Row", LimeSurvey "Question [Row]", others "Question: Row".
const SEPARATORS: [&str; 5] = [" - ", " – ", " — ", ": ", " ["];

/// A stem shorter than this is a shared word, not a shared question ("I am …").
const MIN_STEM_CHARS: usize = 12;

/// One question of the survey as the summary states it: a single item, or a grid's rows.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Question {
    /// Indices into the score's items, in survey order.
    pub items: Vec<usize>,
    /// The grid's question text, when the items are rows of one grid.
    pub stem: Option<String>,
}

/// The items grouped into questions: consecutive items answered on one response scale whose
/// texts share a question before a separator are one grid.
pub(super) fn questions(items: &[ItemScore]) -> Vec<Question> {
    let mut out: Vec<Question> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        if let Some(last) = out.last_mut() {
            let prev = &items[*last.items.last().unwrap_or(&i)];
            if prev.response_scale == item.response_scale {
                let shared = shared_stem(&prev.text, &item.text);
                let same = match (&last.stem, shared) {
                    (None, Some(s)) if last.items.len() == 1 => {
                        last.stem = Some(s.to_string());
                        true
                    }
                    (Some(stem), Some(s)) => stem == s,
                    _ => false,
                };
                if same {
                    last.items.push(i);
                    continue;
                }
            }
        }
        out.push(Question {
            items: vec![i],
            stem: None,
        });
    }
    out
}

/// The question two grid rows share: their common beginning, cut at the last separator, when
/// both go on past it.
fn shared_stem<'a>(a: &'a str, b: &str) -> Option<&'a str> {
    let common = a
        .char_indices()
        .zip(b.chars())
        .find(|((_, x), y)| x != y)
        .map_or(a.len().min(b.len()), |((at, _), _)| at);
    let head = &a[..common];
    let cut = SEPARATORS.iter().filter_map(|sep| head.rfind(sep)).max()?;
    let stem = a[..cut].trim_end();
    (stem.chars().count() >= MIN_STEM_CHARS && cut < a.len() && cut < b.len()).then_some(stem)
}

/// A grid row's own words: its text after the stem and separator, without LimeSurvey's brackets.
pub(super) fn row_words<'a>(text: &'a str, stem: &str) -> &'a str {
    let rest = text.strip_prefix(stem).unwrap_or(text).trim_start();
    let rest = ["-", "–", "—", ":"]
        .iter()
        .find_map(|sep| rest.strip_prefix(sep))
        .unwrap_or(rest)
        .trim();
    let rest = rest
        .strip_prefix('[')
        .and_then(|r| r.strip_suffix(']'))
        .unwrap_or(rest);
    if rest.is_empty() {
        text
    } else {
        rest
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(id: &str, text: &str, scale: &str) -> ItemScore {
        ItemScore {
            id: id.into(),
            text: text.into(),
            statement: text.into(),
            column: id.into(),
            response_scale: scale.into(),
            summary: Default::default(),
        }
    }

    #[test]
    fn rows_of_one_grid_are_one_question_and_single_items_stay_apart() {
        let stem = "Please rate your confidence in these tasks";
        let items = vec![
            item("q1", "How knowledgeable are you?", "k5"),
            item("q2_1", &format!("{stem} - Reading literature"), "c5"),
            item("q2_2", &format!("{stem} - Writing"), "c5"),
            item("q2_3", &format!("{stem} - Analysis"), "c5"),
            item("a", "The initial phase was supported", "agree5"),
            item("b", "The early analysis helped us prioritise", "agree5"),
        ];
        let q = questions(&items);
        assert_eq!(q.len(), 4);
        assert_eq!(q[1].items, vec![1, 2, 3]);
        assert_eq!(q[1].stem.as_deref(), Some(stem));
        assert_eq!(row_words(&items[2].text, stem), "Writing");
        // Two statements that begin alike ("The …") are not a grid.
        assert_eq!(q[2].items, vec![4]);
        assert_eq!(q[3].items, vec![5]);
    }

    #[test]
    fn limesurvey_brackets_and_a_new_scale_end_a_grid() {
        let items = vec![
            item("E7a_1", "How often do you use these tools? [Email]", "f5"),
            item("E7a_2", "How often do you use these tools? [Chat]", "f5"),
            item(
                "E8_1",
                "How often do you use these tools? [Phone]",
                "agree5",
            ),
        ];
        let q = questions(&items);
        assert_eq!(q[0].items, vec![0, 1]);
        assert_eq!(
            row_words(&items[1].text, q[0].stem.as_deref().unwrap()),
            "Chat"
        );
        assert_eq!(q[1].items, vec![2]);
    }
}
