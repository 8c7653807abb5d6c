//! Scale-out and adaptive runs: shards merge into exactly one run's files,
//! bad merges are refused, and `--precision` meets its target
//! deterministically.

use std::path::Path;

use crate::common::{dudsim, files, stderr, temp_dir};

#[test]
fn four_shards_merge_into_exactly_one_run() {
    let tmp = temp_dir();
    let t = tmp.path();
    for i in 1..=4 {
        dudsim([
            "run",
            "--replicates",
            "1500",
            "--quiet",
            "--shard",
            &format!("{i}/4"),
            "--out",
            &format!("s{i}"),
        ])
        .current_dir(t)
        .ok();
        assert!(t.join(format!("s{i}/partial.json")).exists());
    }
    // Shards given in any order.
    dudsim([
        "merge", "s3", "s1", "s4", "s2", "--quiet", "--out", "merged",
    ])
    .current_dir(t)
    .ok();
    dudsim(["run", "--replicates", "1500", "--quiet", "--out", "whole"])
        .current_dir(t)
        .ok();
    let (merged, whole) = (files(&t.join("merged")), files(&t.join("whole")));
    assert_eq!(
        merged.iter().map(|f| &f.0).collect::<Vec<_>>(),
        whole.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    for ((name, a), (_, b)) in merged.iter().zip(&whole) {
        assert!(
            a == b,
            "{name} differs between the merged and the unsharded run"
        );
    }
}

#[test]
fn merges_of_shards_that_do_not_belong_together_are_refused() {
    let tmp = temp_dir();
    let t = tmp.path();
    let shard = |name: &str, spec: &str, extra: &[&str]| {
        let mut args = vec!["run", "--quiet", "--shard", spec, "--out", name];
        args.extend_from_slice(if extra.is_empty() {
            &["--replicates", "600"]
        } else {
            extra
        });
        dudsim(args).current_dir(t).ok();
    };
    shard("a1", "1/2", &[]);
    shard("a2", "2/2", &[]);
    shard("seed", "2/2", &["--replicates", "600", "--seed", "9"]);
    shard("reps", "2/2", &["--replicates", "700"]);
    shard("three", "2/3", &[]);
    std::fs::write(
        t.join("other.toml"),
        String::from_utf8(dudsim(["example"]).current_dir(t).ok().stdout)
            .unwrap()
            .replace("carriers = 1000", "carriers = 999"),
    )
    .unwrap();
    dudsim([
        "run",
        "other.toml",
        "--replicates",
        "600",
        "--quiet",
        "--shard",
        "2/2",
        "--out",
        "file",
    ])
    .current_dir(t)
    .ok();
    std::fs::create_dir(t.join("empty")).unwrap();
    for (dirs, needle) in [
        (&["a1", "seed"][..], "seeds"),
        (&["a1", "reps"], "replicate counts"),
        (&["a1", "three"], "shard counts"),
        (&["a1", "file"], "scenario files"),
        (&["a1", "a1", "a2"], "given twice"),
        (&["a1"], "missing"),
        (&["a1", "empty"], "partial result"),
    ] {
        let mut args = vec!["merge"];
        args.extend_from_slice(dirs);
        args.extend_from_slice(&["--out", "out"]);
        let out = dudsim(args).current_dir(t).output();
        let stderr = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{dirs:?}: {stderr}");
        assert!(stderr.contains(needle), "{dirs:?}: {stderr}");
        assert!(!t.join("out").exists());
    }
    dudsim(["merge", "a1", "a2", "--quiet", "--out", "out"])
        .current_dir(t)
        .ok();
}

const SMALL: &str = r#"
[simulation]
steps = 24
[[munition]]
id = "X"
submunitions = 72
dud_rate = { uniform = [0.05, 0.15] }
[[scenario]]
name = "small"
strikes = [ { munition = "X", carriers = { poisson = 40 } } ]
[scenario.aftermath]
encounter_rate = { uniform = [0.001, 0.003] }
"#;

#[test]
fn precision_is_reached_and_does_not_depend_on_threads() {
    let tmp = temp_dir();
    let t = tmp.path();
    std::fs::write(t.join("small.toml"), SMALL).unwrap();
    let p = 0.02;
    let run = |threads: &str, out: &str| {
        dudsim([
            "run",
            "small.toml",
            "--precision",
            "0.02",
            "--threads",
            threads,
            "--quiet",
            "--out",
            out,
        ])
        .current_dir(t)
        .ok();
        std::fs::read_to_string(t.join(out).join("summary.json")).unwrap()
    };
    let one = run("1", "one");
    assert_eq!(one, run("2", "two"));
    let summary: serde_json::Value = serde_json::from_str(&one).unwrap();
    let replicates = summary["replicates"].as_u64().unwrap();
    assert!(
        replicates > 2048,
        "the target needs more than the first batch: {replicates}"
    );
    for s in summary["scenarios"].as_array().unwrap() {
        for figure in [&s["unexploded"], &s["timeline"][23]["casualties"]] {
            let (mean, se) = (
                figure["mean"].as_f64().unwrap(),
                figure["se"].as_f64().unwrap(),
            );
            assert!(
                1.96 * se <= p * mean,
                "half-width {} above {p} x {mean}",
                1.96 * se
            );
        }
    }
}

#[test]
fn precision_and_shards_do_not_mix_and_bad_values_are_refused() {
    let tmp = temp_dir();
    for args in [
        &["run", "--precision", "0.01", "--shard", "1/2", "--out", "x"][..],
        &["run", "--precision", "0", "--out", "x"],
        &["run", "--precision", "1.5", "--out", "x"],
        &["run", "--shard", "0/2", "--out", "x"],
        &["run", "--shard", "3/2", "--out", "x"],
        &["merge", "--out", "x"],
    ] {
        let out = dudsim(args).current_dir(tmp.path()).output();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(!tmp.path().join("x").exists());
    }
}

#[test]
fn shard_counts_are_bounded_when_running() {
    let tmp = temp_dir();
    for (spec, needle) in [
        ("1/18446744073709551615", "at most"),
        ("1/1000000000", "at most"),
        ("1/601", "600 replicates"),
    ] {
        let out = dudsim([
            "run",
            "--replicates",
            "600",
            "--quiet",
            "--shard",
            spec,
            "--out",
            "x",
        ])
        .current_dir(tmp.path())
        .output();
        let stderr = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{spec}: {stderr}");
        assert!(stderr.contains(needle), "{spec}: {stderr}");
        assert!(!tmp.path().join("x").exists());
    }
    dudsim([
        "run",
        "--replicates",
        "600",
        "--quiet",
        "--shard",
        "600/600",
        "--out",
        "x",
    ])
    .current_dir(tmp.path())
    .ok();
}

/// A small run with an area, an aftermath and two scenarios, so that
/// every part of a shard's statistics is there to corrupt.
const GRID: &str = r#"
[simulation]
steps = 3
[[munition]]
id = "X"
submunitions = 72
dud_rate = { uniform = [0.05, 0.15] }
footprint_radius_m = 60
[[scenario]]
name = "a"
strikes = [ { munition = "X", carriers = { poisson = 20 }, target = [100, 100, 200, 200], cep_m = 30 } ]
[scenario.aftermath]
encounter_rate = 0.01
[scenario.area]
width_m = 320
height_m = 300
cell_m = 50
[[scenario]]
name = "b"
strikes = [ { munition = "X", carriers = 10 } ]
"#;

/// Runs shard `spec` of `file` into `dir`.
fn grid_shard(t: &Path, file: &str, spec: &str, dir: &str) {
    dudsim([
        "run",
        file,
        "--replicates",
        "600",
        "--quiet",
        "--shard",
        spec,
        "--out",
        dir,
    ])
    .current_dir(t)
    .ok();
}

/// Copies shard directory `from` to `to`, editing its partial.json.
fn corrupt(t: &Path, from: &str, to: &str, edit: impl Fn(&mut serde_json::Value)) {
    let mut partial: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(t.join(from).join("partial.json")).unwrap())
            .unwrap();
    edit(&mut partial);
    std::fs::create_dir_all(t.join(to)).unwrap();
    std::fs::write(t.join(to).join("partial.json"), partial.to_string()).unwrap();
}

#[test]
fn shards_of_one_file_spelled_differently_merge() {
    let tmp = temp_dir();
    let t = tmp.path();
    std::fs::write(t.join("m.toml"), GRID).unwrap();
    grid_shard(t, "m.toml", "1/2", "s1");
    grid_shard(t, "./m.toml", "2/2", "s2");
    dudsim([
        "merge",
        "s1",
        "s2",
        "--quiet",
        "--no-charts",
        "--out",
        "merged",
    ])
    .current_dir(t)
    .ok();
    dudsim([
        "run",
        "m.toml",
        "--replicates",
        "600",
        "--quiet",
        "--no-charts",
        "--out",
        "whole",
    ])
    .current_dir(t)
    .ok();
    assert_eq!(
        std::fs::read(t.join("merged/summary.json")).unwrap(),
        std::fs::read(t.join("whole/summary.json")).unwrap()
    );
}

#[test]
fn corrupt_shards_are_refused_naming_the_file_and_the_fault() {
    use serde_json::{Value, json};
    let tmp = temp_dir();
    let t = tmp.path();
    std::fs::write(t.join("m.toml"), GRID).unwrap();
    grid_shard(t, "m.toml", "1/2", "s1");
    grid_shard(t, "m.toml", "2/2", "s2");
    type Edit = Box<dyn Fn(&mut Value)>;
    let cases: Vec<(&str, Edit)> = vec![
        (
            "shard index 0",
            Box::new(|p| p["shard"]["index"] = json!(0)),
        ),
        (
            "shard index 3",
            Box::new(|p| p["shard"]["index"] = json!(3)),
        ),
        (
            "shard count 0",
            Box::new(|p| p["shard"]["count"] = json!(0)),
        ),
        (
            "shard count 1000000000000000",
            Box::new(|p| p["shard"]["count"] = json!(1_000_000_000_000_000u64)),
        ),
        (
            "replicate count",
            Box::new(|p| p["replicates"] = json!(10_000_000_000u64)),
        ),
        (
            "2 scenarios",
            Box::new(|p| {
                p["stats"]["scenarios"].as_array_mut().unwrap().pop();
            }),
        ),
        (
            "cells",
            Box::new(|p| {
                p["stats"]["scenarios"][0]["grid"]["uxo"]
                    .as_array_mut()
                    .unwrap()
                    .pop();
            }),
        ),
        (
            "cells",
            Box::new(|p| {
                p["stats"]["scenarios"][0]["grid"]["hits"]
                    .as_array_mut()
                    .unwrap()
                    .truncate(3);
            }),
        ),
        (
            "3 steps",
            Box::new(|p| {
                p["stats"]["scenarios"][0]["timeline"]
                    .as_array_mut()
                    .unwrap()
                    .pop();
            }),
        ),
        (
            "histogram",
            Box::new(|p| {
                p["stats"]["scenarios"][0]["unexploded"]["histogram"]["low"]["first"] =
                    json!(1_000_000_000_000_000_000u64)
            }),
        ),
        (
            "histogram",
            Box::new(|p| {
                p["stats"]["scenarios"][1]["submunitions"]["histogram"]["shift"] = json!(70)
            }),
        ),
        (
            "histogram",
            Box::new(|p| {
                let counts =
                    &mut p["stats"]["scenarios"][0]["unexploded"]["histogram"]["low"]["counts"];
                counts[0] = json!(counts[0].as_u64().unwrap() + 1);
            }),
        ),
        (
            "300 replicates",
            Box::new(|p| {
                let n = &mut p["stats"]["scenarios"][0]["timeline"][1]["live"]["n"];
                *n = json!(n.as_u64().unwrap() + 1);
            }),
        ),
        (
            "sum",
            Box::new(|p| {
                let live = &mut p["stats"]["scenarios"][0]["timeline"][2]["live"];
                live["sum"] = json!(live["max"].as_u64().unwrap() * 300 + 1);
            }),
        ),
        (
            "sum of squares",
            Box::new(|p| p["stats"]["scenarios"][0]["unexploded"]["sum_sq_lo"] = json!(0)),
        ),
        (
            "cell",
            Box::new(|p| p["stats"]["scenarios"][0]["grid"]["hits"][7] = json!(301)),
        ),
        (
            "UXO",
            Box::new(|p| {
                let uxo = &mut p["stats"]["scenarios"][0]["grid"]["uxo"][7];
                *uxo = json!(uxo.as_u64().unwrap() + 1_000_000);
            }),
        ),
        (
            "cell areas",
            Box::new(|p| p["stats"]["scenarios"][0]["grid"]["areas"]["corner"] = json!(1)),
        ),
    ];
    for (i, (needle, edit)) in cases.iter().enumerate() {
        let bad = format!("bad{i}");
        corrupt(t, "s1", &bad, edit);
        let out = dudsim(["merge", &bad, "s2", "--quiet", "--out", "out"])
            .current_dir(t)
            .output();
        let stderr = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "case {i} ({needle}): {stderr}");
        assert!(
            stderr.contains(&format!("{bad}/partial.json")) && stderr.contains(needle),
            "case {i}: expected the file and \"{needle}\" in: {stderr}"
        );
        assert!(!stderr.contains("internal error"), "case {i}: {stderr}");
        assert!(!t.join("out").exists());
    }
    // A scenario text that is not a valid scenario file.
    grid_shard(t, "m.toml", "1/1", "whole");
    corrupt(t, "whole", "text", |p| {
        p["scenario_text"] = json!("[simulation]\nsteps = -1\n")
    });
    let out = dudsim(["merge", "text", "--quiet", "--out", "out"])
        .current_dir(t)
        .output();
    let stderr = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("text/partial.json"), "{stderr}");
    dudsim(["merge", "s1", "s2", "--quiet", "--out", "out"])
        .current_dir(t)
        .ok();
}

#[test]
fn a_list_of_missing_shards_stays_short() {
    let tmp = temp_dir();
    let t = tmp.path();
    dudsim([
        "run",
        "--replicates",
        "1000",
        "--quiet",
        "--shard",
        "1/1000",
        "--out",
        "s1",
    ])
    .current_dir(t)
    .ok();
    let out = dudsim(["merge", "s1", "--quiet", "--out", "out"])
        .current_dir(t)
        .output();
    let stderr = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("999 of 1000"), "{stderr}");
    assert!(stderr.contains("2/1000"), "{stderr}");
    assert!(stderr.len() < 300, "{stderr}");
}
