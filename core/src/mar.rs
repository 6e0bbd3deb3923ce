//! The MAR chart (medicines administration record) a scheme audits: for one
//! person and 28 to 31 days, a row per medicine and time of day, a cell per
//! dose with its outcome's code and the initials of whoever recorded it;
//! days away ([`Absence`]) code their doses as away, so the chart has no
//! unexplained gaps; and the audit: doses with no outcome, outcomes recorded
//! late, "when needed" doses with no effect noted.

use crate::dose::{for_slot, AwayReason, DoseRecord, Outcome};
use crate::id::RecordId;
use crate::medicine::{doses_on, in_force, Due, Medicine, Schedule, Slot};
use crate::record::{Body, Record};
use crate::validate::{text, ValidationErrors};
use crate::zone::LocalZone;
use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

/// Days the person is away (in hospital, with family): every dose due in
/// them is coded as away. Made only by [`AbsenceDraft::validate`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Absence {
    person_id: RecordId,
    from: DateTime<FixedOffset>,
    to: DateTime<FixedOffset>,
    r#where: AwayReason,
    #[serde(default)]
    note: String,
}

impl Body for Absence {
    const SCHEMA: u32 = 1;
    const KIND: &'static str = "absence";
}

impl Absence {
    /// Who is away.
    pub fn person_id(&self) -> RecordId {
        self.person_id
    }
    /// From when.
    pub fn from(&self) -> DateTime<FixedOffset> {
        self.from
    }
    /// Until when (not included).
    pub fn to(&self) -> DateTime<FixedOffset> {
        self.to
    }
    /// Where they are.
    pub fn r#where(&self) -> AwayReason {
        self.r#where
    }
    /// The carer's note.
    pub fn note(&self) -> &str {
        &self.note
    }
    /// Checks a stored absence on its own (a backup's or the sync's check).
    pub fn check(&self) -> Result<(), ValidationErrors> {
        let mut e = ValidationErrors::new();
        if self.to <= self.from || self.to - self.from > Duration::days(366) {
            e.add("to_date", "Its dates can't be right.");
        }
        if text(&mut e, "note", &self.note, None, 500) != self.note {
            e.add(
                "record",
                "Some of its details aren't stored the way Hearth saves them.",
            );
        }
        e.into_result(|| ())
    }

    /// True when `at` is in it.
    pub fn covers(&self, at: DateTime<Utc>) -> bool {
        self.from.with_timezone(&Utc) <= at && at < self.to.with_timezone(&Utc)
    }
}

/// The times a person who doesn't live with the carer is away from the
/// household over `days`: every moment outside `here` (their visits and stays
/// logged, and their planned stays not cancelled). Their doses then are
/// theirs at home, coded as away with family, so a short-breaks person's
/// chart has no gaps between their stays. Made for the chart and its audit
/// only, never stored: each is signed "Hearth" and named by its start.
pub fn away_between(
    person: RecordId,
    here: &[(DateTime<Utc>, DateTime<Utc>)],
    days: &[NaiveDate],
    zone: &dyn LocalZone,
) -> Vec<Record<Absence>> {
    let (Some(first), Some(last)) = (days.first(), days.last()) else {
        return Vec::new();
    };
    let start = zone.resolve(first.and_time(NaiveTime::MIN));
    let end = zone.resolve(last.succ_opt().unwrap_or(*last).and_time(NaiveTime::MIN));
    let mut spans: Vec<(DateTime<Utc>, DateTime<Utc>)> = here
        .iter()
        .filter(|(from, to)| from < to)
        .copied()
        .collect();
    spans.sort();
    let mut gaps = Vec::new();
    let mut from = start.with_timezone(&Utc);
    for (a, b) in spans {
        if a > from {
            gaps.push((from, a.min(end.with_timezone(&Utc))));
        }
        from = from.max(b);
    }
    gaps.push((from, end.with_timezone(&Utc)));
    gaps.into_iter()
        .filter(|(a, b)| a < b)
        .map(|(a, b)| {
            let mut id = [0u8; 16];
            id[..8].copy_from_slice(&a.timestamp().to_be_bytes());
            id[8..].copy_from_slice(&person.to_string().as_bytes()[..8]);
            let body = Absence {
                person_id: person,
                from: zone.to_local(a),
                to: zone.to_local(b),
                r#where: AwayReason::WithFamily,
                note: "Not staying: no visit or stay logged".into(),
            };
            Record::create(RecordId::from_random_bytes(id), body, "Hearth", a)
        })
        .collect()
}

/// An absence as its form holds it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AbsenceDraft {
    /// The person's record id, as text.
    pub person_id: String,
    /// The first day away.
    pub from_date: String,
    /// The time they left, or empty for the start of the day.
    pub from_time: String,
    /// The day they are back.
    pub to_date: String,
    /// The time they are back, or empty for the end of that day.
    pub to_time: String,
    /// Where they are.
    pub r#where: Option<AwayReason>,
    /// A note.
    pub note: String,
}

impl AbsenceDraft {
    /// Checks every field; times are the household's wall clock.
    pub fn validate(&self, zone: &dyn LocalZone) -> Result<Absence, ValidationErrors> {
        let mut e = ValidationErrors::new();
        let person_id = self.person_id.parse::<RecordId>().ok();
        if person_id.is_none() {
            e.add("person_id", "Choose who is away.");
        }
        let time = |e: &mut ValidationErrors, field: &str, raw: &str| {
            if raw.trim().is_empty() {
                return Some(None);
            }
            let t = crate::dates::parse_form_time(raw);
            if t.is_none() {
                e.add(
                    field,
                    "Enter the time in hours and minutes, or leave it empty.",
                );
            }
            t.map(Some)
        };
        let from_date = crate::dates::parse_form_date(&self.from_date);
        if from_date.is_none() {
            e.add("from_date", "Enter the day they went.");
        }
        let from_time = time(&mut e, "from_time", &self.from_time);
        let to_date = crate::dates::parse_form_date(&self.to_date);
        if to_date.is_none() {
            e.add("to_date", "Enter the day they are back.");
        }
        let to_time = time(&mut e, "to_time", &self.to_time);
        if self.r#where.is_none() {
            e.add("where", "Choose where they are.");
        }
        let note = text(&mut e, "note", &self.note, None, 500);
        let from = from_date
            .zip(from_time)
            .map(|(d, t)| zone.resolve(d.and_time(t.unwrap_or(NaiveTime::MIN))));
        let to = to_date.zip(to_time).map(|(d, t)| match t {
            Some(t) => zone.resolve(d.and_time(t)),
            None => zone.resolve(d.succ_opt().unwrap_or(d).and_time(NaiveTime::MIN)),
        });
        if let (Some(from), Some(to)) = (from, to) {
            if to <= from {
                e.add("to_date", "They come back after they went.");
            } else if to - from > Duration::days(366) {
                e.add("to_date", "That's more than a year. Check the dates.");
            }
        }
        match (person_id, from, to, self.r#where) {
            (Some(person_id), Some(from), Some(to), Some(r#where)) if e.is_empty() => Ok(Absence {
                person_id,
                from,
                to,
                r#where,
                note,
            }),
            _ => Err(e),
        }
    }
}

/// How long after its time an outcome counts as recorded late.
pub const LATE_AFTER: Duration = Duration::hours(2);

/// A cell of the chart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    /// No dose at this time that day (not started, stopped, another time).
    None,
    /// Still to come.
    Upcoming,
    /// The clocks skip this time that day: no such dose.
    Skipped,
    /// Due, and nothing recorded: a gap.
    Missing,
    /// The person was away.
    Away(AwayReason),
    /// Its outcome: the code, the initials of who recorded it, and whether it
    /// was recorded more than [`LATE_AFTER`] after its time.
    Done {
        /// The outcome's code.
        code: &'static str,
        /// Who recorded it.
        initials: String,
        /// Recorded late.
        late: bool,
    },
    /// More than one outcome (two phones): to be sorted out.
    Conflict(Vec<RecordId>),
    /// The "when needed" doses of the day: time, code and initials of each.
    WhenNeeded(Vec<(NaiveTime, &'static str, String)>),
}

impl Cell {
    /// The cell as text (the CSV's and the screen reader's).
    pub fn text(&self) -> String {
        match self {
            Cell::None | Cell::Upcoming | Cell::Skipped => String::new(),
            Cell::Missing => "?".into(),
            Cell::Away(w) => Outcome::Away { r#where: *w }.code().into(),
            Cell::Done { code, initials, .. } => format!("{code} {initials}"),
            Cell::Conflict(_) => "2×".into(),
            Cell::WhenNeeded(doses) => doses
                .iter()
                .map(|(t, code, initials)| {
                    format!("{} {code} {initials}", crate::dates::form_time(*t))
                })
                .collect::<Vec<_>>()
                .join(", "),
        }
    }
}

/// One row: a medicine at one time of day (or its "when needed" doses).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The medicine.
    pub medicine: RecordId,
    /// "Paracetamol 500 mg tablet".
    pub title: String,
    /// The dose, route and instructions of the latest version in the chart.
    pub detail: String,
    /// The row's time of day; `None` for "when needed".
    pub time: Option<NaiveTime>,
    /// One cell per day of the chart.
    pub cells: Vec<Cell>,
}

/// The chart for one person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chart {
    /// Its days, in order.
    pub days: Vec<NaiveDate>,
    /// Its rows, by medicine name then time.
    pub rows: Vec<Row>,
}

/// "AS" for "Ann Smith"; "HS" for Hearth's sample data.
pub fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|w| w.chars().find(|c| c.is_alphanumeric()))
        .flat_map(char::to_uppercase)
        .take(3)
        .collect()
}

/// The wall-clock time of a dose of the day: its row on the chart.
fn due_time(due: &Due, zone: &dyn LocalZone) -> NaiveTime {
    match due {
        Due::At {
            slot: Slot::At { local },
            ..
        }
        | Due::Skipped { local } => local.time(),
        Due::At { at, .. } => zone.to_local(*at).time(),
    }
}

fn is_late(record: &Record<DoseRecord>, due: DateTime<Utc>) -> bool {
    record.created_at() - due > LATE_AFTER
}

/// The MAR chart of one person's `medicines` for `days` (28 to 31 of them,
/// the screens choose), with the `doses` and `absences` recorded, as it
/// stands at `now`.
pub fn chart(
    medicines: &[Record<Medicine>],
    doses: &[Record<DoseRecord>],
    absences: &[Record<Absence>],
    days: &[NaiveDate],
    now: DateTime<Utc>,
    zone: &dyn LocalZone,
) -> Chart {
    let live_doses: Vec<&Record<DoseRecord>> = doses.iter().filter(|d| d.is_live()).collect();
    let away = |at: DateTime<Utc>| {
        absences
            .iter()
            .filter(|a| a.is_live())
            .find(|a| a.body().covers(at))
            .map(|a| a.body().r#where())
    };
    let mut rows = Vec::new();
    for med in medicines.iter().filter(|m| m.is_live()) {
        let versions: Vec<&Medicine> = days.iter().filter_map(|d| in_force(med, *d)).collect();
        let Some(latest) = versions.last() else {
            continue;
        };
        if !latest.is_recorded() && versions.iter().all(|v| !v.is_recorded()) {
            continue;
        }
        let title = latest.title();
        let mut detail = format!(
            "{}, {}",
            latest.dose().words(),
            latest.route().label().to_lowercase()
        );
        if !latest.instructions().is_empty() {
            detail.push_str(&format!(". {}", latest.instructions()));
        }
        if versions.iter().any(|v| v.is_when_needed()) {
            let cells = days
                .iter()
                .map(|day| {
                    let mut taken: Vec<&&Record<DoseRecord>> = live_doses
                        .iter()
                        .filter(|d| {
                            d.body().medicine_id() == med.id()
                                && d.body().slot().is_none()
                                && d.body().at().date_naive() == *day
                        })
                        .collect();
                    crate::order::sort_by_key(&mut taken, |d| d.body().at());
                    if taken.is_empty() {
                        Cell::None
                    } else {
                        Cell::WhenNeeded(
                            taken
                                .iter()
                                .map(|d| {
                                    (
                                        d.body().at().time(),
                                        d.body().outcome().code(),
                                        initials(d.created_by()),
                                    )
                                })
                                .collect(),
                        )
                    }
                })
                .collect();
            rows.push(Row {
                medicine: med.id(),
                title: title.clone(),
                detail: format!("{detail}. When needed"),
                time: None,
                cells,
            });
        }
        // The scheduled doses, by day, and every time of day they fall at.
        let by_day: Vec<Vec<Due>> = days.iter().map(|d| doses_on(med, *d, zone)).collect();
        let mut times: Vec<NaiveTime> = by_day
            .iter()
            .flatten()
            .map(|due| due_time(due, zone))
            .collect();
        times.sort();
        times.dedup();
        for time in times {
            let cells = by_day
                .iter()
                .map(|dues| {
                    let due = dues.iter().find(|due| due_time(due, zone) == time);
                    match due {
                        None => Cell::None,
                        Some(Due::Skipped { .. }) => Cell::Skipped,
                        Some(Due::At { slot, at }) => {
                            let recorded: Vec<&Record<DoseRecord>> =
                                for_slot(doses, med.id(), *slot).collect();
                            match recorded.as_slice() {
                                [one] => Cell::Done {
                                    code: one.body().outcome().code(),
                                    initials: initials(one.created_by()),
                                    late: is_late(one, *at),
                                },
                                [] => match away(*at) {
                                    Some(w) => Cell::Away(w),
                                    None if *at > now => Cell::Upcoming,
                                    None => Cell::Missing,
                                },
                                many => Cell::Conflict(many.iter().map(|d| d.id()).collect()),
                            }
                        }
                    }
                })
                .collect();
            rows.push(Row {
                medicine: med.id(),
                title: title.clone(),
                detail: detail.clone(),
                time: Some(time),
                cells,
            });
        }
    }
    crate::order::sort_by_key(&mut rows, |r| (r.title.to_lowercase(), r.time, r.medicine));
    Chart {
        days: days.to_vec(),
        rows,
    }
}

/// What an audit of the records looks for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Audit {
    /// Scheduled doses with no outcome (and not away): medicine and time.
    pub missing: Vec<(RecordId, DateTime<Utc>)>,
    /// Outcomes recorded more than [`LATE_AFTER`] after the dose's time.
    pub late: Vec<RecordId>,
    /// "When needed" doses taken with no effect noted.
    pub no_effect: Vec<RecordId>,
    /// Doses with more than one outcome.
    pub conflicts: Vec<Vec<RecordId>>,
}

/// The audit of one person's records over `days`, as at `now`.
pub fn audit(
    medicines: &[Record<Medicine>],
    doses: &[Record<DoseRecord>],
    absences: &[Record<Absence>],
    days: &[NaiveDate],
    now: DateTime<Utc>,
    zone: &dyn LocalZone,
) -> Audit {
    let mut audit = Audit {
        conflicts: crate::dose::conflicts(doses),
        ..Audit::default()
    };
    let live: Vec<&Record<DoseRecord>> = doses.iter().filter(|d| d.is_live()).collect();
    for med in medicines.iter().filter(|m| m.is_live()) {
        for day in days {
            for due in doses_on(med, *day, zone) {
                let Due::At { slot, at } = due else { continue };
                if at > now {
                    continue;
                }
                match for_slot(doses, med.id(), slot).next() {
                    Some(d) if is_late(d, at) => audit.late.push(d.id()),
                    Some(_) => {}
                    None if absences.iter().any(|a| a.is_live() && a.body().covers(at)) => {}
                    None => audit.missing.push((med.id(), at)),
                }
            }
        }
        let when_needed = days
            .iter()
            .filter_map(|d| in_force(med, *d))
            .any(|m| matches!(m.schedule(), Schedule::WhenNeeded { .. }));
        if when_needed {
            for d in live.iter().filter(|d| {
                d.body().medicine_id() == med.id()
                    && d.body().slot().is_none()
                    && days.contains(&d.body().at().date_naive())
            }) {
                if d.body().outcome().taken() && d.body().effect().is_none() {
                    audit.no_effect.push(d.id());
                }
                if d.created_at() - d.body().at().with_timezone(&Utc) > LATE_AFTER {
                    audit.late.push(d.id());
                }
            }
        }
    }
    audit
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dose::DoseDraft;
    use crate::medicine::london::London;
    use crate::medicine::tests::{d, meg, paracetamol, record, t, utc};
    use crate::medicine::MedicineDraft;

    fn march() -> Vec<NaiveDate> {
        d(2026, 3, 1).iter_days().take(31).collect()
    }

    #[test]
    fn doses_between_short_breaks_are_coded_away_not_missing() {
        let med = record(&paracetamol());
        // Here from the 10th at 10:00 to the 12th at 16:00 (a logged stay).
        let here = [(utc(2026, 3, 10, 10, 0), utc(2026, 3, 12, 16, 0))];
        let away = away_between(meg(), &here, &march(), &London);
        assert_eq!(away.len(), 2, "before the stay and after it");
        let chart = chart(&[med], &[], &away, &march(), utc(2026, 4, 1, 0, 0), &London);
        let eight = chart.rows.iter().find(|r| r.time == Some(t(8, 0))).unwrap();
        let twenty = chart
            .rows
            .iter()
            .find(|r| r.time == Some(t(20, 0)))
            .unwrap();
        assert_eq!(
            eight.cells[8],
            Cell::Away(AwayReason::WithFamily),
            "the 9th"
        );
        assert_eq!(
            eight.cells[9],
            Cell::Away(AwayReason::WithFamily),
            "the 10th, 08:00, before arriving"
        );
        assert_eq!(
            twenty.cells[9],
            Cell::Missing,
            "the 10th, 20:00: here, and nothing recorded"
        );
        assert_eq!(
            eight.cells[11],
            Cell::Missing,
            "the 12th, 08:00: still here"
        );
        assert_eq!(
            twenty.cells[11],
            Cell::Away(AwayReason::WithFamily),
            "the 12th, 20:00: gone home"
        );
        // Spring forward on the 29th doesn't open a gap in the coding.
        assert_eq!(eight.cells[28], Cell::Away(AwayReason::WithFamily));
        assert!(away_between(
            meg(),
            &[(utc(2026, 2, 1, 0, 0), utc(2026, 5, 1, 0, 0))],
            &march(),
            &London
        )
        .is_empty());
    }

    #[test]
    fn a_dose_while_its_person_is_away_is_not_due_on_today() {
        use crate::dose::due_now;
        let med = record(&paracetamol());
        let meds = [med.clone()];
        let noon = utc(2026, 3, 5, 12, 0);
        let due =
            |away: &[Record<Absence>]| due_now(&meds, &[], away, d(2026, 3, 5), noon, &London);
        assert_eq!(due(&[]).len(), 1, "08:00 is overdue");
        // In hospital from the 4th to the 6th: nothing is due.
        let mut hospital = away("2026-03-04", "2026-03-06");
        assert!(due(std::slice::from_ref(&hospital)).is_empty());
        // Someone else's days away change nothing.
        let theirs = AbsenceDraft {
            person_id: RecordId::from_random_bytes([77; 16]).to_string(),
            from_date: "2026-03-04".into(),
            to_date: "2026-03-06".into(),
            r#where: Some(AwayReason::Hospital),
            ..Default::default()
        }
        .validate(&London)
        .unwrap();
        let theirs = Record::create(RecordId::from_random_bytes([31; 16]), theirs, "Ann", noon);
        assert_eq!(due(&[theirs]).len(), 1);
        // Days away deleted (entered by mistake): due again.
        hospital
            .delete(hospital.rev(), "Wrong person", "Ann", noon)
            .unwrap();
        assert_eq!(due(&[hospital]).len(), 1);
        // A short-breaks person who went home at 07:00 is away at 08:00.
        let here = [(utc(2026, 3, 3, 10, 0), utc(2026, 3, 5, 7, 0))];
        let home = away_between(meg(), &here, &[d(2026, 3, 5)], &London);
        assert!(due(&home).is_empty());
        // And one who arrived at 07:00 is here for it.
        let here = [(utc(2026, 3, 5, 7, 0), utc(2026, 3, 8, 10, 0))];
        let arrived = away_between(meg(), &here, &[d(2026, 3, 5)], &London);
        assert_eq!(due(&arrived).len(), 1);
    }

    fn dose(
        med: &Record<Medicine>,
        slot: Option<Slot>,
        at: (&str, &str),
        outcome: Outcome,
        reason: &str,
        (by, written, n): (&str, DateTime<Utc>, u8),
    ) -> Record<DoseRecord> {
        let body = DoseDraft {
            slot,
            date: at.0.into(),
            time: at.1.into(),
            outcome: Some(outcome),
            reason: reason.into(),
            ..Default::default()
        }
        .validate(med, &[], written, &London)
        .unwrap();
        Record::create(RecordId::from_random_bytes([n; 16]), body, by, written)
    }

    fn at(day: u32, h: u32, m: u32) -> Option<Slot> {
        Some(Slot::At {
            local: d(2026, 3, day).and_time(t(h, m)),
        })
    }

    fn away(from: &str, to: &str) -> Record<Absence> {
        let body = AbsenceDraft {
            person_id: meg().to_string(),
            from_date: from.into(),
            to_date: to.into(),
            r#where: Some(AwayReason::Hospital),
            ..Default::default()
        }
        .validate(&London)
        .unwrap();
        Record::create(
            RecordId::from_random_bytes([30; 16]),
            body,
            "Ann",
            utc(2026, 3, 5, 9, 0),
        )
    }

    #[test]
    fn the_months_chart_has_a_row_per_time_and_each_cell_is_the_stored_outcome() {
        let med = record(&paracetamol());
        let doses = vec![
            dose(
                &med,
                at(1, 8, 0),
                ("2026-03-01", "08:05"),
                Outcome::Given,
                "",
                ("Ann Smith", utc(2026, 3, 1, 8, 6), 1),
            ),
            dose(
                &med,
                at(1, 20, 0),
                ("2026-03-01", "20:00"),
                Outcome::Refused,
                "Said no",
                ("Dev Patel", utc(2026, 3, 1, 23, 30), 2),
            ),
        ];
        let absences = vec![away("2026-03-05", "2026-03-07")];
        let now = utc(2026, 3, 10, 12, 0);
        let chart = chart(
            std::slice::from_ref(&med),
            &doses,
            &absences,
            &march(),
            now,
            &London,
        );
        assert_eq!(chart.days.len(), 31);
        assert_eq!(
            chart.rows.iter().map(|r| r.time).collect::<Vec<_>>(),
            [Some(t(8, 0)), Some(t(20, 0))]
        );
        assert_eq!(chart.rows[0].title, "Paracetamol 500 mg tablet");
        assert_eq!(chart.rows[0].detail, "2 tablets, by mouth. With food");
        let (morning, evening) = (&chart.rows[0].cells, &chart.rows[1].cells);
        assert_eq!(
            morning[0],
            Cell::Done {
                code: "✓",
                initials: "AS".into(),
                late: false
            }
        );
        assert_eq!(
            evening[0],
            Cell::Done {
                code: "R",
                initials: "DP".into(),
                late: true
            }
        );
        assert_eq!(morning[1], Cell::Missing, "a gap");
        // 5 to 7 March in hospital (the 7th included): away, not gaps.
        for (n, cell) in morning.iter().enumerate().skip(4).take(3) {
            assert_eq!(*cell, Cell::Away(AwayReason::Hospital), "{} March", n + 1);
        }
        assert_eq!(morning[7], Cell::Missing, "back on the 8th");
        assert_eq!(morning[9], Cell::Missing, "10 March 08:00 has passed");
        assert_eq!(evening[9], Cell::Upcoming);
        assert_eq!(evening[30], Cell::Upcoming);
        assert_eq!(morning[0].text(), "✓ AS");
    }

    #[test]
    fn a_change_shows_from_its_date_and_a_dose_the_clocks_skip_is_blank_not_a_gap() {
        let mut med = record(&MedicineDraft {
            times: vec!["01:30".into(), "08:00".into()],
            ..paracetamol()
        });
        let mut change = MedicineDraft::change_of(med.body(), d(2026, 3, 20));
        change.times = vec!["08:00".into()];
        change.authorised_by = "Dr Okafor".into();
        change.source = Some(crate::medicine::Source::Prescription);
        let rev = med.rev();
        med.amend(
            rev,
            change.validate().unwrap(),
            "Ann",
            utc(2026, 3, 19, 9, 0),
        )
        .unwrap();
        let chart = chart(&[med], &[], &[], &march(), utc(2026, 4, 1, 0, 0), &London);
        let night = &chart.rows[0];
        assert_eq!(night.time, Some(t(1, 30)));
        assert_eq!(night.cells[18], Cell::Missing, "19 March: still at 01:30");
        assert_eq!(night.cells[19], Cell::None, "20 March on: no 01:30 dose");
        let mut changed = MedicineDraft {
            times: vec!["01:30".into()],
            ..paracetamol()
        };
        changed.name = "Melatonin".into();
        let chart = super::chart(
            &[record(&changed)],
            &[],
            &[],
            &march(),
            utc(2026, 4, 1, 0, 0),
            &London,
        );
        assert_eq!(chart.rows[0].cells[28], Cell::Skipped, "29 March: no 01:30");
        assert_eq!(chart.rows[0].cells[27], Cell::Missing);
    }

    #[test]
    fn when_needed_doses_sit_in_one_row_with_their_times_and_the_audit_finds_what_is_missing() {
        let mut prn = paracetamol();
        prn.schedule = "when_needed".into();
        prn.when_needed_reason = "For pain".into();
        prn.min_gap_hours = "4".into();
        prn.max_in_24h = "4".into();
        let prn = record(&prn);
        let regular = Record::create(
            RecordId::from_random_bytes([12; 16]),
            paracetamol().validate().unwrap(),
            "Ann",
            utc(2026, 3, 1, 9, 0),
        );
        let doses = vec![
            dose(
                &prn,
                None,
                ("2026-03-02", "14:10"),
                Outcome::Given,
                "Headache",
                ("Ann Smith", utc(2026, 3, 2, 14, 12), 1),
            ),
            dose(
                &regular,
                at(1, 8, 0),
                ("2026-03-01", "08:05"),
                Outcome::Given,
                "",
                ("Ann Smith", utc(2026, 3, 1, 8, 6), 2),
            ),
            dose(
                &regular,
                at(1, 20, 0),
                ("2026-03-01", "20:00"),
                Outcome::Given,
                "",
                ("Ann Smith", utc(2026, 3, 2, 9, 0), 3),
            ),
        ];
        let days: Vec<NaiveDate> = march()[..3].to_vec();
        let now = utc(2026, 3, 3, 12, 0);
        let chart = chart(
            &[prn.clone(), regular.clone()],
            &doses,
            &[],
            &days,
            now,
            &London,
        );
        let row = chart.rows.iter().find(|r| r.time.is_none()).unwrap();
        assert_eq!(
            row.cells[1],
            Cell::WhenNeeded(vec![(t(14, 10), "✓", "AS".into())])
        );
        assert_eq!(row.cells[1].text(), "14:10 ✓ AS");
        assert_eq!(row.cells[0], Cell::None);
        let audit = audit(&[prn, regular.clone()], &doses, &[], &days, now, &London);
        assert_eq!(audit.no_effect, [doses[0].id()]);
        assert_eq!(audit.late, [doses[2].id()]);
        assert_eq!(
            audit.missing,
            [
                (regular.id(), utc(2026, 3, 2, 8, 0)),
                (regular.id(), utc(2026, 3, 2, 20, 0)),
                (regular.id(), utc(2026, 3, 3, 8, 0))
            ]
        );
    }

    #[test]
    fn initials_are_the_first_letter_of_each_name() {
        assert_eq!(initials("Ann Smith"), "AS");
        assert_eq!(initials("siân o'neill"), "SO");
        assert_eq!(initials("Hearth sample data"), "HSD");
        assert_eq!(initials(""), "");
    }

    #[test]
    fn an_absence_runs_from_the_start_of_its_first_day_to_the_end_of_its_last() {
        let a = away("2026-03-05", "2026-03-07");
        assert!(a.body().covers(utc(2026, 3, 5, 0, 0)));
        assert!(a.body().covers(utc(2026, 3, 7, 23, 59)));
        assert!(!a.body().covers(utc(2026, 3, 8, 0, 0)));
        let back_first = AbsenceDraft {
            to_date: "2026-03-04".into(),
            from_date: "2026-03-05".into(),
            from_time: "10:00".into(),
            to_time: "09:00".into(),
            r#where: Some(AwayReason::WithFamily),
            person_id: meg().to_string(),
            ..Default::default()
        };
        assert_eq!(
            back_first
                .validate(&London)
                .unwrap_err()
                .message_for("to_date"),
            Some("They come back after they went.")
        );
        assert_eq!(
            AbsenceDraft::default()
                .validate(&London)
                .unwrap_err()
                .all()
                .len(),
            4
        );
    }
}
