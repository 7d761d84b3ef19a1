//! REDCap data dictionaries. A REDCap export holds raw codes under variable names; the
//! project's data dictionary (a CSV REDCap writes beside it) says what each variable asks,
//! its answer options, and which fields the project itself marks as identifiers. With the
//! dictionary, columns get their question text and options, and flagged identifiers are
//! dropped at ingest whatever their names.

use super::detect::norm;
use super::{read_export, RawColumn, RawExport, ReadOptions};
use crate::error::{Error, Result};
use serde::Serialize;
use std::path::Path;

/// One field (variable) of a REDCap project.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Field {
    /// The variable name: the export's column id.
    pub name: String,
    /// The instrument (form) the field belongs to.
    pub form: String,
    /// REDCap's field type (`radio`, `text`, `checkbox`, `descriptive` …).
    pub field_type: String,
    /// The field label: the question text reports show.
    pub label: String,
    /// (code, label) for radio, dropdown, checkbox, yes/no and true/false fields.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<(String, String)>,
    /// Flagged `Identifier? = y` in the dictionary: dropped at ingest whatever its name.
    pub identifier: bool,
}

/// A REDCap data dictionary: what the export's columns mean (labels, options, identifier flags).
/// `inspect --json` prints it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dictionary {
    /// Every field, in the dictionary's order.
    pub fields: Vec<Field>,
}

/// What a user reading a REDCap export without its data dictionary should know: REDCap marks
/// identifying fields (names, dates of birth, addresses) in the dictionary, not in the export,
/// and their variable names are the project's own ("ptname", "postal_5"), so some are found only
/// there. `None` for other tools, or when the dictionary is given.
pub fn without_dictionary_note(raw: &RawExport, read: &ReadOptions) -> Option<String> {
    (raw.source.format == crate::model::Format::Redcap && read.dictionary.is_none()).then(|| {
        "this REDCap export was read without its data dictionary, where the project flags the \
         fields that identify people; canvass found identifiers by their names and values alone \
         and may miss some. Pass the dictionary with --dictionary FILE (REDCap: Project Setup, \
         Data Dictionary, Download the current Data Dictionary) so that every field it flags is \
         dropped as it is read"
            .to_string()
    })
}

/// Does a file with these columns look like a REDCap data dictionary?
pub fn is_dictionary(columns: &[RawColumn]) -> bool {
    let has = |n: &str| columns.iter().any(|c| norm(&c.name) == norm(n));
    has("Variable / Field Name") && has("Field Type") && has("Field Label")
}

/// Reads a data dictionary CSV as REDCap writes it.
pub fn read_dictionary(path: &Path) -> Result<Dictionary> {
    from_export(path, &read_export(path, &ReadOptions::default())?)
}

/// The dictionary in a file already read (`path` names it in messages).
pub fn from_export(path: &Path, raw: &RawExport) -> Result<Dictionary> {
    if !is_dictionary(&raw.columns) {
        return Err(Error::input(
            path,
            "is not a REDCap data dictionary (it has no `Variable / Field Name`, `Field Type` and `Field Label` columns)",
        )
        .hint("download it from REDCap: Project Setup → Data Dictionary → Download the current Data Dictionary"));
    }
    let col = |prefix: &str| {
        raw.columns
            .iter()
            .position(|c| norm(&c.name).starts_with(&norm(prefix)))
    };
    let cell = |row: &[String], i: Option<usize>| {
        i.and_then(|i| row.get(i))
            .map(|s| s.trim().to_string())
            .unwrap_or_default()
    };
    let (name, form, kind, label) = (
        col("Variable / Field Name"),
        col("Form Name"),
        col("Field Type"),
        col("Field Label"),
    );
    let (choices, identifier) = (col("Choices"), col("Identifier"));
    let fields = raw
        .rows
        .iter()
        .map(|r| {
            let field_type = cell(&r.cells, kind);
            Field {
                name: cell(&r.cells, name),
                form: cell(&r.cells, form),
                choices: match field_type.as_str() {
                    "yesno" => vec![("1".into(), "Yes".into()), ("0".into(), "No".into())],
                    "truefalse" => vec![("1".into(), "True".into()), ("0".into(), "False".into())],
                    "radio" | "dropdown" | "checkbox" => parse_choices(&cell(&r.cells, choices)),
                    _ => Vec::new(),
                },
                field_type,
                label: plain_text(&cell(&r.cells, label)),
                identifier: cell(&r.cells, identifier).eq_ignore_ascii_case("y"),
            }
        })
        .filter(|f| !f.name.is_empty())
        .collect();
    Ok(Dictionary { fields })
}

/// `1, Strongly disagree | 2, Disagree` (spacing varies between projects) → pairs.
fn parse_choices(s: &str) -> Vec<(String, String)> {
    s.split('|')
        .filter_map(|part| {
            let (code, label) = part.split_once(',')?;
            Some((code.trim().to_string(), plain_text(label)))
        })
        .collect()
}

/// Labels may hold HTML (`<b>`, `<span style=…>`): the text a respondent read.
fn plain_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Dictionary {
    /// The fields the project marks `Identifier? = y`, in dictionary order.
    pub fn identifiers(&self) -> Vec<&str> {
        self.fields
            .iter()
            .filter(|f| f.identifier)
            .map(|f| f.name.as_str())
            .collect()
    }

    fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// Is this export column one of the project's: a field, a checkbox option (`var___code`),
    /// an instrument's `<form>_timestamp` or `<form>_complete`, or a column REDCap adds?
    fn describes(&self, column: &str) -> bool {
        const SYSTEM: &[&str] = &[
            "redcap_event_name",
            "redcap_repeat_instrument",
            "redcap_repeat_instance",
            "redcap_data_access_group",
            "redcap_survey_identifier",
        ];
        let checkbox = || {
            column
                .rsplit_once("___")
                .is_some_and(|(base, _)| self.field(base).is_some())
        };
        let form_column = || {
            ["_timestamp", "_complete"].iter().any(|suffix| {
                column
                    .strip_suffix(suffix)
                    .is_some_and(|form| self.fields.iter().any(|f| f.form == form))
            })
        };
        self.field(column).is_some() || SYSTEM.contains(&column) || checkbox() || form_column()
    }

    /// Does the export have a column for this field? Descriptive fields (text shown on a form)
    /// never do.
    fn in_export(field: &Field, columns: &[RawColumn]) -> bool {
        field.field_type == "descriptive"
            || columns.iter().any(|c| {
                c.name == field.name
                    || c.name
                        .rsplit_once("___")
                        .is_some_and(|(base, _)| base == field.name)
            })
    }

    /// Refuses a dictionary of another project: most of the export's columns are not in it, or
    /// most of its fields are not in the export and more than a tenth of its columns are not in
    /// it either. An export of a few of a project's forms or fields (a REDCap report) has its
    /// columns in the dictionary, save perhaps one its owner added ("survey_status").
    /// With the wrong dictionary, labels, options and identifier flags would silently be wrong.
    pub fn check_describes(
        &self,
        dictionary: &Path,
        export: &Path,
        columns: &[RawColumn],
    ) -> Result<()> {
        let unknown: Vec<&str> = columns
            .iter()
            .map(|c| c.name.as_str())
            .filter(|c| !self.describes(c))
            .collect();
        let missing: Vec<&str> = self
            .fields
            .iter()
            .filter(|f| !Self::in_export(f, columns))
            .map(|f| f.name.as_str())
            .collect();
        let most_unknown = unknown.len() * 2 > columns.len();
        let most_missing =
            unknown.len() * 10 > columns.len() && missing.len() * 2 > self.fields.len();
        if !most_unknown && !most_missing {
            return Ok(());
        }
        let list = |names: &[&str]| {
            let shown: Vec<String> = names.iter().take(8).map(|n| format!("`{n}`")).collect();
            let more = names.len().saturating_sub(8);
            let more = if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            };
            format!("{}{more}", shown.join(", "))
        };
        let mut message = format!(
            "does not describe the export {}: {} of its {} columns are not in this dictionary ({})",
            export.display(),
            unknown.len(),
            columns.len(),
            list(&unknown)
        );
        if most_missing {
            message.push_str(&format!(
                ", and {} of the dictionary's {} fields are not in the export ({})",
                missing.len(),
                self.fields.len(),
                list(&missing)
            ));
        }
        Err(Error::input(dictionary, message).hint(
            "give the data dictionary of the project the export came from (in REDCap: Project \
             Setup → Data Dictionary → Download the current Data Dictionary) with --dictionary, \
             or a wave's `dictionary`",
        ))
    }

    /// Gives export columns their question text and options, and marks flagged identifiers
    /// (and the record id, REDCap's first field). Checkbox columns `var___code` get the
    /// field's label and the option's.
    pub fn annotate(&self, columns: &mut [RawColumn]) {
        let record_id = self.fields.first().map(|f| f.name.as_str());
        for c in columns {
            if let Some(f) = self.field(&c.name) {
                c.question = f.label.clone();
                c.identifier |= f.identifier || Some(f.name.as_str()) == record_id;
                c.choices = f.choices.clone();
            } else if let Some((base, code)) = c.name.rsplit_once("___") {
                if let Some(f) = self.field(base) {
                    let option = f.choices.iter().find(|(k, _)| k.eq_ignore_ascii_case(code));
                    c.question = match option {
                        Some((_, l)) => format!("{} – {l}", f.label),
                        None => f.label.clone(),
                    };
                    c.identifier |= f.identifier;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choices_and_labels_are_read_as_redcap_writes_them() {
        assert_eq!(
            parse_choices("1, one|2, two | 3,  <b>three</b>"),
            [
                ("1".to_string(), "one".to_string()),
                ("2".into(), "two".into()),
                ("3".into(), "three".into())
            ]
        );
        assert_eq!(
            plain_text("<span style=\"x\">How   are</span> you?"),
            "How are you?"
        );
    }
}
