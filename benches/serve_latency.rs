//! Edit-to-served latency of `semester serve` (issue 6): the time from writing a page to the
//! server answering with the new text, over many edits, as p50 and p95.
//!
//! `cargo bench --bench serve_latency` measures the bundled course; set
//! `SEMESTER_BENCH_COURSES=/path/to/course,/other/course` to measure others (e.g. the medium
//! corpus of ../shared/bench: `python3 ../shared/bench/gen_corpus.py /tmp/medium --topics 200
//! --labs 200`, then `/tmp/medium/semester`). Each course is copied to a temporary folder first.
//! `SEMESTER_BENCH_FROZEN=8` adds 8 frozen terms to the copy (each a copy of the course as an
//! earlier term, its dates moved back by whole years, as `semester freeze` would have left it).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const EDITS: usize = 60;

fn main() {
    let courses: Vec<PathBuf> = std::env::var("SEMESTER_BENCH_COURSES")
        .map(|s| s.split(',').map(PathBuf::from).collect())
        .unwrap_or_else(|_| vec![PathBuf::from(env!("CARGO_MANIFEST_DIR"))]);
    for course in courses {
        measure(&course);
    }
}

fn measure(source: &Path) {
    let tmp = std::env::temp_dir().join(format!("semester-serve-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    for part in [
        "course.yaml",
        "terms",
        "content",
        "static",
        "templates",
        "themes",
        "versions",
    ] {
        let from = source.join(part);
        if from.exists() {
            copy(&from, &tmp.join(part));
        }
    }
    let frozen: usize = std::env::var("SEMESTER_BENCH_FROZEN")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    for k in 0..frozen {
        freeze_copy(&tmp, k + 1);
    }
    // The page to edit: the longest topic (the worst case of one page's own work).
    let topics = tmp.join("content/topics");
    let page = std::fs::read_dir(&topics)
        .expect("content/topics")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md") && !p.ends_with("_index.md"))
        .max_by_key(|p| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0))
        .expect("a topic page");
    let url = format!(
        "/{}/topics/{}/",
        term_of(&tmp),
        page.file_stem().expect("stem").to_string_lossy()
    );

    let mut child = Kill(
        Command::new(env!("CARGO_BIN_EXE_semester"))
            .args(["serve", "--port", "0", "--root"])
            .arg(&tmp)
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .expect("start serve"),
    );
    let mut lines = BufReader::new(child.0.stderr.take().expect("stderr")).lines();
    let port: u16 = loop {
        let line = lines.next().expect("serve output").expect("line");
        if let Some(rest) = line.split("http://127.0.0.1:").nth(1) {
            break rest
                .split('/')
                .next()
                .and_then(|p| p.parse().ok())
                .expect("port");
        }
    };
    std::thread::spawn(move || for _ in lines {});
    let original = std::fs::read_to_string(&page).expect("page");
    let mut times = Vec::with_capacity(EDITS);
    for i in 0..EDITS + 3 {
        let token = format!("edit-token-{i}-{}", std::process::id());
        let started = Instant::now();
        std::fs::write(&page, format!("{original}\nA new sentence, {token}.\n")).expect("write");
        loop {
            if get(port, &url).contains(&token) {
                break;
            }
            if started.elapsed() > Duration::from_secs(30) {
                let got = get(port, &url);
                panic!(
                    "no change served at {url}; the server answers:\n{}",
                    got.chars().take(300).collect::<String>()
                );
            }
            std::thread::sleep(Duration::from_micros(500));
        }
        if i >= 3 {
            times.push(started.elapsed());
        }
        std::thread::sleep(Duration::from_millis(30));
    }
    drop(child);
    let _ = std::fs::remove_dir_all(&tmp);
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let pages = count_pages(source);
    println!(
        "serve latency, {} ({pages} pages, {frozen} frozen terms), {EDITS} edits of {url}: p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms",
        source.display(),
        ms(times[times.len() / 2]),
        ms(times[times.len() * 95 / 100]),
        ms(times[times.len() - 1]),
    );
}

/// Adds a frozen copy of the course at `root` as the term `years` years before the current
/// one, under versions/<id>/.
fn freeze_copy(root: &Path, years: usize) {
    let current = term_of(root);
    let id = format!("{current}-minus-{years}");
    let dest = root.join("versions").join(&id);
    for part in ["content", "static", "templates"] {
        if root.join(part).exists() {
            copy(&root.join(part), &dest.join(part));
        }
    }
    // Dates in front matter (a lab's `due`) move with the term.
    for page in walk(&dest.join("content")) {
        if page.extension().is_some_and(|e| e == "md") {
            let text = std::fs::read_to_string(&page).expect("page");
            std::fs::write(&page, shift_years(&text, years)).expect("write page");
        }
    }
    let yaml = std::fs::read_to_string(root.join("course.yaml")).expect("course.yaml");
    let yaml = yaml.replace(
        &format!("current_term: {current}"),
        &format!("current_term: {id}"),
    );
    std::fs::write(dest.join("course.yaml"), yaml).expect("write course.yaml");
    let term = std::fs::read_to_string(root.join("terms").join(format!("{current}.yaml")))
        .expect("term file");
    std::fs::create_dir_all(dest.join("terms")).expect("mkdir");
    std::fs::write(
        dest.join("terms").join(format!("{id}.yaml")),
        shift_years(&term, years),
    )
    .expect("write term");
}

/// `text` with every `YYYY-MM-DD` moved `by` years back.
fn shift_years(text: &str, by: usize) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < b.len() {
        let date = b.get(i..i + 10).is_some_and(|w| {
            w.iter().enumerate().all(|(j, c)| match j {
                4 | 7 => *c == b'-',
                _ => c.is_ascii_digit(),
            })
        });
        if date {
            let year: usize = text[i..i + 4].parse().expect("digits");
            out.push_str(&format!("{:04}", year - by));
            i += 4;
        } else {
            let ch = text[i..].chars().next().expect("a char");
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    out
}

/// The server, stopped however the measurement ends.
struct Kill(std::process::Child);

impl Drop for Kill {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn term_of(root: &Path) -> String {
    std::fs::read_to_string(root.join("course.yaml"))
        .expect("course.yaml")
        .lines()
        .find_map(|l| {
            l.strip_prefix("current_term:")
                .map(|t| t.trim().to_string())
        })
        .expect("current_term")
}

fn count_pages(root: &Path) -> usize {
    walk(&root.join("content"))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .count()
}

fn get(port: u16, path: &str) -> String {
    let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) else {
        return String::new();
    };
    let _ = write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    );
    // Bytes, not a String: a chunked body can split a character between chunks.
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    String::from_utf8_lossy(&out).into_owned()
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}

fn copy(from: &Path, to: &Path) {
    if from.is_file() {
        std::fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
        std::fs::copy(from, to).expect("copy");
        return;
    }
    for p in walk(from) {
        let rel = p.strip_prefix(from).expect("below");
        let dest = to.join(rel);
        std::fs::create_dir_all(dest.parent().expect("parent")).expect("mkdir");
        std::fs::copy(&p, &dest).expect("copy");
    }
}
