//! Walker's alias method (Vose's construction): after O(m) set-up, draws
//! from a fixed distribution over m outcomes in O(1), one 64-bit random
//! word per draw.

use rand::Rng;

/// Rough costs in ns of building a table, per outcome, and of one draw
/// (medians of `benches/samplers.rs`), for samplers choosing between a
/// table and drawing one by one.
pub(crate) const BUILD_NS_PER_VALUE: f64 = 7.0;
pub(crate) const DRAW_NS: f64 = 5.0;

/// One column of the table: keep the column's own outcome when the low
/// word of the draw is below `threshold`, take `alias` otherwise.
#[derive(Debug, Clone, Copy)]
struct Column {
    threshold: u64,
    alias: u32,
}

/// A discrete distribution over `0..len()`, ready to sample.
///
/// A draw splits one `u64` by a 64×64-bit product into a column (high word)
/// and a uniform 64-bit fraction (low word). Outcome probabilities are
/// reproduced to within about `len() · 2^-64`, far below the f64 rounding of
/// any pmf they are built from.
#[derive(Debug, Clone, Default)]
pub struct AliasTable {
    columns: Vec<Column>,
}

impl AliasTable {
    /// The table of the distribution proportional to `weights` (finite,
    /// non-negative, with a positive sum, at most 2^32 of them).
    pub fn new(weights: &[f64]) -> Self {
        let mut table = AliasTable::default();
        table.rebuild(weights);
        table
    }

    /// Rebuilds the table for new weights, reusing its allocation.
    pub fn rebuild(&mut self, weights: &[f64]) {
        let m = weights.len();
        assert!(
            m > 0 && m <= u32::MAX as usize,
            "alias table over {m} outcomes"
        );
        let total: f64 = weights.iter().sum();
        assert!(
            total > 0.0 && total.is_finite(),
            "alias table weights sum to {total}"
        );
        let scale = m as f64 / total;
        // Each column holds its scaled probability (as f64 bits) until done.
        self.columns.clear();
        self.columns.extend(weights.iter().map(|w| Column {
            threshold: (w * scale).to_bits(),
            alias: 0,
        }));
        let scaled = |c: &Column| f64::from_bits(c.threshold);
        // Both work lists in one buffer: the small ones (below 1) from the
        // front, the large ones from the back.
        let mut stack = vec![0u32; m];
        let (mut small, mut large) = (0, 0);
        for (i, c) in self.columns.iter().enumerate() {
            if scaled(c) < 1.0 {
                stack[small] = i as u32;
                small += 1;
            } else {
                large += 1;
                stack[m - large] = i as u32;
            }
        }
        while small > 0 && large > 0 {
            small -= 1;
            let s = stack[small] as usize;
            let l = stack[m - large];
            let p = scaled(&self.columns[s]);
            self.columns[s] = Column {
                threshold: fraction_to_u64(p),
                alias: l,
            };
            let rest = (scaled(&self.columns[l as usize]) + p) - 1.0;
            self.columns[l as usize].threshold = rest.to_bits();
            if rest < 1.0 {
                large -= 1;
                stack[small] = l;
                small += 1;
            }
        }
        // What is left is full up to rounding: such a column keeps its own
        // outcome whatever the fraction.
        for &i in stack[..small].iter().chain(&stack[m - large..]) {
            self.columns[i as usize] = Column {
                threshold: u64::MAX,
                alias: i,
            };
        }
    }

    /// Number of outcomes.
    pub fn len(&self) -> usize {
        self.columns.len()
    }

    /// Whether the table has no outcome (only a default-constructed one).
    pub fn is_empty(&self) -> bool {
        self.columns.is_empty()
    }

    /// One draw: an outcome in `0..len()`.
    #[inline]
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> usize {
        let wide = u128::from(rng.next_u64()) * self.columns.len() as u128;
        let column = self.columns[(wide >> 64) as usize];
        if (wide as u64) < column.threshold {
            (wide >> 64) as usize
        } else {
            column.alias as usize
        }
    }
}

/// A fraction in [0, 1] as a threshold on a uniform u64.
#[inline]
fn fraction_to_u64(x: f64) -> u64 {
    // 2^64 · x, saturating at both ends (f64 → u64 casts saturate).
    (x * 18_446_744_073_709_551_616.0) as u64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::sampling::gof::chi_square_test;
    use rand::SeedableRng;
    use rand_xoshiro::Xoshiro256PlusPlus;

    #[test]
    fn alias_table_reproduces_its_weights() {
        let weights = [0.5, 0.0, 3.0, 1.0, 0.25, 7.0, 1e-3, 2.0];
        let total: f64 = weights.iter().sum();
        let table = AliasTable::new(&weights);
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(11);
        chi_square_test(
            "alias table",
            1_000_000,
            || table.sample(&mut rng) as u64,
            0,
            weights.len() as u64 - 1,
            |k| weights[k as usize] / total,
        );
    }

    #[test]
    fn alias_table_never_draws_a_zero_weight() {
        let table = AliasTable::new(&[0.0, 1.0, 0.0, 2.0, 0.0]);
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(12);
        for _ in 0..100_000 {
            let k = table.sample(&mut rng);
            assert!(k == 1 || k == 3, "drew {k}");
        }
    }
}
