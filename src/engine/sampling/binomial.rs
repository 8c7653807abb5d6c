//! Exact Binomial(n, p) draws when n and p change on every call.
//!
//! Nothing is set up ahead, so a draw costs the same whether the parameters
//! are new or not (the aftermath's chain of binomials changes both every call).
//! With `q = min(p, 1 − p)` (a draw for `p > 1/2` is `n − Bin(n, 1 − p)`,
//! and `1 − p` is exact in f64 there):
//!
//! - `n·q < INVERSION_MAX_MEAN`: inversion by sequential search from 0,
//!   about `n·q + 1` steps of the pmf recurrence;
//! - otherwise BTRS, Hörmann's transformed rejection with squeeze
//!   (W. Hörmann, "The generation of binomial random variates", J. Statist.
//!   Comput. Simul. 46, 1993), valid for `n·q ≥ 10`. The constants needed
//!   only when the squeeze fails (and the mode's pmf) are computed lazily.
//!
//! **Exactness.** No step approximates the distribution; the only errors
//! are f64 rounding in the pmf values the algorithms compare against
//! (relative errors around 1e-15). In particular, unlike a textbook BTRS or
//! BTPE, nothing loses precision as n grows up to 2^64 − 1:
//!
//! - a proposal is `⌊n·p⌋ + (an offset computed in f64)`, with `n·p` and
//!   the mode `⌊(n+1)·p⌋` computed exactly in 128-bit integer arithmetic
//!   from n = 2^32 up (below, the f64 product is exact to 1e-6 of a unit),
//!   so the low bits of a draw are never quantised by the rounding of
//!   `n·p` (rand_distr 0.6's BTPE draws only even numbers at n = 2^55 and
//!   only multiples of 16 at n = 2^62, measured);
//! - the acceptance test `f(k)/f(m)` is a product of at most 16 ratios of
//!   consecutive pmf values when k is that close to the mode (n < 2^32),
//!   else a difference of tabulated log-factorials (n < 1024, values below
//!   6,000), else Loader's saddle-point form of the pmf (C. Loader, "Fast
//!   and accurate computation of binomial probabilities", 2000), whose
//!   Stirling remainders and deviances `bd0` are each O(1) and computed
//!   from the exact difference `k − n·p`, instead of a difference of
//!   log-factorials of size `n·ln n` that cancels catastrophically for
//!   large n.

use rand::Rng;

use super::alias::{self, AliasTable};

/// Means `n·min(p, 1−p)` below this are drawn by inversion, the others by
/// BTRS (which needs at least 10). Chosen where the two cost the same on
/// the benchmarks of `benches/samplers.rs`.
pub const INVERSION_MAX_MEAN: f64 = 14.0;

/// One exact Binomial(n, p) draw, for any `n` and any `p` in [0, 1].
///
/// `p` outside [0, 1] is clamped (NaN counts as 0); a debug build panics
/// on either.
#[inline]
pub fn binomial<R: Rng + ?Sized>(rng: &mut R, n: u64, p: f64) -> u64 {
    binomial_from(rng, n, p, |p| zero_chance(n, ln_1m(p)))
}

/// One exact Binomial(n, p) draw when the caller knows `ln(1 − p)`, as
/// for a chance of leaving `p = 1 − e^(−Λ)`, where it is `−Λ`: the same
/// draws as [`binomial`] up to the rounding of that logarithm, without
/// computing it.
#[inline]
pub fn binomial_with_ln_1m<R: Rng + ?Sized>(rng: &mut R, n: u64, p: f64, ln_1m_p: f64) -> u64 {
    binomial_from(rng, n, p, |_| zero_chance(n, ln_1m_p))
}

/// One exact Binomial(n, p) draw that keeps the `ln(1 − p)` it computes
/// in `ln_1m_p` (NaN: not computed yet) for the next draw with the same
/// `p`, as for cells with the same chance: the same draws as [`binomial`].
#[inline]
pub fn binomial_keeping_ln_1m<R: Rng + ?Sized>(
    rng: &mut R,
    n: u64,
    p: f64,
    ln_1m_p: &mut f64,
) -> u64 {
    binomial_from(rng, n, p, |p| {
        if ln_1m_p.is_nan() {
            *ln_1m_p = ln_1m(p);
        }
        zero_chance(n, *ln_1m_p)
    })
}

/// Binomial(n, p) draws for one `p` and counts `n` that change from draw
/// to draw, as a search's finds cell by cell: the logarithm the inversion
/// needs is computed once, and its `(1 − q)^n` (`q = min(p, 1 − p)`) once
/// per small `n`, instead of on every draw. The same draws as [`binomial`]
/// with that `p`.
///
/// A small count drawn by inversion again and again also keeps the
/// distribution function the inversion walks through (see
/// [`BinomialChance::settle`]), so that a draw compares its uniform with a
/// row of values at once instead of stepping through the pmf one
/// unpredictable branch at a time.
#[derive(Debug, Clone)]
pub struct BinomialChance {
    p: f64,
    /// `q = min(p, 1 − p)`, as [`binomial`] computes it.
    low: f64,
    /// `ln(1 − q)`, as [`binomial`] computes it.
    ln_1m_low: f64,
    /// `(1 − q)^n` for n below [`BinomialChance::POWERS`], as the inversion
    /// computes it, once needed (NaN until then).
    powers: [f64; BinomialChance::POWERS],
    /// For each n below [`BinomialChance::POWERS`], a row of
    /// [`BinomialChance::ROW`] values: −∞, then the running sums of the
    /// inversion's pmf, then `+∞` in the slots the sums leave.
    rows: Vec<f64>,
    /// How many values of each row are sums (0: not built yet).
    row_len: [u8; BinomialChance::POWERS],
}

impl BinomialChance {
    /// Counts below this keep their `(1 − q)^n` and their row.
    const POWERS: usize = 64;
    /// Values held per row, compared [`BinomialChance::CHUNK`] at a time.
    const ROW: usize = 48;
    const CHUNK: usize = 16;
    /// How far a uniform must lie from a row's values for the comparison
    /// to settle the draw: far above the rounding of the sequential walk
    /// (under 2^-46 over 48 steps), so that both find the same value.
    const MARGIN: f64 = 1.0 / (1u64 << 40) as f64;

    /// Draws with chance `p` in [0, 1] (clamped; NaN counts as 0).
    pub fn new(p: f64) -> Self {
        let mut chance = BinomialChance {
            p: 0.0,
            low: 0.0,
            ln_1m_low: 0.0,
            powers: [f64::NAN; Self::POWERS],
            rows: Vec::new(),
            row_len: [0; Self::POWERS],
        };
        chance.reset(p);
        chance
    }

    /// [`BinomialChance::new`] keeping its rows in `buffer` (a buffer an
    /// earlier one gave back with [`BinomialChance::into_buffer`]), so that
    /// draws with a new chance in every replicate allocate nothing.
    pub fn with_buffer(p: f64, buffer: Vec<f64>) -> Self {
        let mut chance = BinomialChance::new(p);
        chance.rows = buffer;
        chance
    }

    /// The buffer of the rows, for the next [`BinomialChance::with_buffer`].
    pub fn into_buffer(self) -> Vec<f64> {
        self.rows
    }

    /// Draws with chance `p` from now on, keeping the buffers.
    fn reset(&mut self, p: f64) {
        let p = if p.is_nan() { 0.0 } else { p.clamp(0.0, 1.0) };
        self.p = p;
        self.low = if p > 0.5 { 1.0 - p } else { p };
        self.ln_1m_low = ln_1m(self.low);
        self.powers = [f64::NAN; Self::POWERS];
        self.row_len = [0; Self::POWERS];
    }

    /// One Binomial(n, p) draw.
    #[inline]
    pub fn sample<R: Rng + ?Sized>(&mut self, rng: &mut R, n: u64) -> u64 {
        let (p, low) = (self.p, self.low);
        if p > 0.0
            && p < 1.0
            && n > 0
            && (n as usize) < Self::POWERS
            && (n as f64) * low < INVERSION_MAX_MEAN
        {
            let k = self.inversion_by_row(rng, n);
            return if p > 0.5 { n - k } else { k };
        }
        let (ln_1m_low, powers) = (self.ln_1m_low, &mut self.powers);
        let mut power = move || Self::power(powers, ln_1m_low, n);
        if p > 0.5 && p < 1.0 && n > 0 {
            n - binomial_low(rng, n, 1.0 - p, power)
        } else {
            binomial_from(rng, n, p, move |_| power())
        }
    }

    /// `(1 − q)^n` from `ln(1 − q)`, kept in `powers` for small n.
    #[inline]
    fn power(powers: &mut [f64; Self::POWERS], ln_1m_low: f64, n: u64) -> f64 {
        match powers.get_mut(n as usize) {
            Some(cached) => {
                if cached.is_nan() {
                    *cached = zero_chance(n, ln_1m_low);
                }
                *cached
            }
            None => zero_chance(n, ln_1m_low),
        }
    }

    /// The inversion of Binomial(n, q) for `0 < n < POWERS`: the draw
    /// [`inversion`] makes, from the same uniforms.
    #[inline]
    fn inversion_by_row<R: Rng + ?Sized>(&mut self, rng: &mut R, n: u64) -> u64 {
        let u = unit_f64(rng);
        let i = n as usize;
        if self.row_len[i] == 0 {
            self.build_row(n);
        }
        let row = &self.rows[i * Self::ROW..(i + 1) * Self::ROW];
        match Self::settle(row, usize::from(self.row_len[i]), u) {
            Some(k) => k,
            None => {
                let f0 = self.powers[i];
                inversion_from_uniform(rng, n, self.low, || f0, u)
            }
        }
    }

    /// The value a uniform `u` falls on in a row of `len` running sums,
    /// when `u` lies clear of the sums around it; `None` when it lies
    /// within [`BinomialChance::MARGIN`] of one or past the row, where only
    /// the sequential walk's own rounding can tell.
    ///
    /// The walk settles on the first k with `u − f(0) − … − f(k−1) < f(k)`
    /// (each subtraction rounded), so on the first k whose running sum
    /// exceeds `u`, up to roundings far below the margin. The row starts
    /// with −∞, so that the sum below the first is read without a branch.
    #[inline]
    fn settle(row: &[f64], len: usize, u: f64) -> Option<u64> {
        // Values passed, the −∞ included, a chunk at a time without a
        // branch per value.
        let mut passed = 0;
        for chunk in row.chunks_exact(Self::CHUNK) {
            let here: usize = chunk.iter().map(|&sum| usize::from(u >= sum)).sum();
            passed += here;
            if here < Self::CHUNK {
                break;
            }
        }
        let k = passed - 1;
        if k >= len {
            return None;
        }
        (u + Self::MARGIN < row[k + 1] && u - Self::MARGIN >= row[k]).then_some(k as u64)
    }

    /// The running sums of the pmf the inversion of Binomial(n, q) walks
    /// through, computed as it computes them, up to the end of its
    /// support, a sum within the margin of 1, or the row's end.
    #[cold]
    fn build_row(&mut self, n: u64) {
        let i = n as usize;
        let mut f = Self::power(&mut self.powers, self.ln_1m_low, n);
        if self.rows.len() < Self::POWERS * Self::ROW {
            self.rows.resize(Self::POWERS * Self::ROW, f64::INFINITY);
        }
        let row = &mut self.rows[i * Self::ROW..(i + 1) * Self::ROW];
        row.fill(f64::INFINITY);
        row[0] = f64::NEG_INFINITY;
        let steps = PmfSteps::new(n, self.low);
        let mut sum = 0.0;
        let mut len = 0;
        for (k, slot) in row[1..].iter_mut().enumerate() {
            if f <= 0.0 {
                break;
            }
            sum += f;
            *slot = sum;
            len = k + 1;
            let next = k + 1;
            if sum >= 1.0 - Self::MARGIN || next as u64 > n {
                break;
            }
            f *= steps.ratio(next as u64);
        }
        // A row of no sums would be rebuilt on every draw: one NaN, which
        // no margin test passes, sends every draw to the walk instead.
        if len == 0 {
            row[1] = f64::NAN;
        }
        self.row_len[i] = len.max(1) as u8;
    }
}

/// `(1 − p)^n` from `ln(1 − p)`: the chance of no success, where the
/// inversion starts.
#[inline]
fn zero_chance(n: u64, ln_1m_p: f64) -> f64 {
    ((n as f64) * ln_1m_p).exp()
}

/// [`binomial`], with `(1 − p)^n` for the inversion of `p ≤ 1/2` from
/// `zero(p)` (a draw of `p > 1/2`, which inverts `1 − p`, computes it).
#[inline]
fn binomial_from<R: Rng + ?Sized>(
    rng: &mut R,
    n: u64,
    p: f64,
    zero: impl FnOnce(f64) -> f64,
) -> u64 {
    debug_assert!((0.0..=1.0).contains(&p), "binomial probability {p}");
    if n == 0 || p.is_nan() || p <= 0.0 {
        return 0;
    }
    if p >= 1.0 {
        return n;
    }
    if p > 0.5 {
        let q = 1.0 - p;
        n - binomial_low(rng, n, q, || zero_chance(n, ln_1m(q)))
    } else {
        binomial_low(rng, n, p, || zero(p))
    }
}

/// A draw with `0 < p ≤ 1/2`; `zero()` is `(1 − p)^n` if the inversion
/// needs it.
#[inline]
fn binomial_low<R: Rng + ?Sized>(rng: &mut R, n: u64, p: f64, zero: impl FnOnce() -> f64) -> u64 {
    if (n as f64) * p < INVERSION_MAX_MEAN {
        inversion_from(rng, n, p, zero)
    } else {
        btrs(rng, n, p)
    }
}

/// Binomial(n, p) draws for many draws with the same `n` and `p`: an alias
/// table of the pmf, one 64-bit word per draw.
///
/// The pmf is built outward from the mode by the ratio of consecutive
/// terms, relative to the mode's, and stops where a term falls below
/// 2^-64 of it: the alias table reproduces each probability only to
/// within about 2^-64 times the number of values anyway.
#[derive(Debug, Clone)]
pub struct BinomialTable {
    first: u64,
    table: AliasTable,
}

impl BinomialTable {
    /// Relative terms below this are left out.
    const CUTOFF: f64 = 1.0 / 18_446_744_073_709_551_616.0;

    /// The table of Binomial(n, p) for `0 < p < 1`, if it is worth building
    /// for `draws` draws: its values (those within about 9.4 standard
    /// deviations of the mode pass the cutoff) cost less to tabulate than
    /// the draws would cost one by one.
    pub fn for_draws(n: u64, p: f64, draws: u64) -> Option<Self> {
        if !(p > 0.0 && p < 1.0) || n >= u64::from(u32::MAX) {
            return None;
        }
        let sd = ((n as f64) * p * (1.0 - p)).sqrt();
        let values = (n as f64 + 1.0).min(19.0 * sd + 3.0);
        let cost =
            values * (PMF_NS_PER_VALUE + alias::BUILD_NS_PER_VALUE) + draws as f64 * alias::DRAW_NS;
        (cost < draws as f64 * DRAW_NS).then(|| Self::new(n, p))
    }

    fn new(n: u64, p: f64) -> Self {
        let r = p / (1.0 - p);
        let mode = (((n + 1) as f64) * p).floor().min(n as f64) as u64;
        // f(k+1)/f(k) = (n−k)/(k+1)·r.
        let mut above = Vec::new();
        let mut w = 1.0;
        let mut k = mode;
        while k < n {
            w *= (n - k) as f64 / (k + 1) as f64 * r;
            if w < Self::CUTOFF {
                break;
            }
            above.push(w);
            k += 1;
        }
        let mut below = Vec::new();
        let (mut w, mut k) = (1.0, mode);
        while k > 0 {
            w *= k as f64 / ((n - k + 1) as f64 * r);
            if w < Self::CUTOFF {
                break;
            }
            below.push(w);
            k -= 1;
        }
        let first = mode - below.len() as u64;
        let weights: Vec<f64> = below
            .iter()
            .rev()
            .copied()
            .chain(std::iter::once(1.0))
            .chain(above)
            .collect();
        BinomialTable {
            first,
            table: AliasTable::new(&weights),
        }
    }

    /// One draw.
    #[inline]
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> u64 {
        self.first + self.table.sample(rng) as u64
    }
}

/// Rough costs in ns (`benches/samplers.rs`) that, with the alias table's,
/// decide between a [`BinomialTable`] and draws one by one: a pmf term by
/// the ratio recurrence, and one draw by [`binomial`].
const PMF_NS_PER_VALUE: f64 = 5.0;
const DRAW_NS: f64 = 40.0;

/// A uniform double in [0, 1) with 53 random bits.
#[inline]
pub(crate) fn unit_f64<R: Rng + ?Sized>(rng: &mut R) -> f64 {
    ((rng.next_u64() >> 11) as i64) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// A uniform double in (0, 1): the midpoints of the 2^53 cells.
#[inline]
fn open_unit_f64<R: Rng + ?Sized>(rng: &mut R) -> f64 {
    (((rng.next_u64() >> 11) as i64) as f64 + 0.5) * (1.0 / (1u64 << 53) as f64)
}

/// Inversion by sequential search from 0, for `0 < p ≤ 1/2` and a small
/// mean `n·p` (its cost grows like `n·p`; valid for `n·p` below about 500,
/// where `(1−p)^n` does not underflow). Exposed for benchmarks and
/// tests; use [`binomial`]. The recurrence is
/// `f(k) = f(k−1)·((n+1)·r/k − r)` with `r = p/(1−p)`.
///
/// When rounding leaves `u` beyond the computed distribution function (the
/// pmf reaches 0 or k passes n, with probability around 1e-16) the draw
/// starts again with a new `u`: the result follows the computed pmf,
/// renormalised, rather than piling that mass on one value.
pub fn inversion<R: Rng + ?Sized>(rng: &mut R, n: u64, p: f64) -> u64 {
    inversion_from(rng, n, p, || zero_chance(n, ln_1m(p)))
}

/// [`inversion`] with `f(0) = (1 − p)^n` from `zero`, called only when a
/// draw is not settled without it.
///
/// `f(0) = (1 − p)^n = (1 + r)^(−n) ≥ 1 − n·r` (the tangent of a convex
/// function), so a `u` below that bound, less a margin far above the
/// rounding of either side, is a 0 whatever `f(0)` is: most draws of a
/// small mean end there without a logarithm or an exponential, and every
/// draw is the one the search would have made.
#[inline]
fn inversion_from<R: Rng + ?Sized>(rng: &mut R, n: u64, p: f64, zero: impl FnOnce() -> f64) -> u64 {
    let u = unit_f64(rng);
    inversion_from_uniform(rng, n, p, zero, u)
}

/// [`inversion_from`] with its first uniform `u` already drawn.
#[inline]
fn inversion_from_uniform<R: Rng + ?Sized>(
    rng: &mut R,
    n: u64,
    p: f64,
    zero: impl FnOnce() -> f64,
    mut u: f64,
) -> u64 {
    // f(0) = (1−p)^n must not underflow (it would loop forever).
    debug_assert!(p > 0.0 && p <= 0.5 && (n as f64) * p < 500.0);
    const MARGIN: f64 = 1.0 / (1u64 << 46) as f64;
    let steps = PmfSteps::new(n, p);
    let zero_below = 1.0 - (n as f64) * steps.r - MARGIN;
    if u < zero_below {
        return 0;
    }
    let f0 = zero();
    loop {
        let mut f = f0;
        let mut k = 0u64;
        let settled = loop {
            if u < f {
                break true;
            }
            u -= f;
            k += 1;
            f *= steps.ratio(k);
            if k > n || f <= 0.0 {
                break false;
            }
        };
        if settled {
            return k;
        }
        u = unit_f64(rng);
        if u < zero_below {
            return 0;
        }
    }
}

/// The inversion's pmf recurrence for Binomial(n, p), `0 < p ≤ 1/2`:
/// `f(k) = f(k−1)·((n+1)·r/k − r)` with `r = p/(1−p)`. One definition for
/// the walk and for the rows of [`BinomialChance`], whose values must be
/// the walk's.
#[derive(Debug, Clone, Copy)]
struct PmfSteps {
    r: f64,
    /// `(n + 1)·r`.
    g: f64,
}

impl PmfSteps {
    #[inline]
    fn new(n: u64, p: f64) -> Self {
        let r = p / (1.0 - p);
        PmfSteps {
            r,
            g: r * (n as f64 + 1.0),
        }
    }

    /// `f(k)/f(k−1)`, for `k ≥ 1`.
    #[inline]
    fn ratio(self, k: u64) -> f64 {
        let over_k = if k < 64 {
            self.g * INVERSE[k as usize]
        } else {
            self.g / k as f64
        };
        over_k - self.r
    }
}

/// 1/k for k < 64 (index 0 unused): a multiplication instead of a division
/// in the inversion loop.
const INVERSE: [f64; 64] = {
    let mut t = [0.0; 64];
    let mut k = 1;
    while k < 64 {
        t[k] = 1.0 / k as f64;
        k += 1;
    }
    t
};

/// `ln(1 − p)` for `0 ≤ p ≤ 1/2`: a short series for the small p of the
/// aftermath, else the logarithm of `w = 1 − p` rounded plus the exact
/// rest `δ = 1 − p − w` over `w` (both cheaper than libm's `log1p`).
#[inline]
fn ln_1m(p: f64) -> f64 {
    if p < 1.0 / 1024.0 {
        // −Σ p^j/j; the first term dropped, p^7/7, is below 2e-18·p.
        -p * (1.0 + p * (0.5 + p * (1.0 / 3.0 + p * (0.25 + p * (0.2 + p * (1.0 / 6.0))))))
    } else {
        // w is in [1/2, 1), so 1 − w is exact, and it lies within half an
        // ulp of w from p, so δ = (1 − w) − p is exact too (Sterbenz); then
        // ln(1 − p) = ln w + ln(1 + δ/w), and |δ/w| ≤ 2^-53 leaves only δ/w.
        let w = 1.0 - p;
        let delta = (1.0 - w) - p;
        w.ln() + delta / w
    }
}

/// `x·p` for a u64 (or u64 + 1) `x` and `0 < p ≤ 1/2`, exactly: the integer
/// part and the fraction (the fraction rounded to f64).
#[derive(Debug, Clone, Copy)]
struct ExactProduct {
    floor: u64,
    frac: f64,
}

impl ExactProduct {
    fn new(x: u128, p: f64) -> Self {
        debug_assert!(p > 0.0 && p <= 0.5);
        let bits = p.to_bits();
        let exponent = ((bits >> 52) & 0x7ff) as i32;
        let (mantissa, shift) = if exponent == 0 {
            (bits & ((1 << 52) - 1), 1074u32)
        } else {
            (
                (bits & ((1 << 52) - 1)) | (1 << 52),
                (1075 - exponent) as u32,
            )
        };
        // p = mantissa · 2^-shift with shift ≥ 53; x·mantissa < 2^118.
        let product = x * u128::from(mantissa);
        if shift >= 128 {
            return ExactProduct {
                floor: 0,
                frac: u128_to_f64(product) * pow2_neg(shift),
            };
        }
        let floor = (product >> shift) as u64;
        let rest = product & ((1u128 << shift) - 1);
        ExactProduct {
            floor,
            frac: u128_to_f64(rest) * pow2_neg(shift),
        }
    }

    fn to_f64(self) -> f64 {
        self.floor as f64 + self.frac
    }
}

/// A u128 as f64 (within one rounding of the nearest), without the
/// soft-float routine `as f64` calls.
#[inline]
fn u128_to_f64(x: u128) -> f64 {
    ((x >> 64) as u64) as f64 * 18_446_744_073_709_551_616.0 + (x as u64) as f64
}

/// 2^-s for 1 ≤ s ≤ 1074, exactly.
fn pow2_neg(s: u32) -> f64 {
    if s <= 1022 {
        f64::from_bits(u64::from(1023 - s) << 52)
    } else {
        f64::from_bits(1u64 << (1074 - s))
    }
}

/// BTRS for `0 < p ≤ 1/2` and `n·p ≥ 10` (outside that range its hat may
/// not dominate the pmf). Exposed for benchmarks and tests; use
/// [`binomial`].
pub fn btrs<R: Rng + ?Sized>(rng: &mut R, n: u64, p: f64) -> u64 {
    debug_assert!(p > 0.0 && p <= 0.5 && (n as f64) * p >= 10.0);
    // n·p = np.floor + np.frac; below 2^32 the f64 product is exact to
    // 1e-6 of a unit, above it the 128-bit one is used.
    let np = if n < SMALL_N {
        // Casts through i64 compile to single instructions.
        let x = (n as i64 as f64) * p;
        let floor = x as i64;
        ExactProduct {
            floor: floor as u64,
            frac: x - floor as f64,
        }
    } else {
        ExactProduct::new(u128::from(n), p)
    };
    let q = 1.0 - p;
    let spq = ((n as f64) * p * q).sqrt();
    let b = 1.15 + 2.53 * spq;
    let a = -0.0873 + 0.0248 * b + 0.01 * p;
    let two_a = 2.0 * a;
    let inv_b = 1.0 / b;
    let v_r = 0.92 - 4.2 * inv_b;
    // c = n·p + 1/2 = np.floor + c_frac; a proposal is np.floor + offset,
    // so the offset keeps its low bits whatever the size of n·p.
    let c_frac = np.frac + 0.5;
    // Needed only when the squeeze fails: computed then, once.
    let mut slow: Option<Slow> = None;
    loop {
        let u = unit_f64(rng) - 0.5;
        let v = open_unit_f64(rng);
        let us = 0.5 - u.abs();
        // −inf when us = 0: clamped, then rejected as out of range.
        let x = ((two_a / us + b) * u + c_frac).clamp(-4e18, 4e18);
        let Some(k) = np
            .floor
            .checked_add_signed(floor_i64(x))
            .filter(|&k| k <= n)
        else {
            continue;
        };
        if us >= 0.07 && v <= v_r {
            return k;
        }
        let slow = slow.get_or_insert_with(|| Slow::new(n, p, spq, inv_b));
        if slow.accepts(n, p, np, k, v * slow.alpha / (a / (us * us) + b)) {
            return k;
        }
    }
}

/// Below this n, `n·p` in f64 is exact enough and products of 16 pmf ratios
/// cannot overflow.
const SMALL_N: u64 = 1 << 32;

/// Up to this many factors, `f(k)/f(m)` is the product of the ratios of
/// consecutive pmf values (cheaper than two logarithms).
const EXPLICIT_MAX_STEPS: u64 = 16;

/// ⌊x⌋ for |x| < 2^62, without a call to libm's `floor`.
#[inline]
fn floor_i64(x: f64) -> i64 {
    let t = x as i64;
    t - i64::from((t as f64) > x)
}

/// BTRS's acceptance test `V·α/(a/us² + b) ≤ f(k)/f(m)` for the
/// Binomial(n, p) pmf `f` and its mode `m = ⌊(n+1)·p⌋`.
#[derive(Debug, Clone, Copy)]
struct Slow {
    alpha: f64,
    m: u64,
    /// p/q.
    r: f64,
    /// n·p·q.
    npq: f64,
    /// `ln f(m)` up to a term common to all k (NaN until needed).
    ln_f_mode: f64,
}

impl Slow {
    #[cold]
    fn new(n: u64, p: f64, spq: f64, inv_b: f64) -> Self {
        let m = if n < SMALL_N {
            ((n + 1) as i64 as f64 * p) as i64 as u64
        } else {
            ExactProduct::new(u128::from(n) + 1, p).floor
        };
        Slow {
            alpha: (2.83 + 5.1 * inv_b) * spq,
            m,
            r: p / (1.0 - p),
            npq: spq * spq,
            ln_f_mode: f64::NAN,
        }
    }

    /// Whether `f(k)/f(m) ≥ bound`.
    #[inline]
    fn accepts(&mut self, n: u64, p: f64, np: ExactProduct, k: u64, bound: f64) -> bool {
        let (m, r) = (self.m, self.r);
        if n < SMALL_N && k.abs_diff(m) <= EXPLICIT_MAX_STEPS {
            // f(i)/f(i−1) = (n−i+1)·r / i.
            // n < 2^32: exact through i64.
            let (n, k, m) = (n as i64, k as i64, m as i64);
            let (mut num, mut den) = (1.0, 1.0);
            if k > m {
                for i in m + 1..=k {
                    num *= (n - i + 1) as f64 * r;
                    den *= i as f64;
                }
            } else {
                for i in k + 1..=m {
                    num *= i as f64;
                    den *= (n - i + 1) as f64 * r;
                }
            }
            return bound * den <= num;
        }
        let lhs = bound.ln();
        // The squeeze of BTPE (V. Kachitvichyanukul and B. Schmeiser,
        // "Binomial random variate generation", CACM 31, 1988, step 5.2):
        // for d = |k − m| < npq/2 − 1, ln(f(k)/f(m)) lies within ρ of
        // −d²/(2npq); only a bound inside that band needs the pmf itself.
        let (d, npq) = (k.abs_diff(m) as f64, self.npq);
        if d < npq / 2.0 - 1.0 {
            let rho = (d / npq) * ((d * (d / 3.0 + 0.625) + 1.0 / 6.0) / npq + 0.5);
            let t = -d * d / (2.0 * npq);
            if lhs < t - rho {
                return true;
            }
            if lhs > t + rho {
                return false;
            }
        }
        self.log_accepts(n, p, np, k, lhs)
    }

    #[cold]
    fn log_accepts(&mut self, n: u64, p: f64, np: ExactProduct, k: u64, lhs: f64) -> bool {
        let m = self.m;
        if n < LN_FACTORIAL_LEN as u64 {
            // ln m! + ln (n−m)! − ln k! − ln (n−k)! + (k−m)·ln(p/q), from a
            // table (values below 6,000: no cancellation to speak of).
            let lf = ln_factorial_table();
            let h = lf[m as usize] + lf[(n - m) as usize];
            lhs <= h - lf[k as usize] - lf[(n - k) as usize] + (k as f64 - m as f64) * self.r.ln()
        } else {
            // Loader's form: every term O(1) whatever n.
            let ln_pmf = BinomialLnPmf::with_product(n, p, np);
            if self.ln_f_mode.is_nan() {
                self.ln_f_mode = ln_pmf.eval(m);
            }
            lhs <= ln_pmf.eval(k) - self.ln_f_mode
        }
    }
}

/// Size of the log-factorial table: every catalog munition's n fits.
const LN_FACTORIAL_LEN: usize = 1024;

/// `ln k!` for `k < LN_FACTORIAL_LEN`, each from Stirling's formula plus its
/// remainder [`stirlerr`] (relative error about 2e-16).
fn ln_factorial_table() -> &'static [f64; LN_FACTORIAL_LEN] {
    static TABLE: std::sync::LazyLock<Box<[f64; LN_FACTORIAL_LEN]>> =
        std::sync::LazyLock::new(|| {
            let mut t = Box::new([0.0; LN_FACTORIAL_LEN]);
            for (k, v) in t.iter_mut().enumerate().skip(2) {
                let x = k as f64;
                *v = stirlerr(k as u64) + (x + 0.5) * x.ln() - x + 0.5 * std::f64::consts::TAU.ln();
            }
            t
        });
    &TABLE
}

/// ln P(X = k) for X ~ Binomial(n, p), accurate to about 1e-15 absolute
/// for every n (Loader 2000).
#[derive(Debug, Clone, Copy)]
pub(crate) struct BinomialLnPmf {
    n: u64,
    p: f64,
    np: ExactProduct,
    np_f: f64,
    nq_f: f64,
}

impl BinomialLnPmf {
    /// For `0 < p ≤ 1/2` (`p` must be the smaller of p and 1 − p).
    #[cfg(test)]
    pub(crate) fn new(n: u64, p: f64) -> Self {
        Self::with_product(n, p, ExactProduct::new(u128::from(n), p))
    }

    fn with_product(n: u64, p: f64, np: ExactProduct) -> Self {
        let np_f = np.to_f64();
        BinomialLnPmf {
            n,
            p,
            np,
            np_f,
            nq_f: n as f64 - np_f,
        }
    }

    pub(crate) fn eval(&self, k: u64) -> f64 {
        let n = self.n;
        if k == 0 || k == n {
            // Rare in BTRS (P ≤ e^-10): the constant is computed here.
            let constant = stirlerr(n) - 0.5 * std::f64::consts::TAU.ln() + 0.5 * (n as f64).ln();
            let ln_f = if k == 0 {
                (n as f64) * (-self.p).ln_1p()
            } else {
                (n as f64) * self.p.ln()
            };
            return ln_f - constant;
        }
        // d = k − n·p, exactly up to the rounding of the fraction.
        let floor = self.np.floor;
        let d = if k >= floor {
            (k - floor) as f64
        } else {
            -((floor - k) as f64)
        } - self.np.frac;
        let kf = k as f64;
        let rest = (n - k) as f64;
        let deviance =
            bd0(kf, self.np_f, d, kf + self.np_f) + bd0(rest, self.nq_f, -d, rest + self.nq_f);
        -stirlerr(k) - stirlerr(n - k) - deviance - 0.5 * (kf * rest).ln()
    }

    /// ln P(X = k) itself (test support: `eval` omits a term common to all k).
    #[cfg(test)]
    pub(crate) fn ln_pmf(&self, k: u64) -> f64 {
        let n = self.n;
        let constant = stirlerr(n) - 0.5 * std::f64::consts::TAU.ln() + 0.5 * (n as f64).ln();
        self.eval(k) + constant
    }
}

/// Loader's deviance `x·ln(x/m) + m − x` for `x > 0`, `m > 0`, given
/// `diff = x − m` and `sum = x + m` computed without cancellation.
#[inline]
fn bd0(x: f64, m: f64, diff: f64, sum: f64) -> f64 {
    if diff.abs() < 0.1 * sum {
        // x·ln(x/m) + m − x = diff·v + 2x·v·Σ_{j≥1} v^(2j)/(2j+1), v = diff/sum;
        // with v² < 0.01 the terms after j = 8 are below 1e-18 of the first.
        let v = diff / sum;
        let w = v * v;
        let series = w
            * (1.0 / 3.0
                + w * (1.0 / 5.0
                    + w * (1.0 / 7.0
                        + w * (1.0 / 9.0
                            + w * (1.0 / 11.0
                                + w * (1.0 / 13.0 + w * (1.0 / 15.0 + w * (1.0 / 17.0))))))));
        diff * v + 2.0 * x * v * series
    } else {
        x * (x / m).ln() + m - x
    }
}

/// `ln k! − (k + ½)·ln k + k − ½·ln(2π)` for k ≥ 1 (the remainder of
/// Stirling's formula): exact values up to 15, the series above.
#[inline]
pub(crate) fn stirlerr(k: u64) -> f64 {
    // Computed with 40-digit arithmetic (mpmath); index 0 is unused.
    const TABLE: [f64; 16] = [
        0.0,
        0.08106146679532726,
        0.0413406959554093,
        0.02767792568499834,
        0.020790672103765093,
        0.016644691189821193,
        0.013876128823070748,
        0.01189670994589177,
        0.010411265261972096,
        0.009255462182712733,
        0.00833056343336287,
        0.007573675487951841,
        0.00694284010720953,
        0.006408994188004207,
        0.0059513701127588475,
        0.005554733551962801,
    ];
    const S0: f64 = 1.0 / 12.0;
    const S1: f64 = 1.0 / 360.0;
    const S2: f64 = 1.0 / 1260.0;
    const S3: f64 = 1.0 / 1680.0;
    const S4: f64 = 1.0 / 1188.0;
    if k < 16 {
        return TABLE[k as usize];
    }
    let x = k as f64;
    let inv = 1.0 / x;
    let inv2 = inv * inv;
    // Terms kept so that the first one dropped is below 1e-17 (Loader's cut-offs).
    let series = if k > 500 {
        S0 - S1 * inv2
    } else if k > 80 {
        S0 - (S1 - S2 * inv2) * inv2
    } else if k > 35 {
        S0 - (S1 - (S2 - S3 * inv2) * inv2) * inv2
    } else {
        S0 - (S1 - (S2 - (S3 - S4 * inv2) * inv2) * inv2) * inv2
    };
    series * inv
}

#[cfg(test)]
mod tests {
    //! Chi-square goodness of fit (significance 1e-3, fixed seeds) and
    //! moments against the exact pmf, over every range each algorithm serves.
    //!
    //! The tests can fail: `chi_square_rejects_biased_samplers` feeds the
    //! same harness a binomial with p off by 1% and a rounded normal
    //! approximation, and requires both to be rejected.

    use super::*;
    use crate::engine::rng::Scripted;
    use crate::engine::sampling::gof::{chi_square, chi_square_test, moment_test};
    use rand::SeedableRng;
    use rand_xoshiro::Xoshiro256PlusPlus;
    use statrs::distribution::{ContinuousCDF, Normal};
    use statrs::function::factorial::ln_binomial;

    const DRAWS: usize = 1_000_000;

    fn rng(seed: u64) -> Xoshiro256PlusPlus {
        Xoshiro256PlusPlus::seed_from_u64(seed)
    }

    /// The exact pmf: from statrs's log-binomial coefficients up to n = 10^6
    /// (independent of the code under test), from Loader's form above.
    fn reference_pmf(n: u64, p: f64) -> impl Fn(u64) -> f64 {
        let loader = BinomialLnPmf::new(n, p.min(1.0 - p));
        move |k: u64| {
            if n <= 1_000_000 {
                (ln_binomial(n, k) + k as f64 * p.ln() + (n - k) as f64 * (-p).ln_1p()).exp()
            } else if p <= 0.5 {
                loader.ln_pmf(k).exp()
            } else {
                loader.ln_pmf(n - k).exp()
            }
        }
    }

    /// The values holding all but a negligible part of the mass.
    fn support(n: u64, p: f64) -> (u64, u64) {
        let mean = n as f64 * p;
        let sd = (mean * (1.0 - p)).sqrt();
        let lo = (mean - 12.0 * sd - 5.0).floor().max(0.0) as u64;
        let hi = ((mean + 12.0 * sd + 40.0).ceil() as u64).min(n);
        (lo, hi)
    }

    /// Chi-square and moment tests of `draw` as a Binomial(n, p) sampler.
    fn check(seed: u64, n: u64, p: f64, mut draw: impl FnMut(&mut Xoshiro256PlusPlus) -> u64) {
        let name = format!("Binomial({n}, {p})");
        let mut rng = rng(seed);
        let draws: Vec<u64> = (0..DRAWS).map(|_| draw(&mut rng)).collect();
        assert!(draws.iter().all(|&k| k <= n), "{name}: a draw above n");
        let (lo, hi) = support(n, p);
        let result = chi_square(&draws, lo, hi, reference_pmf(n, p));
        assert!(
            result.passes(),
            "{name}: chi-square {:.1} > {:.1} ({} df, p = {:.2e})",
            result.statistic,
            result.critical,
            result.df,
            result.p_value
        );
        let (mean, var) = (n as f64 * p, n as f64 * p * (1.0 - p));
        let mu4 = var * (1.0 + 3.0 * (n as f64 - 2.0) * p * (1.0 - p));
        let values: Vec<f64> = draws.iter().map(|&k| k as f64).collect();
        moment_test(&name, &values, mean, var, mu4);
    }

    fn check_binomial(seed: u64, n: u64, p: f64) {
        check(seed, n, p, |rng| binomial(rng, n, p));
    }

    #[test]
    fn degenerate_parameters() {
        let mut r = rng(1);
        assert_eq!(binomial(&mut r, 0, 0.3), 0);
        assert_eq!(binomial(&mut r, 10, 0.0), 0);
        assert_eq!(binomial(&mut r, 10, 1.0), 10);
        assert_eq!(binomial(&mut r, u64::MAX, 1.0), u64::MAX);
        assert_eq!(binomial(&mut r, u64::MAX, 0.0), 0);
        assert_eq!(binomial(&mut r, 1, f64::MIN_POSITIVE), 0);
    }

    #[test]
    fn tiny_means_by_inversion() {
        check_binomial(10, 10, 0.01);
        check_binomial(11, 1000, 1e-4);
        check_binomial(12, 1_000_000_000, 1e-9);
        check_binomial(13, 25_000, 0.0004);
        check_binomial(14, 5, 0.3);
    }

    #[test]
    fn both_sides_of_the_inversion_btrs_boundary() {
        // Through the dispatcher, just below and at the threshold.
        let below = INVERSION_MAX_MEAN - 0.01;
        check_binomial(20, 120, below / 120.0);
        check_binomial(21, 120, INVERSION_MAX_MEAN / 120.0);
        check_binomial(22, 1_000_000, INVERSION_MAX_MEAN / 1e6);
        // Each algorithm on the other's side: BTRS at its lower limit
        // n·p = 10, inversion up to n·p = 20.
        check(23, 100, 0.1, |rng| btrs(rng, 100, 0.1));
        check(24, 1_000_000, 1e-5, |rng| btrs(rng, 1_000_000, 1e-5));
        check(25, 40, 0.5, |rng| inversion(rng, 40, 0.5));
        check(26, 2000, 0.01, |rng| inversion(rng, 2000, 0.01));
        // The smallest n BTRS serves, at p = 1/2.
        check(27, 20, 0.5, |rng| btrs(rng, 20, 0.5));
        check(28, 27, 0.5, |rng| binomial(rng, 27, 0.5));
        check(29, 28, 0.5, |rng| binomial(rng, 28, 0.5));
    }

    #[test]
    fn squeeze_band_of_large_means() {
        // BTRS proposals more than 16 from the mode and within npq/2 − 1
        // of it meet the squeeze: the leavers of the default scenario's
        // first clearance month, and a mean of 2,500.
        check_binomial(56, 25_000, 0.012);
        check_binomial(57, 5_000, 0.5);
        check_binomial(58, 3_000_000_000, 1e-6);
    }

    #[test]
    fn table_draws() {
        // The carriers of a strike: few, many and all duds; tiny rates.
        for (seed, n, p) in [
            (50, 72, 0.35),
            (51, 72, 0.0235),
            (52, 644, 0.27),
            (53, 1000, 0.999),
            (54, 5, 0.5),
            (55, 200_000, 1e-4),
        ] {
            let table = BinomialTable::new(n, p);
            check(seed, n, p, |rng| table.sample(rng));
        }
        // Worth it only for enough draws.
        assert!(BinomialTable::for_draws(72, 0.35, 1000).is_some());
        assert!(BinomialTable::for_draws(72, 0.35, 1).is_none());
        assert!(BinomialTable::for_draws(72, 0.0, 1000).is_none());
        assert!(BinomialTable::for_draws(72, 1.0, 1000).is_none());
    }

    #[test]
    fn p_near_one_half() {
        check_binomial(30, 1000, 0.5);
        check_binomial(31, 1001, 0.4999);
        check_binomial(32, 1001, 0.5001);
        check_binomial(33, 72, 0.5);
    }

    #[test]
    fn p_above_one_half() {
        check_binomial(40, 72, 0.65);
        check_binomial(41, 644, 0.95);
        check_binomial(42, 25_000, 0.9996);
        check_binomial(43, 1_000_000, 0.7);
        check_binomial(44, 10, 0.99);
    }

    #[test]
    fn engine_sizes() {
        check_binomial(50, 72, 0.35);
        check_binomial(51, 72, 0.0235);
        check_binomial(52, 644, 0.05);
        check_binomial(53, 25_000, 0.012);
        check_binomial(54, 1_000_000, 0.3);
        check_binomial(55, 1_000_000_000, 0.3);
        check_binomial(56, 1_000_000_000, 0.012);
    }

    #[test]
    fn chi_square_rejects_biased_samplers() {
        // p off by 1%.
        let mut r = rng(60);
        let biased: Vec<u64> = (0..DRAWS).map(|_| binomial(&mut r, 644, 0.0505)).collect();
        let (lo, hi) = support(644, 0.05);
        let result = chi_square(&biased, lo, hi, reference_pmf(644, 0.05));
        assert!(!result.passes(), "p + 1% not detected: {result:?}");
        // A rounded normal approximation.
        let normal = Normal::new(300.0, (300.0f64 * 0.988).sqrt()).unwrap();
        let approx: Vec<u64> = (0..DRAWS)
            .map(|i| {
                let u = (i as f64 + 0.5) / DRAWS as f64;
                normal.inverse_cdf(u).round() as u64
            })
            .collect();
        let (lo, hi) = support(25_000, 0.012);
        let result = chi_square(&approx, lo, hi, reference_pmf(25_000, 0.012));
        assert!(
            !result.passes(),
            "normal approximation not detected: {result:?}"
        );
    }

    #[test]
    fn loader_ln_pmf_matches_statrs_and_sums_to_one() {
        for &(n, p) in &[
            (72u64, 0.35),
            (644, 0.05),
            (25_000, 0.012),
            (1_000_000, 0.3),
        ] {
            let loader = BinomialLnPmf::new(n, p);
            let (lo, hi) = support(n, p);
            for k in lo..=hi {
                let exact = ln_binomial(n, k) + k as f64 * p.ln() + (n - k) as f64 * (-p).ln_1p();
                if exact > -700.0 {
                    let err = (loader.ln_pmf(k) - exact).abs();
                    assert!(
                        err < 1e-9 * exact.abs().max(1.0),
                        "n={n} p={p} k={k}: {err}"
                    );
                }
            }
        }
        // Normalisation where log-factorial differences would have lost
        // every digit: n = 2^36.
        let n = 1u64 << 36;
        let loader = BinomialLnPmf::new(n, 0.3);
        let (lo, hi) = support(n, 0.3);
        let total: f64 = (lo..=hi).map(|k| loader.ln_pmf(k).exp()).sum();
        assert!((total - 1.0).abs() < 1e-10, "sums to {total}");
    }

    /// n = 2^62 and just above 2^32: shape against the normal limit (the
    /// exact pmf differs from it by at most about 1e-5 there (skewness
    /// ≤ 1/sd), below what 10^6 draws resolve in 0.1-sd bins), moments, and
    /// the low bits of the draws, which an f64 computation of n·p + offset
    /// would quantise.
    #[test]
    fn huge_n_is_not_quantised() {
        let huge = 1u64 << 62;
        // Just above SMALL_N, where the 128-bit product takes over.
        let above = (1u64 << 33) + 12_345;
        for (seed, n, p) in [
            (70u64, huge, 0.3f64),
            (71, huge, 0.5),
            (72, huge, 1e-6),
            (73, huge, 0.9),
            (74, above, 0.3),
            (75, above, 0.001),
        ] {
            let mut r = rng(seed);
            let exact = ExactProduct::new(u128::from(n), p.min(1.0 - p));
            let mean_floor = if p <= 0.5 {
                exact.floor
            } else {
                n - exact.floor
            };
            let mean_frac = if p <= 0.5 { exact.frac } else { -exact.frac };
            let sd = (n as f64 * p * (1.0 - p)).sqrt();
            let draws: Vec<u64> = (0..DRAWS).map(|_| binomial(&mut r, n, p)).collect();
            // Deviations from the mean, exact in i128 then f64.
            let devs: Vec<f64> = draws
                .iter()
                .map(|&k| (i128::from(k) - i128::from(mean_floor)) as f64 - mean_frac)
                .collect();
            let var = sd * sd;
            moment_test(
                &format!("Binomial(2^62, {p})"),
                &devs,
                0.0,
                var,
                3.0 * var * var,
            );
            // Standardised shape in 0.1-sd bins, with the continuity correction.
            let normal = Normal::new(0.0, 1.0).unwrap();
            let edges: Vec<f64> = (-50..=50).map(|i| i as f64 / 10.0).collect();
            let cdf = |z: f64| normal.cdf(z);
            let mut expected = vec![cdf(edges[0]) * DRAWS as f64];
            for w in edges.windows(2) {
                expected.push((cdf(w[1]) - cdf(w[0])) * DRAWS as f64);
            }
            expected.push((1.0 - cdf(edges[edges.len() - 1])) * DRAWS as f64);
            let mut observed = vec![0u64; expected.len()];
            for d in &devs {
                observed[edges.partition_point(|&e| e <= (d + 0.5) / sd)] += 1;
            }
            let stat: f64 = observed
                .iter()
                .zip(&expected)
                .map(|(&o, &e)| (o as f64 - e).powi(2) / e)
                .sum();
            let df = expected.len() - 1;
            let critical = statrs::distribution::ChiSquared::new(df as f64)
                .unwrap()
                .inverse_cdf(1.0 - crate::engine::sampling::gof::SIGNIFICANCE);
            assert!(
                stat <= critical,
                "shape, n = {n}, p = {p}: {stat} > {critical}"
            );
            // Low 10 bits uniform (sd ≥ 2,900 ≫ 1,024 here, so they are).
            chi_square_test(
                &format!("low bits of Binomial({n}, {p})"),
                DRAWS,
                {
                    let mut it = draws.iter();
                    move || it.next().unwrap() % 1024
                },
                0,
                1023,
                |_| 1.0 / 1024.0,
            );
        }
    }

    #[test]
    fn largest_n_by_inversion() {
        // n·p ≈ 4.6 with n = 2^63.
        check_binomial(80, 1u64 << 63, 5e-19);
    }

    /// The draws that keep their logarithms or powers are the draws of
    /// `binomial` on the same stream, draw for draw, over chances on both
    /// sides of 1/2, counts past the kept powers, and both algorithms.
    #[test]
    fn draws_that_keep_their_logarithms_are_the_same_draws() {
        for p in [0.0, 1e-5, 0.02, 0.3, 0.45, 0.5, 0.6, 0.8, 0.95, 1.0] {
            let mut chance = BinomialChance::new(p);
            let mut kept = f64::NAN;
            let (mut a, mut b, mut c) = (
                Xoshiro256PlusPlus::seed_from_u64(9),
                Xoshiro256PlusPlus::seed_from_u64(9),
                Xoshiro256PlusPlus::seed_from_u64(9),
            );
            for i in 0..20_000u64 {
                let n = if i % 2 == 0 {
                    i / 2 % 70
                } else {
                    [0, 1, 7, 22, 63, 64, 200, 5_000][(i / 2 % 8) as usize] + i % 3
                };
                let plain = binomial(&mut a, n, p);
                assert_eq!(chance.sample(&mut b, n), plain, "p={p} n={n} draw {i}");
                assert_eq!(
                    binomial_keeping_ln_1m(&mut c, n, p, &mut kept),
                    plain,
                    "p={p} n={n} draw {i}"
                );
            }
        }
    }

    /// Every small count drawn through a kept row gives the draw of the
    /// sequential walk, for uniforms anywhere, on every running sum of the
    /// row, and a few units of 2^-53 to either side of it (where the row
    /// must hand the draw to the walk).
    #[test]
    fn rows_settle_every_draw_where_the_walk_does() {
        let word = |u: f64| ((u * (1u64 << 53) as f64) as u64) << 11;
        for p in [1e-3, 0.05, 0.2, 0.37, 0.5, 0.6, 0.8, 0.95, 0.999] {
            let mut chance = BinomialChance::new(p);
            for n in 1..BinomialChance::POWERS as u64 {
                let low = if p > 0.5 { 1.0 - p } else { p };
                if (n as f64) * low >= INVERSION_MAX_MEAN {
                    continue;
                }
                // Build the row with one draw, then aim at its sums.
                chance.sample(&mut Xoshiro256PlusPlus::seed_from_u64(n), n);
                let i = n as usize;
                let row =
                    chance.rows[i * BinomialChance::ROW..(i + 1) * BinomialChance::ROW].to_vec();
                let len = usize::from(chance.row_len[i]);
                let mut targets = vec![0.0, 0.5, 1.0 - 1e-16];
                for &sum in row[1..].iter().take(len).filter(|s| s.is_finite()) {
                    for ulps in -3i64..=3 {
                        targets.push(sum + ulps as f64 / (1u64 << 53) as f64);
                    }
                }
                for (j, &u) in targets
                    .iter()
                    .filter(|u| (0.0..1.0).contains(*u))
                    .enumerate()
                {
                    let script = || Scripted::new(vec![word(u), j as u64]);
                    let (mut a, mut b) = (script(), script());
                    let walked = binomial(&mut a, n, p);
                    assert_eq!(chance.sample(&mut b, n), walked, "p={p} n={n} u={u}");
                    // The same words consumed after the draw.
                    assert_eq!(a.next_u64(), b.next_u64(), "p={p} n={n} u={u}");
                }
            }
        }
    }

    #[test]
    fn ln_1m_matches_log1p() {
        for i in 0..=4000 {
            let p = 0.5 * 10f64.powf(-(i as f64) / 200.0);
            let (ours, libm) = (ln_1m(p), (-p).ln_1p());
            assert!(
                (ours - libm).abs() <= 2.0 * f64::EPSILON * libm.abs(),
                "p={p}: {ours} vs {libm}"
            );
        }
    }

    #[test]
    fn exact_product_is_exact() {
        let e = ExactProduct::new(3, 0.5);
        assert_eq!((e.floor, e.frac), (1, 0.5));
        let e = ExactProduct::new(u128::from(u64::MAX), 0.5);
        assert_eq!((e.floor, e.frac), (u64::MAX / 2, 0.5));
        // 0.1 is 0x1.999999999999ap-4: 10·0.1 is a hair above 1.
        let e = ExactProduct::new(10, 0.1);
        assert_eq!(e.floor, 1);
        assert!(e.frac > 0.0 && e.frac < 1e-15);
        let e = ExactProduct::new(1 << 62, 0.3);
        assert_eq!(e.floor, 1_383_505_805_528_216_320);
    }
}
