//! No signal: after one visit, the app opens from a cold start with its server
//! gone (a truly unreachable origin, not an emulated one), still saves, and
//! opens screens whose code (wasm chunks) was never fetched by the page.

use crate::harness::*;

#[tokio::test(flavor = "multi_thread")]
async fn after_one_visit_the_app_opens_and_saves_with_no_server() {
    let server = Server::start(dist());
    let driver = Driver::start();
    let profile = Profile::new("offline");
    let url = server.url();

    let online = url.clone();
    with_browser(&driver, &profile, move |c| async move {
        c.goto(&online).await.expect("open the app");
        welcome(&c).await;
        add_person(&c, "Ravi", "Day support").await;
        wait_for_service_worker(&c).await;
    })
    .await;

    server.stop();

    with_browser(&driver, &profile, move |c| async move {
        c.goto(&url).await.expect("open the app with no server");
        see(&c, "Note for Ravi").await;
        let probe = eval(
            &c,
            "return fetch('/not-cached?' + Date.now()).then(() => 'reachable', () => 'unreachable');",
        )
        .await;
        assert_eq!(probe, "unreachable", "the origin must really be gone");
        tap(&c, "Note for Ravi").await;
        fill(&c, "f-text", "Written with no signal at all.").await;
        tap(&c, "Save note").await;
        see(&c, "Written with no signal at all.").await;
        c.refresh().await.expect("reload with no server");
        see(&c, "Written with no signal at all.").await;
        screenshot(&c, "10-offline").await;
        // Stays is in the main wasm; screens whose wasm chunks were never opened
        // while online come from the service worker's precache too.
        eval(&c, "location.hash = '#/stays'; return true;").await;
        see(&c, "Plan a stay").await;
        eval(&c, "location.hash = '#/stays/new'; return true;").await;
        see(&c, "Staying with").await;
        eval(&c, "location.hash = '#/more'; return true;").await;
        see(&c, "Try with sample data").await;
    })
    .await;
}

/// The code of a screen that isn't on the phone yet and can't be fetched (a
/// first visit that lost its signal): the screen says so, the rest of the app
/// carries on, and "Try again" opens it once the code can be fetched.
#[tokio::test(flavor = "multi_thread")]
async fn a_screen_whose_code_cannot_be_fetched_says_so_and_tries_again() {
    let site = Site::copy_of_dist("no-chunk");
    let (chunk, hidden) = hide_chunk(&site, "split_hearth_plans");
    let server = Server::start(site.dir());
    let driver = Driver::start();
    let profile = Profile::new("no-chunk");
    let url = server.url();

    with_browser(&driver, &profile, move |c| async move {
        c.goto(&url).await.expect("open the app");
        welcome(&c).await;
        tap(&c, "Stays").await;
        tap(&c, "Plan a stay").await;
        see(&c, "Hearth couldn't load this part of the app.").await;
        screenshot(&c, "10b-chunk-missing").await;
        tap(&c, "Today").await;
        see(&c, "Quick add").await;
        eval(&c, "location.hash = '#/stays/new'; return true;").await;
        see(&c, "Hearth couldn't load this part of the app.").await;

        std::fs::rename(&hidden, &chunk).expect("put the chunk back");
        tap(&c, "Try again").await;
        see(&c, "Staying with").await;
        drop(site);
    })
    .await;
}

/// A link straight to a person whose page's code isn't on the phone yet and
/// can't be fetched: the top of their page (who they are, what matters to
/// them, who to call) still shows, as it is in the main wasm; the rest says
/// so, and "Try again" brings it.
#[tokio::test(flavor = "multi_thread")]
async fn a_persons_top_shows_when_the_rest_of_their_page_cannot_be_fetched() {
    let site = Site::copy_of_dist("no-records");
    let (chunk, hidden) = hide_chunk(&site, "split_hearth_records");
    let server = Server::start(site.dir());
    let driver = Driver::start();
    let profile = Profile::new("no-records");
    let url = server.url();

    with_browser(&driver, &profile, move |c| async move {
        c.goto(&url).await.expect("open the app");
        welcome(&c).await;
        tap(&c, "More").await;
        tap(&c, "Try with sample data").await;
        see(&c, "You are looking at sample data.").await;
        let ravi = eval(
            &c,
            "return new Promise((resolve, reject) => { \
               const open = indexedDB.open('hearth'); open.onerror = () => reject(open.error); \
               open.onsuccess = () => { const q = open.result.transaction('people').objectStore('people').getAll(); \
                 q.onsuccess = () => { open.result.close(); \
                   resolve(q.result.map(r => r.rec).find(p => p.body.preferred_name === 'Ravi').id); }; }; });",
        )
        .await;
        let ravi = ravi.as_str().expect("Ravi's id").to_string();
        eval(&c, &format!("location.hash = '#/people/{ravi}'; return true;")).await;
        see(&c, "What matters to me").await;
        see(&c, "Key contacts").await;
        see(&c, "Hearth couldn't load this part of the app.").await;
        screenshot(&c, "10c-person-rest-missing").await;

        std::fs::rename(&hidden, &chunk).expect("put the chunk back");
        tap(&c, "Try again").await;
        see(&c, "Their story").await;
        see(&c, "What matters to me").await;
        drop(site);
    })
    .await;
}

/// Hides the wasm file whose name starts with `prefix` from the site: returns
/// where it was and where it is hidden.
fn hide_chunk(site: &Site, prefix: &str) -> (std::path::PathBuf, std::path::PathBuf) {
    let chunk = std::fs::read_dir(site.dir())
        .expect("read the site")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.is_dir()
                && p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("pkg-"))
        })
        .flat_map(|pkg| {
            std::fs::read_dir(pkg)
                .expect("read pkg")
                .filter_map(|e| e.ok().map(|e| e.path()))
        })
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(prefix))
        })
        .unwrap_or_else(|| panic!("no {prefix} chunk in the build"));
    let hidden = chunk.with_extension("hidden");
    std::fs::rename(&chunk, &hidden).expect("hide the chunk");
    (chunk, hidden)
}
