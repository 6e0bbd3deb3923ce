//! Plan a stay, or change one (an amendment). Confirming a stay that would
//! put more guests in the house than it has beds warns first, naming the clash.

use crate::components::choice::Choice;
use crate::components::form::{Field, FormSignals, Kind, SaveError, SaveWords};
use crate::components::loaded::for_correction;
use crate::components::nav::PageHeader;
use crate::route::{replace, Route};
use crate::state::AppState;
use hearth_core::capacity::{capacity_clash, clash_message};
use hearth_core::{PlannedStay, PlannedStayDraft, Record, RecordId, StayStatus};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The stay form: new (for `person` if given) or, with `id`, a change.
#[component]
pub fn StayForm(person: Option<RecordId>, id: Option<RecordId>) -> impl IntoView {
    match id {
        None => view! { <Editor person=person stored=None /> }.into_any(),
        Some(id) => {
            for_correction::<PlannedStay, _>(id, "Change stay", Route::Stay(id), "stay", |s| {
                view! { <Editor person=None stored=Some(s) /> }.into_any()
            })
        }
    }
}

#[component]
fn Editor(person: Option<RecordId>, stored: Option<Record<PlannedStay>>) -> impl IntoView {
    let state = AppState::get();
    let people = state.active_people();
    let household = state.household();
    let draft = match &stored {
        Some(s) => PlannedStayDraft::from_stay(s.body()),
        None => {
            let only = (people.len() == 1).then(|| people[0].id());
            PlannedStayDraft::new_for(person.or(only), &household)
        }
    };
    let person_id = RwSignal::new(draft.person_id.parse::<RecordId>().ok());
    let arrival = RwSignal::new(draft.arrival.clone());
    let departure = RwSignal::new(draft.departure.clone());
    let arrival_time = RwSignal::new(draft.arrival_time.clone());
    let departure_time = RwSignal::new(draft.departure_time.clone());
    let status = RwSignal::new(draft.status);
    let notes = RwSignal::new(draft.notes_for_person.clone());
    let host = RwSignal::new(draft.host.clone());
    let form = FormSignals::new();
    let (errors, save_error, busy) = (form.errors, form.save_error, form.busy);
    let warning = RwSignal::new(None::<String>);
    let changing = stored.is_some();

    let submit = {
        let state = state.clone();
        let stored = stored.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let draft = PlannedStayDraft {
                person_id: person_id
                    .get_untracked()
                    .map(|p| p.to_string())
                    .unwrap_or_default(),
                arrival: arrival.get_untracked(),
                departure: departure.get_untracked(),
                arrival_time: arrival_time.get_untracked(),
                departure_time: departure_time.get_untracked(),
                status: status.get_untracked(),
                notes_for_person: notes.get_untracked(),
                host: host.get_untracked(),
            };
            let Some(body) = form.check(draft.validate()) else {
                return;
            };
            busy.set(true);
            let state = state.clone();
            let stored = stored.clone();
            spawn_local(async move {
                // Confirming checks the beds first; a second press saves anyway.
                let acknowledged = warning.get_untracked().is_some();
                if body.status() == StayStatus::Confirmed && !acknowledged {
                    if let Ok(all) = state.store.all::<PlannedStay>().await {
                        let me = stored.as_ref().map(|s| s.id());
                        let beds = state.beds.get_untracked();
                        if let Some(clash) =
                            capacity_clash(&body, me, &all, &state.household(), beds)
                        {
                            let names = |id| {
                                state
                                    .person(id)
                                    .map(|p| p.body().display_name())
                                    .unwrap_or_default()
                            };
                            warning.set(Some(clash_message(&clash, names, &all)));
                            busy.set(false);
                            return;
                        }
                    }
                }
                let words = SaveWords {
                    added: "Stay planned",
                    corrected: "Stay changed",
                    unchanged: "Nothing has changed yet.",
                };
                if let Some(saved) = form.save(&state, stored.as_ref(), body, words).await {
                    replace(&Route::Stay(saved.id()));
                }
            });
        }
    };

    let back = match (&stored, person) {
        (Some(s), _) => Route::Stay(s.id()),
        (None, Some(p)) => Route::Person(p),
        _ => Route::Stays,
    };
    let dirty = state.dirty;
    let pick_person = !changing && people.len() > 1 && person_id.get_untracked().is_none();
    let person_options: Vec<(RecordId, String)> = people
        .iter()
        .map(|p| (p.id(), p.body().display_name()))
        .collect();
    let status_options: Vec<(StayStatus, String)> = StayStatus::ALL
        .iter()
        .map(|s| (*s, s.label().to_string()))
        .collect();
    let names = state.clone();
    let name = move || {
        person_id
            .get()
            .and_then(|id| names.person(id))
            .map(|p| p.body().display_name())
    };

    view! {
        <PageHeader title=if changing { "Change stay" } else { "Plan a stay" } back=back />
        <main class="page">
            <form
                on:submit=submit
                on:input=move |_| { dirty.set(true); warning.set(None); }
                on:change=move |_| { dirty.set(true); warning.set(None); }
                novalidate autocomplete="off"
            >
                {if pick_person {
                    view! { <Choice legend="Who is coming to stay?" name="person_id" options=person_options value=person_id errors=errors /> }.into_any()
                } else {
                    view! { <p><strong>{move || name().map(|n| format!("Stay for {n}"))}</strong></p> }.into_any()
                }}
                <div class="grid-2">
                    <Field label="Arrives".into() name="arrival" value=arrival errors=errors kind=Kind::Date />
                    <Field label="Arrival time".into() name="arrival_time" value=arrival_time errors=errors kind=Kind::Time optional=true />
                </div>
                <div class="grid-2">
                    <Field label="Leaves".into() name="departure" value=departure errors=errors kind=Kind::Date />
                    <Field label="Leaving time".into() name="departure_time" value=departure_time errors=errors kind=Kind::Time optional=true />
                </div>
                <Choice legend="Status" name="status" options=status_options value=status errors=errors />
                <Field label="Staying with".into() name="host" value=host errors=errors
                    hint="Your household, or another carer's if they are staying elsewhere." />
                <Field label="Notes for the person".into() name="notes_for_person" value=notes errors=errors kind=Kind::Multiline optional=true
                    hint="Shown to them as written, in My stays. For example: Bring your swimming things." />
                {move || warning.get().map(|w| view! {
                    <div class="banner banner-flag" role="alert">
                        <p>{w}</p>
                        <p>"Press the button again to save it anyway."</p>
                    </div>
                })}
                <SaveError message=save_error />
                <div class="form-actions">
                    <button class="btn btn-primary btn-block" type="submit" disabled=move || busy.get()>
                        {move || match (warning.get().is_some(), changing) {
                            (true, _) => "Save anyway",
                            (false, true) => "Save changes",
                            (false, false) => "Save stay",
                        }}
                    </button>
                </div>
            </form>
        </main>
    }
}
