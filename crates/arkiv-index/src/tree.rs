//! The shape of a text query: how its leaves' scores combine. Leaves are
//! tantivy queries (a term, a phrase, a typo or prefix automaton); the
//! combinations are the ones tantivy's boolean, dis-max, boost and
//! constant-score queries make, computed here so that a search can match
//! with the leaves alone (into bitsets) and score only its ranking
//! candidates, seeking each leaf forward instead of building a union over
//! every match.

use crate::leaf::Leaf;
use fixedbitset::FixedBitSet;
use rustc_hash::FxHashMap;
use std::sync::Arc;
use tantivy::query::{EnableScoring, Scorer, Weight};
use tantivy::{DocId, DocSet, Searcher, SegmentReader, TERMINATED};

#[derive(Debug, Clone)]
pub(crate) enum Node {
    /// Never matches.
    Empty,
    /// Leaf number `i`.
    Leaf(usize),
    /// The sum of the children that match (a boolean "should").
    Sum(Vec<Node>),
    /// The best child, plus `tie` times the others that match (dis-max).
    Max(Vec<Node>, f32),
    Boost(Box<Node>, f32),
    /// This score whenever the child matches.
    Const(Box<Node>, f32),
}

impl Node {
    /// Several children summed; none is `Empty`, one is itself.
    pub fn sum(mut v: Vec<Node>) -> Node {
        match v.len() {
            0 => Node::Empty,
            1 => v.pop().unwrap(),
            _ => Node::Sum(v),
        }
    }

    /// The best of several children, with a tenth of the rest.
    pub fn best_of(mut v: Vec<Node>) -> Node {
        match v.len() {
            0 => Node::Empty,
            1 => v.pop().unwrap(),
            _ => Node::Max(v, 0.1),
        }
    }

    pub fn boost(self, b: f32) -> Node {
        Node::Boost(Box::new(self), b)
    }

    /// The score of an item whose leaves scored `leaves` (None: no match).
    pub fn score(&self, leaves: &[Option<f32>]) -> Option<f32> {
        match self {
            Node::Empty => None,
            Node::Leaf(i) => leaves[*i],
            Node::Boost(n, b) => n.score(leaves).map(|s| s * b),
            Node::Const(n, c) => n.score(leaves).map(|_| *c),
            Node::Sum(v) => v.iter().filter_map(|n| n.score(leaves)).fold(None, |acc, s| Some(acc.unwrap_or(0.0) + s)),
            Node::Max(v, tie) => {
                let mut best: Option<f32> = None;
                let mut sum = 0.0;
                for s in v.iter().filter_map(|n| n.score(leaves)) {
                    sum += s;
                    best = Some(best.map_or(s, |b: f32| b.max(s)));
                }
                best.map(|m| m + (sum - m) * tie)
            }
        }
    }
}

/// How a leaf is scored in a segment: by its scorer, or, for a constant
/// leaf, by whether its set of matches holds the item.
enum LeafScorer {
    Scored(Box<dyn Scorer>),
    Constant(Arc<FixedBitSet>),
}

/// Scores chosen items of one segment by a query tree.
pub(crate) struct TreeScorer<'a> {
    root: &'a Node,
    scorers: Vec<LeafScorer>,
    leaves: Vec<Option<f32>>,
    /// The score of each pattern of matched leaves where every matched leaf
    /// is constant: typo- and prefix-only matches, often most of a broad
    /// query's, are then scored by a look-up.
    patterns: FxHashMap<u64, Option<f32>>,
    /// The leaves that can match in this segment (a term the segment lacks
    /// never does).
    live: Vec<usize>,
}

impl<'a> TreeScorer<'a> {
    /// `weights[i]` scores leaf `i`; where it is None (a constant leaf),
    /// `sets[i]`, the leaf's matches in this segment, does.
    pub fn new(root: &'a Node, weights: &[Option<Box<dyn Weight>>], sets: &[Arc<FixedBitSet>], reader: &SegmentReader) -> tantivy::Result<TreeScorer<'a>> {
        let scorers = weights
            .iter()
            .zip(sets)
            .map(|(w, set)| match w {
                Some(w) => w.scorer(reader, 1.0).map(LeafScorer::Scored),
                None => Ok(LeafScorer::Constant(set.clone())),
            })
            .collect::<tantivy::Result<Vec<_>>>()?;
        let live = (0..scorers.len()).filter(|&i| !matches!(&scorers[i], LeafScorer::Scored(s) if s.doc() == TERMINATED)).collect();
        Ok(TreeScorer { root, leaves: vec![None; scorers.len()], scorers, patterns: FxHashMap::default(), live })
    }

    /// The score of `doc`; items must be asked for in increasing order.
    pub fn score(&mut self, doc: DocId) -> Option<f32> {
        let mut pattern = 0u64;
        let mut all_constant = self.scorers.len() <= 64;
        for &i in &self.live {
            let (s, out) = (&mut self.scorers[i], &mut self.leaves[i]);
            *out = match s {
                LeafScorer::Constant(set) => set.contains(doc as usize).then_some(1.0),
                LeafScorer::Scored(s) => {
                    let mut at = s.doc();
                    if at < doc && at != TERMINATED {
                        at = s.seek(doc);
                    }
                    let v = (at == doc).then(|| s.score());
                    all_constant &= v.is_none();
                    v
                }
            };
            if out.is_some() && i < 64 {
                pattern |= 1 << i;
            }
        }
        if !all_constant {
            return self.root.score(&self.leaves);
        }
        let (root, leaves) = (self.root, &self.leaves);
        *self.patterns.entry(pattern).or_insert_with(|| root.score(leaves))
    }
}

/// The leaves' weights, for matching only (every leaf) or for scoring
/// (None for a constant leaf: its matches score it).
pub(crate) fn scoring_weights(leaves: &[Leaf], searcher: &Searcher) -> tantivy::Result<Vec<Option<Box<dyn Weight>>>> {
    leaves.iter().map(|l| if l.constant { Ok(None) } else { l.query.weight(EnableScoring::enabled_from_searcher(searcher)).map(Some) }).collect()
}
