//! A weighted posterior sample and what is read from it: weighted
//! quantiles, summaries per parameter, the effective sample size, joint
//! draws for forecasting, and posterior predictive bands.

use rand::{Rng, RngExt};
use rayon::prelude::*;

use super::error::CalibrateError;
use super::population::Population;
use super::prior::ParameterSpace;
use super::rng::{ParticleRng, predictive_stream};

/// The index `i` with `cumulative[i-1] <= r < cumulative[i]`: a draw by
/// weight, in O(log n). Never a zero-weight index.
pub(crate) fn pick(cumulative: &[f64], r: f64) -> usize {
    let i = cumulative.partition_point(|&c| c <= r);
    if i < cumulative.len() {
        return i;
    }
    // r reached the total through rounding: the last index with weight.
    let last = *cumulative.last().expect("never empty");
    cumulative.partition_point(|&c| c < last)
}

/// Kish's effective sample size `(Σw)² / Σw²` of importance weights.
pub fn effective_sample_size(weights: &[f64]) -> f64 {
    let sum: f64 = weights.iter().sum();
    let squares: f64 = weights.iter().map(|w| w * w).sum();
    if squares > 0.0 {
        sum * sum / squares
    } else {
        0.0
    }
}

/// The weighted quantile `q` (0 ≤ q ≤ 1): the smallest value whose
/// cumulative weight reaches `q` of the total (the inverse of the weighted
/// empirical distribution function). Zero-weight values are never returned.
pub fn weighted_quantile(values: &[f64], weights: &[f64], q: f64) -> f64 {
    assert_eq!(values.len(), weights.len(), "one weight per value");
    let mut order: Vec<usize> = (0..values.len()).filter(|&i| weights[i] > 0.0).collect();
    assert!(!order.is_empty(), "at least one positive weight");
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]).then(a.cmp(&b)));
    let total: f64 = order.iter().map(|&i| weights[i]).sum();
    let target = q.clamp(0.0, 1.0) * total;
    let mut cumulative = 0.0;
    for &i in &order {
        cumulative += weights[i];
        if cumulative >= target {
            return values[i];
        }
    }
    values[*order.last().expect("not empty")]
}

/// A weighted sample of parameter vectors: a fitted population, or one read
/// back from a posterior CSV file.
#[derive(Debug, Clone, PartialEq)]
pub struct Posterior {
    names: Vec<String>,
    values: Vec<f64>,
    weights: Vec<f64>,
    cumulative: Vec<f64>,
}

/// Location and spread of one parameter under a weighted sample.
#[derive(Debug, Clone, PartialEq)]
pub struct ParameterSummary {
    /// The parameter's name.
    pub name: String,
    /// Weighted mean.
    pub mean: f64,
    /// Monte Carlo standard error of `mean`, by the delta method of
    /// self-normalised importance sampling, `√Σ w_i²(x_i − mean)²` with
    /// weights summing to 1. Unlike `sd/√ESS` it accounts for large weights
    /// sitting in a tail.
    pub mean_se: f64,
    /// Weighted standard deviation.
    pub sd: f64,
    /// Weighted 5% quantile.
    pub q05: f64,
    /// Weighted median.
    pub median: f64,
    /// Weighted 95% quantile.
    pub q95: f64,
}

impl Posterior {
    /// The posterior sample of a fitted population (or of the prior sample).
    pub fn from_population(space: &ParameterSpace, population: &Population) -> Posterior {
        let values = (0..population.len())
            .flat_map(|i| population.particle(i).iter().copied())
            .collect();
        Posterior::from_parts(
            space.names().to_vec(),
            values,
            population.weights().to_vec(),
        )
    }

    /// Assembles a sample; weights are kept as given (not renormalised) so
    /// that a file round trip is exact.
    pub(crate) fn from_parts(names: Vec<String>, values: Vec<f64>, weights: Vec<f64>) -> Posterior {
        debug_assert_eq!(values.len(), names.len() * weights.len());
        let mut total = 0.0;
        let cumulative = weights
            .iter()
            .map(|&w| {
                total += w;
                total
            })
            .collect();
        Posterior {
            names,
            values,
            weights,
            cumulative,
        }
    }

    /// Parameter names, in the order of each particle's values.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Number of particles.
    pub fn len(&self) -> usize {
        self.weights.len()
    }

    /// Whether there are no particles (never for a fit or a valid file).
    pub fn is_empty(&self) -> bool {
        self.weights.is_empty()
    }

    /// Number of parameters.
    pub fn dimension(&self) -> usize {
        self.names.len()
    }

    /// Parameters of particle `i`.
    pub fn particle(&self, i: usize) -> &[f64] {
        let d = self.dimension();
        &self.values[i * d..(i + 1) * d]
    }

    /// Weights as stored (they sum to 1 for a fit; a file's are kept as
    /// read).
    pub fn weights(&self) -> &[f64] {
        &self.weights
    }

    /// Kish's effective sample size of the weights.
    pub fn effective_sample_size(&self) -> f64 {
        effective_sample_size(&self.weights)
    }

    /// The values of one parameter over all particles.
    pub fn values_of(&self, parameter: usize) -> Vec<f64> {
        (0..self.len())
            .map(|i| self.particle(i)[parameter])
            .collect()
    }

    /// Weighted quantile `q` of one parameter.
    pub fn quantile(&self, parameter: usize, q: f64) -> f64 {
        weighted_quantile(&self.values_of(parameter), &self.weights, q)
    }

    /// Mean, standard deviation, median and 90% interval per parameter.
    pub fn summaries(&self) -> Vec<ParameterSummary> {
        let total: f64 = self.weights.iter().sum();
        (0..self.dimension())
            .map(|p| {
                let values = self.values_of(p);
                let mean = values
                    .iter()
                    .zip(&self.weights)
                    .map(|(x, w)| w * x)
                    .sum::<f64>()
                    / total;
                let var = values
                    .iter()
                    .zip(&self.weights)
                    .map(|(x, w)| w * (x - mean) * (x - mean))
                    .sum::<f64>()
                    / total;
                let mean_se = values
                    .iter()
                    .zip(&self.weights)
                    .map(|(x, w)| (w / total * (x - mean)).powi(2))
                    .sum::<f64>()
                    .sqrt();
                ParameterSummary {
                    name: self.names[p].clone(),
                    mean,
                    mean_se,
                    sd: var.sqrt(),
                    q05: weighted_quantile(&values, &self.weights, 0.05),
                    median: weighted_quantile(&values, &self.weights, 0.5),
                    q95: weighted_quantile(&values, &self.weights, 0.95),
                }
            })
            .collect()
    }

    /// The index of one particle drawn by weight with `rng` (one uniform
    /// draw, O(log n) by bisection of the cumulative weights).
    pub fn draw_index<R: Rng + ?Sized>(&self, rng: &mut R) -> usize {
        let total = *self.cumulative.last().expect("a posterior is never empty");
        pick(&self.cumulative, rng.random::<f64>() * total)
    }

    /// One particle drawn by weight: all parameters jointly.
    pub fn draw<R: Rng + ?Sized>(&self, rng: &mut R) -> &[f64] {
        self.particle(self.draw_index(rng))
    }
}

/// The posterior predictive distribution of one observed quantity.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PredictiveBand {
    /// 5% quantile.
    pub q05: f64,
    /// 25% quantile.
    pub q25: f64,
    /// Median.
    pub median: f64,
    /// 75% quantile.
    pub q75: f64,
    /// 95% quantile.
    pub q95: f64,
}

impl PredictiveBand {
    /// Whether `observed` lies in the central 90% predictive interval
    /// (ends included: for counts, the ends are possible values).
    pub fn contains_90(&self, observed: f64) -> bool {
        (self.q05..=self.q95).contains(&observed)
    }

    /// Whether `observed` lies in the central 50% predictive interval.
    pub fn contains_50(&self, observed: f64) -> bool {
        (self.q25..=self.q75).contains(&observed)
    }
}

/// Posterior predictive bands: each particle with positive weight is
/// simulated `per_particle` times (its `r`-th simulation from the stream of
/// `(seed, particle, r)`, so the result does not depend on the thread
/// count), and each observed quantity gets the weighted quantiles of its
/// simulated values. `simulate` must return the same number of values on
/// every call (it may cover more quantities than were fitted, e.g. held-out
/// ones).
pub fn posterior_predictive<F>(
    posterior: &Posterior,
    simulate: F,
    seed: u64,
    per_particle: usize,
) -> Result<Vec<PredictiveBand>, CalibrateError>
where
    F: Fn(&[f64], &mut ParticleRng) -> Vec<f64> + Sync,
{
    if !(1..=10_000).contains(&per_particle) {
        return Err(CalibrateError::InvalidSettings {
            setting: "per_particle",
            message: format!("must be from 1 to 10000, got {per_particle}"),
        });
    }
    let runs: Vec<Vec<Vec<f64>>> = (0..posterior.len())
        .into_par_iter()
        .map(|i| {
            if posterior.weights[i] <= 0.0 {
                return Vec::new();
            }
            (0..per_particle)
                .map(|r| {
                    let mut rng = predictive_stream(seed, i as u64, r as u64);
                    simulate(posterior.particle(i), &mut rng)
                })
                .collect()
        })
        .collect();
    let Some(first) = runs.iter().flatten().next() else {
        unreachable!("a posterior has a positive weight")
    };
    let m = first.len();
    for (i, particle_runs) in runs.iter().enumerate() {
        for values in particle_runs {
            let problem = if values.len() != m {
                Some(format!("{} values where other runs gave {m}", values.len()))
            } else {
                values
                    .iter()
                    .position(|v| !v.is_finite())
                    .map(|o| format!("the value {} for quantity {}", values[o], o + 1))
            };
            if let Some(problem) = problem {
                return Err(CalibrateError::ModelOutput {
                    context: format!("posterior predictive, particle {i}"),
                    problem,
                });
            }
        }
    }
    let mut weights = Vec::new();
    for (i, particle_runs) in runs.iter().enumerate() {
        weights.extend(std::iter::repeat_n(
            posterior.weights[i],
            particle_runs.len(),
        ));
    }
    Ok((0..m)
        .map(|o| {
            let values: Vec<f64> = runs.iter().flatten().map(|v| v[o]).collect();
            let q = |p| weighted_quantile(&values, &weights, p);
            PredictiveBand {
                q05: q(0.05),
                q25: q(0.25),
                median: q(0.5),
                q75: q(0.75),
                q95: q(0.95),
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calibrate::rng::particle_stream;

    #[test]
    fn weighted_quantiles_invert_the_weighted_distribution() {
        let values = [3.0, 1.0, 2.0, 4.0];
        let weights = [0.1, 0.2, 0.0, 0.7];
        assert_eq!(weighted_quantile(&values, &weights, 0.0), 1.0);
        assert_eq!(weighted_quantile(&values, &weights, 0.2), 1.0);
        assert_eq!(weighted_quantile(&values, &weights, 0.25), 3.0);
        assert_eq!(weighted_quantile(&values, &weights, 0.31), 4.0);
        assert_eq!(weighted_quantile(&values, &weights, 1.0), 4.0);
        assert_eq!(effective_sample_size(&[1.0, 1.0, 1.0, 1.0]), 4.0);
        assert_eq!(effective_sample_size(&[1.0, 0.0, 0.0]), 1.0);
    }

    #[test]
    fn picking_never_returns_a_zero_weight_index() {
        let cumulative = [0.0, 0.5, 0.5, 1.0, 1.0];
        assert_eq!(pick(&cumulative, 0.0), 1);
        assert_eq!(pick(&cumulative, 0.49), 1);
        assert_eq!(pick(&cumulative, 0.5), 3);
        assert_eq!(pick(&cumulative, 1.0), 3);
    }

    /// Draw frequencies match the weights within 5 binomial standard errors.
    #[test]
    fn draws_follow_the_weights() {
        let weights = vec![0.5, 0.0, 2.0, 1.0, 0.25, 0.25];
        let names = vec!["x".to_string()];
        let values = (0..weights.len()).map(|i| i as f64).collect();
        let posterior = Posterior::from_parts(names, values, weights.clone());
        let mut rng = particle_stream(3, 0, 0);
        let n = 400_000;
        let mut counts = [0u32; 6];
        for _ in 0..n {
            counts[posterior.draw(&mut rng)[0] as usize] += 1;
        }
        let total: f64 = weights.iter().sum();
        for (count, w) in counts.iter().zip(&weights) {
            let p = w / total;
            let se = (p * (1.0 - p) / n as f64).sqrt();
            assert!(
                (*count as f64 / n as f64 - p).abs() <= 5.0 * se,
                "{counts:?}"
            );
        }
        assert_eq!(counts[1], 0);
    }

    /// The predictive bands of a known model match its quantiles: a point
    /// mass at λ = 20 simulated as Poisson(20); the 5%, 50% and 95%
    /// quantiles of Poisson(20) are 13, 20 and 28.
    #[test]
    fn predictive_bands_match_a_known_distribution() {
        use rand_distr::{Distribution, Poisson};
        let posterior = Posterior::from_parts(vec!["lambda".into()], vec![20.0; 4], vec![0.25; 4]);
        let bands = posterior_predictive(
            &posterior,
            |theta, rng| vec![Poisson::new(theta[0]).unwrap().sample(rng), 1.0],
            9,
            5_000,
        )
        .unwrap();
        assert_eq!(bands.len(), 2);
        assert_eq!(
            (bands[0].q05, bands[0].median, bands[0].q95),
            (13.0, 20.0, 28.0)
        );
        assert!(bands[0].contains_90(13.0) && bands[0].contains_90(28.0));
        assert!(!bands[0].contains_90(30.0) && !bands[0].contains_50(10.0));
        assert_eq!(bands[1].q05, 1.0);
    }
}
