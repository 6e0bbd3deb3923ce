//! A wellbeing check-in in three taps: who (skipped when there is one
//! person), a face, save. Everything else is optional and folded away.
//! With a stored check-in, the same form saves a correction (an amendment).

use crate::browser::{self, BrowserZone};
use crate::components::choice::Choice;
use crate::components::faces::FacePicker;
use crate::components::form::{Field, FormSignals, Kind, SaveError, SaveWords};
use crate::components::loaded::for_correction;
use crate::components::nav::PageHeader;
use crate::route::Route;
use crate::state::AppState;
use hearth_core::{
    Answered, Appetite, CheckIn, CheckInDraft, Ons4Question, Pain, Record, RecordId, Sleep,
    ValidationErrors,
};
use leptos::prelude::*;

/// The check-in form: new (for `person` if given) or, with `id`, a correction.
#[component]
pub fn CheckInForm(person: Option<RecordId>, id: Option<RecordId>) -> impl IntoView {
    match id {
        None => view! { <Editor person=person stored=None /> }.into_any(),
        Some(id) => for_correction::<CheckIn, _>(
            id,
            "Correct check-in",
            Route::CheckIn(id),
            "check-in",
            |c| view! { <Editor person=None stored=Some(c) /> }.into_any(),
        ),
    }
}

#[component]
fn Editor(person: Option<RecordId>, stored: Option<Record<CheckIn>>) -> impl IntoView {
    let state = AppState::get();
    let people = state.active_people();
    let draft = match &stored {
        Some(c) => CheckInDraft::from_checkin(c.body()),
        None => {
            let only = (people.len() == 1).then(|| people[0].id());
            CheckInDraft::now_for(person.or(only), browser::now(), &BrowserZone)
        }
    };
    let correcting = stored.is_some();
    let person_id = RwSignal::new(draft.person_id.parse::<RecordId>().ok());
    let date = RwSignal::new(draft.date.clone());
    let time = RwSignal::new(draft.time.clone());
    let mood = RwSignal::new(draft.mood);
    let answered = RwSignal::new(draft.answered);
    let sleep = RwSignal::new(draft.sleep);
    let appetite = RwSignal::new(draft.appetite);
    let pain = RwSignal::new(draft.pain);
    let ons4: [RwSignal<Option<u8>>; 4] =
        std::array::from_fn(|i| RwSignal::new(draft.ons4[i].parse().ok()));
    let own_words = RwSignal::new(draft.own_words.clone());
    let form = FormSignals::new();
    let (errors, save_error, busy) = (form.errors, form.save_error, form.busy);
    let has_extras = draft.sleep.is_some()
        || draft.appetite.is_some()
        || draft.pain.is_some()
        || draft.ons4.iter().any(|v| !v.is_empty())
        || !draft.own_words.is_empty();

    let names = state.clone();
    let name = Memo::new(move |_| {
        person_id
            .get()
            .and_then(|id| names.person(id))
            .map(|p| p.body().display_name())
    });
    let display = move || name.get().unwrap_or_else(|| "the person".to_string());

    let submit = {
        let state = state.clone();
        let stored = stored.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let draft = CheckInDraft {
                person_id: person_id
                    .get_untracked()
                    .map(|p| p.to_string())
                    .unwrap_or_default(),
                date: date.get_untracked(),
                time: time.get_untracked(),
                mood: mood.get_untracked(),
                answered: answered.get_untracked(),
                sleep: sleep.get_untracked(),
                appetite: appetite.get_untracked(),
                pain: pain.get_untracked(),
                ons4: ons4.map(|s| s.get_untracked().map(|v| v.to_string()).unwrap_or_default()),
                own_words: own_words.get_untracked(),
            };
            let correcting = stored.is_some();
            form.submit(
                &state,
                stored.clone(),
                draft.validate(browser::now(), &BrowserZone),
                SaveWords {
                    added: "Check-in saved",
                    corrected: "Correction saved",
                    unchanged:
                        "Nothing has changed yet. Change the check-in, then save the correction.",
                },
                move |state, saved| {
                    if correcting {
                        Route::CheckIn(saved.id())
                    } else {
                        state.after_new(saved.id(), saved.body().person_id())
                    }
                },
            );
        }
    };

    let back = match (&stored, person) {
        (Some(c), _) => Route::CheckIn(c.id()),
        // Back to where it was opened from.
        (None, Some(p)) if state.place.get_untracked() != crate::route::Tab::Today => {
            Route::Person(p)
        }
        (None, _) => Route::Today,
    };
    let title = if correcting {
        "Correct check-in"
    } else {
        "Check-in"
    };
    let dirty = state.dirty;
    let pick_person = !correcting && people.len() > 1;
    let person_options: Vec<(RecordId, String)> = people
        .iter()
        .map(|p| (p.id(), p.body().display_name()))
        .collect();
    let answered_options = Signal::derive(move || {
        let name = display();
        Answered::ALL
            .iter()
            .map(|a| (*a, a.label(&name)))
            .collect::<Vec<_>>()
    });
    let max_date = hearth_core::dates::form_date(browser::today());

    view! {
        <PageHeader title=title back=back />
        <main class="page">
            {correcting.then(|| view! {
                <p class="banner">"Your correction is saved as an amendment. The earlier answers stay with the check-in."</p>
            })}
            <form on:submit=submit on:input=move |_| dirty.set(true) on:change=move |_| dirty.set(true) novalidate autocomplete="off">
                {pick_person.then(|| view! {
                    <Choice legend="Who is this check-in for?" name="person_id" options=person_options value=person_id errors=errors />
                })}
                <FacePicker mood=mood legend=Signal::derive(move || format!("How is {} feeling?", display())) />
                {move || errors.with(|e| e.message_for("mood").map(|m| view! { <p class="error" id="f-mood-error">{m.to_string()}</p> }))}
                {move || view! {
                    <Choice legend="Who answered?" name="answered" options=answered_options.get() value=answered errors=errors />
                }}
                <details class="field" open=has_extras>
                    <summary>"More: sleep, appetite, pain, wellbeing questions (optional)"</summary>
                    <Choice legend="Sleep" name="sleep" options=Sleep::ALL.iter().map(|s| (*s, s.label().to_string())).collect() value=sleep errors=errors clearable=true />
                    <Choice legend="Appetite" name="appetite" options=Appetite::ALL.iter().map(|s| (*s, s.label().to_string())).collect() value=appetite errors=errors clearable=true />
                    <Choice legend="Pain" name="pain" options=Pain::ALL.iter().map(|s| (*s, s.label().to_string())).collect() value=pain errors=errors clearable=true />
                    <h2>"Personal wellbeing (ONS4)"</h2>
                    <p class="hint">"The Office for National Statistics' four questions. Each is answered from 0 (not at all) to 10 (completely), and read on its own."</p>
                    {Ons4Question::ALL.iter().zip(ons4).map(|(q, value)| view! { <Ons4Select question=*q value=value errors=errors /> }).collect_view()}
                    <Field label="In their own words".into() name="own_words" value=own_words errors=errors kind=Kind::Multiline optional=true
                        hint="What they said, as they said it." />
                    <div class="grid-2">
                        <Field label="Date".into() name="date" value=date errors=errors kind=Kind::Date max=max_date />
                        <Field label="Time".into() name="time" value=time errors=errors kind=Kind::Time />
                    </div>
                </details>
                <SaveError message=save_error />
                <div class="form-actions">
                    <button class="btn btn-primary btn-block" type="submit" disabled=move || busy.get()>
                        {if correcting { "Save correction" } else { "Save check-in" }}
                    </button>
                </div>
            </form>
        </main>
    }
}

/// One ONS4 question: its exact wording, and 0 to 10 with the anchors.
#[component]
fn Ons4Select(
    question: Ons4Question,
    value: RwSignal<Option<u8>>,
    errors: RwSignal<ValidationErrors>,
) -> impl IntoView {
    let id = format!("f-{}", question.key());
    let error =
        Memo::new(move |_| errors.with(|e| e.message_for(question.key()).map(str::to_string)));
    view! {
        <div class="field">
            <label for=id.clone()>{question.wording()}</label>
            <select
                id=id
                prop:value=move || value.get().map(|v| v.to_string()).unwrap_or_default()
                on:change=move |ev| value.set(event_target_value(&ev).parse().ok())
            >
                <option value="">"Not asked"</option>
                {(0..=10u8).map(|v| {
                    let label = match v {
                        0 => "0 – not at all".to_string(),
                        10 => "10 – completely".to_string(),
                        v => v.to_string(),
                    };
                    view! { <option value=v.to_string()>{label}</option> }
                }).collect_view()}
            </select>
            {move || error.get().map(|m| view! { <p class="error">{m}</p> })}
        </div>
    }
}
