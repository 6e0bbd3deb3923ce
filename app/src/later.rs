//! What a first load doesn't need: every screen but Today, the welcome and the
//! lock screen, and the heavy work behind a few buttons (sample data, backup,
//! restore), loaded when first used.
//!
//! With the `split` feature (the release build, see `tools/build-wasm.sh`) the
//! four functions marked `lazy` below are Leptos `#[lazy]` split points: their
//! code goes into wasm chunks that the main wasm fetches on first use, so a
//! first load fetches only what Today needs. There are few of them on purpose:
//! code shared by several split points goes into a chunk for each combination
//! of them, and a screen that needed dozens of chunks would open slowly. The
//! service worker precaches every chunk, so they open offline too. Without the
//! feature (the in-browser tests) these are plain async functions.

use crate::pages::*;
use crate::route::Route;
use crate::state::AppState;
use hearth_core::backup::RestorePlan;
use leptos::prelude::*;
use std::sync::Arc;

/// The screen for `route`, shown as soon as its code is in.
pub fn screen(route: Route) -> AnyView {
    view! {
        <Suspense fallback=|| view! { <main class="page" aria-busy="true"></main> }>
            {move || {
                let route = route.clone();
                Suspend::new(send_wrapper::SendWrapper::new(open(route)))
            }}
        </Suspense>
    }
    .into_any()
}

/// Which group of screens a route belongs to: each group is one split point.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Group {
    /// Today: in the main wasm.
    Main,
    /// People and everything recorded about them.
    Records,
    /// Planned stays, "My stays" and the month's totals.
    Stays,
    /// Settings, backups, the PIN lock, sample data.
    More,
}

impl Group {
    /// The group of `route`'s screen.
    pub fn of(route: &Route) -> Group {
        match route {
            Route::Today => Group::Main,
            Route::Stays
            | Route::NewStay(_)
            | Route::EditStay(_)
            | Route::Stay(_)
            | Route::MyStays(_)
            | Route::Summary(..) => Group::Stays,
            Route::More => Group::More,
            _ => Group::Records,
        }
    }
}

/// Starts fetching the code of `route`'s screen, without waiting for it; at
/// start-up, so it loads while storage opens.
pub fn preload(route: &Route) {
    #[cfg(feature = "split")]
    {
        let group = Group::of(route);
        leptos::task::spawn_local(async move {
            match group {
                Group::Main => {}
                Group::Records => __preload_records().await,
                Group::Stays => __preload_stays().await,
                Group::More => __preload_more().await,
            }
        });
    }
    #[cfg(not(feature = "split"))]
    let _ = route;
}

async fn open(route: Route) -> AnyView {
    match Group::of(&route) {
        // Shown from the main wasm; here only so the match is whole.
        Group::Main => view! { <today::Today /> }.into_any(),
        Group::Records => records(route).await,
        Group::Stays => stays(route).await,
        Group::More => more().await,
    }
}

#[cfg_attr(feature = "split", leptos::lazy)]
async fn records(route: Route) -> AnyView {
    match route {
        Route::People => view! { <people::People /> }.into_any(),
        Route::NewPerson => view! { <person_form::PersonForm id=None /> }.into_any(),
        Route::EditPerson(id) => view! { <person_form::PersonForm id=Some(id) /> }.into_any(),
        Route::Person(id) => view! { <person::PersonPage id=id /> }.into_any(),
        Route::NewNote(person) => {
            view! { <note_form::NoteForm person=person id=None /> }.into_any()
        }
        Route::EditNote(id) => view! { <note_form::NoteForm person=None id=Some(id) /> }.into_any(),
        Route::Note(id) => view! { <note::NotePage id=id /> }.into_any(),
        Route::NewCheckIn(person) => {
            view! { <checkin_form::CheckInForm person=person id=None /> }.into_any()
        }
        Route::EditCheckIn(id) => {
            view! { <checkin_form::CheckInForm person=None id=Some(id) /> }.into_any()
        }
        Route::CheckIn(id) => view! { <checkin::CheckInPage id=id /> }.into_any(),
        Route::Ask(person) => view! { <ask::Ask person=person /> }.into_any(),
        Route::Report(person, year, month) => {
            view! { <report::Report person=person year=year month=month /> }.into_any()
        }
        Route::NewVisit(person, stay) => {
            let start = match stay {
                Some(stay) => visit_form::Start::Plan(person, stay),
                None => visit_form::Start::Blank(person),
            };
            view! { <visit_form::VisitForm start=start /> }.into_any()
        }
        Route::EndVisit(person) => {
            view! { <visit_form::VisitForm start=visit_form::Start::Running(person) /> }.into_any()
        }
        Route::EditVisit(id) => {
            view! { <visit_form::VisitForm start=visit_form::Start::Stored(id) /> }.into_any()
        }
        Route::Visit(id) => view! { <visit::VisitPage id=id /> }.into_any(),
        // Other groups' routes never come here.
        _ => ().into_any(),
    }
}

#[cfg_attr(feature = "split", leptos::lazy)]
async fn stays(route: Route) -> AnyView {
    match route {
        Route::Stays => view! { <stays::Stays /> }.into_any(),
        Route::NewStay(person) => {
            view! { <stay_form::StayForm person=person id=None /> }.into_any()
        }
        Route::EditStay(id) => view! { <stay_form::StayForm person=None id=Some(id) /> }.into_any(),
        Route::Stay(id) => view! { <stay::StayPage id=id /> }.into_any(),
        Route::MyStays(person) => view! { <my_stays::MyStays person=person /> }.into_any(),
        Route::Summary(year, month) => {
            view! { <summary::Summary year=year month=month /> }.into_any()
        }
        _ => ().into_any(),
    }
}

#[cfg_attr(feature = "split", leptos::lazy)]
async fn more() -> AnyView {
    view! { <more::More /> }.into_any()
}

/// Work behind a button that a first load doesn't need.
pub enum Task {
    /// Add the sample household (true) or remove it (false).
    Sample(bool),
    /// Read, check and plan a chosen backup file.
    CheckBackup(web_sys::File),
    /// Write a planned restore.
    Restore(Arc<RestorePlan>),
    /// Make a backup file and share or save it.
    BackUp,
}

/// What a [`Task`] came to.
pub enum Done {
    /// Finished; nothing to show.
    Finished,
    /// A checked backup: the plan and where the backup came from.
    Checked(Box<RestorePlan>, String),
    /// Finished, with this to say.
    Said(String),
}

/// All tasks are one split point, so their shared code is one chunk.
#[cfg_attr(feature = "split", leptos::lazy)]
async fn run(state: AppState, task: Task) -> Result<Done, String> {
    match task {
        Task::Sample(adding) => sample_data::add_or_remove(state, adding)
            .await
            .map(|()| Done::Finished),
        Task::CheckBackup(file) => backup::check(state, file)
            .await
            .map(|(plan, made)| Done::Checked(Box::new(plan), made)),
        Task::Restore(plan) => backup::write(state, plan).await.map(Done::Said),
        Task::BackUp => backup::back_up_now(state).await.map(Done::Said),
    }
}

/// Adds (`true`) or removes the sample household.
pub async fn sample(state: AppState, adding: bool) -> Result<(), String> {
    run(state, Task::Sample(adding)).await.map(|_| ())
}

/// Reads, checks and plans a restore from a chosen backup file.
pub async fn check_backup(
    state: AppState,
    file: web_sys::File,
) -> Result<(RestorePlan, String), String> {
    match run(state, Task::CheckBackup(file)).await? {
        Done::Checked(plan, made) => Ok((*plan, made)),
        _ => Err("The backup couldn't be checked. Try choosing it again.".into()),
    }
}

/// Writes a planned restore; says what was restored.
pub async fn restore(state: AppState, plan: Arc<RestorePlan>) -> Result<String, String> {
    said(run(state, Task::Restore(plan)).await)
}

/// Makes a backup and shares or saves it; says where it went.
pub async fn back_up(state: AppState) -> Result<String, String> {
    said(run(state, Task::BackUp).await)
}

fn said(done: Result<Done, String>) -> Result<String, String> {
    match done? {
        Done::Said(words) => Ok(words),
        _ => Ok(String::new()),
    }
}
