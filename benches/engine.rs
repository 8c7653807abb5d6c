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
//! - `speed_of_light`: dudsim's cost per replicate-step and per dud beside
//!   the least work each needs (`benches/speed_of_light.py` prints the
//!   ratios). `multinomial_step` is a hand-written loop over the steps of
//!   the default scenario without its areas, at its inputs' central values,
//!   doing only each step's arithmetic (its chances from the integrated
//!   intensities) and exact draws (leavers, then cleared, then encountered
//!   among the rest), with nothing recorded; `replicate_step` is a chunk
//!   of that scenario as a run does it (inputs drawn, statistics kept), per
//!   replicate-step. `dud_placement` is one dud's point in the footprint
//!   disk, its cell and the cell's count, nothing else, written as fast as
//!   we know how; `dud` is a chunk
//!   of the default scenario with its areas and without aftermaths, as a
//!   run does it (carriers, bursts, counts, statistics of the grid), per
//!   dud placed.
//! - `decision`: 256 replicates of the decision example
//!   (`examples/decision/village.toml`: three clearance plans on the map)
//!   on one thread, statistics included, beside the same barrage without
//!   exposure, teams or maps of live UXO (`barrage`: the aftermath on the
//!   map costs their ratio) and beside the same file without its teams
//!   (`without_teams`: the clearance teams cost their ratio).

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use dudsim::sampling::{CHUNK, binomial, binomial_with_ln_1m, point_in_unit_disk, stream};
use dudsim::{
    Engine, ReplicateOutcome, RunSettings, RunStats, ScenarioFile, default_text, thread_pool,
};
use rand::Rng;

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

/// One step's least work: its chances and its exact conditional draws.
#[inline]
fn multinomial_step(
    rng: &mut impl Rng,
    live: u64,
    clearance: f64,
    encounter: f64,
    degradation: f64,
) -> [u64; 3] {
    let total = clearance + encounter + degradation;
    let leave = -(-total).exp_m1();
    let rest = encounter + degradation;
    let leavers = binomial_with_ln_1m(rng, live, leave, -total);
    let cleared = binomial(rng, leavers, clearance / total);
    let encountered = binomial(rng, leavers - cleared, encounter / rest);
    [leavers, cleared, encountered]
}

fn speed_of_light(c: &mut Criterion) {
    let mut group = c.benchmark_group("speed_of_light");
    // The default scenario's central values: UXO after the strikes (72,000
    // submunitions at the middle of each dud-rate range), clearance from
    // month 13 at 0.012 a month, an encounter rate of 0.00159 a month
    // falling with a half-life of 2.25 months to a floor of 3%.
    let uxo = [25_200u64, 1_206, 7_200];
    let steps = 120u64;
    let intensity = |r: f64| -(-r).ln_1p();
    let (clearance, encounter0) = (intensity(0.012), intensity(0.00159));
    let (half_life, floor) = (2.25f64, 0.03);
    let decay = (-std::f64::consts::LN_2 / half_life).exp();
    let first = encounter0 * (1.0 - floor) * (half_life / std::f64::consts::LN_2) * (1.0 - decay);
    group.throughput(Throughput::Elements(uxo.len() as u64 * steps));
    let mut replicate = 0;
    group.bench_function("multinomial_step", |b| {
        b.iter(|| {
            replicate += 1;
            let mut rng = stream(1, replicate, 0);
            let mut sum = 0;
            for &u0 in &uxo {
                let (mut live, mut falling) = (u0, first);
                for t in 1..=steps {
                    let c = if t > 12 { clearance } else { 0.0 };
                    let [leavers, cleared, encountered] =
                        multinomial_step(&mut rng, live, c, encounter0 * floor + falling, 0.0);
                    live -= leavers;
                    sum += cleared + encountered;
                    falling *= decay;
                }
            }
            sum
        })
    });
    // As a run does it: many chunks into the same statistics.
    const REPLICATES: u64 = 32 * CHUNK;
    let pool = thread_pool(Some(1)).unwrap();
    let engine_without_area = engine(&default_scenario(false, true));
    group.sample_size(10);
    group.throughput(Throughput::Elements(REPLICATES * uxo.len() as u64 * steps));
    let mut next = 0;
    group.bench_function("replicate_step", |b| {
        b.iter(|| {
            next += REPLICATES;
            pool.install(|| {
                RunStats::collect(&engine_without_area, next..next + REPLICATES, &|_| {})
            })
        })
    });

    // The least work per dud, done as fast as we know how: candidates in
    // the square drawn in blocks without a branch on acceptance, cells by
    // multiplication, one increment.
    const DUDS: usize = 4096;
    let (columns, per_m, radius) = (100usize, 1.0 / 50.0f64, 200.0f64);
    let mut counts = vec![0u32; columns * columns];
    let mut points = vec![(0.0f64, 0.0f64); DUDS + 1];
    let mut rng = stream(2, 0, 0);
    group.throughput(Throughput::Elements(DUDS as u64));
    group.bench_function("dud_placement", |b| {
        b.iter(|| {
            let jitter = point_in_unit_disk(&mut rng);
            let burst = (2500.0 + jitter.0, 2500.0 + jitter.1);
            let mut filled = 0;
            while filled < DUDS {
                let bits = rng.next_u64();
                let scale = 1.0 / (1u64 << 31) as f64;
                let x = ((bits >> 32) as f64 + 0.5) * scale - 1.0;
                let y = ((bits & 0xFFFF_FFFF) as f64 + 0.5) * scale - 1.0;
                points[filled] = (x, y);
                filled += usize::from(x * x + y * y <= 1.0);
            }
            for &(dx, dy) in &points[..DUDS] {
                let (x, y) = (burst.0 + radius * dx, burst.1 + radius * dy);
                let cell = (y * per_m) as i64 as usize * columns + (x * per_m) as i64 as usize;
                counts[cell] += 1;
            }
        })
    });
    let strikes = engine(&default_scenario(true, false));
    const STRIKE_REPLICATES: u64 = 4 * CHUNK;
    let duds: u64 = {
        let stats = RunStats::collect(&strikes, 0..STRIKE_REPLICATES, &|_| {});
        stats
            .scenarios
            .iter()
            .map(|s| s.unexploded.sum() as u64)
            .sum()
    };
    // Replicates differ: per dud, over the same replicates each time.
    group.throughput(Throughput::Elements(duds));
    group.bench_function("dud", |b| {
        b.iter(|| pool.install(|| RunStats::collect(&strikes, 0..STRIKE_REPLICATES, &|_| {})))
    });
    group.finish();
}

/// The decision example's file without the tables named in `tables`
/// (and without its maps of live UXO when `maps` is false). Panics when
/// it removes none of them: a baseline equal to the file would measure
/// nothing.
fn decision_without(decision: &str, tables: &[&str], maps: bool) -> String {
    let mut out = String::new();
    let mut skipping = false;
    let mut removed = 0;
    for line in decision.lines() {
        let code = line.split('#').next().unwrap_or("").trim();
        if code.starts_with('[') {
            skipping = tables.contains(&code);
            removed += usize::from(skipping);
        }
        if !skipping && (maps || !code.starts_with("maps_at")) {
            out.push_str(line);
            out.push('\n');
        }
    }
    assert!(
        removed > 0,
        "none of the tables {tables:?} found in the decision example"
    );
    out
}

fn decision(c: &mut Criterion) {
    let mut group = c.benchmark_group("decision");
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/decision");
    let path = dir.join("village.toml");
    let with_clearance = ScenarioFile::load(&path).expect("the decision example loads");
    let text = std::fs::read_to_string(&path).expect("the decision example reads");
    // The barrage with no aftermath on the map: no exposure, teams or maps.
    let barrage = ScenarioFile::parse(
        "barrage.toml",
        &decision_without(
            &text,
            &["[scenario.exposure]", "[scenario.clearance]"],
            false,
        ),
    )
    .expect("the barrage parses");
    // The same file without its teams: people still meet the duds cell by
    // cell and the maps are still drawn (the grid named by its full path,
    // the text being parsed from elsewhere).
    let exposure = dir.join("village-exposure.asc");
    let without_teams = ScenarioFile::parse(
        "without-teams.toml",
        &decision_without(&text, &["[scenario.clearance]"], true).replace(
            "grid = \"village-exposure.asc\"",
            &format!("grid = \"{}\"", exposure.display()),
        ),
    )
    .expect("the file without teams parses");
    let pool = thread_pool(Some(1)).expect("a pool of one thread");
    const REPLICATES: u64 = 256;
    group.throughput(Throughput::Elements(REPLICATES));
    for (name, file) in [
        ("barrage", &barrage),
        ("without_teams", &without_teams),
        ("clearance", &with_clearance),
    ] {
        let engine = engine(file);
        group.bench_function(name, |b| {
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
    threads,
    speed_of_light,
    decision
);
criterion_main!(benches);
