//! `dudsim sensitivity`: which uncertain input drives the uncertainty of
//! each output.
//!
//! For every scenario, every input given as a distribution (dud rates,
//! self-destruct, carrier counts, aftermath rates) is ranked by its
//! first-order variance-based index: the share of an output's variance
//! that knowing that input alone would remove. The indices are estimated by
//! pick-freeze (see [`estimator`]): each sample draws two independent sets
//! of inputs A and B, runs the model on A, and for each input runs it again
//! on B with that one input taken from A, with fresh randomness every time.
//! What no single input explains is left to interactions between inputs and
//! to chance (which submunitions fail, which duds people meet).

pub mod estimator;

use std::fmt;

use rayon::prelude::*;

use crate::engine::ReplicateOutcome;
use crate::engine::replicate::{Input, InputDraws};
use crate::engine::{CHUNK, ScenarioPlan, rng};
use crate::scenario::ScenarioFile;
use estimator::{Index, PairSums};

/// The outputs whose variance is apportioned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Output {
    /// Unexploded submunitions after the strikes (U₀).
    Unexploded,
    /// Live UXO at the horizon.
    Live,
    /// Cumulative casualties at the horizon.
    Casualties,
}

impl Output {
    /// Every output, in the order of files and tables.
    pub const ALL: [Output; 3] = [Output::Unexploded, Output::Live, Output::Casualties];

    /// What the output is, for people: `Live UXO at month 120`.
    pub fn label(self, file: &ScenarioFile) -> String {
        let (horizon, unit) = (file.simulation.steps, &file.simulation.step_unit);
        match self {
            Output::Unexploded => "Unexploded after the strikes".to_string(),
            Output::Live => format!("Live UXO at {unit} {horizon}"),
            Output::Casualties => format!("Casualties by {unit} {horizon}"),
        }
    }

    /// The name used in files.
    pub fn name(self) -> &'static str {
        match self {
            Output::Unexploded => "unexploded",
            Output::Live => "live",
            Output::Casualties => "casualties",
        }
    }

    fn value(self, outcome: &ReplicateOutcome) -> f64 {
        match self {
            Output::Unexploded => outcome.unexploded as f64,
            Output::Live => outcome.timeline.last().map_or(0.0, |s| s.live as f64),
            Output::Casualties => outcome.timeline.last().map_or(0.0, |s| s.casualties as f64),
        }
    }
}

impl fmt::Display for Output {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One input's first-order index for one output of one scenario.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Importance {
    /// The scenario's name.
    pub scenario: String,
    /// The output whose variance is apportioned.
    pub output: Output,
    /// The input, named by its place in the scenario file.
    pub input: String,
    /// A short name for people: `dud rate (9M55K)`, `encounter rate`.
    pub label: String,
    /// The index with its standard error.
    pub index: Index,
}

/// An output of a scenario that took the same value in every sample
/// whatever the inputs (no duds at all, no encounters): it has no variance
/// to apportion.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Constant {
    /// The scenario's name.
    pub scenario: String,
    /// The output whose variance is apportioned.
    pub output: Output,
    /// The value it takes in every sample.
    pub value: f64,
}

/// The indices of every scenario, ranked within each scenario and output.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Analysis {
    /// Pick-freeze samples per scenario.
    pub samples: u64,
    /// Seed of the pick-freeze streams.
    pub seed: u64,
    /// The indices, ranked within each scenario and output.
    pub rows: Vec<Importance>,
    /// Scenarios without any uncertain input.
    pub certain: Vec<String>,
    /// Outputs of scenarios with uncertain inputs that never varied.
    pub constant: Vec<Constant>,
}

/// The name of an input in the scenario file's terms: `munition.ID.dud_rate`,
/// `scenario.NAME.strikes[0].carriers`, `scenario.NAME.aftermath.encounter_rate`.
pub fn input_name(
    file: &ScenarioFile,
    scenario: usize,
    plan: &ScenarioPlan,
    input: Input,
) -> String {
    let name = &file.scenarios[scenario].name;
    let munition = |m: usize| &file.munitions[plan.file_munition(m)].id;
    match input {
        Input::DudRate(m) => format!("munition.{}.dud_rate", munition(m)),
        Input::SelfDestruct(m) => format!("munition.{}.self_destruct", munition(m)),
        Input::Carriers(k) => format!("scenario.{name}.strikes[{k}].carriers"),
        Input::ClearanceStart => format!("scenario.{name}.aftermath.clearance_start"),
        Input::ClearanceEnd => format!("scenario.{name}.aftermath.clearance_end"),
        Input::ClearanceRate => format!("scenario.{name}.aftermath.clearance_rate"),
        Input::EncounterRate => format!("scenario.{name}.aftermath.encounter_rate"),
        Input::EncounterHalfLife => format!("scenario.{name}.aftermath.encounter_half_life"),
        Input::EncounterFloor => format!("scenario.{name}.aftermath.encounter_floor"),
        Input::DegradationRate => format!("scenario.{name}.aftermath.degradation_rate"),
        Input::TeamCapacity => format!("scenario.{name}.clearance.capacity_ha"),
        Input::TeamDetection => format!("scenario.{name}.clearance.detection"),
    }
}

/// A short name of an input for charts and reports, within its scenario:
/// `dud rate (9M55K)`, `self-destruct (M864)`, `carriers, strike 1`,
/// `clearance start`, `clearance end`, `clearance rate`, `encounter rate`,
/// `encounter half-life`, `encounter floor`, `degradation rate`.
pub fn input_label(
    file: &ScenarioFile,
    scenario: usize,
    plan: &ScenarioPlan,
    input: Input,
) -> String {
    let munition = |m: usize| &file.munitions[plan.file_munition(m)].id;
    match input {
        Input::DudRate(m) => format!("dud rate ({})", munition(m)),
        Input::SelfDestruct(m) => format!("self-destruct ({})", munition(m)),
        Input::Carriers(k) => {
            let strikes = &file.scenarios[scenario].strikes;
            if strikes.len() > 1 {
                let id = strikes.get(k).map_or("?", |s| &file.munition_of(s).id);
                format!("carriers, strike {} ({id})", k + 1)
            } else {
                format!("carriers, strike {}", k + 1)
            }
        }
        Input::ClearanceStart => "clearance start".to_string(),
        Input::ClearanceEnd => "clearance end".to_string(),
        Input::ClearanceRate => "clearance rate".to_string(),
        Input::EncounterHalfLife => "encounter half-life".to_string(),
        Input::EncounterFloor => "encounter floor".to_string(),
        Input::EncounterRate => "encounter rate".to_string(),
        Input::DegradationRate => "degradation rate".to_string(),
        Input::TeamCapacity => "clearance capacity".to_string(),
        Input::TeamDetection => "detection".to_string(),
    }
}

/// Tags separating the streams of the pick-freeze design from each other
/// and from those of `run`.
const STREAM_TAG: u64 = 0x5E45_0000_0000;

/// Analyses every scenario of `file` with `samples` pick-freeze samples
/// each, on the current rayon pool; `progress` is called with the number of
/// samples finished.
pub fn run(
    file: &ScenarioFile,
    seed: u64,
    samples: u64,
    progress: &(dyn Fn(u64) + Sync),
) -> Analysis {
    let mut rows = Vec::new();
    let mut certain = Vec::new();
    let mut constant = Vec::new();
    for (s, scenario) in file.scenarios.iter().enumerate() {
        // Where duds lie does not change how many there are: skip the map,
        // unless the aftermath depends on it (exposure, teams).
        let on_map = scenario
            .spatial()
            .is_some_and(|sp| sp.exposure().is_some() || sp.teams().is_some());
        let model = if on_map {
            scenario.clone()
        } else {
            scenario.without_area()
        };
        let mut plan = ScenarioPlan::new(file, &model);
        plan.prepare(seed, s as u64);
        let inputs = plan.uncertain_inputs();
        if inputs.is_empty() {
            certain.push(scenario.name.clone());
            progress(samples);
            continue;
        }
        let outputs: &[Output] = if plan.steps() > 0 {
            &[Output::Unexploded, Output::Live, Output::Casualties]
        } else {
            &[Output::Unexploded]
        };
        let pairs = pick_freeze(&plan, &inputs, outputs, seed, s as u64, samples, progress);
        for (o, &output) in outputs.iter().enumerate() {
            // All pairs of an output share its centre, the first value.
            let unvarying = pairs[o].iter().all(|p| p.constant().is_some());
            if let Some(value) = pairs[o].first().and_then(PairSums::constant)
                && unvarying
            {
                constant.push(Constant {
                    scenario: scenario.name.clone(),
                    output,
                    value,
                });
                continue;
            }
            let mut ranked: Vec<Importance> = inputs
                .iter()
                .enumerate()
                .filter_map(|(i, &input)| {
                    pairs[o][i].index().map(|index| Importance {
                        scenario: scenario.name.clone(),
                        output,
                        input: input_name(file, s, &plan, input),
                        label: input_label(file, s, &plan, input),
                        index,
                    })
                })
                .collect();
            ranked.sort_by(|a, b| b.index.estimate.total_cmp(&a.index.estimate));
            rows.extend(ranked);
        }
    }
    Analysis {
        samples,
        seed,
        rows,
        certain,
        constant,
    }
}

/// Chunks of samples simulated in parallel between two merges of their
/// sums. Fixed, so that the order of the floating-point sums (chunk by
/// chunk, in sample order) does not depend on the thread count; the sums
/// of a batch are all that is held, whatever the number of samples.
const BATCH_CHUNKS: u64 = 64;

/// Runs the pick-freeze design; returns sums indexed by output, then input.
fn pick_freeze(
    plan: &ScenarioPlan,
    inputs: &[Input],
    outputs: &[Output],
    seed: u64,
    scenario: u64,
    samples: u64,
    progress: &(dyn Fn(u64) + Sync),
) -> Vec<Vec<PairSums>> {
    let tag = |role: u64| STREAM_TAG | (scenario << 16) | role;
    // Every sum is centred on the first sample's outputs, a value close
    // to their mean (the first sample is drawn again with its chunk).
    let mut first = InputDraws::default();
    let mut outcome = ReplicateOutcome::default();
    plan.draw_inputs(&mut rng::stream(seed, 0, tag(0)), &mut first);
    plan.simulate_with(&first, &mut rng::stream(seed, 0, tag(2)), &mut outcome);
    let empty: Vec<PairSums> = outputs
        .iter()
        .flat_map(|output| {
            let centre = output.value(&outcome);
            inputs.iter().map(move |_| PairSums::new(centre))
        })
        .collect();

    let chunk_sums = |chunk: u64| {
        let mut sums = empty.clone();
        let (mut a, mut b, mut mixed) = (
            InputDraws::default(),
            InputDraws::default(),
            InputDraws::default(),
        );
        let (mut base, mut frozen) = (ReplicateOutcome::default(), ReplicateOutcome::default());
        let end = ((chunk + 1) * CHUNK).min(samples);
        for j in chunk * CHUNK..end {
            plan.draw_inputs(&mut rng::stream(seed, j, tag(0)), &mut a);
            plan.draw_inputs(&mut rng::stream(seed, j, tag(1)), &mut b);
            plan.simulate_with(&a, &mut rng::stream(seed, j, tag(2)), &mut base);
            for (i, &input) in inputs.iter().enumerate() {
                mixed.clone_from(&b);
                mixed.copy_input(input, &a);
                let mut noise = rng::stream(seed, j, tag(3 + i as u64));
                plan.simulate_with(&mixed, &mut noise, &mut frozen);
                for (o, output) in outputs.iter().enumerate() {
                    sums[o * inputs.len() + i].push(output.value(&base), output.value(&frozen));
                }
            }
        }
        progress(end - chunk * CHUNK);
        sums
    };

    let mut total = empty.clone();
    let chunks = samples.div_ceil(CHUNK);
    for batch in (0..chunks).step_by(BATCH_CHUNKS as usize) {
        let parts: Vec<Vec<PairSums>> = (batch..(batch + BATCH_CHUNKS).min(chunks))
            .into_par_iter()
            .map(chunk_sums)
            .collect();
        for part in &parts {
            for (sum, chunk) in total.iter_mut().zip(part) {
                sum.merge(chunk);
            }
        }
    }
    total
        .chunks(inputs.len())
        .map(<[PairSums]>::to_vec)
        .collect()
}

impl Analysis {
    /// The rows of one scenario and output, ranked.
    pub fn ranked(&self, scenario: &str, output: Output) -> Vec<&Importance> {
        self.rows
            .iter()
            .filter(|r| r.scenario == scenario && r.output == output)
            .collect()
    }

    /// The outputs of one scenario that never varied, in file order.
    pub fn constant_outputs(&self, scenario: &str) -> Vec<&Constant> {
        self.constant
            .iter()
            .filter(|c| c.scenario == scenario)
            .collect()
    }

    /// The outputs that have at least one ranked input, in file order.
    pub fn outputs(&self) -> Vec<Output> {
        Output::ALL
            .into_iter()
            .filter(|&o| self.rows.iter().any(|r| r.output == o))
            .collect()
    }

    /// The share of one scenario's output variance that no single input
    /// explains: interactions between inputs and chance. One minus the sum
    /// of the indices, where an index below 0 (chance around 0) counts as
    /// 0, floored at 0.
    pub fn unexplained(&self, scenario: &str, output: Output) -> f64 {
        let explained: f64 = self
            .ranked(scenario, output)
            .iter()
            .map(|r| r.index.estimate.max(0.0))
            .sum();
        (1.0 - explained).max(0.0)
    }
}
