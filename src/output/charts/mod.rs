//! Charts, each drawn twice from the same code: as a PNG for
//! people and as an SVG for the report and for print.
//!
//! [`distribution`] draws the initial UXO (histograms and exceedance
//! curve) and the contaminated area, [`context`] the run beside past
//! campaigns and `dudsim validate`'s chart, [`timeline`] the fan charts of
//! live UXO and casualties over time, [`map`] the maps of where the duds
//! lie, [`sweep`] the sweep over dud rates, [`tornado`] the sensitivity
//! indices of `dudsim sensitivity`; [`style`] holds what they
//! share (font, palette, colour scale, header), and [`layout`] computes
//! where everything goes, in plain rectangles, for the painting code to
//! draw there. Text is laid out with an embedded font, so no system font
//! or graphics library is needed.

pub mod calibration;
pub mod context;
pub mod distribution;
pub mod layout;
pub mod map;
pub mod plans;
pub mod style;
pub mod sweep;
pub mod timeline;
pub mod tornado;

use std::ops::Range;

use plotters::coord::Shift;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, KeyPointWeight};
use plotters::prelude::*;
use rayon::prelude::*;

pub use self::layout::Format;
use self::layout::Rect;
use crate::error::{Error, Result};
use crate::format;
use crate::scenario::ScenarioFile;
use crate::stats::RunStats;
use crate::stats::RunSummary;

/// The result of a drawing step; plotters' errors are boxed.
pub type DrawResult<T> = std::result::Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// One rendered chart.
#[derive(Debug, Clone)]
pub struct Chart {
    /// File stem: the chart is written as `NAME.png` and `NAME.svg`.
    pub name: String,
    /// The chart's title, as drawn on it.
    pub title: String,
    /// How to read it, in a sentence or two (the report's caption).
    pub caption: String,
    /// The SVG file, with its foot saying where it comes from.
    pub svg: String,
    /// The PNG file, with the same foot.
    pub png: Vec<u8>,
    /// The chart as a page shows it, for charts drawn for one.
    pub page: Option<PageSvgs>,
}

/// A chart as a page shows it: laid out for a wide screen and for a
/// phone's, without the foot of the files (the page itself says which
/// dudsim drew it, from what).
#[derive(Debug, Clone)]
pub struct PageSvgs {
    /// Laid out as the files are ([`Format::Wide`]).
    pub wide: String,
    /// Laid out for a phone ([`Format::Narrow`]).
    pub narrow: String,
}

/// Something that can draw itself on any plotters backend, in either
/// [`Format`].
pub trait Figure: Sync {
    /// File stem.
    fn name(&self) -> String;
    /// Title drawn at the top.
    fn title(&self) -> String;
    /// How to read the chart.
    fn caption(&self) -> String;
    /// Size in pixels when laid out in `format`.
    fn size(&self, format: Format) -> (u32, u32);
    /// Draws the chart on a white `root` of [`Figure::size`], laid out in
    /// `format`.
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        format: Format,
    ) -> DrawResult<()>
    where
        DB::ErrorType: 'static;
}

/// The line at the foot of every chart file: the dudsim that drew it, the
/// seed, how many replicates (or samples) and the scenario file's title,
/// so that a chart that travels without its page still says where it
/// comes from.
pub fn provenance(title: &str, seed: u64, runs: &str) -> String {
    format!(
        "dudsim {} \u{b7} seed {seed} \u{b7} {runs} \u{b7} {title}",
        env!("CARGO_PKG_VERSION")
    )
}

/// Draws a figure as the files have it (SVG and PNG, wide, with
/// `provenance` at its foot).
pub fn render<F: Figure>(figure: &F, provenance: &str) -> Result<Chart> {
    draw_chart(figure, None, provenance, false)
}

/// Draws `figure` as SVG and PNG files with `provenance` at their foot
/// and, when `for_page`, as a page shows it in both formats; `note`, when
/// given, says under the chart that it shows the first scenarios only.
pub(crate) fn draw_chart<F: Figure>(
    figure: &F,
    note: Option<&str>,
    provenance: &str,
    for_page: bool,
) -> Result<Chart> {
    style::register_fonts();
    let fail = |e: Box<dyn std::error::Error + Send + Sync>| {
        Error::failure(format!("cannot draw chart {}: {e}", figure.name()))
    };
    let file = Footed {
        figure,
        lines: note.into_iter().chain([provenance]).collect(),
    };
    let (width, height) = file.size(Format::Wide);
    let svg = draw_svg(&file, Format::Wide).map_err(fail)?;

    let mut pixels = vec![0u8; width as usize * height as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut pixels, (width, height)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| fail(e.into()))?;
        file.draw(&root, Format::Wide).map_err(fail)?;
        root.present().map_err(|e| fail(e.into()))?;
    }
    let png = encode_png(&pixels, width, height)
        .map_err(|e| Error::failure(format!("cannot encode chart {}: {e}", figure.name())))?;

    let page = if for_page {
        let shown = Footed {
            figure,
            lines: note.into_iter().collect(),
        };
        Some(PageSvgs {
            wide: draw_svg(&shown, Format::Wide).map_err(fail)?,
            narrow: draw_svg(&shown, Format::Narrow).map_err(fail)?,
        })
    } else {
        None
    };
    Ok(Chart {
        name: figure.name(),
        title: figure.title(),
        caption: figure.caption(),
        svg,
        png,
        page,
    })
}

/// `figure` as an SVG document laid out in `format`.
fn draw_svg<F: Figure>(figure: &F, format: Format) -> DrawResult<String> {
    let (width, height) = figure.size(format);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        root.fill(&WHITE)?;
        figure.draw(&root, format)?;
        root.present()?;
    }
    Ok(crisp_rectangles(&svg))
}

/// The SVG with every run of rectangles in a group drawn with crisp
/// edges: cells of a map and bars of a histogram that touch are drawn as
/// separate rectangles, and a viewer that smooths their edges leaves a
/// hairline of background between them wherever the picture is scaled.
pub fn crisp_rectangles(svg: &str) -> String {
    let mut out = String::with_capacity(svg.len() + 256);
    let mut grouped = false;
    for line in svg.lines() {
        let rect = line.starts_with("<rect");
        if rect && !grouped {
            out.push_str("<g shape-rendering=\"crispEdges\">\n");
        } else if !rect && grouped {
            out.push_str("</g>\n");
        }
        grouped = rect;
        out.push_str(line);
        out.push('\n');
    }
    if grouped {
        out.push_str("</g>\n");
    }
    out
}

/// Encodes 8-bit RGB pixels as a PNG file.
fn encode_png(
    pixels: &[u8],
    width: u32,
    height: u32,
) -> std::result::Result<Vec<u8>, png::EncodingError> {
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, width, height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        encoder.set_compression(png::Compression::Fast);
        let mut writer = encoder.write_header()?;
        writer.write_image_data(pixels)?;
        writer.finish()?;
    }
    Ok(out)
}

pub use crate::analysis::budget::MAX_CHART_PANELS as MAX_PANELS;

/// A chart with lines of notes under it: that it shows the first
/// [`MAX_PANELS`] scenarios only, and where it comes from.
struct Footed<'f, F> {
    figure: &'f F,
    lines: Vec<&'f str>,
}

impl<F: Figure> Footed<'_, F> {
    /// The lines of the foot, wrapped to a page `width` pixels wide.
    fn wrapped(&self, format: Format, width: u32) -> Vec<String> {
        let room = width as i32 - 2 * format.margin();
        self.lines
            .iter()
            .flat_map(|line| wrap(line, &foot_style(), room))
            .collect()
    }
}

/// The text of a chart's foot.
fn foot_style() -> TextStyle<'static> {
    style::text(style::NOTE_SIZE, style::MUTED)
}

impl<F: Figure> Figure for Footed<'_, F> {
    fn name(&self) -> String {
        self.figure.name()
    }

    fn title(&self) -> String {
        self.figure.title()
    }

    fn caption(&self) -> String {
        self.figure.caption()
    }

    fn size(&self, format: Format) -> (u32, u32) {
        let (width, height) = self.figure.size(format);
        let lines = self.wrapped(format, width).len();
        (width, height + layout::foot_height(lines))
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        format: Format,
    ) -> DrawResult<()>
    where
        DB::ErrorType: 'static,
    {
        let (width, height) = self.figure.size(format);
        let lines = self.wrapped(format, width);
        let (chart, at) = layout::foot(page(root), height as i32, format, lines.len());
        self.figure.draw(&region(root, chart), format)?;
        for (line, at) in lines.into_iter().zip(at) {
            root.draw(&Text::new(line, at, foot_style()))?;
        }
        Ok(())
    }
}

/// The note of charts that show the first [`MAX_PANELS`] of `total`
/// scenarios, or `None` when they show them all.
pub fn first_scenarios_note(total: usize) -> Option<String> {
    (total > MAX_PANELS).then(|| {
        format!(
            "Only the first {MAX_PANELS} of {} scenarios are drawn; the tables and files \
             hold every scenario.",
            format::thousands(total as f64)
        )
    })
}

/// The charts of `dudsim run`: initial UXO (histograms and exceedance
/// curve) and the run beside past campaigns; when a scenario has an
/// aftermath, live UXO and casualties over time; when one has an area, the
/// maps of UXO per hectare and of the chance of any UXO, and the
/// contaminated area; with teams on the map, the plans compared and the
/// risk left in searched cells; with `maps_at`, the live UXO mapped. Drawn in parallel on the current rayon pool, for the
/// first [`MAX_PANELS`] scenarios at most.
pub fn run_charts(
    file: &ScenarioFile,
    summary: &RunSummary,
    stats: &RunStats,
) -> Result<Vec<Chart>> {
    let note = first_scenarios_note(file.scenarios.len());
    if note.is_none() {
        return draw_run_charts(file, summary, stats, None);
    }
    let mut first_file = file.clone();
    first_file.scenarios.truncate(MAX_PANELS);
    let mut first_summary = summary.clone();
    first_summary.scenarios.truncate(MAX_PANELS);
    let first_stats = RunStats {
        scenarios: stats.scenarios.iter().take(MAX_PANELS).cloned().collect(),
    };
    draw_run_charts(&first_file, &first_summary, &first_stats, note.as_deref())
}

fn draw_run_charts(
    file: &ScenarioFile,
    summary: &RunSummary,
    stats: &RunStats,
    note: Option<&str>,
) -> Result<Vec<Chart>> {
    let histograms = distribution::Histograms::new(summary, stats);
    let exceedance = distribution::Exceedance::new(summary, stats);
    let context = context::LogRows::context(summary);
    let live = timeline::Fan::new(summary, timeline::Quantity::Live);
    let casualties = timeline::Fan::new(summary, timeline::Quantity::Casualties);
    let live_compared = timeline::Compared::new(summary, timeline::Quantity::Live);
    let casualties_compared = timeline::Compared::new(summary, timeline::Quantity::Casualties);
    let has_timeline = summary.scenarios.iter().any(|s| !s.timeline.is_empty());
    let density = map::SpatialMap::new(map::MapKind::Density, file, summary, stats);
    let probability = map::SpatialMap::new(map::MapKind::Probability, file, summary, stats);
    let area = distribution::Histograms::contaminated_area(file, summary, stats);
    let footer = provenance(
        &summary.title,
        summary.seed,
        &format!(
            "{} replicates",
            format::thousands(summary.replicates as f64)
        ),
    );
    let footer = footer.as_str();
    let plans = plans::Plans::new(summary);
    let live_maps = map::SpatialMap::live(file, summary, stats);
    let residual = map::SpatialMap::residual(file, summary, stats);
    let mut jobs: Vec<Box<dyn Fn() -> Result<Chart> + Sync + '_>> = vec![
        Box::new(|| draw_chart(&histograms, note, footer, true)),
        Box::new(|| draw_chart(&exceedance, note, footer, true)),
        Box::new(|| draw_chart(&context, note, footer, true)),
    ];
    if has_timeline {
        jobs.push(Box::new(|| draw_chart(&live_compared, note, footer, true)));
        jobs.push(Box::new(|| draw_chart(&live, note, footer, true)));
        jobs.push(Box::new(|| {
            draw_chart(&casualties_compared, note, footer, true)
        }));
        jobs.push(Box::new(|| draw_chart(&casualties, note, footer, true)));
    }
    if let Some(density) = &density {
        jobs.push(Box::new(move || draw_chart(density, note, footer, true)));
    }
    if let Some(probability) = &probability {
        jobs.push(Box::new(move || {
            draw_chart(probability, note, footer, true)
        }));
    }
    if let Some(area) = &area {
        jobs.push(Box::new(move || draw_chart(area, note, footer, true)));
    }
    if let Some(plans) = &plans {
        jobs.push(Box::new(move || draw_chart(plans, note, footer, true)));
    }
    if let Some(live_maps) = &live_maps {
        jobs.push(Box::new(move || draw_chart(live_maps, note, footer, true)));
    }
    if let Some(residual) = &residual {
        jobs.push(Box::new(move || draw_chart(residual, note, footer, true)));
    }
    jobs.par_iter().map(|job| job()).collect()
}

/// The page of `root`: its rectangle, in its own pixels.
pub(crate) fn page<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>) -> Rect {
    let (width, height) = root.dim_in_pixel();
    Rect::page(width, height)
}

/// The part of `root` that `rect` (in `root`'s pixels) covers.
pub(crate) fn region<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    rect: Rect,
) -> DrawingArea<DB, Shift> {
    let (width, height) = root.dim_in_pixel();
    root.margin(
        rect.y0,
        height as i32 - rect.y1,
        rect.x0,
        width as i32 - rect.x1,
    )
}

/// A point of `chart`'s plot, in the pixels of the page `root` it is on.
pub(crate) fn page_point<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &ChartContext<'_, DB, Coords>,
    at: (f64, f64),
) -> layout::Point {
    let (x, y) = chart.backend_coord(&at);
    let (x0, y0) = root.get_base_pixel();
    (x - x0, y - y0)
}

/// One axis of a plot: its range, where the ticks go and how they read.
pub struct Axis<'f> {
    pub range: Range<f64>,
    pub ticks: Vec<f64>,
    pub desc: String,
    pub format: &'f dyn Fn(&f64) -> String,
}

/// Tick labels: a count (see [`format::number`]).
pub(crate) fn count_tick(v: &f64) -> String {
    format::number(*v)
}

/// Tick labels: any value, to three significant digits (see
/// [`format::three_significant`]), for a sweep of an input that is not a
/// share.
pub(crate) fn number_tick(v: &f64) -> String {
    format::three_significant(*v)
}

/// Tick labels: a share as a percentage (see [`format::short_percent`]).
pub(crate) fn percent_tick(v: &f64) -> String {
    format::short_percent(*v)
}

/// Tick labels: none.
pub(crate) fn no_tick(_: &f64) -> String {
    String::new()
}

/// A linear axis whose ticks we choose (plotters' own choice cannot be
/// combined with our number formats).
#[derive(Debug, Clone)]
pub struct Ticked {
    range: Range<f64>,
    ticks: Vec<f64>,
}

impl Ranged for Ticked {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let span = self.range.end - self.range.start;
        let fraction = if span > 0.0 {
            (value - self.range.start) / span
        } else {
            0.5
        };
        limit.0 + (fraction * (limit.1 - limit.0) as f64).round() as i32
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        match hint.weight() {
            KeyPointWeight::Bold => self.ticks.clone(),
            KeyPointWeight::Any => Vec::new(),
        }
    }

    fn range(&self) -> Range<f64> {
        self.range.clone()
    }
}

/// A plot's coordinate system: both axes linear with chosen ticks.
pub type Coords = Cartesian2d<Ticked, Ticked>;

/// Sets up a plot with a light grid at the ticks, in the common style.
pub fn plot<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    x: &Axis<'_>,
    y: &Axis<'_>,
) -> DrawResult<ChartContext<'a, DB, Coords>>
where
    DB::ErrorType: 'static,
{
    plot_aligned(area, x, y, y_label_width(y))
}

/// Room left of a plot for the widest tick label of `y`, the axis
/// description and some air.
pub fn y_label_width(y: &Axis<'_>) -> u32 {
    let tick_style = style::text(style::TICK_SIZE, style::INK);
    let widest = y
        .ticks
        .iter()
        .map(|t| style::text_width(&tick_style, &(y.format)(t)))
        .max()
        .unwrap_or(0);
    layout::y_label_width(widest)
}

/// Like [`plot`], with the room left of the plot given, so that plots
/// stacked above each other can share their horizontal axis.
pub fn plot_aligned<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    x: &Axis<'_>,
    y: &Axis<'_>,
    y_label_width: u32,
) -> DrawResult<ChartContext<'a, DB, Coords>>
where
    DB::ErrorType: 'static,
{
    let mut chart = ChartBuilder::on(area)
        .margin_right(layout::PLOT_MARGIN_RIGHT)
        .margin_left(layout::PLOT_MARGIN_LEFT)
        .margin_top(layout::PLOT_MARGIN_TOP)
        .x_label_area_size(layout::X_LABEL_HEIGHT)
        .y_label_area_size(y_label_width)
        .build_cartesian_2d(
            Ticked {
                range: x.range.clone(),
                ticks: x.ticks.clone(),
            },
            Ticked {
                range: y.range.clone(),
                ticks: y.ticks.clone(),
            },
        )?;
    chart
        .configure_mesh()
        .bold_line_style(style::GRID.stroke_width(1))
        .light_line_style(TRANSPARENT)
        .axis_style(style::MUTED.stroke_width(1))
        .label_style(style::text(style::TICK_SIZE, style::INK))
        .axis_desc_style(style::text(style::LABEL_SIZE, style::INK))
        .x_desc(x.desc.clone())
        .y_desc(y.desc.clone())
        .x_label_formatter(x.format)
        .y_label_formatter(y.format)
        .draw()?;
    Ok(chart)
}

/// A panel's caption: a scenario's name and a note under it, each in
/// its style, wrapped to `width` pixels and cut to at most so many lines.
pub(crate) struct CaptionText<'a> {
    pub(crate) name: (&'a str, TextStyle<'a>, usize),
    pub(crate) note: (&'a str, TextStyle<'a>, usize),
    pub(crate) width: i32,
}

/// Draws `text` on the lines of `caption`.
pub(crate) fn draw_caption<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    caption: &layout::Caption,
    text: &CaptionText<'_>,
) -> DrawResult<()>
where
    DB::ErrorType: 'static,
{
    let (name, name_style, most) = &text.name;
    for (k, line) in wrap(name, name_style, text.width)
        .into_iter()
        .take(*most)
        .enumerate()
    {
        root.draw(&Text::new(line, caption.name_line(k), name_style.clone()))?;
    }
    let (note, note_style, most) = &text.note;
    for (k, line) in wrap(note, note_style, text.width)
        .into_iter()
        .take(*most)
        .enumerate()
    {
        root.draw(&Text::new(line, caption.note_line(k), note_style.clone()))?;
    }
    Ok(())
}

/// Splits `text` into lines no wider than `width` pixels in `style`.
pub fn wrap(text: &str, style: &TextStyle<'_>, width: i32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if !line.is_empty() && style::text_width(style, &candidate) > width {
            lines.push(std::mem::take(&mut line));
            line = word.to_string();
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// `month` → `months`, for axis labels.
pub fn plural(unit: &str) -> String {
    if unit.ends_with('s') || unit.is_empty() {
        unit.to_string()
    } else {
        format!("{unit}s")
    }
}
