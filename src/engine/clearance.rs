//! The aftermath on the map: each cell's duds meet people at a rate scaled
//! by the cell's exposure, and clearance teams search the cells in an
//! order, finding each UXO of a cell they search with a probability.
//!
//! Every dud's fate is drawn exactly under the model, in continuous time,
//! at a cost that does not grow with the number of steps per dud: the
//! causes that act on a dud by themselves (encounters at the cell's
//! intensity, degradation, clearance at a rate where no teams search) each
//! give it a time, drawn by inverting that cause's cumulative intensity;
//! most duds of a cell meet none of them within the horizon and are
//! handled together (one binomial per cell). The teams' search times are
//! known once their capacity and order are drawn; a dud is found at the
//! first search that finds it (each search independently, with the
//! detection probability). Its fate is the earliest of these times, and
//! the events are counted per step. See docs/model.md, "Clearance on the
//! map".
//!
//! The same draws give the replicate without clearance (common random
//! numbers): a dud met by a person before it degrades is met there too, so
//! the casualties clearance averted are exact per replicate.

use rand::{Rng, RngExt};

use super::aftermath::{AftermathDraws, intensity};
use super::outcome::{MapOutcome, SpatialOutcome, StepOutcome};
use super::replicate::Input;
use super::sampling::binomial::{BinomialChance, binomial_keeping_ln_1m};
use super::sampling::{CountSampler, ProbSampler};
use super::spatial::Grid;
use crate::scenario::{SearchOrder, Spatial};

// The maps are counted in groups of four (see `MapPlan::simulate`).
const _: () = assert!(crate::scenario::MAX_MAPS.is_multiple_of(4));

/// Replicates of the pilot run that ranks cells by expected UXO.
pub const PILOT_REPLICATES: u64 = 256;

/// Teams on the map, ready to sample.
#[derive(Debug, Clone)]
pub(crate) struct TeamsPlan {
    pub(crate) capacity_ha: ProbSampler,
    pub(crate) detection: ProbSampler,
    order: SearchOrder,
    passes: u32,
    /// The cells searched, in order (for a random order: the cells to
    /// shuffle in every replicate): those the pilot run found any UXO in.
    cells: Vec<u32>,
    /// Where each cell stands in an order that is the same in every
    /// replicate (`None` for a random order, arranged per replicate).
    fixed: Option<Arrangement>,
}

/// Where each cell stands in the teams' order, and the hectares searched
/// once each cell of it is done.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Arrangement {
    /// Each cell's position in the order (`u32::MAX`: not in it).
    position: Vec<u32>,
    /// Hectares searched once the k-th cell of the order is done.
    done_ha: Vec<f64>,
    /// Hectares of the whole order.
    total_ha: f64,
}

impl Arrangement {
    /// Arranges `order` over `cell_ha.len()` cells of `cell_ha` hectares,
    /// reusing this arrangement's buffers.
    fn arrange(&mut self, order: &[u32], cell_ha: &[f64]) {
        self.position.clear();
        self.position.resize(cell_ha.len(), u32::MAX);
        self.done_ha.clear();
        let mut total_ha = 0.0;
        for (k, &c) in order.iter().enumerate() {
            total_ha += cell_ha[c as usize];
            self.done_ha.push(total_ha);
            self.position[c as usize] = k as u32;
        }
        self.total_ha = total_ha;
    }
}

/// The aftermath of a scenario on its map.
#[derive(Debug, Clone)]
pub(crate) struct MapPlan {
    /// Exposure weight of each cell (mean 1 over the area); `None`: 1.
    weights: Option<Vec<f64>>,
    /// Area of each cell's part inside the area, in hectares.
    cell_ha: Vec<f64>,
    teams: Option<TeamsPlan>,
    /// Steps at which live UXO are mapped.
    maps_at: Vec<u32>,
    casualties_per_encounter: CountSampler,
}

/// The teams' inputs drawn once per replicate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TeamDraws {
    /// Hectares searched per rate unit.
    pub capacity_ha: f64,
    /// Probability that a search finds each UXO of the cell.
    pub detection: f64,
}

impl MapPlan {
    /// The map aftermath of `spatial` (with `grid`), or `None` when the
    /// scenario has neither exposure nor teams (the aftermath is then the
    /// same everywhere, and drawn for all duds at once).
    pub(crate) fn new(
        spatial: &Spatial,
        grid: &Grid,
        maps_at: &[u32],
        casualties_per_encounter: CountSampler,
    ) -> Option<Self> {
        if spatial.exposure.is_none() && spatial.teams.is_none() && maps_at.is_empty() {
            return None;
        }
        Some(MapPlan {
            weights: spatial.exposure.as_ref().map(|e| e.weights.clone()),
            cell_ha: (0..grid.cells())
                .map(|c| grid.cell_area_m2(c) / 10_000.0)
                .collect(),
            teams: spatial.teams.as_ref().map(|t| TeamsPlan {
                capacity_ha: ProbSampler::from_shape(t.capacity_ha.shape()),
                detection: ProbSampler::new(&t.detection),
                order: t.order,
                passes: t.passes,
                cells: Vec::new(),
                fixed: None,
            }),
            maps_at: maps_at.to_vec(),
            casualties_per_encounter,
        })
    }

    /// Whether the order of the search comes from expected UXO per cell
    /// (and so needs the pilot run).
    pub(crate) fn needs_pilot(&self) -> bool {
        self.teams.is_some()
    }

    /// Sets the cells the teams search, from the pilot run's UXO summed per
    /// cell: the cells holding any, in the scenario's order.
    pub(crate) fn set_order(&mut self, pilot_uxo: &[u64]) {
        let weight = |c: usize| self.weights.as_ref().map_or(1.0, |w| w[c]);
        let Some(teams) = &mut self.teams else {
            return;
        };
        let mut cells: Vec<u32> = (0..pilot_uxo.len() as u32)
            .filter(|&c| pilot_uxo[c as usize] > 0)
            .collect();
        let key = |c: u32| -> f64 {
            let c = c as usize;
            match teams.order {
                SearchOrder::Density => pilot_uxo[c] as f64,
                SearchOrder::Risk => pilot_uxo[c] as f64 * weight(c),
                SearchOrder::Exposure => weight(c),
                SearchOrder::Sweep | SearchOrder::Random => 0.0,
            }
        };
        if matches!(
            teams.order,
            SearchOrder::Density | SearchOrder::Risk | SearchOrder::Exposure
        ) {
            // Highest first; ties in cell order (row by row), so the order
            // is the same on every machine.
            cells.sort_by(|&a, &b| key(b).total_cmp(&key(a)).then(a.cmp(&b)));
        }
        teams.fixed = (teams.order != SearchOrder::Random).then(|| {
            let mut fixed = Arrangement::default();
            fixed.arrange(&cells, &self.cell_ha);
            fixed
        });
        teams.cells = cells;
    }

    /// The cells in the teams' order, for reports.
    pub(crate) fn order(&self) -> &[u32] {
        self.teams.as_ref().map_or(&[], |t| &t.cells)
    }

    /// Draws the teams' inputs of one replicate, except those `given` has
    /// a value for: they take it and consume no randomness.
    pub(crate) fn draw_given<R: Rng + ?Sized>(
        &self,
        rng: &mut R,
        given: &dyn Fn(Input) -> Option<f64>,
    ) -> Option<TeamDraws> {
        self.teams.as_ref().map(|t| {
            let capacity_ha =
                given(Input::TeamCapacity).unwrap_or_else(|| t.capacity_ha.sample(rng));
            let detection = given(Input::TeamDetection).unwrap_or_else(|| t.detection.sample(rng));
            TeamDraws {
                capacity_ha,
                detection,
            }
        })
    }

    /// Steps at which live UXO are mapped.
    pub(crate) fn maps_at(&self) -> &[u32] {
        &self.maps_at
    }

    /// The teams, if any search the map.
    pub(crate) fn teams(&self) -> Option<&TeamsPlan> {
        self.teams.as_ref()
    }
}

/// A time, and the step it falls in.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub(crate) struct When {
    /// In rate units since the strikes.
    time: f64,
    /// From 1; above the horizon: after it.
    step: u64,
}

/// What removes a dud.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cause {
    Cleared,
    Met,
    Degraded,
}

/// The cumulative encounter intensity of one replicate at average
/// exposure, and how to compare an encounter with another time.
struct Encounters {
    lambda0: f64,
    floor: f64,
    half_life: f64,
    /// ∫ λ_e up to the end of each step: `at_step[t]` for t = 0..=steps.
    at_step: Vec<f64>,
    /// A guide into `at_step` for [`Encounters::step_of`]: `guide[b]`
    /// counts the entries whose bucket is below `b`.
    guide: Vec<u32>,
    /// Buckets per unit of intensity (0 when there is no guide).
    per_unit: f64,
}

impl Encounters {
    fn new(
        draws: &AftermathDraws,
        delta: f64,
        steps: u64,
        (at_step, guide): (Vec<f64>, Vec<u32>),
    ) -> Self {
        let mut e = Encounters {
            lambda0: intensity(draws.encounter_rate),
            floor: if draws.encounter_half_life.is_finite() {
                draws.encounter_floor
            } else {
                1.0
            },
            half_life: draws.encounter_half_life,
            at_step,
            guide,
            per_unit: 0.0,
        };
        let mut at_step = std::mem::take(&mut e.at_step);
        at_step.clear();
        at_step.extend((0..=steps).map(|t| e.integral(t as f64 * delta)));
        e.at_step = at_step;
        e.build_guide();
        e
    }

    /// Two buckets per step over [0, ∫ λ_e to the horizon], so that a
    /// meeting's step is found by a short scan from its bucket's entry
    /// instead of a binary search over the steps.
    fn build_guide(&mut self) {
        self.guide.clear();
        let total = self.at_step.last().copied().unwrap_or(0.0);
        let buckets = 2 * self.at_step.len();
        self.per_unit = buckets as f64 / total;
        if !(total > 0.0 && self.per_unit.is_finite() && self.per_unit > 0.0) {
            self.per_unit = 0.0;
            return;
        }
        self.guide.resize(buckets + 1, 0);
        // The bucket of a value is monotone in it, so the entries of each
        // bucket follow those of the buckets below.
        for &v in &self.at_step {
            let b = self.bucket(v);
            self.guide[b + 1] += 1;
        }
        for b in 1..self.guide.len() {
            self.guide[b] += self.guide[b - 1];
        }
    }

    /// The bucket of intensity `x` (`x` ≥ 0, and the guide built).
    #[inline]
    fn bucket(&self, x: f64) -> usize {
        ((x * self.per_unit) as usize).min(self.guide.len() - 2)
    }

    /// ∫₀ˢ λ_e: λ0·(φ·s + (1 − φ)·(H/ln 2)·(1 − 2^(−s/H))).
    fn integral(&self, s: f64) -> f64 {
        if self.lambda0 == 0.0 || s <= 0.0 {
            return 0.0;
        }
        if self.lambda0.is_infinite() {
            return f64::INFINITY;
        }
        let falling = if self.floor < 1.0 {
            let ln2 = std::f64::consts::LN_2;
            (1.0 - self.floor) * (self.half_life / ln2) * -(-ln2 * s / self.half_life).exp_m1()
        } else {
            0.0
        };
        self.lambda0 * (self.floor * s + falling)
    }

    /// The step in which cumulative intensity `x` is reached (from 1), or
    /// `None` after the horizon.
    fn step_of(&self, x: f64) -> Option<u64> {
        let t = if self.per_unit > 0.0 && x >= 0.0 {
            // Every entry of a lower bucket is below x (the bucket is
            // monotone), so the first entry not below x is at or after
            // the guide's.
            let mut t = self.guide[self.bucket(x)] as usize;
            while t < self.at_step.len() && self.at_step[t] < x {
                t += 1;
            }
            t
        } else {
            self.at_step.partition_point(|&v| v < x)
        };
        (t < self.at_step.len()).then_some(t.max(1) as u64)
    }
}

/// A dud met by people: the cumulative intensity (at average exposure)
/// at which it is met, and the step.
#[derive(Debug, Clone, Copy)]
struct Meeting {
    level: f64,
    step: u64,
}

impl Meeting {
    /// Whether the meeting comes before `other`.
    fn before(&self, other: When, encounters: &Encounters) -> bool {
        if self.step != other.step {
            return self.step < other.step;
        }
        // Same step: compare the intensities accumulated at the two times.
        encounters.integral(other.time) > self.level
    }
}

impl When {
    /// `time`, in its step of `delta` rate units.
    #[inline]
    fn at(time: f64, delta: f64) -> Self {
        When {
            time,
            step: step_of_time(time, delta),
        }
    }
}

/// When the (m+1)-th search of a cell ends, in rate units: the teams start
/// at `start` and search `capacity` hectares per unit, pass after pass over
/// an order of `total_ha` hectares whose cells up to and including this
/// one hold `done_ha`. One formula for every pass, so that the passes the
/// schedule times and those it counts agree.
#[inline]
fn search_ends(start: f64, capacity: f64, m: u32, total_ha: f64, done_ha: f64) -> f64 {
    start + (f64::from(m) * total_ha + done_ha) / capacity
}

/// The step of a time in rate units (a time on a boundary ends its step):
/// `⌈time/delta⌉`, at least 1, without a libm call for the ceiling (baseline
/// x86-64 has no rounding instruction, and this runs for every search).
#[inline]
fn step_of_time(time: f64, delta: f64) -> u64 {
    const EXACT: f64 = (1u64 << 52) as f64;
    let q = time / delta;
    if q.is_nan() || q <= 1.0 {
        return 1;
    }
    if q >= EXACT {
        // Already whole (or infinite: saturates).
        return q as u64;
    }
    // Signed conversions: baseline x86-64 has no unsigned ones.
    let whole = q as i64;
    (whole + i64::from((whole as f64) < q)) as u64
}

/// The chances of a dud of a cell of exposure `w` (NaN: none yet).
struct CellChances {
    w: f64,
    /// Met by people within the horizon.
    p_met: f64,
    /// Reached by some cause within the horizon.
    p_any: f64,
    /// `ln(1 − p_any)` once a draw computed it (NaN until then).
    ln_1m_any: f64,
}

impl Default for CellChances {
    fn default() -> Self {
        CellChances {
            w: f64::NAN,
            p_met: 0.0,
            p_any: 0.0,
            ln_1m_any: f64::NAN,
        }
    }
}

/// What the map aftermath of one replicate counts, per step, and per cell.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Tallies {
    cleared: Vec<u64>,
    met: Vec<u64>,
    degraded: Vec<u64>,
    casualties: Vec<u64>,
    /// Differences of the live UXO in searched cells, per step.
    residual: Vec<i64>,
    /// Hectares first searched, per step.
    released: Vec<f64>,
}

impl Tallies {
    /// `slots` zeros in every tally, keeping the buffers.
    fn reset(&mut self, slots: usize) {
        for counts in [
            &mut self.cleared,
            &mut self.met,
            &mut self.degraded,
            &mut self.casualties,
        ] {
            counts.clear();
            counts.resize(slots, 0);
        }
        self.residual.clear();
        self.residual.resize(slots, 0);
        self.released.clear();
        self.released.resize(slots, 0.0);
    }
}

impl MapPlan {
    /// Evolves the duds of `grid` (and `outside` duds beyond the area:
    /// average exposure, never searched) over `steps` steps of `delta`
    /// rate units: the timeline and the map's own figures.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn simulate<R: Rng + ?Sized>(
        &self,
        draws: &AftermathDraws,
        teams: Option<&TeamDraws>,
        delta: f64,
        steps: u64,
        rng: &mut R,
        grid: &SpatialOutcome,
        timeline: &mut Vec<StepOutcome>,
        out: &mut MapOutcome,
    ) {
        let horizon = steps as f64 * delta;
        let encounters = Encounters::new(
            draws,
            delta,
            steps,
            (
                std::mem::take(&mut out.scratch),
                std::mem::take(&mut out.guide),
            ),
        );
        let met_by_horizon = encounters.at_step[steps as usize];
        let degradation = intensity(draws.degradation_rate);
        // Clearance at a rate, where no teams search.
        let (clear_from, clear_to) = (draws.clearance_start, draws.clearance_end.min(horizon));
        let clearance = if teams.is_none() && clear_to > clear_from {
            intensity(draws.clearance_rate)
        } else {
            0.0
        };
        let p_degraded = -(-degradation * horizon).exp_m1();
        let p_cleared = -(-clearance * (clear_to - clear_from)).exp_m1();

        let mut t = std::mem::take(&mut out.tallies);
        t.reset(steps as usize + 2);
        out.reset(self.maps_at.len());

        // The teams' schedule: where each cell stands in the order, and
        // when each pass over it ends.
        let mut arranged = std::mem::take(&mut out.arrangement);
        let mut timed = std::mem::take(&mut out.timed_searches);
        let mut searches_buf = std::mem::take(&mut out.searches);
        let schedule = teams.map(|d| {
            self.schedule(
                d,
                draws,
                horizon,
                rng,
                &mut arranged,
                &mut timed,
                out,
                &mut t.released,
                delta,
            )
        });
        let detection = teams.map_or(0.0, |d| d.detection);
        let mut finds = BinomialChance::with_buffer(detection, std::mem::take(&mut out.finds));
        // For the number of searches that miss a dud (geometric).
        let ln_miss = (1.0 - detection).ln();

        let mut maps_at = [0u64; crate::scenario::MAX_MAPS];
        for (to, &from) in maps_at.iter_mut().zip(&self.maps_at) {
            *to = u64::from(from);
        }
        // Padded with zeros (no step is at or before 0) to whole groups of
        // four: a dud's removal is counted against every map in a loop of
        // fixed length, whose end the processor predicts.
        let maps_at = &maps_at[..self.maps_at.len().next_multiple_of(4)];
        let mut averted = 0u64;
        let cells = grid
            .touched()
            .iter()
            .map(|&c| (Some(c as usize), u64::from(grid.counts[c as usize])));
        let outside = std::iter::once((None, grid.outside));
        // The chances of the last cell's exposure: neighbouring cells
        // often share it.
        let mut chances = CellChances::default();
        for (cell, n) in cells.chain(outside) {
            if n == 0 {
                continue;
            }
            let w = cell.map_or(1.0, |c| self.weights.as_ref().map_or(1.0, |w| w[c]));
            // This cell's searches, from the schedule.
            searches_buf.clear();
            if let (Some(s), Some(c)) = (&schedule, cell) {
                s.searches_of(c, &mut searches_buf);
            }
            let searches: &[When] = &searches_buf;
            if w != chances.w {
                let p_met = -(-w * met_by_horizon).exp_m1();
                let p_any = 1.0 - (1.0 - p_met) * (1.0 - p_degraded) * (1.0 - p_cleared);
                chances = CellChances {
                    w,
                    p_met,
                    p_any: p_any.clamp(0.0, 1.0),
                    ln_1m_any: f64::NAN,
                };
            }
            let p_met = chances.p_met;
            let with_events = binomial_keeping_ln_1m(rng, n, chances.p_any, &mut chances.ln_1m_any);
            let mut removed_by_map = [0u64; crate::scenario::MAX_MAPS];
            let mut removed_by_last_search = 0u64;
            let last_search = searches.last().copied();
            let mut record = |when: When, cause: Cause, count: u64, t: &mut Tallies| {
                if when.step > steps {
                    return;
                }
                let s = when.step as usize;
                match cause {
                    Cause::Cleared => t.cleared[s] += count,
                    Cause::Met => t.met[s] += count,
                    Cause::Degraded => t.degraded[s] += count,
                }
                // Without a branch: whether a removal precedes a map is
                // as good as random.
                for (removed, at) in removed_by_map
                    .chunks_exact_mut(4)
                    .zip(maps_at.chunks_exact(4))
                {
                    for (removed, &at) in removed.iter_mut().zip(at) {
                        *removed += count * u64::from(when.step <= at);
                    }
                }
                if let Some(first) = searches.first() {
                    t.residual[s.max(first.step as usize)] -= count as i64;
                }
                if last_search.is_some_and(|l| when.time <= l.time) {
                    removed_by_last_search += count;
                }
            };
            // Duds no cause reaches by itself within the horizon: only a
            // search can find them, each with the detection probability.
            let mut left = n - with_events;
            for &search in searches {
                let found = finds.sample(rng, left);
                left -= found;
                record(search, Cause::Cleared, found, &mut t);
            }
            // Duds some cause reaches: draw which, and when.
            for _ in 0..with_events {
                let (met, degrade, clear) = which_causes(rng, p_met, p_degraded, p_cleared);
                let meeting = met.then(|| {
                    let x = -(-rng.random::<f64>() * p_met).ln_1p() / w;
                    let step = encounters.step_of(x).unwrap_or(steps + 1);
                    Meeting { level: x, step }
                });
                let mut natural: Option<(When, Cause)> = None;
                let earliest = |when: When, cause: Cause, natural: &mut Option<(When, Cause)>| {
                    if natural.is_none_or(|(n, _)| when.time < n.time) {
                        *natural = Some((when, cause));
                    }
                };
                if degrade {
                    let time = -(-rng.random::<f64>() * p_degraded).ln_1p() / degradation;
                    earliest(When::at(time, delta), Cause::Degraded, &mut natural);
                }
                if clear {
                    let time = clear_from - (-rng.random::<f64>() * p_cleared).ln_1p() / clearance;
                    earliest(When::at(time, delta), Cause::Cleared, &mut natural);
                }
                // A meeting beats the other natural causes if it comes first.
                let meets_first =
                    meeting.is_some_and(|m| natural.is_none_or(|(n, _)| m.before(n, &encounters)));
                // Without clearance (no teams, no rate): met if people come
                // before degradation.
                let met_without_clearance = meeting.is_some_and(|m| {
                    natural
                        .filter(|&(_, c)| c == Cause::Degraded)
                        .is_none_or(|(n, _)| m.before(n, &encounters))
                });
                // The fate: the earliest of meeting, natural causes, search.
                let mut fate: Option<(When, Cause)> = if meets_first {
                    meeting.map(|m| {
                        (
                            When {
                                time: f64::NAN,
                                step: m.step,
                            },
                            Cause::Met,
                        )
                    })
                } else {
                    natural
                };
                if !searches.is_empty() && detection > 0.0 {
                    // Drawn whenever the cell is searched, so that what
                    // follows on the stream does not depend on the fate.
                    let u: Option<f64> = (detection < 1.0).then(|| rng.random());
                    let precedes = |search: When, fate: Option<(When, Cause)>| match fate {
                        None => true,
                        Some((_, Cause::Met)) => {
                            !meeting.is_some_and(|m| m.before(search, &encounters))
                        }
                        Some((n, _)) => search.time < n.time,
                    };
                    // Searches come in time order, so a fate before the
                    // first comes before any: then which search would find
                    // the dud does not matter.
                    if precedes(searches[0], fate) {
                        // Not negative: truncation is the floor.
                        let misses = u.map_or(0, |u| ((1.0 - u).ln() / ln_miss) as usize);
                        if let Some(&search) = searches.get(misses)
                            && precedes(search, fate)
                        {
                            fate = Some((search, Cause::Cleared));
                        }
                    }
                }
                let Some((when, cause)) = fate else {
                    continue;
                };
                let z = if met_without_clearance && meeting.is_some_and(|m| m.step <= steps) {
                    self.casualties_per_encounter.sample(rng)
                } else {
                    0
                };
                // A meeting's exact time is only needed against the last
                // search: compare as above.
                let when = if cause == Cause::Met {
                    let m = meeting.expect("a meeting");
                    let time = match last_search {
                        Some(l) if !m.before(l, &encounters) => l.time + 1.0,
                        _ => f64::NEG_INFINITY,
                    };
                    When { time, step: m.step }
                } else {
                    when
                };
                record(when, cause, 1, &mut t);
                if cause == Cause::Met && when.step <= steps {
                    t.casualties[when.step as usize] += z;
                } else {
                    averted += z;
                }
            }
            // What the cell holds at each mapped step, and after its last
            // search.
            if let Some(c) = cell {
                for (m, slot) in out.live_at.iter_mut().enumerate() {
                    let live = n - removed_by_map[m].min(n);
                    // Pushed, and taken back when none is live, without a
                    // branch: whether a cell still holds UXO is as good as
                    // random.
                    slot.push((c as u32, live as u32));
                    slot.truncate(slot.len() - usize::from(live == 0));
                }
                if let Some(first) = searches.first()
                    && first.step <= steps
                {
                    t.residual[first.step as usize] += n as i64;
                    if n > removed_by_last_search {
                        out.residual_cells.push(c as u32);
                    }
                }
            }
        }
        out.arrangement = arranged;
        out.finds = finds.into_buffer();
        out.searches = searches_buf;
        out.timed_searches = timed;

        // Per step, cumulative.
        let total = grid.in_area() + grid.outside;
        let mut now = StepOutcome {
            live: total,
            ..StepOutcome::default()
        };
        let (mut residual, mut released) = (0i64, 0.0);
        out.residual.clear();
        out.released_ha.clear();
        for s in 1..=steps as usize {
            now.cleared += t.cleared[s];
            now.encounters += t.met[s];
            now.casualties += t.casualties[s];
            now.live -= t.cleared[s] + t.met[s] + t.degraded[s];
            timeline.push(now);
            residual += t.residual[s];
            released += t.released[s];
            out.residual.push(residual.max(0) as u64);
            out.released_ha.push(released);
        }
        out.casualties_averted = averted;
        out.scratch = encounters.at_step;
        out.tallies = t;
        out.guide = encounters.guide;
    }

    /// When the teams search each cell in this replicate; adds the hectares
    /// first searched to `released` per step. A random order is drawn and
    /// arranged into `own`; a fixed one was arranged once for the run. The
    /// first two searches of each cell are timed here, in order, into
    /// `timed`.
    #[allow(clippy::too_many_arguments)]
    fn schedule<'a, R: Rng + ?Sized>(
        &'a self,
        d: &TeamDraws,
        draws: &AftermathDraws,
        horizon: f64,
        rng: &mut R,
        own: &'a mut Arrangement,
        timed: &'a mut [Vec<When>; 2],
        out: &mut MapOutcome,
        released: &mut [f64],
        delta: f64,
    ) -> Schedule<'a> {
        let teams = self.teams.as_ref().expect("a schedule needs teams");
        let mut shuffled = std::mem::take(&mut out.order);
        let (order, arrangement): (&[u32], &Arrangement) = match &teams.fixed {
            Some(fixed) => (&teams.cells, fixed),
            None => {
                shuffled.clear();
                shuffled.extend_from_slice(&teams.cells);
                // Fisher–Yates with the replicate's own stream.
                for i in (1..shuffled.len()).rev() {
                    let j = rng.random_range(0..=i);
                    shuffled.swap(i, j);
                }
                own.arrange(&shuffled, &self.cell_ha);
                (&shuffled, own)
            }
        };
        let end = draws.clearance_end.min(horizon);
        let start = draws.clearance_start;
        let capacity = d.capacity_ha;
        let done_ha = &arrangement.done_ha;
        let working = capacity > 0.0 && start < end;
        let total_ha = arrangement.total_ha;
        let ends = |m: u32, done: f64| search_ends(start, capacity, m, total_ha, done);
        // Cells searched at least once: those whose first search ends
        // before the teams stop.
        let first_pass = if working {
            done_ha.partition_point(|&done| ends(0, done) <= end)
        } else {
            0
        };
        // Timed in one pass over the order rather than cell by cell as
        // the cells come: the divisions overlap instead of waiting on each
        // other. Later passes are timed cell by cell.
        let [first, second] = timed;
        first.clear();
        first.extend(
            done_ha[..first_pass]
                .iter()
                .map(|&done| When::at(ends(0, done), delta)),
        );
        second.clear();
        if teams.passes > 1 {
            second.extend(
                done_ha[..first_pass]
                    .iter()
                    .map(|&done| ends(1, done))
                    .take_while(|&time| time <= end)
                    .map(|time| When::at(time, delta)),
            );
        }
        for (search, &c) in first.iter().zip(&order[..first_pass]) {
            let step = search.step as usize;
            if step < released.len() {
                released[step] += self.cell_ha[c as usize];
            }
        }
        out.searched_cells.extend_from_slice(&order[..first_pass]);
        out.order = shuffled;
        Schedule {
            arrangement,
            first,
            second,
            start,
            end,
            capacity,
            passes: teams.passes,
            delta,
        }
    }
}

/// The teams' searches of one replicate: a cell at position k of the
/// order is searched for the (m+1)-th time at
/// `start + (m·total + done_k) / capacity`, while that is before the end.
struct Schedule<'a> {
    arrangement: &'a Arrangement,
    /// The first search of each cell of the order searched at least once.
    first: &'a [When],
    /// The second, for the cells searched at least twice.
    second: &'a [When],
    start: f64,
    end: f64,
    capacity: f64,
    passes: u32,
    delta: f64,
}

impl Schedule<'_> {
    /// The search times of `cell`, into `buf`.
    #[inline]
    fn searches_of(&self, cell: usize, buf: &mut Vec<When>) {
        let k = self.arrangement.position[cell] as usize;
        let Some(&first) = self.first.get(k) else {
            return;
        };
        buf.push(first);
        let Some(&second) = self.second.get(k) else {
            return;
        };
        buf.push(second);
        let done = self.arrangement.done_ha[k];
        let total_ha = self.arrangement.total_ha;
        for m in 2..self.passes {
            let time = search_ends(self.start, self.capacity, m, total_ha, done);
            if time > self.end {
                break;
            }
            buf.push(When::at(time, self.delta));
        }
    }
}

/// Which of three independent causes, each reaching a dud within the
/// horizon with its probability, reach it, given that at least one does.
///
/// A cause that is the only one left possible reaches the dud whatever
/// its uniform: `1 − (1 − p)` may round above `p`, and a uniform close to 1
/// would otherwise pass the dud to a cause whose chance is 0.
fn which_causes<R: Rng + ?Sized>(rng: &mut R, p1: f64, p2: f64, p3: f64) -> (bool, bool, bool) {
    let any = 1.0 - (1.0 - p1) * (1.0 - p2) * (1.0 - p3);
    let first = rng.random::<f64>() * any < p1 || (p2 == 0.0 && p3 == 0.0);
    let second = if first {
        rng.random::<f64>() < p2
    } else {
        let rest = 1.0 - (1.0 - p2) * (1.0 - p3);
        rng.random::<f64>() * rest < p2 || p3 == 0.0
    };
    let third = if first || second {
        rng.random::<f64>() < p3
    } else {
        true
    };
    (first, second, third)
}

#[cfg(test)]
mod tests {
    use rand::RngExt;

    use super::{AftermathDraws, Encounters, step_of_time};
    use crate::engine::{Engine, ReplicateOutcome, RunSettings};
    use crate::scenario::ScenarioFile;

    /// How many standard errors an estimate may stray from its closed form.
    const Z: f64 = 5.0;

    /// A cause that is the only one possible reaches every dud some cause
    /// reaches, even where `1 − (1 − p)` rounds above `p` and the uniform
    /// is the largest one: such a dud was once called cleared (or degraded)
    /// at step 1 by a cause whose chance is 0.
    #[test]
    fn the_only_possible_cause_is_the_one_that_reaches() {
        use super::which_causes;
        use crate::engine::rng::Scripted;
        // The largest uniform, 1 − 2^-53.
        let top = u64::MAX;
        let rounds_up = |p: f64| 1.0 - (1.0 - p) > p;
        let p = (1..10_000)
            .map(|i| i as f64 * 1e-7)
            .find(|&p| rounds_up(p))
            .expect("a chance whose complement rounds");
        let mut rng = Scripted::new(vec![top; 3]);
        assert_eq!(
            which_causes(&mut rng, p, 0.0, 0.0),
            (true, false, false),
            "p={p}"
        );
        // The second cause alone, once the first has not come.
        let mut rng = Scripted::new(vec![top; 3]);
        assert_eq!(
            which_causes(&mut rng, 0.0, p, 0.0),
            (false, true, false),
            "p={p}"
        );
        // The third alone: reached whenever the others are not.
        let mut rng = Scripted::new(vec![top; 3]);
        assert_eq!(
            which_causes(&mut rng, 0.0, 0.0, p),
            (false, false, true),
            "p={p}"
        );
    }

    /// The step of a time is the ceiling of time over step length, at
    /// least 1, on and off the boundaries, far out and at the edges.
    #[test]
    fn the_step_of_a_time_is_its_ceiling() {
        let mut rng = crate::engine::rng::stream(5, 0, 0);
        let mut times = vec![
            0.0,
            -0.0,
            -3.0,
            1.0,
            12.0,
            12.000000000000002,
            11.999999999999998,
            4503599627370495.5,
            4503599627370496.0,
            1e300,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
        ];
        times.extend((0..100_000).map(|i| {
            let u: f64 = rng.random();
            if i % 2 == 0 {
                u * 200.0
            } else {
                (u * 200.0).round()
            }
        }));
        for delta in [1.0, 0.25, 1.0 / 3.0, 12.0, 30.4375] {
            for &time in &times {
                let ceiling = ((time / delta).ceil().max(1.0)) as u64;
                assert_eq!(step_of_time(time, delta), ceiling, "{time} / {delta}");
            }
        }
    }

    /// The guide finds the step a binary search finds, for falling and
    /// constant hazards, at the steps' ends, between them and beyond.
    #[test]
    fn the_guide_finds_the_step_a_search_finds() {
        let mut rng = crate::engine::rng::stream(6, 0, 0);
        for (half_life, floor, steps) in [
            (2.0, 0.01, 120),
            (0.3, 0.001, 400),
            (f64::INFINITY, 1.0, 36),
            (5.0, 0.5, 1),
        ] {
            let draws = AftermathDraws {
                encounter_rate: 0.01,
                encounter_half_life: half_life,
                encounter_floor: floor,
                ..AftermathDraws::default()
            };
            let encounters = Encounters::new(&draws, 1.0, steps, (Vec::new(), Vec::new()));
            assert!(encounters.per_unit > 0.0);
            let total = encounters.at_step[steps as usize];
            let mut levels: Vec<f64> = encounters.at_step.clone();
            levels.extend(encounters.at_step.iter().map(|v| v.next_up()));
            levels.extend(encounters.at_step.iter().map(|v| v.next_down()));
            levels.extend((0..20_000).map(|_| rng.random::<f64>() * total * 1.01));
            for x in levels.into_iter().filter(|x| *x >= 0.0) {
                let t = encounters.at_step.partition_point(|&v| v < x);
                let searched = (t < encounters.at_step.len()).then_some(t.max(1) as u64);
                assert_eq!(encounters.step_of(x), searched, "level {x}");
            }
        }
    }

    /// A file with one scenario of `carriers` carriers of 100 submunitions
    /// that all fail (dud rate 1), aimed at the centre of a 1 km² area in
    /// 100 m cells with no miss and a 40 m footprint (every dud inside the
    /// area), followed for `steps` months with `aftermath`; `extra` adds
    /// scenario tables (exposure, clearance); `simulation` adds keys.
    fn file(
        carriers: u64,
        steps: u32,
        simulation: &str,
        aftermath: &str,
        extra: &str,
    ) -> ScenarioFile {
        let text = format!(
            "[simulation]\nsteps = {steps}\n{simulation}\n\
             [[munition]]\nid = \"X\"\nsubmunitions = 100\ndud_rate = 1.0\nfootprint_radius_m = 40\n\
             [[scenario]]\nname = \"s\"\n\
             strikes = [ {{ munition = \"X\", carriers = {carriers}, target = [300, 300, 700, 700], cep_m = 0 }} ]\n\
             [scenario.aftermath]\nrate_unit = \"month\"\n{aftermath}\n\
             [scenario.area]\nwidth_m = 1000\nheight_m = 1000\ncell_m = 100\n{extra}\n"
        );
        ScenarioFile::parse("test.toml", &text).unwrap_or_else(|e| panic!("{e}\n{text}"))
    }

    fn outcomes(file: &ScenarioFile, n: u64, seed: u64) -> Vec<ReplicateOutcome> {
        let engine = Engine::new(file, &RunSettings::from_file(file).with_seed(seed));
        (0..n)
            .map(|r| {
                let mut out = ReplicateOutcome::default();
                engine.simulate_replicate(0, r, &mut out);
                out
            })
            .collect()
    }

    fn mean_var(values: &[f64]) -> (f64, f64) {
        let n = values.len() as f64;
        let mean = values.iter().sum::<f64>() / n;
        (
            mean,
            values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0),
        )
    }

    fn assert_binomial(label: &str, values: &[f64], n: f64, p: f64) {
        let (m, v) = mean_var(values);
        let (mean, var) = (n * p, n * p * (1.0 - p));
        if var == 0.0 {
            assert!(
                values.iter().all(|&x| x == mean),
                "{label}: not always {mean}"
            );
            return;
        }
        let z = (m - mean) / (var / values.len() as f64).sqrt().max(1e-300);
        assert!(z.abs() <= Z, "{label}: mean {m} vs {mean} ({z:.2} SE)");
        // The sample variance's standard error, from the closed form's
        // fourth moment: (μ4 − σ⁴)/k with μ4 = nσ²(1 + 3(n−2)σ²/n)... the
        // normal approximation 2σ⁴/(k−1) suffices at these counts.
        let se = (2.0 * var * var / (values.len() as f64 - 1.0)).sqrt();
        let z = (v - var) / se;
        assert!(z.abs() <= Z, "{label}: variance {v} vs {var} ({z:.2} SE)");
    }

    #[test]
    fn on_a_uniform_map_without_teams_the_aftermath_keeps_its_law() {
        // Constant rates, clearance from month 6, degradation: live UXO at
        // month t are Binomial(U0, S(t)), encounters by t as in the
        // aspatial model's closed form. The map aftermath (drawn dud by dud
        // in continuous time) must agree.
        let aftermath = "clearance_start = 6\nclearance_rate = 0.05\nencounter_rate = 0.02\n\
                         degradation_rate = 0.01";
        let f = file(4, 24, "maps_at = [24]", aftermath, "");
        let outs = outcomes(&f, 3000, 1);
        assert!(
            outs.iter().all(|o| o.map.is_some()),
            "the aftermath ran on the map"
        );
        let u0 = 400.0;
        let l = |r: f64| -(-r).ln_1p();
        let (lc, le, lg) = (l(0.05), l(0.02), l(0.01));
        for t in [3usize, 6, 12, 24] {
            let (t, before) = (t as f64, (t as f64).min(6.0));
            let after = (t - 6.0).max(0.0);
            let survive = (-(le + lg) * t - lc * after).exp();
            let live: Vec<f64> = outs
                .iter()
                .map(|o| o.timeline[t as usize - 1].live as f64)
                .collect();
            assert_binomial(&format!("live at {t}"), &live, u0, survive);
            let met_before = le / (le + lg) * (1.0 - (-(le + lg) * before).exp());
            let at_start = (-(le + lg) * 6.0).exp();
            let met_after = if after > 0.0 {
                at_start * le / (le + lc + lg) * (1.0 - (-(le + lc + lg) * after).exp())
            } else {
                0.0
            };
            let met: Vec<f64> = outs
                .iter()
                .map(|o| o.timeline[t as usize - 1].encounters as f64)
                .collect();
            let p = met_before + met_after;
            let (m, _) = mean_var(&met);
            let se = (u0 * p * (1.0 - p) / met.len() as f64).sqrt();
            assert!(
                (m - u0 * p).abs() <= Z * se,
                "encounters by {t}: {m} vs {}",
                u0 * p
            );
        }
        // The map's live UXO at the last step add up to the timeline's.
        for o in &outs {
            let mapped: u64 = o.map.as_ref().unwrap().live_at[0]
                .iter()
                .map(|&(_, n)| u64::from(n))
                .sum();
            assert_eq!(mapped, o.timeline[23].live);
            assert_eq!(o.spatial.as_ref().unwrap().outside, 0);
        }
    }

    #[test]
    fn a_falling_hazard_on_the_map_integrates_exactly() {
        // No clearance, no degradation: encounters by t are
        // Binomial(U0, 1 − exp(−∫₀ᵗ λ_e)).
        let aftermath = "encounter_rate = 0.1\nencounter_half_life = 3\nencounter_floor = 0.1";
        let f = file(3, 12, "maps_at = [12]", aftermath, "");
        let outs = outcomes(&f, 3000, 2);
        let lambda0 = -(-0.1f64).ln_1p();
        for t in [1usize, 4, 12] {
            let s = t as f64;
            let ln2 = std::f64::consts::LN_2;
            let integral = lambda0 * (0.1 * s + 0.9 * 3.0 / ln2 * (1.0 - (-ln2 * s / 3.0).exp()));
            let met: Vec<f64> = outs
                .iter()
                .map(|o| o.timeline[t - 1].encounters as f64)
                .collect();
            assert_binomial(
                &format!("encounters by {t}"),
                &met,
                300.0,
                1.0 - (-integral).exp(),
            );
        }
    }

    #[test]
    fn a_perfect_search_leaves_nothing_and_passes_leave_their_share() {
        // No other cause; teams search the whole area within the first
        // month after clearance starts. With detection 1 and one pass,
        // nothing remains in searched cells; with detection p and k passes,
        // each UXO remains with (1 − p)^k.
        let aftermath = "clearance_start = 2";
        for (detection, passes) in [(1.0f64, 1u32), (0.6, 1), (0.6, 3), (0.3, 2)] {
            let teams = format!(
                "[scenario.clearance]\ncapacity_ha = 1e6\ndetection = {detection}\n\
                 order = \"sweep\"\npasses = {passes}"
            );
            let f = file(5, 6, "", aftermath, &teams);
            let outs = outcomes(&f, 2000, 3);
            let remains = (1.0 - detection).powi(passes as i32);
            let left: Vec<f64> = outs
                .iter()
                .map(|o| o.map.as_ref().unwrap().residual[2] as f64)
                .collect();
            assert_binomial(
                &format!("p {detection}, {passes} passes"),
                &left,
                500.0,
                remains,
            );
            for o in &outs {
                let m = o.map.as_ref().unwrap();
                // Before the search nothing is searched; after it, the
                // residual is the live UXO, all of them in searched cells.
                assert_eq!(m.residual[1], 0);
                assert_eq!(m.residual[5], o.timeline[5].live);
                assert_eq!(o.timeline[5].cleared + o.timeline[5].live, 500);
                if detection == 1.0 {
                    assert!(m.residual_cells.is_empty());
                }
            }
        }
    }

    #[test]
    fn exposure_in_one_cell_makes_every_encounter_there() {
        let dir = tempfile::tempdir().unwrap();
        // Exposure 1 in the cell from (400, 400) to (500, 500), 0 elsewhere.
        let mut grid = String::from("ncols 10\nnrows 10\nxllcorner 0\nyllcorner 0\ncellsize 100\n");
        for row_from_top in 0..10 {
            let row: Vec<&str> = (0..10)
                .map(|c| {
                    if c == 4 && row_from_top == 5 {
                        "1"
                    } else {
                        "0"
                    }
                })
                .collect();
            grid.push_str(&row.join(" "));
            grid.push('\n');
        }
        std::fs::write(dir.path().join("exposure.asc"), grid).unwrap();
        let path = dir.path().join("s.toml");
        let text = "[simulation]\nsteps = 12\nmaps_at = [12]\n\
             [[munition]]\nid = \"X\"\nsubmunitions = 100\ndud_rate = 1.0\nfootprint_radius_m = 200\n\
             [[scenario]]\nname = \"s\"\n\
             strikes = [ { munition = \"X\", carriers = 4, target = [450, 450, 450, 450], cep_m = 0 } ]\n\
             [scenario.aftermath]\nencounter_rate = 0.001\n\
             [scenario.area]\nwidth_m = 1000\nheight_m = 1000\ncell_m = 100\n\
             [scenario.exposure]\ngrid = \"exposure.asc\"\n";
        std::fs::write(&path, text).unwrap();
        let f = ScenarioFile::load(&path).unwrap();
        let hot = 4 * 10 + 4;
        assert_eq!(
            f.scenarios()[0]
                .spatial()
                .unwrap()
                .exposure()
                .unwrap()
                .weights()[hot],
            100.0
        );
        let outs = outcomes(&f, 300, 4);
        let mut met = 0;
        for o in &outs {
            let grid = o.spatial.as_ref().unwrap();
            let live: std::collections::HashMap<u32, u32> =
                o.map.as_ref().unwrap().live_at[0].iter().copied().collect();
            for &c in grid.touched() {
                let before = grid.counts[c as usize];
                let after = live.get(&c).copied().unwrap_or(0);
                if c as usize != hot {
                    assert_eq!(after, before, "cell {c} lost UXO without exposure");
                }
            }
            met += o.timeline[11].encounters;
        }
        assert!(met > 0, "the hot cell's UXO are met");
    }

    #[test]
    fn every_dud_is_accounted_for_in_every_replicate() {
        // Every cause at once: a falling encounter hazard over uneven
        // exposure, teams searching twice at random with imperfect
        // detection, and maps at three steps. Without degradation, cleared
        // + encountered + live = U0 at every step of every replicate, the
        // mapped cells hold exactly the live UXO (all duds fall inside the
        // area), and the UXO left in searched cells are among them.
        let dir = tempfile::tempdir().unwrap();
        let mut grid = String::from("ncols 10\nnrows 10\nxllcorner 0\nyllcorner 0\ncellsize 100\n");
        for row in 0..10 {
            let values: Vec<String> = (0..10)
                .map(|c| ((row * 7 + c * 3) % 10).to_string())
                .collect();
            grid.push_str(&values.join(" "));
            grid.push('\n');
        }
        std::fs::write(dir.path().join("exposure.asc"), grid).unwrap();
        let path = dir.path().join("s.toml");
        let text = "[simulation]\nsteps = 24\nmaps_at = [1, 6, 24]\n\
             [[munition]]\nid = \"X\"\nsubmunitions = 100\ndud_rate = { uniform = [0.2, 0.6] }\nfootprint_radius_m = 40\n\
             [[scenario]]\nname = \"s\"\n\
             strikes = [ { munition = \"X\", carriers = 6, target = [300, 300, 700, 700], cep_m = 20 } ]\n\
             [scenario.aftermath]\nrate_unit = \"month\"\nclearance_start = 3\n\
             encounter_rate = 0.05\nencounter_half_life = 2\nencounter_floor = 0.1\n\
             [scenario.area]\nwidth_m = 1000\nheight_m = 1000\ncell_m = 100\n\
             [scenario.exposure]\ngrid = \"exposure.asc\"\n\
             [scenario.clearance]\ncapacity_ha = { uniform = [5, 20] }\ndetection = 0.7\n\
             order = \"random\"\npasses = 2\n";
        std::fs::write(&path, text).unwrap();
        let f = ScenarioFile::load(&path).unwrap();
        let maps_at = [1usize, 6, 24];
        let mut cleared = 0;
        for o in outcomes(&f, 300, 5) {
            let map = o.map.as_ref().unwrap();
            for (t, step) in o.timeline.iter().enumerate() {
                assert_eq!(step.cleared + step.encounters + step.live, o.unexploded);
                assert!(map.residual[t] <= step.live);
                if t > 0 {
                    assert!(step.live <= o.timeline[t - 1].live);
                    assert!(map.released_ha[t] >= map.released_ha[t - 1]);
                }
            }
            for (k, &at) in maps_at.iter().enumerate() {
                let mapped: u64 = map.live_at[k].iter().map(|&(_, n)| u64::from(n)).sum();
                assert_eq!(mapped, o.timeline[at - 1].live, "month {at}");
            }
            for c in &map.residual_cells {
                assert!(map.searched_cells.contains(c));
            }
            cleared += o.timeline[23].cleared;
        }
        assert!(cleared > 0, "the teams find duds");
    }

    #[test]
    fn searching_by_risk_averts_more_than_at_random() {
        // Duds clustered on one side; people mostly on that side. The same
        // replicates (same seed, one scenario each) searched by risk and at
        // random: the paired difference of casualties averted is clearly
        // positive.
        let dir = tempfile::tempdir().unwrap();
        let mut grid = String::from("ncols 10\nnrows 10\nxllcorner 0\nyllcorner 0\ncellsize 100\n");
        for _ in 0..10 {
            let row: Vec<&str> = (0..10).map(|c| if c < 3 { "5" } else { "1" }).collect();
            grid.push_str(&row.join(" "));
            grid.push('\n');
        }
        std::fs::write(dir.path().join("exposure.asc"), grid).unwrap();
        let run = |order: &str| {
            let path = dir.path().join(format!("{order}.toml"));
            let text = format!(
                "[simulation]\nsteps = 24\n\
                 [[munition]]\nid = \"X\"\nsubmunitions = 100\ndud_rate = 0.5\nfootprint_radius_m = 100\n\
                 [[scenario]]\nname = \"s\"\n\
                 strikes = [ {{ munition = \"X\", carriers = 10, target = [100, 100, 300, 900], cep_m = 50 }},\n\
                             {{ munition = \"X\", carriers = 10, target = [500, 100, 900, 900], cep_m = 50 }} ]\n\
                 [scenario.aftermath]\nclearance_start = 1\nencounter_rate = 0.01\n\
                 [scenario.area]\nwidth_m = 1000\nheight_m = 1000\ncell_m = 100\n\
                 [scenario.exposure]\ngrid = \"exposure.asc\"\n\
                 [scenario.clearance]\ncapacity_ha = 4\ndetection = 0.8\norder = \"{order}\"\n"
            );
            std::fs::write(&path, text).unwrap();
            let f = ScenarioFile::load(&path).unwrap();
            outcomes(&f, 1500, 5)
        };
        let (risk, random) = (run("risk"), run("random"));
        let diffs: Vec<f64> = risk
            .iter()
            .zip(&random)
            .map(|(a, b)| {
                assert_eq!(a.unexploded, b.unexploded, "paired replicates");
                a.map.as_ref().unwrap().casualties_averted as f64
                    - b.map.as_ref().unwrap().casualties_averted as f64
            })
            .collect();
        let (m, v) = mean_var(&diffs);
        let se = (v / diffs.len() as f64).sqrt();
        assert!(m > Z * se, "risk averts {m} more than random, se {se}");
    }
}
