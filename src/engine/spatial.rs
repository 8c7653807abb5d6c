//! Where the duds land: each carrier's aim point, its miss, and
//! the scatter of its live duds over the footprint disk, counted in cells.

use rand::{Rng, RngExt};
use rand_distr::{Distribution, StandardNormal};

use super::outcome::SpatialOutcome;
use crate::scenario::Area;

/// The CEP of a circular bivariate normal miss is its median radial
/// distance, σ·√(2 ln 2) ≈ 1.1774·σ.
pub const CEP_PER_SIGMA: f64 = 1.1774;

/// The square cells over an area, numbered row by row from the origin.
#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    pub columns: usize,
    pub rows: usize,
    pub cell_m: f64,
    pub width_m: f64,
    pub height_m: f64,
    /// 1 / cell_m: a multiplication per coordinate instead of a division.
    cells_per_m: f64,
}

impl Grid {
    pub fn new(area: &Area) -> Self {
        let (columns, rows) = area.grid_size();
        Grid {
            columns,
            rows,
            cell_m: area.cell_m,
            width_m: area.width_m,
            height_m: area.height_m,
            cells_per_m: 1.0 / area.cell_m,
        }
    }

    /// Number of cells.
    pub fn cells(&self) -> usize {
        self.columns * self.rows
    }

    /// The part of a cell inside the area, `[x_min, y_min, x_max, y_max]` in
    /// metres: a cell of the last column or row sticks out past the area's
    /// edge unless the cell size divides the width or height.
    pub fn cell_bounds(&self, cell: usize) -> [f64; 4] {
        let (column, row) = ((cell % self.columns) as f64, (cell / self.columns) as f64);
        let (x, y) = (column * self.cell_m, row * self.cell_m);
        [
            x,
            y,
            (x + self.cell_m).min(self.width_m),
            (y + self.cell_m).min(self.height_m),
        ]
    }

    /// The centre of the part of a cell inside the area.
    pub fn cell_centre(&self, cell: usize) -> (f64, f64) {
        let [x0, y0, x1, y1] = self.cell_bounds(cell);
        ((x0 + x1) / 2.0, (y0 + y1) / 2.0)
    }

    /// The area of the part of a cell inside the area, in square metres.
    pub fn cell_area_m2(&self, cell: usize) -> f64 {
        let [x0, y0, x1, y1] = self.cell_bounds(cell);
        (x1 - x0) * (y1 - y0)
    }

    /// Whether every point within `radius` of `centre`, as computed from
    /// it, is inside the area and short of the last edges by a margin far
    /// above rounding, so that [`Grid::cell_inside`] needs no checks.
    #[inline]
    pub fn holds_disk(&self, centre: (f64, f64), radius: f64) -> bool {
        let margin =
            1e-6 * self.cell_m + 2.0 * f64::EPSILON * (radius + centre.0.abs() + centre.1.abs());
        let reach = radius + margin;
        centre.0 - reach >= 0.0
            && centre.1 - reach >= 0.0
            && centre.0 + reach < self.width_m
            && centre.1 + reach < self.height_m
    }

    /// The cell holding a point known to be inside the area, short of its
    /// last edges (see [`Grid::holds_disk`]): the cell [`Grid::cell_of`]
    /// gives.
    #[inline]
    pub fn cell_inside(&self, x: f64, y: f64) -> usize {
        debug_assert!(self.cell_of(x, y).is_some());
        // Non-negative and below the column and row counts: `as i64` is one
        // instruction where `as usize` is several.
        let column = (x * self.cells_per_m) as i64 as usize;
        let row = (y * self.cells_per_m) as i64 as usize;
        debug_assert_eq!(Some(row * self.columns + column), self.cell_of(x, y));
        row * self.columns + column
    }

    /// The cell holding a point, or `None` outside the area.
    #[inline]
    pub fn cell_of(&self, x: f64, y: f64) -> Option<usize> {
        // Written so that NaN falls outside too.
        if !(x >= 0.0 && y >= 0.0 && x < self.width_m && y < self.height_m) {
            return None;
        }
        let column = ((x * self.cells_per_m) as usize).min(self.columns - 1);
        let row = ((y * self.cells_per_m) as usize).min(self.rows - 1);
        Some(row * self.columns + column)
    }
}

/// Where one strike's carriers aim and how they scatter.
#[derive(Debug, Clone, PartialEq)]
pub struct StrikeGeometry {
    /// Aim rectangle `[x_min, y_min, x_max, y_max]`.
    pub target: [f64; 4],
    /// Per-axis standard deviation of the miss.
    pub sigma_m: f64,
    /// Footprint radius of the munition.
    pub radius_m: f64,
}

impl StrikeGeometry {
    pub fn new(target: [f64; 4], cep_m: f64, radius_m: f64) -> Self {
        StrikeGeometry {
            target,
            sigma_m: cep_m / CEP_PER_SIGMA,
            radius_m,
        }
    }

    /// A carrier's aim point, uniform in the target rectangle.
    #[inline]
    pub fn aim_point<R: Rng + ?Sized>(&self, rng: &mut R) -> (f64, f64) {
        let [x0, y0, x1, y1] = self.target;
        (
            x0 + (x1 - x0) * rng.random::<f64>(),
            y0 + (y1 - y0) * rng.random::<f64>(),
        )
    }

    /// A carrier's miss, bivariate normal with σ = CEP / 1.1774 per axis.
    #[inline]
    pub fn miss<R: Rng + ?Sized>(&self, rng: &mut R) -> (f64, f64) {
        if self.sigma_m == 0.0 {
            return (0.0, 0.0);
        }
        let dx: f64 = StandardNormal.sample(rng);
        let dy: f64 = StandardNormal.sample(rng);
        (self.sigma_m * dx, self.sigma_m * dy)
    }

    /// A carrier's burst point: its aim point plus its miss.
    #[inline]
    pub fn burst_point<R: Rng + ?Sized>(&self, rng: &mut R) -> (f64, f64) {
        let (ax, ay) = self.aim_point(rng);
        let (mx, my) = self.miss(rng);
        (ax + mx, ay + my)
    }

    /// Scatters `duds` uniformly over the footprint disk around `burst`,
    /// counting them in `out`.
    pub fn scatter<R: Rng + ?Sized>(
        &self,
        rng: &mut R,
        burst: (f64, f64),
        duds: u64,
        grid: &Grid,
        out: &mut SpatialOutcome,
    ) {
        let radius = self.radius_m;
        if !grid.holds_disk(burst, radius) {
            for _ in 0..duds {
                let (dx, dy) = point_in_unit_disk(rng);
                let x = burst.0 + radius * dx;
                let y = burst.1 + radius * dy;
                match grid.cell_of(x, y) {
                    Some(cell) => out.add(cell),
                    None => out.outside += 1,
                }
            }
            return;
        }
        // The whole disk lies inside the area, so every dud has a cell:
        // each candidate's cell is written to the next free slot, which
        // moves on only if the candidate is in the disk (no branch on
        // acceptance), and the cells are counted a block at a time. The
        // same draws, points and cells as above.
        let mut left = duds;
        let mut cells = [0u32; BLOCK + 1];
        while left > 0 {
            let wanted = (left as usize).min(BLOCK);
            let mut filled = 0;
            while filled < wanted {
                let (dx, dy) = unit_square_point(rng.next_u64());
                let x = burst.0 + radius * dx;
                let y = burst.1 + radius * dy;
                cells[filled] = grid.cell_inside(x, y) as u32;
                filled += usize::from(dx * dx + dy * dy <= 1.0);
            }
            out.add_cells(&cells[..wanted]);
            left -= wanted as u64;
        }
    }
}

/// Points drawn at a time when a footprint lies inside the area.
const BLOCK: usize = 64;

/// The candidate point of one 64-bit draw: 32 bits per coordinate, the
/// midpoints of a 2^32 grid over [-1, 1]², symmetric about 0.
#[inline]
fn unit_square_point(bits: u64) -> (f64, f64) {
    const SCALE: f64 = 1.0 / (1u64 << 31) as f64;
    (
        ((bits >> 32) as f64 + 0.5) * SCALE - 1.0,
        ((bits & 0xFFFF_FFFF) as f64 + 0.5) * SCALE - 1.0,
    )
}

/// A point uniform in the unit disk, by rejection from the enclosing square
/// (accepts π/4 of the time; cheaper than a square root and a sine). Both
/// coordinates come from one 64-bit draw, 32 bits each: a resolution of
/// 2^-31 of the radius, far below any cell.
#[inline]
pub fn point_in_unit_disk<R: Rng + ?Sized>(rng: &mut R) -> (f64, f64) {
    loop {
        let (x, y) = unit_square_point(rng.next_u64());
        if x * x + y * y <= 1.0 {
            return (x, y);
        }
    }
}

#[cfg(test)]
mod tests {
    //! The geometry against closed forms, at 5 standard errors.

    use super::*;
    use crate::engine::rng::stream;

    /// Draws per test.
    const N: usize = 400_000;
    /// How many standard errors an estimate may stray from its closed form.
    const Z: f64 = 5.0;

    #[test]
    fn duds_fill_the_footprint_disk_uniformly() {
        // Share within radius r of the burst point is (r/R)².
        let mut rng = stream(1, 0, 0);
        let points: Vec<(f64, f64)> = (0..N).map(|_| point_in_unit_disk(&mut rng)).collect();
        for r in [0.1f64, 0.3, 0.5, 0.8, 0.95] {
            let share = points
                .iter()
                .filter(|(x, y)| x * x + y * y <= r * r)
                .count() as f64
                / N as f64;
            let p = r * r;
            let se = (p * (1.0 - p) / N as f64).sqrt();
            assert!(
                (share - p).abs() <= Z * se,
                "r = {r}: share {share} vs {p} ({:.1} se)",
                (share - p) / se
            );
        }
        // And no direction is preferred: each quadrant holds a quarter.
        let first = points.iter().filter(|(x, y)| *x > 0.0 && *y > 0.0).count() as f64 / N as f64;
        assert!((first - 0.25).abs() <= Z * (0.25 * 0.75 / N as f64).sqrt());
    }

    #[test]
    fn a_disk_the_grid_holds_gets_the_cells_of_the_checked_path() {
        // Whole and partial last cells; footprints everywhere, the edges
        // included: wherever the unchecked path is taken, every candidate
        // of the footprint's square gets the cell `cell_of` gives.
        let mut rng = stream(3, 0, 0);
        for (width, height, cell) in [(5000.0f64, 5000.0f64, 50.0f64), (1000.5, 777.3, 7.3)] {
            let grid = Grid {
                columns: (width / cell).ceil() as usize,
                rows: (height / cell).ceil() as usize,
                cell_m: cell,
                width_m: width,
                height_m: height,
                cells_per_m: 1.0 / cell,
            };
            let (mut held, mut not_held) = (0, 0);
            for _ in 0..20_000 {
                let radius = 1.0 + 300.0 * rng.random::<f64>();
                let centre = (
                    -radius + (width + 2.0 * radius) * rng.random::<f64>(),
                    -radius + (height + 2.0 * radius) * rng.random::<f64>(),
                );
                if !grid.holds_disk(centre, radius) {
                    not_held += 1;
                    continue;
                }
                held += 1;
                // The square's corners, then random candidates.
                let corners = [0u64, u64::MAX, 0xFFFF_FFFF, 0xFFFF_FFFF_0000_0000];
                for bits in corners.into_iter().chain((0..50).map(|_| rng.next_u64())) {
                    let (dx, dy) = unit_square_point(bits);
                    let (x, y) = (centre.0 + radius * dx, centre.1 + radius * dy);
                    assert_eq!(grid.cell_of(x, y), Some(grid.cell_inside(x, y)), "{x}, {y}");
                }
            }
            assert!(
                held > 1000 && not_held > 1000,
                "{held} held, {not_held} not"
            );
        }
    }

    #[test]
    fn the_median_miss_distance_is_the_cep() {
        let cep = 150.0;
        let geometry = StrikeGeometry::new([0.0, 0.0, 0.0, 0.0], cep, 100.0);
        let mut rng = stream(2, 0, 0);
        let mut distances: Vec<f64> = (0..N)
            .map(|_| {
                let (x, y) = geometry.miss(&mut rng);
                x.hypot(y)
            })
            .collect();
        distances.sort_by(f64::total_cmp);
        let median = distances[N / 2];
        // The sample median's standard error is 1 / (2 f(m) √n), with f the
        // Rayleigh density at the median.
        let sigma = geometry.sigma_m;
        let density = cep / (sigma * sigma) * (-cep * cep / (2.0 * sigma * sigma)).exp();
        let se = 1.0 / (2.0 * density * (N as f64).sqrt());
        assert!(
            (median - cep).abs() <= Z * se,
            "median miss {median} vs CEP {cep} (se {se})"
        );
    }
}
