//! `semester serve`: build into memory, serve over HTTP, rebuild on every save, reload the
//! pages whose output changed.
//!
//! Stages, as in a build: the watcher collects changed paths (a 3 ms quiet period folds an
//! editor's write-rename save into one change); [`Server::rebuild_after`] patches the last site
//! when the change reaches only the saved pages' own files (`site::patch`), else runs the normal
//! pipeline with a [`BuildCache`], so only pages whose inputs changed are rendered again; the new
//! files are compared with the old and the changed URLs go to the open pages over server-sent
//! events.
//! A failed build keeps the last good site, and its errors go to the terminal and to an overlay
//! in the browser.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant, SystemTime};

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, Response, StatusCode, Uri, header};
use axum::response::IntoResponse;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::StreamExt as _;
use tokio::sync::broadcast;

use crate::base::diagnostics::Diagnostics;
use crate::base::{files::Data, options::BuildOptions};
pub use crate::serve_hosts::HostPolicy;
use crate::site::cache::BuildCache;

mod http;
mod incremental;
mod watch;

pub use http::file_key;
use http::{content_type, error_page, error_text, inject, plain, url_of};
use watch::{collect, open_browser};

/// Where the live-reload events are served.
pub const EVENTS_PATH: &str = "/__semester/events";

/// How long the watcher waits for more events before it rebuilds.
const QUIET: Duration = Duration::from_millis(3);

/// `semester serve`'s settings.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The course folder.
    pub root: PathBuf,
    /// The address to listen on.
    pub bind: IpAddr,
    /// The port (0: any free port).
    pub port: u16,
    /// Open the site in a browser.
    pub open: bool,
    /// Include drafts.
    pub drafts: bool,
    /// Include private pages.
    pub private: bool,
    /// Print the time of each stage of every rebuild.
    pub verbose: bool,
    /// Host names besides localhost and the bound address that requests may name
    /// (`--allow-host`, e.g. a name in /etc/hosts or a tunnel's host).
    pub allow_hosts: Vec<String>,
}

/// A file of the served site.
#[derive(Clone)]
enum Served {
    Memory(Arc<Vec<u8>>),
    Static(&'static [u8]),
    /// A source file served as it is, with the metadata it had when the build listed it.
    Disk(PathBuf, Option<(SystemTime, u64)>),
}

impl Served {
    fn same_as(&self, other: &Served) -> bool {
        match (self, other) {
            (Served::Memory(a), Served::Memory(b)) => Arc::ptr_eq(a, b) || a == b,
            (Served::Static(a), Served::Static(b)) => a == b,
            (Served::Disk(a, m), Served::Disk(b, n)) => a == b && m == n && m.is_some(),
            _ => false,
        }
    }
}

/// What the server serves now.
#[derive(Default, Clone)]
struct Snapshot {
    files: HashMap<String, Served>,
    /// The errors of the last build, when it failed.
    error: Option<String>,
}

/// What the open pages are told.
#[derive(Debug, Clone)]
pub enum Signal {
    /// These URL paths changed: pages showing one of them reload.
    Reload(Vec<String>),
    /// Only stylesheets changed: pages swap them without reloading.
    Css,
    /// The build failed: show the overlay with this text.
    Error(String),
}

/// The serving process: the caches, the current site and the channel to the open pages.
pub struct Server {
    root: PathBuf,
    options: BuildOptions,
    cache: BuildCache,
    /// The code cache file of `public/` (`site::disk_cache::code_path`), shared with `build`.
    code_cache: Option<PathBuf>,
    snapshot: RwLock<Arc<Snapshot>>,
    signals: broadcast::Sender<Signal>,
    hosts: HostPolicy,
    /// The last good build, for patching (`None` after a failed one).
    last: Mutex<Option<crate::site::patch::Last>>,
}

/// The result of one rebuild, for the terminal.
pub struct Rebuild {
    /// How long it took.
    pub took: Duration,
    /// Output paths that changed (`None` when the build failed).
    pub changed: Option<Vec<String>>,
    /// The errors, printed.
    pub errors: String,
    /// Time per stage (`--verbose`).
    pub timings: Vec<(&'static str, Duration)>,
    /// Whether only the saved pages were rendered again, into the last site (`site::patch`),
    /// rather than the whole pipeline run.
    pub patched: bool,
}

impl Server {
    /// A server for the course at `root` that answers requests `hosts` allows; nothing is
    /// built yet.
    pub fn new(root: &Path, drafts: bool, private: bool, hosts: HostPolicy) -> Arc<Server> {
        let (signals, _) = broadcast::channel(64);
        let public = crate::site::disk_cache::serve_out(root);
        let code_cache = crate::site::disk_cache::code_path(&public);
        let cache =
            BuildCache::with_code(crate::site::disk_cache::load_code(code_cache.as_deref()));
        Arc::new(Server {
            root: root.to_path_buf(),
            options: BuildOptions {
                drafts,
                private,
                as_of: crate::load::config::today_in(root),
                // The preview lives at the root of its own server, whatever base_url says.
                base_url: Some("/".into()),
                search: true,
                // serve previews a course as `build` sees it without the opt-in.
                outside_links: false,
            },
            cache,
            code_cache,
            snapshot: RwLock::new(Arc::new(Snapshot::default())),
            signals,
            hosts,
            last: Mutex::new(None),
        })
    }

    fn current(&self) -> Arc<Snapshot> {
        Arc::clone(&self.snapshot.read().unwrap_or_else(|e| e.into_inner()))
    }

    /// What the site is built with: serve's switches, today's date in the course's time zone.
    pub fn options(&self) -> &BuildOptions {
        &self.options
    }

    /// Every file served now, by output path, with its bytes as built (before the live-reload
    /// script goes in): what a test compares with a build.
    pub fn served_bytes(&self) -> std::collections::BTreeMap<String, Vec<u8>> {
        let snapshot = self.current();
        let bytes = |f: &Served| match f {
            Served::Memory(b) => b.to_vec(),
            Served::Static(b) => b.to_vec(),
            Served::Disk(p, _) => std::fs::read(p).unwrap_or_default(),
        };
        let files = snapshot.files.iter();
        files.map(|(k, f)| (k.clone(), bytes(f))).collect()
    }

    /// A receiver of the signals to open pages.
    pub fn subscribe(&self) -> broadcast::Receiver<Signal> {
        self.signals.subscribe()
    }

    /// Keeps the code highlighted so far in the course's code cache, for the next `build` or
    /// `serve` (once, after the first build: a rebuild highlights only what an edit changed).
    pub fn keep_code(&self) {
        crate::site::disk_cache::save_code(self.code_cache.as_deref(), &self.cache.code);
    }

    /// Builds the site again and tells the open pages what changed.
    pub fn rebuild(&self) -> Rebuild {
        let started = Instant::now();
        let mut diags = Diagnostics::new();
        let old = self.current();
        let options = self.options.clone();
        let reuse = crate::site::build::Reuse {
            previous: None,
            cache: Some(&self.cache),
            code: Some(&self.cache.code),
        };
        let site = crate::site::build::build_site(&self.root, &options, reuse, &mut diags);
        let mut last = crate::base::memo::lock(&self.last);
        let Some(mut site) = site else {
            *last = None;
            return self.failed(&old, &diags, started);
        };
        let timings = site.timings.clone();
        let files = std::mem::take(&mut site.files);
        *last = crate::site::patch::Last::of(site, &files);
        let files = served(files);
        let changed = changed_paths(&old.files, &files);
        self.show(&old, files, &changed);
        Rebuild {
            took: started.elapsed(),
            changed: Some(changed),
            errors: String::new(),
            timings,
            patched: false,
        }
    }

    /// Serves `files` in place of `old`'s and tells the open pages what `changed`.
    fn show(&self, old: &Snapshot, files: HashMap<String, Served>, changed: &[String]) {
        let recovered = old.error.is_some();
        *self.snapshot.write().unwrap_or_else(|e| e.into_inner()) =
            Arc::new(Snapshot { files, error: None });
        if let Some(s) = signal_for(recovered, changed) {
            let _ = self.signals.send(s);
        }
    }

    /// Keeps serving the last good site with the errors of a failed build over it.
    fn failed(&self, old: &Snapshot, diags: &Diagnostics, started: Instant) -> Rebuild {
        let errors = error_text(diags);
        let snapshot = Snapshot {
            files: old.files.clone(),
            error: Some(errors.clone()),
        };
        *self.snapshot.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(snapshot);
        let _ = self.signals.send(Signal::Error(errors.clone()));
        Rebuild {
            took: started.elapsed(),
            changed: None,
            errors,
            timings: Vec::new(),
            patched: false,
        }
    }

    /// The response for a request path (still percent-encoded).
    fn respond(&self, raw_path: &str) -> Response<Body> {
        let snapshot = self.current();
        let Some(key) = file_key(raw_path) else {
            return plain(StatusCode::BAD_REQUEST, "bad path");
        };
        let found = snapshot.files.get(&key).cloned();
        let Some(file) = found else {
            let dir_index = format!("{key}/index.html");
            if !key.is_empty() && snapshot.files.contains_key(&dir_index) {
                let mut r = plain(StatusCode::MOVED_PERMANENTLY, "moved");
                if let Ok(v) =
                    HeaderValue::from_str(&format!("{}/", raw_path.trim_end_matches('/')))
                {
                    r.headers_mut().insert(header::LOCATION, v);
                }
                return r;
            }
            return match (snapshot.files.get("404.html"), &snapshot.error) {
                (Some(f), _) => self.body(&snapshot, "404.html", f, StatusCode::NOT_FOUND),
                // Broken from the start: there is no last good page to show the errors on.
                (None, Some(e)) => error_page(e),
                (None, None) => plain(StatusCode::NOT_FOUND, "not found"),
            };
        };
        self.body(&snapshot, &key, &file, StatusCode::OK)
    }

    fn body(
        &self,
        snapshot: &Snapshot,
        key: &str,
        file: &Served,
        status: StatusCode,
    ) -> Response<Body> {
        let bytes: Vec<u8> = match file {
            Served::Memory(b) => b.as_ref().clone(),
            Served::Static(b) => b.to_vec(),
            Served::Disk(p, _) => match std::fs::read(p) {
                Ok(b) => b,
                Err(_) => return plain(StatusCode::NOT_FOUND, "not found"),
            },
        };
        let kind = content_type(key);
        let bytes = if kind.starts_with("text/html") {
            inject(bytes, snapshot.error.as_deref())
        } else {
            bytes
        };
        let mut r = Response::new(Body::from(bytes));
        *r.status_mut() = status;
        r.headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
        r.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        r
    }
}

async fn page(
    State(server): State<Arc<Server>>,
    headers: axum::http::HeaderMap,
    uri: Uri,
) -> Response<Body> {
    if let Some((status, text)) = server.hosts.check(&headers) {
        return plain(status, text);
    }
    server.respond(uri.path())
}

async fn events(
    State(server): State<Arc<Server>>,
    headers: axum::http::HeaderMap,
) -> Response<Body> {
    if let Some((status, text)) = server.hosts.check(&headers) {
        return plain(status, text);
    }
    let first = server.current().error.clone().map(Signal::Error);
    let rx = futures_util::stream::unfold(server.subscribe(), |mut rx| async move {
        match rx.recv().await {
            Ok(s) => Some((s, rx)),
            // A slow page missed some signals: reloading it is always right.
            Err(broadcast::error::RecvError::Lagged(_)) => {
                Some((Signal::Reload(vec!["*".into()]), rx))
            }
            Err(broadcast::error::RecvError::Closed) => None,
        }
    });
    let stream = futures_util::stream::iter(first).chain(rx).map(|s| {
        let event = match s {
            Signal::Reload(paths) => Event::default()
                .event("reload")
                .data(serde_json::to_string(&paths).unwrap_or_else(|_| "[\"*\"]".into())),
            Signal::Css => Event::default().event("css").data("{}"),
            Signal::Error(text) => Event::default()
                .event("failed")
                .data(serde_json::to_string(&text).unwrap_or_default()),
        };
        Ok::<_, std::convert::Infallible>(event)
    });
    Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response()
}

/// The files of a build as served.
fn served(files: Vec<crate::base::files::OutputFile>) -> HashMap<String, Served> {
    files
        .into_iter()
        .map(|f| {
            let file = match f.data {
                Data::Bytes(b) => Served::Memory(Arc::new(b)),
                Data::Shared(b) => Served::Memory(b),
                Data::Static(b) => Served::Static(b),
                Data::Copy(p) | Data::Link(p) => {
                    let meta = std::fs::metadata(&p)
                        .ok()
                        .and_then(|m| Some((m.modified().ok()?, m.len())));
                    Served::Disk(p, meta)
                }
            };
            (f.path, file)
        })
        .collect()
}

/// The paths whose file differs between `old` and `new`, or is in only one of them, sorted.
fn changed_paths(old: &HashMap<String, Served>, new: &HashMap<String, Served>) -> Vec<String> {
    let mut changed: Vec<String> = new
        .iter()
        .filter(|(path, f)| !old.get(*path).is_some_and(|o| o.same_as(f)))
        .map(|(path, _)| path.clone())
        .chain(old.keys().filter(|p| !new.contains_key(*p)).cloned())
        .collect();
    changed.sort();
    changed
}

/// What the open pages are told after a build: everything reloads after a failed build was
/// fixed; only stylesheets are swapped when only they changed.
fn signal_for(recovered: bool, changed: &[String]) -> Option<Signal> {
    if recovered {
        Some(Signal::Reload(vec!["*".into()]))
    } else if changed.is_empty() {
        None
    } else if changed.iter().all(|p| p.ends_with(".css")) {
        Some(Signal::Css)
    } else {
        Some(Signal::Reload(changed.iter().map(|p| url_of(p)).collect()))
    }
}

/// The listening socket of `opts`'s address and port, and the address it got.
fn listen(opts: &ServeOptions) -> Result<(std::net::TcpListener, SocketAddr), String> {
    let addr = SocketAddr::new(opts.bind, opts.port);
    let listener = std::net::TcpListener::bind(addr).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AddrInUse {
            format!(
                "port {} on {} is already in use (another `semester serve`?); choose another with --port",
                opts.port, opts.bind
            )
        } else {
            format!("cannot listen on {addr}: {e}")
        }
    })?;
    listener
        .set_nonblocking(true)
        .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    let local = listener
        .local_addr()
        .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    Ok((listener, local))
}

/// Runs the server until interrupted. Returns a message for an error that stops it.
pub fn serve(opts: &ServeOptions) -> Result<(), String> {
    let root = opts
        .root
        .canonicalize()
        .map_err(|e| format!("cannot open the course folder {}: {e}", opts.root.display()))?;
    let (listener, local) = listen(opts)?;
    let addr = local;
    // The watcher starts before the first build, so that no save is missed: changes made
    // while it builds wait in the channel and cause a rebuild right after.
    let (tx, rx) = std::sync::mpsc::channel::<notify::Result<notify::Event>>();
    let mut watcher = notify::recommended_watcher(tx)
        .map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
    notify::Watcher::watch(&mut watcher, &root, notify::RecursiveMode::Recursive)
        .map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
    let hosts = HostPolicy::new(opts.bind, &opts.allow_hosts);
    let server = Server::new(&root, opts.drafts, opts.private, hosts);
    let first = server.rebuild();
    server.keep_code();
    if first.changed.is_none() {
        eprint!("{}", first.errors);
        eprintln!("The build failed; serving the error page until it is fixed.");
    }
    let url = format!("http://{local}/");
    eprintln!(
        "Serving {} at {url} (built in {:.0} ms; watching for changes, Ctrl-C to stop)",
        root.display(),
        first.took.as_secs_f64() * 1000.0
    );
    if opts.open {
        open_browser(&url);
    }

    let watch_server = Arc::clone(&server);
    let watch_root = root.clone();
    let verbose = opts.verbose;
    std::thread::spawn(move || watch_loop(&watch_server, &watch_root, &rx, verbose));

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the server: {e}"))?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)
            .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
        let app = Router::new()
            .route(EVENTS_PATH, axum::routing::get(events))
            .fallback(page)
            .with_state(server);
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .map_err(|e| format!("the server stopped: {e}"))
    })?;
    drop(watcher);
    Ok(())
}

fn watch_loop(
    server: &Server,
    root: &Path,
    rx: &std::sync::mpsc::Receiver<notify::Result<notify::Event>>,
    verbose: bool,
) {
    let mut changed: Vec<PathBuf> = Vec::new();
    while let Ok(first) = rx.recv() {
        collect(root, first, &mut changed);
        // Fold the rest of a save (write, rename, metadata) into one rebuild.
        let deadline = Instant::now() + Duration::from_millis(200);
        while let Ok(ev) = rx.recv_timeout(QUIET) {
            collect(root, ev, &mut changed);
            if Instant::now() > deadline {
                break;
            }
        }
        if changed.is_empty() {
            continue;
        }
        changed.sort();
        changed.dedup();
        let what: Vec<String> = changed
            .iter()
            .map(|p| p.strip_prefix(root).unwrap_or(p).display().to_string())
            .collect();
        let r = server.rebuild_after(&changed);
        changed.clear();
        let ms = r.took.as_secs_f64() * 1000.0;
        match r.changed {
            Some(files) => {
                let pages = files.iter().filter(|f| f.ends_with(".html")).count();
                eprintln!(
                    "{}: {} in {ms:.1} ms, {pages} page{} changed",
                    what.join(", "),
                    if r.patched { "patched" } else { "rebuilt" },
                    if pages == 1 { "" } else { "s" }
                );
                if verbose {
                    let stages: Vec<String> = r
                        .timings
                        .iter()
                        .map(|(s, t)| format!("{s} {:.1}", t.as_secs_f64() * 1000.0))
                        .collect();
                    eprintln!("  ({} ms)", stages.join(", "));
                }
            }
            None => {
                eprint!("{}", r.errors);
                eprintln!(
                    "{}: the build failed ({ms:.1} ms); still serving the last good site",
                    what.join(", ")
                );
            }
        }
    }
}
