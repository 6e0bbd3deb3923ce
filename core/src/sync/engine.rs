//! The replicator: push, then pull (resolving conflicts), then push again,
//! a batch at a time, with checkpoints on both sides after each stored batch.
//!
//! It does no I/O itself: the phone's storage is a [`Local`], the server a
//! [`Remote`] (the browser's `fetch` in the app; a fake CouchDB 3 and a real
//! pouchdb-server in the tests). It never holds more than a batch of records.

use super::bulk::{self, Failed, TooLarge};
use super::checkpoint::{replication_id, start_from, Checkpoint, Direction};
use super::doc::{
    content_sum, from_doc, to_doc, AnyRecord, FromDoc, Pulled, Refused, DEVICE_STATUS,
};
use super::rev::{canonical, md5_hex, Rev};
use crate::id::RecordId;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use std::collections::{HashMap, HashSet};

/// How many ancestors of a revision a phone keeps and sends (`_revisions`).
pub const REVS_KEPT: usize = 100;

/// A checkpoint is written after this many stored batches, and after the
/// last: as CouchDB's own replicator checkpoints on an interval, not after
/// every batch. A sync stopped part-way offers at most this many batches
/// again, which `_revs_diff` (push) and the known leaves (pull) make cheap.
pub const CHECKPOINT_EVERY: usize = 5;

/// The id prefix of each phone's status document.
pub const STATUS_PREFIX: &str = "hearth-status-";

/// An HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// GET.
    Get,
    /// POST.
    Post,
    /// PUT.
    Put,
    /// DELETE (signing out: `DELETE /_session`).
    Delete,
}

/// A server's answer: the status and the JSON body (`null` if none).
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// The HTTP status.
    pub status: u16,
    /// The body as JSON.
    pub body: Value,
}

/// The server could not be reached (no signal, a timeout, a refused
/// connection); the detail is for the log, not the carer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreachable(pub String);

/// The scheme's database, as seen from the phone.
#[allow(async_fn_in_trait)]
pub trait Remote {
    /// Sends one request. `path` is relative to the database's URL: `""` for
    /// the database itself, `"_changes?since=0"`, `"_local/abc"`.
    async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<Answer, Unreachable>;
}

/// What the phone knows of a record's life on the server. Kept beside each
/// record on the phone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncMeta {
    /// The CouchDB revision that holds this content (or the last one it
    /// came from, when the record has changed since: see `sum`).
    pub rev: String,
    /// The revision's ancestry, newest first, its own hash first.
    pub revs: Vec<String>,
    /// [`content_sum`] of the document `rev` holds: when the record's
    /// document no longer has this sum, it has changed since.
    pub sum: String,
    /// The CouchDB user who first sent it.
    pub carer: String,
    /// True once the server is known to hold `rev`.
    #[serde(default)]
    pub on_server: bool,
    /// Why the server refused this content, if it did; not sent again until
    /// the record changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refused: Option<String>,
}

/// A record on the phone that changed at local sequence `seq`.
#[derive(Debug, Clone, PartialEq)]
pub struct LocalChange {
    /// The phone's own change sequence (ascending).
    pub seq: u64,
    /// The record as stored now.
    pub record: AnyRecord,
    /// Its sync state, if it has been synced before.
    pub meta: Option<SyncMeta>,
}

/// A pulled record for the phone to store.
#[derive(Debug, Clone, PartialEq)]
pub struct ToStore {
    /// The record as it should be on the phone.
    pub record: AnyRecord,
    /// Its sync state.
    pub meta: SyncMeta,
    /// The Hearth revision the phone's copy had when it was read (`None`:
    /// the phone had none, or wasn't asked). If it has moved on, the phone
    /// writes nothing and hands the record back (see [`StoreReport::moved`]).
    pub expected: Option<u32>,
    /// True when the record differs from the server's copy (the phone had
    /// changes of its own): it must be pushed, so it counts as a change.
    pub changed: bool,
}

/// What the phone did with a batch of pulled records.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StoreReport {
    /// How many it wrote.
    pub written: usize,
    /// Those it left because its copy is no longer the one the sync read (a
    /// carer saved it meanwhile, or this pull stored it already): the sync
    /// brings each together with that copy and stores it again.
    pub moved: Vec<ToStore>,
}

/// The phone's storage, as the replicator needs it.
#[allow(async_fn_in_trait)]
pub trait Local {
    /// Up to `limit` records changed after `since`, oldest change first.
    async fn changes(&self, since: u64, limit: usize) -> Result<Vec<LocalChange>, String>;
    /// The phone's copies of these records (each id with its kind,
    /// [`AnyRecord::kind`]), with their sync state.
    async fn current(
        &self,
        records: &[(RecordId, &'static str)],
    ) -> Result<Vec<(AnyRecord, Option<SyncMeta>)>, String>;
    /// The sync state of those of these records the phone has synced
    /// before (cheaper than [`Local::current`]: no record is read).
    async fn metas(&self, ids: &[RecordId]) -> Result<Vec<(RecordId, SyncMeta)>, String>;
    /// Stores pulled records (see [`ToStore`]), each unless the phone's copy
    /// moved on since it was read.
    async fn store(&self, items: Vec<ToStore>) -> Result<StoreReport, String>;
    /// Records the sync state of pushed records (their local change
    /// sequence stays as it is).
    async fn set_meta(&self, metas: Vec<(RecordId, SyncMeta)>) -> Result<(), String>;
    /// A checkpoint kept on the phone.
    async fn checkpoint(&self, id: &str) -> Result<Option<Checkpoint>, String>;
    /// Keeps a checkpoint on the phone.
    async fn set_checkpoint(&self, id: &str, checkpoint: &Checkpoint) -> Result<(), String>;
    /// The sample people (never sent, nor anything about them).
    async fn sample_people(&self) -> Result<HashSet<RecordId>, String>;
    /// Whether the phone holds any record or sync state. A new phone's
    /// first pull then looks nothing up: it stores every record as new, and
    /// one the pull meets twice comes back as [`StoreReport::moved`].
    async fn holds_records(&self) -> Result<bool, String>;
}

/// What a sync needs to know.
#[derive(Debug, Clone)]
pub struct Options {
    /// The signed-in CouchDB user.
    pub user: String,
    /// This phone's install id.
    pub install: String,
    /// The database's URL (it names the replication).
    pub database_url: String,
    /// A new id for this sync run.
    pub session: String,
    /// The phone's clock.
    pub now: DateTime<Utc>,
    /// Documents per request (at most [`bulk::MAX_DOCS`]).
    pub batch: usize,
    /// About the most bytes per `_bulk_docs`.
    pub max_bytes: usize,
}

/// What a sync did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    /// Records sent to the server.
    pub sent: usize,
    /// Records stored on the phone from the server.
    pub received: usize,
    /// Conflicts resolved on the server.
    pub resolved: usize,
    /// Server documents refused as not valid Hearth records (never stored).
    pub refused: Vec<Refused>,
    /// Records the server's rules refused (not sent again until changed).
    pub rejected: Vec<Failed>,
}

/// Why a sync stopped. Whatever was stored before it stays; the next sync
/// carries on from the last checkpoint.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SyncError {
    /// 401: the session ended or the password changed.
    #[error("Hearth needs you to sign in again. Your records are safe on this phone and will be sent once you have.")]
    SignedOut,
    /// 403 on the database: this user is not one of its carers.
    #[error("Your user name isn't allowed to use this household's records. Ask your scheme to check that you are one of its carers.")]
    Forbidden,
    /// 404: the database isn't there.
    #[error("The scheme's server has no records for this household yet. Ask your scheme to set it up (check the address they gave you).")]
    NoDatabase,
    /// No signal, or the server did not answer in time.
    #[error("Couldn't reach your scheme's server. Your records are safe on this phone and will be sent when it can be reached.")]
    Unreachable(String),
    /// The server answered with an error.
    #[error("Your scheme's server had a problem ({0}). Hearth will try again later; your records are safe on this phone.")]
    Server(String),
    /// The phone's storage failed.
    #[error("{0}")]
    Local(String),
}

impl From<Unreachable> for SyncError {
    fn from(e: Unreachable) -> Self {
        SyncError::Unreachable(e.0)
    }
}

/// What the server is known to hold since this run's push: each record's
/// id and the revision sent (or found there), so the pull that follows skips
/// its own documents without reading their sync state. Bounded: past
/// [`HELD_MAX`] records, the rest are looked up as usual.
#[derive(Default)]
struct Held(HashMap<String, String>);

/// A document's leaves on the server are just `rev`: nothing to fetch.
fn only_leaf_is(revs: &[String], rev: &str) -> bool {
    matches!(revs, [only] if only == rev)
}

/// The most records [`Held`] remembers (about 0.1 KB each).
const HELD_MAX: usize = 5_000;

impl Held {
    fn note(&mut self, id: &RecordId, meta: &SyncMeta) {
        if meta.on_server && self.0.len() < HELD_MAX {
            self.0.insert(id.to_string(), meta.rev.clone());
        }
    }

    /// The server's only leaf of `doc_id` is the revision this run sent.
    fn has(&self, doc_id: &str, revs: &[String]) -> bool {
        self.0
            .get(doc_id)
            .is_some_and(|rev| only_leaf_is(revs, rev))
    }
}

/// One whole sync: push, pull, push again (what the pull resolved or
/// stored with changes of the phone's own).
pub async fn sync(
    remote: &impl Remote,
    local: &impl Local,
    options: &Options,
) -> Result<Report, SyncError> {
    let answer = remote.send(Method::Get, "", None).await?;
    check(&answer)?;
    let mut report = Report::default();
    let mut held = Held::default();
    push(remote, local, options, &mut report, &mut held).await?;
    pull(remote, local, options, &mut report, &held).await?;
    push(remote, local, options, &mut report, &mut Held::default()).await?;
    Ok(report)
}

/// The status a request answered, as a [`SyncError`] unless it succeeded.
fn check(answer: &Answer) -> Result<(), SyncError> {
    match answer.status {
        200..=299 => Ok(()),
        401 => Err(SyncError::SignedOut),
        403 => Err(SyncError::Forbidden),
        404 => Err(SyncError::NoDatabase),
        status => Err(SyncError::Server(format!(
            "{status} {}",
            reason(&answer.body)
        ))),
    }
}

fn reason(body: &Value) -> String {
    let text = |name| body.get(name).and_then(Value::as_str).unwrap_or_default();
    format!("{} {}", text("error"), text("reason"))
        .trim()
        .chars()
        .take(200)
        .collect()
}

fn local_err(e: String) -> SyncError {
    SyncError::Local(e)
}

/// A `_local` checkpoint on the server, with its `_rev` for the next write.
async fn remote_checkpoint(
    remote: &impl Remote,
    id: &str,
) -> Result<(Option<Checkpoint>, Option<String>), SyncError> {
    let answer = remote
        .send(Method::Get, &format!("_local/{id}"), None)
        .await?;
    if answer.status == 404 {
        return Ok((None, None));
    }
    check(&answer)?;
    let rev = answer
        .body
        .get("_rev")
        .and_then(Value::as_str)
        .map(str::to_string);
    Ok((Checkpoint::from_json(&answer.body), rev))
}

/// One direction's checkpoints: its id, the last one written, the server
/// copy's `_rev` for the next write, and the batches stored since.
struct Checkpoints {
    id: String,
    saved: Option<Checkpoint>,
    their_rev: Option<String>,
    unsaved: usize,
}

impl Checkpoints {
    /// Both sides' checkpoints, and where to start (`None`: from the very
    /// start).
    async fn open(
        remote: &impl Remote,
        local: &impl Local,
        o: &Options,
        direction: Direction,
    ) -> Result<(Checkpoints, Option<Value>), SyncError> {
        let id = replication_id(&o.install, &o.database_url, direction);
        let mine = local.checkpoint(&id).await.map_err(local_err)?;
        let (theirs, their_rev) = remote_checkpoint(remote, &id).await?;
        let start = start_from(mine.as_ref(), theirs.as_ref());
        let checkpoints = Checkpoints {
            id,
            saved: mine,
            their_rev,
            unsaved: 0,
        };
        Ok((checkpoints, start))
    }

    /// A batch up to `seq` is stored: checkpoints after every
    /// [`CHECKPOINT_EVERY`]th, and after the `last`.
    async fn stored(
        &mut self,
        remote: &impl Remote,
        local: &impl Local,
        o: &Options,
        seq: Value,
        last: bool,
    ) -> Result<(), SyncError> {
        self.unsaved += 1;
        if last || self.unsaved >= CHECKPOINT_EVERY {
            self.save(remote, local, o, seq).await?;
        }
        Ok(())
    }

    /// A pushed batch's sync state is written (see [`write_sent`]).
    async fn sent(
        &mut self,
        remote: &impl Remote,
        local: &impl Local,
        o: &Options,
        (seq, last): (u64, bool),
    ) -> Result<(), SyncError> {
        self.stored(remote, local, o, json!(seq), last).await
    }

    /// Writes what is stored up to `seq`, if not written yet.
    async fn finish(
        &mut self,
        remote: &impl Remote,
        local: &impl Local,
        o: &Options,
        seq: Value,
    ) -> Result<(), SyncError> {
        if self.unsaved > 0 {
            self.save(remote, local, o, seq).await?;
        }
        Ok(())
    }

    /// Writes a checkpoint on both sides, the server's first.
    async fn save(
        &mut self,
        remote: &impl Remote,
        local: &impl Local,
        o: &Options,
        seq: Value,
    ) -> Result<(), SyncError> {
        let next = Checkpoint::after(self.saved.as_ref(), &o.session, seq);
        let mut doc = serde_json::to_value(&next).unwrap_or(Value::Null);
        if let (Some(members), Some(rev)) = (doc.as_object_mut(), self.their_rev.as_ref()) {
            members.insert("_rev".into(), json!(rev));
        }
        let answer = remote
            .send(Method::Put, &format!("_local/{}", self.id), Some(&doc))
            .await?;
        check(&answer)?;
        self.their_rev = answer
            .body
            .get("rev")
            .and_then(Value::as_str)
            .map(str::to_string);
        local
            .set_checkpoint(&self.id, &next)
            .await
            .map_err(local_err)?;
        self.saved = Some(next);
        self.unsaved = 0;
        Ok(())
    }
}

/// A document with its `_rev` and `_revisions`.
fn with_revisions(mut content: Value, rev: &Rev, revs: &[String]) -> Value {
    if let Some(members) = content.as_object_mut() {
        members.insert("_rev".into(), json!(rev.to_string()));
        members.insert(
            "_revisions".into(),
            json!({"start": rev.generation, "ids": revs}),
        );
    }
    content
}

/// `[head] + rest`, at most [`REVS_KEPT`] long.
fn ancestry(head: &str, rest: &[String]) -> Vec<String> {
    std::iter::once(head.to_string())
        .chain(rest.iter().take(REVS_KEPT - 1).cloned())
        .collect()
}

struct Outgoing {
    id: RecordId,
    rev: Rev,
    doc: Value,
    /// The document's length as JSON (for the batch's size).
    bytes: usize,
    /// Never synced from this phone (no sync state).
    new: bool,
    meta: SyncMeta,
}

/// The length of a document as JSON whose content is `content_bytes` long,
/// with its `_rev` and `_revisions` (`,"_rev":"…"` and
/// `,"_revisions":{"start":…,"ids":[…]}`), without writing it out again.
fn doc_bytes(content_bytes: usize, rev: &Rev, revs: &[String]) -> usize {
    let ids: usize = revs.iter().map(|r| r.len() + 3).sum();
    content_bytes + 10 + rev.to_string().len() + 33 + rev.generation.to_string().len() + ids
}

async fn push(
    remote: &impl Remote,
    local: &impl Local,
    o: &Options,
    report: &mut Report,
    held: &mut Held,
) -> Result<(), SyncError> {
    let (mut checkpoints, start) = Checkpoints::open(remote, local, o, Direction::Push).await?;
    // No checkpoint both sides share: everything is offered again (a server
    // restored from an old backup gets back what it lost).
    let everything = start.is_none();
    let since = start.and_then(|s| s.as_u64()).unwrap_or(0);
    let samples = local.sample_people().await.map_err(local_err)?;
    // Whether the server is asked about records never synced from here
    // (`_revs_diff`): until a batch of ten or more of them all came back
    // missing, so the server is a new one or this phone's records since are
    // new to it, and the rest go without asking. A phone signing in again,
    // or carrying on after a sync cut off part-way, is asked about, so sends
    // nothing twice. (Sending a revision the server has is harmless, with
    // `new_edits: false`: asking saves the bytes.)
    let mut ask = Ask {
        everything,
        new_ones: true,
    };
    let mut batch = match read_and_offer(remote, local, o, &samples, ask, since).await? {
        Some(first) => first,
        None => return checkpoints.finish(remote, local, o, json!(since)).await,
    };
    let mut unwritten: Option<Sent> = None;
    let mut seq;
    loop {
        // While this batch's documents are on their way, the one before's
        // sync state is written (first, so a read after it sees it), and
        // the next batch is read and offered (`_revs_diff`), so the server
        // always has a request to work on.
        let write = async {
            match unwritten.take() {
                Some(before) => write_sent(local, before).await.map(Some),
                None => Ok(None),
            }
        };
        if batch.server_lacked_all {
            ask.new_ones = false;
        }
        let (last, full) = (batch.last, batch.full);
        seq = last;
        let ids = std::mem::take(&mut batch.ids);
        let next = async {
            if !full {
                return Ok::<Next, SyncError>(Next::End);
            }
            let changes = local.changes(last, o.batch).await.map_err(local_err)?;
            // A record changed again during the sync is in both: its sync
            // state was read before this batch's was written, so that is
            // written first and the batch read again (below).
            if changes.iter().any(|c| ids.contains(&c.record.id())) {
                return Ok(Next::ReadAgain);
            }
            Ok(match offer(remote, o, &samples, ask, changes).await? {
                Some(next) => Next::Offered(next),
                None => Next::End,
            })
        };
        let (written, sent, next) =
            futures::future::join3(write, post(remote, o, batch, report, held), next).await;
        if let Some(done) = written? {
            checkpoints.sent(remote, local, o, done).await?;
        }
        unwritten = Some(Sent {
            metas: sent?,
            seq: last,
            last: false,
        });
        batch = match next? {
            Next::Offered(next) => next,
            Next::End => break,
            Next::ReadAgain => {
                if let Some(before) = unwritten.take() {
                    let done = write_sent(local, before).await?;
                    checkpoints.sent(remote, local, o, done).await?;
                }
                match read_and_offer(remote, local, o, &samples, ask, last).await? {
                    Some(next) => next,
                    None => break,
                }
            }
        };
    }
    if let Some(mut before) = unwritten.take() {
        before.last = true;
        let done = write_sent(local, before).await?;
        checkpoints.sent(remote, local, o, done).await?;
    }
    checkpoints.finish(remote, local, o, json!(seq)).await
}

/// A batch of the phone's changes, offered to the server: what it lacks, and
/// what it has already.
struct Batch {
    to_send: Vec<Outgoing>,
    known: Vec<Outgoing>,
    /// The last change the batch holds.
    last: u64,
    /// A whole batch: more changes may follow.
    full: bool,
    ids: HashSet<RecordId>,
    /// The server lacked every never-synced record it was asked about (ten
    /// or more).
    server_lacked_all: bool,
}

/// What a push asks the server about before sending.
#[derive(Clone, Copy)]
struct Ask {
    /// No checkpoint both sides share: everything is offered again.
    everything: bool,
    /// Records never synced from this phone are asked about too.
    new_ones: bool,
}

/// What follows a batch.
enum Next {
    Offered(Batch),
    /// A record in it changed again: read once the batch's state is written.
    ReadAgain,
    End,
}

/// The phone's next batch of changes after `since`, offered (see [`offer`]).
async fn read_and_offer(
    remote: &impl Remote,
    local: &impl Local,
    o: &Options,
    samples: &HashSet<RecordId>,
    ask: Ask,
    since: u64,
) -> Result<Option<Batch>, SyncError> {
    let changes = local.changes(since, o.batch).await.map_err(local_err)?;
    offer(remote, o, samples, ask, changes).await
}

/// Changes read from the phone, as documents, offered to the server
/// (`_revs_diff`, for those `ask` says to ask about); `None` when there are
/// no changes.
async fn offer(
    remote: &impl Remote,
    o: &Options,
    samples: &HashSet<RecordId>,
    ask: Ask,
    changes: Vec<LocalChange>,
) -> Result<Option<Batch>, SyncError> {
    let Some(last) = changes.last().map(|c| c.seq) else {
        return Ok(None);
    };
    let full = changes.len() >= o.batch;
    let ids: HashSet<RecordId> = changes.iter().map(|c| c.record.id()).collect();
    let mut outgoing = Vec::new();
    for change in changes {
        if change.record.is_sample() || samples.contains(&change.record.person_id()) {
            continue;
        }
        if let Some(out) = outgoing_doc(change, &o.user, ask.everything) {
            outgoing.push(out);
        }
    }
    let (mut to_send, asked): (Vec<Outgoing>, Vec<Outgoing>) = outgoing
        .into_iter()
        .partition(|out| out.new && !ask.new_ones);
    let mut known = Vec::new();
    let mut server_lacked_all = false;
    if !asked.is_empty() {
        let mut question = Map::new();
        for out in &asked {
            question.insert(out.id.to_string(), json!([out.rev.to_string()]));
        }
        let answer = remote
            .send(Method::Post, "_revs_diff", Some(&Value::Object(question)))
            .await?;
        check(&answer)?;
        let missing = |out: &Outgoing| {
            answer
                .body
                .get(out.id.to_string())
                .and_then(|d| d.get("missing"))
                .and_then(Value::as_array)
                .is_some_and(|m| m.iter().any(|r| r.as_str() == Some(&out.rev.to_string())))
        };
        let (lacked, had): (Vec<Outgoing>, Vec<Outgoing>) = asked.into_iter().partition(missing);
        // Only never-synced records tell whether the server lacks the rest
        // of them (a changed record's new revision is always missing).
        let new_lacked = lacked.iter().filter(|out| out.new).count();
        server_lacked_all = new_lacked >= 10 && !had.iter().any(|out| out.new);
        to_send.extend(lacked);
        known = had;
    }
    Ok(Some(Batch {
        to_send,
        known,
        last,
        full,
        ids,
        server_lacked_all,
    }))
}

/// A batch the server has, whose sync state the phone is yet to write: up
/// to the change `seq`, and whether it is the push's last.
struct Sent {
    metas: Vec<(RecordId, SyncMeta)>,
    seq: u64,
    last: bool,
}

/// Writes a sent batch's sync state; its checkpoint is then due.
async fn write_sent(local: &impl Local, sent: Sent) -> Result<(u64, bool), SyncError> {
    if !sent.metas.is_empty() {
        local.set_meta(sent.metas).await.map_err(local_err)?;
    }
    Ok((sent.seq, sent.last))
}

/// The document to offer for a changed record, unless the server already
/// has it (or refused it as it is).
fn outgoing_doc(change: LocalChange, user: &str, everything: bool) -> Option<Outgoing> {
    let new = change.meta.is_none();
    let carer = change
        .meta
        .as_ref()
        .map_or(user, |m| m.carer.as_str())
        .to_string();
    let content = to_doc(&change.record, &carer);
    // One canonical text for both the sum and the rev.
    let text = canonical(&content);
    let sum = md5_hex(text.as_bytes());
    let parent = change
        .meta
        .as_ref()
        .and_then(|m| m.rev.parse::<Rev>().ok().map(|r| (r, m)));
    let (rev, revs) = match parent {
        Some((rev, m)) if m.sum == sum => {
            if m.refused.is_some() || (m.on_server && !everything) {
                return None;
            }
            (rev, m.revs.clone())
        }
        Some((parent, m)) => {
            let rev = Rev::of_canonical(Some(&parent), false, &text);
            let revs = ancestry(&rev.hash, &m.revs);
            (rev, revs)
        }
        None => {
            let rev = Rev::of_canonical(None, false, &text);
            let revs = vec![rev.hash.clone()];
            (rev, revs)
        }
    };
    let meta = SyncMeta {
        rev: rev.to_string(),
        revs: revs.clone(),
        sum,
        carer,
        on_server: true,
        refused: None,
    };
    Some(Outgoing {
        id: change.record.id(),
        bytes: doc_bytes(text.len(), &rev, &revs),
        new,
        doc: with_revisions(content, &rev, &revs),
        rev,
        meta,
    })
}

/// `_bulk_docs` of what the server lacks; the sync state of everything
/// offered, for the phone to write.
async fn post(
    remote: &impl Remote,
    o: &Options,
    batch: Batch,
    report: &mut Report,
    held: &mut Held,
) -> Result<Vec<(RecordId, SyncMeta)>, SyncError> {
    let Batch { to_send, known, .. } = batch;
    // The documents go into the batches as they are (no copies); what the
    // sync state needs of each stays behind.
    let mut sized: Vec<(Value, usize)> = Vec::with_capacity(to_send.len());
    let mut sent: Vec<(RecordId, SyncMeta)> = Vec::with_capacity(to_send.len());
    for out in to_send {
        sized.push((out.doc, out.bytes));
        sent.push((out.id, out.meta));
    }
    let mut failed: HashMap<String, Failed> = HashMap::new();
    for batch in bulk::batches(sized, o.batch, o.max_bytes) {
        for f in bulk_docs(remote, batch).await? {
            failed.insert(f.id.clone(), f);
        }
    }
    let mut metas: Vec<(RecordId, SyncMeta)> =
        known.into_iter().map(|out| (out.id, out.meta)).collect();
    for (id, mut meta) in sent {
        match failed.remove(&id.to_string()) {
            Some(f) if f.is_final() => {
                meta.on_server = false;
                meta.refused = Some(f.reason.clone());
                report.rejected.push(f);
                metas.push((id, meta));
            }
            Some(f) => return Err(SyncError::Server(format!("{} {}", f.error, f.reason))),
            None => {
                report.sent += 1;
                metas.push((id, meta));
            }
        }
    }
    for (id, meta) in &metas {
        held.note(id, meta);
    }
    Ok(metas)
}

/// One `_bulk_docs` with `new_edits: false`, halving on 413; the documents
/// that failed. A single document too large for the server fails as final.
async fn bulk_docs(remote: &impl Remote, docs: Vec<Value>) -> Result<Vec<Failed>, SyncError> {
    let mut pending = vec![docs];
    let mut failed = Vec::new();
    while let Some(batch) = pending.pop() {
        let body = json!({"docs": batch, "new_edits": false});
        let answer = remote.send(Method::Post, "_bulk_docs", Some(&body)).await?;
        if answer.status == 413 {
            match bulk::too_large(batch.len()) {
                TooLarge::Halve { at } => {
                    let mut first = batch;
                    let second = first.split_off(at);
                    pending.push(second);
                    pending.push(first);
                }
                TooLarge::GiveUp => failed.push(Failed {
                    id: batch[0]
                        .get("_id")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_string(),
                    error: "forbidden".into(),
                    reason: "It is too large for the scheme's server.".into(),
                }),
            }
            continue;
        }
        check(&answer)?;
        failed.extend(
            bulk::failures(&answer.body)
                .ok_or_else(|| SyncError::Server("an answer Hearth doesn't understand".into()))?,
        );
    }
    Ok(failed)
}

/// A sequence as it goes in a URL.
fn seq_param(seq: &Value) -> String {
    let text = match seq {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A pull asks for this many batches' worth of `_changes` rows at once: a
/// row is small (an id and its leaves), so fewer round trips, while the
/// documents still come a batch at a time.
pub const CHANGES_PAGE: usize = 10;

async fn pull(
    remote: &impl Remote,
    local: &impl Local,
    o: &Options,
    report: &mut Report,
    held: &Held,
) -> Result<(), SyncError> {
    let (mut checkpoints, start) = Checkpoints::open(remote, local, o, Direction::Pull).await?;
    let limit = o.batch * CHANGES_PAGE;
    // An empty phone knows no leaf and has no copies to read (a record it
    // stores during this pull comes again only if changed meanwhile: it is
    // then fetched, and stored as `moved`).
    let lookups = local.holds_records().await.map_err(local_err)?;
    let mut refused_ids: HashSet<String> = HashSet::new();
    let mut page = changes_page(remote, &start.unwrap_or(json!(0)), limit).await?;
    loop {
        let full = page.rows.len() >= limit;
        // The next page comes in while this one's documents are fetched and
        // stored (it is the server's list only: nothing of the phone's).
        let next = async {
            if full {
                changes_page(remote, &page.last_seq, limit).await.map(Some)
            } else {
                Ok(None)
            }
        };
        let work = async {
            let chunks: Vec<&[Value]> = page.rows.chunks(o.batch.max(1)).collect();
            let count = chunks.len();
            // Where batch `n`'s checkpoint stands: its last row, or the
            // page's end for its last batch.
            let seq_after = |n: usize| match chunks[n].last().and_then(|r| r.get("seq")) {
                Some(seq) if n + 1 < count => seq.clone(),
                _ => page.last_seq.clone(),
            };
            // Each batch is stored while the next one's documents come. Its
            // records are looked up first, so those reads don't wait for the
            // write (a page names each document once: no batch reads what
            // the one before writes).
            let mut fetched: Option<(Vec<ToStore>, usize)> = None;
            for (n, chunk) in chunks.iter().enumerate() {
                let wanted = wanted(local, chunk, held, lookups).await?;
                let fetch =
                    fetch_wanted(remote, local, o, wanted, lookups, report, &mut refused_ids);
                let store = async {
                    match fetched.take() {
                        Some((items, m)) => store_batch(local, items).await.map(|k| Some((k, m))),
                        None => Ok(None),
                    }
                };
                let (got, stored) = futures::future::join(fetch, store).await;
                if let Some((k, m)) = stored? {
                    report.received += k;
                    checkpoints
                        .stored(remote, local, o, seq_after(m), m + 1 == count && !full)
                        .await?;
                }
                fetched = Some((got?, n));
            }
            if let Some((items, m)) = fetched.take() {
                report.received += store_batch(local, items).await?;
                checkpoints
                    .stored(remote, local, o, seq_after(m), m + 1 == count && !full)
                    .await?;
            }
            Ok::<(), SyncError>(())
        };
        let (stored, next) = futures::future::join(work, next).await;
        stored?;
        match next? {
            Some(next) => page = next,
            None => break,
        }
    }
    // A full page followed by an empty one: its checkpoint is still due.
    checkpoints.finish(remote, local, o, page.last_seq).await
}

/// One page of the server's `_changes`.
struct ChangesPage {
    rows: Vec<Value>,
    last_seq: Value,
}

async fn changes_page(
    remote: &impl Remote,
    since: &Value,
    limit: usize,
) -> Result<ChangesPage, SyncError> {
    let path = format!(
        "_changes?style=all_docs&since={}&limit={limit}",
        seq_param(since)
    );
    let mut answer = remote.send(Method::Get, &path, None).await?;
    check(&answer)?;
    let rows = match answer.body.get_mut("results").map(Value::take) {
        Some(Value::Array(rows)) => rows,
        _ => Vec::new(),
    };
    let last_seq = answer
        .body
        .get("last_seq")
        .cloned()
        .unwrap_or_else(|| since.clone());
    Ok(ChangesPage { rows, last_seq })
}

/// A `_changes` batch's documents the phone lacks: their leaves.
struct Wanted {
    leaves: Vec<(String, Vec<String>)>,
}

/// Which of a `_changes` batch's documents the phone lacks: not what this
/// run just sent, nor a record whose one leaf the phone holds (known from
/// the sync state alone, no record read).
async fn wanted(
    local: &impl Local,
    rows: &[Value],
    held: &Held,
    lookups: bool,
) -> Result<Wanted, SyncError> {
    let mut leaves: Vec<(String, Vec<String>)> = Vec::new();
    for row in rows {
        let Some(doc_id) = row.get("id").and_then(Value::as_str) else {
            continue;
        };
        if doc_id.starts_with("_design/") || doc_id.starts_with(STATUS_PREFIX) {
            continue;
        }
        let revs: Vec<String> = row
            .get("changes")
            .and_then(Value::as_array)
            .map(|c| {
                c.iter()
                    .filter_map(|r| r.get("rev")?.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        if !held.has(doc_id, &revs) {
            leaves.push((doc_id.to_string(), revs));
        }
    }
    if leaves.is_empty() || !lookups {
        return Ok(Wanted { leaves });
    }
    let ids: Vec<RecordId> = leaves.iter().filter_map(|(i, _)| i.parse().ok()).collect();
    let metas: HashMap<RecordId, SyncMeta> = local
        .metas(&ids)
        .await
        .map_err(local_err)?
        .into_iter()
        .collect();
    let known = |doc_id: &str, revs: &[String]| {
        doc_id
            .parse::<RecordId>()
            .ok()
            .and_then(|i| metas.get(&i))
            .is_some_and(|m| only_leaf_is(revs, &m.rev))
    };
    leaves.retain(|(doc_id, revs)| !known(doc_id, revs));
    Ok(Wanted { leaves })
}

/// Stores a batch of pulled records. One whose phone copy moved on since it
/// was read is brought together with that copy and stored again, once; if
/// it moves on again, the phone keeps its own, which the push after the pull
/// sends (the next pull resolves the two).
async fn store_batch(local: &impl Local, items: Vec<ToStore>) -> Result<usize, SyncError> {
    let first = local.store(items).await.map_err(local_err)?;
    if first.moved.is_empty() {
        return Ok(first.written);
    }
    let asked: Vec<(RecordId, &'static str)> = first
        .moved
        .iter()
        .map(|i| (i.record.id(), i.record.kind()))
        .collect();
    let here: HashMap<RecordId, (AnyRecord, Option<SyncMeta>)> = local
        .current(&asked)
        .await
        .map_err(local_err)?
        .into_iter()
        .map(|(r, m)| (r.id(), (r, m)))
        .collect();
    let mut again = Vec::new();
    for item in first.moved {
        let Ok(rev) = item.meta.rev.parse::<Rev>() else {
            continue;
        };
        // The server's document as this sync resolved it, one leaf now.
        let pulled = Pulled {
            carer: item.meta.carer.clone(),
            rev,
            ancestry: item.meta.revs.clone(),
            sum: item.meta.sum.clone(),
            record: item.record,
        };
        let here = here.get(&pulled.record.id());
        if let Ok(resolution) = resolve(vec![pulled], here) {
            again.push(resolution.store);
        }
    }
    let second = local.store(again).await.map_err(local_err)?;
    Ok(first.written + second.written)
}

/// The documents a batch wants, fetched (`_bulk_get`), checked and brought
/// together with the phone's copies (conflicts closed on the server; none
/// read when `lookups` is false: an empty phone): what to store, which the
/// caller stores.
async fn fetch_wanted(
    remote: &impl Remote,
    local: &impl Local,
    o: &Options,
    wanted: Wanted,
    lookups: bool,
    report: &mut Report,
    refused_ids: &mut HashSet<String>,
) -> Result<Vec<ToStore>, SyncError> {
    let Wanted { leaves } = wanted;
    if leaves.is_empty() {
        return Ok(Vec::new());
    }
    let wanted: Vec<Value> = leaves
        .iter()
        .flat_map(|(doc_id, revs)| revs.iter().map(move |r| json!({"id": doc_id, "rev": r})))
        .collect();
    let body = json!({"docs": wanted});
    let mut answer = remote
        .send(Method::Post, "_bulk_get?revs=true&latest=true", Some(&body))
        .await?;
    check(&answer)?;
    let mut docs: HashMap<String, Vec<Value>> = HashMap::new();
    for result in answer
        .body
        .get_mut("results")
        .and_then(Value::as_array_mut)
        .into_iter()
        .flatten()
    {
        for entry in result
            .get_mut("docs")
            .and_then(Value::as_array_mut)
            .into_iter()
            .flatten()
        {
            // Taken, not copied: the answer isn't needed after this.
            let Some(doc) = entry.get_mut("ok").map(Value::take) else {
                continue;
            };
            if doc.get("_deleted").and_then(Value::as_bool) == Some(true) {
                continue;
            }
            let Some(doc_id) = doc.get("_id").and_then(Value::as_str) else {
                continue;
            };
            let same = docs.entry(doc_id.to_string()).or_default();
            if !same.iter().any(|d| d.get("_rev") == doc.get("_rev")) {
                same.push(doc);
            }
        }
    }
    // Each document's checked versions, then the phone's copies of them
    // (the documents say which store each is in).
    let mut checked: Vec<Vec<Pulled>> = Vec::new();
    for (doc_id, _) in &leaves {
        let Some(versions) = docs.remove(doc_id) else {
            continue;
        };
        let mut pulled = Vec::new();
        let mut problem = None;
        for doc in &versions {
            match from_doc(doc, o.now) {
                Ok(FromDoc::Record(p)) => pulled.push(*p),
                Ok(FromDoc::Other) => {}
                Err(refused) => problem = Some(refused),
            }
        }
        if let Some(refused) = problem {
            if refused_ids.insert(refused.id.clone()) {
                report.refused.push(refused);
            }
            continue;
        }
        if !pulled.is_empty() {
            checked.push(pulled);
        }
    }
    let here: HashMap<RecordId, (AnyRecord, Option<SyncMeta>)> = if lookups {
        let asked: Vec<(RecordId, &'static str)> = checked
            .iter()
            .map(|p| (p[0].record.id(), p[0].record.kind()))
            .collect();
        local
            .current(&asked)
            .await
            .map_err(local_err)?
            .into_iter()
            .map(|(r, m)| (r.id(), (r, m)))
            .collect()
    } else {
        HashMap::new()
    };
    let mut to_store = Vec::new();
    let mut closing = Vec::new();
    for pulled in checked {
        let here = here.get(&pulled[0].record.id());
        match resolve(pulled, here) {
            Ok(resolution) => {
                if !resolution.close.is_empty() {
                    report.resolved += 1;
                }
                closing.extend(resolution.close);
                to_store.push(resolution.store);
            }
            Err(refused) => {
                if refused_ids.insert(refused.id.clone()) {
                    report.refused.push(refused);
                }
            }
        }
    }
    if !closing.is_empty() {
        let sized: Vec<(Value, usize)> = closing
            .into_iter()
            .map(|d| {
                let n = d.to_string().len();
                (d, n)
            })
            .collect();
        for batch in bulk::batches(sized, o.batch, o.max_bytes) {
            if let Some(f) = bulk_docs(remote, batch).await?.into_iter().next() {
                // The conflict stays on the server for now; the phone's copy
                // is the merge either way, and a later sync tries again.
                if f.is_final() {
                    report.rejected.push(f);
                } else {
                    return Err(SyncError::Server(format!("{} {}", f.error, f.reason)));
                }
            }
        }
    }
    Ok(to_store)
}

/// How the leaves of one document come together.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolution {
    /// What the phone stores.
    pub store: ToStore,
    /// For a conflict, the documents that resolve it on the server: the
    /// merge as a child of CouchDB's winning leaf, and a `_deleted` child on
    /// each other leaf. Empty when there was one leaf.
    pub close: Vec<Value>,
}

/// Brings a document's non-deleted leaves (checked) and the phone's copy
/// together. Every phone that resolves the same leaves writes the same
/// documents with the same revs, so phones resolving at once converge.
pub fn resolve(
    mut leaves: Vec<Pulled>,
    here: Option<&(AnyRecord, Option<SyncMeta>)>,
) -> Result<Resolution, Refused> {
    let mismatch = |id: String| Refused {
        id,
        problem: "It has the id of a different kind of record.".into(),
    };
    leaves.sort_by(|a, b| (a.rev.generation, &a.rev.hash).cmp(&(b.rev.generation, &b.rev.hash)));
    let winner = leaves.pop().expect("at least one leaf");
    let doc_id = winner.record.id().to_string();
    let mut merged = winner.record.clone();
    for leaf in &leaves {
        merged = merged
            .merge(&leaf.record)
            .ok_or_else(|| mismatch(doc_id.clone()))?;
    }
    let (meta, close) = if leaves.is_empty() {
        let meta = SyncMeta {
            rev: winner.rev.to_string(),
            revs: winner.ancestry.iter().take(REVS_KEPT).cloned().collect(),
            sum: winner.sum.clone(),
            carer: winner.carer.clone(),
            on_server: true,
            refused: None,
        };
        (meta, Vec::new())
    } else {
        let content = to_doc(&merged, &winner.carer);
        let rev = Rev::next(Some(&winner.rev), false, &content);
        let revs = ancestry(&rev.hash, &winner.ancestry);
        let mut close = vec![with_revisions(content.clone(), &rev, &revs)];
        for loser in &leaves {
            let stub = json!({"_id": doc_id});
            let end = Rev::next(Some(&loser.rev), true, &stub);
            let mut doc = with_revisions(stub, &end, &ancestry(&end.hash, &loser.ancestry));
            doc["_deleted"] = json!(true);
            close.push(doc);
        }
        let meta = SyncMeta {
            rev: rev.to_string(),
            revs,
            sum: content_sum(&content),
            carer: winner.carer.clone(),
            on_server: true,
            refused: None,
        };
        (meta, close)
    };
    let (record, expected) = match here {
        None => (merged.clone(), None),
        Some((mine, _)) => (
            mine.merge(&merged)
                .ok_or_else(|| mismatch(doc_id.clone()))?,
            Some(mine.rev()),
        ),
    };
    // A record new to the phone is the server's own content, unchanged.
    let changed = here.is_some() && content_sum(&to_doc(&record, &meta.carer)) != meta.sum;
    Ok(Resolution {
        store: ToStore {
            record,
            meta,
            expected,
            changed,
        },
        close,
    })
}

/// A phone's status on the server, so a scheme can see who hasn't synced.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeviceStatus {
    /// The signed-in CouchDB user.
    pub carer: String,
    /// This phone's install id.
    pub device: String,
    /// When it last finished a sync.
    pub last_sync: DateTime<Utc>,
    /// Records waiting to send when it did.
    pub waiting: u64,
    /// Hearth's version.
    pub app_version: String,
}

/// Writes this phone's status document (`hearth-status-<device>`), replacing
/// the previous one: it is a status, not a record.
pub async fn push_status(remote: &impl Remote, status: &DeviceStatus) -> Result<(), SyncError> {
    let path = format!("{STATUS_PREFIX}{}", status.device);
    let current = remote.send(Method::Get, &path, None).await?;
    let mut doc = serde_json::to_value(status).unwrap_or(Value::Null);
    doc["type"] = json!(DEVICE_STATUS);
    if current.status == 200 {
        if let Some(rev) = current.body.get("_rev") {
            doc["_rev"] = rev.clone();
        }
    }
    let answer = remote.send(Method::Put, &path, Some(&doc)).await?;
    check(&answer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_documents_length_is_counted_without_writing_it_again() {
        let content =
            json!({"_id": "a", "type": "note", "record": {"text": "Tea, then \"bed\"\n"}});
        let text = canonical(&content);
        let rev = Rev::of_canonical(None, false, &text);
        let revs = ancestry(&rev.hash, &["0a1b2c".to_string(), "3d4e5f".to_string()]);
        let doc = with_revisions(content, &rev, &revs);
        let written = serde_json::to_string(&doc).unwrap().len();
        let counted = doc_bytes(text.len(), &rev, &revs);
        // One comma too many at most: the batch's size is "about 1 MB".
        assert!(
            (written..=written + 1).contains(&counted),
            "{written} vs {counted}"
        );
    }
}
