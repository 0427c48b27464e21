//! The service, called through its router without a socket: every endpoint,
//! filters, error cases, escaping, CORS, and permalinks across re-indexing.

mod support;

use arkiv_index::{index_archive, ArkivIndex};
use arkiv_ingest::{Config, EMBEDDED_SYNONYMS};
use arkiv_server::{app, AppState};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use std::path::Path;
use std::sync::Arc;
use tower::ServiceExt;

struct Served {
    _dir: tempfile::TempDir,
    state: Arc<AppState>,
}

fn serve_archive(archive: &Path, cors: Vec<String>) -> Served {
    let dir = tempfile::tempdir().unwrap();
    let ix = dir.path().join("index");
    index_archive(archive, &ix, &Config::embedded(), EMBEDDED_SYNONYMS).unwrap();
    let mut state = AppState::new(Arc::new(ArkivIndex::open(&ix).unwrap()));
    state.cors_origins = cors;
    state.topic_names = Config::embedded().topics.iter().map(|t| (t.slug.clone(), t.name.clone())).collect();
    Served { _dir: dir, state: Arc::new(state) }
}

fn sample() -> Served {
    serve_archive(&support::sample(), vec![])
}

async fn get(s: &Served, uri: &str) -> (StatusCode, String, String) {
    send(s, Request::get(uri).body(Body::empty()).unwrap()).await
}

async fn send(s: &Served, req: Request<Body>) -> (StatusCode, String, String) {
    let resp = app(s.state.clone()).oneshot(req).await.unwrap();
    let status = resp.status();
    let ctype = resp.headers().get(header::CONTENT_TYPE).map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    let body = resp.into_body().collect().await.unwrap().to_bytes();
    (status, ctype, String::from_utf8_lossy(&body).to_string())
}

async fn json(s: &Served, uri: &str) -> (StatusCode, serde_json::Value) {
    let (st, ct, body) = get(s, uri).await;
    assert!(ct.starts_with("application/json"), "{uri}: content type {ct}");
    (st, serde_json::from_str(&body).unwrap_or_else(|e| panic!("{uri}: {e}: {body}")))
}

fn count(v: &serde_json::Value, facet: &str, value: &str) -> u64 {
    v["facets"][facet].as_array().unwrap().iter().find(|c| c["value"] == value).map(|c| c["count"].as_u64().unwrap()).unwrap_or(0)
}

#[tokio::test]
async fn search_api_and_its_filters() {
    let s = sample();
    let (st, v) = json(&s, "/api/search?q=rygestop").await;
    assert_eq!(st, StatusCode::OK);
    assert!(v["total"].as_u64().unwrap() >= 2);
    let hit = &v["hits"][0];
    assert_eq!(hit["url"], format!("/items/{}", hit["id"].as_str().unwrap()));
    assert!(hit["snippet"].as_str().unwrap().contains("<mark>"));
    for k in ["id", "title", "number", "group", "date", "kind", "municipalities", "topics", "source", "snippet", "score"] {
        assert!(!hit[k].is_null(), "hit has {k}");
    }
    // Repeated parameters: OR within a facet.
    let (_, a) = json(&s, "/api/search?municipality=Herning&limit=100").await;
    let (_, b) = json(&s, "/api/search?municipality=Holstebro&limit=100").await;
    let (_, both) = json(&s, "/api/search?municipality=Herning&municipality=Holstebro&limit=100").await;
    let ids = |v: &serde_json::Value| v["hits"].as_array().unwrap().iter().map(|h| h["id"].as_str().unwrap().to_string()).collect::<std::collections::BTreeSet<_>>();
    let union: std::collections::BTreeSet<_> = ids(&a).union(&ids(&b)).cloned().collect();
    assert_eq!(ids(&both), union);
    assert_eq!(both["total"].as_u64().unwrap() as usize, union.len());
    // AND across facets, and the date range.
    let (_, v) = json(&s, "/api/search?group=Chefforum%20for%20sundheds-%20og%20%C3%A6ldrechefer&kind=referat").await;
    assert_eq!(v["total"], 3);
    assert_eq!(count(&v, "kind", "dagsorden"), 3);
    let (_, v) = json(&s, "/api/search?from=2022-01-01&to=2022-12-31&limit=1").await;
    assert_eq!(v["total"], 19);
    let (_, v) = json(&s, "/api/search?topic=rygestop&sort=date&limit=100").await;
    let dates: Vec<&str> = v["hits"].as_array().unwrap().iter().map(|h| h["date"].as_str().unwrap()).collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{dates:?}");
    let (st, _) = json(&s, "/api/search?q=rygestop&recency=false").await;
    assert_eq!(st, StatusCode::OK);
    let (_, v) = json(&s, "/api/search?limit=5&offset=47").await;
    assert_eq!(v["hits"].as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn bad_input_is_a_400_with_a_reason() {
    let s = sample();
    for uri in [
        "/api/search?from=2020-13-01",
        "/api/search?to=igår",
        "/api/search?limit=0",
        "/api/search?limit=101",
        "/api/search?limit=abc",
        "/api/search?offset=-1",
        "/api/search?offset=1000",
        "/api/search?sort=popular",
        "/api/search?kind=notat",
        "/api/search?recency=maybe",
        "/api/search?to=",
        "/api/search?limit=",
        "/api/search?kind=",
    ] {
        let (st, v) = json(&s, uri).await;
        assert_eq!(st, StatusCode::BAD_REQUEST, "{uri}");
        assert_eq!(v["error"]["code"], "bad_request", "{uri}");
        assert!(!v["error"]["message"].as_str().unwrap().is_empty());
    }
    let long = format!("/api/search?q={}", "rygestop%20".repeat(80));
    assert_eq!(json(&s, &long).await.0, StatusCode::BAD_REQUEST);
    // What the OpenAPI document allows is answered: a page reaching past
    // the 1000 results served is cut at the 1000th, a date range that ends
    // before it starts holds nothing, and past 32 words the rest of a query
    // is not searched.
    let (st, v) = json(&s, "/api/search?offset=990&limit=20&q=").await;
    assert_eq!((st, v["total"].as_u64()), (StatusCode::OK, Some(50)));
    let (st, v) = json(&s, "/api/search?from=2022-02-01&to=2022-01-01").await;
    assert_eq!((st, v["total"].as_u64()), (StatusCode::OK, Some(0)));
    let many = format!("/api/search?q=rygestop%20{}", "og%20".repeat(60));
    let (st, v) = json(&s, &many).await;
    assert_eq!(st, StatusCode::OK);
    assert!(v["total"].as_u64().unwrap() >= 1, "the first words are searched");
    let (st, v) = json(&s, "/api/items/0000000000000000").await;
    assert_eq!((st, v["error"]["code"].as_str()), (StatusCode::NOT_FOUND, Some("not_found")));
    assert_eq!(json(&s, "/api/meetings/nope").await.0, StatusCode::NOT_FOUND);
    assert_eq!(json(&s, "/api/nothing").await.0, StatusCode::NOT_FOUND);
    // Odd queries are answered, not refused.
    for q in ["%22rygestop", "a%3Ab", "%28%28", "%C3%B8"] {
        assert_eq!(json(&s, &format!("/api/search?q={q}")).await.0, StatusCode::OK, "{q}");
    }
    // No request carries a body; only GET is served.
    let (st, _, body) = send(&s, Request::post("/api/search").body(Body::from("{}")).unwrap()).await;
    assert_eq!(st, StatusCode::METHOD_NOT_ALLOWED);
    assert!(body.contains("method_not_allowed"));
    let (st, _, _) = send(&s, Request::get("/api/search?q=x").header(header::CONTENT_LENGTH, "5").body(Body::from("hello")).unwrap()).await;
    assert_eq!(st, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn items_meetings_facets_health() {
    let s = sample();
    let (_, v) = json(&s, "/api/search?q=%22opsøgende%20behandling%22").await;
    let id = v["hits"][0]["id"].as_str().unwrap().to_string();
    let (st, item) = json(&s, &format!("/api/items/{id}")).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(item["title"], "Hjemløse borgere – opsøgende behandling");
    assert!(item["sections"]["beslutning"].as_str().unwrap().contains("efterretning"));
    assert_eq!(item["meeting"]["group"], "Klyngestyregruppen Vestklyngen");
    // The same request gives the same related items, in the same order.
    for _ in 0..20 {
        let (_, again) = json(&s, &format!("/api/items/{id}")).await;
        assert_eq!(again["related"], item["related"]);
    }
    assert_eq!(item["source"]["path"], "klynge-vest/2023-05-25-referat.txt");
    assert_eq!(item["previous"]["number"], 1);
    assert_eq!(item["next"]["number"], 3);
    let murl = item["meeting_url"].as_str().unwrap();
    let (st, m) = json(&s, &format!("/api{murl}")).await;
    assert_eq!(st, StatusCode::OK);
    let numbers: Vec<u64> = m["items"].as_array().unwrap().iter().map(|i| i["number"].as_u64().unwrap()).collect();
    assert_eq!(numbers, vec![1, 2, 3]);
    let (_, f) = json(&s, "/api/facets").await;
    assert_eq!(f["group"].as_array().unwrap().len(), 10);
    // The sample's municipalities are Region Midtjylland's.
    assert_eq!(f["region"].as_array().unwrap().iter().map(|c| c["value"].as_str().unwrap()).collect::<Vec<_>>(), ["Region Midtjylland"]);
    assert_eq!(f["kind"].as_array().unwrap().iter().map(|c| c["count"].as_u64().unwrap()).sum::<u64>(), 50, "an item in the agenda and the minutes counts once");
    let (st, h) = json(&s, "/healthz").await;
    assert_eq!((st, h["status"].as_str(), h["items"].as_u64()), (StatusCode::OK, Some("ok"), Some(50)));
}

#[tokio::test]
async fn openapi_describes_what_is_served() {
    let s = sample();
    let (st, v) = json(&s, "/api/openapi.json").await;
    assert_eq!(st, StatusCode::OK);
    assert!(v["openapi"].as_str().unwrap().starts_with("3."));
    for p in ["/api/search", "/api/items/{id}", "/api/meetings/{id}", "/api/facets"] {
        assert!(v["paths"][p]["get"].is_object(), "{p} documented");
    }
    let params: std::collections::BTreeSet<String> =
        v["paths"]["/api/search"]["get"]["parameters"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap().to_string()).collect();
    let want: std::collections::BTreeSet<String> = ["q", "group", "municipality", "region", "topic", "kind", "from", "to", "sort", "limit", "offset", "recency"].iter().map(|s| s.to_string()).collect();
    assert_eq!(params, want);
    // The bounds the document states are the ones the search keeps.
    let param = |name: &str| v["paths"]["/api/search"]["get"]["parameters"].as_array().unwrap().iter().find(|p| p["name"] == name).unwrap().clone();
    use arkiv_index::search_limits::{MAX_LIMIT, MAX_QUERY_CHARS, MAX_WINDOW};
    assert_eq!(param("limit")["schema"]["maximum"].as_u64(), Some(MAX_LIMIT as u64));
    assert_eq!(param("offset")["schema"]["maximum"].as_u64(), Some(MAX_WINDOW as u64 - 1));
    assert_eq!(param("q")["schema"]["maxLength"].as_u64(), Some(MAX_QUERY_CHARS as u64));
    assert_eq!(param("from")["schema"]["format"], "date");
    assert_eq!(param("recency")["schema"]["type"], "boolean");
    let kinds: Vec<String> = v["components"]["schemas"]["Kind"]["enum"].as_array().unwrap().iter().map(|k| k.as_str().unwrap().to_string()).collect();
    assert_eq!(kinds, arkiv_ingest::Kind::ALL.map(|k| k.as_str()), "the kinds documented are the facet's values");
    // The example ids are of this archive, so a generated client gets past 404.
    for (path, api) in [("/api/items/{id}", "/api/items/"), ("/api/meetings/{id}", "/api/meetings/")] {
        let example = v["paths"][path]["get"]["parameters"][0]["example"].as_str().unwrap_or_else(|| panic!("{path}: an example id"));
        assert_eq!(json(&s, &format!("{api}{example}")).await.0, StatusCode::OK, "{path}");
    }
    // Every field a real response has is in the schema of the hit.
    let (_, r) = json(&s, "/api/search?q=rygestop&limit=1").await;
    let schemas = &v["components"]["schemas"];
    let hit_props = serde_json::to_string(&schemas["ApiHit"]).unwrap() + &serde_json::to_string(&schemas["HitItem"]).unwrap();
    for k in r["hits"][0].as_object().unwrap().keys() {
        assert!(hit_props.contains(&format!("\"{k}\"")), "hit field {k} is documented");
    }
}

#[tokio::test]
async fn pages_in_danish() {
    let s = sample();
    let (st, ct, body) = get(&s, "/").await;
    assert_eq!(st, StatusCode::OK);
    assert!(ct.starts_with("text/html"));
    assert!(body.contains("lang=\"da\"") && body.contains("<label for=\"q\">"));
    // The start page shows the latest meetings, newest first.
    assert!(body.contains("Seneste møder") && body.contains("href=\"/meetings/"), "{body}");
    let (_, v) = json(&s, "/api/search?sort=date&limit=1").await;
    let newest = v["hits"][0]["group"].as_str().unwrap();
    let first_meeting = body.split("<ul class=\"meetings\">").nth(1).unwrap();
    assert!(first_meeting.split("</li>").next().unwrap().contains(newest), "{first_meeting}");
    let (_, _, body) = get(&s, "/?q=rygestop").await;
    assert!(body.contains("<mark>"), "matches marked");
    assert!(body.contains("henvisninger fra hospitalet til kommunale"));
    assert!(body.contains("<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Søgningen som Atom-feed\" href=\"/feed.atom?q=rygestop\">"), "a reader finds the feed");
    assert!(body.contains("<a href=\"/foelg?q=rygestop\">Følg søgningen</a>"));
    let (st, _, follow) = get(&s, "/foelg?q=rygestop").await;
    assert_eq!(st, StatusCode::OK);
    assert!(follow.contains("value=\"http://localhost/feed.atom?q=rygestop\" readonly") || follow.contains("readonly value=\"http://localhost/feed.atom?q=rygestop\""), "{follow}");
    assert!(body.contains("group=Klyngestyregruppen+Horsensklyngen"), "facet values link to filtered searches");
    // A filter shows as active and can be removed.
    let (_, _, body) = get(&s, "/?q=rygestop&kind=dagsorden-og-referat").await;
    assert!(body.contains("title=\"Fjern filter\""));
    assert!(body.contains("aria-current=\"true\"") && !body.contains("aria-pressed"), "a chosen facet value is the current one; a link has no pressed state");
    // A date as staff write it is read; one that cannot be read is said so
    // in Danish beside its field, kept as typed, and the rest of the search
    // (the query, the filters) still runs.
    let (st, _, body) = get(&s, "/?q=rygestop&from=31-12-2020").await;
    assert_eq!(st, StatusCode::OK);
    assert!(body.contains("value=\"31-12-2020\"") && !body.contains("role=\"alert\""));
    let (st, _, body) = get(&s, "/?q=rygestop&group=Klyngestyregruppen+Horsensklyngen&from=notadate").await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert!(body.contains("role=\"alert\"") && body.contains("»notadate« kan ikke læses som en dato"), "{body}");
    assert!(body.contains("value=\"notadate\"") && body.contains("aria-invalid=\"true\"") && body.contains("aria-describedby=\"from-fejl\""));
    assert!(body.contains("class=\"results\"") && body.contains("Horsensklyngen"), "the search ran with its filter");
    // Numbered pages, and a long facet folded after 8 values.
    let (_, _, body) = get(&s, "/?sort=date").await;
    assert!(body.contains("<span aria-current=\"page\">1</span>") && body.contains("aria-label=\"Side 2\""), "{body}");
    assert!(body.contains("<summary>Vis alle ("), "a long facet folds");
    // The item page opens its original first, by page for a PDF, and gives
    // an absolute permanent link to copy.
    let (_, v) = json(&s, "/api/search?q=hjeml%C3%B8se&limit=1").await;
    let (_, _, page) = get(&s, v["hits"][0]["url"].as_str().unwrap()).await;
    assert!(page.find("class=\"original\"").unwrap() < page.find("<section").unwrap(), "the original comes before the text");
    assert!(page.contains(&format!("readonly value=\"http://localhost{}\"", v["hits"][0]["url"].as_str().unwrap())) || page.contains(&format!("value=\"http://localhost{}\" readonly", v["hits"][0]["url"].as_str().unwrap())), "{page}");
    // A search that a filter empties says which, and offers it without.
    let (st, _, body) = get(&s, "/?q=rygestop&municipality=Sams%C3%B8").await;
    assert_eq!(st, StatusCode::OK);
    assert!(body.contains("Ingen resultater"));
    let (_, v) = json(&s, "/api/search?q=rygestop&limit=1").await;
    let n = v["total"].as_u64().unwrap();
    assert!(body.contains(&format!("<a href=\"/?q=rygestop\">{n} resultater uden filteret Samsø</a>")), "{body}");
    // Date filters show as Danish dates.
    let (_, _, body) = get(&s, "/?q=rygestop&from=2020-01-01&to=2021-12-31").await;
    assert!(body.contains("1. januar 2020 – 31. december 2021 ✕"), "{body}");
    // Dates the wrong way round are searched the right way, and said so.
    let (st, _, body) = get(&s, "/?q=rygestop&from=31-12-2023&to=01-01-2019").await;
    assert_eq!(st, StatusCode::OK);
    assert!(body.contains("Fra-datoen (31. december 2023) ligger efter til-datoen (1. januar 2019)"), "{body}");
    // Item and meeting pages.
    let (_, v) = json(&s, "/api/search?q=hjemløse").await;
    let url = v["hits"][0]["url"].as_str().unwrap().to_string();
    let (st, _, body) = get(&s, &url).await;
    assert_eq!(st, StatusCode::OK);
    assert!(body.contains("Beslutning / referat") && body.contains("class=\"beslutning\""));
    assert!(body.contains("href=\"/?municipality=Ikast-Brande\""), "municipalities link to searches");
    assert!(body.contains("klynge-vest/2023-05-25-referat.txt"));
    assert!(body.contains("rel=\"prev\"") && body.contains("rel=\"next\""));
    let (st, _, _) = get(&s, "/items/doesnotexist").await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    let (_, i) = json(&s, &format!("/api{url}")).await;
    let (st, _, body) = get(&s, i["meeting_url"].as_str().unwrap()).await;
    assert_eq!(st, StatusCode::OK);
    assert!(body.contains("Den nære psykiatri – fælles akutteam") && body.contains("Hjemløse borgere"));
    let (st, ct, _) = get(&s, "/static/style.css").await;
    assert_eq!((st, ct.starts_with("text/css")), (StatusCode::OK, true));
    assert_eq!(get(&s, "/no/such/page").await.0, StatusCode::NOT_FOUND);
}

/// Every page names the authority, has a search field, and links the
/// accessibility statement in its footer; arkiv's own statement is served
/// where site.toml names none.
#[tokio::test]
async fn every_page_has_the_authority_a_search_field_and_the_statement() {
    let s = sample();
    let site = arkiv_server::site::Site::embedded();
    let (_, v) = json(&s, "/api/search?q=hjemløse").await;
    let item = v["hits"][0]["url"].as_str().unwrap().to_string();
    let (_, i) = json(&s, &format!("/api{item}")).await;
    let meeting = i["meeting_url"].as_str().unwrap().to_string();
    for (uri, status) in [("/", 200), ("/?q=rygestop", 200), (item.as_str(), 200), (meeting.as_str(), 200), ("/items/0000000000000000", 404), ("/no/such/page", 404), ("/?from=notadate", 400), ("/tilgaengelighed", 200)] {
        let (st, _, body) = get(&s, uri).await;
        assert_eq!(st.as_u16(), status, "{uri}");
        assert!(body.contains(&site.authority), "{uri}: the authority is named");
        assert!(body.contains("type=\"search\""), "{uri}: a search field");
        assert!(body.contains("<a href=\"/tilgaengelighed\">Tilgængelighedserklæring</a>"), "{uri}: the statement is linked");
    }
    let (_, _, statement) = get(&s, "/tilgaengelighed").await;
    assert!(statement.contains("lov nr. 692") && statement.contains("WCAG 2.1") && statement.contains(&site.contact) && statement.contains("Digitaliseringsstyrelsen"));
}

#[tokio::test]
async fn atom_feed_of_a_search() {
    let s = sample();
    let (st, ct, body) = get(&s, "/feed.atom?q=rygestop&group=Klyngestyregruppen%20Horsensklyngen").await;
    assert_eq!(st, StatusCode::OK);
    assert!(ct.starts_with("application/atom+xml"));
    assert!(body.contains("<feed") && body.matches("<entry>").count() == 1, "the agenda and the minutes give one entry: {body}");
    assert_eq!(body.matches("rel=\"related\"").count(), 2, "the entry links both originals: {body}");
    assert!(body.contains("/items/"));
    assert!(!body.contains("Telemedicin"), "the filter applies");
    assert_eq!(get(&s, "/feed.atom?from=x").await.0, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn document_text_is_escaped_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a");
    std::fs::create_dir(&a).unwrap();
    std::fs::write(
        a.join("x.txt"),
        "Mødetid: Mandag d. 3. januar 2022\nMøde i Sundhedsstyregruppen\n1. Alarm <script>alert('x')</script>\nBeslutning:\nTeksten <img src=x onerror=alert(1)> om alarm & \"citat\".\n2. Eventuelt\nBeslutning:\nIntet\n",
    )
    .unwrap();
    let s = serve_archive(&a, vec![]);
    let (_, _, page) = get(&s, "/?q=alarm").await;
    assert!(!page.contains("<script>alert") && !page.contains("<img src=x"), "{page}");
    assert!(page.contains("&lt;script&gt;") || page.contains("&lt;<mark>script"), "{page}");
    let (_, v) = json(&s, "/api/search?q=alarm").await;
    let hit = &v["hits"][0];
    let snippet = hit["snippet"].as_str().unwrap();
    assert!(snippet.contains("&lt;img") && snippet.contains("<mark>alarm</mark> &amp; &quot;citat&quot;"), "{snippet}");
    assert!(hit["title_html"].as_str().unwrap().starts_with("<mark>Alarm</mark> &lt;script&gt;"), "{hit}");
    assert!(hit["title"].as_str().unwrap().contains("<script>"), "the raw title stays raw in JSON; its HTML form is escaped");
    assert!(!hit["title_html"].as_str().unwrap().contains("<script>"));
    let (_, _, item) = get(&s, hit["url"].as_str().unwrap()).await;
    assert!(!item.contains("<script>alert") && !item.contains("<img src=x") && item.contains("&lt;img"));
    let (_, _, feed) = get(&s, "/feed.atom?q=alarm").await;
    assert!(!feed.contains("<img src=x"));
}

#[tokio::test]
async fn cors_only_for_configured_origins() {
    let archive = support::sample();
    let none = serve_archive(&archive, vec![]);
    let req = || Request::get("/api/facets").header(header::ORIGIN, "https://intranet.example").body(Body::empty()).unwrap();
    let r = app(none.state.clone()).oneshot(req()).await.unwrap();
    assert!(r.headers().get(header::ACCESS_CONTROL_ALLOW_ORIGIN).is_none());
    let some = serve_archive(&archive, vec!["https://intranet.example".into()]);
    let r = app(some.state.clone()).oneshot(req()).await.unwrap();
    assert_eq!(r.headers().get(header::ACCESS_CONTROL_ALLOW_ORIGIN).unwrap(), "https://intranet.example");
    let other = Request::get("/api/facets").header(header::ORIGIN, "https://elsewhere.example").body(Body::empty()).unwrap();
    let r = app(some.state.clone()).oneshot(other).await.unwrap();
    assert!(r.headers().get(header::ACCESS_CONTROL_ALLOW_ORIGIN).is_none());
}

/// Build the index, note an item's URL, rebuild from scratch and after adding
/// another document: the URL opens the same item.
#[tokio::test]
async fn permalinks_survive_reindexing() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("archive");
    support::copy_dir(&support::sample(), &a);
    let first = serve_archive(&a, vec![]);
    let (_, v) = json(&first, "/api/search?q=hjemløse").await;
    let url = v["hits"][0]["url"].as_str().unwrap().to_string();
    let (_, item) = json(&first, &format!("/api{url}")).await;
    let murl = item["meeting_url"].as_str().unwrap().to_string();
    std::fs::write(a.join("ny.txt"), "Mødetid: Mandag d. 6. marts 2023\nMøde i Praksisplanudvalget\n1. Hjemløse borgere i almen praksis\nBeslutning:\nDrøftet\n").unwrap();
    let second = serve_archive(&a, vec![]);
    for s in [&first, &second] {
        let (st, again) = json(s, &format!("/api{url}")).await;
        assert_eq!(st, StatusCode::OK);
        assert_eq!(again["title"], item["title"]);
        assert_eq!(again["sections"], item["sections"]);
        assert_eq!(get(s, &murl).await.0, StatusCode::OK);
    }
    let (_, v) = json(&second, "/api/search?q=hjemløse").await;
    let top: Vec<&str> = v["hits"].as_array().unwrap().iter().take(2).map(|h| h["title"].as_str().unwrap()).collect();
    assert!(top.contains(&"Hjemløse borgere i almen praksis"), "the new document is found too: {top:?}");
}


async fn redirect(s: &Served, uri: &str) -> (StatusCode, String) {
    let resp = app(s.state.clone()).oneshot(Request::get(uri).body(Body::empty()).unwrap()).await.unwrap();
    (resp.status(), resp.headers().get(header::LOCATION).map(|v| v.to_str().unwrap().to_string()).unwrap_or_default())
}

/// Search "rygestop": Horsensklyngen's item of 10 March 2021 is in the
/// agenda and in the minutes, and it is one hit, with its decision, both
/// documents and its history; the minutes' own ids answer with a redirect.
#[tokio::test]
async fn an_item_in_the_agenda_and_the_minutes_is_one_hit() {
    let s = sample();
    let (_, v) = json(&s, "/api/search?q=rygestop").await;
    let hits = v["hits"].as_array().unwrap();
    let ids: std::collections::BTreeSet<&str> = hits.iter().map(|h| h["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), hits.len(), "each item once");
    let horsens: Vec<&serde_json::Value> = hits.iter().filter(|h| h["group"] == "Klyngestyregruppen Horsensklyngen").collect();
    assert_eq!(horsens.len(), 1);
    let hit = horsens[0];
    assert_eq!(hit["kind"], "dagsorden-og-referat");
    let docs: Vec<(&str, &str)> = hit["documents"].as_array().unwrap().iter().map(|d| (d["kind"].as_str().unwrap(), d["source"]["path"].as_str().unwrap())).collect();
    assert_eq!(docs, [("dagsorden", "klynge-horsens/2021-03-10-dagsorden.txt"), ("referat", "klynge-horsens/2021-03-10-referat.txt")]);
    assert_eq!(hit["source"]["path"], "klynge-horsens/2021-03-10-dagsorden.txt", "the agenda's item is the item");

    let url = hit["url"].as_str().unwrap();
    let (_, item) = json(&s, &format!("/api{url}")).await;
    assert!(item["sections"]["sagsfremstilling"].as_str().unwrap().contains("64 henvisninger"), "the agenda's case");
    assert!(item["sections"]["beslutning"].as_str().unwrap().contains("spørgsmålsramme om rygning"), "the minutes' decision");
    assert_eq!(item["section_documents"]["sagsfremstilling"], 0);
    assert_eq!(item["section_documents"]["beslutning"], 1);
    assert!(item["related"].is_array());
    let (st, _, page) = get(&s, url).await;
    assert_eq!(st, StatusCode::OK);
    assert!(page.contains("Fra dagsordenen") && page.contains("Fra referatet"), "both parts have a heading");
    for d in item["documents"].as_array().unwrap() {
        assert!(page.contains(&format!("href=\"/files/{}\"", d["source"]["document"].as_str().unwrap())), "links to both originals");
    }
    assert!(page.contains("Tidligere og senere behandling"));

    // The minutes' ids for the item and the meeting are answered.
    let minutes = &item["documents"][1];
    let (st, to) = redirect(&s, &format!("/items/{}", minutes["id"].as_str().unwrap())).await;
    assert_eq!((st, to.as_str()), (StatusCode::PERMANENT_REDIRECT, url));
    let (st, to) = redirect(&s, &format!("/api/items/{}", minutes["id"].as_str().unwrap())).await;
    assert_eq!((st, to), (StatusCode::PERMANENT_REDIRECT, format!("/api{url}")));
    let meeting = &item["meeting"];
    assert_eq!(meeting["documents"].as_array().unwrap().len(), 2);
    let minutes_meeting = meeting["documents"][1]["id"].as_str().unwrap();
    let (st, to) = redirect(&s, &format!("/meetings/{minutes_meeting}")).await;
    assert_eq!((st, to), (StatusCode::PERMANENT_REDIRECT, format!("/meetings/{}", meeting["id"].as_str().unwrap())));
    let (st, to) = redirect(&s, &format!("/api/meetings/{minutes_meeting}")).await;
    assert_eq!((st, to), (StatusCode::PERMANENT_REDIRECT, format!("/api/meetings/{}", meeting["id"].as_str().unwrap())));
    // The meeting page links both documents.
    let (_, _, page) = get(&s, &format!("/meetings/{}", meeting["id"].as_str().unwrap())).await;
    assert!(page.contains("Åbn dagsordenen") && page.contains("Åbn referatet"));
}

/// Minutes arrive after the agenda was indexed: the permalink taken from
/// the agenda opens the joined item, with the decision. And the other way
/// round: a permalink from the minutes, indexed first, still answers once
/// the agenda arrives.
#[tokio::test]
async fn permalinks_survive_the_minutes_arriving() {
    let src = support::sample().join("klynge-horsens");
    for (first, later) in [("2021-03-10-dagsorden.txt", "2021-03-10-referat.txt"), ("2021-03-10-referat.txt", "2021-03-10-dagsorden.txt")] {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("archive");
        std::fs::create_dir_all(&a).unwrap();
        std::fs::copy(src.join(first), a.join(first)).unwrap();
        let ix = dir.path().join("index");
        index_archive(&a, &ix, &Config::embedded(), EMBEDDED_SYNONYMS).unwrap();
        let idx = ArkivIndex::open(&ix).unwrap();
        let r = idx.search(&arkiv_index::SearchRequest { q: "rygestop".into(), limit: 10, ..Default::default() }).unwrap();
        assert_eq!(r.total, 1, "{first}");
        let before = r.hits[0].item.id.clone();
        drop(idx);
        std::fs::copy(src.join(later), a.join(later)).unwrap();
        index_archive(&a, &ix, &Config::embedded(), EMBEDDED_SYNONYMS).unwrap();
        let s = Served { _dir: dir, state: Arc::new(AppState::new(Arc::new(ArkivIndex::open(&ix).unwrap()))) };
        let (_, v) = json(&s, "/api/search?q=rygestop").await;
        assert_eq!(v["total"], 1, "one item after the {later} arrived");
        let now = v["hits"][0]["url"].as_str().unwrap().to_string();
        let (st, to) = redirect(&s, &format!("/items/{before}")).await;
        if first.contains("dagsorden") {
            assert_eq!((st, now.as_str()), (StatusCode::OK, format!("/items/{before}").as_str()), "the agenda's id stays the item's id");
        } else {
            assert_eq!((st, to.as_str()), (StatusCode::PERMANENT_REDIRECT, now.as_str()), "the minutes' id leads to the item");
        }
        let (st, item) = json(&s, &format!("/api{now}")).await;
        assert_eq!(st, StatusCode::OK);
        assert_eq!(item["kind"], "dagsorden-og-referat");
        assert!(item["sections"]["beslutning"].as_str().unwrap().contains("spørgsmålsramme"));
        assert!(item["sections"]["sagsfremstilling"].as_str().unwrap().contains("64 henvisninger"));
        assert_eq!(v["facets"]["kind"], serde_json::json!([{"value": "dagsorden-og-referat", "count": 1}]));
    }
}

/// The minutes change, and then go: the item is joined again from what
/// the index holds, and then stands alone as the agenda's, with its id.
#[test]
fn the_minutes_changed_or_removed_rejoin_the_meeting() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("archive");
    support::copy_dir(&support::sample().join("klynge-horsens"), &a);
    let ix = dir.path().join("index");
    index_archive(&a, &ix, &Config::embedded(), EMBEDDED_SYNONYMS).unwrap();
    let total = |q: &str| ArkivIndex::open(&ix).unwrap().search(&arkiv_index::SearchRequest { q: q.into(), limit: 10, ..Default::default() }).unwrap();
    let before = total("rygestop");
    assert_eq!(before.total, 1);
    let id = before.hits[0].item.id.clone();
    let minutes = a.join("2021-03-10-referat.txt");
    // The file is Windows-1252: "Næste møde holdes i Hedensted." in its bytes.
    let text = std::fs::read(&minutes).unwrap();
    let at = text.windows(6).position(|w| w == b"Intet.").unwrap();
    let mut changed = text[..at].to_vec();
    changed.extend_from_slice(b"N\xe6ste m\xf8de holdes i Hedensted.");
    changed.extend_from_slice(&text[at + 6..]);
    std::fs::write(&minutes, changed).unwrap();
    let s = index_archive(&a, &ix, &Config::embedded(), EMBEDDED_SYNONYMS).unwrap();
    assert_eq!((s.changed, s.items_total), (1, 8));
    let r = total("hedensted næste møde");
    assert!(r.hits.iter().any(|h| h.item.title == "Eventuelt" && h.item.kind == Some(arkiv_ingest::Kind::DagsordenOgReferat)), "the changed decision is found in the joined item");
    assert_eq!(total("rygestop").hits[0].item.id, id);
    std::fs::remove_file(&minutes).unwrap();
    let s = index_archive(&a, &ix, &Config::embedded(), EMBEDDED_SYNONYMS).unwrap();
    assert_eq!((s.removed, s.items_total), (1, 8));
    let r = total("rygestop");
    assert_eq!((r.total, r.hits[0].item.id.as_str(), r.hits[0].item.kind), (1, id.as_str(), Some(arkiv_ingest::Kind::Dagsorden)));
    let idx = ArkivIndex::open(&ix).unwrap();
    assert!(idx.item(&id).unwrap().item.sections.get("beslutning").is_none(), "the decision went with the minutes");
}

/// `arkiv index` runs while the service is up: the service picks up the new
/// commit without a restart, and no request fails in between.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reindexing_while_serving() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("archive");
    support::copy_dir(&support::sample(), &a);
    let ix = dir.path().join("index");
    index_archive(&a, &ix, &Config::embedded(), EMBEDDED_SYNONYMS).unwrap();
    let s = Served { _dir: tempfile::tempdir().unwrap(), state: Arc::new(AppState::new(Arc::new(ArkivIndex::open(&ix).unwrap()))) };
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let state = s.state.clone();
    let stop2 = stop.clone();
    let load = tokio::spawn(async move {
        let mut n = 0;
        while !stop2.load(std::sync::atomic::Ordering::Relaxed) {
            let r = app(state.clone()).oneshot(Request::get("/api/search?q=rygestop&group=Klyngestyregruppen%20Horsensklyngen").body(Body::empty()).unwrap()).await.unwrap();
            assert_eq!(r.status(), StatusCode::OK, "request {n} failed during re-indexing");
            n += 1;
        }
        n
    });
    std::fs::write(a.join("nyt-referat.txt"), "Mødetid: Mandag d. 6. marts 2023\nMøde i Praksisplanudvalget\n1. Vagtlægeordningen om natten\nBeslutning:\nDrøftet\n").unwrap();
    let (a2, ix2) = (a.clone(), ix.clone());
    let summary = tokio::task::spawn_blocking(move || index_archive(&a2, &ix2, &Config::embedded(), EMBEDDED_SYNONYMS).unwrap()).await.unwrap();
    assert_eq!((summary.added, summary.unchanged), (1, 16));
    let mut found = false;
    for _ in 0..100 {
        let (_, v) = json(&s, "/api/search?q=vagtlægeordningen").await;
        if v["total"].as_u64() == Some(1) {
            found = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let served = load.await.unwrap();
    assert!(found, "the new commit is served without a restart");
    assert!(served > 0);
}

/// The original document of an item, served by its document id and opened
/// at the item's page; never a path from the request.
#[tokio::test]
async fn original_files_are_served_at_the_items_page() {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("archive");
    support::copy_dir(&support::sample(), &archive);
    let s = serve_archive(&archive, vec![]);
    let pdf_bytes = std::fs::read(archive.join("klynge-aarhus/2023-09-21-referat.pdf")).unwrap();

    // A hit from the PDF says its page and links to the file at it.
    let (_, v) = json(&s, "/api/search?q=v%C3%A6rkt%C3%B8jskasse").await;
    let hit = &v["hits"][0];
    assert_eq!(hit["source"]["format"], "pdf");
    assert_eq!((hit["source"]["page"].as_u64(), hit["source"]["page_end"].as_u64()), (Some(1), Some(2)));
    let doc = hit["source"]["document"].as_str().unwrap().to_string();
    assert_eq!(hit["file_url"], format!("/files/{doc}#page=1"));
    let (_, item) = json(&s, &format!("/api/items/{}", hit["id"].as_str().unwrap())).await;
    assert_eq!(item["file_url"], format!("/files/{doc}#page=1"));

    let resp = app(s.state.clone()).oneshot(Request::get(format!("/files/{doc}")).body(Body::empty()).unwrap()).await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()[header::CONTENT_TYPE], "application/pdf");
    assert!(resp.headers()[header::CONTENT_DISPOSITION].to_str().unwrap().starts_with("inline; filename=\"2023-09-21-referat.pdf\""));
    assert_eq!(resp.into_body().collect().await.unwrap().to_bytes().as_ref(), pdf_bytes.as_slice());

    // The item page links to the original at its pages; the hit says "s. 1".
    let (_, _, page) = get(&s, &format!("/items/{}", hit["id"].as_str().unwrap())).await;
    assert!(page.contains(&format!("href=\"/files/{doc}#page=1\"")) && page.contains("Åbn originalen (PDF, side 1–2)"), "{page}");
    let (_, _, results) = get(&s, "/?q=v%C3%A6rkt%C3%B8jskasse").await;
    assert!(results.contains(&format!("<a href=\"/files/{doc}#page=1\">s. 1</a>")), "{results}");
    let (_, _, feed) = get(&s, "/feed.atom?q=v%C3%A6rkt%C3%B8jskasse").await;
    assert!(feed.contains(&format!("/files/{doc}#page=1")) && feed.contains("rel=\"related\""), "{feed}");

    // A Word file has no pages: null, and a link without one.
    let (_, v) = json(&s, "/api/search?q=spiseforstyrrelser").await;
    let hit = &v["hits"][0];
    assert_eq!(hit["source"]["format"], "docx");
    assert!(hit["source"]["page"].is_null() && hit["source"]["page_end"].is_null());
    let docx = hit["source"]["document"].as_str().unwrap();
    assert_eq!(hit["file_url"], format!("/files/{docx}"));
    let (st, ct, _) = get(&s, &format!("/files/{docx}")).await;
    assert_eq!((st, ct.as_str()), (StatusCode::OK, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"));
    // Text files say their encoding.
    let (_, v) = json(&s, "/api/search?q=rygestop&limit=1").await;
    let (st, ct, _) = get(&s, v["hits"][0]["file_url"].as_str().unwrap()).await;
    assert_eq!((st, ct.as_str()), (StatusCode::OK, "text/plain; charset=utf-8"));

    // Ids that are not documents, paths, and a file gone from the archive.
    for bad in ["/files/..%2F..%2Fetc%2Fpasswd", "/files/abc", "/files/%2Fetc%2Fpasswd", "/files/0123456789ABCDEF"] {
        let (st, _, body) = get(&s, bad).await;
        assert_eq!(st, StatusCode::BAD_REQUEST, "{bad}: {body}");
    }
    let (st, _, body) = get(&s, "/files/0123456789abcdef").await;
    assert_eq!(st, StatusCode::NOT_FOUND, "{body}");
    std::fs::remove_file(archive.join("klynge-aarhus/2023-09-21-referat.pdf")).unwrap();
    let (st, _, body) = get(&s, &format!("/files/{doc}")).await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    assert!(body.contains("no longer in the archive"), "{body}");
}

/// Every search downloads as CSV the way Danish Excel opens it: UTF-8 with
/// a byte order mark, semicolons, the columns staff report with, every hit.
#[tokio::test]
async fn a_search_downloads_as_csv_for_excel() {
    let s = sample();
    let (st, ct, body) = get(&s, "/api/search.csv?q=rygestop").await;
    assert_eq!(st, StatusCode::OK);
    assert!(ct.starts_with("text/csv"), "{ct}");
    let bytes = body.as_bytes();
    assert!(bytes.starts_with(b"\xef\xbb\xbf"), "a byte order mark, for Excel");
    let mut r = csv::ReaderBuilder::new().delimiter(b';').from_reader(&bytes[3..]);
    let head: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(head, ["Mødeforum", "Dato", "Type", "Punkt", "Titel", "Kommuner", "Emner", "Beslutning", "Permanent link", "Dokument"]);
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    let (_, v) = json(&s, "/api/search?q=rygestop").await;
    assert_eq!(rows.len() as u64, v["total"].as_u64().unwrap(), "every hit");
    let first = &rows[0];
    assert_eq!(&first[4], v["hits"][0]["title"].as_str().unwrap());
    assert!(first[1].len() == 10 && first[1].as_bytes()[2] == b'-', "a Danish date: {}", &first[1]);
    assert_eq!(&first[8], &format!("http://localhost{}", v["hits"][0]["url"].as_str().unwrap()));
    assert!(rows.iter().any(|r| !r[7].is_empty()), "decisions are in their column");
    // The page links it beside the feed; a bad parameter is a 400.
    let (_, _, page) = get(&s, "/?q=rygestop").await;
    assert!(page.contains("href=\"/api/search.csv?q=rygestop\""));
    assert_eq!(get(&s, "/api/search.csv?from=x").await.0, StatusCode::BAD_REQUEST);
}

/// A saved web page: its items found, a table shown as a table on the
/// item page, and the original served as the page it was but never run.
#[tokio::test]
async fn web_pages_are_searched_shown_with_tables_and_served_sandboxed() {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("archive");
    std::fs::create_dir_all(archive.join("web")).unwrap();
    std::fs::copy(support::root().join("tests/fixtures/web/fokus-boern-2022-11-08-dagsorden.html"), archive.join("web/dagsorden.html")).unwrap();
    let s = serve_archive(&archive, vec![]);
    let (_, v) = json(&s, "/api/search?q=spiseforstyrrelser").await;
    let hit = &v["hits"][0];
    assert_eq!(hit["source"]["format"], "html");
    assert_eq!(hit["group"], "Fokusgruppen Sundhed for børn og unge", "{hit}");
    let (_, _, page) = get(&s, &format!("/items/{}", hit["id"].as_str().unwrap())).await;
    assert!(page.contains("<table class=\"cells\"><tr><td>Kommune</td><td>Unge i målgruppen</td><td>Status</td></tr><tr><td>Randers</td><td>14</td><td>Klar</td></tr>"), "{page}");
    let doc = hit["source"]["document"].as_str().unwrap();
    let resp = app(s.state.clone()).oneshot(Request::get(format!("/files/{doc}")).body(Body::empty()).unwrap()).await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()[header::CONTENT_TYPE], "text/html");
    assert!(resp.headers()[header::CONTENT_SECURITY_POLICY].to_str().unwrap().starts_with("sandbox;"));
}

/// Hostile requests, by hand: each gets a 2xx, 3xx or 4xx with a reason,
/// never a 5xx, and what it sends is escaped on every page and in the feed.
/// (How long each took is printed, not asserted.)
#[tokio::test]
async fn hostile_requests_get_bounded_answers() {
    let s = sample();
    let words = |n: usize, f: &dyn Fn(usize) -> String| (0..n).map(f).collect::<Vec<_>>().join("+");
    let cases: Vec<(&str, String)> = vec![
        // (A URI is at most 64 KB; tests/clients.rs sends 100 KB over a socket.)
        ("a 60 KB query", format!("/api/search?q={}", "rygestop+".repeat(60 * 1024 / 9))),
        ("a thousand words", format!("/api/search?q={}", words(1000, &|k| format!("ord{k}")))),
        ("a thousand words, short enough", format!("/api/search?q={}", words(1000, &|_| "a".into()).chars().take(499).collect::<String>())),
        ("hundreds of phrases", format!("/api/search?q={}", words(120, &|_| "%22iv+behandling%22".into()))),
        ("many typo-tolerant words", format!("/api/search?q={}", words(40, &|k| format!("telemedicn{}", k % 3)))),
        ("a huge offset", "/api/search?q=rygestop&offset=99999999999999999999".into()),
        ("the largest offset", "/api/search?q=rygestop&offset=999&limit=100".into()),
        ("a facet repeated 5,000 times", format!("/api/search?q=rygestop&{}", (0..5000).map(|k| format!("group=g{k}")).collect::<Vec<_>>().join("&"))),
        ("invalid percent-encoding", "/api/search?q=%ZZ%C3%28%&group=%FF".into()),
        ("a lone surrogate escape", "/api/search?q=%ED%A0%80".into()),
        ("NUL in the query", "/api/search?q=ryge%00stop".into()),
    ];
    for (what, uri) in &cases {
        let t = std::time::Instant::now();
        let (st, ct, body) = get(&s, uri).await;
        eprintln!("{what}: {st} in {:.1} ms", t.elapsed().as_secs_f64() * 1e3);
        assert!(st.is_success() || st.is_client_error(), "{what}: {st}: {body}");
        assert!(ct.starts_with("application/json"), "{what}: {ct}");
        let v: serde_json::Value = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{what}: {e}"));
        if st.is_client_error() {
            assert!(!v["error"]["message"].as_str().unwrap().is_empty(), "{what}: a reason");
        }
    }
    // Path traversal in every route that takes an id.
    for route in ["/items/", "/api/items/", "/meetings/", "/api/meetings/", "/files/"] {
        for id in ["..%2F..%2Fetc%2Fpasswd", "%2e%2e%2f%2e%2e%2fetc%2fpasswd", "....//....//etc//passwd", "%00", "a%2Fb", "0123456789abcdef%2F..", "%C0%AE%C0%AE%2F"] {
            let uri = format!("{route}{id}");
            let (st, _, body) = get(&s, &uri).await;
            assert!(st == StatusCode::BAD_REQUEST || st == StatusCode::NOT_FOUND, "{uri}: {st}");
            assert!(!body.contains("root:"), "{uri}: a file outside the archive");
        }
    }
    // A query with HTML and script, on every page that shows it back.
    let evil = "%3Cscript%3Ealert(1)%3C%2Fscript%3E%22%3E%3Cimg+src%3Dx+onerror%3Dalert(2)%3E";
    for uri in [format!("/?q={evil}"), format!("/?q=rygestop&group={evil}"), format!("/feed.atom?q={evil}"), format!("/?q={evil}&from={evil}")] {
        let (st, _, body) = get(&s, &uri).await;
        assert!(st.is_success() || st.is_client_error(), "{uri}: {st}");
        assert!(!body.contains("<script>alert") && !body.contains("<img src=x"), "{uri}: unescaped: {body}");
    }
}
