//! Reading coding files: an `id,theme` CSV (or one 0/1 column per theme), for `canvass agree`,
//! `themes --coded` and a `[[text]]` question's `coded` sample. Here, not in `commands`, because
//! the runner reads coded samples too.

use super::{CodedSample, Coding};
use crate::error::{Error, Result};
use std::path::Path;

/// A coding file: `id,theme` rows (several per comment; a blank theme codes the comment with
/// none), or `id` plus one column per theme marked `1` (or `1.0`)/`yes`/`true`/`x`. The theme
/// column is `theme` if given and present, else `label`, else `theme`: canvass's own
/// comments.csv and assignments number themes in `theme` and name them in `label`, and names are
/// what a person's coding can match. Also says which column was read, for the user.
pub fn read_coding(path: &Path, id: &str, theme: Option<&str>) -> Result<(Coding, String)> {
    read(path, id, theme).map(|(coding, _, column)| (coding, column))
}

/// A coded sample for learned coding (`themes --coded`, a `[[text]]` question's `coded`): a
/// coding file as `read_coding` reads it, with the `id` column, and each comment's text from
/// a `text` column when it has one. A file with no coded comment is refused.
pub fn read_sample(path: &Path, id: &str) -> Result<CodedSample> {
    let (codes, texts, _) = read(path, id, None)?;
    if codes.is_empty() {
        return Err(Error::input(path, "has no coded comments").hint(
            "a coded sample has a row per coded comment: `id,theme` (several rows per comment \
             allowed), or `id` and a 0/1 column per theme",
        ));
    }
    Ok(CodedSample {
        source: path.display().to_string(),
        codes,
        texts,
    })
}

type Texts = std::collections::BTreeMap<String, String>;

/// A 0/1 column's cell that codes its comment: `1`, `yes`, `true`, `x`, `y`, or the number 1
/// however written (pandas writes a column with a blank as `1.0`/`0.0`).
fn ticked(cell: &str) -> bool {
    let cell = cell.trim();
    ["1", "yes", "true", "x", "y"]
        .iter()
        .any(|t| cell.eq_ignore_ascii_case(t))
        || cell.parse::<f64>().is_ok_and(|v| v == 1.0)
}

fn read(path: &Path, id: &str, theme: Option<&str>) -> Result<(Coding, Texts, String)> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_path(path)
        .map_err(|e| Error::input(path, format!("cannot be read as CSV: {e}")))?;
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| Error::input(path, format!("has no header row: {e}")))?
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_string())
        .collect();
    let find = |name: &str| header.iter().position(|h| h.eq_ignore_ascii_case(name));
    let id_at = find(id).ok_or_else(|| {
        Error::input(
            path,
            format!("has no `{id}` column (its columns: {})", header.join(", ")),
        )
        .hint("name the column that identifies comments with --id")
    })?;
    let long = theme
        .and_then(&find)
        .or_else(|| find("label"))
        .or_else(|| find("theme"));
    // canvass's own rows for a comment in no theme have a blank `theme` and a placeholder
    // `label` such as "(unthemed)": not a theme.
    let numbered = find("theme")
        .filter(|&t| Some(t) != long && header[long.unwrap_or(t)].eq_ignore_ascii_case("label"));
    let column = long.map_or_else(
        || "one 0/1 column per theme".to_string(),
        |t| format!("`{}`", header[t]),
    );
    let text_at = find("text");
    let mut texts = Texts::new();
    let mut coding = Coding::new();
    for (i, record) in reader.records().enumerate() {
        // Line 1 is the header.
        let record = record.map_err(|e| Error::input(path, format!("{e}")).at_row(i + 2))?;
        let key = record.get(id_at).unwrap_or_default().trim().to_string();
        if key.is_empty() {
            return Err(Error::input(path, "a row has no comment id")
                .at_row(i + 2)
                .at_column(header[id_at].clone()));
        }
        if let Some(t) = text_at
            .and_then(|t| record.get(t))
            .filter(|t| !t.trim().is_empty())
        {
            texts.entry(key.clone()).or_insert_with(|| t.to_string());
        }
        let themes = coding.entry(key).or_default();
        match long {
            Some(t) => {
                let value = record.get(t).unwrap_or_default().trim();
                let unnumbered =
                    numbered.is_some_and(|n| record.get(n).unwrap_or_default().trim().is_empty());
                if !value.is_empty() && !unnumbered {
                    themes.insert(value.to_string());
                }
            }
            None => {
                for (c, cell) in record.iter().enumerate() {
                    let ticked = ticked(cell);
                    if c != id_at && Some(c) != text_at && ticked {
                        themes.insert(header[c].clone());
                    }
                }
            }
        }
    }
    Ok((coding, texts, column))
}
