//! The phone's storage: IndexedDB behind a small repository API.
//!
//! Every write goes through `hearth-core` first (a record can only be made from
//! a validated body) and is committed in one transaction; a failed write leaves
//! what was stored untouched. The schema only changes through the numbered
//! migrations in [`migrations`].

mod changes;
pub mod crypt;
pub mod following;
pub mod generations;
pub mod lock;
pub mod migrations;
mod repo;
pub mod rows;
pub mod sync;

pub use lock::{Pass, PassEnd};
pub use repo::Store;
pub use rows::{Stored, Timed};

use hearth_core::RecordError;
use indexed_db_futures::error::{DomException, Error, OpenDbError};

/// The database's name in the browser.
pub const DB_NAME: &str = "hearth";

/// Why storage could not do what was asked, in words for the carer.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StorageError {
    /// The browser will not give Hearth storage (private mode, blocked by settings).
    #[error("This browser won't let Hearth keep records here. It may be in private browsing mode, or set to block site data. Open Hearth in a normal window, or install it to your home screen, then try again.")]
    Refused(String),
    /// The phone's storage is full.
    #[error("Couldn't save: this phone's storage is full. Free some space on the phone, then try again. Nothing you typed was lost.")]
    Full,
    /// The record is not stored (removed elsewhere).
    #[error("That record isn't on this phone any more. Go back and look again.")]
    NotFound,
    /// The stored records are from a newer Hearth than this copy (an old copy
    /// still open, or cached, after an update).
    #[error("The records on this phone were saved by a newer version of Hearth. Reload to get the newest version; nothing has been lost.")]
    Outdated,
    /// Hearth was updated in another tab, so this tab's connection closed.
    #[error("Hearth was updated in another tab. Reload this page to carry on. Nothing saved has been lost.")]
    Closed,
    /// The lock is on and the app is locked (the data key is not in memory).
    #[error("Hearth is locked. Unlock it with your PIN, then try again.")]
    Locked,
    /// The PIN given to change or remove the lock is not right.
    #[error("That PIN is not right, so nothing was changed.")]
    WrongPin,
    /// The record refused the change.
    #[error("{0}")]
    Record(#[from] RecordError),
    /// Anything else the browser reported.
    #[error("Something went wrong with this phone's storage, so that wasn't saved. Nothing you typed was lost: try again, and if it keeps happening, reload Hearth. (Details: {0})")]
    Other(String),
}

impl StorageError {
    pub(crate) fn from_idb(e: Error) -> Self {
        match &e {
            Error::DomException(d) if d.name() == "QuotaExceededError" => StorageError::Full,
            Error::DomException(DomException::InvalidStateError(_)) => StorageError::Closed,
            Error::DomException(d) => StorageError::Other(format!("{}: {}", d.name(), d.message())),
            other => StorageError::Other(other.to_string()),
        }
    }

    pub(crate) fn from_open(e: OpenDbError) -> Self {
        match e {
            OpenDbError::Base(Error::DomException(d)) if d.name() == "VersionError" => {
                StorageError::Outdated
            }
            OpenDbError::Base(e) => match StorageError::from_idb(e) {
                StorageError::Other(detail) => StorageError::Refused(detail),
                other => other,
            },
            other => StorageError::Refused(other.to_string()),
        }
    }
}

impl From<Error> for StorageError {
    fn from(e: Error) -> Self {
        StorageError::from_idb(e)
    }
}
