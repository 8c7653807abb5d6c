//! Statistics: streaming, exactly mergeable summaries of what the replicates
//! report, with memory bounded independently of the number of replicates.
//!
//! The engine hands every replicate's [`ReplicateOutcome`] to a
//! [`RunStats`] (which implements the engine's [`Tally`]); runs over
//! disjoint replicate ranges merge into exactly the statistics of one run
//! over both.

pub mod accumulator;
pub mod grid;
pub mod histogram;
pub mod map;
pub mod summary;

use serde::{Deserialize, Serialize};

pub use accumulator::{Accumulator, Batch, Summary};
pub use grid::{CellAreas, GridStats};
pub use histogram::Overflow;
pub use map::MapStats;
pub use summary::{RunSummary, SUMMARY_SCHEMA_VERSION, ScenarioSummary, StepSummary};

use crate::engine::{Engine, MapOutcome, ReplicateOutcome, SpatialOutcome, StepOutcome, Tally};

/// Accumulators for the quantities of one aftermath step.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepStats {
    pub live: Accumulator,
    pub cleared: Accumulator,
    pub encounters: Accumulator,
    pub casualties: Accumulator,
}

impl StepStats {
    /// Records one step of a batch of replicates: one pass reads each
    /// replicate's step once, for all four quantities.
    fn record<'a>(&mut self, steps: impl Iterator<Item = &'a StepOutcome>) {
        let mut batches = [Batch::default(); 4];
        for step in steps {
            self.live.record_in(&mut batches[0], step.live);
            self.cleared.record_in(&mut batches[1], step.cleared);
            self.encounters.record_in(&mut batches[2], step.encounters);
            self.casualties.record_in(&mut batches[3], step.casualties);
        }
        self.live.absorb(&batches[0]);
        self.cleared.absorb(&batches[1]);
        self.encounters.absorb(&batches[2]);
        self.casualties.absorb(&batches[3]);
    }
}

/// Accumulators for one scenario.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScenarioStats {
    pub submunitions: Accumulator,
    pub unexploded: Accumulator,
    pub timeline: Vec<StepStats>,
    /// Per-cell statistics, for scenarios with an area.
    pub grid: Option<GridStats>,
    /// The aftermath on the map, for scenarios with exposure, clearance
    /// teams or maps of live UXO.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub map: Option<MapStats>,
}

impl ScenarioStats {
    /// Empty statistics for a scenario with `steps` aftermath steps and,
    /// with an area, a grid of cells of the given areas.
    pub fn new(steps: usize, grid: Option<CellAreas>) -> Self {
        ScenarioStats {
            timeline: vec![StepStats::default(); steps],
            grid: grid.map(GridStats::new),
            ..Default::default()
        }
    }

    /// Adds one replicate.
    pub fn record(&mut self, outcome: &ReplicateOutcome) {
        self.record_all(std::slice::from_ref(outcome));
    }

    /// Adds several replicates. Each quantity takes all of them in turn,
    /// so that its accumulator stays in cache: recording replicate by
    /// replicate would visit every step's accumulators for each one.
    pub fn record_all(&mut self, outcomes: &[ReplicateOutcome]) {
        self.record_counts(outcomes);
        if let Some(grid) = &mut self.grid {
            for spatial in outcomes.iter().filter_map(|o| o.spatial.as_ref()) {
                grid.record(spatial);
            }
        }
    }

    /// Adds the counts of several replicates, all but where the UXO lie
    /// (which the engine records replicate by replicate, so as to keep a
    /// single grid buffer per worker). Statistics with a shorter timeline
    /// than the replicates' keep its last steps: a sweep keeps only the
    /// horizon.
    pub fn record_counts(&mut self, outcomes: &[ReplicateOutcome]) {
        self.record_strikes(outcomes);
        let offset = outcomes
            .first()
            .map_or(0, |o| o.timeline.len().saturating_sub(self.timeline.len()));
        for (t, stats) in (offset..).zip(self.timeline.iter_mut()) {
            stats.record(outcomes.iter().map(|o| &o.timeline[t]));
        }
    }

    /// Records what the strikes of a batch of replicates left (everything
    /// but their timelines).
    pub fn record_strikes(&mut self, outcomes: &[ReplicateOutcome]) {
        self.submunitions
            .record_all(outcomes.iter().map(|o| o.submunitions));
        self.unexploded
            .record_all(outcomes.iter().map(|o| o.unexploded));
    }

    /// Records step `t` (0-based) of `steps` of a batch of replicates.
    pub fn record_step(&mut self, t: usize, steps: usize, values: &[StepOutcome]) {
        // Statistics of the horizon only hold the last steps.
        let Some(index) = (t + self.timeline.len()).checked_sub(steps) else {
            return;
        };
        if let Some(stats) = self.timeline.get_mut(index) {
            stats.record(values.iter());
        }
    }

    /// Adds another run's statistics of the same scenario; `Err` if a sum
    /// would overflow (see [`Accumulator::try_merge`]).
    pub fn try_merge(&mut self, other: &ScenarioStats) -> Result<(), Overflow> {
        self.submunitions.try_merge(&other.submunitions)?;
        self.unexploded.try_merge(&other.unexploded)?;
        for (mine, theirs) in self.timeline.iter_mut().zip(&other.timeline) {
            mine.live.try_merge(&theirs.live)?;
            mine.cleared.try_merge(&theirs.cleared)?;
            mine.encounters.try_merge(&theirs.encounters)?;
            mine.casualties.try_merge(&theirs.casualties)?;
        }
        if let (Some(mine), Some(theirs)) = (&mut self.grid, &other.grid) {
            mine.try_merge(theirs)?;
        }
        if let (Some(mine), Some(theirs)) = (&mut self.map, &other.map) {
            mine.try_merge(theirs)?;
        }
        Ok(())
    }

    /// Checks what statistics read from a file claim to be: those of `n`
    /// replicates of a scenario with the shape of `expected` (its steps and
    /// grid), every quantity recorded once per replicate and consistent.
    pub fn check(&self, n: u64, expected: &ScenarioStats) -> Result<(), String> {
        if self.timeline.len() != expected.timeline.len() {
            return Err(format!(
                "{} steps, where the scenario file has {} steps",
                self.timeline.len(),
                expected.timeline.len()
            ));
        }
        self.submunitions
            .check(n)
            .map_err(|e| format!("submunitions: {e}"))?;
        self.unexploded
            .check(n)
            .map_err(|e| format!("unexploded: {e}"))?;
        for (t, step) in self.timeline.iter().enumerate() {
            for (name, acc) in [
                ("live", &step.live),
                ("cleared", &step.cleared),
                ("encounters", &step.encounters),
                ("casualties", &step.casualties),
            ] {
                acc.check(n)
                    .map_err(|e| format!("step {}, {name}: {e}", t + 1))?;
            }
        }
        match (&self.grid, &expected.grid) {
            (None, None) => Ok(()),
            (Some(grid), Some(expected)) => {
                grid.check(n, &expected.areas)
                    .map_err(|e| format!("map: {e}"))?;
                // Every UXO lies in a cell or outside the area.
                if grid.uxo_in_area() + grid.outside.sum() != self.unexploded.sum() {
                    return Err(
                        "map: the UXO in the cells and outside the area do not add up to the \
                         unexploded submunitions"
                            .to_string(),
                    );
                }
                Ok(())
            }
            (Some(_), None) => Err("a map, where the scenario file has no area".to_string()),
            (None, Some(_)) => Err("no map, where the scenario file has an area".to_string()),
        }?;
        match (&self.map, &expected.map) {
            (None, None) => Ok(()),
            (Some(map), Some(expected)) => map.check(n, expected).map_err(|e| format!("map: {e}")),
            _ => Err("aftermath on the map unlike the scenario file's".to_string()),
        }
    }

    /// Statistics at the horizon (the last step), if there is an aftermath.
    pub fn horizon(&self) -> Option<&StepStats> {
        self.timeline.last()
    }
}

/// Accumulators for every scenario of a run.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunStats {
    /// One per scenario, in file order.
    pub scenarios: Vec<ScenarioStats>,
}

impl RunStats {
    /// Statistics of `engine`'s scenarios with nothing recorded yet.
    pub fn empty(engine: &Engine) -> Self {
        Self::shaped(engine, false)
    }

    /// Like [`RunStats::empty`], keeping of each timeline only the horizon
    /// (the last step): what a sweep reports, at a memory cost that does
    /// not grow with the number of steps.
    pub fn empty_horizon_only(engine: &Engine) -> Self {
        Self::shaped(engine, true)
    }

    fn shaped(engine: &Engine, horizon_only: bool) -> Self {
        RunStats {
            scenarios: engine
                .plans()
                .iter()
                .map(|p| {
                    let steps = if horizon_only {
                        p.steps().min(1)
                    } else {
                        p.steps()
                    };
                    let mut stats = ScenarioStats::new(steps, p.grid().map(CellAreas::of));
                    if p.has_map_aftermath() && !horizon_only {
                        stats.map = p.grid().map(|g| {
                            MapStats::new(g.cells(), p.steps(), p.maps_at(), p.has_teams())
                        });
                    }
                    stats
                })
                .collect(),
        }
    }

    /// Simulates `replicates` of every scenario of `engine` on the current
    /// rayon pool and records them; `progress` is called with the number of
    /// replicates of each finished chunk.
    pub fn collect(
        engine: &Engine,
        replicates: std::ops::Range<u64>,
        progress: &(dyn Fn(u64) + Sync),
    ) -> Self {
        engine.run(replicates, &|| Self::empty(engine), progress)
    }

    /// Adds another run's statistics over the same scenarios.
    ///
    /// # Panics
    ///
    /// If a sum overflows, which statistics of at most 10^9 replicates
    /// recorded in memory cannot do; statistics read from files merge with
    /// [`RunStats::try_merge`].
    pub fn merge(&mut self, other: &RunStats) {
        self.try_merge(other)
            .expect("sums of at most 10^9 replicates fit their integers");
    }

    /// Adds another run's statistics over the same scenarios; `Err`
    /// (leaving `self` partly merged) if a sum would overflow.
    pub fn try_merge(&mut self, other: &RunStats) -> Result<(), Overflow> {
        if self.scenarios.is_empty() {
            self.scenarios = other.scenarios.clone();
            return Ok(());
        }
        for (mine, theirs) in self.scenarios.iter_mut().zip(&other.scenarios) {
            mine.try_merge(theirs)?;
        }
        Ok(())
    }

    /// Checks what statistics read from a file claim to be: those of `n`
    /// replicates of the scenarios of `expected` (empty statistics of the
    /// scenario file), named `names`.
    pub fn check(&self, n: u64, expected: &RunStats, names: &[&str]) -> Result<(), String> {
        if self.scenarios.len() != expected.scenarios.len() {
            return Err(format!(
                "statistics of {} scenarios, where the scenario file has {} scenarios",
                self.scenarios.len(),
                expected.scenarios.len()
            ));
        }
        for (i, (mine, expected)) in self.scenarios.iter().zip(&expected.scenarios).enumerate() {
            mine.check(n, expected).map_err(|e| {
                let name = names.get(i).copied().unwrap_or("?");
                format!("scenario {} (\"{name}\"): {e}", i + 1)
            })?;
        }
        Ok(())
    }

    /// Number of replicates seen.
    pub fn replicates(&self) -> u64 {
        self.scenarios.first().map_or(0, |s| s.unexploded.count())
    }
}

impl Tally for RunStats {
    fn record_counts(&mut self, scenario: usize, outcomes: &[ReplicateOutcome]) {
        self.scenarios[scenario].record_counts(outcomes);
    }

    fn record_strikes(&mut self, scenario: usize, outcomes: &[ReplicateOutcome]) {
        self.scenarios[scenario].record_strikes(outcomes);
    }

    fn record_step(&mut self, scenario: usize, t: usize, steps: usize, values: &[StepOutcome]) {
        self.scenarios[scenario].record_step(t, steps, values);
    }

    fn record_grid(&mut self, scenario: usize, grid: &SpatialOutcome) {
        if let Some(stats) = &mut self.scenarios[scenario].grid {
            stats.record(grid);
        }
    }

    fn record_map(&mut self, scenario: usize, map: &MapOutcome) {
        if let Some(stats) = &mut self.scenarios[scenario].map {
            stats.record_cells(map);
        }
    }

    fn record_map_series(
        &mut self,
        scenario: usize,
        steps: usize,
        released_ha: &[f64],
        residual: &[u64],
    ) {
        if let Some(stats) = &mut self.scenarios[scenario].map {
            stats.record_series(steps, released_ha, residual);
        }
    }

    fn merge(&mut self, other: &Self) {
        RunStats::merge(self, other);
    }
}
