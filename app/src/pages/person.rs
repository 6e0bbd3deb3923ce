//! A person's page: who they are, what matters to them, then their notes.
//!
//! The top (`PersonPage`, `Details`) is in the main wasm, so a link straight to
//! a person shows who they are and what matters to them at once; the rest
//! (`below`) comes with the records group's code.

use crate::browser;
use crate::components::chart::{ChartKey, MoodChart, Ons4Chart};
use crate::components::form::{focus_first_error, Field, Kind};
use crate::components::icons::{Icon, Svg};
use crate::components::nav::{Link, PageHeader};
use crate::components::paint::{AfterPaint, AfterShown};
use crate::components::records::{
    Arrangements, Avatar, CheckInCard, NoteCard, SampleChip, VisitCard,
};
use crate::route::Route;
use crate::state::AppState;
use chrono::Duration;
use hearth_core::trends::{self, Period};
use hearth_core::{
    CheckIn, DateRange, Mood, Note, Ons4Question, PlannedStay, Record, RecordId, ValidationErrors,
    Visit,
};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// How many entries the timeline shows at first and adds with "Show older":
/// a few screens' worth, so the page draws quickly on a slow phone.
pub const PAGE: usize = 20;

/// How many of them are drawn with the section; the rest follow a paint later.
const FIRST_DRAWN: usize = 5;

/// A person's page.
#[component]
pub fn PersonPage(id: RecordId) -> impl IntoView {
    let state = AppState::get();
    let person = {
        let state = state.clone();
        Memo::new(move |_| state.person(id))
    };
    let title = Signal::derive(move || {
        person
            .get()
            .map(|p| p.body().display_name())
            .unwrap_or_else(|| "Not found".into())
    });
    view! {
        <PageHeader title=title back=Route::People shown="person-top" />
        <main class="page">
            {move || match person.get() {
                None => view! {
                    <div class="empty"><p>"This person isn't on this phone."</p>
                    <Link to=Route::People class="btn">"See everyone"</Link></div>
                }.into_any(),
                Some(p) => {
                    let name = p.body().display_name();
                    view! {
                        <Details person=p />
                        // The rest is the records group's code (see
                        // later.rs), asked for once the top is on screen.
                        <AfterShown name="person-top">{crate::later::person_below(id, name.clone())}</AfterShown>
                    }.into_any()
                }
            }}
        </main>
    }
}

/// A person's page below its top: their stays, wellbeing, timeline and files.
/// Below the first screenful, so drawn after it is painted, a section at a
/// time.
pub fn below(id: RecordId, name: String) -> impl IntoView {
    let [stays_name, wellbeing_name, timeline_name] = [(); 3].map(|()| name.clone());
    view! {
        <AfterPaint><crate::pages::medicines::NeedsDoing person=id /></AfterPaint>
        <AfterPaint><UpcomingStays id=id name=stays_name.clone() /></AfterPaint>
        <AfterPaint><Wellbeing id=id name=wellbeing_name.clone() /></AfterPaint>
        <AfterPaint><Timeline id=id name=timeline_name.clone() /></AfterPaint>
        <AfterPaint><Exports id=id name=name.clone() /></AfterPaint>
    }
}

#[component]
fn Details(person: hearth_core::Record<hearth_core::Person>) -> impl IntoView {
    let state = AppState::get();
    let id = person.id();
    let body = person.body().clone();
    let name = body.display_name();
    let archived = body.is_archived();
    let age = body.age_on(browser::today());
    let unarchive = {
        let state = state.clone();
        let rev = person.rev();
        let body = body.clone();
        move |_| {
            let state = state.clone();
            let body = body.with_archived(false);
            spawn_local(async move {
                let author = state.author();
                let result = state
                    .store
                    .change(id, |rec| rec.amend(rev, body, &author, browser::now()))
                    .await;
                match result {
                    Ok(saved) => {
                        let name = saved.body().display_name();
                        state.upsert_person(saved);
                        state.show_toast(&format!("{name} is back on your list"));
                    }
                    Err(e) => state.show_toast(&e.to_string()),
                }
            });
        }
    };
    view! {
        {archived.then(|| view! {
            <div class="banner" role="status">
                <p>{format!("{name} is archived. Their records are kept.")}</p>
                <button class="btn" on:click=unarchive>"Bring back"</button>
            </div>
        })}
        <div class="person-head">
            <Avatar initial=body.initial() large=true />
            <div>
                {hearth_core::sample::is_sample(&person).then(|| view! {
                    <p><SampleChip />" Made up, to show Hearth in use; left out of totals and exports unless you ask."</p>
                })}
                {(!body.full_name().is_empty()).then(|| view! { <p class="muted">{body.full_name().to_string()}</p> })}
                {age.map(|a| view! { <p class="muted small">{format!("{a} years old")}</p> })}
                <Arrangements person=body.clone() />
            </div>
        </div>
        <div class="btn-row">
            {(!archived).then(|| view! {
                <Link to=Route::NewNote(Some(id)) class="btn btn-primary">
                    <Svg icon=Icon::Pencil />"Write a note"
                </Link>
                <Link to=Route::NewCheckIn(Some(id)) class="btn">
                    <Svg icon=Icon::Smile />"Check-in"
                </Link>
                <Link to=Route::Ask(id) class="btn">
                    {format!("Ask {name}")}
                </Link>
                <crate::pages::today::StartVisit person=person.clone() />
                <Link to=Route::NewVisit(Some(id), None) class="btn">"Log a visit or stay"</Link>
                <Link to=Route::NewStay(Some(id)) class="btn"><Svg icon=Icon::Calendar />"Plan a stay"</Link>
                <Link to=Route::Medicines(id) class="btn">"Medicines"</Link>
            })}
            <Link to=Route::EditPerson(id) class="btn">"Edit details"</Link>
        </div>
        {(!body.what_matters().is_empty() || !body.communication().is_empty() || !body.contacts().is_empty() || !body.allergies().is_empty() || !body.gp().is_empty()).then(|| view! {
            <section class="card" aria-label="About">
                <dl class="facts">
                    {(!body.what_matters().is_empty()).then(|| view! {
                        <dt>"What matters to me"</dt><dd>{body.what_matters().to_string()}</dd>
                    })}
                    {(!body.communication().is_empty()).then(|| view! {
                        <dt>"Communication"</dt><dd>{body.communication().to_string()}</dd>
                    })}
                    {(!body.allergies().is_empty()).then(|| view! {
                        <dt>"Allergies and reactions"</dt><dd>{body.allergies().to_string()}</dd>
                    })}
                    {(!body.gp().is_empty()).then(|| view! {
                        <dt>"GP practice"</dt><dd>{body.gp().to_string()}</dd>
                    })}
                </dl>
                {(!body.contacts().is_empty()).then(|| view! {
                    <h2>"Key contacts"</h2>
                    <ul class="list">
                        {body.contacts().iter().map(|c| {
                            let tel = format!("tel:{}", c.phone_link());
                            let has_phone = !c.phone().is_empty();
                            view! {
                                <li>
                                    <strong>{c.name().to_string()}</strong>
                                    {(!c.role().is_empty()).then(|| format!(" ({})", c.role()))}
                                    {has_phone.then(|| view! {
                                        <br />
                                        <a class="btn btn-quiet" href=tel>
                                            <Svg icon=Icon::Phone />
                                            {format!("Call {}", c.phone())}
                                        </a>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                })}
            </section>
        })}
    }
}

/// Which records the timeline shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Filter {
    All,
    Notes,
    CheckIns,
    Visits,
}

impl Filter {
    fn label(self) -> &'static str {
        match self {
            Filter::All => "Everything",
            Filter::Notes => "Notes",
            Filter::CheckIns => "Check-ins",
            Filter::Visits => "Visits",
        }
    }
}

/// One entry of the timeline.
#[derive(Clone)]
enum Entry {
    Note(Record<Note>),
    CheckIn(Record<CheckIn>),
    Visit(Record<Visit>),
}

impl Entry {
    fn at(&self) -> chrono::DateTime<chrono::FixedOffset> {
        match self {
            Entry::Note(n) => n.body().occurred_at(),
            Entry::CheckIn(c) => c.body().occurred_at(),
            Entry::Visit(v) => v.body().start(),
        }
    }
}

#[component]
fn Timeline(id: RecordId, name: String) -> impl IntoView {
    let state = AppState::get();
    let limit = RwSignal::new(PAGE);
    let filter = RwSignal::new(Filter::All);
    let drawn = StoredValue::new(false);
    let store = state.store.clone();
    let revision = state.revision;
    let entries = LocalResource::new(move || {
        revision.track();
        let store = store.clone();
        let (limit, filter) = (limit.get(), filter.get());
        async move {
            let mut entries = Vec::new();
            let all = filter == Filter::All;
            if all || filter == Filter::Notes {
                entries.extend(
                    store
                        .for_person::<Note>(id, None, limit + 1)
                        .await?
                        .into_iter()
                        .map(Entry::Note),
                );
            }
            if all || filter == Filter::CheckIns {
                entries.extend(
                    store
                        .for_person::<CheckIn>(id, None, limit + 1)
                        .await?
                        .into_iter()
                        .map(Entry::CheckIn),
                );
            }
            if all || filter == Filter::Visits {
                entries.extend(
                    store
                        .for_person::<Visit>(id, None, limit + 1)
                        .await?
                        .into_iter()
                        .map(Entry::Visit),
                );
            }
            hearth_core::order::sort_by_key(&mut entries, |e| std::cmp::Reverse(e.at()));
            Ok::<_, crate::storage::StorageError>(entries)
        }
    });
    view! {
        <section aria-labelledby="timeline-head">
            <h2 id="timeline-head">"Their story"</h2>
            <div class="segmented" role="group" aria-label="Show">
                {[Filter::All, Filter::Notes, Filter::CheckIns, Filter::Visits].into_iter().map(|f| view! {
                    <button
                        type="button"
                        class="btn"
                        aria-pressed=move || if filter.get() == f { "true" } else { "false" }
                        on:click=move |_| { filter.set(f); limit.set(PAGE); }
                    >{f.label()}</button>
                }).collect_view()}
            </div>
            <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || entries.get().map(|result| {
                    let name = name.clone();
                    match result {
                        Err(e) => view! { <div class="banner banner-error" role="alert"><p>{e.to_string()}</p></div> }.into_any(),
                        Ok(list) if list.is_empty() => view! {
                            <div class="empty">
                                <p>"Nothing written yet."</p>
                                <Link to=Route::NewNote(Some(id)) class="btn btn-primary">"Write the first note"</Link>
                            </div>
                        }.into_any(),
                        Ok(mut list) => {
                            let more = list.len() > limit.get_untracked();
                            list.truncate(limit.get_untracked());
                            // A screenful at once, the rest after it is painted;
                            // when drawn again, all at once.
                            let again = drawn.get_value();
                            drawn.set_value(true);
                            let rest = list.split_off(list.len().min(FIRST_DRAWN));
                            let card = move |e: Entry| match e {
                                Entry::Note(n) => view! { <NoteCard note=n /> }.into_any(),
                                Entry::CheckIn(c) => view! { <CheckInCard checkin=c name=name.clone() /> }.into_any(),
                                Entry::Visit(v) => view! { <VisitCard visit=v /> }.into_any(),
                            };
                            let later = card.clone();
                            view! {
                                <ul class="list">
                                    {list.into_iter().map(card).collect_view()}
                                    <AfterPaint at_once=again>{rest.clone().into_iter().map(later.clone()).collect_view()}</AfterPaint>
                                </ul>
                                {more.then(|| view! {
                                    <button class="btn btn-block" on:click=move |_| limit.update(|l| *l += PAGE)>
                                        "Show older"
                                    </button>
                                })}
                            }.into_any()
                        }
                    }
                })}
            </Transition>
        </section>
    }
}

/// How far back the wellbeing section reads: the longest chart, plus the
/// weeks the flag compares against.
pub const WELLBEING_DAYS: i64 = 366 + 35;

#[component]
fn Wellbeing(id: RecordId, name: String) -> impl IntoView {
    let state = AppState::get();
    let store = state.store.clone();
    let revision = state.revision;
    let period = RwSignal::new(Period::FourWeeks);
    let as_table = RwSignal::new(false);
    let checkins = LocalResource::new(move || {
        revision.track();
        let store = store.clone();
        let since = browser::now() - Duration::days(WELLBEING_DAYS);
        async move {
            store
                .for_person::<CheckIn>(id, Some(since), usize::MAX)
                .await
        }
    });
    view! {
        <section aria-labelledby="wellbeing-head">
            <h2 id="wellbeing-head">"Wellbeing"</h2>
            <Transition fallback=|| view! { <p class="muted">"Loading check-ins…"</p> }>
                {move || checkins.get().map(|result| {
                    let name = name.clone();
                    match result {
                        Err(e) => view! { <div class="banner banner-error" role="alert"><p>{e.to_string()}</p></div> }.into_any(),
                        Ok(list) if list.iter().all(|c| !c.is_live()) => view! {
                            <div class="empty">
                                <p>{format!("No check-ins yet. A check-in takes a few seconds: how is {name} feeling?")}</p>
                                <Link to=Route::NewCheckIn(Some(id)) class="btn btn-primary">"Add a check-in"</Link>
                            </div>
                        }.into_any(),
                        Ok(list) => view! { <WellbeingView checkins=list name=name period=period as_table=as_table /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn WellbeingView(
    checkins: Vec<Record<CheckIn>>,
    name: String,
    period: RwSignal<Period>,
    as_table: RwSignal<bool>,
) -> impl IntoView {
    let today = browser::today();
    let flag = trends::wellbeing_flag(&checkins, today).map(|f| f.message(&name));
    let checkins = StoredValue::new(checkins);
    let key_name = name.clone();
    // The lower charts and the averages follow a paint the first time; when
    // the period or the view changes, all is drawn at once.
    let drawn = StoredValue::new(false);
    let body = move || {
        let again = drawn.get_value();
        drawn.set_value(true);
        let (from, to) = period.get().range(today);
        let points = checkins.with_value(|c| trends::mood_points(c, from, to));
        let summary = trends::summarise(&points);
        let label = format!(
            "Mood over the last {}: {}{}.",
            period.get().label(),
            hearth_core::visit::plural(summary.count as i64, "check-in"),
            summary
                .mean
                .map(|m| format!(", average {}", Mood::average_words(m)))
                .unwrap_or_default()
        );
        let ons4: Vec<_> = Ons4Question::ALL
            .iter()
            .map(|q| {
                (
                    *q,
                    checkins.with_value(|c| trends::ons4_points(c, *q, from, to)),
                )
            })
            .filter(|(_, p)| !p.is_empty())
            .collect();
        let weekly = trends::weekly_averages(&points);
        let monthly = trends::monthly_averages(&points);
        let name = name.clone();
        view! {
            <p>{label.clone()}</p>
            {if as_table.get() {
                view! { <MoodTable points=points name=name.clone() /> }.into_any()
            } else {
                view! {
                    <MoodChart points=points from=from to=to label=label />
                    <AfterPaint at_once=again>
                        {ons4.clone().into_iter().map(|(q, p)| view! {
                            <h3>{q.short()}</h3>
                            <p class="hint">{format!("{} (0 not at all, 10 completely)", q.wording())}</p>
                            <Ons4Chart points=p from=from to=to label=format!("{}: {}", q.short(), q.wording()) />
                        }).collect_view()}
                    </AfterPaint>
                }.into_any()
            }}
            <AfterPaint at_once=again>
                <details class="card">
                    <summary>"Weekly and monthly averages"</summary>
                    {averages_table("Average mood by week", "Week from", &weekly, hearth_core::dates::short_date)}
                    {averages_table("Average mood by month", "Month", &monthly, hearth_core::dates::month_year)}
                </details>
            </AfterPaint>
        }
    };
    view! {
        {flag.map(|message| view! {
            <div class="banner banner-flag" role="status">
                <p><strong>"A gentle flag. "</strong>{message}</p>
            </div>
        })}
        <div class="segmented" role="group" aria-label="Period">
            {Period::ALL.iter().map(|p| {
                let p = *p;
                view! {
                    <button type="button" class="btn" aria-pressed=move || if period.get() == p { "true" } else { "false" } on:click=move |_| period.set(p)>
                        {p.label()}
                    </button>
                }
            }).collect_view()}
        </div>
        {body}
        <ChartKey name=key_name />
        <button type="button" class="btn btn-quiet" aria-pressed=move || if as_table.get() { "true" } else { "false" } on:click=move |_| as_table.update(|t| *t = !*t)>
            {move || if as_table.get() { "Show as chart" } else { "Show as table" }}
        </button>
    }
}

/// One table of average mood, newest period first; `when` names a period by
/// its first day.
fn averages_table(
    caption: &'static str,
    period: &'static str,
    averages: &[trends::PeriodAverage],
    when: fn(chrono::NaiveDate) -> String,
) -> impl IntoView {
    let rows = averages
        .iter()
        .rev()
        .map(|a| {
            let mood = Mood::average_words(a.mean);
            view! { <tr><td>{when(a.start)}</td><td>{a.count}</td><td>{mood}</td></tr> }
        })
        .collect_view();
    view! {
        <table class="table">
            <caption class="visually-hidden">{caption}</caption>
            <thead><tr><th scope="col">{period}</th><th scope="col">"Check-ins"</th><th scope="col">"Average"</th></tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

#[component]
fn MoodTable(points: Vec<trends::MoodPoint>, name: String) -> impl IntoView {
    view! {
        <table class="table mood-table">
            <caption class="visually-hidden">"Check-ins"</caption>
            <thead><tr><th scope="col">"When"</th><th scope="col">"Feeling"</th><th scope="col">"Who answered"</th></tr></thead>
            <tbody>
                {points.iter().rev().map(|p| view! {
                    <tr>
                        <td>{crate::components::records::when_label(p.at)}</td>
                        <td>{p.mood.label()}</td>
                        <td>{p.answered.label(&name)}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// What the scheme can be sent from a person's page: one CSV file per kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Export {
    Notes,
    CheckIns,
    Visits,
    Stays,
}

impl Export {
    /// The file name's kind part.
    fn slug(self) -> &'static str {
        match self {
            Export::Notes => "notes",
            Export::CheckIns => "check-ins",
            Export::Visits => "visits",
            Export::Stays => "planned-stays",
        }
    }
}

/// The CSV file of one kind for one person over `range`: the records are read
/// here and filtered by day in core.
async fn export_file(
    store: &crate::storage::Store,
    kind: Export,
    id: RecordId,
    name: &str,
    range: DateRange,
) -> Result<String, crate::storage::StorageError> {
    use hearth_core::csv;
    Ok(match kind {
        Export::Notes => csv::notes_csv(
            &store.for_person::<Note>(id, None, usize::MAX).await?,
            name,
            range,
        ),
        Export::CheckIns => csv::checkins_csv(
            &store.for_person::<CheckIn>(id, None, usize::MAX).await?,
            name,
            range,
        ),
        Export::Visits => csv::visits_csv(
            &store.for_person::<Visit>(id, None, usize::MAX).await?,
            name,
            range,
        ),
        Export::Stays => {
            let mut stays = store.all::<PlannedStay>().await?;
            stays.retain(|s| s.body().person_id() == id);
            csv::stays_csv(&stays, name, range)
        }
    })
}

#[component]
fn Exports(id: RecordId, name: String) -> impl IntoView {
    let state = AppState::get();
    let error = RwSignal::new(None::<String>);
    let done = RwSignal::new(None::<String>);
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let errors = RwSignal::new(ValidationErrors::new());
    let export = move |kind: Export| {
        let range = match DateRange::parse(&from.get_untracked(), &to.get_untracked()) {
            Ok(range) => range,
            Err(e) => {
                focus_first_error(&e);
                errors.set(e);
                return;
            }
        };
        errors.set(ValidationErrors::new());
        let store = state.store.clone();
        let name = name.clone();
        spawn_local(async move {
            let today = hearth_core::dates::form_date(browser::today());
            let slug: String = name.chars().filter(|c| c.is_alphanumeric()).collect();
            let file = match range {
                DateRange::ALL => format!("{slug}-{}-{today}.csv", kind.slug()),
                _ => format!("{slug}-{}{}.csv", kind.slug(), range.file_part()),
            };
            let saved = export_file(&store, kind, id, &name, range)
                .await
                .map_err(|e| e.to_string())
                .and_then(|csv| browser::download(&file, "text/csv;charset=utf-8", &csv));
            done.set(
                saved
                    .is_ok()
                    .then(|| format!("Saved {file} to this phone's downloads.")),
            );
            error.set(saved.err());
        });
    };
    let (report_year, report_month) = {
        use chrono::Datelike;
        let today = browser::today();
        (today.year(), today.month())
    };
    let covers = move || match DateRange::parse(&from.get(), &to.get()) {
        Ok(range) => format!("The files cover {}.", range.words()),
        Err(_) => String::new(),
    };
    let buttons = [
        (Export::Notes, "Notes (CSV)"),
        (Export::CheckIns, "Check-ins (CSV)"),
        (Export::Visits, "Visits (CSV)"),
        (Export::Stays, "Planned stays (CSV)"),
    ];
    view! {
        <section aria-labelledby="export-head">
            <h2 id="export-head">"Share with your scheme"</h2>
            <div class="btn-row">
                <Link to=Route::Report(id, report_year, report_month) class="btn">"Monthly report"</Link>
            </div>
            <p class="muted small">"Spreadsheet files (CSV), one per kind of record: each as it stands now, with how many times it was corrected and any deletion (who, when and why). Earlier versions stay in Hearth and its backups. The files are saved on this phone; nothing is sent anywhere."</p>
            <fieldset class="date-range">
                <legend>"Which days"</legend>
                <Field label="From".into() name="export_from" value=from errors=errors kind=Kind::Date optional=true hint="Empty: from the first record." />
                <Field label="To".into() name="export_to" value=to errors=errors kind=Kind::Date optional=true hint="Empty: up to the latest record." />
            </fieldset>
            <p class="small" aria-live="polite">{covers}</p>
            <div class="btn-row">
                {buttons.map(|(kind, label)| {
                    let export = export.clone();
                    view! { <button type="button" class="btn" on:click=move |_| export(kind)><Svg icon=Icon::Download />{label}</button> }
                }).collect_view()}
            </div>
            <p role="status" aria-live="polite">{move || done.get()}</p>
            {move || error.get().map(|e| view! { <div class="banner banner-error" role="alert"><p>{e}</p></div> })}
        </section>
    }
}

#[component]
fn UpcomingStays(id: RecordId, name: String) -> impl IntoView {
    let state = AppState::get();
    let store = state.store.clone();
    let revision = state.revision;
    let stays = LocalResource::new(move || {
        revision.track();
        let store = store.clone();
        async move { store.all::<PlannedStay>().await }
    });
    view! {
        <Transition fallback=|| ()>
            {move || stays.get().and_then(Result::ok).map(|all| {
                let today = browser::today();
                let theirs = crate::pages::stays::for_person(&all, id, today);
                let show = format!("Show {name} their stays");
                let send = format!("Send to {name}'s phone");
                (!theirs.is_empty()).then(|| view! {
                    <section aria-labelledby="stays-head">
                        <h2 id="stays-head">"Upcoming stays"</h2>
                        <ul class="list">
                            {theirs.into_iter().map(|s| view! {
                                <li>
                                    <Link to=Route::Stay(s.id()) class="row-link">
                                        <span class="grow">
                                            <span class="row-title">{crate::pages::stays::stay_dates(s.body(), today)}</span>
                                            <span class="meta">{format!("{} · {}", s.body().status().label(), s.body().with_host())}</span>
                                        </span>
                                    </Link>
                                </li>
                            }).collect_view()}
                        </ul>
                        <Link to=Route::MyStays(id) class="btn"><Svg icon=Icon::Calendar />{show}</Link>
                        <Link to=Route::SendStays(id) class="btn"><Svg icon=Icon::Share />{send}</Link>
                    </section>
                })
            })}
        </Transition>
    }
}
