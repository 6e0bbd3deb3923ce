//! One note in full, with its history: who wrote it and when, every earlier
//! version, and, if it was deleted, who deleted it, when and why.

use crate::components::icons::{Icon, Svg};
use crate::components::loaded::{loaded, Frame};
use crate::components::nav::PageHeader;
use crate::components::records::{instant_label, when_label, CorrectOrDelete, DeletedBanner, Kind};
use crate::route::Route;
use crate::state::AppState;
use hearth_core::bidi::isolate;
use hearth_core::{Note, Record, RecordId};
use leptos::prelude::*;

/// The note page.
#[component]
pub fn NotePage(id: RecordId) -> impl IntoView {
    let frame = Frame {
        title: "Note",
        back: Route::Today,
        missing: "This note isn't on this phone.".into(),
        follow_saves: true,
    };
    loaded::<Note, _>(id, frame, |n| view! { <NoteView note=n /> }.into_any())
}

#[component]
fn NoteView(note: Record<Note>) -> impl IntoView {
    let state = AppState::get();
    let body = note.body().clone();
    let person = state.person(body.person_id());
    let name = person
        .as_ref()
        .map(|p| p.body().display_name())
        .unwrap_or_else(|| "someone".into());
    let title = format!("Note about {name}");
    let deleted = note.deleted().cloned();
    let history = note.history().to_vec();
    let id = note.id();
    let rev = note.rev();
    view! {
        <PageHeader title=title back=Route::Person(body.person_id()) />
        <main class="page">
            <crate::components::records::SampleLine person=body.person_id() />
            <DeletedBanner deleted=deleted.clone() kind=Kind::Note />
            <article class="card">
                <p class="meta">
                    <Svg icon=Icon::Clock />" "{when_label(body.occurred_at())}
                </p>
                <p class="note-text">{body.text().to_string()}</p>
                {(!body.topics().is_empty()).then(|| view! {
                    <ul class="chips" aria-label="Topics">
                        {body.topics().iter().map(|t| view! { <li class="chip">{t.label()}</li> }).collect_view()}
                    </ul>
                })}
                <p class="meta">
                    {if body.with_person() { format!("Written with {name}.") } else { "Written by the carer alone.".to_string() }}
                </p>
                <p class="meta">
                    {format!("Written by {} {}.", isolate(note.created_by()), instant_label(note.created_at()))}
                    {note.is_amended().then(|| format!(" Edited by {} {}.", isolate(note.updated_by()), instant_label(note.updated_at())))}
                </p>
            </article>
            {deleted.is_none().then(|| view! { <CorrectOrDelete kind=Kind::Note id=id rev=rev person=body.person_id() edit=Route::EditNote(id) /> })}
            {(!history.is_empty()).then(|| view! {
                <section aria-labelledby="history-head">
                    <h2 id="history-head">"Earlier versions"</h2>
                    <p class="muted small">"Corrections keep what was written before, newest first."</p>
                    {history.iter().rev().map(|v| view! {
                        <div class="history">
                            <p class="meta">{format!("Version {}: written by {} {}, about {}", v.rev, isolate(&v.saved_by), instant_label(v.saved_at), when_label(v.body.occurred_at()))}</p>
                            <p class="note-text">{v.body.text().to_string()}</p>
                        </div>
                    }).collect_view()}
                </section>
            })}
        </main>
    }
}
