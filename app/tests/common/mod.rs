//! Helpers the in-browser tests share; each test binary uses a different subset.
#![allow(dead_code)]

use chrono::{DateTime, Timelike, Utc};
use hearth_app::pwa::{Persistence, Pwa};
use hearth_app::state::AppState;
use hearth_app::storage::migrations::LATEST;
use hearth_app::storage::Store;
use hearth_core::{CarerProfileDraft, RecordId};
use indexed_db_futures::database::Database;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

pub fn random_id() -> RecordId {
    RecordId::from_random_bytes(std::array::from_fn(|_| {
        (js_sys::Math::random() * 256.0) as u8
    }))
}

/// A database name no other test (or earlier run) uses.
pub fn db_name(test: &str) -> String {
    format!("hearth-test-{test}-{}", random_id())
}

/// Opens (creating it if need be) the database `name` at the current schema.
pub async fn open(name: &str) -> Store {
    Store::open_at(name, LATEST, || {})
        .await
        .unwrap_or_else(|e| panic!("opening {name}: {e:?}"))
}

/// Closes the connection and deletes the database.
pub async fn finish(name: &str, store: Store) {
    store.close();
    Database::delete_by_name(name)
        .expect("a delete request")
        .await
        .unwrap_or_else(|e| panic!("deleting {name}: {e:?}"));
}

#[wasm_bindgen]
extern "C" {
    /// `performance.now()`, bound here because this crate does not enable
    /// web-sys's `Performance` feature (and `Date.now()` counts whole
    /// milliseconds only).
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn performance_now() -> f64;
}

/// The browser's high-resolution clock, in milliseconds.
pub fn ms() -> f64 {
    performance_now()
}

/// The phone's clock, to the minute (record times have no seconds).
pub fn now_to_the_minute() -> DateTime<Utc> {
    let now = DateTime::from_timestamp_millis(js_sys::Date::now() as i64).expect("a real clock");
    now.with_second(0)
        .and_then(|t| t.with_nanosecond(0))
        .expect("a whole minute")
}

/// The median and the largest of some timings.
pub fn median_max(timings: &[f64]) -> (f64, f64) {
    let mut sorted = timings.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    let median = if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
    };
    (median, sorted[n - 1])
}

/// One line of figures: `name`, left-aligned in `width` columns, then the
/// median and the largest of `timings`.
pub fn figure(name: &str, width: usize, timings: &[f64]) -> String {
    let (median, max) = median_max(timings);
    format!("{name:<width$} median {median:>8.1} ms   max {max:>8.1} ms")
}

/// How many elements under `root` have the class `class`.
pub fn count(root: &web_sys::Element, class: &str) -> usize {
    root.get_elements_by_class_name(class).length() as usize
}

/// The page's document.
pub fn document() -> web_sys::Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect("a document")
}

/// A new, empty div attached to the document's body, to mount a view into.
pub fn attached_div() -> web_sys::HtmlElement {
    let document = document();
    let host: web_sys::HtmlElement = document
        .create_element("div")
        .expect("a div")
        .unchecked_into();
    // First in the page, where a screen is: in view, so it is painted.
    let body = document.body().expect("a body");
    body.insert_before(&host, body.first_child().as_ref())
        .expect("the div attached");
    host
}

/// The carer's profile, saved, for a screen that needs one.
pub async fn saved_profile(
    store: &Store,
    carer: &str,
    now: DateTime<Utc>,
) -> hearth_core::Record<hearth_core::CarerProfile> {
    let profile = CarerProfileDraft {
        carer_name: carer.into(),
        household_name: "Ann and Dev's".into(),
    }
    .validate()
    .expect("a valid profile");
    store
        .save_profile(random_id(), profile, now)
        .await
        .expect("the profile saved")
}

/// The shared state, as `shell::Ready` builds it, to mount a screen with.
pub async fn app_state(
    store: &Store,
    profile: hearth_core::Record<hearth_core::CarerProfile>,
) -> AppState {
    AppState {
        store: store.clone(),
        profile: RwSignal::new(Some(profile)),
        people: RwSignal::new(store.people().await.expect("people read")),
        revision: RwSignal::new(0),
        toast: RwSignal::new(None),
        dirty: RwSignal::new(false),
        pwa: Pwa {
            update_ready: RwSignal::new(false),
            can_install: RwSignal::new(false),
            installed: RwSignal::new(false),
            ios: false,
            persistence: RwSignal::new(Persistence::Unknown),
            usage: RwSignal::new(None),
        },
        running: RwSignal::new(Vec::new()),
        beds: RwSignal::new(1),
        last_backup: RwSignal::new(None),
        last_change: RwSignal::new(None),
        sync: hearth_app::sync::Sync::new(None, Default::default()),
        place: RwSignal::new(hearth_app::route::Tab::People),
        just_saved: RwSignal::new(None),
    }
}
