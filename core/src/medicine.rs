//! Medicines: what each person takes, as it is on the pharmacy label, and
//! when each dose is due.
//!
//! A prescription is a [`Medicine`] record. A change to it (a new dose, new
//! times, a stop date) is an amendment, never an edit in place: the earlier
//! version stays in the record's history with who entered it, and each
//! version carries its own [`Authority`] (who authorised it, from what, from
//! which day). So the doses due on a day come from the version in force that
//! day ([`in_force`]), and a change never rewrites the past chart.
//!
//! Schedules are wall-clock times in the household's zone; doses are
//! instants. On the day the clocks go forward a time in the skipped hour does
//! not exist ([`Due::Skipped`] says so); on the day they go back a time in the
//! repeated hour is still one dose. A medicine taken "every 12 hours" counts
//! real hours from its first dose, so it stays twelve-hourly across the change.

use crate::dates;
use crate::id::RecordId;
use crate::record::{Body, Record};
use crate::validate::{text, ValidationErrors};
use crate::zone::LocalZone;
use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

/// A closed list of choices with their words on screen.
macro_rules! choices {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident => $label:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vdoc])* $variant),+
        }

        impl $name {
            /// Every choice, in form order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The words on screen.
            pub fn label(self) -> &'static str {
                match self {
                    $($name::$variant => $label),+
                }
            }
        }
    };
}
pub(crate) use choices;

choices!(
    /// What the medicine is, as the label says.
    Form {
        /// Tablets.
        Tablet => "Tablet",
        /// Capsules.
        Capsule => "Capsule",
        /// A liquid or syrup.
        Liquid => "Liquid",
        /// An inhaler.
        Inhaler => "Inhaler",
        /// Drops (eye, ear, nose).
        Drops => "Drops",
        /// A cream, ointment or gel.
        Cream => "Cream or ointment",
        /// A patch.
        Patch => "Patch",
        /// A sachet or powder.
        Sachet => "Sachet or powder",
        /// An injection.
        Injection => "Injection",
        /// Anything else (the instructions say what).
        Other => "Other",
    }
);

choices!(
    /// How it is taken.
    Route {
        /// Swallowed.
        Mouth => "By mouth",
        /// Under the tongue or in the cheek.
        UnderTongue => "Under the tongue",
        /// On the skin.
        Skin => "On the skin",
        /// In the eye.
        Eye => "In the eye",
        /// In the ear.
        Ear => "In the ear",
        /// In the nose.
        Nose => "In the nose",
        /// Breathed in.
        Inhaled => "Breathed in",
        /// Rectal.
        Rectal => "Rectal",
        /// Injected.
        Injected => "Injected",
    }
);

choices!(
    /// The unit a dose is counted in.
    Unit {
        /// Tablets.
        Tablet => "tablet",
        /// Capsules.
        Capsule => "capsule",
        /// Millilitres.
        Ml => "ml",
        /// Milligrams.
        Mg => "mg",
        /// Puffs of an inhaler.
        Puff => "puff",
        /// Drops.
        Drop => "drop",
        /// Patches.
        Patch => "patch",
        /// Sachets.
        Sachet => "sachet",
        /// Applications of a cream.
        Application => "application",
        /// Units (insulin).
        Units => "unit",
    }
);

choices!(
    /// How the person is supported with this medicine (NICE NG67).
    Support {
        /// They manage it themselves: the care plan says so, and no dose is
        /// recorded.
        SelfManages => "Manages it themselves",
        /// The carer reminds them.
        Prompted => "Prompted by the carer",
        /// The carer helps (opens the pack, pours the liquid).
        Assisted => "Assisted by the carer",
        /// The carer gives it.
        Given => "Given by the carer",
    }
);

choices!(
    /// Where a prescription (or a change to one) came from.
    Source {
        /// The pharmacy's dispensing label.
        Label => "Pharmacy label",
        /// A prescription.
        Prescription => "Prescription",
        /// A hospital discharge letter.
        DischargeLetter => "Discharge letter",
        /// A phone call (to be confirmed in writing).
        PhoneCall => "Phone call",
        /// A text or other message (to be confirmed in writing).
        Message => "Message",
    }
);

impl Source {
    /// True for a source that must be confirmed in writing (NICE SC1).
    pub fn needs_writing(self) -> bool {
        matches!(self, Source::PhoneCall | Source::Message)
    }
}

/// An amount of a unit, in thousandths, so that "0.5" and "2.5" are exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Amount(u32);

impl Amount {
    /// Reads "2", "0.5", "2.25" (up to three decimals, more than 0, at most
    /// 100,000).
    pub fn parse(raw: &str) -> Option<Amount> {
        let raw = raw.trim();
        let (whole, fraction) = raw.split_once('.').unwrap_or((raw, ""));
        if whole.is_empty() && fraction.is_empty()
            || !whole.chars().all(|c| c.is_ascii_digit())
            || !fraction.chars().all(|c| c.is_ascii_digit())
            || fraction.len() > 3
            || whole.len() > 6
        {
            return None;
        }
        let whole: u32 = if whole.is_empty() {
            0
        } else {
            whole.parse().ok()?
        };
        let fraction: u32 = format!("{fraction:0<3}").parse().ok()?;
        let amount = whole.checked_mul(1000)?.checked_add(fraction)?;
        (amount > 0 && amount <= 100_000_000).then_some(Amount(amount))
    }

    /// The amount as typed back: "2", "0.5", "2.25".
    pub fn text(self) -> String {
        let (whole, fraction) = (self.0 / 1000, self.0 % 1000);
        if fraction == 0 {
            whole.to_string()
        } else {
            format!("{whole}.{}", format!("{fraction:03}").trim_end_matches('0'))
        }
    }
}

/// "1 tablet", "2 tablets", "5 ml", "0.5 tablet".
pub fn amount_words(amount: Amount, unit: Unit) -> String {
    let counted = !matches!(unit, Unit::Ml | Unit::Mg);
    let plural = counted && amount.0 > 1000;
    let word = match (unit, plural) {
        (Unit::Patch, true) => "patches".to_string(),
        (u, true) => format!("{}s", u.label()),
        (u, false) => u.label().to_string(),
    };
    format!("{} {word}", amount.text())
}

/// How much is taken each time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Dose {
    /// Always the same amount.
    Fixed {
        /// The amount.
        amount: Amount,
        /// Its unit.
        unit: Unit,
    },
    /// A range, such as "1 or 2 tablets": the amount given is recorded.
    Range {
        /// The least.
        min: Amount,
        /// The most.
        max: Amount,
        /// Their unit.
        unit: Unit,
    },
}

impl Dose {
    /// "2 tablets", "1 to 2 tablets".
    pub fn words(&self) -> String {
        match *self {
            Dose::Fixed { amount, unit } => amount_words(amount, unit),
            Dose::Range { min, max, unit } => {
                format!("{} to {}", min.text(), amount_words(max, unit))
            }
        }
    }

    /// The unit.
    pub fn unit(&self) -> Unit {
        match *self {
            Dose::Fixed { unit, .. } | Dose::Range { unit, .. } => unit,
        }
    }

    /// True when the amount given must be recorded (a range).
    pub fn is_variable(&self) -> bool {
        matches!(self, Dose::Range { .. })
    }

    /// The most one dose may be.
    pub fn most(&self) -> Amount {
        match *self {
            Dose::Fixed { amount, .. } => amount,
            Dose::Range { max, .. } => max,
        }
    }
}

/// When a medicine is taken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Schedule {
    /// At these wall-clock times each day (in the household's zone), earliest
    /// first.
    Times {
        /// The times.
        times: Vec<NaiveTime>,
    },
    /// Every so many hours of real time from the first dose on the start day
    /// (antibiotics "every 8 hours"): across the clocks changing the doses
    /// stay that many hours apart, so their wall-clock times move by an hour.
    Every {
        /// Hours between doses, 1 to 24.
        hours: u32,
        /// The first dose's time on the start day.
        first: NaiveTime,
    },
    /// When needed ("PRN"), with its reason and limits.
    WhenNeeded {
        /// What it is for ("for pain", "if anxious").
        reason: String,
        /// The least time between doses, in minutes.
        min_gap_minutes: u32,
        /// The most doses in any 24 hours.
        max_in_24h: u32,
    },
}

/// Who authorised a version of a prescription, from what and from when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Authority {
    /// Who authorised it (the GP, the pharmacist, the hospital).
    pub authorised_by: String,
    /// What it came from.
    pub source: Source,
    /// The day it applies from.
    pub from: NaiveDate,
    /// For a version taken by phone or message: the written confirmation, once
    /// it has come (what, and the day).
    #[serde(default)]
    pub confirmed: Option<(Source, NaiveDate)>,
}

impl Authority {
    /// True for a version taken by phone or message and not yet confirmed in
    /// writing: shown as "Waiting for written confirmation".
    pub fn waiting_for_writing(&self) -> bool {
        self.source.needs_writing() && self.confirmed.is_none()
    }
}

/// One version of a person's prescription. Made only by
/// [`MedicineDraft::validate`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Medicine {
    person_id: RecordId,
    name: String,
    form: Form,
    strength: String,
    dose: Dose,
    route: Route,
    schedule: Schedule,
    support: Support,
    start: NaiveDate,
    stop: Option<NaiveDate>,
    review: Option<NaiveDate>,
    instructions: String,
    prescriber: String,
    authority: Authority,
}

impl Body for Medicine {
    const SCHEMA: u32 = 1;
    const KIND: &'static str = "medicine";
}

impl Medicine {
    /// Whose medicine.
    pub fn person_id(&self) -> RecordId {
        self.person_id
    }
    /// The name, as on the label.
    pub fn name(&self) -> &str {
        &self.name
    }
    /// The form.
    pub fn form(&self) -> Form {
        self.form
    }
    /// The strength ("500 mg", "5 mg/5 ml"), as on the label.
    pub fn strength(&self) -> &str {
        &self.strength
    }
    /// The dose.
    pub fn dose(&self) -> &Dose {
        &self.dose
    }
    /// The route.
    pub fn route(&self) -> Route {
        self.route
    }
    /// When it is taken.
    pub fn schedule(&self) -> &Schedule {
        &self.schedule
    }
    /// How the person is supported.
    pub fn support(&self) -> Support {
        self.support
    }
    /// The first day.
    pub fn start(&self) -> NaiveDate {
        self.start
    }
    /// The day it stops (no dose is due on it or after).
    pub fn stop(&self) -> Option<NaiveDate> {
        self.stop
    }
    /// The day it is to be reviewed.
    pub fn review(&self) -> Option<NaiveDate> {
        self.review
    }
    /// Instructions ("with food").
    pub fn instructions(&self) -> &str {
        &self.instructions
    }
    /// The prescriber or GP practice.
    pub fn prescriber(&self) -> &str {
        &self.prescriber
    }
    /// Who authorised this version, from what and from when.
    pub fn authority(&self) -> &Authority {
        &self.authority
    }
    /// True for a "when needed" medicine.
    pub fn is_when_needed(&self) -> bool {
        matches!(self.schedule, Schedule::WhenNeeded { .. })
    }
    /// True when its doses are recorded (not for one the person manages).
    pub fn is_recorded(&self) -> bool {
        self.support != Support::SelfManages
    }
    /// True when it is taken on `day`: started, not stopped.
    pub fn is_taken_on(&self, day: NaiveDate) -> bool {
        self.start <= day && self.stop.is_none_or(|stop| day < stop)
    }
    /// True when its review date has passed by `today`.
    pub fn review_overdue(&self, today: NaiveDate) -> bool {
        self.review.is_some_and(|r| r < today) && self.stop.is_none_or(|s| today < s)
    }
    /// When it is taken, in words: "At 8am and 6pm", "Every 8 hours from
    /// 6am", "When needed: for pain. At least 4 hours apart, at most 4 in 24
    /// hours".
    pub fn when_words(&self) -> String {
        let clock = crate::easy_read::time_words;
        match &self.schedule {
            Schedule::Times { times } => {
                let words: Vec<String> = times.iter().map(|t| clock(*t)).collect();
                let list = match words.split_last() {
                    Some((last, [])) => last.clone(),
                    Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
                    None => String::new(),
                };
                format!("At {list}")
            }
            Schedule::Every { hours, first } => {
                format!(
                    "Every {} from {}",
                    crate::visit::plural(i64::from(*hours), "hour"),
                    clock(*first)
                )
            }
            Schedule::WhenNeeded {
                reason,
                min_gap_minutes,
                max_in_24h,
            } => format!(
                "When needed: {}. At least {} apart, at most {max_in_24h} in 24 hours",
                crate::bidi::isolate(&reason.to_lowercase()),
                crate::visit::hours_words(Duration::minutes(i64::from(*min_gap_minutes)))
            ),
        }
    }

    /// "Paracetamol 500 mg tablet".
    pub fn title(&self) -> String {
        let strength = if self.strength.is_empty() {
            String::new()
        } else {
            format!(" {}", self.strength)
        };
        format!(
            "{}{strength} {}",
            crate::bidi::isolate(&self.name),
            self.form.label().to_lowercase()
        )
    }
    /// The same prescription confirmed in writing (`source`, on `day`), for
    /// the amendment that confirms a version taken by phone.
    pub fn confirmed(&self, source: Source, day: NaiveDate) -> Option<Medicine> {
        (self.authority.waiting_for_writing() && !source.needs_writing()).then(|| {
            let mut m = self.clone();
            m.authority.confirmed = Some((source, day));
            m
        })
    }
}

/// The version of a medicine in force on `day`: of its versions (the
/// earlier ones in its history, then the current), the last one entered
/// whose authority applies from that day or before. `None` before the
/// first version applies, for a deleted medicine, and on days it isn't taken
/// (before its start, from its stop date).
pub fn in_force(record: &Record<Medicine>, day: NaiveDate) -> Option<&Medicine> {
    if !record.is_live() {
        return None;
    }
    record
        .versions()
        .map(|(m, _)| m)
        .filter(|m| m.authority.from <= day)
        .last()
        .filter(|m| m.is_taken_on(day))
}

/// Which dose of a day a scheduled dose is: its identity, the same on every
/// phone, so one dose has one outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Slot {
    /// A wall-clock time on a day ([`Schedule::Times`]).
    At {
        /// The day and time, in the household's zone.
        local: NaiveDateTime,
    },
    /// An instant ([`Schedule::Every`]).
    Instant {
        /// When.
        at: DateTime<Utc>,
    },
}

impl Slot {
    /// The slot as text for an address: `2026-12-03T08:00` for a
    /// wall-clock dose, `@1796300000` (seconds since 1970) for an instant.
    pub fn key(&self) -> String {
        match self {
            Slot::At { local } => format!(
                "{}T{}",
                dates::form_date(local.date()),
                dates::form_time(local.time())
            ),
            Slot::Instant { at } => format!("@{}", at.timestamp()),
        }
    }

    /// Reads [`Slot::key`] back.
    pub fn from_key(key: &str) -> Option<Slot> {
        if let Some(seconds) = key.strip_prefix('@') {
            let at = DateTime::from_timestamp(seconds.parse().ok()?, 0)?;
            return Some(Slot::Instant { at });
        }
        let (day, time) = key.split_once('T')?;
        let local = dates::parse_form_date(day)?.and_time(dates::parse_form_time(time)?);
        Some(Slot::At { local })
    }
}

/// A dose of a day, as the schedule in force gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    /// Due at this instant.
    At {
        /// Its identity.
        slot: Slot,
        /// When it is due.
        at: DateTime<Utc>,
    },
    /// A time the clocks skip that day (in the hour the clocks go forward):
    /// there is no such time, so no dose; the screens say so.
    Skipped {
        /// The day and the time that doesn't exist.
        local: NaiveDateTime,
    },
}

impl Due {
    /// The instant, for a dose that exists.
    pub fn at(&self) -> Option<DateTime<Utc>> {
        match self {
            Due::At { at, .. } => Some(*at),
            Due::Skipped { .. } => None,
        }
    }
}

/// The instant of a wall-clock time here, or `None` when the clocks skip it.
/// In the hour that happens twice, the first (summer-time) one.
pub fn instant_of(local: NaiveDateTime, zone: &dyn LocalZone) -> Option<DateTime<Utc>> {
    let at = zone.resolve(local).with_timezone(&Utc);
    // The zone may offer either offset for a repeated hour: take the earlier
    // instant that shows this wall-clock time.
    let earlier = at - Duration::hours(1);
    if zone.to_local(earlier).naive_local() == local {
        return Some(earlier);
    }
    (zone.to_local(at).naive_local() == local).then_some(at)
}

/// The scheduled doses of one medicine on `day` (its version in force that
/// day), earliest first. None for a "when needed" medicine or one the person
/// manages themselves.
pub fn doses_on(record: &Record<Medicine>, day: NaiveDate, zone: &dyn LocalZone) -> Vec<Due> {
    let Some(medicine) = in_force(record, day) else {
        return Vec::new();
    };
    if !medicine.is_recorded() {
        return Vec::new();
    }
    match &medicine.schedule {
        Schedule::WhenNeeded { .. } => Vec::new(),
        Schedule::Times { times } => times
            .iter()
            .map(|t| {
                let local = day.and_time(*t);
                match instant_of(local, zone) {
                    Some(at) => Due::At {
                        slot: Slot::At { local },
                        at,
                    },
                    None => Due::Skipped { local },
                }
            })
            .collect(),
        Schedule::Every { hours, first } => {
            // Counted from the first dose of the version in force, in real hours.
            let anchor_day = medicine.authority.from.max(medicine.start);
            let Some(anchor) = instant_of(anchor_day.and_time(*first), zone)
                .or_else(|| instant_of(anchor_day.and_time(*first) + Duration::hours(1), zone))
            else {
                return Vec::new();
            };
            let step = Duration::hours(i64::from(*hours));
            let starts = instant_of(day.and_time(NaiveTime::MIN), zone).unwrap_or_else(|| {
                zone.resolve(day.and_time(NaiveTime::MIN))
                    .with_timezone(&Utc)
            });
            let since = (starts - anchor).num_seconds().max(0);
            let mut k = since / step.num_seconds();
            let mut doses = Vec::new();
            loop {
                let at = anchor + step * (k as i32);
                k += 1;
                let local_day = zone.to_local(at).date_naive();
                if local_day < day {
                    continue;
                }
                if local_day > day {
                    break;
                }
                doses.push(Due::At {
                    slot: Slot::Instant { at },
                    at,
                });
            }
            doses
        }
    }
}

/// A medicine as its form holds it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MedicineDraft {
    /// The person's record id, as text.
    pub person_id: String,
    /// The name, as on the label.
    pub name: String,
    /// The form.
    pub form: Option<Form>,
    /// The strength, as on the label.
    pub strength: String,
    /// The dose: an amount ("2"), or the least of a range.
    pub dose: String,
    /// The most of a range ("1 or 2 tablets": dose "1", dose_max "2"), or
    /// empty for a fixed dose.
    pub dose_max: String,
    /// The dose's unit.
    pub unit: Option<Unit>,
    /// The route.
    pub route: Option<Route>,
    /// "times", "every" or "when_needed".
    pub schedule: String,
    /// The times of day (`HH:MM`), for "times"; the first, for "every".
    pub times: Vec<String>,
    /// Hours between doses, for "every".
    pub every_hours: String,
    /// What a "when needed" medicine is for.
    pub when_needed_reason: String,
    /// The least time between "when needed" doses, in hours (may be "0.5").
    pub min_gap_hours: String,
    /// The most "when needed" doses in 24 hours.
    pub max_in_24h: String,
    /// How the person is supported.
    pub support: Option<Support>,
    /// The first day, `YYYY-MM-DD`.
    pub start: String,
    /// The stop day, or empty.
    pub stop: String,
    /// The review day, or empty.
    pub review: String,
    /// Instructions.
    pub instructions: String,
    /// The prescriber or GP practice.
    pub prescriber: String,
    /// Who authorised this version.
    pub authorised_by: String,
    /// What it came from.
    pub source: Option<Source>,
    /// The day this version applies from (the start day for a new medicine).
    pub from: String,
    /// For a version taken by phone or message: what confirmed it in
    /// writing, once it has been.
    pub confirmed_source: Option<Source>,
    /// The day it was confirmed.
    pub confirmed_on: String,
}

/// The longest a medicine's name may be.
pub const MAX_NAME_CHARS: usize = 120;

impl MedicineDraft {
    /// Checks every field, in form order, in plain English.
    pub fn validate(&self) -> Result<Medicine, ValidationErrors> {
        let mut e = ValidationErrors::new();
        let person_id = self.person_id.parse::<RecordId>().ok();
        if person_id.is_none() {
            e.add("person_id", "Choose whose medicine this is.");
        }
        let name = text(
            &mut e,
            "name",
            &self.name,
            Some("Enter the medicine's name, as it is on the pharmacy label."),
            MAX_NAME_CHARS,
        );
        if self.form.is_none() {
            e.add("form", "Choose what form it is: tablet, liquid, cream…");
        }
        let strength = text(&mut e, "strength", &self.strength, None, 60);
        let dose = self.dose(&mut e);
        if self.route.is_none() {
            e.add("route", "Choose how it is taken.");
        }
        let schedule = self.schedule(&mut e);
        if self.support.is_none() {
            e.add("support", "Choose how the person is supported with it.");
        }
        let start = dates::parse_form_date(&self.start);
        if start.is_none() {
            e.add("start", "Enter the day they start taking it.");
        }
        let stop = optional_date(&mut e, "stop", &self.stop);
        if let (Some(start), Some(stop)) = (start, stop) {
            if stop <= start {
                e.add("stop", "The stop date comes after the start date.");
            }
        }
        let review = optional_date(&mut e, "review", &self.review);
        let instructions = text(&mut e, "instructions", &self.instructions, None, 500);
        let prescriber = text(&mut e, "prescriber", &self.prescriber, None, 120);
        let authorised_by = text(
            &mut e,
            "authorised_by",
            &self.authorised_by,
            Some("Say who prescribed or changed it: the GP, the pharmacist or the hospital."),
            120,
        );
        if self.source.is_none() {
            e.add(
                "source",
                "Choose where this came from: the label, a prescription, a letter, a phone call or a message.",
            );
        }
        let from = if self.from.trim().is_empty() {
            start
        } else {
            let from = dates::parse_form_date(&self.from);
            if from.is_none() {
                e.add("from", "Enter the day this applies from.");
            }
            from
        };
        let confirmed = self.confirmation(&mut e);
        match (
            person_id,
            self.form,
            dose,
            self.route,
            schedule,
            self.support,
            start,
            from,
            self.source,
        ) {
            (
                Some(person_id),
                Some(form),
                Some(dose),
                Some(route),
                Some(schedule),
                Some(support),
                Some(start),
                Some(from),
                Some(source),
            ) if e.is_empty() => Ok(Medicine {
                person_id,
                name,
                form,
                strength,
                dose,
                route,
                schedule,
                support,
                start,
                stop,
                review,
                instructions,
                prescriber,
                authority: Authority {
                    authorised_by,
                    source,
                    from,
                    confirmed,
                },
            }),
            _ => Err(e),
        }
    }

    fn confirmation(&self, e: &mut ValidationErrors) -> Option<(Source, NaiveDate)> {
        let on = optional_date(e, "confirmed_on", &self.confirmed_on);
        match (self.confirmed_source, on) {
            (None, None) => None,
            (Some(source), Some(on)) if !source.needs_writing() => {
                if !self.source.is_some_and(Source::needs_writing) {
                    e.add(
                        "confirmed_source",
                        "Only a change taken by phone or message waits for written confirmation.",
                    );
                }
                Some((source, on))
            }
            (Some(_), Some(_)) => {
                e.add(
                    "confirmed_source",
                    "Written confirmation is a label, a prescription or a letter.",
                );
                None
            }
            _ => {
                e.add(
                    "confirmed_on",
                    "Give both what confirmed it and the day, or neither.",
                );
                None
            }
        }
    }

    fn dose(&self, e: &mut ValidationErrors) -> Option<Dose> {
        let amount = Amount::parse(&self.dose);
        if amount.is_none() {
            e.add("dose", "Enter the dose as a number, such as 1, 2 or 0.5.");
        }
        let ranged = !self.dose_max.trim().is_empty();
        let max = if ranged {
            let max = Amount::parse(&self.dose_max);
            if max.is_none() {
                e.add("dose_max", "Enter the most as a number, or leave it empty.");
            }
            max
        } else {
            None
        };
        if let (Some(least), Some(most)) = (amount, max) {
            if most <= least {
                e.add("dose_max", "The most is more than the least.");
            }
        }
        if self.unit.is_none() {
            e.add("unit", "Choose what the dose is counted in: tablets, ml…");
        }
        let (amount, unit) = (amount?, self.unit?);
        if !ranged {
            return Some(Dose::Fixed { amount, unit });
        }
        let max = max?;
        (max > amount).then_some(Dose::Range {
            min: amount,
            max,
            unit,
        })
    }

    fn schedule(&self, e: &mut ValidationErrors) -> Option<Schedule> {
        match self.schedule.as_str() {
            "times" => {
                let mut times = Vec::new();
                for raw in self.times.iter().filter(|t| !t.trim().is_empty()) {
                    match dates::parse_form_time(raw) {
                        Some(t) => times.push(t),
                        None => {
                            e.add("times", "Enter each time in hours and minutes.");
                            return None;
                        }
                    }
                }
                times.sort();
                times.dedup();
                if times.is_empty() {
                    e.add("times", "Enter at least one time of day.");
                    return None;
                }
                if times.len() > 12 {
                    e.add("times", "That's more than 12 times a day. Check the times.");
                    return None;
                }
                Some(Schedule::Times { times })
            }
            "every" => {
                let hours = self
                    .every_hours
                    .trim()
                    .parse::<u32>()
                    .ok()
                    .filter(|h| (1..=24).contains(h));
                if hours.is_none() {
                    e.add(
                        "every_hours",
                        "Enter the hours between doses, from 1 to 24.",
                    );
                }
                let first = self.times.first().and_then(|t| dates::parse_form_time(t));
                if first.is_none() {
                    e.add("times", "Enter the time of the first dose.");
                }
                Some(Schedule::Every {
                    hours: hours?,
                    first: first?,
                })
            }
            "when_needed" => {
                let reason = text(
                    e,
                    "when_needed_reason",
                    &self.when_needed_reason,
                    Some("Say what it is for, as the prescription does: \"for pain\", \"if anxious\"."),
                    200,
                );
                // Whole minutes: hours such as 4, 0.5 or 1.25.
                let gap = Amount::parse(&self.min_gap_hours)
                    .filter(|g| g.0 <= 72_000 && g.0 * 60 % 1000 == 0);
                if gap.is_none() {
                    e.add(
                        "min_gap_hours",
                        "Enter the least time between doses, in hours (such as 4 or 0.5).",
                    );
                }
                let max = self
                    .max_in_24h
                    .trim()
                    .parse::<u32>()
                    .ok()
                    .filter(|m| (1..=24).contains(m));
                if max.is_none() {
                    e.add(
                        "max_in_24h",
                        "Enter the most doses in 24 hours, from 1 to 24.",
                    );
                }
                Some(Schedule::WhenNeeded {
                    reason,
                    min_gap_minutes: gap?.0 * 60 / 1000,
                    max_in_24h: max?,
                })
            }
            _ => {
                e.add(
                    "schedule",
                    "Choose when it is taken: at set times, every so many hours, or when needed.",
                );
                None
            }
        }
    }

    /// The form holding a stored version exactly, authority included (the
    /// backup's and the sync's check: it validates to the same version).
    pub fn from_medicine(m: &Medicine) -> MedicineDraft {
        let a = &m.authority;
        MedicineDraft {
            authorised_by: a.authorised_by.clone(),
            source: Some(a.source),
            confirmed_source: a.confirmed.map(|(s, _)| s),
            confirmed_on: a
                .confirmed
                .map(|(_, d)| dates::form_date(d))
                .unwrap_or_default(),
            ..MedicineDraft::change_of(m, a.from)
        }
    }

    /// The form for a new version of a stored medicine (a change), applying
    /// from `from`, with the authority left for the carer to fill in.
    pub fn change_of(m: &Medicine, from: NaiveDate) -> MedicineDraft {
        let (dose, dose_max, unit) = match m.dose {
            Dose::Fixed { amount, unit } => (amount.text(), String::new(), unit),
            Dose::Range { min, max, unit } => (min.text(), max.text(), unit),
        };
        let mut draft = MedicineDraft {
            person_id: m.person_id.to_string(),
            name: m.name.clone(),
            form: Some(m.form),
            strength: m.strength.clone(),
            dose,
            dose_max,
            unit: Some(unit),
            route: Some(m.route),
            support: Some(m.support),
            start: dates::form_date(m.start),
            stop: m.stop.map(dates::form_date).unwrap_or_default(),
            review: m.review.map(dates::form_date).unwrap_or_default(),
            instructions: m.instructions.clone(),
            prescriber: m.prescriber.clone(),
            from: dates::form_date(from),
            ..Default::default()
        };
        match &m.schedule {
            Schedule::Times { times } => {
                draft.schedule = "times".into();
                draft.times = times.iter().map(|t| dates::form_time(*t)).collect();
            }
            Schedule::Every { hours, first } => {
                draft.schedule = "every".into();
                draft.every_hours = hours.to_string();
                draft.times = vec![dates::form_time(*first)];
            }
            Schedule::WhenNeeded {
                reason,
                min_gap_minutes,
                max_in_24h,
            } => {
                draft.schedule = "when_needed".into();
                draft.when_needed_reason = reason.clone();
                draft.min_gap_hours = Amount(min_gap_minutes * 1000 / 60).text();
                draft.max_in_24h = max_in_24h.to_string();
            }
        }
        draft
    }
}

fn optional_date(e: &mut ValidationErrors, field: &str, raw: &str) -> Option<NaiveDate> {
    if raw.trim().is_empty() {
        return None;
    }
    let day = dates::parse_form_date(raw);
    if day.is_none() {
        e.add(field, "Enter a date, or leave it empty.");
    }
    day
}

/// London's clocks for tests: British Summer Time from 01:00 UTC on the last
/// Sunday of March to 01:00 UTC on the last Sunday of October.
#[cfg(test)]
pub(crate) mod london {
    use crate::zone::LocalZone;
    use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, NaiveDateTime, Utc};

    /// Europe/London.
    pub struct London;

    fn summer(utc: NaiveDateTime) -> bool {
        let last_sunday = |month: u32| {
            let mut d = NaiveDate::from_ymd_opt(utc.year(), month, 31).unwrap();
            while d.weekday() != chrono::Weekday::Sun {
                d = d.pred_opt().unwrap();
            }
            d.and_hms_opt(1, 0, 0).unwrap()
        };
        utc >= last_sunday(3) && utc < last_sunday(10)
    }

    fn offset(summer: bool) -> FixedOffset {
        FixedOffset::east_opt(if summer { 3600 } else { 0 }).unwrap()
    }

    impl LocalZone for London {
        fn offset_at(&self, instant: DateTime<Utc>) -> FixedOffset {
            offset(summer(instant.naive_utc()))
        }
        fn offset_for_local(&self, local: NaiveDateTime) -> FixedOffset {
            offset(summer(local - Duration::hours(1)))
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::london::London;
    use super::*;
    use chrono::TimeZone;

    pub(crate) fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    pub(crate) fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    pub(crate) fn utc(y: i32, mo: u32, day: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, day, h, mi, 0).unwrap()
    }

    pub(crate) fn meg() -> RecordId {
        RecordId::from_random_bytes([4; 16])
    }

    /// Paracetamol, 2 tablets at 08:00 and 20:00, given by the carer, from
    /// 1 March 2026 on the label.
    pub(crate) fn paracetamol() -> MedicineDraft {
        MedicineDraft {
            person_id: meg().to_string(),
            name: "Paracetamol".into(),
            form: Some(Form::Tablet),
            strength: "500 mg".into(),
            dose: "2".into(),
            unit: Some(Unit::Tablet),
            route: Some(Route::Mouth),
            schedule: "times".into(),
            times: vec!["20:00".into(), "08:00".into()],
            support: Some(Support::Given),
            start: "2026-03-01".into(),
            instructions: "With food".into(),
            prescriber: "Riverside Surgery".into(),
            authorised_by: "Dr Okafor".into(),
            source: Some(Source::Label),
            ..Default::default()
        }
    }

    pub(crate) fn record(draft: &MedicineDraft) -> Record<Medicine> {
        Record::create(
            RecordId::from_random_bytes([8; 16]),
            draft.validate().unwrap(),
            "Ann",
            utc(2026, 3, 1, 9, 0),
        )
    }

    #[test]
    fn a_medicine_is_as_on_the_pharmacy_label() {
        let m = paracetamol().validate().unwrap();
        assert_eq!(m.title(), "Paracetamol 500 mg tablet");
        assert_eq!(m.dose().words(), "2 tablets");
        assert_eq!(
            m.schedule(),
            &Schedule::Times {
                times: vec![t(8, 0), t(20, 0)]
            },
            "sorted"
        );
        assert_eq!(
            m.authority().from,
            d(2026, 3, 1),
            "a new medicine applies from its start"
        );
        assert!(!m.authority().waiting_for_writing());
    }

    #[test]
    fn a_slot_round_trips_through_an_address() {
        let at = Slot::At {
            local: d(2026, 3, 29).and_time(t(8, 0)),
        };
        assert_eq!(at.key(), "2026-03-29T08:00");
        let instant = Slot::Instant {
            at: utc(2026, 3, 29, 7, 0),
        };
        for slot in [at, instant] {
            assert_eq!(Slot::from_key(&slot.key()), Some(slot));
        }
        for bad in [
            "",
            "@",
            "@x",
            "2026-03-29",
            "2026-13-29T08:00",
            "2026-03-29T25:00",
        ] {
            assert_eq!(Slot::from_key(bad), None, "{bad}");
        }
    }

    #[test]
    fn when_it_is_taken_reads_as_words() {
        assert_eq!(
            paracetamol().validate().unwrap().when_words(),
            "At 8am and 8pm"
        );
        let mut draft = paracetamol();
        draft.times = vec!["08:00".into(), "12:30".into(), "18:00".into()];
        assert_eq!(
            draft.validate().unwrap().when_words(),
            "At 8am, 12:30pm and 6pm"
        );
        draft.schedule = "every".into();
        draft.every_hours = "8".into();
        draft.times = vec!["06:00".into()];
        assert_eq!(
            draft.validate().unwrap().when_words(),
            "Every 8 hours from 6am"
        );
        draft.schedule = "when_needed".into();
        draft.when_needed_reason = "For pain".into();
        draft.min_gap_hours = "4".into();
        draft.max_in_24h = "4".into();
        assert_eq!(
            draft.validate().unwrap().when_words(),
            "When needed: for pain. At least 4 hours apart, at most 4 in 24 hours"
        );
    }

    #[test]
    fn an_empty_form_says_what_each_field_needs_in_form_order() {
        let errors = MedicineDraft::default().validate().unwrap_err();
        let fields: Vec<&str> = errors.all().iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "person_id",
                "name",
                "form",
                "dose",
                "unit",
                "route",
                "schedule",
                "support",
                "start",
                "authorised_by",
                "source"
            ]
        );
        assert_eq!(
            errors.message_for("name"),
            Some("Enter the medicine's name, as it is on the pharmacy label.")
        );
    }

    #[test]
    fn a_dose_is_a_fixed_amount_or_a_range() {
        let mut draft = paracetamol();
        draft.dose = "1".into();
        draft.dose_max = "2".into();
        let m = draft.validate().unwrap();
        assert_eq!(m.dose().words(), "1 to 2 tablets");
        assert!(m.dose().is_variable());
        draft.dose_max = "1".into();
        assert_eq!(
            draft.validate().unwrap_err().message_for("dose_max"),
            Some("The most is more than the least.")
        );
        draft.dose = "two".into();
        draft.dose_max.clear();
        assert!(draft.validate().unwrap_err().message_for("dose").is_some());
        assert_eq!(Amount::parse("0.5").unwrap().text(), "0.5");
        assert_eq!(Amount::parse("2.250").unwrap().text(), "2.25");
        assert_eq!(Amount::parse(".5").unwrap().text(), "0.5");
        for bad in ["", "0", "-1", "1.2345", "1,5", "1e3", "."] {
            assert_eq!(Amount::parse(bad), None, "{bad:?}");
        }
        assert_eq!(amount_words(Amount::parse("5").unwrap(), Unit::Ml), "5 ml");
        assert_eq!(
            amount_words(Amount::parse("1").unwrap(), Unit::Puff),
            "1 puff"
        );
        assert_eq!(
            amount_words(Amount::parse("2").unwrap(), Unit::Patch),
            "2 patches"
        );
    }

    #[test]
    fn a_when_needed_medicine_has_its_reason_least_gap_and_most_in_24_hours() {
        let mut draft = paracetamol();
        draft.schedule = "when_needed".into();
        let errors = draft.validate().unwrap_err();
        for field in ["when_needed_reason", "min_gap_hours", "max_in_24h"] {
            assert!(errors.message_for(field).is_some(), "{field}");
        }
        draft.when_needed_reason = "For pain".into();
        draft.min_gap_hours = "4".into();
        draft.max_in_24h = "4".into();
        let m = draft.validate().unwrap();
        assert_eq!(
            m.schedule(),
            &Schedule::WhenNeeded {
                reason: "For pain".into(),
                min_gap_minutes: 240,
                max_in_24h: 4
            }
        );
        assert!(m.is_when_needed());
        assert_eq!(
            MedicineDraft::change_of(&m, d(2026, 4, 1)).min_gap_hours,
            "4"
        );
    }

    #[test]
    fn a_change_applies_from_its_own_date_and_never_rewrites_the_past() {
        let mut record = record(&paracetamol());
        // On 10 March the GP phones: 1 tablet from 15 March.
        let mut change = MedicineDraft::change_of(record.body(), d(2026, 3, 15));
        change.dose = "1".into();
        change.authorised_by = "Dr Okafor".into();
        change.source = Some(Source::PhoneCall);
        let changed = change.validate().unwrap();
        assert!(changed.authority().waiting_for_writing());
        let rev = record.rev();
        record
            .amend(rev, changed, "Dev", utc(2026, 3, 10, 11, 0))
            .unwrap();
        assert_eq!(
            in_force(&record, d(2026, 3, 14)).unwrap().dose().words(),
            "2 tablets"
        );
        assert_eq!(
            in_force(&record, d(2026, 3, 15)).unwrap().dose().words(),
            "1 tablet"
        );
        assert_eq!(in_force(&record, d(2026, 2, 28)), None, "not yet started");
        // The letter comes: confirmed, still from 15 March.
        let confirmed = record
            .body()
            .confirmed(Source::Prescription, d(2026, 3, 12))
            .unwrap();
        assert!(!confirmed.authority().waiting_for_writing());
        assert_eq!(
            confirmed.confirmed(Source::Label, d(2026, 3, 13)),
            None,
            "once"
        );
        let rev = record.rev();
        record
            .amend(rev, confirmed, "Dev", utc(2026, 3, 12, 9, 0))
            .unwrap();
        assert_eq!(
            in_force(&record, d(2026, 3, 14)).unwrap().dose().words(),
            "2 tablets"
        );
        assert_eq!(
            in_force(&record, d(2026, 3, 20))
                .unwrap()
                .authority()
                .confirmed,
            Some((Source::Prescription, d(2026, 3, 12)))
        );
    }

    #[test]
    fn a_stopped_medicine_leaves_the_due_list_on_its_stop_date_and_a_deleted_one_at_once() {
        let mut draft = paracetamol();
        draft.stop = "2026-03-20".into();
        draft.review = "2026-03-10".into();
        let mut record = record(&draft);
        assert_eq!(doses_on(&record, d(2026, 3, 19), &London).len(), 2);
        assert!(doses_on(&record, d(2026, 3, 20), &London).is_empty());
        assert!(record.body().review_overdue(d(2026, 3, 11)));
        assert!(!record.body().review_overdue(d(2026, 3, 10)));
        assert!(
            !record.body().review_overdue(d(2026, 3, 21)),
            "stopped: nothing to review"
        );
        draft.stop = "2026-03-01".into();
        assert_eq!(
            draft.validate().unwrap_err().message_for("stop"),
            Some("The stop date comes after the start date.")
        );
        let rev = record.rev();
        record
            .delete(
                rev,
                "Entered for the wrong person",
                "Ann",
                utc(2026, 3, 2, 9, 0),
            )
            .unwrap();
        assert!(doses_on(&record, d(2026, 3, 5), &London).is_empty());
    }

    #[test]
    fn a_medicine_the_person_manages_has_no_doses_to_record() {
        let mut draft = paracetamol();
        draft.support = Some(Support::SelfManages);
        assert!(doses_on(&record(&draft), d(2026, 3, 5), &London).is_empty());
    }

    #[test]
    fn on_the_spring_day_a_0130_dose_does_not_exist_and_is_said_so() {
        let mut draft = paracetamol();
        draft.times = vec!["01:30".into(), "08:00".into()];
        let record = record(&draft);
        // Sunday 29 March 2026: the clocks go from 01:00 to 02:00.
        assert_eq!(
            doses_on(&record, d(2026, 3, 29), &London),
            [
                Due::Skipped {
                    local: d(2026, 3, 29).and_time(t(1, 30))
                },
                Due::At {
                    slot: Slot::At {
                        local: d(2026, 3, 29).and_time(t(8, 0))
                    },
                    at: utc(2026, 3, 29, 7, 0)
                },
            ]
        );
        assert_eq!(
            doses_on(&record, d(2026, 3, 28), &London)[0].at(),
            Some(utc(2026, 3, 28, 1, 30))
        );
    }

    #[test]
    fn on_the_autumn_day_due_at_0130_is_one_dose_not_two() {
        let mut draft = paracetamol();
        draft.times = vec!["01:30".into()];
        let record = record(&draft);
        // Sunday 25 October 2026: 01:00 to 02:00 happens twice; the first.
        assert_eq!(
            doses_on(&record, d(2026, 10, 25), &London),
            [Due::At {
                slot: Slot::At {
                    local: d(2026, 10, 25).and_time(t(1, 30))
                },
                at: utc(2026, 10, 25, 0, 30)
            }]
        );
    }

    #[test]
    fn a_twelve_hourly_medicine_stays_twelve_hourly_across_both_changes() {
        let mut draft = paracetamol();
        draft.schedule = "every".into();
        draft.every_hours = "12".into();
        draft.times = vec!["08:00".into()];
        draft.start = "2026-03-27".into();
        let record = record(&draft);
        let mut all = Vec::new();
        for day in d(2026, 3, 27).iter_days().take(4) {
            all.extend(doses_on(&record, day, &London).iter().filter_map(Due::at));
        }
        assert_eq!(all.len(), 8, "two a day: {all:?}");
        assert!(
            all.windows(2).all(|w| w[1] - w[0] == Duration::hours(12)),
            "{all:?}"
        );
        // After the change the wall clock says 09:00 and 21:00.
        let local: Vec<String> = doses_on(&record, d(2026, 3, 30), &London)
            .iter()
            .map(|d| dates::form_time(London.to_local(d.at().unwrap()).time()))
            .collect();
        assert_eq!(local, ["09:00", "21:00"]);
        // And in October back again.
        let mut autumn = Vec::new();
        for day in d(2026, 10, 24).iter_days().take(3) {
            autumn.extend(doses_on(&record, day, &London).iter().filter_map(Due::at));
        }
        assert!(
            autumn
                .windows(2)
                .all(|w| w[1] - w[0] == Duration::hours(12)),
            "{autumn:?}"
        );
        assert_eq!(autumn.len(), 6);
    }
}
