//! `dudsim sensitivity`: first-order indices rank the inputs that matter,
//! match closed-form shares, and do not depend on the thread count.

mod common;

use common::*;
use dudsim::engine::thread_pool;
use dudsim::scenario::ProbDist;
use dudsim::sensitivity::{self, Output};

const SAMPLES: u64 = 8_000;

fn analyse(text: &str) -> sensitivity::Analysis {
    let file = scenario(text);
    thread_pool(Some(2))
        .unwrap()
        .install(|| sensitivity::run(&file, SAMPLES, &|_| {}))
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
        (30_000.0, ProbDist::Uniform { lo: 0.1, hi: 0.3 }),
        (
            15_000.0,
            ProbDist::Triangular {
                min: 0.05,
                mode: 0.1,
                max: 0.4,
            },
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
    let tmp = tempfile::tempdir().unwrap();
    let run = |threads: &str, out: &str| {
        dudsim_ok(&[
            "sensitivity",
            "--samples",
            "500",
            "--threads",
            threads,
            "--quiet",
            "--out",
            tmp.path().join(out).to_str().unwrap(),
        ]);
        std::fs::read_to_string(tmp.path().join(out).join("sensitivity.csv")).unwrap()
    };
    let csv = run("1", "a");
    assert_eq!(csv, run("2", "b"));
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("scenario,output,input,importance"));
    let rows: Vec<&str> = lines.collect();
    // Three scenarios x three outputs x three uncertain inputs (the dud
    // rate, the clearance and encounter rates); carriers, the clearance
    // start and the degradation rate are fixed numbers.
    assert_eq!(rows.len(), 27);
    assert!(
        rows.iter()
            .all(|r| !r.contains("carriers") && !r.contains("degradation"))
    );
    assert!(rows[0].starts_with("\"9M55K, 30-40% duds\",unexploded,munition.9M55K.dud_rate,"));
}
