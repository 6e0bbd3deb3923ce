//! How long do Today's medicines due and a month's MAR chart take to draw
//! with three years of outcomes stored? Three people, eight medicines each
//! (set times, every eight hours, "when needed", one changed part-way, one
//! stopped), every dose of three years recorded (the last two hours of today
//! left due), written through `Store` into a real IndexedDB in headless
//! Chromium. Each screen is mounted with a hand-built `AppState`, timed from
//! the mount until its content is in the document and laid out, and its
//! reads are timed alone; the budget line is the difference (drawn after the
//! data is read, at most 100 ms, median of the runs).
//!
//! It prints its figures (look for `medicine_speed:`) and asserts only that
//! the work was really done: the due list holds every dose due, the chart a
//! row per medicine and time. The release build (`./hearth bench`) stores
//! three years; the debug build (`./hearth test`) a quarter, to stay quick.
//! Run with
//! `cd app && cargo test --release --target wasm32-unknown-unknown --test medicine_speed -- --nocapture`.

mod common;

use chrono::{Datelike, Duration, NaiveDate};
use common::{attached_div, db_name, finish, median_max, ms, now_to_the_minute, open, random_id};
use hearth_app::browser::{self, BrowserZone};
use hearth_app::pages::due::DueList;
use hearth_app::pages::mar::MedicineChart;
use hearth_app::state::AppState;
use hearth_core::dose::{due_now, DoseDraft, DoseRecord, Helped, NotGivenReason, Outcome};
use hearth_core::mar::Absence;
use hearth_core::medicine::{
    doses_on, Due, Form, Medicine, MedicineDraft, Route, Source, Support, Unit,
};
use hearth_core::{Arrangement, LocalZone, PersonDraft, Record, RecordId};
use leptos::prelude::*;
use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// Days of outcomes: three years in the release build.
const DAYS: i64 = if cfg!(debug_assertions) { 90 } else { 1095 };
/// Timed repeats of each screen, after one warm-up.
const RUNS: usize = 5;
/// Budget for a screen once its data is read, in ms (median of the runs).
const BUDGET_MS: f64 = 100.0;
/// How long a screen may take before the test gives up on it.
const LIMIT_MS: f64 = 60_000.0;
const CARER: &str = "Ann";

/// Eight medicines for one person, all started `DAYS` ago: four at set
/// times (one of them a few minutes ago), one every eight hours, one "when needed", one changed half-way
/// (a new version from its own day), one stopped a month ago.
fn medicines(person: RecordId, first: NaiveDate, today: NaiveDate) -> Vec<Record<Medicine>> {
    let at = |d: NaiveDate| {
        browser::BrowserZone
            .resolve(d.and_hms_opt(9, 0, 0).unwrap_or_default())
            .to_utc()
    };
    let draft = |name: &str, schedule: &str, times: &[&str]| MedicineDraft {
        person_id: person.to_string(),
        name: name.into(),
        form: Some(Form::Tablet),
        strength: "10 mg".into(),
        dose: "1".into(),
        unit: Some(Unit::Tablet),
        route: Some(Route::Mouth),
        schedule: schedule.into(),
        times: times.iter().map(|t| t.to_string()).collect(),
        support: Some(Support::Given),
        start: hearth_core::dates::form_date(first),
        prescriber: "Riverside Surgery".into(),
        authorised_by: "Dr Okafor".into(),
        source: Some(Source::Prescription),
        ..Default::default()
    };
    // Sertraline is due a few minutes ago whatever the time of day the bench
    // runs, so Today's list always has a dose for each person.
    let now = browser::BrowserZone.to_local(browser::now()).time();
    let lately = now
        .overflowing_sub_signed(Duration::minutes(5))
        .0
        .min(now)
        .format("%H:%M")
        .to_string();
    let mut list = vec![
        draft("Sertraline", "times", &[lately.as_str()]),
        draft("Metformin", "times", &["08:00", "18:00"]),
        draft("Levothyroxine", "times", &["07:00"]),
        draft("Calcium", "times", &["08:00", "13:00", "18:00"]),
        MedicineDraft {
            every_hours: "8".into(),
            ..draft("Amoxicillin", "every", &["06:00"])
        },
        MedicineDraft {
            when_needed_reason: "For pain".into(),
            min_gap_hours: "4".into(),
            max_in_24h: "4".into(),
            dose_max: "2".into(),
            ..draft("Paracetamol", "when_needed", &[])
        },
        draft("Ramipril", "times", &["09:00", "21:00"]),
        MedicineDraft {
            stop: hearth_core::dates::form_date(today - Duration::days(30)),
            ..draft("Omeprazole", "times", &["08:00"])
        },
    ]
    .into_iter()
    .map(|d| {
        Record::create(
            random_id(),
            d.validate().expect("a valid medicine"),
            CARER,
            at(first),
        )
    })
    .collect::<Vec<_>>();
    // Ramipril's dose doubles half-way, from its own day.
    let half = first + Duration::days(DAYS / 2);
    let changed = MedicineDraft {
        dose: "2".into(),
        authorised_by: "Dr Okafor".into(),
        source: Some(Source::Prescription),
        ..MedicineDraft::change_of(list[6].body(), half)
    }
    .validate()
    .expect("a valid change");
    list[6].amend(1, changed, CARER, at(half)).expect("amended");
    list
}

/// Every dose of every day from `first` to now, less the last two hours:
/// mostly given, now and then refused or asleep; a "when needed" dose most
/// days, its effect noted.
fn doses(meds: &[Record<Medicine>], first: NaiveDate, today: NaiveDate) -> Vec<Record<DoseRecord>> {
    let zone = BrowserZone;
    let now = browser::now();
    let cut = now - Duration::hours(2);
    let mut out = Vec::new();
    let mut k = 0usize;
    for day in first.iter_days().take_while(|d| *d <= today) {
        for med in meds {
            let dues = doses_on(med, day, &zone);
            for due in dues {
                let Due::At { slot, at } = due else { continue };
                if at > cut {
                    continue;
                }
                k += 1;
                let local = zone.to_local(at);
                let outcome = match k % 53 {
                    0 => Outcome::Refused,
                    7 => Outcome::NotGiven {
                        why: NotGivenReason::Asleep,
                    },
                    _ => Outcome::Given,
                };
                let body = DoseDraft {
                    slot: Some(slot),
                    date: hearth_core::dates::form_date(local.date_naive()),
                    time: hearth_core::dates::form_time(local.time()),
                    outcome: Some(outcome),
                    reason: if outcome == Outcome::Given {
                        String::new()
                    } else {
                        "Said no thank you".into()
                    },
                    ..Default::default()
                }
                .validate(med, &[], now, &zone)
                .expect("a valid dose");
                out.push(Record::create(
                    random_id(),
                    body,
                    CARER,
                    at + Duration::minutes(5),
                ));
            }
            let prn = med.body().is_when_needed() && day.day() % 3 != 0 && day < today;
            if prn {
                let at = zone.resolve(day.and_hms_opt(15, 0, 0).unwrap_or_default());
                let body = DoseDraft {
                    slot: None,
                    date: hearth_core::dates::form_date(day),
                    time: "15:00".into(),
                    outcome: Some(Outcome::Given),
                    reason: "Headache".into(),
                    amount: "1".into(),
                    ..Default::default()
                }
                .validate(med, &[], now, &zone)
                .expect("a valid when-needed dose");
                let noted = body
                    .noted(Helped::Yes, "", at + Duration::hours(1))
                    .expect("its effect");
                out.push(Record::create(
                    random_id(),
                    noted,
                    CARER,
                    at.to_utc() + Duration::minutes(5),
                ));
            }
        }
    }
    out
}

/// Mounts `view` into a fresh div, waits until `ready`, forces layout, and
/// returns the time from the mount; unmounts it.
async fn show(
    state: &AppState,
    view: impl FnOnce() -> AnyView + 'static,
    ready: impl Fn(&web_sys::Element) -> bool,
) -> f64 {
    let host = attached_div();
    let state = state.clone();
    let start = ms();
    let handle = leptos::mount::mount_to(host.clone(), move || {
        provide_context(state);
        view()
    });
    loop {
        if ready(&host) {
            break;
        }
        assert!(
            ms() - start < LIMIT_MS,
            "the screen's content did not appear; the div holds: {}",
            host.inner_html().chars().take(2000).collect::<String>()
        );
        gloo::timers::future::TimeoutFuture::new(0).await;
    }
    assert!(host.offset_height() > 0, "the screen takes up room");
    let took = ms() - start;
    drop(handle);
    host.remove();
    took
}

/// Doses on the due list.
fn due_rows(host: &web_sys::Element) -> usize {
    host.get_elements_by_class_name("due-dose").length() as usize
}

/// Rows of the chart, once its audit is drawn too.
fn chart_rows(host: &web_sys::Element) -> Option<usize> {
    host.get_elements_by_tag_name("tbody").item(0)?;
    common::document().get_element_by_id("audit-head")?;
    Some(
        host.get_elements_by_tag_name("tbody")
            .item(0)?
            .child_element_count() as usize,
    )
}

#[wasm_bindgen_test]
async fn todays_medicines_due_and_a_months_chart_with_three_years_of_outcomes() {
    let name = db_name("medicine-speed");
    let store = open(&name).await;
    let today = browser::today();
    let first = today - Duration::days(DAYS - 1);
    let start = ms();
    let mut people = Vec::new();
    let mut meds = Vec::new();
    let mut all_doses = Vec::new();
    for who in ["Maggie", "Ravi", "Joan"] {
        let person = PersonDraft {
            preferred_name: who.into(),
            arrangements: vec![Arrangement::LongTerm],
            ..Default::default()
        }
        .validate(today)
        .expect("a valid person");
        let person = Record::create(
            random_id(),
            person,
            CARER,
            browser::now() - Duration::days(DAYS),
        );
        let theirs = medicines(person.id(), first, today);
        all_doses.extend(doses(&theirs, first, today));
        meds.extend(theirs);
        people.push(person);
    }
    let made = ms() - start;
    let start = ms();
    store.insert_all(&people).await.expect("people stored");
    store.insert_all(&meds).await.expect("medicines stored");
    store.insert_all(&all_doses).await.expect("doses stored");
    let written = ms() - start;
    console_log!(
        "medicine_speed: 3 people, {} medicines, {} outcomes over {DAYS} days: made in {made:.0} ms, stored through Store in {written:.0} ms",
        meds.len(),
        all_doses.len()
    );
    let profile = common::saved_profile(&store, CARER, now_to_the_minute()).await;
    let state = common::app_state(&store, profile).await;

    // Today's list: what core says is due now, for everyone.
    let recent: Vec<Record<DoseRecord>> = all_doses
        .iter()
        .filter(|d| d.body().at().date_naive() >= today - Duration::days(1))
        .cloned()
        .collect();
    let due = due_now(&meds, &recent, &[], today, browser::now(), &BrowserZone).len();
    let read_due = || async {
        let start = ms();
        store.all::<Medicine>().await.expect("medicines read");
        store.all::<Absence>().await.expect("days away read");
        store
            .on_day::<DoseRecord>(today)
            .await
            .expect("today's doses read");
        store
            .on_day::<DoseRecord>(today - Duration::days(1))
            .await
            .expect("yesterday's doses read");
        ms() - start
    };
    let show_due = || {
        show(
            &state,
            || view! { <DueList person=None /> }.into_any(),
            move |host| due == 0 || due_rows(host) == due,
        )
    };

    // Maggie's chart for this month: a row per medicine and time.
    let maggie = people[0].id();
    let (year, month) = (today.year(), today.month());
    let month_first = NaiveDate::from_ymd_opt(year, month, 1).expect("a month");
    let days: Vec<NaiveDate> = month_first
        .iter_days()
        .take_while(|d| d.month() == month)
        .collect();
    let theirs: Vec<Record<Medicine>> = meds
        .iter()
        .filter(|m| m.body().person_id() == maggie)
        .cloned()
        .collect();
    let rows = hearth_core::mar::chart(
        &theirs,
        &all_doses,
        &[],
        &days,
        browser::now(),
        &BrowserZone,
    )
    .rows
    .len();
    let read_chart = || async {
        let start = ms();
        store.all::<Medicine>().await.expect("medicines read");
        store.all::<Absence>().await.expect("days away read");
        let since = hearth_core::LocalZone::resolve(
            &BrowserZone,
            (month_first - Duration::days(1))
                .and_hms_opt(0, 0, 0)
                .unwrap_or_default(),
        )
        .to_utc();
        store
            .for_person::<DoseRecord>(maggie, Some(since), usize::MAX)
            .await
            .expect("the month's doses read");
        store
            .all::<hearth_core::mar::Absence>()
            .await
            .expect("days away read");
        ms() - start
    };
    let show_chart = || {
        show(
            &state,
            move || view! { <MedicineChart person=maggie year=year month=month /> }.into_any(),
            move |host| chart_rows(host) == Some(rows),
        )
    };

    show_due().await;
    show_chart().await;
    let (mut due_shown, mut due_read, mut chart_shown, mut chart_read) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for _ in 0..RUNS {
        gloo::timers::future::TimeoutFuture::new(0).await;
        due_read.push(read_due().await);
        due_shown.push(show_due().await);
        gloo::timers::future::TimeoutFuture::new(0).await;
        chart_read.push(read_chart().await);
        chart_shown.push(show_chart().await);
    }
    console_log!(
        "medicine_speed: {RUNS} runs after 1 warm-up; {due} doses due now, {rows} chart rows:"
    );
    for (what, shown, read) in [
        ("Today's medicines due", &due_shown, &due_read),
        ("Maggie's chart for the month", &chart_shown, &chart_read),
    ] {
        let (shown_median, shown_max) = median_max(shown);
        let (read_median, _) = median_max(read);
        let after = shown_median - read_median;
        console_log!(
            "medicine_speed: BUDGET {what} drawn after its data is read: median {after:.1} ms (on screen {shown_median:.1} ms, slowest {shown_max:.1} ms, minus its reads alone, {read_median:.1} ms) <= {BUDGET_MS:.0} ms: {}",
            if after <= BUDGET_MS { "pass" } else { "FAIL" }
        );
    }
    finish(&name, store).await;
}
