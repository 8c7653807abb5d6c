//! One replicate of one scenario, step by step as the model states it
//! (docs/model.md: strikes, space, aftermath).

use std::collections::HashMap;
use std::sync::Arc;

use rand::Rng;
use rayon::prelude::*;

pub use super::aftermath::AftermathDraws;
use super::aftermath::AftermathPlan;
pub(crate) use super::aftermath::AftermathRun;
pub use super::clearance::TeamDraws;
use super::clearance::{MapPlan, PILOT_REPLICATES};
use super::outcome::{ReplicateOutcome, SpatialOutcome, StepOutcome};
use super::posterior::InputPosterior;
use super::sampling::binomial::BinomialTable;
use super::sampling::{self, CountSampler, ProbSampler, beta_binomial_total, binomial};
use super::spatial::{Grid, StrikeGeometry};
use crate::scenario::{Scenario, ScenarioFile};

/// Tags the pilot run's streams apart from the run's own.
const PILOT_STREAM_TAG: u64 = 0x9170_7000_0000_0000;

/// A munition as one scenario uses it, ready to sample.
#[derive(Debug, Clone)]
struct MunitionPlan {
    /// Index in the file's munitions.
    file_index: usize,
    submunitions: u64,
    dud_rate: ProbSampler,
    self_destruct: ProbSampler,
    lot_concentration: Option<f64>,
}

/// A strike, ready to sample.
#[derive(Debug, Clone)]
struct StrikePlan {
    /// Index into the scenario's `munitions`.
    munition: usize,
    carriers: CountSampler,
}

/// Where a scenario's duds land, for scenarios with an area.
#[derive(Debug, Clone)]
struct SpatialPlan {
    grid: Grid,
    /// One per strike, in strike order.
    strikes: Vec<StrikeGeometry>,
}

/// How a replicate's duds are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DudSampling {
    /// One binomial per munition where the model has a closed form, per
    /// carrier otherwise. What a run uses.
    Fastest,
    /// Always carrier by carrier (with lot variation, the literal Beta then
    /// Binomial per carrier): slower, and only for checking that the closed
    /// form and the beta-binomial totals draw from the same distribution.
    PerCarrier,
}

/// A scenario compiled for sampling.
#[derive(Debug, Clone)]
pub struct ScenarioPlan {
    munitions: Vec<MunitionPlan>,
    strikes: Vec<StrikePlan>,
    aftermath: Option<AftermathPlan>,
    spatial: Option<SpatialPlan>,
    /// The aftermath on the map, for scenarios with exposure, teams or
    /// maps of live UXO.
    map: Option<MapPlan>,
    dud_sampling: DudSampling,
    posterior: Option<Arc<InputPosterior>>,
}

/// The uncertain inputs of one replicate, drawn once per replicate.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct InputDraws {
    /// Conflict-wide dud rate of each munition of the scenario.
    pub dud_rates: Vec<f64>,
    /// Probability that a dud's self-destruct works, per munition.
    pub self_destruct: Vec<f64>,
    /// Carriers fired by each strike.
    pub carriers: Vec<u64>,
    /// The aftermath's rates, if the scenario has an aftermath.
    pub aftermath: Option<AftermathDraws>,
    /// The clearance teams' capacity and detection, if teams search.
    pub teams: Option<TeamDraws>,
}

/// One uncertain input of a scenario, as a place in [`InputDraws`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// The dud rate of the scenario's `m`-th munition.
    DudRate(usize),
    /// The self-destruct probability of the scenario's `m`-th munition.
    SelfDestruct(usize),
    /// The carrier count of the `k`-th strike.
    Carriers(usize),
    /// When clearance starts.
    ClearanceStart,
    /// When clearance ends.
    ClearanceEnd,
    /// The clearance rate.
    ClearanceRate,
    /// The encounter rate at the time of the strikes.
    EncounterRate,
    /// The half-life of the falling encounter hazard.
    EncounterHalfLife,
    /// The share of the encounter hazard that never falls.
    EncounterFloor,
    /// The degradation rate.
    DegradationRate,
    /// The teams' capacity, in hectares per rate unit.
    TeamCapacity,
    /// The teams' detection probability.
    TeamDetection,
}

impl InputDraws {
    /// The value one input took (carriers as a number; an aftermath or
    /// team input of a scenario without one is NaN).
    pub fn value(&self, input: Input) -> f64 {
        let aftermath = |f: fn(&AftermathDraws) -> f64| self.aftermath.as_ref().map_or(f64::NAN, f);
        match input {
            Input::DudRate(m) => self.dud_rates[m],
            Input::SelfDestruct(m) => self.self_destruct[m],
            Input::Carriers(k) => self.carriers[k] as f64,
            Input::ClearanceStart => aftermath(|a| a.clearance_start),
            Input::ClearanceEnd => aftermath(|a| a.clearance_end),
            Input::ClearanceRate => aftermath(|a| a.clearance_rate),
            Input::EncounterRate => aftermath(|a| a.encounter_rate),
            Input::EncounterHalfLife => aftermath(|a| a.encounter_half_life),
            Input::EncounterFloor => aftermath(|a| a.encounter_floor),
            Input::DegradationRate => aftermath(|a| a.degradation_rate),
            Input::TeamCapacity => self.teams.as_ref().map_or(f64::NAN, |t| t.capacity_ha),
            Input::TeamDetection => self.teams.as_ref().map_or(f64::NAN, |t| t.detection),
        }
    }

    /// Copies one input's value from `other`.
    pub fn copy_input(&mut self, input: Input, other: &InputDraws) {
        match input {
            Input::DudRate(m) => self.dud_rates[m] = other.dud_rates[m],
            Input::SelfDestruct(m) => self.self_destruct[m] = other.self_destruct[m],
            Input::Carriers(k) => self.carriers[k] = other.carriers[k],
            Input::TeamCapacity | Input::TeamDetection => {
                if let (Some(mine), Some(theirs)) = (self.teams.as_mut(), other.teams.as_ref()) {
                    match input {
                        Input::TeamCapacity => mine.capacity_ha = theirs.capacity_ha,
                        _ => mine.detection = theirs.detection,
                    }
                }
            }
            _ => {
                let (Some(mine), Some(theirs)) =
                    (self.aftermath.as_mut(), other.aftermath.as_ref())
                else {
                    return;
                };
                match input {
                    Input::ClearanceStart => mine.clearance_start = theirs.clearance_start,
                    Input::ClearanceEnd => mine.clearance_end = theirs.clearance_end,
                    Input::ClearanceRate => mine.clearance_rate = theirs.clearance_rate,
                    Input::EncounterRate => mine.encounter_rate = theirs.encounter_rate,
                    Input::EncounterHalfLife => {
                        mine.encounter_half_life = theirs.encounter_half_life
                    }
                    Input::EncounterFloor => mine.encounter_floor = theirs.encounter_floor,
                    _ => mine.degradation_rate = theirs.degradation_rate,
                }
            }
        }
    }
}

impl ScenarioPlan {
    /// Compiles `scenario` of `file`; `steps` is the aftermath horizon.
    pub fn new(file: &ScenarioFile, scenario: &Scenario) -> Self {
        // The scenario's munitions in order of first use, and the local
        // index of each file munition (a map: scenarios may fire thousands).
        let mut used: Vec<usize> = Vec::new();
        let mut local_of: HashMap<usize, usize> = HashMap::new();
        let strikes = scenario
            .strikes
            .iter()
            .map(|strike| {
                let local = *local_of.entry(strike.munition).or_insert_with(|| {
                    used.push(strike.munition);
                    used.len() - 1
                });
                StrikePlan {
                    munition: local,
                    carriers: CountSampler::new(&strike.carriers),
                }
            })
            .collect();
        let munitions = used
            .iter()
            .map(|&file_index| {
                let m = &file.munitions[file_index];
                MunitionPlan {
                    file_index,
                    submunitions: m.submunitions,
                    dud_rate: ProbSampler::new(&m.dud_rate),
                    self_destruct: ProbSampler::new(&m.self_destruct),
                    lot_concentration: m.lot_concentration,
                }
            })
            .collect();
        let steps = file.simulation.steps as usize;
        let aftermath = scenario
            .aftermath
            .as_ref()
            .filter(|_| steps > 0)
            .map(|a| AftermathPlan::new(a, steps));
        let map = match (&scenario.spatial, &aftermath) {
            (Some(spatial), Some(a)) => MapPlan::new(
                spatial,
                &Grid::new(&spatial.area),
                &file.simulation.maps_at,
                a.casualties_per_encounter.clone(),
            ),
            _ => None,
        };
        let spatial = scenario.spatial.as_ref().map(|spatial| SpatialPlan {
            grid: Grid::new(&spatial.area),
            strikes: spatial
                .strikes
                .iter()
                .map(|p| StrikeGeometry::new(p.target, p.cep_m, p.footprint_radius_m))
                .collect(),
        });
        ScenarioPlan {
            munitions,
            strikes,
            aftermath,
            spatial,
            map,
            dud_sampling: DudSampling::Fastest,
            posterior: None,
        }
    }

    /// The same plan drawing the inputs of `posterior` jointly from its
    /// weighted sample instead of their priors.
    pub(crate) fn with_posterior(mut self, posterior: Arc<InputPosterior>) -> Self {
        self.posterior = Some(posterior);
        self
    }

    /// Readies the plan to run with `seed` as scenario number `scenario`:
    /// clearance teams whose order ranks cells by expected UXO get it from
    /// a pilot run of the strikes, on streams of their own derived from the
    /// seed, so that every run with that seed searches in the same order.
    pub fn prepare(&mut self, seed: u64, scenario: u64) {
        let needs_pilot = self.map.as_ref().is_some_and(MapPlan::needs_pilot);
        let Some(cells) = self.grid().map(Grid::cells).filter(|_| needs_pilot) else {
            return;
        };
        let pilot_seed = seed ^ PILOT_STREAM_TAG;
        let sums = (0..PILOT_REPLICATES)
            .into_par_iter()
            .fold(
                || {
                    (
                        vec![0u64; cells],
                        InputDraws::default(),
                        ReplicateOutcome::default(),
                    )
                },
                |(mut sums, mut inputs, mut out), r| {
                    let mut rng = super::rng::stream(pilot_seed, r, scenario);
                    self.draw_inputs(&mut rng, &mut inputs);
                    self.simulate_strikes(&inputs, &mut rng, &mut out);
                    if let Some(grid) = &out.spatial {
                        for &c in grid.touched() {
                            sums[c as usize] += u64::from(grid.counts[c as usize]);
                        }
                    }
                    (sums, inputs, out)
                },
            )
            .map(|(sums, _, _)| sums)
            .reduce(
                || vec![0u64; cells],
                |mut a, b| {
                    a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
                    a
                },
            );
        if let Some(map) = &mut self.map {
            map.set_order(&sums);
        }
    }

    /// The cells the teams search, in their order (empty without teams).
    pub fn search_order(&self) -> &[u32] {
        self.map.as_ref().map_or(&[], MapPlan::order)
    }

    /// Steps at which live UXO are mapped (empty without a map aftermath).
    pub fn maps_at(&self) -> &[u32] {
        self.map.as_ref().map_or(&[], MapPlan::maps_at)
    }

    /// Whether teams search the map.
    pub fn has_teams(&self) -> bool {
        self.map.as_ref().is_some_and(|m| m.teams().is_some())
    }

    /// Whether the aftermath runs on the map (exposure, teams or maps of
    /// live UXO).
    pub fn has_map_aftermath(&self) -> bool {
        self.map.is_some()
    }

    /// The same plan drawing its duds the given way.
    pub fn with_dud_sampling(mut self, dud_sampling: DudSampling) -> Self {
        self.dud_sampling = dud_sampling;
        self
    }

    /// Number of munitions the scenario fires (each with its own dud rate).
    pub fn munition_count(&self) -> usize {
        self.munitions.len()
    }

    /// Number of strikes.
    pub fn strike_count(&self) -> usize {
        self.strikes.len()
    }

    /// Number of aftermath steps each replicate reports.
    pub fn steps(&self) -> usize {
        self.aftermath.as_ref().map_or(0, |a| a.steps)
    }

    /// The grid of a scenario with an area.
    pub fn grid(&self) -> Option<&Grid> {
        self.spatial.as_ref().map(|s| &s.grid)
    }

    /// Simulates one replicate into `out`, reusing its allocation: first
    /// the uncertain inputs, then everything that follows from them.
    pub fn simulate<R: Rng + ?Sized>(&self, rng: &mut R, out: &mut ReplicateOutcome) {
        self.simulate_before_aftermath(None, rng, out);
        self.finish_aftermath(rng, out);
    }

    /// Draws the inputs of one replicate (docs/model.md, "Inputs and their
    /// distributions"): each munition's dud rate and self-destruct
    /// probability, each strike's carrier count, the aftermath's rates.
    pub fn draw_inputs<R: Rng + ?Sized>(&self, rng: &mut R, inputs: &mut InputDraws) {
        self.draw_inputs_given(rng, inputs, &[], &[]);
    }

    /// Draws the inputs of one replicate like [`ScenarioPlan::draw_inputs`],
    /// except `given[i]`, which takes the value `values[i]` and consumes no
    /// randomness: the other inputs are drawn exactly as if those were fixed
    /// numbers in the scenario file (a count given as a value is rounded to
    /// the nearest whole number).
    pub fn draw_inputs_given<R: Rng + ?Sized>(
        &self,
        rng: &mut R,
        inputs: &mut InputDraws,
        given: &[Input],
        values: &[f64],
    ) {
        debug_assert_eq!(given.len(), values.len());
        let value = |input: Input| given.iter().position(|&g| g == input).map(|i| values[i]);
        inputs.dud_rates.clear();
        inputs.self_destruct.clear();
        for (m, plan) in self.munitions.iter().enumerate() {
            let dud_rate = value(Input::DudRate(m)).unwrap_or_else(|| plan.dud_rate.sample(rng));
            inputs.dud_rates.push(dud_rate);
            let self_destruct =
                value(Input::SelfDestruct(m)).unwrap_or_else(|| plan.self_destruct.sample(rng));
            inputs.self_destruct.push(self_destruct);
        }
        inputs.carriers.clear();
        for (k, strike) in self.strikes.iter().enumerate() {
            let carriers = match value(Input::Carriers(k)) {
                Some(c) => c.round() as u64,
                None => strike.carriers.sample(rng),
            };
            inputs.carriers.push(carriers);
        }
        inputs.aftermath = self.aftermath.as_ref().map(|a| a.draw_given(rng, &value));
        inputs.teams = self.map.as_ref().and_then(|m| m.draw_given(rng, &value));
    }

    /// Simulates one replicate with the inputs `given` set to `values` and
    /// every other input drawn (see [`ScenarioPlan::draw_inputs_given`]).
    pub fn simulate_given<R: Rng + ?Sized>(
        &self,
        given: &[Input],
        values: &[f64],
        rng: &mut R,
        out: &mut ReplicateOutcome,
    ) {
        self.simulate_before_aftermath(Some((given, values)), rng, out);
        self.finish_aftermath(rng, out);
    }

    /// The weighted sample this scenario's inputs are drawn from instead of
    /// their priors, if any (see [`super::Engine::with_posterior`]).
    pub fn posterior(&self) -> Option<&InputPosterior> {
        self.posterior.as_deref()
    }

    /// Simulates one replicate given its inputs: the strikes, where the
    /// duds land, and the aftermath.
    pub fn simulate_with<R: Rng + ?Sized>(
        &self,
        inputs: &InputDraws,
        rng: &mut R,
        out: &mut ReplicateOutcome,
    ) {
        self.simulate_strikes(inputs, rng, out);
        self.simulate_aftermath(inputs, rng, out);
    }

    /// The strikes of one replicate and where their duds land, without the
    /// aftermath.
    fn simulate_strikes<R: Rng + ?Sized>(
        &self,
        inputs: &InputDraws,
        rng: &mut R,
        out: &mut ReplicateOutcome,
    ) {
        // Submunitions fired and duds drawn carrier by carrier, per munition.
        let mut fired = vec![0u64; self.munitions.len()];
        let mut duds = vec![0u64; self.munitions.len()];

        // Carriers and their duds, then where they land (docs/model.md).
        let mut spatial_out = self.spatial.as_ref().map(|plan| {
            let mut grid = out
                .spatial
                .take()
                .filter(|g| g.counts.len() == plan.grid.cells())
                .unwrap_or_else(|| SpatialOutcome::new(plan.grid.cells()));
            grid.clear();
            grid
        });
        let mut unexploded = 0;
        for (k, strike) in self.strikes.iter().enumerate() {
            let m = strike.munition;
            let plan = &self.munitions[m];
            let (dud_rate, self_destruct) = (inputs.dud_rates[m], inputs.self_destruct[m]);
            let carriers = inputs.carriers[k];
            fired[m] += carriers * plan.submunitions;
            if let (Some(spatial), Some(grid_out)) = (&self.spatial, spatial_out.as_mut()) {
                let geometry = &spatial.strikes[k];
                let carrier_live = CarrierLive::new(plan, dud_rate, self_destruct, carriers);
                for _ in 0..carriers {
                    let burst = geometry.burst_point(rng);
                    let live = carrier_live.sample(rng);
                    geometry.scatter(rng, burst, live, &spatial.grid, grid_out);
                    unexploded += live;
                }
            } else if self.per_carrier(plan) {
                duds[m] +=
                    duds_carrier_by_carrier(rng, plan, dud_rate, carriers, self.dud_sampling);
            }
        }
        if self.spatial.is_none() {
            for (m, plan) in self.munitions.iter().enumerate() {
                let (dud_rate, self_destruct) = (inputs.dud_rates[m], inputs.self_destruct[m]);
                unexploded += if self.per_carrier(plan) {
                    // Each dud's self-destruct works independently, so thinning
                    // the total is the same as thinning carrier by carrier.
                    binomial(rng, duds[m], 1.0 - self_destruct)
                } else {
                    // The closed form of docs/model.md: one binomial whatever the count.
                    binomial(rng, fired[m], dud_rate * (1.0 - self_destruct))
                };
            }
        }
        out.spatial = spatial_out;
        out.submunitions = fired.iter().sum();
        out.unexploded = unexploded;
    }

    /// The aftermath of one replicate whose strikes are in `out`.
    fn simulate_aftermath<R: Rng + ?Sized>(
        &self,
        inputs: &InputDraws,
        rng: &mut R,
        out: &mut ReplicateOutcome,
    ) {
        let unexploded = out.unexploded;
        out.timeline.clear();
        match (&self.aftermath, &inputs.aftermath, &self.map, &out.spatial) {
            (Some(aftermath), Some(rates), Some(map), Some(grid)) => {
                let mut map_out = out.map.take().unwrap_or_default();
                map.simulate(
                    rates,
                    inputs.teams.as_ref(),
                    aftermath.step_length,
                    aftermath.steps as u64,
                    rng,
                    grid,
                    &mut out.timeline,
                    &mut map_out,
                );
                out.map = Some(map_out);
            }
            (Some(aftermath), Some(rates), _, _) => {
                aftermath.simulate(rates, rng, unexploded, &mut out.timeline);
            }
            _ => {}
        }
    }

    /// Whether replicates of this plan may step their aftermaths side by
    /// side ([`ScenarioPlan::begin_aftermaths`]): the aftermath does not
    /// run on the map.
    pub(crate) fn steps_together(&self) -> bool {
        self.map.is_none()
    }

    /// The inputs (drawn, except those `given` has values for) and the
    /// strikes of one replicate, leaving the aftermath to
    /// [`ScenarioPlan::finish_aftermath`] or, side by side with others, to
    /// [`ScenarioPlan::begin_aftermaths`]. The inputs are kept in `out`:
    /// `--draws` reads them there.
    pub(crate) fn simulate_before_aftermath<R: Rng + ?Sized>(
        &self,
        given: Option<(&[Input], &[f64])>,
        rng: &mut R,
        out: &mut ReplicateOutcome,
    ) {
        let mut inputs = std::mem::take(&mut out.inputs);
        match given {
            Some((given, values)) => self.draw_inputs_given(rng, &mut inputs, given, values),
            None => self.draw_inputs(rng, &mut inputs),
        }
        self.simulate_strikes(&inputs, rng, out);
        out.inputs = inputs;
        out.timeline.clear();
    }

    /// The aftermath of one replicate whose inputs and strikes are in `out`
    /// ([`ScenarioPlan::simulate_before_aftermath`]), on the stream they
    /// were drawn from.
    pub(crate) fn finish_aftermath<R: Rng + ?Sized>(
        &self,
        rng: &mut R,
        out: &mut ReplicateOutcome,
    ) {
        let inputs = std::mem::take(&mut out.inputs);
        self.simulate_aftermath(&inputs, rng, out);
        out.inputs = inputs;
    }

    /// The aftermath states of replicates whose strikes are in `outcomes`,
    /// before their first step (none without an aftermath).
    pub(crate) fn begin_aftermaths(
        &self,
        outcomes: &[ReplicateOutcome],
        runs: &mut Vec<AftermathRun>,
    ) {
        debug_assert!(self.steps_together());
        runs.clear();
        let Some(aftermath) = &self.aftermath else {
            return;
        };
        runs.extend(outcomes.iter().map(|out| {
            let draws = out
                .inputs
                .aftermath
                .as_ref()
                .expect("aftermath inputs drawn");
            aftermath.begin(draws, out.unexploded)
        }));
    }

    /// Step `t` (0-based) of each replicate begun by
    /// [`ScenarioPlan::begin_aftermaths`], on its own stream in `rngs`,
    /// into `step`: replicate j makes the draws [`ScenarioPlan::simulate`]
    /// makes, in the same order on the same stream, so the numbers are
    /// the same.
    pub(crate) fn step_aftermaths<R: Rng>(
        &self,
        t: usize,
        runs: &mut [AftermathRun],
        rngs: &mut [R],
        step: &mut Vec<StepOutcome>,
    ) {
        step.clear();
        if let Some(aftermath) = &self.aftermath {
            step.extend(
                runs.iter_mut()
                    .zip(rngs.iter_mut())
                    .map(|(run, rng)| aftermath.step(run, t as u64 + 1, rng)),
            );
        }
    }

    /// The inputs of this scenario that are uncertain (not fixed numbers).
    pub fn uncertain_inputs(&self) -> Vec<Input> {
        let mut inputs = Vec::new();
        for (m, plan) in self.munitions.iter().enumerate() {
            if !plan.dud_rate.is_fixed() {
                inputs.push(Input::DudRate(m));
            }
            if !plan.self_destruct.is_fixed() {
                inputs.push(Input::SelfDestruct(m));
            }
        }
        for (k, strike) in self.strikes.iter().enumerate() {
            if !strike.carriers.is_fixed() {
                inputs.push(Input::Carriers(k));
            }
        }
        if let Some(a) = &self.aftermath {
            for (fixed, input) in [
                (a.clearance_start_is_fixed(), Input::ClearanceStart),
                (a.clearance_end_is_fixed(), Input::ClearanceEnd),
                (a.clearance_rate.is_fixed(), Input::ClearanceRate),
                (a.encounter_rate.is_fixed(), Input::EncounterRate),
                (
                    a.encounter_half_life.as_ref().is_none_or(|h| h.is_fixed()),
                    Input::EncounterHalfLife,
                ),
                (
                    !a.has_half_life() || a.encounter_floor.is_fixed(),
                    Input::EncounterFloor,
                ),
                (a.degradation_rate.is_fixed(), Input::DegradationRate),
            ] {
                if !fixed {
                    inputs.push(input);
                }
            }
        }
        if let Some(teams) = self.map.as_ref().and_then(MapPlan::teams) {
            for (fixed, input) in [
                (teams.capacity_ha.is_fixed(), Input::TeamCapacity),
                (teams.detection.is_fixed(), Input::TeamDetection),
            ] {
                if !fixed {
                    inputs.push(input);
                }
            }
        }
        inputs
    }

    /// The index in the file's munitions of the scenario's `m`-th munition.
    pub fn file_munition(&self, m: usize) -> usize {
        self.munitions[m].file_index
    }

    /// Whether duds are drawn carrier by carrier (outside the spatial model).
    fn per_carrier(&self, plan: &MunitionPlan) -> bool {
        plan.lot_concentration.is_some() || self.dud_sampling == DudSampling::PerCarrier
    }
}

/// The live duds of one carrier (docs/model.md, strikes), for the spatial
/// model, which needs each carrier's count. Without lot variation each
/// submunition is a live dud with probability D·(1 − S), so the count is
/// Binomial(n, D·(1 − S)), drawn from a table when the strike has enough
/// carriers to pay for it; with lot variation it is the Beta-binomial
/// count of duds, thinned by the self-destruct.
enum CarrierLive {
    Rate {
        submunitions: u64,
        live_rate: f64,
    },
    Table(BinomialTable),
    Lot {
        duds: sampling::CarrierDuds,
        self_destruct: f64,
    },
}

impl CarrierLive {
    fn new(plan: &MunitionPlan, dud_rate: f64, self_destruct: f64, carriers: u64) -> Self {
        match plan
            .lot_concentration
            .filter(|_| dud_rate > 0.0 && dud_rate < 1.0)
        {
            Some(k) => CarrierLive::Lot {
                duds: sampling::CarrierDuds::new(
                    plan.submunitions,
                    k * dud_rate,
                    k * (1.0 - dud_rate),
                    carriers,
                ),
                self_destruct,
            },
            None => {
                let live_rate = dud_rate * (1.0 - self_destruct);
                match BinomialTable::for_draws(plan.submunitions, live_rate, carriers) {
                    Some(table) => CarrierLive::Table(table),
                    None => CarrierLive::Rate {
                        submunitions: plan.submunitions,
                        live_rate,
                    },
                }
            }
        }
    }

    #[inline]
    fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> u64 {
        match self {
            CarrierLive::Rate {
                submunitions,
                live_rate,
            } => binomial(rng, *submunitions, *live_rate),
            CarrierLive::Table(table) => table.sample(rng),
            CarrierLive::Lot {
                duds,
                self_destruct,
            } => {
                let duds = duds.sample(rng);
                binomial(rng, duds, 1.0 - self_destruct)
            }
        }
    }
}

/// Duds of `carriers` carriers (docs/model.md, strikes). With lot variation each
/// carrier's count is Beta-binomial(n, κD, κ(1−D)), and a run draws their
/// sum exactly in one go; [`DudSampling::PerCarrier`] keeps the literal
/// `p_i ~ Beta`, `X_i ~ Binomial(n, p_i)` one carrier at a time.
fn duds_carrier_by_carrier<R: Rng + ?Sized>(
    rng: &mut R,
    plan: &MunitionPlan,
    dud_rate: f64,
    carriers: u64,
    dud_sampling: DudSampling,
) -> u64 {
    let lot = plan
        .lot_concentration
        .filter(|_| dud_rate > 0.0 && dud_rate < 1.0);
    if let (Some(k), DudSampling::Fastest) = (lot, dud_sampling) {
        return beta_binomial_total(
            rng,
            plan.submunitions,
            k * dud_rate,
            k * (1.0 - dud_rate),
            carriers,
        );
    }
    let beta = lot.map(|k| {
        rand_distr::Beta::new(k * dud_rate, k * (1.0 - dud_rate)).expect("positive beta parameters")
    });
    let mut duds = 0;
    for _ in 0..carriers {
        let p = match &beta {
            Some(beta) => rand_distr::Distribution::sample(beta, rng),
            None => dud_rate,
        };
        duds += binomial(rng, plan.submunitions, p);
    }
    duds
}
