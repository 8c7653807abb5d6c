//! The memory estimates that decide whether a command may start are upper
//! bounds of what it really allocates, and analyses keep running sums
//! rather than every sample: measured by counting every allocation of the
//! process.
//!
//! Other tests of this binary allocate at the same time, so each test here
//! runs its measurement alone in a child process: this test binary again,
//! asked for that one test.

use std::alloc::{GlobalAlloc, Layout, System};
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicIsize, Ordering};

use dudsim::budget::{self, RunKind};
use dudsim::{Engine, RunSettings, RunStats, ScenarioFile, sensitivity, thread_pool};

use crate::common::{scenario, stdout, temp_dir};

/// Counts the bytes allocated and their peak, once told to.
struct Counting;

/// Whether allocations are counted: only in a child process measuring.
static COUNTING: AtomicBool = AtomicBool::new(false);
/// Bytes allocated since counting began (negative when more were freed
/// than allocated since).
static CURRENT: AtomicIsize = AtomicIsize::new(0);
static PEAK: AtomicIsize = AtomicIsize::new(0);

fn grow(bytes: usize) {
    if COUNTING.load(Ordering::Relaxed) {
        let bytes = bytes as isize;
        let now = CURRENT.fetch_add(bytes, Ordering::Relaxed) + bytes;
        PEAK.fetch_max(now, Ordering::Relaxed);
    }
}

fn shrink(bytes: usize) {
    if COUNTING.load(Ordering::Relaxed) {
        CURRENT.fetch_sub(bytes as isize, Ordering::Relaxed);
    }
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grow(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            grow(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        unsafe { System.dealloc(p, layout) };
        shrink(layout.size());
    }

    unsafe fn realloc(&self, p: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let q = unsafe { System.realloc(p, layout, new_size) };
        if !q.is_null() {
            if new_size >= layout.size() {
                grow(new_size - layout.size());
            } else {
                shrink(layout.size() - new_size);
            }
        }
        q
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Set in the child process that measures.
const CHILD: &str = "DUDSIM_TEST_MEASURE_ALONE";

/// Runs `measure` alone in a child process: this binary again, asked for
/// exactly the test `test` (its path in this binary) with `CHILD` set, so
/// that no other test's allocations are counted. In that child, counts
/// every allocation and runs `measure`.
fn alone(test: &str, measure: impl FnOnce()) {
    if std::env::var_os(CHILD).is_some() {
        COUNTING.store(true, Ordering::SeqCst);
        measure();
        return;
    }
    let out = Command::new(std::env::current_exe().expect("the test binary"))
        .args([test, "--exact", "--test-threads=1", "--nocapture"])
        .env(CHILD, "1")
        .output()
        .expect("the test binary runs again");
    let printed = format!("{}{}", stdout(&out), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{test}, measured alone:\n{printed}");
    // A name that matched no test would pass without measuring anything.
    assert!(
        stdout(&out).contains("1 passed"),
        "{test} did not run alone:\n{printed}"
    );
    eprintln!("{printed}");
}

/// Peak bytes allocated by `f` beyond what was allocated before it.
fn peak_of(f: impl FnOnce()) -> usize {
    assert!(COUNTING.load(Ordering::SeqCst), "not counting allocations");
    let base = CURRENT.load(Ordering::SeqCst);
    PEAK.store(base, Ordering::SeqCst);
    f();
    (PEAK.load(Ordering::SeqCst) - base) as usize
}

/// Checks that a full run of `file` (statistics, then every output file and
/// chart) allocates no more than estimated.
fn run_within_estimate(label: &str, file: &ScenarioFile, replicates: u64) {
    let workers = 2;
    let pool = thread_pool(Some(workers)).unwrap();
    let kind = RunKind::Full {
        charts: true,
        precision: false,
    };
    let estimate = budget::run_memory(file, kind, workers, workers).total() as usize;
    let out = temp_dir();
    let settings = RunSettings::from_file(file);
    let peak = peak_of(|| {
        let engine = Engine::new(file, &settings);
        let stats = pool.install(|| RunStats::collect(&engine, 0..replicates, &|_| {}));
        pool.install(|| {
            dudsim::write_results(&out.path().join("out"), file, &settings, &stats, true)
        })
        .unwrap();
    });
    assert!(
        peak <= estimate,
        "{label}: allocated {peak} bytes, above the estimate of {estimate}"
    );
    eprintln!("{label}: allocated {peak} bytes, estimate {estimate}");
}

#[test]
fn long_uncertain_timelines_fit_their_estimate() {
    alone(
        "memory::long_uncertain_timelines_fit_their_estimate",
        long_uncertain_timelines,
    );
}

fn long_uncertain_timelines() {
    // Wide rates: every step's counts spread over many histogram buckets.
    let file = scenario(
        "[simulation]\nsteps = 2000\n\
         [[munition]]\nid = \"X\"\nsubmunitions = 72\ndud_rate = { beta = [0.5, 2] }\n\
         [[scenario]]\nname = \"wide\"\nstrikes = [ { munition = \"X\", carriers = { uniform = [10, 5000] } } ]\n\
         [scenario.aftermath]\nclearance_start = { uniform = [0, 300] }\n\
         clearance_rate = { uniform = [0.0, 0.01] }\nencounter_rate = { triangular = [0, 0.001, 0.01] }\n\
         casualties_per_encounter = { poisson = 2 }\n\
         [[scenario]]\nname = \"narrow\"\nstrikes = [ { munition = \"9M55K\", carriers = 300 } ]\n\
         [scenario.aftermath]\nencounter_rate = 0.002\n",
    );
    run_within_estimate("long timelines", &file, 3000);
}

#[test]
fn grids_and_many_scenarios_fit_their_estimate() {
    alone(
        "memory::grids_and_many_scenarios_fit_their_estimate",
        grids_and_many_scenarios,
    );
}

fn grids_and_many_scenarios() {
    // 30 scenarios (charts draw the first 12), two of them with 250,000-cell
    // grids where nearly every cell holds UXO in some replicate, so that
    // the maps' SVG has a rectangle per cell.
    let mut text = String::from(
        "[simulation]\nsteps = 24\n\
         [[munition]]\nid = \"X\"\nsubmunitions = 72\ndud_rate = { uniform = [0.1, 0.4] }\n\
         footprint_radius_m = 300\n",
    );
    for i in 0..30 {
        text.push_str(&format!(
            "[[scenario]]\nname = \"s{i}\"\nstrikes = [ {{ munition = \"X\", carriers = {} }} ]\n\
             [scenario.aftermath]\nencounter_rate = 0.001\n",
            10 + i
        ));
        if i < 2 {
            text = text.replace(
                &format!("carriers = {} }}", 10 + i),
                "carriers = 2000, target = [0, 0, 5000, 5000], cep_m = 200 }",
            );
            text.push_str("[scenario.area]\nwidth_m = 5000\nheight_m = 5000\ncell_m = 10\n");
        }
    }
    run_within_estimate("grids and many scenarios", &scenario(&text), 100);
}

#[test]
fn maps_over_time_and_clearance_on_a_grid_fit_their_estimate() {
    alone(
        "memory::maps_over_time_and_clearance_on_a_grid_fit_their_estimate",
        maps_over_time_and_clearance,
    );
}

fn maps_over_time_and_clearance() {
    // A 250,000-cell grid with UXO nearly everywhere, mapped at two steps
    // and searched by teams: beside the two maps of the strikes, a map of
    // live UXO at each step and one of the risk left in searched cells,
    // each drawn for the files and for the page's two layouts.
    let text = "[simulation]\nsteps = 24\nmaps_at = [6, 12]\n\
         [[munition]]\nid = \"X\"\nsubmunitions = 72\ndud_rate = { uniform = [0.1, 0.4] }\n\
         footprint_radius_m = 300\n\
         [[scenario]]\nname = \"searched\"\n\
         strikes = [ { munition = \"X\", carriers = 2000, target = [0, 0, 5000, 5000], cep_m = 200 } ]\n\
         [scenario.aftermath]\nencounter_rate = 0.001\nclearance_start = 2\n\
         [scenario.area]\nwidth_m = 5000\nheight_m = 5000\ncell_m = 10\n\
         [scenario.clearance]\ncapacity_ha = 40\ndetection = 0.8\norder = \"density\"\npasses = 1\n";
    run_within_estimate("maps over time and clearance", &scenario(text), 60);
}

#[test]
fn a_sweep_keeps_only_what_it_reports() {
    alone("memory::a_sweep_keeps_only_what_it_reports", sweep);
}

fn sweep() {
    // 200 dud rates of a 5,000-step aftermath: each rate keeps a few
    // figures, not its timeline.
    let file = scenario(
        "[simulation]\nsteps = 5000\nreplicates = 20\n\
         [[scenario]]\nname = \"a\"\nstrikes = [ { munition = \"9M55K\", carriers = 100 } ]\n\
         [scenario.aftermath]\nencounter_rate = 0.001\nclearance_rate = 0.002\n",
    );
    let rates: dudsim::sweep::DudRates = "0:0.5:200".parse().unwrap();
    let workers = 2;
    let pool = thread_pool(Some(workers)).unwrap();
    let counts_only = dudsim::sweep::with_dud_rate(&file, 0.0);
    let kind = RunKind::Sweep { points: 200 };
    let estimate = budget::run_memory(&counts_only, kind, workers, workers).total() as usize;
    let peak = peak_of(|| {
        let settings = RunSettings::from_file(&file);
        let swept = dudsim::sweep::Swept::DudRates(rates);
        let sweep = pool
            .install(|| dudsim::sweep::run(&file, &swept, &settings, workers, &|_| {}))
            .unwrap();
        assert_eq!(sweep.points.len(), 200);
        assert_eq!(sweep.horizon(), 5000);
    });
    assert!(
        peak <= estimate,
        "allocated {peak} bytes, above the estimate of {estimate}"
    );
    // Before, every rate kept its summary: 5,000 steps x 4 figures x 88
    // bytes, 350 MB over 200 rates.
    assert!(peak < 100 << 20, "allocated {peak} bytes");
}

#[test]
fn the_engine_holds_one_grid_per_worker() {
    alone(
        "memory::the_engine_holds_one_grid_per_worker",
        one_grid_per_worker,
    );
}

fn one_grid_per_worker() {
    // A 1,000,000-cell grid: each worker held a chunk of 256 outcomes with a
    // grid of 8 bytes per cell each (2 GB), in as many accumulators as
    // rayon's fold made. Now: one grid buffer per worker, one copy of the
    // statistics (12 bytes per cell) per worker.
    let file = scenario(
        "[simulation]\nsteps = 0\n\
         [[munition]]\nid = \"X\"\nsubmunitions = 72\ndud_rate = 0.3\nfootprint_radius_m = 100\n\
         [[scenario]]\nname = \"big grid\"\n\
         strikes = [ { munition = \"X\", carriers = 5, target = [100, 100, 900, 900], cep_m = 50 } ]\n\
         [scenario.area]\nwidth_m = 1000\nheight_m = 1000\ncell_m = 1\n",
    );
    let pool = thread_pool(Some(2)).unwrap();
    let peak = peak_of(|| {
        let engine = Engine::new(&file, &RunSettings::from_file(&file));
        pool.install(|| RunStats::collect(&engine, 0..600, &|_| {}));
    });
    let cells = 1_000_000;
    assert!(
        peak <= 2 * (12 + 8) * cells + (8 << 20),
        "allocated {peak} bytes for a {cells}-cell grid"
    );
}

/// Peak bytes allocated, above those allocated before, while analysing.
fn peak_while_analysing(file: &ScenarioFile, samples: u64) -> usize {
    let pool = thread_pool(Some(2)).unwrap();
    peak_of(|| {
        let seed = file.simulation().seed();
        let analysis = pool.install(|| sensitivity::run(file, seed, samples, &|_| {}));
        assert_eq!(analysis.rows.len(), 3);
    })
}

#[test]
fn sensitivity_memory_does_not_grow_with_the_samples() {
    alone(
        "memory::sensitivity_memory_does_not_grow_with_the_samples",
        sensitivity_memory,
    );
}

/// `dudsim sensitivity` keeps running sums, not every pick-freeze pair: its
/// peak memory does not grow with the number of samples.
fn sensitivity_memory() {
    // Three uncertain inputs, one output, a model that costs next to nothing.
    let file = scenario(
        "[simulation]\nsteps = 0\n\
         [[munition]]\nid = \"X\"\nsubmunitions = 72\ndud_rate = { uniform = [0.05, 0.15] }\n\
         self_destruct = { uniform = [0.0, 0.5] }\n\
         [[scenario]]\nname = \"s\"\nstrikes = [ { munition = \"X\", carriers = { uniform = [50, 150] } } ]\n",
    );
    let small = peak_while_analysing(&file, 20_000);
    let large = peak_while_analysing(&file, 400_000);
    eprintln!("peak allocated: {small} bytes for 20,000 samples, {large} for 400,000");
    // Storing every pair would take 16 bytes x 3 inputs x 380,000 more
    // samples, 18 MB; running sums take the same memory for both.
    assert!(
        large < small + 1_000_000,
        "peak {large} bytes for 400,000 samples against {small} for 20,000"
    );
}

#[test]
fn draws_are_streamed_not_kept() {
    alone("memory::draws_are_streamed_not_kept", draws_streamed);
}

fn draws_streamed() {
    // A million replicates give 40 MB of rows; the run holds a few chunks
    // of them at a time, however many replicates there are.
    let file = scenario(
        "[simulation]\nsteps = 0\n\
         [[scenario]]\nname = \"a\"\nstrikes = [ { munition = \"9M55K\", carriers = 2 } ]\n",
    );
    let replicates = 1_000_000;
    let out = temp_dir();
    let path = out.path().join("draws.csv");
    let pool = thread_pool(Some(2)).unwrap();
    let peak = peak_of(|| {
        let settings = RunSettings::from_file(&file);
        let engine = Engine::new(&file, &settings);
        let target = dudsim::draws::Target::new(&path).unwrap();
        let stats = pool
            .install(|| dudsim::draws::collect(&engine, &file, 0..replicates, &|_| {}, &target))
            .unwrap();
        assert_eq!(stats.replicates(), replicates);
        target.commit().unwrap();
    });
    let written = std::fs::metadata(&path).unwrap().len();
    eprintln!("draws: {written} bytes written, {peak} bytes allocated at the peak");
    assert!(written > 30 << 20, "{written} bytes of draws");
    assert!(
        peak < 4 << 20,
        "allocated {peak} bytes for {written} bytes of draws"
    );
}
