//! Statistics of the aftermath on the map: per step the land released and
//! the live UXO left in searched cells, per replicate the casualties
//! clearance averted, and per cell the live UXO at the mapped steps and the
//! chance that a searched cell still holds one. All integer sums, merged
//! exactly.

use serde::{Deserialize, Serialize};

use super::{Accumulator, Overflow};
use crate::engine::MapOutcome;

/// Sums over replicates of live UXO per cell at one mapped step.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveMap {
    /// The step mapped.
    pub step: u32,
    /// Live UXO in each cell, summed over replicates.
    pub uxo: Vec<u64>,
    /// Replicates in which each cell held at least one live UXO.
    pub hits: Vec<u32>,
}

/// What the aftermath on the map adds to a scenario's statistics.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MapStats {
    /// Whether teams search the map (the per-step series and the residual
    /// map are recorded only then).
    pub teams: bool,
    /// Per step: land searched at least once so far, in whole m².
    pub released_m2: Vec<Accumulator>,
    /// Per step: live UXO in cells already searched.
    pub residual: Vec<Accumulator>,
    /// Casualties clearance averted against the same replicate without it.
    pub casualties_averted: Accumulator,
    /// Live UXO per cell at each mapped step.
    pub live_at: Vec<LiveMap>,
    /// Replicates in which each cell was searched.
    pub searched: Vec<u32>,
    /// Replicates in which each cell still held a UXO after its last search.
    pub residual_hits: Vec<u32>,
}

impl MapStats {
    /// Empty statistics for `cells` cells, `steps` steps, the steps in
    /// `maps_at` mapped, with or without teams.
    pub fn new(cells: usize, steps: usize, maps_at: &[u32], teams: bool) -> Self {
        MapStats {
            teams,
            released_m2: if teams {
                vec![Accumulator::default(); steps]
            } else {
                Vec::new()
            },
            residual: if teams {
                vec![Accumulator::default(); steps]
            } else {
                Vec::new()
            },
            casualties_averted: Accumulator::default(),
            live_at: maps_at
                .iter()
                .map(|&step| LiveMap {
                    step,
                    uxo: vec![0; cells],
                    hits: vec![0; cells],
                })
                .collect(),
            searched: if teams { vec![0; cells] } else { Vec::new() },
            residual_hits: if teams { vec![0; cells] } else { Vec::new() },
        }
    }

    /// Adds one replicate.
    pub fn record(&mut self, outcome: &MapOutcome) {
        self.record_series(
            outcome.released_ha.len(),
            &outcome.released_ha,
            &outcome.residual,
        );
        self.record_cells(outcome);
    }

    /// Adds the per-step series of a batch of replicates, one after the
    /// other in `released_ha` and `residual` (`steps` values each), step by
    /// step: each step's accumulators are visited once per batch rather
    /// than once per replicate. Only with teams, as [`MapStats::record`].
    pub fn record_series(&mut self, steps: usize, released_ha: &[f64], residual: &[u64]) {
        if !self.teams || steps == 0 {
            return;
        }
        for (t, acc) in self.released_m2.iter_mut().enumerate().take(steps) {
            let step = released_ha.iter().skip(t).step_by(steps);
            acc.record_all(step.map(|&ha| (ha * 10_000.0).round() as u64));
        }
        for (t, acc) in self.residual.iter_mut().enumerate().take(steps) {
            acc.record_all(residual.iter().skip(t).step_by(steps).copied());
        }
    }

    /// Adds one replicate's figures other than its per-step series (which
    /// [`MapStats::record_series`] takes, a batch at a time).
    pub fn record_cells(&mut self, outcome: &MapOutcome) {
        if self.teams {
            for &c in &outcome.searched_cells {
                self.searched[c as usize] += 1;
            }
            for &c in &outcome.residual_cells {
                self.residual_hits[c as usize] += 1;
            }
        }
        self.casualties_averted.record(outcome.casualties_averted);
        for (map, cells) in self.live_at.iter_mut().zip(&outcome.live_at) {
            for &(c, live) in cells {
                map.uxo[c as usize] += u64::from(live);
                map.hits[c as usize] += 1;
            }
        }
    }

    /// Adds another run's statistics of the same map; `Err` if a sum
    /// would overflow.
    pub fn try_merge(&mut self, other: &MapStats) -> Result<(), Overflow> {
        for (mine, theirs) in self.released_m2.iter_mut().zip(&other.released_m2) {
            mine.try_merge(theirs)?;
        }
        for (mine, theirs) in self.residual.iter_mut().zip(&other.residual) {
            mine.try_merge(theirs)?;
        }
        self.casualties_averted
            .try_merge(&other.casualties_averted)?;
        for (mine, theirs) in self.live_at.iter_mut().zip(&other.live_at) {
            add_all(&mut mine.uxo, &theirs.uxo)?;
            add_all(&mut mine.hits, &theirs.hits)?;
        }
        add_all(&mut self.searched, &other.searched)?;
        add_all(&mut self.residual_hits, &other.residual_hits)
    }

    /// Checks what map statistics read from a file claim to be: those of
    /// `n` replicates with the shape of `expected`.
    pub fn check(&self, n: u64, expected: &MapStats) -> Result<(), String> {
        let shape = |s: &MapStats| {
            (
                s.teams,
                s.released_m2.len(),
                s.residual.len(),
                s.live_at
                    .iter()
                    .map(|m| (m.step, m.uxo.len(), m.hits.len()))
                    .collect::<Vec<_>>(),
                s.searched.len(),
                s.residual_hits.len(),
            )
        };
        if shape(self) != shape(expected) {
            return Err("map statistics of another shape than the scenario file's".to_string());
        }
        for acc in self.released_m2.iter().chain(&self.residual) {
            acc.check(n)?;
        }
        self.casualties_averted.check(n)?;
        for map in &self.live_at {
            for (&uxo, &hits) in map.uxo.iter().zip(&map.hits) {
                if u64::from(hits) > n || u64::from(hits) > uxo || (uxo > 0 && hits == 0) {
                    return Err(format!(
                        "live UXO map at step {}: impossible counts",
                        map.step
                    ));
                }
            }
        }
        for (&searched, &left) in self.searched.iter().zip(&self.residual_hits) {
            if u64::from(searched) > n || left > searched {
                return Err("residual map: impossible counts".to_string());
            }
        }
        Ok(())
    }

    /// Expected live UXO per cell at each mapped step, with the
    /// probability of at least one.
    pub fn live_maps(&self, replicates: u64) -> Vec<(u32, Vec<f64>, Vec<f64>)> {
        let n = replicates.max(1) as f64;
        self.live_at
            .iter()
            .map(|m| {
                (
                    m.step,
                    m.uxo.iter().map(|&u| u as f64 / n).collect(),
                    m.hits.iter().map(|&h| f64::from(h) / n).collect(),
                )
            })
            .collect()
    }

    /// For each cell, the probability that it still holds a UXO after its
    /// last search, given that it was searched (NaN where it never was).
    pub fn residual_risk(&self) -> Vec<f64> {
        self.searched
            .iter()
            .zip(&self.residual_hits)
            .map(|(&s, &r)| {
                if s == 0 {
                    f64::NAN
                } else {
                    f64::from(r) / f64::from(s)
                }
            })
            .collect()
    }
}

fn add_all<T: Copy + CheckedAdd>(mine: &mut [T], theirs: &[T]) -> Result<(), Overflow> {
    for (a, b) in mine.iter_mut().zip(theirs) {
        *a = a.checked(*b).ok_or(Overflow)?;
    }
    Ok(())
}

/// Addition that reports overflow, for the integer types of the sums.
trait CheckedAdd: Sized {
    fn checked(self, other: Self) -> Option<Self>;
}

impl CheckedAdd for u64 {
    fn checked(self, other: Self) -> Option<Self> {
        self.checked_add(other)
    }
}

impl CheckedAdd for u32 {
    fn checked(self, other: Self) -> Option<Self> {
        self.checked_add(other)
    }
}

#[cfg(test)]
mod tests {
    use super::MapStats;
    use crate::engine::MapOutcome;

    /// A batch's series recorded step by step, beside its cells one
    /// replicate at a time, give the statistics of recording each
    /// replicate whole.
    #[test]
    fn series_recorded_by_batch_equal_replicates_recorded_whole() {
        let steps = 5;
        let outcomes: Vec<MapOutcome> = (0..7u64)
            .map(|r| MapOutcome {
                live_at: vec![vec![(r as u32 % 3, 2)], vec![(4, r as u32)]],
                searched_cells: vec![1, 2 + r as u32 % 2],
                residual_cells: vec![2],
                residual: (0..steps).map(|t| (r * 7 + t * 3) % 11).collect(),
                released_ha: (0..steps).map(|t| (r + t) as f64 * 0.123_45).collect(),
                casualties_averted: r % 4,
                ..MapOutcome::default()
            })
            .collect();
        let mut whole = MapStats::new(6, steps as usize, &[2, 5], true);
        let mut batched = whole.clone();
        for o in &outcomes {
            whole.record(o);
            batched.record_cells(o);
        }
        let released: Vec<f64> = outcomes
            .iter()
            .flat_map(|o| o.released_ha.clone())
            .collect();
        let residual: Vec<u64> = outcomes.iter().flat_map(|o| o.residual.clone()).collect();
        batched.record_series(steps as usize, &released, &residual);
        assert_eq!(batched, whole);
        assert_eq!(whole.residual[0].count(), 7);
    }
}
