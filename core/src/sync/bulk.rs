//! Batches and the answers of `_bulk_docs`.
//!
//! With `new_edits: false`, CouchDB 3 answers with only the rows that failed
//! (an empty array when every document was stored); other servers, PouchDB's
//! among them, answer with a row per document. Both read the same here.
//! A `forbidden` or `unauthorized` row is final (the scheme's rules refused
//! the document): it is shown and not sent again until the record changes.

use serde_json::Value;

/// The most documents sent in one request.
pub const MAX_DOCS: usize = 100;
/// About the most bytes sent in one request (documents' JSON).
pub const MAX_BYTES: usize = 1024 * 1024;

/// A document the server did not store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failed {
    /// The document's id.
    pub id: String,
    /// CouchDB's error name, such as `forbidden`.
    pub error: String,
    /// Its reason, as the server gave it (cut short).
    pub reason: String,
}

impl Failed {
    /// True when sending it again won't help: the server's rules refused it.
    pub fn is_final(&self) -> bool {
        matches!(self.error.as_str(), "forbidden" | "unauthorized")
    }
}

/// The failed rows of a `_bulk_docs` answer, in either shape; `None` when
/// the answer is not a `_bulk_docs` answer at all.
pub fn failures(answer: &Value) -> Option<Vec<Failed>> {
    let rows = answer.as_array()?;
    Some(
        rows.iter()
            .filter_map(|row| {
                let error = row.get("error").and_then(Value::as_str)?;
                let text = |name: &str| {
                    row.get(name)
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .chars()
                        .take(300)
                        .collect::<String>()
                };
                Some(Failed {
                    id: text("id"),
                    error: error.to_string(),
                    reason: text("reason"),
                })
            })
            .collect(),
    )
}

/// Splits documents (each with its JSON size in bytes) into requests of at
/// most `max_docs` documents and about `max_bytes`: a document bigger than
/// `max_bytes` goes alone. Order is kept.
pub fn batches<T>(docs: Vec<(T, usize)>, max_docs: usize, max_bytes: usize) -> Vec<Vec<T>> {
    let max_docs = max_docs.max(1);
    let mut out: Vec<Vec<T>> = Vec::new();
    let mut current: Vec<T> = Vec::new();
    let mut bytes = 0;
    for (doc, size) in docs {
        if !current.is_empty() && (current.len() >= max_docs || bytes + size > max_bytes) {
            out.push(std::mem::take(&mut current));
            bytes = 0;
        }
        bytes += size;
        current.push(doc);
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// What to do after a `413 Request Entity Too Large` for a batch of `len`
/// documents: send it again as two halves, or, for one document, give up on
/// that document (the server won't take it at any size).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TooLarge {
    /// Send `0..at` and `at..len` separately.
    Halve {
        /// Where the batch splits.
        at: usize,
    },
    /// The one document is too big for the server.
    GiveUp,
}

/// See [`TooLarge`].
pub fn too_large(len: usize) -> TooLarge {
    if len <= 1 {
        TooLarge::GiveUp
    } else {
        TooLarge::Halve { at: len / 2 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn couchdb_3_answers_only_failures_and_an_empty_answer_is_success() {
        assert_eq!(failures(&json!([])), Some(vec![]));
        let answer =
            json!([{"id": "a", "rev": "1-x", "error": "forbidden", "reason": "Not your record"}]);
        let failed = failures(&answer).unwrap();
        assert_eq!(failed.len(), 1);
        assert_eq!(failed[0].id, "a");
        assert!(failed[0].is_final());
    }

    #[test]
    fn a_row_per_document_is_read_the_same() {
        let answer = json!([
            {"ok": true, "id": "a", "rev": "1-x"},
            {"id": "b", "rev": "1-y"},
            {"id": "c", "error": "unknown_error", "reason": "disk"},
        ]);
        let failed = failures(&answer).unwrap();
        assert_eq!(failed.len(), 1);
        assert_eq!((failed[0].id.as_str(), failed[0].is_final()), ("c", false));
        assert_eq!(failures(&json!({"error": "bad_request"})), None);
    }

    #[test]
    fn batches_hold_at_most_so_many_documents_and_about_so_many_bytes() {
        let docs: Vec<(u32, usize)> = (0..250).map(|i| (i, 10)).collect();
        let b = batches(docs, 100, 1_000_000);
        assert_eq!(b.iter().map(Vec::len).collect::<Vec<_>>(), [100, 100, 50]);
        let docs = vec![(1, 600), (2, 600), (3, 5000), (4, 10)];
        let b = batches(docs, 100, 1000);
        assert_eq!(b, vec![vec![1], vec![2], vec![3], vec![4]]);
    }

    #[test]
    fn too_large_halves_down_to_one_document_then_gives_up() {
        assert_eq!(too_large(100), TooLarge::Halve { at: 50 });
        assert_eq!(too_large(3), TooLarge::Halve { at: 1 });
        assert_eq!(too_large(1), TooLarge::GiveUp);
    }
}
