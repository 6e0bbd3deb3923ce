//! Replication checkpoints, kept in `_local` documents on both sides.
//!
//! A checkpoint records how far one replication got: the source's sequence
//! after the last batch stored. Each side keeps a copy with a history of
//! sessions; a replication starts from the newest session both sides share,
//! so a server restored from an old backup (its checkpoint gone or older)
//! gets everything again, which `_revs_diff` keeps cheap. Sequences are
//! opaque: integers on one server, strings on CouchDB 3, never compared.

use super::rev::md5_hex;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// How many earlier sessions a checkpoint remembers.
pub const HISTORY: usize = 20;

/// Which way a replication goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// This phone to the server.
    Push,
    /// The server to this phone.
    Pull,
}

/// The replication's id: unique to this phone, this database and this
/// direction (and the version of what is replicated).
pub fn replication_id(install: &str, database_url: &str, direction: Direction) -> String {
    let way = match direction {
        Direction::Push => "push",
        Direction::Pull => "pull",
    };
    md5_hex(format!("hearth-1|{install}|{database_url}|{way}").as_bytes())
}

/// One session's end point.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    /// The session.
    pub session_id: String,
    /// The source's sequence when it was recorded.
    pub recorded_seq: Value,
}

/// A checkpoint document's content (without `_id` and `_rev`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Checkpoint {
    /// The latest session.
    pub session_id: String,
    /// The source's sequence after the last stored batch.
    pub source_last_seq: Value,
    /// Sessions, newest first, the latest included.
    #[serde(default)]
    pub history: Vec<Session>,
}

impl Checkpoint {
    /// The checkpoint after a batch of `session` stored up to `seq`, carrying
    /// on from `earlier`.
    pub fn after(earlier: Option<&Checkpoint>, session: &str, seq: Value) -> Checkpoint {
        let mut history = vec![Session {
            session_id: session.to_string(),
            recorded_seq: seq.clone(),
        }];
        if let Some(earlier) = earlier {
            history.extend(
                earlier
                    .history
                    .iter()
                    .filter(|s| s.session_id != session)
                    .take(HISTORY - 1)
                    .cloned(),
            );
        }
        Checkpoint {
            session_id: session.to_string(),
            source_last_seq: seq,
            history,
        }
    }

    /// Reads a `_local` document; anything unreadable counts as none.
    pub fn from_json(doc: &Value) -> Option<Checkpoint> {
        serde_json::from_value(doc.clone()).ok()
    }
}

/// Where a replication starts: the newest session both checkpoints share,
/// or `None` (from the very start) when they share none or one is missing.
pub fn start_from(local: Option<&Checkpoint>, remote: Option<&Checkpoint>) -> Option<Value> {
    let (local, remote) = (local?, remote?);
    if local.session_id == remote.session_id {
        return Some(local.source_last_seq.clone());
    }
    let theirs =
        |id: &str| remote.session_id == id || remote.history.iter().any(|s| s.session_id == id);
    local
        .history
        .iter()
        .find(|s| theirs(&s.session_id))
        .map(|s| s.recorded_seq.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_same_session_on_both_sides_carries_on_from_its_sequence() {
        let a = Checkpoint::after(None, "s1", json!(40));
        assert_eq!(start_from(Some(&a), Some(&a.clone())), Some(json!(40)));
        let b = Checkpoint::after(Some(&a), "s2", json!("57-g1AAAA"));
        assert_eq!(
            start_from(Some(&b), Some(&b)),
            Some(json!("57-g1AAAA")),
            "opaque sequences pass through"
        );
    }

    #[test]
    fn a_missing_checkpoint_on_either_side_starts_again() {
        let a = Checkpoint::after(None, "s1", json!(40));
        assert_eq!(start_from(Some(&a), None), None);
        assert_eq!(start_from(None, Some(&a)), None);
    }

    #[test]
    fn an_older_server_checkpoint_starts_from_the_newest_shared_session() {
        let s1 = Checkpoint::after(None, "s1", json!(10));
        let s2 = Checkpoint::after(Some(&s1), "s2", json!(20));
        let s3 = Checkpoint::after(Some(&s2), "s3", json!(30));
        // The server was restored from a backup taken after session 1.
        assert_eq!(start_from(Some(&s3), Some(&s1)), Some(json!(10)));
        // It knows nothing this phone did.
        let other = Checkpoint::after(None, "x", json!(99));
        assert_eq!(start_from(Some(&s3), Some(&other)), None);
    }

    #[test]
    fn history_is_newest_first_and_bounded() {
        let mut cp = Checkpoint::after(None, "s0", json!(0));
        for i in 1..50 {
            cp = Checkpoint::after(Some(&cp), &format!("s{i}"), json!(i));
        }
        assert_eq!(cp.history.len(), HISTORY);
        assert_eq!(cp.history[0].session_id, "s49");
        assert_eq!(
            Checkpoint::from_json(&serde_json::to_value(&cp).unwrap()),
            Some(cp)
        );
    }

    #[test]
    fn replication_ids_differ_by_direction_database_and_phone() {
        let push = replication_id("phone-1", "https://s/db", Direction::Push);
        assert_ne!(
            push,
            replication_id("phone-1", "https://s/db", Direction::Pull)
        );
        assert_ne!(
            push,
            replication_id("phone-2", "https://s/db", Direction::Push)
        );
        assert_ne!(
            push,
            replication_id("phone-1", "https://s/other", Direction::Push)
        );
        assert_eq!(push.len(), 32);
    }
}
