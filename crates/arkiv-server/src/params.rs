//! The parameters of a search, shared by the API, the pages and the feed,
//! and the URLs that carry them.

use arkiv_ingest::Kind;
use crate::ApiError;
use arkiv_index::{SearchRequest, Sort};
use serde::Deserialize;

/// Search parameters. Each facet parameter may be repeated: several values
/// of one facet mean OR, different facets AND.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    // The fields are kept as the text that came (the pages show it back);
    // `value_type` says what the API takes, and `to_request` checks it.
    /// The query: words, "quoted phrases". Empty lists everything that
    /// passes the filters. Past 32 words the rest is not searched.
    #[serde(default)]
    #[param(max_length = 500)]
    pub q: Option<String>,
    /// Group (mødeforum), by canonical name; repeat for several (OR).
    #[serde(default)]
    #[param(style = Form, explode)]
    pub group: Vec<String>,
    /// Municipality; repeat for several (OR).
    #[serde(default)]
    #[param(style = Form, explode)]
    pub municipality: Vec<String>,
    /// Topic slug; repeat for several (OR).
    #[serde(default)]
    #[param(style = Form, explode)]
    pub topic: Vec<String>,
    /// Kind of document; repeat for both.
    #[serde(default)]
    #[param(style = Form, explode, value_type = Vec<Kind>)]
    pub kind: Vec<String>,
    /// First meeting date. A range that ends before it starts holds nothing.
    #[serde(default)]
    #[param(value_type = Option<chrono::NaiveDate>)]
    pub from: Option<String>,
    /// Last meeting date.
    #[serde(default)]
    #[param(value_type = Option<chrono::NaiveDate>)]
    pub to: Option<String>,
    /// Order: by relevance (the default) or newest meeting first.
    #[serde(default)]
    #[param(value_type = Option<SortParam>)]
    pub sort: Option<String>,
    /// Hits on the page.
    #[serde(default)]
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100, default = 20)]
    pub limit: Option<String>,
    /// Hits to skip. Results past the 1000th are not served: a page that
    /// reaches past them is cut short.
    #[serde(default)]
    #[param(value_type = Option<u32>, minimum = 0, maximum = 999, default = 0)]
    pub offset: Option<String>,
    /// true (default): newer meetings get a gentle preference in relevance order; false turns it off.
    #[serde(default)]
    #[param(value_type = Option<bool>, default = true)]
    pub recency: Option<String>,
}

/// The orders of a search (for the OpenAPI description of `sort`).
#[derive(utoipa::ToSchema)]
#[schema(as = Sort)]
#[allow(dead_code)]
pub enum SortParam {
    #[schema(rename = "relevance")]
    Relevance,
    #[schema(rename = "date")]
    Date,
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

/// The parameters that take a typed value (a date, a number, an order, a
/// switch): the API refuses them given empty. (The pages' form sends empty
/// fields for what is not filled in, and the pages read those as absent.)
pub fn refuse_empty_typed(raw_query: Option<&str>) -> Result<(), ApiError> {
    for (k, v) in form_urlencoded::parse(raw_query.unwrap_or("").as_bytes()) {
        if matches!(k.as_ref(), "from" | "to" | "sort" | "kind" | "limit" | "offset" | "recency") && v.trim().is_empty() {
            return Err(ApiError::bad_request(format!("{k}: empty; give a value or leave the parameter out")));
        }
    }
    Ok(())
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
            if !(k.trim().is_empty() || Kind::of_value(k.trim()).is_some()) {
                let all: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
                return Err(ApiError::bad_request(format!("kind: '{k}' is none of {}", all.join(", "))));
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
