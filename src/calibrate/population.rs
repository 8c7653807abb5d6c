//! A weighted population of particles: parameter vectors with the distance
//! and the simulated values that got them accepted.

use super::posterior::{effective_sample_size, weighted_quantile};

/// One generation's particles, weights (summing to 1), distances and
/// simulated values. Row `i` of each belongs to particle `i`.
#[derive(Debug, Clone, PartialEq)]
pub struct Population {
    dimension: usize,
    observations: usize,
    continuous: usize,
    theta: Vec<f64>,
    unbounded: Vec<f64>,
    weights: Vec<f64>,
    distances: Vec<f64>,
    simulated: Vec<f64>,
    tolerance: f64,
}

impl Population {
    pub(crate) fn empty(dimension: usize, observations: usize, continuous: usize) -> Population {
        Population {
            dimension,
            observations,
            continuous,
            theta: Vec::new(),
            unbounded: Vec::new(),
            weights: Vec::new(),
            distances: Vec::new(),
            simulated: Vec::new(),
            tolerance: 0.0,
        }
    }

    pub(crate) fn push(
        &mut self,
        theta: &[f64],
        u: &[f64],
        distance: f64,
        simulated: &[f64],
        weight: f64,
    ) {
        self.theta.extend_from_slice(theta);
        self.unbounded.extend_from_slice(u);
        self.distances.push(distance);
        self.simulated.extend_from_slice(simulated);
        self.weights.push(weight);
    }

    pub(crate) fn set_tolerance(&mut self, tolerance: f64) {
        self.tolerance = tolerance;
    }

    pub(crate) fn unbounded_row(&self, i: usize) -> &[f64] {
        &self.unbounded[i * self.continuous..(i + 1) * self.continuous]
    }

    /// Number of particles.
    pub fn len(&self) -> usize {
        self.weights.len()
    }

    /// Whether there are no particles (never, for a finished generation).
    pub fn is_empty(&self) -> bool {
        self.weights.is_empty()
    }

    /// Number of parameters per particle.
    pub fn dimension(&self) -> usize {
        self.dimension
    }

    /// Parameters of particle `i`, in the parameter space's order.
    pub fn particle(&self, i: usize) -> &[f64] {
        &self.theta[i * self.dimension..(i + 1) * self.dimension]
    }

    /// The values of parameter `parameter` over all particles.
    pub fn values_of(&self, parameter: usize) -> Vec<f64> {
        (0..self.len())
            .map(|i| self.theta[i * self.dimension + parameter])
            .collect()
    }

    /// Normalised importance weights.
    pub fn weights(&self) -> &[f64] {
        &self.weights
    }

    /// Each particle's distance to the observations.
    pub fn distances(&self) -> &[f64] {
        &self.distances
    }

    /// The simulated values that particle `i` was accepted with.
    pub fn simulated(&self, i: usize) -> &[f64] {
        &self.simulated[i * self.observations..(i + 1) * self.observations]
    }

    /// The tolerance every particle met: `ε` of its generation, and for the
    /// prior sample (accepted unconditionally) its largest distance.
    pub fn tolerance(&self) -> f64 {
        self.tolerance
    }

    /// Kish's effective sample size of the weights, `(Σw)² / Σw²`.
    pub fn effective_sample_size(&self) -> f64 {
        effective_sample_size(&self.weights)
    }

    /// Weighted quantile `q` of the simulated values of observation `o`.
    pub(crate) fn simulated_quantile(&self, o: usize, q: f64) -> f64 {
        let values: Vec<f64> = (0..self.len()).map(|i| self.simulated(i)[o]).collect();
        weighted_quantile(&values, &self.weights, q)
    }
}
