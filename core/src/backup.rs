//! Backups: one JSON file holding every record on the phone (earlier versions
//! and deletions included), and restoring one without losing anything.
//!
//! The file is one JSON object:
//!
//! ```json
//! {"format":"hearth-backup","format_version":1,"app_version":"0.1.0",
//!  "created_at":"2026-11-22T10:00:00Z","household":"Ann and Dev's",
//!  "record_count":42,"checksum":"sha256:…","records":{…}}
//! ```
//!
//! `checksum` is SHA-256 over the exact bytes of `records` as written (which are
//! `serde_json::to_string(&records)`). Reading hashes the bytes in the file, not
//! a re-serialisation, so any change at all to the records is caught.
//!
//! Reading trusts nothing: the size, the JSON, the format and its version, the
//! checksum and the count are checked, then every version of every record is
//! checked again with the same rules the forms use, and every record's person
//! must be in the backup. The first problem found is returned, in words a carer
//! can act on, and nothing is written: [`read_backup`] and [`plan_restore`] are
//! pure, so the phone's records are untouched until the app writes a plan.
//!
//! Restoring never loses a record or an amendment: records are matched by id,
//! and two different copies of one record are merged with [`Record::merge`].

use crate::checkin::{CheckIn, CheckInDraft};
use crate::dates;
use crate::dose::DoseRecord;
use crate::id::RecordId;
use crate::mar::Absence;
use crate::medicine::{Medicine, MedicineDraft};
use crate::note::{Note, NoteDraft};
use crate::person::{Person, PersonDraft};
use crate::profile::{CarerProfile, CarerProfileDraft};
use crate::record::{Body, Record, MAX_REASON_CHARS};
use crate::stay::{PlannedStay, PlannedStayDraft};
use crate::validate::{self, ValidationErrors};
use crate::visit::{Visit, VisitDraft};
use crate::zone::LocalZone;
use chrono::{DateTime, Duration, FixedOffset, NaiveDateTime, NaiveTime, Timelike, Utc};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use sha2::{Digest, Sha256};
use std::cell::Cell;
use std::collections::{HashMap, HashSet};

/// The value of the file's `format` field.
pub const FORMAT: &str = "hearth-backup";

/// The newest version of the file's shape, which this code reads with every
/// earlier one. It goes up whenever the envelope or `records` changes shape;
/// every earlier version must keep restoring (see `core/tests/fixtures/`).
/// Version 2 added medicines, doses and days away to `records`; a file
/// without any is still written as version 1 (see [`format_version_for`]),
/// so that a Hearth from before medicines reads it, and one with them tells
/// that Hearth it was made by a newer version.
pub const FORMAT_VERSION: u32 = 2;

/// The version a file of `records` is written as: the oldest that holds them.
pub fn format_version_for(records: &BackupRecords) -> u32 {
    if records.medicines.is_empty() && records.doses.is_empty() && records.absences.is_empty() {
        1
    } else {
        2
    }
}

/// The largest file read as a backup, in bytes (64 MiB: about 200,000 notes).
pub const MAX_BACKUP_BYTES: usize = 64 * 1024 * 1024;

/// The byte order mark some programs put at the start of a text file.
const BOM: char = '\u{feff}';

/// How far ahead of "now" a time in a backup or a synced record may be: a
/// phone whose clock is wrong (set by hand, or to the wrong time zone, up to 14
/// hours out) still made a good file, but a date days or years ahead can't be
/// true and would later read as a false time in the record's history.
pub const CLOCK_ALLOWANCE_HOURS: i64 = 24;

/// The earliest time a backup or a synced record may carry: no Hearth record
/// can be older than the forms' own earliest date, 1 January 2000 (a phone
/// whose clock was reset to 1970 gives times before it).
pub fn earliest_time() -> DateTime<Utc> {
    DateTime::<Utc>::from_naive_utc_and_offset(
        chrono::NaiveDate::from_ymd_opt(2000, 1, 1)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .expect("a valid date"),
        Utc,
    )
}

/// The latest time a backup or a synced record may carry, given `now`.
fn latest_time(now: DateTime<Utc>) -> DateTime<Utc> {
    // Far enough from chrono's limits for the forms' few minutes' slack.
    let ceiling = DateTime::<Utc>::MAX_UTC - Duration::days(2);
    now.min(ceiling - Duration::hours(CLOCK_ALLOWANCE_HOURS))
        + Duration::hours(CLOCK_ALLOWANCE_HOURS)
}

/// Whether `at` is a time a real record or file can carry, given `now`.
fn believable(at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    earliest_time() <= at && at <= latest_time(now)
}

/// Every record on the phone, by kind: what a backup holds, and what a restore
/// writes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BackupRecords {
    /// The carer's profile, if set up.
    pub profile: Option<Record<CarerProfile>>,
    /// The people supported, archived ones too.
    pub people: Vec<Record<Person>>,
    /// Daily notes.
    pub notes: Vec<Record<Note>>,
    /// Wellbeing check-ins.
    pub checkins: Vec<Record<CheckIn>>,
    /// Visits and stays as they happened.
    pub visits: Vec<Record<Visit>>,
    /// Planned stays.
    pub stays: Vec<Record<PlannedStay>>,
    /// Medicines (left out of a file without any, which a Hearth from before
    /// medicines then still reads).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub medicines: Vec<Record<Medicine>>,
    /// Every dose's outcome.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub doses: Vec<Record<DoseRecord>>,
    /// Days away.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub absences: Vec<Record<Absence>>,
}

impl BackupRecords {
    /// How many records there are, of every kind, deleted ones included.
    pub fn count(&self) -> usize {
        usize::from(self.profile.is_some())
            + self.people.len()
            + self.notes.len()
            + self.checkins.len()
            + self.visits.len()
            + self.stays.len()
            + self.medicines.len()
            + self.doses.len()
            + self.absences.len()
    }
}

/// A backup file that has passed every check.
#[derive(Debug, Clone, PartialEq)]
pub struct Backup {
    /// The file's format version (at most [`FORMAT_VERSION`]).
    pub format_version: u32,
    /// The version of Hearth that made it.
    pub app_version: String,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// The household's name when it was made; may be empty.
    pub household: String,
    /// The records, every one re-checked.
    pub records: BackupRecords,
}

/// Why a file can't be restored. Every message is for the carer: it says what
/// is wrong and what to do, and that nothing on the phone was changed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BackupError {
    /// Bigger than [`MAX_BACKUP_BYTES`]; holds the size in bytes.
    #[error("This file is too big to be a Hearth backup ({} MB). Choose the file Hearth saved, usually named hearth-backup-….json. Nothing on this phone has been changed.", megabytes(.0))]
    TooLarge(u64),
    /// Empty, or only white space.
    #[error("This file is empty, so there is nothing in it to restore. Choose the file Hearth saved, usually named hearth-backup-….json. Nothing on this phone has been changed.")]
    Empty,
    /// Not JSON at all.
    #[error("This file isn't a Hearth backup: it can't be read as one. Choose the file Hearth saved, usually named hearth-backup-….json. Nothing on this phone has been changed.")]
    NotJson,
    /// JSON, but not a Hearth backup.
    #[error("This file isn't a Hearth backup: it was made by something else. Choose the file Hearth saved, usually named hearth-backup-….json. Nothing on this phone has been changed.")]
    NotHearth,
    /// The file stops part-way through.
    #[error("This backup is incomplete: the file ends early, so it was probably cut off while it was being saved, copied or downloaded. Copy or download it again, or use another backup. Nothing on this phone has been changed.")]
    Truncated,
    /// Made by a newer Hearth, in a format this one can't read.
    #[error("This backup was made by a newer version of Hearth (format {0}). Update Hearth, then try again. Nothing on this phone has been changed.")]
    NewerFormat(u64),
    /// A format version no Hearth ever wrote (0, negative, not a number,
    /// missing); holds the value as found, shortened.
    #[error("This backup says its format is {0}, which Hearth doesn't know, so it can't be restored. Check that this is the file Hearth saved. Nothing on this phone has been changed.")]
    UnknownFormat(String),
    /// The file says it was made at a time that can't be true: later than
    /// now (beyond [`CLOCK_ALLOWANCE_HOURS`]) or before 2000. Holds the date
    /// as written, in words.
    #[error("This backup says it was made on {0}, which can't be right: the phone that made it may have had its clock set wrong. Check the date on that phone, make a new backup there, then restore that one. Nothing on this phone has been changed.")]
    ImpossibleDate(String),
    /// The records are not the bytes Hearth wrote.
    #[error("This backup has been changed since Hearth saved it, so it can't be trusted. Use the file exactly as Hearth saved it, or another backup. Nothing on this phone has been changed.")]
    ChecksumMismatch,
    /// The number of records is not the number Hearth wrote down.
    #[error("This backup is damaged: it should hold {expected} records but holds {found}. Use another backup. Nothing on this phone has been changed.")]
    CountMismatch {
        /// The count written in the file.
        expected: u64,
        /// The records actually there.
        found: u64,
    },
    /// A part of the file is missing or has the wrong shape.
    #[error("This backup is damaged: part of it is missing or can't be read. Use another backup. Nothing on this phone has been changed.")]
    Damaged {
        /// What the JSON reader said, for logs (not shown to the carer).
        detail: String,
    },
    /// A record breaks Hearth's rules.
    #[error("One {} in this backup isn't right, so the backup can't be restored. Hearth found: \"{problem}\" (record {}). Nothing on this phone has been changed.", noun(.kind, 1), short(.id))]
    InvalidRecord {
        /// The record kind ([`Body::KIND`]).
        kind: &'static str,
        /// The record's id.
        id: RecordId,
        /// The first problem, in words.
        problem: String,
    },
    /// Two records of one kind share an id.
    #[error("This backup is damaged: it holds two {} with the same id ({}). Use another backup. Nothing on this phone has been changed.", noun(.kind, 2), short(.id))]
    DuplicateId {
        /// The record kind ([`Body::KIND`]).
        kind: &'static str,
        /// The shared id.
        id: RecordId,
    },
}

fn megabytes(bytes: &u64) -> u64 {
    bytes.div_ceil(1024 * 1024)
}

fn short(id: &RecordId) -> String {
    id.to_string().chars().take(8).collect()
}

/// A kind's name in a sentence, for one or for several.
fn noun(kind: &str, n: usize) -> &'static str {
    let (one, many) = match kind {
        "person" => ("person", "people"),
        "note" => ("note", "notes"),
        "checkin" => ("check-in", "check-ins"),
        "visit" => ("visit", "visits"),
        "planned_stay" => ("planned stay", "planned stays"),
        "medicine" => ("medicine", "medicines"),
        "dose" => ("dose", "doses"),
        "absence" => ("time away", "times away"),
        "profile" => ("carer profile", "carer profiles"),
        _ => ("record", "records"),
    };
    if n == 1 {
        one
    } else {
        many
    }
}

/// The file's envelope as written. `records` is embedded byte for byte.
#[derive(Serialize)]
struct EnvelopeOut<'a> {
    format: &'a str,
    format_version: u32,
    app_version: &'a str,
    created_at: DateTime<Utc>,
    household: &'a str,
    record_count: usize,
    checksum: String,
    records: &'a RawValue,
}

/// The backup file for `records`, made by Hearth `app_version` for `household`
/// at `now`.
pub fn write_backup(
    records: &BackupRecords,
    app_version: &str,
    household: &str,
    now: DateTime<Utc>,
) -> String {
    // Serialising records can't fail: every map key is a field name, and
    // chrono writes any date it can hold.
    let json = serde_json::to_string(records).expect("records always serialise");
    let raw = RawValue::from_string(json).expect("serde_json's own output is JSON");
    let envelope = EnvelopeOut {
        format: FORMAT,
        format_version: format_version_for(records),
        app_version,
        created_at: now,
        household,
        record_count: records.count(),
        checksum: checksum(raw.get()),
        records: &raw,
    };
    serde_json::to_string(&envelope).expect("the envelope always serialises")
}

/// `sha256:` and the lowercase hex SHA-256 of `text`'s bytes.
fn checksum(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    let mut out = String::with_capacity(7 + 64);
    out.push_str("sha256:");
    for byte in digest {
        out.push(char::from(b"0123456789abcdef"[usize::from(byte >> 4)]));
        out.push(char::from(b"0123456789abcdef"[usize::from(byte & 15)]));
    }
    out
}

/// The first look: only what says whether this is a Hearth backup at all, and
/// which version. Everything else is skipped (but must still be JSON).
#[derive(Deserialize)]
struct Probe<'a> {
    #[serde(default)]
    format: Option<String>,
    #[serde(default, borrow)]
    format_version: Option<&'a RawValue>,
}

/// The envelope of a version 1 file, `records` kept as the bytes in the file.
#[derive(Deserialize)]
struct EnvelopeV1<'a> {
    app_version: String,
    created_at: DateTime<Utc>,
    household: String,
    record_count: u64,
    checksum: String,
    #[serde(borrow)]
    records: &'a RawValue,
}

/// Reads and checks a backup file, `now` being the phone's time. Never panics,
/// whatever `text` holds; on any problem it says which, and nothing anywhere
/// has been changed. Every time in it (the file's own, and every record's:
/// content, envelope, earlier versions, deletion) must be believable: no
/// later than `now` plus [`CLOCK_ALLOWANCE_HOURS`], and not before 2000.
pub fn read_backup(text: &str, now: DateTime<Utc>) -> Result<Backup, BackupError> {
    if text.len() > MAX_BACKUP_BYTES {
        return Err(BackupError::TooLarge(text.len() as u64));
    }
    let text = text.strip_prefix(BOM).unwrap_or(text);
    if text.trim().is_empty() {
        return Err(BackupError::Empty);
    }
    if !text.trim_start().starts_with('{') {
        // Not an object: some other JSON, or not JSON at all.
        return Err(match serde_json::from_str::<serde::de::IgnoredAny>(text) {
            Ok(_) => BackupError::NotHearth,
            Err(_) => BackupError::NotJson,
        });
    }
    let probe: Probe = serde_json::from_str(text).map_err(|e| {
        if e.is_eof() && looks_like_a_backup(text) {
            BackupError::Truncated
        } else if e.is_data() {
            BackupError::NotHearth
        } else {
            BackupError::NotJson
        }
    })?;
    if probe.format.as_deref() != Some(FORMAT) {
        return Err(BackupError::NotHearth);
    }
    let version = format_version(probe.format_version)?;
    // Versions 1 and 2 share the envelope (2 only adds kinds of record). A
    // later one reads its own envelope here, by `version`, and turns older
    // records into today's.
    let envelope: EnvelopeV1 = serde_json::from_str(text).map_err(damaged)?;
    if envelope.checksum != checksum(envelope.records.get()) {
        return Err(BackupError::ChecksumMismatch);
    }
    let records: BackupRecords = serde_json::from_str(envelope.records.get()).map_err(damaged)?;
    let found = records.count() as u64;
    if found != envelope.record_count {
        return Err(BackupError::CountMismatch {
            expected: envelope.record_count,
            found,
        });
    }
    if !believable(envelope.created_at, now) {
        return Err(BackupError::ImpossibleDate(dates::long_date(
            envelope.created_at.date_naive(),
        )));
    }
    check_records(&records, envelope.created_at, now)?;
    Ok(Backup {
        format_version: version,
        app_version: envelope.app_version,
        created_at: envelope.created_at,
        household: envelope.household,
        records,
    })
}

/// Whether a file that stops early started as a backup does: the writer puts
/// the format first.
fn looks_like_a_backup(text: &str) -> bool {
    let start = &text.as_bytes()[..text.len().min(200)];
    start.windows(FORMAT.len()).any(|w| w == FORMAT.as_bytes())
}

fn damaged(e: serde_json::Error) -> BackupError {
    BackupError::Damaged {
        detail: e.to_string(),
    }
}

/// The format version, if it is one this code reads.
fn format_version(raw: Option<&RawValue>) -> Result<u32, BackupError> {
    let Some(raw) = raw else {
        return Err(BackupError::UnknownFormat("missing".into()));
    };
    match serde_json::from_str::<u64>(raw.get()) {
        Ok(v @ 1..) if v <= u64::from(FORMAT_VERSION) => Ok(v as u32),
        Ok(v) if v > u64::from(FORMAT_VERSION) => Err(BackupError::NewerFormat(v)),
        _ => {
            let shown: String = raw.get().chars().take(20).collect();
            Err(BackupError::UnknownFormat(shown))
        }
    }
}

// ---- Re-checking records ----

/// Stored content that can be checked again against the rules its form
/// applied when it was saved, for content that arrives from outside (a backup
/// file) and so can't be assumed valid.
pub trait Recheck {
    /// Checks the content as if the carer had just saved it from its form.
    /// `latest` is the latest moment it can have been saved: times may not be
    /// later than that (plus the usual few minutes' slack). The content must
    /// also be exactly what the form would save (trimmed, tidied), so a value
    /// no form can produce is refused too.
    fn recheck(&self, latest: DateTime<Utc>) -> Result<(), ValidationErrors>;
}

/// What a body that validates but differs from its stored self has wrong.
const NOT_AS_SAVED: &str = "Some of its details aren't stored the way Hearth saves them.";

/// Ok when the form's result is the stored content itself.
fn same<T: PartialEq>(
    stored: &T,
    validated: Result<T, ValidationErrors>,
) -> Result<(), ValidationErrors> {
    if validated? == *stored {
        Ok(())
    } else {
        Err(ValidationErrors::single("record", NOT_AS_SAVED))
    }
}

/// A time as a form holds it: to the minute, or to the second when it has
/// seconds (forms accept both). Anything finer can't come from a form.
fn exact_time(t: NaiveTime) -> String {
    if t.second() == 0 && t.nanosecond() == 0 {
        dates::form_time(t)
    } else {
        dates::clock_seconds(t)
    }
}

/// A date-time with a year no form could give is refused before any date
/// arithmetic, which could otherwise overflow.
fn plausible_year(at: DateTime<FixedOffset>) -> Result<(), ValidationErrors> {
    use chrono::Datelike;
    if (1..=9999).contains(&at.year()) {
        Ok(())
    } else {
        Err(ValidationErrors::single(
            "date",
            "Its date can't be right: the year is out of range.",
        ))
    }
}

/// A zone that gives back the offsets the content was stored with, so the
/// form's local times turn into exactly the stored instants, clocks changing
/// or not. A local time matches its stored moment; when two stored moments
/// share a local time (the hour the clocks go back repeats), they are taken in
/// the order the form reads them.
struct StoredZone {
    moments: Vec<(NaiveDateTime, FixedOffset)>,
    first: FixedOffset,
    calls: Cell<usize>,
}

impl StoredZone {
    fn of(moments: &[DateTime<FixedOffset>]) -> Self {
        StoredZone {
            moments: moments
                .iter()
                .map(|m| (m.naive_local(), *m.offset()))
                .collect(),
            first: moments.first().map_or_else(
                || FixedOffset::east_opt(0).expect("zero is a valid offset"),
                |m| *m.offset(),
            ),
            calls: Cell::new(0),
        }
    }
}

impl LocalZone for StoredZone {
    fn offset_at(&self, _: DateTime<Utc>) -> FixedOffset {
        self.first
    }
    fn offset_for_local(&self, local: NaiveDateTime) -> FixedOffset {
        let call = self.calls.get();
        self.calls.set(call.saturating_add(1));
        self.moments
            .get(call)
            .filter(|(at, _)| *at == local)
            .or_else(|| self.moments.iter().find(|(at, _)| *at == local))
            .map_or(self.first, |(_, offset)| *offset)
    }
}

impl Recheck for Person {
    fn recheck(&self, latest: DateTime<Utc>) -> Result<(), ValidationErrors> {
        // The phone's date may be ahead of UTC's by up to 14 hours.
        let today = (latest + Duration::hours(14)).date_naive();
        same(self, PersonDraft::from_person(self).validate(today))
    }
}

impl Recheck for Note {
    fn recheck(&self, latest: DateTime<Utc>) -> Result<(), ValidationErrors> {
        let at = self.occurred_at();
        plausible_year(at)?;
        let draft = NoteDraft {
            time: exact_time(at.time()),
            ..NoteDraft::from_note(self)
        };
        same(self, draft.validate(latest, &StoredZone::of(&[at])))
    }
}

impl Recheck for CheckIn {
    fn recheck(&self, latest: DateTime<Utc>) -> Result<(), ValidationErrors> {
        let at = self.occurred_at();
        plausible_year(at)?;
        let draft = CheckInDraft {
            time: exact_time(at.time()),
            ..CheckInDraft::from_checkin(self)
        };
        same(self, draft.validate(latest, &StoredZone::of(&[at])))
    }
}

impl Recheck for Visit {
    fn recheck(&self, latest: DateTime<Utc>) -> Result<(), ValidationErrors> {
        let (start, end) = (self.start(), self.end());
        plausible_year(start)?;
        plausible_year(end)?;
        let draft = VisitDraft {
            start_time: exact_time(start.time()),
            end_time: exact_time(end.time()),
            ..VisitDraft::from_visit(self)
        };
        same(self, draft.validate(latest, &StoredZone::of(&[start, end])))
    }
}

impl Recheck for PlannedStay {
    fn recheck(&self, _latest: DateTime<Utc>) -> Result<(), ValidationErrors> {
        let draft = PlannedStayDraft {
            arrival_time: self.arrival_time().map(exact_time).unwrap_or_default(),
            departure_time: self.departure_time().map(exact_time).unwrap_or_default(),
            ..PlannedStayDraft::from_stay(self)
        };
        same(self, draft.validate())
    }
}

impl Recheck for Medicine {
    fn recheck(&self, _latest: DateTime<Utc>) -> Result<(), ValidationErrors> {
        same(self, MedicineDraft::from_medicine(self).validate())
    }
}

impl Recheck for DoseRecord {
    fn recheck(&self, latest: DateTime<Utc>) -> Result<(), ValidationErrors> {
        plausible_year(self.at())?;
        self.check(latest)
    }
}

impl Recheck for Absence {
    fn recheck(&self, _latest: DateTime<Utc>) -> Result<(), ValidationErrors> {
        plausible_year(self.from())?;
        plausible_year(self.to())?;
        self.check()
    }
}

impl Recheck for CarerProfile {
    fn recheck(&self, _latest: DateTime<Utc>) -> Result<(), ValidationErrors> {
        same(self, CarerProfileDraft::from_profile(self).validate())
    }
}

/// Who a record is about, for the kinds that are about someone.
trait AboutPerson {
    fn person(&self) -> RecordId;
}
impl AboutPerson for Note {
    fn person(&self) -> RecordId {
        self.person_id()
    }
}
impl AboutPerson for CheckIn {
    fn person(&self) -> RecordId {
        self.person_id()
    }
}
impl AboutPerson for Visit {
    fn person(&self) -> RecordId {
        self.person_id()
    }
}
impl AboutPerson for PlannedStay {
    fn person(&self) -> RecordId {
        self.person_id()
    }
}
impl AboutPerson for Medicine {
    fn person(&self) -> RecordId {
        self.person_id()
    }
}
impl AboutPerson for DoseRecord {
    fn person(&self) -> RecordId {
        self.person_id()
    }
}
impl AboutPerson for Absence {
    fn person(&self) -> RecordId {
        self.person_id()
    }
}

/// When a backup file was made, and the phone's time as it is read.
#[derive(Clone, Copy)]
struct Times {
    made: DateTime<Utc>,
    now: DateTime<Utc>,
}

fn check_records(
    r: &BackupRecords,
    made: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), BackupError> {
    let at = Times { made, now };
    if let Some(profile) = &r.profile {
        check_record(profile, at)?;
    }
    check_kind(&r.people, at)?;
    let people: HashSet<RecordId> = r.people.iter().map(Record::id).collect();
    check_about(&r.notes, at, &people)?;
    check_about(&r.checkins, at, &people)?;
    check_about(&r.visits, at, &people)?;
    check_about(&r.stays, at, &people)?;
    check_about(&r.medicines, at, &people)?;
    check_about(&r.doses, at, &people)?;
    check_about(&r.absences, at, &people)?;
    Ok(())
}

fn check_kind<T: Body + Recheck>(records: &[Record<T>], at: Times) -> Result<(), BackupError> {
    let mut seen = HashSet::with_capacity(records.len());
    for record in records {
        if !seen.insert(record.id()) {
            return Err(BackupError::DuplicateId {
                kind: T::KIND,
                id: record.id(),
            });
        }
        check_record(record, at)?;
    }
    Ok(())
}

fn check_about<T: Body + Recheck + AboutPerson>(
    records: &[Record<T>],
    at: Times,
    people: &HashSet<RecordId>,
) -> Result<(), BackupError> {
    check_kind(records, at)?;
    for record in records {
        if record
            .versions()
            .any(|(b, _)| !people.contains(&b.person()))
        {
            return Err(invalid(
                record,
                "It is about a person who isn't in the backup.".into(),
            ));
        }
    }
    Ok(())
}

fn invalid<T: Body>(record: &Record<T>, problem: String) -> BackupError {
    BackupError::InvalidRecord {
        kind: T::KIND,
        id: record.id(),
        problem,
    }
}

/// Checks one record that arrived from outside the phone (a document pulled
/// from the scheme's server) with exactly the rules a restored backup's
/// records meet: its envelope and its times, then every version of its
/// content, with `now` as the latest moment it can have been saved. The
/// problem, in words for the carer, when it is refused.
pub fn check_incoming<T: Body + Recheck>(
    record: &Record<T>,
    now: DateTime<Utc>,
) -> Result<(), String> {
    check_record(record, Times { made: now, now }).map_err(|e| match e {
        BackupError::InvalidRecord { problem, .. } => problem,
        other => other.to_string(),
    })
}

/// What a record whose saved times can't be true is told.
const FALSE_TIME: &str = "It says it was saved at a time that can't be right (in the future, or before 2000): the phone that saved it may have had its clock set wrong.";

/// One record: its envelope and every time it was saved (created, updated,
/// each earlier version, its deletion), then every version of its content,
/// which may be no later than when that version was saved.
fn check_record<T: Body + Recheck>(record: &Record<T>, at: Times) -> Result<(), BackupError> {
    if let Some(problem) = envelope_problem(record) {
        return Err(invalid(record, problem.into()));
    }
    let saved = [record.created_at(), record.updated_at()]
        .into_iter()
        .chain(record.history().iter().map(|h| h.saved_at))
        .chain(record.deleted().map(|t| t.deleted_at));
    for time in saved {
        if !believable(time, at.now) {
            return Err(invalid(record, FALSE_TIME.into()));
        }
    }
    for (body, saved_at) in record.versions() {
        // A backup holds records dated up to when it was made; a record saved
        // while the phone's clock was ahead can be later still, but never
        // later than when it was saved, and (checked above) neither is later
        // than now allows.
        let latest = at.made.max(saved_at).min(latest_time(at.now));
        if let Err(errors) = body.recheck(latest) {
            let problem = errors
                .all()
                .first()
                .map_or_else(|| NOT_AS_SAVED.to_string(), |e| e.message.clone());
            return Err(invalid(record, problem));
        }
    }
    Ok(())
}

/// What is wrong with a record's envelope, if anything. Only what
/// [`Record::create`], [`Record::amend`], [`Record::delete`] and
/// [`Record::merge`] always guarantee is checked: the revision counter is not
/// checked against the number of versions, because a merge adds versions in
/// one revision.
fn envelope_problem<T: Body>(record: &Record<T>) -> Option<&'static str> {
    if record.schema() > T::SCHEMA {
        return Some("It was saved by a newer version of Hearth. Update Hearth, then try again.");
    }
    if record.schema() < T::SCHEMA {
        return Some("It is stored in a shape Hearth doesn't know.");
    }
    if record.rev() == 0 {
        return Some("Its revision number is missing.");
    }
    if record.history().iter().any(|h| h.rev >= record.rev()) {
        return Some("Its earlier versions are numbered after the current one.");
    }
    if let Some(t) = record.deleted() {
        let mut errors = ValidationErrors::new();
        let reason = validate::text(
            &mut errors,
            "reason",
            &t.reason,
            Some("It is marked deleted, but without a reason."),
            MAX_REASON_CHARS,
        );
        if let Some(e) = errors.all().first() {
            return Some(if e.message.starts_with("Keep") {
                "The reason it was deleted is too long."
            } else {
                "It is marked deleted, but without a reason."
            });
        }
        if reason != t.reason {
            return Some(NOT_AS_SAVED);
        }
    }
    None
}

// ---- Restoring ----

/// How many records of each kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct KindCounts {
    /// People.
    pub people: usize,
    /// Daily notes.
    pub notes: usize,
    /// Check-ins.
    pub checkins: usize,
    /// Visits and stays.
    pub visits: usize,
    /// Planned stays.
    pub stays: usize,
    /// Medicines.
    pub medicines: usize,
    /// Doses.
    pub doses: usize,
    /// Days away.
    pub absences: usize,
    /// The carer profile.
    pub profile: bool,
}

impl KindCounts {
    /// How many records in all.
    pub fn total(&self) -> usize {
        self.people
            + self.notes
            + self.checkins
            + self.visits
            + self.stays
            + self.medicines
            + self.doses
            + self.absences
            + usize::from(self.profile)
    }
}

/// What restoring a backup will do, worked out before anything is written.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RestorePlan {
    /// Records in the backup that aren't on the phone: added as they are.
    pub added: KindCounts,
    /// Records in the backup that the phone already has, in the same or a
    /// later version: left alone.
    pub unchanged: usize,
    /// Records on both that differ: each written back as the merge of the two
    /// ([`Record::merge`]), which keeps both versions.
    pub merged: usize,
    /// True when the backup's carer profile is a different record from the
    /// phone's: the phone's is kept and the backup's is not used (a phone has
    /// one profile).
    pub profile_kept: bool,
    /// Exactly what to write, in one go: the added records and the merged ones.
    /// Writing them over what is stored loses nothing.
    pub records: BackupRecords,
}

/// What restoring `incoming` (a backup's records) onto `existing` (everything
/// on the phone) will do. Pure: nothing is written.
pub fn plan_restore(incoming: &BackupRecords, existing: &BackupRecords) -> RestorePlan {
    let mut plan = RestorePlan::default();
    let mut tally = Tally::default();
    plan.records.people = plan_kind(&incoming.people, &existing.people, &mut tally);
    plan.added.people = std::mem::take(&mut tally.added);
    plan.records.notes = plan_kind(&incoming.notes, &existing.notes, &mut tally);
    plan.added.notes = std::mem::take(&mut tally.added);
    plan.records.checkins = plan_kind(&incoming.checkins, &existing.checkins, &mut tally);
    plan.added.checkins = std::mem::take(&mut tally.added);
    plan.records.visits = plan_kind(&incoming.visits, &existing.visits, &mut tally);
    plan.added.visits = std::mem::take(&mut tally.added);
    plan.records.stays = plan_kind(&incoming.stays, &existing.stays, &mut tally);
    plan.added.stays = std::mem::take(&mut tally.added);
    plan.records.medicines = plan_kind(&incoming.medicines, &existing.medicines, &mut tally);
    plan.added.medicines = std::mem::take(&mut tally.added);
    plan.records.doses = plan_kind(&incoming.doses, &existing.doses, &mut tally);
    plan.added.doses = std::mem::take(&mut tally.added);
    plan.records.absences = plan_kind(&incoming.absences, &existing.absences, &mut tally);
    plan.added.absences = std::mem::take(&mut tally.added);
    match (&incoming.profile, &existing.profile) {
        (None, _) => {}
        (Some(theirs), None) => {
            plan.added.profile = true;
            plan.records.profile = Some(theirs.clone());
        }
        (Some(theirs), Some(ours)) if theirs.id() == ours.id() => {
            let merged = ours.merge(theirs);
            if merged == *ours {
                tally.unchanged += 1;
            } else {
                tally.merged += 1;
                plan.records.profile = Some(merged);
            }
        }
        (Some(_), Some(_)) => plan.profile_kept = true,
    }
    plan.unchanged = tally.unchanged;
    plan.merged = tally.merged;
    plan
}

#[derive(Default)]
struct Tally {
    added: usize,
    unchanged: usize,
    merged: usize,
}

/// One kind: what to write, counted into `tally`. Copies of one id within the
/// backup (which [`read_backup`] refuses) are merged first, so nothing is lost
/// even then.
fn plan_kind<T: Body>(
    incoming: &[Record<T>],
    existing: &[Record<T>],
    tally: &mut Tally,
) -> Vec<Record<T>> {
    let mut here: HashMap<RecordId, &Record<T>> = HashMap::with_capacity(existing.len());
    for record in existing {
        here.entry(record.id()).or_insert(record);
    }
    let mut theirs: Vec<Record<T>> = Vec::with_capacity(incoming.len());
    let mut at: HashMap<RecordId, usize> = HashMap::with_capacity(incoming.len());
    for record in incoming {
        match at.get(&record.id()) {
            Some(&i) => theirs[i] = theirs[i].merge(record),
            None => {
                at.insert(record.id(), theirs.len());
                theirs.push(record.clone());
            }
        }
    }
    let mut write = Vec::new();
    for record in theirs {
        match here.get(&record.id()) {
            None => {
                tally.added += 1;
                write.push(record);
            }
            Some(ours) => {
                let merged = ours.merge(&record);
                if merged == **ours {
                    tally.unchanged += 1;
                } else {
                    tally.merged += 1;
                    write.push(merged);
                }
            }
        }
    }
    write
}

impl RestorePlan {
    /// What the restore will do, in plain words, for the carer to confirm:
    /// "Adds 120 notes, 14 visits and 2 people. 12 records already here are
    /// unchanged. 2 differ: both versions are kept, as amendments."
    pub fn summary(&self) -> String {
        self.words(false)
    }

    /// What a restore did, once written: "Added 120 notes and 2 people. 12
    /// records already here were unchanged. ..."
    pub fn done(&self) -> String {
        self.words(true)
    }

    fn words(&self, done: bool) -> String {
        let tense = |now: &'static str, then: &'static str| if done { then } else { now };
        let mut sentences = Vec::new();
        let mut parts: Vec<(usize, String)> = [
            (self.added.people, "person"),
            (self.added.notes, "note"),
            (self.added.checkins, "checkin"),
            (self.added.visits, "visit"),
            (self.added.stays, "planned_stay"),
            (self.added.medicines, "medicine"),
            (self.added.doses, "dose"),
            (self.added.absences, "absence"),
        ]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, kind)| (n, format!("{n} {}", noun(kind, n))))
        .collect();
        // Most first; the sort is stable, so equal counts keep the order above.
        crate::order::sort_by_key(&mut parts, |part| std::cmp::Reverse(part.0));
        let mut parts: Vec<String> = parts.into_iter().map(|(_, words)| words).collect();
        if self.added.profile {
            parts.push("your carer details".to_string());
        }
        if !parts.is_empty() {
            sentences.push(format!("{} {}.", tense("Adds", "Added"), list(&parts)));
        }
        match self.unchanged {
            0 => {}
            1 => sentences.push(format!(
                "1 record already here {} unchanged.",
                tense("is", "was")
            )),
            n => sentences.push(format!(
                "{n} records already here {} unchanged.",
                tense("are", "were")
            )),
        }
        match self.merged {
            0 => {}
            1 => sentences.push(format!(
                "1 {}: both versions are kept, as amendments.",
                tense("differs", "differed")
            )),
            n => sentences.push(format!(
                "{n} {}: both versions are kept, as amendments.",
                tense("differ", "differed")
            )),
        }
        if parts.is_empty() && self.merged == 0 {
            sentences = vec![if self.unchanged == 0 && !self.profile_kept {
                "This backup has no records in it.".to_string()
            } else {
                format!(
                    "Nothing new: everything in this backup {} already here.",
                    tense("is", "was")
                )
            }];
        }
        if self.profile_kept {
            sentences.push(format!(
                "Your carer details on this phone {} kept, not the ones in the backup.",
                tense("are", "were")
            ));
        }
        sentences.join(" ")
    }
}

/// "a", "a and b", "a, b and c".
fn list(parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;
    use serde_json::{json, Value};

    /// A household's backup (2 people, amended and deleted notes, check-ins,
    /// visits, planned stays, a profile), written by this code.
    const FIXTURE: &str = include_str!("../tests/fixtures/backup-v1.json");

    fn made() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 22, 18, 0, 0).unwrap()
    }

    /// When the tests' backups are opened: an hour after they were made.
    fn opened() -> DateTime<Utc> {
        made() + Duration::hours(1)
    }

    fn read(text: &str) -> Result<Backup, BackupError> {
        read_backup(text, opened())
    }

    fn household() -> BackupRecords {
        read(FIXTURE).unwrap().records
    }

    fn write(records: &BackupRecords) -> String {
        write_backup(records, "0.1.0", "Ann and Dev's", made())
    }

    /// The household with a medicine for its first person, a dose of it and
    /// a day away.
    fn with_medicines() -> BackupRecords {
        use crate::dose::{DoseDraft, Outcome};
        use crate::mar::AbsenceDraft;
        use crate::medicine::Slot;
        let mut records = household();
        let person = records.people[0].id();
        let draft = MedicineDraft {
            person_id: person.to_string(),
            start: "2026-11-01".into(),
            ..crate::medicine::tests::paracetamol()
        };
        let medicine = Record::create(
            RecordId::from_random_bytes([40; 16]),
            draft.validate().unwrap(),
            "Ann",
            made() - Duration::days(20),
        );
        let zone = crate::zone::FixedZone::utc();
        let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
        let dose = DoseDraft {
            slot: Some(Slot::At {
                local: day.and_hms_opt(8, 0, 0).unwrap(),
            }),
            date: "2026-11-20".into(),
            time: "08:05".into(),
            outcome: Some(Outcome::Refused),
            reason: "Said no; tried again at 8:30, no".into(),
            ..Default::default()
        }
        .validate(&medicine, &[], made(), &zone)
        .unwrap();
        let dose = Record::create(
            RecordId::from_random_bytes([41; 16]),
            dose,
            "Ann",
            made() - Duration::days(2),
        );
        let away = AbsenceDraft {
            person_id: person.to_string(),
            from_date: "2026-11-10".into(),
            to_date: "2026-11-12".into(),
            r#where: Some(crate::dose::AwayReason::Hospital),
            ..Default::default()
        }
        .validate(&zone)
        .unwrap();
        let away = Record::create(
            RecordId::from_random_bytes([42; 16]),
            away,
            "Ann",
            made() - Duration::days(9),
        );
        records.medicines.push(medicine);
        records.doses.push(dose);
        records.absences.push(away);
        records
    }

    #[test]
    fn medicines_doses_and_days_away_go_in_a_backup_and_come_back() {
        let records = with_medicines();
        let file = write(&records);
        let back = read(&file).unwrap();
        assert_eq!(back.records, records);
        assert_eq!(
            back.format_version, 2,
            "an earlier Hearth says it is from a newer one"
        );
        let without = write(&household());
        assert!(
            !without.contains("\"medicines\""),
            "a file without them reads in an earlier Hearth"
        );
        assert_eq!(read(&without).unwrap().format_version, 1);
        let plan = plan_restore(&records, &household());
        assert_eq!(
            (plan.added.medicines, plan.added.doses, plan.added.absences),
            (1, 1, 1)
        );
        assert_eq!(
            plan.summary(),
            "Adds 1 medicine, 1 dose and 1 time away. 14 records already here are unchanged."
        );
        // A medicine no form could save is refused, naming its kind.
        let mut value = serde_json::to_value(&records).unwrap();
        value["medicines"][0]["body"]["name"] = json!("  ");
        let bad: BackupRecords = serde_json::from_value(value).unwrap();
        assert_eq!(invalid_problem(read(&write(&bad))).0, "medicine");
        // A dose whose reason was removed, and one about nobody in the file.
        let mut value = serde_json::to_value(&records).unwrap();
        value["doses"][0]["body"]["reason"] = json!("");
        let bad: BackupRecords = serde_json::from_value(value).unwrap();
        assert_eq!(invalid_problem(read(&write(&bad))).0, "dose");
        let mut orphan = records.clone();
        orphan.people.remove(0);
        orphan.notes.clear();
        orphan.checkins.clear();
        orphan.visits.clear();
        orphan.stays.clear();
        assert!(read(&write(&orphan)).is_err());
    }

    /// The household with its JSON changed by `change`, written with a correct
    /// checksum and count: a file whose records break a rule.
    fn edited(change: impl FnOnce(&mut Value)) -> String {
        let mut value = serde_json::to_value(household()).unwrap();
        change(&mut value);
        write(&serde_json::from_value(value).unwrap())
    }

    fn invalid_problem(result: Result<Backup, BackupError>) -> (&'static str, String) {
        match result {
            Err(BackupError::InvalidRecord { kind, problem, .. }) => (kind, problem),
            other => panic!("expected an invalid record, got {other:?}"),
        }
    }

    #[test]
    fn a_backup_reads_back_as_the_records_written() {
        let records = household();
        assert_eq!(records.count(), 14);
        let text = write(&records);
        assert!(text.starts_with(r#"{"format":"hearth-backup","format_version":1,"app_version":"0.1.0","created_at":"2026-11-22T18:00:00Z","household":"Ann and Dev's","record_count":14,"checksum":"sha256:"#));
        let backup = read(&text).unwrap();
        assert_eq!(backup.records, records);
        assert_eq!(
            (backup.format_version, backup.app_version.as_str()),
            (1, "0.1.0")
        );
        assert_eq!(
            (backup.created_at, backup.household.as_str()),
            (made(), "Ann and Dev's")
        );
        assert_eq!(write(&backup.records), text, "writing is deterministic");
        let empty = read(&write(&BackupRecords::default())).unwrap();
        assert_eq!(empty.records, BackupRecords::default());
    }

    #[test]
    fn the_checksum_is_sha256_of_the_records_json() {
        let records = household();
        let text = write(&records);
        let value: Value = serde_json::from_str(&text).unwrap();
        let json = serde_json::to_string(&records).unwrap();
        assert_eq!(value["checksum"], checksum(&json));
        assert!(text.ends_with(&format!(r#""records":{json}}}"#)));
        // A known answer, so the hash itself is checked, not only agreed with.
        assert_eq!(
            checksum("abc"),
            "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn a_byte_order_mark_and_surrounding_white_space_are_fine() {
        let text = format!("\u{feff}{}\r\n", write(&household()));
        assert_eq!(read(&text).unwrap().records, household());
    }

    #[test]
    fn a_file_cut_off_anywhere_is_incomplete() {
        let text = write(&household());
        assert_eq!(read(""), Err(BackupError::Empty));
        assert_eq!(read(" \n"), Err(BackupError::Empty));
        // Cut before it even says it's a backup, it can't be told from junk.
        let named = text.find(FORMAT).unwrap() + FORMAT.len();
        for end in 1..text.len() {
            if text.is_char_boundary(end) {
                let expected = if end < named {
                    BackupError::NotJson
                } else {
                    BackupError::Truncated
                };
                assert_eq!(read(&text[..end]), Err(expected), "cut at {end}");
            }
        }
    }

    #[test]
    fn a_change_to_any_record_breaks_the_checksum() {
        let text = write(&household());
        let flipped = text.replacen("made scones", "made sconeS", 1);
        assert_ne!(flipped, text);
        assert_eq!(read(&flipped), Err(BackupError::ChecksumMismatch));
        // Even a change serde would not notice: an unknown field name where a
        // field with a default was.
        let renamed = text.replacen(r#""history":[]"#, r#""histori":[]"#, 1);
        assert_eq!(read(&renamed), Err(BackupError::ChecksumMismatch));
        let spaced = text.replacen(r#""rev":1,"#, r#""rev": 1,"#, 1);
        assert_eq!(read(&spaced), Err(BackupError::ChecksumMismatch));
        let checksum_edited = text.replacen("sha256:", "sha256:0", 1);
        assert_eq!(read(&checksum_edited), Err(BackupError::ChecksumMismatch));
    }

    #[test]
    fn an_edited_record_count_is_caught() {
        let text = write(&household()).replacen(r#""record_count":14"#, r#""record_count":13"#, 1);
        let err = read(&text).unwrap_err();
        assert_eq!(
            err,
            BackupError::CountMismatch {
                expected: 13,
                found: 14
            }
        );
        assert_eq!(err.to_string(), "This backup is damaged: it should hold 13 records but holds 14. Use another backup. Nothing on this phone has been changed.");
    }

    #[test]
    fn files_that_are_not_hearth_backups_say_so() {
        let text = write(&household());
        assert_eq!(
            read(&text.replacen("hearth-backup", "hearth-export", 1)),
            Err(BackupError::NotHearth)
        );
        for other in [
            "[1, 2, 3]",
            "\"hello\"",
            "42",
            "null",
            r#"{"name": "Meg"}"#,
            r#"{"format": 1}"#,
        ] {
            assert_eq!(read(other), Err(BackupError::NotHearth), "{other}");
        }
        for junk in [
            "hello",
            "name,person\r\nMeg,1\r\n",
            "{]",
            "\u{0}\u{1}",
            "{\"format\":\"hearth-backup\"}}",
        ] {
            assert_eq!(read(junk), Err(BackupError::NotJson), "{junk:?}");
        }
        assert_eq!(
            BackupError::NotJson.to_string(),
            "This file isn't a Hearth backup: it can't be read as one. Choose the file Hearth saved, usually named hearth-backup-….json. Nothing on this phone has been changed."
        );
    }

    #[test]
    fn newer_and_unknown_format_versions_are_refused_before_anything_else() {
        let text = write(&household());
        let version = |v: &str| {
            read(&text.replacen(
                r#""format_version":1"#,
                &format!(r#""format_version":{v}"#),
                1,
            ))
        };
        assert_eq!(version("3"), Err(BackupError::NewerFormat(3)));
        assert_eq!(
            version("3").unwrap_err().to_string(),
            "This backup was made by a newer version of Hearth (format 3). Update Hearth, then try again. Nothing on this phone has been changed."
        );
        assert_eq!(
            version("18446744073709551615"),
            Err(BackupError::NewerFormat(u64::MAX))
        );
        for (v, shown) in [
            ("0", "0"),
            ("-1", "-1"),
            ("1.0", "1.0"),
            ("\"1\"", "\"1\""),
            ("null", "missing"),
            ("1e400", "1e400"),
            ("123456789012345678901234567890", "12345678901234567890"),
        ] {
            assert_eq!(
                version(v),
                Err(BackupError::UnknownFormat(shown.into())),
                "{v}"
            );
        }
        let missing = text.replacen(r#""format_version":1,"#, "", 1);
        assert_eq!(
            read(&missing),
            Err(BackupError::UnknownFormat("missing".into()))
        );
        // A newer file whose records this version can't even parse still says
        // "newer", not "damaged".
        let v3 = r#"{"format":"hearth-backup","format_version":3,"records":{"medication":[]}}"#;
        assert_eq!(read(v3), Err(BackupError::NewerFormat(3)));
    }

    #[test]
    fn a_file_over_the_limit_is_refused_before_it_is_read() {
        let big = " ".repeat(MAX_BACKUP_BYTES + 1);
        let err = read(&big).unwrap_err();
        assert_eq!(err, BackupError::TooLarge(MAX_BACKUP_BYTES as u64 + 1));
        assert_eq!(
            err.to_string(),
            "This file is too big to be a Hearth backup (65 MB). Choose the file Hearth saved, usually named hearth-backup-….json. Nothing on this phone has been changed."
        );
        assert_eq!(
            BackupError::TooLarge(100 * 1024 * 1024).to_string()[..52],
            *"This file is too big to be a Hearth backup (100 MB)."
        );
    }

    #[test]
    fn a_damaged_envelope_is_damaged() {
        let text = write(&household());
        for (from, to) in [
            (r#""checksum":"#, r#""checksun":"#),
            (
                r#""created_at":"2026-11-22T18:00:00Z""#,
                r#""created_at":"last Tuesday""#,
            ),
            (r#""record_count":14"#, r#""record_count":-14"#),
            (r#""household":"Ann and Dev's""#, r#""household":7"#),
        ] {
            assert!(
                matches!(
                    read(&text.replacen(from, to, 1)),
                    Err(BackupError::Damaged { .. })
                ),
                "{to}"
            );
        }
        // A record that is not a record, with a checksum to match.
        let records = r#"{"profile":null,"people":[{"id":"x"}],"notes":[],"checkins":[],"visits":[],"stays":[]}"#;
        let crafted = format!(
            r#"{{"format":"hearth-backup","format_version":1,"app_version":"x","created_at":"2026-11-22T18:00:00Z","household":"","record_count":1,"checksum":"{}","records":{records}}}"#,
            checksum(records)
        );
        assert!(matches!(read(&crafted), Err(BackupError::Damaged { .. })));
        // An extra kind of record this version doesn't know is not dropped silently.
        let extra = r#"{"profile":null,"people":[],"notes":[],"checkins":[],"visits":[],"stays":[],"medication":[{}]}"#;
        let crafted = format!(
            r#"{{"format":"hearth-backup","format_version":1,"app_version":"x","created_at":"2026-11-22T18:00:00Z","household":"","record_count":0,"checksum":"{}","records":{extra}}}"#,
            checksum(extra)
        );
        assert!(matches!(read(&crafted), Err(BackupError::Damaged { .. })));
    }

    #[test]
    fn a_record_that_breaks_a_rule_is_named_with_its_problem() {
        let empty_note = edited(|v| v["notes"][0]["body"]["text"] = json!("  "));
        let err = read(&empty_note).unwrap_err();
        assert_eq!(
            invalid_problem(Err(err.clone())),
            ("note", "Write the note before saving.".to_string())
        );
        assert_eq!(
            err.to_string(),
            "One note in this backup isn't right, so the backup can't be restored. Hearth found: \"Write the note before saving.\" (record 14141414). Nothing on this phone has been changed."
        );

        let backwards = edited(|v| {
            let body = &mut v["visits"][0]["body"];
            let start = body["start"].clone();
            body["start"] = body["end"].clone();
            body["end"] = start;
        });
        assert_eq!(
            invalid_problem(read(&backwards)),
            ("visit", "The end must be after the start.".to_string())
        );

        let ons = edited(|v| v["checkins"][2]["body"]["ons4"]["happy"] = json!(11));
        assert_eq!(invalid_problem(read(&ons)).0, "checkin");

        let no_name = edited(|v| v["profile"]["body"]["carer_name"] = json!(""));
        assert_eq!(invalid_problem(read(&no_name)).0, "profile");

        let same_day = edited(|v| v["stays"][1]["body"]["departure"] = json!("2026-12-11"));
        assert_eq!(invalid_problem(read(&same_day)).0, "planned_stay");

        let no_arrangement = edited(|v| v["people"][1]["body"]["arrangements"] = json!([]));
        assert_eq!(invalid_problem(read(&no_arrangement)).0, "person");
    }

    #[test]
    fn earlier_versions_are_checked_too() {
        // Notes[1] was amended: its first version is in the history.
        let text = edited(|v| v["notes"][1]["history"][0]["body"]["text"] = json!(""));
        assert_eq!(
            invalid_problem(read(&text)),
            ("note", "Write the note before saving.".to_string())
        );
    }

    #[test]
    fn content_no_form_could_save_is_refused() {
        for change in [
            (|v: &mut Value| v["notes"][0]["body"]["text"] = json!(" Meg made scones. "))
                as fn(&mut Value),
            |v| v["notes"][0]["body"]["topics"] = json!(["activities", "health"]),
            |v| v["notes"][0]["body"]["occurred_at"] = json!("2026-10-10T14:30:00.5+01:00"),
            |v| v["visits"][1]["body"]["where_else"] = json!("the moon"),
            |v| v["people"][1]["body"]["arrangements"] = json!(["long_term", "long_term"]),
        ] {
            assert_eq!(invalid_problem(read(&edited(change))).1, NOT_AS_SAVED);
        }
    }

    #[test]
    fn times_may_run_up_to_the_backup_or_the_save_whichever_is_later() {
        // A note written at 17:50, backed up at 18:00: fine.
        let records = household();
        assert!(read(&write(&records)).is_ok());
        // Backed up on a phone whose clock was since put back a day: the
        // records were saved later than the backup says it was made. Fine.
        let early = write_backup(&records, "0.1.0", "", made() - Duration::days(1));
        assert!(read(&early).is_ok());
        // A note dated after both when it was saved and when the backup was
        // made can't have been written at the time.
        let future = edited(|v| {
            v["notes"][0]["body"]["occurred_at"] = json!("2026-11-23T09:00:00Z");
        });
        assert_eq!(
            invalid_problem(read(&future)).1,
            "This time is in the future. Record what has already happened."
        );
        // A date of birth later than the backup, even in the zone furthest ahead.
        let born = edited(|v| v["people"][1]["body"]["date_of_birth"] = json!("2026-11-24"));
        assert_eq!(invalid_problem(read(&born)).0, "person");
        let born_today_in_kiribati =
            edited(|v| v["people"][1]["body"]["date_of_birth"] = json!("2026-11-23"));
        assert!(read(&born_today_in_kiribati).is_ok());
    }

    #[test]
    fn hostile_dates_are_refused_without_arithmetic_overflowing() {
        for at in [
            "+262142-12-31T23:59:59Z",
            "-262143-01-01T00:00:00Z",
            "+10000-01-01T00:00:00+23:59",
            "1999-12-31T23:59:59Z",
        ] {
            let text = edited(|v| v["notes"][0]["body"]["occurred_at"] = json!(at));
            assert!(read(&text).is_err(), "{at}");
        }
        let text = edited(|v| v["visits"][0]["body"]["end"] = json!("+262142-12-31T23:59:59Z"));
        assert!(read(&text).is_err());
        // And a backup claiming to be made at the end of time.
        let text = write_backup(&household(), "x", "", DateTime::<Utc>::MAX_UTC);
        assert!(matches!(read(&text), Err(BackupError::ImpossibleDate(_))));
    }

    /// Every time a record says it was saved (created, updated, each earlier
    /// version, deleted), for every record.
    fn saved_times(r: &BackupRecords) -> Vec<DateTime<Utc>> {
        fn of<T: Body>(records: &[Record<T>], out: &mut Vec<DateTime<Utc>>) {
            for r in records {
                out.extend([r.created_at(), r.updated_at()]);
                out.extend(r.history().iter().map(|h| h.saved_at));
                out.extend(r.deleted().map(|t| t.deleted_at));
            }
        }
        let mut out = Vec::new();
        if let Some(p) = &r.profile {
            of(std::slice::from_ref(p), &mut out);
        }
        of(&r.people, &mut out);
        of(&r.notes, &mut out);
        of(&r.checkins, &mut out);
        of(&r.visits, &mut out);
        of(&r.stays, &mut out);
        of(&r.medicines, &mut out);
        of(&r.doses, &mut out);
        of(&r.absences, &mut out);
        out
    }

    const FALSE_TIMES: &str = "It says it was saved at a time that can't be right (in the future, or before 2000): the phone that saved it may have had its clock set wrong.";

    #[test]
    fn a_note_re_signed_with_every_time_in_9999_is_refused() {
        let text = edited(|v| {
            let note = &mut v["notes"][0];
            note["body"]["occurred_at"] = json!("9999-06-01T10:00:00Z");
            note["created_at"] = json!("9999-06-01T10:00:00Z");
            note["updated_at"] = json!("9999-06-01T10:00:00Z");
        });
        assert_eq!(invalid_problem(read(&text)), ("note", FALSE_TIMES.into()));
        // Only the body's time in the future: the forms' own rule says so.
        let text = edited(|v| v["notes"][0]["body"]["occurred_at"] = json!("9999-06-01T10:00:00Z"));
        assert_eq!(
            invalid_problem(read(&text)).1,
            "This time is in the future. Record what has already happened."
        );
    }

    #[test]
    fn every_saved_time_of_a_record_must_be_believable() {
        let household = serde_json::to_value(household()).unwrap();
        // Where the fixture has an amended and a deleted record.
        let amended = household["notes"]
            .as_array()
            .unwrap()
            .iter()
            .position(|n| !n["history"].as_array().unwrap().is_empty())
            .expect("an amended note");
        let deleted = household["notes"]
            .as_array()
            .unwrap()
            .iter()
            .position(|n| !n["deleted"].is_null())
            .expect("a deleted note");
        for (what, far) in [
            ("9999", "9999-06-01T10:00:00Z"),
            ("two days ahead", "2026-11-24T20:00:00Z"),
            ("1970", "1970-01-01T00:00:00Z"),
        ] {
            for field in ["created_at", "updated_at"] {
                let text = edited(|v| v["people"][0][field] = json!(far));
                assert_eq!(
                    invalid_problem(read(&text)),
                    ("person", FALSE_TIMES.into()),
                    "{field} {what}"
                );
            }
            let text = edited(|v| v["notes"][amended]["history"][0]["saved_at"] = json!(far));
            assert_eq!(
                invalid_problem(read(&text)).1,
                FALSE_TIMES,
                "history {what}"
            );
            let text = edited(|v| v["notes"][deleted]["deleted"]["deleted_at"] = json!(far));
            assert_eq!(
                invalid_problem(read(&text)).1,
                FALSE_TIMES,
                "tombstone {what}"
            );
            let text = edited(|v| v["profile"]["updated_at"] = json!(far));
            assert_eq!(invalid_problem(read(&text)).0, "profile", "profile {what}");
        }
    }

    #[test]
    fn a_phone_clock_a_few_hours_out_is_allowed_but_no_more() {
        // Saved and backed up on a phone 20 hours ahead: restores.
        let ahead = made() + Duration::hours(20);
        let text = edited(|v| v["people"][0]["updated_at"] = json!(ahead));
        assert!(read(&text).is_ok());
        let file = write_backup(&household(), "x", "", ahead);
        assert!(read(&file).is_ok());
        // A day and more past the moment it is opened: refused.
        let beyond = opened() + Duration::hours(CLOCK_ALLOWANCE_HOURS) + Duration::minutes(1);
        let text = edited(|v| v["people"][0]["updated_at"] = json!(beyond));
        assert_eq!(invalid_problem(read(&text)).1, FALSE_TIMES);
    }

    #[test]
    fn a_backup_that_says_it_was_made_in_9999_or_1970_is_refused() {
        for (made_at, shown) in [
            (
                Utc.with_ymd_and_hms(9999, 6, 1, 10, 0, 0).unwrap(),
                "Tuesday 1 June 9999",
            ),
            (
                Utc.with_ymd_and_hms(1970, 1, 1, 0, 0, 0).unwrap(),
                "Thursday 1 January 1970",
            ),
        ] {
            let text = write_backup(&household(), "x", "", made_at);
            let err = read(&text).unwrap_err();
            assert_eq!(err, BackupError::ImpossibleDate(shown.into()));
            assert!(err.to_string().starts_with(&format!(
                "This backup says it was made on {shown}, which can't be right"
            )));
            assert!(err
                .to_string()
                .ends_with("Nothing on this phone has been changed."));
        }
    }

    #[test]
    fn a_synced_record_meets_the_same_time_rules() {
        let note = household().notes[0].clone();
        assert_eq!(check_incoming(&note, opened()), Ok(()));
        let when: DateTime<Utc> = "9999-06-01T10:00:00Z".parse().unwrap();
        let mut value = serde_json::to_value(&household().notes[0]).unwrap();
        value["updated_at"] = json!(when);
        let forged: Record<Note> = serde_json::from_value(value).unwrap();
        assert_eq!(
            check_incoming(&forged, opened()),
            Err(FALSE_TIMES.to_string())
        );
        // Whatever the body: a time before 2000 in the envelope too.
        let mut value = serde_json::to_value(&household().notes[0]).unwrap();
        value["created_at"] = json!("1999-12-31T23:59:59Z");
        let forged: Record<Note> = serde_json::from_value(value).unwrap();
        assert_eq!(
            check_incoming(&forged, opened()),
            Err(FALSE_TIMES.to_string())
        );
    }

    #[test]
    fn a_visit_across_the_clocks_going_back_keeps_its_offsets() {
        // 01:30 BST then 01:30 GMT: the same wall-clock time, an hour apart.
        let text = edited(|v| {
            let body = &mut v["visits"][1]["body"];
            body["start"] = json!("2026-10-25T01:30:00+01:00");
            body["end"] = json!("2026-10-25T01:30:00Z");
        });
        let visit = &read(&text).unwrap().records.visits[1];
        assert_eq!(visit.body().duration(), Duration::hours(1));
    }

    #[test]
    fn every_record_must_be_about_someone_in_the_backup() {
        let mut records = household();
        records.people.remove(1);
        let sams: Vec<_> = records
            .notes
            .iter()
            .filter(|n| n.body().person_id() != records.people[0].id())
            .collect();
        assert!(!sams.is_empty());
        assert_eq!(
            invalid_problem(read(&write(&records))),
            (
                "note",
                "It is about a person who isn't in the backup.".to_string()
            )
        );
        // Only in an earlier version: still refused.
        let stranger = RecordId::from_random_bytes([99; 16]).to_string();
        let text = edited(|v| v["notes"][1]["history"][0]["body"]["person_id"] = json!(stranger));
        assert_eq!(
            invalid_problem(read(&text)).1,
            "It is about a person who isn't in the backup."
        );
    }

    #[test]
    fn two_records_of_a_kind_with_one_id_are_refused() {
        let mut records = household();
        records.notes.push(records.notes[0].clone());
        let err = read(&write(&records)).unwrap_err();
        assert_eq!(
            err,
            BackupError::DuplicateId {
                kind: "note",
                id: records.notes[0].id()
            }
        );
        assert_eq!(err.to_string(), "This backup is damaged: it holds two notes with the same id (14141414). Use another backup. Nothing on this phone has been changed.");
    }

    #[test]
    fn envelopes_keep_what_record_guarantees() {
        type Case = (fn(&mut Value), &'static str);
        let cases: [Case; 6] = [
            (
                |v| v["notes"][0]["rev"] = json!(0),
                "Its revision number is missing.",
            ),
            (
                |v| v["notes"][1]["history"][0]["rev"] = json!(2),
                "Its earlier versions are numbered after the current one.",
            ),
            (
                |v| v["notes"][0]["schema"] = json!(2),
                "It was saved by a newer version of Hearth. Update Hearth, then try again.",
            ),
            (
                |v| v["notes"][0]["schema"] = json!(0),
                "It is stored in a shape Hearth doesn't know.",
            ),
            (
                |v| v["notes"][2]["deleted"]["reason"] = json!(" "),
                "It is marked deleted, but without a reason.",
            ),
            (
                |v| v["notes"][2]["deleted"]["reason"] = json!("x".repeat(501)),
                "The reason it was deleted is too long.",
            ),
        ];
        for (change, problem) in cases {
            assert_eq!(invalid_problem(read(&edited(change))).1, problem);
        }
        // The revision counter need not match the number of versions: a merge
        // adds several versions in one revision.
        let text = edited(|v| v["notes"][1]["rev"] = json!(7));
        assert!(read(&text).is_ok());
    }

    #[test]
    fn deep_nesting_and_junk_are_not_json_and_do_not_overflow_the_stack() {
        let deep = "[".repeat(100_000);
        assert_eq!(read(&deep), Err(BackupError::NotJson));
        // Deep but well formed: JSON, just not a backup.
        let closed = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert_eq!(read(&closed), Err(BackupError::NotHearth));
        let objects = "{\"a\":".repeat(100_000);
        assert_eq!(read(&objects), Err(BackupError::NotJson));
        let inside = format!(
            r#"{{"format":"hearth-backup","format_version":1,"records":{}"#,
            "[".repeat(100_000)
        );
        assert_eq!(read(&inside), Err(BackupError::Truncated));
        // Deep records with a checksum to match: refused, not a stack overflow.
        let records = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let crafted = format!(
            r#"{{"format":"hearth-backup","format_version":1,"app_version":"x","created_at":"2026-11-22T18:00:00Z","household":"","record_count":0,"checksum":"{}","records":{records}}}"#,
            checksum(&records)
        );
        assert!(matches!(read(&crafted), Err(BackupError::Damaged { .. })));
        let huge = r#"{"format":"hearth-backup","format_version":1,"record_count":1e999999}"#;
        assert!(read(huge).is_err());
    }

    // ---- Restoring ----

    fn amended_note(
        records: &BackupRecords,
        i: usize,
        text: &str,
        by: &str,
        minutes: i64,
    ) -> Record<Note> {
        let mut note = records.notes[i].clone();
        let mut value = serde_json::to_value(note.body()).unwrap();
        value["text"] = json!(text);
        note.amend(
            note.rev(),
            serde_json::from_value(value).unwrap(),
            by,
            made() + Duration::minutes(minutes),
        )
        .unwrap();
        note
    }

    #[test]
    fn restoring_onto_an_empty_phone_adds_everything() {
        let records = household();
        let plan = plan_restore(&records, &BackupRecords::default());
        assert_eq!(plan.records, records);
        assert_eq!(
            plan.added,
            KindCounts {
                people: 2,
                notes: 4,
                checkins: 3,
                visits: 2,
                stays: 2,
                profile: true,
                ..KindCounts::default()
            }
        );
        assert_eq!(plan.added.total(), 14);
        assert_eq!(plan.summary(), "Adds 4 notes, 3 check-ins, 2 people, 2 visits, 2 planned stays and your carer details.");
        assert_eq!(plan.done(), "Added 4 notes, 3 check-ins, 2 people, 2 visits, 2 planned stays and your carer details.");
    }

    #[test]
    fn restoring_twice_finds_nothing_new() {
        let records = household();
        let plan = plan_restore(&records, &records);
        assert_eq!(plan.records.count(), 0);
        assert_eq!(plan.unchanged, 14);
        assert_eq!(
            plan.summary(),
            "Nothing new: everything in this backup is already here."
        );
        assert_eq!(
            plan_restore(&BackupRecords::default(), &records).summary(),
            "This backup has no records in it."
        );
    }

    #[test]
    fn records_changed_on_both_sides_keep_both_versions() {
        let backup = household();
        let mut phone = household();
        // Since the backup: the phone amended one note and added another...
        phone.notes[0] = amended_note(&phone, 0, "Meg made scones, then chose to walk.", "Ann", 10);
        phone.notes.pop();
        // ...and the backup (from the other phone) amended a different version.
        let mut backup2 = backup.clone();
        backup2.notes[0] = amended_note(&backup, 0, "Meg baked scones.", "Dev", 5);
        let plan = plan_restore(&backup2, &phone);
        assert_eq!(plan.added.notes, 1, "the note the phone lacks");
        assert_eq!(plan.merged, 1);
        assert_eq!(plan.unchanged, 12);
        let merged = &plan.records.notes[0];
        assert_eq!(merged.body().text(), "Meg made scones, then chose to walk.");
        let texts: Vec<&str> = merged.history().iter().map(|h| h.body.text()).collect();
        assert_eq!(
            texts,
            [
                "Meg made scones and chose to walk to the shop.",
                "Meg baked scones."
            ]
        );
        assert_eq!(merged.rev(), 3);
        assert_eq!(
            plan.summary(),
            "Adds 1 note. 12 records already here are unchanged. 1 differs: both versions are kept, as amendments."
        );
        // Writing the plan and restoring again changes nothing more.
        let mut after = phone.clone();
        after.notes[0] = merged.clone();
        after.notes.extend(plan.records.notes[1..].iter().cloned());
        let again = plan_restore(&backup2, &after);
        assert_eq!(again.records.count(), 0);
    }

    #[test]
    fn an_older_backup_never_undoes_a_later_change() {
        let backup = household();
        let mut phone = household();
        phone.notes[0] = amended_note(&phone, 0, "Meg made scones, then walked.", "Ann", 10);
        let mut deleted = phone.notes[3].clone();
        deleted
            .delete(1, "Duplicate", "Ann", made() + Duration::minutes(11))
            .unwrap();
        phone.notes[3] = deleted;
        let plan = plan_restore(&backup, &phone);
        assert_eq!(plan.records.count(), 0, "the phone already has everything");
        assert_eq!(plan.unchanged, 14);
        // The other way round: the backup is newer, and is written.
        let plan = plan_restore(&phone, &backup);
        assert_eq!(plan.merged, 2);
        assert_eq!(
            plan.records.notes,
            vec![phone.notes[0].clone(), phone.notes[3].clone()]
        );
    }

    #[test]
    fn a_different_profile_on_the_phone_is_kept() {
        let backup = household();
        let mut phone = BackupRecords::default();
        let mut other = serde_json::to_value(backup.profile.as_ref().unwrap()).unwrap();
        other["id"] = json!(RecordId::from_random_bytes([77; 16]).to_string());
        phone.profile = Some(serde_json::from_value(other).unwrap());
        let only_profile = BackupRecords {
            profile: backup.profile.clone(),
            ..Default::default()
        };
        let plan = plan_restore(&only_profile, &phone);
        assert!(plan.profile_kept);
        assert_eq!(plan.records.count(), 0);
        assert_eq!(plan.summary(), "Nothing new: everything in this backup is already here. Your carer details on this phone are kept, not the ones in the backup.");
    }

    #[test]
    fn the_summary_counts_in_plain_words() {
        let plan = |added: KindCounts, unchanged, merged| RestorePlan {
            added,
            unchanged,
            merged,
            ..Default::default()
        };
        let counts = KindCounts {
            people: 2,
            notes: 120,
            visits: 14,
            ..Default::default()
        };
        assert_eq!(
            plan(counts, 12, 2).summary(),
            "Adds 120 notes, 14 visits and 2 people. 12 records already here are unchanged. 2 differ: both versions are kept, as amendments."
        );
        assert_eq!(
            plan(counts, 12, 2).done(),
            "Added 120 notes, 14 visits and 2 people. 12 records already here were unchanged. 2 differed: both versions are kept, as amendments."
        );
        let one_each = KindCounts {
            people: 1,
            notes: 1,
            checkins: 1,
            visits: 1,
            stays: 1,
            profile: false,
            ..KindCounts::default()
        };
        assert_eq!(
            plan(one_each, 1, 1).summary(),
            "Adds 1 person, 1 note, 1 check-in, 1 visit and 1 planned stay. 1 record already here is unchanged. 1 differs: both versions are kept, as amendments."
        );
        assert_eq!(
            plan(KindCounts::default(), 0, 3).summary(),
            "3 differ: both versions are kept, as amendments."
        );
        let profile = KindCounts {
            profile: true,
            ..Default::default()
        };
        assert_eq!(plan(profile, 0, 0).summary(), "Adds your carer details.");
    }

    // ---- Fuzzing: broken files never panic and never pass ----

    /// The byte range of the `records` value: everything the checksum covers.
    fn covered(text: &str) -> std::ops::Range<usize> {
        let start = text.find(r#""records":"#).unwrap() + r#""records":"#.len();
        start..text.len() - 1
    }

    #[derive(Debug, Clone)]
    enum Mutation {
        Truncate(usize),
        Replace(usize, u8),
        Insert(usize, String),
        Delete(usize, usize),
        Swap(usize, usize),
    }

    fn mutation(len: usize) -> impl Strategy<Value = Mutation> {
        prop_oneof![
            (0..len).prop_map(Mutation::Truncate),
            (0..len, any::<u8>()).prop_map(|(i, b)| Mutation::Replace(i, b)),
            (0..len, "\\PC{1,8}|[\\[\\]{}\",:0-9a-z]{1,4}")
                .prop_map(|(i, s)| Mutation::Insert(i, s)),
            (0..len, 1usize..16).prop_map(|(i, n)| Mutation::Delete(i, n)),
            (0..len, 0..len).prop_map(|(i, j)| Mutation::Swap(i, j)),
        ]
    }

    fn apply(text: &str, m: &Mutation) -> String {
        let mut bytes = text.as_bytes().to_vec();
        match m {
            Mutation::Truncate(i) => bytes.truncate(*i),
            Mutation::Replace(i, b) => bytes[*i] = *b,
            Mutation::Insert(i, s) => {
                bytes.splice(*i..*i, s.bytes());
            }
            Mutation::Delete(i, n) => {
                bytes.drain(*i..(*i + n).min(bytes.len()));
            }
            Mutation::Swap(i, j) => bytes.swap(*i, *j),
        }
        String::from_utf8_lossy(&bytes).into_owned()
    }

    /// The smallest range of `before` that `after` changed (empty for a pure
    /// insertion), by common prefix and suffix.
    fn changed(before: &str, after: &str) -> std::ops::Range<usize> {
        let (a, b) = (before.as_bytes(), after.as_bytes());
        let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
        let room = a.len().min(b.len()) - prefix;
        let suffix = a
            .iter()
            .rev()
            .zip(b.iter().rev())
            .take(room)
            .take_while(|(x, y)| x == y)
            .count();
        prefix..a.len() - suffix
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(5000))]

        /// Random truncations, byte flips, insertions, deletions and swaps of a
        /// good backup: reading never panics; a file whose records were touched
        /// never reads; and any file that does read holds exactly the original
        /// records.
        #[test]
        fn mutated_backups_never_panic_and_never_pass_with_changed_records(
            m in mutation(FIXTURE.trim_end().len())
        ) {
            let original = FIXTURE.trim_end();
            let text = apply(original, &m);
            let result = read(&text);
            let region = covered(original);
            let span = changed(original, &text);
            let touched = if span.is_empty() {
                region.start < span.start && span.start < region.end
            } else {
                span.start < region.end && span.end > region.start
            };
            if touched {
                prop_assert!(result.is_err(), "{m:?} read as a good backup");
            }
            if let Ok(backup) = result {
                prop_assert_eq!(backup.records, household());
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// Any text at all, including text that starts like a backup.
        #[test]
        fn arbitrary_text_never_panics_or_passes(
            text in "\\PC{0,200}|\\{\"format\":\"hearth-backup\",\"format_version\":1,[\\PC]{0,200}",
            bytes in proptest::collection::vec(any::<u8>(), 0..300),
        ) {
            prop_assert!(read(&text).is_err());
            prop_assert!(read(&String::from_utf8_lossy(&bytes)).is_err());
        }
    }

    /// Every leaf of the records' JSON, by path.
    fn leaves(value: &Value, path: &mut Vec<Value>, out: &mut Vec<Vec<Value>>) {
        match value {
            Value::Object(map) => {
                for (k, v) in map {
                    path.push(json!(k));
                    leaves(v, path, out);
                    path.pop();
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    path.push(json!(i));
                    leaves(v, path, out);
                    path.pop();
                }
            }
            _ => {}
        }
        out.push(path.clone());
    }

    fn at_path<'a>(value: &'a mut Value, path: &[Value]) -> &'a mut Value {
        path.iter().fold(value, |v, key| match key {
            Value::String(k) => &mut v[k.as_str()],
            Value::Number(i) => &mut v[i.as_u64().unwrap() as usize],
            _ => unreachable!(),
        })
    }

    fn hostile_string() -> BoxedStrategy<String> {
        let person = RecordId::from_random_bytes([2; 16]).to_string();
        prop_oneof![
            "\\PC{0,12}",
            Just(String::new()),
            Just("  ".to_string()),
            Just(" Meg ".to_string()),
            Just("x".repeat(10_001)),
            Just("\u{0}\u{202e}".to_string()),
            Just("Our house\u{202e}".to_string()),
            Just("\u{2067}Meg\u{2069}\u{202b}".to_string()),
            Just("9999-06-01T10:00:00Z".to_string()),
            Just("2026-11-24T10:00:00Z".to_string()),
            Just("2026-11-23T18:00:00Z".to_string()),
            Just("1970-01-01T00:00:00Z".to_string()),
            Just(person),
            Just("00000000-0000-0000-0000-000000000000".to_string()),
            Just("2026-11-22T18:04:00Z".to_string()),
            Just("2026-11-22T18:06:00Z".to_string()),
            Just("2026-10-25T01:30:00+01:00".to_string()),
            Just("2026-10-25T01:30:00.000000001Z".to_string()),
            Just("1999-12-31T23:59:59-14:00".to_string()),
            Just("+262142-12-31T23:59:59Z".to_string()),
            Just("-262143-01-01T00:00:00-23:59".to_string()),
            Just("2026-02-29".to_string()),
            Just("2026-12-31".to_string()),
            Just("+10000-01-01".to_string()),
            Just("23:59:60".to_string()),
            Just("17:30:15".to_string()),
            proptest::sample::select(vec![
                "long_term",
                "short_breaks",
                "day_support",
                "planned",
                "confirmed",
                "cancelled",
                "awful",
                "great",
                "themselves",
                "carer_observed",
                "other",
                "carers_home",
                "money",
                "poor",
                "less",
                "a_lot",
            ])
            .prop_map(str::to_string),
        ]
        .boxed()
    }

    fn hostile_number() -> impl Strategy<Value = Value> {
        prop_oneof![
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            proptest::sample::select(vec![
                json!(0),
                json!(1),
                json!(2),
                json!(10),
                json!(11),
                json!(255),
                json!(256),
                json!(u32::MAX),
                json!(u64::from(u32::MAX) + 1),
                json!(-1),
                json!(0.5),
                json!(1e300),
            ]),
        ]
    }

    fn hostile_any() -> impl Strategy<Value = Value> {
        prop_oneof![
            Just(json!(null)),
            any::<bool>().prop_map(Value::from),
            hostile_number(),
            hostile_string().prop_map(Value::from),
            Just(json!([])),
            Just(json!({})),
            Just(json!(["long_term", "long_term", "day_support"])),
            Just(json!(["health", "health"])),
        ]
    }

    /// A replacement for one leaf: usually of the same JSON type, so that it
    /// gets past parsing and reaches the rules.
    #[derive(Debug, Clone)]
    struct Hostile {
        string: String,
        number: Value,
        other: Value,
        any_type: bool,
    }

    fn hostile() -> impl Strategy<Value = Hostile> {
        (
            hostile_string(),
            hostile_number(),
            hostile_any(),
            proptest::bool::weighted(0.15),
        )
            .prop_map(|(string, number, other, any_type)| Hostile {
                string,
                number,
                other,
                any_type,
            })
    }

    fn replace(value: &mut Value, with: &Hostile) {
        *value = match value {
            _ if with.any_type => with.other.clone(),
            Value::String(_) => Value::from(with.string.clone()),
            Value::Number(_) => with.number.clone(),
            Value::Bool(b) => Value::from(!*b),
            _ => with.other.clone(),
        };
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        /// Records edited with hostile values but re-signed with a correct
        /// checksum and count (a crafted file): reading never panics, and
        /// whatever it accepts is a good backup that plans without panicking.
        #[test]
        fn crafted_records_never_panic(
            edits in proptest::collection::vec((any::<proptest::sample::Index>(), hostile()), 1..4),
        ) {
            let mut records = serde_json::to_value(household()).unwrap();
            for (pick, with) in &edits {
                let mut paths = Vec::new();
                leaves(&records, &mut Vec::new(), &mut paths);
                let path: &Vec<Value> = pick.get(&paths);
                replace(at_path(&mut records, path), with);
            }
            let json = serde_json::to_string(&records).unwrap();
            let count = serde_json::from_str::<BackupRecords>(&json).map_or(14, |r| r.count());
            let text = format!(
                r#"{{"format":"hearth-backup","format_version":1,"app_version":"x","created_at":"2026-11-22T18:00:00Z","household":"","record_count":{count},"checksum":"{}","records":{json}}}"#,
                checksum(&json)
            );
            if let Ok(backup) = read(&text) {
                prop_assert!(read(&write(&backup.records)).is_ok());
                for at in saved_times(&backup.records) {
                    prop_assert!(believable(at, opened()), "{at} accepted");
                }
                let plan = plan_restore(&backup.records, &household());
                prop_assert!(!plan.summary().is_empty());
                let onto_itself = plan_restore(&backup.records, &backup.records);
                prop_assert_eq!(onto_itself.records.count(), 0);
            }
        }
    }
}
