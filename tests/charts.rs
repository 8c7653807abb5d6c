//! The charts and the report of `dudsim run` (SPEC §4, §5), through the
//! real binary.

mod common;

use common::{TempDir, dudsim_ok, png_size, svg_text};

const SCENARIOS: [&str; 3] = [
    "9M55K, 30-40% duds",
    "M864 as claimed, 1-2.35% duds",
    "M864 as measured before, 6-14% duds",
];

/// Chart file stems and their titles.
const CHARTS: [(&str, &str); 4] = [
    (
        "uxo-distribution",
        "How many submunitions are left unexploded after the strikes",
    ),
    (
        "uxo-exceedance",
        "Chance of more than x submunitions left unexploded",
    ),
    ("live-uxo", "Live unexploded submunitions over time"),
    ("casualties", "Casualties over time (cumulative)"),
];

#[test]
fn run_writes_every_chart_as_png_and_svg_and_a_self_contained_report() {
    let tmp = TempDir::new("charts");
    let out = tmp.join("out");
    dudsim_ok(&[
        "run",
        "--replicates",
        "300",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ]);

    let mut svgs = Vec::new();
    for (name, title) in CHARTS {
        let png = std::fs::read(out.join(format!("{name}.png"))).unwrap();
        let (w, h) = png_size(&png);
        assert!(w >= 1200 && h >= 800, "{name}.png is {w}x{h}");

        let svg = std::fs::read_to_string(out.join(format!("{name}.svg"))).unwrap();
        let text = svg_text(&svg);
        assert!(
            text.contains(title),
            "{name}.svg lacks its title; text: {text}"
        );
        for scenario in SCENARIOS {
            assert!(text.contains(scenario), "{name}.svg lacks \"{scenario}\"");
        }
        svgs.push(svg);
    }

    let report = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(report.starts_with("<!DOCTYPE html>"));
    assert_eq!(
        report.matches("<svg").count(),
        CHARTS.len(),
        "one inline SVG per chart"
    );
    for (_, title) in CHARTS {
        assert!(report.contains(title), "report lacks chart \"{title}\"");
    }
    for scenario in SCENARIOS {
        assert!(report.contains(scenario));
    }
    // The summary numbers, as summary.json has them.
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    for s in summary["scenarios"].as_array().unwrap() {
        let mean = s["unexploded"]["mean"].as_f64().unwrap();
        let shown = dudsim::output::table::count(mean);
        assert!(report.contains(&shown), "report lacks the mean UXO {shown}");
        let casualties = s["timeline"].as_array().unwrap().last().unwrap()["casualties"]["mean"]
            .as_f64()
            .unwrap();
        let shown = dudsim::output::table::count(casualties);
        assert!(
            report.contains(&shown),
            "report lacks the mean casualties {shown}"
        );
    }
    // The parameters.
    assert!(report.contains("2026"), "seed");
    assert!(report.contains("dudsim 0."), "version");
    assert!(
        report.contains("clearance_rate = { uniform = [0.008, 0.016] }"),
        "scenario file text"
    );
    assert!(report.contains("What the model assumes"));
    // Nothing external.
    let lower = report.to_lowercase();
    for bad in [
        "src=\"http",
        "href=\"http",
        "src='http",
        "href='http",
        "<script",
        "<link",
        "url(",
        "@import",
    ] {
        assert!(
            !lower.contains(bad),
            "report references something external: {bad}"
        );
    }
    roxmltree::Document::parse(&svgs[0]).unwrap();
}

#[test]
fn no_charts_writes_no_png_or_svg() {
    let tmp = TempDir::new("nocharts");
    let out = tmp.join("out");
    dudsim_ok(&[
        "run",
        "--replicates",
        "50",
        "--quiet",
        "--no-charts",
        "--out",
        out.to_str().unwrap(),
    ]);
    let names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !names
            .iter()
            .any(|n| n.ends_with(".png") || n.ends_with(".svg")),
        "{names:?}"
    );
    assert!(names.contains(&"summary.json".to_string()));
    let report = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(!report.contains("<svg"));
    assert!(report.contains("--no-charts"));
}

#[test]
fn a_scenario_without_aftermath_gets_the_distribution_charts_only() {
    let tmp = TempDir::new("noaftermath");
    let file = tmp.join("s.toml");
    std::fs::write(
        &file,
        "title = \"No aftermath\"\n[simulation]\nsteps = 0\n\
         [[scenario]]\nname = \"Only strikes & <duds>\"\nstrikes = [ { munition = \"9M55K\", carriers = 10 } ]\n",
    )
    .unwrap();
    let out = tmp.join("out");
    dudsim_ok(&[
        "run",
        file.to_str().unwrap(),
        "--replicates",
        "100",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ]);
    for name in ["uxo-distribution", "uxo-exceedance"] {
        let svg = std::fs::read_to_string(out.join(format!("{name}.svg"))).unwrap();
        assert!(svg_text(&svg).contains("Only strikes & <duds>"));
        png_size(&std::fs::read(out.join(format!("{name}.png"))).unwrap());
    }
    assert!(!out.join("live-uxo.png").exists());
    let report = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(report.contains("Only strikes &amp; &lt;duds&gt;"));
    assert!(!report.contains("<duds>"));
}
