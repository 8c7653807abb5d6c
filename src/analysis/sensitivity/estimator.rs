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
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Index {
    /// The estimated index.
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

/// Running sums of pick-freeze pairs for one input and one output: what
/// the index and its standard error need, in memory that does not depend
/// on the number of pairs.
///
/// Both are polynomials in the pairs centred on their pooled mean m:
/// u = Y − m and v = Yˣ − m. In the half-sum p = (u + v)/2 and half-difference
/// q = (v − u)/2 they read uv = p² − q², (u² + v²)/2 = p² + q², and the
/// influence function of the estimator S (with V the pooled variance)
/// ((1 − S)·p² − (1 + S)·q²) / V: no term cancels another when S is near
/// ±1. Only p depends on the mean, so the sums kept are those of powers of
/// P = (Y + Yˣ)/2 − c and Q = (Yˣ − Y)/2, with c a provisional centre close
/// to the mean (such as the first sample's Y, given before any pair so that
/// sums kept apart share it and merge by addition); the sums around m follow
/// by the binomial theorem, with little cancellation since m − c is of the
/// order of the spread.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct PairSums {
    centre: f64,
    n: u64,
    /// Σ P, Σ P², Σ P³, Σ P⁴.
    p: [f64; 4],
    /// Σ Q², Σ Q⁴.
    q2: f64,
    q4: f64,
    /// Σ P·Q², Σ P²·Q².
    pq2: f64,
    p2q2: f64,
}

impl PairSums {
    /// Empty sums centred on `centre`, a value close to the outputs' mean.
    pub fn new(centre: f64) -> Self {
        PairSums {
            centre,
            ..PairSums::default()
        }
    }

    /// Adds one pair (Y, Yˣ).
    #[inline]
    pub fn push(&mut self, y: f64, y_frozen: f64) {
        let p = 0.5 * (y + y_frozen) - self.centre;
        let q = 0.5 * (y_frozen - y);
        let (p2, q2) = (p * p, q * q);
        self.n += 1;
        self.p[0] += p;
        self.p[1] += p2;
        self.p[2] += p2 * p;
        self.p[3] += p2 * p2;
        self.q2 += q2;
        self.q4 += q2 * q2;
        self.pq2 += p * q2;
        self.p2q2 += p2 * q2;
    }

    /// Adds the pairs of `other`, which must have the same centre.
    pub fn merge(&mut self, other: &PairSums) {
        debug_assert_eq!(self.centre.to_bits(), other.centre.to_bits());
        self.n += other.n;
        for (mine, theirs) in self.p.iter_mut().zip(other.p) {
            *mine += theirs;
        }
        self.q2 += other.q2;
        self.q4 += other.q4;
        self.pq2 += other.pq2;
        self.p2q2 += other.p2q2;
    }

    /// The one value every Y and Yˣ took, if they never varied.
    pub fn constant(&self) -> Option<f64> {
        let unvarying = self.n > 0 && self.p[1] == 0.0 && self.q2 == 0.0;
        unvarying.then_some(self.centre)
    }

    /// The index and its standard error; `None` when Y does not vary.
    pub fn index(&self) -> Option<Index> {
        if self.n < 2 {
            return None;
        }
        let n = self.n as f64;
        let m = self.p[0] / n;
        // Sums of powers of p = P − m, from those of P.
        let [s1, s2, s3, s4] = self.p;
        let p2 = s2 - m * s1;
        let p4 = s4 - 4.0 * m * s3 + 6.0 * m * m * s2 - 4.0 * m * m * m * s1 + n * m.powi(4);
        let p2q2 = self.p2q2 - 2.0 * m * self.pq2 + m * m * self.q2;
        let (cov, var) = ((p2 - self.q2) / n, (p2 + self.q2) / n);
        if var <= 0.0 {
            return None;
        }
        let s = cov / var;
        // Delta method: the mean square of the influence function
        // ((1 − S)p² − (1 + S)q²) / V, expanded.
        let (a, b) = (1.0 - s, 1.0 + s);
        let spread = (a * a * p4 - 2.0 * a * b * p2q2 + b * b * self.q4).max(0.0) / (n * var * var);
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
        let (mut s1, mut s2) = (PairSums::new(1.5), PairSums::new(1.5));
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

    /// The estimator as first written, from every pair kept: the index
    /// and its standard error computed around the pooled mean directly.
    fn from_stored_pairs(pairs: &[(f64, f64)]) -> Option<Index> {
        let n = pairs.len() as f64;
        let mean = pairs.iter().map(|(a, b)| a + b).sum::<f64>() / (2.0 * n);
        let (mut cov, mut var) = (0.0, 0.0);
        for &(a, b) in pairs {
            let (a, b) = (a - mean, b - mean);
            cov += a * b;
            var += 0.5 * (a * a + b * b);
        }
        let (cov, var) = (cov / n, var / n);
        if var <= 0.0 {
            return None;
        }
        let s = cov / var;
        let spread = pairs
            .iter()
            .map(|&(a, b)| {
                let (a, b) = (a - mean, b - mean);
                ((a * b - s * 0.5 * (a * a + b * b)) / var).powi(2)
            })
            .sum::<f64>()
            / n;
        Some(Index {
            estimate: s,
            se: (spread / n).sqrt(),
        })
    }

    #[test]
    fn running_sums_match_the_stored_pairs_computation() {
        use rand_distr::{Distribution, StandardNormal};
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(4);
        // (offset, spread, share of Y that Yˣ shares): far from zero, near
        // S = 1 and S = 0, and a negative correlation; counts, as dudsim's
        // outputs are, rounded to whole numbers.
        for (offset, spread, shared) in [
            (0.0, 1.0, 0.5f64),
            (1e9, 2_300.0, 0.9),
            (25_000.0, 3_000.0, 0.999),
            (700.0, 50.0, 0.0),
            (1e6, 1e4, -0.6),
        ] {
            let pairs: Vec<(f64, f64)> = (0..50_000)
                .map(|_| {
                    let (x, e1, e2): (f64, f64, f64) = (
                        StandardNormal.sample(&mut rng),
                        StandardNormal.sample(&mut rng),
                        StandardNormal.sample(&mut rng),
                    );
                    // Correlation `shared` between Y and Yˣ.
                    let (common, own) = (f64::sqrt(shared.abs()), f64::sqrt(1.0 - shared.abs()));
                    let y = offset + spread * (common * x + own * e1);
                    let z = offset + spread * (shared.signum() * common * x + own * e2);
                    (y.round(), z.round())
                })
                .collect();
            let reference = from_stored_pairs(&pairs).unwrap();
            // Split into sums kept apart and merged, as chunks are.
            let mut sums = PairSums::new(pairs[0].0);
            for chunk in pairs.chunks(256) {
                let mut part = PairSums::new(pairs[0].0);
                chunk.iter().for_each(|&(y, z)| part.push(y, z));
                sums.merge(&part);
            }
            let streamed = sums.index().unwrap();
            let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * b.abs();
            eprintln!(
                "shared {shared}: relative differences {:.1e} (index), {:.1e} (se)",
                (streamed.estimate - reference.estimate).abs() / reference.estimate.abs(),
                (streamed.se - reference.se).abs() / reference.se
            );
            assert!(
                close(streamed.estimate, reference.estimate) && close(streamed.se, reference.se),
                "offset {offset}, shared {shared}: {streamed:?} vs {reference:?}"
            );
        }
    }

    #[test]
    fn outputs_that_never_vary_have_no_index_but_their_value() {
        let mut sums = PairSums::new(72.0);
        (0..100).for_each(|_| sums.push(72.0, 72.0));
        assert_eq!(sums.index(), None);
        assert_eq!(sums.constant(), Some(72.0));
        sums.push(72.0, 73.0);
        assert_eq!(sums.constant(), None);
    }

    mod merge_laws {
        //! Merging running sums is associative and commutative and equals
        //! pushing every pair into one. dudsim's outputs are counts: pairs
        //! of whole numbers, whose powers up to the fourth (of halves of
        //! them) are exact in `f64` at the sizes drawn here, so the laws
        //! hold exactly, as they must for results not to depend on how
        //! samples are split between workers.

        use super::*;
        use proptest::prelude::*;
        use proptest::test_runner::{Config, RngSeed};

        /// Pairs of counts below 2^10, so that every sum stays below 2^53.
        fn pairs() -> impl Strategy<Value = Vec<(f64, f64)>> {
            prop::collection::vec((0u32..1024, 0u32..1024), 0..100).prop_map(|v| {
                v.into_iter()
                    .map(|(a, b)| (f64::from(a), f64::from(b)))
                    .collect()
            })
        }

        fn pushed(centre: f64, pairs: &[(f64, f64)]) -> PairSums {
            let mut sums = PairSums::new(centre);
            pairs.iter().for_each(|&(y, z)| sums.push(y, z));
            sums
        }

        fn merged(a: &PairSums, b: &PairSums) -> PairSums {
            let mut out = *a;
            out.merge(b);
            out
        }

        proptest! {
            #![proptest_config(Config {
                cases: 256,
                rng_seed: RngSeed::Fixed(7),
                failure_persistence: None,
                ..Config::default()
            })]

            #[test]
            fn merges_are_associative_commutative_and_equal_one_run(
                a in pairs(),
                b in pairs(),
                c in pairs(),
                centre in 0u32..1024,
            ) {
                let centre = f64::from(centre);
                let (x, y, z) = (pushed(centre, &a), pushed(centre, &b), pushed(centre, &c));
                let all: Vec<(f64, f64)> = a.iter().chain(&b).chain(&c).copied().collect();
                let whole = pushed(centre, &all);
                prop_assert_eq!(merged(&merged(&x, &y), &z), whole);
                prop_assert_eq!(merged(&x, &merged(&y, &z)), whole);
                prop_assert_eq!(merged(&merged(&z, &x), &y), whole);
                prop_assert_eq!(merged(&x, &y), merged(&y, &x));
                prop_assert_eq!(merged(&PairSums::new(centre), &x), x);
                prop_assert_eq!(merged(&merged(&x, &y), &z).index(), whole.index());
            }
        }
    }
}
