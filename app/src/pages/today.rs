//! Home: quick actions for each person, then today's notes across people.

use crate::browser;
use crate::components::icons::{Icon, Svg};
use crate::components::nav::{Link, PageHeader};
use crate::components::records::{CheckInCard, NoteCard};
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
            Ok::<_, crate::storage::StorageError>((notes, checkins))
        }
    });
    let people_state = state.clone();
    let people = move || people_state.active_people();
    let names = state.clone();
    view! {
        <PageHeader title="Today" />
        <main class="page">
            <p class="muted">{long_date(browser::today())}</p>
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
                                    let note = format!("Note for {}", p.body().preferred_name());
                                    let check = format!("Check-in for {}", p.body().preferred_name());
                                    view! {
                                        <li class="quick">
                                            <Link to=Route::NewNote(Some(id)) class="btn">
                                                <Svg icon=Icon::Pencil />
                                                {note}
                                            </Link>
                                            <Link to=Route::NewCheckIn(Some(id)) class="btn">
                                                <Svg icon=Icon::Smile />
                                                {check}
                                            </Link>
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
                        Ok((notes, checkins)) if notes.is_empty() && checkins.is_empty() => view! {
                            <div class="empty"><p>"Nothing recorded yet today."</p></div>
                        }.into_any(),
                        Ok((notes, checkins)) => {
                            let names = names.clone();
                            let name = move |id| names.person(id).map(|p| p.body().preferred_name().to_string()).unwrap_or_default();
                            view! {
                                {(!checkins.is_empty()).then(|| view! {
                                    <h3>"Check-ins"</h3>
                                    <ul class="list">
                                        {checkins.into_iter().map(|c| {
                                            let name = name(c.body().person_id());
                                            view! { <CheckInCard checkin=c name=name show_name=true /> }
                                        }).collect_view()}
                                    </ul>
                                })}
                                {(!notes.is_empty()).then(|| view! {
                                    <h3>"Notes"</h3>
                                    <ul class="list">
                                        {notes.into_iter().map(|n| {
                                            let name = name(n.body().person_id());
                                            view! { <NoteCard note=n person_name=name /> }
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
