//! The commands as a user runs them: run, check, example, catalog.

use std::io::Read;

use crate::common::{dudsim, stdout, summary_json, temp_dir};
use crate::snapshots::without_timing;

#[test]
fn example_prints_a_file_that_check_accepts() {
    let tmp = temp_dir();
    let out = dudsim(["example"]).ok();
    let path = tmp.path().join("example.toml");
    std::fs::write(&path, &out.stdout).unwrap();
    let check = dudsim(["check"]).arg(&path).ok();
    assert!(stdout(&check).contains("valid"));
}

#[test]
fn run_writes_summary_and_timeline_and_prints_the_table() {
    let tmp = temp_dir();
    let out = dudsim(["run", "--replicates", "500", "--out"])
        .arg(tmp.path().join("out"))
        .ok();
    let table = stdout(&out);
    for needle in [
        "9M55K, 30-40% duds",
        "M864 as claimed",
        "Unexploded",
        "72,000",
        "UXO vs first",
    ] {
        assert!(table.contains(needle), "table lacks {needle}:\n{table}");
    }
    insta::assert_snapshot!(
        "default_run_table",
        without_timing(&table, &tmp.path().join("out").display().to_string())
    );
    let summary = summary_json(&tmp.path().join("out"));
    assert_eq!(summary["replicates"], 500);
    assert_eq!(summary["seed"], 2026);
    let scenarios = summary["scenarios"].as_array().unwrap();
    assert_eq!(scenarios.len(), 3);
    for s in scenarios {
        for key in [
            "mean", "sd", "se", "min", "max", "p05", "p25", "p50", "p75", "p95", "p99",
        ] {
            assert!(s["unexploded"][key].is_number(), "{key}");
        }
        assert_eq!(s["timeline"].as_array().unwrap().len(), 120);
        assert_eq!(s["timeline"][119]["step"], 120);
        assert!(s["contaminated_area_m2"]["mean"].as_f64().unwrap() > 0.0);
    }
    let density = std::fs::read_to_string(tmp.path().join("out/density.csv")).unwrap();
    assert!(density.starts_with("x,y,mean,p_contaminated,uxo_per_ha\n25,25,"));
    // The default areas are not placed on the Earth: GeoTIFF twins of the
    // grids, no .prj files and no hazard polygons.
    for (file, written) in [
        ("density.tif", true),
        ("p_contaminated.tif", true),
        ("density.prj", false),
        ("hazard.geojson", false),
    ] {
        assert_eq!(
            tmp.path().join("out").join(file).exists(),
            written,
            "{file}"
        );
    }
    assert_eq!(density.lines().count(), 1 + 100 * 100);
    for grid in ["density.asc", "p_contaminated.asc"] {
        let text = std::fs::read_to_string(tmp.path().join("out").join(grid)).unwrap();
        assert!(text.starts_with("ncols 100\nnrows 100\nxllcorner 0\nyllcorner 0\ncellsize 50\n"));
        assert_eq!(text.lines().count(), 6 + 100);
    }
    let csv = std::fs::read_to_string(tmp.path().join("out/timeline.csv")).unwrap();
    assert!(csv.starts_with("scenario,step,quantity,mean,"));
    assert_eq!(csv.lines().count(), 1 + 3 * 120 * 4);
}

#[test]
fn json_goes_to_stdout_and_a_closed_pipe_is_not_an_error() {
    let tmp = temp_dir();
    let out = dudsim(["run", "--replicates", "300", "--json", "--out"])
        .arg(tmp.path().join("a"))
        .ok();
    let parsed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(parsed["replicates"], 300);

    // `dudsim run --json | head -c 10`: the reader goes away early.
    let mut child = dudsim(["run", "--replicates", "300", "--json", "--out"])
        .arg(tmp.path().join("b"))
        .spawn();
    let mut first = [0u8; 10];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn catalog_lists_munitions_and_shows_sources() {
    let list = stdout(&dudsim(["catalog"]).ok());
    for id in ["9M55K", "M864", "M26", "CBU-87", "M395"] {
        assert!(list.contains(id));
    }
    let one = stdout(&dudsim(["catalog", "9M55K"]).ok());
    assert!(
        one.contains("[S4] White House and DoD press briefings"),
        "{one}"
    );
    assert!(one.contains("72 per carrier"));
}

#[test]
fn a_rerun_replaces_its_files_in_an_existing_directory() {
    let tmp = temp_dir();
    let dir = tmp.path().join("out");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("notes.txt"), "mine").unwrap();
    for seed in ["1", "2"] {
        dudsim([
            "run",
            "--replicates",
            "100",
            "--quiet",
            "--seed",
            seed,
            "--out",
        ])
        .arg(&dir)
        .ok();
    }
    let summary = std::fs::read_to_string(dir.join("summary.json")).unwrap();
    assert!(summary.contains("\"seed\": 2"));
    assert_eq!(
        std::fs::read_to_string(dir.join("notes.txt")).unwrap(),
        "mine"
    );
    let hidden: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
        .collect();
    assert!(hidden.is_empty(), "staging directory left behind");
}
