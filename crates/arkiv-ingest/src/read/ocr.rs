//! Scanned pages read by OCR: a PDF page without a text layer is rendered
//! by poppler's `pdftoppm` (200 dpi, grey) and read by Tesseract with its
//! Danish model, where both are installed (Debian: poppler-utils,
//! tesseract-ocr, tesseract-ocr-dan). Each page keeps its confidence (the
//! mean of Tesseract's word confidences), and its items say they were read
//! by OCR. Without them, each such page is reported and counted.
//!
//! This runs in the thread that reads the file, after the PDF reader: each
//! program is a process of its own, under the file's time limit per page.
//! Tesseract runs with one thread (`OMP_THREAD_LIMIT=1`) and a file's pages
//! are read in parallel (rayon), as the archive's files are: on two cores
//! that is about six times faster than Tesseract's own threads. An unchanged file is not read
//! again on a re-index, so its pages are not read by OCR again either.

use super::programs::{self, Scratch};
use super::{Extracted, ReadOptions};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;
use std::time::Instant;

/// One page read by OCR, with Tesseract's mean word confidence (0-100).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct OcrPage {
    pub page: u32,
    pub confidence: u8,
}

/// The two programs OCR needs, and whether Tesseract has Danish: found once.
pub fn programs() -> Option<&'static (PathBuf, PathBuf)> {
    static FOUND: OnceLock<Option<(PathBuf, PathBuf)>> = OnceLock::new();
    FOUND
        .get_or_init(|| {
            let render = programs::find("pdftoppm", "ARKIV_PDFTOPPM")?;
            let tesseract = programs::find("tesseract", "ARKIV_TESSERACT")?;
            let langs = Command::new(&tesseract).arg("--list-langs").output().ok()?;
            let listed = String::from_utf8_lossy(&langs.stdout).lines().any(|l| l.trim() == "dan");
            listed.then_some((render, tesseract))
        })
        .as_ref()
}

/// What is said of pages without text when OCR cannot read them.
fn unread_note(pages: &[u32], total: Option<u32>, why: &str) -> (String, String) {
    let list = pages.iter().map(u32::to_string).collect::<Vec<_>>().join(", ");
    let of = total.map(|t| format!(" af {t}")).unwrap_or_default();
    let side = if pages.len() == 1 { "side" } else { "siderne" };
    ("read.pages-without-text".into(), format!("{side} {list}{of} har ingen tekst: scannet? ({why})"))
}

/// Notes the pages of `ex` still without text, and gives why.
fn unread(ex: &mut Extracted, why: String) -> Option<String> {
    let note = unread_note(&ex.textless, ex.pages, &why);
    ex.notes.push(note);
    Some(why)
}

/// Reads the pages of `ex` that have no text by OCR, where it can, and
/// notes those it cannot; gives why those are unread (None: none is).
/// The pages' texts are separated by form feeds.
pub fn fill(ex: &mut Extracted, pdf: &[u8], opts: &ReadOptions) -> Option<String> {
    if ex.textless.is_empty() {
        return None;
    }
    let progs = if opts.ocr { programs() } else { None };
    let Some((render, tesseract)) = progs else {
        let why = if opts.ocr { "OCR needs Tesseract with Danish: apt install tesseract-ocr tesseract-ocr-dan poppler-utils" } else { "OCR is turned off" };
        return unread(ex, why.into());
    };
    let mut pages: Vec<String> = ex.text.split('\x0c').map(str::to_string).collect();
    let (scratch, input) = match Scratch::new().and_then(|s| s.file("in.pdf", pdf).map(|p| (s, p))) {
        Ok(x) => x,
        Err(e) => return unread(ex, e),
    };
    // Pages in parallel: a long scanned file uses every core, and a page
    // waits on its programs, not on the CPU of this thread.
    use rayon::prelude::*;
    let read: Vec<(u32, Result<(String, u8), String>)> = ex.textless.par_iter().map(|&page| (page, read_page(render, tesseract, &scratch, &input, page, opts))).collect();
    let mut unread_pages = vec![];
    for (page, got) in read {
        let Some(slot) = pages.get_mut(page as usize - 1) else { continue };
        match got {
            Ok((text, confidence)) if !text.trim().is_empty() => {
                *slot = format!("{}\n", text.trim_end());
                ex.ocr.push(OcrPage { page, confidence });
            }
            Ok(_) => unread_pages.push(page),
            Err(why) => {
                unread_pages.push(page);
                ex.notes.push(("read.note".into(), format!("side {page}: OCR gav ingen tekst ({why})")));
            }
        }
    }
    if !ex.ocr.is_empty() {
        let list = ex.ocr.iter().map(|p| format!("{} ({}%)", p.page, p.confidence)).collect::<Vec<_>>().join(", ");
        ex.notes.push(("read.ocr".into(), format!("læst med OCR (Tesseract, dansk), side og sikkerhed: {list}")));
    }
    ex.text = pages.join("\x0c");
    ex.textless = unread_pages;
    if ex.textless.is_empty() {
        return None;
    }
    unread(ex, "OCR fandt ingen tekst".into())
}

/// One page: rendered to a grey PNG, read by Tesseract as text and as a
/// table of words with their confidences.
fn read_page(render: &std::path::Path, tesseract: &std::path::Path, scratch: &Scratch, pdf: &std::path::Path, page: u32, opts: &ReadOptions) -> Result<(String, u8), String> {
    let deadline = Instant::now() + opts.timeout;
    let base = scratch.path().join(format!("p{page}"));
    let mut cmd = Command::new(render);
    cmd.args(["-r", "200", "-gray", "-png", "-singlefile", "-f", &page.to_string(), "-l", &page.to_string()]).arg(pdf).arg(&base);
    let ran = programs::run(&mut cmd, deadline, 1 << 16)?;
    if !ran.status.is_some_and(|s| s.success()) {
        return Err(if ran.status.is_none() { "pdftoppm took too long".into() } else { "pdftoppm could not render it".into() });
    }
    let png = base.with_extension("png");
    let out = scratch.path().join(format!("o{page}"));
    let mut cmd = Command::new(tesseract);
    cmd.arg(&png).arg(&out).args(["-l", "dan", "txt", "tsv"]).env("OMP_THREAD_LIMIT", "1");
    let ran = programs::run(&mut cmd, deadline, 1 << 16)?;
    let _ = std::fs::remove_file(&png);
    if !ran.status.is_some_and(|s| s.success()) {
        return Err(if ran.status.is_none() { "Tesseract took too long".into() } else { "Tesseract failed".into() });
    }
    let text = std::fs::read_to_string(out.with_extension("txt")).map_err(|e| e.to_string())?;
    let tsv = std::fs::read_to_string(out.with_extension("tsv")).unwrap_or_default();
    Ok((text, mean_confidence(&tsv)))
}

/// The mean confidence of the words in Tesseract's TSV output (level 5
/// rows; -1 marks a row that is no word).
fn mean_confidence(tsv: &str) -> u8 {
    let (mut sum, mut n) = (0.0, 0u32);
    for row in tsv.lines().skip(1) {
        let cols: Vec<&str> = row.split('\t').collect();
        if cols.len() >= 12 && cols[0] == "5" && !cols[11].trim().is_empty() {
            if let Ok(c) = cols[10].parse::<f64>() {
                if c >= 0.0 {
                    sum += c;
                    n += 1;
                }
            }
        }
    }
    if n == 0 {
        0
    } else {
        (sum / n as f64).round().clamp(0.0, 100.0) as u8
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn confidence_is_the_mean_over_words() {
        let tsv = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n\
                   1\t1\t0\t0\t0\t0\t0\t0\t10\t10\t-1\t\n\
                   5\t1\t1\t1\t1\t1\t0\t0\t10\t10\t90.5\tReferat\n\
                   5\t1\t1\t1\t1\t2\t0\t0\t10\t10\t79.5\tmøde\n";
        assert_eq!(mean_confidence(tsv), 85);
        assert_eq!(mean_confidence(""), 0);
    }
}
