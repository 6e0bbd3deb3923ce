//! The envelope every stored record lives in, built for CouchDB-style sync:
//! a stable id, a revision counter, earlier versions kept as amendments, and a
//! tombstone instead of a delete. Nothing is ever overwritten silently.

use crate::id::RecordId;
use crate::validate::{self, ValidationErrors};
use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// What a record kind's content must offer to live in a [`Record`].
pub trait Body: Clone + PartialEq + Serialize + DeserializeOwned {
    /// The shape version of this kind's stored JSON. It goes up, with a
    /// migration, whenever the stored shape changes.
    const SCHEMA: u32;
    /// The kind's name in exports and backups, such as `note`.
    const KIND: &'static str;
}

/// One earlier version of a record, kept when it was amended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Revision<T> {
    /// The revision number this version had.
    pub rev: u32,
    /// The content as it was.
    pub body: T,
    /// When this version was written.
    pub saved_at: DateTime<Utc>,
    /// Who wrote this version.
    pub saved_by: String,
}

/// Why, when and by whom a record was deleted. The content stays, so that a
/// deletion can be seen and, if it was a mistake, understood.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tombstone {
    /// When it was deleted.
    pub deleted_at: DateTime<Utc>,
    /// Who deleted it.
    pub deleted_by: String,
    /// The reason the carer gave.
    pub reason: String,
}

/// A change the record refuses.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecordError {
    /// Amending or deleting a record that is already deleted.
    #[error("This record was deleted, so it can't be changed.")]
    Deleted,
    /// An amendment identical to what is stored.
    #[error("Nothing has changed, so there is nothing to save.")]
    Unchanged,
    /// The record changed since the form was opened (another tab, or a restore).
    #[error("This record was changed somewhere else while you were editing. Go back to see the latest version, then make your change again.")]
    Stale,
    /// The change itself is invalid (for example, a delete without a reason).
    #[error("{0}")]
    Invalid(ValidationErrors),
}

/// The longest reason for a deletion, in characters.
pub const MAX_REASON_CHARS: usize = 500;

/// A record of any kind, with its sync envelope. The fields are private: a
/// record is only made by [`Record::create`] from a validated body and only
/// changed by [`Record::amend`] and [`Record::delete`], which keep its history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record<T> {
    id: RecordId,
    rev: u32,
    schema: u32,
    created_at: DateTime<Utc>,
    created_by: String,
    updated_at: DateTime<Utc>,
    updated_by: String,
    body: T,
    #[serde(default = "Vec::new")]
    history: Vec<Revision<T>>,
    #[serde(default)]
    deleted: Option<Tombstone>,
}

impl<T: Body> Record<T> {
    /// A new record at revision 1, signed by `author`.
    pub fn create(id: RecordId, body: T, author: &str, now: DateTime<Utc>) -> Self {
        Record {
            id,
            rev: 1,
            schema: T::SCHEMA,
            created_at: now,
            created_by: author.to_string(),
            updated_at: now,
            updated_by: author.to_string(),
            body,
            history: Vec::new(),
            deleted: None,
        }
    }

    /// Replaces the content, keeping the current version in the history.
    /// `expected_rev` is the revision the carer was looking at: if the record has
    /// moved on since, the amendment is refused rather than overwriting a change
    /// the carer never saw.
    pub fn amend(
        &mut self,
        expected_rev: u32,
        body: T,
        author: &str,
        now: DateTime<Utc>,
    ) -> Result<(), RecordError> {
        self.check_changeable(expected_rev)?;
        if body == self.body {
            return Err(RecordError::Unchanged);
        }
        let earlier = std::mem::replace(&mut self.body, body);
        self.history.push(Revision {
            rev: self.rev,
            body: earlier,
            saved_at: self.updated_at,
            saved_by: std::mem::take(&mut self.updated_by),
        });
        self.bump(author, now);
        Ok(())
    }

    /// Marks the record deleted, with a reason. Its content and history stay.
    pub fn delete(
        &mut self,
        expected_rev: u32,
        reason: &str,
        author: &str,
        now: DateTime<Utc>,
    ) -> Result<(), RecordError> {
        self.check_changeable(expected_rev)?;
        let mut errors = ValidationErrors::new();
        let reason = validate::text(
            &mut errors,
            "reason",
            reason,
            Some("Say why this is being deleted, for example \"written for the wrong person\"."),
            MAX_REASON_CHARS,
        );
        if !errors.is_empty() {
            return Err(RecordError::Invalid(errors));
        }
        self.deleted = Some(Tombstone {
            deleted_at: now,
            deleted_by: author.to_string(),
            reason,
        });
        self.bump(author, now);
        Ok(())
    }

    fn check_changeable(&self, expected_rev: u32) -> Result<(), RecordError> {
        if self.deleted.is_some() {
            Err(RecordError::Deleted)
        } else if expected_rev != self.rev {
            Err(RecordError::Stale)
        } else {
            Ok(())
        }
    }

    fn bump(&mut self, author: &str, now: DateTime<Utc>) {
        self.rev += 1;
        // A phone's clock can step backwards; the record's times never do.
        self.updated_at = now.max(self.updated_at);
        self.updated_by = author.to_string();
    }

    /// The stable id.
    pub fn id(&self) -> RecordId {
        self.id
    }
    /// The revision counter: 1 when created, one more for every change.
    pub fn rev(&self) -> u32 {
        self.rev
    }
    /// The shape version the record was stored with.
    pub fn schema(&self) -> u32 {
        self.schema
    }
    /// The current content.
    pub fn body(&self) -> &T {
        &self.body
    }
    /// When the record was first saved.
    pub fn created_at(&self) -> DateTime<Utc> {
        self.created_at
    }
    /// Who first saved it.
    pub fn created_by(&self) -> &str {
        &self.created_by
    }
    /// When the current version was saved.
    pub fn updated_at(&self) -> DateTime<Utc> {
        self.updated_at
    }
    /// Who saved the current version.
    pub fn updated_by(&self) -> &str {
        &self.updated_by
    }
    /// Earlier versions, oldest first.
    pub fn history(&self) -> &[Revision<T>] {
        &self.history
    }
    /// True when the content has been amended at least once.
    pub fn is_amended(&self) -> bool {
        !self.history.is_empty()
    }
    /// The tombstone, if the record was deleted.
    pub fn deleted(&self) -> Option<&Tombstone> {
        self.deleted.as_ref()
    }
    /// True unless deleted.
    pub fn is_live(&self) -> bool {
        self.deleted.is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    struct Text(String);
    impl Body for Text {
        const SCHEMA: u32 = 1;
        const KIND: &'static str = "text";
    }

    fn at(minute: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 22, 10, minute, 0).unwrap()
    }

    fn record() -> Record<Text> {
        Record::create(
            RecordId::from_random_bytes([1; 16]),
            Text("first".into()),
            "Ann",
            at(0),
        )
    }

    #[test]
    fn a_new_record_is_revision_one_signed_by_its_author() {
        let r = record();
        assert_eq!(r.rev(), 1);
        assert_eq!(r.created_by(), "Ann");
        assert_eq!(r.updated_by(), "Ann");
        assert!(!r.is_amended());
        assert!(r.is_live());
        assert_eq!(r.schema(), 1);
    }

    #[test]
    fn an_amendment_keeps_the_earlier_text_and_who_wrote_it() {
        let mut r = record();
        r.amend(1, Text("second".into()), "Dev", at(5)).unwrap();
        r.amend(2, Text("third".into()), "Ann", at(9)).unwrap();
        assert_eq!(r.body(), &Text("third".into()));
        assert_eq!(r.rev(), 3);
        assert_eq!(r.updated_at(), at(9));
        assert_eq!(r.created_at(), at(0));
        let h = r.history();
        assert_eq!(h.len(), 2);
        assert_eq!(
            (
                h[0].rev,
                h[0].body.0.as_str(),
                h[0].saved_at,
                h[0].saved_by.as_str()
            ),
            (1, "first", at(0), "Ann")
        );
        assert_eq!(
            (
                h[1].rev,
                h[1].body.0.as_str(),
                h[1].saved_at,
                h[1].saved_by.as_str()
            ),
            (2, "second", at(5), "Dev")
        );
    }

    #[test]
    fn an_unchanged_or_stale_amendment_is_refused_and_changes_nothing() {
        let mut r = record();
        let before = r.clone();
        assert_eq!(
            r.amend(1, Text("first".into()), "Ann", at(1)),
            Err(RecordError::Unchanged)
        );
        assert_eq!(
            r.amend(7, Text("other".into()), "Ann", at(1)),
            Err(RecordError::Stale)
        );
        assert_eq!(r, before);
    }

    #[test]
    fn delete_needs_a_reason_and_leaves_a_tombstone() {
        let mut r = record();
        let Err(RecordError::Invalid(errors)) = r.delete(1, "  ", "Ann", at(2)) else {
            panic!("a blank reason must be refused");
        };
        assert!(errors.message_for("reason").is_some());
        assert!(r.is_live());

        r.delete(1, "Wrong person", "Ann", at(3)).unwrap();
        let t = r.deleted().unwrap();
        assert_eq!(
            (t.reason.as_str(), t.deleted_by.as_str(), t.deleted_at),
            ("Wrong person", "Ann", at(3))
        );
        assert_eq!(r.rev(), 2);
        assert_eq!(r.body(), &Text("first".into()), "content is kept");
        assert_eq!(
            r.amend(2, Text("x".into()), "Ann", at(4)),
            Err(RecordError::Deleted)
        );
        assert_eq!(
            r.delete(2, "again", "Ann", at(4)),
            Err(RecordError::Deleted)
        );
    }

    #[test]
    fn updated_at_never_goes_backwards_when_the_phone_clock_does() {
        let mut r = record();
        r.amend(
            1,
            Text("later".into()),
            "Ann",
            at(0) - chrono::Duration::hours(1),
        )
        .unwrap();
        assert_eq!(r.updated_at(), at(0));
    }

    #[test]
    fn a_record_round_trips_through_json_with_its_history_and_tombstone() {
        let mut r = record();
        r.amend(1, Text("second".into()), "Dev", at(5)).unwrap();
        r.delete(2, "duplicate", "Dev", at(6)).unwrap();
        let json = serde_json::to_string(&r).unwrap();
        let back: Record<Text> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, r);
    }
}
