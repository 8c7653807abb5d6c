//! Parameters to infer: their names, prior distributions and supports, and
//! the unbounded coordinates the perturbation kernel works in.

use std::f64::consts::PI;
use std::fmt;

use rand::{Rng, RngExt};
use rand_distr::{Beta, Distribution, Gamma, LogNormal, Normal, Poisson};

use super::error::CalibrateError;

/// Largest magnitude an integer-valued parameter may take: beyond 2^53 not
/// every whole number is an `f64`.
const MAX_WHOLE: f64 = 9_007_199_254_740_992.0;

/// Where a parameter's values live.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Support {
    /// Real numbers from `lower` to `upper` (`lower < upper`).
    Interval {
        /// Smallest value.
        lower: f64,
        /// Largest value.
        upper: f64,
    },
    /// Real numbers above 0.
    Positive,
    /// All real numbers.
    Real,
    /// Whole numbers from `lower`, up to `upper` when there is one.
    Integers {
        /// Smallest value.
        lower: i64,
        /// Largest value, if bounded.
        upper: Option<i64>,
    },
}

impl Support {
    /// Whether `x` is a possible value.
    pub fn contains(&self, x: f64) -> bool {
        if !x.is_finite() {
            return false;
        }
        match *self {
            Support::Interval { lower, upper } => (lower..=upper).contains(&x),
            Support::Positive => x > 0.0,
            Support::Real => true,
            Support::Integers { lower, upper } => {
                x.fract() == 0.0
                    && x.abs() <= MAX_WHOLE
                    && x >= lower as f64
                    && upper.is_none_or(|u| x <= u as f64)
            }
        }
    }

    /// Whether values are whole numbers.
    pub fn is_integer(&self) -> bool {
        matches!(self, Support::Integers { .. })
    }
}

impl fmt::Display for Support {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Support::Interval { lower, upper } => write!(f, "a number from {lower} to {upper}"),
            Support::Positive => f.write_str("a number above 0"),
            Support::Real => f.write_str("a finite number"),
            Support::Integers { lower, upper: None } => write!(f, "a whole number from {lower} up"),
            Support::Integers {
                lower,
                upper: Some(upper),
            } => write!(f, "a whole number from {lower} to {upper}"),
        }
    }
}

/// A prior distribution of one parameter. Built only through the
/// constructors, which reject parameters that do not define a distribution.
#[derive(Debug, Clone)]
pub struct Prior {
    kind: Kind,
}

#[derive(Debug, Clone)]
enum Kind {
    Uniform {
        lower: f64,
        upper: f64,
    },
    Triangular {
        min: f64,
        mode: f64,
        max: f64,
    },
    Beta {
        alpha: f64,
        beta: f64,
        ln_beta_function: f64,
        sampler: Beta<f64>,
    },
    LogNormal {
        mu: f64,
        sigma: f64,
        sampler: LogNormal<f64>,
    },
    Gamma {
        shape: f64,
        scale: f64,
        sampler: Gamma<f64>,
    },
    Normal {
        mean: f64,
        sd: f64,
        sampler: Normal<f64>,
    },
    Poisson {
        mean: f64,
        sampler: Poisson<f64>,
    },
    UniformInteger {
        lower: i64,
        upper: i64,
    },
}

fn invalid(message: String) -> CalibrateError {
    CalibrateError::InvalidPrior(message)
}

fn positive_finite(what: &str, x: f64) -> Result<(), CalibrateError> {
    if x.is_finite() && x > 0.0 {
        Ok(())
    } else {
        Err(invalid(format!(
            "{what} must be a finite number above 0, got {x}"
        )))
    }
}

impl Prior {
    /// Uniform on `[lower, upper]`, `lower < upper`, both finite.
    pub fn uniform(lower: f64, upper: f64) -> Result<Prior, CalibrateError> {
        if !(lower.is_finite() && upper.is_finite() && lower < upper) {
            return Err(invalid(format!(
                "uniform needs finite bounds with lower < upper, got [{lower}, {upper}]"
            )));
        }
        Ok(Prior {
            kind: Kind::Uniform { lower, upper },
        })
    }

    /// Triangular on `[min, max]` with its peak at `mode`.
    pub fn triangular(min: f64, mode: f64, max: f64) -> Result<Prior, CalibrateError> {
        if !(min.is_finite() && mode.is_finite() && max.is_finite() && min <= mode && mode <= max)
            || min >= max
        {
            return Err(invalid(format!(
                "triangular needs finite min <= mode <= max with min < max, got [{min}, {mode}, {max}]"
            )));
        }
        Ok(Prior {
            kind: Kind::Triangular { min, mode, max },
        })
    }

    /// Beta(`alpha`, `beta`) on `[0, 1]`.
    pub fn beta(alpha: f64, beta: f64) -> Result<Prior, CalibrateError> {
        positive_finite("beta's alpha", alpha)?;
        positive_finite("beta's beta", beta)?;
        let sampler = Beta::new(alpha, beta).map_err(|e| invalid(format!("beta: {e}")))?;
        Ok(Prior {
            kind: Kind::Beta {
                alpha,
                beta,
                ln_beta_function: ln_gamma(alpha) + ln_gamma(beta) - ln_gamma(alpha + beta),
                sampler,
            },
        })
    }

    /// Log-normal: `ln X ~ Normal(mu, sigma)`, positive values.
    pub fn log_normal(mu: f64, sigma: f64) -> Result<Prior, CalibrateError> {
        if !mu.is_finite() {
            return Err(invalid(format!("log-normal's mu must be finite, got {mu}")));
        }
        positive_finite("log-normal's sigma", sigma)?;
        let sampler = LogNormal::new(mu, sigma).map_err(|e| invalid(format!("log-normal: {e}")))?;
        Ok(Prior {
            kind: Kind::LogNormal { mu, sigma, sampler },
        })
    }

    /// Gamma with the given shape and scale (mean `shape * scale`).
    pub fn gamma(shape: f64, scale: f64) -> Result<Prior, CalibrateError> {
        positive_finite("gamma's shape", shape)?;
        positive_finite("gamma's scale", scale)?;
        let sampler = Gamma::new(shape, scale).map_err(|e| invalid(format!("gamma: {e}")))?;
        Ok(Prior {
            kind: Kind::Gamma {
                shape,
                scale,
                sampler,
            },
        })
    }

    /// Normal with the given mean and standard deviation.
    pub fn normal(mean: f64, sd: f64) -> Result<Prior, CalibrateError> {
        if !mean.is_finite() {
            return Err(invalid(format!("normal's mean must be finite, got {mean}")));
        }
        positive_finite("normal's standard deviation", sd)?;
        let sampler = Normal::new(mean, sd).map_err(|e| invalid(format!("normal: {e}")))?;
        Ok(Prior {
            kind: Kind::Normal { mean, sd, sampler },
        })
    }

    /// Poisson with the given mean (whole numbers from 0).
    pub fn poisson(mean: f64) -> Result<Prior, CalibrateError> {
        positive_finite("poisson's mean", mean)?;
        // Keeps draws well inside the whole numbers an f64 holds exactly.
        if mean > 1e15 {
            return Err(invalid(format!(
                "poisson's mean must be at most 1e15, got {mean}"
            )));
        }
        let sampler = Poisson::new(mean).map_err(|e| invalid(format!("poisson: {e}")))?;
        Ok(Prior {
            kind: Kind::Poisson { mean, sampler },
        })
    }

    /// Uniform on the whole numbers `lower..=upper`.
    pub fn uniform_integer(lower: i64, upper: i64) -> Result<Prior, CalibrateError> {
        let limit = MAX_WHOLE as i64;
        if lower > upper || lower < -limit || upper > limit {
            return Err(invalid(format!(
                "integer uniform needs lower <= upper within ±2^53, got [{lower}, {upper}]"
            )));
        }
        Ok(Prior {
            kind: Kind::UniformInteger { lower, upper },
        })
    }

    /// Where the prior puts its mass.
    pub fn support(&self) -> Support {
        match self.kind {
            Kind::Uniform { lower, upper } => Support::Interval { lower, upper },
            Kind::Triangular { min, max, .. } => Support::Interval {
                lower: min,
                upper: max,
            },
            Kind::Beta { .. } => Support::Interval {
                lower: 0.0,
                upper: 1.0,
            },
            Kind::LogNormal { .. } | Kind::Gamma { .. } => Support::Positive,
            Kind::Normal { .. } => Support::Real,
            Kind::Poisson { .. } => Support::Integers {
                lower: 0,
                upper: None,
            },
            Kind::UniformInteger { lower, upper } => Support::Integers {
                lower,
                upper: Some(upper),
            },
        }
    }

    /// One draw. Integer-valued priors return whole numbers.
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match &self.kind {
            Kind::Uniform { lower, upper } => lower + (upper - lower) * rng.random::<f64>(),
            &Kind::Triangular { min, mode, max } => {
                // Inverse of the distribution function.
                let u: f64 = rng.random();
                let range = max - min;
                if u * range < mode - min {
                    min + (u * range * (mode - min)).sqrt()
                } else {
                    max - ((1.0 - u) * range * (max - mode)).sqrt()
                }
            }
            Kind::Beta { sampler, .. } => sampler.sample(rng),
            Kind::LogNormal { sampler, .. } => sampler.sample(rng),
            Kind::Gamma { sampler, .. } => sampler.sample(rng),
            Kind::Normal { sampler, .. } => sampler.sample(rng),
            Kind::Poisson { sampler, .. } => sampler.sample(rng),
            &Kind::UniformInteger { lower, upper } => rng.random_range(lower..=upper) as f64,
        }
    }

    /// Natural log of the density (of the probability for integer-valued
    /// priors) at `x`; `-inf` outside the support.
    pub fn ln_density(&self, x: f64) -> f64 {
        if !self.support().contains(x) {
            return f64::NEG_INFINITY;
        }
        match self.kind {
            Kind::Uniform { lower, upper } => -(upper - lower).ln(),
            Kind::Triangular { min, mode, max } => {
                let range = max - min;
                if x < mode {
                    (2.0 * (x - min) / (range * (mode - min))).ln()
                } else if x > mode {
                    (2.0 * (max - x) / (range * (max - mode))).ln()
                } else {
                    (2.0 / range).ln()
                }
            }
            Kind::Beta {
                alpha,
                beta,
                ln_beta_function,
                ..
            } => {
                // The open interval: at 0 or 1 the density is 0 or infinite
                // except for special shapes, and both points have
                // probability 0.
                if x <= 0.0 || x >= 1.0 {
                    return f64::NEG_INFINITY;
                }
                (alpha - 1.0) * x.ln() + (beta - 1.0) * (-x).ln_1p() - ln_beta_function
            }
            Kind::LogNormal { mu, sigma, .. } => {
                let z = (x.ln() - mu) / sigma;
                -x.ln() - sigma.ln() - 0.5 * (2.0 * PI).ln() - 0.5 * z * z
            }
            Kind::Gamma { shape, scale, .. } => {
                (shape - 1.0) * x.ln() - x / scale - ln_gamma(shape) - shape * scale.ln()
            }
            Kind::Normal { mean, sd, .. } => {
                let z = (x - mean) / sd;
                -sd.ln() - 0.5 * (2.0 * PI).ln() - 0.5 * z * z
            }
            Kind::Poisson { mean, .. } => x * mean.ln() - mean - ln_gamma(x + 1.0),
            Kind::UniformInteger { lower, upper } => -((upper - lower) as f64 + 1.0).ln(),
        }
    }

    /// The prior mean.
    pub fn mean(&self) -> f64 {
        match self.kind {
            Kind::Uniform { lower, upper } => 0.5 * (lower + upper),
            Kind::Triangular { min, mode, max } => (min + mode + max) / 3.0,
            Kind::Beta { alpha, beta, .. } => alpha / (alpha + beta),
            Kind::LogNormal { mu, sigma, .. } => (mu + 0.5 * sigma * sigma).exp(),
            Kind::Gamma { shape, scale, .. } => shape * scale,
            Kind::Normal { mean, .. } => mean,
            Kind::Poisson { mean, .. } => mean,
            Kind::UniformInteger { lower, upper } => 0.5 * (lower as f64 + upper as f64),
        }
    }

    /// The prior variance.
    pub fn variance(&self) -> f64 {
        match self.kind {
            Kind::Uniform { lower, upper } => (upper - lower).powi(2) / 12.0,
            Kind::Triangular { min, mode, max } => {
                (min * min + mode * mode + max * max - min * mode - min * max - mode * max) / 18.0
            }
            Kind::Beta { alpha, beta, .. } => {
                let s = alpha + beta;
                alpha * beta / (s * s * (s + 1.0))
            }
            Kind::LogNormal { mu, sigma, .. } => {
                let s2 = sigma * sigma;
                s2.exp_m1() * (2.0 * mu + s2).exp()
            }
            Kind::Gamma { shape, scale, .. } => shape * scale * scale,
            Kind::Normal { sd, .. } => sd * sd,
            Kind::Poisson { mean, .. } => mean,
            Kind::UniformInteger { lower, upper } => {
                let n = (upper - lower) as f64 + 1.0;
                (n * n - 1.0) / 12.0
            }
        }
    }
}

impl fmt::Display for Prior {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            Kind::Uniform { lower, upper } => write!(f, "uniform({lower}, {upper})"),
            Kind::Triangular { min, mode, max } => write!(f, "triangular({min}, {mode}, {max})"),
            Kind::Beta { alpha, beta, .. } => write!(f, "beta({alpha}, {beta})"),
            Kind::LogNormal { mu, sigma, .. } => write!(f, "log-normal({mu}, {sigma})"),
            Kind::Gamma { shape, scale, .. } => write!(f, "gamma(shape {shape}, scale {scale})"),
            Kind::Normal { mean, sd, .. } => write!(f, "normal({mean}, {sd})"),
            Kind::Poisson { mean, .. } => write!(f, "poisson({mean})"),
            Kind::UniformInteger { lower, upper } => {
                write!(f, "uniform integer({lower}..={upper})")
            }
        }
    }
}

/// The parameters to infer, in a fixed order: parameter vectors handed to
/// the model and stored in populations follow it.
#[derive(Debug, Clone)]
pub struct ParameterSpace {
    names: Vec<String>,
    priors: Vec<Prior>,
}

impl ParameterSpace {
    /// A space of named parameters with independent priors. Names must be
    /// non-empty, unique, not `weight`, free of commas, quotes, line breaks
    /// and surrounding spaces (they become column names of the posterior
    /// CSV).
    pub fn new<S: Into<String>>(
        parameters: impl IntoIterator<Item = (S, Prior)>,
    ) -> Result<ParameterSpace, CalibrateError> {
        let (names, priors): (Vec<String>, Vec<Prior>) = parameters
            .into_iter()
            .map(|(name, prior)| (name.into(), prior))
            .unzip();
        if names.is_empty() {
            return Err(CalibrateError::InvalidParameters(
                "there is nothing to calibrate: no parameter has a prior".into(),
            ));
        }
        for (i, name) in names.iter().enumerate() {
            if name.is_empty()
                || name.trim() != name
                || name.contains([',', '"', '\n', '\r'])
                || name == "weight"
            {
                return Err(CalibrateError::InvalidParameters(format!(
                    "parameter name {name:?} is not allowed: names must be non-empty, \
                     not `weight`, and free of commas, quotes, line breaks and surrounding spaces"
                )));
            }
            if names[..i].contains(name) {
                return Err(CalibrateError::InvalidParameters(format!(
                    "parameter name `{name}` is used twice"
                )));
            }
        }
        Ok(ParameterSpace { names, priors })
    }

    /// Number of parameters.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Always false: a space has at least one parameter.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// Parameter names in order.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Priors in order.
    pub fn priors(&self) -> &[Prior] {
        &self.priors
    }

    /// Position of the parameter called `name`.
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n == name)
    }

    /// Natural log of the joint prior density (priors are independent).
    pub fn ln_prior_density(&self, theta: &[f64]) -> f64 {
        self.priors
            .iter()
            .zip(theta)
            .map(|(prior, &x)| prior.ln_density(x))
            .sum()
    }

    /// Fills `theta` with one draw from the joint prior.
    pub fn sample_prior<R: Rng + ?Sized>(&self, rng: &mut R, theta: &mut [f64]) {
        for (x, prior) in theta.iter_mut().zip(&self.priors) {
            *x = prior.sample(rng);
        }
    }
}

/// The unbounded coordinate a continuous parameter is perturbed in.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Transform {
    /// `u = ln((x - a) / (b - x))` for `x` in `[a, b]`.
    Logit { lower: f64, upper: f64 },
    /// `u = ln x` for `x > 0`.
    Log,
    /// `u = x`.
    Identity,
}

/// `ln(1 + e^z)` without overflow.
fn softplus(z: f64) -> f64 {
    z.max(0.0) + (-z.abs()).exp().ln_1p()
}

/// Bound on |u| so that points on an interval's ends stay finite.
const U_LIMIT: f64 = 700.0;

impl Transform {
    /// The transform for a continuous support; `None` for integers.
    pub(crate) fn for_support(support: Support) -> Option<Transform> {
        match support {
            Support::Interval { lower, upper } => Some(Transform::Logit { lower, upper }),
            Support::Positive => Some(Transform::Log),
            Support::Real => Some(Transform::Identity),
            Support::Integers { .. } => None,
        }
    }

    /// From the parameter's value to the unbounded coordinate.
    pub(crate) fn forward(self, x: f64) -> f64 {
        match self {
            Transform::Logit { lower, upper } => {
                ((x - lower).ln() - (upper - x).ln()).clamp(-U_LIMIT, U_LIMIT)
            }
            Transform::Log => x.ln().clamp(-U_LIMIT, U_LIMIT),
            Transform::Identity => x,
        }
    }

    /// From the unbounded coordinate back to the parameter's value.
    pub(crate) fn inverse(self, u: f64) -> f64 {
        match self {
            Transform::Logit { lower, upper } => {
                let width = upper - lower;
                // Measured from the nearer end, so values near either end
                // keep their precision.
                let x = if u < 0.0 {
                    lower + width / (1.0 + (-u).exp())
                } else {
                    upper - width / (1.0 + u.exp())
                };
                x.clamp(lower, upper)
            }
            Transform::Log => u.exp(),
            Transform::Identity => u,
        }
    }

    /// `ln |dx/du|` at `u`: the Jacobian that turns a density in `x` into
    /// one in `u`.
    pub(crate) fn ln_jacobian(self, u: f64) -> f64 {
        match self {
            Transform::Logit { lower, upper } => (upper - lower).ln() - softplus(u) - softplus(-u),
            Transform::Log => u,
            Transform::Identity => 0.0,
        }
    }
}

/// `ln Γ(x)` for `x > 0`: Lanczos' approximation (g = 7, nine terms),
/// relative error near 1e-15.
pub(crate) fn ln_gamma(x: f64) -> f64 {
    const G: f64 = 7.0;
    const COEFFICIENTS: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        // Reflection keeps the series in its accurate range.
        return (PI / (PI * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut sum = COEFFICIENTS[0];
    for (i, &c) in COEFFICIENTS.iter().enumerate().skip(1) {
        sum += c / (x + i as f64);
    }
    let t = x + G + 0.5;
    0.5 * (2.0 * PI).ln() + (x + 0.5) * t.ln() - t + sum.ln()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calibrate::rng::particle_stream;

    #[test]
    fn ln_gamma_matches_statrs() {
        for &x in &[
            1e-3, 0.1, 0.5, 1.0, 1.5, 2.0, 3.7, 10.0, 51.0, 123.456, 1e4, 1e7,
        ] {
            let expected = statrs::function::gamma::ln_gamma(x);
            assert!(
                (ln_gamma(x) - expected).abs() <= 1e-12 * expected.abs().max(1.0),
                "ln_gamma({x}) = {} vs {expected}",
                ln_gamma(x)
            );
        }
    }

    #[test]
    fn constructors_reject_what_is_not_a_distribution() {
        assert!(Prior::uniform(1.0, 1.0).is_err());
        assert!(Prior::uniform(0.0, f64::INFINITY).is_err());
        assert!(Prior::triangular(0.0, 2.0, 1.0).is_err());
        assert!(Prior::triangular(1.0, 1.0, 1.0).is_err());
        assert!(Prior::beta(0.0, 1.0).is_err());
        assert!(Prior::beta(1.0, f64::NAN).is_err());
        assert!(Prior::gamma(-1.0, 1.0).is_err());
        assert!(Prior::poisson(0.0).is_err());
        assert!(Prior::uniform_integer(3, 2).is_err());
        assert!(Prior::uniform_integer(2, 2).is_ok());
    }

    #[test]
    fn names_are_checked() {
        let p = || Prior::uniform(0.0, 1.0).unwrap();
        assert!(ParameterSpace::new(Vec::<(String, Prior)>::new()).is_err());
        assert!(ParameterSpace::new([("a", p()), ("a", p())]).is_err());
        assert!(ParameterSpace::new([("weight", p())]).is_err());
        assert!(ParameterSpace::new([("a,b", p())]).is_err());
        assert!(ParameterSpace::new([(" a", p())]).is_err());
        assert!(ParameterSpace::new([("a", p()), ("b", p())]).is_ok());
    }

    /// Each density integrates (sums) to 1 and has the stated mean and
    /// variance: checked by quadrature on a fine grid, which would show a
    /// wrong normalising constant or a misplaced branch.
    #[test]
    fn densities_integrate_to_one_with_the_stated_moments() {
        let continuous = [
            (Prior::uniform(0.1, 0.6).unwrap(), 0.1, 0.6),
            (Prior::triangular(0.0, 0.3, 2.0).unwrap(), 0.0, 2.0),
            (Prior::beta(2.5, 4.0).unwrap(), 0.0, 1.0),
            (Prior::log_normal(0.2, 0.5).unwrap(), 0.0, 40.0),
            (Prior::gamma(3.0, 2.0).unwrap(), 0.0, 150.0),
            (Prior::normal(-1.0, 2.0).unwrap(), -40.0, 40.0),
        ];
        for (prior, lo, hi) in continuous {
            // Midpoint rule: never evaluates the end points themselves.
            let n = 400_000;
            let h = (hi - lo) / n as f64;
            let (mut mass, mut first, mut second) = (0.0, 0.0, 0.0);
            for i in 0..n {
                let x = lo + (i as f64 + 0.5) * h;
                let d = prior.ln_density(x).exp() * h;
                mass += d;
                first += x * d;
                second += x * x * d;
            }
            let var = second - first * first;
            assert!((mass - 1.0).abs() < 1e-6, "{prior}: mass {mass}");
            assert!((first - prior.mean()).abs() < 1e-5, "{prior}: mean {first}");
            assert!(
                (var - prior.variance()).abs() < 1e-4 * prior.variance().max(1.0),
                "{prior}: variance {var} vs {}",
                prior.variance()
            );
        }
        for (prior, hi) in [
            (Prior::poisson(7.5).unwrap(), 200),
            (Prior::uniform_integer(3, 11).unwrap(), 20),
        ] {
            let (mut mass, mut first, mut second) = (0.0, 0.0, 0.0);
            for k in 0..=hi {
                let p = prior.ln_density(k as f64).exp();
                mass += p;
                first += k as f64 * p;
                second += (k * k) as f64 * p;
            }
            assert!((mass - 1.0).abs() < 1e-12, "{prior}: mass {mass}");
            assert!((first - prior.mean()).abs() < 1e-10);
            assert!((second - first * first - prior.variance()).abs() < 1e-9);
            assert_eq!(prior.ln_density(2.5), f64::NEG_INFINITY);
        }
    }

    /// Draws follow the density: sample mean and variance within 5
    /// standard errors of the closed forms (SE of the variance from the
    /// sample fourth moment).
    #[test]
    fn samples_have_the_prior_moments() {
        let priors = [
            Prior::uniform(0.1, 0.6).unwrap(),
            Prior::triangular(0.0, 0.3, 2.0).unwrap(),
            Prior::beta(2.5, 4.0).unwrap(),
            Prior::log_normal(0.2, 0.5).unwrap(),
            Prior::gamma(3.0, 2.0).unwrap(),
            Prior::normal(-1.0, 2.0).unwrap(),
            Prior::poisson(7.5).unwrap(),
            Prior::uniform_integer(3, 11).unwrap(),
        ];
        for (k, prior) in priors.iter().enumerate() {
            let mut rng = particle_stream(11, 0, k as u64);
            let n = 200_000;
            let xs: Vec<f64> = (0..n).map(|_| prior.sample(&mut rng)).collect();
            assert!(xs.iter().all(|&x| prior.support().contains(x)));
            let mean = xs.iter().sum::<f64>() / n as f64;
            let m2 = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64;
            let m4 = xs.iter().map(|x| (x - mean).powi(4)).sum::<f64>() / n as f64;
            let se_mean = (prior.variance() / n as f64).sqrt();
            let se_var = ((m4 - m2 * m2) / n as f64).sqrt();
            assert!(
                (mean - prior.mean()).abs() < 5.0 * se_mean,
                "{prior}: mean {mean}"
            );
            assert!(
                (m2 - prior.variance()).abs() < 5.0 * se_var,
                "{prior}: var {m2}"
            );
        }
    }

    #[test]
    fn transforms_invert_and_their_jacobians_are_derivatives() {
        let transforms = [
            (
                Transform::Logit {
                    lower: 0.1,
                    upper: 0.6,
                },
                0.35,
            ),
            (
                Transform::Logit {
                    lower: -3.0,
                    upper: 1e-3,
                },
                -1e-4,
            ),
            (Transform::Log, 42.0),
            (Transform::Identity, -7.0),
        ];
        for (t, x) in transforms {
            let u = t.forward(x);
            assert!((t.inverse(u) - x).abs() <= 1e-12 * x.abs().max(1.0));
            let h = 1e-6;
            let numeric = (t.inverse(u + h) - t.inverse(u - h)) / (2.0 * h);
            assert!(
                (t.ln_jacobian(u) - numeric.ln()).abs() < 1e-6,
                "{t:?} at {x}: {} vs {}",
                t.ln_jacobian(u),
                numeric.ln()
            );
        }
        let t = Transform::Logit {
            lower: 0.0,
            upper: 1.0,
        };
        assert!(t.forward(0.0).is_finite() && t.forward(1.0).is_finite());
        assert_eq!(t.inverse(1e6), 1.0);
        assert_eq!(t.inverse(-1e6), 0.0);
    }
}
