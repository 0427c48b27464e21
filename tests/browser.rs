//! The pages in a real headless Chromium (Debian's chromium and
//! chromedriver; .ci/run installs them): search, click a facet, open an
//! item, follow its meeting link, and check what is on screen; axe-core
//! over every kind of page at two widths, and the keyboard path to the
//! results. Screenshots of every page at 1280 and 390 px go to
//! target/screenshots/.

mod support;

use arkiv_index::{index_archive, ArkivIndex};
use arkiv_ingest::{Config, EMBEDDED_SYNONYMS};
use fantoccini::{ClientBuilder, Locator};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

fn which(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|p| std::env::split_paths(&p).map(|d| d.join(name)).find(|p| p.exists()))
}

struct Driver(std::process::Child);
impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// What a browser test holds: the service's address, the browser, and what
/// must live as long as they do.
struct Session {
    base: String,
    c: fantoccini::Client,
    minutes_id: String,
    /// The rygestop item's id (joined from its agenda and minutes).
    joined_id: String,
    _driver: Driver,
    _dirs: (tempfile::TempDir, tempfile::TempDir),
}

/// The sample archive (with a document whose text carries HTML and script)
/// served on a port of its own, and a headless Chromium driven through
/// chromedriver. None where they are not installed (a failure under CI).
async fn session(test: &str) -> Option<Session> {
    let (Some(driver), Some(chromium)) = (which("chromedriver"), which("chromium")) else {
        if std::env::var_os("CI").is_some() {
            panic!("chromium and chromedriver are missing; .ci/run installs them");
        }
        eprintln!("SKIPPED {test}: chromium/chromedriver not installed (apt-get install chromium chromium-driver); nothing was checked");
        return None;
    };
    // The service, on a port of its own.
    let dir = tempfile::tempdir().unwrap();
    let ix = dir.path().join("index");
    // The sample archive, and a document whose text carries HTML and script.
    let archive = dir.path().join("archive");
    support::copy_dir(&support::sample(), &archive);
    std::fs::write(
        archive.join("ukendt/injektion.txt"),
        "Mødetid: Mandag d. 3. januar 2022\nMøde i Sundhedsstyregruppen\n1. Alarm <script>window.__injected=1</script>\nBeslutning:\nTeksten <img src=x onerror=\"window.__injected=2\"> om alarm.\n",
    )
    .unwrap();
    index_archive(&archive, &ix, &Config::embedded(), EMBEDDED_SYNONYMS).unwrap();
    let idx = ArkivIndex::open(&ix).unwrap();
    // The rygestop item of Horsensklyngen's agenda and minutes: the id its minutes gave it.
    let joined = idx.search(&arkiv_index::SearchRequest { q: "rygestop".into(), limit: 1, ..Default::default() }.filtered("group", ["Klyngestyregruppen Horsensklyngen"])).unwrap().hits.remove(0);
    let minutes_id = joined.item.documents[1].id.clone();
    let mut state = arkiv_server::AppState::new(Arc::new(idx));
    state.topic_names = Config::embedded().topics.iter().map(|t| (t.slug.clone(), t.name.clone())).collect();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, arkiv_server::app(Arc::new(state))).await.unwrap() });

    let port = free_port();
    let _driver = Driver(std::process::Command::new(driver).arg(format!("--port={port}")).stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null()).spawn().unwrap());
    for _ in 0..100 {
        if support::listening(port) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let profile = tempfile::tempdir().unwrap();
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": chromium,
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage",
                     "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1280,1100",
                     format!("--user-data-dir={}", profile.path().display())]
        }),
    );
    let c = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("chromedriver session");
    Some(Session { base, c, minutes_id, joined_id: joined.item.id.clone(), _driver, _dirs: (dir, profile) })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_facet_item_meeting_in_chromium() {
    let Some(Session { base, c, minutes_id, joined_id, _driver, _dirs }) = session("search_facet_item_meeting_in_chromium").await else { return };
    let shots = support::root().join("target/screenshots");
    std::fs::create_dir_all(&shots).unwrap();

    // Search.
    c.goto(&format!("{base}/")).await.unwrap();
    assert_eq!(c.find(Locator::Css("h1")).await.unwrap().text().await.unwrap(), "Søg i mødearkivet");
    c.find(Locator::Id("q")).await.unwrap().send_keys("rygestop").await.unwrap();
    c.find(Locator::Css("form.search button[type=submit]")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("ol.results li")).await.unwrap();
    let url = c.current_url().await.unwrap();
    assert!(url.as_str().contains("q=rygestop"), "the search is its URL: {url}");
    let first = c.find(Locator::Css("ol.results li h3")).await.unwrap().text().await.unwrap();
    assert!(first.to_lowercase().contains("rygestop"), "{first}");
    let status = c.find(Locator::Css("p[role=status]")).await.unwrap().text().await.unwrap();
    assert!(status.contains("resultater"), "{status}");
    std::fs::write(shots.join("search.png"), c.screenshot().await.unwrap()).unwrap();

    // Click a facet: the first group.
    let facet = c.find(Locator::Css("aside.facets section:first-of-type li a")).await.unwrap();
    let facet_text = facet.text().await.unwrap();
    facet.click().await.unwrap();
    c.wait().for_element(Locator::Css("p.active-filters")).await.unwrap();
    assert!(c.current_url().await.unwrap().as_str().contains("group="));
    let active = c.find(Locator::Css("p.active-filters")).await.unwrap().text().await.unwrap();
    assert!(active.contains(facet_text.trim()), "{active} / {facet_text}");
    let metas = c.find_all(Locator::Css("ol.results .meta")).await.unwrap();
    assert!(!metas.is_empty());
    for m in metas {
        assert!(m.text().await.unwrap().starts_with(facet_text.trim()), "every result is in the chosen group");
    }

    // Open an item.
    let title = c.find(Locator::Css("ol.results li h3 a")).await.unwrap().text().await.unwrap();
    c.find(Locator::Css("ol.results li h3 a")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("section.beslutning, section.part")).await.unwrap();
    let h1 = c.find(Locator::Css("h1")).await.unwrap().text().await.unwrap();
    assert!(h1.contains(&title), "{h1} / {title}");
    assert!(c.current_url().await.unwrap().path().starts_with("/items/"));
    std::fs::write(shots.join("item.png"), c.screenshot().await.unwrap()).unwrap();

    // Follow the meeting link.
    c.find(Locator::XPath("//nav[contains(@class,'neighbours')]//a[starts-with(normalize-space(.), 'Hele mødet')]")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("ol.items")).await.unwrap();
    assert!(c.current_url().await.unwrap().path().starts_with("/meetings/"));
    let items = c.find(Locator::Css("ol.items")).await.unwrap().text().await.unwrap();
    assert!(items.contains(&title), "the meeting lists the item: {items}");
    std::fs::write(shots.join("meeting.png"), c.screenshot().await.unwrap()).unwrap();

    // An item from a PDF links to the original, opened at the item's page.
    c.goto(&format!("{base}/?q=v%C3%A6rkt%C3%B8jskasse")).await.unwrap();
    c.find(Locator::Css("ol.results li h3 a")).await.unwrap().click().await.unwrap();
    let link = c.wait().for_element(Locator::Css("a.original")).await.unwrap();
    assert!(link.text().await.unwrap().contains("Åbn originalen (PDF, side 1–2)"));
    let href = link.attr("href").await.unwrap().unwrap();
    assert!(href.starts_with("/files/") && href.ends_with("#page=1"), "{href}");
    link.click().await.unwrap();
    let mut shown = String::new();
    for _ in 0..50 {
        shown = c.execute("return document.contentType", vec![]).await.unwrap().as_str().unwrap_or("").to_string();
        if shown == "application/pdf" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(shown, "application/pdf", "the browser shows the original PDF");
    let url = c.current_url().await.unwrap();
    assert_eq!(format!("{}#{}", url.path(), url.fragment().unwrap_or("")), href, "the browser is at the item's page of the file");
    std::fs::write(shots.join("original-pdf.png"), c.screenshot().await.unwrap()).unwrap();

    // A joined item: the agenda's part and the minutes' part under their
    // headings, and its history; the id from the minutes leads to it.
    c.goto(&format!("{base}/items/{minutes_id}")).await.unwrap();
    c.wait().for_element(Locator::Css("section.history")).await.unwrap();
    assert_eq!(c.current_url().await.unwrap().path(), format!("/items/{joined_id}"), "the minutes' id redirects to the item");
    let mut parts = vec![];
    for h in c.find_all(Locator::Css("h2.document")).await.unwrap() {
        parts.push(h.text().await.unwrap().to_lowercase());
    }
    assert_eq!(parts, ["fra dagsordenen", "fra referatet"]);
    let decision = c.find(Locator::Css("section.document section.beslutning")).await.unwrap().text().await.unwrap();
    assert!(decision.contains("spørgsmålsramme"), "{decision}");
    assert!(c.find(Locator::Css("section.history h2")).await.unwrap().text().await.unwrap().contains("Tidligere og senere behandling"));
    assert_eq!(c.find_all(Locator::Css("section.document a.original")).await.unwrap().len(), 2, "both originals are linked");
    std::fs::write(shots.join("item-joined.png"), c.screenshot().await.unwrap()).unwrap();

    // The search page on a phone.
    c.set_window_size(390, 844).await.unwrap();
    c.goto(&format!("{base}/?q=rygestop")).await.unwrap();
    c.wait().for_element(Locator::Css("ol.results li")).await.unwrap();
    std::fs::write(shots.join("search-phone.png"), c.screenshot().await.unwrap()).unwrap();

    // HTML and script, in a query, a filter and a document, on the search
    // page, the item page and the meeting page: shown as text, never run.
    let evil = ["%3Cscript%3Ewindow.__injected%3D3%3C%2Fscript%3E", "%22%3E%3Cimg%20src%3Dx%20onerror%3D%22window.__injected%3D4%22%3E"];
    for q in evil {
        c.goto(&format!("{base}/?q={q}&group={q}&from={q}")).await.unwrap();
        assert_eq!(c.execute("return window.__injected === undefined", vec![]).await.unwrap(), serde_json::json!(true), "a query ran as script: {q}");
        let shown = c.find(Locator::Id("q")).await.unwrap().prop("value").await.unwrap().unwrap_or_default();
        assert!(shown.contains('<'), "the query is shown back as typed: {shown}");
    }
    c.goto(&format!("{base}/?q=alarm")).await.unwrap();
    c.find(Locator::Css("ol.results li h3 a")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("h1")).await.unwrap();
    assert!(c.find(Locator::Css("h1")).await.unwrap().text().await.unwrap().contains("<script>"), "the title is shown as text");
    assert_eq!(c.execute("return window.__injected === undefined", vec![]).await.unwrap(), serde_json::json!(true), "the item page ran a document's script");
    c.find(Locator::XPath("//nav[contains(@class,'neighbours')]//a[starts-with(normalize-space(.), 'Hele mødet')]")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("ol.items")).await.unwrap();
    assert_eq!(c.execute("return window.__injected === undefined", vec![]).await.unwrap(), serde_json::json!(true), "the meeting page ran a document's script");
    c.close().await.unwrap();
}

/// axe-core (pinned in tests/a11y; `npm ci --prefix tests/a11y`, which
/// .ci/run does) over every kind of page at 1280 and 390 px wide: no
/// violation of a WCAG 2.0 or 2.1 rule of level A or AA. Prints each
/// violation with the first elements it names.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_passes_axe_wcag_21_aa_at_two_widths() {
    let test = "every_page_passes_axe_wcag_21_aa_at_two_widths";
    let Ok(axe) = std::fs::read_to_string(support::root().join("tests/a11y/node_modules/axe-core/axe.min.js")) else {
        if std::env::var_os("CI").is_some() {
            panic!("axe-core is missing; .ci/run installs it with npm ci --prefix tests/a11y");
        }
        eprintln!("SKIPPED {test}: axe-core not installed (npm ci --prefix tests/a11y); nothing was checked");
        return;
    };
    let Some(Session { base, c, joined_id, _driver, _dirs, .. }) = session(test).await else { return };
    // An item of each format, found by the API as a client would.
    let first_hit = |q: &'static str| {
        let c = c.clone();
        let base = base.clone();
        async move {
            c.goto(&format!("{base}/api/search?q={q}&limit=1")).await.unwrap();
            let body = c.find(Locator::Css("body")).await.unwrap().text().await.unwrap();
            let v: serde_json::Value = serde_json::from_str(&body).unwrap();
            (v["hits"][0]["url"].as_str().unwrap().to_string(), v["hits"][0]["meeting_url"].as_str().map(str::to_string))
        }
    };
    let (pdf_item, _) = first_hit("v%C3%A6rkt%C3%B8jskasse").await;
    let (word_item, _) = first_hit("spiseforstyrrelser").await;
    c.goto(&format!("{base}/api/items/{joined_id}")).await.unwrap();
    let item: serde_json::Value = serde_json::from_str(&c.find(Locator::Css("body")).await.unwrap().text().await.unwrap()).unwrap();
    let meeting = item["meeting_url"].as_str().unwrap().to_string();
    let pages = [
        ("start", "/".to_string()),
        ("search", "/?q=rygestop".to_string()),
        ("filtered", "/?q=rygestop&group=Klyngestyregruppen+Horsensklyngen&from=01-01-2020&to=31-12-2023".to_string()),
        ("no hits", "/?q=rygestop&municipality=Sams%C3%B8".to_string()),
        ("error", "/?q=rygestop&from=notadate".to_string()),
        ("item (text)", format!("/items/{joined_id}")),
        ("item (PDF)", pdf_item),
        ("item (Word)", word_item),
        ("meeting", meeting),
        ("feed", "/foelg?q=rygestop".to_string()),
        ("statement", "/tilgaengelighed".to_string()),
        ("404", "/ingen/side".to_string()),
    ];
    let run = r#"const done = arguments[arguments.length - 1];
        axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
           .then(r => done(r.violations.map(v => v.id + ' x' + v.nodes.length + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))))
           .catch(e => done(['axe failed: ' + e]));"#;
    // axe itself finds what it should: a page with an unlabelled field and
    // an image without a text alternative.
    c.goto("data:text/html,<html><body><img src=x><input type=text></body></html>").await.unwrap();
    c.execute(&axe, vec![]).await.unwrap();
    let bad = c.execute_async(run, vec![]).await.unwrap();
    assert!(bad.as_array().is_some_and(|v| v.len() >= 2), "axe finds the faults it must: {bad}");
    // Each page at each width, for a reviewer to look at without a server.
    let shots = support::root().join("target/screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    let mut found = vec![];
    let mut checked = 0;
    for width in [1280u32, 390] {
        c.set_window_size(width, 1000).await.unwrap();
        for (name, path) in &pages {
            c.goto(&format!("{base}{path}")).await.unwrap();
            c.execute(&axe, vec![]).await.unwrap();
            let v = c.execute_async(run, vec![]).await.unwrap();
            checked += 1;
            let file = format!("{}-{width}.png", name.replace([' ', '(', ')'], "").replace("item", "item-"));
            std::fs::write(shots.join(file), c.screenshot().await.unwrap()).unwrap();
            for line in v.as_array().cloned().unwrap_or_default() {
                found.push(format!("{name} at {width} px: {}", line.as_str().unwrap_or_default()));
            }
        }
    }
    // By keyboard: the skip link is the first stop, and it leads to the
    // results; the first result is the next stop after it.
    c.set_window_size(1280, 1000).await.unwrap();
    c.goto(&format!("{base}/?q=rygestop")).await.unwrap();
    let focused = || async { c.execute("const a = document.activeElement; return [a.tagName, a.textContent.trim(), a.closest('ol.results') !== null, getComputedStyle(a).outlineColor, getComputedStyle(a).outlineStyle, getComputedStyle(document.body).backgroundColor];", vec![]).await.unwrap() };
    let mut presses = 0;
    c.active_element().await.unwrap().send_keys("\u{e004}").await.unwrap();
    presses += 1;
    let first = focused().await;
    assert_eq!(first[1], "Spring til resultaterne", "{first}");
    c.active_element().await.unwrap().send_keys("\u{e007}").await.unwrap();
    let mut on_result = false;
    while presses < 5 && !on_result {
        c.active_element().await.unwrap().send_keys("\u{e004}").await.unwrap();
        presses += 1;
        on_result = focused().await[2] == serde_json::json!(true);
    }
    assert!(on_result, "the first result is reached within 5 Tab presses (and the skip link's Enter)");
    // The focus ring against the page: at least 3:1.
    let f = focused().await;
    let (ring, bg) = (rgb(f[3].as_str().unwrap()), rgb(f[5].as_str().unwrap()));
    let ratio = contrast(ring, bg);
    assert_eq!(f[4], "solid", "{f}");
    eprintln!("keyboard: first result after {presses} Tab presses (the skip link's Enter between); focus ring {:?} on {:?}: {ratio:.1}:1", ring, bg);
    assert!(ratio >= 3.0, "focus ring contrast {ratio:.2}:1");
    eprintln!("axe-core over {checked} pages (12 kinds at 1280 and 390 px): {} violations", found.len());
    for f in &found {
        eprintln!("  {f}");
    }
    c.close().await.unwrap();
    assert!(found.is_empty(), "WCAG 2.1 A/AA violations:\n{}", found.join("\n"));
}

/// "rgb(29, 36, 48)" as its three parts.
fn rgb(s: &str) -> (f64, f64, f64) {
    let v: Vec<f64> = s.trim_start_matches("rgba(").trim_start_matches("rgb(").trim_end_matches(')').split(',').map(|p| p.trim().parse().unwrap_or(0.0)).collect();
    (v[0], v[1], v[2])
}

/// WCAG's contrast ratio of two colours.
fn contrast(a: (f64, f64, f64), b: (f64, f64, f64)) -> f64 {
    let lin = |c: f64| {
        let c = c / 255.0;
        if c <= 0.03928 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
    };
    let lum = |(r, g, b): (f64, f64, f64)| 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
    let (x, y) = (lum(a), lum(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}
