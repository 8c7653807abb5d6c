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
//! - `threads`: 8,192 replicates of the default scenario without its area
//!   on a pool of 1 and of 2 threads.

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use dudsim::sampling::CHUNK;
use dudsim::{Engine, ReplicateOutcome, RunSettings, RunStats, ScenarioFile, thread_pool};

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

criterion_group!(benches, replicates, submunitions, lot_variation, threads);
criterion_main!(benches);
