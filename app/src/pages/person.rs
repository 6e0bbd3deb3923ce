//! A person's page: who they are, what matters to them, then their notes.

use crate::browser;
use crate::components::icons::{Icon, Svg};
use crate::components::nav::{Link, PageHeader};
use crate::components::records::{Arrangements, Avatar, NoteCard};
use crate::route::Route;
use crate::state::AppState;
use hearth_core::RecordId;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// How many notes the timeline shows at first and adds with "Show older notes".
const PAGE: usize = 50;

/// A person's page.
#[component]
pub fn PersonPage(id: RecordId) -> impl IntoView {
    let state = AppState::get();
    let person = {
        let state = state.clone();
        Memo::new(move |_| state.person(id))
    };
    let title = Signal::derive(move || {
        person
            .get()
            .map(|p| p.body().preferred_name().to_string())
            .unwrap_or_else(|| "Not found".into())
    });
    view! {
        <PageHeader title=title back=Route::People />
        <main class="page">
            {move || match person.get() {
                None => view! {
                    <div class="empty"><p>"This person isn't on this phone."</p>
                    <Link to=Route::People class="btn">"See everyone"</Link></div>
                }.into_any(),
                Some(p) => view! { <Details person=p /> <Timeline id=id /> }.into_any(),
            }}
        </main>
    }
}

#[component]
fn Details(person: hearth_core::Record<hearth_core::Person>) -> impl IntoView {
    let state = AppState::get();
    let id = person.id();
    let body = person.body().clone();
    let name = body.preferred_name().to_string();
    let archived = body.is_archived();
    let age = body.age_on(browser::today());
    let unarchive = {
        let state = state.clone();
        let rev = person.rev();
        let body = body.clone();
        move |_| {
            let state = state.clone();
            let body = body.with_archived(false);
            spawn_local(async move {
                let author = state.author();
                let result = state
                    .store
                    .change(id, |rec| rec.amend(rev, body, &author, browser::now()))
                    .await;
                match result {
                    Ok(saved) => {
                        let name = saved.body().preferred_name().to_string();
                        state.upsert_person(saved);
                        state.show_toast(&format!("{name} is back on your list"));
                    }
                    Err(e) => state.show_toast(&e.to_string()),
                }
            });
        }
    };
    view! {
        {archived.then(|| view! {
            <div class="banner" role="status">
                <p>{format!("{name} is archived. Their records are kept.")}</p>
                <button class="btn" on:click=unarchive>"Bring back"</button>
            </div>
        })}
        <div class="person-head">
            <Avatar initial=body.initial() large=true />
            <div>
                {(!body.full_name().is_empty()).then(|| view! { <p class="muted">{body.full_name().to_string()}</p> })}
                {age.map(|a| view! { <p class="muted small">{format!("{a} years old")}</p> })}
                <Arrangements person=body.clone() />
            </div>
        </div>
        <div class="btn-row">
            {(!archived).then(|| view! {
                <Link to=Route::NewNote(Some(id)) class="btn btn-primary">
                    <Svg icon=Icon::Pencil />"Write a note"
                </Link>
            })}
            <Link to=Route::EditPerson(id) class="btn">"Edit details"</Link>
        </div>
        {(!body.what_matters().is_empty() || !body.communication().is_empty() || !body.contacts().is_empty()).then(|| view! {
            <section class="card" aria-label="About">
                <dl class="facts">
                    {(!body.what_matters().is_empty()).then(|| view! {
                        <dt>"What matters to me"</dt><dd>{body.what_matters().to_string()}</dd>
                    })}
                    {(!body.communication().is_empty()).then(|| view! {
                        <dt>"Communication"</dt><dd>{body.communication().to_string()}</dd>
                    })}
                </dl>
                {(!body.contacts().is_empty()).then(|| view! {
                    <h3>"Key contacts"</h3>
                    <ul class="list">
                        {body.contacts().iter().map(|c| {
                            let tel = format!("tel:{}", c.phone_link());
                            let has_phone = !c.phone().is_empty();
                            view! {
                                <li>
                                    <strong>{c.name().to_string()}</strong>
                                    {(!c.role().is_empty()).then(|| format!(" ({})", c.role()))}
                                    {has_phone.then(|| view! {
                                        <br />
                                        <a class="btn btn-quiet" href=tel>
                                            <Svg icon=Icon::Phone />
                                            {format!("Call {}", c.phone())}
                                        </a>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                })}
            </section>
        })}
    }
}

#[component]
fn Timeline(id: RecordId) -> impl IntoView {
    let state = AppState::get();
    let limit = RwSignal::new(PAGE);
    let store = state.store.clone();
    let revision = state.revision;
    let notes = LocalResource::new(move || {
        revision.track();
        let store = store.clone();
        let limit = limit.get();
        async move { store.notes_for(id, limit + 1).await }
    });
    view! {
        <section aria-labelledby="timeline-head">
            <h2 id="timeline-head">"Notes"</h2>
            <Transition fallback=|| view! { <p class="muted">"Loading notes…"</p> }>
                {move || notes.get().map(|result| match result {
                    Err(e) => view! { <div class="banner banner-error" role="alert"><p>{e.to_string()}</p></div> }.into_any(),
                    Ok(list) if list.is_empty() => view! {
                        <div class="empty">
                            <p>"No notes yet."</p>
                            <Link to=Route::NewNote(Some(id)) class="btn btn-primary">"Write the first note"</Link>
                        </div>
                    }.into_any(),
                    Ok(mut list) => {
                        let more = list.len() > limit.get_untracked();
                        list.truncate(limit.get_untracked());
                        view! {
                            <ul class="list">
                                {list.into_iter().map(|n| view! { <NoteCard note=n /> }).collect_view()}
                            </ul>
                            {more.then(|| view! {
                                <button class="btn btn-block" on:click=move |_| limit.update(|l| *l += PAGE)>
                                    "Show older notes"
                                </button>
                            })}
                        }.into_any()
                    }
                })}
            </Transition>
        </section>
    }
}
