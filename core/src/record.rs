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

    /// Every version of the content, oldest first, each with when it was
    /// saved: the earlier versions, then the current one (with `updated_at`).
    /// This is the hook for re-checking stored content, for example when a
    /// backup is read, where every version must still pass the kind's rules.
    pub fn versions(&self) -> impl Iterator<Item = (&T, DateTime<Utc>)> + '_ {
        self.history
            .iter()
            .map(|r| (&r.body, r.saved_at))
            .chain(std::iter::once((&self.body, self.updated_at)))
    }

    /// The two copies of one record (the same id, say one on this phone and one
    /// in a backup) as one record that loses nothing.
    ///
    /// - Every distinct version from both is kept: all earlier versions of both,
    ///   and both current contents. The current content is that of the copy with
    ///   the higher revision (on a tie, the later `updated_at`, then a fixed
    ///   order), and the other copy's current content becomes an earlier version
    ///   unless it is already one (or is the same content). Earlier versions are
    ///   ordered by when they were saved.
    /// - A deletion on either side is kept, with its reason (the earlier
    ///   deletion, if both were deleted).
    /// - `created_at` and `created_by` come from the earlier creation.
    /// - When one copy already holds everything the other has (it is the same
    ///   record, later on), that copy is the result, unchanged. Otherwise the
    ///   result is a new revision, `max(rev) + 1`, so that it syncs onwards.
    ///
    /// The result does not depend on the order: `a.merge(&b) == b.merge(&a)`,
    /// and `a.merge(&a) == a`.
    pub fn merge(&self, other: &Record<T>) -> Record<T> {
        if self == other {
            return self.clone();
        }
        let (winner, loser) = if self.outranks(other) {
            (self, other)
        } else {
            (other, self)
        };
        let mut history = distinct_versions(winner.history.iter().chain(&loser.history));
        let loser_known =
            loser.body == winner.body || history.iter().any(|(_, r)| r.body == loser.body);
        if !loser_known {
            let current = Revision {
                rev: loser.rev,
                body: loser.body.clone(),
                saved_at: loser.updated_at,
                saved_by: loser.updated_by.clone(),
            };
            history.push((version_key(&current), current));
            crate::order::sort_by(&mut history, |a, b| a.0.cmp(&b.0));
        }
        let deleted = match (&winner.deleted, &loser.deleted) {
            (Some(w), Some(l)) => Some(if tombstone_key(l) < tombstone_key(w) {
                l.clone()
            } else {
                w.clone()
            }),
            (w, l) => w.clone().or_else(|| l.clone()),
        };
        let (created_at, created_by) = if loser.created_at < winner.created_at {
            (loser.created_at, &loser.created_by)
        } else {
            (winner.created_at, &winner.created_by)
        };
        let nothing_new = history.len() == distinct_versions(winner.history.iter()).len()
            && deleted == winner.deleted
            && created_at == winner.created_at
            && *created_by == winner.created_by;
        if nothing_new {
            return winner.clone();
        }
        Record {
            id: winner.id,
            rev: winner.rev.max(loser.rev).saturating_add(1),
            schema: winner.schema,
            created_at,
            created_by: created_by.clone(),
            updated_at: winner.updated_at.max(loser.updated_at),
            updated_by: winner.updated_by.clone(),
            body: winner.body.clone(),
            history: history.into_iter().map(|(_, r)| r).collect(),
            deleted,
        }
    }

    /// Whether this copy's current content wins a merge with `other`'s: the
    /// higher revision, then the later update, then a fixed order of the two
    /// copies' JSON, so that the choice never depends on which is which.
    fn outranks(&self, other: &Record<T>) -> bool {
        (self.rev, self.updated_at) > (other.rev, other.updated_at)
            || ((self.rev, self.updated_at) == (other.rev, other.updated_at)
                && canonical(self) > canonical(other))
    }
}

/// Orders earlier versions: by when they were saved, then revision, then
/// author, then content (as JSON), so that equal keys mean equal versions.
type VersionKey = (DateTime<Utc>, u32, String, String);

fn version_key<T: Serialize>(r: &Revision<T>) -> VersionKey {
    (r.saved_at, r.rev, r.saved_by.clone(), canonical(&r.body))
}

/// The versions, each once, ordered by [`version_key`].
fn distinct_versions<'a, T: Body + 'a>(
    versions: impl Iterator<Item = &'a Revision<T>>,
) -> Vec<(VersionKey, Revision<T>)> {
    let mut keyed: Vec<(VersionKey, Revision<T>)> =
        versions.map(|r| (version_key(r), r.clone())).collect();
    crate::order::sort_by(&mut keyed, |a, b| a.0.cmp(&b.0));
    keyed.dedup_by(|a, b| a.0 == b.0);
    keyed
}

fn tombstone_key(t: &Tombstone) -> (DateTime<Utc>, &str, &str) {
    (t.deleted_at, &t.deleted_by, &t.reason)
}

/// A value's JSON, for a fixed order between values of any kind. Serialising
/// record content can't fail (every map key is a field name); were it ever to,
/// the order would still be fixed, just coarser.
fn canonical<V: Serialize>(value: &V) -> String {
    serde_json::to_string(value).unwrap_or_default()
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

    fn text(r: &Record<Text>) -> &str {
        r.body().0.as_str()
    }

    #[test]
    fn a_merge_of_two_diverging_amendments_keeps_both() {
        let mut phone = record();
        phone.amend(1, Text("phone".into()), "Ann", at(5)).unwrap();
        let mut backup = record();
        backup
            .amend(1, Text("backup".into()), "Dev", at(7))
            .unwrap();
        let m = phone.merge(&backup);
        assert_eq!(m, backup.merge(&phone));
        assert_eq!(
            text(&m),
            "backup",
            "same revision: the later update is current"
        );
        assert_eq!(m.rev(), 3, "a new revision, so that it syncs onwards");
        let h: Vec<(u32, &str, &str)> = m
            .history()
            .iter()
            .map(|r| (r.rev, r.body.0.as_str(), r.saved_by.as_str()))
            .collect();
        assert_eq!(h, [(1, "first", "Ann"), (2, "phone", "Ann")]);
        assert_eq!(m.updated_at(), at(7));
        assert_eq!((m.created_at(), m.created_by()), (at(0), "Ann"));
    }

    #[test]
    fn a_merge_with_an_earlier_copy_of_itself_changes_nothing() {
        let older = record();
        let mut newer = record();
        newer.amend(1, Text("second".into()), "Dev", at(5)).unwrap();
        assert_eq!(newer.merge(&older), newer);
        assert_eq!(older.merge(&newer), newer);
        let mut deleted = newer.clone();
        deleted.delete(2, "Duplicate", "Ann", at(6)).unwrap();
        assert_eq!(newer.merge(&deleted), deleted);
        assert_eq!(older.merge(&deleted), deleted);
    }

    #[test]
    fn a_deletion_on_either_side_survives_a_merge_with_its_reason() {
        let mut deleted = record();
        deleted.delete(1, "Wrong person", "Ann", at(3)).unwrap();
        let mut amended = record();
        amended
            .amend(1, Text("second".into()), "Dev", at(2))
            .unwrap();
        amended
            .amend(2, Text("third".into()), "Dev", at(4))
            .unwrap();
        let m = deleted.merge(&amended);
        assert_eq!(m, amended.merge(&deleted));
        assert_eq!(m.deleted().unwrap().reason, "Wrong person");
        assert_eq!(text(&m), "third", "the higher revision is current");
        assert_eq!(m.rev(), 4);
        let bodies: Vec<&str> = m.history().iter().map(|r| r.body.0.as_str()).collect();
        assert_eq!(
            bodies,
            ["first", "second"],
            "no version is lost or repeated"
        );
    }

    #[test]
    fn a_merge_never_overflows_the_revision_counter() {
        let a = record();
        let mut json = serde_json::to_value(&a).unwrap();
        json["rev"] = serde_json::json!(u32::MAX);
        json["body"] = serde_json::json!("other");
        let b: Record<Text> = serde_json::from_value(json).unwrap();
        assert_eq!(a.merge(&b).rev(), u32::MAX);
    }

    #[derive(Debug, Clone)]
    enum Op {
        Amend(usize, i64, bool),
        Delete(usize, i64, bool),
    }

    fn ops() -> impl proptest::strategy::Strategy<Value = Vec<Op>> {
        use proptest::prelude::*;
        proptest::collection::vec(
            prop_oneof![
                4 => (0usize..4, -5i64..30, any::<bool>()).prop_map(|(t, m, a)| Op::Amend(t, m, a)),
                1 => (0usize..2, -5i64..30, any::<bool>()).prop_map(|(t, m, a)| Op::Delete(t, m, a)),
            ],
            0..5,
        )
    }

    /// Plays edits on a record as a carer would; refused ones (unchanged, or
    /// after a deletion) change nothing, as in the app.
    fn play(mut r: Record<Text>, ops: &[Op]) -> Record<Text> {
        for op in ops {
            let (minutes, ann) = match op {
                Op::Amend(_, m, a) | Op::Delete(_, m, a) => (*m, *a),
            };
            let now = r.updated_at() + chrono::Duration::minutes(minutes);
            let author = if ann { "Ann" } else { "Dev" };
            let _ = match op {
                Op::Amend(t, ..) => r.amend(
                    r.rev(),
                    Text(["a", "b", "c", "first"][*t].into()),
                    author,
                    now,
                ),
                Op::Delete(t, ..) => {
                    r.delete(r.rev(), ["Wrong person", "Duplicate"][*t], author, now)
                }
            };
        }
        r
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

        /// Two copies of a record, edited apart from a shared past (or, now and
        /// then, made separately with the same id): merging is commutative and
        /// idempotent, keeps every version and any deletion, and merging again
        /// with either side changes nothing.
        #[test]
        fn merging_is_commutative_idempotent_and_loses_nothing(
            common in ops(),
            a_ops in ops(),
            b_ops in ops(),
            same_origin in proptest::bool::weighted(0.85),
            b_made in 0u32..20,
        ) {
            let shared = play(record(), &common);
            let a = play(shared.clone(), &a_ops);
            let b_start = if same_origin {
                shared
            } else {
                Record::create(a.id(), Text("b".into()), "Dev", at(b_made))
            };
            let b = play(b_start, &b_ops);

            proptest::prop_assert_eq!(&a.merge(&a), &a);
            let m = a.merge(&b);
            proptest::prop_assert_eq!(&m, &b.merge(&a));
            proptest::prop_assert_eq!(&m.merge(&m), &m);
            proptest::prop_assert_eq!(&a.merge(&m), &m);
            proptest::prop_assert_eq!(&m.merge(&b), &m);

            let kept: Vec<&Text> = m.versions().map(|(t, _)| t).collect();
            for (body, _) in a.versions().chain(b.versions()) {
                proptest::prop_assert!(kept.contains(&body), "{body:?} was lost");
            }
            proptest::prop_assert_eq!(m.is_live(), a.is_live() && b.is_live());
            if a.rev() != b.rev() {
                let higher = if a.rev() > b.rev() { &a } else { &b };
                proptest::prop_assert_eq!(m.body(), higher.body());
            }
            let top = a.rev().max(b.rev());
            if m != a && m != b {
                proptest::prop_assert_eq!(m.rev(), top + 1);
            }
            proptest::prop_assert!(m.rev() >= top);
            proptest::prop_assert_eq!(m.created_at(), a.created_at().min(b.created_at()));
            proptest::prop_assert!(m.history().iter().all(|h| h.rev < m.rev()));
            proptest::prop_assert!(m.history().windows(2).all(|w| w[0].saved_at <= w[1].saved_at));
            proptest::prop_assert!(m.updated_at() >= m.created_at());
        }
    }
}
