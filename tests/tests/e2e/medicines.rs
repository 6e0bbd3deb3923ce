//! Medicines: a medicine added as it is on the pharmacy label (an empty
//! form says what each field needs), a prescription changed by phone that
//! waits for written confirmation, survives a reload, and is confirmed; its
//! dose due now on Today: a refusal needs a reason, "Given" in one tap, and
//! a second "given" for the same dose refused, naming the first; a "when
//! needed" dose too soon refused until an override reason is given, and
//! Today asking whether the earlier one helped; the month's MAR chart
//! checked cell by cell against the stored outcomes, and its CSV.

use crate::harness::*;
use fantoccini::Client;

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

        fill_due_now(&c, "Sertraline", "50 mg").await;
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

        // Today lists the dose due: a refusal needs a reason; one tap gives
        // it; a second "given" for the same dose is refused, naming the first.
        let medicines = eval(&c, "return location.hash;").await;
        let medicines = format!("{url}{}", medicines.as_str().expect("the screen's address"));
        tap(&c, "Today").await;
        see(&c, "Medicines due now").await;
        see(&c, "Sertraline 50 mg tablet for Maggie").await;
        screenshot(&c, "53-today-medicines-due").await;
        let form = eval(&c, "return document.querySelector('.due-dose a').getAttribute('href');").await;
        let form = form.as_str().expect("the dose's form").to_string();
        tap(&c, "Other…").await;
        tick(&c, "Refused").await;
        tap(&c, "Save").await;
        see(&c, "Say why: every outcome but given and prompted needs a reason.").await;
        c.back().await.expect("back");
        leave_unsaved(&c).await;
        see(&c, "Medicines due now").await;
        tap(&c, "Given").await;
        see(&c, "Dose recorded: given").await;
        reload(&c).await;
        see(&c, "Quick add").await;
        assert!(!page_text(&c).await.contains("Medicines due now"), "recorded, so no longer due");
        c.goto(&format!("{url}{form}")).await.expect("open the dose's form");
        tick(&c, "Given").await;
        tap(&c, "Save").await;
        see(&c, "This dose already has an outcome: given, recorded by Ann at").await;
        screenshot(&c, "52-dose-already-recorded").await;

        // Recorded wrongly: corrected, the earlier outcome kept in its history.
        c.goto(&medicines).await.expect("Maggie's medicines");
        leave_unsaved(&c).await;
        see(&c, "Recorded today").await;
        tap(&c, "Correct").await;
        tick(&c, "Prompted and taken").await;
        tap(&c, "Save").await;
        see(&c, "Dose corrected. The earlier record stays in its history.").await;
        see(&c, "Prompted and taken. Recorded by Ann.").await;

        // Recorded by mistake: deleted with a reason (its tombstone kept),
        // the dose is due again, and is given again from Today.
        see(&c, "Recorded today").await;
        tap(&c, "Delete").await;
        delete_reason(&c, "Recorded for the wrong time").await;
        tap(&c, "Delete dose record").await;
        see(&c, "Deleted. The dose record stays in the record, marked as deleted.").await;
        tap(&c, "Today").await;
        see(&c, "Sertraline 50 mg tablet for Maggie").await;
        tap(&c, "Given").await;
        see(&c, "Dose recorded: given").await;

        // A "when needed" medicine: a dose 40 minutes ago, then another now,
        // too soon, refused until an override reason is given; then Today
        // asks whether the first helped.
        c.goto(&medicines).await.expect("Maggie's medicines");
        tap(&c, "Add a medicine").await;
        fill(&c, "f-name", "Paracetamol").await;
        tick(&c, "Tablet").await;
        fill(&c, "f-strength", "500 mg").await;
        fill(&c, "f-dose", "1").await;
        fill(&c, "f-dose_max", "2").await;
        tick(&c, "tablet").await;
        tick(&c, "By mouth").await;
        tick(&c, "When needed").await;
        fill(&c, "f-when_needed_reason", "For pain").await;
        fill(&c, "f-min_gap_hours", "4").await;
        fill(&c, "f-max_in_24h", "4").await;
        tick(&c, "Given by the carer").await;
        fill(&c, "f-authorised_by", "Dr Okafor").await;
        tap(&c, "Save medicine").await;
        see(&c, "Paracetamol 500 mg tablet").await;
        screenshot(&c, "55-when-needed").await;
        tap(&c, "Record a dose").await;
        let earlier = eval(
            &c,
            "const d = new Date(Date.now() - 40 * 60000); const p = n => String(n).padStart(2, '0'); \
             return [d.getFullYear() + '-' + p(d.getMonth() + 1) + '-' + p(d.getDate()), p(d.getHours()) + ':' + p(d.getMinutes())];",
        )
        .await;
        let earlier: Vec<String> = serde_json::from_value(earlier).expect("a day and a time");
        tick(&c, "Given").await;
        fill(&c, "f-amount", "2").await;
        fill(&c, "f-reason", "Headache").await;
        set_value(&c, "f-date", &earlier[0]).await;
        set_value(&c, "f-time", &earlier[1]).await;
        tap(&c, "Save").await;
        see(&c, "Paracetamol 500 mg tablet").await;
        tap(&c, "Record a dose").await;
        tick(&c, "Given").await;
        fill(&c, "f-amount", "1").await;
        fill(&c, "f-reason", "Toothache").await;
        tap(&c, "Save").await;
        see(&c, "this medicine needs at least 4 hours between doses").await;
        fill(&c, "f-override_reason", "Dentist said to, by phone").await;
        tap(&c, "Save").await;
        see(&c, "Paracetamol 500 mg tablet").await;
        tap(&c, "Today").await;
        see(&c, "Did it help?").await;
        see(&c, "Paracetamol 500 mg tablet for Maggie").await;
        see(&c, "Headache").await;
        screenshot(&c, "54-did-it-help").await;
        let field = eval(&c, "return document.querySelector('.ask-effect input').id;").await;
        fill(&c, field.as_str().expect("the effect's field"), "Headache gone").await;
        tap(&c, "Yes, it helped").await;
        see(&c, "Noted. Thank you.").await;
        reload(&c).await;
        see(&c, "Quick add").await;
        assert!(!page_text(&c).await.contains("Did it help?"), "answered, so not asked again");

        // The month's chart: today's cells hold the code and initials of
        // every outcome stored, in the row of its medicine and time.
        c.goto(&medicines).await.expect("Maggie's medicines");
        tap(&c, "Medicines chart (MAR)").await;
        see(&c, "Check the chart").await;
        see(&c, "Allergies and reactions").await;
        let found = c
            .execute_async(
                "const done = arguments[arguments.length - 1]; \
                 const open = indexedDB.open('hearth'); \
                 open.onsuccess = () => { const db = open.result; const tx = db.transaction(['doses', 'medicines']); \
                   const doses = tx.objectStore('doses').getAll(); const meds = tx.objectStore('medicines').getAll(); \
                   tx.oncomplete = () => { db.close(); \
                     const name = id => meds.result.map(r => r.rec).find(m => m.id === id).body.name; \
                     const stored = doses.result.map(r => r.rec).filter(d => !d.deleted).map(d => ({ \
                       name: name(d.body.medicine_id), when_needed: !d.body.slot, kind: d.body.outcome.kind, \
                       by: d.created_by, day: Number(d.body.at.slice(8, 10)), time: d.body.at.slice(11, 16) })); \
                     const rows = [...document.querySelectorAll('table.mar tbody tr')].map(r => \
                       [...r.children].map(c => c.innerText.trim())); \
                     done({ stored, rows }); }; };",
                vec![],
            )
            .await
            .expect("read the doses and the chart");
        let stored = found["stored"].as_array().expect("the stored doses");
        assert_eq!(stored.len(), 3, "one Sertraline (and one deleted), two Paracetamol: {found}");
        let rows = found["rows"].as_array().expect("the chart's rows");
        for dose in stored {
            let name = dose["name"].as_str().unwrap_or_default();
            assert_eq!(dose["kind"], "given");
            assert_eq!(dose["by"], "Ann");
            let day = dose["day"].as_u64().unwrap_or_default() as usize;
            let row = rows
                .iter()
                .filter_map(|r| r.as_array())
                .find(|r| r[0].as_str().unwrap_or_default().starts_with(name))
                .unwrap_or_else(|| panic!("no row for {name}: {found}"));
            // The medicine, its time, then a cell per day of the month.
            let cell = row[day + 1].as_str().unwrap_or_default();
            let want = if dose["when_needed"] == true {
                format!("{} ✓ A", dose["time"].as_str().unwrap_or_default())
            } else {
                "✓\nA".to_string()
            };
            assert!(cell.contains(&want), "{name} on day {day}: {cell:?} should hold {want:?}");
        }
        screenshot(&c, "57-medicines-chart").await;
        printed(&c, "57-medicines-chart-printed").await;

        // A pharmacy's 28-day cycle instead of the month: a day to come is
        // refused; one ten days ago gives 28 days, today's outcome in its
        // eleventh.
        let soon = local_date(&c, 3).await;
        set_value(&c, "f-cycle_from", &soon).await;
        tap(&c, "Show that cycle").await;
        see(&c, "Choose a cycle that has started: today or earlier.").await;
        let started = local_date(&c, -10).await;
        set_value(&c, "f-cycle_from", &started).await;
        tap(&c, "Show that cycle").await;
        see(&c, "From ").await;
        let cycle = eval(
            &c,
            "const head = document.querySelectorAll('table.mar thead tr')[1]; \
             const row = [...document.querySelectorAll('table.mar tbody tr')].find(r => r.innerText.startsWith('Sertraline')); \
             return [head.children.length - 2, row.children[12].innerText.trim()];",
        )
        .await;
        assert_eq!(cycle[0], 28, "28 days: {cycle}");
        assert_eq!(cycle[1], "✓\nA", "today is its eleventh day: {cycle}");
        screenshot(&c, "58-medicines-cycle").await;
        c.back().await.expect("back to the month");
        see(&c, "Download the chart (CSV)").await;

        // The chart as CSV: the same cells, read back as a spreadsheet would.
        eval(&c, CATCH_DOWNLOADS).await;
        tap(&c, "Download the chart (CSV)").await;
        let (name, csv) = download_containing(&c, "medicines-chart").await;
        assert!(name.starts_with("Maggie-medicines-chart-") && name.ends_with(".csv"), "{name}");
        let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
        assert!(lines[0].starts_with("person,medicine,dose,time,"), "{csv}");
        let sertraline = lines
            .iter()
            .find(|l| l.contains("Sertraline"))
            .unwrap_or_else(|| panic!("no Sertraline row: {csv}"));
        let day = stored
            .iter()
            .find(|d| d["name"] == "Sertraline")
            .and_then(|d| d["day"].as_u64())
            .unwrap_or_default() as usize;
        // Its last fields are the month's days (no commas in them).
        let days = lines[0].split(',').count() - 4;
        let cells: Vec<&str> = sertraline.split(',').collect();
        assert_eq!(cells[0], "Maggie");
        assert_eq!(cells[cells.len() - days + day - 1], "✓ A", "{sertraline}");
        tap(&c, "Download every dose (CSV)").await;
        let (name, csv) = download_containing(&c, "doses").await;
        assert!(name.starts_with("Maggie-doses-"), "{name}");
        assert_eq!(
            csv.trim_start_matches('\u{feff}').lines().count(),
            5,
            "a header, 3 doses and the one deleted: {csv}"
        );
        assert!(csv.contains(",Ann,Recorded for the wrong time"), "the deletion and its reason: {csv}");
    })
    .await;
}

/// Fills the open "Add a medicine" form: one tablet by mouth, given by the
/// carer, at a time a few minutes ago (so it is due now whatever the time of
/// day); the caller adds the rest and saves.
pub(crate) async fn fill_due_now(c: &Client, name: &str, strength: &str) {
    fill(c, "f-name", name).await;
    tick(c, "Tablet").await;
    fill(c, "f-strength", strength).await;
    fill(c, "f-dose", "1").await;
    tick(c, "tablet").await;
    tick(c, "By mouth").await;
    let due = eval(
        c,
        "const d = new Date(Math.max(Date.now() - 300000, new Date().setHours(0, 0, 0, 0))); \
         const p = n => String(n).padStart(2, '0'); return p(d.getHours()) + ':' + p(d.getMinutes());",
    )
    .await;
    set_value(c, "f-times", due.as_str().expect("a time")).await;
    tick(c, "Given by the carer").await;
}

/// Prints the screen as the browser's print dialog would on A4 landscape,
/// into `target/e2e-screens/<name>.pdf`, and checks it is one or two pages;
/// where Ghostscript is installed, the first page as a PNG beside it, to
/// look at.
async fn printed(c: &Client, name: &str) {
    use fantoccini::wd::{PrintConfiguration, PrintOrientation, PrintSize};
    let config = PrintConfiguration::builder()
        .orientation(PrintOrientation::Landscape)
        .size(PrintSize::A4)
        .background(true)
        .build()
        .expect("a print configuration");
    let pdf = c.print(config).await.expect("printed");
    assert!(pdf.starts_with(b"%PDF"), "a PDF");
    let text = String::from_utf8_lossy(&pdf);
    let pages = text.matches("/Type /Page").count() - text.matches("/Type /Pages").count();
    assert!(
        (1..=2).contains(&pages),
        "the month's chart on one or two pages, not {pages}"
    );
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/e2e-screens");
    std::fs::create_dir_all(&dir).expect("the screenshots' folder");
    let file = dir.join(format!("{name}.pdf"));
    std::fs::write(&file, &pdf).expect("the PDF written");
    let png = dir.join(format!("{name}.png"));
    let _ = std::process::Command::new("gs")
        .args([
            "-q",
            "-dBATCH",
            "-dNOPAUSE",
            "-sDEVICE=png16m",
            "-r80",
            "-dFirstPage=1",
            "-dLastPage=1",
        ])
        .arg(format!("-sOutputFile={}", png.display()))
        .arg(&file)
        .status();
}

/// Someone who comes for short breaks is here only in their stays: with no
/// stay logged or planned today, their dose due is coded as at home ("F",
/// away with family) on the chart, not as a gap, and isn't due on Today
/// until a stay brings them.
#[tokio::test(flavor = "multi_thread")]
async fn a_short_break_persons_doses_between_stays_are_coded_at_home() {
    let server = Server::start(dist());
    let driver = Driver::start();
    let profile = Profile::new("medicines-between-stays");
    let url = server.url();
    with_browser(&driver, &profile, move |c| async move {
        c.goto(&url).await.expect("open the app");
        welcome(&c).await;
        add_person(&c, "Ravi", "Short breaks").await;
        tap(&c, "Medicines").await;
        tap(&c, "Add a medicine").await;
        fill_due_now(&c, "Sertraline", "50 mg").await;
        fill(&c, "f-authorised_by", "Dr Okafor").await;
        tap(&c, "Save medicine").await;
        tap(&c, "Medicines chart (MAR)").await;
        see(&c, "Check the chart").await;
        let today = eval(
            &c,
            "const row = document.querySelector('table.mar tbody tr'); \
             return row.children[new Date().getDate() + 1].innerText.trim();",
        )
        .await;
        assert_eq!(today, "F", "no stay today: at home, not a gap");
        assert!(
            !page_text(&c).await.contains("Doses with no outcome"),
            "nothing missing"
        );

        // At home today, so Today lists nothing due for him; a short break
        // planned from today brings his dose onto Today's list.
        tap(&c, "Today").await;
        see(&c, "Start visit with Ravi").await;
        tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
        assert!(
            !page_text(&c).await.contains("Medicines due now"),
            "at home, so not due here"
        );
        let (today, tomorrow) = (local_date(&c, 0).await, local_date(&c, 1).await);
        tap(&c, "Stays").await;
        tap(&c, "Plan a stay").await;
        // The only person, so already chosen.
        set_value(&c, "f-arrival", &today).await;
        set_value(&c, "f-departure", &tomorrow).await;
        tick(&c, "Confirmed").await;
        tap(&c, "Save stay").await;
        see(&c, "Ravi's stay").await;
        tap(&c, "Today").await;
        see(&c, "Medicines due now").await;
        see(&c, "Sertraline 50 mg tablet for Ravi").await;
    })
    .await;
}
