//! Partial results of sharded runs (`dudsim run --shard I/N`) and their
//! merge (`dudsim merge`) into exactly what one unsharded run writes.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::scenario::{DEFAULT_SCENARIO_NAME, ScenarioFile};
use crate::stats::RunStats;

/// The file a shard writes into its output directory.
pub const PARTIAL_FILE: &str = "partial.json";
const FORMAT: &str = "dudsim-partial-1";

/// The I-th of N equal parts of a run's replicates (1-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

impl Shard {
    /// The replicates of this shard: `floor(R·(I−1)/N) .. floor(R·I/N)`.
    pub fn range(&self, replicates: u64) -> Range<u64> {
        let at = |i: u64| (replicates as u128 * i as u128 / self.count as u128) as u64;
        at(self.index - 1)..at(self.index)
    }
}

impl FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Self, String> {
        let usage = || format!("expected I/N with 1 <= I <= N (e.g. 3/8), got \"{s}\"");
        let (i, n) = s.split_once('/').ok_or_else(usage)?;
        let index: u64 = i.trim().parse().map_err(|_| usage())?;
        let count: u64 = n.trim().parse().map_err(|_| usage())?;
        if index == 0 || count == 0 || index > count {
            return Err(usage());
        }
        Ok(Shard { index, count })
    }
}

/// What a shard writes: its statistics and everything needed to check that
/// shards belong together and to rebuild the run's outputs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Partial {
    pub format: String,
    pub dudsim_version: String,
    /// Name of the scenario file as given to `run`.
    pub source_name: String,
    /// Its full text.
    pub scenario_text: String,
    pub seed: u64,
    /// Replicates of the whole run, not of this shard.
    pub replicates: u64,
    pub shard: Shard,
    pub stats: RunStats,
}

impl Partial {
    /// The partial result of `shard` of a run of `file`.
    pub fn new(file: &ScenarioFile, shard: Shard, stats: RunStats) -> Self {
        Partial {
            format: FORMAT.to_string(),
            dudsim_version: env!("CARGO_PKG_VERSION").to_string(),
            source_name: file.source_name.clone(),
            scenario_text: file.text.clone(),
            seed: file.simulation.seed,
            replicates: file.simulation.replicates,
            shard,
            stats,
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("partial results serialise")
    }

    /// Reads `DIR/partial.json`.
    pub fn load(dir: &Path) -> Result<Self> {
        let path = dir.join(PARTIAL_FILE);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            Error::usage(format!(
                "{}: cannot read a shard's partial result: {e} (was it written by `dudsim run --shard I/N --out {}`?)",
                path.display(),
                dir.display()
            ))
        })?;
        let partial: Partial = serde_json::from_str(&text).map_err(|e| {
            Error::usage(format!(
                "{}: not a dudsim partial result: {e}",
                path.display()
            ))
        })?;
        if partial.format != FORMAT {
            return Err(Error::usage(format!(
                "{}: partial result format \"{}\" is not the \"{FORMAT}\" this dudsim reads",
                path.display(),
                partial.format
            )));
        }
        Ok(partial)
    }

    /// The scenario file of the run, with its seed and replicates.
    fn scenario_file(&self) -> Result<ScenarioFile> {
        let mut file = if self.source_name == DEFAULT_SCENARIO_NAME {
            ScenarioFile::builtin_default()
        } else {
            ScenarioFile::parse(&self.source_name, &self.scenario_text)?
        };
        file.simulation.seed = self.seed;
        file.simulation.replicates = self.replicates;
        Ok(file)
    }
}

/// Merges the partial results of every shard of one run, refusing shards of
/// different runs, a shard given twice, and an incomplete set.
pub fn merge(dirs: &[PathBuf]) -> Result<(ScenarioFile, RunStats)> {
    let partials: Vec<(PathBuf, Partial)> = dirs
        .iter()
        .map(|d| Partial::load(d).map(|p| (d.clone(), p)))
        .collect::<Result<_>>()?;
    let Some((first_dir, first)) = partials.first() else {
        return Err(Error::usage(
            "merge needs the output directories of the shards",
        ));
    };
    let mut seen = vec![None::<&PathBuf>; first.shard.count as usize];
    for (dir, p) in &partials {
        let differs = |what: &str| {
            Error::usage(format!(
                "{} and {} are shards of different runs: their {what} differ",
                first_dir.display(),
                dir.display()
            ))
        };
        if p.scenario_text != first.scenario_text || p.source_name != first.source_name {
            return Err(differs("scenario files"));
        }
        if p.seed != first.seed {
            return Err(differs(&format!("seeds ({} and {})", first.seed, p.seed)));
        }
        if p.replicates != first.replicates {
            return Err(differs(&format!(
                "replicate counts ({} and {})",
                first.replicates, p.replicates
            )));
        }
        if p.shard.count != first.shard.count {
            return Err(differs(&format!(
                "shard counts ({} and {})",
                first.shard.count, p.shard.count
            )));
        }
        if p.dudsim_version != first.dudsim_version {
            return Err(differs("dudsim versions"));
        }
        let slot = &mut seen[p.shard.index as usize - 1];
        if let Some(other) = slot {
            return Err(Error::usage(format!(
                "shard {}/{} is given twice ({} and {})",
                p.shard.index,
                p.shard.count,
                other.display(),
                dir.display()
            )));
        }
        *slot = Some(dir);
    }
    let missing: Vec<String> = seen
        .iter()
        .enumerate()
        .filter(|(_, s)| s.is_none())
        .map(|(i, _)| format!("{}/{}", i + 1, first.shard.count))
        .collect();
    if !missing.is_empty() {
        return Err(Error::usage(format!(
            "shards missing from the merge: {}",
            missing.join(", ")
        )));
    }
    let mut stats = RunStats::default();
    for (_, p) in &partials {
        stats.merge(&p.stats);
    }
    Ok((first.scenario_file()?, stats))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_cover_the_replicates_exactly_once() {
        for (replicates, count) in [(10_000u64, 4u64), (7, 3), (3, 5), (1_000_003, 7)] {
            let mut next = 0;
            for index in 1..=count {
                let r = Shard { index, count }.range(replicates);
                assert_eq!(r.start, next);
                next = r.end;
            }
            assert_eq!(next, replicates);
        }
    }

    #[test]
    fn shard_specs_parse_or_explain() {
        assert_eq!("3/8".parse::<Shard>(), Ok(Shard { index: 3, count: 8 }));
        for bad in ["0/4", "5/4", "3", "a/b", "1/0", ""] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }
}
