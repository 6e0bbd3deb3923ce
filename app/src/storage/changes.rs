//! The change log: which records changed, in order, for the sync to send.
//!
//! Each record has one entry in the `changes` store, `{id, seq, store,
//! person}`: `seq` is the phone's change counter (settings key
//! [`CHANGE_SEQ`]) when the record last changed, and the `by_seq` index is
//! the log. Every write of a record gives it the next number, in the same
//! transaction as the write, so the log can never miss a change. What the
//! phone knows of each record on the scheme's server (`SyncMeta`) is kept
//! apart, in `sync_meta`, written only by the sync.

use super::migrations::CHANGE_SEQ;
use super::repo::SETTINGS;
use super::rows::Stored;
use super::StorageError;
use hearth_core::Record;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::Transaction;
use serde::{Deserialize, Serialize};

/// The change log's object store.
pub const CHANGES: &str = "changes";
/// Each record's state on the server, by record id.
pub const SYNC_META: &str = "sync_meta";

/// One record's entry in the change log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    /// The record's id.
    pub id: String,
    /// The change counter when it last changed here; none in entries an
    /// earlier Hearth wrote for records as they came from the server (not
    /// waiting to be sent, and out of the `by_seq` index, as IndexedDB
    /// leaves out a row without the key). Pulled records are no longer
    /// logged unless changed here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seq: Option<u64>,
    /// Its object store.
    pub store: String,
    /// The person it is about (a person: themselves).
    pub person: String,
}

/// What a write logs for one record (its `seq` is given when logged).
pub(super) struct Changed {
    pub id: String,
    pub store: &'static str,
    pub person: String,
}

impl Changed {
    pub fn of<T: Stored>(record: &Record<T>) -> Changed {
        let id = record.id().to_string();
        Changed {
            person: T::keys(record.body()).person.unwrap_or_else(|| id.clone()),
            id,
            store: T::STORE,
        }
    }
}

/// The schema version that brought the change log.
const SINCE_VERSION: u32 = 6;

/// Gives each record the next change numbers, inside `tx` (a read-write
/// transaction over [`scope`]). Nothing is logged in a database older than
/// the change log (the storage tests write those with today's code).
/// Transactions that write records are serialized by the browser, as their
/// scopes overlap on `SETTINGS`, so two tabs never hand out the same number.
pub(super) async fn log(
    tx: &Transaction<'_>,
    changed: impl IntoIterator<Item = Changed>,
) -> Result<(), StorageError> {
    // Not in the transaction's scope: the database is older than the log.
    let Ok(changes) = tx.object_store(CHANGES) else {
        return Ok(());
    };
    let settings = tx.object_store(SETTINGS)?;
    let mut seq: u64 = settings.get(CHANGE_SEQ).serde()?.await?.unwrap_or(0);
    for c in changed {
        seq += 1;
        changes
            .put(Change {
                id: c.id,
                seq: Some(seq),
                store: c.store.to_string(),
                person: c.person,
            })
            .serde()?;
    }
    settings
        .put(seq)
        .with_key(CHANGE_SEQ.to_string())
        .without_key_type()
        .serde()?;
    Ok(())
}

/// The stores a write to `stores` needs in its transaction, at the
/// database's `version`.
pub(super) fn scope(version: u32, stores: &[&'static str]) -> Vec<&'static str> {
    let mut all = stores.to_vec();
    if version >= SINCE_VERSION {
        all.extend([CHANGES, SETTINGS]);
    }
    all.dedup();
    all
}
