//! The days an export covers: "from" and "to" as a carer picks them, both
//! ends included, either end left open.

use crate::dates;
use crate::validate::ValidationErrors;
use chrono::NaiveDate;

/// Which local days an export covers. `from` and `to` are included; `None`
/// leaves that end open, so [`DateRange::ALL`] is everything.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DateRange {
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
}

impl DateRange {
    /// Every day: nothing left out.
    pub const ALL: DateRange = DateRange {
        from: None,
        to: None,
    };

    /// Reads the two date fields of an export form (`export_from`,
    /// `export_to`). Empty means open at that end.
    pub fn parse(from: &str, to: &str) -> Result<DateRange, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let mut read = |field: &str, value: &str, which: &str| {
            if value.trim().is_empty() {
                return None;
            }
            let day = dates::parse_form_date(value);
            if day.is_none() {
                errors.add(
                    field,
                    format!(
                        "Pick a {which} date, or leave it empty for {}.",
                        open_words(which)
                    ),
                );
            }
            day
        };
        let from = read("export_from", from, "start");
        let to = read("export_to", to, "end");
        if let (Some(f), Some(t)) = (from, to) {
            if f > t {
                errors.add(
                    "export_to",
                    "The end date is before the start date. Swap them or pick another end date.",
                );
            }
        }
        errors.into_result(|| DateRange { from, to })
    }

    /// A range with both ends given; `None` when `from` is after `to`.
    pub fn between(from: NaiveDate, to: NaiveDate) -> Option<DateRange> {
        (from <= to).then_some(DateRange {
            from: Some(from),
            to: Some(to),
        })
    }

    /// The first day included, if the range has one.
    pub fn from(&self) -> Option<NaiveDate> {
        self.from
    }

    /// The last day included, if the range has one.
    pub fn to(&self) -> Option<NaiveDate> {
        self.to
    }

    /// True when `day` is inside the range.
    pub fn contains(&self, day: NaiveDate) -> bool {
        self.from.is_none_or(|f| day >= f) && self.to.is_none_or(|t| day <= t)
    }

    /// True when the days `first..=last` (a stay, a visit) touch the range.
    pub fn touches(&self, first: NaiveDate, last: NaiveDate) -> bool {
        self.from.is_none_or(|f| last >= f) && self.to.is_none_or(|t| first <= t)
    }

    /// What goes into a file name: `""`, `"-2026-09-01-to-2026-11-30"`,
    /// `"-from-2026-09-01"` or `"-to-2026-11-30"`.
    pub fn file_part(&self) -> String {
        match (self.from, self.to) {
            (None, None) => String::new(),
            (Some(f), Some(t)) => format!("-{}-to-{}", dates::form_date(f), dates::form_date(t)),
            (Some(f), None) => format!("-from-{}", dates::form_date(f)),
            (None, Some(t)) => format!("-to-{}", dates::form_date(t)),
        }
    }

    /// The range in words, for the screen: "everything", "from Monday 1
    /// September 2026", "1 September 2026 to 30 November 2026".
    pub fn words(&self) -> String {
        match (self.from, self.to) {
            (None, None) => "everything".to_string(),
            (Some(f), Some(t)) if f == t => format!("only {}", dates::long_date(f)),
            (Some(f), Some(t)) => {
                format!("{} to {}", dates::long_date(f), dates::long_date(t))
            }
            (Some(f), None) => format!("from {} on", dates::long_date(f)),
            (None, Some(t)) => format!("up to {}", dates::long_date(t)),
        }
    }
}

fn open_words(which: &str) -> &'static str {
    if which == "start" {
        "the first record"
    } else {
        "the latest record"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn empty_fields_mean_everything() {
        let range = DateRange::parse("", " ").unwrap();
        assert_eq!(range, DateRange::ALL);
        assert!(range.contains(day(1990, 1, 1)));
        assert_eq!(range.file_part(), "");
        assert_eq!(range.words(), "everything");
    }

    #[test]
    fn both_ends_are_included() {
        let range = DateRange::parse("2026-09-01", "2026-11-30").unwrap();
        assert!(!range.contains(day(2026, 8, 31)));
        assert!(range.contains(day(2026, 9, 1)));
        assert!(range.contains(day(2026, 11, 30)));
        assert!(!range.contains(day(2026, 12, 1)));
        assert_eq!(range.file_part(), "-2026-09-01-to-2026-11-30");
    }

    #[test]
    fn a_stay_touching_either_end_is_in() {
        let range = DateRange::between(day(2026, 11, 1), day(2026, 11, 30)).unwrap();
        assert!(range.touches(day(2026, 10, 30), day(2026, 11, 1)));
        assert!(range.touches(day(2026, 11, 30), day(2026, 12, 2)));
        assert!(range.touches(day(2026, 10, 1), day(2026, 12, 31)));
        assert!(!range.touches(day(2026, 10, 1), day(2026, 10, 31)));
        assert!(!range.touches(day(2026, 12, 1), day(2026, 12, 3)));
    }

    #[test]
    fn open_ends() {
        let from = DateRange::parse("2026-09-01", "").unwrap();
        assert!(from.contains(day(2030, 1, 1)));
        assert!(!from.contains(day(2026, 8, 31)));
        assert_eq!(from.file_part(), "-from-2026-09-01");
        let to = DateRange::parse("", "2026-09-01").unwrap();
        assert!(to.contains(day(2000, 1, 1)));
        assert!(!to.contains(day(2026, 9, 2)));
        assert_eq!(to.file_part(), "-to-2026-09-01");
    }

    #[test]
    fn end_before_start_is_refused_on_the_end_field() {
        let errors = DateRange::parse("2026-11-30", "2026-09-01").unwrap_err();
        assert_eq!(
            errors.message_for("export_to"),
            Some("The end date is before the start date. Swap them or pick another end date.")
        );
        assert!(DateRange::between(day(2026, 11, 30), day(2026, 9, 1)).is_none());
    }

    #[test]
    fn a_date_that_is_not_a_date_is_named() {
        let errors = DateRange::parse("31/02/2026", "").unwrap_err();
        assert!(errors
            .message_for("export_from")
            .unwrap()
            .starts_with("Pick a start date"));
    }

    #[test]
    fn words_read_naturally() {
        let range = DateRange::between(day(2026, 9, 1), day(2026, 9, 1)).unwrap();
        assert_eq!(range.words(), "only Tuesday 1 September 2026");
    }
}
