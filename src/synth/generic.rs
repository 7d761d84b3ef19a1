//! A plain CSV, as a database or a home-made form writes it: one header row, an id, times, a
//! status (`complete`, `partial`, `preview`, `test`), progress in per cent, the e-mail address
//! and the answers.

use super::{civil, email, Kind, Plan, Row};

pub(super) const METADATA: [&str; 6] = [
    "respondent_id",
    "start",
    "end",
    "status",
    "progress",
    "email",
];

pub(super) fn header(plan: &Plan) -> Vec<Vec<String>> {
    let mut row: Vec<String> = METADATA.iter().map(|s| s.to_string()).collect();
    row[5] = plan.email_column("email").to_string();
    row.extend(plan.items.iter().map(|i| i.column.clone()));
    row.extend(
        plan.questions
            .iter()
            .flat_map(|q| q.columns.iter().cloned()),
    );
    row.extend(plan.segments.iter().map(|s| s.column.clone()));
    row.extend(plan.texts.iter().map(|t| t.column.clone()));
    vec![row]
}

fn iso(t: i64) -> String {
    let (y, mo, d, h, mi, s) = civil(t);
    format!("{y}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
}

pub(super) fn metadata(plan: &Plan, row: &Row, out: &mut Vec<String>) {
    let id = if plan.duplicate_ids {
        row.person
    } else {
        row.index
    };
    let status = match row.kind {
        Kind::Preview => "preview",
        Kind::Test => "test",
        Kind::Unfinished => "partial",
        Kind::Complete | Kind::Duplicate => "complete",
    };
    let tool_test = matches!(row.kind, Kind::Preview | Kind::Test);
    out.extend([
        (id + 1).to_string(),
        iso(row.start),
        iso(row.end()),
        status.to_string(),
        row.progress.to_string(),
        if tool_test {
            String::new()
        } else {
            email(row.person)
        },
    ]);
}
