//! The closed form (one binomial per munition) and the carrier-by-carrier
//! path draw from the same distribution: chi-square tests against the
//! exact binomial pmf and against each other.

use dudsim::{ReplicateOutcome, ScenarioFile};
use statrs::distribution::{Binomial, ChiSquared, ContinuousCDF, Discrete};

const R: u64 = 20_000;
/// Significance level of every chi-square test here.
const ALPHA: f64 = 1e-3;

use crate::common::{outcomes, outcomes_per_carrier, scenario};

fn file(dud_rate: &str, self_destruct: f64) -> ScenarioFile {
    scenario(&format!(
        "[simulation]\nseed = 3\nsteps = 0\n\
         [[munition]]\nid = \"X\"\nsubmunitions = 72\ndud_rate = {dud_rate}\nself_destruct = {self_destruct}\n\
         [[scenario]]\nname = \"s\"\nstrikes = [ {{ munition = \"X\", carriers = 200 }} ]\n"
    ))
}

/// Pearson's goodness-of-fit p-value of integer samples against a pmf on
/// `0..=max` (the rest of the mass is the upper tail), pooling adjacent
/// values until every bin expects at least 20.
fn goodness_of_fit(values: &[u64], pmf: impl Fn(u64) -> f64, max: u64) -> f64 {
    let n = values.len() as f64;
    let mut counts = vec![0.0; max as usize + 2];
    for &v in values {
        counts[v.min(max + 1) as usize] += 1.0;
    }
    let (mut chi2, mut bins) = (0.0, 0);
    let (mut expected, mut observed, mut mass_above) = (0.0f64, 0.0f64, 1.0f64);
    for k in 0..=max {
        let p = pmf(k);
        expected += n * p;
        observed += counts[k as usize];
        mass_above -= p;
        if expected >= 20.0 && n * mass_above >= 20.0 {
            chi2 += (observed - expected).powi(2) / expected;
            bins += 1;
            expected = 0.0;
            observed = 0.0;
        }
    }
    // The last bin takes what was left and the tail beyond `max`.
    expected += n * mass_above.max(0.0);
    observed += counts[max as usize + 1];
    chi2 += (observed - expected).powi(2) / expected;
    bins += 1;
    ChiSquared::new((bins - 1) as f64).unwrap().sf(chi2)
}

/// Two-sample chi-square p-value of equal-size samples, binned at the
/// pooled sample's quantiles.
fn two_sample(a: &[u64], b: &[u64]) -> f64 {
    let mut pooled: Vec<u64> = a.iter().chain(b).copied().collect();
    pooled.sort_unstable();
    let edges: Vec<u64> = (1..40)
        .map(|i| pooled[i * pooled.len() / 40])
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let bin = |v: u64| edges.partition_point(|&e| e <= v);
    let mut ca = vec![0.0f64; edges.len() + 1];
    let mut cb = vec![0.0f64; edges.len() + 1];
    a.iter().for_each(|&v| ca[bin(v)] += 1.0);
    b.iter().for_each(|&v| cb[bin(v)] += 1.0);
    let chi2: f64 = ca
        .iter()
        .zip(&cb)
        .filter(|(x, y)| *x + *y > 0.0)
        .map(|(x, y)| (x - y).powi(2) / (x + y))
        .sum();
    let bins = ca.iter().zip(&cb).filter(|(x, y)| *x + *y > 0.0).count();
    ChiSquared::new((bins - 1) as f64).unwrap().sf(chi2)
}

fn uxo(outcomes: &[ReplicateOutcome]) -> Vec<u64> {
    outcomes.iter().map(|o| o.unexploded).collect()
}

#[test]
fn both_paths_match_the_exact_binomial() {
    for (p, s) in [(0.35, 0.0), (0.02, 0.0), (0.35, 0.3)] {
        let f = file(&p.to_string(), s);
        let q = p * (1.0 - s);
        let exact = Binomial::new(q, 14_400).unwrap();
        let max = (14_400.0 * q + 10.0 * (14_400.0 * q).sqrt()) as u64;
        for (path, values) in [
            ("closed form", uxo(&outcomes(&f, 0, R))),
            ("per carrier", uxo(&outcomes_per_carrier(&f, 0, R))),
        ] {
            let pv = goodness_of_fit(&values, |k| exact.pmf(k), max);
            assert!(pv > ALPHA, "{path}, p={p}, s={s}: chi-square p-value {pv}");
        }
    }
}

#[test]
fn both_paths_agree_with_an_uncertain_dud_rate() {
    let f = file("{ uniform = [0.30, 0.40] }", 0.0);
    let pv = two_sample(
        &uxo(&outcomes(&f, 0, R)),
        &uxo(&outcomes_per_carrier(&f, 0, R)),
    );
    assert!(pv > ALPHA, "two-sample chi-square p-value {pv}");
}

#[test]
fn the_goodness_of_fit_test_rejects_a_wrong_distribution() {
    // The same samples against a binomial with a 1% higher rate fail.
    let f = file("0.35", 0.0);
    let wrong = Binomial::new(0.3535, 14_400).unwrap();
    let pv = goodness_of_fit(&uxo(&outcomes(&f, 0, R)), |k| wrong.pmf(k), 6_000);
    assert!(pv < ALPHA, "p-value {pv}");
}
