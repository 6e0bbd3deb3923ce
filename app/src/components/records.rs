//! How records look in lists: avatars, note cards, "when" labels.

use crate::browser;
use crate::components::icons::{Icon, Svg};
use crate::components::nav::Link;
use crate::route::Route;
use chrono::{DateTime, FixedOffset, Utc};
use hearth_core::dates::{day_label, time_label};
use hearth_core::{LocalZone, Note, Person, Record};
use leptos::prelude::*;

/// "Today 14:05", "Yesterday 9:30am", "Fri 5 Dec 18:00", for a moment as it
/// was written (its own offset).
pub fn when_label(at: DateTime<FixedOffset>) -> String {
    format!(
        "{} {}",
        day_label(at.date_naive(), browser::today()),
        time_label(at.time(), browser::prefers_twelve_hour())
    )
}

/// The same for an instant, in the phone's zone now.
pub fn instant_label(at: DateTime<Utc>) -> String {
    when_label(browser::BrowserZone.to_local(at))
}

/// A person's letter avatar.
#[component]
pub fn Avatar(
    /// Whose.
    initial: char,
    /// Bigger, for their page.
    #[prop(optional)]
    large: bool,
) -> impl IntoView {
    let class = if large { "avatar avatar-lg" } else { "avatar" };
    view! { <span class=class aria-hidden="true">{initial.to_string()}</span> }
}

/// The kinds of support, as chips.
#[component]
pub fn Arrangements(person: Person) -> impl IntoView {
    view! {
        <ul class="chips" aria-label="Kinds of support">
            {person
                .arrangements()
                .iter()
                .map(|a| view! { <li class="chip">{a.label()}</li> })
                .collect_view()}
        </ul>
    }
}

/// A note in a list: who, when, the text, topics and its state, opening to
/// the full note with its history.
#[component]
pub fn NoteCard(
    /// The note.
    note: Record<Note>,
    /// The person's preferred name, shown when the list mixes people.
    #[prop(optional)]
    person_name: Option<String>,
) -> impl IntoView {
    let body = note.body().clone();
    let deleted = note.deleted().cloned();
    let amended = note.is_amended();
    let with_person = body.with_person();
    let name = person_name.clone();
    view! {
        <li>
            <Link to=Route::Note(note.id()) class="row-link">
                <span class="grow">
                    <span class="row-title">
                        {name.map(|n| format!("{n} · "))}
                        {when_label(body.occurred_at())}
                    </span>
                    {match deleted {
                        Some(t) => view! {
                            <span class="badge">
                                <Svg icon=Icon::Trash />
                                {format!("Deleted: {}", t.reason)}
                            </span>
                        }
                        .into_any(),
                        None => view! {
                            <span class="note-text">{excerpt(body.text())}</span>
                        }
                        .into_any(),
                    }}
                    {(!body.topics().is_empty()).then(|| view! {
                        <span class="chips">
                            {body.topics().iter().map(|t| view! { <span class="chip">{t.label()}</span> }).collect_view()}
                        </span>
                    })}
                    <span class="meta">
                        {with_person.then(|| view! {
                            <span class="badge"><Svg icon=Icon::Check />"Written together"</span>
                            " "
                        })}
                        {amended.then(|| view! { <span class="badge"><Svg icon=Icon::Pencil />"Edited"</span> })}
                    </span>
                </span>
            </Link>
        </li>
    }
}

/// The first few lines of a note, for lists.
fn excerpt(text: &str) -> String {
    const MAX: usize = 240;
    if text.chars().count() <= MAX {
        text.to_string()
    } else {
        let cut: String = text.chars().take(MAX).collect();
        format!("{}…", cut.trim_end())
    }
}
