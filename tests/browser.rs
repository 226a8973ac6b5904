//! The built bundled course in a real browser (issue 5, "Checked in CI, with real clients"):
//! Debian's headless Chromium, driven over the Chrome DevTools Protocol by the small client
//! below, loads the site from a tiny HTTP server on 127.0.0.1 and checks
//! - axe-core: no serious or critical violation on the home, syllabus, a topic, a lab and the
//!   calendar pages, in light and in dark mode;
//! - at 390 px (a phone) no page scrolls sideways (code blocks and tables scroll in themselves);
//! - the dark-mode toggle switches the page and the code colours, and is remembered;
//! - loading a page requests nothing from another host.
//!
//! Chromium is `SEMESTER_CHROMIUM` or the `chromium` on PATH; axe-core is `SEMESTER_AXE_JS` or
//! target/ci-tools/node_modules/axe-core/axe.min.js (`.ci/run` installs both). Where one is
//! missing, the checks say they are skipped (`common::need`); under `CI=true` they fail.
//! `SEMESTER_TEST_COURSE=DIR` checks another course than the repository's own.

mod common;

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::TempDir;
use serde_json::{Value, json};
use tungstenite::{Message, WebSocket};

// ---- Tools ---------------------------------------------------------------------------------

/// axe-core's script, or a failure that says how to get it.
#[track_caller]
fn axe_source() -> Option<String> {
    let p = std::env::var_os("SEMESTER_AXE_JS")
        .map(PathBuf::from)
        .unwrap_or_else(|| common::repo().join("target/ci-tools/node_modules/axe-core/axe.min.js"));
    common::need(
        std::fs::read_to_string(&p).ok(),
        &format!(
            "axe-core: no {} (set SEMESTER_AXE_JS, or run `.ci/run tools`)",
            p.display()
        ),
    )
}

// ---- The site and a file server for it -----------------------------------------------------

/// The built course, served over HTTP on 127.0.0.1.
struct Site {
    dir: TempDir,
    origin: String,
    term: String,
}

impl Site {
    fn build(tag: &str) -> Site {
        Site::build_with(tag, &[])
    }

    /// Builds the course with extra arguments (`--as-of …`) and serves it.
    fn build_with(tag: &str, extra: &[&str]) -> Site {
        let root = std::env::var_os("SEMESTER_TEST_COURSE")
            .map(PathBuf::from)
            .unwrap_or_else(common::repo);
        Site::build_at(tag, &root, extra)
    }

    /// The course moved over from a just-the-docs site (tests/moved_course.rs).
    fn moved_course(tag: &str) -> Site {
        Site::build_at(tag, &common::repo().join("tests/fixtures/from-jekyll"), &[])
    }

    fn build_at(tag: &str, root: &Path, extra: &[&str]) -> Site {
        let dir = TempDir::new(tag);
        let result = Command::new(env!("CARGO_BIN_EXE_semester"))
            .arg("build")
            .arg("--root")
            .arg(root)
            .arg("--out")
            .arg(dir.path())
            .args(["--base-url", "/"])
            .args(extra)
            .output()
            .expect("run semester build");
        assert!(
            result.status.success(),
            "semester build failed on {}:\n{}",
            root.display(),
            String::from_utf8_lossy(&result.stderr)
        );
        let versions: Value = serde_json::from_str(
            &std::fs::read_to_string(dir.path().join("versions.json")).expect("versions.json"),
        )
        .expect("versions.json is JSON");
        let term = versions
            .as_array()
            .and_then(|vs| vs.iter().find(|v| v["current"] == json!(true)))
            .and_then(|v| v["id"].as_str())
            .expect("versions.json names the current term")
            .to_string();
        let port = serve(dir.path().to_path_buf());
        Site {
            dir,
            origin: format!("http://127.0.0.1:{port}"),
            term,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.origin)
    }

    /// `/<term>/<section>/<slug>/` of the section's pages, sorted.
    fn pages_in(&self, section: &str) -> Vec<String> {
        let dir = self.dir.path().join(&self.term).join(section);
        let mut slugs: Vec<String> = std::fs::read_dir(&dir)
            .map(|rd| {
                rd.filter_map(Result::ok)
                    .filter(|e| e.path().join("index.html").is_file())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        slugs.sort();
        slugs
            .into_iter()
            .map(|s| format!("/{}/{section}/{s}/", self.term))
            .collect()
    }

    /// The page of a section that shows the most kinds of content (highlighted code, math,
    /// tables, alerts, footnotes, a notebook link), so the checks see as much of the theme as
    /// they can; the first page among equals.
    fn richest(&self, section: &str) -> String {
        let features = [
            "<span class=\"l",
            "<math",
            "<table",
            "markdown-alert",
            "class=\"footnotes\"",
            ".ipynb\"",
        ];
        let pages = self.pages_in(section);
        let score = |p: &String| {
            let file = self.dir.path().join(p.trim_matches('/')).join("index.html");
            let text = std::fs::read_to_string(file).unwrap_or_default();
            features.iter().filter(|f| text.contains(*f)).count()
        };
        // max_by_key keeps the last of equals: look from the end.
        pages
            .iter()
            .rev()
            .max_by_key(|p| score(p))
            .cloned()
            .unwrap_or_else(|| panic!("the course has no page in {section}/"))
    }

    /// A lab page with highlighted code on it (the richest lab).
    fn lab_with_code(&self) -> String {
        self.richest("labs")
    }

    /// Every page of the current term, as URL paths.
    fn all_pages(&self) -> Vec<String> {
        let root = self.dir.path();
        let mut pages: Vec<String> = walkdir::WalkDir::new(root.join(&self.term))
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_name() == "index.html")
            .map(|e| {
                let rel = e.path().parent().expect("folder").strip_prefix(root);
                format!("/{}/", rel.expect("below").to_string_lossy())
            })
            .collect();
        pages.sort();
        pages
    }
}

fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "ipynb" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ics" => "text/calendar; charset=utf-8",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

/// Serves `dir` on 127.0.0.1 (GET and HEAD only) from a background thread; returns the port.
fn serve(dir: PathBuf) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    let port = listener.local_addr().expect("local addr").port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let dir = dir.clone();
            std::thread::spawn(move || {
                let _ = answer(stream, &dir);
            });
        }
    });
    port
}

fn answer(mut stream: TcpStream, dir: &Path) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 || header == "\r\n" || header == "\n" {
            break;
        }
    }
    let mut parts = request_line.split_whitespace();
    let method = parts.next().unwrap_or("");
    let target = parts.next().unwrap_or("/");
    let respond = |stream: &mut TcpStream, status: &str, headers: &str, body: &[u8]| {
        let head = format!(
            "HTTP/1.1 {status}\r\n{headers}Content-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
            body.len()
        );
        stream.write_all(head.as_bytes())?;
        if method != "HEAD" {
            stream.write_all(body)?;
        }
        stream.flush()
    };
    if method != "GET" && method != "HEAD" {
        return respond(
            &mut stream,
            "405 Method Not Allowed",
            "Allow: GET, HEAD\r\n",
            b"",
        );
    }
    let path = percent_decode(target.split(['?', '#']).next().unwrap_or("/"));
    let safe = path.starts_with('/') && !path.split('/').any(|s| s == ".." || s.contains('\\'));
    let mut file = dir.join(path.trim_start_matches('/'));
    if safe && file.is_dir() {
        if !path.ends_with('/') {
            let location = format!("Location: {path}/\r\n");
            return respond(&mut stream, "301 Moved Permanently", &location, b"");
        }
        file = file.join("index.html");
    }
    match std::fs::read(&file) {
        Ok(body) if safe => {
            let ctype = format!("Content-Type: {}\r\n", content_type(&file));
            respond(&mut stream, "200 OK", &ctype, &body)
        }
        _ => {
            let body = std::fs::read(dir.join("404.html")).unwrap_or_default();
            respond(
                &mut stream,
                "404 Not Found",
                "Content-Type: text/html; charset=utf-8\r\n",
                &body,
            )
        }
    }
}

// ---- A small Chrome DevTools Protocol client -------------------------------------------------

/// A headless Chromium with a fresh profile, and one websocket to its browser target.
/// Pages are attached with flattened sessions, so one connection drives them all.
struct Browser {
    child: Child,
    ws: WebSocket<TcpStream>,
    next_id: u64,
    events: VecDeque<Value>,
    /// The profile folder, removed after the browser has closed (fields drop after `drop`).
    _profile: TempDir,
}

const TIMEOUT: Duration = Duration::from_secs(30);

impl Browser {
    fn launch(chromium: &Path, tag: &str) -> Browser {
        let profile = TempDir::new(&format!("chromium-{tag}"));
        let log = std::fs::File::create(profile.path().join("chromium.log")).expect("log file");
        let child = Command::new(chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ])
            .arg(format!(
                "--user-data-dir={}",
                profile.path().join("data").display()
            ))
            .arg("--remote-debugging-port=0")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("start chromium");
        // Until the browser is handed over, a panic here must not leave Chromium running.
        let mut guard = KillOnDrop(Some(child));
        let port_file = profile.path().join("data/DevToolsActivePort");
        let started = Instant::now();
        while started.elapsed() < TIMEOUT {
            let text = std::fs::read_to_string(&port_file).unwrap_or_default();
            let mut lines = text.lines();
            if let (Some(port), Some(path)) = (lines.next(), lines.next()) {
                let url = format!("ws://127.0.0.1:{port}{path}");
                let port: u16 = port.parse().expect("DevToolsActivePort: a port");
                let stream = TcpStream::connect(("127.0.0.1", port)).expect("connect to chromium");
                stream
                    .set_read_timeout(Some(TIMEOUT))
                    .expect("read timeout");
                let (ws, _) = tungstenite::client(url.as_str(), stream)
                    .unwrap_or_else(|e| panic!("websocket handshake with {url}: {e}"));
                // From now on reads wake up often, so deadlines are kept.
                ws.get_ref()
                    .set_read_timeout(Some(Duration::from_millis(250)))
                    .expect("read timeout");
                return Browser {
                    child: guard.0.take().expect("child"),
                    ws,
                    next_id: 0,
                    events: VecDeque::new(),
                    _profile: profile,
                };
            }
            if let Some(Ok(Some(status))) = guard.0.as_mut().map(Child::try_wait) {
                let log = std::fs::read_to_string(profile.path().join("chromium.log"));
                panic!(
                    "chromium exited with {status}:\n{}",
                    log.unwrap_or_default()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("chromium did not write DevToolsActivePort within {TIMEOUT:?}")
    }

    /// Reads one message; `None` when nothing arrived within the read timeout.
    fn read_one(&mut self) -> Option<Value> {
        match self.ws.read() {
            Ok(Message::Text(text)) => Some(serde_json::from_str(text.as_str()).expect("CDP JSON")),
            Ok(_) => None,
            Err(tungstenite::Error::Io(e))
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                None
            }
            Err(e) => panic!("CDP connection: {e}"),
        }
    }

    /// Sends a command (to a page session, or the browser when `session` is None) and waits for
    /// its answer; events that arrive meanwhile are kept for `wait_event`.
    fn call(
        &mut self,
        session: Option<&str>,
        method: &str,
        params: Value,
    ) -> Result<Value, String> {
        self.next_id += 1;
        let id = self.next_id;
        let mut msg = json!({ "id": id, "method": method, "params": params });
        if let Some(s) = session {
            msg["sessionId"] = json!(s);
        }
        self.ws
            .send(Message::text(msg.to_string()))
            .map_err(|e| format!("send {method}: {e}"))?;
        let deadline = Instant::now() + TIMEOUT;
        while Instant::now() < deadline {
            let Some(v) = self.read_one() else { continue };
            if v["id"] == json!(id) {
                return match v.get("error") {
                    Some(e) => Err(format!("{method}: {e}")),
                    None => Ok(v["result"].clone()),
                };
            }
            if v.get("method").is_some() {
                self.events.push_back(v);
            }
        }
        Err(format!("{method}: no answer within {TIMEOUT:?}"))
    }

    /// Waits for an event of `session` named `method`; earlier events stay queued.
    fn wait_event(&mut self, session: &str, method: &str) -> Result<Value, String> {
        let matches = |v: &Value| v["method"] == json!(method) && v["sessionId"] == json!(session);
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(i) = self.events.iter().position(matches) {
                return Ok(self.events.remove(i).expect("present"));
            }
            if Instant::now() > deadline {
                return Err(format!("no {method} within {TIMEOUT:?}"));
            }
            if let Some(v) = self.read_one().filter(|v| v.get("method").is_some()) {
                self.events.push_back(v);
            }
        }
    }

    /// Removes and returns the queued events of `session` named `method` (those that arrived
    /// before the answer to the last command).
    fn take_events(&mut self, session: &str, method: &str) -> Vec<Value> {
        let (taken, kept) = self
            .events
            .drain(..)
            .partition(|v| v["method"] == json!(method) && v["sessionId"] == json!(session));
        self.events = kept;
        taken.into()
    }

    /// Opens a new tab and returns a session attached to it.
    fn new_page(&mut self) -> Page<'_> {
        let target = self
            .call(None, "Target.createTarget", json!({ "url": "about:blank" }))
            .expect("create target");
        let target_id = target["targetId"].as_str().expect("targetId").to_string();
        let attached = self
            .call(
                None,
                "Target.attachToTarget",
                json!({ "targetId": target_id, "flatten": true }),
            )
            .expect("attach to target");
        let session = attached["sessionId"]
            .as_str()
            .expect("sessionId")
            .to_string();
        let mut page = Page {
            browser: self,
            session,
        };
        page.call("Page.enable", json!({}));
        page.call("Runtime.enable", json!({}));
        page
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.ws.send(Message::text(
            json!({ "id": 0, "method": "Browser.close" }).to_string(),
        ));
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Kills a child process that is dropped while still held (a launch that failed half-way).
struct KillOnDrop(Option<Child>);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        if let Some(child) = self.0.as_mut() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// One tab.
struct Page<'b> {
    browser: &'b mut Browser,
    session: String,
}

impl Page<'_> {
    fn call(&mut self, method: &str, params: Value) -> Value {
        self.browser
            .call(Some(&self.session), method, params)
            .unwrap_or_else(|e| panic!("{e}"))
    }

    /// Loads `url` and waits for its load event.
    fn goto(&mut self, url: &str) {
        let session = self.session.clone();
        self.browser.take_events(&session, "Page.loadEventFired");
        let nav = self.call("Page.navigate", json!({ "url": url }));
        if let Some(err) = nav.get("errorText").and_then(Value::as_str) {
            panic!("loading {url}: {err}");
        }
        self.browser
            .wait_event(&session, "Page.loadEventFired")
            .unwrap_or_else(|e| panic!("loading {url}: {e}"));
    }

    /// Evaluates `expression` in the page (awaiting a promise) and returns its value as JSON.
    fn eval(&mut self, expression: &str) -> Value {
        let r = self.call(
            "Runtime.evaluate",
            json!({ "expression": expression, "awaitPromise": true, "returnByValue": true }),
        );
        if let Some(ex) = r.get("exceptionDetails") {
            let text = ex["exception"]["description"]
                .as_str()
                .or(ex["text"].as_str())
                .unwrap_or("exception");
            let shown: String = expression.chars().take(200).collect();
            panic!("script failed: {text}\n  in: {shown}");
        }
        r["result"]["value"].clone()
    }

    fn viewport(&mut self, width: u32, height: u32, mobile: bool) {
        self.call(
            "Emulation.setDeviceMetricsOverride",
            json!({ "width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile }),
        );
    }

    fn color_scheme(&mut self, scheme: &str) {
        self.call(
            "Emulation.setEmulatedMedia",
            json!({ "features": [{ "name": "prefers-color-scheme", "value": scheme }] }),
        );
    }

    /// A real mouse click in the middle of the element `selector`.
    fn click(&mut self, selector: &str) {
        let at = self.eval(&format!(
            "(() => {{ const e = document.querySelector({sel}); if (!e) return null;
               e.scrollIntoView({{block: 'center'}}); const r = e.getBoundingClientRect();
               return [r.left + r.width / 2, r.top + r.height / 2, r.width, r.height]; }})()",
            sel = json!(selector)
        ));
        let at = at
            .as_array()
            .unwrap_or_else(|| panic!("no element `{selector}` to click"));
        let (x, y) = (at[0].as_f64().expect("x"), at[1].as_f64().expect("y"));
        assert!(
            at[2].as_f64() > Some(0.0) && at[3].as_f64() > Some(0.0),
            "`{selector}` is not visible"
        );
        for kind in ["mousePressed", "mouseReleased"] {
            self.call(
                "Input.dispatchMouseEvent",
                json!({ "type": kind, "x": x, "y": y, "button": "left", "clickCount": 1 }),
            );
        }
    }
}

/// Launches Chromium, or fails saying how to get it.
#[track_caller]
fn launch_browser(tag: &str) -> Option<Browser> {
    let chromium = common::need(
        common::tool("SEMESTER_CHROMIUM", "chromium"),
        "headless Chromium: no `chromium` on PATH or at SEMESTER_CHROMIUM \
         (apt-get install chromium)",
    );
    Some(Browser::launch(&chromium?, tag))
}

/// A date in the term, so the home page's "Next up" has a class and the calendar marks a week.
const TODAY: &str = "2026-02-09";

// ---- The checks --------------------------------------------------------------------------------

#[test]
fn axe_finds_no_serious_or_critical_violations_in_light_and_dark() {
    let (Some(axe), Some(mut browser)) = (axe_source(), launch_browser("axe")) else {
        return;
    };
    let started = Instant::now();
    let site = Site::build("axe");
    let t = &site.term;
    let mut pages = vec![
        format!("/{t}/?today={TODAY}"),
        format!("/{t}/syllabus/"),
        site.richest("topics"),
        site.lab_with_code(),
        format!("/{t}/calendar/?today={TODAY}"),
    ];
    if site.dir.path().join(t).join("search/index.html").is_file() {
        pages.push(format!("/{t}/search/?q=lab"));
    }
    // Every page at desktop width in both schemes; the pages with wide content on a phone too.
    let (found, runs) = run_axe(&mut browser, &axe, &site, &pages, &pages[2..5]);
    eprintln!(
        "axe: {runs} runs in {:.1?} on {}",
        started.elapsed(),
        pages.join(" ")
    );
    if !found.is_empty() {
        panic!(
            "axe-core found {} serious or critical violations:\n\n{}",
            found.len(),
            found.join("\n\n")
        );
    }
}

/// Runs axe on `pages` at desktop width in the light and dark schemes, and on `phone_pages` on
/// a phone in the dark one: the serious and critical violations, and how many runs.
fn run_axe(
    browser: &mut Browser,
    axe: &str,
    site: &Site,
    pages: &[String],
    phone_pages: &[String],
) -> (Vec<String>, usize) {
    let run = r#"axe.run(document, { resultTypes: ["violations"] }).then(r => r.violations
        .filter(v => v.impact === "serious" || v.impact === "critical")
        .map(v => ({ id: v.id, impact: v.impact, help: v.help, url: v.helpUrl,
                     nodes: v.nodes.map(n => ({ target: n.target.join(" "), html: n.html,
                                                why: n.failureSummary })) })))"#;
    let passes: [(&str, u32, u32, bool, &[String]); 3] = [
        ("light", 1280, 900, false, pages),
        ("dark", 1280, 900, false, pages),
        ("dark", 390, 844, true, phone_pages),
    ];
    let mut page = browser.new_page();
    let mut found = Vec::new();
    let mut runs = 0;
    for (scheme, width, height, mobile, list) in passes {
        page.color_scheme(scheme);
        page.viewport(width, height, mobile);
        for path in list {
            page.goto(&site.url(path));
            let dark = page.eval("matchMedia('(prefers-color-scheme: dark)').matches");
            assert_eq!(dark, json!(scheme == "dark"), "colour scheme emulation");
            page.eval(axe);
            let violations = page.eval(run);
            runs += 1;
            for v in violations.as_array().into_iter().flatten() {
                let mut text = format!(
                    "{path} ({scheme}, {width} px): {} {}: {} ({})",
                    v["impact"].as_str().unwrap_or(""),
                    v["id"].as_str().unwrap_or(""),
                    v["help"].as_str().unwrap_or(""),
                    v["url"].as_str().unwrap_or("")
                );
                let nodes = v["nodes"].as_array().cloned().unwrap_or_default();
                for n in nodes.iter().take(6) {
                    let html: String = n["html"].as_str().unwrap_or("").chars().take(160).collect();
                    let why = n["why"].as_str().unwrap_or("").replace('\n', "\n        ");
                    text.push_str(&format!(
                        "\n    at {}\n      {html}\n        {why}",
                        n["target"].as_str().unwrap_or("")
                    ));
                }
                if nodes.len() > 6 {
                    text.push_str(&format!("\n    … and {} more", nodes.len() - 6));
                }
                found.push(text);
            }
        }
    }
    (found, runs)
}

/// The course moved over from just-the-docs (buttons, labels, callouts, definition lists, math
/// with `\\bm` and `\\boxed`) has no serious or critical violation in either scheme.
#[test]
fn axe_finds_no_serious_or_critical_violations_in_the_moved_jekyll_course() {
    let (Some(axe), Some(mut browser)) = (axe_source(), launch_browser("axe-moved")) else {
        return;
    };
    let site = Site::moved_course("axe-moved");
    let pages = site.all_pages();
    let phone: Vec<String> = pages
        .iter()
        .filter(|p| p.contains("/topics/") || p.contains("/labs/"))
        .cloned()
        .collect();
    let (found, runs) = run_axe(&mut browser, &axe, &site, &pages, &phone);
    eprintln!("axe: {runs} runs on {}", pages.join(" "));
    assert!(
        found.is_empty(),
        "axe-core found {} serious or critical violations:\n\n{}",
        found.len(),
        found.join("\n\n")
    );
}

/// The search page folds a query as the index does: no accents, any case, Turkish dotted
/// capital I, text saved decomposed and entities in raw HTML all match.
#[test]
fn search_folds_accents_case_and_unicode_forms_like_the_index() {
    let Some(mut browser) = launch_browser("search-fold") else {
        return;
    };
    let site = Site::moved_course("search-fold");
    let t = site.term.clone();
    let mut page = browser.new_page();
    let glossary = format!("/{t}/glossaire/");
    let topic = format!("/{t}/topics/01-linear-models/");
    let cases: [(&str, &[&str]); 7] = [
        ("modeles", &[&glossary]),
        ("MOD%C3%88LES", &[&glossary]),
        // The English topic says "regularisation" in its description.
        ("R%C3%A9gularisation", &[&glossary, &topic]),
        ("cafe%20creme", &[&glossary]),
        ("istanbul", &[&glossary]),
        ("%C4%B0NSAN", &[&glossary]),
        ("i%C5%9Fik", &[&glossary]),
    ];
    for (query, want) in cases {
        let found = search(&mut page, &site, query);
        let hrefs: Vec<&str> = found["results"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|r| r["href"].as_str())
            .collect();
        assert_eq!(hrefs, want, "{query}: {found}");
        let marked = found["results"][0]["marked"].as_array().map_or(0, Vec::len);
        assert!(marked > 0, "{query}: the excerpt marks the word: {found}");
    }
    // Code keeps its spacing in excerpts, and the words of `-sSL` are found.
    let found = search(&mut page, &site, "sSL");
    let excerpt_words = found["results"][0]["marked"].clone();
    assert_eq!(excerpt_words, json!(["-sSL"]), "{found}");
}

/// Pages written the way authors write them (tests/fixtures/authored: `#` → `###` outlines,
/// colliding and emoji-only headings, footnotes, raw HTML) have no axe violation of any impact,
/// `heading-order`, `duplicate-id` and `empty-heading` included.
#[test]
fn authored_pages_have_no_axe_violation_of_any_impact() {
    let (Some(axe), Some(mut browser)) = (axe_source(), launch_browser("axe-authored")) else {
        return;
    };
    let site = Site::build_at(
        "axe-authored",
        &common::repo().join("tests/fixtures/authored"),
        &[],
    );
    let run = r#"axe.run(document, { resultTypes: ["violations"] }).then(r => r.violations
        .map(v => v.impact + " " + v.id + ": " + v.nodes.map(n => n.html.slice(0, 120)).join(" | ")))"#;
    let mut page = browser.new_page();
    let mut found = Vec::new();
    for path in [
        "syllabus/",
        "notes/ids/",
        "topics/03-serving/",
        "labs/01-raw-html/",
        "labs/02-notebook-style/",
    ] {
        page.goto(&site.url(&format!("/{}/{path}", site.term)));
        page.eval(&axe);
        let violations = page.eval(run);
        for v in violations.as_array().into_iter().flatten() {
            found.push(format!("{path}: {}", v.as_str().unwrap_or("")));
        }
    }
    assert!(found.is_empty(), "axe-core found:\n{}", found.join("\n"));
}

/// A function of the device width: the page's width, the window's, and what makes the page wider
/// than the device: the outermost elements that stick out on the right and are not inside a box
/// that scrolls or clips. (With phone emulation the window itself widens to fit a page that is
/// too wide, so both are compared with the device width too.)
const OVERFLOW_REPORT: &str = r##"((device) => {
  const iw = Math.min(window.innerWidth, device), sw = document.documentElement.scrollWidth;
  const clipped = e => { for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
      if (getComputedStyle(p).overflowX !== "visible") return true; } return false; };
  const name = e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") +
      (e.className && typeof e.className === "string" ? "." + e.className.trim().split(/\s+/).join(".") : "");
  const wide = [];
  if (sw > iw) for (const e of document.body.querySelectorAll("*")) {
    const r = e.getBoundingClientRect();
    if (r.right > iw + 0.5 && !clipped(e) && !(e.parentElement && e.parentElement.getBoundingClientRect().right > iw + 0.5))
      wide.push(name(e) + " (right edge " + Math.round(r.right) + "px)");
    if (wide.length >= 5) break;
  }
  return { scrollWidth: sw, innerWidth: window.innerWidth, wide };
})"##;

#[test]
fn pages_do_not_scroll_sideways_on_a_phone() {
    let Some(mut browser) = launch_browser("phone") else {
        return;
    };
    let started = Instant::now();
    let site = Site::build("phone");
    let mut paths = site.all_pages();
    let calendar = format!("/{}/calendar/", site.term);
    let lab = site.lab_with_code();
    assert!(
        paths.contains(&calendar),
        "no calendar page among {paths:?}"
    );
    assert!(paths.contains(&lab));
    paths.push(format!("/{}/?today={TODAY}", site.term));
    paths.push(format!("{calendar}?today={TODAY}"));
    let mut page = browser.new_page();
    let mut problems = Vec::new();
    let sizes: [(u32, u32, bool, &str); 2] = [
        (390, 844, true, "390 px phone"),
        (1280, 900, false, "1280 px"),
    ];
    for (width, height, mobile, label) in sizes {
        page.viewport(width, height, mobile);
        // Every page on the phone; the calendar and the lab on the desktop.
        let list: Vec<&String> = if mobile {
            paths.iter().collect()
        } else {
            vec![&calendar, &lab]
        };
        for path in list {
            page.goto(&site.url(path));
            let r = page.eval(&format!("({OVERFLOW_REPORT})({width})"));
            let (sw, iw) = (
                r["scrollWidth"].as_f64().unwrap_or(0.0),
                r["innerWidth"].as_f64().unwrap_or(0.0),
            );
            assert!(iw > 0.0, "{path}: no window width");
            if sw > iw || iw > f64::from(width) {
                problems.push(format!(
                    "{path} at {label}: the page is {sw}px wide (window {iw}px); sticking out: {}",
                    r["wide"]
                ));
            }
        }
    }
    // Long code lines scroll inside their block, which stays within the window.
    page.viewport(390, 844, true);
    page.goto(&site.url(&lab));
    let code = page.eval(
        "[...document.querySelectorAll('pre')].map(p => [p.getBoundingClientRect().right <= innerWidth + 0.5, \
         getComputedStyle(p).overflowX, p.scrollWidth > p.clientWidth])",
    );
    for (i, c) in code.as_array().into_iter().flatten().enumerate() {
        if c[0] != json!(true)
            || (c[2] == json!(true) && c[1] != json!("auto") && c[1] != json!("scroll"))
        {
            problems.push(format!(
                "{lab}: code block {i} at 390 px does not scroll in itself: {c}"
            ));
        }
    }
    eprintln!("phone: {} pages in {:.1?}", paths.len(), started.elapsed());
    assert!(
        problems.is_empty(),
        "pages wider than the window:\n  {}",
        problems.join("\n  ")
    );
}

/// The computed colour of the first highlighted token whose colour is its own (not the block's),
/// the code block's background, the page background, and the theme state.
const THEME_STATE: &str = r##"(() => {
  const pre = document.querySelector("pre.code");
  const base = pre ? getComputedStyle(pre).color : null;
  const token = pre && [...pre.querySelectorAll("span[class]")].find(s => getComputedStyle(s).color !== base);
  const button = document.querySelector(".theme-toggle");
  let stored = null; try { stored = localStorage.getItem("semester-theme"); } catch (e) { stored = "error: " + e; }
  return { theme: document.documentElement.getAttribute("data-theme"), stored,
           pressed: button ? button.getAttribute("aria-pressed") : null,
           token: token ? getComputedStyle(token).color : null,
           tokenText: token ? token.textContent : null,
           codeBg: pre ? getComputedStyle(pre).backgroundColor : null,
           pageBg: getComputedStyle(document.body).backgroundColor };
})()"##;

#[test]
fn dark_mode_toggle_switches_code_colours_and_is_remembered() {
    let Some(mut browser) = launch_browser("toggle") else {
        return;
    };
    let site = Site::build("toggle");
    let lab = site.url(&site.lab_with_code());
    let home = site.url(&format!("/{}/", site.term));
    let mut page = browser.new_page();
    page.viewport(1280, 900, false);
    page.color_scheme("light");
    page.goto(&lab);
    let light = page.eval(THEME_STATE);
    assert_eq!(
        light["stored"],
        Value::Null,
        "a fresh profile has no choice stored: {light}"
    );
    assert_eq!(
        light["pressed"],
        json!("false"),
        "the toggle is there and off: {light}"
    );
    assert!(
        light["token"].is_string(),
        "the lab has a highlighted token: {light}"
    );

    page.click(".theme-toggle");
    let dark = page.eval(THEME_STATE);
    assert_eq!(dark["theme"], json!("dark"), "{dark}");
    assert_eq!(
        dark["stored"],
        json!("dark"),
        "the choice is stored: {dark}"
    );
    assert_eq!(dark["pressed"], json!("true"), "{dark}");
    assert_ne!(
        dark["token"], light["token"],
        "code colours switch with the page: {light} → {dark}"
    );
    assert_ne!(dark["codeBg"], light["codeBg"], "{light} → {dark}");
    assert_ne!(dark["pageBg"], light["pageBg"], "{light} → {dark}");

    // Remembered: on reload, and on another page.
    page.goto(&lab);
    let again = page.eval(THEME_STATE);
    assert_eq!(
        (&again["theme"], &again["token"]),
        (&json!("dark"), &dark["token"]),
        "after reload: {again}"
    );
    page.goto(&home);
    let home_state = page.eval(THEME_STATE);
    assert_eq!(
        home_state["theme"],
        json!("dark"),
        "on the home page: {home_state}"
    );
    assert_eq!(home_state["pageBg"], dark["pageBg"], "{home_state}");

    // Back to light, and the stored choice wins over a dark system.
    page.goto(&lab);
    page.click(".theme-toggle");
    let back = page.eval(THEME_STATE);
    assert_eq!(
        (&back["theme"], &back["stored"]),
        (&json!("light"), &json!("light")),
        "{back}"
    );
    assert_eq!(back["token"], light["token"], "{back}");
    page.color_scheme("dark");
    page.goto(&lab);
    let chosen = page.eval(THEME_STATE);
    assert_eq!(
        chosen["token"], light["token"],
        "a stored light choice beats a dark system: {chosen}"
    );
    assert_eq!(chosen["pressed"], json!("false"), "{chosen}");

    // With no choice stored, a dark system gives dark code colours.
    page.eval("localStorage.removeItem('semester-theme')");
    page.goto(&lab);
    let system = page.eval(THEME_STATE);
    assert_eq!(system["theme"], Value::Null, "{system}");
    assert_eq!(system["token"], dark["token"], "a dark system: {system}");
    assert_eq!(system["pressed"], json!("true"), "{system}");
}

#[test]
fn pages_request_nothing_from_another_host() {
    let Some(mut browser) = launch_browser("network") else {
        return;
    };
    let site = Site::build("network");
    let t = site.term.clone();
    let paths = [
        format!("/{t}/"),
        format!("/{t}/?today={TODAY}"),
        site.lab_with_code(),
        format!("/{t}/calendar/"),
    ];
    let mut page = browser.new_page();
    page.viewport(1280, 900, false);
    page.call("Network.enable", json!({}));
    let session = page.session.clone();
    let mut problems = Vec::new();
    let mut seen = 0;
    let own = format!("{}/", site.origin);
    for path in &paths {
        page.goto(&site.url(path));
        // Let late requests (script-started fetches, lazy images) be made.
        page.eval("new Promise(r => setTimeout(r, 300))");
        for e in page
            .browser
            .take_events(&session, "Network.requestWillBeSent")
        {
            let url = e["params"]["request"]["url"]
                .as_str()
                .unwrap_or("")
                .to_string();
            seen += 1;
            let local = url.starts_with(&own)
                || url.starts_with("data:")
                || url.starts_with("blob:")
                || url.starts_with("about:");
            if !local {
                problems.push(format!("{path}: requested {url}"));
            }
        }
    }
    assert!(
        seen >= paths.len() * 2,
        "recorded only {seen} requests: is the Network domain on?"
    );
    assert!(
        problems.is_empty(),
        "requests to another host:\n  {}",
        problems.join("\n  ")
    );
}

/// Runs a query on the search page and returns its status line and results.
fn search(page: &mut Page<'_>, site: &Site, query: &str) -> serde_json::Value {
    let t = site.term.clone();
    page.goto(&site.url(&format!("/{t}/search/?q={query}")));
    page.eval(
        r#"new Promise((resolve) => {
            const started = Date.now();
            (function poll() {
                const items = [...document.querySelectorAll('.search-result')];
                const status = document.querySelector('.search-status').textContent;
                const done = items.length || /No page|Type a word|could not/.test(status);
                if (done || Date.now() - started > 8000) {
                    resolve({
                        status,
                        results: items.map(li => ({
                            section: (li.querySelector('.search-section') || {}).textContent || '',
                            title: li.querySelector('.search-title').textContent,
                            href: li.querySelector('.search-title').getAttribute('href'),
                            marked: [...li.querySelectorAll('.search-excerpt mark')].map(m => m.textContent),
                        })),
                    });
                } else {
                    setTimeout(poll, 50);
                }
            })();
        })"#,
    )
}

#[test]
fn search_finds_pages_with_their_section_and_a_snippet() {
    let Some(mut browser) = launch_browser("search") else {
        return;
    };
    let site = Site::build("search");
    let t = site.term.clone();
    let mut page = browser.new_page();
    page.viewport(390, 844, true);
    let found = search(&mut page, &site, "triton");
    let results = found["results"].as_array().cloned().unwrap_or_default();
    assert!(!results.is_empty(), "no results: {found}");
    // The two pages about serving mention Triton most: they rank first.
    let top: Vec<&str> = results[..2]
        .iter()
        .map(|r| r["href"].as_str().unwrap_or(""))
        .collect();
    assert!(
        top.iter().any(|h| h.contains("/labs/07-model-serving/"))
            && top.iter().any(|h| h.contains("/topics/07-model-serving/")),
        "{found}"
    );
    let serving = results
        .iter()
        .find(|r| {
            r["href"]
                .as_str()
                .unwrap_or("")
                .contains("/labs/07-model-serving/")
        })
        .unwrap_or_else(|| panic!("the serving lab is found: {found}"));
    assert_eq!(serving["section"], "Labs", "{found}");
    let marked = serving["marked"].as_array().cloned().unwrap_or_default();
    assert!(
        !marked.is_empty()
            && marked
                .iter()
                .all(|m| m.as_str().unwrap_or("").to_lowercase().contains("triton")),
        "the excerpt marks the word: {found}"
    );
    assert!(
        found["status"].as_str().unwrap_or("").contains("triton"),
        "{found}"
    );
    // Every result links to a page of this term.
    for r in &results {
        let href = r["href"].as_str().unwrap_or("");
        assert!(href.starts_with(&format!("/{t}/")), "{href}");
    }

    // A word's beginning finds the whole word; every word of the query must match.
    let prefix = search(&mut page, &site, "quantiz");
    let hrefs: Vec<String> = prefix["results"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|r| r["href"].as_str().unwrap_or("").to_string())
        .collect();
    assert!(
        hrefs.iter().any(|h| h.contains("/labs/07-model-serving/")),
        "{prefix}"
    );
    let both = search(&mut page, &site, "triton%20quantiz");
    let both_n = both["results"].as_array().map_or(0, Vec::len);
    assert!(
        both_n >= 1 && both_n <= hrefs.len().min(results.len()),
        "AND of the two: {both}"
    );
    let none = search(&mut page, &site, "xylophonic");
    assert!(
        none["status"]
            .as_str()
            .unwrap_or("")
            .contains("No page matches"),
        "{none}"
    );
}

// ---- Next up ---------------------------------------------------------------------------------

/// The "Next up" box as lines of text: its status, headings and items, in order.
const NEXT_UP_TEXT: &str = r##"(() => {
  const box = document.querySelector(".next-up");
  if (!box) return null;
  return [box.getAttribute("data-state")].concat([...box.querySelectorAll(
    ".next-up-status, .next-up-heading, .next-up .cal-item, .next-up-empty")]
    .map(e => e.textContent.replace(/\s+/g, " ").trim()));
})()"##;

/// The same lines from a built file, read without script: the box as the build wrote it.
fn next_up_in_file(html: &str) -> Vec<String> {
    let start = html
        .find("<section class=\"next-up\"")
        .expect("a next-up box");
    let rest = &html[start..];
    let body = &rest[..rest.find("<script").expect("its data")];
    let state = body
        .split("data-state=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap_or_default();
    let mut out = vec![state.to_string()];
    // Each status, heading, item and empty note, in order; its text is the tags removed.
    let openers = [
        ("<p class=\"next-up-status", "</p>"),
        ("<h3 class=\"next-up-heading", "</h3>"),
        ("<li class=\"cal-item", "</li>"),
        ("<p class=\"muted next-up-empty", "</p>"),
    ];
    let mut at = 0;
    while let Some((start, close)) = openers
        .iter()
        .filter_map(|(o, c)| body[at..].find(o).map(|i| (at + i, *c)))
        .min()
    {
        let end = start + body[start..].find(close).expect("closed");
        let mut text = String::new();
        let mut in_tag = false;
        for c in body[start..end].chars() {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                c if !in_tag => text.push(c),
                _ => {}
            }
        }
        let text = text.replace("&#x27;", "'").replace("&amp;", "&");
        out.push(text.split_whitespace().collect::<Vec<_>>().join(" "));
        at = end;
    }
    out
}

/// Built for a day (`--as-of`), the home page's "Next up" says the right things without
/// script; opened with `?today=` that day on a site built for another day, the script says the
/// same. Five days: before the term, a Sunday before a Monday deadline, inside the spring
/// recess, the finals period, after the term. The calendar page holds the finals-period
/// items and scrolls to the current week.
#[test]
fn next_up_is_right_on_every_kind_of_day() {
    let Some(mut browser) = launch_browser("next-up") else {
        return;
    };
    if std::env::var_os("SEMESTER_TEST_COURSE").is_some() {
        eprintln!("skipped: the expectations are the bundled course's");
        return;
    }
    let days: [(&str, &[&str]); 5] = [
        (
            "2026-01-10",
            &[
                "before",
                "The term starts Tue, Jan 20, in 10 days.",
                "First class",
                "Mon, Jan 26 11:00 AM–1:30 PM in 16 days Class MLOps principles · Lecture · Session 1 · 370 Jay Street, Room 202",
                "Due in the next 7 days",
                "Nothing is due until then.",
            ],
        ),
        (
            "2026-03-01",
            &[
                "term",
                "Next class",
                "Mon, Mar 2 11:00 AM–1:30 PM tomorrow Class Training infrastructure and platforms · Lecture · Session 6 · 370 Jay Street, Room 202",
                "Due in the next 7 days",
                "Mon, Mar 2 11:59 PM tomorrow Due Lab 4: Data pipelines due",
                "Mon, Mar 2 11:59 PM tomorrow Due Lab 5: Distributed training due",
                "Mon, Mar 2 11:59 PM tomorrow Event Project proposal due",
            ],
        ),
        (
            "2026-03-18",
            &[
                "break",
                "Spring recess until Sun, Mar 22.",
                "Next class",
                "Mon, Mar 23 11:00 AM–1:30 PM in 5 days Class Monitoring and evaluating ML systems · Lecture · Session 8 · 370 Jay Street, Room 202",
                "Due meanwhile",
                "Mon, Mar 23 11:59 PM in 5 days Due Lab 7: Model serving due",
            ],
        ),
        (
            "2026-05-13",
            &[
                "finals",
                "Classes are over.",
                "Still due",
                "Mon, May 18 11:00 AM in 5 days Event Final project presentations",
            ],
        ),
        ("2026-05-25", &["over", "The term is over."]),
    ];
    let sites: Vec<Site> = days
        .iter()
        .map(|(day, _)| Site::build_with(&format!("next-{day}"), &["--as-of", day]))
        .collect();
    let mut page = browser.new_page();
    page.viewport(390, 844, true);
    for (i, (day, want)) in days.iter().enumerate() {
        let want: Vec<String> = want.iter().map(|s| s.replace('\u{a0}', " ")).collect();
        let site = &sites[i];
        let home = site.dir.path().join(&site.term).join("index.html");
        let html = std::fs::read_to_string(&home).expect("home page");
        let no_script: Vec<String> = next_up_in_file(&html)
            .iter()
            .map(|s| s.replace('\u{a0}', " "))
            .collect();
        assert_eq!(no_script, want, "built --as-of {day}, read without script");
        // Another day's build, corrected by the script from ?today=.
        let other = &sites[(i + 1) % sites.len()];
        for path in [
            format!("/{}/?today={day}", other.term),
            format!("/{}/calendar/?today={day}", other.term),
        ] {
            page.goto(&other.url(&path));
            let shown = page.eval(NEXT_UP_TEXT);
            let shown: Vec<String> = shown
                .as_array()
                .unwrap_or_else(|| panic!("{path}: no next-up box"))
                .iter()
                .map(|v| v.as_str().unwrap_or_default().replace('\u{a0}', " "))
                .collect();
            assert_eq!(shown, want, "{path} on the site built for another day");
        }
    }
    // The finals period is on the calendar page, in its own week after the last class.
    let finals = &sites[3];
    let cal = std::fs::read_to_string(
        finals
            .dir
            .path()
            .join(&finals.term)
            .join("calendar/index.html"),
    )
    .expect("calendar page");
    let week = cal
        .find("<span class=\"week-label\">Finals period</span>")
        .expect("a finals week");
    assert!(cal[week..].contains("Final project presentations"));
    // The calendar page scrolls to the reader's week: the recess on 2026-03-18.
    page.goto(&finals.url(&format!("/{}/calendar/?today=2026-03-18", finals.term)));
    let at = page.eval(
        "(() => { const w = document.querySelector('.week.current-week'); \
         return w ? [w.id, Math.round(w.getBoundingClientRect().top), scrollY > 0] : null; })()",
    );
    assert_eq!(at[0], json!("sm-week-2026-03-16"), "{at}");
    // At the top, below its 1rem scroll margin.
    assert!(
        at[1].as_i64().is_some_and(|t| (0..=24).contains(&t)),
        "the week is at the top: {at}"
    );
    assert_eq!(at[2], json!(true));
}

/// The bundled course in Arabic and in German (issue 17): no serious or critical axe violation
/// in either scheme, no page wider than a 390 px phone, no calendar label wider than its box,
/// and in Arabic the page runs right to left (the navigation starts at the right edge) while
/// code blocks stay left to right.
#[test]
fn arabic_and_german_sites_pass_axe_fit_a_phone_and_mirror() {
    let (Some(axe), Some(mut browser)) = (axe_source(), launch_browser("i18n")) else {
        return;
    };
    let tmp = TempDir::new("i18n-courses");
    let mut problems = Vec::new();
    for lang in ["ar", "de"] {
        let root = common::bundled_course_in(&tmp, lang);
        let site = Site::build_at(&format!("i18n-{lang}"), &root, &[]);
        let t = &site.term;
        let pages = vec![
            format!("/{t}/?today={TODAY}"),
            format!("/{t}/calendar/?today={TODAY}"),
            site.lab_with_code(),
            format!("/{t}/syllabus/"),
        ];
        let (found, _) = run_axe(&mut browser, &axe, &site, &pages, &pages);
        problems.extend(found.into_iter().map(|f| format!("{lang}: {f}")));
        let mut page = browser.new_page();
        page.viewport(390, 844, true);
        for path in site.all_pages() {
            page.goto(&site.url(&path));
            let r = page.eval("[document.documentElement.scrollWidth, innerWidth]");
            if r[0].as_f64() > r[1].as_f64() || r[1].as_f64() > Some(390.0) {
                problems.push(format!("{lang} {path}: {r} wide at 390 px"));
            }
        }
        for (width, mobile) in [(390, true), (1280, false)] {
            page.viewport(width, 900, mobile);
            page.goto(&site.url(&format!("/{t}/calendar/")));
            let over = page.eval(
                "[...document.querySelectorAll('.cal-kind')].filter(e => { \
                   const k = e.getBoundingClientRect(), w = e.nextElementSibling.getBoundingClientRect(); \
                   const rtl = getComputedStyle(e).direction === 'rtl'; \
                   return e.scrollWidth > e.clientWidth + 1 || (rtl ? k.left < w.right - 1 : k.right > w.left + 1); \
                 }).map(e => e.textContent)",
            );
            if over.as_array().is_some_and(|a| !a.is_empty()) {
                problems.push(format!(
                    "{lang} at {width} px: kind labels overflow: {over}"
                ));
            }
        }
        page.viewport(1280, 900, false);
        page.goto(&site.url(&site.lab_with_code()));
        let dirs = page.eval(
            "[getComputedStyle(document.body).direction, getComputedStyle(document.querySelector('pre')).direction, \
             document.querySelector('.site-nav a').getBoundingClientRect().right > innerWidth / 2]",
        );
        let want = if lang == "ar" {
            json!(["rtl", "ltr", true])
        } else {
            json!(["ltr", "ltr", false])
        };
        if dirs != want {
            problems.push(format!(
                "{lang}: body, code direction and nav side {dirs}, want {want}"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

/// The just-the-class site imported (tests/import.rs) and built on 2025-01-28: the staff page
/// lists the staff by role with pronouns, photo and office hours from the term; the home page
/// shows the latest two announcements, newest first; the one dated later is nowhere.
#[test]
fn staff_page_and_announcements_of_an_imported_course() {
    let Some(mut browser) = launch_browser("staff") else {
        return;
    };
    let tmp = TempDir::new("staff-import");
    let course = tmp.path().join("course");
    let src = common::repo().join("tests/fixtures/jekyll/just-the-class");
    let import = Command::new(env!("CARGO_BIN_EXE_semester"))
        .args(["import", "jekyll"])
        .arg(&src)
        .arg(&course)
        .output()
        .expect("run semester import");
    assert!(
        import.status.success(),
        "{}",
        String::from_utf8_lossy(&import.stderr)
    );
    let site = Site::build_at("staff", &course, &["--as-of", "2025-01-28"]);
    let t = site.term.clone();
    let mut page = browser.new_page();
    page.goto(&site.url(&format!("/{t}/staff/")));
    let staff = page.eval(
        r#"Promise.all([...document.querySelectorAll("main .instructors")].map(async s => ({
            role: s.querySelector("h2").textContent,
            people: [...s.querySelectorAll(".person")].map(p => p.querySelector(".person-name").textContent),
            photos: await Promise.all([...s.querySelectorAll("img.person-photo")].map(i => fetch(i.src).then(r => r.status))),
            hours: [...s.querySelectorAll("dd")].map(d => d.textContent).filter(t => /Thu/.test(t)),
        })))"#,
    );
    assert_eq!(
        staff,
        json!([
            { "role": "Instructor", "people": ["Rosa Quintero (she/her)"], "photos": [200], "hours": [] },
            { "role": "Teaching Assistant", "people": ["Li Wei", "Sam Okafor"], "photos": [],
              "hours": ["Thu 3:00\u{202f}PM–4:00\u{202f}PM, Lab 2"] }
        ])
    );
    page.goto(&site.url(&format!("/{t}/")));
    let home = page.eval(
        r#"({ latest: [...document.querySelectorAll(".announcement-list li a")].map(a => a.textContent),
             feed: document.querySelector('link[type="application/atom+xml"]').getAttribute("href") })"#,
    );
    assert_eq!(
        home,
        json!({ "latest": ["Office hours moved", "Welcome to CS 2420"], "feed": format!("/{t}/announcements.xml") })
    );
    page.goto(&site.url(&format!("/{t}/announcements/")));
    let listed = page.eval(
        r#"[...document.querySelectorAll(".page-card")].map(c => c.querySelector("a").textContent + " · " + c.querySelector("time").getAttribute("datetime"))"#,
    );
    assert_eq!(
        listed,
        json!([
            "Office hours moved · 2025-01-27",
            "Welcome to CS 2420 · 2025-01-20"
        ])
    );
    let exam = page.eval(&format!(
        "fetch('/{t}/announcements/exam/').then(r => r.status)"
    ));
    assert_eq!(exam, json!(404));
}
