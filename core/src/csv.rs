//! CSV files for handing records to a Shared Lives scheme (RFC 4180).
//!
//! Each file starts with a UTF-8 byte order mark, so that spreadsheet programs
//! read names such as "Siân" correctly, then a header row. Rows end with CRLF.
//! Deleted records are included, with who deleted them, when and why, because
//! the scheme must be able to see that a record existed and was withdrawn.
//!
//! Free text (anything a person typed) is guarded against spreadsheet formula
//! injection; see [`defuse`].

use crate::checkin::{Answered, CheckIn, Ons4Question};
use crate::dates;
use crate::note::Note;
use crate::record::{Body, Record};
use crate::visit::Visit;
use chrono::{DateTime, FixedOffset, Utc};
use std::borrow::Cow;

/// The UTF-8 byte order mark every file starts with.
pub const BOM: &str = "\u{feff}";

/// Appends one row to `out`: fields separated by commas, ended by CRLF.
///
/// A field is quoted when it contains a comma, a double quote, CR or LF, or
/// starts or ends with white space (which some programs would otherwise trim);
/// a double quote inside a quoted field is doubled. Fields are written as
/// given: guard free text with [`defuse`] first.
pub fn write_row(out: &mut String, fields: &[&str]) {
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        if needs_quotes(field) {
            out.push('"');
            out.push_str(&field.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(field);
        }
    }
    out.push_str("\r\n");
}

fn needs_quotes(field: &str) -> bool {
    field.contains([',', '"', '\r', '\n'])
        || field.starts_with(char::is_whitespace)
        || field.ends_with(char::is_whitespace)
}

/// Guards free text against spreadsheet formula injection.
///
/// Excel, LibreOffice and Google Sheets treat a cell that starts with `=`, `+`,
/// `-` or `@` as a formula, and a tab or carriage return at the start can hide
/// one. A note that happened to start like that (or one pasted in with ill
/// intent) could then run a formula on a scheme worker's computer, for example
/// one that sends other cells to a web address. A leading apostrophe makes a
/// spreadsheet show the text as it is; anyone reading the raw file sees one
/// extra apostrophe.
///
/// Only text a person typed goes through this: our own numbers, dates and ids
/// never start with these characters (and a negative number must stay a number).
pub fn defuse(text: &str) -> Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// The header row of [`notes_csv`].
pub const NOTES_HEADER: [&str; 16] = [
    "id",
    "person",
    "occurred_at",
    "date",
    "time",
    "text",
    "topics",
    "written_with_person",
    "written_by",
    "last_changed_at",
    "last_changed_by",
    "revision",
    "amended",
    "deleted_at",
    "deleted_by",
    "deletion_reason",
];

/// The header row of [`checkins_csv`].
pub const CHECKINS_HEADER: [&str; 24] = [
    "id",
    "person",
    "occurred_at",
    "date",
    "time",
    "mood",
    "mood_score",
    "answered",
    "sleep",
    "appetite",
    "pain",
    "ons4_life_satisfaction",
    "ons4_worthwhile",
    "ons4_happy_yesterday",
    "ons4_anxious_yesterday",
    "own_words",
    "written_by",
    "last_changed_at",
    "last_changed_by",
    "revision",
    "amended",
    "deleted_at",
    "deleted_by",
    "deletion_reason",
];

/// A moment as the carer's phone saw it, with its offset:
/// `2026-11-22T14:05:00+00:00`.
fn local_moment(at: DateTime<FixedOffset>) -> String {
    dates::local_stamp(at)
}

/// A moment in UTC, to the second: `2026-11-22T14:05:00Z`.
fn utc_moment(at: DateTime<Utc>) -> String {
    format!(
        "{}T{}Z",
        dates::form_date(at.date_naive()),
        dates::clock_seconds(at.time())
    )
}

fn yes_no(value: bool) -> &'static str {
    if value {
        "yes"
    } else {
        "no"
    }
}

/// The columns every record kind shares, as owned text.
struct Common {
    id: String,
    occurred_at: String,
    date: String,
    time: String,
    last_changed_at: String,
    revision: String,
    amended: &'static str,
    deleted_at: String,
}

impl Common {
    fn of<T: Body>(rec: &Record<T>, at: DateTime<FixedOffset>) -> Self {
        Common {
            id: rec.id().to_string(),
            occurred_at: local_moment(at),
            date: dates::form_date(at.date_naive()),
            time: dates::form_time(at.time()),
            last_changed_at: utc_moment(rec.updated_at()),
            revision: rec.rev().to_string(),
            amended: yes_no(rec.is_amended()),
            deleted_at: rec
                .deleted()
                .map(|t| utc_moment(t.deleted_at))
                .unwrap_or_default(),
        }
    }
}

/// Records sorted oldest first by when they happened, then by id.
fn oldest_first<T: Body>(
    records: &[Record<T>],
    at: impl Fn(&T) -> DateTime<FixedOffset>,
) -> Vec<&Record<T>> {
    let mut sorted: Vec<&Record<T>> = records.iter().collect();
    crate::order::sort_by_key(&mut sorted, |rec| (at(rec.body()), rec.id()));
    sorted
}

/// Every note about one person, deleted ones included, oldest first, as a CSV
/// file: the [`BOM`], the [`NOTES_HEADER`] row, then one row per note.
pub fn notes_csv(notes: &[Record<Note>], person_name: &str) -> String {
    let mut out = String::from(BOM);
    write_row(&mut out, &NOTES_HEADER);
    let person = defuse(person_name);
    for rec in oldest_first(notes, Note::occurred_at) {
        let n = rec.body();
        let c = Common::of(rec, n.occurred_at());
        let topics = n
            .topics()
            .iter()
            .map(|t| t.label())
            .collect::<Vec<_>>()
            .join("; ");
        let tomb = rec.deleted();
        write_row(
            &mut out,
            &[
                &c.id,
                &person,
                &c.occurred_at,
                &c.date,
                &c.time,
                &defuse(n.text()),
                &topics,
                yes_no(n.with_person()),
                &defuse(rec.created_by()),
                &c.last_changed_at,
                &defuse(rec.updated_by()),
                &c.revision,
                c.amended,
                &c.deleted_at,
                &defuse(tomb.map_or("", |t| t.deleted_by.as_str())),
                &defuse(tomb.map_or("", |t| t.reason.as_str())),
            ],
        );
    }
    out
}

/// The header row of [`visits_csv`].
pub const VISITS_HEADER: [&str; 20] = [
    "id",
    "person",
    "kind",
    "started_at",
    "start_date",
    "ended_at",
    "nights",
    "hours",
    "place",
    "what_happened",
    "others_present",
    "planned_stay",
    "written_by",
    "last_changed_at",
    "last_changed_by",
    "revision",
    "amended",
    "deleted_at",
    "deleted_by",
    "deletion_reason",
];

/// Every visit or stay with one person, deleted ones included, oldest first,
/// as a CSV file for the scheme.
pub fn visits_csv(visits: &[Record<Visit>], person_name: &str) -> String {
    let mut out = String::from(BOM);
    write_row(&mut out, &VISITS_HEADER);
    let person = defuse(person_name);
    for rec in oldest_first(visits, Visit::start) {
        let v = rec.body();
        let c = Common::of(rec, v.start());
        let tomb = rec.deleted();
        let hours = format!("{:.2}", v.duration().num_minutes() as f64 / 60.0);
        write_row(
            &mut out,
            &[
                &c.id,
                &person,
                v.kind().label(),
                &c.occurred_at,
                &c.date,
                &local_moment(v.end()),
                &v.nights().to_string(),
                &hours,
                &defuse(&v.place_words()),
                &defuse(v.what_happened()),
                &defuse(v.others_present()),
                &v.planned_stay().map(|s| s.to_string()).unwrap_or_default(),
                &defuse(rec.created_by()),
                &c.last_changed_at,
                &defuse(rec.updated_by()),
                &c.revision,
                c.amended,
                &c.deleted_at,
                &defuse(tomb.map_or("", |t| t.deleted_by.as_str())),
                &defuse(tomb.map_or("", |t| t.reason.as_str())),
            ],
        );
    }
    out
}

/// Who answered, in words for the scheme.
fn answered_words(answered: Answered) -> &'static str {
    match answered {
        Answered::Themselves => "themselves",
        Answered::WithHelp => "with help",
        Answered::CarerObserved => "carer observed",
    }
}

/// Every check-in about one person, deleted ones included, oldest first, as a
/// CSV file: the [`BOM`], the [`CHECKINS_HEADER`] row, then one row per
/// check-in. Unasked questions are empty cells.
pub fn checkins_csv(checkins: &[Record<CheckIn>], person_name: &str) -> String {
    let mut out = String::from(BOM);
    write_row(&mut out, &CHECKINS_HEADER);
    let person = defuse(person_name);
    for rec in oldest_first(checkins, CheckIn::occurred_at) {
        let k = rec.body();
        let c = Common::of(rec, k.occurred_at());
        let ons4 = Ons4Question::ALL.map(|q| {
            k.ons4()
                .answer(q)
                .map(|v| v.to_string())
                .unwrap_or_default()
        });
        let tomb = rec.deleted();
        write_row(
            &mut out,
            &[
                &c.id,
                &person,
                &c.occurred_at,
                &c.date,
                &c.time,
                k.mood().label(),
                &k.mood().score().to_string(),
                answered_words(k.answered()),
                k.sleep().map_or("", |s| s.label()),
                k.appetite().map_or("", |a| a.label()),
                k.pain().map_or("", |p| p.label()),
                &ons4[0],
                &ons4[1],
                &ons4[2],
                &ons4[3],
                &defuse(k.own_words()),
                &defuse(rec.created_by()),
                &c.last_changed_at,
                &defuse(rec.updated_by()),
                &c.revision,
                c.amended,
                &c.deleted_at,
                &defuse(tomb.map_or("", |t| t.deleted_by.as_str())),
                &defuse(tomb.map_or("", |t| t.reason.as_str())),
            ],
        );
    }
    out
}

#[cfg(test)]
mod visit_tests {
    use super::*;
    use crate::zone::FixedZone;
    use crate::{Arrangement, Place, RecordId, VisitDraft};
    use chrono::TimeZone;

    #[test]
    fn visits_export_with_nights_hours_and_text_that_survives_a_csv_reader() {
        let now = Utc.with_ymd_and_hms(2026, 11, 22, 18, 0, 0).unwrap();
        let body = VisitDraft {
            person_id: RecordId::from_random_bytes([1; 16]).to_string(),
            kind: Some(Arrangement::ShortBreaks),
            start_date: "2026-11-20".into(),
            start_time: "17:00".into(),
            end_date: "2026-11-22".into(),
            end_time: "10:30".into(),
            place: Some(Place::CarersHome),
            what_happened: "Baked, \"lemon\" cake,\nthen a film.".into(),
            ..Default::default()
        }
        .validate(now, &FixedZone::utc())
        .unwrap();
        let rec = Record::create(RecordId::from_random_bytes([2; 16]), body, "Ann", now);
        let text = visits_csv(&[rec], "Siân");
        let mut reader =
            csv::ReaderBuilder::new().from_reader(text.trim_start_matches(BOM).as_bytes());
        let header: Vec<String> = reader
            .headers()
            .unwrap()
            .iter()
            .map(str::to_string)
            .collect();
        assert_eq!(header, VISITS_HEADER);
        let row = reader.records().next().unwrap().unwrap();
        assert_eq!(&row[1], "Siân");
        assert_eq!(&row[2], "Short breaks");
        assert_eq!(&row[4], "2026-11-20");
        assert_eq!(&row[6], "2");
        assert_eq!(&row[7], "41.50");
        assert_eq!(&row[9], "Baked, \"lemon\" cake,\nthen a film.");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checkin::{Appetite, CheckInDraft, Mood, Pain, Sleep};
    use crate::id::RecordId;
    use crate::note::{NoteDraft, Topic};
    use crate::zone::FixedZone;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 22, 16, 0, 0).unwrap()
    }

    fn person() -> RecordId {
        RecordId::from_random_bytes([4; 16])
    }

    fn id(n: u8) -> RecordId {
        RecordId::from_random_bytes([n; 16])
    }

    fn note_draft(date: &str, time: &str, text: &str) -> NoteDraft {
        NoteDraft {
            person_id: person().to_string(),
            date: date.into(),
            time: time.into(),
            text: text.into(),
            ..Default::default()
        }
    }

    fn note(n: u8, draft: NoteDraft) -> Record<Note> {
        let body = draft.validate(now(), &FixedZone::utc()).unwrap();
        Record::create(id(n), body, "Siân", now())
    }

    fn checkin_draft(date: &str, time: &str, mood: Mood) -> CheckInDraft {
        CheckInDraft {
            person_id: person().to_string(),
            date: date.into(),
            time: time.into(),
            mood: Some(mood),
            answered: Some(Answered::Themselves),
            ..Default::default()
        }
    }

    fn checkin(n: u8, draft: CheckInDraft) -> Record<CheckIn> {
        let body = draft.validate(now(), &FixedZone::utc()).unwrap();
        Record::create(id(n), body, "Siân", now())
    }

    /// Parses a whole file with the `csv` crate, after checking the BOM.
    fn parse(file: &str) -> Vec<Vec<String>> {
        let body = file.strip_prefix(BOM).expect("starts with the BOM");
        ::csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(body.as_bytes())
            .records()
            .map(|r| r.unwrap().iter().map(String::from).collect())
            .collect()
    }

    /// The value in the column called `name`.
    fn column<'a>(header: &[&str], row: &'a [String], name: &str) -> &'a str {
        let i = header.iter().position(|h| *h == name).unwrap();
        &row[i]
    }

    fn row(fields: &[&str]) -> String {
        let mut out = String::new();
        write_row(&mut out, fields);
        out
    }

    #[test]
    fn plain_fields_are_bare_and_rows_end_with_crlf() {
        assert_eq!(row(&["a", "b c", "", "3"]), "a,b c,,3\r\n");
        assert_eq!(row(&[]), "\r\n");
    }

    #[test]
    fn awkward_fields_are_quoted_with_inner_quotes_doubled() {
        assert_eq!(row(&["a,b"]), "\"a,b\"\r\n");
        assert_eq!(row(&["say \"hi\""]), "\"say \"\"hi\"\"\"\r\n");
        assert_eq!(row(&["one\ntwo"]), "\"one\ntwo\"\r\n");
        assert_eq!(row(&["one\r\ntwo"]), "\"one\r\ntwo\"\r\n");
        assert_eq!(row(&["cr\r"]), "\"cr\r\"\r\n");
        assert_eq!(row(&[" lead", "trail "]), "\" lead\",\"trail \"\r\n");
        assert_eq!(row(&["café", "Siân"]), "café,Siân\r\n");
    }

    #[test]
    fn any_fields_survive_a_round_trip_through_a_csv_reader() {
        let fields = [
            "",
            " ",
            "  two sides  ",
            ",",
            "\"",
            "\"\"",
            "a\"b,c\r\nd\re\nf",
            "\n",
            "Siân's café",
            "\t",
        ];
        let mut file = String::from(BOM);
        write_row(&mut file, &fields);
        write_row(&mut file, &["last"]);
        let rows = parse(&file);
        assert_eq!(
            rows,
            [fields.map(String::from).to_vec(), vec!["last".into()]]
        );
    }

    #[test]
    fn formulas_get_a_leading_apostrophe_and_other_text_does_not() {
        for (text, guarded) in [
            ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
            ("+44 7700 900123", "'+44 7700 900123"),
            ("-2 degrees outside", "'-2 degrees outside"),
            ("@home all day", "'@home all day"),
            ("\t=1+1", "'\t=1+1"),
            ("\r=1+1", "'\r=1+1"),
            ("Went out = good day", "Went out = good day"),
            ("'quoted already", "'quoted already"),
            ("", ""),
        ] {
            assert_eq!(defuse(text), guarded, "{text:?}");
        }
        assert!(matches!(defuse("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn the_notes_file_has_the_bom_then_the_header_row() {
        let file = notes_csv(&[], "Meg");
        assert_eq!(
            file,
            "\u{feff}id,person,occurred_at,date,time,text,topics,written_with_person,written_by,last_changed_at,last_changed_by,revision,amended,deleted_at,deleted_by,deletion_reason\r\n"
        );
        assert_eq!(parse(&file), [NOTES_HEADER.map(String::from).to_vec()]);
    }

    #[test]
    fn the_checkins_file_has_the_bom_then_the_header_row() {
        let file = checkins_csv(&[], "Meg");
        assert!(file.starts_with(
            "\u{feff}id,person,occurred_at,date,time,mood,mood_score,answered,sleep,appetite,pain,ons4_life_satisfaction,ons4_worthwhile,ons4_happy_yesterday,ons4_anxious_yesterday,own_words,written_by,"
        ));
        assert_eq!(parse(&file), [CHECKINS_HEADER.map(String::from).to_vec()]);
    }

    #[test]
    fn note_text_survives_a_round_trip_exactly() {
        let texts = [
            "Meg said \"no thanks\" to the café, then chose tea, cake and a walk.",
            "Line one.\nLine two, with a comma.\r\nLine three: \"quoted\".",
            "Siân visited; Meg was pleased. Naïve résumé — ✓ 😊",
            "Inner  spaces  stay,\ttabs too,\n\nand blank lines.",
        ];
        let notes: Vec<Record<Note>> = texts
            .iter()
            .zip(1..)
            .map(|(text, n)| note(n, note_draft("2026-11-02", "10:00", text)))
            .collect();
        let rows = parse(&notes_csv(&notes, "Siân, \"Meg\""));
        assert_eq!(rows.len(), texts.len() + 1);
        for (row, text) in rows[1..].iter().zip(texts) {
            assert_eq!(column(&NOTES_HEADER, row, "text"), text);
            assert_eq!(column(&NOTES_HEADER, row, "person"), "Siân, \"Meg\"");
            assert_eq!(column(&NOTES_HEADER, row, "written_by"), "Siân");
        }
    }

    #[test]
    fn every_row_ends_with_crlf_even_when_text_has_bare_new_lines() {
        let notes = [note(1, note_draft("2026-11-20", "09:00", "a\nb"))];
        let file = notes_csv(&notes, "Meg");
        assert!(file.ends_with("\r\n"));
        // Outside quoted fields every LF follows a CR.
        let mut quoted = false;
        let mut previous = '\0';
        for ch in file.chars() {
            if ch == '"' {
                quoted = !quoted;
            } else if ch == '\n' && !quoted {
                assert_eq!(previous, '\r');
            }
            previous = ch;
        }
        assert_eq!(file.matches("\r\n").count(), 2);
    }

    #[test]
    fn a_note_row_has_every_column() {
        let mut rec = note(
            7,
            NoteDraft {
                topics: vec![Topic::Sleep, Topic::Health],
                with_person: true,
                ..note_draft("2026-11-22", "14:05", "First text")
            },
        );
        let later = now() + chrono::Duration::milliseconds(61_500);
        rec.amend(
            1,
            NoteDraft {
                topics: vec![Topic::Sleep, Topic::Health],
                with_person: true,
                ..note_draft("2026-11-22", "14:05", "Second text")
            }
            .validate(now(), &FixedZone::utc())
            .unwrap(),
            "Dev",
            later,
        )
        .unwrap();
        let rows = parse(&notes_csv(&[rec], "Meg"));
        assert_eq!(
            rows[1],
            [
                id(7).to_string().as_str(),
                "Meg",
                "2026-11-22T14:05:00+00:00",
                "2026-11-22",
                "14:05",
                "Second text",
                "Health; Sleep",
                "yes",
                "Siân",
                "2026-11-22T16:01:01Z",
                "Dev",
                "2",
                "yes",
                "",
                "",
                "",
            ]
        );
    }

    #[test]
    fn times_keep_the_offset_they_were_written_in() {
        let bst = FixedZone(FixedOffset::east_opt(3600).unwrap());
        let body = note_draft("2026-07-01", "09:30", "Summer")
            .validate(now(), &bst)
            .unwrap();
        let rows = parse(&notes_csv(
            &[Record::create(id(1), body, "Ann", now())],
            "Meg",
        ));
        assert_eq!(
            column(&NOTES_HEADER, &rows[1], "occurred_at"),
            "2026-07-01T09:30:00+01:00"
        );
        assert_eq!(column(&NOTES_HEADER, &rows[1], "date"), "2026-07-01");
        assert_eq!(column(&NOTES_HEADER, &rows[1], "time"), "09:30");
    }

    #[test]
    fn deleted_notes_are_included_with_the_deletion_and_rows_are_oldest_first() {
        let mut gone = note(1, note_draft("2026-11-21", "08:00", "Wrong person"));
        gone.delete(1, "Written for -Meg- by mistake", "Dev", now())
            .unwrap();
        let notes = vec![
            note(2, note_draft("2026-11-22", "08:00", "Newest")),
            gone,
            note(3, note_draft("2026-11-01", "08:00", "=HYPERLINK(\"x\")")),
        ];
        let rows = parse(&notes_csv(&notes, "@Meg"));
        let texts: Vec<&str> = rows[1..]
            .iter()
            .map(|r| column(&NOTES_HEADER, r, "text"))
            .collect();
        assert_eq!(texts, ["'=HYPERLINK(\"x\")", "Wrong person", "Newest"]);
        let deleted = &rows[2];
        assert_eq!(
            column(&NOTES_HEADER, deleted, "deleted_at"),
            "2026-11-22T16:00:00Z"
        );
        assert_eq!(column(&NOTES_HEADER, deleted, "deleted_by"), "Dev");
        assert_eq!(
            column(&NOTES_HEADER, deleted, "deletion_reason"),
            "Written for -Meg- by mistake"
        );
        assert_eq!(column(&NOTES_HEADER, deleted, "revision"), "2");
        assert_eq!(column(&NOTES_HEADER, deleted, "amended"), "no");
        assert_eq!(column(&NOTES_HEADER, deleted, "person"), "'@Meg");
        assert_eq!(column(&NOTES_HEADER, &rows[1], "deleted_by"), "");
    }

    #[test]
    fn a_checkin_row_has_every_column() {
        let full = checkin(
            5,
            CheckInDraft {
                answered: Some(Answered::WithHelp),
                sleep: Some(Sleep::Poor),
                appetite: Some(Appetite::More),
                pain: Some(Pain::ALot),
                ons4: ["8".into(), "".into(), "0".into(), "10".into()],
                own_words: "Tired, but \"happy\" at the café.\nSiân came.".into(),
                ..checkin_draft("2026-11-22", "09:15", Mood::Good)
            },
        );
        let rows = parse(&checkins_csv(&[full], "Meg"));
        assert_eq!(
            rows[1],
            [
                id(5).to_string().as_str(),
                "Meg",
                "2026-11-22T09:15:00+00:00",
                "2026-11-22",
                "09:15",
                "Good",
                "4",
                "with help",
                "Poor",
                "More than usual",
                "A lot",
                "8",
                "",
                "0",
                "10",
                "Tired, but \"happy\" at the café.\nSiân came.",
                "Siân",
                "2026-11-22T16:00:00Z",
                "Siân",
                "1",
                "no",
                "",
                "",
                "",
            ]
        );
    }

    #[test]
    fn check_ins_are_oldest_first_with_unasked_answers_empty_and_deletions_shown() {
        let mut gone = checkin(1, checkin_draft("2026-11-20", "10:00", Mood::Awful));
        gone.delete(1, "Duplicate", "Ann", now()).unwrap();
        let checkins = vec![
            checkin(
                2,
                CheckInDraft {
                    answered: Some(Answered::CarerObserved),
                    own_words: "-".into(),
                    ..checkin_draft("2026-11-22", "10:00", Mood::Great)
                },
            ),
            gone,
            checkin(3, checkin_draft("2026-11-21", "10:00", Mood::Low)),
        ];
        let rows = parse(&checkins_csv(&checkins, "Meg"));
        let got: Vec<Vec<&str>> = rows[1..]
            .iter()
            .map(|r| {
                [
                    "date",
                    "mood",
                    "mood_score",
                    "answered",
                    "sleep",
                    "ons4_worthwhile",
                    "own_words",
                    "deletion_reason",
                ]
                .iter()
                .map(|name| column(&CHECKINS_HEADER, r, name))
                .collect()
            })
            .collect();
        assert_eq!(
            got,
            [
                [
                    "2026-11-20",
                    "Awful",
                    "1",
                    "themselves",
                    "",
                    "",
                    "",
                    "Duplicate"
                ],
                ["2026-11-21", "Low", "2", "themselves", "", "", "", ""],
                [
                    "2026-11-22",
                    "Great",
                    "5",
                    "carer observed",
                    "",
                    "",
                    "'-",
                    ""
                ],
            ]
        );
    }
}
