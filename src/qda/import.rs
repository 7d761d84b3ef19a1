//! Reading REFI-QDA files back: a `.qdc` codebook's codes (name and description), and a
//! `.qdpx` project's codings as a coded sample (`id,theme` rows, for learned coding and
//! `canvass agree`). A selection is named by its `name` (canvass writes the comment's id there;
//! other tools write their own names) and coded to the names of its codes.

use quick_xml::events::{BytesStart, Event};
use std::collections::HashMap;

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
    /// `(selection, code name)`; a coding whose code is not in the codebook is an error.
    pub fn coded(&self) -> Result<Vec<(String, String)>, String> {
        let names: HashMap<&str, &str> = self
            .codes
            .iter()
            .map(|c| (c.guid.as_str(), c.name.as_str()))
            .collect();
        self.codings
            .iter()
            .map(|(sel, code)| match names.get(code.as_str()) {
                Some(name) => Ok((sel.clone(), name.to_string())),
                None => Err(format!(
                    "selection `{sel}` is coded to `{code}`, which is not a code of the project"
                )),
            })
            .collect()
    }
}

fn attr(e: &BytesStart, name: &str) -> Result<Option<String>, String> {
    match e.try_get_attribute(name).map_err(|x| x.to_string())? {
        Some(a) => Ok(Some(
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map_err(|x| x.to_string())?
                .into_owned(),
        )),
        None => Ok(None),
    }
}

fn required(e: &BytesStart, name: &str) -> Result<String, String> {
    attr(e, name)?
        .ok_or_else(|| format!("a <{}> has no `{name}` attribute", e.local_name().as_ref()))
}

/// Parses a codebook (`<CodeBook>`) or project (`<Project>`) document.
pub fn parse(xml: &str) -> Result<Parsed, String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = Parsed::default();
    let mut selection: Option<String> = None;
    // Inside a <Code>'s <Description>: its text so far.
    let mut description: Option<String> = None;
    loop {
        let event = reader.read_event().map_err(|e| {
            format!(
                "not well-formed XML at byte {}: {e}",
                reader.error_position()
            )
        })?;
        match event {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                "Code" => out.codes.push(Code {
                    guid: required(&e, "guid")?,
                    name: required(&e, "name")?,
                    description: String::new(),
                }),
                "Description" if !out.codes.is_empty() && selection.is_none() => {
                    description = Some(String::new())
                }
                "PlainTextSelection" => {
                    selection = Some(match attr(&e, "name")? {
                        Some(n) if !n.is_empty() => n,
                        _ => required(&e, "guid")?,
                    })
                }
                "CodeRef" => {
                    if let Some(sel) = &selection {
                        out.codings.push((sel.clone(), required(&e, "targetGUID")?));
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
                    let c = match r.resolve_char_ref().map_err(|e| e.to_string())? {
                        Some(c) => c,
                        None => match r.xml10_content().as_ref() {
                            "amp" => '&',
                            "lt" => '<',
                            "gt" => '>',
                            "quot" => '"',
                            "apos" => '\'',
                            other => return Err(format!("unknown entity `&{other};`")),
                        },
                    };
                    d.push(c);
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

/// `project.qde` from a `.qdpx` archive.
pub fn project_xml(bytes: &[u8]) -> Result<String, String> {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| format!("is not a zip archive (.qdpx): {e}"))?;
    let mut entry = archive
        .by_name("project.qde")
        .map_err(|_| "has no project.qde (is it a REFI-QDA project?)".to_string())?;
    // The XML of a project is small next to its sources; a bomb stops at 256 MB.
    let mut text = String::new();
    entry
        .by_ref()
        .take(256 << 20)
        .read_to_string(&mut text)
        .map_err(|e| format!("project.qde is not UTF-8 text: {e}"))?;
    Ok(text)
}
