//! Visits and stays: a one-tap visit that survives a reload, overlaps named,
//! planned stays with the beds warning, the easy-read My stays view with its
//! calendar file, and the month's totals.

use crate::harness::*;

/// The phone's local date and time an hour ago, as the form's inputs take them.
async fn an_hour_ago(c: &fantoccini::Client) -> (String, String) {
    let v = eval(
        c,
        "const d = new Date(Date.now() - 3600000); const p = n => String(n).padStart(2, '0'); \
         return [d.getFullYear() + '-' + p(d.getMonth() + 1) + '-' + p(d.getDate()), p(d.getHours()) + ':' + p(d.getMinutes())];",
    )
    .await;
    (
        v[0].as_str().unwrap().to_string(),
        v[1].as_str().unwrap().to_string(),
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn visits_and_stays_from_one_tap_to_the_months_totals() {
    let server = Server::start(dist());
    let driver = Driver::start();
    let profile = Profile::new("stays");
    let url = server.url();
    with_browser(&driver, &profile, move |c| async move {
        c.goto(&url).await.expect("open the app");
        welcome(&c).await;
        add_person(&c, "Meg", "Day support").await;
        add_person(&c, "Sam", "Short breaks").await;

        // One tap starts a visit; it is still running after a reload.
        tap(&c, "Today").await;
        tap(&c, "Start visit with Meg").await;
        see(&c, "Visits in progress").await;
        c.refresh().await.expect("reload");
        see(&c, "Meg: Day support").await;
        screenshot(&c, "16-visit-running").await;
        tap(&c, "End visit with Meg").await;
        see(&c, "End visit").await;
        let (date, time) = an_hour_ago(&c).await;
        set_value(&c, "f-start_date", &date).await;
        set_value(&c, "f-start_time", &time).await;
        fill(&c, "f-what_happened", "Walked to the park and fed the ducks.").await;
        tap(&c, "Save visit").await;
        see(&c, "Walked to the park and fed the ducks.").await;
        assert!(!page_text(&c).await.contains("Visits in progress"));
        tap(&c, "Today").await;
        assert!(
            !page_text(&c).await.contains("Visits in progress"),
            "the running visit ends once it is logged"
        );

        // A second visit that overlaps is refused, naming the first.
        tap(&c, "People").await;
        open_row(&c, "Meg").await;
        see(&c, "Walked to the park").await;
        tap(&c, "Log a visit or stay").await;
        set_value(&c, "f-start_date", &date).await;
        set_value(&c, "f-start_time", &time).await;
        tap(&c, "Save visit").await;
        see(&c, "This overlaps Meg's day support visit").await;
        tap(&c, "Today").await;
        c.accept_alert().await.ok();

        // Plan and confirm a stay for Sam.
        let arrive = local_date(&c, 3).await;
        let leave = local_date(&c, 5).await;
        tap(&c, "Stays").await;
        tap(&c, "Plan a stay").await;
        tick(&c, "Sam").await;
        set_value(&c, "f-arrival", &arrive).await;
        set_value(&c, "f-departure", &leave).await;
        set_value(&c, "f-arrival_time", "17:30").await;
        tick(&c, "Confirmed").await;
        fill(&c, "f-notes_for_person", "Bring your swimming things").await;
        tap(&c, "Save stay").await;
        see(&c, "Sam's stay").await;
        see(&c, "2 nights").await;

        // Confirming a second guest on the same nights warns, naming the clash.
        tap(&c, "Stays").await;
        tap(&c, "Plan a stay").await;
        tick(&c, "Meg").await;
        set_value(&c, "f-arrival", &arrive).await;
        set_value(&c, "f-departure", &leave).await;
        tick(&c, "Confirmed").await;
        tap(&c, "Save stay").await;
        see(&c, "Sam").await;
        see(&c, "Press the button again to save it anyway.").await;
        screenshot(&c, "17-beds-warning").await;
        tap(&c, "Save anyway").await;
        see(&c, "Meg's stay").await;
        // Meg will stay elsewhere, typed with an unclosed right-to-left override.
        tap(&c, "Change").await;
        set_value(&c, "f-host", "Pat \u{202E}on the hill").await;
        tap(&c, "Save changes").await;
        // The stay's own page (not the form, which also says "Staying with").
        see(&c, "Meg's stays, easy-read").await;

        // My stays: easy-read, nothing of the carer's app, a calendar file.
        tap(&c, "Stays").await;
        open_row(&c, "Sam").await;
        tap(&c, "Sam's stays, easy-read").await;
        see(&c, "Your next stay at Ann and Dev's is on").await;
        see(&c, "That is in 3 days.").await;
        see(&c, "You will stay 2 nights.").await;
        see(&c, "Bring your swimming things").await;
        let text = page_text(&c).await;
        assert!(!text.contains("People") && !text.contains("Walked to the park"), "no care records here");
        screenshot(&c, "18-my-stays").await;
        eval(&c, CATCH_DOWNLOADS).await;
        tap(&c, "Add to calendar").await;
        see(&c, "Saved to this phone's downloads").await;
        let (name, ics) = last_download(&c).await;
        assert_eq!(name, "Sam-stays.ics");
        for expected in ["BEGIN:VCALENDAR\r\n", "VERSION:2.0", "PRODID:", "BEGIN:VEVENT", "DTSTART;VALUE=DATE:", "DTEND;VALUE=DATE:", "UID:", "DTSTAMP:", "END:VCALENDAR"] {
            assert!(ics.contains(expected), "the calendar file has {expected:?}:\n{ics}");
        }
        tap(&c, "Carer: finish").await;
        tap(&c, "Yes, back to the app").await;
        see(&c, "Upcoming stays").await;

        // Meg's stay host ends in an unclosed override: it turns only itself,
        // and the day after "is on" still reads left to right.
        tap(&c, "Stays").await;
        open_row(&c, "Meg").await;
        tap(&c, "Meg's stays, easy-read").await;
        see(&c, "That is in 3 days.").await;
        let order = eval(
            &c,
            "const span = [...document.querySelectorAll('.easy-lines span')]\
               .find(s => s.textContent.startsWith('Your next stay')); \
             const node = span.firstChild, text = node.textContent; \
             const day = text.lastIndexOf(' is on ') + 7, end = text.indexOf(' ', day) - 1; \
             const x = i => { const r = document.createRange(); r.setStart(node, i); \
               r.setEnd(node, i + 1); return r.getBoundingClientRect().left; }; \
             return [text.slice(day, end + 1), x(day) < x(end)];",
        )
        .await;
        assert_eq!(order[1], true, "the day's name reads left to right: {order}");
        screenshot(&c, "18-my-stays-bidi").await;
        tap(&c, "Carer: finish").await;
        tap(&c, "Yes, back to the app").await;

        // The month's totals count Meg's day-support visit.
        tap(&c, "Stays").await;
        tap(&c, "Monthly summary").await;
        see(&c, "Visits and stays").await;
        let row = eval(&c, "const r = [...document.querySelectorAll('.summary-table tbody tr')].find(r => r.innerText.includes('Meg') && r.innerText.includes('Day support')); return r ? [...r.children].map(c => c.textContent.trim()).join('\\t') : '';").await;
        let row = row.as_str().unwrap_or_default().to_string();
        let cells: Vec<&str> = row.split('\t').map(str::trim).collect();
        assert_eq!(cells.get(2), Some(&"1"), "Meg: one day-support session, got {row:?}");
        let hours: f64 = cells.get(4).and_then(|h| h.parse().ok()).unwrap_or_default();
        assert!((0.95..=1.05).contains(&hours), "about an hour, got {row:?}");
        screenshot(&c, "19-summary").await;

        // Meg's visits as a spreadsheet file for the scheme.
        tap(&c, "People").await;
        open_row(&c, "Meg").await;
        tap(&c, "Visits (CSV)").await;
        let (name, csv) = download_containing(&c, "visits").await;
        assert!(name.starts_with("Meg-visits-") && name.ends_with(".csv"), "{name}");
        // (Blob.text() decodes away the byte-order mark; core's tests check it.)
        assert!(csv.trim_start_matches('\u{feff}').starts_with("id,person,kind,started_at"), "{csv}");
        assert!(csv.contains("Walked to the park and fed the ducks."), "{csv}");

        // Planned stays for a range of days: a range the wrong way round is
        // refused on screen, a right one names the file after its days.
        let today = local_date(&c, 0).await;
        let in_ten = local_date(&c, 10).await;
        set_value(&c, "f-export_from", &in_ten).await;
        set_value(&c, "f-export_to", &today).await;
        tap(&c, "Planned stays (CSV)").await;
        see(&c, "The end date is before the start date.").await;
        focused(&c, "f-export_to").await;
        set_value(&c, "f-export_from", &today).await;
        set_value(&c, "f-export_to", &in_ten).await;
        see(&c, "The files cover").await;
        tap(&c, "Planned stays (CSV)").await;
        let (name, csv) = download_containing(&c, "planned-stays").await;
        assert_eq!(name, format!("Meg-planned-stays-{today}-to-{in_ten}.csv"));
        assert!(csv.trim_start_matches('\u{feff}').starts_with("id,person,arrival_date,arrival_time,departure_date"), "{csv}");
        assert!(csv.contains(&format!(",Meg,{arrive},,{leave},,2,Confirmed,")), "{csv}");
        screenshot(&c, "19b-exports").await;

        // The month's report for the scheme lists the visit and the plans.
        tap(&c, "Monthly report").await;
        see(&c, "Visits and stays").await;
        see(&c, "Walked to the park and fed the ducks.").await;
        see(&c, "Planned short breaks").await;
        if arrive[..7] == today[..7] {
            see(&c, "Confirmed").await;
        }
    })
    .await;
}
