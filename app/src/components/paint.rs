//! Drawing a long screen in steps, so each step is short on a slow phone.

use leptos::prelude::*;
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::time::Duration;

/// Shows its children once the browser has painted what comes before them.
///
/// For the sections below the first screenful of a long page: the top of the
/// page is drawn and painted in one short task, then each `AfterPaint` on the
/// page in turn, one per task with a paint between, in the order they were
/// created. A phone that is slow to draw then answers a tap between the
/// steps, instead of being frozen by one long task.
#[component]
pub fn AfterPaint(children: ChildrenFn) -> impl IntoView {
    let painted = RwSignal::new(false);
    // The screen may have been left meanwhile: then there is nothing to draw.
    later(Box::new(move || {
        painted.try_set(true);
    }));
    move || painted.get().then(|| children())
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

fn run_one() {
    // Taken out before it runs: drawing it may queue further steps.
    let step = STEPS.with_borrow_mut(VecDeque::pop_front);
    if let Some(step) = step {
        step();
    }
    if STEPS.with_borrow(VecDeque::is_empty) {
        SCHEDULED.set(false);
    } else {
        after_next_paint();
    }
}
