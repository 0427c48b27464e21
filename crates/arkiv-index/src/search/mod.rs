//! Search: a staff query into a plan of tantivy leaves (stems, hyphen
//! parts, compound parts, synonyms, ASCII spellings, typos, phrases), run in
//! two phases. Phase one matches each leaf into bitsets without scoring and
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
use rank::SegmentPass;
use tantivy::query::Weight;
use tantivy::SegmentReader;

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

    // Phase one: which items match (leaf by leaf, into bitsets, no scoring),
    // the total and the facet counts.
    let leaves = match &plan {
        Some(p) => tree::weights(&p.leaves, &searcher, false)?,
        None => vec![],
    };
    let clauses: Vec<(Vec<&dyn Weight>, Vec<&dyn Weight>)> = plan
        .iter()
        .flat_map(|p| &p.clauses)
        .map(|c| (c.exact.iter().map(|&i| leaves[i].as_ref()).collect(), c.typo.iter().map(|&i| leaves[i].as_ref()).collect()))
        .collect();
    let mut total = 0usize;
    let mut facets = FacetCounter::default();
    let mut passes = vec![];
    for (reader, t) in searcher.segment_readers().iter().zip(&tables) {
        let pass = match_segment(reader, t, req, plan.is_some(), &clauses, scored, &mut facets)?;
        total += pass.matches.count_ones(..);
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
        let snippet = highlighter.snippet(&idx.analyzer, &it.body(), SNIPPET_WORDS);
        let title_marks = highlighter.marks(&idx.analyzer, &it.title);
        let item = HitItem {
            id: it.id,
            title: it.title,
            number: it.number,
            group: it.meeting.group,
            date: it.meeting.date,
            kind: it.kind,
            municipalities: it.municipalities,
            topics: it.topics,
            meeting_id: it.meeting.id,
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
fn match_segment(
    reader: &SegmentReader,
    t: &SegmentTable,
    req: &SearchRequest,
    has_text: bool,
    clauses: &[(Vec<&dyn Weight>, Vec<&dyn Weight>)],
    scored: bool,
    facets: &mut FacetCounter,
) -> tantivy::Result<SegmentPass> {
    let len = t.max_doc as usize;
    let filters = t.filters(req);
    // The items the text matches, filters aside (for facet counts).
    let mut text_matches = if has_text { FixedBitSet::with_capacity(len) } else { t.alive.clone() };
    let mut top_level: Option<FixedBitSet> = None;
    for (exact, typo) in clauses {
        let mut e = FixedBitSet::with_capacity(len);
        union_of(exact, reader, &mut e)?;
        text_matches.union_with(&e);
        union_of(typo, reader, &mut text_matches)?;
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
    Ok(SegmentPass { matches, top_level })
}

/// The items of one segment that any of `weights` matches.
fn union_of(weights: &[&dyn Weight], reader: &SegmentReader, into: &mut FixedBitSet) -> tantivy::Result<()> {
    for w in weights {
        w.for_each_no_score(reader, &mut |docs| docs.iter().for_each(|&d| into.insert(d as usize)))?;
    }
    Ok(())
}
