//! A histogram of non-negative integers that fits in a few kilobytes and
//! merges exactly, for quantiles of counts up to 10^9 and beyond that are
//! accurate both to a small share of the value and to a small share of the
//! spread.
//!
//! Log buckets (exact below 256, then 1/128 of an octave wide) suit values
//! spread over orders of magnitude, but a large count with a narrow spread
//! (5.4 million ± 2,300) falls in one of them. Equal buckets over the values
//! seen suit a narrow spread anywhere, but an outlier widens them all. The
//! [`Histogram`] takes, for every value, the narrower of the two: log
//! buckets below a threshold and equal buckets `2^shift` wide above it,
//! with `shift` the smallest for which those number at most
//! [`LINEAR_BUCKETS`]. Each value is counted once, in one bucket.

use serde::{Deserialize, Serialize};

/// Values below this get a bucket of their own (exact).
const EXACT: u64 = 256;
/// Sub-buckets per power of two above `EXACT`, as a power of two.
const SUB_BITS: u32 = 7;
const SUB: u64 = 1 << SUB_BITS;

/// Largest relative error of a value reported from a bucket: a bucket is at
/// most `1/SUB` of its lower bound wide and we report its midpoint.
pub const MAX_RELATIVE_ERROR: f64 = 0.5 / SUB as f64;

/// Most equal buckets a [`Histogram`] holds above its threshold.
pub const LINEAR_BUCKETS: u64 = 512;

/// The widest equal buckets, 2^55: values from the threshold 2^63 to 2^64
/// then span 256 of them, so no histogram needs wider.
const MAX_SHIFT: u32 = 55;

/// The log bucket a value falls in.
pub fn bucket_of(value: u64) -> usize {
    if value < EXACT {
        value as usize
    } else {
        let octave = 63 - value.leading_zeros();
        let sub = (value >> (octave - SUB_BITS)) - SUB;
        (EXACT + (octave as u64 - 8) * SUB + sub) as usize
    }
}

/// The smallest and largest value of a log bucket.
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

/// Counts in log buckets; only the buckets from the first to the last
/// non-empty one are stored, so memory follows the spread of the values.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogBuckets {
    /// Index of the bucket `counts[0]` counts.
    pub(super) first: usize,
    pub(super) counts: Vec<u64>,
}

impl LogBuckets {
    /// Counts one value.
    #[inline]
    fn record(&mut self, value: u64) {
        let b = bucket_of(value);
        match self.counts.get_mut(b.wrapping_sub(self.first)) {
            Some(count) => *count += 1,
            None => {
                self.hold(b);
                self.counts[b - self.first] += 1;
            }
        }
    }

    /// Makes bucket `b` one of those stored.
    #[cold]
    fn hold(&mut self, b: usize) {
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
    }

    /// Adds `n` to bucket `b`; `Err` if the count would overflow.
    fn add(&mut self, b: usize, n: u64) -> Result<(), Overflow> {
        if !(self.first..self.first + self.counts.len()).contains(&b) {
            self.hold(b);
        }
        let count = &mut self.counts[b - self.first];
        *count = count.checked_add(n).ok_or(Overflow)?;
        Ok(())
    }

    /// Non-empty buckets as `(smallest value, largest value, count)`, in
    /// increasing order.
    fn buckets(&self) -> impl Iterator<Item = (u64, u64, u64)> + '_ {
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

/// Counts of integer values, each in the narrower of its log bucket and an
/// equal bucket `2^shift` wide (see the module documentation).
///
/// Values below `256·2^shift` are in log buckets, which are at most
/// `2^shift` wide there; values from it up are in equal buckets aligned at
/// multiples of `2^shift`. `shift` is the smallest for which the equal
/// buckets from the smallest to the largest value above the threshold
/// number at most [`LINEAR_BUCKETS`]; it only grows as values spread (equal
/// buckets merge pairwise, and those falling below the new threshold move
/// into the log buckets holding them). The state depends only on the values
/// counted, not on their order or on how they were split between
/// histograms later merged: merging is exact.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Histogram {
    /// log2 of the width of the equal buckets.
    pub(super) shift: u32,
    /// Values below the threshold.
    pub(super) low: LogBuckets,
    /// `value >> shift` of the values `high[0]` counts.
    pub(super) high_first: u64,
    /// Values from the threshold up, in equal buckets.
    pub(super) high: Vec<u64>,
}

impl Histogram {
    /// The smallest value counted in the equal buckets.
    #[inline]
    fn threshold(&self) -> u64 {
        EXACT << self.shift
    }

    /// Counts one value.
    #[inline]
    pub fn record(&mut self, value: u64) {
        if value < self.threshold() {
            self.low.record(value);
            return;
        }
        // At most LINEAR_BUCKETS buckets are held, so that index is outside.
        let offset = (value >> self.shift)
            .wrapping_sub(self.high_first)
            .min(LINEAR_BUCKETS);
        match self.high.get_mut(offset as usize) {
            Some(count) => *count += 1,
            None => self.record_high_outside(value),
        }
    }

    /// Counts a value above the threshold outside the equal buckets held,
    /// widening them if the range no longer fits.
    #[cold]
    fn record_high_outside(&mut self, value: u64) {
        // The held buckets span every non-empty one, so when the range from
        // them to this value's bucket fits, the shift stays: hold it without
        // scanning them (a spread growing bucket by bucket would otherwise
        // scan them all each time).
        let bucket = value >> self.shift;
        if !self.high.is_empty() {
            let (lo, hi) = (self.high_first.min(bucket), self.high_last().max(bucket));
            if hi - lo < LINEAR_BUCKETS {
                self.hold_high(bucket, bucket);
                self.high[(bucket - self.high_first) as usize] += 1;
                return;
            }
        }
        let shift = self.fitting_shift(std::iter::once(value >> self.shift));
        self.widen(shift)
            .expect("counts of values recorded one by one fit in 64 bits");
        if value < self.threshold() {
            self.low.record(value);
        } else {
            let bucket = value >> self.shift;
            self.hold_high(bucket, bucket);
            self.high[(bucket - self.high_first) as usize] += 1;
        }
    }

    /// Index of the last equal bucket held (with at least one held).
    fn high_last(&self) -> u64 {
        // The last bucket may be the top one, 2^64 − 1 >> shift: add the
        // offset, not the length, or the sum passes 2^64 on the way.
        self.high_first + (self.high.len() as u64 - 1)
    }

    /// Indices of the non-empty equal buckets, in increasing order.
    fn high_indices(&self) -> impl Iterator<Item = u64> + Clone + '_ {
        self.high
            .iter()
            .enumerate()
            .filter(|&(_, &n)| n > 0)
            .map(|(i, _)| self.high_first + i as u64)
    }

    /// The smallest shift, at least the current one, at which the equal
    /// buckets held and buckets `more` (non-empty, at the current shift,
    /// from the threshold up) fit in [`LINEAR_BUCKETS`].
    fn fitting_shift(&self, more: impl Iterator<Item = u64> + Clone) -> u32 {
        let top = self.high_indices().chain(more.clone()).max();
        let Some(top) = top else {
            return self.shift;
        };
        for extra in 0..=MAX_SHIFT - self.shift {
            // At shift + extra, the threshold is 2^(8 + extra) buckets of now.
            let threshold = EXACT << extra;
            let bottom = self
                .high_indices()
                .chain(more.clone())
                .filter(|&b| b >= threshold)
                .min();
            let fits = match bottom {
                None => true,
                Some(bottom) => (top >> extra) - (bottom >> extra) < LINEAR_BUCKETS,
            };
            if fits {
                return self.shift + extra;
            }
        }
        unreachable!("at shift {MAX_SHIFT} every range of values fits")
    }

    /// Widens the equal buckets to `2^shift` (at least the current width):
    /// those now below the threshold move into their log buckets, the
    /// others merge pairwise. `Err` if a count would overflow.
    fn widen(&mut self, shift: u32) -> Result<(), Overflow> {
        let extra = shift - self.shift;
        if extra == 0 {
            return Ok(());
        }
        let threshold = EXACT << extra;
        let high = std::mem::take(&mut self.high);
        let old = (self.shift, self.high_first);
        self.shift = shift;
        let mut kept = Vec::new();
        let mut first = 0;
        for (i, &n) in high.iter().enumerate().filter(|&(_, &n)| n > 0) {
            let bucket = old.1 + i as u64;
            if bucket < threshold {
                // A bucket below the threshold lies in one log bucket, at
                // least twice as wide.
                self.low.add(bucket_of(bucket << old.0), n)?;
                continue;
            }
            let wide = bucket >> extra;
            if kept.is_empty() {
                first = wide;
            }
            let at = (wide - first) as usize;
            if at >= kept.len() {
                kept.resize(at + 1, 0);
            }
            kept[at] = u64::checked_add(kept[at], n).ok_or(Overflow)?;
        }
        self.high_first = first;
        self.high = kept;
        Ok(())
    }

    /// Holds equal buckets `lo..=hi` (at the current shift, known to fit),
    /// with zero counts in the new ones.
    fn hold_high(&mut self, lo: u64, hi: u64) {
        if self.high.is_empty() {
            self.high_first = lo;
            self.high = vec![0; (hi - lo + 1) as usize];
            return;
        }
        let (first, last) = (self.high_first.min(lo), self.high_last().max(hi));
        // Grow the capacity by doubling, but never past the most buckets
        // held, which would only waste memory.
        let len = (last - first + 1) as usize;
        if len > self.high.capacity() {
            let capacity = (2 * len).min(LINEAR_BUCKETS as usize).max(len);
            self.high.reserve_exact(capacity - self.high.len());
        }
        if first < self.high_first {
            let more = (self.high_first - first) as usize;
            self.high.splice(0..0, std::iter::repeat_n(0, more));
            self.high_first = first;
        }
        self.high.resize(len, 0);
    }

    /// Adds another histogram's counts; `Err` (leaving `self` partly
    /// merged) if a count would overflow.
    pub fn merge(&mut self, other: &Histogram) -> Result<(), Overflow> {
        let mut other = other.clone();
        let shift = self.shift.max(other.shift);
        self.widen(shift)?;
        other.widen(shift)?;
        let shift = self.fitting_shift(other.high_indices());
        self.widen(shift)?;
        other.widen(shift)?;
        for (lo, _, n) in other.low.buckets() {
            self.low.add(bucket_of(lo), n)?;
        }
        if !other.high.is_empty() {
            self.hold_high(other.high_first, other.high_last());
            for (i, &n) in other.high.iter().enumerate() {
                let count = &mut self.high[(other.high_first - self.high_first) as usize + i];
                *count = count.checked_add(n).ok_or(Overflow)?;
            }
        }
        Ok(())
    }

    /// Total count.
    pub fn total(&self) -> u64 {
        self.low.counts.iter().chain(&self.high).sum()
    }

    /// Width of the equal buckets.
    pub fn bucket_width(&self) -> u64 {
        1 << self.shift
    }

    /// Non-empty buckets as `(smallest value, largest value, count)`, in
    /// increasing order.
    pub fn buckets(&self) -> impl Iterator<Item = (u64, u64, u64)> + '_ {
        let width = self.bucket_width();
        self.low
            .buckets()
            .chain(
                self.high
                    .iter()
                    .enumerate()
                    .filter(|&(_, &n)| n > 0)
                    .map(move |(i, &n)| {
                        let lo = (self.high_first + i as u64) << self.shift;
                        (lo, lo + (width - 1), n)
                    }),
            )
    }

    /// Checks what a histogram read from a file claims: `n` values from
    /// `min` to `max`, each part's buckets where they belong, and the
    /// narrowest equal buckets that fit (as far as the buckets tell).
    pub fn check(&self, n: u64, min: u64, max: u64) -> Result<(), String> {
        let bad = |what: String| Err(format!("histogram: {what}"));
        if self.shift > MAX_SHIFT {
            return bad(format!(
                "buckets 2^{} wide, above 2^{MAX_SHIFT}",
                self.shift
            ));
        }
        if (self.low.counts.is_empty() && self.low.first != 0)
            || (self.high.is_empty() && self.high_first != 0)
        {
            return bad("an index for buckets it does not hold".to_string());
        }
        let ends_empty = |counts: &[u64]| counts.first() == Some(&0) || counts.last() == Some(&0);
        if ends_empty(&self.low.counts) || ends_empty(&self.high) {
            return bad("a first or last bucket is empty".to_string());
        }
        if self.high.len() as u64 > LINEAR_BUCKETS {
            return bad(format!(
                "{} equal buckets, above {LINEAR_BUCKETS}",
                self.high.len()
            ));
        }
        // One past the last log bucket held.
        let low_end = self.low.first.checked_add(self.low.counts.len());
        if !self.low.counts.is_empty()
            && low_end.is_none_or(|end| end > bucket_of(self.threshold()))
        {
            return bad("log buckets above the threshold of the equal buckets".to_string());
        }
        if !self.high.is_empty()
            && (self.high_first < EXACT
                || self
                    .high_first
                    .checked_add(self.high.len() as u64 - 1)
                    .is_none_or(|last| last > u64::MAX >> self.shift))
        {
            return bad(
                "equal buckets below their threshold or past the largest value".to_string(),
            );
        }
        let total = self
            .low
            .counts
            .iter()
            .chain(&self.high)
            .try_fold(0u64, |total, &c| total.checked_add(c));
        if total != Some(n) {
            return bad(format!("the buckets do not count {n} values"));
        }
        if n == 0 {
            return match *self == Histogram::default() {
                true => Ok(()),
                false => bad("buckets of no values".to_string()),
            };
        }
        let mut buckets = self.buckets();
        let (first, last) = (buckets.next(), buckets.last());
        let last = last.or(first);
        let holds = |b: Option<(u64, u64, u64)>, v: u64| {
            b.is_some_and(|(lo, hi, _)| (lo..=hi).contains(&v))
        };
        if !holds(first, min) || !holds(last, max) {
            return bad(format!(
                "the first and last buckets do not hold the smallest and largest values \
                 ({min} and {max})"
            ));
        }
        if self.shift > 0 && self.narrower_fits(min, max) {
            return bad(format!(
                "buckets 2^{} wide where narrower ones fit",
                self.shift
            ));
        }
        Ok(())
    }

    /// Whether buckets half as wide would surely have fitted, by an upper
    /// bound on how many there would be (the buckets give the smallest
    /// value above the halved threshold only to within a bucket).
    fn narrower_fits(&self, min: u64, max: u64) -> bool {
        let shift = self.shift - 1;
        let threshold = EXACT << shift;
        let lowest_above = if min >= threshold {
            Some(min)
        } else {
            self.buckets()
                .find(|&(_, hi, _)| hi >= threshold)
                .map(|(lo, _, _)| lo.max(threshold))
        };
        match lowest_above {
            None => true,
            Some(bottom) => (max >> shift) - (bottom >> shift) < LINEAR_BUCKETS,
        }
    }
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
    fn log_buckets_tile_the_integers_with_bounded_width() {
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

    /// Narrow far from zero, spread over orders of magnitude, one outlier,
    /// constant, zeros, the top of the range, values that widen the buckets
    /// many times, and values straddling the threshold.
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
            (0..3000u64).map(|i| i * 7 % 5_000).collect(),
            vec![0, 1, u64::MAX, 300, 1 << 63, u64::MAX - 1, 1 << 62],
        ]
    }

    fn histogram(values: &[u64]) -> Histogram {
        let mut h = Histogram::default();
        values.iter().for_each(|&v| h.record(v));
        h
    }

    #[test]
    fn buckets_are_the_narrowest_that_fit_and_count_everything() {
        for values in datasets() {
            let h = histogram(&values);
            let (min, max) = (*values.iter().min().unwrap(), *values.iter().max().unwrap());
            assert_eq!(h.total(), values.len() as u64);
            assert_eq!(h.check(values.len() as u64, min, max), Ok(()));
            assert!(h.high.len() as u64 <= LINEAR_BUCKETS);
            // The shift is the smallest for which the values above its
            // threshold span at most LINEAR_BUCKETS equal buckets.
            let span = |shift: u32| {
                let above: Vec<u64> = values
                    .iter()
                    .copied()
                    .filter(|&v| v >= EXACT << shift)
                    .collect();
                match (above.iter().min(), above.iter().max()) {
                    (Some(lo), Some(hi)) => (hi >> shift) - (lo >> shift) + 1,
                    _ => 0,
                }
            };
            assert!(span(h.shift) <= LINEAR_BUCKETS);
            if h.shift > 0 {
                assert!(span(h.shift - 1) > LINEAR_BUCKETS);
            }
            for (lo, hi, n) in h.buckets() {
                let inside = values.iter().filter(|&&v| (lo..=hi).contains(&v)).count();
                assert_eq!(inside as u64, n);
                // Never wider than its log bucket, nor than the equal ones.
                let (log_lo, log_hi) = bucket_bounds(bucket_of(lo));
                assert!(hi - lo <= log_hi - log_lo && hi - lo < h.bucket_width());
            }
        }
    }

    #[test]
    fn merges_in_any_order_equal_one_histogram() {
        for values in datasets() {
            let whole = histogram(&values);
            let n = values.len();
            for cuts in [
                [n / 3, 2 * n / 3],
                [1, n - 1],
                [0, n / 2],
                [n / 7, n / 7 + 1],
            ] {
                let parts = [
                    histogram(&values[..cuts[0]]),
                    histogram(&values[cuts[0]..cuts[1]]),
                    histogram(&values[cuts[1]..]),
                ];
                for order in [[0, 1, 2], [2, 1, 0], [1, 0, 2], [1, 2, 0]] {
                    let mut merged = Histogram::default();
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
        let mut big = histogram(&[5]);
        big.low.counts[0] = u64::MAX;
        assert_eq!(big.merge(&histogram(&[5])), Err(Overflow));
        let mut big = histogram(&[5_000]);
        big.high[0] = u64::MAX;
        assert_eq!(big.merge(&histogram(&[5_000])), Err(Overflow));
    }

    #[test]
    fn edited_histograms_fail_their_check() {
        let values: Vec<u64> = (0..3000u64).map(|i| 5_400_000 + i * 7919 % 9_001).collect();
        let h = histogram(&values);
        let (n, min, max) = (3000, 5_400_000, *values.iter().max().unwrap());
        assert_eq!(h.check(n, min, max), Ok(()));
        let edits: [fn(&mut Histogram); 7] = [
            |h| h.shift += 1,
            |h| h.shift -= 1,
            |h| h.shift = 70,
            |h| h.high_first = 1 << 62,
            |h| h.high.push(1),
            |h| h.high[0] += 1,
            |h| h.low = histogram(&[3]).low,
        ];
        for (i, edit) in edits.iter().enumerate() {
            let mut edited = h.clone();
            edit(&mut edited);
            assert!(edited.check(n, min, max).is_err(), "edit {i} passed");
        }
    }

    mod merge_laws {
        //! Merging is associative and commutative and equals counting
        //! everything in one histogram, on random values of every
        //! magnitude: the state depends only on the values counted.

        use super::*;
        use proptest::prelude::*;
        use proptest::test_runner::{Config, RngSeed};

        /// Small exact values, narrow clusters far from zero (which fill
        /// the equal buckets), and anything up to `u64::MAX` (which widens
        /// them and moves them into the log buckets).
        fn value() -> impl Strategy<Value = u64> {
            prop_oneof![
                0u64..300,
                (0u32..50, 0u64..5_000).prop_map(|(octave, offset)| (3u64 << octave) + offset),
                (any::<u64>(), 0u32..64).prop_map(|(v, shift)| v >> shift),
                Just(u64::MAX),
            ]
        }

        fn merged(a: &Histogram, b: &Histogram) -> Histogram {
            let mut out = a.clone();
            out.merge(b).unwrap();
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
            fn merges_are_associative_commutative_and_equal_one_histogram(
                a in prop::collection::vec(value(), 0..200),
                b in prop::collection::vec(value(), 0..200),
                c in prop::collection::vec(value(), 0..200),
            ) {
                let (x, y, z) = (histogram(&a), histogram(&b), histogram(&c));
                let all: Vec<u64> = a.iter().chain(&b).chain(&c).copied().collect();
                let whole = histogram(&all);
                prop_assert_eq!(&merged(&merged(&x, &y), &z), &whole);
                prop_assert_eq!(&merged(&x, &merged(&y, &z)), &whole);
                prop_assert_eq!(&merged(&merged(&z, &x), &y), &whole);
                prop_assert_eq!(merged(&x, &y), merged(&y, &x));
                prop_assert_eq!(&merged(&Histogram::default(), &x), &x);
                prop_assert_eq!(&merged(&x, &Histogram::default()), &x);
                let mut reversed: Vec<u64> = all.clone();
                reversed.reverse();
                prop_assert_eq!(&histogram(&reversed), &whole);
                prop_assert_eq!(whole.total(), all.len() as u64);
                if let (Some(&min), Some(&max)) = (all.iter().min(), all.iter().max()) {
                    prop_assert_eq!(whole.check(all.len() as u64, min, max), Ok(()));
                }
            }
        }
    }
}
