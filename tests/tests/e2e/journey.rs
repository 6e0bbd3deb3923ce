//! The carer's journey: people, notes, corrections and deletions, kept across
//! reloads and browser restarts.

use crate::harness::*;

#[tokio::test(flavor = "multi_thread")]
async fn a_carers_people_and_notes_survive_reloads_and_restarts() {
    let server = Server::start(dist());
    let driver = Driver::start();
    let profile = Profile::new("journey");
    let url = server.url();

    let first_visit = url.clone();
    with_browser(&driver, &profile, move |c| async move {
        c.goto(&first_visit).await.expect("open the app");
        screenshot(&c, "01-welcome").await;
        welcome(&c).await;
        screenshot(&c, "02-today-empty").await;
        // A first visit fetches the page and the main wasm: the start-up
        // code and the styles come inside the page, not as files after it.
        let files =
            "return performance.getEntriesByType('resource').map(e => new URL(e.name).pathname)\
             .filter(p => /\\.(js|css)$/.test(p));";
        assert_eq!(
            eval(&c, files).await,
            serde_json::json!([]),
            "no script or stylesheet file"
        );
        // Installing is offered once the app works offline: the manifest is
        // linked once the service worker is ready.
        wait_for_service_worker(&c).await;
        let linked = "return navigator.serviceWorker.ready\
             .then(() => !!document.querySelector('link[rel=\"manifest\"]'));";
        assert_eq!(eval(&c, linked).await, true, "the manifest is linked");

        // Adding a person: mistakes are explained under the field, focus goes there.
        tap(&c, "People").await;
        tap(&c, "Add a person").await;
        tap(&c, "Add person").await;
        see(&c, "Enter the name they like to be called.").await;
        see(&c, "Choose at least one kind of support").await;
        focused(&c, "f-preferred_name").await;
        screenshot(&c, "03-person-errors").await;
        fill(&c, "f-preferred_name", "Meg").await;
        fill(&c, "f-full_name", "Margaret Jones").await;
        tick(&c, "Short breaks").await;
        tick(&c, "Day support").await;
        set_value(&c, "f-date_of_birth", "1984-12-05").await;
        fill(
            &c,
            "f-what_matters",
            "Her cat Biscuit. Swimming on Fridays.",
        )
        .await;
        fill(&c, "f-communication", "Give her time to answer.").await;
        tap(&c, "Add a contact").await;
        fill(&c, "f-contacts.0.name", "Jan Jones").await;
        fill(&c, "f-contacts.0.role", "Mum").await;
        fill(&c, "f-contacts.0.phone", "call me").await;
        tap(&c, "Add person").await;
        see(&c, "Enter a phone number with 7 to 15 digits").await;
        assert_eq!(
            eval(&c, "return document.getElementById('f-what_matters').value").await,
            "Her cat Biscuit. Swimming on Fridays.",
            "nothing typed is lost when a field has a mistake"
        );
        fill(&c, "f-contacts.0.phone", "07700 900123").await;
        tap(&c, "Add person").await;
        see(&c, "Her cat Biscuit").await;
        see(&c, "Call 07700 900123").await;
        screenshot(&c, "04-person").await;

        // Editing a person.
        tap(&c, "Edit details").await;
        fill(&c, "f-full_name", "Margaret Anne Jones").await;
        tap(&c, "Save changes").await;
        see(&c, "Margaret Anne Jones").await;

        // A note can't be dated in the future; the text survives the mistake.
        tap(&c, "Write a note").await;
        let tomorrow = local_date(&c, 1).await;
        let today = local_date(&c, 0).await;
        set_value(&c, "f-date", &tomorrow).await;
        fill(
            &c,
            "f-text",
            "Meg baked scones & chose <b>not</b> to go out.",
        )
        .await;
        tick(&c, "Written with Meg").await;
        tap(&c, "Save note").await;
        see(&c, "This time is in the future.").await;
        set_value(&c, "f-date", &today).await;
        tap(&c, "Topics (optional)").await;
        tick(&c, "Eating and drinking").await;
        screenshot(&c, "05-note-form").await;
        tap(&c, "Save note").await;
        see(&c, "Meg baked scones & chose <b>not</b> to go out.").await;
        see(&c, "Written together").await;

        // A second note, which will be deleted.
        tap(&c, "Write a note").await;
        fill(&c, "f-text", "Went to the wrong person's file.").await;
        tap(&c, "Save note").await;
        see(&c, "Went to the wrong person's file.").await;

        // Whatever is typed is shown as text: markup in a note never runs.
        let payload = "<img src=x onerror=\"window.__pwned=1\"><script>window.__pwned=2</script>";
        tap(&c, "Write a note").await;
        fill(&c, "f-text", payload).await;
        tap(&c, "Save note").await;
        see(&c, payload).await;
        assert_eq!(eval(&c, "return typeof window.__pwned;").await, "undefined");
        assert_eq!(
            eval(
                &c,
                "return document.querySelectorAll('main img[src=x], main script').length;"
            )
            .await,
            0
        );

        // Today lists today's notes across people.
        tap(&c, "Today").await;
        see(&c, "Meg · Today").await;
        see(&c, "Meg baked scones").await;
        screenshot(&c, "06-today").await;

        // Correcting a note keeps the earlier text.
        css(&c, "a.row-link").await;
        tap_containing(&c, "Meg baked scones").await;
        tap(&c, "Correct this note").await;
        see(&c, "saved as an amendment").await;
        fill(&c, "f-text", "Meg baked scones and chose to stay in.").await;
        tap(&c, "Save correction").await;
        see(&c, "Edited by Ann").await;
        see(&c, "Earlier versions").await;
        see(&c, "Meg baked scones & chose <b>not</b> to go out.").await;
        screenshot(&c, "07-note-history").await;

        // Deleting asks why and leaves a visible tombstone.
        tap(&c, "People").await;
        open_row(&c, "Meg").await;
        tap_containing(&c, "Went to the wrong").await;
        tap(&c, "Delete").await;
        tap(&c, "Delete note").await;
        see(&c, "Say why this is being deleted").await;
        delete_reason(&c, "Written for the wrong person").await;
        tap(&c, "Delete note").await;
        see(&c, "Deleted: Written for the wrong person").await;
        screenshot(&c, "08-person-timeline").await;

        // Archiving keeps the person, out of the way.
        add_person(&c, "Sam", "Long-term").await;
        tap(&c, "Edit details").await;
        tap(&c, "Archive").await;
        c.accept_alert().await.expect("confirm archiving");
        see(&c, "Archived (1)").await;

        // A reload keeps everything.
        c.refresh().await.expect("reload");
        open_row(&c, "Meg").await;
        see(&c, "Meg baked scones and chose to stay in.").await;
        see(&c, "Deleted: Written for the wrong person").await;
    })
    .await;

    // Closing the browser and coming back keeps everything too.
    with_browser(&driver, &profile, move |c| async move {
        c.goto(&url).await.expect("open the app again");
        see(&c, "Today's records").await;
        see(&c, "Meg baked scones and chose to stay in.").await;
        // Today and Stays come from the main wasm alone: no chunk of another
        // screen is fetched until one is opened (what the bytes budget counts).
        let chunks = "return performance.getEntriesByType('resource').map(e => e.name)\
             .filter(u => /\\/(split|chunk)_[^/]*\\.wasm$/.test(u)).length;";
        assert_eq!(eval(&c, chunks).await, 0, "Today loads no wasm chunk");
        tap(&c, "Stays").await;
        see(&c, "Coming up").await;
        assert_eq!(eval(&c, chunks).await, 0, "the Stays tab loads none either");
        tap(&c, "People").await;
        see(&c, "Archived (1)").await;
        assert!(
            eval(&c, chunks).await.as_u64() > Some(0),
            "People loads its chunks"
        );
        open_row(&c, "Meg").await;
        see(&c, "Margaret Anne Jones").await;
        see(&c, "Deleted: Written for the wrong person").await;
        tap(&c, "More").await;
        see(&c, "Keeping records on this phone").await;
        screenshot(&c, "09-more").await;
        let foreign = eval(
            &c,
            "return performance.getEntriesByType('resource').map(e => e.name)\
             .filter(u => new URL(u).origin !== location.origin);",
        )
        .await;
        assert_eq!(
            foreign,
            serde_json::json!([]),
            "no request leaves the origin"
        );
    })
    .await;
    drop(server);
}
