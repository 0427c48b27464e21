//! Compares PDF text extractors on arkiv's own measure: how much of the
//! parse of a document's text version (meetings, items, titles, group, date,
//! kind) the parse of its PDF gives, and how fast.
//!
//!     cargo run --release -p arkiv-ingest --example pdf_compare -- REF_DIR PDF...
//!
//! Each `X.pdf` is compared with `REF_DIR/X.txt`. The PDFs of the corpus are
//! made with `python3 tests/fixtures/make_fixtures.py text-pdf OUT ../shared/corpus/*.txt`.
//! pdftotext (poppler-utils) must be on the PATH for its rows.

use arkiv_ingest::{parse_bytes, read::pdf, Config, FileParse, Overrides};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

type Engine = (&'static str, fn(&Path, &[u8]) -> Result<Vec<String>, String>);

fn pdf_extract(_: &Path, bytes: &[u8]) -> Result<Vec<String>, String> {
    pdf::pages_pdf_extract(bytes).map(|(p, _)| p).map_err(|e| e.to_string())
}

fn lopdf_plain(_: &Path, bytes: &[u8]) -> Result<Vec<String>, String> {
    let doc = pdf_extract::Document::load_mem(bytes).map_err(|e| e.to_string())?;
    doc.get_pages().keys().map(|&n| doc.extract_text(&[n]).map_err(|e| e.to_string())).collect()
}

fn poppler(path: &Path, args: &[&str]) -> Result<Vec<String>, String> {
    let out = Command::new("pdftotext").args(args).args(["-enc", "UTF-8", "-q"]).arg(path).arg("-").output().map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(format!("exit {}", out.status));
    }
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut pages: Vec<String> = text.split('\x0c').map(str::to_string).collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    Ok(pages)
}

fn poppler_raw(p: &Path, _: &[u8]) -> Result<Vec<String>, String> {
    poppler(p, &["-raw"])
}
fn poppler_default(p: &Path, _: &[u8]) -> Result<Vec<String>, String> {
    poppler(p, &[])
}
fn poppler_layout(p: &Path, _: &[u8]) -> Result<Vec<String>, String> {
    poppler(p, &["-layout"])
}

#[derive(Default)]
struct Score {
    items: usize,
    items_right: usize,
    extra: usize,
    meetings: usize,
    facts_right: usize,
    failed: usize,
    bytes: usize,
    pages: usize,
    seconds: f64,
}

fn parse_text(name: &str, text: &str, cfg: &Config) -> FileParse {
    parse_bytes(name, name, text.as_bytes(), cfg, &Overrides::default())
}

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(reference) = args.next().map(PathBuf::from) else {
        eprintln!("usage: pdf_compare REF_DIR PDF...");
        std::process::exit(2);
    };
    let pdfs: Vec<PathBuf> = args.map(PathBuf::from).collect();
    let cfg = Config::embedded();
    let engines: [Engine; 5] = [
        ("pdf-extract 0.12 (default)", pdf_extract),
        ("lopdf extract_text", lopdf_plain),
        ("pdftotext -raw (fallback)", poppler_raw),
        ("pdftotext", poppler_default),
        ("pdftotext -layout", poppler_layout),
    ];
    let mut scores: Vec<Score> = engines.iter().map(|_| Score::default()).collect();
    for path in &pdfs {
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        let Ok(ref_text) = std::fs::read_to_string(reference.join(format!("{name}.txt"))) else {
            eprintln!("{}: no {name}.txt in {}", path.display(), reference.display());
            continue;
        };
        let want = parse_text(&format!("{name}.txt"), &ref_text, &cfg);
        let bytes = std::fs::read(path).unwrap();
        for ((label, run), s) in engines.iter().zip(scores.iter_mut()) {
            let want_items: Vec<(u32, String)> = want.meetings.iter().flat_map(|m| m.items.iter().map(|i| (i.number, norm(&i.title)))).collect();
            s.items += want_items.len();
            s.meetings += want.meetings.len();
            s.bytes += bytes.len();
            let t0 = Instant::now();
            let pages = match run(path, &bytes) {
                Ok(p) => p,
                Err(e) => {
                    eprintln!("{label}: {}: {e}", path.display());
                    s.failed += 1;
                    continue;
                }
            };
            s.seconds += t0.elapsed().as_secs_f64();
            s.pages += pages.len();
            let got = parse_text(&format!("{name}.txt"), &pages.join("\n\x0c"), &cfg);
            let got_items: Vec<(u32, String)> = got.meetings.iter().flat_map(|m| m.items.iter().map(|i| (i.number, norm(&i.title)))).collect();
            s.items_right += want_items.iter().filter(|w| got_items.contains(w)).count();
            s.extra += got_items.iter().filter(|g| !want_items.contains(g)).count();
            for (wm, gm) in want.meetings.iter().zip(&got.meetings) {
                if (&wm.head.group, &wm.head.date, wm.head.kind) == (&gm.head.group, &gm.head.date, gm.head.kind) {
                    s.facts_right += 1;
                }
            }
        }
    }
    println!("{} PDFs compared with their text versions\n", pdfs.len());
    println!("| extractor | items found | wrong or extra items | meetings with group, date, kind right | files failed | MB/s | pages/s |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
    for ((label, _), s) in engines.iter().zip(&scores) {
        println!(
            "| {label} | {}/{} | {} | {}/{} | {} | {:.1} | {:.0} |",
            s.items_right,
            s.items,
            s.extra,
            s.facts_right,
            s.meetings,
            s.failed,
            s.bytes as f64 / 1e6 / s.seconds.max(1e-9),
            s.pages as f64 / s.seconds.max(1e-9)
        );
    }
}

fn norm(s: &str) -> String {
    s.to_lowercase().split_whitespace().collect::<Vec<_>>().join(" ").trim_end_matches('.').to_string()
}
