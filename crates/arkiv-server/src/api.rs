//! The JSON API.

use crate::params::SearchParams;
use crate::{blocking, ApiError, AppState, ErrorBody};
use arkiv_index::{Facets, Hit, HitItem, IndexError, MeetingView, Related, StoredItem};
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use axum_extra::extract::Query;
use serde::Serialize;
use std::sync::Arc;
use utoipa::OpenApi;

/// A search hit with its permalink.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ApiHit {
    #[serde(flatten)]
    pub hit: HitItem,
    /// The best passage, HTML-escaped, with the matches in `<mark>`.
    pub snippet: String,
    /// The title, HTML-escaped, with the matches in `<mark>`.
    pub title_html: String,
    /// The relevance score; 0 in date order.
    pub score: f32,
    /// Permalink of the item's page; stable across re-indexing.
    pub url: String,
    /// The original document, opened at the item's page where it is known
    /// (`/files/{document}#page=N`).
    pub file_url: String,
}

impl From<Hit> for ApiHit {
    fn from(h: Hit) -> ApiHit {
        ApiHit {
            snippet: crate::highlight::to_html(&h.snippet),
            title_html: crate::highlight::to_html(&h.title()),
            score: h.score,
            url: item_url(&h.item.id),
            file_url: crate::file_url(&h.item.source),
            hit: h.item,
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ApiSearchResponse {
    pub query: String,
    pub total: usize,
    pub hits: Vec<ApiHit>,
    /// Counts for the current query and filters; a facet's own filter is
    /// left out of its counts, so its other values stay visible.
    pub facets: Facets,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Neighbour {
    pub id: String,
    pub number: u32,
    pub title: String,
    pub url: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ApiItem {
    #[serde(flatten)]
    pub item: StoredItem,
    pub url: String,
    pub meeting_url: String,
    /// The original document, opened at the item's page where it is known.
    pub file_url: String,
    pub previous: Option<Neighbour>,
    pub next: Option<Neighbour>,
    /// Earlier and later items on the same matter, by date, each with why.
    pub related: Vec<ApiRelated>,
}

/// An item in another's history, with its permalink.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ApiRelated {
    #[serde(flatten)]
    pub related: Related,
    pub url: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ApiMeeting {
    #[serde(flatten)]
    pub meeting: MeetingView,
    pub url: String,
}

pub fn item_url(id: &str) -> String {
    format!("/items/{id}")
}

pub fn meeting_url(id: &str) -> String {
    format!("/meetings/{id}")
}

pub(crate) fn run_search(state: &AppState, req: &arkiv_index::SearchRequest) -> Result<ApiSearchResponse, ApiError> {
    let r = state.index.search(req)?;
    Ok(ApiSearchResponse {
        query: r.query,
        total: r.total,
        hits: r.hits.into_iter().map(ApiHit::from).collect(),
        facets: r.facets,
    })
}

/// Search agenda items.
#[utoipa::path(get, path = "/api/search", params(SearchParams),
    responses(
        (status = 200, description = "the hits and the facet counts", body = ApiSearchResponse),
        (status = 400, description = "a parameter is not what the API takes; the message says which and why", body = ErrorBody),
        (status = 431, description = "the request's head (its URI and headers) is longer than the 64 KB the service reads"),
        (status = 503, description = "the request ran past the service's time limit (10 s)"),
    ))]
pub async fn search(
    State(state): State<Arc<AppState>>,
    raw: axum::extract::RawQuery,
    q: Result<Query<SearchParams>, axum_extra::extract::QueryRejection>,
) -> Result<Json<ApiSearchResponse>, ApiError> {
    crate::params::refuse_empty_typed(raw.0.as_deref())?;
    let Query(p) = q.map_err(|e| ApiError::bad_request(e.body_text()))?;
    blocking(move || run_search(&state, &p.to_request()?)).await.map(Json)
}

/// What an id asked for is now: the thing itself, or the id it goes by
/// since its meeting's documents were joined.
pub(crate) enum Found<T> {
    Here(T),
    MovedTo(String),
}

/// Looks an id up, and where it is not found as it is, among the ids the
/// joined items and meetings had before.
pub(crate) fn find<T>(
    id: &str,
    get: impl FnOnce(&str) -> Result<T, IndexError>,
    alias: impl FnOnce(&str) -> Result<Option<String>, IndexError>,
) -> Result<Found<T>, ApiError> {
    match get(id) {
        Ok(x) => Ok(Found::Here(x)),
        Err(IndexError::NotFound(m)) => match alias(id)? {
            Some(now) if now != id => Ok(Found::MovedTo(now)),
            _ => Err(ApiError::not_found(m)),
        },
        Err(e) => Err(e.into()),
    }
}

/// A permanent redirect: the resource has one id from now on.
pub(crate) fn moved(to: String) -> Response {
    axum::response::Redirect::permanent(&to).into_response()
}

pub(crate) fn load_item(state: &AppState, id: &str) -> Result<Found<(ApiItem, MeetingView)>, ApiError> {
    let item = match find(id, |i| state.index.item(i), |i| state.index.item_id_for(i))? {
        Found::Here(item) => item,
        Found::MovedTo(now) => return Ok(Found::MovedTo(now)),
    };
    let meeting = state.index.meeting(&item.meeting.head.id)?;
    let pos = meeting.items.iter().position(|i| i.id == item.item.id);
    let neighbour = |k: Option<usize>| {
        k.and_then(|k| meeting.items.get(k)).map(|i| Neighbour { id: i.id.clone(), number: i.number, title: i.title.clone(), url: item_url(&i.id) })
    };
    let previous = neighbour(pos.and_then(|p| p.checked_sub(1)));
    let next = neighbour(pos.map(|p| p + 1));
    let related = state.index.related(&item)?.into_iter().map(|r| ApiRelated { url: item_url(&r.id), related: r }).collect();
    Ok(Found::Here((
        ApiItem { url: item_url(&item.item.id), meeting_url: meeting_url(&item.meeting.head.id), file_url: crate::file_url(&item.source), item, previous, next, related },
        meeting,
    )))
}

/// One whole item: all sections, its meeting and source.
#[utoipa::path(get, path = "/api/items/{id}", params(("id" = String, Path, description = "item id, as a search hit gives it", pattern = "^[0-9a-f]{16}$")),
    responses(
        (status = 200, description = "the item", body = ApiItem),
        (status = 308, description = "the id is one the item had before its agenda and minutes were joined; `Location` gives the item's id now"),
        (status = 404, description = "no item has this id", body = ErrorBody),
        (status = 431, description = "the request's head (its URI and headers) is longer than the 64 KB the service reads"),
        (status = 503, description = "the request ran past the service's time limit (10 s)"),
    ))]
pub async fn item(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> Result<Response, ApiError> {
    Ok(match blocking(move || load_item(&state, &id)).await? {
        Found::Here((i, _)) => Json(i).into_response(),
        Found::MovedTo(now) => moved(format!("/api{}", item_url(&now))),
    })
}

/// A meeting with its items in order.
#[utoipa::path(get, path = "/api/meetings/{id}", params(("id" = String, Path, description = "meeting id, as an item gives it", pattern = "^[0-9a-f]{16}$")),
    responses(
        (status = 200, description = "the meeting", body = ApiMeeting),
        (status = 308, description = "the id is the one the meeting's minutes (or another of its documents) give it; `Location` gives the meeting's id"),
        (status = 404, description = "no meeting has this id", body = ErrorBody),
        (status = 431, description = "the request's head (its URI and headers) is longer than the 64 KB the service reads"),
        (status = 503, description = "the request ran past the service's time limit (10 s)"),
    ))]
pub async fn meeting(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> Result<Response, ApiError> {
    Ok(match blocking(move || find(&id, |i| state.index.meeting(i), |i| state.index.meeting_id_for(i))).await? {
        Found::Here(m) => Json(ApiMeeting { url: meeting_url(&m.meeting.head.id), meeting: m }).into_response(),
        Found::MovedTo(now) => moved(format!("/api{}", meeting_url(&now))),
    })
}

/// Every facet value with its count over the whole archive.
#[utoipa::path(get, path = "/api/facets", responses((status = 200, description = "every facet value with its count", body = Facets), (status = 503, description = "the request ran past the service's time limit (10 s)")))]
pub async fn facets(State(state): State<Arc<AppState>>) -> Result<Json<Facets>, ApiError> {
    blocking(move || Ok(state.index.facets()?)).await.map(Json)
}

#[derive(OpenApi)]
#[openapi(
    info(title = "arkiv", description = "Search the archives of Danish cross-sector health meetings: agenda items with their decisions, by group, date, municipality, region and topic."),
    paths(search, crate::export::search_csv, item, meeting, facets),
    components(schemas(ApiSearchResponse, ApiHit, ApiItem, ApiMeeting, Neighbour, ApiRelated, ErrorBody, arkiv_ingest::Kind, crate::params::SortParam))
)]
pub struct ApiDoc;

/// This API's OpenAPI 3 description, with the id of a real item and
/// meeting of this archive as the examples of the id parameters (so that a
/// client or tester generated from it reaches more than "not found").
pub async fn openapi(State(state): State<Arc<AppState>>) -> Json<serde_json::Value> {
    let mut doc = serde_json::to_value(ApiDoc::openapi()).unwrap_or_default();
    let newest = blocking(move || Ok(state.index.search(&arkiv_index::SearchRequest { limit: 1, sort: arkiv_index::Sort::Date, ..Default::default() })?)).await;
    if let Some(hit) = newest.ok().and_then(|r| r.hits.into_iter().next()) {
        for (path, id) in [("/api/items/{id}", hit.item.id), ("/api/meetings/{id}", hit.item.meeting_id)] {
            if let Some(params) = doc.pointer_mut(&format!("/paths/{}/get/parameters", path.replace('~', "~0").replace('/', "~1"))).and_then(|p| p.as_array_mut()) {
                for p in params.iter_mut().filter(|p| p["name"] == "id") {
                    p["example"] = serde_json::Value::String(id.clone());
                }
            }
        }
    }
    Json(doc)
}
