//! The phone's side of a sync: the change log, each record's state on the
//! server and the checkpoints, as `hearth-core`'s replicator asks for them
//! ([`Local`]).
//!
//! Pulled records were checked by core (`from_doc`, the rules a restored
//! backup meets) before they get here; they are written like any other
//! write: sealed when the lock is on, in one transaction that first checks
//! the phone's copy has not changed since it was read.

use super::changes::{Change, CHANGES, SYNC_META};
use super::crypt;
use super::repo::{commit, SETTINGS};
use super::rows::{Row, Stored};
use super::{StorageError, Store};
use futures::future::join_all;
use hearth_core::dose::DoseRecord;
use hearth_core::mar::Absence;
use hearth_core::medicine::Medicine;
use hearth_core::sample::SampleIds;
use hearth_core::sync::checkpoint::Checkpoint;
use hearth_core::sync::engine::{LocalChange, StoreReport, ToStore};
use hearth_core::sync::{AnyRecord, Local, SyncMeta};
use hearth_core::{Body, CheckIn, Note, Person, PlannedStay, RecordId, Visit};
use indexed_db_futures::prelude::*;
use indexed_db_futures::KeyRange;
use std::collections::HashSet;
use wasm_bindgen::JsValue;

/// The settings key of the sample household's ids (never synced).
pub const SAMPLE_IDS: &str = "sample_ids";
/// The settings key prefix of the phone's replication checkpoints.
const CHECKPOINT: &str = "sync_checkpoint:";

/// The settings key of the phone's checkpoint `id`.
fn checkpoint_key(id: &str) -> String {
    format!("{CHECKPOINT}{id}")
}

/// The number of stores a record can be in: the first of [`SYNC_STORES`].
const RECORD_STORES: usize = 8;

/// Every store a pulled record can go to, and the log.
const SYNC_STORES: [&str; 11] = [
    Person::STORE,
    Note::STORE,
    CheckIn::STORE,
    Visit::STORE,
    PlannedStay::STORE,
    Medicine::STORE,
    DoseRecord::STORE,
    Absence::STORE,
    CHANGES,
    SYNC_META,
    SETTINGS,
];

type Result<T> = std::result::Result<T, StorageError>;

/// The phone's storage as the replicator sees it.
#[derive(Clone, Debug)]
pub struct Phone(pub Store);

/// The store of records of `kind` ([`AnyRecord::kind`]).
fn store_of(kind: &str) -> Option<&'static str> {
    Some(match kind {
        Person::KIND => Person::STORE,
        Note::KIND => Note::STORE,
        CheckIn::KIND => CheckIn::STORE,
        Visit::KIND => Visit::STORE,
        PlannedStay::KIND => PlannedStay::STORE,
        Medicine::KIND => Medicine::STORE,
        DoseRecord::KIND => DoseRecord::STORE,
        Absence::KIND => Absence::STORE,
        _ => return None,
    })
}

/// A record from its stored row (opened), by its store's name.
fn any_from_row(store: &str, row: JsValue) -> Result<Option<AnyRecord>> {
    fn rec<T: Stored>(row: JsValue) -> Result<hearth_core::Record<T>> {
        Ok(crypt::from_js::<Row<T>>(row)?.rec)
    }
    Ok(Some(match store {
        Person::STORE => AnyRecord::Person(rec(row)?),
        Note::STORE => AnyRecord::Note(rec(row)?),
        CheckIn::STORE => AnyRecord::CheckIn(rec(row)?),
        Visit::STORE => AnyRecord::Visit(rec(row)?),
        PlannedStay::STORE => AnyRecord::Stay(rec(row)?),
        Medicine::STORE => AnyRecord::Medicine(rec(row)?),
        DoseRecord::STORE => AnyRecord::Dose(rec(row)?),
        Absence::STORE => AnyRecord::Absence(rec(row)?),
        _ => return Ok(None),
    }))
}

/// A value as IndexedDB will hold it, made by one `JSON.parse` of its JSON:
/// for the rows a sync writes by the hundred, far fewer calls into the
/// browser than building the object a member at a time. (An absent value
/// is `null` here rather than `undefined`; both read back as none.)
fn as_js<T: serde::Serialize>(value: &T) -> Result<JsValue> {
    let text = serde_json::to_string(value).map_err(|e| StorageError::Other(e.to_string()))?;
    js_sys::JSON::parse(&text).map_err(|_| StorageError::Other("a row that isn't JSON".into()))
}

/// A record's store, clear row and change-log entry (without its number).
fn row_of(record: &AnyRecord) -> Result<(&'static str, JsValue, String)> {
    fn row<T: Stored>(r: &hearth_core::Record<T>) -> Result<(&'static str, JsValue, String)> {
        let row = Row::new(r.clone());
        let person = row.k.person.clone().unwrap_or_else(|| r.id().to_string());
        Ok((T::STORE, as_js(&row)?, person))
    }
    match record {
        AnyRecord::Person(r) => row(r),
        AnyRecord::Note(r) => row(r),
        AnyRecord::CheckIn(r) => row(r),
        AnyRecord::Visit(r) => row(r),
        AnyRecord::Stay(r) => row(r),
        AnyRecord::Medicine(r) => row(r),
        AnyRecord::Dose(r) => row(r),
        AnyRecord::Absence(r) => row(r),
    }
}

impl Store {
    /// Change-log entries after `since`, oldest first, at most `limit`.
    async fn log_after(&self, since: u64, limit: Option<u32>) -> Result<Vec<Change>> {
        let tx = self.db.transaction(CHANGES).build()?;
        let log = tx.object_store(CHANGES)?;
        let index = log.index("by_seq")?;
        let query = index
            .get_all()
            .with_query::<f64, _>(KeyRange::LowerBound(since as f64, true));
        let rows = match limit {
            Some(limit) => query.with_limit(limit).serde()?.await?,
            None => query.serde()?.await?,
        };
        Ok(rows.collect::<std::result::Result<Vec<Change>, _>>()?)
    }

    /// Records changed after the change numbered `since` that a sync would
    /// send: sample data, and anything about a sample person, never is.
    pub async fn waiting(&self, since: u64) -> Result<usize> {
        let samples: SampleIds = self.setting(SAMPLE_IDS).await?.unwrap_or_default();
        let skip: HashSet<String> = samples.all().map(|id| id.to_string()).collect();
        Ok(self
            .log_after(since, None)
            .await?
            .iter()
            .filter(|c| !skip.contains(&c.id) && !skip.contains(&c.person))
            .count())
    }

    /// Records and their sync state, as stored (opened), each asked for by
    /// its id and store: the position in `wanted` of each one the phone
    /// has, its row and its state on the server.
    async fn read_rows(
        &self,
        wanted: &[(&str, &str)],
    ) -> Result<Vec<(usize, JsValue, Option<SyncMeta>)>> {
        // Every read is asked for at once: the browser answers them in one
        // go, where one at a time would wait a turn for each.
        let mut raw = Vec::new();
        {
            let tx = self.db.transaction(SYNC_STORES).build()?;
            let meta = tx.object_store(SYNC_META)?;
            let (mut rows, mut metas, mut asked) = (Vec::new(), Vec::new(), Vec::new());
            for (n, (id, store)) in wanted.iter().enumerate() {
                let Ok(store) = tx.object_store(store) else {
                    continue;
                };
                rows.push(store.get(id.to_string()).primitive()?);
                metas.push(meta.get(id.to_string()).serde()?);
                asked.push(n);
            }
            let rows = join_all(rows).await;
            let metas = join_all(metas).await;
            for ((n, row), m) in asked.into_iter().zip(rows).zip(metas) {
                let row: Option<JsValue> = row?;
                let m: Option<SyncMeta> = m?;
                if let Some(row) = row {
                    raw.push((n, row, m));
                }
            }
        }
        let rows = self
            .reveal(raw.iter().map(|(_, r, _)| r.clone()).collect())
            .await?;
        Ok(raw
            .into_iter()
            .zip(rows)
            .map(|((n, _, meta), row)| (n, row, meta))
            .collect())
    }

    /// Writes pulled records (see [`ToStore`]): a record whose phone copy
    /// moved on since the sync read it is left as the phone has it and
    /// handed back.
    async fn store_pulled(&self, items: Vec<ToStore>) -> Result<StoreReport> {
        let mut stored = StoreReport::default();
        if items.is_empty() {
            return Ok(stored);
        }
        let mut clear = Vec::new();
        let mut places = Vec::new();
        for item in &items {
            let (store, row, person) = row_of(&item.record)?;
            clear.push(row);
            places.push((store, person));
        }
        let rows = self.seal(clear).await?;
        let tx = self.write_relaxed(&SYNC_STORES)?;
        {
            let settings = tx.object_store(SETTINGS)?;
            let mut seq: u64 = settings
                .get(super::migrations::CHANGE_SEQ)
                .serde()?
                .await?
                .unwrap_or(0);
            let (log, meta) = (tx.object_store(CHANGES)?, tx.object_store(SYNC_META)?);
            // The phone's copies, all asked for at once.
            let mut now = Vec::new();
            for (item, (store, _)) in items.iter().zip(&places) {
                now.push(
                    tx.object_store(store)?
                        .get(item.record.id().to_string())
                        .primitive()?,
                );
            }
            let now = join_all(now)
                .await
                .into_iter()
                .collect::<std::result::Result<Vec<Option<JsValue>>, _>>()?;
            for (((item, row), (store, person)), now) in
                items.into_iter().zip(rows).zip(places).zip(now)
            {
                let now_rev = now.as_ref().and_then(crypt::rev_of);
                if now_rev != item.expected.map(f64::from) {
                    stored.moved.push(item);
                    continue;
                }
                let id = item.record.id().to_string();
                tx.object_store(store)?.put(row).primitive()?;
                meta.put(as_js(&item.meta)?)
                    .with_key(id.clone())
                    .without_key_type()
                    .primitive()?;
                // Changed here too: to be sent. As the server has it: not in
                // the log (the sync finds it by its kind, `store_of`).
                if item.changed {
                    seq += 1;
                    log.put(as_js(&Change {
                        id,
                        seq: Some(seq),
                        store: store.to_string(),
                        person,
                    })?)
                    .primitive()?;
                }
                stored.written += 1;
            }
            settings
                .put(seq)
                .with_key(super::migrations::CHANGE_SEQ.to_string())
                .without_key_type()
                .serde()?;
        }
        commit(tx).await?;
        Ok(stored)
    }

    /// Forgets every record's state on the server and the checkpoints (a
    /// carer signing out): the records stay, and a later sign-in offers
    /// them all again (the server's `_revs_diff` says what it lacks).
    pub async fn forget_sync(&self) -> Result<()> {
        let tx = self.write(&[CHANGES, SYNC_META, SETTINGS])?;
        {
            tx.object_store(SYNC_META)?.clear()?;
            let settings = tx.object_store(SETTINGS)?;
            let keys = settings.get_all_keys().primitive()?.await?;
            for key in keys {
                let key: JsValue = key?;
                if key.as_string().is_some_and(|k| k.starts_with(CHECKPOINT)) {
                    settings.delete(key).primitive()?;
                }
            }
        }
        commit(tx).await
    }

    /// Removes every record of the household (signing out without keeping
    /// them): the records, the change log and the sync state, in one
    /// transaction. The carer's profile and the lock stay.
    pub async fn remove_household(&self) -> Result<()> {
        let tx = self.write(&SYNC_STORES)?;
        for name in SYNC_STORES[..RECORD_STORES].iter().chain(&[CHANGES]) {
            tx.object_store(name)?.clear()?;
        }
        commit(tx).await?;
        self.forget_sync().await
    }
}

fn text(e: StorageError) -> String {
    e.to_string()
}

impl Local for Phone {
    async fn changes(
        &self,
        since: u64,
        limit: usize,
    ) -> std::result::Result<Vec<LocalChange>, String> {
        let limit = u32::try_from(limit).unwrap_or(u32::MAX);
        let entries = self.0.log_after(since, Some(limit)).await.map_err(text)?;
        let wanted: Vec<(&str, &str)> = entries
            .iter()
            .map(|e| (e.id.as_str(), e.store.as_str()))
            .collect();
        let mut out = Vec::new();
        for (n, row, meta) in self.0.read_rows(&wanted).await.map_err(text)? {
            let entry = &entries[n];
            let record = any_from_row(&entry.store, row).map_err(text)?;
            if let (Some(record), Some(seq)) = (record, entry.seq) {
                out.push(LocalChange { seq, record, meta });
            }
        }
        Ok(out)
    }

    async fn current(
        &self,
        records: &[(RecordId, &'static str)],
    ) -> std::result::Result<Vec<(AnyRecord, Option<SyncMeta>)>, String> {
        let ids: Vec<String> = records.iter().map(|(id, _)| id.to_string()).collect();
        let wanted: Vec<(&str, &str)> = ids
            .iter()
            .zip(records)
            .filter_map(|(id, (_, kind))| Some((id.as_str(), store_of(kind)?)))
            .collect();
        let mut out = Vec::new();
        for (n, row, meta) in self.0.read_rows(&wanted).await.map_err(text)? {
            if let Some(record) = any_from_row(wanted[n].1, row).map_err(text)? {
                out.push((record, meta));
            }
        }
        Ok(out)
    }

    async fn metas(
        &self,
        ids: &[RecordId],
    ) -> std::result::Result<Vec<(RecordId, SyncMeta)>, String> {
        let e = |e: indexed_db_futures::error::Error| e.to_string();
        let tx = self.0.db.transaction(SYNC_META).build().map_err(e)?;
        let meta = tx.object_store(SYNC_META).map_err(e)?;
        let mut asked = Vec::new();
        for id in ids {
            asked.push(meta.get(id.to_string()).serde().map_err(e)?);
        }
        let mut out = Vec::new();
        for (id, m) in ids.iter().zip(join_all(asked).await) {
            let m: Option<SyncMeta> = m.map_err(e)?;
            out.extend(m.map(|m| (*id, m)));
        }
        Ok(out)
    }

    async fn store(&self, items: Vec<ToStore>) -> std::result::Result<StoreReport, String> {
        self.0.store_pulled(items).await.map_err(text)
    }

    async fn set_meta(&self, metas: Vec<(RecordId, SyncMeta)>) -> std::result::Result<(), String> {
        let store = &self.0;
        let tx = store.write_relaxed(&[SYNC_META]).map_err(text)?;
        {
            let meta = tx.object_store(SYNC_META).map_err(|e| e.to_string())?;
            for (id, m) in metas {
                meta.put(as_js(&m).map_err(text)?)
                    .with_key(id.to_string())
                    .without_key_type()
                    .primitive()
                    .map_err(|e| e.to_string())?;
            }
        }
        commit(tx).await.map_err(text)
    }

    async fn checkpoint(&self, id: &str) -> std::result::Result<Option<Checkpoint>, String> {
        self.0.setting(&checkpoint_key(id)).await.map_err(text)
    }

    async fn set_checkpoint(
        &self,
        id: &str,
        checkpoint: &Checkpoint,
    ) -> std::result::Result<(), String> {
        self.0
            .set_setting(&checkpoint_key(id), checkpoint)
            .await
            .map_err(text)
    }

    async fn sample_people(&self) -> std::result::Result<HashSet<RecordId>, String> {
        let samples: SampleIds = self
            .0
            .setting(SAMPLE_IDS)
            .await
            .map_err(text)?
            .unwrap_or_default();
        Ok(samples.people.into_iter().collect())
    }

    async fn holds_records(&self) -> std::result::Result<bool, String> {
        let e = |e: indexed_db_futures::error::Error| e.to_string();
        let stores = SYNC_STORES[..RECORD_STORES].iter().chain(&[SYNC_META]);
        let tx = self.0.db.transaction(SYNC_STORES).build().map_err(e)?;
        let mut counts = Vec::new();
        for name in stores {
            counts.push(
                tx.object_store(name)
                    .map_err(e)?
                    .count()
                    .primitive()
                    .map_err(e)?,
            );
        }
        for count in join_all(counts).await {
            if count.map_err(e)? > 0 {
                return Ok(true);
            }
        }
        Ok(false)
    }
}

impl Phone {
    /// The phone's push checkpoint's change number for `id` (0: none).
    pub async fn pushed_up_to(&self, id: &str) -> Result<u64> {
        let cp: Option<Checkpoint> = self.0.setting(&checkpoint_key(id)).await?;
        Ok(cp.and_then(|c| c.source_last_seq.as_u64()).unwrap_or(0))
    }
}
