//! Merging selected grid cells into polygons: the shape of a hazard area
//! as GIS tools and mine-action databases hold it, a polygon with holes.
//!
//! Each polygon is one 4-connected component of the selected cells (cells
//! sharing a side). Its exterior ring runs counter-clockwise and its holes
//! clockwise, as RFC 7946 asks of GeoJSON; vertices lie at cell corners,
//! only where the boundary turns, and the area's right and top edges clip
//! a partial last column or top row.
//!
//! Where two selected cells touch only at a corner (a "saddle": the other
//! two cells at that corner are not selected), the rings must touch there
//! without crossing, and a ring must never pass through the same point
//! twice (such a ring is not a valid simple-features ring). So the tracer
//! decides at each saddle: if the two cells are in different components,
//! each ring turns around its own cell, and the two polygons touch at that
//! corner; if they are in the same component (joined by some other path),
//! the ring turns to join them, and the exterior and a hole of that polygon
//! (or two holes) touch at the corner. Either way every ring is simple,
//! rings meet only at single corners, and the union of the polygons is
//! exactly the set of selected cells.

use super::GridFrame;

/// One 4-connected set of selected cells as a polygon with holes, in the
/// grid's coordinates (CRS metres when placed, local metres otherwise).
///
/// Rings list each corner once: the first point is not repeated at the end.
#[derive(Debug, Clone, PartialEq)]
pub struct CellPolygon {
    exterior: Vec<[f64; 2]>,
    holes: Vec<Vec<[f64; 2]>>,
    cells: usize,
    area_m2: f64,
    value_sum: f64,
}

impl CellPolygon {
    /// The exterior ring, counter-clockwise (x east, y north).
    pub fn exterior(&self) -> &[[f64; 2]] {
        &self.exterior
    }

    /// The holes, each clockwise.
    pub fn holes(&self) -> &[Vec<[f64; 2]>] {
        &self.holes
    }

    /// Number of cells in the polygon.
    pub fn cells(&self) -> usize {
        self.cells
    }

    /// Area in hectares, counting only the part of partial edge cells inside
    /// the area (see [`GridFrame::cell_area_m2`]).
    pub fn area_ha(&self) -> f64 {
        self.area_m2 / 10_000.0
    }

    /// Sum of the per-cell values over the polygon's cells (with dudsim's
    /// mean grid: the expected number of UXO inside).
    pub fn value_sum(&self) -> f64 {
        self.value_sum
    }
}

/// The polygons of the cells whose `values` are at least `threshold`
/// (see [`cell_polygons`]); NaN values are never selected.
///
/// # Panics
///
/// If `values` or `per_cell` does not have one value per cell.
pub fn polygons_at_least(
    frame: &GridFrame,
    values: &[f64],
    threshold: f64,
    per_cell: &[f64],
) -> Vec<CellPolygon> {
    let selected: Vec<bool> = values.iter().map(|&v| v >= threshold).collect();
    cell_polygons(frame, &selected, per_cell)
}

/// Merges the selected cells (`selected[row * columns + column]`, row 0
/// southernmost, as in [`GridFrame`]) into one polygon per 4-connected
/// component, each with its number of cells, area and the sum of
/// `per_cell` over its cells. Polygons come in the order of their
/// south-westernmost cell (row by row from the south).
///
/// # Panics
///
/// If `selected` or `per_cell` does not have one value per cell.
pub fn cell_polygons(frame: &GridFrame, selected: &[bool], per_cell: &[f64]) -> Vec<CellPolygon> {
    assert_eq!(selected.len(), frame.cells(), "one selection per cell");
    assert_eq!(per_cell.len(), frame.cells(), "one value per cell");
    let grid = Lattice {
        columns: frame.columns(),
        rows: frame.rows(),
    };
    let (labels, mut polygons) = components(frame, &grid, selected, per_cell);
    let mut visited = vec![0u8; grid.cells()];
    for cell in 0..grid.cells() {
        if labels[cell] == NONE {
            continue;
        }
        let (column, row) = (cell % grid.columns, cell / grid.columns);
        for heading in Heading::ALL {
            // The side of this cell along which a boundary edge heading this
            // way runs with the cell on its left.
            let side = heading.side_bit();
            let outside = grid
                .neighbour(column, row, heading.outward())
                .is_none_or(|n| labels[n] == NONE);
            if !outside || visited[cell] & side != 0 {
                continue;
            }
            let start = heading.edge_start(column, row);
            let ring = trace(&grid, &labels, &mut visited, start, heading);
            let points = simplify(ring.iter().map(|&(i, j)| {
                let [x0, y0] = frame.origin();
                [x0 + frame.corner_x(i), y0 + frame.corner_y(j)]
            }));
            let polygon = &mut polygons[labels[cell] as usize];
            if twice_signed_area(&ring) > 0 {
                debug_assert!(
                    polygon.exterior.is_empty(),
                    "one exterior ring per component"
                );
                polygon.exterior = points;
            } else {
                polygon.holes.push(points);
            }
        }
    }
    polygons
}

const NONE: u32 = u32::MAX;

/// The grid's cells and corners: corner (i, j) is the south-west corner of
/// cell (column i, row j); corners run to (columns, rows).
struct Lattice {
    columns: usize,
    rows: usize,
}

impl Lattice {
    fn cells(&self) -> usize {
        self.columns * self.rows
    }

    /// The cell one step from (column, row) in a direction, if inside.
    fn neighbour(&self, column: usize, row: usize, heading: Heading) -> Option<usize> {
        let (dc, dr) = heading.step();
        self.cell(column as i64 + dc, row as i64 + dr)
    }

    fn cell(&self, column: i64, row: i64) -> Option<usize> {
        let inside =
            (0..self.columns as i64).contains(&column) && (0..self.rows as i64).contains(&row);
        inside.then(|| row as usize * self.columns + column as usize)
    }
}

/// The direction of a boundary edge, which always has a selected cell on
/// its left and an unselected one (or the outside) on its right.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Heading {
    East,
    North,
    West,
    South,
}

impl Heading {
    const ALL: [Heading; 4] = [Heading::East, Heading::North, Heading::West, Heading::South];

    fn step(self) -> (i64, i64) {
        match self {
            Heading::East => (1, 0),
            Heading::North => (0, 1),
            Heading::West => (-1, 0),
            Heading::South => (0, -1),
        }
    }

    fn left(self) -> Heading {
        Heading::ALL[(self as usize + 1) % 4]
    }

    fn right(self) -> Heading {
        Heading::ALL[(self as usize + 3) % 4]
    }

    /// From the cell on the left of an edge heading this way, the direction
    /// of the cell on its right.
    fn outward(self) -> Heading {
        self.right()
    }

    /// A bit per side of a cell, naming the edge along it that has the cell
    /// on its left: heading east runs along the south side, and so on.
    fn side_bit(self) -> u8 {
        1 << (self as u8)
    }

    /// The corner where the edge heading this way with cell (column, row)
    /// on its left starts.
    fn edge_start(self, column: usize, row: usize) -> (usize, usize) {
        match self {
            Heading::East => (column, row),
            Heading::North => (column + 1, row),
            Heading::West => (column + 1, row + 1),
            Heading::South => (column, row + 1),
        }
    }

    /// The cell on the left of the edge leaving corner (i, j) this way,
    /// as signed (column, row).
    fn left_cell(self, (i, j): (usize, usize)) -> (i64, i64) {
        let (i, j) = (i as i64, j as i64);
        match self {
            Heading::East => (i, j),
            Heading::North => (i - 1, j),
            Heading::West => (i - 1, j - 1),
            Heading::South => (i, j - 1),
        }
    }
}

/// Labels the 4-connected components of the selected cells (in the order
/// of their first cell) and sums each one's cells, area and values.
fn components(
    frame: &GridFrame,
    grid: &Lattice,
    selected: &[bool],
    per_cell: &[f64],
) -> (Vec<u32>, Vec<CellPolygon>) {
    let mut labels = vec![NONE; grid.cells()];
    let mut polygons = Vec::new();
    let mut stack = Vec::new();
    for first in 0..grid.cells() {
        if !selected[first] || labels[first] != NONE {
            continue;
        }
        let label = polygons.len() as u32;
        let mut polygon = CellPolygon {
            exterior: Vec::new(),
            holes: Vec::new(),
            cells: 0,
            area_m2: 0.0,
            value_sum: 0.0,
        };
        labels[first] = label;
        stack.push(first);
        while let Some(cell) = stack.pop() {
            let (column, row) = (cell % grid.columns, cell / grid.columns);
            polygon.cells += 1;
            polygon.area_m2 += frame.cell_area_m2(column, row);
            polygon.value_sum += per_cell[cell];
            for heading in Heading::ALL {
                match grid.neighbour(column, row, heading) {
                    Some(n) if selected[n] && labels[n] == NONE => {
                        labels[n] = label;
                        stack.push(n);
                    }
                    _ => {}
                }
            }
        }
        polygons.push(polygon);
    }
    (labels, polygons)
}

/// Follows the boundary from an edge until it closes, marking each edge
/// visited; returns the corners where it turns.
fn trace(
    grid: &Lattice,
    labels: &[u32],
    visited: &mut [u8],
    start: (usize, usize),
    start_heading: Heading,
) -> Vec<(usize, usize)> {
    let label_at = |(column, row): (i64, i64)| grid.cell(column, row).map_or(NONE, |c| labels[c]);
    let mut corners = vec![start];
    let (mut at, mut heading) = (start, start_heading);
    loop {
        let left = grid
            .cell(heading.left_cell(at).0, heading.left_cell(at).1)
            .expect("a boundary edge has a cell on its left");
        visited[left] |= heading.side_bit();
        let (di, dj) = heading.step();
        let next = ((at.0 as i64 + di) as usize, (at.1 as i64 + dj) as usize);
        // The cells ahead of the edge's end, on its left and on its right.
        let ahead_left = label_at(heading.left_cell(next));
        let ahead_right = label_at(heading.right().left_cell(next));
        let own = labels[left];
        let next_heading = match (ahead_left != NONE, ahead_right != NONE) {
            (true, false) => heading,
            (true, true) => heading.right(),
            (false, false) => heading.left(),
            // A saddle: join the diagonal cell only if it is in the same
            // component (see the module's documentation).
            (false, true) if ahead_right == own => heading.right(),
            (false, true) => heading.left(),
        };
        if (next, next_heading) == (start, start_heading) {
            if next_heading == heading {
                // The start lies inside a straight run, not at a corner.
                corners.remove(0);
            }
            return corners;
        }
        if next_heading != heading {
            corners.push(next);
        }
        at = next;
        heading = next_heading;
    }
}

/// Twice the signed area of a ring of corners (positive counter-clockwise).
fn twice_signed_area(ring: &[(usize, usize)]) -> i64 {
    let n = ring.len();
    (0..n)
        .map(|k| {
            let (x0, y0) = (ring[k].0 as i64, ring[k].1 as i64);
            let (x1, y1) = (ring[(k + 1) % n].0 as i64, ring[(k + 1) % n].1 as i64);
            x0 * y1 - x1 * y0
        })
        .sum()
}

/// Drops repeated and collinear points of a closed ring of axis-parallel
/// edges. Corners are already only the turns; this matters only when a
/// partial last column or row is so thin that two corners coincide.
fn simplify(points: impl Iterator<Item = [f64; 2]>) -> Vec<[f64; 2]> {
    let mut ring: Vec<[f64; 2]> = points.collect();
    loop {
        let n = ring.len();
        let redundant = (0..n).find(|&k| {
            let (prev, here, next) = (ring[(k + n - 1) % n], ring[k], ring[(k + 1) % n]);
            here == prev
                || (prev[0] == here[0] && here[0] == next[0])
                || (prev[1] == here[1] && here[1] == next[1])
        });
        match redundant {
            Some(k) if n > 3 => {
                ring.remove(k);
            }
            _ => return ring,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A frame of 1 m cells and the selection drawn as text, top row first
    /// (`#` selected).
    fn grid(rows: &[&str]) -> (GridFrame, Vec<bool>) {
        let columns = rows[0].len();
        let frame = GridFrame::local(columns as f64, rows.len() as f64, 1.0).unwrap();
        let mut selected = Vec::new();
        for line in rows.iter().rev() {
            selected.extend(line.bytes().map(|b| b == b'#'));
        }
        (frame, selected)
    }

    fn polygons(rows: &[&str]) -> Vec<CellPolygon> {
        let (frame, selected) = grid(rows);
        cell_polygons(&frame, &selected, &vec![1.0; frame.cells()])
    }

    #[test]
    fn a_rectangle_is_four_corners_counter_clockwise() {
        let p = polygons(&["....", ".##.", ".##.", "...."]);
        assert_eq!(p.len(), 1);
        assert_eq!(
            p[0].exterior(),
            [[1.0, 1.0], [3.0, 1.0], [3.0, 3.0], [1.0, 3.0]]
        );
        assert!(p[0].holes().is_empty());
        assert_eq!(
            (p[0].cells(), p[0].area_ha(), p[0].value_sum()),
            (4, 4e-4, 4.0)
        );
    }

    #[test]
    fn a_ring_of_cells_has_a_clockwise_hole() {
        let p = polygons(&["###", "#.#", "###"]);
        assert_eq!(p.len(), 1);
        assert_eq!(
            p[0].exterior(),
            [[0.0, 0.0], [3.0, 0.0], [3.0, 3.0], [0.0, 3.0]]
        );
        assert_eq!(
            p[0].holes(),
            [vec![[2.0, 1.0], [1.0, 1.0], [1.0, 2.0], [2.0, 2.0]]]
        );
        assert_eq!(p[0].cells(), 8);
    }

    #[test]
    fn cells_touching_at_a_corner_are_separate_polygons() {
        let p = polygons(&["#.", ".#"]);
        assert_eq!(p.len(), 2);
        assert_eq!(
            p[0].exterior(),
            [[1.0, 0.0], [2.0, 0.0], [2.0, 1.0], [1.0, 1.0]]
        );
        assert_eq!(
            p[1].exterior(),
            [[0.0, 1.0], [1.0, 1.0], [1.0, 2.0], [0.0, 2.0]]
        );
    }

    #[test]
    fn a_component_pinched_at_a_corner_gets_a_hole_touching_its_exterior() {
        // The cells at (column 1, row 2) and (2, 3) touch at their corner
        // (2, 3) and are joined around the hole at (2, 2), which touches the
        // outside (1, 3) at that corner too; the exterior and the hole meet
        // at the corner, and neither ring passes through it twice.
        let p = polygons(&[".....", "..##.", ".#.#.", ".###.", "....."]);
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[0].holes().len(), 1);
        for ring in std::iter::once(p[0].exterior()).chain(p[0].holes().iter().map(Vec::as_slice)) {
            let mut sorted = ring.to_vec();
            sorted.sort_by(|a, b| a.partial_cmp(b).unwrap());
            sorted.dedup();
            assert_eq!(
                sorted.len(),
                ring.len(),
                "a ring visits a point twice: {ring:?}"
            );
        }
        assert!(p[0].exterior().contains(&[2.0, 3.0]) && p[0].holes()[0].contains(&[2.0, 3.0]));
    }

    #[test]
    fn partial_edge_cells_are_clipped_to_the_area() {
        let frame = GridFrame::new(2.5, 1.25, 1.0, [100.0, 200.0]).unwrap();
        let p = cell_polygons(&frame, &[true; 6], &[0.5; 6]);
        assert_eq!(
            p[0].exterior(),
            [
                [100.0, 200.0],
                [102.5, 200.0],
                [102.5, 201.25],
                [100.0, 201.25]
            ]
        );
        assert_eq!(p[0].area_ha(), 2.5 * 1.25 / 10_000.0);
        assert_eq!((p[0].cells(), p[0].value_sum()), (6, 3.0));
    }

    #[test]
    fn thresholds_select_cells_at_or_above() {
        let frame = GridFrame::local(3.0, 1.0, 1.0).unwrap();
        let p = polygons_at_least(&frame, &[0.5, f64::NAN, 0.49], 0.5, &[2.0, 3.0, 4.0]);
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].value_sum(), 2.0);
    }
}
