//! The geometry of a north-up grid of square cells: its size, its cells and
//! where its lower-left corner lies.

use super::GeoError;

/// A north-up grid of square cells covering a `width_m` × `height_m` area
/// whose lower-left corner is `origin` (easting, northing in CRS metres, or
/// `[0, 0]` in local metres).
///
/// As in dudsim's engine, the grid has `ceil(width_m / cell_m)` columns and
/// `ceil(height_m / cell_m)` rows, so the last column and the top row may
/// be partial: the grid files cover whole cells (up to
/// [`grid_width_m`](Self::grid_width_m) × [`grid_height_m`](Self::grid_height_m)),
/// while areas ([`cell_area_m2`](Self::cell_area_m2)) count only the part of
/// a cell inside the area.
///
/// Cell values are indexed as the engine stores them: `row * columns +
/// column`, row 0 southernmost, column 0 westernmost.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GridFrame {
    width_m: f64,
    height_m: f64,
    cell_m: f64,
    columns: usize,
    rows: usize,
    origin: [f64; 2],
}

impl GridFrame {
    /// A grid over an area of `width_m` × `height_m` metres in cells of
    /// `cell_m`, its lower-left corner at `origin`. Sizes must be positive
    /// and finite, the origin finite.
    pub fn new(
        width_m: f64,
        height_m: f64,
        cell_m: f64,
        origin: [f64; 2],
    ) -> Result<Self, GeoError> {
        for (name, value) in [
            ("width", width_m),
            ("height", height_m),
            ("cell size", cell_m),
        ] {
            if !(value.is_finite() && value > 0.0) {
                return Err(GeoError::new(format!(
                    "the area's {name} must be a positive number of metres, got {value}"
                )));
            }
        }
        if !(origin[0].is_finite() && origin[1].is_finite()) {
            return Err(GeoError::new(format!(
                "origin must be two finite numbers [easting, northing] in metres, got [{}, {}]",
                origin[0], origin[1]
            )));
        }
        let columns = (width_m / cell_m).ceil();
        let rows = (height_m / cell_m).ceil();
        if columns * rows > u32::MAX as f64 || columns > u32::MAX as f64 || rows > u32::MAX as f64 {
            return Err(GeoError::new(format!(
                "a {width_m} m × {height_m} m area in {cell_m} m cells has {columns} × {rows} cells, more than a grid file can hold"
            )));
        }
        Ok(GridFrame {
            width_m,
            height_m,
            cell_m,
            columns: columns as usize,
            rows: rows as usize,
            origin,
        })
    }

    /// A grid in local metres: its lower-left corner at `[0, 0]`.
    pub fn local(width_m: f64, height_m: f64, cell_m: f64) -> Result<Self, GeoError> {
        Self::new(width_m, height_m, cell_m, [0.0, 0.0])
    }

    /// Number of columns (west to east).
    pub fn columns(&self) -> usize {
        self.columns
    }

    /// Number of rows (south to north).
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Number of cells.
    pub fn cells(&self) -> usize {
        self.columns * self.rows
    }

    /// Side of a cell in metres.
    pub fn cell_m(&self) -> f64 {
        self.cell_m
    }

    /// Width of the area in metres.
    pub fn width_m(&self) -> f64 {
        self.width_m
    }

    /// Height of the area in metres.
    pub fn height_m(&self) -> f64 {
        self.height_m
    }

    /// The area's lower-left corner: easting and northing in metres.
    pub fn origin(&self) -> [f64; 2] {
        self.origin
    }

    /// Width covered by whole cells: `columns × cell_m` (at least the area's).
    pub fn grid_width_m(&self) -> f64 {
        self.columns as f64 * self.cell_m
    }

    /// Height covered by whole cells: `rows × cell_m` (at least the area's).
    pub fn grid_height_m(&self) -> f64 {
        self.rows as f64 * self.cell_m
    }

    /// The grid's upper-left corner (where a north-up raster starts).
    pub fn top_left(&self) -> [f64; 2] {
        [self.origin[0], self.origin[1] + self.grid_height_m()]
    }

    /// The centre of a whole cell, in the grid's coordinates (row 0 is the
    /// southernmost); this is the pixel centre GIS tools use.
    pub fn cell_centre(&self, column: usize, row: usize) -> [f64; 2] {
        [
            self.origin[0] + (column as f64 + 0.5) * self.cell_m,
            self.origin[1] + (row as f64 + 0.5) * self.cell_m,
        ]
    }

    /// Area in square metres of the part of a cell inside the area: a whole
    /// cell except in the last column and the top row when the area's
    /// size is not a multiple of the cell size.
    pub fn cell_area_m2(&self, column: usize, row: usize) -> f64 {
        let (x0, x1) = (self.corner_x(column), self.corner_x(column + 1));
        let (y0, y1) = (self.corner_y(row), self.corner_y(row + 1));
        (x1 - x0) * (y1 - y0)
    }

    /// Local x (metres east of the origin) of the `i`-th column boundary,
    /// the last one clipped to the area's edge.
    pub(crate) fn corner_x(&self, i: usize) -> f64 {
        (i as f64 * self.cell_m).min(self.width_m)
    }

    /// Local y (metres north of the origin) of the `j`-th row boundary,
    /// the last one clipped to the area's edge.
    pub(crate) fn corner_y(&self, j: usize) -> f64 {
        (j as f64 * self.cell_m).min(self.height_m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_cells_count_only_their_part_inside_the_area() {
        let frame = GridFrame::new(25.0, 12.0, 10.0, [1000.0, 2000.0]).unwrap();
        assert_eq!((frame.columns(), frame.rows()), (3, 2));
        assert_eq!(frame.cell_area_m2(0, 0), 100.0);
        assert_eq!(frame.cell_area_m2(2, 0), 50.0);
        assert_eq!(frame.cell_area_m2(0, 1), 20.0);
        assert_eq!(frame.cell_area_m2(2, 1), 10.0);
        let total: f64 = (0..2)
            .flat_map(|r| (0..3).map(move |c| (c, r)))
            .map(|(c, r)| frame.cell_area_m2(c, r))
            .sum();
        assert_eq!(total, 25.0 * 12.0);
        assert_eq!(frame.top_left(), [1000.0, 2020.0]);
        assert_eq!(frame.cell_centre(2, 1), [1025.0, 2015.0]);
    }

    #[test]
    fn bad_sizes_and_origins_are_refused() {
        assert!(GridFrame::local(0.0, 10.0, 1.0).is_err());
        assert!(GridFrame::local(10.0, f64::NAN, 1.0).is_err());
        assert!(GridFrame::local(10.0, 10.0, -1.0).is_err());
        assert!(GridFrame::new(10.0, 10.0, 1.0, [f64::INFINITY, 0.0]).is_err());
        let e = GridFrame::local(1e9, 1e9, 1.0).unwrap_err();
        assert!(
            e.message().contains("more than a grid file can hold"),
            "{e}"
        );
    }
}
