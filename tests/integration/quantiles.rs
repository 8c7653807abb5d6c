//! Reported percentiles against closed forms: a large count with a narrow
//! spread (a fixed dud rate among billions of submunitions) must have
//! percentiles accurate to a small fraction of its standard deviation, not
//! only of its value.

use statrs::distribution::{ContinuousCDF, Normal};

use crate::common::{Z, collect, scenario};

const R: u64 = 20_000;

/// 0.2% duds among 2.7 billion submunitions: Binomial(2.7e9, 0.002), whose
/// skewness (under 0.001) is negligible, so its quantiles are the normal's.
#[test]
fn percentiles_of_a_narrow_binomial_match_its_normal_quantiles() {
    let file = scenario(
        "[simulation]\nseed = 7\nsteps = 0\n\
         [[munition]]\nid = \"X\"\nsubmunitions = 1000\ndud_rate = 0.002\n\
         [[scenario]]\nname = \"narrow\"\nstrikes = [ { munition = \"X\", carriers = 2700000 } ]\n",
    );
    let stats = collect(&file, 0..R);
    let summary = stats.scenarios[0].unexploded.summary();
    let (n, p): (f64, f64) = (2.7e9, 0.002);
    let (mean, sd) = (n * p, (n * p * (1.0 - p)).sqrt());
    let standard = Normal::new(0.0, 1.0).unwrap();
    let mut errors = Vec::new();
    for (q, reported) in [
        (0.05, summary.p05),
        (0.25, summary.p25),
        (0.50, summary.p50),
        (0.75, summary.p75),
        (0.95, summary.p95),
    ] {
        let z = standard.inverse_cdf(q);
        let error_in_sd = (reported - (mean + z * sd)) / sd;
        // The sample quantile's standard error, in standard deviations:
        // sqrt(q(1 − q)/R) / φ(z).
        let density = (-z * z / 2.0).exp() / (2.0 * std::f64::consts::PI).sqrt();
        let se = (q * (1.0 - q) / R as f64).sqrt() / density;
        eprintln!("q = {q}: reported {reported}, error {error_in_sd:+.4} sd (se {se:.4} sd)");
        errors.push((q, error_in_sd, se));
    }
    for (q, error_in_sd, se) in errors {
        assert!(
            error_in_sd.abs() <= Z * se,
            "q = {q}: {error_in_sd:+.3} sd from the closed form, above {Z} standard errors ({se:.4} sd)"
        );
    }
    assert!(summary.p95 - summary.p05 > 3.0 * sd);
}
