//! `hazard.geojson`: target rectangles and hazard polygons as an RFC 7946
//! FeatureCollection in WGS 84 longitude/latitude, written feature by
//! feature.

use std::io::{self, Write};

use geojson::{Feature, FeatureWriter, Geometry, JsonObject, JsonValue};

use super::{CellPolygon, Crs, GridFrame};

/// Longest edge, in projected metres, written as one straight segment.
///
/// GeoJSON draws straight lines in longitude/latitude, but a straight cell
/// boundary in the projected system is slightly curved there: for a 10 km
/// edge in a UTM zone the two differ by up to ten metres, growing with the
/// square of the length. Longer edges are split at this spacing, which
/// keeps the difference under a centimetre (checked by a test).
pub const MAX_EDGE_M: f64 = 250.0;

/// Writes features to a GeoJSON FeatureCollection as they come, converting
/// projected coordinates to WGS 84 longitude/latitude with the grid's
/// [`Crs`]. Ring orientation carries over from the projected rings
/// (exterior counter-clockwise, holes clockwise: projections keep
/// orientation), and rings are closed as GeoJSON requires.
///
/// Every feature's properties: `scenario` (its name), `kind` (`"target"`
/// or `"hazard"`), `threshold` (the probability a hazard polygon's cells
/// reach, null for targets), `expected_uxo` (the sum of expected UXO over
/// a hazard polygon's cells, null for targets), `area_ha` (hectares inside
/// the area), and for hazards `cells` (their number).
pub struct HazardGeoJson<'a, W: Write> {
    writer: FeatureWriter<W>,
    frame: &'a GridFrame,
    crs: &'a Crs,
}

impl<'a, W: Write> HazardGeoJson<'a, W> {
    /// Starts a FeatureCollection for a grid placed in `crs`.
    pub fn new(out: W, frame: &'a GridFrame, crs: &'a Crs) -> Self {
        HazardGeoJson {
            writer: FeatureWriter::from_writer(out),
            frame,
            crs,
        }
    }

    /// Places the features that follow on another grid (another scenario's
    /// area), in the same collection.
    pub fn place(&mut self, frame: &'a GridFrame, crs: &'a Crs) {
        self.frame = frame;
        self.crs = crs;
    }

    /// Writes a strike's target rectangle, `[x_min, y_min, x_max, y_max]` in
    /// metres from the area's lower-left corner, as a Polygon (a LineString
    /// if it has no width or no height, a Point if neither).
    pub fn write_target(&mut self, scenario: &str, target: [f64; 4]) -> io::Result<()> {
        let [x0, y0, x1, y1] = target;
        let [ox, oy] = self.frame.origin();
        let (x0, y0, x1, y1) = (ox + x0, oy + y0, ox + x1, oy + y1);
        let geometry = if x0 < x1 && y0 < y1 {
            Geometry::new_polygon([self.ring(&[[x0, y0], [x1, y0], [x1, y1], [x0, y1]])?])
        } else if x0 < x1 || y0 < y1 {
            Geometry::new_line_string(self.line(&[[x0, y0], [x1, y1]])?)
        } else {
            Geometry::new_point(self.crs.to_lonlat(x0, y0).map_err(invalid)?)
        };
        let mut properties = JsonObject::new();
        properties.insert("scenario".into(), scenario.into());
        properties.insert("kind".into(), "target".into());
        properties.insert("threshold".into(), JsonValue::Null);
        properties.insert("expected_uxo".into(), JsonValue::Null);
        properties.insert("area_ha".into(), ((x1 - x0) * (y1 - y0) / 10_000.0).into());
        self.write(geometry, properties)
    }

    /// Writes one hazard polygon: the cells whose probability of holding at
    /// least one UXO is at least `threshold`.
    pub fn write_hazard(
        &mut self,
        scenario: &str,
        threshold: f64,
        polygon: &CellPolygon,
    ) -> io::Result<()> {
        let mut rings = vec![self.ring(polygon.exterior())?];
        for hole in polygon.holes() {
            rings.push(self.ring(hole)?);
        }
        let mut properties = JsonObject::new();
        properties.insert("scenario".into(), scenario.into());
        properties.insert("kind".into(), "hazard".into());
        properties.insert("threshold".into(), threshold.into());
        properties.insert("expected_uxo".into(), polygon.value_sum().into());
        properties.insert("area_ha".into(), polygon.area_ha().into());
        properties.insert("cells".into(), polygon.cells().into());
        self.write(Geometry::new_polygon(rings), properties)
    }

    /// Closes the FeatureCollection and flushes the writer.
    pub fn finish(mut self) -> io::Result<()> {
        self.writer.finish().map_err(io::Error::other)?;
        self.writer.flush().map_err(io::Error::other)
    }

    fn write(&mut self, geometry: Geometry, properties: JsonObject) -> io::Result<()> {
        let feature = Feature {
            geometry: Some(geometry),
            properties: Some(properties),
            ..Feature::default()
        };
        self.writer.write_feature(&feature).map_err(|e| match e {
            geojson::Error::Io(e) => e,
            other => io::Error::other(other),
        })
    }

    /// A closed ring in longitude/latitude from an open ring of projected
    /// corners, long edges split (see [`MAX_EDGE_M`]).
    fn ring(&self, corners: &[[f64; 2]]) -> io::Result<Vec<[f64; 2]>> {
        let mut closed = corners.to_vec();
        closed.extend(corners.first());
        self.line(&closed)
    }

    /// A line in longitude/latitude through projected points, long edges
    /// split (see [`MAX_EDGE_M`]).
    fn line(&self, points: &[[f64; 2]]) -> io::Result<Vec<[f64; 2]>> {
        let mut out = Vec::with_capacity(points.len());
        for (k, &[x, y]) in points.iter().enumerate() {
            if k > 0 {
                let [px, py] = points[k - 1];
                let pieces = ((x - px).hypot(y - py) / MAX_EDGE_M).ceil().max(1.0) as usize;
                for s in 1..pieces {
                    let t = s as f64 / pieces as f64;
                    out.push(
                        self.crs
                            .to_lonlat(px + t * (x - px), py + t * (y - py))
                            .map_err(invalid)?,
                    );
                }
            }
            out.push(self.crs.to_lonlat(x, y).map_err(invalid)?);
        }
        Ok(out)
    }
}

fn invalid(e: super::GeoError) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geo::cell_polygons;

    fn collection(
        frame: &GridFrame,
        crs: &Crs,
        build: impl FnOnce(&mut HazardGeoJson<&mut Vec<u8>>),
    ) -> JsonValue {
        let mut out = Vec::new();
        let mut writer = HazardGeoJson::new(&mut out, frame, crs);
        build(&mut writer);
        writer.finish().unwrap();
        serde_json::from_slice(&out).unwrap()
    }

    /// Twice the signed area of a closed longitude/latitude ring.
    fn twice_area(ring: &JsonValue) -> f64 {
        let p: Vec<(f64, f64)> = ring
            .as_array()
            .unwrap()
            .iter()
            .map(|q| (q[0].as_f64().unwrap(), q[1].as_f64().unwrap()))
            .collect();
        p.windows(2)
            .map(|w| w[0].0 * w[1].1 - w[1].0 * w[0].1)
            .sum()
    }

    #[test]
    fn features_carry_their_properties_and_rings_keep_their_orientation() {
        let crs = Crs::from_epsg(32636).unwrap();
        let [x, y] = crs.to_projected(36.0, 49.5).unwrap();
        let frame = GridFrame::new(30.0, 30.0, 10.0, [x, y]).unwrap();
        let mut selected = vec![true; 9];
        selected[4] = false;
        let polygons = cell_polygons(&frame, &selected, &[0.25; 9]);
        let json = collection(&frame, &crs, |w| {
            w.write_target("a", [0.0, 0.0, 20.0, 10.0]).unwrap();
            w.write_target("a", [5.0, 5.0, 5.0, 25.0]).unwrap();
            w.write_hazard("a", 0.5, &polygons[0]).unwrap();
        });
        assert_eq!(json["type"], "FeatureCollection");
        let features = json["features"].as_array().unwrap();
        assert_eq!(features.len(), 3);
        let target = &features[0];
        assert_eq!(target["properties"]["kind"], "target");
        assert_eq!(target["properties"]["area_ha"], 0.02);
        assert!(target["properties"]["threshold"].is_null());
        let ring = &target["geometry"]["coordinates"][0];
        assert_eq!(ring.as_array().unwrap().len(), 5);
        assert_eq!(ring[0], ring[4], "closed");
        assert_eq!(features[1]["geometry"]["type"], "LineString");
        let hazard = &features[2];
        assert_eq!(hazard["properties"]["scenario"], "a");
        assert_eq!(hazard["properties"]["threshold"], 0.5);
        assert_eq!(hazard["properties"]["expected_uxo"], 2.0);
        assert_eq!(hazard["properties"]["cells"], 8);
        let rings = hazard["geometry"]["coordinates"].as_array().unwrap();
        assert_eq!(rings.len(), 2);
        assert!(twice_area(&rings[0]) > 0.0, "exterior counter-clockwise");
        assert!(twice_area(&rings[1]) < 0.0, "hole clockwise");
        let [lon, lat] = [
            rings[0][0][0].as_f64().unwrap(),
            rings[0][0][1].as_f64().unwrap(),
        ];
        assert!(
            (lon - 36.0).abs() < 1e-9 && (lat - 49.5).abs() < 1e-9,
            "{lon} {lat}"
        );
    }

    #[test]
    fn an_empty_collection_is_valid() {
        let crs = Crs::from_epsg(32636).unwrap();
        let frame = GridFrame::new(10.0, 10.0, 1.0, [500_000.0, 5_500_000.0]).unwrap();
        let json = collection(&frame, &crs, |_| {});
        assert_eq!(json["features"].as_array().unwrap().len(), 0);
    }

    #[test]
    fn split_edges_follow_the_projected_line_within_a_centimetre() {
        // A 20 km east-west edge 500 km west of the central meridian, where
        // the map scale nears dudsim's limit: compare the straight
        // longitude/latitude segments with the projected line.
        let crs = Crs::from_epsg(32636).unwrap();
        let (x0, x1, y) = (0.0, 20_000.0, 5_550_000.0);
        let frame = GridFrame::new(20_000.0, 10.0, 10.0, [x0, y]).unwrap();
        let writer = HazardGeoJson::new(Vec::new(), &frame, &crs);
        let line = writer.line(&[[x0, y], [x1, y]]).unwrap();
        assert_eq!(line.len(), 81);
        let mut worst = 0.0f64;
        for pair in line.windows(2) {
            let mid = [
                (pair[0][0] + pair[1][0]) / 2.0,
                (pair[0][1] + pair[1][1]) / 2.0,
            ];
            let [_, my] = crs.to_projected(mid[0], mid[1]).unwrap();
            worst = worst.max((my - y).abs());
        }
        assert!(worst < 0.01, "{worst} m");
        // Unsplit, the same edge strays by metres: the split is needed.
        let ends = [crs.to_lonlat(x0, y).unwrap(), crs.to_lonlat(x1, y).unwrap()];
        let mid = [
            (ends[0][0] + ends[1][0]) / 2.0,
            (ends[0][1] + ends[1][1]) / 2.0,
        ];
        let stray = (crs.to_projected(mid[0], mid[1]).unwrap()[1] - y).abs();
        assert!(stray > 1.0, "{stray} m");
        writer.finish().unwrap();
    }
}
