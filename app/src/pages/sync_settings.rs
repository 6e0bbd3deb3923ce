//! "Sync with your scheme", in More: signing in to the scheme's server, how
//! syncing stands (signed in as, the household, last synced, records
//! waiting, the last problem, anything refused), "Sync now" and signing out.

use crate::components::form::{Field, Kind};
use crate::components::records::instant_label;
use crate::state::AppState;
use hearth_core::ValidationErrors;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The section.
#[component]
pub fn SyncSettings() -> impl IntoView {
    let state = AppState::get();
    let account = state.sync.account;
    view! {
        <section class="card" aria-labelledby="sync-head">
            <h2 id="sync-head">"Sync with your scheme"</h2>
            {move || match account.get() {
                None => view! { <SignIn /> }.into_any(),
                Some(_) => view! { <Signed /> }.into_any(),
            }}
            <p class="hint">
                "Records go to your scheme's server as plain text over a secure (https) connection, even with the PIN lock on: the scheme is responsible for them and must be able to read them. Nothing else leaves this phone."
            </p>
        </section>
    }
}

/// The sign-in form (also "Sign in again", with the address and user kept).
#[component]
fn SignIn(#[prop(optional)] again: bool) -> impl IntoView {
    let state = AppState::get();
    let known = state.sync.account.get_untracked();
    let server = RwSignal::new(known.as_ref().map(|a| a.server.clone()).unwrap_or_default());
    let user = RwSignal::new(known.as_ref().map(|a| a.user.clone()).unwrap_or_default());
    let password = RwSignal::new(String::new());
    let errors = RwSignal::new(ValidationErrors::new());
    let problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.set(ValidationErrors::new());
        problem.set(None);
        let (s, u, p) = (
            server.get_untracked(),
            user.get_untracked(),
            password.get_untracked(),
        );
        let missing = [
            (
                "sync_server",
                s.trim().is_empty(),
                "Enter the server address your scheme gave you.",
            ),
            ("sync_user", u.trim().is_empty(), "Enter your user name."),
            ("sync_password", p.is_empty(), "Enter your password."),
        ];
        if let Some((field, _, message)) = missing.iter().find(|m| m.1) {
            let error = ValidationErrors::single(*field, *message);
            crate::components::form::focus_first_error(&error);
            errors.set(error);
            return;
        }
        busy.set(true);
        let state = state.clone();
        spawn_local(async move {
            let result = crate::later::sign_in(state.clone(), s, u, p).await;
            busy.set(false);
            match result {
                Ok(()) => {
                    password.set(String::new());
                    state.show_toast("Signed in. Syncing now.");
                    crate::sync::sync_by_hand(state).await;
                }
                Err(e) => problem.set(Some(e)),
            }
        });
    };
    view! {
        {(!again).then(|| view! {
            <p>"If your Shared Lives scheme runs a Hearth server, sign in with the details it gave you. Your household's records are then kept there too: the other carer in your household sees them on their phone, and a new phone gets them all back. Hearth keeps working without a signal; records wait and are sent later."</p>
        })}
        <form on:submit=submit novalidate aria-label="Sign in to your scheme's server">
            {(!again).then(|| view! {
                <Field label="Server address".into() name="sync_server" kind=Kind::Url autocomplete="url" value=server errors=errors hint="For example hearth.your-scheme.org.uk/couchdb" />
                <Field label="User name".into() name="sync_user" autocomplete="username" value=user errors=errors />
            })}
            <Field label="Password".into() name="sync_password" kind=Kind::Password autocomplete="current-password" value=password errors=errors hint="Hearth doesn't keep your password." />
            {move || problem.get().map(|p| view! { <div class="banner banner-error" role="alert"><p>{p}</p></div> })}
            <button class="btn btn-primary" type="submit" disabled=move || busy.get()>
                {move || if busy.get() { "Signing in…" } else if again { "Sign in again" } else { "Sign in" }}
            </button>
        </form>
    }
}

/// Signed in: how syncing stands, "Sync now", "Sign out".
#[component]
fn Signed() -> impl IntoView {
    let state = AppState::get();
    let sync = state.sync;
    let leaving = RwSignal::new(false);
    // Counted when the section opens, after each save and after each sync.
    let waiting = LocalResource::new({
        let state = state.clone();
        move || {
            state.revision.track();
            sync.status.track();
            crate::later::waiting(state.clone())
        }
    });
    let waiting_words = move || match waiting.get().flatten() {
        None => String::new(),
        Some(0) => "Nothing waiting".to_string(),
        Some(1) => "1 record waiting to send".to_string(),
        Some(n) => format!("{n} records waiting to send"),
    };
    let now = {
        let state = state.clone();
        move |_| {
            let state = state.clone();
            spawn_local(crate::sync::sync_by_hand(state));
        }
    };
    let account = move || {
        sync.account.get().unwrap_or_else(|| crate::sync::Account {
            server: String::new(),
            user: String::new(),
            database: String::new(),
        })
    };
    view! {
        <dl class="facts">
            <dt>"Signed in as"</dt><dd>{move || account().user}</dd>
            <dt>"Household"</dt><dd>{move || account().database}</dd>
            <dt>"Server"</dt><dd>{move || account().server}</dd>
            <dt>"Last synced"</dt>
            <dd data-synced=move || sync.status.with(|s| s.last_synced.map(|t| t.timestamp_millis().to_string()))>
                {move || sync.status.with(|s| s.last_synced.map(instant_label).unwrap_or_else(|| "Not yet".into()))}
            </dd>
            <dt>"Waiting"</dt><dd id="sync-waiting">{waiting_words}</dd>
        </dl>
        <p class="muted small" role="status" aria-live="polite">
            {move || if sync.running.get() { "Syncing…".to_string() } else { String::new() }}
        </p>
        {move || sync.status.with(|s| s.problem.clone()).map(|p| view! {
            <div class="banner" role="status"><p><strong>"Last problem: "</strong>{p}</p></div>
        })}
        {move || sync.status.with(|s| s.signed_out).then(|| view! { <SignIn again=true /> })}
        <Refused />
        <div class="btn-row">
            <button class="btn btn-primary" type="button" on:click=now
                disabled=move || sync.running.get() || sync.status.with(|s| s.signed_out)>"Sync now"</button>
            <button class="btn" type="button" aria-expanded=move || leaving.get().to_string()
                on:click=move |_| leaving.update(|l| *l = !*l)>"Sign out"</button>
        </div>
        {move || leaving.get().then(|| view! { <SignOut leaving=leaving waiting=waiting /> })}
    }
}

/// Records refused either way, with why.
#[component]
fn Refused() -> impl IntoView {
    let status = AppState::get().sync.status;
    move || {
        let refused = status.with(|s| s.refused.clone());
        (!refused.is_empty()).then(|| {
            let n = refused.len();
            view! {
                <details>
                    <summary>{if n == 1 { "1 record wasn't synced".to_string() } else { format!("{n} records weren't synced") }}</summary>
                    <ul>
                        {refused.into_iter().map(|p| view! {
                            <li>
                                <strong>{if p.sending { "Not sent: " } else { "Not brought in: " }}</strong>
                                {p.problem}
                                <span class="muted small">{format!(" ({})", p.id)}</span>
                            </li>
                        }).collect_view()}
                    </ul>
                    <p class="hint">"Nothing on this phone was changed because of these. Your scheme can look into them."</p>
                </details>
            }
        })
    }
}

/// Asks whether to keep the household's records on this phone.
#[component]
fn SignOut(leaving: RwSignal<bool>, waiting: LocalResource<Option<usize>>) -> impl IntoView {
    let state = AppState::get();
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let go = move |keep: bool| {
        let state = state.clone();
        move |_| {
            busy.set(true);
            let state = state.clone();
            spawn_local(async move {
                match crate::later::sign_out(state, keep).await {
                    Ok(()) => leaving.set(false),
                    Err(e) => problem.set(Some(e)),
                }
                busy.set(false);
            });
        }
    };
    let unsent = move || waiting.get().flatten().unwrap_or(0);
    view! {
        <div role="group" aria-labelledby="sign-out-q">
            <p id="sign-out-q"><strong>"Keep the household's records on this phone?"</strong></p>
            <p>"Syncing stops either way. Kept records stay here and can be synced again after signing in."</p>
            {move || (unsent() > 0).then(|| view! {
                <p class="banner banner-error">{format!("{} not sent yet: removing the records from this phone loses {}.", if unsent() == 1 { "1 record is".to_string() } else { format!("{} records are", unsent()) }, if unsent() == 1 { "it" } else { "them" })}</p>
            })}
            {move || problem.get().map(|p| view! { <div class="banner banner-error" role="alert"><p>{p}</p></div> })}
            <div class="btn-row">
                <button class="btn btn-primary" type="button" disabled=move || busy.get() on:click=go(true)>"Keep them and sign out"</button>
                <button class="btn btn-danger" type="button" disabled=move || busy.get() on:click=go(false)>"Remove them and sign out"</button>
                <button class="btn" type="button" on:click=move |_| leaving.set(false)>"Cancel"</button>
            </div>
        </div>
    }
}
