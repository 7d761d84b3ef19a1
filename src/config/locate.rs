//! Where in a TOML file a parse error is, as a key path (`items[3].statment`) and a line, and
//! which keys were expected there. The toml crate gives a byte span and serde's message; the
//! path is found by reading the table headers above the span, as TOML defines them.

use crate::error::Error;
use std::collections::HashMap;
use std::path::Path;

const EXAMPLES: &str = "docs/configuration.md lists every key; the annotated examples are \
     surveys/aspire-pilot/survey.toml and pipelines/aspire-pilot.toml in canvass's own folder";

/// The config error for a parse error of `text`.
pub(super) fn config_error(path: &Path, text: &str, e: &toml::de::Error) -> Error {
    let message = e.message().trim();
    let Some(span) = e.span() else {
        return Error::config(path, "(file)", message).hint(EXAMPLES);
    };
    let start = span.start.min(text.len());
    let line = 1 + text[..start].bytes().filter(|&b| b == b'\n').count();
    let mut key = key_path(text, line);
    let error = match unknown_field(message) {
        Some((field, expected)) => {
            if !key.ends_with(&field) {
                key = join(&key, &field);
            }
            unknown_key(path, &key, &field, &expected)
        }
        None => match message
            .strip_prefix("missing field `")
            .and_then(|m| m.split_once('`'))
        {
            Some((field, _)) => Error::config(
                path,
                display_key(&key),
                format!("the required key `{field}` is missing"),
            )
            .hint(format!("add `{field} = …`; {EXAMPLES}")),
            None => Error::config(path, display_key(&key), message).hint(EXAMPLES),
        },
    };
    error.at_line(line)
}

fn display_key(key: &str) -> &str {
    if key.is_empty() {
        "(top level)"
    } else {
        key
    }
}

fn unknown_key(path: &Path, key: &str, field: &str, expected: &[String]) -> Error {
    let mut message = format!("unknown key `{field}`");
    let known = expected.iter().map(String::as_str);
    if let Some(near) = crate::suggest::close_matches(field, known).first() {
        message.push_str(&format!("; did you mean `{near}`?"));
    }
    let parent = key.strip_suffix(field).unwrap_or("").trim_end_matches('.');
    let hint = if expected.is_empty() {
        format!("`{}` takes no keys; {EXAMPLES}", display_key(parent))
    } else {
        let at = if parent.is_empty() {
            "at the top level".to_string()
        } else {
            format!("in `{parent}`")
        };
        // A key belongs to the last `[table]` or `[[table]]` header above it: one written at the
        // end of the file lands in the last question, not where it was meant.
        let header = if !parent.is_empty() {
            "; a key belongs to the last `[…]` or `[[…]]` header above it, so a key of another \
             table (such as `keep_test_responses` of `[clean]`) needs that table's header line \
             above it"
                .to_string()
        } else {
            String::new()
        };
        format!(
            "the keys known {at} are: {}{header}; {EXAMPLES}",
            expected.join(", ")
        )
    };
    Error::config(path, key, message).hint(hint)
}

/// serde's "unknown field `x`, expected one of `a`, `b`" (or "expected `a` or `b`", or "there
/// are no fields"): the field, and the expected ones.
fn unknown_field(message: &str) -> Option<(String, Vec<String>)> {
    let rest = message.strip_prefix("unknown field `")?;
    let (field, rest) = rest.split_once('`')?;
    let expected = rest
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect();
    Some((field.to_string(), expected))
}

/// The dotted path of the key on `line` (1-based), with the index of each array of tables
/// (`[[items]]`) counted from the top: `items[3].statment`. A line inside a multi-line value
/// belongs to the key above it; a table header line names the table itself.
fn key_path(text: &str, line: usize) -> String {
    let mut tables = Tables::default();
    let mut table = String::new();
    let mut key = String::new();
    for l in text.lines().take(line) {
        let l = l.trim();
        if l.starts_with('[') {
            table = tables.header(l);
            key.clear();
        } else if let Some((k, _)) = l.split_once('=').filter(|_| !l.starts_with('#')) {
            key = unquote_path(k);
        }
    }
    join(&table, &key)
}

/// Counts of the arrays of tables met so far, by their path with indices (so that each
/// `[[a]]` starts its own `[[a.b]]` count).
#[derive(Default)]
struct Tables {
    counts: HashMap<String, usize>,
    /// Each array of tables' current index, by its plain dotted name.
    current: HashMap<String, usize>,
}

impl Tables {
    /// The path of a `[x.y]` or `[[x.y]]` header line, with indices.
    fn header(&mut self, line: &str) -> String {
        let array = line.starts_with("[[");
        let inner = line
            .trim_start_matches('[')
            .split(']')
            .next()
            .unwrap_or_default();
        let names: Vec<String> = split_key(inner);
        let mut resolved = String::new();
        let mut plain = String::new();
        for (i, name) in names.iter().enumerate() {
            resolved = join(&resolved, name);
            plain = join(&plain, name);
            let last = i + 1 == names.len();
            if array && last {
                let n = self.counts.entry(resolved.clone()).or_insert(0);
                self.current.insert(plain.clone(), *n);
                resolved = format!("{resolved}[{n}]");
                *n += 1;
            } else if let Some(n) = self.current.get(&plain) {
                resolved = format!("{resolved}[{n}]");
            }
        }
        resolved
    }
}

/// A dotted key (`a."b.c".d`) as its names, quotes removed.
fn split_key(key: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut name = String::new();
    let mut quote = None;
    for c in key.chars() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '.') => names.push(std::mem::take(&mut name).trim().to_string()),
            _ => name.push(c),
        }
    }
    names.push(name.trim().to_string());
    names
}

/// A key as a path: quotes kept only where a name needs them (`"quoted.key"`).
fn unquote_path(key: &str) -> String {
    let bare = |n: &str| {
        !n.is_empty()
            && n.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    };
    split_key(key.trim())
        .iter()
        .map(|n| {
            if bare(n) {
                n.clone()
            } else {
                format!("\"{n}\"")
            }
        })
        .collect::<Vec<_>>()
        .join(".")
}

fn join(table: &str, key: &str) -> String {
    match (table.is_empty(), key.is_empty()) {
        (true, _) => key.to_string(),
        (_, true) => table.to_string(),
        _ => format!("{table}.{key}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SURVEY: &str = "title = \"t\"\n\
        [clean]\n\
        keep_tests = true\n\
        [[items]]\n\
        id = \"a\"\n\
        [[items]]\n\
        id = \"b\"\n\
        labels = [\n  \"x\",\n  \"y\",\n]\n\
        [[scales]]\n\
        name = \"s\"\n\
        [[scales.parts]]\n\
        [[scales]]\n\
        [[scales.parts]]\n\
        [[scales.parts]]\n\
        \"quoted.key\" = 1\n";

    #[test]
    fn key_paths_follow_tables_and_arrays_of_tables() {
        let at = |line| key_path(SURVEY, line);
        assert_eq!(at(1), "title");
        assert_eq!(at(3), "clean.keep_tests");
        assert_eq!(at(5), "items[0].id");
        assert_eq!(at(6), "items[1]");
        assert_eq!(at(9), "items[1].labels");
        assert_eq!(at(13), "scales[0].name");
        assert_eq!(at(14), "scales[0].parts[0]");
        assert_eq!(at(17), "scales[1].parts[1]");
        assert_eq!(at(18), "scales[1].parts[1].\"quoted.key\"");
    }

    #[test]
    fn unknown_fields_are_parsed_from_serde_messages() {
        let (field, expected) =
            unknown_field("unknown field `statment`, expected one of `id`, `text`, `statement`")
                .unwrap();
        assert_eq!(field, "statment");
        assert_eq!(expected, ["id", "text", "statement"]);
        let known = expected.iter().map(String::as_str);
        assert_eq!(crate::suggest::close_matches(&field, known), ["statement"]);
        let (_, expected) = unknown_field("unknown field `k`, expected `a` or `b`").unwrap();
        assert_eq!(expected, ["a", "b"]);
    }
}
