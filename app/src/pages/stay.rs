//! One planned stay: dates, status, the notes for the person, and what can be
//! done with it (confirm, cancel, change, log it once it has started).

use crate::browser;
use crate::components::icons::{Icon, Svg};
use crate::components::loaded::{loaded, Frame};
use crate::components::nav::{Link, PageHeader};
use crate::components::records::instant_label;
use crate::pages::stays::stay_dates;
use crate::route::Route;
use crate::state::AppState;
use hearth_core::bidi::isolate;
use hearth_core::dates::{long_date, time_label};
use hearth_core::{PlannedStay, Record, RecordId, StayStatus};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The stay page.
#[component]
pub fn StayPage(id: RecordId) -> impl IntoView {
    let frame = Frame {
        title: "Stay",
        back: Route::Stays,
        missing: "This stay isn't on this phone.".into(),
        follow_saves: true,
    };
    loaded::<PlannedStay, _>(id, frame, |s| view! { <StayView stay=s /> }.into_any())
}

#[component]
fn StayView(stay: Record<PlannedStay>) -> impl IntoView {
    let state = AppState::get();
    let body = stay.body().clone();
    let today = browser::today();
    let person = body.person_id();
    let name = state
        .person(person)
        .map(|p| p.body().display_name())
        .unwrap_or_else(|| "Someone".into());
    let id = stay.id();
    let rev = stay.rev();
    let started = body.arrival() <= today && body.is_on();
    let twelve = browser::prefers_twelve_hour();
    let set_status = {
        let state = state.clone();
        let body = body.clone();
        move |status: StayStatus, done: &'static str| {
            let state = state.clone();
            let changed = body.with_status(status);
            spawn_local(async move {
                let author = state.author();
                match state
                    .store
                    .change(id, |rec| rec.amend(rev, changed, &author, browser::now()))
                    .await
                {
                    Ok(_) => state.saved(Some(done)),
                    Err(e) => state.show_toast(&e.to_string()),
                }
            });
        }
    };
    let confirm = set_status.clone();
    let cancel = move |_| {
        let sure = window()
            .confirm_with_message("Cancel this stay? It stays in the diary, marked as cancelled.")
            .unwrap_or(false);
        if sure {
            set_status(StayStatus::Cancelled, "Stay cancelled");
        }
    };
    let history = stay.history().to_vec();
    view! {
        <PageHeader title=format!("{name}'s stay") back=Route::Stays />
        <main class="page">
            <crate::components::records::SampleLine person=person />
            <article class="card">
                <p class="row-title">{stay_dates(&body, today)}</p>
                <dl class="facts">
                    <dt>"Arrives"</dt>
                    <dd>{format!("{}{}", long_date(body.arrival()), body.arrival_time().map(|t| format!(" at {}", time_label(t, twelve))).unwrap_or_default())}</dd>
                    <dt>"Leaves"</dt>
                    <dd>{format!("{}{}", long_date(body.departure()), body.departure_time().map(|t| format!(" at {}", time_label(t, twelve))).unwrap_or_default())}</dd>
                    <dt>"Staying with"</dt><dd>{body.host().to_string()}</dd>
                    <dt>"Status"</dt><dd><strong>{body.status().label()}</strong></dd>
                    {(!body.notes_for_person().is_empty()).then(|| view! {
                        <dt>{format!("Notes for {name}")}</dt><dd>{body.notes_for_person().to_string()}</dd>
                    })}
                </dl>
                <p class="meta">
                    {format!("Planned by {} {}.", isolate(stay.created_by()), instant_label(stay.created_at()))}
                    {stay.is_amended().then(|| format!(" Changed by {} {}.", isolate(stay.updated_by()), instant_label(stay.updated_at())))}
                </p>
            </article>
            <div class="btn-row">
                {started.then(|| view! {
                    <Link to=Route::NewVisit(Some(person), Some(id)) class="btn btn-primary">"Log this stay"</Link>
                })}
                {(body.status() == StayStatus::Planned).then(|| view! {
                    <button class="btn btn-primary" on:click=move |_| confirm(StayStatus::Confirmed, "Stay confirmed")>"Confirm"</button>
                })}
                <Link to=Route::EditStay(id) class="btn"><Svg icon=Icon::Pencil />"Change"</Link>
                <Link to=Route::MyStays(person) class="btn"><Svg icon=Icon::Calendar />{format!("{name}'s stays, easy-read")}</Link>
                {body.is_on().then(|| view! {
                    <button class="btn btn-danger" on:click=cancel>"Cancel this stay"</button>
                })}
            </div>
            {(!history.is_empty()).then(|| view! {
                <section aria-labelledby="history-head">
                    <h2 id="history-head">"Earlier versions"</h2>
                    {history.iter().rev().map(|v| view! {
                        <div class="history">
                            <p class="meta">{format!("Version {}: by {} {}", v.rev, isolate(&v.saved_by), instant_label(v.saved_at))}</p>
                            <p>{format!("{} · {}", stay_dates(&v.body, today), v.body.status().label())}</p>
                        </div>
                    }).collect_view()}
                </section>
            })}
        </main>
    }
}
