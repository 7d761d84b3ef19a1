//! Qualtrics' CSV layout: column ids, question texts and ImportId JSON in three header rows,
//! then its 17 metadata columns, the questions, and embedded data (the segments) last.

use super::{civil, email, hash, ip_address, Kind, Plan, Row};

/// The metadata columns, in Qualtrics' order.
pub(super) const METADATA: [&str; 17] = [
    "StartDate",
    "EndDate",
    "Status",
    "IPAddress",
    "Progress",
    "Duration (in seconds)",
    "Finished",
    "RecordedDate",
    "ResponseId",
    "RecipientLastName",
    "RecipientFirstName",
    "RecipientEmail",
    "ExternalReference",
    "LocationLatitude",
    "LocationLongitude",
    "DistributionChannel",
    "UserLanguage",
];

const QUESTIONS: [&str; 17] = [
    "Start Date",
    "End Date",
    "Response Type",
    "IP Address",
    "Progress",
    "Duration (in seconds)",
    "Finished",
    "Recorded Date",
    "Response ID",
    "Recipient Last Name",
    "Recipient First Name",
    "Recipient Email",
    "External Data Reference",
    "Location Latitude",
    "Location Longitude",
    "Distribution Channel",
    "User Language",
];

const IMPORT_IDS: [&str; 17] = [
    "startDate",
    "endDate",
    "status",
    "ipAddress",
    "progress",
    "duration",
    "finished",
    "recordedDate",
    "_recordId",
    "recipientLastName",
    "recipientFirstName",
    "recipientEmail",
    "externalDataReference",
    "locationLatitude",
    "locationLongitude",
    "distributionChannel",
    "userLanguage",
];

fn import_id(id: &str, zone: bool) -> String {
    if zone {
        format!("{{\"ImportId\":\"{id}\",\"timeZone\":\"Europe/London\"}}")
    } else {
        format!("{{\"ImportId\":\"{id}\"}}")
    }
}

/// `Q1_2` → `QID1_2`; other column names get the next free question number.
fn question_id(column: &str, next: &mut usize) -> String {
    let digits = column.strip_prefix('Q').filter(|rest| {
        rest.starts_with(|c: char| c.is_ascii_digit())
            && rest.chars().all(|c| c.is_ascii_digit() || c == '_')
    });
    match digits {
        Some(rest) => format!("QID{rest}"),
        None => {
            *next += 1;
            format!("QID{}", 900 + *next)
        }
    }
}

pub(super) fn header(plan: &Plan) -> Vec<Vec<String>> {
    let mut ids: Vec<String> = METADATA.iter().map(|s| s.to_string()).collect();
    ids[11] = plan.email_column("RecipientEmail").to_string();
    let mut texts: Vec<String> = QUESTIONS.iter().map(|s| s.to_string()).collect();
    let mut imports: Vec<String> = IMPORT_IDS
        .iter()
        .enumerate()
        .map(|(i, id)| import_id(id, matches!(i, 0 | 1 | 7)))
        .collect();
    let mut next = 0;
    for item in &plan.items {
        ids.push(item.column.clone());
        texts.push(item.text.clone());
        imports.push(import_id(&question_id(&item.column, &mut next), false));
    }
    for q in &plan.questions {
        for (column, text) in q.columns.iter().zip(&q.texts) {
            ids.push(column.clone());
            texts.push(text.clone());
            let id = question_id(column, &mut next);
            let id = if q.typed { format!("{id}_TEXT") } else { id };
            imports.push(import_id(&id, false));
        }
    }
    for t in &plan.texts {
        ids.push(t.column.clone());
        texts.push(t.text.clone());
        let id = question_id(&t.column, &mut next);
        imports.push(import_id(&format!("{id}_TEXT"), false));
    }
    for s in &plan.segments {
        ids.push(s.column.clone());
        texts.push(s.column.clone());
        imports.push(import_id(&s.column, false));
    }
    vec![ids, texts, imports]
}

fn date(t: i64) -> String {
    let (y, mo, d, h, mi, s) = civil(t);
    format!("{y}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}")
}

/// `R_` and 15 letters and digits, as Qualtrics' response ids.
fn response_id(seed: u64, row: usize) -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let (mut a, mut b) = (hash(seed, row as u64), hash(seed ^ 0xA5A5, row as u64));
    let mut id = String::from("R_");
    for i in 0..15 {
        let word = if i < 8 { &mut a } else { &mut b };
        id.push(ALPHABET[(*word % 62) as usize] as char);
        *word /= 62;
    }
    id
}

pub(super) fn metadata(plan: &Plan, row: &Row, out: &mut Vec<String>) {
    let seed = plan.options().seed;
    let tool_test = matches!(row.kind, Kind::Preview | Kind::Test);
    let (status, channel) = match row.kind {
        Kind::Preview => ("Survey Preview", "preview"),
        Kind::Test => ("Survey Test", "test"),
        _ => ("IP Address", "email"),
    };
    // An unfinished response is recorded when it expires, a week later.
    let recorded = if row.finished() {
        row.end()
    } else {
        row.end() + 7 * 86_400
    };
    let id_row = if plan.duplicate_ids {
        row.person
    } else {
        row.index
    };
    let h = hash(seed, row.person as u64 ^ 0x10CA_7104);
    let (lat, lon) = (
        50.5 + (h % 40_000) as f64 / 10_000.0,
        -3.0 + ((h >> 20) % 40_000) as f64 / 10_000.0,
    );
    let person = |s: String| if tool_test { String::new() } else { s };
    out.extend([
        date(row.start),
        date(row.end()),
        status.to_string(),
        if tool_test {
            String::new()
        } else {
            ip_address(seed, row.index)
        },
        row.progress.to_string(),
        row.duration.to_string(),
        if row.finished() { "True" } else { "False" }.to_string(),
        date(recorded),
        response_id(seed, id_row),
        person("Example".into()),
        person(format!("Respondent{}", row.person + 1)),
        person(email(row.person)),
        String::new(),
        format!("{lat:.4}"),
        format!("{lon:.4}"),
        channel.to_string(),
        "EN".to_string(),
    ]);
}
