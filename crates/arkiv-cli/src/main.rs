//! The `arkiv` binary: glue between the crates.

use anyhow::{Context, Result};
use arkiv_ingest::{Config, FileParse};
use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// Indexing allocates and frees many small strings on every core; glibc's
/// allocator spent a fifth of an indexing run on its arenas' locks and
/// consolidation, mimalloc's thread-local heaps do not.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "arkiv", version, about = "Search the archives of Danish cross-sector health meetings")]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Parse documents into meetings and agenda items and print them.
    Parse {
        /// Print one JSON object instead of an outline.
        #[arg(long)]
        json: bool,
        /// Also print each file's text as read, page by page (PDF pages are
        /// numbered), to see why an item was cut where it was.
        #[arg(long)]
        text: bool,
        /// Instead of the outline, say why each file parses as it does:
        /// each meeting, item and section with the cue that made it, each
        /// line that looked like an item and why it is not one, and where
        /// each meeting's group, date and kind came from.
        #[arg(long, conflicts_with = "json")]
        explain: bool,
        /// Folder with groups.toml, municipalities.toml, topics.toml (default: the built-in configuration).
        #[arg(long)]
        config: Option<PathBuf>,
        /// Files or folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[command(flatten)]
        read: ReadArgs,
    },
    /// Build or update the search index of an archive.
    Index {
        /// The archive folder.
        #[arg(long)]
        archive: PathBuf,
        /// The index folder (created if missing).
        #[arg(long)]
        index: PathBuf,
        /// Folder with groups.toml, municipalities.toml, topics.toml, synonyms.toml (default: built in).
        #[arg(long)]
        config: Option<PathBuf>,
        /// Print the summary as JSON.
        #[arg(long)]
        json: bool,
        /// Wait for another run writing the same index to finish, instead of refusing.
        #[arg(long)]
        wait: bool,
        #[command(flatten)]
        read: ReadArgs,
    },
    /// Search an index.
    Search(SearchArgs),
    /// Serve search over HTTP: pages, JSON API, feeds. With no arguments it
    /// serves arkiv's own sample archive, indexing it on first start.
    Serve {
        /// The archive to index and serve (default: the built-in sample archive).
        #[arg(long)]
        archive: Option<PathBuf>,
        /// The index folder (default: under ARKIV_DATA, or ~/.local/share/arkiv).
        #[arg(long)]
        index: Option<PathBuf>,
        /// Folder with groups.toml, municipalities.toml, topics.toml, synonyms.toml (default: built in).
        #[arg(long)]
        config: Option<PathBuf>,
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: String,
        /// An origin allowed to call the API from a browser (repeatable; also ARKIV_CORS_ORIGINS, comma-separated). None by default.
        #[arg(long = "cors-origin")]
        cors_origins: Vec<String>,
        /// Seconds a client has to send a request's head before its connection is closed.
        #[arg(long, default_value_t = 10.0)]
        header_timeout: f64,
        /// Connections served at once; more wait until one ends.
        #[arg(long, default_value_t = 512)]
        max_connections: usize,
        #[command(flatten)]
        read: ReadArgs,
    },
    /// Reads PDF and Word files handed to it on standard input, one at a
    /// time, and writes the text of each as JSON: the worker process `arkiv`
    /// reads such files in, so that a file that crashes or stalls the reader
    /// cannot take the run down (arkiv-ingest's `read::worker`).
    #[command(hide = true)]
    ReadWorker {
        #[arg(long)]
        memory_mb: u64,
        #[arg(long)]
        max_text_mb: usize,
        #[arg(long)]
        timeout_ms: u64,
        #[arg(long)]
        no_pdftotext: bool,
    },
}

/// The bounds on reading one PDF or Word file (each runs in a worker
/// process; a file that passes a bound is reported and skipped).
#[derive(clap::Args, Clone)]
struct ReadArgs {
    /// Seconds one file may take to read.
    #[arg(long, default_value_t = 60.0)]
    read_timeout: f64,
    /// Megabytes of memory the reader of one file may use.
    #[arg(long, default_value_t = 1024)]
    read_memory_mb: u64,
    /// Do not try poppler's pdftotext where the built-in PDF reader fails.
    #[arg(long)]
    no_pdftotext: bool,
    /// Do not read .doc and .rtf files with LibreOffice or antiword.
    #[arg(long)]
    no_convert: bool,
    /// Do not read PDF pages without text with Tesseract (OCR).
    #[arg(long)]
    no_ocr: bool,
}

static SAMPLE_ARCHIVE: include_dir::Dir<'_> = include_dir::include_dir!("$CARGO_MANIFEST_DIR/sample");

/// Where arkiv keeps what it makes: ARKIV_DATA, else the XDG data folder.
fn data_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("ARKIV_DATA") {
        return PathBuf::from(d);
    }
    if let Some(d) = std::env::var_os("XDG_DATA_HOME") {
        return PathBuf::from(d).join("arkiv");
    }
    if let Some(h) = std::env::var_os("HOME") {
        return PathBuf::from(h).join(".local/share/arkiv");
    }
    PathBuf::from(".arkiv-data")
}

/// Writes the built-in sample archive to `dir` (files that already hold the
/// same bytes are left alone, so the index sees them unchanged).
fn extract_sample(dir: &std::path::Path) -> Result<()> {
    fn walk(d: &include_dir::Dir<'_>, root: &std::path::Path) -> Result<()> {
        for f in d.files() {
            let p = root.join(f.path());
            if std::fs::read(&p).ok().as_deref() != Some(f.contents()) {
                std::fs::create_dir_all(p.parent().unwrap())?;
                std::fs::write(&p, f.contents()).with_context(|| format!("writing {}", p.display()))?;
            }
        }
        for sub in d.dirs() {
            walk(sub, root)?;
        }
        Ok(())
    }
    walk(&SAMPLE_ARCHIVE, dir)
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down");
}

fn serve(archive: Option<PathBuf>, index: Option<PathBuf>, config: Option<PathBuf>, addr: String, mut cors: Vec<String>, limits: arkiv_server::Limits, read: &ReadArgs) -> Result<()> {
    let cfg = load_config(config.as_ref(), read)?;
    let data = data_dir();
    let (archive, index) = match (archive, index) {
        (None, None) => {
            let a = data.join("sample-archive");
            extract_sample(&a)?;
            (Some(a), data.join("sample-index"))
        }
        (Some(a), None) => {
            let abs = std::fs::canonicalize(&a).with_context(|| format!("the archive {}", a.display()))?;
            let key = blake3::hash(abs.to_string_lossy().as_bytes()).to_hex()[..12].to_string();
            (Some(abs), data.join("indexes").join(key))
        }
        (a, Some(i)) => (a, i),
    };
    if let Some(a) = &archive {
        let syn = synonyms_text(config.as_ref())?;
        tracing::info!(archive = %a.display(), index = %index.display(), "indexing");
        let s = arkiv_index::index_archive(a, &index, &cfg, &syn)?;
        tracing::info!(added = s.added, changed = s.changed, unchanged = s.unchanged, removed = s.removed, items = s.items_total, seconds = s.seconds, "index ready");
        for d in &s.skipped {
            tracing::warn!(path = %d.path, "skipped: {}", d.message);
        }
    }
    let idx = std::sync::Arc::new(arkiv_index::ArkivIndex::open(&index)?);
    if let Ok(env) = std::env::var("ARKIV_CORS_ORIGINS") {
        cors.extend(env.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()));
    }
    let mut state = arkiv_server::AppState::new(idx);
    state.cors_origins = cors;
    state.topic_names = cfg.topics.iter().map(|t| (t.slug.clone(), t.name.clone())).collect();
    if let Some(dir) = &config {
        state.site = arkiv_server::site::Site::load(dir).map_err(anyhow::Error::msg).context("reading site.toml")?;
    }
    let app = arkiv_server::app(std::sync::Arc::new(state));
    // Searches run on the blocking pool. More of them at once than a few per
    // core only wait on each other, and each thread may grow a malloc arena
    // of its own: bound the pool (the others queue).
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().max_blocking_threads(4 * cores).build()?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(&addr).await.with_context(|| format!("listening on {addr}"))?;
        tracing::info!("serving on http://{}", listener.local_addr()?);
        arkiv_server::serve(listener, app, limits, shutdown_signal()).await?;
        Ok(())
    })
}

#[derive(clap::Args)]
struct SearchArgs {
    #[arg(long)]
    index: PathBuf,
    /// Print the JSON the HTTP API serves.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    facets: FacetArgs,
    /// First meeting date, YYYY-MM-DD.
    #[arg(long)]
    from: Option<String>,
    /// Last meeting date, YYYY-MM-DD.
    #[arg(long)]
    to: Option<String>,
    #[arg(long, value_enum, default_value = "relevance")]
    sort: SortArg,
    /// Turn off the gentle preference for newer meetings.
    #[arg(long)]
    no_recency: bool,
    #[arg(long, default_value_t = 10)]
    limit: usize,
    #[arg(long, default_value_t = 0)]
    offset: usize,
    /// The query; empty lists everything that passes the filters.
    #[arg(default_value = "")]
    query: Vec<String>,
}

/// An option `--NAME VALUE` for each facet filtered by its values (see
/// `arkiv_index::FACETS`); repeated, several values of one facet mean OR.
#[derive(Default)]
struct FacetArgs {
    filters: std::collections::BTreeMap<String, Vec<String>>,
}

impl clap::FromArgMatches for FacetArgs {
    fn from_arg_matches(m: &clap::ArgMatches) -> Result<Self, clap::Error> {
        let mut a = FacetArgs::default();
        a.update_from_arg_matches(m)?;
        Ok(a)
    }

    fn update_from_arg_matches(&mut self, m: &clap::ArgMatches) -> Result<(), clap::Error> {
        for f in arkiv_index::facet::value_filters() {
            if let Some(vs) = m.get_many::<String>(f.name) {
                self.filters.entry(f.name.to_string()).or_default().extend(vs.cloned());
            }
        }
        Ok(())
    }
}

impl clap::Args for FacetArgs {
    fn augment_args(cmd: clap::Command) -> clap::Command {
        arkiv_index::facet::value_filters().fold(cmd, |cmd, f| cmd.arg(clap::Arg::new(f.name).long(f.name).value_name("VALUE").action(clap::ArgAction::Append).help(f.about)))
    }

    fn augment_args_for_update(cmd: clap::Command) -> clap::Command {
        Self::augment_args(cmd)
    }
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum SortArg {
    Relevance,
    Date,
}

fn parse_date(s: &Option<String>, what: &str) -> Result<Option<chrono::NaiveDate>> {
    match s {
        None => Ok(None),
        Some(s) => chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").map(Some).map_err(|_| anyhow::anyhow!("--{what} '{s}' is not a date: give YYYY-MM-DD")),
    }
}

fn synonyms_text(dir: Option<&PathBuf>) -> Result<String> {
    match dir {
        Some(d) => {
            let p = d.join("synonyms.toml");
            if p.exists() {
                std::fs::read_to_string(&p).with_context(|| format!("reading {}", p.display()))
            } else {
                Ok(arkiv_ingest::EMBEDDED_SYNONYMS.to_string())
            }
        }
        None => Ok(arkiv_ingest::EMBEDDED_SYNONYMS.to_string()),
    }
}

fn print_summary(s: &arkiv_index::IndexSummary) {
    println!(
        "indexed {} items from {} new and {} changed files; {} unchanged files skipped; {} removed; {} items in the index ({:.2} s, {:.1} MB parsed){}",
        s.items_indexed,
        s.added,
        s.changed,
        s.unchanged,
        s.removed,
        s.items_total,
        s.seconds,
        s.bytes_parsed as f64 / 1e6,
        if s.rebuilt { "; index built from scratch" } else { "" }
    );
    if !s.formats.is_empty() {
        println!("read: {}", s.formats.iter().map(|(f, n)| format!("{n} {f}")).collect::<Vec<_>>().join(", "));
    }
    let fallback: Vec<_> = s.diagnostics.iter().filter(|d| d.code == "read.fallback").collect();
    if !fallback.is_empty() {
        println!("{} PDF file{} read with pdftotext where the built-in reader failed:", fallback.len(), if fallback.len() == 1 { "" } else { "s" });
        for d in fallback {
            println!("  {}: {}", d.path, d.message);
        }
    }
    for d in &s.skipped {
        println!("skipped {}: {}", d.path, d.message);
    }
    let notes = s.diagnostics.len();
    if notes > 0 {
        println!("{notes} parser notes (arkiv parse shows them per file)");
    }
}

/// A text with the query's matches in [brackets], for a terminal.
fn emphasised(h: &arkiv_index::Highlighted) -> String {
    h.pieces().into_iter().map(|(piece, marked)| if marked { format!("[{piece}]") } else { piece.to_string() }).collect()
}

fn print_results(r: &arkiv_index::SearchResponse) {
    println!("{} results for {:?}", r.total, r.query);
    for (i, h) in r.hits.iter().enumerate() {
        println!(
            "{:>3}. {} [{} | {} | {}] {:.2}\n     {}  id {}\n     {}",
            i + 1,
            emphasised(&h.title()),
            h.item.group.as_deref().unwrap_or("?"),
            h.item.date.map_or("?".to_string(), |d| d.to_string()),
            h.item.kind.map_or("?", |k| k.as_str()),
            h.score,
            h.item.documents.iter().map(|d| format!("{}:{}", d.source.path, d.source.line)).collect::<Vec<_>>().join(" + "),
            h.item.id,
            emphasised(&h.snippet)
        );
    }
    let show = |name: &str, v: &[arkiv_index::FacetCount]| {
        if !v.is_empty() {
            println!("{name}: {}", v.iter().map(|c| format!("{} ({})", c.value, c.count)).collect::<Vec<_>>().join(", "));
        }
    };
    println!();
    for (f, counts) in r.facets.iter() {
        show(f.name, counts);
    }
}

fn load_config(dir: Option<&PathBuf>, read: &ReadArgs) -> Result<Config> {
    let mut cfg = match dir {
        Some(d) => Config::load(d).with_context(|| format!("reading the configuration in {}", d.display()))?,
        None => Config::embedded(),
    };
    if !(read.read_timeout > 0.0 && read.read_timeout.is_finite()) {
        anyhow::bail!("--read-timeout must be a positive number of seconds");
    }
    // PDF and Word files are read in worker processes: this binary again.
    cfg.read.worker = std::env::current_exe().ok();
    cfg.read.timeout = std::time::Duration::from_secs_f64(read.read_timeout);
    cfg.read.memory_bytes = read.read_memory_mb.saturating_mul(1024 * 1024);
    cfg.read.pdftotext_fallback = !read.no_pdftotext;
    cfg.read.convert = !read.no_convert;
    cfg.read.ocr = !read.no_ocr;
    Ok(cfg)
}

/// The text of each file as its reader gives it, page by page.
fn print_text(paths: &[PathBuf], cfg: &Config) {
    for p in paths {
        let (files, _) = arkiv_ingest::walk_archive(p);
        for f in files {
            println!("== {}", f.path.display());
            let text = match arkiv_ingest::read_document(&f).map_err(|d| d.message).and_then(|b| arkiv_ingest::read_text(&f.relpath, &b, cfg).map_err(|e| e.to_string())) {
                Ok(d) => d,
                Err(e) => {
                    println!("   (not read: {e})");
                    continue;
                }
            };
            for (k, page) in text.text.split('\x0c').enumerate() {
                if text.pages.is_some() {
                    println!("-- page {}", k + 1);
                }
                println!("{}", page.trim_end());
            }
        }
    }
}

fn outline(f: &FileParse) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let pages = f.pages.map(|n| format!(", {n} page{}", if n == 1 { "" } else { "s" })).unwrap_or_default();
    let _ = writeln!(s, "{} ({}, {} bytes{pages})", f.path, if f.encoding.is_empty() { "unread" } else { &f.encoding }, f.bytes);
    for m in &f.meetings {
        let _ = writeln!(
            s,
            "  meeting {} | {} | {} | {}  [line {}]",
            m.head.id,
            m.head.group.as_deref().unwrap_or("(group unknown)"),
            m.head.date.map_or("(date unknown)".to_string(), |d| d.to_string()),
            m.head.kind.map(|k| k.as_str()).unwrap_or("(kind unknown)"),
            m.head.line
        );
        for it in &m.items {
            let pages = match (it.page, it.page_end) {
                (Some(a), Some(b)) if a != b => format!(", pages {a}-{b}"),
                (Some(a), _) => format!(", page {a}"),
                _ => String::new(),
            };
            let _ = writeln!(s, "    {:>2}. {}  [line {}{pages}, id {}]", it.number, it.title, it.line, it.id);
            let _ = writeln!(s, "        sections: {}", it.section_order.join(", "));
            if !it.municipalities.is_empty() {
                let _ = writeln!(s, "        municipalities: {}", it.municipalities.join(", "));
            }
            if !it.regions.is_empty() {
                let _ = writeln!(s, "        regions: {}", it.regions.join(", "));
            }
            if !it.topics.is_empty() {
                let _ = writeln!(s, "        topics: {}", it.topics.join(", "));
            }
        }
    }
    for d in &f.diagnostics {
        let _ = writeln!(s, "  {}{}: {}: {}", d.path, d.line.map(|l| format!(":{l}")).unwrap_or_default(), d.code, d.message);
    }
    s
}

fn main() -> Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,tantivy=warn".into()))
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let cli = Cli::parse();
    if matches!(cli.cmd, Cmd::Parse { .. } | Cmd::Search(_) | Cmd::Index { .. }) {
        // Output piped into `head` ends quietly when the reader goes, like
        // any Unix tool, rather than with a panic about a broken pipe. (Not
        // for the service: a client that hangs up must not stop it.)
        unsafe {
            libc::signal(libc::SIGPIPE, libc::SIG_DFL);
        }
    }
    match cli.cmd {
        Cmd::ReadWorker { memory_mb, max_text_mb, timeout_ms, no_pdftotext } => {
            let opts = arkiv_ingest::read::ReadOptions {
                worker: None,
                timeout: std::time::Duration::from_millis(timeout_ms),
                memory_bytes: memory_mb * 1024 * 1024,
                max_text_bytes: max_text_mb * 1024 * 1024,
                pdftotext_fallback: !no_pdftotext,
                ..Default::default()
            };
            std::process::exit(arkiv_ingest::read::worker_main(&opts));
        }
        Cmd::Parse { json, text, explain, config, paths, read } => {
            let cfg = load_config(config.as_ref(), &read)?;
            if text {
                print_text(&paths, &cfg);
            }
            if explain {
                for p in &paths {
                    let (files, _) = arkiv_ingest::walk_archive(p);
                    for f in files {
                        match arkiv_ingest::read_document(&f) {
                            Ok(bytes) => print!("{}", arkiv_ingest::explain(&f.path.to_string_lossy(), &f.relpath, &bytes, &cfg)),
                            Err(d) => println!("== {}\n  not read: {}", f.relpath, d.message),
                        }
                    }
                }
                return Ok(());
            }
            let out = arkiv_ingest::parse_paths(&paths, &cfg);
            if json {
                println!("{}", serde_json::to_string_pretty(&out)?);
            } else {
                for f in &out.files {
                    print!("{}", outline(f));
                }
            }
        }
        Cmd::Index { archive, index, config, json, wait, read } => {
            let cfg = load_config(config.as_ref(), &read)?;
            let syn = synonyms_text(config.as_ref())?;
            let summary = if wait { arkiv_index::index_archive_waiting(&archive, &index, &cfg, &syn)? } else { arkiv_index::index_archive(&archive, &index, &cfg, &syn)? };
            if json {
                println!("{}", serde_json::to_string_pretty(&summary)?);
            } else {
                print_summary(&summary);
            }
        }
        Cmd::Serve { archive, index, config, addr, cors_origins, header_timeout, max_connections, read } => {
            if !(header_timeout.is_finite() && header_timeout > 0.0) {
                anyhow::bail!("--header-timeout must be a positive number of seconds");
            }
            if max_connections == 0 {
                anyhow::bail!("--max-connections must be at least 1");
            }
            let limits = arkiv_server::Limits { header_timeout: std::time::Duration::from_secs_f64(header_timeout), max_connections, ..Default::default() };
            serve(archive, index, config, addr, cors_origins, limits, &read)?
        }
        Cmd::Search(a) => {
            let idx = arkiv_index::ArkivIndex::open(&a.index)?;
            let req = arkiv_index::SearchRequest {
                q: a.query.join(" "),
                filters: a.facets.filters,
                from: parse_date(&a.from, "from")?,
                to: parse_date(&a.to, "to")?,
                sort: match a.sort {
                    SortArg::Relevance => arkiv_index::Sort::Relevance,
                    SortArg::Date => arkiv_index::Sort::Date,
                },
                limit: a.limit,
                offset: a.offset,
                recency: !a.no_recency,
            };
            let r = idx.search(&req)?;
            if a.json {
                println!("{}", serde_json::to_string_pretty(&r)?);
            } else {
                print_results(&r);
            }
        }
    }
    Ok(())
}
