//! Dates and times as a carer reads and types them: form values in, friendly
//! labels out ("Today", "Yesterday", "Fri 5 Dec").

use chrono::{Datelike, NaiveDate, NaiveTime, Timelike};

/// Reads a date as an `<input type="date">` gives it (`2026-12-05`).
pub fn parse_form_date(value: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d").ok()
}

/// Reads a time as an `<input type="time">` gives it (`14:05`, or `14:05:30`).
pub fn parse_form_time(value: &str) -> Option<NaiveTime> {
    let value = value.trim();
    NaiveTime::parse_from_str(value, "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(value, "%H:%M:%S"))
        .ok()
}

/// The value an `<input type="date">` takes.
pub fn form_date(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

/// The value an `<input type="time">` takes (minutes, no seconds).
pub fn form_time(time: NaiveTime) -> String {
    format!("{:02}:{:02}", time.hour(), time.minute())
}

/// "Today", "Yesterday", "Tomorrow", else a short date such as "Fri 5 Dec",
/// with the year when it is not this year ("Fri 5 Dec 2025").
pub fn day_label(day: NaiveDate, today: NaiveDate) -> String {
    match (day - today).num_days() {
        0 => "Today".to_string(),
        -1 => "Yesterday".to_string(),
        1 => "Tomorrow".to_string(),
        _ if day.year() == today.year() => day.format("%a %-d %b").to_string(),
        _ => day.format("%a %-d %b %Y").to_string(),
    }
}

/// A date written out in full for easy-read views: "Friday 5 December 2026".
pub fn long_date(day: NaiveDate) -> String {
    day.format("%A %-d %B %Y").to_string()
}

/// A clock time, 24-hour ("14:05") or 12-hour ("2:05pm") as the phone prefers.
pub fn time_label(time: NaiveTime, twelve_hour: bool) -> String {
    if twelve_hour {
        let (pm, hour) = time.hour12();
        format!(
            "{hour}:{:02}{}",
            time.minute(),
            if pm { "pm" } else { "am" }
        )
    } else {
        form_time(time)
    }
}

/// How far ahead of the phone's clock a record's time may be: a minute's typing
/// and a slightly wrong clock are not "the future".
pub const FUTURE_SLACK_MINUTES: i64 = 5;

/// Reads a form's date and time as a moment that has already happened.
/// Shared by every record kind that records something that happened.
pub(crate) fn past_moment(
    e: &mut crate::validate::ValidationErrors,
    date: &str,
    time: &str,
    now: chrono::DateTime<chrono::Utc>,
    zone: &impl crate::zone::LocalZone,
) -> Option<chrono::DateTime<chrono::FixedOffset>> {
    past_moment_named(e, ("date", "time"), date, time, now, zone)
}

/// [`past_moment`] for forms with several moments: errors go to `fields`
/// (the date field's key, the time field's key).
pub(crate) fn past_moment_named(
    e: &mut crate::validate::ValidationErrors,
    fields: (&str, &str),
    date: &str,
    time: &str,
    now: chrono::DateTime<chrono::Utc>,
    zone: &impl crate::zone::LocalZone,
) -> Option<chrono::DateTime<chrono::FixedOffset>> {
    let day = parse_form_date(date);
    if day.is_none() {
        e.add(fields.0, "Enter the date, with day, month and year.");
    }
    let clock = parse_form_time(time);
    if clock.is_none() {
        e.add(fields.1, "Enter the time, in hours and minutes.");
    }
    let at = day.zip(clock).map(|(d, t)| zone.resolve(d.and_time(t)))?;
    if at.with_timezone(&chrono::Utc) > now + chrono::Duration::minutes(FUTURE_SLACK_MINUTES) {
        e.add(
            fields.1,
            "This time is in the future. Record what has already happened.",
        );
        None
    } else if at.date_naive() < NaiveDate::from_ymd_opt(2000, 1, 1).expect("valid date") {
        e.add(
            fields.0,
            "Check the year: records can't be dated before 2000.",
        );
        None
    } else {
        Some(at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn form_values_parse_and_junk_does_not() {
        assert_eq!(parse_form_date("2026-12-05"), Some(d(2026, 12, 5)));
        assert_eq!(parse_form_date("2026-02-30"), None);
        assert_eq!(parse_form_date(""), None);
        assert_eq!(parse_form_date("5/12/2026"), None);
        let t = NaiveTime::from_hms_opt(14, 5, 0).unwrap();
        assert_eq!(parse_form_time("14:05"), Some(t));
        assert_eq!(parse_form_time("14:05:00"), Some(t));
        assert_eq!(parse_form_time("25:00"), None);
        assert_eq!(form_date(d(2026, 1, 2)), "2026-01-02");
        assert_eq!(form_time(t), "14:05");
    }

    #[test]
    fn days_read_as_today_yesterday_then_short_dates() {
        let today = d(2026, 12, 5);
        assert_eq!(day_label(today, today), "Today");
        assert_eq!(day_label(d(2026, 12, 4), today), "Yesterday");
        assert_eq!(day_label(d(2026, 12, 6), today), "Tomorrow");
        assert_eq!(day_label(d(2026, 12, 1), today), "Tue 1 Dec");
        assert_eq!(day_label(d(2025, 12, 5), today), "Fri 5 Dec 2025");
        assert_eq!(long_date(today), "Saturday 5 December 2026");
    }

    #[test]
    fn times_follow_the_phone_clock_style() {
        let t = NaiveTime::from_hms_opt(14, 5, 0).unwrap();
        assert_eq!(time_label(t, false), "14:05");
        assert_eq!(time_label(t, true), "2:05pm");
        let midnight = NaiveTime::from_hms_opt(0, 30, 0).unwrap();
        assert_eq!(time_label(midnight, true), "12:30am");
    }
}
