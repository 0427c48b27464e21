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

use crate::build::{day_number, UNKNOWN_DATE};
use crate::facet::{Facets, Filter, Order, FACETS, FACET_COUNT};
use crate::model::FacetCount;
use crate::SearchRequest;
use fixedbitset::FixedBitSet;
use rayon::prelude::*;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tantivy::schema::Facet;
use tantivy::index::SegmentId;
use tantivy::{DocId, Searcher, SearcherGeneration, SegmentReader, Warmer};

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
        if self.values.is_empty() {
            return;
        }
        // The loop is popcounts: where the processor has the instruction,
        // a copy compiled to use it (the default target does without).
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("popcnt") {
            // SAFETY: the processor has popcnt, checked just above.
            return unsafe { self.count_popcnt(base.as_slice(), counts) };
        }
        count_words(&self.bits, self.values.len(), base.as_slice(), counts)
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "popcnt")]
    unsafe fn count_popcnt(&self, base: &[usize], counts: &mut [u64]) {
        count_words(&self.bits, self.values.len(), base, counts)
    }
}

/// `counts[v] += popcount(base[w] & bits[w * n + v])` over the words of
/// `base` that hold an item.
#[inline(always)]
fn count_words(bits: &[usize], n: usize, base: &[usize], counts: &mut [u64]) {
    for (w, &b) in base.iter().enumerate() {
        if b == 0 {
            continue;
        }
        let row = &bits[w * n..(w + 1) * n];
        for (c, &x) in counts.iter_mut().zip(row) {
            *c += (b & x).count_ones() as u64;
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
        // The facets and the date order are built side by side.
        let (facets, dates) = rayon::join(
            || FACETS.par_iter().map(|f| FacetTable::build(reader, f.name, words)).collect::<tantivy::Result<Vec<_>>>(),
            || -> tantivy::Result<(Vec<i64>, Vec<DocId>)> {
                let col = reader.fast_fields().i64("sort_date")?.first_or_default_col(UNKNOWN_DATE);
                let day: Vec<i64> = (0..max_doc).map(|d| col.get_val(d)).collect();
                let mut by_date: Vec<DocId> = (0..max_doc).collect();
                by_date.sort_unstable_by_key(|&d| (std::cmp::Reverse(day[d as usize]), d));
                Ok((day, by_date))
            },
        );
        let (facets, (day, by_date)) = (facets?, dates?);
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

/// The tables of the segments in use, built as commits are loaded, and
/// what their query leaves match.
#[derive(Default)]
pub(crate) struct Tables {
    map: Mutex<HashMap<Key, Arc<SegmentTable>>>,
    pub leaves: crate::leaf::LeafSets,
}

impl Tables {
    /// The table of each segment of `searcher`, in segment order; any that
    /// is missing (a searcher the warmer has not seen) is built here.
    pub fn for_searcher(&self, searcher: &Searcher) -> tantivy::Result<Vec<Arc<SegmentTable>>> {
        let found: Vec<Option<Arc<SegmentTable>>> = {
            let map = self.map.lock().unwrap_or_else(|e| e.into_inner());
            searcher.segment_readers().iter().map(|r| map.get(&key(r)).cloned()).collect()
        };
        // The missing ones, built side by side.
        searcher
            .segment_readers()
            .par_iter()
            .zip(found)
            .map(|(reader, found)| match found {
                Some(t) => Ok(t),
                None => {
                    let t = Arc::new(SegmentTable::build(reader)?);
                    self.map.lock().unwrap_or_else(|e| e.into_inner()).insert(key(reader), t.clone());
                    Ok(t)
                }
            })
            .collect()
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
        self.leaves.keep_only(&keep.iter().map(|k| k.0).collect());
    }
}

impl SegmentTable {
    /// The request's filters as sets of this segment's items, each with
    /// the facet it leaves out of counting (its position in `FACETS`; a date
    /// range leaves out the facet it filters).
    pub fn filters(&self, req: &SearchRequest) -> Vec<(usize, FixedBitSet)> {
        let len = self.max_doc as usize;
        let mut out = vec![];
        for (k, f) in FACETS.iter().enumerate() {
            match f.filter {
                Filter::Values => {
                    if let Some(values) = req.filters.get(f.name).filter(|v| !v.is_empty()) {
                        out.push((k, self.facets[k].any_of(values, len)));
                    }
                }
                Filter::DateRange => {
                    if req.from.is_some() || req.to.is_some() {
                        out.push((k, self.days_between(req.from.map(day_number), req.to.map(day_number))));
                    }
                }
            }
        }
        out
    }
}

/// Facet counts summed over the segments of a search.
pub(crate) struct FacetCounter {
    counts: Vec<HashMap<String, u64>>,
}

impl Default for FacetCounter {
    fn default() -> Self {
        FacetCounter { counts: vec![HashMap::new(); FACET_COUNT] }
    }
}

impl FacetCounter {
    /// Counts one segment's matches: `text_matches` are the items the text
    /// matches, `matches` those of them every filter lets through. A facet
    /// with a filter of its own is counted without that filter, so its
    /// other values keep their counts (disjunctive faceting).
    pub fn add(&mut self, t: &SegmentTable, text_matches: &FixedBitSet, matches: &FixedBitSet, filters: &[(usize, FixedBitSet)]) {
        for k in 0..FACET_COUNT {
            let own: FixedBitSet;
            let base = if filters.iter().any(|(n, _)| *n == k) {
                let mut b = text_matches.clone();
                for (_, s) in filters.iter().filter(|(n, _)| *n != k) {
                    b.intersect_with(s);
                }
                own = b;
                &own
            } else {
                matches
            };
            let ft = &t.facets[k];
            let mut c = vec![0u64; ft.values.len()];
            ft.count(base, &mut c);
            for (v, n) in ft.values.iter().zip(c) {
                if n > 0 {
                    *self.counts[k].entry(v.clone()).or_default() += n;
                }
            }
        }
    }

    /// The counts, in each facet's order.
    pub fn into_facets(self) -> Facets {
        let counts = FACETS
            .iter()
            .zip(self.counts)
            .map(|(f, map)| {
                let mut v: Vec<FacetCount> = map.into_iter().map(|(value, count)| FacetCount { value, count }).collect();
                match f.order {
                    Order::NewestFirst => v.sort_by(|a, b| b.value.cmp(&a.value)),
                    Order::ByCount => v.sort_by(|a, b| b.count.cmp(&a.count).then(a.value.cmp(&b.value))),
                }
                v
            })
            .collect();
        Facets::from_counts(counts)
    }
}
