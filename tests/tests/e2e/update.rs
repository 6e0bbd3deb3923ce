//! A new version deployed while the app is open: the carer is told, and one tap
//! moves them onto it.

use crate::harness::*;

#[tokio::test(flavor = "multi_thread")]
async fn a_new_deployment_offers_a_reload_that_switches_to_it() {
    let site = Site::copy_of_dist("update");
    let server = Server::start(site.dir());
    let driver = Driver::start();
    let profile = Profile::new("update");
    let url = server.url();

    let version =
        "return caches.keys().then(keys => keys.filter(k => k.startsWith('hearth-')).join(','));";
    with_browser(&driver, &profile, move |c| async move {
        c.goto(&url).await.expect("open the app");
        welcome(&c).await;
        wait_for_service_worker(&c).await;
        let before = eval(&c, version).await;

        // Deploy a new version: a changed service worker with a new cache name.
        site.edit("sw.js", |sw| {
            sw.replacen("const VERSION = '", "const VERSION = 'next-", 1)
        });
        c.refresh().await.expect("reload");
        see(&c, "A new version of Hearth is ready.").await;
        screenshot(&c, "11-update-ready").await;
        tap(&c, "Reload to update").await;

        // The page reloads onto the new version; the old cache is gone.
        see(&c, "Today's records").await;
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        loop {
            let after = eval(&c, version).await;
            if after
                .as_str()
                .is_some_and(|v| v.starts_with("hearth-next-") && !v.contains(','))
            {
                break;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "still on {before} / {after}"
            );
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert!(
            !page_text(&c)
                .await
                .contains("A new version of Hearth is ready."),
            "the prompt goes once updated"
        );
        drop(site);
    })
    .await;
}
