//! The charts and the report of `dudsim run`, through the real binary.

use crate::common::{
    assert_chart, assert_self_contained, dudsim, listing, png_size, read, summary_json, svg_text,
    temp_dir, utf8,
};

const SCENARIOS: [&str; 3] = [
    "9M55K, 30-40% duds",
    "M864 as claimed, 1-2.35% duds",
    "M864 as measured before, 6-14% duds",
];

/// Chart file stems and their titles.
const CHARTS: [(&str, &str); 10] = [
    (
        "uxo-distribution",
        "How many submunitions are left unexploded after the strikes",
    ),
    (
        "uxo-exceedance",
        "Chance of more than x submunitions left unexploded",
    ),
    ("context", "This run beside past cluster munition campaigns"),
    (
        "live-uxo-compared",
        "Live unexploded submunitions over time, on one scale",
    ),
    ("live-uxo", "Live unexploded submunitions over time"),
    (
        "casualties-compared",
        "Casualties over time (cumulative), on one scale",
    ),
    ("casualties", "Casualties over time (cumulative)"),
    (
        "density-map",
        "Where the unexploded submunitions lie: expected UXO per hectare",
    ),
    (
        "p-contaminated-map",
        "Where the unexploded submunitions lie: chance of any UXO",
    ),
    (
        "contaminated-area",
        "How much land the unexploded submunitions contaminate",
    ),
];

/// The charts drawn only for scenarios with an area.
const AREA_CHARTS: [&str; 3] = ["density-map", "p-contaminated-map", "contaminated-area"];

/// The campaigns of `dudsim validate`.
const CAMPAIGNS: [&str; 6] = [
    "Laos 1964-1973",
    "Cambodia 1965-1973",
    "Gulf War 1991",
    "Kosovo 1999",
    "Afghanistan 2001-2002",
    "Lebanon 2006",
];

#[test]
fn run_writes_every_chart_as_png_and_svg_and_a_self_contained_report() {
    let tmp = temp_dir();
    let out = tmp.path().join("out");
    dudsim(["run", "--replicates", "300", "--quiet", "--out", utf8(&out)]).ok();

    let foot = format!(
        "dudsim {} \u{b7} seed 2026 \u{b7} 300 replicates \u{b7} One barrage, three dud rates",
        env!("CARGO_PKG_VERSION")
    );
    for (name, title) in CHARTS {
        let svg = assert_chart(&out, name, title, &SCENARIOS);
        // Every file says where it comes from (the PNG is drawn from the
        // same layout, its size checked against the SVG's).
        assert!(
            svg_text(&svg).contains(&foot),
            "{name}.svg lacks its foot \"{foot}\""
        );
    }
    // No seams between a map's cells: every filled rectangle is drawn with
    // crisp edges.
    for name in ["density-map", "p-contaminated-map"] {
        let svg = std::fs::read_to_string(out.join(format!("{name}.svg"))).unwrap();
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let filled: Vec<_> = doc
            .descendants()
            .filter(|n| n.has_tag_name("rect") && n.attribute("fill").is_some_and(|f| f != "none"))
            .collect();
        assert!(
            filled.len() > 100,
            "{name}: {} filled rectangles",
            filled.len()
        );
        for rect in filled {
            assert!(
                rect.ancestors()
                    .any(|a| a.attribute("shape-rendering") == Some("crispEdges")),
                "{name}: a rectangle without crisp edges: {:?}",
                rect.attributes()
                    .map(|a| (a.name(), a.value()))
                    .collect::<Vec<_>>()
            );
        }
    }
    // The context chart names the past campaigns beside the scenarios.
    assert_chart(&out, "context", CHARTS[2].1, &CAMPAIGNS);
    // The maps show metres and say how their colours read.
    let density = svg_text(&std::fs::read_to_string(out.join("density-map.svg")).unwrap());
    for label in [
        "x (local metres)",
        "y (local metres)",
        "per hectare",
        "log scale",
        "target",
    ] {
        assert!(density.contains(label), "density-map lacks \"{label}\"");
    }
    let area = svg_text(&std::fs::read_to_string(out.join("contaminated-area.svg")).unwrap());
    assert!(area.contains("km²"), "contaminated-area lacks its unit");

    let report = read(&out, "report.html");
    assert!(report.starts_with("<!DOCTYPE html>"));
    // Each chart twice: laid out for a wide screen and for a phone.
    assert_eq!(
        report.matches("<svg").count(),
        2 * CHARTS.len(),
        "two inline SVGs per chart"
    );
    for (name, title) in CHARTS {
        assert!(report.contains(title), "report lacks chart \"{title}\"");
        assert!(
            report.contains(&format!("<figure id=\"{name}\">")),
            "report lacks the figure {name}"
        );
    }
    // The area section: contaminated area in km² and UXO outside the area.
    assert!(report.contains("Where the duds lie"));
    assert!(report.contains("Contaminated area") && report.contains("km²"));
    assert!(report.contains("UXO outside the area"));
    for s in summary_json(&out)["scenarios"].as_array().unwrap() {
        let km2 = s["contaminated_area_m2"]["mean"].as_f64().unwrap() / 1e6;
        let shown = dudsim::format::three_significant(km2);
        assert!(
            report.contains(&format!("{shown} km²")),
            "report lacks the contaminated area {shown} km²"
        );
    }
    for scenario in SCENARIOS {
        assert!(report.contains(scenario));
    }
    // The summary numbers, as summary.json has them, rounded to what their
    // standard error supports.
    for s in summary_json(&out)["scenarios"].as_array().unwrap() {
        let rounded = |s: &serde_json::Value| {
            dudsim::format::rounded(s["mean"].as_f64().unwrap(), s["se"].as_f64().unwrap())
        };
        let shown = rounded(&s["unexploded"]);
        assert!(report.contains(&shown), "report lacks the mean UXO {shown}");
        let shown = rounded(&s["timeline"].as_array().unwrap().last().unwrap()["casualties"]);
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
    assert_self_contained(&report);
}

#[test]
fn no_charts_writes_no_png_or_svg() {
    let tmp = temp_dir();
    let out = tmp.path().join("out");
    dudsim([
        "run",
        "--replicates",
        "50",
        "--quiet",
        "--no-charts",
        "--out",
        utf8(&out),
    ])
    .ok();
    let names = listing(&out);
    assert!(
        !names
            .iter()
            .any(|n| n.ends_with(".png") || n.ends_with(".svg")),
        "{names:?}"
    );
    assert!(names.contains(&"summary.json".to_string()));
    let report = read(&out, "report.html");
    assert!(!report.contains("<svg"));
    assert!(report.contains("--no-charts"));
}

#[test]
fn a_scenario_without_aftermath_gets_the_distribution_charts_only() {
    let tmp = temp_dir();
    let file = tmp.path().join("s.toml");
    std::fs::write(
        &file,
        "title = \"No aftermath\"\n[simulation]\nsteps = 0\n\
         [[scenario]]\nname = \"Only strikes & <duds>\"\nstrikes = [ { munition = \"9M55K\", carriers = 10 } ]\n",
    )
    .unwrap();
    let out = tmp.path().join("out");
    dudsim([
        "run",
        utf8(&file),
        "--replicates",
        "100",
        "--quiet",
        "--out",
        utf8(&out),
    ])
    .ok();
    for name in ["uxo-distribution", "uxo-exceedance"] {
        let svg = std::fs::read_to_string(out.join(format!("{name}.svg"))).unwrap();
        assert!(svg_text(&svg).contains("Only strikes & <duds>"));
        png_size(&std::fs::read(out.join(format!("{name}.png"))).unwrap());
    }
    assert!(!out.join("live-uxo.png").exists());
    // No area: no maps and no contaminated area, but the context.
    for name in AREA_CHARTS {
        for ext in ["png", "svg"] {
            assert!(!out.join(format!("{name}.{ext}")).exists(), "{name}.{ext}");
        }
    }
    assert_chart(
        &out,
        "context",
        CHARTS[2].1,
        &["Only strikes & <duds>", "Kosovo 1999"],
    );
    let report = read(&out, "report.html");
    assert!(!report.contains("Where the duds lie"));
    assert_eq!(report.matches("<svg").count(), 2 * 3);
    assert!(report.contains("Only strikes &amp; &lt;duds&gt;"));
    assert!(!report.contains("<duds>"));
}

#[test]
fn scenarios_with_and_without_an_area_get_maps_of_those_with_one() {
    let tmp = temp_dir();
    let file = tmp.path().join("s.toml");
    std::fs::write(
        &file,
        "title = \"Mixed\"\n[simulation]\nsteps = 0\n\
         [[munition]]\nid = \"9M55K\"\nfootprint_radius_m = 200\n\
         [[scenario]]\nname = \"Mapped, odd cells\"\n\
         strikes = [ { munition = \"9M55K\", carriers = 5, target = [300, 300, 600, 500], cep_m = 80 } ]\n\
         [scenario.area]\nwidth_m = 1000\nheight_m = 800\ncell_m = 37\n\
         [[scenario]]\nname = \"Not mapped\"\nstrikes = [ { munition = \"9M55K\", carriers = 5 } ]\n\
         [[scenario]]\nname = \"Mapped, larger\"\n\
         strikes = [ { munition = \"M864\", carriers = 20, target = [1000, 1000, 2000, 1500], cep_m = 100 } ]\n\
         [scenario.area]\nwidth_m = 6000\nheight_m = 3000\ncell_m = 100\n",
    )
    .unwrap();
    let out = tmp.path().join("out");
    dudsim([
        "run",
        utf8(&file),
        "--replicates",
        "60",
        "--quiet",
        "--out",
        utf8(&out),
    ])
    .ok();
    for (name, title) in CHARTS.iter().filter(|c| AREA_CHARTS.contains(&c.0)) {
        let svg = assert_chart(&out, name, title, &["Mapped, odd cells", "Mapped, larger"]);
        assert!(
            !svg_text(&svg).contains("Not mapped"),
            "{name} has a panel for a scenario without an area"
        );
    }
    let report = read(&out, "report.html");
    assert!(report.contains("Where the duds lie"));
    assert!(report.contains("1 × 0.8 km, 37 m cells"));
}

#[test]
fn validate_draws_its_chart_unless_told_not_to() {
    let tmp = temp_dir();
    let out = tmp.path().join("v");
    dudsim([
        "validate",
        "--replicates",
        "300",
        "--quiet",
        "--out",
        utf8(&out),
    ])
    .ok();
    let svg = assert_chart(
        &out,
        "validate",
        "Past campaigns: simulated and published unexploded submunitions",
        &CAMPAIGNS,
    );
    let text = svg_text(&svg);
    for label in [
        "simulated 90% interval",
        "published estimate",
        "log scale",
        "300 replicates per campaign",
    ] {
        assert!(text.contains(label), "validate.svg lacks \"{label}\"");
    }
    assert!(out.join("validate.csv").exists());

    let bare = tmp.path().join("bare");
    dudsim([
        "validate",
        "--replicates",
        "50",
        "--quiet",
        "--no-charts",
        "--out",
        utf8(&bare),
    ])
    .ok();
    let names = listing(&bare);
    assert_eq!(names, vec!["validate.csv".to_string()]);
}

#[test]
fn charts_of_many_scenarios_draw_the_first_twelve_and_say_so() {
    // 5,000 scenarios asked for 5.4 GB of bitmaps: every chart grew a panel
    // per scenario. Now each draws the first 12 and notes the rest.
    let mut text = String::from(
        "[simulation]\nreplicates = 40\nsteps = 6\n\
         [[munition]]\nid = \"X\"\nsubmunitions = 72\ndud_rate = 0.3\nfootprint_radius_m = 50\n",
    );
    for i in 0..30 {
        text.push_str(&format!(
            "[[scenario]]\nname = \"scenario {i}\"\n\
             strikes = [ {{ munition = \"X\", carriers = {}, target = [100, 100, 200, 200], cep_m = 20 }} ]\n\
             [scenario.aftermath]\nencounter_rate = 0.01\n\
             [scenario.area]\nwidth_m = 300\nheight_m = 300\ncell_m = 10\n",
            10 + i
        ));
    }
    let tmp = temp_dir();
    std::fs::write(tmp.path().join("many.toml"), text).unwrap();
    let out = tmp.path().join("out");
    dudsim([
        "run",
        tmp.path().join("many.toml").to_str().unwrap(),
        "--quiet",
        "--out",
        utf8(&out),
    ])
    .ok();
    let note = "Only the first 12 of 30 scenarios are drawn";
    for (name, _) in CHARTS {
        let svg = std::fs::read_to_string(out.join(format!("{name}.svg"))).unwrap();
        let text = svg_text(&svg);
        assert!(text.contains(note), "{name}.svg lacks the note");
        assert!(text.contains("scenario 11"), "{name}.svg lacks scenario 11");
        assert!(
            !text.contains("scenario 12"),
            "{name}.svg draws scenario 12"
        );
        let (_, height) = png_size(&std::fs::read(out.join(format!("{name}.png"))).unwrap());
        assert!(height <= 4000, "{name}.png is {height} pixels high");
    }
    let report = read(&out, "report.html");
    assert!(report.contains(note));
    assert!(
        report.contains("scenario 29"),
        "the report's tables keep every scenario"
    );
}

#[test]
fn maps_of_a_placed_area_show_eastings_and_northings() {
    let tmp = temp_dir();
    let out = tmp.path().join("out");
    let example =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/placed-kharkiv.toml");
    dudsim([
        "run",
        utf8(&example),
        "--replicates",
        "100",
        "--quiet",
        "--out",
        utf8(&out),
    ])
    .ok();
    // The area's lower-left corner in UTM zone 37N, from density.csv's
    // first cell centre (half a 50 m cell in).
    let csv = read(&out, "density.csv");
    let first: Vec<f64> = csv
        .lines()
        .nth(1)
        .unwrap()
        .split(',')
        .map(|f| f.parse().unwrap())
        .collect();
    let (east, north) = (first[0] - 25.0, first[1] - 25.0);
    for name in ["density-map", "p-contaminated-map"] {
        let svg = std::fs::read_to_string(out.join(format!("{name}.svg"))).unwrap();
        let text = svg_text(&svg);
        for label in ["Easting (m, EPSG:32637)", "Northing (m, EPSG:32637)"] {
            assert!(text.contains(label), "{name} lacks \"{label}\"");
        }
        assert!(!text.contains("local metres"), "{name}");
        // The tick labels are coordinates inside the 5 km area.
        let ticks: Vec<f64> = text
            .split_whitespace()
            .filter_map(|w| w.replace(',', "").parse::<f64>().ok())
            .collect();
        let inside = |lo: f64| ticks.iter().any(|&t| (lo..=lo + 5000.0).contains(&t));
        assert!(
            inside(east) && inside(north),
            "{name}: ticks {ticks:?}, corner {east}, {north}"
        );
    }
}
