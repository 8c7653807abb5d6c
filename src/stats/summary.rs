//! The figures of a run, scenario by scenario and step by step: what
//! `summary.json` holds and every table, chart and page reads.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{RunStats, Summary};
use crate::engine::RunSettings;
use crate::scenario::ScenarioFile;
use crate::scenario::echo::Inputs;

/// The version of the layout of `summary.json`, its `schema_version`. It
/// grows when a field is removed or changes meaning; fields may be added
/// without a new version.
pub const SUMMARY_SCHEMA_VERSION: u32 = 1;

/// The whole of `summary.json`: the figures of a run and the inputs it
/// ran, resolved. Its JSON Schema is `docs/summary.schema.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(title = "dudsim summary.json")]
pub struct RunSummary {
    /// The version of this layout, now 1. It grows when a field is
    /// removed or changes meaning; fields may be added without a new one.
    pub schema_version: u32,
    /// Seed of the run.
    pub seed: u64,
    /// Replicates the figures rest on.
    pub replicates: u64,
    /// One per scenario, in file order.
    pub scenarios: Vec<ScenarioSummary>,
    /// The scenario file's title.
    pub title: String,
    /// What a step is, e.g. "month".
    pub step_unit: String,
    /// The dudsim version that ran it.
    pub dudsim_version: String,
    /// The resolved inputs: every munition with its distributions, every
    /// scenario, the settings, and any `--set` overrides.
    pub inputs: Inputs,
}

/// The figures of one scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ScenarioSummary {
    /// The scenario's name.
    pub name: String,
    /// Submunitions fired.
    pub submunitions: Summary,
    /// Unexploded submunitions left live after the strikes.
    pub unexploded: Summary,
    /// One entry per aftermath step; empty without an aftermath.
    pub timeline: Vec<StepSummary>,
    /// Area of the cells holding at least one UXO, in m², for scenarios with an area.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contaminated_area_m2: Option<Summary>,
    /// UXO that fell outside the area, for scenarios with an area.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uxo_outside_area: Option<Summary>,
    /// Casualties clearance averted by the horizon, against the same
    /// replicate without it (common random numbers), for scenarios whose
    /// aftermath runs on the map.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub casualties_averted: Option<Summary>,
}

/// The figures of one aftermath step; all but `live` are cumulative.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct StepSummary {
    /// The step, from 1.
    pub step: u32,
    /// Live UXO at the end of the step.
    pub live: Summary,
    /// UXO cleared so far.
    pub cleared: Summary,
    /// Encounters so far.
    pub encounters: Summary,
    /// Casualties so far.
    pub casualties: Summary,
    /// Land the teams have searched at least once so far, in hectares,
    /// for scenarios with teams on the map.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub released_ha: Option<Summary>,
    /// Live UXO left in cells the teams have searched, for scenarios with
    /// teams on the map.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub residual_in_searched: Option<Summary>,
}

impl RunSummary {
    /// Summarises the statistics of a run of `file`.
    pub fn new(file: &ScenarioFile, settings: &RunSettings, stats: &RunStats) -> Self {
        RunSummary {
            schema_version: SUMMARY_SCHEMA_VERSION,
            inputs: Inputs::of(file, stats.replicates(), settings.seed()),
            seed: settings.seed(),
            replicates: stats.replicates(),
            title: file.title.clone(),
            step_unit: file.simulation.step_unit.name().to_string(),
            dudsim_version: env!("CARGO_PKG_VERSION").to_string(),
            scenarios: file
                .scenarios
                .iter()
                .zip(&stats.scenarios)
                .map(|(scenario, s)| ScenarioSummary {
                    name: scenario.name.clone(),
                    submunitions: s.submunitions.summary(),
                    unexploded: s.unexploded.summary(),
                    timeline: s
                        .timeline
                        .iter()
                        .enumerate()
                        .map(|(i, step)| {
                            let teams = s.map.as_ref().filter(|m| m.teams);
                            StepSummary {
                                step: i as u32 + 1,
                                live: step.live.summary(),
                                cleared: step.cleared.summary(),
                                encounters: step.encounters.summary(),
                                casualties: step.casualties.summary(),
                                released_ha: teams
                                    .and_then(|m| m.released_m2.get(i))
                                    .map(|a| a.summary().map(|v| v / 10_000.0)),
                                residual_in_searched: teams
                                    .and_then(|m| m.residual.get(i))
                                    .map(|a| a.summary()),
                            }
                        })
                        .collect(),
                    contaminated_area_m2: s.grid.as_ref().map(|g| g.contaminated_area_m2()),
                    uxo_outside_area: s.grid.as_ref().map(|grid| grid.outside.summary()),
                    casualties_averted: s.map.as_ref().map(|m| m.casualties_averted.summary()),
                })
                .collect(),
        }
    }

    /// The aftermath horizon in steps: the longest timeline (0 without any
    /// aftermath).
    pub fn horizon(&self) -> usize {
        self.scenarios
            .iter()
            .map(|s| s.timeline.len())
            .max()
            .unwrap_or(0)
    }

    /// The JSON text, as written to `summary.json` and by `--json`.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect("summaries serialise");
        text.push('\n');
        text
    }

    /// The JSON Schema of `summary.json`, generated from these types: the
    /// text of `docs/summary.schema.json`.
    pub fn json_schema() -> String {
        let schema = schemars::schema_for!(RunSummary);
        let mut text = serde_json::to_string_pretty(&schema).expect("schemas serialise");
        text.push('\n');
        text
    }

    /// Writes the same text as [`RunSummary::to_json`] to `out`, without
    /// holding it in memory whole.
    pub fn write_json<W: std::io::Write + ?Sized>(&self, out: &mut W) -> std::io::Result<()> {
        serde_json::to_writer_pretty(&mut *out, self)?;
        out.write_all(b"\n")
    }
}
