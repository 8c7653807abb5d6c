//! The perturbation kernel of population Monte Carlo: how a new particle is
//! proposed from the previous population, and the density of that proposal,
//! which the importance weights divide by.
//!
//! Continuous parameters move jointly in unbounded coordinates (logit for
//! an interval, log for a positive value) by a Gaussian with twice the
//! previous population's weighted covariance there. Whole-number parameters
//! move independently by a discrete Laplace (two-sided geometric) step,
//! `P(k) ∝ r^|k|`, whose variance `2r/(1−r)²` is twice the population's
//! (at least 1), truncated to the support: the step is drawn among the
//! in-support values only, and its probability is divided by the exact
//! in-support mass. Like the Gaussian, the step can reach every value of
//! the support: a kernel of bounded reach would leave posterior tails
//! unproposed, and the weights would then miss their mass.

use rand::{Rng, RngExt};
use rand_distr::StandardNormal;

use super::population::Population;
use super::posterior::pick;
use super::prior::{ParameterSpace, Transform};

/// Which parameters are continuous (and how they are unbounded) and which
/// are whole numbers (and their bounds).
#[derive(Debug, Clone)]
pub(crate) struct Layout {
    /// (parameter index, transform) per continuous parameter.
    pub continuous: Vec<(usize, Transform)>,
    /// (parameter index, lower, upper) per whole-number parameter.
    pub integer: Vec<(usize, i64, Option<i64>)>,
}

impl Layout {
    pub(crate) fn new(space: &ParameterSpace) -> Layout {
        let mut layout = Layout {
            continuous: Vec::new(),
            integer: Vec::new(),
        };
        for (i, prior) in space.priors().iter().enumerate() {
            let support = prior.support();
            match Transform::for_support(support) {
                Some(t) => layout.continuous.push((i, t)),
                None => {
                    let super::prior::Support::Integers { lower, upper } = support else {
                        unreachable!("only whole numbers have no transform")
                    };
                    layout.integer.push((i, lower, upper));
                }
            }
        }
        layout
    }

    /// Writes the unbounded coordinates of `theta`'s continuous parameters.
    pub(crate) fn unbounded(&self, theta: &[f64], u: &mut [f64]) {
        for (slot, &(i, t)) in u.iter_mut().zip(&self.continuous) {
            *slot = t.forward(theta[i]);
        }
    }

    /// `ln` of the prior density in the kernel's coordinates: the prior
    /// density of `theta` times `|dθ/du|` of each continuous parameter.
    pub(crate) fn ln_target(&self, space: &ParameterSpace, theta: &[f64], u: &[f64]) -> f64 {
        let ln_prior = space.ln_prior_density(theta);
        if ln_prior == f64::NEG_INFINITY {
            return ln_prior;
        }
        ln_prior
            + self
                .continuous
                .iter()
                .zip(u)
                .map(|(&(_, t), &ui)| t.ln_jacobian(ui))
                .sum::<f64>()
    }
}

/// The mixture `Σ_j W_j K(· | θ_j)` built on one population.
#[derive(Debug, Clone)]
pub(crate) struct Kernel {
    continuous: usize,
    /// Lower Cholesky factor of twice the weighted covariance, row-major.
    cholesky: Vec<f64>,
    /// `ln` of the Gaussian's normalising constant.
    ln_normaliser: f64,
    /// Each parent's unbounded coordinates premultiplied by the inverse
    /// Cholesky factor, so a kernel evaluation is a squared distance.
    whitened: Vec<f64>,
    /// Each parent's whole-number parameters.
    integers: Vec<i64>,
    /// The step distribution per whole-number parameter.
    steps: Vec<GeometricStep>,
    /// `ln W_j - Σ_d ln S_{j,d}` per parent, `S` the in-support mass of its
    /// unnormalised steps `r^|k|`.
    ln_parent_terms: Vec<f64>,
    /// Cumulative parent weights, to pick a parent.
    cumulative: Vec<f64>,
}

/// Fills `z` with `L⁻¹ u` for lower-triangular `L` (row-major, n × n).
fn forward_solve(l: &[f64], u: &[f64], z: &mut [f64]) {
    let n = u.len();
    for i in 0..n {
        let mut s = u[i];
        for k in 0..i {
            s -= l[i * n + k] * z[k];
        }
        z[i] = s / l[i * n + i];
    }
}

/// The Cholesky factor of a symmetric matrix, if it is positive definite.
fn cholesky(a: &[f64], n: usize) -> Option<Vec<f64>> {
    let mut l = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..=i {
            let mut s = a[i * n + j];
            for k in 0..j {
                s -= l[i * n + k] * l[j * n + k];
            }
            if i == j {
                if !(s > 0.0 && s.is_finite()) {
                    return None;
                }
                l[i * n + i] = s.sqrt();
            } else {
                l[i * n + j] = s / l[j * n + j];
            }
        }
    }
    Some(l)
}

/// Twice the weighted covariance, made positive definite if the population
/// is degenerate in some direction (a tiny ridge, grown until it works).
fn kernel_covariance(population: &Population, c: usize) -> Vec<f64> {
    let weights = population.weights();
    let mut mean = vec![0.0; c];
    for (j, &w) in weights.iter().enumerate() {
        for (m, &u) in mean.iter_mut().zip(population.unbounded_row(j)) {
            *m += w * u;
        }
    }
    let mut cov = vec![0.0; c * c];
    for (j, &w) in weights.iter().enumerate() {
        let u = population.unbounded_row(j);
        for a in 0..c {
            let da = u[a] - mean[a];
            for b in 0..=a {
                cov[a * c + b] += w * da * (u[b] - mean[b]);
            }
        }
    }
    for a in 0..c {
        for b in 0..a {
            cov[b * c + a] = cov[a * c + b];
        }
    }
    for x in cov.iter_mut() {
        *x *= 2.0;
    }
    cov
}

impl Kernel {
    /// The kernel mixture on `population` (whose weights sum to 1).
    pub(crate) fn new(population: &Population, layout: &Layout) -> Kernel {
        let n = population.len();
        let c = layout.continuous.len();
        let mut cov = kernel_covariance(population, c);
        let largest = (0..c).map(|a| cov[a * c + a]).fold(0.0_f64, f64::max);
        let mut ridge = 1e-12 * largest.max(1e-12);
        let mut factor = cholesky(&cov, c);
        // Thirty tenfold steps take the ridge past the largest variance;
        // only a matrix with non-finite entries could still fail, and then
        // unit steps in every coordinate are the fallback.
        for _ in 0..30 {
            if factor.is_some() {
                break;
            }
            for a in 0..c {
                cov[a * c + a] += ridge;
            }
            ridge *= 10.0;
            factor = cholesky(&cov, c);
        }
        let cholesky = factor.unwrap_or_else(|| {
            let mut identity = vec![0.0; c * c];
            for a in 0..c {
                identity[a * c + a] = 1.0;
            }
            identity
        });
        let ln_normaliser = -0.5 * c as f64 * (2.0 * std::f64::consts::PI).ln()
            - (0..c).map(|a| cholesky[a * c + a].ln()).sum::<f64>();
        let mut whitened = vec![0.0; n * c];
        for j in 0..n {
            forward_solve(
                &cholesky,
                population.unbounded_row(j),
                &mut whitened[j * c..(j + 1) * c],
            );
        }

        let k = layout.integer.len();
        let weights = population.weights();
        let mut integers = vec![0i64; n * k];
        for j in 0..n {
            let theta = population.particle(j);
            for (d, &(i, _, _)) in layout.integer.iter().enumerate() {
                integers[j * k + d] = theta[i] as i64;
            }
        }
        let steps: Vec<GeometricStep> = (0..k)
            .map(|d| {
                let mean: f64 = (0..n)
                    .map(|j| weights[j] * integers[j * k + d] as f64)
                    .sum();
                let var: f64 = (0..n)
                    .map(|j| weights[j] * (integers[j * k + d] as f64 - mean).powi(2))
                    .sum();
                // At least variance 1, so that a population that agrees on
                // one value still explores its neighbours.
                GeometricStep::with_variance((2.0 * var).max(1.0))
            })
            .collect();
        let ln_parent_terms = (0..n)
            .map(|j| {
                let mut term = weights[j].ln();
                for (d, &(_, lower, upper)) in layout.integer.iter().enumerate() {
                    let (pos, neg) = steps[d].side_masses(integers[j * k + d], lower, upper);
                    term -= (pos + neg).ln() - steps[d].ln_one_minus_r;
                }
                term
            })
            .collect();
        let mut total = 0.0;
        let cumulative = weights
            .iter()
            .map(|&w| {
                total += w;
                total
            })
            .collect();
        Kernel {
            continuous: c,
            cholesky,
            ln_normaliser,
            whitened,
            integers,
            steps,
            ln_parent_terms,
            cumulative,
        }
    }

    /// Proposes a new particle: picks a parent by weight and perturbs it.
    /// Writes the parameters to `theta` and the continuous parameters'
    /// unbounded coordinates to `u`; `noise` is scratch space.
    pub(crate) fn propose<R: Rng + ?Sized>(
        &self,
        parents: &Population,
        layout: &Layout,
        rng: &mut R,
        theta: &mut [f64],
        u: &mut [f64],
        noise: &mut [f64],
    ) {
        let total = *self.cumulative.last().expect("a population is never empty");
        let j = pick(&self.cumulative, rng.random::<f64>() * total);
        let c = self.continuous;
        let parent = parents.unbounded_row(j);
        for x in noise.iter_mut() {
            *x = rng.sample(StandardNormal);
        }
        for a in 0..c {
            let row = &self.cholesky[a * c..a * c + a + 1];
            let step: f64 = row.iter().zip(noise.iter()).map(|(l, x)| l * x).sum();
            u[a] = parent[a] + step;
            let (i, t) = layout.continuous[a];
            theta[i] = t.inverse(u[a]);
        }
        let k = layout.integer.len();
        for (d, &(i, lower, upper)) in layout.integer.iter().enumerate() {
            let from = self.integers[j * k + d];
            let step = self.steps[d].sample(rng, from, lower, upper);
            theta[i] = (from + step) as f64;
        }
    }

    /// `ln Σ_j W_j K(θ | θ_j)`, the proposal density of `theta` (in the
    /// kernel's coordinates; `u` its unbounded coordinates). `z` is scratch
    /// space of one slot per continuous parameter.
    pub(crate) fn ln_density(
        &self,
        layout: &Layout,
        theta: &[f64],
        u: &[f64],
        z: &mut [f64],
    ) -> f64 {
        let c = self.continuous;
        forward_solve(&self.cholesky, u, z);
        let k = layout.integer.len();
        let values: Vec<i64> = layout
            .integer
            .iter()
            .map(|&(i, _, _)| theta[i] as i64)
            .collect();
        // Log-sum-exp in one pass: the running maximum keeps every term
        // representable however far the particle is from most parents.
        let mut max = f64::NEG_INFINITY;
        let mut sum = 0.0;
        for (j, &term) in self.ln_parent_terms.iter().enumerate() {
            if term == f64::NEG_INFINITY {
                continue;
            }
            let parent_integers = &self.integers[j * k..(j + 1) * k];
            let ln_steps: f64 = values
                .iter()
                .zip(parent_integers)
                .zip(&self.steps)
                .map(|((v, p), step)| (v - p).abs() as f64 * step.ln_r)
                .sum();
            let centre = &self.whitened[j * c..(j + 1) * c];
            let q: f64 = z.iter().zip(centre).map(|(a, b)| (a - b) * (a - b)).sum();
            let v = term + ln_steps - 0.5 * q;
            if v > max {
                sum = sum * (max - v).exp() + 1.0;
                max = v;
            } else {
                sum += (v - max).exp();
            }
        }
        if max == f64::NEG_INFINITY {
            return max;
        }
        max + sum.ln() + self.ln_normaliser
    }
}

/// The discrete Laplace step `P(k) ∝ r^|k|` on the whole numbers.
#[derive(Debug, Clone, Copy)]
struct GeometricStep {
    ln_r: f64,
    /// `ln(1 − r)`, kept apart from `ln_r` for precision when `r` is near 1.
    ln_one_minus_r: f64,
}

impl GeometricStep {
    /// The step with variance `2r/(1−r)² = variance`.
    fn with_variance(variance: f64) -> GeometricStep {
        // The root below 1 of v r² − 2(v + 1) r + v = 0, in forms that keep
        // both r and 1 − r accurate.
        let root = (2.0 * variance + 1.0).sqrt();
        let denominator = variance + 1.0 + root;
        let one_minus_r = (1.0 + root) / denominator;
        GeometricStep {
            ln_r: (-one_minus_r).ln_1p(),
            ln_one_minus_r: one_minus_r.ln(),
        }
    }

    /// `(1 − r)` times the unnormalised mass of the in-support steps from
    /// `from`: of the steps `0..=upper − from`, and of `−(from − lower)..=−1`.
    fn side_masses(&self, from: i64, lower: i64, upper: Option<i64>) -> (f64, f64) {
        let up = upper.map_or(1.0, |u| -(((u - from) as f64 + 1.0) * self.ln_r).exp_m1());
        let down = -self.ln_r.exp() * (((from - lower) as f64) * self.ln_r).exp_m1();
        (up, down)
    }

    /// A step from `from` that stays in `lower..=upper`, drawn with
    /// probability proportional to `r^|k|` (inverse distribution function
    /// of the truncated geometric on the chosen side).
    fn sample<R: Rng + ?Sized>(
        &self,
        rng: &mut R,
        from: i64,
        lower: i64,
        upper: Option<i64>,
    ) -> i64 {
        let (up, down) = self.side_masses(from, lower, upper);
        let side: f64 = rng.random();
        let u: f64 = rng.random();
        if side * (up + down) < up {
            let k = ((-u * up).ln_1p() / self.ln_r).floor() as i64;
            k.clamp(0, upper.map_or(i64::MAX, |x| x - from))
        } else {
            let reach = from - lower;
            let truncated = -((reach as f64) * self.ln_r).exp_m1();
            let k = 1 + ((-u * truncated).ln_1p() / self.ln_r).floor() as i64;
            -k.clamp(1, reach)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calibrate::prior::Prior;
    use crate::calibrate::rng::particle_stream;

    /// A population of given particles and weights, for kernel tests.
    fn population(space: &ParameterSpace, rows: &[Vec<f64>], weights: &[f64]) -> Population {
        let layout = Layout::new(space);
        let total: f64 = weights.iter().sum();
        let mut p = Population::empty(space.len(), 0, layout.continuous.len());
        for (row, &w) in rows.iter().zip(weights) {
            let mut u = vec![0.0; layout.continuous.len()];
            layout.unbounded(row, &mut u);
            p.push(row, &u, 0.0, &[], w / total);
        }
        p
    }

    /// Parents next to the bounds, so that much of an untruncated kernel's
    /// mass would fall outside the support.
    fn mixed_parents() -> (ParameterSpace, Layout, Population) {
        let space = ParameterSpace::new([
            ("p", Prior::uniform(0.1, 0.6).unwrap()),
            ("n", Prior::uniform_integer(2, 12).unwrap()),
            ("k", Prior::poisson(3.0).unwrap()),
        ])
        .unwrap();
        let layout = Layout::new(&space);
        let rows = vec![
            vec![0.1001, 2.0, 0.0],
            vec![0.13, 3.0, 1.0],
            vec![0.2, 2.0, 0.0],
            vec![0.59, 12.0, 5.0],
            vec![0.35, 7.0, 2.0],
        ];
        let parents = population(&space, &rows, &[3.0, 1.0, 2.0, 0.5, 1.0]);
        (space, layout, parents)
    }

    /// The proposal density integrates to 1 over the kernel's coordinates
    /// (the truncation normalisers are right), and proposals fall in cells
    /// with the probabilities the density gives them, within 5 binomial
    /// standard errors (the density describes what is sampled).
    #[test]
    fn the_proposal_density_is_normalised_and_matches_the_proposals() {
        let (space, layout, parents) = mixed_parents();
        let kernel = Kernel::new(&parents, &layout);
        // Cells: p's unbounded coordinate in unit-width bins, n and k exactly.
        let cell = |u: f64, n: f64, k: f64| -> Option<(i64, i64, i64)> {
            let b = u.floor() as i64;
            (k <= 8.0 && (-8..8).contains(&b)).then_some((b, n as i64, k as i64))
        };
        let mut expected = std::collections::BTreeMap::new();
        let mut total = 0.0;
        let h = 0.02;
        let mut z = [0.0];
        for step in 0..6_000 {
            let u = -60.0 + (step as f64 + 0.5) * h;
            for n in 2..=12 {
                for k in 0..=80 {
                    let theta = [layout.continuous[0].1.inverse(u), n as f64, k as f64];
                    let mass = kernel.ln_density(&layout, &theta, &[u], &mut z).exp() * h;
                    total += mass;
                    if let Some(c) = cell(u, n as f64, k as f64) {
                        *expected.entry(c).or_insert(0.0) += mass;
                    }
                }
            }
        }
        assert!(
            (total - 1.0).abs() < 1e-6,
            "the proposal density integrates to {total}"
        );

        let mut rng = particle_stream(5, 1, 0);
        let draws = 400_000;
        let (mut theta, mut u, mut noise) = (vec![0.0; 3], vec![0.0; 1], vec![0.0; 1]);
        let mut counts = std::collections::BTreeMap::new();
        for _ in 0..draws {
            kernel.propose(&parents, &layout, &mut rng, &mut theta, &mut u, &mut noise);
            for (i, prior) in space.priors().iter().enumerate() {
                assert!(prior.support().contains(theta[i]), "{theta:?}");
            }
            if let Some(c) = cell(u[0], theta[1], theta[2]) {
                *counts.entry(c).or_insert(0u64) += 1;
            }
        }
        let mut checked = 0;
        for (c, &p) in &expected {
            let observed = *counts.get(c).unwrap_or(&0) as f64 / draws as f64;
            let se = (p * (1.0 - p) / draws as f64).sqrt();
            assert!(
                (observed - p).abs() < 5.0 * se + 1e-7,
                "cell {c:?}: frequency {observed} vs probability {p} (SE {se})"
            );
            checked += usize::from(p > 1e-3);
        }
        assert!(checked > 100, "{checked} cells");
    }

    /// Two correlated continuous parameters: the Gaussian with the
    /// Cholesky factor of twice the covariance integrates to 1 and puts the
    /// stated mass in each quadrant around the parents' mean.
    #[test]
    fn the_correlated_gaussian_kernel_is_normalised_and_matches_the_proposals() {
        let space = ParameterSpace::new([
            ("a", Prior::gamma(2.0, 1.5).unwrap()),
            ("b", Prior::normal(0.0, 1.0).unwrap()),
        ])
        .unwrap();
        let layout = Layout::new(&space);
        let rows = vec![
            vec![0.2, -1.0],
            vec![0.5, -0.2],
            vec![1.0, 0.1],
            vec![4.0, 0.9],
            vec![9.0, 2.0],
        ];
        let parents = population(&space, &rows, &[1.0, 2.0, 1.0, 1.0, 0.5]);
        let kernel = Kernel::new(&parents, &layout);
        let quadrant = |u: &[f64]| usize::from(u[0] > 0.0) + 2 * usize::from(u[1] > 0.0);
        let mut expected = [0.0; 4];
        let h = 0.02;
        let mut z = [0.0; 2];
        for i in 0..2_000 {
            for j in 0..2_000 {
                let u = [-20.0 + (i as f64 + 0.5) * h, -20.0 + (j as f64 + 0.5) * h];
                let theta = [u[0].exp(), u[1]];
                expected[quadrant(&u)] +=
                    kernel.ln_density(&layout, &theta, &u, &mut z).exp() * h * h;
            }
        }
        let total: f64 = expected.iter().sum();
        assert!(
            (total - 1.0).abs() < 1e-6,
            "the proposal density integrates to {total}"
        );
        let mut rng = particle_stream(6, 1, 0);
        let draws = 200_000;
        let (mut theta, mut u, mut noise) = (vec![0.0; 2], vec![0.0; 2], vec![0.0; 2]);
        let mut counts = [0u64; 4];
        for _ in 0..draws {
            kernel.propose(&parents, &layout, &mut rng, &mut theta, &mut u, &mut noise);
            counts[quadrant(&u)] += 1;
        }
        for q in 0..4 {
            let p = expected[q];
            let se = (p * (1.0 - p) / draws as f64).sqrt();
            let observed = counts[q] as f64 / draws as f64;
            assert!(
                (observed - p).abs() < 5.0 * se,
                "quadrant {q}: {observed} vs {p}"
            );
        }
    }

    /// The prior density carried into the kernel's coordinates (times the
    /// Jacobian) is still a density: it integrates to 1 over the line.
    #[test]
    fn the_target_in_unbounded_coordinates_integrates_to_one() {
        for prior in [
            Prior::uniform(0.1, 0.6).unwrap(),
            Prior::triangular(0.0, 0.3, 2.0).unwrap(),
            Prior::beta(2.5, 4.0).unwrap(),
            Prior::gamma(3.0, 2.0).unwrap(),
            Prior::log_normal(0.2, 0.5).unwrap(),
            Prior::normal(-1.0, 2.0).unwrap(),
        ] {
            let label = prior.to_string();
            let space = ParameterSpace::new([("x", prior)]).unwrap();
            let layout = Layout::new(&space);
            let h = 0.001;
            let total: f64 = (0..100_000)
                .map(|i| {
                    let u = -50.0 + (i as f64 + 0.5) * h;
                    let theta = [layout.continuous[0].1.inverse(u)];
                    layout.ln_target(&space, &theta, &[u]).exp() * h
                })
                .sum();
            assert!((total - 1.0).abs() < 1e-6, "{label}: {total}");
        }
    }

    /// The discrete Laplace step has the variance it was built for.
    #[test]
    fn geometric_steps_have_their_variance() {
        for v in [1.0, 7.3, 1e4, 1e12] {
            let step = GeometricStep::with_variance(v);
            let r = step.ln_r.exp();
            let got = 2.0 * r / step.ln_one_minus_r.exp().powi(2);
            assert!((got / v - 1.0).abs() < 1e-6, "{v}: {got}");
        }
    }

    #[test]
    fn cholesky_factors_and_solves() {
        let a = [4.0, 2.0, 0.6, 2.0, 2.0, 0.5, 0.6, 0.5, 3.0];
        let l = cholesky(&a, 3).unwrap();
        for i in 0..3 {
            for j in 0..3 {
                let s: f64 = (0..3).map(|k| l[i * 3 + k] * l[j * 3 + k]).sum();
                assert!((s - a[i * 3 + j]).abs() < 1e-12);
            }
        }
        let mut z = [0.0; 3];
        forward_solve(&l, &[1.0, 2.0, 3.0], &mut z);
        for i in 0..3 {
            let s: f64 = (0..3).map(|k| l[i * 3 + k] * z[k]).sum();
            assert!((s - [1.0, 2.0, 3.0][i]).abs() < 1e-12);
        }
        assert!(cholesky(&[1.0, 1.0, 1.0, 1.0], 2).is_none());
    }
}
