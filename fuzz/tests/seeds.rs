//! Every fuzz target over its seed inputs and over every input that once made it fail
//! (`regressions/<target>/`): what fuzzing found stays fixed. Runs in CI with
//! `cargo test --manifest-path fuzz/Cargo.toml`.

use std::path::Path;

fn inputs(dir: &Path) -> Vec<Vec<u8>> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map(|rd| rd.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    files
        .iter()
        .filter(|p| p.is_file())
        .map(|p| std::fs::read(p).expect("read input"))
        .collect()
}

fn run(name: &str, target: fn(&[u8])) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let seeds = inputs(&root.join("seeds").join(name));
    assert!(!seeds.is_empty(), "fuzz/seeds/{name}/ has inputs");
    for input in seeds
        .iter()
        .chain(&inputs(&root.join("regressions").join(name)))
    {
        target(input);
        // A few cheap mutations of each seed: cut short, and with a byte flipped.
        for cut in [input.len() / 3, input.len() / 2] {
            target(&input[..cut]);
        }
        let mut flipped = input.clone();
        if let Some(b) = flipped.get_mut(input.len() / 2) {
            *b ^= 0x20;
        }
        target(&flipped);
    }
}

#[test]
fn frontmatter() {
    run("frontmatter", semester_fuzz::frontmatter);
}

#[test]
fn config() {
    run("config", semester_fuzz::config);
}

#[test]
fn term() {
    run("term", semester_fuzz::term);
}

#[test]
fn calendar() {
    run("calendar", semester_fuzz::calendar);
}

#[test]
fn markdown() {
    run("markdown", semester_fuzz::markdown);
}

#[test]
fn course() {
    run("course", semester_fuzz::course);
}
