//! The PIN lock against a real IndexedDB and real WebCrypto, in headless
//! Chromium: turning it on and off with records of every kind, reading the
//! stored rows raw to see what an inspection of the browser's storage shows,
//! wrong PINs, changing the PIN, writes while on, and passes cut short then
//! resumed. Run with `cd app && cargo test --target wasm32-unknown-unknown --test lock`.

mod common;

use chrono::{DateTime, Duration, TimeZone, Utc};
use common::{db_name, finish, ms, open, random_id};
use hearth_app::storage::crypt::{LockState, Unlock};
use hearth_app::storage::migrations::STORES_AT_LATEST;
use hearth_app::storage::{Pass, PassEnd, StorageError, Store};
use hearth_core::{
    Answered, Arrangement, CarerProfile, CarerProfileDraft, CheckIn, CheckInDraft, FixedZone, Mood,
    Note, NoteDraft, Person, PersonDraft, Place, PlannedStay, PlannedStayDraft, Record, Visit,
    VisitDraft,
};
use indexed_db_futures::database::Database;
use indexed_db_futures::internals::SystemRepr;
use indexed_db_futures::prelude::*;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

const PIN: &str = "284615";
const NEW_PIN: &str = "902714";
/// Words that must never show in the stored rows while the lock is on.
const SECRETS: [&str; 8] = [
    "Margaret",
    "Oyelaran",
    "Annabel",
    "Willowbrook",
    "butterscotch",
    "allotment",
    "seaside",
    "Grandma Iris",
];

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 14, 5, 0).unwrap()
}

fn utc() -> FixedZone {
    FixedZone::utc()
}

/// Everything a carer keeps: a record of every kind, and the profile.
#[derive(Debug, Clone, PartialEq)]
struct Kept {
    profile: Record<CarerProfile>,
    people: Vec<Record<Person>>,
    notes: Vec<Record<Note>>,
    checkins: Vec<Record<CheckIn>>,
    visits: Vec<Record<Visit>>,
    stays: Vec<Record<PlannedStay>>,
}

fn person(name: &str) -> Record<Person> {
    let body = PersonDraft {
        preferred_name: name.into(),
        arrangements: vec![Arrangement::ShortBreaks, Arrangement::DaySupport],
        ..Default::default()
    }
    .validate(now().date_naive())
    .expect("a valid person");
    Record::create(random_id(), body, "Annabel", now())
}

fn note(about: &Record<Person>, minute: u32, text: &str) -> Record<Note> {
    let body = NoteDraft {
        person_id: about.id().to_string(),
        date: "2026-11-21".into(),
        time: format!("{:02}:{:02}", 8 + minute / 60, minute % 60),
        text: text.into(),
        ..Default::default()
    }
    .validate(now(), &utc())
    .expect("a valid note");
    Record::create(random_id(), body, "Annabel", now())
}

/// Writes one of everything (and `extra_notes` more notes), clear.
async fn keep_everything(store: &Store, extra_notes: u32) -> Kept {
    let profile = store
        .save_profile(
            random_id(),
            CarerProfileDraft {
                carer_name: "Annabel".into(),
                household_name: "Willowbrook Cottage".into(),
            }
            .validate()
            .unwrap(),
            now(),
        )
        .await
        .unwrap();
    let people = vec![person("Margaret Oyelaran")];
    store.insert_all(&people).await.unwrap();
    let meg = &people[0];
    let mut notes = vec![note(meg, 0, "Made butterscotch pudding together.")];
    for i in 1..=extra_notes {
        notes.push(note(meg, i, &format!("Walk to the allotment, number {i}.")));
    }
    store.insert_all(&notes).await.unwrap();
    let checkin = CheckInDraft {
        mood: Some(Mood::ALL[3]),
        answered: Some(Answered::Themselves),
        own_words: "Phoned Grandma Iris.".into(),
        ..CheckInDraft::now_for(Some(meg.id()), now() - Duration::hours(2), &utc())
    }
    .validate(now(), &utc())
    .unwrap();
    let checkins = vec![Record::create(random_id(), checkin, "Annabel", now())];
    store.insert_all(&checkins).await.unwrap();
    let visit = VisitDraft {
        person_id: meg.id().to_string(),
        kind: Some(Arrangement::DaySupport),
        start_date: "2026-11-20".into(),
        start_time: "10:00".into(),
        end_date: "2026-11-20".into(),
        end_time: "15:00".into(),
        place: Some(Place::CarersHome),
        ..Default::default()
    }
    .validate(now(), &utc())
    .unwrap();
    let visits = vec![Record::create(random_id(), visit, "Annabel", now())];
    store.insert_all(&visits).await.unwrap();
    let stay = PlannedStayDraft {
        arrival: "2026-12-05".into(),
        departure: "2026-12-07".into(),
        notes_for_person: "Bring your swimming things for the seaside.".into(),
        ..PlannedStayDraft::new_for(Some(meg.id()), "Willowbrook Cottage")
    }
    .validate()
    .unwrap();
    let stays = vec![Record::create(random_id(), stay, "Annabel", now())];
    store.insert_all(&stays).await.unwrap();
    Kept {
        profile,
        people,
        notes,
        checkins,
        visits,
        stays,
    }
}

/// Reads everything back through the repository (decrypting as needed).
async fn read_everything(store: &Store) -> Result<Kept, StorageError> {
    let meg = store.people().await?[0].id();
    let mut notes = store.notes_for(meg, usize::MAX).await?;
    notes.sort_by_key(|n| n.body().occurred_at());
    Ok(Kept {
        profile: store.profile().await?.expect("a profile"),
        people: store.people().await?,
        notes,
        checkins: store.for_person(meg, None, usize::MAX).await?,
        visits: store.for_person(meg, None, usize::MAX).await?,
        stays: store.all().await?,
    })
}

/// Every row of every store as the browser keeps it, as JSON text: what
/// someone inspecting the phone's storage would see.
async fn raw_rows(name: &str) -> Vec<(String, String)> {
    let db = Database::open(name).await.expect("the database opens");
    let mut rows = Vec::new();
    for store in ["settings", "people", "notes", "checkins", "visits", "stays"] {
        let tx = db.transaction(store).build().unwrap();
        let values = tx
            .object_store(store)
            .unwrap()
            .get_all()
            .primitive()
            .unwrap()
            .await
            .unwrap();
        for value in values {
            let value: JsValue = value.unwrap();
            let text = js_sys::JSON::stringify(&value).unwrap();
            rows.push((store.to_string(), String::from(text)));
        }
    }
    db.close();
    rows
}

fn record_rows(rows: &[(String, String)]) -> impl Iterator<Item = &(String, String)> {
    rows.iter().filter(|(store, text)| {
        store != "settings" || text.contains("\"rec\"") || text.contains("carer_name")
    })
}

async fn assert_all_sealed(name: &str) {
    let rows = raw_rows(name).await;
    for secret in SECRETS {
        for (store, text) in &rows {
            assert!(
                !text.contains(secret),
                "{secret:?} readable in the {store} store: {text}"
            );
        }
    }
    let records: Vec<_> = record_rows(&rows).collect();
    assert!(records.len() >= 6, "every kind is stored: {records:?}");
    for (store, text) in records {
        assert!(text.contains("\"enc\""), "a clear row in {store}: {text}");
    }
}

async fn assert_all_clear(name: &str) {
    let rows = raw_rows(name).await;
    let all: String = rows.iter().map(|(_, t)| t.as_str()).collect();
    for secret in SECRETS {
        assert!(all.contains(secret), "{secret:?} is stored clear again");
    }
    for (store, text) in record_rows(&rows) {
        assert!(
            !text.contains("\"enc\""),
            "an encrypted row in {store}: {text}"
        );
    }
}

/// Closes, reopens: no PIN asked, and every record as kept. Then deletes the database.
async fn reopens_clear_with(name: &str, store: Store, kept: &Kept) {
    store.close();
    let store = open(name).await;
    assert!(!store.is_locked());
    assert_eq!(&read_everything(&store).await.unwrap(), kept);
    finish(name, store).await;
}

async fn pass(store: &Store) -> PassEnd {
    store.run_pass(Pass::default(), &|_, _| {}).await.unwrap()
}

#[wasm_bindgen_test]
async fn lock_on_hides_every_name_and_note_and_the_right_pin_reads_them_back() {
    let name = db_name("lock-on");
    let store = open(&name).await;
    let kept = keep_everything(&store, 3).await;
    assert_all_clear(&name).await;

    store.turn_lock_on(PIN).await.unwrap();
    let seen = std::cell::Cell::new((0, 0));
    let end = store
        .run_pass(Pass::default(), &|done, total| seen.set((done, total)))
        .await
        .unwrap();
    assert_eq!(end, PassEnd::Done);
    assert_eq!(seen.get().0, seen.get().1, "progress reaches the total");
    assert_eq!(store.lock_state(), LockState::On);
    assert_all_sealed(&name).await;
    let settings = store.lock_settings().await.unwrap();
    let wrapping = settings.wrapping.expect("the wrapped key is stored");
    assert!(wrapping.iterations >= 600_000, "{}", wrapping.iterations);
    assert_eq!(wrapping.salt.len(), 16);
    assert_eq!(
        settings.idle_secs, 300,
        "locks after 5 minutes unless chosen"
    );
    assert_eq!(
        read_everything(&store).await.unwrap(),
        kept,
        "still readable"
    );
    store.close();

    // A reopened app knows nothing until the PIN is given.
    let store = open(&name).await;
    assert!(store.is_locked());
    assert_eq!(store.people().await.unwrap_err(), StorageError::Locked);
    assert_eq!(store.profile().await.unwrap_err(), StorageError::Locked);
    assert_eq!(
        store.unlock("111222", now()).await.unwrap(),
        Unlock::Wrong {
            failures: 1,
            paused_until: None
        }
    );
    assert!(store.is_locked());
    assert_eq!(store.unlock(PIN, now()).await.unwrap(), Unlock::Opened);
    assert!(!store.is_locked());
    assert_eq!(read_everything(&store).await.unwrap(), kept);
    assert_eq!(
        store.lock_tries().await.unwrap().failures,
        0,
        "reset by the right PIN"
    );

    // Locking drops the key.
    store.lock();
    assert!(store.is_locked());
    assert_eq!(
        store.get::<Person>(kept.people[0].id()).await.unwrap_err(),
        StorageError::Locked
    );
    finish(&name, store).await;
}

#[wasm_bindgen_test]
async fn writes_while_the_lock_is_on_are_encrypted_and_read_back() {
    let name = db_name("lock-writes");
    let store = open(&name).await;
    let kept = keep_everything(&store, 0).await;
    store.turn_lock_on(PIN).await.unwrap();
    assert_eq!(pass(&store).await, PassEnd::Done);

    let meg = &kept.people[0];
    let added = note(meg, 30, "Allotment again: the butterscotch robin.");
    store.insert(&added).await.unwrap();
    let amended_body = NoteDraft {
        text: "Allotment again: the robin came close.".into(),
        ..NoteDraft::from_note(added.body())
    }
    .validate(now(), &utc())
    .unwrap();
    let amended = store
        .change(added.id(), |rec: &mut Record<Note>| {
            rec.amend(1, amended_body, "Annabel", now() + Duration::minutes(5))
        })
        .await
        .unwrap();
    assert_eq!(amended.rev(), 2);
    // A stale change is still refused, and writes nothing.
    let stale = store
        .change(added.id(), |rec: &mut Record<Note>| {
            rec.delete(1, "Duplicate", "Annabel", now())
        })
        .await;
    assert!(matches!(stale, Err(StorageError::Record(_))), "{stale:?}");
    let deleted = store
        .change(kept.notes[0].id(), |rec: &mut Record<Note>| {
            rec.delete(1, "Wrong person", "Annabel", now() + Duration::minutes(6))
        })
        .await
        .unwrap();
    assert!(!deleted.is_live());
    let profile = store
        .save_profile(
            random_id(),
            CarerProfileDraft {
                carer_name: "Annabel Oyelaran".into(),
                household_name: "Willowbrook Cottage".into(),
            }
            .validate()
            .unwrap(),
            now() + Duration::minutes(7),
        )
        .await
        .unwrap();
    assert_eq!(profile.rev(), 2);

    assert_all_sealed(&name).await;
    store.close();
    let store = open(&name).await;
    assert_eq!(store.unlock(PIN, now()).await.unwrap(), Unlock::Opened);
    assert_eq!(store.get::<Note>(added.id()).await.unwrap(), Some(amended));
    assert_eq!(
        store.get::<Note>(kept.notes[0].id()).await.unwrap(),
        Some(deleted)
    );
    assert_eq!(store.profile().await.unwrap(), Some(profile));
    // A backup reads in the clear, and restoring it writes encrypted rows.
    let backup = store.backup_records().await.unwrap();
    assert_eq!(backup.notes.len(), 2);
    store.restore(&backup).await.unwrap();
    assert_all_sealed(&name).await;
    assert_eq!(store.backup_records().await.unwrap(), backup);
    finish(&name, store).await;
}

#[wasm_bindgen_test]
async fn changing_the_pin_keeps_the_records_and_refuses_the_old_pin() {
    let name = db_name("lock-change");
    let store = open(&name).await;
    let kept = keep_everything(&store, 0).await;
    store.turn_lock_on(PIN).await.unwrap();
    pass(&store).await;
    assert_eq!(
        store.change_pin("000999", NEW_PIN).await.unwrap_err(),
        StorageError::WrongPin
    );
    store.change_pin(PIN, NEW_PIN).await.unwrap();
    store.close();

    let store = open(&name).await;
    assert!(matches!(
        store.unlock(PIN, now()).await.unwrap(),
        Unlock::Wrong { .. }
    ));
    assert_eq!(store.unlock(NEW_PIN, now()).await.unwrap(), Unlock::Opened);
    assert_eq!(read_everything(&store).await.unwrap(), kept);
    finish(&name, store).await;
}

#[wasm_bindgen_test]
async fn turning_the_lock_off_needs_the_pin_and_leaves_every_record_clear_and_equal() {
    let name = db_name("lock-off");
    let store = open(&name).await;
    let kept = keep_everything(&store, 2).await;
    store.turn_lock_on(PIN).await.unwrap();
    pass(&store).await;
    assert_eq!(
        store.turn_lock_off("000999").await.unwrap_err(),
        StorageError::WrongPin
    );
    assert_eq!(store.lock_state(), LockState::On);
    store.turn_lock_off(PIN).await.unwrap();
    assert_eq!(pass(&store).await, PassEnd::Done);
    assert_eq!(store.lock_state(), LockState::Off);
    assert_all_clear(&name).await;
    let settings = store.lock_settings().await.unwrap();
    assert_eq!(settings.state, LockState::Off);
    assert_eq!(settings.wrapping, None, "no wrapped key left behind");
    reopens_clear_with(&name, store, &kept).await;
}

/// A setting's raw value in the database `name`, if set.
async fn raw_setting(name: &str, key: &str) -> Option<JsValue> {
    let db = Database::open(name).await.expect("the database opens");
    let value: Option<JsValue> = {
        let tx = db.transaction("settings").build().unwrap();
        tx.object_store("settings")
            .unwrap()
            .get(key.to_string())
            .primitive()
            .unwrap()
            .await
            .unwrap()
    };
    db.close();
    value
}

#[wasm_bindgen_test]
async fn a_locked_database_moves_every_row_sealed_to_a_fresh_one() {
    let name = db_name("move-from");
    let to = db_name("move-to");
    let store = open(&name).await;
    let kept = keep_everything(&store, 600).await;
    assert!(
        !store.needs_move().await.unwrap(),
        "nothing to move while off"
    );
    store.turn_lock_on(PIN).await.unwrap();
    assert!(!store.needs_move().await.unwrap(), "not while encrypting");
    pass(&store).await;
    assert!(store.needs_move().await.unwrap(), "clear rows were here");

    // Every row, in batches (600 notes is more than one), keys and all.
    let moved = store.move_to(&to).await.unwrap();
    assert_eq!(moved.name(), to);
    assert!(!moved.is_locked(), "the key comes along");
    assert_eq!(read_everything(&moved).await.unwrap(), kept);
    assert_all_sealed(&to).await;
    assert!(
        !moved.needs_move().await.unwrap(),
        "the fresh one held no clear row"
    );
    assert_eq!(
        raw_setting(&to, "complete").await.and_then(|v| v.as_bool()),
        Some(true),
        "the copy is marked complete once every row is in"
    );
    assert_eq!(
        raw_rows(&to).await.len(),
        raw_rows(&name).await.len() + 2,
        "every row, and the new one's own marks: fresh, complete"
    );

    // Reopened, it asks for the PIN and has it all.
    moved.close();
    let reopened = open(&to).await;
    assert!(reopened.is_locked());
    assert!(reopened.unlock(PIN, now()).await.is_ok());
    assert_eq!(read_everything(&reopened).await.unwrap(), kept);

    // Off and on again: clear rows were written here, so it would move again.
    reopened.turn_lock_off(PIN).await.unwrap();
    pass(&reopened).await;
    assert!(!reopened.needs_move().await.unwrap());
    reopened.turn_lock_on(PIN).await.unwrap();
    pass(&reopened).await;
    assert!(reopened.needs_move().await.unwrap());
    finish(&to, reopened).await;
    Database::delete_by_name(&name).unwrap().await.unwrap();
}

/// The names of the databases on this phone that start with `base`.
async fn databases_named(base: &str) -> Vec<String> {
    let factory = js_sys::Reflect::get(&js_sys::global(), &"indexedDB".into()).unwrap();
    let databases: js_sys::Function = js_sys::Reflect::get(&factory, &"databases".into())
        .unwrap()
        .into();
    let list = wasm_bindgen_futures::JsFuture::from(js_sys::Promise::from(
        databases.call0(&factory).unwrap(),
    ))
    .await
    .unwrap();
    let mut names: Vec<String> = js_sys::Array::from(&list)
        .iter()
        .filter_map(|d| js_sys::Reflect::get(&d, &"name".into()).ok()?.as_string())
        .filter(|name| name.starts_with(base))
        .collect();
    names.sort();
    names
}

/// Waits (up to 5 s) until the databases named after `base` are `want`: an
/// old generation is deleted in the background.
async fn until_databases(base: &str, want: &[String]) {
    for _ in 0..50 {
        if databases_named(base).await == want {
            return;
        }
        gloo::timers::future::TimeoutFuture::new(100).await;
    }
    assert_eq!(databases_named(base).await, want);
}

/// Opens the databases named after `base` as the app does at start-up.
async fn start(base: &str) -> Store {
    Store::open_generations(base, std::rc::Rc::new(|| {}), || {})
        .await
        .unwrap()
}

#[wasm_bindgen_test]
async fn a_move_cut_short_is_sorted_out_at_the_next_start() {
    let base = db_name("generations");
    let second = format!("{base}-2");
    let third = format!("{base}-3");
    let store = open(&base).await;
    let kept = keep_everything(&store, 3).await;
    store.turn_lock_on(PIN).await.unwrap();
    pass(&store).await;
    store.close();

    // The first move stopped part way: its copy was never marked complete.
    open(&second).await.close();
    let opened = start(&base).await;
    assert_eq!(opened.name(), base, "the records stay where they were");
    until_databases(&base, std::slice::from_ref(&base)).await;
    assert!(opened.unlock(PIN, now()).await.is_ok());
    assert!(opened.needs_move().await.unwrap(), "and still need moving");

    // The move runs to its end: the next generation holds every record and
    // the old one is deleted.
    let moved = opened.move_on(|| {}).await;
    assert_eq!(moved.name(), second);
    assert_eq!(read_everything(&moved).await.unwrap(), kept);
    moved.close();
    until_databases(&base, std::slice::from_ref(&second)).await;
    let reopened = start(&base).await;
    assert_eq!(reopened.name(), second);
    assert!(reopened.is_locked());
    assert!(reopened.unlock(PIN, now()).await.is_ok());
    assert_eq!(read_everything(&reopened).await.unwrap(), kept);
    assert!(
        !reopened.needs_move().await.unwrap(),
        "moved once is enough"
    );

    // Off and on again, so another move, and it is cut short too: the second
    // generation (marked complete itself) stays in use, the third goes.
    reopened.turn_lock_off(PIN).await.unwrap();
    pass(&reopened).await;
    reopened.turn_lock_on(PIN).await.unwrap();
    pass(&reopened).await;
    reopened.close();
    open(&third).await.close();
    let again = start(&base).await;
    assert_eq!(again.name(), second);
    until_databases(&base, std::slice::from_ref(&second)).await;
    assert!(again.unlock(PIN, now()).await.is_ok());
    let third_store = again.move_on(|| {}).await;
    assert_eq!(third_store.name(), third);
    assert_eq!(read_everything(&third_store).await.unwrap(), kept);
    assert_all_sealed(&third).await;
    until_databases(&base, std::slice::from_ref(&third)).await;
    finish(&third, third_store).await;
}

#[wasm_bindgen_test]
async fn the_move_copies_every_object_store_there_is() {
    let name = db_name("stores");
    open(&name).await.close();
    let db = Database::open(name.as_str()).await.unwrap();
    let mut found: Vec<(String, bool)> = db
        .object_store_names()
        .map(|store| {
            let tx = db.transaction(store.as_str()).build().unwrap();
            let has_key_path = !tx
                .object_store(&store)
                .unwrap()
                .as_sys()
                .key_path()
                .unwrap()
                .is_null();
            (store, has_key_path)
        })
        .collect();
    db.close();
    found.sort();
    let mut listed: Vec<(String, bool)> = STORES_AT_LATEST
        .iter()
        .map(|(store, inline)| (store.to_string(), *inline))
        .collect();
    listed.sort();
    assert_eq!(listed, found);
    Database::delete_by_name(&name).unwrap().await.unwrap();
}

#[wasm_bindgen_test]
async fn a_pass_cut_short_resumes_after_reopening_both_ways() {
    let name = db_name("lock-resume");
    let store = open(&name).await;
    let kept = keep_everything(&store, 24).await;
    let short = Pass {
        batch: 5,
        stop_after: Some(2),
    };

    // On: two batches of five notes, then the tab "closes".
    store.turn_lock_on(PIN).await.unwrap();
    assert_eq!(
        store.run_pass(short, &|_, _| {}).await.unwrap(),
        PassEnd::Stopped
    );
    store.close();
    let rows = raw_rows(&name).await;
    let sealed = rows.iter().filter(|(_, t)| t.contains("\"enc\"")).count();
    assert!(
        sealed > 0 && rows.iter().any(|(_, t)| t.contains("allotment")),
        "half done"
    );

    let store = open(&name).await;
    assert_eq!(store.lock_state(), LockState::Encrypting);
    assert!(store.is_locked(), "a PIN is needed even half way");
    assert_eq!(store.unlock(PIN, now()).await.unwrap(), Unlock::Opened);
    assert_eq!(
        read_everything(&store).await.unwrap(),
        kept,
        "a mixed database reads whole"
    );
    let note = note(&kept.people[0], 200, "Written half way: seaside plans.");
    store.insert(&note).await.unwrap();
    assert_eq!(pass(&store).await, PassEnd::Done);
    assert_eq!(store.lock_state(), LockState::On);
    assert_all_sealed(&name).await;
    let mut kept = kept;
    kept.notes.push(note);
    assert_eq!(read_everything(&store).await.unwrap(), kept);

    // Off: cut short the same way.
    store.turn_lock_off(PIN).await.unwrap();
    assert_eq!(
        store.run_pass(short, &|_, _| {}).await.unwrap(),
        PassEnd::Stopped
    );
    store.close();
    let store = open(&name).await;
    assert_eq!(store.lock_state(), LockState::Decrypting);
    assert!(store.is_locked());
    assert_eq!(store.unlock(PIN, now()).await.unwrap(), Unlock::Opened);
    assert_eq!(read_everything(&store).await.unwrap(), kept);
    assert_eq!(pass(&store).await, PassEnd::Done);
    assert_all_clear(&name).await;
    reopens_clear_with(&name, store, &kept).await;
}

#[wasm_bindgen_test]
async fn five_wrong_pins_pause_and_the_pause_survives_reopening() {
    let name = db_name("lock-pause");
    let store = open(&name).await;
    keep_everything(&store, 0).await;
    store.turn_lock_on(PIN).await.unwrap();
    pass(&store).await;
    store.close();

    let store = open(&name).await;
    for failures in 1..=4 {
        assert_eq!(
            store.unlock("555123", now()).await.unwrap(),
            Unlock::Wrong {
                failures,
                paused_until: None
            }
        );
    }
    let until = now() + Duration::seconds(30);
    assert_eq!(
        store.unlock("555123", now()).await.unwrap(),
        Unlock::Wrong {
            failures: 5,
            paused_until: Some(until)
        }
    );
    store.close();
    let store = open(&name).await;
    let soon = now() + Duration::seconds(10);
    assert_eq!(
        store.unlock(PIN, soon).await.unwrap(),
        Unlock::Paused { until },
        "not even the right PIN is tried during the pause"
    );
    assert!(store.is_locked());
    let after = now() + Duration::seconds(31);
    assert_eq!(
        store.unlock("555123", after).await.unwrap(),
        Unlock::Wrong {
            failures: 6,
            paused_until: Some(after + Duration::seconds(60))
        },
        "the next pause is twice as long"
    );
    let later = after + Duration::seconds(61);
    assert_eq!(store.unlock(PIN, later).await.unwrap(), Unlock::Opened);
    finish(&name, store).await;
}

/// Prints how long unlocking takes (PBKDF2-SHA256, 600,000 iterations) and
/// what encryption adds to reading a person's 1,600 notes.
#[wasm_bindgen_test]
async fn lock_speed() {
    let name = db_name("lock-speed");
    let store = open(&name).await;
    let meg = person("Margaret Oyelaran");
    store.insert(&meg).await.unwrap();
    let notes: Vec<_> = (0..1600)
        .map(|i| {
            let body = NoteDraft {
                person_id: meg.id().to_string(),
                date: hearth_core::dates::form_date(
                    now().date_naive() - Duration::days(1 + i64::from(i) / 2),
                ),
                time: if i % 2 == 0 { "09:30" } else { "16:45" }.into(),
                text: "Went to the allotment, planted onions and had tea with a neighbour.".into(),
                ..Default::default()
            }
            .validate(now(), &utc())
            .unwrap();
            Record::create(random_id(), body, "Annabel", now())
        })
        .collect();
    store.insert_all(&notes).await.unwrap();
    let meg_id = meg.id();
    let read = |store: Store| async move {
        let mut times = Vec::new();
        for _ in 0..5 {
            let t = ms();
            let got = store.notes_for(meg_id, usize::MAX).await.unwrap();
            times.push(ms() - t);
            assert_eq!(got.len(), 1600);
        }
        times
    };
    let clear = read(store.clone()).await;
    let t = ms();
    store.turn_lock_on(PIN).await.unwrap();
    let set = ms() - t;
    let t = ms();
    pass(&store).await;
    let encrypt_all = ms() - t;
    let sealed = read(store.clone()).await;
    store.close();
    let store = open(&name).await;
    let mut unlocks = Vec::new();
    for _ in 0..3 {
        store.lock();
        let t = ms();
        assert_eq!(store.unlock(PIN, now()).await.unwrap(), Unlock::Opened);
        unlocks.push(ms() - t);
    }
    console_log!(
        "lock_speed: {}",
        common::figure("unlock (PBKDF2 600,000)", 40, &unlocks)
    );
    console_log!("lock_speed: set a PIN (PBKDF2 + new key)           {set:>8.1} ms");
    console_log!("lock_speed: encrypt 1,601 records (lock pass)     {encrypt_all:>8.1} ms");
    console_log!(
        "lock_speed: {}",
        common::figure("read 1,600 notes, clear", 40, &clear)
    );
    console_log!(
        "lock_speed: {}",
        common::figure("read 1,600 notes, encrypted", 40, &sealed)
    );
    finish(&name, store).await;
}
