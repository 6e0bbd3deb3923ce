//! The sync itself: requests to the scheme's CouchDB over `fetch`, signing
//! in and out, and one run of `hearth-core`'s replicator. Loaded after the
//! first screen (it is only called through `later::Task`).

use super::{Account, Outcome, Problem, Status, ACCOUNT, INSTALL, STATUS};
use crate::state::AppState;
use crate::storage::sync::Phone;
use hearth_core::sync::checkpoint::{replication_id, Direction};
use hearth_core::sync::engine::{push_status, DeviceStatus};
use hearth_core::sync::{self, Answer, Method, Options, Remote, SyncError, Unreachable};
use leptos::prelude::*;
use serde_json::{json, Value};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// How long a request may take before it counts as unreachable.
const TIMEOUT_MS: u32 = 60_000;
/// The role that names a carer's household: `hearth-household:<database>`.
pub const HOUSEHOLD_ROLE: &str = "hearth-household:";
/// Refused records kept on the sync screen.
const PROBLEMS_KEPT: usize = 50;

/// The scheme's database over the browser's `fetch`, with the session
/// cookie.
pub struct Fetch {
    /// The database's URL, ending in `/`.
    base: String,
}

impl Remote for Fetch {
    async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<Answer, Unreachable> {
        request(&format!("{}{path}", self.base), method, body).await
    }
}

fn unreachable(e: JsValue) -> Unreachable {
    Unreachable(
        e.dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .unwrap_or_else(|| format!("{e:?}")),
    )
}

/// One request; a body that isn't JSON reads as `null`.
async fn request(url: &str, method: Method, body: Option<&Value>) -> Result<Answer, Unreachable> {
    let init = web_sys::RequestInit::new();
    init.set_method(match method {
        Method::Get => "GET",
        Method::Post => "POST",
        Method::Put => "PUT",
        Method::Delete => "DELETE",
    });
    init.set_credentials(web_sys::RequestCredentials::Include);
    init.set_cache(web_sys::RequestCache::NoStore);
    let headers = web_sys::Headers::new().map_err(unreachable)?;
    headers
        .set("Accept", "application/json")
        .map_err(unreachable)?;
    if let Some(body) = body {
        headers
            .set("Content-Type", "application/json")
            .map_err(unreachable)?;
        init.set_body(&JsValue::from_str(&body.to_string()));
    }
    init.set_headers(&headers);
    let controller = web_sys::AbortController::new().map_err(unreachable)?;
    init.set_signal(Some(&controller.signal()));
    let request = web_sys::Request::new_with_str_and_init(url, &init).map_err(unreachable)?;
    let timer = gloo::timers::callback::Timeout::new(TIMEOUT_MS, move || controller.abort());
    let response: web_sys::Response = JsFuture::from(window().fetch_with_request(&request))
        .await
        .map_err(unreachable)?
        .unchecked_into();
    let text = JsFuture::from(response.text().map_err(unreachable)?)
        .await
        .map_err(unreachable)?
        .as_string()
        .unwrap_or_default();
    drop(timer);
    Ok(Answer {
        status: response.status(),
        body: serde_json::from_str(&text).unwrap_or(Value::Null),
    })
}

/// The server's address as typed, made whole: `https://` added when no
/// scheme is given, no trailing slash. Plain `http://` is refused unless it
/// is this app's own address or the phone itself.
pub fn server_address(typed: &str) -> Result<String, String> {
    let typed = typed.trim().trim_end_matches('/');
    if typed.is_empty() {
        return Err("Enter the server address your scheme gave you.".into());
    }
    let whole = if typed.contains("://") {
        typed.to_string()
    } else {
        format!("https://{typed}")
    };
    let url = web_sys::Url::new(&whole)
        .map_err(|_| "That doesn't look like a web address. Check it and try again.")?;
    let own = window().location().origin().unwrap_or_default();
    let local = matches!(url.hostname().as_str(), "localhost" | "127.0.0.1");
    match url.protocol().as_str() {
        "https:" => Ok(whole),
        "http:" if url.origin() == own || local => Ok(whole),
        "http:" => Err("That address isn't secure (it starts with http://). Records only go to a server over https://: check the address with your scheme.".into()),
        _ => Err("That doesn't look like a web address. Check it and try again.".into()),
    }
}

/// The household a signed-in user belongs to, from their roles.
fn household(roles: &Value) -> Option<String> {
    roles
        .as_array()?
        .iter()
        .filter_map(Value::as_str)
        .find_map(|r| r.strip_prefix(HOUSEHOLD_ROLE))
        .filter(|db| !db.is_empty())
        .map(str::to_string)
}

/// Signs in with `POST /_session` (the password goes no further), finds the
/// household and syncs. `Err` is what to show under the form.
pub async fn sign_in(
    state: AppState,
    server: &str,
    user: &str,
    password: &str,
) -> Result<(), String> {
    let server = server_address(server)?;
    let user = user.trim();
    if user.is_empty() || password.is_empty() {
        return Err("Enter your user name and password.".into());
    }
    let answer = request(
        &format!("{server}/_session"),
        Method::Post,
        Some(&json!({"name": user, "password": password})),
    )
    .await
    .map_err(|_| {
        "Couldn't reach that address. Check it, and the phone's signal, then try again.".to_string()
    })?;
    match answer.status {
        200..=299 => {}
        401 => return Err("That user name or password isn't right. Check them and try again.".into()),
        _ => {
            return Err(
                "That address answered, but not as a scheme's Hearth server does. Check it with your scheme."
                    .into(),
            )
        }
    }
    let name = answer
        .body
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or(user)
        .to_string();
    let database = household(answer.body.get("roles").unwrap_or(&Value::Null)).ok_or(
        "You signed in, but your user isn't set up for a household yet. Ask your scheme to add you to your household.",
    )?;
    let account = Account {
        server,
        user: name,
        database,
    };
    let store = &state.store;
    let previous: Option<Account> = store.setting(ACCOUNT).await.map_err(|e| e.to_string())?;
    if previous
        .as_ref()
        .is_some_and(|p| p.database != account.database || p.server != account.server)
    {
        store.forget_sync().await.map_err(|e| e.to_string())?;
    }
    // Made before the account is kept, so every later reader finds it.
    install_id(&state).await?;
    store
        .set_setting(ACCOUNT, &account)
        .await
        .map_err(|e| e.to_string())?;
    let mut status = state.sync.status.get_untracked();
    status.signed_out = false;
    status.problem = None;
    store
        .set_setting(STATUS, &status)
        .await
        .map_err(|e| e.to_string())?;
    state.sync.status.set(status);
    state.sync.account.set(Some(account));
    Ok(())
}

/// Signs out: the session ends, syncing stops, and the household's records
/// stay on the phone (`keep`) or are removed from it.
pub async fn sign_out(state: AppState, keep: bool) -> Result<(), String> {
    if let Some(account) = state.sync.account.get_untracked() {
        // Best effort: the cookie lapses by itself if the server is away.
        let _ = request(
            &format!("{}/_session", account.server),
            Method::Delete,
            None,
        )
        .await;
    }
    let store = &state.store;
    let e = |e: crate::storage::StorageError| e.to_string();
    if keep {
        store.forget_sync().await.map_err(e)?;
    } else {
        store.remove_household().await.map_err(e)?;
        state.people.set(store.people().await.map_err(e)?);
    }
    store.set_setting(ACCOUNT, &Value::Null).await.map_err(e)?;
    store
        .set_setting(STATUS, &Status::default())
        .await
        .map_err(e)?;
    state.sync.account.set(None);
    state.sync.status.set(Status::default());
    state.refreshed(if keep {
        "Signed out. The records stay on this phone."
    } else {
        "Signed out, and the household's records are removed from this phone."
    });
    Ok(())
}

/// This phone's install id, made the first time.
async fn install_id(state: &AppState) -> Result<String, String> {
    let store = &state.store;
    if let Some(id) = store
        .setting::<String>(INSTALL)
        .await
        .map_err(|e| e.to_string())?
    {
        return Ok(id);
    }
    let id = crate::browser::new_id().to_string();
    store
        .set_setting(INSTALL, &id)
        .await
        .map_err(|e| e.to_string())?;
    Ok(id)
}

/// Records waiting to be sent, now.
pub async fn waiting(state: &AppState) -> Option<usize> {
    let account = state.sync.account.get_untracked()?;
    let install: String = state.store.setting(INSTALL).await.ok()??;
    let url = database_url(&account);
    let phone = Phone(state.store.clone());
    let since = phone
        .pushed_up_to(&replication_id(&install, &url, Direction::Push))
        .await
        .ok()?;
    state.store.waiting(since).await.ok()
}

fn database_url(account: &Account) -> String {
    let db: String = js_sys::encode_uri_component(&account.database).into();
    format!("{}/{db}/", account.server)
}

/// One sync: push, pull, push, then this phone's status document. The
/// outcome and anything refused go into [`Status`] (kept in storage).
pub async fn sync_once(state: AppState) -> Outcome {
    let Some(account) = state.sync.account.get_untracked() else {
        return Outcome::Stop;
    };
    let Ok(install) = install_id(&state).await else {
        return Outcome::Stop;
    };
    let now = crate::browser::now();
    let options = Options {
        user: account.user.clone(),
        install: install.clone(),
        database_url: database_url(&account),
        session: crate::browser::new_id().to_string(),
        now,
        batch: hearth_core::sync::bulk::MAX_DOCS,
        max_bytes: hearth_core::sync::bulk::MAX_BYTES,
    };
    let remote = Fetch {
        base: options.database_url.clone(),
    };
    let phone = Phone(state.store.clone());
    let result = sync::sync(&remote, &phone, &options).await;
    let mut status = state.sync.status.get_untracked();
    let outcome = match result {
        Ok(report) => {
            let mut problems: Vec<Problem> = report
                .refused
                .iter()
                .map(|r| Problem {
                    id: r.id.clone(),
                    problem: r.problem.clone(),
                    sending: false,
                })
                .chain(report.rejected.iter().map(|f| Problem {
                    id: f.id.clone(),
                    problem: f.reason.clone(),
                    sending: true,
                }))
                .collect();
            problems.extend(
                status
                    .refused
                    .drain(..)
                    .filter(|old| !report.refused.iter().any(|r| r.id == old.id)),
            );
            problems.truncate(PROBLEMS_KEPT);
            status.refused = problems;
            status.last_synced = Some(now);
            status.problem = None;
            status.signed_out = false;
            status.waiting = waiting(&state).await.unwrap_or(0);
            let _ = push_status(
                &remote,
                &DeviceStatus {
                    carer: account.user.clone(),
                    device: install,
                    last_sync: now,
                    waiting: status.waiting as u64,
                    app_version: env!("CARGO_PKG_VERSION").to_string(),
                },
            )
            .await;
            if report.received > 0 {
                if let Ok(people) = state.store.people().await {
                    state.people.set(people);
                }
                state.revision.update(|r| *r += 1);
            }
            Outcome::Done
        }
        Err(e) => {
            status.problem = Some(e.to_string());
            status.waiting = waiting(&state).await.unwrap_or(status.waiting);
            match e {
                SyncError::SignedOut => {
                    status.signed_out = true;
                    Outcome::Stop
                }
                SyncError::Unreachable(_) | SyncError::Server(_) => Outcome::Retry,
                SyncError::Forbidden | SyncError::NoDatabase | SyncError::Local(_) => Outcome::Stop,
            }
        }
    };
    let _ = state.store.set_setting(STATUS, &status).await;
    state.sync.status.set(status);
    outcome
}
