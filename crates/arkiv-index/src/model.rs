//! What the index stores for each item, and what search returns: the JSON
//! of `arkiv search --json`, and what the HTTP API's JSON is made from. Their
//! OpenAPI schemas come with the `openapi` feature, which the server turns on;
//! the API's own types (hits with HTML, permalinks) live in the server.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SourceRef {
    /// Path relative to the archive root.
    pub path: String,
    /// 1-based line of the item's title in the document's text.
    pub line: usize,
    /// The document's id: the original file is served at `/files/{document}`.
    pub document: String,
    /// The document's format: txt, pdf, docx, html, odt, doc or rtf.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "pdf"))]
    pub format: arkiv_ingest::formats::Format,
    /// 1-based page where the item starts; null where the document has no
    /// pages arkiv knows of (Word, and text without page breaks).
    pub page: Option<u32>,
    /// Page of the item's last line; null likewise.
    pub page_end: Option<u32>,
}

/// The meeting an item belongs to, as stored with every item: ingest's
/// meeting (joined: the kind says which documents it is in) and its
/// documents.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MeetingInfo {
    #[serde(flatten)]
    pub head: arkiv_ingest::MeetingHead,
    /// The documents the meeting is in (its agenda, its minutes), the one
    /// whose id is the meeting's first. A permalink made from any of their
    /// ids answers.
    #[serde(default)]
    pub documents: Vec<MeetingDocument>,
}

/// One document of a meeting.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MeetingDocument {
    /// The meeting's id in this document.
    pub id: String,
    /// dagsorden or referat, where the document says.
    pub kind: Option<arkiv_ingest::Kind>,
    /// Path relative to the archive root.
    pub path: String,
    /// The document's id (the original is served at `/files/{document}`).
    pub document: String,
    /// 1-based line where the meeting starts in the document.
    pub line: usize,
}

/// One document an item is in: its agenda, or its minutes.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DocumentRef {
    /// The item's id in this document. The item's own id is its first
    /// document's; a permalink made from any of these answers.
    pub id: String,
    /// dagsorden or referat, where the document says.
    pub kind: Option<arkiv_ingest::Kind>,
    /// The number as this document prints it.
    pub number: u32,
    /// The title as this document prints it.
    pub title: String,
    pub source: SourceRef,
}

/// A whole agenda item as stored: ingest's item (joined: its sections
/// from each of its documents), with its meeting and documents.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StoredItem {
    #[serde(flatten)]
    pub item: arkiv_ingest::Item,
    /// Position of the item in its meeting, from 0.
    pub ordinal: u32,
    /// Which documents the item is in: dagsorden, referat, or
    /// dagsorden-og-referat.
    pub kind: Option<arkiv_ingest::Kind>,
    pub meeting: MeetingInfo,
    /// Where the item's first document has it.
    pub source: SourceRef,
    /// Every document the item is in, the first one first: the agenda
    /// before the minutes.
    pub documents: Vec<DocumentRef>,
    /// Section name -> the position in `documents` of the document it was
    /// taken from (the case from the agenda, the decision from the minutes).
    pub section_documents: BTreeMap<String, usize>,
    /// The sections another of the item's documents words differently: each
    /// document's own version, indexed and shown with it, so that no text
    /// of any document is lost by joining. Empty for most items.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub versions: Vec<SectionVersion>,
}

/// A section as one of an item's documents has it, where its text differs
/// (after white space is folded) from the item's section of that name and
/// from every other version of it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SectionVersion {
    /// The section's name, as in `sections`.
    pub name: String,
    /// The position in `documents` of the document whose text this is.
    pub document: usize,
    pub text: String,
}

/// Whether two texts say the same, their white space folded: only such
/// texts are kept once when an item's documents are joined.
pub fn same_text(a: &str, b: &str) -> bool {
    a.split_whitespace().eq(b.split_whitespace())
}

impl StoredItem {
    /// Every text of the item, its sections in order, then the other
    /// documents' versions: what is indexed and what a snippet is cut from.
    pub fn text(&self) -> String {
        let mut s = String::new();
        for (_, t) in self.section_texts() {
            if !s.is_empty() {
                s.push('\n');
            }
            s.push_str(t);
        }
        s
    }

    /// Every document's title, once each (white space folded): the item's
    /// own first. All are indexed, so a word of a reworded title is found.
    pub fn titles(&self) -> Vec<&str> {
        let mut titles: Vec<&str> = vec![&self.item.title];
        for doc in &self.documents {
            if !titles.iter().any(|t| same_text(t, &doc.title)) {
                titles.push(&doc.title);
            }
        }
        titles
    }

    /// Every section text of every document, with its section's name: the
    /// item's sections in order, then the versions. What is indexed.
    pub fn section_texts(&self) -> impl Iterator<Item = (&str, &str)> {
        self.section_texts_by_document().map(|(_, name, text)| (name, text))
    }

    /// The section texts of document `k` of the item: the item's sections
    /// taken from it, then its own versions, each with its name.
    pub fn sections_of(&self, k: usize) -> impl Iterator<Item = (&str, &str)> {
        self.section_texts_by_document().filter(move |(d, _, _)| *d == k).map(|(_, name, text)| (name, text))
    }

    /// [`Self::section_texts`], each with the position in `documents` of
    /// the document it is from.
    fn section_texts_by_document(&self) -> impl Iterator<Item = (usize, &str, &str)> {
        let main = self.item.section_order.iter().filter_map(|n| Some((self.section_documents.get(n).copied().unwrap_or(0), n.as_str(), self.item.sections.get(n)?.as_str())));
        main.chain(self.versions.iter().map(|v| (v.document, v.name.as_str(), v.text.as_str())))
    }
}

/// What a search hit says of its item.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HitItem {
    pub id: String,
    pub title: String,
    pub number: u32,
    pub group: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date, example = "2020-02-20"))]
    pub date: Option<chrono::NaiveDate>,
    pub kind: Option<arkiv_ingest::Kind>,
    pub municipalities: Vec<String>,
    pub topics: Vec<String>,
    pub meeting_id: String,
    pub source: SourceRef,
    /// Every document the item is in (the agenda, the minutes), first the
    /// one `source` names.
    pub documents: Vec<DocumentRef>,
}

/// One match of the query in a text: its byte range.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
pub struct Mark {
    pub start: usize,
    pub end: usize,
}

/// A text with the query's matches in it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Highlighted {
    pub text: String,
    /// In order, not overlapping.
    pub marks: Vec<Mark>,
}

impl Highlighted {
    /// The marked words.
    pub fn marked(&self) -> impl Iterator<Item = &str> {
        self.marks.iter().filter_map(|m| self.text.get(m.start..m.end))
    }

    /// The text in pieces, in order, each with whether it is a match: what
    /// the server writes as HTML and the command line with its own emphasis.
    /// A mark that does not lie on the text's characters, or overlaps the
    /// one before, is left out.
    pub fn pieces(&self) -> Vec<(&str, bool)> {
        let text = self.text.as_str();
        let mut out = Vec::with_capacity(2 * self.marks.len() + 1);
        let mut at = 0;
        for m in &self.marks {
            let Some(word) = text.get(m.start..m.end).filter(|_| m.start >= at) else { continue };
            out.push((&text[at..m.start], false));
            out.push((word, true));
            at = m.end;
        }
        out.push((&text[at..], false));
        out
    }
}

/// A search hit: its item, where the query matched its title, the best
/// passage of its text, and its score (0 in date order).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Hit {
    #[serde(flatten)]
    pub item: HitItem,
    pub title_marks: Vec<Mark>,
    pub snippet: Highlighted,
    pub score: f32,
}

impl Hit {
    /// The title with its marks.
    pub fn title(&self) -> Highlighted {
        Highlighted { text: self.item.title.clone(), marks: self.title_marks.clone() }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FacetCount {
    pub value: String,
    pub count: u64,
}


#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SearchResponse {
    pub query: String,
    pub total: usize,
    pub hits: Vec<Hit>,
    pub facets: crate::facet::Facets,
}

/// A meeting with its items in order.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MeetingView {
    pub meeting: MeetingInfo,
    pub source: String,
    pub items: Vec<ItemSummary>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItemSummary {
    pub id: String,
    pub number: u32,
    pub title: String,
    pub municipalities: Vec<String>,
    pub topics: Vec<String>,
    /// Which documents the item is in (as [`StoredItem::kind`]).
    pub kind: Option<arkiv_ingest::Kind>,
}
