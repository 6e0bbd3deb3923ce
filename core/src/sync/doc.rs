//! How a Hearth record sits in CouchDB, both ways.
//!
//! A document is `{"_id", "type", "hearth", "carer", "record"}`: the record's
//! id, its kind, the document format, the CouchDB user who first sent it (the
//! scheme's `validate_doc_update` checks it against the signed-in user), and
//! the whole envelope (revision counter, history, tombstone). A Hearth
//! tombstone is an ordinary document: `_deleted` only ever closes a losing
//! branch of a conflict.
//!
//! A document read from the server is never trusted: [`from_doc`] checks it
//! with exactly the rules a restored backup meets, and refuses it, with the
//! reason in plain words, when it is not a valid Hearth record.

use super::rev::{canonical, md5_hex, Rev};
use crate::backup::{check_incoming, Recheck};
use crate::checkin::CheckIn;
use crate::dose::DoseRecord;
use crate::id::RecordId;
use crate::mar::Absence;
use crate::medicine::Medicine;
use crate::note::Note;
use crate::person::Person;
use crate::record::{Body, Record};
use crate::sample::SAMPLE_AUTHOR;
use crate::stay::PlannedStay;
use crate::visit::Visit;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{json, Value};

/// The document format this code writes and reads (the `hearth` field).
pub const DOC_FORMAT: u64 = 1;

/// The `type` of the status document each phone keeps on the server.
pub const DEVICE_STATUS: &str = "device_status";

/// A record of any kind that syncs. The carer's own profile is not one: it
/// stays on the phone.
#[derive(Debug, Clone, PartialEq)]
pub enum AnyRecord {
    /// A person supported.
    Person(Record<Person>),
    /// A daily note.
    Note(Record<Note>),
    /// A wellbeing check-in.
    CheckIn(Record<CheckIn>),
    /// A visit or stay as it happened.
    Visit(Record<Visit>),
    /// A planned stay.
    Stay(Record<PlannedStay>),
    /// A medicine (its versions in its history).
    Medicine(Record<Medicine>),
    /// A dose's outcome.
    Dose(Record<DoseRecord>),
    /// Days away.
    Absence(Record<Absence>),
}

/// Calls `$f` on the record inside, whatever its kind.
macro_rules! each {
    ($any:expr, $r:ident => $f:expr) => {
        match $any {
            AnyRecord::Person($r) => $f,
            AnyRecord::Note($r) => $f,
            AnyRecord::CheckIn($r) => $f,
            AnyRecord::Visit($r) => $f,
            AnyRecord::Stay($r) => $f,
            AnyRecord::Medicine($r) => $f,
            AnyRecord::Dose($r) => $f,
            AnyRecord::Absence($r) => $f,
        }
    };
}

impl AnyRecord {
    /// The record's stable id.
    pub fn id(&self) -> RecordId {
        each!(self, r => r.id())
    }
    /// Its kind's name (`type` in the document).
    pub fn kind(&self) -> &'static str {
        match self {
            AnyRecord::Person(_) => Person::KIND,
            AnyRecord::Note(_) => Note::KIND,
            AnyRecord::CheckIn(_) => CheckIn::KIND,
            AnyRecord::Visit(_) => Visit::KIND,
            AnyRecord::Stay(_) => PlannedStay::KIND,
            AnyRecord::Medicine(_) => Medicine::KIND,
            AnyRecord::Dose(_) => DoseRecord::KIND,
            AnyRecord::Absence(_) => Absence::KIND,
        }
    }
    /// Hearth's revision counter.
    pub fn rev(&self) -> u32 {
        each!(self, r => r.rev())
    }
    /// Who first wrote it (the carer's name in Hearth).
    pub fn created_by(&self) -> &str {
        each!(self, r => r.created_by())
    }
    /// The person it is about (a person record is about themselves).
    pub fn person_id(&self) -> RecordId {
        match self {
            AnyRecord::Person(r) => r.id(),
            AnyRecord::Note(r) => r.body().person_id(),
            AnyRecord::CheckIn(r) => r.body().person_id(),
            AnyRecord::Visit(r) => r.body().person_id(),
            AnyRecord::Stay(r) => r.body().person_id(),
            AnyRecord::Medicine(r) => r.body().person_id(),
            AnyRecord::Dose(r) => r.body().person_id(),
            AnyRecord::Absence(r) => r.body().person_id(),
        }
    }
    /// True for "Try with sample data" records, which never leave the phone.
    pub fn is_sample(&self) -> bool {
        self.created_by() == SAMPLE_AUTHOR
    }
    /// The envelope as JSON.
    pub fn envelope(&self) -> Value {
        each!(self, r => serde_json::to_value(r).unwrap_or(Value::Null))
    }
    /// The two copies as one that loses nothing ([`Record::merge`]); `None`
    /// when they are not the same kind (then they can't be the same record).
    pub fn merge(&self, other: &AnyRecord) -> Option<AnyRecord> {
        Some(match (self, other) {
            (AnyRecord::Person(a), AnyRecord::Person(b)) => AnyRecord::Person(a.merge(b)),
            (AnyRecord::Note(a), AnyRecord::Note(b)) => AnyRecord::Note(a.merge(b)),
            (AnyRecord::CheckIn(a), AnyRecord::CheckIn(b)) => AnyRecord::CheckIn(a.merge(b)),
            (AnyRecord::Visit(a), AnyRecord::Visit(b)) => AnyRecord::Visit(a.merge(b)),
            (AnyRecord::Stay(a), AnyRecord::Stay(b)) => AnyRecord::Stay(a.merge(b)),
            (AnyRecord::Medicine(a), AnyRecord::Medicine(b)) => AnyRecord::Medicine(a.merge(b)),
            (AnyRecord::Dose(a), AnyRecord::Dose(b)) => AnyRecord::Dose(a.merge(b)),
            (AnyRecord::Absence(a), AnyRecord::Absence(b)) => AnyRecord::Absence(a.merge(b)),
            _ => return None,
        })
    }
}

macro_rules! from_record {
    ($t:ty, $v:ident) => {
        impl From<Record<$t>> for AnyRecord {
            fn from(r: Record<$t>) -> Self {
                AnyRecord::$v(r)
            }
        }
    };
}
from_record!(Person, Person);
from_record!(Note, Note);
from_record!(CheckIn, CheckIn);
from_record!(Visit, Visit);
from_record!(PlannedStay, Stay);
from_record!(Medicine, Medicine);
from_record!(DoseRecord, Dose);
from_record!(Absence, Absence);

/// The document's content for a record: everything but `_rev` and
/// `_revisions`. `carer` is the CouchDB user who first sent it.
pub fn to_doc(record: &AnyRecord, carer: &str) -> Value {
    json!({
        "_id": record.id().to_string(),
        "type": record.kind(),
        "hearth": DOC_FORMAT,
        "carer": carer,
        "record": record.envelope(),
    })
}

/// A fingerprint of a document's content: equal content, equal sum.
pub fn content_sum(doc: &Value) -> String {
    md5_hex(canonical(doc).as_bytes())
}

/// A record read from a server document, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Pulled {
    /// The record.
    pub record: AnyRecord,
    /// The CouchDB user who first sent it.
    pub carer: String,
    /// The document's revision.
    pub rev: Rev,
    /// The revision's ancestry, newest first, starting with its own hash
    /// (`_revisions.ids`), when the server gave it.
    pub ancestry: Vec<String>,
    /// [`content_sum`] of the document's content.
    pub sum: String,
}

/// What a server document turned out to be.
#[derive(Debug, Clone, PartialEq)]
pub enum FromDoc {
    /// A valid Hearth record.
    Record(Box<Pulled>),
    /// Not a record, and not a problem: a design document, or a phone's
    /// status document.
    Other,
}

/// A document that was refused, and why, in words for the carer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    /// The document's `_id`, as the server gave it (cut short).
    pub id: String,
    /// Why.
    pub problem: String,
}

/// Reads and checks one document from the server. `now` is the phone's
/// clock: no time in the record may be later (see [`check_incoming`]).
pub fn from_doc(doc: &Value, now: DateTime<Utc>) -> Result<FromDoc, Refused> {
    let raw_id = doc.get("_id").and_then(Value::as_str).unwrap_or_default();
    let refuse = |problem: &str| Refused {
        id: raw_id.chars().take(60).collect(),
        problem: problem.to_string(),
    };
    if raw_id.starts_with("_design/") || raw_id.starts_with("_local/") {
        return Ok(FromDoc::Other);
    }
    let kind = doc.get("type").and_then(Value::as_str);
    if kind == Some(DEVICE_STATUS) {
        return Ok(FromDoc::Other);
    }
    let not_hearth = "It isn't a Hearth record.";
    let format = doc
        .get("hearth")
        .and_then(Value::as_u64)
        .ok_or_else(|| refuse(not_hearth))?;
    if format > DOC_FORMAT {
        return Err(refuse(
            "It was sent by a newer version of Hearth. Update Hearth to read it.",
        ));
    }
    if format != DOC_FORMAT {
        return Err(refuse(not_hearth));
    }
    let rev: Rev = doc
        .get("_rev")
        .and_then(Value::as_str)
        .and_then(|r| r.parse().ok())
        .ok_or_else(|| refuse(not_hearth))?;
    let carer = doc
        .get("carer")
        .and_then(Value::as_str)
        .filter(|c| !c.is_empty() && c.chars().count() <= 200)
        .ok_or_else(|| refuse("It doesn't say which carer sent it."))?;
    let envelope = doc.get("record").ok_or_else(|| refuse(not_hearth))?;
    let record = match kind {
        Some(Person::KIND) => AnyRecord::Person(checked(envelope, now).map_err(|p| refuse(&p))?),
        Some(Note::KIND) => AnyRecord::Note(checked(envelope, now).map_err(|p| refuse(&p))?),
        Some(CheckIn::KIND) => AnyRecord::CheckIn(checked(envelope, now).map_err(|p| refuse(&p))?),
        Some(Visit::KIND) => AnyRecord::Visit(checked(envelope, now).map_err(|p| refuse(&p))?),
        Some(PlannedStay::KIND) => AnyRecord::Stay(checked(envelope, now).map_err(|p| refuse(&p))?),
        Some(Medicine::KIND) => {
            AnyRecord::Medicine(checked(envelope, now).map_err(|p| refuse(&p))?)
        }
        Some(DoseRecord::KIND) => AnyRecord::Dose(checked(envelope, now).map_err(|p| refuse(&p))?),
        Some(Absence::KIND) => AnyRecord::Absence(checked(envelope, now).map_err(|p| refuse(&p))?),
        _ => {
            return Err(refuse(
                "It is a kind of record this version of Hearth doesn't know.",
            ))
        }
    };
    if record.id().to_string() != raw_id {
        return Err(refuse("Its id doesn't match the record inside it."));
    }
    if record.is_sample() {
        return Err(refuse("It is sample data, which never leaves a phone."));
    }
    let ancestry = ancestry(doc, &rev);
    // The sum of the content as this code writes it, so that a record pulled
    // and left alone is never sent back as a change.
    Ok(FromDoc::Record(Box::new(Pulled {
        sum: content_sum(&to_doc(&record, carer)),
        record,
        carer: carer.to_string(),
        rev,
        ancestry,
    })))
}

/// One record's envelope, parsed and re-checked like a backup's.
fn checked<T: Body + Recheck>(envelope: &Value, now: DateTime<Utc>) -> Result<Record<T>, String> {
    let record = Record::<T>::deserialize(envelope)
        .map_err(|_| "Some of its details aren't stored the way Hearth saves them.".to_string())?;
    check_incoming(&record, now)?;
    Ok(record)
}

/// `_revisions.ids` when they belong to `rev`; otherwise just `rev`'s hash.
fn ancestry(doc: &Value, rev: &Rev) -> Vec<String> {
    let revisions = doc.get("_revisions");
    let start = revisions
        .and_then(|r| r.get("start"))
        .and_then(Value::as_u64);
    let ids: Vec<String> = revisions
        .and_then(|r| r.get("ids"))
        .and_then(Value::as_array)
        .map(|ids| {
            ids.iter()
                .filter_map(|i| i.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    if start == Some(rev.generation) && ids.first() == Some(&rev.hash) {
        ids
    } else {
        vec![rev.hash.clone()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::medicine::tests::{paracetamol, record, utc};

    fn pulled(doc: &Value) -> Result<AnyRecord, String> {
        match from_doc(doc, utc(2026, 3, 2, 9, 0)) {
            Ok(FromDoc::Record(p)) => Ok(p.record),
            Ok(FromDoc::Other) => Err("not a record".into()),
            Err(refused) => Err(refused.problem),
        }
    }

    #[test]
    fn a_medicine_syncs_as_a_document_and_comes_back_checked_like_a_backup() {
        let medicine: AnyRecord = record(&paracetamol()).into();
        let mut doc = to_doc(&medicine, "ann");
        doc["_rev"] = json!(format!("1-{}", "0".repeat(32)));
        assert_eq!(doc["type"], "medicine");
        assert_eq!(pulled(&doc), Ok(medicine));
        doc["record"]["body"]["name"] = json!("");
        assert_eq!(
            pulled(&doc),
            Err("Enter the medicine's name, as it is on the pharmacy label.".to_string())
        );
    }
}
