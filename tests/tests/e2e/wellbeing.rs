//! Wellbeing check-ins: three taps from Today, the chart draws what is
//! stored, the table matches it, the gentle flag, and the person-facing mode.

use crate::harness::*;

/// Counts the marks drawn on the mood chart.
async fn marks(c: &fantoccini::Client) -> usize {
    let script = "return document.querySelectorAll('svg.chart:not(.chart-small) .mark').length;";
    eval(c, script).await.as_u64().expect("a count") as usize
}

/// A check-in from the person's page, dated `days_ago` at midnight so the
/// order is clear whatever the time the test runs.
async fn check_in(c: &fantoccini::Client, mood: &str, answered: &str, days_ago: i32) {
    tap(c, "Check-in").await;
    face(c, mood).await;
    tick(c, answered).await;
    tap(
        c,
        "More: sleep, appetite, pain, wellbeing questions (optional)",
    )
    .await;
    let day = local_date(c, -days_ago).await;
    set_value(c, "f-date", &day).await;
    set_value(c, "f-time", "00:00").await;
    tap(c, "Save check-in").await;
    see(c, "Check-in saved").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn check_ins_are_three_taps_and_the_chart_shows_what_is_stored() {
    let server = Server::start(dist());
    let driver = Driver::start();
    let profile = Profile::new("wellbeing");
    let url = server.url();
    with_browser(&driver, &profile, move |c| async move {
        c.goto(&url).await.expect("open the app");
        welcome(&c).await;
        add_person(&c, "Meg", "Short breaks").await;

        // Three low check-ins in a row raise the gentle flag.
        check_in(&c, "Low", "Meg answered with help", 3).await;
        check_in(&c, "Awful", "Carer observed", 2).await;
        check_in(&c, "Low", "Meg answered", 1).await;
        see(&c, "A gentle flag.").await;
        see(&c, "Meg's last 3 check-ins were low or awful.").await;
        assert_eq!(marks(&c).await, 3, "one mark per stored check-in");
        let shapes = eval(
            &c,
            "return ['mark-self','mark-help','mark-observed'].map(k => document.querySelectorAll('svg.chart:not(.chart-small) .' + k).length);",
        )
        .await;
        assert_eq!(shapes, serde_json::json!([1, 1, 1]), "shape shows who answered");
        screenshot(&c, "13-wellbeing-chart").await;

        // The same data as a table.
        tap(&c, "Show as table").await;
        let rows = eval(&c, "return document.querySelectorAll('table.mood-table tbody tr').length;").await;
        assert_eq!(rows, 3);
        see(&c, "Carer observed").await;
        tap(&c, "Show as chart").await;

        // Three taps from Today: the person's check-in, a face, save.
        tap(&c, "Today").await;
        tap(&c, "Check-in for Meg").await;
        screenshot(&c, "12-check-in").await;
        face(&c, "Good").await;
        tap(&c, "Save check-in").await;
        // Back where it was started, with the new check-in among today's records.
        see(&c, "Today's records").await;
        see(&c, "Check-in: Good").await;
        let place = eval(&c, "return document.querySelector('.tab[aria-current=page]').textContent;").await;
        assert_eq!(place, "Today", "a check-in started from Today goes back to Today");
        tap(&c, "People").await;
        open_row(&c, "Meg").await;
        see(&c, "Check-in: Good").await;
        assert_eq!(marks(&c).await, 4);
        assert!(
            !page_text(&c).await.contains("A gentle flag."),
            "a good check-in ends the run of low ones"
        );

        // Handing the phone over: large faces, a check, and a deliberate way back.
        tap(&c, "Ask Meg").await;
        see(&c, "How are you feeling today?").await;
        assert!(!page_text(&c).await.contains("People"), "the carer's app is out of sight");
        screenshot(&c, "14-ask").await;
        face(&c, "Great").await;
        see(&c, "Is that right?").await;
        tap(&c, "Yes, that's right").await;
        see(&c, "Please give the phone back to Ann.").await;
        tap(&c, "Carer: finish").await;
        tap(&c, "Yes, back to the app").await;
        see(&c, "Check-in: Great").await;
        assert_eq!(marks(&c).await, 5);

        // The month's report has the check-ins and their chart, ready to print.
        tap(&c, "Monthly report").await;
        see(&c, "Monthly report: Meg").await;
        see(&c, "Wellbeing check-ins").await;
        see(&c, "No notes this month.").await;
        let drawn = eval(&c, "return document.querySelectorAll('.report svg.chart .mark').length;").await;
        assert!(drawn.as_u64().unwrap_or(0) >= 2, "today's check-ins are on the report's chart");
        screenshot(&c, "15-report").await;
    })
    .await;
}
