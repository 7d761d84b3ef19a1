//! A wave's tables as Parquet, for DuckDB, Polars and Spark (`[output] parquet = true` or
//! `run --parquet`): the respondent-level table and the items, choices, numbers, rankings,
//! scales, segments, crosstabs and themes tables, each at `parquet/<table>/wave=<name>/part-0.parquet` below the pipeline's output
//! folder (hive partitioning, so one glob reads every wave).
//!
//! Pure: bytes in memory, written by the runner. The bytes depend on
//! nothing but the figures: `created_by` is fixed (no version or time), one thread writes,
//! and rows are in the order of the CSV tables and of the export.
//!
//! What reaches the respondent table is what the analysis read: the hashed respondent key,
//! segment groups, the weight, item codes, scale scores, themes and sentiment. Never an
//! identifying column (ingest drops them, and an item, segment or question the survey lets
//! through with `allow_identifying = true` is left out here), never a comment's text.

use super::tables::{self, Cell, Table};
use crate::config::Survey;
use crate::score::respondents::Respondents;
use crate::score::ScoreReport;
use crate::themes::ThemeReport;
use parquet::basic::{Compression, LogicalType, Repetition, Type as Physical};
use parquet::column::writer::ColumnWriter;
use parquet::errors::ParquetError;
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::Type;
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

/// Everything the Parquet tables are made from.
pub struct ParquetInput<'a> {
    /// The survey, for item, scale and segment names.
    pub survey: &'a Survey,
    /// The wave's name: the `wave=<name>` partition of every table.
    pub wave_name: &'a str,
    /// The wave's scores.
    pub score: &'a ScoreReport,
    /// The wave's themes; `None` when the survey has no open question.
    pub themes: Option<&'a ThemeReport>,
    /// Every open question themed (the first is `themes`), for the themes table.
    pub open: &'a [super::OpenQuestion<'a>],
    /// Per kept response, its answer codes, scale scores and segment groups: the respondents table
    /// (with the hashed key, never an identifier).
    pub respondents: &'a Respondents,
}

/// The files, as paths relative to the output folder (`parquet/items/wave=wave-1/part-0.parquet`)
/// and bytes. A table without rows in this wave (no scales, no themes) has no file.
pub fn files(input: &ParquetInput) -> Result<Vec<(String, Vec<u8>)>, ParquetError> {
    let mut frames = vec![("respondents", respondents(input))];
    let mut aggregate = vec![
        tables::items(input.score),
        tables::choices(input.score),
        tables::numbers(input.score),
        tables::rankings(input.score),
        tables::scales(input.score),
        tables::segments(input.score),
        tables::crosstabs(input.score),
    ];
    if !input.open.is_empty() {
        aggregate.push(tables::open_themes(input.open));
    }
    frames.extend(aggregate.iter().map(|t| (t.name, from_table(t))));
    frames
        .into_iter()
        .filter(|(_, f)| f.rows > 0)
        .map(|(name, frame)| {
            let path = format!("parquet/{name}/wave={}/part-0.parquet", input.wave_name);
            Ok((path, frame.write()?))
        })
        .collect()
}

/// A column's values, one per row (`None`: null).
#[derive(Debug, Clone, PartialEq)]
enum Values {
    Int64(Vec<Option<i64>>),
    Int32(Vec<Option<i32>>),
    Double(Vec<Option<f64>>),
    Text(Vec<Option<String>>),
    /// A list of theme ids per row: `None` for a respondent without a comment, empty for a
    /// comment given no theme.
    Int32List(Vec<Option<Vec<i32>>>),
}

/// Named columns of equal length.
#[derive(Debug, Default)]
struct Frame {
    rows: usize,
    columns: Vec<(String, Values)>,
}

impl Frame {
    /// Adds a column; a name already taken gets `(kind)` after it (an item and a scale may
    /// share a name in a survey file, but not in a table).
    fn push(&mut self, name: &str, kind: &str, values: Values) {
        let taken = |n: &str| self.columns.iter().any(|(c, _)| c == n);
        let name = if taken(name) {
            format!("{name} ({kind})")
        } else {
            name.to_string()
        };
        self.columns.push((name, values));
    }

    fn schema(&self) -> Result<Type, ParquetError> {
        let optional = |name: &str, physical: Physical, logical: Option<LogicalType>| {
            Type::primitive_type_builder(name, physical)
                .with_repetition(Repetition::OPTIONAL)
                .with_logical_type(logical)
                .build()
        };
        let fields = self
            .columns
            .iter()
            .map(|(name, values)| {
                Ok(Arc::new(match values {
                    Values::Int64(_) => optional(name, Physical::INT64, None)?,
                    Values::Int32(_) => optional(name, Physical::INT32, None)?,
                    Values::Double(_) => optional(name, Physical::DOUBLE, None)?,
                    Values::Text(_) => {
                        optional(name, Physical::BYTE_ARRAY, Some(LogicalType::String))?
                    }
                    // The standard three-level list: `optional group (LIST) { repeated group
                    // list { required int32 element } }`, which DuckDB reads as INTEGER[].
                    Values::Int32List(_) => {
                        let element = Type::primitive_type_builder("element", Physical::INT32)
                            .with_repetition(Repetition::REQUIRED)
                            .build()?;
                        let list = Type::group_type_builder("list")
                            .with_repetition(Repetition::REPEATED)
                            .with_fields(vec![Arc::new(element)])
                            .build()?;
                        Type::group_type_builder(name)
                            .with_repetition(Repetition::OPTIONAL)
                            .with_logical_type(Some(LogicalType::List))
                            .with_fields(vec![Arc::new(list)])
                            .build()?
                    }
                }))
            })
            .collect::<Result<Vec<_>, ParquetError>>()?;
        Type::group_type_builder("schema")
            .with_fields(fields)
            .build()
    }

    fn write(&self) -> Result<Vec<u8>, ParquetError> {
        // A fixed `created_by` (the default names the crate's version): a library update must
        // not change the bytes `verify` compares.
        let props = WriterProperties::builder()
            .set_created_by("canvass".to_string())
            .set_compression(Compression::SNAPPY)
            .build();
        let mut out = Vec::new();
        let mut writer =
            SerializedFileWriter::new(&mut out, Arc::new(self.schema()?), Arc::new(props))?;
        let mut group = writer.next_row_group()?;
        for (_, values) in &self.columns {
            let Some(mut column) = group.next_column()? else {
                return Err(ParquetError::General("schema has fewer columns".into()));
            };
            write_values(column.untyped(), values)?;
            column.close()?;
        }
        group.close()?;
        writer.close()?;
        Ok(out)
    }
}

/// Definition levels of an optional column: 1 where there is a value, 0 for null.
fn present<T>(values: &[Option<T>]) -> Vec<i16> {
    values.iter().map(|v| i16::from(v.is_some())).collect()
}

fn write_values(column: &mut ColumnWriter, values: &Values) -> Result<(), ParquetError> {
    let mismatch = || ParquetError::General("column type does not match its values".into());
    match (column, values) {
        (ColumnWriter::Int64ColumnWriter(w), Values::Int64(v)) => {
            let data: Vec<i64> = v.iter().flatten().copied().collect();
            w.write_batch(&data, Some(&present(v)), None)?;
        }
        (ColumnWriter::Int32ColumnWriter(w), Values::Int32(v)) => {
            let data: Vec<i32> = v.iter().flatten().copied().collect();
            w.write_batch(&data, Some(&present(v)), None)?;
        }
        (ColumnWriter::DoubleColumnWriter(w), Values::Double(v)) => {
            let data: Vec<f64> = v.iter().flatten().copied().collect();
            w.write_batch(&data, Some(&present(v)), None)?;
        }
        (ColumnWriter::ByteArrayColumnWriter(w), Values::Text(v)) => {
            let data: Vec<parquet::data_type::ByteArray> = v
                .iter()
                .flatten()
                .map(|s| s.as_bytes().to_vec().into())
                .collect();
            w.write_batch(&data, Some(&present(v)), None)?;
        }
        (ColumnWriter::Int32ColumnWriter(w), Values::Int32List(v)) => {
            // Definition: 0 null list, 1 empty list, 2 an element; repetition: 0 starts a
            // row's list, 1 continues it.
            let (mut data, mut def, mut rep) = (Vec::new(), Vec::new(), Vec::new());
            for list in v {
                match list {
                    None => {
                        def.push(0);
                        rep.push(0);
                    }
                    Some(l) if l.is_empty() => {
                        def.push(1);
                        rep.push(0);
                    }
                    Some(l) => {
                        for (i, &x) in l.iter().enumerate() {
                            data.push(x);
                            def.push(2);
                            rep.push(i16::from(i > 0));
                        }
                    }
                }
            }
            w.write_batch(&data, Some(&def), Some(&rep))?;
        }
        _ => return Err(mismatch()),
    }
    Ok(())
}

/// The respondent-level table: one row per kept response, in the export's order.
fn respondents(input: &ParquetInput) -> Frame {
    let (survey, r) = (input.survey, input.respondents);
    let n = r.len();
    let mut frame = Frame {
        rows: n,
        columns: Vec::new(),
    };
    frame.push(
        "respondent",
        "key",
        Values::Text(r.keys.iter().map(|k| Some(k.clone())).collect()),
    );
    for (s, seg) in survey.segments.iter().enumerate() {
        if seg.allow_identifying {
            continue;
        }
        let groups = (0..n).map(|row| Some(r.group(row, s).to_string()));
        frame.push(&seg.name, "segment", Values::Text(groups.collect()));
    }
    if let Some(w) = &r.weights {
        frame.push(
            "weight",
            "weight",
            Values::Double(w.iter().copied().map(Some).collect()),
        );
    }
    push_items(&mut frame, input);
    push_scales(&mut frame, input);
    push_themes(&mut frame, input);
    frame
}

/// Each item's codes, but an item the survey lets through as identifying.
fn push_items(frame: &mut Frame, input: &ParquetInput) {
    let (survey, r, n) = (input.survey, input.respondents, input.respondents.len());
    for (i, item) in survey.items.iter().enumerate() {
        if item.allow_identifying {
            continue;
        }
        let codes = (0..n).map(|row| r.code(row, i));
        // Whole-number codes (nearly every scale) as integers, as an analyst would type them.
        let whole = survey
            .response_scale(&item.scale)
            .map(|s| (0..s.labels.len()).all(|o| is_i32(s.code(o))))
            .unwrap_or(false);
        let values = if whole {
            Values::Int32(codes.map(|c| c.map(|c| c as i32)).collect())
        } else {
            Values::Double(codes.collect())
        };
        frame.push(&item.id, "item", values);
    }
}

/// Each scale's score; a scale of an item the survey lets through as identifying is left out
/// with the item.
fn push_scales(frame: &mut Frame, input: &ParquetInput) {
    let (survey, r, n) = (input.survey, input.respondents, input.respondents.len());
    let hidden: BTreeSet<&str> = survey
        .items
        .iter()
        .filter(|i| i.allow_identifying)
        .map(|i| i.id.as_str())
        .collect();
    for (s, scale) in survey.scales.iter().enumerate() {
        if scale
            .parsed_items()
            .iter()
            .any(|i| hidden.contains(i.id.as_str()))
        {
            continue;
        }
        let scores = (0..n).map(|row| r.scale_scores[row * r.scales + s]);
        frame.push(&scale.name, "scale", Values::Double(scores.collect()));
    }
}

/// Each respondent's themes (and sentiment, when computed), unless the open question is one
/// the survey lets through as identifying.
fn push_themes(frame: &mut Frame, input: &ParquetInput) {
    let keys = &input.respondents.keys;
    let text_identifying = input
        .survey
        .text
        .first()
        .is_some_and(|t| t.allow_identifying);
    if let Some(t) = input.themes.filter(|_| !text_identifying) {
        // Only what the columns need, read in one pass over the comments.
        let by_key: HashMap<String, (Vec<usize>, Option<f64>)> = (t.assignments.stream())
            .map(|a| {
                let a = a.into_owned();
                (a.respondent, (a.themes, a.sentiment))
            })
            .collect();
        let of = |key: &String| by_key.get(key.as_str());
        frame.push(
            "themes",
            "themes",
            Values::Int32List(
                keys.iter()
                    .map(|x| of(x).map(|(themes, _)| themes.iter().map(|&t| t as i32).collect()))
                    .collect(),
            ),
        );
        if t.sentiment_direction.is_some() {
            frame.push(
                "sentiment",
                "sentiment",
                Values::Double(
                    keys.iter()
                        .map(|x| of(x).and_then(|&(_, sentiment)| sentiment))
                        .collect(),
                ),
            );
        }
    }
}

fn is_i32(v: f64) -> bool {
    v.fract() == 0.0 && v >= f64::from(i32::MIN) && v <= f64::from(i32::MAX)
}

/// A report table as a frame: the same rows and columns as its CSV, figures at full precision
/// (the CSV rounds them), text as it is (without the CSV's `'` before formula-like text: a
/// Parquet reader runs no formula). A column's type follows its cells: counts are INT64,
/// figures DOUBLE, text STRING; a column that mixes counts and figures is DOUBLE, one with
/// text and figures STRING (as the CSV shows them), and one no row fills DOUBLE.
fn from_table(t: &Table) -> Frame {
    let mut frame = Frame {
        rows: t.rows.len(),
        columns: Vec::new(),
    };
    let rows: Vec<_> = t.rows.iter().collect();
    for (c, name) in t.header.iter().enumerate() {
        let cells: Vec<&Cell> = rows
            .iter()
            .map(|r| r.get(c).unwrap_or(&Cell::Empty))
            .collect();
        let has = |f: fn(&Cell) -> bool| cells.iter().any(|x| f(x));
        let text = has(|x| matches!(x, Cell::Text(_)));
        let number = has(|x| matches!(x, Cell::Number { .. }));
        let count = has(|x| matches!(x, Cell::Count(_)));
        let values = if text {
            Values::Text(
                cells
                    .iter()
                    .map(|x| match x {
                        Cell::Text(s) => Some(s.clone()),
                        Cell::Empty => None,
                        other => Some(other.csv()),
                    })
                    .collect(),
            )
        } else if count && !number {
            Values::Int64(
                cells
                    .iter()
                    .map(|x| match x {
                        Cell::Count(n) => i64::try_from(*n).ok(),
                        _ => None,
                    })
                    .collect(),
            )
        } else {
            Values::Double(
                cells
                    .iter()
                    .map(|x| match x {
                        Cell::Count(n) => Some(*n as f64),
                        Cell::Number { value, .. } => Some(*value),
                        _ => None,
                    })
                    .collect(),
            )
        };
        frame.push(name, "column", values);
    }
    frame
}

#[cfg(test)]
mod tests {
    use super::*;
    use parquet::file::reader::{FileReader, SerializedFileReader};
    use parquet::record::Field;

    fn read(bytes: Vec<u8>) -> Vec<Vec<(String, Field)>> {
        let mut file = tempfile::tempfile().unwrap();
        std::io::Write::write_all(&mut file, &bytes).unwrap();
        let reader = SerializedFileReader::new(file).unwrap();
        reader
            .get_row_iter(None)
            .unwrap()
            .map(|r| {
                r.unwrap()
                    .get_column_iter()
                    .map(|(n, f)| (n.clone(), f.clone()))
                    .collect()
            })
            .collect()
    }

    #[test]
    fn nulls_lists_and_types_read_back() {
        let frame = Frame {
            rows: 3,
            columns: vec![
                ("n".into(), Values::Int64(vec![Some(3), None, Some(-1)])),
                ("x".into(), Values::Double(vec![None, Some(0.5), Some(2.0)])),
                (
                    "s".into(),
                    Values::Text(vec![Some("a".into()), None, Some("".into())]),
                ),
                (
                    "themes".into(),
                    Values::Int32List(vec![None, Some(vec![]), Some(vec![2, 5])]),
                ),
            ],
        };
        let rows = read(frame.write().unwrap());
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0][0].1, Field::Long(3));
        assert_eq!(rows[1][0].1, Field::Null);
        assert_eq!(rows[1][1].1, Field::Double(0.5));
        assert_eq!(rows[0][2].1, Field::Str("a".into()));
        assert_eq!(rows[1][2].1, Field::Null);
        assert_eq!(rows[2][2].1, Field::Str("".into()));
        assert_eq!(rows[0][3].1, Field::Null);
        assert_eq!(rows[1][3].1.to_string(), "[]");
        assert_eq!(rows[2][3].1.to_string(), "[2, 5]");
    }

    #[test]
    fn same_frame_same_bytes() {
        let frame = || Frame {
            rows: 2,
            columns: vec![("x".into(), Values::Double(vec![Some(1.0), None]))],
        };
        assert_eq!(frame().write().unwrap(), frame().write().unwrap());
    }

    #[test]
    fn table_columns_take_the_type_of_their_cells() {
        let t = Table {
            name: "t",
            header: vec!["id".into(), "n".into(), "pct".into(), "none".into()],
            rows: tables::Rows::Built(vec![
                vec![
                    Cell::Text("=a".into()),
                    Cell::Count(4),
                    Cell::Number {
                        value: 1.0 / 3.0,
                        decimals: 4,
                        kind: tables::Kind::Percent,
                    },
                    Cell::Empty,
                ],
                vec![
                    Cell::Text("b".into()),
                    Cell::Empty,
                    Cell::Count(2),
                    Cell::Empty,
                ],
            ]),
        };
        let f = from_table(&t);
        // Formula-like text is not quoted; the figure keeps its full precision.
        assert_eq!(
            f.columns[0].1,
            Values::Text(vec![Some("=a".into()), Some("b".into())])
        );
        assert_eq!(f.columns[1].1, Values::Int64(vec![Some(4), None]));
        assert_eq!(
            f.columns[2].1,
            Values::Double(vec![Some(1.0 / 3.0), Some(2.0)])
        );
        assert_eq!(f.columns[3].1, Values::Double(vec![None, None]));
    }

    #[test]
    fn a_name_taken_gets_its_kind() {
        let mut f = Frame::default();
        f.push("trust", "item", Values::Int32(vec![]));
        f.push("trust", "scale", Values::Double(vec![]));
        assert_eq!(f.columns[1].0, "trust (scale)");
    }
}
