//! Hearth's storage against a real IndexedDB, in headless Chromium.
//!
//! Every test opens its own database (a name with a random suffix) and deletes
//! it at the end, so no test sees another's records. Run with
//! `cd app && cargo test --target wasm32-unknown-unknown`.

mod common;

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, TimeZone, Utc};
use common::{db_name, finish, random_id};
use hearth_app::storage::migrations::{LATEST, MIGRATIONS};
use hearth_app::storage::{StorageError, Store};
use hearth_core::{
    Arrangement, CarerProfile, CarerProfileDraft, FixedZone, Note, NoteDraft, Person, PersonDraft,
    Record, RecordError, RecordId,
};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

// ---- Helpers ----

/// The phone's clock in these tests: Sunday 22 November 2026, 14:05 UTC.
fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 14, 5, 0).unwrap()
}

/// A minute after `now()`, for changes made later.
fn later(minutes: i64) -> DateTime<Utc> {
    now() + Duration::minutes(minutes)
}

fn day(ymd: &str) -> NaiveDate {
    hearth_core::dates::parse_form_date(ymd).expect("a test date")
}

/// A phone `hours` east of UTC.
fn zone(hours: i32) -> FixedZone {
    FixedZone(FixedOffset::east_opt(hours * 3600).expect("a real offset"))
}

async fn open_at(name: &str, version: u32) -> Store {
    Store::open_at(name, version, || {})
        .await
        .unwrap_or_else(|e| panic!("opening {name} at version {version}: {e:?}"))
}

/// A new, empty database at the current schema.
async fn fresh(test: &str) -> (String, Store) {
    let name = db_name(test);
    let store = open_at(&name, LATEST).await;
    (name, store)
}

/// A person record, as the "add a person" form makes it.
fn person(preferred_name: &str) -> Record<Person> {
    let body = PersonDraft {
        preferred_name: preferred_name.into(),
        arrangements: vec![Arrangement::LongTerm],
        ..Default::default()
    }
    .validate(now().date_naive())
    .expect("a valid person");
    Record::create(random_id(), body, "Ann", now())
}

/// A note body as the note form makes it, on a phone in `zone`.
fn note_body(about: RecordId, date: &str, time: &str, text: &str, zone: &FixedZone) -> Note {
    NoteDraft {
        person_id: about.to_string(),
        date: date.into(),
        time: time.into(),
        text: text.into(),
        ..Default::default()
    }
    .validate(now(), zone)
    .expect("a valid note")
}

/// A new note record written on a phone in `zone`.
fn note_in(
    zone: &FixedZone,
    about: &Record<Person>,
    date: &str,
    time: &str,
    text: &str,
) -> Record<Note> {
    let body = note_body(about.id(), date, time, text, zone);
    Record::create(random_id(), body, "Ann", now())
}

/// A new note record written on a phone on UTC.
fn note(about: &Record<Person>, date: &str, time: &str, text: &str) -> Record<Note> {
    note_in(&FixedZone::utc(), about, date, time, text)
}

fn profile(carer_name: &str, household_name: &str) -> CarerProfile {
    CarerProfileDraft {
        carer_name: carer_name.into(),
        household_name: household_name.into(),
    }
    .validate()
    .expect("a valid profile")
}

async fn insert_people(store: &Store, people: &[&Record<Person>]) {
    for p in people {
        store.insert(*p).await.expect("person inserted");
    }
}

async fn insert_notes(store: &Store, notes: &[&Record<Note>]) {
    for n in notes {
        store.insert(*n).await.expect("note inserted");
    }
}

/// What the screens show of a list of notes: their texts, in order.
fn texts(notes: &[Record<Note>]) -> Vec<&str> {
    notes.iter().map(|n| n.body().text()).collect()
}

async fn stored_note(store: &Store, id: RecordId) -> Record<Note> {
    store
        .get::<Note>(id)
        .await
        .expect("get works")
        .expect("the note is stored")
}

async fn amend_note(
    store: &Store,
    id: RecordId,
    expected_rev: u32,
    body: Note,
) -> Result<Record<Note>, StorageError> {
    store
        .change(id, |rec: &mut Record<Note>| {
            rec.amend(expected_rev, body, "Ann", later(10))
        })
        .await
}

async fn delete_note(
    store: &Store,
    id: RecordId,
    expected_rev: u32,
    reason: &str,
) -> Result<Record<Note>, StorageError> {
    store
        .change(id, |rec: &mut Record<Note>| {
            rec.delete(expected_rev, reason, "Ann", later(20))
        })
        .await
}

// ---- Round trips ----

#[wasm_bindgen_test]
async fn a_person_and_their_notes_read_back_exactly_as_saved() {
    let (name, store) = fresh("round-trip").await;
    let meg = person("Meg");
    let breakfast = note(&meg, "2026-11-22", "08:30", "Meg had porridge.");
    let walk = note(&meg, "2026-11-22", "11:00", "We walked to the shop.");
    insert_people(&store, &[&meg]).await;
    insert_notes(&store, &[&breakfast, &walk]).await;

    assert_eq!(
        store.get::<Person>(meg.id()).await.unwrap(),
        Some(meg.clone())
    );
    assert_eq!(stored_note(&store, breakfast.id()).await, breakfast);
    assert_eq!(stored_note(&store, walk.id()).await, walk);
    assert_eq!(store.people().await.unwrap(), vec![meg.clone()]);
    assert_eq!(
        store.get::<Note>(meg.id()).await.unwrap(),
        None,
        "a person's id is not a note"
    );
    assert_eq!(store.get::<Person>(random_id()).await.unwrap(), None);
    finish(&name, store).await;
}

#[wasm_bindgen_test]
async fn people_are_listed_by_preferred_name_ignoring_case() {
    let (name, store) = fresh("people-order").await;
    let (sam, meg, alex) = (person("Sam"), person("Meg"), person("alex"));
    insert_people(&store, &[&sam, &meg, &alex]).await;

    let names: Vec<String> = store
        .people()
        .await
        .unwrap()
        .iter()
        .map(|p| p.body().preferred_name().to_string())
        .collect();
    assert_eq!(names, ["alex", "Meg", "Sam"]);
    finish(&name, store).await;
}

#[wasm_bindgen_test]
async fn a_persons_notes_come_newest_first_limited_and_only_theirs() {
    let (name, store) = fresh("notes-for").await;
    let (meg, sam) = (person("Meg"), person("Sam"));
    insert_people(&store, &[&meg, &sam]).await;
    let first = note(&meg, "2026-11-20", "09:00", "Friday: swimming.");
    let third = note(&meg, "2026-11-21", "10:00", "Saturday: market.");
    // 11:30 on a phone two hours ahead is 09:30 UTC: earlier than `third`.
    let second = note_in(
        &zone(2),
        &meg,
        "2026-11-21",
        "11:30",
        "Saturday: breakfast abroad.",
    );
    let fourth = note(&meg, "2026-11-22", "08:15", "Sunday: lie-in.");
    let sams = note(&sam, "2026-11-22", "12:00", "Sam's lunch.");
    insert_notes(&store, &[&third, &sams, &first, &fourth, &second]).await;

    let all = store.notes_for(meg.id(), 10).await.unwrap();
    assert_eq!(
        texts(&all),
        [
            "Sunday: lie-in.",
            "Saturday: market.",
            "Saturday: breakfast abroad.",
            "Friday: swimming."
        ]
    );
    assert_eq!(all[0], fourth, "whole records come back");
    let newest_two = store.notes_for(meg.id(), 2).await.unwrap();
    assert_eq!(texts(&newest_two), ["Sunday: lie-in.", "Saturday: market."]);
    assert_eq!(
        texts(&store.notes_for(sam.id(), 10).await.unwrap()),
        ["Sam's lunch."]
    );
    assert!(store.notes_for(random_id(), 10).await.unwrap().is_empty());
    finish(&name, store).await;
}

#[wasm_bindgen_test]
async fn a_days_notes_are_its_live_notes_newest_first_by_local_date() {
    let (name, store) = fresh("notes-on").await;
    let (meg, sam) = (person("Meg"), person("Sam"));
    insert_people(&store, &[&meg, &sam]).await;
    let breakfast = note(&meg, "2026-11-21", "08:00", "Breakfast.");
    let lunch = note(&sam, "2026-11-21", "13:00", "Sam's lunch.");
    let evening = note(&meg, "2026-11-21", "19:45", "Evening.");
    // Half past midnight on the 21st, one hour ahead of UTC: 23:30 UTC on the 20th.
    let midnight = note_in(
        &zone(1),
        &meg,
        "2026-11-21",
        "00:30",
        "Just after midnight.",
    );
    let day_before = note(&meg, "2026-11-20", "23:00", "Late on the 20th.");
    let day_after = note(&meg, "2026-11-22", "07:00", "Sunday morning.");
    let mistake = note(&meg, "2026-11-21", "12:00", "Written for the wrong person.");
    insert_notes(
        &store,
        &[
            &evening,
            &midnight,
            &day_before,
            &breakfast,
            &mistake,
            &day_after,
            &lunch,
        ],
    )
    .await;
    delete_note(&store, mistake.id(), 1, "Wrong person")
        .await
        .expect("deleted");

    assert_eq!(
        texts(&store.notes_on(day("2026-11-21")).await.unwrap()),
        [
            "Evening.",
            "Sam's lunch.",
            "Breakfast.",
            "Just after midnight."
        ]
    );
    assert_eq!(
        texts(&store.notes_on(day("2026-11-20")).await.unwrap()),
        ["Late on the 20th."]
    );
    assert_eq!(
        texts(&store.notes_on(day("2026-11-22")).await.unwrap()),
        ["Sunday morning."]
    );
    assert!(store.notes_on(day("2026-11-19")).await.unwrap().is_empty());
    finish(&name, store).await;
}

// ---- Changes: amend and delete ----

#[wasm_bindgen_test]
async fn amending_a_note_stores_revision_two_with_the_earlier_text_in_history() {
    let (name, store) = fresh("amend").await;
    let meg = person("Meg");
    let n = note(&meg, "2026-11-22", "09:00", "Meg had porridge.");
    insert_notes(&store, &[&n]).await;
    let better = note_body(
        meg.id(),
        "2026-11-22",
        "09:00",
        "Meg had porridge and a banana.",
        &FixedZone::utc(),
    );

    let returned = amend_note(&store, n.id(), 1, better)
        .await
        .expect("amended");
    let stored = stored_note(&store, n.id()).await;
    assert_eq!(stored, returned);
    assert_eq!(stored.rev(), 2);
    assert_eq!(stored.body().text(), "Meg had porridge and a banana.");
    assert_eq!(stored.updated_at(), later(10));
    assert_eq!(stored.created_at(), now());
    let history = stored.history();
    assert_eq!(history.len(), 1);
    assert_eq!(
        (
            history[0].rev,
            history[0].body.text(),
            history[0].saved_by.as_str()
        ),
        (1, "Meg had porridge.", "Ann")
    );
    finish(&name, store).await;
}

#[wasm_bindgen_test]
async fn amending_a_notes_date_moves_it_to_that_day() {
    let (name, store) = fresh("amend-day").await;
    let meg = person("Meg");
    let n = note(&meg, "2026-11-22", "09:00", "Swimming.");
    insert_notes(&store, &[&n]).await;
    let yesterday = note_body(
        meg.id(),
        "2026-11-21",
        "09:00",
        "Swimming.",
        &FixedZone::utc(),
    );

    amend_note(&store, n.id(), 1, yesterday)
        .await
        .expect("amended");
    assert!(store.notes_on(day("2026-11-22")).await.unwrap().is_empty());
    assert_eq!(
        texts(&store.notes_on(day("2026-11-21")).await.unwrap()),
        ["Swimming."]
    );
    finish(&name, store).await;
}

#[wasm_bindgen_test]
async fn a_stale_amendment_is_refused_and_the_stored_note_is_unchanged() {
    let (name, store) = fresh("stale").await;
    let meg = person("Meg");
    let n = note(&meg, "2026-11-22", "09:00", "First words.");
    insert_notes(&store, &[&n]).await;
    let body = |text: &str| note_body(meg.id(), "2026-11-22", "09:00", text, &FixedZone::utc());
    let amended = amend_note(&store, n.id(), 1, body("Second words."))
        .await
        .expect("amended");

    // Another tab amended it after this form was opened at revision 1.
    let result = amend_note(&store, n.id(), 1, body("Words from an old form.")).await;
    assert_eq!(result, Err(StorageError::Record(RecordError::Stale)));
    assert_eq!(stored_note(&store, n.id()).await, amended);
    finish(&name, store).await;
}

#[wasm_bindgen_test]
async fn deleting_without_a_reason_is_refused_and_the_note_stays_live() {
    let (name, store) = fresh("delete-no-reason").await;
    let meg = person("Meg");
    let n = note(&meg, "2026-11-22", "09:00", "Swimming.");
    insert_notes(&store, &[&n]).await;

    let result = delete_note(&store, n.id(), 1, "  ").await;
    assert!(
        matches!(result, Err(StorageError::Record(RecordError::Invalid(_)))),
        "{result:?}"
    );
    let stored = stored_note(&store, n.id()).await;
    assert!(stored.is_live());
    assert_eq!(stored, n);
    assert_eq!(
        texts(&store.notes_on(day("2026-11-22")).await.unwrap()),
        ["Swimming."]
    );
    finish(&name, store).await;
}

#[wasm_bindgen_test]
async fn deleting_with_a_reason_leaves_a_readable_tombstone() {
    let (name, store) = fresh("delete").await;
    let meg = person("Meg");
    let n = note(&meg, "2026-11-22", "09:00", "Meant for Sam.");
    insert_notes(&store, &[&n]).await;

    let returned = delete_note(&store, n.id(), 1, "Written for the wrong person")
        .await
        .expect("deleted");
    let stored = stored_note(&store, n.id()).await;
    assert_eq!(stored, returned);
    assert!(!stored.is_live());
    assert_eq!(stored.rev(), 2);
    assert_eq!(
        stored.body().text(),
        "Meant for Sam.",
        "the content is kept"
    );
    let tombstone = stored.deleted().expect("a tombstone");
    assert_eq!(
        (
            tombstone.reason.as_str(),
            tombstone.deleted_by.as_str(),
            tombstone.deleted_at
        ),
        ("Written for the wrong person", "Ann", later(20))
    );
    assert!(
        store.notes_on(day("2026-11-22")).await.unwrap().is_empty(),
        "the day's list leaves it out"
    );
    assert_eq!(
        store.notes_for(meg.id(), 10).await.unwrap(),
        vec![stored.clone()],
        "the person's list shows it as deleted"
    );
    let again = delete_note(&store, n.id(), 2, "Twice").await;
    assert_eq!(again, Err(StorageError::Record(RecordError::Deleted)));
    assert_eq!(stored_note(&store, n.id()).await, stored);
    finish(&name, store).await;
}

#[wasm_bindgen_test]
async fn changing_a_record_that_is_not_stored_says_so() {
    let (name, store) = fresh("change-missing").await;
    let result = delete_note(&store, random_id(), 1, "Gone").await;
    assert_eq!(result, Err(StorageError::NotFound));
    finish(&name, store).await;
}

// ---- Inserts ----

#[wasm_bindgen_test]
async fn inserting_a_duplicate_id_fails_and_keeps_the_first_record() {
    let (name, store) = fresh("duplicate").await;
    let meg = person("Meg");
    let n = note(&meg, "2026-11-22", "09:00", "The first note.");
    insert_notes(&store, &[&n]).await;
    let other = note_body(
        meg.id(),
        "2026-11-22",
        "10:00",
        "Another note.",
        &FixedZone::utc(),
    );
    let clash = Record::create(n.id(), other, "Dev", later(1));

    let result = store.insert(&clash).await;
    assert!(matches!(result, Err(StorageError::Other(_))), "{result:?}");
    assert_eq!(stored_note(&store, n.id()).await, n);
    assert_eq!(
        texts(&store.notes_for(meg.id(), 10).await.unwrap()),
        ["The first note."]
    );

    let sam = person("Sam");
    insert_people(&store, &[&sam]).await;
    let renamed = Record::create(sam.id(), person("Samuel").body().clone(), "Dev", later(1));
    assert!(store.insert(&renamed).await.is_err());
    assert_eq!(store.people().await.unwrap(), vec![sam]);
    finish(&name, store).await;
}

// ---- The carer's profile ----

#[wasm_bindgen_test]
async fn the_profile_is_created_then_amended_and_reads_back() {
    let (name, store) = fresh("profile").await;
    assert_eq!(
        store.profile().await.unwrap(),
        None,
        "no profile before the welcome"
    );
    let first_id = random_id();

    let first = store
        .save_profile(first_id, profile("Ann", "Ann's"), now())
        .await
        .expect("saved");
    assert_eq!(
        (first.id(), first.rev(), first.created_by()),
        (first_id, 1, "Ann")
    );
    assert_eq!(store.profile().await.unwrap(), Some(first.clone()));

    let second = store
        .save_profile(random_id(), profile("Dev", "Ann and Dev's"), later(5))
        .await
        .expect("amended");
    assert_eq!(
        (second.id(), second.rev()),
        (first_id, 2),
        "the same record"
    );
    assert_eq!(second.body().carer_name(), "Dev");
    assert_eq!(second.body().household_name(), "Ann and Dev's");
    assert_eq!(second.updated_by(), "Dev");
    assert_eq!(second.history().len(), 1);
    assert_eq!(second.history()[0].body, profile("Ann", "Ann's"));
    assert_eq!(store.profile().await.unwrap(), Some(second.clone()));

    let unchanged = store
        .save_profile(random_id(), profile("Dev", "Ann and Dev's"), later(9))
        .await
        .expect("saving the same names is fine");
    assert_eq!(unchanged, second, "no new revision for no change");
    assert_eq!(store.profile().await.unwrap(), Some(second));
    finish(&name, store).await;
}

// ---- Migrations ----

#[wasm_bindgen_test]
fn migrations_are_numbered_one_to_latest_without_gaps() {
    let versions: Vec<u32> = MIGRATIONS.iter().map(|m| m.version).collect();
    assert_eq!(versions, (1..=LATEST).collect::<Vec<_>>());
    assert!(MIGRATIONS.iter().all(|m| !m.describe.trim().is_empty()));
}

#[wasm_bindgen_test]
async fn a_brand_new_database_opens_at_latest_and_is_empty() {
    let (name, store) = fresh("new").await;
    assert_eq!(store.version(), LATEST);
    assert!(store.people().await.unwrap().is_empty());
    assert_eq!(store.profile().await.unwrap(), None);
    assert!(store.notes_on(now().date_naive()).await.unwrap().is_empty());
    assert!(store.notes_for(random_id(), 10).await.unwrap().is_empty());
    finish(&name, store).await;
}

/// Everything an older version of Hearth wrote.
struct Written {
    people: Vec<Record<Person>>,
    notes: Vec<Record<Note>>,
    profile: Record<CarerProfile>,
}

/// Writes people, notes (one amended, one deleted) and the profile, as the
/// app at any schema version can.
async fn write_everything(store: &Store) -> Written {
    let (meg, sam) = (person("Meg"), person("Sam"));
    insert_people(store, &[&meg, &sam]).await;
    let breakfast = note(&meg, "2026-11-21", "08:00", "Breakfast.");
    let swim = note(&meg, "2026-11-21", "15:00", "Swim.");
    let lunch = note(&sam, "2026-11-21", "12:30", "Sam's lunch.");
    let mistake = note(&sam, "2026-11-21", "16:00", "Wrong person.");
    let sunday = note(&meg, "2026-11-22", "09:00", "Sunday.");
    insert_notes(store, &[&breakfast, &swim, &lunch, &mistake, &sunday]).await;
    let better = note_body(
        meg.id(),
        "2026-11-21",
        "15:00",
        "Swim, ten lengths.",
        &FixedZone::utc(),
    );
    let swim = amend_note(store, swim.id(), 1, better)
        .await
        .expect("amended");
    let mistake = delete_note(store, mistake.id(), 1, "Wrong person")
        .await
        .expect("deleted");
    let profile = store
        .save_profile(random_id(), profile("Ann", "Ann's"), now())
        .await
        .expect("profile saved");
    Written {
        people: vec![meg, sam],
        notes: vec![breakfast, swim, lunch, mistake, sunday],
        profile,
    }
}

/// Checks that every record written is stored unchanged and found by every query.
async fn check_everything(store: &Store, written: &Written) {
    for p in &written.people {
        assert_eq!(store.get::<Person>(p.id()).await.unwrap().as_ref(), Some(p));
    }
    for n in &written.notes {
        assert_eq!(&stored_note(store, n.id()).await, n);
    }
    assert_eq!(store.people().await.unwrap(), written.people);
    assert_eq!(
        store.profile().await.unwrap().as_ref(),
        Some(&written.profile)
    );
    let meg = written.people[0].id();
    assert_eq!(
        texts(&store.notes_for(meg, 10).await.unwrap()),
        ["Sunday.", "Swim, ten lengths.", "Breakfast."]
    );
    assert_eq!(
        texts(&store.notes_on(day("2026-11-21")).await.unwrap()),
        ["Swim, ten lengths.", "Sam's lunch.", "Breakfast."]
    );
    assert_eq!(
        texts(&store.notes_on(day("2026-11-22")).await.unwrap()),
        ["Sunday."]
    );
}

#[wasm_bindgen_test]
async fn every_earlier_schema_upgrades_to_latest_keeping_every_record() {
    for version in 1..LATEST {
        let name = db_name(&format!("from-v{version}"));
        let old = open_at(&name, version).await;
        assert_eq!(old.version(), version);
        let written = write_everything(&old).await;
        old.close();

        let store = open_at(&name, LATEST).await;
        assert_eq!(store.version(), LATEST, "upgraded from version {version}");
        check_everything(&store, &written).await;
        // Every record from before the change log is waiting to be sent,
        // once each (two people, five notes).
        assert_eq!(store.waiting(0).await.unwrap(), 7, "from version {version}");
        // The stores added since take their records.
        let (medicine, dose, away) = medicines_of(written.people[0].id());
        store.insert(&medicine).await.unwrap();
        store.insert(&dose).await.unwrap();
        store.insert(&away).await.unwrap();
        assert_eq!(
            store.get(dose.id()).await.unwrap().as_ref(),
            Some(&dose),
            "from version {version}"
        );
        finish(&name, store).await;
    }
}

// ---- Other tabs ----

#[wasm_bindgen_test]
async fn an_upgrade_blocked_by_another_tab_says_so_then_carries_on_when_it_closes() {
    use std::cell::{Cell, RefCell};
    use std::rc::Rc;
    let name = db_name("blocked");
    // An older copy of Hearth, in another tab, holding version 1 open.
    let older = open_at(&name, 1).await;
    let record = person("Meg");
    older.insert(&record).await.unwrap();
    let older_tab = Rc::new(RefCell::new(Some(older)));
    let told = Rc::new(Cell::new(false));
    let (tab, flag) = (older_tab.clone(), told.clone());
    // The carer is told; once the other tab closes, the upgrade goes ahead.
    let store = Store::open_at(&name, LATEST, move || {
        flag.set(true);
        if let Some(other) = tab.borrow_mut().take() {
            other.close();
        }
    })
    .await
    .expect("the upgrade completes once the other tab has closed");
    assert!(told.get(), "the blocked upgrade was reported");
    assert_eq!(store.version(), LATEST);
    assert_eq!(
        store.get::<Person>(record.id()).await.unwrap(),
        Some(record)
    );
    finish(&name, store).await;
}

#[wasm_bindgen_test]
async fn an_older_copy_of_the_app_is_told_to_reload_not_that_storage_is_refused() {
    let (name, store) = fresh("outdated").await;
    store.close();
    let error = Store::open_at(&name, LATEST - 1, || {}).await.unwrap_err();
    assert_eq!(error, StorageError::Outdated);
    assert!(error.to_string().contains("Reload"));
    finish(&name, open_at(&name, LATEST).await).await;
}

// ---- Visits, stays and settings ----

/// A visit of `about`, from `start` to `end` (each `YYYY-MM-DD HH:MM`, UTC).
fn visit(
    about: &Record<Person>,
    kind: Arrangement,
    start: &str,
    end: &str,
) -> Record<hearth_core::Visit> {
    let (sd, st) = start.split_once(' ').expect("date and time");
    let (ed, et) = end.split_once(' ').expect("date and time");
    let body = hearth_core::VisitDraft {
        person_id: about.id().to_string(),
        kind: Some(kind),
        start_date: sd.into(),
        start_time: st.into(),
        end_date: ed.into(),
        end_time: et.into(),
        place: Some(hearth_core::Place::CarersHome),
        ..Default::default()
    }
    .validate(now(), &FixedZone::utc())
    .expect("a valid visit");
    Record::create(random_id(), body, "Ann", now())
}

#[wasm_bindgen_test]
async fn visits_read_back_by_person_newest_first_and_by_start_for_the_months_totals() {
    let (name, store) = fresh("visits").await;
    let (meg, sam) = (person("Meg"), person("Sam"));
    let visits = vec![
        visit(
            &meg,
            Arrangement::DaySupport,
            "2026-10-30 10:00",
            "2026-10-30 13:00",
        ),
        visit(
            &meg,
            Arrangement::ShortBreaks,
            "2026-10-31 17:00",
            "2026-11-02 10:00",
        ),
        visit(
            &sam,
            Arrangement::DaySupport,
            "2026-11-10 09:00",
            "2026-11-10 12:30",
        ),
    ];
    store.insert_all(&visits).await.unwrap();
    let megs = store
        .for_person::<hearth_core::Visit>(meg.id(), None, usize::MAX)
        .await
        .unwrap();
    assert_eq!(
        megs.iter().map(Record::id).collect::<Vec<_>>(),
        [visits[1].id(), visits[0].id()]
    );
    let first_page = store
        .for_person::<hearth_core::Visit>(meg.id(), None, 1)
        .await
        .unwrap();
    assert_eq!(
        first_page,
        megs[..1],
        "a page is the newest of the whole list"
    );
    let since = Utc.with_ymd_and_hms(2026, 10, 31, 0, 0, 0).unwrap();
    let recent = store.visits_since(since).await.unwrap();
    assert_eq!(
        recent.iter().map(Record::id).collect::<Vec<_>>(),
        [visits[1].id(), visits[2].id()]
    );
    let totals = hearth_core::summary::month_totals(&recent, 2026, 11);
    let megs_november = totals.iter().find(|t| t.person_id == meg.id()).unwrap();
    assert_eq!(
        megs_november.short_breaks.nights, 1,
        "the night of 31 October counts in October"
    );
    finish(&name, store).await;
}

#[wasm_bindgen_test]
async fn planned_stays_and_settings_read_back_as_saved() {
    let (name, store) = fresh("stays").await;
    let meg = person("Meg");
    let stay = hearth_core::PlannedStayDraft {
        arrival: "2026-12-05".into(),
        departure: "2026-12-07".into(),
        ..hearth_core::PlannedStayDraft::new_for(Some(meg.id()), "Ann and Dev's")
    }
    .validate()
    .unwrap();
    let record = Record::create(random_id(), stay, "Ann", now());
    store.insert(&record).await.unwrap();
    assert_eq!(
        store.all::<hearth_core::PlannedStay>().await.unwrap(),
        vec![record]
    );
    assert_eq!(store.setting::<u32>("household_beds").await.unwrap(), None);
    store.set_setting("household_beds", &2u32).await.unwrap();
    assert_eq!(
        store.setting::<u32>("household_beds").await.unwrap(),
        Some(2)
    );
    finish(&name, store).await;
}

/// A medicine, a dose of it and a day away, for `person`, as the forms make
/// them.
fn medicines_of(
    person: RecordId,
) -> (
    Record<hearth_core::medicine::Medicine>,
    Record<hearth_core::dose::DoseRecord>,
    Record<hearth_core::mar::Absence>,
) {
    use hearth_core::dose::{AwayReason, DoseDraft, Outcome};
    use hearth_core::mar::AbsenceDraft;
    use hearth_core::medicine::{Form, MedicineDraft, Route, Slot, Source, Support, Unit};
    let medicine = MedicineDraft {
        person_id: person.to_string(),
        name: "Paracetamol".into(),
        form: Some(Form::Tablet),
        strength: "500 mg".into(),
        dose: "2".into(),
        unit: Some(Unit::Tablet),
        route: Some(Route::Mouth),
        schedule: "times".into(),
        times: vec!["08:00".into()],
        support: Some(Support::Given),
        start: "2026-11-01".into(),
        authorised_by: "Dr Okafor".into(),
        source: Some(Source::Label),
        ..Default::default()
    }
    .validate()
    .unwrap();
    let medicine = Record::create(random_id(), medicine, "Ann", now());
    let dose = DoseDraft {
        slot: Some(Slot::At {
            local: day("2026-11-22").and_hms_opt(8, 0, 0).unwrap(),
        }),
        date: "2026-11-22".into(),
        time: "08:05".into(),
        outcome: Some(Outcome::Given),
        ..Default::default()
    }
    .validate(&medicine, &[], now(), &FixedZone::utc())
    .unwrap();
    let dose = Record::create(random_id(), dose, "Ann", now());
    let away = AbsenceDraft {
        person_id: person.to_string(),
        from_date: "2026-11-10".into(),
        to_date: "2026-11-12".into(),
        r#where: Some(AwayReason::Hospital),
        ..Default::default()
    }
    .validate(&FixedZone::utc())
    .unwrap();
    (
        medicine,
        dose,
        Record::create(random_id(), away, "Ann", now()),
    )
}

#[wasm_bindgen_test]
async fn medicines_doses_and_days_away_are_stored_logged_backed_up_and_restored() {
    let (name, store) = fresh("medicines").await;
    let meg = person("Meg");
    insert_people(&store, &[&meg]).await;
    let (medicine, dose, away) = medicines_of(meg.id());
    store.insert(&medicine).await.unwrap();
    store.insert(&dose).await.unwrap();
    store.insert(&away).await.unwrap();
    assert_eq!(
        store.get(medicine.id()).await.unwrap().as_ref(),
        Some(&medicine)
    );
    assert_eq!(
        store
            .for_person::<hearth_core::dose::DoseRecord>(meg.id(), None, 10)
            .await
            .unwrap(),
        vec![dose.clone()]
    );
    assert_eq!(
        store.waiting(0).await.unwrap(),
        4,
        "each in the change log, to sync"
    );
    let backup = store.backup_records().await.unwrap();
    assert_eq!(
        (
            backup.medicines.clone(),
            backup.doses.clone(),
            backup.absences.clone()
        ),
        (
            vec![medicine.clone()],
            vec![dose.clone()],
            vec![away.clone()]
        )
    );
    finish(&name, store).await;

    let (name, store) = fresh("medicines-restored").await;
    store.restore(&backup).await.unwrap();
    assert_eq!(
        store.all::<hearth_core::mar::Absence>().await.unwrap(),
        vec![away]
    );
    assert_eq!(store.get(dose.id()).await.unwrap().as_ref(), Some(&dose));
    finish(&name, store).await;
}

// ---- Sample data ----

#[wasm_bindgen_test]
async fn removing_sample_data_removes_exactly_the_sample_and_keeps_the_carers_records() {
    use hearth_core::sample::{self, SampleIds};
    let (name, store) = fresh("sample").await;
    let mine = person("Rosa");
    let my_note = note(&mine, "2026-11-21", "09:30", "Rosa chose the park.");
    insert_people(&store, &[&mine]).await;
    insert_notes(&store, &[&my_note]).await;
    store.set_setting("household_beds", &2u32).await.unwrap();

    let records = sample::generate(9, 30, now(), &zone(0));
    let ids = sample::ids(&records);
    store.set_setting("sample_ids", &ids).await.unwrap();
    store.restore(&records).await.expect("the sample written");
    let all = store.backup_records().await.unwrap();
    assert_eq!(
        all.count(),
        records.count() + 2,
        "the sample sits alongside"
    );
    let stored: SampleIds = store
        .setting("sample_ids")
        .await
        .unwrap()
        .expect("the list");
    assert_eq!(stored, ids);

    // Sample data is never sent, nor counted as waiting.
    assert_eq!(store.waiting(0).await.unwrap(), 2);
    store
        .remove_sample(&ids, "sample_ids")
        .await
        .expect("removed");
    assert_eq!(store.waiting(0).await.unwrap(), 2);
    let left = store.backup_records().await.unwrap();
    assert_eq!(left.people, vec![mine]);
    assert_eq!(left.notes, vec![my_note]);
    assert!(left.checkins.is_empty() && left.visits.is_empty() && left.stays.is_empty());
    assert_eq!(
        store.setting::<SampleIds>("sample_ids").await.unwrap(),
        None
    );
    assert_eq!(
        store.setting::<u32>("household_beds").await.unwrap(),
        Some(2)
    );
    finish(&name, store).await;
}

// ---- The change log and the sync's side of storage ----

#[wasm_bindgen_test]
async fn every_write_puts_the_record_last_in_the_change_log_once() {
    use hearth_app::storage::sync::Phone;
    use hearth_core::sync::Local;
    let (name, store) = fresh("changelog").await;
    let (meg, sam) = (person("Meg"), person("Sam"));
    insert_people(&store, &[&meg, &sam]).await;
    let walk = note(&meg, "2026-11-21", "10:00", "A walk.");
    insert_notes(&store, &[&walk]).await;
    let phone = Phone(store.clone());
    let ids = |changes: &[hearth_core::sync::engine::LocalChange]| {
        changes.iter().map(|c| c.record.id()).collect::<Vec<_>>()
    };
    let first = phone.changes(0, 100).await.unwrap();
    assert_eq!(ids(&first), [meg.id(), sam.id(), walk.id()]);
    assert!(first.iter().all(|c| c.meta.is_none()));

    // Amending Meg moves her to the end; she is still in the log once.
    let renamed = PersonDraft {
        preferred_name: "Megan".into(),
        arrangements: vec![Arrangement::LongTerm],
        ..Default::default()
    }
    .validate(now().date_naive())
    .unwrap();
    store
        .change::<Person>(meg.id(), |r| r.amend(1, renamed, "Ann", later(1)))
        .await
        .unwrap();
    let after = phone.changes(0, 100).await.unwrap();
    assert_eq!(ids(&after), [sam.id(), walk.id(), meg.id()]);
    assert_eq!(store.waiting(0).await.unwrap(), 3);
    // Only what changed after a point is listed, up to a limit.
    let since = after[0].seq;
    let rest = phone.changes(since, 1).await.unwrap();
    assert_eq!(ids(&rest), [walk.id()]);
    assert_eq!(store.waiting(since).await.unwrap(), 2);
    // A refused change logs nothing.
    assert!(store
        .change::<Person>(sam.id(), |r| r.amend(7, r.body().clone(), "Ann", later(2)))
        .await
        .is_err());
    assert_eq!(ids(&phone.changes(0, 100).await.unwrap()), ids(&after));
    finish(&name, store).await;
}

#[wasm_bindgen_test]
async fn a_pulled_record_is_stored_unless_the_phone_changed_it_meanwhile() {
    use hearth_app::storage::sync::Phone;
    use hearth_core::sync::engine::ToStore;
    use hearth_core::sync::{AnyRecord, Local, SyncMeta};
    let (name, store) = fresh("pulled").await;
    let phone = Phone(store.clone());
    let meta = |rev: &str| SyncMeta {
        rev: rev.into(),
        revs: vec![rev[2..].into()],
        sum: "sum".into(),
        carer: "dev".into(),
        on_server: true,
        refused: None,
    };
    // A new record from the other carer's phone.
    let rosa = person("Rosa");
    let stored = phone
        .store(vec![ToStore {
            record: AnyRecord::Person(rosa.clone()),
            meta: meta("1-aa"),
            expected: None,
            changed: false,
        }])
        .await
        .unwrap();
    assert_eq!(stored.written, 1);
    assert_eq!(
        store.get::<Person>(rosa.id()).await.unwrap(),
        Some(rosa.clone())
    );
    let here = phone.current(&[(rosa.id(), "person")]).await.unwrap();
    assert_eq!(
        here,
        vec![(AnyRecord::Person(rosa.clone()), Some(meta("1-aa")))]
    );
    // As the server has it: nothing to send back.
    assert_eq!(store.waiting(0).await.unwrap(), 0);
    assert!(phone.changes(0, 100).await.unwrap().is_empty());
    assert_eq!(
        phone.metas(&[rosa.id()]).await.unwrap(),
        vec![(rosa.id(), meta("1-aa"))]
    );

    // The carer amends Rosa here while a sync is under way: the pulled copy,
    // read before the amendment, is not written over it but handed back.
    let renamed = PersonDraft {
        preferred_name: "Rosa M".into(),
        arrangements: vec![Arrangement::LongTerm],
        ..Default::default()
    }
    .validate(now().date_naive())
    .unwrap();
    let amended = store
        .change::<Person>(rosa.id(), |r| r.amend(1, renamed, "Ann", later(1)))
        .await
        .unwrap();
    let stored = phone
        .store(vec![ToStore {
            record: AnyRecord::Person(rosa.clone()),
            meta: meta("2-bb"),
            expected: Some(1),
            changed: false,
        }])
        .await
        .unwrap();
    assert_eq!(stored.written, 0);
    assert_eq!(stored.moved.len(), 1);
    assert_eq!(
        store.get::<Person>(rosa.id()).await.unwrap(),
        Some(amended.clone())
    );
    assert_eq!(
        phone.current(&[(rosa.id(), "person")]).await.unwrap()[0].1,
        Some(meta("1-aa"))
    );
    // Her amendment is waiting to be sent; as it came, she wasn't.
    let waiting: Vec<RecordId> = phone
        .changes(0, 100)
        .await
        .unwrap()
        .iter()
        .map(|c| c.record.id())
        .collect();
    assert_eq!(waiting, vec![rosa.id()]);
    // Asked as another kind, the phone has no such record.
    assert!(phone
        .current(&[(rosa.id(), "note")])
        .await
        .unwrap()
        .is_empty());
    finish(&name, store).await;
}

#[wasm_bindgen_test]
async fn signing_out_without_keeping_the_records_removes_every_kind_and_the_log() {
    use hearth_app::storage::sync::Phone;
    use hearth_core::sync::Local;
    let (name, store) = fresh("remove-household").await;
    let phone = Phone(store.clone());
    assert!(
        !phone.holds_records().await.unwrap(),
        "a new phone holds none"
    );
    let meg = person("Meg");
    store.insert(&meg).await.unwrap();
    let (medicine, dose, away) = medicines_of(meg.id());
    store.insert(&medicine).await.unwrap();
    store.insert(&dose).await.unwrap();
    store.insert(&away).await.unwrap();
    store.set_setting("household_beds", &2u32).await.unwrap();
    assert!(phone.holds_records().await.unwrap());
    assert_eq!(store.waiting(0).await.unwrap(), 4);

    store.remove_household().await.unwrap();
    assert!(store.people().await.unwrap().is_empty());
    assert!(store
        .all::<hearth_core::medicine::Medicine>()
        .await
        .unwrap()
        .is_empty());
    assert!(store
        .all::<hearth_core::dose::DoseRecord>()
        .await
        .unwrap()
        .is_empty());
    assert!(
        store
            .all::<hearth_core::mar::Absence>()
            .await
            .unwrap()
            .is_empty(),
        "days away go too"
    );
    assert_eq!(store.waiting(0).await.unwrap(), 0, "and the change log");
    assert!(!phone.holds_records().await.unwrap());
    assert_eq!(
        store.setting::<u32>("household_beds").await.unwrap(),
        Some(2),
        "the phone's settings stay"
    );
    finish(&name, store).await;
}
