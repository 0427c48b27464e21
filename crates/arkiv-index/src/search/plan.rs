//! The query plan: a staff query taken apart into leaves (terms in each
//! field, phrases, compound heads as prefixes, typo automata), the clauses
//! they belong to, the plain terms that find ranking candidates, and the
//! tree that says how the leaves' scores combine. It also gathers the terms
//! the highlighter marks.

use super::highlight::Highlighter;
use super::parse::{pieces, Piece};
use super::request::{MAX_FUZZY_WORDS, MAX_QUERY_WORDS};
use crate::leaf::Leaf;
use crate::schema::{text_fields, Fields, PARTS_WEIGHT};
use crate::tree::Node;
use crate::ArkivIndex;
use arkiv_analysis::{danish_spellings, is_stop_word, single_letter_stand_ins, stem};
use tantivy::query::{BoostQuery, FuzzyTermQuery, PhraseQuery, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Searcher, Term};

/// A synonym counts less than the form the user typed.
const SYNONYM_WEIGHT: f32 = 0.4;
/// A Danish word found for a plain letter typed in its place counts less
/// than the word as typed would.
const STAND_IN_WEIGHT: f32 = 0.8;

/// Each query word (or phrase, or synonym set) an item matches adds this
/// much: items that match more of the query rank first, and BM25 orders
/// items that match as many (the Meilisearch "words" rule).
pub const LEVEL: f32 = 10_000.0;

/// The plan of `q`, and the terms to mark in its hits; None for a query
/// with nothing to search for (empty, or stop words only).
pub(crate) fn plan(idx: &ArkivIndex, searcher: &Searcher, q: &str) -> (Option<Plan>, Highlighter) {
    let mut b = Builder { idx, searcher, h: Highlighter::default(), fuzzy_budget: MAX_FUZZY_WORDS, plan: Plan::default(), exact: vec![], typo: vec![] };
    let found = b.text_query(q);
    (found.then_some(b.plan), b.h)
}

struct Builder<'a> {
    idx: &'a ArkivIndex,
    searcher: &'a Searcher,
    h: Highlighter,
    fuzzy_budget: usize,
    /// What the query is made of, for matching and ranking in parts.
    plan: Plan,
    /// The leaves of the clause being built: exact ways, and typos.
    exact: Vec<usize>,
    typo: Vec<usize>,
}

/// A text query taken apart. Its leaves are the queries that decide by
/// themselves whether an item matches (a term, a phrase, a prefix, a typo
/// automaton); `root` says how their scores combine. An item matches the
/// query when it matches any leaf listed in a clause; it has a clause's full
/// match level when it matches one of the clause's exact leaves. `core` is
/// the plain terms, whose BM25 sum finds ranking candidates.
#[derive(Default)]
pub(crate) struct Plan {
    pub leaves: Vec<Leaf>,
    pub clauses: Vec<ClauseLeaves>,
    pub core: Vec<Box<dyn Query>>,
    pub root: Option<Node>,
}

impl Plan {
    /// Which leaves decide whether an item matches: those of a clause.
    pub fn matching_leaves(&self) -> Vec<bool> {
        let mut v = vec![false; self.leaves.len()];
        for c in &self.clauses {
            c.exact.iter().chain(&c.typo).for_each(|&i| v[i] = true);
        }
        v
    }
}

pub(crate) struct ClauseLeaves {
    pub exact: Vec<usize>,
    pub typo: Vec<usize>,
}

/// A query clause: what counts for the match level (exact ways of
/// matching) and what matches only with a typo.
struct Clause {
    exact: Node,
    typo: Option<Node>,
}

impl Clause {
    fn query(&self) -> Node {
        match &self.typo {
            None => self.exact.clone(),
            Some(t) => Node::best_of(vec![self.exact.clone(), t.clone()]),
        }
    }
    /// The level: a whole one for an exact match, half for a typo.
    fn level(&self) -> Node {
        let mut qs = vec![Node::Const(Box::new(self.exact.clone()), LEVEL)];
        if let Some(t) = &self.typo {
            qs.push(Node::Const(Box::new(t.clone()), LEVEL / 2.0));
        }
        Node::best_of(qs)
    }
}

impl Builder<'_> {
    fn f(&self) -> Fields {
        self.idx.fields
    }

    fn exists(&self, stem: &str) -> bool {
        text_fields(&self.f()).iter().any(|(field, _)| self.searcher.doc_freq(&Term::from_field_text(*field, stem)).unwrap_or(0) > 0)
    }

    /// A new leaf, and the node that scores it.
    fn leaf(&mut self, q: Box<dyn Query>) -> (usize, Node) {
        self.plan.leaves.push(Leaf::new(q, false));
        let i = self.plan.leaves.len() - 1;
        (i, Node::Leaf(i))
    }

    /// A new leaf that scores 1 wherever it matches (an automaton).
    fn constant_leaf(&mut self, q: Box<dyn Query>) -> (usize, Node) {
        self.plan.leaves.push(Leaf::new(q, true));
        let i = self.plan.leaves.len() - 1;
        (i, Node::Leaf(i))
    }

    /// A plain term whose BM25 sum finds ranking candidates.
    fn core_term(&mut self, field: Field, text: &str, boost: f32) -> TermQuery {
        let tq = TermQuery::new(Term::from_field_text(field, text), IndexRecordOption::WithFreqs);
        self.plan.core.push(Box::new(BoostQuery::new(Box::new(tq.clone()), boost)));
        tq
    }

    /// A term leaf with its boost; it matches exactly and finds candidates.
    fn term(&mut self, field: Field, text: &str, boost: f32) -> Node {
        let tq = self.core_term(field, text, boost);
        let (i, n) = self.leaf(Box::new(tq));
        self.exact.push(i);
        n.boost(boost)
    }

    /// A phrase of analyzed tokens over the main fields.
    fn phrase(&mut self, text: &str, weight: f32) -> Option<Node> {
        let toks = self.idx.analyzer.analyze(text);
        let first = toks.first()?.position;
        let mut terms: Vec<(usize, String)> = vec![];
        for t in &toks {
            self.h.stems.insert(t.stem.clone());
            if t.hyphen_parts.is_empty() {
                terms.push((t.position - first, t.stem.clone()));
            } else {
                for (k, p) in t.hyphen_parts.iter().enumerate() {
                    terms.push((t.position - first + k, p.clone()));
                }
            }
        }
        if terms.len() == 1 {
            let s = terms[0].1.clone();
            return Some(self.word_exact(&s, weight));
        }
        let mut qs = vec![];
        for (field, boost) in text_fields(&self.f()) {
            let pq = PhraseQuery::new_with_offset(terms.iter().map(|(o, s)| (*o, Term::from_field_text(field, s))).collect());
            let (i, n) = self.leaf(Box::new(pq));
            self.exact.push(i);
            qs.push(n.boost(boost * weight));
            // The phrase's words find its ranking candidates.
            for (_, s) in &terms {
                self.core_term(field, s, boost * weight);
            }
        }
        Some(Node::sum(qs))
    }

    /// A stem in the main fields, and as a compound part.
    fn word_exact(&mut self, s: &str, weight: f32) -> Node {
        self.h.stems.insert(s.to_string());
        let mut qs: Vec<Node> = text_fields(&self.f()).iter().map(|(field, b)| self.term(*field, s, b * weight)).collect();
        let parts = self.f().parts;
        qs.push(self.term(parts, s, PARTS_WEIGHT * weight));
        Node::sum(qs)
    }

    /// One query word: its stem; a hyphenated word whole, as a phrase of its
    /// parts and by its parts; the Danish spellings of an ASCII word that the
    /// index knows; and, for longer words, the words one or two edits away.
    fn word(&mut self, w: &str, weight: f32) -> Option<Clause> {
        let pieces: Vec<&str> = w.split('-').filter(|p| !p.is_empty()).collect();
        let whole: String = pieces.concat();
        if whole.is_empty() || (pieces.len() == 1 && is_stop_word(&whole)) {
            return None;
        }
        let s = stem(&whole);
        let mut qs = vec![self.word_exact(&s, weight)];
        if pieces.len() > 1 {
            if let Some(p) = self.phrase(&pieces.join(" "), weight * 0.9) {
                qs.push(p);
            }
            let mut each = vec![];
            for p in &pieces {
                if !is_stop_word(p) && p.chars().count() > 1 {
                    let ps = stem(p);
                    each.push(self.word_exact(&ps, weight * 0.5));
                }
            }
            qs.push(Node::sum(each));
        }
        for v in danish_spellings(&whole) {
            let vs = stem(&v);
            if vs != s && self.exists(&vs) {
                qs.push(self.word_exact(&vs, weight));
            }
        }
        // A plain letter typed for a Danish one ("borns" for "børns"), where
        // the word as typed is not in the index: below an exact match.
        if pieces.len() == 1 && !self.exists(&s) {
            for v in single_letter_stand_ins(&whole) {
                let vs = stem(&v);
                if vs != s && self.exists(&vs) {
                    qs.push(self.word_exact(&vs, weight * STAND_IN_WEIGHT));
                }
            }
        }
        // A compound query word is also about its head: "rygestop" finds
        // items on "rygning" and "rygere", below those that say "rygestop".
        if pieces.len() == 1 {
            if let Some((head, _)) = self.idx.analyzer.head_and_tail(&whole) {
                let hs = stem(&head);
                if hs.chars().count() >= 3 {
                    // Constant-scored: a word that merely begins like the
                    // head never outranks a real match on the word or its parts.
                    let mut hq = vec![];
                    self.h.prefixes.push(hs.clone());
                    for (field, boost) in text_fields(&self.f()) {
                        let (i, n) = self.constant_leaf(Box::new(FuzzyTermQuery::new_prefix(Term::from_field_text(field, &hs), 0, false)));
                        self.exact.push(i);
                        hq.push(n.boost(0.1 * boost * weight));
                    }
                    qs.push(Node::sum(hq));
                }
            }
        }
        let mut typo = None;
        let n = s.chars().count();
        if n >= 5 && !whole.chars().any(|c| c.is_ascii_digit()) && self.fuzzy_budget > 0 {
            self.fuzzy_budget -= 1;
            // The Meilisearch rule, on the stem: one typo from 5 letters, two from 9.
            let d: u8 = if n >= 9 { 2 } else { 1 };
            self.h.fuzzy.push((s.clone(), d as usize));
            let mut fq = vec![];
            for (field, boost) in text_fields(&self.f()) {
                let (i, n) = self.constant_leaf(Box::new(FuzzyTermQuery::new(Term::from_field_text(field, &s), d, true)));
                self.typo.push(i);
                fq.push(n.boost(0.15 * boost * weight));
            }
            typo = Some(Node::sum(fq));
        }
        Some(Clause { exact: Node::best_of(qs), typo })
    }

    /// The text part of the query into `self.plan`; false for an empty query.
    fn text_query(&mut self, q: &str) -> bool {
        let pieces = pieces(q);
        if pieces.is_empty() {
            return false;
        }
        // Past MAX_QUERY_WORDS words the rest of a query is not searched
        // (as Meilisearch does past its ten): a pasted paragraph still finds
        // what its first words say.
        let mut budget = MAX_QUERY_WORDS;
        let pieces: Vec<Piece> = pieces
            .into_iter()
            .filter_map(|p| {
                let n = p.words();
                if budget == 0 {
                    return None;
                }
                budget = budget.saturating_sub(n);
                Some(p)
            })
            .collect();
        let mut clauses: Vec<Clause> = vec![];
        let mut i = 0;
        // Synonyms are matched on runs of plain words.
        let plain: Vec<String> = pieces.iter().map(|p| if let Piece::Word(w) = p { w.clone() } else { String::new() }).collect();
        while i < pieces.len() {
            match &pieces[i] {
                Piece::Phrase(t) => {
                    if let Some(q) = self.phrase(t, 1.0) {
                        clauses.push(Clause { exact: q, typo: None });
                    }
                    self.finish_clause();
                    i += 1;
                }
                Piece::Word(w) => {
                    if let Some((set, len)) = self.idx.synonyms.match_at(&plain, i) {
                        let forms = self.idx.synonyms.sets[set].clone();
                        let mut alts = vec![];
                        let mut typos = vec![];
                        for form in forms {
                            let is_query_form = plain[i..i + len] == form[..];
                            let weight = if is_query_form { 1.0 } else { SYNONYM_WEIGHT };
                            if form.len() == 1 {
                                if let Some(c) = self.word(&form[0], weight) {
                                    alts.push(c.exact);
                                    typos.extend(c.typo);
                                }
                            } else {
                                alts.extend(self.phrase(&form.join(" "), weight));
                            }
                        }
                        clauses.push(Clause { exact: Node::best_of(alts), typo: if typos.is_empty() { None } else { Some(Node::best_of(typos)) } });
                        self.finish_clause();
                        i += len;
                    } else {
                        clauses.extend(self.word(w, 1.0));
                        self.finish_clause();
                        i += 1;
                    }
                }
            }
        }
        // Only stop words leave no clause: nothing to search for.
        let root = if clauses.len() <= 1 {
            clauses.first().map_or(Node::Empty, |c| c.query())
        } else {
            let mut all = vec![];
            for c in &clauses {
                all.push(c.query());
                all.push(c.level());
            }
            // Words near each other, in the order typed, count a little more.
            let plain_words: Vec<&str> = pieces.iter().filter_map(|p| if let Piece::Word(w) = p { Some(w.as_str()) } else { None }).collect();
            if plain_words.len() >= 2 {
                if let Some(near) = self.near(&plain_words.join(" ")) {
                    all.push(near);
                }
            }
            Node::sum(all)
        };
        self.plan.root = Some(root);
        true
    }

    /// Closes the clause being built: its leaves go into the plan.
    fn finish_clause(&mut self) {
        let exact = std::mem::take(&mut self.exact);
        let typo = std::mem::take(&mut self.typo);
        if !exact.is_empty() || !typo.is_empty() {
            self.plan.clauses.push(ClauseLeaves { exact, typo });
        }
    }

    /// The query's words within a few positions of each other: it only adds
    /// to the score of items that match the words anyway.
    fn near(&mut self, text: &str) -> Option<Node> {
        let toks = self.idx.analyzer.analyze(text);
        if toks.len() < 2 || toks.iter().any(|t| !t.hyphen_parts.is_empty()) {
            return None;
        }
        let first = toks[0].position;
        let mut qs = vec![];
        for (field, boost) in text_fields(&self.f()) {
            let pq = PhraseQuery::new_with_offset_and_slop(toks.iter().map(|t| (t.position - first, Term::from_field_text(field, &t.stem))).collect(), 4);
            let (_, n) = self.leaf(Box::new(pq));
            qs.push(n.boost(0.5 * boost));
        }
        Some(Node::best_of(qs))
    }
}

