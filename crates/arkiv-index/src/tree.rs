//! The shape of a text query: how its leaves' scores combine. Leaves are
//! tantivy queries (a term, a phrase, a typo or prefix automaton); the
//! combinations are the ones tantivy's boolean, dis-max, boost and
//! constant-score queries make, computed here so that a search can match
//! with the leaves alone (into bitsets) and score only its ranking
//! candidates, seeking each leaf forward instead of building a union over
//! every match.

use tantivy::query::{EnableScoring, Query, Scorer, Weight};
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

/// Scores chosen items of one segment by a query tree.
pub(crate) struct TreeScorer<'a> {
    root: &'a Node,
    scorers: Vec<Box<dyn Scorer>>,
    leaves: Vec<Option<f32>>,
}

impl<'a> TreeScorer<'a> {
    pub fn new(root: &'a Node, weights: &[Box<dyn Weight>], reader: &SegmentReader) -> tantivy::Result<TreeScorer<'a>> {
        let scorers = weights.iter().map(|w| w.scorer(reader, 1.0)).collect::<tantivy::Result<Vec<_>>>()?;
        Ok(TreeScorer { root, leaves: vec![None; scorers.len()], scorers })
    }

    /// The score of `doc`; items must be asked for in increasing order.
    pub fn score(&mut self, doc: DocId) -> Option<f32> {
        for (s, out) in self.scorers.iter_mut().zip(self.leaves.iter_mut()) {
            let mut at = s.doc();
            if at < doc && at != TERMINATED {
                at = s.seek(doc);
            }
            *out = (at == doc).then(|| s.score());
        }
        self.root.score(&self.leaves)
    }
}

/// The leaves' weights, for scoring or for matching only.
pub(crate) fn weights(leaves: &[Box<dyn Query>], searcher: &Searcher, scoring: bool) -> tantivy::Result<Vec<Box<dyn Weight>>> {
    leaves
        .iter()
        .map(|q| q.weight(if scoring { EnableScoring::enabled_from_searcher(searcher) } else { EnableScoring::disabled_from_searcher(searcher) }))
        .collect()
}
