//! The stays sent to this phone: what the person supported or their family
//! sees after opening a "My stays" link. Easy read, as "My stays" on the
//! carer's phone, and nothing of the carer's app around it: these screens
//! never open the carer's records (see `shell::Following`), so a link opened
//! on a carer's phone shows only what it carries, with or without the lock.

use crate::browser::{self, BrowserZone};
use crate::components::icons::{Icon, Svg};
use crate::pages::my_stays::Lines;
use crate::pwa::Pwa;
use crate::route::{navigate, Route};
use crate::storage::following::{Following, Kept};
use hearth_core::easy_read::{self, date_words};
use hearth_core::stays_link::{read_link, SentStays};
use hearth_core::{LocalZone, RecordId, StayStatus};
use leptos::prelude::*;
use leptos::task::spawn_local;

fn sent_on(sent: &SentStays) -> String {
    let local = sent.made.with_timezone(&BrowserZone.offset_at(sent.made));
    format!(
        "These stays were sent on {} at {}.",
        date_words(local.date_naive(), browser::today()),
        easy_read::time_words(local.time())
    )
}

/// A link just opened: read, opened and kept (unless this phone has newer
/// stays for the person), then shown. The address loses the link, so the
/// key isn't left in the browser's history.
#[component]
pub fn Opened(data: String) -> impl IntoView {
    let opened = LocalResource::new(move || {
        let data = data.clone();
        async move {
            let sealed = read_link(&data).map_err(|e| e.to_string())?;
            let (sent, payload) = crate::stays_link::open(&sealed)
                .await
                .map_err(|e| e.to_string())?;
            let following = Following::open().await.map_err(|e| e.to_string())?;
            let kept = following
                .keep(&sent, sealed.format, payload)
                .await
                .map_err(|e| e.to_string())?;
            let count = following.everyone().await.map(|e| e.len()).unwrap_or(1);
            Ok::<_, String>((sent, kept, count))
        }
    });
    view! {
        <Suspense fallback=|| view! { <main class="page easy-read"><p>"Opening the stays…"</p></main> }>
            {move || opened.get().map(|r| match r {
                Err(message) => view! {
                    <main class="page easy-read">
                        <h1 tabindex="-1">"This link didn't open"</h1>
                        <div class="banner banner-error" role="alert"><p>{message}</p></div>
                        <a class="btn btn-xl" href=Route::Following.href()>"Stays on this phone"</a>
                    </main>
                }.into_any(),
                Ok((sent, kept, count)) => {
                    let person = sent.person;
                    if let Ok(history) = window().history() {
                        let _ = history.replace_state_with_url(
                            &wasm_bindgen::JsValue::NULL,
                            "",
                            Some(&Route::Followed(person).href()),
                        );
                    }
                    let (shown, note) = match kept {
                        Kept::Saved => (sent, None),
                        Kept::HadNewer(newer) => (newer, Some(
                            "This link is older than the stays already on this phone, so Hearth kept the newer ones.".to_string(),
                        )),
                    };
                    view! { <StaysOf sent=shown note=note others={count > 1} /> }.into_any()
                }
            })}
        </Suspense>
    }
}

/// One followed person's stays, as kept on this phone.
#[component]
pub fn Theirs(person: RecordId) -> impl IntoView {
    let read = LocalResource::new(move || async move {
        let following = Following::open().await.map_err(|e| e.to_string())?;
        let sent = following.theirs(person).await.map_err(|e| e.to_string())?;
        let count = following.everyone().await.map(|e| e.len()).unwrap_or(1);
        Ok::<_, String>((sent, count))
    });
    view! {
        <Suspense fallback=|| view! { <main class="page easy-read"><p>"Getting the stays…"</p></main> }>
            {move || read.get().map(|r| match r {
                Ok((Some(sent), count)) => view! { <StaysOf sent=sent note=None others={count > 1} /> }.into_any(),
                Ok((None, _)) => view! {
                    <main class="page easy-read">
                        <h1 tabindex="-1">"Not on this phone"</h1>
                        <p>"These stays aren't on this phone any more."</p>
                        <a class="btn btn-xl" href=Route::Following.href()>"Stays on this phone"</a>
                    </main>
                }.into_any(),
                Err(message) => view! {
                    <main class="page easy-read"><div class="banner banner-error" role="alert"><p>{message}</p></div></main>
                }.into_any(),
            })}
        </Suspense>
    }
}

/// Everyone whose stays were sent to this phone; with only one person, their
/// stays straight away (what the home-screen icon opens).
#[component]
pub fn Everyone() -> impl IntoView {
    let read = LocalResource::new(|| async {
        Following::open()
            .await
            .map_err(|e| e.to_string())?
            .everyone()
            .await
            .map_err(|e| e.to_string())
    });
    view! {
        <Suspense fallback=|| view! { <main class="page easy-read"><p>"Getting the stays…"</p></main> }>
            {move || read.get().map(|r| match r {
                Ok(mut people) if people.len() == 1 => {
                    let only = people.remove(0);
                    view! { <StaysOf sent=only note=None others=false /> }.into_any()
                }
                r => view! {
                    <main class="page easy-read">
                        <h1 tabindex="-1">"Stays sent to this phone"</h1>
                        {match r {
                            Err(message) => view! { <div class="banner banner-error" role="alert"><p>{message}</p></div> }.into_any(),
                            Ok(people) if people.is_empty() => view! {
                                <ul class="easy-lines">
                                    <li><Svg icon=Icon::Calendar /><span>"There are no stays on this phone yet."</span></li>
                                    <li><Svg icon=Icon::Pencil /><span>"Open the link the carer sent you, or point your camera at their code."</span></li>
                                </ul>
                            }.into_any(),
                            Ok(people) => view! {
                                <ul class="list follow-list">
                                    {people.into_iter().map(|p| view! {
                                        <li><a class="btn btn-xl" href=Route::Followed(p.person).href()>
                                            {format!("{}'s stays", hearth_core::bidi::isolate(&p.name))}
                                            <span class="muted">{p.stays.first().map(|s| s.with_host()).unwrap_or_else(|| format!("with {}", hearth_core::bidi::isolate(&p.household)))}</span>
                                        </a></li>
                                    }).collect_view()}
                                </ul>
                            }.into_any(),
                        }}
                        <p class="muted">"Are you a Shared Lives carer? "<a href="#/">"Open your records"</a></p>
                    </main>
                }.into_any(),
            })}
        </Suspense>
    }
}

/// The easy-read stays of one followed person.
#[component]
fn StaysOf(sent: SentStays, note: Option<String>, others: bool) -> impl IntoView {
    let today = browser::today();
    let name = sent.name.clone();
    let shown = hearth_core::bidi::isolate(&name).into_owned();
    let (on, cancelled): (Vec<_>, Vec<_>) = sent
        .upcoming(today)
        .into_iter()
        .cloned()
        .partition(|s| s.status() != StayStatus::Cancelled);
    let first = on.first().cloned();
    let later: Vec<_> = on.iter().skip(1).cloned().collect();
    let pwa = use_context::<Pwa>();
    let stopping = RwSignal::new(false);
    let person = sent.person;
    let ring = sent.phone.clone().map(|number| {
        let dial: String = number
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == '+')
            .collect();
        view! {
            <a class="btn btn-xl" href=format!("tel:{dial}")>
                <Svg icon=Icon::Phone />{format!("Ring {number}")}
            </a>
        }
    });
    view! {
        <main class="page easy-read my-stays">
            <h1 tabindex="-1">{format!("{shown}'s stays")}</h1>
            {note.map(|n| view! { <div class="banner banner-flag" role="status"><p>{n}</p></div> })}
            {match first {
                None => view! {
                    <ul class="easy-lines"><li><Svg icon=Icon::Calendar /><span>"There are no stays planned yet."</span></li></ul>
                }.into_any(),
                Some(first) => view! {
                    <section class="next-stay" aria-label="Your next stay">
                        <Lines lines=easy_read::next_stay_lines(&first, &name, today) />
                    </section>
                    {(!later.is_empty()).then(|| view! {
                        <h2>"After that"</h2>
                        {later.iter().map(|s| view! {
                            <section class="later-stay"><Lines lines=easy_read::next_stay_lines(s, &name, today) /></section>
                        }).collect_view()}
                    })}
                }.into_any(),
            }}
            {(!cancelled.is_empty()).then(|| view! {
                <h2>"Cancelled"</h2>
                {cancelled.iter().map(|s| view! {
                    <section class="later-stay"><Lines lines=easy_read::next_stay_lines(s, &name, today) /></section>
                }).collect_view()}
            })}
            <ul class="easy-lines"><li><Svg icon=Icon::Clock /><span>{sent_on(&sent)}</span></li></ul>
            <div class="btn-stack">
                {ring}
                {pwa.map(|pwa| view! {
                    <Show when=move || pwa.can_install.get()>
                        <button class="btn btn-xl" on:click=move |_| pwa.install()>"Add to home screen"</button>
                    </Show>
                    <Show when=move || pwa.ios && !pwa.installed.get()>
                        <p>"To keep these stays on your home screen: tap Share, then Add to Home Screen."</p>
                    </Show>
                })}
                {others.then(|| view! { <a class="btn btn-xl" href=Route::Following.href()>"Everyone's stays"</a> })}
            </div>
            <div class="carer-exit">
                {move || if stopping.get() {
                    view! {
                        <p>{format!("Stop following {shown}? Their stays go from this phone. A new link brings them back.")}</p>
                        <div class="btn-row">
                            <button class="btn btn-danger" on:click=move |_| {
                                spawn_local(async move {
                                    if let Ok(following) = Following::open().await {
                                        let _ = following.stop(person).await;
                                    }
                                    navigate(&Route::Following);
                                });
                            }>"Yes, stop following"</button>
                            <button class="btn" on:click=move |_| stopping.set(false)>"Keep them"</button>
                        </div>
                    }.into_any()
                } else {
                    view! { <button class="btn btn-quiet" on:click=move |_| stopping.set(true)>{format!("Stop following {shown}")}</button> }.into_any()
                }}
            </div>
        </main>
    }
}
