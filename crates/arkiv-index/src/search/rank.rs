//! Phase two of a search: ranking. The items that match are ranked by the
//! full relevance score of the query's tree, with the match level first and
//! the recency tweak on the BM25 part; when they are many, the candidates
//! are narrowed by the BM25 sum of the plain terms first.
//!
//! The best `k` are kept by tantivy's `TopNComputer` (ties to the earlier
//! address), here and for the date order.

use super::plan::{Plan, LEVEL};
use crate::build::UNKNOWN_DATE;
use crate::table::SegmentTable;
use crate::tree::{self, Node, TreeScorer};
use fixedbitset::FixedBitSet;
use tantivy::collector::sort_key::NaturalComparator;
use tantivy::collector::{ComparableDoc, TopNComputer};
use tantivy::query::{BooleanQuery, EnableScoring, Occur, Query};
use tantivy::{DocAddress, Searcher};

/// The best `k` items offered, by a key (a score, or a day), ties to the
/// earlier address. Items must be offered so that of two with the same key
/// the earlier address comes first (tantivy's rule: its threshold drops a
/// later item that only ties).
type TopK = TopNComputer<f64, DocAddress, NaturalComparator>;

/// The best entries, best first: each item's key and address.
pub(crate) type Ranked = Vec<ComparableDoc<f64, DocAddress>>;

fn top_k(k: usize) -> TopK {
    TopK::new_with_comparator(k, NaturalComparator)
}

/// The threshold a candidate's score must pass, for tantivy's pruning.
fn threshold(t: &TopK) -> f32 {
    t.threshold.map_or(f32::MIN, |t| t as f32)
}

/// What phase one found in a segment, for ranking in phase two.
pub(crate) struct SegmentPass {
    /// The items that match and pass every filter, and how many they are.
    pub matches: FixedBitSet,
    pub count: usize,
    /// Those of them at the query's top match level (every clause exact).
    pub top_level: Option<FixedBitSet>,
    /// What each leaf of the plan matches in the segment.
    pub leaves: Vec<std::sync::Arc<FixedBitSet>>,
}

/// The newest `window` of the matches (ties in index order).
pub(crate) fn newest_first(tables: &[std::sync::Arc<SegmentTable>], passes: &[SegmentPass], window: usize) -> Ranked {
    let mut top = top_k(window);
    for (seg, (t, p)) in tables.iter().zip(passes).enumerate() {
        let seg = seg as u32;
        let (matches, len) = (&p.matches, t.max_doc as usize);
        // Dense matches: walk the items newest first until the list is
        // full (of one day, the earlier address comes first, as `TopK`
        // needs); sparse ones: offer each, in index order.
        if p.count * 16 >= len {
            let mut taken = 0;
            for &d in &t.by_date {
                if matches.contains(d as usize) {
                    top.push(t.day[d as usize] as f64, DocAddress::new(seg, d));
                    taken += 1;
                    if taken == window {
                        break;
                    }
                }
            }
        } else {
            for d in matches.ones() {
                top.push(t.day[d] as f64, DocAddress::new(seg, d as u32));
            }
        }
    }
    top.into_sorted_vec()
}

/// Relevance with the recency tweak: newer meetings scale the BM25 part of
/// a score, never its match level.
fn tweak(score: f32, factor: f32) -> f32 {
    let level = (score / LEVEL).floor() * LEVEL;
    level + (score - level) * factor
}

/// The recency factor of each meeting day, computed once a day: a broad
/// query scores hundreds of thousands of items from a few thousand days.
struct Recency {
    newest: i64,
    /// By age in days; NaN where not computed yet.
    by_age: Vec<f32>,
}

impl Recency {
    fn new(newest: i64) -> Recency {
        Recency { newest, by_age: vec![] }
    }

    fn factor(&mut self, day: i64) -> f32 {
        if day == UNKNOWN_DATE || self.newest == UNKNOWN_DATE {
            return 1.0;
        }
        let age = (self.newest - day).max(0) as usize;
        if age >= 1 << 16 {
            return recency_factor(day, self.newest);
        }
        if age >= self.by_age.len() {
            self.by_age.resize(age + 1, f32::NAN);
        }
        if self.by_age[age].is_nan() {
            self.by_age[age] = recency_factor(day, self.newest);
        }
        self.by_age[age]
    }
}

/// Up to this many matches are all scored; above it, the candidates are
/// first narrowed by the BM25 sum of the query's plain terms.
pub const SCORE_ALL_UP_TO: usize = 5_000;

/// How many candidates the narrowing keeps for a result window.
fn candidates_for(window: usize) -> usize {
    (window * 5).max(200)
}

/// The best `window` of the matches by the full relevance score.
///
/// Items with every clause matched exactly outrank all others (the match
/// level), so when there are enough of them only they are ranked. When the
/// items to rank are few, each is scored with the full query. When they are
/// many, the candidates are first narrowed to the best few hundred by the
/// BM25 sum of the query's plain terms, which tantivy finds with block-max
/// WAND without visiting most items, and only those get the full score
/// (phrases, proximity, typos, compound parts, synonyms, recency): the
/// rescoring step of a two-phase ranker.
pub(crate) fn rank(
    searcher: &Searcher,
    tables: &[std::sync::Arc<SegmentTable>],
    root: &Node,
    plan: &Plan,
    passes: &[SegmentPass],
    window: usize,
    newest: Option<i64>,
    full_scoring_limit: usize,
) -> tantivy::Result<Ranked> {
    let top_level: usize = passes.iter().map(|p| p.top_level.as_ref().map_or(0, |l| l.count_ones(..))).sum();
    let pool: Vec<&FixedBitSet> = passes.iter().map(|p| if top_level >= window { p.top_level.as_ref().unwrap_or(&p.matches) } else { &p.matches }).collect();
    let pool_size = if top_level >= window { top_level } else { passes.iter().map(|p| p.count).sum() };
    let mut chosen: Vec<Vec<u32>> = pool.iter().map(|_| vec![]).collect();
    let mut narrowed = false;
    if pool_size > full_scoring_limit && !plan.core.is_empty() {
        let core = BooleanQuery::new(plan.core.iter().map(|q| (Occur::Should, q.box_clone())).collect());
        let w = core.weight(EnableScoring::enabled_from_searcher(searcher))?;
        let mut best = top_k(candidates_for(window));
        for (seg, reader) in searcher.segment_readers().iter().enumerate() {
            let set = pool[seg];
            w.for_each_pruning(threshold(&best), reader, &mut |doc, score| {
                if set.contains(doc as usize) {
                    best.push(score as f64, DocAddress::new(seg as u32, doc));
                }
                threshold(&best)
            })?;
        }
        let best = best.into_vec();
        // Too few items carry a plain term (most matched by typo or prefix):
        // every item of the pool is scored instead.
        if best.len() >= window {
            narrowed = true;
            for e in best {
                chosen[e.doc.segment_ord as usize].push(e.doc.doc_id);
            }
        }
    }
    if !narrowed {
        for (seg, set) in pool.iter().enumerate() {
            chosen[seg] = set.ones().map(|d| d as u32).collect();
        }
    }
    let weights = tree::scoring_weights(&plan.leaves, searcher)?;
    let mut recency = newest.map(Recency::new);
    let mut top = top_k(window);
    for (seg, reader) in searcher.segment_readers().iter().enumerate() {
        let docs = &mut chosen[seg];
        if docs.is_empty() {
            continue;
        }
        docs.sort_unstable();
        let day = &tables[seg].day;
        let mut scorer = TreeScorer::new(root, &weights, &passes[seg].leaves, reader)?;
        for &d in docs.iter() {
            let Some(score) = scorer.score(d) else { continue };
            let key = match recency.as_mut() {
                Some(r) => tweak(score, r.factor(day[d as usize])),
                None => score,
            };
            top.push(key as f64, DocAddress::new(seg as u32, d));
        }
    }
    Ok(top.into_sorted_vec())
}

/// At most 5% more for the newest meetings, halving every three years.
fn recency_factor(day: i64, newest: i64) -> f32 {
    if day == UNKNOWN_DATE || newest == UNKNOWN_DATE {
        return 1.0;
    }
    let age_years = (newest - day).max(0) as f32 / 365.25;
    1.0 + 0.05 * 0.5f32.powf(age_years / 3.0)
}


#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn top_k_keeps_the_highest_keys_ties_to_the_earlier_address() {
        let mut t = top_k(3);
        for (d, key) in [5.0, 9.0, 1.0, 9.0, 7.0, 7.0, 2.0, 9.5].into_iter().enumerate() {
            t.push(key, DocAddress::new(0, d as u32));
        }
        let got: Vec<(f64, u32)> = t.into_sorted_vec().into_iter().map(|e| (e.sort_key, e.doc.doc_id)).collect();
        assert_eq!(got, [(9.5, 7), (9.0, 1), (9.0, 3)]);
    }
}
