//! Every dose's outcome (the MAR's cells), and what is due now.
//!
//! A [`DoseRecord`] records one dose of one medicine: a scheduled dose,
//! named by its [`Slot`], or a "when needed" one. A scheduled dose has one
//! outcome: a second is refused with a message naming the first, and two
//! phones that each recorded one show a conflict ([`conflicts`]), never a
//! silent merge. Every outcome but given and prompted needs a reason; a
//! variable dose stores the amount. A "when needed" dose sooner than its
//! least gap, or over its most in 24 hours, needs an override reason, and is
//! asked about later ("Did it help?").

use crate::id::RecordId;
use crate::mar::Absence;
use crate::medicine::{choices, doses_on, in_force, Amount, Due, Medicine, Schedule, Slot};
use crate::record::{Body, Record};
use crate::validate::{text, ValidationErrors};
use crate::zone::LocalZone;
use chrono::{DateTime, Duration, FixedOffset, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

choices!(
    /// Why a dose wasn't given.
    NotGivenReason {
        /// Asleep.
        Asleep => "Asleep",
        /// Unwell (being sick, too drowsy).
        Unwell => "Unwell",
        /// None left.
        NotInStock => "Not in stock",
        /// A doctor or pharmacist said not to.
        ClinicalAdvice => "Clinical advice",
        /// Something else (the reason says what).
        Other => "Other",
    }
);

choices!(
    /// Where the person was instead.
    AwayReason {
        /// In hospital.
        Hospital => "In hospital",
        /// With family.
        WithFamily => "With family",
        /// At a day service.
        DayService => "At a day service",
        /// With another carer.
        OtherCarer => "With another carer",
    }
);

choices!(
    /// Whether a "when needed" dose helped.
    Helped {
        /// It helped.
        Yes => "Yes, it helped",
        /// A little.
        Partly => "A little",
        /// It didn't.
        No => "No, it didn't help",
    }
);

/// What happened to a dose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Outcome {
    /// Given by the carer.
    Given,
    /// Prompted, and the person took it.
    Prompted,
    /// Part of it taken (the amount is recorded).
    PartTaken,
    /// The person refused it.
    Refused,
    /// Not needed (a "when needed" medicine, or the prescriber's own rule).
    NotNeeded,
    /// Not given, for a reason.
    NotGiven {
        /// Why.
        why: NotGivenReason,
    },
    /// The person was away.
    Away {
        /// Where.
        r#where: AwayReason,
    },
}

impl Outcome {
    /// Every outcome, in the order the screen offers them.
    pub fn all() -> Vec<Outcome> {
        let mut all = vec![
            Outcome::Given,
            Outcome::Prompted,
            Outcome::PartTaken,
            Outcome::Refused,
            Outcome::NotNeeded,
        ];
        all.extend(
            NotGivenReason::ALL
                .iter()
                .map(|&why| Outcome::NotGiven { why }),
        );
        all.extend(
            AwayReason::ALL
                .iter()
                .map(|&r#where| Outcome::Away { r#where }),
        );
        all
    }

    /// True when the medicine was taken (wholly or in part).
    pub fn taken(self) -> bool {
        matches!(
            self,
            Outcome::Given | Outcome::Prompted | Outcome::PartTaken
        )
    }

    /// True when a reason must be written.
    pub fn needs_reason(self) -> bool {
        !matches!(self, Outcome::Given | Outcome::Prompted)
    }

    /// The MAR chart's code (its key is [`codes_key`]).
    pub fn code(self) -> &'static str {
        match self {
            Outcome::Given => "✓",
            Outcome::Prompted => "P",
            Outcome::PartTaken => "PT",
            Outcome::Refused => "R",
            Outcome::NotNeeded => "NR",
            Outcome::NotGiven { why } => match why {
                NotGivenReason::Asleep => "S",
                NotGivenReason::Unwell => "U",
                NotGivenReason::NotInStock => "O",
                NotGivenReason::ClinicalAdvice => "C",
                NotGivenReason::Other => "X",
            },
            Outcome::Away { r#where } => match r#where {
                AwayReason::Hospital => "H",
                AwayReason::WithFamily => "F",
                AwayReason::DayService => "D",
                AwayReason::OtherCarer => "A",
            },
        }
    }

    /// The words on screen.
    pub fn label(self) -> String {
        match self {
            Outcome::Given => "Given".into(),
            Outcome::Prompted => "Prompted and taken".into(),
            Outcome::PartTaken => "Part taken".into(),
            Outcome::Refused => "Refused".into(),
            Outcome::NotNeeded => "Not needed".into(),
            Outcome::NotGiven { why } => format!("Not given: {}", why.label().to_lowercase()),
            Outcome::Away { r#where } => format!("Away: {}", r#where.label().to_lowercase()),
        }
    }
}

/// Every code of the MAR chart with its meaning, printed on every page.
pub fn codes_key() -> Vec<(&'static str, String)> {
    Outcome::all()
        .into_iter()
        .map(|o| (o.code(), o.label()))
        .collect()
}

/// Whether a "when needed" dose helped, asked afterwards.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Effect {
    /// Whether it helped.
    pub helped: Helped,
    /// What the carer saw.
    #[serde(default)]
    pub note: String,
    /// When it was noted.
    pub at: DateTime<FixedOffset>,
}

/// One dose's outcome. Made only by [`DoseDraft::validate`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DoseRecord {
    person_id: RecordId,
    medicine_id: RecordId,
    /// The scheduled dose, or `None` for a "when needed" one.
    slot: Option<Slot>,
    /// When it was given (or not), as the carer says; the record's own
    /// `created_at` is the phone's clock when it was written.
    at: DateTime<FixedOffset>,
    outcome: Outcome,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    amount: Option<Amount>,
    #[serde(default)]
    override_reason: String,
    #[serde(default)]
    effect: Option<Effect>,
}

impl Body for DoseRecord {
    const SCHEMA: u32 = 1;
    const KIND: &'static str = "dose";
}

impl DoseRecord {
    /// Whose dose.
    pub fn person_id(&self) -> RecordId {
        self.person_id
    }
    /// Of which medicine.
    pub fn medicine_id(&self) -> RecordId {
        self.medicine_id
    }
    /// The scheduled dose, or `None` for a "when needed" one.
    pub fn slot(&self) -> Option<Slot> {
        self.slot
    }
    /// When.
    pub fn at(&self) -> DateTime<FixedOffset> {
        self.at
    }
    /// What happened.
    pub fn outcome(&self) -> Outcome {
        self.outcome
    }
    /// The reason written (why not given, or why a "when needed" dose was).
    pub fn reason(&self) -> &str {
        &self.reason
    }
    /// The amount, for a variable dose or part taken.
    pub fn amount(&self) -> Option<Amount> {
        self.amount
    }
    /// Why a "when needed" limit was overridden.
    pub fn override_reason(&self) -> &str {
        &self.override_reason
    }
    /// Whether it helped, once asked.
    pub fn effect(&self) -> Option<&Effect> {
        self.effect.as_ref()
    }
    /// Checks a stored dose on its own (a backup's or the sync's check): a
    /// reason where one is needed, texts as the form saves them, an effect's
    /// note within its limit, nothing later than `latest`. Whether it was one
    /// dose too many is a rule of the moment it was written, not of a copy.
    pub fn check(&self, latest: DateTime<Utc>) -> Result<(), ValidationErrors> {
        let mut e = ValidationErrors::new();
        if self.at.with_timezone(&Utc) > latest + Duration::minutes(5) {
            e.add("time", "It says it was given later than it was saved.");
        }
        let required = (self.outcome.needs_reason()
            || (self.slot.is_none() && self.outcome.taken()))
        .then_some("It has no reason.");
        let reason = text(&mut e, "reason", &self.reason, required, 500);
        let override_reason = text(&mut e, "override_reason", &self.override_reason, None, 300);
        if reason != self.reason || override_reason != self.override_reason {
            e.add(
                "record",
                "Some of its details aren't stored the way Hearth saves them.",
            );
        }
        if let Some(effect) = &self.effect {
            let note = text(&mut e, "effect", &effect.note, None, 500);
            if note != effect.note {
                e.add(
                    "record",
                    "Some of its details aren't stored the way Hearth saves them.",
                );
            }
        }
        e.into_result(|| ())
    }

    /// The answer to "Did it help?", checked: what the carer saw within its
    /// limit, noted no earlier than the dose. The result is an amendment.
    pub fn noted(
        &self,
        helped: Helped,
        note: &str,
        at: DateTime<FixedOffset>,
    ) -> Result<DoseRecord, ValidationErrors> {
        let mut e = ValidationErrors::new();
        let note = text(&mut e, "effect", note, None, 500);
        if at < self.at {
            e.add("effect", "It can't be noted before the dose was given.");
        }
        e.into_result(|| {
            self.with_effect(Effect {
                helped,
                note,
                at: at.max(self.at),
            })
        })
    }

    /// The same dose with its effect noted (an amendment).
    pub fn with_effect(&self, effect: Effect) -> DoseRecord {
        DoseRecord {
            effect: Some(effect),
            ..self.clone()
        }
    }
}

/// How long after a "when needed" dose Hearth asks whether it helped.
pub const ASK_EFFECT_AFTER: Duration = Duration::minutes(30);

/// True when Hearth should ask whether this "when needed" dose helped.
pub fn asks_effect(dose: &DoseRecord, now: DateTime<Utc>) -> bool {
    dose.slot.is_none()
        && dose.outcome.taken()
        && dose.effect.is_none()
        && now >= dose.at.with_timezone(&Utc) + ASK_EFFECT_AFTER
}

/// A dose's outcome as its form holds it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DoseDraft {
    /// The scheduled dose, or `None` for a "when needed" one.
    pub slot: Option<Slot>,
    /// The day it was given, `YYYY-MM-DD`.
    pub date: String,
    /// The time, `HH:MM`.
    pub time: String,
    /// What happened.
    pub outcome: Option<Outcome>,
    /// The reason.
    pub reason: String,
    /// The amount given (a variable dose, part taken, "when needed").
    pub amount: String,
    /// Why a "when needed" limit is overridden.
    pub override_reason: String,
}

/// The live outcomes recorded for one scheduled dose.
pub(crate) fn for_slot(
    doses: &[Record<DoseRecord>],
    medicine: RecordId,
    slot: Slot,
) -> impl Iterator<Item = &Record<DoseRecord>> {
    doses.iter().filter(move |d| {
        d.is_live() && d.body().medicine_id == medicine && d.body().slot == Some(slot)
    })
}

fn clock(at: DateTime<FixedOffset>) -> String {
    crate::easy_read::time_words(at.time())
}

impl DoseDraft {
    /// Checks the outcome of a dose of `medicine` against its version in
    /// force, the doses already recorded (`doses`: this medicine's, or more)
    /// and the rules: one outcome a dose, a reason for every outcome but
    /// given and prompted, the amount of a variable dose, and a "when
    /// needed" medicine's least gap and most in 24 hours unless overridden.
    pub fn validate(
        &self,
        medicine: &Record<Medicine>,
        doses: &[Record<DoseRecord>],
        now: DateTime<Utc>,
        zone: &dyn LocalZone,
    ) -> Result<DoseRecord, ValidationErrors> {
        let mut e = ValidationErrors::new();
        let date = crate::dates::parse_form_date(&self.date);
        let time = crate::dates::parse_form_time(&self.time);
        let at = match (date, time) {
            (Some(d), Some(t)) => Some(zone.resolve(d.and_time(t))),
            _ => {
                e.add("time", "Enter the day and time it was given.");
                None
            }
        };
        if let Some(at) = at {
            if at.with_timezone(&Utc) > now + Duration::minutes(5) {
                e.add(
                    "time",
                    "That time hasn't come yet. Record a dose once it is given.",
                );
            }
        }
        let day = match (self.slot, at) {
            (Some(Slot::At { local }), _) => Some(local.date()),
            (Some(Slot::Instant { at }), _) => Some(zone.to_local(at).date_naive()),
            (None, Some(at)) => Some(at.date_naive()),
            (None, None) => None,
        };
        let version = day.and_then(|d| in_force(medicine, d));
        if day.is_some() && version.is_none() {
            e.add("outcome", "This medicine isn't taken on that day.");
        }
        if self.outcome.is_none() {
            e.add("outcome", "Choose what happened.");
        }
        let when_needed = version.is_some_and(Medicine::is_when_needed);
        let reason_needed = self.outcome.is_some_and(Outcome::needs_reason)
            || (when_needed && self.outcome.is_some_and(Outcome::taken));
        let reason = text(
            &mut e,
            "reason",
            &self.reason,
            reason_needed.then_some(if when_needed {
                "Say why it was needed."
            } else {
                "Say why: every outcome but given and prompted needs a reason."
            }),
            500,
        );
        let amount = self.amount(&mut e, version);
        let override_reason = text(&mut e, "override_reason", &self.override_reason, None, 300);
        if let (Some(version), Some(day), Some(outcome)) = (version, day, self.outcome) {
            match self.slot {
                Some(slot) => {
                    if when_needed {
                        e.add("outcome", "A \"when needed\" medicine has no set doses.");
                    } else if !doses_on(medicine, day, zone)
                        .iter()
                        .any(|d| matches!(d, Due::At { slot: s, .. } if *s == slot))
                    {
                        e.add("outcome", "That dose isn't on the chart for that day.");
                    } else if let Some(first) = for_slot(doses, medicine.id(), slot).next() {
                        e.add(
                            "outcome",
                            format!(
                                "This dose already has an outcome: {}, recorded by {} at {}. If it is wrong, delete it under \"Recorded today\", then record this one.",
                                first.body().outcome.label().to_lowercase(),
                                first.created_by(),
                                clock(first.body().at)
                            ),
                        );
                    }
                }
                None if !when_needed => {
                    e.add("outcome", "Choose which dose this is.");
                }
                None => {
                    if let (Some(at), true) = (at, outcome.taken()) {
                        if override_reason.is_empty() {
                            if let Some(message) =
                                too_soon_or_too_many(version, medicine.id(), doses, at)
                            {
                                e.add("override_reason", message);
                            }
                        }
                    }
                }
            }
        }
        match (at, self.outcome) {
            (Some(at), Some(outcome)) if e.is_empty() => Ok(DoseRecord {
                person_id: medicine.body().person_id(),
                medicine_id: medicine.id(),
                slot: self.slot,
                at,
                outcome,
                reason,
                amount,
                override_reason,
                effect: None,
            }),
            _ => Err(e),
        }
    }

    fn amount(&self, e: &mut ValidationErrors, version: Option<&Medicine>) -> Option<Amount> {
        let version = version?;
        let outcome = self.outcome?;
        let dose = version.dose();
        let needed = match outcome {
            Outcome::PartTaken => true,
            Outcome::Given | Outcome::Prompted => dose.is_variable(),
            _ => false,
        };
        if !needed {
            return None;
        }
        let amount = Amount::parse(&self.amount);
        let unit = dose.unit().label();
        match (amount, dose) {
            (None, _) => {
                e.add("amount", format!("Enter how much was taken, in {unit}s."));
                None
            }
            (Some(a), _) if outcome == Outcome::PartTaken && a >= dose.most() => {
                e.add(
                    "amount",
                    format!("Part of a dose is less than {}.", dose.words()),
                );
                None
            }
            (Some(a), crate::medicine::Dose::Range { min, max, .. })
                if outcome != Outcome::PartTaken && (a < *min || a > *max) =>
            {
                e.add(
                    "amount",
                    format!(
                        "The dose is {}: enter an amount in that range.",
                        dose.words()
                    ),
                );
                None
            }
            (Some(a), _) => Some(a),
        }
    }
}

/// For a "when needed" dose at `at`: why it is too soon after another, or
/// one too many in 24 hours, in words; `None` when it is within the limits.
fn too_soon_or_too_many(
    version: &Medicine,
    medicine: RecordId,
    doses: &[Record<DoseRecord>],
    at: DateTime<FixedOffset>,
) -> Option<String> {
    let Schedule::WhenNeeded {
        min_gap_minutes,
        max_in_24h,
        ..
    } = version.schedule()
    else {
        return None;
    };
    let taken: Vec<&DoseRecord> = doses
        .iter()
        .filter(|d| d.is_live())
        .map(Record::body)
        .filter(|d| d.medicine_id == medicine && d.slot.is_none() && d.outcome.taken())
        .collect();
    let gap = Duration::minutes(i64::from(*min_gap_minutes));
    if let Some(near) = taken
        .iter()
        .filter(|d| (d.at - at).abs() < gap)
        .max_by_key(|d| d.at)
    {
        return Some(format!(
            "The last dose was at {}, and this medicine needs at least {} between doses: wait until {}, or say why it is needed now.",
            clock(near.at),
            crate::visit::hours_words(gap),
            clock(near.at + gap)
        ));
    }
    let day_before = at - Duration::hours(24);
    let in_24h = taken
        .iter()
        .filter(|d| d.at > day_before && d.at <= at)
        .count();
    (in_24h as u32 >= *max_in_24h).then(|| {
        format!(
            "That would be {} doses in 24 hours, and the most is {max_in_24h}: say why it is needed now.",
            in_24h + 1
        )
    })
}

/// Doses recorded twice (two phones each recorded an outcome for one
/// scheduled dose): each set of records, for the carer to sort out. Never
/// merged silently.
pub fn conflicts(doses: &[Record<DoseRecord>]) -> Vec<Vec<RecordId>> {
    let mut by_slot: std::collections::BTreeMap<(RecordId, Slot), Vec<RecordId>> =
        Default::default();
    for d in doses.iter().filter(|d| d.is_live()) {
        if let Some(slot) = d.body().slot {
            by_slot
                .entry((d.body().medicine_id, slot))
                .or_default()
                .push(d.id());
        }
    }
    by_slot.into_values().filter(|ids| ids.len() > 1).collect()
}

/// Where a dose due now stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum DueStatus {
    /// Its time is more than an hour gone and it has no outcome.
    Overdue,
    /// Due now: its time is within the hour either side.
    Now,
}

/// How long after its time a dose with no outcome is overdue.
pub const OVERDUE_AFTER: Duration = Duration::minutes(60);

/// A dose on Today's list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DueDose {
    /// The medicine.
    pub medicine: RecordId,
    /// Which dose.
    pub slot: Slot,
    /// When it is due.
    pub at: DateTime<Utc>,
    /// Due now or overdue.
    pub status: DueStatus,
}

/// Today's doses due now and overdue, for everyone: the scheduled doses of
/// `today` (the phone's local day) from the start of the day to an hour from
/// `now` that have no outcome, overdue ones first, then by time. A dose in a
/// time its person is away (`absences`, the days away entered and those
/// worked out from a short-breaks person's stays) is on the chart as away,
/// not due. Computed when the app opens: no server and no notification is
/// needed.
pub fn due_now(
    medicines: &[Record<Medicine>],
    doses: &[Record<DoseRecord>],
    absences: &[Record<Absence>],
    today: NaiveDate,
    now: DateTime<Utc>,
    zone: &dyn LocalZone,
) -> Vec<DueDose> {
    let mut due: Vec<DueDose> = medicines
        .iter()
        .flat_map(|m| {
            let person = m.body().person_id();
            doses_on(m, today, zone)
                .into_iter()
                .filter_map(move |d| match d {
                    Due::At { slot, at } => Some((m.id(), person, slot, at)),
                    Due::Skipped { .. } => None,
                })
        })
        .filter(|(_, _, _, at)| *at <= now + Duration::minutes(60))
        .filter(|(_, person, _, at)| {
            !absences
                .iter()
                .any(|a| a.is_live() && a.body().person_id() == *person && a.body().covers(*at))
        })
        .filter(|(medicine, _, slot, _)| for_slot(doses, *medicine, *slot).next().is_none())
        .map(|(medicine, _, slot, at)| DueDose {
            medicine,
            slot,
            at,
            status: if at + OVERDUE_AFTER < now {
                DueStatus::Overdue
            } else {
                DueStatus::Now
            },
        })
        .collect();
    crate::order::sort_by_key(&mut due, |d| (d.status, d.at, d.medicine));
    due
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::medicine::london::London;
    use crate::medicine::tests::{d, paracetamol, record, t, utc};
    use crate::medicine::MedicineDraft;

    fn slot(day: NaiveDate, h: u32, m: u32) -> Option<Slot> {
        Some(Slot::At {
            local: day.and_time(t(h, m)),
        })
    }

    fn given(slot: Option<Slot>, date: &str, time: &str) -> DoseDraft {
        DoseDraft {
            slot,
            date: date.into(),
            time: time.into(),
            outcome: Some(Outcome::Given),
            ..Default::default()
        }
    }

    fn stored(body: DoseRecord, by: &str, n: u8) -> Record<DoseRecord> {
        Record::create(
            RecordId::from_random_bytes([n; 16]),
            body,
            by,
            utc(2026, 3, 5, 8, 5),
        )
    }

    const NOW: (i32, u32, u32, u32, u32) = (2026, 3, 5, 12, 0);

    fn now() -> DateTime<Utc> {
        utc(NOW.0, NOW.1, NOW.2, NOW.3, NOW.4)
    }

    #[test]
    fn a_dose_has_one_outcome_and_a_second_given_names_the_first() {
        let med = record(&paracetamol());
        let first = given(slot(d(2026, 3, 5), 8, 0), "2026-03-05", "08:05")
            .validate(&med, &[], now(), &London)
            .unwrap();
        assert_eq!(first.outcome(), Outcome::Given);
        assert_eq!(first.amount(), None, "a fixed dose needs no amount");
        let doses = vec![stored(first, "Ann", 1)];
        let errors = given(slot(d(2026, 3, 5), 8, 0), "2026-03-05", "08:30")
            .validate(&med, &doses, now(), &London)
            .unwrap_err();
        assert_eq!(
            errors.message_for("outcome"),
            Some("This dose already has an outcome: given, recorded by Ann at 8:05am. If it is wrong, delete it under \"Recorded today\", then record this one.")
        );
        // The evening dose is another dose.
        assert!(given(slot(d(2026, 3, 5), 20, 0), "2026-03-05", "11:00")
            .validate(&med, &doses, now(), &London)
            .is_ok());
        // A dose that isn't on the chart.
        let errors = given(slot(d(2026, 3, 5), 9, 0), "2026-03-05", "09:00")
            .validate(&med, &doses, now(), &London)
            .unwrap_err();
        assert_eq!(
            errors.message_for("outcome"),
            Some("That dose isn't on the chart for that day.")
        );
    }

    #[test]
    fn every_outcome_but_given_and_prompted_needs_a_reason() {
        let med = record(&paracetamol());
        for outcome in Outcome::all() {
            let draft = DoseDraft {
                outcome: Some(outcome),
                amount: "1".into(),
                ..given(slot(d(2026, 3, 5), 8, 0), "2026-03-05", "08:05")
            };
            let result = draft.validate(&med, &[], now(), &London);
            assert_eq!(result.is_err(), outcome.needs_reason(), "{outcome:?}");
            if outcome.needs_reason() {
                assert!(result.unwrap_err().message_for("reason").is_some());
                let with_reason = DoseDraft {
                    reason: "Said no, tried again at 8:30".into(),
                    ..draft
                };
                assert!(
                    with_reason.validate(&med, &[], now(), &London).is_ok(),
                    "{outcome:?}"
                );
            }
        }
    }

    #[test]
    fn a_variable_dose_stores_the_amount_given_and_part_taken_is_less() {
        let mut draft = paracetamol();
        draft.dose = "1".into();
        draft.dose_max = "2".into();
        let med = record(&draft);
        let dose = given(slot(d(2026, 3, 5), 8, 0), "2026-03-05", "08:05");
        assert_eq!(
            dose.validate(&med, &[], now(), &London)
                .unwrap_err()
                .message_for("amount"),
            Some("Enter how much was taken, in tablets.")
        );
        let three = DoseDraft {
            amount: "3".into(),
            ..dose.clone()
        };
        assert_eq!(
            three
                .validate(&med, &[], now(), &London)
                .unwrap_err()
                .message_for("amount"),
            Some("The dose is 1 to 2 tablets: enter an amount in that range.")
        );
        let two = DoseDraft {
            amount: "2".into(),
            ..dose.clone()
        };
        assert_eq!(
            two.validate(&med, &[], now(), &London).unwrap().amount(),
            Amount::parse("2")
        );
        let part = DoseDraft {
            outcome: Some(Outcome::PartTaken),
            reason: "Spat one out".into(),
            amount: "2".into(),
            ..dose
        };
        assert_eq!(
            part.validate(&med, &[], now(), &London)
                .unwrap_err()
                .message_for("amount"),
            Some("Part of a dose is less than 1 to 2 tablets.")
        );
    }

    fn when_needed() -> Record<Medicine> {
        let mut draft = paracetamol();
        draft.schedule = "when_needed".into();
        draft.when_needed_reason = "For pain".into();
        draft.min_gap_hours = "4".into();
        draft.max_in_24h = "3".into();
        record(&draft)
    }

    fn prn(time: &str) -> DoseDraft {
        DoseDraft {
            reason: "Headache".into(),
            ..given(None, "2026-03-05", time)
        }
    }

    #[test]
    fn a_when_needed_dose_too_soon_or_one_too_many_needs_an_override_reason() {
        let med = when_needed();
        assert_eq!(
            given(None, "2026-03-05", "08:00")
                .validate(&med, &[], now(), &London)
                .unwrap_err()
                .message_for("reason"),
            Some("Say why it was needed.")
        );
        let mut doses = vec![stored(
            prn("08:00").validate(&med, &[], now(), &London).unwrap(),
            "Ann",
            1,
        )];
        let errors = prn("10:00")
            .validate(&med, &doses, now(), &London)
            .unwrap_err();
        assert_eq!(
            errors.message_for("override_reason"),
            Some("The last dose was at 8am, and this medicine needs at least 4 hours between doses: wait until midday, or say why it is needed now.")
        );
        let overridden = DoseDraft {
            override_reason: "GP said to on the phone".into(),
            ..prn("10:00")
        };
        doses.push(stored(
            overridden.validate(&med, &doses, now(), &London).unwrap(),
            "Ann",
            2,
        ));
        // Two in the day so far; a third at 14:05 is within the 4 hours of 10:00.
        assert!(prn("14:05")
            .validate(&med, &doses, now() + Duration::hours(3), &London)
            .is_ok());
        doses.push(stored(
            prn("14:05")
                .validate(&med, &doses, now() + Duration::hours(3), &London)
                .unwrap(),
            "Ann",
            3,
        ));
        let errors = prn("18:10")
            .validate(&med, &doses, now() + Duration::hours(7), &London)
            .unwrap_err();
        assert_eq!(
            errors.message_for("override_reason"),
            Some("That would be 4 doses in 24 hours, and the most is 3: say why it is needed now.")
        );
        // A refusal isn't a dose taken, and needs no override.
        let refused = DoseDraft {
            outcome: Some(Outcome::Refused),
            ..prn("15:00")
        };
        assert!(refused
            .validate(&med, &doses, now() + Duration::hours(7), &London)
            .is_ok());
    }

    #[test]
    fn a_when_needed_dose_is_asked_about_afterwards() {
        let med = when_needed();
        let dose = prn("08:00").validate(&med, &[], now(), &London).unwrap();
        assert!(!asks_effect(&dose, utc(2026, 3, 5, 8, 20)));
        assert!(asks_effect(&dose, utc(2026, 3, 5, 8, 30)));
        let effect = Effect {
            helped: Helped::Yes,
            note: "Headache gone".into(),
            at: dose.at() + Duration::hours(1),
        };
        assert!(!asks_effect(
            &dose.with_effect(effect),
            utc(2026, 3, 5, 9, 30)
        ));
    }

    #[test]
    fn did_it_help_is_checked_and_trimmed() {
        let dose = prn("08:00")
            .validate(&when_needed(), &[], now(), &London)
            .unwrap();
        let later = dose.at() + Duration::hours(1);
        let noted = dose.noted(Helped::Partly, "  Calmer  ", later).unwrap();
        assert_eq!(noted.effect().unwrap().note, "Calmer");
        assert_eq!(noted.effect().unwrap().helped, Helped::Partly);
        assert!(noted.check(now() + Duration::hours(2)).is_ok());
        let errors = dose
            .noted(Helped::Yes, &"x".repeat(501), later)
            .unwrap_err();
        assert!(errors
            .message_for("effect")
            .unwrap()
            .starts_with("Keep this to 500"));
        assert!(dose
            .noted(Helped::Yes, "", dose.at() - Duration::minutes(1))
            .is_err());
    }

    #[test]
    fn a_dose_in_the_future_is_refused() {
        let med = record(&paracetamol());
        let errors = given(slot(d(2026, 3, 5), 20, 0), "2026-03-05", "20:00")
            .validate(&med, &[], now(), &London)
            .unwrap_err();
        assert_eq!(
            errors.message_for("time"),
            Some("That time hasn't come yet. Record a dose once it is given.")
        );
    }

    #[test]
    fn two_phones_recording_one_dose_show_a_conflict() {
        let med = record(&paracetamol());
        let on_ann = given(slot(d(2026, 3, 5), 8, 0), "2026-03-05", "08:05")
            .validate(&med, &[], now(), &London)
            .unwrap();
        let on_dev = given(slot(d(2026, 3, 5), 8, 0), "2026-03-05", "08:10")
            .validate(&med, &[], now(), &London)
            .unwrap();
        let evening = given(slot(d(2026, 3, 5), 20, 0), "2026-03-05", "11:00")
            .validate(&med, &[], now(), &London)
            .unwrap();
        let doses = vec![
            stored(on_ann, "Ann", 1),
            stored(on_dev, "Dev", 2),
            stored(evening, "Ann", 3),
        ];
        assert_eq!(conflicts(&doses), vec![vec![doses[0].id(), doses[1].id()]]);
    }

    #[test]
    fn today_lists_the_doses_due_now_and_overdue_not_those_recorded_or_later() {
        let med = record(&paracetamol());
        let mut lunch = paracetamol();
        lunch.name = "Ibuprofen".into();
        lunch.times = vec!["12:30".into(), "23:00".into()];
        let lunch = Record::create(
            RecordId::from_random_bytes([9; 16]),
            lunch.validate().unwrap(),
            "Ann",
            utc(2026, 3, 1, 9, 0),
        );
        let meds = vec![med.clone(), lunch.clone()];
        let due = due_now(&meds, &[], &[], d(2026, 3, 5), now(), &London);
        assert_eq!(
            due.iter()
                .map(|d| (d.medicine, d.status))
                .collect::<Vec<_>>(),
            [(med.id(), DueStatus::Overdue), (lunch.id(), DueStatus::Now)]
        );
        let morning = given(slot(d(2026, 3, 5), 8, 0), "2026-03-05", "08:05")
            .validate(&med, &[], now(), &London)
            .unwrap();
        let due = due_now(
            &meds,
            &[stored(morning, "Ann", 1)],
            &[],
            d(2026, 3, 5),
            now(),
            &London,
        );
        assert_eq!(due.len(), 1, "the morning dose is recorded");
        assert_eq!(due[0].medicine, lunch.id());
        // On the spring day a dose in the skipped hour isn't listed.
        let mut night = MedicineDraft {
            times: vec!["01:30".into()],
            ..paracetamol()
        };
        night.name = "Melatonin".into();
        let night = record(&night);
        assert!(due_now(
            &[night],
            &[],
            &[],
            d(2026, 3, 29),
            utc(2026, 3, 29, 9, 0),
            &London
        )
        .is_empty());
    }

    #[test]
    fn every_code_on_the_chart_is_different_and_explained() {
        let key = codes_key();
        let mut codes: Vec<&str> = key.iter().map(|(c, _)| *c).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), key.len());
        assert!(key.contains(&("H", "Away: in hospital".to_string())));
    }
}
