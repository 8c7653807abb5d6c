//! Maps on the Earth, checked against references outside dudsim: GDAL's
//! command-line tools (gdalinfo, gdallocationinfo, gdalsrsinfo,
//! gdaltransform, ogrinfo, ogr2ogr) read the files this module writes, and
//! the projections are compared with PROJ's published test points.
//!
//! The tests that run a tool FAIL when it is missing, never skip: `.ci/run`
//! installs GDAL's tools (Debian package gdal-bin).

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::{Command, Stdio};

use super::*;
use serde_json::Value;

/// Runs a GDAL tool and returns what it printed; a missing tool or a
/// failure fails the test.
fn run(tool: &str, args: &[&str]) -> String {
    run_with_input(tool, args, "")
}

/// As [`run`], with `input` on the tool's standard input.
fn run_with_input(tool: &str, args: &[&str], input: &str) -> String {
    let mut child = Command::new(tool)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run {tool} ({e}): these tests need GDAL's command-line tools \
                 (Debian: apt-get install gdal-bin, which .ci/run does)"
            )
        });
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    // Some tools report errors (a bad SQL query) but exit with status 0.
    let errors = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success() && !errors.contains("ERROR"),
        "{tool} {args:?} failed: {errors}"
    );
    String::from_utf8(output.stdout).expect("tools print UTF-8")
}

fn path(dir: &Path, name: &str) -> String {
    dir.join(name).to_str().unwrap().to_string()
}

fn gdalinfo(file: &str) -> Value {
    serde_json::from_str(&run("gdalinfo", &["-json", "-stats", file])).unwrap()
}

/// Distinct values (so a flipped or shifted grid shows), most of them not
/// exact in `f32`, none equal to the no-data value.
fn test_values(frame: &GridFrame) -> Vec<f64> {
    (0..frame.cells())
        .map(|i| {
            let (column, row) = (i % frame.columns(), i / frame.columns());
            row as f64 * 1000.0 + column as f64 + 0.1
        })
        .collect()
}

/// The places the raster tests use: Kyiv and a southern-hemisphere point
/// (Lilongwe) placed in their UTM zones, and Warsaw in the Polish national
/// grid (not UTM, so its `.prj` is the EPSG WKT). Areas are not multiples of
/// the cell size, so the last column and top row are partial.
fn placements() -> Vec<(Crs, GridFrame)> {
    let (width, height, cell) = (2505.0, 1497.0, 10.0);
    let mut out = Vec::new();
    for (lon, lat) in [(30.5234, 50.4501), (33.7741, -13.9626)] {
        let placed = utm_centred(lon, lat, width, height, cell).unwrap();
        out.push((
            Crs::from_epsg(placed.epsg).unwrap(),
            GridFrame::new(width, height, cell, placed.origin).unwrap(),
        ));
    }
    let poland = Crs::parse("EPSG:2180").unwrap();
    let [x, y] = poland.to_projected(21.0122, 52.2297).unwrap();
    let frame = GridFrame::new(width, height, cell, [x.round(), y.round()]).unwrap();
    poland.check_frame(&frame).unwrap();
    out.push((poland, frame));
    out
}

fn close(a: f64, b: f64, tolerance: f64) -> bool {
    (a - b).abs() <= tolerance
}

fn as_f64(v: &Value) -> f64 {
    v.as_f64()
        .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
        .unwrap_or_else(|| panic!("not a number: {v}"))
}

/// What gdalinfo says of a grid that dudsim wrote: size, corners, pixel
/// size, no-data value, statistics and orientation all as written.
fn check_raster(file: &str, info: &Value, frame: &GridFrame, values: &[f64]) {
    let (columns, rows, cell) = (frame.columns(), frame.rows(), frame.cell_m());
    assert_eq!(info["size"], serde_json::json!([columns, rows]), "{file}");
    let [x0, y0] = frame.origin();
    let (x1, y1) = (x0 + columns as f64 * cell, y0 + rows as f64 * cell);
    let corners = &info["cornerCoordinates"];
    for (corner, [x, y]) in [
        ("lowerLeft", [x0, y0]),
        ("upperLeft", [x0, y1]),
        ("upperRight", [x1, y1]),
        ("lowerRight", [x1, y0]),
    ] {
        let got = [as_f64(&corners[corner][0]), as_f64(&corners[corner][1])];
        assert!(
            close(got[0], x, 1e-6) && close(got[1], y, 1e-6),
            "{file}: {corner} {got:?}, wrote {x}, {y}"
        );
    }
    let transform: Vec<f64> = info["geoTransform"]
        .as_array()
        .unwrap()
        .iter()
        .map(as_f64)
        .collect();
    assert_eq!(
        (transform[1], transform[2], transform[4], transform[5]),
        (cell, 0.0, 0.0, -cell),
        "{file}: pixel size and north-up"
    );
    let band = &info["bands"][0];
    assert_eq!(band["type"], "Float32", "{file}");
    assert_eq!(as_f64(&band["noDataValue"]), NODATA, "{file}");
    // Statistics over the values as stored (rounded to f32); gdalinfo
    // prints them with 14 significant digits in the band's metadata.
    let stored: Vec<f64> = values.iter().map(|&v| f64::from(v as f32)).collect();
    let sum: f64 = stored.iter().sum();
    let min = stored.iter().copied().fold(f64::INFINITY, f64::min);
    let max = stored.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let stats = &band["metadata"][""];
    let relative = |got: f64, want: f64| (got - want).abs() <= 1e-12 * want.abs().max(1.0);
    assert!(
        relative(as_f64(&stats["STATISTICS_MINIMUM"]), min),
        "{file}: {stats}"
    );
    assert!(
        relative(as_f64(&stats["STATISTICS_MAXIMUM"]), max),
        "{file}: {stats}"
    );
    let mean = as_f64(&stats["STATISTICS_MEAN"]);
    assert!(
        relative(mean * frame.cells() as f64, sum),
        "{file}: GDAL's sum {} vs {sum}",
        mean * frame.cells() as f64
    );
    assert_eq!(as_f64(&stats["STATISTICS_VALID_PERCENT"]), 100.0, "{file}");
    // Orientation: the values at the centres of the south-west and
    // north-east cells and one more, located by their coordinates.
    let cells = [(0, 0), (columns - 1, rows - 1), (3, rows - 2)];
    let points: String = cells
        .iter()
        .map(|&(column, row)| {
            let [x, y] = frame.cell_centre(column, row);
            format!("{x} {y}\n")
        })
        .collect();
    let got = run_with_input("gdallocationinfo", &["-valonly", "-geoloc", file], &points);
    let got: Vec<f64> = got.lines().map(|v| v.trim().parse().unwrap()).collect();
    assert_eq!(got.len(), cells.len(), "{file}");
    for (&(column, row), value) in cells.iter().zip(got) {
        let want = stored[row * columns + column];
        assert!(
            relative(value, want),
            "{file}: cell ({column}, {row}) reads {value}, wrote {want}"
        );
    }
}

/// GDAL names the system as dudsim does, but for EPSG:2180, which the
/// EPSG registry renamed after the snapshot in `crs-definitions`.
/// A `.prj` with the EPSG WKT's 7-parameter shift to WGS 84 (`TOWGS84`)
/// reads as a BOUNDCRS: the projected system plus that shift.
fn check_name(file: &str, info: &Value, crs: &Crs) {
    let wkt = info["coordinateSystem"]["wkt"].as_str().unwrap();
    let named = [crs.name(), "ETRF2000-PL / CS92"]
        .iter()
        .filter(|name| *name == &crs.name() || crs.epsg() == 2180)
        .map(|name| format!("PROJCRS[\"{name}\""))
        .any(|head| {
            wkt.starts_with(&head) || (wkt.starts_with("BOUNDCRS[") && wkt.contains(&head))
        });
    assert!(named, "{file}: GDAL names the system {wkt}");
}

/// gdalinfo's longitude/latitude of the corners agree with dudsim's own
/// inverse projection (GDAL prints 7 decimals: 1 cm).
fn check_wgs84_extent(file: &str, info: &Value, crs: &Crs, frame: &GridFrame) {
    let [x0, y0] = frame.origin();
    let (x1, y1) = (x0 + frame.grid_width_m(), y0 + frame.grid_height_m());
    let ring = info["wgs84Extent"]["coordinates"][0].as_array().unwrap();
    for (k, [x, y]) in [[x0, y1], [x0, y0], [x1, y0], [x1, y1]]
        .into_iter()
        .enumerate()
    {
        let [lon, lat] = crs.to_lonlat(x, y).unwrap();
        let got = [as_f64(&ring[k][0]), as_f64(&ring[k][1])];
        assert!(
            close(got[0], lon, 1e-7) && close(got[1], lat, 1e-7),
            "{file}: corner {k} at {got:?} for GDAL, [{lon}, {lat}] for dudsim"
        );
    }
}

#[test]
fn gdal_reads_geotiffs_where_and_as_they_were_written() {
    let dir = tempfile::tempdir().unwrap();
    for (crs, frame) in placements() {
        let file = path(dir.path(), &format!("density-{}.tif", crs.epsg()));
        let values = test_values(&frame);
        write_geotiff(
            BufWriter::new(File::create(&file).unwrap()),
            &frame,
            Some(&crs),
            &values,
        )
        .unwrap();
        let info = gdalinfo(&file);
        assert_eq!(info["stac"]["proj:epsg"], crs.epsg(), "{file}");
        check_name(&file, &info, &crs);
        assert_eq!(info["metadata"][""]["AREA_OR_POINT"], "Area", "{file}");
        check_raster(&file, &info, &frame, &values);
        check_wgs84_extent(&file, &info, &crs, &frame);
    }
}

#[test]
fn gdal_reads_ascii_grids_with_prj_sidecars_where_they_were_written() {
    let dir = tempfile::tempdir().unwrap();
    for (crs, frame) in placements() {
        let file = path(dir.path(), &format!("density-{}.asc", crs.epsg()));
        let prj = path(dir.path(), &format!("density-{}.prj", crs.epsg()));
        let values = test_values(&frame);
        let mut out = BufWriter::new(File::create(&file).unwrap());
        write_esri_ascii(&mut out, &frame, &values).unwrap();
        drop(out);
        std::fs::write(&prj, crs.prj_wkt()).unwrap();
        let info = gdalinfo(&file);
        check_name(&file, &info, &crs);
        // GDAL identifies the EPSG code: from the ESRI name for UTM zones,
        // from the AUTHORITY nodes otherwise.
        let identified = run("gdalsrsinfo", &["-e", "-o", "epsg", &prj]);
        assert!(
            identified.contains(&format!("EPSG:{}\n", crs.epsg())),
            "{prj}: {identified}"
        );
        check_raster(&file, &info, &frame, &values);
        check_wgs84_extent(&file, &info, &crs, &frame);
    }
}

#[test]
fn grids_in_local_metres_stay_at_the_origin_with_no_place_on_the_earth() {
    let dir = tempfile::tempdir().unwrap();
    let frame = GridFrame::local(2505.0, 1497.0, 10.0).unwrap();
    let values = test_values(&frame);
    let tif = path(dir.path(), "density.tif");
    write_geotiff(File::create(&tif).unwrap(), &frame, None, &values).unwrap();
    let info = gdalinfo(&tif);
    assert!(info.get("coordinateSystem").is_none(), "{info}");
    assert!(info["stac"].get("proj:epsg").is_none(), "{info}");
    assert!(info.get("wgs84Extent").is_none(), "no place on the Earth");
    check_raster(&tif, &info, &frame, &values);
    let asc = path(dir.path(), "density.asc");
    write_esri_ascii(&mut File::create(&asc).unwrap(), &frame, &values).unwrap();
    let info = gdalinfo(&asc);
    check_raster(&asc, &info, &frame, &values);
}

/// A selection with every shape the polygon tracer must get right, as text
/// with the top row first (`#` selected): a square ring with an island in
/// its hole, cells touching only at corners (between components and within
/// one, around a hole), a checkerboard, a U-shape, and selected cells on
/// the grid's edges, including the partial last column and top row.
const SHAPES: [&str; 14] = [
    "##...#.#.#....#",
    "#....##.#.#...#",
    "........##.#...",
    ".#######.#.#..#",
    ".#.....#......#",
    ".#.###.#..#.#.#",
    ".#.#.#.#.#.#...",
    ".#.###.#..#.#..",
    ".#.....#.#.....",
    ".#######.##.#..",
    "..........#.###",
    "##.##.#.#.#.#.#",
    "#.#.#.##.#...#.",
    "###.###..##.###",
];

/// The cell (column, row from the south) of each selected `#` in rows
/// given top first.
fn selection(rows: &[&str]) -> Vec<bool> {
    rows.iter()
        .rev()
        .flat_map(|line| line.bytes().map(|b| b == b'#'))
        .collect()
}

/// Whether a point lies inside a polygon (even-odd rule over all rings):
/// written here independently of dudsim's tracer. Points never lie on a
/// ring, as cell centres are never on cell boundaries.
fn contains(polygon: &CellPolygon, [px, py]: [f64; 2]) -> bool {
    let mut inside = false;
    for ring in std::iter::once(polygon.exterior()).chain(polygon.holes().iter().map(Vec::as_slice))
    {
        for k in 0..ring.len() {
            let ([ax, ay], [bx, by]) = (ring[k], ring[(k + 1) % ring.len()]);
            if (ay > py) != (by > py) && px < ax + (py - ay) / (by - ay) * (bx - ax) {
                inside = !inside;
            }
        }
    }
    inside
}

fn twice_signed_area(ring: &[[f64; 2]]) -> f64 {
    (0..ring.len())
        .map(|k| {
            let ([ax, ay], [bx, by]) = (ring[k], ring[(k + 1) % ring.len()]);
            ax * by - bx * ay
        })
        .sum()
}

/// Checks that the polygons are exactly the selected cells: every cell
/// centre lies in one polygon if selected and in none otherwise; cells,
/// areas and values add up; rings are simple, axis-parallel, without
/// collinear points, exteriors counter-clockwise and holes clockwise.
fn check_polygons(
    frame: &GridFrame,
    selected: &[bool],
    per_cell: &[f64],
    polygons: &[CellPolygon],
) {
    let columns = frame.columns();
    for row in 0..frame.rows() {
        for column in 0..columns {
            // The centre of the part of the cell inside the area.
            let cell = frame.cell_m();
            let middle =
                |i: usize, size: f64| (i as f64 * cell + ((i + 1) as f64 * cell).min(size)) / 2.0;
            let [ox, oy] = frame.origin();
            let centre = [
                ox + middle(column, frame.width_m()),
                oy + middle(row, frame.height_m()),
            ];
            let holders = polygons.iter().filter(|p| contains(p, centre)).count();
            let want = usize::from(selected[row * columns + column]);
            assert_eq!(
                holders, want,
                "cell ({column}, {row}) lies in {holders} polygons"
            );
        }
    }
    let cells: usize = polygons.iter().map(CellPolygon::cells).sum();
    assert_eq!(cells, selected.iter().filter(|&&s| s).count());
    let area: f64 = (0..frame.cells())
        .filter(|&i| selected[i])
        .map(|i| frame.cell_area_m2(i % columns, i / columns))
        .sum();
    let polygon_area: f64 = polygons.iter().map(|p| p.area_ha() * 10_000.0).sum();
    assert!(
        (polygon_area - area).abs() < 1e-9 * area,
        "{polygon_area} vs {area}"
    );
    let value: f64 = (0..frame.cells())
        .filter(|&i| selected[i])
        .map(|i| per_cell[i])
        .sum();
    let polygon_value: f64 = polygons.iter().map(CellPolygon::value_sum).sum();
    assert!((polygon_value - value).abs() < 1e-9 * value.max(1.0));
    for polygon in polygons {
        // Each polygon's geometric area (exterior less holes) is its area.
        let [ox, oy] = frame.origin();
        let local = |ring: &[[f64; 2]]| {
            ring.iter()
                .map(|&[x, y]| [x - ox, y - oy])
                .collect::<Vec<_>>()
        };
        let exterior = twice_signed_area(&local(polygon.exterior())) / 2.0;
        assert!(exterior > 0.0, "exterior counter-clockwise");
        let holes: f64 = polygon
            .holes()
            .iter()
            .map(|h| twice_signed_area(&local(h)) / 2.0)
            .sum();
        assert!(
            polygon.holes().iter().all(|h| twice_signed_area(h) < 0.0),
            "holes clockwise"
        );
        assert!(
            ((exterior + holes) - polygon.area_ha() * 10_000.0).abs() < 1e-6,
            "geometry {} m² vs area {} ha",
            exterior + holes,
            polygon.area_ha()
        );
        for ring in
            std::iter::once(polygon.exterior()).chain(polygon.holes().iter().map(Vec::as_slice))
        {
            let n = ring.len();
            assert!(n >= 4, "{ring:?}");
            let mut sorted = ring.to_vec();
            sorted.sort_by(|a, b| a.partial_cmp(b).unwrap());
            sorted.dedup();
            assert_eq!(
                sorted.len(),
                n,
                "a ring passes through a point twice: {ring:?}"
            );
            for k in 0..n {
                let (a, b, c) = (ring[k], ring[(k + 1) % n], ring[(k + 2) % n]);
                assert!(
                    a[0] == b[0] || a[1] == b[1],
                    "edge not along the grid: {a:?} {b:?}"
                );
                let collinear = (a[0] == b[0] && b[0] == c[0]) || (a[1] == b[1] && b[1] == c[1]);
                assert!(!collinear, "collinear corner {b:?}");
            }
        }
    }
}

#[test]
fn polygons_cover_exactly_the_selected_cells() {
    // 15 × 14 cells of 10 m, the last column and top row partial.
    let frame = GridFrame::new(147.5, 133.0, 10.0, [500_000.0, 5_000_000.0]).unwrap();
    let selected = selection(&SHAPES);
    assert_eq!(selected.len(), frame.cells());
    let per_cell: Vec<f64> = (0..frame.cells()).map(|i| (i % 5) as f64 * 0.5).collect();
    let polygons = cell_polygons(&frame, &selected, &per_cell);
    check_polygons(&frame, &selected, &per_cell, &polygons);
    // The ring of cells holds an island: two polygons, the ring with a hole.
    let ring = polygons
        .iter()
        .find(|p| p.cells() == 24)
        .expect("the square ring of 24 cells");
    assert_eq!(ring.holes().len(), 1);
    assert!(
        polygons
            .iter()
            .any(|p| p.cells() == 8 && p.holes().len() == 1),
        "the island is a ring itself"
    );
    // Random selections of every density, on grids of several shapes.
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for trial in 0..60 {
        let (columns, rows) = (1 + next() % 23, 1 + next() % 19);
        let frame = GridFrame::new(
            columns as f64 * 2.0 - 0.5,
            rows as f64 * 2.0,
            2.0,
            [0.0, 0.0],
        )
        .unwrap();
        let density = (trial % 10) as u64 + 1;
        let selected: Vec<bool> = (0..frame.cells()).map(|_| next() % 11 < density).collect();
        let per_cell = vec![1.0; frame.cells()];
        let polygons = polygons_at_least(
            &frame,
            &selected
                .iter()
                .map(|&s| f64::from(u8::from(s)))
                .collect::<Vec<_>>(),
            0.5,
            &per_cell,
        );
        check_polygons(&frame, &selected, &per_cell, &polygons);
    }
}

#[test]
fn ogr_reads_hazard_geojson_as_valid_polygons_of_the_stated_area() {
    let dir = tempfile::tempdir().unwrap();
    // Izium, in zone 37.
    let placed = utm_centred(37.2556, 49.2083, 147.5, 133.0, 10.0).unwrap();
    let crs = Crs::from_epsg(placed.epsg).unwrap();
    let frame = GridFrame::new(147.5, 133.0, 10.0, placed.origin).unwrap();
    let selected = selection(&SHAPES);
    let per_cell: Vec<f64> = (0..frame.cells()).map(|i| (i % 5) as f64 * 0.25).collect();
    let polygons = cell_polygons(&frame, &selected, &per_cell);
    let file = path(dir.path(), "hazard.geojson");
    let mut writer = HazardGeoJson::new(BufWriter::new(File::create(&file).unwrap()), &frame, &crs);
    writer
        .write_target("barrage", [20.0, 30.0, 120.0, 90.0])
        .unwrap();
    for polygon in &polygons {
        writer.write_hazard("barrage", 0.5, polygon).unwrap();
    }
    writer.finish().unwrap();

    let summary = run("ogrinfo", &["-al", "-so", &file]);
    assert!(
        summary.contains(&format!("Feature Count: {}\n", polygons.len() + 1)),
        "{summary}"
    );
    assert!(summary.contains("Geometry: Polygon\n"), "{summary}");
    assert!(summary.contains("ID[\"EPSG\",4326]"), "WGS 84: {summary}");
    for field in [
        "scenario: String",
        "kind: String",
        "threshold: Real",
        "expected_uxo: Real",
        "area_ha: Real",
    ] {
        assert!(summary.contains(field), "{field}: {summary}");
    }
    // GEOS (through SpatiaLite) finds every polygon valid: rings simple,
    // touching only at corners.
    let validity = run(
        "ogrinfo",
        &[
            "-q",
            "-dialect",
            "SQLite",
            "-sql",
            "SELECT ST_IsValid(geometry) AS valid FROM hazard",
            &file,
        ],
    );
    assert_eq!(
        validity.matches("valid (Integer) = 1").count(),
        polygons.len() + 1,
        "{validity}"
    );
    assert!(!validity.contains("valid (Integer) = 0"), "{validity}");
    // GDAL's own projection back to the zone gives each polygon the area
    // and expected UXO dudsim stated.
    let projected = path(dir.path(), "projected.geojson");
    run(
        "ogr2ogr",
        &[
            "-f",
            "GeoJSON",
            "-t_srs",
            &format!("EPSG:{}", crs.epsg()),
            &projected,
            &file,
        ],
    );
    let areas = run(
        "ogrinfo",
        &[
            "-q",
            "-sql",
            "SELECT kind, area_ha, expected_uxo, OGR_GEOM_AREA AS m2 FROM hazard",
            &projected,
        ],
    );
    let numbers = |name: &str| -> Vec<f64> {
        areas
            .lines()
            .filter_map(|l| l.trim().strip_prefix(&format!("{name} (Real) = ")))
            .filter(|v| *v != "(null)")
            .map(|v| v.parse().unwrap())
            .collect()
    };
    let (stated, measured) = (numbers("area_ha"), numbers("m2"));
    assert_eq!(stated.len(), polygons.len() + 1, "{areas}");
    for (ha, m2) in stated.iter().zip(&measured) {
        assert!(
            (ha * 10_000.0 - m2).abs() < 1e-3,
            "{ha} ha stated, {m2} m² measured by GDAL"
        );
    }
    let uxo: f64 = numbers("expected_uxo").iter().sum();
    let want: f64 = polygons.iter().map(CellPolygon::value_sum).sum();
    assert!((uxo - want).abs() < 1e-9, "{uxo} vs {want}");
}

/// Easting, northing of WGS 84 longitude/latitude points in the UTM zone
/// EPSG:326zz/327zz, from PROJ's test suite (OSGeo/PROJ, file
/// test/gie/tmerczoned.gie, "EPSG:32600 (North)" and "EPSG:32700 (South)
/// Boundary Tests", tolerance 0.1 mm there; the zone number written before
/// the easting there is dropped here), and one point from
/// test/gie/builtins.gie (`+proj=utm +zone=32`, 0.001 mm; that case uses
/// the GRS80 ellipsoid, which moves it by 0.1 mm from WGS 84).
const PROJ_TEST_POINTS: [(u32, f64, f64, f64, f64); 10] = [
    // (EPSG, longitude, latitude, easting, northing)
    (32636, 30.0, 0.0, 166021.4431, 0.0),
    (32636, 30.0, 80.0, 441867.7849, 8883084.9559),
    (32636, 35.999999999, 0.0, 833978.5568, 0.0),
    (32636, 35.999999999, 80.0, 558132.2151, 8883084.9559),
    (32601, -180.0, 80.0, 441867.7849, 8883084.9559),
    (32660, 179.999999999, 0.0, 833978.5568, 0.0),
    (32736, 30.0, 0.0, 166021.4431, 10000000.0),
    (32736, 30.0, -80.0, 441867.7849, 1116915.0441),
    (32736, 35.999999999, -80.0, 558132.2151, 1116915.0441),
    (32632, 12.0, 56.0, 687071.43910944, 6210141.32674801),
];

#[test]
fn projections_match_published_reference_points_to_a_millimetre() {
    for (epsg, lon, lat, x, y) in PROJ_TEST_POINTS {
        let crs = Crs::from_epsg(epsg).unwrap();
        let [px, py] = crs.to_projected(lon, lat).unwrap();
        let off = (px - x).hypot(py - y);
        assert!(
            off < 1e-3,
            "EPSG:{epsg} ({lon}, {lat}): [{px}, {py}] is {off} m from [{x}, {y}]"
        );
        let [blon, blat] = crs.to_lonlat(x, y).unwrap();
        // Back to where it started, within a millimetre on the ground.
        let dx = (blon - lon).to_radians() * 6_378_137.0 * lat.to_radians().cos();
        let dy = (blat - lat).to_radians() * 6_378_137.0;
        assert!(
            dx.hypot(dy) < 1e-3,
            "EPSG:{epsg}: inverse of [{x}, {y}] is ({blon}, {blat})"
        );
    }
}

#[test]
fn projections_round_trip_to_a_millimetre_across_zones_and_latitudes() {
    for zone in [1, 17, 31, 36, 37, 60] {
        for north in [true, false] {
            let crs = Crs::from_epsg(if north { 32600 } else { 32700 } + zone).unwrap();
            let centre = -183.0 + 6.0 * f64::from(zone);
            for dlon in [-3.0, -1.7, 0.0, 0.4, 2.999] {
                for lat in [0.0, 12.5, 45.0, 71.3, 80.0] {
                    let lat = if north { lat } else { -lat };
                    let lon: f64 = centre + dlon;
                    let lon = if lon > 180.0 { lon - 360.0 } else { lon };
                    let [x, y] = crs.to_projected(lon, lat).unwrap();
                    let [blon, blat] = crs.to_lonlat(x, y).unwrap();
                    let [bx, by] = crs.to_projected(blon, blat).unwrap();
                    assert!(
                        (bx - x).hypot(by - y) < 1e-3,
                        "EPSG:{} ({lon}, {lat}) → [{x}, {y}] → ({blon}, {blat}) → [{bx}, {by}]",
                        crs.epsg()
                    );
                }
            }
        }
    }
}

#[test]
fn utm_coordinates_of_ukrainian_cities_match_gdaltransform() {
    // Kharkiv and Izium lie just east of zone 36's band, Kyiv and Kherson
    // west of zone 37's, so each zone is also checked beyond its band.
    let cities = [
        ("Kyiv", 30.5234, 50.4501),
        ("Kharkiv", 36.2304, 49.9935),
        ("Kherson", 32.6169, 46.6354),
        ("Izium", 37.2556, 49.2083),
    ];
    for epsg in [32636, 32637] {
        let input: String = cities
            .iter()
            .map(|(_, lon, lat)| format!("{lon} {lat}\n"))
            .collect();
        let target = format!("EPSG:{epsg}");
        let printed = run_with_input(
            "gdaltransform",
            &["-s_srs", "EPSG:4326", "-t_srs", &target, "-output_xy"],
            &input,
        );
        let crs = Crs::from_epsg(epsg).unwrap();
        assert_eq!(printed.lines().count(), cities.len(), "{printed}");
        for ((name, lon, lat), line) in cities.iter().zip(printed.lines()) {
            let gdal: Vec<f64> = line
                .split_whitespace()
                .map(|v| v.parse().unwrap())
                .collect();
            let [x, y] = crs.to_projected(*lon, *lat).unwrap();
            let off = (x - gdal[0]).hypot(y - gdal[1]);
            assert!(
                off < 1e-3,
                "{name} in EPSG:{epsg}: dudsim [{x}, {y}], GDAL {gdal:?}: {off} m apart"
            );
        }
        // And back: GDAL's inverse of its own coordinates against dudsim's.
        let back = run_with_input(
            "gdaltransform",
            &["-s_srs", &target, "-t_srs", "EPSG:4326", "-output_xy"],
            &printed,
        );
        assert_eq!(back.lines().count(), cities.len(), "{back}");
        for (forward, line) in printed.lines().zip(back.lines()) {
            let xy: Vec<f64> = forward
                .split_whitespace()
                .map(|v| v.parse().unwrap())
                .collect();
            let gdal: Vec<f64> = line
                .split_whitespace()
                .map(|v| v.parse().unwrap())
                .collect();
            let [lon, lat] = crs.to_lonlat(xy[0], xy[1]).unwrap();
            // 1e-8° is at most 1.1 mm on the ground.
            assert!(
                (lon - gdal[0]).abs() < 1e-8 && (lat - gdal[1]).abs() < 1e-8,
                "EPSG:{epsg} {xy:?}: dudsim ({lon}, {lat}), GDAL {gdal:?}"
            );
        }
    }
}
