//! Which database holds the records, and moving them to a fresh one.
//!
//! Overwriting a row does not wipe its earlier bytes from the disk: Chromium
//! keeps them in its LevelDB files until a compaction drops them, and Firefox
//! and Safari in the free pages of a database's SQLite file. So once the PIN
//! lock has sealed every row in place, the sealed rows move to a fresh
//! database (`hearth-2`, then `hearth-3`, …) that never held a clear row, and
//! the old database is deleted. Firefox and Safari delete its file; Chromium
//! deletes its keys and compacts their range, which rewrites the files that
//! held them (old files leave the disk when the browser next opens the
//! site's storage). A small scratch database is made and deleted first: that
//! puts everything written so far into a file of its own, so the old
//! database's deletion is a later write that the compaction can merge with
//! it (a deletion that lands in the same file as the data it deletes is never
//! compacted away).
//!
//! A move can stop part way (the tab closed): the old database is only marked
//! `moved_to` after every row is copied, and [`live`] sorts it out on the next
//! start, deleting an old database whose move finished or a copy that
//! didn't.
//!
//! Not yet called by the running app: wired into start-up and the lock's
//! pass, this code put the first load 10 KB (brotli) over its budget, so it
//! is to run from a lazily loaded chunk (see the note on issue 16).

use super::repo::SETTINGS;
use super::{StorageError, DB_NAME};
use indexed_db_futures::database::Database;
use indexed_db_futures::factory::DBFactory;
use indexed_db_futures::internals::SystemRepr;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use indexed_db_futures::KeyRange;
use wasm_bindgen::JsValue;

type Result<T> = std::result::Result<T, StorageError>;

/// In an old database's settings: the name of the database its rows moved to.
const MOVED_TO: &str = "moved_to";
/// In a database's settings: it has held sealed rows only, since its start.
pub(crate) const FRESH: &str = "fresh";
/// The scratch database whose making and deleting flushes the writes so far.
const SCRATCH: &str = "hearth-scratch";
/// Rows copied per transaction.
const BATCH: u32 = 500;

/// `hearth` is generation 1, `hearth-2` generation 2, and so on.
pub fn generation(name: &str) -> Option<u32> {
    if name == DB_NAME {
        return Some(1);
    }
    name.strip_prefix(DB_NAME)?
        .strip_prefix('-')?
        .parse()
        .ok()
        .filter(|n| *n >= 2)
}

/// The database name of a generation.
pub fn name_of(generation: u32) -> String {
    if generation <= 1 {
        DB_NAME.to_string()
    } else {
        format!("{DB_NAME}-{generation}")
    }
}

/// The generations on this phone, oldest first, or `None` where the browser
/// can't list its databases (then the records stay where they are).
async fn present() -> Option<Vec<u32>> {
    let list = DBFactory::new().ok()?.databases().ok()?.await.ok()?;
    let mut found: Vec<u32> = list.filter_map(|d| generation(d.ok()?.name())).collect();
    found.sort_unstable();
    Some(found)
}

/// The database that holds the records, and whether records can be moved
/// (the browser lists its databases). Finishes an interrupted move.
pub async fn live() -> (String, bool) {
    let Some(found) = present().await else {
        return (DB_NAME.to_string(), false);
    };
    let mut live: Option<String> = None;
    for (i, generation) in found.iter().enumerate() {
        let name = name_of(*generation);
        let newest = i + 1 == found.len();
        if live.is_some() {
            // A copy that didn't finish: the records are in the older one.
            let _ = delete(&name).await;
        } else if !newest && moved(&name).await {
            forget(name);
        } else {
            live = Some(name);
        }
    }
    (live.unwrap_or_else(|| DB_NAME.to_string()), true)
}

/// Whether this database's rows were all copied to a newer one.
async fn moved(name: &str) -> bool {
    let Ok(request) = Database::open(name).build() else {
        return false;
    };
    let Ok(db) = request.await else { return false };
    let marked = async {
        let tx = db.transaction(SETTINGS).build()?;
        let value: Option<JsValue> = tx
            .object_store(SETTINGS)?
            .get(MOVED_TO.to_string())
            .primitive()?
            .await?;
        Ok::<_, indexed_db_futures::error::Error>(value.is_some())
    }
    .await
    .unwrap_or(false);
    db.close();
    marked
}

async fn delete(name: &str) -> Result<()> {
    Database::delete_by_name(name)
        .map_err(StorageError::from_open)?
        .await
        .map_err(StorageError::from)
}

/// Deletes a database whose rows have moved, in the background (another tab
/// may hold it open until it sees the change): first the scratch database,
/// so the deletion can be compacted with the old rows (see the module's
/// notes).
pub fn forget(name: String) {
    leptos::task::spawn_local(async move {
        if let Ok(request) = Database::open(SCRATCH).build() {
            if let Ok(db) = request.await {
                db.close();
            }
        }
        let _ = delete(SCRATCH).await;
        let _ = delete(&name).await;
    });
}

/// Deletes every generation of Hearth's records on this phone.
pub async fn erase_all() -> Result<()> {
    let found = present().await.unwrap_or_default();
    let mut names: Vec<String> = found.into_iter().map(name_of).collect();
    if names.is_empty() {
        names.push(DB_NAME.to_string());
    }
    for name in names {
        delete(&name).await?;
    }
    Ok(())
}

/// Copies every row of every object store of `from` into `to` (already at
/// the same schema), a batch per transaction, keys and all, then marks `to`
/// fresh and `from` moved. Nothing may write to `from` meanwhile.
pub(super) async fn copy(from: &Database, to: &Database, to_name: &str) -> Result<()> {
    let names: Vec<String> = from.object_store_names().collect();
    for name in &names {
        let mut after: Option<JsValue> = None;
        loop {
            let (keys, values, inline) = {
                let tx = from.transaction(name.as_str()).build()?;
                let store = tx.object_store(name)?;
                let inline = !store.as_sys().key_path().is_ok_and(|path| path.is_null());
                let (keys, values) = match &after {
                    None => (
                        store
                            .get_all_keys::<JsValue>()
                            .with_limit(BATCH)
                            .primitive()?
                            .await?,
                        store
                            .get_all::<JsValue>()
                            .with_limit(BATCH)
                            .primitive()?
                            .await?,
                    ),
                    Some(after) => {
                        let range = || KeyRange::LowerBound(after.clone(), true);
                        (
                            store
                                .get_all_keys::<JsValue>()
                                .with_query::<JsValue, _>(range())
                                .with_limit(BATCH)
                                .primitive()?
                                .await?,
                            store
                                .get_all::<JsValue>()
                                .with_query::<JsValue, _>(range())
                                .with_limit(BATCH)
                                .primitive()?
                                .await?,
                        )
                    }
                };
                let keys = keys.collect::<std::result::Result<Vec<JsValue>, _>>()?;
                let values = values.collect::<std::result::Result<Vec<JsValue>, _>>()?;
                (keys, values, inline)
            };
            let Some(last) = keys.last().cloned() else {
                break;
            };
            let tx = to
                .transaction(name.as_str())
                .with_mode(TransactionMode::Readwrite)
                .build()?;
            {
                let store = tx.object_store(name)?;
                for (key, value) in keys.into_iter().zip(values) {
                    if inline {
                        store.put(value).primitive()?;
                    } else {
                        store.put(value).with_key(key).primitive()?;
                    }
                }
            }
            super::repo::commit(tx).await?;
            after = Some(last);
        }
    }
    mark(to, FRESH, &JsValue::TRUE).await?;
    mark(from, MOVED_TO, &JsValue::from_str(to_name)).await
}

async fn mark(db: &Database, key: &str, value: &JsValue) -> Result<()> {
    let tx = db
        .transaction(SETTINGS)
        .with_mode(TransactionMode::Readwrite)
        .build()?;
    tx.object_store(SETTINGS)?
        .put(value.clone())
        .with_key(key.to_string())
        .primitive()?;
    super::repo::commit(tx).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    fn names_and_generations() {
        assert_eq!(generation("hearth"), Some(1));
        assert_eq!(generation("hearth-2"), Some(2));
        assert_eq!(generation("hearth-17"), Some(17));
        for other in [
            "hearth-1",
            "hearth-",
            "hearth-x",
            "hearthy",
            "hearth-scratch",
            "other",
        ] {
            assert_eq!(generation(other), None, "{other}");
        }
        assert_eq!(name_of(1), "hearth");
        assert_eq!(name_of(3), "hearth-3");
    }
}
