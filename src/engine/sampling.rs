//! Exact samplers for the distributions of a scenario and for the
//! binomial and multinomial draws of the model.
//!
//! - [`mod@binomial`]: exact Binomial(n, p) draws for parameters that change on
//!   every call (inversion / BTRS);
//! - [`beta_binomial`]: lot variation, exact per-carrier and total duds;
//! - [`alias`]: Walker's alias tables for fixed discrete distributions.

pub mod alias;
pub mod beta_binomial;
pub mod binomial;
#[cfg(test)]
mod gof;

use rand::{Rng, RngExt};
use rand_distr::{Beta, Distribution, Poisson};

pub use beta_binomial::{BetaBinomialPmf, CarrierDuds, beta_binomial_total};
pub use binomial::binomial;

use crate::scenario::{CountDist, CountShape, ProbDist, ProbShape};

/// Draws from a [`ProbDist`].
#[derive(Debug, Clone)]
pub enum ProbSampler {
    Fixed(f64),
    Uniform { lo: f64, width: f64 },
    Triangular { min: f64, mode: f64, max: f64 },
    Beta(Beta<f64>),
}

impl ProbSampler {
    /// The sampler of `dist`; a range of zero width is a fixed number.
    pub fn new(dist: &ProbDist) -> Self {
        Self::from_shape(dist.shape())
    }

    /// The sampler of a validated shape (a probability or a positive
    /// duration); a range of zero width is a fixed number.
    pub(crate) fn from_shape(shape: ProbShape) -> Self {
        match shape {
            _ if shape.is_fixed() => ProbSampler::Fixed(shape.support().0),
            ProbShape::Fixed(x) => ProbSampler::Fixed(x),
            ProbShape::Uniform { lo, hi } => ProbSampler::Uniform { lo, width: hi - lo },
            ProbShape::Triangular { min, mode, max } => ProbSampler::Triangular { min, mode, max },
            ProbShape::Beta { alpha, beta } => ProbSampler::Beta(
                Beta::new(alpha, beta).expect("beta parameters were validated positive"),
            ),
        }
    }

    /// True when the value is fixed.
    pub fn is_fixed(&self) -> bool {
        matches!(self, ProbSampler::Fixed(_))
    }

    /// One draw; a fixed value consumes no randomness.
    #[inline]
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match *self {
            ProbSampler::Fixed(x) => x,
            ProbSampler::Uniform { lo, width } => lo + width * rng.random::<f64>(),
            ProbSampler::Triangular { min, mode, max } => {
                // Inverse of the distribution function.
                let u: f64 = rng.random();
                let range = max - min;
                if range <= 0.0 {
                    return min;
                }
                let split = (mode - min) / range;
                if u < split {
                    min + (u * range * (mode - min)).sqrt()
                } else {
                    max - ((1.0 - u) * range * (max - mode)).sqrt()
                }
            }
            ProbSampler::Beta(ref beta) => beta.sample(rng),
        }
    }
}

/// Draws from a [`CountDist`].
#[derive(Debug, Clone)]
pub enum CountSampler {
    Fixed(u64),
    Poisson { mean: f64, dist: Poisson<f64> },
    Uniform { lo: u64, hi: u64 },
}

impl CountSampler {
    /// The sampler of `dist`; a range of zero width is a fixed number.
    pub fn new(dist: &CountDist) -> Self {
        match dist.shape() {
            CountShape::Fixed(n) | CountShape::Uniform { lo: n, hi: _ } if dist.is_fixed() => {
                CountSampler::Fixed(n)
            }
            CountShape::Fixed(n) => CountSampler::Fixed(n),
            CountShape::Poisson(mean) if mean <= 0.0 => CountSampler::Fixed(0),
            CountShape::Poisson(mean) => CountSampler::Poisson {
                mean,
                dist: Poisson::new(mean).expect("poisson mean was validated"),
            },
            CountShape::Uniform { lo, hi } => CountSampler::Uniform { lo, hi },
        }
    }

    /// True when the value is fixed.
    pub fn is_fixed(&self) -> bool {
        matches!(self, CountSampler::Fixed(_))
    }

    /// One draw; a fixed value consumes no randomness.
    #[inline]
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> u64 {
        match *self {
            CountSampler::Fixed(n) => n,
            CountSampler::Poisson { ref dist, .. } => dist.sample(rng) as u64,
            CountSampler::Uniform { lo, hi } => rng.random_range(lo..=hi),
        }
    }

    /// The sum of `n` independent draws, at a cost that does not grow with
    /// `n` beyond a small bound.
    pub fn sample_sum<R: Rng + ?Sized>(&self, rng: &mut R, n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        match *self {
            CountSampler::Fixed(k) => k * n,
            // A sum of independent Poissons is Poisson with the summed mean.
            CountSampler::Poisson { mean, .. } => Poisson::new(mean * n as f64)
                .expect("a finite positive mean")
                .sample(rng) as u64,
            CountSampler::Uniform { lo, hi } => {
                let values = hi - lo + 1;
                if n <= 4 * values {
                    (0..n).map(|_| rng.random_range(lo..=hi)).sum()
                } else {
                    // How many of the n draws take each value: a multinomial
                    // with equal probabilities, drawn value by value.
                    let mut remaining = n;
                    let mut total = 0;
                    for (i, v) in (lo..=hi).enumerate() {
                        let left = values - i as u64;
                        let k = binomial(rng, remaining, 1.0 / left as f64);
                        total += k * v;
                        remaining -= k;
                    }
                    total
                }
            }
        }
    }
}
