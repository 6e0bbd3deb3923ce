//! The doses due now and overdue, worked out when the screen opens (no
//! server, no notification), leaving out whoever is away (days away
//! entered, or at home between short breaks), and "Did it help?" for "when
//! needed" doses given half an hour ago or more. On Today for everyone
//! (loaded just after the first paint, see `later::due_today`), and on a
//! person's medicines screen for them.

use crate::browser;
use crate::components::nav::Link;
use crate::components::records::SampleChip;
use crate::route::Route;
use crate::state::AppState;
use hearth_core::dose::{asks_effect, due_now, DoseDraft, DoseRecord, DueStatus, Helped, Outcome};
use hearth_core::easy_read::time_words;
use hearth_core::medicine::{in_force, Medicine};
use hearth_core::{LocalZone, Record, RecordId};
use leptos::prelude::*;

/// What the list shows: the doses due, and the doses to ask about.
#[derive(Clone)]
struct Due {
    medicines: Vec<Record<Medicine>>,
    doses: Vec<Record<DoseRecord>>,
    due: Vec<hearth_core::dose::DueDose>,
    ask: Vec<Record<DoseRecord>>,
}

/// Every dose recorded on the phone's today and yesterday (what is due now,
/// "Did it help?" and "Recorded today" look at).
pub(crate) async fn recent_doses(
    store: &crate::storage::Store,
) -> Result<Vec<Record<DoseRecord>>, crate::storage::StorageError> {
    let today = browser::today();
    let mut doses = store.on_day::<DoseRecord>(today).await?;
    if let Some(yesterday) = today.pred_opt() {
        doses.extend(store.on_day::<DoseRecord>(yesterday).await?);
    }
    Ok(doses)
}

/// Reads today's and yesterday's doses and works out what is due now.
async fn read(
    store: crate::storage::Store,
    person: Option<RecordId>,
) -> Result<Due, crate::storage::StorageError> {
    let state = AppState::get();
    let mut medicines: Vec<Record<Medicine>> = store.all::<Medicine>().await?;
    medicines.retain(|m| {
        let who = m.body().person_id();
        m.is_live()
            && person.is_none_or(|p| p == who)
            && state.people.with_untracked(|people| {
                people
                    .iter()
                    .any(|p| p.id() == who && !p.body().is_archived())
            })
    });
    let today = browser::today();
    let (doses, absences) = if medicines.is_empty() {
        (Vec::new(), Vec::new())
    } else {
        // Whoever is away (in hospital, or at home between short breaks)
        // has nothing due here.
        let mut people: Vec<RecordId> = medicines.iter().map(|m| m.body().person_id()).collect();
        people.sort();
        people.dedup();
        let absences = crate::pages::mar::days_away(&store, &people, &[today]).await?;
        (recent_doses(&store).await?, absences)
    };
    let now = browser::now();
    let due = due_now(
        &medicines,
        &doses,
        &absences,
        today,
        now,
        &browser::BrowserZone,
    );
    let mut ask: Vec<_> = doses
        .iter()
        .filter(|d| d.is_live() && asks_effect(d.body(), now))
        .filter(|d| medicines.iter().any(|m| m.id() == d.body().medicine_id()))
        .cloned()
        .collect();
    hearth_core::order::sort_by_key(&mut ask, |d| d.body().at());
    Ok(Due {
        medicines,
        doses,
        due,
        ask,
    })
}

/// The doses due now and overdue, for one person or (on Today) everyone,
/// with "Given" in one tap for a fixed dose and "Other…" for any other
/// outcome; then "Did it help?". Nothing at all when nothing is due.
#[component]
pub fn DueList(person: Option<RecordId>) -> impl IntoView {
    let state = AppState::get();
    let store = state.store.clone();
    let (revision, running) = (state.revision, state.running);
    let due = LocalResource::new(move || {
        revision.track();
        // A visit starting or ending changes who is here.
        running.track();
        read(store.clone(), person)
    });
    let saving = RwSignal::new(false);
    let everyone = person.is_none();
    view! {
        <Transition fallback=|| ()>
            {move || due.get().map(|r| match r {
                Err(e) => view! { <div class="banner banner-error" role="alert"><p>{e.to_string()}</p></div> }.into_any(),
                Ok(found) => {
                    let Due { medicines, doses, due, ask } = found;
                    let name = {
                        let state = state.clone();
                        move |who: RecordId| state.person(who).map(|p| p.body().display_name()).unwrap_or_default()
                    };
                    let due_view = (!due.is_empty()).then(|| {
                        let items = due.into_iter().filter_map(|d| {
                            let med = medicines.iter().find(|m| m.id() == d.medicine)?.clone();
                            let who = everyone.then(|| name(med.body().person_id()));
                            Some(view! { <DueRow due=d medicine=med doses=doses.clone() who=who saving=saving /> })
                        }).collect_view();
                        view! {
                            <section aria-labelledby="due-head">
                                <h2 id="due-head">"Medicines due now"</h2>
                                <ul class="list">{items}</ul>
                            </section>
                        }
                    });
                    let ask_view = (!ask.is_empty()).then(|| {
                        let items = ask.into_iter().filter_map(|d| {
                            let med = medicines.iter().find(|m| m.id() == d.body().medicine_id())?;
                            let title = in_force(med, browser::BrowserZone.to_local(d.body().at().to_utc()).date_naive())
                                .unwrap_or(med.body())
                                .title();
                            let who = name(d.body().person_id());
                            Some(view! { <AskEffect dose=d title=title who=who /> })
                        }).collect_view();
                        view! {
                            <section aria-labelledby="help-head">
                                <h2 id="help-head">"Did it help?"</h2>
                                <ul class="list">{items}</ul>
                            </section>
                        }
                    });
                    view! { {due_view}{ask_view} }.into_any()
                }
            })}
        </Transition>
    }
}

/// One dose due: what, for whom, when, and its buttons.
#[component]
fn DueRow(
    due: hearth_core::dose::DueDose,
    medicine: Record<Medicine>,
    doses: Vec<Record<DoseRecord>>,
    /// The person's name, on Today's list for everyone.
    who: Option<String>,
    saving: RwSignal<bool>,
) -> impl IntoView {
    let state = AppState::get();
    // A made-up sample person is marked so wherever they appear.
    let sample = state.is_sample(medicine.body().person_id());
    let local = browser::BrowserZone.to_local(due.at);
    let version = in_force(&medicine, local.date_naive())
        .unwrap_or(medicine.body())
        .clone();
    let at = time_words(local.time());
    let status = match due.status {
        DueStatus::Overdue => format!("Overdue: due at {at}"),
        DueStatus::Now => format!("Due at {at}"),
    };
    let title = match &who {
        Some(name) => format!("{} for {name}", version.title()),
        None => version.title(),
    };
    let other = Route::RecordDose(medicine.id(), due.slot.key());
    let fixed = !version.dose().is_variable();
    let given = move |_| {
        let now = browser::now();
        let local = browser::BrowserZone.to_local(now);
        let draft = DoseDraft {
            slot: Some(due.slot),
            date: hearth_core::dates::form_date(local.date_naive()),
            time: hearth_core::dates::form_time(local.time()),
            outcome: Some(Outcome::Given),
            ..Default::default()
        };
        let checked = draft.validate(&medicine, &doses, now, &browser::BrowserZone);
        let state = state.clone();
        saving.set(true);
        leptos::task::spawn_local(async move {
            match checked {
                Ok(body) => match state.save(None, body).await {
                    Ok(_) => state.saved(Some("Dose recorded: given")),
                    Err(e) => state.show_toast(&e.to_string()),
                },
                Err(e) => state.show_toast(&e.to_string()),
            }
            saving.set(false);
        });
    };
    let overdue = due.status == DueStatus::Overdue;

    view! {
        <li class="card due-dose" class:overdue=overdue>
            <p class="row-title">{sample.then(|| view! { <SampleChip />" " })}{title}</p>
            <p>{format!("{} · ", version.dose().words())}{if overdue { view! { <strong>{status}</strong> }.into_any() } else { status.into_any() }}</p>
            <div class="btn-row">
                {fixed.then(|| view! {
                    <button class="btn btn-primary" disabled=move || saving.get() on:click=given>"Given"</button>
                })}
                <Link to=other class="btn">{if fixed { "Other…" } else { "Record…" }}</Link>
            </div>
        </li>
    }
}

/// "Did it help?" for one "when needed" dose: what the carer saw, then one
/// of three answers, saved as an amendment of the dose.
#[component]
fn AskEffect(dose: Record<DoseRecord>, title: String, who: String) -> impl IntoView {
    let state = AppState::get();
    let note = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let when = time_words(
        browser::BrowserZone
            .to_local(dose.body().at().to_utc())
            .time(),
    );
    let reason = dose.body().reason().to_string();
    let field = format!("effect-{}", dose.id());
    let sample = state.is_sample(dose.body().person_id());
    let error_id = format!("{field}-error");
    let described = {
        let error_id = error_id.clone();
        move || error.get().is_some().then(|| error_id.clone())
    };
    let answer = move |helped: Helped| {
        let (state, dose) = (state.clone(), dose.clone());
        move |_| {
            let now = browser::BrowserZone.to_local(browser::now());
            match dose.body().noted(helped, &note.get_untracked(), now) {
                Err(e) => error.set(e.message_for("effect").map(str::to_string)),
                Ok(body) => {
                    error.set(None);
                    busy.set(true);
                    let (state, dose) = (state.clone(), dose.clone());
                    leptos::task::spawn_local(async move {
                        match state.save(Some(&dose), body).await {
                            Ok(_) => state.saved(Some("Noted. Thank you.")),
                            Err(e) => state.show_toast(&e.to_string()),
                        }
                        busy.set(false);
                    });
                }
            }
        }
    };
    let buttons = Helped::ALL
        .iter()
        .map(|&h| {
            view! {
                <button type="button" class="btn" disabled=move || busy.get() on:click=answer(h)>{h.label()}</button>
            }
        })
        .collect_view();
    view! {
        <li class="card ask-effect">
            <p class="row-title">{sample.then(|| view! { <SampleChip />" " })}{format!("{title} for {who}")}</p>
            <p>{format!("Given at {when}: {reason}")}</p>
            <div class="field">
                <label for=field.clone()>"What you saw"<span class="muted">" (optional)"</span></label>
                <input id=field type="text" prop:value=move || note.get()
                    on:input=move |ev| note.set(event_target_value(&ev))
                    aria-invalid=move || error.get().is_some().then_some("true")
                    aria-describedby=described />
                <crate::components::form::ErrorText id=error_id message=Memo::new(move |_| error.get()) />
            </div>
            <div class="btn-row">{buttons}</div>
        </li>
    }
}
