//! Streaming, exactly mergeable summaries of one integer quantity over
//! replicates, and the figures they report (mean, spread, percentiles).
//!
//! Every quantity dudsim reports is a count, so the accumulator keeps exact
//! integer sums: merging is exact and independent of order, which makes
//! results identical whatever the thread count or the sharding.

use serde::{Deserialize, Serialize};

use super::histogram::{Histogram, Overflow, bucket_at_rank};

/// Running summary of one integer quantity.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Accumulator {
    n: u64,
    sum: u128,
    /// Sum of squares as a 192-bit integer: low 128 bits and carries.
    sum_sq_lo: u128,
    sum_sq_hi: u64,
    min: u64,
    max: u64,
    histogram: Histogram,
}

impl Accumulator {
    /// Adds one observation.
    #[inline]
    pub fn record(&mut self, value: u64) {
        self.record_all([value]);
    }

    /// Adds several observations, keeping the running sums in registers.
    pub fn record_all(&mut self, values: impl IntoIterator<Item = u64>) {
        let mut batch = Batch::default();
        for v in values {
            self.record_in(&mut batch, v);
        }
        self.absorb(&batch);
    }

    /// Adds one observation whose sums go to `batch` (to be folded in with
    /// [`Accumulator::absorb`]) and whose bucket is counted at once.
    #[inline]
    pub fn record_in(&mut self, batch: &mut Batch, value: u64) {
        batch.add(value);
        self.histogram.record(value);
    }

    /// Folds in the sums of a batch whose values were counted by
    /// [`Accumulator::record_in`].
    pub fn absorb(&mut self, batch: &Batch) {
        if batch.n == 0 {
            return;
        }
        if self.n == 0 {
            self.min = batch.min;
            self.max = batch.max;
        } else {
            self.min = self.min.min(batch.min);
            self.max = self.max.max(batch.max);
        }
        self.n += batch.n;
        self.sum += batch.sum;
        self.add_sum_sq(batch.sum_sq, batch.sum_sq_hi);
    }

    fn add_sum_sq(&mut self, lo: u128, hi: u64) {
        let (sum, carry) = self.sum_sq_lo.overflowing_add(lo);
        self.sum_sq_lo = sum;
        self.sum_sq_hi += hi + u64::from(carry);
    }

    /// Adds everything another accumulator has seen.
    ///
    /// # Panics
    ///
    /// If a sum overflows, which statistics of at most 10^9 replicates
    /// recorded in memory cannot do; statistics read from a file merge with
    /// [`Accumulator::try_merge`].
    pub fn merge(&mut self, other: &Accumulator) {
        self.try_merge(other)
            .expect("sums of at most 10^9 replicates fit their integers");
    }

    /// Adds everything another accumulator has seen; `Err` (leaving `self`
    /// partly merged) if a sum would overflow.
    pub fn try_merge(&mut self, other: &Accumulator) -> Result<(), Overflow> {
        if other.n == 0 {
            return Ok(());
        }
        if self.n == 0 {
            *self = other.clone();
            return Ok(());
        }
        self.n = self.n.checked_add(other.n).ok_or(Overflow)?;
        self.sum = self.sum.checked_add(other.sum).ok_or(Overflow)?;
        let (sum_sq_lo, carry) = self.sum_sq_lo.overflowing_add(other.sum_sq_lo);
        self.sum_sq_lo = sum_sq_lo;
        self.sum_sq_hi = self
            .sum_sq_hi
            .checked_add(other.sum_sq_hi)
            .and_then(|hi| hi.checked_add(u64::from(carry)))
            .ok_or(Overflow)?;
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
        self.histogram.merge(&other.histogram)
    }

    /// Checks what an accumulator read from a file claims to be: `expected_n`
    /// values, sums that values between its minimum and maximum can give,
    /// and histograms that count every value in the right buckets. What
    /// passes merges and reports without overflow or panic.
    pub fn check(&self, expected_n: u64) -> Result<(), String> {
        let n = self.n;
        if n != expected_n {
            return Err(format!(
                "{n} values recorded, but the shard has {expected_n} replicates"
            ));
        }
        if n == 0 {
            if *self != Accumulator::default() {
                return Err("sums or histograms of no values".to_string());
            }
            return Ok(());
        }
        let (min, max) = (self.min, self.max);
        if min > max {
            return Err(format!("the minimum {min} is above the maximum {max}"));
        }
        // n·max < 2^128: neither product overflows.
        if self.sum < n as u128 * min as u128 || self.sum > n as u128 * max as u128 {
            return Err(format!(
                "the sum {} is not that of {n} values from {min} to {max}",
                self.sum
            ));
        }
        // Σx² lies between n·min² and n·max², and is at least (Σx)²/n,
        // which bounds it below by q·Σx for q = ⌊Σx/n⌋ (at most max).
        let sum_sq = (self.sum_sq_hi, self.sum_sq_lo);
        let q = (self.sum / n as u128) as u64;
        if sum_sq < wide_product(n, min as u128 * min as u128)
            || sum_sq > wide_product(n, max as u128 * max as u128)
            || sum_sq < wide_product(q, self.sum)
        {
            return Err(format!(
                "the sum of squares is not that of {n} values from {min} to {max} summing to {}",
                self.sum
            ));
        }
        self.histogram.check(n, min, max)
    }

    /// Number of observations.
    pub fn count(&self) -> u64 {
        self.n
    }

    /// Sum of the observations.
    pub fn sum(&self) -> u128 {
        self.sum
    }

    /// Mean of the observations.
    pub fn mean(&self) -> f64 {
        self.sum as f64 / self.n as f64
    }

    /// Sum of squared deviations from the mean, computed from the exact sums
    /// without the cancellation of the textbook formula where it fits in
    /// 128 bits (always, for counts below about 10^14).
    fn sum_sq_deviations(&self) -> f64 {
        let n = self.n as u128;
        let (q, r) = (self.sum / n, self.sum % n);
        // Σx² − S²/n with S = q·n + r is (Σx² − q·S) − r·S/n, and Σx² ≥ q·S.
        if self.sum_sq_hi == 0
            && let Some(qs) = q.checked_mul(self.sum)
            && let Some(rs) = r.checked_mul(self.sum)
        {
            let exact_part = self.sum_sq_lo - qs;
            return (exact_part as f64 - rs as f64 / n as f64).max(0.0);
        }
        let sum_sq = self.sum_sq_hi as f64 * 2f64.powi(128) + self.sum_sq_lo as f64;
        (sum_sq - (self.sum as f64).powi(2) / n as f64).max(0.0)
    }

    /// Sample variance (n − 1 in the denominator); 0 for fewer than two.
    pub fn variance(&self) -> f64 {
        if self.n < 2 {
            0.0
        } else {
            self.sum_sq_deviations() / (self.n - 1) as f64
        }
    }

    /// The distribution of the observations.
    pub fn histogram(&self) -> &Histogram {
        &self.histogram
    }

    /// Smallest observation.
    pub fn min(&self) -> u64 {
        self.min
    }

    /// Largest observation.
    pub fn max(&self) -> u64 {
        self.max
    }

    /// The `q`-quantile by the inverse of the empirical distribution
    /// function (the smallest value with at least `q·n` values at or below
    /// it), reported as the midpoint of its bucket within `[min, max]`: off
    /// by at most 0.4% of the value and less than (max − min)/511.
    pub fn quantile(&self, q: f64) -> f64 {
        if self.n == 0 {
            return f64::NAN;
        }
        let rank = ((q * self.n as f64).ceil() as u64).clamp(1, self.n);
        let (lo, hi) = bucket_at_rank(self.histogram.buckets(), rank)
            .map_or((self.min, self.max), |(lo, hi)| {
                (lo.max(self.min), hi.min(self.max))
            });
        // Consistent buckets always overlap [min, max]; otherwise trust it.
        let (lo, hi) = if lo <= hi {
            (lo, hi)
        } else {
            (self.min, self.max)
        };
        lo as f64 + (hi - lo) as f64 / 2.0
    }

    /// The reported figures.
    pub fn summary(&self) -> Summary {
        if self.n == 0 {
            return Summary::default();
        }
        let sd = self.variance().sqrt();
        Summary {
            mean: self.mean(),
            sd,
            se: sd / (self.n as f64).sqrt(),
            min: self.min as f64,
            max: self.max as f64,
            p05: self.quantile(0.05),
            p25: self.quantile(0.25),
            p50: self.quantile(0.50),
            p75: self.quantile(0.75),
            p95: self.quantile(0.95),
            p99: self.quantile(0.99),
        }
    }
}

/// `a·b` as a 192-bit number `(high 64 bits, low 128 bits)`, which orders
/// as the numbers do. `a·b < 2^192`, so it never overflows.
fn wide_product(a: u64, b: u128) -> (u64, u128) {
    let (b_hi, b_lo) = ((b >> 64) as u64, b as u64);
    let low = a as u128 * b_lo as u128;
    let middle = a as u128 * b_hi as u128;
    let (low, carry) = low.overflowing_add(middle << 64);
    ((middle >> 64) as u64 + u64::from(carry), low)
}

/// Running sums of a batch of observations, kept apart from the
/// accumulator so that a loop over several quantities holds them in
/// registers.
#[derive(Debug, Clone, Copy)]
pub struct Batch {
    n: u64,
    sum: u128,
    sum_sq: u128,
    sum_sq_hi: u64,
    min: u64,
    max: u64,
}

impl Default for Batch {
    fn default() -> Self {
        Batch {
            n: 0,
            sum: 0,
            sum_sq: 0,
            sum_sq_hi: 0,
            min: u64::MAX,
            max: 0,
        }
    }
}

impl Batch {
    #[inline]
    fn add(&mut self, v: u64) {
        self.n += 1;
        self.sum += v as u128;
        let (s, carry) = self.sum_sq.overflowing_add(v as u128 * v as u128);
        self.sum_sq = s;
        self.sum_sq_hi += u64::from(carry);
        self.min = self.min.min(v);
        self.max = self.max.max(v);
    }
}

/// The figures reported for one quantity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Summary {
    /// Mean.
    pub mean: f64,
    /// Standard deviation (n − 1 in the denominator).
    pub sd: f64,
    /// Standard error of the mean.
    pub se: f64,
    /// Smallest value.
    pub min: f64,
    /// Largest value.
    pub max: f64,
    /// 5th percentile.
    pub p05: f64,
    /// 25th percentile.
    pub p25: f64,
    /// Median.
    pub p50: f64,
    /// 75th percentile.
    pub p75: f64,
    /// 95th percentile.
    pub p95: f64,
    /// 99th percentile.
    pub p99: f64,
}

impl Summary {
    /// The same figures for the quantity multiplied by `factor` (e.g. cells
    /// to square metres).
    pub fn scaled(&self, factor: f64) -> Summary {
        self.map(|v| v * factor)
    }

    /// The same figures for the quantity transformed by an increasing linear
    /// map through 0 (a change of unit).
    pub fn map(&self, f: impl Fn(f64) -> f64) -> Summary {
        Summary {
            mean: f(self.mean),
            sd: f(self.sd),
            se: f(self.se),
            min: f(self.min),
            max: f(self.max),
            p05: f(self.p05),
            p25: f(self.p25),
            p50: f(self.p50),
            p75: f(self.p75),
            p95: f(self.p95),
            p99: f(self.p99),
        }
    }

    /// How far the quantile `q` of this summary may be off, to round it
    /// for people: the larger of its Monte Carlo standard error (for a
    /// quantity near normal, `se · √(q(1 − q)) / φ(z_q)`, 1.25 times the
    /// mean's at the median, 2.1 times at the 5th and 95th percentiles) and
    /// the histogram's error (a bucket's half-width: a small share of the
    /// value, or of the spread). 0 when every replicate gave the same value.
    pub fn quantile_uncertainty(&self, q: f64, value: f64) -> f64 {
        if self.min == self.max {
            return 0.0;
        }
        let sampling = self.se * quantile_se_factor(q);
        let binning = (super::histogram::MAX_RELATIVE_ERROR * value.abs())
            .min((self.max - self.min) / (super::histogram::LINEAR_BUCKETS - 1) as f64);
        sampling.max(binning)
    }
}

/// `√(q(1 − q)) / φ(Φ⁻¹(q))` for the quantiles reported (5th, 25th, 50th,
/// 75th, 95th and 99th percentiles): the standard error of a sample
/// quantile of a normal quantity, in standard errors of its mean. Other
/// quantiles get the 5th percentile's, a bound for those between.
fn quantile_se_factor(q: f64) -> f64 {
    match (q.min(1.0 - q) * 100.0).round() as u32 {
        50 => 1.2533,
        25 => 1.3626,
        1 => 3.7328,
        _ => 2.1131,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantile_uncertainty_grows_towards_the_tails() {
        let s = Summary {
            mean: 25_000.0,
            sd: 2_000.0,
            se: 40.0,
            min: 18_000.0,
            max: 33_000.0,
            p05: 21_960.0,
            p50: 25_100.0,
            p95: 28_400.0,
            ..Summary::default()
        };
        // √(0.25)/φ(0) = 1.2533 times the mean's standard error.
        assert!((s.quantile_uncertainty(0.5, s.p50) - 50.13).abs() < 0.01);
        // The 5th and 95th percentiles: 2.11 times; here the histogram's
        // bucket (15,000 / 511 = 29) is narrower.
        let tail = s.quantile_uncertainty(0.05, s.p05);
        assert!((tail - 84.52).abs() < 0.01, "{tail}");
        assert_eq!(s.quantile_uncertainty(0.95, 1.0), tail);
        // With more replicates the bucket dominates: at most 0.39% of the
        // value, or 1/511 of the spread.
        let many = Summary { se: 0.1, ..s };
        assert!((many.quantile_uncertainty(0.05, s.p05) - 15_000.0 / 511.0).abs() < 1e-9);
        let constant = Summary {
            min: 5.0,
            max: 5.0,
            ..s
        };
        assert_eq!(constant.quantile_uncertainty(0.5, 5.0), 0.0);
    }

    fn accumulate(values: &[u64]) -> Accumulator {
        let mut a = Accumulator::default();
        values.iter().for_each(|&v| a.record(v));
        a
    }

    #[test]
    fn moments_match_a_direct_computation() {
        let values: Vec<u64> = (0..1000u64).map(|i| 1_000_000_000 + i * i % 997).collect();
        let a = accumulate(&values);
        let mean = values.iter().map(|&v| v as f64).sum::<f64>() / 1000.0;
        let var = values
            .iter()
            .map(|&v| (v as f64 - mean).powi(2))
            .sum::<f64>()
            / 999.0;
        assert!((a.mean() - mean).abs() < 1e-6);
        assert!((a.variance() - var).abs() < 1e-9 * var);
    }

    #[test]
    fn quantiles_are_within_the_stated_relative_error() {
        // Spread over many orders of magnitude, up to 10^9 and beyond.
        let mut values: Vec<u64> = (0..20_000u64)
            .map(|i| (i * 2_654_435_761 % 4_000_000_007) / (1 + i % 7))
            .collect();
        let a = accumulate(&values);
        values.sort_unstable();
        for q in [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99] {
            let exact = values[((q * values.len() as f64).ceil() as usize).max(1) - 1] as f64;
            let approx = a.quantile(q);
            assert!(
                (approx - exact).abs() <= 0.005 * exact,
                "q={q}: {approx} vs {exact}"
            );
        }
    }

    #[test]
    fn merging_in_any_order_is_exact() {
        let values: Vec<u64> = (0..3000u64).map(|i| i * 7919 % 100_003).collect();
        let whole = accumulate(&values);
        let mut left = accumulate(&values[..1000]);
        let right = accumulate(&values[1000..]);
        left.merge(&right);
        assert_eq!(left, whole);
        let mut right = accumulate(&values[1000..]);
        right.merge(&accumulate(&values[..1000]));
        assert_eq!(right.summary(), whole.summary());
    }

    #[test]
    fn huge_sums_of_squares_keep_working() {
        let mut a = Accumulator::default();
        for _ in 0..4 {
            a.record(u64::MAX);
        }
        a.record(0);
        assert!(a.sum_sq_hi > 0);
        let var = a.variance();
        // Four values of M and one 0: the variance is M²/5.
        let expected = (u64::MAX as f64).powi(2) / 5.0;
        assert!((var / expected - 1.0).abs() < 1e-9, "{var} vs {expected}");
    }

    #[test]
    fn quantiles_of_a_narrow_distribution_far_from_zero_are_accurate_to_its_spread() {
        // About 5.4 million with a standard deviation of about 2,300, as the
        // duds among 2.7 billion submunitions at a fixed 0.2%.
        use rand::SeedableRng;
        use rand_distr::{Distribution, StandardNormal};
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(9);
        let mut values: Vec<u64> = (0..20_000)
            .map(|_| {
                let z: f64 = StandardNormal.sample(&mut rng);
                (5.4e6 + 2321.0 * z).round() as u64
            })
            .collect();
        let a = accumulate(&values);
        values.sort_unstable();
        let sd = a.variance().sqrt();
        for q in [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99] {
            let exact = values[((q * values.len() as f64).ceil() as usize).max(1) - 1] as f64;
            let approx = a.quantile(q);
            assert!(
                (approx - exact).abs() <= 0.02 * sd,
                "q={q}: {approx} vs {exact}, {} sd off",
                (approx - exact) / sd
            );
        }
    }

    /// Narrow far from zero, spread over orders of magnitude, with one
    /// outlier, constant, and near the top of the range.
    fn datasets() -> Vec<Vec<u64>> {
        vec![
            (0..4000u64)
                .map(|i| 2_700_000_000 + i * 7919 % 30_011)
                .collect(),
            (0..4000u64)
                .map(|i| (i * 2_654_435_761) % 4_000_000_007 / (1 + i % 9))
                .collect(),
            (0..4000u64)
                .map(|i| {
                    if i == 1777 {
                        1 << 40
                    } else {
                        1_000_000 + i % 997
                    }
                })
                .collect(),
            vec![123_456_789; 500],
            (0..2000u64).map(|i| u64::MAX - i * i * 1_000_003).collect(),
        ]
    }

    #[test]
    fn quantiles_are_within_the_narrower_of_the_two_bounds() {
        use crate::stats::histogram::MAX_RELATIVE_ERROR;
        for mut values in datasets() {
            let a = accumulate(&values);
            values.sort_unstable();
            let spread = (a.max() - a.min()) as f64;
            for q in [0.001, 0.05, 0.25, 0.5, 0.75, 0.95, 0.999] {
                let exact = values[((q * values.len() as f64).ceil() as usize).max(1) - 1] as f64;
                let bound = (MAX_RELATIVE_ERROR * exact).min(spread / 511.0);
                let error = (a.quantile(q) - exact).abs();
                assert!(error <= bound, "q={q}: off by {error}, above {bound}");
            }
        }
    }

    #[test]
    fn merges_in_any_order_equal_one_run_and_serialise_identically() {
        for values in datasets() {
            let whole = accumulate(&values);
            let n = values.len();
            let parts: Vec<Accumulator> = [0, n / 5, n / 2, n / 2 + 1, n]
                .windows(2)
                .map(|w| accumulate(&values[w[0]..w[1]]))
                .collect();
            for order in [[0, 1, 2, 3], [3, 2, 1, 0], [2, 0, 3, 1]] {
                let mut merged = Accumulator::default();
                for i in order {
                    merged.try_merge(&parts[i]).unwrap();
                }
                assert_eq!(merged, whole, "order {order:?}");
                assert_eq!(
                    serde_json::to_string(&merged).unwrap(),
                    serde_json::to_string(&whole).unwrap()
                );
            }
        }
    }

    #[test]
    fn wide_products_are_exact() {
        assert_eq!(wide_product(3, 5), (0, 15));
        assert_eq!(
            wide_product(u64::MAX, 1 << 64),
            (0, (u64::MAX as u128) << 64)
        );
        // (2^64 − 1)·(2^128 − 1) = 2^192 − 2^128 − 2^64 + 1.
        assert_eq!(
            wide_product(u64::MAX, u128::MAX),
            (u64::MAX - 1, u128::MAX - (u64::MAX as u128) + 1)
        );
    }

    #[test]
    fn recorded_accumulators_pass_their_check_and_edited_ones_fail() {
        for values in datasets() {
            let a = accumulate(&values);
            assert_eq!(a.check(values.len() as u64), Ok(()));
            assert!(a.check(values.len() as u64 + 1).is_err());
            let edits: [fn(&mut Accumulator); 7] = [
                |a| a.sum += 1 + a.n as u128 * a.max as u128 - a.sum,
                |a| a.sum_sq_hi += 1 << 40,
                // A minimum above the maximum, also when the maximum is
                // the largest u64 (where max + 1 would overflow).
                |a| {
                    if a.max < u64::MAX {
                        a.min = a.max + 1;
                    } else {
                        (a.min, a.max) = (u64::MAX, u64::MAX - 1);
                    }
                },
                |a| a.histogram.low.first += 1,
                |a| a.histogram.shift += 1,
                |a| a.histogram.high.push(1),
                |a| a.sum_sq_lo = 0,
            ];
            for (i, edit) in edits.iter().enumerate() {
                let mut edited = a.clone();
                edit(&mut edited);
                if i == 6 && a.min == 0 {
                    continue;
                }
                assert!(edited.check(a.n).is_err(), "edit {i} passed");
            }
        }
        assert_eq!(Accumulator::default().check(0), Ok(()));
    }
}
