//! Projected coordinate reference systems looked up by EPSG code:
//! projection to and from WGS 84 longitude/latitude, the WKT that names the
//! system in GIS files, and the check that an area lies where the system
//! can be used.
//!
//! Definitions come from the `crs-definitions` crate (the EPSG registry as
//! PROJ strings and OGC WKT 1), projections from `proj4rs` (a pure-Rust port
//! of PROJ's projection code). Datum shifts are the 7-parameter ones of the
//! PROJ string (`+towgs84`), as in PROJ 4; a system that needs a shift grid
//! file is refused.

use std::fmt;
use std::str::FromStr;

use proj4rs::Proj;

use super::{GeoError, GridFrame};

/// Largest relative difference dudsim accepts between distances on the map
/// and on the ground (the projection's point scale factor, along meridians
/// and parallels, at the corners, edge midpoints and centre of an area): 1%.
///
/// dudsim's footprints, cells and hectares are ground metres; a grid placed
/// where the projection stretches them by more than this is refused. A
/// UTM zone stays within 0.1% inside its 6° band, and national grids
/// within their territory, so the limit only refuses areas far outside a
/// system's area of use.
pub const MAX_SCALE_ERROR: f64 = 0.01;

/// How far a point may move on a round trip to longitude/latitude and
/// back before the system is deemed not to work there.
const ROUND_TRIP_TOLERANCE_M: f64 = 1e-3;

/// Areas must stay this far (in degrees of latitude) from the poles, where
/// longitudes and the scale check break down.
const MAX_ABS_LATITUDE: f64 = 89.0;

/// WGS 84 ellipsoid: semi-major axis (m) and flattening.
const WGS84_A: f64 = 6_378_137.0;
const WGS84_F: f64 = 1.0 / 298.257_223_563;

const WGS84_LONLAT: &str = "+proj=longlat +datum=WGS84 +no_defs";

/// What a coordinate system must be, for error messages.
const ALLOWED: &str = "dudsim needs a projected coordinate system in metres with axes east and north, \
     written \"EPSG:NNNN\", such as a WGS 84 / UTM zone: EPSG:326zz north of the equator, \
     EPSG:327zz south of it (zz = 01 to 60)";

/// A projected coordinate reference system in metres, from the EPSG
/// registry: x is the easting, y the northing.
#[derive(Clone)]
pub struct Crs {
    epsg: u16,
    name: &'static str,
    wkt: &'static str,
    proj: Proj,
    lonlat: Proj,
}

impl fmt::Debug for Crs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EPSG:{} ({})", self.epsg, self.name)
    }
}

impl PartialEq for Crs {
    fn eq(&self, other: &Self) -> bool {
        self.epsg == other.epsg
    }
}

impl FromStr for Crs {
    type Err = GeoError;

    fn from_str(text: &str) -> Result<Self, GeoError> {
        Crs::parse(text)
    }
}

impl Crs {
    /// Reads `"EPSG:NNNN"` (the prefix in any case) and looks the code up
    /// with [`Crs::from_epsg`].
    pub fn parse(text: &str) -> Result<Crs, GeoError> {
        let code = text
            .trim()
            .split_once(':')
            .filter(|(authority, _)| authority.eq_ignore_ascii_case("EPSG"))
            .map(|(_, code)| code)
            .filter(|code| !code.is_empty() && code.bytes().all(|b| b.is_ascii_digit()));
        let Some(code) = code else {
            return Err(GeoError::new(format!(
                "cannot read {text:?} as a coordinate system: {ALLOWED}"
            )));
        };
        match code.parse::<u32>() {
            Ok(code) => Crs::from_epsg(code),
            Err(_) => Err(GeoError::new(format!(
                "EPSG:{code} is not a known EPSG code: {ALLOWED}"
            ))),
        }
    }

    /// The projected system with this EPSG code. Refused, with a message
    /// saying why and what is allowed: unknown codes; systems that are not
    /// projected (geographic longitude/latitude such as EPSG:4326,
    /// geocentric, compound); systems in feet or any unit but the metre;
    /// axes not pointing east and north; datum shifts that need a grid
    /// file; projections that cannot be computed here.
    pub fn from_epsg(code: u32) -> Result<Crs, GeoError> {
        let def = u16::try_from(code)
            .ok()
            .and_then(crs_definitions::from_code);
        let Some(def) = def else {
            return Err(GeoError::new(format!(
                "EPSG:{code} is not a known EPSG code: {ALLOWED}"
            )));
        };
        let name = wkt_name(def.wkt).unwrap_or("unnamed");
        let refuse = |why: &str| {
            Err(GeoError::new(format!(
                "EPSG:{code} ({name}) {why}: {ALLOWED}"
            )))
        };
        if !def.wkt.starts_with("PROJCS[") {
            return refuse(match def.wkt.split('[').next() {
                Some("GEOGCS" | "GEOGCRS") => {
                    "is a geographic system (longitude/latitude in degrees), not a projected one"
                }
                Some("GEOCCS") => "is a geocentric system, not a projected one",
                Some("COMPD_CS") => "is a compound system with heights, not a plain projected one",
                _ => "is not a projected coordinate system",
            });
        }
        let params: Vec<&str> = def.proj4.split_whitespace().collect();
        let value_of = |key: &str| params.iter().find_map(|p| p.strip_prefix(key));
        match (value_of("+units="), value_of("+to_meter=")) {
            (Some("m"), None) => {}
            (Some("us-ft"), _) => return refuse("measures in US survey feet, not metres"),
            (Some("ft"), _) => return refuse("measures in feet, not metres"),
            (Some(unit), _) => return refuse(&format!("measures in \"{unit}\", not metres")),
            (None, Some(factor)) => {
                return refuse(&format!("measures in units of {factor} m, not metres"));
            }
            (None, None) => return refuse("does not state its unit"),
        }
        if value_of("+axis=").is_some_and(|axis| axis != "enu") {
            return refuse("has axes that do not point east and north");
        }
        if value_of("+nadgrids=").is_some_and(|grids| grids != "@null") {
            return refuse("needs a datum shift grid file, which dudsim does not have");
        }
        let proj = Proj::from_proj_string(def.proj4).map_err(|e| {
            GeoError::new(format!(
                "EPSG:{code} ({name}) uses a projection dudsim cannot compute ({e}): {ALLOWED}"
            ))
        })?;
        let lonlat =
            Proj::from_proj_string(WGS84_LONLAT).expect("WGS 84 longitude/latitude is built in");
        Ok(Crs {
            epsg: def.code,
            name,
            wkt: def.wkt,
            proj,
            lonlat,
        })
    }

    /// The EPSG code.
    pub fn epsg(&self) -> u32 {
        u32::from(self.epsg)
    }

    /// The system's name in the EPSG registry, e.g. "WGS 84 / UTM zone 36N"
    /// (as in the snapshot of the registry in `crs-definitions`: GDAL may
    /// show a newer name for a few renamed systems, such as EPSG:2180).
    pub fn name(&self) -> &str {
        self.name
    }

    /// The OGC WKT 1 definition, naming the EPSG code in its `AUTHORITY`
    /// nodes.
    pub fn wkt(&self) -> &str {
        self.wkt
    }

    /// The WKT 1 for a `.prj` sidecar of an ESRI ASCII grid.
    ///
    /// For the WGS 84 / UTM zones (EPSG:32601–32660, 32701–32760) this is
    /// the ESRI flavour (ESRI's names such as `WGS_1984_UTM_Zone_36N`, no
    /// `AUTHORITY` nodes), the text GDAL itself writes in a `.prj`; GDAL
    /// recognises the system and its EPSG code from that name (QGIS reads
    /// `.prj` files through GDAL). ESRI's names for other systems come from
    /// ESRI's own database, which dudsim does not have, and a made-up name
    /// loses the EPSG code; for those the sidecar holds the OGC WKT 1 of
    /// [`Crs::wkt`], from whose `AUTHORITY` nodes GDAL reads the exact EPSG
    /// code (as a BOUNDCRS, with the shift to WGS 84, when the WKT has a
    /// `TOWGS84` node).
    pub fn prj_wkt(&self) -> String {
        match wgs84_utm_zone(self.epsg) {
            Some((zone, north)) => {
                let hemisphere = if north { 'N' } else { 'S' };
                let false_northing = if north { 0.0 } else { 10_000_000.0 };
                let central_meridian = -183.0 + 6.0 * f64::from(zone);
                format!(
                    "PROJCS[\"WGS_1984_UTM_Zone_{zone}{hemisphere}\",\
                     GEOGCS[\"GCS_WGS_1984\",DATUM[\"D_WGS_1984\",SPHEROID[\"WGS_1984\",6378137.0,298.257223563]],\
                     PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]],\
                     PROJECTION[\"Transverse_Mercator\"],\
                     PARAMETER[\"False_Easting\",500000.0],PARAMETER[\"False_Northing\",{false_northing:.1}],\
                     PARAMETER[\"Central_Meridian\",{central_meridian:.1}],PARAMETER[\"Scale_Factor\",0.9996],\
                     PARAMETER[\"Latitude_Of_Origin\",0.0],UNIT[\"Meter\",1.0]]"
                )
            }
            None => self.wkt.to_string(),
        }
    }

    /// Projects WGS 84 longitude/latitude (degrees) to `[easting,
    /// northing]` in metres.
    pub fn to_projected(&self, lon: f64, lat: f64) -> Result<[f64; 2], GeoError> {
        if !(lon.is_finite()
            && (-180.0..=180.0).contains(&lon)
            && lat.is_finite()
            && (-90.0..=90.0).contains(&lat))
        {
            return Err(GeoError::new(format!(
                "longitude {lon}, latitude {lat} is not a place on the Earth: longitude must be in [-180, 180], latitude in [-90, 90]"
            )));
        }
        let mut point = (lon.to_radians(), lat.to_radians(), 0.0);
        let result = proj4rs::transform::transform(&self.lonlat, &self.proj, &mut point);
        match result {
            Ok(()) if point.0.is_finite() && point.1.is_finite() => Ok([point.0, point.1]),
            _ => Err(GeoError::new(format!(
                "EPSG:{} ({}) cannot project longitude {lon}, latitude {lat}",
                self.epsg, self.name
            ))),
        }
    }

    /// The WGS 84 `[longitude, latitude]` (degrees) of a projected point.
    pub fn to_lonlat(&self, x: f64, y: f64) -> Result<[f64; 2], GeoError> {
        let mut point = (x, y, 0.0);
        let result = if x.is_finite() && y.is_finite() {
            proj4rs::transform::transform(&self.proj, &self.lonlat, &mut point)
        } else {
            Err(proj4rs::errors::Error::CoordinateOutOfRange)
        };
        // A longitude a rounding error past ±180° stays on its side of the
        // antimeridian; one further past it comes round.
        let lon = match point.0.to_degrees() {
            lon if lon.abs() <= 180.0 => lon,
            lon if lon.abs() <= 180.0 + 1e-9 => lon.clamp(-180.0, 180.0),
            lon if lon > 180.0 => lon - 360.0,
            lon => lon + 360.0,
        };
        let lat = point.1.to_degrees();
        match result {
            Ok(())
                if lon.is_finite()
                    && lat.is_finite()
                    && lon.abs() <= 180.0
                    && lat.abs() <= 90.0 =>
            {
                Ok([lon, lat])
            }
            _ => Err(GeoError::new(format!(
                "[{x}, {y}] in EPSG:{} ({}) is not a place on the Earth",
                self.epsg, self.name
            ))),
        }
    }

    /// The projection's point scale factors at a WGS 84 longitude/latitude:
    /// map distance over ground distance along the meridian and along the
    /// parallel (1 where the map is true to scale), by central differences.
    pub(crate) fn scale_factors(&self, lon: f64, lat: f64) -> Result<(f64, f64), GeoError> {
        // 1e-6 rad is about 6 m on the ground: far above rounding noise in
        // the projected coordinates, far below any curvature of the scale.
        let step = 1e-6_f64;
        let step_deg = step.to_degrees();
        let e2 = WGS84_F * (2.0 - WGS84_F);
        let phi = lat.to_radians();
        let w = 1.0 - e2 * phi.sin().powi(2);
        let prime_vertical = WGS84_A / w.sqrt();
        let meridional = WGS84_A * (1.0 - e2) / w.powf(1.5);
        let distance = |a: [f64; 2], b: [f64; 2]| (a[0] - b[0]).hypot(a[1] - b[1]);
        let south = self.to_projected(lon, lat - step_deg)?;
        let north = self.to_projected(lon, lat + step_deg)?;
        let h = distance(south, north) / (2.0 * step * meridional);
        // Step across the antimeridian as the longitude wraps.
        let wrap = |l: f64| {
            if l > 180.0 {
                l - 360.0
            } else if l < -180.0 {
                l + 360.0
            } else {
                l
            }
        };
        let west = self.to_projected(wrap(lon - step_deg), lat)?;
        let east = self.to_projected(wrap(lon + step_deg), lat)?;
        let k = distance(west, east) / (2.0 * step * prime_vertical * phi.cos());
        Ok((h, k))
    }

    /// Checks that this system can carry a grid: every corner, edge
    /// midpoint and the centre of the grid (whole cells) must convert to
    /// longitude/latitude and back to within a millimetre, lie more than 1°
    /// from the poles, and see distances on the map within
    /// [`MAX_SCALE_ERROR`] of those on the ground; the area must not cross
    /// the 180° meridian (GeoJSON cannot draw it without cutting) nor hold
    /// a pole. Errors name the origin and say what is allowed.
    pub fn check_frame(&self, frame: &GridFrame) -> Result<(), GeoError> {
        let [x0, y0] = frame.origin();
        let (w, h) = (frame.grid_width_m(), frame.grid_height_m());
        let place = format!(
            "origin [{x0}, {y0}] puts the {w} m × {h} m grid where EPSG:{} ({}) cannot carry it",
            self.epsg, self.name
        );
        const POINTS: [(&str, f64, f64); 9] = [
            ("south-west corner", 0.0, 0.0),
            ("middle of the south edge", 0.5, 0.0),
            ("south-east corner", 1.0, 0.0),
            ("middle of the west edge", 0.0, 0.5),
            ("centre", 0.5, 0.5),
            ("middle of the east edge", 1.0, 0.5),
            ("north-west corner", 0.0, 1.0),
            ("middle of the north edge", 0.5, 1.0),
            ("north-east corner", 1.0, 1.0),
        ];
        let mut lons = Vec::with_capacity(POINTS.len());
        let mut centre = [0.0, 0.0];
        for (what, fx, fy) in POINTS {
            let (x, y) = (x0 + fx * w, y0 + fy * h);
            let Ok([lon, lat]) = self.to_lonlat(x, y) else {
                return Err(GeoError::new(format!(
                    "{place}: its {what} [{x}, {y}] is not a place on the Earth in that system"
                )));
            };
            let back = self.to_projected(lon, lat).ok();
            let moved = back.map_or(f64::INFINITY, |[bx, by]| (bx - x).hypot(by - y));
            if moved.is_nan() || moved > ROUND_TRIP_TOLERANCE_M {
                return Err(GeoError::new(format!(
                    "{place}: its {what} [{x}, {y}] does not convert to longitude/latitude and back \
                     (it moves {moved:.3} m), so it lies outside the region where the system works"
                )));
            }
            if lat.abs() > MAX_ABS_LATITUDE {
                return Err(GeoError::new(format!(
                    "{place}: its {what} lies at latitude {lat:.4}°, within 1° of a pole"
                )));
            }
            let (sh, sk) = self.scale_factors(lon, lat)?;
            let error = (sh - 1.0).abs().max((sk - 1.0).abs());
            if error.is_nan() || error > MAX_SCALE_ERROR {
                let suggestion = super::utm_epsg(lon, lat.clamp(-80.0, 84.0))
                    .map(|code| format!(", such as its WGS 84 / UTM zone, EPSG:{code}"))
                    .unwrap_or_default();
                return Err(GeoError::new(format!(
                    "{place}: at its {what} (longitude {lon:.4}°, latitude {lat:.4}°) the system stretches \
                     distances by {:.2}% while dudsim allows {}%, so cells would not keep their size on the \
                     ground; use a system made for that place{suggestion}",
                    error * 100.0,
                    MAX_SCALE_ERROR * 100.0
                )));
            }
            if what == "centre" {
                centre = [lon, lat];
            }
            lons.push(lon);
        }
        let spread = lons.iter().fold(f64::NEG_INFINITY, |a, &b| a.max(b))
            - lons.iter().fold(f64::INFINITY, |a, &b| a.min(b));
        if spread > 180.0 {
            return Err(GeoError::new(format!(
                "{place}: the grid, centred at longitude {:.4}°, latitude {:.4}°, crosses the 180° meridian, \
                 which GeoJSON cannot draw without cutting the hazard areas",
                centre[0], centre[1]
            )));
        }
        for pole in [90.0, -90.0] {
            let inside = |[px, py]: [f64; 2]| px >= x0 && px <= x0 + w && py >= y0 && py <= y0 + h;
            if self.to_projected(0.0, pole).is_ok_and(inside) {
                return Err(GeoError::new(format!("{place}: the grid holds a pole")));
            }
        }
        Ok(())
    }
}

/// The zone and hemisphere (true for north) of a WGS 84 / UTM EPSG code.
fn wgs84_utm_zone(code: u16) -> Option<(u8, bool)> {
    match code {
        32601..=32660 => Some(((code - 32600) as u8, true)),
        32701..=32760 => Some(((code - 32700) as u8, false)),
        _ => None,
    }
}

/// The name in a WKT definition: its first quoted string.
fn wkt_name(wkt: &str) -> Option<&str> {
    let start = wkt.find('"')? + 1;
    let len = wkt[start..].find('"')?;
    Some(&wkt[start..start + len])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(text: &str) -> String {
        Crs::parse(text).unwrap_err().to_string()
    }

    #[test]
    fn reads_epsg_codes_and_names_the_system() {
        let crs = Crs::parse("EPSG:32636").unwrap();
        assert_eq!(crs.epsg(), 32636);
        assert_eq!(crs.name(), "WGS 84 / UTM zone 36N");
        assert!(crs.wkt().ends_with("AUTHORITY[\"EPSG\",\"32636\"]]"));
        assert_eq!(
            Crs::parse("epsg:2180").unwrap().name(),
            "ETRS89 / Poland CS92"
        );
        assert_eq!(
            "EPSG:32736".parse::<Crs>().unwrap().name(),
            "WGS 84 / UTM zone 36S"
        );
    }

    #[test]
    fn refuses_what_is_not_a_projected_system_in_metres() {
        for (text, expected) in [
            ("32636", "cannot read \"32636\""),
            ("EPSG:", "cannot read"),
            ("EPSG:-5", "cannot read"),
            ("ESRI:102001", "cannot read"),
            ("EPSG:99999999999", "not a known EPSG code"),
            ("EPSG:1", "EPSG:1 is not a known EPSG code"),
            ("EPSG:4326", "EPSG:4326 (WGS 84) is a geographic system"),
            ("EPSG:4978", "geocentric"),
            (
                "EPSG:2227",
                "(NAD83 / California zone 3 (ftUS)) measures in US survey feet",
            ),
            ("EPSG:2046", "axes that do not point east and north"),
        ] {
            let message = error(text);
            assert!(message.contains(expected), "{text}: {message}");
            assert!(
                message.contains("EPSG:326zz"),
                "{text}: {message} does not say what is allowed"
            );
        }
    }

    #[test]
    fn prj_wkt_is_esri_for_utm_and_epsg_wkt_otherwise() {
        let north = Crs::from_epsg(32636).unwrap().prj_wkt();
        assert!(
            north.starts_with("PROJCS[\"WGS_1984_UTM_Zone_36N\",GEOGCS[\"GCS_WGS_1984\""),
            "{north}"
        );
        assert!(north.contains("PARAMETER[\"Central_Meridian\",33.0]"));
        assert!(north.contains("PARAMETER[\"False_Northing\",0.0]"));
        assert!(!north.contains("AUTHORITY"));
        let south = Crs::from_epsg(32701).unwrap().prj_wkt();
        assert!(
            south.contains("Zone_1S") && south.contains("\"Central_Meridian\",-177.0"),
            "{south}"
        );
        assert!(south.contains("PARAMETER[\"False_Northing\",10000000.0]"));
        let poland = Crs::from_epsg(2180).unwrap();
        assert_eq!(poland.prj_wkt(), poland.wkt());
    }

    #[test]
    fn scale_factor_of_utm_matches_the_closed_form() {
        // On the central meridian a UTM zone's scale is k0 = 0.9996; off it,
        // k ≈ k0 (1 + (Δλ cos φ)² / 2 (1 + η²)) to second order (Snyder 1987,
        // "Map Projections: A Working Manual", eq. 8-11 truncated).
        let crs = Crs::from_epsg(32636).unwrap();
        let (h, k) = crs.scale_factors(33.0, 50.0).unwrap();
        assert!(
            (h - 0.9996).abs() < 1e-9 && (k - 0.9996).abs() < 1e-9,
            "{h} {k}"
        );
        let (h, k) = crs.scale_factors(36.0, 50.0).unwrap();
        let l = 3f64.to_radians() * 50f64.to_radians().cos();
        let e2 = WGS84_F * (2.0 - WGS84_F);
        let eta2 = e2 / (1.0 - e2) * 50f64.to_radians().cos().powi(2);
        let expected = 0.9996 * (1.0 + l * l / 2.0 * (1.0 + eta2));
        assert!((k - expected).abs() < 2e-6, "{k} vs {expected}");
        assert!((h - k).abs() < 1e-8, "conformal: {h} vs {k}");
    }

    #[test]
    fn areas_in_the_systems_region_pass_and_far_ones_are_refused() {
        let utm36 = Crs::from_epsg(32636).unwrap();
        let [x, y] = utm36.to_projected(36.23, 49.99).unwrap();
        let kharkiv = GridFrame::new(5000.0, 4000.0, 25.0, [x, y]).unwrap();
        utm36.check_frame(&kharkiv).unwrap();
        // Lisbon in the zone for Ukraine: far outside, distances stretched by far more than 1%.
        let [x, y] = utm36.to_projected(-9.14, 38.72).unwrap_or([-3.0e6, 4.9e6]);
        let lisbon = GridFrame::new(5000.0, 4000.0, 25.0, [x, y]).unwrap();
        let message = utm36.check_frame(&lisbon).unwrap_err().to_string();
        assert!(
            message.contains("stretches distances") || message.contains("does not convert"),
            "{message}"
        );
        // Off the Earth altogether.
        let nowhere = GridFrame::new(5000.0, 4000.0, 25.0, [5.0e7, 9.0e7]).unwrap();
        let message = utm36.check_frame(&nowhere).unwrap_err().to_string();
        assert!(message.contains("origin [50000000, 90000000]"), "{message}");
        // Ten degrees of longitude from the zone's meridian: 1.5% too large.
        let [x, y] = utm36.to_projected(43.0, 30.0).unwrap();
        let east = GridFrame::new(1000.0, 1000.0, 10.0, [x, y]).unwrap();
        let message = utm36.check_frame(&east).unwrap_err().to_string();
        assert!(
            message.contains("stretches distances by 1.") && message.contains("EPSG:32638"),
            "{message}"
        );
    }

    #[test]
    fn areas_across_the_antimeridian_or_over_a_pole_are_refused() {
        let utm60 = Crs::from_epsg(32660).unwrap();
        let [x, y] = utm60.to_projected(179.99, -17.0).unwrap();
        let fiji = GridFrame::new(4000.0, 4000.0, 20.0, [x - 2000.0, y - 2000.0]).unwrap();
        let message = utm60.check_frame(&fiji).unwrap_err().to_string();
        assert!(message.contains("180° meridian"), "{message}");
        let ups_north = Crs::from_epsg(32661).unwrap();
        let [x, y] = ups_north.to_projected(0.0, 90.0).unwrap();
        let pole = GridFrame::new(1000.0, 1000.0, 10.0, [x - 500.0, y - 500.0]).unwrap();
        let message = ups_north.check_frame(&pole).unwrap_err().to_string();
        assert!(message.contains("pole"), "{message}");
    }

    #[test]
    fn crs_can_be_shared_between_threads() {
        fn shareable<T: Send + Sync>() {}
        shareable::<Crs>();
    }
}
