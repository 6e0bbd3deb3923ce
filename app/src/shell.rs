//! Start-up: open storage, then (with the PIN lock on) the lock screen before
//! any record is read, then read the carer and the people and show the
//! welcome or the app. Nothing blank: until storage answers, the same calm
//! "Opening your records…" as the static shell in `index.html`.

use crate::components::nav::{AppNotices, TabBar, Toast};
use crate::lock::Lock;
use crate::pages;
use crate::pwa::Pwa;
use crate::route::{use_route, Route};
use crate::state::AppState;
use crate::state::{BEDS, LAST_BACKUP, LAST_CHANGE, RUNNING_VISITS};
use crate::storage::{StorageError, Store};
use hearth_core::{CarerProfile, Person, Record, RunningVisit};
use leptos::prelude::*;

struct Boot {
    store: Store,
    profile: Option<Record<CarerProfile>>,
    people: Vec<Record<Person>>,
    running: Vec<RunningVisit>,
    beds: u32,
    last_backup: Option<chrono::DateTime<chrono::Utc>>,
    last_change: Option<chrono::DateTime<chrono::Utc>>,
    account: Option<crate::sync::Account>,
    sync_status: crate::sync::Status,
}

/// The whole app.
#[component]
pub fn Root() -> impl IntoView {
    if let Some(shell) = document().get_element_by_id("shell") {
        shell.remove();
    }
    // A link straight to another screen: fetch its code while storage opens.
    let first = Route::parse(&crate::route::current_hash());
    crate::later::preload(&first);
    let pwa = Pwa::start();
    if first.is_following() {
        return view! { <Following pwa=pwa /> }.into_any();
    }
    // A link to the stays sent to this phone, opened while the carer's app
    // is: the app starts afresh, as the stays' screens alone.
    let route = use_route();
    Effect::new(move |_| {
        if route.get().is_following() {
            let _ = window().location().reload();
        }
    });
    let blocked = RwSignal::new(false);
    let closed = RwSignal::new(false);
    let reopen = Reopen {
        carry: StoredValue::new(None),
        round: RwSignal::new(0),
    };
    let opened = LocalResource::new(move || {
        let round = reopen.round.get();
        let carried = reopen.carry.try_update_value(Option::take).flatten();
        async move {
            let on_blocked = move || blocked.set(true);
            let on_closed = move || closed.set(true);
            let mut store = match carried {
                Some(old) => old.reopen(on_blocked, on_closed).await?,
                None => Store::open(on_blocked, on_closed).await?,
            };
            if store.needs_move().await? {
                store = crate::later::move_records(store, on_closed).await;
            }
            let settings = store.lock_settings().await?;
            Ok::<_, StorageError>((store, settings, round))
        }
    });
    (move || match opened.get() {
        None => view! { <Opening blocked=blocked /> }.into_any(),
        // Opening again: nothing is on screen (or writes) until it is open.
        Some(Ok((_, _, round))) if round != reopen.round.get() => {
            view! { <Opening blocked=blocked /> }.into_any()
        }
        Some(Err(error)) => view! { <CantOpen error=error /> }.into_any(),
        Some(Ok((store, settings, _))) => {
            let lock = Lock::new(store.clone(), &settings, reopen);
            provide_context(lock);
            lock.watch_idle();
            view! { <Session store=store lock=lock pwa=pwa blocked=blocked closed=closed /> }
                .into_any()
        }
    })
    .into_any()
}

/// The stays sent to this phone (see `pages::follow`), on their own: the
/// carer's records are never opened for them, so neither the lock nor the
/// welcome comes first. Going to or from them starts the app afresh.
#[component]
fn Following(pwa: Pwa) -> impl IntoView {
    provide_context(pwa);
    let route = use_route();
    view! {
        <div class="app">
            <header class="topbar"><h1 class="topbar-title">"Hearth"</h1></header>
            {move || {
                let route = route.get();
                if !route.is_following() {
                    let _ = window().location().reload();
                    return ().into_any();
                }
                crate::later::screen(route)
            }}
        </div>
    }
}

/// Opens the records again, with no screen up meanwhile: once the lock has
/// sealed every row, so that they move to a fresh database (see
/// `storage::generations`).
#[derive(Clone, Copy)]
pub struct Reopen {
    carry: StoredValue<Option<Store>>,
    round: RwSignal<u32>,
}

impl Reopen {
    /// Closes `store` and opens the records again, keeping the lock's key.
    pub fn run(&self, store: Store) {
        self.carry.set_value(Some(store));
        self.round.update(|r| *r += 1);
    }
}

/// The lock screen while locked; otherwise the records, read afresh after
/// every unlock (locking drops them all). Only when a form has unsaved text
/// do the screens stay, hidden behind the lock screen, so the text is there
/// after unlocking; the data key is dropped either way.
#[component]
fn Session(
    store: Store,
    lock: Lock,
    pwa: Pwa,
    blocked: RwSignal<bool>,
    closed: RwSignal<bool>,
) -> impl IntoView {
    let mounted = RwSignal::new(!lock.locked.get_untracked());
    Effect::new(move |_| {
        // Mount on unlock; unmount on lock unless text is unsaved. Set only on
        // a change: setting a signal to the same value still re-renders.
        let keep = !lock.locked.get() || lock.unsaved.get_untracked();
        if mounted.get_untracked() != keep {
            mounted.set(keep);
        }
    });
    let lock_screen = {
        let store = store.clone();
        move || {
            lock.locked
                .get()
                .then(|| view! { <pages::lock_screen::LockScreen store=store.clone() /> })
        }
    };
    let screens = move || {
        let store = store.clone();
        mounted.get().then(|| {
            view! {
                <div class="session" hidden=move || lock.locked.get()>
                    <Unlocked store=store pwa=pwa blocked=blocked closed=closed />
                </div>
            }
        })
    };
    view! { {lock_screen} {screens} }
}

#[component]
fn Unlocked(
    store: Store,
    pwa: Pwa,
    blocked: RwSignal<bool>,
    closed: RwSignal<bool>,
) -> impl IntoView {
    let boot = LocalResource::new(move || {
        let store = store.clone();
        async move {
            let profile = store.profile().await?;
            let people = store.people().await?;
            let running = store.setting(RUNNING_VISITS).await?.unwrap_or_default();
            let beds = store.setting(BEDS).await?.unwrap_or(1);
            let last_backup = store.setting(LAST_BACKUP).await?;
            let last_change = store.setting(LAST_CHANGE).await?;
            let account = store.setting(crate::sync::ACCOUNT).await?;
            let sync_status = store
                .setting(crate::sync::STATUS)
                .await?
                .unwrap_or_default();
            Ok::<_, StorageError>(std::rc::Rc::new(Boot {
                account,
                sync_status,
                store,
                profile,
                people,
                running,
                beds,
                last_backup,
                last_change,
            }))
        }
    });
    move || match boot.get() {
        None => view! { <Opening blocked=blocked /> }.into_any(),
        Some(Err(error)) => view! { <CantOpen error=error /> }.into_any(),
        Some(Ok(boot)) => view! { <Ready boot=boot pwa=pwa closed=closed /> }.into_any(),
    }
}

#[component]
fn Opening(blocked: RwSignal<bool>) -> impl IntoView {
    view! {
        <div class="app">
            <header class="topbar"><h1 class="topbar-title">"Hearth"</h1></header>
            <main class="page">
                {move || if blocked.get() {
                    view! {
                        <div class="banner banner-error" role="alert">
                            <p>"Hearth is open in another tab or window with an older version. Close that one, and this one will carry on by itself."</p>
                        </div>
                    }.into_any()
                } else {
                    view! { <p class="muted shell-note">"Opening your records…"</p> }.into_any()
                }}
            </main>
        </div>
    }
}

#[component]
fn CantOpen(error: StorageError) -> impl IntoView {
    view! {
        <div class="app">
            <header class="topbar"><h1 class="topbar-title">"Hearth"</h1></header>
            <main class="page">
                <div class="banner banner-error" role="alert">
                    <p>{error.to_string()}</p>
                </div>
                <button class="btn btn-primary" on:click=|_| { let _ = window().location().reload(); }>
                    "Try again"
                </button>
            </main>
        </div>
    }
}

#[component]
fn Ready(boot: std::rc::Rc<Boot>, pwa: Pwa, closed: RwSignal<bool>) -> impl IntoView {
    let state = AppState {
        store: boot.store.clone(),
        profile: RwSignal::new(boot.profile.clone()),
        people: RwSignal::new(boot.people.clone()),
        running: RwSignal::new(boot.running.clone()),
        beds: RwSignal::new(boot.beds),
        last_backup: RwSignal::new(boot.last_backup),
        last_change: RwSignal::new(boot.last_change),
        sync: crate::sync::Sync::new(boot.account.clone(), boot.sync_status.clone()),
        revision: RwSignal::new(0),
        toast: RwSignal::new(None),
        place: RwSignal::new(
            crate::route::Route::parse(&crate::route::current_hash())
                .tab()
                .unwrap_or(crate::route::Tab::Today),
        ),
        just_saved: RwSignal::new(None),
        // Shared with the lock, which keeps unsaved text behind the lock screen.
        dirty: Lock::get().unsaved,
        pwa,
    };
    provide_context(state.clone());
    crate::sync::start(&state);
    // Closing or reloading the tab with unsaved text asks first.
    let dirty = state.dirty;
    let unload = window_event_listener(leptos::ev::beforeunload, move |ev| {
        if dirty.get_untracked() {
            ev.prevent_default();
            ev.set_return_value("unsaved");
        }
    });
    on_cleanup(move || unload.remove());
    // Ask again each start: browsers grant persistence as the app is used more.
    if state.profile.get_untracked().is_some() {
        pwa.request_persistence();
    }
    let route = use_route();
    let has_profile = move || state.profile.with(Option::is_some);
    view! {
        <div class="app">
            <Show when=has_profile fallback=|| view! { <pages::welcome::Welcome /> }>
                {move || {
                    // Handing the phone to the person: nothing of the carer's app around it.
                    let handed_over = route.get().handed_over();
                    view! {
                        {(!handed_over).then(|| view! { <AppNotices closed=closed /> })}
                        {screen(route.get())}
                        {(!handed_over).then(|| view! { <TabBar route=route /> })}
                    }
                }}
                <Toast route=route />
            </Show>
        </div>
    }
}

fn screen(route: Route) -> AnyView {
    use crate::later::{self, Group};
    if route.is_following() {
        // Never inside the carer's app: the page reloads (see `Root`).
        return ().into_any();
    }
    // Today, the Stays tab and the top of a person's page are in the main
    // wasm, so they paint at once.
    if Group::of(&route) == Group::Main {
        later::main_screen(&route)
    } else {
        later::screen(route)
    }
}
