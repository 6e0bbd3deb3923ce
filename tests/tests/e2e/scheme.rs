//! A scheme's server, without a browser: `tools/scheme-admin.mjs` sets up a
//! household on pouchdb-server, and its `_security` and `_design/hearth` let
//! each carer write only what Hearth writes, as themselves; the coordinator
//! reads; a carer of another household can't look in. Also the harness's
//! own pieces the sync journeys rely on: the `/couch/` proxy (cookies,
//! pausing, stopping midway, CouchDB 3's answers) and cleaning up.

use crate::harness::{dist, Couch, Http, Reply, Server};
use serde_json::{json, Value};

const HOUSEHOLD: &str = "ann-and-dev";
const ANN: (&str, &str) = ("ann", "ann's password");
const DEV: (&str, &str) = ("dev", "dev's password");
const EVE: (&str, &str) = ("eve", "eve's password");
const SAM: (&str, &str) = ("sam", "sam's password");

/// A scheme: Ann and Dev's household, Sam the coordinator, and Eve, who
/// cares in another household.
fn scheme() -> Couch {
    let couch = Couch::start();
    couch.user(SAM.0, SAM.1, &["coordinator"]);
    couch.household(HOUSEHOLD, &[ANN, DEV]);
    couch.household("eve-at-home", &[EVE]);
    couch
}

fn user(couch: &Couch, (name, password): (&str, &str)) -> Http {
    couch.as_user(name, password)
}

/// A record's id (a lowercase UUID) for test number `n`.
fn id(n: u32) -> String {
    format!("{n:08x}-0000-4000-8000-000000000000")
}

/// A revision id as Hearth makes them: generation, 32 lowercase hex.
fn rev(generation: u32, seed: u32) -> String {
    format!("{generation}-{seed:032x}")
}

/// A Hearth document as a phone sends it, at revision `generation-seed` over
/// `parents` (newest first, their hashes).
fn record(id: &str, kind: &str, carer: &str, generation: u32, seed: u32, parents: &[u32]) -> Value {
    let mut ids = vec![format!("{seed:032x}")];
    ids.extend(parents.iter().map(|p| format!("{p:032x}")));
    json!({
        "_id": id,
        "_rev": rev(generation, seed),
        "_revisions": { "start": generation, "ids": ids },
        "type": kind,
        "hearth": 1,
        "carer": carer,
        "record": { "id": id, "rev": generation, "body": { "text": "Went to the allotment." } },
    })
}

/// Sends `docs` as replication does; the rows of the answer.
fn replicate(client: &Http, db: &str, docs: Vec<Value>) -> Vec<Value> {
    let (status, rows) = client.post(
        &format!("/{db}/_bulk_docs"),
        &json!({ "docs": docs, "new_edits": false }),
    );
    assert_eq!(status, 201, "_bulk_docs: {rows}");
    rows.as_array().cloned().expect("rows")
}

/// The one doc's `_bulk_docs` answer: `Ok` when stored, else the error row.
fn replicate_one(client: &Http, doc: Value) -> Result<(), Value> {
    let rows = replicate(client, HOUSEHOLD, vec![doc]);
    match rows.iter().find(|row| row.get("error").is_some()) {
        Some(row) => Err(row.clone()),
        None => Ok(()),
    }
}

fn refused(result: Result<(), Value>, why: &str) {
    match result {
        Err(row) => assert_eq!(row["error"], "forbidden", "{why}: {row}"),
        Ok(()) => panic!("{why}: it was stored"),
    }
}

#[test]
fn running_the_admin_tool_again_changes_nothing() {
    let couch = scheme();
    let snapshot = |couch: &Couch| {
        let get = |path: &str| couch.admin_get(path).1;
        let users = [ANN, DEV, SAM]
            .map(|(name, _)| get(&format!("/_users/org.couchdb.user:{name}"))["_rev"].clone());
        json!({
            "security": get(&format!("/{HOUSEHOLD}/_security")),
            "design": get(&format!("/{HOUSEHOLD}/_design/hearth"))["_rev"],
            "users": users,
        })
    };
    let before = snapshot(&couch);
    assert_eq!(
        before["security"],
        json!({
            "admins": { "names": [], "roles": [] },
            "members": { "names": ["ann", "dev"], "roles": ["coordinator"] },
        })
    );
    assert!(before["design"]
        .as_str()
        .is_some_and(|r| r.starts_with("1-")));

    let again = couch.household(HOUSEHOLD, &[ANN, DEV]);
    assert_eq!(
        again.lines().collect::<Vec<_>>(),
        [
            "already set: user ann (roles: hearth-household:ann-and-dev)",
            "already set: user dev (roles: hearth-household:ann-and-dev)",
            "already there: database ann-and-dev",
            "already set: _security of ann-and-dev (members: ann, dev; member roles: coordinator)",
            &format!(
                "already set: _design/hearth in ann-and-dev ({})",
                before["design"].as_str().unwrap()
            ),
        ]
    );
    couch.user(SAM.0, SAM.1, &["coordinator"]);
    // A password is given again, but not reset unless asked.
    assert_eq!(snapshot(&couch), before);
    let (status, _) = user(&couch, ANN).get(&format!("/{HOUSEHOLD}"));
    assert_eq!(status, 200);

    // The app finds a carer's household from this role when they sign in.
    let (_, session) =
        Http::new(&couch.url()).post("/_session", &json!({ "name": ANN.0, "password": ANN.1 }));
    assert_eq!(
        session["roles"],
        json!(["hearth-household:ann-and-dev"]),
        "{session}"
    );

    // One more carer is added to those already there, and taken off again.
    let added = couch.household(HOUSEHOLD, &[("joan", "joan's password")]);
    assert!(
        added.contains("created user joan (roles: hearth-household:ann-and-dev)"),
        "{added}"
    );
    let (_, security) = couch.admin_get(&format!("/{HOUSEHOLD}/_security"));
    assert_eq!(security["members"]["names"], json!(["ann", "dev", "joan"]));
    let out = couch.scheme_admin(&["household", HOUSEHOLD, "--remove-carer", "joan"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (_, security) = couch.admin_get(&format!("/{HOUSEHOLD}/_security"));
    assert_eq!(security["members"]["names"], json!(["ann", "dev"]));
    let (_, joan) = couch.admin_get("/_users/org.couchdb.user:joan");
    assert_eq!(joan["roles"], json!([]));

    // A carer syncs one household: Eve is already in hers.
    let out = couch.scheme_admin(&[
        "household",
        HOUSEHOLD,
        "--carer",
        "kit:pw",
        "--carer",
        "eve",
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("eve is already a carer in eve-at-home"),
        "{stderr}"
    );
    let kit = couch.admin_get("/_users/org.couchdb.user:kit").0;
    assert_eq!(kit, 404, "written before failing");
}

#[test]
fn the_admin_tool_says_what_went_wrong() {
    let couch = Couch::start();
    let fail = |out: std::process::Output, code: i32, says: &str| {
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "{stderr}");
        assert!(stderr.contains(says), "expected {says:?} in {stderr:?}");
    };
    let tool = |args: &[&str], admin: &str| {
        std::process::Command::new("node")
            .arg(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../tools/scheme-admin.mjs"
            ))
            .args(args)
            .env("HEARTH_COUCH_ADMIN", admin)
            .output()
            .expect("run the tool")
    };
    let url = couch.url();
    fail(
        tool(
            &["--server", &url, "household", "h", "--carer", "a:b"],
            "admin:wrong",
        ),
        1,
        "refused the admin name or password",
    );
    fail(
        tool(
            &["--server", "http://127.0.0.1:9", "user", "a", "b"],
            "admin:x",
        ),
        1,
        "couldn't reach http://127.0.0.1:9",
    );
    fail(
        couch.scheme_admin(&["household", "Not A Name", "--carer", "a:b"]),
        2,
        "can't be a database name",
    );
    fail(
        couch.scheme_admin(&["household", "h", "--carer", "nobody"]),
        1,
        "give a password",
    );
}

#[test]
fn a_carer_writes_hearth_records_as_themselves() {
    let couch = scheme();
    let (ann, dev) = (user(&couch, ANN), user(&couch, DEV));
    let note = id(1);

    // A new record, sent as replication sends it: stored, with its history.
    replicate_one(&ann, record(&note, "note", "ann", 2, 0xa2, &[0xa1])).expect("stored");
    let (status, stored) = dev.get(&format!("/{HOUSEHOLD}/{note}?revs=true"));
    assert_eq!(status, 200, "{stored}");
    assert_eq!(stored["carer"], "ann");
    assert_eq!(
        stored["_revisions"]["ids"].as_array().map(Vec::len),
        Some(2),
        "{stored}"
    );

    // Dev amends it (the carer stays Ann's): the new revision is stored on
    // top, not lost.
    replicate_one(&dev, record(&note, "note", "ann", 3, 0xd3, &[0xa2, 0xa1])).expect("amended");
    let (_, stored) = ann.get(&format!("/{HOUSEHOLD}/{note}?revs=true"));
    assert_eq!(stored["_rev"], rev(3, 0xd3));
    assert_eq!(
        stored["_revisions"]["ids"].as_array().map(Vec::len),
        Some(3),
        "{stored}"
    );

    refused(
        replicate_one(&ann, record(&id(2), "note", "dev", 1, 0xb1, &[])),
        "a new record naming another carer",
    );
    refused(
        replicate_one(
            &dev,
            record(&note, "note", "dev", 4, 0xd4, &[0xd3, 0xa2, 0xa1]),
        ),
        "the carer changed",
    );
    refused(
        replicate_one(
            &dev,
            record(&note, "visit", "ann", 4, 0xd5, &[0xd3, 0xa2, 0xa1]),
        ),
        "the kind changed",
    );
    refused(
        replicate_one(
            &ann,
            json!({ "_id": "shopping", "_rev": rev(1, 1), "milk": 2 }),
        ),
        "not a Hearth document",
    );
    let mut other_id = record(&id(3), "note", "ann", 1, 0xc1, &[]);
    other_id["record"]["id"] = json!(id(4));
    refused(replicate_one(&ann, other_id), "the record's id differs");
    let mut newer = record(&id(5), "note", "ann", 1, 0xc2, &[]);
    newer["hearth"] = json!(2);
    refused(replicate_one(&ann, newer), "an unknown format");
    refused(
        replicate_one(&ann, record(&id(6), "invoice", "ann", 1, 0xc3, &[])),
        "an unknown kind",
    );
    // The reason is the design document's, in words.
    let row = replicate_one(&ann, record(&id(7), "note", "dev", 1, 0xc4, &[])).unwrap_err();
    assert_eq!(
        row["reason"],
        "A new record must be sent by the carer it names, but it names dev."
    );

    // A conflict: both edited revision 3 offline. Closing the losing branch
    // with a deletion stub is allowed; a deletion carrying data isn't.
    replicate_one(
        &ann,
        record(&note, "note", "ann", 4, 0xa4, &[0xd3, 0xa2, 0xa1]),
    )
    .expect("ann's edit");
    replicate_one(
        &dev,
        record(&note, "note", "ann", 4, 0xd6, &[0xd3, 0xa2, 0xa1]),
    )
    .expect("dev's edit");
    let (_, both) = ann.get(&format!("/{HOUSEHOLD}/{note}?conflicts=true"));
    assert_eq!(
        both["_conflicts"].as_array().map(Vec::len),
        Some(1),
        "{both}"
    );
    let stub = |seed: u32, extra: Option<(&str, Value)>| {
        let mut stub = json!({
            "_id": note,
            "_rev": rev(5, seed),
            "_revisions": { "start": 5, "ids": [format!("{seed:032x}"), format!("{:032x}", 0xa4), format!("{:032x}", 0xd3)] },
            "_deleted": true,
        });
        if let Some((key, value)) = extra {
            stub[key] = value;
        }
        stub
    };
    refused(
        replicate_one(&dev, stub(0xe1, Some(("secret", json!("smuggled"))))),
        "a deletion with data",
    );
    replicate_one(&dev, stub(0xe2, None)).expect("the stub closes Ann's branch");
    let (_, closed) = ann.get(&format!("/{HOUSEHOLD}/{note}?conflicts=true"));
    assert_eq!(closed["_rev"], rev(4, 0xd6));
    assert!(closed.get("_conflicts").is_none(), "{closed}");

    // A server admin may write anything, Hearth's or not.
    let (status, answer) = couch.admin_put(
        &format!("/{HOUSEHOLD}/scheme-notes"),
        &json!({ "text": "hi" }),
    );
    assert_eq!(status, 201, "{answer}");
    let (status, answer) = couch.admin_post(
        &format!("/{HOUSEHOLD}/_bulk_docs"),
        &json!({ "docs": [record(&id(8), "note", "dev", 1, 0xf1, &[])], "new_edits": false }),
    );
    assert_eq!(
        (status, answer.as_array().map(Vec::len)),
        (201, Some(0)),
        "{answer}"
    );
    replicate(
        &couch.admin(),
        HOUSEHOLD,
        vec![json!({ "_id": "anything", "_rev": rev(1, 2) })],
    );

    // A carer can't change the design document or _security.
    let (status, _) = ann.put(
        &format!("/{HOUSEHOLD}/_design/mine"),
        &json!({ "views": {} }),
    );
    assert!(matches!(status, 401 | 403), "design doc written: {status}");
    let (status, _) = ann.put(&format!("/{HOUSEHOLD}/_security"), &json!({}));
    assert!(matches!(status, 401 | 403), "_security written: {status}");
}

#[test]
fn a_phone_writes_only_its_own_carers_status() {
    let couch = scheme();
    let (ann, dev) = (user(&couch, ANN), user(&couch, DEV));
    let status = |carer: &str, device: &str| {
        json!({
            "type": "device_status", "carer": carer, "device": device,
            "last_sync": "2026-12-02T10:00:00Z", "waiting": 0, "app_version": "0.1.0",
        })
    };
    let path = format!("/{HOUSEHOLD}/hearth-status-phone-1");
    let (code, answer) = ann.put(&path, &status("ann", "phone-1"));
    assert_eq!(code, 201, "{answer}");
    // Replacing its own, with the current _rev, as the app does.
    let mut again = status("ann", "phone-1");
    again["_rev"] = answer["rev"].clone();
    again["waiting"] = json!(3);
    let (code, answer) = ann.put(&path, &again);
    assert_eq!(code, 201, "{answer}");

    // Dev can't send one as Ann, nor under another phone's id.
    for (id, doc) in [
        ("hearth-status-phone-2", status("ann", "phone-2")),
        ("hearth-status-phone-9", status("dev", "phone-2")),
    ] {
        let (code, answer) = dev.put(&format!("/{HOUSEHOLD}/{id}"), &doc);
        assert_eq!(
            (code, answer["error"].as_str()),
            (403, Some("forbidden")),
            "{id}: {answer}"
        );
    }
}

#[test]
fn the_coordinator_reads_and_other_households_cannot() {
    let couch = scheme();
    let note = id(1);
    replicate_one(
        &user(&couch, ANN),
        record(&note, "note", "ann", 1, 0xa1, &[]),
    )
    .expect("stored");

    let sam = user(&couch, SAM);
    let (status, info) = sam.get(&format!("/{HOUSEHOLD}"));
    assert_eq!(status, 200, "{info}");
    let (status, doc) = sam.get(&format!("/{HOUSEHOLD}/{note}"));
    assert_eq!((status, doc["carer"].as_str()), (200, Some("ann")));
    let (status, changes) = sam.get(&format!("/{HOUSEHOLD}/_changes?style=all_docs"));
    assert_eq!(status, 200);
    assert!(changes["results"].as_array().is_some_and(|r| r.len() >= 2));

    refused(
        replicate_one(&sam, record(&id(2), "note", "sam", 1, 0x51, &[])),
        "the coordinator writing",
    );
    let (status, answer) = sam.put(
        &format!("/{HOUSEHOLD}/{}", id(3)),
        &json!({ "type": "note", "hearth": 1, "carer": "sam", "record": { "id": id(3) } }),
    );
    assert_eq!(
        (status, answer["error"].as_str()),
        (403, Some("forbidden")),
        "{answer}"
    );

    let eve = user(&couch, EVE);
    for path in [format!("/{HOUSEHOLD}"), format!("/{HOUSEHOLD}/{note}")] {
        let (status, _) = eve.get(&path);
        assert!(matches!(status, 401 | 403), "Eve read {path}: {status}");
    }
    let (status, _) = couch.anonymous().get(&format!("/{HOUSEHOLD}"));
    assert!(
        matches!(status, 401 | 403),
        "read without signing in: {status}"
    );
    let (status, _) = user(&couch, ("ann", "wrong")).get(&format!("/{HOUSEHOLD}"));
    assert_eq!(status, 401);
}

#[test]
fn the_proxy_serves_couchdb_on_the_apps_origin() {
    let couch = scheme();
    let (server, proxy) = Server::start_with_couch(dist(), &couch);
    assert_eq!(proxy.url(), format!("{}couch", server.url()));

    // The app itself is still served.
    let page: Reply = Http::new(&server.url()).send("GET", "/", None);
    assert_eq!(page.status, 200);
    assert!(page
        .body
        .as_str()
        .is_some_and(|html| html.contains("<html")));

    // Signing in: the cookie comes back through the proxy and works.
    let couchdb = Http::new(&proxy.url());
    let session = couchdb.send(
        "POST",
        "/_session",
        Some(&json!({ "name": ANN.0, "password": ANN.1 })),
    );
    assert_eq!(session.status, 200, "{:?}", session.body);
    let cookie = session.header("Set-Cookie").expect("a Set-Cookie");
    assert!(cookie.starts_with("AuthSession="), "{cookie}");
    let signed_in = couchdb.clone().cookie(cookie.split(';').next().unwrap());
    let (status, info) = signed_in.get(&format!("/{HOUSEHOLD}"));
    assert_eq!((status, info["db_name"].as_str()), (200, Some(HOUSEHOLD)));
    let (_, me) = signed_in.get("/_session");
    assert_eq!(me["userCtx"]["name"], "ann");

    // Basic auth and bodies are passed on too.
    let note = id(1);
    let ann = couchdb.clone().basic(ANN.0, ANN.1);
    replicate_one(&ann, record(&note, "note", "ann", 1, 0xa1, &[])).expect("stored");
    let (status, _) = couch.admin_get(&format!("/{HOUSEHOLD}/{note}"));
    assert_eq!(status, 200);
    let (status, _) = couchdb.get(&format!("/{HOUSEHOLD}"));
    assert!(matches!(status, 401 | 403));
    let (status, gone) = ann.delete(&format!("/{HOUSEHOLD}/nothing-here?rev=1-0"));
    assert_eq!(status, 404, "{gone}");
    // Creating a database is the admin's (and would crash pouchdb-server).
    let (status, answer) = ann.put("/another-household", &json!({}));
    assert_eq!(
        (status, answer["error"].as_str()),
        (401, Some("unauthorized"))
    );
    assert_eq!(couch.admin_get("/another-household").0, 404);

    let log = proxy.requests();
    assert_eq!(
        (log[0].method.as_str(), log[0].path.as_str(), log[0].status),
        ("POST", "/_session", Some(200))
    );
    assert_eq!(log.len(), 7, "{log:?}");
}

#[test]
fn the_proxy_pauses_and_stops_midway() {
    let couch = scheme();
    let (server, proxy) = Server::start_with_couch(dist(), &couch);
    let ann = Http::new(&proxy.url()).basic(ANN.0, ANN.1);
    let db = format!("/{HOUSEHOLD}");

    proxy.pause();
    assert!(
        ann.try_send("GET", &db, None).is_err(),
        "answered while paused"
    );
    // Only CouchDB goes quiet: the app is still there.
    assert_eq!(Http::new(&server.url()).send("GET", "/", None).status, 200);
    proxy.resume();
    assert_eq!(ann.get(&db).0, 200);

    // Cut off after two answers, as in the middle of a sync; CouchDB keeps
    // what it had.
    replicate_one(&ann, record(&id(1), "note", "ann", 1, 0xa1, &[])).expect("stored");
    proxy.stop_after(2);
    assert_eq!(ann.get(&db).0, 200);
    assert_eq!(ann.get(&format!("{db}/{}", id(1))).0, 200);
    assert!(ann.try_send("GET", &db, None).is_err(), "a third answer");
    assert!(ann.try_send("GET", &db, None).is_err(), "a fourth answer");
    proxy.resume();
    let (_, info) = ann.get(&db);
    assert_eq!(info["doc_count"], 2, "{info}"); // the record and _design/hearth

    let answered: Vec<Option<u16>> = proxy.requests().iter().map(|r| r.status).collect();
    assert_eq!(
        answered,
        [
            None,
            Some(200),
            Some(201),
            Some(200),
            Some(200),
            None,
            None,
            Some(200)
        ]
    );
}

#[test]
fn the_proxy_can_answer_like_couchdb_3() {
    let couch = scheme();
    let (_server, proxy) = Server::start_with_couch(dist(), &couch);
    let ann = Http::new(&proxy.url()).basic(ANN.0, ANN.1);
    let docs = vec![
        record(&id(1), "note", "ann", 1, 0xa1, &[]),
        record(&id(2), "note", "dev", 1, 0xa2, &[]),
    ];

    // pouchdb-server's own answers: integer sequences.
    let (_, changes) = ann.get(&format!("/{HOUSEHOLD}/_changes?style=all_docs"));
    assert!(changes["last_seq"].is_u64(), "{changes}");

    proxy.couchdb3_answers(true);
    let rows = replicate(&ann, HOUSEHOLD, docs);
    assert_eq!(rows.len(), 1, "only the failure: {rows:?}");
    assert_eq!(rows[0]["id"], id(2));
    assert_eq!(rows[0]["rev"], rev(1, 0xa2));
    assert_eq!(rows[0]["error"], "forbidden");

    let (_, info) = ann.get(&format!("/{HOUSEHOLD}"));
    assert!(info["update_seq"].is_string(), "{info}");
    let (_, first) = ann.get(&format!("/{HOUSEHOLD}/_changes?style=all_docs&limit=1"));
    let seq = first["last_seq"]
        .as_str()
        .expect("an opaque last_seq")
        .to_string();
    assert!(seq.contains("-g1AAAA"), "{seq}");
    assert!(first["results"][0]["seq"].is_string(), "{first}");
    // The phone sends it back as it got it; the rest of the feed follows.
    let (_, rest) = ann.get(&format!("/{HOUSEHOLD}/_changes?style=all_docs&since={seq}"));
    let ids: Vec<&str> = rest["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter_map(|row| row["id"].as_str())
        .collect();
    assert_eq!(ids, [id(1).as_str()], "{rest}");
    assert!(rest["last_seq"].is_string());
}

#[test]
fn couch_and_proxy_end_when_dropped_on_failure_too() {
    let alive = |pid: u32| std::path::Path::new(&format!("/proc/{pid}")).exists();

    let couch = Couch::start();
    let (server, proxy) = Server::start_with_couch(dist(), &couch);
    let (pid, app) = (couch.pid(), Http::new(&server.url()));
    assert!(alive(pid));
    drop(server);
    drop(proxy);
    assert!(app.try_send("GET", "/", None).is_err(), "still serving");
    drop(couch);
    assert!(!alive(pid), "pouchdb-server {pid} is still running");

    let started = std::sync::Mutex::new((0, std::path::PathBuf::new()));
    let failed = std::panic::catch_unwind(|| {
        let couch = Couch::start();
        *started.lock().unwrap() = (couch.pid(), couch.log_path());
        panic!("a journey fails");
    });
    assert!(failed.is_err());
    let (pid, log) = started.into_inner().unwrap();
    // Its log is kept for a failing test to look at.
    assert!(log.is_file(), "no log at {}", log.display());
    let _ = std::fs::remove_dir_all(log.parent().expect("the log's folder"));
    assert!(
        pid != 0 && !alive(pid),
        "pouchdb-server {pid} outlived the failure"
    );
}
