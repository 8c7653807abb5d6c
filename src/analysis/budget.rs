//! What a command will cost before it runs: the memory and the processor
//! time it needs, estimated from the validated scenario file and the
//! settings, so that input that would exhaust the machine's memory or run
//! for days is refused at once, with the estimate and the limit, instead of
//! being found out hours later.
//!
//! Memory estimates add up the sizes of the data structures a command
//! holds at its peak. The statistics dominate: each accumulator's histogram
//! stores every bucket between the smallest and the largest value it sees,
//! so each is sized by the range its quantity can take in practice, from
//! the ranges of the inputs followed through the aftermath and widened by
//! sampling noise. The tests check them against the bytes really
//! allocated. Time estimates multiply counts of the expensive steps
//! (replicates, aftermath steps, carriers and duds placed one by one) by
//! costs measured on one core of a 2020s machine, and are rough.

use std::fmt;
use std::mem::size_of;

use crate::engine::{CHUNK, ScenarioPlan};
use crate::engine::{ReplicateOutcome, StepOutcome};
use crate::error::{Error, Result};
use crate::scenario::{CountDist, CountShape, ProbDist, ProbShape, Scenario, ScenarioFile, quoted};
use crate::stats::histogram::bucket_of;
use crate::stats::{Accumulator, ScenarioStats, Summary};

/// Memory a command may use unless `--max-memory` says otherwise: what a
/// normal laptop can spare.
pub const DEFAULT_MAX_MEMORY: u64 = 4 << 30;
/// Processor time a command may use unless `--max-cpu-hours` says
/// otherwise: about a day on one core.
pub const DEFAULT_MAX_CPU_HOURS: f64 = 24.0;

/// Limits on what one command may use.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    /// Bytes of memory.
    pub memory: u64,
    /// Hours of processor time, summed over all threads.
    pub cpu_hours: f64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            memory: DEFAULT_MAX_MEMORY,
            cpu_hours: DEFAULT_MAX_CPU_HOURS,
        }
    }
}

/// Parses a size such as `4GiB`, `512M` or `1.5T` (powers of 1024; the
/// unit is required, `B` and `iB` optional).
pub fn parse_size(text: &str) -> std::result::Result<u64, String> {
    let usage = "expected a size with a unit, e.g. 8GiB, 512MiB or 1TiB";
    let lower = text.trim().to_ascii_lowercase();
    let digits = lower
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .ok_or_else(|| format!("\"{text}\": {usage}"))?;
    let (number, unit) = lower.split_at(digits);
    let shift = match unit.trim().trim_end_matches("ib").trim_end_matches('b') {
        "k" => 10,
        "m" => 20,
        "g" => 30,
        "t" => 40,
        _ => return Err(format!("\"{text}\": {usage}")),
    };
    let value: f64 = number.parse().map_err(|_| format!("\"{text}\": {usage}"))?;
    let bytes = value * (1u64 << shift) as f64;
    if !(bytes >= 1.0 && bytes < 2f64.powi(63)) {
        return Err(format!("\"{text}\": must be from 1 byte to 8 EiB"));
    }
    Ok(bytes as u64)
}

/// A number of bytes as people read it: `3.6 GiB`, `512 MiB`.
pub fn bytes(n: u64) -> String {
    let units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
    let mut value = n as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < units.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{n} bytes")
    } else if value < 10.0 {
        format!("{value:.1} {}", units[unit])
    } else {
        format!("{value:.0} {}", units[unit])
    }
}

/// The memory a command needs, itemised for the message that refuses it.
#[derive(Debug, Clone, PartialEq)]
pub struct MemoryEstimate {
    /// What each part is for and its bytes.
    pub parts: Vec<(String, u64)>,
}

impl MemoryEstimate {
    /// Bytes in all.
    pub fn total(&self) -> u64 {
        self.parts
            .iter()
            .fold(0u64, |sum, (_, b)| sum.saturating_add(*b))
    }
}

impl fmt::Display for MemoryEstimate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts: Vec<&(String, u64)> = self.parts.iter().filter(|(_, b)| *b > 0).collect();
        parts.sort_by_key(|part| std::cmp::Reverse(part.1));
        let listed: Vec<String> = parts
            .iter()
            .take(3)
            .map(|(what, b)| format!("{what} {}", bytes(*b)))
            .collect();
        write!(f, "about {} ({})", bytes(self.total()), listed.join("; "))
    }
}

/// Cells of a scenario's grid (0 without an area).
fn cells(scenario: &Scenario) -> u64 {
    scenario.area().map_or(0, |a| {
        let (columns, rows) = a.grid_size();
        columns as u64 * rows as u64
    })
}

/// Steps a scenario's timeline reports.
fn steps(file: &ScenarioFile, scenario: &Scenario) -> u64 {
    if scenario.aftermath.is_some() {
        u64::from(file.simulation.steps)
    } else {
        0
    }
}

/// Standard deviations of sampling noise a count may stray in practice
/// from where its inputs put it: the most extreme of a billion replicates
/// strays about six.
const NOISE_SD: f64 = 8.0;

/// A range of counts `[lo, hi]` one quantity can take in practice.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Span {
    lo: f64,
    hi: f64,
}

impl Span {
    /// The span of a count whose expectation lies in `[lo, hi]`, widened
    /// by its binomial or Poisson noise (a standard deviation of at most
    /// the square root of the count).
    fn noisy(lo: f64, hi: f64) -> Self {
        let (lo, hi) = (lo.max(0.0), hi.max(0.0));
        Span {
            lo: (lo - NOISE_SD * lo.sqrt() - NOISE_SD).max(0.0),
            hi: hi + NOISE_SD * hi.sqrt() + NOISE_SD,
        }
    }

    /// Bytes of an accumulator of values in this span: the struct, and its
    /// histogram, which stores every bucket from the smallest value's to
    /// the largest's in a vector that may have grown to twice that.
    fn accumulator_bytes(&self) -> u64 {
        let clamp = |x: f64| {
            if x >= u64::MAX as f64 {
                u64::MAX
            } else {
                x.max(0.0) as u64
            }
        };
        let buckets = bucket_of(clamp(self.hi)) - bucket_of(clamp(self.lo)) + 1;
        size_of::<Accumulator>() as u64 + 2 * 8 * buckets as u64
    }
}

/// The values a probability takes in practice: its support, or for a beta
/// distribution its mean plus or minus eight standard deviations.
fn prob_range(d: &ProbDist) -> (f64, f64) {
    match d.shape() {
        ProbShape::Beta { .. } => {
            let (mean, sd) = (d.mean(), d.variance().sqrt());
            (
                (mean - NOISE_SD * sd).max(0.0),
                (mean + NOISE_SD * sd).min(1.0),
            )
        }
        _ => d.support(),
    }
}

/// The values a count takes in practice.
fn count_range(d: &CountDist) -> (f64, f64) {
    match d.shape() {
        CountShape::Fixed(n) => (n as f64, n as f64),
        CountShape::Poisson(m) => {
            let noisy = Span::noisy(m, m);
            (noisy.lo, noisy.hi)
        }
        CountShape::Uniform { lo, hi } => (lo as f64, hi as f64),
    }
}

/// The expected course of one cumulative count of the aftermath (cleared
/// or encountered UXO) along one path of rates.
struct Path {
    live: f64,
    total: f64,
}

impl Path {
    fn new(live: f64) -> Self {
        Path { live, total: 0.0 }
    }

    /// One step in which a share `own` of the live UXO goes to this count
    /// and a share `others` elsewhere.
    fn step(&mut self, own: f64, others: f64) {
        self.total += self.live * own;
        self.live *= (1.0 - own - others).max(0.0);
    }
}

/// Bytes of one copy of a scenario's statistics; `horizon_only` keeps one
/// step of the timeline. Each accumulator is sized by the span its
/// quantity can take: the inputs' ranges, followed through the aftermath
/// along the paths that make the quantity smallest and largest, widened by
/// sampling noise.
fn scenario_stats_bytes(file: &ScenarioFile, scenario: &Scenario, horizon_only: bool) -> u64 {
    let (mut fired_lo, mut fired_hi, mut uxo_lo, mut uxo_hi) = (0.0, 0.0, 0.0, 0.0);
    for strike in &scenario.strikes {
        let m = file.munition_of(strike);
        let (c_lo, c_hi) = count_range(&strike.carriers);
        let n = m.submunitions as f64;
        let (s_lo, s_hi) = prob_range(&m.self_destruct);
        // Lot variation lets each carrier's rate go near 0 or 1.
        let (d_lo, d_hi) = match m.lot_concentration {
            Some(_) => (0.0, 1.0),
            None => prob_range(&m.dud_rate),
        };
        fired_lo += c_lo * n;
        fired_hi += c_hi * n;
        uxo_lo += c_lo * n * d_lo * (1.0 - s_hi);
        uxo_hi += c_hi * n * d_hi * (1.0 - s_lo);
    }
    let fired = Span {
        lo: fired_lo,
        hi: fired_hi,
    };
    let uxo = Span::noisy(uxo_lo, uxo_hi);
    let mut bytes =
        size_of::<ScenarioStats>() as u64 + fired.accumulator_bytes() + uxo.accumulator_bytes();

    let cells = cells(scenario);
    if cells > 0 {
        let touched = Span {
            lo: 0.0,
            hi: (cells as f64).min(uxo.hi),
        };
        let outside = Span {
            lo: 0.0,
            hi: uxo.hi,
        };
        bytes += cells * 12 + touched.accumulator_bytes() + outside.accumulator_bytes();
    }

    let Some(a) = &scenario.aftermath else {
        return bytes;
    };
    let steps = steps(file, scenario);
    // The aftermath on the map: live UXO per cell at each mapped step, the
    // residual map and the per-step series of the teams.
    if let Some(spatial) = scenario.spatial()
        && !horizon_only
        && (spatial.exposure().is_some()
            || spatial.teams().is_some()
            || !file.simulation.maps_at.is_empty())
    {
        let everything = Span {
            lo: 0.0,
            hi: uxo.hi,
        }
        .accumulator_bytes();
        bytes += cells * 12 * file.simulation.maps_at.len() as u64 + everything;
        if spatial.teams().is_some() {
            let area_m2 = Span {
                lo: 0.0,
                hi: spatial.area().width_m * spatial.area().height_m,
            };
            bytes += cells * 8 + steps * (everything + area_m2.accumulator_bytes());
        }
    }
    // Rates per rate unit as chances per step; a falling encounter hazard
    // or an end of clearance can take the smallest rates down to nothing.
    let per_step = |(lo, hi): (f64, f64)| {
        let p = |r: f64| 1.0 - (1.0 - r.min(1.0)).powf(a.step_length);
        (p(lo), p(hi))
    };
    let (mut c_lo, c_hi) = per_step(prob_range(&a.clearance_rate));
    let (mut e_lo, e_hi) = per_step(prob_range(&a.encounter_rate));
    let (g_lo, g_hi) = per_step(prob_range(&a.degradation_rate));
    if a.encounter_half_life.is_some() {
        e_lo = 0.0;
    }
    if a.clearance_end.is_some() {
        c_lo = 0.0;
    }
    let steps_per_unit = 1.0 / a.step_length;
    let (start_lo, start_hi) = a.clearance_start.range();
    let (start_lo, start_hi) = (start_lo * steps_per_unit, start_hi * steps_per_unit);
    let (k_lo, k_hi) = count_range(&a.casualties_per_encounter);
    // Live UXO at its fewest and most, and each cumulative count at its
    // smallest (its own rate low, the others high) and largest.
    let (mut live_lo, mut live_hi) = (uxo_lo, uxo_hi);
    let mut cleared = [Path::new(uxo_lo), Path::new(uxo_hi)];
    let mut encounters = [Path::new(uxo_lo), Path::new(uxo_hi)];
    let first_recorded = if horizon_only { steps } else { 1 };
    for t in 1..=steps {
        let clearing = |from: f64, c: f64| if t as f64 > from { c } else { 0.0 };
        let (early, late) = (clearing(start_lo, c_hi), clearing(start_hi, c_lo));
        live_lo *= (1.0 - early - e_hi - g_hi).max(0.0);
        live_hi *= (1.0 - late - e_lo - g_lo).max(0.0);
        cleared[0].step(late, e_hi + g_hi);
        cleared[1].step(early, e_lo + g_lo);
        encounters[0].step(e_lo, early + g_hi);
        encounters[1].step(e_hi, late + g_lo);
        if t < first_recorded {
            continue;
        }
        let (met_lo, met_hi) = (encounters[0].total, encounters[1].total);
        bytes += Span::noisy(live_lo, live_hi).accumulator_bytes()
            + Span::noisy(cleared[0].total, cleared[1].total).accumulator_bytes()
            + Span::noisy(met_lo, met_hi).accumulator_bytes()
            + Span::noisy(met_lo * k_lo, met_hi * k_hi).accumulator_bytes();
    }
    bytes
}

/// Bytes of one copy of the statistics of every scenario of `file`.
pub fn stats_bytes(file: &ScenarioFile, horizon_only: bool) -> u64 {
    file.scenarios
        .iter()
        .map(|s| scenario_stats_bytes(file, s, horizon_only))
        .fold(0, u64::saturating_add)
}

/// Bytes one worker of the engine holds besides the statistics: a batch
/// of outcomes (see [`crate::engine::Engine::batch_len`]), a grid per
/// scenario with an area, and where teams search it, the order's positions
/// and hectares and the first two searches of each cell timed.
fn worker_bytes(file: &ScenarioFile) -> u64 {
    let per_replicate = |s: &Scenario| {
        size_of::<ReplicateOutcome>() as u64 + steps(file, s) * size_of::<StepOutcome>() as u64
    };
    let batch = file
        .scenarios
        .iter()
        .map(|s| {
            (8u64 << 20)
                .max(per_replicate(s))
                .min(CHUNK * per_replicate(s))
        })
        .max()
        .unwrap_or(0);
    let grids: u64 = file.scenarios.iter().map(|s| 8 * (cells(s) + 1)).sum();
    let searches: u64 = file
        .scenarios
        .iter()
        .filter(|s| s.spatial().and_then(|sp| sp.teams()).is_some())
        .map(|s| SEARCH_BYTES_PER_CELL * cells(s))
        .sum();
    batch + grids + searches
}

/// A cell's position (4 bytes) and hectares done (8) in a search order,
/// and its first two searches' times and steps (2 × 16).
const SEARCH_BYTES_PER_CELL: u64 = 44;

/// Most scenarios a chart draws; further scenarios are left out of the
/// charts (not of the files), and the captions say so. Charts grow with their panels (a panel
/// per scenario, 300 to 560 pixels high): 5,000 scenarios would ask for
/// gigapixel images that nobody can read. The files and the report's
/// tables keep every scenario.
pub const MAX_CHART_PANELS: usize = 12;

/// Bytes the files of a finished run take while they are written: the
/// summary, its JSON and CSV text, the maps and the charts.
fn output_bytes(file: &ScenarioFile, charts: bool) -> u64 {
    let summaries: u64 = file.scenarios.iter().map(|s| 4 + 4 * steps(file, s)).sum();
    // The figures, and the text of summary.json (about 340 bytes per
    // figure) or of timeline.csv (about 90), written one after the other.
    let summary = summaries * (size_of::<Summary>() as u64 + 400);
    let area_cells: Vec<u64> = file
        .scenarios
        .iter()
        .map(cells)
        .filter(|&c| c > 0)
        .collect();
    // Per cell: two maps of 8-byte values, and their text (about 100 bytes
    // per cell in density.csv and the two grids; the first scenario's twice).
    let maps: u64 =
        area_cells.iter().map(|c| c * 116).sum::<u64>() + area_cells.first().map_or(0, |c| c * 100);
    let charts = if charts {
        // Per charted cell: two maps of values, the grid's statistics copied
        // when the charts draw only the first scenarios, and, where every
        // cell holds UXO, a rectangle (about 70 bytes) in each map's SVG
        // file and in the two the page shows (wide and narrow), their
        // copies in the report, and the strings' spare capacity while they
        // grow: 8 rectangles per cell and map, as measured. A scenario has
        // two maps of the strikes, one of live UXO at each step of
        // `maps_at` and, when teams search it, one of the risk they leave.
        // Plus a fixed allowance for the bitmaps and the other charts.
        let charted: u64 = file
            .scenarios
            .iter()
            .filter(|s| cells(s) > 0)
            .take(MAX_CHART_PANELS)
            .map(|s| {
                let searched = s.spatial().and_then(|sp| sp.teams()).is_some();
                let maps = 2 + file.simulation.maps_at.len() as u64 + u64::from(searched);
                (36 + 8 * 70 * maps) * cells(s)
            })
            .sum();
        charted + (128 << 20)
    } else {
        0
    };
    summary + maps + charts
}

/// What a run of a scenario file is for, as far as memory goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunKind {
    /// `run` (and `merge`): statistics, then every output file; with
    /// `--precision` one more copy of the statistics accumulates the batches.
    Full {
        /// Whether charts are drawn.
        charts: bool,
        /// Whether replicates are added until a precision is reached.
        precision: bool,
    },
    /// `run --shard`: statistics, then partial.json.
    Shard,
    /// `validate`: statistics, then a table.
    Statistics,
    /// `sweep`: `file` without its areas, run once per dud rate keeping
    /// only the horizon, and a few figures per scenario and dud rate.
    Sweep {
        /// How many dud rates are visited.
        points: usize,
    },
}

/// The memory a run of `file` needs with `workers` workers recording into
/// `copies` copies of the statistics.
pub fn run_memory(
    file: &ScenarioFile,
    kind: RunKind,
    workers: usize,
    copies: usize,
) -> MemoryEstimate {
    let horizon_only = matches!(kind, RunKind::Sweep { .. });
    let stats = stats_bytes(file, horizon_only);
    let mut parts = vec![
        (
            describe_stats(file, copies, horizon_only),
            stats.saturating_mul(copies as u64),
        ),
        (
            format!("buffers of {workers} worker(s)"),
            worker_bytes(file).saturating_mul(workers as u64),
        ),
        ("the scenario file".to_string(), 40 * file.text.len() as u64),
    ];
    match kind {
        RunKind::Full { charts, precision } => {
            if precision {
                parts.push(("statistics of the batches so far".to_string(), stats));
            }
            parts.push((
                "output files and charts".to_string(),
                output_bytes(file, charts),
            ));
        }
        // partial.json: a few characters of text per byte of statistics.
        RunKind::Shard => parts.push(("partial.json".to_string(), stats.saturating_mul(3))),
        RunKind::Statistics => {}
        RunKind::Sweep { points } => {
            // Three figures, a CSV row and a table row per scenario and rate.
            let per_point = 3 * size_of::<Summary>() as u64 + 400;
            parts.push((
                format!("figures of {points} dud rate(s)"),
                per_point * points as u64 * file.scenarios.len() as u64 + (64 << 20),
            ));
        }
    }
    MemoryEstimate { parts }
}

fn describe_stats(file: &ScenarioFile, copies: usize, horizon_only: bool) -> String {
    let steps = if horizon_only {
        0
    } else {
        u64::from(file.simulation.steps)
    };
    let cells: u64 = file.scenarios.iter().map(cells).sum();
    let mut what = format!(
        "statistics of {} scenario(s)",
        count(file.scenarios.len() as f64)
    );
    if steps > 0 && file.scenarios.iter().any(|s| s.aftermath.is_some()) {
        what.push_str(&format!(" over {} steps", count(steps as f64)));
    }
    if cells > 0 {
        what.push_str(&format!(" and {} cells", count(cells as f64)));
    }
    if copies > 1 {
        what.push_str(&format!(", {copies} copies"));
    }
    what
}

fn count(x: f64) -> String {
    crate::format::count(x)
}

/// How many copies of the statistics a run can hold within the limit
/// (at most one per worker), or the refusal when even one does not fit.
pub fn stat_copies(
    file: &ScenarioFile,
    kind: RunKind,
    workers: usize,
    limits: &Limits,
) -> Result<usize> {
    let workers = workers.max(1);
    for copies in (1..=workers).rev() {
        if run_memory(file, kind, workers, copies).total() <= limits.memory {
            return Ok(copies);
        }
    }
    let estimate = run_memory(file, kind, workers, 1);
    Err(memory_refusal(file, &estimate, limits, kind, workers))
}

/// The message refusing a command whose memory estimate is over the limit.
fn memory_refusal(
    file: &ScenarioFile,
    estimate: &MemoryEstimate,
    limits: &Limits,
    kind: RunKind,
    workers: usize,
) -> Error {
    let mut fewer = "use fewer scenarios, steps or cells".to_string();
    if workers > 1 {
        fewer.push_str(", fewer --threads");
    }
    if let RunKind::Full { charts: true, .. } = kind {
        fewer.push_str(", --no-charts");
    }
    Error::usage(format!(
        "{}: this would need {estimate} of memory, above the limit of {}: {fewer}, or raise the \
         limit with --max-memory (e.g. --max-memory {}) if the machine has that much",
        file.source_name,
        bytes(limits.memory),
        suggested_size(estimate.total())
    ))
}

/// A round size at least `n` bytes, in the form `--max-memory` reads.
fn suggested_size(n: u64) -> String {
    let gib = (n as f64 / (1u64 << 30) as f64).ceil().max(1.0);
    format!("{gib:.0}GiB")
}

/// Measured costs, in nanoseconds of one core, of the steps that dominate
/// a replicate (see the module's documentation).
mod cost {
    /// One replicate of one scenario: its random stream, its draws, its
    /// recording.
    pub const REPLICATE_NS: f64 = 250.0;
    /// One aftermath step of one replicate.
    pub const STEP_NS: f64 = 130.0;
    /// One carrier of a scenario with an area: aim point, miss, duds.
    pub const CARRIER_NS: f64 = 60.0;
    /// One dud placed on the grid of a scenario with an area.
    pub const DUD_PLACED_NS: f64 = 15.0;
    /// One evaluation of a calibration's perturbation kernel, per
    /// parameter.
    pub const KERNEL_NS: f64 = 10.0;
}

/// The processor time one replicate of `scenario` takes, in nanoseconds,
/// and, with an area, the carriers drawn and duds placed one by one.
fn replicate_ns(file: &ScenarioFile, scenario: &Scenario, with_area: bool) -> (f64, f64, f64) {
    let mut ns = cost::REPLICATE_NS + steps(file, scenario) as f64 * cost::STEP_NS;
    let (mut carriers, mut duds) = (0.0, 0.0);
    if with_area && scenario.spatial.is_some() {
        for strike in &scenario.strikes {
            let m = file.munition_of(strike);
            let c = strike.carriers.mean();
            carriers += c;
            duds += c * m.submunitions as f64 * m.dud_rate.mean() * (1.0 - m.self_destruct.mean());
        }
        ns += carriers * cost::CARRIER_NS + duds * cost::DUD_PLACED_NS;
    }
    (ns, carriers, duds)
}

/// The processor time a command needs, with what dominates it.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkEstimate {
    /// Hours of one core.
    pub cpu_hours: f64,
    /// What it is: "10,000 replicates of 3 scenario(s)".
    pub what: String,
    /// The scenario costing most, and why, when carriers and duds placed
    /// one by one dominate.
    pub heaviest: Option<String>,
    /// What to ask for less of, for the message.
    pub fewer: String,
}

/// The processor time of `replicates` replicates of every scenario of
/// `file`; `with_area` false for commands that drop the areas (sweep,
/// sensitivity).
pub fn run_work(
    file: &ScenarioFile,
    replicates: u64,
    runs_per_replicate: &dyn Fn(usize) -> f64,
    with_area: bool,
) -> WorkEstimate {
    let mut total = 0.0;
    let mut heaviest: Option<(f64, String)> = None;
    for (i, s) in file.scenarios.iter().enumerate() {
        let (ns, carriers, duds) = replicate_ns(file, s, with_area);
        let ns = ns * runs_per_replicate(i);
        total += ns;
        if carriers > 0.0 && heaviest.as_ref().is_none_or(|(h, _)| ns > *h) {
            heaviest = Some((
                ns,
                format!(
                    "scenario \"{}\" draws {} carriers and places about {} duds one by one per \
                     replicate",
                    s.name,
                    quoted_count(carriers),
                    quoted_count(duds)
                ),
            ));
        }
    }
    let cpu_hours = total * replicates as f64 / 3.6e12;
    WorkEstimate {
        cpu_hours,
        what: format!(
            "{} replicates of {} scenario(s)",
            quoted_count(replicates as f64),
            file.scenarios.len()
        ),
        heaviest: heaviest
            .filter(|(ns, _)| *ns >= 0.5 * total)
            .map(|(_, text)| text),
        fewer: "replicates, carriers or steps".to_string(),
    }
}

fn quoted_count(x: f64) -> String {
    if x >= 1e7 {
        format!("{x:.1e}")
    } else {
        count(x)
    }
}

/// Refuses a command whose processor time is estimated over the limit.
pub fn check_work(file: &ScenarioFile, estimate: &WorkEstimate, limits: &Limits) -> Result<()> {
    if estimate.cpu_hours <= limits.cpu_hours {
        return Ok(());
    }
    let why = estimate
        .heaviest
        .as_ref()
        .map(|h| format!(" ({h})"))
        .unwrap_or_default();
    let limit = if limits.cpu_hours == DEFAULT_MAX_CPU_HOURS {
        format!(
            "the default limit of {} hours, about a day on one core",
            quoted(limits.cpu_hours)
        )
    } else {
        format!("the limit of {} hours", quoted(limits.cpu_hours))
    };
    Err(Error::usage(format!(
        "{}: {} would take about {} hours of processor time{why}, above {limit}: use fewer {}, \
         or raise the limit with --max-cpu-hours",
        file.source_name,
        estimate.what,
        quoted(estimate.cpu_hours.ceil()),
        estimate.fewer
    )))
}

/// The most processor time a calibration of scenario `scenario` may take:
/// every model run it may make (a replicate of the scenario without its
/// area), and the sums of its importance weights, `particles²` kernel
/// evaluations per generation.
pub fn calibration_work(
    file: &ScenarioFile,
    scenario: usize,
    particles: usize,
    max_simulations: u64,
    max_generations: usize,
    parameters: usize,
) -> WorkEstimate {
    let s = &file.scenarios[scenario];
    let (ns, _, _) = replicate_ns(file, s, false);
    let kernel = (particles as f64).powi(2)
        * max_generations as f64
        * parameters.max(1) as f64
        * cost::KERNEL_NS;
    WorkEstimate {
        cpu_hours: (ns * max_simulations as f64 + kernel) / 3.6e12,
        what: format!(
            "calibrating scenario \"{}\" with {} particles (at most {} model runs and {} \
             generations)",
            s.name,
            quoted_count(particles as f64),
            quoted_count(max_simulations as f64),
            max_generations
        ),
        heaviest: None,
        fewer: "--particles, or steps".to_string(),
    }
}

/// Runs of the model per sample of `dudsim sensitivity`, per scenario: one
/// per uncertain input, plus one.
pub fn sensitivity_runs(file: &ScenarioFile) -> impl Fn(usize) -> f64 + '_ {
    move |i| {
        let mut counts_only = file.scenarios[i].clone();
        counts_only.spatial = None;
        let plan = ScenarioPlan::new(file, &counts_only);
        let inputs = plan.uncertain_inputs().len();
        if inputs == 0 {
            0.0
        } else {
            inputs as f64 + 1.0
        }
    }
}
