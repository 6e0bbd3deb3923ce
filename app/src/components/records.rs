//! How records look in lists: avatars, note cards, "when" labels.

use crate::browser;
use crate::components::form::field_id;
use crate::components::icons::{Icon, Svg};
use crate::components::nav::Link;
use crate::route::{replace, Route};
use crate::state::AppState;
use chrono::{DateTime, FixedOffset, Utc};
use hearth_core::bidi::isolate;
use hearth_core::dates::{day_label, time_label};
use hearth_core::{CheckIn, LocalZone, Note, Person, Record, RecordError, RecordId, Visit};
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// "Today 14:05", "Yesterday 9:30am", "Fri 5 Dec 18:00", for a moment as it
/// was written (its own offset).
pub fn when_label(at: DateTime<FixedOffset>) -> String {
    format!(
        "{} {}",
        day_label(at.date_naive(), browser::today()),
        time_label(at.time(), browser::prefers_twelve_hour())
    )
}

/// "Wed 2 Dec 2026 15:00": a moment as it was written, with nothing relative
/// to today, for what is printed or read later (the monthly report).
pub fn dated_label(at: DateTime<FixedOffset>) -> String {
    let day = at.date_naive();
    format!(
        "{} {} {}",
        hearth_core::dates::short_date(day),
        hearth_core::dates::year(day),
        time_label(at.time(), browser::prefers_twelve_hour())
    )
}

/// [`dated_label`] for an instant, in the phone's zone now.
pub fn dated_instant(at: DateTime<Utc>) -> String {
    dated_label(browser::BrowserZone.to_local(at))
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

/// "Sample" beside a made-up person's name, wherever it appears (a word,
/// not a colour, and it prints).
#[component]
pub fn SampleChip() -> impl IntoView {
    view! { <span class="chip chip-sample" title="Made-up sample data">"Sample"</span> }
}

/// On a record about a sample person, or their report: says it is made up.
#[component]
pub fn SampleLine(person: RecordId) -> impl IntoView {
    AppState::get().is_sample(person).then(|| {
        view! {
            <p><SampleChip />" Made-up sample data, to show Hearth in use."</p>
        }
    })
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
    /// The person is made up (sample data).
    #[prop(optional)]
    sample: bool,
) -> impl IntoView {
    let body = note.body().clone();
    let deleted = note.deleted().cloned();
    let amended = note.is_amended();
    let with_person = body.with_person();
    let name = person_name.clone();
    let node = row_ref(note.id());
    view! {
        <li node_ref=node>
            <Link to=Route::Note(note.id()) class="row-link">
                <span class="grow">
                    <span class="row-title">
                        {sample.then(|| view! { <SampleChip />" " })}
                        {name.map(|n| format!("{n} · "))}
                        {when_label(body.occurred_at())}
                    </span>
                    {match deleted {
                        Some(t) => view! {
                            <span class="badge">
                                <Svg icon=Icon::Trash />
                                {format!("Deleted: {}", isolate(&t.reason))}
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

/// A row that brings itself into view (once) when it is the record just
/// written, marked so the carer sees which it is.
fn row_ref(id: RecordId) -> NodeRef<html::Li> {
    let node = NodeRef::<html::Li>::new();
    let just = AppState::get().just_saved;
    Effect::new(move || {
        let Some(li) = node.get() else { return };
        if just.get_untracked() != Some(id) {
            return;
        }
        just.set(None);
        let _ = li.set_attribute("data-just-saved", "");
        // Through Reflect: a typed binding would add glue to the first load.
        let options = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&options, &"block".into(), &"center".into());
        if let Ok(scroll) = js_sys::Reflect::get(&li, &"scrollIntoView".into()) {
            let _ = js_sys::Function::from(scroll).call1(&li, &options);
        }
    });
    node
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

/// The kinds of record the delete dialog can tombstone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A daily note.
    Note,
    /// A wellbeing check-in.
    CheckIn,
    /// A visit or stay log.
    Visit,
    /// A medicine entered by mistake (one that ends is stopped instead).
    Medicine,
    /// A dose's outcome.
    Dose,
    /// Days away.
    Absence,
}

impl Kind {
    fn word(self) -> &'static str {
        match self {
            Kind::Note => "note",
            Kind::CheckIn => "check-in",
            Kind::Visit => "visit log",
            Kind::Medicine => "medicine",
            Kind::Dose => "dose record",
            Kind::Absence => "time away",
        }
    }

    /// Where a deletion goes on to: the person's page, or their medicines.
    fn home(self, person: RecordId) -> Route {
        match self {
            Kind::Note | Kind::CheckIn | Kind::Visit => Route::Person(person),
            Kind::Medicine | Kind::Dose => Route::Medicines(person),
            Kind::Absence => Route::DaysAway(person),
        }
    }
}

/// Asks why a record is being deleted, then leaves a tombstone (who, when,
/// why) through `hearth-core`; the record stays, marked as deleted.
#[component]
pub fn DeleteDialog(
    dialog: NodeRef<html::Dialog>,
    kind: Kind,
    id: RecordId,
    rev: u32,
    person: RecordId,
) -> impl IntoView {
    let state = AppState::get();
    let reason = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    // A screen may hold a dialog per record (a person's doses): ids of its own.
    let field = format!("{}-{id}", field_id("reason"));
    let (hint_id, error_id) = (format!("{field}-hint"), format!("{field}-error"));
    let described = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        move || match error.get() {
            Some(_) => format!("{hint_id} {error_id}"),
            None => hint_id.clone(),
        }
    };
    let focus_id = field.clone();
    let head_id = format!("delete-head-{id}");
    let labelled_by = head_id.clone();
    let close = move || {
        if let Some(d) = dialog.get() {
            d.close();
        }
    };
    let confirm = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let focus_id = focus_id.clone();
        let state = state.clone();
        let why = reason.get_untracked();
        spawn_local(async move {
            let author = state.author();
            let now = browser::now();
            let result = match kind {
                Kind::Note => state
                    .store
                    .change::<Note>(id, |rec| rec.delete(rev, &why, &author, now))
                    .await
                    .map(drop),
                Kind::CheckIn => state
                    .store
                    .change::<CheckIn>(id, |rec| rec.delete(rev, &why, &author, now))
                    .await
                    .map(drop),
                Kind::Visit => state
                    .store
                    .change::<Visit>(id, |rec| rec.delete(rev, &why, &author, now))
                    .await
                    .map(drop),
                Kind::Medicine => state
                    .store
                    .change::<hearth_core::medicine::Medicine>(id, |rec| {
                        rec.delete(rev, &why, &author, now)
                    })
                    .await
                    .map(drop),
                Kind::Dose => state
                    .store
                    .change::<hearth_core::dose::DoseRecord>(id, |rec| {
                        rec.delete(rev, &why, &author, now)
                    })
                    .await
                    .map(drop),
                Kind::Absence => state
                    .store
                    .change::<hearth_core::mar::Absence>(id, |rec| {
                        rec.delete(rev, &why, &author, now)
                    })
                    .await
                    .map(drop),
            };
            match result {
                Ok(()) => {
                    close();
                    state.saved(Some(&format!(
                        "Deleted. The {} stays in the record, marked as deleted.",
                        kind.word()
                    )));
                    replace(&kind.home(person));
                }
                Err(crate::storage::StorageError::Record(RecordError::Invalid(e))) => {
                    error.set(e.message_for("reason").map(str::to_string));
                    if let Some(el) = document().get_element_by_id(&focus_id) {
                        use wasm_bindgen::JsCast;
                        if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                            let _ = el.focus();
                        }
                    }
                }
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    };
    view! {
        <dialog node_ref=dialog aria-labelledby=labelled_by>
            <form on:submit=confirm novalidate autocomplete="off">
                <h2 id=head_id>{format!("Delete this {}?", kind.word())}</h2>
                <p>{format!("The {} stays in the record, marked as deleted, with your name, the time and your reason. This can't be undone.", kind.word())}</p>
                <div class="field">
                    <label for=field.clone()>"Why are you deleting it?"</label>
                    <span class="hint" id=hint_id>"For example: written for the wrong person."</span>
                    <textarea
                        id=field
                        rows="3"
                        prop:value=move || reason.get()
                        on:input=move |ev| reason.set(event_target_value(&ev))
                        aria-invalid=move || error.get().map(|_| "true")
                        aria-describedby=described
                    ></textarea>
                    {move || error.get().map(|m| view! { <p class="error" id=error_id.clone()>{m}</p> })}
                </div>
                <div class="btn-row">
                    <button type="submit" class="btn btn-danger">{format!("Delete {}", kind.word())}</button>
                    <button type="button" class="btn" on:click=move |_| close()>"Keep it"</button>
                </div>
            </form>
        </dialog>
    }
}

/// A check-in in a list: the face and its word, who answered, when.
#[component]
pub fn CheckInCard(
    /// The check-in.
    checkin: Record<CheckIn>,
    /// The person's preferred name.
    name: String,
    /// Show the name first (lists that mix people).
    #[prop(optional)]
    show_name: bool,
    /// The person is made up (sample data).
    #[prop(optional)]
    sample: bool,
) -> impl IntoView {
    let body = checkin.body().clone();
    let deleted = checkin.deleted().cloned();
    let amended = checkin.is_amended();
    let node = row_ref(checkin.id());
    view! {
        <li node_ref=node>
            <Link to=Route::CheckIn(checkin.id()) class="row-link">
                <span class=format!("face-badge mood-{}", body.mood().key())>
                    <crate::components::faces::Face mood=body.mood() />
                </span>
                <span class="grow">
                    <span class="row-title">
                        {sample.then(|| view! { <SampleChip />" " })}
                        {show_name.then(|| format!("{name} · "))}
                        {format!("Check-in: {}", body.mood().label())}
                    </span>
                    <span class="meta">
                        {format!("{} · {}", when_label(body.occurred_at()), body.answered().label(&name))}
                    </span>
                    {deleted.map(|t| view! {
                        <span class="badge"><Svg icon=Icon::Trash />{format!("Deleted: {}", isolate(&t.reason))}</span>
                    })}
                    {(!body.own_words().is_empty()).then(|| view! { <span class="note-text">{format!("“{}”", body.own_words())}</span> })}
                    {amended.then(|| view! { <span class="badge"><Svg icon=Icon::Pencil />"Edited"</span> })}
                </span>
            </Link>
        </li>
    }
}

/// A visit or stay in a list: kind, when, how long.
#[component]
pub fn VisitCard(
    /// The visit.
    visit: Record<Visit>,
    /// The person's name, shown when the list mixes people.
    #[prop(optional)]
    person_name: Option<String>,
    /// The person is made up (sample data).
    #[prop(optional)]
    sample: bool,
) -> impl IntoView {
    let body = visit.body().clone();
    let deleted = visit.deleted().cloned();
    let node = row_ref(visit.id());
    view! {
        <li node_ref=node>
            <Link to=Route::Visit(visit.id()) class="row-link">
                <span class="grow">
                    <span class="row-title">
                        {sample.then(|| view! { <SampleChip />" " })}
                        {person_name.map(|n| format!("{n} · "))}
                        {format!("{}: {}", body.kind().label(), body.length_words())}
                    </span>
                    <span class="meta">{format!("{} to {} · {}", when_label(body.start()), when_label(body.end()), body.place_words())}</span>
                    {deleted.map(|t| view! { <span class="badge"><Svg icon=Icon::Trash />{format!("Deleted: {}", isolate(&t.reason))}</span> })}
                    {(!body.what_happened().is_empty()).then(|| view! { <span class="note-text">{excerpt(body.what_happened())}</span> })}
                    {visit.is_amended().then(|| view! { <span class="badge"><Svg icon=Icon::Pencil />"Edited"</span> })}
                </span>
            </Link>
        </li>
    }
}

/// The banner on a deleted record: who deleted it, when and why.
#[component]
pub fn DeletedBanner(deleted: Option<hearth_core::Tombstone>, kind: Kind) -> impl IntoView {
    deleted.map(|t| {
        view! {
            <div class="banner banner-error" role="status">
                <p>
                    <strong>{format!("This {} was deleted. ", kind.word())}</strong>
                    {format!("{} deleted it {}. Reason: {}", isolate(&t.deleted_by), instant_label(t.deleted_at), isolate(&t.reason))}
                </p>
            </div>
        }
    })
}

/// "Correct this …" and "Delete" for a live record, with the delete dialog.
#[component]
pub fn CorrectOrDelete(
    /// The record's kind.
    kind: Kind,
    /// The record.
    id: RecordId,
    /// The revision on screen.
    rev: u32,
    /// Whose record it is (deleting goes back to their page).
    person: RecordId,
    /// The correction form.
    edit: Route,
) -> impl IntoView {
    let dialog: NodeRef<html::Dialog> = NodeRef::new();
    view! {
        <div class="btn-row">
            <Link to=edit class="btn btn-primary"><Svg icon=Icon::Pencil />{format!("Correct this {}", kind.word())}</Link>
            <button class="btn btn-danger" on:click=move |_| { if let Some(d) = dialog.get() { let _ = d.show_modal(); } }>
                <Svg icon=Icon::Trash />"Delete"
            </button>
        </div>
        <DeleteDialog dialog=dialog kind=kind id=id rev=rev person=person />
    }
}
