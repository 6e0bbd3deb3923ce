//! Drawing a long screen in steps, so each step is short on a slow phone.

use leptos::prelude::*;
use std::time::Duration;

/// Shows its children once the browser has painted what comes before them.
///
/// For the sections below the first screenful of a long page: the top of the
/// page is drawn and painted in one short task, and these follow in the next
/// tasks, instead of one long task that holds up the first paint and leaves
/// the phone unresponsive while it runs.
#[component]
pub fn AfterPaint(children: ChildrenFn) -> impl IntoView {
    let painted = RwSignal::new(false);
    // An animation frame runs just before a paint; a task queued from it runs
    // after that paint.
    request_animation_frame(move || {
        set_timeout(
            move || {
                // The screen may have been left meanwhile.
                painted.try_set(true);
            },
            Duration::ZERO,
        )
    });
    move || painted.get().then(|| children())
}
