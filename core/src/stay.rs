//! Planned stays: the diary of short breaks (respite), which the person and
//! their family can read in the easy-read "My stays" view.

use crate::dates;
use crate::id::RecordId;
use crate::record::Body;
use crate::validate::{text, ValidationErrors};
use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

/// Where a planned stay is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StayStatus {
    /// Pencilled in.
    Planned,
    /// Agreed with the person, family and scheme.
    Confirmed,
    /// Not happening (kept, so the change can be seen).
    Cancelled,
}

impl StayStatus {
    /// Every status, in form order.
    pub const ALL: [StayStatus; 3] = [
        StayStatus::Planned,
        StayStatus::Confirmed,
        StayStatus::Cancelled,
    ];

    /// The word on screen.
    pub fn label(self) -> &'static str {
        match self {
            StayStatus::Planned => "Planned",
            StayStatus::Confirmed => "Confirmed",
            StayStatus::Cancelled => "Cancelled",
        }
    }
}

/// A planned stay. Made only by [`PlannedStayDraft::validate`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedStay {
    person_id: RecordId,
    arrival: NaiveDate,
    departure: NaiveDate,
    #[serde(default)]
    arrival_time: Option<NaiveTime>,
    #[serde(default)]
    departure_time: Option<NaiveTime>,
    status: StayStatus,
    #[serde(default)]
    notes_for_person: String,
    host: String,
}

impl Body for PlannedStay {
    const SCHEMA: u32 = 1;
    const KIND: &'static str = "planned_stay";
}

/// The longest stay that can be planned, in nights.
pub const MAX_PLANNED_NIGHTS: i64 = 366;

impl PlannedStay {
    /// Who is staying.
    pub fn person_id(&self) -> RecordId {
        self.person_id
    }
    /// The day they arrive.
    pub fn arrival(&self) -> NaiveDate {
        self.arrival
    }
    /// The day they leave.
    pub fn departure(&self) -> NaiveDate {
        self.departure
    }
    /// The arrival time, if agreed.
    pub fn arrival_time(&self) -> Option<NaiveTime> {
        self.arrival_time
    }
    /// The departure time, if agreed.
    pub fn departure_time(&self) -> Option<NaiveTime> {
        self.departure_time
    }
    /// Planned, confirmed or cancelled.
    pub fn status(&self) -> StayStatus {
        self.status
    }
    /// Notes written for the person ("bring your swimming things").
    pub fn notes_for_person(&self) -> &str {
        &self.notes_for_person
    }
    /// Who they will stay with (a household's name).
    pub fn host(&self) -> &str {
        &self.host
    }
    /// The host after a verb of staying, isolated for a sentence (see
    /// [`crate::bidi::isolate`]): "with Pat", but "at Ann and Dev's" for a
    /// household named like a place.
    pub fn with_host(&self) -> String {
        let host = self.host.trim();
        let lower = host.to_lowercase();
        let place = ["'s", "’s", "s'", "s’"]
            .iter()
            .any(|end| lower.ends_with(end))
            || ["our ", "the "]
                .iter()
                .any(|start| lower.starts_with(start));
        let word = if place { "at" } else { "with" };
        format!("{word} {}", crate::bidi::isolate(host))
    }
    /// How many nights: the departure day minus the arrival day.
    pub fn nights(&self) -> i64 {
        (self.departure - self.arrival).num_days()
    }
    /// The date of each night's evening, arrival first.
    pub fn night_dates(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        self.arrival
            .iter_days()
            .take_while(move |d| *d < self.departure)
    }
    /// True unless cancelled.
    pub fn is_on(&self) -> bool {
        self.status != StayStatus::Cancelled
    }
    /// The same stay with another status (confirming, cancelling).
    pub fn with_status(&self, status: StayStatus) -> PlannedStay {
        PlannedStay {
            status,
            ..self.clone()
        }
    }
}

/// A planned stay as the form holds it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlannedStayDraft {
    /// The person's record id, as text.
    pub person_id: String,
    /// Arrival date `YYYY-MM-DD`.
    pub arrival: String,
    /// Departure date.
    pub departure: String,
    /// Arrival time `HH:MM`, or empty.
    pub arrival_time: String,
    /// Departure time, or empty.
    pub departure_time: String,
    /// The status.
    pub status: Option<StayStatus>,
    /// Notes for the person.
    pub notes_for_person: String,
    /// Who they will stay with.
    pub host: String,
}

impl PlannedStayDraft {
    /// A new plan for `person` with this household, status planned.
    pub fn new_for(person: Option<RecordId>, household: &str) -> Self {
        PlannedStayDraft {
            person_id: person.map(|p| p.to_string()).unwrap_or_default(),
            status: Some(StayStatus::Planned),
            host: household.to_string(),
            ..Default::default()
        }
    }

    /// The form for amending a stored plan.
    pub fn from_stay(s: &PlannedStay) -> Self {
        PlannedStayDraft {
            person_id: s.person_id.to_string(),
            arrival: dates::form_date(s.arrival),
            departure: dates::form_date(s.departure),
            arrival_time: s.arrival_time.map(dates::form_time).unwrap_or_default(),
            departure_time: s.departure_time.map(dates::form_time).unwrap_or_default(),
            status: Some(s.status),
            notes_for_person: s.notes_for_person.clone(),
            host: s.host.clone(),
        }
    }

    /// Checks every field. A stay is at least one night.
    pub fn validate(&self) -> Result<PlannedStay, ValidationErrors> {
        let mut e = ValidationErrors::new();
        let person_id = self.person_id.parse::<RecordId>().ok();
        if person_id.is_none() {
            e.add("person_id", "Choose who is coming to stay.");
        }
        let arrival = dates::parse_form_date(&self.arrival);
        if arrival.is_none() {
            e.add("arrival", "Enter the day they arrive.");
        }
        let arrival_time = optional_time(&mut e, "arrival_time", &self.arrival_time);
        let departure = dates::parse_form_date(&self.departure);
        if departure.is_none() {
            e.add("departure", "Enter the day they leave.");
        }
        let departure_time = optional_time(&mut e, "departure_time", &self.departure_time);
        if let (Some(a), Some(d)) = (arrival, departure) {
            if d <= a {
                e.add(
                    "departure",
                    "A stay is at least one night: they leave on a later day than they arrive.",
                );
            } else if (d - a).num_days() > MAX_PLANNED_NIGHTS {
                e.add("departure", "That's more than a year. Check the dates.");
            }
        }
        if self.status.is_none() {
            e.add("status", "Choose planned, confirmed or cancelled.");
        }
        let notes_for_person = text(
            &mut e,
            "notes_for_person",
            &self.notes_for_person,
            None,
            1000,
        );
        let host = text(
            &mut e,
            "host",
            &self.host,
            Some("Say who they will stay with."),
            80,
        );
        match (person_id, arrival, departure, self.status) {
            (Some(person_id), Some(arrival), Some(departure), Some(status)) if e.is_empty() => {
                Ok(PlannedStay {
                    person_id,
                    arrival,
                    departure,
                    arrival_time,
                    departure_time,
                    status,
                    notes_for_person,
                    host,
                })
            }
            _ => Err(e),
        }
    }
}

fn optional_time(e: &mut ValidationErrors, field: &str, raw: &str) -> Option<NaiveTime> {
    if raw.trim().is_empty() {
        return None;
    }
    let time = dates::parse_form_time(raw);
    if time.is_none() {
        e.add(
            field,
            "Enter the time in hours and minutes, or leave it empty.",
        );
    }
    time
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(arrival: &str, departure: &str) -> PlannedStayDraft {
        PlannedStayDraft {
            arrival: arrival.into(),
            departure: departure.into(),
            notes_for_person: "Bring your swimming things".into(),
            ..PlannedStayDraft::new_for(Some(RecordId::from_random_bytes([8; 16])), "Ann and Dev")
        }
    }

    #[test]
    fn a_stay_counts_its_nights_and_lists_their_evenings() {
        let s = draft("2026-11-30", "2026-12-02").validate().unwrap();
        assert_eq!(s.nights(), 2);
        let nights: Vec<String> = s.night_dates().map(dates::form_date).collect();
        assert_eq!(nights, ["2026-11-30", "2026-12-01"]);
        assert_eq!(s.status(), StayStatus::Planned);
        assert_eq!(s.host(), "Ann and Dev");
        assert!(s.is_on());
        assert!(!s.with_status(StayStatus::Cancelled).is_on());
    }

    #[test]
    fn a_stay_is_at_least_one_night_and_times_are_optional_but_real() {
        let same_day = draft("2026-12-05", "2026-12-05").validate().unwrap_err();
        assert!(same_day
            .message_for("departure")
            .unwrap()
            .contains("at least one night"));
        let timed = PlannedStayDraft {
            arrival_time: "17:30".into(),
            departure_time: "10:00".into(),
            ..draft("2026-12-05", "2026-12-07")
        };
        let s = timed.validate().unwrap();
        assert_eq!(s.arrival_time(), NaiveTime::from_hms_opt(17, 30, 0));
        let bad = PlannedStayDraft {
            arrival_time: "teatime".into(),
            ..draft("2026-12-05", "2026-12-07")
        };
        assert!(bad
            .validate()
            .unwrap_err()
            .message_for("arrival_time")
            .is_some());
        let blank = PlannedStayDraft {
            person_id: String::new(),
            host: " ".into(),
            ..draft("", "")
        };
        let fields: Vec<String> = blank
            .validate()
            .unwrap_err()
            .all()
            .iter()
            .map(|f| f.field.clone())
            .collect();
        assert_eq!(fields, ["person_id", "arrival", "departure", "host"]);
    }

    #[test]
    fn editing_starts_from_what_is_stored_and_round_trips_as_json() {
        let s = PlannedStayDraft {
            arrival_time: "17:30".into(),
            ..draft("2026-12-05", "2026-12-07")
        }
        .validate()
        .unwrap();
        assert_eq!(PlannedStayDraft::from_stay(&s).validate().unwrap(), s);
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(serde_json::from_str::<PlannedStay>(&json).unwrap(), s);
    }
}
