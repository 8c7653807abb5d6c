//! Same seed, same numbers, whatever the thread count; another seed, other
//! numbers; disjoint replicate ranges merge into exactly one run over both.

mod common;

use std::process::Command;

use dudsim::engine::{Engine, thread_pool};
use dudsim::scenario::ScenarioFile;

/// summary.json and density.csv of a run of the default scenario.
fn summary_json(dir: &std::path::Path, extra: &[&str]) -> String {
    let status = Command::new(env!("CARGO_BIN_EXE_dudsim"))
        .args(["run", "--replicates", "1000", "--quiet", "--out"])
        .arg(dir)
        .args(extra)
        .status()
        .expect("dudsim runs");
    assert!(status.success());
    let summary = std::fs::read_to_string(dir.join("summary.json")).expect("summary.json written");
    let density = std::fs::read_to_string(dir.join("density.csv")).expect("density.csv written");
    summary + &density
}

#[test]
fn same_seed_same_summary_for_any_thread_count() {
    let tmp = tempfile::tempdir().unwrap();
    let one = summary_json(&tmp.path().join("t1"), &["--threads", "1"]);
    let two = summary_json(&tmp.path().join("t2"), &["--threads", "2"]);
    let three = summary_json(&tmp.path().join("t3"), &["--threads", "3"]);
    assert_eq!(one, two);
    assert_eq!(one, three);
    let other_seed = summary_json(&tmp.path().join("s"), &["--threads", "2", "--seed", "99"]);
    assert_ne!(one, other_seed);
}

#[test]
fn disjoint_ranges_merge_into_one_run() {
    let file = ScenarioFile::builtin_default();
    let engine = Engine::new(&file);
    let pool = thread_pool(Some(2)).unwrap();
    let whole = pool.install(|| engine.run(0..1000, &|_| {}));
    let mut left = pool.install(|| engine.run(0..377, &|_| {}));
    let right = pool.install(|| engine.run(377..1000, &|_| {}));
    left.merge(&right);
    assert_eq!(left, whole);
    // In the other order too.
    let mut right = pool.install(|| engine.run(377..1000, &|_| {}));
    right.merge(&pool.install(|| engine.run(0..377, &|_| {})));
    assert_eq!(right, whole);
}

#[test]
fn a_replicate_is_the_same_alone_or_in_a_run() {
    let file = ScenarioFile::builtin_default();
    let engine = Engine::new(&file);
    let mut alone = dudsim::stats::ReplicateOutcome::default();
    engine.simulate_replicate(1, 4321, &mut alone);
    let run = engine.run(4321..4322, &|_| {});
    let mut expected = engine.empty_stats();
    expected.scenarios[1].record(&alone);
    assert_eq!(run.scenarios[1], expected.scenarios[1]);
}

#[test]
fn workers_sharing_copies_of_the_statistics_give_the_same_numbers() {
    // Three workers recording into one, two or three copies, with an area
    // (grids recorded replicate by replicate) and long timelines recorded
    // in batches smaller than a chunk.
    let mut file = ScenarioFile::builtin_default();
    file.simulation.steps = 40;
    for s in &mut file.scenarios {
        s.strikes[0].carriers = dudsim::scenario::CountDist::Poisson(50.0);
    }
    let long = common::scenario(
        "[simulation]\nsteps = 2000\n\
         [[scenario]]\nname = \"long\"\n\
         strikes = [ { munition = \"9M55K\", carriers = 10 } ]\n\
         [scenario.aftermath]\nencounter_rate = 0.001\n",
    );
    for (file, replicates) in [(file, 1000), (long, 600)] {
        let engine = Engine::new(&file);
        let reference = thread_pool(Some(1))
            .unwrap()
            .install(|| engine.run(0..replicates, &|_| {}));
        for copies in [1, 2, 3] {
            let shared = thread_pool(Some(3)).unwrap().install(|| {
                engine
                    .clone()
                    .with_stat_copies(copies)
                    .run(0..replicates, &|_| {})
            });
            assert_eq!(shared, reference, "{copies} copies");
        }
    }
}
