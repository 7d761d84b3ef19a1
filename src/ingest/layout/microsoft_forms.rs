//! Microsoft Forms: one header row, in the form's language ("ID, Start time, Completion time,
//! Email, Name" in English; "Id, Hora de inicio, Hora de finalización, Correo electrónico,
//! Nombre" in Spanish …). The first five columns are always the tool's: the response number, when
//! it was started and completed, and who answered (their e-mail and name, or "anonymous").
//! They take their roles by place, so a form in any language keeps its answers as answers.

use super::{generic, Header};
use crate::ingest::RawColumn;
use crate::model::ColumnRole;

/// The roles of Forms' own first columns, in order.
const TOOL_COLUMNS: [ColumnRole; 5] = [
    ColumnRole::Identifier,
    ColumnRole::Metadata,
    ColumnRole::Metadata,
    ColumnRole::Identifier,
    ColumnRole::Identifier,
];

pub(super) fn layout(h: &Header) -> (usize, Vec<RawColumn>) {
    let (rows, mut cols) = generic::layout(h);
    for (column, role) in cols.iter_mut().zip(TOOL_COLUMNS) {
        column.tool_role = Some(role);
    }
    (rows, cols)
}
