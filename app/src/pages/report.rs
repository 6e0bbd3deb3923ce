//! A person's monthly report for the scheme: visits and stays (logged and
//! planned), check-ins with the chart, then every note, corrections and
//! deletions included, printable on A4.

use crate::browser;
use crate::components::chart::{ChartKey, MoodChart};
use crate::components::icons::{Icon, Svg};
use crate::components::nav::{Link, PageHeader};
use crate::components::records::{dated_instant as instant_label, dated_label as when_label};
use crate::route::Route;
use crate::state::AppState;
use chrono::{Duration, NaiveDate, TimeZone, Utc};
use hearth_core::bidi::isolate;
use hearth_core::trends;
use hearth_core::visit::{plural, MAX_VISIT_DAYS};
use hearth_core::{CheckIn, DateRange, Mood, Note, PlannedStay, Record, RecordId, Visit};
use leptos::prelude::*;

/// The first and last day of a month.
pub(crate) fn month_bounds(year: i32, month: u32) -> Option<(NaiveDate, NaiveDate)> {
    let first = NaiveDate::from_ymd_opt(year, month, 1)?;
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)?
    };
    Some((first, next - Duration::days(1)))
}

/// What a table row adds after a record's first cell: " (deleted: why)",
/// " (corrected)" or nothing.
fn changes<T: hearth_core::Body>(rec: &Record<T>, amended: &str) -> String {
    match rec.deleted() {
        Some(t) => format!(" (deleted: {})", isolate(&t.reason)),
        None if rec.is_amended() => format!(" ({amended})"),
        None => String::new(),
    }
}

/// The month `by` months after `year`-`month`.
pub(crate) fn shift(year: i32, month: u32, by: i32) -> (i32, u32) {
    let index = year * 12 + month as i32 - 1 + by;
    (index.div_euclid(12), index.rem_euclid(12) as u32 + 1)
}

/// The report screen.
#[component]
pub fn Report(person: RecordId, year: i32, month: u32) -> impl IntoView {
    let state = AppState::get();
    let Some((first, last)) = month_bounds(year, month) else {
        return view! { <main class="page"><p>"That month doesn't exist."</p></main> }.into_any();
    };
    let Some(record) = state.person(person) else {
        return view! {
            <PageHeader title="Report" back=Route::People />
            <main class="page"><p>"This person isn't on this phone."</p></main>
        }
        .into_any();
    };
    let body = record.body().clone();
    let name = body.display_name();
    let profile = state.profile.get_untracked();
    let (carer, household) = profile
        .map(|p| {
            (
                isolate(p.body().carer_name()).into_owned(),
                isolate(p.body().household_name()).into_owned(),
            )
        })
        .unwrap_or_default();
    let store = state.store.clone();
    let records = LocalResource::new(move || {
        let store = store.clone();
        // A day's margin either side covers every time zone; the day filter below is exact.
        let since = Utc.from_utc_datetime(
            &(first - Duration::days(1))
                .and_hms_opt(0, 0, 0)
                .unwrap_or_default(),
        );
        async move {
            let in_month = |day: NaiveDate| day >= first && day <= last;
            let mut notes = store
                .for_person::<Note>(person, Some(since), usize::MAX)
                .await?;
            notes.retain(|n| in_month(n.body().day()));
            notes.reverse();
            let mut checkins = store
                .for_person::<CheckIn>(person, Some(since), usize::MAX)
                .await?;
            checkins.retain(|c| in_month(c.body().day()));
            checkins.reverse();
            // A stay can start up to a year before the month it reaches into.
            let visits_since = since - Duration::days(MAX_VISIT_DAYS);
            let mut visits = store
                .for_person::<Visit>(person, Some(visits_since), usize::MAX)
                .await?;
            visits.retain(|v| {
                v.body().start().date_naive() <= last && v.body().end().date_naive() >= first
            });
            visits.reverse();
            let month = DateRange::between(first, last).unwrap_or(DateRange::ALL);
            let mut stays = store.all::<PlannedStay>().await?;
            stays.retain(|s| {
                let b = s.body();
                b.person_id() == person && month.touches(b.arrival(), b.departure())
            });
            hearth_core::order::sort_by_key(&mut stays, |s| {
                (s.body().arrival(), s.body().departure())
            });
            let days: Vec<NaiveDate> = first.iter_days().take_while(|d| *d <= last).collect();
            let chart = crate::pages::mar::read_month(store.clone(), person, days)
                .await?
                .chart;
            Ok::<_, crate::storage::StorageError>((notes, checkins, visits, stays, chart))
        }
    });
    let (prev_y, prev_m) = shift(year, month, -1);
    let (next_y, next_m) = shift(year, month, 1);
    let month_name = hearth_core::dates::month_year(first);
    let made = {
        use hearth_core::LocalZone;
        let local = browser::BrowserZone.to_local(browser::now());
        format!(
            "{} at {}",
            hearth_core::dates::long_date(local.date_naive()),
            hearth_core::dates::time_label(local.time(), browser::prefers_twelve_hour())
        )
    };
    let title = format!("{name}: {month_name}");
    let next_is_future =
        NaiveDate::from_ymd_opt(next_y, next_m, 1).is_none_or(|d| d > browser::today());
    view! {
        <PageHeader title=title back=Route::Person(person) />
        <main class="page report">
            <crate::components::records::SampleLine person=person />
            <div class="btn-row no-print">
                <Link to=Route::Report(person, prev_y, prev_m) class="btn">{format!("‹ {}", NaiveDate::from_ymd_opt(prev_y, prev_m, 1).map(|d| hearth_core::dates::month_name(d).to_string()).unwrap_or_default())}</Link>
                {(!next_is_future).then(|| view! {
                    <Link to=Route::Report(person, next_y, next_m) class="btn">{format!("{} ›", NaiveDate::from_ymd_opt(next_y, next_m, 1).map(|d| hearth_core::dates::month_name(d).to_string()).unwrap_or_default())}</Link>
                })}
                <button class="btn btn-primary" on:click=|_| { let _ = window().print(); }>
                    <Svg icon=Icon::Download />"Print or save as PDF"
                </button>
            </div>
            <header class="report-head">
                <h2>{format!("Monthly report: {name}")}</h2>
                <dl class="facts">
                    <dt>"Person"</dt><dd>{if body.full_name().is_empty() { name.clone() } else { format!("{name} ({})", isolate(body.full_name())) }}</dd>
                    <dt>"Month"</dt><dd>{month_name.clone()}</dd>
                    <dt>"Carer"</dt><dd>{format!("{carer}, {household}")}</dd>
                    <dt>"Made"</dt><dd>{made}</dd>
                </dl>
            </header>
            <Suspense fallback=|| view! { <p class="muted">"Gathering the month's records…"</p> }>
                {move || records.get().map(|result| {
                    let name = name.clone();
                    match result {
                        Err(e) => view! { <div class="banner banner-error" role="alert"><p>{e.to_string()}</p></div> }.into_any(),
                        Ok((notes, checkins, visits, stays, chart)) => view! {
                            <VisitsSection visits=visits />
                            <StaysSection stays=stays />
                            <CheckInsSection checkins=checkins name=name.clone() first=first last=last />
                            {(!chart.rows.is_empty()).then(|| view! {
                                <section class="report-section">
                                    <h2>"Medicines chart (MAR)"</h2>
                                    <crate::pages::mar::MarTable chart=chart person=body.clone() month=month_name.clone() />
                                </section>
                            })}
                            <NotesSection notes=notes />
                        }.into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
    .into_any()
}

#[component]
fn CheckInsSection(
    checkins: Vec<Record<CheckIn>>,
    name: String,
    first: NaiveDate,
    last: NaiveDate,
) -> impl IntoView {
    let points = trends::mood_points(&checkins, first, last);
    let summary = trends::summarise(&points);
    let label = format!(
        "{}{}: {} answered by {name}, {} with help, {} observed by the carer.",
        plural(summary.count as i64, "check-in"),
        summary
            .mean
            .map(|m| format!(", average {}", Mood::average_words(m)))
            .unwrap_or_default(),
        summary.themselves,
        summary.with_help,
        summary.observed,
    );
    view! {
        <section class="report-section">
            <h2>"Wellbeing check-ins"</h2>
            {if checkins.is_empty() {
                view! { <p>"No check-ins this month."</p> }.into_any()
            } else {
                view! {
                    <p>{label.clone()}</p>
                    <MoodChart points=points from=first to=last label=label />
                    <ChartKey name=name.clone() />
                    <table class="table">
                        <thead><tr><th scope="col">"When"</th><th scope="col">"Feeling"</th><th scope="col">"Who answered"</th><th scope="col">"Own words"</th></tr></thead>
                        <tbody>
                            {checkins.iter().map(|c| {
                                let b = c.body();
                                let state = changes(c, "corrected");
                                view! {
                                    <tr>
                                        <td data-label="When">{when_label(b.occurred_at())}</td>
                                        <td data-label="Feeling">{format!("{}{state}", b.mood().label())}</td>
                                        <td data-label="Who answered">{b.answered().label(&name)}</td>
                                        <td data-label="Own words">{b.own_words().to_string()}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn NotesSection(notes: Vec<Record<Note>>) -> impl IntoView {
    view! {
        <section class="report-section">
            <h2>"Daily notes"</h2>
            {if notes.is_empty() {
                view! { <p>"No notes this month."</p> }.into_any()
            } else {
                notes.into_iter().map(|n| {
                    let b = n.body().clone();
                    let topics = b.topics().iter().map(|t| t.label()).collect::<Vec<_>>().join(", ");
                    view! {
                        <article class="report-note">
                            <h3>{when_label(b.occurred_at())}</h3>
                            {n.deleted().map(|t| view! {
                                <p><strong>{format!("Deleted by {} {}: {}", isolate(&t.deleted_by), instant_label(t.deleted_at), isolate(&t.reason))}</strong></p>
                            })}
                            <p class="note-text">{b.text().to_string()}</p>
                            <p class="meta">
                                {(!topics.is_empty()).then(|| format!("Topics: {topics}. "))}
                                {if b.with_person() { "Written with the person. " } else { "" }}
                                {format!("Written by {}.", isolate(n.created_by()))}
                                {n.is_amended().then(|| format!(" Corrected {}, last by {} {}; earlier versions are kept in Hearth.", plural(n.history().len() as i64, "time"), isolate(n.updated_by()), instant_label(n.updated_at())))}
                            </p>
                        </article>
                    }
                }).collect_view().into_any()
            }}
        </section>
    }
}

/// A report section of one table: a row per record, or a sentence when
/// there are none.
#[component]
fn TableSection(
    title: &'static str,
    empty: &'static str,
    headers: &'static [&'static str],
    rows: Vec<Vec<String>>,
) -> impl IntoView {
    view! {
        <section class="report-section">
            <h2>{title}</h2>
            {if rows.is_empty() {
                view! { <p>{empty}</p> }.into_any()
            } else {
                view! {
                    <table class="table">
                        <thead><tr>{headers.iter().map(|h| view! { <th scope="col">{*h}</th> }).collect_view()}</tr></thead>
                        <tbody>
                            {rows.into_iter().map(|cells| view! {
                                <tr>{cells.into_iter().zip(headers).map(|(c, h)| view! { <td data-label=*h>{c}</td> }).collect_view()}</tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn VisitsSection(visits: Vec<Record<Visit>>) -> impl IntoView {
    let rows = visits
        .iter()
        .map(|v| {
            let b = v.body();
            vec![
                format!("{}{}", b.kind().label(), changes(v, "corrected")),
                when_label(b.start()),
                when_label(b.end()),
                b.length_words(),
                if b.what_happened().is_empty() {
                    b.place_words()
                } else {
                    format!("{}: {}", b.place_words(), b.what_happened())
                },
            ]
        })
        .collect();
    view! {
        <TableSection
            title="Visits and stays"
            empty="No visits or stays logged this month."
            headers=&["Kind", "From", "To", "Length", "What happened"]
            rows=rows
        />
    }
}

/// The short breaks planned for nights in the month: what was agreed, next to
/// what the visit log says happened.
#[component]
fn StaysSection(stays: Vec<Record<PlannedStay>>) -> impl IntoView {
    let twelve_hour = browser::prefers_twelve_hour();
    let with_time = |day: NaiveDate, time: Option<chrono::NaiveTime>| match time {
        Some(t) => format!(
            "{} {}",
            hearth_core::dates::long_date(day),
            hearth_core::dates::time_label(t, twelve_hour)
        ),
        None => hearth_core::dates::long_date(day),
    };
    let rows = stays
        .iter()
        .map(|s| {
            let b = s.body();
            vec![
                with_time(b.arrival(), b.arrival_time()),
                with_time(b.departure(), b.departure_time()),
                b.nights().to_string(),
                format!("{}{}", b.status().label(), changes(s, "changed")),
                b.host().to_string(),
            ]
        })
        .collect();
    view! {
        <TableSection
            title="Planned short breaks"
            empty="No short breaks planned for this month."
            headers=&["Arrives", "Leaves", "Nights", "Status", "Staying with"]
            rows=rows
        />
    }
}
