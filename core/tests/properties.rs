//! Properties that hold for any input a carer could type.

use chrono::{TimeZone, Utc};
use hearth_core::{
    Arrangement, FixedZone, NoteDraft, PersonDraft, Record, RecordError, RecordId, Topic,
};
use proptest::prelude::*;

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 12, 0, 0).unwrap()
}

fn any_topics() -> impl Strategy<Value = Vec<Topic>> {
    proptest::sample::subsequence(Topic::ALL.to_vec(), 0..=Topic::ALL.len())
}

proptest! {
    /// Whatever is typed, validation answers (never panics), and anything it
    /// accepts survives storage as JSON unchanged.
    #[test]
    fn any_note_text_validates_or_explains_and_round_trips(
        text in "\\PC{0,300}",
        hour in 0u32..24,
        minute in 0u32..60,
        topics in any_topics(),
        with_person: bool,
    ) {
        let draft = NoteDraft {
            person_id: RecordId::from_random_bytes([5; 16]).to_string(),
            date: "2026-11-21".into(),
            time: format!("{hour:02}:{minute:02}"),
            text: text.clone(),
            topics,
            with_person,
        };
        match draft.validate(now(), &FixedZone::utc()) {
            Ok(note) => {
                prop_assert_eq!(note.text(), text.trim());
                let json = serde_json::to_string(&note).unwrap();
                prop_assert_eq!(serde_json::from_str::<hearth_core::Note>(&json).unwrap(), note);
            }
            Err(errors) => {
                prop_assert!(text.trim().is_empty());
                prop_assert_eq!(errors.all().len(), 1);
                prop_assert!(errors.message_for("text").is_some());
            }
        }
    }

    /// Any name that isn't blank or too long is accepted as typed (trimmed).
    #[test]
    fn any_reasonable_name_is_accepted(name in "[\\p{L} '\\-]{1,60}") {
        let draft = PersonDraft {
            preferred_name: name.clone(),
            arrangements: vec![Arrangement::ShortBreaks],
            ..Default::default()
        };
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        match draft.validate(today) {
            Ok(p) => prop_assert_eq!(p.preferred_name(), name.trim()),
            Err(_) => prop_assert!(name.trim().is_empty()),
        }
    }

    /// However many amendments, the history keeps every earlier version in order
    /// and the revision counts them all.
    #[test]
    fn amendments_keep_every_earlier_version(texts in proptest::collection::vec("[a-z]{1,12}", 1..20)) {
        let make = |t: &str| NoteDraft {
            person_id: RecordId::from_random_bytes([6; 16]).to_string(),
            date: "2026-11-21".into(),
            time: "10:00".into(),
            text: t.into(),
            ..Default::default()
        }
        .validate(now(), &FixedZone::utc())
        .unwrap();
        let mut record = Record::create(RecordId::from_random_bytes([7; 16]), make("start"), "Ann", now());
        let mut expected = vec!["start".to_string()];
        for t in &texts {
            let rev = record.rev();
            match record.amend(rev, make(t), "Ann", now()) {
                Ok(()) => expected.push(t.clone()),
                Err(RecordError::Unchanged) => prop_assert_eq!(expected.last().unwrap(), t),
                Err(e) => return Err(TestCaseError::fail(e.to_string())),
            }
        }
        prop_assert_eq!(record.rev() as usize, expected.len());
        let mut seen: Vec<String> = record.history().iter().map(|v| v.body.text().to_string()).collect();
        seen.push(record.body().text().to_string());
        prop_assert_eq!(seen, expected);
    }
}
