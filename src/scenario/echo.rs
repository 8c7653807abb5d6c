//! The resolved inputs of a scenario file as data: what `summary.json`
//! echoes so that a result carries everything it came from. The catalog
//! has filled in what the file left out, and every distribution is written
//! as in a scenario file (`{ "uniform": [0.3, 0.4] }`), always as a table
//! so that a reader need not tell a number from a distribution.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::dist::{CountDist, CountShape, ProbDist, ProbShape};
use super::time::{DurationValue, PositiveDist, StepDuration};
use super::{Aftermath, Area, Munition, Scenario, ScenarioFile};

/// A probability, rate or duration: a fixed number or a distribution, as
/// in a scenario file.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Distribution {
    /// Always this value.
    Fixed(f64),
    /// Uniform on `[low, high]`.
    Uniform([f64; 2]),
    /// Triangular: `[min, mode, max]`.
    Triangular([f64; 3]),
    /// Beta: `[alpha, beta]`.
    Beta([f64; 2]),
    /// Poisson with this mean (whole numbers of a duration's unit).
    Poisson(f64),
}

/// A count: a whole number or a distribution over whole numbers.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Count {
    /// Always this number.
    Fixed(u64),
    /// Poisson with this mean.
    Poisson(f64),
    /// Uniform over the whole numbers `[low, high]`.
    Uniform([u64; 2]),
}

impl From<ProbShape> for Distribution {
    fn from(shape: ProbShape) -> Self {
        match shape {
            ProbShape::Fixed(x) => Distribution::Fixed(x),
            ProbShape::Uniform { lo, hi } => Distribution::Uniform([lo, hi]),
            ProbShape::Triangular { min, mode, max } => Distribution::Triangular([min, mode, max]),
            ProbShape::Beta { alpha, beta } => Distribution::Beta([alpha, beta]),
        }
    }
}

impl From<ProbDist> for Distribution {
    fn from(d: ProbDist) -> Self {
        d.shape().into()
    }
}

impl From<PositiveDist> for Distribution {
    fn from(d: PositiveDist) -> Self {
        d.shape().into()
    }
}

impl From<StepDuration> for Distribution {
    fn from(d: StepDuration) -> Self {
        match d.value() {
            DurationValue::Fixed(x) => Distribution::Fixed(x),
            DurationValue::Count(c) => match c.shape() {
                CountShape::Fixed(n) => Distribution::Fixed(n as f64),
                CountShape::Poisson(mean) => Distribution::Poisson(mean),
                CountShape::Uniform { lo, hi } => Distribution::Uniform([lo as f64, hi as f64]),
            },
        }
    }
}

impl From<CountDist> for Count {
    fn from(d: CountDist) -> Self {
        match d.shape() {
            CountShape::Fixed(n) => Count::Fixed(n),
            CountShape::Poisson(mean) => Count::Poisson(mean),
            CountShape::Uniform { lo, hi } => Count::Uniform([lo, hi]),
        }
    }
}

impl Serialize for ProbDist {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        Distribution::from(*self).serialize(s)
    }
}

impl Serialize for CountDist {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        Count::from(*self).serialize(s)
    }
}

/// Everything a run simulated, resolved: the scenario file after the
/// catalog and the command line's overrides, and the settings used.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Inputs {
    /// The scenario file as the user named it (`<stdin>` for standard
    /// input, `<built-in default scenario>` without one).
    pub source: String,
    /// Its title.
    pub title: String,
    /// The run's settings: the file's, with the command line's over them.
    pub simulation: SimulationInputs,
    /// The `--set KEY=VALUE` overrides applied to the file, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<String>,
    /// For a forecast with a calibration's posterior (`run --posterior`):
    /// which inputs were drawn from which posterior file instead of from
    /// the ranges listed here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub posterior: Option<String>,
    /// Every munition a scenario fires, in order of first use.
    pub munitions: Vec<MunitionInputs>,
    /// The scenarios, in file order.
    pub scenarios: Vec<ScenarioInputs>,
}

/// The settings of a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SimulationInputs {
    /// Replicates run.
    pub replicates: u64,
    /// Seed of every random stream.
    pub seed: u64,
    /// Aftermath horizon in steps (0: none).
    pub steps: u32,
    /// What a step is: day, week, month, quarter or year.
    pub step_unit: String,
    /// Steps at which live UXO are mapped (absent: none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub maps_at: Vec<u32>,
}

/// One munition as the run used it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct MunitionInputs {
    /// Its id in the scenario file.
    pub id: String,
    /// The catalog entry it derives from, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub catalog_id: Option<String>,
    /// Submunitions per carrier.
    pub submunitions: u64,
    /// Conflict-wide dud rate.
    pub dud_rate: Distribution,
    /// Probability that a dud's self-destruct works.
    pub self_destruct: Distribution,
    /// Lot-to-lot concentration (absent: no lot variation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lot_concentration: Option<f64>,
    /// Radius of a carrier's footprint, in metres.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub footprint_radius_m: Option<f64>,
}

/// One scenario as the run used it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ScenarioInputs {
    /// Its name.
    pub name: String,
    /// The strikes fired.
    pub strikes: Vec<StrikeInputs>,
    /// What happens to the duds afterwards (absent: not modelled).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aftermath: Option<AftermathInputs>,
    /// The land mapped (absent: no map).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area: Option<AreaInputs>,
    /// How much people use each place (absent: the same everywhere).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exposure: Option<ExposureInputs>,
    /// Clearance teams searching the map (absent: none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clearance: Option<ClearanceInputs>,
}

/// How much people use each place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ExposureInputs {
    /// The raster's file, as the scenario names it.
    pub grid: String,
}

/// Clearance teams searching the map.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ClearanceInputs {
    /// Hectares searched per rate unit.
    pub capacity_ha: Distribution,
    /// Probability that a search finds each UXO of the cell it searches.
    pub detection: Distribution,
    /// The order of the search: density, risk, exposure, sweep or random.
    pub order: String,
    /// How many times the ordered cells are searched.
    pub passes: u32,
}

/// One strike.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct StrikeInputs {
    /// The id of the munition fired.
    pub munition: String,
    /// Carriers fired.
    pub carriers: Count,
    /// Aim rectangle `[x_min, y_min, x_max, y_max]` in metres, with an area.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<[f64; 4]>,
    /// Circular error probable in metres, with an area.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cep_m: Option<f64>,
}

/// The aftermath: rates and durations in `rate_unit`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct AftermathInputs {
    /// The unit of the rates and durations.
    pub rate_unit: String,
    /// When clearance starts, after the strikes.
    pub clearance_start: Distribution,
    /// When clearance ends (absent: never).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clearance_end: Option<Distribution>,
    /// Probability that clearance alone removes a live UXO within one unit.
    pub clearance_rate: Distribution,
    /// Probability that people alone trigger a live UXO within the first unit.
    pub encounter_rate: Distribution,
    /// Half-life of the falling part of the encounter rate (absent: constant).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encounter_half_life: Option<Distribution>,
    /// Share of the encounter rate that never falls.
    pub encounter_floor: Distribution,
    /// Probability that a live UXO degrades into harmlessness within one unit.
    pub degradation_rate: Distribution,
    /// Casualties per encounter.
    pub casualties_per_encounter: Count,
}

/// The land mapped.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct AreaInputs {
    /// Width in metres.
    pub width_m: f64,
    /// Height in metres.
    pub height_m: f64,
    /// Side of a square cell in metres.
    pub cell_m: f64,
    /// The projected coordinate system, `EPSG:NNNN`, if the area is placed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crs: Option<String>,
    /// The lower-left corner `[easting, northing]` in the crs's metres.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<[f64; 2]>,
}

impl Inputs {
    /// The inputs of `file` run with `replicates` replicates and `seed`.
    pub fn of(file: &ScenarioFile, replicates: u64, seed: u64) -> Self {
        Inputs {
            source: file.source_name.clone(),
            title: file.title.clone(),
            simulation: SimulationInputs {
                replicates,
                seed,
                steps: file.simulation.steps,
                step_unit: file.simulation.step_unit.name().to_string(),
                maps_at: file.simulation.maps_at.clone(),
            },
            overrides: file.overrides.iter().map(|o| o.to_string()).collect(),
            posterior: None,
            munitions: file.munitions.iter().map(munition).collect(),
            scenarios: file.scenarios.iter().map(|s| scenario(file, s)).collect(),
        }
    }
}

fn munition(m: &Munition) -> MunitionInputs {
    MunitionInputs {
        id: m.id.clone(),
        catalog_id: m.catalog_id.map(str::to_string),
        submunitions: m.submunitions,
        dud_rate: m.dud_rate.into(),
        self_destruct: m.self_destruct.into(),
        lot_concentration: m.lot_concentration,
        footprint_radius_m: m.footprint_radius_m,
    }
}

fn scenario(file: &ScenarioFile, s: &Scenario) -> ScenarioInputs {
    let placements = s.spatial.as_ref().map(|sp| &sp.strikes);
    ScenarioInputs {
        name: s.name.clone(),
        strikes: s
            .strikes
            .iter()
            .enumerate()
            .map(|(k, strike)| {
                let placement = placements.and_then(|p| p.get(k));
                StrikeInputs {
                    munition: file.munition_of(strike).id.clone(),
                    carriers: strike.carriers.into(),
                    target: placement.map(|p| p.target),
                    cep_m: placement.map(|p| p.cep_m),
                }
            })
            .collect(),
        aftermath: s.aftermath.as_ref().map(aftermath),
        area: s.spatial.as_ref().map(|sp| area(&sp.area)),
        exposure: s
            .spatial
            .as_ref()
            .and_then(|sp| sp.exposure.as_ref())
            .map(|e| ExposureInputs {
                grid: e.grid.clone(),
            }),
        clearance: s
            .spatial
            .as_ref()
            .and_then(|sp| sp.teams.as_ref())
            .map(|t| ClearanceInputs {
                capacity_ha: t.capacity_ha.into(),
                detection: t.detection.into(),
                order: t.order.name().to_string(),
                passes: t.passes,
            }),
    }
}

fn aftermath(a: &Aftermath) -> AftermathInputs {
    AftermathInputs {
        rate_unit: a.rate_unit.name().to_string(),
        clearance_start: a.clearance_start.into(),
        clearance_end: a.clearance_end.map(Into::into),
        clearance_rate: a.clearance_rate.into(),
        encounter_rate: a.encounter_rate.into(),
        encounter_half_life: a.encounter_half_life.map(Into::into),
        encounter_floor: a.encounter_floor.into(),
        degradation_rate: a.degradation_rate.into(),
        casualties_per_encounter: a.casualties_per_encounter.into(),
    }
}

fn area(a: &Area) -> AreaInputs {
    AreaInputs {
        width_m: a.width_m,
        height_m: a.height_m,
        cell_m: a.cell_m,
        crs: a.georef.as_ref().map(|g| format!("EPSG:{}", g.epsg())),
        origin: a.georef.as_ref().map(|g| g.origin),
    }
}
