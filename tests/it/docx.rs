//! summary.docx, read back: unzipped with the zip crate, every XML part parsed with roxmltree
//! (the parser resvg uses), and its text checked against the CSV files written with it.

use crate::common::*;
use resvg::usvg::roxmltree;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

/// Every part of a .docx by name.
pub fn parts(path: &Path) -> BTreeMap<String, Vec<u8>> {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut zip = zip::ZipArchive::new(file).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut entry = zip.by_index(i).unwrap();
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).unwrap();
            (entry.name().unwrap().to_string(), bytes)
        })
        .collect()
}

/// The text of word/document.xml, paragraph by paragraph (runs joined), after checking that it
/// is well-formed XML.
pub fn paragraphs(document: &[u8]) -> Vec<String> {
    let xml = std::str::from_utf8(document).expect("document.xml is UTF-8");
    let doc = roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("document.xml: {e}"));
    doc.descendants()
        .filter(|n| n.has_tag_name("p"))
        .map(|p| {
            p.descendants()
                .filter(|n| n.has_tag_name("t"))
                .filter_map(|t| t.text())
                .collect::<String>()
        })
        .collect()
}

#[test]
fn the_example_document_has_every_item_scale_theme_and_wave() {
    let out = example_outputs();
    for (wave, label) in [
        ("wave-1", "Autumn 2025"),
        ("wave-2", "Autumn 2026"),
        ("wave-3", "Autumn 2027"),
    ] {
        let out = out.join(wave);
        let parts = parts(&out.join("summary.docx"));

        // The package: content types, relationships, styles; every XML part well-formed; every
        // relationship's target present.
        for name in [
            "[Content_Types].xml",
            "_rels/.rels",
            "word/document.xml",
            "word/styles.xml",
            "word/_rels/document.xml.rels",
            "docProps/core.xml",
        ] {
            assert!(parts.contains_key(name), "{wave}: {name} is missing");
        }
        for (name, bytes) in &parts {
            if name.ends_with(".xml") || name.ends_with(".rels") {
                let text = std::str::from_utf8(bytes).unwrap();
                if let Err(e) = roxmltree::Document::parse(text) {
                    panic!("{wave}: {name}: {e}");
                }
            }
        }
        let rels = String::from_utf8(parts["word/_rels/document.xml.rels"].clone()).unwrap();
        let rels = roxmltree::Document::parse(&rels).unwrap();
        for target in rels.descendants().filter_map(|n| n.attribute("Target")) {
            assert!(
                parts.contains_key(&format!("word/{target}")),
                "{wave}: {target} is referenced but not in the package"
            );
        }

        // The charts: one PNG for the items (the example has one response scale), then the bars
        // of its two choice questions and the histogram of its number question, each drawn in
        // the document with alternative text naming what it shows.
        let media: Vec<&String> = parts
            .keys()
            .filter(|k| k.starts_with("word/media/"))
            .collect();
        assert_eq!(media.len(), 4, "{wave}: {media:?}");
        let document = std::str::from_utf8(&parts["word/document.xml"]).unwrap();
        for k in 1..=4 {
            assert!(parts[&format!("word/media/chart{k}.png")].starts_with(b"\x89PNG\r\n\x1a\n"));
            assert!(
                document.contains(&format!(r#"r:embed="rIdChart{k}""#)),
                "{wave}: chart {k}"
            );
        }
        assert!(document.contains("descr=\"Bar chart of the options of “Which role are you in?”"));
        assert!(document.contains("descr=\"Histogram of the answers to “About how many hours"));

        let text = paragraphs(&parts["word/document.xml"]);
        let all = text.join("\n");
        assert!(all.contains(label), "{wave}: the wave's label");
        // Every item's text and id, every scale and every theme, from the CSV files.
        let (h, items) = read_csv(&out.join("items.csv"));
        assert_eq!(items.len(), 12, "{wave}: the example has 12 items");
        for row in &items {
            for col in ["id", "text"] {
                let value = &row[h.iter().position(|c| c == col).unwrap()];
                // A cell of its own; the id's cell goes on with " · 2 missing" where some were.
                let noted = format!("{value} · ");
                assert!(
                    text.iter().any(|p| p == value || p.starts_with(&noted)),
                    "{wave}: item {value}"
                );
            }
        }
        let (h, scales) = read_csv(&out.join("scales.csv"));
        let name = h.iter().position(|c| c == "name").unwrap();
        for row in &scales {
            assert!(text.contains(&row[name]), "{wave}: scale {}", row[name]);
        }
        let (h, themes) = read_csv(&out.join("themes.csv"));
        let label_col = h.iter().position(|c| c == "label").unwrap();
        assert!(!themes.is_empty());
        for row in &themes {
            // The summaries show a label with a capital; themes.csv keeps it as given.
            let label = &row[label_col];
            let shown: String = label
                .chars()
                .take(1)
                .flat_map(char::to_uppercase)
                .chain(label.chars().skip(1))
                .collect();
            assert!(
                text.iter().any(|p| p.contains(&shown)),
                "{wave}: theme {}",
                row[label_col]
            );
        }
        // Learned coding's stated agreement and, from the third wave, the trends: as in summary.md.
        let md = std::fs::read_to_string(out.join("summary.md")).unwrap();
        let agreement = text
            .iter()
            .find(|p| p.starts_with("In 5-fold cross-validation"))
            .unwrap_or_else(|| panic!("{wave}: the stated agreement of learned coding"));
        assert!(md.contains(agreement.as_str()), "{wave}: {agreement}");
        assert_eq!(
            text.iter().any(|p| p == "Trends over 3 waves"),
            wave == "wave-3",
            "{wave}: trends from the third wave only"
        );
        // The opening and headline sentences are the Markdown summary's, word for word.
        let opening = text
            .iter()
            .find(|p| p.starts_with("This summary covers"))
            .expect("the opening sentence");
        assert!(md.contains(opening.as_str()), "{wave}: {opening}");
        let headline = text
            .iter()
            .find(|p| p.starts_with("Of the "))
            .expect("a headline sentence");
        assert!(md.contains(headline.as_str()), "{wave}: {headline}");
    }
    // Wave 1 reproduces the published figures (100, 98 and 95 per cent; see
    // example_pipeline.rs), and the document says them as the HTML does.
    let parts = parts(&example_outputs().join("wave-1/summary.docx"));
    let all = paragraphs(&parts["word/document.xml"]).join("\n");
    assert!(all.contains(
        "Of the 66 respondents who answered, 100 per cent said the initial phase was professionally supported"
    ));
    // Wave 2 has the change table, with its heading.
    let parts2 = self::parts(&example_outputs().join("wave-2/summary.docx"));
    let all2 = paragraphs(&parts2["word/document.xml"]).join("\n");
    assert!(all2.contains("Change since Autumn 2025"));
    assert!(!all.contains("Change since"));
}
