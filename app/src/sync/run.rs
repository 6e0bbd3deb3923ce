//! The sync itself: requests to the scheme's CouchDB over `fetch`, signing
//! in and out, and one run of `hearth-core`'s replicator. Loaded after the
//! first screen (it is only called through `later::Task`).

use super::{Account, Outcome, Problem, Status, ACCOUNT, INSTALL, STATUS};
use crate::state::{AppState, RUNNING_VISITS};
use crate::storage::sync::{Phone, SAMPLE_IDS};
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
/// The settings key of the account last signed out of (keeping the records).
const PREVIOUS_ACCOUNT: &str = "sync_previous_account";
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

// The browser's `fetch` is reached through `Reflect` rather than web-sys's
// typed bindings: each typed binding adds its glue to the start-up script
// inside `index.html`, which must stay within one round trip.

fn get(target: &JsValue, key: &str) -> Result<JsValue, Unreachable> {
    js_sys::Reflect::get(target, &key.into()).map_err(unreachable)
}

fn object(members: &[(&str, &JsValue)]) -> js_sys::Object {
    let object = js_sys::Object::new();
    for (key, value) in members {
        let _ = js_sys::Reflect::set(&object, &(*key).into(), value);
    }
    object
}

/// Calls `target.method(...args)`.
fn call(target: &JsValue, method: &str, args: &[&JsValue]) -> Result<JsValue, Unreachable> {
    let function: js_sys::Function = get(target, method)?
        .dyn_into()
        .map_err(|_| Unreachable(format!("no {method}")))?;
    let args: js_sys::Array = args.iter().copied().collect();
    js_sys::Reflect::apply(&function, target, &args).map_err(unreachable)
}

async fn awaited(promise: JsValue) -> Result<JsValue, Unreachable> {
    JsFuture::from(js_sys::Promise::from(promise))
        .await
        .map_err(unreachable)
}

/// One request, with the session cookie, uncached, given up after
/// [`TIMEOUT_MS`]; a body that isn't JSON reads as `null`.
async fn request(url: &str, method: Method, body: Option<&Value>) -> Result<Answer, Unreachable> {
    let global: JsValue = js_sys::global().into();
    let constructor: js_sys::Function = get(&global, "AbortController")?
        .dyn_into()
        .map_err(|_| Unreachable("no AbortController".into()))?;
    let controller =
        js_sys::Reflect::construct(&constructor, &js_sys::Array::new()).map_err(unreachable)?;
    let json = JsValue::from_str("application/json");
    let mut headers = vec![("Accept", &json)];
    let text = body.map(|b| JsValue::from_str(&b.to_string()));
    if text.is_some() {
        headers.push(("Content-Type", &json));
    }
    let headers: JsValue = object(&headers).into();
    let verb = JsValue::from_str(match method {
        Method::Get => "GET",
        Method::Post => "POST",
        Method::Put => "PUT",
        Method::Delete => "DELETE",
    });
    let (include, no_store) = (JsValue::from_str("include"), JsValue::from_str("no-store"));
    let signal = get(&controller, "signal")?;
    let mut init = vec![
        ("method", &verb),
        ("credentials", &include),
        ("cache", &no_store),
        ("headers", &headers),
        ("signal", &signal),
    ];
    if let Some(text) = &text {
        init.push(("body", text));
    }
    let init: JsValue = object(&init).into();
    let timer = gloo::timers::callback::Timeout::new(TIMEOUT_MS, move || {
        let _ = call(&controller, "abort", &[]);
    });
    let response = awaited(call(&global, "fetch", &[&url.into(), &init])?).await?;
    let status = get(&response, "status")?.as_f64().unwrap_or(0.0) as u16;
    let text = awaited(call(&response, "text", &[])?)
        .await?
        .as_string()
        .unwrap_or_default();
    drop(timer);
    Ok(Answer {
        status,
        body: serde_json::from_str(&text).unwrap_or(Value::Null),
    })
}

/// The server's address as typed, made whole: `https://` added when no
/// scheme is given, no trailing slash. Plain `http://` is refused unless it
/// is this app's own address or the phone itself.
pub fn server_address(typed: &str) -> Result<String, String> {
    let not_address =
        || "That doesn't look like a web address. Check it and try again.".to_string();
    let typed = typed.trim().trim_end_matches('/');
    if typed.is_empty() {
        return Err("Enter the server address your scheme gave you.".into());
    }
    let whole = if typed.contains("://") {
        typed.to_string()
    } else {
        format!("https://{typed}")
    };
    let (scheme, rest) = whole.split_once("://").ok_or_else(not_address)?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = authority.rsplit_once(':').map_or(authority, |(h, _)| h);
    if host.is_empty() || whole.chars().any(char::is_whitespace) {
        return Err(not_address());
    }
    let origin = format!("{}://{authority}", scheme.to_ascii_lowercase());
    let own = get(&window().location().into(), "origin")
        .ok()
        .and_then(|o| o.as_string())
        .unwrap_or_default();
    let local = matches!(host, "localhost" | "127.0.0.1");
    match scheme.to_ascii_lowercase().as_str() {
        "https" => Ok(whole),
        "http" if origin == own || local => Ok(whole),
        "http" => Err("That address isn't secure (it starts with http://). Records only go to a server over https://: check the address with your scheme.".into()),
        _ => Err(not_address()),
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
    // What the phone knows of the records on the server holds for that
    // server's household only: signing in to another, every record is
    // offered to it afresh. (Signing in again to the same one, it holds.)
    let previous: Option<Account> = match store.setting(ACCOUNT).await {
        Ok(Some(account)) => Some(account),
        _ => store.setting(PREVIOUS_ACCOUNT).await.ok().flatten(),
    };
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
        if let Some(account) = state.sync.account.get_untracked() {
            store
                .set_setting(PREVIOUS_ACCOUNT, &account)
                .await
                .map_err(e)?;
        }
    } else {
        store.remove_household().await.map_err(e)?;
        // Nothing stays that was about the records removed: no visit in
        // progress, no sample list.
        store
            .set_setting(RUNNING_VISITS, &Vec::<hearth_core::RunningVisit>::new())
            .await
            .map_err(e)?;
        store
            .set_setting(SAMPLE_IDS, &hearth_core::sample::SampleIds::default())
            .await
            .map_err(e)?;
        state.running.set(Vec::new());
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
