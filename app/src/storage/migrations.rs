//! Numbered schema migrations. The stored database's version says which have
//! run; opening it runs every later one, in order, inside the browser's
//! upgrade transaction, so an upgrade either completes or leaves the old
//! database as it was. Never edit a released step: add the next one.

use indexed_db_futures::database::Database;
use indexed_db_futures::error::Error;
use indexed_db_futures::prelude::*;
use indexed_db_futures::KeyPath;

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
];

/// The schema version this build of the app uses.
pub const LATEST: u32 = MIGRATIONS[MIGRATIONS.len() - 1].version;

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
