//! Histograms of non-negative integers that fit in a few kilobytes and
//! merge exactly, for quantiles of counts up to 10^9 and beyond.
//!
//! Two kinds work together. A [`LogHistogram`] has buckets at most 1/128 of
//! their value wide: good for values spread over orders of magnitude, but a
//! large count with a narrow spread (5.4 million ± 2,300) falls in one
//! bucket. A [`LinearHistogram`] has at most [`LINEAR_BUCKETS`] equal
//! buckets over the values seen: good for a narrow spread anywhere, but a
//! single outlier widens all its buckets. A quantile lies in one bucket of
//! each, so it is known to within the narrower of the two.

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
    pub(super) first: usize,
    pub(super) counts: Vec<u64>,
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
        let b = bucket_of(value);
        match self.counts.get_mut(b.wrapping_sub(self.first)) {
            Some(count) => *count += 1,
            None => self.record_outside(b, 1),
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

    /// Adds another histogram's counts; `Err` if a count would overflow.
    pub fn merge(&mut self, other: &LogHistogram) -> Result<(), Overflow> {
        for (i, &n) in other.counts.iter().enumerate() {
            if n > 0 {
                let bucket = other.first + i;
                if !(self.first..self.first + self.counts.len()).contains(&bucket) {
                    self.record_outside(bucket, 0);
                }
                let count = &mut self.counts[bucket - self.first];
                *count = count.checked_add(n).ok_or(Overflow)?;
            }
        }
        Ok(())
    }

    /// Checks what a histogram read from a file claims: `n` values from
    /// `min` to `max`, in the buckets of those two and between.
    pub fn check(&self, n: u64, min: u64, max: u64) -> Result<(), String> {
        check_counts(&self.counts, n)?;
        if n == 0 {
            return match self.first {
                0 => Ok(()),
                _ => Err("log histogram: buckets of no values".to_string()),
            };
        }
        let last = self.first.checked_add(self.counts.len() - 1);
        if self.first != bucket_of(min) || last != Some(bucket_of(max)) {
            return Err(format!(
                "log histogram: buckets {} to {} are not those of the smallest and \
                 largest values ({min} and {max})",
                self.first,
                last.map_or("beyond the last".to_string(), |l| l.to_string())
            ));
        }
        Ok(())
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
}

/// Most buckets a [`LinearHistogram`] holds.
pub const LINEAR_BUCKETS: u64 = 1024;

/// Counts of integer values in equal buckets of a power-of-two width
/// `2^shift`, aligned at multiples of the width, the width being the
/// smallest for which the buckets from the smallest to the largest value
/// seen number at most [`LINEAR_BUCKETS`].
///
/// The width only grows (buckets are merged pairwise) as the values spread,
/// and the state depends only on the values counted, not on their order or
/// on how they were split between histograms later merged: merging is exact.
/// A bucket is less than `2·(max − min)/(LINEAR_BUCKETS − 1)` wide.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinearHistogram {
    /// log2 of the bucket width.
    pub(super) shift: u32,
    /// `value >> shift` of the values `counts[0]` counts.
    pub(super) first: u64,
    pub(super) counts: Vec<u64>,
}

/// The smallest shift at or above `shift` at which buckets `lo..=hi` (at
/// `shift`) fit in [`LINEAR_BUCKETS`]. At most 54: 2^64 / 2^54 = 1024.
fn fitting_shift(shift: u32, lo: u64, hi: u64) -> u32 {
    let mut extra = 0;
    while (hi >> extra) - (lo >> extra) >= LINEAR_BUCKETS {
        extra += 1;
    }
    shift + extra
}

impl LinearHistogram {
    /// Counts one value.
    #[inline]
    pub fn record(&mut self, value: u64) {
        // At most LINEAR_BUCKETS buckets are held, so that index is outside.
        let offset = (value >> self.shift)
            .wrapping_sub(self.first)
            .min(LINEAR_BUCKETS);
        match self.counts.get_mut(offset as usize) {
            Some(count) => *count += 1,
            None => self.record_outside(value),
        }
    }

    /// Counts a value outside the buckets held, widening the buckets if
    /// the range no longer fits.
    #[cold]
    fn record_outside(&mut self, value: u64) {
        if self.counts.is_empty() {
            *self = LinearHistogram {
                shift: 0,
                first: value,
                counts: vec![1],
            };
            return;
        }
        let bucket = value >> self.shift;
        self.hold(self.shift, self.first.min(bucket), self.last().max(bucket));
        self.counts[((value >> self.shift) - self.first) as usize] += 1;
    }

    /// Adds another histogram's counts; `Err` if a count would overflow.
    pub fn merge(&mut self, other: &LinearHistogram) -> Result<(), Overflow> {
        if other.counts.is_empty() {
            return Ok(());
        }
        if self.counts.is_empty() {
            *self = other.clone();
            return Ok(());
        }
        let shift = self.shift.max(other.shift);
        let at = |h: &LinearHistogram, bucket: u64| bucket >> (shift - h.shift);
        self.hold(
            shift,
            at(self, self.first).min(at(other, other.first)),
            at(self, self.last()).max(at(other, other.last())),
        );
        let extra = self.shift - other.shift;
        for (i, &n) in other.counts.iter().enumerate() {
            let bucket = (other.first + i as u64) >> extra;
            let count = &mut self.counts[(bucket - self.first) as usize];
            *count = count.checked_add(n).ok_or(Overflow)?;
        }
        Ok(())
    }

    /// Makes the buckets hold buckets `lo..=hi` of width `2^shift`
    /// (`shift` at least the current one), widening them as far as needed
    /// for the range to fit.
    fn hold(&mut self, shift: u32, lo: u64, hi: u64) {
        let fitting = fitting_shift(shift, lo, hi);
        let extra = fitting - shift;
        self.coarsen(fitting);
        let (lo, hi) = (lo >> extra, hi >> extra);
        // Grow the capacity by doubling, but never past the most buckets
        // held, which would only waste memory.
        let len = (hi.max(self.last()) - lo.min(self.first) + 1) as usize;
        if len > self.counts.capacity() {
            let capacity = (2 * len).min(LINEAR_BUCKETS as usize).max(len);
            self.counts.reserve_exact(capacity - self.counts.len());
        }
        if lo < self.first {
            let more = (self.first - lo) as usize;
            self.counts.splice(0..0, std::iter::repeat_n(0, more));
            self.first = lo;
        }
        if hi > self.last() {
            self.counts.resize((hi - self.first + 1) as usize, 0);
        }
    }

    /// Index (`value >> shift`) of the last bucket held.
    fn last(&self) -> u64 {
        self.first + self.counts.len() as u64 - 1
    }

    /// Merges buckets so that they are `2^shift` wide.
    fn coarsen(&mut self, shift: u32) {
        let extra = shift - self.shift;
        if extra == 0 {
            return;
        }
        let first = self.first >> extra;
        let mut counts = vec![0; ((self.last() >> extra) - first + 1) as usize];
        for (i, &n) in self.counts.iter().enumerate() {
            counts[(((self.first + i as u64) >> extra) - first) as usize] += n;
        }
        *self = LinearHistogram {
            shift,
            first,
            counts,
        };
    }

    /// Checks what a histogram read from a file claims: `n` values from
    /// `min` to `max`, in buckets of the width those two give.
    pub fn check(&self, n: u64, min: u64, max: u64) -> Result<(), String> {
        check_counts(&self.counts, n)?;
        if n == 0 {
            return match (self.shift, self.first) {
                (0, 0) => Ok(()),
                _ => Err("linear histogram: buckets of no values".to_string()),
            };
        }
        let shift = fitting_shift(0, min, max);
        if self.shift != shift {
            return Err(format!(
                "linear histogram: buckets 2^{} wide, where values from {min} to {max} \
                 make them 2^{shift}",
                self.shift
            ));
        }
        let last = self.first.checked_add(self.counts.len() as u64 - 1);
        if self.first != min >> shift || last != Some(max >> shift) {
            return Err(format!(
                "linear histogram: the buckets are not those from the smallest to the \
                 largest value ({min} and {max})"
            ));
        }
        Ok(())
    }

    /// Total count.
    pub fn total(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// Width of every bucket.
    pub fn bucket_width(&self) -> u64 {
        1 << self.shift
    }

    /// Non-empty buckets as `(smallest value, largest value, count)`, in
    /// increasing order.
    pub fn buckets(&self) -> impl Iterator<Item = (u64, u64, u64)> + '_ {
        self.counts
            .iter()
            .enumerate()
            .filter(|&(_, &n)| n > 0)
            .map(|(i, &n)| {
                let lo = (self.first + i as u64) << self.shift;
                (lo, lo + ((1u64 << self.shift) - 1), n)
            })
    }
}

/// Checks the counts of a histogram of `n` values read from a file: they
/// add up to `n` and the first and last buckets, those of the smallest and
/// largest values, are not empty.
fn check_counts(counts: &[u64], n: u64) -> Result<(), String> {
    let total = counts
        .iter()
        .try_fold(0u64, |total, &c| total.checked_add(c))
        .ok_or("histogram: the counts overflow")?;
    if total != n {
        return Err(format!(
            "histogram: the buckets count {total} values, not {n}"
        ));
    }
    if n == 0 && !counts.is_empty() {
        return Err("histogram: buckets of no values".to_string());
    }
    if counts.first() == Some(&0) || counts.last() == Some(&0) {
        return Err("histogram: its first or last bucket is empty".to_string());
    }
    Ok(())
}

/// The bounds of the bucket holding the `rank`-th smallest value (from 1)
/// among `buckets`; `None` past the last.
pub fn bucket_at_rank(
    buckets: impl Iterator<Item = (u64, u64, u64)>,
    rank: u64,
) -> Option<(u64, u64)> {
    let mut seen = 0u64;
    for (lo, hi, n) in buckets {
        seen = seen.saturating_add(n);
        if seen >= rank {
            return Some((lo, hi));
        }
    }
    None
}

/// A count that would not fit its integer type when merging statistics
/// (only statistics read from a file, edited or corrupt, can get there).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Overflow;

impl std::fmt::Display for Overflow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("merged counts would overflow their integer type")
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
        b.merge(&a).unwrap();
        assert_eq!(b, one);
    }

    /// Datasets that exercise the linear buckets: narrow far from zero,
    /// spread over orders of magnitude, one outlier, constant, zeros, the
    /// top of the range, and values that widen the buckets many times.
    fn datasets() -> Vec<Vec<u64>> {
        vec![
            (0..3000u64).map(|i| 5_400_000 + i * 7919 % 9_001).collect(),
            (0..3000u64)
                .map(|i| (i * 2_654_435_761) % 4_000_000_007 / (1 + i % 9))
                .collect(),
            (0..3000u64)
                .map(|i| if i == 1777 { 1 << 50 } else { 100 + i % 37 })
                .collect(),
            vec![42; 700],
            vec![0; 300],
            (0..2000u64).map(|i| u64::MAX - i * i * 1_000_003).collect(),
            (0..3000u64).map(|i| (i * i) << (i % 40)).collect(),
        ]
    }

    fn linear(values: &[u64]) -> LinearHistogram {
        let mut h = LinearHistogram::default();
        values.iter().for_each(|&v| h.record(v));
        h
    }

    #[test]
    fn linear_buckets_are_the_narrowest_that_fit_and_count_everything() {
        for values in datasets() {
            let h = linear(&values);
            let (min, max) = (*values.iter().min().unwrap(), *values.iter().max().unwrap());
            assert_eq!(h.total(), values.len() as u64);
            assert!(h.counts.len() as u64 <= LINEAR_BUCKETS);
            assert_eq!(h.first, min >> h.shift);
            assert_eq!(h.last(), max >> h.shift);
            if h.shift > 0 {
                let finer = h.shift - 1;
                assert!((max >> finer) - (min >> finer) >= LINEAR_BUCKETS);
                assert!((h.bucket_width() as f64) < 2.0 * (max - min) as f64 / 1023.0);
            }
            for (lo, hi, n) in h.buckets() {
                let inside = values.iter().filter(|&&v| (lo..=hi).contains(&v)).count();
                assert_eq!(inside as u64, n);
            }
        }
    }

    #[test]
    fn linear_merges_in_any_order_equal_one_histogram() {
        for values in datasets() {
            let whole = linear(&values);
            let n = values.len();
            for cuts in [
                [n / 3, 2 * n / 3],
                [1, n - 1],
                [0, n / 2],
                [n / 7, n / 7 + 1],
            ] {
                let parts = [
                    linear(&values[..cuts[0]]),
                    linear(&values[cuts[0]..cuts[1]]),
                    linear(&values[cuts[1]..]),
                ];
                for order in [[0, 1, 2], [2, 1, 0], [1, 0, 2], [1, 2, 0]] {
                    let mut merged = LinearHistogram::default();
                    for i in order {
                        merged.merge(&parts[i]).unwrap();
                    }
                    assert_eq!(merged, whole, "cuts {cuts:?}, order {order:?}");
                }
                // Merging into a part, or a merge of merges.
                let mut left = parts[0].clone();
                left.merge(&parts[1]).unwrap();
                let mut right = parts[2].clone();
                right.merge(&left).unwrap();
                assert_eq!(right, whole);
            }
        }
    }

    #[test]
    fn merges_that_would_overflow_are_refused() {
        let mut big = LinearHistogram {
            shift: 0,
            first: 5,
            counts: vec![u64::MAX],
        };
        assert_eq!(big.merge(&linear(&[5])), Err(Overflow));
        let mut big = LogHistogram {
            first: 5,
            counts: vec![u64::MAX],
        };
        let mut five = LogHistogram::default();
        five.record(5);
        assert_eq!(big.merge(&five), Err(Overflow));
    }
}
