//! Wellbeing trends over check-ins: the mood line for a chart, averages by week
//! and by month, the ONS4 answers one question at a time, and a gentle flag when
//! recent check-ins have been low.
//!
//! Everything here is computed from the stored check-ins and a "today" passed in
//! by the caller. Deleted check-ins never count. Days without a check-in are gaps,
//! never zeros: a chart draws a line only between consecutive days that have one.
//! The five faces are a simple scale, not a validated instrument, and the flag
//! never diagnoses: it suggests a conversation.

use crate::checkin::{Answered, CheckIn, Mood, Ons4Question};
use crate::id::RecordId;
use crate::record::Record;
use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate};
use std::collections::BTreeMap;

/// How far back a trend looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Period {
    /// The last 28 days.
    FourWeeks,
    /// The last 91 days (13 weeks).
    ThreeMonths,
    /// The last 365 days.
    TwelveMonths,
}

impl Period {
    /// Every period, shortest first, in the order a chooser shows them.
    pub const ALL: [Period; 3] = [Period::FourWeeks, Period::ThreeMonths, Period::TwelveMonths];

    /// The words on screen.
    pub fn label(self) -> &'static str {
        match self {
            Period::FourWeeks => "4 weeks",
            Period::ThreeMonths => "3 months",
            Period::TwelveMonths => "12 months",
        }
    }

    /// How many days the period covers, today included.
    pub fn days(self) -> i64 {
        match self {
            Period::FourWeeks => 28,
            Period::ThreeMonths => 91,
            Period::TwelveMonths => 365,
        }
    }

    /// The first and last day of the period ending `today`, both inclusive.
    pub fn range(self, today: NaiveDate) -> (NaiveDate, NaiveDate) {
        (today - Duration::days(self.days() - 1), today)
    }
}

/// One check-in's mood, as a chart plots it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MoodPoint {
    /// The local day it was recorded on.
    pub day: NaiveDate,
    /// When, in the phone's local time at that moment.
    pub at: DateTime<FixedOffset>,
    /// The face chosen.
    pub mood: Mood,
    /// Who answered, so a chart can show it beside every point.
    pub answered: Answered,
    /// The check-in's record id, to open it from the chart.
    pub id: RecordId,
}

/// Live check-ins with `day` in `[from, to]`, oldest first by moment.
fn live_in_range(
    checkins: &[Record<CheckIn>],
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<&Record<CheckIn>> {
    let mut found: Vec<&Record<CheckIn>> = checkins
        .iter()
        .filter(|rec| rec.is_live())
        .filter(|rec| (from..=to).contains(&rec.body().day()))
        .collect();
    crate::order::sort_by_key(&mut found, |rec| (rec.body().occurred_at(), rec.id()));
    found
}

/// The mood of every live check-in whose local day is within `from..=to`,
/// oldest first.
pub fn mood_points(checkins: &[Record<CheckIn>], from: NaiveDate, to: NaiveDate) -> Vec<MoodPoint> {
    live_in_range(checkins, from, to)
        .into_iter()
        .map(|rec| {
            let c = rec.body();
            MoodPoint {
                day: c.day(),
                at: c.occurred_at(),
                mood: c.mood(),
                answered: c.answered(),
                id: rec.id(),
            }
        })
        .collect()
}

/// The mean mood score (1 to 5) of one day's check-ins.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DayMean {
    /// The local day.
    pub day: NaiveDate,
    /// The mean of that day's [`Mood::score`]s.
    pub mean: f64,
}

/// A running total of mood scores.
#[derive(Debug, Clone, Copy, Default)]
struct Tally {
    sum: u32,
    count: usize,
    low: u8,
    high: u8,
}

impl Tally {
    fn add(&mut self, mood: Mood) {
        let score = mood.score();
        self.sum += u32::from(score);
        self.low = if self.count == 0 {
            score
        } else {
            self.low.min(score)
        };
        self.high = self.high.max(score);
        self.count += 1;
    }

    fn mean(self) -> f64 {
        f64::from(self.sum) / self.count as f64
    }
}

/// Tallies the points by a key (a day, a week's Monday, a month's first day),
/// in key order.
fn tally_by(
    points: &[MoodPoint],
    key: impl Fn(NaiveDate) -> NaiveDate,
) -> BTreeMap<NaiveDate, Tally> {
    let mut tallies: BTreeMap<NaiveDate, Tally> = BTreeMap::new();
    for p in points {
        tallies.entry(key(p.day)).or_default().add(p.mood);
    }
    tallies
}

/// Each day's mean mood, grouped into runs of consecutive days, oldest first.
/// A chart draws a line within a run and leaves a gap between runs: a day
/// without a check-in is a gap, never a zero.
pub fn runs(points: &[MoodPoint]) -> Vec<Vec<DayMean>> {
    let mut runs: Vec<Vec<DayMean>> = Vec::new();
    for (day, tally) in tally_by(points, |day| day) {
        let point = DayMean {
            day,
            mean: tally.mean(),
        };
        match runs.last_mut() {
            Some(run) if run.last().and_then(|last| last.day.succ_opt()) == Some(day) => {
                run.push(point)
            }
            _ => runs.push(vec![point]),
        }
    }
    runs
}

/// The numbers under a chart: how many check-ins, their mean, and who answered.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Summary {
    /// How many check-ins.
    pub count: usize,
    /// The mean mood score (1 to 5), or `None` when there are no check-ins.
    pub mean: Option<f64>,
    /// How many the person answered themselves.
    pub themselves: usize,
    /// How many the person answered with help.
    pub with_help: usize,
    /// How many the carer observed.
    pub observed: usize,
}

/// Counts the check-ins, by who answered, and their mean mood score (each
/// check-in counts once, whatever day it was on).
pub fn summarise(points: &[MoodPoint]) -> Summary {
    let mut summary = Summary::default();
    let mut tally = Tally::default();
    for p in points {
        tally.add(p.mood);
        match p.answered {
            Answered::Themselves => summary.themselves += 1,
            Answered::WithHelp => summary.with_help += 1,
            Answered::CarerObserved => summary.observed += 1,
        }
    }
    summary.count = tally.count;
    summary.mean = (tally.count > 0).then(|| tally.mean());
    summary
}

/// The mean mood over one calendar week or month.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PeriodAverage {
    /// The first day of the week (a Monday) or month.
    pub start: NaiveDate,
    /// The last day of the week (a Sunday) or month.
    pub end: NaiveDate,
    /// How many check-ins fell within it.
    pub count: usize,
    /// Their mean mood score (1 to 5), each check-in counting once.
    pub mean: f64,
    /// The lowest and the highest score among them: the spread.
    pub low: u8,
    /// See `low`.
    pub high: u8,
}

fn averages(
    points: &[MoodPoint],
    start_of: impl Fn(NaiveDate) -> NaiveDate,
    end_of: impl Fn(NaiveDate) -> NaiveDate,
) -> Vec<PeriodAverage> {
    tally_by(points, start_of)
        .into_iter()
        .map(|(start, tally)| PeriodAverage {
            start,
            end: end_of(start),
            count: tally.count,
            mean: tally.mean(),
            low: tally.low,
            high: tally.high,
        })
        .collect()
}

/// How a chart of `[from, to]` groups check-ins: one mark per check-in up to
/// five weeks; weekly averages up to about four months; monthly beyond, so a
/// long range reads as a trend, not hundreds of marks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grouping {
    /// Every check-in its own mark.
    Each,
    /// A mark per ISO week: its mean and spread.
    Weekly,
    /// A mark per calendar month: its mean and spread.
    Monthly,
}

impl Grouping {
    /// The grouping for a chart from `from` to `to`.
    pub fn of(from: NaiveDate, to: NaiveDate) -> Grouping {
        match (to - from).num_days() {
            ..=35 => Grouping::Each,
            36..=124 => Grouping::Weekly,
            _ => Grouping::Monthly,
        }
    }

    /// The averages to draw (none for [`Grouping::Each`]).
    pub fn averages(self, points: &[MoodPoint]) -> Vec<PeriodAverage> {
        match self {
            Grouping::Each => Vec::new(),
            Grouping::Weekly => weekly_averages(points),
            Grouping::Monthly => monthly_averages(points),
        }
    }
}

/// The mean mood of each ISO week (Monday to Sunday) that has at least one
/// check-in, oldest first. `start` and `end` are the whole week's, even when the
/// points cover only part of it.
pub fn weekly_averages(points: &[MoodPoint]) -> Vec<PeriodAverage> {
    averages(
        points,
        |day| day - Duration::days(i64::from(day.weekday().num_days_from_monday())),
        |monday| monday + Duration::days(6),
    )
}

/// The mean mood of each calendar month that has at least one check-in, oldest
/// first. `start` and `end` are the whole month's, even when the points cover
/// only part of it.
pub fn monthly_averages(points: &[MoodPoint]) -> Vec<PeriodAverage> {
    averages(
        points,
        |day| day.with_day(1).expect("every month has a first day"),
        |first| {
            let next = first
                .checked_add_months(chrono::Months::new(1))
                .expect("a month after a valid date is valid");
            next.pred_opt()
                .expect("a first of the month has a day before")
        },
    )
}

/// One answer to one ONS4 question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ons4Point {
    /// The local day of the check-in.
    pub day: NaiveDate,
    /// The answer, 0 to 10.
    pub value: u8,
    /// Who answered.
    pub answered: Answered,
}

/// The answers to one ONS4 question from live check-ins with a local day within
/// `from..=to`, oldest first. Check-ins where that question was not asked are
/// left out. The four questions are reported on their own and never combined.
pub fn ons4_points(
    checkins: &[Record<CheckIn>],
    question: Ons4Question,
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<Ons4Point> {
    live_in_range(checkins, from, to)
        .into_iter()
        .filter_map(|rec| {
            let c = rec.body();
            c.ons4().answer(question).map(|value| Ons4Point {
                day: c.day(),
                value,
                answered: c.answered(),
            })
        })
        .collect()
}

/// Why the gentle flag is showing.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FlagReason {
    /// The most recent check-ins were all low or awful.
    LowInARow {
        /// How many in a row, newest backwards: at least 3.
        count: usize,
    },
    /// The past 7 days' check-ins are at least a whole face lower, on average,
    /// than the 28 days before.
    WeekBelowMonth {
        /// The mean mood score (1 to 5) of the past 7 days.
        last_week: f64,
        /// The mean mood score (1 to 5) of the 28 days before.
        before: f64,
    },
}

/// A gentle nudge that recent check-ins have been lower. It is not a diagnosis
/// or an alarm, and says so in how it is worded.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Flag {
    /// What was noticed.
    pub reason: FlagReason,
}

impl Flag {
    /// The words on screen, with the person's preferred name.
    pub fn message(&self, name: &str) -> String {
        let noticed = match self.reason {
            FlagReason::LowInARow { count } => {
                format!("{name}'s last {count} check-ins were low or awful.")
            }
            FlagReason::WeekBelowMonth { .. } => {
                format!("{name}'s check-ins this past week are lower than in the 4 weeks before.")
            }
        };
        format!(
            "{noticed} It may help to talk with {name} about how things are going and, if you're worried, with your Shared Lives scheme."
        )
    }
}

/// How many recent check-ins in a row must be low or awful before the flag shows.
pub const LOW_IN_A_ROW: usize = 3;
/// A run of low check-ins only flags while the newest of them is this recent
/// (in days): months-old check-ins say nothing about how someone is now.
pub const RECENT_DAYS: i64 = 28;
/// The fewest check-ins each side of the week-against-month comparison needs.
pub const MIN_CHECKINS_TO_COMPARE: usize = 3;

/// The gentle flag, if recent check-ins suggest a conversation. Only live
/// check-ins on or before `today` (by local day) count.
///
/// 1. The three most recent check-ins (by time, whatever their days) are all low
///    or awful, and the newest is from the last [`RECENT_DAYS`] days:
///    [`FlagReason::LowInARow`], counting the whole current run.
/// 2. Otherwise, with at least 3 check-ins in the last 7 days (`today - 6` to
///    `today`) and at least 3 in the 28 days before (`today - 34` to
///    `today - 7`), the last 7 days' mean is at least 1.0 lower than the 28
///    days' mean: [`FlagReason::WeekBelowMonth`].
///
/// Too little data never flags.
pub fn wellbeing_flag(checkins: &[Record<CheckIn>], today: NaiveDate) -> Option<Flag> {
    let mut counted: Vec<&CheckIn> = checkins
        .iter()
        .filter(|rec| rec.is_live() && rec.body().day() <= today)
        .map(|rec| rec.body())
        .collect();
    crate::order::sort_by_key(&mut counted, |c| std::cmp::Reverse(c.occurred_at()));

    let low_run = counted.iter().take_while(|c| c.mood().is_low()).count();
    let recent = counted
        .first()
        .is_some_and(|newest| newest.day() > today - Duration::days(RECENT_DAYS));
    if low_run >= LOW_IN_A_ROW && recent {
        return Some(Flag {
            reason: FlagReason::LowInARow { count: low_run },
        });
    }

    let week_from = today - Duration::days(6);
    let before_from = today - Duration::days(34);
    let mut week = Tally::default();
    let mut before = Tally::default();
    for c in &counted {
        let day = c.day();
        if day >= week_from {
            week.add(c.mood());
        } else if day >= before_from {
            before.add(c.mood());
        }
    }
    if week.count < MIN_CHECKINS_TO_COMPARE || before.count < MIN_CHECKINS_TO_COMPARE {
        return None;
    }
    // week.sum / week.count <= before.sum / before.count - 1, in whole numbers,
    // so that a difference of exactly one face is not lost to rounding.
    let (week_n, before_n) = (week.count as u64, before.count as u64);
    let lower_by_a_face =
        u64::from(week.sum) * before_n + week_n * before_n <= u64::from(before.sum) * week_n;
    lower_by_a_face.then(|| Flag {
        reason: FlagReason::WeekBelowMonth {
            last_week: week.mean(),
            before: before.mean(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checkin::CheckInDraft;
    use crate::zone::FixedZone;
    use chrono::{TimeZone, Utc};

    /// Long after every check-in in these tests, so none is in the future.
    fn now() -> chrono::DateTime<Utc> {
        Utc.with_ymd_and_hms(2030, 1, 1, 12, 0, 0).unwrap()
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn person() -> RecordId {
        RecordId::from_random_bytes([9; 16])
    }

    fn id(n: u16) -> RecordId {
        let mut bytes = [0; 16];
        bytes[..2].copy_from_slice(&n.to_be_bytes());
        RecordId::from_random_bytes(bytes)
    }

    /// A check-in with every optional answer left out.
    fn draft(day: NaiveDate, time: &str, mood: Mood) -> CheckInDraft {
        CheckInDraft {
            person_id: person().to_string(),
            date: crate::dates::form_date(day),
            time: time.into(),
            mood: Some(mood),
            answered: Some(Answered::Themselves),
            ..Default::default()
        }
    }

    fn record(n: u16, draft: CheckInDraft) -> Record<CheckIn> {
        let body = draft.validate(now(), &FixedZone::utc()).unwrap();
        Record::create(id(n), body, "Ann", now())
    }

    /// A check-in at noon on `day`.
    fn at_noon(n: u16, day: NaiveDate, mood: Mood) -> Record<CheckIn> {
        record(n, draft(day, "12:00", mood))
    }

    /// One noon check-in per (day, mood), ids in order.
    fn series(days: &[(NaiveDate, Mood)]) -> Vec<Record<CheckIn>> {
        days.iter()
            .zip(1..)
            .map(|(&(day, mood), n)| at_noon(n, day, mood))
            .collect()
    }

    fn deleted(mut rec: Record<CheckIn>) -> Record<CheckIn> {
        rec.delete(rec.rev(), "Wrong person", "Ann", now()).unwrap();
        rec
    }

    fn all_points(checkins: &[Record<CheckIn>]) -> Vec<MoodPoint> {
        mood_points(checkins, d(2000, 1, 1), d(2099, 12, 31))
    }

    fn point(day: NaiveDate, mood: Mood, answered: Answered) -> MoodPoint {
        let rec = record(
            1,
            CheckInDraft {
                answered: Some(answered),
                ..draft(day, "12:00", mood)
            },
        );
        all_points(&[rec])[0]
    }

    fn summary_of(averages: &[PeriodAverage]) -> Vec<(NaiveDate, NaiveDate, usize, f64)> {
        averages
            .iter()
            .map(|a| (a.start, a.end, a.count, a.mean))
            .collect()
    }

    #[test]
    fn periods_cover_their_days_ending_today() {
        let today = d(2026, 11, 22);
        assert_eq!(Period::FourWeeks.range(today), (d(2026, 10, 26), today));
        assert_eq!(Period::ThreeMonths.range(today), (d(2026, 8, 24), today));
        assert_eq!(Period::TwelveMonths.range(today), (d(2025, 11, 23), today));
        for p in Period::ALL {
            let (from, to) = p.range(today);
            assert_eq!((to - from).num_days() + 1, p.days(), "{p:?}");
        }
        assert_eq!(
            Period::ALL.map(Period::label),
            ["4 weeks", "3 months", "12 months"]
        );
    }

    #[test]
    fn mood_points_are_live_within_the_range_and_oldest_first() {
        let checkins = vec![
            record(1, draft(d(2026, 11, 10), "18:00", Mood::Good)),
            record(2, draft(d(2026, 11, 10), "08:00", Mood::Low)),
            at_noon(3, d(2026, 11, 1), Mood::Great),
            at_noon(4, d(2026, 10, 31), Mood::Okay),
            at_noon(5, d(2026, 11, 23), Mood::Okay),
            deleted(at_noon(6, d(2026, 11, 5), Mood::Awful)),
        ];
        let points = mood_points(&checkins, d(2026, 11, 1), d(2026, 11, 22));
        let got: Vec<(RecordId, NaiveDate, Mood)> =
            points.iter().map(|p| (p.id, p.day, p.mood)).collect();
        assert_eq!(
            got,
            [
                (id(3), d(2026, 11, 1), Mood::Great),
                (id(2), d(2026, 11, 10), Mood::Low),
                (id(1), d(2026, 11, 10), Mood::Good),
            ]
        );
        assert_eq!(points[0].answered, Answered::Themselves);
        assert_eq!(points[1].at.time().to_string(), "08:00:00");
    }

    #[test]
    fn the_local_day_decides_which_day_a_check_in_is_on() {
        // 23:30 on the 1st in UTC+1 is 22:30 UTC: still the 1st where it was
        // written. 00:30 on the 2nd in UTC+1 is 23:30 UTC on the 1st, but counts
        // on the 2nd.
        let plus_one = FixedZone(FixedOffset::east_opt(3600).unwrap());
        let late = draft(d(2026, 11, 1), "23:30", Mood::Good)
            .validate(now(), &plus_one)
            .unwrap();
        let points = mood_points(
            &[Record::create(id(1), late, "Ann", now())],
            d(2026, 11, 1),
            d(2026, 11, 1),
        );
        assert_eq!(points.len(), 1);
        assert_eq!(points[0].day, d(2026, 11, 1));
        let early = draft(d(2026, 11, 2), "00:30", Mood::Good)
            .validate(now(), &plus_one)
            .unwrap();
        let rec = Record::create(id(2), early, "Ann", now());
        assert!(mood_points(std::slice::from_ref(&rec), d(2026, 11, 1), d(2026, 11, 1)).is_empty());
        assert_eq!(all_points(&[rec])[0].day, d(2026, 11, 2));
    }

    #[test]
    fn gaps_split_runs_and_two_check_ins_on_a_day_average() {
        let checkins = vec![
            at_noon(1, d(2026, 11, 1), Mood::Good),
            at_noon(2, d(2026, 11, 2), Mood::Okay),
            record(3, draft(d(2026, 11, 2), "20:00", Mood::Great)),
            // 3 November: no check-in, a gap.
            at_noon(4, d(2026, 11, 4), Mood::Low),
            at_noon(5, d(2026, 11, 10), Mood::Awful),
            at_noon(6, d(2026, 11, 11), Mood::Low),
            record(7, draft(d(2026, 11, 11), "21:00", Mood::Good)),
            record(8, draft(d(2026, 11, 11), "22:00", Mood::Good)),
        ];
        let got: Vec<Vec<(NaiveDate, f64)>> = runs(&all_points(&checkins))
            .into_iter()
            .map(|run| run.into_iter().map(|m| (m.day, m.mean)).collect())
            .collect();
        assert_eq!(
            got,
            vec![
                vec![(d(2026, 11, 1), 4.0), (d(2026, 11, 2), 4.0)],
                vec![(d(2026, 11, 4), 2.0)],
                vec![(d(2026, 11, 10), 1.0), (d(2026, 11, 11), 10.0 / 3.0)],
            ]
        );
        assert!(runs(&[]).is_empty());
    }

    #[test]
    fn runs_continue_across_month_and_year_ends() {
        let checkins = series(&[
            (d(2026, 12, 31), Mood::Good),
            (d(2027, 1, 1), Mood::Okay),
            (d(2027, 2, 28), Mood::Low),
            (d(2027, 3, 1), Mood::Low),
        ]);
        let lengths: Vec<usize> = runs(&all_points(&checkins)).iter().map(Vec::len).collect();
        assert_eq!(lengths, [2, 2]);
    }

    #[test]
    fn the_summary_counts_who_answered_and_the_mean() {
        let points = [
            point(d(2026, 11, 1), Mood::Great, Answered::Themselves),
            point(d(2026, 11, 1), Mood::Low, Answered::Themselves),
            point(d(2026, 11, 2), Mood::Okay, Answered::WithHelp),
            point(d(2026, 11, 3), Mood::Good, Answered::CarerObserved),
        ];
        assert_eq!(
            summarise(&points),
            Summary {
                count: 4,
                mean: Some(3.5),
                themselves: 2,
                with_help: 1,
                observed: 1,
            }
        );
        assert_eq!(
            summarise(&[]),
            Summary {
                count: 0,
                mean: None,
                themselves: 0,
                with_help: 0,
                observed: 0,
            }
        );
    }

    #[test]
    fn weeks_run_monday_to_sunday() {
        // 22 November 2026 is a Sunday, 23 November a Monday.
        let checkins = series(&[
            (d(2026, 11, 16), Mood::Great), // Monday
            (d(2026, 11, 22), Mood::Okay),  // Sunday, same week
            (d(2026, 11, 23), Mood::Low),   // Monday, next week
            // The week of 30 November has no check-in and no row.
            (d(2026, 12, 7), Mood::Good),
            (d(2026, 12, 13), Mood::Great),
            (d(2026, 12, 13), Mood::Great),
        ]);
        assert_eq!(
            summary_of(&weekly_averages(&all_points(&checkins))),
            [
                (d(2026, 11, 16), d(2026, 11, 22), 2, 4.0),
                (d(2026, 11, 23), d(2026, 11, 29), 1, 2.0),
                (d(2026, 12, 7), d(2026, 12, 13), 3, 14.0 / 3.0),
            ]
        );
    }

    #[test]
    fn an_iso_week_can_span_two_years() {
        // 1 January 2027 is a Friday: its week began on Monday 28 December 2026.
        let checkins = series(&[(d(2026, 12, 28), Mood::Good), (d(2027, 1, 3), Mood::Low)]);
        assert_eq!(
            summary_of(&weekly_averages(&all_points(&checkins))),
            [(d(2026, 12, 28), d(2027, 1, 3), 2, 3.0)]
        );
    }

    #[test]
    fn months_are_calendar_months() {
        let checkins = series(&[
            (d(2026, 10, 31), Mood::Awful),
            (d(2026, 11, 1), Mood::Good),
            (d(2026, 11, 30), Mood::Okay),
            (d(2026, 12, 1), Mood::Great),
            (d(2027, 2, 28), Mood::Low),
            (d(2028, 2, 29), Mood::Low),
        ]);
        assert_eq!(
            summary_of(&monthly_averages(&all_points(&checkins))),
            [
                (d(2026, 10, 1), d(2026, 10, 31), 1, 1.0),
                (d(2026, 11, 1), d(2026, 11, 30), 2, 3.5),
                (d(2026, 12, 1), d(2026, 12, 31), 1, 5.0),
                (d(2027, 2, 1), d(2027, 2, 28), 1, 2.0),
                (d(2028, 2, 1), d(2028, 2, 29), 1, 2.0),
            ]
        );
    }

    #[test]
    fn long_ranges_are_drawn_as_weekly_then_monthly_averages_with_their_spread() {
        let today = d(2026, 12, 2);
        let (from, to) = Period::FourWeeks.range(today);
        assert_eq!(Grouping::of(from, to), Grouping::Each);
        let (from, to) = Period::ThreeMonths.range(today);
        assert_eq!(Grouping::of(from, to), Grouping::Weekly);
        let (from, to) = Period::TwelveMonths.range(today);
        assert_eq!(Grouping::of(from, to), Grouping::Monthly);
        let checkins = series(&[
            (d(2026, 11, 2), Mood::Awful),
            (d(2026, 11, 20), Mood::Great),
            (d(2026, 11, 21), Mood::Good),
        ]);
        let month = Grouping::Monthly.averages(&all_points(&checkins));
        assert_eq!((month[0].low, month[0].high, month[0].count), (1, 5, 3));
        assert!(Grouping::Each.averages(&all_points(&checkins)).is_empty());
    }

    #[test]
    fn averages_of_nothing_are_empty() {
        assert!(weekly_averages(&[]).is_empty());
        assert!(monthly_averages(&[]).is_empty());
    }

    #[test]
    fn ons4_points_are_one_question_at_a_time_and_only_where_asked() {
        let with_ons = |n: u16, day: NaiveDate, answers: [&str; 4], answered: Answered| {
            record(
                n,
                CheckInDraft {
                    ons4: answers.map(String::from),
                    answered: Some(answered),
                    ..draft(day, "12:00", Mood::Okay)
                },
            )
        };
        let checkins = vec![
            with_ons(1, d(2026, 11, 3), ["7", "", "5", "2"], Answered::WithHelp),
            with_ons(2, d(2026, 11, 1), ["8", "6", "", ""], Answered::Themselves),
            with_ons(3, d(2026, 11, 2), ["", "", "", ""], Answered::Themselves),
            deleted(with_ons(
                4,
                d(2026, 11, 2),
                ["0", "0", "0", "0"],
                Answered::Themselves,
            )),
            with_ons(
                5,
                d(2026, 12, 1),
                ["9", "9", "9", "9"],
                Answered::Themselves,
            ),
        ];
        let (from, to) = (d(2026, 11, 1), d(2026, 11, 30));
        let values = |q| -> Vec<(NaiveDate, u8, Answered)> {
            ons4_points(&checkins, q, from, to)
                .into_iter()
                .map(|p| (p.day, p.value, p.answered))
                .collect()
        };
        assert_eq!(
            values(Ons4Question::Satisfied),
            [
                (d(2026, 11, 1), 8, Answered::Themselves),
                (d(2026, 11, 3), 7, Answered::WithHelp),
            ]
        );
        assert_eq!(
            values(Ons4Question::Worthwhile),
            [(d(2026, 11, 1), 6, Answered::Themselves)]
        );
        assert_eq!(
            values(Ons4Question::Happy),
            [(d(2026, 11, 3), 5, Answered::WithHelp)]
        );
        assert_eq!(
            values(Ons4Question::Anxious),
            [(d(2026, 11, 3), 2, Answered::WithHelp)]
        );
    }

    #[test]
    fn deleted_check_ins_count_nowhere() {
        let today = d(2026, 11, 22);
        let mut checkins = series(&[(d(2026, 11, 20), Mood::Good), (d(2026, 11, 21), Mood::Good)]);
        checkins.extend((0..3).map(|i| deleted(at_noon(10 + i, today, Mood::Awful))));
        let points = all_points(&checkins);
        assert_eq!(points.len(), 2);
        assert_eq!(summarise(&points).mean, Some(4.0));
        assert_eq!(runs(&points).len(), 1);
        assert_eq!(weekly_averages(&points)[0].count, 2);
        assert_eq!(wellbeing_flag(&checkins, today), None);
    }

    // The gentle flag.

    fn today() -> NaiveDate {
        d(2026, 11, 22)
    }

    fn days_ago(n: i64) -> NaiveDate {
        today() - Duration::days(n)
    }

    fn flag_for(days: &[(i64, Mood)]) -> Option<FlagReason> {
        let checkins: Vec<(NaiveDate, Mood)> = days
            .iter()
            .map(|&(ago, mood)| (days_ago(ago), mood))
            .collect();
        wellbeing_flag(&series(&checkins), today()).map(|f| f.reason)
    }

    #[test]
    fn one_or_two_low_check_ins_never_flag() {
        assert_eq!(flag_for(&[]), None);
        assert_eq!(flag_for(&[(0, Mood::Awful)]), None);
        assert_eq!(flag_for(&[(1, Mood::Awful), (0, Mood::Low)]), None);
    }

    #[test]
    fn exactly_three_low_in_a_row_flag() {
        assert_eq!(
            flag_for(&[
                (5, Mood::Great),
                (2, Mood::Low),
                (1, Mood::Awful),
                (0, Mood::Low),
            ]),
            Some(FlagReason::LowInARow { count: 3 })
        );
    }

    #[test]
    fn a_run_of_low_check_ins_long_ago_does_not_flag_now() {
        let old = [(40, Mood::Low), (39, Mood::Awful), (38, Mood::Low)];
        assert_eq!(flag_for(&old), None);
        let just_recent = [(29, Mood::Low), (28, Mood::Awful), (27, Mood::Low)];
        assert_eq!(
            flag_for(&just_recent),
            Some(FlagReason::LowInARow { count: 3 })
        );
    }

    #[test]
    fn the_count_is_the_whole_current_run_whatever_the_days() {
        // Several on one day, and some long ago: the three most recent count,
        // by time, not by day.
        let checkins = vec![
            at_noon(1, days_ago(200), Mood::Good),
            at_noon(2, days_ago(100), Mood::Low),
            at_noon(3, days_ago(60), Mood::Awful),
            record(4, draft(today(), "07:00", Mood::Low)),
            record(5, draft(today(), "08:00", Mood::Low)),
        ];
        assert_eq!(
            wellbeing_flag(&checkins, today()).map(|f| f.reason),
            Some(FlagReason::LowInARow { count: 4 })
        );
    }

    #[test]
    fn no_flag_when_the_newest_is_okay() {
        assert_eq!(
            flag_for(&[
                (4, Mood::Awful),
                (3, Mood::Low),
                (2, Mood::Awful),
                (1, Mood::Low),
                (0, Mood::Okay),
            ]),
            None
        );
        // The newest by time on the same day decides, not the order stored.
        let checkins = vec![
            record(1, draft(today(), "20:00", Mood::Okay)),
            record(2, draft(today(), "09:00", Mood::Low)),
            at_noon(3, days_ago(1), Mood::Low),
            at_noon(4, days_ago(2), Mood::Low),
        ];
        assert_eq!(wellbeing_flag(&checkins, today()), None);
    }

    #[test]
    fn check_ins_after_today_do_not_count() {
        let checkins = series(&[
            (days_ago(2), Mood::Low),
            (days_ago(1), Mood::Low),
            (today(), Mood::Low),
            (today() + Duration::days(1), Mood::Good),
        ]);
        assert_eq!(
            wellbeing_flag(&checkins, today()).map(|f| f.reason),
            Some(FlagReason::LowInARow { count: 3 })
        );
        assert_eq!(
            wellbeing_flag(&checkins, days_ago(1)),
            None,
            "only two by yesterday"
        );
    }

    /// Three check-ins in the 28 days before the past week, then three in it.
    fn week_against_month(before: [Mood; 3], week: [Mood; 3]) -> Option<FlagReason> {
        flag_for(&[
            (30, before[0]),
            (20, before[1]),
            (10, before[2]),
            (5, week[0]),
            (3, week[1]),
            (0, week[2]),
        ])
    }

    #[test]
    fn a_week_a_whole_face_below_the_month_before_flags() {
        use Mood::*;
        // Before: 4, 4, 4 (mean 4). Week: 3, 3, 3 (mean 3): exactly 1.0 lower.
        assert_eq!(
            week_against_month([Good, Good, Good], [Okay, Okay, Okay]),
            Some(FlagReason::WeekBelowMonth {
                last_week: 3.0,
                before: 4.0,
            })
        );
        // Before: 5, 4, 4 (mean 13/3). Week: 3, 3, 4 (mean 10/3): exactly 1.0
        // lower, though 13.0 / 3.0 - 10.0 / 3.0 is just under 1.0 in floating
        // point.
        let (thirteen, ten) = std::hint::black_box((13.0_f64, 10.0_f64));
        assert!(thirteen / 3.0 - ten / 3.0 < 1.0);
        assert_eq!(
            week_against_month([Great, Good, Good], [Okay, Okay, Good]),
            Some(FlagReason::WeekBelowMonth {
                last_week: 10.0 / 3.0,
                before: 13.0 / 3.0,
            })
        );
        // Before: 4, 2, 2 (mean 8/3). Week: 1, 1, 3, newest okay (mean 5/3).
        assert!(week_against_month([Good, Low, Low], [Awful, Awful, Okay]).is_some());
    }

    #[test]
    fn a_week_just_under_a_face_lower_does_not_flag() {
        use Mood::*;
        // Before: 4, 4, 4 (mean 4). Week: 3, 3, 4 (mean 3.33): 0.67 lower.
        assert_eq!(
            week_against_month([Good, Good, Good], [Okay, Okay, Good]),
            None
        );
        // Before mean 11/3, week mean 3: 0.67 lower.
        assert_eq!(
            week_against_month([Great, Good, Low], [Okay, Okay, Okay]),
            None
        );
        // Week 3, 3, 3 against 4, 4, 4, 5 (mean 4.25): flags; against
        // 4, 4, 3, 4 (mean 3.75): does not.
        let with_four_before = |fourth: Mood| {
            flag_for(&[
                (34, fourth),
                (30, Good),
                (20, Good),
                (7, Good),
                (6, Okay),
                (3, Okay),
                (0, Okay),
            ])
        };
        assert!(with_four_before(Great).is_some());
        assert_eq!(with_four_before(Okay), None);
    }

    #[test]
    fn the_comparison_needs_three_check_ins_on_each_side() {
        use Mood::*;
        // Only two in the past week.
        assert_eq!(
            flag_for(&[(30, Great), (20, Great), (10, Great), (3, Okay), (0, Okay)]),
            None
        );
        // Only two in the 28 days before; one more is 35 days ago, just outside.
        assert_eq!(
            flag_for(&[
                (35, Great),
                (20, Great),
                (10, Great),
                (5, Okay),
                (3, Okay),
                (0, Okay),
            ]),
            None
        );
        // The same, with that one 34 days ago, just inside.
        assert!(flag_for(&[
            (34, Great),
            (20, Great),
            (10, Great),
            (5, Okay),
            (3, Okay),
            (0, Okay),
        ])
        .is_some());
        // A check-in 7 days ago belongs to the 28 days before, not the week.
        assert_eq!(
            flag_for(&[
                (30, Great),
                (20, Great),
                (10, Great),
                (7, Okay),
                (3, Okay),
                (0, Okay),
            ]),
            None
        );
    }

    #[test]
    fn low_in_a_row_wins_over_the_weekly_comparison() {
        use Mood::*;
        assert_eq!(
            week_against_month([Great, Great, Great], [Low, Low, Awful]),
            Some(FlagReason::LowInARow { count: 3 })
        );
    }

    #[test]
    fn the_messages_are_plain_and_warm() {
        let low = Flag {
            reason: FlagReason::LowInARow { count: 3 },
        };
        assert_eq!(
            low.message("Meg"),
            "Meg's last 3 check-ins were low or awful. It may help to talk with Meg about how things are going and, if you're worried, with your Shared Lives scheme."
        );
        let week = Flag {
            reason: FlagReason::WeekBelowMonth {
                last_week: 2.5,
                before: 4.0,
            },
        };
        assert_eq!(
            week.message("Meg"),
            "Meg's check-ins this past week are lower than in the 4 weeks before. It may help to talk with Meg about how things are going and, if you're worried, with your Shared Lives scheme."
        );
    }
}
