//! The month's totals for payment claims: per person and kind (short breaks,
//! long-term, day support), visits, nights and hours. Printable and as CSV.

use crate::browser;
use crate::components::icons::{Icon, Svg};
use crate::components::nav::{Link, PageHeader};
use crate::components::records::SampleChip;
use crate::route::Route;
use crate::state::AppState;
use chrono::{Duration, NaiveDate, TimeZone, Utc};
use hearth_core::bidi::isolate;
use hearth_core::summary::{hours_decimal, month_csv, month_totals};
use hearth_core::visit::MAX_VISIT_DAYS;
use leptos::prelude::*;

fn shift(year: i32, month: u32, by: i32) -> (i32, u32) {
    let index = year * 12 + month as i32 - 1 + by;
    (index.div_euclid(12), index.rem_euclid(12) as u32 + 1)
}

/// The monthly summary screen.
#[component]
pub fn Summary(year: i32, month: u32) -> impl IntoView {
    let state = AppState::get();
    let Some(first) = NaiveDate::from_ymd_opt(year, month, 1) else {
        return view! { <main class="page"><p>"That month doesn't exist."</p></main> }.into_any();
    };
    let store = state.store.clone();
    let revision = state.revision;
    let totals = LocalResource::new(move || {
        revision.track();
        let store = store.clone();
        // A stay can start up to a year before the month it reaches into.
        let since = Utc.from_utc_datetime(
            &(first - Duration::days(MAX_VISIT_DAYS + 1))
                .and_hms_opt(0, 0, 0)
                .unwrap_or_default(),
        );
        async move {
            let visits = store.visits_since(since).await?;
            Ok::<_, crate::storage::StorageError>(month_totals(&visits, year, month))
        }
    });
    let (py, pm) = shift(year, month, -1);
    let (ny, nm) = shift(year, month, 1);
    let next_is_future = NaiveDate::from_ymd_opt(ny, nm, 1).is_none_or(|d| d > browser::today());
    let month_name = hearth_core::dates::month_year(first);
    let names = state.clone();
    let name_of = move |id| {
        names
            .person(id)
            .map(|p| p.body().display_name())
            .unwrap_or_else(|| "Someone".into())
    };
    let error = RwSignal::new(None::<String>);
    let done = RwSignal::new(None::<String>);
    // Sample people are left out of the totals (and the CSV) unless asked for.
    let with_sample = RwSignal::new(false);
    let samples = state.clone();
    let sample_toggle = move |left_out: usize| {
        (left_out > 0 || with_sample.get()).then(|| {
            view! {
                <label class="check no-print">
                    <input type="checkbox" prop:checked=move || with_sample.get()
                        on:change=move |ev| with_sample.set(event_target_checked(&ev)) />
                    <span>"Include sample data"</span>
                </label>
                {(left_out > 0).then(|| view! {
                    <p class="hint">{format!(
                        "Left out: {} for the made-up sample people.",
                        hearth_core::visit::plural(left_out as i64, "row")
                    )}</p>
                })}
            }
        })
    };
    view! {
        <PageHeader title=format!("Summary: {month_name}") back=Route::Stays />
        <main class="page report">
            // On paper the app's header isn't printed: the page says what it is.
            <h2 class="print-only">{format!("Monthly summary: {month_name}, {}", isolate(&state.household()))}</h2>
            <div class="btn-row no-print">
                <Link to=Route::Summary(py, pm) class="btn">"‹ Earlier"</Link>
                {(!next_is_future).then(|| view! { <Link to=Route::Summary(ny, nm) class="btn">"Later ›"</Link> })}
                <button class="btn" on:click=|_| { let _ = window().print(); }>"Print"</button>
            </div>
            <p>"Nights are counted on the evening they start; a stay across the end of a month counts in both."</p>
            <Suspense fallback=|| view! { <p class="muted">"Adding up…"</p> }>
                {move || totals.get().map(|r| {
                    let name_of = name_of.clone();
                    let samples = samples.clone();
                    let is_sample = move |id| samples.is_sample(id);
                    let mut left_out = 0;
                    let r = r.map(|rows| {
                        let (sample, mut rows): (Vec<_>, Vec<_>) =
                            rows.into_iter().partition(|t| is_sample(t.person_id));
                        if with_sample.get() {
                            rows.extend(sample);
                            hearth_core::order::sort_by_key(&mut rows, |t| t.person_id);
                        } else {
                            left_out = sample.iter().map(|t| t.kinds().count()).sum();
                        }
                        rows
                    });
                    let toggle = sample_toggle(left_out);
                    let body = match r {
                        Err(e) => view! { <div class="banner banner-error" role="alert"><p>{e.to_string()}</p></div> }.into_any(),
                        Ok(rows) if rows.is_empty() => view! {
                            <div class="empty"><p>{format!("Nothing logged in {}{}.", hearth_core::dates::month_year(first), if left_out > 0 { " for the people you support" } else { "" })}</p>
                            <Link to=Route::NewVisit(None, None) class="btn btn-primary">"Log a visit or stay"</Link></div>
                        }.into_any(),
                        Ok(rows) => {
                            let csv_rows = rows.clone();
                            let csv_names = {
                                let name_of = name_of.clone();
                                let is_sample = is_sample.clone();
                                move |id| if is_sample(id) { format!("{} (sample)", name_of(id)) } else { name_of(id) }
                            };
                            view! {
                                <table class="table summary-table">
                                    <caption>{format!("Totals for {}", hearth_core::dates::month_year(first))}</caption>
                                    <thead><tr>
                                        <th scope="col">"Person"</th>
                                        <th scope="col">"Kind"</th>
                                        <th scope="col">"Visits and stays"</th>
                                        <th scope="col">"Nights"</th>
                                        <th scope="col">"Hours"</th>
                                    </tr></thead>
                                    <tbody>
                                        {rows.iter().flat_map(|t| {
                                            let name = name_of(t.person_id);
                                            let sample = is_sample(t.person_id);
                                            t.kinds().map(move |(kind, k)| view! {
                                                <tr>
                                                    <th scope="row"><bdi>{name.clone()}</bdi>{sample.then(|| view! { " " <SampleChip /> })}</th>
                                                    <td data-label="Kind">{kind.label()}</td>
                                                    <td data-label="Visits and stays">{k.visits}</td>
                                                    <td data-label="Nights">{k.nights}</td>
                                                    <td data-label="Hours">{hours_decimal(k.minutes)}</td>
                                                </tr>
                                            }).collect::<Vec<_>>()
                                        }).collect_view()}
                                    </tbody>
                                </table>
                                <button class="btn no-print" on:click=move |_| {
                                    let csv = month_csv(&csv_rows, &csv_names, year, month);
                                    let file = format!("hearth-summary-{year:04}-{month:02}.csv");
                                    let saved = browser::download(&file, "text/csv;charset=utf-8", &csv);
                                    done.set(saved.is_ok().then(|| format!("Saved {file} to this phone's downloads.")));
                                    error.set(saved.err());
                                }>
                                    <Svg icon=Icon::Download />"Save as CSV"
                                </button>
                            }.into_any()
                        }
                    };
                    view! { {toggle} {body} }
                })}
            </Suspense>
            <p role="status" aria-live="polite" class="no-print">{move || done.get()}</p>
            {move || error.get().map(|e| view! { <div class="banner banner-error" role="alert"><p>{e}</p></div> })}
        </main>
    }
    .into_any()
}
