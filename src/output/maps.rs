//! Maps of where the duds lie: `density.csv` and ESRI ASCII grids that GIS
//! tools (QGIS, GDAL) open directly.

use std::fmt::Write;

use crate::engine::spatial::Grid;
use crate::scenario::ScenarioFile;
use crate::stats::{GridStats, RunStats};

/// `density.csv`: one row per cell, `x,y` the centre in metres of its part
/// inside the area.
pub fn density_csv(grid: &Grid, stats: &GridStats) -> String {
    let mean = stats.mean_uxo();
    let p = stats.p_contaminated();
    let mut out = String::from("x,y,mean,p_contaminated\n");
    for row in 0..grid.rows {
        for column in 0..grid.columns {
            let cell = row * grid.columns + column;
            let (x, y) = grid.cell_centre(cell);
            let _ = writeln!(out, "{x},{y},{},{}", mean[cell], p[cell]);
        }
    }
    out
}

/// An ESRI ASCII grid of per-cell values; rows are written from the top
/// (largest y) down, as the format requires, with the area's origin at the
/// lower-left corner.
pub fn esri_ascii(grid: &Grid, values: &[f64]) -> String {
    let mut out = format!(
        "ncols {}\nnrows {}\nxllcorner 0\nyllcorner 0\ncellsize {}\nNODATA_value -9999\n",
        grid.columns, grid.rows, grid.cell_m
    );
    for row in (0..grid.rows).rev() {
        let line: Vec<String> = values[row * grid.columns..(row + 1) * grid.columns]
            .iter()
            .map(|v| v.to_string())
            .collect();
        out.push_str(&line.join(" "));
        out.push('\n');
    }
    out
}

/// A file-name-safe form of a scenario name.
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

/// Every map file of a run, as `(file name, contents)`: for each scenario
/// with an area `density-<name>.csv`, `density-<name>.asc` and
/// `p_contaminated-<name>.asc`; the first such scenario's also under the
/// plain names `density.csv`, `density.asc` and `p_contaminated.asc`.
pub fn files(file: &ScenarioFile, stats: &RunStats) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (scenario, s) in file.scenarios.iter().zip(&stats.scenarios) {
        let (Some(area), Some(grid_stats)) = (&scenario.area, &s.grid) else {
            continue;
        };
        let grid = Grid::new(area);
        let maps = [
            ("density", "csv", density_csv(&grid, grid_stats)),
            ("density", "asc", esri_ascii(&grid, &grid_stats.mean_uxo())),
            (
                "p_contaminated",
                "asc",
                esri_ascii(&grid, &grid_stats.p_contaminated()),
            ),
        ];
        let first = out.is_empty();
        let name = slug(&scenario.name);
        for (stem, ext, text) in maps {
            if first {
                out.push((format!("{stem}.{ext}"), text.clone()));
            }
            out.push((format!("{stem}-{name}.{ext}"), text));
        }
    }
    out
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
}
