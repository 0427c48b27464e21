//! The leaves of a query (a term in one field, a phrase, a prefix or typo
//! automaton) and the items each matches in a segment, kept as bitsets
//! across searches.
//!
//! A segment never changes once written, so what a leaf matches in it never
//! changes either (deleted items are taken out by the segment's table of
//! live items). The sets are kept in a cache bounded in bytes (S3-FIFO,
//! `quick_cache`), shared by every search of the open index and dropped with
//! their segment: a leaf that comes again (a common word, the typo and prefix
//! expansions of a word typed before) costs a few word-wise ORs instead of
//! reading its postings, or walking the term dictionary with an automaton.

use fixedbitset::FixedBitSet;
use std::collections::HashSet;
use std::sync::Arc;
use tantivy::index::SegmentId;
use tantivy::query::{EnableScoring, Query, Weight};
use tantivy::{Searcher, SegmentReader};

/// One leaf of a query plan.
pub(crate) struct Leaf {
    pub query: Box<dyn Query>,
    /// Every item it matches scores the same (1.0): typo and prefix
    /// automata. Ranking then needs only whether an item matches.
    pub constant: bool,
    /// What the leaf is, as the cache knows it.
    key: Arc<str>,
}

impl Leaf {
    pub fn new(query: Box<dyn Query>, constant: bool) -> Leaf {
        let key = format!("{query:?}").into();
        Leaf { query, constant, key }
    }
}

type Key = (SegmentId, Arc<str>);

#[derive(Clone)]
struct ByBytes;

impl quick_cache::Weighter<Key, Arc<FixedBitSet>> for ByBytes {
    fn weight(&self, key: &Key, set: &Arc<FixedBitSet>) -> u64 {
        (set.as_slice().len() * std::mem::size_of::<usize>() + key.1.len() + 64) as u64
    }
}

/// The leaves' sets of the segments in use.
pub(crate) struct LeafSets {
    cache: quick_cache::sync::Cache<Key, Arc<FixedBitSet>, ByBytes>,
}

/// Bytes of leaf sets kept by default: a leaf over a million items takes
/// 125 KB a segment, so this holds the leaves of the last few hundred
/// distinct words.
pub const LEAF_CACHE_BYTES: u64 = 128 << 20;

impl Default for LeafSets {
    fn default() -> Self {
        LeafSets::with_bytes(LEAF_CACHE_BYTES)
    }
}

impl LeafSets {
    pub fn with_bytes(bytes: u64) -> LeafSets {
        LeafSets { cache: quick_cache::sync::Cache::with_weighter(1024, bytes.max(1), ByBytes) }
    }

    /// The items of `reader`'s segment that each leaf with `needed` matches
    /// (an empty set for the others: a proximity leaf only adds to the score
    /// of items that match anyway, and is never matched on its own). Leaves
    /// not kept are matched here, without scoring.
    pub fn matches(&self, leaves: &[Leaf], needed: &[bool], searcher: &Searcher, reader: &SegmentReader) -> tantivy::Result<Vec<Arc<FixedBitSet>>> {
        let id = reader.segment_id();
        let none = Arc::new(FixedBitSet::new());
        let mut out = Vec::with_capacity(leaves.len());
        for (leaf, &needed) in leaves.iter().zip(needed) {
            if !needed {
                out.push(none.clone());
                continue;
            }
            let key = (id, leaf.key.clone());
            if let Some(set) = self.cache.get(&key) {
                out.push(set);
                continue;
            }
            let weight = leaf.query.weight(EnableScoring::disabled_from_searcher(searcher))?;
            let set = Arc::new(match_all(weight.as_ref(), reader)?);
            self.cache.insert(key, set.clone());
            out.push(set);
        }
        Ok(out)
    }

    /// Drops the sets of segments no searcher uses any more.
    pub fn keep_only(&self, live: &HashSet<SegmentId>) {
        self.cache.retain(|k, _| live.contains(&k.0));
    }
}

/// Every item of the segment that `weight` matches.
fn match_all(weight: &dyn Weight, reader: &SegmentReader) -> tantivy::Result<FixedBitSet> {
    let mut set = FixedBitSet::with_capacity(reader.max_doc() as usize);
    weight.for_each_no_score(reader, &mut |docs| docs.iter().for_each(|&d| set.insert(d as usize)))?;
    Ok(set)
}
