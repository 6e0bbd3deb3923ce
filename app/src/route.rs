//! Where the carer is in the app. Routes live in the URL's fragment
//! (`#/people/…`), so the app is one file to any static host and to the
//! service worker, and a reload or a bookmark comes back to the same place.

use hearth_core::RecordId;
use leptos::prelude::*;

/// Every screen of the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// Home: today's notes across people.
    Today,
    /// Everyone the carer supports.
    People,
    /// Add a person.
    NewPerson,
    /// One person's page.
    Person(RecordId),
    /// Edit a person's details.
    EditPerson(RecordId),
    /// Write a note, for a person if one is chosen.
    NewNote(Option<RecordId>),
    /// One note with its history.
    Note(RecordId),
    /// Correct a note (an amendment).
    EditNote(RecordId),
    /// A wellbeing check-in, for a person if one is chosen.
    NewCheckIn(Option<RecordId>),
    /// One check-in with its history.
    CheckIn(RecordId),
    /// Correct a check-in (an amendment).
    EditCheckIn(RecordId),
    /// The person-facing check-in: large faces, for handing the phone over.
    Ask(RecordId),
    /// A person's printable report for one month (year, month 1 to 12).
    Report(RecordId, i32, u32),
    /// Settings, install, storage, about.
    More,
}

impl Route {
    /// Reads a location fragment such as `#/people/<id>`. Anything unknown is Today.
    pub fn parse(hash: &str) -> Route {
        let path = hash.trim_start_matches('#').trim_start_matches('/');
        let (path, query) = path.split_once('?').unwrap_or((path, ""));
        let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
        let id = |s: &str| s.parse::<RecordId>().ok();
        let query_person = query
            .split('&')
            .find_map(|kv| kv.strip_prefix("person="))
            .and_then(id);
        match parts.as_slice() {
            ["people"] => Route::People,
            ["people", "new"] => Route::NewPerson,
            ["people", p] => id(p).map_or(Route::People, Route::Person),
            ["people", p, "edit"] => id(p).map_or(Route::People, Route::EditPerson),
            ["people", p, "report", month] => match (id(p), month.split_once('-')) {
                (Some(p), Some((y, m))) => match (y.parse(), m.parse()) {
                    (Ok(y), Ok(m)) if (1..=12).contains(&m) => Route::Report(p, y, m),
                    _ => Route::Person(p),
                },
                (Some(p), None) => Route::Person(p),
                _ => Route::People,
            },
            ["notes", "new"] => Route::NewNote(query_person),
            ["notes", n] => id(n).map_or(Route::Today, Route::Note),
            ["notes", n, "edit"] => id(n).map_or(Route::Today, Route::EditNote),
            ["checkins", "new"] => Route::NewCheckIn(query_person),
            ["checkins", c] => id(c).map_or(Route::Today, Route::CheckIn),
            ["checkins", c, "edit"] => id(c).map_or(Route::Today, Route::EditCheckIn),
            ["ask", p] => id(p).map_or(Route::Today, Route::Ask),
            ["more"] => Route::More,
            _ => Route::Today,
        }
    }

    /// The fragment that leads here.
    pub fn href(&self) -> String {
        match self {
            Route::Today => "#/".into(),
            Route::People => "#/people".into(),
            Route::NewPerson => "#/people/new".into(),
            Route::Person(id) => format!("#/people/{id}"),
            Route::EditPerson(id) => format!("#/people/{id}/edit"),
            Route::NewNote(None) => "#/notes/new".into(),
            Route::NewNote(Some(p)) => format!("#/notes/new?person={p}"),
            Route::Note(id) => format!("#/notes/{id}"),
            Route::EditNote(id) => format!("#/notes/{id}/edit"),
            Route::NewCheckIn(None) => "#/checkins/new".into(),
            Route::NewCheckIn(Some(p)) => format!("#/checkins/new?person={p}"),
            Route::CheckIn(id) => format!("#/checkins/{id}"),
            Route::EditCheckIn(id) => format!("#/checkins/{id}/edit"),
            Route::Ask(p) => format!("#/ask/{p}"),
            Route::Report(p, y, m) => format!("#/people/{p}/report/{y:04}-{m:02}"),
            Route::More => "#/more".into(),
        }
    }

    /// Which bottom-bar place this screen belongs to.
    pub fn tab(&self) -> Tab {
        match self {
            Route::Today
            | Route::NewNote(_)
            | Route::Note(_)
            | Route::EditNote(_)
            | Route::NewCheckIn(_)
            | Route::CheckIn(_)
            | Route::EditCheckIn(_) => Tab::Today,
            Route::People
            | Route::NewPerson
            | Route::Person(_)
            | Route::EditPerson(_)
            | Route::Ask(_)
            | Route::Report(..) => Tab::People,
            Route::More => Tab::More,
        }
    }
}

/// The places in the bottom navigation bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    /// Home.
    Today,
    /// People.
    People,
    /// Settings and the rest.
    More,
}

fn current_hash() -> String {
    window().location().hash().unwrap_or_default()
}

/// The current route as a signal that follows the fragment, including the
/// browser's back and forward buttons.
pub fn use_route() -> ReadSignal<Route> {
    let (route, set_route) = signal(Route::parse(&current_hash()));
    let handle = window_event_listener(leptos::ev::hashchange, move |_| {
        set_route.set(Route::parse(&current_hash()));
        // A new screen starts at its top.
        window().scroll_to_with_x_and_y(0.0, 0.0);
    });
    on_cleanup(move || handle.remove());
    route
}

/// Goes to a route, adding it to the browser's history.
pub fn navigate(to: &Route) {
    let _ = window().location().set_hash(&to.href());
}

/// Goes to a route in place of the current one (after a save, so Back does not
/// return to the filled-in form).
pub fn replace(to: &Route) {
    if let Ok(history) = window().history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&to.href()));
        let _ = window().dispatch_event(&web_sys::Event::new("hashchange").expect("an event"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    fn fragments_round_trip_and_junk_goes_home() {
        let id = RecordId::from_random_bytes([9; 16]);
        for r in [
            Route::Today,
            Route::People,
            Route::NewPerson,
            Route::Person(id),
            Route::EditPerson(id),
            Route::NewNote(None),
            Route::NewNote(Some(id)),
            Route::Note(id),
            Route::EditNote(id),
            Route::NewCheckIn(None),
            Route::NewCheckIn(Some(id)),
            Route::CheckIn(id),
            Route::EditCheckIn(id),
            Route::Ask(id),
            Route::Report(id, 2026, 11),
            Route::More,
        ] {
            assert_eq!(Route::parse(&r.href()), r);
        }
        assert_eq!(Route::parse(""), Route::Today);
        assert_eq!(Route::parse("#/nowhere"), Route::Today);
        assert_eq!(Route::parse("#/people/not-an-id"), Route::People);
        assert_eq!(
            Route::parse(&format!("#/people/{id}/report/2026-13")),
            Route::Person(id)
        );
    }
}
