//! The engine: samples replicates of every scenario of a file, in parallel,
//! into mergeable statistics.
//!
//! Replicates are processed in fixed-size chunks; each replicate of each
//! scenario draws from its own stream derived from (seed, replicate,
//! scenario) only, and the statistics merge exactly, so a run gives
//! bit-identical results whatever the thread count, and any replicate range
//! can be computed on its own and merged later.

pub mod replicate;
pub mod rng;
pub mod sampling;
pub mod spatial;

use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};

pub use replicate::{DudSampling, ScenarioPlan};

use crate::error::{Error, Result};
use crate::scenario::ScenarioFile;
use crate::stats::{ReplicateOutcome, RunStats, ScenarioStats, SpatialOutcome, StepOutcome};

/// Replicates per unit of parallel work and of progress reporting. Fixed,
/// never derived from the thread count.
pub const CHUNK: u64 = 256;

/// Most bytes of replicate outcomes a worker holds before recording them:
/// replicates with long timelines are recorded in batches smaller than a
/// chunk.
const BATCH_BYTES: usize = 8 << 20;

/// Everything needed to simulate replicates of one scenario file.
#[derive(Debug, Clone)]
pub struct Engine {
    seed: u64,
    plans: Vec<ScenarioPlan>,
    /// Most copies of the statistics held at once; `None`: one per worker.
    stat_copies: Option<usize>,
    /// Keep only the last step of each timeline.
    horizon_only: bool,
}

/// What one worker reuses from replicate to replicate.
#[derive(Default)]
struct Worker {
    /// Outcomes of the batch being simulated (only the first part may be
    /// in use).
    outcomes: Vec<ReplicateOutcome>,
    /// One grid per scenario with an area, recorded and cleared after
    /// every replicate.
    grids: Vec<Option<SpatialOutcome>>,
}

impl Engine {
    /// Compiles every scenario of `file`.
    pub fn new(file: &ScenarioFile) -> Self {
        Engine {
            seed: file.simulation.seed,
            plans: file
                .scenarios
                .iter()
                .map(|s| ScenarioPlan::new(file, s))
                .collect(),
            stat_copies: None,
            horizon_only: false,
        }
    }

    /// The same engine drawing duds the given way (for checking the closed form).
    pub fn with_dud_sampling(mut self, dud_sampling: DudSampling) -> Self {
        self.plans = self
            .plans
            .into_iter()
            .map(|p| p.with_dud_sampling(dud_sampling))
            .collect();
        self
    }

    /// The same engine holding at most `copies` copies of the statistics
    /// while it runs (at least one; at most one per worker). Workers beyond
    /// that share a copy, taking turns to record: the results are the same,
    /// since statistics merge exactly in any order.
    pub fn with_stat_copies(mut self, copies: usize) -> Self {
        self.stat_copies = Some(copies.max(1));
        self
    }

    /// The same engine keeping, of each timeline, only the horizon (the
    /// last step): what a sweep reports, at a memory cost that does not
    /// grow with the number of steps.
    pub fn horizon_only(mut self) -> Self {
        self.horizon_only = true;
        self
    }

    /// The compiled scenarios, in file order.
    pub fn plans(&self) -> &[ScenarioPlan] {
        &self.plans
    }

    /// Simulates replicate `replicate` of scenario `scenario` into `out`.
    pub fn simulate_replicate(&self, scenario: usize, replicate: u64, out: &mut ReplicateOutcome) {
        let mut rng = rng::stream(self.seed, replicate, scenario as u64);
        self.plans[scenario].simulate(&mut rng, out);
    }

    /// Statistics with nothing recorded yet.
    pub fn empty_stats(&self) -> RunStats {
        RunStats {
            scenarios: self
                .plans
                .iter()
                .map(|p| {
                    let steps = if self.horizon_only {
                        p.steps().min(1)
                    } else {
                        p.steps()
                    };
                    ScenarioStats::new(steps, p.grid().map(|g| g.cell_areas()))
                })
                .collect(),
        }
    }

    /// Replicates of scenario `scenario` recorded together: a whole chunk
    /// unless their timelines are long.
    pub fn batch_len(&self, scenario: usize) -> usize {
        let per_replicate = std::mem::size_of::<ReplicateOutcome>()
            + self.plans[scenario].steps() * std::mem::size_of::<StepOutcome>();
        (BATCH_BYTES / per_replicate).clamp(1, CHUNK as usize)
    }

    /// Simulates the replicates in `replicates` on the current rayon pool,
    /// calling `progress` with the number of replicates each finished chunk
    /// held.
    ///
    /// Each worker takes chunks in turn and keeps one set of buffers; the
    /// statistics exist in at most one copy per worker (fewer if
    /// [`Engine::with_stat_copies`] says so), merged at the end.
    pub fn run(&self, replicates: Range<u64>, progress: &(dyn Fn(u64) + Sync)) -> RunStats {
        let Range { start, end } = replicates;
        let chunks = end.saturating_sub(start).div_ceil(CHUNK);
        let workers = rayon::current_num_threads().max(1);
        let copies = self.stat_copies.unwrap_or(workers).clamp(1, workers);
        let slots: Vec<Mutex<Option<RunStats>>> = (0..copies).map(|_| Mutex::new(None)).collect();
        let next_chunk = AtomicU64::new(0);
        rayon::broadcast(|context| {
            let slot = &slots[context.index() % copies];
            let mut worker = Worker::default();
            loop {
                let chunk = next_chunk.fetch_add(1, Ordering::Relaxed);
                if chunk >= chunks {
                    break;
                }
                let lo = start + chunk * CHUNK;
                let hi = (lo + CHUNK).min(end);
                for scenario in 0..self.plans.len() {
                    self.simulate_into(scenario, lo..hi, &mut worker, slot);
                }
                progress(hi - lo);
            }
        });
        let mut merged: Option<RunStats> = None;
        for slot in slots {
            let Some(stats) = slot.into_inner().unwrap_or_else(PoisonError::into_inner) else {
                continue;
            };
            match &mut merged {
                Some(m) => m.merge(&stats),
                None => merged = Some(stats),
            }
        }
        merged.unwrap_or_else(|| self.empty_stats())
    }

    /// Simulates replicates of one scenario and records them into the
    /// statistics in `slot`: each replicate's grid right after it is drawn,
    /// the counts batch by batch.
    fn simulate_into(
        &self,
        scenario: usize,
        replicates: Range<u64>,
        worker: &mut Worker,
        slot: &Mutex<Option<RunStats>>,
    ) {
        let record = |f: &mut dyn FnMut(&mut ScenarioStats)| {
            let mut stats = slot.lock().unwrap_or_else(PoisonError::into_inner);
            f(&mut stats.get_or_insert_with(|| self.empty_stats()).scenarios[scenario]);
        };
        if worker.grids.len() < self.plans.len() {
            worker.grids.resize_with(self.plans.len(), || None);
        }
        let batch = self.batch_len(scenario) as u64;
        let mut lo = replicates.start;
        while lo < replicates.end {
            let hi = (lo + batch).min(replicates.end);
            let n = (hi - lo) as usize;
            if worker.outcomes.len() < n {
                worker.outcomes.resize_with(n, ReplicateOutcome::default);
            }
            let outcomes = &mut worker.outcomes[..n];
            for (replicate, outcome) in (lo..hi).zip(outcomes.iter_mut()) {
                outcome.spatial = worker.grids[scenario].take();
                self.simulate_replicate(scenario, replicate, outcome);
                if let Some(spatial) = outcome.spatial.take() {
                    record(&mut |stats| {
                        if let Some(grid) = &mut stats.grid {
                            grid.record(&spatial);
                        }
                    });
                    worker.grids[scenario] = Some(spatial);
                }
            }
            record(&mut |stats| stats.record_counts(outcomes));
            lo = hi;
        }
    }
}

/// The stopping rule of `--precision` (SPEC §3).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PrecisionTarget {
    /// Largest 95% confidence half-width allowed, as a share of the mean.
    pub relative_half_width: f64,
    /// Never run more replicates than this.
    pub max_replicates: u64,
}

/// Replicates of the first batch of an adaptive run.
pub const FIRST_BATCH: u64 = 8 * CHUNK;
/// 95% two-sided normal quantile.
const Z95: f64 = 1.959_963_984_540_054;

impl PrecisionTarget {
    /// Replicates needed for one quantity, from its current spread:
    /// 1.96·sd/√n ≤ P·mean ⇔ n ≥ (1.96·sd / (P·mean))².
    fn replicates_needed(&self, acc: &crate::stats::Accumulator) -> f64 {
        let (mean, var) = (acc.mean(), acc.variance());
        if var == 0.0 {
            return 0.0;
        }
        (Z95 * var.sqrt() / (self.relative_half_width * mean)).powi(2)
    }

    /// Replicates needed for every scenario's expected UXO and casualties at
    /// the horizon.
    pub fn replicates_needed_for(&self, stats: &RunStats) -> f64 {
        stats
            .scenarios
            .iter()
            .flat_map(|s| [Some(&s.unexploded), s.horizon().map(|h| &h.casualties)])
            .flatten()
            .map(|acc| self.replicates_needed(acc))
            .fold(0.0, f64::max)
    }
}

/// Why an adaptive run stopped before reaching its target.
#[derive(Debug, Clone, PartialEq)]
pub enum PrecisionStop {
    /// The replicates needed, projected from the spread of those done so
    /// far, exceed the cap: running on would spend the time and still miss
    /// the target.
    Unreachable {
        /// Replicates done when the projection was made.
        done: u64,
        /// Replicates the target needs, as projected.
        needed: f64,
    },
    /// The next batch was refused (e.g. over the processor time allowed).
    Refused(Error),
}

impl Engine {
    /// Adds replicates chunk by chunk until `target` is met (or its cap is
    /// reached). Checkpoints depend only on the statistics so far, never on
    /// timing or threads, so the result is the same for any thread count.
    ///
    /// Stops early when the projected count exceeds the cap, and before
    /// every batch asks `allow` whether a run of that many replicates in
    /// all may go ahead.
    pub fn run_to_precision(
        &self,
        target: PrecisionTarget,
        allow: &dyn Fn(u64) -> Result<()>,
        progress: &(dyn Fn(u64) + Sync),
    ) -> std::result::Result<RunStats, PrecisionStop> {
        let mut stats = self.empty_stats();
        let mut done = 0;
        let mut next = FIRST_BATCH.min(target.max_replicates);
        loop {
            allow(next).map_err(PrecisionStop::Refused)?;
            stats.merge(&self.run(done..next, progress));
            done = next;
            let needed = target.replicates_needed_for(&stats);
            if done as f64 >= needed || done >= target.max_replicates {
                return Ok(stats);
            }
            if needed > target.max_replicates as f64 {
                return Err(PrecisionStop::Unreachable { done, needed });
            }
            // Aim a little past the estimate, at most doubling, whole chunks.
            let aim = (needed * 1.05).min(2.0 * done as f64).ceil() as u64;
            next = aim.div_ceil(CHUNK).max(done / CHUNK + 1) * CHUNK;
            next = next.min(target.max_replicates);
        }
    }
}

/// A rayon pool with `threads` threads (all cores when `None`).
pub fn thread_pool(threads: Option<usize>) -> Result<rayon::ThreadPool> {
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(t) = threads {
        builder = builder.num_threads(t);
    }
    builder
        .build()
        .map_err(|e| Error::failure(format!("cannot start worker threads: {e}")))
}
