//! The engine's fast paths against the exact distributions they replace:
//! lot variation drawn through the Beta-binomial pmf (one multinomial per
//! replicate) against the literal `p_i ~ Beta`, `X_i ~ Binomial` per
//! carrier, and both against the exact pmf of the UXO count.

use dudsim::{DudSampling, Engine, ReplicateOutcome, RunSettings, ScenarioFile};
use statrs::distribution::{ChiSquared, ContinuousCDF};
use statrs::function::factorial::ln_binomial;

const SCENARIO: &str = r#"
[simulation]
seed = 7
steps = 0

[[munition]]
id = "LOT"
base = "9M55K"
submunitions = 72
dud_rate = 0.35
lot_concentration = 20
self_destruct = 0.2

[[scenario]]
name = "lots"
strikes = [ { munition = "LOT", carriers = 12 } ]
"#;

const N: u64 = 72;
const CARRIERS: usize = 12;
const KAPPA: f64 = 20.0;
const D: f64 = 0.35;
const S: f64 = 0.2;
const REPLICATES: u64 = 100_000;

/// Exact pmf of the live UXO: per carrier Beta-binomial(72, κD, κ(1−D))
/// duds, each staying live with probability 1 − S, summed over carriers.
fn exact_pmf() -> Vec<f64> {
    let (alpha, beta) = (KAPPA * D, KAPPA * (1.0 - D));
    // Rising factorials, in log space.
    let rising = |x: f64, k: u64| (0..k).map(|j| (x + j as f64).ln()).sum::<f64>();
    let duds: Vec<f64> = (0..=N)
        .map(|k| {
            (ln_binomial(N, k) + rising(alpha, k) + rising(beta, N - k) - rising(alpha + beta, N))
                .exp()
        })
        .collect();
    let mut live = vec![0.0; N as usize + 1];
    for (x, &px) in duds.iter().enumerate() {
        for (y, slot) in live.iter_mut().enumerate().take(x + 1) {
            let (x, y) = (x as u64, y as u64);
            *slot += px
                * (ln_binomial(x, y) + y as f64 * (1.0 - S).ln() + (x - y) as f64 * S.ln()).exp();
        }
    }
    let mut total = vec![1.0];
    for _ in 0..CARRIERS {
        let mut next = vec![0.0; total.len() + N as usize];
        for (i, &a) in total.iter().enumerate() {
            for (j, &b) in live.iter().enumerate() {
                next[i + j] += a * b;
            }
        }
        total = next;
    }
    total
}

fn draws(dud_sampling: DudSampling) -> Vec<u64> {
    let file = ScenarioFile::parse("test.toml", SCENARIO).expect("valid scenario");
    let engine = Engine::new(&file, &RunSettings::from_file(&file)).with_dud_sampling(dud_sampling);
    let mut out = ReplicateOutcome::default();
    (0..REPLICATES)
        .map(|r| {
            engine.simulate_replicate(0, r, &mut out);
            assert_eq!(out.submunitions, N * CARRIERS as u64);
            out.unexploded
        })
        .collect()
}

/// Chi-square statistic and critical value (significance 1e-3), values
/// pooled into bins expecting at least 20 draws.
fn chi_square(draws: &[u64], pmf: &[f64]) -> (f64, f64) {
    let total = draws.len() as f64;
    let mut counts = vec![0u64; pmf.len()];
    for &x in draws {
        counts[x as usize] += 1;
    }
    let (mut stat, mut bins) = (0.0, 0);
    let (mut e, mut o) = (0.0, 0u64);
    for (k, &p) in pmf.iter().enumerate() {
        e += p * total;
        o += counts[k];
        if e >= 20.0 || k == pmf.len() - 1 {
            stat += (o as f64 - e).powi(2) / e;
            bins += 1;
            e = 0.0;
            o = 0;
        }
    }
    let critical = ChiSquared::new((bins - 1) as f64)
        .unwrap()
        .inverse_cdf(1.0 - 1e-3);
    (stat, critical)
}

#[test]
fn lot_variation_fast_and_literal_paths_match_the_exact_pmf() {
    let pmf = exact_pmf();
    assert!((pmf.iter().sum::<f64>() - 1.0).abs() < 1e-9);
    for dud_sampling in [DudSampling::Fastest, DudSampling::PerCarrier] {
        let (stat, critical) = chi_square(&draws(dud_sampling), &pmf);
        assert!(
            stat <= critical,
            "{dud_sampling:?}: chi-square {stat:.1} > {critical:.1}"
        );
    }
}
