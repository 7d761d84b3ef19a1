//! A question's assignments (one per comment): held in memory while the themes stage makes and
//! edits them, then, once the stage cache holds them in a file, set aside there and read back
//! row by row, in order, each time the report needs them. A national survey's comments are
//! about 360 bytes each in memory; the report's readers (comments.csv, the workbook's sheet,
//! themes.json, Parquet, the summaries) each need them once, in order, so none of them needs
//! them all at once.

use super::{sentiment::Tone, Assignment, CommentStatus};
use crate::codec::{Decoder, Encoder, Frames, Record};
use serde::ser::{Error as _, SerializeSeq};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Cow;
use std::io::BufReader;
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

/// Assignments kept in a file of rows (the stage cache's rows artefact, [`crate::codec`]'s form).
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
            frames: Frames::new(BufReader::with_capacity(1 << 16, file)),
            labels: Labels::default(),
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
    /// them as the stage cache's rows artefact does (in order, in [`crate::codec`]'s form).
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
        let mut frames = Frames::new(BufReader::with_capacity(1 << 16, file));
        let (mut comments, mut table_rows) = (0, 0);
        while let Some(row) = frames.next_row::<Assignment>() {
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
    frames: Frames<BufReader<std::fs::File>>,
    labels: Labels,
    aside: &'a SetAside,
    read: usize,
    done: bool,
}

/// The theme labels read so far: a theme's comments share its one label, as when held.
#[derive(Default)]
struct Labels(Vec<std::sync::Arc<str>>);

impl Labels {
    fn shared(&mut self, mut a: Assignment) -> Assignment {
        match self.0.iter().find(|l| **l == a.label) {
            Some(l) => a.label = l.clone(),
            // A question has a few dozen labels; a codebook's combinations are bounded too.
            None if self.0.len() < 256 => self.0.push(a.label.clone()),
            None => {}
        }
        a
    }
}

impl<'a> Iterator for FileRows<'a> {
    type Item = Cow<'a, Assignment>;

    fn next(&mut self) -> Option<Cow<'a, Assignment>> {
        if self.done {
            return None;
        }
        match self.frames.next_row::<Assignment>() {
            Some(Ok(a)) => {
                self.read += 1;
                return Some(Cow::Owned(self.labels.shared(a)));
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

/// A status's and a tone's byte in a row is its place in these lists (`status_byte` and
/// `tone_byte` match every variant, so a new one cannot be written without a place here).
const STATUSES: [CommentStatus; 6] = [
    CommentStatus::Coded,
    CommentStatus::Themed,
    CommentStatus::NonSubstantive,
    CommentStatus::Unthemed,
    CommentStatus::Learned,
    CommentStatus::HandCoded,
];
const TONES: [Option<Tone>; 4] = [
    None,
    Some(Tone::Positive),
    Some(Tone::Neutral),
    Some(Tone::Negative),
];

fn status_byte(s: CommentStatus) -> u8 {
    match s {
        CommentStatus::Coded => 0,
        CommentStatus::Themed => 1,
        CommentStatus::NonSubstantive => 2,
        CommentStatus::Unthemed => 3,
        CommentStatus::Learned => 4,
        CommentStatus::HandCoded => 5,
    }
}

fn tone_byte(t: Option<Tone>) -> u8 {
    match t {
        None => 0,
        Some(Tone::Positive) => 1,
        Some(Tone::Neutral) => 2,
        Some(Tone::Negative) => 3,
    }
}

impl Record for Assignment {
    fn encode(&self, out: &mut Encoder) {
        out.str(&self.respondent);
        out.u8(u8::from(self.theme.is_some()));
        out.u32(self.theme.unwrap_or(0));
        out.u64(self.themes.len() as u64);
        for &t in &self.themes {
            out.u64(t as u64);
        }
        out.str(&self.label);
        out.u8(status_byte(self.status));
        out.str(&self.text);
        out.f64_opt(self.sentiment);
        out.u8(tone_byte(self.tone));
        out.f64_opt(self.confidence);
        out.u8(u8::from(self.review));
    }

    fn decode(d: &mut Decoder) -> Option<Assignment> {
        let respondent = d.str()?.to_string();
        let theme = match (d.u8()?, d.u32()?) {
            (0, _) => None,
            (1, t) => Some(t),
            _ => return None,
        };
        let count = usize::try_from(d.u64()?).ok()?;
        // Each theme is 8 bytes: a count the row cannot hold is not believed.
        let mut themes = Vec::with_capacity(count.min(64));
        for _ in 0..count {
            themes.push(usize::try_from(d.u64()?).ok()?);
        }
        let label = d.str()?.into();
        let status = *STATUSES.get(usize::from(d.u8()?))?;
        let text = d.str()?.to_string();
        let sentiment = d.f64_opt()?;
        let tone = *TONES.get(usize::from(d.u8()?))?;
        let confidence = d.f64_opt()?;
        let review = match d.u8()? {
            0 => false,
            1 => true,
            _ => return None,
        };
        Some(Assignment {
            respondent,
            theme,
            themes,
            label,
            status,
            text,
            sentiment,
            tone,
            confidence,
            review,
        })
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

    /// The file as the stage cache writes it.
    fn framed(rows: &[Assignment]) -> Vec<u8> {
        let mut bytes = Vec::new();
        crate::codec::write_all(rows, &mut bytes).unwrap();
        bytes
    }

    fn set_aside_in(dir: &Path, bytes: &[u8]) -> Assignments {
        let path = dir.join("rows.rows");
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
        let aside = set_aside_in(dir.path(), &framed(&rows()));
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
        let counted = Assignments::in_file(&dir.path().join("rows.rows")).unwrap();
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
        let whole = framed(&rows());
        let cut = whole[..whole.len() - 5].to_vec();
        let two_rows = framed(&rows()[..2]);
        for bytes in [cut, two_rows] {
            let aside = set_aside_in(dir.path(), &bytes);
            assert_eq!(aside.failure(), None);
            let read = aside.stream().count();
            assert!(read < 3);
            assert!(aside.failure().is_some(), "{read} rows read, no failure");
            assert!(serde_json::to_vec(&aside).is_err());
        }
        let gone = set_aside_in(dir.path(), &whole);
        std::fs::remove_file(dir.path().join("rows.rows")).unwrap();
        assert_eq!(gone.stream().count(), 0);
        assert!(gone.failure().is_some());
        assert!(Assignments::in_file(&dir.path().join("rows.rows")).is_err());
    }

    /// Every status, tone and kind of float (those JSON cannot hold among them) reads back as
    /// itself from its row, and a row with a variant no build writes does not read at all.
    #[test]
    fn every_value_of_an_assignment_reads_back_from_its_row() {
        use crate::codec::Decoder;
        let base = rows().remove(1);
        let (statuses, tones) = (STATUSES, TONES);
        for (i, s) in STATUSES.into_iter().enumerate() {
            assert_eq!(usize::from(status_byte(s)), i, "{s:?}");
        }
        for (i, t) in TONES.into_iter().enumerate() {
            assert_eq!(usize::from(tone_byte(t)), i, "{t:?}");
        }
        let floats = [
            None,
            Some(-0.0),
            Some(1e-300),
            Some(f64::NAN),
            Some(f64::NEG_INFINITY),
        ];
        let bits = |v: Option<f64>| v.map(f64::to_bits);
        for (i, status) in statuses.into_iter().enumerate() {
            for (j, tone) in tones.into_iter().enumerate() {
                let a = Assignment {
                    status,
                    tone,
                    theme: (i % 2 == 0).then_some(u32::MAX),
                    themes: vec![usize::MAX; j],
                    sentiment: floats[(i + j) % floats.len()],
                    confidence: floats[(i + 2 * j) % floats.len()],
                    review: j % 2 == 1,
                    ..base.clone()
                };
                let mut out = Encoder::default();
                a.encode(&mut out);
                let bytes = out.take();
                let back = Assignment::decode(&mut Decoder::new(&bytes)).unwrap();
                assert_eq!(bits(back.sentiment), bits(a.sentiment));
                assert_eq!(bits(back.confidence), bits(a.confidence));
                let no_floats = |a: &Assignment| Assignment {
                    sentiment: None,
                    confidence: None,
                    ..a.clone()
                };
                assert_eq!(no_floats(&back), no_floats(&a));
            }
        }
        let mut out = Encoder::default();
        base.encode(&mut out);
        let mut bytes = out.take();
        // The status byte follows the respondent, theme, themes and label.
        let at = 8 + base.respondent.len() + 5 + 8 + 8 * base.themes.len() + 8 + base.label.len();
        assert_eq!(bytes[at], 0, "the status of a coded comment");
        bytes[at] = 9;
        assert!(Assignment::decode(&mut Decoder::new(&bytes)).is_none());
    }
}
