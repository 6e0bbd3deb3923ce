//! One visit or stay in full, with its history.

use crate::components::loaded::{loaded, Frame};
use crate::components::nav::{Link, PageHeader};
use crate::components::records::{instant_label, when_label, CorrectOrDelete, DeletedBanner, Kind};
use crate::route::Route;
use crate::state::AppState;
use hearth_core::bidi::isolate;
use hearth_core::{Record, RecordId, Visit};
use leptos::prelude::*;

/// The visit page.
#[component]
pub fn VisitPage(id: RecordId) -> impl IntoView {
    let frame = Frame {
        title: "Visit",
        back: Route::Today,
        missing: "This visit isn't on this phone.".into(),
        follow_saves: true,
    };
    loaded::<Visit, _>(id, frame, |v| view! { <VisitView visit=v /> }.into_any())
}

#[component]
fn VisitView(visit: Record<Visit>) -> impl IntoView {
    let state = AppState::get();
    let body = visit.body().clone();
    let person = body.person_id();
    let name = state
        .person(person)
        .map(|p| p.body().display_name())
        .unwrap_or_else(|| "Someone".into());
    let deleted = visit.deleted().cloned();
    let history = visit.history().to_vec();
    let id = visit.id();
    let rev = visit.rev();
    view! {
        <PageHeader title=format!("{name}: {}", body.kind().label()) back=Route::Person(person) />
        <main class="page">
            <crate::components::records::SampleLine person=person />
            <DeletedBanner deleted=deleted.clone() kind=Kind::Visit />
            <article class="card">
                <p class="row-title">{body.length_words()}</p>
                <dl class="facts">
                    <dt>"From"</dt><dd>{when_label(body.start())}</dd>
                    <dt>"To"</dt><dd>{when_label(body.end())}</dd>
                    <dt>"Where"</dt><dd>{body.place_words()}</dd>
                    {(!body.others_present().is_empty()).then(|| view! { <dt>"Who else was there"</dt><dd>{body.others_present().to_string()}</dd> })}
                    {(!body.what_happened().is_empty()).then(|| view! { <dt>"What happened"</dt><dd>{body.what_happened().to_string()}</dd> })}
                </dl>
                {body.planned_stay().map(|s| view! { <p><Link to=Route::Stay(s) class="btn btn-quiet">"See the planned stay"</Link></p> })}
                <p class="meta">
                    {format!("Logged by {} {}.", isolate(visit.created_by()), instant_label(visit.created_at()))}
                    {visit.is_amended().then(|| format!(" Edited by {} {}.", isolate(visit.updated_by()), instant_label(visit.updated_at())))}
                </p>
            </article>
            {deleted.is_none().then(|| view! { <CorrectOrDelete kind=Kind::Visit id=id rev=rev person=person edit=Route::EditVisit(id) /> })}
            {(!history.is_empty()).then(|| view! {
                <section aria-labelledby="history-head">
                    <h2 id="history-head">"Earlier versions"</h2>
                    {history.iter().rev().map(|v| view! {
                        <div class="history">
                            <p class="meta">{format!("Version {}: logged by {} {}", v.rev, isolate(&v.saved_by), instant_label(v.saved_at))}</p>
                            <p>{format!("{} · {} to {} · {}", v.body.kind().label(), when_label(v.body.start()), when_label(v.body.end()), v.body.length_words())}</p>
                            {(!v.body.what_happened().is_empty()).then(|| view! { <p class="note-text">{v.body.what_happened().to_string()}</p> })}
                        </div>
                    }).collect_view()}
                </section>
            })}
        </main>
    }
}
