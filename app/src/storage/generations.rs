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
//! A move can stop part way (the tab closed): the new database is only marked
//! complete after every row is copied, and [`open_live`] sorts it out on the
//! next start, deleting an old database whose move finished or a copy that
//! didn't.
//!
//! The move runs when the lock's pass has sealed every row (the shell opens
//! the records again) or, if that was put off, at the next start. Its code
//! (`Store::move_on`, [`copy`]) loads with the tasks' chunk
//! (`later::move_records`); start-up only runs [`open_live`]. Where the
//! browser can't list its databases (`indexedDB.databases()`), nothing moves:
//! an interrupted move couldn't be found again.

use super::migrations::{LATEST, STORES_AT_LATEST};
use super::repo::SETTINGS;
use super::{StorageError, Store};
use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use indexed_db_futures::KeyRange;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

type Result<T> = std::result::Result<T, StorageError>;

/// In a database's settings: a move into it has copied every row (the copy
/// leaves this out, so it is only set by the move's last step).
const COMPLETE: &str = "complete";
/// In a database's settings: it has held sealed rows only, since its start.
pub(crate) const FRESH: &str = "fresh";
/// The scratch database whose making and deleting flushes the writes so far.
const SCRATCH: &str = "hearth-scratch";
/// Rows copied per transaction.
const BATCH: u32 = 500;

/// `base` is generation 1, `base-2` generation 2, and so on.
pub fn generation(base: &str, name: &str) -> Option<u32> {
    if name == base {
        return Some(1);
    }
    name.strip_prefix(base)?
        .strip_prefix('-')?
        .parse()
        .ok()
        .filter(|n| *n >= 2)
}

/// The database name of a generation.
pub fn name_of(base: &str, generation: u32) -> String {
    if generation <= 1 {
        base.to_string()
    } else {
        format!("{base}-{generation}")
    }
}

/// The generations of `base` on this phone, in no order, or `None` where
/// the browser can't list its databases (then the records stay where they
/// are).
async fn present(base: &str) -> Option<Vec<u32>> {
    // `indexedDB.databases()`, found by name rather than bound: one import
    // fewer in the first load's script, and `None` where a browser lacks it.
    let get = |from: &JsValue, name: &str| js_sys::Reflect::get(from, &name.into()).ok();
    let factory = get(&js_sys::global(), "indexedDB")?;
    let databases: js_sys::Function = get(&factory, "databases")?.dyn_into().ok()?;
    let listing = databases
        .call0(&factory)
        .ok()?
        .unchecked_into::<js_sys::Promise>();
    let list = wasm_bindgen_futures::JsFuture::from(listing).await.ok()?;
    let mut found = Vec::new();
    for database in list.unchecked_into::<js_sys::Array>().iter() {
        if let Some(generation) =
            get(&database, "name").and_then(|n| generation(base, &n.as_string()?))
        {
            found.push(generation);
        }
    }
    Some(found)
}

/// Opens the database of `base`'s generations that holds the records, at
/// the current schema: the newest whose move finished (or the oldest there
/// is). A newer copy that didn't finish is deleted, and so are the older
/// databases whose rows have moved. Also says whether the records can move
/// (the browser lists its databases).
pub(super) async fn open_live(base: &str, on_blocked: Rc<dyn Fn()>) -> Result<(Store, bool)> {
    let Some(found) = present(base).await else {
        return Ok((Store::open_dyn(base, LATEST, on_blocked).await?, false));
    };
    let mut newest = found.iter().copied().max().unwrap_or(1);
    loop {
        let name = name_of(base, newest);
        let store = Store::open_dyn(&name, LATEST, on_blocked.clone()).await?;
        let older = found.iter().copied().filter(|g| *g < newest).max();
        match older {
            Some(older) if store.setting::<bool>(COMPLETE).await? != Some(true) => {
                store.close();
                delete(&name).await?;
                newest = older;
            }
            _ => {
                for moved in found.iter().filter(|g| **g < newest) {
                    forget(name_of(base, *moved));
                }
                return Ok((store, true));
            }
        }
    }
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
    wasm_bindgen_futures::spawn_local(async move {
        if let Ok(scratch) = Store::open_dyn(SCRATCH, 1, Rc::new(|| {})).await {
            scratch.close();
        }
        let _ = delete(SCRATCH).await;
        let _ = delete(&name).await;
    });
}

/// Deletes every generation of `base` on this phone.
pub async fn erase_all(base: &str) -> Result<()> {
    let found = present(base).await.unwrap_or_default();
    let mut names: Vec<String> = found.into_iter().map(|g| name_of(base, g)).collect();
    if names.is_empty() {
        names.push(base.to_string());
    }
    for name in names {
        delete(&name).await?;
    }
    Ok(())
}

/// Copies every row of every object store of `from` into `to` (already at
/// the same schema), a batch per transaction, keys and all, then marks `to`
/// fresh and complete. Nothing may write to `from` meanwhile.
pub(super) async fn copy(from: &Database, to: &Database) -> Result<()> {
    for (name, inline) in STORES_AT_LATEST {
        let mut after: Option<JsValue> = None;
        loop {
            let (keys, values) = {
                let tx = from.transaction(name).build()?;
                let store = tx.object_store(name)?;
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
                (keys, values)
            };
            let Some(last) = keys.last().cloned() else {
                break;
            };
            let tx = to
                .transaction(name)
                .with_mode(TransactionMode::Readwrite)
                .build()?;
            {
                let store = tx.object_store(name)?;
                for (key, value) in keys.into_iter().zip(values) {
                    // An older move's mark: this one's comes last.
                    if name == SETTINGS && key.as_string().as_deref() == Some(COMPLETE) {
                        continue;
                    }
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
    let tx = to
        .transaction(SETTINGS)
        .with_mode(TransactionMode::Readwrite)
        .build()?;
    {
        let settings = tx.object_store(SETTINGS)?;
        settings
            .put(JsValue::TRUE)
            .with_key(FRESH.to_string())
            .primitive()?;
        settings
            .put(JsValue::TRUE)
            .with_key(COMPLETE.to_string())
            .primitive()?;
    }
    super::repo::commit(tx).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    fn names_and_generations() {
        assert_eq!(generation("hearth", "hearth"), Some(1));
        assert_eq!(generation("hearth", "hearth-2"), Some(2));
        assert_eq!(generation("hearth", "hearth-17"), Some(17));
        for other in [
            "hearth-1",
            "hearth-",
            "hearth-x",
            "hearthy",
            "hearth-scratch",
            "other",
        ] {
            assert_eq!(generation("hearth", other), None, "{other}");
        }
        assert_eq!(name_of("hearth", 1), "hearth");
        assert_eq!(name_of("hearth", 3), "hearth-3");
    }
}
