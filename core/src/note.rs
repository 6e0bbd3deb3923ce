//! Daily notes: what happened, written at the time or soon after.

use crate::dates;
use crate::id::RecordId;
use crate::record::Body;
use crate::validate::{text, ValidationErrors};
use crate::zone::LocalZone;
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// What a note is about. Optional; a note may have several.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Topic {
    /// Health.
    Health,
    /// Eating and drinking.
    EatingDrinking,
    /// Sleep.
    Sleep,
    /// Activities.
    Activities,
    /// Relationships and family contact.
    Relationships,
    /// Communication and choices.
    Communication,
    /// Personal care.
    PersonalCare,
    /// Money.
    Money,
    /// Staying safe.
    StayingSafe,
}

impl Topic {
    /// Every topic, in the order forms show them.
    pub const ALL: [Topic; 9] = [
        Topic::Health,
        Topic::EatingDrinking,
        Topic::Sleep,
        Topic::Activities,
        Topic::Relationships,
        Topic::Communication,
        Topic::PersonalCare,
        Topic::Money,
        Topic::StayingSafe,
    ];

    /// The words on screen.
    pub fn label(self) -> &'static str {
        match self {
            Topic::Health => "Health",
            Topic::EatingDrinking => "Eating and drinking",
            Topic::Sleep => "Sleep",
            Topic::Activities => "Activities",
            Topic::Relationships => "Relationships and family",
            Topic::Communication => "Communication and choices",
            Topic::PersonalCare => "Personal care",
            Topic::Money => "Money",
            Topic::StayingSafe => "Staying safe",
        }
    }

    /// A stable key for form controls.
    pub fn key(self) -> &'static str {
        match self {
            Topic::Health => "health",
            Topic::EatingDrinking => "eating_drinking",
            Topic::Sleep => "sleep",
            Topic::Activities => "activities",
            Topic::Relationships => "relationships",
            Topic::Communication => "communication",
            Topic::PersonalCare => "personal_care",
            Topic::Money => "money",
            Topic::StayingSafe => "staying_safe",
        }
    }
}

/// A daily note. Made only by [`NoteDraft::validate`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    person_id: RecordId,
    occurred_at: DateTime<FixedOffset>,
    text: String,
    topics: Vec<Topic>,
    with_person: bool,
}

impl Body for Note {
    const SCHEMA: u32 = 1;
    const KIND: &'static str = "note";
}

/// The longest note, in characters (about 1,500 words).
pub const MAX_NOTE_CHARS: usize = 10_000;

impl Note {
    /// Who the note is about.
    pub fn person_id(&self) -> RecordId {
        self.person_id
    }
    /// When it happened, in the phone's local time at that moment.
    pub fn occurred_at(&self) -> DateTime<FixedOffset> {
        self.occurred_at
    }
    /// The local calendar day it happened on.
    pub fn day(&self) -> NaiveDate {
        self.occurred_at.date_naive()
    }
    /// The note itself.
    pub fn text(&self) -> &str {
        &self.text
    }
    /// Its topics, in a fixed order.
    pub fn topics(&self) -> &[Topic] {
        &self.topics
    }
    /// Whether the person took part in writing it.
    pub fn with_person(&self) -> bool {
        self.with_person
    }
}

/// A note as the form holds it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NoteDraft {
    /// The person's record id, as text.
    pub person_id: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// `HH:MM`.
    pub time: String,
    /// What happened.
    pub text: String,
    /// Chosen topics.
    pub topics: Vec<Topic>,
    /// Written with the person.
    pub with_person: bool,
}

impl NoteDraft {
    /// A blank note, for `person` if already chosen, at the current local
    /// time to the minute.
    pub fn now_for(person: Option<RecordId>, now: DateTime<Utc>, zone: &impl LocalZone) -> Self {
        let local = zone.to_local(now);
        NoteDraft {
            person_id: person.map(|p| p.to_string()).unwrap_or_default(),
            date: dates::form_date(local.date_naive()),
            time: dates::form_time(local.time()),
            ..Default::default()
        }
    }

    /// The form for amending a stored note.
    pub fn from_note(n: &Note) -> Self {
        NoteDraft {
            person_id: n.person_id.to_string(),
            date: dates::form_date(n.occurred_at.date_naive()),
            time: dates::form_time(n.occurred_at.time()),
            text: n.text.clone(),
            topics: n.topics.clone(),
            with_person: n.with_person,
        }
    }

    /// Checks every field. A note records what has happened, so its time may be
    /// in the past but not in the future.
    pub fn validate(
        &self,
        now: DateTime<Utc>,
        zone: &impl LocalZone,
    ) -> Result<Note, ValidationErrors> {
        let mut e = ValidationErrors::new();
        let person_id = self.person_id.parse::<RecordId>().ok();
        if person_id.is_none() {
            e.add("person_id", "Choose who this note is about.");
        }
        let occurred_at = dates::past_moment(&mut e, &self.date, &self.time, now, zone);
        let body = text(
            &mut e,
            "text",
            &self.text,
            Some("Write the note before saving."),
            MAX_NOTE_CHARS,
        );
        let mut topics = self.topics.clone();
        crate::order::sort(&mut topics);
        topics.dedup();
        match (person_id, occurred_at) {
            (Some(person_id), Some(occurred_at)) if e.is_empty() => Ok(Note {
                person_id,
                occurred_at,
                text: body,
                topics,
                with_person: self.with_person,
            }),
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::zone::FixedZone;
    use chrono::{NaiveDateTime, TimeZone, Timelike};

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 22, 14, 5, 40).unwrap()
    }

    fn person() -> RecordId {
        RecordId::from_random_bytes([3; 16])
    }

    fn draft() -> NoteDraft {
        NoteDraft {
            text: "Meg made scones and chose to walk to the shop.".into(),
            topics: vec![Topic::Activities, Topic::EatingDrinking, Topic::Activities],
            with_person: true,
            ..NoteDraft::now_for(Some(person()), now(), &FixedZone::utc())
        }
    }

    /// London's rules, enough for tests: BST from the last Sunday of March to the
    /// last Sunday of October, 01:00 UTC.
    struct London;
    impl London {
        fn bst(utc: NaiveDateTime) -> bool {
            let last_sunday = |month: u32| {
                let mut d =
                    NaiveDate::from_ymd_opt(utc.date().year_ce().1 as i32, month, 31).unwrap();
                while chrono::Datelike::weekday(&d) != chrono::Weekday::Sun {
                    d = d.pred_opt().unwrap();
                }
                d.and_hms_opt(1, 0, 0).unwrap()
            };
            use chrono::Datelike;
            utc >= last_sunday(3) && utc < last_sunday(10)
        }
    }
    impl LocalZone for London {
        fn offset_at(&self, instant: DateTime<Utc>) -> FixedOffset {
            FixedOffset::east_opt(if Self::bst(instant.naive_utc()) {
                3600
            } else {
                0
            })
            .unwrap()
        }
        fn offset_for_local(&self, local: NaiveDateTime) -> FixedOffset {
            FixedOffset::east_opt(if Self::bst(local - chrono::Duration::hours(1)) {
                3600
            } else {
                0
            })
            .unwrap()
        }
    }

    #[test]
    fn a_new_note_defaults_to_now_to_the_minute() {
        let d = NoteDraft::now_for(Some(person()), now(), &FixedZone::utc());
        assert_eq!((d.date.as_str(), d.time.as_str()), ("2026-11-22", "14:05"));
        assert_eq!(d.person_id, person().to_string());
    }

    #[test]
    fn a_good_note_is_valid_with_topics_tidied() {
        let n = draft().validate(now(), &FixedZone::utc()).unwrap();
        assert_eq!(n.topics(), &[Topic::EatingDrinking, Topic::Activities]);
        assert_eq!(n.person_id(), person());
        assert!(n.with_person());
        assert_eq!(n.occurred_at().time().minute(), 5);
        assert_eq!(n.day(), NaiveDate::from_ymd_opt(2026, 11, 22).unwrap());
    }

    #[test]
    fn a_note_in_the_past_is_fine_but_not_in_the_future() {
        let past = NoteDraft {
            date: "2026-11-01".into(),
            time: "08:00".into(),
            ..draft()
        };
        assert!(past.validate(now(), &FixedZone::utc()).is_ok());
        let soon = NoteDraft {
            time: "14:09".into(),
            ..draft()
        };
        assert!(
            soon.validate(now(), &FixedZone::utc()).is_ok(),
            "a few minutes of clock slack"
        );
        let future = NoteDraft {
            time: "15:00".into(),
            ..draft()
        };
        let errors = future.validate(now(), &FixedZone::utc()).unwrap_err();
        assert_eq!(
            errors.message_for("time"),
            Some("This time is in the future. Record what has already happened.")
        );
        let tomorrow = NoteDraft {
            date: "2026-11-23".into(),
            time: "08:00".into(),
            ..draft()
        };
        assert!(tomorrow.validate(now(), &FixedZone::utc()).is_err());
        let ancient = NoteDraft {
            date: "1999-12-31".into(),
            ..draft()
        };
        assert!(ancient
            .validate(now(), &FixedZone::utc())
            .unwrap_err()
            .message_for("date")
            .is_some());
    }

    #[test]
    fn every_field_reports_its_problem() {
        let bad = NoteDraft {
            person_id: "nobody".into(),
            date: "".into(),
            time: "7pm".into(),
            text: " \n ".into(),
            topics: vec![],
            with_person: false,
        };
        let errors = bad.validate(now(), &FixedZone::utc()).unwrap_err();
        let fields: Vec<&str> = errors.all().iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["person_id", "date", "time", "text"]);
        let long = NoteDraft {
            text: "a".repeat(MAX_NOTE_CHARS + 1),
            ..draft()
        };
        assert!(long
            .validate(now(), &FixedZone::utc())
            .unwrap_err()
            .message_for("text")
            .is_some());
    }

    #[test]
    fn local_time_keeps_its_offset_across_the_clocks_changing() {
        // 13:00 in London is 12:00 UTC in summer.
        let summer_now = Utc.with_ymd_and_hms(2026, 7, 1, 12, 0, 0).unwrap();
        let d = NoteDraft {
            date: "2026-07-01".into(),
            time: "12:50".into(),
            ..draft()
        };
        assert!(
            d.validate(summer_now, &London).is_ok(),
            "12:50 BST has happened by 13:00 BST"
        );
        let d = NoteDraft {
            date: "2026-07-01".into(),
            time: "13:30".into(),
            ..draft()
        };
        assert!(
            d.validate(summer_now, &London)
                .unwrap_err()
                .message_for("time")
                .is_some(),
            "13:30 BST is still to come at 13:00 BST"
        );
        let winter = NoteDraft {
            date: "2026-01-10".into(),
            time: "09:00".into(),
            ..draft()
        }
        .validate(summer_now, &London)
        .unwrap();
        assert_eq!(winter.occurred_at().offset().local_minus_utc(), 0);
        let summer = NoteDraft {
            date: "2026-06-10".into(),
            time: "09:00".into(),
            ..draft()
        }
        .validate(summer_now, &London)
        .unwrap();
        assert_eq!(summer.occurred_at().offset().local_minus_utc(), 3600);
        assert_eq!(
            NoteDraft::from_note(&summer).time,
            "09:00",
            "edit shows the time as written"
        );
    }

    #[test]
    fn editing_starts_from_what_is_stored() {
        let n = draft().validate(now(), &FixedZone::utc()).unwrap();
        assert_eq!(
            NoteDraft::from_note(&n)
                .validate(now(), &FixedZone::utc())
                .unwrap(),
            n
        );
    }

    #[test]
    fn a_stored_note_round_trips_through_json() {
        let n = draft().validate(now(), &FixedZone::utc()).unwrap();
        let json = serde_json::to_value(&n).unwrap();
        assert_eq!(
            json["topics"],
            serde_json::json!(["eating_drinking", "activities"])
        );
        assert_eq!(json["occurred_at"], "2026-11-22T14:05:00Z");
        assert_eq!(serde_json::from_value::<Note>(json).unwrap(), n);
    }
}
