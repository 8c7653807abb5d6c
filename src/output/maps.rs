//! Maps of where the duds lie: `density.csv` and ESRI ASCII grids that GIS
//! tools (QGIS, GDAL) open directly.

use std::collections::HashSet;
use std::fmt::Write;

use crate::engine::spatial::Grid;
use crate::scenario::ScenarioFile;
use crate::stats::{GridStats, RunStats};

/// `density.csv`: one row per cell, `x,y` its centre in metres.
pub fn density_csv(grid: &Grid, stats: &GridStats) -> String {
    let mean = stats.mean_uxo();
    let p = stats.p_contaminated();
    let mut out = String::from("x,y,mean,p_contaminated\n");
    for row in 0..grid.rows {
        for column in 0..grid.columns {
            let cell = row * grid.columns + column;
            let _ = writeln!(
                out,
                "{},{},{},{}",
                (column as f64 + 0.5) * grid.cell_m,
                (row as f64 + 0.5) * grid.cell_m,
                mean[cell],
                p[cell]
            );
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

/// Every map file of a run, as `(file name, contents)`: for each scenario
/// with an area `density-<name>.csv`, `density-<name>.asc` and
/// `p_contaminated-<name>.asc` (names from [`map_names`]); the first such
/// scenario's also under the plain names `density.csv`, `density.asc` and
/// `p_contaminated.asc`.
pub fn files(file: &ScenarioFile, stats: &RunStats) -> Vec<(String, String)> {
    let mapped: Vec<_> = file
        .scenarios
        .iter()
        .zip(&stats.scenarios)
        .filter_map(|(scenario, s)| Some((scenario, scenario.area.as_ref()?, s.grid.as_ref()?)))
        .collect();
    let names = map_names(mapped.iter().map(|(scenario, _, _)| scenario.name.as_str()));
    let mut out = Vec::new();
    for ((_, area, grid_stats), name) in mapped.iter().zip(&names) {
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
}
