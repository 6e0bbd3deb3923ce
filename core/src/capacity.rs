//! How many short-break guests the household can sleep at once.
//!
//! The carer says in More how many beds they have for short breaks. When a stay
//! is confirmed, Hearth checks every night of it against the other stays the
//! household is hosting, planned or confirmed, and names the first night with
//! more guests than beds, so the carer can change the dates before anyone is
//! told "yes".

use crate::id::RecordId;
use crate::record::Record;
use crate::stay::PlannedStay;
use chrono::{Datelike, NaiveDate};

/// The first night a stay would leave the household with more guests than beds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clash {
    /// The date of the night's evening.
    pub night: NaiveDate,
    /// The record ids of the other stays that night, in the order they were
    /// given. Empty only when the household has no beds at all.
    pub stays: Vec<RecordId>,
}

/// True when `host` names `household`: the same words, ignoring case and
/// white space at either end ("Ann and Dev " is "ann and dev").
fn same_household(host: &str, household: &str) -> bool {
    host.trim().to_lowercase() == household.trim().to_lowercase()
}

/// Checks a stay being confirmed against the household's beds.
///
/// For each night of `stay` (its [`PlannedStay::night_dates`]), counts the
/// stays hosted by `household` that night: `stay` itself plus every stay in
/// `others` that is live (not deleted), not cancelled, hosted by the same
/// household (compared trimmed and ignoring case) and not `stay_id` (the
/// record being amended, whose stored version `stay` replaces). Planned and
/// confirmed others count alike: a pencilled-in guest still needs a bed.
///
/// Returns the first night where the count is more than `beds`, with the ids
/// of the other stays that night. A stay hosted by another household, or a
/// cancelled one, takes none of this household's beds and never clashes. A
/// stay leaving on the day another arrives shares no night with it.
pub fn capacity_clash(
    stay: &PlannedStay,
    stay_id: Option<RecordId>,
    others: &[Record<PlannedStay>],
    household: &str,
    beds: u32,
) -> Option<Clash> {
    if !stay.is_on() || !same_household(stay.host(), household) {
        return None;
    }
    let competing: Vec<&Record<PlannedStay>> = others
        .iter()
        .filter(|o| {
            o.is_live()
                && Some(o.id()) != stay_id
                && o.body().is_on()
                && same_household(o.body().host(), household)
                && o.body().arrival() < stay.departure()
                && stay.arrival() < o.body().departure()
        })
        .collect();
    let beds = usize::try_from(beds).unwrap_or(usize::MAX);
    stay.night_dates().find_map(|night| {
        let that_night: Vec<RecordId> = competing
            .iter()
            .filter(|o| o.body().arrival() <= night && night < o.body().departure())
            .map(|o| o.id())
            .collect();
        (that_night.len() + 1 > beds).then_some(Clash {
            night,
            stays: that_night,
        })
    })
}

/// A date with its weekday, day and month: "Friday 5 December".
fn weekday_date(day: NaiveDate) -> String {
    crate::dates::weekday_day_month(day)
}

/// A stay's dates in few words: "4 to 7 December", "30 November to 2
/// December", "30 December 2026 to 2 January 2027".
fn date_range(from: NaiveDate, to: NaiveDate) -> String {
    if from.year() != to.year() {
        format!(
            "{} {} to {} {}",
            crate::dates::day_full_month(from),
            crate::dates::year(from),
            crate::dates::day_full_month(to),
            crate::dates::year(to)
        )
    } else if from.month() != to.month() {
        format!(
            "{} to {}",
            crate::dates::day_full_month(from),
            crate::dates::day_full_month(to)
        )
    } else {
        format!("{} to {}", from.day(), crate::dates::day_full_month(to))
    }
}

/// "a", "a and b", "a, b and c".
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// The clash in plain words, naming who else is staying and when, and what the
/// carer can do:
///
/// "On Saturday 5 December you'd have more guests than beds: Sam is staying 4 to
/// 7 December. Change the dates, or raise the number of beds in More."
///
/// `names` gives a person's preferred name from their person id; `others` is
/// the list the clash was found in (a clashing id missing from it is left out).
pub fn clash_message(
    clash: &Clash,
    names: impl Fn(RecordId) -> String,
    others: &[Record<PlannedStay>],
) -> String {
    let who: Vec<String> = clash
        .stays
        .iter()
        .filter_map(|id| others.iter().find(|o| o.id() == *id))
        .map(|o| {
            let s = o.body();
            format!(
                "{} is staying {}",
                names(s.person_id()),
                date_range(s.arrival(), s.departure())
            )
        })
        .collect();
    let night = weekday_date(clash.night);
    if who.is_empty() {
        format!(
            "On {night} you'd have more guests than beds. Change the dates, or raise the number of beds in More."
        )
    } else {
        format!(
            "On {night} you'd have more guests than beds: {}. Change the dates, or raise the number of beds in More.",
            and_list(&who)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stay::{PlannedStayDraft, StayStatus};
    use chrono::{DateTime, TimeZone, Utc};

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 22, 18, 0, 0).unwrap()
    }

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    fn person(n: u8) -> RecordId {
        RecordId::from_random_bytes([n; 16])
    }

    fn id(n: u8) -> RecordId {
        RecordId::from_random_bytes([100 + n; 16])
    }

    fn name(p: RecordId) -> String {
        match p {
            p if p == person(1) => "Meg".into(),
            p if p == person(2) => "Sam".into(),
            p if p == person(3) => "Jo".into(),
            _ => "someone".into(),
        }
    }

    fn stay(
        who: u8,
        arrival: &str,
        departure: &str,
        host: &str,
        status: StayStatus,
    ) -> PlannedStay {
        PlannedStayDraft {
            arrival: arrival.into(),
            departure: departure.into(),
            status: Some(status),
            ..PlannedStayDraft::new_for(Some(person(who)), host)
        }
        .validate()
        .unwrap()
    }

    fn rec(n: u8, body: PlannedStay) -> Record<PlannedStay> {
        Record::create(id(n), body, "Ann", now())
    }

    const HOME: &str = "Ann and Dev";

    #[test]
    fn one_bed_and_an_overlapping_stay_clash_on_the_first_shared_night() {
        let meg = stay(1, "2026-12-05", "2026-12-08", HOME, StayStatus::Planned);
        let others = [rec(
            1,
            stay(2, "2026-12-04", "2026-12-07", HOME, StayStatus::Confirmed),
        )];
        let clash = capacity_clash(&meg, None, &others, HOME, 1).unwrap();
        assert_eq!(
            clash,
            Clash {
                night: d(12, 5),
                stays: vec![id(1)]
            }
        );
        assert_eq!(
            clash_message(&clash, name, &others),
            "On Saturday 5 December you'd have more guests than beds: Sam is staying 4 to 7 December. Change the dates, or raise the number of beds in More."
        );
        assert_eq!(capacity_clash(&meg, None, &others, HOME, 2), None);
    }

    #[test]
    fn the_clash_is_the_first_night_over_and_names_everyone_that_night() {
        let meg = stay(1, "2026-11-28", "2026-12-04", HOME, StayStatus::Planned);
        let others = [
            rec(
                1,
                stay(2, "2026-11-30", "2026-12-03", HOME, StayStatus::Confirmed),
            ),
            rec(
                2,
                stay(3, "2026-12-01", "2026-12-02", HOME, StayStatus::Planned),
            ),
            rec(
                3,
                stay(3, "2026-11-27", "2026-11-29", HOME, StayStatus::Planned),
            ),
        ];
        // Two beds: the 28th has Meg and Jo (2), the 30th Meg and Sam (2), the
        // 1st of December Meg, Sam and Jo (3).
        let clash = capacity_clash(&meg, None, &others, HOME, 2).unwrap();
        assert_eq!(clash.night, d(12, 1));
        assert_eq!(clash.stays, [id(1), id(2)]);
        assert_eq!(
            clash_message(&clash, name, &others),
            "On Tuesday 1 December you'd have more guests than beds: Sam is staying 30 November to 3 December and Jo is staying 1 to 2 December. Change the dates, or raise the number of beds in More."
        );
        // One bed: the first night already has Jo.
        let clash = capacity_clash(&meg, None, &others, HOME, 1).unwrap();
        assert_eq!((clash.night, clash.stays), (d(11, 28), vec![id(3)]));
        assert_eq!(capacity_clash(&meg, None, &others, HOME, 3), None);
    }

    #[test]
    fn leaving_the_day_another_arrives_is_no_clash() {
        let meg = stay(1, "2026-12-07", "2026-12-09", HOME, StayStatus::Planned);
        let others = [
            rec(
                1,
                stay(2, "2026-12-04", "2026-12-07", HOME, StayStatus::Confirmed),
            ),
            rec(
                2,
                stay(3, "2026-12-09", "2026-12-12", HOME, StayStatus::Confirmed),
            ),
        ];
        assert_eq!(capacity_clash(&meg, None, &others, HOME, 1), None);
    }

    #[test]
    fn cancelled_deleted_and_other_households_stays_take_no_bed() {
        let meg = stay(1, "2026-12-05", "2026-12-07", HOME, StayStatus::Planned);
        let mut deleted = rec(
            2,
            stay(3, "2026-12-05", "2026-12-06", HOME, StayStatus::Confirmed),
        );
        deleted.delete(1, "Entered twice", "Ann", now()).unwrap();
        let others = [
            rec(
                1,
                stay(2, "2026-12-04", "2026-12-07", HOME, StayStatus::Cancelled),
            ),
            deleted,
            rec(
                3,
                stay(3, "2026-12-05", "2026-12-07", "Pat", StayStatus::Confirmed),
            ),
        ];
        assert_eq!(capacity_clash(&meg, None, &others, HOME, 1), None);
        // Hosted elsewhere: this household's beds don't come into it.
        let elsewhere = stay(1, "2026-12-05", "2026-12-07", "Pat", StayStatus::Planned);
        assert_eq!(capacity_clash(&elsewhere, None, &others, HOME, 0), None);
        // A cancelled stay needs no bed either.
        let off = meg.with_status(StayStatus::Cancelled);
        assert_eq!(capacity_clash(&off, None, &others, HOME, 0), None);
    }

    #[test]
    fn the_household_name_matches_trimmed_and_ignoring_case() {
        let meg = stay(
            1,
            "2026-12-05",
            "2026-12-07",
            "  ann AND dev",
            StayStatus::Planned,
        );
        let others = [rec(
            1,
            stay(
                2,
                "2026-12-06",
                "2026-12-07",
                "ANN and Dev ",
                StayStatus::Planned,
            ),
        )];
        let clash = capacity_clash(&meg, None, &others, " Ann and Dev ", 1).unwrap();
        assert_eq!((clash.night, clash.stays), (d(12, 6), vec![id(1)]));
    }

    #[test]
    fn the_stay_being_amended_is_not_counted_twice() {
        let stored = rec(
            1,
            stay(1, "2026-12-05", "2026-12-07", HOME, StayStatus::Planned),
        );
        let confirmed = stored.body().with_status(StayStatus::Confirmed);
        let others = [stored.clone()];
        assert_eq!(
            capacity_clash(&confirmed, Some(stored.id()), &others, HOME, 1),
            None
        );
        let clash = capacity_clash(&confirmed, None, &others, HOME, 1).unwrap();
        assert_eq!(clash.stays, [stored.id()]);
    }

    #[test]
    fn no_beds_at_all_clashes_on_the_first_night_with_no_one_to_name() {
        let meg = stay(1, "2026-12-05", "2026-12-07", HOME, StayStatus::Planned);
        let clash = capacity_clash(&meg, None, &[], HOME, 0).unwrap();
        assert_eq!(
            clash,
            Clash {
                night: d(12, 5),
                stays: vec![]
            }
        );
        assert_eq!(
            clash_message(&clash, name, &[]),
            "On Saturday 5 December you'd have more guests than beds. Change the dates, or raise the number of beds in More."
        );
    }

    #[test]
    fn stay_dates_across_months_and_years_are_written_out() {
        assert_eq!(date_range(d(12, 4), d(12, 7)), "4 to 7 December");
        assert_eq!(date_range(d(11, 30), d(12, 2)), "30 November to 2 December");
        assert_eq!(
            date_range(d(12, 30), NaiveDate::from_ymd_opt(2027, 1, 2).unwrap()),
            "30 December 2026 to 2 January 2027"
        );
        let items = ["a", "b", "c"].map(String::from);
        assert_eq!(and_list(&items[..1]), "a");
        assert_eq!(and_list(&items[..2]), "a and b");
        assert_eq!(and_list(&items), "a, b and c");
    }
}
