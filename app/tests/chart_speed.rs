//! How long does a person's 12-month chart take to draw with a check-in a day
//! for three years stored? A measurement against a real IndexedDB, in headless
//! Chromium, of the steps the person page takes: read the check-ins since 401
//! days ago, compute the trends, and mount the mood chart.
//!
//! It prints its figures (look for `chart_speed:` in the output) and asserts
//! only that the work was really done: how many check-ins were read, and that
//! one mark per check-in in the 12 months was in the document. Timings are
//! never asserted. Run with
//! `cd app && cargo test --target wasm32-unknown-unknown --test chart_speed -- --nocapture`.

mod common;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use common::{
    attached_div, count, db_name, document, figure, finish, ms, now_to_the_minute, open, random_id,
};
use hearth_app::components::chart::MoodChart;
use hearth_app::storage::Store;
use hearth_core::trends::{self, Period};
use hearth_core::{
    Answered, Appetite, CheckIn, CheckInDraft, FixedZone, Mood, Ons4Question, Pain, Record,
    RecordId, Sleep,
};
use leptos::prelude::*;
use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// Three years of days, today included.
const DAYS: i64 = 1096;
/// How far back the person page reads (`WELLBEING_DAYS` in `pages/person.rs`).
const WELLBEING_DAYS: i64 = 366 + 35;
/// Timed repeats, after one warm-up.
const RUNS: usize = 10;
/// How wide a figure's name is printed, so the columns line up.
const NAME_WIDTH: usize = 8;

// ---- Helpers ----

/// The check-in `ago` days before `today`, as the check-in form makes it on a
/// phone on UTC: varied faces, mostly answered by the person, now and then the
/// ONS4 questions, sleep, appetite, pain and their own words. Today's is made
/// at `now` so that none is in the future.
fn checkin(person: RecordId, today: NaiveDate, ago: i64, now: DateTime<Utc>) -> Record<CheckIn> {
    let day = today - Duration::days(ago);
    let i = ago as usize;
    // A slow wave with a wobble, so weeks and months differ.
    let wave = ((ago as f64) / 23.0).sin() * 1.6 + ((ago as f64) * 1.7).sin() * 0.9;
    let mood = Mood::ALL[(2.0 + wave).round().clamp(0.0, 4.0) as usize];
    let answered = match i % 10 {
        0..=5 => Answered::Themselves,
        6..=8 => Answered::WithHelp,
        _ => Answered::CarerObserved,
    };
    let time = if ago == 0 {
        hearth_core::dates::form_time(now.time())
    } else {
        format!("{:02}:{:02}", 7 + (i * 5) % 14, (i * 17) % 60)
    };
    let ons4 = match i % 7 {
        0 => [5 + i % 6, 4 + (i / 7) % 7, 3 + i % 8, i % 11].map(|v| v.to_string()),
        3 => [
            (4 + (i / 7) % 7).to_string(),
            String::new(),
            String::new(),
            String::new(),
        ],
        _ => Default::default(),
    };
    let body = CheckInDraft {
        person_id: person.to_string(),
        date: hearth_core::dates::form_date(day),
        time,
        mood: Some(mood),
        answered: Some(answered),
        sleep: i
            .is_multiple_of(3)
            .then(|| Sleep::ALL[(i / 3) % Sleep::ALL.len()]),
        appetite: i
            .is_multiple_of(4)
            .then(|| Appetite::ALL[(i / 4) % Appetite::ALL.len()]),
        pain: i
            .is_multiple_of(5)
            .then(|| Pain::ALL[(i / 5) % Pain::ALL.len()]),
        ons4,
        own_words: if i.is_multiple_of(9) {
            "Went to the allotment and saw the robin again.".into()
        } else {
            String::new()
        },
    }
    .validate(now, &FixedZone::utc())
    .unwrap_or_else(|e| panic!("a valid check-in {ago} days ago: {e:?}"));
    let at = body.occurred_at().with_timezone(&Utc);
    Record::create(random_id(), body, "Ann", at)
}

/// What the data says the 12-month chart must show.
struct Expected {
    read: usize,
    marks: usize,
    themselves: usize,
    with_help: usize,
    observed: usize,
    ons4: [usize; 4],
}

impl Expected {
    fn from(
        stored: &[Record<CheckIn>],
        since: DateTime<Utc>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Self {
        let read = stored
            .iter()
            .filter(|c| c.body().occurred_at() >= since)
            .count();
        let in_range: Vec<&CheckIn> = stored
            .iter()
            .map(Record::body)
            .filter(|c| (from..=to).contains(&c.day()))
            .collect();
        let by = |a: Answered| in_range.iter().filter(|c| c.answered() == a).count();
        Expected {
            read,
            marks: in_range.len(),
            themselves: by(Answered::Themselves),
            with_help: by(Answered::WithHelp),
            observed: by(Answered::CarerObserved),
            ons4: Ons4Question::ALL.map(|q| {
                in_range
                    .iter()
                    .filter(|c| c.ons4().answer(q).is_some())
                    .count()
            }),
        }
    }
}

/// One pass of what the person page does for the 12-month chart, timed.
struct Pass {
    read: f64,
    compute: f64,
    draw: f64,
    layout: f64,
}

impl Pass {
    fn total(&self) -> f64 {
        self.read + self.compute + self.draw + self.layout
    }
}

async fn one_pass(
    store: &Store,
    person: RecordId,
    now: DateTime<Utc>,
    today: NaiveDate,
    expected: &Expected,
) -> Pass {
    // (a) Read, as `Wellbeing` does.
    let start = ms();
    let since = now - Duration::days(WELLBEING_DAYS);
    let checkins = store
        .for_person::<CheckIn>(person, Some(since), usize::MAX)
        .await
        .expect("check-ins read");
    let read = ms() - start;
    assert_eq!(
        checkins.len(),
        expected.read,
        "check-ins read since 401 days ago"
    );

    // (b) Compute, as `WellbeingView` does for the 12-month period.
    let start = ms();
    let flag = trends::wellbeing_flag(&checkins, today).map(|f| f.message("Meg"));
    let period = Period::TwelveMonths;
    let (from, to) = period.range(today);
    let points = trends::mood_points(&checkins, from, to);
    let summary = trends::summarise(&points);
    let label = format!(
        "Mood over the last {}: {} check-ins{}.",
        period.label(),
        summary.count,
        summary
            .mean
            .map(|m| format!(", average {} ({m:.1} out of 5)", Mood::nearest(m).label()))
            .unwrap_or_default()
    );
    let ons4: Vec<_> = Ons4Question::ALL
        .iter()
        .map(|q| (*q, trends::ons4_points(&checkins, *q, from, to)))
        .filter(|(_, p)| !p.is_empty())
        .collect();
    let weekly = trends::weekly_averages(&points);
    let monthly = trends::monthly_averages(&points);
    let compute = ms() - start;
    std::hint::black_box(&flag);
    assert_eq!(points.len(), expected.marks, "mood points in the 12 months");
    assert_eq!(
        (summary.themselves, summary.with_help, summary.observed),
        (expected.themselves, expected.with_help, expected.observed)
    );
    assert_eq!(
        weekly.iter().map(|w| w.count).sum::<usize>(),
        expected.marks
    );
    assert_eq!(
        monthly.iter().map(|m| m.count).sum::<usize>(),
        expected.marks
    );
    let ons4_counts: Vec<usize> = ons4.iter().map(|(_, p)| p.len()).collect();
    let expected_ons4: Vec<usize> = expected.ons4.iter().copied().filter(|n| *n > 0).collect();
    assert_eq!(ons4_counts, expected_ons4, "ONS4 answers per question");

    // (c) Draw: mount the mood chart into a fresh div in the document.
    let document = document();
    let host = attached_div();
    let start = ms();
    let handle = leptos::mount::mount_to(host.clone(), move || {
        view! { <MoodChart points=points from=from to=to label=label /> }
    });
    let draw = ms() - start;
    // Style and layout, which the browser would otherwise do before the next
    // paint: reading a size forces them now.
    let start = ms();
    let height = host.offset_height();
    let layout = ms() - start;

    assert!(height > 0, "the chart takes up room on the page");
    assert_eq!(count(&host, "chart"), 1, "one mood chart");
    assert_eq!(
        document.get_elements_by_class_name("mark").length() as usize,
        expected.marks,
        "one mark per check-in in the 12 months, in the document"
    );
    assert_eq!(
        (
            count(&host, "mark-self"),
            count(&host, "mark-help"),
            count(&host, "mark-observed"),
        ),
        (expected.themselves, expected.with_help, expected.observed),
        "each mark shaped by who answered"
    );
    assert!(count(&host, "trend") > 0, "the mood line is drawn");

    drop(handle);
    assert_eq!(count(&host, "mark"), 0, "unmounting removed the chart");
    host.remove();

    Pass {
        read,
        compute,
        draw,
        layout,
    }
}

// ---- The measurement ----

#[wasm_bindgen_test]
async fn a_twelve_month_chart_over_three_years_of_daily_check_ins() {
    let name = db_name("chart-speed");
    let store = open(&name).await;
    let now = now_to_the_minute();
    let today = now.date_naive();
    let person = random_id();

    let start = ms();
    let stored: Vec<Record<CheckIn>> = (0..DAYS)
        .rev()
        .map(|ago| checkin(person, today, ago, now))
        .collect();
    let made = ms() - start;
    let start = ms();
    store.insert_all(&stored).await.expect("check-ins stored");
    let written = ms() - start;
    assert_eq!(stored.len(), DAYS as usize);
    assert_eq!(
        store
            .for_person::<CheckIn>(person, None, usize::MAX)
            .await
            .expect("all read")
            .len(),
        stored.len(),
        "every check-in stored"
    );

    let (from, to) = Period::TwelveMonths.range(today);
    let expected = Expected::from(&stored, now - Duration::days(WELLBEING_DAYS), from, to);
    assert!(
        (365..=366).contains(&expected.marks),
        "a check-in a day: {} in the 12 months",
        expected.marks
    );

    one_pass(&store, person, now, today, &expected).await;
    let mut passes = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        // Let the browser breathe between passes, as between two visits.
        gloo::timers::future::TimeoutFuture::new(0).await;
        passes.push(one_pass(&store, person, now, today, &expected).await);
    }
    let column = |f: fn(&Pass) -> f64| passes.iter().map(f).collect::<Vec<f64>>();

    console_log!(
        "chart_speed: {} check-ins for one person, {} to {}: made in {:.1} ms, stored in {:.1} ms (one insert_all transaction)",
        stored.len(),
        stored[0].body().day(),
        today,
        made,
        written,
    );
    console_log!(
        "chart_speed: 12-month chart ({} to {}): {} check-ins read since {} days ago, {} marks drawn; {} passes after 1 warm-up",
        from,
        to,
        expected.read,
        WELLBEING_DAYS,
        expected.marks,
        RUNS,
    );
    for line in [
        figure("read", NAME_WIDTH, &column(|p| p.read)),
        figure("compute", NAME_WIDTH, &column(|p| p.compute)),
        figure("draw", NAME_WIDTH, &column(|p| p.draw)),
        figure("layout", NAME_WIDTH, &column(|p| p.layout)),
        figure("total", NAME_WIDTH, &column(Pass::total)),
    ] {
        console_log!("chart_speed:   {line}");
    }

    finish(&name, store).await;
}
