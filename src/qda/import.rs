//! Reading REFI-QDA files back: a `.qdc` codebook's codes (name and description), and a
//! `.qdpx` project's codings as a coded sample (`id,theme` rows, for learned coding and
//! `canvass agree`). A selection is named by its `name` (canvass writes the comment's id there;
//! other tools write their own names) and coded to the names of its codes.

use crate::error::{Error, Result};
use quick_xml::events::{BytesStart, Event};
use std::collections::HashMap;
use std::path::Path;

/// A file that is not the REFI-QDA document it should be, with what to pass instead.
fn unusable(file: &Path, message: impl Into<String>) -> Error {
    Error::input(file, message).hint("pass a REFI-QDA codebook (.qdc) or project (.qdpx)")
}

/// A code: its GUID, name and description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Code {
    /// The code's GUID as the file writes it (canvass's are derived from the theme's handle).
    pub guid: String,
    /// The code's name: the theme label (canvass) or the other tool's code name.
    pub name: String,
    /// The code's description; empty when the file has none.
    pub description: String,
}

/// What a codebook or project holds.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Parsed {
    /// Every code, in file order (nested codes flattened).
    pub codes: Vec<Code>,
    /// (selection name, code GUID), in file order.
    pub codings: Vec<(String, String)>,
}

impl Parsed {
    /// `(selection, code name)`; a coding whose code is not in the codebook is an error
    /// (`file` is the project, for the message).
    pub fn coded(&self, file: &Path) -> Result<Vec<(String, String)>> {
        let names: HashMap<&str, &str> = self
            .codes
            .iter()
            .map(|c| (c.guid.as_str(), c.name.as_str()))
            .collect();
        self.codings
            .iter()
            .map(|(sel, code)| match names.get(code.as_str()) {
                Some(name) => Ok((sel.clone(), name.to_string())),
                None => Err(unusable(
                    file,
                    format!(
                        "selection `{sel}` is coded to `{code}`, which is not a code of the project"
                    ),
                )
                .hint("export the project again from its tool: its codebook lacks a code it uses")),
            })
            .collect()
    }
}

fn attr(file: &Path, e: &BytesStart, name: &str) -> Result<Option<String>> {
    let element = || e.local_name().as_ref().to_owned();
    let bad = |x: &dyn std::fmt::Display| {
        unusable(
            file,
            format!("the `{name}` attribute of a <{}>: {x}", element()),
        )
    };
    match e.try_get_attribute(name).map_err(|x| bad(&x))? {
        Some(a) => Ok(Some(
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map_err(|x| bad(&x))?
                .into_owned(),
        )),
        None => Ok(None),
    }
}

fn required(file: &Path, e: &BytesStart, name: &str) -> Result<String> {
    attr(file, e, name)?.ok_or_else(|| {
        unusable(
            file,
            format!("a <{}> has no `{name}` attribute", e.local_name().as_ref()),
        )
    })
}

/// Parses a codebook (`<CodeBook>`) or project (`<Project>`) document (`file` names it in
/// messages).
pub fn parse(file: &Path, xml: &str) -> Result<Parsed> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = Parsed::default();
    let mut selection: Option<String> = None;
    // Inside a <Code>'s <Description>: its text so far.
    let mut description: Option<String> = None;
    loop {
        let event = reader.read_event().map_err(|e| {
            unusable(
                file,
                format!(
                    "not well-formed XML at byte {}: {e}",
                    reader.error_position()
                ),
            )
        })?;
        match event {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                "Code" => out.codes.push(Code {
                    guid: required(file, &e, "guid")?,
                    name: required(file, &e, "name")?,
                    description: String::new(),
                }),
                "Description" if !out.codes.is_empty() && selection.is_none() => {
                    description = Some(String::new())
                }
                "PlainTextSelection" => {
                    selection = Some(match attr(file, &e, "name")? {
                        Some(n) if !n.is_empty() => n,
                        _ => required(file, &e, "guid")?,
                    })
                }
                "CodeRef" => {
                    if let Some(sel) = &selection {
                        out.codings
                            .push((sel.clone(), required(file, &e, "targetGUID")?));
                    }
                }
                _ => {}
            },
            Event::Text(t) => {
                if let Some(d) = &mut description {
                    d.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) => {
                if let Some(d) = &mut description {
                    d.push(entity(file, &r)?);
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                "Description" => {
                    if let (Some(d), Some(code)) = (description.take(), out.codes.last_mut()) {
                        code.description = d;
                    }
                }
                "PlainTextSelection" => selection = None,
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

/// The character an entity or character reference in a description stands for.
fn entity(file: &Path, r: &quick_xml::events::BytesRef) -> Result<char> {
    let c = r
        .resolve_char_ref()
        .map_err(|e| unusable(file, format!("a character reference: {e}")))?;
    if let Some(c) = c {
        return Ok(c);
    }
    match r.xml10_content().as_ref() {
        "amp" => Ok('&'),
        "lt" => Ok('<'),
        "gt" => Ok('>'),
        "quot" => Ok('"'),
        "apos" => Ok('\''),
        other => Err(unusable(
            file,
            format!("unknown entity `&{other};` in a <Description>"),
        )),
    }
}

/// `project.qde` from a `.qdpx` archive (`file`, read into `bytes`).
pub fn project_xml(file: &Path, bytes: &[u8]) -> Result<String> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| unusable(file, format!("is not a zip archive (.qdpx): {e}")))?;
    let mut entry = archive
        .by_name("project.qde")
        .map_err(|_| unusable(file, "has no project.qde (is it a REFI-QDA project?)"))?;
    let text = read_limited(&mut entry, PROJECT_LIMIT)
        .map_err(|e| unusable(file, format!("project.qde cannot be read: {e}")))?
        .ok_or_else(|| {
            unusable(
                file,
                format!(
                    "project.qde is larger than {} MB, the most canvass reads of a project's XML",
                    PROJECT_LIMIT >> 20
                ),
            )
        })?;
    String::from_utf8(text)
        .map_err(|e| unusable(file, format!("project.qde is not UTF-8 text: {e}")))
}

/// The XML of a project is small next to its sources: a larger one is a bomb or not a
/// project, refused rather than cut (a cut project reads as one with no codes).
const PROJECT_LIMIT: u64 = 256 << 20;

/// All of `r` if it is at most `limit` bytes; `None` if it is longer.
fn read_limited(r: &mut impl std::io::Read, limit: u64) -> std::io::Result<Option<Vec<u8>>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    r.by_ref().take(limit + 1).read_to_end(&mut bytes)?;
    Ok((bytes.len() as u64 <= limit).then_some(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_project_over_the_limit_is_refused_not_cut() {
        let read = |text: &[u8], limit| read_limited(&mut &text[..], limit).unwrap();
        assert_eq!(read(b"<Project/>", 10), Some(b"<Project/>".to_vec()));
        assert_eq!(read(b"<Project/>", 9), None);
    }
}
