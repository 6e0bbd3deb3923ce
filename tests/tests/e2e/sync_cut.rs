//! A sync of about a thousand records cut off part-way (the server stops
//! answering mid-push), then carried on: nothing lost, nothing doubled, and
//! the next sync starts from the last checkpoint instead of from the start.

use crate::harness::*;
use chrono::{Duration, Utc};
use hearth_core::backup::{write_backup, BackupRecords};
use hearth_core::sample::{generate, SAMPLE_AUTHOR};
use hearth_core::FixedZone;

const HOUSEHOLD: &str = "ann-house";

/// About `n` records of a household, written by Ann (the sample household,
/// signed by her, so they are hers to sync), as a backup file.
pub(crate) fn backup_of_about(n: usize) -> (std::path::PathBuf, usize) {
    let now = Utc::now() - Duration::days(1);
    let zone = FixedZone::utc();
    let mut days = 10;
    let records = loop {
        let records = generate(7, days, now, &zone);
        if records.count() >= n {
            break records;
        }
        days += 10;
    };
    let json = serde_json::to_string(&records)
        .expect("records as JSON")
        .replace(SAMPLE_AUTHOR, "Ann");
    let records: BackupRecords = serde_json::from_str(&json).expect("records back");
    let text = write_backup(&records, "e2e", "Ann's", now);
    let path = std::env::temp_dir().join(format!("hearth-e2e-cut-{}.json", std::process::id()));
    std::fs::write(&path, text).expect("write the backup file");
    (path, records.count())
}

/// More → restores the backup file at `path`.
pub(crate) async fn restore(c: &fantoccini::Client, path: &std::path::Path) {
    tap(c, "More").await;
    css(c, "#f-restore")
        .await
        .send_keys(path.to_str().expect("a path"))
        .await
        .expect("choose the backup");
    tap(c, "Restore").await;
    see(c, "Restored.").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_sync_cut_off_part_way_loses_nothing_doubles_nothing_and_carries_on() {
    let couch = Couch::start();
    couch.household(HOUSEHOLD, &[("ann", "ann-password-1")]);
    let (server, proxy) = Server::start_with_couch(dist(), &couch);
    let (url, address) = (server.url(), proxy.url());
    let (file, count) = backup_of_about(1_000);
    let driver = Driver::start();
    let ann = Profile::new("sync-cut");
    let (p, f) = (proxy.clone(), file.clone());
    with_browser(&driver, &ann, move |c| async move {
        c.goto(&url).await.expect("open the app");
        welcome(&c).await;
        restore(&c, &f).await;
        // Signing in, the database, the push checkpoint (3 requests), then
        // _revs_diff for the first batch of 100 (the server lacks them all,
        // so the rest go without asking) and _bulk_docs for each, with the
        // checkpoint of the first five written once the sixth is stored:
        // the server stops after the seventh, two batches past its
        // checkpoint.
        p.stop_after(3 + 1 + 6 + 1 + 1);
        fill(&c, "f-sync_server", &address).await;
        fill(&c, "f-sync_user", "ann").await;
        fill(&c, "f-sync_password", "ann-password-1").await;
        tap(&c, "Sign in").await;
        see(&c, "Couldn't reach your scheme's server.").await;
        let waiting = page_text(&c).await;
        assert!(!waiting.contains("Nothing waiting"), "{waiting}");
        see(&c, "Sync with your scheme").await;
        eval(&c, "document.getElementById('sync-head').scrollIntoView();").await;
        screenshot(&c, "sync-05-cut-off").await;
        p.resume();
        tap(&c, "Sync now").await;
        see(&c, "Nothing waiting").await;
    })
    .await;
    let _ = std::fs::remove_file(file);

    // Every record once on the server, none in conflict.
    let (_, all) = couch.admin_get(&format!(
        "/{HOUSEHOLD}/_all_docs?include_docs=true&conflicts=true"
    ));
    let records: Vec<_> = all["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .filter(|r| r["doc"]["hearth"] == 1)
        .collect();
    assert_eq!(records.len(), count, "every record, once");
    assert!(records.iter().all(|r| r["doc"].get("_conflicts").is_none()));
    // Carried on from the last checkpoint: each batch of 100 was sent once
    // (the two stored past the checkpoint were offered again, and
    // _revs_diff said the server had them).
    let bulk = proxy
        .requests()
        .iter()
        .filter(|r| r.path.ends_with("/_bulk_docs") && r.status.is_some())
        .count();
    assert_eq!(bulk, count.div_ceil(100), "no batch sent twice");
}
