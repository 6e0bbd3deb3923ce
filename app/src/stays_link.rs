//! The browser's part of the "My stays" link (core's `stays_link` does the
//! rest): sealing and opening the payload with AES-GCM through WebCrypto,
//! and drawing the link as a QR code.
//!
//! Every link has a fresh random 128-bit key, used for that one payload
//! only, so the nonce can be fixed (zeros) without ever repeating a
//! key-nonce pair. WebCrypto is reached through `Reflect`, which the app
//! already uses, rather than new bindings: the start-up script (inline in
//! the page) grows with every binding, and it has a budget.

use hearth_core::stays_link::{self, LinkError, Sealed, SentStays};
use js_sys::{Array, Function, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Calls `crypto.subtle[method](...args)` and waits for its promise.
async fn subtle(method: &str, args: &[JsValue]) -> Result<JsValue, JsValue> {
    let crypto = Reflect::get(&js_sys::global(), &"crypto".into())?;
    let subtle = Reflect::get(&crypto, &"subtle".into())?;
    let call: Function = Reflect::get(&subtle, &method.into())?.dyn_into()?;
    let args: Array = args.iter().collect();
    let promise: Promise = call.apply(&subtle, &args)?.dyn_into()?;
    JsFuture::from(promise).await
}

fn bytes(b: &[u8]) -> JsValue {
    Uint8Array::from(b).into()
}

async fn import(key: &[u8], usage: &str) -> Result<JsValue, JsValue> {
    let usages: Array = [JsValue::from(usage)].iter().collect();
    subtle(
        "importKey",
        &[
            "raw".into(),
            bytes(key),
            "AES-GCM".into(),
            false.into(),
            usages.into(),
        ],
    )
    .await
}

fn params(format: u8) -> Result<JsValue, JsValue> {
    let params = Object::new();
    Reflect::set(&params, &"name".into(), &"AES-GCM".into())?;
    Reflect::set(&params, &"iv".into(), &bytes(&[0; 12]))?;
    Reflect::set(
        &params,
        &"additionalData".into(),
        &bytes(&stays_link::additional_data(format)),
    )?;
    Ok(params.into())
}

/// The link to this app for `payload` (core's, of the current format).
pub async fn make_link(payload: &[u8]) -> Result<String, String> {
    let mut key = [0u8; stays_link::KEY_BYTES];
    crate::browser::random_bytes(&mut key);
    let sealed = async {
        let k = import(&key, "encrypt").await?;
        let out = subtle("encrypt", &[params(stays_link::FORMAT)?, k, bytes(payload)]).await?;
        Ok::<_, JsValue>(Uint8Array::new(&out).to_vec())
    }
    .await
    .map_err(|_| "This phone's browser couldn't make the link. Try again.".to_string())?;
    Ok(stays_link::link(&app_address(), &sealed, &key))
}

/// Opens a link's payload and reads it through core, giving back both: `Err`
/// if the link was changed (AES-GCM refuses it) or doesn't read.
pub async fn open(sealed: &Sealed) -> Result<(SentStays, Vec<u8>), LinkError> {
    let payload = async {
        let k = import(&sealed.key, "decrypt").await?;
        let out = subtle(
            "decrypt",
            &[params(sealed.format)?, k, bytes(&sealed.sealed)],
        )
        .await?;
        Ok::<_, JsValue>(Uint8Array::new(&out).to_vec())
    }
    .await
    .map_err(|_| LinkError::Damaged)?;
    Ok((SentStays::from_payload(sealed.format, &payload)?, payload))
}

/// This app's address, without a fragment: what the link opens.
pub fn app_address() -> String {
    let href = leptos::prelude::window()
        .location()
        .href()
        .unwrap_or_default();
    href.split('#').next().unwrap_or_default().to_string()
}

/// The link as a QR code, an SVG drawing (one path, a four-module quiet
/// zone, crisp edges) at the smallest version that holds it at level M;
/// core keeps every link within version 25.
pub fn qr_svg(link: &str, label: &str) -> Option<String> {
    use qrcode::{Color, EcLevel, QrCode};
    let code = QrCode::with_error_correction_level(link.as_bytes(), EcLevel::M).ok()?;
    let width = code.width();
    let colors = code.to_colors();
    let quiet = 4;
    let side = width + 2 * quiet;
    let mut path = String::with_capacity(width * width);
    for (y, row) in colors.chunks(width).enumerate() {
        let mut x = 0;
        while x < width {
            if row[x] == Color::Dark {
                let start = x;
                while x < width && row[x] == Color::Dark {
                    x += 1;
                }
                path.push_str(&format!(
                    "M{} {}h{}v1h-{}z",
                    start + quiet,
                    y + quiet,
                    x - start,
                    x - start
                ));
            } else {
                x += 1;
            }
        }
    }
    let label = label
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('"', "&quot;");
    Some(format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {side} {side}" role="img" aria-label="{label}" shape-rendering="crispEdges"><rect width="{side}" height="{side}" fill="#fff"/><path fill="#000" d="{path}"/></svg>"##
    ))
}
