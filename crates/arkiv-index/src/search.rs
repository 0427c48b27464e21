//! Search: a staff query into a tantivy query (stems, hyphen parts, compound
//! parts, synonyms, ASCII spellings, typos, phrases), filters, disjunctive
//! facet counts, and snippets built from the terms the query really matched.

use crate::build::UNKNOWN_DATE;
use crate::model::{FacetCount, Facets, Hit, SearchResponse};
use crate::schema::{text_fields, Fields, PARTS_WEIGHT};
use crate::{decode_doc, ArkivIndex, IndexError};
use arkiv_analysis::{danish_spellings, is_stop_word, normalize, stem, Analyzer};
use crate::leaf::Cached;
use crate::table::SegmentTable;
use fixedbitset::FixedBitSet;
use std::collections::{BinaryHeap, HashMap, HashSet};
use crate::tree::{self, Node, TreeScorer};
use tantivy::query::{BooleanQuery, BoostQuery, EnableScoring, FuzzyTermQuery, Occur, PhraseQuery, Query, TermQuery, Weight};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, Searcher, Term};

/// Limits on what one query may ask.
pub const MAX_QUERY_CHARS: usize = 500;
pub const MAX_QUERY_WORDS: usize = 32;
pub const MAX_FUZZY_WORDS: usize = 6;
pub const MAX_WINDOW: usize = 1000;
pub const MAX_LIMIT: usize = 100;

/// A synonym counts less than the form the user typed.
const SYNONYM_WEIGHT: f32 = 0.4;

/// Each query word (or phrase, or synonym set) an item matches adds this
/// much: items that match more of the query rank first, and BM25 orders
/// items that match as many (the Meilisearch "words" rule).
pub const LEVEL: f32 = 10_000.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    #[default]
    Relevance,
    Date,
}

#[derive(Debug, Clone)]
pub struct SearchRequest {
    pub q: String,
    pub groups: Vec<String>,
    pub municipalities: Vec<String>,
    pub topics: Vec<String>,
    pub kinds: Vec<String>,
    pub from: Option<chrono::NaiveDate>,
    pub to: Option<chrono::NaiveDate>,
    pub sort: Sort,
    pub limit: usize,
    pub offset: usize,
    /// A gentle preference for newer meetings in relevance order.
    pub recency: bool,
}

impl Default for SearchRequest {
    fn default() -> Self {
        SearchRequest {
            q: String::new(),
            groups: vec![],
            municipalities: vec![],
            topics: vec![],
            kinds: vec![],
            from: None,
            to: None,
            sort: Sort::Relevance,
            limit: 20,
            offset: 0,
            recency: true,
        }
    }
}

/// The terms a query matched, for marking them in text.
#[derive(Debug, Default, Clone)]
pub struct Highlighter {
    stems: HashSet<String>,
    fuzzy: Vec<(String, usize)>,
    prefixes: Vec<String>,
}

impl Highlighter {
    fn matches(&self, w: &arkiv_analysis::WordView<'_>) -> bool {
        let stem = &w.info.stem;
        if self.stems.contains(stem)
            || w.pieces.iter().any(|p| self.stems.contains(&p.stem))
            || w.info.parts.iter().any(|p| self.stems.contains(p))
            || w.pieces.iter().any(|p| p.parts.iter().any(|x| self.stems.contains(x)))
        {
            return true;
        }
        if self.prefixes.iter().any(|p| stem.starts_with(p.as_str())) {
            return true;
        }
        // A word within a typo or two shares its first or last letters with
        // the query word in all but rare cases; only those are measured.
        self.fuzzy.iter().any(|(s, d)| {
            stem.len().abs_diff(s.len()) <= *d
                && (stem.as_bytes().get(..2) == s.as_bytes().get(..2) || stem.as_bytes().get(stem.len().saturating_sub(2)..) == s.as_bytes().get(s.len().saturating_sub(2)..))
                && strsim::damerau_levenshtein(stem, s) <= *d
        })
    }
}

/// The words of `text`: (from, to, index of the matched stem among the
/// distinct matches, or None).
fn scan(analyzer: &Analyzer, h: &Highlighter, text: &str) -> Vec<(usize, usize, Option<usize>)> {
    let mut out = vec![];
    let mut distinct: Vec<String> = vec![];
    analyzer.each_word(text, |w| {
        let m = if h.matches(&w) {
            Some(distinct.iter().position(|s| *s == w.info.stem).unwrap_or_else(|| {
                distinct.push(w.info.stem.clone());
                distinct.len() - 1
            }))
        } else {
            None
        };
        out.push((w.from, w.to, m));
    });
    out
}

/// Escapes text for HTML.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The whole of `text`, HTML-escaped, with matches in `<mark>`.
pub fn highlight(analyzer: &Analyzer, h: &Highlighter, text: &str) -> String {
    let spans: Vec<(usize, usize)> = scan(analyzer, h, text).into_iter().filter(|t| t.2.is_some()).map(|t| (t.0, t.1)).collect();
    mark(text, 0, text.len(), &spans)
}

fn mark(text: &str, from: usize, to: usize, spans: &[(usize, usize)]) -> String {
    let mut out = String::new();
    let mut at = from;
    for &(a, b) in spans {
        if a < at || b > to {
            continue;
        }
        out.push_str(&escape(&text[at..a]));
        out.push_str("<mark>");
        out.push_str(&escape(&text[a..b]));
        out.push_str("</mark>");
        at = b;
    }
    out.push_str(&escape(&text[at..to]));
    out
}

/// The best passage of `text`: the window of words with the most distinct
/// matches, HTML-escaped, matches in `<mark>`; the opening when nothing matches.
pub fn snippet(analyzer: &Analyzer, h: &Highlighter, text: &str, window: usize) -> String {
    let text_flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let text = text_flat.as_str();
    let toks = scan(analyzer, h, text);
    if toks.is_empty() {
        return String::new();
    }
    let hits: Vec<(usize, usize)> = toks.iter().enumerate().filter_map(|(i, t)| t.2.map(|d| (i, d))).collect();
    let (start, end) = if hits.is_empty() {
        (0, toks.len().min(window) - 1)
    } else {
        let mut best = (0usize, 0usize, 0usize); // (score, first token, last token)
        let mut seen = vec![];
        for (k, &(i, _)) in hits.iter().enumerate() {
            seen.clear();
            let mut last = i;
            let mut count = 0;
            for &(j, d) in hits[k..].iter().take_while(|(j, _)| *j < i + window) {
                if !seen.contains(&d) {
                    seen.push(d);
                }
                last = j;
                count += 1;
            }
            let score = seen.len() * 4 + count;
            if score > best.0 {
                best = (score, i, last);
            }
        }
        // Centre the window on its matches.
        let span = best.2 - best.1 + 1;
        let pad = window.saturating_sub(span) / 2;
        let s = best.1.saturating_sub(pad.min(8));
        (s, (s + window - 1).min(toks.len() - 1))
    };
    let from = if start == 0 { 0 } else { toks[start].0 };
    let to = if end + 1 >= toks.len() { text.len() } else { toks[end].1 };
    let spans: Vec<(usize, usize)> = toks[start..=end].iter().filter(|t| t.2.is_some()).map(|t| (t.0, t.1)).collect();
    let mut out = String::new();
    if from > 0 {
        out.push('…');
    }
    out.push_str(&mark(text, from, to, &spans));
    if to < text.len() {
        out.push('…');
    }
    out
}

/// A piece of the query: a word, or a quoted phrase.
#[derive(Debug, Clone)]
enum Piece {
    Word(String),
    Phrase(String),
}

/// Splits a query into words and quoted phrases. A stray quote is text;
/// so is any operator-like character.
fn pieces(q: &str) -> Vec<Piece> {
    let q = q.replace(['“', '”', '„', '«', '»'], "\"");
    let quotes = q.matches('"').count();
    let mut out = vec![];
    let mut rest = q.as_str();
    let mut paired = quotes / 2;
    while !rest.is_empty() {
        if paired > 0 {
            if let Some(a) = rest.find('"') {
                let after = &rest[a + 1..];
                if let Some(b) = after.find('"') {
                    push_words(&rest[..a], &mut out);
                    let phrase = after[..b].trim();
                    if !phrase.is_empty() {
                        out.push(Piece::Phrase(phrase.to_string()));
                    }
                    rest = &after[b + 1..];
                    paired -= 1;
                    continue;
                }
            }
        }
        push_words(rest, &mut out);
        break;
    }
    out
}

fn push_words(s: &str, out: &mut Vec<Piece>) {
    let n = normalize(s);
    for (a, b) in arkiv_analysis::words(&n) {
        out.push(Piece::Word(n[a..b].to_string()));
    }
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
struct Plan {
    leaves: Vec<Box<dyn Query>>,
    clauses: Vec<ClauseLeaves>,
    core: Vec<Box<dyn Query>>,
    root: Option<Node>,
}

struct ClauseLeaves {
    exact: Vec<usize>,
    typo: Vec<usize>,
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
        self.plan.leaves.push(q);
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
                        let (i, n) = self.leaf(Box::new(Cached::new(Box::new(FuzzyTermQuery::new_prefix(Term::from_field_text(field, &hs), 0, false)))));
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
                let (i, n) = self.leaf(Box::new(Cached::new(Box::new(FuzzyTermQuery::new(Term::from_field_text(field, &s), d, true)))));
                self.typo.push(i);
                fq.push(n.boost(0.15 * boost * weight));
            }
            typo = Some(Node::sum(fq));
        }
        Some(Clause { exact: Node::best_of(qs), typo })
    }

    /// The text part of the query into `self.plan`; false for an empty query.
    fn text_query(&mut self, q: &str) -> Result<bool, IndexError> {
        let pieces = pieces(q);
        if pieces.is_empty() {
            return Ok(false);
        }
        // Past MAX_QUERY_WORDS words the rest of a query is not searched
        // (as Meilisearch does past its ten): a pasted paragraph still finds
        // what its first words say.
        let mut budget = MAX_QUERY_WORDS;
        let pieces: Vec<Piece> = pieces
            .into_iter()
            .filter_map(|p| {
                let n = if let Piece::Phrase(t) = &p { t.split_whitespace().count().max(1) } else { 1 };
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
        Ok(true)
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

/// The facets, numbered as their tables are kept (`table::FACET_FIELDS`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum FacetName {
    Group = 0,
    Municipality = 1,
    Topic = 2,
    Kind = 3,
    Year = 4,
}

const FACETS: [FacetName; 5] = [FacetName::Group, FacetName::Municipality, FacetName::Topic, FacetName::Kind, FacetName::Year];

fn facet_counts(map: HashMap<String, u64>, year: bool) -> Vec<FacetCount> {
    let mut out: Vec<FacetCount> = map.into_iter().map(|(value, count)| FacetCount { value, count }).collect();
    if year {
        out.sort_by(|a, b| b.value.cmp(&a.value));
    } else {
        out.sort_by(|a, b| b.count.cmp(&a.count).then(a.value.cmp(&b.value)));
    }
    out
}

pub fn validate(req: &SearchRequest) -> Result<(), IndexError> {
    if req.q.chars().count() > MAX_QUERY_CHARS {
        return Err(IndexError::BadRequest(format!("the query is {} characters long; at most {MAX_QUERY_CHARS}", req.q.chars().count())));
    }
    if req.limit > MAX_LIMIT {
        return Err(IndexError::BadRequest(format!("limit {} is above {MAX_LIMIT}", req.limit)));
    }
    // A page that reaches past the window is cut at its end (so a client
    // that pages on gets a short page, then an error with a reason); a date
    // range that ends before it starts holds no meeting.
    if req.offset >= MAX_WINDOW {
        return Err(IndexError::BadRequest(format!("offset {} is past the {MAX_WINDOW} results that are served", req.offset)));
    }
    Ok(())
}

/// Days since 1970, as `sort_date` holds them.
fn day_number(d: chrono::NaiveDate) -> i64 {
    d.signed_duration_since(chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap()).num_days()
}

/// The request's filters as sets of one segment's items, each with the
/// facet it leaves out of counting (a date range filters the years).
fn filter_sets(t: &SegmentTable, req: &SearchRequest) -> Vec<(FacetName, FixedBitSet)> {
    let len = t.max_doc as usize;
    let mut out = vec![];
    for (name, values) in [(FacetName::Group, &req.groups), (FacetName::Municipality, &req.municipalities), (FacetName::Topic, &req.topics), (FacetName::Kind, &req.kinds)] {
        if !values.is_empty() {
            out.push((name, t.facets[name as usize].any_of(values, len)));
        }
    }
    if req.from.is_some() || req.to.is_some() {
        out.push((FacetName::Year, t.days_between(req.from.map(day_number), req.to.map(day_number))));
    }
    out
}

/// An entry of the result list: its sort key and address.
#[derive(PartialEq)]
struct Entry {
    key: f64,
    addr: DocAddress,
}

impl Eq for Entry {}

impl Ord for Entry {
    /// The worse entry is the greater: a lower key, then a later address.
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        other.key.total_cmp(&self.key).then(self.addr.cmp(&other.addr))
    }
}

impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// The best `k` entries offered, ties to the earlier address.
struct TopK {
    k: usize,
    heap: BinaryHeap<Entry>,
}

impl TopK {
    fn new(k: usize) -> TopK {
        TopK { k, heap: BinaryHeap::with_capacity(k + 1) }
    }
    /// The key an entry must beat to get in, once the list is full.
    fn threshold(&self) -> Option<f64> {
        if self.heap.len() < self.k {
            None
        } else {
            self.heap.peek().map(|e| e.key)
        }
    }
    fn offer(&mut self, key: f64, addr: DocAddress) {
        if self.k == 0 {
            return;
        }
        let e = Entry { key, addr };
        if self.heap.len() < self.k {
            self.heap.push(e);
        } else if let Some(mut worst) = self.heap.peek_mut() {
            if e < *worst {
                *worst = e;
            }
        }
    }
    fn into_sorted(self) -> Vec<Entry> {
        self.heap.into_sorted_vec()
    }
}

/// Relevance with the recency tweak: newer meetings scale the BM25 part of
/// a score, never its match level.
fn tweak(score: f32, day: i64, newest: i64) -> f32 {
    let level = (score / LEVEL).floor() * LEVEL;
    level + (score - level) * recency_factor(day, newest)
}

/// Up to this many matches are all scored; above it, the candidates are
/// first narrowed by the BM25 sum of the query's plain terms.
pub const SCORE_ALL_UP_TO: usize = 5_000;

/// How many candidates the narrowing keeps for a result window.
fn candidates_for(window: usize) -> usize {
    (window * 5).max(200)
}

/// The items of one segment that any of `weights` matches.
fn union_of(weights: &[&dyn Weight], reader: &tantivy::SegmentReader, into: &mut FixedBitSet) -> tantivy::Result<()> {
    for w in weights {
        w.for_each_no_score(reader, &mut |docs| docs.iter().for_each(|&d| into.insert(d as usize)))?;
    }
    Ok(())
}

/// What phase one found in a segment, for ranking in phase two.
struct SegmentPass {
    /// The items that match and pass every filter.
    matches: FixedBitSet,
    /// Those of them at the query's top match level (every clause exact).
    top_level: Option<FixedBitSet>,
}

pub fn search(idx: &ArkivIndex, req: &SearchRequest) -> Result<SearchResponse, IndexError> {
    validate(req)?;
    let searcher = idx.reader.searcher();
    let tables = idx.tables.for_searcher(&searcher)?;
    let f = idx.fields;
    let mut b = Builder { idx, searcher: &searcher, h: Highlighter::default(), fuzzy_budget: MAX_FUZZY_WORDS, plan: Plan::default(), exact: vec![], typo: vec![] };
    let has_text = b.text_query(&req.q)?;
    let plan = std::mem::take(&mut b.plan);
    let limit = req.limit.min(MAX_WINDOW - req.offset);
    let window = req.offset + limit;
    let by_date = req.sort == Sort::Date || !has_text;
    let scored = window > 0 && !by_date;
    // Phase one: which items match (leaf by leaf, into bitsets, no scoring),
    // the total, the facet counts, and the date order.
    let leaf_weights = tree::weights(&plan.leaves, &searcher, false)?;
    let mut clause_weights = vec![];
    for c in &plan.clauses {
        let exact: Vec<&dyn Weight> = c.exact.iter().map(|&i| leaf_weights[i].as_ref()).collect();
        let typo: Vec<&dyn Weight> = c.typo.iter().map(|&i| leaf_weights[i].as_ref()).collect();
        clause_weights.push((exact, typo));
    }
    let mut total = 0usize;
    let mut counts: [HashMap<String, u64>; 5] = Default::default();
    let mut top = TopK::new(window);
    let mut passes = vec![];
    for (seg, (reader, t)) in searcher.segment_readers().iter().zip(&tables).enumerate() {
        let len = t.max_doc as usize;
        let filters = filter_sets(t, req);
        // The items every filter lets through.
        let mut pass = t.alive.clone();
        for (_, s) in &filters {
            pass.intersect_with(s);
        }
        // The items the text matches, filters aside (for facet counts).
        let mut text_matches = FixedBitSet::with_capacity(len);
        let mut top_level: Option<FixedBitSet> = None;
        if !has_text {
            text_matches = t.alive.clone();
        }
        for (exact, typo) in &clause_weights {
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
        matches.intersect_with(&pass);
        let n = matches.count_ones(..);
        total += n;
        // A facet with a filter of its own is counted without that filter,
        // so its other values keep their counts (disjunctive faceting).
        for name in FACETS {
            let own: FixedBitSet;
            let base = if filters.iter().any(|(n, _)| *n == name) {
                let mut b = text_matches.clone();
                for (_, s) in filters.iter().filter(|(n, _)| *n != name) {
                    b.intersect_with(s);
                }
                own = b;
                &own
            } else {
                &matches
            };
            let ft = &t.facets[name as usize];
            let mut c = vec![0u64; ft.values.len()];
            ft.count(base, &mut c);
            for (v, k) in ft.values.iter().zip(c) {
                if k > 0 {
                    *counts[name as usize].entry(v.clone()).or_default() += k;
                }
            }
        }
        if by_date && window > 0 {
            let seg = seg as u32;
            // Dense matches: walk the items newest first until the list is
            // full; sparse ones: offer each.
            if n * 16 >= len {
                let mut taken = 0;
                for &d in &t.by_date {
                    if matches.contains(d as usize) {
                        top.offer(t.day[d as usize] as f64, DocAddress::new(seg, d));
                        taken += 1;
                        if taken == window {
                            break;
                        }
                    }
                }
            } else {
                for d in matches.ones() {
                    top.offer(t.day[d] as f64, DocAddress::new(seg, d as u32));
                }
            }
        }
        if let Some(l) = top_level.as_mut() {
            l.intersect_with(&matches);
        }
        passes.push(SegmentPass { matches, top_level });
    }
    // Phase two: rank.
    if let (true, Some(root)) = (scored, &plan.root) {
        let newest = tables.iter().map(|t| t.newest).max().unwrap_or(UNKNOWN_DATE);
        top = rank(&searcher, &tables, root, &plan, &passes, window, req.recency.then_some(newest), idx.full_scoring_limit)?;
    }
    let mut facets = Facets::default();
    for (name, map) in FACETS.into_iter().zip(counts) {
        set_facet(&mut facets, name, facet_counts(map, name == FacetName::Year));
    }
    let mut hits = vec![];
    for e in top.into_sorted().into_iter().skip(req.offset).take(limit) {
        let doc = searcher.doc(e.addr)?;
        let it = decode_doc(&doc, f)?;
        let body = it.body();
        hits.push(Hit {
            snippet: snippet(&idx.analyzer, &b.h, &body, 30),
            title_html: highlight(&idx.analyzer, &b.h, &it.title),
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
            score: if by_date { 0.0 } else { e.key as f32 },
        });
    }
    Ok(SearchResponse { query: req.q.clone(), total, hits, facets })
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
fn rank(
    searcher: &Searcher,
    tables: &[std::sync::Arc<SegmentTable>],
    root: &Node,
    plan: &Plan,
    passes: &[SegmentPass],
    window: usize,
    newest: Option<i64>,
    full_scoring_limit: usize,
) -> tantivy::Result<TopK> {
    let top_level: usize = passes.iter().map(|p| p.top_level.as_ref().map_or(0, |l| l.count_ones(..))).sum();
    let pool: Vec<&FixedBitSet> = passes.iter().map(|p| if top_level >= window { p.top_level.as_ref().unwrap_or(&p.matches) } else { &p.matches }).collect();
    let pool_size: usize = pool.iter().map(|s| s.count_ones(..)).sum();
    let mut chosen: Vec<Vec<u32>> = pool.iter().map(|_| vec![]).collect();
    let mut narrowed = false;
    if pool_size > full_scoring_limit && !plan.core.is_empty() {
        let core = BooleanQuery::new(plan.core.iter().map(|q| (Occur::Should, q.box_clone())).collect());
        let w = core.weight(EnableScoring::enabled_from_searcher(searcher))?;
        let mut best = TopK::new(candidates_for(window));
        for (seg, reader) in searcher.segment_readers().iter().enumerate() {
            let set = pool[seg];
            w.for_each_pruning(best.threshold().map_or(f32::MIN, |t| t as f32), reader, &mut |doc, score| {
                if set.contains(doc as usize) {
                    best.offer(score as f64, DocAddress::new(seg as u32, doc));
                }
                best.threshold().map_or(f32::MIN, |t| t as f32)
            })?;
        }
        // Too few items carry a plain term (most matched by typo or prefix):
        // every item of the pool is scored instead.
        if best.heap.len() >= window {
            narrowed = true;
            for e in best.heap {
                chosen[e.addr.segment_ord as usize].push(e.addr.doc_id);
            }
        }
    }
    if !narrowed {
        for (seg, set) in pool.iter().enumerate() {
            chosen[seg] = set.ones().map(|d| d as u32).collect();
        }
    }
    let weights = tree::weights(&plan.leaves, searcher, true)?;
    let mut top = TopK::new(window);
    for (seg, reader) in searcher.segment_readers().iter().enumerate() {
        let docs = &mut chosen[seg];
        if docs.is_empty() {
            continue;
        }
        docs.sort_unstable();
        let day = &tables[seg].day;
        let mut scorer = TreeScorer::new(root, &weights, reader)?;
        for &d in docs.iter() {
            let Some(score) = scorer.score(d) else { continue };
            let key = match newest {
                Some(n) => tweak(score, day[d as usize], n),
                None => score,
            };
            top.offer(key as f64, DocAddress::new(seg as u32, d));
        }
    }
    Ok(top)
}

fn set_facet(f: &mut Facets, name: FacetName, v: Vec<FacetCount>) {
    match name {
        FacetName::Group => f.group = v,
        FacetName::Municipality => f.municipality = v,
        FacetName::Topic => f.topic = v,
        FacetName::Kind => f.kind = v,
        FacetName::Year => f.year = v,
    }
}

/// At most 5% more for the newest meetings, halving every three years.
pub fn recency_factor(day: i64, newest: i64) -> f32 {
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
    fn stray_quotes_and_colons_are_text() {
        let p = pieces("\"den nære psykiatri\" rygestop \"halv");
        assert!(matches!(&p[0], Piece::Phrase(t) if t == "den nære psykiatri"));
        assert!(matches!(&p[1], Piece::Word(w) if w == "rygestop"));
        assert!(matches!(&p[2], Piece::Word(w) if w == "halv"));
        let p = pieces("group:rygestop");
        assert_eq!(p.len(), 2);
    }

    #[test]
    fn escaping_and_marks() {
        let a = Analyzer::new(Default::default());
        let mut h = Highlighter::default();
        h.stems.insert("script".into());
        assert_eq!(highlight(&a, &h, "<script>alert(1)</script>"), "&lt;<mark>script</mark>&gt;alert(1)&lt;/<mark>script</mark>&gt;");
    }
}
