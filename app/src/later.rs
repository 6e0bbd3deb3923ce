//! What a first load doesn't need: every screen but Today, Stays (a tab, and
//! small), the top of a person's page, the welcome and the lock screen, and
//! the heavy work behind a few buttons (sample data, backup, restore, sync,
//! the PIN lock's pass over every row and its move to a fresh database),
//! loaded when first used.
//!
//! With the `split` feature (the release build, see `tools/build-wasm.sh`) the
//! four functions marked `split_point` below are wasm-split points (what
//! Leptos's `#[lazy]` uses, here with `fallible`): their code goes into wasm
//! chunks that the main wasm fetches on first use, so a first load fetches only
//! what Today needs. There are few of them on purpose: code shared by several
//! split points goes into a chunk for each combination of them, and a screen
//! that needed dozens of chunks would open slowly. The service worker precaches
//! every chunk, so they open offline too; if one can't be fetched (a first
//! visit that lost its signal), the screen says so and offers to try again
//! instead of the app stopping. Without the feature (the in-browser tests)
//! these are plain functions.

use crate::pages::*;
use crate::route::Route;
use crate::state::AppState;
use crate::storage::{Pass, PassEnd, Store};
use hearth_core::backup::RestorePlan;
use hearth_core::RecordId;
use leptos::prelude::*;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// Marks a split point in the release build (see the module's doc).
macro_rules! split_point {
    ($name:ident, $preload:ident, $item:item) => {
        #[cfg_attr(
                                    feature = "split",
                                    leptos::wasm_split::wasm_split(
                                        $name,
                                        wasm_split_path = ::leptos::wasm_split,
                                        preload(#[doc(hidden)] #[allow(dead_code)] $preload),
                                        fallible
                                    )
                                )]
        $item
    };
}

/// Calls a split point: awaited when split, as its code may still be loading.
#[cfg(feature = "split")]
macro_rules! call {
    ($call:expr) => {
        $call.await
    };
}
#[cfg(not(feature = "split"))]
macro_rules! call {
    ($call:expr) => {
        $call
    };
}

/// A split point's code couldn't be fetched.
#[derive(Debug, Clone)]
pub struct NotLoaded;

impl std::fmt::Display for NotLoaded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(
            "Hearth couldn't load this part of the app. It needs a connection once, \
             the first time it is used on this phone. Check the signal and try again.",
        )
    }
}

#[cfg(feature = "split")]
impl From<leptos::wasm_split::SplitLoaderError> for NotLoaded {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        NotLoaded
    }
}

/// What the records group draws.
#[derive(Clone)]
enum Records {
    /// One of its screens.
    Screen(Route),
    /// A person's page below its top, which is in the main wasm.
    PersonBelow(RecordId, String),
    /// Restoring from a backup, on the welcome screen (More's code).
    Restore,
    /// The medicines due now on Today, for everyone.
    DueToday,
}

/// The screen for `route`, shown as soon as its code is in; if its code can't
/// be fetched, a plain message and "Try again".
pub fn screen(route: Route) -> AnyView {
    when_loaded(Records::Screen(route))
}

/// A person's page below its top (see `person::below`), once its code is in.
pub fn person_below(id: RecordId, name: String) -> AnyView {
    when_loaded(Records::PersonBelow(id, name))
}

/// "Restore from a backup" on the welcome screen, once More's code is in:
/// the welcome itself stays in the main wasm, small.
pub fn restore_section() -> AnyView {
    when_loaded(Records::Restore)
}

/// The medicines due now on Today, once the records group's code is in:
/// Today itself is drawn first, and asks for it only when someone has a
/// medicine.
pub fn due_today() -> AnyView {
    when_loaded(Records::DueToday)
}

/// `what`, once the records group's code (or a screen's group's) is in; if it
/// can't be fetched, `NotLoaded`'s message and "Try again", under a page
/// header when `what` is a whole screen.
fn when_loaded(what: Records) -> AnyView {
    let whole_screen = matches!(what, Records::Screen(_));
    let attempt = RwSignal::new(0u32);
    view! {
        <Suspense fallback=move || whole_screen.then(|| view! { <main class="page" aria-busy="true"></main> })>
            {move || {
                attempt.track();
                let what = what.clone();
                Suspend::new(send_wrapper::SendWrapper::new(async move {
                    match open(what).await {
                        Ok(view) => view,
                        Err(NotLoaded) => {
                            let said = view! {
                                <div class="banner banner-error" role="alert"><p>{NotLoaded.to_string()}</p></div>
                                <button class="btn btn-primary" on:click=move |_| attempt.update(|n| *n += 1)>
                                    "Try again"
                                </button>
                            };
                            if whole_screen {
                                view! {
                                    <crate::components::nav::PageHeader title="Not opened yet" />
                                    <main class="page">{said}</main>
                                }.into_any()
                            } else {
                                said.into_any()
                            }
                        }
                    }
                }))
            }}
        </Suspense>
    }
    .into_any()
}

/// Which group of screens a route belongs to: each group is one split point.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Group {
    /// Today, the Stays screen and the top of a person's page: in the main
    /// wasm.
    Main,
    /// People and everything recorded about them.
    Records,
    /// One planned stay, planning or changing one, "My stays", sending it to
    /// the person's phone, the stays sent to this phone and the month's
    /// totals.
    Plans,
    /// Settings, backups, the PIN lock, sample data.
    More,
}

impl Group {
    /// The group of `route`'s screen.
    pub fn of(route: &Route) -> Group {
        match route {
            Route::Today | Route::Stays | Route::Person(_) => Group::Main,
            Route::NewStay(_)
            | Route::EditStay(_)
            | Route::Stay(_)
            | Route::MyStays(_)
            | Route::SendStays(_)
            | Route::Follow(_)
            | Route::Following
            | Route::Followed(_)
            | Route::Summary(..) => Group::Plans,
            Route::More => Group::More,
            _ => Group::Records,
        }
    }
}

/// Starts fetching the code of `route`'s screen, without waiting for it; at
/// start-up, so it loads while storage opens.
pub fn preload(route: &Route) {
    #[cfg(feature = "split")]
    {
        let group = Group::of(route);
        leptos::task::spawn_local(async move {
            // A failure shows when the screen itself asks for the code.
            let _ = match group {
                Group::Main => return,
                Group::Records => __preload_records().await,
                Group::Plans => __preload_plans().await,
                Group::More => __preload_more().await,
            };
        });
    }
    #[cfg(not(feature = "split"))]
    let _ = route;
}

/// A screen of the main wasm (`Group::Main`): drawn at once, nothing to load.
pub fn main_screen(route: &Route) -> AnyView {
    match route {
        Route::Stays => view! { <stays::Stays /> }.into_any(),
        Route::Person(id) => view! { <person::PersonPage id=*id /> }.into_any(),
        _ => view! { <today::Today /> }.into_any(),
    }
}

async fn open(what: Records) -> Result<AnyView, NotLoaded> {
    let route = match what {
        Records::Screen(route) => route,
        Records::Restore => return call!(more(true)),
        what => return call!(records(what)),
    };
    match Group::of(&route) {
        Group::Main => Ok(main_screen(&route)),
        Group::Records => call!(records(Records::Screen(route))),
        Group::Plans => call!(plans(route)),
        Group::More => call!(more(false)),
    }
}

split_point!(
    hearth_records,
    __preload_records,
    fn records(what: Records) -> Result<AnyView, NotLoaded> {
        let route = match what {
            Records::Screen(route) => route,
            Records::PersonBelow(id, name) => return Ok(person::below(id, name).into_any()),
            Records::DueToday => return Ok(view! { <due::DueList person=None /> }.into_any()),
            Records::Restore => return Ok(().into_any()),
        };
        Ok(match route {
            Route::People => view! { <people::People /> }.into_any(),
            Route::NewPerson => view! { <person_form::PersonForm id=None /> }.into_any(),
            Route::EditPerson(id) => view! { <person_form::PersonForm id=Some(id) /> }.into_any(),
            Route::NewNote(person) => {
                view! { <note_form::NoteForm person=person id=None /> }.into_any()
            }
            Route::EditNote(id) => {
                view! { <note_form::NoteForm person=None id=Some(id) /> }.into_any()
            }
            Route::Note(id) => view! { <note::NotePage id=id /> }.into_any(),
            Route::NewCheckIn(person) => {
                view! { <checkin_form::CheckInForm person=person id=None /> }.into_any()
            }
            Route::EditCheckIn(id) => {
                view! { <checkin_form::CheckInForm person=None id=Some(id) /> }.into_any()
            }
            Route::CheckIn(id) => view! { <checkin::CheckInPage id=id /> }.into_any(),
            Route::Ask(person) => view! { <ask::Ask person=person /> }.into_any(),
            Route::MedicineChart(person, year, month) => {
                view! { <mar::MedicineChart person=person year=year month=month /> }.into_any()
            }
            Route::MedicineCycle(person, start) => {
                view! { <mar::MedicineCycle person=person start=start /> }.into_any()
            }
            Route::DaysAway(person) => view! { <away::DaysAway person=person /> }.into_any(),
            Route::Report(person, year, month) => {
                view! { <report::Report person=person year=year month=month /> }.into_any()
            }
            Route::NewVisit(person, stay) => {
                let start = match stay {
                    Some(stay) => visit_form::Start::Plan(person, stay),
                    None => visit_form::Start::Blank(person),
                };
                view! { <visit_form::VisitForm start=start /> }.into_any()
            }
            Route::EndVisit(person) => {
                view! { <visit_form::VisitForm start=visit_form::Start::Running(person) /> }
                    .into_any()
            }
            Route::EditVisit(id) => {
                view! { <visit_form::VisitForm start=visit_form::Start::Stored(id) /> }.into_any()
            }
            Route::Visit(id) => view! { <visit::VisitPage id=id /> }.into_any(),
            Route::Medicines(person) => view! { <medicines::Medicines person=person /> }.into_any(),
            Route::NewMedicine(person) => {
                view! { <medicines::MedicineForm purpose=medicines::Purpose::Add(person) /> }
                    .into_any()
            }
            Route::ChangeMedicine(id) => {
                view! { <medicines::MedicineForm purpose=medicines::Purpose::Change(id) /> }
                    .into_any()
            }
            Route::ConfirmMedicine(id) => {
                view! { <medicines::MedicineForm purpose=medicines::Purpose::Confirm(id) /> }
                    .into_any()
            }
            Route::RecordDose(id, slot) => {
                view! { <dose_form::DoseForm medicine=id which=slot /> }.into_any()
            }
            Route::CorrectDose(id) => view! { <dose_form::CorrectDose id=id /> }.into_any(),
            // Other groups' routes never come here.
            _ => ().into_any(),
        })
    }
);

split_point!(
    hearth_plans,
    __preload_plans,
    fn plans(route: Route) -> Result<AnyView, NotLoaded> {
        Ok(match route {
            Route::NewStay(person) => {
                view! { <stay_form::StayForm person=person id=None /> }.into_any()
            }
            Route::EditStay(id) => {
                view! { <stay_form::StayForm person=None id=Some(id) /> }.into_any()
            }
            Route::Stay(id) => view! { <stay::StayPage id=id /> }.into_any(),
            Route::MyStays(person) => view! { <my_stays::MyStays person=person /> }.into_any(),
            Route::SendStays(person) => {
                view! { <send_stays::SendStays person=person /> }.into_any()
            }
            Route::Follow(data) => view! { <follow::Opened data=data /> }.into_any(),
            Route::Following => view! { <follow::Everyone /> }.into_any(),
            Route::Followed(person) => view! { <follow::Theirs person=person /> }.into_any(),
            Route::Summary(year, month) => {
                view! { <summary::Summary year=year month=month /> }.into_any()
            }
            _ => ().into_any(),
        })
    }
);

split_point!(
    hearth_more,
    __preload_more,
    fn more(restore_only: bool) -> Result<AnyView, NotLoaded> {
        Ok(if restore_only {
            view! { <backup::Backups restore_only=true /> }.into_any()
        } else {
            view! { <more::More /> }.into_any()
        })
    }
);

/// Work behind a button that a first load doesn't need.
pub enum Task {
    /// Add the sample household (true) or remove it (false).
    Sample(bool),
    /// Read, check and plan a chosen backup file.
    CheckBackup(web_sys::File),
    /// Write a planned restore.
    Restore(Arc<RestorePlan>),
    /// Make a backup file (the sample data in it only if asked) and share
    /// or save it.
    BackUp { with_sample: bool },
    /// Sync with the scheme's server once.
    Sync,
    /// Sign in to the scheme's server (address, user, password).
    SignIn(String, String, String),
    /// Sign out, keeping the household's records on the phone (true) or not.
    SignOut(bool),
    /// Count the records waiting to be sent.
    Waiting,
}

/// What a [`Task`] came to.
pub enum Done {
    /// Finished; nothing to show.
    Finished,
    /// A checked backup: the plan and where the backup came from.
    Checked(Box<RestorePlan>, String),
    /// Finished, with this to say.
    Said(String),
    /// A sync ran.
    Synced(crate::sync::Outcome),
    /// A count.
    Counted(Option<usize>),
    /// The lock's pass ended.
    Passed(PassEnd),
    /// The records moved: the store that holds them now.
    Moved(Store),
}

/// A task's work, running.
type Working = Pin<Box<dyn Future<Output = Result<Done, String>>>>;

/// What the tasks' split point runs: a [`Task`], or the PIN lock's work,
/// which runs before the app's state is made.
// Made once per task and moved straight into the chunk: no need to box.
#[allow(clippy::large_enum_variant)]
enum Job {
    App(AppState, Task),
    /// Seal (or open) every row, as the stored lock state asks, saying how
    /// far it has got.
    Pass(Store, Box<dyn Fn(usize, usize)>),
    /// Move the sealed rows to a fresh database (see `storage::generations`);
    /// the new one's connection is watched by the function.
    Move(Store, Box<dyn Fn()>),
}

// All tasks are one split point, so their shared code is one chunk (the
// lock's work too: a chunk of its own would cost the first load more than it
// saves). The work is started in the chunk and handed back as a future.
split_point!(
    hearth_tasks,
    __preload_tasks,
    fn start(job: Job) -> Result<Working, NotLoaded> {
        let (state, task) = match job {
            Job::App(state, task) => (state, task),
            Job::Pass(store, progress) => {
                return Ok(Box::pin(async move {
                    store
                        .run_pass(Pass::default(), &*progress)
                        .await
                        .map(Done::Passed)
                        .map_err(|e| e.to_string())
                }))
            }
            Job::Move(store, on_closed) => {
                return Ok(Box::pin(async move {
                    Ok(Done::Moved(store.move_on(on_closed).await))
                }))
            }
        };
        Ok(match task {
            Task::Sample(adding) => Box::pin(async move {
                sample_data::add_or_remove(state, adding)
                    .await
                    .map(|()| Done::Finished)
            }),
            Task::CheckBackup(file) => Box::pin(async move {
                backup::check(state, file)
                    .await
                    .map(|(plan, made)| Done::Checked(Box::new(plan), made))
            }),
            Task::Restore(plan) => {
                Box::pin(async move { backup::write(state, plan).await.map(Done::Said) })
            }
            Task::BackUp { with_sample } => Box::pin(async move {
                backup::back_up_now(state, with_sample)
                    .await
                    .map(Done::Said)
            }),
            Task::Sync => {
                Box::pin(async move { Ok(Done::Synced(crate::sync::run::sync_once(state).await)) })
            }
            Task::SignIn(server, user, password) => Box::pin(async move {
                crate::sync::run::sign_in(state, &server, &user, &password)
                    .await
                    .map(|()| Done::Finished)
            }),
            Task::SignOut(keep) => Box::pin(async move {
                crate::sync::run::sign_out(state, keep)
                    .await
                    .map(|()| Done::Finished)
            }),
            Task::Waiting => {
                Box::pin(async move { Ok(Done::Counted(crate::sync::run::waiting(&state).await)) })
            }
        })
    }
);

async fn run(state: AppState, task: Task) -> Result<Done, String> {
    run_job(Job::App(state, task)).await
}

async fn run_job(job: Job) -> Result<Done, String> {
    match call!(start(job)) {
        Ok(working) => working.await,
        Err(not_loaded) => Err(not_loaded.to_string()),
    }
}

/// Adds (`true`) or removes the sample household.
pub async fn sample(state: AppState, adding: bool) -> Result<(), String> {
    run(state, Task::Sample(adding)).await.map(|_| ())
}

/// Reads, checks and plans a restore from a chosen backup file.
pub async fn check_backup(
    state: AppState,
    file: web_sys::File,
) -> Result<(RestorePlan, String), String> {
    match run(state, Task::CheckBackup(file)).await? {
        Done::Checked(plan, made) => Ok((*plan, made)),
        _ => Err("The backup couldn't be checked. Try choosing it again.".into()),
    }
}

/// Writes a planned restore; says what was restored.
pub async fn restore(state: AppState, plan: Arc<RestorePlan>) -> Result<String, String> {
    said(run(state, Task::Restore(plan)).await)
}

/// Makes a backup (with the sample data in it only if asked) and shares or
/// saves it; says where it went.
pub async fn back_up(state: AppState, with_sample: bool) -> Result<String, String> {
    said(run(state, Task::BackUp { with_sample }).await)
}

fn said(done: Result<Done, String>) -> Result<String, String> {
    match done? {
        Done::Said(words) => Ok(words),
        _ => Ok(String::new()),
    }
}

/// One sync with the scheme's server (see `sync::run::sync_once`).
pub async fn sync(state: AppState) -> crate::sync::Outcome {
    match run(state, Task::Sync).await {
        Ok(Done::Synced(outcome)) => outcome,
        // The sync's code couldn't be fetched (a first visit, offline).
        _ => crate::sync::Outcome::Retry,
    }
}

/// Signs in to the scheme's server; `Err` says why not.
pub async fn sign_in(
    state: AppState,
    server: String,
    user: String,
    password: String,
) -> Result<(), String> {
    run(state, Task::SignIn(server, user, password))
        .await
        .map(|_| ())
}

/// Signs out of the scheme's server, keeping the records or not.
pub async fn sign_out(state: AppState, keep: bool) -> Result<(), String> {
    run(state, Task::SignOut(keep)).await.map(|_| ())
}

/// Records waiting to be sent, if signed in.
pub async fn waiting(state: AppState) -> Option<usize> {
    match run(state, Task::Waiting).await {
        Ok(Done::Counted(n)) => n,
        _ => None,
    }
}

/// Runs (or resumes) the lock's pass over every row.
pub async fn run_pass(
    store: Store,
    progress: impl Fn(usize, usize) + 'static,
) -> Result<PassEnd, String> {
    match run_job(Job::Pass(store, Box::new(progress))).await? {
        Done::Passed(end) => Ok(end),
        _ => unreachable!("a pass ends as a pass"),
    }
}

/// With the PIN lock on, moves the sealed records to a fresh database so that
/// no clear copy from before stays on the disk, and returns the store that
/// holds them: the old one if the move's code couldn't be fetched or the
/// move failed (it is tried again at the next start).
pub async fn move_records(store: Store, on_closed: impl Fn() + 'static) -> Store {
    match run_job(Job::Move(store.clone(), Box::new(on_closed))).await {
        Ok(Done::Moved(moved)) => moved,
        _ => store,
    }
}
