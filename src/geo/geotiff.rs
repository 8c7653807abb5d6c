//! GeoTIFF grids: one Float32 band, north-up, placed by GeoTIFF tags so that
//! GDAL and QGIS put each pixel where it belongs.
//!
//! Tags written besides the image itself: `ModelPixelScale` (cell size),
//! `ModelTiepoint` (pixel corner (0, 0), the top-left corner of the grid,
//! at the grid's upper-left coordinates), `GDAL_NODATA`, and, for a placed
//! grid, the GeoKey directory: model type projected, raster type
//! PixelIsArea (a value covers its whole cell), the EPSG code of the
//! projected system, linear unit metre.
//!
//! A grid in local metres gets the same pixel scale and tiepoint (corners in
//! metres from the area's lower-left corner) but no GeoKeys, and GDAL
//! reports no coordinate system: the truth. Any GeoKey directory, even the
//! one GDAL itself writes for a local engineering system, makes GDAL 3.6
//! read an engineering CRS for which `gdalinfo -json` prints PROJ errors.
//!
//! The image is uncompressed and written strip by strip (the `tiff` crate
//! compresses only an image handed over whole), so writing needs memory
//! for one strip (about 1 MB), whatever the grid's size; grids of more than
//! 4 GB become BigTIFF files, which GDAL reads alike.

use std::io::{self, Seek, Write};

use tiff::encoder::{TiffEncoder, TiffKind, TiffKindBig, TiffKindStandard, colortype::Gray32Float};
use tiff::tags::Tag;

use super::ascii::check_len;
use super::{Crs, GridFrame, NODATA};

/// GeoKey IDs and values from the GeoTIFF 1.1 standard (OGC 19-008r4).
mod geokey {
    pub const GT_MODEL_TYPE: u16 = 1024;
    pub const GT_RASTER_TYPE: u16 = 1025;
    pub const PROJECTED_CRS: u16 = 3072;
    pub const PROJ_LINEAR_UNITS: u16 = 3076;
    pub const MODEL_TYPE_PROJECTED: u16 = 1;
    pub const RASTER_PIXEL_IS_AREA: u16 = 1;
    pub const LINEAR_METRE: u16 = 9001;
}

/// Writes a grid of values in the engine's order (row 0 southernmost, see
/// [`GridFrame`]) as a Float32 GeoTIFF; `crs` places it (`None`: local
/// metres). Values are rounded to the nearest `f32`.
pub fn write_geotiff<W: Write + Seek>(
    out: W,
    frame: &GridFrame,
    crs: Option<&Crs>,
    values: &[f64],
) -> io::Result<()> {
    check_len(frame, values.len())?;
    let columns = frame.columns();
    let rows = frame.rows();
    write_geotiff_rows(out, frame, crs, |row_from_top, buffer| {
        let row = rows - 1 - row_from_top;
        for (b, v) in buffer
            .iter_mut()
            .zip(&values[row * columns..(row + 1) * columns])
        {
            *b = *v as f32;
        }
    })
}

/// Writes a Float32 GeoTIFF of the frame's grid, asking `fill_row` for the
/// rows from the top (northernmost, index 0) down, one at a time: it gets
/// the row's index from the top and a buffer of `columns` values to fill,
/// west to east.
pub fn write_geotiff_rows<W, F>(
    out: W,
    frame: &GridFrame,
    crs: Option<&Crs>,
    fill_row: F,
) -> io::Result<()>
where
    W: Write + Seek,
    F: FnMut(usize, &mut [f32]),
{
    // Leave room for the tags and strip tables within the 4 GiB of a
    // standard TIFF.
    let data_bytes = frame.cells() as u64 * 4;
    let result = if data_bytes < u64::from(u32::MAX) - (64 << 20) {
        write_tiff(
            TiffEncoder::<W, TiffKindStandard>::new_generic(out),
            frame,
            crs,
            fill_row,
        )
    } else {
        write_tiff(
            TiffEncoder::<W, TiffKindBig>::new_generic(out),
            frame,
            crs,
            fill_row,
        )
    };
    result.map_err(|e| match e {
        tiff::TiffError::IoError(e) => e,
        other => io::Error::other(other),
    })
}

fn write_tiff<W, K, F>(
    encoder: tiff::TiffResult<TiffEncoder<W, K>>,
    frame: &GridFrame,
    crs: Option<&Crs>,
    mut fill_row: F,
) -> tiff::TiffResult<()>
where
    W: Write + Seek,
    K: TiffKind,
    F: FnMut(usize, &mut [f32]),
{
    let mut encoder = encoder?;
    let columns = u32::try_from(frame.columns())?;
    let rows = u32::try_from(frame.rows())?;
    let mut image = encoder.new_image::<Gray32Float>(columns, rows)?;
    let [left, top] = frame.top_left();
    let cell = frame.cell_m();
    let tags = image.encoder();
    tags.write_tag(Tag::ModelPixelScaleTag, &[cell, cell, 0.0][..])?;
    tags.write_tag(Tag::ModelTiepointTag, &[0.0, 0.0, 0.0, left, top, 0.0][..])?;
    tags.write_tag(Tag::GdalNodata, NODATA.to_string().as_str())?;
    if let Some(crs) = crs {
        use geokey::*;
        let epsg = u16::try_from(crs.epsg()).expect("EPSG codes of known systems fit in 16 bits");
        #[rustfmt::skip]
        let keys = [
            1, 1, 0, 4, // directory version 1, revision 1.0, 4 keys
            GT_MODEL_TYPE, 0, 1, MODEL_TYPE_PROJECTED,
            GT_RASTER_TYPE, 0, 1, RASTER_PIXEL_IS_AREA,
            PROJECTED_CRS, 0, 1, epsg,
            PROJ_LINEAR_UNITS, 0, 1, LINEAR_METRE,
        ];
        tags.write_tag(Tag::GeoKeyDirectoryTag, &keys[..])?;
    }
    let width = frame.columns();
    let mut strip = Vec::new();
    let mut row_from_top = 0;
    loop {
        let samples = usize::try_from(image.next_strip_sample_count())?;
        if samples == 0 {
            break;
        }
        strip.clear();
        strip.resize(samples, 0.0f32);
        for row in strip.chunks_exact_mut(width) {
            fill_row(row_from_top, row);
            row_from_top += 1;
        }
        image.write_strip(&strip)?;
    }
    image.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads the little-endian TIFF just enough to check its tags: the
    /// tag → (type, count, value or offset) entries of the first IFD.
    fn ifd_entries(file: &[u8]) -> Vec<(u16, u16, u32, u32)> {
        let u16_at = |i: usize| u16::from_le_bytes([file[i], file[i + 1]]);
        let u32_at = |i: usize| u32::from_le_bytes(file[i..i + 4].try_into().unwrap());
        assert_eq!(&file[..4], b"II*\0", "little-endian standard TIFF");
        let ifd = u32_at(4) as usize;
        (0..u16_at(ifd) as usize)
            .map(|k| {
                let e = ifd + 2 + 12 * k;
                (u16_at(e), u16_at(e + 2), u32_at(e + 4), u32_at(e + 8))
            })
            .collect()
    }

    #[test]
    fn writes_float32_north_up_rows_with_geotiff_tags() {
        let frame = GridFrame::new(30.0, 20.0, 10.0, [400_000.0, 5_500_000.0]).unwrap();
        let crs = Crs::from_epsg(32636).unwrap();
        let values = [1.0, 2.0, 3.0, 4.0, 5.0, 6.25];
        let mut file = io::Cursor::new(Vec::new());
        write_geotiff(&mut file, &frame, Some(&crs), &values).unwrap();
        let file = file.into_inner();
        let entries = ifd_entries(&file);
        let tag = |t: u16| entries.iter().find(|e| e.0 == t).copied();
        assert_eq!(tag(256).unwrap().3, 3, "width");
        assert_eq!(tag(257).unwrap().3, 2, "height");
        assert_eq!(tag(258).unwrap().3 & 0xffff, 32, "32 bits per sample");
        assert_eq!(tag(339).unwrap().3 & 0xffff, 3, "IEEE floating point");
        let doubles = |offset: u32, n: usize| -> Vec<f64> {
            (0..n)
                .map(|i| {
                    f64::from_le_bytes(file[offset as usize + 8 * i..][..8].try_into().unwrap())
                })
                .collect()
        };
        let scale = tag(33550).unwrap();
        assert_eq!(doubles(scale.3, 3), [10.0, 10.0, 0.0]);
        let tiepoint = tag(33922).unwrap();
        assert_eq!(
            doubles(tiepoint.3, 6),
            [0.0, 0.0, 0.0, 400_000.0, 5_500_020.0, 0.0]
        );
        let keys = tag(34735).unwrap();
        let key = |i: usize| {
            u16::from_le_bytes([
                file[keys.3 as usize + 2 * i],
                file[keys.3 as usize + 2 * i + 1],
            ])
        };
        assert_eq!((key(4), key(7)), (1024, 1), "projected model");
        assert_eq!((key(8), key(11)), (1025, 1), "pixel is area");
        assert_eq!((key(12), key(15)), (3072, 32636), "EPSG code");
        assert_eq!((key(16), key(19)), (3076, 9001), "metres");
        let nodata = tag(42113).unwrap();
        assert_eq!(&file[nodata.3 as usize..][..6], b"-9999\0");
        // The top row (values 4, 5, 6.25) comes first.
        let strip = tag(273).unwrap().3 as usize;
        let pixels: Vec<f32> = (0..6)
            .map(|i| f32::from_le_bytes(file[strip + 4 * i..][..4].try_into().unwrap()))
            .collect();
        assert_eq!(pixels, [4.0, 5.0, 6.25, 1.0, 2.0, 3.0]);
    }

    #[test]
    fn a_grid_in_local_metres_has_no_geokeys() {
        let frame = GridFrame::local(30.0, 20.0, 10.0).unwrap();
        let mut file = io::Cursor::new(Vec::new());
        write_geotiff(&mut file, &frame, None, &[0.0; 6]).unwrap();
        let entries = ifd_entries(file.get_ref());
        assert!(entries.iter().any(|e| e.0 == 33922), "tiepoint");
        assert!(!entries.iter().any(|e| e.0 == 34735), "no GeoKeys");
        assert!(write_geotiff(io::Cursor::new(Vec::new()), &frame, None, &[0.0; 7]).is_err());
    }

    #[test]
    fn large_grids_are_written_in_several_strips() {
        // 700 columns of 4 bytes: 358 rows per 1 MB strip, so 3 strips.
        let frame = GridFrame::local(700.0, 1000.0, 1.0).unwrap();
        let values: Vec<f64> = (0..frame.cells()).map(|i| (i % 977) as f64).collect();
        let mut file = io::Cursor::new(Vec::new());
        write_geotiff(&mut file, &frame, None, &values).unwrap();
        let file = file.into_inner();
        let entries = ifd_entries(&file);
        let offsets = entries.iter().find(|e| e.0 == 273).unwrap();
        assert!(offsets.2 > 1, "{} strips", offsets.2);
        // Pixels run north-west to south-east with no gap between strips.
        let first =
            u32::from_le_bytes(file[offsets.3 as usize..][..4].try_into().unwrap()) as usize;
        let pixel = |i: usize| f32::from_le_bytes(file[first + 4 * i..][..4].try_into().unwrap());
        let (columns, rows) = (frame.columns(), frame.rows());
        for (row_from_top, column) in [(0, 0), (357, 699), (358, 0), (999, 699), (500, 123)] {
            let engine_row = rows - 1 - row_from_top;
            assert_eq!(
                pixel(row_from_top * columns + column),
                values[engine_row * columns + column] as f32
            );
        }
    }
}
