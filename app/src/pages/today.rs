//! Home: quick actions for each person, then today's notes across people.

use crate::browser;
use crate::components::icons::{Icon, Svg};
use crate::components::nav::{Link, PageHeader};
use crate::components::records::NoteCard;
use crate::route::Route;
use crate::state::AppState;
use hearth_core::dates::long_date;
use leptos::prelude::*;

/// The Today screen.
#[component]
pub fn Today() -> impl IntoView {
    let state = AppState::get();
    let store = state.store.clone();
    let revision = state.revision;
    let notes = LocalResource::new(move || {
        revision.track();
        let store = store.clone();
        async move { store.notes_on(browser::today()).await }
    });
    let people_state = state.clone();
    let people = move || people_state.active_people();
    let names = state.clone();
    view! {
        <PageHeader title="Today" />
        <main class="page">
            <p class="muted">{long_date(browser::today())}</p>
            <section aria-labelledby="quick-head">
                <h2 id="quick-head">"Write a note"</h2>
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
                            <div class="quick">
                                {people.into_iter().map(|p| view! {
                                    <Link to=Route::NewNote(Some(p.id())) class="btn">
                                        <Svg icon=Icon::Pencil />
                                        {format!("Note for {}", p.body().preferred_name())}
                                    </Link>
                                }).collect_view()}
                            </div>
                        }.into_any()
                    }
                }}
            </section>
            <section aria-labelledby="today-notes">
                <h2 id="today-notes">"Today's notes"</h2>
                <Transition fallback=|| view! { <p class="muted">"Loading today's notes…"</p> }>
                    {move || notes.get().map(|result| match result {
                        Err(e) => view! { <div class="banner banner-error" role="alert"><p>{e.to_string()}</p></div> }.into_any(),
                        Ok(list) if list.is_empty() => view! {
                            <div class="empty"><p>"No notes yet today."</p></div>
                        }.into_any(),
                        Ok(list) => {
                            let names = names.clone();
                            view! {
                                <ul class="list">
                                    {list.into_iter().map(|n| {
                                        let name = names.person(n.body().person_id()).map(|p| p.body().preferred_name().to_string());
                                        view! { <NoteCard note=n person_name=name.unwrap_or_default() /> }
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }
                    })}
                </Transition>
            </section>
        </main>
    }
}
