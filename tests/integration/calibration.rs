//! `dudsim calibrate` and `dudsim run --posterior` through the real
//! engine: an exact conjugate posterior, recovery of known inputs from
//! data dudsim simulated itself, determinism across thread counts, bad
//! records files, and forecasts that draw their inputs from a posterior.

use dudsim::calibration::{Calibrated, Calibration, FitOptions, Records, StopReason};
use dudsim::{ScenarioFile, thread_pool};
use rand::RngExt;

use crate::common::{
    Z, assert_chart, assert_self_contained, dudsim, listing, outcomes, read, scenario, stderr,
    stdout, summary_json, svg_text, temp_dir, utf8,
};

/// Fits `records` (text) to `file` with `particles` particles on a pool of
/// `threads` threads, silently.
fn fit(file: &ScenarioFile, records: &str, particles: usize, seed: u64) -> Calibrated {
    let records = Records::parse("records.toml", records, file)
        .unwrap_or_else(|e| panic!("invalid test records: {e}"));
    let calibration = Calibration::new(file, &records).expect("a calibration");
    let options = FitOptions {
        particles,
        seed,
        hold_out: 0,
    };
    calibration
        .fit(&options, &mut |_| {})
        .unwrap_or_else(|e| panic!("the fit fails: {e}"))
}

/// One step, `n` duds for certain, nothing but encounters: each dud is
/// encountered in the step with probability `encounter_rate` (the rate
/// unit is the step), so the count of encounters is Binomial(n, p).
fn binomial_scenario(n: u64, prior: &str) -> ScenarioFile {
    scenario(&format!(
        "[simulation]\nsteps = 1\n\
         [[munition]]\nid = \"X\"\nsubmunitions = 1\ndud_rate = 1.0\n\
         [[scenario]]\nname = \"S\"\nstrikes = [ {{ munition = \"X\", carriers = {n} }} ]\n\
         [scenario.aftermath]\nclearance_rate = 0.0\ndegradation_rate = 0.0\n\
         encounter_rate = {prior}\n"
    ))
}

/// The weighted mean and variance of parameter `k` of a fit, with the
/// standard errors of self-normalised importance sampling (delta method):
/// `√Σ w²(x − x̄)²` for the mean, `√Σ w²((x − x̄)² − s²)²` for the variance.
fn weighted_moments(fit: &Calibrated, k: usize) -> (f64, f64, f64, f64) {
    let w = fit.posterior.weights();
    let x = fit.posterior.values_of(k);
    let total: f64 = w.iter().sum();
    let w: Vec<f64> = w.iter().map(|w| w / total).collect();
    let mean: f64 = w.iter().zip(&x).map(|(w, x)| w * x).sum();
    let var: f64 = w.iter().zip(&x).map(|(w, x)| w * (x - mean).powi(2)).sum();
    let se = |f: &dyn Fn(f64) -> f64| {
        w.iter()
            .zip(&x)
            .map(|(w, &x)| (w * f(x)).powi(2))
            .sum::<f64>()
            .sqrt()
    };
    let se_mean = se(&|x| x - mean);
    let se_var = se(&|x| (x - mean).powi(2) - var);
    (mean, var, se_mean, se_var)
}

/// A Beta(2, 8) prior on the encounter rate of 60 duds and 9 encounters
/// observed in one step: the exact posterior is Beta(2 + 9, 8 + 51). Counts
/// can be matched exactly, so the fit drives the tolerance to 0, where the
/// ABC posterior is the exact one; its weighted mean and variance must
/// match Beta(11, 59) within 5 standard errors.
#[test]
fn a_beta_prior_on_the_encounter_rate_gives_the_exact_beta_posterior() {
    let file = binomial_scenario(60, "{ beta = [2, 8] }");
    let records = "[[observation]]\nquantity = \"encounters\"\nfrom = 0\nto = 1\ncount = 9\n";
    let fit = fit(&file, records, 1_000, 11);
    assert_eq!(fit.stop, StopReason::TargetReached, "{:?}", fit.generations);
    assert_eq!(fit.tolerance_per_observation, 0.0);
    // The tolerance shrank generation by generation down to 0.
    let tolerances: Vec<f64> = fit.generations.iter().map(|g| g.tolerance).collect();
    assert!(tolerances.windows(2).all(|t| t[1] < t[0]), "{tolerances:?}");
    let (a, b) = (11.0f64, 59.0f64);
    let exact_mean = a / (a + b);
    let exact_var = a * b / ((a + b).powi(2) * (a + b + 1.0));
    let (mean, var, se_mean, se_var) = weighted_moments(&fit, 0);
    eprintln!(
        "Beta(11, 59): mean {mean:.5} vs {exact_mean:.5} ({:+.2} SE), variance {var:.3e} vs \
         {exact_var:.3e} ({:+.2} SE); tolerances {tolerances:?}; {} model runs",
        (mean - exact_mean) / se_mean,
        (var - exact_var) / se_var,
        fit.fit_simulations
    );
    assert!((mean - exact_mean).abs() < Z * se_mean, "mean {mean}");
    assert!((var - exact_var).abs() < Z * se_var, "variance {var}");
}

/// The central 99% acceptance region of Binomial(n, p): the smallest `a`
/// and largest `b` with P(X < a) ≤ 0.5% and P(X > b) ≤ 0.5%.
fn binomial_band(n: u64, p: f64) -> (u64, u64) {
    let ln_choose = |k: u64| -> f64 {
        (1..=k)
            .map(|i| ((n - k + i) as f64).ln() - (i as f64).ln())
            .sum()
    };
    let pmf: Vec<f64> = (0..=n)
        .map(|k| (ln_choose(k) + k as f64 * p.ln() + (n - k) as f64 * (1.0 - p).ln()).exp())
        .collect();
    let (mut lower, mut below) = (0, 0.0);
    while below + pmf[lower as usize] <= 0.005 {
        below += pmf[lower as usize];
        lower += 1;
    }
    let (mut upper, mut above) = (n, 0.0);
    while above + pmf[upper as usize] <= 0.005 {
        above += pmf[upper as usize];
        upper -= 1;
    }
    (lower, upper)
}

#[test]
fn the_binomial_band_is_the_central_99_percent() {
    // Binomial(20, 0.9): P(X ≤ 13) = 0.0024, P(X ≤ 14) = 0.0113.
    assert_eq!(binomial_band(20, 0.9), (14, 20));
    assert_eq!(binomial_band(40, 0.5), (12, 28));
}

/// The recovery scenario: 300 duds for certain, two yearly steps, an
/// uncertain clearance rate and encounter rate (`values` fixes them).
fn recovery_scenario(seed: u64, values: Option<(f64, f64)>) -> ScenarioFile {
    let (clearance, encounter) = match values {
        Some((c, e)) => (c.to_string(), e.to_string()),
        None => (
            "{ uniform = [0.05, 0.3] }".to_string(),
            "{ uniform = [0.01, 0.1] }".to_string(),
        ),
    };
    scenario(&format!(
        "[simulation]\nsteps = 2\nseed = {seed}\n\
         [[munition]]\nid = \"X\"\nsubmunitions = 1\ndud_rate = 1.0\n\
         [[scenario]]\nname = \"S\"\nstrikes = [ {{ munition = \"X\", carriers = 300 }} ]\n\
         [scenario.aftermath]\ndegradation_rate = 0.0\n\
         clearance_rate = {clearance}\nencounter_rate = {encounter}\n"
    ))
}

/// Recovery: 20 true (clearance rate, encounter rate) pairs drawn from the
/// priors; for each, one replicate of dudsim with those inputs fixed gives
/// the records (encounters and submunitions cleared over both years), and
/// a fit from the priors must find them. Drawn from the prior, the truth
/// falls in the central 90% posterior interval with probability 0.9 when
/// the posterior is exact and at least that when the tolerance left it a
/// little wide, so the count covered must lie in the central 99% band of
/// Binomial(20, 0.9), 14 to 20; and the posterior must be clearly
/// narrower than the prior (90% interval at most 60% as wide, on average).
#[test]
fn known_inputs_are_recovered_from_records_dudsim_simulated() {
    let data_sets = 20u64;
    let priors = recovery_scenario(0, None);
    let mut covered = [0u64; 2];
    let mut narrowing = [0.0; 2];
    let mut runs = 0;
    for s in 0..data_sets {
        let mut rng = dudsim::sampling::stream(2025, s, 7);
        let truth = [
            0.05 + 0.25 * rng.random::<f64>(),
            0.01 + 0.09 * rng.random::<f64>(),
        ];
        let with_truth = recovery_scenario(100 + s, Some((truth[0], truth[1])));
        let replicate = &outcomes(&with_truth, 0, 1)[0];
        let year2 = &replicate.timeline[1];
        let records = format!(
            "[[observation]]\nquantity = \"encounters\"\nfrom = 0\nto = 2\ncount = {}\n\
             [[observation]]\nquantity = \"cleared\"\nfrom = 0\nto = 2\ncount = {}\n",
            year2.encounters, year2.cleared
        );
        let fit = fit(&priors, &records, 300, 500 + s);
        runs += fit.fit_simulations;
        // Inputs in the order of the scenario: clearance, then encounters.
        assert_eq!(
            fit.posterior.names(),
            [
                "scenario.S.aftermath.clearance_rate",
                "scenario.S.aftermath.encounter_rate"
            ]
        );
        for k in 0..2 {
            // The posterior probability below the truth (its probability
            // integral transform).
            let below: f64 = (0..fit.posterior.len())
                .filter(|&i| fit.posterior.particle(i)[k] < truth[k])
                .map(|i| fit.posterior.weights()[i])
                .sum::<f64>()
                / fit.posterior.weights().iter().sum::<f64>();
            covered[k] += u64::from((0.05..=0.95).contains(&below));
            narrowing[k] += fit.parameters[k].narrowing() / data_sets as f64;
        }
    }
    let band = binomial_band(data_sets, 0.9);
    eprintln!(
        "recovery over {data_sets} data sets: the 90% interval covered the clearance rate {} \
         times and the encounter rate {} times (band {band:?}); posterior 90% width over the \
         prior's {:.2} and {:.2}; {runs} model runs",
        covered[0], covered[1], narrowing[0], narrowing[1]
    );
    for k in 0..2 {
        assert!((band.0..=band.1).contains(&covered[k]), "{covered:?}");
        assert!(narrowing[k] < 0.6, "not clearly narrower: {narrowing:?}");
    }
}

/// The same fit on pools of 1 and 3 threads gives the same bits.
#[test]
fn a_fit_does_not_depend_on_the_thread_count() {
    let file = recovery_scenario(0, None);
    let records = "[[observation]]\nquantity = \"encounters\"\nfrom = 0\nto = 2\ncount = 20\n\
        [[observation]]\nquantity = \"cleared\"\nfrom = 0\nto = 2\ncount = 90\n";
    let on = |threads| {
        thread_pool(threads)
            .unwrap()
            .install(|| fit(&file, records, 200, 3))
    };
    let (one, three) = (on(Some(1)), on(Some(3)));
    let csv = |fit: &Calibrated| {
        let mut bytes = Vec::new();
        fit.posterior.write_csv(&mut bytes).unwrap();
        bytes
    };
    assert_eq!(csv(&one), csv(&three));
    assert_eq!(one.fit_simulations, three.fit_simulations);
    assert_eq!(one.observations, three.observations);
}

/// The scenario and records files of the command-line tests.
const SCENARIO: &str = "[simulation]\nsteps = 2\nseed = 5\n\
    [[munition]]\nid = \"X\"\nsubmunitions = 1\ndud_rate = 1.0\n\
    [[scenario]]\nname = \"S\"\nstrikes = [ { munition = \"X\", carriers = 300 } ]\n\
    [scenario.aftermath]\ndegradation_rate = 0.0\n\
    clearance_rate = { uniform = [0.05, 0.3] }\nencounter_rate = { uniform = [0.01, 0.1] }\n";

const RECORDS: &str = "scenario = \"S\"\n\
    [[observation]]\nquantity = \"encounters\"\nfrom = 0\nto = 1\ncount = 12\n\
    [[observation]]\nquantity = \"cleared\"\nfrom = 0\nto = 2\ncount = 90\n\
    [[observation]]\nquantity = \"encounters\"\nfrom = 1\nto = 2\ncount = 9\n";

/// `dudsim calibrate` with 1 and 2 threads writes the same files.
#[test]
fn the_command_writes_the_same_files_whatever_the_thread_count() {
    let tmp = temp_dir();
    std::fs::write(tmp.path().join("s.toml"), SCENARIO).unwrap();
    std::fs::write(tmp.path().join("r.toml"), RECORDS).unwrap();
    let run = |threads: &str, out: &str| {
        dudsim([
            "calibrate",
            "s.toml",
            "--records",
            "r.toml",
            "--particles",
            "200",
            "--hold-out",
            "1",
            "--quiet",
            "--no-charts",
            "--threads",
            threads,
            "--out",
            out,
        ])
        .current_dir(tmp.path())
        .ok();
        let dir = tmp.path().join(out);
        ["posterior.csv", "calibration.csv", "predictive.csv"].map(|f| read(&dir, f))
    };
    let one = run("1", "t1");
    assert_eq!(one, run("2", "t2"));
    let predictive = &one[2];
    assert_eq!(predictive.lines().count(), 4, "{predictive}");
}

/// Writes `records` next to the valid scenario and calibrates: exit status
/// 2, one message naming the file, the line and the key, no output.
fn refuses(records: &str, line: usize, key: &str, says: &str) {
    let tmp = temp_dir();
    let two = format!(
        "{SCENARIO}[[scenario]]\nname = \"T\"\nstrikes = [ {{ munition = \"X\", carriers = 3 }} ]\n[scenario.aftermath]\nencounter_rate = 0.01\n"
    );
    std::fs::write(tmp.path().join("s.toml"), two).unwrap();
    std::fs::write(tmp.path().join("bad-records.toml"), records).unwrap();
    let out = dudsim([
        "calibrate",
        "s.toml",
        "--records",
        "bad-records.toml",
        "--particles",
        "50",
        "--out",
        "out",
    ])
    .current_dir(tmp.path())
    .fails_with(2);
    let text = stderr(&out);
    // `FILE:LINE:COLUMN: KEY: ...`, then the line at fault with a caret.
    let first = text.lines().next().unwrap_or_default();
    let place = format!("bad-records.toml:{line}:");
    assert!(first.contains(&place), "{records}\nlacks {place:?}: {text}");
    assert!(
        first.contains(&format!(": `{key}`: ")),
        "{records}\nlacks {key:?}: {text}"
    );
    assert!(text.contains(says), "{records}\nlacks {says:?}: {text}");
    let errors = text.lines().filter(|l| l.starts_with("error: ")).count();
    assert_eq!(errors, 1, "one message: {text}");
    assert!(!tmp.path().join("out").exists(), "output for bad records");
}

#[test]
fn bad_records_exit_2_with_file_line_and_key() {
    let one = |body: &str| format!("scenario = \"S\"\n[[observation]]\n{body}\n");
    refuses(
        &one("quantity = \"deaths\"\nfrom = 0\nto = 1\ncount = 1"),
        3,
        "observation[0].quantity",
        "unknown quantity \"deaths\"",
    );
    refuses(
        &one("quantity = \"casualties\"\nfrom = 0\nto = 1\ncount = -4"),
        6,
        "observation[0].count",
        "cannot be negative",
    );
    refuses(
        &one("quantity = \"casualties\"\nfrom = 0\nto = 1.5\ncount = 4"),
        5,
        "observation[0].to",
        "step boundary",
    );
    refuses(
        &one("quantity = \"casualties\"\nfrom = 1\nto = 1\ncount = 4"),
        4,
        "observation[0].from",
        "must end after it starts",
    );
    refuses(
        &one("quantity = \"casualties\"\nfrom = 0\nto = 2\ncount = 4\nsd = -1"),
        7,
        "observation[0].sd",
        "greater than 0",
    );
    refuses(
        "scenario = \"Nowhere\"\n[[observation]]\nquantity = \"live\"\nto = 1\ncount = 3\n",
        1,
        "scenario",
        "no scenario \"Nowhere\"",
    );
    refuses(
        "[[observation]]\nquantity = \"live\"\nto = 1\ncount = 3\n",
        1,
        "scenario",
        "has 2 scenarios",
    );
}

/// A prior that cannot reach the records stops with exit status 2 and
/// names the count the simulations stay farthest from.
#[test]
fn a_prior_that_cannot_reach_the_records_exits_2() {
    let tmp = temp_dir();
    std::fs::write(tmp.path().join("s.toml"), SCENARIO).unwrap();
    // 300 duds cannot give 5,000 encounters.
    std::fs::write(
        tmp.path().join("r.toml"),
        "[[observation]]\nquantity = \"encounters\"\nfrom = 0\nto = 2\ncount = 5000\n",
    )
    .unwrap();
    let out = dudsim([
        "calibrate",
        "s.toml",
        "--records",
        "r.toml",
        "--particles",
        "100",
        "--out",
        "out",
    ])
    .current_dir(tmp.path())
    .fails_with(2);
    let text = stderr(&out);
    assert!(text.contains("encounters"), "{text}");
    assert!(!tmp.path().join("out").exists());
}

/// `run --posterior` on 1 and 2 threads gives the same numbers, and they
/// come from the posterior: a one-particle posterior gives exactly the
/// run of the scenario with those inputs fixed, and another particle
/// other numbers.
#[test]
fn run_with_a_posterior_draws_its_inputs_from_the_particles() {
    let tmp = temp_dir();
    let fixed = SCENARIO
        .replace("{ uniform = [0.05, 0.3] }", "0.125")
        .replace("{ uniform = [0.01, 0.1] }", "0.0625");
    std::fs::write(tmp.path().join("s.toml"), SCENARIO).unwrap();
    std::fs::write(tmp.path().join("fixed.toml"), fixed).unwrap();
    let names = "weight,scenario.S.aftermath.clearance_rate,scenario.S.aftermath.encounter_rate";
    std::fs::write(
        tmp.path().join("one.csv"),
        format!("{names}\n1,0.125,0.0625\n"),
    )
    .unwrap();
    std::fs::write(
        tmp.path().join("other.csv"),
        format!("{names}\n1,0.25,0.0625\n"),
    )
    .unwrap();
    std::fs::write(
        tmp.path().join("many.csv"),
        format!("{names}\n0.5,0.1,0.02\n0.25,0.2,0.05\n0.25,0.125,0.08\n"),
    )
    .unwrap();
    let run = |file: &str, extra: &[&str], out: &str| {
        dudsim(["run", file, "--replicates", "600", "--quiet", "--no-charts"])
            .args(extra)
            .args(["--out", out])
            .current_dir(tmp.path())
            .ok();
        read(&tmp.path().join(out), "timeline.csv")
    };
    let fixed = run("fixed.toml", &[], "fixed");
    assert_eq!(run("s.toml", &["--posterior", "one.csv"], "one"), fixed);
    assert_ne!(run("s.toml", &["--posterior", "other.csv"], "other"), fixed);
    let many = |threads: &str, out: &str| {
        run(
            "s.toml",
            &["--posterior", "many.csv", "--threads", threads],
            out,
        )
    };
    let one_thread = many("1", "m1");
    assert_eq!(one_thread, many("2", "m2"));
    assert_ne!(one_thread, run("s.toml", &[], "prior"));
    // The report says where the inputs came from.
    let page = read(&tmp.path().join("m1"), "report.html");
    assert!(page.contains("drawn jointly from the posterior"), "{page}");
}

/// A posterior whose columns are not the scenario's inputs, or whose
/// values lie outside their priors, is refused with its line; shards
/// cannot carry a posterior.
#[test]
fn run_refuses_a_posterior_that_does_not_fit_the_scenario() {
    let tmp = temp_dir();
    std::fs::write(tmp.path().join("s.toml"), SCENARIO).unwrap();
    let names = "weight,scenario.S.aftermath.clearance_rate,scenario.S.aftermath.encounter_rate";
    for (csv, says) in [
        (
            "weight,scenario.S.aftermath.clearance_rate\n1,0.1\n".to_string(),
            "posterior.csv:1:",
        ),
        (
            format!("{names}\n1,0.1,0.02\n1,0.9,0.02\n"),
            "posterior.csv:3:",
        ),
    ] {
        std::fs::write(tmp.path().join("posterior.csv"), csv).unwrap();
        let out = dudsim([
            "run",
            "s.toml",
            "--posterior",
            "posterior.csv",
            "--out",
            "o",
        ])
        .current_dir(tmp.path())
        .fails_with(2);
        assert!(stderr(&out).contains(says), "{}", stderr(&out));
        assert!(!tmp.path().join("o").exists());
    }
    let out = dudsim([
        "run",
        "s.toml",
        "--posterior",
        "posterior.csv",
        "--shard",
        "1/2",
        "--out",
        utf8(&tmp.path().join("o")),
    ])
    .fails_with(2);
    assert!(stderr(&out).contains("--shard"), "{}", stderr(&out));
}

/// `dudsim calibrate --example` runs a shipped calibration in one command
/// and writes every file: the chart (one panel per quantity), a
/// self-contained page, the scenario and records files it ran; `--json`
/// prints the results.
#[test]
fn a_shipped_example_runs_in_one_command_and_writes_every_file() {
    let tmp = temp_dir();
    let out = tmp.path().join("kosovo");
    let printed = dudsim(["calibrate", "--example", "kosovo-1999", "--particles", "50"])
        .args(["--json", "--quiet", "--out", utf8(&out)])
        .ok();
    assert_eq!(
        listing(&out),
        [
            "calibration.csv",
            "calibration.html",
            "calibration.png",
            "calibration.svg",
            "kosovo-1999-records.toml",
            "kosovo-1999.toml",
            "posterior.csv",
            "predictive.csv",
        ]
    );
    let svg = assert_chart(
        &out,
        "calibration",
        "Records against the calibrated scenario: Kosovo 1999",
        &["Casualties", "weeks since the strikes"],
    );
    // The file says where it comes from.
    let foot = concat!(
        "dudsim ",
        env!("CARGO_PKG_VERSION"),
        " \u{b7} seed 1999 \u{b7} 50 particles"
    );
    assert!(
        svg_text(&svg).contains(foot),
        "calibration.svg lacks its foot {foot:?}"
    );
    let page = read(&out, "calibration.html");
    assert_self_contained(&page);
    // The finding first, the chart laid out for a wide screen and a phone.
    assert!(page.contains("<p class=\"headline\">Both counts in the records fall inside"));
    assert_eq!(page.matches("<svg").count(), 2);
    for needle in [
        "encounter_half_life",
        "Beaumont",
        "Drovandi",
        "--posterior",
        "casualties, weeks 0 to 4",
    ] {
        assert!(page.contains(needle), "calibration.html lacks {needle:?}");
    }
    let json: serde_json::Value = serde_json::from_str(&stdout(&printed)).expect("JSON");
    assert_eq!(json["particles"], 50);
    assert_eq!(json["observations"].as_array().unwrap().len(), 2);
    let names: Vec<&str> = json["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["input"].as_str().unwrap())
        .collect();
    let header = read(&out, "posterior.csv");
    let header = header.lines().next().unwrap();
    assert_eq!(header, format!("weight,{}", names.join(",")));
    // The files it wrote run again as they are.
    dudsim([
        "calibrate",
        "kosovo-1999.toml",
        "--records",
        "kosovo-1999-records.toml",
    ])
    .args([
        "--particles",
        "20",
        "--quiet",
        "--no-charts",
        "--out",
        "again",
    ])
    .current_dir(&out)
    .ok();
}

#[test]
fn the_forecast_command_printed_after_a_fit_keeps_its_overrides() {
    // The fit ran the example with an input changed by --set; the command
    // it prints to forecast must run that same scenario, not the file as
    // shipped. Run the printed line through a shell, as a user pastes it.
    let tmp = temp_dir();
    let out = tmp.path().join("fit");
    let set = "scenario.Kosovo 1999.aftermath.casualties_per_encounter=2";
    let printed = dudsim(["calibrate", "--example", "kosovo-1999", "--particles", "50"])
        .args(["--set", set, "--out", utf8(&out)])
        .ok();
    let text = stdout(&printed);
    let line = text
        .lines()
        .find_map(|l| l.strip_prefix("Forecast with the fitted inputs: dudsim "))
        .unwrap_or_else(|| panic!("no forecast line in {text}"));
    let forecast = tmp.path().join("forecast");
    let status = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!(
            "\"$DUDSIM\" {line} --replicates 20 --no-charts --quiet --out \"$OUT\""
        ))
        .env("DUDSIM", env!("CARGO_BIN_EXE_dudsim"))
        .env("OUT", &forecast)
        .status()
        .expect("bash runs");
    assert!(status.success(), "{line}");
    let summary = summary_json(&forecast);
    let scenario = &summary["inputs"]["scenarios"][0];
    assert_eq!(
        scenario["aftermath"]["casualties_per_encounter"]["fixed"], 2,
        "{line}"
    );
}
