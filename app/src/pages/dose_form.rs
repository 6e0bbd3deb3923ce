//! Record a dose's outcome: a scheduled dose (from Today's due list) or a
//! "when needed" one. Core decides: one outcome a dose, a reason for every
//! outcome but given and prompted, the amount of a variable dose, and a
//! "when needed" medicine's limits unless an override reason is given.

use crate::browser::{self, BrowserZone};
use crate::components::choice::Choice;
use crate::components::form::{Field, FormSignals, Kind, SaveError, SaveWords};
use crate::components::nav::PageHeader;
use crate::route::Route;
use crate::state::AppState;
use hearth_core::dose::{DoseDraft, DoseRecord, Outcome};
use hearth_core::medicine::{in_force, Medicine, Slot};
use hearth_core::{LocalZone, Record, RecordId};
use leptos::prelude::*;

/// The form for one dose of `medicine`: `which` is a scheduled dose's key
/// ([`Slot::key`]), or empty for a "when needed" dose.
#[component]
pub fn DoseForm(medicine: RecordId, which: String) -> impl IntoView {
    view! { <Loaded medicine=Some(medicine) which=Slot::from_key(&which) correcting=None /> }
}

/// The form correcting a recorded dose: saved as an amendment, so the
/// earlier outcome stays in its history (a "when needed" dose keeps its
/// effect).
#[component]
pub fn CorrectDose(id: RecordId) -> impl IntoView {
    view! { <Loaded medicine=None which=None correcting=Some(id) /> }
}

#[component]
fn Loaded(
    medicine: Option<RecordId>,
    which: Option<Slot>,
    correcting: Option<RecordId>,
) -> impl IntoView {
    let state = AppState::get();
    let store = state.store.clone();
    let loaded = LocalResource::new(move || {
        let store = store.clone();
        async move {
            let stored = match correcting {
                Some(id) => match store.get::<DoseRecord>(id).await? {
                    Some(d) if d.is_live() => Some(d),
                    _ => return Ok(None),
                },
                None => None,
            };
            let medicine = stored.as_ref().map(|d| d.body().medicine_id()).or(medicine);
            let Some(med) = (match medicine {
                Some(m) => store.get::<Medicine>(m).await?,
                None => None,
            }) else {
                return Ok(None);
            };
            // The doses one is checked against: the person's last two days
            // around it, less the one being corrected.
            let around = stored
                .as_ref()
                .map_or(browser::now(), |d| d.body().at().to_utc());
            let since = around - chrono::Duration::days(2);
            let mut doses = store
                .for_person::<DoseRecord>(med.body().person_id(), Some(since), usize::MAX)
                .await?;
            doses.retain(|d| Some(d.id()) != correcting);
            Ok::<_, crate::storage::StorageError>(Some((med, doses, stored)))
        }
    });
    view! {
        <Suspense fallback=|| view! { <main class="page" aria-busy="true"></main> }>
            {move || loaded.get().map(|r| match r {
                Ok(Some((med, doses, stored))) => {
                    let slot = stored.as_ref().map_or(which, |d| d.body().slot());
                    view! { <Editor med=med doses=doses which=slot stored=stored /> }.into_any()
                }
                Ok(None) => view! {
                    <PageHeader title="Record a dose" back=Route::Today />
                    <main class="page"><p>"That medicine isn't on this phone."</p></main>
                }.into_any(),
                Err(e) => view! {
                    <PageHeader title="Record a dose" back=Route::Today />
                    <main class="page"><div class="banner banner-error" role="alert"><p>{e.to_string()}</p></div></main>
                }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn Editor(
    med: Record<Medicine>,
    doses: Vec<Record<DoseRecord>>,
    which: Option<Slot>,
    /// The dose being corrected.
    stored: Option<Record<DoseRecord>>,
) -> impl IntoView {
    let slot = which;
    let state = AppState::get();
    let now = BrowserZone.to_local(browser::now());
    let day = match slot {
        Some(Slot::At { local }) => local.date(),
        Some(Slot::Instant { at }) => BrowserZone.to_local(at).date_naive(),
        None => now.date_naive(),
    };
    let version = in_force(&med, day).unwrap_or(med.body()).clone();
    let person = med.body().person_id();
    let name = state
        .person(person)
        .map(|p| p.body().display_name())
        .unwrap_or_default();
    let when = match slot {
        Some(Slot::At { local }) => format!(
            "The {} dose",
            hearth_core::easy_read::time_words(local.time())
        ),
        Some(Slot::Instant { at }) => format!(
            "The {} dose",
            hearth_core::easy_read::time_words(BrowserZone.to_local(at).time())
        ),
        None => version.when_words(),
    };
    let given_at = stored.as_ref().map_or(now, |d| d.body().at());
    let was = stored.as_ref().map(|d| d.body().clone());
    let outcome = RwSignal::new(was.as_ref().map(DoseRecord::outcome));
    let date = RwSignal::new(hearth_core::dates::form_date(given_at.date_naive()));
    let time = RwSignal::new(hearth_core::dates::form_time(given_at.time()));
    let amount = RwSignal::new(
        was.as_ref()
            .and_then(DoseRecord::amount)
            .map(|a| a.text())
            .unwrap_or_default(),
    );
    let reason = RwSignal::new(
        was.as_ref()
            .map(|d| d.reason().to_string())
            .unwrap_or_default(),
    );
    let override_reason = RwSignal::new(
        was.as_ref()
            .map(|d| d.override_reason().to_string())
            .unwrap_or_default(),
    );
    let effect = was.as_ref().and_then(|d| d.effect().cloned());
    let form = FormSignals::new();
    let (errors, save_error, busy) = (form.errors, form.save_error, form.busy);
    let variable = version.dose().is_variable();
    let when_needed = version.is_when_needed();
    // A scheduled dose is recorded from the list of doses due (on Today); a
    // "when needed" one from the person's medicines.
    let home = if slot.is_some() && stored.is_none() {
        Route::Today
    } else {
        Route::Medicines(person)
    };
    let options: Vec<(Outcome, String)> =
        Outcome::all().into_iter().map(|o| (o, o.label())).collect();
    let submit = {
        let (state, home) = (state.clone(), home.clone());
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let draft = DoseDraft {
                slot,
                date: date.get_untracked(),
                time: time.get_untracked(),
                outcome: outcome.get_untracked(),
                reason: reason.get_untracked(),
                amount: amount.get_untracked(),
                override_reason: override_reason.get_untracked(),
            };
            let checked = draft
                .validate(&med, &doses, browser::now(), &BrowserZone)
                .map(|body| match &effect {
                    Some(effect) => body.with_effect(effect.clone()),
                    None => body,
                });
            form.submit(
                &state,
                stored.clone(),
                checked,
                SaveWords {
                    added: "Dose recorded",
                    corrected: "Dose corrected. The earlier record stays in its history.",
                    unchanged: "Nothing has changed yet. Change what was recorded, then save it.",
                },
                {
                    let home = home.clone();
                    move |_, _| home.clone()
                },
            );
        }
    };
    let dirty = state.dirty;
    view! {
        <PageHeader title=version.title() back=home.clone() />
        <main class="page">
            <crate::pages::medicines::Allergies person=person />
            <p><strong>{format!("{name}: {}", version.dose().words())}</strong></p>
            <p>{when}</p>
            {(!version.instructions().is_empty()).then(|| view! { <p>{version.instructions().to_string()}</p> })}
            <form on:submit=submit on:input=move |_| dirty.set(true) on:change=move |_| dirty.set(true) novalidate autocomplete="off">
                <Choice legend="What happened" name="outcome" options=options value=outcome errors=errors />
                {move || {
                    let part = outcome.get() == Some(Outcome::PartTaken);
                    (variable || part || when_needed).then(|| view! {
                        <Field label="How much was taken".into() name="amount" value=amount errors=errors
                            hint={format!("In {}s.", version.dose().unit().label())} />
                    })
                }}
                <Field label=(if when_needed { "Why it was needed" } else { "Reason" }).into() name="reason" value=reason errors=errors kind=Kind::Multiline
                    optional={!when_needed} hint="Needed for every outcome but given and prompted." />
                <div class="grid-2">
                    <Field label="Day".into() name="date" value=date errors=errors kind=Kind::Date />
                    <Field label="Time".into() name="time" value=time errors=errors kind=Kind::Time />
                </div>
                {when_needed.then(|| view! {
                    <Field label="If it is sooner or more than the prescription allows: why".into() name="override_reason" value=override_reason errors=errors optional=true />
                })}
                <SaveError message=save_error />
                <div class="form-actions">
                    <button class="btn btn-primary btn-block" type="submit" disabled=move || busy.get()>"Save"</button>
                </div>
            </form>
        </main>
    }
}
