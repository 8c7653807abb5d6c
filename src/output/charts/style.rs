//! What every chart shares: the embedded font, the scenarios' colours
//! (from [`palette`], so that each scenario keeps its colour in every chart
//! and in the report), the colour scale, text sizes, the page header and
//! legend, tick choice (numbers are written by [`crate::format`]).

use std::sync::Once;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{FontStyle, register_font};

use super::DrawResult;
use super::layout::{self, Format, Rect};
use crate::output::palette;

/// DejaVu Sans (see `assets/fonts/LICENSE-DejaVu.txt`), so that charts
/// render on machines without any system font.
static SANS: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");
static SANS_BOLD: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans-Bold.ttf");

/// The font family every text of a chart uses, as the SVG names it: the
/// embedded font, whose measures laid the text out, where the viewer has
/// it; any sans-serif font (which sets text no wider) elsewhere.
pub const FAMILY: &str = "DejaVu Sans, sans-serif";

/// Registers the embedded fonts with plotters (once per process).
pub fn register_fonts() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let normal = register_font(FAMILY, FontStyle::Normal, SANS);
        let bold = register_font(FAMILY, FontStyle::Bold, SANS_BOLD);
        assert!(
            normal.is_ok() && bold.is_ok(),
            "the embedded fonts are valid"
        );
    });
}

/// The colour of scenario `index` (its place in the scenario file), the same
/// in every chart and in the report (see [`palette`]).
pub fn scenario_color(index: usize) -> RGBColor {
    let palette::Rgb(r, g, b) = palette::scenario(index);
    RGBColor(r, g, b)
}

/// Viridis (van der Walt and Smith, matplotlib), sampled at eleven
/// evenly spaced points: perceptually uniform, readable in grey and by
/// people with the common colour-vision deficiencies.
const VIRIDIS: [(u8, u8, u8); 11] = [
    (0x44, 0x01, 0x54),
    (0x48, 0x24, 0x75),
    (0x41, 0x44, 0x87),
    (0x35, 0x5F, 0x8D),
    (0x2A, 0x78, 0x8E),
    (0x21, 0x91, 0x8C),
    (0x22, 0xA8, 0x84),
    (0x44, 0xBF, 0x70),
    (0x7A, 0xD1, 0x51),
    (0xBD, 0xDF, 0x26),
    (0xFD, 0xE7, 0x25),
];

/// Viridis at `t` in [0, 1] (dark purple to yellow), interpolated linearly
/// between its control points.
pub fn viridis(t: f64) -> RGBColor {
    let t = if t.is_nan() { 0.0 } else { t.clamp(0.0, 1.0) };
    let x = t * (VIRIDIS.len() - 1) as f64;
    let i = (x.floor() as usize).min(VIRIDIS.len() - 2);
    let f = x - i as f64;
    let (a, b) = (VIRIDIS[i], VIRIDIS[i + 1]);
    let mix = |p: u8, q: u8| (p as f64 + (q as f64 - p as f64) * f).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// The sequential colour of a share `t` in [0, 1] of a scale: viridis
/// reversed, so that little reads light (next to the white of "none") and
/// much reads dark.
pub fn sequential(t: f64) -> RGBColor {
    viridis(1.0 - t)
}

/// Text, axes and frames.
pub const INK: RGBColor = RGBColor(0x22, 0x22, 0x22);
/// Secondary text.
pub const MUTED: RGBColor = RGBColor(0x55, 0x55, 0x55);
/// Grid lines.
pub const GRID: RGBColor = RGBColor(0xDD, 0xDD, 0xDD);

/// Text sizes in pixels.
pub const TITLE_SIZE: f64 = 30.0;
pub const SUBTITLE_SIZE: f64 = 18.0;
/// The title and subtitle of a chart laid out for a phone.
pub const NARROW_TITLE_SIZE: f64 = 22.0;
pub const NARROW_SUBTITLE_SIZE: f64 = 16.0;
pub const PANEL_TITLE_SIZE: f64 = 18.0;
pub const LABEL_SIZE: f64 = 17.0;
pub const TICK_SIZE: f64 = 15.0;
pub const NOTE_SIZE: f64 = 15.0;

/// A text style of the chart font.
pub fn text(size: f64, color: RGBColor) -> TextStyle<'static> {
    FontDesc::new(FontFamily::Name(FAMILY), size, FontStyle::Normal).color(&color)
}

/// A bold text style of the chart font.
pub fn bold(size: f64, color: RGBColor) -> TextStyle<'static> {
    // `FontDesc::style` would keep the normal face: build the bold one.
    FontDesc::new(FontFamily::Name(FAMILY), size, FontStyle::Bold).color(&color)
}

/// How one legend entry is drawn.
#[derive(Debug, Clone, Copy)]
pub enum Swatch {
    /// A line.
    Line(RGBColor),
    /// A dashed line.
    Dashed(RGBColor),
    /// A filled box with this opacity.
    Fill(RGBColor, f64),
    /// A line over a light band (a mean or median with its interval).
    LineOnBand(RGBColor),
    /// A tick across a bar (a mean or median with its interval).
    TickOnBar(RGBColor),
    /// A diamond marker (a single published figure).
    Diamond(RGBColor),
    /// The outline of a rectangle (an area on a map).
    Outline(RGBColor),
    /// A horizontal line with end caps (a confidence interval).
    Whisker(RGBColor),
}

/// One legend entry.
#[derive(Debug, Clone)]
pub struct LegendItem {
    pub label: String,
    pub swatch: Swatch,
}

impl LegendItem {
    pub fn new(label: impl Into<String>, swatch: Swatch) -> Self {
        LegendItem {
            label: label.into(),
            swatch,
        }
    }
}

/// Width of a text in pixels, as laid out with the embedded font.
pub fn text_width(style: &TextStyle<'_>, text: &str) -> i32 {
    style
        .font
        .box_size(text)
        .map(|(w, _)| w as i32)
        .unwrap_or(text.len() as i32 * 9)
}

/// The title's text style in `format`.
pub fn title_style(format: Format) -> TextStyle<'static> {
    match format {
        Format::Wide => bold(TITLE_SIZE, INK),
        Format::Narrow => bold(NARROW_TITLE_SIZE, INK),
    }
}

/// The subtitle's text style in `format`.
pub fn subtitle_style(format: Format) -> TextStyle<'static> {
    match format {
        Format::Wide => text(SUBTITLE_SIZE, MUTED),
        Format::Narrow => text(NARROW_SUBTITLE_SIZE, MUTED),
    }
}

/// A chart's header set on its page: the title, subtitle and legend
/// labels wrapped to the page's width, and where each line goes.
pub struct SetHeader {
    title: Vec<String>,
    subtitle: Vec<String>,
    legend: Vec<Vec<String>>,
    /// Where everything goes, and the body left under the header.
    pub layout: layout::Header,
}

/// Sets the header of a chart whose page is `page`, in `format`.
pub fn set_header(
    page: Rect,
    format: Format,
    title: &str,
    subtitle: &[&str],
    legend: &[LegendItem],
) -> SetHeader {
    let room = page.width() - 2 * format.margin();
    let title = super::wrap(title, &title_style(format), room);
    let subtitle: Vec<String> = subtitle
        .iter()
        .flat_map(|line| super::wrap(line, &subtitle_style(format), room))
        .collect();
    let label_style = text(LABEL_SIZE, INK);
    let label_room = layout::legend_label_room(page, format);
    let legend: Vec<Vec<String>> = legend
        .iter()
        .map(|item| super::wrap(&item.label, &label_style, label_room))
        .collect();
    let sizes = legend
        .iter()
        .map(|lines| layout::LabelSize {
            width: lines
                .iter()
                .map(|line| text_width(&label_style, line))
                .max()
                .unwrap_or(0),
            lines: lines.len().max(1),
        })
        .collect();
    let layout = layout::header(
        page,
        &layout::HeaderSpec {
            format,
            title_lines: title.len(),
            subtitle_lines: subtitle.len(),
            legend: sizes,
        },
    );
    SetHeader {
        title,
        subtitle,
        legend,
        layout,
    }
}

/// Height of the header of a chart `width` pixels wide in `format`: where
/// its body starts.
pub fn header_height(
    format: Format,
    width: u32,
    title: &str,
    subtitle: &[&str],
    legend: &[LegendItem],
) -> u32 {
    let set = set_header(Rect::page(width, 0), format, title, subtitle, legend);
    set.layout.body.y0 as u32
}

/// Draws the title, the subtitle lines and the legend rows at the top of
/// `root`, wrapped to its width, and returns the rectangle left below
/// them (see [`layout::header`]).
pub fn header<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    format: Format,
    title: &str,
    subtitle: &[&str],
    legend: &[LegendItem],
) -> DrawResult<Rect>
where
    DB::ErrorType: 'static,
{
    let set = set_header(super::page(root), format, title, subtitle, legend);
    let layout = &set.layout;
    for (line, &at) in set.title.iter().zip(&layout.titles) {
        root.draw(&Text::new(line.clone(), at, title_style(format)))?;
    }
    for (line, &at) in set.subtitle.iter().zip(&layout.subtitles) {
        root.draw(&Text::new(line.clone(), at, subtitle_style(format)))?;
    }
    let label_style = text(LABEL_SIZE, INK);
    for ((item, lines), &(x, y)) in legend.iter().zip(&set.legend).zip(&layout.legend) {
        draw_swatch(root, item.swatch, (x, y + layout::LEGEND_SWATCH_MIDDLE))?;
        for (k, line) in lines.iter().enumerate() {
            root.draw(&Text::new(
                line.clone(),
                (
                    x + layout::LEGEND_LABEL_OFFSET,
                    y + layout::LEGEND_LINE * k as i32,
                ),
                label_style.clone(),
            ))?;
        }
    }
    Ok(layout.body)
}

/// Draws a 26-pixel-wide legend swatch whose vertical centre is at `at`.
fn draw_swatch<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    swatch: Swatch,
    (x, y): (i32, i32),
) -> DrawResult<()>
where
    DB::ErrorType: 'static,
{
    match swatch {
        Swatch::Line(c) => {
            root.draw(&PathElement::new(
                vec![(x, y), (x + 26, y)],
                c.stroke_width(3),
            ))?;
        }
        Swatch::Dashed(c) => {
            for k in 0..3 {
                let a = x + k * 10;
                root.draw(&PathElement::new(
                    vec![(a, y), (a + 6, y)],
                    c.stroke_width(2),
                ))?;
            }
        }
        Swatch::Fill(c, alpha) => {
            root.draw(&Rectangle::new(
                [(x, y - 8), (x + 26, y + 8)],
                c.mix(alpha).filled(),
            ))?;
        }
        Swatch::LineOnBand(c) => {
            root.draw(&Rectangle::new(
                [(x, y - 8), (x + 26, y + 8)],
                c.mix(0.2).filled(),
            ))?;
            root.draw(&PathElement::new(
                vec![(x, y), (x + 26, y)],
                c.stroke_width(3),
            ))?;
        }
        Swatch::TickOnBar(c) => {
            root.draw(&Rectangle::new(
                [(x, y - 8), (x + 26, y + 8)],
                c.mix(0.55).filled(),
            ))?;
            root.draw(&Rectangle::new(
                [(x + 11, y - 13), (x + 15, y + 13)],
                c.filled(),
            ))?;
        }
        Swatch::Diamond(c) => {
            root.draw(&diamond((x + 13, y), 8, c))?;
        }
        Swatch::Whisker(c) => {
            root.draw(&PathElement::new(
                vec![(x + 2, y), (x + 24, y)],
                c.stroke_width(2),
            ))?;
            for cap in [x + 2, x + 24] {
                root.draw(&PathElement::new(
                    vec![(cap, y - 6), (cap, y + 6)],
                    c.stroke_width(2),
                ))?;
            }
        }
        Swatch::Outline(c) => {
            root.draw(&Rectangle::new(
                [(x + 2, y - 8), (x + 24, y + 8)],
                WHITE.stroke_width(4),
            ))?;
            root.draw(&Rectangle::new(
                [(x + 2, y - 8), (x + 24, y + 8)],
                c.stroke_width(2),
            ))?;
        }
    }
    Ok(())
}

/// A filled diamond of half-diagonal `r` pixels centred at `at`, with a
/// white rim so that it stands out on a line.
pub fn diamond(at: (i32, i32), r: i32, color: RGBColor) -> Polygon<(i32, i32)> {
    let (x, y) = at;
    Polygon::new(
        vec![(x, y - r), (x + r, y), (x, y + r), (x - r, y)],
        color.filled(),
    )
}

/// Draws a text anchored at its centre-left, top-left or wherever `pos` says.
pub fn anchored<'a>(style: TextStyle<'a>, h: HPos, v: VPos) -> TextStyle<'a> {
    style.pos(Pos::new(h, v))
}

/// About `target` round tick values (1, 2 or 5 times a power of ten apart)
/// covering `[lo, hi]`.
pub fn linear_ticks(lo: f64, hi: f64, target: usize) -> Vec<f64> {
    if hi.partial_cmp(&lo) != Some(std::cmp::Ordering::Greater) {
        return vec![lo];
    }
    let raw = (hi - lo) / target.max(1) as f64;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|&s| s >= raw)
        .unwrap_or(10.0 * magnitude);
    let first = (lo / step).ceil() as i64;
    let last = (hi / step + 1e-9).floor() as i64;
    (first..=last).map(|k| k as f64 * step).collect()
}

/// Like [`linear_ticks`], but never closer than 1 apart and never below 0:
/// for axes that count things.
pub fn count_ticks(lo: f64, hi: f64, target: usize) -> Vec<f64> {
    let ticks = linear_ticks(lo, hi, target);
    let step = if ticks.len() >= 2 {
        ticks[1] - ticks[0]
    } else {
        1.0
    };
    if step >= 1.0 {
        return ticks.into_iter().filter(|&t| t >= 0.0).collect();
    }
    let first = lo.max(0.0).ceil() as i64;
    let last = hi.floor() as i64;
    (first..=last.max(first)).map(|k| k as f64).collect()
}

/// Tick values 1, 2 and 5 times powers of ten inside `[lo, hi]` (lo > 0),
/// thinned to 1 and 10 times powers of ten over wide ranges.
pub fn log_ticks(lo: f64, hi: f64) -> Vec<f64> {
    let decades = (hi / lo).log10();
    let mantissas: &[f64] = if decades > 5.0 {
        &[1.0]
    } else if decades > 2.5 {
        &[1.0, 3.0]
    } else {
        &[1.0, 2.0, 5.0]
    };
    log_ticks_of(lo, hi, mantissas)
}

/// Like [`log_ticks`], thinned to at most `most` ticks where that takes
/// fewer mantissas (1 and 3, then powers of ten only), for narrow plots.
pub fn log_ticks_at_most(lo: f64, hi: f64, most: usize) -> Vec<f64> {
    let ticks = log_ticks(lo, hi);
    if ticks.len() <= most {
        return ticks;
    }
    for mantissas in [&[1.0, 3.0][..], &[1.0][..]] {
        let fewer = log_ticks_of(lo, hi, mantissas);
        if fewer.len() <= most || mantissas.len() == 1 {
            return fewer;
        }
    }
    ticks
}

/// Tick values `m` times powers of ten inside `[lo, hi]`, for each `m` of
/// `mantissas`.
fn log_ticks_of(lo: f64, hi: f64, mantissas: &[f64]) -> Vec<f64> {
    let mut ticks = Vec::new();
    let mut power = 10f64.powf(lo.log10().floor());
    while power <= hi * 1.000_001 {
        for m in mantissas {
            let v = m * power;
            if v >= lo * 0.999_999 && v <= hi * 1.000_001 {
                ticks.push(v);
            }
        }
        power *= 10.0;
    }
    ticks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn viridis_runs_from_purple_to_yellow() {
        assert_eq!(viridis(0.0), RGBColor(0x44, 0x01, 0x54));
        assert_eq!(viridis(1.0), RGBColor(0xFD, 0xE7, 0x25));
        assert_eq!(viridis(0.5), RGBColor(0x21, 0x91, 0x8C));
        assert_eq!(viridis(0.05), RGBColor(0x46, 0x13, 0x65));
        assert_eq!(sequential(0.0), viridis(1.0));
        assert_eq!(viridis(f64::NAN), viridis(0.0));
    }

    #[test]
    fn ticks_are_round() {
        assert_eq!(
            linear_ticks(0.0, 100.0, 5),
            vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]
        );
        assert_eq!(linear_ticks(0.0, 1.0, 4), vec![0.0, 0.25, 0.5, 0.75, 1.0]);
        assert_eq!(count_ticks(-0.5, 1.5, 6), vec![0.0, 1.0]);
        assert_eq!(count_ticks(0.0, 3.15, 6), vec![0.0, 1.0, 2.0, 3.0]);
        assert_eq!(
            log_ticks(400.0, 40_000.0),
            vec![500.0, 1000.0, 2000.0, 5000.0, 10_000.0, 20_000.0]
        );
        assert_eq!(
            log_ticks_at_most(400.0, 40_000.0, 4),
            vec![1000.0, 3000.0, 10_000.0, 30_000.0]
        );
        assert_eq!(
            log_ticks_at_most(400.0, 40_000.0, 3),
            vec![1000.0, 10_000.0]
        );
        assert_eq!(log_ticks_at_most(400.0, 40_000.0, 9).len(), 6);
    }
}
