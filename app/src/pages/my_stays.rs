//! "My stays": the easy-read view for the person and their family. Large
//! text, one idea a line, an icon beside each line, no records of care. The
//! carer hands the phone over or shares it; leaving takes two deliberate taps.

use crate::browser;
use crate::components::icons::{Icon, Svg};
use crate::components::nav::CarerExit;
use crate::pwa;
use crate::route::Route;
use crate::state::AppState;
use hearth_core::easy_read::{self, Line};
use hearth_core::{ical, PlannedStay, Record, RecordId};
use leptos::prelude::*;
use leptos::task::spawn_local;

fn icon(i: easy_read::Icon) -> Icon {
    match i {
        easy_read::Icon::Calendar => Icon::Calendar,
        easy_read::Icon::House => Icon::Home,
        easy_read::Icon::Moon => Icon::Moon,
        easy_read::Icon::Clock => Icon::Clock,
        easy_read::Icon::Note => Icon::Pencil,
        easy_read::Icon::Bag => Icon::Bag,
    }
}

#[component]
pub fn Lines(lines: Vec<Line>) -> impl IntoView {
    view! {
        <ul class="easy-lines">
            {lines.into_iter().map(|l| view! {
                <li><Svg icon=icon(l.icon) /><span>{l.text}</span></li>
            }).collect_view()}
        </ul>
    }
}

/// The My stays view.
#[component]
pub fn MyStays(person: RecordId) -> impl IntoView {
    let state = AppState::get();
    let Some(record) = state.person(person) else {
        return view! { <main class="page"><p>"This person isn't on this phone."</p></main> }
            .into_any();
    };
    // Core's words isolate the name themselves; the heading does it here.
    let name = record.body().preferred_name().to_string();
    let store = state.store.clone();
    let stays = LocalResource::new(move || {
        let store = store.clone();
        async move {
            let all = store.all::<PlannedStay>().await?;
            let theirs = all
                .into_iter()
                .filter(|s| s.is_live() && s.body().person_id() == person)
                .map(|s: Record<PlannedStay>| (s.id(), s.body().clone()))
                .collect();
            Ok::<_, crate::storage::StorageError>(easy_read::upcoming(theirs, browser::today()))
        }
    });
    let status = RwSignal::new(None::<String>);
    let title = record.body().display_name();
    let body_name = name.clone();
    view! {
        <main class="page easy-read my-stays">
            <crate::components::records::SampleLine person=person />
            <h1 tabindex="-1">{format!("{title}'s stays")}</h1>
            <Suspense fallback=|| view! { <p>"Getting your stays…"</p> }>
                {move || stays.get().map(|r| {
                    let name = body_name.clone();
                    match r {
                        Err(e) => view! { <div class="banner banner-error" role="alert"><p>{e.to_string()}</p></div> }.into_any(),
                        Ok(list) if list.is_empty() => view! {
                            <ul class="easy-lines"><li><Svg icon=Icon::Calendar /><span>"There are no stays planned yet."</span></li></ul>
                        }.into_any(),
                        Ok(list) => {
                            let today = browser::today();
                            let first = list[0].1.clone();
                            let later = list[1..].to_vec();
                            let all: Vec<PlannedStay> = list.iter().map(|(_, s)| s.clone()).collect();
                            let calendar_list = list.clone();
                            let share_name = name.clone();
                            let cal_name = name.clone();
                            view! {
                                <section class="next-stay" aria-label="Your next stay">
                                    <Lines lines=easy_read::next_stay_lines(&first, &name, today) />
                                </section>
                                {(!later.is_empty()).then(|| view! {
                                    <h2>"After that"</h2>
                                    {later.iter().map(|(_, s)| view! {
                                        <section class="later-stay"><Lines lines=easy_read::next_stay_lines(s, &name, today) /></section>
                                    }).collect_view()}
                                })}
                                <div class="btn-stack">
                                    <button class="btn btn-primary btn-xl" on:click=move |_| {
                                        let text = ical::stays_calendar(&calendar_list, &cal_name, browser::now());
                                        let file = format!("{}-stays.ics", cal_name.chars().filter(|c| c.is_alphanumeric()).collect::<String>());
                                        spawn_local(async move {
                                            let said = pwa::share_or_download(&file, "text/calendar", &text).await;
                                            status.set(Some(said.map(str::to_string).unwrap_or_else(|e| e)));
                                        });
                                    }>
                                        <Svg icon=Icon::Calendar />"Add to calendar"
                                    </button>
                                    <button class="btn btn-xl" on:click=move |_| {
                                        let text = easy_read::share_text(&all, &share_name, browser::today());
                                        let title = format!("{}'s stays", hearth_core::bidi::isolate(&share_name));
                                        spawn_local(async move {
                                            let said = pwa::share_text(&title, &text).await;
                                            status.set(Some(said.map(str::to_string).unwrap_or_else(|e| e)));
                                        });
                                    }>
                                        <Svg icon=Icon::Share />"Share as message"
                                    </button>
                                    <a class="btn btn-xl" href=Route::SendStays(person).href()>
                                        <Svg icon=Icon::Phone />{format!("Send to {}'s phone", hearth_core::bidi::isolate(&name))}
                                    </a>
                                </div>
                                <p role="status" aria-live="polite">{move || status.get()}</p>
                            }.into_any()
                        }
                    }
                })}
            </Suspense>
            <CarerExit back=Route::Person(person) />
        </main>
    }
    .into_any()
}
