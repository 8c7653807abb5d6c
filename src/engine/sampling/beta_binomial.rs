//! Lot variation (docs/model.md, strikes): the duds of a carrier are
//! Beta-binomial(n, α = κ·D, β = κ·(1 − D)), the carrier's rate
//! `p_i ~ Beta(α, β)` integrated out, and all carriers of a munition in a
//! replicate share n, α and β. So the exact pmf over `0..=n` is built once
//! per replicate and each carrier costs a table look-up, or, for the total
//! only, the number of carriers taking each value is one multinomial draw
//! whose cost does not depend on the number of carriers.

use rand::Rng;
use rand_distr::{Beta, Distribution};

use super::alias::{self, AliasTable};
use super::binomial::binomial;

/// Each tail of the pmf holding less than this much probability is dropped
/// (and the rest renormalised): a change in total variation far below the
/// f64 rounding already in the pmf (relative errors around 1e-15 per value).
pub const TAIL_DROPPED: f64 = 1.0 / 18_446_744_073_709_551_616.0; // 2^-64

/// Rough costs in ns (medians of `benches/samplers.rs` on the shared 2-core
/// build machine), used only to choose among exact methods. A multinomial
/// costs one binomial per value kept, fewer when the carriers run out
/// before the upper tail.
const PMF_NS_PER_VALUE: f64 = 4.5;
const MULTINOMIAL_NS_PER_VALUE: f64 = 40.0;
const DIRECT_NS_PER_CARRIER: f64 = 150.0;

/// The exact Beta-binomial(n, α, β) pmf, without tails of mass below
/// 2^-64.
#[derive(Debug, Clone)]
pub struct BetaBinomialPmf {
    first: u64,
    probabilities: Vec<f64>,
}

impl BetaBinomialPmf {
    /// The pmf of Beta-binomial(n, α, β) for `α, β ≥ 0` (α = 0: all mass
    /// at 0; β = 0: all at n). Costs O(n) time and memory.
    ///
    /// Built by the ratio recurrence
    /// `P(k+1)/P(k) = (n−k)(k+α) / ((k+1)(n−k−1+β))`, outwards from the
    /// mean, then normalised; weights below 1e-308 of the weight at the
    /// mean underflow to 0.
    pub fn new(n: u64, alpha: f64, beta: f64) -> Self {
        assert!(
            alpha >= 0.0 && beta >= 0.0,
            "beta-binomial α = {alpha}, β = {beta}"
        );
        assert!(
            n < u64::from(u32::MAX),
            "beta-binomial table over {n} values"
        );
        if alpha == 0.0 || beta == 0.0 || n == 0 {
            let first = if alpha == 0.0 { 0 } else { n };
            return BetaBinomialPmf {
                first,
                probabilities: vec![1.0],
            };
        }
        let len = n as usize + 1;
        let mut w = vec![0.0f64; len];
        let nf = n as f64;
        let mean = nf * (alpha / (alpha + beta));
        let start = (mean.round() as usize).min(n as usize);
        w[start] = 1.0;
        for k in start..n as usize {
            let kf = k as f64;
            let up = (nf - kf) * (kf + alpha);
            let down = (kf + 1.0) * (nf - kf - 1.0 + beta);
            w[k + 1] = w[k] * (up / down);
        }
        for k in (1..=start).rev() {
            let kf = k as f64;
            let up = kf * (nf - kf + beta);
            let down = (nf - kf + 1.0) * (kf - 1.0 + alpha);
            w[k - 1] = w[k] * (up / down);
        }
        let mut total: f64 = w.iter().sum();
        if !total.is_finite() {
            // Weights overflowed (extreme U-shaped pmfs): redo in log space.
            log_weights(n, alpha, beta, start, &mut w);
            total = w.iter().sum();
        }
        // Drop the tails.
        let cut = TAIL_DROPPED * total;
        let mut lo = 0;
        let mut acc = 0.0;
        while acc + w[lo] < cut {
            acc += w[lo];
            lo += 1;
        }
        let mut hi = len - 1;
        acc = 0.0;
        while acc + w[hi] < cut {
            acc += w[hi];
            hi -= 1;
        }
        w.truncate(hi + 1);
        w.drain(..lo);
        let kept: f64 = w.iter().sum();
        let scale = 1.0 / kept;
        w.iter_mut().for_each(|x| *x *= scale);
        BetaBinomialPmf {
            first: lo as u64,
            probabilities: w,
        }
    }

    /// The smallest value kept.
    pub fn first(&self) -> u64 {
        self.first
    }

    /// P(first), P(first + 1), …; they sum to 1.
    pub fn probabilities(&self) -> &[f64] {
        &self.probabilities
    }

    /// P(X = k) (0 outside the values kept).
    pub fn pmf(&self, k: u64) -> f64 {
        k.checked_sub(self.first)
            .and_then(|i| self.probabilities.get(i as usize))
            .copied()
            .unwrap_or(0.0)
    }

    /// The sum of `carriers` independent draws, by one multinomial draw of
    /// how many carriers take each value: O(number of values kept).
    pub fn sample_total<R: Rng + ?Sized>(&self, rng: &mut R, carriers: u64) -> u64 {
        let probs = &self.probabilities;
        // Tail sums, so each conditional probability is a ratio of two
        // accurately summed numbers.
        let mut tails = vec![0.0; probs.len()];
        let mut acc = 0.0;
        for (t, &p) in tails.iter_mut().zip(probs).rev() {
            acc += p;
            *t = acc;
        }
        let mut remaining = carriers;
        let mut total = 0;
        let last = probs.len() - 1;
        for (i, (&p, &tail)) in probs.iter().zip(&tails).enumerate() {
            if remaining == 0 {
                break;
            }
            let count = if i == last {
                remaining
            } else {
                binomial(rng, remaining, (p / tail).min(1.0))
            };
            total += (self.first + i as u64) * count;
            remaining -= count;
        }
        total
    }
}

/// Log-space weights, scaled so the largest is 1.
fn log_weights(n: u64, alpha: f64, beta: f64, start: usize, w: &mut [f64]) {
    let nf = n as f64;
    w[start] = 0.0;
    for k in start..n as usize {
        let kf = k as f64;
        w[k + 1] =
            w[k] + ((nf - kf) * (kf + alpha)).ln() - ((kf + 1.0) * (nf - kf - 1.0 + beta)).ln();
    }
    for k in (1..=start).rev() {
        let kf = k as f64;
        w[k - 1] =
            w[k] + (kf * (nf - kf + beta)).ln() - ((nf - kf + 1.0) * (kf - 1.0 + alpha)).ln();
    }
    let max = w.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    w.iter_mut().for_each(|x| *x = (*x - max).exp());
}

/// Per-carrier dud counts of a munition in one replicate, each an exact
/// Beta-binomial(n, α, β) draw: through an alias table of the pmf when that
/// pays off over the given number of carriers, else the literal
/// `p ~ Beta(α, β)`, `Binomial(n, p)`.
#[derive(Debug, Clone)]
pub enum CarrierDuds {
    /// Every carrier has the same count (α = 0 or β = 0 or n = 0).
    Fixed(u64),
    /// Counts drawn from an alias table of the pmf.
    Table {
        /// The smallest count the table holds.
        first: u64,
        /// The pmf from `first` on.
        table: AliasTable,
    },
    /// Counts drawn literally: `p ~ Beta(α, β)`, then `Binomial(n, p)`.
    Direct {
        /// Submunitions per carrier.
        n: u64,
        /// The per-carrier rate's distribution.
        beta: Beta<f64>,
    },
}

impl CarrierDuds {
    /// Ready to draw the counts of about `carriers` carriers.
    pub fn new(n: u64, alpha: f64, beta: f64, carriers: u64) -> Self {
        if alpha == 0.0 || beta == 0.0 || n == 0 {
            return CarrierDuds::Fixed(if alpha == 0.0 { 0 } else { n });
        }
        let values = n as f64 + 1.0;
        let table_cost = values * (PMF_NS_PER_VALUE + alias::BUILD_NS_PER_VALUE)
            + carriers as f64 * alias::DRAW_NS;
        if n < u64::from(u32::MAX) && table_cost < carriers as f64 * DIRECT_NS_PER_CARRIER {
            let pmf = BetaBinomialPmf::new(n, alpha, beta);
            CarrierDuds::Table {
                first: pmf.first(),
                table: AliasTable::new(pmf.probabilities()),
            }
        } else {
            CarrierDuds::Direct {
                n,
                beta: Beta::new(alpha, beta).expect("positive beta parameters"),
            }
        }
    }

    /// The dud count of one carrier.
    #[inline]
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> u64 {
        match self {
            CarrierDuds::Fixed(x) => *x,
            CarrierDuds::Table { first, table } => first + table.sample(rng) as u64,
            CarrierDuds::Direct { n, beta } => {
                let p = beta.sample(rng);
                binomial(rng, *n, p)
            }
        }
    }
}

/// Total duds of `carriers` carriers of `n` submunitions each, each carrier
/// with its own rate `p_i ~ Beta(α, β)`: the sum of `carriers` independent
/// Beta-binomial(n, α, β) draws, exactly, by the cheapest of a multinomial
/// over the pmf, an alias table, or carrier by carrier.
pub fn beta_binomial_total<R: Rng + ?Sized>(
    rng: &mut R,
    n: u64,
    alpha: f64,
    beta: f64,
    carriers: u64,
) -> u64 {
    if carriers == 0 {
        return 0;
    }
    if alpha == 0.0 || beta == 0.0 || n == 0 {
        return if alpha == 0.0 { 0 } else { n * carriers };
    }
    let c = carriers as f64;
    let values = n as f64 + 1.0;
    let table_cost = values * (PMF_NS_PER_VALUE + alias::BUILD_NS_PER_VALUE) + c * alias::DRAW_NS;
    if n >= u64::from(u32::MAX) || c * DIRECT_NS_PER_CARRIER < table_cost {
        let duds = CarrierDuds::Direct {
            n,
            beta: Beta::new(alpha, beta).expect("positive beta parameters"),
        };
        return (0..carriers).map(|_| duds.sample(rng)).sum();
    }
    let pmf = BetaBinomialPmf::new(n, alpha, beta);
    // Costs over the values kept (the pmf's tails are trimmed).
    let kept = pmf.probabilities().len() as f64;
    if kept * MULTINOMIAL_NS_PER_VALUE < kept * alias::BUILD_NS_PER_VALUE + c * alias::DRAW_NS {
        pmf.sample_total(rng, carriers)
    } else {
        let table = AliasTable::new(pmf.probabilities());
        let first = pmf.first();
        (0..carriers)
            .map(|_| first + table.sample(rng) as u64)
            .sum()
    }
}

#[cfg(test)]
mod tests {
    //! Chi-square goodness of fit (significance 1e-3, fixed seeds) and
    //! moments against the exact beta-binomial pmf, computed independently
    //! (rising factorials, statrs's log-binomial coefficients), for each
    //! way of drawing.

    use super::*;
    use crate::engine::sampling::gof::{chi_square_test, moment_test};
    use rand::SeedableRng;
    use rand_xoshiro::Xoshiro256PlusPlus;
    use statrs::function::factorial::ln_binomial;

    const DRAWS: usize = 400_000;

    /// (n, κ, D): engine sizes, strong and weak overdispersion, U- and
    /// J-shaped pmfs (α or β below 1), nearly binomial, and n = 1.
    const CASES: [(u64, f64, f64); 11] = [
        (72, 100.0, 0.35),
        (72, 10.0, 0.02),
        (72, 1.0, 0.5),
        (72, 0.5, 0.3),
        (72, 1e6, 0.35),
        (644, 100.0, 0.05),
        (644, 20.0, 0.3),
        (88, 3.0, 0.9),
        (1, 5.0, 0.3),
        (5000, 50.0, 0.1),
        (30, 2.0, 0.999),
    ];

    /// `C(n,k)·Π_{j<k}(α+j)·Π_{j<n−k}(β+j) / Π_{j<n}(α+β+j)`, in log space
    /// with prefix sums: a direct formula, independent of the recurrence
    /// from the mean used by the code under test.
    fn exact_pmf(n: u64, alpha: f64, beta: f64) -> impl Fn(u64) -> f64 {
        let prefix = |x: f64| {
            let mut acc = vec![0.0];
            for j in 0..n {
                acc.push(acc[j as usize] + (x + j as f64).ln());
            }
            acc
        };
        let (a, b, c) = (prefix(alpha), prefix(beta), prefix(alpha + beta));
        move |k| (ln_binomial(n, k) + a[k as usize] + b[(n - k) as usize] - c[n as usize]).exp()
    }

    fn params(kappa: f64, d: f64) -> (f64, f64) {
        (kappa * d, kappa * (1.0 - d))
    }

    /// Mean, variance and fourth central moment of `pmf` over `0..=n`.
    fn moments(n: u64, pmf: impl Fn(u64) -> f64) -> (f64, f64, f64) {
        let mean: f64 = (0..=n).map(|k| k as f64 * pmf(k)).sum();
        let central = |r: i32| {
            (0..=n)
                .map(|k| (k as f64 - mean).powi(r) * pmf(k))
                .sum::<f64>()
        };
        (mean, central(2), central(4))
    }

    #[test]
    fn pmf_matches_direct_formula() {
        for &(n, kappa, d) in &CASES {
            let (alpha, beta) = params(kappa, d);
            let pmf = BetaBinomialPmf::new(n, alpha, beta);
            let exact = exact_pmf(n, alpha, beta);
            let sum: f64 = pmf.probabilities().iter().sum();
            assert!((sum - 1.0).abs() < 1e-12);
            for k in 0..=n {
                let (ours, theirs) = (pmf.pmf(k), exact(k));
                assert!(
                    (ours - theirs).abs() <= 1e-9 * theirs + 1e-19,
                    "n={n} κ={kappa} D={d} k={k}: {ours} vs {theirs}"
                );
            }
        }
    }

    #[test]
    fn log_space_weights_agree() {
        let (n, alpha, beta) = (644u64, 5.0, 95.0);
        let linear = BetaBinomialPmf::new(n, alpha, beta);
        let mut w = vec![0.0; n as usize + 1];
        log_weights(n, alpha, beta, 32, &mut w);
        let total: f64 = w.iter().sum();
        for k in 0..=n {
            let a = linear.pmf(k);
            let b = w[k as usize] / total;
            assert!((a - b).abs() <= 1e-11 * b + 1e-19, "k={k}: {a} vs {b}");
        }
    }

    #[test]
    fn degenerate_parameters() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(1);
        assert_eq!(beta_binomial_total(&mut rng, 72, 0.0, 5.0, 10), 0);
        assert_eq!(beta_binomial_total(&mut rng, 72, 5.0, 0.0, 10), 720);
        assert_eq!(beta_binomial_total(&mut rng, 0, 5.0, 5.0, 10), 0);
        assert_eq!(beta_binomial_total(&mut rng, 72, 5.0, 5.0, 0), 0);
        assert_eq!(CarrierDuds::new(72, 0.0, 1.0, 10).sample(&mut rng), 0);
    }

    #[test]
    fn per_carrier_draws_by_table() {
        for (i, &(n, kappa, d)) in CASES.iter().enumerate() {
            let (alpha, beta) = params(kappa, d);
            let duds = CarrierDuds::new(n, alpha, beta, 1_000_000);
            assert!(matches!(duds, CarrierDuds::Table { .. }));
            let mut rng = Xoshiro256PlusPlus::seed_from_u64(100 + i as u64);
            let exact = exact_pmf(n, alpha, beta);
            let name = format!("table, n={n} κ={kappa} D={d}");
            chi_square_test(&name, DRAWS, || duds.sample(&mut rng), 0, n, &exact);
            let (mean, var, mu4) = moments(n, &exact);
            let values: Vec<f64> = (0..DRAWS).map(|_| duds.sample(&mut rng) as f64).collect();
            moment_test(&name, &values, mean, var, mu4);
        }
    }

    #[test]
    fn per_carrier_draws_carrier_by_carrier() {
        for (i, &(n, kappa, d)) in CASES.iter().enumerate() {
            let (alpha, beta) = params(kappa, d);
            let duds = CarrierDuds::Direct {
                n,
                beta: Beta::new(alpha, beta).unwrap(),
            };
            let mut rng = Xoshiro256PlusPlus::seed_from_u64(200 + i as u64);
            let name = format!("direct, n={n} κ={kappa} D={d}");
            chi_square_test(
                &name,
                DRAWS,
                || duds.sample(&mut rng),
                0,
                n,
                exact_pmf(n, alpha, beta),
            );
        }
        // The cost model picks this way for a few carriers of a big n.
        assert!(matches!(
            CarrierDuds::new(5000, 5.0, 45.0, 3),
            CarrierDuds::Direct { .. }
        ));
    }

    /// The pmf of the sum of `carriers` independent draws, by convolution.
    fn convolution(n: u64, alpha: f64, beta: f64, carriers: u64) -> Vec<f64> {
        let one: Vec<f64> = (0..=n).map(exact_pmf(n, alpha, beta)).collect();
        let mut sum = vec![1.0];
        for _ in 0..carriers {
            let mut next = vec![0.0; sum.len() + n as usize];
            for (i, &a) in sum.iter().enumerate() {
                for (j, &b) in one.iter().enumerate() {
                    next[i + j] += a * b;
                }
            }
            sum = next;
        }
        sum
    }

    #[test]
    fn totals_by_each_method() {
        for (i, &(n, kappa, d, carriers)) in [
            (72u64, 100.0, 0.35, 10u64),
            (72, 1.0, 0.5, 7),
            (644, 100.0, 0.05, 4),
            (1, 5.0, 0.3, 20),
        ]
        .iter()
        .enumerate()
        {
            let (alpha, beta) = params(kappa, d);
            let exact = convolution(n, alpha, beta, carriers);
            let top = n * carriers;
            let pmf = BetaBinomialPmf::new(n, alpha, beta);
            let mut rng = Xoshiro256PlusPlus::seed_from_u64(300 + i as u64);
            let name = format!("multinomial total, n={n} κ={kappa} D={d} × {carriers}");
            chi_square_test(
                &name,
                DRAWS,
                || pmf.sample_total(&mut rng, carriers),
                0,
                top,
                |k| exact[k as usize],
            );
            let table = CarrierDuds::new(n, alpha, beta, 1_000_000);
            let name = format!("alias total, n={n} κ={kappa} D={d} × {carriers}");
            chi_square_test(
                &name,
                DRAWS,
                || (0..carriers).map(|_| table.sample(&mut rng)).sum(),
                0,
                top,
                |k| exact[k as usize],
            );
            let name = format!("beta_binomial_total, n={n} κ={kappa} D={d} × {carriers}");
            chi_square_test(
                &name,
                DRAWS,
                || beta_binomial_total(&mut rng, n, alpha, beta, carriers),
                0,
                top,
                |k| exact[k as usize],
            );
        }
    }

    #[test]
    fn totals_of_many_carriers_have_the_right_moments() {
        for (i, &(n, kappa, d, carriers)) in [
            (72u64, 100.0, 0.35, 1000u64),
            (72, 10.0, 0.02, 100_000),
            (644, 20.0, 0.3, 50),
        ]
        .iter()
        .enumerate()
        {
            let (alpha, beta) = params(kappa, d);
            let (mean, var, mu4) = moments(n, exact_pmf(n, alpha, beta));
            // Sums of c iid draws: cumulants add.
            let c = carriers as f64;
            let k4 = c * (mu4 - 3.0 * var * var);
            let (sum_mean, sum_var) = (c * mean, c * var);
            let sum_mu4 = k4 + 3.0 * sum_var * sum_var;
            let mut rng = Xoshiro256PlusPlus::seed_from_u64(400 + i as u64);
            let values: Vec<f64> = (0..100_000)
                .map(|_| beta_binomial_total(&mut rng, n, alpha, beta, carriers) as f64)
                .collect();
            let name = format!("total, n={n} κ={kappa} D={d} × {carriers}");
            moment_test(&name, &values, sum_mean, sum_var, sum_mu4);
        }
    }
}
