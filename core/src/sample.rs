//! Sample data: three people and their records over a chosen number of days,
//! so that someone trying Hearth sees a lived-in app, and so that the speed
//! measurements have years of believable records to read.
//!
//! Everything is made the normal way (a draft, validated by core, put in a
//! [`Record`]) and is deterministic: the same seed, "now", zone and size give
//! the same records, ids included. Every record is signed by
//! [`SAMPLE_AUTHOR`], so sample records can always be told apart from the
//! carer's own, on this phone and after a backup or (one day) a sync.
//!
//! What a day holds, for each of the three people (counted from the first day
//! up to now, nothing in the future except planned stays):
//! - notes: up to three (morning, afternoon, evening), each written on about
//!   five days in six;
//! - wellbeing check-ins: up to two (morning and evening), each on about nine
//!   days in ten, with moods that run in spells (good weeks, a low patch);
//! - visits: up to two day-support or outing sessions (10:00 and 14:00), each
//!   on about four days in five, except while on a short break;
//! - short breaks (the second person): two to four nights about every three
//!   weeks, each logged as a visit and planned as a stay; three more planned
//!   ahead of today (one cancelled).
//!
//! About six records a person a day: 3 years (1,095 days) make about 20,000,
//! 90 days about 1,650. About one note in 40 and one check-in in 60 has been
//! corrected, and one note in 400 deleted (with a reason), at least one of each.

use crate::backup::BackupRecords;
use crate::checkin::{Answered, Appetite, CheckInDraft, Mood, Pain, Sleep};
use crate::dates::form_date;
use crate::id::RecordId;
use crate::note::{NoteDraft, Topic};
use crate::person::{Arrangement, ContactDraft, PersonDraft};
use crate::record::{Body, Record};
use crate::stay::{PlannedStayDraft, StayStatus};
use crate::visit::{Place, VisitDraft};
use crate::zone::LocalZone;
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};

/// Who signs every sample record: what marks a record as sample data.
pub const SAMPLE_AUTHOR: &str = "Hearth sample data";

/// The size "Try with sample data" writes: three months, quick to write.
pub const TRY_DAYS: u32 = 90;

/// The size the speed measurements use: three years.
pub const BENCH_DAYS: u32 = 1095;

/// The household sample stays are planned with.
const HOST: &str = "Our house";

/// A small, fast, deterministic generator (SplitMix64). Not for secrets.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// A number in `0..n`.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    /// True with probability `num / den`.
    fn chance(&mut self, num: u64, den: u64) -> bool {
        self.next() % den < num
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    fn id(&mut self) -> RecordId {
        let mut bytes = [0u8; 16];
        bytes[..8].copy_from_slice(&self.next().to_le_bytes());
        bytes[8..].copy_from_slice(&self.next().to_le_bytes());
        RecordId::from_random_bytes(bytes)
    }
}

/// One sample person: their details and what their days are like.
struct Who {
    draft: PersonDraft,
    /// The kind their sessions are logged as, and where they go.
    session: Arrangement,
    places: [(Place, &'static str, &'static str); 4],
    /// Whether they come for short breaks.
    breaks: bool,
    /// What a carer might write, each with the topics it is about.
    notes: [(&'static str, &'static [Topic]); 8],
    own_words: [&'static str; 5],
}

fn people() -> [Who; 3] {
    [
        Who {
            draft: PersonDraft {
                preferred_name: "Maggie".into(),
                full_name: "Margaret Ellis".into(),
                arrangements: vec![Arrangement::LongTerm, Arrangement::DaySupport],
                date_of_birth: "1968-03-14".into(),
                communication: "Uses some Makaton signs and short spoken sentences. Give her time to answer; she will point to the picture board when words are hard.".into(),
                what_matters: "Her budgie, Pip. Soaps on the telly at 7. Phoning her brother Colin on Sundays. Choosing her own clothes.".into(),
                contacts: vec![ContactDraft {
                    name: "Colin Ellis".into(),
                    role: "Brother".into(),
                    phone: "01632 960 114".into(),
                }],
                archived: false,
                allergies: "Sticking plasters make her skin sore. No known drug allergies.".into(),
                gp: "Riverside Medical Practice".into(),
            },
            session: Arrangement::DaySupport,
            places: [
                (Place::OutAndAbout, "", "Swimming at the leisure centre; she did two lengths on her own."),
                (Place::OutAndAbout, "", "Market in town: chose fruit for the week and paid at the stall."),
                (Place::CarersHome, "", "Baking at home: scones for Colin's visit."),
                (Place::Other, "The community garden", "Watered the beans and talked to the volunteers."),
            ],
            breaks: false,
            notes: [
                ("Maggie chose her clothes and was ready before breakfast. Fed Pip without a reminder.", &[Topic::PersonalCare]),
                ("Quiet morning. She said her knee ached; we took the lift instead of the stairs.", &[Topic::Health]),
                ("Phoned Colin. She was laughing afterwards and told me about his dog.", &[Topic::Relationships]),
                ("Didn't want to go swimming today and chose to stay in and do a jigsaw. Respected her choice.", &[Topic::Activities, Topic::Communication]),
                ("Ate all her tea and asked for seconds. Watched her soaps, then an early night.", &[Topic::EatingDrinking, Topic::Sleep]),
                ("A bit unsettled after the fire alarm test at the centre. Calm again after a cup of tea.", &[Topic::StayingSafe]),
                ("Helped to change Pip's cage. She signed 'happy' when we finished.", &[Topic::Activities, Topic::Communication]),
                ("Went to the chemist with me and asked for her own prescription.", &[Topic::Health]),
            ],
            own_words: [
                "Good day. Pip sang.",
                "Knee hurts.",
                "Colin rang me!",
                "Tired.",
                "I like swimming.",
            ],
        },
        Who {
            draft: PersonDraft {
                preferred_name: "Ravi".into(),
                full_name: "Ravinder Sandhu".into(),
                arrangements: vec![Arrangement::ShortBreaks, Arrangement::DaySupport],
                date_of_birth: "1995-09-02".into(),
                communication: "Talks easily and likes to plan ahead: tell him what is happening next. Loud places make him anxious; offer the headphones.".into(),
                what_matters: "Trains (he knows every timetable), his Saturday job at the café, vegetarian food, time with his mum and dad.".into(),
                contacts: vec![
                    ContactDraft {
                        name: "Harjit Sandhu".into(),
                        role: "Mum".into(),
                        phone: "01632 960 527".into(),
                    },
                    ContactDraft {
                        name: "Pat Morgan".into(),
                        role: "Shared Lives worker".into(),
                        phone: "01632 960 803".into(),
                    },
                ],
                archived: false,
                allergies: "None known.".into(),
                gp: "Hillside Surgery".into(),
            },
            session: Arrangement::DaySupport,
            places: [
                (Place::OutAndAbout, "", "Train to the coast and back; he planned the route."),
                (Place::Other, "The café", "Worked his shift at the café and counted the float."),
                (Place::CarersHome, "", "Cooked a dal together; he chopped everything."),
                (Place::OutAndAbout, "", "Library, then the bus home on his own with me following."),
            ],
            breaks: true,
            notes: [
                ("Ravi arrived with his timetable printed out and told me the plan for the day.", &[Topic::Communication]),
                ("He found the station too loud and used his headphones. Settled once on the train.", &[Topic::Activities]),
                ("Cooked his own breakfast. Said he'd like to learn a new recipe next time.", &[Topic::EatingDrinking]),
                ("Talked about his job at the café and what he'll buy with his wages.", &[Topic::Money]),
                ("Rang his mum in the evening. He was calm and went to bed at 10.", &[Topic::Relationships, Topic::Sleep]),
                ("Anxious about the engineering works on Saturday; we looked at the bus instead.", &[Topic::Communication]),
                ("Chose to stay in and watch train videos. Good mood all evening.", &[Topic::Activities]),
                ("Forgot his tablets at home; his mum dropped them round by 6.", &[Topic::Health]),
            ],
            own_words: [
                "The 10:42 was on time.",
                "Too noisy today.",
                "I made dal!",
                "Missing mum a bit.",
                "Good. Can I come again soon?",
            ],
        },
        Who {
            draft: PersonDraft {
                preferred_name: "Joan".into(),
                full_name: "Joan Whitaker".into(),
                arrangements: vec![Arrangement::DaySupport],
                date_of_birth: "1944-11-23".into(),
                communication: "Early dementia. Speak clearly, one thing at a time, and use her name. She hears best on her left side.".into(),
                what_matters: "Her late husband Ron's photographs, the Archers, tea with two sugars, being called Joan, not 'love'.".into(),
                contacts: vec![ContactDraft {
                    name: "Susan Whitaker".into(),
                    role: "Daughter".into(),
                    phone: "01632 960 392".into(),
                }],
                archived: false,
                allergies: "Codeine: it makes her confused and sick.".into(),
                gp: "Riverside Medical Practice".into(),
            },
            session: Arrangement::DaySupport,
            places: [
                (Place::CarersHome, "", "Looked through Ron's photographs and named everyone in them."),
                (Place::OutAndAbout, "", "Short walk to the park and a tea at the kiosk."),
                (Place::Other, "The lunch club", "Lunch club at the church hall; she sang along."),
                (Place::CarersHome, "", "Listened to the Archers and shelled peas for tea."),
            ],
            breaks: false,
            notes: [
                ("Joan was waiting at the door with her coat on. Cheerful on the drive over.", &[Topic::Activities]),
                ("She asked for Ron twice in the afternoon. Looked at his photos together; she settled.", &[Topic::Relationships]),
                ("Ate a good lunch and had her tea with two sugars.", &[Topic::EatingDrinking]),
                ("Tired and a little confused after lunch; a rest in the armchair helped.", &[Topic::Health]),
                ("Susan rang to say Joan slept badly last night. Kept the afternoon quiet.", &[Topic::Sleep]),
                ("Sang 'We'll Meet Again' at the lunch club and knew every word.", &[Topic::Activities]),
                ("Didn't want her lunch. Had soup and a biscuit later instead.", &[Topic::EatingDrinking]),
                ("Walked to the park with her stick. Stopped twice to rest.", &[Topic::Activities, Topic::Health]),
            ],
            own_words: [
                "Lovely day, dear.",
                "Where's Ron?",
                "I'm a bit tired.",
                "That was nice.",
                "My legs ache today.",
            ],
        },
    ]
}

/// Makes the sample records: three people and `days` days of their lives,
/// ending at `now` (in the phone's `zone`). Every record is validated by core
/// and signed by [`SAMPLE_AUTHOR`].
pub fn generate(seed: u64, days: u32, now: DateTime<Utc>, zone: &impl LocalZone) -> BackupRecords {
    let mut rng = Rng(seed);
    let today = zone.to_local(now).date_naive();
    let first = today - Duration::days(i64::from(days.max(1)) - 1);
    let mut out = BackupRecords {
        profile: None,
        people: Vec::new(),
        notes: Vec::new(),
        checkins: Vec::new(),
        visits: Vec::new(),
        stays: Vec::new(),
        ..BackupRecords::default()
    };
    // When a record was written: a few minutes after what it records, never
    // after now.
    let written = |at: DateTime<Utc>, rng: &mut Rng| {
        (at + Duration::minutes(5 + rng.below(40) as i64)).min(now)
    };
    for who in people() {
        let body = who
            .draft
            .validate(today)
            .unwrap_or_else(|e| panic!("sample person: {e:?}"));
        let created = zone
            .resolve(first.and_time(at(9, 0)))
            .with_timezone(&Utc)
            .min(now);
        let person = Record::create(rng.id(), body, SAMPLE_AUTHOR, created);
        let pid = person.id().to_string();
        out.people.push(person);

        let mut mood_level: i32 = 3;
        let mut break_until: Option<NaiveDate> = None;
        let mut next_break = first + Duration::days(3 + rng.below(10) as i64);
        let mut day = first;
        while day <= today {
            // A short break: logged as a visit once over, planned as a stay.
            if who.breaks && day == next_break {
                let nights = 2 + rng.below(3) as i64;
                let leave = day + Duration::days(nights);
                let stay_id = rng.id();
                let plan = PlannedStayDraft {
                    person_id: pid.clone(),
                    arrival: form_date(day),
                    departure: form_date(leave),
                    arrival_time: "17:00".into(),
                    departure_time: "10:00".into(),
                    status: Some(StayStatus::Confirmed),
                    notes_for_person: "Bring your headphones and your timetable book.".into(),
                    host: HOST.into(),
                }
                .validate()
                .unwrap_or_else(|e| panic!("sample stay: {e:?}"));
                let planned_at = zone
                    .resolve((day - Duration::days(21)).and_time(at(11, 0)))
                    .with_timezone(&Utc)
                    .min(now);
                out.stays
                    .push(Record::create(stay_id, plan, SAMPLE_AUTHOR, planned_at));
                let visit = VisitDraft {
                    person_id: pid.clone(),
                    kind: Some(Arrangement::ShortBreaks),
                    start_date: form_date(day),
                    start_time: "17:00".into(),
                    end_date: form_date(leave),
                    end_time: "10:00".into(),
                    place: Some(Place::CarersHome),
                    what_happened: format!(
                        "{nights} nights. Trains, a film night and his favourite curry."
                    ),
                    planned_stay: Some(stay_id),
                    ..Default::default()
                };
                if let Ok(body) = visit.validate(now, zone) {
                    let end = body.end().with_timezone(&Utc);
                    out.visits.push(Record::create(
                        rng.id(),
                        body,
                        SAMPLE_AUTHOR,
                        written(end, &mut rng),
                    ));
                }
                break_until = Some(leave);
                next_break = leave + Duration::days(14 + rng.below(10) as i64);
            }
            let on_break = break_until.is_some_and(|until| day <= until);

            // Moods run in spells: the level moves now and then.
            if rng.chance(1, 6) {
                mood_level = (mood_level + if rng.chance(1, 2) { 1 } else { -1 }).clamp(1, 5);
            }
            for (hour, minute) in [(8, 30), (19, 15)] {
                if !rng.chance(9, 10) {
                    continue;
                }
                let mood = (mood_level + rng.below(3) as i32 - 1).clamp(1, 5);
                let answered = *rng.pick(&Answered::ALL);
                let draft = CheckInDraft {
                    person_id: pid.clone(),
                    date: form_date(day),
                    time: format!("{hour:02}:{:02}", minute + rng.below(10)),
                    mood: Some(Mood::ALL[(mood - 1) as usize]),
                    answered: Some(answered),
                    sleep: (hour < 12).then(|| *rng.pick(Sleep::ALL)),
                    appetite: (hour > 12).then(|| *rng.pick(Appetite::ALL)),
                    pain: rng.chance(1, 3).then(|| *rng.pick(Pain::ALL)),
                    ons4: if rng.chance(1, 14) {
                        [0, 1, 2, 3].map(|q| {
                            let v = if q == 3 { 6 - mood } else { mood * 2 };
                            v.clamp(0, 10).to_string()
                        })
                    } else {
                        Default::default()
                    },
                    own_words: if answered != Answered::CarerObserved && rng.chance(1, 3) {
                        rng.pick(&who.own_words).to_string()
                    } else {
                        String::new()
                    },
                };
                let Ok(body) = draft.validate(now, zone) else {
                    continue;
                };
                let at = body.occurred_at().with_timezone(&Utc);
                let mut record =
                    Record::create(rng.id(), body, SAMPLE_AUTHOR, written(at, &mut rng));
                if out.checkins.len() % 60 == 7 {
                    let mut fix = draft.clone();
                    fix.own_words = "(Corrected) ".to_string() + &fix.own_words;
                    fix.own_words = fix.own_words.trim().to_string();
                    amend(&mut record, fix.validate(now, zone), now);
                }
                out.checkins.push(record);
            }

            for (hour, place_of_day) in [(10, 0), (14, 2)] {
                if on_break || day == break_until.unwrap_or(first - Duration::days(1)) {
                    break;
                }
                if !rng.chance(4, 5) {
                    continue;
                }
                let (place, where_else, what) = who.places[place_of_day + rng.below(2)];
                let minute = 15 * rng.below(2);
                let hours = 2 + rng.below(2);
                let draft = VisitDraft {
                    person_id: pid.clone(),
                    kind: Some(who.session),
                    start_date: form_date(day),
                    start_time: format!("{hour:02}:{minute:02}"),
                    end_date: form_date(day),
                    end_time: format!("{:02}:{minute:02}", hour + hours),
                    place: Some(place),
                    where_else: where_else.into(),
                    what_happened: what.into(),
                    others_present: if rng.chance(1, 4) {
                        "My partner, Sam".into()
                    } else {
                        String::new()
                    },
                    planned_stay: None,
                };
                let Ok(body) = draft.validate(now, zone) else {
                    continue;
                };
                let end = body.end().with_timezone(&Utc);
                out.visits.push(Record::create(
                    rng.id(),
                    body,
                    SAMPLE_AUTHOR,
                    written(end, &mut rng),
                ));
            }

            for (slot, hour) in [9, 15, 20].into_iter().enumerate() {
                if !rng.chance(5, 6) {
                    continue;
                }
                let (text, topics) = who.notes[(slot * 3 + rng.below(3)) % who.notes.len()];
                let draft = NoteDraft {
                    person_id: pid.clone(),
                    date: form_date(day),
                    time: format!("{hour:02}:{:02}", rng.below(60)),
                    text: text.into(),
                    topics: topics.to_vec(),
                    with_person: rng.chance(1, 3),
                };
                let Ok(body) = draft.validate(now, zone) else {
                    continue;
                };
                let at = body.occurred_at().with_timezone(&Utc);
                let mut record =
                    Record::create(rng.id(), body, SAMPLE_AUTHOR, written(at, &mut rng));
                let n = out.notes.len();
                if n % 40 == 11 {
                    let mut fix = draft.clone();
                    fix.text
                        .push_str(" (Added later: she asked me to write this down too.)");
                    amend(&mut record, fix.validate(now, zone), now);
                } else if n % 400 == 23 {
                    let rev = record.rev();
                    let when = (record.created_at() + Duration::hours(1)).min(now);
                    record
                        .delete(rev, "Written for the wrong person.", SAMPLE_AUTHOR, when)
                        .unwrap_or_else(|e| panic!("sample deletion: {e:?}"));
                }
                out.notes.push(record);
            }
            day += Duration::days(1);
        }

        if who.breaks {
            // Short breaks ahead: two to come and one cancelled.
            for (weeks, status) in [
                (1, StayStatus::Confirmed),
                (4, StayStatus::Cancelled),
                (7, StayStatus::Planned),
            ] {
                let arrive = today + Duration::days(weeks * 7 - 2);
                let body = PlannedStayDraft {
                    person_id: pid.clone(),
                    arrival: form_date(arrive),
                    departure: form_date(arrive + Duration::days(3)),
                    arrival_time: "17:00".into(),
                    departure_time: "10:00".into(),
                    status: Some(status),
                    notes_for_person:
                        "Bring your swimming things. We're going to the new pool on Saturday."
                            .into(),
                    host: HOST.into(),
                }
                .validate()
                .unwrap_or_else(|e| panic!("sample stay: {e:?}"));
                let planned_at = (now - Duration::days(10)).max(created);
                out.stays
                    .push(Record::create(rng.id(), body, SAMPLE_AUTHOR, planned_at));
            }
        }
    }
    // Maggie's medicines, from their own random numbers, so the records
    // above are the same with or without them.
    if let Some(maggie) = out.people.first().map(Record::id) {
        medicines(
            &mut out,
            maggie,
            first,
            now,
            zone,
            &mut Rng(seed ^ 0x6d65_6473),
        );
    }
    out
}

/// How many days of dose outcomes the sample keeps: enough for a month's
/// chart and its audit, whatever the sample's length.
const DOSE_DAYS: i64 = 62;

/// The sample's medicines for one person: a regular one, a "when needed"
/// one, one changed by phone and later confirmed in writing, and an
/// antibiotic course that stopped; with an outcome for every dose of the
/// last [`DOSE_DAYS`] days that is more than two hours past (so Today shows
/// some due), mostly given, a few refused or missed with their reasons,
/// and a week in hospital.
fn medicines(
    out: &mut BackupRecords,
    person: RecordId,
    first: NaiveDate,
    now: DateTime<Utc>,
    zone: &impl LocalZone,
    rng: &mut Rng,
) {
    use crate::dose::{AwayReason, DoseDraft, Effect, Helped, NotGivenReason, Outcome};
    use crate::mar::AbsenceDraft;
    use crate::medicine::{doses_on, Due, Form, MedicineDraft, Route, Source, Support, Unit};
    let today = zone.to_local(now).date_naive();
    let from = (today - Duration::days(DOSE_DAYS)).max(first);
    let written = |day: NaiveDate, h: u32| {
        zone.resolve(day.and_time(at(h, 0)))
            .with_timezone(&Utc)
            .min(now)
    };
    let label = |name: &str, strength: &str, dose: &str, times: &[&str]| MedicineDraft {
        person_id: person.to_string(),
        name: name.into(),
        form: Some(Form::Tablet),
        strength: strength.into(),
        dose: dose.into(),
        unit: Some(Unit::Tablet),
        route: Some(Route::Mouth),
        schedule: "times".into(),
        times: times.iter().map(|t| t.to_string()).collect(),
        support: Some(Support::Given),
        start: form_date(first),
        prescriber: "Riverside Surgery".into(),
        authorised_by: "Dr Okafor".into(),
        source: Some(Source::Label),
        ..Default::default()
    };
    let make = |draft: MedicineDraft, at: DateTime<Utc>, rng: &mut Rng| {
        let body = draft
            .validate()
            .unwrap_or_else(|e| panic!("sample medicine: {e:?}"));
        Record::create(rng.id(), body, SAMPLE_AUTHOR, at)
    };
    let mut meds = Vec::new();
    meds.push(make(
        MedicineDraft {
            instructions: "With breakfast.".into(),
            ..label("Sertraline", "50 mg", "1", &["08:00"])
        },
        written(first, 9),
        rng,
    ));
    meds.push(make(
        MedicineDraft {
            schedule: "when_needed".into(),
            times: Vec::new(),
            dose: "1".into(),
            dose_max: "2".into(),
            when_needed_reason: "For pain (headaches, her knee)".into(),
            min_gap_hours: "4".into(),
            max_in_24h: "4".into(),
            support: Some(Support::Prompted),
            ..label("Paracetamol", "500 mg", "1", &[])
        },
        written(first, 9),
        rng,
    ));
    // Changed by phone three weeks ago, confirmed by prescription later.
    let mut metformin = make(
        MedicineDraft {
            instructions: "With food.".into(),
            ..label("Metformin", "500 mg", "1", &["08:00", "18:00"])
        },
        written(first, 9),
        rng,
    );
    let change_day = (today - Duration::days(21)).max(first + Duration::days(1));
    if change_day < today {
        let mut change = MedicineDraft::change_of(metformin.body(), change_day);
        change.dose = "2".into();
        change.authorised_by = "Dr Okafor, by phone".into();
        change.source = Some(Source::PhoneCall);
        let phoned = change
            .validate()
            .unwrap_or_else(|e| panic!("sample change: {e:?}"));
        let rev = metformin.rev();
        let _ = metformin.amend(rev, phoned, SAMPLE_AUTHOR, written(change_day, 11));
        let confirm_day = change_day + Duration::days(4);
        if confirm_day < today {
            if let Some(confirmed) = metformin
                .body()
                .confirmed(Source::Prescription, confirm_day)
            {
                let rev = metformin.rev();
                let _ = metformin.amend(rev, confirmed, SAMPLE_AUTHOR, written(confirm_day, 12));
            }
        }
    }
    meds.push(metformin);
    // A week's antibiotics, a month ago: stopped.
    let course = (today - Duration::days(30)).max(first);
    meds.push(make(
        MedicineDraft {
            form: Some(Form::Capsule),
            unit: Some(Unit::Capsule),
            schedule: "every".into(),
            every_hours: "8".into(),
            times: vec!["06:00".into()],
            start: form_date(course),
            stop: form_date(course + Duration::days(7)),
            instructions: "Finish the course.".into(),
            ..label("Amoxicillin", "250 mg", "1", &[])
        },
        written(course, 9),
        rng,
    ));
    // In hospital for three days, five weeks ago.
    let hospital = today - Duration::days(36);
    if hospital > from {
        let away = AbsenceDraft {
            person_id: person.to_string(),
            from_date: form_date(hospital),
            from_time: "10:00".into(),
            to_date: form_date(hospital + Duration::days(3)),
            to_time: "15:00".into(),
            r#where: Some(AwayReason::Hospital),
            note: "Knee operation at the General.".into(),
        }
        .validate(zone)
        .unwrap_or_else(|e| panic!("sample absence: {e:?}"));
        let at = written(hospital, 10);
        out.absences
            .push(Record::create(rng.id(), away, SAMPLE_AUTHOR, at));
    }
    let absences = out.absences.clone();
    let mut doses: Vec<Record<crate::dose::DoseRecord>> = Vec::new();
    for day in from.iter_days().take_while(|d| *d <= today) {
        for med in &meds {
            for due in doses_on(med, day, zone) {
                let Due::At { slot, at: due_at } = due else {
                    continue;
                };
                if due_at + Duration::hours(2) > now
                    || absences.iter().any(|a| a.body().covers(due_at))
                {
                    continue;
                }
                let roll = rng.below(40);
                let (outcome, reason) = match roll {
                    0 => (
                        Outcome::Refused,
                        "Said she'd had enough tablets today; offered again later, still no.",
                    ),
                    1 => (
                        Outcome::NotGiven {
                            why: NotGivenReason::Asleep,
                        },
                        "Fast asleep; the GP says not to wake her for it.",
                    ),
                    _ => (Outcome::Given, ""),
                };
                let local = zone.to_local(due_at + Duration::minutes(rng.below(20) as i64));
                let draft = DoseDraft {
                    slot: Some(slot),
                    date: form_date(local.date_naive()),
                    time: crate::dates::form_time(local.time()),
                    outcome: Some(outcome),
                    reason: reason.into(),
                    ..Default::default()
                };
                let when = local.with_timezone(&Utc) + Duration::minutes(2);
                if let Ok(body) = draft.validate(med, &doses, when.max(due_at), zone) {
                    doses.push(Record::create(rng.id(), body, SAMPLE_AUTHOR, when.min(now)));
                }
            }
        }
        // Now and then, paracetamol for her knee, and whether it helped.
        if rng.below(4) == 0 {
            let local = zone.to_local(written(day, 14) + Duration::minutes(rng.below(180) as i64));
            let given = local.with_timezone(&Utc);
            if given + Duration::hours(1) < now {
                let draft = DoseDraft {
                    slot: None,
                    date: form_date(local.date_naive()),
                    time: crate::dates::form_time(local.time()),
                    outcome: Some(Outcome::Given),
                    reason: "Her knee aches after the walk.".into(),
                    amount: if rng.below(2) == 0 { "1" } else { "2" }.into(),
                    ..Default::default()
                };
                if let Ok(body) = draft.validate(&meds[1], &doses, given, zone) {
                    let effect = Effect {
                        helped: if rng.below(5) == 0 {
                            Helped::Partly
                        } else {
                            Helped::Yes
                        },
                        note: "Walking more easily by teatime.".into(),
                        at: local + Duration::hours(1),
                    };
                    let mut rec =
                        Record::create(rng.id(), body, SAMPLE_AUTHOR, given + Duration::minutes(3));
                    let with = rec.body().with_effect(effect);
                    let rev = rec.rev();
                    let _ = rec.amend(rev, with, SAMPLE_AUTHOR, given + Duration::hours(1));
                    doses.push(rec);
                }
            }
        }
    }
    out.medicines.extend(meds);
    out.doses.extend(doses);
}

/// A time of day that exists.
fn at(hour: u32, minute: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(hour, minute, 0).expect("a real time")
}

/// Amends `record` with a corrected body, an hour after it was written.
fn amend<T: Body + std::fmt::Debug>(
    record: &mut Record<T>,
    corrected: Result<T, crate::ValidationErrors>,
    now: DateTime<Utc>,
) {
    let Ok(body) = corrected else { return };
    let when = (record.created_at() + Duration::hours(1)).min(now);
    let rev = record.rev();
    // An unchanged correction (nothing to add) is simply left out.
    let _ = record.amend(rev, body, SAMPLE_AUTHOR, when);
}

/// The ids of every record in `records`, by kind, to find them again.
pub fn ids(records: &BackupRecords) -> SampleIds {
    SampleIds {
        people: pick(&records.people, |_| true),
        notes: pick(&records.notes, |_| true),
        checkins: pick(&records.checkins, |_| true),
        visits: pick(&records.visits, |_| true),
        stays: pick(&records.stays, |_| true),
        medicines: pick(&records.medicines, |_| true),
        doses: pick(&records.doses, |_| true),
        absences: pick(&records.absences, |_| true),
    }
}

/// The stored records that are sample data: those signed [`SAMPLE_AUTHOR`]
/// (after a backup is restored on another phone too) and anything recorded
/// about a sample person (which means nothing once the person is gone).
pub fn marked(records: &BackupRecords) -> SampleIds {
    let sample = |author: &str| author == SAMPLE_AUTHOR;
    let people: Vec<RecordId> = records
        .people
        .iter()
        .filter(|p| sample(p.created_by()))
        .map(Record::id)
        .collect();
    let about = |author: &str, person: RecordId| sample(author) || people.contains(&person);
    SampleIds {
        notes: pick(&records.notes, |r| {
            about(r.created_by(), r.body().person_id())
        }),
        checkins: pick(&records.checkins, |r| {
            about(r.created_by(), r.body().person_id())
        }),
        visits: pick(&records.visits, |r| {
            about(r.created_by(), r.body().person_id())
        }),
        stays: pick(&records.stays, |r| {
            about(r.created_by(), r.body().person_id())
        }),
        medicines: pick(&records.medicines, |r| {
            about(r.created_by(), r.body().person_id())
        }),
        doses: pick(&records.doses, |r| {
            about(r.created_by(), r.body().person_id())
        }),
        absences: pick(&records.absences, |r| {
            about(r.created_by(), r.body().person_id())
        }),
        people,
    }
}

/// Whether a record is sample data by its signature: for a person, whether
/// they are one of the made-up people.
pub fn is_sample<T: Body>(record: &Record<T>) -> bool {
    record.created_by() == SAMPLE_AUTHOR
}

/// `records` without the sample data in them (as [`marked`] finds it): what
/// a backup or an export holds unless the carer asks for the sample too.
pub fn without(mut records: BackupRecords) -> BackupRecords {
    let marked = marked(&records);
    fn drop<T: Body>(records: &mut Vec<Record<T>>, ids: &[RecordId]) {
        records.retain(|r| !ids.contains(&r.id()));
    }
    drop(&mut records.people, &marked.people);
    drop(&mut records.notes, &marked.notes);
    drop(&mut records.checkins, &marked.checkins);
    drop(&mut records.visits, &marked.visits);
    drop(&mut records.stays, &marked.stays);
    drop(&mut records.medicines, &marked.medicines);
    drop(&mut records.doses, &marked.doses);
    drop(&mut records.absences, &marked.absences);
    records
}

/// The ids of the records `keep` keeps.
fn pick<T: Body>(records: &[Record<T>], keep: impl Fn(&Record<T>) -> bool) -> Vec<RecordId> {
    records.iter().filter(|r| keep(r)).map(Record::id).collect()
}

/// Which stored records are sample data, by kind (kept in a setting so that
/// removing the sample removes exactly these).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SampleIds {
    pub people: Vec<RecordId>,
    pub notes: Vec<RecordId>,
    pub checkins: Vec<RecordId>,
    pub visits: Vec<RecordId>,
    pub stays: Vec<RecordId>,
    // Kinds added later: a setting saved before them has none.
    #[serde(default)]
    pub medicines: Vec<RecordId>,
    #[serde(default)]
    pub doses: Vec<RecordId>,
    #[serde(default)]
    pub absences: Vec<RecordId>,
}

impl SampleIds {
    /// How many records, of every kind.
    pub fn len(&self) -> usize {
        self.people.len()
            + self.notes.len()
            + self.checkins.len()
            + self.visits.len()
            + self.stays.len()
            + self.medicines.len()
            + self.doses.len()
            + self.absences.len()
    }
    /// Adds `other`'s ids that are not here yet.
    pub fn merge(&mut self, other: SampleIds) {
        for (mine, theirs) in [
            (&mut self.people, other.people),
            (&mut self.notes, other.notes),
            (&mut self.checkins, other.checkins),
            (&mut self.visits, other.visits),
            (&mut self.stays, other.stays),
            (&mut self.medicines, other.medicines),
            (&mut self.doses, other.doses),
            (&mut self.absences, other.absences),
        ] {
            mine.extend(theirs);
            crate::order::sort(mine);
            mine.dedup();
        }
    }
    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Every id, of every kind.
    pub fn all(&self) -> impl Iterator<Item = &RecordId> {
        self.people
            .iter()
            .chain(&self.notes)
            .chain(&self.checkins)
            .chain(&self.visits)
            .chain(&self.stays)
            .chain(&self.medicines)
            .chain(&self.doses)
            .chain(&self.absences)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::zone::FixedZone;
    use chrono::{FixedOffset, TimeZone};

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 22, 21, 30, 0).unwrap()
    }

    fn london_winter() -> FixedZone {
        FixedZone(FixedOffset::east_opt(0).unwrap())
    }

    #[test]
    fn three_years_are_about_twenty_thousand_records() {
        let r = generate(7, BENCH_DAYS, now(), &london_winter());
        assert_eq!(r.people.len(), 3);
        let n = r.count();
        assert!((18_000..=22_000).contains(&n), "{n} records");
        // About six a person a day, split as the module says.
        let person_days = 3 * BENCH_DAYS as usize;
        assert!((2.3..2.7).contains(&(r.notes.len() as f64 / person_days as f64)));
        assert!((1.6..2.0).contains(&(r.checkins.len() as f64 / person_days as f64)));
        assert!((1.0..1.6).contains(&(r.visits.len() as f64 / person_days as f64)));
        // A break about every three weeks for Ravi, three planned ahead.
        assert!((40..60).contains(&r.stays.len()), "{} stays", r.stays.len());
    }

    #[test]
    fn maggie_has_a_regular_a_when_needed_a_changed_and_a_stopped_medicine_with_their_doses() {
        use crate::backup::Recheck;
        use crate::medicine::{in_force, Source};
        let zone = london_winter();
        let today = zone.to_local(now()).date_naive();
        let r = generate(7, TRY_DAYS, now(), &zone);
        let names: Vec<&str> = r.medicines.iter().map(|m| m.body().name()).collect();
        assert_eq!(
            names,
            ["Sertraline", "Paracetamol", "Metformin", "Amoxicillin"]
        );
        let maggie = r.people[0].id();
        assert!(r.medicines.iter().all(|m| m.body().person_id() == maggie));
        assert!(r.medicines[1].body().is_when_needed());
        // Metformin: by phone three weeks ago, then confirmed in writing.
        let metformin = &r.medicines[2];
        assert_eq!(metformin.history().len(), 2);
        let phoned = in_force(metformin, today - Duration::days(21)).unwrap();
        assert_eq!(phoned.dose().words(), "2 tablets");
        assert_eq!(phoned.authority().source, Source::PhoneCall);
        assert!(!phoned.authority().waiting_for_writing(), "confirmed since");
        assert!(metformin.history()[1]
            .body
            .authority()
            .waiting_for_writing());
        assert_eq!(
            in_force(metformin, today - Duration::days(22))
                .unwrap()
                .dose()
                .words(),
            "1 tablet"
        );
        assert!(
            in_force(&r.medicines[3], today).is_none(),
            "the course has stopped"
        );
        // Doses for the last two months, valid, and "when needed" ones noted.
        assert!(r.doses.len() > 150, "{} doses", r.doses.len());
        for d in &r.doses {
            assert_eq!(d.created_by(), SAMPLE_AUTHOR);
            d.body().recheck(now()).unwrap();
        }
        assert!(r
            .doses
            .iter()
            .any(|d| d.body().slot().is_none() && d.body().effect().is_some()));
        assert!(crate::dose::conflicts(&r.doses).is_empty());
        assert_eq!(r.absences.len(), 1);
        // Today shows some due: the last two hours are left for the carer.
        let meds = r.medicines.clone();
        let due = crate::dose::due_now(&meds, &r.doses, &r.absences, today, now(), &zone);
        assert!(
            due.iter().all(|d| d.at + Duration::hours(2) > now()),
            "{due:?}"
        );
        // And "Remove sample data" takes them all.
        let ids = ids(&r);
        assert_eq!(
            (ids.medicines.len(), ids.doses.len(), ids.absences.len()),
            (4, r.doses.len(), 1)
        );
        assert_eq!(without(r).count(), 0);
    }

    #[test]
    fn ninety_days_are_quick_to_write() {
        let r = generate(7, TRY_DAYS, now(), &london_winter());
        let n = r.count();
        assert!((1_400..=1_900).contains(&n), "{n} records");
    }

    #[test]
    fn every_record_is_valid_signed_and_in_the_past() {
        let zone = london_winter();
        let today = zone.to_local(now()).date_naive();
        let r = generate(11, 200, now(), &zone);
        for p in &r.people {
            assert_eq!(p.created_by(), SAMPLE_AUTHOR);
            PersonDraft::from_person(p.body()).validate(today).unwrap();
        }
        for n in &r.notes {
            assert_eq!(n.created_by(), SAMPLE_AUTHOR);
            assert!(n.updated_at() <= now());
            NoteDraft::from_note(n.body())
                .validate(now(), &zone)
                .unwrap();
        }
        for c in &r.checkins {
            assert_eq!(c.created_by(), SAMPLE_AUTHOR);
            CheckInDraft::from_checkin(c.body())
                .validate(now(), &zone)
                .unwrap();
        }
        for v in &r.visits {
            assert_eq!(v.created_by(), SAMPLE_AUTHOR);
            VisitDraft::from_visit(v.body())
                .validate(now(), &zone)
                .unwrap();
        }
        for s in &r.stays {
            assert_eq!(s.created_by(), SAMPLE_AUTHOR);
            PlannedStayDraft::from_stay(s.body()).validate().unwrap();
        }
        // Stays ahead of today, one of them cancelled.
        let ahead: Vec<_> = r
            .stays
            .iter()
            .filter(|s| s.body().arrival() > today)
            .collect();
        assert_eq!(ahead.len(), 3);
        assert!(ahead
            .iter()
            .any(|s| s.body().status() == StayStatus::Cancelled));
    }

    #[test]
    fn one_persons_visits_never_overlap() {
        let r = generate(3, 400, now(), &london_winter());
        for p in &r.people {
            let mut visits: Vec<_> = r
                .visits
                .iter()
                .filter(|v| v.body().person_id() == p.id())
                .collect();
            crate::order::sort_by_key(&mut visits, |v| v.body().start());
            for pair in visits.windows(2) {
                assert!(pair[0].body().end() <= pair[1].body().start());
            }
        }
    }

    #[test]
    fn corrections_and_deletions_are_there() {
        let r = generate(5, TRY_DAYS, now(), &london_winter());
        assert!(r.notes.iter().any(|n| !n.history().is_empty()));
        assert!(r.checkins.iter().any(|c| !c.history().is_empty()));
        assert!(r.notes.iter().any(|n| n.deleted().is_some()));
    }

    #[test]
    fn marked_finds_the_sample_and_what_was_written_about_it_not_the_carers_own() {
        let zone = london_winter();
        let mut all = generate(5, 30, now(), &zone);
        let sample_ids = ids(&all);
        let ravi = all.people[1].id();
        let mine = PersonDraft {
            preferred_name: "Rosa".into(),
            arrangements: vec![Arrangement::DaySupport],
            ..Default::default()
        }
        .validate(now().date_naive())
        .unwrap();
        let rosa = Record::create(RecordId::from_random_bytes([1; 16]), mine, "Ann", now());
        let note = |who: RecordId, byte: u8| {
            let body = NoteDraft {
                person_id: who.to_string(),
                date: "2026-11-22".into(),
                time: "09:00".into(),
                text: "Written by the carer.".into(),
                ..Default::default()
            }
            .validate(now(), &zone)
            .unwrap();
            Record::create(RecordId::from_random_bytes([byte; 16]), body, "Ann", now())
        };
        let (about_rosa, about_ravi) = (note(rosa.id(), 2), note(ravi, 3));
        all.people.push(rosa);
        all.notes.push(about_rosa.clone());
        all.notes.push(about_ravi.clone());
        let found = marked(&all);
        assert_eq!(found.len(), sample_ids.len() + 1);
        assert!(found.notes.contains(&about_ravi.id()));
        assert!(!found.notes.contains(&about_rosa.id()));
        let mut merged = sample_ids.clone();
        merged.merge(found.clone());
        assert_eq!(merged.len(), found.len());

        // An export without the sample keeps the carer's own and nothing else.
        let kept = without(all);
        assert_eq!(kept.people.len(), 1);
        assert!(!is_sample(&kept.people[0]));
        assert_eq!(kept.notes, vec![about_rosa]);
        assert!(kept.checkins.is_empty() && kept.visits.is_empty() && kept.stays.is_empty());
    }

    #[test]
    fn the_same_seed_gives_the_same_records() {
        let a = generate(42, 60, now(), &london_winter());
        let b = generate(42, 60, now(), &london_winter());
        assert_eq!(a, b);
        let c = generate(43, 60, now(), &london_winter());
        assert_ne!(ids(&a), ids(&c));
        assert_eq!(ids(&a).len(), a.count());
    }

    #[test]
    fn nothing_is_written_after_now_even_in_the_morning() {
        let early = Utc.with_ymd_and_hms(2026, 6, 1, 6, 0, 0).unwrap();
        let zone = FixedZone(FixedOffset::east_opt(3600).unwrap());
        let r = generate(1, 30, early, &zone);
        assert!(r.notes.iter().all(|n| n.body().occurred_at() <= early));
        assert!(r.visits.iter().all(|v| v.body().end() <= early));
        assert!(r.notes.iter().all(|n| n.updated_at() <= early));
    }
}
