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
    /// Log a visit or stay, for a person and from a planned stay if given.
    NewVisit(Option<RecordId>, Option<RecordId>),
    /// End a person's running visit: the log form, pre-filled.
    EndVisit(RecordId),
    /// One visit or stay with its history.
    Visit(RecordId),
    /// Correct a visit (an amendment).
    EditVisit(RecordId),
    /// The diary of planned stays.
    Stays,
    /// Plan a stay, for a person if one is chosen.
    NewStay(Option<RecordId>),
    /// One planned stay.
    Stay(RecordId),
    /// Change a planned stay.
    EditStay(RecordId),
    /// A person's medicines.
    Medicines(RecordId),
    /// Add a medicine for a person.
    NewMedicine(RecordId),
    /// Change a prescription: a new version from its own date.
    ChangeMedicine(RecordId),
    /// Record the written confirmation of a change taken by phone.
    ConfirmMedicine(RecordId),
    /// A person's MAR chart for one month (year, month 1 to 12), with its
    /// audit.
    MedicineChart(RecordId, i32, u32),
    /// A person's MAR chart for a pharmacy's 28-day cycle from a day.
    MedicineCycle(RecordId, chrono::NaiveDate),
    /// A person's days away (hospital, family): every dose in them is coded
    /// as away.
    DaysAway(RecordId),
    /// Record a dose's outcome: a scheduled dose (its slot's key), or a
    /// "when needed" one (empty).
    RecordDose(RecordId, String),
    /// Correct a recorded dose (an amendment).
    CorrectDose(RecordId),
    /// The easy-read "My stays" view for a person and their family.
    MyStays(RecordId),
    /// Send a person's stays to their own phone: a link and a QR code.
    SendStays(RecordId),
    /// The month's totals for payment claims (year, month).
    Summary(i32, u32),
    /// Settings, install, storage, about.
    More,
    /// A "My stays" link opened on the person's or their family's phone
    /// (the text after `#/follow/`).
    Follow(String),
    /// Everyone whose stays were sent to this phone.
    Following,
    /// One followed person's stays.
    Followed(RecordId),
}

impl Route {
    /// Reads a location fragment such as `#/people/<id>`. Anything unknown is Today.
    pub fn parse(hash: &str) -> Route {
        let path = hash.trim_start_matches('#').trim_start_matches('/');
        let (path, query) = path.split_once('?').unwrap_or((path, ""));
        let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
        let id = |s: &str| s.parse::<RecordId>().ok();
        let query_id = |key: &str| {
            query
                .split('&')
                .find_map(|kv| kv.strip_prefix(key)?.strip_prefix('='))
                .and_then(id)
        };
        let query_person = query_id("person");
        let month = |text: &str| {
            let (y, m) = text.split_once('-')?;
            let (y, m) = (y.parse().ok()?, m.parse().ok()?);
            (1..=12).contains(&m).then_some((y, m))
        };
        match parts.as_slice() {
            ["people"] => Route::People,
            ["people", "new"] => Route::NewPerson,
            ["people", p] => id(p).map_or(Route::People, Route::Person),
            ["people", p, "edit"] => id(p).map_or(Route::People, Route::EditPerson),
            ["people", p, "medicines"] => id(p).map_or(Route::People, Route::Medicines),
            ["people", p, "medicines", "new"] => id(p).map_or(Route::People, Route::NewMedicine),
            ["medicines", m, "change"] => id(m).map_or(Route::People, Route::ChangeMedicine),
            ["medicines", m, "confirm"] => id(m).map_or(Route::People, Route::ConfirmMedicine),
            ["medicines", m, "dose"] => {
                id(m).map_or(Route::Today, |m| Route::RecordDose(m, String::new()))
            }
            ["doses", d, "correct"] => id(d).map_or(Route::Today, Route::CorrectDose),
            ["medicines", m, "dose", slot] => {
                id(m).map_or(Route::Today, |m| Route::RecordDose(m, slot.to_string()))
            }
            ["people", p, "mar", "from", d] => {
                match (id(p), hearth_core::dates::parse_form_date(d)) {
                    (Some(p), Some(d)) => Route::MedicineCycle(p, d),
                    (Some(p), None) => Route::Medicines(p),
                    _ => Route::People,
                }
            }
            ["people", p, "mar", m] => match (id(p), month(m)) {
                (Some(p), Some((y, m))) => Route::MedicineChart(p, y, m),
                (Some(p), None) => Route::Medicines(p),
                _ => Route::People,
            },
            ["people", p, "away"] => id(p).map_or(Route::People, Route::DaysAway),
            ["people", p, "report", m] => match (id(p), month(m)) {
                (Some(p), Some((y, m))) => Route::Report(p, y, m),
                (Some(p), None) => Route::Person(p),
                _ => Route::People,
            },
            ["visits", "new"] => Route::NewVisit(query_person, query_id("stay")),
            ["visits", "end", p] => id(p).map_or(Route::Today, Route::EndVisit),
            ["visits", v] => id(v).map_or(Route::Today, Route::Visit),
            ["visits", v, "edit"] => id(v).map_or(Route::Today, Route::EditVisit),
            ["stays"] => Route::Stays,
            ["stays", "new"] => Route::NewStay(query_person),
            ["stays", "summary", m] => month(m).map_or(Route::Stays, |(y, m)| Route::Summary(y, m)),
            ["stays", st] => id(st).map_or(Route::Stays, Route::Stay),
            ["stays", st, "edit"] => id(st).map_or(Route::Stays, Route::EditStay),
            ["mystays", p] => id(p).map_or(Route::Stays, Route::MyStays),
            ["mystays", p, "send"] => id(p).map_or(Route::Stays, Route::SendStays),
            ["follow", data] => Route::Follow(data.to_string()),
            ["following"] => Route::Following,
            ["following", p] => id(p).map_or(Route::Following, Route::Followed),
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
            Route::Medicines(p) => format!("#/people/{p}/medicines"),
            Route::NewMedicine(p) => format!("#/people/{p}/medicines/new"),
            Route::ChangeMedicine(m) => format!("#/medicines/{m}/change"),
            Route::ConfirmMedicine(m) => format!("#/medicines/{m}/confirm"),
            Route::MedicineChart(p, y, m) => format!("#/people/{p}/mar/{y:04}-{m:02}"),
            Route::MedicineCycle(p, d) => {
                format!(
                    "#/people/{p}/mar/from/{}",
                    hearth_core::dates::form_date(*d)
                )
            }
            Route::DaysAway(p) => format!("#/people/{p}/away"),
            Route::RecordDose(m, slot) if slot.is_empty() => format!("#/medicines/{m}/dose"),
            Route::RecordDose(m, slot) => format!("#/medicines/{m}/dose/{slot}"),
            Route::CorrectDose(d) => format!("#/doses/{d}/correct"),
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
            Route::NewVisit(p, stay) => {
                let mut query = Vec::new();
                if let Some(p) = p {
                    query.push(format!("person={p}"));
                }
                if let Some(s) = stay {
                    query.push(format!("stay={s}"));
                }
                if query.is_empty() {
                    "#/visits/new".into()
                } else {
                    format!("#/visits/new?{}", query.join("&"))
                }
            }
            Route::EndVisit(p) => format!("#/visits/end/{p}"),
            Route::Visit(id) => format!("#/visits/{id}"),
            Route::EditVisit(id) => format!("#/visits/{id}/edit"),
            Route::Stays => "#/stays".into(),
            Route::NewStay(None) => "#/stays/new".into(),
            Route::NewStay(Some(p)) => format!("#/stays/new?person={p}"),
            Route::Stay(id) => format!("#/stays/{id}"),
            Route::EditStay(id) => format!("#/stays/{id}/edit"),
            Route::MyStays(p) => format!("#/mystays/{p}"),
            Route::SendStays(p) => format!("#/mystays/{p}/send"),
            Route::Follow(data) => format!("#/follow/{data}"),
            Route::Following => "#/following".into(),
            Route::Followed(p) => format!("#/following/{p}"),
            Route::Summary(y, m) => format!("#/stays/summary/{y:04}-{m:02}"),
            Route::More => "#/more".into(),
        }
    }

    /// Screens handed to the person: nothing of the carer's app around them.
    pub fn handed_over(&self) -> bool {
        matches!(self, Route::Ask(_) | Route::MyStays(_))
    }

    /// The stays sent to this phone: screens apart from the carer's app,
    /// which never opens its records for them.
    pub fn is_following(&self) -> bool {
        matches!(
            self,
            Route::Follow(_) | Route::Following | Route::Followed(_)
        )
    }

    /// Which bottom-bar place this screen belongs to; `None` for a record's
    /// screens, which belong to the place they were opened from (a note
    /// written from a person's page is under People, from Today under Today).
    pub fn tab(&self) -> Option<Tab> {
        Some(match self {
            Route::NewNote(_)
            | Route::Note(_)
            | Route::EditNote(_)
            | Route::NewCheckIn(_)
            | Route::CheckIn(_)
            | Route::EditCheckIn(_)
            | Route::NewVisit(..)
            | Route::EndVisit(_)
            | Route::Visit(_)
            | Route::EditVisit(_)
            | Route::RecordDose(..)
            | Route::CorrectDose(_) => return None,
            Route::Today => Tab::Today,
            Route::Stays
            | Route::NewStay(_)
            | Route::Stay(_)
            | Route::EditStay(_)
            | Route::MyStays(_)
            | Route::SendStays(_)
            | Route::Summary(..) => Tab::Stays,
            Route::People
            | Route::NewPerson
            | Route::Person(_)
            | Route::EditPerson(_)
            | Route::Ask(_)
            | Route::Medicines(_)
            | Route::NewMedicine(_)
            | Route::ChangeMedicine(_)
            | Route::ConfirmMedicine(_)
            | Route::MedicineChart(..)
            | Route::MedicineCycle(..)
            | Route::DaysAway(_)
            | Route::Report(..) => Tab::People,
            Route::More => Tab::More,
            Route::Follow(_) | Route::Following | Route::Followed(_) => return None,
        })
    }
}

/// The places in the bottom navigation bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    /// Home.
    Today,
    /// People.
    People,
    /// Planned stays.
    Stays,
    /// Settings and the rest.
    More,
}

/// The location's fragment, `#/…`.
pub fn current_hash() -> String {
    window().location().hash().unwrap_or_default()
}

/// The current route as a signal that follows the fragment, including the
/// browser's back and forward buttons. Under the app's state, Back from a
/// form with unsaved text asks first, as a link does; staying puts the
/// form's address back, text and all.
pub fn use_route() -> ReadSignal<Route> {
    let (route, set_route) = signal(Route::parse(&current_hash()));
    let state = use_context::<crate::state::AppState>();
    let handle = window_event_listener(leptos::ev::hashchange, move |ev| {
        if let Some(state) = &state {
            if !state.may_leave() {
                let old = js_sys::Reflect::get(&ev, &"oldURL".into())
                    .ok()
                    .and_then(|u| u.as_string());
                if let (Some(old), Ok(history)) = (old, window().history()) {
                    let _ =
                        history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&old));
                }
                return;
            }
        }
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
            Route::Medicines(id),
            Route::NewMedicine(id),
            Route::ChangeMedicine(id),
            Route::ConfirmMedicine(id),
            Route::RecordDose(id, String::new()),
            Route::RecordDose(id, "2026-03-29T08:00".into()),
            Route::CorrectDose(id),
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
            Route::MedicineChart(id, 2026, 3),
            Route::MedicineCycle(id, chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap()),
            Route::DaysAway(id),
            Route::NewVisit(None, None),
            Route::NewVisit(Some(id), None),
            Route::NewVisit(Some(id), Some(id)),
            Route::EndVisit(id),
            Route::Visit(id),
            Route::EditVisit(id),
            Route::Stays,
            Route::NewStay(None),
            Route::NewStay(Some(id)),
            Route::Stay(id),
            Route::EditStay(id),
            Route::MyStays(id),
            Route::SendStays(id),
            Route::Summary(2026, 1),
            Route::More,
            Route::Follow("ABC234.XYZ567".into()),
            Route::Following,
            Route::Followed(id),
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
