//! `semester serve` as an author uses it: edit, see the change; break a page, keep the last good
//! site and see the error; fix it, see the site again. And nothing outside the site is served.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::{TempDir, run};

/// The server process, killed when dropped.
struct Serve {
    child: Child,
    port: u16,
    log: mpsc::Receiver<String>,
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(root: &Path) -> Serve {
    start_with(root, &[])
}

fn start_with(root: &Path, extra: &[&str]) -> Serve {
    let mut child = Command::new(env!("CARGO_BIN_EXE_semester"))
        .args(["serve", "--port", "0", "--root"])
        .arg(root)
        .args(extra)
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("start serve");
    let stderr = child.stderr.take();
    let (tx, log) = mpsc::channel();
    let mut serve = Serve {
        child,
        port: 0,
        log,
    };
    let stderr = stderr.expect("stderr");
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let line = serve
            .log
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .expect("serve printed its address");
        if let Some(rest) = line.split("http://127.0.0.1:").nth(1) {
            serve.port = rest
                .split('/')
                .next()
                .and_then(|p| p.parse().ok())
                .expect("port");
            return serve;
        }
    }
}

/// A raw HTTP/1.1 GET, so that the path reaches the server exactly as written.
fn get(port: u16, path: &str) -> (u16, String) {
    get_with(port, path, "Host: 127.0.0.1\r\n")
}

/// A raw GET with these header lines (each ending in CRLF) instead of the usual Host.
fn get_with(port: u16, path: &str, headers: &str) -> (u16, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(10))).ok();
    write!(
        s,
        "GET {path} HTTP/1.1\r\n{headers}Accept: text/event-stream\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw).to_string();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map_or("", |(_, b)| b)
        .to_string();
    (status, body)
}

/// Reads server-sent events in the background: (event name, data) pairs.
fn listen(port: u16) -> mpsc::Receiver<(String, String)> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    write!(
        s,
        "GET /__semester/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
    )
    .expect("send");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut event = String::new();
        for line in BufReader::new(s).lines().map_while(Result::ok) {
            // Chunked encoding puts sizes on lines of their own; event lines are what we need.
            if let Some(e) = line.strip_prefix("event: ") {
                event = e.to_string();
            } else if let Some(d) = line.strip_prefix("data: ")
                && !event.is_empty()
            {
                let _ = tx.send((std::mem::take(&mut event), d.to_string()));
            }
        }
    });
    rx
}

/// Waits for an event named `name`, skipping others.
fn wait_event(rx: &mpsc::Receiver<(String, String)>, name: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let (e, d) = rx
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .unwrap_or_else(|_| panic!("no `{name}` event"));
        if e == name {
            return d;
        }
    }
}

/// Polls `path` until its body satisfies `ok`.
fn wait_for(port: u16, path: &str, ok: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let (_, body) = get(port, path);
        if ok(&body) {
            return body;
        }
        assert!(
            Instant::now() < deadline,
            "timed out waiting on {path}:\n{body}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn edit_break_fix_and_nothing_outside_the_site() {
    let tmp = TempDir::new("serve");
    let course = tmp.path().join("course");
    let c = course.to_string_lossy().to_string();
    let r = run(&["new", &c]);
    assert!(r.status.success());
    let server = start(&course);
    let port = server.port;
    let page = "/spring-2027/syllabus/";
    let (status, body) = get(port, page);
    assert_eq!(status, 200);
    assert!(
        body.contains("/__semester/events"),
        "the reload client is in the page"
    );
    let events = listen(port);
    std::thread::sleep(Duration::from_millis(200));

    // An edit is served, and the page is told to reload.
    let syllabus = course.join("content/syllabus.md");
    let good = std::fs::read_to_string(&syllabus).expect("syllabus");
    std::fs::write(&syllabus, format!("{good}\nFreshly edited paragraph.\n")).expect("edit");
    wait_for(port, page, |b| b.contains("Freshly edited paragraph."));
    let changed = wait_event(&events, "reload");
    assert!(changed.contains(page), "{changed}");

    // A broken page: the last good page is still served, with the error over it.
    std::fs::write(
        &syllabus,
        format!("---\ntitel: Oops\n---\n{good}\nBroken version.\n"),
    )
    .expect("break");
    let err = wait_event(&events, "failed");
    assert!(err.contains("content/syllabus.md:2:1"), "{err}");
    let body = wait_for(port, page, |b| b.contains("semester-error"));
    assert!(body.contains("Freshly edited paragraph."));
    assert!(!body.contains("Broken version."));
    assert!(body.contains("unknown key `titel`"));

    // Fixed: the site recovers.
    std::fs::write(&syllabus, format!("{good}\nFixed paragraph.\n")).expect("fix");
    let body = wait_for(port, page, |b| b.contains("Fixed paragraph."));
    assert!(!body.contains("id=\"semester-error\""));

    // Nothing outside the built site, however the path is written.
    for bad in [
        "/../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/..%2f..%2f..%2fetc%2fpasswd",
        "/spring-2027/..%5c..%5cetc/passwd",
        "/../course.yaml",
        "/%2e%2e/course.yaml",
        "/content/syllabus.md",
    ] {
        let (status, body) = get(port, bad);
        assert!(status == 400 || status == 404, "{bad}: {status}");
        assert!(!body.contains("root:x:0:0"), "{bad}");
        assert!(!body.contains("current_term"), "{bad}");
    }
    // A folder without its slash is sent to it.
    let (status, _) = get(port, "/spring-2027/syllabus");
    assert_eq!(status, 301);
    // The terminal said what happened.
    let log: Vec<String> = server.log.try_iter().collect();
    assert!(
        log.iter()
            .any(|l| l.contains("still serving the last good site")),
        "{log:?}"
    );
}

#[test]
fn a_taken_port_is_a_clear_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("addr").port().to_string();
    let tmp = TempDir::new("serve-port");
    let course = tmp.path().join("course");
    let c = course.to_string_lossy().to_string();
    assert!(run(&["new", &c]).status.success());
    let r = run(&["serve", "--root", &c, "--port", &port]);
    assert_eq!(r.status.code(), Some(1));
    let err = String::from_utf8_lossy(&r.stderr);
    assert!(err.contains("already in use"), "{err}");
}

/// Only this machine's names are answered: a foreign Host (DNS rebinding) gets 421, a foreign
/// Origin gets 403 on pages and on the event stream; localhost, the bound address and
/// --allow-host names are served.
#[test]
fn foreign_hosts_and_origins_are_refused() {
    let tmp = TempDir::new("serve-host");
    let course = tmp.path().join("course");
    let c = course.to_string_lossy().to_string();
    assert!(run(&["new", &c]).status.success());
    let server = start_with(&course, &["--allow-host", "preview.example"]);
    let port = server.port;
    let page = "/spring-2027/syllabus/";
    let refused = [
        ("Host: attacker.example\r\n", 421),
        (&format!("Host: attacker.example:{port}\r\n"), 421),
        ("Host: localhost.attacker.example\r\n", 421),
        ("", 421),
        (
            &format!("Host: localhost:{port}\r\nOrigin: http://attacker.example\r\n"),
            403,
        ),
        (&format!("Host: 127.0.0.1:{port}\r\nOrigin: null\r\n"), 403),
    ];
    for path in [page, "/__semester/events"] {
        for (headers, want) in &refused {
            let (status, body) = get_with(port, path, headers);
            assert_eq!(status, *want, "{path} with {headers:?}");
            assert!(
                !body.contains("Syllabus") && !body.contains("event:"),
                "{body}"
            );
        }
    }
    for headers in [
        format!("Host: localhost:{port}\r\n"),
        format!("Host: 127.0.0.1:{port}\r\nOrigin: http://127.0.0.1:{port}\r\n"),
        format!("Host: [::1]:{port}\r\n"),
        format!("Host: preview.example:{port}\r\nOrigin: http://preview.example:{port}\r\n"),
    ] {
        let (status, body) = get_with(port, page, &headers);
        assert_eq!(status, 200, "{headers:?}");
        assert!(body.contains("Syllabus"));
    }
}

/// A course broken before the first build shows its errors from the first request on (not a
/// bare 404), and the real page once a save fixes it.
#[test]
fn a_course_broken_from_the_start_shows_its_errors_then_recovers() {
    let tmp = TempDir::new("serve-broken");
    let course = tmp.path().join("course");
    let c = course.to_string_lossy().to_string();
    assert!(run(&["new", &c]).status.success());
    let syllabus = course.join("content/syllabus.md");
    let good = std::fs::read_to_string(&syllabus).expect("syllabus");
    std::fs::write(&syllabus, "---\ntitle: [unclosed\n---\nx\n").expect("break");
    let server = start(&course);
    let port = server.port;
    for path in ["/", "/spring-2027/syllabus/", "/no/such/page/"] {
        let (status, body) = get(port, path);
        assert_eq!(status, 500, "{path}");
        assert!(body.contains("id=\"semester-error\""), "{body}");
        assert!(body.contains("<strong>semester: the course does not build yet; fix these and save, and the page reloads.</strong>"));
        assert!(
            body.contains("content/syllabus.md:2:8: error: this `[` is never closed"),
            "{body}"
        );
        assert!(
            body.contains("/__semester/events"),
            "the page reloads itself"
        );
    }
    let events = listen(port);
    std::thread::sleep(Duration::from_millis(200));
    std::fs::write(&syllabus, format!("{good}\nMended.\n")).expect("fix");
    assert_eq!(wait_event(&events, "reload"), "[\"*\"]");
    let body = wait_for(port, "/spring-2027/syllabus/", |b| b.contains("Mended."));
    assert!(!body.contains("id=\"semester-error\""));
}
