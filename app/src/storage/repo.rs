//! The repository: what the screens ask of storage, one method per question.

use super::changes::{self, Changed, CHANGES, SYNC_META};
use super::crypt::{self, KeyCell, LockSettings, LockState, LOCK};
use super::generations;
use super::migrations::{LATEST, MIGRATIONS};
use super::rows::{utc_key, Row, Stored, Timed};
use super::{StorageError, DB_NAME};
use chrono::{DateTime, NaiveDate, Utc};
use hearth_core::backup::BackupRecords;
use hearth_core::dose::DoseRecord;
use hearth_core::mar::Absence;
use hearth_core::medicine::Medicine;
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
use send_wrapper::SendWrapper;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

pub(crate) const SETTINGS: &str = "settings";
pub(super) const PROFILE_KEY: &str = "profile";
/// Every object store of records, in the order a lock pass converts them.
pub(super) const RECORD_STORES: [&str; 8] = [
    Person::STORE,
    Note::STORE,
    CheckIn::STORE,
    Visit::STORE,
    PlannedStay::STORE,
    Medicine::STORE,
    DoseRecord::STORE,
    Absence::STORE,
];

/// A handle on the open database. Cheap to clone; every clone is the same
/// connection.
#[derive(Clone, Debug)]
pub struct Store {
    pub(super) db: Database,
    /// The lock's state and, once unlocked, the data key (shared by clones).
    /// (Wasm is single-threaded; the wrapper only satisfies Leptos's `Send` bounds.)
    pub(super) lock: SendWrapper<Rc<KeyCell>>,
    /// The database's name.
    name: String,
    /// The name its generations are named after (see [`generations`]).
    base: String,
    /// The records can move to a fresh database (see [`generations`]): not
    /// when `open` found that the browser can't list its databases.
    movable: bool,
}

type Result<T> = std::result::Result<T, StorageError>;

impl Store {
    /// Opens Hearth's database at the current schema, running any migrations.
    /// `on_blocked` is called if another tab holds an older version open; the
    /// open then waits until that tab closes. `on_closed` is called if another
    /// tab later upgrades or deletes the database, after this connection has
    /// closed. The records live in the newest database generation (see
    /// [`generations`]); an interrupted move is sorted out first.
    pub async fn open(
        on_blocked: impl Fn() + 'static,
        on_closed: impl Fn() + 'static,
    ) -> Result<Store> {
        Self::open_generations(DB_NAME, Rc::new(on_blocked), on_closed).await
    }

    /// [`Store::open`] of the databases named after `base` (tests use their
    /// own).
    pub async fn open_generations(
        base: &str,
        on_blocked: Rc<dyn Fn()>,
        on_closed: impl Fn() + 'static,
    ) -> Result<Store> {
        let (mut store, movable) = generations::open_live(base, on_blocked).await?;
        store.movable = movable;
        store.base = base.to_string();
        store.watch_version_change(on_closed);
        Ok(store)
    }

    /// Closes this connection and opens Hearth's database again, keeping the
    /// lock's key (the carer stays unlocked): after the lock has sealed every
    /// row, so that they can move to a fresh database. Nothing may write
    /// meanwhile.
    pub async fn reopen(
        self,
        on_blocked: impl Fn() + 'static,
        on_closed: impl Fn() + 'static,
    ) -> Result<Store> {
        let lock = self.lock.clone();
        self.close();
        let mut store = Self::open(on_blocked, on_closed).await?;
        lock.set_state(store.lock.state());
        store.lock = lock;
        Ok(store)
    }

    /// Calls `on_closed` (after closing this connection) when another tab
    /// upgrades or deletes the database.
    pub fn watch_version_change(&self, on_closed: impl Fn() + 'static) {
        let db = self.db.clone();
        let on_version_change = Closure::<dyn FnMut(web_sys::IdbVersionChangeEvent)>::new(
            move |_: web_sys::IdbVersionChangeEvent| {
                db.clone().close();
                on_closed();
            },
        );
        self.db
            .as_sys()
            .set_onversionchange(Some(on_version_change.as_ref().unchecked_ref()));
        on_version_change.forget();
    }

    /// Whether the lock is on in a database that held clear rows once (and
    /// the browser lists its databases, so a move can be finished if it is
    /// interrupted).
    pub async fn needs_move(&self) -> Result<bool> {
        Ok(self.movable
            && self.lock.state() == LockState::On
            && self.setting::<bool>(generations::FRESH).await?.is_none())
    }

    /// Copies every row to the database `to` (made at the current schema),
    /// marks `to` fresh and complete, closes this one and returns `to`, with the same
    /// lock and key. Deleting this one is the caller's.
    pub async fn move_to(self, to: &str) -> Result<Store> {
        let fresh = Self::open_dyn(to, LATEST, Rc::new(|| {})).await?;
        if let Err(e) = generations::copy(&self.db, &fresh.db).await {
            fresh.close();
            return Err(e);
        }
        let moved = Store {
            db: fresh.db,
            lock: self.lock.clone(),
            name: to.to_string(),
            base: self.base.clone(),
            movable: self.movable,
        };
        self.close();
        Ok(moved)
    }

    /// Moves the records to a fresh database of the next generation, watched
    /// by `on_closed`, and deletes this one in the background. If the move
    /// fails part way (the phone's storage full), the records stay here and
    /// the part copy is deleted at the next start, which tries again.
    pub async fn move_on(self, on_closed: impl Fn() + 'static) -> Store {
        let now = generations::generation(&self.base, &self.name).unwrap_or(1);
        let next = generations::name_of(&self.base, now + 1);
        match self.clone().move_to(&next).await {
            Ok(moved) => {
                generations::forget(self.name);
                moved.watch_version_change(on_closed);
                moved
            }
            Err(_) => self,
        }
    }

    /// Opens (or creates) a database by name at `version`, running the
    /// migrations up to it. Tests use this to build databases of every earlier
    /// version.
    pub async fn open_at(
        name: &str,
        version: u32,
        on_blocked: impl Fn() + 'static,
    ) -> Result<Store> {
        Self::open_dyn(name, version, Rc::new(on_blocked)).await
    }

    /// [`Store::open_at`] with no type parameter, so the wasm holds its code
    /// (and the migrations') once, whoever calls it.
    pub(super) async fn open_dyn(
        name: &str,
        version: u32,
        on_blocked: Rc<dyn Fn()>,
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
        let store = Store {
            db,
            lock: SendWrapper::new(Rc::default()),
            name: name.to_string(),
            base: name.to_string(),
            movable: true,
        };
        let lock: LockSettings = store.setting(LOCK).await?.unwrap_or_default();
        store.lock.set_state(lock.state);
        Ok(store)
    }

    /// Closes this connection (tests, and before deleting the database).
    pub fn close(self) {
        self.db.close();
    }

    /// The database's name (`hearth`, or `hearth-2` and on after a move).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The schema version of the open database.
    pub fn version(&self) -> u32 {
        self.db.version() as u32
    }

    // ---- The carer's profile ----

    /// The carer's profile, once the welcome has been filled in.
    pub async fn profile(&self) -> Result<Option<Record<CarerProfile>>> {
        let raw = self.raw_profile().await?;
        match raw {
            None => Ok(None),
            Some(raw) => self.open_profile(raw).await.map(Some),
        }
    }

    async fn raw_profile(&self) -> Result<Option<JsValue>> {
        let tx = self.db.transaction(SETTINGS).build()?;
        let store = tx.object_store(SETTINGS)?;
        Ok(store.get(PROFILE_KEY).primitive()?.await?)
    }

    /// The profile from its stored form: the bare record, or a sealed row.
    async fn open_profile(&self, raw: JsValue) -> Result<Record<CarerProfile>> {
        if crypt::is_sealed(&raw) {
            let row = self.reveal(vec![raw]).await?.pop().unwrap_or_default();
            crypt::from_js(js_sys::Reflect::get(&row, &"rec".into()).unwrap_or_default())
        } else {
            crypt::from_js(raw)
        }
    }

    /// The profile's stored form: the bare record, sealed when the lock is on.
    pub(super) async fn profile_value(&self, record: &Record<CarerProfile>) -> Result<JsValue> {
        let clear = crypt::to_js(record)?;
        if !self.lock.state().seals() {
            return Ok(clear);
        }
        let row = js_sys::Object::new();
        js_sys::Reflect::set(&row, &"rec".into(), &clear).map_err(|_| StorageError::NotFound)?;
        Ok(self.seal(vec![row.into()]).await?.pop().unwrap_or_default())
    }

    /// Saves the profile: the first time as a new record, later as an amendment.
    pub async fn save_profile(
        &self,
        id: RecordId,
        profile: CarerProfile,
        now: DateTime<Utc>,
    ) -> Result<Record<CarerProfile>> {
        // Read and decrypt, amend through core, encrypt, then write in one
        // transaction that first checks nothing changed in between (WebCrypto
        // is asynchronous, and a transaction cannot wait for it).
        let before = self.raw_profile().await?;
        let author = profile.carer_name().to_string();
        let record = match &before {
            None => Record::create(id, profile, &author, now),
            Some(raw) => {
                let mut rec = self.open_profile(raw.clone()).await?;
                match rec.amend(rec.rev(), profile, &author, now) {
                    Ok(()) | Err(RecordError::Unchanged) => {}
                    Err(e) => return Err(e.into()),
                }
                rec
            }
        };
        let value = self.profile_value(&record).await?;
        let tx = self.write(&[SETTINGS])?;
        {
            let store = tx.object_store(SETTINGS)?;
            let now: Option<JsValue> = store.get(PROFILE_KEY).primitive()?.await?;
            let rev = |v: &Option<JsValue>| v.as_ref().map(profile_rev);
            if rev(&now) != rev(&before) {
                return Err(RecordError::Stale.into());
            }
            store
                .put(value)
                .with_key(PROFILE_KEY.to_string())
                .without_key_type()
                .primitive()?
                .await?;
        }
        commit(tx).await?;
        Ok(record)
    }

    // ---- Any record kind ----

    /// Stores a new record.
    pub async fn insert<T: Stored>(&self, record: &Record<T>) -> Result<()> {
        let row = self.rows(std::slice::from_ref(record)).await?;
        let tx = self.write(&changes::scope(self.version(), &[T::STORE]))?;
        {
            let store = tx.object_store(T::STORE)?;
            for row in row {
                store.add(row).primitive()?.await?;
            }
            changes::log(&tx, [Changed::of(record)]).await?;
        }
        commit(tx).await
    }

    /// Stores many new records in one transaction: all of them or none.
    pub async fn insert_all<T: Stored>(&self, records: &[Record<T>]) -> Result<()> {
        let rows = self.rows(records).await?;
        let tx = self.write(&changes::scope(self.version(), &[T::STORE]))?;
        {
            let store = tx.object_store(T::STORE)?;
            for row in rows {
                store.add(row).primitive()?;
            }
            changes::log(&tx, records.iter().map(Changed::of)).await?;
        }
        commit(tx).await
    }

    /// One record by id, deleted or not.
    pub async fn get<T: Stored>(&self, id: RecordId) -> Result<Option<Record<T>>> {
        let raw = self.raw_row(T::STORE, id).await?;
        match raw {
            None => Ok(None),
            Some(raw) => Ok(self.records::<T>(vec![raw]).await?.pop()),
        }
    }

    async fn raw_row(&self, store: &str, id: RecordId) -> Result<Option<JsValue>> {
        let tx = self.db.transaction(store).build()?;
        let store = tx.object_store(store)?;
        Ok(store.get(id.to_string()).primitive()?.await?)
    }

    /// Reads a record, lets `change` amend or delete it through `hearth-core`,
    /// and writes it back: if the change is refused, nothing is written.
    ///
    /// Decrypting and encrypting are asynchronous and an IndexedDB transaction
    /// cannot wait for them, so: read and decrypt, change, encrypt, then one
    /// write transaction that re-reads the row and writes only if its revision
    /// is still the one changed (otherwise `Stale`, as for another tab's edit).
    pub async fn change<T: Stored>(
        &self,
        id: RecordId,
        change: impl FnOnce(&mut Record<T>) -> std::result::Result<(), RecordError>,
    ) -> Result<Record<T>> {
        let before = self
            .raw_row(T::STORE, id)
            .await?
            .ok_or(StorageError::NotFound)?;
        let rev = crypt::rev_of(&before);
        let mut record = self
            .records::<T>(vec![before])
            .await?
            .pop()
            .ok_or(StorageError::NotFound)?;
        change(&mut record)?;
        let rows = self.rows(std::slice::from_ref(&record)).await?;
        let tx = self.write(&changes::scope(self.version(), &[T::STORE]))?;
        {
            let store = tx.object_store(T::STORE)?;
            let now: Option<JsValue> = store.get(id.to_string()).primitive()?.await?;
            let now = now.ok_or(StorageError::NotFound)?;
            if crypt::rev_of(&now) != rev {
                return Err(RecordError::Stale.into());
            }
            for row in rows {
                store.put(row).primitive()?.await?;
            }
            changes::log(&tx, [Changed::of(&record)]).await?;
        }
        commit(tx).await?;
        Ok(record)
    }

    /// Every record of a kind, deleted ones too (planned stays, a few hundred).
    pub async fn all<T: Stored>(&self) -> Result<Vec<Record<T>>> {
        let raw = {
            let tx = self.db.transaction(T::STORE).build()?;
            raw_rows(&tx, T::STORE).await?
        };
        self.records(raw).await
    }

    /// Whether a kind has any record at all, deleted ones too: a count, with
    /// no record read (Today asks it of medicines before loading their list).
    pub async fn has_any<T: Stored>(&self) -> Result<bool> {
        let tx = self.db.transaction(T::STORE).build()?;
        let count = tx.object_store(T::STORE)?.count().primitive()?.await?;
        Ok(count > 0)
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
            .primitive()?
            .await?;
        let raw = rows.collect::<std::result::Result<Vec<JsValue>, _>>()?;
        self.records(raw).await
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
            Medicine::STORE,
            DoseRecord::STORE,
            Absence::STORE,
        ];
        // Read raw in one transaction, decrypt after it.
        let (profile, people, notes, checkins, visits, stays, medicines, doses, absences) = {
            let tx = self.db.transaction(stores).build()?;
            let profile: Option<JsValue> = tx
                .object_store(SETTINGS)?
                .get(PROFILE_KEY)
                .primitive()?
                .await?;
            (
                profile,
                raw_rows(&tx, Person::STORE).await?,
                raw_rows(&tx, Note::STORE).await?,
                raw_rows(&tx, CheckIn::STORE).await?,
                raw_rows(&tx, Visit::STORE).await?,
                raw_rows(&tx, PlannedStay::STORE).await?,
                raw_rows(&tx, Medicine::STORE).await?,
                raw_rows(&tx, DoseRecord::STORE).await?,
                raw_rows(&tx, Absence::STORE).await?,
            )
        };
        Ok(BackupRecords {
            profile: match profile {
                Some(raw) => Some(self.open_profile(raw).await?),
                None => None,
            },
            people: self.records(people).await?,
            notes: self.records(notes).await?,
            checkins: self.records(checkins).await?,
            visits: self.records(visits).await?,
            stays: self.records(stays).await?,
            medicines: self.records(medicines).await?,
            doses: self.records(doses).await?,
            absences: self.records(absences).await?,
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
            Medicine::STORE,
            DoseRecord::STORE,
            Absence::STORE,
        ];
        // Encrypt first (when the lock is on), then one transaction.
        let profile = match &records.profile {
            Some(profile) => Some(self.profile_value(profile).await?),
            None => None,
        };
        let rows = [
            (Person::STORE, self.rows(&records.people).await?),
            (Note::STORE, self.rows(&records.notes).await?),
            (CheckIn::STORE, self.rows(&records.checkins).await?),
            (Visit::STORE, self.rows(&records.visits).await?),
            (PlannedStay::STORE, self.rows(&records.stays).await?),
            (Medicine::STORE, self.rows(&records.medicines).await?),
            (DoseRecord::STORE, self.rows(&records.doses).await?),
            (Absence::STORE, self.rows(&records.absences).await?),
        ];
        let changed = (records.people.iter().map(Changed::of))
            .chain(records.notes.iter().map(Changed::of))
            .chain(records.checkins.iter().map(Changed::of))
            .chain(records.visits.iter().map(Changed::of))
            .chain(records.stays.iter().map(Changed::of))
            .chain(records.medicines.iter().map(Changed::of))
            .chain(records.doses.iter().map(Changed::of))
            .chain(records.absences.iter().map(Changed::of));
        let tx = self.write(&changes::scope(self.version(), &stores))?;
        {
            if let Some(profile) = profile {
                tx.object_store(SETTINGS)?
                    .put(profile)
                    .with_key(PROFILE_KEY.to_string())
                    .without_key_type()
                    .primitive()?;
            }
            for (name, rows) in rows {
                let store = tx.object_store(name)?;
                for row in rows {
                    store.put(row).primitive()?;
                }
            }
            changes::log(&tx, changed).await?;
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
        hearth_core::order::sort_by_key(&mut people, |p| p.body().preferred_name().to_lowercase());
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
                .primitive()?
                .await?;
            let mut raw = rows.collect::<std::result::Result<Vec<JsValue>, _>>()?;
            drop(tx);
            raw.reverse();
            return self.records(raw).await;
        }
        let mut raw = Vec::new();
        let cursor = index
            .open_cursor()
            .with_query::<[String; 2], _>(range)
            .with_direction(CursorDirection::Prev)
            .primitive()?
            .await?;
        if let Some(mut cursor) = cursor {
            while raw.len() < limit {
                match cursor.next_record::<JsValue>().await? {
                    Some(row) => raw.push(row),
                    None => break,
                }
            }
        }
        self.records(raw).await
    }

    /// Every live record of one kind on `day` (the phone's local date), newest first.
    pub async fn on_day<T: Timed>(&self, day: NaiveDate) -> Result<Vec<Record<T>>> {
        let tx = self.db.transaction(T::STORE).build()?;
        let store = tx.object_store(T::STORE)?;
        let index = store.index("by_day")?;
        let rows = index
            .get_all()
            .with_query(hearth_core::dates::form_date(day))
            .primitive()?
            .await?;
        let raw = rows.collect::<std::result::Result<Vec<JsValue>, _>>()?;
        let mut records = self.records::<T>(raw).await?;
        records.retain(Record::is_live);
        hearth_core::order::sort_by_key(&mut records, |r| std::cmp::Reverse(r.body().at()));
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

    /// Rows as read, with encrypted ones opened (a database may hold both
    /// forms while the lock is being turned on or off).
    pub(super) async fn reveal(&self, raw: Vec<JsValue>) -> Result<Vec<JsValue>> {
        if !raw.iter().any(crypt::is_sealed) {
            return Ok(raw);
        }
        let key = self.lock.key().ok_or(StorageError::Locked)?;
        crypt::open_rows(&key, raw).await
    }

    /// Records from rows as read.
    async fn records<T: Stored>(&self, raw: Vec<JsValue>) -> Result<Vec<Record<T>>> {
        self.reveal(raw)
            .await?
            .into_iter()
            .map(|row| crypt::from_js::<Row<T>>(row).map(|row| row.rec))
            .collect()
    }

    /// The rows to write for records: encrypted when the lock is on.
    async fn rows<T: Stored>(&self, records: &[Record<T>]) -> Result<Vec<JsValue>> {
        let rows = records
            .iter()
            .map(|r| crypt::to_js(&Row::new(r.clone())))
            .collect::<Result<Vec<_>>>()?;
        self.seal(rows).await
    }

    /// Encrypts clear rows when the lock is on (or being turned on).
    pub(super) async fn seal(&self, rows: Vec<JsValue>) -> Result<Vec<JsValue>> {
        if !self.lock.state().seals() {
            return Ok(rows);
        }
        let key = self.lock.key().ok_or(StorageError::Locked)?;
        crypt::seal_rows(&key, rows).await
    }

    /// A read-write transaction whose commit may skip the disk flush: for
    /// what the sync keeps, which a later sync can always bring back.
    pub(super) fn write_relaxed(&self, stores: &[&str]) -> Result<Transaction<'_>> {
        use indexed_db_futures::transaction::{TransactionDurability, TransactionOptions};
        Ok(self
            .db
            .transaction(stores)
            .with_mode(TransactionMode::Readwrite)
            .with_options(TransactionOptions::new().with_durability(TransactionDurability::Relaxed))
            .build()?)
    }

    pub(super) fn write(&self, stores: &[&str]) -> Result<Transaction<'_>> {
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
            (Medicine::STORE, &ids.medicines),
            (DoseRecord::STORE, &ids.doses),
            (Absence::STORE, &ids.absences),
        ];
        let mut stores = vec![SETTINGS];
        stores.extend(kinds.iter().map(|(store, _)| *store));
        let mut scope = changes::scope(self.version(), &stores);
        let logs = scope.contains(&CHANGES);
        if logs {
            scope.push(SYNC_META);
        }
        let tx = self.write(&scope)?;
        for (name, ids) in kinds {
            let store = tx.object_store(name)?;
            for id in ids {
                store.delete(id.to_string()).primitive()?;
                if logs {
                    tx.object_store(CHANGES)?
                        .delete(id.to_string())
                        .primitive()?;
                    tx.object_store(SYNC_META)?
                        .delete(id.to_string())
                        .primitive()?;
                }
            }
        }
        tx.object_store(SETTINGS)?
            .delete(key.to_string())
            .primitive()?;
        commit(tx).await
    }
}

/// Every row of a store, as stored, within an open transaction.
async fn raw_rows(tx: &Transaction<'_>, store: &str) -> Result<Vec<JsValue>> {
    let rows = tx.object_store(store)?.get_all().primitive()?.await?;
    Ok(rows.collect::<std::result::Result<Vec<JsValue>, _>>()?)
}

/// The stored profile's revision, in either form.
pub(super) fn profile_rev(raw: &JsValue) -> Option<f64> {
    if crypt::is_sealed(raw) {
        crypt::rev_of(raw)
    } else {
        js_sys::Reflect::get(raw, &"rev".into()).ok()?.as_f64()
    }
}

/// Commits, turning a silent abort (Chromium's way of saying "disk full") into
/// the reason the browser recorded.
pub(super) async fn commit(tx: Transaction<'_>) -> Result<()> {
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
