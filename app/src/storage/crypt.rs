//! Encryption at rest: the PIN lock's stored settings and the WebCrypto calls
//! (in `crypt.js`) that seal rows before a write and open them after a read.
//!
//! A sealed row keeps its id, its revision number and its index keys (person
//! id, UTC time, local day) in the clear, so the object stores' key path and
//! indexes keep working; everything a person typed is inside `enc.ct`.

use super::StorageError;
use chrono::{DateTime, Utc};
use hearth_core::lock::{DEFAULT_IDLE_MINUTES, PBKDF2_ITERATIONS};
use serde::{Deserialize, Serialize};
use std::cell::{Cell, RefCell};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen(module = "/src/crypt.js")]
extern "C" {
    #[wasm_bindgen(catch, js_name = newKey)]
    async fn new_key_js(pin: &str, iterations: u32) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = unlockKey)]
    async fn unlock_key_js(
        pin: &str,
        wrapping: JsValue,
        extractable: bool,
    ) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = rewrap)]
    async fn rewrap_js(old_pin: &str, new_pin: &str, wrapping: JsValue)
        -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = sealRows)]
    async fn seal_rows_js(key: &JsValue, rows: js_sys::Array) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = openRows)]
    async fn open_rows_js(key: &JsValue, rows: js_sys::Array) -> Result<JsValue, JsValue>;
}

/// The settings key of the lock's settings.
pub const LOCK: &str = "lock";
/// The settings key of the wrong PIN tries (kept apart so counting a try never
/// rewrites the wrapped key).
pub const LOCK_TRIES: &str = "lock_tries";

/// Where the lock stands. `Encrypting` and `Decrypting` are a pass under way
/// (or interrupted, to be resumed after the next unlock).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LockState {
    /// No PIN; rows are clear.
    #[default]
    Off,
    /// A PIN is set; rows are being encrypted.
    Encrypting,
    /// A PIN is set; every row is encrypted.
    On,
    /// The PIN is being removed; rows are being decrypted.
    Decrypting,
}

impl LockState {
    /// Whether a PIN is needed to read the records.
    pub fn needs_pin(self) -> bool {
        self != LockState::Off
    }

    /// Whether writes are encrypted.
    pub fn seals(self) -> bool {
        matches!(self, LockState::Encrypting | LockState::On)
    }
}

/// The data key, wrapped by the key derived from the PIN.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Wrapping {
    /// PBKDF2's random salt (16 bytes).
    pub salt: Vec<u8>,
    /// PBKDF2-SHA256 iterations.
    pub iterations: u32,
    /// The AES-GCM nonce of the wrapping (12 bytes).
    pub iv: Vec<u8>,
    /// The wrapped data key.
    pub wrapped: Vec<u8>,
}

/// The lock's stored settings (settings key [`LOCK`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockSettings {
    pub state: LockState,
    /// Present whenever `state` is not `Off`.
    #[serde(default)]
    pub wrapping: Option<Wrapping>,
    /// Lock after this long without a touch or key press.
    #[serde(default = "default_idle_secs")]
    pub idle_secs: u32,
}

fn default_idle_secs() -> u32 {
    DEFAULT_IDLE_MINUTES * 60
}

impl Default for LockSettings {
    fn default() -> Self {
        LockSettings {
            state: LockState::Off,
            wrapping: None,
            idle_secs: default_idle_secs(),
        }
    }
}

/// Wrong PIN tries in a row (settings key [`LOCK_TRIES`]), kept in storage so
/// a reload does not reset the pause.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tries {
    pub failures: u32,
    #[serde(default)]
    pub paused_until: Option<DateTime<Utc>>,
}

/// What unlocking came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unlock {
    /// The PIN was right; records can be read.
    Opened,
    /// The PIN was wrong; `failures` in a row so far, and a pause if that many
    /// earn one.
    Wrong {
        failures: u32,
        paused_until: Option<DateTime<Utc>>,
    },
    /// Still paused after earlier wrong tries; the PIN was not tried.
    Paused { until: DateTime<Utc> },
}

/// The in-memory side of the lock, shared by every clone of a `Store`.
#[derive(Debug, Default)]
pub(crate) struct KeyCell {
    key: RefCell<Option<JsValue>>,
    state: Cell<LockState>,
}

impl KeyCell {
    pub fn state(&self) -> LockState {
        self.state.get()
    }

    pub fn set_state(&self, state: LockState) {
        self.state.set(state);
        if state == LockState::Off {
            self.forget();
        }
    }

    pub fn key(&self) -> Option<JsValue> {
        self.key.borrow().clone()
    }

    pub fn set_key(&self, key: JsValue) {
        *self.key.borrow_mut() = Some(key);
    }

    pub fn forget(&self) {
        *self.key.borrow_mut() = None;
    }
}

fn crypto_error(e: JsValue) -> StorageError {
    let detail = e
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| format!("{e:?}"));
    StorageError::Other(format!("encryption: {detail}"))
}

pub(crate) fn to_js<V: Serialize>(value: &V) -> Result<JsValue, StorageError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true))
        .map_err(|e| StorageError::Other(e.to_string()))
}

pub(crate) fn from_js<V: serde::de::DeserializeOwned>(value: JsValue) -> Result<V, StorageError> {
    serde_wasm_bindgen::from_value(value).map_err(|e| StorageError::Other(e.to_string()))
}

/// A new data key wrapped with `pin`: what to store, and the key to keep in memory.
pub(crate) async fn new_key(pin: &str) -> Result<(Wrapping, JsValue), StorageError> {
    let made = new_key_js(pin, PBKDF2_ITERATIONS)
        .await
        .map_err(crypto_error)?;
    let wrapping = js_sys::Reflect::get(&made, &"wrapping".into()).map_err(crypto_error)?;
    let key = js_sys::Reflect::get(&made, &"key".into()).map_err(crypto_error)?;
    Ok((from_js(wrapping)?, key))
}

/// The data key if `pin` is right.
pub(crate) async fn unlock_key(
    pin: &str,
    wrapping: &Wrapping,
) -> Result<Option<JsValue>, StorageError> {
    let key = unlock_key_js(pin, to_js(wrapping)?, false)
        .await
        .map_err(crypto_error)?;
    Ok((!key.is_null()).then_some(key))
}

/// The same data key wrapped with `new_pin`, if `old_pin` is right.
pub(crate) async fn rewrap(
    old_pin: &str,
    new_pin: &str,
    wrapping: &Wrapping,
) -> Result<Option<Wrapping>, StorageError> {
    let wrapped = rewrap_js(old_pin, new_pin, to_js(wrapping)?)
        .await
        .map_err(crypto_error)?;
    if wrapped.is_null() {
        Ok(None)
    } else {
        from_js(wrapped).map(Some)
    }
}

/// Whether a stored row (or the stored profile) is encrypted.
pub(crate) fn is_sealed(row: &JsValue) -> bool {
    js_sys::Reflect::get(row, &"enc".into()).is_ok_and(|v| !v.is_undefined())
}

/// The row's revision number (clear in both forms).
pub(crate) fn rev_of(row: &JsValue) -> Option<f64> {
    let rec = js_sys::Reflect::get(row, &"rec".into()).ok()?;
    js_sys::Reflect::get(&rec, &"rev".into()).ok()?.as_f64()
}

/// Encrypts rows (`{ rec, k }`); encrypted ones pass through.
pub(crate) async fn seal_rows(
    key: &JsValue,
    rows: Vec<JsValue>,
) -> Result<Vec<JsValue>, StorageError> {
    let out = seal_rows_js(key, rows.into_iter().collect())
        .await
        .map_err(crypto_error)?;
    Ok(out.unchecked_into::<js_sys::Array>().iter().collect())
}

/// Decrypts rows; clear ones pass through.
pub(crate) async fn open_rows(
    key: &JsValue,
    rows: Vec<JsValue>,
) -> Result<Vec<JsValue>, StorageError> {
    let out = open_rows_js(key, rows.into_iter().collect())
        .await
        .map_err(|_| {
            StorageError::Other(
                "a record could not be decrypted (it may have been damaged)".to_string(),
            )
        })?;
    Ok(out.unchecked_into::<js_sys::Array>().iter().collect())
}
