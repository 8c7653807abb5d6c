//! Maps on the Earth as a GIS analyst meets them: `dudsim run` on the
//! shipped placed example, then GDAL's own tools (gdalinfo, ogrinfo,
//! ogr2ogr) read the files it wrote. These tests FAIL when the tools are
//! missing: `.ci/run` installs them (Debian package gdal-bin).

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::common::{dudsim, read, temp_dir, utf8};

/// Runs a GDAL tool; a missing tool or a failure fails the test.
fn tool(name: &str, args: &[&str]) -> String {
    let out = Command::new(name).args(args).output().unwrap_or_else(|e| {
        panic!("cannot run {name} ({e}): install GDAL's tools (Debian: apt-get install gdal-bin)")
    });
    let errors = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && !errors.contains("ERROR"),
        "{name} {args:?} failed: {errors}"
    );
    String::from_utf8(out.stdout).unwrap()
}

fn gdalinfo(file: &Path) -> Value {
    serde_json::from_str(&tool("gdalinfo", &["-json", "-stats", utf8(file)])).unwrap()
}

fn number(v: &Value) -> f64 {
    v.as_f64()
        .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
        .unwrap_or_else(|| panic!("not a number: {v}"))
}

/// The example's 5 km × 5 km area in 50 m cells, centred on 36.23 E, 50 N:
/// UTM zone 37N, its lower-left corner computed by dudsim.
const CELL_M: f64 = 50.0;
const SIZE_M: f64 = 5000.0;

/// Runs the placed example with few replicates into a fresh directory.
fn placed_run() -> tempfile::TempDir {
    let tmp = temp_dir();
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/placed-kharkiv.toml");
    dudsim([
        "run",
        utf8(&example),
        "--replicates",
        "200",
        "--no-charts",
        "--quiet",
    ])
    .arg("--out")
    .arg(tmp.path().join("out"))
    .ok();
    tmp
}

/// The origin dudsim placed the area at, from density.csv's first cell
/// centre (half a cell from the lower-left corner).
fn origin(out: &Path) -> [f64; 2] {
    let csv = read(out, "density.csv");
    let first = csv.lines().nth(1).unwrap();
    let fields: Vec<f64> = first.split(',').map(|f| f.parse().unwrap()).collect();
    [fields[0] - CELL_M / 2.0, fields[1] - CELL_M / 2.0]
}

/// Expected UXO summed over the cells, from density.csv.
fn uxo_in_cells(out: &Path) -> f64 {
    read(out, "density.csv")
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(2).unwrap().parse::<f64>().unwrap())
        .sum()
}

#[test]
fn gdal_places_the_grids_of_a_placed_run_where_dudsim_says() {
    let tmp = placed_run();
    let out = tmp.path().join("out");
    let [x0, y0] = origin(&out);
    let sum = uxo_in_cells(&out);
    for file in ["density.tif", "density.asc"] {
        let info = gdalinfo(&out.join(file));
        // The coordinate system given, read from GeoKeys or the .prj.
        // (GeoKeys name the EPSG code; the ESRI-flavour .prj names the zone
        // and datum, from which GDAL finds the code: see the geo module's
        // tests with gdalsrsinfo.)
        let wkt = info["coordinateSystem"]["wkt"].as_str().unwrap();
        assert!(
            wkt.contains("UTM zone 37N") && wkt.contains("WGS 84"),
            "{file}: {wkt}"
        );
        if file.ends_with(".tif") {
            assert!(wkt.contains("32637"), "{file}: no EPSG:32637 in {wkt}");
        }
        // Corners: the origin and origin + size; cells of 50 m, north up.
        let corners = &info["cornerCoordinates"];
        let corner = |name: &str| [number(&corners[name][0]), number(&corners[name][1])];
        let close =
            |a: [f64; 2], b: [f64; 2]| (a[0] - b[0]).abs() < 1e-3 && (a[1] - b[1]).abs() < 1e-3;
        assert!(close(corner("lowerLeft"), [x0, y0]), "{file}: {corners}");
        assert!(
            close(corner("upperRight"), [x0 + SIZE_M, y0 + SIZE_M]),
            "{file}: {corners}"
        );
        let transform = &info["geoTransform"];
        assert_eq!(number(&transform[1]), CELL_M, "{file}: pixel width");
        assert_eq!(
            number(&transform[5]),
            -CELL_M,
            "{file}: pixel height, north up"
        );
        assert_eq!(info["size"], serde_json::json!([100, 100]), "{file}");
        let band = &info["bands"][0];
        assert_eq!(number(&band["noDataValue"]), -9999.0, "{file}: NoData");
        // Band statistics: GDAL's mean over the 10,000 cells is dudsim's
        // expected UXO in the area divided by the cells (Float32 in the
        // GeoTIFF: to its precision). The full-precision figure is in the
        // band's metadata; "mean" is rounded for display.
        let mean = number(&band["metadata"][""]["STATISTICS_MEAN"]);
        assert!(
            (mean * 10_000.0 - sum).abs() <= 1e-5 * sum,
            "{file}: GDAL's sum {} against dudsim's {sum}",
            mean * 10_000.0
        );
    }
    let p = gdalinfo(&out.join("p_contaminated.tif"));
    let band = &p["bands"][0];
    assert!(number(&band["minimum"]) >= 0.0 && number(&band["maximum"]) <= 1.0);
}

#[test]
fn hazard_polygons_hold_the_cells_they_claim() {
    let tmp = placed_run();
    let out = tmp.path().join("out");
    let file = out.join("hazard.geojson");
    let summary = tool("ogrinfo", &["-al", "-so", utf8(&file)]);
    assert!(summary.contains("Geometry: Polygon"), "{summary}");
    assert!(summary.contains("ID[\"EPSG\",4326]"), "WGS 84: {summary}");
    // Each hazard polygon's stated hectares equal the cells inside it
    // (counted by dudsim's p_contaminated grid, through GDAL's own
    // projection of the polygon back to the zone) within one cell's area.
    let projected = tmp.path().join("projected.geojson");
    tool(
        "ogr2ogr",
        &[
            "-f",
            "GeoJSON",
            "-t_srs",
            "EPSG:32637",
            utf8(&projected),
            utf8(&file),
        ],
    );
    let rows = tool(
        "ogrinfo",
        &[
            "-q",
            "-sql",
            "SELECT scenario, kind, threshold, area_ha, cells, OGR_GEOM_AREA AS m2 FROM hazard",
            utf8(&projected),
        ],
    );
    let features: Vec<&str> = rows.split("OGRFeature").skip(1).collect();
    let field = |f: &str, name: &str| -> Option<String> {
        f.lines()
            .find_map(|l| {
                l.trim()
                    .split_once(&format!("{name} ("))
                    .map(|(_, v)| v.to_string())
            })
            .and_then(|v| v.split_once(") = ").map(|(_, v)| v.to_string()))
            .filter(|v| v != "(null)")
    };
    let cell_ha = CELL_M * CELL_M / 10_000.0;
    let mut hazards = 0;
    let mut by_threshold = std::collections::BTreeMap::<String, f64>::new();
    for f in &features {
        if field(f, "kind").as_deref() != Some("hazard") {
            continue;
        }
        hazards += 1;
        let stated: f64 = field(f, "area_ha").unwrap().parse().unwrap();
        let cells: f64 = field(f, "cells").unwrap().parse().unwrap();
        let measured: f64 = field(f, "m2").unwrap().parse::<f64>().unwrap() / 10_000.0;
        assert!(
            (stated - cells * cell_ha).abs() <= cell_ha,
            "{stated} ha stated for {cells} cells"
        );
        assert!(
            (stated - measured).abs() <= cell_ha,
            "{stated} ha stated, {measured} measured"
        );
        let key = format!(
            "{} {}",
            field(f, "scenario").unwrap(),
            field(f, "threshold").unwrap()
        );
        *by_threshold.entry(key).or_default() += cells;
    }
    assert!(hazards > 0, "no hazard polygons:\n{rows}");
    // The polygons at each threshold hold exactly the cells whose
    // P(at least one UXO) reaches it, as the scenario's own grid says.
    let grid = read(&out, "p_contaminated-9m55k-30-40-duds.asc");
    let values: Vec<f64> = grid
        .lines()
        .skip(6)
        .flat_map(|l| {
            l.split(' ')
                .map(|v| v.parse::<f64>().unwrap())
                .collect::<Vec<_>>()
        })
        .collect();
    for threshold in ["0.05", "0.5", "0.95"] {
        let t: f64 = threshold.parse().unwrap();
        let expected = values.iter().filter(|&&p| p >= t).count() as f64;
        let got = by_threshold
            .get(&format!("9M55K, 30-40% duds {threshold}"))
            .copied()
            .unwrap_or(0.0);
        assert_eq!(got, expected, "cells at P >= {threshold}");
    }
}
