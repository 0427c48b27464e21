//! A search as a spreadsheet: every hit (up to the search window, 1,000)
//! as a CSV row the way Danish Excel opens it: UTF-8 with a byte order mark,
//! semicolons between the fields, CRLF line ends. Staff who report on a
//! matter ("all decisions on rygestop since 2020") take it from here.

use crate::api::{item_url, run_search};
use crate::params::SearchParams;
use crate::{blocking, ApiError, AppState};
use axum::extract::State;
use axum_extra::extract::Query;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// The columns, in order: one list for the header and the rows.
pub const COLUMNS: [&str; 10] = ["Mødeforum", "Dato", "Type", "Punkt", "Titel", "Kommuner", "Emner", "Beslutning", "Permanent link", "Dokument"];

#[utoipa::path(get, path = "/api/search.csv", params(SearchParams),
    responses(
        (status = 200, description = "every hit of the search (at most 1,000) as CSV for Excel: UTF-8 with BOM, semicolon-separated, a header row of Mødeforum;Dato;Type;Punkt;Titel;Kommuner;Emner;Beslutning;Permanent link;Dokument", content_type = "text/csv"),
        (status = 400, description = "a parameter is not what the API takes; the message says which and why", body = crate::ErrorBody),
    ))]
pub async fn search_csv(State(state): State<Arc<AppState>>, headers: axum::http::HeaderMap, raw: axum::extract::RawQuery, q: Result<Query<SearchParams>, axum_extra::extract::QueryRejection>) -> Result<Response, ApiError> {
    crate::params::refuse_empty_typed(raw.0.as_deref())?;
    let Query(p) = q.map_err(|e| ApiError::bad_request(e.body_text()))?;
    let base = crate::pages::absolute(&headers, "");
    let body = blocking(move || rows(&state, p, &base)).await?;
    Ok((
        [(header::CONTENT_TYPE, "text/csv; charset=utf-8"), (header::CONTENT_DISPOSITION, "attachment; filename=\"arkiv-soegning.csv\"")],
        body,
    )
        .into_response())
}

fn rows(state: &AppState, mut p: SearchParams, base: &str) -> Result<Vec<u8>, ApiError> {
    // The request as given is checked as a search's is, its paging too,
    // though the export takes every hit.
    arkiv_index::search_limits::validate(&p.to_request()?)?;
    let mut out = b"\xef\xbb\xbf".to_vec();
    let mut w = csv::WriterBuilder::new().delimiter(b';').terminator(csv::Terminator::CRLF).from_writer(&mut out);
    let fail = |e: csv::Error| ApiError::internal(format!("CSV: {e}"));
    w.write_record(COLUMNS).map_err(fail)?;
    let page = arkiv_index::search_limits::MAX_LIMIT;
    let mut offset = 0;
    loop {
        p.limit = Some(page.to_string());
        p.offset = Some(offset.to_string());
        let r = run_search(state, &p.to_request()?)?;
        for h in &r.hits {
            let it = &h.hit;
            let decision = state.index.item(&it.id).ok().and_then(|s| s.item.sections.get("beslutning").cloned()).unwrap_or_default();
            let date = it.date.map(|d| d.format("%d-%m-%Y").to_string()).unwrap_or_default();
            let kind = it.kind.map(|k| crate::pages::kind_name(k).to_string()).unwrap_or_default();
            let topics: Vec<&str> = it.topics.iter().map(|t| state.topic_name(t)).collect();
            w.write_record([
                it.group.as_deref().unwrap_or(""),
                &date,
                &kind,
                &it.number.to_string(),
                &it.title,
                &it.municipalities.join(", "),
                &topics.join(", "),
                &decision.split_whitespace().collect::<Vec<_>>().join(" "),
                &format!("{base}{}", item_url(&it.id)),
                &it.source.path,
            ])
            .map_err(fail)?;
        }
        offset += r.hits.len();
        if r.hits.is_empty() || offset >= r.total || offset + page > arkiv_index::search_limits::MAX_WINDOW {
            break;
        }
    }
    w.flush().map_err(|e| ApiError::internal(format!("CSV: {e}")))?;
    drop(w);
    Ok(out)
}
