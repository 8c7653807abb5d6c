//! Partial results of sharded runs (`dudsim run --shard I/N`) and their
//! merge (`dudsim merge`) into exactly what one unsharded run writes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::engine::{Engine, RunSettings, Shard};
use crate::error::{Error, Result};
use crate::scenario::{MAX_REPLICATES, Override, ScenarioFile};
use crate::stats::RunStats;

/// The file a shard writes into its output directory.
pub const PARTIAL_FILE: &str = "partial.json";
const FORMAT: &str = "dudsim-partial-2";

/// Missing shards named in an error, before "...".
const MISSING_EXAMPLES: usize = 3;

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
    /// The `--set` overrides applied over it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<Override>,
    pub seed: u64,
    /// Replicates of the whole run, not of this shard.
    pub replicates: u64,
    pub shard: Shard,
    pub stats: RunStats,
}

impl Partial {
    /// The partial result of a sharded run of `file` with `settings`.
    ///
    /// # Panics
    ///
    /// If the settings name no shard.
    pub fn new(file: &ScenarioFile, settings: &RunSettings, stats: RunStats) -> Self {
        let shard = settings.shard().expect("a partial result is a shard's");
        Partial {
            format: FORMAT.to_string(),
            dudsim_version: env!("CARGO_PKG_VERSION").to_string(),
            source_name: file.source_name.clone(),
            scenario_text: file.text.clone(),
            overrides: file.overrides.clone(),
            seed: settings.seed(),
            replicates: settings.replicates(),
            shard,
            stats,
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("partial results serialise")
    }

    /// Reads `DIR/partial.json` and checks its header (not yet its
    /// statistics, which need the scenario file).
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
        let bad = |what: String| Error::usage(format!("{}: {what}", path.display()));
        if !(1..=MAX_REPLICATES).contains(&partial.replicates) {
            return Err(bad(format!(
                "the run's replicate count {} is outside 1 to {MAX_REPLICATES}",
                partial.replicates
            )));
        }
        partial.shard.check_for(partial.replicates).map_err(bad)?;
        Ok(partial)
    }

    /// The scenario file of the run.
    fn scenario_file(&self) -> Result<ScenarioFile> {
        Ok(ScenarioFile::parse_with(
            &self.source_name,
            &self.scenario_text,
            &self.overrides,
        )?)
    }

    /// The settings of the whole run (all shards together).
    fn run_settings(&self, file: &ScenarioFile) -> Result<RunSettings> {
        RunSettings::from_file(file)
            .with_seed(self.seed)
            .with_replicates(self.replicates)
            .map_err(Error::usage)
    }
}

/// What every shard of a run must share, taken from the first one read.
struct Run {
    dir: PathBuf,
    header: Partial,
    file: ScenarioFile,
    /// Empty statistics of the scenario file: the shape every shard's must have.
    expected: RunStats,
}

impl Run {
    /// The run `first` (read from `dir`) belongs to; its statistics are
    /// not kept.
    fn new(dir: &Path, first: &Partial) -> Result<Self> {
        let file = first.scenario_file().map_err(|e| {
            Error::usage(format!(
                "{}: the scenario file it holds is not valid: {e}",
                dir.join(PARTIAL_FILE).display()
            ))
        })?;
        let expected = RunStats::empty(&Engine::new(&file, &RunSettings::from_file(&file)));
        let header = Partial {
            format: first.format.clone(),
            dudsim_version: first.dudsim_version.clone(),
            source_name: first.source_name.clone(),
            scenario_text: first.scenario_text.clone(),
            overrides: first.overrides.clone(),
            seed: first.seed,
            replicates: first.replicates,
            shard: first.shard,
            stats: RunStats::default(),
        };
        Ok(Run {
            dir: dir.to_path_buf(),
            header,
            file,
            expected,
        })
    }

    /// Refuses a shard of a different run. The scenario file is compared
    /// by its text, not by the name it was given (`m.toml`, `./m.toml`).
    fn check_same(&self, dir: &Path, p: &Partial) -> Result<()> {
        let first = &self.header;
        let differs = |what: String| {
            Error::usage(format!(
                "{} and {} are shards of different runs: their {what} differ",
                self.dir.display(),
                dir.display()
            ))
        };
        if p.scenario_text != first.scenario_text {
            return Err(differs("scenario files".to_string()));
        }
        if p.overrides != first.overrides {
            return Err(differs("--set overrides".to_string()));
        }
        if p.seed != first.seed {
            return Err(differs(format!("seeds ({} and {})", first.seed, p.seed)));
        }
        if p.replicates != first.replicates {
            return Err(differs(format!(
                "replicate counts ({} and {})",
                first.replicates, p.replicates
            )));
        }
        if p.shard.count != first.shard.count {
            return Err(differs(format!(
                "shard counts ({} and {})",
                first.shard.count, p.shard.count
            )));
        }
        if p.dudsim_version != first.dudsim_version {
            return Err(differs("dudsim versions".to_string()));
        }
        Ok(())
    }
}

/// Merges the partial results of every shard of one run, refusing shards of
/// different runs, a shard given twice, an incomplete set, and statistics
/// that are not what the shard's scenario file and replicates can give.
/// Shards are read and merged one at a time.
pub fn merge(dirs: &[PathBuf]) -> Result<(ScenarioFile, RunSettings, RunStats)> {
    if dirs.is_empty() {
        return Err(Error::usage(
            "merge needs the output directories of the shards",
        ));
    }
    let mut run: Option<Run> = None;
    let mut seen: BTreeMap<u64, &PathBuf> = BTreeMap::new();
    let mut stats = RunStats::default();
    for dir in dirs {
        let partial = Partial::load(dir)?;
        let path = dir.join(PARTIAL_FILE);
        let run = match &mut run {
            Some(run) => {
                run.check_same(dir, &partial)?;
                run
            }
            None => run.insert(Run::new(dir, &partial)?),
        };
        let shard = partial.shard;
        if let Some(other) = seen.insert(shard.index, dir) {
            return Err(Error::usage(format!(
                "shard {}/{} is given twice ({} and {})",
                shard.index,
                shard.count,
                other.display(),
                dir.display()
            )));
        }
        let range = shard.range(partial.replicates);
        let names: Vec<&str> = run.file.scenarios.iter().map(|s| s.name.as_str()).collect();
        partial
            .stats
            .check(range.end - range.start, &run.expected, &names)
            .map_err(|e| {
                Error::usage(format!(
                    "{}: corrupt or edited statistics for shard {}/{}: {e}",
                    path.display(),
                    shard.index,
                    shard.count
                ))
            })?;
        if stats.scenarios.is_empty() {
            stats = run.expected.clone();
        }
        stats.try_merge(&partial.stats).map_err(|e| {
            Error::usage(format!(
                "{}: statistics too large to merge with the shards before it ({e})",
                path.display()
            ))
        })?;
    }
    let run = run.expect("at least one shard was read");
    let count = run.header.shard.count;
    let missing = count - seen.len() as u64;
    if missing > 0 {
        let mut examples: Vec<String> = (1..=count)
            .filter(|i| !seen.contains_key(i))
            .take(MISSING_EXAMPLES)
            .map(|i| format!("{i}/{count}"))
            .collect();
        let message = if missing > MISSING_EXAMPLES as u64 {
            examples.push("...".to_string());
            format!(
                "shards missing from the merge: {missing} of {count}, e.g. {}",
                examples.join(", ")
            )
        } else {
            format!(
                "shards missing from the merge: {} ({missing} of {count})",
                examples.join(", ")
            )
        };
        return Err(Error::usage(message));
    }
    let settings = run.header.run_settings(&run.file)?;
    Ok((run.file, settings, stats))
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
        for bad in [
            "0/4",
            "5/4",
            "3",
            "a/b",
            "1/0",
            "",
            "1/1000001",
            "1/18446744073709551615",
        ] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }
}
