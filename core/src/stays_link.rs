//! The "My stays" link: one person's upcoming stays, sent from the carer's
//! phone to the person's or their family's, with no account and no server.
//!
//! Everything travels in the link's fragment (after the `#`), which browsers
//! never send to the host. The app seals the payload with AES-GCM (through
//! WebCrypto, a fresh random 128-bit key per link) and puts the key at the
//! end of the link: a link cut short in a preview or a history list reveals
//! nothing. Core does everything else, natively tested: what goes in (exactly
//! what "My stays" shows for one person), the payload's versioned format, the
//! link's text, its size against the QR code the app draws, and reading a
//! link back, which checks every field as a restored backup is checked.
//!
//! The link is `<app address>#/follow/<data>.<key>`: `data` is the format
//! version (one byte, also the cipher's additional data) then the sealed
//! payload, `key` the AES key, both in base 32 (RFC 4648, capitals, no
//! padding), which a QR code holds in its alphanumeric mode at 5.5 bits a
//! character. The payload is JSON, deflated (raw DEFLATE, RFC 1951).

use crate::id::RecordId;
use crate::stay::{PlannedStay, PlannedStayDraft, StayStatus};
use crate::validate::{text, ValidationErrors};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// The payload format this Hearth writes; it reads every earlier one.
pub const FORMAT: u8 = 1;

/// The fragment's route before the data.
pub const ROUTE: &str = "#/follow/";

/// Length of the AES-GCM key, in bytes (AES-128).
pub const KEY_BYTES: usize = 16;

/// Length of the AES-GCM tag the sealed payload ends with, in bytes.
pub const TAG_BYTES: usize = 16;

/// The QR code the app draws: version 25 (117 modules a side), error
/// correction level M (15% of the code can be lost). Large enough for a
/// year of weekly stays with short notes, and read by a phone's camera from
/// a phone's screen at arm's length.
pub const QR_VERSION: i16 = 25;

/// Data bits in a version 25 code at level M: 1,000 codewords of 8 bits
/// (ISO/IEC 18004 table 9; a test checks it against the encoder).
pub const QR_DATA_BITS: usize = 8_000;

/// The most stays a link may carry (a stay a day for more than a year); a
/// link with more is refused.
pub const MAX_STAYS: usize = 400;

/// The longest fragment data read, in characters: more than any QR code
/// holds. A longer one is refused before anything is decoded.
pub const MAX_DATA_CHARS: usize = 8_000;

/// The most bytes a payload may inflate to (a year of daily stays with long
/// notes is far less); a payload that inflates further is refused.
pub const MAX_PAYLOAD_BYTES: usize = 256 * 1024;

/// The longest person's name, household and phone number carried.
const MAX_NAME_CHARS: usize = 80;
const MAX_PHONE_CHARS: usize = 24;

/// Why a link can't be opened. Each is one plain sentence for the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum LinkError {
    /// Cut short, changed, or not a Hearth link at all. Tampering (the
    /// cipher's check failing) is reported the same way.
    #[error("This link is damaged or incomplete, so Hearth can't open it. Ask for the link to be sent again.")]
    Damaged,
    /// Made by a newer Hearth, in a format this one doesn't know.
    #[error("This link was made by a newer Hearth. Update Hearth to open this link.")]
    Newer,
}

/// What a link carries: exactly what "My stays" shows for one person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentStays {
    /// When the carer made the link: a newer link replaces an older one,
    /// never the other way round.
    pub made: DateTime<Utc>,
    /// The person's record id on the carer's phone: which person a newer
    /// link replaces (a random id: it says nothing about them).
    pub person: RecordId,
    /// The name the person likes to be called.
    pub name: String,
    /// The carer's household.
    pub household: String,
    /// A phone number to ring, if the carer chose to give one.
    pub phone: Option<String>,
    /// The stays still to come or going on, cancelled ones too (so a family
    /// sees the cancellation), soonest first.
    pub stays: Vec<PlannedStay>,
}

/// The payload as JSON, with short names: every byte counts in a QR code.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Wire {
    /// `made`, in milliseconds since 1970.
    m: i64,
    /// `person`.
    p: RecordId,
    /// `name`.
    n: String,
    /// `household`.
    h: String,
    /// `phone`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    t: Option<String>,
    /// `stays`.
    s: Vec<WireStay>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct WireStay {
    /// Arrival, `YYYY-MM-DD`.
    a: String,
    /// Departure.
    d: String,
    /// Arrival time `HH:MM`, if agreed.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    at: String,
    /// Departure time.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    dt: String,
    /// Status: `p`lanned, `c`onfirmed, `x` cancelled.
    s: char,
    /// The host, when it isn't the household.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    w: String,
    /// The notes for the person.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    o: String,
}

fn status_code(status: StayStatus) -> char {
    match status {
        StayStatus::Planned => 'p',
        StayStatus::Confirmed => 'c',
        StayStatus::Cancelled => 'x',
    }
}

impl SentStays {
    /// What a link for `name` made at `made` carries: of `stays` (the
    /// carer's planned stays, any person's, live ones), this person's that
    /// are still to come or going on (leaving on or after `today`),
    /// cancelled ones too, soonest first.
    pub fn for_person(
        person: RecordId,
        name: &str,
        household: &str,
        phone: Option<&str>,
        stays: impl IntoIterator<Item = PlannedStay>,
        today: NaiveDate,
        made: DateTime<Utc>,
    ) -> SentStays {
        let mut theirs: Vec<PlannedStay> = stays
            .into_iter()
            .filter(|s| s.person_id() == person && s.departure() >= today)
            .collect();
        crate::order::sort_by_key(&mut theirs, |s| (s.arrival(), s.departure()));
        SentStays {
            made,
            person,
            name: name.trim().to_string(),
            household: household.trim().to_string(),
            phone: phone
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(str::to_string),
            stays: theirs,
        }
    }

    /// The stays still to come or going on at `today`, soonest first:
    /// what the person's phone shows (past stays drop off by themselves).
    pub fn upcoming(&self, today: NaiveDate) -> Vec<&PlannedStay> {
        self.stays
            .iter()
            .filter(|s| s.departure() >= today)
            .collect()
    }

    /// True when `self` should replace `stored` (the same person's stays
    /// from an earlier link): it was made later.
    pub fn replaces(&self, stored: &SentStays) -> bool {
        self.made > stored.made
    }

    /// The payload: JSON, deflated. The app seals it and [`link`] writes it.
    pub fn to_payload(&self) -> Vec<u8> {
        let wire = Wire {
            m: self.made.timestamp_millis(),
            p: self.person,
            n: self.name.clone(),
            h: self.household.clone(),
            t: self.phone.clone(),
            s: self
                .stays
                .iter()
                .map(|s| WireStay {
                    a: crate::dates::form_date(s.arrival()),
                    d: crate::dates::form_date(s.departure()),
                    at: s
                        .arrival_time()
                        .map(crate::dates::form_time)
                        .unwrap_or_default(),
                    dt: s
                        .departure_time()
                        .map(crate::dates::form_time)
                        .unwrap_or_default(),
                    s: status_code(s.status()),
                    w: if s.host() == self.household {
                        String::new()
                    } else {
                        s.host().to_string()
                    },
                    o: s.notes_for_person().to_string(),
                })
                .collect(),
        };
        let json = serde_json::to_vec(&wire).expect("plain data serialises");
        miniz_oxide::deflate::compress_to_vec(&json, 10)
    }

    /// Reads a payload (opened by the app) of format `format`, checking every
    /// field as a restored backup is checked. Anything else is
    /// [`LinkError::Damaged`]; nothing here panics, whatever the bytes.
    pub fn from_payload(format: u8, payload: &[u8]) -> Result<SentStays, LinkError> {
        check_format(format)?;
        let json = miniz_oxide::inflate::decompress_to_vec_with_limit(payload, MAX_PAYLOAD_BYTES)
            .map_err(|_| LinkError::Damaged)?;
        let wire: Wire = serde_json::from_slice(&json).map_err(|_| LinkError::Damaged)?;
        if wire.s.len() > MAX_STAYS {
            return Err(LinkError::Damaged);
        }
        let made = DateTime::from_timestamp_millis(wire.m).ok_or(LinkError::Damaged)?;
        let mut e = ValidationErrors::new();
        let name = text(&mut e, "name", &wire.n, Some("no name"), MAX_NAME_CHARS);
        let household = text(
            &mut e,
            "household",
            &wire.h,
            Some("no household"),
            MAX_NAME_CHARS,
        );
        let phone = match wire.t {
            Some(raw) => Some(phone_number(&raw).map_err(|_| LinkError::Damaged)?),
            None => None,
        };
        if !e.is_empty() {
            return Err(LinkError::Damaged);
        }
        let stays = wire
            .s
            .into_iter()
            .map(|s| {
                let status = match s.s {
                    'p' => StayStatus::Planned,
                    'c' => StayStatus::Confirmed,
                    'x' => StayStatus::Cancelled,
                    _ => return Err(LinkError::Damaged),
                };
                PlannedStayDraft {
                    person_id: wire.p.to_string(),
                    arrival: s.a,
                    departure: s.d,
                    arrival_time: s.at,
                    departure_time: s.dt,
                    status: Some(status),
                    notes_for_person: s.o,
                    host: if s.w.is_empty() {
                        household.clone()
                    } else {
                        s.w
                    },
                }
                .validate()
                .map_err(|_| LinkError::Damaged)
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(SentStays {
            made,
            person: wire.p,
            name,
            household,
            phone,
            stays,
        })
    }
}

fn check_format(format: u8) -> Result<(), LinkError> {
    match format {
        0 => Err(LinkError::Damaged),
        f if f > FORMAT => Err(LinkError::Newer),
        _ => Ok(()),
    }
}

/// Checks a phone number to ring, as the carer types it: digits, spaces and
/// `+ ( ) -`, with at least 3 digits. Returns it trimmed.
pub fn phone_number(raw: &str) -> Result<String, ValidationErrors> {
    let mut e = ValidationErrors::new();
    let phone = text(
        &mut e,
        "phone",
        raw,
        Some("Enter the number to ring."),
        MAX_PHONE_CHARS,
    );
    if e.is_empty() {
        let fine = phone
            .chars()
            .all(|c| c.is_ascii_digit() || " +()-".contains(c));
        let digits = phone.chars().filter(char::is_ascii_digit).count();
        if !fine || digits < 3 {
            e.add(
                "phone",
                "Enter a phone number: digits, with spaces or + if you like.",
            );
        }
    }
    e.into_result(|| phone)
}

/// The additional data the cipher binds to a payload of `format`: the
/// format byte, so a link can't be relabelled.
pub fn additional_data(format: u8) -> [u8; 1] {
    [format]
}

/// The link to `app` (the app's address, without a fragment) for a payload
/// of this Hearth's [`FORMAT`] sealed as `sealed` (ciphertext and tag) with
/// `key`.
pub fn link(app: &str, sealed: &[u8], key: &[u8]) -> String {
    let mut data = Vec::with_capacity(1 + sealed.len());
    data.push(FORMAT);
    data.extend_from_slice(sealed);
    let b32 = &data_encoding::BASE32_NOPAD;
    format!("{app}{ROUTE}{}.{}", b32.encode(&data), b32.encode(key))
}

/// A link's parts, read back, not yet opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sealed {
    /// The payload's format.
    pub format: u8,
    /// The sealed payload: ciphertext then tag.
    pub sealed: Vec<u8>,
    /// The key.
    pub key: Vec<u8>,
}

/// Reads the part of a link after [`ROUTE`] (`<data>.<key>`). Refuses
/// anything too long, not base 32, of an unknown format or too short to
/// hold a sealed payload; says [`LinkError::Newer`] only for a well-formed
/// link of a later format.
pub fn read_link(data: &str) -> Result<Sealed, LinkError> {
    if data.len() > MAX_DATA_CHARS {
        return Err(LinkError::Damaged);
    }
    let (data, key) = data.trim().split_once('.').ok_or(LinkError::Damaged)?;
    let b32 = &data_encoding::BASE32_NOPAD;
    let data = b32
        .decode(data.to_ascii_uppercase().as_bytes())
        .map_err(|_| LinkError::Damaged)?;
    let key = b32
        .decode(key.to_ascii_uppercase().as_bytes())
        .map_err(|_| LinkError::Damaged)?;
    let (&format, sealed) = data.split_first().ok_or(LinkError::Damaged)?;
    if key.len() != KEY_BYTES || sealed.len() <= TAG_BYTES {
        return Err(LinkError::Damaged);
    }
    check_format(format)?;
    Ok(Sealed {
        format,
        sealed: sealed.to_vec(),
        key,
    })
}

/// The length of the link (in characters) for a payload of `payload` bytes.
pub fn link_chars(app: &str, payload: usize) -> usize {
    let data = 1 + payload + TAG_BYTES;
    app.len() + ROUTE.len() + base32_chars(data) + 1 + base32_chars(KEY_BYTES)
}

fn base32_chars(bytes: usize) -> usize {
    (bytes * 8).div_ceil(5)
}

/// The bits a version 10 to 26 QR code needs for the link: the address and
/// route as bytes (8 bits each), the data and key in alphanumeric mode (11
/// bits a pair of characters), each segment with its 4-bit mode and its
/// character count (16 bits for bytes, 11 for alphanumeric).
pub fn qr_bits(app: &str, payload: usize) -> usize {
    let bytes = app.len() + ROUTE.len();
    let alnum = link_chars(app, payload) - bytes;
    (4 + 16 + 8 * bytes) + (4 + 11 + 11 * (alnum / 2) + 6 * (alnum % 2))
}

/// True when the link for a payload of `payload` bytes fits the QR code the
/// app draws ([`QR_VERSION`] at level M).
pub fn fits_qr(app: &str, payload: usize) -> bool {
    qr_bits(app, payload) <= QR_DATA_BITS
}

/// `sent` with as many of its stays, soonest first, as fit one QR code for
/// a link to `app`, its payload, and how many later stays were left out.
pub fn fit(mut sent: SentStays, app: &str) -> (SentStays, Vec<u8>, usize) {
    let all = sent.stays.len();
    let mut payload = sent.to_payload();
    if fits_qr(app, payload.len()) {
        return (sent, payload, 0);
    }
    // The most stays that fit: payloads grow with every stay added.
    let (mut fits, mut too_many) = (0, all);
    while too_many - fits > 1 {
        let mid = (fits + too_many) / 2;
        let mut trial = sent.clone();
        trial.stays.truncate(mid);
        if fits_qr(app, trial.to_payload().len()) {
            fits = mid;
        } else {
            too_many = mid;
        }
    }
    sent.stays.truncate(fits);
    payload = sent.to_payload();
    (sent, payload, all - fits)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn meg() -> RecordId {
        "7d0c6a4e-8b1f-4c3e-9a2d-5f6e7a8b9c0d".parse().unwrap()
    }

    fn made() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 3, 14, 15, 0).unwrap()
    }

    const APP: &str = "https://hearth.example.org/";

    fn stay(
        person: RecordId,
        arrival: NaiveDate,
        nights: i64,
        status: StayStatus,
        notes: &str,
    ) -> PlannedStay {
        PlannedStayDraft {
            person_id: person.to_string(),
            arrival: crate::dates::form_date(arrival),
            departure: crate::dates::form_date(arrival + chrono::Duration::days(nights)),
            arrival_time: "17:30".into(),
            departure_time: "10:00".into(),
            status: Some(status),
            notes_for_person: notes.into(),
            host: "Ann and Dev".into(),
        }
        .validate()
        .unwrap()
    }

    /// Short notes such as a carer writes for a person, one per stay.
    const NOTES: [&str; 8] = [
        "Bring your swimming things.",
        "Football on Saturday!",
        "Pack your blue jumper, it is cold.",
        "We are going to the seaside.",
        "Bring your tablet charger.",
        "Your friend Sam is visiting on Sunday.",
        "Film night: you choose.",
        "",
    ];

    /// A year of weekly stays from `today`, two nights each, with short notes.
    fn year_of_weekly_stays(today: NaiveDate) -> Vec<PlannedStay> {
        (0..52)
            .map(|week| {
                let status = if week < 8 {
                    StayStatus::Confirmed
                } else {
                    StayStatus::Planned
                };
                stay(
                    meg(),
                    today + chrono::Duration::weeks(week),
                    2,
                    status,
                    NOTES[week as usize % NOTES.len()],
                )
            })
            .collect()
    }

    fn sent(stays: Vec<PlannedStay>) -> SentStays {
        SentStays::for_person(
            meg(),
            " Meg ",
            "Ann and Dev",
            Some("07700 900123"),
            stays,
            d(2026, 12, 3),
            made(),
        )
    }

    #[test]
    fn a_link_carries_only_this_persons_stays_still_to_come_cancelled_ones_too_soonest_first() {
        let other = RecordId::from_random_bytes([9; 16]);
        let stays = vec![
            stay(
                meg(),
                d(2027, 1, 8),
                2,
                StayStatus::Planned,
                "Bring your swimming things.",
            ),
            stay(meg(), d(2026, 11, 20), 2, StayStatus::Confirmed, "Over"),
            stay(
                other,
                d(2026, 12, 10),
                2,
                StayStatus::Confirmed,
                "Not Meg's",
            ),
            stay(meg(), d(2026, 12, 12), 3, StayStatus::Cancelled, ""),
            stay(
                meg(),
                d(2026, 12, 2),
                2,
                StayStatus::Confirmed,
                "Going on now",
            ),
        ];
        let sent = sent(stays);
        assert_eq!(sent.name, "Meg");
        let arrivals: Vec<NaiveDate> = sent.stays.iter().map(PlannedStay::arrival).collect();
        assert_eq!(arrivals, [d(2026, 12, 2), d(2026, 12, 12), d(2027, 1, 8)]);
        assert_eq!(sent.stays[1].status(), StayStatus::Cancelled);
        // On the person's phone, later, past stays drop off by themselves.
        let later: Vec<NaiveDate> = sent
            .upcoming(d(2026, 12, 20))
            .iter()
            .map(|s| s.arrival())
            .collect();
        assert_eq!(later, [d(2027, 1, 8)]);
    }

    #[test]
    fn the_payload_round_trips_every_field() {
        let mut stays = year_of_weekly_stays(d(2026, 12, 3));
        let mut other_host = PlannedStayDraft::from_stay(&stays[3]);
        other_host.host = "Pat's".into();
        other_host.arrival_time.clear();
        stays[3] = other_host.validate().unwrap();
        let sent = sent(stays);
        let back = SentStays::from_payload(FORMAT, &sent.to_payload()).unwrap();
        assert_eq!(back, sent);
        assert_eq!(
            back.stays[3].with_host(),
            format!("at {}", crate::bidi::isolate("Pat's"))
        );
        let no_phone = SentStays {
            phone: None,
            ..sent
        };
        assert_eq!(
            SentStays::from_payload(FORMAT, &no_phone.to_payload()).unwrap(),
            no_phone
        );
    }

    #[test]
    fn a_link_reads_back_to_its_parts() {
        let sealed = vec![7u8; 40];
        let key = [3u8; KEY_BYTES];
        let text = link(APP, &sealed, &key);
        assert!(
            text.starts_with("https://hearth.example.org/#/follow/"),
            "{text}"
        );
        let data = text.split_once(ROUTE).unwrap().1;
        assert!(
            data.chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '.'),
            "only characters a QR code holds in alphanumeric mode: {data}"
        );
        assert_eq!(text.len(), link_chars(APP, sealed.len() - TAG_BYTES));
        let back = read_link(data).unwrap();
        assert_eq!(
            back,
            Sealed {
                format: FORMAT,
                sealed,
                key: key.to_vec()
            }
        );
        // The key is last, so a link cut short has none.
        let cut = &data[..data.len() - 5];
        assert_eq!(read_link(cut), Err(LinkError::Damaged));
        assert_eq!(
            read_link(data.split_once('.').unwrap().0),
            Err(LinkError::Damaged)
        );
    }

    #[test]
    fn a_link_from_a_newer_hearth_asks_for_an_update_and_format_zero_is_damaged() {
        let b32 = &data_encoding::BASE32_NOPAD;
        let key = b32.encode(&[1; KEY_BYTES]);
        let newer = format!(
            "{}.{key}",
            b32.encode(&[[FORMAT + 1].as_slice(), &[5; 40]].concat())
        );
        assert_eq!(read_link(&newer), Err(LinkError::Newer));
        assert_eq!(
            SentStays::from_payload(FORMAT + 1, b"anything"),
            Err(LinkError::Newer)
        );
        let zero = format!("{}.{key}", b32.encode(&[[0].as_slice(), &[5; 40]].concat()));
        assert_eq!(read_link(&zero), Err(LinkError::Damaged));
        assert_eq!(
            LinkError::Newer.to_string(),
            "This link was made by a newer Hearth. Update Hearth to open this link."
        );
    }

    /// A link made by the first format, pinned: every later Hearth opens it.
    #[test]
    fn a_format_1_payload_still_opens() {
        let json = r#"{"m":1796307300000,"p":"7d0c6a4e-8b1f-4c3e-9a2d-5f6e7a8b9c0d","n":"Meg","h":"Ann and Dev","t":"07700 900123","s":[{"a":"2026-12-05","d":"2026-12-07","at":"17:30","dt":"10:00","s":"c","o":"Bring your swimming things."},{"a":"2026-12-19","d":"2026-12-20","s":"x","w":"Pat"}]}"#;
        let payload = miniz_oxide::deflate::compress_to_vec(json.as_bytes(), 6);
        let sent = SentStays::from_payload(1, &payload).unwrap();
        assert_eq!(sent.made, made());
        assert_eq!(
            (sent.name.as_str(), sent.household.as_str()),
            ("Meg", "Ann and Dev")
        );
        assert_eq!(sent.phone.as_deref(), Some("07700 900123"));
        assert_eq!(sent.stays.len(), 2);
        assert_eq!(
            sent.stays[0].notes_for_person(),
            "Bring your swimming things."
        );
        assert_eq!(sent.stays[1].status(), StayStatus::Cancelled);
        assert_eq!(sent.stays[1].host(), "Pat");
        assert_eq!(sent.stays[1].arrival_time(), None);
    }

    fn deflated(json: &str) -> Vec<u8> {
        miniz_oxide::deflate::compress_to_vec(json.as_bytes(), 6)
    }

    #[test]
    fn damaged_truncated_oversized_and_hostile_payloads_are_refused_with_one_message() {
        let good = sent(year_of_weekly_stays(d(2026, 12, 3))).to_payload();
        let damaged = |payload: &[u8]| SentStays::from_payload(FORMAT, payload);
        assert_eq!(
            damaged(&good[..good.len() / 2]),
            Err(LinkError::Damaged),
            "truncated"
        );
        assert_eq!(damaged(b""), Err(LinkError::Damaged));
        assert_eq!(damaged(b"not deflate at all"), Err(LinkError::Damaged));
        // Deep nesting, unknown fields, wrong types.
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert_eq!(damaged(&deflated(&deep)), Err(LinkError::Damaged));
        let stay = r#"{"a":"2026-12-05","d":"2026-12-07","s":"c"}"#;
        let with = |stays: &str, extra: &str| {
            format!(
                r#"{{"m":1796307300000,"p":"7d0c6a4e-8b1f-4c3e-9a2d-5f6e7a8b9c0d","n":"Meg","h":"Ann"{extra},"s":[{stays}]}}"#
            )
        };
        assert!(damaged(&deflated(&with(stay, ""))).is_ok());
        assert_eq!(
            damaged(&deflated(&with(stay, r#","x":1"#))),
            Err(LinkError::Damaged)
        );
        assert_eq!(
            damaged(&deflated(&with(stay, r#","t":"call me <script>"#))),
            Err(LinkError::Damaged)
        );
        for bad in [
            r#"{"a":"2026-12-07","d":"2026-12-05","s":"c"}"#,
            r#"{"a":"2026-13-05","d":"2026-12-07","s":"c"}"#,
            r#"{"a":"2026-12-05","d":"2026-12-07","s":"q"}"#,
            r#"{"a":"2026-12-05","d":"2026-12-07","at":"25:00","s":"c"}"#,
            r#"{"a":"2026-12-05","d":"2026-12-07","s":"c","o":{"deep":[1]}}"#,
        ] {
            assert_eq!(
                damaged(&deflated(&with(bad, ""))),
                Err(LinkError::Damaged),
                "{bad}"
            );
        }
        let long_note = format!(
            r#"{{"a":"2026-12-05","d":"2026-12-07","s":"c","o":"{}"}}"#,
            "x".repeat(1001)
        );
        assert_eq!(
            damaged(&deflated(&with(&long_note, ""))),
            Err(LinkError::Damaged)
        );
        // 10,000 stays.
        let many = vec![stay; 10_000].join(",");
        assert_eq!(
            damaged(&deflated(&with(&many, ""))),
            Err(LinkError::Damaged)
        );
        // A payload that inflates past the limit.
        let bomb = deflated(&" ".repeat(MAX_PAYLOAD_BYTES + 1));
        assert!(bomb.len() < 2_000);
        assert_eq!(damaged(&bomb), Err(LinkError::Damaged));
        // A link too long to be one Hearth made.
        assert_eq!(
            read_link(&"A".repeat(MAX_DATA_CHARS + 1)),
            Err(LinkError::Damaged)
        );
        assert_eq!(read_link("not base 32!.AAAA"), Err(LinkError::Damaged));
    }

    #[test]
    fn script_in_a_note_is_carried_as_plain_text() {
        let script = "<script>alert(1)</script><img src=x onerror=alert(2)>";
        let sent = sent(vec![stay(
            meg(),
            d(2026, 12, 5),
            2,
            StayStatus::Confirmed,
            script,
        )]);
        let back = SentStays::from_payload(FORMAT, &sent.to_payload()).unwrap();
        assert_eq!(
            back.stays[0].notes_for_person(),
            script,
            "text, for the screen to show as text"
        );
    }

    #[test]
    fn a_newer_link_replaces_an_older_one_never_the_other_way() {
        let older = sent(vec![]);
        let newer = SentStays {
            made: made() + chrono::Duration::minutes(5),
            ..older.clone()
        };
        assert!(newer.replaces(&older));
        assert!(!older.replaces(&newer));
        assert!(
            !older.replaces(&older.clone()),
            "the same link again changes nothing"
        );
    }

    #[test]
    fn a_phone_number_is_digits_with_spaces_or_plus() {
        assert_eq!(phone_number(" 07700 900123 ").unwrap(), "07700 900123");
        assert_eq!(
            phone_number("+44 (0)7700-900123").unwrap(),
            "+44 (0)7700-900123"
        );
        assert!(phone_number("").is_err());
        assert!(phone_number("ring me").is_err());
        assert!(phone_number("12").is_err());
        assert!(phone_number(&"1".repeat(25)).is_err());
    }

    #[test]
    fn a_year_of_weekly_stays_with_short_notes_fits_one_qr_code() {
        let (fitted, payload, left_out) = fit(sent(year_of_weekly_stays(d(2026, 12, 3))), APP);
        assert_eq!(
            (fitted.stays.len(), left_out),
            (52, 0),
            "payload {} bytes",
            payload.len()
        );
    }

    #[test]
    fn past_one_qr_code_the_nearest_stays_go_and_the_rest_are_counted() {
        let long = "A longer note for the person about what is happening on this stay, written out in full.";
        let stays: Vec<PlannedStay> = (0..120)
            .map(|n| {
                stay(
                    meg(),
                    d(2026, 12, 3) + chrono::Duration::days(3 * n),
                    2,
                    StayStatus::Planned,
                    &format!("{long} Stay {n}."),
                )
            })
            .collect();
        let (fitted, payload, left_out) = fit(sent(stays.clone()), APP);
        assert!(
            left_out > 0 && fitted.stays.len() + left_out == 120,
            "{left_out}"
        );
        assert_eq!(
            fitted.stays[..],
            stays[..fitted.stays.len()],
            "the soonest are kept"
        );
        assert!(fits_qr(APP, payload.len()));
        let mut one_more = fitted.clone();
        one_more.stays = stays[..=fitted.stays.len()].to_vec();
        assert!(!fits_qr(APP, one_more.to_payload().len()), "as many as fit");
    }

    /// What core counts agrees with the QR encoder the app uses: the longest
    /// link core allows fits a version 25 code at level M, and core's count
    /// is within a few characters of the encoder's own limit.
    #[test]
    fn the_longest_link_core_allows_fits_the_qr_code_the_app_draws() {
        use qrcode::{EcLevel, QrCode, Version};
        let mut payload = 0;
        while fits_qr(APP, payload + 1) {
            payload += 1;
        }
        let sealed: Vec<u8> = (0..payload + TAG_BYTES)
            .map(|i| (i * 37 % 251) as u8)
            .collect();
        let at_most = link(APP, &sealed, &[0xa5; KEY_BYTES]);
        assert!(
            QrCode::with_version(at_most.as_bytes(), Version::Normal(QR_VERSION), EcLevel::M)
                .is_ok(),
            "{} characters",
            at_most.len()
        );
        let sealed: Vec<u8> = (0..payload + TAG_BYTES + 4)
            .map(|i| (i * 37 % 251) as u8)
            .collect();
        let over = link(APP, &sealed, &[0xa5; KEY_BYTES]);
        assert!(
            QrCode::with_version(over.as_bytes(), Version::Normal(QR_VERSION), EcLevel::M).is_err()
        );
        eprintln!(
            "QR version {QR_VERSION}, level M: a link to {APP} holds a payload of at most {payload} bytes ({} characters)",
            at_most.len()
        );
    }

    /// The figures the issue asks for (run with `--nocapture`).
    #[test]
    fn link_and_qr_sizes_for_1_12_and_52_stays() {
        use qrcode::{EcLevel, QrCode};
        let year = year_of_weekly_stays(d(2026, 12, 3));
        for n in [1, 12, 52] {
            let sent = sent(year[..n].to_vec());
            let payload = sent.to_payload();
            let text = link(APP, &vec![0x5a; payload.len() + TAG_BYTES], &[1; KEY_BYTES]);
            let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).unwrap();
            let version = match code.version() {
                qrcode::Version::Normal(v) => v,
                qrcode::Version::Micro(v) => v,
            };
            assert!(version <= QR_VERSION);
            eprintln!(
                "{n:>2} stays: payload {:>4} bytes, link {:>4} characters, QR version {version} ({} modules) at level M",
                payload.len(),
                text.len(),
                code.width()
            );
        }
    }

    mod fuzz {
        use super::*;
        use proptest::prelude::*;

        fn good_json() -> String {
            let payload = sent(year_of_weekly_stays(d(2026, 12, 3))[..6].to_vec()).to_payload();
            String::from_utf8(miniz_oxide::inflate::decompress_to_vec(&payload).unwrap()).unwrap()
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(3000))]

            /// Flipped, cut and inserted bytes in a good payload (deflated) or in
            /// its JSON: reading never panics, and whatever reads is a valid
            /// link that round-trips.
            #[test]
            fn mutated_payloads_never_panic(
                flips in proptest::collection::vec((any::<usize>(), any::<u8>()), 0..6),
                cut in any::<usize>(),
                in_json: bool,
            ) {
                let json = good_json().into_bytes();
                let mut bytes = if in_json { json } else { miniz_oxide::deflate::compress_to_vec(&json, 10) };
                for (at, byte) in flips {
                    let at = at % bytes.len();
                    bytes[at] ^= byte;
                }
                let keep = bytes.len() - cut % (bytes.len() / 4 + 1);
                bytes.truncate(keep);
                let payload = if in_json { miniz_oxide::deflate::compress_to_vec(&bytes, 6) } else { bytes };
                if let Ok(read) = SentStays::from_payload(FORMAT, &payload) {
                    prop_assert!(read.stays.len() <= MAX_STAYS);
                    prop_assert_eq!(SentStays::from_payload(FORMAT, &read.to_payload()).unwrap(), read);
                }
            }

            /// Any text after `#/follow/`: reading never panics, and only text
            /// in the link's own shape reads at all.
            #[test]
            fn any_link_text_never_panics(text in "\\PC{0,300}|[A-Z2-7]{30,200}\\.[A-Z2-7]{20,30}") {
                if let Ok(sealed) = read_link(&text) {
                    prop_assert_eq!(sealed.key.len(), KEY_BYTES);
                    prop_assert!(text.contains('.'));
                }
            }

            /// Any bytes at all as a payload.
            #[test]
            fn any_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400), format: u8) {
                let _ = SentStays::from_payload(format, &bytes);
            }
        }
    }
}
