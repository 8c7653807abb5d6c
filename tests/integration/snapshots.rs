//! Whole outputs as a user sees them, against snapshots committed under
//! `tests/integration/snapshots/`: the help of every command, the table and
//! the `summary.json` of a small run with a fixed seed, and the texts of
//! `catalog`, `validate` and `sweep`. A deliberate change updates the
//! snapshot (`INSTA_UPDATE=always cargo test`, or `cargo insta review`) in
//! the same commit, where the diff shows it.

use crate::common::{dudsim, read, stdout, temp_dir};

/// Every command of `dudsim`, as `dudsim --help` lists them.
const COMMANDS: [&str; 11] = [
    "run",
    "calibrate",
    "sweep",
    "check",
    "example",
    "catalog",
    "merge",
    "validate",
    "sensitivity",
    "completions",
    "man",
];

/// A small file: two scenarios, one with an area and an aftermath, one
/// with a catalogue munition and neither.
const SMALL: &str = r#"title = "Snapshot"
[simulation]
replicates = 200
seed = 11
steps = 2
[[munition]]
id = "X"
submunitions = 50
dud_rate = { uniform = [0.1, 0.2] }
footprint_radius_m = 60
[[scenario]]
name = "mapped"
strikes = [ { munition = "X", carriers = 8, target = [100, 100, 200, 200], cep_m = 30 } ]
[scenario.aftermath]
encounter_rate = 0.01
clearance_rate = 0.05
[scenario.area]
width_m = 300
height_m = 300
cell_m = 100
[[scenario]]
name = "counts"
strikes = [ { munition = "9M55K", carriers = 5 } ]
"#;

/// What `dudsim run` printed without its last line, which says where the
/// files went and how long it took (timings differ from run to run); that
/// line is checked here instead.
pub fn without_timing(printed: &str, out: &str) -> String {
    let (table, last) = printed
        .trim_end()
        .rsplit_once('\n')
        .expect("a table and a last line");
    assert!(
        last.starts_with(&format!("Results written to {out}/ (")),
        "the last line says where the results went: {last}"
    );
    format!("{}\n", table.trim_end())
}

#[test]
fn the_help_of_every_command() {
    // The terminal's width must not change the text.
    let help = |args: &[&str]| stdout(&dudsim(args).env("COLUMNS", "100").ok());
    let top = help(&["--help"]);
    for command in COMMANDS {
        assert!(top.contains(&format!("\n  {command} ")), "{command}: {top}");
    }
    insta::assert_snapshot!("help", top);
    for command in COMMANDS {
        insta::assert_snapshot!(format!("help_{command}"), help(&[command, "--help"]));
    }
}

#[test]
fn the_table_and_summary_json_of_a_small_run() {
    let tmp = temp_dir();
    std::fs::write(tmp.path().join("small.toml"), SMALL).unwrap();
    let run = dudsim(["run", "small.toml", "--no-charts", "--out", "out"])
        .current_dir(tmp.path())
        .ok();
    insta::assert_snapshot!("run_table", without_timing(&stdout(&run), "out"));
    let json = read(&tmp.path().join("out"), "summary.json");
    let version = format!("\"dudsim_version\": \"{}\"", env!("CARGO_PKG_VERSION"));
    assert_eq!(json.matches(&version).count(), 1, "{json}");
    insta::assert_snapshot!(
        "run_summary_json",
        json.replace(&version, "\"dudsim_version\": \"[version]\"")
    );
    // `--json` prints the same.
    let printed = dudsim(["run", "small.toml", "--json", "--out", "again"])
        .current_dir(tmp.path())
        .ok();
    assert_eq!(stdout(&printed).trim_end(), json.trim_end());
}

#[test]
fn the_catalog() {
    insta::assert_snapshot!("catalog", stdout(&dudsim(["catalog"]).ok()));
    insta::assert_snapshot!("catalog_9m55k", stdout(&dudsim(["catalog", "9M55K"]).ok()));
}

#[test]
fn the_tables_of_validate_and_sweep() {
    let tmp = temp_dir();
    let validate = dudsim([
        "validate",
        "--replicates",
        "500",
        "--no-charts",
        "--out",
        "v",
    ])
    .current_dir(tmp.path())
    .ok();
    insta::assert_snapshot!("validate_table", stdout(&validate));
    std::fs::write(tmp.path().join("small.toml"), SMALL).unwrap();
    let sweep = dudsim([
        "sweep",
        "small.toml",
        "--dud-rate",
        "0:0.5:3",
        "--no-charts",
        "--out",
        "s",
    ])
    .current_dir(tmp.path())
    .ok();
    insta::assert_snapshot!("sweep_table", stdout(&sweep));
}
