//! Stays: the diary of planned short breaks, upcoming first, then past.

use crate::browser;
use crate::components::icons::{Icon, Svg};
use crate::components::nav::{Link, PageHeader};
use crate::components::paint::AfterPaint;
use crate::components::records::SampleChip;
use crate::route::Route;
use crate::state::AppState;
use chrono::{Datelike, NaiveDate};
use hearth_core::dates::day_label;
use hearth_core::visit::plural;
use hearth_core::{PlannedStay, Record, StayStatus};
use leptos::prelude::*;

/// "Fri 5 Dec to Sun 7 Dec · 2 nights".
pub fn stay_dates(stay: &PlannedStay, today: NaiveDate) -> String {
    format!(
        "{} to {} · {}",
        day_label(stay.arrival(), today),
        day_label(stay.departure(), today),
        plural(stay.nights(), "night")
    )
}

/// The Stays screen.
#[component]
pub fn Stays() -> impl IntoView {
    let state = AppState::get();
    let store = state.store.clone();
    let revision = state.revision;
    let stays = LocalResource::new(move || {
        revision.track();
        let store = store.clone();
        async move { store.all::<PlannedStay>().await }
    });
    let today = browser::today();
    let names = state.clone();
    view! {
        <PageHeader title="Stays" />
        <main class="page">
            <div class="btn-row">
                <Link to=Route::NewStay(None) class="btn btn-primary"><Svg icon=Icon::Plus />"Plan a stay"</Link>
                <Link to=Route::Summary(today.year(), today.month()) class="btn">"Monthly summary"</Link>
            </div>
            <Transition fallback=|| view! { <p class="muted">"Loading stays…"</p> }>
                {move || stays.get().map(|result| match result {
                    Err(e) => view! { <div class="banner banner-error" role="alert"><p>{e.to_string()}</p></div> }.into_any(),
                    Ok(all) => {
                        let mut all: Vec<Record<PlannedStay>> = all.into_iter().filter(Record::is_live).collect();
                        hearth_core::order::sort_by_key(&mut all, |s| s.body().arrival());
                        let (upcoming, mut past): (Vec<_>, Vec<_>) =
                            all.into_iter().partition(|s| s.body().departure() >= today);
                        past.reverse();
                        let names = names.clone();
                        let row = move |s: Record<PlannedStay>| {
                            let name = names.person(s.body().person_id()).map(|p| p.body().display_name()).unwrap_or_default();
                            let sample = names.is_sample(s.body().person_id());
                            view! { <StayRow stay=s name=name today=today sample=sample /> }
                        };
                        view! {
                            <section aria-labelledby="upcoming-head">
                                <h2 id="upcoming-head">"Coming up"</h2>
                                {if upcoming.is_empty() {
                                    view! {
                                        <div class="empty">
                                            <Svg icon=Icon::Calendar />
                                            <p>"No stays planned. Plan a short break, and the person and their family can see it in My stays."</p>
                                        </div>
                                    }.into_any()
                                } else {
                                    view! { <ul class="list">{upcoming.into_iter().map(row.clone()).collect_view()}</ul> }.into_any()
                                }}
                            </section>
                            // Below the stays to come, and it grows every
                            // month: drawn after they are painted.
                            {(!past.is_empty()).then(|| view! {
                                <AfterPaint>
                                    <section aria-labelledby="past-head">
                                        <h2 id="past-head">"Past"</h2>
                                        <ul class="list">{past.clone().into_iter().map(row.clone()).collect_view()}</ul>
                                    </section>
                                </AfterPaint>
                            })}
                        }.into_any()
                    }
                })}
            </Transition>
        </main>
    }
}

#[component]
fn StayRow(
    stay: Record<PlannedStay>,
    name: String,
    today: NaiveDate,
    sample: bool,
) -> impl IntoView {
    let body = stay.body().clone();
    let started = body.arrival() <= today && body.departure() >= today && body.is_on();
    let status = body.status();
    view! {
        <li>
            <Link to=Route::Stay(stay.id()) class="row-link">
                <span class="grow">
                    <span class="row-title">{name}</span>
                    <span class="meta">{stay_dates(&body, today)}</span>
                    <span class="chips">
                        <span class=format!("chip status-{}", status.label().to_lowercase())>{status.label()}</span>
                        {started.then(|| view! { <span class="chip">"Staying now"</span> })}
                        {sample.then(|| view! { <SampleChip /> })}
                    </span>
                </span>
            </Link>
        </li>
    }
}

/// Which stays a person has: for their page.
pub fn for_person(
    all: &[Record<PlannedStay>],
    person: hearth_core::RecordId,
    today: NaiveDate,
) -> Vec<Record<PlannedStay>> {
    let mut theirs: Vec<_> = all
        .iter()
        .filter(|s| {
            s.is_live()
                && s.body().person_id() == person
                && s.body().departure() >= today
                && s.body().status() != StayStatus::Cancelled
        })
        .cloned()
        .collect();
    hearth_core::order::sort_by_key(&mut theirs, |s| s.body().arrival());
    theirs
}
