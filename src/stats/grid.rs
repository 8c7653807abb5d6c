//! Per-cell statistics of where duds lie: expected UXO per cell, the
//! probability that a cell holds at least one, and the contaminated area,
//! merged exactly.

use serde::{Deserialize, Serialize};

use super::{Accumulator, Overflow, Summary};
use crate::engine::SpatialOutcome;
use crate::engine::spatial::Grid;

/// How much land each cell of a grid covers, for the contaminated area.
///
/// A cell of the last column or row sticks out past the area's edge unless
/// the cell size divides the width or height, and only its part inside
/// counts. Areas are whole numbers of a unit of 10^`unit_exponent` m²,
/// chosen so that a whole cell is 10^6 to 10^7 units: sums stay exact
/// integers that merge exactly, areas measured in whole metres are counted
/// exactly, and any other is off by at most half a unit per cell.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CellAreas {
    pub columns: usize,
    pub rows: usize,
    /// The unit is 10^unit_exponent m².
    pub unit_exponent: i32,
    /// Units in a whole cell.
    pub whole: u64,
    /// Units in a cell of the last column (not the last row).
    pub last_column: u64,
    /// Units in a cell of the last row (not the last column).
    pub last_row: u64,
    /// Units in the cell of the last column and row.
    pub corner: u64,
}

impl CellAreas {
    /// The area of each cell of `grid` inside the area, in the whole units
    /// the contaminated area is counted in.
    pub fn of(grid: &Grid) -> Self {
        let exponent = Self::unit_exponent_for(grid.cell_m * grid.cell_m);
        let units = |cell: usize| Self::units_of(grid.cell_area_m2(cell), exponent);
        let (last_column, last_row) = (grid.columns - 1, (grid.rows - 1) * grid.columns);
        CellAreas {
            columns: grid.columns,
            rows: grid.rows,
            unit_exponent: exponent,
            whole: Self::units_of(grid.cell_m * grid.cell_m, exponent),
            last_column: units(last_column),
            last_row: units(last_row),
            corner: units(last_row + last_column),
        }
    }

    /// The unit's exponent for cells of `cell_m2` square metres: a whole
    /// cell is 10^6 to 10^7 units.
    pub fn unit_exponent_for(cell_m2: f64) -> i32 {
        cell_m2.log10().floor() as i32 - 6
    }

    /// `m2` square metres in whole units of 10^exponent m² (at least one:
    /// a cell inside the area is never empty).
    pub fn units_of(m2: f64, exponent: i32) -> u64 {
        // Multiplying or dividing by an exact power of ten keeps whole
        // square metres exact.
        let units = if exponent >= 0 {
            m2 / 10f64.powi(exponent)
        } else {
            m2 * 10f64.powi(-exponent)
        };
        (units.round() as u64).max(1)
    }

    /// Number of cells.
    pub fn cells(&self) -> usize {
        self.columns * self.rows
    }

    /// Whether every cell is whole (the cell size divides width and height).
    fn all_whole(&self) -> bool {
        self.last_column == self.whole && self.last_row == self.whole && self.corner == self.whole
    }

    /// Units in `cell`.
    #[inline]
    fn units(&self, cell: usize) -> u64 {
        let last_column = cell % self.columns == self.columns - 1;
        let last_row = cell >= (self.rows - 1) * self.columns;
        match (last_column, last_row) {
            (false, false) => self.whole,
            (true, false) => self.last_column,
            (false, true) => self.last_row,
            (true, true) => self.corner,
        }
    }

    /// The figures of a quantity counted in units, in square metres.
    pub fn to_m2(&self, summary: &Summary) -> Summary {
        let power = 10f64.powi(self.unit_exponent.abs());
        if self.unit_exponent >= 0 {
            summary.map(|v| v * power)
        } else {
            summary.map(|v| v / power)
        }
    }

    /// Square metres per unit.
    pub fn unit_m2(&self) -> f64 {
        10f64.powi(self.unit_exponent)
    }

    /// The contaminated area of one replicate, in square metres: the area
    /// of the cells holding at least one UXO, counted as the statistics
    /// count it (so that the mean over replicates is theirs).
    pub fn contaminated_m2(&self, outcome: &SpatialOutcome) -> f64 {
        let units: u64 = outcome
            .touched()
            .iter()
            .map(|&c| self.units(c as usize))
            .sum();
        let power = 10f64.powi(self.unit_exponent.abs());
        if self.unit_exponent >= 0 {
            units as f64 * power
        } else {
            units as f64 / power
        }
    }
}

/// Sums over replicates for every cell of a grid, plus the per-replicate
/// contaminated area and the duds that fell outside the area.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GridStats {
    /// UXO in each cell, summed over replicates.
    pub uxo: Vec<u64>,
    /// Replicates in which each cell held at least one UXO.
    pub hits: Vec<u32>,
    /// The area of the cells holding at least one UXO, per replicate, in
    /// the units of `areas`.
    pub contaminated_area: Accumulator,
    /// UXO outside the area, per replicate.
    pub outside: Accumulator,
    /// The grid and its cells' areas.
    pub areas: CellAreas,
}

impl GridStats {
    /// Empty statistics for a grid.
    pub fn new(areas: CellAreas) -> Self {
        GridStats {
            uxo: vec![0; areas.cells()],
            hits: vec![0; areas.cells()],
            areas,
            ..Default::default()
        }
    }

    /// Adds one replicate.
    pub fn record(&mut self, outcome: &SpatialOutcome) {
        for &cell in outcome.touched() {
            let cell = cell as usize;
            self.uxo[cell] += u64::from(outcome.counts[cell]);
            self.hits[cell] += 1;
        }
        let touched = outcome.touched();
        let area = if self.areas.all_whole() {
            touched.len() as u64 * self.areas.whole
        } else {
            touched.iter().map(|&c| self.areas.units(c as usize)).sum()
        };
        self.contaminated_area.record(area);
        self.outside.record(outcome.outside);
    }

    /// Checks what grid statistics read from a file claim to be: those of
    /// `n` replicates on the grid of `areas`, every per-cell count possible.
    pub fn check(&self, n: u64, areas: &CellAreas) -> Result<(), String> {
        if self.areas != *areas {
            return Err(format!(
                "cell areas of a {} x {} grid that differ from those of the scenario \
                 file's {} x {} grid",
                self.areas.columns, self.areas.rows, areas.columns, areas.rows
            ));
        }
        let cells = areas.cells();
        if self.uxo.len() != cells || self.hits.len() != cells {
            return Err(format!(
                "UXO for {} cells and hits for {}, where the grid has {cells} cells",
                self.uxo.len(),
                self.hits.len()
            ));
        }
        self.contaminated_area
            .check(n)
            .map_err(|e| format!("contaminated area: {e}"))?;
        self.outside
            .check(n)
            .map_err(|e| format!("UXO outside: {e}"))?;
        let mut area = 0u128;
        for (cell, (&uxo, &hits)) in self.uxo.iter().zip(&self.hits).enumerate() {
            // A cell holds UXO in at most every replicate, and at least one
            // UXO each time.
            if u64::from(hits) > n || u64::from(hits) > uxo || (uxo > 0 && hits == 0) {
                return Err(format!(
                    "cell {cell} holds {uxo} UXO in all, in {hits} of {n} replicates"
                ));
            }
            area += u128::from(hits) * u128::from(areas.units(cell));
        }
        if area != self.contaminated_area.sum() {
            return Err(
                "the cells' areas times their hits do not add up to the contaminated area"
                    .to_string(),
            );
        }
        Ok(())
    }

    /// UXO in the area, summed over cells and replicates.
    pub fn uxo_in_area(&self) -> u128 {
        self.uxo.iter().map(|&u| u128::from(u)).sum()
    }

    /// The contaminated area's figures, in square metres.
    pub fn contaminated_area_m2(&self) -> Summary {
        self.areas.to_m2(&self.contaminated_area.summary())
    }

    /// Adds another run's statistics of the same grid; `Err` if a sum
    /// would overflow.
    pub fn try_merge(&mut self, other: &GridStats) -> Result<(), Overflow> {
        for (mine, theirs) in self.uxo.iter_mut().zip(&other.uxo) {
            *mine = mine.checked_add(*theirs).ok_or(Overflow)?;
        }
        for (mine, theirs) in self.hits.iter_mut().zip(&other.hits) {
            *mine = mine.checked_add(*theirs).ok_or(Overflow)?;
        }
        self.contaminated_area.try_merge(&other.contaminated_area)?;
        self.outside.try_merge(&other.outside)
    }

    /// Expected UXO in each cell.
    pub fn mean_uxo(&self) -> Vec<f64> {
        let n = self.outside.count() as f64;
        self.uxo.iter().map(|&u| u as f64 / n).collect()
    }

    /// Probability that each cell holds at least one UXO.
    pub fn p_contaminated(&self) -> Vec<f64> {
        let n = self.outside.count() as f64;
        self.hits.iter().map(|&h| f64::from(h) / n).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Area;

    fn areas(width_m: f64, height_m: f64, cell_m: f64) -> CellAreas {
        CellAreas::of(&Grid::new(&Area::local(width_m, height_m, cell_m)))
    }

    #[test]
    fn edge_cells_count_their_part_inside_in_exact_units() {
        // 120 m x 130 m in 50 m cells: a whole cell is 2,500 m², the last
        // column 20 m wide, the last row 30 m high; units of 0.001 m².
        let a = areas(120.0, 130.0, 50.0);
        assert_eq!((a.columns, a.rows, a.unit_exponent), (3, 3, -3));
        assert_eq!(
            [a.whole, a.last_column, a.last_row, a.corner],
            [2_500_000, 1_000_000, 1_500_000, 600_000]
        );
        let summary = Summary {
            mean: (a.whole + a.corner) as f64,
            ..Summary::default()
        };
        assert_eq!(a.to_m2(&summary).mean, 3_100.0);
        // Kilometre cells: units of 1 m²; tiny cells: units of 10^-8 m².
        let a = areas(2_500.0, 1_000.0, 1_000.0);
        assert_eq!(
            (a.unit_exponent, a.whole, a.last_column),
            (0, 1_000_000, 500_000)
        );
        let a = areas(1.0, 1.0, 0.3);
        assert_eq!(
            (a.unit_exponent, a.whole, a.corner),
            (-8, 9_000_000, 1_000_000)
        );
        // Whole cells are recognised as such.
        assert!(areas(5_000.0, 5_000.0, 50.0).all_whole());
    }

    #[test]
    fn every_cell_has_its_own_units() {
        let a = areas(120.0, 130.0, 50.0);
        let units: Vec<u64> = (0..a.cells()).map(|c| a.units(c)).collect();
        let (w, c, r, k) = (a.whole, a.last_column, a.last_row, a.corner);
        assert_eq!(units, [w, w, c, w, w, c, r, r, k]);
    }

    mod merge_laws {
        //! Merging grid statistics is associative and commutative, and
        //! equals recording every replicate into one: on random grids,
        //! partial cells included, and random replicates.

        use super::*;
        use proptest::prelude::*;
        use proptest::test_runner::{Config, RngSeed};

        /// One replicate's UXO: (cell, count) for the cells it touched,
        /// a cell possibly more than once.
        type Replicate = Vec<(usize, u32)>;

        /// A grid, replicates on it, and each replicate's UXO outside.
        fn grid_and_replicates() -> impl Strategy<Value = (CellAreas, Vec<Replicate>, Vec<u64>)> {
            (1.0..400.0f64, 1.0..400.0f64, 10.0..120.0f64).prop_flat_map(|(w, h, cell)| {
                let a = areas(w, h, cell);
                let cells = a.cells();
                let replicate = prop::collection::vec((0..cells, 1u32..5), 0..12);
                (
                    Just(a),
                    prop::collection::vec(replicate, 0..30),
                    prop::collection::vec(0u64..50, 30),
                )
            })
        }

        fn recorded(areas: &CellAreas, replicates: &[Replicate], outside: &[u64]) -> GridStats {
            let mut stats = GridStats::new(areas.clone());
            let mut outcome = SpatialOutcome::new(areas.cells());
            for (uxo, &out) in replicates.iter().zip(outside) {
                outcome.clear();
                for &(cell, n) in uxo {
                    (0..n).for_each(|_| outcome.add(cell));
                }
                outcome.outside = out;
                stats.record(&outcome);
            }
            stats
        }

        fn merged(a: &GridStats, b: &GridStats) -> GridStats {
            let mut out = a.clone();
            out.try_merge(b).unwrap();
            out
        }

        proptest! {
            #![proptest_config(Config {
                cases: 64,
                rng_seed: RngSeed::Fixed(7),
                failure_persistence: None,
                ..Config::default()
            })]

            #[test]
            fn merges_are_associative_commutative_and_equal_one_run(
                (areas, replicates, outside) in grid_and_replicates(),
                cuts in (0.0..=1.0f64, 0.0..=1.0f64),
            ) {
                let n = replicates.len();
                let (a, b) = (cuts.0.min(cuts.1), cuts.0.max(cuts.1));
                let (a, b) = ((a * n as f64) as usize, (b * n as f64) as usize);
                let part = |range: std::ops::Range<usize>| {
                    recorded(&areas, &replicates[range.clone()], &outside[range])
                };
                let whole = part(0..n);
                let (x, y, z) = (part(0..a), part(a..b), part(b..n));
                prop_assert_eq!(&merged(&merged(&x, &y), &z), &whole);
                prop_assert_eq!(&merged(&x, &merged(&y, &z)), &whole);
                prop_assert_eq!(&merged(&merged(&z, &x), &y), &whole);
                prop_assert_eq!(merged(&x, &y), merged(&y, &x));
                prop_assert_eq!(&merged(&GridStats::new(areas.clone()), &whole), &whole);
                prop_assert_eq!(whole.check(n as u64, &areas), Ok(()));
            }
        }
    }
}
