//! Reading a raster a user gives (how much people use each place: an
//! exposure grid), from an ESRI ASCII grid or a GeoTIFF, and averaging it
//! over the cells of a dudsim grid.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use tiff::decoder::{Decoder, DecodingResult};
use tiff::tags::Tag;

use super::{GeoError, GridFrame};

/// Largest raster read, in pixels: far beyond any exposure map a planner
/// keeps for one area, and 800 MB of values at most.
pub const MAX_PIXELS: u64 = 100_000_000;

/// A north-up raster of values, with its lower-left corner and pixel size
/// in the coordinates of its file (a projected system, or local metres).
#[derive(Debug, Clone, PartialEq)]
pub struct Raster {
    columns: usize,
    rows: usize,
    /// Lower-left corner of the raster.
    origin: [f64; 2],
    /// Width and height of a pixel.
    pixel: [f64; 2],
    /// Values from the top row (north) down, west to east; `None` where
    /// the file says there is no data.
    values: Vec<Option<f64>>,
    /// The EPSG code its GeoKeys give, for a GeoTIFF that has one.
    epsg: Option<u32>,
}

impl Raster {
    /// Reads an ESRI ASCII grid (`.asc`) or a GeoTIFF (`.tif`, `.tiff`),
    /// chosen by the file's first bytes.
    pub fn read(path: &Path) -> Result<Raster, GeoError> {
        let fail =
            |e: std::io::Error| GeoError::new(format!("cannot read {}: {e}", path.display()));
        let mut head = [0u8; 4];
        let n = File::open(path)
            .and_then(|mut f| f.read(&mut head))
            .map_err(fail)?;
        let raster = if n == 4
            && (&head == b"II*\0" || &head == b"MM\0*" || &head == b"II+\0" || &head == b"MM\0+")
        {
            read_geotiff(path)?
        } else {
            let text = std::fs::read_to_string(path).map_err(fail)?;
            parse_ascii(&text)?
        };
        if raster.values.iter().all(Option::is_none) {
            return Err(GeoError::new(
                "the raster holds no data (every pixel is NoData)",
            ));
        }
        Ok(raster)
    }

    /// The EPSG code of the raster's coordinate system, if its file names
    /// one (a GeoTIFF's GeoKeys; an ESRI ASCII grid names none).
    pub fn epsg(&self) -> Option<u32> {
        self.epsg
    }

    /// The raster's extent, `[x_min, y_min, x_max, y_max]`.
    pub fn extent(&self) -> [f64; 4] {
        let [x0, y0] = self.origin;
        [
            x0,
            y0,
            x0 + self.columns as f64 * self.pixel[0],
            y0 + self.rows as f64 * self.pixel[1],
        ]
    }

    /// The area-weighted mean of the raster over `rect` (`[x_min, y_min,
    /// x_max, y_max]` in the raster's coordinates), or `None` when part of
    /// `rect` lies outside the raster or on pixels without data.
    pub fn mean_over(&self, rect: [f64; 4]) -> Option<f64> {
        let [x0, y0, x1, y1] = rect;
        let [ex0, ey0, ex1, ey1] = self.extent();
        let slack = 1e-9 * (ex1 - ex0).abs().max(ey1 - ey0).max(1.0);
        if x0 < ex0 - slack || y0 < ey0 - slack || x1 > ex1 + slack || y1 > ey1 + slack {
            return None;
        }
        let [pw, ph] = self.pixel;
        let col = |x: f64| {
            ((x - ex0) / pw)
                .floor()
                .clamp(0.0, self.columns as f64 - 1.0) as usize
        };
        // Row from the bottom.
        let row = |y: f64| ((y - ey0) / ph).floor().clamp(0.0, self.rows as f64 - 1.0) as usize;
        let (c0, c1) = (col(x0), col((x1 - slack).max(x0)));
        let (r0, r1) = (row(y0), row((y1 - slack).max(y0)));
        let (mut sum, mut weight) = (0.0, 0.0);
        for r in r0..=r1 {
            let (py0, py1) = (ey0 + r as f64 * ph, ey0 + (r + 1) as f64 * ph);
            let dy = py1.min(y1) - py0.max(y0);
            if dy <= 0.0 {
                continue;
            }
            for c in c0..=c1 {
                let (px0, px1) = (ex0 + c as f64 * pw, ex0 + (c + 1) as f64 * pw);
                let dx = px1.min(x1) - px0.max(x0);
                if dx <= 0.0 {
                    continue;
                }
                let value = self.values[(self.rows - 1 - r) * self.columns + c]?;
                sum += value * dx * dy;
                weight += dx * dy;
            }
        }
        (weight > 0.0).then(|| sum / weight)
    }

    /// The raster averaged over every cell of `frame` (each cell's part
    /// inside the area), in the engine's cell order (row 0 southernmost),
    /// or the first cell it does not cover.
    pub fn over_cells(&self, frame: &GridFrame) -> Result<Vec<f64>, GeoError> {
        let [ox, oy] = frame.origin();
        let mut out = Vec::with_capacity(frame.cells());
        for row in 0..frame.rows() {
            for column in 0..frame.columns() {
                let x0 = ox + column as f64 * frame.cell_m();
                let y0 = oy + row as f64 * frame.cell_m();
                let x1 = (x0 + frame.cell_m()).min(ox + frame.width_m());
                let y1 = (y0 + frame.cell_m()).min(oy + frame.height_m());
                let Some(mean) = self.mean_over([x0, y0, x1, y1]) else {
                    let [ex0, ey0, ex1, ey1] = self.extent();
                    return Err(GeoError::new(format!(
                        "the raster does not cover the cell from ({x0}, {y0}) to ({x1}, {y1}) \
                         with data: it covers ({ex0}, {ey0}) to ({ex1}, {ey1}); it must cover \
                         the whole area, in the area's coordinates, without NoData"
                    )));
                };
                if !(mean.is_finite() && mean >= 0.0) {
                    return Err(GeoError::new(format!(
                        "the raster's mean over the cell from ({x0}, {y0}) to ({x1}, {y1}) is \
                         {mean}: values must be 0 or more"
                    )));
                }
                out.push(mean);
            }
        }
        Ok(out)
    }
}

/// Parses an ESRI ASCII grid: six header lines (`ncols`, `nrows`,
/// `xllcorner` or `xllcenter`, `yllcorner` or `yllcenter`, `cellsize`,
/// optional `NODATA_value`), then the rows from the top.
fn parse_ascii(text: &str) -> Result<Raster, GeoError> {
    let mut words = text.split_ascii_whitespace().peekable();
    let mut header = std::collections::HashMap::new();
    while let Some(word) = words.peek() {
        if word.parse::<f64>().is_ok() {
            break;
        }
        let key = words.next().unwrap_or_default().to_ascii_lowercase();
        let value: f64 = words
            .next()
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| GeoError::new(format!("ESRI ASCII grid: no number after `{key}`")))?;
        header.insert(key, value);
    }
    let get = |key: &str| header.get(key).copied();
    let (Some(columns), Some(rows), Some(cell)) = (get("ncols"), get("nrows"), get("cellsize"))
    else {
        return Err(GeoError::new(
            "not an ESRI ASCII grid (ncols, nrows and cellsize are needed) nor a GeoTIFF",
        ));
    };
    if !(columns >= 1.0 && rows >= 1.0 && columns.fract() == 0.0 && rows.fract() == 0.0)
        || columns * rows > MAX_PIXELS as f64
        || !(cell > 0.0 && cell.is_finite())
    {
        return Err(GeoError::new(format!(
            "ESRI ASCII grid: {columns} x {rows} cells of {cell} (at most {MAX_PIXELS} cells \
             of a positive size)"
        )));
    }
    let (columns, rows) = (columns as usize, rows as usize);
    let x0 = match (get("xllcorner"), get("xllcenter")) {
        (Some(x), _) => x,
        (None, Some(x)) => x - cell / 2.0,
        _ => return Err(GeoError::new("ESRI ASCII grid: no xllcorner or xllcenter")),
    };
    let y0 = match (get("yllcorner"), get("yllcenter")) {
        (Some(y), _) => y,
        (None, Some(y)) => y - cell / 2.0,
        _ => return Err(GeoError::new("ESRI ASCII grid: no yllcorner or yllcenter")),
    };
    let nodata = get("nodata_value");
    let mut values = Vec::with_capacity(columns * rows);
    for word in words {
        let v: f64 = word
            .parse()
            .map_err(|_| GeoError::new(format!("ESRI ASCII grid: `{word}` is not a number")))?;
        values.push((Some(v) != nodata && v.is_finite()).then_some(v));
    }
    if values.len() != columns * rows {
        return Err(GeoError::new(format!(
            "ESRI ASCII grid: {} values for {columns} x {rows} cells",
            values.len()
        )));
    }
    Ok(Raster {
        columns,
        rows,
        origin: [x0, y0],
        pixel: [cell, cell],
        values,
        epsg: None,
    })
}

/// Reads a one-band GeoTIFF placed by ModelPixelScale and ModelTiepoint.
fn read_geotiff(path: &Path) -> Result<Raster, GeoError> {
    let fail = |e: tiff::TiffError| GeoError::new(format!("GeoTIFF {}: {e}", path.display()));
    let file = File::open(path)
        .map_err(|e| GeoError::new(format!("cannot read {}: {e}", path.display())))?;
    let mut decoder = Decoder::new(BufReader::new(file)).map_err(fail)?;
    let (width, height) = decoder.dimensions().map_err(fail)?;
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(GeoError::new(format!(
            "GeoTIFF {}: {width} x {height} pixels, above the limit of {MAX_PIXELS}",
            path.display()
        )));
    }
    let scale = decoder
        .get_tag_f64_vec(Tag::Unknown(33550))
        .map_err(|_| GeoError::new("GeoTIFF without ModelPixelScale: the raster is not placed"))?;
    let tiepoint = decoder
        .get_tag_f64_vec(Tag::Unknown(33922))
        .map_err(|_| GeoError::new("GeoTIFF without ModelTiepoint: the raster is not placed"))?;
    if scale.len() < 2 || tiepoint.len() < 6 || !(scale[0] > 0.0 && scale[1] > 0.0) {
        return Err(GeoError::new(
            "GeoTIFF: a ModelPixelScale and ModelTiepoint of a north-up raster are needed",
        ));
    }
    let nodata: Option<f64> = decoder
        .get_tag_ascii_string(Tag::Unknown(42113))
        .ok()
        .and_then(|s| s.trim_matches(char::from(0)).trim().parse().ok());
    let epsg = decoder
        .get_tag_u16_vec(Tag::Unknown(34735))
        .ok()
        .and_then(|keys| {
            keys.chunks_exact(4)
                .skip(1)
                .find(|k| k[0] == 3072 && k[1] == 0)
                .map(|k| u32::from(k[3]))
        });
    let image = decoder.read_image().map_err(fail)?;
    let raw: Vec<f64> = match image {
        DecodingResult::U8(v) => v.into_iter().map(f64::from).collect(),
        DecodingResult::U16(v) => v.into_iter().map(f64::from).collect(),
        DecodingResult::U32(v) => v.into_iter().map(f64::from).collect(),
        DecodingResult::I8(v) => v.into_iter().map(f64::from).collect(),
        DecodingResult::I16(v) => v.into_iter().map(f64::from).collect(),
        DecodingResult::I32(v) => v.into_iter().map(f64::from).collect(),
        DecodingResult::F32(v) => v.into_iter().map(f64::from).collect(),
        DecodingResult::F64(v) => v,
        _ => {
            return Err(GeoError::new(
                "GeoTIFF: pixels of a type dudsim does not read",
            ));
        }
    };
    let (columns, rows) = (width as usize, height as usize);
    if raw.len() != columns * rows {
        return Err(GeoError::new("GeoTIFF: one band of values is needed"));
    }
    // The tiepoint ties pixel corner (i, j) to model (x, y): the top-left.
    let (i, j, x, y) = (tiepoint[0], tiepoint[1], tiepoint[3], tiepoint[4]);
    let left = x - i * scale[0];
    let top = y + j * scale[1];
    let values = raw
        .into_iter()
        .map(|v| (Some(v) != nodata && v.is_finite()).then_some(v))
        .collect();
    Ok(Raster {
        columns,
        rows,
        origin: [left, top - rows as f64 * scale[1]],
        pixel: [scale[0], scale[1]],
        values,
        epsg,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_averages_the_pixels_it_covers_by_area() {
        // 2 x 2 pixels of 10 m from (0, 0): top row 1 2, bottom row 3 4.
        let r = parse_ascii(
            "ncols 2\nnrows 2\nxllcorner 0\nyllcorner 0\ncellsize 10\nNODATA_value -1\n1 2\n3 4\n",
        )
        .unwrap();
        assert_eq!(r.mean_over([0.0, 0.0, 20.0, 20.0]), Some(2.5));
        assert_eq!(r.mean_over([0.0, 0.0, 10.0, 10.0]), Some(3.0));
        // A quarter over each pixel.
        assert_eq!(r.mean_over([5.0, 5.0, 15.0, 15.0]), Some(2.5));
        // Three quarters on the bottom-left pixel, a quarter on its right.
        assert_eq!(r.mean_over([0.0, 0.0, 20.0, 5.0]), Some(3.5));
        assert_eq!(r.mean_over([0.0, 0.0, 21.0, 20.0]), None);
        let with_hole = parse_ascii(
            "ncols 2\nnrows 1\nxllcorner 0\nyllcorner 0\ncellsize 10\nNODATA_value -1\n1 -1\n",
        )
        .unwrap();
        assert_eq!(with_hole.mean_over([0.0, 0.0, 10.0, 10.0]), Some(1.0));
        assert_eq!(with_hole.mean_over([0.0, 0.0, 20.0, 10.0]), None);
    }

    #[test]
    fn the_geotiffs_dudsim_writes_read_back() {
        let frame = GridFrame::new(30.0, 20.0, 10.0, [1000.0, 2000.0]).unwrap();
        let values = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.tif");
        super::super::write_geotiff(File::create(&path).unwrap(), &frame, None, &values).unwrap();
        let r = Raster::read(&path).unwrap();
        assert_eq!(r.extent(), [1000.0, 2000.0, 1030.0, 2020.0]);
        assert_eq!(r.over_cells(&frame).unwrap(), values);
        let ascii = dir.path().join("x.asc");
        let mut out = File::create(&ascii).unwrap();
        super::super::write_esri_ascii(&mut out, &frame, &values).unwrap();
        drop(out);
        assert_eq!(
            Raster::read(&ascii).unwrap().over_cells(&frame).unwrap(),
            values
        );
    }
}
