//! A person's days away (in hospital, with family, at a day service, with
//! another carer): every dose due while they are away is coded as away on
//! the MAR chart, so it has no unexplained gaps. Entered here; deleted with
//! a reason, as every record is.

use crate::browser;
use crate::components::choice::Choice;
use crate::components::form::{Field, FormSignals, Kind, SaveError, SaveWords};
use crate::components::nav::PageHeader;
use crate::components::records::{dated_label, DeleteDialog, Kind as RecordKind};
use crate::route::Route;
use crate::state::AppState;
use hearth_core::dose::AwayReason;
use hearth_core::mar::{Absence, AbsenceDraft};
use hearth_core::{Record, RecordId};
use leptos::html;
use leptos::prelude::*;

/// The days-away screen: the form, then the times away already entered.
#[component]
pub fn DaysAway(person: RecordId) -> impl IntoView {
    let state = AppState::get();
    let name = state
        .person(person)
        .map(|p| p.body().display_name())
        .unwrap_or_default();
    let all = crate::components::loaded::theirs(person, Absence::person_id);
    let today = hearth_core::dates::form_date(browser::today());
    let r#where = RwSignal::new(None::<AwayReason>);
    let from_date = RwSignal::new(today.clone());
    let from_time = RwSignal::new(String::new());
    let to_date = RwSignal::new(today);
    let to_time = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let form = FormSignals::new();
    let (errors, save_error, busy) = (form.errors, form.save_error, form.busy);
    let submit = {
        let state = state.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let draft = AbsenceDraft {
                person_id: person.to_string(),
                from_date: from_date.get_untracked(),
                from_time: from_time.get_untracked(),
                to_date: to_date.get_untracked(),
                to_time: to_time.get_untracked(),
                r#where: r#where.get_untracked(),
                note: note.get_untracked(),
            };
            let Some(body) = form.check(draft.validate(&browser::BrowserZone)) else {
                return;
            };
            let state = state.clone();
            leptos::task::spawn_local(async move {
                let words = SaveWords {
                    added: "Time away saved. Its doses are coded as away.",
                    corrected: "Time away saved.",
                    unchanged: "Nothing has changed.",
                };
                if form.save(&state, None, body, words).await.is_some() {
                    r#where.set(None);
                    from_time.set(String::new());
                    to_time.set(String::new());
                    note.set(String::new());
                }
            });
        }
    };
    let places: Vec<(AwayReason, String)> = AwayReason::ALL
        .iter()
        .map(|w| (*w, w.label().to_string()))
        .collect();
    let dirty = state.dirty;
    view! {
        <PageHeader title=format!("{name}'s days away") back=Route::Medicines(person) />
        <main class="page">
            <p>"Every dose due while they are away is coded as away on the medicines chart, so the chart has no unexplained gaps."</p>
            <form on:submit=submit on:input=move |_| dirty.set(true) on:change=move |_| dirty.set(true) novalidate autocomplete="off">
                <Choice legend="Where they are" name="where" options=places value=r#where errors=errors />
                <div class="grid-2">
                    <Field label="From".into() name="from_date" value=from_date errors=errors kind=Kind::Date />
                    <Field label="At".into() name="from_time" value=from_time errors=errors kind=Kind::Time optional=true hint="Empty: from the start of the day." />
                </div>
                <div class="grid-2">
                    <Field label="Back on".into() name="to_date" value=to_date errors=errors kind=Kind::Date />
                    <Field label="At".into() name="to_time" value=to_time errors=errors kind=Kind::Time optional=true hint="Empty: to the end of the day." />
                </div>
                <Field label="Note".into() name="note" value=note errors=errors optional=true hint="Such as the ward, or who they are with." />
                <SaveError message=save_error />
                <div class="form-actions">
                    <button class="btn btn-primary btn-block" type="submit" disabled=move || busy.get()>"Save time away"</button>
                </div>
            </form>
            <section aria-labelledby="away-head">
                <h2 id="away-head">"Times away"</h2>
                <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                    {move || all.get().map(|r| match r {
                        Err(e) => view! { <div class="banner banner-error" role="alert"><p>{e.to_string()}</p></div> }.into_any(),
                        Ok(mut list) if list.iter().any(Record::is_live) => {
                            list.retain(Record::is_live);
                            hearth_core::order::sort_by_key(&mut list, |a| std::cmp::Reverse(a.body().from()));
                            view! {
                                <ul class="list">{list.into_iter().map(|a| view! { <AwayCard away=a person=person /> }).collect_view()}</ul>
                            }.into_any()
                        }
                        Ok(_) => view! { <p class="muted">"None entered."</p> }.into_any(),
                    })}
                </Transition>
            </section>
        </main>
    }
}

/// One time away, with "Delete".
#[component]
fn AwayCard(away: Record<Absence>, person: RecordId) -> impl IntoView {
    let dialog: NodeRef<html::Dialog> = NodeRef::new();
    let b = away.body();
    let when = format!("{} to {}", dated_label(b.from()), dated_label(b.to()));
    view! {
        <li class="card">
            <p class="row-title">{b.r#where().label()}</p>
            <p>{when}</p>
            {(!b.note().is_empty()).then(|| view! { <p>{b.note().to_string()}</p> })}
            <button class="btn btn-danger" on:click=move |_| { if let Some(d) = dialog.get() { let _ = d.show_modal(); } }>"Delete"</button>
            <DeleteDialog dialog=dialog kind=RecordKind::Absence id=away.id() rev=away.rev() person=person />
        </li>
    }
}
