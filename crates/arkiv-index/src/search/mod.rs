//! Search: a staff query into a plan of tantivy leaves (stems, hyphen
//! parts, compound parts, synonyms, ASCII spellings, typos, phrases), run in
//! two phases. Phase one takes each leaf's matches as bitsets and
//! gives the total, the disjunctive facet counts and the date order; phase
//! two ranks the matches. The hits shown get highlight ranges.
//!
//! The concerns live beside this file: `request` (what may be asked),
//! `parse` (words and phrases), `plan` (the leaves and how they score),
//! `rank` (phase two and top-k), `highlight` (marks and snippets); facet
//! counting lives with the tables it reads (`crate::table`).

mod highlight;
mod parse;
mod plan;
mod rank;
mod request;

pub use highlight::Highlighter;
pub use rank::SCORE_ALL_UP_TO;
pub use request::{validate, SearchRequest, Sort, MAX_FUZZY_WORDS, MAX_LIMIT, MAX_QUERY_CHARS, MAX_QUERY_WORDS, MAX_WINDOW};

use crate::build::UNKNOWN_DATE;
use crate::model::{Hit, HitItem, SearchResponse};
use crate::table::{FacetCounter, SegmentTable};
use crate::{decode_doc, tree, ArkivIndex, IndexError};
use fixedbitset::FixedBitSet;
use plan::Plan;
use rank::SegmentPass;
use std::sync::Arc;

/// Words in a snippet.
const SNIPPET_WORDS: usize = 30;

pub fn search(idx: &ArkivIndex, req: &SearchRequest) -> Result<SearchResponse, IndexError> {
    validate(req)?;
    let searcher = idx.reader.searcher();
    let tables = idx.tables.for_searcher(&searcher)?;
    let (plan, highlighter) = plan::plan(idx, &searcher, &req.q);
    let limit = req.page_len();
    let window = req.offset + limit;
    let by_date = req.sort == Sort::Date || plan.is_none();
    let scored = window > 0 && !by_date;

    // Phase one: which items match (each leaf's set of matches, kept across
    // searches, see `crate::leaf`), the total and the facet counts.
    let mut total = 0usize;
    let mut facets = FacetCounter::default();
    let mut passes = vec![];
    let needed = plan.as_ref().map(|p| p.matching_leaves()).unwrap_or_default();
    for (reader, t) in searcher.segment_readers().iter().zip(&tables) {
        let sets = match &plan {
            Some(p) => idx.tables.leaves.matches(&p.leaves, &needed, &searcher, reader)?,
            None => vec![],
        };
        let pass = match_segment(t, req, plan.as_ref(), sets, scored, &mut facets);
        total += pass.count;
        passes.push(pass);
    }

    // Phase two: order the matches, by date or by relevance.
    let ranked = match (&plan, window > 0) {
        (_, false) => vec![],
        (Some(p), true) if scored => {
            let newest = tables.iter().map(|t| t.newest).max().unwrap_or(UNKNOWN_DATE);
            rank::rank(&searcher, &tables, p.root.as_ref().unwrap_or(&tree::Node::Empty), p, &passes, window, req.recency.then_some(newest), idx.full_scoring_limit)?
        }
        _ => rank::newest_first(&tables, &passes, window),
    };

    // The hits shown: their stored items, highlighted.
    let mut hits = Vec::with_capacity(limit);
    for e in ranked.into_iter().skip(req.offset).take(limit) {
        let it = decode_doc(&searcher.doc(e.doc)?, idx.fields)?;
        let snippet = highlighter.snippet(&idx.analyzer, &it.text(), SNIPPET_WORDS);
        let title_marks = highlighter.marks(&idx.analyzer, &it.item.title);
        let item = HitItem {
            id: it.item.id,
            title: it.item.title,
            number: it.item.number,
            group: it.meeting.head.group,
            date: it.meeting.head.date,
            kind: it.kind,
            municipalities: it.item.municipalities,
            topics: it.item.topics,
            meeting_id: it.meeting.head.id,
            source: it.source,
            documents: it.documents,
        };
        hits.push(Hit { item, title_marks, snippet, score: if by_date { 0.0 } else { e.sort_key as f32 } });
    }
    Ok(SearchResponse { query: req.q.clone(), total, hits, facets: facets.into_facets() })
}

/// Phase one in one segment: the items that match the text and pass the
/// filters, those at the top match level (when the search is ranked), and
/// their facet counts added to `facets`.
fn match_segment(t: &SegmentTable, req: &SearchRequest, plan: Option<&Plan>, sets: Vec<Arc<FixedBitSet>>, scored: bool, facets: &mut FacetCounter) -> SegmentPass {
    let len = t.max_doc as usize;
    let filters = t.filters(req);
    // The items the text matches, filters aside (for facet counts).
    let mut text_matches = if plan.is_some() { FixedBitSet::with_capacity(len) } else { t.alive.clone() };
    let mut top_level: Option<FixedBitSet> = None;
    for c in plan.iter().flat_map(|p| &p.clauses) {
        let mut e = FixedBitSet::with_capacity(len);
        c.exact.iter().for_each(|&i| e.union_with(&sets[i]));
        text_matches.union_with(&e);
        c.typo.iter().for_each(|&i| text_matches.union_with(&sets[i]));
        if scored {
            match top_level.as_mut() {
                None => top_level = Some(e),
                Some(l) => l.intersect_with(&e),
            }
        }
    }
    text_matches.intersect_with(&t.alive);
    let mut matches = text_matches.clone();
    for (_, s) in &filters {
        matches.intersect_with(s);
    }
    facets.add(t, &text_matches, &matches, &filters);
    if let Some(l) = top_level.as_mut() {
        l.intersect_with(&matches);
    }
    SegmentPass { count: matches.count_ones(..), matches, top_level, leaves: sets }
}
