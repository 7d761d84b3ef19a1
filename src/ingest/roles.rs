//! Column roles: which columns identify people (dropped at ingest), which are tool metadata
//! (kept for cleaning), and which hold answers.

use super::detect::norm;
use super::RawColumn;
use crate::model::{ColumnRole, Format};
use regex::Regex;
use std::borrow::Cow;

/// Columns that identify a person or a device, by normalised name, across the tools.
const IDENTIFIERS: &[&str] = &[
    // Qualtrics
    "ipaddress",
    "recipientlastname",
    "recipientfirstname",
    "recipientemail",
    "externalreference",
    "externaldatareference",
    "locationlatitude",
    "locationlongitude",
    "locationaccuracy",
    "responseid",
    "emailaddress",
    "name",
    // SurveyMonkey, Microsoft Forms, generic forms
    "respondentid",
    "email",
    "firstname",
    "lastname",
    "fullname",
    "id",
    // LimeSurvey
    "ipaddr",
    "token",
    "refurl",
    // REDCap
    "recordid",
    "redcapsurveyidentifier",
    // KoboToolbox
    "uuid",
    "geolocation",
    "submittedby",
    "submissionuuid",
    "submissionid",
    "submissionsubmittedby",
    // SurveyCTO
    "deviceid",
    "subscriberid",
    "simid",
    "devicephonenum",
    "instanceid",
    "key",
    // Typeform
    "#",
    "networkid",
    // Common personal fields
    "phone",
    "phonenumber",
    "mobile",
    "telephone",
    "address",
    "postcode",
    "zipcode",
    "dateofbirth",
    "dob",
];

/// Tool metadata that is not identifying and that cleaning reads.
const METADATA: &[&str] = &[
    "status",
    "progress",
    "finished",
    "startdate",
    "enddate",
    "recordeddate",
    "durationinseconds",
    "distributionchannel",
    "userlanguage",
    "responseset",
    "collectorid",
    "timestamp",
    "starttime",
    "completiontime",
    "lastmodifiedtime",
    "submitdate",
    "lastpage",
    "startlanguage",
    "seed",
    "datestamp",
    "datesubmitted",
    "datestarted",
    "datelastaction",
    "totaltime",
    "start",
    "end",
    "today",
    "submissiondate",
    "formdefversion",
    "status",
    "validationstatus",
    "notes",
    "submissiontime",
    "version",
    "tags",
    "index",
    // KoboToolbox repeat-group sheets: the link to the parent row, and copies of its metadata.
    "parentindex",
    "parenttablename",
    "submissionsubmissiontime",
    "submissionstatus",
    "submissionversion",
    "submissionvalidationstatus",
    "submissionnotes",
    "submissiontags",
    "startdateutc",
    "submitdateutc",
    "stagedateutc",
    "totalpoints",
    "quizfeedback",
    "textaudit",
    "responsetype",
];

/// A column's role: identifying if the tool marks it so, otherwise by its name.
pub fn column_role(format: Format, column: &RawColumn, extra_identifiers: &[String]) -> ColumnRole {
    if column.identifier {
        ColumnRole::Identifier
    } else {
        role_of(format, &column.name, extra_identifiers)
    }
}

pub fn role_of(_format: Format, name: &str, extra_identifiers: &[String]) -> ColumnRole {
    let n = norm(name);
    let lower = name.to_lowercase();
    if extra_identifiers.iter().any(|e| norm(e) == n)
        || IDENTIFIERS.contains(&n.as_str())
        || lower.contains("latitude")
        || lower.contains("longitude")
        || lower.contains("email")
        || lower.contains("e-mail")
        || lower.contains("ip address")
        || lower.contains("phone")
    {
        ColumnRole::Identifier
    } else if METADATA.contains(&n.as_str())
        || lower.ends_with("_complete")
        || lower.ends_with("_timestamp")
        || lower.starts_with("points - ")
        || lower.starts_with("feedback - ")
        || lower.starts_with("group time:")
        || lower.starts_with("question time:")
    {
        ColumnRole::Metadata
    } else {
        ColumnRole::Answer
    }
}

/// The tool's own response id, used as the respondent key when the survey names none.
pub fn default_key(format: Format, columns: &[RawColumn]) -> Option<usize> {
    let candidates: &[&str] = match format {
        Format::Qualtrics => &["responseid"],
        Format::Surveymonkey => &["respondentid"],
        Format::MicrosoftForms => &["id"],
        Format::Limesurvey => &["id", "responseid"],
        Format::Redcap => &["recordid"],
        Format::Kobotoolbox => &["uuid", "id"],
        Format::Surveycto => &["key", "instanceid"],
        Format::Typeform => &["#"],
        Format::GoogleForms | Format::Generic => &[],
    };
    candidates
        .iter()
        .find_map(|c| columns.iter().position(|col| norm(&col.name) == *c))
}

/// Identifier values worth searching for in answers: long enough not to match ordinary words by
/// accident, and not plain numbers (an id of `3` must not blank every `3` in a comment).
pub fn is_redactable_value(v: &str) -> bool {
    v.chars().count() >= 3 && v.chars().any(char::is_alphabetic)
}

/// Replaces a respondent's own identifying values (their name, e-mail …) in an answer by `[name]`.
pub fn scrub_own_identifiers<'a>(answer: &'a str, own: &[&str]) -> Cow<'a, str> {
    // Most cells are codes or short labels that cannot hold a name: no work, no allocation.
    let shortest = own.iter().map(|v| v.len()).min().unwrap_or(usize::MAX);
    if answer.len() < shortest || !answer.chars().any(char::is_alphabetic) {
        return Cow::Borrowed(answer);
    }
    let lower = answer.to_lowercase();
    if !own.iter().any(|v| lower.contains(&v.to_lowercase())) {
        return Cow::Borrowed(answer);
    }
    let mut out = answer.to_string();
    for value in own {
        if !lower.contains(&value.to_lowercase()) {
            continue;
        }
        if let Ok(re) = Regex::new(&format!(r"(?i)\b{}\b", regex::escape(value))) {
            out = re.replace_all(&out, "[name]").into_owned();
        }
    }
    // First and last names sit in separate columns; "[name] [name]" reads as one name.
    while out.contains("[name] [name]") {
        out = out.replace("[name] [name]", "[name]");
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_identifiers_metadata_and_answers() {
        let role = |n: &str| role_of(Format::Qualtrics, n, &[]);
        assert_eq!(role("IPAddress"), ColumnRole::Identifier);
        assert_eq!(role("Email Address"), ColumnRole::Identifier);
        assert_eq!(role("_geopoint_latitude"), ColumnRole::Identifier);
        assert_eq!(role("Duration (in seconds)"), ColumnRole::Metadata);
        assert_eq!(role("survey_complete"), ColumnRole::Metadata);
        assert_eq!(role("Q1_1"), ColumnRole::Answer);
        assert_eq!(
            role_of(Format::Generic, "School", &["school".into()]),
            ColumnRole::Identifier
        );
    }

    #[test]
    fn scrubbing_is_case_insensitive_and_whole_word() {
        assert_eq!(
            scrub_own_identifiers("ask ANN Lee", &["Ann Lee"]),
            "ask [name]"
        );
        assert_eq!(
            scrub_own_identifiers("says Ann Lee.", &["Lee", "Ann"]),
            "says [name]."
        );
        assert_eq!(
            scrub_own_identifiers("annual review", &["Ann"]),
            "annual review"
        );
        assert!(!is_redactable_value("12"));
        assert!(!is_redactable_value("Al"));
    }
}
