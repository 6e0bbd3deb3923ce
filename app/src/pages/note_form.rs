//! Write a daily note, or correct one (saved as an amendment: the earlier text
//! stays viewable on the note).

use crate::browser::{self, BrowserZone};
use crate::components::form::{Field, FormSignals, Kind, SaveError, SaveWords, Tick};
use crate::components::loaded::for_correction;
use crate::components::nav::PageHeader;
use crate::route::Route;
use crate::state::AppState;
use hearth_core::{Note, NoteDraft, Record, RecordId, Topic};
use leptos::prelude::*;

/// The note form: a new note (for `person` if given) or, with `id`, a correction.
#[component]
pub fn NoteForm(person: Option<RecordId>, id: Option<RecordId>) -> impl IntoView {
    match id {
        None => view! { <Editor person=person stored=None /> }.into_any(),
        Some(id) => for_correction::<Note, _>(id, "Correct note", Route::Note(id), "note", |n| {
            view! { <Editor person=None stored=Some(n) /> }.into_any()
        }),
    }
}

#[component]
fn Editor(person: Option<RecordId>, stored: Option<Record<Note>>) -> impl IntoView {
    let state = AppState::get();
    let people = state.active_people();
    let draft = match &stored {
        Some(n) => NoteDraft::from_note(n.body()),
        None => {
            // With one person supported, they are chosen already.
            let only = (people.len() == 1).then(|| people[0].id());
            NoteDraft::now_for(person.or(only), browser::now(), &BrowserZone)
        }
    };
    let person_id = RwSignal::new(draft.person_id.clone());
    let date = RwSignal::new(draft.date.clone());
    let time = RwSignal::new(draft.time.clone());
    let text = RwSignal::new(draft.text.clone());
    let with_person = RwSignal::new(draft.with_person);
    let topics: Vec<(Topic, RwSignal<bool>)> = Topic::ALL
        .iter()
        .map(|t| (*t, RwSignal::new(draft.topics.contains(t))))
        .collect();
    let form = FormSignals::new();
    let (errors, save_error, busy) = (form.errors, form.save_error, form.busy);
    let correcting = stored.is_some();

    let names = state.clone();
    let person_name = Memo::new(move |_| {
        person_id
            .get()
            .parse::<RecordId>()
            .ok()
            .and_then(|id| names.person(id))
            .map(|p| p.body().display_name())
    });

    let submit = {
        let state = state.clone();
        let topics = topics.clone();
        let stored = stored.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let draft = NoteDraft {
                person_id: person_id.get_untracked(),
                date: date.get_untracked(),
                time: time.get_untracked(),
                text: text.get_untracked(),
                topics: topics
                    .iter()
                    .filter(|(_, on)| on.get_untracked())
                    .map(|(t, _)| *t)
                    .collect(),
                with_person: with_person.get_untracked(),
            };
            let correcting = stored.is_some();
            form.submit(
                &state,
                stored.clone(),
                draft.validate(browser::now(), &BrowserZone),
                SaveWords {
                    added: "Note saved",
                    corrected: "Correction saved",
                    unchanged:
                        "Nothing has changed yet. Change the note, then save the correction.",
                },
                move |state, saved| {
                    if correcting {
                        Route::Note(saved.id())
                    } else {
                        state.after_new(saved.id(), saved.body().person_id())
                    }
                },
            );
        }
    };

    let title = if correcting {
        "Correct note".to_string()
    } else {
        "New note".to_string()
    };
    let back = match (&stored, person) {
        (Some(n), _) => Route::Note(n.id()),
        // Back to where it was opened from.
        (None, Some(p)) if state.place.get_untracked() != crate::route::Tab::Today => {
            Route::Person(p)
        }
        (None, _) => Route::Today,
    };
    let dirty = state.dirty;
    let person_error =
        Memo::new(move |_| errors.with(|e| e.message_for("person_id").map(str::to_string)));
    let with_label = Signal::derive(move || match person_name.get() {
        Some(name) => format!("Written with {name}"),
        None => "Written with the person".to_string(),
    });
    let max_date = hearth_core::dates::form_date(browser::today());

    view! {
        <PageHeader title=title back=back />
        <main class="page">
            {correcting.then(|| view! {
                <p class="banner">"Your correction is saved as an amendment. The earlier text stays with the note, with when it changed."</p>
            })}
            <form on:submit=submit on:input=move |_| dirty.set(true) on:change=move |_| dirty.set(true) novalidate autocomplete="off">
                {if correcting {
                    view! { <p><strong>{move || person_name.get().map(|n| format!("About {n}"))}</strong></p> }.into_any()
                } else {
                    view! {
                        <div class="field">
                            <label for="f-person_id">"Who is this note about?"</label>
                            <select
                                id="f-person_id"
                                on:change=move |ev| person_id.set(event_target_value(&ev))
                                prop:value=move || person_id.get()
                                aria-invalid=move || person_error.get().map(|_| "true")
                                aria-describedby=move || person_error.get().map(|_| "f-person_id-error")
                            >
                                <option value="">"Choose a person"</option>
                                {people.iter().map(|p| {
                                    let value = p.id().to_string();
                                    let selected = value == draft.person_id;
                                    view! { <option value=value selected=selected>{p.body().display_name()}</option> }
                                }).collect_view()}
                            </select>
                            {move || person_error.get().map(|m| view! { <p class="error" id="f-person_id-error">{m}</p> })}
                        </div>
                    }.into_any()
                }}
                <div class="grid-2">
                    <Field label="Date".into() name="date" value=date errors=errors kind=Kind::Date max=max_date />
                    <Field label="Time".into() name="time" value=time errors=errors kind=Kind::Time />
                </div>
                <Field label="What happened".into() name="text" value=text errors=errors kind=Kind::Multiline
                    hint="Facts, in their words where you can, choices and refusals too." />
                <Tick label=with_label checked=with_person />
                <details class="field" open=!draft.topics.is_empty()>
                    <summary>"Topics (optional)"</summary>
                    <fieldset class="field">
                        <legend class="visually-hidden">"Topics"</legend>
                        {topics.iter().map(|(t, on)| view! { <Tick label=t.label().to_string() checked=*on /> }).collect_view()}
                    </fieldset>
                </details>
                <SaveError message=save_error />
                <div class="form-actions">
                    <button class="btn btn-primary btn-block" type="submit" disabled=move || busy.get()>
                        {if correcting { "Save correction" } else { "Save note" }}
                    </button>
                </div>
            </form>
        </main>
    }
}
