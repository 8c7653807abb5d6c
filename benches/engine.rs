//! Benchmarks of the engine as a run uses it.
//!
//! `cargo bench --bench engine`; criterion prints medians with their
//! confidence intervals, and `target/criterion/` keeps them.
//!
//! - `replicates`: one chunk of 256 replicates of the default scenario
//!   (all three scenarios, statistics included) on one thread, with the
//!   aftermath and the area, without the area, and with neither; the
//!   throughput is in replicates.
//! - `submunitions`: one replicate of one scenario without lot variation or
//!   aftermath as the submunitions fired grow from 10^3 to 10^9: the closed
//!   form makes the cost flat.
//! - `lot_variation`: one replicate of 1,000 carriers with lot variation;
//!   the throughput is in carriers, so criterion reports the cost per
//!   carrier.
//! - `hazard`: the default scenario without its areas, whose encounter
//!   hazard falls with a half-life, against the same with the half-life
//!   and floor removed (a constant hazard, all else equal): one replicate
//!   of its three scenarios (the engine alone), and one chunk of 256
//!   replicates with their statistics on one thread. The throughput is in
//!   replicate-steps, so criterion reports the cost per step.
//! - `threads`: 8,192 replicates of the default scenario without its area
//!   on a pool of 1 and of 2 threads.

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use dudsim::sampling::CHUNK;
use dudsim::{
    Engine, ReplicateOutcome, RunSettings, RunStats, ScenarioFile, default_text, thread_pool,
};

/// The default scenario, optionally without its areas or its aftermath.
fn default_scenario(area: bool, aftermath: bool) -> ScenarioFile {
    let mut file = ScenarioFile::builtin_default();
    if !area {
        file = file.without_areas();
    }
    if !aftermath {
        file = file.without_aftermaths();
    }
    file
}

/// An engine for `file` with the file's own settings.
fn engine(file: &ScenarioFile) -> Engine {
    Engine::new(file, &RunSettings::from_file(file))
}

fn replicates(c: &mut Criterion) {
    let mut group = c.benchmark_group("replicates");
    group.throughput(Throughput::Elements(CHUNK));
    let pool = thread_pool(Some(1)).unwrap();
    for (name, area, aftermath) in [
        ("default", true, true),
        ("default_without_area", false, true),
        ("default_without_area_or_aftermath", false, false),
    ] {
        let engine = engine(&default_scenario(area, aftermath));
        let mut next = 0;
        group.bench_function(name, |b| {
            b.iter(|| {
                next += CHUNK;
                pool.install(|| RunStats::collect(&engine, next..next + CHUNK, &|_| {}))
            })
        });
    }
    group.finish();
}

fn submunitions(c: &mut Criterion) {
    let mut group = c.benchmark_group("submunitions");
    for exponent in 3..=9 {
        let carriers = 10u64.pow(exponent) / 1000;
        let file = ScenarioFile::parse(
            "bench.toml",
            &format!(
                "[simulation]\nsteps = 0\n[[munition]]\nid = \"X\"\nsubmunitions = 1000\n\
                 dud_rate = {{ uniform = [0.30, 0.40] }}\n[[scenario]]\nname = \"s\"\n\
                 strikes = [ {{ munition = \"X\", carriers = {carriers} }} ]\n"
            ),
        )
        .unwrap();
        let engine = engine(&file);
        let mut out = ReplicateOutcome::default();
        let mut replicate = 0;
        group.bench_function(BenchmarkId::from_parameter(format!("1e{exponent}")), |b| {
            b.iter(|| {
                replicate += 1;
                engine.simulate_replicate(0, black_box(replicate), &mut out);
                out.unexploded
            })
        });
    }
    group.finish();
}

fn lot_variation(c: &mut Criterion) {
    let mut group = c.benchmark_group("lot_variation");
    group.throughput(Throughput::Elements(1000));
    for (name, lot) in [
        ("with_lot_variation", "lot_concentration = 100"),
        ("without", ""),
    ] {
        let file = ScenarioFile::parse(
            "bench.toml",
            &format!(
                "[simulation]\nsteps = 0\n[[munition]]\nid = \"X\"\nsubmunitions = 72\n\
                 dud_rate = {{ uniform = [0.30, 0.40] }}\n{lot}\n[[scenario]]\nname = \"s\"\n\
                 strikes = [ {{ munition = \"X\", carriers = 1000 }} ]\n"
            ),
        )
        .unwrap();
        let engine = engine(&file);
        let mut out = ReplicateOutcome::default();
        let mut replicate = 0;
        group.bench_function(name, |b| {
            b.iter(|| {
                replicate += 1;
                engine.simulate_replicate(0, black_box(replicate), &mut out);
                out.unexploded
            })
        });
    }
    group.finish();
}

/// The default scenario without its areas, with its falling encounter
/// hazard or, with `falling` false, a constant one: the same file without
/// its `encounter_half_life` and `encounter_floor` lines.
fn default_hazard(falling: bool) -> ScenarioFile {
    let text: String = if falling {
        default_text().to_string()
    } else {
        default_text()
            .lines()
            .filter(|line| {
                !(line.starts_with("encounter_half_life") || line.starts_with("encounter_floor"))
            })
            .map(|line| format!("{line}\n"))
            .collect()
    };
    let file = ScenarioFile::parse("default.toml", &text).unwrap();
    assert_eq!(
        file.scenarios()
            .iter()
            .all(|s| s.aftermath().unwrap().encounter_half_life().is_some()),
        falling
    );
    file.without_areas()
}

fn hazard(c: &mut Criterion) {
    let mut group = c.benchmark_group("hazard");
    let pool = thread_pool(Some(1)).unwrap();
    for (name, falling) in [("falling", true), ("constant", false)] {
        let file = default_hazard(falling);
        let engine = engine(&file);
        let scenarios = file.scenarios().len();
        let steps = scenarios as u64 * u64::from(file.simulation().steps());
        group.throughput(Throughput::Elements(steps));
        let mut out = ReplicateOutcome::default();
        let mut replicate = 0;
        group.bench_function(format!("replicate_{name}"), |b| {
            b.iter(|| {
                replicate += 1;
                for s in 0..scenarios {
                    engine.simulate_replicate(s, black_box(replicate), &mut out);
                }
                out.timeline.len()
            })
        });
        group.throughput(Throughput::Elements(CHUNK * steps));
        let mut next = 0;
        group.bench_function(format!("chunk_{name}"), |b| {
            b.iter(|| {
                next += CHUNK;
                pool.install(|| RunStats::collect(&engine, next..next + CHUNK, &|_| {}))
            })
        });
    }
    group.finish();
}

fn threads(c: &mut Criterion) {
    let mut group = c.benchmark_group("threads");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    let engine = engine(&default_scenario(false, true));
    const REPLICATES: u64 = 8192;
    group.throughput(Throughput::Elements(REPLICATES));
    for threads in [1, 2] {
        let pool = thread_pool(Some(threads)).unwrap();
        group.bench_function(BenchmarkId::from_parameter(threads), |b| {
            b.iter(|| pool.install(|| RunStats::collect(&engine, 0..REPLICATES, &|_| {})))
        });
    }
    group.finish();
}

criterion_group!(
    benches,
    replicates,
    submunitions,
    lot_variation,
    hazard,
    threads
);
criterion_main!(benches);
