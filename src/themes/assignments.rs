//! A question's assignments (one per comment): held in memory while the themes stage makes and
//! edits them, then, once the stage cache holds them in a file, set aside there and read back
//! row by row, in order, each time the report needs them. A national survey's comments are
//! about 360 bytes each in memory; the report's readers (comments.csv, the workbook's sheet,
//! themes.json, Parquet, the summaries) each need them once, in order, so none of them needs
//! them all at once.

use super::Assignment;
use serde::ser::{Error as _, SerializeSeq};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Cow;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Every comment with its themes, in the export's order.
///
/// Dereferences to the rows held in memory, for the themes stage (which makes, reviews and
/// breaks them down) and the commands that read themes.json whole. Once [`set_aside`]
/// (only the runner does, after caching them, just before the report) nothing is in memory:
/// readers then use [`stream`], [`len`] and [`table_rows`], which hold in both cases.
///
/// [`set_aside`]: Assignments::set_aside
/// [`stream`]: Assignments::stream
/// [`len`]: Assignments::len
/// [`table_rows`]: Assignments::table_rows
#[derive(Debug, Clone, Default)]
pub struct Assignments {
    rows: Vec<Assignment>,
    aside: Option<Arc<SetAside>>,
}

/// Assignments kept in a file of JSON values, one per row (the stage cache's rows artefact).
#[derive(Debug)]
struct SetAside {
    path: PathBuf,
    comments: usize,
    table_rows: usize,
    /// The first read that failed: a reader that cannot return an error (a table's rows)
    /// stops there, and the report checks this before publishing anything.
    failure: Mutex<Option<String>>,
}

/// The rows of comments.csv an assignment makes: one per theme it is in, one when in none.
pub fn table_rows_of(a: &Assignment) -> usize {
    a.themes.len().max(1)
}

impl Assignments {
    /// How many comments.
    pub fn len(&self) -> usize {
        match &self.aside {
            Some(a) => a.comments,
            None => self.rows.len(),
        }
    }

    /// Whether there is no comment.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many rows comments.csv has for them (one per comment and theme it is in).
    pub fn table_rows(&self) -> usize {
        match &self.aside {
            Some(a) => a.table_rows,
            None => self.rows.iter().map(table_rows_of).sum(),
        }
    }

    /// Every assignment in order: borrowed from memory, or read from the file one at a time.
    /// A read that fails ends the rows early and is kept in [`failure`](Self::failure).
    pub fn stream(&self) -> Box<dyn Iterator<Item = Cow<'_, Assignment>> + '_> {
        let Some(aside) = &self.aside else {
            return Box::new(self.rows.iter().map(Cow::Borrowed));
        };
        let file = match std::fs::File::open(&aside.path) {
            Ok(f) => f,
            Err(e) => {
                aside.fail(format!("{}: {e}", aside.path.display()));
                return Box::new(std::iter::empty());
            }
        };
        Box::new(FileRows {
            lines: BufReader::with_capacity(1 << 16, file),
            line: Vec::new(),
            aside,
            read: 0,
            done: false,
        })
    }

    /// Why reading the set-aside rows failed, if it did.
    pub fn failure(&self) -> Option<String> {
        let aside = self.aside.as_ref()?;
        let failure = aside.failure.lock().unwrap_or_else(|p| p.into_inner());
        failure.clone()
    }

    /// Lets go of the rows in memory: from now on they are read from `path`, which holds
    /// them as the stage cache's rows artefact does (one JSON value per row, in order).
    /// Rows already set aside stay where they are.
    pub fn set_aside(&mut self, path: PathBuf) {
        if self.aside.is_some() {
            return;
        }
        let aside = SetAside {
            path,
            comments: self.rows.len(),
            table_rows: self.table_rows(),
            failure: Mutex::new(None),
        };
        self.rows = Vec::new();
        self.aside = Some(Arc::new(aside));
    }

    /// Assignments kept in `path` (as [`set_aside`](Self::set_aside) leaves them), read once
    /// to count them; an error says why the file does not read as assignments.
    pub fn in_file(path: &Path) -> std::result::Result<Assignments, String> {
        let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
        let rows = serde_json::Deserializer::from_reader(BufReader::with_capacity(1 << 16, file))
            .into_iter::<Assignment>();
        let (mut comments, mut table_rows) = (0, 0);
        for row in rows {
            let a = row.map_err(|e| e.to_string())?;
            comments += 1;
            table_rows += table_rows_of(&a);
        }
        Ok(Assignments {
            rows: Vec::new(),
            aside: Some(Arc::new(SetAside {
                path: path.to_path_buf(),
                comments,
                table_rows,
                failure: Mutex::new(None),
            })),
        })
    }
}

/// The rows of a set-aside file, read one at a time.
struct FileRows<'a> {
    /// The file, one JSON value a line (serde_json escapes line breaks within strings).
    lines: BufReader<std::fs::File>,
    /// The line being read, reused: parsing a slice is about twice as fast as parsing through
    /// a reader, and every comment is read back three times (CSV, workbook, themes.json).
    line: Vec<u8>,
    aside: &'a SetAside,
    read: usize,
    done: bool,
}

impl FileRows<'_> {
    /// The next row; `None` at the end of the file.
    fn next_row(&mut self) -> Option<Result<Assignment, String>> {
        self.line.clear();
        match self.lines.read_until(b'\n', &mut self.line) {
            Ok(0) => None,
            Ok(_) => Some(serde_json::from_slice(&self.line).map_err(|e| e.to_string())),
            Err(e) => Some(Err(e.to_string())),
        }
    }
}

impl<'a> Iterator for FileRows<'a> {
    type Item = Cow<'a, Assignment>;

    fn next(&mut self) -> Option<Cow<'a, Assignment>> {
        if self.done {
            return None;
        }
        match self.next_row() {
            Some(Ok(a)) => {
                self.read += 1;
                return Some(Cow::Owned(a));
            }
            Some(Err(e)) => self
                .aside
                .fail(format!("{}: {e}", self.aside.path.display())),
            // Fewer rows than were set aside is a failure too, not a shorter table.
            None if self.read != self.aside.comments => self.aside.fail(format!(
                "{}: ends after {} of {} rows",
                self.aside.path.display(),
                self.read,
                self.aside.comments
            )),
            None => {}
        }
        self.done = true;
        None
    }
}

impl SetAside {
    /// Keeps the first failure.
    fn fail(&self, why: String) {
        let mut failure = self.failure.lock().unwrap_or_else(|p| p.into_inner());
        failure.get_or_insert(why);
    }
}

impl From<Vec<Assignment>> for Assignments {
    fn from(rows: Vec<Assignment>) -> Assignments {
        Assignments { rows, aside: None }
    }
}

impl std::ops::Deref for Assignments {
    type Target = Vec<Assignment>;
    fn deref(&self) -> &Vec<Assignment> {
        &self.rows
    }
}

impl std::ops::DerefMut for Assignments {
    fn deref_mut(&mut self) -> &mut Vec<Assignment> {
        &mut self.rows
    }
}

/// Equal when they hold the same rows (set-aside ones: the same file, as long).
impl PartialEq for Assignments {
    fn eq(&self, other: &Assignments) -> bool {
        match (&self.aside, &other.aside) {
            (None, None) => self.rows == other.rows,
            (Some(a), Some(b)) => a.path == b.path && a.comments == b.comments,
            _ => false,
        }
    }
}

/// As the list of rows (the same bytes as a `Vec`), read from the file when set aside.
impl Serialize for Assignments {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.len()))?;
        for a in self.stream() {
            seq.serialize_element(a.as_ref())?;
        }
        if let Some(why) = self.failure() {
            return Err(S::Error::custom(format!(
                "the comments' themes could not be read back: {why}"
            )));
        }
        seq.end()
    }
}

impl<'de> Deserialize<'de> for Assignments {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Assignments, D::Error> {
        Vec::<Assignment>::deserialize(d).map(Assignments::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::themes::CommentStatus;

    fn rows() -> Vec<Assignment> {
        let row = |respondent: &str, themes: Vec<usize>, text: &str| Assignment {
            respondent: respondent.into(),
            theme: themes.first().map(|&t| t as u32),
            label: if themes.is_empty() {
                "(unthemed)"
            } else {
                "Pay"
            }
            .into(),
            status: match themes.is_empty() {
                true => CommentStatus::Unthemed,
                false => CommentStatus::Coded,
            },
            themes,
            text: text.into(),
            sentiment: Some(0.25),
            tone: None,
            confidence: None,
            review: false,
        };
        vec![
            row("a1", vec![1], "pay is low"),
            row("b2", vec![1, 2], "pay and \"hours\"\nboth"),
            row("c3", vec![], "é ü"),
        ]
    }

    /// The file as the stage cache writes it: one JSON value a line.
    fn json_lines(rows: &[Assignment]) -> Vec<u8> {
        rows.iter()
            .flat_map(|r| [serde_json::to_vec(r).unwrap(), b"\n".to_vec()].concat())
            .collect()
    }

    fn set_aside_in(dir: &Path, bytes: &[u8]) -> Assignments {
        let path = dir.join("rows.json");
        std::fs::write(&path, bytes).unwrap();
        let mut a = Assignments::from(rows());
        a.set_aside(path);
        a
    }

    /// Set aside, nothing stays in memory, and every reader sees the same rows, counts and
    /// JSON as from memory: the report's files are the same bytes either way.
    #[test]
    fn set_aside_rows_read_back_as_they_were_held() {
        let dir = tempfile::tempdir().unwrap();
        let held = Assignments::from(rows());
        let aside = set_aside_in(dir.path(), &json_lines(&rows()));
        assert!(aside.iter().next().is_none(), "rows still held in memory");
        assert_eq!((aside.len(), aside.table_rows()), (3, 4));
        assert_eq!((held.len(), held.table_rows()), (3, 4));
        let read: Vec<Assignment> = aside.stream().map(Cow::into_owned).collect();
        assert_eq!(read, rows());
        // Read again from the start: each reader has its own pass.
        assert_eq!(aside.stream().count(), 3);
        assert_eq!(
            serde_json::to_vec_pretty(&aside).unwrap(),
            serde_json::to_vec_pretty(&held).unwrap()
        );
        assert_eq!(aside.failure(), None);
        let counted = Assignments::in_file(&dir.path().join("rows.json")).unwrap();
        assert_eq!((counted.len(), counted.table_rows()), (3, 4));
        assert_eq!(counted.stream().count(), 3);
        // Setting aside again keeps them where they are.
        let mut again = aside.clone();
        again.set_aside(dir.path().join("elsewhere.json"));
        assert_eq!(again, aside);
    }

    /// A file that ends early or does not parse is a failure a reader of the rows can check,
    /// and themes.json is not written from it.
    #[test]
    fn a_file_that_does_not_read_back_whole_is_a_failure() {
        let dir = tempfile::tempdir().unwrap();
        let whole = json_lines(&rows());
        let cut = whole[..whole.len() - 5].to_vec();
        let two_rows = json_lines(&rows()[..2]);
        for bytes in [cut, two_rows] {
            let aside = set_aside_in(dir.path(), &bytes);
            assert_eq!(aside.failure(), None);
            let read = aside.stream().count();
            assert!(read < 3);
            assert!(aside.failure().is_some(), "{read} rows read, no failure");
            assert!(serde_json::to_vec(&aside).is_err());
        }
        let gone = set_aside_in(dir.path(), &whole);
        std::fs::remove_file(dir.path().join("rows.json")).unwrap();
        assert_eq!(gone.stream().count(), 0);
        assert!(gone.failure().is_some());
        assert!(Assignments::in_file(&dir.path().join("rows.json")).is_err());
    }
}
