//! Drawing a long screen in steps, so each step is short on a slow phone.

use leptos::prelude::*;
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::time::Duration;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Shows its children once the browser has painted what comes before them.
///
/// For the sections below the first screenful of a long page: the top of the
/// page is drawn and painted in one short task, then each `AfterPaint` on the
/// page in turn, one per task, in the order they were created. A phone that
/// is slow to draw then answers a tap between the steps, instead of being
/// frozen by one long task; a fast one still draws them all within a frame
/// or two.
///
/// Only for a section's first drawing: when it is drawn again (another filter,
/// "Show older"), pass `at_once`, so the page never shrinks for a moment under
/// the carer's thumb and loses their place.
#[component]
pub fn AfterPaint(
    /// Draw the children straight away.
    #[prop(optional)]
    at_once: bool,
    children: ChildrenFn,
) -> impl IntoView {
    let painted = RwSignal::new(at_once);
    if !at_once {
        // The screen may have been left meanwhile: then there is nothing to draw.
        later(Box::new(move || {
            painted.try_set(true);
        }));
    }
    move || painted.get().then(|| children())
}

/// Shows its children once the element marked `elementtiming=name` above them
/// is on the screen (Element Timing; three frames where the browser can't
/// tell; a second at most). One shown earlier counts too, so a screen drawn
/// again goes on at once.
///
/// For work that would compete with showing the top of a page, such as
/// fetching and compiling the code of the rest of it: the top is shown first,
/// on a slow phone too.
#[component]
pub fn AfterShown(name: &'static str, children: ChildrenFn) -> impl IntoView {
    let shown = RwSignal::new(false);
    let then = Closure::once_into_js(move || {
        // The screen may have been left meanwhile.
        shown.try_set(true);
    });
    when_shown(name, then.unchecked_ref());
    move || shown.get().then(|| children())
}

#[wasm_bindgen(module = "/src/paint.js")]
extern "C" {
    #[wasm_bindgen(js_name = whenShown)]
    fn when_shown(name: &str, then: &js_sys::Function);
}

thread_local! {
    /// The steps waiting to be drawn, oldest first.
    static STEPS: RefCell<VecDeque<Box<dyn FnOnce()>>> = RefCell::new(VecDeque::new());
    /// Whether the next step is already scheduled.
    static SCHEDULED: Cell<bool> = const { Cell::new(false) };
}

fn later(step: Box<dyn FnOnce()>) {
    STEPS.with_borrow_mut(|steps| steps.push_back(step));
    if !SCHEDULED.replace(true) {
        after_next_paint();
    }
}

/// An animation frame runs just before a paint; a task queued from it runs
/// after that paint.
fn after_next_paint() {
    request_animation_frame(|| set_timeout(run_one, Duration::ZERO));
}

/// Draws the oldest step; the next one gets a task of its own, so the browser
/// may handle a tap or paint in between, without waiting for a frame.
fn run_one() {
    // Taken out before it runs: drawing it may queue further steps.
    let step = STEPS.with_borrow_mut(VecDeque::pop_front);
    if let Some(step) = step {
        step();
    }
    if STEPS.with_borrow(VecDeque::is_empty) {
        SCHEDULED.set(false);
    } else {
        set_timeout(run_one, Duration::ZERO);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use leptos::tachys::html::attribute::custom::custom_attribute;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

    wasm_bindgen_test_configure!(run_in_browser);

    /// A div first in the page, where a screen is: in view, so it is painted.
    fn attached() -> web_sys::HtmlElement {
        let host: web_sys::HtmlElement = document().create_element("div").unwrap().unchecked_into();
        let body = document().body().unwrap();
        body.insert_before(&host, body.first_child().as_ref())
            .unwrap();
        host
    }

    /// Waits (half a second at most) until `host` holds `count` paragraphs.
    async fn wait_for(host: &web_sys::HtmlElement, count: usize) {
        for _ in 0..100 {
            if texts(host).len() == count {
                break;
            }
            gloo::timers::future::TimeoutFuture::new(5).await;
        }
    }

    fn texts(host: &web_sys::HtmlElement) -> Vec<String> {
        let items = host.get_elements_by_tag_name("p");
        (0..items.length())
            .filter_map(|i| items.item(i))
            .map(|p| p.text_content().unwrap_or_default())
            .collect()
    }

    /// The top of a page is there at once; the later sections follow, in
    /// page order, without anyone asking; a section drawn again comes at once;
    /// a page left before then is simply not drawn.
    #[wasm_bindgen_test]
    async fn later_sections_follow_the_top_in_order() {
        let host = attached();
        let handle = leptos::mount::mount_to(host.clone(), || {
            view! {
                <p>"Top"</p>
                <AfterPaint><p>"Second"</p></AfterPaint>
                <AfterPaint at_once=true><p>"Redrawn"</p></AfterPaint>
                <AfterPaint><p>"Third"</p></AfterPaint>
            }
        });
        assert_eq!(
            texts(&host),
            ["Top", "Redrawn"],
            "only the top (and what is drawn again) comes with the page"
        );
        wait_for(&host, 4).await;
        assert_eq!(texts(&host), ["Top", "Second", "Redrawn", "Third"]);
        drop(handle);

        let left = leptos::mount::mount_to(host.clone(), || {
            view! { <AfterPaint><p>"Never"</p></AfterPaint> }
        });
        drop(left);
        gloo::timers::future::TimeoutFuture::new(100).await;
        assert!(
            !host.inner_html().contains("Never"),
            "a page that was left stays empty"
        );
        host.remove();
    }

    /// What waits for the top to be shown comes after it, not with it.
    #[wasm_bindgen_test]
    async fn the_rest_follows_once_the_top_is_shown() {
        let host = attached();
        let handle = leptos::mount::mount_to(host.clone(), || {
            view! {
                <p {..custom_attribute("elementtiming", "test-top")}>"Top"</p>
                <AfterShown name="test-top"><p>"Rest"</p></AfterShown>
            }
        });
        assert_eq!(texts(&host), ["Top"], "the top comes alone");
        wait_for(&host, 2).await;
        assert_eq!(texts(&host), ["Top", "Rest"]);
        drop(handle);
        host.remove();
    }
}
