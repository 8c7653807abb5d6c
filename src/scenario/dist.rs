//! The distributions a scenario file can give for a probability or a count,
//! with their closed-form moments.
//!
//! Sampling lives in the engine; this module only says what a distribution
//! is, so that validation, tables and tests can reason about it.

use std::fmt;

use crate::format::percent;

/// The shape of a probability or rate: a fixed number or a distribution
/// over [0, 1]. A description only; [`ProbDist`] is the validated value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ProbShape {
    /// Always this value.
    Fixed(f64),
    /// Uniform on `[lo, hi]`.
    Uniform {
        /// Lower bound.
        lo: f64,
        /// Upper bound.
        hi: f64,
    },
    /// Triangular with the given minimum, mode and maximum.
    Triangular {
        /// Smallest value.
        min: f64,
        /// Most likely value.
        mode: f64,
        /// Largest value.
        max: f64,
    },
    /// Beta(alpha, beta).
    Beta {
        /// First shape parameter.
        alpha: f64,
        /// Second shape parameter.
        beta: f64,
    },
}

impl ProbShape {
    /// Expected value.
    pub fn mean(&self) -> f64 {
        match *self {
            ProbShape::Fixed(x) => x,
            ProbShape::Uniform { lo, hi } => 0.5 * (lo + hi),
            ProbShape::Triangular { min, mode, max } => (min + mode + max) / 3.0,
            ProbShape::Beta { alpha, beta } => alpha / (alpha + beta),
        }
    }

    /// Variance.
    pub fn variance(&self) -> f64 {
        match *self {
            ProbShape::Fixed(_) => 0.0,
            ProbShape::Uniform { lo, hi } => (hi - lo).powi(2) / 12.0,
            ProbShape::Triangular { min, mode, max } => {
                (min * min + mode * mode + max * max - min * mode - min * max - mode * max) / 18.0
            }
            ProbShape::Beta { alpha, beta } => {
                let s = alpha + beta;
                alpha * beta / (s * s * (s + 1.0))
            }
        }
    }

    /// Second raw moment, E(X²).
    pub fn second_moment(&self) -> f64 {
        self.variance() + self.mean().powi(2)
    }

    /// The smallest and largest value the distribution can take.
    pub fn support(&self) -> (f64, f64) {
        match *self {
            ProbShape::Fixed(x) => (x, x),
            ProbShape::Uniform { lo, hi } => (lo, hi),
            ProbShape::Triangular { min, max, .. } => (min, max),
            ProbShape::Beta { .. } => (0.0, 1.0),
        }
    }

    /// True when the value is known exactly (no uncertainty to propagate):
    /// a fixed number, or a range of zero width.
    pub fn is_fixed(&self) -> bool {
        let (lo, hi) = self.support();
        lo == hi
    }
}

impl fmt::Display for ProbShape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            ProbShape::Fixed(x) => write!(f, "{}", percent(x)),
            ProbShape::Uniform { lo, hi } => {
                write!(f, "uniform {} to {}", percent(lo), percent(hi))
            }
            ProbShape::Triangular { min, mode, max } => write!(
                f,
                "triangular {} to {}, mode {}",
                percent(min),
                percent(max),
                percent(mode)
            ),
            ProbShape::Beta { alpha, beta } => write!(
                f,
                "beta({alpha}, {beta}), mean {}",
                percent(alpha / (alpha + beta))
            ),
        }
    }
}

/// A number as a message quotes it: as written for ordinary sizes, in
/// scientific notation when very large or very small (1e308, not 309 digits).
pub fn quoted(x: f64) -> String {
    if x != 0.0 && !(1e-4..1e15).contains(&x.abs()) {
        format!("{x:e}")
    } else {
        format!("{x}")
    }
}

/// The shape of a count (carriers, casualties per encounter, a step):
/// fixed or random. A description only; [`CountDist`] is the validated
/// value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CountShape {
    /// Always this value.
    Fixed(u64),
    /// Poisson with this mean.
    Poisson(f64),
    /// Uniform on the integers `lo..=hi`.
    Uniform {
        /// Smallest value.
        lo: u64,
        /// Largest value.
        hi: u64,
    },
}

impl CountShape {
    /// Expected value.
    pub fn mean(&self) -> f64 {
        match *self {
            CountShape::Fixed(n) => n as f64,
            CountShape::Poisson(mean) => mean,
            CountShape::Uniform { lo, hi } => 0.5 * (lo as f64 + hi as f64),
        }
    }

    /// Variance.
    pub fn variance(&self) -> f64 {
        match *self {
            CountShape::Fixed(_) => 0.0,
            CountShape::Poisson(mean) => mean,
            CountShape::Uniform { lo, hi } => {
                let k = (hi - lo) as f64 + 1.0;
                (k * k - 1.0) / 12.0
            }
        }
    }

    /// Second raw moment, E(X²).
    pub fn second_moment(&self) -> f64 {
        self.variance() + self.mean().powi(2)
    }

    /// The largest value a draw can take in practice. A Poisson count is
    /// unbounded; beyond its mean plus 40 standard deviations (and 40) the
    /// probability is below 1e-300, which no run can observe.
    pub fn practical_max(&self) -> f64 {
        match *self {
            CountShape::Fixed(n) => n as f64,
            CountShape::Poisson(mean) => mean + 40.0 * mean.sqrt() + 40.0,
            CountShape::Uniform { hi, .. } => hi as f64,
        }
    }

    /// True when the value is known exactly: a fixed number, a range of
    /// zero width, or a Poisson count of mean 0.
    pub fn is_fixed(&self) -> bool {
        match *self {
            CountShape::Fixed(_) => true,
            CountShape::Poisson(mean) => mean <= 0.0,
            CountShape::Uniform { lo, hi } => lo == hi,
        }
    }
}

impl fmt::Display for CountShape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            CountShape::Fixed(n) => write!(f, "{n}"),
            CountShape::Poisson(mean) => write!(f, "Poisson, mean {mean}"),
            CountShape::Uniform { lo, hi } => write!(f, "uniform {lo} to {hi}"),
        }
    }
}

/// Smallest parameter of a `beta = [alpha, beta]` distribution. Below it
/// the rate is within 1e-300 of 0 or 1 in all but a vanishing share of
/// draws, and parameters too small to invert overflow the sampler.
pub const MIN_BETA_PARAMETER: f64 = 1e-3;
/// Largest parameter of a `beta = [alpha, beta]` distribution: beyond it
/// the rate's spread is below 2e-5, and larger parameters overflow the
/// sampler.
pub const MAX_BETA_PARAMETER: f64 = 1e9;
/// The largest Poisson mean a count may have; far beyond any real campaign,
/// and small enough that sums of counts stay exact in 64 bits.
pub const MAX_POISSON_MEAN: f64 = 1e12;

/// A probability or rate as a scenario gives it, valid by construction: a
/// fixed number in [0, 1] or a distribution over [0, 1] whose parameters
/// the samplers accept.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ProbDist(ProbShape);

impl ProbDist {
    /// Always 0.
    pub const ZERO: ProbDist = ProbDist(ProbShape::Fixed(0.0));

    /// A probability of this shape, or what is wrong with it.
    pub fn new(shape: ProbShape) -> Result<Self, String> {
        let in_unit = |values: &[f64]| values.iter().all(|p| (0.0..=1.0).contains(p));
        let valid = match shape {
            ProbShape::Fixed(p) => in_unit(&[p]),
            ProbShape::Uniform { lo, hi } => in_unit(&[lo, hi]) && lo <= hi,
            ProbShape::Triangular { min, mode, max } => {
                in_unit(&[min, mode, max]) && min <= mode && mode <= max
            }
            ProbShape::Beta { alpha, beta } => [alpha, beta]
                .iter()
                .all(|a| (MIN_BETA_PARAMETER..=MAX_BETA_PARAMETER).contains(a)),
        };
        if valid {
            Ok(ProbDist(shape))
        } else {
            Err(format!(
                "not a valid probability distribution: {shape:?} (values must lie in [0, 1] \
                 in increasing order; beta parameters between {MIN_BETA_PARAMETER} and \
                 {MAX_BETA_PARAMETER:e})"
            ))
        }
    }

    /// A fixed probability, or what is wrong with it.
    pub fn fixed(p: f64) -> Result<Self, String> {
        Self::new(ProbShape::Fixed(p))
    }

    /// A distribution the crate's own tables define, checked by their tests.
    pub(crate) const fn trusted(shape: ProbShape) -> Self {
        ProbDist(shape)
    }

    /// Its shape and parameters.
    pub fn shape(&self) -> ProbShape {
        self.0
    }

    /// Expected value.
    pub fn mean(&self) -> f64 {
        self.0.mean()
    }

    /// Variance.
    pub fn variance(&self) -> f64 {
        self.0.variance()
    }

    /// Second raw moment, E(X²).
    pub fn second_moment(&self) -> f64 {
        self.0.second_moment()
    }

    /// The smallest and largest value the distribution can take.
    pub fn support(&self) -> (f64, f64) {
        self.0.support()
    }

    /// True when the value is known exactly (no uncertainty to propagate).
    pub fn is_fixed(&self) -> bool {
        self.0.is_fixed()
    }
}

impl fmt::Display for ProbDist {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A count as a scenario gives it, valid by construction: a whole number,
/// a Poisson count of mean between 0 and 10^12, or a
/// uniform range of whole numbers in increasing order.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CountDist(CountShape);

impl CountDist {
    /// A count of this shape, or what is wrong with it.
    pub fn new(shape: CountShape) -> Result<Self, String> {
        let valid = match shape {
            CountShape::Fixed(_) => true,
            CountShape::Poisson(mean) => (0.0..=MAX_POISSON_MEAN).contains(&mean),
            CountShape::Uniform { lo, hi } => lo <= hi,
        };
        if valid {
            Ok(CountDist(shape))
        } else {
            Err(format!(
                "not a valid count distribution: {shape:?} (a Poisson mean between 0 and \
                 {MAX_POISSON_MEAN:e}; a uniform range low <= high)"
            ))
        }
    }

    /// A fixed count.
    pub const fn fixed(n: u64) -> Self {
        CountDist(CountShape::Fixed(n))
    }

    /// Its shape and parameters.
    pub fn shape(&self) -> CountShape {
        self.0
    }

    /// Expected value.
    pub fn mean(&self) -> f64 {
        self.0.mean()
    }

    /// Variance.
    pub fn variance(&self) -> f64 {
        self.0.variance()
    }

    /// Second raw moment, E(X²).
    pub fn second_moment(&self) -> f64 {
        self.0.second_moment()
    }

    /// The largest value a draw can take in practice (see
    /// [`CountShape::practical_max`]).
    pub fn practical_max(&self) -> f64 {
        self.0.practical_max()
    }

    /// True when the value is known exactly.
    pub fn is_fixed(&self) -> bool {
        self.0.is_fixed()
    }
}

impl fmt::Display for CountDist {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn triangular_moments_match_the_uniform_limit() {
        // A triangular with mode at an end is not uniform, but a symmetric
        // one has the midpoint as mean and (w²/24) as variance.
        let t = ProbShape::Triangular {
            min: 0.0,
            mode: 0.5,
            max: 1.0,
        };
        assert!((t.mean() - 0.5).abs() < 1e-15);
        assert!((t.variance() - 1.0 / 24.0).abs() < 1e-15);
    }
}
