//! "Try with sample data": three made-up people and three months of their
//! records, so that someone trying Hearth sees a lived-in app; and the banner
//! that says so on Today and More, with "Remove sample data" (one tap).
//!
//! Sample records are made by `hearth_core::sample` (validated like any other,
//! signed "Hearth sample data"), and their ids are kept in the setting
//! [`SAMPLE_IDS`]. Removing them removes exactly those records, for good: they
//! were never the carer's, so no tombstones are left behind. The carer's own
//! records are never touched.

use crate::browser;
use crate::state::AppState;
use crate::storage::StorageError;
use hearth_core::sample::{self, SampleIds};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The settings key listing the stored sample records.
pub const SAMPLE_IDS: &str = "sample_ids";

/// What the section is doing.
#[derive(Clone, PartialEq)]
enum Work {
    Idle,
    Adding,
    Removing,
    Failed(String),
}

/// The sample records stored now, if any; read again after every write.
fn stored_sample(state: &AppState) -> LocalResource<Option<SampleIds>> {
    let store = state.store.clone();
    let revision = state.revision;
    LocalResource::new(move || {
        revision.track();
        let store = store.clone();
        async move { store.setting::<SampleIds>(SAMPLE_IDS).await.ok().flatten() }
    })
}

/// Writes three months of sample records: the list of their ids first, then
/// every record in one transaction (if that fails, the list is taken back).
async fn add(state: &AppState) -> Result<usize, StorageError> {
    // A fresh seed each time, so two phones never make the same ids.
    let half = || (js_sys::Math::random() * f64::from(u32::MAX)) as u64;
    let seed = (half() << 32) | half();
    let records = sample::generate(
        seed,
        sample::TRY_DAYS,
        browser::now(),
        &browser::BrowserZone,
    );
    let ids = sample::ids(&records);
    state.store.set_setting(SAMPLE_IDS, &ids).await?;
    if let Err(e) = state.store.restore(&records).await {
        let _ = state.store.remove_sample(&ids, SAMPLE_IDS).await;
        return Err(e);
    }
    state.people.set(state.store.people().await?);
    state.saved(Some("Sample data added"));
    Ok(ids.len())
}

/// Removes exactly the sample records (and any visit still running with a
/// sample person), in one transaction.
async fn remove(state: &AppState) -> Result<(), StorageError> {
    let Some(ids) = state.store.setting::<SampleIds>(SAMPLE_IDS).await? else {
        return Ok(());
    };
    state.store.remove_sample(&ids, SAMPLE_IDS).await?;
    for person in &ids.people {
        if state.running_visit(*person).is_some() {
            state.clear_running_visit(*person);
        }
    }
    state.people.set(state.store.people().await?);
    state.saved(Some("Sample data removed"));
    Ok(())
}

fn run(state: &AppState, work: RwSignal<Work>, adding: bool) {
    let state = state.clone();
    work.set(if adding { Work::Adding } else { Work::Removing });
    spawn_local(async move {
        let result = if adding {
            add(&state).await.map(|_| ())
        } else {
            remove(&state).await
        };
        work.set(match result {
            Ok(()) => Work::Idle,
            Err(e) => Work::Failed(e.to_string()),
        });
    });
}

/// The "Remove sample data" button and what it is doing.
#[component]
fn RemoveButton(work: RwSignal<Work>) -> impl IntoView {
    let state = AppState::get();
    view! {
        <button
            type="button"
            class="btn"
            disabled=move || work.get() == Work::Removing
            on:click=move |_| run(&state, work, false)
        >
            {move || if work.get() == Work::Removing { "Removing sample data…" } else { "Remove sample data" }}
        </button>
    }
}

fn failure(work: RwSignal<Work>) -> impl IntoView {
    move || match work.get() {
        Work::Failed(m) => {
            Some(view! { <div class="banner banner-error" role="alert"><p>{m}</p></div> })
        }
        _ => None,
    }
}

/// The banner on Today while sample data is stored.
#[component]
pub fn SampleBanner() -> impl IntoView {
    let state = AppState::get();
    let stored = stored_sample(&state);
    let work = RwSignal::new(Work::Idle);
    move || {
        stored.get().flatten().map(|_| {
            view! {
                <div class="banner sample-banner" role="region" aria-label="Sample data">
                    <p><strong>"You are looking at sample data."</strong>" Maggie, Dev and Joan and their records are made up, to show what Hearth looks like in use."</p>
                    <RemoveButton work=work />
                    {failure(work)}
                </div>
            }
        })
    }
}

/// The "Try with sample data" section of More.
#[component]
pub fn SampleData() -> impl IntoView {
    let state = AppState::get();
    let stored = stored_sample(&state);
    let work = RwSignal::new(Work::Idle);
    view! {
        <section class="card" aria-labelledby="sample-head">
            <h2 id="sample-head">"Try with sample data"</h2>
            {move || match stored.get() {
                None => view! { <p class="muted">"Checking…"</p> }.into_any(),
                Some(Some(ids)) => view! {
                    <div class="banner sample-banner" role="status">
                        <p><strong>"You are looking at sample data."</strong>{format!(" {} made-up records for Maggie, Dev and Joan are on this phone. Removing them leaves your own records exactly as they are.", ids.len())}</p>
                    </div>
                    <RemoveButton work=work />
                }.into_any(),
                Some(None) => {
                    let state = state.clone();
                    let alongside = !state.people.with(Vec::is_empty);
                    view! {
                        <p>"See Hearth as it looks after three months of use: three made-up people (Maggie, Dev and Joan) with notes, check-ins, visits and short breaks. Everything is clearly marked as sample data and can be removed in one tap."</p>
                        {alongside.then(|| view! {
                            <p class="hint">"The sample people are added alongside the people you support. Your own records are not changed, and removing the sample removes only its records."</p>
                        })}
                        <button
                            type="button"
                            class="btn"
                            disabled=move || work.get() == Work::Adding
                            on:click=move |_| run(&state, work, true)
                        >
                            {move || if work.get() == Work::Adding { "Adding sample data…" } else { "Try with sample data" }}
                        </button>
                    }.into_any()
                }
            }}
            <p role="status" aria-live="polite" class="muted">{move || (work.get() == Work::Adding).then_some("Writing about 1,600 sample records…")}</p>
            {failure(work)}
        </section>
    }
}
