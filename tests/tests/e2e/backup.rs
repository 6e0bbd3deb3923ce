//! Backups: back up, lose everything, restore, and every record is back;
//! a damaged file is refused with a clear message and changes nothing.

use crate::harness::*;

#[tokio::test(flavor = "multi_thread")]
async fn a_backup_restores_everything_after_the_browser_forgets_it() {
    let server = Server::start(dist());
    let driver = Driver::start();
    let profile = Profile::new("backup");
    let url = server.url();
    let saved = std::env::temp_dir().join(format!("hearth-e2e-backup-{}.json", std::process::id()));
    let broken =
        std::env::temp_dir().join(format!("hearth-e2e-broken-{}.json", std::process::id()));
    let (saved_path, broken_path) = (saved.clone(), broken.clone());
    with_browser(&driver, &profile, move |c| async move {
        c.goto(&url).await.expect("open the app");
        welcome(&c).await;
        add_person(&c, "Meg", "Short breaks").await;
        tap(&c, "Write a note").await;
        fill(&c, "f-text", "Meg planted bulbs, \"daffodils\", and chose the spot.").await;
        tap(&c, "Save note").await;
        see(&c, "Meg planted bulbs").await;

        // Back up: the file is saved on the phone.
        tap(&c, "More").await;
        eval(&c, CATCH_DOWNLOADS).await;
        tap(&c, "Back up now").await;
        see(&c, "a backup of").await;
        see(&c, "Last backup: Today").await;
        let (name, text) = last_download(&c).await;
        assert!(name.starts_with("hearth-backup-") && name.ends_with(".json"), "{name}");
        std::fs::write(&saved_path, &text).expect("keep the backup");
        std::fs::write(&broken_path, &text[..text.len() / 2]).expect("a damaged copy");

        // The browser forgets everything (the app lets go of its database).
        let gone = c
            .execute_async(
                "const done = arguments[arguments.length - 1]; \
                 const r = indexedDB.deleteDatabase('hearth'); r.onsuccess = () => done('deleted'); \
                 r.onerror = () => done('error'); r.onblocked = () => done('blocked');",
                vec![],
            )
            .await
            .expect("delete the database");
        assert_eq!(gone, "deleted");
        c.goto(&url).await.expect("open the app again");
        welcome(&c).await;
        tap(&c, "People").await;
        see(&c, "No one here yet.").await;

        // A damaged file is refused, naming the problem.
        tap(&c, "More").await;
        css(&c, "#f-restore").await.send_keys(broken_path.to_str().unwrap()).await.expect("choose file");
        see(&c, "This backup is incomplete: the file ends early").await;
        tap(&c, "People").await;
        see(&c, "No one here yet.").await;
        tap(&c, "More").await;

        // The real file: what it will do first, then everything is back.
        css(&c, "#f-restore").await.send_keys(saved_path.to_str().unwrap()).await.expect("choose file");
        see(&c, "Adds").await;
        screenshot(&c, "20-restore-plan").await;
        tap(&c, "Restore").await;
        see(&c, "Restored.").await;
        tap(&c, "People").await;
        open_row(&c, "Meg").await;
        see(&c, "Meg planted bulbs, \"daffodils\", and chose the spot.").await;
    })
    .await;
    let _ = std::fs::remove_file(saved);
    let _ = std::fs::remove_file(broken);
}
