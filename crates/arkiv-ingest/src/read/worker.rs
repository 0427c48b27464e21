//! The worker processes that read PDF and Word files, kept from file to file.
//!
//! A worker is `arkiv read-worker` (the binary itself) under an address-space
//! limit. It reads one request at a time from its standard input, a line
//! `FORMAT LENGTH` and the file's bytes, and answers each on its standard
//! output with a line `LENGTH` and the reader's result as JSON. Each thread
//! that reads files keeps its own worker: starting a process costs more than
//! reading most meeting documents.
//!
//! A file that runs past the time limit has its worker killed, with the
//! worker's process group (a `pdftotext` it started goes too); the next file
//! starts a new worker. A worker that dies on a file (out of memory, a crash)
//! is reported as such; where it had read other files before, the file is
//! first read again by a fresh worker, so what a file gives never depends on
//! the files read before it. A worker is replaced after [`FILES_PER_WORKER`]
//! files.

use super::{wait_or_kill, Extracted, ReadError, ReadOptions};
use crate::formats::Format;
use std::cell::RefCell;
use std::io::{BufRead, Read, Write};
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Files one worker reads before a new one takes over.
const FILES_PER_WORKER: u32 = 1000;

/// What is kept of a worker's standard error: the end, where a crash says why.
const STDERR_TAIL: usize = 64 * 1024;

thread_local! {
    static WORKER: RefCell<Option<Worker>> = const { RefCell::new(None) };
}

/// Reads one file in this thread's worker (started, or replaced, as needed).
pub(super) fn read(exe: &Path, format: Format, bytes: &[u8], opts: &ReadOptions) -> Result<Extracted, ReadError> {
    WORKER.with(|slot| {
        let mut slot = slot.borrow_mut();
        loop {
            if !slot.as_ref().is_some_and(|w| w.serves(exe, opts)) {
                *slot = None;
            }
            let worker = match slot.as_mut() {
                Some(w) => w,
                None => slot.insert(Worker::start(exe, opts)?),
            };
            let fresh = worker.files == 0;
            match worker.read(format, bytes, opts) {
                Ok(answer) => return answer,
                Err(gone) => {
                    *slot = None;
                    // A file that stopped a fresh worker, or ran out of
                    // time, is what the report says; any other is read
                    // again by a fresh one.
                    if fresh || matches!(gone, ReadError::Timeout(_)) {
                        return Err(gone);
                    }
                }
            }
        }
    })
}

/// One worker process, with the thread that keeps the end of its standard error.
struct Worker {
    exe: PathBuf,
    opts: ReadOptions,
    child: Child,
    stdin: ChildStdin,
    stdout: ChildStdout,
    stderr_tail: Arc<Mutex<Vec<u8>>>,
    drain: Option<std::thread::JoinHandle<()>>,
    /// Files handed to it so far.
    files: u32,
}

/// How reading an answer from a worker ended, where it gave none.
enum NoAnswer {
    Timeout,
    /// Its output closed: it died.
    Closed,
    Garbled(String),
}

impl Worker {
    fn start(exe: &Path, opts: &ReadOptions) -> Result<Worker, ReadError> {
        use std::os::unix::process::CommandExt;
        let mut child = Command::new(exe)
            .process_group(0)
            .arg("read-worker")
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
        let stdin = child.stdin.take().expect("piped");
        let stdout = child.stdout.take().expect("piped");
        let mut stderr = child.stderr.take().expect("piped");
        let stderr_tail = Arc::new(Mutex::new(Vec::new()));
        let tail = stderr_tail.clone();
        let drain = std::thread::Builder::new().name("arkiv-read-worker-stderr".into()).spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n @ 1..) = stderr.read(&mut buf) {
                let mut t = tail.lock().unwrap_or_else(|e| e.into_inner());
                t.extend_from_slice(&buf[..n]);
                if t.len() > STDERR_TAIL {
                    let cut = t.len() - STDERR_TAIL;
                    t.drain(..cut);
                }
            }
        });
        let mut w = Worker { exe: exe.to_path_buf(), opts: opts.clone(), child, stdin, stdout, stderr_tail, drain: None, files: 0 };
        match drain {
            Ok(h) => w.drain = Some(h),
            Err(e) => return Err(ReadError::Crashed(format!("cannot watch the reader: {e}"))),
        }
        Ok(w)
    }

    /// Whether this worker reads with these bounds, and has files left.
    fn serves(&self, exe: &Path, opts: &ReadOptions) -> bool {
        self.exe == exe && self.opts == *opts && self.files < FILES_PER_WORKER
    }

    /// The reader's answer for one file; Err where the worker is gone with
    /// it (killed at the time limit, out of memory, crashed), and must not
    /// be used again.
    fn read(&mut self, format: Format, bytes: &[u8], opts: &ReadOptions) -> Result<Result<Extracted, ReadError>, ReadError> {
        let deadline = Instant::now() + opts.timeout;
        self.files += 1;
        self.stderr_tail.lock().unwrap_or_else(|e| e.into_inner()).clear();
        let pid = self.child.id() as i32;
        let (stdin, stdout) = (&mut self.stdin, &mut self.stdout);
        let got = std::thread::scope(|s| {
            // A worker that dies while the bytes are written closes its end;
            // the write error is then not the story, its exit status is.
            let writer = s.spawn(move || write_request(stdin, format, bytes));
            let got = read_answer(stdout, deadline);
            if got.is_err() {
                // Stopped at once, so that the writer is not left waiting.
                kill_group(pid);
            }
            let _ = writer.join();
            got
        });
        match got {
            Ok(json) => match serde_json::from_slice::<Result<Extracted, ReadError>>(&json) {
                Ok(answer) => Ok(answer),
                Err(e) => Err(ReadError::Crashed(format!("unreadable answer from the reader: {e}"))),
            },
            Err(NoAnswer::Timeout) => Err(ReadError::Timeout(opts.timeout.as_secs_f64())),
            Err(NoAnswer::Garbled(what)) => Err(ReadError::Crashed(format!("unreadable answer from the reader: {what}"))),
            Err(NoAnswer::Closed) => {
                let Some(status) = wait_or_kill(&mut self.child, deadline) else {
                    return Err(ReadError::Timeout(opts.timeout.as_secs_f64()));
                };
                if let Some(h) = self.drain.take() {
                    let _ = h.join();
                }
                let err = String::from_utf8_lossy(&self.stderr_tail.lock().unwrap_or_else(|e| e.into_inner())).into_owned();
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
            }
        }
    }
}

impl Drop for Worker {
    /// A worker between files holds nothing: it is stopped and reaped.
    fn drop(&mut self) {
        kill_group(self.child.id() as i32);
        let _ = self.child.wait();
        if let Some(h) = self.drain.take() {
            let _ = h.join();
        }
    }
}

/// SIGKILL to a worker and its process group (a `pdftotext` it runs).
fn kill_group(pid: i32) {
    // SAFETY: signals to a process group and a process of our own; one
    // that is gone makes these a no-op (ESRCH).
    unsafe {
        libc::kill(-pid, libc::SIGKILL);
        libc::kill(pid, libc::SIGKILL);
    }
}

/// Writes one request to a worker, which may be killed (at its time limit)
/// or die while it is written. The write then fails and that is all: the
/// SIGPIPE the kernel sends the writing thread is blocked in it (and goes
/// with the thread), so a command that ends quietly on a closed output (its
/// SIGPIPE at the default) is not ended by a worker's pipe.
fn write_request(to: &mut impl Write, format: Format, bytes: &[u8]) -> std::io::Result<()> {
    block_sigpipe();
    writeln!(to, "{} {}", format.as_str(), bytes.len())?;
    to.write_all(bytes)?;
    to.flush()
}

fn block_sigpipe() {
    // SAFETY: changes this thread's signal mask only, with a set built here.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, libc::SIGPIPE);
        libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut());
    }
}

/// Reads one answer (`LENGTH\n` and that many bytes) by the deadline.
fn read_answer(out: &mut ChildStdout, deadline: Instant) -> Result<Vec<u8>, NoAnswer> {
    let mut buf: Vec<u8> = Vec::new();
    let mut frame: Option<(usize, usize)> = None;
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        if frame.is_none() {
            if let Some(nl) = memchr::memchr(b'\n', &buf) {
                let len = std::str::from_utf8(&buf[..nl]).ok().and_then(|s| s.trim().parse::<usize>().ok());
                match len {
                    Some(len) => frame = Some((nl + 1, nl + 1 + len)),
                    None => return Err(NoAnswer::Garbled(format!("{:?}", String::from_utf8_lossy(&buf[..nl.min(80)])))),
                }
            } else if buf.len() > 64 {
                return Err(NoAnswer::Garbled("no length line".into()));
            }
        }
        if let Some((start, end)) = frame {
            if buf.len() >= end {
                buf.truncate(end);
                buf.drain(..start);
                return Ok(buf);
            }
        }
        if !wait_readable(out.as_raw_fd(), deadline) {
            return Err(NoAnswer::Timeout);
        }
        match out.read(&mut chunk) {
            Ok(0) => return Err(NoAnswer::Closed),
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return Err(NoAnswer::Closed),
        }
    }
}

/// Waits until `fd` can be read (or is closed); false at the deadline.
fn wait_readable(fd: i32, deadline: Instant) -> bool {
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return false;
        }
        let mut p = libc::pollfd { fd, events: libc::POLLIN, revents: 0 };
        let ms = left.max(Duration::from_millis(1)).as_millis().min(i32::MAX as u128) as i32;
        // SAFETY: one pollfd, owned here, for the length given.
        let r = unsafe { libc::poll(&mut p, 1, ms) };
        if r > 0 {
            return true;
        }
        if r < 0 && std::io::Error::last_os_error().kind() != std::io::ErrorKind::Interrupted {
            // The read that follows reports what is wrong.
            return true;
        }
    }
}

/// The worker's side: under an address-space limit, reads requests from
/// standard input until it closes and answers each on standard output.
/// Returns the exit code.
pub fn worker_main(opts: &ReadOptions) -> i32 {
    // What the reader libraries print must not mix with the answers: keep
    // the real standard output for them, and send everything else to stderr.
    let out_fd = unsafe { libc::dup(1) };
    if out_fd < 0 || unsafe { libc::dup2(2, 1) } < 0 {
        eprintln!("read-worker: cannot set up output");
        return 2;
    }
    let limit = libc::rlimit { rlim_cur: opts.memory_bytes as libc::rlim_t, rlim_max: opts.memory_bytes as libc::rlim_t };
    unsafe { libc::setrlimit(libc::RLIMIT_AS, &limit) };
    std::panic::set_hook(Box::new(|_| {}));
    use std::os::fd::FromRawFd;
    // SAFETY: out_fd is the duplicate made above, owned by nothing else.
    let mut out = std::io::BufWriter::new(unsafe { std::fs::File::from_raw_fd(out_fd) });
    let mut input = std::io::BufReader::new(std::io::stdin().lock());
    let mut header = String::new();
    loop {
        header.clear();
        match input.read_line(&mut header) {
            Ok(0) => return 0,
            Ok(_) => {}
            Err(e) => {
                eprintln!("read-worker: {e}");
                return 2;
            }
        }
        let request = header.trim_end().split_once(' ').and_then(|(f, n)| Some((Format::of_extension(f)?, n.parse::<usize>().ok()?)));
        let Some((format, len)) = request else {
            eprintln!("read-worker: not a request: {:?}", header.trim_end());
            return 2;
        };
        let mut bytes = vec![0u8; len];
        if let Err(e) = input.read_exact(&mut bytes) {
            eprintln!("read-worker: {e}");
            return 2;
        }
        let result = super::in_process(format, &bytes, opts);
        drop(bytes);
        let answer = serde_json::to_vec(&result).map_err(std::io::Error::other);
        let sent = answer.and_then(|json| {
            writeln!(out, "{}", json.len())?;
            out.write_all(&json)?;
            out.flush()
        });
        if let Err(e) = sent {
            eprintln!("read-worker: {e}");
            return 2;
        }
    }
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
        let r = std::thread::spawn(move || super::write_request(&mut stdin, crate::formats::Format::Pdf, &vec![0u8; 1 << 20])).join().unwrap();
        unsafe { libc::signal(libc::SIGPIPE, before) };
        assert_eq!(r.unwrap_err().kind(), std::io::ErrorKind::BrokenPipe);
    }
}
