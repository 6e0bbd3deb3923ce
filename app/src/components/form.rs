//! Form building blocks: a label above every field, a hint, and the error
//! from `hearth-core` under the field in words, wired for screen readers.

use hearth_core::ValidationErrors;
use leptos::prelude::*;

/// The element id of a field, so an error can send focus there.
pub fn field_id(name: &str) -> String {
    format!("f-{name}")
}

/// Sends focus to the first field with an error, so the carer (and a screen
/// reader) lands on what needs fixing.
pub fn focus_first_error(errors: &ValidationErrors) {
    use wasm_bindgen::JsCast;
    let Some(first) = errors.all().first() else {
        return;
    };
    let id = field_id(&first.field);
    // After the error text renders, so the field's description is up to date.
    request_animation_frame(move || {
        if let Some(el) = document()
            .get_element_by_id(&id)
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = el.focus();
        }
    });
}

/// The signals every record form shares with its submit: the field errors,
/// the problem saving, and whether a save is under way. Submitting is the
/// same steps for every kind, so they are here once: check the draft (show
/// the errors, focus the first), save it (a new record, or a correction of
/// the stored one), say so, and go on in place of the form.
#[derive(Clone, Copy)]
pub struct FormSignals {
    /// The latest validation errors.
    pub errors: RwSignal<ValidationErrors>,
    /// Why the last save failed, if it did.
    pub save_error: RwSignal<Option<String>>,
    /// True while saving.
    pub busy: RwSignal<bool>,
}

/// What a record form says once it has saved, or when nothing changed.
#[derive(Clone, Copy)]
pub struct SaveWords {
    /// The toast after a new record ("Note saved").
    pub added: &'static str,
    /// The toast after a correction ("Correction saved").
    pub corrected: &'static str,
    /// Said when a correction changes nothing.
    pub unchanged: &'static str,
}

impl FormSignals {
    /// No errors, not saving.
    pub fn new() -> FormSignals {
        FormSignals {
            errors: RwSignal::new(ValidationErrors::new()),
            save_error: RwSignal::new(None),
            busy: RwSignal::new(false),
        }
    }

    /// The body of a draft that passed core's checks; otherwise its errors
    /// are shown under their fields, the first takes focus, and `None`.
    pub fn check<T>(&self, validated: Result<T, ValidationErrors>) -> Option<T> {
        self.save_error.set(None);
        match validated {
            Ok(body) => {
                self.errors.set(ValidationErrors::new());
                Some(body)
            }
            Err(e) => {
                focus_first_error(&e);
                self.errors.set(e);
                None
            }
        }
    }

    /// Saves `body` (a new record, or a correction of `stored`) and says so;
    /// the saved record, or `None` with the problem shown.
    pub async fn save<T: crate::storage::Stored>(
        &self,
        state: &crate::state::AppState,
        stored: Option<&hearth_core::Record<T>>,
        body: T,
        words: SaveWords,
    ) -> Option<hearth_core::Record<T>> {
        self.busy.set(true);
        let done = if stored.is_some() {
            words.corrected
        } else {
            words.added
        };
        let saved = state
            .save_form(stored, body, done, words.unchanged, self.save_error)
            .await;
        self.busy.set(false);
        saved
    }

    /// Both, for a form with nothing to ask between: checks `validated`,
    /// saves it, then goes to `then(saved)` in place of the form.
    pub fn submit<T: crate::storage::Stored + 'static>(
        &self,
        state: &crate::state::AppState,
        stored: Option<hearth_core::Record<T>>,
        validated: Result<T, ValidationErrors>,
        words: SaveWords,
        then: impl FnOnce(&crate::state::AppState, &hearth_core::Record<T>) -> crate::route::Route
            + 'static,
    ) {
        let Some(body) = self.check(validated) else {
            return;
        };
        let (form, state) = (*self, state.clone());
        leptos::task::spawn_local(async move {
            if let Some(saved) = form.save(&state, stored.as_ref(), body, words).await {
                crate::route::replace(&then(&state, &saved));
            }
        });
    }
}

impl Default for FormSignals {
    fn default() -> Self {
        FormSignals::new()
    }
}

/// What kind of single-line input a text field is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Kind {
    /// Plain text.
    #[default]
    Text,
    /// A phone number (`type=tel`, phone keypad).
    Tel,
    /// A date picker.
    Date,
    /// A time picker.
    Time,
    /// A PIN: digits, hidden as typed, numeric keypad.
    Pin,
    /// A web address (`type=url`).
    Url,
    /// A password, hidden as typed.
    Password,
    /// Several lines of text.
    Multiline,
}

/// A labelled field bound to a string signal.
#[component]
pub fn Field(
    /// Visible label.
    label: String,
    /// The field key `hearth-core` uses in its errors.
    #[prop(into)]
    name: String,
    /// The value, two-way.
    value: RwSignal<String>,
    /// The latest validation errors of the whole form.
    errors: RwSignal<ValidationErrors>,
    /// The input kind.
    #[prop(optional)]
    kind: Kind,
    /// A short hint under the label.
    #[prop(optional, into)]
    hint: Option<String>,
    /// The `autocomplete` attribute.
    #[prop(optional)]
    autocomplete: Option<&'static str>,
    /// Shows "(optional)" after the label.
    #[prop(optional)]
    optional: bool,
    /// Latest date a date field offers.
    #[prop(optional, into)]
    max: Option<String>,
) -> impl IntoView {
    let id = field_id(&name);
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let key = name.clone();
    let error = Memo::new(move |_| errors.with(|e| e.message_for(&key).map(str::to_string)));
    let described = {
        let (hint_id, error_id, has_hint) = (hint_id.clone(), error_id.clone(), hint.is_some());
        move || {
            let mut ids = Vec::new();
            if has_hint {
                ids.push(hint_id.clone());
            }
            if error.get().is_some() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    let invalid = move || error.get().is_some().then_some("true");
    let input = match kind {
        Kind::Multiline => view! {
            <textarea
                id=id.clone()
                name=name.clone()
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
                aria-invalid=invalid
                aria-describedby=described.clone()
                rows="6"
            ></textarea>
        }
        .into_any(),
        _ => {
            let (ty, inputmode) = match kind {
                Kind::Tel => ("tel", Some("tel")),
                Kind::Date => ("date", None),
                Kind::Time => ("time", None),
                Kind::Pin => ("password", Some("numeric")),
                Kind::Url => ("url", Some("url")),
                Kind::Password => ("password", None),
                _ => ("text", None),
            };
            view! {
                <input
                    id=id.clone()
                    name=name.clone()
                    type=ty
                    inputmode=inputmode
                    autocomplete=autocomplete
                    max=max
                    prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev))
                    aria-invalid=invalid
                    aria-describedby=described
                />
            }
            .into_any()
        }
    };
    view! {
        <div class="field">
            <label for=id.clone()>
                {label}
                {optional.then(|| view! { <span class="muted">" (optional)"</span> })}
            </label>
            {hint.map(|h| view! { <span class="hint" id=hint_id>{h}</span> })}
            {input}
            <ErrorText id=error_id message=error />
        </div>
    }
}

/// The error under a field, announced when it appears.
#[component]
pub fn ErrorText(id: String, message: Memo<Option<String>>) -> impl IntoView {
    move || {
        message.get().map(|m| {
            view! {
                <p class="error" id=id.clone()>
                    {m}
                </p>
            }
        })
    }
}

/// A labelled tick box bound to a bool signal.
#[component]
pub fn Tick(
    /// Visible label.
    #[prop(into)]
    label: Signal<String>,
    /// The value, two-way.
    checked: RwSignal<bool>,
    /// Element id, when an error should be able to focus it.
    #[prop(optional_no_strip)]
    id: Option<String>,
) -> impl IntoView {
    view! {
        <label class="check">
            <input
                type="checkbox"
                id=id
                prop:checked=move || checked.get()
                on:change=move |ev| checked.set(event_target_checked(&ev))
            />
            <span>{move || label.get()}</span>
        </label>
    }
}

/// A storage problem shown above the Save button; what was typed stays.
#[component]
pub fn SaveError(message: RwSignal<Option<String>>) -> impl IntoView {
    move || {
        message.get().map(|m| {
            view! {
                <div class="banner banner-error" role="alert">
                    <p>{m}</p>
                </div>
            }
        })
    }
}
