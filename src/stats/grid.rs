//! Per-cell statistics of where duds lie: expected UXO per cell and the
//! probability that a cell holds at least one, merged exactly.

use serde::{Deserialize, Serialize};

use super::{Accumulator, Overflow, SpatialOutcome};

/// Sums over replicates for every cell of a grid, plus the per-replicate
/// contaminated cell count and the duds that fell outside the area.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GridStats {
    /// UXO in each cell, summed over replicates.
    pub uxo: Vec<u64>,
    /// Replicates in which each cell held at least one UXO.
    pub hits: Vec<u32>,
    /// Cells holding at least one UXO, per replicate.
    pub contaminated_cells: Accumulator,
    /// UXO outside the area, per replicate.
    pub outside: Accumulator,
}

impl GridStats {
    /// Empty statistics for a grid of `cells` cells.
    pub fn new(cells: usize) -> Self {
        GridStats {
            uxo: vec![0; cells],
            hits: vec![0; cells],
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
        self.contaminated_cells
            .record(outcome.touched().len() as u64);
        self.outside.record(outcome.outside);
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
        self.contaminated_cells
            .try_merge(&other.contaminated_cells)?;
        self.outside.try_merge(&other.outside)
    }

    /// Expected UXO in each cell.
    pub fn mean_uxo(&self) -> Vec<f64> {
        let n = self.contaminated_cells.count() as f64;
        self.uxo.iter().map(|&u| u as f64 / n).collect()
    }

    /// Probability that each cell holds at least one UXO.
    pub fn p_contaminated(&self) -> Vec<f64> {
        let n = self.contaminated_cells.count() as f64;
        self.hits.iter().map(|&h| f64::from(h) / n).collect()
    }
}
