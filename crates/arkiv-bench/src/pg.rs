//! The same items and the same query mix in PostgreSQL full-text search
//! (the `danish` configuration, a GIN index, ts_rank_cd, one GROUP BY per
//! facet): what a team would pick instead of arkiv.

use anyhow::{Context, Result};
use arkiv_index::{SearchRequest, Sort};
use postgres::{Client, NoTls};
use std::io::Write;
use std::path::Path;
use std::time::Instant;

pub struct PgFigures {
    pub load_s: f64,
    pub size_mb: f64,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
}

fn esc(s: &str) -> String {
    s.replace('\\', "\\\\").replace('\t', " ").replace('\n', " ").replace('\r', " ")
}

fn array(v: &[String]) -> String {
    let inner: Vec<String> = v.iter().map(|s| format!("\"{}\"", s.replace('\\', "").replace('"', ""))).collect();
    esc(&format!("{{{}}}", inner.join(",")))
}

/// Loads the archive's items (parsed by arkiv, so both engines see the same
/// items) and builds the indexes.
pub fn load(conn: &str, archive: &Path) -> Result<(Client, f64, f64)> {
    let mut c = Client::connect(conn, NoTls).with_context(|| format!("connecting to PostgreSQL ({conn})"))?;
    c.batch_execute(
        "DROP TABLE IF EXISTS items;
         CREATE TABLE items (id text, title text, body text, grp text, kind text, date date, year int, municipalities text[], topics text[]);",
    )?;
    let parsed = arkiv_ingest::parse_paths(&[archive.to_path_buf()], &arkiv_ingest::Config::embedded());
    let t = Instant::now();
    {
        let mut w = c.copy_in("COPY items FROM STDIN")?;
        let mut buf = String::new();
        for f in &parsed.files {
            for m in &f.meetings {
                for it in &m.items {
                    buf.clear();
                    buf.push_str(&format!(
                        "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
                        esc(&format!("{}-{}", f.relpath, it.id)),
                        esc(&it.title),
                        esc(&it.body()),
                        m.head.group.as_deref().map(esc).unwrap_or_else(|| "\\N".into()),
                        m.head.kind.map(|k| k.as_str().to_string()).unwrap_or_else(|| "\\N".into()),
                        m.head.date.map(|d| d.to_string()).unwrap_or_else(|| "\\N".into()),
                        m.head.date.map(|d| d.format("%Y").to_string()).unwrap_or_else(|| "\\N".into()),
                        array(&it.municipalities),
                        array(&it.topics),
                    ));
                    w.write_all(buf.as_bytes())?;
                }
            }
        }
        w.finish()?;
    }
    c.batch_execute(
        "ALTER TABLE items ADD COLUMN tsv tsvector GENERATED ALWAYS AS (setweight(to_tsvector('danish', coalesce(title,'')), 'A') || setweight(to_tsvector('danish', coalesce(body,'')), 'B')) STORED;
         CREATE INDEX items_tsv ON items USING gin (tsv);
         CREATE INDEX items_grp ON items (grp);
         CREATE INDEX items_date ON items (date);
         CREATE INDEX items_munis ON items USING gin (municipalities);
         CREATE INDEX items_topics ON items USING gin (topics);
         ANALYZE items;",
    )?;
    let load_s = t.elapsed().as_secs_f64();
    let size: i64 = c.query_one("SELECT pg_total_relation_size('items')", &[])?.get(0);
    Ok((c, load_s, size as f64 / 1e6))
}

/// One search as PostgreSQL does it: the hits, the total, and a count per
/// facet (each facet without its own filter, as arkiv counts them).
fn search(c: &mut Client, r: &SearchRequest) -> Result<()> {
    let mut conds: Vec<(&str, String)> = vec![];
    let q = r.q.trim();
    if !q.is_empty() {
        conds.push(("text", format!("tsv @@ websearch_to_tsquery('danish', {})", lit(q))));
    }
    let any = |col: &str, vals: &[String]| format!("{col} = ANY(ARRAY[{}]::text[])", vals.iter().map(|v| lit(v)).collect::<Vec<_>>().join(","));
    let overlap = |col: &str, vals: &[String]| format!("{col} && ARRAY[{}]::text[]", vals.iter().map(|v| lit(v)).collect::<Vec<_>>().join(","));
    // The table's column for each of arkiv's facets.
    for (name, vals) in r.filters.iter().filter(|(_, v)| !v.is_empty()) {
        let cond = match name.as_str() {
            "group" => any("grp", vals),
            "kind" => any("kind", vals),
            "municipality" => overlap("municipalities", vals),
            "topic" => overlap("topics", vals),
            other => anyhow::bail!("the PostgreSQL table has no column for the facet {other}"),
        };
        conds.push((name.as_str(), cond));
    }
    let wher = |except: &str| {
        let v: Vec<&str> = conds.iter().filter(|(k, _)| *k != except).map(|(_, c)| c.as_str()).collect();
        if v.is_empty() {
            "TRUE".to_string()
        } else {
            v.join(" AND ")
        }
    };
    let order = if r.sort == Sort::Date || q.is_empty() {
        "date DESC NULLS LAST".to_string()
    } else {
        format!("ts_rank_cd(tsv, websearch_to_tsquery('danish', {})) DESC", lit(q))
    };
    c.query(&format!("SELECT id, title FROM items WHERE {} ORDER BY {order} LIMIT {}", wher(""), r.limit), &[])?;
    c.query(&format!("SELECT count(*) FROM items WHERE {}", wher("")), &[])?;
    c.query(&format!("SELECT grp, count(*) FROM items WHERE {} GROUP BY grp", wher("group")), &[])?;
    c.query(&format!("SELECT kind, count(*) FROM items WHERE {} GROUP BY kind", wher("kind")), &[])?;
    c.query(&format!("SELECT year, count(*) FROM items WHERE {} GROUP BY year", wher("year")), &[])?;
    c.query(&format!("SELECT m, count(*) FROM items, unnest(municipalities) m WHERE {} GROUP BY m", wher("municipality")), &[])?;
    c.query(&format!("SELECT t, count(*) FROM items, unnest(topics) t WHERE {} GROUP BY t", wher("topic")), &[])?;
    Ok(())
}

fn lit(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

pub fn measure(conn: &str, archive: &Path, mix: &[SearchRequest], rounds: usize) -> Result<PgFigures> {
    let (mut c, load_s, size_mb) = load(conn, archive)?;
    for r in mix {
        search(&mut c, r)?;
    }
    let mut lat = vec![];
    for _ in 0..rounds {
        for r in mix {
            let t = Instant::now();
            search(&mut c, r)?;
            lat.push(t.elapsed().as_secs_f64() * 1e3);
        }
    }
    let p = |lat: &mut Vec<f64>, q: f64| crate::run::pct(lat, q);
    Ok(PgFigures { load_s, size_mb, p50_ms: p(&mut lat, 0.5), p95_ms: p(&mut lat, 0.95), p99_ms: p(&mut lat, 0.99) })
}
