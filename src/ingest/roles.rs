//! Column roles: which columns identify people (dropped at ingest), which are tool metadata
//! (kept for cleaning), and which hold answers.

use super::detect::norm;
use super::RawColumn;
use crate::model::{ColumnRole, Format};
use regex::Regex;
use std::borrow::Cow;
use std::sync::OnceLock;

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
    // ODK Briefcase's repeat-group files: the parent record's KEY on each repeat row.
    "parentkey",
    // ODK Collect's device and SIM properties (SurveyCTO, Kobo and ODK forms record them).
    "imei",
    "simserial",
    "simserialnumber",
    "devicephonenumber",
    "metainstanceid",
    "rootinstanceid",
    // ODK Central's submitter account, ODK's collector account and the form's display name of
    // a record (built from answers such as the household head's name), SurveyCTO's case id.
    "submitterid",
    "submittername",
    "username",
    "instancename",
    "caseid",
    // Form builders' account of the person who answered (Drupal Webform's "UID" and
    // "Nom d'utilisateur"), with "user name" in the survey languages.
    "uid",
    "userid",
    "nomdutilisateur",
    "nombredeusuario",
    "benutzername",
    "nomeutente",
    "gebruikersnaam",
    "nomedeusuário",
    "nomedeusuario",
    // SurveyToGo (Dooblo): the interview's number, the interviewer, the subject's name, the
    // reviewer, and the parent interview a child record hangs from.
    "sbjnum",
    "srvyr",
    "sbjnam",
    "rvwname",
    "parentid",
    // Survey123 (ArcGIS): the feature's ids and the accounts that created and edited it
    "objectid",
    "globalid",
    "creator",
    "editor",
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
    "respondent",
    "participant",
    "participantid",
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
    "endtime",
    "submitted",
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
    // REDCap: which repeating form and which of its instances a row is, which event of a
    // longitudinal project, which data access group.
    "redcaprepeatinstrument",
    "redcaprepeatinstance",
    "redcapeventname",
    "redcapdataaccessgroup",
    // ODK Central's and SurveyCTO's own columns: attachments, review, edits, form version,
    // how long the form was open.
    "attachmentspresent",
    "attachmentsexpected",
    "reviewstate",
    "reviewstatus",
    "reviewquality",
    "reviewcomments",
    "edits",
    "formversion",
    "duration",
    "xformidstring",
    "attachments",
    // Survey123 (ArcGIS): when the feature was created and last edited.
    "creationdate",
    "editdate",
    // Google Forms' "Timestamp" in the languages its sheets are written in.
    "marcatemporal",
    "horodateur",
    "zeitstempel",
    "carimbodedatahora",
    "informazionicronologiche",
    "tijdstempel",
    // SurveyToGo's own columns: the interviewer's unique id, upload and review times and
    // comments, the question the interview stopped at, the time zone, quality scores.
    "usrunq",
    "subjdata",
    "rvwtime",
    "rvwcomment",
    "srvyrcomment",
    "stopq",
    "utcdiff",
    "qascore",
    "frscname",
    "exrenum",
    "vstart",
    "vend",
    // LimeSurvey's own columns where a full-heading export writes them in the survey's
    // language (Dutch: "Datum verstuurd", "Laatste pagina", "Begin taal", "Startdatum",
    // "Datum laatste actie", "Verwijzer-URL", "Totaaltijd"), and its referrer in English.
    "datumverstuurd",
    "laatstepagina",
    "begintaal",
    "startdatum",
    "datumlaatsteactie",
    "verwijzerurl",
    "referrerurl",
    "totaaltijd",
    // The same columns in LimeSurvey's other translations (German, French, Spanish, Italian,
    // Portuguese): date submitted, last page, start language, seed, date started, date of the
    // last action, referrer URL, total time.
    "datumabgeschickt",
    "letzteseite",
    "startsprache",
    "zufallsgeneratorstartwert",
    "datumgestartet",
    "datumletzteaktivität",
    "weiterleitungsurl",
    "datumderletztenaktivität",
    "gesamtzeit",
    "datedesoumission",
    "datedenvoi",
    "dernièrepage",
    "languededépart",
    "datededébut",
    "datedeladernièreaction",
    "urlréférente",
    "tempstotal",
    "fechadeenvío",
    "fechadeenvio",
    "últimapágina",
    "ultimapagina",
    "idiomainicial",
    "semilla",
    "fechadeinicio",
    "fechadelaúltimaacción",
    "urldereferencia",
    "tiempototal",
    "datainvio",
    "linguainiziale",
    "seme",
    "datadiinizio",
    "datadellultimaazione",
    "urldiprovenienza",
    "tempototale",
    "datadesubmissão",
    "datadeenvio",
    "semente",
    "datadeinício",
    "datadaúltimaação",
    "tempototal",
];

/// A column's role: identifying if the tool marks it so or its question asks for personal
/// details, otherwise by its name. `allowed` names columns a survey analyses on purpose
/// (`allow_identifying = true`): those are answers whatever they ask.
pub fn column_role(
    format: Format,
    column: &RawColumn,
    extra_identifiers: &[String],
    allowed: &[String],
) -> ColumnRole {
    if allowed.iter().any(|a| {
        *a == column.name
            || *a == column.question
            || Some(a.as_str()) == column.import_id.as_deref()
    }) {
        ColumnRole::Answer
    } else if let Some(role) = column.tool_role {
        role
    } else if column.identifier
        || asks_for_personal_details(&column.name, &column.question).is_some()
    {
        ColumnRole::Identifier
    } else {
        role_of(format, &column.name, extra_identifiers)
    }
}

/// What a question asks for, when it asks for something that identifies the respondent
/// ("Tell me your name!", "Type_your_name", "Please enter your address"), from its column name
/// and question text. Tools name such columns anything, so the words are the evidence.
pub fn asks_for_personal_details(name: &str, question: &str) -> Option<&'static str> {
    // Asked for in so many words ("your name", "e-mail address"), anywhere in a question.
    static ASKED: OnceLock<Vec<(Regex, &'static str)>> = OnceLock::new();
    // A bare word ("Email", "Phone", "Address") is a label only when it is (nearly) all the
    // text: "How useful were the e-mail updates?" asks for an opinion.
    static LABELLED: OnceLock<Vec<(Regex, &'static str)>> = OnceLock::new();
    let compile = |list: &[(&str, &'static str)]| -> Vec<(Regex, &'static str)> {
        list.iter()
            .filter_map(|(p, what)| Regex::new(&format!("(?i){p}")).ok().map(|r| (r, *what)))
            .collect()
    };
    let asked = ASKED.get_or_init(|| {
        compile(&[
            (r"\b(your|full|first|last|middle|family|given|maiden|respondent'?s?|participant'?s?|patient'?s?|child'?s?|parent'?s?|guardian'?s?|mother'?s?|father'?s?|student'?s?|pupil'?s?|employee'?s?|contact)\s*name\b|\bname\s+and\s+(surname|e-?mail)|\bsurname\b|^(please\s+)?(enter|write|type|give|provide)\s+(your\s+|the\s+|a\s+)?name\b|\bnext\s+of\s+kin\b", "a name"),
            (r"\byour\s+e-?mail\b|\be-?mail\s+address\b|\b(enter|give|provide|leave)\s+(an?\s+|your\s+)?e-?mail\b", "an e-mail address"),
            (r"\b(tele)?phone\s+(number|no)\b|\bmobile\s+(number|no)\b|\byour\s+(tele)?phone\b|\bcontact\s+number\b", "a phone number"),
            (r"\b(your|home|postal|street|mailing|residential|house|contact|physical)\s+address\b|\benter\s+(your\s+)?address\b", "an address"),
            (r"\bpost\s*code\b|\bzip(\s*code)?\b|\bpostal\s+code\b", "a postcode"),
            (r"\bdate\s+of\s+birth\b|\bbirth\s*date\b|\bbirthday\b", "a date of birth"),
            (r"\bip\s+address\b", "an IP address"),
            (r"\b(gps|geopoint|geo\s*location|coordinates|latitude|longitude)\b", "a location"),
            (r"\b(national\s+insurance|social\s+security|passport|nhs\s+number|student\s+(id|number)|employee\s+(id|number)|staff\s+(id|number))\b", "a personal id number"),
            // A code respondents make from facts only they know (letters of a parent's name,
            // a birth month) to link their surveys, and the id a study gives a participant.
            (r"\b(id|identification|identifier)\s+code\b|\b(personal|participant|respondent|subject|anonymous|self[-\s]?generated)\s+code\b", "a self-made id code"),
            (r"\b(participant|respondent|subject|patient)('?s)?\s+(id|identifier|number)\b", "a participant's id"),
            // The same requests in the languages surveys are written in (Spanish, French,
            // German, Portuguese, Italian, Dutch): "indiquez votre nom", "su nombre y
            // apellido", "Ihr Name", "seu nome", "il suo nome", "uw naam", and contact details.
            (r"\b(votre|vos|ton|tes)\s+(nom|pr[ée]nom|noms)\b|\b(su|tu|sus|tus)\s+(nombre|nombres|apellidos?)\b|\b(ihr|ihren|dein|deinen)\s+(vor|nach)?namen?\b|\b(seu|teu)\s+(nome|sobrenome)\b|\b(sua|tua)\s+nome\b|\b(il\s+)?(suo|tuo)\s+(nome|cognome)\b|\b(uw|je|jouw)\s+(voor|achter)?naam\b", "a name"),
            (r"\b(votre|ton)\s+(adresse\s+)?(e-?mail|courriel|mail)\b|\badresse\s+(e-?mail|[ée]lectronique|courriel)\b|\bcorreo\s+electr[óo]nico\b|\b(su|tu)\s+(e-?mail|correo)\b|\be-?mail-?adresse\b|\b(ihre|deine)\s+e-?mail\b|\b(seu|teu)\s+e-?mail\b|\bindirizzo\s+e-?mail\b|\b(uw|je)\s+e-?mail(adres)?\b|\be-?mailadres\b", "an e-mail address"),
            (r"\bnum[ée]ro\s+de\s+t[ée]l[ée]phone\b|\bn[úu]mero\s+de\s+(tel[ée]fono|telefone|celular|m[óo]vil)\b|\btelefonnummer\b|\bhandynummer\b|\bnumero\s+di\s+telefono\b|\btelefoonnummer\b", "a phone number"),
            (r"\bvos\s+coordonn[ée]es\b|\bsus\s+datos\s+de\s+contacto\b|\b(ihre|deine)\s+kontaktdaten\b|\bseus\s+dados\s+de\s+contato\b|\bi\s+suoi\s+recapiti\b|\buw\s+contactgegevens\b", "contact details"),
        ])
    });
    let labelled = LABELLED.get_or_init(|| {
        compile(&[
            (
                r"^(your\s+)?((full|first|last|given|family)\s+)?(name|surname|forename)s?$",
                "a name",
            ),
            // A database's field names put the part second ("name_first", "name_last").
            (r"^name\s+(first|last|middle|given|family|full)$", "a name"),
            (r"^(your\s+)?e-?mail(\s+address)?$", "an e-mail address"),
            (
                r"^(your\s+)?((tele|mobile\s+|cell\s*)?phone|mobile|cell)(\s+(number|no))?$",
                "a phone number",
            ),
            (r"^(your\s+)?address$", "an address"),
            // The smallest places a form records (a parish, a village) hold a few households
            // each: with the other answers, they point at one, by name or by code ("VillageID",
            // and ODK's "VillageIDRepeat" typed again to confirm it).
            (
                r"^(your\s+)?(village|parish|hamlet)\s*(name|id|code|no|number)?(\s*repeat)?$",
                "a village or parish",
            ),
            (r"^(your\s+)?signature$", "a signature"),
            // Two or three letters point at one person among a programme's few dozen.
            (
                r"^((your|participant'?s?|respondent'?s?|patient'?s?|student'?s?|child'?s?)\s+)?initials$",
                "a person's initials",
            ),
            // The same labels in the languages surveys are written in (Spanish, French,
            // German, Portuguese, Italian, Dutch, Indonesian/Malay), and "name of …" ("Nombre
            // del responsable", "Nama PIC": whose name the collector writes), kept short so
            // that a question is not a label.
            (
                r"^(nombres?|apellidos?|nombre\s+(y\s+apellidos?|completo)|nom|pr[ée]nom|nom\s+(et\s+pr[ée]nom|de\s+famille)|vorname|nachname|familienname|vor-?\s*und\s+nachname|nome|nome\s+completo|cognome|nome\s+e\s+cognome|sobrenome|naam|voornaam|achternaam|nama|nama\s+lengkap)$",
                "a name",
            ),
            (
                r"^(name\s+of|nombre\s+(del|de\s+la|de\s+los|de\s+las)|nom\s+(du|de\s+la|des|de)|name\s+(des|der)|nome\s+(do|da|del|della|di)|naam\s+van|nama)\s+\S+(\s+\S+){0,3}$",
                "a name",
            ),
            (
                r"^(correo(\s+electr[óo]nico)?|courriel|adresse\s+(e-?mail|[ée]lectronique)|e-?mail-?adresse|endere[çc]o\s+de\s+e-?mail|indirizzo\s+e-?mail|e-?mailadres|alamat\s+e-?mail)$",
                "an e-mail address",
            ),
            (
                r"^((n[úu]mero\s+de\s+)?(tel[ée]fono|telefone|celular|m[óo]vil)|(num[ée]ro\s+de\s+)?t[ée]l[ée]phone|portable|telefon(nummer)?|handy(nummer)?|(numero\s+di\s+)?telefono|cellulare|telefoon(nummer)?|mobiel(\s+nummer)?|(nomor|no\.?)\s+(hp|telepon|telp|wa|whatsapp)(\s*/\s*(hp|wa|whatsapp))?|whats\s*app)$",
                "a phone number",
            ),
            (
                r"^(direcci[óo]n|domicilio|adresse|anschrift|endere[çc]o|indirizzo|adres|alamat)$",
                "an address",
            ),
            // The organisation a respondent works for names them with their role.
            (
                r"^(your\s+)?(organi[sz]ation|organisatie|organizaci[óo]n|organisme|organisation|institution|instituci[óo]n|institusi|instituut|employer|werkgever|company|bedrijf|empresa|entreprise|unternehmen|azienda|perusahaan)(\s+name)?$",
                "an organisation's name",
            ),
        ])
    });
    // Kobo and SurveyCTO names join words with `_`; read them as words, without the trailing
    // punctuation of a question ("Name:", "E-mail?"). A long text is an instruction or a
    // display text ("call the phone number 0800 …"), not a request for details.
    // A long text's first sentence is still its question ("What is the participant's ID? (to
    // find it, go to …)"); a grid's row in brackets is what that row asks for ("Give some
    // personal details [Name]").
    let texts: Vec<String> = [name, question]
        .iter()
        .flat_map(|t| [Some(*t), first_sentence(t), bracketed_row(t)])
        .flatten()
        .filter(|t| t.chars().count() <= 200)
        .map(|t| {
            t.replace('_', " ")
                .split('/')
                .map(str::trim)
                .collect::<Vec<_>>()
                .join("/")
                .trim()
                .trim_end_matches([':', '?', '!', '.', '*'])
                .trim()
                .to_string()
        })
        .collect();
    asked
        .iter()
        .chain(labelled.iter())
        .find(|(re, what)| {
            texts
                .iter()
                .any(|t| re.is_match(t) && !(*what == "a name" && names_a_thing(t)))
        })
        .map(|(_, what)| *what)
}

/// "Name of Bachelor's degree(s)", "Name of the course": the name of a thing a respondent
/// studied or used, not of a person. Only "name of …" followed by such a thing within three
/// words, and no person in the words ("Name of your project supervisor" names a person).
fn names_a_thing(text: &str) -> bool {
    static THING: OnceLock<Option<Regex>> = OnceLock::new();
    static PERSON: OnceLock<Option<Regex>> = OnceLock::new();
    let thing = THING.get_or_init(|| {
        Regex::new(r"(?i)^name\s+of\s+(\S+\s+){0,2}(degrees?|degree\(s\)|courses?|programm?e?s?|modules?|subjects?|majors?|qualifications?|diplomas?|products?|software|tools?|apps?|books?|events?|projects?|games?)$").ok()
    });
    let person = PERSON.get_or_init(|| {
        Regex::new(r"(?i)\b(supervisor|director|lead|leader|tutor|teacher|lecturer|contact|manager|organi[sz]er|coordinator|head|officer|person|owner|author|chair|principal|advisor|adviser|mentor|holder|student)s?\b").ok()
    });
    let is = |re: &Option<Regex>| re.as_ref().is_some_and(|re| re.is_match(text));
    is(thing) && !is(person)
}

/// The first sentence of a long text, up to its first `?`, `.` or line break.
fn first_sentence(text: &str) -> Option<&str> {
    let end = text.find(['?', '.', '\n'])?;
    (end + 1 < text.len()).then(|| &text[..end])
}

/// The row of a grid that a header names in trailing brackets: `Name` of "Give some details
/// [Name]" (LimeSurvey's and Google Forms' grid rows).
fn bracketed_row(text: &str) -> Option<&str> {
    let (_, row) = text.trim_end().strip_suffix(']')?.rsplit_once('[')?;
    (!row.trim().is_empty()).then_some(row.trim())
}

/// The role a column's name alone gives it: an identifier (listed in `extra_identifiers`, or named
/// like an e-mail, phone, IP address, location, recipient …), tool metadata (status, progress,
/// dates, timings …), or an answer. The format is not yet used: the names are the same across
/// tools.
pub fn role_of(format: Format, name: &str, extra_identifiers: &[String]) -> ColumnRole {
    // KoboToolbox and ODK name a grouped question by its path ("project/team_member/Name"):
    // the last part is the question's own name.
    if let Some((_, own)) = name.rsplit_once('/').filter(|(_, own)| !own.is_empty()) {
        if role_of(format, own, extra_identifiers) == ColumnRole::Identifier {
            return ColumnRole::Identifier;
        }
    }
    // ODK Briefcase joins a group and its field with `-` ("meta-instanceID"): a name without
    // spaces whose last part is an identifier's name is that identifier.
    if let Some((_, own)) = name
        .rsplit_once('-')
        .filter(|(group, own)| !own.is_empty() && !group.is_empty() && !name.contains(' '))
    {
        if IDENTIFIERS.contains(&norm(own).as_str()) {
            return ColumnRole::Identifier;
        }
    }
    let n = norm(name);
    let lower = name.to_lowercase();
    // A timing column is named after the question it times, which may ask for an e-mail
    // ("Question time: email"): it holds seconds, not the address.
    if limesurvey_timing_heading(&lower) {
        return ColumnRole::Metadata;
    }
    // "Phone" or "E-mail" as (nearly) the whole name is a contact field; in a question ("How
    // satisfied are you with the phone support?") the answers decide (`infer::evidence`).
    let label_like = lower.split_whitespace().count() <= 4;
    if extra_identifiers.iter().any(|e| norm(e) == n)
        || IDENTIFIERS.contains(&n.as_str())
        || lower.contains("latitude")
        || lower.contains("longitude")
        || (label_like
            && (lower.contains("email") || lower.contains("e-mail") || lower.contains("phone")))
        || lower.contains("ip address")
        || names_a_record_number(name)
        || (names_who_collected(name) && !METADATA.contains(&n.as_str()))
        || n.starts_with("customdata")
        // SurveyMonkey's custom variables (`custom_1` …) carry what the sender knows of each
        // recipient: an e-mail, a name, a staff number.
        || (n.starts_with("custom") && n.len() > 6 && n[6..].bytes().all(|b| b.is_ascii_digit()))
        // ODK Briefcase's link from a record to its repeat group's rows (the record's KEY).
        || name.starts_with("SET-OF-")
        || lower.ends_with("_altitude")
        || lower.ends_with("_precision")
        // ODK Briefcase splits a geopoint into `<name>-Latitude`, `-Longitude`, `-Altitude`
        // and `-Accuracy`: every part is the place.
        || (!name.contains(' ')
            && ["-altitude", "-accuracy"]
                .iter()
                .any(|part| lower.ends_with(part)))
    {
        ColumnRole::Identifier
    } else if METADATA.contains(&n.as_str())
        || lower.ends_with("_complete")
        || lower.ends_with("_timestamp")
        || lower.starts_with("points - ")
        || lower.starts_with("feedback - ")
        || limesurvey_timing(name)
        || name.starts_with('$')
        || lower.starts_with("filecount")
        // KoboToolbox's link to a media question's uploaded file (`photo_URL`).
        || name.ends_with("_URL")
        || qualtrics_timing(name)
        || (format == Format::Qualtrics && qualtrics_display_order(name))
    {
        ColumnRole::Metadata
    } else {
        ColumnRole::Answer
    }
}

/// A column named as a number that identifies a person or their record: "ID number", "Record
/// no.", "Medical record number", "MRN", "Case #", ArcGIS's "ObjectID"/"GlobalID".
pub fn names_a_record_number(name: &str) -> bool {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)(^|[\s_])(id|identification|identity|record|medical[\s_]+record|patient|case|member(ship)?|national|passport|licen[cs]e|social[\s_]+security)[\s_]*(number|no\.?|num|#)($|[\s_:?])|(^|[\s_])mrn($|[\s_:?])|^(object|global)[\s_]*id$").ok()
    })
    .as_ref()
    .is_some_and(|re| re.is_match(name.trim()))
}

/// A column naming who collected the answers, not the respondent: "Enumerator", "Interviewer
/// name", "Data collector", "Recorded by", and who read a record for a review ("Auditor",
/// "Coder initials", a REDCap abstraction form's "Abstractor"). Staff names repeat over many rows and would read as a
/// choice question and a segment; they name people, so they are identifiers (never in a report).
pub fn names_who_collected(name: &str) -> bool {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)^(name[\s_]+of[\s_]+(the[\s_]+)?)?(data[\s_]+)?(collector|recorder|interviewer|enumerator|surveyor|examiner|observer|auditor|assessor|abstractor|extractor|coder|rater|data[\s_]+entry[\s_]+clerk)s?('?s)?([\s_]+(name|id|code|initials))?[\s:?]*$|^(collected|recorded|entered|interviewed|observed|completed)[\s_]+by[\s:?]*$").ok()
    })
    .as_ref()
    .is_some_and(|re| re.is_match(name.trim()))
}

/// Qualtrics' record of the order it showed things in, when the survey randomises it: a
/// question's choices (`Q5_DO`), a block's questions or the flow's blocks (`FL_12_DO`), a block
/// randomizer's blocks (`RO-BR-FL_76`). The cells list element ids joined by `|`.
fn qualtrics_display_order(name: &str) -> bool {
    let own = !name.contains(' ');
    let ordered = name.strip_suffix("_DO").is_some_and(|q| {
        !q.is_empty() && q.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
    });
    let randomizer = name.starts_with("RO-") && name.contains("FL_");
    own && (ordered || randomizer)
}

/// Qualtrics' timing question's columns (`Q7_First Click`, `Q7_Page Submit`) and its own
/// embedded fields (`Q_TotalDuration`, `Q_RecaptchaScore`, `Q_RelevantIDDuplicate`).
fn qualtrics_timing(name: &str) -> bool {
    let lower = name.to_lowercase();
    [
        "_first click",
        "_last click",
        "_page submit",
        "_click count",
    ]
    .iter()
    .any(|s| lower.ends_with(s))
        || name.starts_with("Q_")
}

/// LimeSurvey's timing columns as a full-heading export names them, in English or in the
/// survey's language: "Group time: …", "Question time: …", "Groep tijd: …", "Vraag tijd: …",
/// "Tempo per la domanda: …", "Fragenzeit: …", "Tiempo de pregunta: …": a word for time, a
/// word for the group or the question, then a colon and the question's code or text.
fn limesurvey_timing_heading(lower: &str) -> bool {
    // expect: a literal pattern, compiled the first time any test runs it; it cannot fail at run time.
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(concat!(
            r"^(group\s+time|question\s+time|groep\s*tijd|vraag\s*tijd|gruppenzeit|fragenzeit",
            r"|(tempo|tiempo|temps)\s+(per|para|pour|de|do|da|del|della|du)\s+(il\s+|la\s+|el\s+|le\s+|o\s+|a\s+)?",
            r"(gruppo|grupo|groupe|domanda|pregunta|question|questão|questao|pergunta)",
            r"(\s+di\s+domande|\s+de\s+preguntas|\s+de\s+questions)?)\s*:"
        ))
        .expect("static regex")
    });
    // R's make.names writes "Vraag tijd: intro" as "Vraag.tijd..intro".
    re.is_match(lower)
        || (!lower.contains(' ') && re.is_match(&lower.replace("..", ": ").replace('.', " ")))
}

/// LimeSurvey's timing columns: `interviewtime`, `groupTime67`, `K11Time` (a question code
/// followed by `Time`, with no space: question texts have spaces).
fn limesurvey_timing(name: &str) -> bool {
    if let Some(group) = name.strip_prefix("groupTime") {
        return !group.is_empty() && group.chars().all(|c| c.is_ascii_digit());
    }
    match name.strip_suffix("Time") {
        Some(code) => {
            code.starts_with(|c: char| c.is_ascii_alphabetic())
                && code.chars().all(|c| c.is_ascii_alphanumeric())
        }
        None => name.eq_ignore_ascii_case("interviewtime"),
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

/// Whether column `k` holds ids a survey tool numbers afresh in each export (its response id,
/// SurveyMonkey's collector): they tell one export's responses apart, but the same value in
/// another wave is another person, so they never pair waves. Besides the format's own response
/// id, any tool's response-id column counts, by name, in whatever export it was pasted into
/// (`id` and `key` only in the formats that name their response ids so: elsewhere they may
/// well be a person's).
pub fn is_per_export_id(format: Format, columns: &[RawColumn], k: usize) -> bool {
    const ANY_TOOL: &[&str] = &[
        "responseid",
        "respondentid",
        "recordid",
        "collectorid",
        "instanceid",
        "uuid",
        "#",
    ];
    ANY_TOOL.contains(&norm(&columns[k].name).as_str()) || default_key(format, columns) == Some(k)
}

/// Identifier values worth searching for in answers: long enough not to match ordinary words by
/// accident, and not plain numbers (an id of `3` must not blank every `3` in a comment).
pub fn is_redactable_value(v: &str) -> bool {
    // Every row's identifier cells are judged: ASCII ones without decoding characters.
    if v.is_ascii() {
        return v.len() >= 3 && v.bytes().any(|b| b.is_ascii_alphabetic());
    }
    v.chars().count() >= 3 && v.chars().any(char::is_alphabetic)
}

/// Whether `needle` occurs in `hay` ignoring ASCII case: for ASCII text, what comparing their
/// `to_lowercase` does, without allocating either.
fn contains_ascii_ignoring_case(hay: &str, needle: &str) -> bool {
    let (hay, needle) = (hay.as_bytes(), needle.as_bytes());
    let Some(&first) = needle.first() else {
        return true;
    };
    // Every cell of every row is searched: jump between the first letter's places (either
    // case) rather than comparing at each byte.
    let last_start = hay.len().checked_sub(needle.len());
    memchr::memchr2_iter(first.to_ascii_lowercase(), first.to_ascii_uppercase(), hay)
        .take_while(|&i| last_start.is_some_and(|last| i <= last))
        .any(|i| hay[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

/// Replaces a respondent's own identifying values (their name, e-mail …) in an answer by `[name]`.
pub fn scrub_own_identifiers<'a>(answer: &'a str, own: &[&str]) -> Cow<'a, str> {
    // Most cells are codes or short labels that cannot hold a name: no work, no allocation.
    let shortest = own.iter().map(|v| v.len()).min().unwrap_or(usize::MAX);
    if answer.len() < shortest || !answer.chars().any(char::is_alphabetic) {
        return Cow::Borrowed(answer);
    }
    // Segment labels and short answers are scrubbed for every row: when all is ASCII, the
    // respondent's values are looked for without lower-casing copies of anything.
    if answer.is_ascii()
        && own.iter().all(|v| v.is_ascii())
        && !own.iter().any(|v| contains_ascii_ignoring_case(answer, v))
    {
        return Cow::Borrowed(answer);
    }
    let lower = answer.to_lowercase();
    if !own.iter().any(|v| lower.contains(&v.to_lowercase())) {
        return Cow::Borrowed(answer);
    }
    // The values in the answer, found as whole words as the quotes' redaction finds listed
    // names (no pattern compiled per row); a value without a letter or digit never matches.
    let present: Vec<String> = own
        .iter()
        .filter(|v| lower.contains(&v.to_lowercase()) && v.chars().any(crate::names::is_word_char))
        .map(|v| v.to_string())
        .collect();
    let Ok(names) = crate::names::NameList::new(&present) else {
        return Cow::Borrowed(answer);
    };
    let mut out = match names.replace(answer) {
        Cow::Borrowed(_) => return Cow::Borrowed(answer),
        Cow::Owned(out) => out,
    };
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
    fn personal_details_are_recognised_in_the_languages_surveys_are_written_in() {
        let asks = |label: &str| asks_for_personal_details(label, label);
        for (label, what) in [
            ("Nombre y apellidos", "a name"),
            ("Prénom", "a name"),
            ("Nachname", "a name"),
            ("Nome completo", "a name"),
            ("Achternaam", "a name"),
            ("Nama Lengkap", "a name"),
            ("Nama PIC", "a name"),
            ("Nombre del responsable", "a name"),
            ("Nom de l'enquêteur", "a name"),
            ("Correo electrónico", "an e-mail address"),
            ("Courriel", "an e-mail address"),
            ("Teléfono", "a phone number"),
            ("Numéro de téléphone", "a phone number"),
            ("Handynummer", "a phone number"),
            ("Nomor HP/WA", "a phone number"),
            ("Dirección", "an address"),
            // REDCap field names (REDCapR's blank-for-gray-status example, read without its
            // dictionary): the part of the name comes second.
            ("name_first", "a name"),
            ("name_last", "a name"),
            ("Patient name", "a name"),
            ("student_name", "a name"),
            ("Initials", "a person's initials"),
            ("Participant initials", "a person's initials"),
            // Asked for in a sentence, in the languages surveys are written in.
            (
                "Si vous acceptez d'être recontacté, indiquez votre nom",
                "a name",
            ),
            ("Por favor, escriba su nombre y apellido", "a name"),
            ("Wenn Sie möchten, nennen Sie uns Ihren Namen", "a name"),
            ("Se quiser, deixe o seu nome", "a name"),
            (
                "Se desidera essere ricontattato, lasci il suo nome",
                "a name",
            ),
            ("Wilt u uw naam achterlaten?", "a name"),
            (
                "Laissez votre adresse e-mail pour recevoir les résultats",
                "an e-mail address",
            ),
            (
                "Deje su correo para recibir el informe",
                "an e-mail address",
            ),
            (
                "Bitte geben Sie Ihre E-Mail-Adresse an",
                "an e-mail address",
            ),
            (
                "Pouvez-vous nous laisser vos coordonnées ?",
                "contact details",
            ),
        ] {
            assert_eq!(asks(label), Some(what), "{label}");
        }
        // Questions that mention such words ask for opinions, not details.
        for label in [
            "¿Qué nombre le pondría al programa si pudiera cambiarlo?",
            "Comment jugez-vous l'accueil au téléphone ?",
            "Nombre de participants",
            "Name of the programme you liked best and why you liked it so much",
            "name_recognition",
            "How well did staff know your child's needs?",
            "Le nom du programme vous semble-t-il clair ?",
            "¿Qué opina del nombre de su escuela?",
            "Wie finden Sie den Namen des Programms?",
        ] {
            assert_eq!(asks(label), None, "{label}");
        }
    }

    #[test]
    fn recognises_identifiers_metadata_and_answers() {
        let role = |n: &str| role_of(Format::Qualtrics, n, &[]);
        assert_eq!(role("IPAddress"), ColumnRole::Identifier);
        assert_eq!(role("Email Address"), ColumnRole::Identifier);
        assert_eq!(role("_geopoint_latitude"), ColumnRole::Identifier);
        assert_eq!(role("PARENT_KEY"), ColumnRole::Identifier);
        assert_eq!(role("SET-OF-household_members"), ColumnRole::Identifier);
        assert_eq!(role("Duration (in seconds)"), ColumnRole::Metadata);
        assert_eq!(role("survey_complete"), ColumnRole::Metadata);
        assert_eq!(role("Q1_1"), ColumnRole::Answer);
        // ODK Briefcase's geopoint parts, SurveyToGo's interviewer, subject and reviewer,
        // SurveyMonkey's custom variables.
        for id in [
            "location-corner1-Altitude",
            "taxon_encounter_location-Accuracy",
            "Srvyr",
            "SbjNam",
            "RvwName",
            "custom_1",
        ] {
            assert_eq!(role(id), ColumnRole::Identifier, "{id}");
        }
        assert_eq!(role("StopQ"), ColumnRole::Metadata);
        assert_eq!(role("Customer satisfaction"), ColumnRole::Answer);
        assert_eq!(
            role("How accurate was the forecast - accuracy"),
            ColumnRole::Answer
        );
        for id in [
            "ID number",
            "Record no.",
            "Medical record number",
            "MRN",
            "patient_number",
            "GlobalID",
        ] {
            assert_eq!(role(id), ColumnRole::Identifier, "{id}");
        }
        for staff in [
            "Enumerator",
            "Interviewer name",
            "Data collector",
            "Recorded by:",
            "enumerator_id",
            "auditor",
            "Coder initials",
            "Abstractor name",
            "Rater",
        ] {
            assert_eq!(role(staff), ColumnRole::Identifier, "{staff}");
        }
        assert_eq!(
            role("Collector ID"),
            ColumnRole::Metadata,
            "SurveyMonkey's link id"
        );
        for answer in [
            "How satisfied are you with the phone support?",
            "Number of children",
            "Record of achievement",
            "Collector's edition owned",
        ] {
            assert_eq!(role(answer), ColumnRole::Answer, "{answer}");
        }
        assert_eq!(role("Phone"), ColumnRole::Identifier);
        for device in ["meta-instanceID", "deviceid", "imei", "simserial", "_uuid"] {
            assert_eq!(role(device), ColumnRole::Identifier, "{device}");
        }
        assert_eq!(role("well-being"), ColumnRole::Answer);
        for own in [
            "Q7_First Click",
            "Q7_Page Submit",
            "Q_RecaptchaScore",
            "duration",
        ] {
            assert_eq!(role(own), ColumnRole::Metadata, "{own}");
        }
        for who in [
            "SubmitterName",
            "username",
            "instanceName",
            "UID",
            "Nom d'utilisateur",
            "Benutzername",
        ] {
            assert_eq!(role(who), ColumnRole::Identifier, "{who}");
        }
        assert_eq!(role("project/team_member/Name"), ColumnRole::Identifier);
        assert_eq!(
            role_of(Format::Generic, "School", &["school".into()]),
            ColumnRole::Identifier
        );
    }

    #[test]
    fn own_values_are_scrubbed_where_a_whole_word_regex_would_find_them() {
        // The reference is the regex `(?i)\bVALUE\b` with replace_all, then "[name] [name]"
        // merged, as the scrubbing did before it found names without a pattern per row.
        let texts = [
            "Ann",
            "ann's notes",
            "Annual Ann ANN",
            "Jo-Ann and jo",
            "o'brien O'Brien",
            "x.y@z.com, X.Y@Z.COM.",
            "Zoë zoë ZOË zoëy",
            "Lee Lee Lee",
            "  Ann  ",
            "AnnAnn Ann",
            "mary-ann: Mary Ann, maryann",
            "(Ann)",
            "ann.",
        ];
        let values = [
            "Ann",
            "Jo",
            "O'Brien",
            "x.y@z.com",
            "Zoë",
            "Lee",
            "Mary Ann",
        ];
        for text in texts {
            for value in values {
                let re = Regex::new(&format!(r"(?i)\b{}\b", regex::escape(value))).unwrap();
                let mut expected = re.replace_all(text, "[name]").into_owned();
                while expected.contains("[name] [name]") {
                    expected = expected.replace("[name] [name]", "[name]");
                }
                assert_eq!(
                    scrub_own_identifiers(text, &[value]),
                    expected,
                    "{text:?} / {value:?}"
                );
            }
        }
    }

    #[test]
    fn ascii_search_ignores_case_and_finds_the_needle_anywhere() {
        for (hay, needle, found) in [
            ("Ask ANN lee", "ann", true),
            ("ask ann", "Ann", true),
            ("an", "Ann", false),
            ("xxAnN", "ann", true),
            ("", "a", false),
            ("abc", "", true),
            ("a-b", "A-B", true),
            ("ba", "ab", false),
        ] {
            assert_eq!(
                contains_ascii_ignoring_case(hay, needle),
                found,
                "{hay} / {needle}"
            );
        }
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
        assert!(
            is_redactable_value("Ann") && is_redactable_value("Zoë") && !is_redactable_value("Zö")
        );
        assert!(!is_redactable_value("1.2.3.4"));
        // An answer without a letter is left as it is, whatever the row's values
        // (`RowView::scrubbed` relies on it to skip gathering them).
        assert!(matches!(
            scrub_own_identifiers("0161 496 0000", &["0161 496 0000", "ab1"]),
            Cow::Borrowed(_)
        ));
        assert_eq!(
            scrub_own_identifiers("North West", &["Ann", "west"]),
            "North [name]"
        );
        assert!(matches!(
            scrub_own_identifiers("North West", &["Ann", "Lee"]),
            Cow::Borrowed(_)
        ));
        assert!(!is_redactable_value("Al"));
    }
}
