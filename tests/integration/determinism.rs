//! Same seed, same numbers, whatever the thread count; another seed, other
//! numbers; disjoint replicate ranges merge into exactly one run over both.

use dudsim::{Engine, ReplicateOutcome, RunSettings, RunStats, ScenarioFile, thread_pool};

use crate::common::{dudsim, scenario, temp_dir};

/// summary.json and density.csv of a run of the default scenario (the
/// charts, which these tests do not compare, are not drawn).
fn summary_json(dir: &std::path::Path, extra: &[&str]) -> String {
    dudsim([
        "run",
        "--replicates",
        "1000",
        "--quiet",
        "--no-charts",
        "--out",
    ])
    .arg(dir)
    .args(extra)
    .ok();
    let summary = std::fs::read_to_string(dir.join("summary.json")).expect("summary.json written");
    let density = std::fs::read_to_string(dir.join("density.csv")).expect("density.csv written");
    summary + &density
}

#[test]
fn same_seed_same_summary_for_any_thread_count() {
    let tmp = temp_dir();
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
    let engine = Engine::new(&file, &RunSettings::from_file(&file));
    let pool = thread_pool(Some(2)).unwrap();
    let run = |replicates| pool.install(|| RunStats::collect(&engine, replicates, &|_| {}));
    let whole = run(0..1000);
    let mut left = run(0..377);
    let right = run(377..1000);
    left.merge(&right);
    assert_eq!(left, whole);
    // In the other order too.
    let mut right = run(377..1000);
    right.merge(&run(0..377));
    assert_eq!(right, whole);
}

#[test]
fn a_replicate_is_the_same_alone_or_in_a_run() {
    let file = ScenarioFile::builtin_default();
    let engine = Engine::new(&file, &RunSettings::from_file(&file));
    let mut alone = ReplicateOutcome::default();
    engine.simulate_replicate(1, 4321, &mut alone);
    let run = RunStats::collect(&engine, 4321..4322, &|_| {});
    let mut expected = RunStats::empty(&engine);
    expected.scenarios[1].record(&alone);
    assert_eq!(run.scenarios[1], expected.scenarios[1]);
}

#[test]
fn workers_sharing_copies_of_the_statistics_give_the_same_numbers() {
    // Three workers recording into one, two or three copies, with an area
    // (grids recorded replicate by replicate) and long timelines recorded
    // in batches smaller than a chunk.
    // The default scenario with 40 steps and Poisson(50) carriers.
    let default = dudsim::default_text();
    assert_eq!(default.matches("steps = 120").count(), 1);
    assert_eq!(default.matches("carriers = 1000,").count(), 3);
    let file = scenario(
        &default
            .replace("steps = 120", "steps = 40")
            .replace("carriers = 1000,", "carriers = { poisson = 50 },"),
    );
    let long = scenario(
        "[simulation]\nsteps = 2000\n\
         [[scenario]]\nname = \"long\"\n\
         strikes = [ { munition = \"9M55K\", carriers = 10 } ]\n\
         [scenario.aftermath]\nencounter_rate = 0.001\n",
    );
    for (file, replicates) in [(file, 1000), (long, 600)] {
        let engine = Engine::new(&file, &RunSettings::from_file(&file));
        let reference = thread_pool(Some(1))
            .unwrap()
            .install(|| RunStats::collect(&engine, 0..replicates, &|_| {}));
        for copies in [1, 2, 3] {
            let shared = thread_pool(Some(3)).unwrap().install(|| {
                let engine = engine.clone().with_stat_copies(copies);
                RunStats::collect(&engine, 0..replicates, &|_| {})
            });
            assert_eq!(shared, reference, "{copies} copies");
        }
    }
}
