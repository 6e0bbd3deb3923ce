//! The PIN lock: set a PIN with records stored, and the browser's storage no
//! longer shows names or notes; reload and the lock screen comes first; wrong
//! PINs are refused and, after five, pause even across a reload; the right
//! PIN brings every record back; the app locks itself when left alone; and
//! turning the lock off leaves everything readable again.

use crate::harness::*;
use std::time::Duration;

const PIN: &str = "284615";
const NOTE: &str = "Margaret planted purple tulips by the gate.";

/// Script that finds the database holding the records (the newest of
/// `hearth`, `hearth-2`, …: they move to a fresh one once the lock is on)
/// and runs the rest with it as `name`.
macro_rules! live_db {
    () => {
        "indexedDB.databases().then(list => { \
          const g = list.map(d => d.name).filter(n => /^hearth(-[0-9]+)?$/.test(n)) \
            .map(n => n === 'hearth' ? 1 : Number(n.slice(7))); \
          const newest = Math.max(1, ...g); \
          const name = newest === 1 ? 'hearth' : 'hearth-' + newest; "
    };
}

/// Every object store of Hearth's database, read raw from the page and
/// written out as JSON (byte arrays shown by their length): what anyone
/// inspecting the browser's storage would see.
pub(crate) const DUMP: &str = concat!("const done = arguments[arguments.length - 1]; ", live_db!(), "\
    const open = indexedDB.open(name); \
    open.onerror = () => done('could not open'); \
    open.onsuccess = () => { \
      const db = open.result; const names = Array.from(db.objectStoreNames); const out = {}; \
      const tx = db.transaction(names); let left = names.length; \
      for (const name of names) { \
        const keys = tx.objectStore(name).getAllKeys(); const values = tx.objectStore(name).getAll(); \
        values.onsuccess = () => { \
          out[name] = keys.result.map((k, i) => [k, values.result[i]]); \
          if (--left === 0) { db.close(); \
            done(JSON.stringify(out, (k, v) => v instanceof Uint8Array ? `<${v.length} bytes>` : v, 1)); } \
        }; \
      } \
    }; });");

pub(crate) async fn dump(c: &fantoccini::Client) -> String {
    let text = c.execute_async(DUMP, vec![]).await.expect("read IndexedDB");
    text.as_str().expect("JSON text").to_string()
}

/// Changes the stored idle time (seconds), as the "Lock after" choice does,
/// but shorter than any choice, so the test need not wait minutes.
const SHORT_IDLE: &str = concat!("const done = arguments[arguments.length - 1]; ", live_db!(), "\
    const open = indexedDB.open(name); \
    open.onsuccess = () => { \
      const db = open.result; const tx = db.transaction('settings', 'readwrite'); \
      const store = tx.objectStore('settings'); const get = store.get('lock'); \
      get.onsuccess = () => { const lock = get.result; lock.idle_secs = 4; store.put(lock, 'lock'); }; \
      tx.oncomplete = () => { db.close(); done('ok'); }; tx.onerror = () => done('error'); \
    }; });");

pub(crate) async fn unlock(c: &fantoccini::Client, pin: &str) {
    fill(c, "f-pin", pin).await;
    tap(c, "Unlock").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_pin_locks_the_app_and_encrypts_the_records_until_it_is_turned_off() {
    let server = Server::start(dist());
    let driver = Driver::start();
    let profile = Profile::new("lock");
    let url = server.url();
    with_browser(&driver, &profile, move |c| async move {
        c.goto(&url).await.expect("open the app");
        welcome(&c).await;
        add_person(&c, "Margaret", "Short breaks").await;
        tap(&c, "Write a note").await;
        fill(&c, "f-text", NOTE).await;
        tap(&c, "Save note").await;
        see(&c, "purple tulips").await;
        let before = dump(&c).await;
        assert!(before.contains("Margaret") && before.contains("purple tulips"));

        // Set a PIN: core's rules, in plain words, then the warning and the lock.
        tap(&c, "More").await;
        tap(&c, "Set a PIN").await;
        see(
            &c,
            "If you forget your PIN, your records can't be recovered",
        )
        .await;
        fill(&c, "f-new_pin", "123456").await;
        fill(&c, "f-new_pin_again", "123456").await;
        tap(&c, "Turn on the lock").await;
        see(&c, "That PIN is a simple sequence").await;
        fill(&c, "f-new_pin", PIN).await;
        fill(&c, "f-new_pin_again", "284616").await;
        tap(&c, "Turn on the lock").await;
        see(&c, "The two PINs don't match.").await;
        focused(&c, "f-new_pin_again").await;
        fill(&c, "f-new_pin_again", PIN).await;
        screenshot(&c, "40-lock-set-pin").await;
        tap(&c, "Turn on the lock").await;
        see(&c, "The lock is on.").await;
        eval(&c, "document.getElementById('lock-head').scrollIntoView();").await;
        screenshot(&c, "41-lock-on").await;

        // What an inspection of IndexedDB shows now: no names, no notes.
        let after = dump(&c).await;
        eprintln!("IndexedDB with the lock on:\n{after}");
        for secret in ["Margaret", "purple tulips", "Ann and Dev"] {
            assert!(
                !after.contains(secret),
                "{secret:?} readable in IndexedDB:\n{after}"
            );
        }
        assert!(after.contains("\"enc\"") && after.contains("\"iterations\": 600000"));

        // Reload: the lock screen first, focus in the PIN box.
        c.refresh().await.expect("reload");
        see(&c, "Hearth is locked").await;
        focused(&c, "f-pin").await;
        assert!(!page_text(&c).await.contains("Margaret"));
        unlock(&c, "000111").await;
        see(&c, "That PIN is not right. 4 tries left before a pause.").await;
        screenshot(&c, "42-lock-wrong-pin").await;
        tap(&c, "Forgot your PIN?").await;
        see(&c, "A forgotten PIN can't be recovered").await;
        tap(&c, "Cancel").await;

        // Five wrong tries pause the screen, and a reload doesn't end the pause.
        for left in ["3 tries left", "2 tries left", "1 try left"] {
            unlock(&c, "000111").await;
            see(
                &c,
                &format!("That PIN is not right. {left} before a pause."),
            )
            .await;
        }
        unlock(&c, "000111").await;
        see(&c, "Too many wrong tries.").await;
        see(&c, "Try again in").await;
        screenshot(&c, "43-lock-paused").await;
        c.refresh().await.expect("reload");
        see(&c, "Hearth is locked").await;
        see(&c, "Too many wrong tries.").await;
        see(&c, "Try again in").await;
        tokio::time::sleep(Duration::from_secs(31)).await;
        see(&c, "You can try your PIN again now.").await;
        unlock(&c, PIN).await;
        see(&c, "Lock with a PIN").await;
        tap(&c, "People").await;
        open_row(&c, "Margaret").await;
        see(&c, NOTE).await;

        // Left alone, it locks itself and the records leave the screen;
        // unlocking returns to the same place.
        assert_eq!(
            c.execute_async(SHORT_IDLE, vec![]).await.expect("idle"),
            "ok"
        );
        c.refresh().await.expect("reload");
        see(&c, "Hearth is locked").await;
        unlock(&c, PIN).await;
        see(&c, NOTE).await;
        tokio::time::sleep(Duration::from_secs(6)).await;
        see(&c, "Hearth is locked").await;
        assert!(!page_text(&c).await.contains("purple tulips"));
        unlock(&c, PIN).await;
        see(&c, NOTE).await;

        // A half-written note is hidden behind the lock, not lost: after
        // unlocking it is still in the form, ready to save.
        tap(&c, "Write a note").await;
        fill(&c, "f-text", "Margaret asked about bulbs for spring").await;
        tokio::time::sleep(Duration::from_secs(6)).await;
        see(&c, "Hearth is locked").await;
        let hidden = eval(
            &c,
            "const t = document.getElementById('f-text'); return !!t && t.offsetParent === null;",
        )
        .await;
        assert_eq!(hidden, true, "the form is out of sight while locked");
        unlock(&c, PIN).await;
        see(&c, "New note").await;
        let kept = eval(&c, "return document.getElementById('f-text').value;").await;
        assert_eq!(kept, "Margaret asked about bulbs for spring");
        tap(&c, "Save note").await;
        see(&c, "Margaret asked about bulbs for spring").await;
        tap(&c, "More").await;
        set_value(&c, "f-idle", "300").await;
        see(&c, "Saved.").await;

        // Turning the lock off needs the PIN, and leaves everything readable.
        tap(&c, "Turn off the lock").await;
        fill(&c, "f-current_pin", "000111").await;
        tap(&c, "Remove the lock").await;
        see(&c, "That PIN is not right, so the lock is still on.").await;
        fill(&c, "f-current_pin", PIN).await;
        tap(&c, "Remove the lock").await;
        see(&c, "Set a PIN").await;
        let clear = dump(&c).await;
        assert!(clear.contains("Margaret") && clear.contains("purple tulips"));
        assert!(!clear.contains("\"enc\""), "{clear}");
        c.refresh().await.expect("reload");
        see(&c, "Set a PIN").await;
        assert!(!page_text(&c).await.contains("Hearth is locked"));
        tap(&c, "People").await;
        open_row(&c, "Margaret").await;
        see(&c, NOTE).await;
    })
    .await;
}

/// A forgotten PIN: the lock screen explains, erases this phone's Hearth after
/// a second confirmation, and the welcome screen restores the backup, with
/// every record back and no lock.
#[tokio::test(flavor = "multi_thread")]
async fn a_forgotten_pin_erases_hearth_and_a_backup_brings_the_records_back() {
    let server = Server::start(dist());
    let driver = Driver::start();
    let profile = Profile::new("lock-forgot");
    let url = server.url();
    let saved = std::env::temp_dir().join(format!("hearth-e2e-forgot-{}.json", std::process::id()));
    let saved_path = saved.clone();
    with_browser(&driver, &profile, move |c| async move {
        c.goto(&url).await.expect("open the app");
        welcome(&c).await;
        add_person(&c, "Wyn", "Short breaks").await;
        tap(&c, "Write a note").await;
        fill(&c, "f-text", NOTE).await;
        tap(&c, "Save note").await;
        see(&c, "purple tulips").await;
        tap(&c, "More").await;
        eval(&c, CATCH_DOWNLOADS).await;
        tap(&c, "Back up now").await;
        see(&c, "Last backup: Today").await;
        let (_, text) = download_containing(&c, "hearth-backup-").await;
        std::fs::write(&saved_path, &text).expect("keep the backup");

        tap(&c, "Set a PIN").await;
        fill(&c, "f-new_pin", PIN).await;
        fill(&c, "f-new_pin_again", PIN).await;
        tap(&c, "Turn on the lock").await;
        see(&c, "The lock is on.").await;

        c.refresh().await.expect("reload");
        see(&c, "Hearth is locked").await;
        tap(&c, "Forgot your PIN?").await;
        see(&c, "A forgotten PIN can't be recovered").await;
        tap(&c, "Erase and restore from a backup").await;
        see(&c, "Erase every Hearth record on this phone?").await;
        tap(&c, "Yes, erase everything").await;
        see(&c, "Restore from a backup").await;
        css(&c, "#f-restore")
            .await
            .send_keys(saved_path.to_str().unwrap())
            .await
            .expect("choose file");
        see(&c, "Adds").await;
        tap(&c, "Restore").await;
        see(&c, "Restored.").await;

        c.refresh().await.expect("reload");
        tap(&c, "People").await;
        open_row(&c, "Wyn").await;
        see(&c, NOTE).await;
        assert!(!page_text(&c).await.contains("Hearth is locked"));
    })
    .await;
    let _ = std::fs::remove_file(saved);
}

/// What the carer typed, which no file of the browser's profile may hold
/// once the lock is on (each written once, so the storage engine's
/// compression keeps it whole where it is kept).
const ON_DISK: [&str; 4] = [
    "Philippa Quenby",
    "Thistlewood Barn",
    "Ottoline Marchbank",
    "fed the goats at Wexcombe",
];

/// Turning the lock on leaves no readable copy of the records on the disk:
/// the browser's files are read for known words before (they are there) and
/// after turning the lock on and restarting the browser (they are gone: the
/// rows moved to a fresh database, and Hearth's forms ask the browser not to
/// keep what was typed in its autofill and session files), and the records
/// are all there behind the PIN.
#[tokio::test(flavor = "multi_thread")]
async fn after_the_lock_is_on_no_file_on_the_phone_holds_the_records_in_clear() {
    let server = Server::start(dist());
    let driver = Driver::start();
    let profile = Profile::new("lock-disk");
    let url = server.url();
    let first = url.clone();
    with_browser(&driver, &profile, move |c| async move {
        c.goto(&first).await.expect("open the app");
        see(&c, "Everything stays on this phone.").await;
        fill(&c, "f-carer_name", ON_DISK[0]).await;
        fill(&c, "f-household_name", ON_DISK[1]).await;
        tap(&c, "Start using Hearth").await;
        see(&c, "Today's records").await;
        add_person(&c, ON_DISK[2], "Short breaks").await;
        write_note(&c, "Ottoline fed the goats at Wexcombe.").await;
    })
    .await;
    let before = profile.files_holding(&ON_DISK);
    eprintln!("Before the lock, in the profile's files: {before:?}");
    for word in ON_DISK {
        assert!(
            before.iter().any(|(_, w)| w == word),
            "the check can't see {word:?} on the disk before the lock: {before:?}"
        );
    }

    let second = url.clone();
    with_browser(&driver, &profile, move |c| async move {
        c.goto(&second).await.expect("open the app");
        see(&c, "Today's records").await;
        tap(&c, "More").await;
        tap(&c, "Set a PIN").await;
        see(&c, "It can't hide everything").await;
        fill(&c, "f-new_pin", PIN).await;
        fill(&c, "f-new_pin_again", PIN).await;
        tap(&c, "Turn on the lock").await;
        see(&c, "The lock is on.").await;
        // The rows moved to a fresh database; the old one is deleted (in
        // the background, so it may take a moment).
        let mut names = String::new();
        for _ in 0..50 {
            names = eval(
                &c,
                "return indexedDB.databases().then(l => l.map(d => d.name).sort().join(' '));",
            )
            .await
            .as_str()
            .unwrap_or_default()
            .to_string();
            if names == "hearth-2" {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert_eq!(names, "hearth-2", "the databases after the move");
        see(&c, "The lock is on.").await;
    })
    .await;

    let third = url.clone();
    with_browser(&driver, &profile, move |c| async move {
        c.goto(&third).await.expect("open the app");
        see(&c, "Hearth is locked").await;
        unlock(&c, PIN).await;
        tap(&c, "People").await;
        open_row(&c, ON_DISK[2]).await;
        see(&c, "Ottoline fed the goats at Wexcombe.").await;
    })
    .await;
    let after = profile.files_holding(&ON_DISK);
    assert!(
        after.is_empty(),
        "readable on the disk with the lock on, after a restart: {after:?}"
    );
    server.stop();
}
