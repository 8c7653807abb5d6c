//! dudsim: a Monte Carlo simulator of unexploded cluster submunitions.
//!
//! Given how many cluster munitions are fired, how many submunitions each
//! carries and how often they fail, dudsim estimates how many unexploded
//! submunitions persist, where they lie, and how that contamination and
//! its human cost evolve over time, with the uncertainty shown. The model
//! is stated in the repository's `docs/model.md`.
//!
//! The crate is built in layers, each using only those before it:
//! scenario files (parse and validate) → the engine (sample replicates in
//! parallel) → statistics (exactly mergeable summaries) → analyses (sweeps,
//! sensitivity, validation, budgets) → outputs (tables, files, charts,
//! pages). The `dudsim` command is a thin layer on top.
//!
//! # Example
//!
//! Parse a scenario, run it on every core and read a figure:
//!
//! ```
//! use dudsim::{Engine, RunSettings, RunStats, RunSummary, ScenarioFile};
//!
//! let file = ScenarioFile::parse(
//!     "example.toml",
//!     r#"
//!     [simulation]
//!     replicates = 2000
//!     steps = 0
//!
//!     [[scenario]]
//!     name = "M864 at 6%"
//!     strikes = [ { munition = "M864", carriers = 100 } ]
//!     "#,
//! )?;
//! let settings = RunSettings::from_file(&file).with_seed(7);
//! let engine = Engine::new(&file, &settings);
//! let stats = RunStats::collect(&engine, settings.replicate_range(), &|_| {});
//! let summary = RunSummary::new(&file, &settings, &stats);
//!
//! // 100 shells of 72 grenades: 7,200 fired, whatever the dud rate.
//! assert_eq!(summary.scenarios[0].submunitions.mean, 7200.0);
//! assert!(summary.scenarios[0].unexploded.mean > 0.0);
//! # Ok::<(), dudsim::Error>(())
//! ```
//!
//! The figures are the same for a seed on any machine and with any number
//! of threads, and statistics of disjoint replicate ranges merge exactly:
//!
//! ```
//! use dudsim::{Engine, RunSettings, RunStats, ScenarioFile};
//!
//! let file = ScenarioFile::builtin_default().without_areas();
//! let settings = RunSettings::from_file(&file).with_replicates(600)?;
//! let engine = Engine::new(&file, &settings);
//! let whole = RunStats::collect(&engine, 0..600, &|_| {});
//! let mut parts = RunStats::collect(&engine, 0..250, &|_| {});
//! parts.merge(&RunStats::collect(&engine, 250..600, &|_| {}));
//! assert_eq!(parts, whole);
//! # Ok::<(), String>(())
//! ```

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod analysis;
// Likelihood-free inference; `dudsim calibrate` wires it to scenarios.
#[allow(dead_code, unused_imports)]
mod calibrate;
mod engine;
mod error;
pub mod format;
// The maps-on-the-Earth outputs call it; until they are all wired in,
// some of it is used by its own tests only.
#[allow(dead_code, unused_imports)]
mod geo;
mod output;
mod scenario;
mod stats;

pub use engine::{
    DudSampling, Engine, InputPosterior, MAX_SHARDS, MAX_THREADS, MapOutcome, ReplicateOutcome,
    RunSettings, Shard, SpatialOutcome, StepOutcome, Tally, thread_pool,
};
pub use error::{Error, Excerpt, InputError, Result};
pub use output::{
    MANIFEST, Written, prepare_target, write_calibration, write_results, write_results_noted,
    write_sensitivity, write_shard, write_sweep, write_validation,
};
pub use scenario::{
    Aftermath, Area, CountDist, CountShape, DEFAULT_REPLICATES, DEFAULT_SCENARIO_NAME,
    DEFAULT_SEED, MAX_REPLICATES, MAX_STEPS, Munition, Override, Placement, ProbDist, ProbShape,
    Scenario, ScenarioFile, Simulation, Spatial, Strike, default_text, quoted,
};
pub use stats::{
    Accumulator, RunStats, RunSummary, SUMMARY_SCHEMA_VERSION, ScenarioSummary, StepSummary,
    Summary,
};

/// The resolved inputs a `summary.json` echoes: the scenario file as data.
pub mod inputs {
    pub use crate::scenario::echo::{
        AftermathInputs, AreaInputs, ClearanceInputs, Count, Distribution, ExposureInputs, Inputs,
        MunitionInputs, ScenarioInputs, SimulationInputs, StrikeInputs,
    };
}

/// Every replicate's inputs and outputs, written as a run goes (`run --draws`).
pub mod draws {
    pub use crate::output::draws::{Target, collect};
}

/// Exact samplers of the model's draws, for code that needs the same
/// numbers as the engine (and for their benchmarks).
pub mod sampling {
    pub use crate::engine::sampling::alias::AliasTable;
    pub use crate::engine::sampling::binomial::{binomial, binomial_with_ln_1m, btrs, inversion};
    pub use crate::engine::sampling::{BetaBinomialPmf, CarrierDuds, beta_binomial_total};
    pub use crate::engine::spatial::point_in_unit_disk;
    pub use crate::engine::{CHUNK, rng::stream};
}

/// The built-in munitions, with their published figures and sources.
pub mod catalog {
    pub use crate::scenario::catalog::{
        CatalogEntry, SOURCES, Source, entries, find, find_any_case, source, suggest,
    };
}

/// Shards of a run computed apart, and their merge into one run's files.
pub mod shards {
    pub use crate::output::partial::{PARTIAL_FILE, merge};
}

/// Adding replicates until the figures reach a precision.
pub mod precision {
    pub use crate::analysis::precision::{
        FIRST_BATCH, PrecisionStop, PrecisionTarget, run_to_precision,
    };
}

/// What a command will need, in memory and processor time, before it
/// starts; refusals of what would not finish.
pub mod budget {
    pub use crate::analysis::budget::{
        DEFAULT_MAX_CPU_HOURS, DEFAULT_MAX_MEMORY, Limits, MAX_CHART_PANELS, MemoryEstimate,
        RunKind, WorkEstimate, bytes, check_work, parse_size, run_memory, run_work,
        sensitivity_runs, stat_copies,
    };
}

/// Sweeps: a scenario file rerun with one input (every munition's dud
/// rate, or any input named as in `sensitivity.csv`) fixed at each of a
/// range of values.
pub mod sweep {
    pub use crate::analysis::sweep::{
        DudRates, HorizonFigures, MAX_POINTS, Sweep, SweepFigures, SweepPoint, Swept,
        differ_only_in_dud_rates, point, run, with_dud_rate,
    };
}

/// Sensitivity: which uncertain input drives the spread of each output.
pub mod sensitivity {
    pub use crate::analysis::sensitivity::{
        Analysis, Constant, Importance, Output, estimator::Index, input_label, input_name, run,
    };
}

/// Validation: past campaigns run from their published figures, beside
/// the published estimates.
pub mod validation {
    pub use crate::analysis::validate::{
        PUBLISHED, Published, Validation, campaigns, campaigns_text, citations, compare, run,
    };
}

/// Calibration: what the records of a real conflict (casualties,
/// clearance, submunitions left, over periods since the strikes) say about
/// a scenario's uncertain inputs, by likelihood-free Bayesian inference;
/// and the posterior that `dudsim run --posterior` forecasts with.
pub mod calibration {
    pub use crate::analysis::calibration::{
        Calibrated, Calibration, DEFAULT_PARTICLES, FitOptions, MAX_POSTERIOR_BYTES,
        ObservationCheck, ParameterRow, SIMULATIONS_PER_PARTICLE, examples, read_posterior,
    };
    pub use crate::calibrate::{
        GenerationSummary, ParameterSummary, Posterior, PredictiveBand, Progress, StopReason,
    };
    pub use crate::scenario::records::MAX_OBSERVATIONS;
    pub use crate::scenario::{Quantity, Record, Records};
}

/// Text for people: the tables the commands print.
pub mod table {
    pub use crate::output::table::{
        calibration, catalog_entry, catalog_list, mean_and_interval, render, sensitivity, sweep,
        validation,
    };
}

/// File formats written into an output directory.
pub mod files {
    pub use crate::output::calibration::{
        POSTERIOR_FILE, json as calibration_json, parameters_csv as calibration_csv, predictive_csv,
    };
    pub use crate::output::csv::{sensitivity, sweep, timeline, validation};
}
