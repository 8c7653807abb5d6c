//! The output directory, through the real binary: map file names that never
//! collide.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::TempDir;

const BIN: &str = env!("CARGO_BIN_EXE_dudsim");

fn dudsim_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .output()
        .expect("dudsim runs")
}

fn ok(out: Output) -> Output {
    assert!(
        out.status.success(),
        "dudsim failed ({}):\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// A TOML basic string.
fn quoted(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// A scenario file with one scenario per name, each with an area; scenario
/// `i` fires `i + 1` carriers of 10 submunitions that all fail, so the
/// density map of scenario `i` sums to exactly `10 (i + 1)` duds and tells
/// which scenario a map file belongs to.
fn named_scenarios(names: &[&str]) -> String {
    let mut text = String::from(
        "[simulation]\nreplicates = 2\nseed = 1\nsteps = 0\n\
         [[munition]]\nid = \"X\"\nsubmunitions = 10\ndud_rate = 1\nfootprint_radius_m = 5\n",
    );
    for (i, name) in names.iter().enumerate() {
        text.push_str(&format!(
            "[[scenario]]\nname = {}\n\
             strikes = [ {{ munition = \"X\", carriers = {}, target = [100, 100, 300, 300], cep_m = 10 }} ]\n\
             [scenario.area]\nwidth_m = 400\nheight_m = 400\ncell_m = 50\n",
            quoted(name),
            i + 1
        ));
    }
    text
}

/// The sum of the `mean` column of a density CSV, rounded.
fn csv_total(text: &str) -> u64 {
    let total: f64 = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(2).unwrap().parse::<f64>().unwrap())
        .sum();
    total.round() as u64
}

/// The sum of the cells of an ESRI ASCII grid, rounded.
fn asc_total(text: &str) -> u64 {
    let total: f64 = text
        .lines()
        .skip(6)
        .flat_map(|l| l.split(' '))
        .map(|v| v.parse::<f64>().unwrap())
        .sum();
    total.round() as u64
}

/// Runs `names` as scenarios and checks that every scenario has its own
/// three map files, under unique, non-empty and short names.
fn check_map_names(names: &[&str]) {
    let tmp = TempDir::new("mapnames");
    std::fs::write(tmp.join("s.toml"), named_scenarios(names)).unwrap();
    ok(dudsim_in(
        tmp.path(),
        &["run", "s.toml", "--quiet", "--no-charts", "--out", "out"],
    ));
    let files = common::listing(&tmp.join("out"));
    for (stem, ext) in [
        ("density", "csv"),
        ("density", "asc"),
        ("p_contaminated", "asc"),
    ] {
        let prefix = format!("{stem}-");
        let suffix = format!(".{ext}");
        let own: Vec<&String> = files
            .iter()
            .filter(|f| f.starts_with(&prefix) && f.ends_with(&suffix))
            .collect();
        assert_eq!(
            own.len(),
            names.len(),
            "{names:?}: {stem}-NAME.{ext} files collide: {files:?}"
        );
        for f in &own {
            assert!(
                f.len() > prefix.len() + suffix.len() && !f.contains("-."),
                "{names:?}: an empty name part in {f}"
            );
            assert!(f.len() <= 120, "{names:?}: {f} is too long a file name");
            assert!(
                f.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b)),
                "{names:?}: {f} is not a plain file name"
            );
        }
        if stem == "density" {
            // Each file holds its own scenario's map.
            let mut totals: Vec<u64> = own
                .iter()
                .map(|f| {
                    let text = std::fs::read_to_string(tmp.join("out").join(f)).unwrap();
                    if ext == "csv" {
                        csv_total(&text)
                    } else {
                        asc_total(&text)
                    }
                })
                .collect();
            totals.sort();
            let expected: Vec<u64> = (1..=names.len() as u64).map(|i| 10 * i).collect();
            assert_eq!(totals, expected, "{names:?}: maps overwrote each other");
        }
    }
}

#[test]
fn map_file_names_are_unique_and_non_empty_for_any_scenario_names() {
    let long_a = "x".repeat(300);
    let long_b = format!("{}y", "x".repeat(299));
    let fixed: Vec<Vec<&str>> = vec![
        vec!["A b", "a-b"],
        vec!["日本語", "!!!"],
        vec!["A b", "a-b", "A-B", "a  b", "-a-b-", "a_b", "A_B!"],
        vec!["日本語", "中文", "---", "?", "ñ", "é", " . "],
        vec![&long_a, &long_b, "x"],
        vec!["a", "a-2", "A", "scenario", "!"],
    ];
    for names in &fixed {
        check_map_names(names);
    }
    // Random sets over an alphabet that slugifies badly.
    let alphabet = ["a", "A", "-", " ", "!", "日", "1", "é", "_", "."];
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = |n: usize| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((state >> 33) % n as u64) as usize
    };
    for _ in 0..8 {
        let mut set: Vec<String> = Vec::new();
        while set.len() < 6 {
            let len = 1 + next(4);
            let name: String = (0..len).map(|_| alphabet[next(alphabet.len())]).collect();
            // Scenario files trim names, and refuse blank ones.
            let name = name.trim().to_string();
            if !set.contains(&name) && !name.is_empty() {
                set.push(name);
            }
        }
        check_map_names(&set.iter().map(String::as_str).collect::<Vec<_>>());
    }
}

#[test]
fn ordinary_scenario_names_keep_their_map_file_names() {
    let tmp = TempDir::new("defaultnames");
    ok(dudsim_in(
        tmp.path(),
        &[
            "run",
            "--replicates",
            "20",
            "--quiet",
            "--no-charts",
            "--out",
            "out",
        ],
    ));
    let files = common::listing(&tmp.join("out"));
    for name in [
        "density.csv",
        "density.asc",
        "p_contaminated.asc",
        "density-9m55k-30-40-duds.csv",
        "density-9m55k-30-40-duds.asc",
        "p_contaminated-9m55k-30-40-duds.asc",
        "density-m864-as-claimed-1-2-35-duds.asc",
        "p_contaminated-m864-as-measured-before-6-14-duds.asc",
    ] {
        assert!(files.iter().any(|f| f == name), "{name} missing: {files:?}");
    }
}
