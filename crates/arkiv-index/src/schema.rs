//! The index schema: what is searched, filtered, counted and shown.

use crate::facet::{FACETS, FACET_COUNT};
use arkiv_analysis::{MAIN_ANALYZER, PARTS_ANALYZER};
use tantivy::schema::{
    DateOptions, DateTimePrecision, FacetOptions, Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, STORED, STRING,
};

/// Bumped when the schema or the analysis changes: an index of another
/// version is rebuilt.
pub const SCHEMA_VERSION: u32 = 8;

#[derive(Clone, Copy, Debug)]
pub struct Fields {
    pub id: Field,
    /// Every id the item has had: its own and each document's id for it,
    /// so that an old permalink finds the joined item.
    pub alias: Field,
    pub meeting_id: Field,
    /// Every id the meeting has: each of its documents' own.
    pub meeting_alias: Field,
    /// What joins documents into one meeting (see `join::meeting_key`).
    pub meeting_key: Field,
    /// The files the item is in.
    pub file: Field,
    /// The document id of the item's file (see `arkiv_ingest::document_id`).
    pub document: Field,
    pub ordinal: Field,
    pub title: Field,
    pub indstilling: Field,
    pub beslutning: Field,
    pub body: Field,
    pub parts: Field,
    /// The facets' fields, in the order of [`crate::facet::FACETS`].
    pub facets: [Field; FACET_COUNT],
    pub date: Field,
    pub sort_date: Field,
    /// Case numbers the item's own text names (see `history`).
    pub case: Field,
    /// Earlier meetings the item refers to (see `history`).
    pub refers: Field,
    pub doc: Field,
    /// The documents' own items the stored item was joined from (JSON of
    /// `Vec<join::KeptPart>`: what they share with `doc` named, not
    /// repeated), to join the meeting again.
    pub joined_from: Field,
}

impl Fields {
    /// The field of the facet of this name (one of `FACETS`' names: a name
    /// written in the code, which the tests exercise).
    pub fn facet(&self, name: &str) -> Field {
        self.facets[crate::facet::position(name).unwrap_or_else(|| panic!("no facet named {name}"))]
    }
}

/// Main text fields with their weights: decisions weigh more than the case,
/// since staff search for what was decided.
pub fn text_fields(f: &Fields) -> [(Field, f32); 4] {
    [(f.title, 3.0), (f.beslutning, 1.6), (f.indstilling, 1.2), (f.body, 1.0)]
}

/// How much a match on a compound part counts against a whole-word match.
pub const PARTS_WEIGHT: f32 = 0.35;

pub fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let main = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default().set_tokenizer(MAIN_ANALYZER).set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let parts = TextOptions::default()
        .set_indexing_options(TextFieldIndexing::default().set_tokenizer(PARTS_ANALYZER).set_index_option(IndexRecordOption::WithFreqs));
    let facet = FacetOptions::default();
    let fields = Fields {
        id: b.add_text_field("id", STRING | STORED),
        alias: b.add_text_field("alias", STRING),
        meeting_id: b.add_text_field("meeting_id", STRING | STORED),
        meeting_alias: b.add_text_field("meeting_alias", STRING),
        meeting_key: b.add_text_field("meeting_key", STRING),
        file: b.add_text_field("file", STRING),
        document: b.add_text_field("document", STRING),
        ordinal: b.add_u64_field("ordinal", NumericOptions::default().set_fast().set_stored()),
        title: b.add_text_field("title", main.clone()),
        indstilling: b.add_text_field("indstilling", main.clone()),
        beslutning: b.add_text_field("beslutning", main.clone()),
        body: b.add_text_field("body", main),
        parts: b.add_text_field("parts", parts),
        facets: {
            let mut out = [Field::from_field_id(0); FACET_COUNT];
            for (k, f) in FACETS.iter().enumerate() {
                out[k] = b.add_facet_field(f.name, facet.clone());
            }
            out
        },
        date: b.add_date_field("date", DateOptions::default().set_indexed().set_fast().set_precision(DateTimePrecision::Seconds)),
        sort_date: b.add_i64_field("sort_date", NumericOptions::default().set_fast()),
        case: b.add_text_field("case", STRING),
        refers: b.add_text_field("refers", STRING),
        doc: b.add_text_field("doc", TextOptions::default().set_stored()),
        joined_from: b.add_text_field("joined_from", TextOptions::default().set_stored()),
    };
    (b.build(), fields)
}

pub fn fields_of(schema: &Schema) -> tantivy::Result<Fields> {
    let g = |n: &str| schema.get_field(n);
    Ok(Fields {
        id: g("id")?,
        alias: g("alias")?,
        meeting_id: g("meeting_id")?,
        meeting_alias: g("meeting_alias")?,
        meeting_key: g("meeting_key")?,
        file: g("file")?,
        document: g("document")?,
        ordinal: g("ordinal")?,
        title: g("title")?,
        indstilling: g("indstilling")?,
        beslutning: g("beslutning")?,
        body: g("body")?,
        parts: g("parts")?,
        facets: {
            let mut out = [Field::from_field_id(0); FACET_COUNT];
            for (k, f) in FACETS.iter().enumerate() {
                out[k] = g(f.name)?;
            }
            out
        },
        date: g("date")?,
        sort_date: g("sort_date")?,
        case: g("case")?,
        refers: g("refers")?,
        doc: g("doc")?,
        joined_from: g("joined_from")?,
    })
}
