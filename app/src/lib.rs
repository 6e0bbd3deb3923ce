//! Hearth in the browser. See ARCHITECTURE.md for the layers; this crate holds
//! the screens, the IndexedDB storage and the service-worker glue, and asks
//! `hearth-core` for every rule.

pub mod browser;
pub mod components;
pub mod later;
pub mod lock;
pub mod pages;
pub mod pwa;
pub mod route;
pub mod shell;
pub mod state;
pub mod stays_link;
pub mod storage;
pub mod sync;

/// Mounts the app over the static shell in `index.html`.
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(shell::Root);
}
