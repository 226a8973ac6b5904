//! Embeds the default theme (themes/default) into the binary, so that a course made with
//! `semester new` builds without a themes/ folder; and names the sources the binary is built
//! from (`SEMESTER_SOURCE_KEY`), so that a build cache is read only by a binary of the same
//! sources (site::disk_cache).

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files: Vec<_> = walkdir::WalkDir::new(&root)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    files.sort();
    let mut out = String::from(
        "/// The default theme: (path below themes/default, contents).\npub static DEFAULT_THEME: &[(&str, &[u8])] = &[\n",
    );
    for f in files {
        println!("cargo:rerun-if-changed={}", f.display());
        let rel = f
            .strip_prefix(&root)
            .expect("inside the theme")
            .to_string_lossy()
            .replace('\\', "/");
        writeln!(
            out,
            "    ({rel:?}, include_bytes!({:?})),",
            f.display().to_string()
        )
        .expect("write to string");
    }
    out.push_str("];\n");
    let dest =
        Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("default_theme.rs");
    std::fs::write(dest, out).expect("write default_theme.rs");
    source_key();
}

/// `SEMESTER_SOURCE_KEY`: FNV-1a (64-bit) of every file below src/ and themes/default/ and of
/// Cargo.lock, paths and bytes, in path order. Only an identity of the sources: two builds of
/// the same sources agree on it, and a change to any of them changes it.
fn source_key() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for b in bytes.iter().chain(&[0xff]) {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    };
    for part in ["src", "themes/default", "Cargo.lock", "build.rs"] {
        let top = manifest.join(part);
        println!("cargo:rerun-if-changed={}", top.display());
        for e in walkdir::WalkDir::new(&top)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
        {
            let rel = e.path().strip_prefix(manifest).expect("inside the package");
            feed(rel.to_string_lossy().as_bytes());
            feed(&std::fs::read(e.path()).expect("read a source file"));
        }
    }
    println!("cargo:rustc-env=SEMESTER_SOURCE_KEY={h:016x}");
}
