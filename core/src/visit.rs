//! Visits and stays as they happened: the log a carer keeps of day-support
//! sessions, short breaks and long-term care, for the record and for payment.

use crate::dates;
use crate::id::RecordId;
use crate::person::Arrangement;
use crate::record::Body;
use crate::validate::{text, ValidationErrors};
use crate::zone::LocalZone;
use chrono::{DateTime, Duration, FixedOffset, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Where a visit or stay happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Place {
    /// At the carer's home.
    CarersHome,
    /// Out and about in the community.
    OutAndAbout,
    /// Somewhere else (described in `where_else`).
    Other,
}

impl Place {
    /// Every place, in form order.
    pub const ALL: [Place; 3] = [Place::CarersHome, Place::OutAndAbout, Place::Other];

    /// The words on screen.
    pub fn label(self) -> &'static str {
        match self {
            Place::CarersHome => "At my home",
            Place::OutAndAbout => "Out and about",
            Place::Other => "Somewhere else",
        }
    }
}

/// A visit or stay that happened. Made only by [`VisitDraft::validate`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Visit {
    person_id: RecordId,
    kind: Arrangement,
    start: DateTime<FixedOffset>,
    end: DateTime<FixedOffset>,
    place: Place,
    #[serde(default)]
    where_else: String,
    #[serde(default)]
    what_happened: String,
    #[serde(default)]
    others_present: String,
    /// The planned stay this logs, if it came from one.
    #[serde(default)]
    planned_stay: Option<RecordId>,
}

impl Body for Visit {
    const SCHEMA: u32 = 1;
    const KIND: &'static str = "visit";
}

/// The longest visit or stay the log accepts, in days.
pub const MAX_VISIT_DAYS: i64 = 366;

impl Visit {
    /// Who it was with.
    pub fn person_id(&self) -> RecordId {
        self.person_id
    }
    /// Day support, short break or long-term.
    pub fn kind(&self) -> Arrangement {
        self.kind
    }
    /// When it started, in local time then.
    pub fn start(&self) -> DateTime<FixedOffset> {
        self.start
    }
    /// When it ended, in local time then.
    pub fn end(&self) -> DateTime<FixedOffset> {
        self.end
    }
    /// Where.
    pub fn place(&self) -> Place {
        self.place
    }
    /// Where, when "somewhere else".
    pub fn where_else(&self) -> &str {
        &self.where_else
    }
    /// Where, in words.
    pub fn place_words(&self) -> String {
        match self.place {
            Place::Other if !self.where_else.is_empty() => self.where_else.clone(),
            p => p.label().to_string(),
        }
    }
    /// What happened.
    pub fn what_happened(&self) -> &str {
        &self.what_happened
    }
    /// Who else was there.
    pub fn others_present(&self) -> &str {
        &self.others_present
    }
    /// The planned stay this logs, if any.
    pub fn planned_stay(&self) -> Option<RecordId> {
        self.planned_stay
    }
    /// The nights it spans: how many local midnights passed between start and
    /// end, each read in the offset in force at that moment, so the clocks
    /// changing never adds or loses a night.
    pub fn nights(&self) -> i64 {
        (self.end.date_naive() - self.start.date_naive()).num_days()
    }
    /// How long it lasted in real time (an hour across the clocks changing is
    /// still an hour).
    pub fn duration(&self) -> Duration {
        self.end.with_timezone(&Utc) - self.start.with_timezone(&Utc)
    }
    /// The local days it touches, first to last.
    pub fn days(&self) -> (NaiveDate, NaiveDate) {
        (self.start.date_naive(), self.end.date_naive())
    }
    /// True when the two overlap in time (touching end to start is fine).
    pub fn overlaps(&self, other: &Visit) -> bool {
        self.start < other.end && other.start < self.end
    }
    /// "2 nights", "3 hours 15 minutes": what the list and the detail show.
    pub fn length_words(&self) -> String {
        let nights = self.nights();
        if self.kind != Arrangement::DaySupport && nights > 0 {
            plural(nights, "night")
        } else {
            hours_words(self.duration())
        }
    }
}

/// "1 night", "2 nights".
pub fn plural(n: i64, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// "45 minutes", "1 hour", "3 hours 15 minutes".
pub fn hours_words(d: Duration) -> String {
    let minutes = d.num_minutes().max(0);
    let (h, m) = (minutes / 60, minutes % 60);
    match (h, m) {
        (0, m) => plural(m, "minute"),
        (h, 0) => plural(h, "hour"),
        (h, m) => format!("{} {}", plural(h, "hour"), plural(m, "minute")),
    }
}

/// A visit or stay as the form holds it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VisitDraft {
    /// The person's record id, as text.
    pub person_id: String,
    /// The kind.
    pub kind: Option<Arrangement>,
    /// Start date `YYYY-MM-DD`.
    pub start_date: String,
    /// Start time `HH:MM`.
    pub start_time: String,
    /// End date.
    pub end_date: String,
    /// End time.
    pub end_time: String,
    /// Where.
    pub place: Option<Place>,
    /// Where, when somewhere else.
    pub where_else: String,
    /// What happened.
    pub what_happened: String,
    /// Who else was there.
    pub others_present: String,
    /// The planned stay it logs.
    pub planned_stay: Option<RecordId>,
}

impl VisitDraft {
    /// The form for amending a stored visit.
    pub fn from_visit(v: &Visit) -> Self {
        VisitDraft {
            person_id: v.person_id.to_string(),
            kind: Some(v.kind),
            start_date: dates::form_date(v.start.date_naive()),
            start_time: dates::form_time(v.start.time()),
            end_date: dates::form_date(v.end.date_naive()),
            end_time: dates::form_time(v.end.time()),
            place: Some(v.place),
            where_else: v.where_else.clone(),
            what_happened: v.what_happened.clone(),
            others_present: v.others_present.clone(),
            planned_stay: v.planned_stay,
        }
    }

    /// A visit that ran from `start` until now: what "End visit" opens.
    pub fn ended_now(
        person: RecordId,
        kind: Arrangement,
        start: DateTime<Utc>,
        now: DateTime<Utc>,
        zone: &impl LocalZone,
    ) -> Self {
        let (s, e) = (zone.to_local(start), zone.to_local(now));
        VisitDraft {
            person_id: person.to_string(),
            kind: Some(kind),
            start_date: dates::form_date(s.date_naive()),
            start_time: dates::form_time(s.time()),
            end_date: dates::form_date(e.date_naive()),
            end_time: dates::form_time(e.time()),
            place: Some(Place::CarersHome),
            ..Default::default()
        }
    }

    /// What the form says when a short break or long-term stay, as the form
    /// holds it, has no night in it (it starts and ends on the same date): it
    /// counts its hours in the month's totals but no night, and it may have
    /// been day support. `None` when there is nothing to say.
    pub fn no_night_notice(&self) -> Option<&'static str> {
        let start = dates::parse_form_date(&self.start_date)?;
        let end = dates::parse_form_date(&self.end_date)?;
        if start != end {
            return None;
        }
        match self.kind? {
            Arrangement::ShortBreaks => Some(
                "This short break has no night in it: it starts and ends on the same day. \
                 The month's totals count it as a short-break visit with its hours, but no \
                 night. If it was a daytime session, log it as day support.",
            ),
            Arrangement::LongTerm => Some(
                "This long-term stay has no night in it: it starts and ends on the same day. \
                 The month's totals count it as a long-term visit with its hours, but no \
                 night. If it was a daytime session, log it as day support.",
            ),
            Arrangement::DaySupport => None,
        }
    }

    /// Checks every field: both ends in the past, the end after the start.
    pub fn validate(
        &self,
        now: DateTime<Utc>,
        zone: &impl LocalZone,
    ) -> Result<Visit, ValidationErrors> {
        let mut e = ValidationErrors::new();
        let person_id = self.person_id.parse::<RecordId>().ok();
        if person_id.is_none() {
            e.add("person_id", "Choose who the visit or stay was with.");
        }
        if self.kind.is_none() {
            e.add(
                "kind",
                "Choose the kind: day support, short break or long-term.",
            );
        }
        let start = dates::past_moment_named(
            &mut e,
            ("start_date", "start_time"),
            &self.start_date,
            &self.start_time,
            now,
            zone,
        );
        let end = dates::past_moment_named(
            &mut e,
            ("end_date", "end_time"),
            &self.end_date,
            &self.end_time,
            now,
            zone,
        );
        if let (Some(s), Some(en)) = (start, end) {
            if en <= s {
                e.add("end_time", "The end must be after the start.");
            } else if en - s > Duration::days(MAX_VISIT_DAYS) {
                e.add("end_date", "That's longer than a year. Check the dates.");
            }
        }
        let place = self.place;
        if place.is_none() {
            e.add("place", "Choose where it happened.");
        }
        let where_else = text(
            &mut e,
            "where_else",
            &self.where_else,
            (place == Some(Place::Other)).then_some("Say where it happened."),
            120,
        );
        let what_happened = text(
            &mut e,
            "what_happened",
            &self.what_happened,
            None,
            crate::note::MAX_NOTE_CHARS,
        );
        let others_present = text(&mut e, "others_present", &self.others_present, None, 500);
        match (person_id, self.kind, start, end, place) {
            (Some(person_id), Some(kind), Some(start), Some(end), Some(place)) if e.is_empty() => {
                Ok(Visit {
                    person_id,
                    kind,
                    start,
                    end,
                    place,
                    where_else: if place == Place::Other {
                        where_else
                    } else {
                        String::new()
                    },
                    what_happened,
                    others_present,
                    planned_stay: self.planned_stay,
                })
            }
            _ => Err(e),
        }
    }
}

/// The first of `others` (the same person's live visits) that overlaps `visit`,
/// so the form can name it. `skip` is the visit being amended.
pub fn find_overlap<'a>(
    visit: &Visit,
    others: &'a [crate::Record<Visit>],
    skip: Option<RecordId>,
) -> Option<&'a crate::Record<Visit>> {
    others.iter().find(|o| {
        o.is_live()
            && Some(o.id()) != skip
            && o.body().person_id == visit.person_id
            && o.body().overlaps(visit)
    })
}

/// What to say when a visit overlaps another of the same person's: names the
/// other one so the carer can find it.
pub fn overlap_message(other: &Visit, name: &str, today: NaiveDate, twelve_hour: bool) -> String {
    let when = |at: DateTime<FixedOffset>| {
        format!(
            "{} {}",
            dates::day_label(at.date_naive(), today),
            dates::time_label(at.time(), twelve_hour)
        )
    };
    format!(
        "This overlaps {name}'s {} from {} to {}. Change the times, or correct that one.",
        other.kind.visit_noun(),
        when(other.start),
        when(other.end)
    )
}

impl VisitDraft {
    /// A log of a planned stay, pre-filled from the plan (times default to
    /// 17:00 arriving and 10:00 leaving when the plan has none).
    pub fn from_stay(id: RecordId, stay: &crate::stay::PlannedStay) -> Self {
        let five_pm = chrono::NaiveTime::from_hms_opt(17, 0, 0).expect("valid time");
        let ten_am = chrono::NaiveTime::from_hms_opt(10, 0, 0).expect("valid time");
        VisitDraft {
            person_id: stay.person_id().to_string(),
            kind: Some(Arrangement::ShortBreaks),
            start_date: dates::form_date(stay.arrival()),
            start_time: dates::form_time(stay.arrival_time().unwrap_or(five_pm)),
            end_date: dates::form_date(stay.departure()),
            end_time: dates::form_time(stay.departure_time().unwrap_or(ten_am)),
            place: Some(Place::CarersHome),
            planned_stay: Some(id),
            ..Default::default()
        }
    }

    /// A blank log for `person` (if chosen), starting and ending now.
    pub fn now_for(
        person: Option<RecordId>,
        kind: Option<Arrangement>,
        now: DateTime<Utc>,
        zone: &impl LocalZone,
    ) -> Self {
        let local = zone.to_local(now);
        let (date, time) = (
            dates::form_date(local.date_naive()),
            dates::form_time(local.time()),
        );
        VisitDraft {
            person_id: person.map(|p| p.to_string()).unwrap_or_default(),
            kind,
            start_date: date.clone(),
            start_time: time.clone(),
            end_date: date,
            end_time: time,
            place: Some(Place::CarersHome),
            ..Default::default()
        }
    }
}

/// A visit in progress: started with one tap, ended with "End visit".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunningVisit {
    /// Who with.
    pub person_id: RecordId,
    /// The kind it will be logged as.
    pub kind: Arrangement,
    /// When it started.
    pub started_at: DateTime<Utc>,
}

impl RunningVisit {
    /// How long it has run, for the Today screen ("1 hour 5 minutes").
    pub fn elapsed_words(&self, now: DateTime<Utc>) -> String {
        hours_words(now - self.started_at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::zone::FixedZone;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 22, 18, 0, 0).unwrap()
    }

    fn draft(start: (&str, &str), end: (&str, &str), kind: Arrangement) -> VisitDraft {
        VisitDraft {
            person_id: RecordId::from_random_bytes([4; 16]).to_string(),
            kind: Some(kind),
            start_date: start.0.into(),
            start_time: start.1.into(),
            end_date: end.0.into(),
            end_time: end.1.into(),
            place: Some(Place::CarersHome),
            ..Default::default()
        }
    }

    #[test]
    fn a_same_day_short_break_or_long_term_stay_says_it_has_no_night() {
        let draft = |kind, end_date: &str| VisitDraft {
            kind: Some(kind),
            start_date: "2026-12-02".into(),
            end_date: end_date.into(),
            ..Default::default()
        };
        let short = draft(Arrangement::ShortBreaks, "2026-12-02").no_night_notice();
        assert!(
            short.is_some_and(|n| n.starts_with("This short break has no night in it")
                && n.ends_with("log it as day support."))
        );
        assert!(draft(Arrangement::LongTerm, "2026-12-02")
            .no_night_notice()
            .is_some_and(|n| n.starts_with("This long-term stay has no night")));
        assert_eq!(
            draft(Arrangement::DaySupport, "2026-12-02").no_night_notice(),
            None
        );
        assert_eq!(
            draft(Arrangement::ShortBreaks, "2026-12-03").no_night_notice(),
            None
        );
        assert_eq!(draft(Arrangement::ShortBreaks, "").no_night_notice(), None);
    }

    #[test]
    fn a_day_visit_shows_its_hours_and_a_stay_its_nights() {
        let day = draft(
            ("2026-11-20", "10:00"),
            ("2026-11-20", "13:15"),
            Arrangement::DaySupport,
        )
        .validate(now(), &FixedZone::utc())
        .unwrap();
        assert_eq!(day.nights(), 0);
        assert_eq!(day.length_words(), "3 hours 15 minutes");
        let stay = draft(
            ("2026-11-18", "17:00"),
            ("2026-11-20", "10:00"),
            Arrangement::ShortBreaks,
        )
        .validate(now(), &FixedZone::utc())
        .unwrap();
        assert_eq!(stay.nights(), 2);
        assert_eq!(stay.length_words(), "2 nights");
    }

    #[test]
    fn the_end_must_follow_the_start_and_both_be_past() {
        let backwards = draft(
            ("2026-11-20", "13:00"),
            ("2026-11-20", "10:00"),
            Arrangement::DaySupport,
        );
        let e = backwards.validate(now(), &FixedZone::utc()).unwrap_err();
        assert_eq!(
            e.message_for("end_time"),
            Some("The end must be after the start.")
        );
        let future = draft(
            ("2026-11-22", "17:00"),
            ("2026-11-23", "10:00"),
            Arrangement::ShortBreaks,
        );
        assert!(future
            .validate(now(), &FixedZone::utc())
            .unwrap_err()
            .message_for("end_time")
            .is_some());
        let nowhere = VisitDraft {
            place: Some(Place::Other),
            ..draft(
                ("2026-11-20", "10:00"),
                ("2026-11-20", "11:00"),
                Arrangement::DaySupport,
            )
        };
        assert_eq!(
            nowhere
                .validate(now(), &FixedZone::utc())
                .unwrap_err()
                .message_for("where_else"),
            Some("Say where it happened.")
        );
        let blank = VisitDraft {
            kind: None,
            place: None,
            ..draft(("", ""), ("", ""), Arrangement::DaySupport)
        };
        let e = blank.validate(now(), &FixedZone::utc()).unwrap_err();
        let fields: Vec<&str> = e.all().iter().map(|f| f.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "kind",
                "start_date",
                "start_time",
                "end_date",
                "end_time",
                "place"
            ]
        );
    }

    #[test]
    fn overlaps_are_found_and_named_but_touching_is_fine() {
        let mk = |s: &str, e: &str| {
            crate::Record::create(
                RecordId::from_random_bytes([s.len() as u8; 16]),
                draft(
                    ("2026-11-20", s),
                    ("2026-11-20", e),
                    Arrangement::DaySupport,
                )
                .validate(now(), &FixedZone::utc())
                .unwrap(),
                "Ann",
                now(),
            )
        };
        let morning = mk("09:00", "12:00");
        let others = vec![morning.clone()];
        let afternoon = mk("12:00", "15:00");
        assert!(
            find_overlap(afternoon.body(), &others, None).is_none(),
            "end to start is fine"
        );
        let lunch = mk("11:30", "13:00");
        assert_eq!(
            find_overlap(lunch.body(), &others, None).map(|r| r.id()),
            Some(morning.id())
        );
        assert!(
            find_overlap(morning.body(), &others, Some(morning.id())).is_none(),
            "not with itself"
        );
    }

    #[test]
    fn logging_a_planned_stay_starts_from_the_plan() {
        let plan = crate::stay::PlannedStayDraft {
            arrival: "2026-11-13".into(),
            departure: "2026-11-15".into(),
            departure_time: "11:30".into(),
            ..crate::stay::PlannedStayDraft::new_for(
                Some(RecordId::from_random_bytes([4; 16])),
                "Ann and Dev",
            )
        }
        .validate()
        .unwrap();
        let id = RecordId::from_random_bytes([5; 16]);
        let v = VisitDraft::from_stay(id, &plan)
            .validate(now(), &FixedZone::utc())
            .unwrap();
        assert_eq!(v.nights(), 2);
        assert_eq!(v.planned_stay(), Some(id));
        assert_eq!(crate::dates::form_time(v.start().time()), "17:00");
        assert_eq!(crate::dates::form_time(v.end().time()), "11:30");
        let msg = overlap_message(&v, "Meg", v.end().date_naive(), false);
        assert_eq!(msg, "This overlaps Meg's short break from Fri 13 Nov 17:00 to Today 11:30. Change the times, or correct that one.");
    }

    #[test]
    fn a_running_visit_ends_now_and_says_how_long() {
        let started = now() - Duration::minutes(65);
        let running = RunningVisit {
            person_id: RecordId::from_random_bytes([1; 16]),
            kind: Arrangement::DaySupport,
            started_at: started,
        };
        assert_eq!(running.elapsed_words(now()), "1 hour 5 minutes");
        let d = VisitDraft::ended_now(
            running.person_id,
            running.kind,
            started,
            now(),
            &FixedZone::utc(),
        );
        assert_eq!(
            (d.start_time.as_str(), d.end_time.as_str()),
            ("16:55", "18:00")
        );
        assert!(d.validate(now(), &FixedZone::utc()).is_ok());
    }
}
