//! Sync with the scheme's CouchDB, over CouchDB's replication protocol.
//!
//! - [`rev`]: deterministic `_rev` ids and canonical JSON.
//! - [`doc`]: a record as a CouchDB document and back (checked like a
//!   restored backup).
//! - [`checkpoint`]: `_local` checkpoints on both sides, opaque sequences.
//! - [`bulk`]: batches, both shapes of `_bulk_docs` answers, 413 halving.
//! - [`engine`]: the replicator itself, over a [`engine::Local`] and a
//!   [`engine::Remote`]; no I/O of its own.

pub mod bulk;
pub mod checkpoint;
pub mod doc;
pub mod engine;
pub mod rev;

pub use doc::{AnyRecord, Refused};
pub use engine::{
    sync, Answer, Local, Method, Options, Remote, Report, SyncError, SyncMeta, Unreachable,
};
