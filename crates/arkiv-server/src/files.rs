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
    // Found and opened in one blocking task. The file is opened as the walk
    // reads it: a regular file only, never waiting on one (a FIFO in its
    // place), and only inside the archive (a link put in its place since it
    // was indexed could point anywhere).
    let (source, f, meta, head) = crate::blocking(move || {
        let source = state.index.document(&id)?;
        let root = state.archive.as_ref().ok_or_else(|| ApiError::not_found("the archive folder of this index is not known, so its files cannot be served"))?;
        let gone = || ApiError::not_found(format!("the document {} is no longer in the archive", source.path));
        let path = root.join(&source.path);
        let root = std::fs::canonicalize(root).map_err(|_| gone())?;
        if !arkiv_ingest::inside(&root, &path) {
            return Err(gone());
        }
        let (f, meta) = arkiv_ingest::open_regular(&path).map_err(|_| gone())?;
        // The first 64 KB, for a text file's charset (read at an offset:
        // the handle's position stays at the start for the body).
        use std::os::unix::fs::FileExt;
        let mut head = vec![0; 64 * 1024];
        let n = f.read_at(&mut head, 0).unwrap_or(0);
        head.truncate(n);
        Ok((source, f, meta, head))
    })
    .await?;
    let f = tokio::fs::File::from_std(f);
    let mut content_type = source.format.content_type().to_string();
    if source.format == arkiv_ingest::formats::Format::Text {
        // Text files are UTF-8 or Windows-1252 (see the decoder); say which.
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
    if source.format == arkiv_ingest::formats::Format::Html {
        // A saved web page is shown as the page it was, never run: no
        // scripts, no forms, no requests, an origin of its own.
        h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'"));
    }
    Ok(r)
}
