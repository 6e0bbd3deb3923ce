//! The frame around every screen: the page header, the bottom navigation bar,
//! notices and the confirmation toast.

use crate::components::icons::{Icon, Svg};
use crate::route::{navigate, Route, Tab};
use crate::state::AppState;
use leptos::html;
use leptos::prelude::*;
use leptos::tachys::html::attribute::custom::custom_attribute;

/// A link that asks before leaving a form with unsaved text.
#[component]
pub fn Link(
    /// Where it goes.
    to: Route,
    /// CSS class.
    #[prop(optional, into)]
    class: Option<String>,
    /// Accessible name when the content is only an icon.
    #[prop(optional, into)]
    label: Option<String>,
    children: Children,
) -> impl IntoView {
    let href = to.href();
    view! {
        <a
            href=href
            class=class
            aria-label=label
            on:click=move |ev| {
                let state = AppState::get();
                ev.prevent_default();
                if state.may_leave() {
                    navigate(&to);
                }
            }
        >
            {children()}
        </a>
    }
}

/// The sticky header of a screen: an optional back link, the title (which takes
/// focus when the screen opens, so screen readers announce it) and actions.
#[component]
pub fn PageHeader(
    /// The screen's title.
    #[prop(into)]
    title: Signal<String>,
    /// Where "Back" goes, if anywhere.
    #[prop(optional)]
    back: Option<Route>,
    /// Buttons on the right.
    #[prop(optional)]
    actions: Option<Children>,
    /// Names the title for an `AfterShown` further down, which waits until
    /// the title is on screen.
    #[prop(optional)]
    shown: Option<&'static str>,
) -> impl IntoView {
    let heading: NodeRef<html::H1> = NodeRef::new();
    heading.on_load(|h| {
        request_animation_frame(move || {
            let _ = h.focus();
        });
    });
    view! {
        <header class="topbar">
            {back.map(|to| view! {
                <Link to=to class="icon-btn" label="Back">
                    <Svg icon=Icon::Back />
                </Link>
            })}
            <h1 {..custom_attribute("elementtiming", shown)} class="topbar-title" tabindex="-1" node_ref=heading>
                {move || title.get()}
            </h1>
            {actions.map(|a| a())}
        </header>
    }
}

/// The bottom navigation: an icon and a word for each place; the current one is
/// bold, underlined and marked for screen readers, not only coloured.
#[component]
pub fn TabBar(route: ReadSignal<Route>) -> impl IntoView {
    let place = AppState::get().place;
    // A place's own screens move it; a record's screens stay where they were opened.
    Effect::new(move || {
        if let Some(tab) = route.get().tab() {
            place.set(tab);
        }
    });
    let item = move |tab: Tab, to: Route, icon: Icon, word: &'static str| {
        let current =
            move || (route.get().tab().unwrap_or_else(|| place.get()) == tab).then_some("page");
        view! {
            <a
                class="tab"
                href=to.href()
                aria-current=current
                on:click=move |ev| {
                    ev.prevent_default();
                    if AppState::get().may_leave() {
                        navigate(&to);
                    }
                }
            >
                <Svg icon=icon />
                <span>{word}</span>
            </a>
        }
    };
    view! {
        <nav class="tabbar" aria-label="Main">
            {item(Tab::Today, Route::Today, Icon::Sun, "Today")}
            {item(Tab::People, Route::People, Icon::People, "People")}
            {item(Tab::Stays, Route::Stays, Icon::Calendar, "Stays")}
            {item(Tab::More, Route::More, Icon::Menu, "More")}
        </nav>
    }
}

/// The short confirmation after a save, announced politely. The live region
/// stays in place across screens so screen readers hear it; it stays quiet on
/// screens handed to the person.
#[component]
pub fn Toast(route: ReadSignal<Route>) -> impl IntoView {
    let state = AppState::get();
    view! {
        <div aria-live="polite" role="status">
            {move || {
                (!route.get().handed_over())
                    .then(|| state.toast.get().map(|t| view! { <p class="toast">{t}</p> }))
                    .flatten()
            }}
        </div>
    }
}

/// Notices about the app itself: a new version, or this tab's connection
/// closed by an upgrade in another tab.
#[component]
pub fn AppNotices(closed: RwSignal<bool>) -> impl IntoView {
    let state = AppState::get();
    let pwa = state.pwa;
    view! {
        {move || closed.get().then(|| view! {
            <div class="banner banner-error" role="alert">
                <p>"Hearth was updated in another tab. Reload this page to carry on. Nothing saved has been lost."</p>
                <button class="btn btn-primary" on:click=|_| { let _ = window().location().reload(); }>"Reload"</button>
            </div>
        })}
        {move || pwa.update_ready.get().then(|| view! {
            <div class="banner" role="status">
                <p>"A new version of Hearth is ready."</p>
                <button
                    class="btn btn-primary"
                    on:click=move |_| {
                        if AppState::get().may_leave() {
                            pwa.apply_update();
                        }
                    }
                >
                    "Reload to update"
                </button>
            </div>
        })}
    }
}

/// The carer's way back from a screen handed to the person: two deliberate
/// taps, so a person is unlikely to leave it by accident.
#[component]
pub fn CarerExit(
    /// Where the carer goes back to.
    back: Route,
) -> impl IntoView {
    let leaving = RwSignal::new(false);
    view! {
        <div class="carer-exit">
            {move || if leaving.get() {
                let back = back.clone();
                view! {
                    <p>"Go back to the carer's app?"</p>
                    <div class="btn-row">
                        <button class="btn btn-primary" on:click=move |_| navigate(&back)>"Yes, back to the app"</button>
                        <button class="btn" on:click=move |_| leaving.set(false)>"Stay here"</button>
                    </div>
                }.into_any()
            } else {
                view! { <button class="btn btn-quiet" on:click=move |_| leaving.set(true)>"Carer: finish"</button> }.into_any()
            }}
        </div>
    }
}
