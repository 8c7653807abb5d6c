//! ESRI ASCII grids (`.asc`), placed by their lower-left corner; the
//! coordinate system goes in a `.prj` sidecar ([`super::Crs::prj_wkt`]).

use std::io::{self, Write};

use super::{GridFrame, NODATA};

/// Writes the six header lines of an ESRI ASCII grid: size, the grid's
/// lower-left corner (`xllcorner`, `yllcorner`: the frame's origin, in CRS
/// metres when placed, 0 0 in local metres), cell size and the no-data
/// value ([`NODATA`]).
pub fn esri_ascii_header<W: Write + ?Sized>(out: &mut W, frame: &GridFrame) -> io::Result<()> {
    let [x, y] = frame.origin();
    write!(
        out,
        "ncols {}\nnrows {}\nxllcorner {x}\nyllcorner {y}\ncellsize {}\nNODATA_value {NODATA}\n",
        frame.columns(),
        frame.rows(),
        frame.cell_m()
    )
}

/// Writes a whole ESRI ASCII grid: the header, then the rows from the top
/// (northernmost) down as the format requires. `values` are in the engine's
/// order (row 0 southernmost, see [`GridFrame`]); each is written in the
/// shortest form that reads back as the same `f64`.
pub fn write_esri_ascii<W: Write + ?Sized>(
    out: &mut W,
    frame: &GridFrame,
    values: &[f64],
) -> io::Result<()> {
    check_len(frame, values.len())?;
    esri_ascii_header(out, frame)?;
    let columns = frame.columns();
    for row in (0..frame.rows()).rev() {
        for (i, v) in values[row * columns..(row + 1) * columns]
            .iter()
            .enumerate()
        {
            if i > 0 {
                out.write_all(b" ")?;
            }
            write!(out, "{v}")?;
        }
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// Refuses a value slice that does not have one value per cell.
pub(super) fn check_len(frame: &GridFrame, len: usize) -> io::Result<()> {
    if len == frame.cells() {
        Ok(())
    } else {
        Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "{len} values for a grid of {} × {} = {} cells",
                frame.columns(),
                frame.rows(),
                frame.cells()
            ),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_places_the_lower_left_corner_and_rows_run_north_to_south() {
        let frame = GridFrame::new(30.0, 15.0, 10.0, [312_345.5, 5_591_000.0]).unwrap();
        let mut out = Vec::new();
        write_esri_ascii(&mut out, &frame, &[1.0, 2.0, 3.0, 4.0, 5.5, 6.0]).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "ncols 3\nnrows 2\nxllcorner 312345.5\nyllcorner 5591000\ncellsize 10\nNODATA_value -9999\n\
             4 5.5 6\n1 2 3\n"
        );
        let mut local = Vec::new();
        esri_ascii_header(&mut local, &GridFrame::local(30.0, 15.0, 10.0).unwrap()).unwrap();
        assert!(
            String::from_utf8(local)
                .unwrap()
                .contains("xllcorner 0\nyllcorner 0\n")
        );
        assert!(write_esri_ascii(&mut Vec::new(), &frame, &[1.0; 5]).is_err());
    }
}
