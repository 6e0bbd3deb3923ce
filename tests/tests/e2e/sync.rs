//! Sync with the scheme's server: two carers of one household on two
//! phones (two browser profiles), a real CouchDB-compatible server
//! (pouchdb-server, set up by `tools/scheme-admin.mjs`) behind the app's own
//! origin at `/couch`, as the README's scheme setup has it.

use crate::harness::*;
use fantoccini::Client;
use serde_json::Value;

const HOUSEHOLD: &str = "ann-and-dev";

/// The welcome, as carer `name`.
async fn welcome_as(c: &Client, name: &str) {
    see(c, "Everything stays on this phone.").await;
    fill(c, "f-carer_name", name).await;
    fill(c, "f-household_name", "Ann and Dev's").await;
    tap(c, "Start using Hearth").await;
    see(c, "Today's records").await;
}

/// More → "Sync with your scheme" → signs in, and waits for the first sync.
async fn sign_in(c: &Client, server: &str, user: &str, password: &str) {
    tap(c, "More").await;
    see(c, "Sync with your scheme").await;
    fill(c, "f-sync_server", server).await;
    fill(c, "f-sync_user", user).await;
    fill(c, "f-sync_password", password).await;
    let since = clock(c).await;
    tap(c, "Sign in").await;
    see(c, &format!("Signed in as\n{user}")).await;
    synced_after(c, since).await;
}

/// Waits until a sync that finished after `since` (the browser's clock, in
/// ms) has left nothing to send.
async fn synced_after(c: &Client, since: f64) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let script = "const d = document.querySelector('[data-synced]'); \
        return d ? Number(d.dataset.synced) : 0;";
    loop {
        let at = eval(c, script).await.as_f64().unwrap_or(0.0);
        let text = page_text(c).await;
        if at >= since && text.contains("Nothing waiting") && !text.contains("Syncing…") {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no sync finished:\n{text}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// The browser's clock, in ms.
async fn clock(c: &Client) -> f64 {
    eval(c, "return Date.now();")
        .await
        .as_f64()
        .expect("a time")
}

/// Waits for a whole sync that starts now (by itself or by "Sync now").
async fn synced(c: &Client) {
    let since = clock(c).await;
    if !page_text(c).await.contains("Syncing…") {
        tap(c, "Sync now").await;
    }
    synced_after(c, since).await;
}

/// Opens Meg's page.
async fn open_meg(c: &Client) {
    tap(c, "People").await;
    open_row(c, "Meg").await;
}

/// Corrects the note about Meg that starts `from`, as `carer`.
async fn correct_note(c: &Client, from: &str, text: &str, carer: &str) {
    open_meg(c).await;
    tap_containing(c, from).await;
    tap(c, "Correct this note").await;
    fill(c, "f-text", text).await;
    tap(c, "Save correction").await;
    see(c, &format!("Edited by {carer}")).await;
}

/// Writes a note about the person whose page is open.
async fn write_note(c: &Client, text: &str) {
    tap(c, "Write a note").await;
    fill(c, "f-text", text).await;
    tap(c, "Save note").await;
    see(c, text).await;
}

/// The household's documents on the server that are records (not design
/// or status documents), with their leaves.
fn server_records(couch: &Couch) -> Vec<Value> {
    let (status, all) = couch.admin_get(&format!(
        "/{HOUSEHOLD}/_all_docs?include_docs=true&conflicts=true"
    ));
    assert_eq!(status, 200, "{all}");
    all["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .filter(|r| r["doc"]["hearth"] == 1)
        .map(|r| r["doc"].clone())
        .collect()
}

/// How many records of each kind the phone holds, read from IndexedDB.
async fn stored_counts(c: &Client) -> Value {
    let script = "const done = arguments[0]; \
        const open = indexedDB.open('hearth'); \
        open.onsuccess = () => { const db = open.result; const names = ['people','notes','checkins','visits','stays','medicines','doses','absences']; \
          const tx = db.transaction(names); const out = {}; let left = names.length; \
          for (const n of names) { const r = tx.objectStore(n).count(); r.onsuccess = () => { out[n] = r.result; if (--left === 0) { db.close(); done(out); } }; } };";
    c.execute_async(script, vec![])
        .await
        .expect("count stored rows")
}

/// The phones' status documents on the server, by carer.
fn status_docs(couch: &Couch) -> Vec<Value> {
    let (status, all) = couch.admin_get(&format!("/{HOUSEHOLD}/_all_docs?include_docs=true"));
    assert_eq!(status, 200, "{all}");
    all["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .filter(|r| {
            r["id"]
                .as_str()
                .is_some_and(|id| id.starts_with("hearth-status-"))
        })
        .map(|r| r["doc"].clone())
        .collect()
}

/// The server's record whose text holds `text`.
fn server_record(couch: &Couch, text: &str) -> Value {
    let found: Vec<Value> = server_records(couch)
        .into_iter()
        .filter(|d| d.to_string().contains(text))
        .collect();
    assert_eq!(found.len(), 1, "one document holds {text:?}: {found:?}");
    found[0].clone()
}

/// A record as this phone stores it in IndexedDB (unsealed), absent
/// values and nulls alike left out, to compare with the server's.
async fn stored_record(c: &Client, store: &str, id: &str) -> Value {
    let script = "const [store, id, done] = arguments; \
        const open = indexedDB.open('hearth'); \
        open.onsuccess = () => { const db = open.result; \
          const r = db.transaction(store).objectStore(store).get(id); \
          r.onsuccess = () => { db.close(); done(r.result ? r.result.rec : null); }; };";
    let row = c
        .execute_async(script, vec![store.into(), id.into()])
        .await
        .expect("read a stored row");
    without_nulls(row)
}

/// `value` with every null member left out.
fn without_nulls(value: Value) -> Value {
    match value {
        Value::Object(members) => Value::Object(
            members
                .into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(without_nulls).collect()),
        other => other,
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn two_carers_share_a_household_and_a_new_phone_gets_everything_back() {
    let couch = Couch::start();
    couch.household(
        HOUSEHOLD,
        &[("ann", "ann-password-1"), ("dev", "dev-password-1")],
    );
    let (server, proxy) = Server::start_with_couch(dist(), &couch);
    let url = server.url();
    let address = proxy.url();
    let driver = Driver::start();

    // 1. Ann adds a person and two notes, then signs in: they are sent.
    let ann = Profile::new("sync-ann");
    let (u, a) = (url.clone(), address.clone());
    with_browser(&driver, &ann, move |c| async move {
        c.goto(&u).await.expect("open the app");
        welcome_as(&c, "Ann").await;
        add_person(&c, "Meg", "Short breaks").await;
        write_note(&c, "Meg made pancakes.").await;
        write_note(&c, "Meg phoned her mum.").await;
        tap(&c, "More").await;
        see(&c, "Sync with your scheme").await;
        eval(&c, "document.getElementById('sync-head').scrollIntoView();").await;
        screenshot(&c, "sync-01-signed-out").await;
        // A wrong password says so, and nothing is kept.
        fill(&c, "f-sync_server", &a).await;
        fill(&c, "f-sync_user", "ann").await;
        fill(&c, "f-sync_password", "not-it").await;
        tap(&c, "Sign in").await;
        see(&c, "That user name or password isn't right.").await;
        sign_in(&c, &a, "ann", "ann-password-1").await;
        see(&c, "Sync with your scheme").await;
        eval(&c, "document.getElementById('sync-head').scrollIntoView();").await;
        screenshot(&c, "sync-02-synced").await;
    })
    .await;
    let records = server_records(&couch);
    assert_eq!(records.len(), 3, "a person and two notes: {records:?}");
    assert!(records.iter().all(|d| d["carer"] == "ann"));
    assert!(records.iter().all(|d| d.get("_conflicts").is_none()));
    let (_, password_seen) = couch.admin_get(&format!("/{HOUSEHOLD}/_all_docs?include_docs=true"));
    assert!(!password_seen.to_string().contains("ann-password-1"));
    // Her phone said how it stands, so the scheme can see who hasn't synced.
    let statuses = status_docs(&couch);
    assert_eq!(statuses.len(), 1, "{statuses:?}");
    assert_eq!(statuses[0]["carer"], "ann");
    assert_eq!(statuses[0]["waiting"], 0);
    assert!(statuses[0]["last_sync"].is_string() && statuses[0]["app_version"].is_string());

    // 3. Dev signs in on his own phone: the household's records appear,
    // signed by Ann; he writes about Meg too.
    let dev = Profile::new("sync-dev");
    let (u, a) = (url.clone(), address.clone());
    with_browser(&driver, &dev, move |c| async move {
        c.goto(&u).await.expect("open the app");
        welcome_as(&c, "Dev").await;
        sign_in(&c, &a, "dev", "dev-password-1").await;
        open_meg(&c).await;
        see(&c, "Meg made pancakes.").await;
        see(&c, "Meg phoned her mum.").await;
        tap_containing(&c, "Meg made pancakes.").await;
        see(&c, "Written by Ann").await;
        open_meg(&c).await;
        write_note(&c, "Dev took Meg swimming.").await;
        tap(&c, "More").await;
        synced(&c).await;
    })
    .await;
    let records = server_records(&couch);
    assert_eq!(records.len(), 4);
    let by_dev: Vec<_> = records.iter().filter(|d| d["carer"] == "dev").collect();
    assert_eq!(by_dev.len(), 1, "Dev's note is signed by Dev");
    let mut carers: Vec<String> = status_docs(&couch)
        .iter()
        .map(|d| d["carer"].as_str().unwrap_or_default().to_string())
        .collect();
    carers.sort();
    assert_eq!(carers, ["ann", "dev"], "one status a phone");

    // 2. Both correct the same note while the server can't be reached; both
    // sync, in turn, twice: one leaf on the server, both corrections kept.
    let u = url.clone();
    proxy.pause();
    for (profile, carer, text) in [
        (&ann, "Ann", "Meg made pancakes with blueberries."),
        (&dev, "Dev", "Meg made pancakes, and ate three."),
    ] {
        let u = u.clone();
        with_browser(&driver, profile, move |c| async move {
            c.goto(&u).await.expect("open the app");
            correct_note(&c, "Meg made pancakes", text, carer).await;
            tap(&c, "More").await;
            see(&c, "1 record waiting to send").await;
        })
        .await;
    }
    proxy.resume();
    for round in 0..2 {
        for profile in [&ann, &dev] {
            let u = u.clone();
            with_browser(&driver, profile, move |c| async move {
                c.goto(&u).await.expect("open the app");
                tap(&c, "More").await;
                synced(&c).await;
                let _ = round;
            })
            .await;
        }
    }
    let records = server_records(&couch);
    let pancakes: Vec<_> = records
        .iter()
        .filter(|d| d.to_string().contains("blueberries"))
        .collect();
    assert_eq!(pancakes.len(), 1);
    assert!(
        pancakes[0].get("_conflicts").is_none(),
        "one leaf: {}",
        pancakes[0]
    );
    let merged = pancakes[0]["record"].to_string();
    assert!(merged.contains("ate three"), "both corrections: {merged}");
    for profile in [&ann, &dev] {
        let u = u.clone();
        with_browser(&driver, profile, move |c| async move {
            c.goto(&u).await.expect("open the app");
            open_meg(&c).await;
            tap_containing(&c, "Meg made pancakes").await;
            see(&c, "Earlier versions").await;
            see(&c, "blueberries").await;
            see(&c, "ate three").await;
        })
        .await;
    }

    // 3. While the server can't be reached, Ann deletes a note as Dev
    // corrects it, and both correct Dev's note; this time Dev syncs first.
    // The deletion stands with the correction in its history (Hearth's
    // rule), the same on both phones and the server.
    proxy.pause();
    let u = url.clone();
    with_browser(&driver, &ann, move |c| async move {
        c.goto(&u).await.expect("open the app");
        open_meg(&c).await;
        tap_containing(&c, "Meg phoned her mum.").await;
        tap(&c, "Delete").await;
        tap(&c, "Delete note").await;
        delete_reason(&c, "Written for the wrong person").await;
        tap(&c, "Delete note").await;
        see(&c, "Deleted: Written for the wrong person").await;
        correct_note(
            &c,
            "Dev took Meg swimming",
            "Dev took Meg swimming at the lido.",
            "Ann",
        )
        .await;
        tap(&c, "More").await;
        see(&c, "2 records waiting to send").await;
    })
    .await;
    let u = url.clone();
    with_browser(&driver, &dev, move |c| async move {
        c.goto(&u).await.expect("open the app");
        correct_note(
            &c,
            "Meg phoned her mum.",
            "Meg phoned her mum and her sister.",
            "Dev",
        )
        .await;
        correct_note(
            &c,
            "Dev took Meg swimming",
            "Dev took Meg swimming, then for chips.",
            "Dev",
        )
        .await;
        tap(&c, "More").await;
        see(&c, "2 records waiting to send").await;
    })
    .await;
    proxy.resume();
    let u = url.clone();
    for _round in 0..2 {
        for profile in [&dev, &ann] {
            let u = u.clone();
            with_browser(&driver, profile, move |c| async move {
                c.goto(&u).await.expect("open the app");
                tap(&c, "More").await;
                synced(&c).await;
            })
            .await;
        }
    }
    let swim = server_record(&couch, "lido");
    assert!(swim.get("_conflicts").is_none(), "one leaf: {swim}");
    assert!(
        swim["record"].to_string().contains("then for chips"),
        "{swim}"
    );
    let phoned = server_record(&couch, "her sister");
    assert!(phoned.get("_conflicts").is_none(), "one leaf: {phoned}");
    assert_eq!(
        phoned["record"]["deleted"]["reason"], "Written for the wrong person",
        "the deletion stands: {phoned}"
    );
    for profile in [&ann, &dev] {
        let u = u.clone();
        let (swim, phoned) = (swim.clone(), phoned.clone());
        with_browser(&driver, profile, move |c| async move {
            c.goto(&u).await.expect("open the app");
            for doc in [&swim, &phoned] {
                let id = doc["_id"].as_str().expect("an id");
                assert_eq!(
                    stored_record(&c, "notes", id).await,
                    without_nulls(doc["record"].clone()),
                    "the phone holds the server's record"
                );
            }
            open_meg(&c).await;
            see(&c, "Deleted: Written for the wrong person").await;
            tap_containing(&c, "Dev took Meg swimming").await;
            see(&c, "Earlier versions").await;
            see(&c, "at the lido").await;
            see(&c, "then for chips").await;
        })
        .await;
    }

    // 4. A new phone signs in as Ann: every record comes back, the count
    // equal to the server's. From here on the server answers as CouchDB 3
    // does (opaque string sequences, `_bulk_docs` listing only failures).
    proxy.couchdb3_answers(true);
    let new_phone = Profile::new("sync-ann-new");
    let server_count = server_records(&couch).len();
    let (u, a) = (url.clone(), address.clone());
    with_browser(&driver, &new_phone, move |c| async move {
        c.goto(&u).await.expect("open the app");
        welcome_as(&c, "Ann").await;
        sign_in(&c, &a, "ann", "ann-password-1").await;
        let counts = stored_counts(&c).await;
        let total: u64 = counts
            .as_object()
            .expect("counts")
            .values()
            .filter_map(Value::as_u64)
            .sum();
        assert_eq!(total as usize, server_count, "{counts}");
        open_meg(&c).await;
        see(&c, "Deleted: Written for the wrong person").await;
        tap_containing(&c, "Meg made pancakes").await;
        see(&c, "Earlier versions").await;
        see(&c, "ate three").await;
    })
    .await;

    // 7. With the lock on, pulled records are sealed like any other: after
    // a pull, IndexedDB shows no names or notes.
    let u = url.clone();
    with_browser(&driver, &dev, move |c| async move {
        c.goto(&u).await.expect("open the app");
        tap(&c, "More").await;
        tap(&c, "Set a PIN").await;
        fill(&c, "f-new_pin", "284615").await;
        fill(&c, "f-new_pin_again", "284615").await;
        tap(&c, "Turn on the lock").await;
        see(&c, "The lock is on.").await;
    })
    .await;
    let u = url.clone();
    with_browser(&driver, &new_phone, move |c| async move {
        c.goto(&u).await.expect("open the app");
        open_meg(&c).await;
        write_note(&c, "Meg planted tulips.").await;
        tap(&c, "More").await;
        synced(&c).await;
    })
    .await;
    let u = url.clone();
    with_browser(&driver, &dev, move |c| async move {
        c.goto(&u).await.expect("open the app");
        fill(&c, "f-pin", "284615").await;
        tap(&c, "Unlock").await;
        tap(&c, "More").await;
        synced(&c).await;
        open_meg(&c).await;
        see(&c, "Meg planted tulips.").await;
        let stored = crate::lock::dump(&c).await;
        for secret in ["Meg", "tulips", "pancakes", "swimming"] {
            assert!(
                !stored.contains(secret),
                "{secret:?} readable in IndexedDB:\n{stored}"
            );
        }
        // The password Dev signed in with is kept nowhere on the phone.
        let local = eval(&c, "return JSON.stringify(localStorage);").await;
        for kept in [stored, local.to_string()] {
            assert!(!kept.contains("dev-password-1"), "password kept:\n{kept}");
        }
    })
    .await;

    // 6. A document that isn't a valid Hearth record, put on the server
    // directly, is refused and listed; nothing on the phone changes.
    let hostile = serde_json::json!({
        "type": "note", "hearth": 1, "carer": "ann",
        "record": {"id": "not-a-uuid", "text": "\u{202e}evil"}
    });
    let (status, _) = couch.admin_put(&format!("/{HOUSEHOLD}/hostile-note"), &hostile);
    assert!(
        status == 201 || status == 200,
        "put the hostile document: {status}"
    );
    let u = url.clone();
    with_browser(&driver, &new_phone, move |c| async move {
        c.goto(&u).await.expect("open the app");
        let before = stored_counts(&c).await;
        tap(&c, "More").await;
        synced(&c).await;
        see(&c, "1 record wasn't synced").await;
        tap(&c, "1 record wasn't synced").await;
        see(&c, "Not brought in").await;
        see(&c, "Sync with your scheme").await;
        eval(&c, "document.getElementById('sync-head').scrollIntoView();").await;
        screenshot(&c, "sync-03-refused").await;
        assert_eq!(stored_counts(&c).await, before, "nothing stored or changed");
    })
    .await;
    server.stop();
}

#[tokio::test(flavor = "multi_thread")]
async fn an_ended_session_pauses_syncing_and_sample_data_never_leaves_the_phone() {
    let couch = Couch::start();
    couch.household(HOUSEHOLD, &[("ann", "ann-password-1")]);
    let (server, proxy) = Server::start_with_couch(dist(), &couch);
    let (url, address) = (server.url(), proxy.url());
    let driver = Driver::start();
    let ann = Profile::new("sync-expired");
    let scheme = proxy.clone();
    with_browser(&driver, &ann, move |c| async move {
        c.goto(&url).await.expect("open the app");
        welcome_as(&c, "Ann").await;
        add_person(&c, "Meg", "Short breaks").await;
        // Sample data stays on this phone: never sent, never waiting.
        tap(&c, "More").await;
        tap(&c, "Try with sample data").await;
        see(&c, "Remove sample data").await;
        sign_in(&c, &address, "ann", "ann-password-1").await;
        // The session ends (its cookie lapses, or the password changed).
        c.delete_all_cookies()
            .await
            .expect("drop the session cookie");
        open_meg(&c).await;
        write_note(&c, "Meg fed the cat.").await;
        let before = stored_counts(&c).await;
        tap(&c, "More").await;
        see(&c, "Hearth needs you to sign in again.").await;
        see(&c, "1 record waiting to send").await;
        see(&c, "Sync with your scheme").await;
        eval(&c, "document.getElementById('sync-head').scrollIntoView();").await;
        screenshot(&c, "sync-04-sign-in-again").await;
        assert_eq!(stored_counts(&c).await, before, "the records are untouched");
        // Signing in again sends what waited.
        fill(&c, "f-sync_password", "ann-password-1").await;
        let since = clock(&c).await;
        tap(&c, "Sign in again").await;
        synced_after(&c, since).await;
        assert!(!page_text(&c).await.contains("sign in again"));
        // The scheme takes Ann off the household (CouchDB 3 answers 403):
        // syncing stops with plain words, and nothing on the phone changes.
        scheme.forbid(true);
        let before = stored_counts(&c).await;
        tap(&c, "Sync now").await;
        see(
            &c,
            "Your user name isn't allowed to use this household's records.",
        )
        .await;
        assert_eq!(stored_counts(&c).await, before, "the records are untouched");
        // It isn't retried by itself: a note saved now waits, asking nothing
        // of the server, until the carer taps "Sync now".
        let asked = scheme.requests().len();
        open_meg(&c).await;
        write_note(&c, "Meg sorted her photos.").await;
        tokio::time::sleep(std::time::Duration::from_secs(6)).await;
        tap(&c, "More").await;
        see(&c, "1 record waiting to send").await;
        assert_eq!(
            scheme.requests().len(),
            asked,
            "nothing asked of the server"
        );
        scheme.forbid(false);
        let since = clock(&c).await;
        tap(&c, "Sync now").await;
        synced_after(&c, since).await;
        // Signing out asks whether to keep the records; kept, they stay.
        tap(&c, "Sign out").await;
        see(&c, "Keep the household's records on this phone?").await;
        see(&c, "Sync with your scheme").await;
        eval(&c, "document.getElementById('sync-head').scrollIntoView();").await;
        screenshot(&c, "sync-06-sign-out").await;
        tap(&c, "Keep them and sign out").await;
        see(&c, "Signed out. The records stay on this phone.").await;
        css(&c, "#f-sync_server").await;
        open_meg(&c).await;
        see(&c, "Meg fed the cat.").await;
        see(&c, "Meg sorted her photos.").await;
    })
    .await;
    let records = server_records(&couch);
    assert_eq!(
        records.len(),
        3,
        "Meg and the two notes written meanwhile, and no sample data: {records:?}"
    );
}
