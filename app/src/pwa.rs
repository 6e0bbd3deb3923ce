//! The installable app: service-worker updates, the install prompt and
//! persistent storage, through a small JS module (`pwa.js`).

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/pwa.js")]
extern "C" {
    #[wasm_bindgen(js_name = registerServiceWorker)]
    fn register_service_worker(on_update_ready: &Closure<dyn FnMut()>) -> bool;
    #[wasm_bindgen(js_name = applyUpdate)]
    fn apply_update_js();
    #[wasm_bindgen(js_name = listenForInstall)]
    fn listen_for_install(on_available: &Closure<dyn FnMut()>, on_installed: &Closure<dyn FnMut()>);
    #[wasm_bindgen(js_name = promptInstall)]
    async fn prompt_install_js() -> JsValue;
    #[wasm_bindgen(js_name = isStandalone)]
    fn is_standalone() -> bool;
    #[wasm_bindgen(js_name = isIos)]
    fn is_ios() -> bool;
    #[wasm_bindgen(js_name = persisted)]
    async fn persisted_js() -> JsValue;
    #[wasm_bindgen(js_name = requestPersist)]
    async fn request_persist_js() -> JsValue;
    #[wasm_bindgen(js_name = estimate)]
    async fn estimate_js() -> JsValue;
    #[wasm_bindgen(js_name = shareFile)]
    async fn share_file_js(name: &str, mime: &str, text: &str) -> JsValue;
    #[wasm_bindgen(js_name = shareText)]
    async fn share_text_js(title: &str, text: &str) -> JsValue;
}

/// Shares a file the carer asked to share (the phone's share sheet), or saves
/// it where sharing files isn't possible. Returns what happened, in words.
pub async fn share_or_download(name: &str, mime: &str, text: &str) -> Result<&'static str, String> {
    match share_file_js(name, mime, text).await.as_string().as_deref() {
        Some("shared") => Ok("Shared"),
        Some("cancelled") => Ok("Not shared"),
        _ => crate::browser::download(name, mime, text).map(|()| "Saved to this phone's downloads"),
    }
}

/// Shares text as a message, or copies it where sharing isn't possible.
pub async fn share_text(title: &str, text: &str) -> Result<&'static str, String> {
    match share_text_js(title, text).await.as_string().as_deref() {
        Some("shared") => Ok("Shared"),
        Some("copied") => Ok("Copied: paste it into a message"),
        Some("cancelled") => Ok("Not shared"),
        _ => Err(
            "This browser can't share or copy text. Select the words and copy them instead.".into(),
        ),
    }
}

/// Whether the browser keeps Hearth's storage even when the phone runs low.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Persistence {
    /// Not asked yet, or still asking.
    Unknown,
    /// Granted: the browser won't clear it on its own.
    Granted,
    /// Not granted: the browser may clear it when space runs low.
    NotGranted,
    /// This browser can't say.
    Unsupported,
}

/// The app-wide state of installation, updates and storage.
#[derive(Clone, Copy)]
pub struct Pwa {
    /// A new version has been downloaded and waits for "Reload".
    pub update_ready: RwSignal<bool>,
    /// The browser offered to install (Chromium's `beforeinstallprompt`).
    pub can_install: RwSignal<bool>,
    /// Running from the home screen.
    pub installed: RwSignal<bool>,
    /// An iPhone or iPad, where installing is "Share, Add to Home Screen".
    pub ios: bool,
    /// Persistent storage.
    pub persistence: RwSignal<Persistence>,
    /// Bytes used and available, when the browser says.
    pub usage: RwSignal<Option<(f64, f64)>>,
}

impl Pwa {
    /// Starts listening; call once at start-up.
    pub fn start() -> Pwa {
        let pwa = Pwa {
            update_ready: RwSignal::new(false),
            can_install: RwSignal::new(false),
            installed: RwSignal::new(is_standalone()),
            ios: is_ios(),
            persistence: RwSignal::new(Persistence::Unknown),
            usage: RwSignal::new(None),
        };
        let on_update = Closure::<dyn FnMut()>::new(move || pwa.update_ready.set(true));
        register_service_worker(&on_update);
        on_update.forget();
        let on_available = Closure::<dyn FnMut()>::new(move || pwa.can_install.set(true));
        let on_installed = Closure::<dyn FnMut()>::new(move || {
            pwa.can_install.set(false);
            pwa.installed.set(true);
        });
        listen_for_install(&on_available, &on_installed);
        on_available.forget();
        on_installed.forget();
        pwa.refresh_storage();
        pwa
    }

    /// Swaps to the downloaded version and reloads.
    pub fn apply_update(&self) {
        apply_update_js();
    }

    /// Shows the browser's install dialog.
    pub fn install(&self) {
        let pwa = *self;
        spawn_local(async move {
            if prompt_install_js().await.as_bool() == Some(true) {
                pwa.installed.set(true);
            }
            pwa.can_install.set(false);
        });
    }

    /// Asks the browser to keep Hearth's storage; some browsers decide at once
    /// without asking the carer.
    pub fn request_persistence(&self) {
        let pwa = *self;
        spawn_local(async move {
            pwa.persistence
                .set(read_persistence(request_persist_js().await));
        });
    }

    /// Reads whether storage is persistent and how much is used.
    pub fn refresh_storage(&self) {
        let pwa = *self;
        spawn_local(async move {
            pwa.persistence.set(read_persistence(persisted_js().await));
            let estimate = estimate_js().await;
            if let Some(pair) = estimate.dyn_ref::<js_sys::Array>() {
                let used = pair.get(0).as_f64().unwrap_or(0.0);
                let quota = pair.get(1).as_f64().unwrap_or(0.0);
                pwa.usage.set(Some((used, quota)));
            }
        });
    }
}

fn read_persistence(value: JsValue) -> Persistence {
    match value.as_bool() {
        Some(true) => Persistence::Granted,
        Some(false) => Persistence::NotGranted,
        None => Persistence::Unsupported,
    }
}
