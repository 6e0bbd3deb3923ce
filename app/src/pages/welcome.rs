//! First run: what Hearth is, where the data lives, and the carer's name.

use crate::browser;
use crate::components::form::{focus_first_error, Field, SaveError};
use crate::state::AppState;
use hearth_core::{CarerProfileDraft, ValidationErrors};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The welcome screen.
#[component]
pub fn Welcome() -> impl IntoView {
    let state = AppState::get();
    let carer_name = RwSignal::new(String::new());
    let household_name = RwSignal::new(String::new());
    let errors = RwSignal::new(ValidationErrors::new());
    let save_error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let draft = CarerProfileDraft {
            carer_name: carer_name.get_untracked(),
            household_name: household_name.get_untracked(),
        };
        let profile = match draft.validate() {
            Ok(p) => p,
            Err(e) => {
                focus_first_error(&e);
                errors.set(e);
                return;
            }
        };
        errors.set(ValidationErrors::new());
        busy.set(true);
        let state = state.clone();
        // Asked on the tap, where browsers allow it.
        state.pwa.request_persistence();
        spawn_local(async move {
            match state
                .store
                .save_profile(browser::new_id(), profile, browser::now())
                .await
            {
                Ok(saved) => state.profile.set(Some(saved)),
                Err(e) => save_error.set(Some(e.to_string())),
            }
            busy.set(false);
        });
    };

    view! {
        <header class="topbar"><h1 class="topbar-title">"Welcome to Hearth"</h1></header>
        <main class="page">
            <img class="welcome-mark" src="icons/icon.svg" alt="" width="72" height="72" />
            <p>"Hearth keeps your daily notes for the people you support, ready to share with your Shared Lives scheme."</p>
            <p><strong>"Everything stays on this phone."</strong>" There's no account, and nothing is sent anywhere unless you choose to share it."</p>
            <form on:submit=submit novalidate autocomplete="off">
                <Field
                    label="Your name".into()
                    name="carer_name"
                    value=carer_name
                    errors=errors
                    hint="It signs every record you write. You can change it later in More."
                />
                <Field
                    label="Your household's name".into()
                    name="household_name"
                    value=household_name
                    errors=errors
                    hint="How the people you support know your home, for example \"Ann and Dev's\"."
                />
                <SaveError message=save_error />
                <button class="btn btn-primary btn-block" type="submit" disabled=move || busy.get()>
                    "Start using Hearth"
                </button>
            </form>
            <p class="hint">"Used Hearth before on this phone, or on another one? Restore your records from a backup file instead."</p>
            {crate::later::restore_section()}
        </main>
    }
}
