//! Hearth's domain: the records a Shared Lives carer keeps, the rules that make
//! them valid, and the facts derived from them.
//!
//! This crate is pure Rust. It never touches the browser, never reads the clock
//! and never does I/O: "now" and the phone's time zone are passed in. That keeps
//! every rule testable natively with plain data, and lets the browser app (and one
//! day a sync server) share exactly the same rules.
//!
//! The flow for every write is: a *draft* (what a form holds, any text at all) is
//! validated into a *body* (only valid values), and a body goes into a [`Record`],
//! which carries the sync envelope: a stable id, a revision counter, the earlier
//! versions (amendments) and a tombstone instead of a delete.

pub mod backup;
pub mod bidi;
pub mod capacity;
pub mod checkin;
pub mod csv;
pub mod dates;
pub mod dose;
pub mod easy_read;
pub mod ical;
pub mod id;
pub mod lock;
pub mod mar;
pub mod medicine;
pub mod note;
pub mod order;
pub mod person;
pub mod profile;
pub mod range;
pub mod record;
pub mod sample;
pub mod stay;
pub mod stays_link;
pub mod summary;
pub mod sync;
pub mod trends;
pub mod validate;
pub mod visit;
pub mod zone;

pub use backup::{
    plan_restore, read_backup, write_backup, Backup, BackupError, BackupRecords, RestorePlan,
};
pub use capacity::{capacity_clash, clash_message, Clash};
pub use checkin::{
    Answered, Appetite, CheckIn, CheckInDraft, Mood, Ons4, Ons4Question, Pain, Sleep,
};
pub use easy_read::{Icon, Line};
pub use id::RecordId;
pub use note::{Note, NoteDraft, Topic};
pub use person::{Arrangement, Contact, ContactDraft, Person, PersonDraft};
pub use profile::{CarerProfile, CarerProfileDraft};
pub use range::DateRange;
pub use record::{Body, Record, RecordError, Revision, Tombstone};
pub use stay::{PlannedStay, PlannedStayDraft, StayStatus};
pub use summary::PersonMonth;
pub use trends::{DayMean, Flag, FlagReason, MoodPoint, Ons4Point, Period, PeriodAverage, Summary};
pub use validate::{FieldError, ValidationErrors};
pub use visit::{Place, RunningVisit, Visit, VisitDraft};
pub use zone::{FixedZone, LocalZone};
