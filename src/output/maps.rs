//! Maps of where the duds lie: `density.csv`, grids that GIS tools (QGIS,
//! GDAL) open directly (ESRI ASCII with `.prj` sidecars, GeoTIFF), and the
//! hazard areas as GeoJSON polygons.
//!
//! Grids can hold millions of cells, so every map is written straight to an
//! [`io::Write`] (a buffered file in the staging directory) rather than
//! built as one string first.

use std::collections::HashSet;
use std::io::{self, Write};

use super::StagedOutput;
use crate::engine::spatial::Grid;
use crate::error::{Error, Result};
use crate::geo::{self, GridFrame};
use crate::scenario::{Area, ScenarioFile};
use crate::stats::RunStats;

/// Writes `density.csv`: one row per cell, `x,y` the centre of its part
/// inside the area (in the area's coordinate system when it is placed on
/// the Earth, else in metres from its lower-left corner), the expected UXO
/// in the cell (`mean`), the probability that it holds at least one
/// (`p_contaminated`) and the expected UXO per hectare of land inside the
/// area (`uxo_per_ha`).
fn density_csv<W: Write + ?Sized>(
    out: &mut W,
    grid: &Grid,
    origin: [f64; 2],
    mean: &[f64],
    p_contaminated: &[f64],
) -> io::Result<()> {
    out.write_all(b"x,y,mean,p_contaminated,uxo_per_ha\n")?;
    for row in 0..grid.rows {
        for column in 0..grid.columns {
            let cell = row * grid.columns + column;
            let (x, y) = grid.cell_centre(cell);
            let (x, y) = (origin[0] + x, origin[1] + y);
            let per_ha = mean[cell] / (grid.cell_area_m2(cell) / 10_000.0);
            writeln!(
                out,
                "{x},{y},{},{},{per_ha}",
                mean[cell], p_contaminated[cell]
            )?;
        }
    }
    Ok(())
}

/// A file-name-safe form of a scenario name: lower-case ASCII letters and
/// digits, runs of anything else as one hyphen. Different names can give
/// the same slug, or none; [`map_names`] makes them unique.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

/// Longest slug kept whole in a file name; longer ones are cut and given a
/// code, so that file names stay well below the 255 bytes file systems allow.
const MAX_SLUG: usize = 64;

/// The part of each scenario's map file names that names the scenario
/// (`density-<part>.csv`), in the order given: the scenario's [`slug`]
/// whenever that is non-empty, short and not taken by an earlier scenario,
/// which is the case for ordinary names; otherwise the slug (or `scenario`
/// when nothing is left of the name) followed by a code computed from the
/// exact name, and, should even that be taken, by a number. Distinct names
/// always get distinct, non-empty parts, and a name's part does not depend
/// on the scenarios after it.
pub fn map_names<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut taken = HashSet::new();
    let mut out = Vec::new();
    for name in names {
        let slug = slug(name);
        let mut base = slug.clone();
        if base.len() > MAX_SLUG {
            base.truncate(MAX_SLUG);
            base.truncate(base.trim_end_matches('-').len());
        }
        if base.is_empty() {
            base = "scenario".to_string();
        }
        let mut part = if base == slug && !taken.contains(&base) {
            base
        } else {
            format!("{base}-{:08x}", name_code(name))
        };
        let plain = part.clone();
        let mut n = 2;
        while taken.contains(&part) {
            part = format!("{plain}-{n}");
            n += 1;
        }
        taken.insert(part.clone());
        out.push(part);
    }
    out
}

/// A short code of a name (32 bits of its FNV-1a hash): fixed across
/// platforms and versions, so that a file keeps its name from run to run.
fn name_code(name: &str) -> u32 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in name.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    (hash ^ (hash >> 32)) as u32
}

/// The probabilities of holding at least one UXO whose cells
/// `hazard.geojson` outlines.
pub const HAZARD_THRESHOLDS: [f64; 3] = [0.05, 0.5, 0.95];

/// The geometry of an area's grid for the GIS files: placed at its origin
/// when the file places it, else at (0, 0) in local metres.
fn frame_of(area: &Area) -> Result<GridFrame> {
    let origin = area.georef.as_ref().map_or([0.0, 0.0], |g| g.origin);
    GridFrame::new(area.width_m, area.height_m, area.cell_m, origin)
        .map_err(|e| Error::failure(format!("cannot lay out the map grid: {}", e.message())))
}

/// Writes every map file of a run into `staged`: for each scenario with an
/// area `density-<name>.csv`, the grids `density-<name>` and
/// `p_contaminated-<name>` as ESRI ASCII (`.asc`) and GeoTIFF (`.tif`), and
/// for an area placed on the Earth a `.prj` beside each `.asc` (names from
/// [`map_names`]); the first such scenario's also under the plain names
/// (`density.csv`, `density.asc`, ...). A scenario whose aftermath runs on
/// the map adds, per mapped step t, `live-t` (expected live UXO per cell)
/// and `p_live-t` (chance of at least one), and with teams `residual_risk`
/// (the chance that a searched cell still holds a UXO after its last
/// search; no data where it is never searched). When any area is placed,
/// `hazard.geojson` holds, for every placed scenario, its strikes' target
/// rectangles and the areas where the chance of at least one UXO reaches
/// each of [`HAZARD_THRESHOLDS`].
pub fn write_files(file: &ScenarioFile, stats: &RunStats, staged: &StagedOutput) -> Result<()> {
    let mapped: Vec<_> = file
        .scenarios
        .iter()
        .zip(&stats.scenarios)
        .filter_map(|(scenario, s)| Some((scenario, scenario.area()?, s.grid.as_ref()?)))
        .collect();
    let names = map_names(mapped.iter().map(|(scenario, _, _)| scenario.name.as_str()));
    let frames: Vec<GridFrame> = mapped
        .iter()
        .map(|(_, area, _)| frame_of(area))
        .collect::<Result<_>>()?;
    for (i, (((scenario, area, grid_stats), name), frame)) in
        mapped.iter().zip(&names).zip(&frames).enumerate()
    {
        let grid = Grid::new(area);
        let crs = area.georef.as_ref().map(|g| &g.crs);
        let mean = grid_stats.mean_uxo();
        let p = grid_stats.p_contaminated();
        let mut written: Vec<(String, &str)> = Vec::new();
        let own = |stem: &str, ext: &str| format!("{stem}-{name}.{ext}");
        staged.write_with(&own("density", "csv"), |w| {
            density_csv(w, &grid, frame.origin(), &mean, &p)
        })?;
        written.push(("density".to_string(), "csv"));
        let mut grids: Vec<(String, Vec<f64>)> = Vec::new();
        let map_stats = stats.scenarios[file
            .scenarios
            .iter()
            .position(|s| std::ptr::eq(s, *scenario))
            .expect("a scenario of the file")]
        .map
        .as_ref();
        if let Some(map) = map_stats {
            for (step, live, p_live) in map.live_maps(grid_stats.outside.count()) {
                grids.push((format!("live-{step}"), live));
                grids.push((format!("p_live-{step}"), p_live));
            }
            if map.teams {
                // Cells never searched have no residual risk: no data.
                let risk = map
                    .residual_risk()
                    .into_iter()
                    .map(|r| if r.is_nan() { geo::NODATA } else { r })
                    .collect();
                grids.push(("residual_risk".to_string(), risk));
            }
        }
        let grids = [
            ("density".to_string(), mean),
            ("p_contaminated".to_string(), p),
        ]
        .into_iter()
        .chain(grids);
        for (stem, values) in grids {
            staged.write_with(&own(&stem, "asc"), |w| {
                geo::write_esri_ascii(w, frame, &values)
            })?;
            staged.write_seekable(&own(&stem, "tif"), |w| {
                geo::write_geotiff(w, frame, crs, &values)
            })?;
            written.extend([(stem.clone(), "asc"), (stem.clone(), "tif")]);
            if let Some(crs) = crs {
                staged.write(&own(&stem, "prj"), crs.prj_wkt())?;
                written.push((stem, "prj"));
            }
        }
        if i == 0 {
            for (stem, ext) in written {
                staged.copy(&own(&stem, ext), &format!("{stem}.{ext}"))?;
            }
        }
    }
    let placed: Vec<usize> = (0..mapped.len())
        .filter(|&i| mapped[i].1.georef.is_some())
        .collect();
    let Some(&first) = placed.first() else {
        return Ok(());
    };
    let crs_of = |i: usize| {
        &mapped[i]
            .1
            .georef
            .as_ref()
            .expect("placed areas have a coordinate system")
            .crs
    };
    staged.write_with("hazard.geojson", |w| {
        let mut geojson = geo::HazardGeoJson::new(w, &frames[first], crs_of(first));
        for &i in &placed {
            let (scenario, _, grid_stats) = mapped[i];
            geojson.place(&frames[i], crs_of(i));
            if let Some(spatial) = scenario.spatial() {
                for placement in spatial.placements() {
                    geojson.write_target(scenario.name(), placement.target)?;
                }
            }
            let (mean, p) = (grid_stats.mean_uxo(), grid_stats.p_contaminated());
            for threshold in HAZARD_THRESHOLDS {
                for polygon in geo::polygons_at_least(&frames[i], &p, threshold, &mean) {
                    geojson.write_hazard(scenario.name(), threshold, &polygon)?;
                }
            }
        }
        geojson.finish()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_safe_file_names() {
        assert_eq!(slug("9M55K, 30-40% duds"), "9m55k-30-40-duds");
        assert_eq!(
            slug("M864 as claimed, 1-2.35% duds"),
            "m864-as-claimed-1-2-35-duds"
        );
    }

    #[test]
    fn ordinary_names_keep_their_slug() {
        let names = ["9M55K, 30-40% duds", "M864 as claimed, 1-2.35% duds", "b"];
        assert_eq!(
            map_names(names),
            ["9m55k-30-40-duds", "m864-as-claimed-1-2-35-duds", "b"]
        );
    }

    #[test]
    fn names_that_slugify_alike_or_to_nothing_get_distinct_codes() {
        let parts = map_names(["A b", "a-b", "日本語", "!!!"]);
        assert_eq!(parts[0], "a-b");
        assert!(
            parts[1].starts_with("a-b-") && parts[1].len() == 12,
            "{parts:?}"
        );
        assert!(parts[2].starts_with("scenario-"), "{parts:?}");
        assert!(parts[3].starts_with("scenario-"), "{parts:?}");
        assert_ne!(parts[2], parts[3]);
        assert_eq!(parts[1], format!("a-b-{:08x}", name_code("a-b")));
        // The codes are fixed (the README shows these two).
        assert_eq!(map_names(["a-b", "A b"])[1], "a-b-5a5f096b");
        assert_eq!(map_names(["日本語"])[0], "scenario-26ca0d32");
        // The code depends on the name alone, the order only on who comes first.
        assert_eq!(
            map_names(["a-b", "A b"]),
            ["a-b".to_string(), format!("a-b-{:08x}", name_code("A b"))]
        );
    }

    /// Every set of distinct names, drawn from an alphabet that slugifies
    /// badly (including names equal to another's coded part), gets
    /// distinct, non-empty, short, plain parts.
    #[test]
    fn parts_are_unique_for_any_set_of_distinct_names() {
        let alphabet = [
            "a", "A", "-", " ", "!", "日", "1", "é", "_", "scenario", "2",
        ];
        let mut state: u64 = 12345;
        let mut next = |n: usize| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ((state >> 33) % n as u64) as usize
        };
        for _ in 0..3000 {
            let mut names: Vec<String> = Vec::new();
            for _ in 0..1 + next(12) {
                let len = 1 + next(5);
                let name: String = (0..len).map(|_| alphabet[next(alphabet.len())]).collect();
                if !names.contains(&name) {
                    names.push(name);
                }
            }
            // Names that mimic the coded parts of earlier ones.
            let first = map_names(names.iter().map(String::as_str));
            names.extend(
                first
                    .iter()
                    .filter(|p| !names.contains(p))
                    .cloned()
                    .collect::<Vec<_>>(),
            );
            names.push("x".repeat(300));
            names.push(format!("{}y", "x".repeat(299)));
            let parts = map_names(names.iter().map(String::as_str));
            let unique: HashSet<&String> = parts.iter().collect();
            assert_eq!(unique.len(), names.len(), "{names:?} -> {parts:?}");
            for p in &parts {
                assert!(!p.is_empty() && p.len() <= MAX_SLUG + 20, "{p}");
                assert!(
                    p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'),
                    "{p}"
                );
                assert!(!p.starts_with('-') && !p.ends_with('-'), "{p}");
            }
        }
    }

    #[test]
    fn grids_hold_counts_per_cell_and_per_hectare_at_their_place() {
        let area = crate::scenario::Area::local(100.0, 50.0, 50.0);
        let grid = Grid::new(&area);
        let mut csv = Vec::new();
        density_csv(&mut csv, &grid, [0.0, 0.0], &[1.0, 0.5], &[1.0, 0.25]).unwrap();
        assert_eq!(
            String::from_utf8(csv).unwrap(),
            "x,y,mean,p_contaminated,uxo_per_ha\n25,25,1,1,4\n75,25,0.5,0.25,2\n"
        );
        // Placed: centres in the coordinate system; a partial last column
        // (120 m wide in 50 m cells) counts its 20 m x 50 m of land.
        let area = crate::scenario::Area::local(120.0, 50.0, 50.0);
        let grid = Grid::new(&area);
        let mut csv = Vec::new();
        density_csv(
            &mut csv,
            &grid,
            [500_000.0, 5_000_000.0],
            &[1.0, 1.0, 0.1],
            &[1.0; 3],
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(csv).unwrap(),
            "x,y,mean,p_contaminated,uxo_per_ha\n500025,5000025,1,1,4\n\
             500075,5000025,1,1,4\n500110,5000025,0.1,1,1\n"
        );
        let frame = GridFrame::local(100.0, 50.0, 50.0).unwrap();
        let mut asc = Vec::new();
        geo::write_esri_ascii(&mut asc, &frame, &[1.0, 0.5]).unwrap();
        assert_eq!(
            String::from_utf8(asc).unwrap(),
            "ncols 2\nnrows 1\nxllcorner 0\nyllcorner 0\ncellsize 50\nNODATA_value -9999\n1 0.5\n"
        );
    }
}
