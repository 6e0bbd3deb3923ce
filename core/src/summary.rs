//! Monthly totals for a carer's payment claim, per person and per kind of
//! arrangement (short breaks, long-term, day support): how many visits and
//! stays, their nights, and their hours.
//!
//! Schemes pay per night or per session, so the totals come from the visit and
//! stay log ([`Visit`]), live records only. Every live visit or stay is in the
//! totals of the month it started in, under the kind it was logged as, with
//! its real length in hours; none is left out or moved to another kind (a
//! claim says what the carer logged, not a guess).
//!
//! A night belongs to the local date of its evening: a stay from 30 November at
//! 18:00 to 2 December at 10:00 is one night in November (the 30th) and one in
//! December (the 1st), and counts as one stay, with all its hours, in
//! November. Dates are read in the offset each end was written in, so the
//! clocks changing never adds or loses a night. A short break or long-term
//! visit that starts and ends on the same date has no night: it counts as a
//! visit with its hours. Day support counts sessions and hours, never nights.

use crate::csv::{defuse, write_row, BOM};
use crate::id::RecordId;
use crate::person::Arrangement;
use crate::record::Record;
use crate::visit::Visit;
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// One kind of arrangement's totals for one person in one month.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct KindMonth {
    /// Visits and stays (day-support sessions) that started in the month.
    pub visits: usize,
    /// Nights whose evening falls in the month (always 0 for day support).
    pub nights: i64,
    /// The real length in minutes of the visits that started in the month (an
    /// hour across the clocks changing is 60).
    pub minutes: i64,
}

impl KindMonth {
    /// True when nothing of this kind is in the month.
    pub fn is_empty(&self) -> bool {
        self.visits == 0 && self.nights == 0
    }
}

/// One person's totals for one month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PersonMonth {
    /// Who.
    pub person_id: RecordId,
    /// Short breaks.
    pub short_breaks: KindMonth,
    /// Long-term care.
    pub long_term: KindMonth,
    /// Day support.
    pub day_support: KindMonth,
}

impl PersonMonth {
    fn new(person_id: RecordId) -> Self {
        PersonMonth {
            person_id,
            short_breaks: KindMonth::default(),
            long_term: KindMonth::default(),
            day_support: KindMonth::default(),
        }
    }
    /// The totals of one kind.
    pub fn kind(&self, kind: Arrangement) -> &KindMonth {
        match kind {
            Arrangement::ShortBreaks => &self.short_breaks,
            Arrangement::LongTerm => &self.long_term,
            Arrangement::DaySupport => &self.day_support,
        }
    }
    fn kind_mut(&mut self, kind: Arrangement) -> &mut KindMonth {
        match kind {
            Arrangement::ShortBreaks => &mut self.short_breaks,
            Arrangement::LongTerm => &mut self.long_term,
            Arrangement::DaySupport => &mut self.day_support,
        }
    }
    /// The kinds with something in the month, in [`Arrangement::ALL`]'s order.
    pub fn kinds(&self) -> impl Iterator<Item = (Arrangement, &KindMonth)> + '_ {
        Arrangement::ALL
            .iter()
            .map(|&k| (k, self.kind(k)))
            .filter(|(_, t)| !t.is_empty())
    }
    fn is_empty(&self) -> bool {
        self.kinds().next().is_none()
    }
}

/// The first day of the month and of the month after, or `None` for a month
/// that doesn't exist.
fn month_bounds(year: i32, month: u32) -> Option<(NaiveDate, NaiveDate)> {
    let first = NaiveDate::from_ymd_opt(year, month, 1)?;
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year.checked_add(1)?, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)?
    };
    Some((first, next))
}

/// How many of the nights `from .. to` (evening dates, `to` excluded) fall in
/// `first .. next`.
fn nights_within(from: NaiveDate, to: NaiveDate, (first, next): (NaiveDate, NaiveDate)) -> i64 {
    let start = from.max(first);
    let end = to.min(next);
    (end - start).num_days().max(0)
}

/// Each person's totals for `month` (1 to 12) of `year`, from the live visits
/// in `visits`: one entry per person with anything in the month, sorted by
/// person id. A month that doesn't exist gives no entries.
///
/// A visit counts once, with its real length, in the month its start date
/// falls in, under its kind. Short breaks and long-term stays also count the
/// nights whose evening falls in the month: the local dates from the start's
/// date up to, not including, the end's date (so a stay across the end of a
/// month has nights in both).
pub fn month_totals(visits: &[Record<Visit>], year: i32, month: u32) -> Vec<PersonMonth> {
    let Some(bounds) = month_bounds(year, month) else {
        return Vec::new();
    };
    let mut people: BTreeMap<RecordId, PersonMonth> = BTreeMap::new();
    for v in visits.iter().filter(|r| r.is_live()).map(Record::body) {
        let entry = people
            .entry(v.person_id())
            .or_insert_with(|| PersonMonth::new(v.person_id()));
        let totals = entry.kind_mut(v.kind());
        let (from, to) = (v.start().date_naive(), v.end().date_naive());
        if v.kind() != Arrangement::DaySupport {
            totals.nights += nights_within(from, to, bounds);
        }
        if bounds.0 <= from && from < bounds.1 {
            totals.visits += 1;
            totals.minutes += v.duration().num_minutes().max(0);
        }
    }
    people.into_values().filter(|p| !p.is_empty()).collect()
}

/// The header row of [`month_csv`].
pub const MONTH_HEADER: [&str; 10] = [
    "person",
    "month",
    "short_break_visits",
    "short_break_nights",
    "short_break_hours",
    "long_term_visits",
    "long_term_nights",
    "long_term_hours",
    "day_support_sessions",
    "day_support_hours",
];

/// Minutes as hours with two decimal places, as the summary and its file show
/// them, rounded to the nearest hundredth:
/// 90 is "1.50", 20 is "0.33", 40 is "0.67". (A whole number of minutes is
/// never exactly half a hundredth of an hour, so there are no ties to break.)
pub fn hours_decimal(minutes: i64) -> String {
    let hundredths = (minutes.max(0) * 100 + 30) / 60;
    format!("{}.{:02}", hundredths / 100, hundredths % 100)
}

/// The month's totals as a CSV file for the scheme: the BOM, the
/// [`MONTH_HEADER`] row, then one row per entry of `totals` in order, with the
/// person's name from `names` (given their person id), the month as `YYYY-MM`,
/// and hours as decimal hours with two places ("3.25").
pub fn month_csv(
    totals: &[PersonMonth],
    names: impl Fn(RecordId) -> String,
    year: i32,
    month: u32,
) -> String {
    let mut out = String::from(BOM);
    write_row(&mut out, &MONTH_HEADER);
    let month = format!("{year:04}-{month:02}");
    for t in totals {
        let name = names(t.person_id);
        let (s, l, d) = (&t.short_breaks, &t.long_term, &t.day_support);
        write_row(
            &mut out,
            &[
                &defuse(&name),
                &month,
                &s.visits.to_string(),
                &s.nights.to_string(),
                &hours_decimal(s.minutes),
                &l.visits.to_string(),
                &l.nights.to_string(),
                &hours_decimal(l.minutes),
                &d.visits.to_string(),
                &hours_decimal(d.minutes),
            ],
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::visit::{Place, VisitDraft};
    use crate::zone::{FixedZone, LocalZone};
    use chrono::{DateTime, Datelike, FixedOffset, NaiveDateTime, TimeZone, Utc};
    use std::sync::atomic::{AtomicU8, Ordering};

    /// London's rules, enough for tests: BST from 01:00 UTC on the last Sunday
    /// of March to 01:00 UTC on the last Sunday of October.
    struct London;
    impl London {
        fn bst(utc: NaiveDateTime) -> bool {
            let last_sunday = |month: u32| {
                let mut d = NaiveDate::from_ymd_opt(utc.date().year(), month, 31).unwrap();
                while d.weekday() != chrono::Weekday::Sun {
                    d = d.pred_opt().unwrap();
                }
                d.and_hms_opt(1, 0, 0).unwrap()
            };
            utc >= last_sunday(3) && utc < last_sunday(10)
        }
        fn offset(bst: bool) -> FixedOffset {
            FixedOffset::east_opt(if bst { 3600 } else { 0 }).unwrap()
        }
    }
    impl LocalZone for London {
        fn offset_at(&self, instant: DateTime<Utc>) -> FixedOffset {
            Self::offset(Self::bst(instant.naive_utc()))
        }
        fn offset_for_local(&self, local: NaiveDateTime) -> FixedOffset {
            Self::offset(Self::bst(local - chrono::Duration::hours(1)))
        }
    }

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2027, 6, 1, 12, 0, 0).unwrap()
    }

    fn person(n: u8) -> RecordId {
        RecordId::from_random_bytes([n; 16])
    }

    fn visit_in(
        zone: &impl LocalZone,
        who: u8,
        kind: Arrangement,
        start: &str,
        end: &str,
    ) -> Record<Visit> {
        let (sd, st) = start.split_once(' ').unwrap();
        let (ed, et) = end.split_once(' ').unwrap();
        let body = VisitDraft {
            person_id: person(who).to_string(),
            kind: Some(kind),
            start_date: sd.into(),
            start_time: st.into(),
            end_date: ed.into(),
            end_time: et.into(),
            place: Some(Place::CarersHome),
            ..Default::default()
        }
        .validate(now(), zone)
        .unwrap();
        Record::create(next_id(), body, "Ann", now())
    }

    /// A fresh id for each test record.
    fn next_id() -> RecordId {
        static NEXT: AtomicU8 = AtomicU8::new(100);
        RecordId::from_random_bytes([NEXT.fetch_add(1, Ordering::Relaxed); 16])
    }

    fn visit(who: u8, kind: Arrangement, start: &str, end: &str) -> Record<Visit> {
        visit_in(&FixedZone::utc(), who, kind, start, end)
    }

    fn london(who: u8, kind: Arrangement, start: &str, end: &str) -> Record<Visit> {
        visit_in(&London, who, kind, start, end)
    }

    fn one(visits: &[Record<Visit>], year: i32, month: u32) -> PersonMonth {
        let totals = month_totals(visits, year, month);
        assert_eq!(totals.len(), 1, "{year}-{month}: {totals:?}");
        totals[0]
    }

    fn offsets(v: &Record<Visit>) -> (i32, i32) {
        (
            v.body().start().offset().local_minus_utc(),
            v.body().end().offset().local_minus_utc(),
        )
    }

    #[test]
    fn a_night_belongs_to_the_month_of_its_evening() {
        let v = [visit(
            1,
            Arrangement::ShortBreaks,
            "2026-11-30 18:00",
            "2026-12-02 10:00",
        )];
        assert_eq!(one(&v, 2026, 11).short_breaks.nights, 1);
        assert_eq!(one(&v, 2026, 12).short_breaks.nights, 1);
        assert!(month_totals(&v, 2026, 10).is_empty());
        assert!(month_totals(&v, 2027, 1).is_empty());
    }

    #[test]
    fn a_stay_across_the_end_of_march_loses_no_night_when_the_clocks_go_forward() {
        // The clocks went forward at 01:00 on Sunday 29 March 2026.
        let over_the_change = london(
            1,
            Arrangement::ShortBreaks,
            "2026-03-28 18:00",
            "2026-03-29 10:00",
        );
        assert_eq!(offsets(&over_the_change), (0, 3600));
        assert_eq!(one(&[over_the_change], 2026, 3).short_breaks.nights, 1);

        let into_april = london(
            1,
            Arrangement::ShortBreaks,
            "2026-03-27 18:00",
            "2026-04-02 10:00",
        );
        assert_eq!(offsets(&into_april), (0, 3600));
        let v = [into_april];
        assert_eq!(one(&v, 2026, 3).short_breaks.nights, 5, "27th to 31st");
        assert_eq!(one(&v, 2026, 4).short_breaks.nights, 1, "the 1st");

        // Half past midnight to half past two by the clock is one real hour.
        let hour = london(
            2,
            Arrangement::DaySupport,
            "2026-03-29 00:30",
            "2026-03-29 02:30",
        );
        assert_eq!(offsets(&hour), (0, 3600));
        let t = one(&[hour], 2026, 3);
        assert_eq!((t.day_support.visits, t.day_support.minutes), (1, 60));
    }

    #[test]
    fn a_stay_across_the_end_of_october_gains_no_night_when_the_clocks_go_back() {
        // The clocks went back at 02:00 on Sunday 25 October 2026.
        let over_the_change = london(
            1,
            Arrangement::LongTerm,
            "2026-10-24 18:00",
            "2026-10-25 10:00",
        );
        assert_eq!(offsets(&over_the_change), (3600, 0));
        let t = one(&[over_the_change], 2026, 10);
        assert_eq!((t.long_term.nights, t.short_breaks.nights), (1, 0));

        let into_november = london(
            1,
            Arrangement::ShortBreaks,
            "2026-10-23 17:00",
            "2026-11-03 10:00",
        );
        assert_eq!(offsets(&into_november), (3600, 0));
        let v = [into_november];
        assert_eq!(one(&v, 2026, 10).short_breaks.nights, 9, "23rd to 31st");
        assert_eq!(one(&v, 2026, 11).short_breaks.nights, 2, "1st and 2nd");

        // Half past midnight to half past two by the clock, across the change,
        // is three real hours.
        let across = london(
            2,
            Arrangement::DaySupport,
            "2026-10-25 00:30",
            "2026-10-25 02:30",
        );
        assert_eq!(offsets(&across), (3600, 0));
        assert_eq!(one(&[across], 2026, 10).day_support.minutes, 180);

        // One real hour from 01:30 summer time to 01:30 winter time, as stored
        // (the form resolves a repeated time to summer time, so it comes from
        // the stored record, as a visit ended with "End visit" would be).
        let hour: Visit = serde_json::from_value(serde_json::json!({
            "person_id": person(2),
            "kind": "day_support",
            "start": "2026-10-25T01:30:00+01:00",
            "end": "2026-10-25T01:30:00+00:00",
            "place": "carers_home",
        }))
        .unwrap();
        let hour = Record::create(next_id(), hour, "Ann", now());
        let t = one(&[hour], 2026, 10);
        assert_eq!((t.day_support.visits, t.day_support.minutes), (1, 60));
    }

    #[test]
    fn a_stay_spanning_three_months_counts_every_night_once() {
        let v = [visit(
            1,
            Arrangement::LongTerm,
            "2026-11-30 14:00",
            "2027-02-01 11:00",
        )];
        let nights: Vec<i64> = [(2026, 11), (2026, 12), (2027, 1), (2027, 2)]
            .iter()
            .map(|&(y, m)| {
                month_totals(&v, y, m)
                    .first()
                    .map_or(0, |t| t.long_term.nights)
            })
            .collect();
        assert_eq!(nights, [1, 31, 31, 0]);
        assert_eq!(nights.iter().sum::<i64>(), v[0].body().nights());
    }

    proptest::proptest! {
        /// However a stay falls across months, the months' nights add up to
        /// the stay's nights.
        #[test]
        fn the_months_nights_add_up_to_the_stays(
            start_day in 0i64..700,
            nights in 0i64..366,
            start_hour in 0u32..24,
            end_hour in 0u32..24,
        ) {
            let first = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
            let from = first + chrono::Duration::days(start_day);
            let to = from + chrono::Duration::days(nights);
            let (start_hour, end_hour) = if nights == 0 {
                (start_hour.min(22), end_hour.max(start_hour.min(22) + 1))
            } else {
                (start_hour, end_hour)
            };
            let v = [visit(
                1,
                Arrangement::LongTerm,
                &format!("{from} {start_hour:02}:00"),
                &format!("{to} {end_hour:02}:00"),
            )];
            let mut total = 0;
            let (mut year, mut month) = (from.year(), from.month());
            loop {
                total += month_totals(&v, year, month)
                    .first()
                    .map_or(0, |t| t.long_term.nights);
                if (year, month) == (to.year(), to.month()) {
                    break;
                }
                (year, month) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
            }
            proptest::prop_assert_eq!(total, v[0].body().nights());
            proptest::prop_assert_eq!(total, nights);
        }
    }

    #[test]
    fn day_support_counts_in_the_month_it_started_with_its_real_minutes() {
        let v = [
            visit(
                1,
                Arrangement::DaySupport,
                "2026-11-02 10:00",
                "2026-11-02 13:15",
            ),
            visit(
                1,
                Arrangement::DaySupport,
                "2026-11-09 10:00",
                "2026-11-09 10:45",
            ),
            // Starts on the last evening of November, ends in December.
            visit(
                1,
                Arrangement::DaySupport,
                "2026-11-30 22:00",
                "2026-12-01 01:00",
            ),
            visit(
                1,
                Arrangement::DaySupport,
                "2026-12-01 10:00",
                "2026-12-01 11:00",
            ),
        ];
        let t = one(&v, 2026, 11);
        assert_eq!(
            (t.day_support.visits, t.day_support.minutes),
            (3, 195 + 45 + 180)
        );
        let t = one(&v, 2026, 12);
        assert_eq!((t.day_support.visits, t.day_support.minutes), (1, 60));
    }

    #[test]
    fn people_are_separate_sorted_and_only_there_with_something_to_claim() {
        let mut deleted = visit(
            4,
            Arrangement::ShortBreaks,
            "2026-11-10 18:00",
            "2026-11-12 10:00",
        );
        deleted
            .delete(1, "Logged for the wrong person", "Ann", now())
            .unwrap();
        let v = [
            visit(
                3,
                Arrangement::ShortBreaks,
                "2026-11-10 18:00",
                "2026-11-12 10:00",
            ),
            visit(
                1,
                Arrangement::LongTerm,
                "2026-11-01 00:00",
                "2026-12-01 00:00",
            ),
            visit(
                3,
                Arrangement::DaySupport,
                "2026-11-20 10:00",
                "2026-11-20 12:30",
            ),
            visit(
                3,
                Arrangement::ShortBreaks,
                "2026-11-20 18:00",
                "2026-11-21 10:00",
            ),
            // A short break with no night counts as a visit, with its hours...
            visit(
                2,
                Arrangement::ShortBreaks,
                "2026-11-14 10:00",
                "2026-11-14 16:00",
            ),
            // ...and deleted records count nothing.
            deleted,
            // Someone with only October.
            visit(
                5,
                Arrangement::DaySupport,
                "2026-10-20 10:00",
                "2026-10-20 12:00",
            ),
        ];
        let totals = month_totals(&v, 2026, 11);
        assert_eq!(
            totals,
            [
                PersonMonth {
                    person_id: person(1),
                    long_term: KindMonth {
                        visits: 1,
                        nights: 30,
                        minutes: 30 * 24 * 60,
                    },
                    ..PersonMonth::new(person(1))
                },
                PersonMonth {
                    person_id: person(2),
                    short_breaks: KindMonth {
                        visits: 1,
                        nights: 0,
                        minutes: 6 * 60,
                    },
                    ..PersonMonth::new(person(2))
                },
                PersonMonth {
                    person_id: person(3),
                    short_breaks: KindMonth {
                        visits: 2,
                        nights: 3,
                        minutes: 40 * 60 + 16 * 60,
                    },
                    long_term: KindMonth::default(),
                    day_support: KindMonth {
                        visits: 1,
                        nights: 0,
                        minutes: 150,
                    },
                },
            ]
        );
        assert!(month_totals(&v, 2026, 13).is_empty());
        assert!(month_totals(&v, 2026, 0).is_empty());
    }

    #[test]
    fn a_same_day_short_break_visit_is_in_the_month_with_its_hours() {
        // "Start visit with Meg" on a short-breaks arrangement: 2 h 19 min.
        let v = [visit(
            1,
            Arrangement::ShortBreaks,
            "2026-12-02 10:00",
            "2026-12-02 12:19",
        )];
        let t = one(&v, 2026, 12);
        assert_eq!(
            t.short_breaks,
            KindMonth {
                visits: 1,
                nights: 0,
                minutes: 139
            }
        );
        assert_eq!(
            t.kinds().map(|(k, _)| k).collect::<Vec<_>>(),
            [Arrangement::ShortBreaks]
        );
        assert!(month_totals(&v, 2026, 11).is_empty());
    }

    #[test]
    fn every_kind_counts_its_visits_nights_and_hours_same_day_and_overnight() {
        for kind in Arrangement::ALL {
            let v = [
                visit(1, kind, "2026-11-03 10:00", "2026-11-03 12:30"),
                visit(1, kind, "2026-11-05 18:00", "2026-11-07 10:00"),
            ];
            let t = one(&v, 2026, 11);
            let nights = if kind == Arrangement::DaySupport {
                0
            } else {
                2
            };
            assert_eq!(
                *t.kind(kind),
                KindMonth {
                    visits: 2,
                    nights,
                    minutes: 150 + 40 * 60
                },
                "{kind:?}"
            );
            assert_eq!(t.kinds().count(), 1, "only {kind:?}");
        }
    }

    #[test]
    fn a_stay_across_the_end_of_a_month_counts_once_with_nights_in_both() {
        for kind in [Arrangement::ShortBreaks, Arrangement::LongTerm] {
            let v = [visit(1, kind, "2026-12-30 18:00", "2027-01-02 10:00")];
            let (december, january) = (one(&v, 2026, 12), one(&v, 2027, 1));
            assert_eq!(
                *december.kind(kind),
                KindMonth {
                    visits: 1,
                    nights: 2,
                    minutes: 64 * 60
                }
            );
            assert_eq!(
                *january.kind(kind),
                KindMonth {
                    visits: 0,
                    nights: 1,
                    minutes: 0
                }
            );
        }
        // Day support across midnight at the end of the month: December's.
        let v = [visit(
            1,
            Arrangement::DaySupport,
            "2026-12-31 21:00",
            "2027-01-01 01:00",
        )];
        assert_eq!(one(&v, 2026, 12).day_support.minutes, 240);
        assert!(month_totals(&v, 2027, 1).is_empty());
    }

    proptest::proptest! {
        /// Whatever its kind, times and dates, every live visit is counted
        /// once, in the month it started, under its kind, with its minutes.
        #[test]
        fn every_visit_is_in_its_months_totals(
            kind in proptest::sample::select(Arrangement::ALL.to_vec()),
            start_day in 0i64..700,
            nights in 0i64..40,
            start_hour in 0u32..23,
            length in 1i64..600,
        ) {
            let first = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
            let from = first + chrono::Duration::days(start_day);
            let start = from.and_hms_opt(start_hour, 0, 0).unwrap();
            let end = if nights == 0 {
                start + chrono::Duration::minutes(length.min(i64::from(23 - start_hour) * 60))
            } else {
                (from + chrono::Duration::days(nights)).and_hms_opt(10, 0, 0).unwrap()
            };
            let fmt = |t: NaiveDateTime| t.format("%Y-%m-%d %H:%M").to_string();
            let v = [visit(1, kind, &fmt(start), &fmt(end))];
            let t = one(&v, from.year(), from.month());
            proptest::prop_assert_eq!(t.kind(kind).visits, 1);
            proptest::prop_assert_eq!(t.kind(kind).minutes, (end - start).num_minutes());
            proptest::prop_assert_eq!(t.kinds().count(), 1);
        }
    }

    fn parse(file: &str) -> Vec<Vec<String>> {
        let body = file.strip_prefix(BOM).expect("starts with the BOM");
        csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(body.as_bytes())
            .records()
            .map(|r| r.unwrap().iter().map(String::from).collect())
            .collect()
    }

    #[test]
    fn hours_have_two_decimal_places_rounded() {
        for (minutes, hours) in [
            (0, "0.00"),
            (1, "0.02"),
            (10, "0.17"),
            (20, "0.33"),
            (40, "0.67"),
            (60, "1.00"),
            (90, "1.50"),
            (195, "3.25"),
            (6001, "100.02"),
        ] {
            assert_eq!(hours_decimal(minutes), hours, "{minutes}");
        }
    }

    #[test]
    fn the_month_file_round_trips_through_a_csv_reader() {
        let v = [
            visit(
                1,
                Arrangement::ShortBreaks,
                "2026-11-30 18:00",
                "2026-12-02 10:00",
            ),
            visit(
                2,
                Arrangement::DaySupport,
                "2026-12-03 10:00",
                "2026-12-03 13:20",
            ),
            visit(
                2,
                Arrangement::LongTerm,
                "2026-12-20 10:00",
                "2026-12-27 13:20",
            ),
        ];
        let totals = month_totals(&v, 2026, 12);
        let names = |p: RecordId| {
            if p == person(1) {
                "Siân, \"Meg\"".to_string()
            } else {
                "=Sam".to_string()
            }
        };
        let file = month_csv(&totals, names, 2026, 12);
        assert!(file.starts_with(BOM));
        assert!(file.ends_with("\r\n"));
        assert_eq!(
            parse(&file),
            [
                MONTH_HEADER.map(String::from).to_vec(),
                [
                    "Siân, \"Meg\"",
                    "2026-12",
                    "0",
                    "1",
                    "0.00",
                    "0",
                    "0",
                    "0.00",
                    "0",
                    "0.00"
                ]
                .map(String::from)
                .to_vec(),
                ["'=Sam", "2026-12", "0", "0", "0.00", "1", "7", "171.33", "1", "3.33"]
                    .map(String::from)
                    .to_vec(),
            ]
        );
        assert_eq!(
            month_csv(&[], names, 2027, 1),
            "\u{feff}person,month,short_break_visits,short_break_nights,short_break_hours,long_term_visits,long_term_nights,long_term_hours,day_support_sessions,day_support_hours\r\n"
        );
    }
}
