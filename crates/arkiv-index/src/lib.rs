//! arkiv-index: the tantivy index of agenda items: building and updating it
//! from an archive, joining each meeting's agenda and minutes into one
//! meeting (`join`), searching it with facets, filters and snippets, and an
//! item's history (`history`). It knows nothing about HTTP.
//!
//! **Architecture invariant:** an item's id never changes while its file is
//! unchanged: re-indexing skips unchanged files, a joined item keeps its
//! first document's id and answers to each document's (`item_id_for`), and a
//! crash or kill during indexing leaves the last committed index usable (the
//! manifest of indexed files and the word table are files of the commit's
//! generation, which its payload names; the manifest names the meetings
//! still to be joined).

mod build;
pub mod facet;
mod history;
pub mod join;
mod leaf;
mod schema;
mod model;
mod query_mix;
mod search;
mod store;
mod synonyms;
mod table;
mod tree;

pub use build::{IndexSummary, Manifest, WRITER_MEMORY, WRITER_THREADS};
pub use history::{Reason, Related};
pub use model::*;
pub use facet::{Facets, FACETS};
pub use query_mix::query_mix;
pub use schema::{Fields, SCHEMA_VERSION};
pub use search::{Highlighter, SearchRequest, Sort, SCORE_ALL_UP_TO};

/// The limits one search may ask for.
pub mod search_limits {
    pub use crate::search::{validate, MAX_FUZZY_WORDS, MAX_LIMIT, MAX_QUERY_CHARS, MAX_QUERY_WORDS, MAX_WINDOW};
}
pub use synonyms::Synonyms;

use arkiv_analysis::{Analyzer, Lexicon};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tantivy::collector::TopDocs;
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{Index, IndexReader, ReloadPolicy, TantivyDocument, Term};

#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("{0}")]
    BadRequest(String),
    #[error("not found: {0}")]
    NotFound(String),
    #[error("{path}: {message}")]
    Config { path: PathBuf, message: String },
    #[error("{path}: {message}")]
    Io { path: PathBuf, message: String },
    #[error("{0}: another `arkiv index` (or `arkiv serve --archive`) is writing this index; try again when it has finished, or wait for it with --wait")]
    Busy(PathBuf),
    #[error("index: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
}

pub const SYNONYMS_FILE: &str = "synonyms.toml";

/// An open index, ready for searching. Cheap to share: the reader picks up
/// new commits by itself.
pub struct ArkivIndex {
    pub dir: PathBuf,
    pub index: Index,
    pub reader: IndexReader,
    pub fields: Fields,
    pub analyzer: Analyzer,
    pub synonyms: Arc<Synonyms>,
    /// Facet, filter and date tables of the segments in use.
    pub(crate) tables: Arc<table::Tables>,
    /// Up to this many items to rank are all scored in full; above it the
    /// candidates are narrowed first (see `search::rank`).
    pub(crate) full_scoring_limit: usize,
}

impl ArkivIndex {
    /// Opens an index for searching.
    pub fn open(dir: &Path) -> Result<ArkivIndex, IndexError> {
        if !dir.join("meta.json").exists() {
            return Err(IndexError::Io { path: dir.to_path_buf(), message: "no index here (build one with `arkiv index`)".into() });
        }
        // The word table loads on one core while the index opens and its
        // tables are built (by the reader's warmer) on the other.
        std::thread::scope(|scope| {
            let index = Index::open_in_dir(dir)?;
            let payload = store::payload(&index);
            let lexicon = scope.spawn(move || store::words_of(dir, payload).map(|t| Lexicon::of_words(t.iter().map(|(w, _)| w))));
            let fields = schema::fields_of(&index.schema())?;
            let synonyms = Arc::new(load_synonyms(dir)?);
            let tables = Arc::new(table::Tables::default());
            let warmer: Arc<dyn tantivy::Warmer> = tables.clone();
            let reader = index.reader_builder().reload_policy(ReloadPolicy::OnCommitWithDelay).warmers(vec![Arc::downgrade(&warmer)]).try_into()?;
            let analyzer = Analyzer::new(Arc::new(lexicon.join().unwrap_or_else(|p| std::panic::resume_unwind(p))?));
            arkiv_analysis::register(&index, &analyzer);
            Ok(ArkivIndex { dir: dir.to_path_buf(), index, reader, fields, analyzer, synonyms, tables, full_scoring_limit: search::SCORE_ALL_UP_TO })
        })
    }

    /// Sets how many items a search scores in full before it narrows the
    /// candidates by their plain-term BM25 sum (default
    /// `SCORE_ALL_UP_TO`). Lower is faster on broad queries; 0 always
    /// narrows, `usize::MAX` never does.
    pub fn set_full_scoring_limit(&mut self, n: usize) {
        self.full_scoring_limit = n;
    }

    /// The manifest of the last commit.
    pub fn manifest(&self) -> Result<Manifest, IndexError> {
        store::manifest_of(&self.dir, store::payload(&self.index))
    }

    pub fn search(&self, req: &SearchRequest) -> Result<SearchResponse, IndexError> {
        search::search(self, req)
    }

    /// Every facet value with its count over the whole archive.
    pub fn facets(&self) -> Result<Facets, IndexError> {
        Ok(self.search(&SearchRequest { limit: 0, ..Default::default() })?.facets)
    }

    fn stored_by_term(&self, field: tantivy::schema::Field, value: &str, limit: usize) -> Result<Vec<StoredItem>, IndexError> {
        let searcher = self.reader.searcher();
        let q = TermQuery::new(Term::from_field_text(field, value), IndexRecordOption::Basic);
        let top = searcher.search(&q, &TopDocs::with_limit(limit).order_by_score())?;
        let mut out = vec![];
        for (_, addr) in top {
            let doc: TantivyDocument = searcher.doc(addr)?;
            out.push(decode_doc(&doc, self.fields)?);
        }
        Ok(out)
    }

    /// A whole item by its id.
    pub fn item(&self, id: &str) -> Result<StoredItem, IndexError> {
        self.stored_by_term(self.fields.id, id, 1)?.pop().ok_or_else(|| IndexError::NotFound(format!("no item with id '{id}'")))
    }

    /// The item's id now, for an id it had before: the id one of its
    /// documents gives it, from before its meeting's documents were joined.
    /// `None` where no item had the id.
    pub fn item_id_for(&self, old: &str) -> Result<Option<String>, IndexError> {
        Ok(self.stored_by_term(self.fields.alias, old, 1)?.pop().map(|i| i.item.id))
    }

    /// The meeting's id now, for an id one of its documents gives it.
    pub fn meeting_id_for(&self, old: &str) -> Result<Option<String>, IndexError> {
        Ok(self.stored_by_term(self.fields.meeting_alias, old, 1)?.pop().map(|i| i.meeting.head.id))
    }

    /// The source of a document in the index, by its document id: its path
    /// in the archive and format. Only documents the index holds items of
    /// are found, so a path never comes from the caller.
    pub fn document(&self, id: &str) -> Result<SourceRef, IndexError> {
        self.stored_by_term(self.fields.document, id, 1)?
            .pop()
            .and_then(|i| i.documents.into_iter().map(|d| d.source).find(|s| s.document == id))
            .ok_or_else(|| IndexError::NotFound(format!("no document with id '{id}'")))
    }

    /// Earlier and later items on the same matter as this one, by date.
    pub fn related(&self, item: &StoredItem) -> Result<Vec<Related>, IndexError> {
        history::related(self, item)
    }

    /// A meeting with its items in order.
    pub fn meeting(&self, id: &str) -> Result<MeetingView, IndexError> {
        let mut items = self.stored_by_term(self.fields.meeting_id, id, 1000)?;
        if items.is_empty() {
            return Err(IndexError::NotFound(format!("no meeting with id '{id}'")));
        }
        items.sort_by_key(|i| i.ordinal);
        let meeting = items[0].meeting.clone();
        let source = items[0].source.path.clone();
        Ok(MeetingView {
            meeting,
            source,
            items: items
                .into_iter()
                .map(|i| ItemSummary { id: i.item.id, number: i.item.number, title: i.item.title, municipalities: i.item.municipalities, topics: i.item.topics, kind: i.kind })
                .collect(),
        })
    }

    pub fn num_items(&self) -> u64 {
        self.reader.searcher().num_docs()
    }
}

pub(crate) fn decode_doc(doc: &TantivyDocument, f: Fields) -> Result<StoredItem, IndexError> {
    let json = doc.get_first(f.doc).and_then(|v| v.as_str()).unwrap_or("");
    serde_json::from_str(json).map_err(|e| IndexError::Tantivy(tantivy::TantivyError::InternalError(format!("stored item: {e}"))))
}

fn load_synonyms(dir: &Path) -> Result<Synonyms, IndexError> {
    let p = dir.join(SYNONYMS_FILE);
    let text = std::fs::read_to_string(&p).unwrap_or_else(|_| arkiv_ingest::EMBEDDED_SYNONYMS.to_string());
    Synonyms::parse(&text).map_err(|message| IndexError::Config { path: p, message })
}

/// The archive's word table as the index in `dir` keeps it (the words of
/// the files its manifest holds).
pub fn word_table(dir: &Path) -> Result<arkiv_ingest::WordTable, IndexError> {
    let index = Index::open_in_dir(dir)?;
    store::words_of(dir, store::payload(&index))
}

/// Builds or updates the index in `index_dir` from `archive`. Refuses with
/// [`IndexError::Busy`] while another run writes the same index.
pub fn index_archive(archive: &Path, index_dir: &Path, cfg: &arkiv_ingest::Config, synonyms_toml: &str) -> Result<IndexSummary, IndexError> {
    build::update(archive, index_dir, cfg, synonyms_toml, false)
}

/// As [`index_archive`], but waits for another run writing the index to finish.
pub fn index_archive_waiting(archive: &Path, index_dir: &Path, cfg: &arkiv_ingest::Config, synonyms_toml: &str) -> Result<IndexSummary, IndexError> {
    build::update(archive, index_dir, cfg, synonyms_toml, true)
}
