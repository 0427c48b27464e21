//! The facets, each declared once. The declaration is read by the schema
//! (a facet field each), the index writer (an item's values), the segment
//! tables and counts, the search request's filters, the response's counts,
//! and the server's pages (heading, how a value is shown, the URL
//! parameter): adding a facet is adding an entry here.

use crate::model::{FacetCount, StoredItem};
use arkiv_ingest::Kind;
use chrono::Datelike;
use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize};

/// How a facet filters a search.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filter {
    /// By its values: several values of one facet mean OR.
    Values,
    /// By the request's date range (`from`, `to`), not by its own values.
    DateRange,
}

/// How a facet's values are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// Most items first.
    ByCount,
    /// Greatest value first (the newest year).
    NewestFirst,
}

/// How a facet's value is shown to a reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Label {
    /// As it is.
    Value,
    /// By the topic's name in the configuration (the value is its slug).
    TopicName,
    /// By the kind's Danish name.
    KindName,
}

/// A closed set of values: the name of its OpenAPI schema, and its values.
pub type ClosedSet = (&'static str, fn() -> Vec<&'static str>);

/// One facet.
pub struct FacetDecl {
    /// Its name: the index field, the JSON key of its counts and the URL
    /// parameter that filters by it.
    pub name: &'static str,
    /// Its heading on the search page.
    pub heading: &'static str,
    /// What its URL parameter takes, for the API's description.
    pub about: &'static str,
    /// Where its values are a closed set: the name of their OpenAPI schema,
    /// and the values (others are refused with a reason).
    pub closed: Option<ClosedSet>,
    pub filter: Filter,
    pub order: Order,
    pub label: Label,
    /// Its values for an item.
    pub values: fn(&StoredItem) -> Vec<String>,
}

/// The facets, in the order the search page shows them.
pub const FACETS: &[FacetDecl] = &[
    FacetDecl {
        name: "group",
        heading: "Mødeforum",
        about: "Group (mødeforum), by canonical name; repeat for several (OR).",
        closed: None,
        filter: Filter::Values,
        order: Order::ByCount,
        label: Label::Value,
        values: |it| it.meeting.head.group.iter().cloned().collect(),
    },
    FacetDecl {
        name: "year",
        heading: "År",
        about: "The meeting's year (counted only; filter by `from` and `to`).",
        closed: None,
        filter: Filter::DateRange,
        order: Order::NewestFirst,
        label: Label::Value,
        values: |it| it.meeting.head.date.iter().map(|d| d.year().to_string()).collect(),
    },
    FacetDecl {
        name: "kind",
        heading: "Type",
        about: "Kind of document; repeat for both.",
        closed: Some(("Kind", || Kind::ALL.iter().map(|k| k.as_str()).collect())),
        filter: Filter::Values,
        order: Order::ByCount,
        label: Label::KindName,
        values: |it| it.kind.iter().map(|k| k.as_str().to_string()).collect(),
    },
    FacetDecl {
        name: "municipality",
        heading: "Kommune",
        about: "Municipality; repeat for several (OR).",
        closed: None,
        filter: Filter::Values,
        order: Order::ByCount,
        label: Label::Value,
        values: |it| it.item.municipalities.clone(),
    },
    FacetDecl {
        name: "region",
        heading: "Region",
        about: "Region (of the municipalities an item names, or named itself); repeat for several (OR).",
        closed: None,
        filter: Filter::Values,
        order: Order::ByCount,
        label: Label::Value,
        values: |it| it.item.regions.clone(),
    },
    FacetDecl {
        name: "topic",
        heading: "Emne",
        about: "Topic slug; repeat for several (OR).",
        closed: None,
        filter: Filter::Values,
        order: Order::ByCount,
        label: Label::TopicName,
        values: |it| it.item.topics.clone(),
    },
];

/// How many facets there are.
pub const FACET_COUNT: usize = FACETS.len();

/// The position of the facet of this name in [`FACETS`].
pub fn position(name: &str) -> Option<usize> {
    FACETS.iter().position(|f| f.name == name)
}

/// The facets filtered by their values (the URL parameters that name values).
pub fn value_filters() -> impl Iterator<Item = &'static FacetDecl> {
    FACETS.iter().filter(|f| f.filter == Filter::Values)
}

/// Each facet's values with their counts, in the order of [`FACETS`];
/// written as a JSON object keyed by the facets' names.
#[derive(Debug, Clone, PartialEq)]
pub struct Facets {
    counts: Vec<Vec<FacetCount>>,
}

impl Default for Facets {
    fn default() -> Self {
        Facets { counts: vec![vec![]; FACET_COUNT] }
    }
}

impl Facets {
    pub(crate) fn from_counts(counts: Vec<Vec<FacetCount>>) -> Facets {
        debug_assert_eq!(counts.len(), FACET_COUNT);
        Facets { counts }
    }

    /// The counts of the facet of this name (none for a name no facet has).
    pub fn get(&self, name: &str) -> &[FacetCount] {
        position(name).and_then(|k| self.counts.get(k)).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Each facet with its counts, in the order of [`FACETS`].
    pub fn iter(&self) -> impl Iterator<Item = (&'static FacetDecl, &[FacetCount])> {
        FACETS.iter().zip(self.counts.iter().map(Vec::as_slice))
    }
}

impl Serialize for Facets {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(FACET_COUNT))?;
        for (f, c) in self.iter() {
            m.serialize_entry(f.name, c)?;
        }
        m.end()
    }
}

impl<'de> Deserialize<'de> for Facets {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Facets, D::Error> {
        let mut by: std::collections::HashMap<String, Vec<FacetCount>> = Deserialize::deserialize(d)?;
        Ok(Facets { counts: FACETS.iter().map(|f| by.remove(f.name).unwrap_or_default()).collect() })
    }
}

#[cfg(feature = "openapi")]
mod openapi {
    use super::*;
    use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Schema};
    use utoipa::openapi::{Ref, RefOr};

    impl utoipa::PartialSchema for Facets {
        fn schema() -> RefOr<Schema> {
            let mut o = ObjectBuilder::new().description(Some("Each facet's values with how many items have each (a facet with a filter of its own is counted without it)."));
            for f in FACETS {
                o = o.property(f.name, ArrayBuilder::new().items(Ref::from_schema_name("FacetCount"))).required(f.name);
            }
            RefOr::T(Schema::Object(o.build()))
        }
    }

    impl utoipa::ToSchema for Facets {
        fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
            schemas.push(("FacetCount".into(), <FacetCount as utoipa::PartialSchema>::schema()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_written_and_read_by_the_facets_names_in_their_order() {
        let mut counts = vec![vec![]; FACET_COUNT];
        counts[position("kind").unwrap()] = vec![FacetCount { value: "referat".into(), count: 3 }];
        let f = Facets::from_counts(counts);
        let json = serde_json::to_string(&f).unwrap();
        let keys: Vec<&str> = FACETS.iter().map(|f| f.name).collect();
        let mut at = 0;
        for k in &keys {
            let p = json.find(&format!("\"{k}\"")).unwrap_or_else(|| panic!("{k} in {json}"));
            assert!(p >= at, "{json}");
            at = p;
        }
        let back: Facets = serde_json::from_str(&json).unwrap();
        assert_eq!(back, f);
        assert_eq!(back.get("kind")[0].count, 3);
        assert!(back.get("no such facet").is_empty());
    }
}
