//! CouchDB revision ids, made deterministically: the same document with the
//! same parent always gets the same `_rev`, on any phone.
//!
//! A rev is `N-<hash>`: N is the generation (the parent's plus one) and the
//! hash is the md5 of the canonical JSON of `{"deleted", "doc", "parent"}`, as
//! 32 lowercase hex characters (CouchDB decodes a 32-character hex id to its
//! 16 bytes and would hand uppercase back lowercased, which would then no
//! longer match). So a retried batch writes nothing new, and two phones that
//! make the same merge make the same rev.

use md5::{Digest, Md5};
use serde_json::Value;
use std::fmt::{self, Write as _};
use std::str::FromStr;

/// A CouchDB revision: generation and hash.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Rev {
    /// 1 for a document's first revision, one more for each child.
    pub generation: u64,
    /// The revision's id within its generation.
    pub hash: String,
}

impl Rev {
    /// The revision that follows `parent` (or a first one), holding `doc`.
    /// `deleted` is only for closing a losing branch of a conflict.
    pub fn next(parent: Option<&Rev>, deleted: bool, doc: &Value) -> Rev {
        Rev::of_canonical(parent, deleted, &canonical(doc))
    }

    /// [`Rev::next`] from the document's canonical JSON, when it is already
    /// made (for the document's sum too): the seed's canonical JSON is
    /// written around it, its members in their sorted order, without
    /// building or copying the document again.
    pub fn of_canonical(parent: Option<&Rev>, deleted: bool, doc: &str) -> Rev {
        let mut seed = String::with_capacity(doc.len() + 80);
        seed.push_str(if deleted {
            r#"{"deleted":true,"doc":"#
        } else {
            r#"{"deleted":false,"doc":"#
        });
        seed.push_str(doc);
        seed.push_str(r#","parent":"#);
        match parent {
            Some(p) => write_string(&p.to_string(), &mut seed),
            None => seed.push_str("null"),
        }
        seed.push('}');
        Rev {
            generation: parent.map_or(1, |p| p.generation.saturating_add(1)),
            hash: md5_hex(seed.as_bytes()),
        }
    }

    /// CouchDB's choice of the winning leaf among non-deleted leaves: the
    /// higher generation, then the larger hash (as text).
    pub fn wins_over(&self, other: &Rev) -> bool {
        (self.generation, &self.hash) > (other.generation, &other.hash)
    }
}

impl fmt::Display for Rev {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.generation, self.hash)
    }
}

/// Text that is not a revision id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a revision id")]
pub struct BadRev;

impl FromStr for Rev {
    type Err = BadRev;
    fn from_str(s: &str) -> Result<Self, BadRev> {
        let (generation, hash) = s.split_once('-').ok_or(BadRev)?;
        let generation: u64 = generation.parse().map_err(|_| BadRev)?;
        let plain = |c: char| c.is_ascii_alphanumeric();
        if generation == 0 || hash.is_empty() || hash.len() > 64 || !hash.chars().all(plain) {
            return Err(BadRev);
        }
        Ok(Rev {
            generation,
            hash: hash.to_string(),
        })
    }
}

/// md5 as 32 lowercase hex characters.
pub fn md5_hex(bytes: &[u8]) -> String {
    let digest = Md5::digest(bytes);
    let mut out = String::with_capacity(32);
    for b in digest {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// The canonical JSON of a value (RFC 8785 for the values Hearth writes,
/// which hold no fractions): no spaces, object members sorted by their
/// names' UTF-16 code units, strings escaped as ECMAScript's `JSON.stringify`
/// does. The same value always gives the same text, whatever order its
/// members were built in.
pub fn canonical(value: &Value) -> String {
    let mut out = String::new();
    write_canonical(value, &mut out);
    out
}

fn write_canonical(value: &Value, out: &mut String) {
    match value {
        Value::Null | Value::Bool(_) | Value::Number(_) => out.push_str(&value.to_string()),
        Value::String(s) => write_string(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        Value::Object(members) => {
            let mut names: Vec<&String> = members.keys().collect();
            names.sort_by(|a, b| a.encode_utf16().cmp(b.encode_utf16()));
            out.push('{');
            for (i, name) in names.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(name, out);
                out.push(':');
                write_canonical(&members[name.as_str()], out);
            }
            out.push('}');
        }
    }
}

fn write_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_first_revision_is_pinned() {
        // Golden: if this changes, every phone's revs change and a retried
        // push would write duplicates. Never change it.
        let doc = json!({"_id": "a1b2", "type": "note", "record": {"rev": 1, "text": "Walked to the park"}});
        let rev = Rev::next(None, false, &doc);
        assert_eq!(rev.to_string(), "1-771645b84bb6268aadff997f88da4910");
    }

    #[test]
    fn the_seed_written_around_the_document_is_its_canonical_json() {
        let doc = json!({"_id": "é\"x", "record": {"rev": 3, "text": "a\nb", "z": [1, null]}});
        let first = Rev::next(None, false, &doc);
        for (parent, deleted) in [(None, false), (Some(&first), false), (Some(&first), true)] {
            let seed =
                json!({"parent": parent.map(Rev::to_string), "deleted": deleted, "doc": doc});
            assert_eq!(
                Rev::of_canonical(parent, deleted, &canonical(&doc)).hash,
                md5_hex(canonical(&seed).as_bytes())
            );
        }
    }

    #[test]
    fn a_child_is_one_generation_on_and_depends_on_its_parent() {
        let doc = json!({"x": 1});
        let first = Rev::next(None, false, &doc);
        let child = Rev::next(Some(&first), false, &doc);
        assert_eq!(child.generation, 2);
        assert_ne!(child.hash, first.hash);
        assert_eq!(child, Rev::next(Some(&first), false, &doc), "deterministic");
        assert_ne!(
            child,
            Rev::next(Some(&first), true, &doc),
            "a close is its own rev"
        );
        assert_eq!(child.hash.len(), 32);
        assert!(child
            .hash
            .chars()
            .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c)));
    }

    #[test]
    fn canonical_json_sorts_members_and_escapes_like_javascript() {
        let a = json!({"b": [1, {"z": null, "a": true}], "a": "line\nquote\" \u{1} é"});
        assert_eq!(
            canonical(&a),
            r#"{"a":"line\nquote\" \u0001 é","b":[1,{"a":true,"z":null}]}"#
        );
        // Member order in the source doesn't matter.
        let b: Value =
            serde_json::from_str(r#"{"a":"line\nquote\" \u0001 é","b":[1,{"z":null,"a":true}]}"#)
                .unwrap();
        assert_eq!(canonical(&a), canonical(&b));
    }

    #[test]
    fn revs_parse_and_print_and_junk_is_refused() {
        let r: Rev = "12-0a1b".parse().unwrap();
        assert_eq!((r.generation, r.hash.as_str()), (12, "0a1b"));
        assert_eq!(r.to_string(), "12-0a1b");
        for junk in ["", "1", "0-ab", "x-ab", "1-", "1-a b", "-1-ab"] {
            assert_eq!(junk.parse::<Rev>(), Err(BadRev), "{junk:?}");
        }
    }

    #[test]
    fn the_winner_is_the_higher_generation_then_the_larger_hash() {
        let r = |s: &str| s.parse::<Rev>().unwrap();
        assert!(r("3-aa").wins_over(&r("2-ff")));
        assert!(r("2-ff").wins_over(&r("2-aa")));
        assert!(!r("2-aa").wins_over(&r("2-aa")));
    }
}
