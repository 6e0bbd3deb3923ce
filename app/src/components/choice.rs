//! A group of radio buttons for one choice, with a legend and an error.

use hearth_core::ValidationErrors;
use leptos::prelude::*;

/// One choice from a few options, as large labelled radio buttons. The first
/// radio carries the field's id, so an error can send focus to the group.
#[component]
pub fn Choice<T>(
    /// The question.
    #[prop(into)]
    legend: Signal<String>,
    /// The field key for errors and ids.
    name: &'static str,
    /// The options and their words.
    options: Vec<(T, String)>,
    /// The chosen option, two-way.
    value: RwSignal<Option<T>>,
    /// The form's errors.
    errors: RwSignal<ValidationErrors>,
    /// Offer "Not asked" to clear the choice.
    #[prop(optional)]
    clearable: bool,
) -> impl IntoView
where
    T: Copy + PartialEq + Send + Sync + 'static,
{
    let error = Memo::new(move |_| errors.with(|e| e.message_for(name).map(str::to_string)));
    let error_id = format!("f-{name}-error");
    let described = error_id.clone();
    let mut rows: Vec<(Option<T>, String)> =
        options.into_iter().map(|(v, l)| (Some(v), l)).collect();
    if clearable {
        rows.push((None, "Not asked".to_string()));
    }
    view! {
        <fieldset class="field choice" aria-describedby=move || error.get().map(|_| described.clone())>
            <legend>{move || legend.get()}</legend>
            <div class="choice-row">
                {rows.into_iter().enumerate().map(|(i, (option, label))| {
                    let id = (i == 0).then(|| format!("f-{name}"));
                    view! {
                        <label class="check">
                            <input
                                type="radio"
                                id=id
                                name=name
                                prop:checked=move || value.get() == option
                                on:change=move |_| value.set(option)
                            />
                            <span>{label}</span>
                        </label>
                    }
                }).collect_view()}
            </div>
            {move || error.get().map(|m| view! { <p class="error" id=error_id.clone()>{m}</p> })}
        </fieldset>
    }
}
