//! The `arkiv` binary: glue between the crates.

use anyhow::{Context, Result};
use arkiv_ingest::{Config, FileParse};
use clap::{Parser, Subcommand};
use std::path::PathBuf;

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
        /// Folder with groups.toml, municipalities.toml, topics.toml (default: the built-in configuration).
        #[arg(long)]
        config: Option<PathBuf>,
        /// Files or folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
}

fn load_config(dir: Option<&PathBuf>) -> Result<Config> {
    match dir {
        Some(d) => Config::load(d).with_context(|| format!("reading the configuration in {}", d.display())),
        None => Ok(Config::embedded()),
    }
}

fn outline(f: &FileParse) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let _ = writeln!(s, "{} ({}, {} bytes)", f.path, if f.encoding.is_empty() { "unread" } else { &f.encoding }, f.bytes);
    for m in &f.meetings {
        let _ = writeln!(
            s,
            "  meeting {} | {} | {} | {}  [line {}]",
            m.id,
            m.group.as_deref().unwrap_or("(group unknown)"),
            m.date.as_deref().unwrap_or("(date unknown)"),
            m.kind.map(|k| k.as_str()).unwrap_or("(kind unknown)"),
            m.line
        );
        for it in &m.items {
            let _ = writeln!(s, "    {:>2}. {}  [line {}, id {}]", it.number, it.title, it.line, it.id);
            let _ = writeln!(s, "        sections: {}", it.section_order.join(", "));
            if !it.municipalities.is_empty() {
                let _ = writeln!(s, "        municipalities: {}", it.municipalities.join(", "));
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
    let cli = Cli::parse();
    match cli.cmd {
        Cmd::Parse { json, config, paths } => {
            let cfg = load_config(config.as_ref())?;
            let out = arkiv_ingest::parse_paths(&paths, &cfg);
            if json {
                println!("{}", serde_json::to_string_pretty(&out)?);
            } else {
                for f in &out.files {
                    print!("{}", outline(f));
                }
            }
        }
    }
    Ok(())
}
