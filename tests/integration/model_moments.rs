//! The engine against closed forms (the model's strikes, duds, lots,
//! self-destruct and aftermath): means and variances of simulated
//! quantities within 5 standard errors, at fixed seeds.

use dudsim::{CountDist, CountShape, ProbDist, ProbShape, ScenarioFile, StepOutcome};

use crate::common::{
    assert_mean, assert_moments, assert_variance, outcomes, outcomes_per_carrier, scenario,
    unexploded,
};

/// A valid probability distribution of the given shape.
fn prob(shape: ProbShape) -> ProbDist {
    ProbDist::new(shape).unwrap()
}

/// A valid count distribution of the given shape.
fn count(shape: CountShape) -> CountDist {
    CountDist::new(shape).unwrap()
}

const R: u64 = 20_000;

/// A file with one munition `X` of `n` submunitions per carrier and one
/// scenario firing `carriers` of it.
fn one_strike(munition: &str, carriers: &str, aftermath: &str, steps: u32) -> String {
    format!(
        "[simulation]\nseed = 7\nsteps = {steps}\n\
         [[munition]]\nid = \"X\"\n{munition}\n\
         [[scenario]]\nname = \"s\"\nstrikes = [ {{ munition = \"X\", carriers = {carriers} }} ]\n\
         {aftermath}"
    )
}

/// Law of total variance for U = Binomial(N, q) with q random:
/// Var U = N·E[q(1−q)] + N²·Var q.
fn binomial_mixture(n: f64, q: &ProbDist) -> (f64, f64) {
    let mean = n * q.mean();
    let var = n * (q.mean() - q.second_moment()) + n * n * q.variance();
    (mean, var)
}

#[test]
fn fixed_dud_rate_gives_a_binomial() {
    let f = scenario(&one_strike(
        "submunitions = 72\ndud_rate = 0.35",
        "1000",
        "",
        0,
    ));
    let u = unexploded(&outcomes(&f, 0, R));
    let n = 72_000.0;
    assert_moments("fixed", &u, n * 0.35, n * 0.35 * 0.65);
}

#[test]
fn uncertain_dud_rates_follow_the_law_of_total_variance() {
    for (text, dist) in [
        (
            "{ uniform = [0.30, 0.40] }",
            prob(ProbShape::Uniform { lo: 0.30, hi: 0.40 }),
        ),
        (
            "{ triangular = [0.01, 0.05, 0.14] }",
            prob(ProbShape::Triangular {
                min: 0.01,
                mode: 0.05,
                max: 0.14,
            }),
        ),
        (
            "{ beta = [2.0, 30.0] }",
            prob(ProbShape::Beta {
                alpha: 2.0,
                beta: 30.0,
            }),
        ),
        ("{ fixed = 0.2 }", prob(ProbShape::Fixed(0.2))),
    ] {
        let f = scenario(&one_strike(
            &format!("submunitions = 72\ndud_rate = {text}"),
            "1000",
            "",
            0,
        ));
        let u = unexploded(&outcomes(&f, 0, R));
        let (mean, var) = binomial_mixture(72_000.0, &dist);
        assert_moments(text, &u, mean, var);
    }
}

#[test]
fn beta_dud_rates_sample_correctly_at_the_edges_of_the_allowed_range() {
    // Parameters from 0.001 to 1e9 are accepted; at the corners the rate is
    // all-or-nothing, nearly 0, nearly 1, or nearly fixed.
    for (alpha, beta) in [
        (1e-3, 1e-3),
        (1e-3, 1.0),
        (1.0, 1e-3),
        (1e-3, 1e9),
        (1e9, 1e-3),
        (1e9, 1e9),
        (1e9, 1.0),
        (1.0, 1e9),
    ] {
        let f = scenario(&one_strike(
            &format!("submunitions = 72\ndud_rate = {{ beta = [{alpha:e}, {beta:e}] }}"),
            "1000",
            "",
            0,
        ));
        let u = unexploded(&outcomes(&f, 0, R));
        let (mean, var) = binomial_mixture(72_000.0, &prob(ProbShape::Beta { alpha, beta }));
        assert_mean(&format!("beta [{alpha:e}, {beta:e}]"), &u, mean, var);
    }
}

#[test]
fn lot_variation_samples_correctly_at_the_edges_of_the_allowed_range() {
    // Beta-binomial per carrier: mean n·p, variance n·p(1−p)·(1 + (n−1)/(κ+1)),
    // drawn in one go, carrier by carrier, and carrier by carrier in the
    // spatial model; few carriers draw each rate directly, many use a table.
    for kappa in [1e-3, 1e9] {
        for carriers in [1u64, 3, 40] {
            let f = scenario(&format!(
                "[simulation]\nseed = 7\nsteps = 0\n\
                 [[munition]]\nid = \"X\"\nsubmunitions = 72\ndud_rate = 0.3\n\
                 lot_concentration = {kappa:e}\nfootprint_radius_m = 10\n\
                 [[scenario]]\nname = \"counts\"\nstrikes = [ {{ munition = \"X\", carriers = {carriers} }} ]\n\
                 [[scenario]]\nname = \"map\"\n\
                 strikes = [ {{ munition = \"X\", carriers = {carriers}, target = [50, 50, 50, 50], cep_m = 0 }} ]\n\
                 [scenario.area]\nwidth_m = 100\nheight_m = 100\ncell_m = 10\n"
            ));
            let (n, p, c) = (72.0, 0.3, carriers as f64);
            let mean = c * n * p;
            let var = c * n * p * (1.0 - p) * (1.0 + (n - 1.0) / (kappa + 1.0));
            let label = |how: &str| format!("kappa {kappa:e}, {carriers} carriers, {how}");
            assert_mean(&label("total"), &unexploded(&outcomes(&f, 0, R)), mean, var);
            assert_mean(
                &label("per carrier"),
                &unexploded(&outcomes_per_carrier(&f, 0, R)),
                mean,
                var,
            );
            assert_mean(
                &label("spatial"),
                &unexploded(&outcomes(&f, 1, R)),
                mean,
                var,
            );
        }
    }
}

#[test]
fn lot_variation_with_vanishing_dud_rates_draws_almost_no_duds() {
    // Beta(0.001, 1e9) rates are mostly below 1e-300, some of them
    // subnormal: κ·D then used to draw a rate of 1 for the carrier. The
    // expected duds are 72·1e-12 per carrier.
    let f = scenario(&one_strike(
        "submunitions = 72\ndud_rate = { beta = [1e-3, 1e9] }\nlot_concentration = 1e-3",
        "1",
        "",
        0,
    ));
    for outs in [outcomes(&f, 0, R), outcomes_per_carrier(&f, 0, R)] {
        let duds: u64 = outs.iter().map(|o| o.unexploded).sum();
        assert!(duds <= 72, "{duds} duds where about 1e-6 are expected");
    }
}

#[test]
fn lot_variation_inflates_the_per_carrier_variance() {
    // One carrier: Var = n·p(1−p)·(1 + (n−1)/(κ+1)), the beta-binomial.
    for (kappa, carriers) in [(10.0, 1u64), (100.0, 1), (100.0, 50)] {
        let f = scenario(&one_strike(
            &format!("submunitions = 72\ndud_rate = 0.3\nlot_concentration = {kappa}"),
            &carriers.to_string(),
            "",
            0,
        ));
        let u = unexploded(&outcomes(&f, 0, R));
        let (n, p, c) = (72.0, 0.3, carriers as f64);
        let per_carrier = n * p * (1.0 - p) * (1.0 + (n - 1.0) / (kappa + 1.0));
        assert_moments(
            &format!("kappa {kappa}, {carriers} carriers"),
            &u,
            c * n * p,
            c * per_carrier,
        );
    }
}

#[test]
fn self_destruct_thins_the_duds() {
    // Fixed: U ~ Binomial(N, p(1−s)).
    let f = scenario(&one_strike(
        "submunitions = 72\ndud_rate = 0.1\nself_destruct = 0.8",
        "1000",
        "",
        0,
    ));
    let u = unexploded(&outcomes(&f, 0, R));
    let q = 0.1 * 0.2;
    assert_moments(
        "fixed self-destruct",
        &u,
        72_000.0 * q,
        72_000.0 * q * (1.0 - q),
    );

    // Uncertain: q = D(1−S) with D and S independent.
    let f = scenario(&one_strike(
        "submunitions = 72\ndud_rate = { uniform = [0.05, 0.15] }\n\
         self_destruct = { uniform = [0.5, 0.9] }",
        "1000",
        "",
        0,
    ));
    let u = unexploded(&outcomes(&f, 0, R));
    let d = prob(ProbShape::Uniform { lo: 0.05, hi: 0.15 });
    let keep = prob(ProbShape::Uniform { lo: 0.1, hi: 0.5 }); // 1 − S
    let eq = d.mean() * keep.mean();
    let eq2 = d.second_moment() * keep.second_moment();
    let n = 72_000.0;
    assert_moments(
        "uncertain self-destruct",
        &u,
        n * eq,
        n * (eq - eq2) + n * n * (eq2 - eq * eq),
    );
}

#[test]
fn random_carrier_counts_add_their_variance() {
    // U | C ~ Binomial(C·n, p): Var U = E[C]·n·p(1−p) + n²p²·Var C.
    for (text, dist) in [
        ("{ poisson = 500 }", count(CountShape::Poisson(500.0))),
        (
            "{ uniform = [800, 1200] }",
            count(CountShape::Uniform { lo: 800, hi: 1200 }),
        ),
        ("{ fixed = 1000 }", count(CountShape::Fixed(1000))),
    ] {
        let f = scenario(&one_strike(
            "submunitions = 72\ndud_rate = 0.2",
            text,
            "",
            0,
        ));
        let outs = outcomes(&f, 0, R);
        let (n, p) = (72.0, 0.2);
        let u = unexploded(&outs);
        let mean = dist.mean() * n * p;
        let var = dist.mean() * n * p * (1.0 - p) + n * n * p * p * dist.variance();
        assert_moments(text, &u, mean, var);
        let fired: Vec<f64> = outs.iter().map(|o| o.submunitions as f64).collect();
        assert_moments(
            &format!("{text} fired"),
            &fired,
            dist.mean() * n,
            dist.variance() * n * n,
        );
    }
}

/// Two strikes of 500 carriers of one munition whose rate is 30-40%.
const TWO_STRIKES: &str = "[simulation]\nseed = 11\nsteps = 0\n\
     [[munition]]\nid = \"X\"\nsubmunitions = 72\ndud_rate = { uniform = [0.3, 0.4] }\n\
     [[scenario]]\nname = \"two strikes\"\nstrikes = [\n\
       { munition = \"X\", carriers = 500 },\n\
       { munition = \"X\", carriers = 500 },\n]\n";

#[test]
fn strikes_of_one_munition_share_its_dud_rate() {
    // Shared D: Var = N·E[D(1−D)] + (N₁+N₂)²·Var D. Independent rates per
    // strike would give (N₁² + N₂²)·Var D instead: half as much here.
    let f = scenario(TWO_STRIKES);
    let u = unexploded(&outcomes(&f, 0, R));
    let (mean, var) = binomial_mixture(72_000.0, &prob(ProbShape::Uniform { lo: 0.3, hi: 0.4 }));
    assert_moments("two strikes sharing a rate", &u, mean, var);
}

/// A dud rate of 1 makes U₀ = N exactly, isolating the aftermath.
fn aftermath_file(n_carriers: u64, aftermath: &str, steps: u32) -> ScenarioFile {
    scenario(&one_strike(
        "submunitions = 100\ndud_rate = 1.0",
        &n_carriers.to_string(),
        &format!("[scenario.aftermath]\n{aftermath}"),
        steps,
    ))
}

#[test]
fn aftermath_follows_its_expected_path() {
    // Fixed rates compete in continuous time: with intensities
    // λ_x = −ln(1 − x), a UXO leaves in step s with q_s = 1 − exp(−Σλ) and
    // by cause x with λ_x/Σλ. E[U_t] = U₀·Π(1 − q_s), U_t ~ Binomial(U₀, Q_t);
    // E[cleared by t] = Σ q_s·(λ_c/Σλ)·E[U_{s−1}], likewise encounters;
    // casualties add E[Z] per encounter.
    let (c, e, g, start, steps) = (0.05, 0.01, 0.02, 4u64, 30u32);
    let f = aftermath_file(
        100,
        &format!(
            "clearance_start = {start}\nclearance_rate = {c}\nencounter_rate = {e}\n\
             degradation_rate = {g}\ncasualties_per_encounter = {{ uniform = [1, 3] }}"
        ),
        steps,
    );
    let outs = outcomes(&f, 0, R);
    let u0 = 10_000.0;
    let mut survive = 1.0;
    let (mut cleared, mut encounters) = (0.0, 0.0);
    let intensity = |r: f64| -(-r).ln_1p();
    for t in 1..=steps as u64 {
        let lc = if t > start { intensity(c) } else { 0.0 };
        let (le, lg) = (intensity(e), intensity(g));
        let total = lc + le + lg;
        let leave = 1.0 - (-total).exp();
        cleared += leave * lc / total * u0 * survive;
        encounters += leave * le / total * u0 * survive;
        survive *= 1.0 - leave;
        let step = |f: fn(&StepOutcome) -> u64| -> Vec<f64> {
            outs.iter()
                .map(|o| f(&o.timeline[t as usize - 1]) as f64)
                .collect()
        };
        let live = step(|s| s.live);
        assert_moments(
            &format!("live at {t}"),
            &live,
            u0 * survive,
            u0 * survive * (1.0 - survive),
        );
        // Cumulative counts: each UXO's fate by t is a multinomial category.
        assert_mean(
            &format!("cleared by {t}"),
            &step(|s| s.cleared),
            cleared,
            cleared * (1.0 - cleared / u0),
        );
        assert_mean(
            &format!("encounters by {t}"),
            &step(|s| s.encounters),
            encounters,
            encounters * (1.0 - encounters / u0),
        );
        // Casualties: Σ Z over Binomial(U₀, P_e) encounters, Z uniform on {1,2,3}.
        let (ez, vz) = (2.0, 2.0 / 3.0);
        let pe = encounters / u0;
        assert_moments(
            &format!("casualties by {t}"),
            &step(|s| s.casualties),
            ez * encounters,
            encounters * vz + u0 * pe * (1.0 - pe) * ez * ez,
        );
    }
}

#[test]
fn aftermath_rates_are_drawn_once_per_replicate() {
    // With e ~ Uniform[0, 0.2] drawn once: E[U_t] = U₀·E[(1−e)^t]
    // = U₀·((1−a)^{t+1} − (1−b)^{t+1}) / ((t+1)(b−a)). A fresh draw per step
    // would give U₀·0.9^t instead: 0.12 against 0.24 at t = 20.
    let f = aftermath_file(100, "encounter_rate = { uniform = [0.0, 0.2] }", 20);
    let outs = outcomes(&f, 0, R);
    let u0 = 10_000.0;
    let (a, b) = (0.0f64, 0.2f64);
    let moment = |k: f64, t: f64| {
        // E[(1−e)^{k·t}] for e uniform on [a, b].
        ((1.0 - a).powf(k * t + 1.0) - (1.0 - b).powf(k * t + 1.0)) / ((k * t + 1.0) * (b - a))
    };
    for t in [1u32, 5, 20] {
        let live: Vec<f64> = outs
            .iter()
            .map(|o| o.timeline[t as usize - 1].live as f64)
            .collect();
        let (q1, q2) = (moment(1.0, t as f64), moment(2.0, t as f64));
        // U_t | e ~ Binomial(U₀, (1−e)^t).
        let var = u0 * (q1 - q2) + u0 * u0 * (q2 - q1 * q1);
        assert_moments(&format!("live at {t}"), &live, u0 * q1, var);
    }
}

#[test]
fn casualties_per_encounter_sum_exactly_for_few_and_many_encounters() {
    // One step, U₀ = N: encounters ~ Binomial(N, e); casualties = Σ Z.
    // E = N·e·E[Z]; Var = N·e·Var Z + N·e(1−e)·E[Z]². Few encounters take
    // one draw per encounter, many take a multinomial over Z's values.
    for (carriers, z_text, ez, vz) in [
        (1u64, "{ uniform = [1, 3] }", 2.0, 2.0 / 3.0),
        (1000, "{ uniform = [1, 3] }", 2.0, 2.0 / 3.0),
        (1000, "{ poisson = 1.5 }", 1.5, 1.5),
        (1000, "2", 2.0, 0.0),
    ] {
        let e = 0.01;
        let f = aftermath_file(
            carriers,
            &format!("encounter_rate = {e}\ncasualties_per_encounter = {z_text}"),
            1,
        );
        let n = carriers as f64 * 100.0;
        let cas: Vec<f64> = outcomes(&f, 0, R)
            .iter()
            .map(|o| o.timeline[0].casualties as f64)
            .collect();
        assert_moments(
            &format!("{carriers} carriers, Z = {z_text}"),
            &cas,
            n * e * ez,
            n * e * vz + n * e * (1.0 - e) * ez * ez,
        );
    }
}

#[test]
fn a_test_of_the_wrong_closed_form_fails() {
    // The checks above can fail: independent per-strike rates would give
    // half the variance of the shared-rate case, and that is rejected.
    let f = scenario(TWO_STRIKES);
    let u = unexploded(&outcomes(&f, 0, R));
    let d = prob(ProbShape::Uniform { lo: 0.3, hi: 0.4 });
    let n: f64 = 72_000.0;
    let wrong = n * (d.mean() - d.second_moment()) + 2.0 * (n / 2.0).powi(2) * d.variance();
    let result = std::panic::catch_unwind(|| assert_variance("wrong", &u, wrong));
    assert!(
        result.is_err(),
        "a variance half the true one was not detected"
    );
}
