//! How long does restoring a backup of 20,000 records take? A measurement, in
//! headless Chromium against a real IndexedDB, of the steps the Backup screen
//! takes: write the file (`write_backup`), read and check it (`read_backup`:
//! parse, checksum, every version of every record re-checked), read what the
//! phone holds (`Store::backup_records`), plan (`plan_restore`) and write the
//! plan in one transaction (`Store::restore`).
//!
//! The household: 3 people over 3 years up to yesterday, most days two or
//! three notes, two check-ins and a visit or two for each, a planned stay
//! every week, a carer profile; some records amended and a few deleted,
//! 20,000 records in all. The backup is restored three ways: onto an empty
//! phone (a new database), onto a phone that already has all of it (the
//! phone just restored: the plan adds nothing), and onto a phone that has
//! half of it, some amended there differently (those are merged, both
//! versions kept). Each step is timed once.
//!
//! It prints its figures (look for `restore_speed:` in the output) and asserts
//! only that the work was really done: the file reads back as the records
//! written, the plan's counts, and that after each restore the phone holds
//! exactly what it should (every record compared) and a second plan finds
//! nothing new. Timings are never asserted. Run with
//! `cd app && cargo test --target wasm32-unknown-unknown --test restore_speed -- --nocapture`
//! (add `--release` for figures closer to the shipped app's).

mod common;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use common::{db_name, finish, ms, now_to_the_minute, open, random_id};
use hearth_app::lock::thousands;
use hearth_core::backup::{
    plan_restore, read_backup, write_backup, BackupRecords, KindCounts, RestorePlan,
};
use hearth_core::{
    Answered, Appetite, Arrangement, Body, CarerProfileDraft, CheckIn, CheckInDraft, FixedZone,
    Mood, Note, NoteDraft, Pain, Person, PersonDraft, Place, PlannedStayDraft, Record, Sleep,
    StayStatus, Topic, Visit, VisitDraft,
};
use std::fmt::Debug;
use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// Records in the backup, all kinds together.
const TOTAL: usize = 20_000;
/// Three years of days, up to yesterday.
const DAYS: i64 = 1096;
/// The people supported.
const PEOPLE: [&str; 3] = ["Meg", "Sam", "Joe"];
/// The carer, who signs every record, and her household.
const CARER: &str = "Ann";
const HOUSEHOLD: &str = "Ann and Dev's";
/// The other carer, who amends records on the second phone.
const OTHER_CARER: &str = "Dev";
/// A person's notes each day: morning, afternoon and evening, as (hour,
/// skipped every this many days).
const NOTE_SLOTS: [(u32, i64); 3] = [(9, 10), (14, 5), (20, 20)];
/// A person's check-ins each day: morning and evening, likewise.
const CHECKIN_SLOTS: [(u32, i64); 2] = [(8, 20), (19, 7)];

// ---- Helpers ----

/// Midday on `day`, UTC.
fn midday(day: NaiveDate) -> DateTime<Utc> {
    day.and_hms_opt(12, 0, 0).expect("midday exists").and_utc()
}

/// Amends `record` to `body`, `after` its last change (never after `now`).
fn amend<T: Body>(
    record: &mut Record<T>,
    body: T,
    author: &str,
    after: Duration,
    now: DateTime<Utc>,
) {
    let at = (record.updated_at() + after).min(now);
    record
        .amend(record.rev(), body, author, at)
        .unwrap_or_else(|e| panic!("amending a {}: {e:?}", T::KIND));
}

/// Deletes `record`, a day after its last change (never after `now`).
fn delete<T: Body>(record: &mut Record<T>, reason: &str, now: DateTime<Utc>) {
    let at = (record.updated_at() + Duration::days(1)).min(now);
    record
        .delete(record.rev(), reason, CARER, at)
        .unwrap_or_else(|e| panic!("deleting a {}: {e:?}", T::KIND));
}

/// Each kind's records sorted by id, as the database returns them.
fn by_id(records: &BackupRecords) -> BackupRecords {
    fn sort<T: Body>(records: &mut [Record<T>]) {
        records.sort_by_key(Record::id);
    }
    let mut sorted = records.clone();
    sort(&mut sorted.people);
    sort(&mut sorted.notes);
    sort(&mut sorted.checkins);
    sort(&mut sorted.visits);
    sort(&mut sorted.stays);
    sorted
}

/// Asserts that two lists of one kind are the same records, naming the first
/// that differs rather than printing thousands.
fn same_kind<T: Body + Debug>(what: &str, got: &[Record<T>], want: &[Record<T>]) {
    assert_eq!(got.len(), want.len(), "{what}: how many {}s", T::KIND);
    if let Some((g, w)) = got.iter().zip(want).find(|(g, w)| g != w) {
        panic!("{what}: a {} differs:\n got {g:?}\nwant {w:?}", T::KIND);
    }
}

/// Asserts that two households hold the same records (each kind in id order).
fn same_records(what: &str, got: &BackupRecords, want: &BackupRecords) {
    assert_eq!(got.profile, want.profile, "{what}: the carer profile");
    same_kind(what, &got.people, &want.people);
    same_kind(what, &got.notes, &want.notes);
    same_kind(what, &got.checkins, &want.checkins);
    same_kind(what, &got.visits, &want.visits);
    same_kind(what, &got.stays, &want.stays);
}

// ---- The household, as first saved ----

/// Every record as it was first saved, oldest first within each kind: no
/// amendments, no deletions yet.
fn first_saved(now: DateTime<Utc>) -> BackupRecords {
    let utc = FixedZone::utc();
    let today = now.date_naive();
    let start = midday(today - Duration::days(DAYS + 1));

    let profile = CarerProfileDraft {
        carer_name: CARER.into(),
        household_name: HOUSEHOLD.into(),
    }
    .validate()
    .expect("a valid profile");
    let people: Vec<Record<Person>> = PEOPLE
        .iter()
        .enumerate()
        .map(|(p, name)| {
            let body = PersonDraft {
                preferred_name: (*name).into(),
                full_name: format!("{name} Example"),
                arrangements: vec![Arrangement::DaySupport, Arrangement::ShortBreaks],
                date_of_birth: format!("{}-04-12", 1985 + 3 * p),
                communication: "Likes short sentences and time to answer.".into(),
                what_matters: "Music, the allotment, and seeing their sister on Sundays.".into(),
                contacts: Vec::new(),
                archived: false,
                ..Default::default()
            }
            .validate(today)
            .unwrap_or_else(|e| panic!("a valid person: {e:?}"));
            Record::create(random_id(), body, CARER, start)
        })
        .collect();
    let ids: Vec<String> = people.iter().map(|p| p.id().to_string()).collect();

    let mut notes = Vec::new();
    let mut checkins = Vec::new();
    let mut visits = Vec::new();
    for ago in (1..=DAYS).rev() {
        let day = hearth_core::dates::form_date(today - Duration::days(ago));
        for (p, person) in ids.iter().enumerate() {
            let p = p as i64;
            for (s, (hour, skip)) in NOTE_SLOTS.into_iter().enumerate() {
                let s = s as i64;
                if (ago + 3 * p + s) % skip == 0 {
                    continue;
                }
                let k = notes.len();
                let body = NoteDraft {
                    person_id: person.clone(),
                    date: day.clone(),
                    time: format!("{hour:02}:{:02}", (ago * 7 + s * 13 + p * 19) % 60),
                    text: match k % 5 {
                        0 => "A good day. Made scones and chose to walk to the shop.".into(),
                        1 => "Tired after the day centre; an early night.".into(),
                        2 => "Phoned their sister. Talked about the summer holiday and what to pack, and decided on the blue case.".into(),
                        3 => "Took their tablets with breakfast without a reminder.".into(),
                        _ => "Quiet evening with music.".into(),
                    },
                    topics: vec![Topic::ALL[k % Topic::ALL.len()]],
                    with_person: k % 3 == 0,
                }
                .validate(now, &utc)
                .unwrap_or_else(|e| panic!("a valid note {k}: {e:?}"));
                let saved = body.occurred_at().to_utc() + Duration::minutes(10);
                notes.push(Record::create(random_id(), body, CARER, saved));
            }
            for (s, (hour, skip)) in CHECKIN_SLOTS.into_iter().enumerate() {
                let s = s as i64;
                if (ago + 3 * p + s) % skip == 0 {
                    continue;
                }
                let k = checkins.len();
                let wave =
                    ((ago as f64) / 23.0 + p as f64).sin() * 1.6 + ((k as f64) * 1.7).sin() * 0.9;
                let body = CheckInDraft {
                    person_id: person.clone(),
                    date: day.clone(),
                    time: format!("{hour:02}:{:02}", (ago * 11 + s * 29 + p * 7) % 60),
                    mood: Some(Mood::ALL[(2.0 + wave).round().clamp(0.0, 4.0) as usize]),
                    answered: Some(match k % 10 {
                        0..=5 => Answered::Themselves,
                        6..=8 => Answered::WithHelp,
                        _ => Answered::CarerObserved,
                    }),
                    sleep: (k % 3 == 0).then(|| Sleep::ALL[(k / 3) % Sleep::ALL.len()]),
                    appetite: (k % 4 == 0).then(|| Appetite::ALL[(k / 4) % Appetite::ALL.len()]),
                    pain: (k % 5 == 0).then(|| Pain::ALL[(k / 5) % Pain::ALL.len()]),
                    ons4: if k % 7 == 0 {
                        [5 + k % 6, 4 + (k / 7) % 7, 3 + k % 8, k % 11].map(|v| v.to_string())
                    } else {
                        Default::default()
                    },
                    own_words: if k % 9 == 0 {
                        "Went to the allotment and saw the robin again.".into()
                    } else {
                        String::new()
                    },
                }
                .validate(now, &utc)
                .unwrap_or_else(|e| panic!("a valid check-in {k}: {e:?}"));
                let saved = body.occurred_at().to_utc() + Duration::minutes(5);
                checkins.push(Record::create(random_id(), body, CARER, saved));
            }
            // Day support most mornings, and on five afternoons in seven.
            let slots = [
                ((ago + p) % 7 != 6).then_some((10, 1 + ago % 2)),
                ((ago + 2 * p) % 7 < 5).then_some((14, 1 + (ago + p) % 3)),
            ];
            for (hour, hours) in slots.into_iter().flatten() {
                let k = visits.len();
                let place = Place::ALL[k % Place::ALL.len()];
                let minute = 15 * (k % 4);
                let body = VisitDraft {
                    person_id: person.clone(),
                    kind: Some(Arrangement::DaySupport),
                    start_date: day.clone(),
                    start_time: format!("{hour:02}:{minute:02}"),
                    end_date: day.clone(),
                    end_time: format!("{:02}:{minute:02}", hour + hours),
                    place: Some(place),
                    where_else: if place == Place::Other {
                        "The library".into()
                    } else {
                        String::new()
                    },
                    what_happened: if k % 3 == 0 {
                        "Baked bread, then a walk by the canal.".into()
                    } else {
                        String::new()
                    },
                    ..Default::default()
                }
                .validate(now, &utc)
                .unwrap_or_else(|e| panic!("a valid visit {k}: {e:?}"));
                let saved = body.end().to_utc() + Duration::minutes(20);
                visits.push(Record::create(random_id(), body, CARER, saved));
            }
        }
    }

    // A planned stay a week, for the three in turn, from 1,000 days ago, as
    // many as bring the total to exactly TOTAL.
    let so_far = 1 + people.len() + notes.len() + checkins.len() + visits.len();
    let n_stays = TOTAL
        .checked_sub(so_far)
        .unwrap_or_else(|| panic!("{so_far} records before the stays: more than {TOTAL}"));
    assert!(
        (100..=250).contains(&n_stays),
        "a stay a week or so: {n_stays} stays"
    );
    let stays = (0..n_stays)
        .map(|i| {
            let arrival = today - Duration::days(1000) + Duration::days(7 * i as i64);
            let body = PlannedStayDraft {
                person_id: ids[i % ids.len()].clone(),
                arrival: hearth_core::dates::form_date(arrival),
                departure: hearth_core::dates::form_date(
                    arrival + Duration::days(1 + (i % 3) as i64),
                ),
                arrival_time: if i % 2 == 0 {
                    "17:00".into()
                } else {
                    String::new()
                },
                departure_time: if i % 2 == 0 {
                    "10:00".into()
                } else {
                    String::new()
                },
                status: Some(if i % 9 == 0 {
                    StayStatus::Cancelled
                } else if arrival < today || i % 2 == 0 {
                    StayStatus::Confirmed
                } else {
                    StayStatus::Planned
                }),
                notes_for_person: if i % 5 == 0 {
                    "Bring your swimming things.".into()
                } else {
                    String::new()
                },
                host: HOUSEHOLD.into(),
            }
            .validate()
            .unwrap_or_else(|e| panic!("a valid planned stay {i}: {e:?}"));
            let saved = midday(arrival - Duration::days(30)).min(now);
            Record::create(random_id(), body, CARER, saved)
        })
        .collect();

    BackupRecords {
        profile: Some(Record::create(random_id(), profile, CARER, start)),
        people,
        notes,
        checkins,
        visits,
        stays,
        ..Default::default()
    }
}

// ---- Amendments ----

fn note_with(n: &Note, more: &str, now: DateTime<Utc>) -> Note {
    NoteDraft {
        text: format!("{} {more}", n.text()),
        ..NoteDraft::from_note(n)
    }
    .validate(now, &FixedZone::utc())
    .expect("an amended note")
}

fn checkin_with(c: &CheckIn, own_words: &str, brighter: bool, now: DateTime<Utc>) -> CheckIn {
    let mood = Mood::ALL
        .iter()
        .position(|m| *m == c.mood())
        .expect("a mood");
    let mood = if brighter { (mood + 1).min(4) } else { mood };
    CheckInDraft {
        mood: Some(Mood::ALL[mood]),
        own_words: own_words.into(),
        ..CheckInDraft::from_checkin(c)
    }
    .validate(now, &FixedZone::utc())
    .expect("an amended check-in")
}

fn visit_with(
    v: &Visit,
    what_happened: Option<&str>,
    others: Option<&str>,
    now: DateTime<Utc>,
) -> Visit {
    let draft = VisitDraft::from_visit(v);
    VisitDraft {
        what_happened: what_happened.map_or(draft.what_happened.clone(), str::to_string),
        others_present: others.map_or(draft.others_present.clone(), str::to_string),
        ..draft
    }
    .validate(now, &FixedZone::utc())
    .expect("an amended visit")
}

/// Which records the backup's phone changed after first saving them, by their
/// place in their kind's list: (amended when `k % every == at`, deleted when
/// `k % every == at`).
const NOTE_CHANGES: ((usize, usize), (usize, usize)) = ((25, 4), (400, 200));
const CHECKIN_CHANGES: ((usize, usize), (usize, usize)) = ((30, 6), (500, 250));
const VISIT_CHANGES: ((usize, usize), (usize, usize)) = ((40, 8), (600, 300));
const STAY_CHANGES: ((usize, usize), (usize, usize)) = ((4, 2), (25, 12));

fn picked(k: usize, (every, at): (usize, usize)) -> bool {
    k % every == at
}

/// The household as backed up: the first-saved records, some amended since
/// (a note's text added to, a check-in's mood and words, what happened on a
/// visit, a stay's notes, Sam's communication, the household's name) and a
/// few deleted.
fn changed(first: &BackupRecords, now: DateTime<Utc>) -> BackupRecords {
    let hour = Duration::hours(1);
    let mut r = first.clone();
    if let Some(profile) = r.profile.as_mut() {
        let body = CarerProfileDraft {
            household_name: "Ann, Dev and Rosie's".into(),
            ..CarerProfileDraft::from_profile(profile.body())
        }
        .validate()
        .expect("an amended profile");
        amend(profile, body, CARER, Duration::days(200), now);
    }
    let sam = &mut r.people[1];
    let body = PersonDraft {
        communication: "Likes short sentences, time to answer, and pictures for new places.".into(),
        ..PersonDraft::from_person(sam.body())
    }
    .validate(now.date_naive())
    .expect("an amended person");
    amend(sam, body, CARER, Duration::days(300), now);

    for (k, note) in r.notes.iter_mut().enumerate() {
        if picked(k, NOTE_CHANGES.0) {
            let body = note_with(note.body(), "Later: said they had enjoyed it.", now);
            amend(note, body, CARER, hour, now);
        }
        if picked(k, NOTE_CHANGES.1) {
            delete(note, "Written for the wrong person", now);
        }
    }
    for (k, checkin) in r.checkins.iter_mut().enumerate() {
        if picked(k, CHECKIN_CHANGES.0) {
            let body = checkin_with(
                checkin.body(),
                "Said later it had been a better day than it looked.",
                true,
                now,
            );
            amend(checkin, body, CARER, hour, now);
        }
        if picked(k, CHECKIN_CHANGES.1) {
            delete(checkin, "Entered twice", now);
        }
    }
    for (k, visit) in r.visits.iter_mut().enumerate() {
        if picked(k, VISIT_CHANGES.0) {
            let body = visit_with(
                visit.body(),
                Some("Swimming, then lunch at the cafe by the park."),
                None,
                now,
            );
            amend(visit, body, CARER, hour, now);
        }
        if picked(k, VISIT_CHANGES.1) {
            delete(visit, "Entered twice", now);
        }
    }
    for (k, stay) in r.stays.iter_mut().enumerate() {
        if picked(k, STAY_CHANGES.0) {
            let body = PlannedStayDraft {
                notes_for_person: "Bring your swimming things and a warm coat.".into(),
                ..PlannedStayDraft::from_stay(stay.body())
            }
            .validate()
            .expect("an amended planned stay");
            amend(stay, body, CARER, Duration::days(2), now);
        }
        if picked(k, STAY_CHANGES.1) {
            delete(stay, "Dates changed: planned again", now);
        }
    }
    r
}

// ---- The second phone: half of it, some amended differently ----

/// Every other record of a kind (the even places), as first saved.
fn half<T: Body>(records: &[Record<T>]) -> Vec<Record<T>> {
    records.iter().step_by(2).cloned().collect()
}

/// Which of the second phone's records its carer amended there, by their
/// place in the backup's list: amended in the backup too (a fork) when
/// `k % every == fork`, only here when `k % every == only_here`.
const PHONE_NOTES: (usize, usize, usize) = (50, 4, 10);
const PHONE_CHECKINS: (usize, usize, usize) = (60, 6, 20);
const PHONE_VISITS: (usize, usize, usize) = (80, 8, 20);

fn amended_here(k: usize, (every, fork, only_here): (usize, usize, usize)) -> bool {
    k % every == fork || k % every == only_here
}

/// A phone that was given the household's first-saved records in the even
/// places (and everyone, and the profile), then had some of them amended by
/// another carer, differently from the backup.
fn second_phone(first: &BackupRecords, now: DateTime<Utc>) -> BackupRecords {
    let later = Duration::hours(3);
    let mut r = BackupRecords {
        profile: first.profile.clone(),
        people: first.people.clone(),
        notes: half(&first.notes),
        checkins: half(&first.checkins),
        visits: half(&first.visits),
        stays: half(&first.stays),
        ..Default::default()
    };
    for (j, note) in r.notes.iter_mut().enumerate() {
        if amended_here(2 * j, PHONE_NOTES) {
            let body = note_with(note.body(), "(Dev: tired in the evening.)", now);
            amend(note, body, OTHER_CARER, later, now);
        }
    }
    for (j, checkin) in r.checkins.iter_mut().enumerate() {
        if amended_here(2 * j, PHONE_CHECKINS) {
            let body = checkin_with(
                checkin.body(),
                "Dev: quiet, but smiled at lunch.",
                false,
                now,
            );
            amend(checkin, body, OTHER_CARER, later, now);
        }
    }
    for (j, visit) in r.visits.iter_mut().enumerate() {
        if amended_here(2 * j, PHONE_VISITS) {
            let body = visit_with(visit.body(), None, Some("Dev and Rosie"), now);
            amend(visit, body, OTHER_CARER, later, now);
        }
    }
    r
}

/// What restoring `backup` onto the second phone must do with one kind: the
/// odd places are added; an even place is merged when the backup's copy
/// changed since first saved, and otherwise unchanged (the phone's copy is
/// the same or later); and what the phone then holds.
struct KindExpected<T> {
    added: usize,
    merged: usize,
    unchanged: usize,
    after: Vec<Record<T>>,
}

fn expect_kind<T: Body>(
    first: &[Record<T>],
    backup: &[Record<T>],
    phone: &[Record<T>],
) -> KindExpected<T> {
    let mut e = KindExpected {
        added: 0,
        merged: 0,
        unchanged: 0,
        after: Vec::with_capacity(backup.len()),
    };
    for (k, theirs) in backup.iter().enumerate() {
        if k % 2 == 1 {
            e.added += 1;
            e.after.push(theirs.clone());
        } else {
            let ours = &phone[k / 2];
            if *theirs == first[k] {
                e.unchanged += 1;
                e.after.push(ours.clone());
            } else {
                e.merged += 1;
                e.after.push(ours.merge(theirs));
            }
        }
    }
    e.after.sort_by_key(Record::id);
    e
}

/// How many of a kind's records were amended on both phones.
fn forks(n: usize, (every, fork, _): (usize, usize, usize)) -> usize {
    (0..n).filter(|k| k % every == fork).count()
}

fn kinds(c: &KindCounts) -> String {
    let mut parts: Vec<String> = [
        (c.people, "people"),
        (c.notes, "notes"),
        (c.checkins, "check-ins"),
        (c.visits, "visits"),
        (c.stays, "stays"),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, kind)| format!("{} {kind}", thousands(n)))
    .collect();
    if c.profile {
        parts.push("the profile".into());
    }
    parts.join(", ")
}

fn plan_line(plan: &RestorePlan) -> String {
    format!(
        "adds {} ({}), merges {}, leaves {} unchanged",
        thousands(plan.added.total()),
        kinds(&plan.added),
        thousands(plan.merged),
        thousands(plan.unchanged)
    )
}

// ---- The measurement ----

#[wasm_bindgen_test]
async fn restoring_a_backup_of_20000_records() {
    let now = now_to_the_minute();

    // ---- The household ----
    let start = ms();
    let first = first_saved(now);
    let records = changed(&first, now);
    let made = ms() - start;
    assert_eq!(records.count(), TOTAL);
    let amended = |c: &BackupRecords| {
        usize::from(c.profile.as_ref().is_some_and(Record::is_amended))
            + c.people.iter().filter(|r| r.is_amended()).count()
            + c.notes.iter().filter(|r| r.is_amended()).count()
            + c.checkins.iter().filter(|r| r.is_amended()).count()
            + c.visits.iter().filter(|r| r.is_amended()).count()
            + c.stays.iter().filter(|r| r.is_amended()).count()
    };
    let deleted = records.notes.iter().filter(|r| !r.is_live()).count()
        + records.checkins.iter().filter(|r| !r.is_live()).count()
        + records.visits.iter().filter(|r| !r.is_live()).count()
        + records.stays.iter().filter(|r| !r.is_live()).count();
    let household = format!(
        "{} people, {} to {}: {} notes, {} check-ins, {} visits, {} planned stays, a profile; {} amended, {} deleted",
        records.people.len(),
        records.notes[0].body().day(),
        now.date_naive() - Duration::days(1),
        thousands(records.notes.len()),
        thousands(records.checkins.len()),
        thousands(records.visits.len()),
        records.stays.len(),
        amended(&records),
        deleted,
    );

    // ---- Write the file, read it back ----
    let start = ms();
    let text = write_backup(&records, env!("CARGO_PKG_VERSION"), HOUSEHOLD, now);
    let write = ms() - start;
    let megabytes = text.len() as f64 / 1_000_000.0;

    let start = ms();
    let backup = read_backup(&text, now).unwrap_or_else(|e| panic!("the backup reads: {e:?}"));
    let read = ms() - start;
    same_records("the file read back", &backup.records, &records);
    assert_eq!(backup.household, HOUSEHOLD);

    // ---- Onto an empty phone ----
    let empty_name = db_name("restore-speed-empty");
    let store = open(&empty_name).await;
    let start = ms();
    let existing = store.backup_records().await.expect("the phone read");
    let read_empty = ms() - start;
    assert_eq!(existing.count(), 0, "a new phone holds nothing");
    let start = ms();
    let plan = plan_restore(&backup.records, &existing);
    let plan_empty = ms() - start;
    assert_eq!(plan.added.total(), TOTAL, "everything is added");
    assert_eq!((plan.merged, plan.unchanged), (0, 0));
    assert_eq!(plan.records.count(), TOTAL);
    let start = ms();
    store.restore(&plan.records).await.expect("the restore");
    let restore_empty = ms() - start;
    let plan_empty_line = plan_line(&plan);
    drop(plan);

    let start = ms();
    let restored = store.backup_records().await.expect("the phone read");
    let reread_empty = ms() - start;
    let sorted_backup = by_id(&backup.records);
    same_records("the empty phone after", &restored, &sorted_backup);

    // ---- Onto the same phone again: it already has all of it ----
    let start = ms();
    let existing = store.backup_records().await.expect("the phone read");
    let read_full = ms() - start;
    let start = ms();
    let plan = plan_restore(&backup.records, &existing);
    let plan_full = ms() - start;
    assert_eq!(plan.records.count(), 0, "nothing new to write");
    assert_eq!(plan.added.total() + plan.merged, 0);
    assert_eq!(plan.unchanged, TOTAL, "every record already here");
    assert_eq!(
        plan.summary(),
        "Nothing new: everything in this backup is already here."
    );
    finish(&empty_name, store).await;
    drop((existing, restored));

    // ---- Onto a phone with half of it, some amended there differently ----
    let phone = second_phone(&first, now);
    let half_name = db_name("restore-speed-half");
    let store = open(&half_name).await;
    let start = ms();
    store.restore(&phone).await.expect("the half stored");
    let store_half = ms() - start;

    let start = ms();
    let existing = store.backup_records().await.expect("the phone read");
    let read_half = ms() - start;
    same_records("the half phone", &existing, &by_id(&phone));
    let start = ms();
    let plan = plan_restore(&backup.records, &existing);
    let plan_half = ms() - start;

    let notes = expect_kind(&first.notes, &records.notes, &phone.notes);
    let checkins = expect_kind(&first.checkins, &records.checkins, &phone.checkins);
    let visits = expect_kind(&first.visits, &records.visits, &phone.visits);
    let stays = expect_kind(&first.stays, &records.stays, &phone.stays);
    // Everyone and the profile are on the phone as first saved; Sam and the
    // profile were amended in the backup since, so they are merged.
    let merged_people = records
        .people
        .iter()
        .zip(&first.people)
        .filter(|(b, f)| b != f)
        .count();
    let profile_merged = records.profile != first.profile;
    assert_eq!(
        plan.added,
        KindCounts {
            people: 0,
            notes: notes.added,
            checkins: checkins.added,
            visits: visits.added,
            stays: stays.added,
            profile: false,
            ..Default::default()
        },
        "the odd places are added"
    );
    let merged = notes.merged
        + checkins.merged
        + visits.merged
        + stays.merged
        + merged_people
        + usize::from(profile_merged);
    assert!(merged > 0, "some records are merged");
    assert_eq!(plan.merged, merged, "records changed in the backup since");
    let unchanged = notes.unchanged
        + checkins.unchanged
        + visits.unchanged
        + stays.unchanged
        + (records.people.len() - merged_people)
        + usize::from(!profile_merged);
    assert_eq!(plan.unchanged, unchanged, "the rest are unchanged");
    assert_eq!(plan.added.total() + merged + unchanged, TOTAL);
    assert!(!plan.profile_kept, "the same profile record");
    let start = ms();
    store.restore(&plan.records).await.expect("the restore");
    let restore_half = ms() - start;
    let plan_half_line = plan_line(&plan);
    drop(plan);

    let start = ms();
    let after = store.backup_records().await.expect("the phone read");
    let reread_half = ms() - start;
    assert_eq!(after.count(), TOTAL, "every record of the backup is here");
    let want_people: Vec<Record<Person>> = {
        let mut people: Vec<Record<Person>> = phone
            .people
            .iter()
            .zip(&records.people)
            .map(|(ours, theirs)| ours.merge(theirs))
            .collect();
        people.sort_by_key(Record::id);
        people
    };
    let want = BackupRecords {
        profile: phone
            .profile
            .as_ref()
            .zip(records.profile.as_ref())
            .map(|(ours, theirs)| ours.merge(theirs)),
        people: want_people,
        notes: notes.after,
        checkins: checkins.after,
        visits: visits.after,
        stays: stays.after,
        ..Default::default()
    };
    same_records("the half phone after", &after, &want);
    // Where both carers amended a record, both amendments are kept.
    let fork_notes: Vec<&Record<Note>> = after
        .notes
        .iter()
        .filter(|n| n.versions().any(|(b, _)| b.text().contains("(Dev:")))
        .filter(|n| n.versions().any(|(b, _)| b.text().contains("Later:")))
        .collect();
    assert_eq!(
        fork_notes.len(),
        forks(records.notes.len(), PHONE_NOTES),
        "notes amended on both phones keep both amendments"
    );
    let again = plan_restore(&backup.records, &after);
    assert_eq!(again.records.count(), 0, "a second restore adds nothing");
    assert_eq!(again.unchanged, TOTAL);
    finish(&half_name, store).await;

    // ---- The figures ----
    let total = write + read + plan_empty + restore_empty;
    let waits = read + read_empty + plan_empty + restore_empty;
    console_log!(
        "restore_speed: {} records ({}); made in {:.0} ms",
        thousands(TOTAL),
        household,
        made
    );
    console_log!(
        "restore_speed: backup file {:.1} MB ({} bytes); each step timed once",
        megabytes,
        thousands(text.len())
    );
    console_log!("restore_speed:   onto an empty phone: {plan_empty_line}");
    for (step, time) in [
        ("write_backup (the file)", write),
        ("read_backup (parse, checksum, re-check)", read),
        ("read the phone (backup_records)", read_empty),
        ("plan_restore", plan_empty),
        ("Store::restore (one transaction)", restore_empty),
        ("read back (backup_records)", reread_empty),
    ] {
        console_log!("restore_speed:     {step:<42} {time:>9.1} ms");
    }
    console_log!("restore_speed:   onto the same phone again (it has all of it): nothing new");
    for (step, time) in [
        ("read the phone (backup_records)", read_full),
        ("plan_restore", plan_full),
    ] {
        console_log!("restore_speed:     {step:<42} {time:>9.1} ms");
    }
    console_log!(
        "restore_speed:   onto a phone with half of it ({} records, {} amended there, {} of those also in the backup): {plan_half_line}",
        thousands(phone.count()),
        amended(&phone),
        forks(records.notes.len(), PHONE_NOTES)
            + forks(records.checkins.len(), PHONE_CHECKINS)
            + forks(records.visits.len(), PHONE_VISITS),
    );
    for (step, time) in [
        ("(setup: the half stored, one transaction)", store_half),
        ("read the phone (backup_records)", read_half),
        ("plan_restore", plan_half),
        ("Store::restore (one transaction)", restore_half),
        ("read back (backup_records)", reread_half),
    ] {
        console_log!("restore_speed:     {step:<42} {time:>9.1} ms");
    }
    console_log!(
        "restore_speed: {} records ({} people, 3 years), backup file {:.1} MB; write {:.0} ms, read+check {:.0} ms, plan {:.0} ms, restore (one transaction) {:.0} ms, total {:.0} ms; the carer waits {:.0} ms (read+check, read phone, plan, restore)",
        thousands(TOTAL),
        PEOPLE.len(),
        megabytes,
        write,
        read,
        plan_empty,
        restore_empty,
        total,
        waits,
    );
}
