//! The PIN lock in the running app: whether the lock screen shows, the idle
//! timer that brings it back, and the encrypt/decrypt pass with its progress.
//! Provided through context by the shell, above the app's state, so that
//! locking can drop every record the screens hold.

use crate::storage::crypt::{LockSettings, LockState};
use crate::storage::{PassEnd, Store};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::cell::Cell;
use std::rc::Rc;

/// The lock, shared by the shell, the lock screen and the lock settings.
#[derive(Clone, Copy)]
pub struct Lock {
    /// The lock screen shows (no record is held in memory).
    pub locked: RwSignal<bool>,
    /// The stored state (off, on, or a pass under way).
    pub state: RwSignal<LockState>,
    /// Lock after this long without a touch or key press.
    pub idle_secs: RwSignal<u32>,
    /// A pass under way: (rows looked at, rows in all).
    pub progress: RwSignal<Option<(usize, usize)>>,
    /// Why the last pass stopped short, if it did.
    pub pass_error: RwSignal<Option<String>>,
    /// A form holds text that isn't saved yet (the app state's `dirty`). A
    /// lock then hides the screens instead of dropping them, so the carer
    /// finds the half-written note again after unlocking.
    pub unsaved: RwSignal<bool>,
    store: StoredValue<Store>,
    reopen: crate::shell::Reopen,
}

impl Lock {
    /// The lock for a freshly opened store.
    pub fn new(store: Store, settings: &LockSettings, reopen: crate::shell::Reopen) -> Lock {
        Lock {
            locked: RwSignal::new(store.is_locked()),
            state: RwSignal::new(settings.state),
            idle_secs: RwSignal::new(settings.idle_secs),
            progress: RwSignal::new(None),
            pass_error: RwSignal::new(None),
            unsaved: RwSignal::new(false),
            store: StoredValue::new(store),
            reopen,
        }
    }

    /// The lock from any component.
    pub fn get() -> Lock {
        expect_context::<Lock>()
    }

    /// Locks now (if a PIN is set): the data key is dropped and the lock
    /// screen replaces every screen, so the records they held go with them
    /// (unless a form has unsaved text: see [`Lock::unsaved`]).
    pub fn lock_now(&self) {
        if self.state.get_untracked().needs_pin() && !self.locked.get_untracked() {
            self.store.with_value(Store::lock);
            self.locked.set(true);
        }
    }

    /// Runs (or resumes) the pass the stored state asks for, showing progress.
    pub fn run_pass(&self) {
        if self.progress.get_untracked().is_some() {
            return;
        }
        let lock = *self;
        let store = self.store.get_value();
        lock.progress.set(Some((0, 0)));
        lock.pass_error.set(None);
        spawn_local(async move {
            let progress = move |done, total| lock.progress.set(Some((done, total)));
            let result = crate::later::run_pass(store.clone(), progress).await;
            lock.progress.set(None);
            match result {
                // Every row is sealed: they move to a fresh database, so
                // that no clear copy stays on the disk; now, unless a form
                // holds unsaved text (then when Hearth next opens).
                Ok(PassEnd::Done)
                    if store.lock_state() == LockState::On && !lock.unsaved.get_untracked() =>
                {
                    lock.reopen.run(store)
                }
                Ok(PassEnd::Done) => lock.state.set(store.lock_state()),
                Ok(PassEnd::Stopped) => {}
                Err(e) => lock.pass_error.set(Some(e)),
            }
        });
    }

    /// After an unlock: carries on a pass that a closed tab left unfinished.
    pub fn resume(&self) {
        if matches!(
            self.state.get_untracked(),
            LockState::Encrypting | LockState::Decrypting
        ) {
            self.run_pass();
        }
    }

    /// Watches for activity and locks after the chosen idle time, including
    /// time spent hidden (another app in front, the screen off).
    pub fn watch_idle(&self) {
        let lock = *self;
        let last = Rc::new(Cell::new(js_sys::Date::now()));
        let touched = {
            let last = last.clone();
            move || last.set(js_sys::Date::now())
        };
        let check = move || {
            let idle_ms = f64::from(lock.idle_secs.get_untracked()) * 1000.0;
            let busy = lock.progress.get_untracked().is_some();
            if !busy && js_sys::Date::now() - last.get() >= idle_ms {
                lock.lock_now();
            }
        };
        let handles: Vec<_> = ["pointerdown", "keydown", "touchstart", "wheel"]
            .into_iter()
            .map(|event| {
                let t = touched.clone();
                window_event_listener_untyped(event, move |_| t())
            })
            .collect();
        // On return to the page, the time away counts: lock before showing anything.
        let check_on_show = check.clone();
        let visible = window_event_listener_untyped("visibilitychange", move |_| {
            if !document().hidden() {
                check_on_show();
            }
        });
        // Unlocking counts as activity.
        Effect::new({
            let t = touched.clone();
            move |_| {
                if !lock.locked.get() {
                    t();
                }
            }
        });
        let interval =
            send_wrapper::SendWrapper::new(gloo::timers::callback::Interval::new(1_000, check));
        on_cleanup(move || {
            for h in handles {
                h.remove();
            }
            visible.remove();
            drop(interval);
        });
    }
}

/// "1,240": record counts as people read them.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
