//! End-to-end journeys through the built app (`dist/`), served on 127.0.0.1
//! and driven in headless Chromium over WebDriver at a phone's size; the core
//! journey also in WebKitGTK and Firefox ESR (`engines.rs`).
//!
//! `./hearth test` builds `dist/` and runs these with `HEARTH_DIST` set.

mod backup;
mod engines;
mod follow;
mod harness;
mod journey;
mod lock;
mod medicines;
mod offline;
mod scheme;
mod screens;
mod stays;
mod sync;
mod sync_bench;
mod sync_cut;
mod update;
mod wellbeing;
