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

        // The page reloads onto the new version. The version before it is kept
        // (a tab still running it may yet open a screen whose wasm chunk it
        // hasn't loaded).
        see(&c, "Today's records").await;
        let before = before.as_str().unwrap_or_default().to_string();
        let next = wait_for_caches(&c, version, |v| {
            v.strip_prefix(&format!("{before},"))
                .is_some_and(|rest| rest.starts_with("hearth-next-") && !rest.contains(','))
        })
        .await;
        let next = next.rsplit(',').next().unwrap_or_default().to_string();

        // One more version: the oldest cache goes, the one before stays.
        site.edit("sw.js", |sw| {
            sw.replacen("const VERSION = '", "const VERSION = 'next-", 1)
        });
        c.refresh().await.expect("reload");
        see(&c, "A new version of Hearth is ready.").await;
        tap(&c, "Reload to update").await;
        see(&c, "Today's records").await;
        wait_for_caches(&c, version, |v| {
            v.strip_prefix(&format!("{next},"))
                .is_some_and(|rest| rest.starts_with("hearth-next-next-") && !rest.contains(','))
        })
        .await;
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

/// Waits until the list of Hearth's caches satisfies `done`; returns it.
async fn wait_for_caches(
    c: &fantoccini::Client,
    script: &str,
    done: impl Fn(&str) -> bool,
) -> String {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let caches = eval(c, script).await;
        let caches = caches.as_str().unwrap_or_default().to_string();
        if done(&caches) {
            return caches;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "caches are still {caches}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}
