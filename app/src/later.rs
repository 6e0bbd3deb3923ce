//! Every screen but Today, the welcome and the lock screen, loaded when it is
//! first opened. With the `split` feature (the release build, see
//! `tools/build-wasm.sh`) each function below is a Leptos `#[lazy]` split
//! point: its code goes into a wasm chunk of its own that the main wasm loads
//! on demand, so a first load fetches only what Today needs. The service
//! worker precaches every chunk, so each opens offline as quickly as if it
//! were in the main wasm. Without the feature (the in-browser tests) these are
//! plain async functions.

use crate::pages::*;
use crate::route::Route;
use hearth_core::RecordId;
use leptos::prelude::*;

/// The screen for `route`, shown as soon as its chunk is in.
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

async fn open(route: Route) -> AnyView {
    match route {
        // Shown from the main wasm; here only so the match is whole.
        Route::Today => view! { <today::Today /> }.into_any(),
        Route::People => people().await,
        Route::NewPerson => person_form(None).await,
        Route::EditPerson(id) => person_form(Some(id)).await,
        Route::Person(id) => person(id).await,
        Route::NewNote(person) => note_form(person, None).await,
        Route::EditNote(id) => note_form(None, Some(id)).await,
        Route::Note(id) => note(id).await,
        Route::NewCheckIn(person) => checkin_form(person, None).await,
        Route::EditCheckIn(id) => checkin_form(None, Some(id)).await,
        Route::CheckIn(id) => checkin(id).await,
        Route::Ask(person) => ask(person).await,
        Route::Report(person, year, month) => report(person, year, month).await,
        Route::NewVisit(person, stay) => {
            visit_form(match stay {
                Some(stay) => visit_form::Start::Plan(person, stay),
                None => visit_form::Start::Blank(person),
            })
            .await
        }
        Route::EndVisit(person) => visit_form(visit_form::Start::Running(person)).await,
        Route::EditVisit(id) => visit_form(visit_form::Start::Stored(id)).await,
        Route::Visit(id) => visit(id).await,
        Route::Stays => stays().await,
        Route::NewStay(person) => stay_form(person, None).await,
        Route::EditStay(id) => stay_form(None, Some(id)).await,
        Route::Stay(id) => stay(id).await,
        Route::MyStays(person) => my_stays(person).await,
        Route::Summary(year, month) => summary(year, month).await,
        Route::More => more().await,
    }
}

#[cfg_attr(feature = "split", leptos::lazy)]
async fn people() -> AnyView {
    view! { <people::People /> }.into_any()
}

#[cfg_attr(feature = "split", leptos::lazy)]
async fn person_form(id: Option<RecordId>) -> AnyView {
    view! { <person_form::PersonForm id=id /> }.into_any()
}

#[cfg_attr(feature = "split", leptos::lazy)]
async fn person(id: RecordId) -> AnyView {
    view! { <person::PersonPage id=id /> }.into_any()
}

#[cfg_attr(feature = "split", leptos::lazy)]
async fn note_form(person: Option<RecordId>, id: Option<RecordId>) -> AnyView {
    view! { <note_form::NoteForm person=person id=id /> }.into_any()
}

#[cfg_attr(feature = "split", leptos::lazy)]
async fn note(id: RecordId) -> AnyView {
    view! { <note::NotePage id=id /> }.into_any()
}

#[cfg_attr(feature = "split", leptos::lazy)]
async fn checkin_form(person: Option<RecordId>, id: Option<RecordId>) -> AnyView {
    view! { <checkin_form::CheckInForm person=person id=id /> }.into_any()
}

#[cfg_attr(feature = "split", leptos::lazy)]
async fn checkin(id: RecordId) -> AnyView {
    view! { <checkin::CheckInPage id=id /> }.into_any()
}

#[cfg_attr(feature = "split", leptos::lazy)]
async fn ask(person: RecordId) -> AnyView {
    view! { <ask::Ask person=person /> }.into_any()
}

#[cfg_attr(feature = "split", leptos::lazy)]
async fn report(person: RecordId, year: i32, month: u32) -> AnyView {
    view! { <report::Report person=person year=year month=month /> }.into_any()
}

#[cfg_attr(feature = "split", leptos::lazy)]
async fn visit_form(start: visit_form::Start) -> AnyView {
    view! { <visit_form::VisitForm start=start /> }.into_any()
}

#[cfg_attr(feature = "split", leptos::lazy)]
async fn visit(id: RecordId) -> AnyView {
    view! { <visit::VisitPage id=id /> }.into_any()
}

#[cfg_attr(feature = "split", leptos::lazy)]
async fn stays() -> AnyView {
    view! { <stays::Stays /> }.into_any()
}

#[cfg_attr(feature = "split", leptos::lazy)]
async fn stay_form(person: Option<RecordId>, id: Option<RecordId>) -> AnyView {
    view! { <stay_form::StayForm person=person id=id /> }.into_any()
}

#[cfg_attr(feature = "split", leptos::lazy)]
async fn stay(id: RecordId) -> AnyView {
    view! { <stay::StayPage id=id /> }.into_any()
}

#[cfg_attr(feature = "split", leptos::lazy)]
async fn my_stays(person: RecordId) -> AnyView {
    view! { <my_stays::MyStays person=person /> }.into_any()
}

#[cfg_attr(feature = "split", leptos::lazy)]
async fn summary(year: i32, month: u32) -> AnyView {
    view! { <summary::Summary year=year month=month /> }.into_any()
}

#[cfg_attr(feature = "split", leptos::lazy)]
async fn more() -> AnyView {
    view! { <more::More /> }.into_any()
}
