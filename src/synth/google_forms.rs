//! Google Forms' CSV download: `Timestamp`, the e-mail address (a form that collects them),
//! then one column per question. Forms records submitted responses only, and marks nothing.

use super::{civil, email, Plan, Row};

pub(super) const EMAIL: &str = "Email Address";

pub(super) fn header(plan: &Plan) -> Vec<Vec<String>> {
    let mut row = vec![
        "Timestamp".to_string(),
        plan.email_column(EMAIL).to_string(),
    ];
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

/// `2025/10/06 9:03:12 AM GMT`, as the CSV download writes timestamps.
fn timestamp(t: i64) -> String {
    let (y, mo, d, h, mi, s) = civil(t);
    let (h12, half) = super::clock12(h);
    format!("{y}/{mo:02}/{d:02} {h12}:{mi:02}:{s:02} {half} GMT")
}

pub(super) fn metadata(_plan: &Plan, row: &Row, out: &mut Vec<String>) {
    out.extend([timestamp(row.end()), email(row.person)]);
}
