//! Reading PDF and Word files into text, under limits.
//!
//! A PDF reader is a large parser of hostile input: a malformed file can make
//! it panic, loop or eat memory. So the reading of one file is bounded in
//! time, memory and the length of the text it gives, and a file that hits a
//! bound is reported and skipped while the rest of the archive is read.
//!
//! Two ways to run a reader, chosen by [`ReadOptions::worker`]:
//! - **In a worker process** (what `arkiv` does): the binary runs itself as
//!   `arkiv read-worker FORMAT` with the file's bytes on standard input, under
//!   an address-space limit, and is killed when it runs past the time limit.
//!   Nothing a file does can stall or kill the run.
//! - **In process** (the library's default, for tests and tools): panics are
//!   caught and the text length is bounded; time and memory are not.
//!
//! PDF text comes from `pdf-extract` (pure Rust, MIT). Where it fails on a
//! file, or gives text that is mostly junk, `pdftotext` from poppler is tried
//! when it is installed, and a note says so. See [`pdf`].

pub mod docx;
pub mod pdf;

use crate::decode::{self, Decoded};
use crate::formats::Format;
use serde::{Deserialize, Serialize};
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};
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
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            worker: None,
            timeout: Duration::from_secs(60),
            memory_bytes: 1024 * 1024 * 1024,
            max_text_bytes: 32 * 1024 * 1024,
            pdftotext_fallback: true,
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
    #[error("no text layer (scanned?): {pages} page{} of images only; not searchable", if *.pages == 1 { "" } else { "s" })]
    NoTextLayer { pages: u32 },
    #[error("reading took longer than the {0} s a file may take")]
    Timeout(f64),
    #[error("reading needed more than the {0} MB of memory a file may use")]
    OutOfMemory(u64),
    #[error("the text is longer than the {0} MB a meeting document can hold")]
    TextTooLong(u64),
    #[error("the reader failed: {0}")]
    Crashed(String),
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
}

impl Engine {
    pub fn as_str(self) -> &'static str {
        match self {
            Engine::PdfExtract => "pdf-extract",
            Engine::Pdftotext => "pdftotext",
            Engine::Docx => "docx",
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
}

/// Reads a PDF or Word file with the reader of its format, in a worker
/// process where one is configured.
pub fn read_isolated(format: Format, bytes: &[u8], opts: &ReadOptions) -> Result<Decoded, ReadError> {
    let ex = match &opts.worker {
        Some(exe) => in_worker(exe, format, bytes, opts)?,
        None => in_process(format, bytes, opts)?,
    };
    finish(ex, opts)
}

/// Runs the reader of `format` here, with panics caught. (Text is decoded
/// by [`decode`], never here.)
pub fn in_process(format: Format, bytes: &[u8], opts: &ReadOptions) -> Result<Extracted, ReadError> {
    let run = || match format {
        Format::Pdf => pdf::read(bytes, opts),
        Format::Docx => docx::read(bytes, opts.max_text_bytes),
        Format::Text => Err(ReadError::Crashed("text files are decoded, not read by a reader".into())),
    };
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)).unwrap_or_else(|p| Err(ReadError::Crashed(panic_message(p))))
}

pub(crate) fn panic_message(p: Box<dyn std::any::Any + Send>) -> String {
    p.downcast_ref::<&str>().map(|s| s.to_string()).or_else(|| p.downcast_ref::<String>().cloned()).unwrap_or_else(|| "panic".into())
}

/// The common end of every reader: the text length bound, stray control
/// characters removed (as for text files), and empty text refused.
fn finish(ex: Extracted, opts: &ReadOptions) -> Result<Decoded, ReadError> {
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
        return Err(ReadError::Empty);
    }
    Ok(Decoded { text, encoding: ex.engine.as_str(), notes, pages: ex.pages })
}

/// Note codes cross the worker pipe as strings; the diagnostics keep them static.
fn static_code(c: &str) -> &'static str {
    const CODES: &[&str] = &["read.fallback", "read.pages-without-text", "read.page-unreadable"];
    CODES.iter().find(|k| **k == c).copied().unwrap_or("read.note")
}

/// The worker's side: reads the file's bytes from standard input, reads
/// them with the reader of `format` under an address-space limit, and
/// writes the result as JSON to standard output. Returns the exit code.
pub fn worker_main(format: &str, opts: &ReadOptions) -> i32 {
    let Some(format) = Format::of_extension(format) else {
        eprintln!("read-worker: unknown format {format}");
        return 2;
    };
    // What the reader libraries print must not mix with the answer: keep
    // the real standard output for it, and send everything else to stderr.
    let out_fd = unsafe { libc::dup(1) };
    if out_fd < 0 || unsafe { libc::dup2(2, 1) } < 0 {
        eprintln!("read-worker: cannot set up output");
        return 2;
    }
    let limit = libc::rlimit { rlim_cur: opts.memory_bytes as libc::rlim_t, rlim_max: opts.memory_bytes as libc::rlim_t };
    unsafe { libc::setrlimit(libc::RLIMIT_AS, &limit) };
    std::panic::set_hook(Box::new(|_| {}));
    let mut bytes = vec![];
    if let Err(e) = std::io::stdin().read_to_end(&mut bytes) {
        eprintln!("read-worker: {e}");
        return 2;
    }
    let result = in_process(format, &bytes, opts);
    use std::os::fd::FromRawFd;
    let mut out = unsafe { std::fs::File::from_raw_fd(out_fd) };
    match serde_json::to_writer(&mut out, &result).and_then(|_| out.flush().map_err(serde_json::Error::io)) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("read-worker: {e}");
            2
        }
    }
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

/// Writes the file's bytes to a worker, which may be killed (at its time
/// limit) or die while they are written. The write then fails and that is
/// all: the SIGPIPE the kernel sends the writing thread is blocked in it (and
/// goes with the thread), so a command that ends quietly on a closed output
/// (its SIGPIPE at the default) is not ended by a worker's pipe.
fn write_to_worker(to: &mut impl Write, bytes: &[u8]) -> std::io::Result<()> {
    // SAFETY: changes this thread's signal mask only, with a set built here.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, libc::SIGPIPE);
        libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut());
    }
    to.write_all(bytes)
}

/// The parent's side: runs the worker with the bytes, kills it at the time
/// limit, and tells a crash from running out of memory.
fn in_worker(exe: &std::path::Path, format: Format, bytes: &[u8], opts: &ReadOptions) -> Result<Extracted, ReadError> {
    use std::os::unix::process::CommandExt;
    let mut child = Command::new(exe)
        .process_group(0)
        .arg("read-worker")
        .arg(format.as_str())
        .arg("--memory-mb")
        .arg((opts.memory_bytes / (1024 * 1024)).to_string())
        .arg("--max-text-mb")
        .arg((opts.max_text_bytes / (1024 * 1024)).max(1).to_string())
        .args(if opts.pdftotext_fallback { &[][..] } else { &["--no-pdftotext"][..] })
        .arg("--timeout-ms")
        .arg(opts.timeout.as_millis().max(1).to_string())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| ReadError::Crashed(format!("cannot start the reader {}: {e}", exe.display())))?;
    let deadline = Instant::now() + opts.timeout;
    std::thread::scope(|s| {
        let mut stdin = child.stdin.take().expect("piped");
        let mut stdout = child.stdout.take().expect("piped");
        let mut stderr = child.stderr.take().expect("piped");
        // A worker that dies early closes its end; the write error is then
        // not the story, the exit status is.
        s.spawn(move || {
            let _ = write_to_worker(&mut stdin, bytes);
        });
        let out = s.spawn(move || {
            let mut v = vec![];
            let _ = stdout.read_to_end(&mut v);
            v
        });
        let err = s.spawn(move || {
            let mut v = vec![];
            let _ = (&mut stderr).take(64 * 1024).read_to_end(&mut v);
            let _ = std::io::copy(&mut stderr, &mut std::io::sink());
            v
        });
        let status = wait_or_kill(&mut child, deadline);
        let out = out.join().unwrap_or_default();
        let err = String::from_utf8_lossy(&err.join().unwrap_or_default()).into_owned();
        let Some(status) = status else {
            return Err(ReadError::Timeout(opts.timeout.as_secs_f64()));
        };
        if status.success() {
            return serde_json::from_slice::<Result<Extracted, ReadError>>(&out)
                .unwrap_or_else(|e| Err(ReadError::Crashed(format!("unreadable answer from the reader: {e}"))));
        }
        if err.contains("memory allocation") || err.contains("capacity overflow") {
            return Err(ReadError::OutOfMemory(opts.memory_bytes / (1024 * 1024)));
        }
        use std::os::unix::process::ExitStatusExt;
        let how = match status.signal() {
            Some(sig) => format!("killed by signal {sig}"),
            None => format!("exit code {}", status.code().unwrap_or(-1)),
        };
        let last = err.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("").trim();
        Err(ReadError::Crashed(if last.is_empty() { how } else { format!("{how}: {last}") }))
    })
}

#[cfg(test)]
mod tests {
    /// A worker gone before its bytes are written: the write fails and the
    /// process goes on, with SIGPIPE at its default too (as `arkiv parse`
    /// and `arkiv index` have it, to end quietly on a closed output).
    #[test]
    fn a_worker_gone_before_its_bytes_are_written_does_not_end_the_run() {
        // SAFETY: sets the process's SIGPIPE disposition, put back below.
        let before = unsafe { libc::signal(libc::SIGPIPE, libc::SIG_DFL) };
        let mut child = std::process::Command::new("true").stdin(std::process::Stdio::piped()).spawn().unwrap();
        let mut stdin = child.stdin.take().unwrap();
        child.wait().unwrap();
        let r = std::thread::spawn(move || super::write_to_worker(&mut stdin, &vec![0u8; 1 << 20])).join().unwrap();
        unsafe { libc::signal(libc::SIGPIPE, before) };
        assert_eq!(r.unwrap_err().kind(), std::io::ErrorKind::BrokenPipe);
    }
}
