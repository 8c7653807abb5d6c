//! The data contract: `summary.json` carries its schema version and the
//! resolved inputs, validates against the JSON Schema shipped in
//! `docs/summary.schema.json` (which must be what the types generate), and
//! `run --draws` writes every replicate's inputs and outputs, the same
//! whatever the thread count and consistent with the summary.

use std::path::Path;

use dudsim::{RunSummary, SUMMARY_SCHEMA_VERSION};

use crate::common::{dudsim, summary_json, temp_dir};

const SCHEMA_PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/summary.schema.json");

/// The village decision example: clearance teams, exposure and maps.
const VILLAGE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/examples/decision/village.toml"
);

#[test]
fn the_shipped_schema_is_the_one_the_types_generate() {
    let generated = RunSummary::json_schema();
    if std::env::var_os("DUDSIM_WRITE_SCHEMA").is_some() {
        std::fs::write(SCHEMA_PATH, &generated).unwrap();
    }
    let shipped = std::fs::read_to_string(SCHEMA_PATH).unwrap_or_default();
    assert!(
        shipped == generated,
        "docs/summary.schema.json is not what the Rust types generate: rerun this test with \
         DUDSIM_WRITE_SCHEMA=1 and commit the file"
    );
}

fn validate(summary: &serde_json::Value) {
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(SCHEMA_PATH).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the schema is a valid JSON Schema");
    let errors: Vec<String> = validator
        .iter_errors(summary)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "summary.json against the schema: {errors:#?}"
    );
}

#[test]
fn real_summaries_validate_against_the_schema_and_echo_their_inputs() {
    let tmp = temp_dir();
    let out = tmp.path().join("default");
    dudsim([
        "run",
        "-n",
        "200",
        "-q",
        "--set",
        "munition.9M55K.dud_rate=0.35",
        "-o",
    ])
    .arg(&out)
    .ok();
    let summary = summary_json(&out);
    validate(&summary);
    assert_eq!(summary["schema_version"], SUMMARY_SCHEMA_VERSION);
    let inputs = &summary["inputs"];
    assert_eq!(inputs["simulation"]["replicates"], 200);
    assert_eq!(inputs["simulation"]["step_unit"], "month");
    assert_eq!(inputs["overrides"][0], "munition.9M55K.dud_rate=0.35");
    let munitions = inputs["munitions"].as_array().unwrap();
    assert_eq!(munitions[0]["id"], "9M55K");
    assert_eq!(munitions[0]["dud_rate"]["fixed"], 0.35);
    assert_eq!(munitions[1]["id"], "M864 as claimed");
    assert_eq!(munitions[1]["catalog_id"], "M864");
    assert_eq!(
        munitions[1]["dud_rate"]["uniform"],
        serde_json::json!([0.01, 0.0235])
    );
    assert_eq!(munitions[1]["submunitions"], 72);
    let scenario = &inputs["scenarios"][0];
    assert_eq!(scenario["strikes"][0]["carriers"]["fixed"], 1000);
    assert_eq!(scenario["area"]["cell_m"], 50.0);

    // Clearance teams, exposure and maps: the fields of the aftermath on
    // the map, in the figures and in the inputs.
    let village = tmp.path().join("village");
    dudsim(["run", VILLAGE, "-n", "40", "-q", "--no-charts", "-o"])
        .arg(&village)
        .ok();
    let summary = summary_json(&village);
    validate(&summary);
    let inputs = &summary["inputs"];
    assert_eq!(
        inputs["simulation"]["maps_at"],
        serde_json::json!([12, 60, 120])
    );
    let by_risk = &inputs["scenarios"][0];
    assert_eq!(by_risk["exposure"]["grid"], "village-exposure.asc");
    assert_eq!(
        by_risk["clearance"],
        serde_json::json!({
            "capacity_ha": { "uniform": [3.7, 6.1] },
            "detection": { "uniform": [0.6, 0.95] },
            "order": "risk",
            "passes": 2
        })
    );
    let figures = &summary["scenarios"][0];
    assert!(
        figures["casualties_averted"]["mean"].is_number(),
        "{figures}"
    );
    assert!(figures["timeline"][0]["released_ha"]["mean"].is_number());

    // The schema is not a formality: a summary without its version fails.
    let mut broken = summary.clone();
    broken.as_object_mut().unwrap().remove("schema_version");
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(SCHEMA_PATH).unwrap()).unwrap();
    assert!(!jsonschema::is_valid(&schema, &broken));
}

/// The rows of a draws file, split into fields (no field of the default
/// scenario's rows is quoted but the scenario name, which comes first).
fn rows(text: &str) -> Vec<(String, Vec<String>)> {
    text.lines()
        .skip(1)
        .map(|line| {
            let (name, rest) = match line.strip_prefix('"') {
                Some(quoted) => {
                    let end = quoted.find('"').unwrap();
                    (quoted[..end].to_string(), &quoted[end + 2..])
                }
                None => line
                    .split_once(',')
                    .map(|(n, r)| (n.to_string(), r))
                    .unwrap(),
            };
            (name, rest.split(',').map(str::to_string).collect())
        })
        .collect()
}

fn run_with_draws(dir: &Path, threads: &str, replicates: &str) -> String {
    let draws = dir.join(format!("draws-{threads}.csv"));
    dudsim([
        "run",
        "-n",
        replicates,
        "-q",
        "--no-charts",
        "-j",
        threads,
        "--draws",
    ])
    .arg(&draws)
    .arg("-o")
    .arg(dir.join(format!("out-{threads}")))
    .ok();
    std::fs::read_to_string(&draws).unwrap()
}

#[test]
fn draws_are_the_same_for_any_thread_count_and_agree_with_the_summary() {
    let tmp = temp_dir();
    // Several chunks of 256 replicates, so that two threads finish them
    // out of order.
    let replicates = 1500u64;
    let one = run_with_draws(tmp.path(), "1", "1500");
    let two = run_with_draws(tmp.path(), "2", "1500");
    assert!(one == two, "draws differ between 1 and 2 threads");

    let header: Vec<&str> = one.lines().next().unwrap().split(',').collect();
    assert_eq!(header[..2], ["scenario", "replicate"]);
    assert_eq!(header[2], "munition.9M55K.dud_rate");
    assert_eq!(
        header[header.len() - 5..],
        [
            "submunitions",
            "unexploded",
            "live",
            "casualties",
            "contaminated_area_m2"
        ]
    );
    let rows = rows(&one);
    let summary = summary_json(&tmp.path().join("out-1"));
    let scenarios = summary["scenarios"].as_array().unwrap();
    assert_eq!(rows.len() as u64, replicates * scenarios.len() as u64);
    // Replicate order, every scenario of a replicate together.
    for (i, (name, fields)) in rows.iter().enumerate() {
        let s = i % scenarios.len();
        assert_eq!(name, scenarios[s]["name"].as_str().unwrap());
        assert_eq!(fields[0], (i / scenarios.len()).to_string());
    }
    // The rows are the replicates the summary was computed from: their
    // means are the summary's means, to rounding.
    for (s, scenario) in scenarios.iter().enumerate() {
        let mine: Vec<&Vec<String>> = rows
            .iter()
            .skip(s)
            .step_by(scenarios.len())
            .map(|(_, f)| f)
            .collect();
        let horizon = scenario["timeline"].as_array().unwrap().last().unwrap();
        for (column, expected) in [
            (4, &scenario["unexploded"]["mean"]),
            (3, &horizon["live"]["mean"]),
            (2, &horizon["casualties"]["mean"]),
            (1, &scenario["contaminated_area_m2"]["mean"]),
        ] {
            let values = mine
                .iter()
                .map(|f| f[f.len() - column].parse::<f64>().unwrap());
            let mean = values.sum::<f64>() / replicates as f64;
            let expected = expected.as_f64().unwrap();
            assert!(
                (mean - expected).abs() <= 1e-9 * expected.abs().max(1.0),
                "{}: column {column} from the end: {mean} against {expected}",
                scenario["name"]
            );
        }
    }
    // The dud rate drawn lies in the scenario's range.
    for (_, fields) in rows.iter().step_by(scenarios.len()) {
        let rate: f64 = fields[1].parse().unwrap();
        assert!((0.30..=0.40).contains(&rate), "{rate}");
    }
}

#[test]
fn draws_are_not_left_behind_by_a_failed_run() {
    let tmp = temp_dir();
    let draws = tmp.path().join("draws.csv");
    dudsim([
        "run",
        "-n",
        "10",
        "-q",
        "--set",
        "munition.9M55K.dud_rate=2",
        "--draws",
    ])
    .arg(&draws)
    .arg("-o")
    .arg(tmp.path().join("out"))
    .fails_with(2);
    let left: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn draws_of_a_forecast_with_a_posterior_hold_the_particles_drawn() {
    let tmp = temp_dir();
    let t = tmp.path();
    dudsim([
        "calibrate",
        "--example",
        "-q",
        "--no-charts",
        "--particles",
        "60",
        "-o",
        "c",
    ])
    .current_dir(t)
    .ok();
    let draws = |threads: &str| {
        let name = format!("d{threads}.csv");
        dudsim([
            "run",
            "c/lebanon-2006.toml",
            "--posterior",
            "c/posterior.csv",
            "-n",
            "600",
        ])
        .args([
            "-q",
            "--no-charts",
            "-j",
            threads,
            "-o",
            &format!("r{threads}"),
        ])
        .args(["--draws", &name])
        .current_dir(t)
        .ok();
        std::fs::read_to_string(t.join(name)).unwrap()
    };
    let one = draws("1");
    assert!(one == draws("2"), "draws differ between 1 and 2 threads");
    let summary = summary_json(&t.join("r1"));
    validate(&summary);
    let note = summary["inputs"]["posterior"].as_str().unwrap_or_default();
    assert!(note.contains("posterior.csv"), "{summary}");
    assert_eq!(one.lines().count(), 1 + 600);
    // Each row's posterior inputs are one particle's values.
    let posterior = std::fs::read_to_string(t.join("c/posterior.csv")).unwrap();
    let header: Vec<&str> = one.lines().next().unwrap().split(',').collect();
    let particles: Vec<&str> = posterior.lines().skip(1).collect();
    let fitted = posterior
        .lines()
        .next()
        .unwrap()
        .split(',')
        .collect::<Vec<_>>();
    let column = fitted
        .iter()
        .position(|c| header.contains(c))
        .expect("a fitted input among the draws' columns");
    let in_draws = header.iter().position(|c| *c == fitted[column]).unwrap();
    for row in one.lines().skip(1).take(50) {
        let value: f64 = row.split(',').nth(in_draws).unwrap().parse().unwrap();
        assert!(
            particles.iter().any(|p| p
                .split(',')
                .nth(column)
                .and_then(|v| v.parse::<f64>().ok())
                .is_some_and(|v| (v - value).abs() <= 1e-12 * v.abs().max(1.0))),
            "{} = {value} is no particle's",
            fitted[column]
        );
    }
}
