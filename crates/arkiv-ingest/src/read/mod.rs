//! Reading PDF and Word files into text, under limits.
//!
//! A PDF reader is a large parser of hostile input: a malformed file can make
//! it panic, loop or eat memory. So the reading of one file is bounded in
//! time, memory and the length of the text it gives, and a file that hits a
//! bound is reported and skipped while the rest of the archive is read.
//!
//! Two ways to run a reader, chosen by [`ReadOptions::worker`]:
//! - **In a worker process** (what `arkiv` does): the binary runs itself as
//!   `arkiv read-worker`, under an address-space limit, and is handed one
//!   file at a time; a worker is killed when a file runs past the time limit.
//!   Each thread that reads keeps its worker from file to file (see
//!   [`worker`]). Nothing a file does can stall or kill the run.
//! - **In process** (the library's default, for tests and tools): panics are
//!   caught and the text length is bounded; time and memory are not.
//!
//! PDF text comes from `pdf-extract` (pure Rust, MIT). Where it fails on a
//! file, or gives text that is mostly junk, `pdftotext` from poppler is tried
//! when it is installed, and a note says so. See [`pdf`].

pub mod convert;
pub mod docx;
pub mod html;
mod layout;
pub mod ocr;
pub mod odt;
mod package;
pub mod programs;
pub mod pdf;
mod worker;

pub use worker::worker_main;

use crate::decode::{self, Decoded};
use crate::formats::Format;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// The limits on reading one file, and where the reader runs.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadOptions {
    /// The program to run as a worker (`arkiv`, which answers the
    /// `read-worker` subcommand); None reads in process.
    pub worker: Option<PathBuf>,
    /// Wall-clock time for one file.
    pub timeout: Duration,
    /// Address space of the worker process.
    pub memory_bytes: u64,
    /// Text one file may give (the most a meeting document holds, many times over).
    pub max_text_bytes: usize,
    /// Try poppler's `pdftotext` where the built-in PDF reader fails.
    pub pdftotext_fallback: bool,
    /// Read .doc and .rtf files with LibreOffice or antiword, where installed.
    pub convert: bool,
    /// Read the pages of a PDF that have no text with Tesseract, where installed.
    pub ocr: bool,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            worker: None,
            timeout: Duration::from_secs(60),
            memory_bytes: 1024 * 1024 * 1024,
            max_text_bytes: 32 * 1024 * 1024,
            pdftotext_fallback: true,
            convert: true,
            ocr: true,
        }
    }
}

/// Why a file gave no text. Each is a reason in the index summary.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
pub enum ReadError {
    #[error("empty file")]
    Empty,
    #[error("not text: {0:.0}% of the characters are control characters in every encoding tried (binary data?)")]
    NotText(f64),
    #[error("not a {expected} file: {found}")]
    WrongContent { expected: String, found: String },
    #[error("encrypted: the PDF needs a password to be read")]
    Encrypted,
    #[error("damaged {format} file: {detail}")]
    Damaged { format: String, detail: String },
    #[error("no text layer (scanned?): {pages} page{} of images only; not searchable ({why})", if *.pages == 1 { "" } else { "s" })]
    NoTextLayer {
        pages: u32,
        /// Why OCR did not read them: not installed, turned off, no text found.
        #[serde(default)]
        why: String,
    },
    #[error("reading took longer than the {0} s a file may take")]
    Timeout(f64),
    #[error("reading needed more than the {0} MB of memory a file may use")]
    OutOfMemory(u64),
    #[error("the text is longer than the {0} MB a meeting document can hold")]
    TextTooLong(u64),
    #[error("the reader failed: {0}")]
    Crashed(String),
    #[error("{what} files are read through a converter, and none is installed (Debian: apt install {packages})")]
    NoConverter { what: String, packages: String },
}

impl ReadError {
    /// Stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            ReadError::Empty => "decode.empty",
            ReadError::NotText(_) => "decode.not-text",
            ReadError::WrongContent { .. } => "read.wrong-content",
            ReadError::Encrypted => "read.encrypted",
            ReadError::Damaged { .. } => "read.damaged",
            ReadError::NoTextLayer { .. } => "read.no-text-layer",
            ReadError::Timeout(_) => "read.timeout",
            ReadError::OutOfMemory(_) => "read.memory",
            ReadError::TextTooLong(_) => "read.text-too-long",
            ReadError::Crashed(_) => "read.crashed",
            ReadError::NoConverter { .. } => "read.no-converter",
        }
    }
}

impl From<decode::DecodeError> for ReadError {
    fn from(e: decode::DecodeError) -> Self {
        match e {
            decode::DecodeError::Empty => ReadError::Empty,
            decode::DecodeError::NotText(p) => ReadError::NotText(p),
        }
    }
}

/// What read a file's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Engine {
    PdfExtract,
    Pdftotext,
    Docx,
    Html,
    Odt,
    LibreOffice,
    Antiword,
}

impl Engine {
    pub fn as_str(self) -> &'static str {
        match self {
            Engine::PdfExtract => "pdf-extract",
            Engine::Pdftotext => "pdftotext",
            Engine::Docx => "docx",
            Engine::Html => "html",
            Engine::Odt => "odt",
            Engine::LibreOffice => "libreoffice",
            Engine::Antiword => "antiword",
        }
    }
}

/// What a reader gives: the text with pages separated by form feeds (where
/// pages are known), the engine that read it, and notes.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Extracted {
    pub text: String,
    /// Pages, where the format has them.
    pub pages: Option<u32>,
    pub engine: Engine,
    pub notes: Vec<(String, String)>,
    /// Pages (from 1) without text: scanned, for OCR to read.
    #[serde(default)]
    pub textless: Vec<u32>,
    /// Pages read by OCR, with their confidence.
    #[serde(default)]
    pub ocr: Vec<ocr::OcrPage>,
}

/// Reads a file with the reader of its format, in a worker process where
/// one is configured. A .doc or .rtf is converted first, in this thread.
pub fn read_isolated(format: Format, bytes: &[u8], opts: &ReadOptions) -> Result<Decoded, ReadError> {
    let ex = match format {
        Format::Doc | Format::Rtf => match convert::convert(format, bytes, opts)? {
            convert::Converted::Docx(docx) => {
                let mut ex = run_reader(Format::Docx, &docx, opts)?;
                ex.engine = Engine::LibreOffice;
                ex
            }
            convert::Converted::Text(ex) => ex,
        },
        _ => run_reader(format, bytes, opts)?,
    };
    let mut ex = ex;
    let unread = if format == Format::Pdf { ocr::fill(&mut ex, bytes, opts) } else { None };
    finish(ex, opts, unread)
}

fn run_reader(format: Format, bytes: &[u8], opts: &ReadOptions) -> Result<Extracted, ReadError> {
    match &opts.worker {
        Some(exe) => worker::read(exe, format, bytes, opts),
        None => in_process(format, bytes, opts),
    }
}

/// Runs the reader of `format` here, with panics caught. (Text is decoded
/// by [`decode`], never here.)
pub fn in_process(format: Format, bytes: &[u8], opts: &ReadOptions) -> Result<Extracted, ReadError> {
    let run = || match format {
        Format::Pdf => pdf::read(bytes, opts),
        Format::Docx => docx::read(bytes, opts.max_text_bytes),
        Format::Html => html::read(bytes, opts.max_text_bytes),
        Format::Odt => odt::read(bytes, opts.max_text_bytes),
        Format::Text | Format::Doc | Format::Rtf => Err(ReadError::Crashed(format!("{} files are not read by a reader of their own", format.as_str()))),
    };
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)).unwrap_or_else(|p| Err(ReadError::Crashed(panic_message(p))))
}

pub(crate) fn panic_message(p: Box<dyn std::any::Any + Send>) -> String {
    p.downcast_ref::<&str>().map(|s| s.to_string()).or_else(|| p.downcast_ref::<String>().cloned()).unwrap_or_else(|| "panic".into())
}

/// The common end of every reader: the text length bound, stray control
/// characters removed (as for text files), and empty text refused;
/// `unread` says why pages without text were not read by OCR.
fn finish(ex: Extracted, opts: &ReadOptions, unread: Option<String>) -> Result<Decoded, ReadError> {
    if ex.text.len() > opts.max_text_bytes {
        return Err(ReadError::TextTooLong(opts.max_text_bytes as u64 / (1024 * 1024)));
    }
    let junk = decode::junk_ratio(&ex.text);
    if junk > decode::MAX_JUNK {
        return Err(ReadError::NotText(junk * 100.0));
    }
    let mut notes: Vec<(&'static str, String)> = ex.notes.into_iter().map(|(c, m)| (static_code(&c), m)).collect();
    let text = decode::drop_controls(ex.text, &mut notes);
    if text.trim_matches(|c: char| c.is_whitespace()).is_empty() {
        if !ex.textless.is_empty() {
            return Err(ReadError::NoTextLayer { pages: ex.textless.len() as u32, why: unread.unwrap_or_default() });
        }
        return Err(ReadError::Empty);
    }
    Ok(Decoded { text, encoding: ex.engine.as_str(), notes, pages: ex.pages, ocr: ex.ocr })
}

/// Note codes cross the worker pipe as strings; the diagnostics keep them static.
fn static_code(c: &str) -> &'static str {
    const CODES: &[&str] = &["read.fallback", "read.pages-without-text", "read.page-unreadable", "read.ocr"];
    CODES.iter().find(|k| **k == c).copied().unwrap_or("read.note")
}

/// Waits for a program the reader started, and kills it (with its process
/// group, where it leads one: a worker's pdftotext goes with it) when it
/// runs past `deadline`. None: killed, or lost.
pub(crate) fn wait_or_kill(child: &mut std::process::Child, deadline: Instant) -> Option<std::process::ExitStatus> {
    loop {
        match child.try_wait() {
            Ok(Some(st)) => return Some(st),
            Ok(None) if Instant::now() >= deadline => {
                // SAFETY: a signal to a process group; a child that leads
                // none makes this a no-op (ESRCH).
                unsafe { libc::kill(-(child.id() as i32), libc::SIGKILL) };
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(2)),
            Err(_) => return None,
        }
    }
}
