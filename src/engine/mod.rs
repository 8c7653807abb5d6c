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
                .map(|p| ScenarioStats::new(p.steps(), p.grid().map(|g| g.cells())))
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
                || (self.empty_stats(), ReplicateOutcome::default()),
                |(mut stats, mut outcome), chunk| {
                    let lo = start + chunk * CHUNK;
                    let hi = (lo + CHUNK).min(end);
                    for replicate in lo..hi {
                        for (scenario, scenario_stats) in stats.scenarios.iter_mut().enumerate() {
                            self.simulate_replicate(scenario, replicate, &mut outcome);
                            scenario_stats.record(&outcome);
                        }
                    }
                    progress(hi - lo);
                    (stats, outcome)
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
