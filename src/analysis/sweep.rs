//! Sweeps (`dudsim sweep`): the scenario file is rerun with one input
//! fixed at each of a range of values in turn, so that the outputs can be
//! read against that input alone; everything else (and its uncertainty)
//! stays as the file says. The input is every munition's dud rate
//! (`--dud-rate`), or any one input named as in `sensitivity.csv`
//! (`--param KEY=FROM:TO:COUNT`), set in the file as `--set` would.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

use crate::engine::{Engine, RunSettings};
use crate::error::{Error, Result};
use crate::scenario::{Override, ScenarioFile};
use crate::stats::{RunStats, Summary};

/// Most dud rates one sweep may visit.
pub const MAX_POINTS: usize = 1000;

/// Evenly spaced dud rates, `FROM:TO:COUNT` on the command line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DudRates {
    /// The first dud rate.
    pub from: f64,
    /// The last dud rate.
    pub to: f64,
    /// How many dud rates, evenly spaced.
    pub count: usize,
}

impl DudRates {
    /// The dud rates, from `from` to `to` inclusive.
    pub fn values(&self) -> Vec<f64> {
        if self.count == 1 {
            return vec![self.from];
        }
        let step = (self.to - self.from) / (self.count - 1) as f64;
        (0..self.count)
            .map(|i| {
                if i + 1 == self.count {
                    self.to
                } else {
                    // Rounded so that 0.05 * 3 reads 0.15 in tables and files.
                    ((self.from + step * i as f64) * 1e12).round() / 1e12
                }
            })
            .collect()
    }
}

impl FromStr for DudRates {
    type Err = String;

    fn from_str(text: &str) -> std::result::Result<Self, String> {
        DudRates::parse(text, true)
    }
}

impl DudRates {
    /// `FROM:TO:COUNT`; with `fractions`, FROM and TO must lie in [0, 1].
    fn parse(text: &str, fractions: bool) -> std::result::Result<Self, String> {
        let usage = if fractions {
            "expected FROM:TO:COUNT, dud rates as fractions from 0 to 1 \
             (e.g. 0:0.5:11 for 0%, 5%, ..., 50%)"
        } else {
            "expected FROM:TO:COUNT (e.g. 0:0.05:6 for 0, 0.01, ..., 0.05)"
        };
        let parts: Vec<&str> = text.split(':').collect();
        let [from, to, count] = parts[..] else {
            return Err(format!("\"{text}\": {usage}"));
        };
        let rate = |s: &str, what: &str| -> std::result::Result<f64, String> {
            let v: f64 = s
                .trim()
                .parse()
                .map_err(|_| format!("{what} \"{s}\" is not a number; {usage}"))?;
            if !v.is_finite() {
                return Err(format!("{what} \"{s}\" is not a finite number; {usage}"));
            }
            if fractions && !(0.0..=1.0).contains(&v) {
                return Err(format!(
                    "{what} {s} is outside [0, 1]; dud rates are fractions (0.35 for 35%)"
                ));
            }
            Ok(v)
        };
        let from = rate(from, "FROM")?;
        let to = rate(to, "TO")?;
        let count: usize = count
            .trim()
            .parse()
            .map_err(|_| format!("COUNT \"{count}\" is not a whole number; {usage}"))?;
        if !(1..=MAX_POINTS).contains(&count) {
            return Err(format!("COUNT must be from 1 to {MAX_POINTS}, not {count}"));
        }
        if from > to {
            return Err(format!("FROM ({from}) is above TO ({to})"));
        }
        if count == 1 && from != to {
            return Err("COUNT 1 asks for one value: give FROM and TO equal".to_string());
        }
        if count > 1 && from == to {
            return Err(format!(
                "FROM and TO are both {from}: use COUNT 1 for a single value"
            ));
        }
        Ok(DudRates { from, to, count })
    }
}

/// What a sweep varies.
#[derive(Debug, Clone, PartialEq)]
pub enum Swept {
    /// Every munition's dud rate, at each of these values (`--dud-rate`).
    DudRates(DudRates),
    /// One input, named as in `sensitivity.csv`, at each of these values
    /// (`--param KEY=FROM:TO:COUNT`).
    Input {
        /// The input, e.g. `scenario.NAME.aftermath.clearance_rate`.
        key: String,
        /// Its values.
        values: DudRates,
    },
}

impl FromStr for Swept {
    type Err = String;

    /// `KEY=FROM:TO:COUNT`, as `--param` takes it.
    fn from_str(text: &str) -> std::result::Result<Self, String> {
        let Some((key, range)) = text.split_once('=') else {
            return Err(format!(
                "--param \"{text}\": expected KEY=FROM:TO:COUNT, e.g. \
                 munition.9M55K.dud_rate=0.2:0.4:5"
            ));
        };
        let key = key.trim();
        if key == "title" || key.starts_with("simulation.") || !key.contains('.') {
            return Err(format!(
                "--param {key}: a sweep varies an input of the model, a munition.ID.FIELD or \
                 scenario.NAME.FIELD key (as in sensitivity.csv); replicates, seed and steps \
                 are set with --replicates, --seed and --set"
            ));
        }
        let values =
            DudRates::parse(range.trim(), false).map_err(|e| format!("--param {key}: {e}"))?;
        Ok(Swept::Input {
            key: key.to_string(),
            values,
        })
    }
}

impl Swept {
    /// The values visited, in increasing order.
    pub fn values(&self) -> Vec<f64> {
        match self {
            Swept::DudRates(rates) => rates.values(),
            Swept::Input { values, .. } => values.values(),
        }
    }

    /// The name of what is swept, as in `sweep.csv`: `dud_rate` for every
    /// munition's dud rate, else the key.
    pub fn name(&self) -> &str {
        match self {
            Swept::DudRates(_) => "dud_rate",
            Swept::Input { key, .. } => key,
        }
    }

    /// Whether the values are dud rates (of every munition or of one),
    /// shown as percentages beside the published figures.
    pub fn is_dud_rate(&self) -> bool {
        match self {
            Swept::DudRates(_) => true,
            Swept::Input { key, .. } => key.ends_with(".dud_rate"),
        }
    }
}

/// A value as TOML: a whole number without a decimal point (so that a
/// count accepts it), any other as Rust writes it.
fn toml_number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{v:.0}")
    } else {
        format!("{v}")
    }
}

/// The scenario file of a sweep at one value (without its areas),
/// validated as if the file said so: a value an input cannot take (a dud
/// rate above 1, a carrier count of 2.5) is refused, naming the key and the
/// value. Files are made one value at a time, so that a sweep never holds
/// more than one copy of a large file.
pub fn point(file: &ScenarioFile, swept: &Swept, value: f64) -> Result<ScenarioFile> {
    match swept {
        Swept::DudRates(_) => Ok(with_dud_rate(file, value)),
        Swept::Input { key, .. } => {
            let set = Override::new(key.clone(), toml_number(value));
            let mut overrides = file.overrides().to_vec();
            overrides.push(set.clone());
            let at_value = ScenarioFile::parse_with(file.source_name(), file.text(), &overrides)
                .map_err(|mut e| {
                    // Name the value of the sweep the error is about.
                    if e.file.as_deref() == Some(format!("--set {set}").as_str()) {
                        e.file = Some(format!("--param {set}"));
                    }
                    Error::from(e)
                })?;
            Ok(at_value.without_areas())
        }
    }
}

impl fmt::Display for DudRates {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.from, self.to, self.count)
    }
}

/// The file with every munition's dud rate fixed at `rate`. The areas are
/// dropped: a sweep reports counts over time, not maps, and where the duds
/// fall does not change how many there are.
pub fn with_dud_rate(file: &ScenarioFile, rate: f64) -> ScenarioFile {
    file.with_dud_rates_fixed(rate)
        .expect("sweep dud rates are validated fractions")
        .without_areas()
}

/// What a sweep reports of one scenario at one value: the UXO after the
/// strikes and, with an aftermath, live UXO and casualties at the horizon.
/// Only these are kept per value, so that a sweep's memory does not grow
/// with the number of steps.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SweepFigures {
    /// Unexploded submunitions after the strikes.
    pub unexploded: Summary,
    /// `None` without an aftermath.
    pub horizon: Option<HorizonFigures>,
}

/// Live UXO and cumulative casualties at the horizon.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HorizonFigures {
    /// The horizon, in steps.
    pub step: u32,
    /// Live UXO at the horizon.
    pub live: Summary,
    /// Casualties by the horizon.
    pub casualties: Summary,
}

/// The results at one value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SweepPoint {
    /// The value of what is swept.
    pub value: f64,
    /// One per scenario, in file order.
    pub scenarios: Vec<SweepFigures>,
}

/// The results of a sweep, one point per value, in increasing order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sweep {
    /// The scenario file's title.
    pub title: String,
    /// What is swept: `dud_rate` (every munition's) or the key of one input.
    pub parameter: String,
    /// Whether the values are dud rates.
    pub dud_rates: bool,
    /// Seed of every run.
    pub seed: u64,
    /// Replicates per value.
    pub replicates: u64,
    /// What a step is, e.g. "month".
    pub step_unit: String,
    /// Scenario names, in file order.
    pub scenarios: Vec<String>,
    /// One point per value, in increasing order.
    pub points: Vec<SweepPoint>,
    /// True when every munition's dud rate is swept and the scenarios differ
    /// only in their dud rates, so that their results coincide (up to
    /// sampling noise) once it is fixed.
    pub coincide: bool,
}

impl Sweep {
    /// The aftermath horizon in steps (0 without an aftermath).
    pub fn horizon(&self) -> usize {
        self.points
            .iter()
            .flat_map(|p| &p.scenarios)
            .filter_map(|s| s.horizon.as_ref())
            .map(|h| h.step as usize)
            .max()
            .unwrap_or(0)
    }
}

/// Runs `file` once per value of `swept` (each file from [`point`]), with
/// the seed and replicates of `settings`, on the current rayon pool,
/// holding at most `stat_copies` copies of the statistics at once;
/// `progress` is called with the replicates done.
pub fn run(
    file: &ScenarioFile,
    swept: &Swept,
    settings: &RunSettings,
    stat_copies: usize,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Sweep> {
    let replicates = settings.replicates();
    let mut points = Vec::new();
    for value in swept.values() {
        let at_value = point(file, swept, value)?;
        let steps = at_value.simulation.steps;
        let engine = Engine::new(&at_value, settings).with_stat_copies(stat_copies);
        let stats = engine.run(
            0..replicates,
            &|| RunStats::empty_horizon_only(&engine),
            progress,
        );
        points.push(SweepPoint {
            value,
            scenarios: stats
                .scenarios
                .iter()
                .map(|s| SweepFigures {
                    unexploded: s.unexploded.summary(),
                    horizon: s.horizon().map(|h| HorizonFigures {
                        step: steps,
                        live: h.live.summary(),
                        casualties: h.casualties.summary(),
                    }),
                })
                .collect(),
        });
    }
    Ok(Sweep {
        title: file.title.clone(),
        parameter: swept.name().to_string(),
        dud_rates: swept.is_dud_rate(),
        seed: settings.seed(),
        replicates,
        step_unit: file.simulation.step_unit.name().to_string(),
        scenarios: file.scenarios.iter().map(|s| s.name.clone()).collect(),
        points,
        coincide: matches!(swept, Swept::DudRates(_)) && differ_only_in_dud_rates(file),
    })
}

/// True when there are several scenarios and they would be the same model
/// if every munition had the same dud rate.
pub fn differ_only_in_dud_rates(file: &ScenarioFile) -> bool {
    let fixed = with_dud_rate(file, 0.0);
    let signature = |s: &crate::scenario::Scenario| {
        let strikes: Vec<_> = s
            .strikes
            .iter()
            .map(|k| {
                let mut m = fixed.munition_of(k).clone();
                m.id.clear();
                m.catalog_id = None;
                // Where duds fall does not change how many there are.
                m.footprint_radius_m = None;
                (m, k.carriers)
            })
            .collect();
        (strikes, s.aftermath.clone())
    };
    let mut signatures = fixed.scenarios.iter().map(signature);
    match signatures.next() {
        Some(first) => fixed.scenarios.len() > 1 && signatures.all(|s| s == first),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_ranges() {
        let r: DudRates = "0:0.5:11".parse().unwrap();
        let v = r.values();
        assert_eq!(v.len(), 11);
        assert_eq!(v[0], 0.0);
        assert_eq!(v[1], 0.05);
        assert_eq!(v[3], 0.15);
        assert_eq!(v[10], 0.5);
        assert_eq!("0.3:0.3:1".parse::<DudRates>().unwrap().values(), vec![0.3]);
    }

    #[test]
    fn the_default_scenarios_differ_only_in_dud_rates() {
        let file = ScenarioFile::builtin_default();
        assert!(differ_only_in_dud_rates(&file));
        let mut other = file.clone();
        other.scenarios[1].strikes[0].carriers = crate::scenario::CountDist::fixed(10);
        assert!(!differ_only_in_dud_rates(&other));
    }

    #[test]
    fn rejects_bad_ranges() {
        for bad in [
            "",
            "0:1",
            "0:1:2:3",
            "a:1:2",
            "0:1.5:3",
            "-0.1:0.5:3",
            "0:0.5:0",
            "0:0.5:100000",
            "0.5:0.1:3",
            "0:0.5:x",
            "0:0.5:-1",
            "0.2:0.2:3",
            "0:1:1",
            "NaN:1:3",
        ] {
            assert!(
                bad.parse::<DudRates>().is_err(),
                "{bad:?} should be rejected"
            );
        }
    }
}
