//! Clearance plans on the map as a planner runs them: the shipped decision
//! example, the same numbers for any thread count and any sharding, and
//! the files and table that compare the plans.

use std::path::Path;

use crate::common::{dudsim, listing, read, stdout, summary_json, temp_dir, utf8};

fn example() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/decision/village.toml")
}

/// The files of a run that must not depend on threads or shards.
fn results(dir: &Path) -> Vec<(String, String)> {
    listing(dir)
        .into_iter()
        .filter(|n| n.ends_with(".json") || n.ends_with(".csv") || n.ends_with(".asc"))
        .map(|n| (n.clone(), read(dir, &n)))
        .collect()
}

#[test]
fn plans_on_the_map_give_the_same_numbers_for_any_threads_and_shards() {
    let tmp = temp_dir();
    let run = |out: &str, extra: &[&str]| {
        dudsim([
            "run",
            utf8(&example()),
            "--replicates",
            "120",
            "--no-charts",
            "--quiet",
        ])
        .args(extra)
        .arg("--out")
        .arg(tmp.path().join(out))
        .ok()
    };
    run("one", &["--threads", "1"]);
    run("two", &["--threads", "2"]);
    let one = results(&tmp.path().join("one"));
    assert!(one.iter().any(|(n, _)| n == "residual_risk.asc"), "{one:?}");
    assert_eq!(one, results(&tmp.path().join("two")));
    for i in 1..=3 {
        run(&format!("shard{i}"), &["--shard", &format!("{i}/3")]);
    }
    dudsim(["merge", "--no-charts", "--quiet"])
        .args((1..=3).map(|i| tmp.path().join(format!("shard{i}"))))
        .arg("--out")
        .arg(tmp.path().join("merged"))
        .ok();
    assert_eq!(one, results(&tmp.path().join("merged")));
}

#[test]
fn the_decision_example_reports_what_each_plan_averts_and_leaves() {
    let tmp = temp_dir();
    let out = dudsim(["run", utf8(&example()), "--replicates", "60"])
        .arg("--out")
        .arg(tmp.path().join("out"))
        .ok();
    let table = stdout(&out);
    assert!(table.contains("Casualties averted"), "{table}");
    for plan in ["by risk", "sweeping", "at random"] {
        assert!(table.contains(plan), "{table}");
    }
    let dir = tmp.path().join("out");
    let summary = summary_json(&dir);
    for s in summary["scenarios"].as_array().unwrap() {
        assert!(s["casualties_averted"]["mean"].as_f64().unwrap() >= 0.0);
        let last = s["timeline"].as_array().unwrap().last().unwrap();
        // Released land grows to at most the area, and the UXO left in
        // searched cells are at most the live UXO.
        let released = last["released_ha"]["max"].as_f64().unwrap();
        assert!(released > 0.0 && released <= 2500.0, "{released}");
        assert!(last["residual_in_searched"]["max"].as_f64() <= last["live"]["max"].as_f64());
    }
    let timeline = read(&dir, "timeline.csv");
    assert!(timeline.contains(",released_ha,") && timeline.contains(",residual_in_searched,"));
    for grid in [
        "live-12.asc",
        "p_live-60.asc",
        "live-120.tif",
        "residual_risk.tif",
    ] {
        assert!(dir.join(grid).exists(), "{grid}");
    }
    // The report compares the plans in a table and three charts: the
    // curves on one scale, the live UXO at the mapped steps, the risk left.
    let report = read(&dir, "report.html");
    assert!(report.contains("<h2>Clearance plans on the map</h2>"));
    assert!(report.contains("Casualties averted</th>"));
    for chart in ["plans", "live-uxo-maps", "residual-risk-map"] {
        assert!(
            report.contains(&format!("<figure id=\"{chart}\">")),
            "{chart}"
        );
        assert!(dir.join(format!("{chart}.png")).exists(), "{chart}");
    }
}
