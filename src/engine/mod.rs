//! The engine: samples replicates of every scenario of a file, in parallel,
//! into mergeable statistics.
//!
//! Replicates are processed in fixed-size chunks; each replicate of each
//! scenario draws from its own stream derived from (seed, replicate,
//! scenario) only, and the statistics merge exactly, so a run gives
//! bit-identical results whatever the thread count, and any replicate range
//! can be computed on its own and merged later.

mod aftermath;
mod clearance;
pub mod outcome;
pub mod posterior;
pub mod replicate;
pub mod rng;
pub mod sampling;
pub mod settings;
pub mod spatial;

use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

pub(crate) use replicate::Input;

pub use outcome::{MapOutcome, ReplicateOutcome, SpatialOutcome, StepOutcome};
pub use posterior::InputPosterior;
pub use replicate::{DudSampling, ScenarioPlan};
pub use settings::{MAX_SHARDS, MAX_THREADS, RunSettings, Shard};

use crate::error::{Error, Result};
use crate::scenario::ScenarioFile;

/// What the engine records replicates into: statistics that merge exactly,
/// so that how replicates are spread over workers does not change them.
pub trait Tally: Send {
    /// Records a batch of replicates of scenario `scenario`: everything
    /// but where their UXO lie.
    fn record_counts(&mut self, scenario: usize, outcomes: &[ReplicateOutcome]);
    /// Records what the strikes of a batch of replicates of scenario
    /// `scenario` left, without their timelines (which come step by step
    /// through [`Tally::record_step`]).
    fn record_strikes(&mut self, scenario: usize, outcomes: &[ReplicateOutcome]);
    /// Records step `t` (0-based) of `steps` of a batch of replicates of
    /// scenario `scenario`, one value per replicate.
    fn record_step(&mut self, scenario: usize, t: usize, steps: usize, values: &[StepOutcome]);
    /// Records where one replicate of scenario `scenario` left its UXO.
    fn record_grid(&mut self, scenario: usize, grid: &SpatialOutcome);
    /// Records what the aftermath on the map of one replicate of scenario
    /// `scenario` reports, except its per-step series.
    fn record_map(&mut self, scenario: usize, map: &MapOutcome);
    /// Records the per-step series of the aftermath on the map of a batch
    /// of replicates of scenario `scenario`: `steps` values per replicate,
    /// one replicate after the other.
    fn record_map_series(
        &mut self,
        scenario: usize,
        steps: usize,
        released_ha: &[f64],
        residual: &[u64],
    );
    /// Adds another tally of the same scenarios over other replicates.
    fn merge(&mut self, other: &Self);
}

/// Replicates per unit of parallel work and of progress reporting (a worker
/// takes several at a time when nothing records replicates one by one).
/// Fixed, never derived from the thread count.
pub const CHUNK: u64 = 256;

/// Sees every replicate of a run as it is simulated, and receives their
/// records chunk by chunk (`--draws`): each chunk's records come replicate
/// by replicate and, within a replicate, scenario by scenario, so that
/// writing chunks in order writes the replicates in order.
pub(crate) trait Recorder: Sync {
    /// Blocks until chunk `chunk` (0-based in the run) may be simulated:
    /// a recorder that writes chunks in order holds only the chunks done
    /// ahead of the next one to write, and bounds them this way.
    fn admit(&self, chunk: u64);
    /// Appends the record of replicate `replicate` of scenario `scenario`
    /// to `out`, from its outcome (its grid, if any, not yet cleared).
    fn record(&self, scenario: usize, replicate: u64, outcome: &ReplicateOutcome, out: &mut String);
    /// The records of chunk `chunk`.
    fn chunk_done(&self, chunk: u64, records: String);
}

/// Chunks a worker takes at a time when nothing records replicates one by
/// one (see [`Engine::run`]).
const CHUNKS_PER_CLAIM: u64 = 4;

/// Most bytes of replicate outcomes a worker holds before recording them:
/// replicates with long timelines are recorded in batches smaller than a
/// chunk.
const BATCH_BYTES: usize = 8 << 20;

/// Everything needed to simulate replicates of one scenario file.
#[derive(Debug, Clone)]
pub struct Engine {
    seed: u64,
    plans: Vec<ScenarioPlan>,
    /// Most copies of the statistics held at once; `None`: one per worker.
    stat_copies: Option<usize>,
}

/// What one worker reuses from replicate to replicate.
#[derive(Default)]
struct Worker {
    /// Outcomes of the batch being simulated (only the first part may be
    /// in use).
    outcomes: Vec<ReplicateOutcome>,
    /// One grid per scenario with an area, recorded and cleared after
    /// every replicate.
    grids: Vec<Option<SpatialOutcome>>,
    /// Likewise, what the aftermath on the map reports.
    maps: Vec<Option<MapOutcome>>,
    /// With a recorder: the records of the chunk being simulated, per
    /// scenario and replicate.
    records: Vec<Vec<String>>,
    /// A batch whose aftermaths step side by side: their streams, their
    /// states, and one step of each.
    rngs: Vec<rng::StreamRng>,
    runs: Vec<replicate::AftermathRun>,
    step: Vec<StepOutcome>,
    /// With teams on the map: the per-step series of the batch being
    /// simulated, replicate after replicate (the plan's steps each),
    /// recorded with the batch.
    released_ha: Vec<f64>,
    residual: Vec<u64>,
}

impl Engine {
    /// Compiles every scenario of `file`, to be run with `settings`.
    pub fn new(file: &ScenarioFile, settings: &RunSettings) -> Self {
        Engine {
            seed: settings.seed(),
            plans: file
                .scenarios
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    let mut plan = ScenarioPlan::new(file, s);
                    plan.prepare(settings.seed(), i as u64);
                    plan
                })
                .collect(),
            stat_copies: None,
        }
    }

    /// The same engine drawing duds the given way (for checking the closed form).
    pub fn with_dud_sampling(mut self, dud_sampling: DudSampling) -> Self {
        self.plans = self
            .plans
            .into_iter()
            .map(|p| p.with_dud_sampling(dud_sampling))
            .collect();
        self
    }

    /// The same engine holding at most `copies` copies of the statistics
    /// while it runs (at least one; at most one per worker). Workers beyond
    /// that share a copy, taking turns to record: the results are the same,
    /// since statistics merge exactly in any order.
    pub fn with_stat_copies(mut self, copies: usize) -> Self {
        self.stat_copies = Some(copies.max(1));
        self
    }

    /// The compiled scenarios, in file order.
    pub fn plans(&self) -> &[ScenarioPlan] {
        &self.plans
    }

    /// The same engine drawing the inputs of `posterior` of scenario
    /// `scenario` jointly from its weighted sample instead of their priors
    /// (see [`InputPosterior`]: a replicate picks its particle on a stream of its own).
    pub fn with_posterior(mut self, scenario: usize, posterior: InputPosterior) -> Self {
        let plan = self.plans[scenario].clone();
        self.plans[scenario] = plan.with_posterior(Arc::new(posterior));
        self
    }

    /// Simulates replicate `replicate` of scenario `scenario` into `out`.
    pub fn simulate_replicate(&self, scenario: usize, replicate: u64, out: &mut ReplicateOutcome) {
        let mut rng = self.simulate_before_aftermath(scenario, replicate, out);
        self.plans[scenario].finish_aftermath(&mut rng, out);
    }

    /// The inputs and strikes of replicate `replicate` of scenario
    /// `scenario` (its inputs drawn from the posterior, if the plan has
    /// one), and the stream its aftermath goes on with.
    fn simulate_before_aftermath(
        &self,
        scenario: usize,
        replicate: u64,
        out: &mut ReplicateOutcome,
    ) -> rng::StreamRng {
        let mut rng = rng::stream(self.seed, replicate, scenario as u64);
        let plan = &self.plans[scenario];
        match plan.posterior() {
            None => plan.simulate_before_aftermath(None, &mut rng, out),
            Some(p) => {
                let particle = p.pick(self.seed, replicate, scenario as u64);
                plan.simulate_before_aftermath(Some((p.inputs(), particle)), &mut rng, out);
            }
        }
        rng
    }

    /// Replicates of scenario `scenario` recorded together: a whole chunk
    /// unless their timelines are long.
    pub fn batch_len(&self, scenario: usize) -> usize {
        let per_replicate = std::mem::size_of::<ReplicateOutcome>()
            + self.plans[scenario].steps() * std::mem::size_of::<StepOutcome>();
        (BATCH_BYTES / per_replicate).clamp(1, CHUNK as usize)
    }

    /// Simulates the replicates in `replicates` on the current rayon pool,
    /// calling `progress` with the number of replicates each finished piece
    /// of work held.
    ///
    /// Each worker takes chunks in turn, four at a time (one at a time for
    /// a recorder), and keeps one set of buffers; the statistics exist in
    /// at most one copy per worker (fewer if
    /// [`Engine::with_stat_copies`] says so), merged at the end.
    /// `empty` makes a tally with nothing recorded yet.
    pub fn run<T: Tally>(
        &self,
        replicates: Range<u64>,
        empty: &(dyn Fn() -> T + Sync),
        progress: &(dyn Fn(u64) + Sync),
    ) -> T {
        self.run_recorded(replicates, empty, progress, None)
    }

    /// As [`Engine::run`], handing every replicate to `recorder` too.
    pub(crate) fn run_recorded<T: Tally>(
        &self,
        replicates: Range<u64>,
        empty: &(dyn Fn() -> T + Sync),
        progress: &(dyn Fn(u64) + Sync),
        recorder: Option<&dyn Recorder>,
    ) -> T {
        let Range { start, end } = replicates;
        let chunks = end.saturating_sub(start).div_ceil(CHUNK);
        let workers = rayon::current_num_threads().max(1);
        let copies = self.stat_copies.unwrap_or(workers).clamp(1, workers);
        let slots: Vec<Mutex<Option<T>>> = (0..copies).map(|_| Mutex::new(None)).collect();
        let next_chunk = AtomicU64::new(0);
        rayon::broadcast(|context| {
            let slot = &slots[context.index() % copies];
            let mut worker = Worker::default();
            // Without a recorder a worker takes several chunks at a time:
            // replicates stepped side by side are recorded step by step,
            // and the more of them a step's statistics take at once, the
            // fewer times those are fetched from memory.
            let claim = if recorder.is_none() {
                CHUNKS_PER_CLAIM
            } else {
                1
            };
            loop {
                let chunk = next_chunk.fetch_add(claim, Ordering::Relaxed);
                if chunk >= chunks {
                    break;
                }
                let lo = start + chunk * CHUNK;
                let hi = (lo + claim * CHUNK).min(end);
                if let Some(recorder) = recorder {
                    recorder.admit(chunk);
                    worker.records.resize_with(self.plans.len(), Vec::new);
                }
                for scenario in 0..self.plans.len() {
                    self.simulate_into(scenario, lo..hi, &mut worker, slot, empty, recorder);
                }
                if let Some(recorder) = recorder {
                    let mut text = String::new();
                    for offset in 0..(hi - lo) as usize {
                        for records in &worker.records {
                            text.push_str(&records[offset]);
                        }
                    }
                    recorder.chunk_done(chunk, text);
                }
                progress(hi - lo);
            }
        });
        let mut merged: Option<T> = None;
        for slot in slots {
            let Some(stats) = slot.into_inner().unwrap_or_else(PoisonError::into_inner) else {
                continue;
            };
            match &mut merged {
                Some(m) => m.merge(&stats),
                None => merged = Some(stats),
            }
        }
        merged.unwrap_or_else(empty)
    }

    /// Simulates replicates of one scenario and records them into the
    /// statistics in `slot`: each replicate's grid right after it is drawn,
    /// the counts batch by batch.
    fn simulate_into<T: Tally>(
        &self,
        scenario: usize,
        replicates: Range<u64>,
        worker: &mut Worker,
        slot: &Mutex<Option<T>>,
        empty: &(dyn Fn() -> T + Sync),
        recorder: Option<&dyn Recorder>,
    ) {
        let record = |f: &mut dyn FnMut(&mut T)| {
            let mut tally = slot.lock().unwrap_or_else(PoisonError::into_inner);
            f(tally.get_or_insert_with(empty));
        };
        if worker.grids.len() < self.plans.len() {
            worker.grids.resize_with(self.plans.len(), || None);
            worker.maps.resize_with(self.plans.len(), || None);
        }
        let together = recorder.is_none() && self.plans[scenario].steps_together();
        let batch = if together {
            replicates.end - replicates.start
        } else {
            self.batch_len(scenario) as u64
        };
        if let Some(records) = worker.records.get_mut(scenario) {
            let n = (replicates.end - replicates.start) as usize;
            records.resize_with(n, String::new);
            records.iter_mut().for_each(String::clear);
        }
        let mut lo = replicates.start;
        while lo < replicates.end {
            let hi = (lo + batch).min(replicates.end);
            let n = (hi - lo) as usize;
            if worker.outcomes.len() < n {
                worker.outcomes.resize_with(n, ReplicateOutcome::default);
            }
            let outcomes = &mut worker.outcomes[..n];
            if together {
                // The strikes replicate by replicate, then the aftermaths
                // side by side, each step recorded while it is at hand: the
                // same draws, without a timeline per replicate to read back.
                worker.rngs.clear();
                for (replicate, outcome) in (lo..hi).zip(outcomes.iter_mut()) {
                    outcome.spatial = worker.grids[scenario].take();
                    let rng = self.simulate_before_aftermath(scenario, replicate, outcome);
                    worker.rngs.push(rng);
                    if let Some(spatial) = outcome.spatial.take() {
                        record(&mut |tally| tally.record_grid(scenario, &spatial));
                        worker.grids[scenario] = Some(spatial);
                    }
                }
                record(&mut |tally| tally.record_strikes(scenario, outcomes));
                let plan = &self.plans[scenario];
                plan.begin_aftermaths(outcomes, &mut worker.runs);
                let steps = plan.steps();
                for t in 0..steps {
                    plan.step_aftermaths(t, &mut worker.runs, &mut worker.rngs, &mut worker.step);
                    record(&mut |tally| tally.record_step(scenario, t, steps, &worker.step));
                }
                lo = hi;
                continue;
            }
            for (replicate, outcome) in (lo..hi).zip(outcomes.iter_mut()) {
                outcome.spatial = worker.grids[scenario].take();
                outcome.map = worker.maps[scenario].take();
                self.simulate_replicate(scenario, replicate, outcome);
                if let Some(recorder) = recorder {
                    let offset = (replicate - replicates.start) as usize;
                    let out = &mut worker.records[scenario][offset];
                    recorder.record(scenario, replicate, outcome, out);
                }
                if let Some(map) = outcome.map.take() {
                    record(&mut |tally| tally.record_map(scenario, &map));
                    // The statistics keep the series only where teams search.
                    if self.plans[scenario].has_teams() {
                        worker.released_ha.extend_from_slice(&map.released_ha);
                        worker.residual.extend_from_slice(&map.residual);
                    }
                    worker.maps[scenario] = Some(map);
                }
                if let Some(spatial) = outcome.spatial.take() {
                    record(&mut |tally| tally.record_grid(scenario, &spatial));
                    worker.grids[scenario] = Some(spatial);
                }
            }
            record(&mut |tally| tally.record_counts(scenario, outcomes));
            if !worker.released_ha.is_empty() {
                let steps = self.plans[scenario].steps();
                debug_assert_eq!(worker.released_ha.len(), n * steps);
                debug_assert_eq!(worker.residual.len(), n * steps);
                record(&mut |tally| {
                    tally.record_map_series(scenario, steps, &worker.released_ha, &worker.residual)
                });
                worker.released_ha.clear();
                worker.residual.clear();
            }
            lo = hi;
        }
    }
}

/// A rayon pool with `threads` threads (all cores when `None`).
pub fn thread_pool(threads: Option<usize>) -> Result<rayon::ThreadPool> {
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(t) = threads {
        builder = builder.num_threads(t);
    }
    builder
        .build()
        .map_err(|e| Error::failure(format!("cannot start worker threads: {e}")))
}
