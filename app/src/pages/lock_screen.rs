//! The lock screen: the PIN before any record is read. Wrong PINs count in
//! storage and pause the screen after five; a forgotten PIN leads to erasing
//! this phone's Hearth and restoring from a backup.

use crate::browser;
use crate::lock::Lock;
use crate::route::{navigate, Route};
use crate::storage::crypt::Unlock;
use crate::storage::Store;
use chrono::{DateTime, Utc};
use hearth_core::lock::{wait_words, wrong_pin_message};
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;

#[derive(Clone, Copy, PartialEq)]
enum Forgot {
    Hidden,
    Explained,
    Confirming,
    Erasing,
}

/// The lock screen.
#[component]
pub fn LockScreen(store: Store) -> impl IntoView {
    let lock = Lock::get();
    let pin = RwSignal::new(String::new());
    let message = RwSignal::new(None::<String>);
    let checking = RwSignal::new(false);
    let paused_until = RwSignal::new(None::<DateTime<Utc>>);
    let now = RwSignal::new(browser::now());
    let forgot = RwSignal::new(Forgot::Hidden);
    let input: NodeRef<html::Input> = NodeRef::new();
    let focus = move || {
        if let Some(i) = input.get_untracked() {
            let _ = i.focus();
        }
    };
    input.on_load(move |i| {
        request_animation_frame(move || {
            let _ = i.focus();
        });
    });

    // A pause from before a reload still holds.
    {
        let store = store.clone();
        spawn_local(async move {
            if let Ok(tries) = store.lock_tries().await {
                if let Some(until) = tries.paused_until.filter(|u| *u > browser::now()) {
                    paused_until.set(Some(until));
                    message.set(Some(paused_words(until)));
                }
            }
        });
    }
    let ticker = gloo::timers::callback::Interval::new(1_000, move || {
        now.set(browser::now());
        if paused_until
            .get_untracked()
            .is_some_and(|u| u <= browser::now())
        {
            paused_until.set(None);
            message.set(Some("You can try your PIN again now.".into()));
        }
    });
    let ticker = send_wrapper::SendWrapper::new(ticker);
    on_cleanup(move || drop(ticker));
    let wait_left = move || {
        paused_until
            .get()
            .map(|until| seconds_left(until, now.get()))
            .filter(|secs| *secs > 0)
    };

    let submit = {
        let store = store.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            if checking.get_untracked() || paused_until.get_untracked().is_some() {
                return;
            }
            let typed = pin.get_untracked();
            if typed.trim().is_empty() {
                message.set(Some("Type your PIN, then press Unlock.".into()));
                focus();
                return;
            }
            checking.set(true);
            message.set(Some("Checking…".into()));
            let store = store.clone();
            spawn_local(async move {
                let result = store.unlock(typed.trim(), browser::now()).await;
                checking.set(false);
                pin.set(String::new());
                match result {
                    Ok(Unlock::Opened) => {
                        message.set(None);
                        // A handed-over screen goes back to the carer's Today.
                        let here = Route::parse(&window().location().hash().unwrap_or_default());
                        if here.handed_over() {
                            navigate(&Route::Today);
                        }
                        lock.locked.set(false);
                        lock.resume();
                    }
                    Ok(Unlock::Wrong {
                        failures,
                        paused_until: until,
                    }) => {
                        paused_until.set(until);
                        message.set(Some(match until {
                            Some(until) => {
                                format!("That PIN is not right. {}", paused_words(until))
                            }
                            None => wrong_pin_message(failures),
                        }));
                        focus();
                    }
                    Ok(Unlock::Paused { until }) => {
                        paused_until.set(Some(until));
                        message.set(Some(paused_words(until)));
                    }
                    Err(e) => message.set(Some(e.to_string())),
                }
            });
        }
    };

    let erase = move |_| {
        forgot.set(Forgot::Erasing);
        let store = store.clone();
        spawn_local(async move {
            store.close();
            let deleted = crate::storage::generations::erase_all(crate::storage::DB_NAME)
                .await
                .is_ok();
            if deleted {
                let _ = window().location().set_hash("");
                let _ = window().location().reload();
            } else {
                message.set(Some("Couldn't erase Hearth's records. Close Hearth in any other tab or window, then try again.".into()));
                forgot.set(Forgot::Confirming);
            }
        });
    };

    view! {
        <div class="app">
            <header class="topbar"><h1 class="topbar-title">"Hearth"</h1></header>
            <main class="page lock-screen">
                <img class="welcome-mark" src="icons/icon.svg" alt="" width="72" height="72" />
                <h2>"Hearth is locked"</h2>
                <p>"Type your PIN to see your records."</p>
                <form on:submit=submit novalidate autocomplete="off">
                    <div class="field">
                        <label for="f-pin">"Your PIN"</label>
                        <input
                            id="f-pin"
                            name="pin"
                            type="password"
                            inputmode="numeric"
                            autocomplete="off"
                            maxlength="12"
                            node_ref=input
                            prop:value=move || pin.get()
                            on:input=move |ev| pin.set(event_target_value(&ev))
                            aria-describedby="lock-message"
                        />
                    </div>
                    <p id="lock-message" class="lock-message" role="status" aria-live="polite">
                        {move || message.get()}
                    </p>
                    {move || wait_left().map(|secs| view! {
                        <p class="status-warn" aria-live="off">{format!("Try again in {}.", wait_words(secs))}</p>
                    })}
                    <button
                        class="btn btn-primary btn-block"
                        type="submit"
                        disabled=move || checking.get() || wait_left().is_some()
                    >
                        {move || if checking.get() { "Checking…" } else { "Unlock" }}
                    </button>
                </form>
                {move || match forgot.get() {
                    Forgot::Hidden => view! {
                        <p><button class="btn btn-quiet" type="button" on:click=move |_| forgot.set(Forgot::Explained)>
                            "Forgot your PIN?"
                        </button></p>
                    }.into_any(),
                    Forgot::Explained => view! {
                        <section class="card" aria-labelledby="forgot-head">
                            <h2 id="forgot-head">"Forgot your PIN?"</h2>
                            <p>"A forgotten PIN can't be recovered, by you or by anyone else: the records on this phone are locked with it."</p>
                            <p>"If you have a backup file, you can erase Hearth on this phone, then restore your records from the backup. Anything added since that backup will be lost."</p>
                            <div class="btn-row">
                                <button class="btn btn-danger" type="button" on:click=move |_| forgot.set(Forgot::Confirming)>
                                    "Erase and restore from a backup"
                                </button>
                                <button class="btn" type="button" on:click=move |_| forgot.set(Forgot::Hidden)>"Cancel"</button>
                            </div>
                        </section>
                    }.into_any(),
                    Forgot::Confirming | Forgot::Erasing => {
                        let erase = erase.clone();
                        view! {
                            <section class="card banner-error" role="alertdialog" aria-labelledby="erase-head">
                                <h2 id="erase-head">"Erase every Hearth record on this phone?"</h2>
                                <p>"This can't be undone. Afterwards Hearth starts afresh and you can restore from your backup file."</p>
                                <div class="btn-row">
                                    <button class="btn btn-danger" type="button" disabled=move || forgot.get() == Forgot::Erasing on:click=erase>
                                        "Yes, erase everything"
                                    </button>
                                    <button class="btn" type="button" on:click=move |_| forgot.set(Forgot::Hidden)>"Keep my records"</button>
                                </div>
                            </section>
                        }.into_any()
                    }
                }}
            </main>
        </div>
    }
}

fn paused_words(until: DateTime<Utc>) -> String {
    let secs = seconds_left(until, browser::now());
    format!(
        "Too many wrong tries. Wait {}, then try again.",
        wait_words(secs)
    )
}

/// Whole seconds until `until`, rounded up (so a 30-second pause reads 30, not 29 or 31).
fn seconds_left(until: DateTime<Utc>, now: DateTime<Utc>) -> i64 {
    ((until - now).num_milliseconds() + 999).div_euclid(1000)
}
