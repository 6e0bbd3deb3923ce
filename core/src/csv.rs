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
use crate::range::DateRange;
use crate::record::{Body, Record};
use crate::stay::PlannedStay;
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
///
/// Direction controls left open are closed too ([`crate::bidi::balanced`]),
/// so a name can't reverse the rest of a row.
pub fn defuse(text: &str) -> Cow<'_, str> {
    let text = crate::bidi::balanced(text);
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{text}"))
    } else {
        text
    }
}

/// The last columns of every file: who wrote the record, its last change, and
/// its deletion (see [`audit`]).
const AUDIT_HEADER: [&str; 8] = [
    "written_by",
    "last_changed_at",
    "last_changed_by",
    "revision",
    "amended",
    "deleted_at",
    "deleted_by",
    "deletion_reason",
];

/// A kind's own columns followed by [`AUDIT_HEADER`].
const fn with_audit<const N: usize, const M: usize>(own: [&'static str; N]) -> [&'static str; M] {
    assert!(M == N + AUDIT_HEADER.len());
    let mut out = [""; M];
    let mut i = 0;
    while i < M {
        out[i] = if i < N { own[i] } else { AUDIT_HEADER[i - N] };
        i += 1;
    }
    out
}

/// The header row of [`notes_csv`].
pub const NOTES_HEADER: [&str; 16] = with_audit([
    "id",
    "person",
    "occurred_at",
    "date",
    "time",
    "text",
    "topics",
    "written_with_person",
]);

/// The header row of [`checkins_csv`].
pub const CHECKINS_HEADER: [&str; 24] = with_audit([
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
]);

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
}

impl Common {
    fn of<T: Body>(rec: &Record<T>, at: DateTime<FixedOffset>) -> Self {
        Common {
            id: rec.id().to_string(),
            occurred_at: local_moment(at),
            date: dates::form_date(at.date_naive()),
            time: dates::form_time(at.time()),
        }
    }
}

/// The columns every file ends with: who wrote the record, its last change,
/// and its deletion (`written_by` … `deletion_reason` in the headers).
fn audit<T: Body>(rec: &Record<T>) -> [String; 8] {
    let tomb = rec.deleted();
    [
        defuse(rec.created_by()).into_owned(),
        utc_moment(rec.updated_at()),
        defuse(rec.updated_by()).into_owned(),
        rec.rev().to_string(),
        yes_no(rec.is_amended()).to_string(),
        tomb.map(|t| utc_moment(t.deleted_at)).unwrap_or_default(),
        defuse(tomb.map_or("", |t| t.deleted_by.as_str())).into_owned(),
        defuse(tomb.map_or("", |t| t.reason.as_str())).into_owned(),
    ]
}

/// A new file: the [`BOM`], then the header row.
fn new_file(header: &[&str]) -> String {
    let mut out = String::from(BOM);
    write_row(&mut out, header);
    out
}

/// Appends one record's row: its kind's own fields, then the [`audit`] ones.
fn write_record<T: Body>(out: &mut String, rec: &Record<T>, own: &[&str]) {
    let audit = audit(rec);
    let mut fields = own.to_vec();
    fields.extend(audit.iter().map(String::as_str));
    write_row(out, &fields);
}

/// The records `inside` the export, oldest first by when they happened, then
/// by id.
fn oldest_first<T: Body, K: Ord>(
    records: &[Record<T>],
    at: impl Fn(&T) -> K,
    inside: impl Fn(&T) -> bool,
) -> Vec<&Record<T>> {
    let mut sorted: Vec<&Record<T>> = records.iter().filter(|r| inside(r.body())).collect();
    crate::order::sort_by_key(&mut sorted, |rec| (at(rec.body()), rec.id()));
    sorted
}

/// Every note about one person, deleted ones included, oldest first, as a CSV
/// file: the [`BOM`], the [`NOTES_HEADER`] row, then one row per note.
pub fn notes_csv(notes: &[Record<Note>], person_name: &str, range: DateRange) -> String {
    let mut out = new_file(&NOTES_HEADER);
    let person = defuse(person_name);
    for rec in oldest_first(notes, Note::occurred_at, |n| range.contains(n.day())) {
        let n = rec.body();
        let c = Common::of(rec, n.occurred_at());
        let topics = n
            .topics()
            .iter()
            .map(|t| t.label())
            .collect::<Vec<_>>()
            .join("; ");
        write_record(
            &mut out,
            rec,
            &[
                &c.id,
                &person,
                &c.occurred_at,
                &c.date,
                &c.time,
                &defuse(n.text()),
                &topics,
                yes_no(n.with_person()),
            ],
        );
    }
    out
}

/// The header row of [`visits_csv`].
pub const VISITS_HEADER: [&str; 20] = with_audit([
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
]);

/// Every visit or stay with one person, deleted ones included, oldest first,
/// as a CSV file for the scheme.
pub fn visits_csv(visits: &[Record<Visit>], person_name: &str, range: DateRange) -> String {
    let mut out = new_file(&VISITS_HEADER);
    let person = defuse(person_name);
    let inside = |v: &Visit| {
        let (first, last) = v.days();
        range.touches(first, last)
    };
    for rec in oldest_first(visits, Visit::start, inside) {
        let v = rec.body();
        let c = Common::of(rec, v.start());
        let hours = format!("{:.2}", v.duration().num_minutes() as f64 / 60.0);
        write_record(
            &mut out,
            rec,
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
            ],
        );
    }
    out
}

/// The header row of [`stays_csv`].
pub const STAYS_HEADER: [&str; 18] = with_audit([
    "id",
    "person",
    "arrival_date",
    "arrival_time",
    "departure_date",
    "departure_time",
    "nights",
    "status",
    "staying_with",
    "notes_for_person",
]);

/// Every planned short break for one person whose days touch `range`,
/// cancelled and deleted ones included (the scheme sees what changed), in
/// arrival order, as a CSV file.
pub fn stays_csv(stays: &[Record<PlannedStay>], person_name: &str, range: DateRange) -> String {
    let mut out = new_file(&STAYS_HEADER);
    let person = defuse(person_name);
    let time = |t: Option<chrono::NaiveTime>| t.map(dates::form_time).unwrap_or_default();
    let arrival = |s: &PlannedStay| (s.arrival(), s.departure());
    let inside = |s: &PlannedStay| range.touches(s.arrival(), s.departure());
    for rec in oldest_first(stays, arrival, inside) {
        let s = rec.body();
        write_record(
            &mut out,
            rec,
            &[
                &rec.id().to_string(),
                &person,
                &dates::form_date(s.arrival()),
                &time(s.arrival_time()),
                &dates::form_date(s.departure()),
                &time(s.departure_time()),
                &s.nights().to_string(),
                s.status().label(),
                &defuse(s.host()),
                &defuse(s.notes_for_person()),
            ],
        );
    }
    out
}

/// The header row of [`doses_csv`].
pub const DOSES_HEADER: [&str; 21] = with_audit([
    "id",
    "person",
    "medicine",
    "medicine_id",
    "dose_due",
    "given_at",
    "date",
    "time",
    "code",
    "outcome",
    "amount",
    "reason",
    "override_reason",
]);

/// Every dose's outcome for one person, deleted ones included, oldest first,
/// as a CSV file: the [`BOM`], the [`DOSES_HEADER`] row, then a row per
/// dose. `medicines` names them ("Paracetamol 500 mg tablet"); `dose_due`
/// is the scheduled dose (its wall-clock time, or its instant in UTC for
/// an "every so many hours" one), empty for a "when needed" dose.
pub fn doses_csv(
    doses: &[Record<crate::dose::DoseRecord>],
    medicines: &[Record<crate::medicine::Medicine>],
    person_name: &str,
    range: DateRange,
) -> String {
    use crate::medicine::Slot;
    let mut out = new_file(&DOSES_HEADER);
    let person = defuse(person_name);
    let inside = |d: &crate::dose::DoseRecord| range.contains(d.at().date_naive());
    for rec in oldest_first(doses, |d| d.at(), inside) {
        let d = rec.body();
        let c = Common::of(rec, d.at());
        let medicine = medicines
            .iter()
            .find(|m| m.id() == d.medicine_id())
            .map(|m| m.body().title())
            .unwrap_or_default();
        let due = match d.slot() {
            Some(Slot::At { local }) => format!(
                "{}T{}",
                dates::form_date(local.date()),
                dates::form_time(local.time())
            ),
            Some(Slot::Instant { at }) => utc_moment(at),
            None => String::new(),
        };
        write_record(
            &mut out,
            rec,
            &[
                &c.id,
                &person,
                &defuse(&medicine),
                &d.medicine_id().to_string(),
                &due,
                &c.occurred_at,
                &c.date,
                &c.time,
                d.outcome().code(),
                &d.outcome().label(),
                &d.amount().map(|a| a.text()).unwrap_or_default(),
                &defuse(d.reason()),
                &defuse(d.override_reason()),
            ],
        );
    }
    out
}

/// The MAR chart as a spreadsheet: a row per medicine and time of day, a
/// column per day (`YYYY-MM-DD`), each cell the outcome's code and the
/// initials of who recorded it ([`crate::mar::Cell::text`]), then the key of
/// codes.
pub fn mar_csv(chart: &crate::mar::Chart, person_name: &str) -> String {
    let days: Vec<String> = chart.days.iter().map(|d| dates::form_date(*d)).collect();
    let mut header = vec!["person", "medicine", "dose", "time"];
    header.extend(days.iter().map(String::as_str));
    let mut out = new_file(&header);
    let person = defuse(person_name);
    for row in &chart.rows {
        let time = row
            .time
            .map(dates::form_time)
            .unwrap_or_else(|| "when needed".to_string());
        let cells: Vec<String> = row.cells.iter().map(crate::mar::Cell::text).collect();
        let (title, detail) = (defuse(&row.title), defuse(&row.detail));
        let mut fields: Vec<&str> = vec![&person, &title, &detail, &time];
        fields.extend(cells.iter().map(String::as_str));
        write_row(&mut out, &fields);
    }
    write_row(&mut out, &[]);
    for (code, words) in crate::dose::codes_key() {
        write_row(&mut out, &["", code, &words]);
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
pub fn checkins_csv(checkins: &[Record<CheckIn>], person_name: &str, range: DateRange) -> String {
    let mut out = new_file(&CHECKINS_HEADER);
    let person = defuse(person_name);
    for rec in oldest_first(checkins, CheckIn::occurred_at, |k| range.contains(k.day())) {
        let k = rec.body();
        let c = Common::of(rec, k.occurred_at());
        let ons4 = Ons4Question::ALL.map(|q| {
            k.ons4()
                .answer(q)
                .map(|v| v.to_string())
                .unwrap_or_default()
        });
        write_record(
            &mut out,
            rec,
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
        let text = visits_csv(&[rec], "Siân", DateRange::ALL);
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

    fn visit(n: u8, start: &str, end: &str) -> Record<Visit> {
        let now = Utc.with_ymd_and_hms(2027, 1, 1, 12, 0, 0).unwrap();
        let body = VisitDraft {
            person_id: RecordId::from_random_bytes([1; 16]).to_string(),
            kind: Some(Arrangement::ShortBreaks),
            start_date: start.into(),
            start_time: "17:00".into(),
            end_date: end.into(),
            end_time: "10:00".into(),
            place: Some(Place::CarersHome),
            ..Default::default()
        }
        .validate(now, &FixedZone::utc())
        .unwrap();
        Record::create(RecordId::from_random_bytes([n; 16]), body, "Ann", now)
    }

    fn stay(n: u8, arrival: &str, departure: &str, notes: &str) -> Record<PlannedStay> {
        let now = Utc.with_ymd_and_hms(2026, 11, 22, 18, 0, 0).unwrap();
        let body = crate::PlannedStayDraft {
            arrival: arrival.into(),
            departure: departure.into(),
            arrival_time: "16:30".into(),
            notes_for_person: notes.into(),
            ..crate::PlannedStayDraft::new_for(
                Some(RecordId::from_random_bytes([1; 16])),
                "Ann and Dev's",
            )
        }
        .validate()
        .unwrap();
        Record::create(RecordId::from_random_bytes([n; 16]), body, "Ann", now)
    }

    fn rows(text: &str) -> Vec<csv::StringRecord> {
        csv::ReaderBuilder::new()
            .from_reader(text.trim_start_matches(BOM).as_bytes())
            .records()
            .map(Result::unwrap)
            .collect()
    }

    fn day(y: i32, m: u32, d: u32) -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_visit_is_in_a_range_when_any_of_its_days_is() {
        let visits = [
            visit(1, "2026-10-30", "2026-11-01"),
            visit(2, "2026-11-10", "2026-11-12"),
            visit(3, "2026-11-30", "2026-12-02"),
            visit(4, "2026-12-05", "2026-12-06"),
        ];
        let november = DateRange::between(day(2026, 11, 1), day(2026, 11, 30)).unwrap();
        let found: Vec<String> = rows(&visits_csv(&visits, "Meg", november))
            .iter()
            .map(|r| r[4].to_string())
            .collect();
        assert_eq!(found, ["2026-10-30", "2026-11-10", "2026-11-30"]);
        assert_eq!(rows(&visits_csv(&visits, "Meg", DateRange::ALL)).len(), 4);
    }

    #[test]
    fn planned_stays_export_in_arrival_order_with_cancelled_and_deleted_ones() {
        let now = Utc.with_ymd_and_hms(2026, 11, 22, 18, 0, 0).unwrap();
        let later = stay(
            1,
            "2027-01-08",
            "2027-01-10",
            "Bring your swimming things, \"please\"",
        );
        let mut cancelled = stay(2, "2026-12-04", "2026-12-06", "");
        let body = cancelled.body().with_status(crate::StayStatus::Cancelled);
        cancelled.amend(1, body, "Ann", now).unwrap();
        let mut deleted = stay(3, "2026-12-18", "2026-12-21", "=SUM(A1)");
        deleted.delete(1, "Planned twice", "Ann", now).unwrap();
        let outside = stay(4, "2026-10-01", "2026-10-03", "");
        let winter = DateRange::between(day(2026, 12, 1), day(2027, 1, 31)).unwrap();
        let file = stays_csv(&[later, cancelled, deleted, outside], "Meg", winter);
        let mut reader =
            csv::ReaderBuilder::new().from_reader(file.trim_start_matches(BOM).as_bytes());
        let header: Vec<String> = reader
            .headers()
            .unwrap()
            .iter()
            .map(str::to_string)
            .collect();
        assert_eq!(header, STAYS_HEADER);
        let found = rows(&file);
        let arrivals: Vec<&str> = found.iter().map(|r| &r[2]).collect();
        assert_eq!(arrivals, ["2026-12-04", "2026-12-18", "2027-01-08"]);
        assert_eq!(&found[0][7], "Cancelled");
        assert_eq!(&found[0][14], "yes");
        assert_eq!(&found[1][17], "Planned twice");
        assert_eq!(&found[1][9], "'=SUM(A1)");
        assert_eq!(&found[2][3], "16:30");
        assert_eq!(&found[2][6], "2");
        assert_eq!(&found[2][8], "Ann and Dev's");
        assert_eq!(&found[2][9], "Bring your swimming things, \"please\"");
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

    #[test]
    fn the_sample_doses_and_their_mar_chart_round_trip_through_a_spreadsheet() {
        let zone = FixedZone::utc();
        let r = crate::sample::generate(7, 90, now(), &zone);
        let maggie = r.people[0].id();
        let file = doses_csv(&r.doses, &r.medicines, "Maggie", DateRange::ALL);
        let rows = parse(&file);
        assert_eq!(rows[0], DOSES_HEADER);
        assert_eq!(rows.len(), r.doses.len() + 1);
        // Each row says what is stored: its outcome's code, its medicine.
        for (row, dose) in rows[1..]
            .iter()
            .zip(oldest_first(&r.doses, |d| d.at(), |_| true))
        {
            assert_eq!(column(&DOSES_HEADER, row, "id"), dose.id().to_string());
            assert_eq!(
                column(&DOSES_HEADER, row, "code"),
                dose.body().outcome().code()
            );
            assert_eq!(
                column(&DOSES_HEADER, row, "written_by"),
                "Hearth sample data"
            );
        }
        assert!(rows[1..]
            .iter()
            .any(|r| column(&DOSES_HEADER, r, "medicine") == "Metformin 500 mg tablet"));
        // The month's chart, cell by cell.
        let today = now().date_naive();
        let days: Vec<chrono::NaiveDate> = (today - chrono::Duration::days(27))
            .iter_days()
            .take(28)
            .collect();
        let theirs: Vec<_> = r
            .medicines
            .iter()
            .filter(|m| m.body().person_id() == maggie)
            .cloned()
            .collect();
        let chart = crate::mar::chart(&theirs, &r.doses, &r.absences, &days, now(), &zone);
        let grid = parse(&mar_csv(&chart, "Maggie"));
        assert_eq!(grid[0][..4], ["person", "medicine", "dose", "time"]);
        assert_eq!(grid[0][4], crate::dates::form_date(days[0]));
        for (row, line) in chart.rows.iter().zip(&grid[1..]) {
            for (cell, text) in row.cells.iter().zip(&line[4..]) {
                assert_eq!(&cell.text(), text);
            }
        }
        assert!(
            grid.iter()
                .any(|line| line.get(1).map(String::as_str) == Some("H")
                    && line[2] == "Away: in hospital"),
            "the key"
        );
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
        let file = notes_csv(&[], "Meg", DateRange::ALL);
        assert_eq!(
            file,
            "\u{feff}id,person,occurred_at,date,time,text,topics,written_with_person,written_by,last_changed_at,last_changed_by,revision,amended,deleted_at,deleted_by,deletion_reason\r\n"
        );
        assert_eq!(parse(&file), [NOTES_HEADER.map(String::from).to_vec()]);
    }

    #[test]
    fn the_checkins_file_has_the_bom_then_the_header_row() {
        let file = checkins_csv(&[], "Meg", DateRange::ALL);
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
        let rows = parse(&notes_csv(&notes, "Siân, \"Meg\"", DateRange::ALL));
        assert_eq!(rows.len(), texts.len() + 1);
        for (row, text) in rows[1..].iter().zip(texts) {
            assert_eq!(column(&NOTES_HEADER, row, "text"), text);
            assert_eq!(column(&NOTES_HEADER, row, "person"), "Siân, \"Meg\"");
            assert_eq!(column(&NOTES_HEADER, row, "written_by"), "Siân");
        }
    }

    #[test]
    fn a_date_range_keeps_the_notes_and_check_ins_of_its_days_by_the_phones_calendar() {
        let bst = FixedZone(FixedOffset::east_opt(3600).unwrap());
        let at = |n: u8, date: &str, time: &str| {
            let body = note_draft(date, time, "Day out")
                .validate(now(), &bst)
                .unwrap();
            Record::create(id(n), body, "Ann", now())
        };
        // 00:30 on 1 September in summer time is still 31 August in UTC.
        let notes = [
            at(1, "2026-08-31", "23:59"),
            at(2, "2026-09-01", "00:30"),
            at(3, "2026-09-30", "23:30"),
            at(4, "2026-10-01", "00:00"),
        ];
        let september = DateRange::parse("2026-09-01", "2026-09-30").unwrap();
        let rows = parse(&notes_csv(&notes, "Meg", september));
        let days: Vec<&str> = rows[1..]
            .iter()
            .map(|r| column(&NOTES_HEADER, r, "date"))
            .collect();
        assert_eq!(days, ["2026-09-01", "2026-09-30"]);
        let none = DateRange::parse("2027-01-01", "").unwrap();
        assert_eq!(parse(&checkins_csv(&[], "Meg", none)).len(), 1);
        assert_eq!(parse(&notes_csv(&notes, "Meg", none)).len(), 1);
    }

    #[test]
    fn every_row_ends_with_crlf_even_when_text_has_bare_new_lines() {
        let notes = [note(1, note_draft("2026-11-20", "09:00", "a\nb"))];
        let file = notes_csv(&notes, "Meg", DateRange::ALL);
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
        let rows = parse(&notes_csv(&[rec], "Meg", DateRange::ALL));
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
            DateRange::ALL,
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
        let rows = parse(&notes_csv(&notes, "@Meg", DateRange::ALL));
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
        let rows = parse(&checkins_csv(&[full], "Meg", DateRange::ALL));
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
        let rows = parse(&checkins_csv(&checkins, "Meg", DateRange::ALL));
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
