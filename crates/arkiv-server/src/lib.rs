//! arkiv-server: the HTTP service. A JSON API (documented by an OpenAPI 3
//! description generated from this code), server-rendered pages in Danish,
//! permalinks to items and meetings, and Atom feeds of searches.
//!
//! `app(state)` builds the whole router, so tests call
//! `app(state).oneshot(request)` without a socket. The server never parses
//! documents: it reads the index, which picks up new commits by itself.
//!
//! **API boundary:** errors are JSON `{"error":{"code","message"}}` with a
//! 4xx status for anything a client can send; a 5xx is a fault of ours,
//! logged, and its body says only "internal error".

mod api;
mod export;
mod feed;
mod highlight;
mod files;
mod listen;
mod pages;
mod params;
pub mod site;

pub use api::ApiDoc;
pub use files::file_url;
pub use listen::{serve, Limits};
pub use params::SearchParams;

use arkiv_index::{ArkivIndex, IndexError};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

/// What the service needs: the index, and a little configuration.
pub struct AppState {
    pub index: Arc<ArkivIndex>,
    /// Origins allowed to call the API from a browser (none by default).
    pub cors_origins: Vec<String>,
    /// Topic slug -> name shown on pages.
    pub topic_names: HashMap<String, String>,
    pub request_timeout: Duration,
    /// The archive folder the original files are served from: the one the
    /// index was last built from, unless the program says otherwise.
    pub archive: Option<std::path::PathBuf>,
    /// Whose archive it is: header, footer, accessibility statement.
    pub site: site::Site,
}

impl AppState {
    pub fn new(index: Arc<ArkivIndex>) -> AppState {
        let archive = index.manifest().ok().and_then(|m| m.archive).map(Into::into);
        AppState { index, cors_origins: vec![], topic_names: HashMap::new(), request_timeout: Duration::from_secs(10), archive, site: site::Site::embedded() }
    }

    pub fn topic_name<'a>(&'a self, slug: &'a str) -> &'a str {
        self.topic_names.get(slug).map(|s| s.as_str()).unwrap_or(slug)
    }
}

/// An error for the API: a stable code, a status and a message.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
}

impl ApiError {
    pub fn internal(message: impl Into<String>) -> ApiError {
        ApiError { status: StatusCode::INTERNAL_SERVER_ERROR, code: "internal", message: message.into() }
    }

    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError { status: StatusCode::BAD_REQUEST, code: "bad_request", message: message.into() }
    }
    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError { status: StatusCode::NOT_FOUND, code: "not_found", message: message.into() }
    }
}

impl From<IndexError> for ApiError {
    fn from(e: IndexError) -> ApiError {
        match e {
            IndexError::BadRequest(m) => ApiError::bad_request(m),
            IndexError::NotFound(m) => ApiError::not_found(m),
            other => {
                tracing::error!(error = %other, "internal error");
                ApiError { status: StatusCode::INTERNAL_SERVER_ERROR, code: "internal", message: "internal error".into() }
            }
        }
    }
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// Stable, machine-readable: bad_request, not_found, method_not_allowed, timeout, internal.
    pub code: String,
    pub message: String,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(ErrorBody { error: ErrorDetail { code: self.code.into(), message: self.message } })).into_response()
    }
}

/// Runs blocking index work off the async threads.
pub(crate) async fn blocking<T: Send + 'static>(f: impl FnOnce() -> Result<T, ApiError> + Send + 'static) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f).await.unwrap_or_else(|e| {
        tracing::error!(error = %e, "search task failed");
        Err(ApiError { status: StatusCode::INTERNAL_SERVER_ERROR, code: "internal", message: "internal error".into() })
    })
}

async fn healthz(axum::extract::State(s): axum::extract::State<Arc<AppState>>) -> Json<serde_json::Value> {
    Json(serde_json::json!({"status": "ok", "items": s.index.num_items()}))
}

async fn not_found_fallback(axum::extract::State(s): axum::extract::State<Arc<AppState>>, uri: axum::http::Uri) -> Response {
    if uri.path().starts_with("/api/") {
        ApiError::not_found(format!("no such endpoint: {}", uri.path())).into_response()
    } else {
        pages::not_found_page(&s.site, "Siden findes ikke.")
    }
}

async fn method_fallback() -> ApiError {
    ApiError { status: StatusCode::METHOD_NOT_ALLOWED, code: "method_not_allowed", message: "only GET is served".into() }
}

/// The whole service.
pub fn app(state: Arc<AppState>) -> Router {
    let cors = if state.cors_origins.is_empty() {
        None
    } else {
        let origins: Vec<HeaderValue> = state.cors_origins.iter().filter_map(|o| HeaderValue::from_str(o).ok()).collect();
        Some(CorsLayer::new().allow_origin(AllowOrigin::list(origins)).allow_methods([Method::GET]))
    };
    let timeout = state.request_timeout;
    let mut router = Router::new()
        .route("/api/search", get(api::search))
        .route("/api/search.csv", get(export::search_csv))
        .route("/api/items/{id}", get(api::item))
        .route("/api/meetings/{id}", get(api::meeting))
        .route("/api/facets", get(api::facets))
        .route("/api/openapi.json", get(api::openapi))
        .route("/healthz", get(healthz))
        .route("/", get(pages::search_page))
        .route("/items/{id}", get(pages::item_page))
        .route("/meetings/{id}", get(pages::meeting_page))
        .route("/feed.atom", get(feed::feed))
        .route("/files/{id}", get(files::file))
        .route("/static/style.css", get(pages::stylesheet))
        .route("/static/fonts/{name}", get(pages::font))
        .route(site::STATEMENT_PATH, get(pages::statement_page))
        .route("/foelg", get(pages::follow_page))
        .fallback(not_found_fallback)
        .method_not_allowed_fallback(method_fallback)
        .with_state(state)
        // No request here has a body.
        .layer(RequestBodyLimitLayer::new(0))
        .layer(TimeoutLayer::with_status_code(StatusCode::SERVICE_UNAVAILABLE, timeout))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(tower_http::trace::DefaultMakeSpan::new().level(tracing::Level::INFO))
                .on_request(())
                .on_response(tower_http::trace::DefaultOnResponse::new().level(tracing::Level::INFO).latency_unit(tower_http::LatencyUnit::Micros)),
        );
    if let Some(c) = cors {
        router = router.layer(c);
    }
    router
}
