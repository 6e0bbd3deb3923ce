//! "Send to Meg's phone": a person's upcoming stays as a link and a QR code,
//! for the person or their family to open on their own phone, with no
//! account and no server (see `hearth_core::stays_link`).

use crate::browser;
use crate::components::form::{Field, FormSignals, Kind};
use crate::components::icons::{Icon, Svg};
use crate::components::nav::PageHeader;
use crate::pwa;
use crate::route::Route;
use crate::state::AppState;
use crate::stays_link::{make_link, qr_svg};
use hearth_core::stays_link::{self, phone_number, SentStays};
use hearth_core::{PlannedStay, RecordId};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The number to ring last put in a link, kept on this phone.
const SEND_PHONE: &str = "send_phone";

/// A link made.
#[derive(Clone)]
struct Made {
    link: String,
    svg: String,
    stays: usize,
    left_out: usize,
    last: Option<chrono::NaiveDate>,
}

async fn make(
    state: AppState,
    person: RecordId,
    name: String,
    phone: Option<String>,
) -> Result<Made, String> {
    let all = state
        .store
        .all::<PlannedStay>()
        .await
        .map_err(|e| e.to_string())?;
    let live = all
        .into_iter()
        .filter(|s| s.is_live())
        .map(|s| s.body().clone());
    let sent = SentStays::for_person(
        person,
        &name,
        &state.household(),
        phone.as_deref(),
        live,
        browser::today(),
        browser::now(),
    );
    let (sent, payload, left_out) = stays_link::fit(sent, &crate::stays_link::app_address());
    let link = make_link(&payload).await?;
    let label = format!(
        "QR code for the link to {}'s stays",
        hearth_core::bidi::isolate(&name)
    );
    let svg =
        qr_svg(&link, &label).ok_or("The link is too long for a QR code. Share it instead.")?;
    Ok(Made {
        svg,
        stays: sent.stays.len(),
        left_out,
        last: sent.stays.last().map(PlannedStay::departure),
        link,
    })
}

/// Copies text to the clipboard; says what happened.
async fn copy(text: &str) -> &'static str {
    use js_sys::Reflect;
    let done = async {
        let navigator = Reflect::get(&js_sys::global(), &"navigator".into())?;
        let clipboard = Reflect::get(&navigator, &"clipboard".into())?;
        let write: js_sys::Function = Reflect::get(&clipboard, &"writeText".into())?.into();
        let promise: js_sys::Promise = write.call1(&clipboard, &text.into())?.into();
        wasm_bindgen_futures::JsFuture::from(promise).await
    };
    match done.await {
        Ok(_) => "Copied. Paste it into a message to the person or their family.",
        Err(_) => "This browser wouldn't copy the link. Use Share instead.",
    }
}

/// The send screen for one person.
#[component]
pub fn SendStays(person: RecordId) -> impl IntoView {
    let state = AppState::get();
    let Some(record) = state.person(person) else {
        return view! {
            <PageHeader title="Send stays" back=Route::Stays />
            <main class="page"><p>"This person isn't on this phone."</p></main>
        }
        .into_any();
    };
    let name = record.body().preferred_name().to_string();
    let shown = record.body().display_name();
    let phone = RwSignal::new(String::new());
    let form = FormSignals::new();
    let errors = form.errors;
    let made = RwSignal::new(None::<Result<Made, String>>);
    let status = RwSignal::new(None::<String>);
    let run = {
        let (state, name) = (state.clone(), name.clone());
        move |number: Option<String>| {
            let (state, name) = (state.clone(), name.clone());
            made.set(None);
            status.set(None);
            spawn_local(async move {
                made.set(Some(make(state, person, name, number).await));
            });
        }
    };
    // The number last given, then the link at once.
    {
        let (state, run) = (state.clone(), run.clone());
        spawn_local(async move {
            let kept: Option<String> = state.store.setting(SEND_PHONE).await.ok().flatten();
            if let Some(n) = &kept {
                phone.set(n.clone());
            }
            run(kept);
        });
    }
    let update = {
        let (state, run) = (state.clone(), run.clone());
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let typed = phone.get_untracked();
            let checked = if typed.trim().is_empty() {
                Ok(None)
            } else {
                phone_number(&typed).map(Some)
            };
            let Some(number) = form.check(checked) else {
                return;
            };
            let store = state.store.clone();
            let keep = number.clone();
            spawn_local(async move {
                let _ = store.set_setting(SEND_PHONE, &keep).await;
            });
            run(number);
        }
    };
    let share_name = name.clone();
    let title = format!("Send {shown}'s stays");
    view! {
        <PageHeader title=title back=Route::MyStays(person) />
        <main class="page send-stays">
            <p>{format!("This makes a link to {shown}'s stays still to come: the dates and times, whether each is confirmed or cancelled, and your notes for them. Nothing else from Hearth goes in it.")}</p>
            <div class="banner banner-flag" role="note">
                <p>{format!("Anyone with the link can read these stays. Send it only to {shown} and their family.")}</p>
            </div>
            {move || match made.get() {
                None => view! { <p class="muted" role="status">"Making the link…"</p> }.into_any(),
                Some(Err(e)) => view! { <div class="banner banner-error" role="alert"><p>{e}</p></div> }.into_any(),
                Some(Ok(m)) => {
                    let (link, share_link) = (m.link.clone(), m.link.clone());
                    let share_name = share_name.clone();
                    let holds = match (m.stays, m.last) {
                        (0, _) | (_, None) => "There are no stays to come yet: the link says so. Send a new one when a stay is planned.".to_string(),
                        (1, _) => "The link holds the 1 stay to come.".to_string(),
                        (n, Some(last)) => format!("The link holds {n} stays, up to {}.", hearth_core::easy_read::date_words(last, browser::today())),
                    };
                    view! {
                        <section class="qr-panel" aria-label="The link">
                            <p>"On their phone, they open the camera and point it at this code."</p>
                            <div class="qr" inner_html=m.svg></div>
                            <p role="status">{holds}</p>
                            {(m.left_out > 0).then(|| view! {
                                <p class="banner banner-flag" role="note">{format!(
                                    "{} later {} didn't fit in one code. Send a new link nearer the time.",
                                    m.left_out,
                                    if m.left_out == 1 { "stay" } else { "stays" }
                                )}</p>
                            })}
                            <div class="btn-stack">
                                <button class="btn btn-primary" on:click=move |_| {
                                    let (link, title) = (share_link.clone(), format!("{}'s stays", hearth_core::bidi::isolate(&share_name)));
                                    spawn_local(async move {
                                        let said = pwa::share_text(&title, &link).await;
                                        status.set(Some(said.map(str::to_string).unwrap_or_else(|e| e)));
                                    });
                                }><Svg icon=Icon::Share />"Share the link"</button>
                                <button class="btn" on:click=move |_| {
                                    let link = link.clone();
                                    spawn_local(async move { status.set(Some(copy(&link).await.to_string())); });
                                }>"Copy the link"</button>
                            </div>
                            <p role="status" aria-live="polite">{move || status.get()}</p>
                            <p class="muted">"A stay changed later reaches them when you send a new link. A newer link replaces this one on their phone."</p>
                        </section>
                    }.into_any()
                }
            }}
            <form class="form" on:submit=update autocomplete="off" novalidate>
                <Field
                    label="A number they can ring".into()
                    name="phone"
                    value=phone
                    errors=errors
                    kind=Kind::Tel
                    optional=true
                    hint="Shown with the stays, to tap and ring."
                    autocomplete="off"
                />
                <button type="submit" class="btn">"Make a new link with this number"</button>
            </form>
        </main>
    }
    .into_any()
}
