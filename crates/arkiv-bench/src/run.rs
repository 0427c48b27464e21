//! The scale benchmark.

use crate::generate::Generator;
use anyhow::{bail, Context, Result};
use arkiv_index::{query_mix, ArkivIndex, SearchRequest, Sort};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Instant;

#[derive(clap::Args)]
pub struct Args {
    /// Archive sizes in agenda items.
    #[arg(long, value_delimiter = ',', default_value = "10000,100000,1000000")]
    sizes: Vec<usize>,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Where archives, indexes and the report go.
    #[arg(long, default_value = "target/bench")]
    out: PathBuf,
    /// The arkiv binary to measure.
    #[arg(long, default_value = "target/release/arkiv")]
    arkiv: PathBuf,
    /// Rounds of the query mix.
    #[arg(long, default_value_t = 50)]
    rounds: usize,
    /// Seconds of HTTP load at 16 connections (wrk).
    #[arg(long, default_value_t = 10)]
    http_seconds: u32,
    /// Also load the items into PostgreSQL (this connection string) and run
    /// the same query mix there, e.g. "host=/var/run/postgresql user=postgres".
    #[arg(long)]
    postgres: Option<String>,
    /// Rounds of the query mix in PostgreSQL.
    #[arg(long, default_value_t = 5)]
    pg_rounds: usize,
}

#[derive(Debug, Default, Clone)]
struct Row {
    items: usize,
    files: usize,
    mb: f64,
    index_s: f64,
    index_mb_s: f64,
    index_items_s: f64,
    index_peak_mb: f64,
    index_anon_mb: f64,
    index_size_mb: f64,
    reindex_1pct_s: f64,
    search_p50_ms: f64,
    search_p95_ms: f64,
    search_p99_ms: f64,
    /// The first pass over the mix after the index is opened: every leaf
    /// matched for the first time.
    search_cold_p50_ms: f64,
    search_cold_max_ms: f64,
    /// From starting `arkiv serve` to the first search's answer.
    serve_first_s: f64,
    /// One `arkiv search` on the command line, start to end.
    cli_search_s: f64,
    http_rps: f64,
    http_p99_ms: f64,
    serve_rss_mb: f64,
    pg_load_s: f64,
    pg_size_mb: f64,
    pg_p50_ms: f64,
    pg_p95_ms: f64,
    pg_p99_ms: f64,
}

/// Waits for a child and returns its peak resident memory in MB.
fn wait_peak(child: Child) -> Result<(std::process::ExitStatus, f64)> {
    let pid = child.id() as libc::pid_t;
    let mut status: libc::c_int = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: wait4 on our own child; usage and status are valid out-pointers.
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    if r < 0 {
        bail!("wait4 failed");
    }
    std::mem::forget(child);
    use std::os::unix::process::ExitStatusExt;
    Ok((std::process::ExitStatus::from_raw(status), usage.ru_maxrss as f64 / 1024.0))
}

fn dir_size(p: &Path) -> u64 {
    let mut n = 0;
    if let Ok(rd) = std::fs::read_dir(p) {
        for e in rd.flatten() {
            let m = e.metadata().unwrap();
            n += if m.is_dir() { dir_size(&e.path()) } else { m.len() };
        }
    }
    n
}

/// A memory figure of a running process from /proc/PID/status (VmRSS now,
/// VmHWM its peak), in MB; 0 where it can't be read.
pub fn proc_status_mb(pid: u32, field: &str) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| s.lines().find(|l| l.strip_prefix(field).is_some_and(|r| r.starts_with(':'))).and_then(|l| l.split_whitespace().nth(1)).and_then(|v| v.parse::<f64>().ok()))
        .unwrap_or(0.0)
        / 1024.0
}

pub fn pct(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[((v.len() as f64 - 1.0) * p).round() as usize]
}

/// The query mix as API paths (`/api/search?...`), in its order.
pub fn mix_paths() -> Vec<String> {
    query_mix().iter().map(|r| format!("/api/search?{}", query_string(r))).collect()
}

/// A search of the mix as the API's query string.
fn query_string(r: &SearchRequest) -> String {
    let enc = |s: &str| s.bytes().map(|b| if b.is_ascii_alphanumeric() || b"-_.".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") }).collect::<String>();
    let mut q = format!("q={}&limit={}", enc(&r.q), r.limit);
    for (k, vs) in &r.filters {
        for v in vs {
            q.push_str(&format!("&{k}={}", enc(v)));
        }
    }
    for (k, d) in [("from", r.from), ("to", r.to)] {
        if let Some(d) = d {
            q.push_str(&format!("&{k}={d}"));
        }
    }
    if r.sort == Sort::Date {
        q.push_str("&sort=date");
    }
    q
}

/// One `arkiv index`: seconds, peak resident MB (the kernel's figure, which
/// counts the index files tantivy has mapped and touched), peak anonymous
/// MB (the indexer's own memory, sampled every 50 ms) and its summary.
fn index_once(arkiv: &Path, archive: &Path, index: &Path) -> Result<(f64, f64, f64, serde_json::Value)> {
    let t = Instant::now();
    let mut child = Command::new(arkiv).args(["index", "--json", "--archive"]).arg(archive).arg("--index").arg(index).stdout(Stdio::piped()).stderr(Stdio::null()).spawn()?;
    let pid = child.id();
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let sampler = {
        let done = done.clone();
        std::thread::spawn(move || {
            let mut peak: f64 = 0.0;
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                peak = peak.max(proc_status_mb(pid, "RssAnon"));
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            peak
        })
    };
    // Read the summary to its end before reaping the child: a summary larger
    // than the pipe would otherwise block it forever.
    let mut stdout = String::new();
    use std::io::Read;
    child.stdout.take().unwrap().read_to_string(&mut stdout)?;
    let (status, peak) = wait_peak(child)?;
    let secs = t.elapsed().as_secs_f64();
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    let anon = sampler.join().unwrap_or(0.0);
    if !status.success() {
        bail!("arkiv index failed: {status}");
    }
    Ok((secs, peak, anon, serde_json::from_str(&stdout).context("index summary")?))
}

/// One search over HTTP, as soon as the service answers: whether it did.
fn first_search(port: u16) -> bool {
    use std::io::Read;
    let Ok(mut c) = std::net::TcpStream::connect(("127.0.0.1", port)) else { return false };
    let req = format!("GET {} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", mix_paths()[0]);
    let mut head = [0u8; 12];
    c.write_all(req.as_bytes()).is_ok() && c.read_exact(&mut head).is_ok() && &head[9..12] == b"200"
}

/// The service under `wrk`: requests/s, p99 ms, peak RSS MB, and the
/// seconds from its start to its first search's answer.
fn http_load(arkiv: &Path, index: &Path, seconds: u32) -> Result<(f64, f64, f64, f64)> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let started = Instant::now();
    let mut server = Command::new(arkiv).args(["serve", "--index"]).arg(index).args(["--addr", &format!("127.0.0.1:{port}")]).env("RUST_LOG", "warn").stdout(Stdio::null()).stderr(Stdio::null()).spawn()?;
    let mut first = 0.0;
    for _ in 0..6000 {
        if first_search(port) {
            first = started.elapsed().as_secs_f64();
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let script = std::env::current_dir()?.join("bench/load.lua");
    // The requests: the query mix, one path a line, for the script to read.
    let paths = index.with_extension("paths");
    std::fs::write(&paths, mix_paths().iter().map(|p| format!("{p}\n")).collect::<String>())?;
    let out = Command::new("wrk").args(["-t2", "-c16", &format!("-d{seconds}s"), "-s"]).arg(&script).arg(format!("http://127.0.0.1:{port}")).arg("--").arg(&paths).output();
    let rss = proc_status_mb(server.id(), "VmHWM");
    let _ = server.kill();
    let _ = server.wait();
    let out = match out {
        Ok(o) => String::from_utf8_lossy(&o.stdout).to_string(),
        Err(_) => {
            eprintln!("wrk is not installed (apt-get install wrk): no HTTP figures");
            return Ok((0.0, 0.0, rss, first));
        }
    };
    let rps = out.lines().find(|l| l.starts_with("Requests/sec:")).and_then(|l| l.split_whitespace().nth(1)).and_then(|v| v.parse().ok()).unwrap_or(0.0);
    let p99 = out.lines().find(|l| l.starts_with("latency p99:")).and_then(|l| l.split_whitespace().nth(2)).and_then(|v| v.parse().ok()).unwrap_or(0.0);
    let errors: u64 = out.lines().find(|l| l.starts_with("non-200 responses:")).and_then(|l| l.split_whitespace().nth(2)).and_then(|v| v.parse().ok()).unwrap_or(0);
    if errors > 0 {
        eprintln!("{errors} non-200 responses under load");
    }
    Ok((rps, p99, rss, first))
}

pub fn run(a: Args) -> Result<()> {
    if !a.arkiv.exists() {
        bail!("{} not found: run cargo build --release first", a.arkiv.display());
    }
    std::fs::create_dir_all(&a.out)?;
    let cfg = arkiv_ingest::Config::embedded();
    let mut rows = vec![];
    for &n in &a.sizes {
        let archive = a.out.join(format!("archive-{n}"));
        let marker = archive.join(".complete");
        if !marker.exists() {
            let _ = std::fs::remove_dir_all(&archive);
            let t = Instant::now();
            let (files, bytes) = Generator::new(a.seed, &cfg).write_archive(&archive, n)?;
            std::fs::write(&marker, format!("{files} {bytes}"))?;
            eprintln!("generated {n} items in {files} files ({:.0} MB) in {:.0} s", bytes as f64 / 1e6, t.elapsed().as_secs_f64());
        }
        let (files, bytes): (usize, usize) = {
            let s = std::fs::read_to_string(&marker)?;
            let mut it = s.split_whitespace().map(|x| x.parse().unwrap_or(0));
            (it.next().unwrap_or(0), it.next().unwrap_or(0))
        };
        let index = a.out.join(format!("index-{n}"));
        let _ = std::fs::remove_dir_all(&index);
        let (secs, peak, anon, summary) = index_once(&a.arkiv, &archive, &index)?;
        let items = summary["items_total"].as_u64().unwrap_or(0) as usize;
        let mut row = Row {
            items,
            files,
            mb: bytes as f64 / 1e6,
            index_s: secs,
            index_mb_s: bytes as f64 / 1e6 / secs,
            index_items_s: items as f64 / secs,
            index_peak_mb: peak,
            index_anon_mb: anon,
            index_size_mb: dir_size(&index) as f64 / 1e6,
            ..Default::default()
        };
        eprintln!("{n}: indexed {items} items in {secs:.1} s ({:.1} MB/s), peak {peak:.0} MB resident, {anon:.0} MB anonymous", row.index_mb_s);
        // 1% of the files changed: one line appended to each, and on disk
        // before the run is timed (files change before a re-index, not
        // under it: the kernel writing this benchmark's edits back is not
        // the indexer's time).
        let mut all = vec![];
        collect_txt(&archive, &mut all);
        all.sort();
        for p in all.iter().step_by(100) {
            let mut f = std::fs::OpenOptions::new().append(true).open(p)?;
            writeln!(f, "Tilføjet ved genindeksering.")?;
            f.sync_all()?;
        }
        let (resecs, _, _, _) = index_once(&a.arkiv, &archive, &index)?;
        row.reindex_1pct_s = resecs;
        // Search latency in-process, with all facets.
        {
            let idx = ArkivIndex::open(&index)?;
            let mix = query_mix();
            let mut cold = vec![];
            for r in &mix {
                let t = Instant::now();
                idx.search(r)?;
                cold.push(t.elapsed().as_secs_f64() * 1e3);
            }
            row.search_cold_p50_ms = pct(&mut cold, 0.5);
            row.search_cold_max_ms = pct(&mut cold, 1.0);
            let mut lat = vec![];
            for _ in 0..a.rounds {
                for r in &mix {
                    let t = Instant::now();
                    std::hint::black_box(idx.search(r)?);
                    lat.push(t.elapsed().as_secs_f64() * 1e3);
                }
            }
            row.search_p50_ms = pct(&mut lat, 0.5);
            row.search_p95_ms = pct(&mut lat, 0.95);
            row.search_p99_ms = pct(&mut lat, 0.99);
        }
        if let Some(conn) = &a.postgres {
            let pg = crate::pg::measure(conn, &archive, &query_mix(), a.pg_rounds)?;
            row.pg_load_s = pg.load_s;
            row.pg_size_mb = pg.size_mb;
            row.pg_p50_ms = pg.p50_ms;
            row.pg_p95_ms = pg.p95_ms;
            row.pg_p99_ms = pg.p99_ms;
        }
        let t = Instant::now();
        let status = Command::new(&a.arkiv).args(["search", "--limit", "20", "--index"]).arg(&index).arg("rygestop").stdout(Stdio::null()).status()?;
        if !status.success() {
            bail!("arkiv search failed: {status}");
        }
        row.cli_search_s = t.elapsed().as_secs_f64();
        let (rps, p99, rss, first) = http_load(&a.arkiv, &index, a.http_seconds)?;
        row.serve_first_s = first;
        row.http_rps = rps;
        row.http_p99_ms = p99;
        row.serve_rss_mb = rss;
        eprintln!("{row:?}");
        rows.push(row);
        write_report(&a.out, &rows)?;
    }
    Ok(())
}

/// Each query of the mix on its own: hits, median and worst time.
pub fn per_query(index: &Path, rounds: usize, only: Option<&str>) -> Result<()> {
    let idx = ArkivIndex::open(index)?;
    let mut all = vec![];
    for r in query_mix().into_iter().filter(|r| only.is_none_or(|o| r.q.contains(o))) {
        let mut lat = vec![];
        let mut total = 0;
        for _ in 0..rounds.max(1) + 1 {
            let t = Instant::now();
            total = std::hint::black_box(idx.search(&r)?).total;
            lat.push(t.elapsed().as_secs_f64() * 1e3);
        }
        // The first run matches every leaf for the first time (cold); the
        // rounds after it find them kept.
        let cold = lat.remove(0);
        all.extend(lat.iter().copied());
        let filters = r.filters.values().map(Vec::len).sum::<usize>() + r.from.is_some() as usize;
        let label = format!("{:?} sort={:?} filters={filters}", r.q, r.sort);
        println!("{label:<60} {total:>8} hits  first {cold:>8.2} ms  p50 {:>8.2} ms  max {:>8.2} ms", pct(&mut lat, 0.5), pct(&mut lat, 1.0));
    }
    println!("all: p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms", pct(&mut all, 0.5), pct(&mut all, 0.95), pct(&mut all, 0.99));
    Ok(())
}

pub fn collect_txt(d: &Path, out: &mut Vec<PathBuf>) {
    if let Ok(rd) = std::fs::read_dir(d) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                collect_txt(&p, out);
            } else if p.extension().is_some_and(|x| x == "txt") {
                out.push(p);
            }
        }
    }
}

fn write_report(out: &Path, rows: &[Row]) -> Result<()> {
    let mut csv = String::from("items,files,text_mb,index_s,index_mb_s,index_items_s,index_peak_mb,index_anon_mb,index_size_mb,reindex_1pct_s,search_p50_ms,search_p95_ms,search_p99_ms,search_cold_p50_ms,search_cold_max_ms,serve_first_s,cli_search_s,http_rps,http_p99_ms,serve_rss_mb,pg_load_s,pg_size_mb,pg_p50_ms,pg_p95_ms,pg_p99_ms,ratio_p50,ratio_p99\n");
    for r in rows {
        let ratio = |a: f64, b: f64| if b > 0.0 { format!("{:.3}", a / b) } else { String::new() };
        csv.push_str(&format!(
            "{},{},{:.1},{:.2},{:.2},{:.0},{:.0},{:.0},{:.1},{:.2},{:.3},{:.3},{:.3},{:.3},{:.3},{:.2},{:.2},{:.0},{:.2},{:.0},{:.2},{:.1},{:.3},{:.3},{:.3},{},{}\n",
            r.items, r.files, r.mb, r.index_s, r.index_mb_s, r.index_items_s, r.index_peak_mb, r.index_anon_mb, r.index_size_mb, r.reindex_1pct_s, r.search_p50_ms, r.search_p95_ms, r.search_p99_ms,
            r.search_cold_p50_ms, r.search_cold_max_ms, r.serve_first_s, r.cli_search_s, r.http_rps, r.http_p99_ms, r.serve_rss_mb,
            r.pg_load_s, r.pg_size_mb, r.pg_p50_ms, r.pg_p95_ms, r.pg_p99_ms, ratio(r.search_p50_ms, r.pg_p50_ms), ratio(r.search_p99_ms, r.pg_p99_ms)
        ));
    }
    std::fs::write(out.join("report.csv"), &csv)?;
    print!("{csv}");
    chart(&out.join("report.svg"), rows)?;
    Ok(())
}

fn chart(path: &Path, rows: &[Row]) -> Result<()> {
    use plotters::prelude::*;
    let root = SVGBackend::new(path, (900, 560)).into_drawing_area();
    root.fill(&WHITE)?;
    let xs: Vec<f64> = rows.iter().map(|r| r.items as f64).collect();
    let (xmin, xmax) = (xs.iter().cloned().fold(f64::MAX, f64::min) / 2.0, xs.iter().cloned().fold(0.0, f64::max) * 2.0);
    let series: [(&str, Box<dyn Fn(&Row) -> f64>, RGBColor); 5] = [
        ("full index, s", Box::new(|r: &Row| r.index_s), RGBColor(11, 92, 171)),
        ("re-index 1%, s", Box::new(|r: &Row| r.reindex_1pct_s), RGBColor(63, 143, 73)),
        ("search p50, ms", Box::new(|r: &Row| r.search_p50_ms), RGBColor(200, 120, 0)),
        ("search p99, ms", Box::new(|r: &Row| r.search_p99_ms), RGBColor(180, 30, 30)),
        ("PostgreSQL search p99, ms", Box::new(|r: &Row| r.pg_p99_ms), RGBColor(120, 120, 120)),
    ];
    let ymax = rows.iter().flat_map(|r| series.iter().map(move |s| (s.1)(r))).fold(1.0, f64::max) * 2.0;
    let mut c = ChartBuilder::on(&root)
        .caption("arkiv: cost against archive size (log-log)", ("sans-serif", 22))
        .margin(20)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d((xmin..xmax).log_scale(), (0.01..ymax).log_scale())?;
    c.configure_mesh().x_desc("agenda items").y_desc("seconds / milliseconds").draw()?;
    for (name, f, color) in series.iter() {
        if rows.iter().all(|r| f(r) <= 0.0) {
            continue;
        }
        let pts: Vec<(f64, f64)> = rows.iter().map(|r| (r.items as f64, f(r).max(0.011))).collect();
        let color = *color;
        c.draw_series(LineSeries::new(pts.clone(), color.stroke_width(2)))?.label(*name).legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2)));
        c.draw_series(pts.into_iter().map(|p| Circle::new(p, 4, color.filled())))?;
    }
    c.configure_series_labels().background_style(WHITE.mix(0.8)).border_style(BLACK).position(SeriesLabelPosition::UpperLeft).draw()?;
    root.present()?;
    Ok(())
}
