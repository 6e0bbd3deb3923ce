//! Inline SVG icons (no icon font, nothing fetched). Each is decorative:
//! the words beside it, or the control's accessible name, carry the meaning.

use leptos::prelude::*;

/// The icons the app uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Icon {
    /// Home / today.
    Sun,
    /// People.
    People,
    /// More.
    Menu,
    /// Add.
    Plus,
    /// Write a note.
    Pencil,
    /// Back.
    Back,
    /// Delete.
    Trash,
    /// History / time.
    Clock,
    /// Done / with the person.
    Check,
    /// Install / download.
    Download,
    /// Archive.
    Archive,
    /// Phone.
    Phone,
    /// A house (the household).
    Home,
    /// Storage / safety.
    Shield,
    /// A check-in.
    Smile,
    /// Stays, dates.
    Calendar,
    /// Nights.
    Moon,
    /// Notes for the person.
    Bag,
    /// Share.
    Share,
    /// A visit in progress.
    Play,
}

impl Icon {
    fn paths(self) -> &'static str {
        match self {
            Icon::Sun => "M12 4V2M12 22v-2M4 12H2M22 12h-2M5.6 5.6 4.2 4.2M19.8 19.8l-1.4-1.4M5.6 18.4l-1.4 1.4M19.8 4.2l-1.4 1.4M12 7a5 5 0 1 0 0 10 5 5 0 0 0 0-10z",
            Icon::People => "M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM2 21v-1a6 6 0 0 1 6-6h2a6 6 0 0 1 6 6v1M16 3.5a4 4 0 0 1 0 7M22 21v-1a6 6 0 0 0-4-5.6",
            Icon::Menu => "M4 6h16M4 12h16M4 18h16",
            Icon::Plus => "M12 5v14M5 12h14",
            Icon::Pencil => "M4 20h4L19 9l-4-4L4 16v4zM14 6l4 4",
            Icon::Back => "M15 5l-7 7 7 7",
            Icon::Trash => "M4 7h16M9 7V4h6v3M6 7l1 13h10l1-13M10 11v6M14 11v6",
            Icon::Clock => "M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zM12 7v5l3 3",
            Icon::Check => "M5 12.5l4.5 4.5L19 7.5",
            Icon::Download => "M12 3v12M7 10l5 5 5-5M5 21h14",
            Icon::Archive => "M3 4h18v4H3zM5 8v12h14V8M10 12h4",
            Icon::Phone => "M5 3h4l2 5-2.5 1.5a11 11 0 0 0 6 6L16 13l5 2v4a2 2 0 0 1-2 2A16 16 0 0 1 3 5a2 2 0 0 1 2-2z",
            Icon::Home => "M3 11 12 3l9 8M5 10v10h14V10M10 20v-6h4v6",
            Icon::Shield => "M12 3 4 6v6c0 5 3.5 8 8 9 4.5-1 8-4 8-9V6l-8-3zM8.5 12l2.5 2.5 4.5-5",
            Icon::Calendar => "M4 6h16v14H4zM4 10h16M8 3v4M16 3v4",
            Icon::Moon => "M20 14.5A8 8 0 0 1 9.5 4 8 8 0 1 0 20 14.5z",
            Icon::Bag => "M5 8h14l-1 12H6L5 8zM9 8V6a3 3 0 0 1 6 0v2",
            Icon::Share => "M12 3v12M8 7l4-4 4 4M5 12v8h14v-8",
            Icon::Play => "M8 5v14l11-7z",
            Icon::Smile => "M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zM8 14s1.5 2 4 2 4-2 4-2M9 9.5h.01M15 9.5h.01",
        }
    }
}

/// Draws an icon at the current text colour.
#[component]
pub fn Svg(icon: Icon) -> impl IntoView {
    view! {
        <svg
            viewBox="0 0 24 24"
            fill="none"
            stroke="currentColor"
            stroke-width="2"
            stroke-linecap="round"
            stroke-linejoin="round"
            aria-hidden="true"
            focusable="false"
        >
            <path d=icon.paths()></path>
        </svg>
    }
}
