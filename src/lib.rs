//! dudsim: a Monte Carlo simulator of unexploded cluster submunitions.
//!
//! Given how many cluster munitions are fired, how many submunitions each
//! carries and how often they fail, dudsim estimates how many unexploded
//! submunitions persist, and how that contamination and its human cost
//! evolve over time, with the uncertainty shown.
//!
//! The modules follow the data:
//! [`scenario`] (parse and validate) → [`engine`] (sample replicates in
//! parallel) → [`stats`] (mergeable summaries) → [`output`] (table,
//! files, charts, report); [`sweep`] reruns a file over dud rates;
//! [`budget`] estimates what a command will cost before it runs; [`cli`]
//! ties them to the command line. [`geo`] places grids on the Earth and
//! writes the GIS files (GeoTIFF, `.prj`, GeoJSON) that carry them;
//! [`format`](mod@format) writes numbers the same way for every layer.

pub mod budget;
pub mod cli;
pub mod engine;
pub mod error;
pub mod format;
pub mod geo;
pub mod output;
pub mod scenario;
pub mod sensitivity;
pub mod stats;
pub mod sweep;
pub mod validate;

pub use error::{Error, InputError, Result};
