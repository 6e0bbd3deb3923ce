//! A person's stays as an iCalendar file (RFC 5545), so the person or their
//! family can add them to the calendar on their own phone.
//!
//! Every stay is an all-day event, even when arrival and departure times are
//! agreed: core knows no time-zone database to write a proper `TZID`, "floating"
//! local times are shown differently by different calendar programs, and a
//! stay is a span of days. The agreed times go in the description instead.
//!
//! An all-day event's `DTEND` is exclusive: the first day *not* covered. A
//! stay's departure day is a day of the stay (the person wakes up at the
//! carer's and goes home that day, and someone may need to collect them), so
//! `DTEND` is the day after departure: a stay from Saturday 5 to Monday 7
//! December shows on the 5th, 6th and 7th. (Ending on the departure date, as a
//! hotel booking would, would hide the going-home day from the calendar.) The
//! number of nights is in the description.
//!
//! The file is written to the letter: CRLF line ends, lines folded at 75
//! octets without splitting a UTF-8 character, and text escaped.

use crate::dates;
use crate::easy_read::time_words;
use crate::id::RecordId;
use crate::stay::{PlannedStay, StayStatus};
use crate::visit::plural;
use chrono::{DateTime, Days, NaiveDate, Utc};

/// The product identifier every file carries.
pub const PRODID: &str = "-//Hearth//Shared Lives stays//EN";

/// The longest physical line, in octets, not counting the CRLF.
pub const MAX_LINE_OCTETS: usize = 75;

/// Escapes a TEXT value (RFC 5545 section 3.3.11): backslash, semicolon and
/// comma get a backslash, every line break (CRLF, CR or LF) becomes `\n`, and
/// other control characters (not allowed in TEXT) are dropped; tabs stay.
fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    // Direction controls left open are closed, so typed text can't reverse
    // the rest of a calendar's line.
    let text = crate::bidi::balanced(text);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            '\t' => out.push('\t'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends one content line to `out`, folded so that no physical line is
/// longer than [`MAX_LINE_OCTETS`] octets: each break is a CRLF followed by a
/// single space (which counts towards the next line's length). A break never
/// falls inside a UTF-8 character, nor between a backslash and the character
/// it escapes (allowed by the RFC, but some readers trip over it).
fn push_folded(out: &mut String, line: &str) {
    let mut width = 0;
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        let mut len = c.len_utf8();
        if c == '\\' {
            len += rest[len..].chars().next().map_or(0, char::len_utf8);
        }
        if width + len > MAX_LINE_OCTETS {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push_str(&rest[..len]);
        width += len;
        rest = &rest[len..];
    }
    out.push_str("\r\n");
}

/// A DATE value: `20261205`.
fn ical_date(day: NaiveDate) -> String {
    crate::dates::compact_date(day)
}

/// The description of a stay: nights and host, arrival and going home (with
/// the agreed times), whether it is confirmed, and the notes for the person.
fn description(stay: &PlannedStay, person_name: &str) -> String {
    let at = |time: Option<chrono::NaiveTime>| {
        time.map(|t| format!(" at {}", time_words(t)))
            .unwrap_or_default()
    };
    let mut text = format!(
        "{} {}.\nArriving {}{}.\nGoing home {}{}.",
        plural(stay.nights(), "night"),
        stay.with_host(),
        dates::long_date(stay.arrival()),
        at(stay.arrival_time()),
        dates::long_date(stay.departure()),
        at(stay.departure_time()),
    );
    if stay.status() == StayStatus::Planned {
        text.push_str("\nThis stay is not confirmed yet.");
    }
    let notes = stay.notes_for_person().trim();
    if !notes.is_empty() {
        let name = person_name.trim();
        let heading = if name.is_empty() {
            "Notes:".to_string()
        } else {
            format!("Notes for {name}:")
        };
        text.push_str(&format!("\n\n{heading}\n{notes}"));
    }
    text
}

/// A calendar of `person_name`'s stays, one all-day event per stay that is not
/// cancelled, in the order given (pass the upcoming ones: see
/// [`crate::easy_read::upcoming`]).
///
/// The calendar has `VERSION:2.0`, `PRODID:`[`PRODID`], `CALSCALE:GREGORIAN`,
/// `METHOD:PUBLISH` and `X-WR-CALNAME` ("Meg's stays"). Each event has the UID
/// `<record id>@hearth.local` (so importing the file again updates the events
/// rather than doubling them), `DTSTAMP` set to `now`, `DTSTART;VALUE=DATE`
/// the arrival day and `DTEND;VALUE=DATE` the day after departure (see the
/// module notes), `SUMMARY` "Stay with Ann and Dev", a `DESCRIPTION` with the
/// nights, the days and agreed times, and the notes for the person, and
/// `STATUS:CONFIRMED` for a confirmed stay or `STATUS:TENTATIVE` for one still
/// planned.
///
/// With no stays to show the calendar has no events; RFC 5545 asks for at
/// least one, so offer the file only when there is something in it.
pub fn stays_calendar(
    stays: &[(RecordId, PlannedStay)],
    person_name: &str,
    now: DateTime<Utc>,
) -> String {
    let mut out = String::new();
    let name = person_name.trim();
    let calendar_name = if name.is_empty() {
        "Stays".to_string()
    } else {
        format!("{name}'s stays")
    };
    for line in [
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".to_string(),
        format!("PRODID:{PRODID}"),
        "CALSCALE:GREGORIAN".to_string(),
        "METHOD:PUBLISH".to_string(),
        format!("X-WR-CALNAME:{}", escape_text(&calendar_name)),
    ] {
        push_folded(&mut out, &line);
    }
    let stamp = format!(
        "{}T{}Z",
        crate::dates::compact_date(now.date_naive()),
        crate::dates::clock_seconds(now.time()).replace(':', "")
    );
    for (id, stay) in stays.iter().filter(|(_, s)| s.is_on()) {
        let last_day_after = stay
            .departure()
            .checked_add_days(Days::new(1))
            .unwrap_or(stay.departure());
        let status = if stay.status() == StayStatus::Confirmed {
            "CONFIRMED"
        } else {
            "TENTATIVE"
        };
        for line in [
            "BEGIN:VEVENT".to_string(),
            format!("UID:{id}@hearth.local"),
            format!("DTSTAMP:{stamp}"),
            format!("DTSTART;VALUE=DATE:{}", ical_date(stay.arrival())),
            format!("DTEND;VALUE=DATE:{}", ical_date(last_day_after)),
            format!(
                "SUMMARY:{}",
                escape_text(&format!("Stay {}", stay.with_host()))
            ),
            format!(
                "DESCRIPTION:{}",
                escape_text(&description(stay, person_name))
            ),
            format!("STATUS:{status}"),
            "END:VEVENT".to_string(),
        ] {
            push_folded(&mut out, &line);
        }
    }
    push_folded(&mut out, "END:VCALENDAR");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stay::PlannedStayDraft;
    use chrono::TimeZone;
    use icalendar::parser::{read_calendar, unfold};
    use icalendar::{Component, DatePerhapsTime, EventStatus};

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 22, 18, 0, 0).unwrap()
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn rid(n: u8) -> RecordId {
        RecordId::from_random_bytes([n; 16])
    }

    fn stay(arrival: &str, departure: &str, status: StayStatus) -> PlannedStayDraft {
        PlannedStayDraft {
            arrival: arrival.into(),
            departure: departure.into(),
            status: Some(status),
            ..PlannedStayDraft::new_for(Some(rid(1)), "Ann and Dev")
        }
    }

    const NOTES: &str = "Bring your swimming things, towel; goggles.\nSiân is coming for tea 😊 — \"café\" after?\nBack\\slash, too.";

    fn stays() -> Vec<(RecordId, PlannedStay)> {
        vec![
            (
                rid(10),
                PlannedStayDraft {
                    arrival_time: "17:30".into(),
                    departure_time: "10:00".into(),
                    notes_for_person: NOTES.into(),
                    ..stay("2026-12-05", "2026-12-07", StayStatus::Confirmed)
                }
                .validate()
                .unwrap(),
            ),
            (
                rid(11),
                stay("2026-12-19", "2026-12-20", StayStatus::Cancelled)
                    .validate()
                    .unwrap(),
            ),
            (
                rid(12),
                PlannedStayDraft {
                    host: "Pat, Lee; and \"the dogs\"".into(),
                    ..stay("2026-12-30", "2027-01-02", StayStatus::Planned)
                }
                .validate()
                .unwrap(),
            ),
        ]
    }

    /// RFC 5545 unfolding, written here independently of the parser crate:
    /// a CRLF followed by one space or tab is removed.
    fn unfold_rfc(text: &str) -> String {
        text.replace("\r\n ", "").replace("\r\n\t", "")
    }

    #[test]
    fn every_line_ends_with_crlf_and_is_at_most_75_octets() {
        let long = PlannedStayDraft {
            notes_for_person: format!("{NOTES}\n{}", "Ünïcödé 😊 emoji, ".repeat(40)),
            ..stay("2026-12-05", "2026-12-07", StayStatus::Confirmed)
        }
        .validate()
        .unwrap();
        let mut all = stays();
        all.push((rid(13), long));
        let text = stays_calendar(&all, "Siân-Marie Llewellyn-Jones", now());
        assert!(text.ends_with("END:VCALENDAR\r\n"));
        let body = text.strip_suffix("\r\n").unwrap();
        let mut folded = 0;
        for line in body.split("\r\n") {
            assert!(!line.contains('\n') && !line.contains('\r'), "{line:?}");
            assert!(
                line.len() <= MAX_LINE_OCTETS,
                "{} octets: {line:?}",
                line.len()
            );
            if line.starts_with(' ') {
                folded += 1;
            }
        }
        assert!(folded > 20, "long text was folded ({folded} times)");
        // A bare LF or CR never appears outside a CRLF.
        assert_eq!(text.matches('\n').count(), text.matches("\r\n").count());
        assert_eq!(text.matches('\r').count(), text.matches("\r\n").count());
    }

    #[test]
    fn folding_never_splits_a_character_or_an_escape() {
        for prefix in 0..8 {
            let line = format!("DESCRIPTION:{}{}", "x".repeat(prefix), "😊é\\,".repeat(30));
            let mut out = String::new();
            push_folded(&mut out, &line);
            assert_eq!(unfold_rfc(&out), format!("{line}\r\n"));
            for physical in out.strip_suffix("\r\n").unwrap().split("\r\n") {
                assert!(physical.len() <= MAX_LINE_OCTETS);
                let content = physical.strip_prefix(' ').unwrap_or(physical);
                assert!(
                    !content.starts_with(',') || physical == line,
                    "an escape was split: {physical:?}"
                );
            }
        }
        let mut out = String::new();
        push_folded(&mut out, &"a".repeat(75));
        assert_eq!(out, format!("{}\r\n", "a".repeat(75)), "75 octets fit");
        let mut out = String::new();
        push_folded(&mut out, &"a".repeat(76));
        assert_eq!(out, format!("{}\r\n a\r\n", "a".repeat(75)));
        let mut out = String::new();
        push_folded(&mut out, &"a".repeat(75 + 74 + 1));
        assert_eq!(
            out,
            format!("{}\r\n {}\r\n a\r\n", "a".repeat(75), "a".repeat(74))
        );
    }

    #[test]
    fn text_is_escaped_as_the_rfc_says() {
        assert_eq!(
            escape_text("a\\b;c,d\ne\r\nf\rg\th\u{7}i"),
            "a\\\\b\\;c\\,d\\ne\\nf\\ng\thi"
        );
    }

    #[test]
    fn an_independent_parser_reads_back_every_field() {
        let text = stays_calendar(&stays(), "Meg", now());
        let unfolded = unfold(&text);
        let parsed = read_calendar(&unfolded).expect("the file parses");
        let prop = |props: &[icalendar::parser::Property], name: &str| -> String {
            let found: Vec<_> = props.iter().filter(|p| p.name == name).collect();
            assert_eq!(found.len(), 1, "exactly one {name}");
            found[0].val.as_str().to_string()
        };
        assert_eq!(prop(&parsed.properties, "VERSION"), "2.0");
        assert_eq!(prop(&parsed.properties, "PRODID"), PRODID);
        assert_eq!(prop(&parsed.properties, "CALSCALE"), "GREGORIAN");
        assert_eq!(prop(&parsed.properties, "METHOD"), "PUBLISH");
        assert_eq!(prop(&parsed.properties, "X-WR-CALNAME"), "Meg's stays");

        let events = &parsed.components;
        assert_eq!(events.len(), 2, "the cancelled stay is left out");
        assert!(events.iter().all(|e| e.name == "VEVENT"));
        let want = [
            (
                rid(10),
                "20261205",
                "20261208",
                "Stay with Ann and Dev",
                format!(
                    "2 nights with Ann and Dev.\n\
                     Arriving Saturday 5 December 2026 at 5:30pm.\n\
                     Going home Monday 7 December 2026 at 10am.\n\
                     \n\
                     Notes for Meg:\n{NOTES}"
                ),
                "CONFIRMED",
            ),
            (
                rid(12),
                "20261230",
                "20270103",
                "Stay with Pat, Lee; and \"the dogs\"",
                "3 nights with Pat, Lee; and \"the dogs\".\n\
                 Arriving Wednesday 30 December 2026.\n\
                 Going home Saturday 2 January 2027.\n\
                 This stay is not confirmed yet."
                    .to_string(),
                "TENTATIVE",
            ),
        ];
        for (event, (id, start, end, summary, description, status)) in events.iter().zip(want) {
            let p = &event.properties;
            assert_eq!(prop(p, "UID"), format!("{id}@hearth.local"));
            assert_eq!(prop(p, "DTSTAMP"), "20261122T180000Z");
            assert_eq!(prop(p, "DTSTART"), start);
            assert_eq!(prop(p, "DTEND"), end);
            for name in ["DTSTART", "DTEND"] {
                let params = &p.iter().find(|x| x.name == name).unwrap().params;
                assert_eq!(params.len(), 1);
                assert_eq!(params[0].key, "VALUE");
                assert_eq!(params[0].val.as_ref().map(|v| v.as_str()), Some("DATE"));
            }
            // SUMMARY and DESCRIPTION are TEXT: the parser unescapes them.
            assert_eq!(prop(p, "SUMMARY"), summary);
            assert_eq!(prop(p, "DESCRIPTION"), description);
            assert_eq!(prop(p, "STATUS"), status);
            assert_eq!(p.len(), 7, "no other properties");
        }
    }

    #[test]
    fn the_typed_calendar_sees_all_day_events_covering_arrival_to_departure() {
        let text = stays_calendar(&stays(), "Meg", now());
        let calendar: icalendar::Calendar = text.parse().unwrap();
        assert_eq!(calendar.get_name(), Some("Meg's stays"));
        let events: Vec<&icalendar::Event> = calendar
            .components
            .iter()
            .filter_map(|c| c.as_event())
            .collect();
        assert_eq!(events.len(), 2);
        let first = events[0];
        assert_eq!(
            first.get_start(),
            Some(DatePerhapsTime::Date(d(2026, 12, 5)))
        );
        // Exclusive end: the day after the going-home day.
        assert_eq!(first.get_end(), Some(DatePerhapsTime::Date(d(2026, 12, 8))));
        assert_eq!(first.get_timestamp(), Some(now()));
        assert_eq!(first.get_status(), Some(EventStatus::Confirmed));
        assert_eq!(first.get_summary(), Some("Stay with Ann and Dev"));
        assert!(first.get_description().unwrap().ends_with(NOTES));
        assert_eq!(events[1].get_status(), Some(EventStatus::Tentative));
        assert_eq!(
            events[1].get_end(),
            Some(DatePerhapsTime::Date(d(2027, 1, 3)))
        );
    }

    #[test]
    fn notes_with_emoji_accents_and_commas_survive_folding_and_escaping() {
        let notes = format!("{NOTES}\n{}", "Ünïcödé, 😊; ".repeat(20));
        let s = PlannedStayDraft {
            notes_for_person: notes.clone(),
            ..stay("2026-12-05", "2026-12-07", StayStatus::Confirmed)
        }
        .validate()
        .unwrap();
        let text = stays_calendar(&[(rid(1), s)], "Siân", now());
        // Unfolded and unescaped by hand, independently of the parser crate.
        let unfolded = unfold_rfc(&text);
        let line = unfolded
            .split("\r\n")
            .find_map(|l| l.strip_prefix("DESCRIPTION:"))
            .unwrap();
        let mut unescaped = String::new();
        let mut chars = line.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                match chars.next().unwrap() {
                    'n' | 'N' => unescaped.push('\n'),
                    other => unescaped.push(other),
                }
            } else {
                assert!(c != ',' && c != ';', "unescaped {c:?} in {line:?}");
                unescaped.push(c);
            }
        }
        assert!(unescaped.ends_with(&format!("Notes for Siân:\n{}", notes.trim())));
        // And the parser crate agrees.
        let unfolded = unfold(&text);
        let parsed = read_calendar(&unfolded).unwrap();
        let description = parsed.components[0]
            .find_prop("DESCRIPTION")
            .unwrap()
            .val
            .as_str()
            .to_string();
        assert_eq!(description, unescaped);
        assert_eq!(
            parsed
                .properties
                .iter()
                .find(|p| p.name == "X-WR-CALNAME")
                .map(|p| p.val.as_str()),
            Some("Siân's stays")
        );
    }

    proptest::proptest! {
        /// Whatever the notes say, every physical line fits and the parser
        /// reads back the same text (line breaks as LF, other control
        /// characters dropped).
        #[test]
        fn any_text_folds_escapes_and_reads_back(text in "(\\PC|[\\r\\n\\t\\\\;,\u{7}]){0,400}") {
            let line = format!("DESCRIPTION:{}", escape_text(&text));
            let mut out = String::from("BEGIN:VEVENT\r\n");
            push_folded(&mut out, &line);
            out.push_str("END:VEVENT\r\n");
            for physical in out.strip_suffix("\r\n").unwrap().split("\r\n") {
                proptest::prop_assert!(physical.len() <= MAX_LINE_OCTETS);
            }
            let unfolded = unfold(&out);
            let parsed = read_calendar(&unfolded).unwrap();
            let want: String = text
                .replace("\r\n", "\n")
                .replace('\r', "\n")
                .chars()
                .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
                .collect();
            proptest::prop_assert_eq!(
                parsed.components[0].find_prop("DESCRIPTION").unwrap().val.as_str(),
                want.as_str()
            );
        }
    }

    #[test]
    fn no_stays_make_an_empty_but_readable_calendar() {
        let text = stays_calendar(&[], " ", now());
        assert_eq!(
            text,
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Hearth//Shared Lives stays//EN\r\nCALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\nX-WR-CALNAME:Stays\r\nEND:VCALENDAR\r\n"
        );
        assert!(read_calendar(&unfold(&text)).unwrap().components.is_empty());
    }
}
