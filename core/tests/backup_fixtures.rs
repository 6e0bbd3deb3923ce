//! Backup files of every format version Hearth has ever written, kept in
//! `tests/fixtures/`: each must keep reading and restoring, for as long as
//! carers may hold such a file.
//!
//! `backup-v1.json` was written by [`write_v1_fixture`] from the household
//! below. Never regenerate a released fixture: when the format changes, add a
//! `backup-v2.json` beside it and keep this one as it is.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};
use hearth_core::backup::{plan_restore, read_backup, write_backup, BackupRecords};
use hearth_core::{
    Answered, Appetite, Arrangement, CarerProfileDraft, CheckInDraft, ContactDraft, LocalZone,
    Mood, NoteDraft, Pain, PersonDraft, Place, PlannedStayDraft, Record, RecordId, Sleep,
    StayStatus, Topic, VisitDraft,
};
use std::path::PathBuf;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn every_fixture() -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = std::fs::read_dir(fixtures())
        .expect("tests/fixtures exists")
        .map(|entry| entry.expect("a readable directory entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (
                name,
                std::fs::read_to_string(&path).expect("a readable fixture"),
            )
        })
        .collect();
    files.sort();
    files
}

#[test]
fn every_fixture_reads_and_restores_onto_an_empty_phone() {
    let files = every_fixture();
    assert!(
        files.iter().any(|(name, _)| name == "backup-v1.json"),
        "the version 1 fixture is there"
    );
    for (name, text) in files {
        let backup = read_backup(&text, now()).unwrap_or_else(|e| panic!("{name}: {e}"));
        let plan = plan_restore(&backup.records, &BackupRecords::default());
        assert_eq!(plan.added.total(), backup.records.count(), "{name}");
        assert_eq!((plan.unchanged, plan.merged), (0, 0), "{name}");
        assert_eq!(plan.records, backup.records, "{name}: written as they are");
        // Restoring the same file again finds everything already there.
        let again = plan_restore(&backup.records, &plan.records);
        assert_eq!(again.records.count(), 0, "{name}");
        assert_eq!(again.unchanged, backup.records.count(), "{name}");
        assert_eq!(
            again.summary(),
            "Nothing new: everything in this backup is already here.",
            "{name}"
        );
    }
}

#[test]
fn the_v1_fixture_holds_the_whole_household() {
    let text = std::fs::read_to_string(fixtures().join("backup-v1.json")).unwrap();
    let backup = read_backup(&text, now()).unwrap();
    assert_eq!(backup.format_version, 1);
    assert_eq!(backup.household, "Ann and Dev's");
    let r = &backup.records;
    assert_eq!(r.profile.as_ref().unwrap().body().carer_name(), "Ann");
    assert_eq!(r.people.len(), 2);
    assert!(r.notes.iter().any(|n| n.is_amended()), "an amended note");
    assert!(r.notes.iter().any(|n| !n.is_live()), "a deleted note");
    assert!(!r.checkins.is_empty() && !r.visits.is_empty() && !r.stays.is_empty());
    let across = r
        .visits
        .iter()
        .find(|v| v.body().start().offset() != v.body().end().offset())
        .expect("a stay across the clocks going back");
    assert_eq!(across.body().nights(), 2);
    let plan = plan_restore(r, &BackupRecords::default());
    assert_eq!(
        plan.summary(),
        "Adds 4 notes, 3 check-ins, 2 people, 2 visits, 2 planned stays and your carer details."
    );
}

#[test]
fn the_household_round_trips_through_todays_writer() {
    let records = household();
    let text = write_backup(&records, "0.1.0", "Ann and Dev's", now());
    assert_eq!(read_backup(&text, now()).unwrap().records, records);
}

/// The v1 fixture holds exactly the household below. When a format version is
/// first released, its fixture is written once with
/// `HEARTH_WRITE_FIXTURE=1 cargo test -p hearth-core --test backup_fixtures`
/// and committed; after that it never changes.
#[test]
fn the_v1_fixture_is_the_household_it_was_written_from() {
    let path = fixtures().join("backup-v1.json");
    if std::env::var_os("HEARTH_WRITE_FIXTURE").is_some() {
        let text = write_backup(&household(), "0.1.0", "Ann and Dev's", now());
        std::fs::create_dir_all(fixtures()).unwrap();
        std::fs::write(&path, text + "\n").unwrap();
    }
    let stored = std::fs::read_to_string(&path).expect("the v1 fixture is committed");
    let backup = read_backup(&stored, now()).expect("the v1 fixture reads");
    assert_eq!(backup.format_version, 1);
    assert_eq!(backup.records, household());
}

// ---- The household ----

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 18, 0, 0).unwrap()
}

fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
}

fn id(n: u8) -> RecordId {
    RecordId::from_random_bytes([n; 16])
}

/// London in 2026: BST until 01:00 UTC on 25 October.
struct London;
impl LocalZone for London {
    fn offset_at(&self, instant: DateTime<Utc>) -> FixedOffset {
        let summer = instant >= at(2026, 3, 29, 1, 0) && instant < at(2026, 10, 25, 1, 0);
        FixedOffset::east_opt(if summer { 3600 } else { 0 }).unwrap()
    }
    fn offset_for_local(&self, local: NaiveDateTime) -> FixedOffset {
        let day = |m, d, h| {
            NaiveDate::from_ymd_opt(2026, m, d)
                .unwrap()
                .and_hms_opt(h, 0, 0)
                .unwrap()
        };
        let summer = local >= day(3, 29, 2) && local < day(10, 25, 2);
        FixedOffset::east_opt(if summer { 3600 } else { 0 }).unwrap()
    }
}

/// A small, realistic household: Ann and Dev support Meg (short breaks and day
/// support) and Sam (long-term). Notes with an amendment and a deletion,
/// check-ins, visits (one across the clocks going back), planned stays.
fn household() -> BackupRecords {
    let (meg, sam) = (id(1), id(2));

    let profile = Record::create(
        id(10),
        CarerProfileDraft {
            carer_name: "Ann".into(),
            household_name: "Ann and Dev's".into(),
        }
        .validate()
        .unwrap(),
        "Ann",
        at(2026, 10, 1, 9, 0),
    );

    let meg_draft = PersonDraft {
        preferred_name: "Meg".into(),
        full_name: "Margaret Jones".into(),
        arrangements: vec![Arrangement::ShortBreaks, Arrangement::DaySupport],
        date_of_birth: "1984-12-05".into(),
        communication: "Uses Makaton; give her time to answer.".into(),
        what_matters: "Her cat Biscuit, swimming on Fridays, Siân at the café.".into(),
        contacts: vec![ContactDraft {
            name: "Jan Jones".into(),
            role: "Mum".into(),
            phone: "07700 900123".into(),
        }],
        archived: false,
        ..Default::default()
    };
    let today = NaiveDate::from_ymd_opt(2026, 10, 1).unwrap();
    let mut meg_record = Record::create(
        meg,
        meg_draft.validate(today).unwrap(),
        "Ann",
        at(2026, 10, 1, 9, 10),
    );
    let mut with_gp = meg_draft.clone();
    with_gp.contacts.push(ContactDraft {
        name: "Dr Patel".into(),
        role: "GP".into(),
        phone: "+44 161 496 0000".into(),
    });
    meg_record
        .amend(
            1,
            with_gp.validate(today).unwrap(),
            "Dev",
            at(2026, 10, 20, 12, 0),
        )
        .unwrap();
    let sam_record = Record::create(
        sam,
        PersonDraft {
            preferred_name: "Sam".into(),
            full_name: "Samuel Okafor".into(),
            arrangements: vec![Arrangement::LongTerm],
            communication: "Short sentences, one question at a time.".into(),
            what_matters: "Football on Saturdays and phoning his brother Tayo.".into(),
            ..Default::default()
        }
        .validate(today)
        .unwrap(),
        "Ann",
        at(2026, 10, 1, 9, 20),
    );

    let note = |person: RecordId, date: &str, time: &str, text: &str, topics: Vec<Topic>| {
        NoteDraft {
            person_id: person.to_string(),
            date: date.into(),
            time: time.into(),
            text: text.into(),
            topics,
            with_person: true,
        }
        .validate(now(), &London)
        .unwrap()
    };
    let n1 = Record::create(
        id(20),
        note(
            meg,
            "2026-10-10",
            "14:30",
            "Meg made scones and chose to walk to the shop.",
            vec![Topic::Activities, Topic::EatingDrinking],
        ),
        "Ann",
        at(2026, 10, 10, 13, 40),
    );
    let mut n2 = Record::create(
        id(21),
        note(
            sam,
            "2026-10-12",
            "20:15",
            "Sam phoned his brother; he was cheerful after.",
            vec![Topic::Relationships],
        ),
        "Dev",
        at(2026, 10, 12, 19, 20),
    );
    n2.amend(
        1,
        note(
            sam,
            "2026-10-12",
            "20:15",
            "Sam phoned his brother Tayo and was cheerful afterwards.",
            vec![Topic::Relationships],
        ),
        "Dev",
        at(2026, 10, 13, 8, 0),
    )
    .unwrap();
    let mut n3 = Record::create(
        id(22),
        note(
            meg,
            "2026-11-02",
            "11:00",
            "Went to the dentist; no treatment needed.",
            vec![Topic::Health],
        ),
        "Ann",
        at(2026, 11, 2, 11, 30),
    );
    n3.delete(
        1,
        "Written for the wrong person",
        "Ann",
        at(2026, 11, 2, 11, 45),
    )
    .unwrap();
    // Written later, without Sam, with the seconds a browser's time field can give.
    let n4 = Record::create(
        id(23),
        NoteDraft {
            person_id: sam.to_string(),
            date: "2026-11-20".into(),
            time: "09:05:30".into(),
            text: "Sam said he slept badly: the heating was too loud.".into(),
            topics: vec![Topic::Sleep],
            with_person: false,
        }
        .validate(now(), &London)
        .unwrap(),
        "Dev",
        at(2026, 11, 20, 9, 10),
    );

    let checkin = |draft: CheckInDraft| draft.validate(now(), &London).unwrap();
    let c1 = Record::create(
        id(30),
        checkin(CheckInDraft {
            mood: Some(Mood::Good),
            sleep: Some(Sleep::Good),
            ..CheckInDraft::now_for(Some(meg), at(2026, 10, 10, 14, 0), &London)
        }),
        "Ann",
        at(2026, 10, 10, 14, 2),
    );
    let c2 = Record::create(
        id(31),
        checkin(CheckInDraft {
            mood: Some(Mood::Low),
            answered: Some(Answered::CarerObserved),
            pain: Some(Pain::Some),
            appetite: Some(Appetite::Less),
            own_words: "My back hurts.".into(),
            ..CheckInDraft::now_for(Some(sam), at(2026, 11, 20, 9, 10), &London)
        }),
        "Dev",
        at(2026, 11, 20, 9, 12),
    );
    let c3 = Record::create(
        id(32),
        checkin(CheckInDraft {
            mood: Some(Mood::Great),
            answered: Some(Answered::WithHelp),
            ons4: ["8".into(), "9".into(), "7".into(), "2".into()],
            ..CheckInDraft::now_for(Some(meg), at(2026, 11, 21, 10, 0), &London)
        }),
        "Ann",
        at(2026, 11, 21, 10, 5),
    );

    let past_stay = Record::create(
        id(50),
        PlannedStayDraft {
            arrival: "2026-10-24".into(),
            departure: "2026-10-26".into(),
            status: Some(StayStatus::Confirmed),
            ..PlannedStayDraft::new_for(Some(meg), "Ann and Dev's")
        }
        .validate()
        .unwrap(),
        "Ann",
        at(2026, 10, 5, 18, 0),
    );
    let december = PlannedStayDraft {
        arrival: "2026-12-11".into(),
        departure: "2026-12-13".into(),
        arrival_time: "17:30".into(),
        notes_for_person: "Bring your swimming things.".into(),
        ..PlannedStayDraft::new_for(Some(meg), "Ann and Dev's")
    };
    let mut next_stay = Record::create(
        id(51),
        december.validate().unwrap(),
        "Ann",
        at(2026, 11, 15, 19, 0),
    );
    next_stay
        .amend(
            1,
            next_stay.body().with_status(StayStatus::Confirmed),
            "Ann",
            at(2026, 11, 18, 8, 30),
        )
        .unwrap();

    let v1 = Record::create(
        id(40),
        VisitDraft {
            person_id: meg.to_string(),
            kind: Some(Arrangement::DaySupport),
            start_date: "2026-11-06".into(),
            start_time: "10:00".into(),
            end_date: "2026-11-06".into(),
            end_time: "15:30".into(),
            place: Some(Place::Other),
            where_else: "Swimming pool and the café".into(),
            what_happened: "Swam four lengths; chose a hot chocolate.".into(),
            others_present: "Dev".into(),
            planned_stay: None,
        }
        .validate(now(), &London)
        .unwrap(),
        "Dev",
        at(2026, 11, 6, 16, 0),
    );
    let v2 = Record::create(
        id(41),
        VisitDraft::from_stay(past_stay.id(), past_stay.body())
            .validate(now(), &London)
            .unwrap(),
        "Ann",
        at(2026, 10, 26, 10, 30),
    );

    BackupRecords {
        profile: Some(profile),
        people: vec![meg_record, sam_record],
        notes: vec![n1, n2, n3, n4],
        checkins: vec![c1, c2, c3],
        visits: vec![v1, v2],
        stays: vec![past_stay, next_stay],
        ..BackupRecords::default()
    }
}
