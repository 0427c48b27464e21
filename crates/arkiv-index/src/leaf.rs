//! A query leaf whose matching items are found once per segment and kept
//! for the rest of the search. Typo and prefix automata walk many terms of
//! the dictionary and read all their postings before the first match comes
//! out, and a search needs their matches twice: to count and facet, then to
//! score the ranking candidates.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tantivy::index::SegmentId;
use tantivy::query::{BitSetDocSet, ConstScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{BitSet, DocId, Score, SegmentReader};

type Sets = Arc<Mutex<HashMap<SegmentId, Arc<BitSet>>>>;

/// A constant-scored leaf (a typo or prefix automaton) with its matches
/// kept per segment. Clones share what has been found.
#[derive(Clone)]
pub(crate) struct Cached {
    inner: Arc<dyn Query>,
    sets: Sets,
}

impl std::fmt::Debug for Cached {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Cached({:?})", self.inner)
    }
}

impl Cached {
    pub fn new(inner: Box<dyn Query>) -> Cached {
        Cached { inner: Arc::from(inner), sets: Arc::default() }
    }
}

impl Query for Cached {
    /// The automaton is built only for a segment whose matches are not
    /// kept yet, so the second phase of a search does not build it again.
    fn weight(&self, _scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(CachedWeight { inner: self.inner.clone(), sets: self.sets.clone() }))
    }
}

struct CachedWeight {
    inner: Arc<dyn Query>,
    sets: Sets,
}

impl CachedWeight {
    fn set(&self, reader: &SegmentReader) -> tantivy::Result<Arc<BitSet>> {
        let id = reader.segment_id();
        if let Some(s) = self.sets.lock().unwrap_or_else(|e| e.into_inner()).get(&id) {
            return Ok(s.clone());
        }
        let mut set = BitSet::with_max_value(reader.max_doc());
        let inner = self.inner.weight(EnableScoring::disabled_from_schema(reader.schema()))?;
        inner.for_each_no_score(reader, &mut |docs| docs.iter().for_each(|&d| {
            set.insert(d);
        }))?;
        let set = Arc::new(set);
        self.sets.lock().unwrap_or_else(|e| e.into_inner()).insert(id, set.clone());
        Ok(set)
    }
}

impl Weight for CachedWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let set = self.set(reader)?;
        Ok(Box::new(ConstScorer::new(BitSetDocSet::from(BitSet::clone(&set)), boost)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.inner.weight(EnableScoring::disabled_from_schema(reader.schema()))?.explain(reader, doc)
    }
}
