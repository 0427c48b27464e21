//! What a search may ask: the request, its sort order, and the limits it is
//! checked against before anything is read.

use crate::facet;
use crate::IndexError;
use std::collections::BTreeMap;

/// Limits on what one query may ask.
pub const MAX_QUERY_CHARS: usize = 500;
pub const MAX_QUERY_WORDS: usize = 32;
pub const MAX_FUZZY_WORDS: usize = 6;
pub const MAX_WINDOW: usize = 1000;
pub const MAX_LIMIT: usize = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    #[default]
    Relevance,
    Date,
}

#[derive(Debug, Clone)]
pub struct SearchRequest {
    pub q: String,
    /// Facet name (of a facet filtered by its values, see
    /// [`crate::facet::FACETS`]) -> the values wanted, any of them.
    pub filters: BTreeMap<String, Vec<String>>,
    pub from: Option<chrono::NaiveDate>,
    pub to: Option<chrono::NaiveDate>,
    pub sort: Sort,
    pub limit: usize,
    pub offset: usize,
    /// A gentle preference for newer meetings in relevance order.
    pub recency: bool,
}

impl Default for SearchRequest {
    fn default() -> Self {
        SearchRequest {
            q: String::new(),
            filters: BTreeMap::new(),
            from: None,
            to: None,
            sort: Sort::Relevance,
            limit: 20,
            offset: 0,
            recency: true,
        }
    }
}

impl SearchRequest {
    /// The hits to return: `limit`, cut where the page reaches past the
    /// window of results that are served.
    pub(crate) fn page_len(&self) -> usize {
        self.limit.min(MAX_WINDOW - self.offset)
    }

    /// This request filtered also by these values of the facet `name`.
    pub fn filtered(mut self, name: &str, values: impl IntoIterator<Item = impl Into<String>>) -> SearchRequest {
        self.filters.entry(name.to_string()).or_default().extend(values.into_iter().map(Into::into));
        self
    }
}

pub fn validate(req: &SearchRequest) -> Result<(), IndexError> {
    if req.q.chars().count() > MAX_QUERY_CHARS {
        return Err(IndexError::BadRequest(format!("the query is {} characters long; at most {MAX_QUERY_CHARS}", req.q.chars().count())));
    }
    if req.limit > MAX_LIMIT {
        return Err(IndexError::BadRequest(format!("limit {} is above {MAX_LIMIT}", req.limit)));
    }
    // A page that reaches past the window is cut at its end (so a client
    // that pages on gets a short page, then an error with a reason); a date
    // range that ends before it starts holds no meeting.
    if req.offset >= MAX_WINDOW {
        return Err(IndexError::BadRequest(format!("offset {} is past the {MAX_WINDOW} results that are served", req.offset)));
    }
    for (name, values) in &req.filters {
        let Some(f) = facet::value_filters().find(|f| f.name == name) else {
            let names: Vec<&str> = facet::value_filters().map(|f| f.name).collect();
            return Err(IndexError::BadRequest(format!("'{name}' is no facet to filter by (they are {})", names.join(", "))));
        };
        if let Some((_, all)) = f.closed {
            let all = all();
            if let Some(bad) = values.iter().find(|v| !all.contains(&v.as_str())) {
                return Err(IndexError::BadRequest(format!("{name}: '{bad}' is none of {}", all.join(", "))));
            }
        }
    }
    Ok(())
}
