//! Everyone the carer supports; archived people folded away below.

use crate::components::icons::{Icon, Svg};
use crate::components::nav::{Link, PageHeader};
use crate::components::records::{Arrangements, Avatar, SampleChip};
use crate::route::Route;
use crate::state::AppState;
use hearth_core::{Person, Record};
use leptos::prelude::*;

/// The People screen.
#[component]
pub fn People() -> impl IntoView {
    let state = AppState::get();
    let people = state.people;
    let active = move || {
        people.with(|p| {
            p.iter()
                .filter(|p| !p.body().is_archived())
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    let archived = move || {
        people.with(|p| {
            p.iter()
                .filter(|p| p.body().is_archived())
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    view! {
        <PageHeader title="People" />
        <main class="page">
            {move || {
                let active = active();
                if active.is_empty() {
                    view! {
                        <div class="empty">
                            <Svg icon=Icon::People />
                            <p>"No one here yet. Add the first person you support."</p>
                        </div>
                    }.into_any()
                } else {
                    view! { <ul class="list">{active.into_iter().map(|p| view! { <PersonRow person=p /> }).collect_view()}</ul> }.into_any()
                }
            }}
            <div class="btn-row">
                <Link to=Route::NewPerson class="btn btn-primary">
                    <Svg icon=Icon::Plus />"Add a person"
                </Link>
            </div>
            {move || {
                let archived = archived();
                (!archived.is_empty()).then(|| view! {
                    <details class="card">
                        <summary>{format!("Archived ({})", archived.len())}</summary>
                        <p class="muted small">"People you no longer support. Their records are kept."</p>
                        <ul class="list">{archived.into_iter().map(|p| view! { <PersonRow person=p /> }).collect_view()}</ul>
                    </details>
                })
            }}
        </main>
    }
}

#[component]
fn PersonRow(person: Record<Person>) -> impl IntoView {
    let body = person.body().clone();
    view! {
        <li>
            <Link to=Route::Person(person.id()) class="row-link">
                <Avatar initial=body.initial() />
                <span class="grow">
                    <span class="row-title">{body.display_name()}</span>
                    {hearth_core::sample::is_sample(&person).then(|| view! { " " <SampleChip /> })}
                    <Arrangements person=body.clone() />
                </span>
            </Link>
        </li>
    }
}
