//! Stable record identifiers.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use uuid::Uuid;

/// A record's stable identity: a random (version 4) UUID, made once on the phone
/// and never changed, so a record keeps its identity through amendments, backups,
/// restores and (one day) sync with a scheme's server.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RecordId(Uuid);

impl RecordId {
    /// Makes an id from 16 random bytes. Core reads no randomness itself; the
    /// caller supplies it (the browser's `crypto.getRandomValues`).
    pub fn from_random_bytes(bytes: [u8; 16]) -> Self {
        RecordId(uuid::Builder::from_random_bytes(bytes).into_uuid())
    }
}

impl fmt::Display for RecordId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.hyphenated().fmt(f)
    }
}

/// The text was not a UUID.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a record id")]
pub struct BadRecordId;

impl FromStr for RecordId {
    type Err = BadRecordId;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Uuid::parse_str(s.trim())
            .map(RecordId)
            .map_err(|_| BadRecordId)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_bytes_make_a_version_4_uuid_that_round_trips_through_text() {
        let id = RecordId::from_random_bytes([7; 16]);
        let text = id.to_string();
        assert_eq!(text.len(), 36);
        assert_eq!(&text[14..15], "4", "version nibble");
        assert_eq!(text.parse::<RecordId>().unwrap(), id);
        assert_eq!(serde_json::to_string(&id).unwrap(), format!("\"{text}\""));
    }

    #[test]
    fn junk_is_not_an_id() {
        assert_eq!("meg".parse::<RecordId>(), Err(BadRecordId));
        assert_eq!("".parse::<RecordId>(), Err(BadRecordId));
    }
}
