//! The easy-read "My stays" words, for the person supported and their family.
//!
//! Easy read means one idea a line, short sentences, no abbreviations, an icon
//! beside each line, dates written out in full ("Saturday 5 December", with
//! the year only when it is not this year) and counting in days and nights as
//! well as dates. The app draws each [`Line`] with its [`Icon`]; the words come
//! from here so that they can be tested.

use crate::id::RecordId;
use crate::stay::{PlannedStay, StayStatus};
use chrono::{Datelike, NaiveDate, NaiveTime, Timelike};

/// The picture drawn beside a line. Every line's words say everything on their
/// own, so the picture is a help, not the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Icon {
    /// A calendar page: the day of a stay, or whether it is confirmed.
    Calendar,
    /// A house: being at the carer's home, or going home.
    House,
    /// A moon: how many nights.
    Moon,
    /// A clock: how long until, or what time.
    Clock,
    /// A note: the carer's words for the person.
    Note,
    /// A bag: something to pack or bring.
    Bag,
}

/// One line of easy-read text with its picture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// The picture beside it.
    pub icon: Icon,
    /// The words: one short sentence.
    pub text: String,
}

fn line(icon: Icon, text: impl Into<String>) -> Line {
    Line {
        icon,
        text: text.into(),
    }
}

/// A date written out in full for easy reading: "Saturday 5 December", with
/// the year when it is not the year of `today` ("Friday 1 January 2027").
pub fn date_words(day: NaiveDate, today: NaiveDate) -> String {
    if day.year() == today.year() {
        crate::dates::weekday_day_month(day)
    } else {
        crate::dates::long_date(day)
    }
}

/// A clock time in plain 12-hour words: "5:30pm", "10am", "midday",
/// "midnight", "12:15am".
pub fn time_words(time: NaiveTime) -> String {
    let (pm, hour) = time.hour12();
    let half = if pm { "pm" } else { "am" };
    match (time.hour(), time.minute()) {
        (12, 0) => "midday".to_string(),
        (0, 0) => "midnight".to_string(),
        (_, 0) => format!("{hour}{half}"),
        (_, minute) => format!("{hour}:{minute:02}{half}"),
    }
}

/// "1 night", "2 nights".
fn count(n: i64, word: &str) -> String {
    crate::visit::plural(n, word)
}

/// "today", "tomorrow", or "on Sunday 7 December".
fn on_day(day: NaiveDate, today: NaiveDate) -> String {
    match (day - today).num_days() {
        0 => "today".to_string(),
        1 => "tomorrow".to_string(),
        _ => format!("on {}", date_words(day, today)),
    }
}

/// True for a note line about packing or bringing something, which gets the
/// bag picture ("Bring your swimming things", "Pack your blue jumper").
fn is_packing(text: &str) -> bool {
    let words = text
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase()
        .replace('\u{2019}', "'");
    [
        "bring",
        "pack",
        "take ",
        "remember to bring",
        "remember to pack",
        "remember your",
        "don't forget",
        "do not forget",
    ]
    .iter()
    .any(|start| words.starts_with(start))
}

/// The notes for the person, shown as written: a line saying they are for
/// them, then one line per line of the note (blank lines left out).
fn note_lines(stay: &PlannedStay, person_name: &str, lines: &mut Vec<Line>) {
    let written: Vec<&str> = stay
        .notes_for_person()
        .lines()
        .map(str::trim_end)
        .filter(|l| !l.trim().is_empty())
        .collect();
    if written.is_empty() {
        return;
    }
    let name = person_name.trim();
    lines.push(line(
        Icon::Note,
        if name.is_empty() {
            "A note for you:".to_string()
        } else {
            format!("A note for {}:", crate::bidi::isolate(name))
        },
    ));
    for text in written {
        let icon = if is_packing(text) {
            Icon::Bag
        } else {
            Icon::Note
        };
        lines.push(line(icon, crate::bidi::balanced(text)));
    }
}

/// How the first line of a stay that hasn't started begins.
#[derive(Clone, Copy)]
enum Opening {
    Next,
    AfterThat,
}

fn stay_lines(
    stay: &PlannedStay,
    person_name: &str,
    today: NaiveDate,
    opening: Opening,
) -> Vec<Line> {
    let host = stay.with_host();
    let (arrival, departure) = (stay.arrival(), stay.departure());
    if stay.status() == StayStatus::Cancelled {
        return vec![line(
            Icon::Calendar,
            format!(
                "Your stay {host} on {} is cancelled.",
                date_words(arrival, today)
            ),
        )];
    }
    if departure < today {
        return vec![line(
            Icon::House,
            format!(
                "Your stay {host} finished on {}.",
                date_words(departure, today)
            ),
        )];
    }
    let mut lines = Vec::new();
    if arrival < today {
        lines.push(line(Icon::House, format!("You are staying {host} now.")));
        lines.push(line(
            Icon::House,
            format!("You go home {}.", on_day(departure, today)),
        ));
        if let Some(t) = stay.departure_time() {
            lines.push(line(
                Icon::Clock,
                format!("You go home at {}.", time_words(t)),
            ));
        }
        let left = (departure - today).num_days();
        if left > 0 {
            lines.push(line(
                Icon::Moon,
                if left == 1 {
                    "You will stay 1 more night.".to_string()
                } else {
                    format!("You will stay {left} more nights.")
                },
            ));
        }
    } else {
        let start = match opening {
            Opening::Next => "Your next stay",
            Opening::AfterThat => "After that, your next stay",
        };
        lines.push(line(
            Icon::Calendar,
            format!("{start} {host} is on {}.", date_words(arrival, today)),
        ));
        lines.push(line(
            Icon::Clock,
            match (arrival - today).num_days() {
                0 => "That is today.".to_string(),
                1 => "That is tomorrow.".to_string(),
                days => format!("That is in {days} days."),
            },
        ));
        lines.push(line(
            Icon::Moon,
            format!("You will stay {}.", count(stay.nights(), "night")),
        ));
        if let Some(t) = stay.arrival_time() {
            lines.push(line(
                Icon::Clock,
                format!("You arrive at {}.", time_words(t)),
            ));
        }
        lines.push(line(
            Icon::House,
            format!("You go home {}.", on_day(departure, today)),
        ));
        if let Some(t) = stay.departure_time() {
            lines.push(line(
                Icon::Clock,
                format!("You go home at {}.", time_words(t)),
            ));
        }
    }
    if stay.status() == StayStatus::Planned {
        lines.push(line(Icon::Calendar, "This stay is not confirmed yet."));
    }
    note_lines(stay, person_name, &mut lines);
    lines
}

/// The "My stays" lines for one stay, normally the next one (see
/// [`upcoming`]), as the person would read them on `today`:
///
/// - before it starts (or on the day it starts): [`Icon::Calendar`] "Your next
///   stay with Ann and Dev is on Saturday 5 December.", [`Icon::Clock`] "That
///   is in 3 days." ("That is today.", "That is tomorrow."), [`Icon::Moon`]
///   "You will stay 2 nights.", [`Icon::Clock`] "You arrive at 5:30pm." (when
///   a time is agreed), [`Icon::House`] "You go home on Monday 7 December."
///   and [`Icon::Clock`] "You go home at 10am." (when agreed);
/// - once it has started: "You are staying with Ann and Dev now.", "You go
///   home on Monday 7 December." ("today", "tomorrow"), the departure time,
///   and "You will stay 2 more nights." while nights remain;
/// - then, for a stay still only planned, "This stay is not confirmed yet.";
/// - then the carer's notes for the person, after "A note for Meg:", shown as
///   written, one line per line of the note: [`Icon::Bag`] for a line about
///   packing or bringing something, [`Icon::Note`] for any other.
///
/// A cancelled stay gets the one line "Your stay with Ann and Dev on Saturday
/// 5 December is cancelled.", and a stay already over "Your stay with Ann and
/// Dev finished on Monday 7 December."
pub fn next_stay_lines(stay: &PlannedStay, person_name: &str, today: NaiveDate) -> Vec<Line> {
    stay_lines(stay, person_name, today, Opening::Next)
}

/// True for a stay still to come or going on: not cancelled and not over.
fn is_upcoming(stay: &PlannedStay, today: NaiveDate) -> bool {
    stay.is_on() && stay.departure() >= today
}

/// The stays still to come or going on (not cancelled, leaving on or after
/// `today`), soonest first (by arrival, then departure, then id).
pub fn upcoming(
    stays: Vec<(RecordId, PlannedStay)>,
    today: NaiveDate,
) -> Vec<(RecordId, PlannedStay)> {
    let mut ahead: Vec<(RecordId, PlannedStay)> = stays
        .into_iter()
        .filter(|(_, s)| is_upcoming(s, today))
        .collect();
    crate::order::sort_by_key(&mut ahead, |(id, s)| (s.arrival(), s.departure(), *id));
    ahead
}

/// An easy-read summary of every upcoming stay, as plain text for a message:
/// a heading ("Meg's stays"), then each stay's lines (as
/// [`next_stay_lines`], soonest first, the later ones starting "After that,
/// your next stay ..."), one line each, with a blank line between stays. With
/// nothing upcoming it says "There are no stays planned yet."
pub fn share_text(stays: &[PlannedStay], person_name: &str, today: NaiveDate) -> String {
    let mut ahead: Vec<&PlannedStay> = stays.iter().filter(|s| is_upcoming(s, today)).collect();
    crate::order::sort_by_key(&mut ahead, |s| (s.arrival(), s.departure()));
    let name = person_name.trim();
    let mut parts = vec![if name.is_empty() {
        "Your stays".to_string()
    } else {
        format!("{}'s stays", crate::bidi::isolate(name))
    }];
    if ahead.is_empty() {
        parts.push("There are no stays planned yet.".to_string());
    }
    let mut opening = Opening::Next;
    for stay in ahead {
        let lines = stay_lines(stay, person_name, today, opening);
        if stay.arrival() >= today {
            opening = Opening::AfterThat;
        }
        parts.push(
            lines
                .into_iter()
                .map(|l| l.text)
                .collect::<Vec<_>>()
                .join("\n"),
        );
    }
    parts.join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stay::PlannedStayDraft;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// Wednesday 2 December 2026.
    fn today() -> NaiveDate {
        d(2026, 12, 2)
    }

    fn stay(arrival: &str, departure: &str) -> PlannedStayDraft {
        PlannedStayDraft {
            arrival: arrival.into(),
            departure: departure.into(),
            status: Some(StayStatus::Confirmed),
            ..PlannedStayDraft::new_for(Some(RecordId::from_random_bytes([1; 16])), "Ann and Dev")
        }
    }

    fn texts(lines: &[Line]) -> Vec<&str> {
        lines.iter().map(|l| l.text.as_str()).collect()
    }

    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    #[test]
    fn the_next_stay_in_full() {
        let s = PlannedStayDraft {
            arrival_time: "17:30".into(),
            departure_time: "10:00".into(),
            status: Some(StayStatus::Planned),
            notes_for_person: "Bring your swimming things.\n\nBiscuit the cat says hello!\r\n- pack your blue jumper".into(),
            ..stay("2026-12-05", "2026-12-07")
        }
        .validate()
        .unwrap();
        let lines = next_stay_lines(&s, "Meg", today());
        let got: Vec<(Icon, &str)> = lines.iter().map(|l| (l.icon, l.text.as_str())).collect();
        assert_eq!(
            got,
            [
                (
                    Icon::Calendar,
                    "Your next stay with Ann and Dev is on Saturday 5 December."
                ),
                (Icon::Clock, "That is in 3 days."),
                (Icon::Moon, "You will stay 2 nights."),
                (Icon::Clock, "You arrive at 5:30pm."),
                (Icon::House, "You go home on Monday 7 December."),
                (Icon::Clock, "You go home at 10am."),
                (Icon::Calendar, "This stay is not confirmed yet."),
                (Icon::Note, "A note for Meg:"),
                (Icon::Bag, "Bring your swimming things."),
                (Icon::Note, "Biscuit the cat says hello!"),
                (Icon::Bag, "- pack your blue jumper"),
            ]
        );
    }

    #[test]
    fn a_confirmed_stay_with_no_times_or_notes_is_short() {
        let s = stay("2026-12-05", "2026-12-06").validate().unwrap();
        assert_eq!(
            texts(&next_stay_lines(&s, "Meg", today())),
            [
                "Your next stay with Ann and Dev is on Saturday 5 December.",
                "That is in 3 days.",
                "You will stay 1 night.",
                "You go home on Sunday 6 December.",
            ]
        );
    }

    #[test]
    fn a_household_named_like_a_place_is_stayed_at() {
        let s = PlannedStayDraft {
            host: "Ann and Dev's".into(),
            ..stay("2026-12-05", "2026-12-06")
        }
        .validate()
        .unwrap();
        assert_eq!(
            texts(&next_stay_lines(&s, "Meg", today()))[0],
            "Your next stay at Ann and Dev's is on Saturday 5 December."
        );
    }

    #[test]
    fn typed_text_cannot_turn_the_sentence_around_it() {
        let s = PlannedStayDraft {
            host: "Host \u{202E}on is".into(),
            notes_for_person: "Swim \u{202B}kit".into(),
            ..stay("2026-12-05", "2026-12-06")
        }
        .validate()
        .unwrap();
        let lines = next_stay_lines(&s, "Meg \u{202E}", today());
        let texts = texts(&lines);
        assert_eq!(
            texts[0],
            "Your next stay with \u{2068}Host \u{202E}on is\u{202C}\u{2069} is on Saturday 5 December."
        );
        assert!(texts.contains(&"A note for \u{2068}Meg \u{202E}\u{202C}\u{2069}:"));
        assert!(texts.contains(&"Swim \u{202B}kit\u{202C}"));
    }

    #[test]
    fn today_and_tomorrow_are_said_in_words() {
        let s = stay("2026-12-02", "2026-12-03").validate().unwrap();
        assert_eq!(
            texts(&next_stay_lines(&s, "Meg", today())),
            [
                "Your next stay with Ann and Dev is on Wednesday 2 December.",
                "That is today.",
                "You will stay 1 night.",
                "You go home tomorrow.",
            ]
        );
        let s = stay("2026-12-03", "2026-12-10").validate().unwrap();
        assert_eq!(
            texts(&next_stay_lines(&s, "Meg", today()))[..4],
            [
                "Your next stay with Ann and Dev is on Thursday 3 December.",
                "That is tomorrow.",
                "You will stay 7 nights.",
                "You go home on Thursday 10 December.",
            ]
        );
    }

    #[test]
    fn a_stay_that_has_started_says_so_and_when_they_go_home() {
        let s = PlannedStayDraft {
            departure_time: "12:00".into(),
            ..stay("2026-11-30", "2026-12-04")
        }
        .validate()
        .unwrap();
        let lines = next_stay_lines(&s, "Meg", today());
        let got: Vec<(Icon, &str)> = lines.iter().map(|l| (l.icon, l.text.as_str())).collect();
        assert_eq!(
            got,
            [
                (Icon::House, "You are staying with Ann and Dev now."),
                (Icon::House, "You go home on Friday 4 December."),
                (Icon::Clock, "You go home at midday."),
                (Icon::Moon, "You will stay 2 more nights."),
            ]
        );
        assert_eq!(
            texts(&next_stay_lines(&s, "Meg", d(2026, 12, 3))),
            [
                "You are staying with Ann and Dev now.",
                "You go home tomorrow.",
                "You go home at midday.",
                "You will stay 1 more night.",
            ]
        );
        assert_eq!(
            texts(&next_stay_lines(&s, "Meg", d(2026, 12, 4))),
            [
                "You are staying with Ann and Dev now.",
                "You go home today.",
                "You go home at midday.",
            ]
        );
    }

    #[test]
    fn the_year_is_shown_only_when_it_is_not_this_year() {
        let s = stay("2027-01-08", "2027-01-10").validate().unwrap();
        let lines = next_stay_lines(&s, "Meg", today());
        assert_eq!(
            texts(&lines)[..3],
            [
                "Your next stay with Ann and Dev is on Friday 8 January 2027.",
                "That is in 37 days.",
                "You will stay 2 nights.",
            ]
        );
        assert_eq!(lines[3].text, "You go home on Sunday 10 January 2027.");
        let lines = next_stay_lines(&s, "Meg", d(2027, 1, 1));
        assert_eq!(
            lines[0].text,
            "Your next stay with Ann and Dev is on Friday 8 January."
        );
        // A stay over new year: the going-home day is next year.
        let s = stay("2026-12-30", "2027-01-02").validate().unwrap();
        assert_eq!(
            texts(&next_stay_lines(&s, "Meg", today())),
            [
                "Your next stay with Ann and Dev is on Wednesday 30 December.",
                "That is in 28 days.",
                "You will stay 3 nights.",
                "You go home on Saturday 2 January 2027.",
            ]
        );
    }

    #[test]
    fn cancelled_and_finished_stays_say_so_in_one_line() {
        let s = stay("2026-12-05", "2026-12-07")
            .validate()
            .unwrap()
            .with_status(StayStatus::Cancelled);
        assert_eq!(
            next_stay_lines(&s, "Meg", today()),
            [Line {
                icon: Icon::Calendar,
                text: "Your stay with Ann and Dev on Saturday 5 December is cancelled.".into()
            }]
        );
        let s = stay("2026-11-27", "2026-11-29").validate().unwrap();
        assert_eq!(
            texts(&next_stay_lines(&s, "Meg", today())),
            ["Your stay with Ann and Dev finished on Sunday 29 November."]
        );
    }

    #[test]
    fn times_are_plain_twelve_hour_words() {
        for (time, words) in [
            (t(17, 30), "5:30pm"),
            (t(10, 0), "10am"),
            (t(12, 0), "midday"),
            (t(0, 0), "midnight"),
            (t(0, 15), "12:15am"),
            (t(12, 5), "12:05pm"),
            (t(9, 5), "9:05am"),
            (t(23, 0), "11pm"),
        ] {
            assert_eq!(time_words(time), words, "{time}");
        }
    }

    #[test]
    fn notes_are_shown_as_written_and_packing_lines_get_the_bag() {
        for (text, icon) in [
            ("Bring your swimming things", Icon::Bag),
            ("• Pack a warm coat", Icon::Bag),
            ("Take your library book back", Icon::Bag),
            ("Don\u{2019}t forget your tablets", Icon::Bag),
            ("Remember your pyjamas", Icon::Bag),
            ("We are going to the café 🍰", Icon::Note),
            ("Taken care of: your bed is ready", Icon::Note),
        ] {
            assert_eq!(is_packing(text), icon == Icon::Bag, "{text}");
        }
        let s = PlannedStayDraft {
            notes_for_person: "  Hello, Meg!  ".into(),
            ..stay("2026-12-05", "2026-12-06")
        }
        .validate()
        .unwrap();
        let lines = next_stay_lines(&s, "  ", today());
        assert_eq!(
            texts(&lines[lines.len() - 2..]),
            ["A note for you:", "Hello, Meg!"]
        );
    }

    fn rid(n: u8) -> RecordId {
        RecordId::from_random_bytes([n; 16])
    }

    #[test]
    fn upcoming_keeps_stays_not_cancelled_and_not_over_soonest_first() {
        let later = stay("2026-12-19", "2026-12-21").validate().unwrap();
        let going_on = stay("2026-11-30", "2026-12-02").validate().unwrap();
        let over = stay("2026-11-28", "2026-12-01").validate().unwrap();
        let cancelled = stay("2026-12-05", "2026-12-07")
            .validate()
            .unwrap()
            .with_status(StayStatus::Cancelled);
        let planned = PlannedStayDraft {
            status: Some(StayStatus::Planned),
            ..stay("2026-12-05", "2026-12-07")
        }
        .validate()
        .unwrap();
        let got = upcoming(
            vec![
                (rid(1), later.clone()),
                (rid(2), going_on.clone()),
                (rid(3), over),
                (rid(4), cancelled),
                (rid(5), planned.clone()),
            ],
            today(),
        );
        assert_eq!(
            got,
            [(rid(2), going_on), (rid(5), planned), (rid(1), later)]
        );
        assert!(upcoming(Vec::new(), today()).is_empty());
    }

    #[test]
    fn the_shared_text_lists_every_upcoming_stay() {
        let stays = [
            PlannedStayDraft {
                notes_for_person: "Bring your swimming things".into(),
                arrival_time: "17:30".into(),
                ..stay("2026-12-19", "2026-12-21")
            }
            .validate()
            .unwrap(),
            stay("2026-11-30", "2026-12-03").validate().unwrap(),
            stay("2026-11-20", "2026-11-22").validate().unwrap(),
            PlannedStayDraft {
                host: "Pat".into(),
                status: Some(StayStatus::Planned),
                ..stay("2027-01-08", "2027-01-09")
            }
            .validate()
            .unwrap(),
            stay("2026-12-05", "2026-12-06")
                .validate()
                .unwrap()
                .with_status(StayStatus::Cancelled),
        ];
        assert_eq!(
            share_text(&stays, "Meg", today()),
            "Meg's stays\n\
             \n\
             You are staying with Ann and Dev now.\n\
             You go home tomorrow.\n\
             You will stay 1 more night.\n\
             \n\
             Your next stay with Ann and Dev is on Saturday 19 December.\n\
             That is in 17 days.\n\
             You will stay 2 nights.\n\
             You arrive at 5:30pm.\n\
             You go home on Monday 21 December.\n\
             A note for Meg:\n\
             Bring your swimming things\n\
             \n\
             After that, your next stay with Pat is on Friday 8 January 2027.\n\
             That is in 37 days.\n\
             You will stay 1 night.\n\
             You go home on Saturday 9 January 2027.\n\
             This stay is not confirmed yet."
        );
        assert_eq!(
            share_text(&stays[2..3], "Meg", today()),
            "Meg's stays\n\nThere are no stays planned yet."
        );
        assert_eq!(
            share_text(&[], "", today()),
            "Your stays\n\nThere are no stays planned yet."
        );
    }
}
