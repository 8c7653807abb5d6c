//! `dudsim sensitivity`: first-order indices rank the inputs that matter,
//! match closed-form shares, and do not depend on the thread count.

use dudsim::sensitivity::{self, Output};
use dudsim::{ProbDist, ProbShape, thread_pool};

use crate::common::{
    Z, assert_chart, assert_self_contained, dudsim, listing, scenario, svg_text, temp_dir, utf8,
};

const SAMPLES: u64 = 8_000;

fn analyse(text: &str) -> sensitivity::Analysis {
    let file = scenario(text);
    thread_pool(Some(2))
        .unwrap()
        .install(|| sensitivity::run(&file, file.simulation().seed(), SAMPLES, &|_| {}))
}

#[test]
fn a_dominant_dud_rate_ranks_first() {
    // Dud rate 30-40% against a carrier count known to ±3%.
    let a = analyse(
        "[simulation]\nsteps = 0\n\
         [[munition]]\nid = \"X\"\nsubmunitions = 72\ndud_rate = { uniform = [0.30, 0.40] }\n\
         [[scenario]]\nname = \"s\"\nstrikes = [ { munition = \"X\", carriers = { uniform = [970, 1030] } } ]\n",
    );
    let ranked = a.ranked("s", Output::Unexploded);
    assert_eq!(ranked.len(), 2);
    assert_eq!(ranked[0].input, "munition.X.dud_rate");
    assert!(ranked[0].index.estimate > 0.8, "{:?}", ranked[0]);
    assert_eq!(ranked[1].input, "scenario.s.strikes[0].carriers");
}

#[test]
fn a_dominant_carrier_count_ranks_first() {
    let a = analyse(
        "[simulation]\nsteps = 0\n\
         [[munition]]\nid = \"X\"\nsubmunitions = 72\ndud_rate = { uniform = [0.30, 0.31] }\n\
         [[scenario]]\nname = \"s\"\nstrikes = [ { munition = \"X\", carriers = { uniform = [500, 1500] } } ]\n",
    );
    let ranked = a.ranked("s", Output::Unexploded);
    assert_eq!(ranked[0].input, "scenario.s.strikes[0].carriers");
    assert!(ranked[0].index.estimate > 0.8, "{:?}", ranked[0]);
}

#[test]
fn independent_inputs_of_an_additive_model_get_their_closed_form_shares() {
    // U = Binomial(N₁, D₁) + Binomial(N₂, D₂) with independent rates:
    // Var E[U | D₁] = N₁²·Var D₁, and
    // Var U = Σ N_k²·Var D_k + N_k·E[D_k(1 − D_k)].
    let a = analyse(
        "[simulation]\nsteps = 0\n\
         [[munition]]\nid = \"A\"\nsubmunitions = 100\ndud_rate = { uniform = [0.1, 0.3] }\n\
         [[munition]]\nid = \"B\"\nsubmunitions = 100\ndud_rate = { triangular = [0.05, 0.1, 0.4] }\n\
         [[scenario]]\nname = \"s\"\nstrikes = [\n\
           { munition = \"A\", carriers = 300 },\n  { munition = \"B\", carriers = 150 },\n]\n",
    );
    let parts = [
        (
            30_000.0,
            ProbDist::new(ProbShape::Uniform { lo: 0.1, hi: 0.3 }).unwrap(),
        ),
        (
            15_000.0,
            ProbDist::new(ProbShape::Triangular {
                min: 0.05,
                mode: 0.1,
                max: 0.4,
            })
            .unwrap(),
        ),
    ];
    let total: f64 = parts
        .iter()
        .map(|(n, d)| n * n * d.variance() + n * (d.mean() - d.second_moment()))
        .sum();
    for (id, (n, d)) in ["A", "B"].iter().zip(&parts) {
        let expected = n * n * d.variance() / total;
        let row = a
            .rows
            .iter()
            .find(|r| r.input == format!("munition.{id}.dud_rate"))
            .unwrap();
        // Within 5 standard errors: a 95% interval misses by design one time
        // in twenty, which a suite of tests would turn into chance failures.
        assert!(
            (row.index.estimate - expected).abs() <= Z * row.index.se,
            "{id}: {:?} vs closed form {expected}",
            row.index
        );
    }
}

#[test]
fn the_command_writes_the_csv_without_fixed_inputs_and_repeats_exactly() {
    let tmp = temp_dir();
    let run = |threads: &str, out: &str| {
        dudsim([
            "sensitivity",
            "--samples",
            "500",
            "--threads",
            threads,
            "--quiet",
            "--out",
            tmp.path().join(out).to_str().unwrap(),
        ])
        .ok();
        std::fs::read_to_string(tmp.path().join(out).join("sensitivity.csv")).unwrap()
    };
    let csv = run("1", "a");
    assert_eq!(csv, run("2", "b"));
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("scenario,output,input,importance"));
    let rows: Vec<&str> = lines.collect();
    // Three scenarios x three outputs x five uncertain inputs (the dud
    // rate, the clearance rate, and the encounter rate with its half-life
    // and floor); carriers, the clearance start and the degradation rate
    // are fixed numbers.
    assert_eq!(rows.len(), 45);
    assert!(
        rows.iter()
            .any(|r| r.contains(".aftermath.encounter_half_life"))
    );
    assert!(
        rows.iter()
            .any(|r| r.contains(".aftermath.encounter_floor"))
    );
    assert!(
        rows.iter()
            .all(|r| !r.contains("carriers") && !r.contains("degradation"))
    );
    assert!(rows[0].starts_with("\"9M55K, 30-40% duds\",unexploded,munition.9M55K.dud_rate,"));
}

/// The scenarios of the built-in default.
const SCENARIOS: [&str; 3] = [
    "9M55K, 30-40% duds",
    "M864 as claimed, 1-2.35% duds",
    "M864 as measured before, 6-14% duds",
];

/// The tornado charts of the default scenario (month 120) and their titles.
const TORNADOS: [(&str, &str); 3] = [
    (
        "sensitivity-unexploded",
        "What drives the uncertainty in unexploded submunitions",
    ),
    (
        "sensitivity-live",
        "What drives the uncertainty in live UXO at month 120",
    ),
    (
        "sensitivity-casualties",
        "What drives the uncertainty in casualties by month 120",
    ),
];

#[test]
fn sensitivity_draws_a_tornado_chart_per_output_and_a_self_contained_page() {
    let tmp = temp_dir();
    let out = tmp.path().join("out");
    dudsim([
        "sensitivity",
        "--samples",
        "300",
        "--quiet",
        "--out",
        utf8(&out),
    ])
    .ok();
    for (name, title) in TORNADOS {
        let svg = assert_chart(&out, name, title, &SCENARIOS);
        let text = svg_text(&svg);
        // Short labels, the exact names under them, the rest, the axis.
        for label in [
            "dud rate (9M55K)",
            "dud rate (M864 as claimed)",
            "encounter rate",
            "clearance rate",
            "munition.9M55K.dud_rate",
            "scenario.M864 as measured before, 6-14% duds.aftermath.encounter_rate",
            "interactions and chance",
            "95% confidence interval",
            "Share of the variance explained, %",
            "300 pick-freeze samples",
            // The foot: where the chart comes from.
            concat!("dudsim ", env!("CARGO_PKG_VERSION"), " \u{b7} seed 2026"),
            "300 pick-freeze samples per scenario \u{b7} One barrage",
        ] {
            assert!(text.contains(label), "{name}.svg lacks \"{label}\"");
        }
    }
    // No run report is replaced: the page has its own name.
    assert!(!out.join("report.html").exists());
    let page = std::fs::read_to_string(out.join("sensitivity.html")).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert_self_contained(&page);
    // Each chart twice: laid out for a wide screen and for a phone.
    assert_eq!(page.matches("<svg").count(), 2 * TORNADOS.len());
    for (name, title) in TORNADOS {
        assert!(page.contains(&format!("<figure id=\"{name}\">")), "{name}");
        assert!(page.contains(title), "{title}");
    }
    for words in [
        "pick-freeze",
        "Janon",
        "2014",
        "95% confidence",
        "interactions and chance",
        "300 pick-freeze samples per scenario, seed 2026",
        "<code>munition.M864 as claimed.dud_rate</code>",
        "dudsim sensitivity --samples 300 --seed 2026",
        "encounter_rate = { triangular = [0.00007, 0.0015, 0.0031] }",
    ] {
        assert!(page.contains(words), "sensitivity.html lacks \"{words}\"");
    }
    // Every index of the CSV is in the page's table, as a percentage.
    let csv = std::fs::read_to_string(out.join("sensitivity.csv")).unwrap();
    for line in csv.lines().skip(1) {
        let value: f64 = line.rsplit(',').next().unwrap().parse().unwrap();
        let shown = format!("{:.1}%", 100.0 * value).replace('-', "&minus;");
        assert!(page.contains(&format!("<td>{shown}</td>")), "{line}");
    }
}

#[test]
fn sensitivity_without_charts_writes_no_png_or_svg() {
    let tmp = temp_dir();
    let out = tmp.path().join("out");
    dudsim([
        "sensitivity",
        "--samples",
        "100",
        "--quiet",
        "--no-charts",
        "--out",
        utf8(&out),
    ])
    .ok();
    assert_eq!(listing(&out), ["sensitivity.csv", "sensitivity.html"]);
    let page = std::fs::read_to_string(out.join("sensitivity.html")).unwrap();
    assert!(!page.contains("<svg"));
    assert!(page.contains("--no-charts"));
    assert!(page.contains("munition.9M55K.dud_rate"));
}

#[test]
fn without_an_aftermath_only_the_unexploded_chart_is_drawn_and_without_uncertainty_none() {
    let tmp = temp_dir();
    let file = tmp.path().join("s.toml");
    std::fs::write(
        &file,
        "title = \"Strikes only\"\n[simulation]\nsteps = 0\n\
         [[munition]]\nid = \"Fixed\"\nbase = \"M864\"\ndud_rate = 0.05\n\
         [[scenario]]\nname = \"Uncertain & <odd>\"\n\
         strikes = [ { munition = \"9M55K\", carriers = { uniform = [50, 150] } } ]\n\
         [[scenario]]\nname = \"Certain\"\nstrikes = [ { munition = \"Fixed\", carriers = 100 } ]\n",
    )
    .unwrap();
    let out = tmp.path().join("out");
    dudsim([
        "sensitivity",
        utf8(&file),
        "--samples",
        "200",
        "--quiet",
        "--out",
        utf8(&out),
    ])
    .ok();
    assert_eq!(
        listing(&out),
        [
            "sensitivity-unexploded.png",
            "sensitivity-unexploded.svg",
            "sensitivity.csv",
            "sensitivity.html"
        ]
    );
    let svg = assert_chart(
        &out,
        "sensitivity-unexploded",
        TORNADOS[0].1,
        &[
            "Uncertain & <odd>",
            "Certain",
            "carriers, strike 1",
            "fixed number",
        ],
    );
    assert!(svg_text(&svg).contains("scenario.Uncertain & <odd>.strikes[0].carriers"));
    let page = std::fs::read_to_string(out.join("sensitivity.html")).unwrap();
    assert_eq!(page.matches("<svg").count(), 2);
    assert!(page.contains("Uncertain &amp; &lt;odd&gt;") && !page.contains("<odd>"));

    // Nothing uncertain: nothing to rank, no chart, and the page says so.
    std::fs::write(
        &file,
        "[simulation]\nsteps = 0\n[[munition]]\nid = \"Fixed\"\nbase = \"M864\"\ndud_rate = 0.05\n\
         [[scenario]]\nname = \"Certain\"\nstrikes = [ { munition = \"Fixed\", carriers = 100 } ]\n",
    )
    .unwrap();
    let certain = tmp.path().join("certain");
    dudsim([
        "sensitivity",
        utf8(&file),
        "--samples",
        "50",
        "--quiet",
        "--out",
        utf8(&certain),
    ])
    .ok();
    assert_eq!(listing(&certain), ["sensitivity.csv", "sensitivity.html"]);
    let page = std::fs::read_to_string(certain.join("sensitivity.html")).unwrap();
    assert!(page.contains("nothing to rank") && !page.contains("<svg"));
}

#[test]
fn sensitivity_writes_nothing_for_a_bad_file() {
    let tmp = temp_dir();
    let file = tmp.path().join("bad.toml");
    std::fs::write(
        &file,
        "[[scenario]]\nname = \"x\"\nstrikes = []\nbogus = 1\n",
    )
    .unwrap();
    let out = tmp.path().join("out");
    let result = dudsim([
        "sensitivity",
        utf8(&file),
        "--samples",
        "50",
        "--out",
        utf8(&out),
    ])
    .output();
    assert_eq!(result.status.code(), Some(2));
    assert!(!out.exists());
}

#[test]
fn a_range_of_zero_width_is_a_fixed_number() {
    let a = analyse(
        "[simulation]\nsteps = 12\n\
         [[munition]]\nid = \"X\"\nsubmunitions = 72\ndud_rate = { uniform = [0.01, 0.01] }\n\
         self_destruct = { triangular = [0.2, 0.2, 0.2] }\n\
         [[scenario]]\nname = \"s\"\nstrikes = [ { munition = \"X\", carriers = { uniform = [500, 500] } } ]\n\
         [scenario.aftermath]\nencounter_rate = { uniform = [0.001, 0.003] }\nclearance_rate = { triangular = [0.02, 0.02, 0.02] }\n\
         [[scenario]]\nname = \"all fixed\"\nstrikes = [ { munition = \"X\", carriers = { uniform = [7, 7] } } ]\n",
    );
    let inputs: Vec<&str> = a.rows.iter().map(|r| r.input.as_str()).collect();
    assert!(
        inputs
            .iter()
            .all(|&i| i == "scenario.s.aftermath.encounter_rate"),
        "{inputs:?}"
    );
    assert!(!inputs.is_empty());
    assert_eq!(a.certain, ["all fixed"]);
}

#[test]
fn outputs_that_cannot_vary_are_said_not_to() {
    // No duds: whatever the carriers and the encounter rate, nothing is
    // left; and with duds but no encounters, casualties stay 0.
    let tmp = temp_dir();
    let file = tmp.path().join("s.toml");
    std::fs::write(
        &file,
        "[simulation]\nsteps = 12\n\
         [[munition]]\nid = \"Dudless\"\nsubmunitions = 72\ndud_rate = 0\n\
         [[munition]]\nid = \"X\"\nsubmunitions = 72\ndud_rate = { uniform = [0.05, 0.15] }\n\
         [[scenario]]\nname = \"No duds\"\n\
         strikes = [ { munition = \"Dudless\", carriers = { uniform = [50, 150] } } ]\n\
         [scenario.aftermath]\nencounter_rate = { uniform = [0.001, 0.003] }\n\
         [[scenario]]\nname = \"Nobody there\"\n\
         strikes = [ { munition = \"X\", carriers = 100 } ]\n\
         [scenario.aftermath]\nencounter_rate = 0\nclearance_rate = { uniform = [0.01, 0.05] }\n",
    )
    .unwrap();
    let out = tmp.path().join("out");
    let printed = dudsim([
        "sensitivity",
        utf8(&file),
        "--samples",
        "100",
        "--out",
        utf8(&out),
    ])
    .ok();
    let table = String::from_utf8(printed.stdout).unwrap();
    let no_duds = &table[table.find("\nNo duds\n").expect("scenario listed")..];
    let next = no_duds.lines().nth(2).unwrap_or("");
    assert!(next.contains("outputs do not vary"), "{table}");
    let nobody = &table[table.find("\nNobody there\n").expect("scenario listed")..];
    assert!(
        nobody.contains("Casualties by month 12") && nobody.contains("does not vary"),
        "{table}"
    );
    let page = std::fs::read_to_string(out.join("sensitivity.html")).unwrap();
    assert!(page.contains("do not vary"), "the page does not say so");
    assert!(
        !page.contains("has an uncertain input (one given"),
        "the page says no input is uncertain"
    );
}
