//! The stays other people sent to this phone ("My stays" links), kept apart
//! from the carer's records: a database of their own, which the PIN lock,
//! backups, the sync and the records' moves never touch, and which the
//! screens for them open without opening the carer's.
//!
//! A row is `{ person, format, payload }`: the link's payload as it came, once
//! opened (see `hearth_core::stays_link`), so a read checks it again through
//! core exactly as the link was checked. Its schema has one step so far: the
//! store, made when the database is first opened (version 1).

use super::repo::commit;
use super::StorageError;
use hearth_core::stays_link::{LinkError, SentStays};
use hearth_core::RecordId;
use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use indexed_db_futures::KeyPath;
use serde::{Deserialize, Serialize};

/// The database's name in the browser (not a generation of the records').
pub const FOLLOWING_DB: &str = "hearth-following";
const VERSION: u32 = 1;
const FOLLOWED: &str = "followed";

type Result<T> = std::result::Result<T, StorageError>;

#[derive(Serialize, Deserialize)]
struct Row {
    person: String,
    format: u8,
    payload: Vec<u8>,
}

impl Row {
    fn read(self) -> std::result::Result<SentStays, LinkError> {
        SentStays::from_payload(self.format, &self.payload)
    }
}

/// What keeping a link's stays came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kept {
    /// Stored: new, or newer than what was here.
    Saved,
    /// Not stored: this phone has stays for the person from a newer link,
    /// which stay.
    HadNewer(SentStays),
}

/// The followed people's stays on this phone.
pub struct Following {
    db: Database,
}

impl Following {
    /// Opens (and the first time, makes) the database.
    pub async fn open() -> Result<Following> {
        Self::open_named(FOLLOWING_DB).await
    }

    /// [`Following::open`] for a database of another name (the tests').
    pub async fn open_named(name: &str) -> Result<Following> {
        let db = Database::open(name)
            .with_version(VERSION)
            .with_on_upgrade_needed(|event, db| {
                if event.old_version() < 1.0 {
                    db.create_object_store(FOLLOWED)
                        .with_key_path(KeyPath::One("person"))
                        .build()?;
                }
                Ok(())
            })
            .build()
            .map_err(StorageError::from_open)?
            .await
            .map_err(StorageError::from_open)?;
        Ok(Following { db })
    }

    /// Everyone followed, by name. A row that no longer reads (it can't,
    /// unless the browser's storage was changed by hand) is left out.
    pub async fn everyone(&self) -> Result<Vec<SentStays>> {
        let tx = self.db.transaction(FOLLOWED).build()?;
        let store = tx.object_store(FOLLOWED)?;
        let mut people = Vec::new();
        for raw in store.get_all().primitive()?.await? {
            let row = serde_wasm_bindgen::from_value::<Row>(raw?).ok();
            people.extend(row.and_then(|r| r.read().ok()));
        }
        hearth_core::order::sort_by_key(&mut people, |p| (p.name.to_lowercase(), p.person));
        Ok(people)
    }

    /// One followed person's stays.
    pub async fn theirs(&self, person: RecordId) -> Result<Option<SentStays>> {
        let tx = self.db.transaction(FOLLOWED).build()?;
        let store = tx.object_store(FOLLOWED)?;
        let row: Option<Row> = store.get(person.to_string()).serde()?.await?;
        Ok(row.and_then(|r| r.read().ok()))
    }

    /// Keeps a link's stays (`payload` of `format`, read by core as `sent`)
    /// unless this phone has the person's stays from a newer link (the same
    /// link opened again is kept again, unchanged): read and write are one
    /// transaction.
    pub async fn keep(&self, sent: &SentStays, format: u8, payload: Vec<u8>) -> Result<Kept> {
        let tx = self
            .db
            .transaction(FOLLOWED)
            .with_mode(TransactionMode::Readwrite)
            .build()?;
        let kept = {
            let store = tx.object_store(FOLLOWED)?;
            let stored: Option<Row> = store.get(sent.person.to_string()).serde()?.await?;
            match stored.and_then(|r| r.read().ok()) {
                Some(stored) if stored.replaces(sent) => Kept::HadNewer(stored),
                _ => {
                    let row = Row {
                        person: sent.person.to_string(),
                        format,
                        payload,
                    };
                    store.put(&row).serde()?.await?;
                    Kept::Saved
                }
            }
        };
        commit(tx).await?;
        Ok(kept)
    }

    /// Closes the connection (tests, before deleting the database).
    pub fn close(self) {
        self.db.close();
    }

    /// Stops following a person: their stays go from this phone.
    pub async fn stop(&self, person: RecordId) -> Result<()> {
        let tx = self
            .db
            .transaction(FOLLOWED)
            .with_mode(TransactionMode::Readwrite)
            .build()?;
        tx.object_store(FOLLOWED)?
            .delete(person.to_string())
            .primitive()?
            .await?;
        commit(tx).await
    }
}
