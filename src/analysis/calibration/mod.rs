//! `dudsim calibrate`: what the records of a real conflict say about a
//! scenario's uncertain inputs, and `dudsim run --posterior`: forecasts
//! with what they say.
//!
//! This is the dudsim side of the likelihood-free calibration of
//! [`crate::calibrate`]: every uncertain input of the chosen scenario (the
//! inputs `dudsim sensitivity` ranks, under the same names) is a
//! parameter whose prior is the distribution the scenario file gives it;
//! the counts of a records file are the observations; and the model is one
//! replicate of the scenario with those inputs set to the parameters and
//! every other input and chance event drawn as `dudsim run` draws them.
//! A simulation's value for an observation is the increase of the
//! cumulative casualties, encounters or submunitions cleared over the
//! observation's steps, or the live submunitions left after its last step.

// An `InputError` carries the line at fault, a hint and the further errors
// found: it is large, returned only when input is refused.
#![allow(clippy::result_large_err)]

pub mod examples;

use std::cell::RefCell;

use crate::analysis::budget::{self, WorkEstimate};
use crate::analysis::sensitivity::{input_label, input_name};
use crate::calibrate::{
    self, CalibrateError, GenerationSummary, Observations, ParameterSpace, ParameterSummary,
    ParticleRng, Posterior, PredictiveBand, Prior, Progress, Settings, StopReason,
};
use crate::engine::replicate::Input;
use crate::engine::{InputPosterior, ReplicateOutcome, ScenarioPlan, StepOutcome};
use crate::error::{Error, InputError};
use crate::scenario::{
    CountDist, CountShape, DurationValue, ProbShape, Quantity, Record, Records, ScenarioFile,
};

/// Default number of particles per generation.
pub const DEFAULT_PARTICLES: usize = 2_000;

/// Model runs allowed per particle over a whole fit: the fit stops (and
/// keeps its last complete generation) once it has spent them.
pub const SIMULATIONS_PER_PARTICLE: u64 = 10_000;

/// A generation that accepts fewer than this share of its proposals is
/// abandoned and the fit ends with the one before: the last generations
/// of a fit to counts in the thousands narrow the tolerance by a few
/// percent each, at a cost that doubles from one to the next.
pub const MIN_ACCEPTANCE_RATE: f64 = 0.005;

/// Largest posterior file `dudsim run --posterior` reads: 100,000
/// particles of a few dozen inputs fit well within it.
pub const MAX_POSTERIOR_BYTES: u64 = 64 << 20;

/// The uncertain inputs of one scenario, as parameters with priors.
#[derive(Debug, Clone)]
pub struct Parameters {
    /// Index of the scenario in its file.
    pub scenario: usize,
    /// The scenario compiled for counts (without its area: where duds lie
    /// does not change how many there are).
    pub plan: ScenarioPlan,
    /// The inputs, in the order of the parameters.
    pub inputs: Vec<Input>,
    /// Short names for people: `encounter rate`, `dud rate (M42)`.
    pub labels: Vec<String>,
    /// Each input's distribution as the file writes it, for tables.
    pub priors: Vec<String>,
    /// Names (as in `sensitivity.csv`) and priors.
    pub space: ParameterSpace,
}

impl Parameters {
    /// The uncertain inputs of scenario `scenario` of `file`, or why they
    /// cannot be calibrated.
    pub fn of(file: &ScenarioFile, scenario: usize) -> Result<Parameters, InputError> {
        let s = &file.scenarios[scenario];
        let error = |key: Option<String>, message: String| InputError {
            file: Some(file.source_name.clone()),
            line: None,
            key,
            message,
            ..InputError::default()
        };
        if ScenarioPlan::new(file, s).has_map_aftermath() {
            return Err(error(
                None,
                format!(
                    "the aftermath of scenario \"{}\" runs on the map (exposure, clearance \
                     teams or maps of live UXO), which calibration does not support yet: \
                     calibrate a copy of the scenario without [scenario.exposure], \
                     [scenario.clearance] and [simulation] maps_at",
                    s.name
                ),
            ));
        }
        let plan = ScenarioPlan::new(file, &s.without_area());
        let inputs = plan.uncertain_inputs();
        if inputs.is_empty() {
            return Err(error(
                None,
                format!(
                    "every input of scenario \"{}\" is a fixed number: there is nothing to \
                     calibrate. Give the inputs the records should inform as distributions \
                     (e.g. encounter_rate = {{ uniform = [0.0001, 0.003] }}): those \
                     distributions are the priors",
                    s.name
                ),
            ));
        }
        let mut named = Vec::with_capacity(inputs.len());
        let mut labels = Vec::with_capacity(inputs.len());
        let mut priors = Vec::with_capacity(inputs.len());
        for &input in &inputs {
            let name = input_name(file, scenario, &plan, input);
            let (prior, written) = prior_of(file, scenario, &plan, input)
                .map_err(|e| error(Some(name.clone()), format!("as a prior: {e}")))?;
            labels.push(input_label(file, scenario, &plan, input));
            priors.push(written);
            named.push((name, prior));
        }
        let space = ParameterSpace::new(named).map_err(|e| {
            error(
                None,
                format!(
                    "{e}; the inputs of scenario \"{}\" name the columns of posterior.csv, so \
                     scenario names and munition ids must be free of commas and quotes",
                    s.name
                ),
            )
        })?;
        Ok(Parameters {
            scenario,
            plan,
            inputs,
            labels,
            priors,
            space,
        })
    }

    /// The parameter names, as in `sensitivity.csv`.
    pub fn names(&self) -> &[String] {
        self.space.names()
    }
}

/// The prior of one uncertain input, and its distribution as written.
fn prior_of(
    file: &ScenarioFile,
    scenario: usize,
    plan: &ScenarioPlan,
    input: Input,
) -> Result<(Prior, String), String> {
    let s = &file.scenarios[scenario];
    let aftermath = || {
        s.aftermath
            .as_ref()
            .ok_or_else(|| "the scenario has no aftermath".to_string())
    };
    let munition = |m: usize| &file.munitions[plan.file_munition(m)];
    let (prior, written) = match input {
        Input::DudRate(m) => probability(munition(m).dud_rate.shape()),
        Input::SelfDestruct(m) => probability(munition(m).self_destruct.shape()),
        Input::Carriers(k) => count(&s.strikes[k].carriers),
        Input::ClearanceRate => probability(aftermath()?.clearance_rate.shape()),
        Input::EncounterRate => probability(aftermath()?.encounter_rate.shape()),
        Input::EncounterFloor => probability(aftermath()?.encounter_floor.shape()),
        Input::DegradationRate => probability(aftermath()?.degradation_rate.shape()),
        Input::EncounterHalfLife => {
            let half_life = aftermath()?
                .encounter_half_life
                .ok_or_else(|| "the scenario has no encounter half-life".to_string())?;
            let (prior, _) = probability(half_life.shape());
            (prior, half_life.to_string())
        }
        Input::TeamCapacity | Input::TeamDetection => {
            return Err("clearance teams on the map cannot be calibrated".to_string());
        }
        Input::ClearanceStart | Input::ClearanceEnd => {
            let a = aftermath()?;
            let duration = match input {
                Input::ClearanceStart => Some(a.clearance_start),
                _ => a.clearance_end,
            };
            match duration.map(|d| d.value()) {
                Some(DurationValue::Count(c)) => count(&c),
                _ => return Err("a fixed duration is not uncertain".to_string()),
            }
        }
    };
    Ok((prior.map_err(|e| e.to_string())?, written))
}

type PriorAndText = (Result<Prior, CalibrateError>, String);

/// The prior of a probability, rate or positive duration of this shape.
fn probability(shape: ProbShape) -> PriorAndText {
    let prior = match shape {
        ProbShape::Uniform { lo, hi } => Prior::uniform(lo, hi),
        ProbShape::Triangular { min, mode, max } => Prior::triangular(min, mode, max),
        ProbShape::Beta { alpha, beta } => Prior::beta(alpha, beta),
        ProbShape::Fixed(x) => Prior::uniform(x, x),
    };
    let written = match shape {
        ProbShape::Uniform { lo, hi } => format!("uniform {lo} to {hi}"),
        ProbShape::Triangular { min, mode, max } => {
            format!("triangular {min} to {max}, mode {mode}")
        }
        ProbShape::Beta { alpha, beta } => format!("beta({alpha}, {beta})"),
        ProbShape::Fixed(x) => format!("{x}"),
    };
    (prior, written)
}

/// The prior of a count of this distribution.
fn count(dist: &CountDist) -> PriorAndText {
    let whole = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
    let prior = match dist.shape() {
        CountShape::Poisson(mean) => Prior::poisson(mean),
        CountShape::Uniform { lo, hi } => Prior::uniform_integer(whole(lo), whole(hi)),
        CountShape::Fixed(n) => Prior::uniform_integer(whole(n), whole(n)),
    };
    (prior, dist.to_string())
}

/// The value of `record` in one simulated replicate.
fn simulated_value(record: &Record, out: &ReplicateOutcome) -> f64 {
    let (from, to) = record.steps();
    let cumulative = |step: usize, field: fn(&StepOutcome) -> u64| -> u64 {
        if step == 0 {
            0
        } else {
            field(&out.timeline[step - 1])
        }
    };
    let increase = |field: fn(&StepOutcome) -> u64| cumulative(to, field) - cumulative(from, field);
    let value = match record.quantity() {
        Quantity::Casualties => increase(|s| s.casualties),
        Quantity::Encounters => increase(|s| s.encounters),
        Quantity::Cleared => increase(|s| s.cleared),
        Quantity::Live if to == 0 => out.unexploded,
        Quantity::Live => out.timeline[to - 1].live,
    };
    value as f64
}

/// A scenario, its uncertain inputs and the records to fit them to.
#[derive(Debug, Clone)]
pub struct Calibration {
    file: ScenarioFile,
    records: Records,
    parameters: Parameters,
    observations: Observations,
}

/// How a fit runs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FitOptions {
    /// Particles per generation.
    pub particles: usize,
    /// Seed of every random stream of the fit and of the predictive runs.
    pub seed: u64,
    /// Observations left out of the fit, counted from the end of the
    /// records file; each is then checked against its predictive interval.
    pub hold_out: usize,
}

impl FitOptions {
    /// The settings of the likelihood-free fit.
    pub fn settings(&self) -> Settings {
        Settings {
            particles: self.particles,
            seed: self.seed,
            max_simulations: self.particles as u64 * SIMULATIONS_PER_PARTICLE,
            min_acceptance_rate: MIN_ACCEPTANCE_RATE,
            ..Settings::default()
        }
    }
}

/// One input before and after the fit.
#[derive(Debug, Clone, PartialEq)]
pub struct ParameterRow {
    /// Its name, as in `sensitivity.csv` and `posterior.csv`.
    pub name: String,
    /// A short name for people.
    pub label: String,
    /// Its distribution as the scenario file writes it.
    pub prior_written: String,
    /// The prior, read from the fit's first generation (a sample of the
    /// prior, one draw per particle).
    pub prior: ParameterSummary,
    /// The posterior.
    pub posterior: ParameterSummary,
}

impl ParameterRow {
    /// The width of the posterior's 90% interval over the prior's.
    pub fn narrowing(&self) -> f64 {
        (self.posterior.q95 - self.posterior.q05) / (self.prior.q95 - self.prior.q05)
    }
}

/// One observation against the posterior predictive distribution.
#[derive(Debug, Clone, PartialEq)]
pub struct ObservationCheck {
    /// The observation.
    pub record: Record,
    /// Whether it was left out of the fit (`--hold-out`).
    pub held_out: bool,
    /// Quantiles of its simulated value under the posterior.
    pub band: PredictiveBand,
}

impl ObservationCheck {
    /// Whether the observed count lies in the central 90% predictive
    /// interval.
    pub fn in_90(&self) -> bool {
        self.band.contains_90(self.record.count() as f64)
    }
}

/// A finished calibration.
#[derive(Debug, Clone)]
pub struct Calibrated {
    /// The scenario file.
    pub file: ScenarioFile,
    /// The records file.
    pub records: Records,
    /// The scenario's name.
    pub scenario: String,
    /// How the fit ran.
    pub options: FitOptions,
    /// Prior and posterior of every input.
    pub parameters: Vec<ParameterRow>,
    /// The weighted posterior sample, as `posterior.csv` holds it.
    pub posterior: Posterior,
    /// One summary per generation, the prior sample first.
    pub generations: Vec<GenerationSummary>,
    /// Why the fit stopped.
    pub stop: StopReason,
    /// Model runs of the fit.
    pub fit_simulations: u64,
    /// Model runs of the posterior predictive check.
    pub predictive_simulations: u64,
    /// Every observation, fitted or held out, against its predictive band.
    pub observations: Vec<ObservationCheck>,
    /// The final tolerance over √(observations fitted): the
    /// root-mean-square distance, in scale units, within which every
    /// particle's simulation came to the fitted observations.
    pub tolerance_per_observation: f64,
}

impl Calibrated {
    /// Observations fitted (the rest were held out).
    pub fn fitted(&self) -> usize {
        self.observations.iter().filter(|o| !o.held_out).count()
    }

    /// Held-out observations within their 90% predictive interval, and
    /// how many were held out.
    pub fn hold_out_coverage(&self) -> (usize, usize) {
        let held: Vec<_> = self.observations.iter().filter(|o| o.held_out).collect();
        (held.iter().filter(|o| o.in_90()).count(), held.len())
    }
}

/// Runs of the model per particle for the posterior predictive bands: at
/// least 4,000 runs in all.
fn predictive_runs_per_particle(particles: usize) -> usize {
    4_000usize.div_ceil(particles).clamp(1, 100)
}

impl Calibration {
    /// The calibration of `records`' scenario of `file` to `records`.
    pub fn new(file: &ScenarioFile, records: &Records) -> Result<Calibration, Error> {
        let parameters = Parameters::of(file, records.scenario())?;
        let mut observations = Observations::new();
        for r in records.records() {
            observations
                .push(r.label(), r.count() as f64, r.sd())
                .map_err(|e| Error::failure(format!("{}: {e}", records.source_name())))?;
        }
        Ok(Calibration {
            file: file.clone(),
            records: records.clone(),
            parameters,
            observations,
        })
    }

    /// The parameters.
    pub fn parameters(&self) -> &Parameters {
        &self.parameters
    }

    /// Simulates one replicate with the inputs set to `theta` and returns
    /// the value of the first `observations` records.
    pub fn simulate(&self, theta: &[f64], rng: &mut ParticleRng, observations: usize) -> Vec<f64> {
        self.simulate_on(&self.parameters.plan, theta, rng, observations)
    }

    /// [`Calibration::simulate`] with `plan`, the scenario compiled for a
    /// horizon that reaches the last of those observations.
    fn simulate_on(
        &self,
        plan: &ScenarioPlan,
        theta: &[f64],
        rng: &mut ParticleRng,
        observations: usize,
    ) -> Vec<f64> {
        thread_local! {
            // One outcome per thread, reused: a fit runs millions of
            // replicates.
            static OUTCOME: RefCell<ReplicateOutcome> = RefCell::new(ReplicateOutcome::default());
        }
        OUTCOME.with_borrow_mut(|out| {
            plan.simulate_given(&self.parameters.inputs, theta, rng, out);
            self.records.records()[..observations]
                .iter()
                .map(|r| simulated_value(r, out))
                .collect()
        })
    }

    /// The scenario compiled for the shortest horizon that holds the
    /// first `observations` records: simulating further would change
    /// nothing they see (steps are drawn in order, so the steps simulated
    /// are drawn exactly as in the whole horizon).
    fn plan_through(&self, observations: usize) -> ScenarioPlan {
        let last = self.records.records()[..observations]
            .iter()
            .map(|r| r.steps().1)
            .max()
            .unwrap_or(0)
            .max(1);
        let mut file = self.file.clone();
        file.simulation.steps = last as u32;
        let scenario = file.scenarios[self.parameters.scenario].without_area();
        ScenarioPlan::new(&file, &scenario)
    }

    /// The processor time a fit with `options` may take at most.
    pub fn work(&self, options: &FitOptions) -> WorkEstimate {
        let settings = options.settings();
        budget::calibration_work(
            &self.file,
            self.parameters.scenario,
            settings.particles,
            settings.max_simulations,
            settings.max_generations,
            self.parameters.inputs.len(),
        )
    }

    /// Checks the options against the records.
    fn check(&self, options: &FitOptions) -> Result<(), Error> {
        let n = self.records.records().len();
        if options.hold_out >= n {
            return Err(Error::usage(format!(
                "--hold-out {} leaves no observation to fit: {} has {n} observation(s), so at \
                 most {} can be held out",
                options.hold_out,
                self.records.source_name(),
                n.saturating_sub(1)
            )));
        }
        if !(10..=100_000).contains(&options.particles) {
            return Err(Error::usage(format!(
                "--particles must be from 10 to 100000, got {}",
                options.particles
            )));
        }
        Ok(())
    }

    /// Fits the inputs to the records but the last `options.hold_out`,
    /// then checks every observation against the posterior predictive
    /// distribution, on the current rayon pool. `progress` hears of every
    /// round of proposals and every generation.
    ///
    /// A prior that cannot reach the data is bad input (exit status 2),
    /// with the observations the simulations stay farthest from.
    pub fn fit(
        &self,
        options: &FitOptions,
        progress: &mut dyn FnMut(&Progress<'_>),
    ) -> Result<Calibrated, Error> {
        self.check(options)?;
        let n = self.records.records().len();
        let fitted = n - options.hold_out;
        let settings = options.settings();
        let observations = self.observations.head(fitted);
        let fit_plan = self.plan_through(fitted);
        let model =
            |theta: &[f64], rng: &mut ParticleRng| self.simulate_on(&fit_plan, theta, rng, fitted);
        let space = &self.parameters.space;
        let fit = calibrate::calibrate(space, &observations, model, &settings, progress)
            .map_err(|e| self.error(e))?;
        let posterior = Posterior::from_population(space, &fit.population);
        let prior = Posterior::from_population(space, &fit.prior_sample);
        let per_particle = predictive_runs_per_particle(options.particles);
        let plan = self.plan_through(n);
        let everything =
            |theta: &[f64], rng: &mut ParticleRng| self.simulate_on(&plan, theta, rng, n);
        let bands =
            calibrate::posterior_predictive(&posterior, everything, options.seed, per_particle)
                .map_err(|e| self.error(e))?;
        let predictive_simulations =
            posterior.weights().iter().filter(|&&w| w > 0.0).count() as u64 * per_particle as u64;
        let parameters = prior
            .summaries()
            .into_iter()
            .zip(posterior.summaries())
            .enumerate()
            .map(|(i, (prior, post))| ParameterRow {
                name: post.name.clone(),
                label: self.parameters.labels[i].clone(),
                prior_written: self.parameters.priors[i].clone(),
                prior,
                posterior: post,
            })
            .collect();
        let observations = self
            .records
            .records()
            .iter()
            .zip(bands)
            .enumerate()
            .map(|(i, (record, band))| ObservationCheck {
                record: record.clone(),
                held_out: i >= fitted,
                band,
            })
            .collect();
        Ok(Calibrated {
            file: self.file.clone(),
            records: self.records.clone(),
            scenario: self.file.scenarios[self.parameters.scenario].name.clone(),
            options: *options,
            parameters,
            posterior,
            tolerance_per_observation: fit.population.tolerance() / (fitted as f64).sqrt(),
            generations: fit.generations,
            stop: fit.stop,
            fit_simulations: fit.simulations,
            predictive_simulations,
            observations,
        })
    }

    /// A calibration error as dudsim reports it: a prior that cannot reach
    /// the records is the user's to fix (exit status 2).
    fn error(&self, e: CalibrateError) -> Error {
        match e {
            CalibrateError::CannotReachData(_) => Error::usage(format!(
                "{} against {}: {e}",
                self.records.source_name(),
                self.file.source_name
            )),
            CalibrateError::InvalidSettings { .. } => Error::usage(e.to_string()),
            e => Error::failure(format!("calibration failed: {e}")),
        }
    }
}

/// The posterior of `text` (a `posterior.csv` named `source_name`) for
/// every scenario of `file` whose uncertain inputs are exactly its
/// columns, in file order; an error when no scenario's are, or when a
/// value lies outside its prior.
pub fn read_posterior(
    file: &ScenarioFile,
    source_name: &str,
    text: &str,
) -> Result<Vec<(usize, InputPosterior)>, InputError> {
    let error = |line: usize, key: Option<String>, message: String| InputError {
        file: Some(source_name.to_string()),
        line: Some(line),
        key,
        message,
        ..InputError::default()
    };
    let header = text
        .strip_prefix('\u{feff}')
        .unwrap_or(text)
        .lines()
        .next()
        .unwrap_or("");
    let mut columns: Vec<&str> = header.split(',').map(str::trim).skip(1).collect();
    columns.sort_unstable();
    let mut matched = Vec::new();
    let mut expected = Vec::new();
    for s in 0..file.scenarios.len() {
        let Ok(parameters) = Parameters::of(file, s) else {
            continue;
        };
        let mut names: Vec<&str> = parameters.names().iter().map(String::as_str).collect();
        names.sort_unstable();
        if names == columns {
            matched.push(parameters);
        } else {
            expected.push(format!(
                "\"{}\": weight,{}",
                file.scenarios[s].name,
                parameters.names().join(",")
            ));
        }
    }
    if matched.is_empty() {
        let hint = if expected.is_empty() {
            format!(
                "no scenario of {} has an uncertain input to draw from it",
                file.source_name
            )
        } else {
            format!(
                "the scenarios of {} with uncertain inputs expect {}",
                file.source_name,
                expected.join("; ")
            )
        };
        return Err(error(
            1,
            None,
            format!(
                "its columns are not the uncertain inputs of any scenario of {} (was it written \
                 by `dudsim calibrate` for this scenario file?): {hint}",
                file.source_name
            ),
        ));
    }
    matched
        .into_iter()
        .map(|p| {
            let posterior = Posterior::from_csv(text, &p.space)
                .map_err(|e| error(e.line, e.column.clone(), e.message.clone()))?;
            Ok((p.scenario, InputPosterior::new(p.inputs, posterior)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> ScenarioFile {
        ScenarioFile::parse("s.toml", text).unwrap()
    }

    const SCENARIO: &str = "[simulation]\nsteps = 12\n\
        [[munition]]\nid = \"X\"\nsubmunitions = 100\ndud_rate = { uniform = [0.1, 0.3] }\n\
        [[scenario]]\nname = \"S\"\nstrikes = [ { munition = \"X\", carriers = { poisson = 40 } } ]\n\
        [scenario.aftermath]\nclearance_start = { uniform = [0, 6] }\nclearance_rate = 0.05\n\
        encounter_rate = { beta = [2, 200] }\nencounter_half_life = { triangular = [1, 2, 6] }\n\
        encounter_floor = { uniform = [0, 0.2] }\n";

    #[test]
    fn every_uncertain_input_is_a_parameter_with_its_prior() {
        let f = file(SCENARIO);
        let p = Parameters::of(&f, 0).unwrap();
        assert_eq!(
            p.names(),
            [
                "munition.X.dud_rate",
                "scenario.S.strikes[0].carriers",
                "scenario.S.aftermath.clearance_start",
                "scenario.S.aftermath.encounter_rate",
                "scenario.S.aftermath.encounter_half_life",
                "scenario.S.aftermath.encounter_floor",
            ]
        );
        let priors: Vec<String> = p.space.priors().iter().map(|p| p.to_string()).collect();
        assert_eq!(
            priors,
            [
                "uniform(0.1, 0.3)",
                "poisson(40)",
                "uniform integer(0..=6)",
                "beta(2, 200)",
                "triangular(1, 2, 6)",
                "uniform(0, 0.2)",
            ]
        );
    }

    #[test]
    fn a_scenario_without_uncertain_inputs_is_refused() {
        let f = file(
            "[[munition]]\nid = \"X\"\nsubmunitions = 10\ndud_rate = 0.1\n\
             [[scenario]]\nname = \"S\"\nstrikes = [ { munition = \"X\", carriers = 3 } ]\n\
             [scenario.aftermath]\nencounter_rate = 0.01\n",
        );
        let e = Parameters::of(&f, 0).unwrap_err();
        assert!(e.message.contains("nothing to calibrate"), "{e}");
    }

    /// An aftermath on the map (here live UXO mapped at a step) is not
    /// what the calibration simulates, so such a scenario is refused
    /// rather than fitted without its map.
    #[test]
    fn a_scenario_whose_aftermath_runs_on_the_map_is_refused() {
        let f = file(&format!(
            "{}[scenario.area]\nwidth_m = 1000\nheight_m = 1000\ncell_m = 100\n",
            SCENARIO
                .replace("steps = 12\n", "steps = 12\nmaps_at = [12]\n")
                .replace("dud_rate =", "footprint_radius_m = 100\ndud_rate =")
                .replace(
                    "carriers = { poisson = 40 } }",
                    "carriers = { poisson = 40 }, target = [400, 400, 600, 600], cep_m = 50 }"
                )
        ));
        let e = Parameters::of(&f, 0).unwrap_err();
        assert!(e.message.contains("runs on the map"), "{e}");
        let without = file(SCENARIO);
        assert!(Parameters::of(&without, 0).is_ok());
    }

    /// The simulated values are increments of the cumulative timeline, or
    /// levels, of the very replicate the engine draws with the same inputs.
    #[test]
    fn simulated_values_read_the_replicate_timeline() {
        let f = file(SCENARIO);
        let records = Records::parse(
            "r.toml",
            "[[observation]]\nquantity = \"casualties\"\nfrom = 2\nto = 5\ncount = 3\n\
             [[observation]]\nquantity = \"cleared\"\nfrom = 0\nto = 12\ncount = 30\n\
             [[observation]]\nquantity = \"live\"\nto = 0\ncount = 800\n\
             [[observation]]\nquantity = \"live\"\nto = 7\ncount = 700\n",
            &f,
        )
        .unwrap();
        let c = Calibration::new(&f, &records).unwrap();
        let theta = [0.2, 41.0, 3.0, 0.01, 2.0, 0.1];
        let values = c.simulate(&theta, &mut calibrate::particle_stream(1, 2, 3), 4);
        let mut out = ReplicateOutcome::default();
        let p = c.parameters();
        p.plan.simulate_given(
            &p.inputs,
            &theta,
            &mut calibrate::particle_stream(1, 2, 3),
            &mut out,
        );
        let t = &out.timeline;
        assert_eq!(
            values,
            [
                (t[4].casualties - t[1].casualties) as f64,
                t[11].cleared as f64,
                out.unexploded as f64,
                t[6].live as f64,
            ]
        );
        assert_eq!(out.submunitions, 4_100);
    }
}
