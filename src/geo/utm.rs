//! Placing an area by the longitude/latitude of its centre: the WGS 84 /
//! UTM zone of that point, and the area's lower-left corner in it.

use super::{Crs, GeoError, GridFrame};

/// An area placed by [`utm_centred`]: the EPSG code of its WGS 84 / UTM
/// zone and its lower-left corner (easting, northing) in that zone.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct UtmPlacement {
    /// EPSG:326zz north of the equator (latitude ≥ 0), EPSG:327zz south.
    pub epsg: u32,
    /// Lower-left corner of the area, metres.
    pub origin: [f64; 2],
}

/// The UTM zone (1 to 60) holding a longitude/latitude: the regular 6°
/// zones, zone 1 from 180°W to 174°W, longitude 180 in zone 60.
///
/// The exceptions of the military grid (zone 32V widened over south-west
/// Norway, zones 31X–37X over Svalbard) are deliberately not applied: the
/// EPSG definitions of the WGS 84 / UTM systems use the regular zones too,
/// every point of those exceptional areas lies in its regular zone, and
/// someone who wants zone 32 for Bergen can give its EPSG code and origin.
///
/// Longitude must be in [-180, 180] and latitude in [-80, 84], the range of
/// UTM (polar regions use other projections).
pub fn utm_zone(lon: f64, lat: f64) -> Result<u8, GeoError> {
    if !(lon.is_finite() && (-180.0..=180.0).contains(&lon)) {
        return Err(GeoError::new(format!(
            "longitude {lon} is out of range: allowed are -180 to 180 (degrees east)"
        )));
    }
    if !(lat.is_finite() && (-80.0..=84.0).contains(&lat)) {
        return Err(GeoError::new(format!(
            "latitude {lat} is out of range: a WGS 84 / UTM zone needs -80 to 84 (degrees north); \
             nearer the poles give a projected system and an origin instead"
        )));
    }
    let zone = ((lon + 180.0) / 6.0).floor() as i32 + 1;
    Ok(zone.clamp(1, 60) as u8)
}

/// The EPSG code of the WGS 84 / UTM zone holding a longitude/latitude:
/// 326zz on and north of the equator, 327zz south of it (see [`utm_zone`]).
pub fn utm_epsg(lon: f64, lat: f64) -> Result<u32, GeoError> {
    let zone = u32::from(utm_zone(lon, lat)?);
    Ok(if lat >= 0.0 {
        32600 + zone
    } else {
        32700 + zone
    })
}

/// Places a `width_m` × `height_m` area centred on a longitude/latitude: the
/// WGS 84 / UTM zone of that point ([`utm_epsg`]) and the area's lower-left
/// corner in it, rounded to the millimetre so that files show round
/// numbers. The placement of a grid of `cell_m` cells over the area passes
/// [`Crs::check_frame`], or the error says why not (an area so large that
/// its edges leave the zone's usable region).
pub fn utm_centred(
    lon: f64,
    lat: f64,
    width_m: f64,
    height_m: f64,
    cell_m: f64,
) -> Result<UtmPlacement, GeoError> {
    let epsg = utm_epsg(lon, lat)?;
    let crs = Crs::from_epsg(epsg)?;
    let [x, y] = crs.to_projected(lon, lat)?;
    let round_mm = |v: f64| (v * 1000.0).round() / 1000.0;
    let origin = [round_mm(x - width_m / 2.0), round_mm(y - height_m / 2.0)];
    crs.check_frame(&GridFrame::new(width_m, height_m, cell_m, origin)?)?;
    Ok(UtmPlacement { epsg, origin })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zones_follow_the_regular_six_degree_bands() {
        assert_eq!(utm_zone(-180.0, 0.0).unwrap(), 1);
        assert_eq!(utm_zone(-174.000001, 0.0).unwrap(), 1);
        assert_eq!(utm_zone(-174.0, 0.0).unwrap(), 2);
        assert_eq!(utm_zone(0.0, 0.0).unwrap(), 31);
        assert_eq!(utm_zone(30.5234, 50.4501).unwrap(), 36);
        assert_eq!(utm_zone(179.999, 0.0).unwrap(), 60);
        assert_eq!(utm_zone(180.0, 0.0).unwrap(), 60);
        // No Norway exception: Bergen stays in its regular zone 31 …
        assert_eq!(utm_zone(5.32, 60.39).unwrap(), 31);
        // … and no Svalbard one: Longyearbyen stays in 33.
        assert_eq!(utm_zone(15.6, 78.22).unwrap(), 33);
        assert_eq!(utm_epsg(30.5, 50.4).unwrap(), 32636);
        assert_eq!(utm_epsg(30.5, 0.0).unwrap(), 32636);
        assert_eq!(utm_epsg(30.5, -0.1).unwrap(), 32736);
        assert_eq!(utm_epsg(-70.0, -80.0).unwrap(), 32719);
        assert_eq!(utm_epsg(-70.0, 84.0).unwrap(), 32619);
    }

    #[test]
    fn out_of_range_longitudes_and_latitudes_are_refused() {
        for (lon, lat, expected) in [
            (
                180.5,
                10.0,
                "longitude 180.5 is out of range: allowed are -180 to 180",
            ),
            (f64::NAN, 10.0, "longitude NaN"),
            (
                10.0,
                84.5,
                "latitude 84.5 is out of range: a WGS 84 / UTM zone needs -80 to 84",
            ),
            (10.0, -80.01, "latitude -80.01"),
        ] {
            let message = utm_epsg(lon, lat).unwrap_err().to_string();
            assert!(message.contains(expected), "{message}");
        }
    }

    #[test]
    fn the_area_is_centred_on_the_point() {
        let placed = utm_centred(30.5234, 50.4501, 5000.0, 3000.0, 25.0).unwrap();
        assert_eq!(placed.epsg, 32636);
        let crs = Crs::from_epsg(placed.epsg).unwrap();
        let [x, y] = [placed.origin[0] + 2500.0, placed.origin[1] + 1500.0];
        let [lon, lat] = crs.to_lonlat(x, y).unwrap();
        // Rounding the origin to the millimetre moves the centre by < 1 mm.
        assert!(
            (lon - 30.5234).abs() < 2e-8 && (lat - 50.4501).abs() < 1e-8,
            "{lon} {lat}"
        );
        let south = utm_centred(-58.38, -34.6, 2000.0, 2000.0, 10.0).unwrap();
        assert_eq!(south.epsg, 32721);
        assert!(
            south.origin[1] > 6.0e6,
            "southern northings are offset by 10 000 km"
        );
    }

    #[test]
    fn an_area_too_large_for_its_zone_is_refused() {
        let message = utm_centred(30.5, 50.4, 2_000_000.0, 1000.0, 100.0)
            .unwrap_err()
            .to_string();
        assert!(message.contains("stretches distances"), "{message}");
    }
}
