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
//! - [`write_geotiff`], [`write_esri_ascii`], [`esri_ascii_header`]: grid
//!   files that GIS tools place on the map.
//! - [`cell_polygons`], [`polygons_at_least`]: the cells of a grid merged
//!   into polygons with holes; [`HazardGeoJson`] writes them, and the
//!   target rectangles, as RFC 7946 GeoJSON in WGS 84 longitude/latitude.
//!
//! Every failure of a place or a CRS is a [`GeoError`] whose message says
//! what is wrong and what is allowed; the caller adds the file and key.

#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod ascii;
mod crs;
mod frame;
#[cfg(test)]
mod gdal_tests;
mod geotiff;
mod hazard_geojson;
mod polygons;
mod raster;
mod utm;

pub use ascii::{esri_ascii_header, write_esri_ascii};
pub use crs::{Crs, MAX_SCALE_ERROR};
pub use frame::GridFrame;
pub use geotiff::{write_geotiff, write_geotiff_rows};
pub use hazard_geojson::{HazardGeoJson, MAX_EDGE_M};
pub use polygons::{CellPolygon, cell_polygons, polygons_at_least};
pub use raster::Raster;
pub use utm::{UtmPlacement, utm_centred, utm_epsg, utm_zone};

use std::fmt;

/// The value written for "no data" in every grid file (GeoTIFF and ESRI
/// ASCII): dudsim's grids have a value in every cell, so it never occurs,
/// but GIS tools expect one to be declared.
pub const NODATA: f64 = -9999.0;

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
