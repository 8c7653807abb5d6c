//! `dudsim sweep` through the real binary: the expected UXO against the
//! closed form N·p, the chart, and the refusal of bad `--dud-rate` values.

use crate::common::{dudsim, listing, png_size, stderr, stdout, svg_text, temp_dir, utf8};

/// Two scenarios with fixed carriers: N = 20·50 = 1000 and 5·72 = 360
/// submunitions fired.
const FILE: &str = r#"
title = "Sweep test"
[simulation]
replicates = 400
seed = 7
steps = 24

[[munition]]
id = "T"
submunitions = 50
dud_rate = { uniform = [0.1, 0.2] }

[[scenario]]
name = "Twenty T"
strikes = [ { munition = "T", carriers = 20 } ]
[scenario.aftermath]
encounter_rate = 0.01

[[scenario]]
name = "Five 9M55K"
strikes = [ { munition = "9M55K", carriers = 5 } ]
"#;

const FIRED: [f64; 2] = [1000.0, 360.0];

#[test]
fn expected_uxo_rises_with_the_dud_rate_and_matches_n_p() {
    let tmp = temp_dir();
    let file = tmp.path().join("s.toml");
    std::fs::write(&file, FILE).unwrap();
    let out = tmp.path().join("out");
    let run = dudsim([
        "sweep",
        utf8(&file),
        "--dud-rate",
        "0:1:6",
        "--out",
        utf8(&out),
    ])
    .ok();
    let stdout = stdout(&run);
    assert!(
        stdout.contains("Twenty T") && stdout.contains("Five 9M55K"),
        "{stdout}"
    );

    let csv = std::fs::read_to_string(out.join("sweep.csv")).unwrap();
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (c_scenario, c_rate, c_mean) = (col("scenario"), col("dud_rate"), col("uxo_mean"));
    for name in [
        "uxo_p05",
        "uxo_p95",
        "live_mean",
        "live_p05",
        "live_p95",
        "casualties_mean",
        "casualties_p05",
        "casualties_p95",
    ] {
        col(name);
    }
    let replicates = 400.0;
    let mut seen = [Vec::new(), Vec::new()];
    for line in lines {
        let f: Vec<&str> = line.split(',').collect();
        let i = match f[c_scenario] {
            "Twenty T" => 0,
            "Five 9M55K" => 1,
            other => panic!("unexpected scenario {other}"),
        };
        let p: f64 = f[c_rate].parse().unwrap();
        let mean: f64 = f[c_mean].parse().unwrap();
        let n = FIRED[i];
        let se = (n * p * (1.0 - p) / replicates).sqrt();
        assert!(
            (mean - n * p).abs() <= 5.0 * se + 1e-9,
            "scenario {i}, p = {p}: mean {mean}, N·p = {}, SE {se}",
            n * p
        );
        seen[i].push((p, mean));
    }
    for points in &seen {
        assert_eq!(points.len(), 6);
        assert!(
            points
                .windows(2)
                .all(|w| w[1].0 > w[0].0 && w[1].1 > w[0].1),
            "{points:?}"
        );
    }

    let png = std::fs::read(out.join("sweep.png")).unwrap();
    let (w, h) = png_size(&png);
    assert!(w >= 1200 && h >= 800);
    let text = svg_text(&std::fs::read_to_string(out.join("sweep.svg")).unwrap());
    for needle in [
        "against the dud rate",
        "Twenty T",
        "Five 9M55K",
        "2.35%",
        "30-40%",
        "replicates per dud rate",
        concat!("dudsim ", env!("CARGO_PKG_VERSION"), " \u{b7} seed"),
    ] {
        assert!(text.contains(needle), "sweep.svg lacks {needle}");
    }
}

#[test]
fn sweep_without_charts_writes_the_csv_only() {
    let tmp = temp_dir();
    let out = tmp.path().join("out");
    dudsim([
        "sweep",
        "--dud-rate",
        "0.1:0.3:3",
        "--replicates",
        "20",
        "--quiet",
        "--no-charts",
        "--out",
        utf8(&out),
    ])
    .ok();
    let names = listing(&out);
    assert_eq!(names, vec!["sweep.csv".to_string()]);
}

#[test]
fn bad_dud_rates_exit_2_and_write_nothing() {
    let tmp = temp_dir();
    for bad in [
        "0:0.5",
        "0:0.5:11:2",
        "zero:0.5:11",
        "0:1.5:3",
        "-0.1:0.5:3",
        "0:0.5:0",
        "0:0.5:100000000",
        "0.5:0.1:3",
        "0:0.5:2.5",
        "",
    ] {
        let out = tmp.path().join("never");
        let run = dudsim([
            "sweep",
            "--dud-rate",
            bad,
            "--replicates",
            "10",
            "--out",
            utf8(&out),
        ])
        .output();
        let stderr = stderr(&run);
        assert_eq!(run.status.code(), Some(2), "--dud-rate {bad:?}: {stderr}");
        assert!(
            stderr.contains("--dud-rate"),
            "--dud-rate {bad:?}: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert!(!out.exists(), "--dud-rate {bad:?} wrote {}", out.display());
    }
    assert_eq!(
        std::fs::read_dir(tmp.path()).unwrap().count(),
        0,
        "nothing written at all"
    );
}
