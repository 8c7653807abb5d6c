//! The ABC-SMC loop: generations of particles accepted at falling
//! tolerances, their importance weights, and when to stop.

use std::fmt;

use rand::RngExt;
use rayon::prelude::*;

use super::error::CalibrateError;
use super::kernel::{Kernel, Layout};
use super::observations::Observations;
use super::population::Population;
use super::posterior::weighted_quantile;
use super::prior::ParameterSpace;
use super::rng::{ParticleRng, particle_stream};

/// How a calibration runs and when it stops.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// Particles per generation, `N` (10 to 100,000; the weights cost `N²`
    /// kernel evaluations per generation).
    pub particles: usize,
    /// The seed every random stream derives from.
    pub seed: u64,
    /// `α`: each tolerance is this weighted quantile of the previous
    /// generation's distances (0 < α < 1; 0.5 halves the accepted region's
    /// probability per generation).
    pub quantile: f64,
    /// Stop once the tolerance is at most this many scale units per
    /// observation (the distance bound is this times √m for m
    /// observations). 0 asks for exact matches, which is reachable for
    /// counts.
    pub target_per_observation: f64,
    /// Most generations after the prior sample.
    pub max_generations: usize,
    /// Most model simulations in all, the prior sample included (at least
    /// `particles`).
    pub max_simulations: u64,
    /// A generation whose acceptance rate falls below this is abandoned:
    /// after `particles / min_acceptance_rate` proposals it stops.
    pub min_acceptance_rate: f64,
    /// `β`: the share of proposals drawn from the prior instead of the
    /// kernel (0 ≤ β < 1). The proposal is then the defensive mixture
    /// `(1 − β)·kernel + β·prior`, which bounds every weight by `1/β` times
    /// the average and keeps every part of the prior reachable; 0 gives the
    /// plain kernel.
    pub prior_share: f64,
    /// Stop when the next tolerance would be less than this fraction below
    /// the tolerance three generations earlier (0 ≤ value < 1).
    pub min_tolerance_decrease: f64,
    /// When the tolerance stalls or the acceptance rate collapses, the fit
    /// is returned only if its tolerance is at most this many scale units
    /// per observation (root-mean-square); otherwise the prior cannot reach
    /// the data and [`CalibrateError::CannotReachData`] explains why.
    pub reach_per_observation: f64,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            particles: 2_000,
            seed: 1,
            quantile: 0.5,
            target_per_observation: 0.0,
            max_generations: 50,
            max_simulations: 20_000_000,
            min_acceptance_rate: 1e-3,
            prior_share: 0.05,
            min_tolerance_decrease: 0.05,
            reach_per_observation: 3.0,
        }
    }
}

impl Settings {
    fn check(&self) -> Result<(), CalibrateError> {
        let bad = |setting: &'static str, message: String| {
            Err(CalibrateError::InvalidSettings { setting, message })
        };
        if !(10..=100_000).contains(&self.particles) {
            let n = self.particles as f64;
            return bad(
                "particles",
                format!(
                    "must be from 10 to 100000, got {} (each generation costs particles² = {n:.1e} kernel evaluations)",
                    self.particles
                ),
            );
        }
        if !(self.quantile > 0.0 && self.quantile < 1.0) {
            return bad(
                "quantile",
                format!("must be strictly between 0 and 1, got {}", self.quantile),
            );
        }
        if !(self.target_per_observation >= 0.0 && self.target_per_observation.is_finite()) {
            return bad(
                "target_per_observation",
                format!(
                    "must be a finite number of at least 0, got {}",
                    self.target_per_observation
                ),
            );
        }
        if !(1..=1_000).contains(&self.max_generations) {
            return bad(
                "max_generations",
                format!("must be from 1 to 1000, got {}", self.max_generations),
            );
        }
        if self.max_simulations < self.particles as u64 {
            return bad(
                "max_simulations",
                format!(
                    "must be at least the number of particles ({}) to sample the prior, got {}",
                    self.particles, self.max_simulations
                ),
            );
        }
        if !(self.min_acceptance_rate > 0.0 && self.min_acceptance_rate <= 1.0) {
            return bad(
                "min_acceptance_rate",
                format!(
                    "must be above 0 and at most 1, got {}",
                    self.min_acceptance_rate
                ),
            );
        }
        if !(0.0..1.0).contains(&self.prior_share) {
            return bad(
                "prior_share",
                format!("must be at least 0 and below 1, got {}", self.prior_share),
            );
        }
        if !(0.0..1.0).contains(&self.min_tolerance_decrease) {
            return bad(
                "min_tolerance_decrease",
                format!(
                    "must be at least 0 and below 1, got {}",
                    self.min_tolerance_decrease
                ),
            );
        }
        if self.reach_per_observation.is_nan() || self.reach_per_observation <= 0.0 {
            return bad(
                "reach_per_observation",
                format!("must be above 0, got {}", self.reach_per_observation),
            );
        }
        Ok(())
    }
}

/// Why a calibration stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopReason {
    /// The tolerance reached the target.
    TargetReached,
    /// The generation limit was reached.
    MaxGenerations,
    /// The simulation budget ran out (the generation under way is dropped).
    SimulationBudget,
    /// The next tolerance would not have been meaningfully lower.
    ToleranceStalled,
    /// A generation's acceptance rate fell below the limit (that generation
    /// is dropped).
    AcceptanceCollapsed,
}

impl fmt::Display for StopReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            StopReason::TargetReached => "the tolerance reached its target",
            StopReason::MaxGenerations => "the generation limit was reached",
            StopReason::SimulationBudget => "the simulation budget ran out",
            StopReason::ToleranceStalled => "the tolerance stopped decreasing",
            StopReason::AcceptanceCollapsed => "the acceptance rate fell below its limit",
        })
    }
}

/// What one generation did.
#[derive(Debug, Clone, PartialEq)]
pub struct GenerationSummary {
    /// 0 for the prior sample, then 1, 2, …
    pub generation: usize,
    /// The tolerance `ε` every particle met (for the prior sample, its
    /// largest distance).
    pub tolerance: f64,
    /// Proposals made (a proposal of prior density 0 is counted but not
    /// simulated).
    pub attempts: u64,
    /// Model simulations run in this generation.
    pub simulations: u64,
    /// Particles over proposals.
    pub acceptance_rate: f64,
    /// Kish's effective sample size of the weights.
    pub effective_sample_size: f64,
    /// Simulations so far, this generation included.
    pub total_simulations: u64,
}

/// Progress reports, for a progress line.
#[derive(Debug, Clone, PartialEq)]
pub enum Progress<'a> {
    /// Part of a generation is done.
    Round {
        /// The generation under way.
        generation: usize,
        /// Its tolerance.
        tolerance: f64,
        /// Particles accepted so far.
        accepted: usize,
        /// Particles wanted.
        particles: usize,
        /// Proposals so far in this generation.
        attempts: u64,
        /// Simulations so far in all.
        total_simulations: u64,
    },
    /// A generation is complete.
    Generation(&'a GenerationSummary),
}

/// A finished calibration.
#[derive(Debug, Clone)]
pub struct Fit {
    /// The last complete generation: the posterior sample.
    pub population: Population,
    /// Generation 0, a sample of the prior (equal weights), for comparing
    /// prior and posterior.
    pub prior_sample: Population,
    /// One summary per complete generation, the prior sample first.
    pub generations: Vec<GenerationSummary>,
    /// Why it stopped.
    pub stop: StopReason,
    /// Model simulations in all, including any dropped generation.
    pub simulations: u64,
}

/// How far the simulations stay from one observation.
#[derive(Debug, Clone, PartialEq)]
pub struct ObservationMiss {
    /// 0-based position of the observation.
    pub index: usize,
    /// The observation's label.
    pub label: String,
    /// The observed value.
    pub observed: f64,
    /// Weighted median of the last population's simulated values.
    pub simulated_median: f64,
    /// `(simulated_median - observed) / scale`.
    pub scaled_miss: f64,
}

/// Why the prior cannot reach the data: the closest the simulations came,
/// how the fit ended, and which observations they stay farthest from.
#[derive(Debug, Clone)]
pub struct Unreachable {
    /// [`StopReason::ToleranceStalled`] or [`StopReason::AcceptanceCollapsed`].
    pub ended: StopReason,
    /// The last complete generation's tolerance.
    pub tolerance: f64,
    /// That tolerance over √m: the root-mean-square miss in scale units.
    pub tolerance_per_observation: f64,
    /// The reach limit it exceeded.
    pub reach_per_observation: f64,
    /// The tolerance of the generation that could not be built.
    pub attempted_tolerance: f64,
    /// Particles accepted in that generation (when it collapsed).
    pub attempted_accepted: usize,
    /// Proposals made in that generation (when it collapsed).
    pub attempted_proposals: u64,
    /// The acceptance-rate limit.
    pub min_acceptance_rate: f64,
    /// Simulations in all.
    pub simulations: u64,
    /// The complete generations.
    pub generations: Vec<GenerationSummary>,
    /// Observations by decreasing `|scaled_miss|`.
    pub farthest: Vec<ObservationMiss>,
    /// The last complete population.
    pub population: Population,
}

impl fmt::Display for Unreachable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the prior cannot reach the data: the closest the simulations came is a distance of \
             {:.4} ({:.2} scale units per observation, root-mean-square; at most {} is accepted) \
             after {} generation(s) and {} simulations; ",
            self.tolerance,
            self.tolerance_per_observation,
            self.reach_per_observation,
            self.generations.len(),
            self.simulations
        )?;
        match self.ended {
            StopReason::AcceptanceCollapsed => write!(
                f,
                "the next generation (tolerance {:.4}) accepted {} particle(s) in {} proposals, \
                 an acceptance rate below the limit of {}",
                self.attempted_tolerance,
                self.attempted_accepted,
                self.attempted_proposals,
                self.min_acceptance_rate
            )?,
            _ => write!(
                f,
                "the tolerance stopped decreasing (the next would have been {:.4})",
                self.attempted_tolerance
            )?,
        }
        f.write_str(". Farthest observations:")?;
        for miss in self.farthest.iter().take(3) {
            write!(
                f,
                " `{}` observed {}, simulated median {} ({:+.1} scale units);",
                miss.label, miss.observed, miss.simulated_median, miss.scaled_miss
            )?;
        }
        f.write_str(" widen the priors of the inputs behind them, or check the observations")
    }
}

/// What the fit works with.
struct Context<'a, F> {
    space: &'a ParameterSpace,
    observations: &'a Observations,
    layout: Layout,
    simulate: &'a F,
    settings: &'a Settings,
}

/// A particle's simulations until one is accepted.
struct Walker {
    rng: ParticleRng,
    attempts: u64,
    simulations: u64,
    accepted: Option<Accepted>,
    failure: Option<CalibrateError>,
}

struct Accepted {
    theta: Vec<f64>,
    unbounded: Vec<f64>,
    distance: f64,
    simulated: Vec<f64>,
}

/// How a generation ended.
enum Built {
    Complete(Population, GenerationSummary),
    Collapsed {
        accepted: usize,
        attempts: u64,
        simulations: u64,
    },
    OutOfBudget {
        simulations: u64,
    },
}

impl<F> Context<'_, F>
where
    F: Fn(&[f64], &mut ParticleRng) -> Vec<f64> + Sync,
{
    /// Runs the model and measures its distance to the observations.
    fn run_model(&self, theta: &[f64], rng: &mut ParticleRng) -> Result<(Vec<f64>, f64), String> {
        let simulated = (self.simulate)(theta, rng);
        let m = self.observations.len();
        if simulated.len() != m {
            return Err(format!("{} values for {m} observations", simulated.len()));
        }
        if let Some(o) = simulated.iter().position(|v| !v.is_finite()) {
            return Err(format!(
                "the value {} for observation `{}`",
                simulated[o],
                self.observations.items()[o].label()
            ));
        }
        let distance = self.observations.distance(&simulated);
        Ok((simulated, distance))
    }

    /// Generation 0: one prior draw and one simulation per particle, all
    /// kept with equal weights.
    fn prior_generation(&self) -> Result<Population, CalibrateError> {
        let n = self.settings.particles;
        let d = self.space.len();
        let c = self.layout.continuous.len();
        let accepted: Vec<Accepted> = (0..n)
            .into_par_iter()
            .map(|i| {
                let mut rng = particle_stream(self.settings.seed, 0, i as u64);
                let mut theta = vec![0.0; d];
                // A draw of prior density 0 (a beta draw rounded onto an
                // end) has probability 0 in exact arithmetic: draw again.
                let mut redraws = 0;
                loop {
                    self.space.sample_prior(&mut rng, &mut theta);
                    if self.space.ln_prior_density(&theta) > f64::NEG_INFINITY {
                        break;
                    }
                    redraws += 1;
                    if redraws == 1_000 {
                        return Err(CalibrateError::InvalidPrior(
                            "the priors' draws keep landing where their density is 0".into(),
                        ));
                    }
                }
                let (simulated, distance) =
                    self.run_model(&theta, &mut rng).map_err(|problem| {
                        CalibrateError::ModelOutput {
                            context: format!("prior sample, particle {i}"),
                            problem,
                        }
                    })?;
                let mut unbounded = vec![0.0; c];
                self.layout.unbounded(&theta, &mut unbounded);
                Ok(Accepted {
                    theta,
                    unbounded,
                    distance,
                    simulated,
                })
            })
            .collect::<Result<_, _>>()?;
        let mut population = Population::empty(d, self.observations.len(), c);
        let weight = 1.0 / n as f64;
        for a in &accepted {
            population.push(&a.theta, &a.unbounded, a.distance, &a.simulated, weight);
        }
        let largest = population.distances().iter().copied().fold(0.0, f64::max);
        population.set_tolerance(largest);
        Ok(population)
    }

    /// Proposes and simulates for one particle, at most `limit` times,
    /// until a simulation lands within `tolerance`.
    fn advance(
        &self,
        walker: &mut Walker,
        kernel: &Kernel,
        parents: &Population,
        tolerance: f64,
        limit: u64,
        context: impl Fn() -> String,
    ) {
        let c = self.layout.continuous.len();
        let mut theta = vec![0.0; self.space.len()];
        let mut unbounded = vec![0.0; c];
        let mut noise = vec![0.0; c];
        for _ in 0..limit {
            walker.attempts += 1;
            let share = self.settings.prior_share;
            if share > 0.0 && walker.rng.random::<f64>() < share {
                self.space.sample_prior(&mut walker.rng, &mut theta);
                self.layout.unbounded(&theta, &mut unbounded);
            } else {
                kernel.propose(
                    parents,
                    &self.layout,
                    &mut walker.rng,
                    &mut theta,
                    &mut unbounded,
                    &mut noise,
                );
            }
            // Only points of prior density 0 inside the support (an end of
            // a triangular, a beta rounded onto 0 or 1) get here: they have
            // proposal probability 0, so skipping them changes no weight.
            let ln_prior = self.space.ln_prior_density(&theta);
            if ln_prior.is_nan() || ln_prior == f64::NEG_INFINITY {
                continue;
            }
            walker.simulations += 1;
            match self.run_model(&theta, &mut walker.rng) {
                Err(problem) => {
                    walker.failure = Some(CalibrateError::ModelOutput {
                        context: context(),
                        problem,
                    });
                    return;
                }
                Ok((simulated, distance)) if distance <= tolerance => {
                    walker.accepted = Some(Accepted {
                        theta,
                        unbounded,
                        distance,
                        simulated,
                    });
                    return;
                }
                Ok(_) => {}
            }
        }
    }

    /// Builds generation `generation` at `tolerance` from `parents`.
    fn next_generation(
        &self,
        parents: &Population,
        generation: usize,
        tolerance: f64,
        simulations_before: u64,
        progress: &mut dyn FnMut(&Progress<'_>),
    ) -> Result<Built, CalibrateError> {
        let settings = self.settings;
        let n = settings.particles;
        let kernel = Kernel::new(parents, &self.layout);
        let mut walkers: Vec<Walker> = (0..n)
            .map(|i| Walker {
                rng: particle_stream(settings.seed, generation as u64, i as u64),
                attempts: 0,
                simulations: 0,
                accepted: None,
                failure: None,
            })
            .collect();
        let most_attempts = (n as f64 / settings.min_acceptance_rate).ceil() as u64;
        // Rounds of growing length: every particle draws only from its own
        // stream, and the checks between rounds depend only on counts, so
        // where a generation stops does not depend on the thread count.
        let mut limit = 1;
        loop {
            walkers
                .par_iter_mut()
                .enumerate()
                .filter(|(_, w)| w.accepted.is_none())
                .for_each(|(i, walker)| {
                    self.advance(walker, &kernel, parents, tolerance, limit, || {
                        format!("generation {generation}, particle {i}")
                    })
                });
            if let Some(failure) = walkers.iter_mut().find_map(|w| w.failure.take()) {
                return Err(failure);
            }
            let accepted = walkers.iter().filter(|w| w.accepted.is_some()).count();
            let attempts: u64 = walkers.iter().map(|w| w.attempts).sum();
            let simulations: u64 = walkers.iter().map(|w| w.simulations).sum();
            progress(&Progress::Round {
                generation,
                tolerance,
                accepted,
                particles: n,
                attempts,
                total_simulations: simulations_before + simulations,
            });
            if accepted == n {
                break;
            }
            if attempts >= most_attempts {
                return Ok(Built::Collapsed {
                    accepted,
                    attempts,
                    simulations,
                });
            }
            if simulations_before + simulations >= settings.max_simulations {
                return Ok(Built::OutOfBudget { simulations });
            }
            limit = (limit * 2).min(64);
        }

        let attempts: u64 = walkers.iter().map(|w| w.attempts).sum();
        let simulations: u64 = walkers.iter().map(|w| w.simulations).sum();
        let accepted: Vec<Accepted> = walkers
            .into_iter()
            .map(|w| w.accepted.expect("every particle was accepted"))
            .collect();
        // w_i ∝ π(θ_i)|dθ/du| / ((1 − β) Σ_j W_j K(u_i | u_j) + β π(θ_i)|dθ/du|):
        // the O(N²) sums, one particle per task, each summed in a fixed order.
        let c = self.layout.continuous.len();
        let share = settings.prior_share;
        let ln_weights: Vec<f64> = accepted
            .par_iter()
            .map(|a| {
                let mut z = vec![0.0; c];
                let ln_target = self.layout.ln_target(self.space, &a.theta, &a.unbounded);
                let ln_kernel = kernel.ln_density(&self.layout, &a.theta, &a.unbounded, &mut z);
                let ln_proposal = if share > 0.0 {
                    ln_add_exp((1.0 - share).ln() + ln_kernel, share.ln() + ln_target)
                } else {
                    ln_kernel
                };
                ln_target - ln_proposal
            })
            .collect();
        let top = ln_weights
            .iter()
            .copied()
            .filter(|x| x.is_finite())
            .fold(f64::NEG_INFINITY, f64::max);
        let mut weights: Vec<f64> = ln_weights
            .iter()
            .map(|&x| if x.is_finite() { (x - top).exp() } else { 0.0 })
            .collect();
        let total: f64 = weights.iter().sum();
        if !(total > 0.0 && total.is_finite()) {
            return Err(CalibrateError::InvalidParameters(
                "every importance weight vanished in floating point; the priors' scales are \
                 too extreme for the kernel"
                    .into(),
            ));
        }
        for w in &mut weights {
            *w /= total;
        }
        let mut population = Population::empty(self.space.len(), self.observations.len(), c);
        for (a, &w) in accepted.iter().zip(&weights) {
            population.push(&a.theta, &a.unbounded, a.distance, &a.simulated, w);
        }
        population.set_tolerance(tolerance);
        let summary = GenerationSummary {
            generation,
            tolerance,
            attempts,
            simulations,
            acceptance_rate: n as f64 / attempts as f64,
            effective_sample_size: population.effective_sample_size(),
            total_simulations: simulations_before + simulations,
        };
        Ok(Built::Complete(population, summary))
    }

    /// Observations by how far the population's simulations stay from them.
    fn farthest(&self, population: &Population) -> Vec<ObservationMiss> {
        let mut misses: Vec<ObservationMiss> = self
            .observations
            .items()
            .iter()
            .enumerate()
            .map(|(o, obs)| {
                let median = population.simulated_quantile(o, 0.5);
                ObservationMiss {
                    index: o,
                    label: obs.label().to_string(),
                    observed: obs.value(),
                    simulated_median: median,
                    scaled_miss: (median - obs.value()) / obs.scale(),
                }
            })
            .collect();
        misses.sort_by(|a, b| {
            b.scaled_miss
                .abs()
                .total_cmp(&a.scaled_miss.abs())
                .then(a.index.cmp(&b.index))
        });
        misses
    }
}

/// `ln(e^a + e^b)` without overflow.
fn ln_add_exp(a: f64, b: f64) -> f64 {
    let (high, low) = if a >= b { (a, b) } else { (b, a) };
    if low == f64::NEG_INFINITY {
        return high;
    }
    high + (low - high).exp().ln_1p()
}

/// The next tolerance: the weighted `α`-quantile of the population's
/// distances, never below `target`. With counts, distances are discrete
/// and many particles can share the largest one, so that the quantile
/// equals the current tolerance: then the next is the largest distance
/// below the current one. `None` if no distance is below it.
fn next_tolerance(population: &Population, quantile: f64, target: f64) -> Option<f64> {
    let current = population.tolerance();
    let mut next = weighted_quantile(population.distances(), population.weights(), quantile);
    if next >= current {
        next = population
            .distances()
            .iter()
            .copied()
            .filter(|&d| d < current)
            .fold(f64::NEG_INFINITY, f64::max);
        if next == f64::NEG_INFINITY {
            return None;
        }
    }
    Some(next.max(target))
}

/// Generations over which the tolerance must fall by
/// [`Settings::min_tolerance_decrease`]. One generation is too short: with
/// counts the distances are discrete, and a step to the next smaller
/// distance can be tiny in distance yet drop most of the weight.
const STALL_WINDOW: usize = 3;

/// Fits the parameters of `space` to `observations` by ABC-SMC (see the
/// [module documentation](super) for the algorithm). `simulate(θ, rng)`
/// must return one finite value per observation, in order, drawing all its
/// randomness from `rng`. `progress` is called on the calling thread after
/// each round of proposals and each complete generation.
///
/// Returns the last complete generation with its history; or
/// [`CalibrateError::CannotReachData`] when the fit could get no closer to
/// the data than `settings.reach_per_observation` allows.
pub fn calibrate<F>(
    space: &ParameterSpace,
    observations: &Observations,
    simulate: F,
    settings: &Settings,
    progress: &mut dyn FnMut(&Progress<'_>),
) -> Result<Fit, CalibrateError>
where
    F: Fn(&[f64], &mut ParticleRng) -> Vec<f64> + Sync,
{
    settings.check()?;
    if observations.is_empty() {
        return Err(CalibrateError::InvalidObservation {
            index: 0,
            message: "there are no observations to calibrate to".into(),
        });
    }
    let context = Context {
        space,
        observations,
        layout: Layout::new(space),
        simulate: &simulate,
        settings,
    };
    let root_m = (observations.len() as f64).sqrt();
    let target = settings.target_per_observation * root_m;

    let prior_sample = context.prior_generation()?;
    let n = settings.particles as u64;
    let mut simulations = n;
    let first = GenerationSummary {
        generation: 0,
        tolerance: prior_sample.tolerance(),
        attempts: n,
        simulations: n,
        acceptance_rate: 1.0,
        effective_sample_size: prior_sample.effective_sample_size(),
        total_simulations: n,
    };
    progress(&Progress::Generation(&first));
    let mut generations = vec![first];
    let mut current = prior_sample.clone();
    let mut attempted = (f64::NAN, 0, 0);
    let stop = loop {
        if current.tolerance() <= target {
            break StopReason::TargetReached;
        }
        if generations.len() > settings.max_generations {
            break StopReason::MaxGenerations;
        }
        if simulations >= settings.max_simulations {
            break StopReason::SimulationBudget;
        }
        let Some(tolerance) = next_tolerance(&current, settings.quantile, target) else {
            attempted.0 = current.tolerance();
            break StopReason::ToleranceStalled;
        };
        attempted = (tolerance, 0, 0);
        if tolerance > target && generations.len() >= STALL_WINDOW {
            let earlier = generations[generations.len() - STALL_WINDOW].tolerance;
            if tolerance > (1.0 - settings.min_tolerance_decrease) * earlier {
                break StopReason::ToleranceStalled;
            }
        }
        let generation = generations.len();
        match context.next_generation(&current, generation, tolerance, simulations, progress)? {
            Built::Complete(population, summary) => {
                simulations += summary.simulations;
                progress(&Progress::Generation(&summary));
                generations.push(summary);
                current = population;
            }
            Built::Collapsed {
                accepted,
                attempts,
                simulations: spent,
            } => {
                simulations += spent;
                attempted = (tolerance, accepted, attempts);
                break StopReason::AcceptanceCollapsed;
            }
            Built::OutOfBudget { simulations: spent } => {
                simulations += spent;
                break StopReason::SimulationBudget;
            }
        }
    };

    let per_observation = current.tolerance() / root_m;
    let gave_up = matches!(
        stop,
        StopReason::ToleranceStalled | StopReason::AcceptanceCollapsed
    );
    if gave_up && per_observation > settings.reach_per_observation {
        return Err(CalibrateError::CannotReachData(Box::new(Unreachable {
            ended: stop,
            tolerance: current.tolerance(),
            tolerance_per_observation: per_observation,
            reach_per_observation: settings.reach_per_observation,
            attempted_tolerance: attempted.0,
            attempted_accepted: attempted.1,
            attempted_proposals: attempted.2,
            min_acceptance_rate: settings.min_acceptance_rate,
            simulations,
            generations,
            farthest: context.farthest(&current),
            population: current,
        })));
    }
    Ok(Fit {
        population: current,
        prior_sample,
        generations,
        stop,
        simulations,
    })
}
