//! Search: a staff query into a tantivy query (stems, hyphen parts, compound
//! parts, synonyms, ASCII spellings, typos, phrases), filters, disjunctive
//! facet counts, and snippets built from the terms the query really matched.

use crate::build::UNKNOWN_DATE;
use crate::model::{FacetCount, Facets, Hit, SearchResponse};
use crate::schema::{text_fields, Fields, PARTS_WEIGHT};
use crate::{decode_doc, ArkivIndex, IndexError};
use arkiv_analysis::{danish_spellings, is_stop_word, normalize, stem, Analyzer};
use std::collections::HashSet;
use std::ops::Bound;
use tantivy::collector::{Count, FacetCollector, MultiCollector, TopDocs};
use tantivy::query::{AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, DisjunctionMaxQuery, EmptyQuery, FuzzyTermQuery, Occur, PhraseQuery, Query, RangeQuery, TermQuery};
use tantivy::schema::{Facet, Field, IndexRecordOption};
use tantivy::{DateTime, DocAddress, Order, Searcher, Term};

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
}

fn term_q(field: Field, text: &str, boost: f32) -> Box<dyn Query> {
    let q: Box<dyn Query> = Box::new(TermQuery::new(Term::from_field_text(field, text), IndexRecordOption::WithFreqs));
    Box::new(BoostQuery::new(q, boost))
}

/// The best of several ways of matching one thing, with a little of the
/// rest: a word found whole and by its parts counts once, not twice.
fn best_of(qs: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    match qs.len() {
        0 => Box::new(EmptyQuery),
        1 => qs.into_iter().next().unwrap(),
        _ => Box::new(DisjunctionMaxQuery::with_tie_breaker(qs, 0.1)),
    }
}

/// A query clause: what counts for the match level (exact ways of
/// matching) and what matches only with a typo.
struct Clause {
    exact: Box<dyn Query>,
    typo: Option<Box<dyn Query>>,
}

impl Clause {
    fn query(&self) -> Box<dyn Query> {
        match &self.typo {
            None => self.exact.box_clone(),
            Some(t) => best_of(vec![self.exact.box_clone(), t.box_clone()]),
        }
    }
    /// The level: a whole one for an exact match, half for a typo.
    fn level(&self) -> Box<dyn Query> {
        let mut qs: Vec<Box<dyn Query>> = vec![Box::new(ConstScoreQuery::new(self.exact.box_clone(), LEVEL))];
        if let Some(t) = &self.typo {
            qs.push(Box::new(ConstScoreQuery::new(t.box_clone(), LEVEL / 2.0)));
        }
        best_of(qs)
    }
}

fn should(qs: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    if qs.is_empty() {
        return Box::new(EmptyQuery);
    }
    Box::new(BooleanQuery::new(qs.into_iter().map(|q| (Occur::Should, q)).collect()))
}

impl Builder<'_> {
    fn f(&self) -> Fields {
        self.idx.fields
    }

    fn exists(&self, stem: &str) -> bool {
        text_fields(&self.f()).iter().any(|(field, _)| self.searcher.doc_freq(&Term::from_field_text(*field, stem)).unwrap_or(0) > 0)
    }

    /// A phrase of analyzed tokens over the main fields.
    fn phrase(&mut self, text: &str, weight: f32) -> Option<Box<dyn Query>> {
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
        let mut qs: Vec<Box<dyn Query>> = vec![];
        for (field, boost) in text_fields(&self.f()) {
            let pq = PhraseQuery::new_with_offset(terms.iter().map(|(o, s)| (*o, Term::from_field_text(field, s))).collect());
            qs.push(Box::new(BoostQuery::new(Box::new(pq), boost * weight)));
        }
        Some(should(qs))
    }

    /// A stem in the main fields, and as a compound part.
    fn word_exact(&mut self, s: &str, weight: f32) -> Box<dyn Query> {
        self.h.stems.insert(s.to_string());
        let mut qs: Vec<Box<dyn Query>> = text_fields(&self.f()).iter().map(|(field, b)| term_q(*field, s, b * weight)).collect();
        qs.push(term_q(self.f().parts, s, PARTS_WEIGHT * weight));
        should(qs)
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
            qs.push(should(each));
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
                    let mut hq: Vec<Box<dyn Query>> = vec![];
                    self.h.prefixes.push(hs.clone());
                    for (field, boost) in text_fields(&self.f()) {
                        let pq: Box<dyn Query> = Box::new(FuzzyTermQuery::new_prefix(Term::from_field_text(field, &hs), 0, false));
                        hq.push(Box::new(BoostQuery::new(pq, 0.1 * boost * weight)));
                    }
                    qs.push(should(hq));
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
                let q: Box<dyn Query> = Box::new(FuzzyTermQuery::new(Term::from_field_text(field, &s), d, true));
                fq.push(Box::new(BoostQuery::new(q, 0.15 * boost * weight)) as Box<dyn Query>);
            }
            typo = Some(should(fq));
        }
        Some(Clause { exact: best_of(qs), typo })
    }

    /// The text part of the query, or None for an empty query.
    fn text_query(&mut self, q: &str) -> Result<Option<Box<dyn Query>>, IndexError> {
        let pieces = pieces(q);
        if pieces.is_empty() {
            return Ok(None);
        }
        let words: usize = pieces.iter().map(|p| if let Piece::Phrase(t) = p { t.split_whitespace().count() } else { 1 }).sum();
        if words > MAX_QUERY_WORDS {
            return Err(IndexError::BadRequest(format!("the query has {words} words; at most {MAX_QUERY_WORDS} are searched")));
        }
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
                        clauses.push(Clause { exact: best_of(alts), typo: if typos.is_empty() { None } else { Some(best_of(typos)) } });
                        i += len;
                    } else {
                        clauses.extend(self.word(w, 1.0));
                        i += 1;
                    }
                }
            }
        }
        if clauses.is_empty() {
            // Only stop words: nothing to search for.
            return Ok(Some(Box::new(EmptyQuery)));
        }
        if clauses.len() == 1 {
            return Ok(Some(clauses[0].query()));
        }
        let mut all: Vec<Box<dyn Query>> = vec![];
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
        Ok(Some(should(all)))
    }

    /// The query's words within a few positions of each other.
    fn near(&mut self, text: &str) -> Option<Box<dyn Query>> {
        let toks = self.idx.analyzer.analyze(text);
        if toks.len() < 2 || toks.iter().any(|t| !t.hyphen_parts.is_empty()) {
            return None;
        }
        let first = toks[0].position;
        let mut qs: Vec<Box<dyn Query>> = vec![];
        for (field, boost) in text_fields(&self.f()) {
            let pq = PhraseQuery::new_with_offset_and_slop(toks.iter().map(|t| (t.position - first, Term::from_field_text(field, &t.stem))).collect(), 4);
            qs.push(Box::new(BoostQuery::new(Box::new(pq), 0.5 * boost)));
        }
        Some(best_of(qs))
    }
}

fn facet_filter(field: Field, values: &[String]) -> Option<Box<dyn Query>> {
    if values.is_empty() {
        return None;
    }
    let qs: Vec<Box<dyn Query>> =
        values.iter().map(|v| Box::new(TermQuery::new(Term::from_facet(field, &Facet::from_path([v.as_str()])), IndexRecordOption::Basic)) as Box<dyn Query>).collect();
    Some(should(qs))
}

fn date_filter(f: &Fields, from: Option<chrono::NaiveDate>, to: Option<chrono::NaiveDate>) -> Option<Box<dyn Query>> {
    if from.is_none() && to.is_none() {
        return None;
    }
    let term = |d: chrono::NaiveDate| {
        let secs = d.and_hms_opt(0, 0, 0).unwrap().and_utc().timestamp();
        Term::from_field_date_for_search(f.date, DateTime::from_timestamp_secs(secs))
    };
    let lo = from.map(|d| Bound::Included(term(d))).unwrap_or(Bound::Unbounded);
    let hi = to.map(|d| Bound::Included(term(d))).unwrap_or(Bound::Unbounded);
    Some(Box::new(RangeQuery::new(lo, hi)))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum FacetName {
    Group,
    Municipality,
    Topic,
    Kind,
    Year,
}

const FACETS: [FacetName; 5] = [FacetName::Group, FacetName::Municipality, FacetName::Topic, FacetName::Kind, FacetName::Year];

impl FacetName {
    fn field(self, f: &Fields) -> Field {
        match self {
            FacetName::Group => f.group,
            FacetName::Municipality => f.municipality,
            FacetName::Topic => f.topic,
            FacetName::Kind => f.kind,
            FacetName::Year => f.year,
        }
    }
    fn name(self) -> &'static str {
        match self {
            FacetName::Group => "group",
            FacetName::Municipality => "municipality",
            FacetName::Topic => "topic",
            FacetName::Kind => "kind",
            FacetName::Year => "year",
        }
    }
}

/// The query with every filter but those of `except`.
fn combine(text: &Option<Box<dyn Query>>, filters: &[(FacetName, Box<dyn Query>)], except: Option<FacetName>) -> Box<dyn Query> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![];
    match text {
        Some(q) => clauses.push((Occur::Must, q.box_clone())),
        None => clauses.push((Occur::Must, Box::new(AllQuery))),
    }
    for (name, q) in filters {
        if Some(*name) != except {
            clauses.push((Occur::Must, Box::new(ConstScoreQuery::new(q.box_clone(), 0.0))));
        }
    }
    Box::new(BooleanQuery::new(clauses))
}

fn counts(fc: tantivy::collector::FacetCounts, year: bool) -> Vec<FacetCount> {
    let mut out: Vec<FacetCount> = fc
        .get(Facet::root())
        .map(|(f, n)| FacetCount { value: f.to_path().last().map(|s| s.to_string()).unwrap_or_default(), count: n })
        .collect();
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
    if req.offset + req.limit > MAX_WINDOW {
        return Err(IndexError::BadRequest(format!("offset + limit is {}; results past {MAX_WINDOW} are not served", req.offset + req.limit)));
    }
    if let (Some(a), Some(b)) = (req.from, req.to) {
        if a > b {
            return Err(IndexError::BadRequest(format!("from ({a}) is after to ({b})")));
        }
    }
    Ok(())
}

pub fn search(idx: &ArkivIndex, req: &SearchRequest) -> Result<SearchResponse, IndexError> {
    validate(req)?;
    let searcher = idx.reader.searcher();
    let f = idx.fields;
    let mut b = Builder { idx, searcher: &searcher, h: Highlighter::default(), fuzzy_budget: MAX_FUZZY_WORDS };
    let text = b.text_query(&req.q)?;
    let mut filters: Vec<(FacetName, Box<dyn Query>)> = vec![];
    for (name, values) in [(FacetName::Group, &req.groups), (FacetName::Municipality, &req.municipalities), (FacetName::Topic, &req.topics), (FacetName::Kind, &req.kinds)] {
        if let Some(q) = facet_filter(name.field(&f), values) {
            filters.push((name, q));
        }
    }
    if let Some(q) = date_filter(&f, req.from, req.to) {
        filters.push((FacetName::Year, q));
    }
    let main = combine(&text, &filters, None);

    // Facets with no filter of their own are counted in the main pass; a
    // facet with a filter is counted without it, so its other values keep
    // their counts (disjunctive faceting).
    let mut multi = MultiCollector::new();
    let count_h = multi.add_collector(Count);
    let mut main_facets = vec![];
    let mut facets = Facets::default();
    for name in FACETS {
        if filters.iter().any(|(n, _)| *n == name) {
            continue;
        }
        let mut fc = FacetCollector::for_field(name.name());
        fc.add_facet(Facet::root());
        main_facets.push((name, multi.add_collector(fc)));
    }
    let window = req.offset + req.limit;
    let top: Vec<(f32, DocAddress)>;
    let mut fruit = if window == 0 {
        top = vec![];
        searcher.search(&main, &multi)?
    } else if req.sort == Sort::Date || text.is_none() {
        let h = multi.add_collector(TopDocs::with_limit(req.limit.max(1)).and_offset(req.offset).order_by_fast_field::<i64>("sort_date", Order::Desc));
        let mut fr = searcher.search(&main, &multi)?;
        top = h.extract(&mut fr).into_iter().map(|(_, a)| (0.0, a)).collect();
        fr
    } else if req.recency {
        let newest = idx.newest_day(&searcher);
        let h = multi.add_collector(TopDocs::with_limit(req.limit.max(1)).and_offset(req.offset).tweak_score(move |seg: &tantivy::SegmentReader| {
            let col = seg.fast_fields().i64("sort_date").ok().map(|c| c.first_or_default_col(UNKNOWN_DATE));
            move |doc: tantivy::DocId, score: tantivy::Score| {
                let d = col.as_ref().map(|c| c.get_val(doc)).unwrap_or(UNKNOWN_DATE);
                // Recency scales the BM25 part only, never the match level.
                let level = (score / LEVEL).floor() * LEVEL;
                level + (score - level) * recency_factor(d, newest)
            }
        }));
        let mut fr = searcher.search(&main, &multi)?;
        top = h.extract(&mut fr);
        fr
    } else {
        let h = multi.add_collector(TopDocs::with_limit(req.limit.max(1)).and_offset(req.offset).order_by_score());
        let mut fr = searcher.search(&main, &multi)?;
        top = h.extract(&mut fr);
        fr
    };
    let total = count_h.extract(&mut fruit);
    for (name, h) in main_facets {
        set_facet(&mut facets, name, counts(h.extract(&mut fruit), name == FacetName::Year));
    }
    for name in FACETS {
        if filters.iter().any(|(n, _)| *n == name) {
            let q = combine(&text, &filters, Some(name));
            let mut fc = FacetCollector::for_field(name.name());
            fc.add_facet(Facet::root());
            set_facet(&mut facets, name, counts(searcher.search(&q, &fc)?, name == FacetName::Year));
        }
    }
    let mut hits = vec![];
    for (score, addr) in top.into_iter().take(req.limit) {
        let doc = searcher.doc(addr)?;
        let it = decode_doc(&doc, f)?;
        let body: String = it.section_order.iter().filter_map(|n| it.sections.get(n)).cloned().collect::<Vec<_>>().join("\n");
        hits.push(Hit {
            snippet: snippet(&idx.analyzer, &b.h, &body, 30),
            title_html: highlight(&idx.analyzer, &b.h, &it.title),
            id: it.id,
            title: it.title,
            number: it.number,
            group: it.meeting.group,
            date: it.meeting.date,
            kind: it.meeting.kind,
            municipalities: it.municipalities,
            topics: it.topics,
            meeting_id: it.meeting.id,
            source: it.source,
            score,
        });
    }
    Ok(SearchResponse { query: req.q.clone(), total, hits, facets })
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

/// The newest meeting day in the index (recency is measured from the
/// archive's own newest meeting, not from today).
pub(crate) fn newest_day(searcher: &Searcher) -> i64 {
    let top = TopDocs::with_limit(1).order_by_fast_field::<i64>("sort_date", Order::Desc);
    searcher.search(&AllQuery, &top).ok().and_then(|v| v.first().and_then(|(d, _)| *d)).unwrap_or(UNKNOWN_DATE)
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
