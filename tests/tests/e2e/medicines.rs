//! Medicines: a medicine added as it is on the pharmacy label (an empty
//! form says what each field needs), a prescription changed by phone that
//! waits for written confirmation, survives a reload, and is confirmed.

use crate::harness::*;

#[tokio::test(flavor = "multi_thread")]
async fn a_medicine_from_the_label_a_change_by_phone_and_its_written_confirmation() {
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
        set_value(&c, "f-times", "08:00").await;
        tick(&c, "Given by the carer").await;
        fill(&c, "f-instructions", "With breakfast").await;
        fill(&c, "f-authorised_by", "Dr Okafor").await;
        tap(&c, "Save medicine").await;
        see(&c, "Sertraline 50 mg tablet").await;
        see(&c, "1 tablet, by mouth").await;
        see(&c, "At 8am").await;
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
    })
    .await;
}
