//! What every screen shares, provided once through Leptos context.

use crate::pwa::Pwa;
use crate::storage::Store;
use hearth_core::{Arrangement, CarerProfile, Person, Record, RecordId, RunningVisit};
use leptos::task::spawn_local;

/// The settings key of the visits in progress.
pub const RUNNING_VISITS: &str = "running_visits";
/// The settings key of the household's short-break beds.
pub const BEDS: &str = "household_beds";
/// The settings key of when the last backup was made.
pub const LAST_BACKUP: &str = "last_backup";
/// The settings key of when records last changed (for the backup reminder).
pub const LAST_CHANGE: &str = "last_change";
use leptos::prelude::*;

/// The app's shared state.
#[derive(Clone)]
pub struct AppState {
    /// The open database.
    pub store: Store,
    /// The carer; `None` until the welcome is filled in.
    pub profile: RwSignal<Option<Record<CarerProfile>>>,
    /// Everyone the carer supports, archived too, by name.
    pub people: RwSignal<Vec<Record<Person>>>,
    /// Goes up after every write, so lists read storage again.
    pub revision: RwSignal<u32>,
    /// A short confirmation ("Note saved").
    pub toast: RwSignal<Option<String>>,
    /// A form has text that isn't saved yet.
    pub dirty: RwSignal<bool>,
    /// Install, update and storage state.
    pub pwa: Pwa,
    /// Visits in progress, one at most per person; kept in storage so they
    /// survive reloads and the app being closed.
    pub running: RwSignal<Vec<RunningVisit>>,
    /// Short-break beds in this household (for the capacity warning).
    pub beds: RwSignal<u32>,
    /// When the last backup was made, if ever.
    pub last_backup: RwSignal<Option<chrono::DateTime<chrono::Utc>>>,
    /// When records last changed, if ever.
    pub last_change: RwSignal<Option<chrono::DateTime<chrono::Utc>>>,
    /// Sync with the scheme's server.
    pub sync: crate::sync::Sync,
    /// The place in the tab bar the carer last chose, which a record's
    /// screens belong to.
    pub place: RwSignal<crate::route::Tab>,
    /// A record just written, to bring into view where it is listed.
    pub just_saved: RwSignal<Option<RecordId>>,
}

impl AppState {
    /// The shared state, from any component.
    pub fn get() -> AppState {
        expect_context::<AppState>()
    }

    /// The carer's name, which signs records.
    pub fn author(&self) -> String {
        self.profile
            .with_untracked(|p| p.as_ref().map(|p| p.body().carer_name().to_string()))
            .unwrap_or_default()
    }

    /// Saves a form's body: a new record signed by the carer, or, with the
    /// record the form was opened on, an amendment of it (refused if the record
    /// changed since).
    pub async fn save<T: crate::storage::Stored>(
        &self,
        stored: Option<&Record<T>>,
        body: T,
    ) -> Result<Record<T>, crate::storage::StorageError> {
        let author = self.author();
        let now = crate::browser::now();
        match stored {
            None => {
                let record = Record::create(crate::browser::new_id(), body, &author, now);
                self.store.insert(&record).await.map(|()| record)
            }
            Some(current) => {
                let rev = current.rev();
                self.store
                    .change(current.id(), |rec| rec.amend(rev, body, &author, now))
                    .await
            }
        }
    }

    /// Saves a form's record (new, or an amendment of `stored`) and says so:
    /// the toast `done` when saved; otherwise `unchanged` (nothing differs from
    /// the stored version) or the storage problem, in `save_error`. Returns
    /// the saved record, for the form to go on to.
    pub async fn save_form<T: crate::storage::Stored>(
        &self,
        stored: Option<&Record<T>>,
        body: T,
        done: &str,
        unchanged: &str,
        save_error: RwSignal<Option<String>>,
    ) -> Option<Record<T>> {
        use crate::storage::StorageError;
        match self.save(stored, body).await {
            Ok(saved) => {
                self.saved(Some(done));
                Some(saved)
            }
            Err(StorageError::Record(hearth_core::RecordError::Unchanged)) => {
                save_error.set(Some(unchanged.to_string()));
                None
            }
            Err(e) => {
                save_error.set(Some(e.to_string()));
                None
            }
        }
    }

    /// A person by id.
    pub fn person(&self, id: RecordId) -> Option<Record<Person>> {
        self.people
            .with(|people| people.iter().find(|p| p.id() == id).cloned())
    }

    /// Whether this person is one of the made-up sample people.
    pub fn is_sample(&self, id: RecordId) -> bool {
        self.people.with(|people| {
            people
                .iter()
                .any(|p| p.id() == id && hearth_core::sample::is_sample(p))
        })
    }

    /// Whether any sample person is on this phone.
    pub fn has_sample(&self) -> bool {
        self.people
            .with(|people| people.iter().any(hearth_core::sample::is_sample))
    }

    /// People still supported (not archived).
    pub fn active_people(&self) -> Vec<Record<Person>> {
        self.people.with(|people| {
            people
                .iter()
                .filter(|p| !p.body().is_archived())
                .cloned()
                .collect()
        })
    }

    /// Puts a saved person into the shared list.
    pub fn upsert_person(&self, person: Record<Person>) {
        self.people.update(|people| {
            match people.iter_mut().find(|p| p.id() == person.id()) {
                Some(slot) => *slot = person,
                None => people.push(person),
            }
            hearth_core::order::sort_by_key(people, |p| p.body().preferred_name().to_lowercase());
        });
        self.saved(None);
    }

    /// Where a new note or check-in goes on to: back to Today when written
    /// from Today, else to the person's page; the new record is brought into
    /// view there.
    pub fn after_new(&self, record: RecordId, person: RecordId) -> crate::route::Route {
        self.just_saved.set(Some(record));
        match self.place.get_untracked() {
            crate::route::Tab::Today => crate::route::Route::Today,
            _ => crate::route::Route::Person(person),
        }
    }

    /// After a write: lists refresh and, if given, a confirmation shows.
    pub fn saved(&self, message: Option<&str>) {
        self.dirty.set(false);
        self.revision.update(|r| *r += 1);
        // Remembered for the backup reminder; losing it costs only a reminder.
        let now = crate::browser::now();
        self.last_change.set(Some(now));
        let store = self.store.clone();
        spawn_local(async move {
            let _ = store.set_setting(LAST_CHANGE, &now).await;
        });
        if let Some(message) = message {
            self.show_toast(message);
        }
    }

    /// After a write that is not the carer's own record keeping (adding or
    /// removing sample data): screens re-read, but the backup reminder is not
    /// moved on.
    pub fn refreshed(&self, message: &str) {
        self.dirty.set(false);
        self.revision.update(|r| *r += 1);
        self.show_toast(message);
    }

    /// Shows a confirmation for a few seconds.
    pub fn show_toast(&self, message: &str) {
        let toast = self.toast;
        toast.set(Some(message.to_string()));
        let shown = message.to_string();
        set_timeout(
            move || {
                if toast.get_untracked().as_deref() == Some(shown.as_str()) {
                    toast.set(None);
                }
            },
            std::time::Duration::from_secs(4),
        );
    }

    /// Days since the last backup when records have changed since and it has
    /// been a week or more (counting from the first use when never backed up).
    pub fn backup_due(&self) -> Option<i64> {
        let changed = self.last_change.get()?;
        let since = self
            .last_backup
            .get()
            .or_else(|| self.profile.with(|p| p.as_ref().map(|p| p.created_at())))?;
        let days = (crate::browser::now() - since).num_days();
        (changed > since && days >= 7).then_some(days)
    }

    /// The household's name, the default host of planned stays.
    pub fn household(&self) -> String {
        self.profile
            .with_untracked(|p| p.as_ref().map(|p| p.body().household_name().to_string()))
            .unwrap_or_default()
    }

    /// The visit in progress with this person, if any.
    pub fn running_visit(&self, person: RecordId) -> Option<RunningVisit> {
        self.running
            .with(|r| r.iter().find(|v| v.person_id == person).cloned())
    }

    /// Starts a visit with this person now (one tap), kept in storage.
    pub fn start_visit(&self, person: &Record<Person>) {
        let kinds = person.body().arrangements();
        let kind = if kinds.contains(&Arrangement::DaySupport) {
            Arrangement::DaySupport
        } else {
            kinds.first().copied().unwrap_or(Arrangement::DaySupport)
        };
        let visit = RunningVisit {
            person_id: person.id(),
            kind,
            started_at: crate::browser::now(),
        };
        let mut running = self.running.get_untracked();
        running.retain(|v| v.person_id != person.id());
        running.push(visit);
        self.save_running(
            running,
            &format!("Visit with {} started", person.body().display_name()),
        );
    }

    /// Forgets the visit in progress with this person (once it is logged).
    pub fn clear_running_visit(&self, person: RecordId) {
        let mut running = self.running.get_untracked();
        running.retain(|v| v.person_id != person);
        self.save_running(running, "");
    }

    fn save_running(&self, running: Vec<RunningVisit>, done: &str) {
        let state = self.clone();
        let done = done.to_string();
        spawn_local(async move {
            match state.store.set_setting(RUNNING_VISITS, &running).await {
                Ok(()) => {
                    state.running.set(running);
                    if !done.is_empty() {
                        state.show_toast(&done);
                    }
                }
                Err(e) => state.show_toast(&e.to_string()),
            }
        });
    }

    /// Asks before leaving a form with unsaved text. True when it's fine to go.
    pub fn may_leave(&self) -> bool {
        if !self.dirty.get_untracked() {
            return true;
        }
        let leave = window()
            .confirm_with_message("You have changes that aren't saved. Leave without saving them?")
            .unwrap_or(true);
        if leave {
            self.dirty.set(false);
        }
        leave
    }
}
