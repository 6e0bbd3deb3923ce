//! "My stays" on the person's own phone: the carer makes a link (and its QR
//! code) for Meg; a fresh browser profile opens it, keeps Meg's stays and
//! nothing else, with the server gone, follows a second person, refuses a
//! tampered link and ignores an older one.

use crate::harness::*;
use fantoccini::Client;

/// Plans a stay for `who` from the Stays tab, `arrive` days from today.
async fn plan_stay(c: &Client, who: &str, arrive: i32, nights: i32, notes: &str) {
    let arrival = local_date(c, arrive).await;
    let departure = local_date(c, arrive + nights).await;
    tap(c, "Stays").await;
    tap(c, "Plan a stay").await;
    tick(c, who).await;
    set_value(c, "f-arrival", &arrival).await;
    set_value(c, "f-departure", &departure).await;
    tick(c, "Confirmed").await;
    if !notes.is_empty() {
        fill(c, "f-notes_for_person", notes).await;
    }
    tap(c, "Save stay").await;
    see(c, &format!("{who}'s stay")).await;
}

/// The link on the send screen, as "Copy the link" puts it on the clipboard.
pub(crate) async fn copied_link(c: &Client) -> String {
    see(c, "Share the link").await;
    eval(
        c,
        "window.__copied = null; navigator.clipboard.writeText = t => { window.__copied = t; return Promise.resolve(); }; return true;",
    )
    .await;
    tap(c, "Copy the link").await;
    see(c, "Copied.").await;
    eval(c, "return window.__copied;")
        .await
        .as_str()
        .expect("a copied link")
        .to_string()
}

/// Reads the QR code on screen from a screenshot of it.
async fn qr_on_screen(c: &Client) -> String {
    // Clear of the sticky header, as a thumb would hold it up to a camera.
    eval(
        c,
        "document.querySelector('.qr svg').scrollIntoView({ block: 'center' }); return true;",
    )
    .await;
    let png = css(c, ".qr svg")
        .await
        .screenshot()
        .await
        .expect("a screenshot of the code");
    let image = image::load_from_memory(&png).expect("a PNG").to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(image);
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code on screen");
    grids[0].decode().expect("the QR code decodes").1
}

/// The names of the IndexedDB databases this profile has.
async fn databases(c: &Client) -> Vec<String> {
    let names = eval(
        c,
        "return indexedDB.databases().then(d => d.map(x => x.name).sort());",
    )
    .await;
    names
        .as_array()
        .expect("names")
        .iter()
        .map(|n| n.as_str().unwrap_or_default().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_link_for_megs_stays_opens_on_a_fresh_phone_offline_and_keeps_only_hers() {
    let server = Server::start(dist());
    let driver = Driver::start();
    let carer = Profile::new("follow-carer");
    let url = server.url();

    let links = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let made = links.clone();
    with_browser(&driver, &carer, move |c| async move {
        c.goto(&url).await.expect("open the app");
        welcome(&c).await;
        add_person(&c, "Meg", "Short breaks").await;
        write_note(&c, "Walked to the park and fed the ducks.").await;
        add_person(&c, "Sam", "Short breaks").await;
        plan_stay(&c, "Meg", 3, 2, "Bring your swimming things").await;
        plan_stay(&c, "Sam", 10, 1, "Sam's own note").await;

        // Meg's page: "Send to Meg's phone", with a number to ring.
        tap(&c, "People").await;
        open_row(&c, "Meg").await;
        tap(&c, "Send to Meg's phone").await;
        see(&c, "Anyone with the link can read these stays.").await;
        see(&c, "The link holds the 1 stay to come.").await;
        fill(&c, "f-phone", "ring me").await;
        tap(&c, "Make a new link with this number").await;
        see(&c, "Enter a phone number").await;
        fill(&c, "f-phone", "07700 900123").await;
        tap(&c, "Make a new link with this number").await;
        let older = copied_link(&c).await;
        assert!(older.starts_with(&format!("{url}#/follow/")), "{older}");
        assert_eq!(
            qr_on_screen(&c).await,
            older,
            "the code on screen is the link"
        );
        screenshot(&c, "40-send-stays").await;

        // A second stay, then a newer link from My stays.
        plan_stay(&c, "Meg", 20, 3, "").await;
        tap(&c, "Meg's stays, easy-read").await;
        tap(&c, "Send to Meg's phone").await;
        see(&c, "The link holds 2 stays").await;
        let newer = copied_link(&c).await;
        assert_ne!(newer, older);
        assert_eq!(qr_on_screen(&c).await, newer);

        // Sam's link, for the second person followed.
        tap(&c, "People").await;
        open_row(&c, "Sam").await;
        tap(&c, "Send to Sam's phone").await;
        let sam = copied_link(&c).await;

        // With the PIN lock on, a link opened on the carer's own phone shows
        // its stays without the PIN, and nothing of the carer's records;
        // the records are still behind the lock.
        tap(&c, "More").await;
        tap(&c, "Set a PIN").await;
        fill(&c, "f-new_pin", "284913").await;
        fill(&c, "f-new_pin_again", "284913").await;
        tap(&c, "Turn on the lock").await;
        see(&c, "The lock is on.").await;
        c.goto(&sam)
            .await
            .expect("open Sam's link on the carer's phone");
        see(&c, "Sam's own note").await;
        let text = page_text(&c).await;
        for never in ["Hearth is locked", "Meg", "Walked to the park", "People"] {
            assert!(!text.contains(never), "found {never:?} in\n{text}");
        }
        tap(&c, "Stop following Sam").await;
        tap(&c, "Yes, stop following").await;
        tap(&c, "Open your records").await;
        see(&c, "Hearth is locked").await;
        made.lock().unwrap().extend([older, newer, sam]);
    })
    .await;
    let [older, newer, sam] = <[String; 3]>::try_from(links.lock().unwrap().clone()).unwrap();

    // A fresh phone opens the newer link; then the server goes.
    let family = Profile::new("follow-family");
    let first = newer.clone();
    with_browser(&driver, &family, move |c| async move {
        c.goto(&first).await.expect("open the link");
        see(&c, "Meg's stays").await;
        see(&c, "Bring your swimming things").await;
        see(&c, "You will stay 3 nights.").await;
        see(&c, "Ring 07700 900123").await;
        let text = page_text(&c).await;
        for never in [
            "Sam",
            "Walked to the park",
            "Today",
            "People",
            "Welcome",
            "Start using Hearth",
        ] {
            assert!(
                !text.contains(never),
                "nothing but Meg's stays: found {never:?} in\n{text}"
            );
        }
        let hash = eval(&c, "return location.hash;").await;
        assert!(
            hash.as_str().unwrap().starts_with("#/following/"),
            "the key leaves the address bar: {hash}"
        );
        assert_eq!(
            databases(&c).await,
            ["hearth-following"],
            "no carer records on this phone"
        );
        see(&c, "These stays were sent on").await;
        wait_for_service_worker(&c).await;
        // Installed from here, Hearth opens on the stays sent to this phone.
        let manifest = eval(
            &c,
            "return new Promise(linked => { const look = () => { \
               const link = document.querySelector('link[rel=manifest]'); \
               link ? linked(link.href) : setTimeout(look, 50); }; look(); }) \
             .then(href => fetch(href)).then(r => r.json()).then(m => m.start_url);",
        )
        .await;
        assert_eq!(manifest, "./#/following", "the follow manifest is linked");
        screenshot(&c, "41-followed-stays").await;
    })
    .await;

    server.stop();

    with_browser(&driver, &family, move |c| async move {
        // Opened again with no server: the stays it was last given.
        c.goto(&newer).await.expect("open the app with no server");
        see(&c, "Meg's stays").await;
        c.refresh().await.expect("reload offline");
        see(&c, "Bring your swimming things").await;
        see(&c, "You will stay 3 nights.").await;

        // A second person.
        c.goto(&sam).await.expect("open Sam's link");
        see(&c, "Sam's stays").await;
        see(&c, "Sam's own note").await;
        tap(&c, "Everyone's stays").await;
        see(&c, "Stays sent to this phone").await;
        see(&c, "Meg's stays").await;
        screenshot(&c, "42-following").await;

        // A tampered link: one plain message, nothing changed.
        let (head, key) = older.rsplit_once('.').unwrap();
        let flip = |ch: char| if ch == 'A' { 'B' } else { 'A' };
        let at = head.len() - 10;
        let tampered = format!(
            "{}{}{}.{key}",
            &head[..at],
            flip(head[at..].chars().next().unwrap()),
            &head[at + 1..]
        );
        c.goto(&tampered).await.expect("open a tampered link");
        see(&c, "This link is damaged or incomplete").await;
        screenshot(&c, "43-link-damaged").await;

        // The older link after the newer: the newer stays stay.
        c.goto(&older).await.expect("open the older link");
        see(
            &c,
            "This link is older than the stays already on this phone",
        )
        .await;
        see(&c, "You will stay 3 nights.").await;

        // Stop following Sam.
        tap(&c, "Everyone's stays").await;
        tap_containing(&c, "Sam's stays").await;
        tap(&c, "Stop following Sam").await;
        tap(&c, "Yes, stop following").await;
        // With one person left, the list opens on their stays.
        see(&c, "Stop following Meg").await;
        assert!(!page_text(&c).await.contains("Sam"), "Sam's stays are gone");
        see(&c, "You will stay 3 nights.").await;
        assert_eq!(databases(&c).await, ["hearth-following"]);
    })
    .await;
}
