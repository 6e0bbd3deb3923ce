//! How records sit in IndexedDB: the record itself plus the few keys its
//! indexes need, computed from the record on every write.

use hearth_core::dose::DoseRecord;
use hearth_core::mar::Absence;
use hearth_core::medicine::Medicine;
use hearth_core::{Body, CheckIn, Note, Person, PlannedStay, Record, Visit};
use serde::{Deserialize, Serialize};

/// One stored row: `{ rec: <the record>, k: <index keys> }`. The object store's
/// key path is `rec.id`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(bound(deserialize = "T: Body"))]
pub struct Row<T> {
    pub rec: Record<T>,
    #[serde(default)]
    pub k: Keys,
}

/// Index keys. A missing key leaves the row out of that index.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Keys {
    /// The person the record is about (index `by_person_at`, with `at`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person: Option<String>,
    /// When it happened, as UTC text that sorts in time order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
    /// The local day it happened on, `YYYY-MM-DD` (index `by_day`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub day: Option<String>,
}

/// A record kind that has an object store.
pub trait Stored: Body {
    /// Its object store.
    const STORE: &'static str;
    /// The index keys for a record of this kind.
    fn keys(body: &Self) -> Keys;
}

impl<T: Stored> Row<T> {
    pub fn new(rec: Record<T>) -> Self {
        let k = T::keys(rec.body());
        Row { rec, k }
    }
}

impl Stored for Person {
    const STORE: &'static str = "people";
    fn keys(_: &Self) -> Keys {
        Keys::default()
    }
}

impl Stored for Note {
    const STORE: &'static str = "notes";
    fn keys(n: &Self) -> Keys {
        Keys::happened(n.person_id(), n.occurred_at())
    }
}

impl Stored for CheckIn {
    const STORE: &'static str = "checkins";
    fn keys(c: &Self) -> Keys {
        Keys::happened(c.person_id(), c.occurred_at())
    }
}

impl Stored for Visit {
    const STORE: &'static str = "visits";
    fn keys(v: &Self) -> Keys {
        Keys::happened(v.person_id(), v.start())
    }
}

impl Stored for PlannedStay {
    const STORE: &'static str = "stays";
    fn keys(s: &Self) -> Keys {
        let arrival = hearth_core::dates::form_date(s.arrival());
        Keys {
            person: Some(s.person_id().to_string()),
            at: Some(arrival.clone()),
            day: Some(arrival),
        }
    }
}

impl Stored for Medicine {
    const STORE: &'static str = "medicines";
    fn keys(m: &Self) -> Keys {
        Keys {
            person: Some(m.person_id().to_string()),
            at: Some(hearth_core::dates::form_date(m.start())),
            day: None,
        }
    }
}

impl Stored for DoseRecord {
    const STORE: &'static str = "doses";
    fn keys(d: &Self) -> Keys {
        Keys::happened(d.person_id(), d.at())
    }
}

impl Stored for Absence {
    const STORE: &'static str = "absences";
    fn keys(a: &Self) -> Keys {
        Keys::happened(a.person_id(), a.from())
    }
}

/// A record kind kept per person, in time order (indexes `by_person_at` and
/// `by_day`).
pub trait Timed: Stored {
    /// When it happened.
    fn at(&self) -> chrono::DateTime<chrono::FixedOffset>;
}

impl Timed for Note {
    fn at(&self) -> chrono::DateTime<chrono::FixedOffset> {
        self.occurred_at()
    }
}

impl Timed for Visit {
    fn at(&self) -> chrono::DateTime<chrono::FixedOffset> {
        self.start()
    }
}

impl Timed for DoseRecord {
    fn at(&self) -> chrono::DateTime<chrono::FixedOffset> {
        DoseRecord::at(self)
    }
}

impl Timed for Absence {
    fn at(&self) -> chrono::DateTime<chrono::FixedOffset> {
        self.from()
    }
}

impl Timed for CheckIn {
    fn at(&self) -> chrono::DateTime<chrono::FixedOffset> {
        self.occurred_at()
    }
}

impl Keys {
    /// The keys of something that happened to a person at a moment.
    fn happened(person: hearth_core::RecordId, at: chrono::DateTime<chrono::FixedOffset>) -> Keys {
        Keys {
            person: Some(person.to_string()),
            at: Some(utc_key(at.with_timezone(&chrono::Utc))),
            day: Some(hearth_core::dates::form_date(at.date_naive())),
        }
    }
}

/// Fixed-width UTC text, so that text order is time order.
pub fn utc_key(at: chrono::DateTime<chrono::Utc>) -> String {
    hearth_core::dates::utc_stamp(at)
}
