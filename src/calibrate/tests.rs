//! Statistical tests of the calibration as a whole: exact posteriors,
//! coverage over synthetic data sets, determinism across thread counts, and
//! a prior that cannot reach its data. Tolerances are 5 standard errors of
//! the Monte Carlo estimate, with the effective sample size standing in for
//! the sample size of a weighted sample.

use std::time::Instant;

use rand_distr::{Binomial, Distribution};

use super::*;

fn binomial(rng: &mut ParticleRng, n: u64, p: f64) -> f64 {
    Binomial::new(n, p).expect("0 <= p <= 1").sample(rng) as f64
}

fn observed(values: &[f64]) -> Observations {
    let mut obs = Observations::new();
    for (i, &v) in values.iter().enumerate() {
        obs.push(format!("y{}", i + 1), v, None).unwrap();
    }
    obs
}

fn quiet() -> impl FnMut(&Progress<'_>) {
    |_: &Progress<'_>| {}
}

/// Mean, variance and fourth central moment of an unnormalised density on
/// `[lo, hi]`, by the midpoint rule on a fine grid.
fn density_moments(density: impl Fn(f64) -> f64, lo: f64, hi: f64) -> (f64, f64, f64) {
    let n = 200_000;
    let h = (hi - lo) / n as f64;
    let points: Vec<(f64, f64)> = (0..n)
        .map(|i| {
            let x = lo + (i as f64 + 0.5) * h;
            (x, density(x))
        })
        .collect();
    central_moments(&points)
}

/// The same for an unnormalised probability mass function.
fn pmf_moments(pmf: impl Fn(u64) -> f64, lo: u64, hi: u64) -> (f64, f64, f64) {
    let points: Vec<(f64, f64)> = (lo..=hi).map(|k| (k as f64, pmf(k))).collect();
    central_moments(&points)
}

fn central_moments(points: &[(f64, f64)]) -> (f64, f64, f64) {
    let mass: f64 = points.iter().map(|p| p.1).sum();
    let mean = points.iter().map(|(x, d)| x * d).sum::<f64>() / mass;
    let moment = |k: i32| {
        points
            .iter()
            .map(|(x, d)| (x - mean).powi(k) * d)
            .sum::<f64>()
            / mass
    };
    (mean, moment(2), moment(4))
}

/// Asserts the weighted mean and variance of one parameter match the
/// exact posterior within 5 standard errors. The standard errors are those
/// of self-normalised importance sampling (the delta method):
/// `√Σ w_i²(x_i − x̄)²` for the mean and `√Σ w_i²((x_i − x̄)² − s²)²` for the
/// variance, weights summing to 1. Kish's `sd/√ESS` is printed beside them:
/// it assumes weights unrelated to the values and understates the error
/// when the largest weights sit in a tail.
fn assert_moments(label: &str, posterior: &Posterior, parameter: usize, exact: (f64, f64, f64)) {
    let (mean, var, _) = exact;
    let w = posterior.weights();
    let x = posterior.values_of(parameter);
    let got_mean: f64 = w.iter().zip(&x).map(|(w, x)| w * x).sum();
    let got_var: f64 = w
        .iter()
        .zip(&x)
        .map(|(w, x)| w * (x - got_mean).powi(2))
        .sum();
    let se_mean = w
        .iter()
        .zip(&x)
        .map(|(w, x)| (w * (x - got_mean)).powi(2))
        .sum::<f64>()
        .sqrt();
    let se_var = w
        .iter()
        .zip(&x)
        .map(|(w, x)| (w * ((x - got_mean).powi(2) - got_var)).powi(2))
        .sum::<f64>()
        .sqrt();
    let ess = posterior.effective_sample_size();
    eprintln!(
        "{label}: mean {got_mean:.5} vs exact {mean:.5} ({:+.2} SE, SE {se_mean:.5}; Kish SE {:.5}); \
         variance {got_var:.6} vs exact {var:.6} ({:+.2} SE); ESS {ess:.0}",
        (got_mean - mean) / se_mean,
        (var / ess).sqrt(),
        (got_var - var) / se_var
    );
    assert!(
        (got_mean - mean).abs() < 5.0 * se_mean,
        "{label}: mean {got_mean} vs exact {mean}, SE {se_mean}"
    );
    assert!(
        (got_var - var).abs() < 5.0 * se_var,
        "{label}: variance {got_var} vs exact {var}, SE {se_var}"
    );
}

fn settings(particles: usize, seed: u64) -> Settings {
    Settings {
        particles,
        seed,
        ..Settings::default()
    }
}

fn beta_density(a: f64, b: f64) -> impl Fn(f64) -> f64 {
    move |x: f64| x.powf(a - 1.0) * (1.0 - x).powf(b - 1.0)
}

/// p ~ Beta(2, 3), k ~ Binomial(30, p), k = 12 observed: with the tolerance
/// driven to 0 (exact matches), the posterior is Beta(14, 21).
#[test]
fn beta_binomial_posterior_is_exact_at_zero_tolerance() {
    let start = Instant::now();
    let space = ParameterSpace::new([("p", Prior::beta(2.0, 3.0).unwrap())]).unwrap();
    let fit = calibrate(
        &space,
        &observed(&[12.0]),
        |theta, rng| vec![binomial(rng, 30, theta[0])],
        &settings(1_000, 7),
        &mut quiet(),
    )
    .unwrap();
    assert_eq!(fit.stop, StopReason::TargetReached);
    assert_eq!(fit.population.tolerance(), 0.0);
    assert!(fit.population.distances().iter().all(|&d| d == 0.0));
    // The schedule shrank the tolerance at every step.
    for pair in fit.generations.windows(2) {
        assert!(
            pair[1].tolerance < pair[0].tolerance,
            "{:?}",
            fit.generations
        );
    }
    let posterior = Posterior::from_population(&space, &fit.population);
    assert_moments(
        "Beta(14, 21)",
        &posterior,
        0,
        density_moments(beta_density(14.0, 21.0), 0.0, 1.0),
    );
    eprintln!(
        "beta-binomial: {} generations, {} simulations, {:.2?}",
        fit.generations.len(),
        fit.simulations,
        start.elapsed()
    );
}

/// Two independent binomials, two Beta priors: the posterior is the product
/// of Beta(1 + 5, 1 + 15) and Beta(3 + 30, 2 + 10), with no correlation. The
/// kernel works with the joint covariance.
#[test]
fn two_parameter_posterior_is_the_product_of_exact_betas() {
    let start = Instant::now();
    let space = ParameterSpace::new([
        ("p1", Prior::beta(1.0, 1.0).unwrap()),
        ("p2", Prior::beta(3.0, 2.0).unwrap()),
    ])
    .unwrap();
    let fit = calibrate(
        &space,
        &observed(&[5.0, 30.0]),
        |theta, rng| vec![binomial(rng, 20, theta[0]), binomial(rng, 40, theta[1])],
        &settings(1_000, 8),
        &mut quiet(),
    )
    .unwrap();
    assert_eq!(fit.stop, StopReason::TargetReached);
    let posterior = Posterior::from_population(&space, &fit.population);
    assert_moments(
        "p1 ~ Beta(6, 16)",
        &posterior,
        0,
        density_moments(beta_density(6.0, 16.0), 0.0, 1.0),
    );
    assert_moments(
        "p2 ~ Beta(33, 12)",
        &posterior,
        1,
        density_moments(beta_density(33.0, 12.0), 0.0, 1.0),
    );
    // Correlation 0: a weighted sample correlation has SE about 1/√ESS.
    let s = posterior.summaries();
    let w = posterior.weights();
    let cov: f64 = (0..posterior.len())
        .map(|i| {
            let x = posterior.particle(i);
            w[i] * (x[0] - s[0].mean) * (x[1] - s[1].mean)
        })
        .sum();
    let correlation = cov / (s[0].sd * s[1].sd);
    let ess = posterior.effective_sample_size();
    assert!(
        correlation.abs() < 5.0 / ess.sqrt(),
        "correlation {correlation}"
    );
    eprintln!(
        "two binomials: correlation {correlation:.3}, {} generations, {} simulations, {:.2?}",
        fit.generations.len(),
        fit.simulations,
        start.elapsed()
    );
}

/// p ~ Uniform(0.1, 0.6) and 2 of 40 observed: the likelihood peaks at 0.05,
/// outside the prior, so the posterior, proportional to p²(1−p)³⁸ on
/// [0.1, 0.6], piles against the lower bound. Moments by quadrature.
#[test]
fn posterior_piled_against_a_bound_is_exact() {
    let space = ParameterSpace::new([("p", Prior::uniform(0.1, 0.6).unwrap())]).unwrap();
    let fit = calibrate(
        &space,
        &observed(&[2.0]),
        |theta, rng| vec![binomial(rng, 40, theta[0])],
        &settings(1_000, 9),
        &mut quiet(),
    )
    .unwrap();
    assert_eq!(fit.stop, StopReason::TargetReached);
    let posterior = Posterior::from_population(&space, &fit.population);
    assert!(posterior.summaries()[0].q05 >= 0.1);
    assert_moments(
        "p²(1−p)³⁸ on [0.1, 0.6]",
        &posterior,
        0,
        density_moments(beta_density(3.0, 39.0), 0.1, 0.6),
    );
}

/// Whole-number parameters next to their bounds. n ~ Poisson(6) and
/// k ~ Binomial(n, 1/2) with k = 0 observed: by Poisson thinning n is
/// Poisson(3) a posteriori, with much mass at the bound 0. m ~ uniform on
/// 2..=30 and j ~ Binomial(m, 1/2) with j = 1 observed: the posterior is
/// proportional to m·2⁻ᵐ on 2..=30, piled at the bound 2.
#[test]
fn whole_number_posteriors_against_their_bounds_are_exact() {
    let space = ParameterSpace::new([
        ("n", Prior::poisson(6.0).unwrap()),
        ("m", Prior::uniform_integer(2, 30).unwrap()),
    ])
    .unwrap();
    let fit = calibrate(
        &space,
        &observed(&[0.0, 1.0]),
        |theta, rng| {
            vec![
                binomial(rng, theta[0] as u64, 0.5),
                binomial(rng, theta[1] as u64, 0.5),
            ]
        },
        &settings(1_000, 10),
        &mut quiet(),
    )
    .unwrap();
    assert_eq!(fit.stop, StopReason::TargetReached);
    let posterior = Posterior::from_population(&space, &fit.population);
    let poisson3 = |k: u64| (k as f64 * 3f64.ln() - 3.0 - prior::ln_gamma(k as f64 + 1.0)).exp();
    assert_moments(
        "n ~ Poisson(3)",
        &posterior,
        0,
        pmf_moments(poisson3, 0, 100),
    );
    assert_moments(
        "m ∝ m 2^-m on 2..=30",
        &posterior,
        1,
        pmf_moments(|m| m as f64 * 0.5f64.powi(m as i32), 2, 30),
    );
}

/// The central 99% acceptance region of Binomial(n, p): the smallest `a`
/// and `b` with P(X < a) ≤ 0.5% and P(X > b) ≤ 0.5%.
fn binomial_band(n: u64, p: f64) -> (u64, u64) {
    let pmf: Vec<f64> = (0..=n)
        .map(|k| {
            (prior::ln_gamma(n as f64 + 1.0)
                - prior::ln_gamma(k as f64 + 1.0)
                - prior::ln_gamma((n - k) as f64 + 1.0)
                + k as f64 * p.ln()
                + (n - k) as f64 * (1.0 - p).ln())
            .exp()
        })
        .collect();
    let mut below = 0.0;
    let mut lower = 0;
    while below + pmf[lower as usize] <= 0.005 {
        below += pmf[lower as usize];
        lower += 1;
    }
    let mut above = 0.0;
    let mut upper = n;
    while above + pmf[upper as usize] <= 0.005 {
        above += pmf[upper as usize];
        upper -= 1;
    }
    (lower, upper)
}

#[test]
fn binomial_bands_are_the_central_99_percent() {
    // Binomial(20, 0.9): P(X ≤ 13) = 0.0024, P(X ≤ 14) = 0.0113.
    assert_eq!(binomial_band(20, 0.9), (14, 20));
    assert_eq!(binomial_band(40, 0.5), (12, 28));
}

/// A small model of duds found year by year: n ~ Poisson(30) duds, each
/// found (and removed) in a year with probability p ~ Beta(2, 3); three
/// yearly counts are observed.
fn yearly_finds(theta: &[f64], rng: &mut ParticleRng) -> Vec<f64> {
    let mut live = theta[1] as u64;
    (0..3)
        .map(|_| {
            let found = binomial(rng, live, theta[0]);
            live -= found as u64;
            found
        })
        .collect()
}

/// The recovery model: a share p ~ Beta(2, 3) seen through 25 trials and a
/// rate λ ~ Gamma(shape 2, scale 15) seen through one Poisson count.
fn share_and_rate(theta: &[f64], rng: &mut ParticleRng) -> Vec<f64> {
    use rand_distr::Poisson;
    let count = Poisson::new(theta[1]).expect("a positive rate").sample(rng);
    vec![binomial(rng, 25, theta[0]), count]
}

/// Recovery over data sets drawn from the prior predictive. Counts can be
/// matched exactly, so each fit is an importance sample of the exact
/// posterior: the true value falls in the central 90% interval with
/// probability 0.9 and in the central 50% interval with probability 0.5.
/// Over K data sets the counts must lie in the central 99% bands of
/// Binomial(K, 0.9) and Binomial(K, 0.5) (the second catches intervals that
/// are too wide, which the first cannot). The truth's position is read as
/// the posterior probability below it (the probability integral transform,
/// uniform under the exact posterior; Talts et al. 2018).
#[test]
fn posterior_intervals_cover_the_truth_at_their_nominal_rate() {
    let start = Instant::now();
    let space = ParameterSpace::new([
        ("p", Prior::beta(2.0, 3.0).unwrap()),
        ("lambda", Prior::gamma(2.0, 15.0).unwrap()),
    ])
    .unwrap();
    let data_sets = 40;
    let mut covered90 = [0u64; 2];
    let mut covered50 = [0u64; 2];
    let mut width_ratio = [0.0; 2];
    let mut simulations = 0;
    for s in 0..data_sets {
        let mut rng = particle_stream(2024, 1_000_000, s);
        let mut truth = vec![0.0; 2];
        space.sample_prior(&mut rng, &mut truth);
        let data = share_and_rate(&truth, &mut rng);
        let fit = calibrate(
            &space,
            &observed(&data),
            share_and_rate,
            &settings(200, 100 + s),
            &mut quiet(),
        )
        .unwrap();
        assert_eq!(
            fit.stop,
            StopReason::TargetReached,
            "data set {s}: {data:?}"
        );
        simulations += fit.simulations;
        let posterior = Posterior::from_population(&space, &fit.population);
        let summaries = posterior.summaries();
        for (k, prior) in space.priors().iter().enumerate() {
            let below: f64 = (0..posterior.len())
                .filter(|&i| posterior.particle(i)[k] < truth[k])
                .map(|i| posterior.weights()[i])
                .sum();
            covered90[k] += u64::from((0.05..=0.95).contains(&below));
            covered50[k] += u64::from((0.25..=0.75).contains(&below));
            width_ratio[k] += summaries[k].sd / prior.variance().sqrt() / data_sets as f64;
        }
    }
    let band90 = binomial_band(data_sets, 0.9);
    let band50 = binomial_band(data_sets, 0.5);
    eprintln!(
        "coverage over {data_sets} data sets: 90% intervals p {} lambda {} (band {band90:?}); \
         50% intervals p {} lambda {} (band {band50:?}); posterior sd / prior sd p {:.2} lambda {:.2}; \
         {simulations} simulations, {:.2?}",
        covered90[0],
        covered90[1],
        covered50[0],
        covered50[1],
        width_ratio[0],
        width_ratio[1],
        start.elapsed()
    );
    for k in 0..2 {
        assert!(
            (band90.0..=band90.1).contains(&covered90[k]),
            "90%: {covered90:?}"
        );
        assert!(
            (band50.0..=band50.1).contains(&covered50[k]),
            "50%: {covered50:?}"
        );
        assert!(
            width_ratio[k] < 0.6,
            "posterior not clearly narrower: {width_ratio:?}"
        );
    }
}

/// The same fit in pools of 1, 2 and 3 threads gives the same bits.
#[test]
fn results_do_not_depend_on_the_thread_count() {
    let space = ParameterSpace::new([
        ("p", Prior::beta(2.0, 3.0).unwrap()),
        ("n", Prior::poisson(30.0).unwrap()),
    ])
    .unwrap();
    let run = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| {
            let fit = calibrate(
                &space,
                &observed(&[9.0, 6.0, 2.0]),
                yearly_finds,
                &settings(300, 77),
                &mut quiet(),
            )
            .unwrap();
            let posterior = Posterior::from_population(&space, &fit.population);
            let bands = posterior_predictive(&posterior, yearly_finds, 5, 2).unwrap();
            (fit, bands)
        })
    };
    let bits = |fit: &Fit| {
        let p = &fit.population;
        let mut all: Vec<u64> = (0..p.len())
            .flat_map(|i| p.particle(i).to_vec())
            .map(f64::to_bits)
            .collect();
        all.extend(p.weights().iter().map(|w| w.to_bits()));
        all.extend(p.distances().iter().map(|d| d.to_bits()));
        all.extend(fit.generations.iter().map(|g| g.tolerance.to_bits()));
        all.extend(fit.generations.iter().map(|g| g.attempts));
        all
    };
    let (one, bands_one) = run(1);
    assert!(one.generations.len() > 3);
    for threads in [2, 3] {
        let (other, bands_other) = run(threads);
        assert_eq!(bits(&one), bits(&other), "{threads} threads");
        assert_eq!(bands_one, bands_other, "{threads} threads");
    }
}

/// Rates capped far below what the first observation needs: the fit ends
/// quickly with the diagnostic, naming that observation as the farthest.
#[test]
fn a_prior_that_cannot_reach_the_data_stops_with_a_diagnostic() {
    let start = Instant::now();
    let space = ParameterSpace::new([
        ("p1", Prior::uniform(0.0, 0.05).unwrap()),
        ("p2", Prior::uniform(0.0, 1.0).unwrap()),
    ])
    .unwrap();
    let mut obs = Observations::new();
    obs.push("casualties 2007", 80.0, None).unwrap();
    obs.push("cleared 2007", 10.0, None).unwrap();
    let mut generations_seen = 0;
    let error = calibrate(
        &space,
        &obs,
        |theta, rng| vec![binomial(rng, 100, theta[0]), binomial(rng, 20, theta[1])],
        &settings(500, 3),
        &mut |p: &Progress<'_>| {
            if let Progress::Generation(_) = p {
                generations_seen += 1;
            }
        },
    )
    .unwrap_err();
    let elapsed = start.elapsed();
    let CalibrateError::CannotReachData(diagnostic) = &error else {
        panic!("expected the unreachable diagnostic, got {error}")
    };
    let message = error.to_string();
    eprintln!(
        "{message}\n({} simulations, {elapsed:.2?})",
        diagnostic.simulations
    );
    assert!(
        message.starts_with("the prior cannot reach the data"),
        "{message}"
    );
    assert!(
        message.contains("`casualties 2007` observed 80"),
        "{message}"
    );
    assert_eq!(diagnostic.farthest[0].index, 0);
    assert!(diagnostic.farthest[0].scaled_miss < -5.0);
    assert!(diagnostic.tolerance_per_observation > 3.0);
    assert_eq!(diagnostic.generations.len(), generations_seen);
    // Bounded work: at most the attempts cap per generation.
    let cap = 500.0 / Settings::default().min_acceptance_rate;
    assert!(diagnostic.simulations as f64 <= cap * (diagnostic.generations.len() as f64 + 1.0));
    assert!(elapsed.as_secs_f64() < 10.0, "{elapsed:?}");
}

/// The same unreachable data with the stall rule switched off: the
/// tolerance creeps down one count at a time until a generation's
/// acceptance rate falls below the limit, and that generation is abandoned
/// after `particles / min_acceptance_rate` proposals.
#[test]
fn a_collapsing_acceptance_rate_stops_with_a_diagnostic() {
    let start = Instant::now();
    let space = ParameterSpace::new([("p", Prior::uniform(0.0, 0.05).unwrap())]).unwrap();
    let mut obs = Observations::new();
    obs.push("casualties 2007", 80.0, None).unwrap();
    let limits = Settings {
        min_tolerance_decrease: 0.0,
        ..settings(500, 4)
    };
    let error = calibrate(
        &space,
        &obs,
        |theta, rng| vec![binomial(rng, 100, theta[0])],
        &limits,
        &mut quiet(),
    )
    .unwrap_err();
    let elapsed = start.elapsed();
    let CalibrateError::CannotReachData(diagnostic) = &error else {
        panic!("expected the unreachable diagnostic, got {error}")
    };
    eprintln!(
        "{error}\n({} simulations, {elapsed:.2?})",
        diagnostic.simulations
    );
    assert_eq!(diagnostic.ended, StopReason::AcceptanceCollapsed);
    let cap = 500.0 / limits.min_acceptance_rate;
    assert!(diagnostic.attempted_proposals as f64 >= cap);
    // The last round may overshoot the cap by at most 64 proposals each.
    assert!(diagnostic.attempted_proposals as f64 <= cap + 64.0 * 500.0);
    assert!((diagnostic.attempted_accepted as f64) < 500.0);
    assert!(
        error
            .to_string()
            .contains("acceptance rate below the limit of 0.001")
    );
    assert!(elapsed.as_secs_f64() < 10.0, "{elapsed:?}");
}

/// Data within reach but never matched exactly (a continuous observation):
/// the acceptance rate collapses at a small tolerance and the fit is
/// returned, not an error.
#[test]
fn a_collapse_close_to_the_data_returns_the_fit() {
    use rand_distr::Normal;
    let space = ParameterSpace::new([("mu", Prior::uniform(-10.0, 10.0).unwrap())]).unwrap();
    let mut obs = Observations::new();
    obs.push("y", 1.3, Some(1.0)).unwrap();
    let fit = calibrate(
        &space,
        &obs,
        |theta, rng| vec![Normal::new(theta[0], 1.0).unwrap().sample(rng)],
        &settings(200, 2),
        &mut quiet(),
    )
    .unwrap();
    assert!(
        matches!(
            fit.stop,
            StopReason::AcceptanceCollapsed | StopReason::ToleranceStalled
        ),
        "{:?}",
        fit.stop
    );
    assert!(
        fit.population.tolerance() < 0.1,
        "{}",
        fit.population.tolerance()
    );
}

#[test]
fn budget_and_generation_limits_stop_with_the_last_complete_population() {
    let space = ParameterSpace::new([("p", Prior::beta(2.0, 3.0).unwrap())]).unwrap();
    let model = |theta: &[f64], rng: &mut ParticleRng| vec![binomial(rng, 30, theta[0])];
    let limited = Settings {
        max_generations: 2,
        ..settings(100, 1)
    };
    let fit = calibrate(&space, &observed(&[12.0]), model, &limited, &mut quiet()).unwrap();
    assert_eq!(fit.stop, StopReason::MaxGenerations);
    assert_eq!(fit.generations.len(), 3);
    let budget = Settings {
        max_simulations: 250,
        ..settings(100, 1)
    };
    let fit = calibrate(&space, &observed(&[12.0]), model, &budget, &mut quiet()).unwrap();
    assert_eq!(fit.stop, StopReason::SimulationBudget);
    assert!(fit.simulations >= 250);
    let last = fit.generations.last().unwrap();
    assert_eq!(fit.population.tolerance(), last.tolerance);
}

#[test]
fn model_output_and_settings_are_checked() {
    let space = ParameterSpace::new([("p", Prior::beta(2.0, 3.0).unwrap())]).unwrap();
    let obs = observed(&[12.0]);
    let short = calibrate(&space, &obs, |_, _| vec![], &settings(100, 1), &mut quiet());
    let message = short.unwrap_err().to_string();
    assert!(message.contains("0 values for 1 observations"), "{message}");
    let nan = calibrate(
        &space,
        &obs,
        |_, _| vec![f64::NAN],
        &settings(100, 1),
        &mut quiet(),
    );
    let message = nan.unwrap_err().to_string();
    assert!(message.contains("NaN for observation `y1`"), "{message}");
    for bad in [
        Settings {
            particles: 5,
            ..Settings::default()
        },
        Settings {
            quantile: 1.0,
            ..Settings::default()
        },
        Settings {
            max_simulations: 10,
            ..Settings::default()
        },
        Settings {
            min_acceptance_rate: 0.0,
            ..Settings::default()
        },
        Settings {
            min_tolerance_decrease: 1.0,
            ..Settings::default()
        },
        Settings {
            target_per_observation: -1.0,
            ..Settings::default()
        },
    ] {
        let e = calibrate(&space, &obs, |_, _| vec![0.0], &bad, &mut quiet()).unwrap_err();
        assert!(matches!(e, CalibrateError::InvalidSettings { .. }), "{e}");
    }
    let none = calibrate(
        &space,
        &Observations::new(),
        |_, _| vec![],
        &settings(100, 1),
        &mut quiet(),
    );
    assert!(none.is_err());
}

/// A fitted posterior survives the CSV round trip bit for bit, and its
/// predictive bands contain the fitted observation.
#[test]
fn a_fitted_posterior_round_trips_and_predicts_its_data() {
    let space = ParameterSpace::new([
        ("p", Prior::beta(2.0, 3.0).unwrap()),
        ("n", Prior::poisson(30.0).unwrap()),
    ])
    .unwrap();
    let data = [9.0, 6.0, 2.0];
    let fit = calibrate(
        &space,
        &observed(&data),
        yearly_finds,
        &settings(300, 5),
        &mut quiet(),
    )
    .unwrap();
    let posterior = Posterior::from_population(&space, &fit.population);
    let mut bytes = Vec::new();
    posterior.write_csv(&mut bytes).unwrap();
    let back = Posterior::from_csv(std::str::from_utf8(&bytes).unwrap(), &space).unwrap();
    assert_eq!(back, posterior);
    let bands = posterior_predictive(&back, yearly_finds, 1, 4).unwrap();
    for (band, &y) in bands.iter().zip(&data) {
        assert!(band.contains_90(y), "{band:?} vs {y}");
        assert!(
            band.q05 <= band.q25
                && band.q25 <= band.median
                && band.median <= band.q75
                && band.q75 <= band.q95
        );
    }
    // The prior sample's interval is wider than the posterior's.
    let prior = Posterior::from_population(&space, &fit.prior_sample).summaries();
    let post = posterior.summaries();
    for k in 0..2 {
        assert!(post[k].q95 - post[k].q05 < prior[k].q95 - prior[k].q05);
    }
}
