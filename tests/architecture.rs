//! The layers run one way, and no two files of a module need each other.
//!
//! `http → services → {notify, search} → {store, matching} → domain`, with the commands on
//! top and a few cross-cutting helpers (`config`, `error`, `telemetry`) between. A module
//! may name (`crate::m::…` in code, not in comments) only modules of a lower layer; within
//! a module, the files' references to each other (`super::f`, `crate::m::f`) form no cycle.
//! ARCHITECTURE.md explains each layer; this test keeps it true.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Each top-level module of the crate and its layer: a module may use only lower layers.
const LAYERS: &[(&str, u32)] = &[
    ("main", 90),
    ("cli", 80),
    ("startup", 70),
    ("telemetry", 65),
    ("demo", 60),
    ("http", 50),
    ("services", 40),
    ("notify", 30),
    ("search", 30),
    ("sheets", 30),
    ("config", 25),
    ("store", 20),
    ("matching", 20),
    ("error", 15),
    ("domain", 10),
];

fn layer(module: &str) -> u32 {
    LAYERS
        .iter()
        .find(|(m, _)| *m == module)
        .map(|(_, l)| *l)
        .unwrap_or_else(|| panic!("src/{module} has no layer: add it to LAYERS here and to ARCHITECTURE.md"))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a file without comments (doc links are not dependencies) and without its
/// unit tests (a test may use any file of its module).
fn code_of(text: &str) -> String {
    text.lines()
        .take_while(|l| l.trim() != "#[cfg(test)]")
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every path a file names that starts with `prefix` (`crate::` or `super::`), with
/// braced groups expanded: `use crate::{a::x, b}` names `a::x` and `b`.
fn paths_after(code: &str, prefix: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find(prefix) {
        let boundary = rest[..at].chars().last().is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
        rest = &rest[at + prefix.len()..];
        if !boundary {
            continue;
        }
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 1;
            let end = group
                .char_indices()
                .find(|(_, c)| {
                    match c {
                        '{' => depth += 1,
                        '}' => depth -= 1,
                        _ => {}
                    }
                    depth == 0
                })
                .map_or(group.len(), |(i, _)| i);
            // Only the first segment of each item matters here.
            let mut depth = 0;
            let mut start = 0;
            for (i, c) in group[..end].char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        out.push(group[start..i].trim().to_string());
                        start = i + 1;
                    }
                    _ => {}
                }
            }
            out.push(group[start..end].trim().to_string());
        } else {
            let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':').collect();
            out.push(name);
        }
    }
    out.into_iter().filter(|p| !p.is_empty()).collect()
}

fn first_segment(path: &str) -> &str {
    path.split("::").next().unwrap_or(path).trim()
}

struct SourceFile {
    /// `http` for `src/http/postings.rs`, `main` for `src/main.rs`.
    module: String,
    /// `postings` for `src/http/postings.rs`; `mod` for a module's `mod.rs`.
    stem: String,
    code: String,
}

fn sources() -> Vec<SourceFile> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    files
        .into_iter()
        .map(|path| {
            let relative = path.strip_prefix(&root).unwrap();
            let parts: Vec<String> = relative.iter().map(|p| p.to_string_lossy().into_owned()).collect();
            let file_stem = path.file_stem().unwrap().to_string_lossy().into_owned();
            let module = if parts.len() == 1 { file_stem.clone() } else { parts[0].clone() };
            // Files in a sub-folder count as the sub-module they belong to.
            let stem = if parts.len() > 2 { parts[1].clone() } else { file_stem };
            let module = if module == "lib" { "lib".to_string() } else { module };
            SourceFile { module, stem, code: code_of(&std::fs::read_to_string(&path).unwrap()) }
        })
        .collect()
}

/// Upward references between top-level modules, as `from → to (file)` lines.
fn upward_references(files: &[SourceFile]) -> Vec<String> {
    let mut found = BTreeSet::new();
    for file in files.iter().filter(|f| f.module != "lib") {
        let own = layer(&file.module);
        for path in paths_after(&file.code, "crate::") {
            let target = first_segment(&path);
            if target == file.module || !LAYERS.iter().any(|(m, _)| *m == target) {
                continue;
            }
            if layer(target) >= own {
                found.insert(format!("{} → {} (crate::{path} in {}/{})", file.module, target, file.module, file.stem));
            }
        }
    }
    found.into_iter().collect()
}

/// Cycles among the files of one module (mod.rs, the module's front, is left out).
fn file_cycles(files: &[SourceFile]) -> Vec<String> {
    let mut cycles = Vec::new();
    let modules: BTreeSet<&str> = files.iter().map(|f| f.module.as_str()).collect();
    for module in modules {
        let members: Vec<&SourceFile> = files.iter().filter(|f| f.module == module && f.stem != "mod").collect();
        let stems: BTreeSet<&str> = members.iter().map(|f| f.stem.as_str()).collect();
        let mut edges: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for file in &members {
            let own_prefix = format!("crate::{module}::");
            let named = paths_after(&file.code, "super::")
                .into_iter()
                .chain(paths_after(&file.code, &own_prefix))
                .map(|p| first_segment(&p).to_string());
            for target in named {
                if let Some(target) = stems.get(target.as_str())
                    && *target != file.stem
                {
                    edges.entry(file.stem.as_str()).or_default().insert(target);
                }
            }
        }
        for (from, targets) in &edges {
            for to in targets {
                if from < to && edges.get(to).is_some_and(|back| back.contains(from)) {
                    cycles.push(format!("{module}: {from} ⇄ {to}"));
                }
            }
        }
        // Longer cycles: a file that reaches itself.
        for start in edges.keys() {
            let mut stack: Vec<&str> = edges[start].iter().copied().collect();
            let mut seen = BTreeSet::new();
            while let Some(at) = stack.pop() {
                if at == *start {
                    let cycle = format!("{module}: {start} reaches itself");
                    if !cycles.iter().any(|c| c.contains(&format!(" {start} ")) || c.ends_with(start)) {
                        cycles.push(cycle);
                    }
                    break;
                }
                if seen.insert(at) {
                    stack.extend(edges.get(at).into_iter().flatten().copied());
                }
            }
        }
    }
    cycles
}

#[test]
fn layers_run_one_way() {
    let upward = upward_references(&sources());
    assert!(upward.is_empty(), "imports that run against the layers (see ARCHITECTURE.md):\n{}", upward.join("\n"));
}

#[test]
fn no_module_has_file_cycles() {
    let cycles = file_cycles(&sources());
    assert!(cycles.is_empty(), "files that need each other:\n{}", cycles.join("\n"));
}

#[test]
fn the_guard_sees_upward_imports_and_cycles() {
    let file = |module: &str, stem: &str, code: &str| SourceFile {
        module: module.into(),
        stem: stem.into(),
        code: code_of(code),
    };
    let planted = [
        file("domain", "round", "use crate::{matching::Weights, domain::Input};"),
        file("search", "listing", "fn f(a: &crate::services::Actor) {}"),
        file("store", "postings", "// crate::http is only mentioned in a comment"),
    ];
    let upward = upward_references(&planted);
    assert_eq!(upward.len(), 2, "{upward:?}");
    assert!(upward[0].starts_with("domain → matching"), "{upward:?}");
    assert!(upward[1].starts_with("search → services"), "{upward:?}");

    let cyclic = [
        file("notify", "worker", "use super::lane::Lane;"),
        file("notify", "lane", "use super::{backoff, worker::Stop};"),
        file("notify", "backoff", ""),
    ];
    assert_eq!(file_cycles(&cyclic), ["notify: lane ⇄ worker"]);
}
