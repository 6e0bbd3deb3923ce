//! "Try with sample data": three made-up people and three months of their
//! records, so that someone trying Hearth sees a lived-in app; and the banner
//! that says so on Today and More, with "Remove sample data" (one tap).
//!
//! Sample records are made by `hearth_core::sample` (validated like any other,
//! signed "Hearth sample data"), and their ids are kept in the setting
//! [`SAMPLE_IDS`]. Removing them removes those records (and any signed as
//! sample data, say from a restored backup, or written later about a sample
//! person) for good: they were never the carer's, so no tombstones are left
//! behind. The carer's own people and their records are never touched. The
//! banner shows while a sample person is among the people, so it is there from
//! the first frame and never pushes the screen down.

use crate::browser;
use crate::state::AppState;
use crate::storage::StorageError;
use hearth_core::sample::{self, SampleIds};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The settings key listing the stored sample records.
pub use crate::storage::sync::SAMPLE_IDS;

/// What the section is doing.
#[derive(Clone, PartialEq)]
enum Work {
    Idle,
    Adding,
    Removing,
    Failed(String),
}

/// Whether sample data is stored: a sample person is among the people (known
/// as soon as the app opens, so the banner never pushes the screen down).
fn sample_shown(state: &AppState) -> bool {
    state.people.with(|people| {
        people
            .iter()
            .any(|p| p.created_by() == sample::SAMPLE_AUTHOR)
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
    state.refreshed("Sample data added");
    Ok(ids.len())
}

/// Removes the sample records, anything written since about a sample person
/// (and any visit still running with one), in one transaction. The carer's
/// own people and what is recorded about them are never touched.
async fn remove(state: &AppState) -> Result<(), StorageError> {
    let mut ids = state
        .store
        .setting::<SampleIds>(SAMPLE_IDS)
        .await?
        .unwrap_or_default();
    ids.merge(sample::marked(&state.store.backup_records().await?));
    state.store.remove_sample(&ids, SAMPLE_IDS).await?;
    for person in &ids.people {
        if state.running_visit(*person).is_some() {
            state.clear_running_visit(*person);
        }
    }
    state.people.set(state.store.people().await?);
    state.refreshed("Sample data removed");
    Ok(())
}

/// Adds or removes the sample. Run as a [`crate::later::Task`], loaded on the
/// tap: the generator is not part of a first load.
pub(crate) async fn add_or_remove(state: AppState, adding: bool) -> Result<(), String> {
    let result = if adding {
        add(&state).await.map(|_| ())
    } else {
        remove(&state).await
    };
    result.map_err(|e| e.to_string())
}

fn run(state: &AppState, work: RwSignal<Work>, adding: bool) {
    let state = state.clone();
    work.set(if adding { Work::Adding } else { Work::Removing });
    spawn_local(async move {
        work.set(match crate::later::sample(state, adding).await {
            Ok(()) => Work::Idle,
            Err(e) => Work::Failed(e),
        });
    });
}

/// "Try with sample data" or "Remove sample data", saying so while it works.
#[component]
fn WorkButton(work: RwSignal<Work>, adding: bool) -> impl IntoView {
    let state = AppState::get();
    let (busy, idle, doing) = if adding {
        (Work::Adding, "Try with sample data", "Adding sample data…")
    } else {
        (
            Work::Removing,
            "Remove sample data",
            "Removing sample data…",
        )
    };
    let working = Memo::new(move |_| work.with(|w| *w == busy));
    view! {
        <button type="button" class="btn" disabled=working on:click=move |_| run(&state, work, adding)>
            {move || if working.get() { doing } else { idle }}
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
    let work = RwSignal::new(Work::Idle);
    move || {
        sample_shown(&state).then(|| {
            view! {
                <div class="banner sample-banner" role="region" aria-label="Sample data">
                    <p><strong>"You are looking at sample data."</strong>" Maggie, Ravi and Joan and their records are made up, to show what Hearth looks like in use."</p>
                    <WorkButton work=work adding=false />
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
    let work = RwSignal::new(Work::Idle);
    view! {
        <section class="card" aria-labelledby="sample-head">
            <h2 id="sample-head">"Try with sample data"</h2>
            {move || if sample_shown(&state) {
                view! {
                    <div class="banner sample-banner" role="status">
                        <p><strong>"You are looking at sample data."</strong>" The made-up records of Maggie, Ravi and Joan are on this phone. Removing them also removes anything you wrote about them, and leaves your own people and their records exactly as they are."</p>
                    </div>
                    <WorkButton work=work adding=false />
                }.into_any()
            } else {
                    let alongside = !state.people.with(Vec::is_empty);
                    view! {
                        <p>"See Hearth as it looks after three months of use: three made-up people (Maggie, Ravi and Joan) with notes, check-ins, visits and short breaks. Everything is clearly marked as sample data and can be removed in one tap."</p>
                        {alongside.then(|| view! {
                            <p class="hint">"The sample people are added alongside the people you support. Your own records are not changed, and removing the sample removes only its records and anything written about its three people."</p>
                        })}
                        <WorkButton work=work adding=true />
                    }.into_any()
            }}
            <p role="status" aria-live="polite" class="muted">{move || (work.get() == Work::Adding).then_some("Writing about 1,600 sample records…")}</p>
            {failure(work)}
        </section>
    }
}
