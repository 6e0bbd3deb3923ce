//! More: the carer's details, keeping records safe on this phone, installing
//! Hearth, and what it is.

use crate::browser;
use crate::components::form::{focus_first_error, Field, SaveError};
use crate::components::icons::{Icon, Svg};
use crate::components::nav::PageHeader;
use crate::pwa::Persistence;
use crate::state::AppState;
use hearth_core::{CarerProfileDraft, ValidationErrors};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The More screen.
#[component]
pub fn More() -> impl IntoView {
    view! {
        <PageHeader title="More" />
        <main class="page">
            <Profile />
            <Beds />
            <crate::pages::sync_settings::SyncSettings />
            <crate::pages::backup::Backups />
            <crate::pages::lock_settings::LockSettings />
            <crate::pages::sample_data::SampleData />
            <Storage />
            <Install />
            <About />
        </main>
    }
}

#[component]
fn Profile() -> impl IntoView {
    let state = AppState::get();
    let draft = state
        .profile
        .get_untracked()
        .map(|p| CarerProfileDraft::from_profile(p.body()))
        .unwrap_or_default();
    let carer_name = RwSignal::new(draft.carer_name);
    let household_name = RwSignal::new(draft.household_name);
    let errors = RwSignal::new(ValidationErrors::new());
    let save_error = RwSignal::new(None::<String>);
    let dirty = state.dirty;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save_error.set(None);
        let draft = CarerProfileDraft {
            carer_name: carer_name.get_untracked(),
            household_name: household_name.get_untracked(),
        };
        match draft.validate() {
            Err(e) => {
                focus_first_error(&e);
                errors.set(e);
            }
            Ok(profile) => {
                errors.set(ValidationErrors::new());
                let state = state.clone();
                spawn_local(async move {
                    match state
                        .store
                        .save_profile(browser::new_id(), profile, browser::now())
                        .await
                    {
                        Ok(saved) => {
                            state.profile.set(Some(saved));
                            state.saved(Some("Your details are saved"));
                        }
                        Err(e) => save_error.set(Some(e.to_string())),
                    }
                });
            }
        }
    };
    view! {
        <section class="card" aria-labelledby="you-head">
            <h2 id="you-head">"You"</h2>
            <form on:submit=submit on:input=move |_| dirty.set(true) novalidate autocomplete="off">
                <Field label="Your name".into() name="carer_name" value=carer_name errors=errors
                    hint="Signs the records you write from now on." />
                <Field label="Your household's name".into() name="household_name" value=household_name errors=errors />
                <SaveError message=save_error />
                <button class="btn btn-primary" type="submit">"Save my details"</button>
            </form>
        </section>
    }
}

/// How many short-break beds the household has: confirming a stay that would
/// need more on any night warns first.
#[component]
fn Beds() -> impl IntoView {
    let state = AppState::get();
    let beds = state.beds;
    let value = RwSignal::new(beds.get_untracked().to_string());
    let error = RwSignal::new(None::<String>);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match value.get_untracked().trim().parse::<u32>() {
            Ok(n) if (1..=20).contains(&n) => {
                error.set(None);
                let state = state.clone();
                spawn_local(async move {
                    match state.store.set_setting(crate::state::BEDS, &n).await {
                        Ok(()) => {
                            state.beds.set(n);
                            state.saved(Some("Beds saved"));
                        }
                        Err(e) => error.set(Some(e.to_string())),
                    }
                });
            }
            _ => error.set(Some("Enter a whole number of beds from 1 to 20.".into())),
        }
    };
    view! {
        <section class="card" aria-labelledby="beds-head">
            <h2 id="beds-head">"Short-break beds"</h2>
            <form on:submit=save novalidate autocomplete="off">
                <div class="field">
                    <label for="f-beds">"Beds for short breaks in your home"</label>
                    <span class="hint" id="f-beds-hint">"Confirming a stay that would need more beds on any night warns you first."</span>
                    <input
                        id="f-beds"
                        type="number"
                        inputmode="numeric"
                        min="1"
                        max="20"
                        prop:value=move || value.get()
                        on:input=move |ev| value.set(event_target_value(&ev))
                        aria-invalid=move || error.get().map(|_| "true")
                        aria-describedby=move || if error.get().is_some() { "f-beds-hint f-beds-error" } else { "f-beds-hint" }
                    />
                    {move || error.get().map(|m| view! { <p class="error" id="f-beds-error">{m}</p> })}
                </div>
                <button class="btn" type="submit">"Save beds"</button>
            </form>
        </section>
    }
}

fn megabytes(bytes: f64) -> String {
    format!("{:.1} MB", bytes / 1_000_000.0)
}

#[component]
fn Storage() -> impl IntoView {
    let pwa = AppState::get().pwa;
    view! {
        <section class="card" aria-labelledby="storage-head">
            <h2 id="storage-head"><Svg icon=Icon::Shield />" Keeping records on this phone"</h2>
            <p>"Your records are kept only on this phone, in this browser. Clearing the browser's data, or losing the phone, loses them."</p>
            {move || match pwa.persistence.get() {
                Persistence::Granted => view! {
                    <p class="status-ok">"✓ Protected storage is on: the browser won't clear Hearth's records to save space."</p>
                }.into_any(),
                Persistence::NotGranted => view! {
                    <p class="status-warn">"⚠ Protected storage is off: the browser may clear Hearth's records if the phone runs low on space."</p>
                    <p>"Installing Hearth to your home screen and using it often makes the browser more likely to agree."</p>
                    <button class="btn" on:click=move |_| pwa.request_persistence()>"Ask for protected storage"</button>
                }.into_any(),
                Persistence::Unsupported => view! {
                    <p class="status-warn">"⚠ This browser can't promise to keep Hearth's records. Install Hearth to your home screen to keep them safer."</p>
                }.into_any(),
                Persistence::Unknown => view! { <p class="muted">"Checking protected storage…"</p> }.into_any(),
            }}
            {move || pwa.usage.get().map(|(used, quota)| view! {
                <p class="muted small">{format!("Using {} of the {} this browser allows.", megabytes(used), megabytes(quota))}</p>
            })}
        </section>
    }
}

#[component]
fn Install() -> impl IntoView {
    let pwa = AppState::get().pwa;
    view! {
        <section class="card" aria-labelledby="install-head">
            <h2 id="install-head"><Svg icon=Icon::Download />" Install Hearth"</h2>
            {move || if pwa.installed.get() {
                view! { <p class="status-ok">"✓ Hearth is installed on this phone."</p> }.into_any()
            } else if pwa.can_install.get() {
                view! {
                    <p>"Install Hearth to open it from your home screen, like any other app, with or without signal."</p>
                    <button class="btn btn-primary" on:click=move |_| pwa.install()>"Install Hearth"</button>
                }.into_any()
            } else if pwa.ios {
                view! {
                    <p>"On iPhone or iPad, Safari clears a website's data after 7 days without a visit, unless it is on the home screen. To add Hearth:"</p>
                    <ol>
                        <li>"Open Hearth in Safari."</li>
                        <li>"Tap the Share button (a square with an arrow pointing up)."</li>
                        <li>"Tap \"Add to Home Screen\", then \"Add\"."</li>
                    </ol>
                }.into_any()
            } else {
                view! {
                    <p>"To install Hearth, open your browser's menu and choose \"Install app\" or \"Add to Home screen\"."</p>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn About() -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="about-head">
            <h2 id="about-head">"About Hearth"</h2>
            <p>"Hearth is a record-keeping app for Shared Lives carers. It works without signal, needs no account, and sends nothing anywhere: your records stay on this phone until you choose to share them."</p>
            <p class="muted small">{format!("Version {}", env!("CARGO_PKG_VERSION"))}</p>
        </section>
    }
}
