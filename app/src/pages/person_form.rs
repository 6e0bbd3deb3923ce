//! Add a person, or edit their details (an amendment: the earlier details are
//! kept in the record's history). Archiving lives here too.

use crate::browser;
use crate::components::form::{Field, FormSignals, Kind, SaveError, Tick};
use crate::components::icons::{Icon, Svg};
use crate::components::nav::PageHeader;
use crate::route::{replace, Route};
use crate::state::AppState;
use hearth_core::{Arrangement, ContactDraft, Person, PersonDraft, Record, RecordError, RecordId};
use leptos::prelude::*;
use leptos::task::spawn_local;

#[derive(Clone, Copy)]
struct ContactRow {
    name: RwSignal<String>,
    role: RwSignal<String>,
    phone: RwSignal<String>,
}

impl ContactRow {
    fn new(c: &ContactDraft) -> Self {
        ContactRow {
            name: RwSignal::new(c.name.clone()),
            role: RwSignal::new(c.role.clone()),
            phone: RwSignal::new(c.phone.clone()),
        }
    }
}

/// The person form; `id` is `None` for a new person.
#[component]
pub fn PersonForm(id: Option<RecordId>) -> impl IntoView {
    let state = AppState::get();
    let stored: Option<Record<Person>> = id.and_then(|id| state.person(id));
    if id.is_some() && stored.is_none() {
        return view! {
            <PageHeader title="Not found" back=Route::People />
            <main class="page"><p>"This person isn't on this phone."</p></main>
        }
        .into_any();
    }
    let draft = stored
        .as_ref()
        .map(|p| PersonDraft::from_person(p.body()))
        .unwrap_or_default();
    let preferred_name = RwSignal::new(draft.preferred_name.clone());
    let full_name = RwSignal::new(draft.full_name.clone());
    let arrangements: Vec<(Arrangement, RwSignal<bool>)> = Arrangement::ALL
        .iter()
        .map(|a| (*a, RwSignal::new(draft.arrangements.contains(a))))
        .collect();
    let date_of_birth = RwSignal::new(draft.date_of_birth.clone());
    let communication = RwSignal::new(draft.communication.clone());
    let what_matters = RwSignal::new(draft.what_matters.clone());
    let allergies = RwSignal::new(draft.allergies.clone());
    let gp = RwSignal::new(draft.gp.clone());
    let contacts = RwSignal::new(
        draft
            .contacts
            .iter()
            .map(ContactRow::new)
            .collect::<Vec<_>>(),
    );
    let form = FormSignals::new();
    let (errors, save_error, busy) = (form.errors, form.save_error, form.busy);
    let archived = draft.archived;

    let read = {
        let arrangements = arrangements.clone();
        move || PersonDraft {
            preferred_name: preferred_name.get_untracked(),
            full_name: full_name.get_untracked(),
            arrangements: arrangements
                .iter()
                .filter(|(_, on)| on.get_untracked())
                .map(|(a, _)| *a)
                .collect(),
            date_of_birth: date_of_birth.get_untracked(),
            communication: communication.get_untracked(),
            what_matters: what_matters.get_untracked(),
            contacts: contacts
                .get_untracked()
                .iter()
                .map(|c| ContactDraft {
                    name: c.name.get_untracked(),
                    role: c.role.get_untracked(),
                    phone: c.phone.get_untracked(),
                })
                .collect(),
            archived,
            allergies: allergies.get_untracked(),
            gp: gp.get_untracked(),
        }
    };

    let save = {
        let state = state.clone();
        let stored = stored.clone();
        move |body: Person, done: &'static str| {
            let state = state.clone();
            let stored = stored.clone();
            busy.set(true);
            spawn_local(async move {
                let result = state.save(stored.as_ref(), body).await;
                busy.set(false);
                match result {
                    Ok(saved) => {
                        let to = if saved.body().is_archived() {
                            Route::People
                        } else {
                            Route::Person(saved.id())
                        };
                        state.upsert_person(saved);
                        state.show_toast(done);
                        replace(&to);
                    }
                    Err(crate::storage::StorageError::Record(RecordError::Unchanged)) => {
                        state.dirty.set(false);
                        state.show_toast("Nothing changed");
                        if let Some(p) = &stored {
                            replace(&Route::Person(p.id()));
                        }
                    }
                    Err(e) => save_error.set(Some(e.to_string())),
                }
            });
        }
    };

    let submit = {
        let save = save.clone();
        let read = read.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            if let Some(body) = form.check(read().validate(browser::today())) {
                save(
                    body,
                    if id.is_some() {
                        "Details saved"
                    } else {
                        "Person added"
                    },
                );
            }
        }
    };

    let archive = {
        let save = save.clone();
        let stored = stored.clone();
        move |_| {
            let Some(p) = &stored else { return };
            let name = p.body().display_name();
            let sure = window()
                .confirm_with_message(&format!(
                    "Archive {name}? Their records are kept, and you can bring {name} back from People."
                ))
                .unwrap_or(false);
            if sure {
                save(p.body().with_archived(true), "Archived");
            }
        }
    };

    let title = match &stored {
        Some(p) => format!("Edit {}", p.body().display_name()),
        None => "Add a person".to_string(),
    };
    let back = stored
        .as_ref()
        .map_or(Route::People, |p| Route::Person(p.id()));
    let dirty = state.dirty;
    let arrangement_error =
        Memo::new(move |_| errors.with(|e| e.message_for("arrangements").map(str::to_string)));
    let max_date = hearth_core::dates::form_date(browser::today());

    view! {
        <PageHeader title=title back=back />
        <main class="page">
            <form on:submit=submit on:input=move |_| dirty.set(true) on:change=move |_| dirty.set(true) novalidate autocomplete="off">
                <Field label="Preferred name".into() name="preferred_name" value=preferred_name errors=errors
                    hint="The name they like to be called. Hearth uses it everywhere." />
                <Field label="Full name".into() name="full_name" value=full_name errors=errors optional=true autocomplete="off" />
                <fieldset class="field" aria-describedby=move || arrangement_error.get().map(|_| "f-arrangements-error")>
                    <legend>"Kind of support"</legend>
                    <span class="hint">"Choose all that apply."</span>
                    {arrangements.iter().enumerate().map(|(i, (a, on))| {
                        let id = (i == 0).then(|| "f-arrangements".to_string());
                        view! { <Tick label=a.label().to_string() checked=*on id=id /> }
                    }).collect_view()}
                    {move || arrangement_error.get().map(|m| view! { <p class="error" id="f-arrangements-error">{m}</p> })}
                </fieldset>
                <Field label="Date of birth".into() name="date_of_birth" value=date_of_birth errors=errors kind=Kind::Date optional=true max=max_date />
                <Field label="What matters to them".into() name="what_matters" value=what_matters errors=errors kind=Kind::Multiline optional=true
                    hint="In their own words where you can: people, pets, routines, likes and dislikes." />
                <Field label="Communication".into() name="communication" value=communication errors=errors kind=Kind::Multiline optional=true
                    hint="How they communicate, and how best to talk with them." />
                <fieldset class="field">
                    <legend>"Key contacts"<span class="muted">" (optional)"</span></legend>
                    {move || contacts.get().into_iter().enumerate().map(|(i, c)| view! {
                        <div class="contact-row">
                            <Field label=format!("Contact {} name", i + 1) name=format!("contacts.{i}.name") value=c.name errors=errors />
                            <Field label="Who they are".into() name=format!("contacts.{i}.role") value=c.role errors=errors optional=true
                                hint="For example Mum, social worker, GP." />
                            <Field label="Phone".into() name=format!("contacts.{i}.phone") value=c.phone errors=errors kind=Kind::Tel optional=true />
                            <button type="button" class="btn btn-quiet" on:click=move |_| contacts.update(|list| { list.remove(i); })>
                                {format!("Remove contact {}", i + 1)}
                            </button>
                        </div>
                    }).collect_view()}
                    <button type="button" class="btn" on:click=move |_| contacts.update(|list| list.push(ContactRow::new(&ContactDraft::default())))>
                        <Svg icon=Icon::Plus />"Add a contact"
                    </button>
                </fieldset>
                <fieldset class="field">
                    <legend>"Health"<span class="muted">" (optional)"</span></legend>
                    <Field label="Allergies and reactions".into() name="allergies" value=allergies errors=errors kind=Kind::Multiline optional=true
                        hint="Medicines, foods or anything else, and what happens. Write \"None known\" if there are none." />
                    <Field label="GP practice".into() name="gp" value=gp errors=errors optional=true />
                </fieldset>
                <SaveError message=save_error />
                <div class="form-actions">
                    <button class="btn btn-primary btn-block" type="submit" disabled=move || busy.get()>
                        {if id.is_some() { "Save changes" } else { "Add person" }}
                    </button>
                </div>
            </form>
            {(stored.is_some() && !archived).then(|| view! {
                <h2>"No longer supporting them?"</h2>
                <p class="muted">"Archiving takes them off your lists. Their records are kept."</p>
                <button type="button" class="btn btn-danger" on:click=archive>
                    <Svg icon=Icon::Archive />"Archive"
                </button>
            })}
        </main>
    }
    .into_any()
}
