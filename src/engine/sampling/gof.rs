//! Test support: chi-square goodness-of-fit and moment checks of a sampler
//! against its exact distribution, at a fixed significance level.
//!
//! Bins are consecutive values, pooled until each expects at least
//! `max(5, draws/1000)` draws, the tails pooled into the end bins. The
//! critical value is the upper `SIGNIFICANCE` quantile of the chi-square
//! distribution with `bins − 1` degrees of freedom (from statrs).

use statrs::distribution::{ChiSquared, ContinuousCDF};
use statrs::function::gamma::gamma_ur;

/// Probability that a correct sampler fails one test (before the seed is
/// fixed; with fixed seeds every test is deterministic).
pub const SIGNIFICANCE: f64 = 1e-3;

/// The outcome of one chi-square test.
#[derive(Debug, Clone)]
pub struct ChiSquare {
    pub statistic: f64,
    pub df: usize,
    pub critical: f64,
    pub p_value: f64,
}

impl ChiSquare {
    pub fn passes(&self) -> bool {
        self.statistic <= self.critical
    }
}

/// Chi-square of `draws` against `pmf` over `lo..=hi` (values outside go to
/// the end bins). Panics if the pmf over `lo..=hi` does not sum to 1 within
/// `1e-9`: a check of the reference itself.
pub fn chi_square(draws: &[u64], lo: u64, hi: u64, pmf: impl Fn(u64) -> f64) -> ChiSquare {
    let total_draws = draws.len() as f64;
    let target = (total_draws / 1000.0).max(5.0);
    let mut starts: Vec<u64> = Vec::new();
    let mut expected: Vec<f64> = Vec::new();
    let mut mass = 0.0;
    let mut open = 0.0;
    let mut start = lo;
    for k in lo..=hi {
        let f = pmf(k);
        assert!(f.is_finite() && f >= 0.0, "pmf({k}) = {f}");
        mass += f;
        open += f * total_draws;
        if open >= target {
            starts.push(start);
            expected.push(open);
            open = 0.0;
            start = k + 1;
        }
    }
    if open > 0.0 || starts.is_empty() {
        if let Some(last) = expected.last_mut().filter(|_| open < target) {
            *last += open;
        } else {
            starts.push(start);
            expected.push(open);
        }
    }
    assert!(
        (mass - 1.0).abs() < 1e-9,
        "reference pmf over {lo}..={hi} sums to {mass}"
    );
    assert!(expected.len() >= 2, "only one bin: nothing to test");
    let mut observed = vec![0u64; expected.len()];
    for &x in draws {
        let bin = starts.partition_point(|&s| s <= x).saturating_sub(1);
        observed[bin] += 1;
    }
    let statistic: f64 = observed
        .iter()
        .zip(&expected)
        .map(|(&o, &e)| (o as f64 - e).powi(2) / e)
        .sum();
    let df = expected.len() - 1;
    let chi = ChiSquared::new(df as f64).expect("positive degrees of freedom");
    ChiSquare {
        statistic,
        df,
        critical: chi.inverse_cdf(1.0 - SIGNIFICANCE),
        p_value: gamma_ur(df as f64 / 2.0, statistic.max(1e-300) / 2.0),
    }
}

/// Draws `count` values from `sample` and asserts that the chi-square test
/// against `pmf` passes.
pub fn chi_square_test(
    name: &str,
    count: usize,
    mut sample: impl FnMut() -> u64,
    lo: u64,
    hi: u64,
    pmf: impl Fn(u64) -> f64,
) -> ChiSquare {
    let draws: Vec<u64> = (0..count).map(|_| sample()).collect();
    let result = chi_square(&draws, lo, hi, pmf);
    assert!(
        result.passes(),
        "{name}: chi-square {:.1} > critical {:.1} ({} df, p = {:.2e})",
        result.statistic,
        result.critical,
        result.df,
        result.p_value
    );
    result
}

/// Asserts that the sample mean and variance of `values` lie within 5
/// standard errors of `mean` and `variance`; `mu4` is the fourth central
/// moment (for the standard error of the variance).
pub fn moment_test(name: &str, values: &[f64], mean: f64, variance: f64, mu4: f64) {
    let n = values.len() as f64;
    let m = values.iter().sum::<f64>() / n;
    let v = values.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1.0);
    let se_mean = (variance / n).sqrt();
    let se_var = ((mu4 - variance * variance) / n).sqrt();
    assert!(
        (m - mean).abs() <= 5.0 * se_mean,
        "{name}: mean {m} vs {mean} (se {se_mean})"
    );
    assert!(
        (v - variance).abs() <= 5.0 * se_var,
        "{name}: variance {v} vs {variance} (se {se_var})"
    );
}
