//! The memory estimates that decide whether a command may start are upper
//! bounds of what it really allocates: measured here by counting every
//! allocation of the test process (this file is its own test binary).

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use common::*;
use dudsim::budget::{self, RunKind};
use dudsim::engine::{Engine, thread_pool};
use dudsim::scenario::ScenarioFile;

/// Counts the bytes allocated and their peak.
struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = CURRENT.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            let now = CURRENT.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        unsafe { System.dealloc(p, layout) };
        CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, p: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let q = unsafe { System.realloc(p, layout, new_size) };
        if !q.is_null() {
            if new_size >= layout.size() {
                let now = CURRENT.fetch_add(new_size - layout.size(), Ordering::Relaxed)
                    + (new_size - layout.size());
                PEAK.fetch_max(now, Ordering::Relaxed);
            } else {
                CURRENT.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        q
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The tests of this file measure one at a time.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// Peak bytes allocated by `f` beyond what was allocated before it.
fn peak_of(f: impl FnOnce()) -> usize {
    let base = CURRENT.load(Ordering::SeqCst);
    PEAK.store(base, Ordering::SeqCst);
    f();
    PEAK.load(Ordering::SeqCst) - base
}

/// Checks that a full run of `file` (statistics, then every output file and
/// chart) allocates no more than estimated.
fn run_within_estimate(label: &str, file: &ScenarioFile, replicates: u64) {
    let _guard = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let workers = 2;
    let pool = thread_pool(Some(workers)).unwrap();
    let kind = RunKind::Full {
        charts: true,
        precision: false,
    };
    let estimate = budget::run_memory(file, kind, workers, workers).total() as usize;
    let out = TempDir::new("memory");
    let peak = peak_of(|| {
        let stats = pool.install(|| Engine::new(file).run(0..replicates, &|_| {}));
        pool.install(|| dudsim::output::write_results(&out.join("out"), file, &stats, true))
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
fn a_sweep_keeps_only_what_it_reports() {
    // 200 dud rates of a 5,000-step aftermath: each rate keeps a few
    // figures, not its timeline.
    let _guard = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
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
        let sweep = pool.install(|| dudsim::sweep::run(&file, &rates, workers, &|_| {}));
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
    // A 1,000,000-cell grid: each worker held a chunk of 256 outcomes with a
    // grid of 8 bytes per cell each (2 GB), in as many accumulators as
    // rayon's fold made. Now: one grid buffer per worker, one copy of the
    // statistics (12 bytes per cell) per worker.
    let _guard = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let file = scenario(
        "[simulation]\nsteps = 0\n\
         [[munition]]\nid = \"X\"\nsubmunitions = 72\ndud_rate = 0.3\nfootprint_radius_m = 100\n\
         [[scenario]]\nname = \"big grid\"\n\
         strikes = [ { munition = \"X\", carriers = 5, target = [100, 100, 900, 900], cep_m = 50 } ]\n\
         [scenario.area]\nwidth_m = 1000\nheight_m = 1000\ncell_m = 1\n",
    );
    let pool = thread_pool(Some(2)).unwrap();
    let peak = peak_of(|| {
        pool.install(|| Engine::new(&file).run(0..600, &|_| {}));
    });
    let cells = 1_000_000;
    assert!(
        peak <= 2 * (12 + 8) * cells + (8 << 20),
        "allocated {peak} bytes for a {cells}-cell grid"
    );
}
