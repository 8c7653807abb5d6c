//! Likelihood-free Bayesian calibration: which values of a stochastic
//! model's uncertain inputs are consistent with observed counts.
//!
//! The module knows nothing about munitions. A model is a closure
//! `simulate(&θ, &mut rng) -> Vec<f64>` returning one simulated value per
//! observation; the inputs `θ` are named parameters with independent priors
//! ([`ParameterSpace`], [`Prior`]); the data are [`Observations`], each with
//! a scale. The distance between a simulation `y` and the observations
//! `y°` is Euclidean after scaling,
//! `ρ(y, y°) = √(Σ_k ((y_k − y°_k) / s_k)²)`, with `s_k` the observation's
//! standard deviation when one is given and `√max(y°_k, 1)` otherwise
//! (Poisson-like: a count of 100 missed by 10 weighs as much as a count of
//! 1 missed by 1).
//!
//! # The algorithm
//!
//! [`calibrate`] runs approximate Bayesian computation by sequential Monte
//! Carlo in the population Monte Carlo form of Beaumont, Cornuet, Marin &
//! Robert (2009, *Biometrika* 96:983–990), with the tolerance schedule set
//! adaptively from the previous population's distances as in Drovandi &
//! Pettitt (2011, *Biometrics* 67:225–233), who set each tolerance to a
//! quantile of the current distances (their move step is an MCMC kernel;
//! here every particle is proposed afresh from the weighted mixture, as in
//! Beaumont et al.). With `N` particles:
//!
//! 1. **Generation 0.** Particle `i` draws `θ_i` from the prior and
//!    simulates once; all are kept with weights `1/N`; `ε_0` is their
//!    largest distance.
//! 2. **Tolerance.** `ε_t` is the weighted `α`-quantile of generation
//!    `t−1`'s distances (`α = 0.5` by default), never below the target. With
//!    count data many particles can share the largest distance; when that
//!    keeps the quantile at `ε_{t−1}`, `ε_t` is the largest distance below
//!    `ε_{t−1}` instead.
//! 3. **Proposals.** Particle `i` of generation `t` takes every random
//!    number it needs from its own stream, seeded by `(seed, t, i)` only.
//!    With probability `β` (`prior_share`, 0.05 by default) it draws a
//!    proposal from the prior; otherwise it picks a parent `j` with
//!    probability `W_j` (bisection of the cumulative weights) and perturbs
//!    it with the kernel `K_t`. It simulates and keeps the proposal if
//!    `ρ ≤ ε_t`, else starts again.
//! 4. **Kernel.** Continuous parameters move jointly in unbounded
//!    coordinates `u`: `ln((θ − a)/(b − θ))` on an interval `[a, b]`, `ln θ`
//!    when positive, `θ` on the whole line, by a Gaussian `N(u_j, 2Σ)` with
//!    `Σ` the weighted covariance of generation `t−1` in those coordinates
//!    (Beaumont et al.'s twice-the-variance choice, with the full
//!    covariance). Whole-number parameters move independently by a discrete
//!    Laplace step, `P(k) ∝ r^|k|`, whose variance `2r/(1−r)²` is twice the
//!    weighted variance (at least 1), truncated to the support: the step is
//!    drawn among in-support values only and its probability divided by
//!    their total `S_j`. No proposal ever leaves the support, and every
//!    value of the support can be proposed.
//! 5. **Weights.** With `π_u(u) = π(θ)·|dθ/du|` the prior density in the
//!    kernel's coordinates (the Jacobian of the transform), the weight is
//!    `w_i ∝ π_u(u_i) / ((1 − β) Σ_j W_j K_t(u_i | u_j) + β π_u(u_i))`, the
//!    kernel including the truncation normalisers `1/S_j`; weights are
//!    normalised to sum to one. Mixing the prior into the proposal is
//!    defensive importance sampling (Hesterberg 1995, *Technometrics*
//!    37:185–194): it bounds every weight by `1/β`, so a tail of the prior
//!    that the kernels barely reach cannot produce a few enormous weights.
//!    The sums cost `N²` kernel evaluations per generation (4 million for
//!    2,000 particles); each particle's sum runs on one thread in a fixed
//!    order, so weights do not depend on the thread count. The effective
//!    sample size is Kish's `(Σw)²/Σw²`.
//!
//! The last population is an importance sample of the ABC posterior at
//! tolerance `ε`, which for `ε = 0` (exact matches, reachable for counts) is
//! the exact posterior.
//!
//! # Stopping
//!
//! A fit stops when the tolerance reaches its target, after the maximum
//! number of generations, when the simulation budget is spent, when the next
//! tolerance would be less than 5% (by default) below the tolerance three
//! generations earlier (the tolerance stalled), or when
//! a generation's acceptance rate falls below a limit: every generation
//! stops after `N / min_acceptance_rate` proposals, so no fit loops for
//! ever. In the last two cases the fit has come as close to the data as it
//! can; if that is still more than [`Settings::reach_per_observation`] scale
//! units per observation (root-mean-square), the prior cannot reach the
//! data and the error [`CalibrateError::CannotReachData`] says how close it
//! came and which observations the simulations stay farthest from.
//!
//! # Afterwards
//!
//! [`Posterior`] holds a weighted sample (from a fit, or read back from the
//! CSV file it writes): weighted quantiles and summaries, the effective
//! sample size, joint draws of one particle by weight with a caller's
//! stream (to forecast with the fitted inputs), and [`posterior_predictive`]
//! bands for checking observations, including held-out ones.

mod csv;
mod error;
mod kernel;
mod observations;
mod population;
mod posterior;
mod prior;
mod rng;
mod smc;
#[cfg(test)]
mod tests;

pub use csv::PosteriorCsvError;
pub use error::CalibrateError;
pub use observations::{Observation, Observations};
pub use population::Population;
pub use posterior::{
    ParameterSummary, Posterior, PredictiveBand, effective_sample_size, posterior_predictive,
    weighted_quantile,
};
pub use prior::{ParameterSpace, Prior, Support};
pub use rng::{ParticleRng, particle_stream, predictive_stream};
pub use smc::{
    Fit, GenerationSummary, ObservationMiss, Progress, Settings, StopReason, Unreachable, calibrate,
};
