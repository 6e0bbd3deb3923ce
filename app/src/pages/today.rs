//! Home: quick actions for each person, then today's notes across people.

use crate::browser;
use crate::components::icons::{Icon, Svg};
use crate::components::nav::{Link, PageHeader};
use crate::components::records::{CheckInCard, NoteCard, SampleChip, VisitCard};
use crate::route::Route;
use crate::state::AppState;
use hearth_core::dates::long_date;
use hearth_core::{CheckIn, Note};
use leptos::prelude::*;

/// The Today screen.
#[component]
pub fn Today() -> impl IntoView {
    let state = AppState::get();
    let store = state.store.clone();
    let revision = state.revision;
    let records = LocalResource::new(move || {
        revision.track();
        let store = store.clone();
        async move {
            let day = browser::today();
            let notes = store.on_day::<Note>(day).await?;
            let checkins = store.on_day::<CheckIn>(day).await?;
            // Visits and stays that started, ended or ran through today (a
            // stay longer than a fortnight is logged as it ends).
            let since = browser::now() - chrono::Duration::days(14);
            let mut visits = store.visits_since(since).await?;
            visits.retain(|v| {
                let (start, end) = (v.body().start().date_naive(), v.body().end().date_naive());
                v.is_live() && start <= day && end >= day
            });
            hearth_core::order::sort_by_key(&mut visits, |v| std::cmp::Reverse(v.body().start()));
            Ok::<_, crate::storage::StorageError>((notes, checkins, visits))
        }
    });
    let people_state = state.clone();
    let people = move || people_state.active_people();
    let names = state.clone();
    view! {
        <PageHeader title="Today" />
        <main class="page">
            <p class="muted">{long_date(browser::today())}</p>
            <crate::pages::sample_data::SampleBanner />
            {let due = state.clone(); move || due.backup_due().map(|days| view! {
                <div class="banner" role="status">
                    <p>{format!("It's been {days} days since your records were last backed up. A backup keeps them safe if this phone is lost.")}</p>
                    <Link to=Route::More class="btn">"Back up now"</Link>
                </div>
            })}
            <RunningVisits />
            <MedicinesDue />
            <section aria-labelledby="quick-head">
                <h2 id="quick-head">"Quick add"</h2>
                {move || {
                    let people = people();
                    if people.is_empty() {
                        view! {
                            <div class="empty">
                                <Svg icon=Icon::People />
                                <p>"Add the people you support, then write notes for them here."</p>
                                <Link to=Route::NewPerson class="btn btn-primary">
                                    <Svg icon=Icon::Plus />"Add a person"
                                </Link>
                            </div>
                        }.into_any()
                    } else {
                        view! {
                            <ul class="list">
                                {people.into_iter().map(|p| {
                                    let id = p.id();
                                    let sample = hearth_core::sample::is_sample(&p);
                                    let note = format!("Note for {}", p.body().display_name());
                                    let check = format!("Check-in for {}", p.body().display_name());
                                    view! {
                                        <li class="quick">
                                            {sample.then(|| view! { <SampleChip /> })}
                                            <Link to=Route::NewNote(Some(id)) class="btn">
                                                <Svg icon=Icon::Pencil />
                                                {note}
                                            </Link>
                                            <Link to=Route::NewCheckIn(Some(id)) class="btn">
                                                <Svg icon=Icon::Smile />
                                                {check}
                                            </Link>
                                            <StartVisit person=p />
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }
                }}
            </section>
            <section aria-labelledby="today-notes">
                <h2 id="today-notes">"Today's records"</h2>
                <Transition fallback=|| view! { <p class="muted">"Loading today's notes…"</p> }>
                    {move || records.get().map(|result| match result {
                        Err(e) => view! { <div class="banner banner-error" role="alert"><p>{e.to_string()}</p></div> }.into_any(),
                        Ok((notes, checkins, visits)) if notes.is_empty() && checkins.is_empty() && visits.is_empty() => view! {
                            <div class="empty"><p>"Nothing recorded yet today."</p></div>
                        }.into_any(),
                        Ok((notes, checkins, visits)) => {
                            let sample = names.clone();
                            let names = names.clone();
                            let name = move |id| names.person(id).map(|p| p.body().display_name()).unwrap_or_default();
                            let sample = move |id| sample.is_sample(id);
                            view! {
                                {(!visits.is_empty()).then(|| view! {
                                    <h3>"Visits and stays"</h3>
                                    <ul class="list">
                                        {visits.into_iter().map(|v| {
                                            let who = v.body().person_id();
                                            view! { <VisitCard visit=v person_name=name(who) sample=sample(who) /> }
                                        }).collect_view()}
                                    </ul>
                                })}
                                {(!checkins.is_empty()).then(|| view! {
                                    <h3>"Check-ins"</h3>
                                    <ul class="list">
                                        {checkins.into_iter().map(|c| {
                                            let who = c.body().person_id();
                                            view! { <CheckInCard checkin=c name=name(who) show_name=true sample=sample(who) /> }
                                        }).collect_view()}
                                    </ul>
                                })}
                                {(!notes.is_empty()).then(|| view! {
                                    <h3>"Notes"</h3>
                                    <ul class="list">
                                        {notes.into_iter().map(|n| {
                                            let who = n.body().person_id();
                                            view! { <NoteCard note=n person_name=name(who) sample=sample(who) /> }
                                        }).collect_view()}
                                    </ul>
                                })}
                            }.into_any()
                        }
                    })}
                </Transition>
            </section>
        </main>
    }
}

/// The medicines due now, for everyone: when anyone has a medicine, its list
/// is drawn as soon as its code is in (it is not part of a first load).
#[component]
fn MedicinesDue() -> impl IntoView {
    let state = AppState::get();
    let store = state.store.clone();
    let revision = state.revision;
    let any = LocalResource::new(move || {
        revision.track();
        let store = store.clone();
        async move {
            store
                .has_any::<hearth_core::medicine::Medicine>()
                .await
                .unwrap_or(false)
        }
    });
    // Redrawn only when the answer changes, not after every save (the list
    // follows saves itself, and keeps what is typed in it).
    let shown = Memo::new(move |_| any.get().unwrap_or(false));
    move || shown.get().then(crate::later::due_today)
}

/// Visits in progress: who, since when, for how long, and "End visit". The
/// elapsed time ticks each minute; the visits survive reloads (they are stored).
#[component]
fn RunningVisits() -> impl IntoView {
    let state = AppState::get();
    let running = state.running;
    let tick = RwSignal::new(0u32);
    let interval = gloo::timers::callback::Interval::new(30_000, move || tick.update(|t| *t += 1));
    let interval = send_wrapper::SendWrapper::new(interval);
    on_cleanup(move || drop(interval));
    let names = state.clone();
    move || {
        tick.track();
        let list = running.get();
        (!list.is_empty()).then(|| {
            let names = names.clone();
            view! {
                <section aria-labelledby="running-head" class="card running">
                    <h2 id="running-head"><Svg icon=Icon::Play />" Visits in progress"</h2>
                    <ul class="list">
                        {list.into_iter().map(|v| {
                            let name = names.person(v.person_id).map(|p| p.body().display_name()).unwrap_or_default();
                            let started = crate::components::records::instant_label(v.started_at);
                            view! {
                                <li class="running-row">
                                    <p>
                                        <strong>{format!("{name}: {}", v.kind.label())}</strong><br />
                                        {format!("Started {started} · {} so far", v.elapsed_words(browser::now()))}
                                    </p>
                                    <Link to=Route::EndVisit(v.person_id) class="btn btn-primary">{format!("End visit with {name}")}</Link>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </section>
            }
        })
    }
}

/// One tap starts a visit with this person; if one is running, it offers to end it.
#[component]
pub fn StartVisit(person: hearth_core::Record<hearth_core::Person>) -> impl IntoView {
    let state = AppState::get();
    let id = person.id();
    let name = person.body().display_name();
    let running = {
        let state = state.clone();
        Memo::new(move |_| state.running_visit(id).is_some())
    };
    move || {
        if running.get() {
            view! { <Link to=Route::EndVisit(id) class="btn">{format!("End visit with {name}")}</Link> }.into_any()
        } else {
            let state = state.clone();
            let person = person.clone();
            view! {
                <button type="button" class="btn" on:click=move |_| state.start_visit(&person)>
                    <Svg icon=Icon::Play />{format!("Start visit with {name}")}
                </button>
            }
            .into_any()
        }
    }
}
