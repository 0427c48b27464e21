//! A synthetic archive that looks like the real one to the parser: the
//! formats and faults of the archive's documents (headers in several styles,
//! page furniture, words hyphenated across lines, bullets, lists inside
//! items, Windows-1252, CRLF, form feeds, BOM, NFD, ligatures, two documents
//! in a file), groups and municipalities as configured, twenty years, item
//! lengths from 50 to 8,000 characters. The text comes from a bigram model of
//! arkiv's own sample archive, with compounds and inflections made here.
//! Deterministic from the seed.

use arkiv_ingest::Config;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::{HashMap, HashSet};
use std::path::Path;

static SAMPLE: include_dir::Dir<'_> = include_dir::include_dir!("$CARGO_MANIFEST_DIR/../arkiv-cli/sample");

/// Nouns of the domain that make compounds ("rehabiliterings|forløb").
const NOUNS: &[&str] = &[
    "sundhed", "aftale", "borger", "forløb", "indsats", "pleje", "træning", "behandling", "rehabilitering", "henvisning", "udskrivelse",
    "indlæggelse", "akut", "psykiatri", "misbrug", "alkohol", "rygestop", "data", "plan", "gruppe", "møde", "tilbud", "center", "læge",
    "praksis", "kommune", "region", "samarbejde", "kvalitet", "opfølgning", "visitation", "forebyggelse", "hjerte", "lunge", "hjerne",
    "skade", "vaccination", "influenza", "hjemme", "sygepleje", "medicin", "dosis", "ordning", "model", "team", "netværk", "rapport",
    "status", "område", "sektor", "klinik", "hospital", "afdeling", "beskæftigelse", "job", "fravær", "attest", "blanket", "post",
    "kommunikation", "journal", "oplysning", "høring", "retningslinje", "apparat", "høre", "neuro", "diabetes", "demens", "ældre",
];
const LINKED: &[&str] = &["ing", "hed", "else", "tion", "skab", "dom"];
const ENDINGS: &[&str] = &["", "", "", "en", "et", "er", "erne", "ens", "e"];
const WEEKDAYS: [&str; 7] = ["Mandag", "Tirsdag", "Onsdag", "Torsdag", "Fredag", "Lørdag", "Søndag"];
const MONTHS: [&str; 12] = ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober", "november", "december"];
const NAMES: &[&str] = &["Anne Holm", "Bo Riis", "Line Kjær", "Tom Nygaard", "Eva Friis", "Mette Krogh", "Jens Aagaard", "Sofie Lund", "Peter Dahl", "Karen Bøgh", "Hanne Juul", "Ole Bak", "Trine Møller", "Kasper Vinther"];

pub struct Generator {
    /// Write PDFs instead of text files.
    pub pdf: bool,
    /// Meetings that gather hundreds of documents each, as a stray meeting
    /// header whose date resolves to the same day does in a real archive:
    /// the first 500 documents of one group and day, the others 200 to 400,
    /// their items other items. The worst case of joining.
    pub gathering: usize,
    rng: ChaCha8Rng,
    bigrams: HashMap<String, Vec<String>>,
    starts: Vec<String>,
    titles: Vec<String>,
    groups: Vec<(String, Option<String>)>,
    clusters: HashMap<String, Vec<String>>,
    municipalities: Vec<String>,
}

impl Generator {
    pub fn new(seed: u64, cfg: &Config) -> Generator {
        let mut bigrams: HashMap<String, Vec<String>> = HashMap::new();
        let mut starts = vec![];
        let mut titles = vec![];
        let mut texts = vec![];
        collect(&SAMPLE, &mut texts);
        for (name, bytes) in texts {
            let f = arkiv_ingest::parse_bytes(&name, &name, &bytes, cfg, &Default::default());
            for m in &f.meetings {
                for it in &m.items {
                    titles.push(it.title.clone());
                    for line in it.body().lines() {
                        // List numbers ("2.") and bullets would open items or
                        // lists wherever a wrapped line starts with them.
                        let words: Vec<&str> = line
                            .split_whitespace()
                            .filter(|w| *w != "-" && !(w.trim_end_matches(['.', ')']).chars().all(|c| c.is_ascii_digit()) && w.len() <= 4))
                            .collect();
                        if words.len() < 3 {
                            continue;
                        }
                        starts.push(words[0].to_string());
                        for w in words.windows(2) {
                            bigrams.entry(w[0].to_string()).or_default().push(w[1].to_string());
                        }
                    }
                }
            }
        }
        let groups = cfg.groups.iter().map(|g| (g.name.clone(), g.cluster.clone())).collect();
        let clusters = cfg.clusters.iter().map(|c| (c.name.clone(), c.municipalities.clone())).collect();
        let municipalities = cfg.municipalities.iter().map(|m| m.name.clone()).collect();
        Generator { pdf: false, gathering: 0, rng: ChaCha8Rng::seed_from_u64(seed), bigrams, starts, titles, groups, clusters, municipalities }
    }

    fn compound(&mut self) -> String {
        let a = *NOUNS.choose(&mut self.rng).unwrap();
        let b = *NOUNS.choose(&mut self.rng).unwrap();
        let link = if LINKED.iter().any(|e| a.ends_with(e)) { "s" } else { "" };
        let end = *ENDINGS.choose(&mut self.rng).unwrap();
        let b = if end.starts_with('e') && b.ends_with('e') { &b[..b.len() - 1] } else { b };
        format!("{a}{link}{b}{end}")
    }

    fn sentence(&mut self, munis: &[String]) -> String {
        let mut w = self.starts.choose(&mut self.rng).cloned().unwrap_or_else(|| "Der".into());
        let mut out = vec![w.clone()];
        let n = self.rng.random_range(6..22);
        for _ in 0..n {
            let r: f64 = self.rng.random();
            let next = if r < 0.08 {
                self.compound()
            } else if r < 0.10 && !munis.is_empty() {
                format!("{} Kommune", munis.choose(&mut self.rng).unwrap())
            } else {
                match self.bigrams.get(&w) {
                    Some(v) => v.choose(&mut self.rng).unwrap().clone(),
                    None => self.starts.choose(&mut self.rng).unwrap().to_lowercase(),
                }
            };
            w = next.clone();
            out.push(next);
        }
        let mut s = out.join(" ");
        if !s.ends_with('.') {
            s.push('.');
        }
        s
    }

    /// Text of about `len` characters.
    fn text(&mut self, len: usize, munis: &[String]) -> String {
        let mut s = String::new();
        while s.len() < len {
            if !s.is_empty() {
                s.push(' ');
            }
            s.push_str(&self.sentence(munis));
        }
        s
    }

    /// Wraps text at about 80 columns, hyphenating some long words across
    /// lines the way PDF extraction leaves them.
    fn wrap(&mut self, text: &str, out: &mut Vec<String>) {
        let mut line = String::new();
        for word in text.split_whitespace() {
            if line.chars().count() + word.chars().count() > 80 {
                let chars: Vec<char> = word.chars().collect();
                if chars.len() >= 10 && chars.iter().all(|c| c.is_alphabetic()) && self.rng.random_bool(0.3) {
                    let cut = self.rng.random_range(3..chars.len() - 3);
                    line.push(' ');
                    line.push_str(&chars[..cut].iter().collect::<String>());
                    line.push('-');
                    out.push(std::mem::take(&mut line));
                    line = chars[cut..].iter().collect();
                    continue;
                }
                out.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        if !line.is_empty() {
            out.push(line);
        }
    }

    fn item_len(&mut self) -> usize {
        // Log-uniform from 50 to 8,000 characters, as in the archive.
        let x: f64 = self.rng.random();
        (50.0 * (8000.0f64 / 50.0).powf(x)) as usize
    }

    /// One meeting document with `n_items` items; returns its lines.
    fn meeting(&mut self, group: &str, munis: &[String], date: (i32, u32, u32), kind_referat: bool, titles: &[String]) -> Vec<String> {
        let (y, m, d) = date;
        let nd = chrono_weekday(y, m, d);
        let style = self.rng.random_range(0..4);
        let mut lines = vec![];
        let date_long = format!("{d}. {} {y}", MONTHS[m as usize - 1]);
        match style {
            0 => {
                lines.push(format!("Mødetid: {} d. {d}. {} {y} kl 12.30-15.30", WEEKDAYS[nd], MONTHS[m as usize - 1]));
                lines.push(format!("Mødested: {}", ["Regionshuset Viborg", "Sundhedshuset", "Teams"].choose(&mut self.rng).unwrap()));
                lines.push(format!("Mødedeltagere: {}", NAMES.choose_multiple(&mut self.rng, 4).cloned().collect::<Vec<_>>().join(", ")));
                lines.push(format!("Afbud: {}", NAMES.choose(&mut self.rng).unwrap()));
                lines.push(group.to_string());
                lines.push(if kind_referat { "Referat:".into() } else { "Dagsorden".into() });
            }
            1 => {
                lines.push(format!("Møde i {group} {date_long}"));
                lines.push("Tid & Sted:".into());
                lines.push(format!("{d}. {}, kl. 9:00 – 12:00", MONTHS[m as usize - 1]));
                lines.push(if kind_referat { "REFERAT".into() } else { "DAGSORDEN".into() });
            }
            2 => {
                lines.push(if kind_referat { "Referat".into() } else { "Dagsorden".into() });
                lines.push(group.to_string());
                lines.push(format!("Mødedato: {} d. {d}. {} {y}", WEEKDAYS[nd], MONTHS[m as usize - 1]));
                lines.push(format!("Deltagere: {}", NAMES.choose_multiple(&mut self.rng, 5).cloned().collect::<Vec<_>>().join(", ")));
            }
            _ => {
                lines.push(format!("{} fra møde i {group}", if kind_referat { "Referat" } else { "Dagsorden" }));
                lines.push(format!("Dato: {date_long}"));
                lines.push("Sted: Teams".into());
            }
        }
        let case = format!("1-{}-100-{}-{:02}", self.rng.random_range(10..99), self.rng.random_range(1..40), y % 100);
        let case_style = self.rng.random_bool(0.2);
        let pkt = self.rng.random_bool(0.15);
        for (k, title) in (1..).zip(titles) {
            if case_style {
                lines.push(case.clone());
            }
            lines.push(if pkt { format!("Pkt. {k} {title}") } else { format!("{k}. {title}") });
            let total = self.item_len();
            let parts = if total < 300 { 1 } else { 3 };
            let labels = if case_style { ["Det indstilles,", "Sagsfremstilling", "Beslutning"] } else { ["Indstilling:", "Sagsfremstilling:", "Beslutning:"] };
            for (i, label) in labels.iter().enumerate().take(parts.max(1)) {
                if i == 2 && !kind_referat {
                    break;
                }
                let label = if parts == 1 && kind_referat { labels[2] } else { label };
                lines.push(label.to_string());
                let text = self.text(total / parts, munis);
                if i == 1 && self.rng.random_bool(0.2) {
                    // A numbered list or bullets inside the item.
                    lines.push("Der peges på følgende:".into());
                    for j in 1..=3 {
                        let s = self.sentence(munis);
                        lines.push(if self.rng.random_bool(0.5) { format!("{j}. {s}") } else { format!("\u{f0b7} {s}") });
                    }
                }
                self.wrap(&text, &mut lines);
            }
            if self.rng.random_bool(0.3) {
                lines.push("Bilag:".into());
                lines.push(format!("Bilag {k}: {}", self.titles.choose(&mut self.rng).unwrap()));
            }
        }
        // Page furniture every ~45 lines.
        let footer = self.rng.random_bool(0.25);
        let running = style == 1 || self.rng.random_bool(0.2);
        let mut out = vec![];
        let mut page = 1;
        for (i, l) in lines.into_iter().enumerate() {
            if i > 0 && i % 45 == 0 {
                page += 1;
                if footer {
                    out.push(format!("Dato: {:02}.{:02}.{:02}", d, m, y % 100));
                    out.push(NAMES[page % NAMES.len()].to_string());
                    out.push("Mail: sekretariat@rm.dk".into());
                    out.push("Mobil: +45 0000 0000".into());
                }
                if running {
                    out.push(format!("{group} {date_long}"));
                    out.push(page.to_string());
                } else {
                    out.push(format!("\u{c}Side {page}"));
                }
            }
            out.push(l);
        }
        out
    }

    /// A meeting's titles: drawn from the sample's, most meetings opening
    /// with the approval of the agenda and closing with any other business,
    /// some with announcements, as real meetings recur.
    fn titles(&mut self, n: usize) -> Vec<String> {
        let mut t: Vec<String> = (0..n).map(|_| self.titles.choose(&mut self.rng).cloned().unwrap()).collect();
        if n >= 3 && self.rng.random_bool(0.6) {
            t[0] = "Godkendelse af dagsorden".into();
        }
        if n >= 4 && self.rng.random_bool(0.3) {
            t[n - 2] = "Meddelelser".into();
        }
        if n >= 3 && self.rng.random_bool(0.5) {
            t[n - 1] = "Eventuelt".into();
        }
        t
    }

    /// Writes the meetings that gather hundreds of documents ([`Self::gathering`]);
    /// returns (items written, files, bytes).
    fn write_gathering(&mut self, dir: &Path, meetings: &mut HashSet<(String, (i32, u32, u32))>) -> std::io::Result<(usize, usize, usize)> {
        let (mut written, mut files, mut bytes) = (0, 0, 0);
        for g in 0..self.gathering {
            let (group, _) = self.groups[g % self.groups.len()].clone();
            let munis: Vec<String> = self.municipalities.choose_multiple(&mut self.rng, 4).cloned().collect();
            let date = (2024, 1 + g as u32 % 12, 15);
            meetings.insert((group.clone(), date));
            // The first of them 500 documents, the figure the join is held to.
            let documents = if g == 0 { 500 } else { self.rng.random_range(200..=400) };
            for _ in 0..documents {
                let n = self.rng.random_range(3..=15);
                // Other meetings' items: their titles say what they are of.
                let titles: Vec<String> = self.titles(n).into_iter().map(|t| format!("{t} – {}", self.compound())).collect();
                let referat = self.rng.random_bool(0.5);
                let lines = self.meeting(&group, &munis, date, referat, &titles);
                bytes += self.write_document(dir, &group, date, referat, files, &lines)?;
                files += 1;
                written += n;
            }
        }
        Ok((written, files, bytes))
    }

    /// Writes documents holding `items` agenda items under `dir` (an item
    /// in a meeting's agenda and its minutes counts once, as the index
    /// holds it); returns (files, bytes).
    pub fn write_archive(&mut self, dir: &Path, items: usize) -> std::io::Result<(usize, usize)> {
        // A group meets once a day: documents of one group and day are of
        // one meeting, and are joined.
        let mut meetings: HashSet<(String, (i32, u32, u32))> = HashSet::new();
        let (written, mut files, mut bytes) = self.write_gathering(dir, &mut meetings)?;
        let mut written = written.min(items);
        while written < items {
            let (group, cluster) = self.groups.choose(&mut self.rng).cloned().unwrap();
            let munis: Vec<String> = match cluster.as_ref().and_then(|c| self.clusters.get(c)) {
                Some(m) => m.clone(),
                None => self.municipalities.choose_multiple(&mut self.rng, 4).cloned().collect(),
            };
            // Twenty years, more meetings in later ones. A group's days run
            // out past about 6,700 meetings (a million items): then the
            // twenty years before, and at last a day it has met on.
            let mut day = |k: usize| {
                let y = if k < 50 { 2005 + (20.0 * self.rng.random::<f64>().sqrt()) as i32 } else { 1985 + self.rng.random_range(0..20) };
                (y, self.rng.random_range(1..=12), self.rng.random_range(1..=28))
            };
            let first = day(0);
            let free = |date: &(i32, u32, u32)| !meetings.contains(&(group.clone(), *date));
            let (y, m, d) = if free(&first) { first } else { (1..100).map(&mut day).find(free).unwrap_or(first) };
            meetings.insert((group.clone(), (y, m, d)));
            let n_items = self.rng.random_range(3..=15).min(items - written).max(1);
            let titles = self.titles(n_items);
            if self.rng.random_bool(0.3) {
                // The agenda and the minutes of the meeting, in two files.
                // The minutes may leave the agenda's last item out, and open
                // with an item of their own (every number moves by one).
                let mut minutes_titles = titles.clone();
                if minutes_titles.len() > 1 && self.rng.random_bool(0.1) {
                    minutes_titles.pop();
                }
                // (Not where that item would be one more than asked for.)
                if self.rng.random_bool(0.2) && written + n_items < items {
                    minutes_titles.insert(0, "Godkendelse af referat fra sidste møde".to_string());
                    written += 1;
                }
                written += n_items;
                let agenda = self.meeting(&group, &munis, (y, m, d), false, &titles);
                let minutes = self.meeting(&group, &munis, (y, m, d), true, &minutes_titles);
                let mut documents = vec![(agenda, false), (minutes, true)];
                // Corrected minutes or two: the minutes' items again, with
                // other texts.
                if self.rng.random_bool(0.2) {
                    for _ in 0..self.rng.random_range(1..=3) {
                        documents.push((self.meeting(&group, &munis, (y, m, d), true, &minutes_titles), true));
                    }
                }
                for (lines, referat) in documents {
                    bytes += self.write_document(dir, &group, (y, m, d), referat, files, &lines)?;
                    files += 1;
                }
                continue;
            }
            let referat = self.rng.random_bool(0.6);
            let mut lines = self.meeting(&group, &munis, (y, m, d), referat, &titles);
            written += n_items;
            let next = (y, m, (d + 1).min(28));
            if self.rng.random_bool(0.03) && written < items && !meetings.contains(&(group.clone(), next)) {
                // Two documents in one file.
                meetings.insert((group.clone(), next));
                let n2 = self.rng.random_range(1..=5).min(items - written);
                let more = self.titles(n2);
                lines.extend(self.meeting(&group, &munis, next, true, &more));
                written += n2;
            }
            bytes += self.write_document(dir, &group, (y, m, d), referat, files, &lines)?;
            files += 1;
        }
        Ok((files, bytes))
    }

    /// Writes one document, with one of the archive's faults at times;
    /// returns its size.
    fn write_document(&mut self, dir: &Path, group: &str, (y, m, d): (i32, u32, u32), referat: bool, files: usize, lines: &[String]) -> std::io::Result<usize> {
        let mut text = lines.join("\n");
        text.push('\n');
        let short = arkiv_ingest::Config::embedded().group_by_name(group).map(|g| g.short.clone()).unwrap_or_else(|| "andre".into());
        let ext = if self.pdf { "pdf" } else { "txt" };
        let path = dir.join(&short).join(y.to_string()).join(format!("{y}-{m:02}-{d:02}-{}-{files}.{ext}", if referat { "referat" } else { "dagsorden" }));
        std::fs::create_dir_all(path.parent().unwrap())?;
        let fault: f64 = self.rng.random();
        let data: Vec<u8> = if self.pdf {
            pdf_document(lines, &format!("{group} – {d}.{m}.{y}"))
        } else if fault < 0.10 {
            encoding_rs::WINDOWS_1252.encode(&text).0.into_owned()
        } else if fault < 0.20 {
            text.replace('\n', "\r\n").into_bytes()
        } else if fault < 0.25 {
            let mut b = vec![0xef, 0xbb, 0xbf];
            b.extend(text.as_bytes());
            b
        } else if fault < 0.28 {
            use unicode_normalization::UnicodeNormalization;
            text.nfd().collect::<String>().into_bytes()
        } else if fault < 0.31 {
            text.replace("fi", "ﬁ").replace("fl", "ﬂ").into_bytes()
        } else {
            text.into_bytes()
        };
        std::fs::write(&path, &data)?;
        Ok(data.len())
    }
}

fn collect(d: &include_dir::Dir<'_>, out: &mut Vec<(String, Vec<u8>)>) {
    for f in d.files() {
        if f.path().extension().is_some_and(|e| e == "txt") {
            out.push((f.path().display().to_string(), f.contents().to_vec()));
        }
    }
    for s in d.dirs() {
        collect(s, out);
    }
}

/// A document as a PDF: Helvetica in WinAnsi, 50 lines a page, with a
/// running header and a "Side N af M" footer on every page.
pub fn pdf_document(lines: &[String], header: &str) -> Vec<u8> {
    use lopdf::content::{Content, Operation};
    use lopdf::{dictionary, Document, Object, Stream};
    // WinAnsi is Windows-1252 for the letters Danish uses; what it lacks is '?'.
    let enc = |s: &str| -> Object {
        let folded = s.replace('ﬁ', "fi").replace('ﬂ', "fl");
        let bytes: Vec<u8> = folded
            .chars()
            .map(|c| {
                let mut b = [0u8; 4];
                let (out, _, bad) = encoding_rs::WINDOWS_1252.encode(c.encode_utf8(&mut b));
                if bad || out.len() != 1 { b'?' } else { out[0] }
            })
            .collect();
        Object::String(bytes, lopdf::StringFormat::Literal)
    };
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font = doc.add_object(dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica", "Encoding" => "WinAnsiEncoding" });
    let resources = doc.add_object(dictionary! { "Font" => dictionary! { "F1" => font } });
    let chunks: Vec<&[String]> = lines.chunks(50).collect();
    let total = chunks.len();
    let mut kids = vec![];
    for (k, chunk) in chunks.iter().enumerate() {
        let mut ops = vec![
            Operation::new("BT", vec![]),
            Operation::new("Tf", vec!["F1".into(), 8.into()]),
            Operation::new("Td", vec![60.into(), 810.into()]),
            Operation::new("Tj", vec![enc(header)]),
            Operation::new("ET", vec![]),
            Operation::new("BT", vec![]),
            Operation::new("Tf", vec!["F1".into(), 10.into()]),
            Operation::new("TL", vec![14.into()]),
            Operation::new("Td", vec![60.into(), 780.into()]),
        ];
        for l in chunk.iter() {
            ops.push(Operation::new("Tj", vec![enc(l)]));
            ops.push(Operation::new("T*", vec![]));
        }
        ops.push(Operation::new("ET", vec![]));
        ops.extend([
            Operation::new("BT", vec![]),
            Operation::new("Tf", vec!["F1".into(), 8.into()]),
            Operation::new("Td", vec![280.into(), 30.into()]),
            Operation::new("Tj", vec![enc(&format!("Side {} af {total}", k + 1))]),
            Operation::new("ET", vec![]),
        ]);
        let content = Content { operations: ops }.encode().unwrap_or_default();
        let mut stream = Stream::new(dictionary! {}, content);
        let _ = stream.compress();
        let content_id = doc.add_object(stream);
        kids.push(Object::from(doc.add_object(dictionary! { "Type" => "Page", "Parent" => pages_id, "Contents" => content_id })));
    }
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count, "Resources" => resources, "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()] }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    doc.compress();
    let mut out = vec![];
    let _ = doc.save_to(&mut out);
    out
}

/// 0 = Monday.
fn chrono_weekday(y: i32, m: u32, d: u32) -> usize {
    use chrono::Datelike;
    chrono::NaiveDate::from_ymd_opt(y, m, d).map(|d| d.weekday().num_days_from_monday() as usize).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The generated agendas and minutes of one meeting are joined item by
    /// item, whatever header style, numbering ("Pkt. 3" or "3.") and faults
    /// each document got: the index holds exactly the items generated.
    #[test]
    fn generated_agendas_and_minutes_join_item_by_item() {
        let cfg = Config::embedded();
        let dir = tempfile::tempdir().unwrap();
        let archive = dir.path().join("archive");
        let (files, _) = Generator::new(7, &cfg).write_archive(&archive, 600).unwrap();
        let s = arkiv_index::index_archive(&archive, &dir.path().join("index"), &cfg, arkiv_ingest::EMBEDDED_SYNONYMS).unwrap();
        assert_eq!(s.files_seen, files);
        assert!(s.items_indexed > 600, "the documents hold more items than the index: {}", s.items_indexed);
        assert_eq!(s.items_total, 600);
        let idx = arkiv_index::ArkivIndex::open(&dir.path().join("index")).unwrap();
        let facets = idx.facets().unwrap();
        let kinds = facets.get("kind");
        let both = kinds.iter().find(|k| k.value == "dagsorden-og-referat").map_or(0, |k| k.count);
        assert!(both > 50, "{kinds:?}");
    }
}
