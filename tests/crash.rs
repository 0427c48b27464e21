//! Crash tests: `arkiv index` killed with SIGKILL at random moments while
//! the archive grows and changes, and `arkiv serve` killed while it indexes
//! at start. After every kill the index opens and answers; after a last
//! run to the end it holds exactly the archive's items, none lost, none
//! twice, with the same ids and titles as a fresh index of the same archive.
//!
//! ARKIV_CRASH_KILLS sets the kills of `arkiv index` (default 5, what CI
//! runs; RELIABILITY.md gives the long run), ARKIV_CRASH_SEED the moments.

mod support;

use arkiv_index::{ArkivIndex, SearchRequest};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use support::{arkiv, search_total};

/// Every item of an index: id -> (group, title). Read group by group
/// (a search serves at most 1000 hits).
fn items_of(ix: &Path) -> BTreeMap<String, (String, String)> {
    let index = ArkivIndex::open(ix).unwrap_or_else(|e| panic!("the index at {} does not open: {e}", ix.display()));
    let groups = index.facets().unwrap().get("group").to_vec();
    let mut all = BTreeMap::new();
    let mut total = 0;
    for g in groups {
        let mut offset = 0;
        loop {
            let req = SearchRequest { limit: 100, offset, ..SearchRequest::default() }.filtered("group", [g.value.clone()]);
            let r = index.search(&req).unwrap();
            for h in &r.hits {
                let prev = all.insert(h.item.id.clone(), (g.value.clone(), h.item.title.clone()));
                assert!(prev.is_none(), "the item {} ({}) is in the index twice", h.item.id, h.item.title);
            }
            total += r.hits.len();
            offset += r.hits.len();
            if r.hits.is_empty() || offset >= r.total {
                break;
            }
        }
    }
    assert_eq!(total as u64, index.num_items(), "every item is in one group's results");
    all
}

/// The index answers a search (the first thing a user would do after a crash).
fn answers(ix: &Path) {
    search_total(ix, "rygestop");
}

/// A small deterministic generator for the kill moments.
struct Moments(u64);
impl Moments {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % below.max(1)
    }
}

fn kill_after(mut child: std::process::Child, after: Duration) -> bool {
    let deadline = Instant::now() + after;
    while Instant::now() < deadline {
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    let alive = child.try_wait().unwrap().is_none();
    // SIGKILL: nothing of the process's own runs after it.
    let _ = child.kill();
    let _ = child.wait();
    alive
}

/// Changes the archive between runs: adds a copy of the sample archive,
/// and now and then edits or removes a file of an earlier copy.
fn grow(archive: &Path, k: usize, m: &mut Moments) {
    support::sample_copy(&archive.join(format!("kopi-{k:03}")));
    if k >= 2 {
        let victim = archive.join(format!("kopi-{:03}", m.next(k as u64 - 1))).join("chefforum");
        if let Some(f) = std::fs::read_dir(&victim).ok().and_then(|mut d| d.next()).and_then(|e| e.ok()).map(|e| e.path()) {
            match m.next(3) {
                0 => {
                    let _ = std::fs::remove_file(&f);
                }
                1 => {
                    let mut t = std::fs::read_to_string(&f).unwrap_or_default();
                    t.push_str("\nTilføjet efter mødet.\n");
                    let _ = std::fs::write(&f, t);
                }
                _ => {}
            }
        }
    }
}

#[test]
fn indexing_killed_at_random_moments_loses_nothing() {
    let kills: usize = std::env::var("ARKIV_CRASH_KILLS").ok().and_then(|s| s.parse().ok()).unwrap_or(5);
    let seed: u64 = std::env::var("ARKIV_CRASH_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(20261201);
    eprintln!("crash test: {kills} kills, seed {seed}");
    let mut m = Moments(seed);
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("archive");
    support::copy_dir(&support::sample(), &archive);
    let cfg = support::config_for_copies(dir.path());
    let ix = dir.path().join("ix");
    let index = |ix: &Path| {
        let mut c = arkiv();
        c.args(["index", "--archive"]).arg(&archive).arg("--index").arg(ix).arg("--config").arg(&cfg).stdout(Stdio::null()).stderr(Stdio::null());
        c
    };
    // How long an update (one copy more) takes here sets the window the
    // kills fall in: each killed run is such an update.
    assert!(index(&ix).status().unwrap().success());
    grow(&archive, 0, &mut m);
    let t = Instant::now();
    assert!(index(&ix).status().unwrap().success());
    let window = (t.elapsed().as_millis() as u64).max(50);
    let mut killed = 0;
    for k in 1..=kills {
        grow(&archive, k, &mut m);
        let at = Duration::from_millis(m.next(window));
        if kill_after(index(&ix).spawn().unwrap(), at) {
            killed += 1;
        }
        answers(&ix);
    }
    eprintln!("crash test: {killed} of {kills} runs were killed while they ran (window {window} ms)");
    // A kill that comes after its run ended tests nothing; the moments are
    // random within one run's time, so some come late, but not all.
    assert!(killed >= 1, "no kill landed while a run was running ({kills} tried)");
    // A last run to the end, and a fresh index of the same archive.
    assert!(index(&ix).status().unwrap().success());
    let fresh = dir.path().join("fresh");
    assert!(index(&fresh).status().unwrap().success());
    let after = items_of(&ix);
    let expected = items_of(&fresh);
    let lost: Vec<_> = expected.iter().filter(|(id, _)| !after.contains_key(*id)).take(5).collect();
    let extra: Vec<_> = after.iter().filter(|(id, _)| !expected.contains_key(*id)).take(5).collect();
    assert!(lost.is_empty() && extra.is_empty(), "lost {lost:?}, extra {extra:?}");
    assert_eq!(after, expected, "the same items with the same ids, groups and titles as a fresh index");
    assert!(expected.len() >= 50 * (kills + 1), "the archive's copies are all indexed ({})", expected.len());
}

#[test]
fn serve_killed_while_it_indexes_at_start_loses_nothing() {
    let kills: usize = std::env::var("ARKIV_CRASH_KILLS").ok().and_then(|s| s.parse::<usize>().ok()).map(|k| (k / 4).max(3)).unwrap_or(3);
    let mut m = Moments(7);
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("archive");
    support::copy_dir(&support::sample(), &archive);
    let cfg = support::config_for_copies(dir.path());
    for k in 0..8 {
        support::sample_copy(&archive.join(format!("kopi-{k:03}")));
    }
    let ix = dir.path().join("ix");
    let serve = || {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        arkiv()
            .args(["serve", "--archive"])
            .arg(&archive)
            .arg("--index")
            .arg(&ix)
            .arg("--config")
            .arg(&cfg)
            .args(["--addr", &format!("127.0.0.1:{port}")])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };
    let t = Instant::now();
    let index = || arkiv().args(["index", "--archive"]).arg(&archive).arg("--index").arg(dir.path().join("fresh")).arg("--config").arg(&cfg).stdout(Stdio::null()).status().unwrap();
    assert!(index().success());
    let window = (t.elapsed().as_millis() as u64).max(200);
    for k in 0..kills {
        support::sample_copy(&archive.join(format!("kopi-{:03}", 100 + k)));
        kill_after(serve(), Duration::from_millis(m.next(window)));
        if ix.join("meta.json").exists() {
            answers(&ix);
        }
    }
    assert!(index().success());
    let out = arkiv().args(["index", "--archive"]).arg(&archive).arg("--index").arg(&ix).arg("--config").arg(&cfg).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(items_of(&ix), items_of(&dir.path().join("fresh")));
}
