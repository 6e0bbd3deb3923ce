//! The PIN lock on the repository: unlocking, locking, setting, changing and
//! removing the PIN, and the resumable pass that encrypts or decrypts every
//! stored row.

use super::crypt::{self, LockSettings, LockState, Tries, Unlock, LOCK, LOCK_TRIES};
use super::generations::FRESH;
use super::repo::{commit, PROFILE_KEY, RECORD_STORES, SETTINGS};
use super::{StorageError, Store};
use chrono::{DateTime, Utc};
use hearth_core::lock::pause_after;
use indexed_db_futures::prelude::*;
use indexed_db_futures::KeyRange;
use wasm_bindgen::JsValue;

type Result<T> = std::result::Result<T, StorageError>;

/// How a lock pass goes: rows per batch (each batch one transaction), and for
/// tests a stop after some batches, as if the tab had been closed.
#[derive(Debug, Clone, Copy)]
pub struct Pass {
    pub batch: u32,
    pub stop_after: Option<usize>,
}

impl Default for Pass {
    fn default() -> Self {
        Pass {
            batch: 200,
            stop_after: None,
        }
    }
}

/// How far a pass got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PassEnd {
    /// Every row is in its target form and the final state is stored.
    Done,
    /// Stopped early (`Pass::stop_after`); the next pass carries on.
    Stopped,
}

impl Store {
    /// The lock's stored settings.
    pub async fn lock_settings(&self) -> Result<LockSettings> {
        Ok(self.setting(LOCK).await?.unwrap_or_default())
    }

    /// The lock's state as this connection knows it.
    pub fn lock_state(&self) -> LockState {
        self.lock.state()
    }

    /// Whether the records cannot be read until a PIN is given.
    pub fn is_locked(&self) -> bool {
        self.lock.state().needs_pin() && self.lock.key().is_none()
    }

    /// Drops the data key from memory. Reads and writes then fail with
    /// `Locked` until [`Store::unlock`].
    pub fn lock(&self) {
        self.lock.forget();
    }

    /// Wrong tries so far, and any pause they earned.
    pub async fn lock_tries(&self) -> Result<Tries> {
        Ok(self.setting(LOCK_TRIES).await?.unwrap_or_default())
    }

    /// Tries `pin`. A wrong one is counted in storage (so reloading does not
    /// reset the pause); a right one clears the count.
    pub async fn unlock(&self, pin: &str, now: DateTime<Utc>) -> Result<Unlock> {
        let tries = self.lock_tries().await?;
        if let Some(until) = tries.paused_until.filter(|until| *until > now) {
            return Ok(Unlock::Paused { until });
        }
        let settings = self.lock_settings().await?;
        let Some(wrapping) = settings.wrapping.as_ref() else {
            return Ok(Unlock::Opened);
        };
        match crypt::unlock_key(pin, wrapping).await? {
            Some(key) => {
                self.lock.set_key(key);
                self.lock.set_state(settings.state);
                if tries != Tries::default() {
                    self.set_setting(LOCK_TRIES, &Tries::default()).await?;
                }
                Ok(Unlock::Opened)
            }
            None => {
                let failures = tries.failures.saturating_add(1);
                let paused_until = pause_after(failures).map(|pause| now + pause);
                self.set_setting(
                    LOCK_TRIES,
                    &Tries {
                        failures,
                        paused_until,
                    },
                )
                .await?;
                Ok(Unlock::Wrong {
                    failures,
                    paused_until,
                })
            }
        }
    }

    /// Sets a PIN (already checked by `hearth_core::lock::check_new_pin`):
    /// makes a data key, stores it wrapped with the state `Encrypting`, and
    /// keeps it in memory. [`Store::run_pass`] then encrypts every row.
    pub async fn turn_lock_on(&self, pin: &str) -> Result<()> {
        let settings = self.lock_settings().await?;
        if settings.state != LockState::Off {
            return Ok(());
        }
        let (wrapping, key) = crypt::new_key(pin).await?;
        let settings = LockSettings {
            state: LockState::Encrypting,
            wrapping: Some(wrapping),
            ..settings
        };
        // Stored first: a pass cut short resumes from this state.
        self.set_setting(LOCK, &settings).await?;
        self.lock.set_key(key);
        self.lock.set_state(LockState::Encrypting);
        Ok(())
    }

    /// Starts removing the PIN (which must be right): stores the state
    /// `Decrypting`. [`Store::run_pass`] then decrypts every row.
    pub async fn turn_lock_off(&self, pin: &str) -> Result<()> {
        let settings = self.lock_settings().await?;
        let Some(wrapping) = settings.wrapping.as_ref() else {
            return Ok(());
        };
        let key = crypt::unlock_key(pin, wrapping)
            .await?
            .ok_or(StorageError::WrongPin)?;
        self.lock.set_key(key);
        self.set_setting(
            LOCK,
            &LockSettings {
                state: LockState::Decrypting,
                ..settings
            },
        )
        .await?;
        self.lock.set_state(LockState::Decrypting);
        Ok(())
    }

    /// Wraps the same data key with a new PIN (no record is re-encrypted).
    pub async fn change_pin(&self, old_pin: &str, new_pin: &str) -> Result<()> {
        let settings = self.lock_settings().await?;
        let Some(wrapping) = settings.wrapping.as_ref() else {
            return Err(StorageError::WrongPin);
        };
        let wrapping = crypt::rewrap(old_pin, new_pin, wrapping)
            .await?
            .ok_or(StorageError::WrongPin)?;
        self.set_setting(
            LOCK,
            &LockSettings {
                wrapping: Some(wrapping),
                ..settings
            },
        )
        .await
    }

    /// Chooses how long without a touch before the app locks.
    pub async fn set_idle_secs(&self, secs: u32) -> Result<()> {
        let settings = self.lock_settings().await?;
        self.set_setting(
            LOCK,
            &LockSettings {
                idle_secs: secs,
                ..settings
            },
        )
        .await
    }

    /// Brings every row to the form the lock's state asks for (encrypted while
    /// `Encrypting`, clear while `Decrypting`), a batch per transaction, then
    /// stores the final state (`On` or `Off`). Safe to stop at any point and
    /// run again: rows already converted are skipped, and a row changed since
    /// it was read is left for the next round, which runs until a round
    /// converts nothing. `progress` gets (rows looked at, rows in all).
    pub async fn run_pass(&self, pass: Pass, progress: &dyn Fn(usize, usize)) -> Result<PassEnd> {
        let settings = self.lock_settings().await?;
        let seal = match settings.state {
            LockState::Encrypting => true,
            LockState::Decrypting => false,
            LockState::On | LockState::Off => return Ok(PassEnd::Done),
        };
        let key = self.lock.key().ok_or(StorageError::Locked)?;
        let mut total = 1;
        for name in RECORD_STORES {
            let tx = self.db.transaction(name).build()?;
            let count = tx.object_store(name)?.count().primitive()?.await?;
            total += count as usize;
        }
        let mut batches = 0;
        loop {
            let mut seen = 0;
            let mut converted = 0;
            for name in RECORD_STORES {
                let mut after: Option<String> = None;
                loop {
                    let rows = self.read_batch(name, after.as_deref(), pass.batch).await?;
                    let Some(last) = rows.last() else { break };
                    after = row_id(last);
                    seen += rows.len();
                    let todo: Vec<JsValue> = rows
                        .into_iter()
                        .filter(|row| crypt::is_sealed(row) != seal)
                        .collect();
                    if !todo.is_empty() {
                        let done = if seal {
                            crypt::seal_rows(&key, todo.clone()).await?
                        } else {
                            crypt::open_rows(&key, todo.clone()).await?
                        };
                        converted += self.replace_unchanged(name, &todo, done).await?;
                        batches += 1;
                        if pass.stop_after.is_some_and(|stop| batches >= stop) {
                            return Ok(PassEnd::Stopped);
                        }
                    }
                    progress(seen.min(total), total);
                    // Let the screen breathe between batches.
                    gloo::timers::future::TimeoutFuture::new(0).await;
                }
            }
            converted += self.convert_profile(seal).await?;
            seen += 1;
            progress(seen.min(total), total);
            if converted == 0 {
                break;
            }
        }
        let state = if seal { LockState::On } else { LockState::Off };
        let settings = LockSettings {
            state,
            wrapping: if seal { settings.wrapping } else { None },
            ..settings
        };
        // Rows were clear in this database until now, so it is no longer
        // fresh (see `Store::needs_move`).
        let tx = self.write(&[SETTINGS])?;
        {
            let store = tx.object_store(SETTINGS)?;
            store
                .put(&settings)
                .with_key(LOCK.to_string())
                .without_key_type()
                .serde()?
                .await?;
            store.delete(FRESH.to_string()).primitive()?.await?;
        }
        commit(tx).await?;
        self.lock.set_state(state);
        Ok(PassEnd::Done)
    }

    async fn read_batch(
        &self,
        name: &str,
        after: Option<&str>,
        batch: u32,
    ) -> Result<Vec<JsValue>> {
        let tx = self.db.transaction(name).build()?;
        let store = tx.object_store(name)?;
        let rows = match after {
            None => store.get_all().with_limit(batch).primitive()?.await?,
            Some(after) => {
                store
                    .get_all()
                    .with_query::<String, _>(KeyRange::LowerBound(after.to_string(), true))
                    .with_limit(batch)
                    .primitive()?
                    .await?
            }
        };
        Ok(rows.collect::<std::result::Result<Vec<JsValue>, _>>()?)
    }

    /// Writes each converted row in one transaction, but only where the stored
    /// row is still the one that was read (same revision, same form): a record
    /// saved meanwhile is never overwritten by its older self.
    async fn replace_unchanged(
        &self,
        name: &str,
        before: &[JsValue],
        after: Vec<JsValue>,
    ) -> Result<usize> {
        let tx = self.write(&[name])?;
        let mut written = 0;
        {
            let store = tx.object_store(name)?;
            for (old, new) in before.iter().zip(after) {
                let Some(id) = row_id(old) else { continue };
                let now: Option<JsValue> = store.get(id).primitive()?.await?;
                let same = now.as_ref().is_some_and(|now| {
                    crypt::rev_of(now) == crypt::rev_of(old)
                        && crypt::is_sealed(now) == crypt::is_sealed(old)
                });
                if same {
                    store.put(new).primitive()?;
                    written += 1;
                }
            }
        }
        commit(tx).await?;
        Ok(written)
    }

    /// The carer's profile, in the settings store, converted like a row.
    async fn convert_profile(&self, seal: bool) -> Result<usize> {
        let raw: Option<JsValue> = {
            let tx = self.db.transaction(SETTINGS).build()?;
            tx.object_store(SETTINGS)?
                .get(PROFILE_KEY)
                .primitive()?
                .await?
        };
        let Some(raw) = raw.filter(|raw| crypt::is_sealed(raw) != seal) else {
            return Ok(0);
        };
        let record = self.profile().await?.ok_or(StorageError::NotFound)?;
        let rev = record.rev();
        let value = self.profile_value(&record).await?;
        let tx = self.write(&[SETTINGS])?;
        {
            let store = tx.object_store(SETTINGS)?;
            let now: Option<JsValue> = store.get(PROFILE_KEY).primitive()?.await?;
            let same = now.as_ref().is_some_and(|now| {
                crypt::is_sealed(now) == crypt::is_sealed(&raw)
                    && super::repo::profile_rev(now) == Some(f64::from(rev))
            });
            if !same {
                return Ok(1);
            }
            store
                .put(value)
                .with_key(PROFILE_KEY.to_string())
                .without_key_type()
                .primitive()?;
        }
        commit(tx).await?;
        Ok(1)
    }
}

fn row_id(row: &JsValue) -> Option<String> {
    let rec = js_sys::Reflect::get(row, &"rec".into()).ok()?;
    js_sys::Reflect::get(&rec, &"id".into()).ok()?.as_string()
}
