//! Log a visit or stay: by hand, at the end of a running visit, or from a
//! planned stay. With a stored visit, the same form saves a correction.

use crate::browser::{self, BrowserZone};
use crate::components::choice::Choice;
use crate::components::form::{focus_first_error, Field, FormSignals, Kind, SaveError, SaveWords};
use crate::components::nav::PageHeader;
use crate::route::{replace, Route};
use crate::state::AppState;
use chrono::Duration;
use hearth_core::visit::{find_overlap, overlap_message, MAX_VISIT_DAYS};
use hearth_core::{
    Arrangement, Place, PlannedStay, Record, RecordId, ValidationErrors, Visit, VisitDraft,
};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Where the form starts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    /// A blank log, for a person if chosen.
    Blank(Option<RecordId>),
    /// The end of the person's running visit.
    Running(RecordId),
    /// A planned stay.
    Plan(Option<RecordId>, RecordId),
    /// A stored visit, to correct.
    Stored(RecordId),
}

/// The visit form.
#[component]
pub fn VisitForm(start: Start) -> impl IntoView {
    let state = AppState::get();
    let store = state.store.clone();
    let loaded = LocalResource::new(move || {
        let store = store.clone();
        async move {
            match start {
                Start::Stored(id) => Ok((store.get::<Visit>(id).await?, None)),
                Start::Plan(_, stay) => Ok((None, store.get::<PlannedStay>(stay).await?)),
                _ => Ok::<_, crate::storage::StorageError>((None, None)),
            }
        }
    });
    view! {
        <Suspense fallback=|| view! { <PageHeader title="Visit" /><main class="page"><p class="muted">"Loading…"</p></main> }>
            {move || loaded.get().map(|r| {
                let state = AppState::get();
                match r {
                    Err(e) => view! {
                        <PageHeader title="Visit" back=Route::Today />
                        <main class="page"><div class="banner banner-error" role="alert"><p>{e.to_string()}</p></div></main>
                    }.into_any(),
                    Ok((stored, plan)) => {
                        let draft = match (start, &stored, &plan) {
                            (Start::Stored(_), Some(v), _) if v.is_live() => Some(VisitDraft::from_visit(v.body())),
                            (Start::Stored(_), _, _) => None,
                            (Start::Plan(_, id), _, Some(p)) => Some(VisitDraft::from_stay(id, p.body())),
                            (Start::Running(person), _, _) => state.running_visit(person).map(|r| {
                                VisitDraft::ended_now(r.person_id, r.kind, r.started_at, browser::now(), &BrowserZone)
                            }),
                            (Start::Blank(person), _, _) | (Start::Plan(person, _), _, _) => {
                                let people = state.active_people();
                                let person = person.or_else(|| (people.len() == 1).then(|| people[0].id()));
                                let kind = person
                                    .and_then(|p| state.person(p))
                                    .and_then(|p| p.body().arrangements().first().copied());
                                Some(VisitDraft::now_for(person, kind, browser::now(), &BrowserZone))
                            }
                        };
                        match draft {
                            Some(draft) => view! { <Editor start=start draft=draft stored=stored /> }.into_any(),
                            None => view! {
                                <PageHeader title="Visit" back=Route::Today />
                                <main class="page"><p>"There's nothing to log here: the visit may already be logged, or was deleted."</p></main>
                            }.into_any(),
                        }
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn Editor(start: Start, draft: VisitDraft, stored: Option<Record<Visit>>) -> impl IntoView {
    let state = AppState::get();
    let people = state.active_people();
    let person_id = RwSignal::new(draft.person_id.parse::<RecordId>().ok());
    let kind = RwSignal::new(draft.kind);
    let start_date = RwSignal::new(draft.start_date.clone());
    let start_time = RwSignal::new(draft.start_time.clone());
    let end_date = RwSignal::new(draft.end_date.clone());
    let end_time = RwSignal::new(draft.end_time.clone());
    let place = RwSignal::new(draft.place);
    let where_else = RwSignal::new(draft.where_else.clone());
    let what_happened = RwSignal::new(draft.what_happened.clone());
    let others_present = RwSignal::new(draft.others_present.clone());
    let planned_stay = draft.planned_stay;
    let form = FormSignals::new();
    let (errors, save_error, busy) = (form.errors, form.save_error, form.busy);
    // Another visit of the same person in the way: named in full, full width.
    let overlap = RwSignal::new(None::<String>);
    let correcting = stored.is_some();

    let submit = {
        let state = state.clone();
        let stored = stored.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let draft = VisitDraft {
                person_id: person_id
                    .get_untracked()
                    .map(|p| p.to_string())
                    .unwrap_or_default(),
                kind: kind.get_untracked(),
                start_date: start_date.get_untracked(),
                start_time: start_time.get_untracked(),
                end_date: end_date.get_untracked(),
                end_time: end_time.get_untracked(),
                place: place.get_untracked(),
                where_else: where_else.get_untracked(),
                what_happened: what_happened.get_untracked(),
                others_present: others_present.get_untracked(),
                planned_stay,
            };
            let Some(body) = form.check(draft.validate(browser::now(), &BrowserZone)) else {
                return;
            };
            busy.set(true);
            let state = state.clone();
            let stored = stored.clone();
            spawn_local(async move {
                // Two visits of one person may not overlap: read theirs first,
                // outside the write, and name the one in the way.
                let since =
                    body.start().with_timezone(&chrono::Utc) - Duration::days(MAX_VISIT_DAYS + 1);
                let theirs = state
                    .store
                    .for_person::<Visit>(body.person_id(), Some(since), usize::MAX)
                    .await;
                let clash = match &theirs {
                    Ok(list) => {
                        find_overlap(&body, list, stored.as_ref().map(|s| s.id())).map(|o| {
                            let name = state
                                .person(body.person_id())
                                .map(|p| p.body().display_name())
                                .unwrap_or_default();
                            overlap_message(
                                o.body(),
                                &name,
                                browser::today(),
                                browser::prefers_twelve_hour(),
                            )
                        })
                    }
                    Err(_) => None,
                };
                let clashed = clash.is_some();
                overlap.set(clash);
                if clashed {
                    let mut e = ValidationErrors::new();
                    // The field says where; the whole sentence is below the times.
                    e.add("start_time", "Overlaps another visit: see below.");
                    focus_first_error(&e);
                    errors.set(e);
                    busy.set(false);
                    return;
                }
                let words = SaveWords {
                    added: "Visit logged",
                    corrected: "Correction saved",
                    unchanged: "Nothing has changed yet. Change the log, then save the correction.",
                };
                if let Some(saved) = form.save(&state, stored.as_ref(), body, words).await {
                    if let Start::Running(person) = start {
                        state.clear_running_visit(person);
                    }
                    replace(&Route::Visit(saved.id()));
                }
            });
        }
    };

    let back = match (&stored, start) {
        (Some(v), _) => Route::Visit(v.id()),
        (None, Start::Blank(Some(p)) | Start::Running(p) | Start::Plan(Some(p), _)) => {
            Route::Person(p)
        }
        (None, Start::Plan(None, stay)) => Route::Stay(stay),
        _ => Route::Today,
    };
    let title = match start {
        Start::Stored(_) => "Correct visit",
        Start::Running(_) => "End visit",
        Start::Plan(..) => "Log this stay",
        Start::Blank(_) => "Log a visit or stay",
    };
    let dirty = state.dirty;
    let pick_person = !correcting && people.len() > 1 && person_id.get_untracked().is_none();
    let person_options: Vec<(RecordId, String)> = people
        .iter()
        .map(|p| (p.id(), p.body().display_name()))
        .collect();
    let kind_options: Vec<(Arrangement, String)> = Arrangement::ALL
        .iter()
        .map(|a| (*a, a.label().to_string()))
        .collect();
    let place_options: Vec<(Place, String)> = Place::ALL
        .iter()
        .map(|p| (*p, p.label().to_string()))
        .collect();
    let max_date = hearth_core::dates::form_date(browser::today());
    let names = state.clone();
    let name = move || {
        person_id
            .get()
            .and_then(|id| names.person(id))
            .map(|p| p.body().display_name())
    };

    view! {
        <PageHeader title=title back=back />
        <main class="page">
            {correcting.then(|| view! {
                <p class="banner">"Your correction is saved as an amendment. The earlier log stays with the visit."</p>
            })}
            <form on:submit=submit on:input=move |_| dirty.set(true) on:change=move |_| dirty.set(true) novalidate autocomplete="off">
                {if pick_person {
                    view! { <Choice legend="Who was it with?" name="person_id" options=person_options value=person_id errors=errors /> }.into_any()
                } else {
                    view! { <p><strong>{move || name().map(|n| format!("With {n}"))}</strong></p> }.into_any()
                }}
                <Choice legend="Kind" name="kind" options=kind_options value=kind errors=errors />
                <div class="grid-2">
                    <Field label="Started (date)".into() name="start_date" value=start_date errors=errors kind=Kind::Date max=max_date.clone() />
                    <Field label="Started (time)".into() name="start_time" value=start_time errors=errors kind=Kind::Time />
                </div>
                <div class="grid-2">
                    <Field label="Ended (date)".into() name="end_date" value=end_date errors=errors kind=Kind::Date max=max_date />
                    <Field label="Ended (time)".into() name="end_time" value=end_time errors=errors kind=Kind::Time />
                </div>
                {move || overlap.get().map(|m| view! {
                    <div class="banner banner-error" role="alert"><p>{m}</p></div>
                })}
                <div role="status" aria-live="polite">
                    {move || {
                        let draft = VisitDraft {
                            kind: kind.get(),
                            start_date: start_date.get(),
                            end_date: end_date.get(),
                            ..Default::default()
                        };
                        draft.no_night_notice().map(|notice| view! {
                            <div class="banner no-night">
                                <p>{notice}</p>
                                <button type="button" class="btn" on:click=move |_| {
                                    kind.set(Some(Arrangement::DaySupport));
                                    dirty.set(true);
                                }>"Log it as day support"</button>
                            </div>
                        })
                    }}
                </div>
                <Choice legend="Where" name="place" options=place_options value=place errors=errors />
                {move || (place.get() == Some(Place::Other)).then(|| view! {
                    <Field label="Where was it?".into() name="where_else" value=where_else errors=errors />
                })}
                <Field label="What happened".into() name="what_happened" value=what_happened errors=errors kind=Kind::Multiline optional=true
                    hint="What you did, what they chose, anything the scheme should know." />
                <Field label="Who else was there".into() name="others_present" value=others_present errors=errors optional=true />
                <SaveError message=save_error />
                <div class="form-actions">
                    <button class="btn btn-primary btn-block" type="submit" disabled=move || busy.get()>
                        {if correcting { "Save correction" } else { "Save visit" }}
                    </button>
                </div>
            </form>
        </main>
    }
}
