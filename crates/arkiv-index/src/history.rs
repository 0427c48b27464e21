//! An item's history: the earlier and later items on the same matter
//! ("Tidligere og senere behandling").
//!
//! Three kinds of evidence, each a reason staff can check:
//! - **same case number**: the item's own text names a case number (one
//!   that is not the meeting's, which every item of a meeting series
//!   shares) that another item's text names too;
//! - **follow-up**: the item refers to an earlier meeting of its group ("opfølgning
//!   fra sidste møde", "jf. referat af 21. juni 2016", "punktet genoptages
//!   fra februar 2020"), and an item of that meeting is on the same matter;
//! - **similar text**: another meeting's item, in any group, is so alike in
//!   its words that it is the same matter (more-like-this over the index,
//!   relative to the item's likeness to itself).
//!
//! The evidence in an item's own text is found when it is indexed (the
//! `case` and `refers` fields); the history is looked up from it with a
//! few term queries when an item is shown, so it is always that of the
//! current commit, whichever of two items was indexed first. Searching does
//! none of this.

use crate::build::days_since_epoch;
use crate::model::StoredItem;
use crate::{decode_doc, ArkivIndex, IndexError};
use arkiv_analysis::Analyzer;
use regex::Regex;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Bound;
use std::sync::LazyLock;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, MoreLikeThisQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::{Facet, IndexRecordOption, OwnedValue};
use tantivy::{DateTime, DocAddress, Order, Searcher, TantivyDocument, Term};

/// Why an item is in another's history.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// Both items' texts name the same case number.
    SameCaseNumber,
    /// One item follows up on the other's meeting.
    FollowUp,
    /// Their texts are strongly alike.
    SimilarText,
}

/// One earlier or later item on the same matter.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Related {
    pub id: String,
    pub number: u32,
    pub title: String,
    pub group: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date, example = "2020-02-20"))]
    pub date: Option<chrono::NaiveDate>,
    /// dagsorden, referat or dagsorden-og-referat.
    pub kind: Option<arkiv_ingest::Kind>,
    /// The item's decision, in one line, where it has one.
    pub decision: Option<String>,
    pub reason: Reason,
}

/// What an item's own text says about its history.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Evidence {
    /// Case numbers named in the text, the meeting's own left out.
    pub cases: Vec<String>,
    /// Earlier meetings referred to: `prev` (the group's previous meeting),
    /// `d:YYYY-MM-DD`, or `m:YYYY-MM` (a meeting in that month).
    pub refers: Vec<String>,
}

// Matched without regard to case (the text is not lower-cased first: that
// was half of the time taken here), with ASCII word boundaries: the cue
// words start and end in ASCII letters, and so the regexes run on the fast
// automaton over every item that is indexed.
static CASE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(\d{1,2}-\d{1,3}-\d{1,3}-\d{1,4}-\d{2})(?-u:\b)|(?-u:\b)(?:sagsnr|sagsnummer|j\.\s?nr|journalnr)\.?\s*:?\s*(\d[\d./-]{3,}\d)").unwrap()
});
static PREVIOUS: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)(?-u:\b)(?:sidste|forrige|seneste)\s+møde").unwrap());
static CITED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?-u:\b)(?:referat(?:et)?\s+(?:af|fra)|dagsorden(?:en)?\s+(?:af|fra|til)|møde(?:t)?\s+(?:den|d\.|i|af|fra)|genoptages\s+fra|behandlet\s+(?:den|d\.|i)|jf\.?)\s+(?:mødet\s+|referat(?:et)?\s+(?:af|fra)\s+)?(?:den\s+|d\.\s*)?(?:(\d{1,2})\.\s*)?(januar|februar|marts|april|maj|juni|juli|august|september|oktober|november|december)\s+(\d{4})",
    )
    .unwrap()
});

impl Evidence {
    pub fn of(item: &StoredItem) -> Evidence {
        let text = item_text(item);
        let own = item.meeting.head.case_number.as_deref().map(normal_case);
        let mut cases = BTreeSet::new();
        for c in CASE.captures_iter(&text) {
            let n = normal_case(c.get(1).or(c.get(2)).map(|m| m.as_str()).unwrap_or(""));
            if own.as_deref() != Some(n.as_str()) {
                cases.insert(n);
            }
        }
        let mut refers = BTreeSet::new();
        if PREVIOUS.is_match(&text) {
            refers.insert("prev".to_string());
        }
        for c in CITED.captures_iter(&text) {
            let (Some(month), Ok(year)) = (arkiv_ingest::dates::month(&c[2]), c[3].parse::<i32>()) else { continue };
            match c.get(1).and_then(|d| d.as_str().parse::<u32>().ok()) {
                Some(day) if chrono::NaiveDate::from_ymd_opt(year, month, day).is_some() => refers.insert(format!("d:{year:04}-{month:02}-{day:02}")),
                _ => refers.insert(format!("m:{year:04}-{month:02}")),
            };
        }
        // A meeting does not follow up on itself.
        if let Some(d) = &item.meeting.head.date {
            refers.remove(&format!("d:{d}"));
        }
        Evidence { cases: cases.into_iter().collect(), refers: refers.into_iter().collect() }
    }
}

fn normal_case(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_lowercase()
}

/// Words of a title that say what a meeting does, not what the item is
/// about: an item whose title has only these has no matter to follow.
const PROCEDURE: &[&str] = &[
    "godkendelse", "godkend", "dagsorden", "dagsordenen", "referat", "referatet", "eventuelt", "evt", "velkomst", "velkommen", "møde", "mødet", "møder",
    "sidste", "forrige", "næste", "kommende", "opfølgning", "orientering", "gensidig", "status", "punkt", "punkter", "punktet", "genoptages", "fra", "og",
    "af", "på", "til", "om", "med", "vedr", "ift", "i", "for", "den", "det", "de", "en", "et", "samt", "herunder", "mødedatoer", "evaluering", "prioritering",
    "præsentation", "nyt", "siden", "jf",
];

/// What an item is about: its title's words, less those of procedure,
/// each with its stem.
fn matter(analyzer: &Analyzer, title: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = vec![];
    for w in title.to_lowercase().split(|c: char| !c.is_alphanumeric()) {
        if w.chars().count() >= 2 && !PROCEDURE.contains(&w) && !w.chars().all(|c| c.is_ascii_digit()) && !out.iter().any(|(x, _)| x == w) {
            out.push((w.to_string(), analyzer.stem(w)));
        }
    }
    out
}

/// Two words are of one matter where their stems are the same, or one
/// word (of five letters or more) begins the other: a compound names what
/// it is about first ("demens" and "demensvenlig", "rygestop" and
/// "rygestopindsatsen").
fn same_word(a: &(String, String), b: &(String, String)) -> bool {
    let begins = |x: &str, y: &str| x.chars().count() >= 5 && y.starts_with(x);
    a.1 == b.1 || begins(&a.0, &b.0) || begins(&b.0, &a.0)
}

/// Whether a candidate is on the matter: a word of it in the candidate's
/// title, or two in its text (one, where the matter is one word).
fn on_matter(analyzer: &Analyzer, m: &[(String, String)], cand: &StoredItem) -> bool {
    if m.is_empty() {
        return false;
    }
    let title = matter(analyzer, &cand.item.title);
    if m.iter().any(|w| title.iter().any(|t| same_word(w, t))) {
        return true;
    }
    let mut text: Vec<(String, String)> = vec![];
    for (_, t) in cand.section_texts() {
        for w in t.to_lowercase().split(|c: char| !c.is_alphanumeric()).filter(|w| w.chars().count() >= 3) {
            text.push((w.to_string(), analyzer.stem(w)));
        }
    }
    m.iter().filter(|w| text.iter().any(|t| same_word(w, t))).count() >= 2.min(m.len())
}

/// Two items are on the same matter where the mean of two cosines reaches
/// this: of their whole texts' weighted words, and of their titles' words
/// of matter (what a title is about, less the words of procedure).
const SIMILAR: f32 = 0.25;
/// How many candidates more-like-this offers for the cosine to judge.
const SIMILAR_CANDIDATES: usize = 20;

fn item_text(item: &StoredItem) -> String {
    format!("{}\n{}", item.item.title, item.text())
}

/// Marks the term that stands for a synonym set.
const SYNONYM_MARK: char = '≈';

/// A synonym set's term: the mark and the stem of its first one-word form
/// (so its rarity is that form's).
fn synonym_term(syn: &crate::Synonyms, set: usize) -> String {
    let form = syn.sets[set].iter().find(|f| f.len() == 1).or(syn.sets[set].first()).map(|f| f.join(" ")).unwrap_or_default();
    format!("{SYNONYM_MARK}{}", arkiv_analysis::stem(&form))
}

/// The dot product of two weighted word vectors, summed in the words'
/// order: a sum of floats depends on its order, and a map's order on the
/// map, so another order could put the same pair on the other side of a
/// threshold from one request to the next.
fn cosine(a: &HashMap<String, f32>, b: &HashMap<String, f32>) -> f32 {
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let mut shared: Vec<(&String, f32)> = small.iter().filter_map(|(t, w)| large.get(t).map(|v| (t, w * v))).collect();
    shared.sort_unstable_by(|x, y| x.0.cmp(y.0));
    shared.into_iter().map(|(_, p)| p).sum()
}

fn date_term(idx: &ArkivIndex, day: i64) -> Term {
    Term::from_field_date(idx.fields.date, DateTime::from_timestamp_secs(day * 86_400))
}

struct Lookup<'a> {
    idx: &'a ArkivIndex,
    searcher: Searcher,
    /// Document frequencies looked up for this item's history: the
    /// candidates share most of their words.
    df: std::cell::RefCell<HashMap<String, u64>>,
}

impl Lookup<'_> {
    fn items(&self, q: &dyn Query, limit: usize) -> Result<Vec<StoredItem>, IndexError> {
        let top = self.searcher.search(q, &TopDocs::with_limit(limit).order_by_score())?;
        self.load(top.into_iter().map(|(_, a)| a))
    }

    fn load(&self, addrs: impl Iterator<Item = DocAddress>) -> Result<Vec<StoredItem>, IndexError> {
        addrs
            .map(|a| {
                let doc: TantivyDocument = self.searcher.doc(a)?;
                decode_doc(&doc, self.idx.fields)
            })
            .collect()
    }

    /// An item's words as a unit vector: each stem and compound part
    /// weighted by (1 + ln tf) and its rarity in the archive, the title's
    /// words counted twice.
    fn vector(&self, item: &StoredItem) -> HashMap<String, f32> {
        let texts = [(item.item.title.as_str(), 2.0f32)].into_iter().chain(item.section_texts().map(|(_, t)| (t, 1.0)));
        self.weighted(texts, &[])
    }

    /// The title's words of matter as a unit vector, as [`Self::vector`].
    fn title_vector(&self, item: &StoredItem) -> HashMap<String, f32> {
        let procedure: Vec<String> = PROCEDURE.iter().map(|w| self.idx.analyzer.stem(w)).collect();
        self.weighted([(item.item.title.as_str(), 1.0)].into_iter(), &procedure)
    }

    fn weighted<'t>(&self, texts: impl Iterator<Item = (&'t str, f32)>, skip: &[String]) -> HashMap<String, f32> {
        let f = self.idx.fields;
        let mut tf: HashMap<String, f32> = HashMap::new();
        for (text, weight) in texts {
            for t in self.idx.analyzer.analyze(text) {
                for term in std::iter::once(t.stem).chain(t.hyphen_parts).chain(t.parts) {
                    if term.chars().count() >= 2 && !term.chars().all(|c| c.is_ascii_digit()) && !skip.contains(&term) {
                        *tf.entry(term).or_default() += weight;
                    }
                }
            }
            // The forms of one synonym set count as one word ("IV",
            // "intravenøs"), under the set's first form.
            let norm = arkiv_analysis::normalize(text);
            let words: Vec<String> = arkiv_analysis::words(&norm).into_iter().flat_map(|(a, b)| norm[a..b].split('-').map(str::to_string).collect::<Vec<_>>()).filter(|w| !w.is_empty()).collect();
            let mut i = 0;
            while i < words.len() {
                match self.idx.synonyms.match_at(&words, i) {
                    Some((set, n)) => {
                        *tf.entry(synonym_term(&self.idx.synonyms, set)).or_default() += weight;
                        i += n;
                    }
                    None => i += 1,
                }
            }
        }
        let n = self.searcher.num_docs().max(1) as f32;
        let mut v: HashMap<String, f32> = tf
            .into_iter()
            .map(|(term, tf)| {
                let df = *self.df.borrow_mut().entry(term.clone()).or_insert_with(|| {
                    [f.title, f.indstilling, f.beslutning, f.body, f.parts]
                        .iter()
                        .map(|&field| self.searcher.doc_freq(&Term::from_field_text(field, term.trim_start_matches(SYNONYM_MARK))).unwrap_or(0))
                        .max()
                        .unwrap_or(0)
                });
                let df = df.max(1) as f32;
                let w = (1.0 + tf.ln()) * (1.0 + n / df).ln();
                (term, w)
            })
            .collect();
        let norm = v.values().map(|w| w * w).sum::<f32>().sqrt();
        if norm > 0.0 {
            v.values_mut().for_each(|w| *w /= norm);
        }
        v
    }

    fn group_term(&self, group: &str) -> Box<dyn Query> {
        Box::new(TermQuery::new(Term::from_facet(self.idx.fields.facet("group"), &Facet::from_path([group])), IndexRecordOption::Basic))
    }

    fn term(&self, field: tantivy::schema::Field, value: &str) -> Box<dyn Query> {
        Box::new(TermQuery::new(Term::from_field_text(field, value), IndexRecordOption::Basic))
    }

    /// The items of a group's meetings on days `from..to` (days since 1970).
    fn group_days(&self, group: &str, from: i64, to: i64, extra: Option<Box<dyn Query>>) -> Result<Vec<StoredItem>, IndexError> {
        let range = RangeQuery::new(Bound::Included(date_term(self.idx, from)), Bound::Excluded(date_term(self.idx, to)));
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, self.group_term(group)), (Occur::Must, Box::new(range))];
        if let Some(e) = extra {
            clauses.push((Occur::Must, e));
        }
        self.items(&BooleanQuery::new(clauses), 200)
    }

    /// The day of the group's nearest meeting before (or after) `day`.
    fn neighbour_meeting(&self, group: &str, day: i64, before: bool) -> Result<Option<i64>, IndexError> {
        let (lo, hi) = if before { (Bound::Unbounded, Bound::Excluded(date_term(self.idx, day))) } else { (Bound::Excluded(date_term(self.idx, day)), Bound::Unbounded) };
        let q = BooleanQuery::new(vec![(Occur::Must, self.group_term(group)), (Occur::Must, Box::new(RangeQuery::new(lo, hi)))]);
        let order = if before { Order::Desc } else { Order::Asc };
        let top: Vec<(Option<i64>, DocAddress)> = self.searcher.search(&q, &TopDocs::with_limit(1).order_by_fast_field::<i64>("sort_date", order))?;
        Ok(top.into_iter().next().and_then(|(d, _)| d))
    }
}

fn decision(item: &StoredItem) -> Option<String> {
    let text = item.item.sections.get("beslutning")?;
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.is_empty() {
        return None;
    }
    const MAX: usize = 160;
    if line.chars().count() <= MAX {
        return Some(line);
    }
    let cut: String = line.chars().take(MAX).collect();
    let cut = cut.rsplit_once(' ').map(|(a, _)| a).unwrap_or(&cut);
    Some(format!("{cut} …"))
}

/// The history of an item, ordered by date.
pub fn related(idx: &ArkivIndex, item: &StoredItem) -> Result<Vec<Related>, IndexError> {
    let look = Lookup { idx, searcher: idx.reader.searcher(), df: Default::default() };
    let f = idx.fields;
    let an = &idx.analyzer;
    let mut found: BTreeMap<String, (Reason, StoredItem)> = BTreeMap::new();
    let add = |reason: Reason, cands: Vec<StoredItem>, found: &mut BTreeMap<String, (Reason, StoredItem)>| {
        for c in cands {
            if c.meeting.head.id == item.meeting.head.id {
                continue;
            }
            match found.get(&c.item.id) {
                Some((r, _)) if *r <= reason => {}
                _ => {
                    found.insert(c.item.id.clone(), (reason, c));
                }
            }
        }
    };
    let ev = Evidence::of(item);
    let topic = matter(an, &item.item.title);

    // The same case number, in either direction.
    for c in &ev.cases {
        let cands = look.items(&*look.term(f.case, c), 50)?;
        add(Reason::SameCaseNumber, cands, &mut found);
    }

    // Follow-ups, from this item back and from later items to this one.
    if let (Some(group), Some(day)) = (item.meeting.head.group.as_deref(), item.meeting.head.date.map(crate::build::day_number)) {
        let on = |v: Vec<StoredItem>| v.into_iter().filter(|c| on_matter(an, &topic, c)).collect::<Vec<_>>();
        for r in &ev.refers {
            let cands = if r == "prev" {
                match look.neighbour_meeting(group, day, true)? {
                    Some(d) => look.group_days(group, d, d + 1, None)?,
                    None => vec![],
                }
            } else if let Some(d) = r.strip_prefix("d:").and_then(days_since_epoch) {
                look.group_days(group, d, d + 1, None)?
            } else if let Some(m) = r.strip_prefix("m:") {
                match (days_since_epoch(&format!("{m}-01")), chrono::NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d")) {
                    (Some(first), Ok(d)) => {
                        let next = d.checked_add_months(chrono::Months::new(1)).and_then(|n| days_since_epoch(&n.format("%Y-%m-%d").to_string())).unwrap_or(first + 31);
                        look.group_days(group, first, next, None)?
                    }
                    _ => vec![],
                }
            } else {
                vec![]
            };
            add(Reason::FollowUp, on(cands), &mut found);
        }
        if let Some(date) = item.meeting.head.date {
            // Later items citing this meeting by its date or month.
            for r in [format!("d:{date}"), format!("m:{}", date.format("%Y-%m"))] {
                let q = BooleanQuery::new(vec![(Occur::Must, look.group_term(group)), (Occur::Must, look.term(f.refers, &r))]);
                let cands = look.items(&q, 100)?;
                add(Reason::FollowUp, on(cands), &mut found);
            }
            // Items of the group's next meeting that follow up on "the last meeting".
            if let Some(next) = look.neighbour_meeting(group, day, false)? {
                let cands = look.group_days(group, next, next + 1, Some(look.term(f.refers, "prev")))?;
                add(Reason::FollowUp, on(cands), &mut found);
            }
        }
    }

    // Strongly similar text, in any group: more-like-this finds the
    // candidates, and the cosines of the two items' weighted words (the
    // same both ways) decide.
    if !topic.is_empty() {
        let text = item_text(item);
        let all = |field| (field, vec![OwnedValue::Str(text.clone())]);
        let mlt = MoreLikeThisQuery::builder()
            .with_min_doc_frequency(1)
            .with_min_term_frequency(1)
            .with_max_query_terms(40)
            .with_min_word_length(3)
            .with_document_fields(vec![all(f.title), all(f.indstilling), all(f.beslutning), all(f.body)]);
        let top = look.searcher.search(&mlt, &TopDocs::with_limit(SIMILAR_CANDIDATES).order_by_score())?;
        let cands = look.load(top.into_iter().map(|(_, a)| a))?;
        let (mine, mine_title) = (look.vector(item), look.title_vector(item));
        let close: Vec<StoredItem> = cands
            .into_iter()
            .filter(|c| c.item.id != item.item.id && c.meeting.head.id != item.meeting.head.id && !matter(an, &c.item.title).is_empty())
            .filter(|c| (cosine(&mine, &look.vector(c)) + cosine(&mine_title, &look.title_vector(c))) / 2.0 >= SIMILAR)
            .collect();
        add(Reason::SimilarText, close, &mut found);
    }

    let mut out: Vec<Related> = found
        .into_values()
        .map(|(reason, c)| Related {
            decision: decision(&c),
            id: c.item.id,
            number: c.item.number,
            title: c.item.title,
            group: c.meeting.head.group,
            date: c.meeting.head.date,
            kind: c.kind,
            reason,
        })
        .collect();
    out.sort_by(|a, b| a.date.cmp(&b.date).then(a.group.cmp(&b.group)).then(a.number.cmp(&b.number)).then(a.id.cmp(&b.id)));
    Ok(out)
}

#[cfg(test)]
mod tests {

    #[test]
    fn similarity_does_not_depend_on_a_maps_order() {
        // The same vectors built in other orders give the same bits.
        let words: Vec<(String, f32)> = (0..300).map(|k| (format!("ord{k}"), 1.0 / (k as f32 + 3.7))).collect();
        let build = |seed: usize| {
            let mut v = words.clone();
            let n = v.len();
            v.rotate_left(seed % n);
            if seed % 2 == 1 {
                v.reverse();
            }
            v.into_iter().collect::<HashMap<String, f32>>()
        };
        let first = cosine(&build(0), &build(1)).to_bits();
        for seed in 0..64 {
            assert_eq!(cosine(&build(seed), &build(seed * 7 + 3)).to_bits(), first);
        }
    }

    use super::*;
    use crate::model::{MeetingInfo, SourceRef};

    fn item(title: &str, text: &str, meeting_case: Option<&str>) -> StoredItem {
        let source = SourceRef { path: "a.txt".into(), line: 1, document: "d".into(), format: arkiv_ingest::formats::Format::Text, page: None, page_end: None };
        StoredItem {
            item: arkiv_ingest::Item {
                id: "i".into(),
                number: 1,
                title: title.into(),
                municipalities: vec![],
                regions: vec![],
                topics: vec![],
                sections: [("sagsfremstilling".to_string(), text.to_string())].into(),
                section_order: vec!["sagsfremstilling".into()],
                attachments: vec![],
                line: 1,
                page: None,
                page_end: None,
                ocr: None,
            },
            ordinal: 0,
            kind: None,
            meeting: MeetingInfo {
                head: arkiv_ingest::MeetingHead {
                    id: "m".into(),
                    group: None,
                    group_source: None,
                    date: chrono::NaiveDate::from_ymd_opt(2020, 6, 12),
                    date_source: None,
                    kind: None,
                    place: None,
                    participants: vec![],
                    absentees: vec![],
                    chair: None,
                    secretary: None,
                    case_number: meeting_case.map(str::to_string),
                    municipalities: vec![],
                    line: 1,
                },
                documents: vec![],
            },
            source,
            documents: vec![],
            section_documents: Default::default(),
            versions: vec![],
        }
    }

    fn check_evidence(title: &str, text: &str, meeting_case: Option<&str>, cases: &[&str], refers: &[&str]) {
        let e = Evidence::of(&item(title, text, meeting_case));
        assert_eq!((e.cases.iter().map(String::as_str).collect::<Vec<_>>(), e.refers.iter().map(String::as_str).collect::<Vec<_>>()), (cases.to_vec(), refers.to_vec()), "{title} / {text}");
    }

    #[test]
    fn evidence_in_an_items_text() {
        check_evidence("Opfølgning fra sidste møde vedr. LÆ-blanketter", "", None, &[], &["prev"]);
        check_evidence("Samarbejde om udskrivelse – punktet genoptages fra februar 2020", "", None, &[], &["m:2020-02"]);
        check_evidence("Status", "Jf. referat af 21. juni 2016 blev det aftalt. Sagsnr. 21/12345.", None, &["21/12345"], &["d:2016-06-21"]);
        // The meeting's own case number is every item's; the meeting's own date is no reference.
        check_evidence("Status", "1-52-100-22-09 og 1-30-72-45-19, drøftet på mødet den 12. juni 2020", Some("1-52-100-22-09"), &["1-30-72-45-19"], &[]);
        check_evidence("Næste møde", "Næste møde holdes 8. december 2022.", None, &[], &[]);
        // Capitals are the same cues.
        check_evidence("OPFØLGNING FRA SIDSTE MØDE", "JF. REFERAT AF 21. JUNI 2016. SAGSNR. 21/12345; J.NR 1-30-72-45-19", None, &["1-30-72-45-19", "21/12345"], &["d:2016-06-21", "prev"]);
    }
}
