//! What only the browser knows: the clock, the phone's time zone and locale,
//! and randomness. Core takes all of these as arguments.

use chrono::{DateTime, FixedOffset, NaiveDateTime, Utc};
use hearth_core::{LocalZone, RecordId};
use wasm_bindgen::JsValue;

/// The phone's clock, now.
pub fn now() -> DateTime<Utc> {
    DateTime::from_timestamp_millis(js_sys::Date::now() as i64).unwrap_or_default()
}

/// A fresh random record id, from `crypto.getRandomValues` (which, unlike
/// `crypto.randomUUID`, works outside secure contexts too).
pub fn new_id() -> RecordId {
    let mut bytes = [0u8; 16];
    random_bytes(&mut bytes);
    RecordId::from_random_bytes(bytes)
}

/// Fills `bytes` from `crypto.getRandomValues`.
pub fn random_bytes(bytes: &mut [u8]) {
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .and_then(|c| c.get_random_values_with_u8_array(bytes).ok())
        .is_some();
    assert!(filled, "the browser has no crypto.getRandomValues");
}

/// The phone's time zone, as JavaScript's `Date` applies it (clock changes included).
#[derive(Debug, Clone, Copy, Default)]
pub struct BrowserZone;

fn offset_minutes_west(date: &js_sys::Date) -> i32 {
    date.get_timezone_offset() as i32
}

fn fixed(minutes_west: i32) -> FixedOffset {
    FixedOffset::west_opt(minutes_west * 60).unwrap_or(FixedOffset::east_opt(0).expect("zero"))
}

impl LocalZone for BrowserZone {
    fn offset_at(&self, instant: DateTime<Utc>) -> FixedOffset {
        let date = js_sys::Date::new(&JsValue::from_f64(instant.timestamp_millis() as f64));
        fixed(offset_minutes_west(&date))
    }

    fn offset_for_local(&self, local: NaiveDateTime) -> FixedOffset {
        use chrono::{Datelike, Timelike};
        let date = js_sys::Date::new_with_year_month_day_hr_min_sec(
            local.year() as u32,
            local.month0() as i32,
            local.day() as i32,
            local.hour() as i32,
            local.minute() as i32,
            local.second() as i32,
        );
        fixed(offset_minutes_west(&date))
    }
}

/// Today's date where the phone is.
pub fn today() -> chrono::NaiveDate {
    BrowserZone.to_local(now()).date_naive()
}

/// True when the phone's locale writes times as "2:05pm" rather than "14:05".
///
/// Building the browser's formatter is slow (about 18 ms on a fast machine,
/// four times that on an old phone, on the first screen that shows a time),
/// so the answer is asked once per language and kept in `localStorage`: not a
/// record, only what the browser said about its own locale.
pub fn prefers_twelve_hour() -> bool {
    thread_local! {
        static TWELVE_HOUR: bool = remembered_twelve_hour();
    }
    TWELVE_HOUR.with(|t| *t)
}

fn remembered_twelve_hour() -> bool {
    let window = web_sys::window();
    let language = window
        .as_ref()
        .and_then(|w| w.navigator().language())
        .unwrap_or_default();
    let key = format!("hearth-hour12:{language}");
    let storage = window.and_then(|w| w.local_storage().ok().flatten());
    if let Some(known) = storage
        .as_ref()
        .and_then(|s| s.get_item(&key).ok().flatten())
    {
        return known == "12";
    }
    let twelve = ask_twelve_hour();
    if let Some(storage) = storage {
        // Private browsing may refuse: then it is asked again next time.
        let _ = storage.set_item(&key, if twelve { "12" } else { "24" });
    }
    twelve
}

/// The locale's own answer. `hour12` is only resolved for a format that shows
/// the hour, so the format asks for one.
fn ask_twelve_hour() -> bool {
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"hour".into(), &"numeric".into());
    let resolved =
        js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &options).resolved_options();
    js_sys::Reflect::get(&resolved, &JsValue::from_str("hour12"))
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}

/// Saves `content` as a file on the phone (the browser's download), for
/// exports the carer asked for. Nothing is sent anywhere.
pub fn download(filename: &str, mime: &str, content: &str) -> Result<(), String> {
    use wasm_bindgen::JsCast;
    let fail = |e: JsValue| format!("Couldn't save the file: {e:?}");
    let parts = js_sys::Array::of1(&JsValue::from_str(content));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(fail)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(fail)?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let link: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(fail)?
        .dyn_into()
        .map_err(|_| "no link element".to_string())?;
    link.set_href(&url);
    link.set_download(filename);
    link.click();
    // Some browsers read the file after the click returns: free it later.
    gloo::timers::callback::Timeout::new(30_000, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    })
    .forget();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

    wasm_bindgen_test_configure!(run_in_browser);

    /// Times are written the phone's way: the test browser's locale (en-US in
    /// the headless Chromium) writes "2:05pm". The answer is remembered for
    /// the language, and a remembered answer is used as it is.
    #[wasm_bindgen_test]
    fn times_follow_the_locale_and_the_answer_is_remembered() {
        let expected = js_sys::eval(
            "new Intl.DateTimeFormat([], { hour: 'numeric' }).resolvedOptions().hour12 === true",
        )
        .unwrap()
        .as_bool()
        .unwrap();
        let window = web_sys::window().unwrap();
        let key = format!("hearth-hour12:{}", window.navigator().language().unwrap());
        let storage = window.local_storage().unwrap().unwrap();
        storage.remove_item(&key).unwrap();
        assert_eq!(remembered_twelve_hour(), expected);
        let kept = storage.get_item(&key).unwrap();
        assert_eq!(kept.as_deref(), Some(if expected { "12" } else { "24" }));
        storage
            .set_item(&key, if expected { "24" } else { "12" })
            .unwrap();
        assert_eq!(
            remembered_twelve_hour(),
            !expected,
            "the remembered answer is used"
        );
        storage.remove_item(&key).unwrap();
    }
}
