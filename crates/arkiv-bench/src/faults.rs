//! Load with faults: mixed searches (the benchmark's query mix) at many
//! connections against `arkiv serve`, while the archive is changed (files
//! added, changed, removed) and re-indexed twice by `arkiv index` into the
//! index the service reads. Prints requests, failures, p50/p99, when each
//! commit became visible to searches, and the service's memory at the start
//! and the end.
//!
//! cargo build --release --workspace && target/release/arkiv-bench faults --items 20000 --seconds 300

use crate::generate::Generator;
use crate::run::{collect_txt, mix_paths, pct, proc_status_mb};
use anyhow::{bail, Context, Result};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(clap::Args)]
pub struct Args {
    /// Items in the generated archive.
    #[arg(long, default_value_t = 20000)]
    items: usize,
    /// Seconds of load; the archive is re-indexed at a third and two thirds.
    #[arg(long, default_value_t = 300)]
    seconds: u64,
    #[arg(long, default_value_t = 32)]
    connections: usize,
    #[arg(long, default_value = "target/bench/faults")]
    out: PathBuf,
    #[arg(long, default_value = "target/release/arkiv")]
    arkiv: PathBuf,
}

/// A keep-alive HTTP/1.1 connection: GET, and the status and body.
struct Conn {
    port: u16,
    stream: Option<BufReader<TcpStream>>,
}

impl Conn {
    fn get(&mut self, target: &str) -> std::io::Result<(u16, Vec<u8>)> {
        if self.stream.is_none() {
            let s = TcpStream::connect(("127.0.0.1", self.port))?;
            s.set_read_timeout(Some(Duration::from_secs(30)))?;
            s.set_nodelay(true)?;
            self.stream = Some(BufReader::new(s));
        }
        let r = self.stream.as_mut().unwrap();
        let res = (|| {
            write!(r.get_mut(), "GET {target} HTTP/1.1\r\nHost: localhost\r\n\r\n")?;
            let mut line = String::new();
            r.read_line(&mut line)?;
            let status: u16 = line.split_whitespace().nth(1).and_then(|s| s.parse().ok()).ok_or_else(|| std::io::Error::other(format!("bad status line {line:?}")))?;
            let mut len = 0usize;
            loop {
                line.clear();
                r.read_line(&mut line)?;
                if line == "\r\n" || line.is_empty() {
                    break;
                }
                if let Some((k, v)) = line.split_once(':') {
                    if k.eq_ignore_ascii_case("content-length") {
                        len = v.trim().parse().unwrap_or(0);
                    }
                }
            }
            let mut body = vec![0; len];
            r.read_exact(&mut body)?;
            Ok((status, body))
        })();
        if res.is_err() {
            self.stream = None;
        }
        res
    }
}

fn total(conn: &mut Conn, q: &str) -> Option<u64> {
    let (st, body) = conn.get(&format!("/api/search?q={q}&limit=1")).ok()?;
    if st != 200 {
        return None;
    }
    serde_json::from_slice::<serde_json::Value>(&body).ok()?["total"].as_u64()
}

/// Adds 1% new documents (each with a word of this round, at meetings of
/// their own: a month of the round's, so they are not joined with another
/// round's), changes 1% and removes 0.5% of the files.
fn change_archive(archive: &Path, round: usize) -> Result<(usize, usize, usize)> {
    let mut all = vec![];
    collect_txt(archive, &mut all);
    all.sort();
    let n = all.len();
    let add = (n / 100).max(1);
    let dir = archive.join(format!("tilfoejet-{round}"));
    std::fs::create_dir_all(&dir)?;
    for k in 0..add {
        std::fs::write(
            dir.join(format!("{k:05}.txt")),
            format!(
                "Mødetid: d. {}. {} {}\nMøde i Sundhedsstyregruppen\n1. Runde{round}markør nummer {k}\nBeslutning:\nGodkendt\n",
                1 + k % 28,
                ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober", "november", "december"][round % 12],
                2030 + k / 28
            ),
        )?;
    }
    let mut changed = 0;
    for p in all.iter().skip(7).step_by(100) {
        let mut f = std::fs::OpenOptions::new().append(true).open(p)?;
        writeln!(f, "Tilføjet under belastning.")?;
        changed += 1;
    }
    let mut removed = 0;
    for p in all.iter().skip(3).step_by(200) {
        std::fs::remove_file(p)?;
        removed += 1;
    }
    Ok((add, changed, removed))
}

pub fn run(a: Args) -> Result<()> {
    if !a.arkiv.exists() {
        bail!("{} not found: run cargo build --release --workspace first", a.arkiv.display());
    }
    let cfg = arkiv_ingest::Config::embedded();
    let archive = a.out.join("archive");
    let index = a.out.join("index");
    let _ = std::fs::remove_dir_all(&a.out);
    Generator::new(1, &cfg).write_archive(&archive, a.items)?;
    let index_run = || -> Result<serde_json::Value> {
        let out = Command::new(&a.arkiv).args(["index", "--json", "--archive"]).arg(&archive).arg("--index").arg(&index).stderr(Stdio::null()).output()?;
        if !out.status.success() {
            bail!("arkiv index failed");
        }
        serde_json::from_slice(&out.stdout).context("index summary")
    };
    let first = index_run()?;
    eprintln!("indexed {} items", first["items_total"]);
    let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let mut server = Command::new(&a.arkiv).args(["serve", "--index"]).arg(&index).args(["--addr", &format!("127.0.0.1:{port}")]).env("RUST_LOG", "warn").stdout(Stdio::null()).stderr(Stdio::null()).spawn()?;
    let mut probe = Conn { port, stream: None };
    let up = Instant::now();
    while total(&mut probe, "rygestop").is_none() {
        if up.elapsed() > Duration::from_secs(60) {
            let _ = server.kill();
            bail!("the service did not start");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let targets: Arc<Vec<String>> = Arc::new(mix_paths());
    let stop = Arc::new(AtomicBool::new(false));
    let start = Instant::now();
    let workers: Vec<_> = (0..a.connections)
        .map(|w| {
            let (targets, stop) = (targets.clone(), stop.clone());
            std::thread::spawn(move || {
                let mut conn = Conn { port, stream: None };
                let (mut lat, mut failures, mut first_failures) = (vec![], 0u64, vec![]);
                let mut k = w;
                while !stop.load(Ordering::Relaxed) {
                    let t = Instant::now();
                    match conn.get(&targets[k % targets.len()]) {
                        Ok((200, _)) => lat.push(t.elapsed().as_secs_f64() * 1e3),
                        other => {
                            failures += 1;
                            if first_failures.len() < 3 {
                                first_failures.push(format!("{}: {:?}", targets[k % targets.len()], other.map(|(s, b)| (s, String::from_utf8_lossy(&b).chars().take(200).collect::<String>()))));
                            }
                        }
                    }
                    k += 1;
                }
                (lat, failures, first_failures)
            })
        })
        .collect();
    // Memory once every query of the mix has run many times over.
    std::thread::sleep(Duration::from_secs(a.seconds / 6));
    let rss_start = proc_status_mb(server.id(), "VmRSS");
    eprintln!("service memory once settled: {rss_start:.0} MB");
    for round in 1..=2 {
        let at = start + Duration::from_secs(a.seconds * round as u64 / 3);
        std::thread::sleep(at.saturating_duration_since(Instant::now()));
        eprintln!("service memory before re-index {round}: {:.0} MB", proc_status_mb(server.id(), "VmRSS"));
        let (add, changed, removed) = change_archive(&archive, round)?;
        let t = Instant::now();
        let s = index_run()?;
        let indexed = t.elapsed().as_secs_f64();
        let word = format!("runde{round}markør");
        let t = Instant::now();
        let mut seen = None;
        while t.elapsed() < Duration::from_secs(60) {
            if total(&mut probe, &word) == Some(add as u64) {
                seen = Some(t.elapsed().as_secs_f64());
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        eprintln!(
            "re-index {round}: {add} added, {changed} changed, {removed} removed; {} items; indexed in {indexed:.1} s; visible to searches {} after the run ended",
            s["items_total"],
            seen.map(|s| format!("{:.2} s", s)).unwrap_or_else(|| "NOT within 60 s".into())
        );
    }
    std::thread::sleep((start + Duration::from_secs(a.seconds)).saturating_duration_since(Instant::now()));
    let rss_end = proc_status_mb(server.id(), "VmRSS");
    stop.store(true, Ordering::Relaxed);
    let (mut lat, mut failures, mut examples) = (vec![], 0, vec![]);
    for w in workers {
        let (l, f, e) = w.join().expect("a load thread");
        lat.extend(l);
        failures += f;
        examples.extend(e);
    }
    let _ = server.kill();
    let _ = server.wait();
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{} requests in {secs:.0} s at {} connections ({:.0}/s), {failures} failed; p50 {:.1} ms, p99 {:.1} ms; service memory {rss_start:.0} MB at the start, {rss_end:.0} MB at the end ({:+.1}%)",
        lat.len() as u64 + failures,
        a.connections,
        (lat.len() as f64 + failures as f64) / secs,
        pct(&mut lat, 0.5),
        pct(&mut lat, 0.99),
        (rss_end / rss_start - 1.0) * 100.0
    );
    for e in examples.iter().take(5) {
        println!("failed: {e}");
    }
    Ok(())
}
