//! One note in full, with its history: who wrote it and when, every earlier
//! version, and, if it was deleted, who deleted it, when and why.

use crate::browser;
use crate::components::form::field_id;
use crate::components::icons::{Icon, Svg};
use crate::components::nav::{Link, PageHeader};
use crate::components::records::{instant_label, when_label};
use crate::route::{replace, Route};
use crate::state::AppState;
use hearth_core::{Note, Record, RecordError, RecordId};
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The note page.
#[component]
pub fn NotePage(id: RecordId) -> impl IntoView {
    let state = AppState::get();
    let store = state.store.clone();
    let revision = state.revision;
    let note = LocalResource::new(move || {
        revision.track();
        let store = store.clone();
        async move { store.get::<Note>(id).await }
    });
    view! {
        <Suspense fallback=|| view! { <PageHeader title="Note" back=Route::Today /><main class="page"><p class="muted">"Loading…"</p></main> }>
            {move || note.get().map(|r| match r {
                Ok(Some(n)) => view! { <NoteView note=n /> }.into_any(),
                Ok(None) => view! {
                    <PageHeader title="Note not found" back=Route::Today />
                    <main class="page"><p>"This note isn't on this phone."</p></main>
                }.into_any(),
                Err(e) => view! {
                    <PageHeader title="Note" back=Route::Today />
                    <main class="page"><div class="banner banner-error" role="alert"><p>{e.to_string()}</p></div></main>
                }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn NoteView(note: Record<Note>) -> impl IntoView {
    let state = AppState::get();
    let body = note.body().clone();
    let person = state.person(body.person_id());
    let name = person
        .as_ref()
        .map(|p| p.body().preferred_name().to_string())
        .unwrap_or_else(|| "someone".into());
    let title = format!("Note about {name}");
    let deleted = note.deleted().cloned();
    let history = note.history().to_vec();
    let id = note.id();
    let rev = note.rev();
    let dialog: NodeRef<html::Dialog> = NodeRef::new();
    let open_delete = move |_| {
        if let Some(d) = dialog.get() {
            let _ = d.show_modal();
        }
    };
    view! {
        <PageHeader title=title back=Route::Person(body.person_id()) />
        <main class="page">
            {deleted.as_ref().map(|t| view! {
                <div class="banner banner-error" role="status">
                    <p>
                        <strong>"This note was deleted. "</strong>
                        {format!("{} deleted it {}. Reason: {}", t.deleted_by, instant_label(t.deleted_at), t.reason)}
                    </p>
                </div>
            })}
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
                    {if body.with_person() { format!("Written with {name}.") } else { format!("Written by the carer, without {name}.") }}
                </p>
                <p class="meta">
                    {format!("Written by {} {}.", note.created_by(), instant_label(note.created_at()))}
                    {note.is_amended().then(|| format!(" Edited by {} {}.", note.updated_by(), instant_label(note.updated_at())))}
                </p>
            </article>
            {deleted.is_none().then(|| view! {
                <div class="btn-row">
                    <Link to=Route::EditNote(id) class="btn btn-primary"><Svg icon=Icon::Pencil />"Correct this note"</Link>
                    <button class="btn btn-danger" on:click=open_delete><Svg icon=Icon::Trash />"Delete"</button>
                </div>
            })}
            {(!history.is_empty()).then(|| view! {
                <section aria-labelledby="history-head">
                    <h2 id="history-head">"Earlier versions"</h2>
                    <p class="muted small">"Corrections keep what was written before, newest first."</p>
                    {history.iter().rev().map(|v| view! {
                        <div class="history">
                            <p class="meta">{format!("Version {}: written by {} {}, about {}", v.rev, v.saved_by, instant_label(v.saved_at), when_label(v.body.occurred_at()))}</p>
                            <p class="note-text">{v.body.text().to_string()}</p>
                        </div>
                    }).collect_view()}
                </section>
            })}
            <DeleteDialog dialog=dialog id=id rev=rev person=body.person_id() />
        </main>
    }
}

#[component]
fn DeleteDialog(
    dialog: NodeRef<html::Dialog>,
    id: RecordId,
    rev: u32,
    person: RecordId,
) -> impl IntoView {
    let state = AppState::get();
    let reason = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let close = move || {
        if let Some(d) = dialog.get() {
            d.close();
        }
    };
    let confirm = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let state = state.clone();
        let why = reason.get_untracked();
        spawn_local(async move {
            let author = state.author();
            let result = state
                .store
                .change::<Note>(id, |rec| rec.delete(rev, &why, &author, browser::now()))
                .await;
            match result {
                Ok(_) => {
                    close();
                    state.saved(Some("Note deleted. It stays in the record as deleted."));
                    replace(&Route::Person(person));
                }
                Err(crate::storage::StorageError::Record(RecordError::Invalid(e))) => {
                    error.set(e.message_for("reason").map(str::to_string));
                    if let Some(el) = document().get_element_by_id(&field_id("reason")) {
                        use wasm_bindgen::JsCast;
                        if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                            let _ = el.focus();
                        }
                    }
                }
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    };
    view! {
        <dialog node_ref=dialog aria-labelledby="delete-head">
            <form on:submit=confirm novalidate>
                <h2 id="delete-head">"Delete this note?"</h2>
                <p>"The note stays in the record, marked as deleted, with your name, the time and your reason. This can't be undone."</p>
                <div class="field">
                    <label for=field_id("reason")>"Why are you deleting it?"</label>
                    <span class="hint" id="reason-hint">"For example: written for the wrong person."</span>
                    <textarea
                        id=field_id("reason")
                        rows="3"
                        prop:value=move || reason.get()
                        on:input=move |ev| reason.set(event_target_value(&ev))
                        aria-invalid=move || error.get().map(|_| "true")
                        aria-describedby=move || if error.get().is_some() { "reason-hint reason-error" } else { "reason-hint" }
                    ></textarea>
                    {move || error.get().map(|m| view! { <p class="error" id="reason-error">{m}</p> })}
                </div>
                <div class="btn-row">
                    <button type="submit" class="btn btn-danger">"Delete note"</button>
                    <button type="button" class="btn" on:click=move |_| close()>"Keep it"</button>
                </div>
            </form>
        </dialog>
    }
}
