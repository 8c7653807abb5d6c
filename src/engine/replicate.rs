//! One replicate of one scenario: SPEC §1.1–1.5, step by step.

use rand::Rng;

use super::sampling::{CountSampler, ProbSampler, beta_binomial_total, binomial};
use crate::scenario::{Aftermath, Scenario, ScenarioFile};
use crate::stats::{ReplicateOutcome, StepOutcome};

/// A munition as one scenario uses it, ready to sample.
#[derive(Debug, Clone)]
struct MunitionPlan {
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

/// The aftermath, ready to sample.
#[derive(Debug, Clone)]
struct AftermathPlan {
    steps: usize,
    clearance_start: CountSampler,
    clearance_rate: ProbSampler,
    encounter_rate: ProbSampler,
    degradation_rate: ProbSampler,
    casualties_per_encounter: CountSampler,
}

/// How a replicate's duds are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DudSampling {
    /// One binomial per munition where SPEC §1.4 gives a closed form, per
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
    dud_sampling: DudSampling,
}

/// Per-replicate draws shared by the strikes of one munition.
#[derive(Debug, Clone, Copy, Default)]
struct MunitionDraw {
    dud_rate: f64,
    self_destruct: f64,
    /// Submunitions fired by all strikes of this munition.
    fired: u64,
    /// Duds (before self-destruct) when drawn carrier by carrier.
    duds: u64,
}

impl ScenarioPlan {
    /// Compiles `scenario` of `file`; `steps` is the aftermath horizon.
    pub fn new(file: &ScenarioFile, scenario: &Scenario) -> Self {
        let mut used: Vec<usize> = Vec::new();
        let strikes = scenario
            .strikes
            .iter()
            .map(|strike| {
                let local = used
                    .iter()
                    .position(|&m| m == strike.munition)
                    .unwrap_or_else(|| {
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
            .map(|&m| {
                let m = &file.munitions[m];
                MunitionPlan {
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
            .map(|a: &Aftermath| AftermathPlan {
                steps,
                clearance_start: CountSampler::new(&a.clearance_start),
                clearance_rate: ProbSampler::new(&a.clearance_rate),
                encounter_rate: ProbSampler::new(&a.encounter_rate),
                degradation_rate: ProbSampler::new(&a.degradation_rate),
                casualties_per_encounter: CountSampler::new(&a.casualties_per_encounter),
            });
        ScenarioPlan {
            munitions,
            strikes,
            aftermath,
            dud_sampling: DudSampling::Fastest,
        }
    }

    /// The same plan drawing its duds the given way.
    pub fn with_dud_sampling(mut self, dud_sampling: DudSampling) -> Self {
        self.dud_sampling = dud_sampling;
        self
    }

    /// Number of aftermath steps each replicate reports.
    pub fn steps(&self) -> usize {
        self.aftermath.as_ref().map_or(0, |a| a.steps)
    }

    /// Simulates one replicate into `out`, reusing its allocation.
    pub fn simulate<R: Rng + ?Sized>(&self, rng: &mut R, out: &mut ReplicateOutcome) {
        // §1.1: conflict-wide rates, once per munition per replicate.
        let mut draws = vec![MunitionDraw::default(); self.munitions.len()];
        for (plan, draw) in self.munitions.iter().zip(draws.iter_mut()) {
            draw.dud_rate = plan.dud_rate.sample(rng);
            draw.self_destruct = plan.self_destruct.sample(rng);
        }

        // §1.2–1.4: carriers and their duds.
        let mut submunitions = 0;
        for strike in &self.strikes {
            let plan = &self.munitions[strike.munition];
            let draw = &mut draws[strike.munition];
            let carriers = strike.carriers.sample(rng);
            draw.fired += carriers * plan.submunitions;
            submunitions += carriers * plan.submunitions;
            if self.per_carrier(plan) {
                draw.duds +=
                    duds_carrier_by_carrier(rng, plan, draw.dud_rate, carriers, self.dud_sampling);
            }
        }
        let mut unexploded = 0;
        for (plan, draw) in self.munitions.iter().zip(draws.iter()) {
            unexploded += if self.per_carrier(plan) {
                // Each dud's self-destruct works independently, so thinning
                // the total is the same as thinning carrier by carrier.
                binomial(rng, draw.duds, 1.0 - draw.self_destruct)
            } else {
                // The closed form of §1.4: one binomial whatever the count.
                binomial(rng, draw.fired, draw.dud_rate * (1.0 - draw.self_destruct))
            };
        }
        out.submunitions = submunitions;
        out.unexploded = unexploded;

        // §1.5: the aftermath.
        out.timeline.clear();
        if let Some(aftermath) = &self.aftermath {
            aftermath.simulate(rng, unexploded, &mut out.timeline);
        }
    }

    fn per_carrier(&self, plan: &MunitionPlan) -> bool {
        plan.lot_concentration.is_some() || self.dud_sampling == DudSampling::PerCarrier
    }
}

/// Duds of `carriers` carriers (§1.3–1.4). With lot variation each
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

impl AftermathPlan {
    /// Evolves `live` UXO over the horizon (§1.5), pushing one entry per step.
    fn simulate<R: Rng + ?Sized>(
        &self,
        rng: &mut R,
        mut live: u64,
        timeline: &mut Vec<StepOutcome>,
    ) {
        let clearance_start = self.clearance_start.sample(rng);
        let clearance_rate = self.clearance_rate.sample(rng);
        let encounter_rate = self.encounter_rate.sample(rng);
        let degradation_rate = self.degradation_rate.sample(rng);
        let mut total = StepOutcome {
            live,
            ..StepOutcome::default()
        };
        for t in 1..=self.steps as u64 {
            let clear = if t > clearance_start {
                clearance_rate
            } else {
                0.0
            };
            // The multinomial of §1.5 as a chain of conditional binomials.
            let cleared = binomial(rng, live, clear);
            live -= cleared;
            let encounters = binomial(rng, live, conditional(encounter_rate, 1.0 - clear));
            live -= encounters;
            let degraded = binomial(
                rng,
                live,
                conditional(degradation_rate, 1.0 - clear - encounter_rate),
            );
            live -= degraded;
            total.live = live;
            total.cleared += cleared;
            total.encounters += encounters;
            total.casualties += self.casualties_per_encounter.sample_sum(rng, encounters);
            timeline.push(total);
        }
    }
}

/// P(event | none of the events already drawn), where `remaining` is the
/// probability left after them.
#[inline]
fn conditional(p: f64, remaining: f64) -> f64 {
    if remaining <= 0.0 {
        1.0
    } else {
        (p / remaining).min(1.0)
    }
}
