//! Medicines: a medicine added as it is on the pharmacy label (an empty
//! form says what each field needs), a prescription changed by phone that
//! waits for written confirmation, survives a reload, and is confirmed; its
//! dose due now: a refusal needs a reason, "Given" in one tap, and a second
//! "given" for the same dose refused, naming the first.

use crate::harness::*;

#[tokio::test(flavor = "multi_thread")]
async fn a_medicine_from_the_label_changed_by_phone_confirmed_and_its_dose_given_once() {
    let server = Server::start(dist());
    let driver = Driver::start();
    let profile = Profile::new("medicines");
    let url = server.url();
    with_browser(&driver, &profile, move |c| async move {
        c.goto(&url).await.expect("open the app");
        welcome(&c).await;
        add_person(&c, "Maggie", "Long-term").await;
        tap(&c, "Medicines").await;
        see(&c, "No medicines recorded.").await;
        tap(&c, "Add a medicine").await;

        // Nothing filled in: each field says what it needs, the first has focus.
        tap(&c, "Save medicine").await;
        see(
            &c,
            "Enter the medicine's name, as it is on the pharmacy label.",
        )
        .await;
        see(&c, "Enter the dose as a number, such as 1, 2 or 0.5.").await;
        focused(&c, "f-name").await;

        fill(&c, "f-name", "Sertraline").await;
        tick(&c, "Tablet").await;
        fill(&c, "f-strength", "50 mg").await;
        fill(&c, "f-dose", "1").await;
        tick(&c, "tablet").await;
        tick(&c, "By mouth").await;
        // Due a few minutes ago, so it is due now whatever the time of day.
        let due = eval(
            &c,
            "const d = new Date(Math.max(Date.now() - 300000, new Date().setHours(0, 0, 0, 0))); \
             const p = n => String(n).padStart(2, '0'); return p(d.getHours()) + ':' + p(d.getMinutes());",
        )
        .await;
        let due = due.as_str().expect("a time").to_string();
        set_value(&c, "f-times", &due).await;
        tick(&c, "Given by the carer").await;
        fill(&c, "f-instructions", "With breakfast").await;
        fill(&c, "f-authorised_by", "Dr Okafor").await;
        tap(&c, "Save medicine").await;
        see(&c, "Sertraline 50 mg tablet").await;
        see(&c, "1 tablet, by mouth").await;
        see(&c, "At ").await;
        assert!(!page_text(&c)
            .await
            .contains("Waiting for written confirmation"));
        screenshot(&c, "50-medicines").await;

        // The GP phones: 2 tablets from today, waiting for it in writing.
        tap(&c, "Change the prescription").await;
        fill(&c, "f-dose", "2").await;
        fill(&c, "f-authorised_by", "Dr Okafor").await;
        tick(&c, "Phone call").await;
        tap(&c, "Save the change").await;
        see(&c, "Waiting for written confirmation.").await;
        see(&c, "2 tablets, by mouth").await;
        reload(&c).await;
        see(&c, "Waiting for written confirmation.").await;
        screenshot(&c, "51-medicine-waiting").await;

        // The prescription comes.
        tap(&c, "Confirmed in writing").await;
        tick(&c, "Prescription").await;
        tap(&c, "Save the confirmation").await;
        see(&c, "Sertraline 50 mg tablet").await;
        see(&c, "2 tablets, by mouth").await;
        assert!(!page_text(&c)
            .await
            .contains("Waiting for written confirmation"));

        // Due now: a refusal needs a reason; one tap gives it; a second
        // "given" for the same dose is refused, naming the first.
        see(&c, "Due now").await;
        let form = eval(&c, "return document.querySelector('.due-dose a').getAttribute('href');").await;
        let form = form.as_str().expect("the dose's form").to_string();
        tap(&c, "Other…").await;
        tick(&c, "Refused").await;
        tap(&c, "Save").await;
        see(&c, "Say why: every outcome but given and prompted needs a reason.").await;
        c.back().await.expect("back");
        c.accept_alert().await.ok();
        see(&c, "Due now").await;
        tap(&c, "Given").await;
        see(&c, "Dose recorded: given").await;
        reload(&c).await;
        see(&c, "Sertraline 50 mg tablet").await;
        assert!(!page_text(&c).await.contains("Due now"), "recorded, so no longer due");
        c.goto(&format!("{url}{form}")).await.expect("open the dose's form");
        tick(&c, "Given").await;
        tap(&c, "Save").await;
        see(&c, "This dose already has an outcome: given, recorded by Ann at").await;
        screenshot(&c, "52-dose-already-recorded").await;
    })
    .await;
}
