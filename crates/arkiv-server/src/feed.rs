//! Atom feeds of searches: the newest matching items, so an intranet page or
//! a feed reader can follow a subject.

use crate::api::run_search;
use crate::params::SearchParams;
use crate::{blocking, ApiError, AppState};
use atom_syndication::{Content, Entry, Feed, Link, Person, Text};
use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::Query;
use std::sync::Arc;

fn base_url(headers: &HeaderMap) -> String {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
    format!("http://{host}")
}

fn datetime(d: Option<chrono::NaiveDate>) -> chrono::DateTime<chrono::FixedOffset> {
    let d = d.unwrap_or_default();
    d.and_hms_opt(12, 0, 0).unwrap().and_utc().fixed_offset()
}

pub async fn feed(State(state): State<Arc<AppState>>, headers: HeaderMap, q: Result<Query<SearchParams>, axum_extra::extract::QueryRejection>) -> Result<Response, ApiError> {
    let Query(mut p) = q.map_err(|e| ApiError::bad_request(e.body_text()))?;
    p.sort = Some("date".into());
    p.offset = None;
    if p.limit.is_none() {
        p.limit = Some("50".into());
    }
    let base = base_url(&headers);
    let p2 = p.clone();
    let r = blocking(move || run_search(&state, &p2.to_request()?)).await?;
    let mut page = p.clone();
    page.sort = None;
    page.limit = None;
    let title = match p.q.as_deref().map(str::trim) {
        Some(q) if !q.is_empty() => format!("arkiv: {q}"),
        _ => "arkiv: nyeste punkter".to_string(),
    };
    let updated = datetime(r.hits.first().and_then(|h| h.hit.date));
    let entries: Vec<Entry> = r
        .hits
        .iter()
        .map(|h| {
            let url = format!("{base}{}", h.url);
            let mut e = Entry::default();
            e.set_id(format!("urn:arkiv:item:{}", h.hit.id));
            e.set_title(Text::plain(format!("{} – {}", h.hit.title, h.hit.group.as_deref().unwrap_or("ukendt mødeforum"))));
            e.set_updated(datetime(h.hit.date));
            // The item's page, and each of its originals (its agenda, its minutes).
            let originals = h.hit.documents.iter().map(|d| Link {
                href: format!("{base}{}", crate::file_url(&d.source)),
                rel: "related".into(),
                mime_type: Some(d.source.format.content_type().into()),
                ..Default::default()
            });
            e.set_links(std::iter::once(Link { href: url, rel: "alternate".into(), mime_type: Some("text/html".into()), ..Default::default() }).chain(originals).collect::<Vec<_>>());
            let mut c = Content::default();
            c.set_content_type(Some("html".to_string()));
            c.set_value(Some(h.snippet.clone()));
            e.set_content(Some(c));
            e
        })
        .collect();
    let mut f = Feed::default();
    f.set_id(format!("{base}{}", p.url("/feed.atom")));
    f.set_title(Text::plain(title));
    f.set_updated(updated);
    f.set_authors(vec![Person { name: "arkiv".into(), ..Default::default() }]);
    f.set_links(vec![
        Link { href: format!("{base}{}", page.url("/")), rel: "alternate".into(), mime_type: Some("text/html".into()), ..Default::default() },
        Link { href: format!("{base}{}", p.url("/feed.atom")), rel: "self".into(), mime_type: Some("application/atom+xml".into()), ..Default::default() },
    ]);
    f.set_entries(entries);
    Ok(([(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")], f.to_string()).into_response())
}
