//! Numbered schema migrations. The stored database's version says which have
//! run; opening it runs every later one, in order, inside the browser's
//! upgrade transaction, so an upgrade either completes or leaves the old
//! database as it was. Never edit a released step: add the next one.

use indexed_db_futures::database::Database;
use indexed_db_futures::error::Error;
use indexed_db_futures::prelude::*;
use indexed_db_futures::KeyPath;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// One step of the schema.
pub struct Migration {
    /// The database version this step brings it to.
    pub version: u32,
    /// What it changes, for readers of the code and the tests.
    pub describe: &'static str,
    apply: fn(&Database, &web_sys::IdbTransaction) -> Result<(), Error>,
}

impl Migration {
    pub(crate) fn apply(&self, db: &Database, tx: &web_sys::IdbTransaction) -> Result<(), Error> {
        (self.apply)(db, tx)
    }
}

/// Every step, oldest first. The last one's version is the current schema.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        describe: "people, notes (by person and time) and settings",
        apply: v1_first_stores,
    },
    Migration {
        version: 2,
        describe: "notes by local day, for the Today screen",
        apply: v2_notes_by_day,
    },
    Migration {
        version: 3,
        describe: "wellbeing check-ins, by person and time and by local day",
        apply: v3_checkins,
    },
    Migration {
        version: 4,
        describe: "visits and stays as they happened, and planned stays",
        apply: v4_visits_and_stays,
    },
    Migration {
        version: 5,
        describe: "rows may be encrypted (PIN lock): older copies of Hearth must not open them",
        apply: v5_encrypted_rows,
    },
    Migration {
        version: 6,
        describe: "sync: a change log (each record's latest change, in order) and each record's state on the scheme's server",
        apply: v6_change_log,
    },
    Migration {
        version: 7,
        describe: "medicines (by person), every dose's outcome (by person and time, by local day) and days away (by person and time)",
        apply: v7_medicines,
    },
];

/// The schema version this build of the app uses.
pub const LATEST: u32 = MIGRATIONS[MIGRATIONS.len() - 1].version;

/// Every object store at [`LATEST`], and whether its rows hold their own key
/// (a key path) or are stored under one. A migration that adds a store adds
/// it here too (a test compares this with a database at `LATEST`).
pub const STORES_AT_LATEST: [(&str, bool); 11] = [
    ("people", true),
    ("notes", true),
    ("checkins", true),
    ("visits", true),
    ("stays", true),
    ("medicines", true),
    ("doses", true),
    ("absences", true),
    ("changes", true),
    ("settings", false),
    ("sync_meta", false),
];

fn v1_first_stores(db: &Database, _: &web_sys::IdbTransaction) -> Result<(), Error> {
    db.create_object_store("people")
        .with_key_path(KeyPath::One("rec.id"))
        .build()?;
    let notes = db
        .create_object_store("notes")
        .with_key_path(KeyPath::One("rec.id"))
        .build()?;
    notes
        .create_index("by_person_at", KeyPath::from(["k.person", "k.at"]))
        .build()?;
    db.create_object_store("settings").build()?;
    Ok(())
}

fn v2_notes_by_day(_: &Database, tx: &web_sys::IdbTransaction) -> Result<(), Error> {
    // Rows have carried `k.day` since version 1, so the browser fills the new
    // index from the notes already stored.
    let notes = tx.object_store("notes")?;
    let params = web_sys::IdbIndexParameters::new();
    params.set_unique(false);
    notes.create_index_with_str_and_optional_parameters("by_day", "k.day", &params)?;
    Ok(())
}

fn v3_checkins(db: &Database, _: &web_sys::IdbTransaction) -> Result<(), Error> {
    let checkins = db
        .create_object_store("checkins")
        .with_key_path(KeyPath::One("rec.id"))
        .build()?;
    checkins
        .create_index("by_person_at", KeyPath::from(["k.person", "k.at"]))
        .build()?;
    checkins
        .create_index("by_day", KeyPath::One("k.day"))
        .build()?;
    Ok(())
}

fn v4_visits_and_stays(db: &Database, _: &web_sys::IdbTransaction) -> Result<(), Error> {
    for name in ["visits", "stays"] {
        let store = db
            .create_object_store(name)
            .with_key_path(KeyPath::One("rec.id"))
            .build()?;
        store
            .create_index("by_person_at", KeyPath::from(["k.person", "k.at"]))
            .build()?;
        store.create_index("by_at", KeyPath::One("k.at")).build()?;
    }
    Ok(())
}

fn v5_encrypted_rows(_: &Database, _: &web_sys::IdbTransaction) -> Result<(), Error> {
    // No store or index changes: an encrypted row keeps `rec.id` and `k` in
    // the clear, so key paths and indexes work on both forms, and clear rows
    // stay valid as they are. The version goes up so that an older copy of
    // Hearth (which cannot read encrypted rows) is refused the database and
    // told to reload, rather than failing on a row it cannot read.
    Ok(())
}

/// The object stores a record can be in, when version 6 was made (the
/// change log's `store` field names one).
const V6_RECORD_STORES: [&str; 5] = ["people", "notes", "checkins", "visits", "stays"];

fn v6_change_log(db: &Database, tx: &web_sys::IdbTransaction) -> Result<(), Error> {
    // `changes`: one entry per record, `{id, seq, store, person}`, keyed by
    // the record's id; `seq` (unique) is the phone's change counter when the
    // record last changed, so the change log is the `by_seq` index.
    let changes = db
        .create_object_store("changes")
        .with_key_path(KeyPath::One("id"))
        .build()?;
    changes
        .create_index("by_seq", KeyPath::One("seq"))
        .with_unique(true)
        .build()?;
    // `sync_meta`: what the phone knows of each record on the server, by id.
    db.create_object_store("sync_meta").build()?;
    // Every record stored before this version is a change not yet sent: it
    // gets an entry, numbered from 1. Index keys are clear in sealed rows
    // too, so nothing needs decrypting. All of it runs in the upgrade
    // transaction: if any write fails, the upgrade is undone.
    let changes = tx.object_store("changes")?;
    let settings = tx.object_store("settings")?;
    let seq = Rc::new(Cell::new(0u64));
    let pending = Rc::new(Cell::new(V6_RECORD_STORES.len()));
    for name in V6_RECORD_STORES {
        let request = tx.object_store(name)?.get_all()?;
        let (seq, pending, changes, settings, done) = (
            seq.clone(),
            pending.clone(),
            changes.clone(),
            settings.clone(),
            request.clone(),
        );
        let on_rows = Closure::<dyn FnMut(web_sys::Event)>::new(move |_: web_sys::Event| {
            let rows: js_sys::Array = done
                .result()
                .map(JsCast::unchecked_into)
                .unwrap_or_default();
            for row in rows.iter() {
                let get = |o: &JsValue, k: &str| js_sys::Reflect::get(o, &k.into()).ok();
                let Some(id) = get(&row, "rec").and_then(|r| get(&r, "id")) else {
                    continue;
                };
                let person = if name == "people" {
                    id.clone()
                } else {
                    get(&row, "k")
                        .and_then(|k| get(&k, "person"))
                        .unwrap_or_else(|| id.clone())
                };
                seq.set(seq.get() + 1);
                let entry = js_sys::Object::new();
                for (key, value) in [
                    ("id", id),
                    ("seq", JsValue::from_f64(seq.get() as f64)),
                    ("store", JsValue::from_str(name)),
                    ("person", person),
                ] {
                    let _ = js_sys::Reflect::set(&entry, &key.into(), &value);
                }
                // A failed put aborts the upgrade transaction, and the upgrade with it.
                let _ = changes.put(&entry);
            }
            pending.set(pending.get() - 1);
            if pending.get() == 0 {
                let _ = settings.put_with_key(
                    &JsValue::from_f64(seq.get() as f64),
                    &JsValue::from_str(CHANGE_SEQ),
                );
            }
        });
        request.set_onsuccess(Some(on_rows.as_ref().unchecked_ref()));
        // Called once, during the upgrade; it lives as long as the page.
        on_rows.forget();
    }
    Ok(())
}

fn v7_medicines(db: &Database, _: &web_sys::IdbTransaction) -> Result<(), Error> {
    // New stores, empty: nothing stored before needs changing, and the
    // change log already takes any store's name.
    for (name, by_day) in [("medicines", false), ("doses", true), ("absences", false)] {
        let store = db
            .create_object_store(name)
            .with_key_path(KeyPath::One("rec.id"))
            .build()?;
        store
            .create_index("by_person_at", KeyPath::from(["k.person", "k.at"]))
            .build()?;
        if by_day {
            store
                .create_index("by_day", KeyPath::One("k.day"))
                .build()?;
        }
    }
    Ok(())
}

/// The settings key of the phone's change counter (the last `seq` given).
pub const CHANGE_SEQ: &str = "change_seq";
