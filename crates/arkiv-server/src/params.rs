//! The parameters of a search, shared by the API, the pages and the feed,
//! and the URLs that carry them. The facet parameters are the facets'
//! declaration (`arkiv_index::FACETS`): one parameter for each facet
//! filtered by its values.

use crate::ApiError;
use arkiv_index::facet::{value_filters, FacetDecl};
use arkiv_index::{SearchRequest, Sort};
use serde::Deserialize;
use std::collections::BTreeMap;

/// Search parameters. Each facet parameter may be repeated: several values
/// of one facet mean OR, different facets AND. The fields are kept as the
/// text that came (the pages show it back); `to_request` checks them.
#[derive(Debug, Clone, Default)]
pub struct SearchParams {
    pub q: Option<String>,
    /// Facet name -> the values asked for.
    pub facets: BTreeMap<String, Vec<String>>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub sort: Option<String>,
    pub limit: Option<String>,
    pub offset: Option<String>,
    pub recency: Option<String>,
}

/// The parameters that are not facets, as the API describes them.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
struct Scalars {
    /// The query: words, "quoted phrases". Empty lists everything that
    /// passes the filters. Past 32 words the rest is not searched.
    #[param(max_length = 500)]
    q: Option<String>,
    /// First meeting date. A range that ends before it starts holds nothing.
    #[param(value_type = Option<chrono::NaiveDate>)]
    from: Option<String>,
    /// Last meeting date.
    #[param(value_type = Option<chrono::NaiveDate>)]
    to: Option<String>,
    /// Order: by relevance (the default) or newest meeting first.
    #[param(value_type = Option<SortParam>)]
    sort: Option<String>,
    /// Hits on the page.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100, default = 20)]
    limit: Option<String>,
    /// Hits to skip. Results past the 1000th are not served: a page that
    /// reaches past them is cut short.
    #[param(value_type = Option<u32>, minimum = 0, maximum = 999, default = 0)]
    offset: Option<String>,
    /// true (default): newer meetings get a gentle preference in relevance order; false turns it off.
    #[param(value_type = Option<bool>, default = true)]
    recency: Option<String>,
}

impl utoipa::IntoParams for SearchParams {
    fn into_params(parameter_in: impl Fn() -> Option<utoipa::openapi::path::ParameterIn>) -> Vec<utoipa::openapi::path::Parameter> {
        use utoipa::openapi::path::{ParameterBuilder, ParameterIn, ParameterStyle};
        use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Type};
        use utoipa::openapi::{Ref, Required};
        let mut out = Scalars::into_params(&parameter_in);
        let facets = value_filters().map(|f: &FacetDecl| {
            let items: utoipa::openapi::RefOr<utoipa::openapi::Schema> = match f.closed {
                Some((schema, _)) => Ref::from_schema_name(schema).into(),
                None => ObjectBuilder::new().schema_type(Type::String).into(),
            };
            ParameterBuilder::new()
                .name(f.name)
                .parameter_in(parameter_in().unwrap_or(ParameterIn::Query))
                .description(Some(f.about))
                .required(Required::False)
                .style(Some(ParameterStyle::Form))
                .explode(Some(true))
                .schema(Some(ArrayBuilder::new().items(items)))
                .build()
        });
        // After the query, before the dates.
        let at = out.len().min(1);
        out.splice(at..at, facets);
        out
    }
}

impl<'de> Deserialize<'de> for SearchParams {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<SearchParams, D::Error> {
        let pairs: Vec<(String, String)> = Deserialize::deserialize(d)?;
        let mut p = SearchParams::default();
        for (k, v) in pairs {
            let slot = match k.as_str() {
                "q" => &mut p.q,
                "from" => &mut p.from,
                "to" => &mut p.to,
                "sort" => &mut p.sort,
                "limit" => &mut p.limit,
                "offset" => &mut p.offset,
                "recency" => &mut p.recency,
                name => {
                    // A facet's values; other parameters are not read.
                    if value_filters().any(|f| f.name == name) {
                        p.facets.entry(k).or_default().push(v);
                    }
                    continue;
                }
            };
            if slot.is_some() {
                return Err(serde::de::Error::custom(format!("{k}: given more than once")));
            }
            *slot = Some(v);
        }
        Ok(p)
    }
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
        let closed_facet = value_filters().any(|f| f.name == k && f.closed.is_some());
        if (closed_facet || matches!(k.as_ref(), "from" | "to" | "sort" | "limit" | "offset" | "recency")) && v.trim().is_empty() {
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
        let mut filters = BTreeMap::new();
        for f in value_filters() {
            let values = clean(self.values(f.name));
            if !values.is_empty() {
                filters.insert(f.name.to_string(), values);
            }
        }
        Ok(SearchRequest {
            q: self.q.clone().unwrap_or_default(),
            filters,
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
        for f in value_filters() {
            for v in self.values(f.name) {
                s.append_pair(f.name, v);
            }
        }
        s.finish()
    }

    /// The values asked for of the facet `name`.
    pub fn values(&self, name: &str) -> &[String] {
        self.facets.get(name).map(Vec::as_slice).unwrap_or(&[])
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
        let list = p.facets.entry(facet.to_string()).or_default();
        if let Some(i) = list.iter().position(|v| v == value) {
            list.remove(i);
        } else {
            list.push(value.to_string());
        }
        p
    }
}
