//! The five faces of the mood scale, drawn inline, each always with its word.

use hearth_core::{Answered, Mood};
use leptos::prelude::*;

/// The mouth of each face, as an SVG path in a 48x48 box.
fn mouth(mood: Mood) -> &'static str {
    match mood {
        Mood::Awful => "M15 35 Q24 25 33 35",
        Mood::Low => "M16 33 Q24 28 32 33",
        Mood::Okay => "M16 31 H32",
        Mood::Good => "M16 29 Q24 35 32 29",
        Mood::Great => "M14 27 Q24 39 34 27 Z",
    }
}

/// A face for a mood. Decorative: the word beside it carries the meaning.
#[component]
pub fn Face(mood: Mood) -> impl IntoView {
    let open = mood == Mood::Great;
    view! {
        <svg class="face" viewBox="0 0 48 48" aria-hidden="true" focusable="false">
            <circle cx="24" cy="24" r="21" fill="none" stroke="currentColor" stroke-width="3"></circle>
            <circle cx="17" cy="19" r="2.6" fill="currentColor"></circle>
            <circle cx="31" cy="19" r="2.6" fill="currentColor"></circle>
            <path
                d=mouth(mood)
                fill=if open { "currentColor" } else { "none" }
                stroke="currentColor"
                stroke-width="3"
                stroke-linecap="round"
                stroke-linejoin="round"
            ></path>
        </svg>
    }
}

/// The five faces as one radio group: large targets, each a face and a word.
#[component]
pub fn FacePicker(
    /// The chosen face, two-way.
    mood: RwSignal<Option<Mood>>,
    /// The group's visible question.
    #[prop(into)]
    legend: Signal<String>,
    /// Extra-large faces, for handing the phone to the person.
    #[prop(optional)]
    large: bool,
) -> impl IntoView {
    let class = if large { "faces faces-large" } else { "faces" };
    view! {
        <fieldset class=class id="f-mood">
            <legend>{move || legend.get()}</legend>
            <div class="face-row">
                {Mood::ALL.iter().rev().map(|m| {
                    let m = *m;
                    view! {
                        <label class="face-option">
                            <input
                                type="radio"
                                name="mood"
                                value=m.key()
                                prop:checked=move || mood.get() == Some(m)
                                on:change=move |_| mood.set(Some(m))
                            />
                            <Face mood=m />
                            <span>{m.label()}</span>
                        </label>
                    }
                }).collect_view()}
            </div>
        </fieldset>
    }
}

/// The shape that marks who answered, in charts and their legends: filled
/// circle (the person), filled triangle (with help), hollow square (observed).
#[component]
pub fn AnswerMark(answered: Answered, x: f64, y: f64) -> impl IntoView {
    match answered {
        Answered::Themselves => view! {
            <circle class="mark mark-self" cx=x cy=y r="4.5"></circle>
        }
        .into_any(),
        Answered::WithHelp => {
            let points = format!(
                "{x},{} {},{} {},{}",
                y - 5.5,
                x + 5.0,
                y + 4.0,
                x - 5.0,
                y + 4.0
            );
            view! { <polygon class="mark mark-help" points=points></polygon> }.into_any()
        }
        Answered::CarerObserved => view! {
            <rect class="mark mark-observed" x=x - 4.0 y=y - 4.0 width="8" height="8"></rect>
        }
        .into_any(),
    }
}
