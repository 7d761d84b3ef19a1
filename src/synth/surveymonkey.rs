//! SurveyMonkey's CSV layout: two header rows (the question, then "Response" or the row of a
//! matrix), its metadata columns first. SurveyMonkey marks no previews or tests; a partial
//! response has its later questions blank.

use super::{civil, email, hash, ip_address, Plan, Row};

pub(super) const METADATA: [&str; 9] = [
    "Respondent ID",
    "Collector ID",
    "Start Date",
    "End Date",
    "IP Address",
    "Email Address",
    "First Name",
    "Last Name",
    "Custom Data 1",
];

pub(super) fn header(plan: &Plan) -> Vec<Vec<String>> {
    let mut first: Vec<String> = METADATA.iter().map(|s| s.to_string()).collect();
    first[5] = plan.email_column("Email Address").to_string();
    let mut second = vec![String::new(); first.len()];
    for column in plan.items.iter().map(|i| &i.column) {
        first.push(column.clone());
        second.push("Response".into());
    }
    for q in &plan.questions {
        // A check-all question spread over columns: its options in the second row.
        let spread = q.columns.len() > 1;
        for (column, text) in q.columns.iter().zip(&q.texts) {
            first.push(column.clone());
            second.push(match text.rsplit_once(" - ") {
                Some((_, option)) if spread => option.to_string(),
                _ => "Response".into(),
            });
        }
    }
    for column in plan.segments.iter().map(|s| &s.column) {
        first.push(column.clone());
        second.push("Response".into());
    }
    for t in &plan.texts {
        first.push(t.column.clone());
        second.push("Open-Ended Response".into());
    }
    vec![first, second]
}

/// `10/06/2025 09:03:12 AM`, as SurveyMonkey writes dates.
fn date(t: i64) -> String {
    let (y, mo, d, h, mi, s) = civil(t);
    let (h12, half) = super::clock12(h);
    format!("{mo:02}/{d:02}/{y} {h12:02}:{mi:02}:{s:02} {half}")
}

pub(super) fn metadata(plan: &Plan, row: &Row, out: &mut Vec<String>) {
    let seed = plan.options().seed;
    let id_row = if plan.duplicate_ids {
        row.person
    } else {
        row.index
    };
    let respondent = 114_000_000_000 + id_row as u64 * 16 + hash(seed, id_row as u64) % 16;
    out.extend([
        respondent.to_string(),
        (400_000_000 + hash(seed, u64::MAX) % 100_000_000).to_string(),
        date(row.start),
        date(row.end()),
        ip_address(seed, row.index),
        email(row.person),
        format!("Respondent{}", row.person + 1),
        "Example".to_string(),
        String::new(),
    ]);
}
