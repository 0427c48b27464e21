//! Hostile clients over real sockets, against the `arkiv` binary: 200 slow
//! clients trickling their headers while others search (the others are
//! served, the slow ones cut off at the head timeout), and a request head
//! larger than the service takes (431, and the service goes on).

mod support;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Stdio;
use std::time::{Duration, Instant};

use support::{arkiv, wait_for_port, Kill};

fn start(dir: &std::path::Path, extra: &[&str]) -> (Kill, u16) {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = arkiv()
        .args(["serve", "--archive"])
        .arg(support::sample())
        .arg("--index")
        .arg(dir.join("ix"))
        .args(["--addr", &format!("127.0.0.1:{port}")])
        .args(extra)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let k = Kill(child);
    assert!(wait_for_port(port, 60), "the service did not start");
    (k, port)
}

/// One request on its own connection: (status, body).
fn request(port: u16, target: &str) -> (u16, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    // A service that refuses a head it finds too large answers and closes
    // before the whole head is sent, and the rest of the write then fails
    // (broken pipe, or reset). Its answer is still there to read, so a failed
    // write only fails the request when no answer came.
    let sent = write!(s, "GET {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    let mut out = vec![];
    let _ = s.read_to_end(&mut out);
    if let (Err(e), true) = (sent, out.is_empty()) {
        panic!("the request to {port} could not be sent, and no answer came: {e}");
    }
    let text = String::from_utf8_lossy(&out).to_string();
    let status = text.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    (status, text)
}

#[test]
fn slow_clients_do_not_starve_the_others_and_are_cut_off() {
    let dir = tempfile::tempdir().unwrap();
    let (_server, port) = start(dir.path(), &["--header-timeout", "2"]);
    // 200 clients that send a request line and then a header byte now and then.
    let mut slow: Vec<TcpStream> = (0..200)
        .map(|_| {
            let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
            s.write_all(b"GET /api/search?q=rygestop HTTP/1.1\r\nHost: localhost\r\nX-Langsom: ").unwrap();
            s
        })
        .collect();
    let trickle = |slow: &mut Vec<TcpStream>| {
        for s in slow.iter_mut() {
            let _ = s.write_all(b"a");
        }
    };
    // Meanwhile others search, and get their answers.
    let mut took = vec![];
    for k in 0..40 {
        trickle(&mut slow);
        let t = Instant::now();
        let (status, body) = request(port, &format!("/api/search?q=rygestop&offset={}", k % 3));
        took.push(t.elapsed().as_secs_f64() * 1e3);
        assert_eq!(status, 200, "a search while 200 clients trickle: {body}");
        std::thread::sleep(Duration::from_millis(25));
    }
    took.sort_by(|a, b| a.partial_cmp(b).unwrap());
    eprintln!("40 searches beside 200 slow clients: p50 {:.1} ms, max {:.1} ms", took[took.len() / 2], took[took.len() - 1]);
    // The slow clients are cut off at the head timeout (2 s), however they trickle.
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut open = slow.len();
    let mut closed = vec![false; slow.len()];
    while open > 0 && Instant::now() < deadline {
        for (k, s) in slow.iter_mut().enumerate() {
            if closed[k] {
                continue;
            }
            let _ = s.write_all(b"a");
            s.set_read_timeout(Some(Duration::from_millis(5))).unwrap();
            let mut buf = [0u8; 512];
            match s.read(&mut buf) {
                Ok(_) => {
                    closed[k] = true;
                    open -= 1;
                }
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock || e.kind() == std::io::ErrorKind::TimedOut => {}
                Err(_) => {
                    closed[k] = true;
                    open -= 1;
                }
            }
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(open, 0, "{open} slow clients still hold a connection well past the head timeout");
    assert_eq!(request(port, "/healthz").0, 200, "the service goes on");
}

#[test]
fn a_request_head_larger_than_the_service_takes_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (_server, port) = start(dir.path(), &[]);
    let q = "rygestop+".repeat(100 * 1024 / 9);
    let (status, _) = request(port, &format!("/api/search?q={q}"));
    assert_eq!(status, 431, "a 100 KB query string");
    let (status, _) = request(port, "/api/search?q=%ZZ%C3%28");
    assert_eq!(status, 200, "invalid percent-encoding is read as text");
    let (status, body) = request(port, "/files/..%2F..%2F..%2Fetc%2Fpasswd");
    assert_eq!(status, 400, "{body}");
    let (status, body) = request(port, "/../../../etc/passwd");
    assert!(status == 404 || status == 400, "{status} {body}");
    assert!(!body.contains("root:"));
    assert_eq!(request(port, "/healthz").0, 200);
}
