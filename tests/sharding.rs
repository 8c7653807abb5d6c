//! Scale-out and adaptive runs: shards merge into exactly one run's files,
//! bad merges are refused, and `--precision` meets its target
//! deterministically.

use std::path::Path;
use std::process::{Command, Output};

fn dudsim(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dudsim"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("dudsim runs")
}

fn ok(out: Output) -> Output {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

#[test]
fn four_shards_merge_into_exactly_one_run() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    for i in 1..=4 {
        ok(dudsim(
            t,
            &[
                "run",
                "--replicates",
                "1500",
                "--quiet",
                "--shard",
                &format!("{i}/4"),
                "--out",
                &format!("s{i}"),
            ],
        ));
        assert!(t.join(format!("s{i}/partial.json")).exists());
    }
    // Shards given in any order.
    ok(dudsim(
        t,
        &[
            "merge", "s3", "s1", "s4", "s2", "--quiet", "--out", "merged",
        ],
    ));
    ok(dudsim(
        t,
        &["run", "--replicates", "1500", "--quiet", "--out", "whole"],
    ));
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
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let shard = |name: &str, spec: &str, extra: &[&str]| {
        let mut args = vec!["run", "--quiet", "--shard", spec, "--out", name];
        args.extend_from_slice(if extra.is_empty() {
            &["--replicates", "600"]
        } else {
            extra
        });
        ok(dudsim(t, &args));
    };
    shard("a1", "1/2", &[]);
    shard("a2", "2/2", &[]);
    shard("seed", "2/2", &["--replicates", "600", "--seed", "9"]);
    shard("reps", "2/2", &["--replicates", "700"]);
    shard("three", "2/3", &[]);
    std::fs::write(
        t.join("other.toml"),
        String::from_utf8(ok(dudsim(t, &["example"])).stdout)
            .unwrap()
            .replace("carriers = 1000", "carriers = 999"),
    )
    .unwrap();
    ok(dudsim(
        t,
        &[
            "run",
            "other.toml",
            "--replicates",
            "600",
            "--quiet",
            "--shard",
            "2/2",
            "--out",
            "file",
        ],
    ));
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
        let out = dudsim(t, &args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{dirs:?}: {stderr}");
        assert!(stderr.contains(needle), "{dirs:?}: {stderr}");
        assert!(!t.join("out").exists());
    }
    ok(dudsim(t, &["merge", "a1", "a2", "--quiet", "--out", "out"]));
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
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    std::fs::write(t.join("small.toml"), SMALL).unwrap();
    let p = 0.02;
    let run = |threads: &str, out: &str| {
        ok(dudsim(
            t,
            &[
                "run",
                "small.toml",
                "--precision",
                "0.02",
                "--threads",
                threads,
                "--quiet",
                "--out",
                out,
            ],
        ));
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
    let tmp = tempfile::tempdir().unwrap();
    for args in [
        &["run", "--precision", "0.01", "--shard", "1/2", "--out", "x"][..],
        &["run", "--precision", "0", "--out", "x"],
        &["run", "--precision", "1.5", "--out", "x"],
        &["run", "--shard", "0/2", "--out", "x"],
        &["run", "--shard", "3/2", "--out", "x"],
        &["merge", "--out", "x"],
    ] {
        let out = dudsim(tmp.path(), args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(!tmp.path().join("x").exists());
    }
}
