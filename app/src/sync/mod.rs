//! Sync with the scheme's CouchDB, as the running app sees it: whether the
//! carer is signed in, how the last sync went, and when the next one runs
//! (a moment after the app opens, a few seconds after each save, when the
//! phone is back online, on "Sync now"; after a failure, later and later).
//!
//! This part is in the main wasm and small. The sync itself (the requests,
//! `hearth-core`'s replicator) is in [`run`], loaded when first needed
//! through `later::Task::Sync`.

pub mod run;

use crate::state::AppState;
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// The settings key of the account the phone syncs as (no password).
pub const ACCOUNT: &str = "sync_account";
/// The settings key of how the last sync went.
pub const STATUS: &str = "sync_status";
/// The settings key of this phone's install id (names its replications).
pub const INSTALL: &str = "install_id";

/// Who the phone syncs as, and where. The password is never kept: the
/// server's session cookie is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    /// The server's address, without a trailing slash.
    pub server: String,
    /// The carer's user name on it.
    pub user: String,
    /// The household's database.
    pub database: String,
}

/// A record the sync could not bring in or send, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// The document's id.
    pub id: String,
    /// Why, in plain words.
    pub problem: String,
    /// True when the server refused it (sending); false when the phone
    /// refused it (receiving).
    pub sending: bool,
}

/// How syncing stands.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Status {
    /// When a sync last finished.
    pub last_synced: Option<DateTime<Utc>>,
    /// What stopped the last sync, in plain words.
    pub problem: Option<String>,
    /// The session ended or the password changed: syncing waits until the
    /// carer signs in again.
    pub signed_out: bool,
    /// Records refused either way (most recent first, at most 50).
    pub refused: Vec<Problem>,
    /// Records waiting to be sent, when last counted.
    pub waiting: usize,
}

/// What a sync run came to, for the scheduler.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Done (or nothing to do).
    Done,
    /// The server couldn't be reached or had a problem: try again later.
    Retry,
    /// Don't try again until the carer does something.
    Stop,
}

/// The sync's shared state (in [`AppState`]).
#[derive(Clone, Copy)]
pub struct Sync {
    /// The account, once signed in.
    pub account: RwSignal<Option<Account>>,
    /// How the last sync went.
    pub status: RwSignal<Status>,
    /// A sync is under way.
    pub running: RwSignal<bool>,
    /// Failures in a row (for backing off).
    failures: RwSignal<u32>,
    /// Bumped whenever a sync is scheduled, so only the newest timer runs.
    generation: RwSignal<u64>,
    /// A sync was asked for while one was under way: one more follows it.
    again: RwSignal<bool>,
    /// The last sync stopped for something only the carer or the scheme can
    /// put right (signed out, not one of the household's carers): no sync
    /// runs by itself until the carer asks for one or the app opens again.
    stopped: RwSignal<bool>,
}

impl Sync {
    /// The state read at start-up.
    pub fn new(account: Option<Account>, status: Status) -> Sync {
        Sync {
            account: RwSignal::new(account),
            status: RwSignal::new(status),
            running: RwSignal::new(false),
            failures: RwSignal::new(0),
            generation: RwSignal::new(0),
            again: RwSignal::new(false),
            stopped: RwSignal::new(false),
        }
    }

    /// True when syncing should happen by itself.
    pub fn active(&self) -> bool {
        self.account.with_untracked(Option::is_some)
            && !self.status.with_untracked(|s| s.signed_out)
    }
}

/// Starts the automatic syncs for the app's lifetime (the unlocked screens).
pub fn start(state: &AppState) {
    // A moment after the app opens, once the first screen is on screen.
    schedule(state, Duration::from_secs(2));
    // A few seconds after each save of the carer's own records.
    let first = std::cell::Cell::new(true);
    let saved = state.clone();
    Effect::new(move || {
        saved.last_change.track();
        if !first.replace(false) {
            schedule(&saved, Duration::from_secs(4));
        }
    });
    // When the phone is back online.
    let online = state.clone();
    let handle = window_event_listener(leptos::ev::online, move |_| {
        schedule(&online, Duration::from_secs(1));
    });
    on_cleanup(move || handle.remove());
}

/// Runs a sync after `delay`, unless another is scheduled meanwhile.
pub fn schedule(state: &AppState, delay: Duration) {
    let sync = state.sync;
    if !sync.active() || sync.stopped.get_untracked() {
        return;
    }
    sync.generation.update(|g| *g += 1);
    let mine = sync.generation.get_untracked();
    let state = state.clone();
    set_timeout(
        move || {
            if sync.generation.get_untracked() == mine {
                leptos::task::spawn_local(sync_now(state));
            }
        },
        delay,
    );
}

/// A sync the carer asked for ("Sync now", signing in): it runs even after
/// a stop, since the carer or the scheme may have put the cause right.
pub async fn sync_by_hand(state: AppState) {
    state.sync.stopped.set(false);
    sync_now(state).await;
}

/// Syncs now, unless a sync is under way or the app is locked; after a
/// failure, schedules the next try (30 s, doubling, at most 15 minutes).
pub async fn sync_now(state: AppState) {
    let sync = state.sync;
    if state.store.is_locked() || !sync.active() {
        return;
    }
    if sync.running.get_untracked() {
        // A save during a sync may come after its push: one more follows.
        sync.again.set(true);
        return;
    }
    sync.running.set(true);
    let outcome = crate::later::sync(state.clone()).await;
    sync.running.set(false);
    match outcome {
        Outcome::Retry => {
            sync.again.set(false);
            sync.failures.update(|f| *f = (*f + 1).min(6));
            let wait = 30u64 << (sync.failures.get_untracked() - 1);
            schedule(&state, Duration::from_secs(wait.min(15 * 60)));
        }
        Outcome::Done | Outcome::Stop => {
            sync.failures.set(0);
            sync.stopped.set(outcome == Outcome::Stop);
            if sync.again.get_untracked() && outcome == Outcome::Done {
                sync.again.set(false);
                schedule(&state, Duration::from_secs(1));
            }
        }
    }
}
