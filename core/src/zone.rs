//! The phone's time zone, as core sees it.
//!
//! Core reads no clock and knows no zone database. The browser knows the phone's
//! zone (including the clocks changing), so it implements [`LocalZone`]; tests use
//! [`FixedZone`] or their own rules.

use chrono::{DateTime, FixedOffset, NaiveDateTime, Utc};

/// Turns wall-clock times into instants and back, for one place.
pub trait LocalZone {
    /// The offset from UTC that holds at this instant.
    fn offset_at(&self, instant: DateTime<Utc>) -> FixedOffset;

    /// The offset for a wall-clock time written by the carer. For a time the
    /// clocks skip (spring forward) or repeat (fall back), any nearby offset is fine.
    fn offset_for_local(&self, local: NaiveDateTime) -> FixedOffset;

    /// The instant as wall-clock time here.
    fn to_local(&self, instant: DateTime<Utc>) -> DateTime<FixedOffset> {
        instant.with_timezone(&self.offset_at(instant))
    }

    /// The wall-clock time as an instant that remembers its offset.
    fn resolve(&self, local: NaiveDateTime) -> DateTime<FixedOffset> {
        let offset = self.offset_for_local(local);
        local
            .and_local_timezone(offset)
            .single()
            .expect("a fixed offset maps every local time to one instant")
    }
}

/// A zone whose offset never changes (UTC, or any fixed offset).
#[derive(Debug, Clone, Copy)]
pub struct FixedZone(pub FixedOffset);

impl FixedZone {
    /// UTC, as used by tests.
    pub fn utc() -> Self {
        FixedZone(FixedOffset::east_opt(0).expect("zero is a valid offset"))
    }
}

impl LocalZone for FixedZone {
    fn offset_at(&self, _: DateTime<Utc>) -> FixedOffset {
        self.0
    }
    fn offset_for_local(&self, _: NaiveDateTime) -> FixedOffset {
        self.0
    }
}
