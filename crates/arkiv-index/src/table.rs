//! Per-segment tables held in memory for counting facets, filtering and
//! ordering by date without reading tantivy's columns item by item.
//!
//! A segment never changes once written, so its table is built once (when
//! the reader loads a new commit, by a tantivy `Warmer`) and kept while any
//! searcher still uses the segment. For each facet value the table holds the
//! set of items that have it as a bitset, interleaved so that one 64-item
//! word of every value of a facet lies side by side: counting a facet over a
//! set of matches is then one AND and one popcount per value for each word
//! of matches that is not empty, whatever the number of matches.

use crate::build::UNKNOWN_DATE;
use fixedbitset::FixedBitSet;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tantivy::schema::Facet;
use tantivy::index::SegmentId;
use tantivy::{DocId, Searcher, SearcherGeneration, SegmentReader, Warmer};

/// The facet fields, in the order their tables are kept.
pub(crate) const FACET_FIELDS: [&str; 5] = ["group", "municipality", "topic", "kind", "year"];

/// One facet of one segment: its values and, for each, its items.
pub(crate) struct FacetTable {
    pub values: Vec<String>,
    by_name: HashMap<String, usize>,
    /// `bits[w * values.len() + v]`: word `w` of the items with value `v`.
    bits: Vec<usize>,
}

impl FacetTable {
    fn build(reader: &SegmentReader, field: &str, words: usize) -> tantivy::Result<FacetTable> {
        let fr = reader.facet_reader(field)?;
        let n = fr.num_facets();
        let mut values = Vec::with_capacity(n);
        let mut facet = Facet::root();
        for ord in 0..n as u64 {
            fr.facet_from_ord(ord, &mut facet)?;
            values.push(facet.to_path().last().map(|s| s.to_string()).unwrap_or_default());
        }
        let mut bits = vec![0usize; words * n.max(1)];
        for doc in 0..reader.max_doc() {
            for ord in fr.facet_ords(doc) {
                bits[(doc as usize / 64) * n + ord as usize] |= 1 << (doc % 64);
            }
        }
        let by_name = values.iter().enumerate().map(|(i, v)| (v.clone(), i)).collect();
        Ok(FacetTable { values, by_name, bits })
    }

    /// The items with any of `names` (values this segment lacks match nothing).
    pub fn any_of(&self, names: &[String], len: usize) -> FixedBitSet {
        let mut set = FixedBitSet::with_capacity(len);
        let n = self.values.len();
        let ords: Vec<usize> = names.iter().filter_map(|v| self.by_name.get(v).copied()).collect();
        if ords.is_empty() {
            return set;
        }
        for (w, out) in set.as_mut_slice().iter_mut().enumerate() {
            let row = &self.bits[w * n..(w + 1) * n];
            *out = ords.iter().fold(0, |acc, &o| acc | row[o]);
        }
        set
    }

    /// Adds to `counts[v]` the items of `base` with value `v`.
    pub fn count(&self, base: &FixedBitSet, counts: &mut [u64]) {
        let n = self.values.len();
        if n == 0 {
            return;
        }
        for (w, &b) in base.as_slice().iter().enumerate() {
            if b == 0 {
                continue;
            }
            let row = &self.bits[w * n..(w + 1) * n];
            for (c, &x) in counts.iter_mut().zip(row) {
                *c += (b & x).count_ones() as u64;
            }
        }
    }
}

/// What search needs of one segment, in memory.
pub(crate) struct SegmentTable {
    pub max_doc: u32,
    /// The items not deleted.
    pub alive: FixedBitSet,
    pub facets: Vec<FacetTable>,
    /// The meeting day of each item (days since 1970), or `UNKNOWN_DATE`.
    pub day: Vec<i64>,
    /// The items newest first (ties in index order).
    pub by_date: Vec<DocId>,
    /// The newest meeting day among the live items.
    pub newest: i64,
}

impl SegmentTable {
    pub fn build(reader: &SegmentReader) -> tantivy::Result<SegmentTable> {
        let max_doc = reader.max_doc();
        let len = max_doc as usize;
        let words = len.div_ceil(usize::BITS as usize);
        let mut alive = FixedBitSet::with_capacity(len);
        match reader.alive_bitset() {
            Some(a) => (0..max_doc).filter(|d| a.is_alive(*d)).for_each(|d| alive.insert(d as usize)),
            None => alive.insert_range(..),
        }
        let facets = FACET_FIELDS.iter().map(|f| FacetTable::build(reader, f, words)).collect::<tantivy::Result<Vec<_>>>()?;
        let col = reader.fast_fields().i64("sort_date")?.first_or_default_col(UNKNOWN_DATE);
        let day: Vec<i64> = (0..max_doc).map(|d| col.get_val(d)).collect();
        let mut by_date: Vec<DocId> = (0..max_doc).collect();
        by_date.sort_by_key(|&d| (std::cmp::Reverse(day[d as usize]), d));
        let newest = alive.ones().map(|d| day[d]).filter(|&d| d != UNKNOWN_DATE).max().unwrap_or(UNKNOWN_DATE);
        Ok(SegmentTable { max_doc, alive, facets, day, by_date, newest })
    }

    /// The live items whose meeting day lies in `from..=to` (days).
    pub fn days_between(&self, from: Option<i64>, to: Option<i64>) -> FixedBitSet {
        let mut set = FixedBitSet::with_capacity(self.max_doc as usize);
        let (lo, hi) = (from.unwrap_or(i64::MIN), to.unwrap_or(i64::MAX));
        for (d, &day) in self.day.iter().enumerate() {
            if day != UNKNOWN_DATE && day >= lo && day <= hi {
                set.insert(d);
            }
        }
        set
    }
}

/// A segment's identity: its id and the deletes applied to it.
type Key = (SegmentId, Option<u64>);

fn key(reader: &SegmentReader) -> Key {
    (reader.segment_id(), reader.delete_opstamp())
}

/// The tables of the segments in use, built as commits are loaded.
#[derive(Default)]
pub(crate) struct Tables {
    map: Mutex<HashMap<Key, Arc<SegmentTable>>>,
}

impl Tables {
    /// The table of each segment of `searcher`, in segment order; any that
    /// is missing (a searcher the warmer has not seen) is built here.
    pub fn for_searcher(&self, searcher: &Searcher) -> tantivy::Result<Vec<Arc<SegmentTable>>> {
        let mut out = Vec::with_capacity(searcher.segment_readers().len());
        for reader in searcher.segment_readers() {
            let k = key(reader);
            let found = self.map.lock().unwrap_or_else(|e| e.into_inner()).get(&k).cloned();
            let t = match found {
                Some(t) => t,
                None => {
                    let t = Arc::new(SegmentTable::build(reader)?);
                    self.map.lock().unwrap_or_else(|e| e.into_inner()).insert(k, t.clone());
                    t
                }
            };
            out.push(t);
        }
        Ok(out)
    }
}

impl Warmer for Tables {
    fn warm(&self, searcher: &Searcher) -> tantivy::Result<()> {
        self.for_searcher(searcher).map(|_| ())
    }

    fn garbage_collect(&self, live: &[&SearcherGeneration]) {
        let keep: std::collections::HashSet<Key> =
            live.iter().flat_map(|g| g.segments().iter().map(|(id, opstamp)| (*id, *opstamp))).collect();
        self.map.lock().unwrap_or_else(|e| e.into_inner()).retain(|k, _| keep.contains(k));
    }
}
