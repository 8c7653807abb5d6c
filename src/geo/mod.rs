//! Maps on the Earth: coordinate reference systems, placing a study area,
//! and the GIS file formats that carry dudsim's grids and hazard areas into
//! GDAL, QGIS and similar tools.
//!
//! This module depends on nothing else in dudsim; the scenario and output
//! layers call it:
//!
//! - [`Crs`]: a projected coordinate reference system in metres looked up
//!   by EPSG code, with forward and inverse projection, the WKT for `.prj`
//!   sidecars, and [`Crs::check_frame`], which refuses an area placed where
//!   the system is not usable.
//! - [`utm_centred`]: the WGS 84 / UTM zone of a longitude/latitude and the
//!   lower-left corner of an area centred on it.
//! - [`GridFrame`]: the geometry of a north-up grid of square cells, placed
//!   (its lower-left corner in CRS metres) or in local metres.
//!
//! Every failure of a place or a CRS is a [`GeoError`] whose message says
//! what is wrong and what is allowed; the caller adds the file and key.

#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod crs;
mod frame;
mod utm;

pub use crs::{Crs, MAX_SCALE_ERROR};
pub use frame::GridFrame;
pub use utm::{UtmPlacement, utm_centred, utm_epsg, utm_zone};

use std::fmt;

/// Why a coordinate system, a place or a grid was refused: one sentence
/// saying what is wrong and what is allowed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeoError {
    message: String,
}

impl GeoError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        GeoError {
            message: message.into(),
        }
    }

    /// The message, for the caller to prefix with the file and key.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for GeoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for GeoError {}
