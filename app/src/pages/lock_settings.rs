//! "Lock with a PIN" in More: set, change or remove the PIN, choose when
//! Hearth locks itself, lock now, and see records being encrypted.

use crate::components::form::{field_id, focus_first_error, Field, Kind};
use crate::components::icons::{Icon, Svg};
use crate::lock::{thousands, Lock};
use crate::state::AppState;
use crate::storage::crypt::LockState;
use crate::storage::StorageError;
use hearth_core::lock::{check_new_pin, IDLE_CHOICES};
use hearth_core::ValidationErrors;
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

fn focus_field(name: &str) {
    if let Some(el) = document().get_element_by_id(&field_id(name)) {
        if let Ok(el) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el) {
            let _ = el.focus();
        }
    }
}

/// Core's verdict on a new PIN typed twice; a refusal goes under the field it
/// concerns, which gets focus.
fn checked_new_pin(
    pin: RwSignal<String>,
    again: RwSignal<String>,
    errors: RwSignal<ValidationErrors>,
) -> Option<String> {
    match check_new_pin(&pin.get_untracked(), &again.get_untracked()) {
        Ok(chosen) => Some(chosen),
        Err(e) => {
            let refused = ValidationErrors::single(e.field(), e.to_string());
            focus_first_error(&refused);
            errors.set(refused);
            None
        }
    }
}

/// A refusal of the current PIN, under its field.
fn current_pin_error(message: String) -> ValidationErrors {
    let errors = ValidationErrors::single("current_pin", message);
    focus_first_error(&errors);
    errors
}

#[component]
fn SetPin() -> impl IntoView {
    let state = AppState::get();
    let lock = Lock::get();
    let open = RwSignal::new(false);
    let pin = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let errors = RwSignal::new(ValidationErrors::new());
    let failed = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.set(ValidationErrors::new());
        failed.set(None);
        let Some(chosen) = checked_new_pin(pin, again, errors) else {
            return;
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
                <form on:submit=submit.clone() novalidate autocomplete="off">
                    <Field label="New PIN".into() name="new_pin" kind=Kind::Pin autocomplete="off" value=pin errors=errors
                        hint="6 to 12 digits. Not one digit repeated, and not a sequence like 123456. A longer PIN is much harder to guess." />
                    <Field label="New PIN again".into() name="new_pin_again" kind=Kind::Pin autocomplete="off" value=again errors=errors />
                    <Covers />
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
                    request_animation_frame(|| focus_field("new_pin"));
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
        <details>
            <summary>"What the lock protects, and what it can't"</summary>
            <Covers />
        </details>
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

/// What the lock protects and what it can't, in plain words.
#[component]
fn Covers() -> impl IntoView {
    view! {
        <h3>"What the lock protects"</h3>
        <p>"Names, notes, check-ins, visits, stays and your own details are encrypted on this phone, from the moment the lock is on."</p>
        <p>"It can't hide everything:"</p>
        <ul>
            <li>"While Hearth is unlocked, anyone holding the phone sees what you see. Lock the phone itself too."</li>
            <li>"When records were written, how many there are, and the address and user name of your scheme's server (if you sync) are not encrypted."</li>
            <li>"Once every record is encrypted, Hearth moves them to a new store in the browser and deletes the old one, so the browser's files keep no copy from before in clear. Hearth also asks the browser not to remember what you type in its forms. The phone's memory chip may still hold deleted pieces until it reuses them: lock the phone itself with its own PIN, which encrypts all its storage."</li>
            <li>"Copies outside Hearth aren't covered: backup files, spreadsheets and calendars you saved or shared, and the records on your scheme's server."</li>
            <li>"Someone who copies the phone's storage can try PINs one after another: a longer PIN takes them far longer."</li>
        </ul>
    }
}

#[component]
fn ChangePin(done: RwSignal<Open>) -> impl IntoView {
    let state = AppState::get();
    let current = RwSignal::new(String::new());
    let pin = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let errors = RwSignal::new(ValidationErrors::new());
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.set(ValidationErrors::new());
        let old = current.get_untracked().trim().to_string();
        if old.is_empty() {
            errors.set(current_pin_error("Type the PIN you use now.".into()));
            return;
        }
        let Some(chosen) = checked_new_pin(pin, again, errors) else {
            return;
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
                    // A refused PIN is cleared, ready to be typed again.
                    current.set(String::new());
                    errors.set(current_pin_error(
                        "That PIN is not right. Type the PIN you use now.".into(),
                    ))
                }
                Err(e) => errors.set(current_pin_error(e.to_string())),
            }
            busy.set(false);
        });
    };
    view! {
        <form on:submit=submit novalidate autocomplete="off" aria-label="Change PIN">
            <Field label="PIN you use now".into() name="current_pin" kind=Kind::Pin autocomplete="off" value=current errors=errors />
            <Field label="New PIN".into() name="new_pin" kind=Kind::Pin autocomplete="off" value=pin errors=errors hint="6 to 12 digits. A longer PIN is much harder to guess." />
            <Field label="New PIN again".into() name="new_pin_again" kind=Kind::Pin autocomplete="off" value=again errors=errors />
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
    let errors = RwSignal::new(ValidationErrors::new());
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.set(ValidationErrors::new());
        let typed = pin.get_untracked().trim().to_string();
        if typed.is_empty() {
            errors.set(current_pin_error(
                "Type your PIN to turn off the lock.".into(),
            ));
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
                    pin.set(String::new());
                    errors.set(current_pin_error(
                        "That PIN is not right, so the lock is still on.".into(),
                    ))
                }
                Err(e) => errors.set(current_pin_error(e.to_string())),
            }
            busy.set(false);
        });
    };
    view! {
        <form on:submit=submit novalidate autocomplete="off" aria-label="Turn off the lock">
            <p>"Without the lock, anyone with this phone can open Hearth, and the records are stored unencrypted."</p>
            <Field label="Your PIN".into() name="current_pin" kind=Kind::Pin autocomplete="off" value=pin errors=errors />
            <button class="btn btn-danger" type="submit" disabled=move || busy.get()>"Remove the lock"</button>
        </form>
    }
}
