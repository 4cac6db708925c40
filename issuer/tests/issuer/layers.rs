//! The issuer's dependency rule, read from its sources: domain ← store ← service ← adapters, with
//! the clock, the id maker and the message catalogue as leaves. A file that imports across the
//! rule, names a framework its layer must not know, or reads the clock outside `clock.rs` fails
//! here with its path and the offending line. Also the size rule: no source file of the
//! workspace crates is longer than 700 lines before its tests.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layers, lowest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Layer {
    /// `clock.rs` and `ids.rs`: nothing of the crate below them.
    Leaf,
    /// `domain/`: typed values and rules.
    Domain,
    /// `i18n/`: the words of the domain's values.
    Words,
    /// `store/`: SQL.
    Store,
    /// `service/`: transaction boundaries.
    Service,
    /// `web/`, `ops/`, `epay`, `pdf/`, `keys/`, `mail/`, `server`: adapters and the composition root.
    Adapter,
}

/// Crate modules each layer may import, besides its own.
fn allowed(layer: Layer) -> &'static [&'static str] {
    match layer {
        Layer::Leaf => &[],
        Layer::Domain => &["domain"],
        Layer::Words => &["domain", "i18n"],
        Layer::Store => &["domain", "store", "ids"],
        Layer::Service => &["domain", "store", "service", "clock", "ids"],
        Layer::Adapter => &[
            "domain", "i18n", "store", "service", "clock", "ids", "web", "ops", "epay", "pdf",
            "keys", "server", "mail",
        ],
    }
}

/// Words a layer's code must not contain.
fn forbidden(layer: Layer) -> &'static [&'static str] {
    const NO_CLOCK: [&str; 3] = ["now_utc(", "SystemTime::now", "Instant::now"];
    match layer {
        Layer::Leaf => &[],
        Layer::Domain => &[
            "axum",
            "tracing::",
            "rusqlite",
            "tokio",
            "reqwest",
            "std::fs",
            "now_utc(",
            "SystemTime::now",
            "Instant::now",
            "OsRng",
        ],
        Layer::Words => &["axum", "tracing::", "rusqlite", "now_utc("],
        Layer::Store => &[
            "axum",
            "tracing::",
            "reqwest",
            "now_utc(",
            "SystemTime::now",
        ],
        Layer::Service => &["axum", "now_utc(", "SystemTime::now"],
        Layer::Adapter => &NO_CLOCK,
    }
}

fn layer_of(module: &str) -> Layer {
    match module {
        "clock" | "ids" => Layer::Leaf,
        "domain" => Layer::Domain,
        "i18n" => Layer::Words,
        "store" => Layer::Store,
        "service" => Layer::Service,
        _ => Layer::Adapter,
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

/// Every `.rs` file under `dir`.
fn sources(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("readable source folder") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The code of a file before its unit tests.
fn code_of(path: &Path) -> String {
    let text = std::fs::read_to_string(path).expect("readable source");
    match text.find("#[cfg(test)]") {
        Some(at) => text[..at].to_owned(),
        None => text,
    }
}

/// The module path of a source file of the issuer, like `["web", "payment"]`.
fn module_path(file: &Path) -> Vec<String> {
    let relative = file.strip_prefix(root().join("src")).expect("under src");
    let mut parts: Vec<String> = relative
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_owned())
        .collect();
    if parts.last().is_some_and(|p| p == "lib" || p == "main") {
        parts.pop();
    }
    parts
}

/// The crate paths a file names: `crate::a::b` as written, and `super::x` resolved.
fn imports(file: &Path, code: &str) -> Vec<(usize, Vec<String>)> {
    let here = module_path(file);
    let mut out = Vec::new();
    for (n, line) in code.lines().enumerate() {
        let line = line.trim_start();
        if line.starts_with("//") {
            continue;
        }
        for (at, _) in line.match_indices("crate::") {
            if at > 0 && line[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_') {
                continue;
            }
            out.push((n + 1, segments(&line[at + "crate::".len()..])));
        }
        if let Some(at) = line.find("super::") {
            let mut path: Vec<String> = here[..here.len().saturating_sub(1)].to_vec();
            path.extend(segments(&line[at + "super::".len()..]));
            out.push((n + 1, path));
        }
    }
    out
}

fn segments(rest: &str) -> Vec<String> {
    rest.split("::")
        .map(|s| {
            s.chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect::<String>()
        })
        .take_while(|s| !s.is_empty() && s.starts_with(|c: char| c.is_lowercase()))
        .collect()
}

#[test]
fn every_issuer_module_imports_only_from_its_own_layer_or_below() {
    let mut broken = Vec::new();
    for file in sources(&root().join("src")) {
        let here = module_path(&file);
        let Some(top) = here.first() else { continue };
        let layer = layer_of(top);
        let code = code_of(&file);
        for (line, path) in imports(&file, &code) {
            let Some(target) = path.first() else { continue };
            if target != top && !allowed(layer).contains(&target.as_str()) {
                broken.push(format!(
                    "{}:{line}: the {layer:?} layer imports crate::{}",
                    file.display(),
                    path.join("::")
                ));
            }
        }
        for (n, text) in code.lines().enumerate() {
            if text.trim_start().starts_with("//") {
                continue;
            }
            for word in forbidden(layer) {
                let clock_file = top == "clock";
                if text.contains(word) && !clock_file {
                    broken.push(format!(
                        "{}:{}: the {layer:?} layer must not use {word}",
                        file.display(),
                        n + 1
                    ));
                }
            }
        }
    }
    assert!(broken.is_empty(), "layering broken:\n{}", broken.join("\n"));
}

/// The strongly connected components of a graph (Tarjan), only those with more than one node.
fn cycles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct State<'a> {
        graph: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        out: Vec<Vec<String>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a str) {
        let i = s.index.len();
        s.index.insert(v, i);
        s.low.insert(v, i);
        s.stack.push(v);
        s.on_stack.insert(v);
        for w in s.graph.get(v).into_iter().flatten() {
            let w = w.as_str();
            if !s.index.contains_key(w) {
                visit(s, w);
                let lw = s.low[w];
                let lv = s.low[v];
                s.low.insert(v, lv.min(lw));
            } else if s.on_stack.contains(w) {
                let iw = s.index[w];
                let lv = s.low[v];
                s.low.insert(v, lv.min(iw));
            }
        }
        if s.low[v] == s.index[v] {
            let mut component = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                component.push(w.to_owned());
                if w == v {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                s.out.push(component);
            }
        }
    }
    let mut state = State {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        out: Vec::new(),
    };
    for v in graph.keys() {
        if !state.index.contains_key(v.as_str()) {
            visit(&mut state, v);
        }
    }
    state.out
}

#[test]
fn no_import_cycle_crosses_a_layer_and_none_holds_more_than_three_files() {
    let files = sources(&root().join("src"));
    let modules: BTreeSet<String> = files.iter().map(|f| module_path(f).join("::")).collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in &files {
        let from = module_path(file).join("::");
        let code = code_of(file);
        for (_, path) in imports(file, &code) {
            // The longest prefix of the path that is a file of the crate.
            let target = (1..=path.len())
                .rev()
                .map(|n| path[..n].join("::"))
                .find(|m| modules.contains(m));
            if let Some(target) = target.filter(|t| *t != from) {
                graph.entry(from.clone()).or_default().insert(target);
            }
        }
    }
    for component in cycles(&graph) {
        let layers: BTreeSet<Layer> = component
            .iter()
            .map(|m| layer_of(m.split("::").next().unwrap_or("")))
            .collect();
        assert_eq!(
            layers.len(),
            1,
            "an import cycle crosses layers: {component:?}"
        );
        assert!(
            component.len() <= 3,
            "an import cycle of {} files: {component:?}",
            component.len()
        );
    }
}

#[test]
fn no_source_file_of_the_workspace_crates_is_longer_than_700_lines_before_its_tests() {
    let repo = root().join("..");
    let mut long = Vec::new();
    for krate in [
        "issuer",
        "verifier-kiosk",
        "epay-sandbox",
        "epay-contract",
        "shared",
        "scan",
    ] {
        for file in sources(&repo.join(krate).join("src")) {
            let lines = code_of(&file).lines().count();
            if lines > 700 {
                long.push(format!("{}: {lines} lines", file.display()));
            }
        }
    }
    assert!(
        long.is_empty(),
        "files over 700 lines:\n{}",
        long.join("\n")
    );
}

#[test]
fn the_rule_itself_catches_a_domain_file_that_names_the_web_layer() {
    // The checks above must be able to fail: a domain line importing the web layer, and a store
    // line that logs, are both reported.
    let file = root().join("src/domain/problem.rs");
    let code = "use crate::web::AppState;\nfn f() { tracing::info!(\"x\"); }\n";
    let found = imports(&file, code);
    assert_eq!(found, vec![(1, vec!["web".to_owned()])]);
    assert!(!allowed(Layer::Domain).contains(&"web"));
    assert!(forbidden(Layer::Store).contains(&"tracing::"));
    assert!(code.contains(forbidden(Layer::Domain)[1]));
    let graph = BTreeMap::from([
        ("a".to_owned(), BTreeSet::from(["b".to_owned()])),
        ("b".to_owned(), BTreeSet::from(["a".to_owned()])),
    ]);
    assert_eq!(cycles(&graph), vec![vec!["a".to_owned(), "b".to_owned()]]);
}
