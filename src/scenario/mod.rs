//! Scenario files: parsing, validation, and the validated
//! model the engine runs.
//!
//! Everything a user can get wrong is caught here, before anything runs or
//! is written, and reported with the file, line and key at fault.

// An `InputError` carries the line at fault, a hint and the further errors
// found: it is large, returned only when a file is refused, and never on a
// path where its size costs anything.
#![allow(clippy::result_large_err)]

pub mod catalog;
pub mod dist;
mod document;
pub mod echo;
mod overrides;
pub mod records;
pub mod time;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

pub use dist::{CountDist, CountShape, ProbDist, ProbShape, quoted};
use document::{Document, Table, Value, closest};
pub use overrides::Override;
pub use records::{Quantity, Record, Records};
pub use time::{DurationValue, PositiveDist, StepDuration, TimeUnit};

use crate::error::InputError;
use crate::geo::{self, Crs, GridFrame};

/// Largest number of replicates one run may ask for.
pub const MAX_REPLICATES: u64 = 1_000_000_000;
/// Longest aftermath horizon, in steps.
pub const MAX_STEPS: u64 = 10_000;
/// Most submunitions one carrier may hold.
pub const MAX_SUBMUNITIONS_PER_CARRIER: u64 = 1_000_000;
/// Most submunitions one scenario may fire in a replicate. Laos, the largest
/// campaign on record, used about 2.7e8; the bound keeps every count and
/// every sum of squares exact in integer arithmetic.
pub const MAX_SUBMUNITIONS: f64 = 1e14;
/// Most submunitions a scenario with an area may fire in a replicate: each
/// dud is placed one by one, and a cell counts up to 2^32 − 1 of them.
pub const MAX_SPATIAL_SUBMUNITIONS: f64 = 4e9;
/// Largest lot concentration: beyond it carriers' rates differ by less than
/// 1e-4 of the rate, indistinguishable from no lot variation.
pub const MAX_LOT_CONCENTRATION: f64 = 1e9;
/// Smallest lot concentration: below it nearly every carrier's
/// submunitions all fail or all work, and its per-carrier beta parameters
/// underflow.
pub const MIN_LOT_CONCENTRATION: f64 = 1e-3;
/// Most casualties a single encounter may cause.
pub const MAX_CASUALTIES_PER_ENCOUNTER: f64 = 1e3;
/// Most cells a spatial grid may have.
pub const MAX_CELLS: f64 = 1e8;
/// Largest scenario file, in bytes: thousands of scenarios fit, and
/// parsing takes a few dozen times the file's size in memory.
pub const MAX_FILE_BYTES: u64 = 1 << 20;
/// Seed used when neither the file nor the command line gives one.
pub const DEFAULT_SEED: u64 = 2026;
/// Replicates used when neither the file nor the command line gives them.
pub const DEFAULT_REPLICATES: u64 = 10_000;

/// The name under which the built-in default scenario is reported.
pub const DEFAULT_SCENARIO_NAME: &str = "<built-in default scenario>";

/// The built-in default scenario, annotated; `dudsim example` prints it.
pub fn default_text() -> &'static str {
    include_str!("default.toml")
}

/// A validated scenario file: everything one run simulates. Built only by
/// parsing ([`ScenarioFile::parse`], [`ScenarioFile::load`]), so every
/// value in it has passed validation.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioFile {
    pub(crate) source_name: String,
    pub(crate) text: String,
    /// The command line's `--set` overrides, applied over `text`.
    pub(crate) overrides: Vec<Override>,
    pub(crate) title: String,
    pub(crate) simulation: Simulation,
    pub(crate) munitions: Vec<Munition>,
    pub(crate) scenarios: Vec<Scenario>,
}

/// The `[simulation]` table: the defaults a run starts from (the command
/// line may override replicates and seed; see `RunSettings`).
#[derive(Debug, Clone, PartialEq)]
pub struct Simulation {
    pub(crate) replicates: u64,
    pub(crate) seed: u64,
    pub(crate) steps: u32,
    pub(crate) step_unit: TimeUnit,
    /// Steps at which maps of live UXO are drawn, increasing.
    pub(crate) maps_at: Vec<u32>,
}

/// A munition type as the engine sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Munition {
    pub(crate) id: String,
    pub(crate) submunitions: u64,
    pub(crate) dud_rate: ProbDist,
    pub(crate) self_destruct: ProbDist,
    pub(crate) lot_concentration: Option<f64>,
    pub(crate) footprint_radius_m: Option<f64>,
    pub(crate) catalog_id: Option<&'static str>,
}

/// One `[[scenario]]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    pub(crate) name: String,
    pub(crate) strikes: Vec<Strike>,
    pub(crate) aftermath: Option<Aftermath>,
    pub(crate) spatial: Option<Spatial>,
}

/// One strike: a number of carriers of one munition.
#[derive(Debug, Clone, PartialEq)]
pub struct Strike {
    pub(crate) munition: usize,
    pub(crate) carriers: CountDist,
}

/// Where a scenario's duds lie, for a scenario with an `[scenario.area]`:
/// the area and, strike by strike, where the carriers aim and scatter.
#[derive(Debug, Clone, PartialEq)]
pub struct Spatial {
    pub(crate) area: Area,
    /// One per strike, in strike order.
    pub(crate) strikes: Vec<Placement>,
    /// How much people use each cell, if the scenario says.
    pub(crate) exposure: Option<Exposure>,
    /// Clearance teams searching the map, if the scenario sends them.
    pub(crate) teams: Option<Teams>,
}

/// `[scenario.exposure]`: how much people use each place, from a raster
/// averaged onto the cells. The weights have an area-weighted mean of 1
/// over the area, so that the encounter rate holds at average exposure.
#[derive(Debug, Clone, PartialEq)]
pub struct Exposure {
    /// The raster's file, as the scenario names it.
    pub(crate) grid: String,
    /// One weight per cell, in the engine's cell order.
    pub(crate) weights: Vec<f64>,
}

/// `[scenario.clearance]`: teams searching the map cell by cell from
/// `clearance_start`, in a chosen order, finding each UXO of a cell they
/// search with a probability.
#[derive(Debug, Clone, PartialEq)]
pub struct Teams {
    /// Hectares searched per rate unit, drawn once per replicate.
    pub(crate) capacity_ha: PositiveDist,
    /// Probability that a search finds each UXO of the cell, drawn once
    /// per replicate.
    pub(crate) detection: ProbDist,
    pub(crate) order: SearchOrder,
    /// How many times the ordered cells are searched.
    pub(crate) passes: u32,
}

/// The order in which teams search the cells that may hold UXO.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchOrder {
    /// Highest expected UXO first.
    Density,
    /// Highest expected UXO times exposure first.
    Risk,
    /// Highest exposure first.
    Exposure,
    /// Row by row from the area's lower-left corner.
    Sweep,
    /// A new random order in every replicate.
    Random,
}

impl SearchOrder {
    /// Every order, as written in scenario files.
    pub const ALL: [SearchOrder; 5] = [
        SearchOrder::Density,
        SearchOrder::Risk,
        SearchOrder::Exposure,
        SearchOrder::Sweep,
        SearchOrder::Random,
    ];

    /// The order's name in scenario files.
    pub fn name(self) -> &'static str {
        match self {
            SearchOrder::Density => "density",
            SearchOrder::Risk => "risk",
            SearchOrder::Exposure => "exposure",
            SearchOrder::Sweep => "sweep",
            SearchOrder::Random => "random",
        }
    }
}

/// Most steps at which live UXO are mapped.
pub const MAX_MAPS: usize = 24;

/// Most passes of the teams over their cells.
pub const MAX_PASSES: u64 = 100;

/// Where the carriers of one strike aim and how they scatter their duds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placement {
    pub(crate) target: [f64; 4],
    pub(crate) cep_m: f64,
    pub(crate) footprint_radius_m: f64,
}

/// The `[scenario.aftermath]` table: what happens to live duds over time.
#[derive(Debug, Clone, PartialEq)]
pub struct Aftermath {
    pub(crate) rate_unit: TimeUnit,
    /// One step, in rate units.
    pub(crate) step_length: f64,
    pub(crate) clearance_start: StepDuration,
    pub(crate) clearance_end: Option<StepDuration>,
    pub(crate) clearance_rate: ProbDist,
    pub(crate) encounter_rate: ProbDist,
    pub(crate) encounter_half_life: Option<PositiveDist>,
    pub(crate) encounter_floor: ProbDist,
    pub(crate) degradation_rate: ProbDist,
    pub(crate) casualties_per_encounter: CountDist,
}

/// The `[scenario.area]` table: the land mapped, in square cells.
#[derive(Debug, Clone, PartialEq)]
pub struct Area {
    pub(crate) width_m: f64,
    pub(crate) height_m: f64,
    pub(crate) cell_m: f64,
    /// Where the area lies on the Earth, if the file places it.
    pub(crate) georef: Option<Georef>,
}

/// Where an area lies on the Earth: a projected coordinate system in
/// metres and the area's lower-left corner in it.
#[derive(Debug, Clone, PartialEq)]
pub struct Georef {
    pub(crate) crs: Crs,
    pub(crate) origin: [f64; 2],
}

impl Georef {
    /// The coordinate system's EPSG code.
    pub fn epsg(&self) -> u32 {
        self.crs.epsg()
    }

    /// The coordinate system's name, e.g. `WGS 84 / UTM zone 37N`.
    pub fn crs_name(&self) -> &str {
        self.crs.name()
    }

    /// The area's lower-left corner, `[easting, northing]` in metres.
    pub fn origin(&self) -> [f64; 2] {
        self.origin
    }
}

macro_rules! getters {
    ($type:ty { $($(#[doc = $doc:literal])* $name:ident: $ret:ty = |$this:ident| $body:expr;)* }) => {
        impl $type {
            $(
                $(#[doc = $doc])*
                pub fn $name(&self) -> $ret {
                    let $this = self;
                    $body
                }
            )*
        }
    };
}

getters!(Simulation {
    /// Number of independent replicates the file asks for.
    replicates: u64 = |s| s.replicates;
    /// Seed of every random stream, as the file gives it.
    seed: u64 = |s| s.seed;
    /// Aftermath horizon in steps (0: no aftermath).
    steps: u32 = |s| s.steps;
    /// What a step is, e.g. "month".
    step_unit: &str = |s| s.step_unit.name();
    /// The unit of time a step lasts.
    step_time_unit: TimeUnit = |s| s.step_unit;
    /// Steps at which maps of live UXO are drawn, increasing.
    maps_at: &[u32] = |s| &s.maps_at;
});

getters!(Munition {
    /// Identifier used by strikes.
    id: &str = |m| &m.id;
    /// Submunitions per carrier.
    submunitions: u64 = |m| m.submunitions;
    /// Conflict-wide dud rate, drawn once per replicate.
    dud_rate: ProbDist = |m| m.dud_rate;
    /// Probability that a dud's self-destruct works, drawn once per replicate.
    self_destruct: ProbDist = |m| m.self_destruct;
    /// Lot-to-lot concentration κ; `None`: every carrier has the
    /// conflict-wide rate.
    lot_concentration: Option<f64> = |m| m.lot_concentration;
    /// Radius of the disk over which a carrier scatters its submunitions.
    footprint_radius_m: Option<f64> = |m| m.footprint_radius_m;
    /// The catalog entry it derives from, if any.
    catalog_id: Option<&'static str> = |m| m.catalog_id;
});

getters!(Scenario {
    /// Unique name.
    name: &str = |s| &s.name;
    /// The strikes fired.
    strikes: &[Strike] = |s| &s.strikes;
    /// What happens to the duds afterwards, if modelled.
    aftermath: Option<&Aftermath> = |s| s.aftermath.as_ref();
    /// Where the duds lie, if modelled.
    spatial: Option<&Spatial> = |s| s.spatial.as_ref();
    /// The area mapped, if the scenario has one.
    area: Option<&Area> = |s| s.spatial.as_ref().map(|sp| &sp.area);
});

getters!(Strike {
    /// Index of the munition fired in [`ScenarioFile::munitions`].
    munition_index: usize = |k| k.munition;
    /// Number of carriers fired.
    carriers: CountDist = |k| k.carriers;
});

getters!(Spatial {
    /// How much people use each cell, if given.
    exposure: Option<&Exposure> = |s| s.exposure.as_ref();
    /// Teams searching the map, if any.
    teams: Option<&Teams> = |s| s.teams.as_ref();
    /// The area mapped.
    area: &Area = |s| &s.area;
    /// Where each strike's carriers aim and scatter, in strike order.
    placements: &[Placement] = |s| &s.strikes;
});

getters!(Exposure {
    /// The raster's file, as the scenario names it.
    grid: &str = |e| &e.grid;
    /// One weight per cell (mean 1 over the area), row by row from the
    /// area's lower-left corner.
    weights: &[f64] = |e| &e.weights;
});

getters!(Teams {
    /// Hectares searched per rate unit.
    capacity_ha: PositiveDist = |t| t.capacity_ha;
    /// Probability that a search finds each UXO of the cell.
    detection: ProbDist = |t| t.detection;
    /// The order of the search.
    order: SearchOrder = |t| t.order;
    /// How many times the ordered cells are searched.
    passes: u32 = |t| t.passes;
});

getters!(Placement {
    /// Aim rectangle `[x_min, y_min, x_max, y_max]`, metres from the
    /// area's lower-left corner.
    target: [f64; 4] = |p| p.target;
    /// Circular error probable of a carrier, in metres.
    cep_m: f64 = |p| p.cep_m;
    /// Radius of the munition's footprint, in metres.
    footprint_radius_m: f64 = |p| p.footprint_radius_m;
});

getters!(Aftermath {
    /// The unit of the rates and durations.
    rate_unit: TimeUnit = |a| a.rate_unit;
    /// One step, in rate units.
    step_length: f64 = |a| a.step_length;
    /// When clearance begins, in rate units after the strikes.
    clearance_start: StepDuration = |a| a.clearance_start;
    /// When clearance ends, in rate units after the strikes (`None`: never).
    clearance_end: Option<StepDuration> = |a| a.clearance_end;
    /// Probability that clearance, acting alone, removes a live UXO within
    /// one rate unit.
    clearance_rate: ProbDist = |a| a.clearance_rate;
    /// Probability that people, acting alone, trigger a live UXO within
    /// the first rate unit after the strikes.
    encounter_rate: ProbDist = |a| a.encounter_rate;
    /// Half-life of the part of the encounter intensity that falls, in
    /// rate units (`None`: the intensity is constant).
    encounter_half_life: Option<PositiveDist> = |a| a.encounter_half_life;
    /// Share of the initial encounter intensity that never falls.
    encounter_floor: ProbDist = |a| a.encounter_floor;
    /// Probability that a live UXO, left alone, degrades into harmlessness
    /// within one rate unit.
    degradation_rate: ProbDist = |a| a.degradation_rate;
    /// Casualties caused by one encounter.
    casualties_per_encounter: CountDist = |a| a.casualties_per_encounter;
});

getters!(Area {
    /// Where the area lies on the Earth (`None`: local metres only).
    georef: Option<&Georef> = |a| a.georef.as_ref();
    /// Width in metres (x axis).
    width_m: f64 = |a| a.width_m;
    /// Height in metres (y axis).
    height_m: f64 = |a| a.height_m;
    /// Side of a square cell in metres.
    cell_m: f64 = |a| a.cell_m;
});

getters!(ScenarioFile {
    /// Where it came from, as the user named it.
    source_name: &str = |f| &f.source_name;
    /// The file's text, kept for the report (without the overrides).
    text: &str = |f| &f.text;
    /// The `--set` overrides applied over the text, in order.
    overrides: &[Override] = |f| &f.overrides;
    /// Title for tables, charts and the report.
    title: &str = |f| &f.title;
    /// The `[simulation]` table.
    simulation: &Simulation = |f| &f.simulation;
    /// Every munition a scenario uses, resolved against the catalog, in
    /// order of first use.
    munitions: &[Munition] = |f| &f.munitions;
    /// The scenarios, in file order.
    scenarios: &[Scenario] = |f| &f.scenarios;
});

impl ScenarioFile {
    /// The same file without the scenarios' areas: counts over time only,
    /// for analyses where where the duds fall does not change how many
    /// there are.
    pub fn without_areas(&self) -> ScenarioFile {
        let mut file = self.clone();
        for s in &mut file.scenarios {
            s.spatial = None;
        }
        file
    }

    /// The same file without the scenarios' aftermaths: the strikes only.
    pub fn without_aftermaths(&self) -> ScenarioFile {
        let mut file = self.clone();
        for s in &mut file.scenarios {
            s.aftermath = None;
        }
        file
    }

    /// The same file with every munition's dud rate fixed at `rate`, a
    /// probability; `Err` when it is not one.
    pub fn with_dud_rates_fixed(&self, rate: f64) -> Result<ScenarioFile, String> {
        let fixed = ProbDist::fixed(rate)?;
        let mut file = self.clone();
        for m in &mut file.munitions {
            m.dud_rate = fixed;
        }
        Ok(file)
    }

    /// The same file keeping only its first `n` scenarios.
    pub fn first_scenarios(&self, n: usize) -> ScenarioFile {
        let mut file = self.clone();
        file.scenarios.truncate(n);
        file
    }
}

impl Scenario {
    /// The same scenario without its area.
    pub fn without_area(&self) -> Scenario {
        Scenario {
            spatial: None,
            ..self.clone()
        }
    }
}

impl Area {
    /// An area in local metres (not placed on the Earth).
    #[cfg(test)]
    pub(crate) fn local(width_m: f64, height_m: f64, cell_m: f64) -> Area {
        Area {
            width_m,
            height_m,
            cell_m,
            georef: None,
        }
    }

    /// Number of cell columns and rows (a partial last cell counts).
    pub fn grid_size(&self) -> (usize, usize) {
        (
            (self.width_m / self.cell_m).ceil() as usize,
            (self.height_m / self.cell_m).ceil() as usize,
        )
    }
}

impl ScenarioFile {
    /// Reads and validates a scenario file. At most 1 MiB is read, so that
    /// a device that never ends (`/dev/zero`) or a data file given by
    /// mistake is refused at once.
    pub fn load(path: &std::path::Path) -> Result<Self, InputError> {
        Self::load_with(path, &[])
    }

    /// As [`ScenarioFile::load`], with `overrides` applied over the file.
    pub fn load_with(path: &std::path::Path, overrides: &[Override]) -> Result<Self, InputError> {
        let name = path.display().to_string();
        let file = std::fs::File::open(path).map_err(|e| InputError {
            file: Some(name.clone()),
            message: format!("cannot read the scenario file: {e}"),
            ..InputError::default()
        })?;
        Self::read(&name, file, overrides)
    }

    /// Reads and validates a scenario file from `reader` (standard input,
    /// say), named `name` in messages; as [`ScenarioFile::load`], at most
    /// 1 MiB is read.
    pub fn read(
        name: &str,
        reader: impl std::io::Read,
        overrides: &[Override],
    ) -> Result<Self, InputError> {
        use std::io::Read;
        let error = |line: Option<usize>, message: String| InputError {
            file: Some(name.to_string()),
            line,
            message,
            ..InputError::default()
        };
        let mut bytes = Vec::new();
        reader
            .take(MAX_FILE_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| error(None, format!("cannot read the scenario file: {e}")))?;
        if bytes.len() as u64 > MAX_FILE_BYTES {
            return Err(error(
                None,
                format!(
                    "larger than {} MiB, the most a scenario file may hold (it describes \
                     strikes and rates, not data): is this the right file?",
                    MAX_FILE_BYTES >> 20
                ),
            ));
        }
        let text = String::from_utf8(bytes).map_err(|e| {
            let bytes = e.as_bytes();
            let at = e.utf8_error().valid_up_to();
            let line_start = bytes[..at]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1);
            let column = String::from_utf8_lossy(&bytes[line_start..at])
                .chars()
                .count()
                + 1;
            error(
                Some(bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1),
                format!(
                    "not UTF-8 text: byte 0x{:02X} at column {column} (save the file as UTF-8)",
                    bytes[at]
                ),
            )
        })?;
        Self::parse_with(name, &text, overrides)
    }

    /// The built-in default scenario.
    pub fn builtin_default() -> Self {
        Self::parse(DEFAULT_SCENARIO_NAME, default_text())
            .expect("the built-in default scenario is valid")
    }

    /// Validates scenario text; `source_name` names it in messages.
    pub fn parse(source_name: &str, text: &str) -> Result<Self, InputError> {
        Self::parse_with(source_name, text, &[])
    }

    /// Validates scenario text with `overrides` applied over it, as if the
    /// file said so. Errors of independent keys are reported together.
    pub fn parse_with(
        source_name: &str,
        text: &str,
        overrides: &[Override],
    ) -> Result<Self, InputError> {
        let doc = Document::parse(source_name, text, overrides)?;
        let root = doc.root();
        root.expect_only(&["title", "simulation", "munition", "scenario"])?;

        let title = match root.get("title") {
            Some(v) => doc.keep(v.str().map(str::to_string)),
            None => Some("dudsim scenario".to_string()),
        };
        let simulation = parse_simulation(&root);
        // Files a scenario names (an exposure grid) are relative to it.
        let base_dir = Path::new(source_name)
            .parent()
            .filter(|p| !p.as_os_str().is_empty() && Path::new(source_name).is_file())
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        let defined = parse_munitions(&root);
        let mut munitions = Munitions::default();
        let scenario_tables = match root.get("scenario") {
            Some(v) => doc.keep(v.array()).unwrap_or_default(),
            None => Vec::new(),
        };
        if scenario_tables.is_empty() && root.get("scenario").is_none() {
            doc.report(InputError {
                file: Some(source_name.to_string()),
                key: Some("scenario".to_string()),
                message: "no scenario to run: add at least one [[scenario]] table \
                          (`dudsim example` prints a complete file)"
                    .to_string(),
                ..InputError::default()
            });
        }
        let mut names = HashSet::new();
        let mut scenarios = Vec::new();
        for value in &scenario_tables {
            let Some(scenario) = doc.keep(parse_scenario(
                value,
                &defined,
                &mut munitions,
                simulation.step_unit,
                &base_dir,
            )) else {
                continue;
            };
            if !names.insert(scenario.name.clone()) {
                doc.report(value.error(format!(
                    "two scenarios are named \"{}\"; names must be unique",
                    scenario.name
                )));
            }
            scenarios.push(scenario);
        }
        doc.finish()?;
        Ok(ScenarioFile {
            source_name: source_name.to_string(),
            text: text.to_string(),
            overrides: overrides.to_vec(),
            title: title.expect("a title when there is no error"),
            simulation,
            munitions: munitions.list,
            scenarios,
        })
    }

    /// The munition a strike fires.
    pub fn munition_of(&self, strike: &Strike) -> &Munition {
        &self.munitions[strike.munition]
    }
}

/// The `[simulation]` table; a key in error keeps its default (the
/// error is reported).
fn parse_simulation(root: &Table<'_>) -> Simulation {
    let mut sim = Simulation {
        replicates: DEFAULT_REPLICATES,
        seed: DEFAULT_SEED,
        steps: 120,
        step_unit: TimeUnit::Month,
        maps_at: Vec::new(),
    };
    let doc = root.doc();
    let Some(value) = root.get("simulation") else {
        return sim;
    };
    let Some(table) = doc.keep(value.table("[simulation]")) else {
        return sim;
    };
    if doc
        .keep(table.expect_only(&["replicates", "seed", "steps", "step_unit", "maps_at"]))
        .is_none()
    {
        return sim;
    }
    if let Some(v) = table
        .get("replicates")
        .and_then(|v| doc.keep(v.whole_in(1..=MAX_REPLICATES)))
    {
        sim.replicates = v;
    }
    if let Some(v) = table.get("seed").and_then(|v| doc.keep(v.whole())) {
        sim.seed = v;
    }
    if let Some(v) = table
        .get("steps")
        .and_then(|v| doc.keep(v.whole_in(0..=MAX_STEPS)))
    {
        sim.steps = v as u32;
    }
    if let Some(v) = table.get("step_unit").and_then(|v| doc.keep(time_unit(&v))) {
        sim.step_unit = v;
    }
    if let Some(v) = table.get("maps_at")
        && let Some(steps) = doc.keep(maps_at(&v, sim.steps))
    {
        sim.maps_at = steps;
    }
    sim
}

/// `maps_at`: the steps (1 to `steps`) at which to map the live UXO,
/// sorted and without repeats.
fn maps_at(v: &Value<'_>, steps: u32) -> Result<Vec<u32>, InputError> {
    let mut at = Vec::new();
    for item in v.array()? {
        at.push(item.whole_in(1..=u64::from(steps.max(1)))? as u32);
    }
    if at.len() > MAX_MAPS {
        return Err(v.error(format!("at most {MAX_MAPS} steps to map, got {}", at.len())));
    }
    at.sort_unstable();
    at.dedup();
    Ok(at)
}

const MUNITION_KEYS: &[&str] = &[
    "id",
    "base",
    "submunitions",
    "dud_rate",
    "self_destruct",
    "lot_concentration",
    "footprint_radius_m",
    "note",
];

/// Munitions in order, with an index by id, so that a file with many
/// munitions validates in time linear in their number.
#[derive(Default)]
struct Munitions {
    list: Vec<Munition>,
    by_id: HashMap<String, usize>,
}

impl Munitions {
    /// The position of the munition `id`, if present.
    fn position(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// Adds a munition whose id is not present yet; returns its position.
    fn push(&mut self, munition: Munition) -> usize {
        let i = self.list.len();
        self.by_id.insert(munition.id.clone(), i);
        self.list.push(munition);
        i
    }
}

/// How many ids a message lists before saying how many more there are.
const IDS_LISTED: usize = 30;

/// The `[[munition]]` tables. A munition with an error in a key is still
/// listed (that key at a placeholder, the error reported), so that the
/// strikes firing it are checked too rather than reported as undefined.
fn parse_munitions(root: &Table<'_>) -> Munitions {
    let doc = root.doc();
    let mut defined = Munitions::default();
    let tables = match root.get("munition") {
        Some(v) => doc.keep(v.array()).unwrap_or_default(),
        None => return defined,
    };
    for value in &tables {
        if let Some(munition) = doc.keep(parse_munition(value, &defined)) {
            defined.push(munition);
        }
    }
    defined
}

fn parse_munition(value: &Value<'_>, defined: &Munitions) -> Result<Munition, InputError> {
    let table = value.table("[[munition]]")?;
    let id_value = table.require("id", "every [[munition]] needs an id")?;
    let id = id_value.str()?.trim().to_string();
    if id.is_empty() {
        return Err(id_value.error("a munition id cannot be empty"));
    }
    let table = table.renamed(format!("munition.{id}"));
    let doc = table.doc();
    let id_value = table.require("id", "every [[munition]] needs an id")?;
    // The munition is still listed after an unknown key, so that strikes
    // firing it are not called undefined; a key reported missing would
    // most likely be the misspelt one.
    let unknown_keys = doc.keep(table.expect_only(MUNITION_KEYS)).is_none();
    let missing = |key: &str, what: &str| {
        if !unknown_keys {
            doc.report(table.missing(key, what));
        }
    };
    if defined.position(&id).is_some() {
        return Err(id_value.error(format!(
            "munition \"{id}\" is defined twice; each id may have one [[munition]] table"
        )));
    }
    let base = match table.get("base") {
        Some(v) => {
            let base_id = v.str()?;
            match catalog::find(base_id) {
                Some(entry) => Some(entry),
                None => {
                    let ids: Vec<&str> = catalog::entries().iter().map(|m| m.id).collect();
                    let error = v.error(format!(
                        "\"{base_id}\" is not in the catalog; catalog ids: {}",
                        catalog_ids()
                    ));
                    return Err(match closest(base_id, &ids) {
                        Some(c) => error.with_hint(format!("did you mean \"{c}\"?")),
                        None => error,
                    });
                }
            }
        }
        None => catalog::find(&id),
    };
    let submunitions = match (table.get("submunitions"), base) {
        (Some(v), _) => doc.keep(v.whole_in(1..=MAX_SUBMUNITIONS_PER_CARRIER)),
        (None, Some(b)) => Some(b.submunitions),
        (None, None) => {
            missing(
                "submunitions",
                "submunitions per carrier (a munition not in the catalog needs it)",
            );
            None
        }
    };
    let dud_rate = match (table.get("dud_rate"), base) {
        (Some(v), _) => doc.keep(v.probability()),
        (None, Some(b)) => Some(b.dud_rate),
        (None, None) => {
            missing(
                "dud_rate",
                "the dud rate (a munition not in the catalog needs it)",
            );
            None
        }
    };
    let self_destruct = match table.get("self_destruct") {
        Some(v) => doc.keep(v.probability()),
        None => Some(ProbDist::ZERO),
    };
    let lot_concentration = match table.get("lot_concentration") {
        Some(v) => doc.keep(lot_concentration(&v)).map(Some),
        None => Some(None),
    };
    let footprint_radius_m = match table.get("footprint_radius_m") {
        Some(v) => doc.keep(v.positive_number()).map(Some),
        None => Some(base.and_then(|b| b.footprint_radius_m)),
    };
    if let Some(v) = table.get("note") {
        doc.keep(v.str());
    }
    // Placeholders stand in for keys in error: the file is refused anyway.
    Ok(Munition {
        id,
        submunitions: submunitions.unwrap_or(1),
        dud_rate: dud_rate.unwrap_or(ProbDist::ZERO),
        self_destruct: self_destruct.unwrap_or(ProbDist::ZERO),
        lot_concentration: lot_concentration.flatten(),
        footprint_radius_m: footprint_radius_m.flatten(),
        catalog_id: base.map(|b| b.id),
    })
}

fn lot_concentration(v: &Value<'_>) -> Result<f64, InputError> {
    let k = v.positive_number()?;
    if k > MAX_LOT_CONCENTRATION {
        return Err(v.error(format!(
            "must be from {MIN_LOT_CONCENTRATION} to {MAX_LOT_CONCENTRATION:e} \
             (larger is the same as no lot variation: leave the key out), got {}",
            quoted(k)
        )));
    }
    if k < MIN_LOT_CONCENTRATION {
        return Err(v.error(format!(
            "must be from {MIN_LOT_CONCENTRATION} to {MAX_LOT_CONCENTRATION:e} \
             (smaller means each carrier's submunitions all fail or all work), got {}",
            quoted(k)
        )));
    }
    Ok(k)
}

fn catalog_ids() -> String {
    catalog::entries()
        .iter()
        .map(|m| m.id)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Resolves a munition id: the file's own definitions first, then the
/// catalog. Returns its index in `used`, adding it on first use.
fn resolve_munition(
    id: &str,
    value: &Value<'_>,
    defined: &Munitions,
    used: &mut Munitions,
) -> Result<usize, InputError> {
    if let Some(i) = used.position(id) {
        return Ok(i);
    }
    let munition = if let Some(d) = defined.position(id) {
        defined.list[d].clone()
    } else if let Some(entry) = catalog::find(id) {
        Munition {
            id: entry.id.to_string(),
            submunitions: entry.submunitions,
            dud_rate: entry.dud_rate,
            self_destruct: ProbDist::ZERO,
            lot_concentration: None,
            footprint_radius_m: entry.footprint_radius_m,
            catalog_id: Some(entry.id),
        }
    } else {
        let mut known: Vec<&str> = defined.list.iter().map(|d| d.id.as_str()).collect();
        // A file may override a catalog munition: list each id once.
        known.extend(
            catalog::entries()
                .iter()
                .map(|m| m.id)
                .filter(|c| defined.position(c).is_none()),
        );
        let suggestion = closest(id, &known);
        let more = known.len().saturating_sub(IDS_LISTED);
        known.truncate(IDS_LISTED);
        let more = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        let error = value.error(format!(
            "munition \"{id}\" is not defined: add a [[munition]] table for it or use one of {}{more}",
            known.join(", ")
        ));
        return Err(match suggestion {
            Some(c) => error.with_hint(format!("did you mean \"{c}\"?")),
            None => error,
        });
    };
    Ok(used.push(munition))
}

fn parse_scenario(
    value: &Value<'_>,
    defined: &Munitions,
    munitions: &mut Munitions,
    step_unit: TimeUnit,
    base_dir: &Path,
) -> Result<Scenario, InputError> {
    let table = value.table("[[scenario]]")?;
    let name_value = table.require("name", "every [[scenario]] needs a name")?;
    let name = name_value.str()?.trim().to_string();
    if name.is_empty() {
        return Err(name_value.error("a scenario name cannot be empty"));
    }
    let table = table.renamed(format!("scenario.{name}"));
    table.expect_only(&[
        "name",
        "strikes",
        "aftermath",
        "area",
        "exposure",
        "clearance",
    ])?;

    let doc = table.doc();

    // The area, the strikes and the aftermath are checked independently;
    // the strikes' placements need the area, and are not checked against
    // one in error.
    let area = table.get("area").map(|v| doc.keep(parse_area(&v)));
    let area_in_error = matches!(area, Some(None));
    let area = area.flatten();
    let strikes_value = table.require("strikes", "the list of strikes fired");
    let strike_values = match strikes_value {
        Ok(v) => match doc.keep(v.array()) {
            Some(items) if items.is_empty() => {
                doc.report(v.error("a scenario needs at least one strike"));
                Vec::new()
            }
            Some(items) => items,
            None => Vec::new(),
        },
        Err(e) => {
            doc.report(e);
            Vec::new()
        }
    };
    let mut strikes = Vec::new();
    let mut placements = Vec::new();
    let mut max_submunitions = 0.0;
    for strike_value in &strike_values {
        let parsed = parse_strike(strike_value, defined, munitions, area.as_ref());
        let Some((strike, placement)) = doc.keep(parsed) else {
            continue;
        };
        if area_in_error {
            continue;
        }
        placements.extend(placement);
        let munition = &munitions.list[strike.munition];
        max_submunitions += strike.carriers.practical_max() * munition.submunitions as f64;
        if max_submunitions > MAX_SUBMUNITIONS {
            return Err(strike_value.error(format!(
                "carriers x submunitions can reach {max_submunitions:.3e} in this scenario, \
                 above the limit of {MAX_SUBMUNITIONS:e} submunitions per scenario"
            )));
        }
        if area.is_some() && max_submunitions > MAX_SPATIAL_SUBMUNITIONS {
            return Err(strike_value.error(format!(
                "carriers x submunitions can reach {max_submunitions:.3e} in this scenario, \
                 above the limit of {MAX_SPATIAL_SUBMUNITIONS:e} for a scenario with an area, \
                 whose duds are placed one by one"
            )));
        }
        strikes.push(strike);
    }

    let aftermath_value = table.get("aftermath");
    let aftermath = aftermath_value
        .as_ref()
        .and_then(|v| doc.keep(parse_aftermath(v, step_unit)));
    let aftermath_in_error = aftermath_value.is_some() && aftermath.is_none();
    let exposure_value = table.get("exposure");
    let clearance_value = table.get("clearance");
    let (exposure, teams) = match (&area, &aftermath) {
        (Some(area), Some(aftermath)) => {
            let exposure = exposure_value
                .as_ref()
                .and_then(|v| doc.keep(parse_exposure(v, area, base_dir)));
            // Clearance weighs the exposure: not checked against one in error.
            let teams = if exposure_value.is_some() && exposure.is_none() {
                None
            } else {
                clearance_value
                    .as_ref()
                    .and_then(|v| doc.keep(parse_teams(v, aftermath, exposure.is_some())))
            };
            (exposure, teams)
        }
        _ if area_in_error || aftermath_in_error => (None, None),
        _ => {
            if let Some(v) = exposure_value.as_ref().or(clearance_value.as_ref()) {
                return Err(v.error(
                    "exposure and clearance on the map need the scenario's [scenario.area] \
                     and [scenario.aftermath]",
                ));
            }
            (None, None)
        }
    };
    let spatial = area.map(|area| Spatial {
        area,
        strikes: placements,
        exposure,
        teams,
    });
    Ok(Scenario {
        name,
        strikes,
        aftermath,
        spatial,
    })
}

fn parse_strike(
    value: &Value<'_>,
    defined: &Munitions,
    munitions: &mut Munitions,
    area: Option<&Area>,
) -> Result<(Strike, Option<Placement>), InputError> {
    let table = value.table("a strike")?;
    table.expect_only(&["munition", "carriers", "target", "cep_m"])?;
    // The munition, the carriers, the target and the CEP are checked
    // independently, and all their errors reported.
    let munition_value = table.require("munition", "the id of the munition fired");
    let munition = match &munition_value {
        Ok(v) => v
            .str()
            .and_then(|id| resolve_munition(id, v, defined, munitions)),
        Err(e) => Err(e.clone()),
    };
    let carriers = table
        .require("carriers", "the number of carriers fired")
        .and_then(|v| v.count());
    let target = table
        .get("target")
        .map(|v| parse_target(&v, area))
        .transpose();
    let cep_m = table
        .get("cep_m")
        .map(|v| v.non_negative_number())
        .transpose();
    let (munition, carriers, target, cep_m) = match (munition, carriers, target, cep_m) {
        (Ok(m), Ok(c), Ok(t), Ok(p)) => (m, c, t, p),
        (m, c, t, p) => {
            return Err(all_reported(
                table.doc(),
                [m.err(), c.err(), t.err(), p.err()],
            ));
        }
    };
    let placement = match area {
        None => None,
        Some(_) => {
            let Some(target) = target else {
                return Err(table.missing(
                    "target",
                    "the aim rectangle [x_min, y_min, x_max, y_max] (the scenario has an area)",
                ));
            };
            let Some(cep_m) = cep_m else {
                return Err(table.missing(
                    "cep_m",
                    "the circular error probable in metres (the scenario has an area)",
                ));
            };
            let m = &munitions.list[munition];
            let Some(footprint_radius_m) = m.footprint_radius_m else {
                let at = munition_value.as_ref().expect("the munition resolved");
                return Err(at.error(format!(
                    "munition \"{}\" has no footprint_radius_m, which the spatial model needs: \
                     give one in its [[munition]] table",
                    m.id
                )));
            };
            Some(Placement {
                target,
                cep_m,
                footprint_radius_m,
            })
        }
    };
    Ok((Strike { munition, carriers }, placement))
}

/// A strike's `target`: `[x_min, y_min, x_max, y_max]` in metres, inside
/// the area if there is one.
fn parse_target(v: &Value<'_>, area: Option<&Area>) -> Result<[f64; 4], InputError> {
    let [x0, y0, x1, y1] = v.numbers::<4>("target = [x_min, y_min, x_max, y_max] in metres")?;
    if x0 > x1 || y0 > y1 {
        return Err(v.error(format!(
            "target = [x_min, y_min, x_max, y_max] needs x_min <= x_max and y_min <= y_max, got [{x0}, {y0}, {x1}, {y1}]"
        )));
    }
    if let Some(a) = area
        && (x0 < 0.0 || y0 < 0.0 || x1 > a.width_m || y1 > a.height_m)
    {
        return Err(v.error(format!(
            "target [{x0}, {y0}, {x1}, {y1}] lies outside the area [0, 0, {}, {}]",
            a.width_m, a.height_m
        )));
    }
    Ok([x0, y0, x1, y1])
}

/// Of the errors of a table's independent keys (`None` where a key is
/// fine), reports all but the first to `doc` and returns the first, for
/// the caller to report: every error is reported once.
fn all_reported<const N: usize>(doc: &Document<'_>, errors: [Option<InputError>; N]) -> InputError {
    let mut errors = errors.into_iter().flatten();
    let first = errors.next().expect("at least one error");
    errors.for_each(|e| doc.report(e));
    first
}

/// A unit of time: one of `day`, `week`, `month`, `quarter`, `year`.
fn time_unit(v: &Value<'_>) -> Result<TimeUnit, InputError> {
    let name = v.str()?.trim();
    TimeUnit::parse(name).ok_or_else(|| {
        v.error(format!(
            "unknown unit of time \"{name}\"; allowed: {}",
            TimeUnit::names()
        ))
    })
}

fn parse_aftermath(value: &Value<'_>, step_unit: TimeUnit) -> Result<Aftermath, InputError> {
    let table = value.table("[scenario.aftermath]")?;
    table.expect_only(&[
        "rate_unit",
        "clearance_start",
        "clearance_end",
        "clearance_rate",
        "encounter_rate",
        "encounter_half_life",
        "encounter_floor",
        "degradation_rate",
        "casualties_per_encounter",
    ])?;
    let rate_unit = match table.get("rate_unit") {
        Some(v) => time_unit(&v)?,
        None => step_unit,
    };
    let step_length = step_unit.in_units_of(rate_unit);
    let doc = table.doc();
    let prob = |key: &str| -> ProbDist {
        table
            .get(key)
            .and_then(|v| doc.keep(v.probability()))
            .unwrap_or(ProbDist::ZERO)
    };
    let clearance_rate = prob("clearance_rate");
    let encounter_rate = prob("encounter_rate");
    let degradation_rate = prob("degradation_rate");
    let encounter_floor = prob("encounter_floor");
    let encounter_half_life = table
        .get("encounter_half_life")
        .and_then(|v| doc.keep(v.positive()));
    if table.get("encounter_half_life").is_none()
        && let Some(v) = table.get("encounter_floor")
    {
        doc.report(v.error(
            "encounter_floor is the share of the encounter rate that never falls: it needs an \
             encounter_half_life (without one the rate is constant)",
        ));
    }
    let start_at_zero = || {
        StepDuration::new(DurationValue::Fixed(0.0), rate_unit, step_unit)
            .expect("0 is on a step boundary")
    };
    let clearance_start = match table.get("clearance_start") {
        Some(v) => doc
            .keep(v.step_duration(rate_unit, step_unit))
            .unwrap_or_else(start_at_zero),
        None => start_at_zero(),
    };
    let clearance_end = table.get("clearance_end").and_then(|v| {
        doc.keep((|| {
            let end = v.step_duration(rate_unit, step_unit)?;
            if end.is_fixed() && clearance_start.is_fixed() && end.mean() <= clearance_start.mean()
            {
                return Err(v.error(format!(
                    "clearance ends at {end} {rate_unit}(s), not after it starts ({clearance_start}): \
                     give a later clearance_end, or leave clearance_rate at 0"
                )));
            }
            Ok(end)
        })())
    });
    let casualties_per_encounter = match table.get("casualties_per_encounter") {
        Some(v) => doc
            .keep(casualties_per_encounter(&v))
            .unwrap_or(CountDist::fixed(1)),
        None => CountDist::fixed(1),
    };
    Ok(Aftermath {
        rate_unit,
        step_length,
        clearance_start,
        clearance_end,
        clearance_rate,
        encounter_rate,
        encounter_half_life,
        encounter_floor,
        degradation_rate,
        casualties_per_encounter,
    })
}

fn casualties_per_encounter(v: &Value<'_>) -> Result<CountDist, InputError> {
    let d = v.count()?;
    let limit = MAX_CASUALTIES_PER_ENCOUNTER;
    match d.shape() {
        CountShape::Poisson(mean) if d.practical_max() > limit => Err(v.error(format!(
            "a Poisson count of mean {} reaches {:.0} in its tail (the mean plus \
             40 standard deviations and 40, beyond which the chance is below \
             1e-300), above the limit of {limit} casualties per encounter: the \
             largest Poisson mean allowed is {:.0}",
            quoted(mean),
            d.practical_max(),
            largest_poisson_mean_within(limit).floor()
        ))),
        _ if d.practical_max() > limit => Err(v.error(format!(
            "at most {limit} casualties per encounter are supported, got up to {:.0}",
            d.practical_max()
        ))),
        _ => Ok(d),
    }
}

/// The largest Poisson mean whose practical maximum (see
/// [`CountDist::practical_max`]) stays within `limit`: the root of
/// m + 40·√m + 40 = limit.
fn largest_poisson_mean_within(limit: f64) -> f64 {
    let root = (-40.0 + (1600.0 + 4.0 * (limit - 40.0)).sqrt()) / 2.0;
    root * root
}

/// `[scenario.exposure]`: a raster read from `grid` (relative to the
/// scenario file), averaged onto the area's cells and scaled to mean 1.
fn parse_exposure(value: &Value<'_>, area: &Area, base_dir: &Path) -> Result<Exposure, InputError> {
    let table = value.table("[scenario.exposure]")?;
    table.expect_only(&["grid"])?;
    let grid_value = table.require(
        "grid",
        "the raster of how much people use each place (ESRI ASCII grid or GeoTIFF)",
    )?;
    let grid = grid_value.str()?.to_string();
    let raster =
        geo::Raster::read(&base_dir.join(&grid)).map_err(|e| grid_value.error(e.message()))?;
    if let (Some(epsg), Some(georef)) = (raster.epsg(), &area.georef)
        && epsg != georef.crs.epsg()
    {
        return Err(grid_value.error(format!(
            "the raster is in EPSG:{epsg}, the area in EPSG:{}: give the raster in the area's \
             coordinate system",
            georef.crs.epsg()
        )));
    }
    let origin = area.georef.as_ref().map_or([0.0, 0.0], |g| g.origin);
    let frame = GridFrame::new(area.width_m, area.height_m, area.cell_m, origin)
        .map_err(|e| grid_value.error(e.message()))?;
    let values = raster
        .over_cells(&frame)
        .map_err(|e| grid_value.error(e.message()))?;
    let (mut sum, mut land) = (0.0, 0.0);
    for (cell, v) in values.iter().enumerate() {
        let a = frame.cell_area_m2(cell % frame.columns(), cell / frame.columns());
        sum += v * a;
        land += a;
    }
    if sum.is_nan() || sum <= 0.0 {
        return Err(
            grid_value.error("the raster is 0 over the whole area: no one would ever meet a UXO")
        );
    }
    let mean = sum / land;
    Ok(Exposure {
        grid,
        weights: values.iter().map(|v| v / mean).collect(),
    })
}

/// `[scenario.clearance]`: teams on the map.
fn parse_teams(
    value: &Value<'_>,
    aftermath: &Aftermath,
    has_exposure: bool,
) -> Result<Teams, InputError> {
    let table = value.table("[scenario.clearance]")?;
    table.expect_only(&["capacity_ha", "detection", "order", "passes"])?;
    if !aftermath.clearance_rate.is_fixed() || aftermath.clearance_rate.mean() > 0.0 {
        return Err(value.error(
            "teams on the map replace the aftermath's clearance_rate: leave clearance_rate out \
             (clearance_start and clearance_end still say when the teams work)",
        ));
    }
    // Each key is checked on its own, and all their errors reported.
    let capacity_ha = table
        .require("capacity_ha", "hectares the teams search per rate unit")
        .and_then(|v| v.positive());
    let detection = table
        .require(
            "detection",
            "the probability that a search finds each UXO of the cell it searches",
        )
        .and_then(|v| v.probability());
    let order = table
        .require(
            "order",
            "the order of the search: density, risk, exposure, sweep or random",
        )
        .and_then(|v| search_order(&v, has_exposure));
    let passes = match table.get("passes") {
        Some(v) => v.whole_in(1..=MAX_PASSES).map(|p| p as u32),
        None => Ok(1),
    };
    let (capacity_ha, detection, order, passes) = match (capacity_ha, detection, order, passes) {
        (Ok(c), Ok(d), Ok(o), Ok(p)) => (c, d, o, p),
        (c, d, o, p) => {
            return Err(all_reported(
                table.doc(),
                [c.err(), d.err(), o.err(), p.err()],
            ));
        }
    };
    Ok(Teams {
        capacity_ha,
        detection,
        order,
        passes,
    })
}

/// The teams' `order`, which may be `exposure` only with an exposure grid.
fn search_order(order_value: &Value<'_>, has_exposure: bool) -> Result<SearchOrder, InputError> {
    let order_name = order_value.str()?.trim();
    let order = SearchOrder::ALL
        .into_iter()
        .find(|o| o.name() == order_name)
        .ok_or_else(|| {
            let names = SearchOrder::ALL.map(SearchOrder::name);
            let error = order_value.error(format!(
                "unknown order \"{order_name}\"; allowed: {}",
                names.join(", ")
            ));
            match closest(order_name, &names) {
                Some(c) => error.with_hint(format!("did you mean \"{c}\"?")),
                None => error,
            }
        })?;
    if order == SearchOrder::Exposure && !has_exposure {
        return Err(
            order_value.error("order = \"exposure\" needs a [scenario.exposure] grid to order by")
        );
    }
    Ok(order)
}

fn parse_area(value: &Value<'_>) -> Result<Area, InputError> {
    let table = value.table("[scenario.area]")?;
    table.expect_only(&[
        "width_m",
        "height_m",
        "cell_m",
        "crs",
        "origin",
        "center_lonlat",
    ])?;
    let width_m = table
        .require("width_m", "the width in metres")?
        .positive_number()?;
    let height_m = table
        .require("height_m", "the height in metres")?
        .positive_number()?;
    let cell_value = table.require("cell_m", "the side of a grid cell in metres")?;
    let cell_m = cell_value.positive_number()?;
    let cells = (width_m / cell_m).ceil() * (height_m / cell_m).ceil();
    if cells > MAX_CELLS {
        return Err(cell_value.error(format!(
            "the grid would have {cells:.3e} cells, above the limit of {MAX_CELLS:e}: use larger cells"
        )));
    }
    let georef = parse_georef(&table, width_m, height_m, cell_m)?;
    Ok(Area {
        width_m,
        height_m,
        cell_m,
        georef,
    })
}

/// Where `[scenario.area]` places the area: `crs` with `origin` (its
/// lower-left corner), or `center_lonlat`, which picks the WGS 84 / UTM zone
/// of that point and centres the area on it; neither leaves it in local
/// metres.
fn parse_georef(
    table: &Table<'_>,
    width_m: f64,
    height_m: f64,
    cell_m: f64,
) -> Result<Option<Georef>, InputError> {
    let (crs_value, origin_value, center_value) = (
        table.get("crs"),
        table.get("origin"),
        table.get("center_lonlat"),
    );
    if let (Some(center), true) = (&center_value, crs_value.is_some() || origin_value.is_some()) {
        return Err(center.error(
            "give either crs with origin, or center_lonlat (which chooses the UTM zone and \
             the origin itself), not both",
        ));
    }
    if let Some(center) = center_value {
        let [lon, lat] = center.numbers::<2>("center_lonlat = [longitude, latitude] in degrees")?;
        let placed = geo::utm_centred(lon, lat, width_m, height_m, cell_m)
            .map_err(|e| center.error(e.message()))?;
        let crs = Crs::from_epsg(placed.epsg).map_err(|e| center.error(e.message()))?;
        return Ok(Some(Georef {
            crs,
            origin: placed.origin,
        }));
    }
    match (crs_value, origin_value) {
        (None, None) => Ok(None),
        (Some(_), None) => Err(table.missing(
            "origin",
            "the lower-left corner [easting, northing] in the crs's metres (crs needs it)",
        )),
        (None, Some(origin_value)) => Err(origin_value
            .error("origin needs crs = \"EPSG:NNNN\", the projected coordinate system it is in")),
        (Some(crs_value), Some(origin_value)) => {
            let crs = Crs::parse(crs_value.str()?).map_err(|e| crs_value.error(e.message()))?;
            let origin = origin_value.numbers::<2>("origin = [easting, northing] in metres")?;
            let frame = GridFrame::new(width_m, height_m, cell_m, origin)
                .map_err(|e| origin_value.error(e.message()))?;
            crs.check_frame(&frame)
                .map_err(|e| origin_value.error(e.message()))?;
            Ok(Some(Georef { crs, origin }))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The error `aftermath` (with `simulation`) gets, as one line.
    fn refusal(simulation: &str, aftermath: &str) -> String {
        let text = format!(
            "[simulation]\n{simulation}\n[[scenario]]\nname = \"s\"\n\
             strikes = [ {{ munition = \"M864\", carriers = 1 }} ]\n\
             [scenario.aftermath]\n{aftermath}\n"
        );
        match ScenarioFile::parse("t.toml", &text) {
            Ok(_) => panic!("accepted:\n{text}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn a_clearance_start_off_a_step_boundary_names_the_nearest_ones() {
        let e = refusal(
            "step_unit = \"year\"\nsteps = 10",
            "rate_unit = \"month\"\nclearance_start = 18",
        );
        assert!(e.contains("clearance_start"), "{e}");
        assert!(e.contains("12 and 24"), "{e}");
        let e = refusal(
            "step_unit = \"quarter\"\nsteps = 8",
            "rate_unit = \"month\"\nclearance_end = 7",
        );
        assert!(e.contains("clearance_end") && e.contains("6 and 9"), "{e}");
        let e = refusal(
            "step_unit = \"year\"\nsteps = 10",
            "rate_unit = \"month\"\nclearance_start = { uniform = [6, 18] }",
        );
        assert!(e.contains("clearance_start"), "{e}");
    }

    #[test]
    fn unknown_units_list_the_allowed_ones() {
        let e = refusal("step_unit = \"fortnight\"", "encounter_rate = 0.01");
        assert!(
            e.contains("step_unit") && e.contains("day, week, month, quarter, year"),
            "{e}"
        );
        let e = refusal("", "rate_unit = \"months\"");
        assert!(e.contains("rate_unit") && e.contains("unknown unit"), "{e}");
    }

    #[test]
    fn half_lives_must_be_positive_and_floors_need_one() {
        let e = refusal("", "encounter_rate = 0.01\nencounter_half_life = -3");
        assert!(
            e.contains("encounter_half_life") && e.contains("greater than 0"),
            "{e}"
        );
        let e = refusal("", "encounter_rate = 0.01\nencounter_half_life = 0");
        assert!(e.contains("greater than 0"), "{e}");
        let e = refusal("", "encounter_rate = 0.01\nencounter_floor = 0.1");
        assert!(
            e.contains("encounter_floor") && e.contains("encounter_half_life"),
            "{e}"
        );
        let e = refusal(
            "",
            "clearance_start = 12\nclearance_end = 6\nclearance_rate = 0.1",
        );
        assert!(e.contains("clearance_end"), "{e}");
    }

    #[test]
    fn any_rates_in_the_unit_interval_are_valid_together() {
        // Competing risks: rates are each cause's own, with no sum limit.
        let text = "[[scenario]]\nname = \"s\"\n\
                    strikes = [ { munition = \"M864\", carriers = 1 } ]\n\
                    [scenario.aftermath]\nclearance_rate = 0.9\nencounter_rate = { beta = [2, 2] }\n\
                    degradation_rate = 1.0\n";
        assert!(ScenarioFile::parse("t.toml", text).is_ok());
    }

    /// The error an area with `placement` gets, as one line.
    fn area_refusal(placement: &str) -> String {
        let text = format!(
            "[[scenario]]\nname = \"s\"\n\
             strikes = [ {{ munition = \"M864\", carriers = 1, target = [0, 0, 10, 10], cep_m = 0 }} ]\n\
             [scenario.area]\nwidth_m = 1000\nheight_m = 1000\ncell_m = 50\n{placement}\n"
        );
        match ScenarioFile::parse("t.toml", &text) {
            Ok(_) => panic!("accepted:\n{text}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn placed_areas_are_checked_and_name_the_key() {
        for (placement, key, says) in [
            (
                "crs = \"EPSG:999999\"\norigin = [0, 0]",
                "crs",
                "EPSG:999999",
            ),
            ("crs = \"EPSG:4326\"\norigin = [0, 0]", "crs", "projected"),
            ("crs = \"WGS84\"\norigin = [0, 0]", "crs", "EPSG"),
            ("crs = \"EPSG:32637\"\norigin = [9e7, 5e6]", "origin", ""),
            ("crs = \"EPSG:32637\"", "origin", "origin"),
            ("origin = [300000, 5540000]", "origin", "crs"),
            ("center_lonlat = [200, 50]", "center_lonlat", "longitude"),
            ("center_lonlat = [36, 89]", "center_lonlat", "latitude"),
            (
                "center_lonlat = [36, 50]\ncrs = \"EPSG:32637\"\norigin = [0, 0]",
                "center_lonlat",
                "not both",
            ),
        ] {
            let e = area_refusal(placement);
            assert!(e.contains(&format!(".area.{key}`")), "{placement}: {e}");
            assert!(e.contains(says), "{placement}: {e}");
        }
    }

    #[test]
    fn a_centre_in_lon_lat_picks_its_utm_zone() {
        let text = "[[scenario]]\nname = \"s\"\n\
                    strikes = [ { munition = \"M864\", carriers = 1, target = [0, 0, 10, 10], cep_m = 0 } ]\n\
                    [scenario.area]\nwidth_m = 5000\nheight_m = 4000\ncell_m = 50\n\
                    center_lonlat = [36.23, 50.0]\n";
        let file = ScenarioFile::parse("t.toml", text).unwrap();
        let georef = file.scenarios()[0].area().unwrap().georef().unwrap();
        assert_eq!(georef.epsg(), 32637);
        // The centre projects back to the point given.
        let [x, y] = georef.origin();
        let [lon, lat] = georef.crs.to_lonlat(x + 2500.0, y + 2000.0).unwrap();
        assert!(
            (lon - 36.23).abs() < 1e-8 && (lat - 50.0).abs() < 1e-8,
            "{lon}, {lat}"
        );
    }
}
