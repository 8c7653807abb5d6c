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

use rayon::prelude::*;

pub use replicate::{DudSampling, ScenarioPlan};

use crate::error::{Error, Result};
use crate::scenario::ScenarioFile;
use crate::stats::{ReplicateOutcome, RunStats, ScenarioStats};

/// Replicates per unit of parallel work and of progress reporting. Fixed,
/// never derived from the thread count.
pub const CHUNK: u64 = 256;

/// Everything needed to simulate replicates of one scenario file.
#[derive(Debug, Clone)]
pub struct Engine {
    seed: u64,
    plans: Vec<ScenarioPlan>,
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
                .map(|p| ScenarioStats::new(p.steps(), p.grid().map(|g| g.cell_areas())))
                .collect(),
        }
    }

    /// Simulates the replicates in `replicates` on the current rayon pool,
    /// calling `progress` with the number of replicates each finished chunk
    /// held.
    pub fn run(&self, replicates: Range<u64>, progress: &(dyn Fn(u64) + Sync)) -> RunStats {
        let Range { start, end } = replicates;
        let chunks = end.saturating_sub(start).div_ceil(CHUNK);
        (0..chunks)
            .into_par_iter()
            .fold(
                || (self.empty_stats(), Vec::new()),
                |(mut stats, mut outcomes), chunk| {
                    let lo = start + chunk * CHUNK;
                    let hi = (lo + CHUNK).min(end);
                    outcomes.resize_with((hi - lo) as usize, ReplicateOutcome::default);
                    for (scenario, scenario_stats) in stats.scenarios.iter_mut().enumerate() {
                        for (replicate, outcome) in (lo..hi).zip(outcomes.iter_mut()) {
                            self.simulate_replicate(scenario, replicate, outcome);
                        }
                        scenario_stats.record_all(&outcomes);
                    }
                    progress(hi - lo);
                    (stats, outcomes)
                },
            )
            .map(|(stats, _)| stats)
            .reduce(
                || self.empty_stats(),
                |mut a, b| {
                    a.merge(&b);
                    a
                },
            )
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
const FIRST_BATCH: u64 = 8 * CHUNK;
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

impl Engine {
    /// Adds replicates chunk by chunk until `target` is met (or its cap is
    /// reached). Checkpoints depend only on the statistics so far, never on
    /// timing or threads, so the result is the same for any thread count.
    pub fn run_to_precision(
        &self,
        target: PrecisionTarget,
        progress: &(dyn Fn(u64) + Sync),
    ) -> RunStats {
        let mut stats = self.empty_stats();
        let mut done = 0;
        let mut next = FIRST_BATCH.min(target.max_replicates);
        loop {
            stats.merge(&self.run(done..next, progress));
            done = next;
            let needed = target.replicates_needed_for(&stats);
            if done as f64 >= needed || done >= target.max_replicates {
                return stats;
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
