//! Monthly totals for a carer's payment claim: nights of short breaks and of
//! long-term care, and day-support sessions with their hours, per person.
//!
//! Schemes pay per night or per session, so the totals come from the visit and
//! stay log ([`Visit`]), live records only.
//!
//! A night belongs to the local date of its evening: a stay from 30 November at
//! 18:00 to 2 December at 10:00 is one night in November (the 30th) and one in
//! December (the 1st). Dates are read in the offset each end was written in, so
//! the clocks changing never adds or loses a night.
//!
//! A short break or long-term visit with no night in it (it started and ended
//! on the same date) counts nothing. It is not turned into a day-support
//! session: day support is a different arrangement, often paid at a different
//! rate, and a claim should say what the carer logged, not guess. The visit
//! still shows in the log with its hours, so the carer can correct its kind.

use crate::csv::{defuse, write_row, BOM};
use crate::id::RecordId;
use crate::person::Arrangement;
use crate::record::Record;
use crate::visit::Visit;
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// One person's totals for one month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PersonMonth {
    /// Who.
    pub person_id: RecordId,
    /// Nights of short breaks whose evening falls in the month.
    pub short_break_nights: i64,
    /// Nights of long-term care whose evening falls in the month.
    pub long_term_nights: i64,
    /// Day-support visits that started in the month.
    pub day_sessions: usize,
    /// Their length in real minutes (an hour across the clocks changing is 60).
    pub day_minutes: i64,
}

impl PersonMonth {
    fn is_empty(&self) -> bool {
        self.short_break_nights == 0
            && self.long_term_nights == 0
            && self.day_sessions == 0
            && self.day_minutes == 0
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
/// Short breaks and long-term stays count the nights whose evening falls in
/// the month: the local dates from the start's date up to, not including, the
/// end's date. Day support counts a session, and its real length in minutes,
/// in the month its start date falls in. See the module notes for a stay with
/// no nights.
pub fn month_totals(visits: &[Record<Visit>], year: i32, month: u32) -> Vec<PersonMonth> {
    let Some(bounds) = month_bounds(year, month) else {
        return Vec::new();
    };
    let mut people: BTreeMap<RecordId, PersonMonth> = BTreeMap::new();
    for v in visits.iter().filter(|r| r.is_live()).map(Record::body) {
        let entry = people.entry(v.person_id()).or_insert(PersonMonth {
            person_id: v.person_id(),
            short_break_nights: 0,
            long_term_nights: 0,
            day_sessions: 0,
            day_minutes: 0,
        });
        let (from, to) = (v.start().date_naive(), v.end().date_naive());
        match v.kind() {
            Arrangement::ShortBreaks => entry.short_break_nights += nights_within(from, to, bounds),
            Arrangement::LongTerm => entry.long_term_nights += nights_within(from, to, bounds),
            Arrangement::DaySupport => {
                if bounds.0 <= from && from < bounds.1 {
                    entry.day_sessions += 1;
                    entry.day_minutes += v.duration().num_minutes().max(0);
                }
            }
        }
    }
    people.into_values().filter(|p| !p.is_empty()).collect()
}

/// The header row of [`month_csv`].
pub const MONTH_HEADER: [&str; 6] = [
    "person",
    "month",
    "short_break_nights",
    "long_term_nights",
    "day_support_sessions",
    "day_support_hours",
];

/// Minutes as hours with two decimal places, rounded to the nearest hundredth:
/// 90 is "1.50", 20 is "0.33", 40 is "0.67". (A whole number of minutes is
/// never exactly half a hundredth of an hour, so there are no ties to break.)
fn hours_decimal(minutes: i64) -> String {
    let hundredths = (minutes.max(0) * 100 + 30) / 60;
    format!("{}.{:02}", hundredths / 100, hundredths % 100)
}

/// The month's totals as a CSV file for the scheme: the BOM, the
/// [`MONTH_HEADER`] row, then one row per entry of `totals` in order, with the
/// person's name from `names` (given their person id), the month as `YYYY-MM`,
/// and day-support time as decimal hours with two places ("3.25").
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
        write_row(
            &mut out,
            &[
                &defuse(&name),
                &month,
                &t.short_break_nights.to_string(),
                &t.long_term_nights.to_string(),
                &t.day_sessions.to_string(),
                &hours_decimal(t.day_minutes),
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
        assert_eq!(one(&v, 2026, 11).short_break_nights, 1);
        assert_eq!(one(&v, 2026, 12).short_break_nights, 1);
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
        assert_eq!(one(&[over_the_change], 2026, 3).short_break_nights, 1);

        let into_april = london(
            1,
            Arrangement::ShortBreaks,
            "2026-03-27 18:00",
            "2026-04-02 10:00",
        );
        assert_eq!(offsets(&into_april), (0, 3600));
        let v = [into_april];
        assert_eq!(one(&v, 2026, 3).short_break_nights, 5, "27th to 31st");
        assert_eq!(one(&v, 2026, 4).short_break_nights, 1, "the 1st");

        // Half past midnight to half past two by the clock is one real hour.
        let hour = london(
            2,
            Arrangement::DaySupport,
            "2026-03-29 00:30",
            "2026-03-29 02:30",
        );
        assert_eq!(offsets(&hour), (0, 3600));
        let t = one(&[hour], 2026, 3);
        assert_eq!((t.day_sessions, t.day_minutes), (1, 60));
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
        assert_eq!((t.long_term_nights, t.short_break_nights), (1, 0));

        let into_november = london(
            1,
            Arrangement::ShortBreaks,
            "2026-10-23 17:00",
            "2026-11-03 10:00",
        );
        assert_eq!(offsets(&into_november), (3600, 0));
        let v = [into_november];
        assert_eq!(one(&v, 2026, 10).short_break_nights, 9, "23rd to 31st");
        assert_eq!(one(&v, 2026, 11).short_break_nights, 2, "1st and 2nd");

        // Half past midnight to half past two by the clock, across the change,
        // is three real hours.
        let across = london(
            2,
            Arrangement::DaySupport,
            "2026-10-25 00:30",
            "2026-10-25 02:30",
        );
        assert_eq!(offsets(&across), (3600, 0));
        assert_eq!(one(&[across], 2026, 10).day_minutes, 180);

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
        assert_eq!((t.day_sessions, t.day_minutes), (1, 60));
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
                    .map_or(0, |t| t.long_term_nights)
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
                    .map_or(0, |t| t.long_term_nights);
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
        assert_eq!((t.day_sessions, t.day_minutes), (3, 195 + 45 + 180));
        let t = one(&v, 2026, 12);
        assert_eq!((t.day_sessions, t.day_minutes), (1, 60));
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
            // A short break with no night counts nothing...
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
                    short_break_nights: 0,
                    long_term_nights: 30,
                    day_sessions: 0,
                    day_minutes: 0,
                },
                PersonMonth {
                    person_id: person(3),
                    short_break_nights: 3,
                    long_term_nights: 0,
                    day_sessions: 1,
                    day_minutes: 150,
                },
            ]
        );
        assert!(month_totals(&v, 2026, 13).is_empty());
        assert!(month_totals(&v, 2026, 0).is_empty());
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
                ["Siân, \"Meg\"", "2026-12", "1", "0", "0", "0.00"]
                    .map(String::from)
                    .to_vec(),
                ["'=Sam", "2026-12", "0", "7", "1", "3.33"]
                    .map(String::from)
                    .to_vec(),
            ]
        );
        assert_eq!(
            month_csv(&[], names, 2027, 1),
            "\u{feff}person,month,short_break_nights,long_term_nights,day_support_sessions,day_support_hours\r\n"
        );
    }
}
