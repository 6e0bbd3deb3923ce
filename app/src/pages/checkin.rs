//! One check-in in full, with its history and, if deleted, its tombstone.

use crate::components::faces::Face;
use crate::components::loaded::{loaded, Frame};
use crate::components::nav::PageHeader;
use crate::components::records::{instant_label, when_label, CorrectOrDelete, DeletedBanner, Kind};
use crate::route::Route;
use crate::state::AppState;
use hearth_core::bidi::isolate;
use hearth_core::{CheckIn, Ons4Question, Record, RecordId};
use leptos::prelude::*;

/// The check-in page.
#[component]
pub fn CheckInPage(id: RecordId) -> impl IntoView {
    let frame = Frame {
        title: "Check-in",
        back: Route::Today,
        missing: "This check-in isn't on this phone.".into(),
        follow_saves: true,
    };
    loaded::<CheckIn, _>(id, frame, |c| {
        view! { <CheckInView checkin=c /> }.into_any()
    })
}

/// Lines "Label: value" for whatever was asked.
fn answers(c: &CheckIn) -> Vec<(String, String)> {
    let mut lines = Vec::new();
    if let Some(s) = c.sleep() {
        lines.push(("Sleep".to_string(), s.label().to_string()));
    }
    if let Some(a) = c.appetite() {
        lines.push(("Appetite".to_string(), a.label().to_string()));
    }
    if let Some(p) = c.pain() {
        lines.push(("Pain".to_string(), p.label().to_string()));
    }
    for q in Ons4Question::ALL {
        if let Some(v) = c.ons4().answer(q) {
            lines.push((q.wording().to_string(), format!("{v} out of 10")));
        }
    }
    lines
}

#[component]
fn CheckInView(checkin: Record<CheckIn>) -> impl IntoView {
    let state = AppState::get();
    let body = checkin.body().clone();
    let name = state
        .person(body.person_id())
        .map(|p| p.body().display_name())
        .unwrap_or_else(|| "Someone".into());
    let deleted = checkin.deleted().cloned();
    let history = checkin.history().to_vec();
    let id = checkin.id();
    let rev = checkin.rev();
    let person = body.person_id();
    view! {
        <PageHeader title=format!("{name}'s check-in") back=Route::Person(person) />
        <main class="page">
            <crate::components::records::SampleLine person=person />
            <DeletedBanner deleted=deleted.clone() kind=Kind::CheckIn />
            <article class="card">
                <div class="person-head">
                    <span class=format!("face-badge face-badge-lg mood-{}", body.mood().key())><Face mood=body.mood() /></span>
                    <div>
                        <p class="row-title">{format!("Feeling: {}", body.mood().label())}</p>
                        <p class="meta">{when_label(body.occurred_at())}</p>
                        <p class="meta"><strong>{body.answered().label(&name)}</strong></p>
                    </div>
                </div>
                {(!body.own_words().is_empty()).then(|| view! {
                    <h2>"In their own words"</h2>
                    <p class="note-text">{format!("“{}”", body.own_words())}</p>
                })}
                {let lines = answers(&body); (!lines.is_empty()).then(|| view! {
                    <dl class="facts">
                        {lines.into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> }).collect_view()}
                    </dl>
                })}
                <p class="meta">
                    {format!("Recorded by {} {}.", isolate(checkin.created_by()), instant_label(checkin.created_at()))}
                    {checkin.is_amended().then(|| format!(" Edited by {} {}.", isolate(checkin.updated_by()), instant_label(checkin.updated_at())))}
                </p>
            </article>
            {deleted.is_none().then(|| view! { <CorrectOrDelete kind=Kind::CheckIn id=id rev=rev person=person edit=Route::EditCheckIn(id) /> })}
            {(!history.is_empty()).then(|| view! {
                <section aria-labelledby="history-head">
                    <h2 id="history-head">"Earlier versions"</h2>
                    {history.iter().rev().map(|v| view! {
                        <div class="history">
                            <p class="meta">{format!("Version {}: recorded by {} {}", v.rev, isolate(&v.saved_by), instant_label(v.saved_at))}</p>
                            <p>{format!("Feeling: {} · {}", v.body.mood().label(), v.body.answered().label(&name))}</p>
                            {(!v.body.own_words().is_empty()).then(|| view! { <p class="note-text">{format!("“{}”", v.body.own_words())}</p> })}
                        </div>
                    }).collect_view()}
                </section>
            })}
        </main>
    }
}
