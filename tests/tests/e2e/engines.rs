//! The core journey in each of three engines: Chromium (Blink), WebKitGTK
//! (WebKit, Safari's engine) and Firefox ESR (Gecko). A first visit fetches
//! each wasm file once (a deep link's chunks too); the welcome, a person, a
//! note that survives a reload, a check-in, the PIN lock across a reload;
//! then, with the server stopped, the app opens from its service worker,
//! shows the records, saves a note, adds a medicine and gives its dose from
//! Today.
//!
//! It is one browser session from start to end, as WebKitGTK's automation
//! sessions keep nothing once closed.

use crate::harness::*;
use crate::lock::unlock;
use std::collections::BTreeMap;
use std::time::Instant;

const PIN: &str = "284615";
const MAIN_WASM: &str = "hearth-app_bg.wasm";

#[tokio::test(flavor = "multi_thread")]
async fn the_core_journey_in_chromium() {
    core_journey(Engine::Chromium).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_core_journey_in_webkit() {
    core_journey(Engine::WebKit).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_core_journey_in_firefox() {
    core_journey(Engine::Firefox).await;
}

async fn core_journey(engine: Engine) {
    let started = Instant::now();
    // Served as a static host serves it (hashed files cached for a year), so
    // that what is fetched twice is the page's doing, not the server's.
    let server = Server::start_as_host(dist());
    let driver = Driver::start_for(engine);
    let profile = Profile::new(&format!("engines-{engine:?}"));
    let url = server.url();
    with_browser(&driver, &profile, move |c| async move {
        c.goto(&url).await.expect("open the app");
        welcome(&c).await;
        wait_for_service_worker(&c).await;
        each_wasm_file_fetched_once(&server, engine);

        add_person(&c, "Meg", "Long-term").await;
        write_note(&c, "Meg fed the ducks at the park.").await;
        reload(&c).await;
        see(&c, "Meg fed the ducks at the park.").await;

        tap(&c, "Check-in").await;
        face(&c, "Good").await;
        tap(&c, "Save check-in").await;
        see(&c, "Check-in saved").await;
        see(&c, "Check-in: Good").await;

        tap(&c, "More").await;
        tap(&c, "Set a PIN").await;
        fill(&c, "f-new_pin", PIN).await;
        fill(&c, "f-new_pin_again", PIN).await;
        tap(&c, "Turn on the lock").await;
        see(&c, "The lock is on.").await;
        reload(&c).await;
        see(&c, "Hearth is locked").await;
        assert!(!page_text(&c).await.contains("Meg"), "no record shows while locked");
        unlock(&c, PIN).await;
        see(&c, "Lock with a PIN").await;
        tap(&c, "Turn off the lock").await;
        fill(&c, "f-current_pin", PIN).await;
        tap(&c, "Remove the lock").await;
        see(&c, "Set a PIN").await;

        // No signal: the origin is gone, the service worker opens the app.
        server.stop();
        reload(&c).await;
        let probe = eval(
            &c,
            "return fetch('/not-cached?' + Date.now()).then(() => 'reachable', () => 'unreachable');",
        )
        .await;
        assert_eq!(probe, "unreachable", "the origin must really be gone");
        tap(&c, "People").await;
        open_row(&c, "Meg").await;
        see(&c, "Meg fed the ducks at the park.").await;
        see(&c, "Check-in: Good").await;
        write_note(&c, "Written with no signal in any engine.").await;
        reload(&c).await;
        see(&c, "Written with no signal in any engine.").await;
        screenshot(&c, &format!("60-engines-{engine:?}-offline")).await;

        // Still offline: a medicine due now, listed on Today and given in one
        // tap, no longer due after a reload.
        tap(&c, "Medicines").await;
        tap(&c, "Add a medicine").await;
        crate::medicines::fill_due_now(&c, "Sertraline", "50 mg").await;
        fill(&c, "f-authorised_by", "Dr Okafor").await;
        tap(&c, "Save medicine").await;
        see(&c, "Sertraline 50 mg tablet").await;
        tap(&c, "Today").await;
        see(&c, "Sertraline 50 mg tablet for Meg").await;
        tap(&c, "Given").await;
        see(&c, "Dose recorded: given").await;
        reload(&c).await;
        see(&c, "Quick add").await;
        assert!(
            !page_text(&c).await.contains("Medicines due now"),
            "{engine:?}: given, so no longer due"
        );
    })
    .await;
    eprintln!(
        "engines: the core journey in {engine:?} took {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

/// How many times each wasm file was asked for on a first visit: by the page,
/// and in all (with the service worker's precache, whose requests come from
/// its script). Each file the page needs is fetched once, by the start-up
/// code: a `<link rel=preload>` would make it twice in WebKit, which never
/// gives a preloaded response to `fetch()`. The precache then finds the files
/// in the HTTP cache, except in WebKitGTK, whose automation session keeps no
/// HTTP cache for the worker to read: there each file comes once more.
fn each_wasm_file_fetched_once(
    server: &Server,
    engine: Engine,
) -> BTreeMap<String, (usize, usize)> {
    let mut counts = BTreeMap::new();
    for request in server.requested() {
        let Some(file) = request.path.strip_suffix(".wasm") else {
            continue;
        };
        let file = file.rsplit('/').next().unwrap_or(file).to_string() + ".wasm";
        let by_worker = request
            .referer
            .as_deref()
            .is_some_and(|from| from.ends_with("/sw.js"));
        let (by_page, in_all) = counts.entry(file).or_insert((0, 0));
        *by_page += usize::from(!by_worker);
        *in_all += 1;
    }
    eprintln!(
        "engines: {engine:?}: wasm requests on a first visit (by the page, in all): {counts:?}"
    );
    let precache = usize::from(engine == Engine::WebKit);
    for (file, (by_page, in_all)) in &counts {
        assert!(
            *by_page <= 1,
            "{engine:?}: the page fetched {file} {by_page} times"
        );
        assert!(
            *in_all <= 1 + precache,
            "{engine:?}: {file} was fetched {in_all} times on a first visit"
        );
    }
    assert_eq!(
        counts.get(MAIN_WASM).map(|c| c.0),
        Some(1),
        "{engine:?}: the page fetches the main wasm"
    );
    counts
}

/// A first visit by a link straight to a screen whose code isn't in the main
/// wasm: its chunks come alongside the main wasm, each once, in each engine.
#[tokio::test(flavor = "multi_thread")]
async fn a_deep_link_fetches_each_wasm_file_once_in_each_engine() {
    for engine in [Engine::Chromium, Engine::WebKit, Engine::Firefox] {
        let server = Server::start_as_host(dist());
        let driver = Driver::start_for(engine);
        let profile = Profile::new(&format!("engines-link-{engine:?}"));
        let url = server.url() + "#/stays/new";
        with_browser(&driver, &profile, move |c| async move {
            c.goto(&url).await.expect("open the app");
            see(&c, "Everything stays on this phone.").await;
            wait_for_service_worker(&c).await;
            let counts = each_wasm_file_fetched_once(&server, engine);
            assert_eq!(
                counts.get("split_hearth_plans.wasm").map(|c| c.0),
                Some(1),
                "{engine:?}: the page fetches the planned stay's code"
            );
        })
        .await;
    }
}
