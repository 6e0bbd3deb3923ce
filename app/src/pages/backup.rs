//! Backups: one file with every record (amendments and tombstones included),
//! shared or saved; and restoring one, which says what it will do before it
//! writes anything, then writes all of it or none.

use crate::browser;
use crate::components::icons::{Icon, Svg};
use crate::components::records::instant_label;
use crate::later;
use crate::pwa;
use crate::state::{AppState, LAST_BACKUP};
use crate::storage::StorageError;
use hearth_core::backup::{plan_restore, read_backup, write_backup, RestorePlan};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

/// What the restore part of the screen shows.
#[derive(Clone)]
enum Restore {
    Idle,
    Reading,
    Ready(std::sync::Arc<RestorePlan>, String),
    Writing,
    Done(String),
    Failed(String),
}

/// The backup and restore section of More; with `restore_only`, the restore
/// part alone (the welcome screen, after a forgotten PIN).
#[component]
pub fn Backups(#[prop(optional)] restore_only: bool) -> impl IntoView {
    let state = AppState::get();
    let backing_up = RwSignal::new(false);
    let message = RwSignal::new(None::<String>);
    let restore = RwSignal::new(Restore::Idle);
    let file_name = RwSignal::new(None::<String>);
    // Sample data stays out of a backup unless the carer asks for it.
    let with_sample = RwSignal::new(false);

    let back_up = {
        let state = state.clone();
        move |_| {
            let state = state.clone();
            backing_up.set(true);
            spawn_local(async move {
                let result = later::back_up(state, with_sample.get_untracked()).await;
                message.set(Some(result.unwrap_or_else(|e| e)));
                backing_up.set(false);
            });
        }
    };

    let chosen = {
        let state = state.clone();
        move |ev: leptos::ev::Event| {
            let Some(input) = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            else {
                return;
            };
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            file_name.set(Some(file.name()));
            let state = state.clone();
            restore.set(Restore::Reading);
            spawn_local(async move {
                let result = later::check_backup(state, file).await;
                input.set_value("");
                restore.set(match result {
                    Ok((plan, made)) => Restore::Ready(std::sync::Arc::new(plan), made),
                    Err(e) => Restore::Failed(e),
                });
            });
        }
    };

    let apply = {
        let state = state.clone();
        move |plan: std::sync::Arc<RestorePlan>| {
            let state = state.clone();
            restore.set(Restore::Writing);
            spawn_local(async move {
                match later::restore(state.clone(), plan).await {
                    Ok(done) => {
                        if restore_only {
                            // The welcome screen gives way to Today at once: say it there.
                            state.show_toast(&done);
                        }
                        restore.set(Restore::Done(done));
                    }
                    Err(e) => restore.set(Restore::Failed(e)),
                }
            });
        }
    };

    let last = move || match state.last_backup.get() {
        Some(at) => format!("Last backup: {}.", instant_label(at)),
        None => "No backup made yet.".to_string(),
    };

    view! {
        <section class="card" aria-labelledby="backup-head">
            {(!restore_only).then(|| view! {
            <h2 id="backup-head"><Svg icon=Icon::Download />" Backups"</h2>
            <p>{let account = state.sync.account; move || if account.with(Option::is_some) {
                "Your records are on this phone and your scheme's server. A backup is one more copy: one file with all of them, corrections and deletions included. Keep it somewhere safe, such as your email or cloud storage."
            } else {
                "Your records live only on this phone. A backup is one file with all of them, corrections and deletions included. Keep it somewhere safe, such as your email or cloud storage."
            }}</p>
            <p><strong>{last}</strong></p>
            {let samples = state.clone(); move || samples.has_sample().then(|| view! {
                <label class="check">
                    <input type="checkbox" prop:checked=move || with_sample.get()
                        on:change=move |ev| with_sample.set(event_target_checked(&ev)) />
                    <span>"Include the sample data (left out unless you ask)"</span>
                </label>
            })}
            <button class="btn btn-primary" disabled=move || backing_up.get() on:click=back_up>
                <Svg icon=Icon::Share />"Back up now"
            </button>
            <p role="status" aria-live="polite">{move || message.get()}</p>
            })}
            {if restore_only {
                view! { <h2 id="backup-head">"Restore from a backup"</h2> }.into_any()
            } else {
                view! { <h3>"Restore from a backup"</h3> }.into_any()
            }}
            <p class="hint">"Hearth shows what the backup will add before it changes anything. Records already here are never lost: where they differ, both versions are kept."</p>
            // The browser's own picker is a tiny "Choose File": a full-size
            // button (the label) opens it, and says which file was chosen.
            <div class="file-pick">
                <input id="f-restore" class="file-input" type="file" accept=".json,application/json" on:change=chosen />
                <label for="f-restore" class="btn">"Choose a backup file"</label>
                <p class="hint" aria-live="polite">{move || match file_name.get() {
                    Some(name) => format!("Chosen: {name}"),
                    None => "No file chosen yet.".to_string(),
                }}</p>
            </div>
            {move || match restore.get() {
                Restore::Idle => ().into_any(),
                Restore::Reading => view! { <p role="status">"Checking the backup…"</p> }.into_any(),
                Restore::Writing => view! { <p role="status">"Restoring…"</p> }.into_any(),
                Restore::Done(m) => view! { <div class="banner" role="status"><p>{m}</p></div> }.into_any(),
                Restore::Failed(m) => view! { <div class="banner banner-error" role="alert"><p>{m}</p></div> }.into_any(),
                Restore::Ready(plan, made) => {
                    let apply = apply.clone();
                    let nothing = plan.records.count() == 0;
                    view! {
                        <div class="banner" role="status">
                            <p>{made}" "{plan.summary()}</p>
                            {(!nothing).then(|| {
                                let plan = plan.clone();
                                view! { <button class="btn btn-primary" on:click=move |_| apply(plan.clone())>"Restore"</button> }
                            })}
                            <button class="btn" on:click=move |_| restore.set(Restore::Idle)>{if nothing { "OK" } else { "Cancel" }}</button>
                        </div>
                    }.into_any()
                }
            }}
        </section>
    }
}

/// Reads a chosen backup file, checks it and plans the restore against the
/// records on the phone; with what to say about where the backup came from.
/// Run as a [`crate::later::Task`]: loaded when a file is chosen, so the
/// welcome screen stays small.
pub(crate) async fn check(
    state: AppState,
    file: web_sys::File,
) -> Result<(RestorePlan, String), String> {
    let size = file.size();
    if size > hearth_core::backup::MAX_BACKUP_BYTES as f64 {
        return Err(hearth_core::backup::BackupError::TooLarge(size as u64).to_string());
    }
    let text = wasm_bindgen_futures::JsFuture::from(file.text())
        .await
        .ok()
        .and_then(|t| t.as_string())
        .ok_or("Couldn't read that file. Try choosing it again.")?;
    let backup = read_backup(&text, browser::now()).map_err(|e| e.to_string())?;
    let existing = state
        .store
        .backup_records()
        .await
        .map_err(|e| e.to_string())?;
    let plan = plan_restore(&backup.records, &existing);
    let made = if backup.household.is_empty() {
        format!("Backup made {}.", instant_label(backup.created_at))
    } else {
        format!(
            "Backup made {} (household: {}).",
            instant_label(backup.created_at),
            hearth_core::bidi::isolate(&backup.household)
        )
    };
    Ok((plan, made))
}

/// Writes a planned restore in one transaction and reads the people and the
/// profile afresh; says what was restored and how long it took. Run as a
/// [`crate::later::Task`], like [`check`].
pub(crate) async fn write(
    state: AppState,
    plan: std::sync::Arc<RestorePlan>,
) -> Result<String, String> {
    let refresh = async {
        state.store.restore(&plan.records).await?;
        if let Ok(people) = state.store.people().await {
            state.people.set(people);
        }
        if let Ok(profile) = state.store.profile().await {
            state.profile.set(profile);
        }
        Ok::<_, StorageError>(())
    };
    match refresh.await {
        Ok(()) => {
            state.saved(None);
            Ok(format!("Restored. {}", plan.done()))
        }
        Err(e) => Err(format!(
            "{e} Nothing was restored: your records are as they were."
        )),
    }
}

/// Writes the backup file and shares or saves it; records when, if it went
/// anywhere. Run as a [`crate::later::Task`], like [`check`].
pub(crate) async fn back_up_now(state: AppState, with_sample: bool) -> Result<String, String> {
    let mut records = state
        .store
        .backup_records()
        .await
        .map_err(|e| e.to_string())?;
    if !with_sample {
        records = hearth_core::sample::without(records);
    }
    let now = browser::now();
    let text = write_backup(&records, env!("CARGO_PKG_VERSION"), &state.household(), now);
    let file = format!(
        "hearth-backup-{}.json",
        hearth_core::dates::form_date(browser::today())
    );
    let said = pwa::share_or_download(&file, "application/json", &text).await?;
    if said != "Not shared" {
        state
            .store
            .set_setting(LAST_BACKUP, &now)
            .await
            .map_err(|e| e.to_string())?;
        state.last_backup.set(Some(now));
    }
    Ok(format!("{said}: a backup of {} records.", records.count()))
}
