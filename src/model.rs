//! Types shared by several stages. Stage-specific artefacts live with their stage.

use serde::{Deserialize, Serialize};

/// Which survey tool wrote an export. The names are the folder names under
/// `shared/fixtures/exports/` and the `format` key of `inspect --json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// Qualtrics: `ResponseId` and `StartDate`/`Status` columns, or an `ImportId` header row (usually
    /// three header rows: column id, question text, `{"ImportId": …}`).
    Qualtrics,
    /// SurveyMonkey: `Respondent ID` and `Collector ID`; two header rows (question, then option).
    Surveymonkey,
    /// Google Forms: one header row of question texts, `Timestamp` first.
    GoogleForms,
    /// Microsoft Forms: `ID` first, with `Start time` and `Completion time`.
    MicrosoftForms,
    /// LimeSurvey: `submitdate` and `lastpage` (or `Response ID`, `Date submitted`); `N/A` marks a
    /// question not shown.
    Limesurvey,
    /// REDCap: `record_id`, `redcap_event_name` or `…_complete` instrument columns.
    Redcap,
    /// KoboToolbox: `_uuid` / `_submission_time` columns; repeat groups sit on sheets of their own.
    Kobotoolbox,
    /// SurveyCTO: `SubmissionDate` with `KEY` or `instanceID`.
    Surveycto,
    /// Typeform: `#` (the response token) first, with `Network ID` or `Submit Date (UTC)`.
    Typeform,
    /// Any other CSV or spreadsheet (what detection falls back to); the survey file names the columns.
    Generic,
}

impl Format {
    /// The kebab-case name used in fixture folder names, `inspect --json`'s `format` and the
    /// manifest's `inputs[].format`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Qualtrics => "qualtrics",
            Format::Surveymonkey => "surveymonkey",
            Format::GoogleForms => "google-forms",
            Format::MicrosoftForms => "microsoft-forms",
            Format::Limesurvey => "limesurvey",
            Format::Redcap => "redcap",
            Format::Kobotoolbox => "kobotoolbox",
            Format::Surveycto => "surveycto",
            Format::Typeform => "typeform",
            Format::Generic => "generic",
        }
    }

    /// What the tool writes in place of an answer to a question it did not show.
    pub fn not_shown_marker(self) -> Option<&'static str> {
        match self {
            Format::Limesurvey => Some("N/A"),
            // KoboToolbox's legacy export and Ona's, for a question its relevance hid.
            Format::Kobotoolbox => Some("n/a"),
            _ => None,
        }
    }

    /// The format whose [`Format::name`] is `s`; `None` for an unknown name.
    pub fn parse(s: &str) -> Option<Format> {
        ALL_FORMATS.iter().copied().find(|f| f.name() == s)
    }
}

/// Every format, in declaration order; [`Format::parse`] looks names up here.
pub const ALL_FORMATS: [Format; 10] = [
    Format::Qualtrics,
    Format::Surveymonkey,
    Format::GoogleForms,
    Format::MicrosoftForms,
    Format::Limesurvey,
    Format::Redcap,
    Format::Kobotoolbox,
    Format::Surveycto,
    Format::Typeform,
    Format::Generic,
];

/// What a column is for. Identifier columns never leave ingest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ColumnRole {
    /// Names, e-mail addresses, IP addresses, locations, recipient fields: dropped at ingest.
    Identifier,
    /// Tool metadata that cleaning needs (status, progress, finished flag, dates, channel).
    Metadata,
    /// A question's answers.
    Answer,
}

/// One column of an export, as the tool described it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Column {
    /// The column id in the export's first header row (e.g. `Q1_2`).
    pub name: String,
    /// The question text, where the tool writes one (Qualtrics row 2, SurveyMonkey row 1 …).
    pub question: String,
    /// Qualtrics' ImportId (`QID1_2`), where present.
    pub import_id: Option<String>,
    /// Whether the column is an identifier (dropped at ingest), tool metadata or an answer.
    pub role: ColumnRole,
}

/// The option a column of a question spread over a column per option stands for: the label
/// after the tools' " - " in its question text ("Which? - Teacher" is "Teacher") or its name,
/// else a grid row's name in brackets ("Why? [Family]"), else the column's name.
pub fn option_label(question: &str, name: &str) -> String {
    // Google Forms names a grid's row in brackets after the question: "Why …? [Family]".
    fn bracketed(t: &str) -> Option<&str> {
        let (_, row) = t.trim_end().strip_suffix(']')?.rsplit_once(" [")?;
        Some(row.trim())
    }
    question
        .rsplit_once(" - ")
        .or_else(|| name.rsplit_once(" - "))
        .map(|(_, label)| label.trim())
        .or_else(|| bracketed(question))
        .or_else(|| bracketed(name))
        .filter(|l| !l.is_empty())
        .unwrap_or(name)
        .to_string()
}

/// Facts about the file an export was read from, recorded in manifests and `inspect`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceInfo {
    /// The export's path as given on the command line or in the pipeline file.
    pub file: String,
    /// SHA-256 of the file's bytes (lower-case hex), so a manifest pins exactly which export was
    /// read.
    pub sha256: String,
    /// The survey tool that wrote the file, detected or as the survey file says.
    pub format: Format,
    /// `utf-8`, `utf-8-bom`, `utf-16le`, `windows-1252`, or `xlsx` / `ods` … for workbooks.
    pub encoding: String,
    /// The field delimiter of a CSV/TSV export; `None` for workbooks and JSON.
    pub delimiter: Option<char>,
    /// How many header rows sit above the first data row (3 for Qualtrics, 2 for SurveyMonkey, else
    /// 1).
    pub header_rows: usize,
    /// Workbooks: the sheet read, and every sheet in the file (a KoboToolbox export keeps each
    /// repeat group on its own sheet), so that nothing is left unread without saying so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// Every sheet in a workbook, in file order; empty for CSV.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sheets: Vec<String>,
    /// The text the file writes for a blank cell, read as blank: R's `NA`, in a file that
    /// `write.csv` wrote (see `ingest::stream`'s `missing_marker`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub missing: Option<String>,
}

/// One response (a data row) with its identifiers removed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Response {
    /// 1-based line (CSV) or row (sheet) number in the export, so every row can be traced.
    pub row: usize,
    /// A stable, non-reversible respondent key: the first 64 bits, in hex, of the SHA-256 of
    /// the key column's value lower-cased (of `row N` when the survey names no key column, or
    /// the row's value is empty or a number Excel mangled).
    pub key: String,
    /// One value per kept column, in `ResponseTable::columns` order; empty means no answer.
    pub values: Cells,
}

/// A data row as cleaning and scoring read it: its line and its kept cells by index. Both an
/// owned `Response` and a row still in the reader's buffer (`ingest::RowView`) are rows, so the
/// streaming path does not build a `Response` for every row it reads.
pub trait Row {
    /// 1-based line (CSV) or row (sheet) number in the export.
    fn line(&self) -> usize;
    /// The cell of kept column `i`, exactly as the tool wrote it.
    fn value(&self, i: usize) -> &str;
    /// The bytes of kept column `i`'s cell (`value` without the checks a `str` slice makes,
    /// for code that looks at bytes only).
    #[inline]
    fn value_bytes(&self, i: usize) -> &[u8] {
        self.value(i).as_bytes()
    }
    /// The cell of kept column `i` as it may be shown to people: with the respondent's own
    /// identifying values scrubbed (a `Response` holds its answers scrubbed already).
    fn scrubbed(&self, i: usize) -> std::borrow::Cow<'_, str> {
        std::borrow::Cow::Borrowed(self.value(i))
    }
}

impl Row for Response {
    fn line(&self) -> usize {
        self.row
    }

    fn value(&self, i: usize) -> &str {
        &self.values[i]
    }
}

/// A row's cells in one buffer (a csv `StringRecord`), not a `String` each: a national survey is
/// tens of millions of cells, and one allocation per cell dominated ingest.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Cells(csv::StringRecord);

impl Cells {
    /// Empty cells with room for `fields` cells of `bytes` bytes in all, so reading a row does not
    /// reallocate.
    pub fn with_capacity(bytes: usize, fields: usize) -> Cells {
        Cells(csv::StringRecord::with_capacity(bytes, fields))
    }

    /// The cell at `i`, or "" past the end.
    pub fn get(&self, i: usize) -> &str {
        self.0.get(i).unwrap_or("")
    }

    /// Appends one cell after the last.
    pub fn push(&mut self, value: &str) {
        self.0.push_field(value);
    }
}

impl std::ops::Index<usize> for Cells {
    type Output = str;
    fn index(&self, i: usize) -> &str {
        &self.0[i]
    }
}

impl<S: AsRef<str>> FromIterator<S> for Cells {
    fn from_iter<I: IntoIterator<Item = S>>(iter: I) -> Cells {
        let mut record = csv::StringRecord::new();
        for v in iter {
            record.push_field(v.as_ref());
        }
        Cells(record)
    }
}

impl Serialize for Cells {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter())
    }
}

impl<'de> Deserialize<'de> for Cells {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Cells, D::Error> {
        Ok(Vec::<String>::deserialize(d)?.into_iter().collect())
    }
}

/// The ingest artefact: every data row of an export, identifiers removed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResponseTable {
    /// The file the table was read from.
    pub source: SourceInfo,
    /// The kept columns (metadata and answers).
    pub columns: Vec<Column>,
    /// Names of identifier columns that were read and dropped.
    pub dropped_identifiers: Vec<String>,
    /// Every data row in file order, excluded rows included (cleaning decides and says why).
    pub responses: Vec<Response>,
}

/// `n` in decimal, as `Display` writes it, into `buf`, without the formatting machinery: a
/// national survey writes a row number for every cell of its comments sheet and hashes one for
/// every row without a key.
pub fn decimal(mut n: u64, buf: &mut [u8; 20]) -> &[u8] {
    let mut start = buf.len();
    loop {
        start -= 1;
        buf[start] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    &buf[start..]
}

/// `str::trim`, without its Unicode scan for the usual cell, which starts and ends with a
/// visible ASCII character (rules read a few cells of every row).
#[inline]
pub fn trim_cell(v: &str) -> &str {
    match v.as_bytes() {
        [first, .., last] if first.is_ascii_graphic() && last.is_ascii_graphic() => v,
        [only] if only.is_ascii_graphic() => v,
        _ => v.trim(),
    }
}

/// Index of the column a survey file names: by export column id, then Qualtrics ImportId, then
/// exact question text, then column id ignoring case. Every stage finds its columns this way.
/// `None` when no column matches any of the four; callers report the survey key that named it.
pub fn find_column(columns: &[Column], wanted: &str) -> Option<usize> {
    let by = |f: &dyn Fn(&Column) -> bool| columns.iter().position(f);
    by(&|c| c.name == wanted)
        .or_else(|| by(&|c| c.import_id.as_deref() == Some(wanted)))
        .or_else(|| by(&|c| c.question == wanted))
        .or_else(|| by(&|c| c.name.eq_ignore_ascii_case(wanted)))
}

/// `find_column` for many lookups in the same columns: each is a hash lookup instead of a walk
/// over the columns, so finding a survey's items in a wide export (50,000 columns, as many
/// items) takes time in proportion to the columns, not to their square.
pub struct ColumnIndex<'a> {
    name: rustc_hash::FxHashMap<&'a str, usize>,
    import_id: rustc_hash::FxHashMap<&'a str, usize>,
    question: rustc_hash::FxHashMap<&'a str, usize>,
    /// Names in ASCII lower case, for the lookup that ignores case.
    folded: rustc_hash::FxHashMap<String, usize>,
}

impl<'a> ColumnIndex<'a> {
    /// Indexes columns given as (name, ImportId, question text), in export order.
    pub fn new(columns: impl Iterator<Item = (&'a str, Option<&'a str>, &'a str)>) -> Self {
        let mut index = ColumnIndex {
            name: Default::default(),
            import_id: Default::default(),
            question: Default::default(),
            folded: Default::default(),
        };
        for (i, (name, import_id, question)) in columns.enumerate() {
            // The first column of a name wins, as `position` finds it.
            index.name.entry(name).or_insert(i);
            if let Some(id) = import_id {
                index.import_id.entry(id).or_insert(i);
            }
            index.question.entry(question).or_insert(i);
            index.folded.entry(name.to_ascii_lowercase()).or_insert(i);
        }
        index
    }

    /// Indexes a table's columns.
    pub fn of(columns: &'a [Column]) -> Self {
        Self::new(
            columns
                .iter()
                .map(|c| (c.name.as_str(), c.import_id.as_deref(), c.question.as_str())),
        )
    }

    /// As `find_column`: by name, then ImportId, then question text, then name in any case.
    pub fn find(&self, wanted: &str) -> Option<usize> {
        self.name
            .get(wanted)
            .or_else(|| self.import_id.get(wanted))
            .or_else(|| self.question.get(wanted))
            .or_else(|| self.folded.get(&wanted.to_ascii_lowercase()))
            .copied()
    }

    /// The first column that `wanted` names by name, ImportId or question text, whichever of
    /// the three it matches.
    pub fn first_named(&self, wanted: &str) -> Option<usize> {
        [&self.name, &self.import_id, &self.question]
            .iter()
            .filter_map(|by| by.get(wanted).copied())
            .min()
    }
}

/// "Yes" of a ticked option, in the languages tools export their labels in, and the mark a
/// form builder writes in a ticked option's column (Drupal Webform's "X").
pub const TICKED: [&str; 14] = [
    "y", "yes", "1", "oui", "ja", "sí", "sì", "si", "sim", "true", "checked", "x", "✓", "✔",
];

/// "No" of an unticked or unshown option, in the same languages.
pub const UNTICKED: [&str; 9] = ["n", "no", "0", "non", "nein", "nee", "não", "nao", "false"];

/// Where an item's answer is read: its column, or a column per option of which the one filled
/// holds the answer (a rating question in SurveyMonkey's expanded download, `option_columns`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemSource {
    /// The item's own column.
    Column(usize),
    /// One column per option, in the order the options were shown, each with the option it
    /// stands for (`option_label`) and that option's `label_key`, made once, not per row.
    Options(Vec<(usize, String, String)>),
}

/// Why an item's columns could not be resolved: a column not found, or one named twice
/// (directly or by another of its names), which would make every respondent who chose it
/// look as if they had chosen two options.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unresolved<'w> {
    /// No column has this name, ImportId or question text.
    Missing(&'w str),
    /// This entry names a column an earlier entry named.
    Twice(&'w str),
}

/// A response's answer to an item, where the tool wrote it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer<'s> {
    /// The text of this column's cell (blank: no answer).
    Cell(usize),
    /// This option, whose column (the first field) holds a tick ("1", "X", "Yes") rather than
    /// its label.
    Option(usize, &'s str),
}

impl ItemSource {
    /// Resolves an item's columns (`Item::read_columns`) by name, ImportId or question text.
    pub fn of<'w>(
        columns: &[Column],
        index: &ColumnIndex,
        wanted: &[&'w str],
    ) -> std::result::Result<ItemSource, Unresolved<'w>> {
        if let [one] = wanted {
            return index
                .find(one)
                .map(ItemSource::Column)
                .ok_or(Unresolved::Missing(one));
        }
        let mut options: Vec<(usize, String, String)> = Vec::with_capacity(wanted.len());
        for w in wanted {
            let at = index.find(w).ok_or(Unresolved::Missing(w))?;
            if options.iter().any(|(c, _, _)| *c == at) {
                return Err(Unresolved::Twice(w));
            }
            let option = option_label(&columns[at].question, &columns[at].name);
            let key = label_key(&option);
            options.push((at, option, key));
        }
        Ok(ItemSource::Options(options))
    }

    /// Where a response's answer is: the item's own column, or its one chosen option — the
    /// column that holds the option's label (or other text, to be reported), or a tick for
    /// it. None when no option was chosen, or two (two answers to one rating are no answer).
    #[inline]
    pub fn answer(&self, r: &impl Row) -> Option<Answer<'_>> {
        let options = match self {
            ItemSource::Column(c) => return Some(Answer::Cell(*c)),
            ItemSource::Options(options) => options,
        };
        let mut found = None;
        for (column, option, key) in options {
            let cell = r.value(*column).trim();
            if cell.is_empty() {
                continue;
            }
            let lower = cell.to_lowercase();
            let answer = if label_key(cell) == *key {
                Answer::Cell(*column)
            } else if TICKED.contains(&lower.as_str()) {
                Answer::Option(*column, option)
            } else if UNTICKED.contains(&lower.as_str()) {
                continue;
            } else {
                Answer::Cell(*column)
            };
            if found.replace(answer).is_some() {
                return None;
            }
        }
        found
    }

    /// A response's answer as the tool wrote it, or the option its tick stands for ("" when
    /// there is none).
    #[inline]
    pub fn value<'a>(&'a self, r: &'a impl Row) -> &'a str {
        match self.answer(r) {
            Some(Answer::Cell(c)) => r.value(c),
            Some(Answer::Option(_, option)) => option,
            None => "",
        }
    }
}

/// The place an English ordinal names: 2 of "2nd", 11 of "11th" (Google Forms writes a
/// ranking grid's columns so).
pub fn ordinal(v: &str) -> Option<u64> {
    let v = v.trim();
    let digits = v.bytes().take_while(u8::is_ascii_digit).count();
    let suffix = v[digits..].to_ascii_lowercase();
    let place: u64 = v[..digits].parse().ok()?;
    let expected = match (place % 100, place % 10) {
        (11..=13, _) => "th",
        (_, 1) => "st",
        (_, 2) => "nd",
        (_, 3) => "rd",
        _ => "th",
    };
    (suffix == expected).then_some(place)
}

/// "1 response" / "3 responses".
pub fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Compares labels the way a person would: ignoring case, spaces and punctuation
/// ("Strongly agree", "strongly-agree", "STRONGLY AGREE", "Don’t know" / "Don't know").
pub fn label_key(s: &str) -> String {
    if s.is_ascii() {
        // Byte by byte: for ASCII, `is_alphanumeric` and `to_lowercase` are their ASCII forms
        // (inference keys every distinct answer of a sample, comments included).
        return s
            .bytes()
            .filter(u8::is_ascii_alphanumeric)
            .map(|b| char::from(b.to_ascii_lowercase()))
            .collect();
    }
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_as_display_writes_them() {
        for n in [
            0,
            9,
            10,
            99,
            100,
            99_999,
            1_048_576,
            u64::from(u32::MAX),
            u64::MAX,
        ] {
            let mut buf = [0u8; 20];
            assert_eq!(decimal(n, &mut buf), n.to_string().as_bytes());
        }
    }

    #[test]
    fn ordinals_name_their_place() {
        for (v, place) in [
            ("1st", 1),
            ("2nd", 2),
            ("3RD", 3),
            ("4th", 4),
            ("11th", 11),
            ("22nd", 22),
        ] {
            assert_eq!(ordinal(v), Some(place), "{v}");
        }
        for v in ["1th", "2st", "11st", "first", "st", "3"] {
            assert_eq!(ordinal(v), None, "{v}");
        }
    }

    #[test]
    fn an_item_read_from_a_column_per_option_takes_the_one_filled() {
        let columns: Vec<Column> = ["Q1 - Never", "Q1 - Sometimes", "Q1 - Often"]
            .iter()
            .map(|n| Column {
                name: n.to_string(),
                question: n.to_string(),
                import_id: None,
                role: ColumnRole::Answer,
            })
            .collect();
        let index = ColumnIndex::of(&columns);
        let wanted = ["Q1 - Never", "Q1 - Sometimes", "Q1 - Often"];
        let source = ItemSource::of(&columns, &index, &wanted).unwrap();
        let options = ["Never", "Sometimes", "Often"];
        let expected = (0..3)
            .map(|i| (i, options[i].to_string(), label_key(options[i])))
            .collect();
        assert_eq!(source, ItemSource::Options(expected));
        let row = |cells: [&str; 3]| {
            let mut values = Cells::default();
            cells.iter().for_each(|c| values.push(c));
            Response {
                row: 2,
                key: String::new(),
                values,
            }
        };
        assert_eq!(source.value(&row(["", "Sometimes", ""])), "Sometimes");
        assert_eq!(source.value(&row(["", " ", "Often"])), "Often");
        // None filled, or two: no answer.
        assert_eq!(source.value(&row(["", "", ""])), "");
        assert_eq!(source.value(&row(["Never", "", "Often"])), "");
        // A tick stands for its column's option; a "no" or "0" is no choice.
        assert_eq!(source.value(&row(["0", "1", "0"])), "Sometimes");
        assert_eq!(source.value(&row(["", "", "X"])), "Often");
        assert_eq!(source.value(&row(["no", "", "Yes"])), "Often");
        let missing = ItemSource::of(&columns, &index, &["Q1 - Never", "Q1 - Always"]);
        assert_eq!(missing, Err(Unresolved::Missing("Q1 - Always")));
        // A column named twice, here once by its name and once by its question text.
        let twice = ItemSource::of(&columns, &index, &["Q1 - Never", "q1 - never"]);
        assert_eq!(twice, Err(Unresolved::Twice("q1 - never")));
    }

    /// Expected: `find_column`'s own answers (a walk over the columns), for every way of naming
    /// a column, a name given twice, and a name in another case.
    #[test]
    fn column_index_finds_what_find_column_finds() {
        let column = |name: &str, question: &str, import_id: Option<&str>| Column {
            name: name.into(),
            question: question.into(),
            import_id: import_id.map(String::from),
            role: ColumnRole::Answer,
        };
        let columns = [
            column("Q1", "How satisfied?", Some("QID1")),
            column("Q2", "Q1", None),
            column("q3", "Anything else?", Some("QID3")),
            column("QID1", "Again", None),
            column("Q1", "Twice", None),
        ];
        let index = ColumnIndex::of(&columns);
        for wanted in [
            "Q1",
            "Q2",
            "QID1",
            "QID3",
            "How satisfied?",
            "Anything else?",
            "Q3",
            "q1",
            "Again",
            "Twice",
            "none",
        ] {
            assert_eq!(
                index.find(wanted),
                find_column(&columns, wanted),
                "{wanted}"
            );
        }
        // By name, ImportId or question, the first column of the three.
        assert_eq!(index.first_named("QID1"), Some(0));
        assert_eq!(index.first_named("Q1"), Some(0));
        assert_eq!(index.first_named("Anything else?"), Some(2));
    }
}
