//! How long does a person's 12-month chart take to draw with three years of
//! records stored? The household is `hearth_core::sample` at its full size
//! (three people, 1,095 days, about 20,000 records: up to two check-ins a day
//! each), written through `Store` in one transaction. A measurement against a
//! real IndexedDB, in headless Chromium, of the steps the person page takes:
//! read the check-ins since 401 days ago, compute the trends, and mount the
//! mood chart.
//!
//! It prints its figures (look for `chart_speed:` in the output), and a budget
//! line: drawing (compute, mount and layout, after the data is read) at most
//! 100 ms, median of the runs. It asserts only that the work was really done:
//! how many check-ins were read, and that one average per month of the 12
//! (with its spread) was in the document. Run with
//! `cd app && cargo test --target wasm32-unknown-unknown --test chart_speed -- --nocapture`.

mod common;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use common::{
    attached_div, count, db_name, document, figure, finish, median_max, ms, now_to_the_minute, open,
};
use hearth_app::components::chart::MoodChart;
use hearth_app::storage::Store;
use hearth_core::sample::{self, BENCH_DAYS};
use hearth_core::trends::{self, Period};
use hearth_core::{Answered, CheckIn, FixedZone, Mood, Ons4Question, Record, RecordId};
use leptos::prelude::*;
use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// The budget for drawing the chart once its data is read, in ms.
const BUDGET_MS: f64 = 100.0;
/// How far back the person page reads (`WELLBEING_DAYS` in `pages/person.rs`).
const WELLBEING_DAYS: i64 = 366 + 35;
/// Timed repeats, after one warm-up.
const RUNS: usize = 10;
/// How wide a figure's name is printed, so the columns line up.
const NAME_WIDTH: usize = 8;

// ---- Helpers ----

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
    // Twelve months are drawn as monthly averages with their spread, not a
    // mark per check-in.
    assert_eq!(
        document.get_elements_by_class_name("mean").length() as usize,
        monthly.len(),
        "one average per month with check-ins, in the document"
    );
    assert_eq!(
        count(&host, "spread"),
        monthly.len(),
        "each with its spread"
    );
    assert_eq!(
        count(&host, "mark"),
        0,
        "no mark per check-in over twelve months"
    );
    assert!(count(&host, "trend") > 0, "the mood line is drawn");

    drop(handle);
    assert_eq!(count(&host, "mean"), 0, "unmounting removed the chart");
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

    let start = ms();
    let records = sample::generate(2026, BENCH_DAYS, now, &FixedZone::utc());
    let made = ms() - start;
    let start = ms();
    store.restore(&records).await.expect("the sample stored");
    let written = ms() - start;
    // The person with the most check-ins is the one measured.
    let person = records
        .people
        .iter()
        .map(Record::id)
        .max_by_key(|id| {
            records
                .checkins
                .iter()
                .filter(|c| c.body().person_id() == *id)
                .count()
        })
        .expect("three people");
    let stored: Vec<Record<CheckIn>> = records
        .checkins
        .iter()
        .filter(|c| c.body().person_id() == person)
        .cloned()
        .collect();
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
        (550..=732).contains(&expected.marks),
        "up to two check-ins a day: {} in the 12 months",
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
        "chart_speed: sample household, {} records over {BENCH_DAYS} days ({} check-ins for the person measured): made in {:.1} ms, stored in {:.1} ms (one transaction)",
        records.count(),
        stored.len(),
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
    let drawing: Vec<f64> = passes
        .iter()
        .map(|p| p.compute + p.draw + p.layout)
        .collect();
    let (median, _) = median_max(&drawing);
    let (read, _) = median_max(&column(|p| p.read));
    console_log!(
        "chart_speed: BUDGET 12-month chart drawn after its data is read: median {median:.1} ms (read took {read:.1} ms more) <= {BUDGET_MS:.0} ms: {}",
        if median <= BUDGET_MS { "pass" } else { "FAIL" }
    );

    finish(&name, store).await;
}
