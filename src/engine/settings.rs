//! Run settings: how one run is carried out (seed, replicates, threads,
//! shard, precision), resolved once from the scenario file's
//! `[simulation]` table and the command line, and passed to the engine.

use std::ops::Range;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::scenario::{MAX_REPLICATES, ScenarioFile};

/// Most shards a run splits into (and never more than its replicates):
/// beyond, each shard's fixed costs (files, merging) outweigh its share.
pub const MAX_SHARDS: u64 = 1_000_000;

/// The I-th of N equal parts of a run's replicates (1-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    /// Which part, from 1.
    pub(crate) index: u64,
    /// Into how many parts.
    pub(crate) count: u64,
}

impl Shard {
    /// The replicates of this shard: `floor(R·(I−1)/N) .. floor(R·I/N)`.
    pub fn range(&self, replicates: u64) -> Range<u64> {
        let at = |i: u64| (replicates as u128 * i as u128 / self.count as u128) as u64;
        at(self.index - 1)..at(self.index)
    }
}

impl Shard {
    /// Checks the index and count, whatever the run.
    pub(crate) fn check(&self) -> std::result::Result<(), String> {
        let Shard { index, count } = *self;
        if count == 0 || count > MAX_SHARDS {
            return Err(format!(
                "shard count {count} is outside 1 to {MAX_SHARDS} (a run splits into at most \
                 {MAX_SHARDS} shards)"
            ));
        }
        if index == 0 || index > count {
            return Err(format!("shard index {index} is outside 1 to {count}"));
        }
        Ok(())
    }

    /// Checks that a run of `replicates` replicates splits into this many
    /// shards: at most one per replicate.
    pub fn check_for(&self, replicates: u64) -> std::result::Result<(), String> {
        self.check()?;
        if self.count > replicates {
            return Err(format!(
                "shard count {} is above the run's {replicates} replicates (a run splits \
                 into at most one shard per replicate)",
                self.count
            ));
        }
        Ok(())
    }
}

impl FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Self, String> {
        let usage = || {
            format!(
                "expected I/N with 1 <= I <= N and N at most {MAX_SHARDS} (e.g. 3/8), got \"{s}\""
            )
        };
        let (i, n) = s.split_once('/').ok_or_else(usage)?;
        let index: u64 = i.trim().parse().map_err(|_| usage())?;
        let count: u64 = n.trim().parse().map_err(|_| usage())?;
        let shard = Shard { index, count };
        shard.check().map_err(|e| format!("\"{s}\": {e}"))?;
        Ok(shard)
    }
}

impl Shard {
    /// Which part, from 1.
    pub fn index(&self) -> u64 {
        self.index
    }

    /// Into how many parts.
    pub fn count(&self) -> u64 {
        self.count
    }
}

/// Most worker threads a run may ask for.
pub const MAX_THREADS: usize = 1024;

/// How one run is carried out. Built from a scenario file's defaults and
/// changed only through methods that check their value, so that a
/// `RunSettings` is always valid.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RunSettings {
    seed: u64,
    replicates: u64,
    threads: Option<usize>,
    shard: Option<Shard>,
    precision: Option<f64>,
}

impl RunSettings {
    /// The settings `file` asks for: its seed and replicates, all cores, the
    /// whole run, no precision target.
    pub fn from_file(file: &ScenarioFile) -> Self {
        RunSettings {
            seed: file.simulation().seed(),
            replicates: file.simulation().replicates(),
            threads: None,
            shard: None,
            precision: None,
        }
    }

    /// Another seed.
    pub fn with_seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Another number of replicates, from 1 to [`MAX_REPLICATES`].
    pub fn with_replicates(mut self, replicates: u64) -> Result<Self, String> {
        if !(1..=MAX_REPLICATES).contains(&replicates) {
            return Err(format!(
                "replicates must be between 1 and {MAX_REPLICATES}, got {replicates}"
            ));
        }
        self.replicates = replicates;
        self.check_shard()?;
        Ok(self)
    }

    /// A number of worker threads, from 1 to [`MAX_THREADS`].
    pub fn with_threads(mut self, threads: usize) -> Result<Self, String> {
        if !(1..=MAX_THREADS).contains(&threads) {
            return Err(format!(
                "threads must be between 1 and {MAX_THREADS}, got {threads}"
            ));
        }
        self.threads = Some(threads);
        Ok(self)
    }

    /// Only one shard of the replicates; the shard count must be at most
    /// the replicates (and [`MAX_SHARDS`]).
    pub fn with_shard(mut self, shard: Shard) -> Result<Self, String> {
        self.shard = Some(shard);
        self.check_shard()?;
        Ok(self)
    }

    /// A precision target: a 95% half-width at most `relative_half_width`
    /// times the mean, strictly between 0 and 1.
    pub fn with_precision(mut self, relative_half_width: f64) -> Result<Self, String> {
        if !(relative_half_width > 0.0 && relative_half_width < 1.0) {
            return Err(format!(
                "a precision is a relative half-width between 0 and 1 (e.g. 0.01 for 1%), \
                 got {relative_half_width}"
            ));
        }
        self.precision = Some(relative_half_width);
        Ok(self)
    }

    fn check_shard(&self) -> Result<(), String> {
        match self.shard {
            Some(shard) => shard
                .check_for(self.replicates)
                .map_err(|e| format!("--shard {}/{}: {e}", shard.index, shard.count)),
            None => Ok(()),
        }
    }

    /// Seed of every random stream.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Replicates of the whole run (of all shards together).
    pub fn replicates(&self) -> u64 {
        self.replicates
    }

    /// Worker threads; `None`: all cores.
    pub fn threads(&self) -> Option<usize> {
        self.threads
    }

    /// The shard this run computes, if any.
    pub fn shard(&self) -> Option<Shard> {
        self.shard
    }

    /// The precision target, if any.
    pub fn precision(&self) -> Option<f64> {
        self.precision
    }

    /// The replicates this run computes: its shard's, or all of them.
    pub fn replicate_range(&self) -> Range<u64> {
        match self.shard {
            Some(shard) => shard.range(self.replicates),
            None => 0..self.replicates,
        }
    }
}
