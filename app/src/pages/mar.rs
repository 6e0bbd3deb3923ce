//! A person's MAR chart for a month: a row per medicine and time of day, a
//! cell per dose with its outcome's code and the recorder's initials, the key
//! of codes on every printed page (the table's foot), and the person's name,
//! date of birth, allergies and GP at the top of every page (its head);
//! printable on A4 landscape, as CSV too; then the audit: doses with no
//! outcome, outcomes recorded late, "when needed" doses with no effect noted,
//! and doses recorded twice.

use crate::browser;
use crate::components::icons::{Icon, Svg};
use crate::components::nav::{Link, PageHeader};
use crate::pages::report::{month_bounds, shift};
use crate::route::Route;
use crate::state::AppState;
use chrono::{Datelike, Duration, NaiveDate, TimeZone, Utc};
use hearth_core::dose::{codes_key, DoseRecord};
use hearth_core::mar::{audit, chart, Absence, Audit, Cell, Chart};
use hearth_core::medicine::Medicine;
use hearth_core::{LocalZone, Person, Record, RecordId};
use leptos::prelude::*;

/// What a month's chart is drawn from.
#[derive(Clone)]
pub(crate) struct Month {
    pub(crate) chart: Chart,
    audit: Audit,
    medicines: Vec<Record<Medicine>>,
    doses: Vec<Record<DoseRecord>>,
}

/// A person's medicines, their doses of `days` and their days away.
pub(crate) async fn read_month(
    store: crate::storage::Store,
    person: RecordId,
    days: Vec<NaiveDate>,
) -> Result<Month, crate::storage::StorageError> {
    let (Some(first), Some(last)) = (days.first().copied(), days.last().copied()) else {
        return Ok(Month {
            chart: Chart {
                days,
                rows: Vec::new(),
            },
            audit: Audit::default(),
            medicines: Vec::new(),
            doses: Vec::new(),
        });
    };
    let mut medicines = store.all::<Medicine>().await?;
    medicines.retain(|m| m.body().person_id() == person);
    // The day filter is exact.
    let mut doses = store
        .for_person::<DoseRecord>(person, Some(day_before(first)), usize::MAX)
        .await?;
    doses.retain(|d| (first..=last).contains(&d.body().at().date_naive()));
    let absences = days_away(&store, &[person], &days).await?;
    let now = browser::now();
    let zone = browser::BrowserZone;
    let chart = chart(&medicines, &doses, &absences, &days, now, &zone);
    let audit = audit(&medicines, &doses, &absences, &days, now, &zone);
    Ok(Month {
        chart,
        audit,
        medicines,
        doses,
    })
}

/// The start of the UTC day before `first`: a day's margin that covers every
/// time zone, for reading what a local day may hold.
fn day_before(first: NaiveDate) -> chrono::DateTime<Utc> {
    Utc.from_utc_datetime(
        &(first - Duration::days(1))
            .and_hms_opt(0, 0, 0)
            .unwrap_or_default(),
    )
}

/// The days away of `people` over `days`: those entered, and for someone
/// who comes for short breaks or the day, the times between their visits
/// and stays (their doses then are theirs at home, coded away with family).
pub(crate) async fn days_away(
    store: &crate::storage::Store,
    people: &[RecordId],
    days: &[NaiveDate],
) -> Result<Vec<Record<Absence>>, crate::storage::StorageError> {
    let mut absences = store.all::<Absence>().await?;
    absences.retain(|a| people.contains(&a.body().person_id()));
    let Some(first) = days.first() else {
        return Ok(absences);
    };
    let visitors: Vec<RecordId> = AppState::get().people.with_untracked(|all| {
        people
            .iter()
            .copied()
            .filter(|&person| {
                all.iter().find(|p| p.id() == person).is_some_and(|p| {
                    !p.body()
                        .arrangements()
                        .contains(&hearth_core::Arrangement::LongTerm)
                })
            })
            .collect()
    });
    if visitors.is_empty() {
        return Ok(absences);
    }
    // Everyone's planned stays, read once.
    let stays = store.all::<hearth_core::PlannedStay>().await?;
    let zone = browser::BrowserZone;
    for person in visitors {
        let here = stays_here(store, person, &stays, day_before(*first), &zone).await?;
        absences.extend(hearth_core::mar::away_between(person, &here, days, &zone));
    }
    Ok(absences)
}

/// When a person was or will be here: their visits and stays logged, their
/// planned stays (of `stays`, everyone's) not cancelled and a visit running
/// on this phone (a visit or stay is logged as it ends).
async fn stays_here(
    store: &crate::storage::Store,
    person: RecordId,
    stays: &[Record<hearth_core::PlannedStay>],
    since: chrono::DateTime<Utc>,
    zone: &browser::BrowserZone,
) -> Result<Vec<(chrono::DateTime<Utc>, chrono::DateTime<Utc>)>, crate::storage::StorageError> {
    use hearth_core::{StayStatus, Visit};
    let visits = store
        .for_person::<Visit>(
            person,
            Some(since - Duration::days(hearth_core::visit::MAX_VISIT_DAYS)),
            usize::MAX,
        )
        .await?;
    let mut here: Vec<_> = visits
        .iter()
        .filter(|v| v.is_live())
        .map(|v| (v.body().start().to_utc(), v.body().end().to_utc()))
        .collect();
    here.extend(
        stays
            .iter()
            .filter(|s| {
                s.is_live()
                    && s.body().person_id() == person
                    && s.body().status() != StayStatus::Cancelled
            })
            .map(|s| {
                let b = s.body();
                let from = b
                    .arrival()
                    .and_time(b.arrival_time().unwrap_or(chrono::NaiveTime::MIN));
                let to = match b.departure_time() {
                    Some(t) => b.departure().and_time(t),
                    None => (b.departure() + Duration::days(1)).and_time(chrono::NaiveTime::MIN),
                };
                (zone.resolve(from).to_utc(), zone.resolve(to).to_utc())
            }),
    );
    // A visit in progress on this phone is logged as it ends; until then
    // they are here, and for the hour that Today looks ahead.
    let running = AppState::get().running.get_untracked();
    let ahead = browser::now() + Duration::minutes(60);
    here.extend(
        running
            .iter()
            .filter(|v| v.person_id == person)
            .map(|v| (v.started_at, ahead)),
    );
    Ok(here)
}

/// How many days a pharmacy's cycle of medicines lasts: the chart can follow
/// it instead of the calendar month.
pub const CYCLE_DAYS: i64 = 28;

/// The MAR chart screen for a calendar month.
#[component]
pub fn MedicineChart(person: RecordId, year: i32, month: u32) -> impl IntoView {
    let Some((first, last)) = month_bounds(year, month) else {
        return missing().into_any();
    };
    let month_label = |(y, m): (i32, u32)| {
        NaiveDate::from_ymd_opt(y, m, 1)
            .map(|d| hearth_core::dates::month_name(d).to_string())
            .unwrap_or_default()
    };
    let (prev, next) = (shift(year, month, -1), shift(year, month, 1));
    let next_is_future =
        NaiveDate::from_ymd_opt(next.0, next.1, 1).is_none_or(|d| d > browser::today());
    view! {
        <ChartScreen
            person=person
            days=first.iter_days().take_while(|d| *d <= last).collect()
            label=hearth_core::dates::month_year(first)
            file_part=format!("{year:04}-{month:02}")
            prev=(Route::MedicineChart(person, prev.0, prev.1), format!("‹ {}", month_label(prev)))
            next=(!next_is_future).then(|| (Route::MedicineChart(person, next.0, next.1), format!("{} ›", month_label(next))))
        />
    }
    .into_any()
}

/// The MAR chart screen for a pharmacy's 28-day cycle from `start`.
#[component]
pub fn MedicineCycle(person: RecordId, start: NaiveDate) -> impl IntoView {
    let days: Vec<NaiveDate> = start.iter_days().take(CYCLE_DAYS as usize).collect();
    let last = days.last().copied().unwrap_or(start);
    let (prev, next) = (
        start - Duration::days(CYCLE_DAYS),
        start + Duration::days(CYCLE_DAYS),
    );
    let short = hearth_core::dates::short_date;
    view! {
        <ChartScreen
            person=person
            days=days
            label=format!("{} to {}", hearth_core::dates::long_date(start), hearth_core::dates::long_date(last))
            file_part=format!("from-{}", hearth_core::dates::form_date(start))
            prev=(Route::MedicineCycle(person, prev), format!("‹ From {}", short(prev)))
            next=(next <= browser::today()).then(|| (Route::MedicineCycle(person, next), format!("From {} ›", short(next))))
        />
    }
}

fn missing() -> impl IntoView {
    view! {
        <PageHeader title="Medicines chart" back=Route::People />
        <main class="page"><p>"This chart isn't on this phone."</p></main>
    }
}

/// The chart of `days` (28 to 31 of them): moving on and back, printing,
/// the chart, its CSV and its audit; and choosing a 28-day cycle instead.
#[component]
fn ChartScreen(
    person: RecordId,
    days: Vec<NaiveDate>,
    /// "December 2026", or the cycle's first and last days.
    label: String,
    /// In the CSV files' names: "2026-12" or "from-2026-11-20".
    file_part: String,
    /// The chart before: where, and its words.
    prev: (Route, String),
    /// The chart after, unless it is still to come.
    next: Option<(Route, String)>,
) -> impl IntoView {
    let state = AppState::get();
    let Some(record) = state.person(person) else {
        return missing().into_any();
    };
    let body = record.body().clone();
    let name = body.display_name();
    let store = state.store.clone();
    let revision = state.revision;
    let month_data = LocalResource::new(move || {
        revision.track();
        read_month(store.clone(), person, days.clone())
    });
    let slug: String = name.chars().filter(|c| c.is_alphanumeric()).collect();
    let cycle_from = RwSignal::new(String::new());
    let cycle_errors = RwSignal::new(hearth_core::ValidationErrors::new());
    let choose_cycle = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match hearth_core::dates::parse_form_date(&cycle_from.get_untracked()) {
            Some(start) if start <= browser::today() => {
                cycle_errors.set(hearth_core::ValidationErrors::new());
                crate::route::navigate(&Route::MedicineCycle(person, start));
            }
            found => {
                let mut e = hearth_core::ValidationErrors::new();
                e.add(
                    "cycle_from",
                    if found.is_some() {
                        "Choose a cycle that has started: today or earlier."
                    } else {
                        "Enter the day the cycle starts, as on the pharmacy's chart."
                    },
                );
                crate::components::form::focus_first_error(&e);
                cycle_errors.set(e);
            }
        }
    };
    view! {
        <PageHeader title=format!("{name}'s medicines chart") back=Route::Medicines(person) />
        <main class="page mar-page">
            <crate::components::records::SampleLine person=person />
            <div class="btn-row no-print">
                <Link to=prev.0 class="btn">{prev.1}</Link>
                {next.map(|(to, words)| view! { <Link to=to class="btn">{words}</Link> })}
                <button class="btn btn-primary" on:click=|_| { let _ = window().print(); }>
                    <Svg icon=Icon::Download />"Print or save as PDF"
                </button>
                <Link to=Route::DaysAway(person) class="btn">"Days away"</Link>
            </div>
            <Transition fallback=|| view! { <p class="muted">"Drawing the chart…"</p> }>
                {move || month_data.get().map(|r| match r {
                    Err(e) => view! { <div class="banner banner-error" role="alert"><p>{e.to_string()}</p></div> }.into_any(),
                    Ok(m) => {
                        let csv_name = format!("{slug}-medicines-chart-{file_part}.csv");
                        let doses_name = format!("{slug}-doses-{file_part}.csv");
                        view! {
                            <MarTable chart=m.chart.clone() person=body.clone() month=label.clone() />
                            <CsvButtons month=m.clone() name=name.clone() files=(csv_name, doses_name) />
                            <AuditSection audit=m.audit medicines=m.medicines doses=m.doses />
                        }.into_any()
                    }
                })}
            </Transition>
            <form class="no-print" on:submit=choose_cycle novalidate>
                <crate::components::form::Field label="A 28-day cycle from".into() name="cycle_from" value=cycle_from errors=cycle_errors
                    kind=crate::components::form::Kind::Date hint="To match the pharmacy's chart, the day its cycle starts." />
                <button class="btn" type="submit">"Show that cycle"</button>
            </form>
        </main>
    }
    .into_any()
}

/// "Download the chart" and "Download every dose", as CSV.
#[component]
fn CsvButtons(month: Month, name: String, files: (String, String)) -> impl IntoView {
    let said = RwSignal::new(None::<Result<String, String>>);
    let chart_csv = hearth_core::csv::mar_csv(&month.chart, &name);
    let range = match (month.chart.days.first(), month.chart.days.last()) {
        (Some(a), Some(b)) => {
            hearth_core::DateRange::between(*a, *b).unwrap_or(hearth_core::DateRange::ALL)
        }
        _ => hearth_core::DateRange::ALL,
    };
    let doses_csv = hearth_core::csv::doses_csv(&month.doses, &month.medicines, &name, range);
    let save = move |file: String, csv: String| {
        move |_| {
            let result = browser::download(&file, "text/csv;charset=utf-8", &csv)
                .map(|()| format!("Saved {file} to this phone's downloads."));
            said.set(Some(result));
        }
    };
    view! {
        <div class="btn-row no-print">
            <button class="btn" on:click=save(files.0, chart_csv)><Svg icon=Icon::Download />"Download the chart (CSV)"</button>
            <button class="btn" on:click=save(files.1, doses_csv)><Svg icon=Icon::Download />"Download every dose (CSV)"</button>
        </div>
        <div role="status" class="no-print">
            {move || said.get().map(|r| match r {
                Ok(done) => view! { <p>{done}</p> }.into_any(),
                Err(e) => view! { <p class="error">{e}</p> }.into_any(),
            })}
        </div>
    }
}

/// The chart itself: also drawn in the monthly report.
#[component]
pub fn MarTable(chart: Chart, person: Person, month: String) -> impl IntoView {
    // The chart's own styles, in `mar.css` (precached like the rest) so the
    // start-up stylesheet stays small: a table that scrolls inside itself on
    // a phone and fills an A4 landscape page on paper, its head and key
    // repeated on every page.
    let style = view! { <link rel="stylesheet" href="mar.css" /> };
    let columns = chart.days.len() + 2;
    let name = if person.full_name().is_empty() {
        person.display_name()
    } else {
        format!(
            "{} ({})",
            hearth_core::bidi::isolate(person.full_name()),
            person.display_name()
        )
    };
    let born = person
        .date_of_birth()
        .map(hearth_core::dates::long_date)
        .unwrap_or_else(|| "not recorded".into());
    let or_not = |s: &str| {
        if s.is_empty() {
            "not recorded".to_string()
        } else {
            s.to_string()
        }
    };
    let (allergies, gp) = (or_not(person.allergies()), or_not(person.gp()));
    let about =
        format!("{name} · Born {born} · Allergies and reactions: {allergies} · GP: {gp} · {month}");
    // On screen the same facts stand above the chart, readable at any text
    // size; on paper the chart's head repeats them on every page.
    let facts = view! {
        <dl class="facts no-print">
            <dt>"Person"</dt><dd>{name.clone()}</dd>
            <dt>"Born"</dt><dd>{born.clone()}</dd>
            <dt>"Allergies and reactions"</dt><dd>{allergies.clone()}</dd>
            <dt>"GP"</dt><dd>{gp.clone()}</dd>
            <dt>"Chart of"</dt><dd>{month.clone()}</dd>
        </dl>
    };
    let mut key: Vec<String> = codes_key()
        .into_iter()
        .map(|(c, l)| format!("{c} {l}"))
        .collect();
    key.extend([
        "? No outcome recorded".to_string(),
        "* Recorded more than 2 hours late".to_string(),
        "2× Two outcomes for one dose: to be sorted out".to_string(),
        "Initials: who recorded it".to_string(),
    ]);
    let key = format!("Key: {}", key.join(" · "));
    let empty = chart.rows.is_empty();
    let head_days = chart
        .days
        .iter()
        .map(|d| {
            let weekend = d.weekday().num_days_from_monday() >= 5;
            let letter = &hearth_core::dates::weekday_name(*d)[..2];
            view! {
                <th scope="col" class:mar-weekend=weekend>
                    <abbr title=hearth_core::dates::weekday_day_month(*d)>{d.day()}<br />{letter.to_string()}</abbr>
                </th>
            }
        })
        .collect_view();
    let days = chart.days.clone();
    let rows = chart
        .rows
        .into_iter()
        .map(|row| {
            let time = row
                .time
                .map(hearth_core::easy_read::time_words)
                .unwrap_or_else(|| "When needed".into());
            let cells = row
                .cells
                .iter()
                .zip(&days)
                .map(|(cell, day)| {
                    let weekend = day.weekday().num_days_from_monday() >= 5;
                    let gap = matches!(cell, Cell::Missing | Cell::Conflict(_));
                    let text = match cell {
                        Cell::Done {
                            code,
                            initials,
                            late,
                        } => {
                            format!("{code}{}\n{initials}", if *late { "*" } else { "" })
                        }
                        Cell::WhenNeeded(doses) => doses
                            .iter()
                            .map(|(t, code, initials)| {
                                format!("{} {code} {initials}", hearth_core::dates::form_time(*t))
                            })
                            .collect::<Vec<_>>()
                            .join("\n"),
                        _ => cell.text(),
                    };
                    view! { <td class:mar-gap=gap class:mar-weekend=weekend && !gap >{text}</td> }
                })
                .collect_view();
            view! {
                <tr>
                    <th scope="row">{row.title}<span>{row.detail}</span></th>
                    <td>{time}</td>
                    {cells}
                </tr>
            }
        })
        .collect_view();
    view! {
        {style}
        {facts}
        <div class="mar-print">
            <div class="mar-scroll" role="region" aria-label="Medicines chart" tabindex="0">
                <table class="mar">
                    <thead>
                        <tr class="mar-about"><th colspan=columns scope="colgroup">{about}</th></tr>
                        <tr><th scope="col">"Medicine"</th><th scope="col">"Time"</th>{head_days}</tr>
                    </thead>
                    <tbody>
                        {rows}
                        {empty.then(|| view! { <tr><td colspan=columns>"No medicines recorded for this month."</td></tr> })}
                    </tbody>
                    <tfoot><tr class="mar-key"><td colspan=columns>{key}</td></tr></tfoot>
                </table>
            </div>
        </div>
    }
}

/// The audit: what a scheme's auditor looks for, in words.
#[component]
fn AuditSection(
    audit: Audit,
    medicines: Vec<Record<Medicine>>,
    doses: Vec<Record<DoseRecord>>,
) -> impl IntoView {
    let zone = browser::BrowserZone;
    let title = |id: RecordId| {
        medicines
            .iter()
            .find(|m| m.id() == id)
            .map(|m| m.body().title())
            .unwrap_or_default()
    };
    let when = |at: chrono::DateTime<Utc>| {
        let local = zone.to_local(at);
        format!(
            "{} at {}",
            hearth_core::dates::short_date(local.date_naive()),
            hearth_core::easy_read::time_words(local.time())
        )
    };
    let dose = |id: RecordId| doses.iter().find(|d| d.id() == id);
    let about = |id: RecordId| {
        dose(id)
            .map(|d| {
                format!(
                    "{}, {}",
                    title(d.body().medicine_id()),
                    when(d.body().at().to_utc())
                )
            })
            .unwrap_or_default()
    };
    let missing: Vec<String> = audit
        .missing
        .iter()
        .map(|(m, at)| format!("{}, {}", title(*m), when(*at)))
        .collect();
    let late: Vec<String> = audit
        .late
        .iter()
        .map(|id| {
            let recorded = dose(*id).map(|d| when(d.created_at())).unwrap_or_default();
            format!("{}: recorded {recorded}", about(*id))
        })
        .collect();
    let no_effect: Vec<String> = audit.no_effect.iter().map(|id| about(*id)).collect();
    let conflicts: Vec<String> = audit
        .conflicts
        .iter()
        .filter_map(|ids| ids.first())
        .filter(|id| dose(**id).is_some())
        .map(|id| about(*id))
        .collect();
    let clean =
        missing.is_empty() && late.is_empty() && no_effect.is_empty() && conflicts.is_empty();
    let group = |heading: &'static str, lines: Vec<String>| {
        (!lines.is_empty()).then(|| {
            view! {
                <h3>{format!("{heading} ({})", lines.len())}</h3>
                <ul>{lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul>
            }
        })
    };
    view! {
        <section class="report-section" aria-labelledby="audit-head">
            <h2 id="audit-head">"Check the chart"</h2>
            {clean.then(|| view! { <p>"Every dose due this month has an outcome, recorded on time, and every \"when needed\" dose has its effect noted."</p> })}
            {group("Doses with no outcome", missing)}
            {group("Recorded more than 2 hours late", late)}
            {group("\"When needed\" doses with no effect noted", no_effect)}
            {group("Doses recorded twice", conflicts)}
        </section>
    }
}
