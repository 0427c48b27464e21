//! The original documents: `/files/{document-id}`, opened in the browser at
//! an item's page with `#page=N`.
//!
//! A file is found by its document id in the index, never by a path from the
//! request: only documents the index holds items of are served, from the
//! archive folder the index was built from.

use crate::{ApiError, AppState};
use arkiv_index::SourceRef;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use std::io::Read;
use std::sync::Arc;

/// The link to an item's original document, at its page where known.
pub fn file_url(source: &SourceRef) -> String {
    match source.page {
        Some(p) => format!("/files/{}#page={p}", source.document),
        None => format!("/files/{}", source.document),
    }
}

fn is_document_id(id: &str) -> bool {
    id.len() == 16 && id.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

/// `Content-Disposition: inline` with the file's name, in ASCII and in UTF-8 (RFC 6266).
fn disposition(path: &str) -> HeaderValue {
    let name = path.rsplit('/').next().unwrap_or("dokument");
    let ascii: String = name.chars().map(|c| if c.is_ascii_alphanumeric() || "-_. ".contains(c) { c } else { '_' }).collect();
    let encoded: String = name.bytes().map(|b| if b.is_ascii_alphanumeric() || b"-_.".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") }).collect();
    HeaderValue::from_str(&format!("inline; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")).unwrap_or(HeaderValue::from_static("inline"))
}

pub async fn file(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> Result<Response, ApiError> {
    if !is_document_id(&id) {
        return Err(ApiError::bad_request("a document id is 16 lowercase hexadecimal characters"));
    }
    let st = state.clone();
    let (source, path) = crate::blocking(move || {
        let source = st.index.document(&id)?;
        let root = st.archive.as_ref().ok_or_else(|| ApiError::not_found("the archive folder of this index is not known, so its files cannot be served"))?;
        Ok((source.clone(), root.join(&source.path)))
    })
    .await?;
    let gone = || ApiError::not_found(format!("the document {} is no longer in the archive", source.path));
    let f = tokio::fs::File::open(&path).await.map_err(|_| gone())?;
    let meta = f.metadata().await.map_err(|_| gone())?;
    if !meta.is_file() {
        return Err(gone());
    }
    let mut content_type = source.format.content_type().to_string();
    if source.format == arkiv_ingest::formats::Format::Text {
        // Text files are UTF-8 or Windows-1252 (see the decoder); say which.
        let p = path.clone();
        let head = tokio::task::spawn_blocking(move || {
            let mut v = vec![];
            let _ = std::fs::File::open(p).and_then(|f| f.take(64 * 1024).read_to_end(&mut v));
            v
        })
        .await
        .unwrap_or_default();
        let utf8 = match std::str::from_utf8(&head) {
            Ok(_) => true,
            Err(e) => e.error_len().is_none(),
        };
        content_type.push_str(if utf8 { "; charset=utf-8" } else { "; charset=windows-1252" });
    }
    let body = Body::from_stream(tokio_util::io::ReaderStream::new(f));
    let mut r = (StatusCode::OK, body).into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_str(&content_type).unwrap_or(HeaderValue::from_static("application/octet-stream")));
    h.insert(header::CONTENT_DISPOSITION, disposition(&source.path));
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(meta.len()));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    Ok(r)
}
