//! The person-facing check-in: the carer hands over the phone. Very large
//! faces, one plain question, a check before saving, and a way back for the
//! carer that takes two deliberate taps.

use crate::browser::{self, BrowserZone};
use crate::components::faces::{Face, FacePicker};
use crate::components::nav::CarerExit;
use crate::route::Route;
use crate::state::AppState;
use hearth_core::{Answered, CheckInDraft, Mood, Record, RecordId};
use leptos::prelude::*;
use leptos::task::spawn_local;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Step {
    Asking,
    Checking(Mood),
    Thanked(Mood),
}

/// The person-facing check-in.
#[component]
pub fn Ask(person: RecordId) -> impl IntoView {
    let state = AppState::get();
    let Some(record) = state.person(person) else {
        return view! { <main class="page"><p>"This person isn't on this phone."</p></main> }
            .into_any();
    };
    let name = record.body().display_name();
    let carer = state.author();
    let mood = RwSignal::new(None::<Mood>);
    let step = RwSignal::new(Step::Asking);
    let had_help = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if let Some(m) = mood.get() {
            if step.get_untracked() == Step::Asking {
                step.set(Step::Checking(m));
            }
        }
    });

    let save = {
        let state = state.clone();
        move |m: Mood| {
            let state = state.clone();
            let answered = if had_help.get_untracked() {
                Answered::WithHelp
            } else {
                Answered::Themselves
            };
            let draft = CheckInDraft {
                mood: Some(m),
                answered: Some(answered),
                ..CheckInDraft::now_for(Some(person), browser::now(), &BrowserZone)
            };
            spawn_local(async move {
                let result = match draft.validate(browser::now(), &BrowserZone) {
                    Ok(body) => {
                        let record = Record::create(
                            browser::new_id(),
                            body,
                            &state.author(),
                            browser::now(),
                        );
                        state.store.insert(&record).await.map_err(|e| e.to_string())
                    }
                    Err(e) => Err(e.to_string()),
                };
                match result {
                    Ok(()) => {
                        state.saved(None);
                        step.set(Step::Thanked(m));
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        }
    };

    let first = name.clone();
    view! {
        <main class="page easy-read ask">
            {move || match step.get() {
                Step::Asking => view! {
                    <h1 tabindex="-1">{format!("Hello {first}")}</h1>
                    <FacePicker mood=mood legend="How are you feeling today?" large=true />
                }.into_any(),
                Step::Checking(m) => {
                    let save = save.clone();
                    view! {
                        <h1 tabindex="-1">"You chose"</h1>
                        <div class=format!("chosen mood-{}", m.key())><Face mood=m /><p class="chosen-word">{m.label()}</p></div>
                        <p>"Is that right?"</p>
                        <div class="btn-stack">
                            <button class="btn btn-primary btn-xl" on:click=move |_| save(m)>"Yes, that's right"</button>
                            <button class="btn btn-xl" on:click=move |_| { mood.set(None); step.set(Step::Asking); }>"Choose again"</button>
                        </div>
                        <label class="check small-check">
                            <input type="checkbox" prop:checked=move || had_help.get() on:change=move |ev| had_help.set(event_target_checked(&ev)) />
                            <span>"For the carer: they had help answering"</span>
                        </label>
                        {move || error.get().map(|e| view! { <div class="banner banner-error" role="alert"><p>{e}</p></div> })}
                    }.into_any()
                }
                Step::Thanked(m) => view! {
                    <h1 tabindex="-1">"Thank you"</h1>
                    <div class=format!("chosen mood-{}", m.key())><Face mood=m /><p class="chosen-word">{m.label()}</p></div>
                    <p>{format!("Please give the phone back to {carer}.")}</p>
                }.into_any(),
            }}
            <CarerExit back=Route::Person(person) />
        </main>
    }
    .into_any()
}
