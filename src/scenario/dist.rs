//! The distributions a scenario file can give for a probability or a count,
//! with their closed-form moments.
//!
//! Sampling lives in the engine; this module only says what a distribution
//! is, so that validation, tables and tests can reason about it.

use std::fmt;

use crate::format::percent;

/// A probability or rate: a fixed number or a distribution over [0, 1].
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ProbDist {
    /// Always this value.
    Fixed(f64),
    /// Uniform on `[lo, hi]`.
    Uniform { lo: f64, hi: f64 },
    /// Triangular with the given minimum, mode and maximum.
    Triangular { min: f64, mode: f64, max: f64 },
    /// Beta(alpha, beta).
    Beta { alpha: f64, beta: f64 },
}

impl ProbDist {
    /// Expected value.
    pub fn mean(&self) -> f64 {
        match *self {
            ProbDist::Fixed(x) => x,
            ProbDist::Uniform { lo, hi } => 0.5 * (lo + hi),
            ProbDist::Triangular { min, mode, max } => (min + mode + max) / 3.0,
            ProbDist::Beta { alpha, beta } => alpha / (alpha + beta),
        }
    }

    /// Variance.
    pub fn variance(&self) -> f64 {
        match *self {
            ProbDist::Fixed(_) => 0.0,
            ProbDist::Uniform { lo, hi } => (hi - lo).powi(2) / 12.0,
            ProbDist::Triangular { min, mode, max } => {
                (min * min + mode * mode + max * max - min * mode - min * max - mode * max) / 18.0
            }
            ProbDist::Beta { alpha, beta } => {
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
            ProbDist::Fixed(x) => (x, x),
            ProbDist::Uniform { lo, hi } => (lo, hi),
            ProbDist::Triangular { min, max, .. } => (min, max),
            ProbDist::Beta { .. } => (0.0, 1.0),
        }
    }

    /// True when the value is known exactly (no uncertainty to propagate):
    /// a fixed number, or a range of zero width.
    pub fn is_fixed(&self) -> bool {
        let (lo, hi) = self.support();
        lo == hi
    }
}

impl fmt::Display for ProbDist {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            ProbDist::Fixed(x) => write!(f, "{}", percent(x)),
            ProbDist::Uniform { lo, hi } => {
                write!(f, "uniform {} to {}", percent(lo), percent(hi))
            }
            ProbDist::Triangular { min, mode, max } => write!(
                f,
                "triangular {} to {}, mode {}",
                percent(min),
                percent(max),
                percent(mode)
            ),
            ProbDist::Beta { alpha, beta } => write!(
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

/// A count (carriers, casualties per encounter, a step): fixed or random.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CountDist {
    /// Always this value.
    Fixed(u64),
    /// Poisson with this mean.
    Poisson(f64),
    /// Uniform on the integers `lo..=hi`.
    Uniform { lo: u64, hi: u64 },
}

impl CountDist {
    /// Expected value.
    pub fn mean(&self) -> f64 {
        match *self {
            CountDist::Fixed(n) => n as f64,
            CountDist::Poisson(mean) => mean,
            CountDist::Uniform { lo, hi } => 0.5 * (lo as f64 + hi as f64),
        }
    }

    /// Variance.
    pub fn variance(&self) -> f64 {
        match *self {
            CountDist::Fixed(_) => 0.0,
            CountDist::Poisson(mean) => mean,
            CountDist::Uniform { lo, hi } => {
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
            CountDist::Fixed(n) => n as f64,
            CountDist::Poisson(mean) => mean + 40.0 * mean.sqrt() + 40.0,
            CountDist::Uniform { hi, .. } => hi as f64,
        }
    }

    /// True when the value is known exactly: a fixed number, a range of
    /// zero width, or a Poisson count of mean 0.
    pub fn is_fixed(&self) -> bool {
        match *self {
            CountDist::Fixed(_) => true,
            CountDist::Poisson(mean) => mean <= 0.0,
            CountDist::Uniform { lo, hi } => lo == hi,
        }
    }
}

impl fmt::Display for CountDist {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            CountDist::Fixed(n) => write!(f, "{n}"),
            CountDist::Poisson(mean) => write!(f, "Poisson, mean {mean}"),
            CountDist::Uniform { lo, hi } => write!(f, "uniform {lo} to {hi}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn triangular_moments_match_the_uniform_limit() {
        // A triangular with mode at an end is not uniform, but a symmetric
        // one has the midpoint as mean and (w²/24) as variance.
        let t = ProbDist::Triangular {
            min: 0.0,
            mode: 0.5,
            max: 1.0,
        };
        assert!((t.mean() - 0.5).abs() < 1e-15);
        assert!((t.variance() - 1.0 / 24.0).abs() < 1e-15);
    }
}
