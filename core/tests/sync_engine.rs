//! The replicator against a fake CouchDB 3 (string sequences, `_bulk_docs`
//! answering only its failures, 413 past a size, a stop part-way through)
//! and phones kept in memory. The same replicator runs against a real
//! pouchdb-server in the end-to-end suite.

use chrono::{DateTime, Duration, TimeZone, Utc};
use hearth_core::sync::checkpoint::Checkpoint;
use hearth_core::sync::doc::AnyRecord;
use hearth_core::sync::engine::{LocalChange, StoreReport, ToStore};
use hearth_core::sync::rev::Rev;
use hearth_core::sync::{
    sync, Answer, Local, Method, Options, Remote, SyncError, SyncMeta, Unreachable,
};
use hearth_core::{FixedZone, Note, NoteDraft, Person, PersonDraft, Record, RecordId};
use serde_json::{json, Value};
use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

/// Runs a future whose every step is ready at once (the fakes never wait).
fn run<F: Future>(f: F) -> F::Output {
    let mut f = pin!(f);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(out) = f.as_mut().poll(&mut cx) {
            return out;
        }
    }
}

// ---- A fake CouchDB 3 ----

#[derive(Clone, Debug)]
struct Node {
    parent: Option<String>,
    deleted: bool,
    body: Value,
}

#[derive(Default)]
struct Couch {
    docs: RefCell<BTreeMap<String, HashMap<String, Node>>>,
    seq_of: RefCell<HashMap<String, u64>>,
    seq: Cell<u64>,
    locals: RefCell<HashMap<String, Value>>,
    plain: RefCell<HashMap<String, Value>>,
    /// Requests answered before the server "stops" (then every request fails).
    up_for: Cell<Option<usize>>,
    /// `_bulk_docs` bodies with more documents than this get a 413.
    max_docs: Cell<usize>,
    /// Documents whose text holds this are refused, as a validate_doc_update would.
    forbid: RefCell<Option<String>>,
    requests: RefCell<Vec<String>>,
    /// Documents another phone sends just after the next `_changes` is
    /// answered: a record changed on the server while a pull runs.
    put_after_changes: RefCell<Vec<Value>>,
}

impl Couch {
    fn new() -> Couch {
        let c = Couch::default();
        c.max_docs.set(usize::MAX);
        c
    }
    fn leaves(&self, id: &str) -> Vec<String> {
        let docs = self.docs.borrow();
        let tree = &docs[id];
        let parents: HashSet<&String> = tree.values().filter_map(|n| n.parent.as_ref()).collect();
        let mut l: Vec<String> = tree
            .keys()
            .filter(|r| !parents.contains(r))
            .cloned()
            .collect();
        l.sort();
        l
    }
    fn live_leaves(&self, id: &str) -> Vec<Value> {
        self.leaves(id)
            .into_iter()
            .filter(|r| !self.docs.borrow()[id][r].deleted)
            .map(|r| self.docs.borrow()[id][&r].body.clone())
            .collect()
    }
    fn ids(&self) -> Vec<String> {
        self.docs.borrow().keys().cloned().collect()
    }
    fn bump(&self, id: &str) {
        self.seq.set(self.seq.get() + 1);
        self.seq_of
            .borrow_mut()
            .insert(id.to_string(), self.seq.get());
    }
    fn opaque(n: u64) -> Value {
        json!(format!("{n}-g1AAAABteJzLYWBgYMpgTmHgz8tPSTV0MDQy1zMAQsMcoARTIkOS_P___7MSGXAqSVIAkklJ2VKVAABiTBDf"))
    }
    fn put_doc(&self, doc: &Value) -> Option<Value> {
        let id = doc["_id"].as_str()?.to_string();
        if let Some(word) = self.forbid.borrow().as_ref() {
            if doc.to_string().contains(word.as_str()) {
                return Some(
                    json!({"id": id, "rev": doc["_rev"], "error": "forbidden", "reason": "Not allowed here."}),
                );
            }
        }
        let start = doc["_revisions"]["start"].as_u64()?;
        let hashes: Vec<&str> = doc["_revisions"]["ids"]
            .as_array()?
            .iter()
            .filter_map(Value::as_str)
            .collect();
        let mut docs = self.docs.borrow_mut();
        let tree = docs.entry(id.clone()).or_default();
        for (i, hash) in hashes.iter().enumerate() {
            let rev = format!("{}-{hash}", start - i as u64);
            let parent = hashes
                .get(i + 1)
                .map(|h| format!("{}-{h}", start - i as u64 - 1));
            let node = tree.entry(rev).or_insert(Node {
                parent: None,
                deleted: false,
                body: Value::Null,
            });
            if node.parent.is_none() {
                node.parent = parent;
            }
            if i == 0 {
                let mut body = doc.clone();
                body.as_object_mut()?.remove("_revisions");
                node.deleted = doc
                    .get("_deleted")
                    .and_then(Value::as_bool)
                    .unwrap_or(false);
                node.body = body;
            }
        }
        drop(docs);
        self.bump(&id);
        None
    }
    fn with_revisions(&self, id: &str, rev: &str) -> Value {
        let docs = self.docs.borrow();
        let tree = &docs[id];
        let mut ids = vec![];
        let mut at = Some(rev.to_string());
        while let Some(r) = at {
            ids.push(r.split_once('-').unwrap().1.to_string());
            at = tree.get(&r).and_then(|n| n.parent.clone());
        }
        let mut body = tree[rev].body.clone();
        body["_revisions"] = json!({"start": rev.parse::<Rev>().unwrap().generation, "ids": ids});
        body
    }
    fn answer(&self, method: Method, path: &str, body: Option<&Value>) -> Answer {
        let ok = |body: Value| Answer { status: 200, body };
        let (route, query) = path.split_once('?').unwrap_or((path, ""));
        let param = |name: &str| {
            query
                .split('&')
                .find_map(|kv| kv.strip_prefix(&format!("{name}=")))
                .map(str::to_string)
        };
        match (method, route) {
            (Method::Get, "") => ok(json!({"db_name": "household"})),
            (Method::Get, r) if r.starts_with("_local/") => match self.locals.borrow().get(r) {
                Some(doc) => ok(doc.clone()),
                None => Answer {
                    status: 404,
                    body: json!({"error": "not_found"}),
                },
            },
            (Method::Put, r) if r.starts_with("_local/") => {
                let mut doc = body.unwrap().clone();
                let n = self.locals.borrow().get(r).map_or(0, |d| {
                    d["_rev"].as_str().unwrap()[2..].parse::<u64>().unwrap()
                });
                let rev = format!("0-{}", n + 1);
                doc["_rev"] = json!(rev);
                self.locals.borrow_mut().insert(r.to_string(), doc);
                Answer {
                    status: 201,
                    body: json!({"ok": true, "rev": rev}),
                }
            }
            (Method::Post, "_revs_diff") => {
                let mut out = serde_json::Map::new();
                for (id, revs) in body.unwrap().as_object().unwrap() {
                    let missing: Vec<Value> = revs
                        .as_array()
                        .unwrap()
                        .iter()
                        .filter(|r| {
                            !self
                                .docs
                                .borrow()
                                .get(id)
                                .is_some_and(|t| t.contains_key(r.as_str().unwrap()))
                        })
                        .cloned()
                        .collect();
                    if !missing.is_empty() {
                        out.insert(id.clone(), json!({"missing": missing}));
                    }
                }
                ok(Value::Object(out))
            }
            (Method::Post, "_bulk_docs") => {
                let body = body.unwrap();
                assert_eq!(body["new_edits"], json!(false));
                let docs = body["docs"].as_array().unwrap();
                if docs.len() > self.max_docs.get() {
                    return Answer {
                        status: 413,
                        body: json!({"error": "too_large"}),
                    };
                }
                let errors: Vec<Value> = docs.iter().filter_map(|d| self.put_doc(d)).collect();
                Answer {
                    status: 201,
                    body: json!(errors),
                }
            }
            (Method::Get, "_changes") => {
                assert_eq!(param("style").as_deref(), Some("all_docs"));
                let since: u64 = param("since")
                    .map_or(0, |s| s.split(['-', '%']).next().unwrap().parse().unwrap());
                let limit: usize = param("limit").unwrap().parse().unwrap();
                let mut rows: Vec<(u64, String)> = self
                    .seq_of
                    .borrow()
                    .iter()
                    .filter(|(_, s)| **s > since)
                    .map(|(id, s)| (*s, id.clone()))
                    .collect();
                rows.sort();
                rows.truncate(limit);
                let last = rows.last().map_or(since, |r| r.0);
                let results: Vec<Value> = rows
                    .iter()
                    .map(|(s, id)| {
                        let changes: Vec<Value> = self
                            .leaves(id)
                            .into_iter()
                            .map(|r| json!({"rev": r}))
                            .collect();
                        json!({"seq": Couch::opaque(*s), "id": id, "changes": changes})
                    })
                    .collect();
                for doc in self.put_after_changes.take() {
                    self.put_doc(&doc);
                }
                ok(json!({"results": results, "last_seq": Couch::opaque(last), "pending": 0}))
            }
            (Method::Post, "_bulk_get?revs=true&latest=true") | (Method::Post, "_bulk_get") => {
                assert_eq!(query, "revs=true&latest=true");
                let results: Vec<Value> = body.unwrap()["docs"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|w| {
                        let (id, rev) = (w["id"].as_str().unwrap(), w["rev"].as_str().unwrap());
                        json!({"id": id, "docs": [{"ok": self.with_revisions(id, rev)}]})
                    })
                    .collect();
                ok(json!({"results": results}))
            }
            (Method::Get, id) => match self.plain.borrow().get(id) {
                Some(d) => ok(d.clone()),
                None => Answer {
                    status: 404,
                    body: json!({"error": "not_found"}),
                },
            },
            (Method::Put, id) => {
                let mut d = body.unwrap().clone();
                d["_rev"] = json!("1-x");
                self.plain.borrow_mut().insert(id.to_string(), d);
                Answer {
                    status: 201,
                    body: json!({"ok": true}),
                }
            }
            other => panic!("unexpected request {other:?}"),
        }
    }
}

impl Remote for Couch {
    async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<Answer, Unreachable> {
        self.requests
            .borrow_mut()
            .push(format!("{method:?} {path}"));
        if let Some(n) = self.up_for.get() {
            if n == 0 {
                return Err(Unreachable("connection refused".into()));
            }
            self.up_for.set(Some(n - 1));
        }
        Ok(self.answer(method, path, body))
    }
}

// ---- A phone in memory ----

/// A stored record: its local change sequence, the record, its sync state.
type Kept = (u64, AnyRecord, Option<SyncMeta>);

#[derive(Default)]
struct Phone {
    records: RefCell<HashMap<RecordId, Kept>>,
    seq: Cell<u64>,
    checkpoints: RefCell<HashMap<String, Checkpoint>>,
    install: String,
    /// Written when the sync next reads its changes: the carer editing a
    /// record while a sync runs.
    edit_during_sync: RefCell<Option<AnyRecord>>,
    /// How many times the sync looked up records' sync state.
    metas_asked: Cell<usize>,
    /// How many times the sync read the phone's copies of records.
    copies_asked: Cell<usize>,
    /// Written when the sync next stores pulled records: the carer saving
    /// a record while a pull runs.
    edit_during_store: RefCell<Option<AnyRecord>>,
}

impl Phone {
    fn new(install: &str) -> Phone {
        Phone {
            install: install.into(),
            ..Default::default()
        }
    }
    fn write(&self, record: AnyRecord) {
        self.seq.set(self.seq.get() + 1);
        let meta = self
            .records
            .borrow()
            .get(&record.id())
            .and_then(|r| r.2.clone());
        self.records
            .borrow_mut()
            .insert(record.id(), (self.seq.get(), record, meta));
    }
    fn get(&self, id: RecordId) -> AnyRecord {
        self.records.borrow()[&id].1.clone()
    }
    fn note(&self, id: RecordId) -> Record<Note> {
        match self.get(id) {
            AnyRecord::Note(n) => n,
            other => panic!("not a note: {other:?}"),
        }
    }
    fn count(&self) -> usize {
        self.records.borrow().len()
    }
    fn options(&self, user: &str, session: &str) -> Options {
        Options {
            user: user.into(),
            install: self.install.clone(),
            database_url: "https://scheme.example/household".into(),
            session: session.into(),
            now: now(),
            batch: 100,
            max_bytes: 1024 * 1024,
        }
    }
}

impl Local for Phone {
    async fn changes(&self, since: u64, limit: usize) -> Result<Vec<LocalChange>, String> {
        if since > 0 {
            if let Some(record) = self.edit_during_sync.borrow_mut().take() {
                self.write(record);
            }
        }
        let mut out: Vec<LocalChange> = self
            .records
            .borrow()
            .values()
            .filter(|(s, _, _)| *s > since)
            .map(|(s, r, m)| LocalChange {
                seq: *s,
                record: r.clone(),
                meta: m.clone(),
            })
            .collect();
        out.sort_by_key(|c| c.seq);
        out.truncate(limit);
        Ok(out)
    }
    async fn current(
        &self,
        records: &[(RecordId, &'static str)],
    ) -> Result<Vec<(AnyRecord, Option<SyncMeta>)>, String> {
        self.copies_asked.set(self.copies_asked.get() + 1);
        let r = self.records.borrow();
        Ok(records
            .iter()
            .filter_map(|(i, kind)| r.get(i).filter(|(_, r, _)| r.kind() == *kind))
            .map(|(_, r, m)| (r.clone(), m.clone()))
            .collect())
    }
    async fn metas(&self, ids: &[RecordId]) -> Result<Vec<(RecordId, SyncMeta)>, String> {
        self.metas_asked.set(self.metas_asked.get() + 1);
        let r = self.records.borrow();
        Ok(ids
            .iter()
            .filter_map(|i| Some((*i, r.get(i)?.2.clone()?)))
            .collect())
    }
    async fn store(&self, items: Vec<ToStore>) -> Result<StoreReport, String> {
        if let Some(record) = self.edit_during_store.borrow_mut().take() {
            self.write(record);
        }
        let mut stored = StoreReport::default();
        for item in items {
            let id = item.record.id();
            let now_rev = self.records.borrow().get(&id).map(|r| r.1.rev());
            if now_rev != item.expected {
                stored.moved.push(item);
                continue;
            }
            let seq = match self.records.borrow().get(&id) {
                Some((s, _, _)) if !item.changed => *s,
                _ => {
                    self.seq.set(self.seq.get() + 1);
                    self.seq.get()
                }
            };
            self.records
                .borrow_mut()
                .insert(id, (seq, item.record, Some(item.meta)));
            stored.written += 1;
        }
        Ok(stored)
    }
    async fn set_meta(&self, metas: Vec<(RecordId, SyncMeta)>) -> Result<(), String> {
        for (id, meta) in metas {
            if let Some(r) = self.records.borrow_mut().get_mut(&id) {
                r.2 = Some(meta);
            }
        }
        Ok(())
    }
    async fn checkpoint(&self, id: &str) -> Result<Option<Checkpoint>, String> {
        Ok(self.checkpoints.borrow().get(id).cloned())
    }
    async fn set_checkpoint(&self, id: &str, checkpoint: &Checkpoint) -> Result<(), String> {
        self.checkpoints
            .borrow_mut()
            .insert(id.into(), checkpoint.clone());
        Ok(())
    }
    async fn sample_people(&self) -> Result<HashSet<RecordId>, String> {
        Ok(self
            .records
            .borrow()
            .values()
            .filter(|(_, r, _)| matches!(r, AnyRecord::Person(_)) && r.is_sample())
            .map(|(_, r, _)| r.id())
            .collect())
    }
    async fn holds_records(&self) -> Result<bool, String> {
        Ok(!self.records.borrow().is_empty())
    }
}

// ---- Records ----

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 2, 12, 0, 0).unwrap()
}

fn id(n: u8) -> RecordId {
    RecordId::from_random_bytes([n; 16])
}

fn person(n: u8, name: &str, author: &str) -> AnyRecord {
    let body: Person = PersonDraft {
        preferred_name: name.into(),
        arrangements: vec![hearth_core::Arrangement::ShortBreaks],
        ..Default::default()
    }
    .validate(now().date_naive())
    .unwrap();
    Record::create(id(n), body, author, now() - Duration::days(3)).into()
}

fn note_body(person: RecordId, text: &str) -> Note {
    NoteDraft {
        person_id: person.to_string(),
        date: "2026-12-01".into(),
        time: "10:30".into(),
        text: text.into(),
        ..Default::default()
    }
    .validate(now(), &FixedZone::utc())
    .unwrap()
}

fn note(n: u8, person: RecordId, text: &str, author: &str) -> AnyRecord {
    Record::create(
        id(n),
        note_body(person, text),
        author,
        now() - Duration::days(1),
    )
    .into()
}

fn amended(phone: &Phone, n: u8, text: &str, author: &str, minutes: i64) -> AnyRecord {
    let mut r = phone.note(id(n));
    r.amend(
        r.rev(),
        note_body(r.body().person_id(), text),
        author,
        now() - Duration::minutes(60 - minutes),
    )
    .unwrap();
    r.into()
}

/// Asserts that note `n` on `phone` keeps each of `texts` among its versions.
fn assert_keeps(phone: &Phone, n: u8, texts: &[&str]) {
    let kept: Vec<String> = phone
        .note(id(n))
        .versions()
        .map(|(note, _)| note.text().to_string())
        .collect();
    for t in texts {
        assert!(kept.iter().any(|k| k == t), "{t} kept in {kept:?}");
    }
}

fn household() -> (Couch, Phone, Phone) {
    let a = Phone::new("phone-a");
    a.write(person(1, "Meg", "Ann"));
    a.write(note(2, id(1), "Walked to the park.", "Ann"));
    a.write(note(3, id(1), "Baked bread together.", "Ann"));
    (Couch::new(), a, Phone::new("phone-b"))
}

#[test]
fn what_one_carer_sends_the_other_receives_signed_by_its_author() {
    let (couch, a, b) = household();
    let report = run(sync(&couch, &a, &a.options("ann", "s1"))).unwrap();
    assert_eq!(report.sent, 3);
    assert_eq!(couch.ids().len(), 3);
    let report = run(sync(&couch, &b, &b.options("bob", "s2"))).unwrap();
    assert_eq!((report.received, report.sent), (3, 0));
    assert_eq!(b.note(id(2)).body().text(), "Walked to the park.");
    assert_eq!(b.note(id(2)).created_by(), "Ann");
    assert_eq!(b.get(id(2)), a.get(id(2)));
    // The server's document carries the carer who first sent it.
    assert_eq!(
        couch.live_leaves(&id(2).to_string())[0]["carer"],
        json!("ann")
    );
    // Sequences were CouchDB 3's opaque strings, and the checkpoint kept one.
    assert!(b
        .checkpoints
        .borrow()
        .values()
        .any(|c| c.source_last_seq.is_string()));
}

#[test]
fn a_second_sync_with_nothing_new_sends_and_fetches_nothing() {
    let (couch, a, _) = household();
    run(sync(&couch, &a, &a.options("ann", "s1"))).unwrap();
    couch.requests.borrow_mut().clear();
    let report = run(sync(&couch, &a, &a.options("ann", "s2"))).unwrap();
    assert_eq!((report.sent, report.received), (0, 0));
    let requests = couch.requests.borrow();
    assert!(
        !requests
            .iter()
            .any(|r| r.contains("_bulk_docs") || r.contains("_bulk_get")),
        "{requests:?}"
    );
}

#[test]
fn both_carers_correct_one_note_apart_and_every_order_converges() {
    for a_first in [true, false] {
        let (couch, a, b) = household();
        run(sync(&couch, &a, &a.options("ann", "s1"))).unwrap();
        run(sync(&couch, &b, &b.options("bob", "s2"))).unwrap();
        a.write(amended(&a, 2, "Walked to the park with Jan.", "Ann", 10));
        b.write(amended(&b, 2, "Walked to the park, then tea.", "Bob", 20));
        let order: [(&Phone, &str); 2] = if a_first {
            [(&a, "ann"), (&b, "bob")]
        } else {
            [(&b, "bob"), (&a, "ann")]
        };
        for round in 0..2 {
            for (phone, user) in order {
                run(sync(
                    &couch,
                    phone,
                    &phone.options(user, &format!("{user}{round}")),
                ))
                .unwrap();
            }
        }
        let live = couch.live_leaves(&id(2).to_string());
        assert_eq!(live.len(), 1, "one open leaf on the server");
        assert_eq!(
            a.get(id(2)),
            b.get(id(2)),
            "both phones hold the same record"
        );
        assert_keeps(
            &a,
            2,
            &[
                "Walked to the park.",
                "Walked to the park with Jan.",
                "Walked to the park, then tea.",
            ],
        );
        assert_eq!(
            live[0]["record"],
            a.get(id(2)).envelope(),
            "the server holds the merge"
        );
    }
}

#[test]
fn a_deletion_and_a_correction_made_apart_end_as_hearths_rule_says() {
    let (couch, a, b) = household();
    run(sync(&couch, &a, &a.options("ann", "s1"))).unwrap();
    run(sync(&couch, &b, &b.options("bob", "s2"))).unwrap();
    let mut gone = a.note(id(3));
    gone.delete(
        gone.rev(),
        "Written for the wrong person",
        "Ann",
        now() - Duration::minutes(30),
    )
    .unwrap();
    a.write(gone.into());
    b.write(amended(&b, 3, "Baked bread and scones.", "Bob", 40));
    for round in 0..2 {
        run(sync(&couch, &b, &b.options("bob", &format!("b{round}")))).unwrap();
        run(sync(&couch, &a, &a.options("ann", &format!("a{round}")))).unwrap();
    }
    let (ra, rb) = (a.note(id(3)), b.note(id(3)));
    assert_eq!(ra, rb);
    assert_eq!(
        ra.deleted().unwrap().reason,
        "Written for the wrong person",
        "the deletion stands"
    );
    assert!(
        ra.versions()
            .any(|(n, _)| n.text() == "Baked bread and scones."),
        "the correction is kept"
    );
    assert_eq!(couch.live_leaves(&id(3).to_string()).len(), 1);
}

#[test]
fn a_new_phone_gets_every_record_back_with_history_and_tombstones() {
    let (couch, a, _) = household();
    a.write(amended(&a, 2, "Walked to the park with Jan.", "Ann", 10));
    let mut gone = a.note(id(3));
    gone.delete(gone.rev(), "Duplicate", "Ann", now() - Duration::minutes(5))
        .unwrap();
    a.write(gone.into());
    run(sync(&couch, &a, &a.options("ann", "s1"))).unwrap();
    let fresh = Phone::new("phone-a2");
    run(sync(&couch, &fresh, &fresh.options("ann", "s2"))).unwrap();
    assert_eq!(fresh.count(), couch.ids().len());
    for n in [1, 2, 3] {
        assert_eq!(fresh.get(id(n)), a.get(id(n)));
    }
    assert!(fresh.note(id(3)).deleted().is_some());
    assert_eq!(fresh.note(id(2)).history().len(), 1);
}

/// The id of the first note [`many`] writes.
fn first_of_many() -> RecordId {
    let mut bytes = [9u8; 16];
    bytes[..8].copy_from_slice(&0u64.to_be_bytes());
    RecordId::from_random_bytes(bytes)
}

fn many(phone: &Phone, n: usize) {
    phone.write(person(1, "Meg", "Ann"));
    for i in 0..n {
        let mut bytes = [9u8; 16];
        bytes[..8].copy_from_slice(&(i as u64).to_be_bytes());
        let rec = Record::create(
            RecordId::from_random_bytes(bytes),
            note_body(id(1), &format!("Note {i}")),
            "Ann",
            now() - Duration::hours(2),
        );
        phone.write(rec.into());
    }
}

#[test]
fn a_server_stopped_mid_sync_loses_and_doubles_nothing_and_the_next_sync_carries_on() {
    let couch = Couch::new();
    let a = Phone::new("phone-a");
    many(&a, 1000);
    couch.up_for.set(Some(12));
    let err = run(sync(&couch, &a, &a.options("ann", "s1"))).unwrap_err();
    assert!(matches!(err, SyncError::Unreachable(_)), "{err:?}");
    let part = couch.ids().len();
    assert!(part > 0 && part < 1001, "stopped part-way: {part}");
    couch.up_for.set(None);
    couch.requests.borrow_mut().clear();
    let report = run(sync(&couch, &a, &a.options("ann", "s2"))).unwrap();
    assert_eq!(couch.ids().len(), 1001);
    assert!(
        report.sent <= 1001 - part + 100,
        "carried on from the checkpoint: sent {}",
        report.sent
    );
    for id in couch.ids() {
        assert_eq!(couch.leaves(&id).len(), 1, "no conflicts made by the retry");
    }
    // And a new phone then gets exactly the thousand and one.
    let b = Phone::new("phone-b");
    run(sync(&couch, &b, &b.options("bob", "s3"))).unwrap();
    assert_eq!(b.count(), 1001);
}

#[test]
fn a_record_edited_while_its_batch_is_sent_goes_up_as_a_child_not_a_conflict() {
    let (couch, a, b) = (Couch::new(), Phone::new("phone-a"), Phone::new("phone-b"));
    many(&a, 150);
    let first = first_of_many();
    // Once the first batch (which holds the note) is read, the carer
    // corrects it: it is in the next batch too, with a later change.
    let mut note = match a.get(first) {
        AnyRecord::Note(n) => n,
        other => panic!("not a note: {other:?}"),
    };
    note.amend(
        note.rev(),
        note_body(id(1), "Note 0, corrected during the sync."),
        "Ann",
        now() - Duration::minutes(5),
    )
    .unwrap();
    *a.edit_during_sync.borrow_mut() = Some(note.into());
    let report = run(sync(&couch, &a, &a.options("ann", "s1"))).unwrap();
    assert_eq!(report.resolved, 0, "no conflict to resolve");
    let leaves = couch.leaves(&first.to_string());
    assert_eq!(
        leaves.len(),
        1,
        "one branch, not two closed into one: {leaves:?}"
    );
    run(sync(&couch, &b, &b.options("bob", "s2"))).unwrap();
    assert_eq!(
        b.note(first).body().text(),
        "Note 0, corrected during the sync."
    );
    assert_eq!(b.get(first), a.get(first));
}

#[test]
fn a_413_halves_the_batch_until_the_server_takes_it() {
    let couch = Couch::new();
    couch.max_docs.set(7);
    let a = Phone::new("phone-a");
    many(&a, 60);
    let report = run(sync(&couch, &a, &a.options("ann", "s1"))).unwrap();
    assert_eq!(report.sent, 61);
    assert_eq!(couch.ids().len(), 61);
}

#[test]
fn a_hostile_document_is_refused_listed_and_changes_nothing_on_the_phone() {
    let (couch, a, b) = household();
    run(sync(&couch, &a, &a.options("ann", "s1"))).unwrap();
    run(sync(&couch, &b, &b.options("bob", "s2"))).unwrap();
    let before: Vec<AnyRecord> = (1..=3).map(|n| b.get(id(n))).collect();
    // Someone with the admin password puts documents straight on the server.
    let mut forged = couch.live_leaves(&id(2).to_string())[0].clone();
    forged["record"]["updated_at"] = json!("9999-06-01T10:00:00Z");
    forged["record"]["body"]["text"] = json!("");
    let rev: Rev = forged["_rev"].as_str().unwrap().parse().unwrap();
    let next = Rev::next(Some(&rev), false, &forged);
    forged["_rev"] = json!(next.to_string());
    forged["_revisions"] = json!({"start": next.generation, "ids": [next.hash, rev.hash]});
    couch.put_doc(&forged);
    couch.put_doc(&json!({"_id": "junk", "_rev": "1-abc", "_revisions": {"start": 1, "ids": ["abc"]}, "type": "spell", "hearth": 1}));
    let report = run(sync(&couch, &b, &b.options("bob", "s3"))).unwrap();
    let ids: Vec<&str> = report.refused.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(report.refused.len(), 2, "{:?}", report.refused);
    assert!(ids.contains(&"junk"));
    assert!(report.refused.iter().all(|r| !r.problem.is_empty()));
    let after: Vec<AnyRecord> = (1..=3).map(|n| b.get(id(n))).collect();
    assert_eq!(before, after);
    assert_eq!(b.count(), 3);
}

#[test]
fn a_server_restored_from_an_old_backup_gets_everything_again() {
    let (couch, a, _) = household();
    run(sync(&couch, &a, &a.options("ann", "s1"))).unwrap();
    // The server loses its documents and its checkpoints.
    let restored = Couch::new();
    let report = run(sync(&restored, &a, &a.options("ann", "s2"))).unwrap();
    assert_eq!(report.sent, 3);
    assert_eq!(restored.ids().len(), 3);
    let _ = couch;
}

#[test]
fn sample_data_never_leaves_the_phone() {
    let (couch, a, _) = household();
    a.write(person(7, "Sample Sam", hearth_core::sample::SAMPLE_AUTHOR));
    a.write(note(8, id(7), "A note the carer wrote about Sam.", "Ann"));
    run(sync(&couch, &a, &a.options("ann", "s1"))).unwrap();
    let ids = couch.ids();
    assert_eq!(ids.len(), 3);
    assert!(!ids.contains(&id(7).to_string()) && !ids.contains(&id(8).to_string()));
}

#[test]
fn a_document_the_servers_rules_refuse_is_reported_and_not_sent_again() {
    let (couch, a, _) = household();
    *couch.forbid.borrow_mut() = Some("Baked".into());
    let report = run(sync(&couch, &a, &a.options("ann", "s1"))).unwrap();
    assert_eq!(report.rejected.len(), 1);
    assert_eq!(report.sent, 2);
    let report = run(sync(&couch, &a, &a.options("ann", "s2"))).unwrap();
    assert!(report.rejected.is_empty(), "not retried while unchanged");
}

#[test]
fn a_phone_that_pulled_early_fast_forwards_after_many_edits() {
    let (couch, a, b) = household();
    run(sync(&couch, &a, &a.options("ann", "s1"))).unwrap();
    run(sync(&couch, &b, &b.options("bob", "s2"))).unwrap();
    for i in 0..150 {
        a.write(amended(&a, 2, &format!("Edit {i}"), "Ann", 0));
        run(sync(&couch, &a, &a.options("ann", &format!("a{i}")))).unwrap();
    }
    run(sync(&couch, &b, &b.options("bob", "s3"))).unwrap();
    assert_eq!(couch.leaves(&id(2).to_string()).len(), 1, "no conflict");
    assert_eq!(b.get(id(2)), a.get(id(2)));
}

#[test]
fn signed_out_forbidden_and_missing_databases_stop_with_their_words() {
    struct Status(u16);
    impl Remote for Status {
        async fn send(&self, _: Method, _: &str, _: Option<&Value>) -> Result<Answer, Unreachable> {
            Ok(Answer {
                status: self.0,
                body: json!({"error": "x"}),
            })
        }
    }
    let a = Phone::new("a");
    let opts = a.options("ann", "s");
    assert_eq!(
        run(sync(&Status(401), &a, &opts)),
        Err(SyncError::SignedOut)
    );
    assert_eq!(
        run(sync(&Status(403), &a, &opts)),
        Err(SyncError::Forbidden)
    );
    assert_eq!(
        run(sync(&Status(404), &a, &opts)),
        Err(SyncError::NoDatabase)
    );
    assert!(SyncError::SignedOut.to_string().contains("sign in again"));
}

fn asked_revs_diff(couch: &Couch) -> usize {
    couch
        .requests
        .borrow()
        .iter()
        .filter(|r| r.ends_with("_revs_diff"))
        .count()
}

#[test]
fn a_first_push_to_a_new_server_asks_about_one_batch_then_sends_without_asking() {
    let couch = Couch::new();
    let a = Phone::new("phone-a");
    many(&a, 1000);
    let report = run(sync(&couch, &a, &a.options("ann", "s1"))).unwrap();
    assert_eq!((report.sent, couch.ids().len()), (1001, 1001));
    assert_eq!(asked_revs_diff(&couch), 1, "{:?}", couch.requests.borrow());
    // A record written since: asked about (a batch of one tells nothing).
    couch.requests.borrow_mut().clear();
    a.write(note(200, id(1), "Tea at four.", "Ann"));
    let report = run(sync(&couch, &a, &a.options("ann", "s2"))).unwrap();
    assert_eq!(report.sent, 1);
    assert_eq!(asked_revs_diff(&couch), 1, "{:?}", couch.requests.borrow());
    assert_eq!(couch.ids().len(), 1002);
}

#[test]
fn a_phone_signing_in_again_is_asked_about_every_batch_and_sends_nothing_twice() {
    let couch = Couch::new();
    let a = Phone::new("phone-a");
    many(&a, 1000);
    run(sync(&couch, &a, &a.options("ann", "s1"))).unwrap();
    // Signed out keeping the records: the sync state and checkpoints go.
    for (_, _, meta) in a.records.borrow_mut().values_mut() {
        *meta = None;
    }
    a.checkpoints.borrow_mut().clear();
    couch.requests.borrow_mut().clear();
    let report = run(sync(&couch, &a, &a.options("ann", "s2"))).unwrap();
    assert_eq!(report.sent, 0, "the server had them all");
    assert_eq!(asked_revs_diff(&couch), 11, "{:?}", couch.requests.borrow());
    assert_eq!(couch.ids().len(), 1001);
}

#[test]
fn a_new_phones_first_pull_looks_nothing_up_and_the_next_one_does() {
    let couch = Couch::new();
    let (a, b) = (Phone::new("phone-a"), Phone::new("phone-b"));
    many(&a, 250);
    run(sync(&couch, &a, &a.options("ann", "s1"))).unwrap();
    run(sync(&couch, &b, &b.options("bob", "s2"))).unwrap();
    assert_eq!(b.count(), 251);
    assert_eq!(b.metas_asked.get(), 0, "a new phone knows no leaf");
    assert_eq!(b.copies_asked.get(), 0, "nor has copies to read");
    a.write(note(200, id(1), "Tea at four.", "Ann"));
    run(sync(&couch, &a, &a.options("ann", "s3"))).unwrap();
    run(sync(&couch, &b, &b.options("bob", "s4"))).unwrap();
    assert_eq!(b.count(), 252);
    assert!(b.metas_asked.get() > 0, "then it looks leaves up");
}

/// The document a phone sends for `record`, a child of the server's only
/// leaf of it.
fn child_doc(couch: &Couch, record: &AnyRecord, carer: &str) -> Value {
    let leaves = couch.leaves(&record.id().to_string());
    let parent: Rev = leaves[0].parse().unwrap();
    let mut doc = hearth_core::sync::doc::to_doc(record, carer);
    let rev = Rev::next(Some(&parent), false, &doc);
    doc["_rev"] = json!(rev.to_string());
    doc["_revisions"] = json!({"start": rev.generation, "ids": [rev.hash, parent.hash]});
    doc
}

#[test]
fn a_record_changed_on_the_server_during_a_new_phones_first_pull_ends_at_its_newest_version() {
    let couch = Couch::new();
    let (a, b) = (Phone::new("phone-a"), Phone::new("phone-b"));
    many(&a, 1500);
    run(sync(&couch, &a, &a.options("ann", "s1"))).unwrap();
    // The first note is in the first page of changes; once that page is
    // answered, the other carer's correction of it arrives, so a later
    // page names it again, after the new phone stored its first version.
    let first = first_of_many();
    let mut note = match a.get(first) {
        AnyRecord::Note(n) => n,
        other => panic!("not a note: {other:?}"),
    };
    note.amend(
        note.rev(),
        note_body(id(1), "Note 0, corrected on the other phone."),
        "Ann",
        now() - Duration::minutes(1),
    )
    .unwrap();
    a.write(note.clone().into());
    couch
        .put_after_changes
        .borrow_mut()
        .push(child_doc(&couch, &note.clone().into(), "ann"));
    let report = run(sync(&couch, &b, &b.options("bob", "s2"))).unwrap();
    assert_eq!(b.get(first), AnyRecord::Note(note));
    assert_eq!(b.count(), 1501);
    assert_eq!(b.copies_asked.get(), 1, "only the record met twice is read");
    assert_eq!(report.sent, 0, "nothing of the phone's own to send");
    assert_eq!(couch.leaves(&first.to_string()).len(), 1);
}

#[test]
fn a_note_corrected_here_while_the_pull_brings_the_other_carers_correction_goes_up_merged() {
    let (couch, a, b) = household();
    run(sync(&couch, &a, &a.options("ann", "s1"))).unwrap();
    run(sync(&couch, &b, &b.options("bob", "s2"))).unwrap();
    a.write(amended(&a, 2, "Walked to the park and back.", "Ann", 10));
    run(sync(&couch, &a, &a.options("ann", "s3"))).unwrap();
    // Bob saves his own correction just as his pull stores Ann's.
    *b.edit_during_store.borrow_mut() =
        Some(amended(&b, 2, "Walked to the park, then tea.", "Bob", 20));
    let report = run(sync(&couch, &b, &b.options("bob", "s4"))).unwrap();
    assert_eq!(report.resolved, 0, "no conflict made");
    assert_eq!(
        couch.leaves(&id(2).to_string()).len(),
        1,
        "Bob's correction went up as a child of Ann's"
    );
    let texts: Vec<String> = b
        .note(id(2))
        .history()
        .iter()
        .map(|v| v.body.text().to_string())
        .chain([b.note(id(2)).body().text().to_string()])
        .collect();
    assert!(
        texts.contains(&"Walked to the park and back.".to_string())
            && texts.contains(&"Walked to the park, then tea.".to_string()),
        "both corrections kept: {texts:?}"
    );
    run(sync(&couch, &a, &a.options("ann", "s5"))).unwrap();
    assert_eq!(a.get(id(2)), b.get(id(2)));
}

/// Ann's household after two other phones each sent their own correction
/// of the first note without seeing the other's: two open leaves on the
/// server. Ann's and Bob's phones synced before either and hold neither.
fn two_corrections_apart() -> (Couch, Phone, Phone) {
    let (couch, a, b) = household();
    run(sync(&couch, &a, &a.options("ann", "s1"))).unwrap();
    run(sync(&couch, &b, &b.options("bob", "s2"))).unwrap();
    let docs: Vec<Value> = [
        ("Walked to the park with Jan.", "Bob", 10),
        ("Walked to the park, then tea.", "Cat", 20),
    ]
    .into_iter()
    .map(|(text, author, minutes)| {
        let carer = author.to_lowercase();
        child_doc(&couch, &amended(&b, 2, text, author, minutes), &carer)
    })
    .collect();
    for doc in &docs {
        assert_eq!(couch.put_doc(doc), None);
    }
    assert_eq!(couch.live_leaves(&id(2).to_string()).len(), 2);
    (couch, a, b)
}

#[test]
fn three_open_leaves_are_merged_into_one_with_every_correction() {
    let (couch, a, b) = two_corrections_apart();
    a.write(amended(&a, 2, "Walked to the park in the rain.", "Ann", 30));
    let report = run(sync(&couch, &a, &a.options("ann", "s3"))).unwrap();
    assert_eq!(report.resolved, 1);
    let live = couch.live_leaves(&id(2).to_string());
    assert_eq!(live.len(), 1, "one open leaf left: {live:?}");
    assert_keeps(
        &a,
        2,
        &[
            "Walked to the park.",
            "Walked to the park with Jan.",
            "Walked to the park, then tea.",
            "Walked to the park in the rain.",
        ],
    );
    assert_eq!(live[0]["record"], a.get(id(2)).envelope());
    run(sync(&couch, &b, &b.options("bob", "s4"))).unwrap();
    assert_eq!(a.get(id(2)), b.get(id(2)), "both phones hold the merge");
}

#[test]
fn two_phones_resolving_one_conflict_at_once_write_the_same_revision() {
    // The same server twice: Ann's phone resolves on one, Bob's on the
    // other, neither seeing what the other wrote.
    let (here, a, _) = two_corrections_apart();
    let (there, _, b) = two_corrections_apart();
    assert_eq!(
        run(sync(&here, &a, &a.options("ann", "s3")))
            .unwrap()
            .resolved,
        1
    );
    assert_eq!(
        run(sync(&there, &b, &b.options("bob", "s4")))
            .unwrap()
            .resolved,
        1
    );
    let key = id(2).to_string();
    assert_eq!(here.leaves(&key), there.leaves(&key), "the same revisions");
    assert_eq!(here.live_leaves(&key), there.live_leaves(&key));
    assert_eq!(a.get(id(2)), b.get(id(2)));
    // Bob's resolution reaching Ann's server adds nothing to it.
    let leaves = here.leaves(&key);
    for rev in there.leaves(&key) {
        assert_eq!(here.put_doc(&there.with_revisions(&key, &rev)), None);
    }
    assert_eq!(here.leaves(&key), leaves);
    assert_eq!(here.live_leaves(&key).len(), 1);
}
