//! The pages staff use, in Danish. Every state of the search page is its
//! URL; nothing needs JavaScript. All document text goes through maud,
//! which escapes it; snippets and titles with their matches come escaped
//! from `crate::highlight` with only `<mark>` added.

use arkiv_index::facet::{value_filters, FacetDecl, Filter, Label};
use arkiv_ingest::Kind;
use crate::api::{find, item_url, load_item, meeting_url, moved, run_search, ApiSearchResponse, Found};
use crate::params::SearchParams;
use crate::site::Site;
use crate::{blocking, ApiError, AppState};
use arkiv_index::FacetCount;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::Query;
use maud::{html, Markup, PreEscaped, DOCTYPE};
use std::sync::Arc;

const PAGE_SIZE: usize = 20;

/// Every page: the authority's header with a search field (but on the
/// search page, whose form is its body), the page, and the footer with the
/// contact and the accessibility statement.
fn layout(site: &Site, title: &str, search_field: bool, body: Markup) -> Markup {
    layout_with(site, title, search_field, None, body)
}

/// [`layout`] with the page's search as a feed a reader finds (rel=alternate).
fn layout_with(site: &Site, title: &str, search_field: bool, feed: Option<&str>, body: Markup) -> Markup {
    // On the search page the skip link goes to the results.
    let skip_to = if feed.is_some() && !search_field { "#resultater" } else { "#indhold" };
    html! {
        (DOCTYPE)
        html lang="da" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " – " (site.service) }
                link rel="stylesheet" href="/static/style.css";
                @if let Some(f) = feed { link rel="alternate" type="application/atom+xml" title="Søgningen som Atom-feed" href=(f); }
            }
            body {
                a.skip href=(skip_to) { @if skip_to == "#resultater" { "Spring til resultaterne" } @else { "Spring til indhold" } }
                header.site {
                    div.brand {
                        span.authority { (site.authority) }
                        a.service href="/" { (site.service) }
                    }
                    @if search_field {
                        form.header-search role="search" action="/" method="get" {
                            label for="top-q" { "Søg i arkivet" }
                            input #top-q type="search" name="q";
                            button type="submit" { "Søg" }
                        }
                    }
                }
                main #indhold { (body) }
                footer.site {
                    p { (site.authority) " · " (site.contact)
                        @if let Some(e) = &site.email { " · " a href={ "mailto:" (e) } { (e) } }
                        @if let Some(t) = &site.phone { " · Telefon " (t) }
                    }
                    p { a href=(site.statement_url()) { "Tilgængelighedserklæring" } }
                }
            }
        }
    }
}

/// "Følg søgningen": what a feed is, and the search's feed address to copy
/// into a feed reader or Outlook. The address is absolute, as the request
/// came (the Host header; https where a proxy says so).
pub async fn follow_page(State(state): State<Arc<AppState>>, headers: axum::http::HeaderMap, q: Result<Query<SearchParams>, axum_extra::extract::QueryRejection>) -> Response {
    let Ok(Query(p)) = q else {
        return error_page(&state.site, ApiError::bad_request("Adressen har ugyldige søgeparametre."));
    };
    let feed = absolute(&headers, &p.url("/feed.atom"));
    let what = p.q.as_deref().map(str::trim).filter(|q| !q.is_empty());
    let body = html! {
        h1 { "Følg søgningen" @if let Some(q) = what { " »" (q) "«" } }
        p { "Søgningen findes som et feed (Atom). Et feed viser de nyeste punkter, der matcher søgningen og dens filtre, og en feedlæser eller Outlook henter dem selv, når der kommer nye." }
        div.copy {
            label for="feed" { "Feedets adresse" }
            input #feed type="text" readonly value=(feed) size="60";
        }
        p.hint { "Markér adressen, kopiér den, og indsæt den i din feedlæser (i Outlook: RSS-feeds, Tilføj et nyt RSS-feed)." }
        p { a href=(p.url("/")) { "Tilbage til søgningen" } }
    };
    html_response(StatusCode::OK, layout_with(&state.site, "Følg søgningen", true, Some(&p.url("/feed.atom")), body))
}

/// arkiv's own accessibility statement, from site.toml, where the authority
/// has none of its own to link.
pub async fn statement_page(State(state): State<Arc<AppState>>) -> Response {
    let site = &state.site;
    let body = html! {
        h1 { "Tilgængelighedserklæring" }
        p { (site.authority) " er forpligtet til at gøre " (site.service) " tilgængelig i overensstemmelse med lov om tilgængelighed af offentlige organers websteder og mobilapplikationer (lov nr. 692 af 8. juni 2018). Kravet er WCAG 2.1 på niveau AA." }
        h2 { "Sådan er løsningen bygget" }
        ul {
            li { "Alle sider virker uden JavaScript og kan bruges med tastaturet alene." }
            li { "Siderne har overskrifter, landmærker og et link, der springer til indholdet." }
            li { "Tekst fra scannede dokumenter er læst med OCR og kan indeholde fejl; det oprindelige dokument er altid tilgængeligt." }
            li { "De oprindelige dokumenter (PDF, Word) er udgivet af sekretariaterne og er ikke nødvendigvis tilgængelige." }
        }
        h2 { "Feedback og kontakt" }
        p { "Oplever du problemer med tilgængeligheden, så kontakt " (site.contact)
            @if let Some(e) = &site.email { " på " a href={ "mailto:" (e) } { (e) } }
            @if let Some(t) = &site.phone { " eller på telefon " (t) }
            "." }
        h2 { "Håndhævelsesprocedure" }
        p { "Du kan klage over tilgængeligheden til Digitaliseringsstyrelsen, der fører tilsyn med loven." }
    };
    html_response(StatusCode::OK, layout(site, "Tilgængelighedserklæring", true, body))
}

fn html_response(status: StatusCode, m: Markup) -> Response {
    (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], m.into_string()).into_response()
}

fn error_page(site: &Site, e: ApiError) -> Response {
    let title = match e.status {
        StatusCode::NOT_FOUND => "Ikke fundet",
        StatusCode::BAD_REQUEST => "Søgningen kunne ikke udføres",
        _ => "Der opstod en fejl",
    };
    html_response(
        e.status,
        layout(site, title, true, html! { h1 { (title) } p { (e.message) } p { a href="/" { "Til søgningen" } } }),
    )
}

pub fn not_found_page(site: &Site, message: &str) -> Response {
    error_page(site, ApiError::not_found(message))
}

/// IBM Plex Sans, the typeface of Det Fælles Designsystem (SIL Open Font
/// License 1.1, static/fonts/OFL.txt), its Latin-1 part, built in: an
/// intranet may have no way out to a font service.
const FONTS: &[(&str, &[u8])] = &[
    ("IBMPlexSans-Regular-Latin1.woff2", include_bytes!("../static/fonts/IBMPlexSans-Regular-Latin1.woff2")),
    ("IBMPlexSans-Italic-Latin1.woff2", include_bytes!("../static/fonts/IBMPlexSans-Italic-Latin1.woff2")),
    ("IBMPlexSans-SemiBold-Latin1.woff2", include_bytes!("../static/fonts/IBMPlexSans-SemiBold-Latin1.woff2")),
    ("IBMPlexSans-Bold-Latin1.woff2", include_bytes!("../static/fonts/IBMPlexSans-Bold-Latin1.woff2")),
];

pub async fn font(State(state): State<Arc<AppState>>, Path(name): Path<String>) -> Response {
    match FONTS.iter().find(|(n, _)| *n == name) {
        Some((_, bytes)) => ([(header::CONTENT_TYPE, "font/woff2"), (header::CACHE_CONTROL, "public, max-age=604800, immutable")], *bytes).into_response(),
        None => not_found_page(&state.site, "Skrifttypen findes ikke."),
    }
}

pub async fn stylesheet() -> Response {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")], include_str!("../static/style.css")).into_response()
}

pub(crate) fn kind_name(k: Kind) -> &'static str {
    match k {
        Kind::Dagsorden => "Dagsorden",
        Kind::Referat => "Referat",
        Kind::DagsordenOgReferat => "Dagsorden og referat",
    }
}

/// An ISO date of the request, as a Danish date ("" where none).
fn iso_da(d: &Option<String>) -> String {
    d.as_deref().and_then(|s| s.parse().ok()).map(|d| date_da(Some(d))).unwrap_or_default()
}

fn date_da(d: Option<chrono::NaiveDate>) -> String {
    const M: [&str; 12] = ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober", "november", "december"];
    match d {
        Some(d) => {
            use chrono::Datelike;
            format!("{}. {} {}", d.day(), M[d.month0() as usize], d.year())
        }
        None => "dato ukendt".into(),
    }
}

/// A facet's value as the reader sees it.
fn label(state: &AppState, facet: &FacetDecl, value: &str) -> String {
    match facet.label {
        Label::Value => value.to_string(),
        Label::TopicName => state.topic_name(value).to_string(),
        Label::KindName => Kind::of_value(value).map_or_else(|| value.to_string(), |k| kind_name(k).to_string()),
    }
}

/// How many values of a facet show before "Vis alle".
const FACET_SHOWN: usize = 8;

fn facet_list(state: &AppState, p: &SearchParams, facet: &FacetDecl, values: &[FacetCount]) -> Markup {
    let (name, heading, selected) = (facet.name, facet.heading, p.values(facet.name));
    // The first values, and every chosen one, show; the rest fold away
    // (a details element: no script).
    let (shown, folded): (Vec<(usize, &FacetCount)>, Vec<(usize, &FacetCount)>) = values.iter().enumerate().partition(|(k, v)| *k < FACET_SHOWN || selected.contains(&v.value));
    let entry = |v: &FacetCount| {
        let on = selected.contains(&v.value);
        html! {
            li class=[on.then_some("on")] {
                a href=(p.toggle(name, &v.value).url("/")) aria-current=[on.then_some("true")] {
                    @if on { "✓ " } (label(state, facet, &v.value))
                }
                " " span.count { "(" (v.count) ")" }
            }
        }
    };
    html! {
        @if !values.is_empty() || !selected.is_empty() {
            section aria-label=(heading) {
                h2 { (heading) }
                ul { @for (_, v) in &shown { (entry(v)) } }
                @if !folded.is_empty() {
                    details.more {
                        summary { "Vis alle (" (values.len()) ")" }
                        ul { @for (_, v) in &folded { (entry(v)) } }
                    }
                }
            }
        }
    }
}

/// A facet filtered by the date range: each value (a year) sets the range.
fn year_list(p: &SearchParams, facet: &FacetDecl, values: &[FacetCount]) -> Markup {
    html! {
        @if !values.is_empty() {
            section aria-label=(facet.heading) {
                h2 { (facet.heading) }
                ul {
                    @for v in values {
                        @let mut q = p.clone();
                        @let on = p.from.as_deref() == Some(&format!("{}-01-01", v.value)) && p.to.as_deref() == Some(&format!("{}-12-31", v.value));
                        li class=[on.then_some("on")] {
                            @if on {
                                ({ q.from = None; q.to = None; q.offset = None; html! { a href=(q.url("/")) aria-current="true" { "✓ " (v.value) } } })
                            } @else {
                                ({ q.from = Some(format!("{}-01-01", v.value)); q.to = Some(format!("{}-12-31", v.value)); q.offset = None; html! { a href=(q.url("/")) { (v.value) } } })
                            }
                            " " span.count { "(" (v.count) ")" }
                        }
                    }
                }
            }
        }
    }
}

fn results(state: &AppState, p: &SearchParams, r: &ApiSearchResponse, offset: usize, limit: usize) -> Markup {
    let q = p.q.clone().unwrap_or_default();
    let selected: Vec<(&FacetDecl, &String)> = value_filters().flat_map(|f| p.values(f.name).iter().map(move |v| (f, v))).collect();
    html! {
        div.layout {
            // The results come first (for the keyboard and on a phone, where
            // the filters are one tap away); wide screens show the filters
            // to their left.
            section.hits #resultater tabindex="-1" aria-label="Resultater" {
                p.to-filters { a href="#filtre" { "Filtre" @if !selected.is_empty() { " (" (selected.len()) " valgt)" } } }
                @if !selected.is_empty() || p.from.is_some() || p.to.is_some() {
                    p.active-filters {
                        "Filtre: "
                        @for (f, v) in &selected {
                            a href=(p.toggle(f.name, v).url("/")) title="Fjern filter" { (label(state, f, v)) " ✕" }
                        }
                        @if p.from.is_some() || p.to.is_some() {
                            @let mut np = p.clone();
                            ({ np.from = None; np.to = None; np.offset = None; html! { a href=(np.url("/")) title="Fjern datofilter" { (iso_da(&p.from)) " – " (iso_da(&p.to)) " ✕" } } })
                        }
                        @let clear = SearchParams { q: p.q.clone(), sort: p.sort.clone(), ..SearchParams::default() };
                        a.clear href=(clear.url("/")) { "Ryd alle filtre" }
                    }
                }
                p role="status" {
                    @if r.total == 0 { "Ingen resultater" } @else if r.total == 1 { "1 resultat" } @else { (r.total) " resultater" }
                    @if !q.trim().is_empty() { " for " strong { (q) } }
                    @if r.total > 0 { " · viser " (offset + 1) "–" (offset + r.hits.len()) }
                }
                ol.results start=(offset + 1) {
                    @for h in &r.hits {
                        li {
                            h3 { a href=(h.url) { (PreEscaped(&h.title_html)) } }
                            div.meta {
                                (h.hit.group.as_deref().unwrap_or("Ukendt mødeforum")) " · "
                                (date_da(h.hit.date)) " · "
                                (h.hit.kind.map(kind_name).unwrap_or("ukendt type")) " · punkt " (h.hit.number)
                                @if h.hit.documents.len() > 1 {
                                    @for d in &h.hit.documents {
                                        " · " a href=(crate::file_url(&d.source)) { (document_name(d.kind)) @if let Some(page) = d.source.page { " s. " (page) } }
                                    }
                                } @else if let Some(page) = h.hit.source.page { " · " a href=(h.file_url) { "s. " (page) } }
                                @if !h.hit.municipalities.is_empty() { " · " (h.hit.municipalities.join(", ")) }
                            }
                            @if !h.snippet.is_empty() { p.snippet { (PreEscaped(&h.snippet)) } }
                        }
                    }
                }
                @let pages = pages_of(r.total.min(arkiv_index::search_limits::MAX_WINDOW), limit);
                @let current = offset / limit.max(1);
                @if pages > 1 {
                    nav.pager aria-label="Sider" {
                        @if offset > 0 {
                            @let mut prev = p.clone();
                            ({ prev.offset = Some(offset.saturating_sub(limit).to_string()); html! { a href=(prev.url("/")) rel="prev" { "← Forrige" } } })
                        }
                        ol {
                            @for k in page_window(current, pages) {
                                @let mut at = p.clone();
                                li {
                                    @if k == current { span aria-current="page" { (k + 1) } }
                                    @else { ({ at.offset = (k > 0).then(|| (k * limit).to_string()); html! { a href=(at.url("/")) aria-label=(format!("Side {}", k + 1)) { (k + 1) } } }) }
                                }
                            }
                        }
                        @if offset + r.hits.len() < r.total && offset + limit < arkiv_index::search_limits::MAX_WINDOW {
                            @let mut next = p.clone();
                            ({ next.offset = Some((offset + limit).to_string()); html! { a href=(next.url("/")) rel="next" { "Næste →" } } })
                        }
                    }
                }
                p.follow {
                    a href=(p.url("/foelg")) { "Følg søgningen" } " – få besked om nye punkter, der matcher den · "
                    a href=({ let mut x = p.clone(); x.offset = None; x.limit = None; x.url("/api/search.csv") }) download { "Hent som regneark (CSV)" }
                }
            }
            aside.facets #filtre aria-label="Filtre" {
                p.facet-hint { "Vælg flere værdier i et filter for at se punkter med en af dem; filtre i hver sin gruppe gælder alle." }
                @for (facet, values) in r.facets.iter() {
                    @match facet.filter {
                        Filter::Values => (facet_list(state, p, facet, values)),
                        Filter::DateRange => (year_list(p, facet, values)),
                    }
                }
            }
        }
    }
}

/// How many pages of `limit` hits `total` hits make.
fn pages_of(total: usize, limit: usize) -> usize {
    total.div_ceil(limit.max(1))
}

/// The page numbers the pager shows: the first, the last, and two on each
/// side of the current one (numbered from 0).
fn page_window(current: usize, pages: usize) -> Vec<usize> {
    let mut v: Vec<usize> = (0..pages).filter(|&k| k == 0 || k + 1 == pages || k.abs_diff(current) <= 2).collect();
    v.dedup();
    v
}

/// A search with no hits, run again without each of its filters: which one
/// emptied it, and how many hits there are without it.
struct Without {
    label: String,
    url: String,
    count: usize,
}

fn without_each_filter(state: &AppState, p: &SearchParams) -> Vec<Without> {
    let mut tries: Vec<(String, SearchParams)> = value_filters().flat_map(|f| p.values(f.name).iter().map(move |v| (f, v.clone()))).map(|(f, v)| (label(state, f, &v), p.toggle(f.name, &v))).collect();
    if p.from.is_some() || p.to.is_some() {
        let mut q = p.clone();
        q.from = None;
        q.to = None;
        q.offset = None;
        tries.push((format!("{} – {}", iso_da(&p.from), iso_da(&p.to)), q));
    }
    let mut out = vec![];
    for (label, mut q) in tries {
        q.limit = Some("1".into());
        let Ok(req) = q.to_request() else { continue };
        if let Ok(r) = run_search(state, &req) {
            if r.total > 0 {
                q.limit = None;
                out.push(Without { label, url: q.url("/"), count: r.total });
            }
        }
    }
    out.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.label.cmp(&b.label)));
    out
}

/// The search page's date fields as the user wrote them, the dates they
/// give, and what is wrong with them, in Danish: an unreadable date is
/// left out of the search (the rest still applies) and said so beside its
/// field; dates in reverse order are searched the right way round, and
/// said so.
struct PageDates {
    from: String,
    to: String,
    errors: Vec<(&'static str, String)>,
    notice: Option<String>,
}

/// A date as staff write it: 31-12-2020, 31.12.2020, 31/12/2020 or 2020-12-31.
fn page_date(s: &str) -> Option<chrono::NaiveDate> {
    let s = s.trim();
    ["%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y", "%Y-%m-%d"].iter().find_map(|f| chrono::NaiveDate::parse_from_str(s, f).ok())
}

impl PageDates {
    /// Reads the date fields of `p` and leaves in it what the search takes
    /// (ISO dates, or none).
    fn take(p: &mut SearchParams) -> PageDates {
        let shown = |v: &Option<String>| v.as_deref().map(|s| page_date(s).map(|d| d.format("%d-%m-%Y").to_string()).unwrap_or_else(|| s.to_string())).unwrap_or_default();
        let mut out = PageDates { from: shown(&p.from), to: shown(&p.to), errors: vec![], notice: None };
        let mut read = |name: &'static str, v: &mut Option<String>| -> Option<chrono::NaiveDate> {
            let raw = v.take().filter(|s| !s.trim().is_empty())?;
            match page_date(&raw) {
                Some(d) => {
                    *v = Some(d.to_string());
                    Some(d)
                }
                None => {
                    out.errors.push((name, format!("»{raw}« kan ikke læses som en dato. Skriv den som dd-mm-åååå, fx 31-12-2020. Søgningen er vist uden denne dato.")));
                    None
                }
            }
        };
        let from = read("from", &mut p.from);
        let to = read("to", &mut p.to);
        if let (Some(a), Some(b)) = (from, to) {
            if a > b {
                std::mem::swap(&mut p.from, &mut p.to);
                out.notice = Some(format!("Fra-datoen ({}) ligger efter til-datoen ({}). Der er søgt fra {} til {}.", date_da(Some(a)), date_da(Some(b)), date_da(Some(b)), date_da(Some(a))));
            }
        }
        out
    }
}

fn search_form(p: &SearchParams, dates: &PageDates) -> Markup {
    let sort_date = p.sort.as_deref() == Some("date");
    html! {
        form.search method="get" action="/" role="search" {
            div.q {
                label for="q" { "Søg i dagsordener og referater" }
                input #q type="search" name="q" value=(p.q.clone().unwrap_or_default()) placeholder="fx rygestop, IV-behandling, \"den nære psykiatri\"" maxlength="500";
            }
            @for (name, label, value) in [("from", "Fra dato", &dates.from), ("to", "Til dato", &dates.to)] {
                @let error = dates.errors.iter().find(|(n, _)| *n == name).map(|(_, m)| m);
                div.date {
                    label for=(name) { (label) " " span.hint { "(dd-mm-åååå)" } }
                    input id=(name) type="text" inputmode="numeric" autocomplete="off" name=(name) value=(value) size="10"
                        aria-invalid=[error.map(|_| "true")] aria-describedby=[error.map(|_| format!("{name}-fejl"))];
                    @if let Some(m) = error { p.field-error id=(format!("{name}-fejl")) { (m) } }
                }
            }
            div {
                label for="sort" { "Sortér" }
                select #sort name="sort" {
                    option value="relevance" selected[!sort_date] { "Relevans" }
                    option value="date" selected[sort_date] { "Nyeste først" }
                }
            }
            @for f in value_filters() {
                @for v in p.values(f.name) { input type="hidden" name=(f.name) value=(v); }
            }
            button type="submit" { "Søg" }
        }
    }
}

pub async fn search_page(State(state): State<Arc<AppState>>, q: Result<Query<SearchParams>, axum_extra::extract::QueryRejection>) -> Response {
    let Ok(Query(mut p)) = q else {
        return error_page(&state.site, ApiError::bad_request("Adressen har ugyldige søgeparametre."));
    };
    if p.limit.is_none() {
        p.limit = Some(PAGE_SIZE.to_string());
    }
    let dates = PageDates::take(&mut p);
    // The start page (no query, no filter) shows the latest meetings.
    let start = p.q.as_deref().is_none_or(|q| q.trim().is_empty()) && p.from.is_none() && p.to.is_none() && value_filters().all(|f| p.values(f.name).is_empty()) && p.offset.is_none() && p.sort.is_none();
    if start && dates.errors.is_empty() {
        let st = state.clone();
        let latest = blocking(move || {
            let q = SearchParams { sort: Some("date".into()), limit: Some("100".into()), ..SearchParams::default() };
            run_search(&st, &q.to_request()?)
        })
        .await;
        if let Ok(r) = latest {
            // Meetings in the order of their newest item, each once.
            let mut meetings: Vec<(&arkiv_index::HitItem, usize)> = vec![];
            for h in &r.hits {
                match meetings.iter_mut().find(|(m, _)| m.meeting_id == h.hit.meeting_id) {
                    Some((_, n)) => *n += 1,
                    None => meetings.push((&h.hit, 1)),
                }
            }
            let body = html! {
                h1 { "Søg i mødearkivet" }
                (search_form(&p, &dates))
                section.latest aria-labelledby="seneste" {
                    h2 #seneste { "Seneste møder" }
                    ul.meetings {
                        @for (m, _) in meetings.iter().take(12) {
                            li {
                                a href=(meeting_url(&m.meeting_id)) { (m.group.as_deref().unwrap_or("Ukendt mødeforum")) }
                                " · " (date_da(m.date)) " · " (m.kind.map(kind_name).unwrap_or("ukendt type"))
                            }
                        }
                    }
                    p { a href="/?sort=date" { "Alle punkter, nyeste først" } }
                }
            };
            return html_response(StatusCode::OK, layout_with(&state.site, "Søgning", false, None, body));
        }
    }
    let p2 = p.clone();
    let st = state.clone();
    let res = blocking(move || {
        let req = p2.to_request()?;
        let r = run_search(&st, &req)?;
        let without = if r.total == 0 { without_each_filter(&st, &p2) } else { vec![] };
        Ok((r, req.offset, req.limit, without))
    })
    .await;
    // The page size is part of the state only when it is not the default.
    if p.limit.as_deref() == Some("20") {
        p.limit = None;
    }
    match res {
        Ok((r, offset, limit, without)) => {
            let title = match p.q.as_deref().map(str::trim) {
                Some(q) if !q.is_empty() => format!("{q} – søgning"),
                _ => "Søgning".to_string(),
            };
            // A field that could not be read is a bad request, shown with
            // the search it still ran.
            let status = if dates.errors.is_empty() { StatusCode::OK } else { StatusCode::BAD_REQUEST };
            let body = html! {
                h1 { "Søg i mødearkivet" }
                (search_form(&p, &dates))
                @if !dates.errors.is_empty() { p.form-error role="alert" { "Et felt kunne ikke læses; se ved feltet." } }
                @if let Some(n) = &dates.notice { p.notice role="status" { (n) } }
                @if r.total == 0 && !without.is_empty() {
                    section.no-hits aria-labelledby="uden" {
                        h2 #uden { "Prøv uden et af filtrene" }
                        ul {
                            @for w in &without {
                                li { a href=(w.url) { (w.count) " " (if w.count == 1 { "resultat" } else { "resultater" }) " uden filteret " (w.label) } }
                            }
                        }
                    }
                }
                (results(&state, &p, &r, offset, limit))
            };
            html_response(status, layout_with(&state.site, &title, false, Some(&p.url("/feed.atom")), body))
        }
        Err(e) if e.status == StatusCode::BAD_REQUEST => {
            let msg = e.message.clone();
            html_response(StatusCode::BAD_REQUEST, layout(&state.site, "Søgning", false, html! { h1 { "Søg i mødearkivet" } (search_form(&p, &dates)) p role="alert" { "Søgningen kunne ikke udføres: " (msg) } }))
        }
        Err(e) => error_page(&state.site, e),
    }
}

fn section_heading(name: &str) -> String {
    match name {
        "indstilling" => "Indstilling".into(),
        "sagsfremstilling" => "Sagsfremstilling".into(),
        "beslutning" => "Beslutning / referat".into(),
        "bilag" => "Bilag".into(),
        "tekst" => "Tekst".into(),
        "videre_proces" => "Videre proces".into(),
        other => {
            let s = other.replace('_', " ");
            let mut c = s.chars();
            c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
        }
    }
}

/// One section of an item. `id` makes its heading's anchor (`s-{id}`):
/// the section's name, and on a joined item's page the document's place
/// too, as two documents may each have a text of one section.
fn section_html(it: &arkiv_index::StoredItem, name: &str, text: &str, id: &str) -> Markup {
    let anchor = format!("s-{id}");
    // A PDF's lines are its page's lines: read as paragraphs.
    let reflow = it.source.page.is_some();
    let text_html = |t: &str| text_html(t, reflow);
    html! {
        @if name == "bilag" {
            section.part aria-labelledby=(anchor) {
                h2 id=(anchor) { "Bilag" }
                @if it.item.attachments.is_empty() { (text_html(text)) } @else { ul { @for a in &it.item.attachments { li { (a) } } } }
            }
        } @else if name == "beslutning" {
            section.beslutning aria-labelledby=(anchor) {
                h2 id=(anchor) { (section_heading(name)) }
                (text_html(text))
            }
        } @else {
            section.part aria-labelledby=(anchor) {
                h2 id=(anchor) { (section_heading(name)) }
                (text_html(text))
            }
        }
    }
}

/// A section's text: its lines as text, and each run of lines with cells
/// between tabs (a table's rows, as the Word, OpenDocument and web page
/// readers write them) as a table.
fn text_html(text: &str, reflow: bool) -> Markup {
    let joined;
    let text = if reflow {
        joined = paragraphs(text);
        joined.as_str()
    } else {
        text
    };
    let lines: Vec<&str> = text.split('\n').collect();
    let mut runs: Vec<(bool, Vec<&str>)> = vec![];
    for l in lines {
        let row = l.contains('\t');
        match runs.last_mut() {
            Some((r, ls)) if *r == row => ls.push(l),
            _ => runs.push((row, vec![l])),
        }
    }
    html! {
        @for (row, ls) in &runs {
            @if *row {
                table.cells {
                    @for l in ls { tr { @for c in l.split('\t') { td { (c) } } } }
                }
            } @else {
                p.text { (ls.join("\n")) }
            }
        }
    }
}

/// A PDF page's text as paragraphs: a line is joined to the one before it
/// unless that one ends a paragraph (it ends a sentence or a label well
/// short of the block's full lines) or this one opens one (a bullet, a
/// number, a table row). Only what is shown; the stored text keeps its lines.
fn paragraphs(text: &str) -> String {
    let lines: Vec<&str> = text.split('\n').collect();
    let full = lines.iter().map(|l| l.chars().count()).max().unwrap_or(0);
    let opens = |l: &str| {
        let t = l.trim_start();
        t.starts_with("- ") || t.starts_with('•') || t.contains('\t') || t.chars().next().is_some_and(|c| c.is_ascii_digit()) && t.chars().take(4).any(|c| c == '.' || c == ')')
    };
    let mut out = String::with_capacity(text.len());
    for (k, l) in lines.iter().enumerate() {
        if k > 0 {
            let prev = lines[k - 1];
            let ends = prev.trim_end().ends_with(['.', ':', '!', '?']) && prev.chars().count() * 10 < full * 8 || prev.contains('\t') || prev.trim().is_empty();
            out.push(if ends || opens(l) || l.trim().is_empty() { '\n' } else { ' ' });
        }
        out.push_str(l);
    }
    out
}

/// "dagsordenen", "referatet": a document of a meeting, by its kind.
fn document_name(k: Option<arkiv_ingest::Kind>) -> &'static str {
    match k {
        Some(arkiv_ingest::Kind::Dagsorden) => "dagsordenen",
        Some(arkiv_ingest::Kind::Referat) => "referatet",
        Some(arkiv_ingest::Kind::DagsordenOgReferat) => "dagsordenen og referatet",
        None => "dokumentet",
    }
}

fn original_link(source: &arkiv_index::SourceRef, label: &str) -> Markup {
    html! {
        a.original href=(crate::file_url(source)) {
            (label) " (" (source.format.as_str().to_uppercase())
            @match (source.page, source.page_end) {
                (Some(a), Some(b)) if b > a => { ", side " (a) "–" (b) }
                (Some(a), _) => { ", side " (a) }
                _ => {}
            }
            ")"
        }
    }
}

/// Where in its document an item or meeting is: by page for a PDF, by line
/// for text; a Word, web or OpenDocument file says neither.
fn place(format: arkiv_ingest::formats::Format, line: usize, page: Option<u32>) -> String {
    use arkiv_ingest::formats::Format;
    match (format, page) {
        (_, Some(p)) => format!(", side {p}"),
        (Format::Text, None) => format!(", linje {line}"),
        _ => String::new(),
    }
}

/// An address of this service as the request reached it: the Host header,
/// https where a proxy says so.
pub(crate) fn absolute(headers: &axum::http::HeaderMap, path: &str) -> String {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).filter(|h| h.chars().all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))).unwrap_or("localhost");
    let scheme = if headers.get("x-forwarded-proto").and_then(|h| h.to_str().ok()) == Some("https") { "https" } else { "http" };
    format!("{scheme}://{host}{path}")
}

/// A permanent link to copy: a read-only field, which needs no script.
fn permalink(headers: &axum::http::HeaderMap, path: &str) -> Markup {
    html! {
        div.copy {
            label for="permalink" { "Permanent link" }
            input #permalink type="text" readonly value=(absolute(headers, path)) size="50";
        }
    }
}

fn reason_name(r: arkiv_index::Reason) -> &'static str {
    match r {
        arkiv_index::Reason::SameCaseNumber => "samme sagsnummer",
        arkiv_index::Reason::FollowUp => "opfølgning",
        arkiv_index::Reason::SimilarText => "lignende tekst",
    }
}

pub async fn item_page(State(state): State<Arc<AppState>>, headers: axum::http::HeaderMap, Path(id): Path<String>) -> Response {
    let st = state.clone();
    let (item, meeting) = match blocking(move || load_item(&st, &id)).await {
        Ok(Found::Here(x)) => x,
        Ok(Found::MovedTo(now)) => return moved(item_url(&now)),
        Err(e) if e.status == StatusCode::NOT_FOUND => return not_found_page(&state.site, "Punktet findes ikke i arkivet. Det kan være fjernet, eller adressen kan være forkert."),
        Err(e) => return error_page(&state.site, e),
    };
    let it = &item.item;
    let m = &it.meeting;
    let joined = it.documents.len() > 1;
    let body = html! {
        p.meta {
            a href=(item.meeting_url) { (m.head.group.as_deref().unwrap_or("Ukendt mødeforum")) " · " (date_da(m.head.date)) " · " (it.kind.map(kind_name).unwrap_or("ukendt type")) }
        }
        h1 { "Punkt " (it.item.number) ". " (it.item.title) }
        @if let Some(c) = it.item.ocr {
            p.ocr { "Teksten er læst med OCR fra en scannet side (sikkerhed " (c) " %). Ord kan være læst forkert; det oprindelige dokument er kilden." }
        }
        dl.meeting {
            dt { "Mødeforum" } dd { (m.head.group.as_deref().unwrap_or("ukendt")) }
            dt { "Dato" } dd { (date_da(m.head.date)) }
            dt { "Type" } dd { (it.kind.map(kind_name).unwrap_or("ukendt")) }
            @if let Some(place) = &m.head.place { dt { "Sted" } dd { (place) } }
        }
        @if !joined {
            p.original { (original_link(&it.source, "Åbn originalen")) }
        }
        @if joined {
            @for (k, d) in it.documents.iter().enumerate() {
                section.document aria-labelledby=(format!("d-{k}")) {
                    h2.document id=(format!("d-{k}")) { "Fra " (document_name(d.kind)) }
                    p.original {
                        @if d.number != it.item.number || d.title != it.item.title { "Punkt " (d.number) ". " (d.title) " · " }
                        (original_link(&d.source, &format!("Åbn {}", document_name(d.kind))))
                    }
                    @for (name, text) in it.sections_of(k) {
                        (section_html(it, name, text, &format!("{k}-{name}")))
                    }
                }
            }
        } @else {
            @for (name, text) in it.sections_of(0) { (section_html(it, name, text, name)) }
        }
        @if !it.item.attachments.is_empty() && !it.item.section_order.iter().any(|n| n == "bilag") {
            section.part { h2 { "Bilag" } ul { @for a in &it.item.attachments { li { (a) } } } }
        }
        @if !it.item.municipalities.is_empty() {
            p.tags { "Kommuner: " @for mu in &it.item.municipalities { a href=(SearchParams::default().toggle("municipality", mu).url("/")) { (mu) } " " } }
        }
        @if !it.item.regions.is_empty() {
            p.tags { "Regioner: " @for r in &it.item.regions { a href=(SearchParams::default().toggle("region", r).url("/")) { (r) } " " } }
        }
        @if !it.item.topics.is_empty() {
            p.tags { "Emner: " @for t in &it.item.topics { a href=(SearchParams::default().toggle("topic", t).url("/")) { (state.topic_name(t)) } " " } }
        }
        section.history aria-labelledby="historik" {
            h2 #historik { "Tidligere og senere behandling" }
            @if item.related.is_empty() {
                p { "Arkivet har ingen andre punkter om samme sag." }
            } @else {
                ol.history {
                    @for r in &item.related {
                        li {
                            span.date { (date_da(r.related.date)) } " · "
                            (r.related.group.as_deref().unwrap_or("ukendt mødeforum")) " · "
                            a href=(r.url) { "Punkt " (r.related.number) ". " (r.related.title) }
                            " " span.reason { "(" (reason_name(r.related.reason)) ")" }
                            @if let Some(d) = &r.related.decision { p.decision { "Beslutning: " (d) } }
                        }
                    }
                }
            }
        }
        nav.neighbours aria-label="Mødets punkter" {
            @if let Some(p) = &item.previous { a href=(p.url) rel="prev" { "← Punkt " (p.number) ". " (p.title) } } @else { span {} }
            a href=(item.meeting_url) { "Hele mødet (" (meeting.items.len()) " punkter)" }
            @if let Some(n) = &item.next { a href=(n.url) rel="next" { "Punkt " (n.number) ". " (n.title) " →" } }
        }
        footer.source {
            p { "Kilde: "
                @for (k, d) in it.documents.iter().enumerate() {
                    @if k > 0 { "; " }
                    code { (d.source.path) } (place(d.source.format, d.source.line, d.source.page))
                }
            }
            (permalink(&headers, &item.url))
        }
    };
    html_response(StatusCode::OK, layout(&state.site, &it.item.title, true, body))
}

pub async fn meeting_page(State(state): State<Arc<AppState>>, headers: axum::http::HeaderMap, Path(id): Path<String>) -> Response {
    let st = state.clone();
    let id2 = id.clone();
    let view = match blocking(move || find(&id2, |i| st.index.meeting(i), |i| st.index.meeting_id_for(i))).await {
        Ok(Found::Here(v)) => v,
        Ok(Found::MovedTo(now)) => return moved(meeting_url(&now)),
        Err(e) if e.status == StatusCode::NOT_FOUND => return not_found_page(&state.site, "Mødet findes ikke i arkivet."),
        Err(e) => return error_page(&state.site, e),
    };
    let m = &view.meeting;
    let title = format!("{} {}", m.head.group.as_deref().unwrap_or("Møde"), date_da(m.head.date));
    let body = html! {
        h1 { (m.head.kind.map(kind_name).unwrap_or("Møde")) ": " (m.head.group.as_deref().unwrap_or("ukendt mødeforum")) @if m.head.date.is_some() { ", " (date_da(m.head.date)) } }
        @if !m.documents.is_empty() {
            p.original {
                @for (k, d) in m.documents.iter().enumerate() {
                    @if k > 0 { " · " }
                    a.original href=(format!("/files/{}", d.document)) { "Åbn " (document_name(d.kind)) }
                }
            }
        }
        dl.meeting {
            dt { "Dato" } dd { (date_da(m.head.date)) }
            @if let Some(p) = &m.head.place { dt { "Sted" } dd { (p) } }
            @if let Some(c) = &m.head.chair { dt { "Mødeleder" } dd { (c) } }
            @if let Some(s) = &m.head.secretary { dt { "Referent" } dd { (s) } }
            @if !m.head.participants.is_empty() { dt { "Deltagere" } dd { (m.head.participants.join(", ")) } }
            @if !m.head.absentees.is_empty() { dt { "Afbud" } dd { (m.head.absentees.join(", ")) } }
            @if let Some(c) = &m.head.case_number { dt { "Sagsnummer" } dd { (c) } }
        }
        h2 { "Punkter" }
        ol.items {
            @for it in &view.items {
                li value=(it.number) { a href=(item_url(&it.id)) { (it.title) } }
            }
        }
        footer.source {
            p { "Kilde: "
                @for (k, d) in m.documents.iter().enumerate() {
                    @if k > 0 { "; " }
                    code { (d.path) } (if arkiv_ingest::formats::Format::of_path(&d.path) == Some(arkiv_ingest::formats::Format::Text) { format!(", linje {}", d.line) } else { String::new() })
                }
            }
            (permalink(&headers, &meeting_url(&m.head.id)))
        }
    };
    html_response(StatusCode::OK, layout(&state.site, &title, true, body))
}

#[cfg(test)]
mod tests {
    use super::paragraphs;

    #[test]
    fn a_pdf_pages_lines_are_read_as_paragraphs() {
        let text = "Regionspsykiatrien og kommunerne har\nsiden foråret haft faste møder om\nborgere med psykisk sygdom.\nOdder Kommune foreslår, at modellen\nudbredes.\nDet indstilles:\n- at modellen udbredes\n- at den beskrives\nKommune\tStatus\nOdder\tKlar";
        assert_eq!(
            paragraphs(text),
            "Regionspsykiatrien og kommunerne har siden foråret haft faste møder om borgere med psykisk sygdom.\nOdder Kommune foreslår, at modellen udbredes.\nDet indstilles:\n- at modellen udbredes\n- at den beskrives\nKommune\tStatus\nOdder\tKlar"
        );
    }
}
