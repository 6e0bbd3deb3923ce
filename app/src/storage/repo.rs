//! The repository: what the screens ask of storage, one method per question.

use super::migrations::{LATEST, MIGRATIONS};
use super::rows::{utc_key, Row, Stored, Timed};
use super::{StorageError, DB_NAME};
use chrono::{DateTime, NaiveDate, Utc};
use hearth_core::backup::BackupRecords;
use hearth_core::{
    CarerProfile, CheckIn, Note, Person, PlannedStay, Record, RecordError, RecordId, Visit,
};
use indexed_db_futures::cursor::CursorDirection;
use indexed_db_futures::database::Database;
use indexed_db_futures::error::{Error, UnexpectedDataError};
use indexed_db_futures::internals::SystemRepr;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::{Transaction, TransactionMode};
use indexed_db_futures::KeyRange;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

const SETTINGS: &str = "settings";
const PROFILE_KEY: &str = "profile";

/// A handle on the open database. Cheap to clone; every clone is the same
/// connection.
#[derive(Clone, Debug)]
pub struct Store {
    db: Database,
}

type Result<T> = std::result::Result<T, StorageError>;

impl Store {
    /// Opens Hearth's database at the current schema, running any migrations.
    /// `on_blocked` is called if another tab holds an older version open; the
    /// open then waits until that tab closes. `on_closed` is called if another
    /// tab later upgrades the database, after this connection has closed.
    pub async fn open(
        on_blocked: impl Fn() + 'static,
        on_closed: impl Fn() + 'static,
    ) -> Result<Store> {
        let store = Self::open_at(DB_NAME, LATEST, on_blocked).await?;
        let db = store.db.clone();
        let on_version_change = Closure::<dyn FnMut(web_sys::IdbVersionChangeEvent)>::new(
            move |_: web_sys::IdbVersionChangeEvent| {
                db.clone().close();
                on_closed();
            },
        );
        store
            .db
            .as_sys()
            .set_onversionchange(Some(on_version_change.as_ref().unchecked_ref()));
        on_version_change.forget();
        Ok(store)
    }

    /// Opens (or creates) a database by name at `version`, running the
    /// migrations up to it. Tests use this to build databases of every earlier
    /// version.
    pub async fn open_at(
        name: &str,
        version: u32,
        on_blocked: impl Fn() + 'static,
    ) -> Result<Store> {
        let request_cell: Rc<RefCell<Option<web_sys::IdbOpenDbRequest>>> = Rc::default();
        let request_for_upgrade = request_cell.clone();
        let request = Database::open(name)
            .with_version(version)
            .with_on_blocked(move |_| {
                on_blocked();
                Ok(())
            })
            .with_on_upgrade_needed(move |event, db| {
                let old = event.old_version() as u32;
                let tx = request_for_upgrade
                    .borrow()
                    .as_ref()
                    .and_then(|r| r.transaction())
                    .ok_or_else(|| Error::from(js_sys::Error::new("no upgrade transaction")))?;
                for step in MIGRATIONS
                    .iter()
                    .filter(|m| m.version > old && m.version <= version)
                {
                    step.apply(&db, &tx)?;
                }
                Ok(())
            })
            .build()
            .map_err(StorageError::from_open)?;
        *request_cell.borrow_mut() = Some(request.as_sys().clone().unchecked_into());
        let db = request.await.map_err(StorageError::from_open)?;
        Ok(Store { db })
    }

    /// Closes this connection (tests, and before deleting the database).
    pub fn close(self) {
        self.db.close();
    }

    /// The schema version of the open database.
    pub fn version(&self) -> u32 {
        self.db.version() as u32
    }

    // ---- The carer's profile ----

    /// The carer's profile, once the welcome has been filled in.
    pub async fn profile(&self) -> Result<Option<Record<CarerProfile>>> {
        let tx = self.db.transaction(SETTINGS).build()?;
        let store = tx.object_store(SETTINGS)?;
        Ok(store.get(PROFILE_KEY).serde()?.await?)
    }

    /// Saves the profile: the first time as a new record, later as an amendment.
    pub async fn save_profile(
        &self,
        id: RecordId,
        profile: CarerProfile,
        now: DateTime<Utc>,
    ) -> Result<Record<CarerProfile>> {
        let tx = self.write(&[SETTINGS])?;
        let saved = {
            let store = tx.object_store(SETTINGS)?;
            let stored: Option<Record<CarerProfile>> = store.get(PROFILE_KEY).serde()?.await?;
            let author = profile.carer_name().to_string();
            let record = match stored {
                None => Record::create(id, profile, &author, now),
                Some(mut rec) => {
                    match rec.amend(rec.rev(), profile, &author, now) {
                        Ok(()) | Err(RecordError::Unchanged) => {}
                        Err(e) => return Err(e.into()),
                    }
                    rec
                }
            };
            store
                .put(&record)
                .with_key(PROFILE_KEY.to_string())
                .without_key_type()
                .serde()?
                .await?;
            record
        };
        commit(tx).await?;
        Ok(saved)
    }

    // ---- Any record kind ----

    /// Stores a new record.
    pub async fn insert<T: Stored>(&self, record: &Record<T>) -> Result<()> {
        let tx = self.write(&[T::STORE])?;
        {
            let store = tx.object_store(T::STORE)?;
            store.add(Row::new(record.clone())).serde()?.await?;
        }
        commit(tx).await
    }

    /// Stores many new records in one transaction: all of them or none.
    pub async fn insert_all<T: Stored>(&self, records: &[Record<T>]) -> Result<()> {
        let tx = self.write(&[T::STORE])?;
        {
            let store = tx.object_store(T::STORE)?;
            for record in records {
                store.add(Row::new(record.clone())).serde()?;
            }
        }
        commit(tx).await
    }

    /// One record by id, deleted or not.
    pub async fn get<T: Stored>(&self, id: RecordId) -> Result<Option<Record<T>>> {
        let tx = self.db.transaction(T::STORE).build()?;
        let store = tx.object_store(T::STORE)?;
        let row: Option<Row<T>> = store.get(id.to_string()).serde()?.await?;
        Ok(row.map(|r| r.rec))
    }

    /// Reads a record, lets `change` amend or delete it through `hearth-core`,
    /// and writes it back, all in one transaction: if the change is refused,
    /// nothing is written.
    pub async fn change<T: Stored>(
        &self,
        id: RecordId,
        change: impl FnOnce(&mut Record<T>) -> std::result::Result<(), RecordError>,
    ) -> Result<Record<T>> {
        let tx = self.write(&[T::STORE])?;
        let record = {
            let store = tx.object_store(T::STORE)?;
            let row: Option<Row<T>> = store.get(id.to_string()).serde()?.await?;
            let mut record = row.ok_or(StorageError::NotFound)?.rec;
            change(&mut record)?;
            store.put(Row::new(record.clone())).serde()?.await?;
            record
        };
        commit(tx).await?;
        Ok(record)
    }

    /// Every record of a kind, deleted ones too (planned stays, a few hundred).
    pub async fn all<T: Stored>(&self) -> Result<Vec<Record<T>>> {
        let tx = self.db.transaction(T::STORE).build()?;
        let store = tx.object_store(T::STORE)?;
        let rows = store.get_all().serde()?.await?;
        rows.map(|r: std::result::Result<Row<T>, Error>| {
            r.map(|row| row.rec).map_err(StorageError::from)
        })
        .collect()
    }

    /// Every visit that started on or after `since`, for any person (monthly
    /// totals), oldest first.
    pub async fn visits_since(&self, since: DateTime<Utc>) -> Result<Vec<Record<Visit>>> {
        let tx = self.db.transaction(Visit::STORE).build()?;
        let store = tx.object_store(Visit::STORE)?;
        let index = store.index("by_at")?;
        let rows = index
            .get_all()
            .with_query::<String, _>(KeyRange::LowerBound(utc_key(since), false))
            .serde()?
            .await?;
        rows.map(|r: std::result::Result<Row<Visit>, Error>| {
            r.map(|row| row.rec).map_err(StorageError::from)
        })
        .collect()
    }

    // ---- Backups ----

    /// Every record of every kind, read in one transaction so the backup is a
    /// consistent snapshot even if another tab is writing.
    pub async fn backup_records(&self) -> Result<BackupRecords> {
        let stores = [
            SETTINGS,
            Person::STORE,
            Note::STORE,
            CheckIn::STORE,
            Visit::STORE,
            PlannedStay::STORE,
        ];
        let tx = self.db.transaction(stores).build()?;
        let profile = tx.object_store(SETTINGS)?.get(PROFILE_KEY).serde()?.await?;
        Ok(BackupRecords {
            profile,
            people: rows_of(&tx).await?,
            notes: rows_of(&tx).await?,
            checkins: rows_of(&tx).await?,
            visits: rows_of(&tx).await?,
            stays: rows_of(&tx).await?,
        })
    }

    /// Writes what a restore plan decided, in one transaction across every
    /// store: either all of it is written or none.
    pub async fn restore(&self, records: &BackupRecords) -> Result<()> {
        let stores = [
            SETTINGS,
            Person::STORE,
            Note::STORE,
            CheckIn::STORE,
            Visit::STORE,
            PlannedStay::STORE,
        ];
        let tx = self.write(&stores)?;
        {
            if let Some(profile) = &records.profile {
                tx.object_store(SETTINGS)?
                    .put(profile)
                    .with_key(PROFILE_KEY.to_string())
                    .without_key_type()
                    .serde()?;
            }
            put_rows(&tx, &records.people)?;
            put_rows(&tx, &records.notes)?;
            put_rows(&tx, &records.checkins)?;
            put_rows(&tx, &records.visits)?;
            put_rows(&tx, &records.stays)?;
        }
        commit(tx).await
    }

    // ---- Small settings ----

    /// A setting by key, if set.
    pub async fn setting<V: serde::de::DeserializeOwned>(&self, key: &str) -> Result<Option<V>> {
        let tx = self.db.transaction(SETTINGS).build()?;
        let store = tx.object_store(SETTINGS)?;
        Ok(store.get(key.to_string()).serde()?.await?)
    }

    /// Saves a setting.
    pub async fn set_setting<V: serde::Serialize>(&self, key: &str, value: &V) -> Result<()> {
        let tx = self.write(&[SETTINGS])?;
        {
            let store = tx.object_store(SETTINGS)?;
            store
                .put(value)
                .with_key(key.to_string())
                .without_key_type()
                .serde()?
                .await?;
        }
        commit(tx).await
    }

    // ---- People ----

    /// Everyone, archived too, by preferred name.
    pub async fn people(&self) -> Result<Vec<Record<Person>>> {
        let mut people: Vec<Record<Person>> = self.all::<Person>().await?;
        people.sort_by_cached_key(|p| p.body().preferred_name().to_lowercase());
        Ok(people)
    }

    // ---- Notes, check-ins: anything that happened to a person ----

    /// A person's records of one kind, newest first, at most `limit` of them,
    /// deleted ones included (screens show them as deleted). With `since`, only
    /// those from that moment on.
    pub async fn for_person<T: Timed>(
        &self,
        person: RecordId,
        since: Option<DateTime<Utc>>,
        limit: usize,
    ) -> Result<Vec<Record<T>>> {
        let tx = self.db.transaction(T::STORE).build()?;
        let store = tx.object_store(T::STORE)?;
        let index = store.index("by_person_at")?;
        let person = person.to_string();
        let range = KeyRange::Bound(
            [person.clone(), since.map(utc_key).unwrap_or_default()],
            false,
            [person, "\u{ffff}".to_string()],
            false,
        );
        if limit == usize::MAX {
            // Everything in range: one getAll is far quicker than a cursor's
            // round trip per record.
            let rows = index
                .get_all()
                .with_query::<[String; 2], _>(range)
                .serde()?
                .await?;
            let mut records = rows
                .map(|r: std::result::Result<Row<T>, Error>| r.map(|row| row.rec))
                .collect::<std::result::Result<Vec<_>, _>>()?;
            records.reverse();
            return Ok(records);
        }
        let mut records = Vec::new();
        let cursor = index
            .open_cursor()
            .with_query::<[String; 2], _>(range)
            .with_direction(CursorDirection::Prev)
            .serde()?
            .await?;
        if let Some(mut cursor) = cursor {
            while records.len() < limit {
                match cursor.next_record_ser::<Row<T>>().await? {
                    Some(row) => records.push(row.rec),
                    None => break,
                }
            }
        }
        Ok(records)
    }

    /// Every live record of one kind on `day` (the phone's local date), newest first.
    pub async fn on_day<T: Timed>(&self, day: NaiveDate) -> Result<Vec<Record<T>>> {
        let tx = self.db.transaction(T::STORE).build()?;
        let store = tx.object_store(T::STORE)?;
        let index = store.index("by_day")?;
        let rows = index
            .get_all()
            .with_query(hearth_core::dates::form_date(day))
            .serde()?
            .await?;
        let mut records = rows
            .map(|r: std::result::Result<Row<T>, Error>| r.map(|row| row.rec))
            .collect::<std::result::Result<Vec<_>, _>>()?;
        records.retain(Record::is_live);
        records.sort_by_key(|r| std::cmp::Reverse(r.body().at()));
        Ok(records)
    }

    /// A person's notes, newest first (see [`Store::for_person`]).
    pub async fn notes_for(&self, person: RecordId, limit: usize) -> Result<Vec<Record<Note>>> {
        self.for_person(person, None, limit).await
    }

    /// Every live note on `day`, newest first (see [`Store::on_day`]).
    pub async fn notes_on(&self, day: NaiveDate) -> Result<Vec<Record<Note>>> {
        self.on_day(day).await
    }

    // ---- Helpers ----

    fn write(&self, stores: &[&str]) -> Result<Transaction<'_>> {
        Ok(self
            .db
            .transaction(stores)
            .with_mode(TransactionMode::Readwrite)
            .build()?)
    }

    // ---- Sample data ----

    /// Removes exactly these records, for good (sample data was never the
    /// carer's), and the setting `key` that listed them, in one transaction.
    pub async fn remove_sample(
        &self,
        ids: &hearth_core::sample::SampleIds,
        key: &str,
    ) -> Result<()> {
        let kinds = [
            (Person::STORE, &ids.people),
            (Note::STORE, &ids.notes),
            (CheckIn::STORE, &ids.checkins),
            (Visit::STORE, &ids.visits),
            (PlannedStay::STORE, &ids.stays),
        ];
        let tx = self.write(&[
            SETTINGS, kinds[0].0, kinds[1].0, kinds[2].0, kinds[3].0, kinds[4].0,
        ])?;
        for (name, ids) in kinds {
            let store = tx.object_store(name)?;
            for id in ids {
                store.delete(id.to_string()).primitive()?;
            }
        }
        tx.object_store(SETTINGS)?
            .delete(key.to_string())
            .primitive()?;
        commit(tx).await
    }
}

/// Every record of one kind within an open transaction.
async fn rows_of<T: Stored>(tx: &Transaction<'_>) -> Result<Vec<Record<T>>> {
    let store = tx.object_store(T::STORE)?;
    let rows = store.get_all().serde()?.await?;
    rows.map(|r: std::result::Result<Row<T>, Error>| {
        r.map(|row| row.rec).map_err(StorageError::from)
    })
    .collect()
}

/// Queues a put of every record (requests go out as they are built; the
/// transaction's commit waits for them all).
fn put_rows<T: Stored>(tx: &Transaction<'_>, records: &[Record<T>]) -> Result<()> {
    let store = tx.object_store(T::STORE)?;
    for record in records {
        store.put(Row::new(record.clone())).serde()?;
    }
    Ok(())
}

/// Commits, turning a silent abort (Chromium's way of saying "disk full") into
/// the reason the browser recorded.
async fn commit(tx: Transaction<'_>) -> Result<()> {
    let raw: web_sys::IdbTransaction = tx.as_sys().clone().unchecked_into();
    match tx.commit().await {
        Ok(()) => Ok(()),
        Err(Error::MissingData(UnexpectedDataError::TransactionAborted)) => {
            Err(match raw.error() {
                Some(e) if e.name() == "QuotaExceededError" => StorageError::Full,
                Some(e) => StorageError::Other(format!("{}: {}", e.name(), e.message())),
                None => StorageError::Other("the browser cancelled the save".into()),
            })
        }
        Err(e) => Err(e.into()),
    }
}
