//! Maps of where the duds lie: `density.csv` and ESRI ASCII grids that GIS
//! tools (QGIS, GDAL) open directly.
//!
//! Grids can hold millions of cells, so every map is written straight to an
//! [`io::Write`] (a buffered file in the staging directory) rather than
//! built as one string first.

use std::collections::HashSet;
use std::io::{self, Write};

use super::StagedOutput;
use crate::engine::spatial::Grid;
use crate::error::Result;
use crate::scenario::ScenarioFile;
use crate::stats::RunStats;

/// Writes `density.csv`: one row per cell, `x,y` the centre in metres of its
/// part inside the area.
fn density_csv_of<W: Write + ?Sized>(
    out: &mut W,
    grid: &Grid,
    mean: &[f64],
    p_contaminated: &[f64],
) -> io::Result<()> {
    out.write_all(b"x,y,mean,p_contaminated\n")?;
    for row in 0..grid.rows {
        for column in 0..grid.columns {
            let cell = row * grid.columns + column;
            let (x, y) = grid.cell_centre(cell);
            writeln!(out, "{x},{y},{},{}", mean[cell], p_contaminated[cell])?;
        }
    }
    Ok(())
}

/// Writes an ESRI ASCII grid of per-cell values; rows are written from the
/// top (largest y) down, as the format requires, with the area's origin at
/// the lower-left corner.
pub fn esri_ascii<W: Write + ?Sized>(out: &mut W, grid: &Grid, values: &[f64]) -> io::Result<()> {
    write!(
        out,
        "ncols {}\nnrows {}\nxllcorner 0\nyllcorner 0\ncellsize {}\nNODATA_value -9999\n",
        grid.columns, grid.rows, grid.cell_m
    )?;
    for row in (0..grid.rows).rev() {
        let line = &values[row * grid.columns..(row + 1) * grid.columns];
        for (i, v) in line.iter().enumerate() {
            if i > 0 {
                out.write_all(b" ")?;
            }
            write!(out, "{v}")?;
        }
        out.write_all(b"\n")?;
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

/// Writes every map file of a run into `staged`: for each scenario with an
/// area `density-<name>.csv`, `density-<name>.asc` and
/// `p_contaminated-<name>.asc` (names from [`map_names`]); the first such
/// scenario's also under the plain names `density.csv`, `density.asc` and
/// `p_contaminated.asc`.
pub fn write_files(file: &ScenarioFile, stats: &RunStats, staged: &StagedOutput) -> Result<()> {
    let mapped: Vec<_> = file
        .scenarios
        .iter()
        .zip(&stats.scenarios)
        .filter_map(|(scenario, s)| Some((scenario, scenario.area()?, s.grid.as_ref()?)))
        .collect();
    let names = map_names(mapped.iter().map(|(scenario, _, _)| scenario.name.as_str()));
    for (i, ((_, area, grid_stats), name)) in mapped.iter().zip(&names).enumerate() {
        let grid = Grid::new(area);
        let mean = grid_stats.mean_uxo();
        let p = grid_stats.p_contaminated();
        let files = [
            ("density.csv", format!("density-{name}.csv")),
            ("density.asc", format!("density-{name}.asc")),
            ("p_contaminated.asc", format!("p_contaminated-{name}.asc")),
        ];
        staged.write_with(&files[0].1, |w| density_csv_of(w, &grid, &mean, &p))?;
        staged.write_with(&files[1].1, |w| esri_ascii(w, &grid, &mean))?;
        staged.write_with(&files[2].1, |w| esri_ascii(w, &grid, &p))?;
        if i == 0 {
            for (plain, own) in &files {
                staged.copy(own, plain)?;
            }
        }
    }
    Ok(())
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
    fn grids_are_written_as_before() {
        let area = crate::scenario::Area {
            width_m: 100.0,
            height_m: 50.0,
            cell_m: 50.0,
        };
        let grid = Grid::new(&area);
        let mut csv = Vec::new();
        density_csv_of(&mut csv, &grid, &[1.0, 0.5], &[1.0, 0.25]).unwrap();
        assert_eq!(
            String::from_utf8(csv).unwrap(),
            "x,y,mean,p_contaminated\n25,25,1,1\n75,25,0.5,0.25\n"
        );
        let mut asc = Vec::new();
        esri_ascii(&mut asc, &grid, &[1.0, 0.5]).unwrap();
        assert_eq!(
            String::from_utf8(asc).unwrap(),
            "ncols 2\nnrows 1\nxllcorner 0\nyllcorner 0\ncellsize 50\nNODATA_value -9999\n1 0.5\n"
        );
    }
}
