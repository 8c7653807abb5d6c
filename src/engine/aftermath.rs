//! The aftermath: what happens to live UXO after the strikes, step by step.
//!
//! Each live UXO leaves by one of three causes acting in continuous time:
//! clearance, an encounter (a person triggers it) and degradation. A rate
//! `r` is the probability that a cause acting alone removes a UXO within
//! one rate unit, so its intensity is `λ = −ln(1 − r)` per unit. Over a
//! step, the causes' integrated intensities `Λ_x` add up: a UXO leaves with
//! probability `1 − exp(−ΣΛ)` and, if it leaves, by cause `x` with
//! probability `Λ_x / ΣΛ`. The encounter intensity may fall over time,
//! `λ_e(s) = λ_e0·(φ + (1 − φ)·2^(−s/H))`, integrated exactly over each
//! step. See docs/model.md, "Aftermath".
//!
//! Per step the multinomial is drawn exactly as conditional binomials:
//! the leavers, then the cleared among them, then the encountered among
//! the rest. Where the step probabilities do not change (constant hazards,
//! within a phase of clearance) they are computed once per phase; a
//! falling hazard updates its decaying part by one multiplication per step.

use rand::Rng;

use super::outcome::StepOutcome;
use super::replicate::Input;
use super::sampling::binomial::binomial_with_ln_1m;
use super::sampling::{CountSampler, ProbSampler, binomial};
use crate::scenario::{Aftermath, DurationValue, StepDuration};

/// The aftermath of one scenario, ready to sample.
#[derive(Debug, Clone)]
pub(crate) struct AftermathPlan {
    /// Steps to simulate.
    pub(crate) steps: usize,
    /// One step, in rate units.
    pub(crate) step_length: f64,
    clearance_start: DurationSampler,
    clearance_end: Option<DurationSampler>,
    pub(crate) clearance_rate: ProbSampler,
    pub(crate) encounter_rate: ProbSampler,
    pub(crate) encounter_half_life: Option<ProbSampler>,
    pub(crate) encounter_floor: ProbSampler,
    pub(crate) degradation_rate: ProbSampler,
    pub(crate) casualties_per_encounter: CountSampler,
}

/// Draws a duration in rate units, and converts it to whole steps.
#[derive(Debug, Clone)]
pub(crate) struct DurationSampler {
    value: DurationSamplerValue,
    steps_per_unit: f64,
}

#[derive(Debug, Clone)]
enum DurationSamplerValue {
    Fixed(f64),
    Count(CountSampler),
}

impl DurationSampler {
    fn new(d: &StepDuration) -> Self {
        DurationSampler {
            value: match d.value() {
                DurationValue::Fixed(x) => DurationSamplerValue::Fixed(x),
                DurationValue::Count(c) => DurationSamplerValue::Count(CountSampler::new(&c)),
            },
            steps_per_unit: d.steps_per_unit,
        }
    }

    /// True when the value is fixed.
    pub(crate) fn is_fixed(&self) -> bool {
        match &self.value {
            DurationSamplerValue::Fixed(_) => true,
            DurationSamplerValue::Count(c) => c.is_fixed(),
        }
    }

    /// One draw, in rate units; a fixed value consumes no randomness.
    fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match &self.value {
            DurationSamplerValue::Fixed(x) => *x,
            DurationSamplerValue::Count(c) => c.sample(rng) as f64,
        }
    }

    /// Whole steps in `units` rate units (validated to fall on a boundary).
    fn steps(&self, units: f64) -> u64 {
        (units * self.steps_per_unit).round() as u64
    }
}

/// The aftermath's inputs drawn once per replicate: rates per rate unit,
/// durations in rate units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AftermathDraws {
    /// When clearance starts.
    pub clearance_start: f64,
    /// When clearance ends (infinite: never).
    pub clearance_end: f64,
    /// Clearance rate.
    pub clearance_rate: f64,
    /// Encounter rate at the time of the strikes.
    pub encounter_rate: f64,
    /// Half-life of the falling part of the encounter intensity (infinite:
    /// constant intensity).
    pub encounter_half_life: f64,
    /// Share of the encounter intensity that never falls.
    pub encounter_floor: f64,
    /// Degradation rate.
    pub degradation_rate: f64,
}

impl Default for AftermathDraws {
    fn default() -> Self {
        AftermathDraws {
            clearance_start: 0.0,
            clearance_end: f64::INFINITY,
            clearance_rate: 0.0,
            encounter_rate: 0.0,
            encounter_half_life: f64::INFINITY,
            encounter_floor: 1.0,
            degradation_rate: 0.0,
        }
    }
}

/// The intensity of a cause acting alone with probability `rate` per unit.
pub(crate) fn intensity(rate: f64) -> f64 {
    if rate >= 1.0 {
        f64::INFINITY
    } else {
        -(-rate).ln_1p()
    }
}

/// The probabilities of one step: leaving, and the split of the leavers.
#[derive(Debug, Clone, Copy, PartialEq)]
struct StepChances {
    /// P(a live UXO leaves during the step).
    leave: f64,
    /// ln(1 − leave), which is −ΣΛ: given to the leavers' draw so that it
    /// need not compute it.
    ln_stay: f64,
    /// P(cleared | leaves).
    cleared: f64,
    /// P(encountered | leaves, not cleared).
    encountered: f64,
}

impl StepChances {
    /// The chances for integrated intensities of clearance, encounters and
    /// degradation over one step. Causes of infinite intensity (rate 1)
    /// remove every UXO within the step, shared equally among them.
    fn new(clearance: f64, encounter: f64, degradation: f64) -> Self {
        let total = clearance + encounter + degradation;
        if total.is_infinite() {
            let infinite =
                [clearance, encounter, degradation].map(|x| f64::from(u8::from(x.is_infinite())));
            let k: f64 = infinite.iter().sum();
            let after_clearance = infinite[1] + infinite[2];
            return StepChances {
                leave: 1.0,
                ln_stay: f64::NEG_INFINITY,
                cleared: infinite[0] / k,
                encountered: if after_clearance > 0.0 {
                    infinite[1] / after_clearance
                } else {
                    0.0
                },
            };
        }
        if total <= 0.0 {
            return StepChances {
                leave: 0.0,
                ln_stay: 0.0,
                cleared: 0.0,
                encountered: 0.0,
            };
        }
        let rest = encounter + degradation;
        StepChances {
            leave: -(-total).exp_m1(),
            ln_stay: -total,
            cleared: clearance / total,
            encountered: if rest > 0.0 { encounter / rest } else { 0.0 },
        }
    }
}

impl AftermathPlan {
    /// Compiles `aftermath` for a horizon of `steps` steps.
    pub(crate) fn new(aftermath: &Aftermath, steps: usize) -> Self {
        AftermathPlan {
            steps,
            step_length: aftermath.step_length,
            clearance_start: DurationSampler::new(&aftermath.clearance_start),
            clearance_end: aftermath.clearance_end.as_ref().map(DurationSampler::new),
            clearance_rate: ProbSampler::new(&aftermath.clearance_rate),
            encounter_rate: ProbSampler::new(&aftermath.encounter_rate),
            encounter_half_life: aftermath
                .encounter_half_life
                .map(|h| ProbSampler::from_shape(h.shape())),
            encounter_floor: ProbSampler::new(&aftermath.encounter_floor),
            degradation_rate: ProbSampler::new(&aftermath.degradation_rate),
            casualties_per_encounter: CountSampler::new(&aftermath.casualties_per_encounter),
        }
    }

    /// Whether clearance starts at a fixed time.
    pub(crate) fn clearance_start_is_fixed(&self) -> bool {
        self.clearance_start.is_fixed()
    }

    /// Whether clearance ends at a fixed time (or never).
    pub(crate) fn clearance_end_is_fixed(&self) -> bool {
        self.clearance_end.as_ref().is_none_or(|e| e.is_fixed())
    }

    /// Whether the scenario has a falling encounter hazard.
    pub(crate) fn has_half_life(&self) -> bool {
        self.encounter_half_life.is_some()
    }

    /// Draws the inputs of one replicate, in a fixed order, except those
    /// `given` has a value for: they take that value and consume no
    /// randomness, so the others are drawn exactly as if those inputs were
    /// fixed numbers in the file.
    pub(crate) fn draw_given<R: Rng + ?Sized>(
        &self,
        rng: &mut R,
        given: &dyn Fn(Input) -> Option<f64>,
    ) -> AftermathDraws {
        let clearance_start =
            given(Input::ClearanceStart).unwrap_or_else(|| self.clearance_start.sample(rng));
        let clearance_rate =
            given(Input::ClearanceRate).unwrap_or_else(|| self.clearance_rate.sample(rng));
        let encounter_rate =
            given(Input::EncounterRate).unwrap_or_else(|| self.encounter_rate.sample(rng));
        let degradation_rate =
            given(Input::DegradationRate).unwrap_or_else(|| self.degradation_rate.sample(rng));
        // Draws of the keys added later come last, so that files without
        // them keep their numbers.
        let clearance_end = match &self.clearance_end {
            Some(e) => given(Input::ClearanceEnd).unwrap_or_else(|| e.sample(rng)),
            None => f64::INFINITY,
        };
        let (encounter_half_life, encounter_floor) = match &self.encounter_half_life {
            Some(h) => {
                let half_life = given(Input::EncounterHalfLife).unwrap_or_else(|| h.sample(rng));
                let floor = given(Input::EncounterFloor)
                    .unwrap_or_else(|| self.encounter_floor.sample(rng));
                (half_life, floor)
            }
            None => (f64::INFINITY, 1.0),
        };
        AftermathDraws {
            clearance_start,
            clearance_end,
            clearance_rate,
            encounter_rate,
            encounter_half_life,
            encounter_floor,
            degradation_rate,
        }
    }

    /// Evolves `live` UXO over the horizon, pushing one entry per step.
    pub(crate) fn simulate<R: Rng + ?Sized>(
        &self,
        draws: &AftermathDraws,
        rng: &mut R,
        live: u64,
        timeline: &mut Vec<StepOutcome>,
    ) {
        let mut run = self.begin(draws, live);
        for t in 1..=self.steps as u64 {
            timeline.push(self.step(&mut run, t, rng));
        }
    }

    /// The state before the first step of a replicate with inputs `draws`
    /// and `live` UXO: what [`AftermathPlan::step`] advances.
    pub(crate) fn begin(&self, draws: &AftermathDraws, live: u64) -> AftermathRun {
        let delta = self.step_length;
        let start = self.clearance_start.steps(draws.clearance_start);
        let end = match &self.clearance_end {
            Some(e) if draws.clearance_end.is_finite() => e.steps(draws.clearance_end),
            _ => u64::MAX,
        };
        let clearance = intensity(draws.clearance_rate) * delta;
        let degradation = intensity(draws.degradation_rate) * delta;
        let encounter0 = intensity(draws.encounter_rate);
        // An infinite intensity (rate 1) stays infinite whatever share of
        // it remains: the constant path, where ∞·0 cannot arise.
        let falls = draws.encounter_half_life.is_finite()
            && draws.encounter_floor < 1.0
            && encounter0.is_finite();
        // Λ_e(t) = λ_e0·(φΔ + (1 − φ)·(H/ln 2)·(1 − 2^(−Δ/H))·2^(−(t−1)Δ/H)):
        // a constant part and a part that falls by 2^(−Δ/H) each step.
        let (constant, falling, decay) = if falls && encounter0 > 0.0 {
            let (h, floor) = (draws.encounter_half_life, draws.encounter_floor);
            let per_step = std::f64::consts::LN_2 * delta / h;
            let first =
                encounter0 * (1.0 - floor) * (h / std::f64::consts::LN_2) * -(-per_step).exp_m1();
            (encounter0 * floor * delta, first, (-per_step).exp())
        } else {
            (encounter0 * delta, 0.0, 1.0)
        };
        AftermathRun {
            start,
            end,
            clearance,
            degradation,
            constant,
            falling,
            decay,
            // Without a falling hazard the chances change only when
            // clearance starts or ends.
            idle: StepChances::new(0.0, constant, degradation),
            clearing: StepChances::new(clearance, constant, degradation),
            total: StepOutcome {
                live,
                ..StepOutcome::default()
            },
        }
    }

    /// Step `t` (from 1) of a replicate: its draws, and the state after it.
    #[inline]
    pub(crate) fn step<R: Rng + ?Sized>(
        &self,
        run: &mut AftermathRun,
        t: u64,
        rng: &mut R,
    ) -> StepOutcome {
        let live = run.total.live;
        if live > 0 {
            let clears = t > run.start && t <= run.end;
            let chances = if run.falling > 0.0 {
                let c = if clears { run.clearance } else { 0.0 };
                StepChances::new(c, run.constant + run.falling, run.degradation)
            } else if clears {
                run.clearing
            } else {
                run.idle
            };
            let leavers = binomial_with_ln_1m(rng, live, chances.leave, chances.ln_stay);
            let cleared = binomial(rng, leavers, chances.cleared);
            let encounters = binomial(rng, leavers - cleared, chances.encountered);
            run.total.live = live - leavers;
            run.total.cleared += cleared;
            run.total.encounters += encounters;
            run.total.casualties += self.casualties_per_encounter.sample_sum(rng, encounters);
        }
        run.falling *= run.decay;
        run.total
    }
}

/// One replicate's aftermath between two steps.
#[derive(Debug, Clone)]
pub(crate) struct AftermathRun {
    /// Clearance runs over steps `start + 1..=end`.
    start: u64,
    end: u64,
    /// Integrated intensities over one step.
    clearance: f64,
    degradation: f64,
    constant: f64,
    /// The falling part of the encounter intensity over the next step.
    falling: f64,
    decay: f64,
    idle: StepChances,
    clearing: StepChances,
    /// Live UXO, and the cumulative counts so far.
    total: StepOutcome,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Engine, ReplicateOutcome, RunSettings};
    use crate::scenario::ScenarioFile;

    /// How many standard errors an estimate may stray from its closed form.
    const Z: f64 = 5.0;

    /// A file whose one scenario leaves exactly `uxo` live duds (dud rate
    /// 1) and follows them with `aftermath` for `steps` steps of `unit`.
    fn file(uxo: u64, steps: u32, unit: &str, aftermath: &str) -> ScenarioFile {
        let text = format!(
            "[simulation]\nsteps = {steps}\nstep_unit = \"{unit}\"\n\
             [[munition]]\nid = \"X\"\nsubmunitions = {uxo}\ndud_rate = 1.0\n\
             [[scenario]]\nname = \"s\"\nstrikes = [ {{ munition = \"X\", carriers = 1 }} ]\n\
             [scenario.aftermath]\n{aftermath}\n"
        );
        ScenarioFile::parse("test.toml", &text).unwrap_or_else(|e| panic!("{e}\n{text}"))
    }

    /// The timelines of `n` replicates.
    fn timelines(file: &ScenarioFile, n: u64) -> Vec<Vec<StepOutcome>> {
        let engine = Engine::new(file, &RunSettings::from_file(file).with_seed(11));
        (0..n)
            .map(|r| {
                let mut out = ReplicateOutcome::default();
                engine.simulate_replicate(0, r, &mut out);
                out.timeline
            })
            .collect()
    }

    fn mean_var(values: &[f64]) -> (f64, f64) {
        let n = values.len() as f64;
        let mean = values.iter().sum::<f64>() / n;
        let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0);
        (mean, var)
    }

    /// Checks a sample's mean against a closed form whose variance is
    /// `variance`, and its variance against `variance` (the standard error
    /// of a sample variance from its fourth moment).
    fn assert_moments(label: &str, values: &[f64], mean: f64, variance: f64) {
        let n = values.len() as f64;
        let (m, v) = mean_var(values);
        if variance == 0.0 {
            assert!(
                values.iter().all(|&x| (x - mean).abs() < 1e-9),
                "{label}: varies"
            );
            return;
        }
        let z = (m - mean) / (variance / n).sqrt();
        assert!(z.abs() <= Z, "{label}: mean {m} vs {mean} ({z:.2} SE)");
        let m4 = values.iter().map(|x| (x - m).powi(4)).sum::<f64>() / n;
        let se = ((m4 - v * v) / n).sqrt();
        let z = (v - variance) / se;
        assert!(
            z.abs() <= Z,
            "{label}: variance {v} vs {variance} ({z:.2} SE)"
        );
    }

    #[test]
    fn monthly_and_yearly_steps_agree_at_every_whole_year() {
        // Rates per month in both files; clearance from month 12. With
        // constant rates, U at year y is Binomial(U0, S(y)) in both, where
        // S(y) = exp(−λe·12y) before clearance and exp(−λe·12 − (λe+λc)·12(y−1)) after.
        let aftermath = "rate_unit = \"month\"\nclearance_start = 12\n\
                         clearance_rate = 0.05\nencounter_rate = 0.02\n";
        let u0 = 400u64;
        let monthly = timelines(&file(u0, 48, "month", aftermath), 4000);
        let yearly = timelines(&file(u0, 4, "year", aftermath), 4000);
        let (le, lc) = (-(-0.02f64).ln_1p(), -(-0.05f64).ln_1p());
        for year in 1..=4usize {
            let months = 12.0 * year as f64;
            let cleared_months = (months - 12.0).max(0.0);
            let survive = (-le * months - lc * cleared_months).exp();
            let (mean, var) = (u0 as f64 * survive, u0 as f64 * survive * (1.0 - survive));
            // Encounters: λe/Σλ of each phase's leavers.
            let before = (1.0 - (-le * months.min(12.0)).exp()) * u0 as f64;
            let at_start = u0 as f64 * (-le * 12.0).exp();
            let after = at_start * le / (le + lc) * (1.0 - (-(le + lc) * cleared_months).exp());
            let encounters = before + after;
            for (label, timeline, t) in
                [("monthly", &monthly, 12 * year), ("yearly", &yearly, year)]
            {
                let live: Vec<f64> = timeline.iter().map(|s| s[t - 1].live as f64).collect();
                assert_moments(&format!("{label} live at year {year}"), &live, mean, var);
                let met: Vec<f64> = timeline
                    .iter()
                    .map(|s| s[t - 1].encounters as f64)
                    .collect();
                let p = encounters / u0 as f64;
                let (m, _) = mean_var(&met);
                let se = (u0 as f64 * p * (1.0 - p) / met.len() as f64).sqrt();
                assert!(
                    (m - encounters).abs() <= Z * se,
                    "{label} encounters by year {year}: {m} vs {encounters}"
                );
            }
        }
    }

    /// ∫₀ᵗ λ_e(s) ds for the falling hazard.
    fn integrated(lambda0: f64, half_life: f64, floor: f64, t: f64) -> f64 {
        let ln2 = std::f64::consts::LN_2;
        lambda0
            * (floor * t + (1.0 - floor) * half_life / ln2 * (1.0 - (-ln2 * t / half_life).exp()))
    }

    #[test]
    fn falling_hazards_integrate_exactly() {
        // No clearance, no degradation: encounters by t are
        // Binomial(U0, 1 − exp(−∫₀ᵗ λ_e)), whatever the steps.
        let u0 = 300u64;
        for (half_life, floor) in [(2.0, 0.0), (6.0, 0.2), (0.5, 0.05), (30.0, 0.5)] {
            let aftermath = format!(
                "encounter_rate = 0.05\nencounter_half_life = {half_life}\nencounter_floor = {floor}\n"
            );
            let runs = timelines(&file(u0, 24, "month", &aftermath), 3000);
            let lambda0 = -(-0.05f64).ln_1p();
            for t in [1usize, 3, 12, 24] {
                let p = 1.0 - (-integrated(lambda0, half_life, floor, t as f64)).exp();
                let met: Vec<f64> = runs.iter().map(|s| s[t - 1].encounters as f64).collect();
                let n = u0 as f64;
                assert_moments(
                    &format!("H {half_life}, floor {floor}, t {t}"),
                    &met,
                    n * p,
                    n * p * (1.0 - p),
                );
            }
        }
    }

    #[test]
    fn uncertain_falling_hazards_follow_the_law_of_total_variance() {
        // λ0 fixed, half-life uniform on [1, 5]: encounters by t given H are
        // Binomial(U0, P_H); Var = U0·E[P(1−P)] + U0²·Var P, by quadrature.
        let u0 = 200u64;
        let aftermath = "encounter_rate = 0.1\nencounter_half_life = { uniform = [1, 5] }\n";
        let runs = timelines(&file(u0, 12, "month", aftermath), 6000);
        let lambda0 = -(-0.1f64).ln_1p();
        let t = 12.0;
        let nodes = 20_000;
        let ps: Vec<f64> = (0..nodes)
            .map(|i| {
                let h = 1.0 + 4.0 * (i as f64 + 0.5) / nodes as f64;
                1.0 - (-integrated(lambda0, h, 0.0, t)).exp()
            })
            .collect();
        let e_p = ps.iter().sum::<f64>() / nodes as f64;
        let e_pq = ps.iter().map(|p| p * (1.0 - p)).sum::<f64>() / nodes as f64;
        let var_p = ps.iter().map(|p| (p - e_p).powi(2)).sum::<f64>() / nodes as f64;
        let n = u0 as f64;
        let met: Vec<f64> = runs.iter().map(|s| s[11].encounters as f64).collect();
        assert_moments("random half-life", &met, n * e_p, n * e_pq + n * n * var_p);
    }

    #[test]
    fn edge_rates_and_half_lives() {
        let u0 = 500u64;
        // A rate of 1: every UXO leaves in the first step.
        let certain = timelines(&file(u0, 3, "month", "encounter_rate = 1.0\n"), 50);
        assert!(
            certain
                .iter()
                .all(|s| s[0].live == 0 && s[0].encounters == u0)
        );
        // Rates of 0: nothing happens.
        let nothing = timelines(&file(u0, 3, "month", "encounter_rate = 0.0\n"), 50);
        assert!(nothing.iter().all(|s| s[2].live == u0));
        // Clearance and encounters both certain: the leavers split evenly.
        let both = timelines(
            &file(
                u0,
                1,
                "month",
                "clearance_rate = 1.0\nencounter_rate = 1.0\n",
            ),
            2000,
        );
        let cleared: Vec<f64> = both.iter().map(|s| s[0].cleared as f64).collect();
        assert_moments("certain split", &cleared, 250.0, 125.0);
        // A floor of 1 is a constant hazard; a half-life far longer than
        // the horizon is nearly one; far shorter, the floor from the start.
        let lambda0 = -(-0.05f64).ln_1p();
        for (aftermath, rate_integral) in [
            (
                "encounter_rate = 0.05\nencounter_half_life = 3\nencounter_floor = 1.0\n",
                lambda0 * 6.0,
            ),
            (
                "encounter_rate = 0.05\nencounter_half_life = 1e9\n",
                lambda0 * 6.0,
            ),
            (
                "encounter_rate = 0.05\nencounter_half_life = 1e-6\nencounter_floor = 0.3\n",
                integrated(lambda0, 1e-6, 0.3, 6.0),
            ),
        ] {
            let runs = timelines(&file(u0, 6, "month", aftermath), 3000);
            let p = 1.0 - (-rate_integral).exp();
            let met: Vec<f64> = runs.iter().map(|s| s[5].encounters as f64).collect();
            let n = u0 as f64;
            assert_moments(aftermath, &met, n * p, n * p * (1.0 - p));
        }
    }

    #[test]
    fn a_certain_encounter_rate_stays_certain_with_a_half_life() {
        // λ_e0 = ∞ times any share of the intensity above 0 is ∞: every
        // UXO is met in the first step, with or without a floor.
        for floor in ["", "encounter_floor = 0.2\n"] {
            let aftermath = format!("encounter_rate = 1.0\nencounter_half_life = 2\n{floor}");
            for s in timelines(&file(100, 3, "month", &aftermath), 20) {
                assert_eq!((s[0].live, s[0].encounters), (0, 100), "{aftermath}");
            }
        }
    }

    #[test]
    fn clearance_stops_at_its_end() {
        // Clearance certain within a month, from month 2 to month 3: only
        // step 3 clears, and it clears all that is live then.
        let runs = timelines(
            &file(
                100,
                5,
                "month",
                "clearance_start = 2\nclearance_end = 3\nclearance_rate = 1.0\nencounter_rate = 0.01\n",
            ),
            200,
        );
        for s in &runs {
            assert_eq!(s[1].cleared, 0);
            assert_eq!(s[2].live, 0);
            assert_eq!(s[2].cleared + s[2].encounters, 100);
        }
    }

    #[test]
    fn one_cause_leaves_with_its_own_rate() {
        // A rate r alone over one unit: leave with probability r.
        let c = StepChances::new(intensity(0.3), 0.0, 0.0);
        assert!((c.leave - 0.3).abs() < 1e-15);
        assert_eq!(c.cleared, 1.0);
    }

    #[test]
    fn competing_causes_split_by_intensity() {
        let (lc, le) = (intensity(0.2), intensity(0.1));
        let c = StepChances::new(lc, le, 0.0);
        assert!((c.leave - (1.0 - 0.8 * 0.9)).abs() < 1e-15);
        assert!((c.cleared - lc / (lc + le)).abs() < 1e-15);
        assert_eq!(c.encountered, 1.0);
    }

    #[test]
    fn certain_causes_share_every_leaver() {
        let c = StepChances::new(f64::INFINITY, f64::INFINITY, 0.1);
        assert_eq!(c.leave, 1.0);
        assert_eq!(c.cleared, 0.5);
        assert_eq!(c.encountered, 1.0);
        let c = StepChances::new(0.2, f64::INFINITY, 0.0);
        assert_eq!((c.leave, c.cleared, c.encountered), (1.0, 0.0, 1.0));
    }
}
