//! The "My stays" link in a real browser: sealed and opened with WebCrypto's
//! AES-GCM, refused when changed, and the stays sent to this phone kept in
//! their own IndexedDB database. Run with
//! `cd app && cargo test --target wasm32-unknown-unknown --test follow`.

mod common;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use common::random_id;
use hearth_app::stays_link::{make_link, open};
use hearth_app::storage::following::{Following, Kept};
use hearth_core::stays_link::{read_link, LinkError, SentStays, ROUTE};
use hearth_core::{PlannedStayDraft, RecordId, StayStatus};
use indexed_db_futures::database::Database;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 3, 14, 15, 0).unwrap()
}

fn today() -> NaiveDate {
    now().date_naive()
}

fn sent(person: RecordId, name: &str, made: DateTime<Utc>, nights: i64) -> SentStays {
    let stay = PlannedStayDraft {
        person_id: person.to_string(),
        arrival: "2026-12-05".into(),
        departure: hearth_core::dates::form_date(today() + Duration::days(2 + nights)),
        status: Some(StayStatus::Confirmed),
        notes_for_person: "Bring your swimming things.".into(),
        host: "Ann and Dev".into(),
        ..Default::default()
    }
    .validate()
    .expect("a valid stay");
    SentStays::for_person(person, name, "Ann and Dev", None, [stay], today(), made)
}

fn data_of(link: &str) -> &str {
    link.split_once(ROUTE).expect("a My stays link").1
}

#[wasm_bindgen_test]
async fn a_link_opens_with_its_key_and_refuses_any_change() {
    let meg = sent(random_id(), "Meg", now(), 2);
    let link = make_link(&meg.to_payload()).await.expect("a link");
    let data = data_of(&link);
    let (opened, payload) = open(&read_link(data).unwrap()).await.expect("it opens");
    assert_eq!(opened, meg);
    assert_eq!(payload, meg.to_payload());

    // One character of the sealed data changed: AES-GCM refuses it.
    let (head, key) = data.split_once('.').unwrap();
    let at = head.len() / 2;
    let swap = if &head[at..=at] == "A" { "B" } else { "A" };
    let changed = format!("{}{swap}{}.{key}", &head[..at], &head[at + 1..]);
    assert_eq!(
        open(&read_link(&changed).unwrap()).await,
        Err(LinkError::Damaged)
    );
    // Another link's key.
    let other = make_link(&meg.to_payload()).await.unwrap();
    let other_key = data_of(&other).split_once('.').unwrap().1;
    assert_ne!(other_key, key, "every link has its own key");
    let wrong_key = format!("{head}.{other_key}");
    assert_eq!(
        open(&read_link(&wrong_key).unwrap()).await,
        Err(LinkError::Damaged)
    );
}

#[wasm_bindgen_test]
async fn the_stays_sent_to_a_phone_keep_the_newest_link_per_person() {
    let name = format!("hearth-test-following-{}", random_id());
    let following = Following::open_named(&name)
        .await
        .expect("the database opens");
    let (meg, sam) = (random_id(), random_id());
    let older = sent(meg, "Meg", now(), 2);
    let newer = sent(meg, "Meg", now() + Duration::hours(1), 3);
    assert_eq!(
        following.keep(&newer, 1, newer.to_payload()).await.unwrap(),
        Kept::Saved
    );
    assert_eq!(
        following.keep(&older, 1, older.to_payload()).await.unwrap(),
        Kept::HadNewer(newer.clone()),
        "an older link never replaces a newer one"
    );
    assert_eq!(
        following.keep(&newer, 1, newer.to_payload()).await.unwrap(),
        Kept::Saved,
        "the same link again"
    );
    let sams = sent(sam, "Sam", now(), 1);
    following.keep(&sams, 1, sams.to_payload()).await.unwrap();
    let everyone: Vec<String> = following
        .everyone()
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.name)
        .collect();
    assert_eq!(everyone, ["Meg", "Sam"]);
    assert_eq!(following.theirs(meg).await.unwrap(), Some(newer));
    following.stop(sam).await.unwrap();
    assert_eq!(following.theirs(sam).await.unwrap(), None);
    assert_eq!(following.everyone().await.unwrap().len(), 1);
    following.close();
    Database::delete_by_name(&name)
        .expect("a delete request")
        .await
        .expect("deleted");
}
