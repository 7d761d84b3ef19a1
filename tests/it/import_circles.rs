//! No module imports one that imports it back (issue #17): the layers go one way, so a module
//! can be read, tested and changed knowing only the ones below it. Checked on the source, at
//! two levels: top-level modules (`crate::score` → `crate::clean`), and sibling files inside one
//! (`score/compare.rs` → `score/panel.rs`). A parent's `mod.rs` is left out of the second: it
//! declares its children, so they and it always see each other. Test modules (from the first
//! `#[cfg(test)]` of a file on) may import anything.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

type Graph = BTreeMap<String, BTreeMap<String, String>>;

#[test]
fn no_module_imports_one_that_imports_it_back() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut top = Graph::new();
    let mut siblings = Graph::new();
    for file in rust_files(&src) {
        let rel = file
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let parts: Vec<&str> = rel.trim_end_matches(".rs").split('/').collect();
        let text = std::fs::read_to_string(&file).unwrap();
        let code = code_of(&text);
        for target in paths_after(&code, "crate::") {
            if target != parts[0] {
                add(&mut top, parts[0], &target, &rel);
            }
        }
        if parts.len() < 2 || parts[1] == "mod" {
            continue;
        }
        let me = format!("{}::{}", parts[0], parts[1]);
        let mut targets = paths_after(&code, &format!("crate::{}::", parts[0]));
        if parts.len() == 2 {
            targets.extend(paths_after(&code, "super::"));
        }
        for target in targets {
            if target != parts[1] {
                add(&mut siblings, &me, &format!("{}::{target}", parts[0]), &rel);
            }
        }
    }
    let circles: Vec<String> = [&top, &siblings].into_iter().flat_map(circles).collect();
    assert!(
        circles.is_empty(),
        "import circles (move the shared piece to the lower module):\n{}",
        circles.join("\n")
    );
}

/// The checker finds a circle of three and names each step with the file that makes it.
#[test]
fn the_checker_finds_a_circle() {
    let mut g = Graph::new();
    add(&mut g, "clean", "infer", "clean/stream.rs");
    add(&mut g, "infer", "score", "infer/mod.rs");
    add(&mut g, "score", "clean", "score/mod.rs");
    add(&mut g, "report", "score", "report/mod.rs");
    assert_eq!(
        circles(&g),
        vec!["clean → infer (clean/stream.rs), infer → score (infer/mod.rs), score → clean (score/mod.rs)"]
    );
    let code = code_of("use crate::{a::X, b};\n// crate::c\nuse crate::{\n    d::{Y, Z},\n    e,\n};\n#[cfg(test)]\nuse crate::f;");
    assert_eq!(
        paths_after(&code, "crate::"),
        ["a", "b", "d", "e"].map(String::from).into()
    );
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// A file's code before its tests, without line comments (doc comments name other modules).
fn code_of(text: &str) -> String {
    let before_tests = text.split("#[cfg(test)]").next().unwrap_or_default();
    before_tests
        .lines()
        .map(|l| l.split("//").next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The first path segment after each `prefix` (`crate::score::x` → `score`), including each
/// member of a group (`crate::{score, themes::Theme}` → `score`, `themes`).
fn paths_after(code: &str, prefix: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (at, _) in code.match_indices(prefix) {
        if at > 0 && code[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == ':') {
            continue;
        }
        let rest = &code[at + prefix.len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let (mut depth, mut start) = (0, true);
            for (k, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => start = true,
                    c if start && depth == 0 && (c.is_alphanumeric() || c == '_') => {
                        out.insert(ident(&group[k..]));
                        start = false;
                    }
                    _ => {}
                }
            }
        } else {
            let name = ident(rest);
            if !name.is_empty() {
                out.insert(name);
            }
        }
    }
    out.remove("self");
    out
}

fn ident(s: &str) -> String {
    s.chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect()
}

fn add(g: &mut Graph, from: &str, to: &str, file: &str) {
    g.entry(from.to_string())
        .or_default()
        .entry(to.to_string())
        .or_insert_with(|| file.to_string());
    g.entry(to.to_string()).or_default();
}

/// One line per circle: each strongly connected set of modules, walked from its first
/// member along the edges that stay inside it.
fn circles(g: &Graph) -> Vec<String> {
    let reach = |from: &str| {
        let mut seen = BTreeSet::from([from.to_string()]);
        let mut todo = vec![from.to_string()];
        while let Some(m) = todo.pop() {
            for next in g[&m].keys() {
                if seen.insert(next.clone()) {
                    todo.push(next.clone());
                }
            }
        }
        seen
    };
    let mut done = BTreeSet::new();
    let mut out = Vec::new();
    for m in g.keys() {
        if done.contains(m) {
            continue;
        }
        let set: BTreeSet<String> = reach(m)
            .into_iter()
            .filter(|n| n != m && reach(n).contains(m))
            .chain([m.clone()])
            .collect();
        done.extend(set.iter().cloned());
        if set.len() < 2 {
            continue;
        }
        let mut steps = Vec::new();
        let mut at = m.clone();
        let mut walked = BTreeSet::new();
        while walked.insert(at.clone()) {
            let (next, file) = g[&at]
                .iter()
                .find(|(n, _)| set.contains(*n) && (!walked.contains(*n) || *n == m))
                .or_else(|| g[&at].iter().find(|(n, _)| set.contains(*n)))
                .unwrap();
            steps.push(format!("{at} → {next} ({file})"));
            at = next.clone();
        }
        out.push(steps.join(", "));
    }
    out
}
