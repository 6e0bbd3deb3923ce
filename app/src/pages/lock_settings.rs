//! "Lock with a PIN" in More: set, change or remove the PIN, choose when
//! Hearth locks itself, lock now, and see records being encrypted.

use crate::components::icons::{Icon, Svg};
use crate::lock::{thousands, Lock};
use crate::state::AppState;
use crate::storage::crypt::LockState;
use crate::storage::StorageError;
use hearth_core::lock::{check_new_pin, PinError, IDLE_CHOICES};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The lock's card on the More screen.
#[component]
pub fn LockSettings() -> impl IntoView {
    let lock = Lock::get();
    view! {
        <section class="card" aria-labelledby="lock-head">
            <h2 id="lock-head"><Svg icon=Icon::Shield />" Lock with a PIN"</h2>
            {move || match (lock.state.get(), lock.progress.get()) {
                (state, Some((done, total))) => view! { <Progress state=state done=done total=total /> }.into_any(),
                (LockState::Off, None) => view! { <SetPin /> }.into_any(),
                (LockState::On, None) => view! { <LockOn /> }.into_any(),
                (_, None) => view! {
                    <p>"Hearth stopped part way through changing how your records are stored. Nothing has been lost."</p>
                    {move || lock.pass_error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
                    <button class="btn btn-primary" type="button" on:click=move |_| lock.run_pass()>"Carry on"</button>
                }.into_any(),
            }}
        </section>
    }
}

#[component]
fn Progress(state: LockState, done: usize, total: usize) -> impl IntoView {
    let words = if total == 0 {
        "Getting ready…".to_string()
    } else if state == LockState::Decrypting {
        format!(
            "Removing the lock from {} of {} records…",
            thousands(done),
            thousands(total)
        )
    } else {
        format!(
            "Protecting {} of {} records…",
            thousands(done),
            thousands(total)
        )
    };
    view! {
        <p role="status" aria-live="polite">{words}</p>
        <progress max=total.max(1) value=done aria-hidden="true"></progress>
        <p class="hint">"You can keep using Hearth. If it is closed before this finishes, it carries on next time you unlock."</p>
    }
}

/// A PIN box with its label and error.
#[component]
fn PinField(
    id: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    error: RwSignal<Option<String>>,
    #[prop(optional)] hint: Option<&'static str>,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        move || {
            let mut ids = Vec::new();
            if hint.is_some() {
                ids.push(hint_id.clone());
            }
            if error.get().is_some() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="field">
            <label for=id>{label}</label>
            {hint.map(|h| view! { <span class="hint" id=hint_id.clone()>{h}</span> })}
            <input
                id=id
                type="password"
                inputmode="numeric"
                autocomplete="off"
                maxlength="12"
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
                aria-invalid=move || error.get().map(|_| "true")
                aria-describedby=described
            />
            {move || error.get().map(|m| view! { <p class="error" id=error_id.clone()>{m}</p> })}
        </div>
    }
}

fn focus(id: &str) {
    if let Some(el) = document().get_element_by_id(id) {
        if let Ok(el) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el) {
            let _ = el.focus();
        }
    }
}

/// Puts a refused new PIN's message under the right box.
fn show_pin_error(
    e: PinError,
    first: (&str, RwSignal<Option<String>>),
    again: (&str, RwSignal<Option<String>>),
) {
    let (id, slot) = if e == PinError::Mismatch {
        again
    } else {
        first
    };
    slot.set(Some(e.to_string()));
    focus(id);
}

#[component]
fn SetPin() -> impl IntoView {
    let state = AppState::get();
    let lock = Lock::get();
    let open = RwSignal::new(false);
    let pin = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let pin_error = RwSignal::new(None::<String>);
    let again_error = RwSignal::new(None::<String>);
    let failed = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        pin_error.set(None);
        again_error.set(None);
        failed.set(None);
        let chosen = match check_new_pin(&pin.get_untracked(), &again.get_untracked()) {
            Ok(p) => p,
            Err(e) => {
                show_pin_error(
                    e,
                    ("f-new-pin", pin_error),
                    ("f-new-pin-again", again_error),
                );
                return;
            }
        };
        busy.set(true);
        let state = state.clone();
        spawn_local(async move {
            match state.store.turn_lock_on(&chosen).await {
                Ok(()) => {
                    pin.set(String::new());
                    again.set(String::new());
                    lock.state.set(state.store.lock_state());
                    lock.run_pass();
                }
                Err(e) => failed.set(Some(e.to_string())),
            }
            busy.set(false);
        });
    };
    view! {
        <p>"With a PIN, Hearth asks for it when it opens and after it has been left alone, and keeps your records encrypted on this phone, so names and notes can't be read from the browser's storage."</p>
        {move || if open.get() {
            view! {
                <form on:submit=submit.clone() novalidate>
                    <PinField id="f-new-pin" label="New PIN" value=pin error=pin_error hint="At least 6 digits. Not one digit repeated, and not a sequence like 123456." />
                    <PinField id="f-new-pin-again" label="New PIN again" value=again error=again_error />
                    <div class="banner banner-error" role="note">
                        <p><strong>"If you forget your PIN, your records can't be recovered"</strong>", by you or by anyone else. A backup file is the only way back: make one first (Back up now, in Backups above) and keep it somewhere safe."</p>
                    </div>
                    {move || failed.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
                    <div class="btn-row">
                        <button class="btn btn-primary" type="submit" disabled=move || busy.get()>"Turn on the lock"</button>
                        <button class="btn" type="button" on:click=move |_| open.set(false)>"Cancel"</button>
                    </div>
                </form>
            }.into_any()
        } else {
            view! {
                <button class="btn btn-primary" type="button" on:click=move |_| {
                    open.set(true);
                    request_animation_frame(|| focus("f-new-pin"));
                }>"Set a PIN"</button>
            }.into_any()
        }}
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Open {
    None,
    Change,
    Off,
}

#[component]
fn LockOn() -> impl IntoView {
    let state = AppState::get();
    let lock = Lock::get();
    let open = RwSignal::new(Open::None);
    let idle_saved = RwSignal::new(None::<String>);
    let choose_idle = {
        let state = state.clone();
        move |ev: leptos::ev::Event| {
            let Ok(secs) = event_target_value(&ev).parse::<u32>() else {
                return;
            };
            let state = state.clone();
            spawn_local(async move {
                match state.store.set_idle_secs(secs).await {
                    Ok(()) => {
                        lock.idle_secs.set(secs);
                        idle_saved.set(Some("Saved.".into()));
                    }
                    Err(e) => idle_saved.set(Some(e.to_string())),
                }
            });
        }
    };
    let idle_options = move || {
        let current = lock.idle_secs.get();
        let mut choices: Vec<u32> = IDLE_CHOICES.iter().map(|m| m * 60).collect();
        if !choices.contains(&current) {
            choices.insert(0, current);
        }
        choices
            .into_iter()
            .map(|secs| {
                let words = if secs.is_multiple_of(60) {
                    match secs / 60 {
                        1 => "1 minute".to_string(),
                        m => format!("{m} minutes"),
                    }
                } else {
                    format!("{secs} seconds")
                };
                view! { <option value=secs.to_string() selected=secs == current>{words}</option> }
            })
            .collect_view()
    };
    view! {
        <p class="status-ok">"✓ The lock is on. Your records are encrypted on this phone, and Hearth asks for your PIN when it opens and after it has been left alone."</p>
        <div class="field">
            <label for="f-idle">"Lock after"</label>
            <span class="hint" id="f-idle-hint">"How long Hearth waits without a touch, or hidden behind other apps, before it locks."</span>
            <select id="f-idle" aria-describedby="f-idle-hint" on:change=choose_idle>{idle_options}</select>
            <p class="muted small" role="status" aria-live="polite">{move || idle_saved.get()}</p>
        </div>
        <div class="btn-row">
            <button class="btn btn-primary" type="button" on:click=move |_| lock.lock_now()>"Lock now"</button>
            <button class="btn" type="button" aria-expanded=move || (open.get() == Open::Change).to_string()
                on:click=move |_| open.update(|o| *o = if *o == Open::Change { Open::None } else { Open::Change })>"Change PIN"</button>
            <button class="btn btn-danger" type="button" aria-expanded=move || (open.get() == Open::Off).to_string()
                on:click=move |_| open.update(|o| *o = if *o == Open::Off { Open::None } else { Open::Off })>"Turn off the lock"</button>
        </div>
        {move || match open.get() {
            Open::None => ().into_any(),
            Open::Change => view! { <ChangePin done=open /> }.into_any(),
            Open::Off => view! { <TurnOff /> }.into_any(),
        }}
    }
}

#[component]
fn ChangePin(done: RwSignal<Open>) -> impl IntoView {
    let state = AppState::get();
    let current = RwSignal::new(String::new());
    let pin = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let current_error = RwSignal::new(None::<String>);
    let pin_error = RwSignal::new(None::<String>);
    let again_error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        for e in [current_error, pin_error, again_error] {
            e.set(None);
        }
        let old = current.get_untracked().trim().to_string();
        if old.is_empty() {
            current_error.set(Some("Type the PIN you use now.".into()));
            focus("f-current-pin");
            return;
        }
        let chosen = match check_new_pin(&pin.get_untracked(), &again.get_untracked()) {
            Ok(p) => p,
            Err(e) => {
                show_pin_error(
                    e,
                    ("f-change-pin", pin_error),
                    ("f-change-pin-again", again_error),
                );
                return;
            }
        };
        busy.set(true);
        let state = state.clone();
        spawn_local(async move {
            match state.store.change_pin(&old, &chosen).await {
                Ok(()) => {
                    done.set(Open::None);
                    state.show_toast("PIN changed");
                }
                Err(StorageError::WrongPin) => {
                    current_error.set(Some(
                        "That PIN is not right. Type the PIN you use now.".into(),
                    ));
                    focus("f-current-pin");
                }
                Err(e) => current_error.set(Some(e.to_string())),
            }
            busy.set(false);
        });
    };
    view! {
        <form on:submit=submit novalidate aria-label="Change PIN">
            <PinField id="f-current-pin" label="PIN you use now" value=current error=current_error />
            <PinField id="f-change-pin" label="New PIN" value=pin error=pin_error hint="At least 6 digits." />
            <PinField id="f-change-pin-again" label="New PIN again" value=again error=again_error />
            <p class="hint">"A forgotten PIN can't be recovered: keep a backup."</p>
            <button class="btn btn-primary" type="submit" disabled=move || busy.get()>"Change PIN"</button>
        </form>
    }
}

#[component]
fn TurnOff() -> impl IntoView {
    let state = AppState::get();
    let lock = Lock::get();
    let pin = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        let typed = pin.get_untracked().trim().to_string();
        if typed.is_empty() {
            error.set(Some("Type your PIN to turn off the lock.".into()));
            focus("f-off-pin");
            return;
        }
        busy.set(true);
        let state = state.clone();
        spawn_local(async move {
            match state.store.turn_lock_off(&typed).await {
                Ok(()) => {
                    lock.state.set(state.store.lock_state());
                    lock.run_pass();
                }
                Err(StorageError::WrongPin) => {
                    error.set(Some(
                        "That PIN is not right, so the lock is still on.".into(),
                    ));
                    focus("f-off-pin");
                }
                Err(e) => error.set(Some(e.to_string())),
            }
            busy.set(false);
        });
    };
    view! {
        <form on:submit=submit novalidate aria-label="Turn off the lock">
            <p>"Without the lock, anyone with this phone can open Hearth, and the records are stored unencrypted."</p>
            <PinField id="f-off-pin" label="Your PIN" value=pin error=error />
            <button class="btn btn-danger" type="submit" disabled=move || busy.get()>"Remove the lock"</button>
        </form>
    }
}
