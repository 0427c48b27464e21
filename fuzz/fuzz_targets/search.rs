//! The query parser and the whole search, on arbitrary query strings and
//! parameter combinations, through the service's router against a small
//! index of the sample archive: the API, the search page and the feed
//! answer every request with a 2xx, 3xx or 4xx, never a 5xx or a panic, and
//! the API's answers are JSON.
#![no_main]

use axum::body::Body;
use axum::http::Request;
use http_body_util::BodyExt;
use libfuzzer_sys::fuzz_target;
use std::sync::{Arc, LazyLock};
use tower::ServiceExt;

struct Served {
    _dir: tempfile::TempDir,
    state: Arc<arkiv_server::AppState>,
    rt: tokio::runtime::Runtime,
}

static SERVED: LazyLock<Served> = LazyLock::new(|| {
    let dir = tempfile::tempdir().unwrap();
    let ix = dir.path().join("index");
    let archive = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../crates/arkiv-cli/sample");
    let cfg = arkiv_ingest::Config::embedded();
    arkiv_index::index_archive(&archive, &ix, &cfg, arkiv_ingest::EMBEDDED_SYNONYMS).unwrap();
    let mut state = arkiv_server::AppState::new(Arc::new(arkiv_index::ArkivIndex::open(&ix).unwrap()));
    state.topic_names = cfg.topics.iter().map(|t| (t.slug.clone(), t.name.clone())).collect();
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    Served { _dir: dir, state: Arc::new(state), rt }
});

/// The first byte picks the route; the rest is the query string, as a
/// client could send it (bytes a URI can't hold are percent-encoded, so the
/// decoder sees every byte, invalid UTF-8 and bad escapes included).
const ROUTES: &[&str] = &["/api/search", "/", "/feed.atom", "/api/facets"];

fuzz_target!(|data: &[u8]| {
    let Some((&which, raw)) = data.split_first() else { return };
    let s = &*SERVED;
    let path = ROUTES[which as usize % ROUTES.len()];
    let query: String = raw.iter().map(|&b| if b.is_ascii_graphic() && b != b'#' { (b as char).to_string() } else { format!("%{b:02X}") }).collect();
    let Ok(req) = Request::get(format!("{path}?{query}")).body(Body::empty()) else { return };
    let (status, ctype, body) = s.rt.block_on(async {
        let resp = arkiv_server::app(s.state.clone()).oneshot(req).await.unwrap();
        let status = resp.status();
        let ctype = resp.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
        let body = resp.into_body().collect().await.unwrap().to_bytes();
        (status, ctype, body)
    });
    assert!(!status.is_server_error(), "{path}?{query}: {status}: {}", String::from_utf8_lossy(&body));
    if path.starts_with("/api/") {
        assert!(ctype.starts_with("application/json"), "{path}?{query}: {ctype}");
        let _: serde_json::Value = serde_json::from_slice(&body).unwrap_or_else(|e| panic!("{path}?{query}: not JSON: {e}"));
    }
});
