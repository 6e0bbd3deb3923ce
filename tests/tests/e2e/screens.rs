//! Every screen, with records stored: the carer's own (a person, a note, a
//! visit in progress) and the sample data from "Try with sample data" (so that
//! button is tested end to end, and there are corrections, a deletion, past and
//! upcoming stays to show). On each screen, at 360x740:
//! - axe-core, run in the page, finds no accessibility violation;
//! - no request has left the origin (resource timing, and every `src` and
//!   stylesheet link in the document);
//! - at 200% text size and at 320 px wide, nothing makes the page scroll
//!   sideways, no two controls overlap, no control's text is wider than its
//!   box and no word in a control or a table is broken over two lines;
//! - the report and the month's totals, printed: the same, and no header,
//!   tab bar, button or "Today" on paper.
//!
//! The summary, the report (on screen and printed), a check-in and a
//! person's chart are also photographed at 320 px and at 200% text
//! (`target/e2e-screens/`), to be looked at.
//!
//! Every problem on every screen is collected and listed together. At the end,
//! "Remove sample data" removes the sample and the carer's own records stay.

use crate::harness::*;
use fantoccini::Client;
use std::path::Path;
use std::time::{Duration, Instant};

/// axe-core's browser build, from npm (`./hearth` installs it).
fn axe_source() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "couldn't read {}: {e}. Run `npm ci` (./hearth does) first.",
            path.display()
        )
    })
}

/// Waits until the screen has finished loading what it shows.
async fn settled(c: &Client) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let ready = eval(
            c,
            "const main = document.querySelector('main'); \
             return !!main && document.readyState === 'complete' && \
             !/Loading|Checking…|Opening Hearth|Making the link…|the stays…/.test(document.body.innerText);",
        )
        .await;
        if ready == serde_json::Value::Bool(true) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the screen never finished loading"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Let any last render (a chart, a toast's region) land.
    tokio::time::sleep(Duration::from_millis(300)).await;
}

/// Runs axe-core in the page; one line per violation.
async fn axe(c: &Client, axe: &str) -> Vec<String> {
    let injected = c
        .execute(&format!("{axe}\n;return typeof window.axe;"), vec![])
        .await
        .expect("inject axe-core");
    assert_eq!(injected, "object", "axe-core is in the page");
    let found = c
        .execute_async(
            "const done = arguments[arguments.length - 1]; \
             axe.run(document, { resultTypes: ['violations'] }) \
               .then(r => done(r.violations.flatMap(v => v.nodes.map(n => \
                 `${v.id} (${v.impact}): ${v.help}; at ${n.target.join(' ')}`)))) \
               .catch(e => done(['axe failed: ' + e]));",
            vec![],
        )
        .await
        .expect("run axe-core");
    lines(found)
}

/// Requests (and references) that leave the page's origin.
async fn foreign_requests(c: &Client) -> Vec<String> {
    lines(
        eval(
            c,
            "const own = location.origin; \
             const seen = performance.getEntriesByType('resource') \
               .concat(performance.getEntriesByType('navigation')).map(e => e.name) \
               .concat([...document.querySelectorAll('[src], link[href]')] \
                 .map(e => e.getAttribute('src') || e.getAttribute('href'))); \
             return seen.filter(u => { \
               try { const url = new URL(u, location.href); \
                 return /^(https?|wss?):$/.test(url.protocol) && url.origin !== own; } \
               catch (e) { return false; } });",
        )
        .await,
    )
}

/// What is wrong with the layout as it is now (with the root font at
/// `font`, such as "200%", for the measurement): the page scrolls sideways;
/// two controls overlap; a control's text is wider than its box; a word in a
/// control or a table cell is broken over two lines ("Peopl/e").
const LAYOUT_JS: &str = r#"
const done = arguments[arguments.length - 1], font = arguments[0];
const root = document.documentElement; root.style.fontSize = font;
requestAnimationFrame(() => requestAnimationFrame(() => {
  const out = [], width = root.clientWidth;
  const name = e => `${e.tagName.toLowerCase()}${typeof e.className === 'string' && e.className ? '.' + e.className.split(' ').join('.') : ''} "${(e.innerText || e.value || '').trim().slice(0, 30)}"`;
  const shown = e => { const r = e.getBoundingClientRect(), s = getComputedStyle(e);
    if (!e.checkVisibility({ contentVisibilityAuto: true })) return false;
    return r.width > 1 && r.height > 1 && s.visibility !== 'hidden' && s.opacity !== '0' && !e.closest('.visually-hidden, .file-input, .face-option input'); };
  if (root.scrollWidth > width + 1) {
    out.push(`page is ${root.scrollWidth} px wide in a ${width} px screen`);
    [...document.body.querySelectorAll('*')].filter(e => { const r = e.getBoundingClientRect();
      return r.width > 0 && r.right > width + 1 && !(e.parentElement && e.parentElement.getBoundingClientRect().right > width + 1); })
      .slice(0, 3).forEach(e => out.push(`${name(e)} ends at ${Math.round(e.getBoundingClientRect().right)} px`));
  }
  const controls = [...document.querySelectorAll('button, a[href], input, select, textarea, summary, label, .tab span')].filter(shown);
  // What stays put while the page scrolls under it (a tab bar, a sticky Save).
  const chrome = e => { for (let a = e; a; a = a.parentElement) { const p = getComputedStyle(a).position;
    if (p === 'fixed' || p === 'sticky') return a; } return null; };
  for (let i = 0; i < controls.length; i++) for (let j = i + 1; j < controls.length; j++) {
    const a = controls[i], b = controls[j];
    if (a.contains(b) || b.contains(a) || chrome(a) !== chrome(b)) continue;
    if (a.tagName === 'LABEL' && a.htmlFor && a.htmlFor === b.id) continue;
    if (b.tagName === 'LABEL' && b.htmlFor && b.htmlFor === a.id) continue;
    const r = a.getBoundingClientRect(), q = b.getBoundingClientRect();
    const x = Math.min(r.right, q.right) - Math.max(r.left, q.left), y = Math.min(r.bottom, q.bottom) - Math.max(r.top, q.top);
    if (x > 2 && y > 2) out.push(`${name(a)} overlaps ${name(b)}`);
  }
  // Word by word (a space left hanging at a line's end is not text): a word
  // outside its control's box, or broken over two lines.
  for (const cell of [...controls, ...document.querySelectorAll('th, td, .face-option span')].filter(shown)) {
    if (cell.matches('input, select, textarea')) continue;
    const box = cell.getBoundingClientRect();
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    let found = false;
    for (let n = walker.nextNode(); n && !found; n = walker.nextNode()) {
      const re = /[^\s\-‐]+/g; let m;
      while (!found && (m = re.exec(n.textContent))) {
        const w = document.createRange(); w.setStart(n, m.index); w.setEnd(n, m.index + m[0].length);
        const rects = [...w.getClientRects()].filter(r => r.width > 0);
        const lines = new Set(rects.map(r => Math.round(r.top)));
        if (m[0].length > 1 && lines.size > 1) { out.push(`${name(cell)}: "${m[0]}" is broken over ${lines.size} lines`); found = true; }
        else if (rects.some(r => r.right > box.right + 1 || r.left < box.left - 1)) {
          out.push(`${name(cell)}: "${m[0]}" sticks out of its box`); found = true; }
      }
    }
  }
  root.style.fontSize = ''; done([...new Set(out)].slice(0, 12));
}));
"#;

async fn layout_problems(c: &Client, font: &str) -> Vec<String> {
    let found = c
        .execute_async(LAYOUT_JS, vec![font.into()])
        .await
        .expect("measure the layout");
    lines(found)
}

/// A Chrome DevTools command, through chromedriver (to change the screen's
/// width or media as a phone or a printer would).
#[derive(Debug)]
struct Cdp(&'static str, serde_json::Value);

impl fantoccini::wd::WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!(
            "session/{}/goog/cdp/execute",
            session.unwrap_or_default()
        ))
    }
    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let body = serde_json::json!({ "cmd": self.0, "params": self.1 });
        (http::Method::POST, Some(body.to_string()))
    }
}

/// The screen `width` px wide (a phone's), or back to the usual 360.
async fn screen_width(c: &Client, width: u32) {
    let metrics = serde_json::json!({ "width": width, "height": 740, "deviceScaleFactor": 1, "mobile": true });
    c.issue_cmd(Cdp("Emulation.setDeviceMetricsOverride", metrics))
        .await
        .expect("set the screen's width");
}

/// The page as printed (`true`), or on screen.
async fn print_media(c: &Client, print: bool) {
    let media = serde_json::json!({ "media": if print { "print" } else { "" } });
    c.issue_cmd(Cdp("Emulation.setEmulatedMedia", media))
        .await
        .expect("set the media");
}

/// Screenshots of the screen at 360 px, 320 px and 200% text, to look at;
/// scrolled to `part` when given.
async fn sizes_screenshots(c: &Client, file: &str, part: Option<&str>) {
    let show = |c: &Client| {
        let c = c.clone();
        let script = part.map(|p| {
            format!(
                "document.querySelector('{p}').scrollIntoView({{block: 'center'}}); return true;"
            )
        });
        async move {
            settled(&c).await;
            if let Some(script) = script {
                eval(&c, &script).await;
            }
        }
    };
    if part.is_some() {
        show(c).await;
        screenshot(c, file).await;
    }
    screen_width(c, 320).await;
    show(c).await;
    screenshot(c, &format!("{file}-320px")).await;
    screen_width(c, WIDTH).await;
    eval(
        c,
        "document.documentElement.style.fontSize = '200%'; return true;",
    )
    .await;
    show(c).await;
    screenshot(c, &format!("{file}-200pct")).await;
    eval(
        c,
        "document.documentElement.style.fontSize = ''; return true;",
    )
    .await;
}

/// The screen as printed on A4 (about 700 px between the margins): the app's
/// header and tab bar are not on paper, and nothing overlaps or is cut.
async fn check_print(c: &Client, screen: &str, file: &str) -> Vec<String> {
    print_media(c, true).await;
    // A4 at 96 px an inch inside its margins: portrait, or landscape for the
    // medicines chart.
    let paper = if screen.contains("MAR") { 1060 } else { 700 };
    screen_width(c, paper).await;
    settled(c).await;
    let mut problems: Vec<String> = layout_problems(c, "")
        .await
        .into_iter()
        .map(|p| format!("{screen}: printed: {p}"))
        .collect();
    let chrome = eval(
        c,
        "return [...document.querySelectorAll('.topbar, .tabbar, .btn')]\
           .filter(e => getComputedStyle(e).display !== 'none').length;",
    )
    .await;
    if chrome != 0 {
        problems.push(format!(
            "{screen}: printed: {chrome} of the app's header, tab bar or buttons are on paper"
        ));
    }
    let relative = page_text(c).await;
    for word in ["Today", "Yesterday", "Tomorrow"] {
        if relative
            .lines()
            .any(|l| l.split_whitespace().any(|w| w == word) && !l.contains("Today's"))
        {
            problems.push(format!(
                "{screen}: printed: says {word:?}, which means nothing on paper next week"
            ));
        }
    }
    screenshot(c, &format!("{file}-print")).await;
    screen_width(c, WIDTH).await;
    print_media(c, false).await;
    problems
}

/// Every problem on the screen now showing, each line starting with its name.
async fn check(c: &Client, screen: &str, axe_js: &str) -> Vec<String> {
    settled(c).await;
    let mut problems = Vec::new();
    for v in axe(c, axe_js).await {
        problems.push(format!("{screen}: axe: {v}"));
    }
    for u in foreign_requests(c).await {
        problems.push(format!("{screen}: request left the origin: {u}"));
    }
    for o in layout_problems(c, "200%").await {
        problems.push(format!("{screen}: at 200% text: {o}"));
    }
    screen_width(c, 320).await;
    for o in layout_problems(c, "").await {
        problems.push(format!("{screen}: at 320 px: {o}"));
    }
    screen_width(c, WIDTH).await;
    problems
}

fn lines(value: serde_json::Value) -> Vec<String> {
    value
        .as_array()
        .map(|items| {
            items
                .iter()
                .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Ids to reach every screen, read from the app's IndexedDB.
async fn stored_ids(c: &Client) -> serde_json::Value {
    c.execute_async(
        "const done = arguments[arguments.length - 1]; \
         const open = indexedDB.open('hearth'); \
         open.onerror = () => done({ error: String(open.error) }); \
         open.onsuccess = () => { \
           const db = open.result; const kinds = ['people', 'notes', 'checkins', 'visits', 'stays', 'medicines', 'doses']; \
           const tx = db.transaction(kinds); const all = {}; let left = kinds.length; \
           for (const k of kinds) { const q = tx.objectStore(k).getAll(); q.onsuccess = () => { \
             all[k] = q.result.map(r => r.rec); if (--left > 0) return; db.close(); \
             const sample = r => r.created_by === 'Hearth sample data'; \
             const ravi = all.people.find(p => p.body.preferred_name === 'Ravi'); \
             const stays = all.stays.filter(s => s.body.person_id === ravi.id) \
               .sort((a, b) => a.body.arrival < b.body.arrival ? 1 : -1); \
             done({ \
               sample_person: ravi.id, \
               medicines_person: all.medicines[0].body.person_id, \
               medicine: all.medicines.find(m => m.history.length).id, \
               when_needed: all.medicines.find(m => m.body.schedule.kind === 'when_needed').id, \
               dose: all.doses.find(d => !d.deleted && d.body.slot).id, \
               own_person: all.people.find(p => !sample(p)).id, \
               corrected_note: all.notes.find(n => sample(n) && n.history.length && !n.deleted).id, \
               deleted_note: all.notes.find(n => n.deleted).id, \
               corrected_checkin: all.checkins.find(x => x.history.length).id, \
               visit: all.visits.find(v => v.body.person_id === ravi.id && v.body.planned_stay).id, \
               upcoming_stay: stays[0].id }); }; } };",
        vec![],
    )
    .await
    .expect("read ids from IndexedDB")
}

#[tokio::test(flavor = "multi_thread")]
async fn every_screen_is_accessible_stays_on_the_origin_and_fits_at_200_percent_text() {
    let server = Server::start(dist());
    let driver = Driver::start();
    let profile = Profile::new("screens");
    let url = server.url();
    let axe_js = axe_source();

    with_browser(&driver, &profile, move |c| async move {
        c.goto(&url).await.expect("open the app");
        see(&c, "Everything stays on this phone.").await;
        let mut problems = check(&c, "Welcome", &axe_js).await;
        welcome(&c).await;

        // The carer's own records: a person, a note and a visit in progress.
        add_person(&c, "Rosa", "Day support").await;
        tap(&c, "Write a note").await;
        fill(&c, "f-text", "Rosa chose the park and fed the ducks.").await;
        tap(&c, "Save note").await;
        see(&c, "Rosa chose the park and fed the ducks.").await;
        tap(&c, "Today").await;
        tap(&c, "Start visit with Rosa").await;
        see(&c, "Visits in progress").await;

        // The sample data, through the button a carer would use.
        tap(&c, "More").await;
        see(
            &c,
            "The sample people are added alongside the people you support.",
        )
        .await;
        tap(&c, "Try with sample data").await;
        see(&c, "You are looking at sample data.").await;
        tap(&c, "Today").await;
        see(&c, "Remove sample data").await;
        tap(&c, "People").await;
        for name in ["Joan", "Maggie", "Ravi", "Rosa"] {
            see(&c, name).await;
        }
        // Each sample person is marked in words; the carer's own is not.
        let marked = eval(
            &c,
            "return [...document.querySelectorAll('.row-link')].map(a => \
               [a.querySelector('.row-title').textContent, !!a.querySelector('.chip-sample')]);",
        )
        .await;
        assert_eq!(
            marked,
            serde_json::json!([
                ["Joan", true],
                ["Maggie", true],
                ["Ravi", true],
                ["Rosa", false]
            ]),
            "People marks the sample people"
        );
        // The month's totals leave the sample out unless asked.
        // (Last month: the sample has a whole month of visits there.)
        let today = chrono::NaiveDate::parse_from_str(&local_date(&c, 0).await, "%Y-%m-%d")
            .expect("a date");
        let last_month = (today - chrono::Duration::days(i64::from(chrono::Datelike::day(&today))))
            .format("%Y-%m")
            .to_string();
        c.goto(&format!("{url}#/stays/summary/{last_month}"))
            .await
            .expect("open the month's totals");
        see(&c, "for the made-up sample people.").await;
        let totals = page_text(&c).await;
        assert!(
            totals.contains("Nothing logged") && !totals.contains("Ravi"),
            "no sample person in the totals: {totals}"
        );
        tick(&c, "Include sample data").await;
        see(&c, "Ravi").await;
        let rows = eval(
            &c,
            "return [...document.querySelectorAll('.summary-table tbody tr')]\
               .every(r => r.querySelector('.chip-sample'));",
        )
        .await;
        assert_eq!(rows, true, "every included sample row is marked");
        // A backup holds the carer's own records, not the sample's.
        c.goto(&format!("{url}#/more")).await.expect("open More");
        eval(&c, CATCH_DOWNLOADS).await;
        tap(&c, "Back up now").await;
        see(&c, "a backup of").await;
        let (_, backup) = last_download(&c).await;
        let backup: serde_json::Value = serde_json::from_str(&backup).expect("a backup");
        let people: Vec<&str> = backup["records"]["people"]
            .as_array()
            .expect("people")
            .iter()
            .filter_map(|p| p["body"]["preferred_name"].as_str())
            .collect();
        assert_eq!(people, ["Rosa"], "the backup leaves the sample out");

        let ids = stored_ids(&c).await;
        let id = |key: &str| {
            ids[key]
                .as_str()
                .unwrap_or_else(|| panic!("no {key} in {ids}"))
                .to_string()
        };
        let (ravi, rosa) = (id("sample_person"), id("own_person"));
        let month = local_date(&c, 0).await[..7].to_string();
        let screens = [
            ("Today", "#/".to_string()),
            ("People", "#/people".into()),
            ("Add a person", "#/people/new".into()),
            ("A person (sample)", format!("#/people/{ravi}")),
            ("A person (own, visit running)", format!("#/people/{rosa}")),
            ("Edit a person", format!("#/people/{ravi}/edit")),
            ("Write a note", format!("#/notes/new?person={ravi}")),
            (
                "A corrected note",
                format!("#/notes/{}", id("corrected_note")),
            ),
            ("A deleted note", format!("#/notes/{}", id("deleted_note"))),
            (
                "Correct a note",
                format!("#/notes/{}/edit", id("corrected_note")),
            ),
            ("Check-in", format!("#/checkins/new?person={ravi}")),
            (
                "A corrected check-in",
                format!("#/checkins/{}", id("corrected_checkin")),
            ),
            (
                "Correct a check-in",
                format!("#/checkins/{}/edit", id("corrected_checkin")),
            ),
            ("Ask (handed over)", format!("#/ask/{ravi}")),
            ("Monthly report", format!("#/people/{ravi}/report/{month}")),
            ("Log a visit", format!("#/visits/new?person={ravi}")),
            ("End a visit", format!("#/visits/end/{rosa}")),
            ("A short break", format!("#/visits/{}", id("visit"))),
            ("Correct a visit", format!("#/visits/{}/edit", id("visit"))),
            ("Stays", "#/stays".into()),
            ("Plan a stay", format!("#/stays/new?person={ravi}")),
            (
                "An upcoming stay",
                format!("#/stays/{}", id("upcoming_stay")),
            ),
            (
                "Change a stay",
                format!("#/stays/{}/edit", id("upcoming_stay")),
            ),
            ("My stays (easy read)", format!("#/mystays/{ravi}")),
            ("Send stays to a phone", format!("#/mystays/{ravi}/send")),
            (
                "Medicines (sample)",
                format!("#/people/{}/medicines", id("medicines_person")),
            ),
            (
                "Add a medicine",
                format!("#/people/{}/medicines/new", id("medicines_person")),
            ),
            (
                "Change a prescription",
                format!("#/medicines/{}/change", id("medicine")),
            ),
            (
                "Record a when-needed dose",
                format!("#/medicines/{}/dose", id("when_needed")),
            ),
            ("Correct a dose", format!("#/doses/{}/correct", id("dose"))),
            (
                "Medicines chart (MAR)",
                format!("#/people/{}/mar/{month}", id("medicines_person")),
            ),
            (
                "Days away",
                format!("#/people/{}/away", id("medicines_person")),
            ),
            ("Month's totals", format!("#/stays/summary/{month}")),
            ("More (backup, restore, sample data)", "#/more".into()),
        ];
        for (screen, hash) in &screens {
            // A fresh load each time, so each screen's requests are its own.
            c.goto(&format!("{url}{hash}"))
                .await
                .expect("open the screen");
            problems.extend(check(&c, screen, &axe_js).await);
            let file = format!("screens-{}", hash.replace(['#', '/', '?', '='], "_"));
            screenshot(&c, &file).await;
            let looked_at = [
                "Monthly report",
                "Month's totals",
                "Medicines chart (MAR)",
                "Check-in",
                "A person (sample)",
            ];
            if looked_at.contains(screen) {
                sizes_screenshots(&c, &file, None).await;
            }
            if *screen == "A person (sample)" {
                // The wellbeing chart, at 4 weeks and 12 months.
                sizes_screenshots(&c, &format!("{file}-chart"), Some("svg.chart")).await;
                tap(&c, "12 months").await;
                sizes_screenshots(&c, &format!("{file}-chart-12-months"), Some("svg.chart")).await;
            }
            if ["Monthly report", "Month's totals", "Medicines chart (MAR)"].contains(screen) {
                problems.extend(check_print(&c, screen, &file).await);
            }
        }
        // The stays sent to a phone: opened from Ravi's link, then the list.
        c.goto(&format!("{url}#/mystays/{ravi}/send"))
            .await
            .expect("open the send screen");
        let link = crate::follow::copied_link(&c).await;
        for (screen, target) in [
            ("Stays sent to this phone (one person)", link),
            (
                "Stays sent to this phone (one, from the home screen)",
                format!("{url}#/following"),
            ),
        ] {
            c.goto(&target).await.expect("open the screen");
            problems.extend(check(&c, screen, &axe_js).await);
            screenshot(
                &c,
                &format!("screens-{}", screen.replace([' ', '(', ')'], "_")),
            )
            .await;
        }
        assert!(
            problems.is_empty(),
            "{} problems on {} screens:\n{}",
            problems.len(),
            screens.len() + 3,
            problems.join("\n")
        );

        // A long timeline: "Show older" adds the next twenty where the carer
        // is reading, and the page doesn't jump while it draws them.
        c.goto(&format!("{url}#/people/{ravi}"))
            .await
            .expect("open Ravi's page");
        settled(&c).await;
        let entries = "return document.querySelector('[aria-labelledby=timeline-head]')\
                       .querySelectorAll('a.row-link').length;";
        assert_eq!(eval(&c, entries).await, 20, "the timeline's first page");
        // Centred, as `tap` centres what it taps.
        let before = eval(
            &c,
            "const b = [...document.querySelectorAll('button')]\
               .find(b => b.textContent.trim() === 'Show older'); \
             b.scrollIntoView({ block: 'center' }); return window.scrollY;",
        )
        .await;
        tap(&c, "Show older").await;
        let deadline = Instant::now() + Duration::from_secs(10);
        while eval(&c, entries).await != 40 {
            assert!(Instant::now() < deadline, "twenty older entries were added");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        settled(&c).await;
        let after = eval(&c, "return window.scrollY;").await;
        assert_eq!(after, before, "the page stays where the carer was reading");

        // Removing the sample leaves exactly the carer's own records.
        c.goto(&format!("{url}#/more")).await.expect("open More");
        tap(&c, "Remove sample data").await;
        see(&c, "See Hearth as it looks after three months of use").await;
        tap(&c, "People").await;
        see(&c, "Rosa").await;
        let people = page_text(&c).await;
        for name in ["Joan", "Maggie", "Ravi"] {
            assert!(!people.contains(name), "{name} is gone:\n{people}");
        }
        open_row(&c, "Rosa").await;
        see(&c, "Rosa chose the park and fed the ducks.").await;
        tap(&c, "Today").await;
        see(&c, "Visits in progress").await;
        let today = page_text(&c).await;
        assert!(!today.contains("You are looking at sample data"), "{today}");
    })
    .await;
    drop(server);
}
