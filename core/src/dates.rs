//! Dates and times as a carer reads and types them: form values in, friendly
//! labels out ("Today", "Yesterday", "Fri 5 Dec").

use chrono::{Datelike, NaiveDate, NaiveTime, Timelike};

/// Reads a date as an `<input type="date">` gives it (`2026-12-05`). Read by
/// hand, as chrono's `%Y-%m-%d` reads it, so that the app carries no strftime
/// parser (a few KB of wasm).
pub fn parse_form_date(value: &str) -> Option<NaiveDate> {
    let s = value.trim();
    let (year, s) = if let Some(rest) = s.strip_prefix('-') {
        let (n, rest) = digits(rest, usize::MAX)?;
        (-n, rest)
    } else if let Some(rest) = s.strip_prefix('+') {
        digits(rest, usize::MAX)?
    } else {
        digits(s, 4)?
    };
    let (month, s) = digits(s.strip_prefix('-')?.trim_start(), 2)?;
    let (day, s) = digits(s.strip_prefix('-')?.trim_start(), 2)?;
    if !s.is_empty() {
        return None;
    }
    NaiveDate::from_ymd_opt(
        i32::try_from(year).ok()?,
        u32::try_from(month).ok()?,
        u32::try_from(day).ok()?,
    )
}

/// Reads a time as an `<input type="time">` gives it (`14:05`, or `14:05:30`;
/// a leap second `:60` as chrono reads it).
pub fn parse_form_time(value: &str) -> Option<NaiveTime> {
    let (hour, s) = digits(value.trim(), 2)?;
    let (minute, s) = digits(s.strip_prefix(':')?.trim_start(), 2)?;
    let (second, s) = match s.strip_prefix(':') {
        Some(rest) => digits(rest.trim_start(), 2)?,
        None => (0, s),
    };
    if !s.is_empty() {
        return None;
    }
    let (second, nano) = if second == 60 {
        (59, 1_000_000_000)
    } else {
        (second, 0)
    };
    NaiveTime::from_hms_nano_opt(
        u32::try_from(hour).ok()?,
        u32::try_from(minute).ok()?,
        u32::try_from(second).ok()?,
        nano,
    )
}

/// One to `max` ASCII digits at the start of `s`, and what follows them.
fn digits(s: &str, max: usize) -> Option<(i64, &str)> {
    let len = s.bytes().take(max).take_while(u8::is_ascii_digit).count();
    if len == 0 {
        return None;
    }
    let n = s.as_bytes()[..len].iter().try_fold(0i64, |n, b| {
        n.checked_mul(10)?.checked_add(i64::from(b - b'0'))
    })?;
    Some((n, &s[len..]))
}

/// The value an `<input type="date">` takes.
pub fn form_date(day: NaiveDate) -> String {
    format!("{}-{:02}-{:02}", year(day), day.month(), day.day())
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// The year as chrono's `%Y` writes it: four digits, with a sign outside
/// 0 to 9999.
pub fn year(day: NaiveDate) -> String {
    let y = day.year();
    if (0..10_000).contains(&y) {
        format!("{y:04}")
    } else {
        format!("{y:+05}")
    }
}

/// The month's name: "December".
pub fn month_name(day: NaiveDate) -> &'static str {
    MONTHS[day.month0() as usize]
}

/// The weekday's name: "Friday".
pub fn weekday_name(day: NaiveDate) -> &'static str {
    WEEKDAYS[day.weekday().num_days_from_monday() as usize]
}

/// The first three letters of a day or month name: "Fri", "Dec".
fn short(name: &str) -> &str {
    &name[..3]
}

/// A month and year: "December 2026".
pub fn month_year(day: NaiveDate) -> String {
    format!("{} {}", month_name(day), year(day))
}

/// Day and short month: "5 Dec".
pub fn day_month(day: NaiveDate) -> String {
    format!("{} {}", day.day(), short(month_name(day)))
}

/// Short weekday, day and short month: "Fri 5 Dec".
pub fn short_date(day: NaiveDate) -> String {
    format!("{} {}", short(weekday_name(day)), day_month(day))
}

/// Weekday, day and month in full: "Friday 5 December".
pub fn weekday_day_month(day: NaiveDate) -> String {
    format!("{} {} {}", weekday_name(day), day.day(), month_name(day))
}

/// Day and month in full: "5 December".
pub fn day_full_month(day: NaiveDate) -> String {
    format!("{} {}", day.day(), month_name(day))
}

/// The value an `<input type="time">` takes (minutes, no seconds).
pub fn form_time(time: NaiveTime) -> String {
    format!("{:02}:{:02}", time.hour(), time.minute())
}

/// A clock time to the second ("14:05:30"; a leap second reads ":60").
pub fn clock_seconds(time: NaiveTime) -> String {
    format!(
        "{:02}:{:02}:{:02}",
        time.hour(),
        time.minute(),
        time.second() + time.nanosecond() / 1_000_000_000
    )
}

/// A UTC moment as fixed-width text to the millisecond
/// (`2026-12-05T14:05:30.250Z`), so that text order is time order.
pub fn utc_stamp(at: chrono::DateTime<chrono::Utc>) -> String {
    let time = at.time();
    format!(
        "{}T{}.{:03}Z",
        form_date(at.date_naive()),
        clock_seconds(time),
        time.nanosecond() / 1_000_000 % 1000
    )
}

/// A moment as the phone saw it, to the second, with its offset
/// (`2026-12-05T14:05:30+00:00`; the offset rounded to the minute).
pub fn local_stamp(at: chrono::DateTime<chrono::FixedOffset>) -> String {
    let offset = at.offset().local_minus_utc();
    let (sign, offset) = if offset < 0 {
        ('-', -offset)
    } else {
        ('+', offset)
    };
    let minutes = (offset + 30) / 60;
    format!(
        "{}T{}{sign}{:02}:{:02}",
        form_date(at.date_naive()),
        clock_seconds(at.time()),
        minutes / 60,
        minutes % 60
    )
}

/// A date without separators, as iCalendar writes it: `20261205`.
pub fn compact_date(day: NaiveDate) -> String {
    format!("{}{:02}{:02}", year(day), day.month(), day.day())
}

/// "Today", "Yesterday", "Tomorrow", else a short date such as "Fri 5 Dec",
/// with the year when it is not this year ("Fri 5 Dec 2025").
pub fn day_label(day: NaiveDate, today: NaiveDate) -> String {
    match (day - today).num_days() {
        0 => "Today".to_string(),
        -1 => "Yesterday".to_string(),
        1 => "Tomorrow".to_string(),
        _ if day.year() == today.year() => short_date(day),
        _ => format!("{} {}", short_date(day), year(day)),
    }
}

/// A date written out in full for easy-read views: "Friday 5 December 2026".
pub fn long_date(day: NaiveDate) -> String {
    format!(
        "{} {} {} {}",
        weekday_name(day),
        day.day(),
        month_name(day),
        year(day)
    )
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

    /// The hand-written labels and form values say exactly what chrono's
    /// strftime said before them, over thousands of years of dates.
    #[test]
    fn hand_written_formats_match_chrono_strftime() {
        let days = (-20_000..3_700_000).step_by(997).chain(729_000..742_000);
        for n in days {
            let day = NaiveDate::from_num_days_from_ce_opt(n).unwrap();
            assert_eq!(form_date(day), day.format("%Y-%m-%d").to_string());
            assert_eq!(compact_date(day), day.format("%Y%m%d").to_string());
            assert_eq!(long_date(day), day.format("%A %-d %B %Y").to_string());
            assert_eq!(short_date(day), day.format("%a %-d %b").to_string());
            assert_eq!(day_month(day), day.format("%-d %b").to_string());
            assert_eq!(month_year(day), day.format("%B %Y").to_string());
            assert_eq!(month_name(day), day.format("%B").to_string());
            assert_eq!(weekday_day_month(day), day.format("%A %-d %B").to_string());
            assert_eq!(day_full_month(day), day.format("%-d %B").to_string());
            assert_eq!(year(day), day.format("%Y").to_string());
            let today = NaiveDate::from_ymd_opt(2026, 12, 5).unwrap();
            let expected = match (day - today).num_days() {
                -1..=1 => day_label(day, today),
                _ if day.year() == today.year() => day.format("%a %-d %b").to_string(),
                _ => day.format("%a %-d %b %Y").to_string(),
            };
            assert_eq!(day_label(day, today), expected);
        }
    }

    #[test]
    fn hand_written_stamps_match_chrono_strftime() {
        use chrono::{FixedOffset, TimeZone, Utc};
        let offsets = [0, 3600, -3600, 19_800, -34_200, 45_296, -45_296, 50_399, 29];
        for n in (0..400_000i64).map(|i| i * 7_919_993_171 - 1_000_000_000_000) {
            let utc = Utc.timestamp_millis_opt(n).unwrap();
            assert_eq!(
                utc_stamp(utc),
                utc.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
            );
            assert_eq!(
                clock_seconds(utc.time()),
                utc.time().format("%H:%M:%S").to_string()
            );
            let zone = FixedOffset::east_opt(offsets[(n.unsigned_abs() % 9) as usize]).unwrap();
            let local = utc.with_timezone(&zone);
            assert_eq!(
                local_stamp(local),
                local.format("%Y-%m-%dT%H:%M:%S%:z").to_string()
            );
        }
        let leap = NaiveTime::from_hms_milli_opt(23, 59, 59, 1_500).unwrap();
        assert_eq!(clock_seconds(leap), leap.format("%H:%M:%S").to_string());
    }

    /// The hand-written readers accept and refuse exactly what chrono's
    /// `parse_from_str` did with the same formats.
    #[test]
    fn hand_written_readers_match_chrono_parsing() {
        let parts = [
            "", "0", "1", "5", "05", "12", "13", "29", "30", "31", "60", "99", "123", "2026",
            "02026", "+2026", "-2026", "+", "-", " ", " 5", "5 ", "-", ":", "x", "\u{a0}3",
        ];
        let chrono_time = |v: &str| {
            NaiveTime::parse_from_str(v.trim(), "%H:%M")
                .or_else(|_| NaiveTime::parse_from_str(v.trim(), "%H:%M:%S"))
                .ok()
        };
        for a in parts {
            for b in parts {
                for sep in ["-", ":"] {
                    for c in parts {
                        let value = format!("{a}{sep}{b}{sep}{c}");
                        assert_eq!(
                            parse_form_date(&value),
                            NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d").ok(),
                            "{value:?}"
                        );
                        assert_eq!(parse_form_time(&value), chrono_time(&value), "{value:?}");
                    }
                    let value = format!("{a}{sep}{b}");
                    assert_eq!(parse_form_time(&value), chrono_time(&value), "{value:?}");
                }
            }
        }
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
