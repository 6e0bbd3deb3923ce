//! A person's medicines: what they take now, as on the pharmacy label, with
//! changes waiting for written confirmation and reviews that are due; adding
//! a medicine, changing a prescription (a new version from its own date,
//! with who authorised it and from what) and recording its written
//! confirmation.

use crate::browser;
use crate::components::choice::Choice;
use crate::components::form::{Field, FormSignals, Kind, SaveError, SaveWords};
use crate::components::loaded::for_correction;
use crate::components::nav::{Link, PageHeader};
use crate::route::Route;
use crate::state::AppState;
use hearth_core::medicine::{
    in_force, Form, Medicine, MedicineDraft, Route as Way, Source, Support, Unit,
};
use hearth_core::{Record, RecordId};
use leptos::prelude::*;

/// The person's allergies and reactions, on every medicine screen; when
/// none are recorded, it says so and where to add them.
#[component]
pub fn Allergies(person: RecordId) -> impl IntoView {
    let state = AppState::get();
    let (name, allergies) = state
        .person(person)
        .map(|p| (p.body().display_name(), p.body().allergies().to_string()))
        .unwrap_or_default();
    let recorded = !allergies.is_empty();
    view! {
        <p class="allergies" class:status-warn=!recorded>
            <strong>"Allergies and reactions: "</strong>
            {if recorded {
                allergies
            } else {
                format!("not recorded. Add them with \"Edit details\" on {name}'s page.")
            }}
        </p>
    }
}

/// On a person's page: the medicines whose review date has passed and the
/// changes waiting for written confirmation; nothing when there are none.
#[component]
pub fn NeedsDoing(person: RecordId) -> impl IntoView {
    let all = crate::components::loaded::theirs(person, Medicine::person_id);
    let today = browser::today();
    move || {
        let list = all.get()?.ok()?;
        let lines: Vec<String> = list
            .iter()
            .filter_map(|m| in_force(m, today))
            .flat_map(|m| {
                let review = m.review_overdue(today).then(|| {
                    format!(
                        "{}: review was due on {}.",
                        m.title(),
                        hearth_core::easy_read::date_words(m.review().unwrap_or(today), today)
                    )
                });
                let waiting = m
                    .authority()
                    .waiting_for_writing()
                    .then(|| format!("{}: waiting for written confirmation.", m.title()));
                review.into_iter().chain(waiting)
            })
            .collect();
        (!lines.is_empty()).then(|| {
            view! {
                <section class="card" aria-labelledby="meds-needs-head">
                    <h2 id="meds-needs-head">"Medicines to check"</h2>
                    <ul>{lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul>
                    <Link to=Route::Medicines(person) class="btn">"Open medicines"</Link>
                </section>
            }
        })
    }
}

/// One medicine's card: what it is, how much, when, and what needs doing.
#[component]
fn MedicineCard(record: Record<Medicine>, today: chrono::NaiveDate) -> impl IntoView {
    let id = record.id();
    let (rev, person) = (record.rev(), record.body().person_id());
    let dialog: NodeRef<leptos::html::Dialog> = NodeRef::new();
    let m = in_force(&record, today).unwrap_or(record.body()).clone();
    let waiting = m.authority().waiting_for_writing();
    let review = m.review_overdue(today).then(|| {
        format!(
            "Review was due on {}.",
            hearth_core::easy_read::date_words(m.review().unwrap_or(today), today)
        )
    });
    let ending = m
        .stop()
        .filter(|s| *s > today)
        .map(|s| format!("Stops on {}.", hearth_core::easy_read::date_words(s, today)));
    let mut lines = vec![
        format!("{}, {}", m.dose().words(), m.route().label().to_lowercase()),
        m.when_words(),
        m.support().label().to_string(),
    ];
    if !m.instructions().is_empty() {
        lines.push(m.instructions().to_string());
    }
    if !m.prescriber().is_empty() {
        lines.push(format!("Prescribed by {}", m.prescriber()));
    }
    view! {
        <li class="card medicine">
            <h3>{m.title()}</h3>
            {lines.into_iter().map(|l| view! { <p>{l}</p> }).collect_view()}
            {ending.map(|e| view! { <p>{e}</p> })}
            {waiting.then(|| view! {
                <p class="status-warn">
                    <strong>"Waiting for written confirmation. "</strong>
                    {format!("Changed by {} on {}.", m.authority().source.label().to_lowercase(), hearth_core::easy_read::date_words(m.authority().from, today))}
                </p>
            })}
            {review.map(|r| view! { <p class="status-warn"><strong>{r}</strong></p> })}
            <div class="btn-row">
                {m.is_when_needed().then(|| view! {
                    <Link to=Route::RecordDose(id, String::new()) class="btn btn-primary">"Record a dose"</Link>
                })}
                <Link to=Route::ChangeMedicine(id) class="btn">"Change the prescription"</Link>
                {waiting.then(|| view! {
                    <Link to=Route::ConfirmMedicine(id) class="btn btn-primary">"Confirmed in writing"</Link>
                })}
                <button class="btn btn-quiet" on:click=move |_| { if let Some(d) = dialog.get() { let _ = d.show_modal(); } }>
                    "Delete (entered by mistake)"
                </button>
            </div>
            <crate::components::records::DeleteDialog dialog=dialog kind=crate::components::records::Kind::Medicine id=id rev=rev person=person />
        </li>
    }
}

/// The doses recorded today and yesterday, newest first: what was recorded,
/// by whom, "Correct" (an amendment) and "Delete" (with a reason, for one
/// that should never have been recorded; it is then due again).
#[component]
fn Recorded(person: RecordId, medicines: Vec<Record<Medicine>>) -> impl IntoView {
    use hearth_core::LocalZone;
    let state = AppState::get();
    let (store, revision) = (state.store.clone(), state.revision);
    let recent = LocalResource::new(move || {
        revision.track();
        let store = store.clone();
        async move {
            let mut doses = crate::pages::due::recent_doses(&store).await?;
            doses.retain(|d| d.is_live() && d.body().person_id() == person);
            hearth_core::order::sort_by_key(&mut doses, |d| std::cmp::Reverse(d.body().at()));
            Ok::<_, crate::storage::StorageError>(doses)
        }
    });
    let title = move |id: RecordId| {
        medicines
            .iter()
            .find(|m| m.id() == id)
            .map(|m| m.body().title())
            .unwrap_or_default()
    };
    move || {
        let doses = recent.get()?.ok()?;
        let title = title.clone();
        (!doses.is_empty()).then(|| {
            let items = doses
                .into_iter()
                .map(|d| {
                    let dialog: NodeRef<leptos::html::Dialog> = NodeRef::new();
                    let b = d.body();
                    let local = browser::BrowserZone.to_local(b.at().to_utc());
                    let when = crate::components::records::dated_label(local);
                    let mut what = b.outcome().label();
                    if let Some(amount) = b.amount() {
                        what.push_str(&format!(", {}", amount.text()));
                    }
                    if !b.reason().is_empty() {
                        what.push_str(&format!(": {}", b.reason()));
                    }
                    view! {
                        <li class="card">
                            <p class="row-title">{title(b.medicine_id())}</p>
                            <p>{format!("{when}. {what}. Recorded by {}.", d.created_by())}</p>
                            <div class="btn-row">
                                <Link to=Route::CorrectDose(d.id()) class="btn">"Correct"</Link>
                                <button class="btn btn-quiet" on:click=move |_| { if let Some(dl) = dialog.get() { let _ = dl.show_modal(); } }>"Delete"</button>
                            </div>
                            <crate::components::records::DeleteDialog dialog=dialog kind=crate::components::records::Kind::Dose id=d.id() rev=d.rev() person=person />
                        </li>
                    }
                })
                .collect_view();
            view! {
                <section aria-labelledby="recorded-head">
                    <h2 id="recorded-head">"Recorded today"</h2>
                    <p class="muted">"Today's and yesterday's doses, newest first."</p>
                    <ul class="list">{items}</ul>
                </section>
            }
        })
    }
}

/// The medicines screen for one person.
#[component]
pub fn Medicines(person: RecordId) -> impl IntoView {
    let state = AppState::get();
    let name = state
        .person(person)
        .map(|p| p.body().display_name())
        .unwrap_or_default();
    let all = crate::components::loaded::theirs(person, Medicine::person_id);
    let today = browser::today();
    view! {
        <PageHeader title=format!("{name}'s medicines") back=Route::Person(person) />
        <main class="page medicines">
            <crate::components::records::SampleLine person=person />
            <Allergies person=person />
            <crate::pages::due::DueList person=Some(person) />
            <div class="btn-row">
                <Link to=Route::NewMedicine(person) class="btn btn-primary">"Add a medicine"</Link>
                {
                    use chrono::Datelike;
                    view! { <Link to=Route::MedicineChart(person, today.year(), today.month()) class="btn">"Medicines chart (MAR)"</Link> }
                }
                <Link to=Route::DaysAway(person) class="btn">"Days away"</Link>
            </div>
            <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || all.get().map(|r| match r {
                    Err(e) => view! { <div class="banner banner-error" role="alert"><p>{e.to_string()}</p></div> }.into_any(),
                    Ok(list) => {
                        let theirs: Vec<Record<Medicine>> = list
                            .into_iter()
                            .filter(|m| m.is_live())
                            .collect();
                        let (now, other): (Vec<_>, Vec<_>) = theirs
                            .into_iter()
                            .partition(|m| in_force(m, today).is_some());
                        let (later, stopped): (Vec<_>, Vec<_>) = other
                            .into_iter()
                            .partition(|m| m.body().start() > today);
                        let recorded = now.iter().chain(&later).chain(&stopped).cloned().collect::<Vec<_>>();
                        view! {
                            <section aria-labelledby="taken-head">
                                <h2 id="taken-head">"Taken now"</h2>
                                {if now.is_empty() {
                                    view! { <p class="muted">"No medicines recorded."</p> }.into_any()
                                } else {
                                    view! { <ul class="list">{now.into_iter().map(|m| view! { <MedicineCard record=m today=today /> }).collect_view()}</ul> }.into_any()
                                }}
                            </section>
                            {(!later.is_empty()).then(|| view! {
                                <section aria-labelledby="later-head">
                                    <h2 id="later-head">"Starting later"</h2>
                                    <ul class="list">{later.into_iter().map(|m| view! { <MedicineCard record=m today=today /> }).collect_view()}</ul>
                                </section>
                            })}
                            {(!stopped.is_empty()).then(|| view! {
                                <section aria-labelledby="stopped-head">
                                    <h2 id="stopped-head">"Stopped"</h2>
                                    <ul class="list">{stopped.into_iter().map(|m| {
                                        let title = m.body().title();
                                        let when = m.body().stop().map(|s| format!("Stopped on {}.", hearth_core::easy_read::date_words(s, today))).unwrap_or_default();
                                        view! { <li class="card"><h3>{title}</h3><p>{when}</p></li> }
                                    }).collect_view()}</ul>
                                </section>
                            })}
                            <Recorded person=person medicines=recorded />
                        }.into_any()
                    }
                })}
            </Transition>
        </main>
    }
}

/// What the medicine form does.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// A new medicine for this person.
    Add(RecordId),
    /// A new version of a prescription, from a date.
    Change(RecordId),
    /// The written confirmation of a version taken by phone or message.
    Confirm(RecordId),
}

/// The medicine form.
#[component]
pub fn MedicineForm(purpose: Purpose) -> impl IntoView {
    match purpose {
        Purpose::Add(person) => {
            view! { <Editor purpose=purpose stored=None person=person /> }.into_any()
        }
        Purpose::Change(id) | Purpose::Confirm(id) => for_correction::<Medicine, _>(
            id,
            "Change the prescription",
            Route::People,
            "medicine",
            move |m| {
                let person = m.body().person_id();
                view! { <Editor purpose=purpose stored=Some(m) person=person /> }.into_any()
            },
        ),
    }
}

fn options<T: Copy>(all: &[T], label: impl Fn(T) -> &'static str) -> Vec<(T, String)> {
    all.iter().map(|&v| (v, label(v).to_string())).collect()
}

#[component]
fn Editor(purpose: Purpose, stored: Option<Record<Medicine>>, person: RecordId) -> impl IntoView {
    let state = AppState::get();
    let today = browser::today();
    let draft = match (&stored, purpose) {
        (Some(m), Purpose::Confirm(_)) => {
            let mut d = MedicineDraft::from_medicine(m.body());
            d.confirmed_on = hearth_core::dates::form_date(today);
            d
        }
        (Some(m), _) => MedicineDraft::change_of(m.body(), today),
        (None, _) => MedicineDraft {
            person_id: person.to_string(),
            schedule: "times".into(),
            start: hearth_core::dates::form_date(today),
            source: Some(Source::Label),
            ..Default::default()
        },
    };
    let confirming = matches!(purpose, Purpose::Confirm(_));
    let changing = matches!(purpose, Purpose::Change(_));
    let text = |v: &str| RwSignal::new(v.to_string());
    let name = text(&draft.name);
    let form_kind = RwSignal::new(draft.form);
    let strength = text(&draft.strength);
    let dose = text(&draft.dose);
    let dose_max = text(&draft.dose_max);
    let unit = RwSignal::new(draft.unit);
    let way = RwSignal::new(draft.route);
    let schedule = RwSignal::new(match draft.schedule.as_str() {
        "every" => Some("every"),
        "when_needed" => Some("when_needed"),
        "times" => Some("times"),
        _ => None,
    });
    let time_at = |i: usize| text(draft.times.get(i).map(String::as_str).unwrap_or(""));
    let times = [time_at(0), time_at(1), time_at(2), time_at(3)];
    let every_hours = text(&draft.every_hours);
    let reason = text(&draft.when_needed_reason);
    let gap = text(&draft.min_gap_hours);
    let most = text(&draft.max_in_24h);
    let support = RwSignal::new(draft.support);
    let start = text(&draft.start);
    let stop = text(&draft.stop);
    let review = text(&draft.review);
    let instructions = text(&draft.instructions);
    let prescriber = text(&draft.prescriber);
    let authorised_by = text(&draft.authorised_by);
    let source = RwSignal::new(draft.source);
    let from = text(&draft.from);
    let confirmed_source = RwSignal::new(
        draft
            .confirmed_source
            .or(confirming.then_some(Source::Prescription)),
    );
    let confirmed_on = text(&draft.confirmed_on);
    let form = FormSignals::new();
    let (errors, save_error, busy) = (form.errors, form.save_error, form.busy);
    let has_stored = stored.is_some();
    let kept = (draft.confirmed_source, draft.confirmed_on.clone());
    let read = move || MedicineDraft {
        person_id: person.to_string(),
        name: name.get_untracked(),
        form: form_kind.get_untracked(),
        strength: strength.get_untracked(),
        dose: dose.get_untracked(),
        dose_max: dose_max.get_untracked(),
        unit: unit.get_untracked(),
        route: way.get_untracked(),
        schedule: schedule.get_untracked().unwrap_or_default().to_string(),
        times: times.iter().map(|t| t.get_untracked()).collect(),
        every_hours: every_hours.get_untracked(),
        when_needed_reason: reason.get_untracked(),
        min_gap_hours: gap.get_untracked(),
        max_in_24h: most.get_untracked(),
        support: support.get_untracked(),
        start: start.get_untracked(),
        stop: stop.get_untracked(),
        review: review.get_untracked(),
        instructions: instructions.get_untracked(),
        prescriber: prescriber.get_untracked(),
        authorised_by: authorised_by.get_untracked(),
        source: source.get_untracked(),
        from: if has_stored {
            from.get_untracked()
        } else {
            String::new()
        },
        confirmed_source: if confirming {
            confirmed_source.get_untracked()
        } else {
            kept.0
        },
        confirmed_on: if confirming {
            confirmed_on.get_untracked()
        } else {
            kept.1.clone()
        },
    };
    let submit = {
        let state = state.clone();
        let stored = stored.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            form.submit(
                &state,
                stored.clone(),
                read().validate(),
                SaveWords {
                    added: "Medicine added",
                    corrected: if confirming {
                        "Written confirmation recorded"
                    } else {
                        "Prescription changed"
                    },
                    unchanged: "Nothing has changed yet. Change the prescription, then save it.",
                },
                move |_, saved| Route::Medicines(saved.body().person_id()),
            );
        }
    };
    let title = match purpose {
        Purpose::Add(_) => "Add a medicine",
        Purpose::Change(_) => "Change the prescription",
        Purpose::Confirm(_) => "Confirmed in writing",
    };
    let dirty = state.dirty;
    let schedules = vec![
        ("times", "At set times of day".to_string()),
        ("every", "Every so many hours".to_string()),
        ("when_needed", "When needed".to_string()),
    ];
    let written: Vec<(Source, String)> =
        [Source::Label, Source::Prescription, Source::DischargeLetter]
            .iter()
            .map(|s| (*s, s.label().to_string()))
            .collect();
    let prescription = view! {
        <Field label="Name, as on the pharmacy label".into() name="name" value=name errors=errors />
        <Choice legend="Form" name="form" options=options(Form::ALL, Form::label) value=form_kind errors=errors />
        <Field label="Strength".into() name="strength" value=strength errors=errors optional=true hint="As on the label, such as 500 mg or 5 mg/5 ml." />
        <div class="grid-2">
            <Field label="Dose".into() name="dose" value=dose errors=errors hint="How much each time, such as 1 or 0.5." />
            <Field label="Or up to".into() name="dose_max" value=dose_max errors=errors optional=true hint="For \"1 or 2 tablets\", 2." />
        </div>
        <Choice legend="Counted in" name="unit" options=options(Unit::ALL, Unit::label) value=unit errors=errors />
        <Choice legend="How it is taken" name="route" options=options(Way::ALL, Way::label) value=way errors=errors />
        <Choice legend="When" name="schedule" options=schedules value=schedule errors=errors />
        {move || match schedule.get() {
            Some("every") => view! {
                <div class="grid-2">
                    <Field label="Every (hours)".into() name="every_hours" value=every_hours errors=errors />
                    <Field label="First dose at".into() name="times" value=times[0] errors=errors kind=Kind::Time />
                </div>
            }.into_any(),
            Some("when_needed") => view! {
                <Field label="What it is for".into() name="when_needed_reason" value=reason errors=errors hint="As the prescription says: for pain, if anxious." />
                <div class="grid-2">
                    <Field label="At least (hours) between doses".into() name="min_gap_hours" value=gap errors=errors />
                    <Field label="At most, doses in 24 hours".into() name="max_in_24h" value=most errors=errors />
                </div>
            }.into_any(),
            _ => view! {
                <div class="grid-2">
                    <Field label="Time".into() name="times" value=times[0] errors=errors kind=Kind::Time />
                    <Field label="Time".into() name="times_2" value=times[1] errors=errors kind=Kind::Time optional=true />
                    <Field label="Time".into() name="times_3" value=times[2] errors=errors kind=Kind::Time optional=true />
                    <Field label="Time".into() name="times_4" value=times[3] errors=errors kind=Kind::Time optional=true />
                </div>
            }.into_any(),
        }}
        <Choice legend="How they are supported with it" name="support" options=options(Support::ALL, Support::label) value=support errors=errors />
        <div class="grid-2">
            <Field label="Starts".into() name="start" value=start errors=errors kind=Kind::Date />
            <Field label="Stops".into() name="stop" value=stop errors=errors kind=Kind::Date optional=true />
        </div>
        <Field label="Review on".into() name="review" value=review errors=errors kind=Kind::Date optional=true />
        <Field label="Instructions".into() name="instructions" value=instructions errors=errors optional=true hint="As on the label, such as: with food." />
        <Field label="Prescriber or GP practice".into() name="prescriber" value=prescriber errors=errors optional=true />
    };
    view! {
        <PageHeader title=title back=Route::Medicines(person) />
        <main class="page">
            <Allergies person=person />
            <form on:submit=submit on:input=move |_| dirty.set(true) on:change=move |_| dirty.set(true) novalidate autocomplete="off">
                {if confirming {
                    let m = stored.as_ref().map(|m| m.body().clone());
                    view! {
                        <p>{m.map(|m| format!("{}: {}, {}. Changed by {} on {}.", m.title(), m.dose().words(), m.when_words(), m.authority().source.label().to_lowercase(), hearth_core::easy_read::date_words(m.authority().from, today))).unwrap_or_default()}</p>
                        <Choice legend="Confirmed by" name="confirmed_source" options=written value=confirmed_source errors=errors />
                        <Field label="On".into() name="confirmed_on" value=confirmed_on errors=errors kind=Kind::Date />
                    }.into_any()
                } else {
                    prescription.into_any()
                }}
                {(!confirming).then(|| view! {
                    <fieldset class="field">
                        <legend>{if changing { "Who changed it" } else { "Who prescribed it" }}</legend>
                        <Field label="Authorised by".into() name="authorised_by" value=authorised_by errors=errors hint="The GP, the pharmacist or the hospital." />
                        <Choice legend="From" name="source" options=options(Source::ALL, Source::label) value=source errors=errors />
                        {changing.then(|| view! {
                            <Field label="The change applies from".into() name="from" value=from errors=errors kind=Kind::Date hint="Doses before this day keep the earlier prescription." />
                        })}
                    </fieldset>
                })}
                <SaveError message=save_error />
                <div class="form-actions">
                    <button class="btn btn-primary btn-block" type="submit" disabled=move || busy.get()>
                        {match purpose {
                            Purpose::Add(_) => "Save medicine",
                            Purpose::Change(_) => "Save the change",
                            Purpose::Confirm(_) => "Save the confirmation",
                        }}
                    </button>
                </div>
            </form>
        </main>
    }
}
