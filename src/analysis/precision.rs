//! `--precision`: adds replicates until every scenario's expected UXO and
//! expected casualties at the horizon are known to a relative precision,
//! with checkpoints that depend on the statistics only, so that the result
//! is the same for any thread count.

use crate::engine::{CHUNK, Engine};
use crate::error::{Error, Result};
use crate::stats::{Accumulator, RunStats};

/// The stopping rule of `--precision`.
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
    fn replicates_needed(&self, acc: &Accumulator) -> f64 {
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

/// Adds replicates chunk by chunk until `target` is met (or its cap is
/// reached). Checkpoints depend only on the statistics so far, never on
/// timing or threads, so the result is the same for any thread count.
///
/// Stops early when the projected count exceeds the cap, and before
/// every batch asks `allow` whether a run of that many replicates in
/// all may go ahead.
pub fn run_to_precision(
    engine: &Engine,
    target: PrecisionTarget,
    allow: &dyn Fn(u64) -> Result<()>,
    progress: &(dyn Fn(u64) + Sync),
) -> std::result::Result<RunStats, PrecisionStop> {
    let mut stats = RunStats::empty(engine);
    let mut done = 0;
    let mut next = FIRST_BATCH.min(target.max_replicates);
    loop {
        allow(next).map_err(PrecisionStop::Refused)?;
        stats.merge(&RunStats::collect(engine, done..next, progress));
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
