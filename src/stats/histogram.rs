//! A log-bucketed histogram of non-negative integers with bounded relative
//! error, so that quantiles of counts up to 10^9 and beyond fit in a few
//! kilobytes and merge exactly.

use serde::{Deserialize, Serialize};

/// Values below this get a bucket of their own (exact).
const EXACT: u64 = 256;
/// Sub-buckets per power of two above `EXACT`, as a power of two.
const SUB_BITS: u32 = 7;
const SUB: u64 = 1 << SUB_BITS;

/// Largest relative error of a value reported from a bucket: a bucket is at
/// most `1/SUB` of its lower bound wide and we report its midpoint.
pub const MAX_RELATIVE_ERROR: f64 = 0.5 / SUB as f64;

/// Counts of integer values in buckets that are exact below 256 and
/// 1/128 of an octave wide above.
///
/// Only the buckets between the smallest and largest value seen are stored,
/// so memory follows the spread of the values, not their size.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogHistogram {
    /// Index of the bucket `counts[0]` counts.
    first: usize,
    counts: Vec<u64>,
}

/// The bucket a value falls in.
pub fn bucket_of(value: u64) -> usize {
    if value < EXACT {
        value as usize
    } else {
        let octave = 63 - value.leading_zeros();
        let sub = (value >> (octave - SUB_BITS)) - SUB;
        (EXACT + (octave as u64 - 8) * SUB + sub) as usize
    }
}

/// The smallest and largest value of a bucket.
pub fn bucket_bounds(bucket: usize) -> (u64, u64) {
    let b = bucket as u64;
    if b < EXACT {
        (b, b)
    } else {
        let octave = 8 + (b - EXACT) / SUB;
        let sub = (b - EXACT) % SUB;
        let width_bits = octave - SUB_BITS as u64;
        let lo = (SUB + sub) << width_bits;
        (lo, lo + ((1u64 << width_bits) - 1))
    }
}

impl LogHistogram {
    /// Counts one value.
    #[inline]
    pub fn record(&mut self, value: u64) {
        self.record_n(value, 1);
    }

    /// Counts `n` occurrences of one value.
    #[inline]
    pub fn record_n(&mut self, value: u64, n: u64) {
        let b = bucket_of(value);
        match self.counts.get_mut(b.wrapping_sub(self.first)) {
            Some(count) => *count += n,
            None => self.record_outside(b, n),
        }
    }

    /// Counts into a bucket outside the stored range, growing it.
    #[cold]
    fn record_outside(&mut self, b: usize, n: u64) {
        if self.counts.is_empty() {
            self.first = b;
            self.counts.push(0);
        } else if b < self.first {
            let extra = self.first - b;
            self.counts.splice(0..0, std::iter::repeat_n(0, extra));
            self.first = b;
        } else if b >= self.first + self.counts.len() {
            self.counts.resize(b - self.first + 1, 0);
        }
        self.counts[b - self.first] += n;
    }

    /// Adds another histogram's counts.
    pub fn merge(&mut self, other: &LogHistogram) {
        for (i, &n) in other.counts.iter().enumerate() {
            if n > 0 {
                let (lo, _) = bucket_bounds(other.first + i);
                self.record_n(lo, n);
            }
        }
    }

    /// Total count.
    pub fn total(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// Non-empty buckets as `(smallest value, largest value, count)`, in
    /// increasing order.
    pub fn buckets(&self) -> impl Iterator<Item = (u64, u64, u64)> + '_ {
        self.counts
            .iter()
            .enumerate()
            .filter(|&(_, &n)| n > 0)
            .map(|(i, &n)| {
                let (lo, hi) = bucket_bounds(self.first + i);
                (lo, hi, n)
            })
    }

    /// The `q`-quantile by the inverse of the empirical distribution
    /// function (the smallest value with at least `q·n` values at or below
    /// it), reported as its bucket's midpoint and clamped to `[min, max]`.
    pub fn quantile(&self, q: f64, min: u64, max: u64) -> f64 {
        let total = self.total();
        if total == 0 {
            return f64::NAN;
        }
        let rank = ((q * total as f64).ceil() as u64).clamp(1, total);
        let mut seen = 0;
        for (lo, hi, n) in self.buckets() {
            seen += n;
            if seen >= rank {
                let mid = lo as f64 + (hi - lo) as f64 / 2.0;
                return mid.clamp(min as f64, max as f64);
            }
        }
        max as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_tile_the_integers_with_bounded_width() {
        let mut expected_lo = 0u64;
        for b in 0..bucket_of(u64::MAX) {
            let (lo, hi) = bucket_bounds(b);
            assert_eq!(lo, expected_lo, "bucket {b}");
            assert_eq!(bucket_of(lo), b);
            assert_eq!(bucket_of(hi), b);
            assert!((hi - lo) as f64 / 2.0 <= MAX_RELATIVE_ERROR * lo as f64 + 0.5);
            expected_lo = hi + 1;
        }
        assert_eq!(bucket_bounds(bucket_of(u64::MAX)).1, u64::MAX);
    }

    #[test]
    fn merge_equals_recording_everything_in_one() {
        let values: Vec<u64> = (0..5000u64).map(|i| i * i * 7919 % 1_000_003).collect();
        let mut one = LogHistogram::default();
        values.iter().for_each(|&v| one.record(v));
        let (mut a, mut b) = (LogHistogram::default(), LogHistogram::default());
        values[..1234].iter().for_each(|&v| a.record(v));
        values[1234..].iter().for_each(|&v| b.record(v));
        b.merge(&a);
        assert_eq!(b, one);
    }
}
