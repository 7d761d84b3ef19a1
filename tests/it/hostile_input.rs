//! Comments written to attack whatever opens the report — script tags, spreadsheet formulas,
//! control characters, a 500-character word, right-to-left text, emoji, `]]>` — run through the
//! real binary and read back from every format: escaped in HTML, inert in Markdown, quoted in
//! CSV, text in XLSX, escaped and well-formed in DOCX.

use crate::common::*;
use calamine::{open_workbook, Reader, Xlsx};
use resvg::usvg::roxmltree;
use std::io::Read;
use std::path::Path;

/// Each hostile comment, and a part of it that must reach the outputs unchanged (redaction
/// may rewrite the rest: the themes stage replaces a URL with `[url]`).
fn hostile() -> Vec<(String, String)> {
    let long = "Supercalifragilistic".repeat(25);
    assert_eq!(long.chars().count(), 500);
    [
        ("<script>alert(1)</script>", "<script>alert(1)</script>"),
        (
            "<img src=x onerror=alert(1)>",
            "<img src=x onerror=alert(1)>",
        ),
        ("=HYPERLINK(\"http://evil\",\"x\")", "=HYPERLINK("),
        ("+cmd|' /C calc'!A0", "+cmd|' /C calc'!A0"),
        ("-2+3", "-2+3"),
        ("@SUM(A1)", "@SUM(A1)"),
        ("\tTabbed start of a comment", "Tabbed start of a comment"),
        ("\rCarriage return start", "Carriage return start"),
        (long.as_str(), long.as_str()),
        ("التدريب كان مفيدا جدا", "التدريب كان مفيدا جدا"),
        (
            "Great support 👍🏽🎉 from the team",
            "Great support 👍🏽🎉 from the team",
        ),
        (
            "our staff & the r&d team said ]]> is fine",
            "our staff & the r&d team said ]]> is fine",
        ),
    ]
    .iter()
    .map(|(c, p)| (c.to_string(), p.to_string()))
    .collect()
}

/// Comments per wave: at most three, so that the themes stage lists every one of them in the
/// summaries (fewer than four are too few to group), instead of quoting a few.
const PER_WAVE: usize = 3;

/// A pipeline over copies of the example's first export, one wave per three hostile comments;
/// every other comment is removed.
fn hostile_pipeline(dir: &Path) -> Vec<String> {
    let path = repo().join("surveys/aspire-pilot/exports/wave-1.csv");
    let records: Vec<Vec<String>> = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(path)
        .unwrap()
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    let col = |name: &str| records[0].iter().position(|c| c == name).unwrap();
    let (q4, status) = (col("Q4"), col("Status"));
    let comments = hostile();
    let mut pipeline = format!(
        "name = \"hostile\"\nsurvey = {:?}\noutput = \"out\"\n",
        repo()
            .join("surveys/aspire-pilot/survey.toml")
            .display()
            .to_string()
    );
    let mut waves = Vec::new();
    for (w, chunk) in comments.chunks(PER_WAVE).enumerate() {
        let mut records = records.clone();
        let mut chunk = chunk.iter();
        // Three header rows (Qualtrics); comments go to kept responses ("IP Address").
        for r in records[3..].iter_mut() {
            let take = r[status] == "IP Address" && !r[q4].is_empty();
            r[q4] = match take.then(|| chunk.next()).flatten() {
                Some((c, _)) => c.clone(),
                None => String::new(),
            };
        }
        assert!(chunk.next().is_none(), "every comment was placed");
        let name = format!("wave-{}", w + 1);
        let export = dir.join(format!("{name}.csv"));
        let mut out = csv::Writer::from_path(&export).unwrap();
        for r in &records {
            out.write_record(r).unwrap();
        }
        out.flush().unwrap();
        pipeline.push_str(&format!(
            "\n[[waves]]\nname = \"{name}\"\nexport = \"{name}.csv\"\n"
        ));
        waves.push(name);
    }
    std::fs::write(dir.join("pipeline.toml"), pipeline).unwrap();
    waves
}

fn docx_document(path: &Path) -> String {
    let file = std::fs::File::open(path).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    xml
}

/// What a formula-running spreadsheet would treat as a formula or a control.
fn formula_like(s: &str) -> bool {
    s.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

#[test]
fn hostile_comments_are_text_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let waves = hostile_pipeline(dir.path());
    let o = canvass(&["run", dir.path().join("pipeline.toml").to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let comments = hostile();
    for (w, wave) in waves.iter().enumerate() {
        let out = dir.path().join("out").join(wave);
        let mine = &comments[w * PER_WAVE..((w + 1) * PER_WAVE).min(comments.len())];

        // HTML: no tag from a respondent; each comment there as escaped text.
        let html = std::fs::read_to_string(out.join("summary.html")).unwrap();
        assert!(
            !html.contains("<script") && !html.contains("<img"),
            "{wave}"
        );
        let html_text = unescape_html(&html);
        // Markdown: no tag either (a viewer would run one); the text as entities.
        let md = std::fs::read_to_string(out.join("summary.md")).unwrap();
        assert!(!md.contains("<script") && !md.contains("<img"), "{wave}");
        // A Markdown viewer shows `\|` (a `|` that does not end a table cell) as `|`.
        let md_text = unescape_html(&md).replace("\\|", "|");
        // DOCX: document.xml parses, holds no raw `<script` and no `]]>` outside escaping,
        // and its text (as an XML parser reads it) has the comment.
        let xml = docx_document(&out.join("summary.docx"));
        let doc = roxmltree::Document::parse(&xml)
            .unwrap_or_else(|e| panic!("{wave}: document.xml: {e}"));
        assert!(!xml.contains("<script") && !xml.contains("<img") && !xml.contains("]]>"));
        let docx_text: String = doc
            .descendants()
            .filter(|n| n.has_tag_name("t"))
            .filter_map(|n| n.text())
            .collect::<Vec<_>>()
            .join("\n");
        // CSV: the comment, quoted with ' where it starts like a formula.
        let (header, rows) = read_csv(&out.join("comments.csv"));
        let text = header.iter().position(|h| h == "text").unwrap();
        let csv_texts: Vec<&String> = rows.iter().map(|r| &r[text]).collect();
        assert!(
            csv_texts.iter().all(|t| !formula_like(t)),
            "{wave}: {csv_texts:?}"
        );
        // XLSX: the comments sheet holds strings and no formula anywhere.
        let mut book: Xlsx<_> = open_workbook(out.join("tables.xlsx")).unwrap();
        for name in book.sheet_names() {
            let formulas = book.worksheet_formula(&name).unwrap();
            assert!(
                formulas.used_cells().all(|(_, _, f)| f.is_empty()),
                "{name}"
            );
        }
        let sheet = book.worksheet_range("comments").unwrap();
        let xlsx_texts: Vec<String> = (1..sheet.height())
            .filter_map(|r| sheet.get((r, text)))
            .map(|d| match d {
                calamine::Data::String(s) => s.clone(),
                other => panic!("{wave}: a comment cell is not text: {other:?}"),
            })
            .collect();

        for (comment, probe) in mine {
            for (format, haystack) in [
                ("summary.html", &html_text),
                ("summary.md", &md_text),
                ("summary.docx", &docx_text),
            ] {
                assert!(
                    haystack.contains(probe.as_str()),
                    "{wave}: {format} lacks {probe:?}"
                );
            }
            let in_csv = csv_texts
                .iter()
                .find(|t| t.contains(probe.as_str()))
                .unwrap_or_else(|| panic!("{wave}: comments.csv lacks {probe:?}"));
            if formula_like(comment.trim_matches([' ', '\n'])) && formula_like(probe) {
                assert!(in_csv.starts_with('\''), "{wave}: {in_csv:?} is not quoted");
            }
            assert!(
                xlsx_texts.iter().any(|t| t.contains(probe.as_str())),
                "{wave}: tables.xlsx lacks {probe:?}"
            );
        }
    }
}

/// Text as a browser or Markdown viewer shows it: entities decoded, tags kept as they are (the
/// callers check there are none from respondents).
fn unescape_html(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&#x2f;", "/")
        .replace("&amp;", "&")
}
