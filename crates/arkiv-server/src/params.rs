//! The parameters of a search, shared by the API, the pages and the feed,
//! and the URLs that carry them.

use crate::ApiError;
use arkiv_index::{SearchRequest, Sort};
use serde::Deserialize;

/// Search parameters. Each facet parameter may be repeated: several values
/// of one facet mean OR, different facets AND.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// The query: words, "quoted phrases". Empty lists everything that passes the filters.
    #[serde(default)]
    pub q: Option<String>,
    /// Group (mødeforum), by canonical name.
    #[serde(default)]
    pub group: Vec<String>,
    #[serde(default)]
    pub municipality: Vec<String>,
    /// Topic slug.
    #[serde(default)]
    pub topic: Vec<String>,
    /// dagsorden or referat.
    #[serde(default)]
    pub kind: Vec<String>,
    /// First meeting date, YYYY-MM-DD.
    #[serde(default)]
    pub from: Option<String>,
    /// Last meeting date, YYYY-MM-DD.
    #[serde(default)]
    pub to: Option<String>,
    /// relevance (default) or date.
    #[serde(default)]
    pub sort: Option<String>,
    /// 1 to 100; default 20.
    #[serde(default)]
    pub limit: Option<String>,
    /// Default 0; offset + limit at most 1000.
    #[serde(default)]
    pub offset: Option<String>,
    /// true (default): newer meetings get a gentle preference in relevance order; false turns it off.
    #[serde(default)]
    pub recency: Option<String>,
}

fn date(v: &Option<String>, name: &str) -> Result<Option<chrono::NaiveDate>, ApiError> {
    match v.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(s) => chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| ApiError::bad_request(format!("{name}: '{s}' is not a date; give YYYY-MM-DD"))),
    }
}

fn number(v: &Option<String>, name: &str, default: usize) -> Result<usize, ApiError> {
    match v.as_deref().map(str::trim) {
        None | Some("") => Ok(default),
        Some(s) => s.parse().map_err(|_| ApiError::bad_request(format!("{name}: '{s}' is not a whole number"))),
    }
}

fn clean(v: &[String]) -> Vec<String> {
    v.iter().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect()
}

impl SearchParams {
    pub fn to_request(&self) -> Result<SearchRequest, ApiError> {
        let limit = number(&self.limit, "limit", 20)?;
        if limit == 0 || limit > arkiv_index::search_limits::MAX_LIMIT {
            return Err(ApiError::bad_request(format!("limit: {limit} is outside 1 to {}", arkiv_index::search_limits::MAX_LIMIT)));
        }
        let sort = match self.sort.as_deref().map(str::trim) {
            None | Some("") | Some("relevance") => Sort::Relevance,
            Some("date") => Sort::Date,
            Some(s) => return Err(ApiError::bad_request(format!("sort: '{s}' is neither relevance nor date"))),
        };
        for k in &self.kind {
            if !matches!(k.trim(), "dagsorden" | "referat" | "") {
                return Err(ApiError::bad_request(format!("kind: '{k}' is neither dagsorden nor referat")));
            }
        }
        Ok(SearchRequest {
            q: self.q.clone().unwrap_or_default(),
            groups: clean(&self.group),
            municipalities: clean(&self.municipality),
            topics: clean(&self.topic),
            kinds: clean(&self.kind),
            from: date(&self.from, "from")?,
            to: date(&self.to, "to")?,
            sort,
            limit,
            offset: number(&self.offset, "offset", 0)?,
            recency: match self.recency.as_deref().map(str::trim) {
                None | Some("") | Some("true") => true,
                Some("false") => false,
                Some(s) => return Err(ApiError::bad_request(format!("recency: '{s}' is neither true nor false"))),
            },
        })
    }

    /// The query string that holds these parameters (empty ones left out).
    pub fn query_string(&self) -> String {
        let mut s = form_urlencoded::Serializer::new(String::new());
        let mut one = |k: &str, v: &Option<String>| {
            if let Some(v) = v.as_deref().filter(|v| !v.trim().is_empty()) {
                s.append_pair(k, v);
            }
        };
        one("q", &self.q);
        one("from", &self.from);
        one("to", &self.to);
        one("sort", &self.sort);
        one("limit", &self.limit);
        one("offset", &self.offset);
        one("recency", &self.recency);
        for (k, vs) in [("group", &self.group), ("municipality", &self.municipality), ("topic", &self.topic), ("kind", &self.kind)] {
            for v in vs {
                s.append_pair(k, v);
            }
        }
        s.finish()
    }

    pub fn url(&self, path: &str) -> String {
        let q = self.query_string();
        if q.is_empty() {
            path.to_string()
        } else {
            format!("{path}?{q}")
        }
    }

    /// These parameters with one facet value added, or removed if present;
    /// paging starts again.
    pub fn toggle(&self, facet: &str, value: &str) -> SearchParams {
        let mut p = self.clone();
        p.offset = None;
        let list = match facet {
            "group" => &mut p.group,
            "municipality" => &mut p.municipality,
            "topic" => &mut p.topic,
            _ => &mut p.kind,
        };
        if let Some(i) = list.iter().position(|v| v == value) {
            list.remove(i);
        } else {
            list.push(value.to_string());
        }
        p
    }
}
