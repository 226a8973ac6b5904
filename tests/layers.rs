//! The layers of src/ point one way (../shared/STYLE.md): a module never imports a module of a
//! higher layer, and no modules import each other in a cycle. Each file under src/<layer>/ is a
//! module of that layer; imports are the `crate::…` paths in its code outside `#[cfg(test)]`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The layers, bottom first. Files at the top of src/ (lib.rs, main.rs, serve.rs) are the top.
const LAYERS: &[&str] = &[
    "base", "load", "schedule", "model", "render", "site", "import", "cli",
];

fn layer_of(module: &str) -> usize {
    let first = module.split("::").next().unwrap_or(module);
    LAYERS
        .iter()
        .position(|l| *l == first)
        .unwrap_or(LAYERS.len())
}

/// Every module (as `layer::name`, or `name` at the top) and its source outside test code.
fn modules(src: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for entry in walkdir(src) {
        let rel = entry.strip_prefix(src).unwrap().with_extension("");
        let mut name = rel.to_string_lossy().replace('/', "::");
        if let Some(parent) = name.strip_suffix("::mod") {
            name = parent.to_string();
        }
        let text = std::fs::read_to_string(&entry).unwrap();
        let code = match text.find("#[cfg(test)]") {
            Some(i) => text[..i].to_string(),
            None => text,
        };
        out.insert(name, code);
    }
    out
}

fn walkdir(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            files.extend(walkdir(&p));
        } else if p.extension().is_some_and(|x| x == "rs") {
            files.push(p);
        }
    }
    files
}

/// The crate-root aliases lib.rs re-exports (`pub use load::{config, …}`): alias → module.
fn aliases(lib: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for line in lib.lines() {
        let Some(rest) = line.trim().strip_prefix("pub use ") else {
            continue;
        };
        let rest = rest.trim_end_matches(';');
        let (prefix, names) = match rest.split_once("::{") {
            Some((p, n)) => (p, n.trim_end_matches('}')),
            None => match rest.rsplit_once("::") {
                Some((p, n)) => (p, n),
                None => continue,
            },
        };
        for n in names.split(',').map(str::trim) {
            out.insert(n.to_string(), format!("{prefix}::{n}"));
        }
    }
    out
}

/// The modules `code` imports: the longest known module path after each `crate::`.
fn imports(
    code: &str,
    known: &BTreeSet<String>,
    aliases: &BTreeMap<String, String>,
) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (i, _) in code.match_indices("crate::") {
        let path: String = code[i + 7..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
            .collect();
        let parts: Vec<&str> = path.split("::").filter(|p| !p.is_empty()).collect();
        let Some(first) = parts.first() else { continue };
        let mut parts: Vec<String> = parts.iter().map(|s| s.to_string()).collect();
        if let Some(real) = aliases.get(*first) {
            parts.splice(0..1, real.split("::").map(str::to_string));
        }
        for n in (1..=parts.len()).rev() {
            let candidate = parts[..n].join("::");
            if known.contains(&candidate) {
                out.insert(candidate);
                break;
            }
        }
    }
    out
}

#[test]
fn layers_point_one_way_and_no_module_imports_in_a_cycle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mods = modules(&src);
    let known: BTreeSet<String> = mods.keys().cloned().collect();
    let alias = aliases(&mods["lib"]);
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut upward = Vec::new();
    for (name, code) in &mods {
        let mut deps = imports(code, &known, &alias);
        deps.remove(name);
        for d in &deps {
            // A layer's mod.rs only declares its modules.
            if d.starts_with(&format!("{name}::")) {
                continue;
            }
            if layer_of(d) > layer_of(name) {
                upward.push(format!("{name} imports {d}, a module of a higher layer"));
            }
        }
        graph.insert(name.clone(), deps);
    }
    assert!(upward.is_empty(), "{}", upward.join("\n"));
    let cycles = cycles(&graph);
    assert!(cycles.is_empty(), "import cycles:\n{}", cycles.join("\n"));
}

/// Each cycle of the graph, once, as `a → b → a`.
fn cycles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<String> {
    let mut found = BTreeSet::new();
    for start in graph.keys() {
        let mut stack = vec![(start.clone(), vec![start.clone()])];
        while let Some((at, path)) = stack.pop() {
            for next in graph.get(&at).into_iter().flatten() {
                if next == start {
                    let mut cycle = path.clone();
                    let min = cycle.iter().enumerate().min_by_key(|(_, m)| *m).unwrap().0;
                    cycle.rotate_left(min);
                    cycle.push(cycle[0].clone());
                    found.insert(cycle.join(" → "));
                } else if !path.contains(next) && next > start {
                    let mut p = path.clone();
                    p.push(next.clone());
                    stack.push((next.clone(), p));
                }
            }
        }
    }
    found.into_iter().collect()
}

#[test]
fn the_checker_sees_an_upward_import_and_a_cycle() {
    let known: BTreeSet<String> = ["load::a", "render::b"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let deps = imports("use crate::render::b::Thing;", &known, &BTreeMap::new());
    assert!(deps.contains("render::b") && layer_of("render::b") > layer_of("load::a"));
    let mut g = BTreeMap::new();
    g.insert("x".to_string(), BTreeSet::from(["y".to_string()]));
    g.insert("y".to_string(), BTreeSet::from(["x".to_string()]));
    assert_eq!(cycles(&g), vec!["x → y → x".to_string()]);
}
