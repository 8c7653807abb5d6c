//! Imports run one way: each module of the library uses only modules of
//! lower layers (scenario → engine → stats → analysis → output, with the
//! leaves error, geo, calibrate and format usable from anywhere), and the
//! binary (`src/main.rs`, `src/cli/`) uses the library only through
//! `dudsim::`, its public API.
//!
//! Read from the source: every `crate::` path, and every `super::` path
//! that climbs to the crate's root, outside comments and string literals.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The layer of a top-level module of the library; leaves are 0.
fn layer(module: &str) -> Option<u32> {
    match module {
        "error" | "geo" | "calibrate" | "format" => Some(0),
        "scenario" => Some(1),
        "engine" => Some(2),
        "stats" => Some(3),
        "analysis" => Some(4),
        "output" => Some(5),
        _ => None,
    }
}

/// References up a layer that are known and being removed, as
/// (file, module named): the test fails when one is gone, so that the
/// entry goes too.
const BEING_REMOVED: [(&str, &str); 0] = [];

/// `text` with comments and the contents of string and character literals
/// blanked out, newlines kept, so that positions keep their line.
fn code_only(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let blank = |c: char| if c == '\n' { '\n' } else { ' ' };
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                out.push(' ');
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    out.push_str("  ");
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    out.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
        } else if c == 'r'
            && matches!(next, Some('"' | '#'))
            && !chars[..i]
                .last()
                .is_some_and(|p| p.is_alphanumeric() || *p == '_')
        {
            // A raw string: r"...", r#"..."#, ...
            let mut j = i + 1;
            let mut hashes = 0;
            while chars.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if chars.get(j) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            let close: Vec<char> = std::iter::once('"')
                .chain(std::iter::repeat_n('#', hashes))
                .collect();
            out.extend(std::iter::repeat_n(' ', j + 1 - i));
            i = j + 1;
            while i < chars.len() && !chars[i..].starts_with(&close) {
                out.push(blank(chars[i]));
                i += 1;
            }
            out.extend(std::iter::repeat_n(' ', close.len()));
            i += close.len();
        } else if c == '"' {
            out.push(' ');
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    out.push(' ');
                    i += 1;
                }
                if i < chars.len() {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
            out.push(' ');
            i += 1;
        } else if c == '\'' && (next == Some('\\') || chars.get(i + 2) == Some(&'\'')) {
            // A character literal ('x', '\n', '\u{..}'), not a lifetime.
            out.push(' ');
            i += 1;
            while i < chars.len() && chars[i] != '\'' {
                if chars[i] == '\\' {
                    out.push(' ');
                    i += 1;
                }
                out.push(' ');
                i += 1;
            }
            out.push(' ');
            i += 1;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// The module path of a library file under `src/`: `src/stats/grid.rs` is
/// `["stats", "grid"]`, `src/stats/mod.rs` is `["stats"]`.
fn module_path(relative: &Path) -> Vec<String> {
    let mut parts: Vec<String> = relative
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let file = parts.pop().unwrap();
    let stem = file.trim_end_matches(".rs");
    if stem != "mod" && stem != "lib" {
        parts.push(stem.to_string());
    }
    parts
}

/// Top-level modules that the code at each point names, with the line:
/// the first segment after `crate::`, or after as many `super::` as climb
/// to the root (taking inline `mod name { .. }` blocks into account). A
/// group `crate::{a::X, b}` names each of its members.
fn roots_named(code: &str, module: &[String]) -> Vec<(usize, String)> {
    let bytes = code.as_bytes();
    let is_ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let ident_at = |i: usize| {
        let end = (i..bytes.len())
            .find(|&j| !is_ident(bytes[j]))
            .unwrap_or(bytes.len());
        &code[i..end]
    };
    let skip_space = |mut i: usize| {
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        i
    };
    let line_of = |i: usize| code[..i].matches('\n').count() + 1;
    // Members of a group `{a::b, c as d, e::{..}}` starting after `{`.
    let group = |mut i: usize| {
        let mut names = Vec::new();
        let mut depth = 1;
        let mut expect_name = true;
        while i < bytes.len() && depth > 0 {
            match bytes[i] {
                b'{' => depth += 1,
                b'}' => depth -= 1,
                b',' if depth == 1 => expect_name = true,
                b if is_ident(b) && expect_name && depth == 1 => {
                    names.push(ident_at(i).to_string());
                    expect_name = false;
                    i += ident_at(i).len();
                    continue;
                }
                _ => {}
            }
            i += 1;
        }
        names
    };
    let mut found = Vec::new();
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        let at_word = i == 0 || !is_ident(bytes[i - 1]);
        if bytes[i] == b'{' {
            depth += 1;
        } else if bytes[i] == b'}' {
            depth = depth.saturating_sub(1);
            if inline.last().is_some_and(|(_, d)| *d > depth) {
                inline.pop();
            }
        } else if at_word && ident_at(i) == "mod" {
            let j = skip_space(i + 3);
            let name = ident_at(j).to_string();
            let k = skip_space(j + name.len());
            if !name.is_empty() && bytes.get(k) == Some(&b'{') {
                inline.push((name, depth + 1));
            }
        } else if at_word && (ident_at(i) == "crate" || ident_at(i) == "super") {
            let start = i;
            let mut here: Vec<String> = module
                .iter()
                .cloned()
                .chain(inline.iter().map(|(n, _)| n.clone()))
                .collect();
            let mut j = i;
            let mut at_root = false;
            loop {
                let word = ident_at(j);
                let after = skip_space(j + word.len());
                if !code[after..].starts_with("::") {
                    break;
                }
                match word {
                    "crate" => here.clear(),
                    "super" => {
                        here.pop();
                    }
                    _ => break,
                }
                j = skip_space(after + 2);
                at_root = here.is_empty();
                if ident_at(j) != "super" {
                    break;
                }
            }
            if at_root && j > start {
                if bytes.get(j) == Some(&b'{') {
                    for name in group(j + 1) {
                        found.push((line_of(start), name));
                    }
                } else if !ident_at(j).is_empty() {
                    found.push((line_of(start), ident_at(j).to_string()));
                }
            }
            i = j.max(i + 1);
            continue;
        }
        i += 1;
    }
    found
}

/// Every `.rs` file under `dir`, sorted.
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

/// What is wrong with the imports of library file `relative` (under
/// `src/`) holding `text`: one `file:line: ...` per reference to a higher
/// layer or to a module with no layer.
fn library_violations(relative: &Path, text: &str) -> Vec<String> {
    let module = module_path(relative);
    let Some(own) = module.first() else {
        return Vec::new(); // lib.rs, the top, may name every module.
    };
    let shown = Path::new("src").join(relative).display().to_string();
    let Some(own_layer) = layer(own) else {
        return vec![format!(
            "{shown}: module `{own}` has no layer: give it one in tests/integration/layers.rs"
        )];
    };
    let mut out = Vec::new();
    for (line, root) in roots_named(&code_only(text), &module) {
        if root == *own || root == "self" {
            continue;
        }
        match layer(&root) {
            Some(l) if l < own_layer || l == 0 => {}
            Some(l) => out.push(format!(
                "{shown}:{line}: `{own}` (layer {own_layer}) uses `crate::{root}` (layer {l})"
            )),
            None => out.push(format!(
                "{shown}:{line}: `{own}` uses `crate::{root}`, which has no layer"
            )),
        }
    }
    out
}

#[test]
fn the_checker_finds_what_goes_up_and_ignores_comments_and_strings() {
    let text = "//! Uses crate::output in a comment.\n\
                use crate::engine::Engine;\n\
                use crate::{scenario::X, output::table};\n\
                /* crate::output */ const S: &str = \"crate::output\";\n\
                const R: &str = r#\"crate::analysis\"#; const C: char = '\"';\n\
                fn f() { super::super::output::write(); }\n\
                mod tests { use super::*; use super::super::analysis::run; }\n";
    let found = library_violations(Path::new("stats/grid.rs"), text);
    assert_eq!(
        found,
        [
            "src/stats/grid.rs:3: `stats` (layer 3) uses `crate::output` (layer 5)",
            "src/stats/grid.rs:6: `stats` (layer 3) uses `crate::output` (layer 5)",
        ],
        "inside `mod tests`, super::super is the stats module"
    );
    assert!(library_violations(Path::new("output/x.rs"), text).is_empty());
    assert_eq!(
        library_violations(Path::new("newmodule.rs"), "").len(),
        1,
        "a module with no layer is named"
    );
}

#[test]
fn library_modules_import_only_from_lower_layers() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut violations = Vec::new();
    let mut checked = 0;
    for path in rust_files(&src) {
        let relative = path.strip_prefix(&src).unwrap();
        if relative == Path::new("main.rs") || relative.starts_with("cli") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        violations.extend(library_violations(relative, &text));
        checked += 1;
    }
    assert!(checked > 40, "only {checked} library files found");
    for (file, module) in BEING_REMOVED {
        let known = |v: &String| {
            v.starts_with(&format!("{file}:")) && v.contains(&format!("`crate::{module}`"))
        };
        assert!(
            violations.iter().any(known),
            "{file} no longer uses `crate::{module}`: remove it from BEING_REMOVED"
        );
        violations.retain(|v| !known(v));
    }
    assert!(
        violations.is_empty(),
        "imports that go up a layer:\n{}",
        violations.join("\n")
    );
}

#[test]
fn the_binary_uses_the_library_only_through_its_public_api() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let main = std::fs::read_to_string(src.join("main.rs")).unwrap();
    // The binary's own modules, declared in main.rs.
    let own: BTreeSet<String> = code_only(&main)
        .lines()
        .filter_map(|l| l.trim().strip_prefix("mod "))
        .map(|m| m.trim_end_matches(';').trim().to_string())
        .collect();
    assert!(own.contains("cli"), "main.rs declares {own:?}");
    let mut violations = Vec::new();
    let mut uses_library = false;
    let mut files = rust_files(&src.join("cli"));
    files.push(src.join("main.rs"));
    for path in files {
        let relative = path.strip_prefix(&src).unwrap();
        let shown = Path::new("src").join(relative).display().to_string();
        let code = code_only(&std::fs::read_to_string(&path).unwrap());
        uses_library |= code.contains("dudsim::");
        for (line, root) in roots_named(&code, &module_path(relative)) {
            if layer(&root).is_some() || !own.contains(&root) {
                violations.push(format!(
                    "{shown}:{line}: the binary names `crate::{root}`; use `dudsim::` instead"
                ));
            }
        }
        for (number, line) in code.lines().enumerate() {
            let declared = line
                .trim()
                .strip_prefix("mod ")
                .map(|m| m.trim_end_matches([';', '{']).trim().to_string());
            if let Some(m) = declared.filter(|m| layer(m).is_some()) {
                violations.push(format!(
                    "{shown}:{}: the binary compiles the library's module `{m}` again",
                    number + 1
                ));
            }
        }
    }
    assert!(uses_library, "the binary does not use `dudsim::`");
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}
