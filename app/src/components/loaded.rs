//! Loading one stored record for a screen: the calm loading state, then the
//! record, or plain words when it isn't there or storage failed.

use crate::components::nav::PageHeader;
use crate::route::Route;
use crate::state::AppState;
use crate::storage::Stored;
use hearth_core::{Record, RecordId};
use leptos::prelude::*;

/// Every record of a kind whose `person` is `who`, read again after every
/// save (the few hundred medicines or days away a household has).
pub fn theirs<T: Stored + 'static>(
    who: RecordId,
    person: fn(&T) -> RecordId,
) -> LocalResource<Result<Vec<Record<T>>, crate::storage::StorageError>> {
    let state = AppState::get();
    let (store, revision) = (state.store.clone(), state.revision);
    LocalResource::new(move || {
        revision.track();
        let store = store.clone();
        async move {
            let mut all = store.all::<T>().await?;
            all.retain(|r| person(r.body()) == who);
            Ok(all)
        }
    })
}

/// What the screen shows around the record while it loads or if it can't.
#[derive(Clone)]
pub struct Frame {
    /// The screen's title while loading or on a problem.
    pub title: &'static str,
    /// Where "Back" goes.
    pub back: Route,
    /// What to say when the record isn't on this phone.
    pub missing: String,
    /// Read it again after every save (detail screens), or once (forms).
    pub follow_saves: bool,
}

fn message(frame: &Frame, text: String, alert: bool) -> AnyView {
    screen_message(frame.title, frame.back.clone(), text, alert)
}

/// A screen that only says something: loading, not found, or a problem.
pub fn screen_message(title: &'static str, back: Route, text: String, alert: bool) -> AnyView {
    view! {
        <PageHeader title=title back=back />
        <main class="page">
            {if alert {
                view! { <div class="banner banner-error" role="alert"><p>{text}</p></div> }.into_any()
            } else {
                view! { <p>{text}</p> }.into_any()
            }}
        </main>
    }
    .into_any()
}

/// Reads record `id` of kind `T` and shows it with `show`.
pub fn loaded<T, F>(id: RecordId, frame: Frame, show: F) -> impl IntoView
where
    T: Stored + Send + Sync + 'static,
    F: Fn(Record<T>) -> AnyView + Send + Sync + 'static,
{
    let state = AppState::get();
    let store = state.store.clone();
    let revision = state.revision;
    let follow = frame.follow_saves;
    let record = LocalResource::new(move || {
        if follow {
            revision.track();
        }
        let store = store.clone();
        async move { store.get::<T>(id).await }
    });
    let waiting = frame.clone();
    view! {
        <Suspense fallback=move || message(&waiting, "Loading…".into(), false)>
            {move || record.get().map(|r| match r {
                Ok(Some(rec)) => show(rec),
                Ok(None) => message(&frame, frame.missing.clone(), false),
                Err(e) => message(&frame, e.to_string(), true),
            })}
        </Suspense>
    }
}

/// Reads the record a correction form starts from. A deleted record can't be
/// corrected, and the screen says so instead of showing the form.
pub fn for_correction<T, F>(
    id: RecordId,
    title: &'static str,
    back: Route,
    noun: &'static str,
    editor: F,
) -> AnyView
where
    T: Stored + Send + Sync + 'static,
    F: Fn(Record<T>) -> AnyView + Send + Sync + 'static,
{
    let frame = Frame {
        title,
        back: back.clone(),
        missing: format!("This {noun} isn't on this phone."),
        follow_saves: false,
    };
    loaded::<T, _>(id, frame, move |record| {
        if record.is_live() {
            editor(record)
        } else {
            let text = format!("This {noun} was deleted, so it can't be corrected.");
            screen_message(title, back.clone(), text, false)
        }
    })
    .into_any()
}
