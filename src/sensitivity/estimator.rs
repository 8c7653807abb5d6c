//! First-order variance-based sensitivity indices from pick-freeze pairs,
//! with asymptotic confidence intervals.
//!
//! For an output Y and an input X, the first-order (Sobol) index is
//! S = Var(E[Y | X]) / Var(Y): the share of Y's variance that knowing X
//! alone would remove. Given pairs (Y, Yˣ) where Yˣ shares X with Y and
//! everything else (other inputs and all other randomness) is drawn afresh,
//! Cov(Y, Yˣ) = Var(E[Y | X]). We use the estimator of Janon, Klein,
//! Lagnoux, Nodet and Prieur (2014), which pools both members of each pair
//! for the mean and variance and is asymptotically efficient, with its
//! delta-method standard error.

/// A first-order index with its 95% confidence interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Index {
    pub estimate: f64,
    /// Standard error of the estimate.
    pub se: f64,
}

impl Index {
    /// 95% confidence interval.
    pub fn interval(&self) -> (f64, f64) {
        (
            self.estimate - 1.96 * self.se,
            self.estimate + 1.96 * self.se,
        )
    }
}

/// Running sums of pick-freeze pairs for one input and one output.
#[derive(Debug, Clone, Default)]
pub struct PairSums {
    pairs: Vec<(f64, f64)>,
}

impl PairSums {
    /// Adds one pair (Y, Yˣ).
    pub fn push(&mut self, y: f64, y_frozen: f64) {
        self.pairs.push((y, y_frozen));
    }

    /// Number of pairs.
    pub fn len(&self) -> usize {
        self.pairs.len()
    }

    /// True when no pair has been added.
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// The index and its standard error; `None` when Y does not vary.
    pub fn index(&self) -> Option<Index> {
        let n = self.pairs.len() as f64;
        if n < 2.0 {
            return None;
        }
        // Centre on the pooled mean first: the index is invariant to a
        // shift, and centring keeps the sums accurate.
        let mean = self.pairs.iter().map(|(a, b)| a + b).sum::<f64>() / (2.0 * n);
        let (mut cov, mut var) = (0.0, 0.0);
        for &(a, b) in &self.pairs {
            let (a, b) = (a - mean, b - mean);
            cov += a * b;
            var += 0.5 * (a * a + b * b);
        }
        let (cov, var) = (cov / n, var / n);
        if var <= 0.0 {
            return None;
        }
        let s = cov / var;
        // Delta method: the estimator's influence function is
        // ((Y−m)(Yˣ−m) − S·((Y−m)² + (Yˣ−m)²)/2) / Var Y.
        let spread = self
            .pairs
            .iter()
            .map(|&(a, b)| {
                let (a, b) = (a - mean, b - mean);
                (a * b - s * 0.5 * (a * a + b * b)) / var
            })
            .map(|x| x * x)
            .sum::<f64>()
            / n;
        Some(Index {
            estimate: s,
            se: (spread / n).sqrt(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{RngExt, SeedableRng};

    #[test]
    fn an_additive_model_gives_its_closed_form_shares() {
        // Y = 3·X₁ + X₂ with X₁, X₂ uniform on [0, 1]: S₁ = 9/10, S₂ = 1/10.
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(1);
        let (mut s1, mut s2) = (PairSums::default(), PairSums::default());
        for _ in 0..20_000 {
            let (x1, x2, x1b, x2b): (f64, f64, f64, f64) =
                (rng.random(), rng.random(), rng.random(), rng.random());
            let y = 3.0 * x1 + x2;
            s1.push(y, 3.0 * x1 + x2b);
            s2.push(y, 3.0 * x1b + x2);
        }
        for (sums, expected) in [(s1, 0.9), (s2, 0.1)] {
            let i = sums.index().unwrap();
            assert!(
                (i.estimate - expected).abs() <= 5.0 * i.se,
                "{i:?} vs {expected}"
            );
        }
    }
}
